//! Pillar 4 engine: actuals, cumulative forecast categories, rollup up the
//! hierarchy, on-track status, pipeline coverage, funnel and deal statistics.
//!
//! Every figure of a unit is the plain sum of the figures of the people in
//! its subtree (their deals are credited to the owner), so a rollup always
//! equals the sum of its leaves. Overrides are read beside the figures and
//! never change them.

pub use crate::engine::plan::period_bounds;
use crate::engine::plan::{fiscal_year_of, Period};
use crate::model::*;
use chrono::NaiveDate;

/// A map keyed by record id. Ids are random UUIDs, so the fast Fx hash is
/// safe here (SipHash was a quarter of the time of a 10,000-person payout run).
pub type IdMap<V> = std::collections::HashMap<Id, V, rustc_hash::FxBuildHasher>;

/// Stages by position, looked up by a linear scan: a workspace has at most
/// 20 stages, and this beats hashing in the per-deal loops.
struct StageIndex {
    ids: Vec<Id>,
    outcome: Vec<Outcome>,
}

impl StageIndex {
    fn new(ws: &Workspace) -> StageIndex {
        let order = ws.stages_in_order();
        StageIndex { ids: order.iter().map(|s| s.id).collect(), outcome: order.iter().map(|s| s.outcome).collect() }
    }

    fn pos(&self, id: Id) -> Option<usize> {
        self.ids.iter().position(|x| *x == id)
    }

    fn outcome(&self, id: Id) -> Option<Outcome> {
        self.pos(id).map(|i| self.outcome[i])
    }
}

/// The date a deal counts on: when it closed, else when it is expected to.
pub fn deal_date(o: &Opportunity) -> NaiveDate {
    o.closed.unwrap_or(o.close_date)
}

/// Forecast figures of one person or unit for one period. The four
/// categories are cumulative: closed ≤ commit ≤ best case ≤ pipeline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// Won in the period (the actual).
    pub closed: i64,
    /// Closed + open deals in commit.
    pub commit: i64,
    /// Commit + open deals in best case.
    pub best_case: i64,
    /// Best case + open deals in pipeline.
    pub pipeline: i64,
    /// Σ amount × probability (percent) over open deals, unrounded:
    /// divide by 100 for money (see [`Figures::weighted`]).
    pub weighted_x100: i128,
    pub won: u32,
    pub open: u32,
    pub lost: u32,
    pub lost_amount: i64,
    /// Gross margin of the won deals (deals without a margin add nothing).
    pub margin: i64,
}

impl Figures {
    /// Weighted pipeline in minor units, rounded half to even.
    pub fn weighted(&self) -> Money {
        Money(round_half_even(self.weighted_x100, 100))
    }

    /// Open deals in the forecast (pipeline − closed).
    pub fn open_amount(&self) -> i64 {
        self.pipeline - self.closed
    }

    pub fn get(&self, c: ForecastCategory) -> i64 {
        match c {
            ForecastCategory::Closed => self.closed,
            ForecastCategory::Commit => self.commit,
            ForecastCategory::BestCase => self.best_case,
            ForecastCategory::Pipeline => self.pipeline,
            ForecastCategory::Omitted => 0,
        }
    }

    fn add(&mut self, o: &Figures) {
        self.closed += o.closed;
        self.commit += o.commit;
        self.best_case += o.best_case;
        self.pipeline += o.pipeline;
        self.weighted_x100 += o.weighted_x100;
        self.won += o.won;
        self.open += o.open;
        self.lost += o.lost;
        self.lost_amount += o.lost_amount;
        self.margin += o.margin;
    }
}

/// n ÷ d rounded half to even (d > 0).
pub fn round_half_even(n: i128, d: i128) -> i64 {
    let q = n.div_euclid(d);
    let r = n.rem_euclid(d);
    let up = match (2 * r).cmp(&d) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => q % 2 != 0,
        std::cmp::Ordering::Less => false,
    };
    (q + i128::from(up)) as i64
}

/// Adds one deal (already known to fall in the period) to a person's figures.
fn count(f: &mut Figures, o: &Opportunity, outcome: Outcome) {
    let a = o.amount.0;
    match outcome {
        Outcome::Won => {
            f.closed += a;
            f.commit += a;
            f.best_case += a;
            f.pipeline += a;
            f.won += 1;
            f.margin += o.margin.map(|m| m.0).unwrap_or(0);
        }
        Outcome::Lost => {
            f.lost += 1;
            f.lost_amount += a;
        }
        Outcome::Open => {
            let (c, b, p) = match o.category {
                ForecastCategory::Commit => (a, a, a),
                ForecastCategory::BestCase => (0, a, a),
                ForecastCategory::Pipeline => (0, 0, a),
                ForecastCategory::Closed | ForecastCategory::Omitted => return,
            };
            f.commit += c;
            f.best_case += b;
            f.pipeline += p;
            f.weighted_x100 += a as i128 * o.probability as i128;
            f.open += 1;
        }
    }
}

/// Figures of every person and every unit (its whole subtree) for a period,
/// and the won amounts by fiscal month of the whole fiscal year (the actuals).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Forecast {
    pub people: IdMap<Figures>,
    pub units: IdMap<Figures>,
    /// Won amount by fiscal month of the year, per person.
    pub people_monthly: Monthly,
    /// Won amount by fiscal month of the year, per unit (subtree).
    pub units_monthly: Monthly,
}

impl Forecast {
    pub fn of(&self, owner: Id) -> Figures {
        self.units.get(&owner).or_else(|| self.people.get(&owner)).copied().unwrap_or_default()
    }
}

/// Amounts by fiscal month, per owner.
pub type Monthly = IdMap<[i64; MONTHS]>;

/// One pass over the deals (figures for the period, monthly actuals for the
/// year), then one pass up the tree (leaves first).
pub fn forecast(ws: &Workspace, year: i32, period: Period) -> Forecast {
    forecast_with(ws, year, period, true)
}

/// The forecast, with or without the year's monthly actuals (a board of one
/// period does not need them).
fn forecast_with(ws: &Workspace, year: i32, period: Period, with_monthly: bool) -> Forecast {
    let start_month = ws.settings.fiscal_year_start_month;
    let (start, end) = period_bounds(year, start_month, period);
    let (year_start, year_end) = period_bounds(year, start_month, Period::Year);
    let stages = StageIndex::new(ws);
    let mut acc: IdMap<Figures> = IdMap::default();
    let mut monthly: IdMap<[i64; MONTHS]> = IdMap::default();
    acc.reserve(ws.people.len());
    for o in ws.opportunities.values() {
        let d = deal_date(o);
        if d < year_start || d >= year_end || (!with_monthly && (d < start || d >= end)) {
            continue;
        }
        let Some(oc) = stages.outcome(o.stage) else { continue };
        if with_monthly && oc == Outcome::Won {
            monthly.entry(o.owner).or_insert([0; MONTHS])[fiscal_month_index(d, start_month)] += o.amount.0;
        }
        if d >= start && d < end {
            count(acc.entry(o.owner).or_default(), o, oc);
        }
    }
    let people = acc;
    let people_monthly: Monthly = monthly;
    let units = roll_up(ws, &people, |f, g| f.add(g));
    let units_monthly = if with_monthly { roll_up(ws, &people_monthly, add_months) } else { IdMap::default() };
    Forecast { people, units, people_monthly, units_monthly }
}

fn add_months(a: &mut [i64; MONTHS], b: &[i64; MONTHS]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// Sums per-person values into every unit's subtree total.
pub(crate) fn roll_up<T: Default + Clone>(ws: &Workspace, people: &IdMap<T>, add: impl Fn(&mut T, &T)) -> IdMap<T> {
    let mut units: IdMap<T> = ws.units.keys().map(|u| (*u, T::default())).collect();
    // Walk the people in order and look their figures up (cheaper than a
    // tree lookup per figure).
    for p in ws.people.values() {
        if let (Some(f), Some(u)) = (people.get(&p.id), units.get_mut(&p.unit)) {
            add(u, f);
        }
    }
    for (id, _) in crate::engine::org::units_by_depth(ws).iter().rev() {
        let Some(parent) = ws.units[id].parent else { continue };
        let own = units[id].clone();
        if let Some(pu) = units.get_mut(&parent) {
            add(pu, &own);
        }
    }
    units
}

/// Won amount by fiscal month of `year`: (per person, per unit subtree).
pub fn actuals(ws: &Workspace, year: i32) -> (Monthly, Monthly) {
    let f = forecast(ws, year, Period::Year);
    (f.people_monthly, f.units_monthly)
}

/// 0-based fiscal month of a date.
pub fn fiscal_month_index(d: NaiveDate, start_month: u8) -> usize {
    use chrono::Datelike;
    ((d.month() as i32 - start_month as i32).rem_euclid(12)) as usize
}

/// actual ÷ target in basis points (10,000 = 100 %), rounded down; None
/// without a target. The one attainment formula every view uses.
pub fn attainment_bp(actual: i64, target: i64) -> Option<i64> {
    (target > 0).then(|| (actual as i128 * 10_000 / target as i128) as i64)
}

/// Where an owner stands against the time-prorated target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Track {
    /// No target for the period.
    NoTarget,
    /// At or above the expected figure.
    Ahead,
    /// Behind, but by less than 10 %.
    Behind,
    /// 10 % or more behind expected.
    OffTrack,
}

/// A row of the forecast board: target, figures, expected-to-date, status, coverage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub target: i64,
    pub figures: Figures,
    /// Target × elapsed ÷ period length (rounded down).
    pub expected: i64,
    pub track: Track,
    /// Open pipeline ÷ remaining target, in percent (None when the target is met or absent).
    pub coverage_pct: Option<i64>,
}

impl Standing {
    /// Attainment in basis points (10,000 = 100 %); None without a target.
    pub fn attainment_bp(&self) -> Option<i64> {
        attainment_bp(self.figures.closed, self.target)
    }

    /// The usual rule of thumb: open pipeline should cover 3× what is left to win.
    pub fn thin_coverage(&self) -> bool {
        self.coverage_pct.is_some_and(|c| c < 300)
    }
}

/// Expected to date and the on-track verdict: off track when the actual is
/// 10 % or more behind expected.
pub fn track(target: i64, actual: i64, elapsed: (i64, i64)) -> (i64, Track) {
    if target <= 0 {
        return (0, Track::NoTarget);
    }
    let (done, total) = elapsed;
    let expected = if total <= 0 { target } else { (target as i128 * done as i128 / total as i128) as i64 };
    let t = if actual >= expected {
        Track::Ahead
    } else if actual as i128 * 10 <= expected as i128 * 9 {
        Track::OffTrack
    } else {
        Track::Behind
    };
    (expected, t)
}

/// Revenue target of each owner (units: their own line, else the sum of the
/// people below) over a period.
pub fn revenue_targets(ws: &Workspace, year: i32, period: Period) -> IdMap<i64> {
    let r = period.months();
    let mut out: IdMap<i64> = IdMap::default();
    for (id, roll) in crate::engine::plan::rollup(ws, &ws.plan, TargetKind::Revenue, year) {
        let own: i64 = roll.own[r.clone()].iter().sum();
        let leaves: i64 = roll.leaves[r.clone()].iter().sum();
        let has_own = ws.plan.target(id, TargetKind::Revenue, year).is_some();
        out.insert(id, if has_own { own } else { leaves });
    }
    for l in ws.plan.targets.values().filter(|l| l.kind == TargetKind::Revenue && l.year == year) {
        if ws.people.contains_key(&l.owner) {
            out.insert(l.owner, l.months[r.clone()].iter().sum());
        }
    }
    out
}

/// Target, forecast, on-track and coverage for every person and unit.
pub fn standings(ws: &Workspace, year: i32, period: Period, today: NaiveDate) -> IdMap<Standing> {
    let fc = forecast_with(ws, year, period, false);
    let targets = revenue_targets(ws, year, period);
    let el = crate::engine::plan::elapsed(year, ws.settings.fiscal_year_start_month, period, today);
    let mut out = IdMap::with_capacity_and_hasher(fc.people.len() + fc.units.len(), Default::default());
    let ids = ws.units.keys().chain(ws.people.keys());
    for id in ids {
        let figures = fc.of(*id);
        let target = targets.get(id).copied().unwrap_or(0);
        let (expected, t) = track(target, figures.closed, el);
        let remaining = target - figures.closed;
        let coverage_pct = (target > 0 && remaining > 0).then(|| (figures.open_amount() as i128 * 100 / remaining as i128) as i64);
        out.insert(*id, Standing { target, figures, expected, track: t, coverage_pct });
    }
    out
}

/// Figures a manager can make a call on; one call per owner and period.
pub const CALL_CATEGORIES: [ForecastCategory; 2] = [ForecastCategory::Commit, ForecastCategory::BestCase];

/// The manager's call for an owner and period, whichever figure it is on.
pub fn call_of(ws: &Workspace, owner: Id, year: i32, period: Period) -> Option<&ForecastOverride> {
    CALL_CATEGORIES.iter().find_map(|c| override_of(ws, owner, year, period, *c))
}

/// The override of one figure, if a manager made one.
pub fn override_of(ws: &Workspace, owner: Id, year: i32, period: Period, c: ForecastCategory) -> Option<&ForecastOverride> {
    ws.overrides.get(&ForecastOverride::id_for(owner, year, period, c))
}

// ---------------------------------------------------------------- funnel and statistics

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageStat {
    pub stage: Id,
    /// Deals now in the stage.
    pub count: u32,
    pub amount: i64,
    /// Deals that reached the stage or went past it (the funnel).
    pub reached: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Every stage in order (open stages, then won and lost).
    pub stages: Vec<StageStat>,
    /// Conversion from each funnel step to the next: (from, to, reached(to) ÷ reached(from) in basis points).
    pub conversions: Vec<(Id, Id, Option<u32>)>,
    pub won: u32,
    pub won_amount: i64,
    pub lost: u32,
    /// won ÷ (won + lost), basis points.
    pub win_rate_bp: Option<u32>,
    /// Average won deal, minor units (rounded half to even).
    pub avg_deal: Option<Money>,
    /// Average days from creation to close of won deals (rounded half to even).
    pub cycle_days: Option<i64>,
}

/// Funnel and statistics over a set of deals.
pub fn stats<'a>(ws: &Workspace, deals: impl IntoIterator<Item = &'a Opportunity>) -> Stats {
    let index = StageIndex::new(ws);
    let n = index.ids.len();
    // Funnel steps: open stages in order, then the won stages.
    let steps: Vec<usize> =
        (0..n).filter(|i| index.outcome[*i] == Outcome::Open).chain((0..n).filter(|i| index.outcome[*i] == Outcome::Won)).collect();
    let mut step_of: Vec<Option<usize>> = vec![None; n];
    for (k, i) in steps.iter().enumerate() {
        step_of[*i] = Some(k);
    }
    let first_won_step = steps.iter().position(|i| index.outcome[*i] == Outcome::Won).unwrap_or(steps.len());
    let mut out = Stats {
        stages: index.ids.iter().map(|id| StageStat { stage: *id, count: 0, amount: 0, reached: 0 }).collect(),
        ..Default::default()
    };
    let mut reached_upto = vec![0u32; steps.len() + 1];
    let (mut cycle_sum, mut cycle_n) = (0i64, 0i64);
    for o in deals {
        let Some(i) = index.pos(o.stage) else { continue };
        out.stages[i].count += 1;
        out.stages[i].amount += o.amount.0;
        let outcome = index.outcome[i];
        // Furthest funnel step reached: a won deal passed every open stage.
        let furthest = if outcome == Outcome::Won {
            step_of[i].map(|k| k.max(first_won_step))
        } else {
            o.history
                .iter()
                .map(|h| h.to)
                .chain(std::iter::once(o.stage))
                .filter_map(|s| index.pos(s).and_then(|i| step_of[i]))
                .filter(|k| *k < first_won_step)
                .max()
        };
        if let Some(k) = furthest {
            reached_upto[k] += 1;
        }
        match outcome {
            Outcome::Won => {
                out.won += 1;
                out.won_amount += o.amount.0;
                if let Some(c) = o.closed {
                    cycle_sum += (c - o.created).num_days().max(0);
                    cycle_n += 1;
                }
            }
            Outcome::Lost => out.lost += 1,
            Outcome::Open => {}
        }
    }
    // reached(k) = deals whose furthest step is k or later.
    let mut acc = 0u32;
    let mut reached = vec![0u32; steps.len()];
    for k in (0..steps.len()).rev() {
        acc += reached_upto[k];
        reached[k] = acc;
    }
    // Won steps: a deal reaches only the won stage it is in.
    for (k, i) in steps.iter().enumerate() {
        out.stages[*i].reached = if k >= first_won_step { out.stages[*i].count } else { reached[k] };
    }
    let funnel_reached = |k: usize| if k >= first_won_step { out.won } else { reached[k] };
    let last = first_won_step.min(steps.len().saturating_sub(1));
    for k in 0..last {
        let (a, b) = (funnel_reached(k), funnel_reached(k + 1));
        let conv = (a > 0).then(|| (b as u64 * 10_000 / a as u64) as u32);
        out.conversions.push((index.ids[steps[k]], index.ids[steps[k + 1]], conv));
    }
    let closed = out.won + out.lost;
    out.win_rate_bp = (closed > 0).then(|| (out.won as u64 * 10_000 / closed as u64) as u32);
    out.avg_deal = (out.won > 0).then(|| Money(round_half_even(out.won_amount as i128, out.won as i128)));
    out.cycle_days = (cycle_n > 0).then(|| round_half_even(cycle_sum as i128, cycle_n as i128));
    out
}

/// Deals owned by `people` that count in [start, end).
pub fn deals_in<'a>(
    ws: &'a Workspace,
    people: Option<&'a std::collections::HashSet<Id>>,
    start: NaiveDate,
    end: NaiveDate,
) -> impl Iterator<Item = &'a Opportunity> + 'a {
    ws.opportunities.values().filter(move |o| {
        let d = deal_date(o);
        d >= start && d < end && people.is_none_or(|p| p.contains(&o.owner))
    })
}

/// Fiscal year of today in the workspace's calendar.
pub fn current_year(ws: &Workspace, today: NaiveDate) -> i32 {
    fiscal_year_of(today, ws.settings.fiscal_year_start_month)
}
