//! Pillar 2 edits: targets and cascades, budgets, headcount and capacity
//! assumptions, locked months, budget categories, tools and their seats,
//! time splits and scenarios, with the checks on plan keys, amounts and
//! locked periods.

use super::fields::{check_name, check_new_id};
use super::org::{person, unit};
use super::tx::restamp;
use super::{Edit, EditError, Tx};
use crate::calendar::Period;
use crate::engine::plan::Method;
use crate::limits::{MAX_BUFFER_BP, MAX_TARGET_WEIGHT};
use crate::model::*;

pub(super) fn plan(tx: &mut Tx, edit: &Edit) -> Result<(), EditError> {
    match edit {
        Edit::SetTarget { scenario, owner, kind, year, period, amount } => {
            check_plan_key(tx.ws, *owner, *year, *period)?;
            check_amount(*amount)?;
            if scenario.is_none() {
                check_unlocked(tx.ws, *year, *period)?;
            }
            let plan = tx.ws.plan_of(*scenario).ok_or(EditError::NotFound { kind: Kind::Scenario, id: scenario.unwrap_or(*owner) })?;
            let mut line = plan.target(*owner, *kind, *year).cloned().unwrap_or_else(|| TargetLine::new(*owner, *kind, *year, tx.now));
            crate::engine::plan::spread_in(&mut line.months, *period, *amount, kind.is_money());
            if line.months.iter().any(|m| *m < 0 || *m > crate::engine::validate::MAX_AMOUNT) {
                return Err(EditError::AmountOutOfRange);
            }
            tx.write_target(*scenario, line)?;
        }
        Edit::SetTargetOptions { scenario, owner, kind, year, locked, weight, buffer_bp } => {
            check_plan_key(tx.ws, *owner, *year, Period::Year)?;
            if weight.is_some_and(|w| w > MAX_TARGET_WEIGHT) || buffer_bp.is_some_and(|b| b > MAX_BUFFER_BP) {
                return Err(EditError::AmountOutOfRange);
            }
            let plan = tx.ws.plan_of(*scenario).ok_or(EditError::NotFound { kind: Kind::Scenario, id: scenario.unwrap_or(*owner) })?;
            let mut line = plan.target(*owner, *kind, *year).cloned().unwrap_or_else(|| TargetLine::new(*owner, *kind, *year, tx.now));
            if let Some(l) = locked {
                line.locked = *l;
            }
            if let Some(w) = weight {
                line.weight = *w;
            }
            if let Some(b) = buffer_bp {
                line.buffer_bp = *b;
            }
            tx.write_target(*scenario, line)?;
        }
        Edit::Cascade { scenario, unit: uid, kind, year, period, method, deep } => {
            unit(tx.ws, *uid)?;
            check_plan_key(tx.ws, *uid, *year, *period)?;
            if scenario.is_none() {
                check_unlocked(tx.ws, *year, *period)?;
            }
            let plan = tx.ws.plan_of(*scenario).ok_or(EditError::NotFound { kind: Kind::Scenario, id: scenario.unwrap_or(*uid) })?;
            let run = if *deep { crate::engine::plan::cascade_deep } else { crate::engine::plan::cascade };
            let spec = crate::engine::plan::Spec { unit: *uid, kind: *kind, year: *year, period: *period, method: *method };
            // The "by last year's share" method reads last year's won revenue.
            let won = (*method == Method::History && *kind == TargetKind::Revenue)
                .then(|| crate::engine::crm::won_in_year(tx.ws, &crate::engine::index::Index::new(tx.ws), *year - 1));
            let lines = run(tx.ws, plan, &spec, won.as_ref()).map_err(|e| match e {
                crate::engine::plan::CascadeError::NoChildren => EditError::NoChildren,
                crate::engine::plan::CascadeError::NoParentTarget => EditError::NoParentTarget,
                crate::engine::plan::CascadeError::LockedExceed { over, .. } => EditError::LockedExceed { over },
            })?;
            for l in lines {
                tx.write_target(*scenario, l)?;
            }
        }
        Edit::SetBudget { scenario, unit: uid, year, category, amount } => {
            unit(tx.ws, *uid)?;
            if !tx.ws.categories.contains_key(category) {
                return Err(EditError::NotFound { kind: Kind::Category, id: *category });
            }
            check_plan_key(tx.ws, *uid, *year, Period::Year)?;
            check_amount(amount.0)?;
            let plan = tx.ws.plan_of(*scenario).ok_or(EditError::NotFound { kind: Kind::Scenario, id: scenario.unwrap_or(*uid) })?;
            if let Some(available) = crate::engine::plan::budget_headroom(tx.ws, plan, *uid, *year, *category) {
                if *amount > available {
                    return Err(EditError::BudgetExceedsParent { available: Money(available.0.max(0)) });
                }
            }
            let allocated = crate::engine::plan::budget_allocated(tx.ws, plan, *uid, *year, *category);
            if *amount < allocated {
                return Err(EditError::BudgetBelowChildren { allocated });
            }
            let id = BudgetLine::id_for(*uid, *year, *category);
            let rev = tx.plan_rev(*scenario, |p| p.budgets.get(&id).map(|b| b.rev));
            let line = BudgetLine { id, rev, updated_at: tx.now, unit: *uid, year: *year, category: *category, amount: *amount };
            tx.plan(*scenario)?.budgets.insert(id, line);
        }
        Edit::SetHeadcount { scenario, unit: uid, year, hires, attrition } => {
            unit(tx.ws, *uid)?;
            check_plan_key(tx.ws, *uid, *year, Period::Year)?;
            if !crate::engine::validate::hires_ok(hires, *attrition) {
                return Err(EditError::AmountOutOfRange);
            }
            let id = HeadcountPlan::id_for(*uid, *year);
            let rev = tx.plan_rev(*scenario, |p| p.headcount.get(&id).map(|b| b.rev));
            let h = HeadcountPlan { id, rev, updated_at: tx.now, unit: *uid, year: *year, hires: hires.clone(), attrition: *attrition };
            tx.plan(*scenario)?.headcount.insert(id, h);
        }
        Edit::SetAssumptions { scenario, quota_per_rep, expected_attainment, ramp } => {
            check_amount(quota_per_rep.0)?;
            if !(1..=crate::limits::MAX_EXPECTED_ATTAINMENT).contains(expected_attainment)
                || ramp.len() > crate::limits::MAX_RAMP_MONTHS
                || ramp.iter().any(|r| *r > 100)
            {
                return Err(EditError::AmountOutOfRange);
            }
            let rev = tx.plan_rev(*scenario, |p| Some(p.assumptions.rev));
            let now = tx.now;
            tx.plan(*scenario)?.assumptions = Assumptions {
                rev,
                updated_at: now,
                quota_per_rep: *quota_per_rep,
                expected_attainment: *expected_attainment,
                ramp: ramp.clone(),
            };
        }
        Edit::LockMonths { year, months, locked } => {
            if !crate::limits::year_ok(*year) || months.iter().any(|m| !(1..=12).contains(m)) {
                return Err(EditError::BadPeriod);
            }
            let (year, months, locked) = (*year, months.clone(), *locked);
            tx.settings(move |s| {
                for m in months {
                    if locked {
                        s.locked_months.insert((year, m));
                    } else {
                        s.locked_months.remove(&(year, m));
                    }
                }
            });
        }
        Edit::AddCategory { id, name } => {
            check_new_id(tx.ws, *id)?;
            check_name(name)?;
            if tx.ws.categories.len() >= crate::limits::MAX_CATEGORIES {
                return Err(EditError::Limit { kind: Kind::Category, max: 30 });
            }
            let order = tx.ws.categories.values().map(|c| c.order + 1).max().unwrap_or(0);
            tx.put(Category { id: *id, rev: 0, updated_at: tx.now, name: name.clone(), order, tools: false });
        }
        Edit::RenameCategory { id, name } => {
            check_name(name)?;
            let mut c = tx.ws.categories.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Category, id: *id })?;
            c.name = name.clone();
            tx.put(c);
        }
        Edit::RemoveCategory { id } => {
            if !tx.ws.categories.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Category, id: *id });
            }
            let used = std::iter::once(&tx.ws.plan)
                .chain(tx.ws.scenarios.values().map(|s| &s.plan))
                .any(|p| p.budgets.values().any(|b| b.category == *id && b.amount.0 != 0));
            if used {
                return Err(EditError::CategoryInUse);
            }
            let id = *id;
            tx.plan(None)?.budgets.retain(|_, b| b.category != id);
            let scenarios: Vec<Id> = tx.ws.scenarios.keys().copied().collect();
            for s in scenarios {
                tx.plan(Some(s))?.budgets.retain(|_, b| b.category != id);
            }
            tx.delete::<Category>(id);
        }
        Edit::AddTool { id, name, cost_per_seat } => {
            check_new_id(tx.ws, *id)?;
            check_name(name)?;
            check_amount(cost_per_seat.0)?;
            tx.put(Tool {
                id: *id,
                rev: 0,
                updated_at: tx.now,
                name: name.clone(),
                cost_per_seat: *cost_per_seat,
                seats: Default::default(),
            });
        }
        Edit::UpdateTool { id, name, cost_per_seat } => {
            check_name(name)?;
            check_amount(cost_per_seat.0)?;
            let mut t = tx.ws.tools.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Tool, id: *id })?;
            t.name = name.clone();
            t.cost_per_seat = *cost_per_seat;
            tx.put(t);
        }
        Edit::SetSeat { tool, person: pid, on } => {
            person(tx.ws, *pid)?;
            let mut t = tx.ws.tools.get(tool).cloned().ok_or(EditError::NotFound { kind: Kind::Tool, id: *tool })?;
            let changed = if *on { t.seats.insert(*pid) } else { t.seats.remove(pid) };
            if changed {
                tx.put(t);
            }
        }
        Edit::RemoveTool { id } => {
            if !tx.ws.tools.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Tool, id: *id });
            }
            tx.delete::<Tool>(*id);
        }
        Edit::SetTimeSplit { owner, split } => {
            if !tx.ws.tiers.contains_key(owner) && !tx.ws.people.contains_key(owner) {
                return Err(EditError::NotFound { kind: Kind::Person, id: *owner });
            }
            let id = TimeSplit::id_for(*owner);
            match split {
                Some(sp) => {
                    if sp.total() != 100 {
                        return Err(EditError::SplitNot100 { total: sp.total() });
                    }
                    tx.put(TimeSplit { id, rev: 0, updated_at: tx.now, owner: *owner, split: *sp });
                }
                None => tx.delete::<TimeSplit>(id),
            }
        }
        Edit::CreateScenario { id, name, from } => {
            check_new_id(tx.ws, *id)?;
            check_name(name)?;
            if tx.ws.scenarios.len() >= crate::limits::MAX_SCENARIOS {
                return Err(EditError::Limit { kind: Kind::Scenario, max: 20 });
            }
            let plan = tx.ws.plan_of(*from).cloned().ok_or(EditError::NotFound { kind: Kind::Scenario, id: from.unwrap_or(*id) })?;
            tx.put(Scenario { id: *id, rev: 0, updated_at: tx.now, name: name.clone(), created_at: tx.now, plan });
        }
        Edit::RenameScenario { id, name } => {
            check_name(name)?;
            let mut sc = tx.ws.scenarios.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Scenario, id: *id })?;
            sc.name = name.clone();
            tx.put(sc);
        }
        Edit::DeleteScenario { id } => {
            if !tx.ws.scenarios.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Scenario, id: *id });
            }
            tx.delete::<Scenario>(*id);
        }
        Edit::AdoptScenario { id } => {
            let sc = tx.ws.scenarios.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Scenario, id: *id })?;
            let locked = tx.ws.settings.locked_months.clone();
            let base = tx.ws.plan.clone();
            let now = tx.now;
            let plan = tx.plan(None)?;
            let mut next = sc.plan;
            // Locked months keep the plan's numbers.
            for line in next.targets.values_mut() {
                let old = base.targets.get(&line.id);
                for m in 0..MONTHS {
                    if locked.contains(&(line.year, m as u8 + 1)) {
                        line.months[m] = old.map(|o| o.months[m]).unwrap_or(0);
                    }
                }
            }
            // Every line that differs from the plan is a new revision.
            restamp(&mut next.targets, &base.targets, now, |l| l.rev, |l, r, t| (l.rev, l.updated_at) = (r, t));
            restamp(&mut next.budgets, &base.budgets, now, |l| l.rev, |l, r, t| (l.rev, l.updated_at) = (r, t));
            restamp(&mut next.headcount, &base.headcount, now, |l| l.rev, |l, r, t| (l.rev, l.updated_at) = (r, t));
            if next.assumptions != base.assumptions {
                next.assumptions.rev = base.assumptions.rev.max(next.assumptions.rev) + 1;
                next.assumptions.updated_at = now;
            }
            *plan = next;
        }
        _ => unreachable!("not a plan edit"),
    }
    Ok(())
}

/// After a move: the unit's budgets must fit what its new parent has left,
/// in the plan and in every scenario.
pub(super) fn check_budget_fit(ws: &Workspace, unit: Id) -> Result<(), EditError> {
    for plan in std::iter::once(&ws.plan).chain(ws.scenarios.values().map(|s| &s.plan)) {
        for b in plan.budgets.values().filter(|b| b.unit == unit && b.amount.0 > 0) {
            if let Some(available) = crate::engine::plan::budget_headroom(ws, plan, unit, b.year, b.category) {
                if b.amount > available {
                    return Err(EditError::BudgetExceedsParent { available: Money(available.0.max(0)) });
                }
            }
        }
    }
    Ok(())
}

fn check_amount(v: i64) -> Result<(), EditError> {
    if (0..=crate::engine::validate::MAX_AMOUNT).contains(&v) {
        Ok(())
    } else {
        Err(EditError::AmountOutOfRange)
    }
}

fn check_plan_key(ws: &Workspace, owner: Id, year: i32, period: Period) -> Result<(), EditError> {
    if !ws.units.contains_key(&owner) && !ws.people.contains_key(&owner) {
        return Err(EditError::NotFound { kind: Kind::Unit, id: owner });
    }
    if !crate::limits::year_ok(year) || !period.valid() {
        return Err(EditError::BadPeriod);
    }
    Ok(())
}

fn check_unlocked(ws: &Workspace, year: i32, period: Period) -> Result<(), EditError> {
    for m in period.months() {
        let month = m as u8 + 1;
        if ws.settings.locked_months.contains(&(year, month)) {
            return Err(EditError::PeriodLocked { year, month });
        }
    }
    Ok(())
}

/// Removes what a deleted unit or person owned: plan lines (plan and
/// scenarios), tool seats, time split.
pub(super) fn purge_owner(tx: &mut Tx, owner: Id) -> Result<(), EditError> {
    let owns = |p: &Plan| {
        p.targets.values().any(|t| t.owner == owner)
            || p.budgets.values().any(|b| b.unit == owner)
            || p.headcount.values().any(|h| h.unit == owner)
    };
    let purge = |p: &mut Plan| {
        p.targets.retain(|_, t| t.owner != owner);
        p.budgets.retain(|_, b| b.unit != owner);
        p.headcount.retain(|_, h| h.unit != owner);
    };
    if owns(&tx.ws.plan) {
        purge(tx.plan(None)?);
    }
    let scenarios: Vec<Id> = tx.ws.scenarios.iter().filter(|(_, s)| owns(&s.plan)).map(|(id, _)| *id).collect();
    for s in scenarios {
        purge(tx.plan(Some(s))?);
    }
    let tools: Vec<Tool> = tx.ws.tools.values().filter(|t| t.seats.contains(&owner)).cloned().collect();
    for mut t in tools {
        t.seats.remove(&owner);
        tx.put(t);
    }
    if tx.ws.time_splits.contains_key(&TimeSplit::id_for(owner)) {
        tx.delete::<TimeSplit>(TimeSplit::id_for(owner));
    }
    let overrides: Vec<Id> = tx.ws.overrides.values().filter(|o| o.owner == owner || o.by == Some(owner)).map(|o| o.id).collect();
    for o in overrides {
        tx.delete::<ForecastOverride>(o);
    }
    Ok(())
}
