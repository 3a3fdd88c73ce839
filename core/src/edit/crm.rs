//! Pillar 4 edits: customers, opportunities (with stage history), stages
//! and forecast overrides.

use super::fields::{check_date, check_len, check_name, check_new_id};
use super::{EditError, Tx};
use crate::edit::Edit;
use crate::engine::validate::MAX_AMOUNT;
use crate::limits::*;
use crate::model::*;
use chrono::NaiveDate;

fn check_text(field: &'static str, s: &str, max: usize) -> Result<(), EditError> {
    check_len(field, s.chars().count(), max)
}

fn check_customer(ws: &Workspace, f: &crate::edit::CustomerFields) -> Result<(), EditError> {
    if f.name.trim().is_empty() {
        return Err(EditError::BlankName);
    }
    check_text("name", &f.name, MAX_NAME_CHARS)?;
    check_text("industry", &f.industry, MAX_NAME_CHARS)?;
    check_text("region", &f.region, MAX_NAME_CHARS)?;
    check_text("notes", &f.notes, MAX_NOTE_CHARS)?;
    check_len("contacts", f.contacts.len(), MAX_CONTACTS)?;
    for c in &f.contacts {
        for (field, v) in [("contact", &c.name), ("role", &c.role), ("phone", &c.phone), ("email", &c.email)] {
            check_text(field, v, MAX_SHORT_TEXT_CHARS)?;
        }
    }
    check_date(f.created)?;
    if let Some(o) = f.owner {
        if !ws.people.contains_key(&o) {
            return Err(EditError::NotFound { kind: Kind::Person, id: o });
        }
    }
    Ok(())
}

fn check_opportunity<'a>(ws: &'a Workspace, f: &crate::edit::OpportunityFields) -> Result<&'a Stage, EditError> {
    if f.name.trim().is_empty() {
        return Err(EditError::BlankName);
    }
    check_text("name", &f.name, MAX_NAME_CHARS)?;
    check_text("notes", &f.notes, MAX_NOTE_CHARS)?;
    check_text("loss_reason", &f.loss_reason, MAX_SHORT_TEXT_CHARS)?;
    if !ws.customers.contains_key(&f.customer) {
        return Err(EditError::NotFound { kind: Kind::Customer, id: f.customer });
    }
    if !ws.people.contains_key(&f.owner) {
        return Err(EditError::NotFound { kind: Kind::Person, id: f.owner });
    }
    if f.amount.0 < 0 || f.amount.0 > MAX_AMOUNT || f.margin.is_some_and(|m| m.0.abs() > MAX_AMOUNT) {
        return Err(EditError::AmountOutOfRange);
    }
    if f.probability > 100 {
        return Err(EditError::BadProbability);
    }
    check_date(f.close_date)?;
    check_date(f.created)?;
    ws.stages.get(&f.stage).ok_or(EditError::NotFound { kind: Kind::Stage, id: f.stage })
}

/// The category that goes with an outcome: won is closed, lost omitted;
/// an open deal keeps the one asked for unless that is "closed".
fn settle(outcome: Outcome, asked: ForecastCategory, open_default: ForecastCategory) -> ForecastCategory {
    match outcome {
        Outcome::Won => ForecastCategory::Closed,
        Outcome::Lost => ForecastCategory::Omitted,
        Outcome::Open if asked == ForecastCategory::Closed => open_default,
        Outcome::Open => asked,
    }
}

/// The category a deal in `stage` ends up with, given the one asked for.
fn category_in(stage: &Stage, asked: ForecastCategory) -> ForecastCategory {
    settle(stage.outcome, asked, stage.category)
}

/// Moves `o` into `stage` on `on`: history, closed date, and the stage's
/// defaults where the caller did not choose otherwise.
fn enter_stage(o: &mut Opportunity, stage: &Stage, on: NaiveDate, by: Option<Id>) {
    if o.stage == stage.id {
        return;
    }
    o.history.push(StageChange { on, from: Some(o.stage), to: stage.id, by });
    if o.history.len() > MAX_STAGE_HISTORY {
        let extra = o.history.len() - MAX_STAGE_HISTORY;
        o.history.drain(1..=extra);
    }
    o.stage = stage.id;
    o.closed = match stage.outcome {
        Outcome::Open => None,
        _ => Some(on),
    };
}

fn stage_fields(f: &crate::edit::StageFields) -> Result<(), EditError> {
    check_name(&f.name)?;
    if f.stale_days.is_some_and(|d| d > MAX_STALE_DAYS) {
        return Err(EditError::BadStaleDays { max: MAX_STALE_DAYS });
    }
    if f.probability > 100 {
        return Err(EditError::BadProbability);
    }
    Ok(())
}

/// Refuses a stage set without a won and a lost stage.
fn check_outcomes(ws: &Workspace) -> Result<(), EditError> {
    let has = |o: Outcome| ws.stages.values().any(|s| s.outcome == o);
    if has(Outcome::Won) && has(Outcome::Lost) && has(Outcome::Open) {
        Ok(())
    } else {
        Err(EditError::LastOutcomeStage)
    }
}

pub(super) fn crm(tx: &mut Tx, edit: &Edit) -> Result<(), EditError> {
    let now = tx.now;
    match edit {
        Edit::AddCustomer { id, fields } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.customers.len() >= MAX_CUSTOMERS {
                return Err(EditError::Limit { kind: Kind::Customer, max: MAX_CUSTOMERS });
            }
            check_customer(tx.ws, fields)?;
            tx.put(customer_from(*id, fields, now));
        }
        Edit::UpdateCustomer { id, fields } => {
            let old = tx.ws.customers.get(id).ok_or(EditError::NotFound { kind: Kind::Customer, id: *id })?;
            check_customer(tx.ws, fields)?;
            let mut c = customer_from(*id, fields, now);
            c.rev = old.rev;
            tx.put(c);
        }
        Edit::DeleteCustomer { id } => {
            if !tx.ws.customers.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Customer, id: *id });
            }
            let count = tx.ws.opportunities.values().filter(|o| o.customer == *id).count();
            if count > 0 {
                return Err(EditError::CustomerHasDeals { count });
            }
            let count = tx.ws.activities.values().filter(|a| a.customer == *id).count();
            if count > 0 {
                return Err(EditError::CustomerHasActivities { count });
            }
            super::work::detach_customer(tx, *id);
            tx.delete::<Customer>(*id);
        }
        Edit::AddOpportunity { id, fields: f, by } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.opportunities.len() >= MAX_OPPORTUNITIES {
                return Err(EditError::Limit { kind: Kind::Opportunity, max: MAX_OPPORTUNITIES });
            }
            let stage = check_opportunity(tx.ws, f)?;
            let o = Opportunity {
                id: *id,
                rev: 0,
                updated_at: now,
                name: f.name.trim().to_string(),
                customer: f.customer,
                owner: f.owner,
                amount: f.amount,
                close_date: f.close_date,
                stage: f.stage,
                probability: f.probability,
                category: category_in(stage, f.category),
                notes: f.notes.clone(),
                created: f.created,
                // A deal added already won or lost closed on its close date.
                closed: (stage.outcome != Outcome::Open).then_some(f.close_date),
                loss_reason: f.loss_reason.clone(),
                margin: f.margin,
                history: vec![StageChange { on: f.created, from: None, to: f.stage, by: *by }],
                changes: Vec::new(),
            };
            tx.put(o);
        }
        Edit::UpdateOpportunity { id, fields: f, on, by } => {
            check_date(*on)?;
            let mut o = tx.ws.opportunities.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Opportunity, id: *id })?;
            let stage = check_opportunity(tx.ws, f)?.clone();
            let moved = o.stage != stage.id;
            let (old_probability, old_category) = (o.probability, o.category);
            enter_stage(&mut o, &stage, *on, *by);
            let change = DealChange {
                on: *on,
                amount: (o.amount != f.amount).then_some((o.amount, f.amount)),
                close_date: (o.close_date != f.close_date).then_some((o.close_date, f.close_date)),
                by: *by,
            };
            if change.amount.is_some() || change.close_date.is_some() {
                o.changes.push(change);
                if o.changes.len() > MAX_STAGE_HISTORY {
                    let extra = o.changes.len() - MAX_STAGE_HISTORY;
                    o.changes.drain(..extra);
                }
            }
            o.name = f.name.trim().to_string();
            o.customer = f.customer;
            o.owner = f.owner;
            o.amount = f.amount;
            o.close_date = f.close_date;
            o.notes = f.notes.clone();
            o.created = f.created;
            o.loss_reason = f.loss_reason.clone();
            o.margin = f.margin;
            // On a stage change, untouched probability and category follow the stage.
            o.probability = if moved && f.probability == old_probability { stage.probability } else { f.probability };
            let asked = if moved && f.category == old_category { stage.category } else { f.category };
            o.category = category_in(&stage, asked);
            tx.put(o);
        }
        Edit::SetStage { id, stage, on, by } => {
            check_date(*on)?;
            let mut o = tx.ws.opportunities.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Opportunity, id: *id })?;
            let stage = tx.ws.stages.get(stage).cloned().ok_or(EditError::NotFound { kind: Kind::Stage, id: *stage })?;
            if o.stage == stage.id {
                return Ok(());
            }
            enter_stage(&mut o, &stage, *on, *by);
            o.probability = stage.probability;
            o.category = category_in(&stage, stage.category);
            tx.put(o);
        }
        Edit::DeleteOpportunity { id } => {
            if !tx.ws.opportunities.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Opportunity, id: *id });
            }
            super::work::detach_deal(tx, *id);
            tx.delete::<Opportunity>(*id);
        }
        Edit::AddStage { id, fields } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.stages.len() >= MAX_STAGES {
                return Err(EditError::Limit { kind: Kind::Stage, max: MAX_STAGES });
            }
            stage_fields(fields)?;
            // New open stages go before the first closing one.
            let order = match fields.outcome {
                Outcome::Open => tx.ws.stages.values().filter(|s| s.outcome != Outcome::Open).map(|s| s.order).min(),
                _ => None,
            };
            let order = order.unwrap_or_else(|| tx.ws.stages.values().map(|s| s.order + 1).max().unwrap_or(0));
            let s = stage_from(*id, fields, order, now);
            tx.put(s);
            renumber(tx, *id, order);
        }
        Edit::UpdateStage { id, fields } => {
            stage_fields(fields)?;
            let old = tx.ws.stages.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Stage, id: *id })?;
            if old.outcome != fields.outcome {
                let count = tx.ws.opportunities.values().filter(|o| o.stage == *id).count();
                if count > 0 {
                    return Err(EditError::StageInUse { count });
                }
            }
            let mut s = stage_from(*id, fields, old.order, now);
            s.rev = old.rev;
            tx.put(s);
            check_outcomes(tx.ws)?;
        }
        Edit::MoveStage { id, order } => {
            if !tx.ws.stages.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Stage, id: *id });
            }
            renumber(tx, *id, *order);
        }
        Edit::RemoveStage { id } => {
            if !tx.ws.stages.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Stage, id: *id });
            }
            let count = tx.ws.opportunities.values().filter(|o| o.stage == *id).count();
            if count > 0 {
                return Err(EditError::StageInUse { count });
            }
            tx.delete::<Stage>(*id);
            check_outcomes(tx.ws)?;
            let first = tx.ws.stages_in_order().first().map(|s| s.id);
            if let Some(first) = first {
                renumber(tx, first, 0);
            }
        }
        Edit::SetOverride { owner, year, period, category, amount, note, by } => {
            if !tx.ws.units.contains_key(owner) && !tx.ws.people.contains_key(owner) {
                return Err(EditError::NotFound { kind: Kind::Unit, id: *owner });
            }
            if !period.valid() || !crate::limits::year_ok(*year) {
                return Err(EditError::BadPeriod);
            }
            check_text("note", note, MAX_NOTE_CHARS)?;
            let id = ForecastOverride::id_for(*owner, *year, *period, *category);
            match amount {
                Some(a) => {
                    // One call per owner and period: a call on another figure goes.
                    for other in crate::engine::crm::CALL_CATEGORIES.iter().filter(|c| *c != category) {
                        let other = ForecastOverride::id_for(*owner, *year, *period, *other);
                        if tx.ws.overrides.contains_key(&other) {
                            tx.delete::<ForecastOverride>(other);
                        }
                    }
                    if a.0 < 0 || a.0 > MAX_AMOUNT {
                        return Err(EditError::AmountOutOfRange);
                    }
                    let rev = tx.ws.overrides.get(&id).map(|o| o.rev).unwrap_or(0);
                    let f = ForecastOverride {
                        id,
                        rev,
                        updated_at: now,
                        owner: *owner,
                        year: *year,
                        period: *period,
                        category: *category,
                        amount: *a,
                        note: note.trim().to_string(),
                        by: *by,
                    };
                    tx.put(f);
                }
                None => tx.delete::<ForecastOverride>(id),
            }
        }
        _ => unreachable!("not a CRM edit"),
    }
    Ok(())
}

fn customer_from(id: Id, f: &crate::edit::CustomerFields, now: chrono::DateTime<chrono::Utc>) -> Customer {
    Customer {
        id,
        rev: 0,
        updated_at: now,
        name: f.name.trim().to_string(),
        industry: f.industry.trim().to_string(),
        region: f.region.trim().to_string(),
        segment: f.segment,
        owner: f.owner,
        key_account: f.key_account,
        status: f.status,
        notes: f.notes.clone(),
        created: f.created,
        contacts: f.contacts.iter().filter(|c| !c.name.trim().is_empty()).cloned().collect(),
    }
}

fn stage_from(id: Id, f: &crate::edit::StageFields, order: u32, now: chrono::DateTime<chrono::Utc>) -> Stage {
    Stage {
        id,
        rev: 0,
        updated_at: now,
        name: f.name.clone(),
        order,
        probability: f.probability,
        outcome: f.outcome,
        category: settle(f.outcome, f.category, ForecastCategory::Pipeline),
        stale_days: f.stale_days,
    }
}

/// Puts stage `id` at position `order` and numbers the others 0, 1, 2, ...
fn renumber(tx: &mut Tx, id: Id, order: u32) {
    let mut ids: Vec<Id> = tx.ws.stages_in_order().iter().map(|s| s.id).filter(|s| *s != id).collect();
    let at = (order as usize).min(ids.len());
    ids.insert(at, id);
    for (i, sid) in ids.into_iter().enumerate() {
        let s = &tx.ws.stages[&sid];
        if s.order != i as u32 {
            let mut s = s.clone();
            s.order = i as u32;
            tx.put(s);
        }
    }
}
