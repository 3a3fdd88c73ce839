//! Pillar 2 engine: fiscal periods, exact splits, target cascade and
//! rollup with mismatch flags, budget headroom, tool costs, ramp and
//! capacity, scenario comparison. Pure functions over the document.

use crate::engine::grading::months_between;
use crate::model::*;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

// ---------------------------------------------------------------- periods

/// A period of a fiscal year. Months and quarters are fiscal (1 = first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "n", rename_all = "snake_case")]
pub enum Period {
    Year,
    Quarter(u8),
    Month(u8),
}

impl Period {
    /// Month indices (0-based) the period covers.
    pub fn months(self) -> std::ops::Range<usize> {
        match self {
            Period::Year => 0..MONTHS,
            Period::Quarter(q) => {
                let q = q.clamp(1, 4) as usize;
                (q - 1) * 3..q * 3
            }
            Period::Month(m) => {
                let m = m.clamp(1, 12) as usize;
                m - 1..m
            }
        }
    }

    /// Does this period cover every month of `other`?
    pub fn contains(self, other: Period) -> bool {
        let (a, b) = (self.months(), other.months());
        b.start >= a.start && b.end <= a.end
    }

    pub fn valid(self) -> bool {
        match self {
            Period::Year => true,
            Period::Quarter(q) => (1..=4).contains(&q),
            Period::Month(m) => (1..=12).contains(&m),
        }
    }

    /// The 17 periods of a year in display order: Q1, M1–M3, Q2, …, Year.
    pub fn all() -> Vec<Period> {
        let mut v = Vec::new();
        for q in 1..=4u8 {
            v.push(Period::Quarter(q));
            for m in 0..3u8 {
                v.push(Period::Month((q - 1) * 3 + m + 1));
            }
        }
        v.push(Period::Year);
        v
    }
}

/// The fiscal year (named by the calendar year it starts in) containing `date`.
pub fn fiscal_year_of(date: NaiveDate, start_month: u8) -> i32 {
    if date.month() >= start_month as u32 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// Calendar (year, month) of fiscal month index `i` (0-based).
pub fn calendar_month(year: i32, start_month: u8, i: usize) -> (i32, u32) {
    let m0 = start_month as usize - 1 + i;
    (year + (m0 / 12) as i32, (m0 % 12) as u32 + 1)
}

/// First day of fiscal month `i`.
pub fn month_start(year: i32, start_month: u8, i: usize) -> NaiveDate {
    let (y, m) = calendar_month(year, start_month, i);
    NaiveDate::from_ymd_opt(y, m, 1).expect("valid month")
}

/// First day of a period and the first day after it.
pub fn period_bounds(year: i32, start_month: u8, period: Period) -> (NaiveDate, NaiveDate) {
    let r = period.months();
    let start = month_start(year, start_month, r.start);
    let end = if r.end == MONTHS { month_start(year + 1, start_month, 0) } else { month_start(year, start_month, r.end) };
    (start, end)
}

/// Elapsed share of a period at `today`, as (elapsed days, total days).
pub fn elapsed(year: i32, start_month: u8, period: Period, today: NaiveDate) -> (i64, i64) {
    let (start, end) = period_bounds(year, start_month, period);
    let total = (end - start).num_days();
    let done = (today - start).num_days().clamp(0, total);
    (done, total)
}

// ---------------------------------------------------------------- exact splits

/// Splits `total` in proportion to `weights` so the parts sum to exactly
/// `total`: each part is rounded down, then the units left over go one by
/// one to the largest remainders (ties to the earlier part). All-zero
/// weights split equally.
pub fn split_exact(total: i64, weights: &[u128]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let equal: Vec<u128>;
    let w: &[u128] = if weights.iter().all(|x| *x == 0) {
        equal = vec![1; weights.len()];
        &equal
    } else {
        weights
    };
    let sum: u128 = w.iter().sum();
    let neg = total < 0;
    let t = total.unsigned_abs() as u128;
    let mut parts: Vec<i64> = Vec::with_capacity(w.len());
    let mut rems: Vec<(u128, usize)> = Vec::with_capacity(w.len());
    let mut given: u128 = 0;
    for (i, wi) in w.iter().enumerate() {
        let exact = t * wi;
        let q = exact / sum;
        parts.push(q as i64);
        rems.push((exact % sum, i));
        given += q;
    }
    let mut left = t - given;
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in rems {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    if neg {
        parts.iter_mut().for_each(|p| *p = -*p);
    }
    parts
}

/// Like [`split_exact`], but money is split in whole currency units (the
/// parts are multiples of 100 minor units); stray cents of the total go to
/// the first part, so the sum is still exact.
pub fn split_whole(total: i64, weights: &[u128], money: bool) -> Vec<i64> {
    if !money {
        return split_exact(total, weights);
    }
    let mut parts: Vec<i64> = split_exact(total.div_euclid(100), weights).into_iter().map(|p| p * 100).collect();
    if let Some(first) = parts.first_mut() {
        *first += total.rem_euclid(100);
    }
    parts
}

/// Sets `amount` over the months of `period`, in proportion to what the
/// months hold now (equally if they hold nothing). Exact.
pub fn spread(months: &mut [i64; MONTHS], period: Period, amount: i64) {
    spread_in(months, period, amount, false)
}

/// [`spread`], in whole currency units for money.
pub fn spread_in(months: &mut [i64; MONTHS], period: Period, amount: i64, money: bool) {
    let r = period.months();
    let weights: Vec<u128> = months[r.clone()].iter().map(|m| (*m).max(0) as u128).collect();
    for (i, v) in r.zip(split_whole(amount, &weights, money)) {
        months[i] = v;
    }
}

// ---------------------------------------------------------------- cascade

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Equal,
    /// By each child's weight.
    Weight,
    /// By each child's share of last year's won revenue (last year's
    /// targets when there are no won deals, and for non-revenue kinds).
    History,
    /// By each child's effective capacity.
    Capacity,
}

impl Method {
    pub const ALL: [Method; 4] = [Method::Equal, Method::Weight, Method::History, Method::Capacity];
}

/// Children and current members of every unit, sorted, built once.
pub struct Tree<'a> {
    kids: HashMap<Id, Vec<Id>>,
    members: HashMap<Id, Vec<&'a Person>>,
}

impl<'a> Tree<'a> {
    pub fn new(ws: &'a Workspace) -> Tree<'a> {
        let mut kids: HashMap<Id, Vec<&Unit>> = HashMap::new();
        for u in ws.units.values() {
            if let Some(p) = u.parent {
                kids.entry(p).or_default().push(u);
            }
        }
        let kids = kids
            .into_iter()
            .map(|(k, mut v)| {
                v.sort_by_key(|u| (u.order, u.id));
                (k, v.into_iter().map(|u| u.id).collect())
            })
            .collect();
        // People come in id order (a BTreeMap), which fixes who gets a
        // stray cent in a split; no sort needed.
        let mut members: HashMap<Id, Vec<&Person>> = HashMap::new();
        for p in ws.people.values().filter(|p| p.status != Status::Left) {
            members.entry(p.unit).or_default().push(p);
        }
        Tree { kids, members }
    }

    /// Who a unit's target is split among: its child units, then its members
    /// who carry a quota — everyone but the manager, and the manager too when
    /// they have a personal target line for that year.
    pub fn target_children(&self, ws: &Workspace, plan: &Plan, unit: Id, kind: TargetKind, year: i32) -> Vec<Id> {
        let mut out: Vec<Id> = self.kids.get(&unit).cloned().unwrap_or_default();
        let manager = ws.units.get(&unit).and_then(|u| u.manager);
        if let Some(m) = self.members.get(&unit) {
            out.extend(m.iter().filter(|p| Some(p.id) != manager || plan.target(p.id, kind, year).is_some()).map(|p| p.id));
        }
        out
    }
}

/// [`Tree::target_children`] for one unit.
pub fn target_children(ws: &Workspace, plan: &Plan, unit: Id, kind: TargetKind, year: i32) -> Vec<Id> {
    Tree::new(ws).target_children(ws, plan, unit, kind, year)
}

/// Last year's actuals, computed once per cascade and only if the history method needs them.
type LastYear = std::sync::OnceLock<(crate::engine::crm::Monthly, crate::engine::crm::Monthly)>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CascadeError {
    NoChildren,
    /// Locked children already hold more than there is to hand out.
    LockedExceed {
        month: usize,
        over: i64,
    },
    NoParentTarget,
}

/// What to split: a unit's target of one kind and year, over a period, by a method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    pub unit: Id,
    pub kind: TargetKind,
    pub year: i32,
    pub period: Period,
    pub method: Method,
}

/// The new lines a cascade produces: each unlocked child's months in the
/// period set to its share of (parent × (1 + buffer) − locked children).
/// Per month, the children then sum exactly to what was distributed.
pub fn cascade(ws: &Workspace, plan: &Plan, spec: &Spec, today: NaiveDate) -> Result<Vec<TargetLine>, CascadeError> {
    let caps = (spec.method == Method::Capacity).then(|| capacities(ws, plan, spec.year, today));
    cascade_with(ws, plan, &Tree::new(ws), caps.as_ref(), &LastYear::new(), spec)
}

/// Cascades a unit and then every unit below it, top-down, each level
/// splitting what the level above just received. Returns every changed line.
pub fn cascade_deep(ws: &Workspace, plan: &Plan, spec: &Spec, today: NaiveDate) -> Result<Vec<TargetLine>, CascadeError> {
    let tree = Tree::new(ws);
    let caps = (spec.method == Method::Capacity).then(|| capacities(ws, plan, spec.year, today));
    let mut work = plan.clone();
    let mut changed: BTreeMap<Id, TargetLine> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([spec.unit]);
    let mut first = true;
    let history = LastYear::new();
    while let Some(u) = queue.pop_front() {
        match cascade_with(ws, &work, &tree, caps.as_ref(), &history, &Spec { unit: u, ..*spec }) {
            Ok(lines) => {
                for l in lines {
                    work.targets.insert(l.id, l.clone());
                    changed.insert(l.id, l);
                }
            }
            // Below the top, a unit with nobody to split among just keeps its target.
            Err(CascadeError::NoChildren) if !first => {}
            Err(e) => return Err(e),
        }
        first = false;
        queue.extend(tree.kids.get(&u).into_iter().flatten().copied());
    }
    Ok(changed.into_values().collect())
}

fn cascade_with(
    ws: &Workspace,
    plan: &Plan,
    tree: &Tree,
    caps: Option<&Capacities>,
    history: &LastYear,
    spec: &Spec,
) -> Result<Vec<TargetLine>, CascadeError> {
    let Spec { unit, kind, year, period, method } = *spec;
    let parent = plan.target(unit, kind, year).ok_or(CascadeError::NoParentTarget)?;
    let children = tree.target_children(ws, plan, unit, kind, year);
    if children.is_empty() {
        return Err(CascadeError::NoChildren);
    }
    let line = |c: Id| plan.target(c, kind, year).cloned().unwrap_or_else(|| TargetLine::new(c, kind, year, parent.updated_at));
    let lines: Vec<TargetLine> = children.iter().map(|c| line(*c)).collect();
    let unlocked: Vec<usize> = (0..lines.len()).filter(|i| !lines[*i].locked).collect();
    if unlocked.is_empty() {
        return Ok(Vec::new());
    }
    let weights: Vec<u128> = match method {
        Method::Equal => vec![1; unlocked.len()],
        Method::Weight => unlocked.iter().map(|i| lines[*i].weight as u128).collect(),
        Method::History => {
            // Last year's won revenue when there is any, else last year's targets.
            let won: Vec<u128> = match kind {
                TargetKind::Revenue => {
                    let (people, units) = history.get_or_init(|| crate::engine::crm::actuals(ws, year - 1));
                    let total = |o: Id| units.get(&o).or_else(|| people.get(&o)).map(|m| m.iter().sum::<i64>().max(0) as u128).unwrap_or(0);
                    unlocked.iter().map(|i| total(lines[*i].owner)).collect()
                }
                _ => Vec::new(),
            };
            if won.iter().any(|w| *w > 0) {
                won
            } else {
                unlocked
                    .iter()
                    .map(|i| plan.target(lines[*i].owner, kind, year - 1).map(|l| l.total().max(0) as u128).unwrap_or(0))
                    .collect()
            }
        }
        Method::Capacity => {
            let caps = caps.expect("capacities computed for the capacity method");
            unlocked
                .iter()
                .map(|i| {
                    let o = lines[*i].owner;
                    caps.units.get(&o).map(|c| c.effective.0).or_else(|| caps.people.get(&o).map(|m| m.0)).unwrap_or(0).max(0) as u128
                })
                .collect()
        }
    };
    let mut out: Vec<TargetLine> = unlocked.iter().map(|i| lines[*i].clone()).collect();
    // What there is to hand out each month: parent × (1 + buffer) − locked children.
    let mut free = Vec::new();
    for m in period.months() {
        // The buffer on money is handed out in whole currency units (rounded down).
        let extra = parent.months[m] as i128 * parent.buffer_bp as i128 / 10_000;
        let extra = if kind.is_money() { extra / 100 * 100 } else { extra };
        let budget = parent.months[m] as i128 + extra;
        let locked: i128 = lines.iter().filter(|l| l.locked).map(|l| l.months[m] as i128).sum();
        let f = budget - locked;
        if f < 0 {
            return Err(CascadeError::LockedExceed { month: m, over: (-f) as i64 });
        }
        free.push((m, f as i64));
    }
    // Split the running total, month by month: every month's column sums to
    // what that month hands out, and every child's period total is its exact
    // share of the period (no drift from rounding each month on its own).
    let money = kind.is_money();
    let mut cum = 0i64;
    let mut prev = vec![0i64; out.len()];
    let mut by_month = Vec::with_capacity(free.len());
    for (m, f) in &free {
        cum += f;
        let now = split_whole(cum, &weights, money);
        by_month.push((*m, now.iter().zip(&prev).map(|(a, b)| a - b).collect::<Vec<i64>>()));
        prev = now;
    }
    if by_month.iter().any(|(_, v)| v.iter().any(|x| *x < 0)) {
        // Degenerate months (a zero between non-zero ones) can make the running
        // split step back by a unit; split each month on its own instead.
        by_month = free.iter().map(|(m, f)| (*m, split_whole(*f, &weights, money))).collect();
    }
    for (m, parts) in by_month {
        for (k, v) in parts.into_iter().enumerate() {
            out[k].months[m] = v;
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- rollup

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    /// No child has a target: nothing to compare.
    NotSplit,
    Matches,
    /// Children hold less than the unit's own target.
    Under,
    /// Children hold more than the unit's target plus its buffer.
    Over,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rollup {
    /// The unit's own target line (zeros if none).
    pub own: [i64; MONTHS],
    /// Σ of the direct children's lines (child units + quota carriers).
    pub children: [i64; MONTHS],
    /// Σ of every person's line in the subtree (the bottom-up number).
    pub leaves: [i64; MONTHS],
    pub buffer_bp: u32,
    pub has_children_lines: bool,
}

impl Rollup {
    pub fn sum(a: &[i64; MONTHS], p: Period) -> i64 {
        a[p.months()].iter().sum()
    }

    /// How the children's split compares with the unit's own target over `p`.
    pub fn fit(&self, p: Period) -> Fit {
        if !self.has_children_lines {
            return Fit::NotSplit;
        }
        let own = Self::sum(&self.own, p) as i128;
        let kids = Self::sum(&self.children, p) as i128;
        if kids < own {
            Fit::Under
        } else if kids * 10_000 > own * (10_000 + self.buffer_bp as i128) {
            Fit::Over
        } else {
            Fit::Matches
        }
    }
}

fn add(a: &mut [i64; MONTHS], b: &[i64; MONTHS]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// Rollups for every unit, one pass over people and units (leaves first).
pub fn rollup(ws: &Workspace, plan: &Plan, kind: TargetKind, year: i32) -> BTreeMap<Id, Rollup> {
    let blank = Rollup { own: [0; MONTHS], children: [0; MONTHS], leaves: [0; MONTHS], buffer_bp: 0, has_children_lines: false };
    let mut out: BTreeMap<Id, Rollup> = ws.units.keys().map(|u| (*u, blank.clone())).collect();
    let mut has_line: std::collections::HashSet<Id> = std::collections::HashSet::new();
    // One pass over the lines (no id lookups): units get their own line,
    // people add to their unit. Every member with a line counts, the
    // manager's personal quota included.
    for l in plan.targets.values().filter(|l| l.kind == kind && l.year == year) {
        if let Some(r) = out.get_mut(&l.owner) {
            r.own = l.months;
            r.buffer_bp = l.buffer_bp;
            has_line.insert(l.owner);
        } else if let Some(p) = ws.people.get(&l.owner) {
            if let Some(r) = out.get_mut(&p.unit) {
                add(&mut r.leaves, &l.months);
                add(&mut r.children, &l.months);
                r.has_children_lines = true;
            }
        }
    }
    for (id, _) in crate::engine::org::units_by_depth(ws).iter().rev() {
        let Some(parent) = ws.units[id].parent else { continue };
        let (own, leaves) = {
            let r = &out[id];
            (r.own, r.leaves)
        };
        let pr = out.get_mut(&parent).expect("parent");
        add(&mut pr.leaves, &leaves);
        if has_line.contains(id) {
            add(&mut pr.children, &own);
            pr.has_children_lines = true;
        }
    }
    out
}

// ---------------------------------------------------------------- budget

/// What `unit` may hold in `category` for `year`: its parent's budget less
/// its siblings' (None for the root: no limit from above).
pub fn budget_headroom(ws: &Workspace, plan: &Plan, unit: Id, year: i32, category: Id) -> Option<Money> {
    let parent = ws.units.get(&unit)?.parent?;
    let siblings: i64 =
        ws.units.values().filter(|u| u.parent == Some(parent) && u.id != unit).map(|u| plan.budget(u.id, year, category).0).sum();
    Some(Money(plan.budget(parent, year, category).0 - siblings))
}

/// Σ of the children's budgets of `unit`.
pub fn budget_allocated(ws: &Workspace, plan: &Plan, unit: Id, year: i32, category: Id) -> Money {
    Money(ws.units.values().filter(|u| u.parent == Some(unit)).map(|u| plan.budget(u.id, year, category).0).sum())
}

/// Yearly tool seat cost of the people in each unit's subtree.
pub fn tool_costs(ws: &Workspace) -> BTreeMap<Id, Money> {
    let mut direct: HashMap<Id, i64> = HashMap::new();
    for t in ws.tools.values() {
        for p in &t.seats {
            if let Some(person) = ws.people.get(p) {
                *direct.entry(person.unit).or_default() += t.cost_per_seat.0;
            }
        }
    }
    let mut out: BTreeMap<Id, Money> = ws.units.keys().map(|u| (*u, Money(direct.get(u).copied().unwrap_or(0)))).collect();
    for (id, _) in crate::engine::org::units_by_depth(ws).iter().rev() {
        if let Some(parent) = ws.units[id].parent {
            let v = out[id].0;
            out.get_mut(&parent).expect("parent").0 += v;
        }
    }
    out
}

/// How far a unit's tool seat costs exceed its budget in the tools category
/// (None when within it, or when the unit has no tools budget of its own:
/// its parent carries the cost then).
pub fn tools_overrun(ws: &Workspace, plan: &Plan, unit: Id, year: i32, seat_cost: Money) -> Option<Money> {
    let category = ws.categories.values().find(|c| c.tools)?;
    let budget = plan.budget(unit, year, category.id);
    (budget.0 > 0 && seat_cost > budget).then(|| Money(seat_cost.0 - budget.0))
}

// ---------------------------------------------------------------- capacity

/// Ramp factor (percent) in a rep's `n`-th month (0 = first).
pub fn ramp_pct(ramp: &[u32], n: i64) -> u32 {
    if n < 0 {
        0
    } else {
        ramp.get(n as usize).copied().unwrap_or(100)
    }
}

/// Ramp-adjusted quota of one rep hired on `hire` over fiscal `year`: Σ over
/// the months they are there of (quota ÷ 12) × ramp. Exact to the cent
/// (rounded half up once, at the end).
pub fn ramped_quota(a: &Assumptions, hire: Option<NaiveDate>, year: i32, start_month: u8) -> Money {
    let mut pct_months: i128 = 0;
    for i in 0..MONTHS {
        let start = month_start(year, start_month, i);
        // There from the first month that starts on or after the hire date.
        let n = match hire {
            None => 99,
            Some(h) if h > start => -1,
            Some(h) => months_between(h, start),
        };
        pct_months += ramp_pct(&a.ramp, n) as i128;
    }
    Money(round_div(a.quota_per_rep.0 as i128 * pct_months, 1200))
}

/// Capacity a planned hire starting in fiscal month `month` (1–12) adds.
pub fn hire_quota(a: &Assumptions, month: u8) -> Money {
    let start = month.clamp(1, 12) as i64 - 1;
    let pct: i128 = (0..MONTHS as i64).map(|i| ramp_pct(&a.ramp, i - start) as i128).sum();
    Money(round_div(a.quota_per_rep.0 as i128 * pct, 1200))
}

/// n ÷ d rounded half up (d > 0).
pub fn round_div(n: i128, d: i128) -> i64 {
    let q = n.div_euclid(d);
    let r = n.rem_euclid(d);
    (if r * 2 >= d { q + 1 } else { q }) as i64
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Capacity {
    /// Active reps (bottom tier) in the subtree.
    pub reps: usize,
    pub planned_hires: u32,
    pub attrition: u32,
    /// Σ ramp-adjusted quota of current reps.
    pub rep_quota: Money,
    /// Σ ramp-adjusted quota of planned hires.
    pub hire_quota: Money,
    /// Quota lost to expected leavers (half a year of full quota each).
    pub attrition_quota: Money,
    /// (rep + hire − attrition quota) × expected attainment.
    pub effective: Money,
    pub target: Money,
    /// ⌈target ÷ (quota per rep × expected attainment)⌉.
    pub reps_needed: u64,
    /// target − effective (positive = short).
    pub gap: Money,
}

pub struct Capacities {
    pub units: BTreeMap<Id, Capacity>,
    /// Each rep's effective (attainment-adjusted) ramped quota.
    pub people: BTreeMap<Id, Money>,
}

/// Capacity of every unit for `year` under `plan`.
pub fn capacities(ws: &Workspace, plan: &Plan, year: i32, _today: NaiveDate) -> Capacities {
    let a = &plan.assumptions;
    let start = ws.settings.fiscal_year_start_month;
    let bottom = ws.tiers_in_order().last().map(|t| t.id);
    let mut units: BTreeMap<Id, Capacity> = ws.units.keys().map(|u| (*u, Capacity::default())).collect();
    let mut people = BTreeMap::new();
    for p in ws.people.values() {
        if p.status == Status::Left || Some(p.tier) != bottom {
            continue;
        }
        let q = ramped_quota(a, p.hire_date, year, start);
        people.insert(p.id, Money(round_div(q.0 as i128 * a.expected_attainment as i128, 100)));
        if let Some(c) = units.get_mut(&p.unit) {
            c.reps += 1;
            c.rep_quota.0 += q.0;
        }
    }
    for h in plan.headcount.values().filter(|h| h.year == year) {
        if let Some(c) = units.get_mut(&h.unit) {
            for hire in &h.hires {
                c.planned_hires += hire.count;
                c.hire_quota.0 += hire_quota(a, hire.month).0 * hire.count as i64;
            }
            c.attrition += h.attrition;
            c.attrition_quota.0 += round_div(a.quota_per_rep.0 as i128 * h.attrition as i128, 2);
        }
    }
    for (id, _) in crate::engine::org::units_by_depth(ws).iter().rev() {
        if let Some(parent) = ws.units[id].parent {
            let c = units[id].clone();
            let pc = units.get_mut(&parent).expect("parent");
            pc.reps += c.reps;
            pc.planned_hires += c.planned_hires;
            pc.attrition += c.attrition;
            pc.rep_quota.0 += c.rep_quota.0;
            pc.hire_quota.0 += c.hire_quota.0;
            pc.attrition_quota.0 += c.attrition_quota.0;
        }
    }
    let per_rep = a.quota_per_rep.0 as i128 * a.expected_attainment as i128; // × 1/100
    for (id, c) in units.iter_mut() {
        let raw = (c.rep_quota.0 + c.hire_quota.0 - c.attrition_quota.0).max(0) as i128;
        c.effective = Money(round_div(raw * a.expected_attainment as i128, 100));
        c.target = Money(plan.target(*id, TargetKind::Revenue, year).map(|l| l.total()).unwrap_or(0));
        c.reps_needed = if per_rep > 0 { ((c.target.0 as i128 * 100 + per_rep - 1) / per_rep).max(0) as u64 } else { 0 };
        c.gap = Money(c.target.0 - c.effective.0);
    }
    Capacities { units, people }
}

// ---------------------------------------------------------------- display

/// A target value as shown in a cell: money in whole currency units when
/// there are no cents ("1,234,567"), with cents otherwise; counts as is.
pub fn format_target(kind: TargetKind, v: i64) -> String {
    if kind.is_money() {
        let s = Money(v).to_string();
        s.strip_suffix(".00").map(str::to_string).unwrap_or(s)
    } else {
        group(v)
    }
}

/// Whole currency units with grouping, for summaries ("¥1,234,568", rounded half up).
pub fn format_units(m: Money) -> String {
    group(round_div(m.0 as i128, 100))
}

fn group(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Parses a cell: money ("1,234.5", "¥2 000 000") or a whole count. None
/// for anything else, negatives included.
pub fn parse_target(kind: TargetKind, s: &str) -> Option<i64> {
    let v = if kind.is_money() {
        Money::parse(s).ok()?.0
    } else {
        let t: String = s.chars().filter(|c| !matches!(c, ',' | ' ' | '，')).collect();
        t.parse::<i64>().ok()?
    };
    (v >= 0).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_format_and_parse_back() {
        assert_eq!(format_target(TargetKind::Revenue, 123_456_700), "1,234,567");
        assert_eq!(format_target(TargetKind::Revenue, 123_456_701), "1,234,567.01");
        assert_eq!(format_target(TargetKind::NewCustomers, 12345), "12,345");
        assert_eq!(format_units(Money(123_456_750)), "1,234,568");
        assert_eq!(parse_target(TargetKind::Revenue, "¥2,000,000"), Some(200_000_000));
        assert_eq!(parse_target(TargetKind::NewCustomers, "1,200"), Some(1200));
        assert_eq!(parse_target(TargetKind::NewCustomers, "1.5"), None);
        assert_eq!(parse_target(TargetKind::Revenue, "-5"), None);
        for v in [0, 1, 99, 100, 123_456_789] {
            assert_eq!(parse_target(TargetKind::Revenue, &format_target(TargetKind::Revenue, v)), Some(v));
        }
    }

    #[test]
    fn fiscal_calendar() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(fiscal_year_of(d(2026, 3, 31), 4), 2025);
        assert_eq!(fiscal_year_of(d(2026, 4, 1), 4), 2026);
        assert_eq!(calendar_month(2026, 4, 11), (2027, 3));
        assert_eq!(Period::Quarter(2).months(), 3..6);
        assert_eq!(Period::all().len(), 17);
        // Half of Q1 of a January year gone on 15 Feb (31 + 14 of 90 days).
        assert_eq!(elapsed(2026, 1, Period::Quarter(1), d(2026, 2, 15)), (45, 90));
        assert_eq!(elapsed(2026, 1, Period::Year, d(2025, 6, 1)), (0, 365));
    }
}
