//! Plan against actual: each person's and unit's revenue target for a
//! period beside their forecast figures, the expected-to-date figure, the
//! on-track verdict and pipeline coverage.
//!
//! Expected = target × elapsed days ÷ days in the period (rounded, see
//! `engine::num`); off track when the actual is 10 % or more behind the
//! expected figure, decided on the exact values.

use crate::calendar::{elapsed, Period};
use crate::engine::crm::{period_figures, Figures};
use crate::engine::index::Index;
use crate::engine::org::IdMap;
use crate::model::*;
use crate::num::{add_each, attainment_bp, ratio, round_i64};
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

/// Revenue targets of one fiscal year, month by month, by position: a
/// person's own line; a unit's own line, else the sum of the lines of the
/// people below it (its "leaves").
pub struct YearTargets {
    pub people: Vec<[i64; MONTHS]>,
    pub units: Vec<[i64; MONTHS]>,
}

impl YearTargets {
    pub fn new(ws: &Workspace, ix: &Index, year: i32) -> YearTargets {
        let org = &ix.org;
        let mut people = vec![[0i64; MONTHS]; org.people.len()];
        let mut own: Vec<Option<[i64; MONTHS]>> = vec![None; org.units.len()];
        for l in ws.plan.targets.values().filter(|l| l.kind == TargetKind::Revenue && l.year == year) {
            if let Some(u) = org.unit(l.owner) {
                own[u as usize] = Some(l.months);
            } else if let Some(p) = org.person(l.owner) {
                people[p as usize] = l.months;
            }
        }
        let mut units = org.roll_up(&people, |a, b| add_each(a, b));
        for (u, line) in own.into_iter().enumerate() {
            if let Some(m) = line {
                units[u] = m;
            }
        }
        YearTargets { people, units }
    }

    /// A unit's or a person's months (zeros for anyone else).
    pub fn of(&self, ix: &Index, owner: Id) -> [i64; MONTHS] {
        let org = &ix.org;
        org.unit(owner)
            .map(|u| self.units[u as usize])
            .or_else(|| org.person(owner).map(|p| self.people[p as usize]))
            .unwrap_or([0; MONTHS])
    }
}

/// Revenue target of each owner over a period: see [`YearTargets`].
pub fn revenue_targets(ws: &Workspace, ix: &Index, year: i32, period: Period) -> IdMap<i64> {
    let t = YearTargets::new(ws, ix, year);
    let sum = |m: &[i64; MONTHS]| m[period.months()].iter().sum::<i64>();
    let units = ix.org.units.iter().zip(&t.units).map(|(id, m)| (*id, sum(m)));
    ix.org.people.iter().zip(&t.people).map(|(id, m)| (*id, sum(m))).chain(units).collect()
}

/// Target, forecast, on-track and coverage for every person and unit.
pub fn standings(ws: &Workspace, ix: &Index, year: i32, period: Period, today: NaiveDate) -> IdMap<Standing> {
    standings_with(ws, ix, &YearTargets::new(ws, ix, year), year, period, today)
}

/// [`standings`] with the year's targets already worked out (the periods
/// of one year share them).
pub fn standings_with(ws: &Workspace, ix: &Index, targets: &YearTargets, year: i32, period: Period, today: NaiveDate) -> IdMap<Standing> {
    let (people, units) = standings_by_position(ws, ix, targets, year, period, today);
    let org = &ix.org;
    let mut out = IdMap::with_capacity_and_hasher(org.people.len() + org.units.len(), Default::default());
    out.extend(org.units.iter().copied().zip(units));
    out.extend(org.people.iter().copied().zip(people));
    out
}

/// [`standings_with`] by position: (people, units) in the index's order.
pub fn standings_by_position(
    ws: &Workspace,
    ix: &Index,
    targets: &YearTargets,
    year: i32,
    period: Period,
    today: NaiveDate,
) -> (Vec<Standing>, Vec<Standing>) {
    let (people, units) = period_figures(ws, ix, year, period);
    let el = elapsed(year, ws.settings.fiscal_year_start_month, period, today);
    let r = period.months();
    let one = |months: &[i64; MONTHS], figures: &Figures| {
        let target = months[r.clone()].iter().sum::<i64>();
        let (expected, t) = track(target, figures.closed, el);
        let remaining = target - figures.closed;
        let coverage_pct = if target > 0 && remaining > 0 { ratio(figures.open_amount(), remaining, 100) } else { None };
        Standing { target, figures: *figures, expected, track: t, coverage_pct }
    };
    let people = people.iter().zip(&targets.people).map(|(f, m)| one(m, f)).collect();
    let units = units.iter().zip(&targets.units).map(|(f, m)| one(m, f)).collect();
    (people, units)
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
