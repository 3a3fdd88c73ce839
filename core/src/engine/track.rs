//! Plan against actual: each person's and unit's revenue target for a
//! period beside their forecast figures, the expected-to-date figure, the
//! on-track verdict and pipeline coverage.
//!
//! Expected = target × elapsed days ÷ days in the period (rounded, see
//! `engine::num`); off track when the actual is 10 % or more behind the
//! expected figure, decided on the exact values.

use crate::calendar::{elapsed, Period};
use crate::engine::crm::{forecast_period, Figures};
use crate::engine::org::IdMap;
use crate::engine::plan::rollup;
use crate::model::*;
use crate::num::{attainment_bp, ratio, round_i64};
use chrono::NaiveDate;

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
    /// Target × elapsed ÷ period length (rounded).
    pub expected: i64,
    pub track: Track,
    /// Open pipeline ÷ remaining target, in percent, rounded (None when the
    /// target is met or absent).
    pub coverage_pct: Option<i64>,
}

impl Standing {
    /// Attainment in basis points (10,000 = 100 %), rounded; None without a target.
    pub fn attainment_bp(&self) -> Option<i64> {
        attainment_bp(self.figures.closed, self.target)
    }

    /// What is still to win (0 once the target is met).
    pub fn remaining(&self) -> i64 {
        (self.target - self.figures.closed).max(0)
    }

    /// The usual rule of thumb: open pipeline should cover 3× what is left
    /// to win. Decided on the exact amounts.
    pub fn thin_coverage(&self) -> bool {
        let left = self.remaining();
        self.target > 0 && left > 0 && (self.figures.open_amount() as i128) < 3 * left as i128
    }

    /// The target is met: nothing is left to cover.
    pub fn met(&self) -> bool {
        self.target > 0 && self.figures.closed >= self.target
    }
}

/// Expected to date and the on-track verdict: off track when the actual is
/// 10 % or more behind expected (exact comparisons, the displayed expected
/// figure is rounded).
pub fn track(target: i64, actual: i64, elapsed: (i64, i64)) -> (i64, Track) {
    if target <= 0 {
        return (0, Track::NoTarget);
    }
    let (done, total) = elapsed;
    let (done, total) = if total <= 0 { (1, 1) } else { (done, total) };
    // expected = target × done ÷ total; compare actual × total with target × done.
    let expected_x = target as i128 * done as i128;
    let actual_x = actual as i128 * total as i128;
    let t = if actual_x >= expected_x {
        Track::Ahead
    } else if actual_x * 10 <= expected_x * 9 {
        Track::OffTrack
    } else {
        Track::Behind
    };
    (round_i64(expected_x, total as i128), t)
}

/// Revenue target of each owner over a period: a unit's own line, else the
/// sum of the lines of the people below it; a person's own line.
pub fn revenue_targets(ws: &Workspace, year: i32, period: Period) -> IdMap<i64> {
    let r = period.months();
    revenue_target_months(ws, year).into_iter().map(|(id, m)| (id, m[r.clone()].iter().sum())).collect()
}

/// The same targets month by month of the fiscal year.
pub fn revenue_target_months(ws: &Workspace, year: i32) -> IdMap<[i64; 12]> {
    let mut out: IdMap<[i64; 12]> = IdMap::default();
    for (id, roll) in rollup(ws, &ws.plan, TargetKind::Revenue, year) {
        let has_own = ws.plan.target(id, TargetKind::Revenue, year).is_some();
        out.insert(id, if has_own { roll.own } else { roll.leaves });
    }
    for l in ws.plan.targets.values().filter(|l| l.kind == TargetKind::Revenue && l.year == year) {
        if ws.people.contains_key(&l.owner) {
            out.insert(l.owner, l.months);
        }
    }
    out
}

/// Target, forecast, on-track and coverage for every person and unit.
pub fn standings(ws: &Workspace, year: i32, period: Period, today: NaiveDate) -> IdMap<Standing> {
    let fc = forecast_period(ws, year, period);
    let targets = revenue_targets(ws, year, period);
    let el = elapsed(year, ws.settings.fiscal_year_start_month, period, today);
    let mut out = IdMap::with_capacity_and_hasher(fc.people.len() + fc.units.len(), Default::default());
    for id in ws.units.keys().chain(ws.people.keys()) {
        let figures = fc.of(*id);
        let target = targets.get(id).copied().unwrap_or(0);
        let (expected, t) = track(target, figures.closed, el);
        let remaining = target - figures.closed;
        let coverage_pct = if target > 0 && remaining > 0 { ratio(figures.open_amount(), remaining, 100) } else { None };
        out.insert(*id, Standing { target, figures, expected, track: t, coverage_pct });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_track_is_decided_on_exact_values() {
        // Target 1,000 over 90 days, 30 done: expected 333.33… (shown 333).
        assert_eq!(track(1_000, 334, (30, 90)), (333, Track::Ahead));
        // 333 is behind 333.33… by less than 10 %.
        assert_eq!(track(1_000, 333, (30, 90)).1, Track::Behind);
        // 90 % of 333.33… is 300 exactly: 300 is off track, 301 behind.
        assert_eq!(track(1_000, 300, (30, 90)).1, Track::OffTrack);
        assert_eq!(track(1_000, 301, (30, 90)).1, Track::Behind);
        assert_eq!(track(0, 5, (1, 2)), (0, Track::NoTarget));
    }
}
