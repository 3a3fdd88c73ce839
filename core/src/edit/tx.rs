//! The transaction machinery behind [`apply`](super::apply): the prior
//! state of each touched record, [`Patch`] (undo is applying it, and that
//! returns the redo), the per-edit transaction `Tx` that stamps revisions
//! and rolls back on error, and the undo/redo [`History`].

use super::EditError;
use crate::model::*;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashSet, VecDeque};

/// The state of one record before an edit touched it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Prior {
    Settings(Box<Settings>),
    Tier(Id, Option<Box<Tier>>),
    Unit(Id, Option<Box<Unit>>),
    Person(Id, Option<Box<Person>>),
    Skill(Id, Option<Box<Skill>>),
    Grade(Id, Option<Box<Grade>>),
    Scenario(Id, Option<Box<Scenario>>),
    Category(Id, Option<Box<Category>>),
    Tool(Id, Option<Box<Tool>>),
    TimeSplit(Id, Option<Box<TimeSplit>>),
    Customer(Id, Option<Box<Customer>>),
    Stage(Id, Option<Box<Stage>>),
    Opportunity(Id, Option<Box<Opportunity>>),
    Override(Id, Option<Box<ForecastOverride>>),
    Scorecard(Id, Option<Box<ScorecardTemplate>>),
    Kpi(Id, Option<Box<CustomKpi>>),
    KpiEntry(Id, Option<Box<KpiEntry>>),
    IncentivePlan(Id, Option<Box<IncentivePlan>>),
    Pool(Id, Option<Box<BonusPool>>),
    Spif(Id, Option<Box<Spif>>),
    Exchange(Id, Option<Box<ExchangeEntry>>),
    Key(Id, Option<Box<KnownKey>>),
    Activity(Id, Option<Box<Activity>>),
    Task(Id, Option<Box<Task>>),
    Branch(Option<Box<BranchInfo>>),
    Perf(Box<PerfSettings>),
    /// The whole base plan: plan edits snapshot it once, while they run;
    /// a finished edit keeps only [`Prior::PlanLines`].
    Plan(Box<Plan>),
    /// The base plan's lines an edit changed, as they were (None: absent).
    PlanLines(Box<PlanLines>),
    /// A scenario an edit changed: its own fields as they were (its plan
    /// left empty) and the lines of its plan the edit changed.
    ScenarioLines(Id, Box<(Scenario, PlanLines)>),
    Tomb(Id, Option<Tombstone>),
}

/// Lines of the base plan as they were before an edit: what undo keeps of
/// a plan edit, however large the plan (a cell edit keeps one line).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(super) struct PlanLines {
    targets: Vec<(Id, Option<TargetLine>)>,
    budgets: Vec<(Id, Option<BudgetLine>)>,
    headcount: Vec<(Id, Option<HeadcountPlan>)>,
    assumptions: Option<Assumptions>,
}

/// A plan with no lines (its assumptions kept: they are a single value).
fn empty_plan(p: &Plan) -> Plan {
    Plan { targets: BTreeMap::new(), budgets: BTreeMap::new(), headcount: BTreeMap::new(), assumptions: p.assumptions.clone() }
}

impl PlanLines {
    fn len(&self) -> usize {
        self.targets.len() + self.budgets.len() + self.headcount.len()
    }

    /// The lines of `old` that `new` changed, added or removed, as in `old`.
    fn between(old: &Plan, new: &Plan) -> PlanLines {
        fn lines<T: PartialEq + Clone>(a: &BTreeMap<Id, T>, b: &BTreeMap<Id, T>) -> Vec<(Id, Option<T>)> {
            let mut out: Vec<(Id, Option<T>)> =
                a.iter().filter(|(id, v)| b.get(id) != Some(v)).map(|(id, v)| (*id, Some(v.clone()))).collect();
            out.extend(b.keys().filter(|id| !a.contains_key(id)).map(|id| (*id, None)));
            out
        }
        PlanLines {
            targets: lines(&old.targets, &new.targets),
            budgets: lines(&old.budgets, &new.budgets),
            headcount: lines(&old.headcount, &new.headcount),
            assumptions: (old.assumptions != new.assumptions).then(|| old.assumptions.clone()),
        }
    }

    /// Puts these lines into the plan; returns the lines they replaced.
    fn swap(self, plan: &mut Plan) -> PlanLines {
        fn each<T>(map: &mut BTreeMap<Id, T>, lines: Vec<(Id, Option<T>)>) -> Vec<(Id, Option<T>)> {
            lines.into_iter().map(|(id, v)| (id, put_or_remove(map, id, v))).collect()
        }
        PlanLines {
            targets: each(&mut plan.targets, self.targets),
            budgets: each(&mut plan.budgets, self.budgets),
            headcount: each(&mut plan.headcount, self.headcount),
            assumptions: self.assumptions.map(|a| std::mem::replace(&mut plan.assumptions, a)),
        }
    }

    fn cells(&self, out: &mut Vec<crate::store::cells::CellKey>) {
        use crate::store::cells::{CellKey, Section};
        out.extend(self.targets.iter().map(|(id, _)| CellKey::record(Section::Targets, *id)));
        out.extend(self.budgets.iter().map(|(id, _)| CellKey::record(Section::Budgets, *id)));
        out.extend(self.headcount.iter().map(|(id, _)| CellKey::record(Section::Headcount, *id)));
        if self.assumptions.is_some() {
            out.push(CellKey::single(Section::Assumptions));
        }
    }
}

/// Restores the records an edit touched. Applying it returns its inverse.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Patch {
    pub(super) priors: Vec<Prior>,
}

impl Patch {
    pub fn is_empty(&self) -> bool {
        self.priors.is_empty()
    }

    /// A finished edit's patch, made compact: a snapshot of the whole base
    /// plan (taken while the edit ran) becomes the lines the edit changed,
    /// so undo history grows with what edits change, not with the plan.
    pub(super) fn compact(mut self, ws: &Workspace) -> Patch {
        for p in &mut self.priors {
            match p {
                Prior::Plan(old) => *p = Prior::PlanLines(Box::new(PlanLines::between(old, &ws.plan))),
                // A scenario that is still there keeps its own fields and the lines changed.
                Prior::Scenario(id, Some(old)) => {
                    if let Some(now) = ws.scenarios.get(id) {
                        let (id, lines) = (*id, PlanLines::between(&old.plan, &now.plan));
                        old.plan = empty_plan(&old.plan);
                        let head = (**old).clone();
                        *p = Prior::ScenarioLines(id, Box::new((head, lines)));
                    }
                }
                _ => {}
            }
        }
        self
    }

    /// The plan lines this patch holds, base plan and scenarios (for tests
    /// and the memory figures).
    pub fn plan_lines(&self) -> usize {
        let whole = |p: &Plan| p.targets.len() + p.budgets.len() + p.headcount.len();
        self.priors
            .iter()
            .map(|p| match p {
                Prior::PlanLines(l) => l.len(),
                Prior::ScenarioLines(_, x) => x.1.len(),
                Prior::Plan(p) => whole(p),
                Prior::Scenario(_, Some(s)) => whole(&s.plan),
                _ => 0,
            })
            .sum()
    }

    /// Did the change this patch undoes (`ws` is the document after it)
    /// touch only what people and units are called: names, titles, contact
    /// details and notes? No figure is computed from those. Standings,
    /// grades, scorecards and payouts are the same after such a change, and
    /// the index's org (positions, tree, members) too. A person or unit
    /// added or removed, or any other record touched, is not a relabel.
    pub fn labels_only(&self, ws: &Workspace) -> bool {
        // A record with its labels and revision stamps blanked: equal
        // before and after only if nothing else changed.
        fn person(p: &Person) -> Person {
            Person {
                rev: 0,
                updated_at: DateTime::<Utc>::UNIX_EPOCH,
                name: Text::default(),
                title: Text::default(),
                email: String::new(),
                phone: String::new(),
                notes: String::new(),
                ..p.clone()
            }
        }
        fn unit(u: &Unit) -> Unit {
            Unit { rev: 0, updated_at: DateTime::<Utc>::UNIX_EPOCH, name: Text::default(), ..u.clone() }
        }
        !self.priors.is_empty()
            && self.priors.iter().all(|p| match p {
                Prior::Person(id, Some(old)) => ws.people.get(id).is_some_and(|now| person(old) == person(now)),
                Prior::Unit(id, Some(old)) => ws.units.get(id).is_some_and(|now| unit(old) == unit(now)),
                _ => false,
            })
    }

    /// The storage cells (see `store::cells`) the patch touched, given the
    /// document as it is now. A plan snapshot yields only the lines that
    /// differ from it, so what is written grows with the edit, not the plan.
    pub fn cells(&self, ws: &Workspace) -> Vec<crate::store::cells::CellKey> {
        use crate::store::cells::{CellKey, Section};
        let mut out = Vec::with_capacity(self.priors.len());
        for p in &self.priors {
            let key = |s: Section, id: &Id| CellKey::record(s, *id);
            out.push(match p {
                Prior::Settings(_) => CellKey::single(Section::Settings),
                Prior::Perf(_) => CellKey::single(Section::Performance),
                Prior::Tier(id, _) => key(Section::Tiers, id),
                Prior::Unit(id, _) => key(Section::Units, id),
                Prior::Person(id, _) => key(Section::People, id),
                Prior::Skill(id, _) => key(Section::Skills, id),
                Prior::Grade(id, _) => key(Section::Grades, id),
                Prior::Scenario(id, _) => key(Section::Scenarios, id),
                Prior::Category(id, _) => key(Section::Categories, id),
                Prior::Tool(id, _) => key(Section::Tools, id),
                Prior::TimeSplit(id, _) => key(Section::TimeSplits, id),
                Prior::Customer(id, _) => key(Section::Customers, id),
                Prior::Stage(id, _) => key(Section::Stages, id),
                Prior::Opportunity(id, _) => key(Section::Opportunities, id),
                Prior::Override(id, _) => key(Section::Overrides, id),
                Prior::Scorecard(id, _) => key(Section::Scorecards, id),
                Prior::Kpi(id, _) => key(Section::Kpis, id),
                Prior::KpiEntry(id, _) => key(Section::KpiEntries, id),
                Prior::IncentivePlan(id, _) => key(Section::IncentivePlans, id),
                Prior::Pool(id, _) => key(Section::Pools, id),
                Prior::Spif(id, _) => key(Section::Spifs, id),
                Prior::Exchange(id, _) => key(Section::Exchange, id),
                Prior::Key(id, _) => key(Section::Keys, id),
                Prior::Activity(id, _) => key(Section::Activities, id),
                Prior::Task(id, _) => key(Section::Tasks, id),
                Prior::Branch(_) => CellKey::single(Section::Branch),
                Prior::Tomb(id, _) => key(Section::Tombstones, id),
                Prior::Plan(old) => {
                    out.extend(crate::store::cells::plan_diff(old, &ws.plan));
                    continue;
                }
                Prior::PlanLines(lines) => {
                    lines.cells(&mut out);
                    continue;
                }
                Prior::ScenarioLines(id, _) => key(Section::Scenarios, id),
            });
        }
        out
    }

    /// Puts every touched record back as it was and returns the patch that
    /// reverses this one. Each record appears once, so order does not matter.
    pub fn apply(self, ws: &mut Workspace) -> Patch {
        let mut inverse = Vec::with_capacity(self.priors.len());
        for prior in self.priors {
            inverse.push(restore(ws, prior));
        }
        Patch { priors: inverse }
    }
}

fn put_or_remove<T>(map: &mut BTreeMap<Id, T>, id: Id, v: Option<T>) -> Option<T> {
    match v {
        Some(v) => map.insert(id, v),
        None => map.remove(&id),
    }
}

fn swap<R: Record>(ws: &mut Workspace, id: Id, v: Option<Box<R>>) -> Prior {
    R::prior(id, put_or_remove(R::table(ws), id, v.map(|b| *b)).map(Box::new))
}

fn restore(ws: &mut Workspace, prior: Prior) -> Prior {
    match prior {
        Prior::Settings(s) => Prior::Settings(Box::new(std::mem::replace(&mut ws.settings, *s))),
        Prior::Tier(id, v) => swap(ws, id, v),
        Prior::Unit(id, v) => swap(ws, id, v),
        Prior::Person(id, v) => swap(ws, id, v),
        Prior::Skill(id, v) => swap(ws, id, v),
        Prior::Grade(id, v) => swap(ws, id, v),
        Prior::Scenario(id, v) => swap(ws, id, v),
        Prior::Category(id, v) => swap(ws, id, v),
        Prior::Tool(id, v) => swap(ws, id, v),
        Prior::TimeSplit(id, v) => swap(ws, id, v),
        Prior::Customer(id, v) => swap(ws, id, v),
        Prior::Stage(id, v) => swap(ws, id, v),
        Prior::Opportunity(id, v) => swap(ws, id, v),
        Prior::Override(id, v) => swap(ws, id, v),
        Prior::Scorecard(id, v) => swap(ws, id, v),
        Prior::Kpi(id, v) => swap(ws, id, v),
        Prior::KpiEntry(id, v) => swap(ws, id, v),
        Prior::IncentivePlan(id, v) => swap(ws, id, v),
        Prior::Pool(id, v) => swap(ws, id, v),
        Prior::Spif(id, v) => swap(ws, id, v),
        Prior::Exchange(id, v) => swap(ws, id, v),
        Prior::Key(id, v) => swap(ws, id, v),
        Prior::Activity(id, v) => swap(ws, id, v),
        Prior::Task(id, v) => swap(ws, id, v),
        Prior::Branch(b) => Prior::Branch(std::mem::replace(&mut ws.branch, b.map(|b| *b)).map(Box::new)),
        Prior::Perf(p) => Prior::Perf(Box::new(std::mem::replace(&mut ws.performance, *p))),
        Prior::Plan(p) => Prior::Plan(Box::new(std::mem::replace(&mut ws.plan, *p))),
        Prior::PlanLines(lines) => Prior::PlanLines(Box::new(lines.swap(&mut ws.plan))),
        Prior::ScenarioLines(id, x) => {
            let (mut head, lines) = *x;
            let sc = ws.scenarios.get_mut(&id).expect("a compacted scenario prior is applied where its scenario is");
            let back = lines.swap(&mut sc.plan);
            // Its own fields swap; the plan (lines put back above) stays.
            std::mem::swap(&mut head.plan, &mut sc.plan);
            std::mem::swap(&mut head, sc);
            Prior::ScenarioLines(id, Box::new((head, back)))
        }
        Prior::Tomb(id, v) => Prior::Tomb(id, put_or_remove(&mut ws.tombstones, id, v)),
    }
}

/// What the transaction needs to know of each record type.
pub(super) trait Record: Clone {
    const KIND: Kind;
    fn id(&self) -> Id;
    fn rev(&self) -> u64;
    fn stamp(&mut self, rev: u64, at: DateTime<Utc>);
    fn table(ws: &mut Workspace) -> &mut BTreeMap<Id, Self>;
    fn prior(id: Id, v: Option<Box<Self>>) -> Prior;
    fn unprior(p: &Prior, id: Id) -> Option<Option<&Self>>;
}

macro_rules! record {
    ($ty:ident, $kind:ident, $field:ident) => {
        impl Record for $ty {
            const KIND: Kind = Kind::$kind;
            fn id(&self) -> Id {
                self.id
            }
            fn rev(&self) -> u64 {
                self.rev
            }
            fn stamp(&mut self, rev: u64, at: DateTime<Utc>) {
                self.rev = rev;
                self.updated_at = at;
            }
            fn table(ws: &mut Workspace) -> &mut BTreeMap<Id, Self> {
                &mut ws.$field
            }
            fn prior(id: Id, v: Option<Box<Self>>) -> Prior {
                Prior::$kind(id, v)
            }
            fn unprior(p: &Prior, id: Id) -> Option<Option<&Self>> {
                match p {
                    Prior::$kind(i, v) if *i == id => Some(v.as_deref()),
                    _ => None,
                }
            }
        }
    };
}

record!(Tier, Tier, tiers);
record!(Unit, Unit, units);
record!(Person, Person, people);
record!(Skill, Skill, skills);
record!(Grade, Grade, grades);
record!(Scenario, Scenario, scenarios);
record!(Category, Category, categories);
record!(Tool, Tool, tools);
record!(TimeSplit, TimeSplit, time_splits);
record!(Customer, Customer, customers);
record!(Stage, Stage, stages);
record!(Opportunity, Opportunity, opportunities);
record!(ForecastOverride, Override, overrides);
record!(ScorecardTemplate, Scorecard, scorecards);
record!(CustomKpi, Kpi, kpis);
record!(KpiEntry, KpiEntry, kpi_entries);
record!(IncentivePlan, IncentivePlan, incentive_plans);
record!(BonusPool, Pool, pools);
record!(Spif, Spif, spifs);
record!(ExchangeEntry, Exchange, exchange);
record!(KnownKey, Key, keys);
record!(Activity, Activity, activities);
record!(Task, Task, tasks);

/// Adds an entry to the exchange log. Not an edit of the user's data, so
/// not an undo step: what was sent stays sent. The patch names the cell.
pub fn log_exchange(ws: &mut Workspace, entry: ExchangeEntry) -> Patch {
    let id = entry.id;
    let old = ws.exchange.insert(id, entry);
    Patch { priors: vec![Prior::Exchange(id, old.map(Box::new))] }
}

/// Replaces the document with `next` (a reviewed merge) and returns the
/// patch that puts it back: one undo step holding only the records that
/// differ, so storage writes only those.
pub fn replace(ws: &mut Workspace, next: Workspace) -> Patch {
    fn table<R: Record + PartialEq>(old: &BTreeMap<Id, R>, new: &BTreeMap<Id, R>, out: &mut Vec<Prior>) {
        for (id, v) in old {
            if new.get(id) != Some(v) {
                out.push(R::prior(*id, Some(Box::new(v.clone()))));
            }
        }
        out.extend(new.keys().filter(|id| !old.contains_key(id)).map(|id| R::prior(*id, None)));
    }
    let mut p = Vec::new();
    let (o, n) = (&*ws, &next);
    if o.settings != n.settings {
        p.push(Prior::Settings(Box::new(o.settings.clone())));
    }
    if o.performance != n.performance {
        p.push(Prior::Perf(Box::new(o.performance.clone())));
    }
    if o.plan != n.plan {
        p.push(Prior::PlanLines(Box::new(PlanLines::between(&o.plan, &n.plan))));
    }
    if o.branch != n.branch {
        p.push(Prior::Branch(o.branch.clone().map(Box::new)));
    }
    table(&o.tiers, &n.tiers, &mut p);
    table(&o.units, &n.units, &mut p);
    table(&o.people, &n.people, &mut p);
    table(&o.skills, &n.skills, &mut p);
    table(&o.grades, &n.grades, &mut p);
    table(&o.scenarios, &n.scenarios, &mut p);
    table(&o.categories, &n.categories, &mut p);
    table(&o.tools, &n.tools, &mut p);
    table(&o.time_splits, &n.time_splits, &mut p);
    table(&o.customers, &n.customers, &mut p);
    table(&o.stages, &n.stages, &mut p);
    table(&o.opportunities, &n.opportunities, &mut p);
    table(&o.overrides, &n.overrides, &mut p);
    table(&o.scorecards, &n.scorecards, &mut p);
    table(&o.kpis, &n.kpis, &mut p);
    table(&o.kpi_entries, &n.kpi_entries, &mut p);
    table(&o.incentive_plans, &n.incentive_plans, &mut p);
    table(&o.pools, &n.pools, &mut p);
    table(&o.spifs, &n.spifs, &mut p);
    table(&o.exchange, &n.exchange, &mut p);
    table(&o.keys, &n.keys, &mut p);
    table(&o.activities, &n.activities, &mut p);
    table(&o.tasks, &n.tasks, &mut p);
    for (id, t) in &o.tombstones {
        if n.tombstones.get(id) != Some(t) {
            p.push(Prior::Tomb(*id, Some(t.clone())));
        }
    }
    p.extend(n.tombstones.keys().filter(|id| !o.tombstones.contains_key(id)).map(|id| Prior::Tomb(*id, None)));
    let meta = ws.meta.clone();
    *ws = next;
    // The identity of a workspace never changes by a merge.
    ws.meta = meta;
    Patch { priors: p }
}

/// A transaction over the workspace: records priors on first touch, bumps
/// revisions once per edit, and rolls back on error.
pub(super) struct Tx<'a> {
    pub(super) ws: &'a mut Workspace,
    pub(super) now: DateTime<Utc>,
    pub(super) priors: Vec<Prior>,
    pub(super) touched: HashSet<(Option<Kind>, Id)>,
}

impl<'a> Tx<'a> {
    /// The money totals this edit may have raised (see
    /// `validate::totals_of`): a deal whose amount or margin went up or that
    /// is new; any plan, pool, SPIF or tool change; a new person (plans'
    /// headcount quota and SPIFs count people). Lowered or untouched terms
    /// cannot take a total that was within its limit past it.
    pub(super) fn raised(&self) -> crate::engine::validate::Totals {
        let mut t = crate::engine::validate::Totals::default();
        let cap = crate::engine::validate::capped;
        let terms = |o: &Opportunity| (cap(o.amount.0), o.margin.map_or(0, |m| cap(m.0.saturating_abs())));
        for p in &self.priors {
            match p {
                Prior::Opportunity(id, old) => {
                    if let Some(now) = self.ws.opportunities.get(id) {
                        let (a, m) = terms(now);
                        t.deals |= old.as_deref().is_none_or(|o| {
                            let (a0, m0) = terms(o);
                            a > a0 || m > m0
                        });
                    }
                }
                Prior::Plan(_) | Prior::PlanLines(_) | Prior::Scenario(..) | Prior::ScenarioLines(..) => t.plans = true,
                Prior::Person(id, None) if self.ws.people.contains_key(id) => {
                    t.plans = true;
                    t.spifs = true;
                }
                Prior::Pool(..) => t.pools = true,
                Prior::Spif(..) => t.spifs = true,
                Prior::Tool(..) => t.tools = true,
                _ => {}
            }
        }
        t
    }

    pub(super) fn settings(&mut self, f: impl FnOnce(&mut Settings)) {
        if self.touched.insert((None, self.ws.meta.id)) {
            self.priors.push(Prior::Settings(Box::new(self.ws.settings.clone())));
        }
        let prior_rev = self.priors.iter().find_map(|p| match p {
            Prior::Settings(s) => Some(s.rev),
            _ => None,
        });
        f(&mut self.ws.settings);
        self.ws.settings.rev = prior_rev.unwrap_or(0) + 1;
        self.ws.settings.updated_at = self.now;
    }

    pub(super) fn remember<R: Record>(&mut self, id: Id) {
        if self.touched.insert((Some(R::KIND), id)) {
            let old = R::table(self.ws).get(&id).cloned().map(Box::new);
            self.priors.push(R::prior(id, old));
        }
    }

    /// Inserts or replaces a record. Its revision becomes one above what it
    /// had before this edit, however often the edit touches it.
    pub(super) fn put<R: Record>(&mut self, mut r: R) {
        let id = r.id();
        // First touch: the record's current revision is the prior one (no
        // search, so a batch of thousands of new records stays linear).
        let prior_rev = if self.touched.insert((Some(R::KIND), id)) {
            let old = R::table(self.ws).get(&id).cloned();
            let rev = old.as_ref().map(|x| x.rev());
            self.priors.push(R::prior(id, old.map(Box::new)));
            rev
        } else {
            self.priors.iter().rev().find_map(|p| R::unprior(p, id)).flatten().map(|x| x.rev())
        };
        // A record coming back under a derived id (a target, a KPI entry, a
        // pool) replaces its tombstone and outranks it, so a merge keeps it.
        let tomb_rev = self.ws.tombstones.get(&id).map(|t| t.rev);
        if tomb_rev.is_some() {
            if self.touched.insert((None, id)) {
                self.priors.push(Prior::Tomb(id, self.ws.tombstones.get(&id).cloned()));
            }
            self.ws.tombstones.remove(&id);
        }
        r.stamp(prior_rev.unwrap_or(0).max(tomb_rev.unwrap_or(0)) + 1, self.now);
        R::table(self.ws).insert(id, r);
    }

    /// Replaces the performance settings (bands), snapshotted for undo.
    pub(super) fn performance(&mut self, next: PerfSettings) {
        if self.touched.insert((Some(Kind::Scorecard), self.ws.meta.id)) {
            self.priors.push(Prior::Perf(Box::new(self.ws.performance.clone())));
        }
        self.ws.performance = next;
    }

    /// Removes a record and leaves a tombstone.
    pub(super) fn delete<R: Record>(&mut self, id: Id) {
        let Some(r) = R::table(self.ws).get(&id).cloned() else { return };
        self.remember::<R>(id);
        R::table(self.ws).remove(&id);
        if self.touched.insert((None, id)) {
            let old = self.ws.tombstones.get(&id).cloned();
            self.priors.push(Prior::Tomb(id, old));
        }
        self.ws.tombstones.insert(id, Tombstone { id, kind: R::KIND, rev: r.rev() + 1, deleted_at: self.now });
    }

    /// The plan an edit works on, snapshotted for undo on first touch.
    pub(super) fn plan(&mut self, scenario: Option<Id>) -> Result<&mut Plan, EditError> {
        match scenario {
            None => {
                if self.touched.insert((Some(Kind::Target), self.ws.meta.id)) {
                    self.priors.push(Prior::Plan(Box::new(self.ws.plan.clone())));
                }
                Ok(&mut self.ws.plan)
            }
            Some(s) => {
                let sc = self.ws.scenarios.get(&s).cloned().ok_or(EditError::NotFound { kind: Kind::Scenario, id: s })?;
                self.put(sc);
                Ok(&mut self.ws.scenarios.get_mut(&s).expect("scenario").plan)
            }
        }
    }

    /// Revision a plan line gets: one above what it had before this edit
    /// (the snapshot this edit took, or — before the edit has touched the
    /// plan — the plan as it is now).
    pub(super) fn plan_rev(&self, scenario: Option<Id>, pick: impl Fn(&Plan) -> Option<u64>) -> u64 {
        let before = match scenario {
            None => self.priors.iter().find_map(|p| match p {
                Prior::Plan(p) => Some(pick(p)),
                _ => None,
            }),
            Some(s) => self.priors.iter().find_map(|p| match p {
                Prior::Scenario(i, v) if *i == s => Some(v.as_ref().and_then(|sc| pick(&sc.plan))),
                _ => None,
            }),
        };
        let before = match before {
            Some(rev) => rev,
            None => self.ws.plan_of(scenario).and_then(&pick),
        };
        before.unwrap_or(0) + 1
    }

    pub(super) fn write_target(&mut self, scenario: Option<Id>, mut line: TargetLine) -> Result<(), EditError> {
        let id = line.id;
        line.rev = self.plan_rev(scenario, |p| p.targets.get(&id).map(|l| l.rev));
        line.updated_at = self.now;
        self.plan(scenario)?.targets.insert(id, line);
        Ok(())
    }

    pub(super) fn rollback(self) {
        Patch { priors: self.priors }.apply(self.ws);
    }
}

/// Gives every record of `next` that differs from `base` a revision above
/// both, stamped `now` (adopting a scenario is an edit of those lines).
pub(super) fn restamp<T: PartialEq>(
    next: &mut BTreeMap<Id, T>,
    base: &BTreeMap<Id, T>,
    now: DateTime<Utc>,
    rev: impl Fn(&T) -> u64,
    set: impl Fn(&mut T, u64, DateTime<Utc>),
) {
    for (id, line) in next.iter_mut() {
        let old = base.get(id);
        if old != Some(&*line) {
            let r = old.map(&rev).unwrap_or(0).max(rev(line)) + 1;
            set(line, r, now);
        }
    }
}

/// Counts what is written to it: the size of a value as JSON, without
/// keeping the text.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn json_len<T: serde::Serialize + ?Sized>(v: &T) -> usize {
    let mut c = Counter(0);
    let _ = serde_json::to_writer(&mut c, v);
    c.0
}

fn opt_len<T: serde::Serialize>(v: &Option<T>) -> usize {
    v.as_ref().map_or(0, |x| json_len(x))
}

impl Prior {
    /// The size of what this prior keeps, as compact JSON: the measure the
    /// undo history is bounded by.
    fn bytes(&self) -> usize {
        use Prior::*;
        let lines = |l: &self::PlanLines| {
            l.targets.iter().map(|(_, v)| opt_len(v)).sum::<usize>()
                + l.budgets.iter().map(|(_, v)| opt_len(v)).sum::<usize>()
                + l.headcount.iter().map(|(_, v)| opt_len(v)).sum::<usize>()
                + opt_len(&l.assumptions)
        };
        16 + match self {
            Settings(v) => json_len(v),
            Perf(v) => json_len(v),
            Plan(v) => json_len(v),
            PlanLines(l) => lines(l),
            ScenarioLines(_, x) => json_len(&x.0) + lines(&x.1),
            Branch(v) => opt_len(v),
            Tomb(_, v) => opt_len(v),
            Tier(_, v) => opt_len(v),
            Unit(_, v) => opt_len(v),
            Person(_, v) => opt_len(v),
            Skill(_, v) => opt_len(v),
            Grade(_, v) => opt_len(v),
            Scenario(_, v) => opt_len(v),
            Category(_, v) => opt_len(v),
            Tool(_, v) => opt_len(v),
            TimeSplit(_, v) => opt_len(v),
            Customer(_, v) => opt_len(v),
            Stage(_, v) => opt_len(v),
            Opportunity(_, v) => opt_len(v),
            Override(_, v) => opt_len(v),
            Scorecard(_, v) => opt_len(v),
            Kpi(_, v) => opt_len(v),
            KpiEntry(_, v) => opt_len(v),
            IncentivePlan(_, v) => opt_len(v),
            Pool(_, v) => opt_len(v),
            Spif(_, v) => opt_len(v),
            Exchange(_, v) => opt_len(v),
            Key(_, v) => opt_len(v),
            Activity(_, v) => opt_len(v),
            Task(_, v) => opt_len(v),
        }
    }
}

impl Patch {
    /// The size of what undoing this patch needs kept, as compact JSON.
    pub fn bytes(&self) -> usize {
        self.priors.iter().map(Prior::bytes).sum()
    }
}

/// Undo / redo stacks of patches, bounded in steps and in bytes.
#[derive(Clone, Debug)]
pub struct History {
    /// Patches with their size, oldest first.
    undo: VecDeque<(Patch, usize)>,
    redo: Vec<Patch>,
    limit: usize,
    limit_bytes: usize,
    /// The sum of the undo patches' sizes.
    bytes: usize,
}

pub const HISTORY_LIMIT: usize = 200;
/// What undo keeps at most, as compact JSON (the newest step is always
/// kept, however large: a merge of a whole workspace can be undone).
pub const HISTORY_BYTES: usize = 8 * 1024 * 1024;

impl Default for History {
    fn default() -> Self {
        History { undo: VecDeque::new(), redo: Vec::new(), limit: HISTORY_LIMIT, limit_bytes: HISTORY_BYTES, bytes: 0 }
    }
}

impl History {
    pub fn with_limit(limit: usize) -> History {
        History { limit, ..History::default() }
    }

    pub fn with_limits(limit: usize, limit_bytes: usize) -> History {
        History { limit, limit_bytes, ..History::default() }
    }

    /// What the undo steps keep, as compact JSON.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    fn push(&mut self, patch: Patch) {
        let n = patch.bytes();
        self.bytes += n;
        self.undo.push_back((patch, n));
        while self.undo.len() > self.limit || (self.bytes > self.limit_bytes && self.undo.len() > 1) {
            if let Some((_, n)) = self.undo.pop_front() {
                self.bytes -= n;
            }
        }
    }

    fn pop(&mut self) -> Option<Patch> {
        let (p, n) = self.undo.pop_back()?;
        self.bytes -= n;
        Some(p)
    }

    /// Records a successful edit's patch; clears the redo stack.
    pub fn record(&mut self, patch: Patch) {
        if patch.is_empty() {
            return;
        }
        self.push(patch);
        self.redo.clear();
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }

    pub fn undo(&mut self, ws: &mut Workspace) -> bool {
        match self.pop() {
            Some(p) => {
                self.redo.push(p.apply(ws));
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self, ws: &mut Workspace) -> bool {
        match self.redo.pop() {
            Some(p) => {
                let back = p.apply(ws);
                self.push(back);
                true
            }
            None => false,
        }
    }

    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.bytes = 0;
    }

    /// The patch of the last undo (it is on top of the redo stack) — it
    /// names the records the undo touched.
    pub fn last_undone(&self) -> Option<&Patch> {
        self.redo.last()
    }

    /// The patch of the last redo (or recorded edit).
    pub fn last_done(&self) -> Option<&Patch> {
        self.undo.back().map(|(p, _)| p)
    }
}
