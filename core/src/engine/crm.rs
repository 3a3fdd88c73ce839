//! Pillar 4 engine: actuals, cumulative forecast categories, rollup up the
//! hierarchy, funnel and deal statistics. (Plan against actual — on-track
//! status and coverage — is `engine::track`.)
//!
//! Every figure of a unit is the plain sum of the figures of the people in
//! its subtree (their deals are credited to the owner), so a rollup always
//! equals the sum of its leaves. Overrides are read beside the figures and
//! never change them.

use crate::calendar::{period_bounds, Period};
use crate::engine::index::{Deal, Index};
use crate::engine::org::IdMap;
use crate::model::*;
use crate::num::{add_each, round_i64};
use chrono::NaiveDate;

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
}

pub use crate::engine::index::deal_date;

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
    pub const ZERO: Figures =
        Figures { closed: 0, commit: 0, best_case: 0, pipeline: 0, weighted_x100: 0, won: 0, open: 0, lost: 0, lost_amount: 0, margin: 0 };

    /// Weighted pipeline in minor units, rounded half to even.
    pub fn weighted(&self) -> Money {
        Money(round_i64(self.weighted_x100, 100))
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

/// Adds one deal (already known to fall in the period) to a person's figures.
fn count(f: &mut Figures, o: &Deal) {
    let a = o.amount;
    match o.outcome {
        Outcome::Won => {
            f.closed += a;
            f.commit += a;
            f.best_case += a;
            f.pipeline += a;
            f.won += 1;
            f.margin += o.margin;
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

/// The period's deals summed per person, then rolled up the tree; with the
/// year's won amounts by fiscal month too.
pub fn forecast(ws: &Workspace, ix: &Index, year: i32, period: Period) -> Forecast {
    forecast_with(ws, ix, year, period, true)
}

/// The forecast of one period without the year's monthly actuals (what a
/// board of one period needs).
pub fn forecast_period(ws: &Workspace, ix: &Index, year: i32, period: Period) -> Forecast {
    forecast_with(ws, ix, year, period, false)
}

fn forecast_with(ws: &Workspace, ix: &Index, year: i32, period: Period, with_monthly: bool) -> Forecast {
    let org = &ix.org;
    let (people, units) = period_figures(ws, ix, year, period);
    let (people_monthly, units_monthly) = if with_monthly {
        let start_month = ws.settings.fiscal_year_start_month;
        let (year_start, year_end) = period_bounds(year, start_month, Period::Year);
        let mut monthly = vec![[0i64; MONTHS]; org.people.len()];
        let first = (start_month.clamp(1, 12) - 1) as usize;
        for o in ix.deals(year_start, year_end).iter().filter(|o| o.outcome == Outcome::Won) {
            if let Some(m) = monthly.get_mut(o.owner as usize) {
                m[(o.month0 as usize + MONTHS - first) % MONTHS] += o.amount;
            }
        }
        let units_monthly = org.roll_up(&monthly, |a, b| add_each(a, b));
        (org.people_map(&monthly), org.units_map(&units_monthly))
    } else {
        (IdMap::default(), IdMap::default())
    };
    Forecast { people: org.people_map(&people), units: org.units_map(&units), people_monthly, units_monthly }
}

/// A period's figures by position: (people, units), each unit's its whole
/// subtree's.
pub fn period_figures(ws: &Workspace, ix: &Index, year: i32, period: Period) -> (Vec<Figures>, Vec<Figures>) {
    ix.debug_check(ws);
    let (start, end) = period_bounds(year, ws.settings.fiscal_year_start_month, period);
    let mut people = vec![Figures::ZERO; ix.org.people.len()];
    for o in ix.deals(start, end) {
        if let Some(f) = people.get_mut(o.owner as usize) {
            count(f, o);
        }
    }
    let units = ix.org.roll_up(&people, |f, g| f.add(g));
    (people, units)
}

/// Won revenue over fiscal `year` per person and per unit (its subtree):
/// what the "by last year's share" cascade reads for last year.
pub fn won_in_year(ws: &Workspace, ix: &Index, year: i32) -> IdMap<i64> {
    let f = forecast_period(ws, ix, year, Period::Year);
    f.people.iter().chain(f.units.iter()).map(|(id, fig)| (*id, fig.closed)).collect()
}

/// Won amount by fiscal month of `year`: (per person, per unit subtree).
pub fn actuals(ws: &Workspace, ix: &Index, year: i32) -> (Monthly, Monthly) {
    let f = forecast(ws, ix, year, Period::Year);
    (f.people_monthly, f.units_monthly)
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
        let conv = crate::num::ratio(i64::from(b), i64::from(a), 10_000).map(|v| v as u32);
        out.conversions.push((index.ids[steps[k]], index.ids[steps[k + 1]], conv));
    }
    let closed = out.won + out.lost;
    out.win_rate_bp = crate::num::ratio(i64::from(out.won), i64::from(closed), 10_000).map(|v| v as u32);
    out.avg_deal = (out.won > 0).then(|| Money(round_i64(out.won_amount as i128, out.won as i128)));
    out.cycle_days = (cycle_n > 0).then(|| round_i64(cycle_sum as i128, cycle_n as i128));
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
