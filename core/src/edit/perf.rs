//! Pillar 3 edits: scorecard templates, the KPI library and manual entries,
//! rating bands, incentive plans, bonus pools and SPIFs. Each record is
//! checked by the same function whole-document validation uses.

use super::fields::{check_name, check_new_id};
use super::{EditError, Tx};
use crate::edit::Edit;
use crate::engine::validate::{check_bands, check_entry, check_plan, check_pool, check_scorecard, check_spif, Problem};
use crate::limits::*;
use crate::model::*;
use crate::sort::Arrange;

fn refuse(ws: &Workspace, problems: Vec<Problem>) -> Result<(), EditError> {
    match problems.into_iter().next() {
        Some(p) => {
            let names = crate::engine::validate::Names::lookup(ws, p.ids());
            Err(EditError::Invalid(Box::new(p), names))
        }
        None => Ok(()),
    }
}

/// A new record: its id is free and its section has room.
fn check_new(ws: &Workspace, id: Id, count: usize, kind: Kind, max: usize) -> Result<(), EditError> {
    check_new_id(ws, id)?;
    if count >= max {
        return Err(EditError::Limit { kind, max });
    }
    Ok(())
}

pub(super) fn perf(tx: &mut Tx, edit: &Edit) -> Result<(), EditError> {
    let now = tx.now;
    match edit {
        Edit::SetScorecard { tier, lines } => {
            let id = ScorecardTemplate::id_for(*tier);
            let t = ScorecardTemplate { id, rev: 0, updated_at: now, tier: *tier, lines: lines.clone() };
            refuse(tx.ws, check_scorecard(tx.ws, &t))?;
            tx.put(t);
        }
        Edit::AddKpi { id, name } => {
            check_new(tx.ws, *id, tx.ws.kpis.len(), Kind::Kpi, MAX_CUSTOM_KPIS)?;
            check_name(name)?;
            tx.put(CustomKpi { id: *id, rev: 0, updated_at: now, name: name.clone() });
        }
        Edit::RenameKpi { id, name } => {
            check_name(name)?;
            let mut k = tx.ws.kpis.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Kpi, id: *id })?;
            k.name = name.clone();
            tx.put(k);
        }
        Edit::RemoveKpi { id } => {
            if !tx.ws.kpis.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Kpi, id: *id });
            }
            let cards = tx.ws.scorecards.values().filter(|t| t.lines.iter().any(|l| l.kpi == KpiKind::Custom(*id))).count();
            if cards > 0 {
                return Err(EditError::KpiInUse { cards });
            }
            let entries: Vec<Id> = tx.ws.kpi_entries.values().filter(|e| e.kpi == KpiKind::Custom(*id)).map(|e| e.id).collect();
            for e in entries {
                tx.delete::<KpiEntry>(e);
            }
            tx.delete::<CustomKpi>(*id);
        }
        Edit::SetKpiEntry { person, kpi, year, period, figures, note, by } => {
            let id = KpiEntry::id_for(*person, *kpi, *year, *period);
            match figures {
                None => tx.delete::<KpiEntry>(id),
                Some(_) if !kpi.is_manual() => {
                    // Counted, not entered (activities since version 8).
                    refuse(tx.ws, vec![crate::engine::validate::Problem::NotManual { id }])?;
                }
                Some((actual, target)) => {
                    if !tx.ws.kpi_entries.contains_key(&id) && tx.ws.kpi_entries.len() >= MAX_KPI_ENTRIES {
                        return Err(EditError::Limit { kind: Kind::KpiEntry, max: MAX_KPI_ENTRIES });
                    }
                    let e = KpiEntry {
                        id,
                        rev: 0,
                        updated_at: now,
                        person: *person,
                        kpi: *kpi,
                        year: *year,
                        period: *period,
                        actual: *actual,
                        target: *target,
                        by: *by,
                        note: note.trim().to_string(),
                    };
                    refuse(tx.ws, check_entry(tx.ws, &e))?;
                    tx.put(e);
                }
            }
        }
        Edit::SetBands { bands } => {
            let prior = tx.ws.performance.clone();
            let next = PerfSettings { rev: prior.rev + 1, updated_at: now, bands: bands.clone() };
            refuse(tx.ws, check_bands(&next))?;
            tx.performance(next);
        }
        Edit::PutPlan { plan } => {
            if !tx.ws.incentive_plans.contains_key(&plan.id) {
                check_new(tx.ws, plan.id, tx.ws.incentive_plans.len(), Kind::IncentivePlan, MAX_PLANS)?;
            }
            let mut p = plan.clone();
            p.rules.tiers.arrange_by_key(|t| t.from_bp);
            refuse(tx.ws, check_plan(tx.ws, &p))?;
            tx.put(p);
        }
        Edit::DeletePlan { id } => {
            if !tx.ws.incentive_plans.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::IncentivePlan, id: *id });
            }
            tx.delete::<IncentivePlan>(*id);
        }
        Edit::SetPool { unit, year, period, pool } => {
            let id = BonusPool::id_for(*unit, *year, *period);
            match pool {
                None => tx.delete::<BonusPool>(id),
                Some(f) => {
                    if !tx.ws.pools.contains_key(&id) && tx.ws.pools.len() >= MAX_POOLS {
                        return Err(EditError::Limit { kind: Kind::Pool, max: MAX_POOLS });
                    }
                    let b = BonusPool {
                        id,
                        rev: 0,
                        updated_at: now,
                        unit: *unit,
                        year: *year,
                        period: *period,
                        amount: f.amount,
                        member_cap: f.member_cap,
                        weights: f.weights.clone(),
                    };
                    refuse(tx.ws, check_pool(tx.ws, &b))?;
                    tx.put(b);
                }
            }
        }
        Edit::PutSpif { spif } => {
            if !tx.ws.spifs.contains_key(&spif.id) {
                check_new(tx.ws, spif.id, tx.ws.spifs.len(), Kind::Spif, MAX_SPIFS)?;
            }
            refuse(tx.ws, check_spif(tx.ws, spif))?;
            tx.put(spif.clone());
        }
        Edit::DeleteSpif { id } => {
            if !tx.ws.spifs.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Spif, id: *id });
            }
            tx.delete::<Spif>(*id);
        }
        _ => unreachable!("not a performance edit"),
    }
    Ok(())
}

/// What a deleted person or unit leaves behind in pillar 3: their KPI
/// entries and pools go, plans and pools stop naming them.
pub(super) fn purge(tx: &mut Tx, owner: Id) {
    let entries: Vec<Id> = tx.ws.kpi_entries.values().filter(|e| e.person == owner).map(|e| e.id).collect();
    for e in entries {
        tx.delete::<KpiEntry>(e);
    }
    let pools: Vec<Id> = tx.ws.pools.values().filter(|b| b.unit == owner).map(|b| b.id).collect();
    for b in pools {
        tx.delete::<BonusPool>(b);
    }
    let weighted: Vec<BonusPool> = tx.ws.pools.values().filter(|b| b.weights.contains_key(&owner)).cloned().collect();
    for mut b in weighted {
        b.weights.remove(&owner);
        tx.put(b);
    }
    let plans: Vec<IncentivePlan> = tx.ws.incentive_plans.values().filter(|p| p.people.contains(&owner)).cloned().collect();
    for mut p in plans {
        p.people.remove(&owner);
        tx.put(p);
    }
}

/// A removed tier takes its scorecard with it; plans and SPIFs for it
/// apply to nobody by tier any more.
pub(super) fn purge_tier(tx: &mut Tx, tier: Id) {
    let card = ScorecardTemplate::id_for(tier);
    if tx.ws.scorecards.contains_key(&card) {
        tx.delete::<ScorecardTemplate>(card);
    }
    let plans: Vec<IncentivePlan> = tx.ws.incentive_plans.values().filter(|p| p.tier == Some(tier)).cloned().collect();
    for mut p in plans {
        p.tier = None;
        tx.put(p);
    }
    let spifs: Vec<Spif> = tx.ws.spifs.values().filter(|s| s.tier == Some(tier)).cloned().collect();
    for mut s in spifs {
        s.tier = None;
        tx.put(s);
    }
}
