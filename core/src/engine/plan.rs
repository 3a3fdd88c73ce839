//! Pillar 2 engine: target cascade and rollup with mismatch flags, budget
//! headroom, tool costs, ramp and capacity. Pure functions over the
//! document; periods come from `engine::calendar`, exact splits and
//! rounding from `engine::num`, and last year's actuals (for the "by last
//! year's share" method) are passed in by the caller.

use crate::calendar::{month_start, months_between, Period};
use crate::engine::org::{add_up_the_tree, IdMap};
use crate::model::*;
use crate::num::{add_each, clamp_i64, div_round, group, round_i64, split_whole};
use crate::sort::Gather;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

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
    kids: crate::engine::org::IdMap<Vec<Id>>,
    members: IdMap<Vec<&'a Person>>,
}

impl<'a> Tree<'a> {
    pub fn new(ws: &'a Workspace) -> Tree<'a> {
        Tree { kids: crate::engine::org::children_map(ws), members: crate::engine::org::members(ws) }
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

/// Last fiscal year's won revenue per person and per unit (its subtree),
/// for the "by last year's share" method. Computed by the caller (see
/// `engine::crm::won_in_year`); None when the method does not need it.
pub type LastYear<'a> = Option<&'a IdMap<i64>>;

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
pub fn cascade(ws: &Workspace, plan: &Plan, spec: &Spec, last_year: LastYear) -> Result<Vec<TargetLine>, CascadeError> {
    let caps = (spec.method == Method::Capacity).then(|| capacities(ws, plan, spec.year));
    cascade_with(ws, plan, &Tree::new(ws), caps.as_ref(), last_year, spec)
}

/// Cascades a unit and then every unit below it, top-down, each level
/// splitting what the level above just received. Returns every changed line.
pub fn cascade_deep(ws: &Workspace, plan: &Plan, spec: &Spec, last_year: LastYear) -> Result<Vec<TargetLine>, CascadeError> {
    let tree = Tree::new(ws);
    let caps = (spec.method == Method::Capacity).then(|| capacities(ws, plan, spec.year));
    let mut work = plan.clone();
    let mut changed: BTreeMap<Id, TargetLine> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([spec.unit]);
    let mut first = true;
    while let Some(u) = queue.pop_front() {
        match cascade_with(ws, &work, &tree, caps.as_ref(), last_year, &Spec { unit: u, ..*spec }) {
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
    last_year: LastYear,
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
            let won: Vec<u128> = match (kind, last_year) {
                (TargetKind::Revenue, Some(won)) => {
                    unlocked.iter().map(|i| won.get(&lines[*i].owner).map(|w| (*w).max(0) as u128).unwrap_or(0)).collect()
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
    // What there is to hand out each month: parent × (1 + buffer) − locked
    // children. The buffer is rounded on the running total of the period, so
    // the months' buffers add up to exactly buffer × the period's target.
    let mut free = Vec::new();
    let (mut cum_parent, mut cum_extra) = (0i128, 0i128);
    for m in period.months() {
        cum_parent += parent.months[m] as i128;
        let extra_now = div_round(cum_parent * parent.buffer_bp as i128, 10_000);
        let extra = extra_now - cum_extra;
        cum_extra = extra_now;
        let budget = parent.months[m] as i128 + extra;
        let locked: i128 = lines.iter().filter(|l| l.locked).map(|l| l.months[m] as i128).sum();
        let f = budget - locked;
        if f < 0 {
            return Err(CascadeError::LockedExceed { month: m, over: clamp_i64(-f) });
        }
        free.push((m, clamp_i64(f)));
    }
    // Split the running total, month by month: every month's column sums to
    // what that month hands out, and every child's period total is its exact
    // share of the period (no drift from rounding each month on its own).
    let money = kind.is_money();
    let mut cum = 0i64;
    let mut prev = vec![0i64; out.len()];
    let mut by_month = Vec::with_capacity(free.len());
    for (m, f) in &free {
        cum = cum.saturating_add(*f);
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

/// Rollups for every unit: one pass over the lines, then the leaves summed
/// up the tree.
pub fn rollup(ws: &Workspace, plan: &Plan, kind: TargetKind, year: i32) -> BTreeMap<Id, Rollup> {
    let blank = Rollup { own: [0; MONTHS], children: [0; MONTHS], leaves: [0; MONTHS], buffer_bp: 0, has_children_lines: false };
    let mut out: BTreeMap<Id, Rollup> = ws.units.keys().map(|u| (*u, blank.clone())).gather_map();
    let mut leaves: IdMap<[i64; MONTHS]> = ws.units.keys().map(|u| (*u, [0; MONTHS])).collect();
    // Units get their own line and count among their parent's children;
    // people add to their unit's children and leaves. Every member with a
    // line counts, the manager's personal quota included.
    for l in plan.targets.values().filter(|l| l.kind == kind && l.year == year) {
        if let Some(u) = ws.units.get(&l.owner) {
            let r = out.get_mut(&u.id).expect("unit");
            r.own = l.months;
            r.buffer_bp = l.buffer_bp;
            if let Some(pr) = u.parent.and_then(|p| out.get_mut(&p)) {
                add_each(&mut pr.children, &l.months);
                pr.has_children_lines = true;
            }
        } else if let Some(p) = ws.people.get(&l.owner) {
            if let (Some(r), Some(lv)) = (out.get_mut(&p.unit), leaves.get_mut(&p.unit)) {
                add_each(lv, &l.months);
                add_each(&mut r.children, &l.months);
                r.has_children_lines = true;
            }
        }
    }
    add_up_the_tree(ws, &mut leaves, |a, b| add_each(a, b));
    for (id, r) in out.iter_mut() {
        r.leaves = leaves[id];
    }
    out
}

// ---------------------------------------------------------------- budget

/// What `unit` may hold in `category` for `year`: its parent's budget less
/// its siblings' (None for the root: no limit from above).
pub fn budget_headroom(ws: &Workspace, plan: &Plan, unit: Id, year: i32, category: Id) -> Option<Money> {
    let parent = ws.units.get(&unit)?.parent?;
    let siblings: i128 =
        ws.units.values().filter(|u| u.parent == Some(parent) && u.id != unit).map(|u| plan.budget(u.id, year, category).0 as i128).sum();
    Some(Money(clamp_i64(plan.budget(parent, year, category).0 as i128 - siblings)))
}

/// One plan's budget for one year, read in a single pass over its lines:
/// what a table of every unit × category needs without a lookup (and a
/// derived-id hash) per cell and a walk over every unit per headroom.
/// Each figure equals the per-cell function of the same name (tested).
pub struct BudgetYear {
    amounts: PairMap<i64>,
    totals: IdMap<i64>,
    /// Σ of the children's budgets by (parent, category).
    children: PairMap<i128>,
}

/// By (unit, category), hashed as [`IdMap`] is (ids are random already).
type PairMap<V> = HashMap<(Id, Id), V, rustc_hash::FxBuildHasher>;

impl BudgetYear {
    pub fn of(ws: &Workspace, plan: &Plan, year: i32) -> BudgetYear {
        let mut out = BudgetYear { amounts: PairMap::default(), totals: IdMap::default(), children: PairMap::default() };
        for b in plan.budgets.values().filter(|b| b.year == year) {
            *out.totals.entry(b.unit).or_default() += b.amount.0;
            // Keyed by the derived id, so one line per (unit, year, category)
            // is what `Plan::budget` finds; the same here.
            if b.id != BudgetLine::id_for(b.unit, year, b.category) {
                continue;
            }
            out.amounts.insert((b.unit, b.category), b.amount.0);
            if let Some(parent) = ws.units.get(&b.unit).and_then(|u| u.parent) {
                *out.children.entry((parent, b.category)).or_default() += b.amount.0 as i128;
            }
        }
        out
    }

    /// [`Plan::budget`].
    pub fn amount(&self, unit: Id, category: Id) -> Money {
        Money(self.amounts.get(&(unit, category)).copied().unwrap_or_default())
    }

    /// [`Plan::budget_total`].
    pub fn total(&self, unit: Id) -> Money {
        Money(self.totals.get(&unit).copied().unwrap_or_default())
    }

    /// [`budget_headroom`].
    pub fn headroom(&self, ws: &Workspace, unit: Id, category: Id) -> Option<Money> {
        let parent = ws.units.get(&unit)?.parent?;
        let siblings = self.children.get(&(parent, category)).copied().unwrap_or_default() - self.amount(unit, category).0 as i128;
        Some(Money(clamp_i64(self.amount(parent, category).0 as i128 - siblings)))
    }
}

/// Σ of the children's budgets of `unit`.
pub fn budget_allocated(ws: &Workspace, plan: &Plan, unit: Id, year: i32, category: Id) -> Money {
    Money(clamp_i64(ws.units.values().filter(|u| u.parent == Some(unit)).map(|u| plan.budget(u.id, year, category).0 as i128).sum()))
}

/// Yearly tool seat cost of the people in each unit's subtree.
pub fn tool_costs(ws: &Workspace) -> BTreeMap<Id, Money> {
    let mut units: IdMap<i64> = ws.units.keys().map(|u| (*u, 0)).collect();
    for t in ws.tools.values() {
        for p in &t.seats {
            if let Some(v) = ws.people.get(p).and_then(|person| units.get_mut(&person.unit)) {
                *v += t.cost_per_seat.0;
            }
        }
    }
    add_up_the_tree(ws, &mut units, |a, b| *a += b);
    units.into_iter().map(|(k, v)| (k, Money(v))).gather_map()
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
/// (rounded once, at the end).
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
    Money(round_i64(a.quota_per_rep.0 as i128 * pct_months, 1200))
}

/// Capacity a planned hire starting in fiscal month `month` (1–12) adds.
pub fn hire_quota(a: &Assumptions, month: u8) -> Money {
    let start = month.clamp(1, 12) as i64 - 1;
    let pct: i128 = (0..MONTHS as i64).map(|i| ramp_pct(&a.ramp, i - start) as i128).sum();
    Money(round_i64(a.quota_per_rep.0 as i128 * pct, 1200))
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
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

impl Capacity {
    /// The quota the unit can carry before attainment: rep + hire −
    /// attrition quota, never below zero (the "ramped quota" shown beside
    /// `effective`, which is this × expected attainment).
    pub fn ramped(&self) -> Money {
        Money((self.rep_quota.0 + self.hire_quota.0 - self.attrition_quota.0).max(0))
    }
}

pub struct Capacities {
    pub units: BTreeMap<Id, Capacity>,
    /// Each rep's effective (attainment-adjusted) ramped quota.
    pub people: BTreeMap<Id, Money>,
}

/// Capacity of every unit for `year` under `plan`.
pub fn capacities(ws: &Workspace, plan: &Plan, year: i32) -> Capacities {
    let a = &plan.assumptions;
    let start = ws.settings.fiscal_year_start_month;
    let bottom = ws.tiers_in_order().last().map(|t| t.id);
    let mut units: BTreeMap<Id, Capacity> = ws.units.keys().map(|u| (*u, Capacity::default())).gather_map();
    let mut people = BTreeMap::new();
    for p in ws.people.values() {
        if p.status == Status::Left || Some(p.tier) != bottom {
            continue;
        }
        let q = ramped_quota(a, p.hire_date, year, start);
        people.insert(p.id, Money(round_i64(q.0 as i128 * a.expected_attainment as i128, 100)));
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
            c.attrition_quota.0 += round_i64(a.quota_per_rep.0 as i128 * h.attrition as i128, 2);
        }
    }
    let mut sums: IdMap<Capacity> = units.iter().map(|(k, v)| (*k, v.clone())).collect();
    add_up_the_tree(ws, &mut sums, |pc, c| {
        pc.reps += c.reps;
        pc.planned_hires += c.planned_hires;
        pc.attrition += c.attrition;
        pc.rep_quota.0 += c.rep_quota.0;
        pc.hire_quota.0 += c.hire_quota.0;
        pc.attrition_quota.0 += c.attrition_quota.0;
    });
    let mut units: BTreeMap<Id, Capacity> = sums.into_iter().gather_map();
    let per_rep = a.quota_per_rep.0 as i128 * a.expected_attainment as i128; // × 1/100
    for (id, c) in units.iter_mut() {
        c.effective = Money(round_i64(c.ramped().0 as i128 * a.expected_attainment as i128, 100));
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
        group(v as i128)
    }
}

/// Whole currency units with grouping, for summaries ("1,234,568", rounded).
pub fn format_units(m: Money) -> String {
    group(div_round(m.0 as i128, 100))
}

/// Parses a cell: money ("1,234.5", "¥2 000 000") or a whole count. None
/// for anything else, negatives included.
pub fn parse_target(kind: TargetKind, s: &str) -> Option<i64> {
    let v = if kind.is_money() {
        Money::parse(s).ok()?.0
    } else {
        let t = s.trim();
        if !crate::model::money::grouping_ok(t) {
            return None;
        }
        let t: String = t.chars().filter(|c| !crate::model::money::is_separator(*c)).collect();
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
        assert_eq!(parse_target(TargetKind::NewCustomers, "1,2,3"), None, "misplaced separators are refused");
        assert_eq!(parse_target(TargetKind::Revenue, "1,2,3"), None);
        assert_eq!(parse_target(TargetKind::Revenue, "-5"), None);
        for v in [0, 1, 99, 100, 123_456_789] {
            assert_eq!(parse_target(TargetKind::Revenue, &format_target(TargetKind::Revenue, v)), Some(v));
        }
    }
}
