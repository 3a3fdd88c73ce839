//! Record-by-record merge of two copies of one workspace.
//!
//! For each id the newer version wins: higher revision, then later
//! timestamp, then (for a true tie) a deletion over a live record, then the
//! larger serialised form so both sides pick the same winner. The result is
//! the same whichever side is "ours" (commutative) and merging a copy with
//! itself changes nothing (idempotent).
//!
//! Used now for two browser tabs editing the same workspace; manager-to-
//! manager file merge builds on it.

use crate::engine::validate::{validate, Problem};
use crate::model::*;
use crate::sort::Gather;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeError {
    /// The two copies are different workspaces.
    DifferentWorkspace,
    /// The merged document breaks a rule (e.g. one side deleted a unit the
    /// other moved people into). Nothing is merged.
    Invalid(Vec<Problem>, super::validate::Names),
}

/// Merge statistics for the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    pub taken_from_theirs: usize,
    pub kept_ours: usize,
}

enum Version<'a, T> {
    Live(&'a T),
    Dead(&'a Tombstone),
}

fn key<T: Serialize>(
    v: &Version<'_, T>,
    rev: impl Fn(&T) -> (u64, chrono::DateTime<chrono::Utc>),
) -> (u64, chrono::DateTime<chrono::Utc>, u8, String) {
    match v {
        Version::Live(x) => {
            let (r, t) = rev(x);
            (r, t, 0, serde_json::to_string(x).unwrap_or_default())
        }
        Version::Dead(t) => (t.rev, t.deleted_at, 1, String::new()),
    }
}

/// One section of the document: its live records and the tombstones of
/// its kind, on both sides, into the merged output.
#[allow(clippy::too_many_arguments)] // the two sides and the two outputs of one section, spelled out
fn merge_section<T: Clone + Serialize>(
    ours: &BTreeMap<Id, T>,
    theirs: &BTreeMap<Id, T>,
    our_tombs: &BTreeMap<Id, Tombstone>,
    their_tombs: &BTreeMap<Id, Tombstone>,
    kind: Kind,
    stamp: impl Fn(&T) -> (u64, chrono::DateTime<chrono::Utc>) + Copy,
    out_live: &mut BTreeMap<Id, T>,
    out_tombs: &mut BTreeMap<Id, Tombstone>,
    report: &mut MergeReport,
) {
    let ids: BTreeSet<Id> = ours
        .keys()
        .chain(theirs.keys())
        .copied()
        .chain(our_tombs.values().chain(their_tombs.values()).filter(|t| t.kind == kind).map(|t| t.id))
        .gather_set();
    for id in ids {
        let a = ours.get(&id).map(Version::Live).or_else(|| our_tombs.get(&id).map(Version::Dead));
        let b = theirs.get(&id).map(Version::Live).or_else(|| their_tombs.get(&id).map(Version::Dead));
        let (winner, from_theirs) = match (a, b) {
            (Some(a), None) => (a, false),
            (None, Some(b)) => (b, true),
            (Some(a), Some(b)) => {
                if key(&b, stamp) > key(&a, stamp) {
                    (b, true)
                } else {
                    (a, false)
                }
            }
            (None, None) => continue,
        };
        if from_theirs {
            report.taken_from_theirs += 1;
        } else {
            report.kept_ours += 1;
        }
        match winner {
            Version::Live(x) => {
                out_live.insert(id, x.clone());
            }
            Version::Dead(t) => {
                out_tombs.insert(id, t.clone());
            }
        }
    }
}

/// Last writer wins for a single record (settings, assumptions, bands):
/// higher revision, then later timestamp, then the larger serialised form,
/// so both sides pick the same one. True when `theirs` wins.
fn theirs_win<T: Serialize>(a: &T, b: &T, stamp: impl Fn(&T) -> (u64, chrono::DateTime<chrono::Utc>)) -> bool {
    let key = |x: &T| (stamp(x), serde_json::to_string(x).unwrap_or_default());
    key(b) > key(a)
}

fn lww<T: Serialize + Clone>(a: &T, b: &T, stamp: impl Fn(&T) -> (u64, chrono::DateTime<chrono::Utc>)) -> T {
    if theirs_win(a, b, stamp) {
        b.clone()
    } else {
        a.clone()
    }
}

/// Merges `theirs` into `ours`. The result is validated; an invalid merge
/// is refused whole.
pub fn merge(ours: &Workspace, theirs: &Workspace) -> Result<(Workspace, MergeReport), MergeError> {
    if ours.meta.id != theirs.meta.id {
        return Err(MergeError::DifferentWorkspace);
    }
    let mut report = MergeReport::default();
    let settings = if theirs_win(&ours.settings, &theirs.settings, |s| (s.rev, s.updated_at)) {
        report.taken_from_theirs += 1;
        theirs.settings.clone()
    } else {
        report.kept_ours += 1;
        ours.settings.clone()
    };
    let mut out = Workspace {
        schema_version: ours.schema_version,
        meta: ours.meta.clone(),
        settings,
        tiers: BTreeMap::new(),
        units: BTreeMap::new(),
        people: BTreeMap::new(),
        skills: BTreeMap::new(),
        grades: BTreeMap::new(),
        plan: Plan {
            targets: BTreeMap::new(),
            budgets: BTreeMap::new(),
            headcount: BTreeMap::new(),
            assumptions: lww(&ours.plan.assumptions, &theirs.plan.assumptions, |x| (x.rev, x.updated_at)),
        },
        scenarios: BTreeMap::new(),
        categories: BTreeMap::new(),
        tools: BTreeMap::new(),
        time_splits: BTreeMap::new(),
        customers: BTreeMap::new(),
        stages: BTreeMap::new(),
        opportunities: BTreeMap::new(),
        overrides: BTreeMap::new(),
        scorecards: BTreeMap::new(),
        kpis: BTreeMap::new(),
        kpi_entries: BTreeMap::new(),
        performance: lww(&ours.performance, &theirs.performance, |x| (x.rev, x.updated_at)),
        incentive_plans: BTreeMap::new(),
        pools: BTreeMap::new(),
        spifs: BTreeMap::new(),
        activities: BTreeMap::new(),
        tasks: BTreeMap::new(),
        tombstones: BTreeMap::new(),
        // The branch a workspace was issued as: the later issue wins (one
        // tab opened a newer file of the branch).
        branch: match (&ours.branch, &theirs.branch) {
            (Some(a), Some(b)) => Some(if theirs_win(a, b, |x| (0, x.issued_at)) { b.clone() } else { a.clone() }),
            (a, b) => a.clone().or_else(|| b.clone()),
        },
        exchange: BTreeMap::new(),
        keys: BTreeMap::new(),
    };
    out.meta.demo = ours.meta.demo && theirs.meta.demo;
    out.meta.created_at = ours.meta.created_at.min(theirs.meta.created_at);
    let mut tombs = BTreeMap::new();
    let (ot, tt) = (&ours.tombstones, &theirs.tombstones);
    let r = &mut report;
    merge_section(&ours.tiers, &theirs.tiers, ot, tt, Kind::Tier, |t| (t.rev, t.updated_at), &mut out.tiers, &mut tombs, r);
    merge_section(&ours.units, &theirs.units, ot, tt, Kind::Unit, |t| (t.rev, t.updated_at), &mut out.units, &mut tombs, r);
    merge_section(&ours.people, &theirs.people, ot, tt, Kind::Person, |t| (t.rev, t.updated_at), &mut out.people, &mut tombs, r);
    merge_section(&ours.skills, &theirs.skills, ot, tt, Kind::Skill, |t| (t.rev, t.updated_at), &mut out.skills, &mut tombs, r);
    merge_section(&ours.grades, &theirs.grades, ot, tt, Kind::Grade, |t| (t.rev, t.updated_at), &mut out.grades, &mut tombs, r);
    let (op, tp) = (&ours.plan, &theirs.plan);
    merge_section(&op.targets, &tp.targets, ot, tt, Kind::Target, |t| (t.rev, t.updated_at), &mut out.plan.targets, &mut tombs, r);
    merge_section(&op.budgets, &tp.budgets, ot, tt, Kind::Budget, |t| (t.rev, t.updated_at), &mut out.plan.budgets, &mut tombs, r);
    merge_section(&op.headcount, &tp.headcount, ot, tt, Kind::Headcount, |t| (t.rev, t.updated_at), &mut out.plan.headcount, &mut tombs, r);
    merge_section(&ours.scenarios, &theirs.scenarios, ot, tt, Kind::Scenario, |t| (t.rev, t.updated_at), &mut out.scenarios, &mut tombs, r);
    merge_section(
        &ours.categories,
        &theirs.categories,
        ot,
        tt,
        Kind::Category,
        |t| (t.rev, t.updated_at),
        &mut out.categories,
        &mut tombs,
        r,
    );
    merge_section(&ours.tools, &theirs.tools, ot, tt, Kind::Tool, |t| (t.rev, t.updated_at), &mut out.tools, &mut tombs, r);
    merge_section(
        &ours.time_splits,
        &theirs.time_splits,
        ot,
        tt,
        Kind::TimeSplit,
        |t| (t.rev, t.updated_at),
        &mut out.time_splits,
        &mut tombs,
        r,
    );
    let st = |t: &Customer| (t.rev, t.updated_at);
    merge_section(&ours.customers, &theirs.customers, ot, tt, Kind::Customer, st, &mut out.customers, &mut tombs, r);
    merge_section(&ours.stages, &theirs.stages, ot, tt, Kind::Stage, |t| (t.rev, t.updated_at), &mut out.stages, &mut tombs, r);
    let so = |t: &Opportunity| (t.rev, t.updated_at);
    merge_section(&ours.opportunities, &theirs.opportunities, ot, tt, Kind::Opportunity, so, &mut out.opportunities, &mut tombs, r);
    let sf = |t: &ForecastOverride| (t.rev, t.updated_at);
    merge_section(&ours.overrides, &theirs.overrides, ot, tt, Kind::Override, sf, &mut out.overrides, &mut tombs, r);
    macro_rules! section {
        ($field:ident, $kind:ident) => {
            merge_section(&ours.$field, &theirs.$field, ot, tt, Kind::$kind, |t| (t.rev, t.updated_at), &mut out.$field, &mut tombs, r)
        };
    }
    section!(scorecards, Scorecard);
    section!(kpis, Kpi);
    section!(kpi_entries, KpiEntry);
    section!(incentive_plans, IncentivePlan);
    section!(pools, Pool);
    section!(spifs, Spif);
    section!(activities, Activity);
    section!(tasks, Task);
    section!(exchange, Exchange);
    section!(keys, Key);
    out.tombstones = tombs;
    detach_work(&mut out);
    let problems = validate(&out);
    if !problems.is_empty() {
        let names = super::validate::Names::of_problems(&out, &problems);
        return Err(MergeError::Invalid(problems, names));
    }
    Ok((out, report))
}

/// Activities and tasks about a deal, customer or activity the merge
/// deleted stay, no longer pointing at it (as the edit that deletes one
/// does): one side's follow-up is never lost to the other side's deletion.
/// Deterministic in the merged document, so both sides get the same.
pub fn detach_work(ws: &mut Workspace) {
    let Workspace { activities, tasks, tombstones, .. } = ws;
    let gone = |r: &mut Option<Id>| {
        if r.is_some_and(|x| tombstones.contains_key(&x)) {
            *r = None;
        }
    };
    for a in activities.values_mut() {
        gone(&mut a.opportunity);
    }
    for t in tasks.values_mut() {
        gone(&mut t.opportunity);
        gone(&mut t.customer);
        gone(&mut t.activity);
    }
}
