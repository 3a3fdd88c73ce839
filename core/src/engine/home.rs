//! The home page of each tier: what a director, a regional manager, a team
//! lead or a rep reads first. Every figure comes from the functions the
//! Forecast, Scorecards, Payouts and Daily work pages use (standings, the
//! monthly actuals, payouts, grading, the stale-deal rule); this module
//! only picks and arranges them.

use crate::calendar::Period;
use crate::engine::crm::actuals;
use crate::engine::grading::{Assessment, Candidate};
use crate::engine::index::Index;
use crate::engine::org::{scope_units, IdMap};
use crate::engine::track::{standings, Standing, Track};
use crate::engine::work::{self, Due};
use crate::model::*;
use crate::sort::Arrange;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Which home page a person gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HomeKind {
    /// The whole organisation (also everyone not otherwise placed).
    Director,
    /// A manager of a unit with units below it.
    Region,
    /// A manager of a unit without units below it.
    Team,
    /// Anyone who manages no unit.
    Rep,
}

/// The home page for `person` (None: the director's), and the unit or
/// person it is about.
pub fn home_of(ws: &Workspace, person: Option<Id>) -> Option<(HomeKind, Id)> {
    let root = ws.root()?.id;
    let Some(p) = person.and_then(|p| ws.people.get(&p)) else { return Some((HomeKind::Director, root)) };
    match ws.managed_unit(p.id) {
        Some(u) if u.id == root => Some((HomeKind::Director, root)),
        Some(u) if ws.units.values().any(|c| c.parent == Some(u.id)) => Some((HomeKind::Region, u.id)),
        Some(u) => Some((HomeKind::Team, u.id)),
        None => Some((HomeKind::Rep, p.id)),
    }
}

/// One fiscal month of an owner: its target and what was won, and both
/// added up from the first month of the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    /// 0 = the first month of the fiscal year.
    pub index: usize,
    pub target: i64,
    pub won: i64,
    pub cum_target: i64,
    pub cum_won: i64,
}

/// Target and won, month by month, of a unit (its subtree) or a person
/// for fiscal `year`: the Targets page's months and the Forecast page's
/// actuals, the running totals adding them up.
pub fn months(ws: &Workspace, ix: &Index, owner: Id, year: i32) -> Vec<Month> {
    let (people, units) = actuals(ws, ix, year);
    let won = units.get(&owner).or_else(|| people.get(&owner)).copied().unwrap_or_default();
    let targets = crate::engine::track::YearTargets::new(ws, ix, year).of(ix, owner);
    let mut out = Vec::with_capacity(12);
    let (mut ct, mut cw) = (0i64, 0i64);
    for i in 0..12 {
        ct = ct.saturating_add(targets[i]);
        cw = cw.saturating_add(won[i]);
        out.push(Month { index: i, target: targets[i], won: won[i], cum_target: ct, cum_won: cw });
    }
    out
}

/// A unit below the one a page is about, with where it stands this year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ranked {
    pub id: Id,
    pub standing: Standing,
}

/// The units right below `unit`, best attainment first (those without a
/// target last), from the year's standings.
pub fn ranked_children(ws: &Workspace, unit: Id, st: &IdMap<Standing>) -> Vec<Ranked> {
    let mut v: Vec<Ranked> =
        ws.units.values().filter(|u| u.parent == Some(unit)).filter_map(|u| Some(Ranked { id: u.id, standing: *st.get(&u.id)? })).collect();
    v.arrange_by(|a, b| b.standing.attainment_bp().cmp(&a.standing.attainment_bp()).then(a.id.cmp(&b.id)));
    v
}

/// A rep on a team lead's board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RepLine {
    pub person: Id,
    pub standing: Standing,
    /// Calls, visits, meetings and e-mails logged from Monday to `today`.
    pub activities_week: i64,
    /// Open tasks past their due day.
    pub overdue_tasks: usize,
}

/// The members of `unit`'s subtree other than its manager (not leavers),
/// best attainment first.
pub fn reps_board(ws: &Workspace, ix: &Index, unit: Id, st: &IdMap<Standing>, today: NaiveDate) -> Vec<RepLine> {
    let scope = scope_units(ws, unit);
    let manager = ws.units.get(&unit).and_then(|u| u.manager);
    let monday = today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()));
    let week = work::counts(ix, monday, today + chrono::Days::new(1));
    let mut v: Vec<RepLine> = ws
        .people
        .values()
        .filter(|p| scope.contains(&p.unit) && Some(p.id) != manager && p.status != Status::Left)
        .map(|p| RepLine {
            person: p.id,
            standing: st.get(&p.id).copied().unwrap_or(Standing {
                target: 0,
                figures: Default::default(),
                expected: 0,
                track: Track::NoTarget,
                coverage_pct: None,
            }),
            activities_week: week.get(p.id, KpiKind::Activities),
            overdue_tasks: ws.tasks.values().filter(|t| t.assignee == p.id && t.overdue(today)).count(),
        })
        .collect();
    v.arrange_by(|a, b| b.standing.attainment_bp().cmp(&a.standing.attainment_bp()).then(a.person.cmp(&b.person)));
    v
}

/// Managers below `unit` (its sub-units' managers) with the grade the
/// rules give them (`all`: everyone's assessment) and whether they are
/// promotion candidates.
pub fn leads_grades(ws: &Workspace, unit: Id, all: &BTreeMap<Id, Assessment>) -> Vec<(Id, Option<Id>, bool)> {
    let scope = scope_units(ws, unit);
    let leads: Vec<Id> = ws.units.values().filter(|u| u.id != unit && scope.contains(&u.id)).filter_map(|u| u.manager).collect();
    let mut v: Vec<(Id, Option<Id>, bool)> = leads
        .into_iter()
        .filter_map(|p| {
            all.get(&p).map(|a| (p, a.grade, matches!(a.candidate, Some(Candidate::NextGrade { .. }) | Some(Candidate::NextTier { .. }))))
        })
        .collect();
    v.arrange_by_key(|x| (!x.2, x.0));
    v
}

/// Open deals of `person` expected to close in fiscal `year`, by stage in
/// pipeline order: (stage, count, amount). They add up to the open
/// pipeline of the year's standing (the Forecast page's).
pub fn pipeline_by_stage(ws: &Workspace, person: Id, year: i32) -> Vec<(Id, u32, i64)> {
    let (from, to) = crate::calendar::period_bounds(year, ws.settings.fiscal_year_start_month, Period::Year);
    let in_year = |o: &Opportunity| (from..to).contains(&crate::engine::crm::deal_date(o));
    ws.stages_in_order()
        .into_iter()
        .filter(|s| s.outcome == Outcome::Open)
        .map(|s| {
            let (n, sum) = ws
                .opportunities
                .values()
                .filter(|o| o.owner == person && o.stage == s.id && in_year(o))
                .fold((0u32, 0i64), |(n, sum), o| (n + 1, sum.saturating_add(o.amount.0)));
            (s.id, n, sum)
        })
        .collect()
}

/// Open deals of `people` expected to close in the calendar month of `today`.
pub fn closing_this_month<'a>(ws: &'a Workspace, people: &[Id], today: NaiveDate) -> Vec<&'a Opportunity> {
    let mut v: Vec<&Opportunity> = ws
        .opportunities
        .values()
        .filter(|o| people.contains(&o.owner))
        .filter(|o| ws.stages.get(&o.stage).is_some_and(|s| s.outcome == Outcome::Open))
        .filter(|o| o.close_date.year() == today.year() && o.close_date.month() == today.month())
        .collect();
    v.arrange_by_key(|o| (o.close_date, o.id));
    v
}

/// Open tasks of `people` that are overdue or due today, soonest first.
pub fn tasks_due<'a>(ws: &'a Workspace, people: &[Id], today: NaiveDate) -> Vec<&'a Task> {
    let mut v: Vec<&Task> =
        ws.tasks.values().filter(|t| people.contains(&t.assignee) && matches!(work::due(t, today), Due::Overdue | Due::Today)).collect();
    v.arrange_by_key(|t| (t.due, std::cmp::Reverse(t.priority), t.id));
    v
}

/// Everything the year's standings say, once: the home page computes them
/// a single time and reads every card from them.
pub fn year_standings(ws: &Workspace, ix: &Index, year: i32, today: NaiveDate) -> IdMap<Standing> {
    standings(ws, ix, year, Period::Year, today)
}
