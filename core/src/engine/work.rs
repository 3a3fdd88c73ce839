//! Daily work over the document: activity counts for the scorecards, the
//! stale-deal rule, tasks by when they are due, and the timeline of a deal
//! or a customer. Pure; the pages and the scorecards read the same
//! functions.

use crate::engine::index::Index;
use crate::engine::org::IdMap;
use crate::model::*;
use crate::sort::Arrange;
use chrono::{Datelike, NaiveDate};

/// Whose business a deal or customer is: the deal's owner, else the
/// customer's. Branch files place activities by it, and the dialogs
/// propose it as who did an activity or has to do a task.
pub fn subject_owner(ws: &Workspace, customer: Option<Id>, deal: Option<Id>) -> Option<Id> {
    deal.and_then(|d| ws.opportunities.get(&d))
        .map(|o| o.owner)
        .or_else(|| customer.and_then(|c| ws.customers.get(&c)).and_then(|c| c.owner))
}

/// Logged activities per (person, counting KPI) with `on` in `[from, to)`:
/// the activities KPI counts calls, visits, meetings and e-mails (not
/// notes), the visits and meetings KPIs their own kind.
pub fn counts(ix: &Index, from: NaiveDate, to: NaiveDate) -> Counts {
    Counts(ix.org.people_map(&counts_by_position(ix, from, to)))
}

/// [`counts`] by person position: [activities, visits, meetings].
pub fn counts_by_position(ix: &Index, from: NaiveDate, to: NaiveDate) -> Vec<[i64; 3]> {
    let mut by = vec![[0i64; 3]; ix.org.people.len()];
    for a in ix.contacts(from, to) {
        if let Some(e) = by.get_mut(a.by as usize) {
            bump(e, a.kind);
        }
    }
    by
}

/// Adds a contact of `kind` to [activities, visits, meetings].
fn bump(e: &mut [i64; 3], kind: ActivityKind) {
    e[0] += 1;
    match kind {
        ActivityKind::Visit => e[1] += 1,
        ActivityKind::Meeting => e[2] += 1,
        _ => {}
    }
}

/// [`counts`] for the fiscal months of a period at once, month by month
/// (by person position): the periods of a statement sum their months
/// instead of each walking the contacts again.
#[derive(Clone, Debug)]
pub struct MonthCounts(Vec<Vec<[i64; 3]>>);

impl MonthCounts {
    /// Counts the months of `within` (a period of the fiscal year `year`);
    /// the other months read as none.
    pub fn new(ix: &Index, year: i32, start_month: u8, within: crate::calendar::Period) -> MonthCounts {
        let months = (0..crate::calendar::MONTHS)
            .map(|m| match within.months().contains(&m) {
                true => {
                    let (from, to) = crate::calendar::period_bounds(year, start_month, crate::calendar::Period::Month(m as u8 + 1));
                    counts_by_position(ix, from, to)
                }
                false => Vec::new(),
            })
            .collect();
        MonthCounts(months)
    }

    /// The counts of a period of the year by person position (its months
    /// summed), as [`counts_by_position`] gives them.
    pub fn period(&self, people: usize, period: crate::calendar::Period) -> Vec<[i64; 3]> {
        let mut out = vec![[0i64; 3]; people];
        for m in &self.0[period.months()] {
            for (o, c) in out.iter_mut().zip(m) {
                o[0] += c[0];
                o[1] += c[1];
                o[2] += c[2];
            }
        }
        out
    }
}

/// Logged activities per person over a span: see [`counts`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts(IdMap<[i64; 3]>);

impl Counts {
    /// What a counting KPI reads for `person` (0 for any other KPI).
    pub fn get(&self, person: Id, kpi: KpiKind) -> i64 {
        let i = match kpi {
            KpiKind::Activities => 0,
            KpiKind::Visits => 1,
            KpiKind::Meetings => 2,
            _ => return 0,
        };
        self.0.get(&person).map(|c| c[i]).unwrap_or(0)
    }
}

/// The last day each deal had an activity.
pub fn last_activity(ws: &Workspace) -> IdMap<NaiveDate> {
    let mut out: IdMap<NaiveDate> = IdMap::default();
    for a in ws.activities.values() {
        if let Some(d) = a.opportunity {
            let e = out.entry(d).or_insert(a.on);
            *e = (*e).max(a.on);
        }
    }
    out
}

/// Why an open deal needs attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stale {
    pub deal: Id,
    pub owner: Id,
    /// The last activity on it (None: never).
    pub last: Option<NaiveDate>,
    /// Days since the last activity, or since the deal was created when it
    /// has none.
    pub idle_days: i64,
    /// No activity for at least the stage's (or the workspace's) number of days.
    pub idle: bool,
    /// Still open after its expected close date.
    pub past_close: bool,
}

/// Days without an activity before a deal in `stage` is stale (0: never).
pub fn stale_threshold(ws: &Workspace, stage: Id) -> u16 {
    ws.stages.get(&stage).and_then(|s| s.stale_days).unwrap_or(ws.settings.stale_days)
}

/// Open deals with no activity for the threshold's days, or past their
/// close date, on `today`; the longest idle first.
pub fn stale_deals(ws: &Workspace, today: NaiveDate) -> Vec<Stale> {
    let last = last_activity(ws);
    let mut out: Vec<Stale> = ws
        .opportunities
        .values()
        .filter(|o| ws.stages.get(&o.stage).is_some_and(|s| s.outcome == Outcome::Open))
        .filter_map(|o| {
            let seen = last.get(&o.id).copied();
            let since = seen.unwrap_or(o.created).min(today);
            let idle_days = (today - since).num_days();
            let limit = i64::from(stale_threshold(ws, o.stage));
            let idle = limit > 0 && idle_days >= limit;
            let past_close = o.close_date < today;
            (idle || past_close).then_some(Stale { deal: o.id, owner: o.owner, last: seen, idle_days, idle, past_close })
        })
        .collect();
    out.arrange_by(|a, b| b.idle_days.cmp(&a.idle_days).then(a.deal.cmp(&b.deal)));
    out
}

/// When a task is due, seen from `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Due {
    Overdue,
    Today,
    /// Later this week (the week starts on Monday).
    ThisWeek,
    Later,
    Done,
}

pub fn due(t: &Task, today: NaiveDate) -> Due {
    if t.done.is_some() {
        return Due::Done;
    }
    let week_end = today + chrono::Days::new(u64::from(6 - today.weekday().num_days_from_monday()));
    if t.due < today {
        Due::Overdue
    } else if t.due == today {
        Due::Today
    } else if t.due <= week_end {
        Due::ThisWeek
    } else {
        Due::Later
    }
}

/// One line of a timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event<'a> {
    Activity(&'a Activity),
    /// A deal entering a stage (`from` None: created in it).
    Stage(&'a Opportunity, &'a StageChange),
    /// A change of a deal's amount or close date.
    Change(&'a Opportunity, &'a DealChange),
    /// A task, on its due day (or the day it was done).
    Task(&'a Task),
}

impl Event<'_> {
    pub fn on(&self) -> NaiveDate {
        match self {
            Event::Activity(a) => a.on,
            Event::Stage(_, h) => h.on,
            Event::Change(_, c) => c.on,
            Event::Task(t) => t.done.unwrap_or(t.due),
        }
    }

    /// Among events of one day, newest first: a task (made of an activity's
    /// next step) above the activity, the activity above the deal's
    /// changes and stage moves.
    fn rank(&self) -> u8 {
        match self {
            Event::Task(_) => 3,
            Event::Activity(_) => 2,
            Event::Change(..) => 1,
            Event::Stage(..) => 0,
        }
    }
}

/// Everything that happened on the deals `deals` and the customer
/// `customer` (its activities and tasks), newest first.
fn timeline<'a>(ws: &'a Workspace, customer: Option<Id>, deals: &[&'a Opportunity]) -> Vec<Event<'a>> {
    let on_deal = |d: Option<Id>| d.is_some_and(|d| deals.iter().any(|o| o.id == d));
    let mut out: Vec<Event<'a>> = Vec::new();
    for o in deals {
        out.extend(o.history.iter().map(|h| Event::Stage(o, h)));
        out.extend(o.changes.iter().map(|c| Event::Change(o, c)));
    }
    out.extend(ws.activities.values().filter(|a| on_deal(a.opportunity) || (customer == Some(a.customer))).map(Event::Activity));
    out.extend(ws.tasks.values().filter(|t| on_deal(t.opportunity) || (customer.is_some() && t.customer == customer)).map(Event::Task));
    out.arrange_by(|a, b| b.on().cmp(&a.on()).then(b.rank().cmp(&a.rank())));
    out
}

/// A deal's timeline: its activities, tasks, stage moves and changes, newest first.
pub fn deal_timeline(ws: &Workspace, deal: Id) -> Vec<Event<'_>> {
    match ws.opportunities.get(&deal) {
        Some(o) => timeline(ws, None, &[o]),
        None => Vec::new(),
    }
}

/// A customer's timeline: its activities and tasks and those of its
/// deals, with the deals' stage moves and changes, newest first.
pub fn customer_timeline(ws: &Workspace, customer: Id) -> Vec<Event<'_>> {
    let deals: Vec<&Opportunity> = ws.opportunities.values().filter(|o| o.customer == customer).collect();
    timeline(ws, Some(customer), &deals)
}
