//! Pillar 3 engine (first part): incentive-plan mechanics and bonus-pool
//! splits as pure functions, each payout line carrying the numbers of its
//! formula so a statement can print "tier 2: 8 % × (1,200,000 − 1,000,000)
//! = 16,000".
//!
//! Money is in minor units; rates are in basis points (1 % = 100 bp);
//! attainment bounds are in basis points of the target (100 % = 10,000).
//! Every line is rounded half to even to the minor unit on its own, and a
//! total is the sum of its lines, never rounded again.

use crate::engine::crm::round_half_even;
use crate::engine::plan::split_exact;
use crate::engine::scorecard::points;
use crate::i18n::Lang;
use crate::model::Money;
pub use crate::model::{PlanRules, RateTier, TierMode};

/// What one line of pay is, with the numbers its formula uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// rate × (upper − lower): one marginal tier's slice.
    TierSlice { tier: usize, rate_bp: u32, lower: i64, upper: i64 },
    /// rate × actual: the retroactive tier reached.
    Retroactive { tier: usize, rate_bp: u32, actual: i64 },
    /// Nothing: attainment under the threshold.
    BelowThreshold { attainment_bp: i64, threshold_bp: u32 },
    /// commission × (score − 100 %): the scorecard multiplier's effect.
    Scorecard { score_bp: u32, base: i64 },
    /// −(commission − cap).
    Cap { cap: i64, before: i64 },
    /// rate × team actual.
    Override { rate_bp: u32, team_actual: i64 },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayLine {
    pub kind: LineKind,
    /// Minor units; negative only for the cap line.
    pub amount: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Payout {
    pub lines: Vec<PayLine>,
    /// Σ lines.
    pub total: i64,
    pub attainment_bp: Option<i64>,
}

/// rate (bp) × amount, rounded half to even to the minor unit.
pub fn apply_rate(rate_bp: u32, amount: i64) -> i64 {
    round_half_even(rate_bp as i128 * amount as i128, 10_000)
}

fn at(target: i64, bp: u32) -> i64 {
    round_half_even(target as i128 * bp as i128, 10_000)
}

/// The pay for `actual` against `target`. `score_bp` is the scorecard
/// score (10,000 = 100 points, on plan) used when the plan multiplies by it;
/// `team_actual` feeds the manager override.
pub fn payout(rules: &PlanRules, actual: i64, target: i64, score_bp: u32, team_actual: i64) -> Payout {
    let actual = actual.max(0);
    let attainment_bp = (target > 0).then(|| (actual as i128 * 10_000 / target as i128) as i64);
    let mut lines = Vec::new();
    let below = match attainment_bp {
        Some(a) => a < rules.threshold_bp as i64,
        None => rules.threshold_bp > 0,
    };
    if below {
        lines.push(PayLine {
            kind: LineKind::BelowThreshold { attainment_bp: attainment_bp.unwrap_or(0), threshold_bp: rules.threshold_bp },
            amount: 0,
        });
    } else if target > 0 {
        let mut tiers = rules.tiers.clone();
        tiers.sort_by_key(|t| t.from_bp);
        match rules.mode {
            TierMode::Marginal => {
                for (i, t) in tiers.iter().enumerate() {
                    let lower = at(target, t.from_bp);
                    if actual <= lower {
                        break;
                    }
                    let upper = tiers.get(i + 1).map(|n| at(target, n.from_bp).min(actual)).unwrap_or(actual);
                    if upper > lower {
                        lines.push(PayLine {
                            kind: LineKind::TierSlice { tier: i + 1, rate_bp: t.rate_bp, lower, upper },
                            amount: apply_rate(t.rate_bp, upper - lower),
                        });
                    }
                }
            }
            TierMode::Retroactive => {
                if let Some((i, t)) = tiers.iter().enumerate().rev().find(|(_, t)| actual >= at(target, t.from_bp)) {
                    lines.push(PayLine {
                        kind: LineKind::Retroactive { tier: i + 1, rate_bp: t.rate_bp, actual },
                        amount: apply_rate(t.rate_bp, actual),
                    });
                }
            }
        }
    }
    // A manager's override is part of what the multiplier and the cap act on.
    if rules.override_bp > 0 && team_actual > 0 {
        lines.push(PayLine {
            kind: LineKind::Override { rate_bp: rules.override_bp, team_actual },
            amount: apply_rate(rules.override_bp, team_actual),
        });
    }
    let earned: i64 = lines.iter().map(|l| l.amount).sum();
    if rules.scorecard_multiplier && earned != 0 && score_bp != 10_000 {
        let delta = round_half_even(earned as i128 * (score_bp as i128 - 10_000), 10_000);
        lines.push(PayLine { kind: LineKind::Scorecard { score_bp, base: earned }, amount: delta });
    }
    let before_cap: i64 = lines.iter().map(|l| l.amount).sum();
    if let Some(cap) = rules.cap {
        if before_cap > cap.0 {
            lines.push(PayLine { kind: LineKind::Cap { cap: cap.0, before: before_cap }, amount: cap.0 - before_cap });
        }
    }
    let total = lines.iter().map(|l| l.amount).sum();
    Payout { lines, total, attainment_bp }
}

/// Basis points as a percentage without trailing zeros: 800 → "8%", 250 → "2.5%".
fn pct(bp: u32) -> String {
    let frac = format!("{:02}", bp % 100);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{}%", bp / 100)
    } else {
        format!("{}.{frac}%", bp / 100)
    }
}

fn m(v: i64) -> String {
    Money(v).to_string()
}

impl PayLine {
    /// The line's formula with its numbers filled in.
    pub fn describe(&self, lang: Lang) -> String {
        let amount = m(self.amount);
        match &self.kind {
            LineKind::TierSlice { tier, rate_bp, lower, upper } => lang.pick(
                format!("第 {tier} 档：{} × ({} − {}) = {amount}", pct(*rate_bp), m(*upper), m(*lower)),
                format!("tier {tier}: {} × ({} − {}) = {amount}", pct(*rate_bp), m(*upper), m(*lower)),
            ),
            LineKind::Retroactive { tier, rate_bp, actual } => lang.pick(
                format!("达到第 {tier} 档，全额适用：{} × {} = {amount}", pct(*rate_bp), m(*actual)),
                format!("tier {tier} reached, applies to all: {} × {} = {amount}", pct(*rate_bp), m(*actual)),
            ),
            LineKind::BelowThreshold { attainment_bp, threshold_bp } => lang.pick(
                format!("达成率 {} 低于门槛 {}：不计提成 = 0.00", pct(*attainment_bp as u32), pct(*threshold_bp)),
                format!("attainment {} is below the {} threshold: nothing paid = 0.00", pct(*attainment_bp as u32), pct(*threshold_bp)),
            ),
            LineKind::Scorecard { score_bp, base } => lang.pick(
                format!("计分卡系数：{} × ({}% − 100%) = {amount}", m(*base), points(*score_bp)),
                format!("scorecard multiplier: {} × ({}% − 100%) = {amount}", m(*base), points(*score_bp)),
            ),
            LineKind::Cap { cap, before } => lang.pick(
                format!("封顶 {}：{} − {} = {amount}", m(*cap), m(*cap), m(*before)),
                format!("cap at {}: {} − {} = {amount}", m(*cap), m(*cap), m(*before)),
            ),
            LineKind::Override { rate_bp, team_actual } => lang.pick(
                format!("团队业绩提成：{} × {} = {amount}", pct(*rate_bp), m(*team_actual)),
                format!("manager override: {} × {} = {amount}", pct(*rate_bp), m(*team_actual)),
            ),
        }
    }
}

// ---------------------------------------------------------------- bonus pools

/// One member of a pool: weight, score (percent) and an optional cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolMember {
    pub weight: u32,
    /// Scorecard score, basis points (10,000 = 100 points).
    pub score_bp: u32,
    pub cap: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolSplit {
    /// Each member's share, in input order.
    pub shares: Vec<i64>,
    /// What could not be given (every member capped, or nobody scored).
    pub unallocated: i64,
    /// Rounds of redistribution after caps.
    pub rounds: u32,
}

/// shareᵢ = pool × wᵢsᵢ ÷ Σ wⱼsⱼ, split exactly (largest remainder, so the
/// shares add up to the pool to the minor unit). Members over their cap get
/// the cap and what they would have had above it goes round again to the
/// others, in proportion, until nobody is over.
pub fn split_pool(pool: Money, members: &[PoolMember]) -> PoolSplit {
    let n = members.len();
    let mut shares = vec![0i64; n];
    let mut open: Vec<usize> = (0..n).filter(|i| members[*i].weight > 0 && members[*i].score_bp > 0).collect();
    let mut left = pool.0.max(0);
    let mut rounds = 0;
    while left > 0 && !open.is_empty() {
        rounds += 1;
        let weights: Vec<u128> = open.iter().map(|i| members[*i].weight as u128 * members[*i].score_bp as u128).collect();
        let parts = split_exact(left, &weights);
        let mut capped = Vec::new();
        let mut handed = 0i64;
        for (k, i) in open.iter().enumerate() {
            let room = members[*i].cap.map(|c| (c.0 - shares[*i]).max(0)).unwrap_or(i64::MAX);
            let give = parts[k].min(room);
            shares[*i] += give;
            handed += give;
            if parts[k] >= room {
                capped.push(*i);
            }
        }
        left -= handed;
        if capped.is_empty() {
            break;
        }
        open.retain(|i| !capped.contains(i));
    }
    PoolSplit { shares, unallocated: left, rounds }
}

#[cfg(test)]
#[allow(clippy::inconsistent_digit_grouping)] // amounts written as units_cents
mod tests {
    use super::*;

    fn plan(tiers: &[(u32, u32)], mode: TierMode) -> PlanRules {
        PlanRules { tiers: tiers.iter().map(|(f, r)| RateTier { from_bp: *f, rate_bp: *r }).collect(), mode, ..Default::default() }
    }

    const K: i64 = 100; // one currency unit in minor units

    #[test]
    fn marginal_tiers_by_hand() {
        // 5 % up to 100 % of target, 8 % above: actual 1,200,000 on 1,000,000.
        let p = plan(&[(0, 500), (10_000, 800)], TierMode::Marginal);
        let out = payout(&p, 1_200_000 * K, 1_000_000 * K, 10_000, 0);
        let amounts: Vec<i64> = out.lines.iter().map(|l| l.amount).collect();
        assert_eq!(amounts, vec![50_000 * K, 16_000 * K]);
        assert_eq!(out.total, 66_000 * K);
        assert_eq!(out.attainment_bp, Some(12_000));
        assert_eq!(out.lines[1].describe(Lang::En), "tier 2: 8% × (1,200,000.00 − 1,000,000.00) = 16,000.00");
        assert_eq!(out.lines[1].describe(Lang::Zh), "第 2 档：8% × (1,200,000.00 − 1,000,000.00) = 16,000.00");
    }

    #[test]
    fn retroactive_tier_applies_to_everything() {
        let p = plan(&[(0, 500), (10_000, 800)], TierMode::Retroactive);
        assert_eq!(payout(&p, 1_200_000 * K, 1_000_000 * K, 10_000, 0).total, 96_000 * K);
        assert_eq!(payout(&p, 900_000 * K, 1_000_000 * K, 10_000, 0).total, 45_000 * K);
    }

    #[test]
    fn threshold_cap_scorecard_and_override() {
        let mut p = plan(&[(0, 1_000)], TierMode::Marginal);
        p.threshold_bp = 5_000;
        // 40 % attainment: nothing, and the line says why.
        let low = payout(&p, 400 * K, 1_000 * K, 10_000, 0);
        assert_eq!(low.total, 0);
        assert!(low.lines[0].describe(Lang::En).contains("below the 50% threshold"));
        // Cap at 80: 10 % × 1,000 = 100 → 80.
        p.cap = Some(Money(80 * K));
        let capped = payout(&p, 1_000 * K, 1_000 * K, 10_000, 0);
        assert_eq!(capped.total, 80 * K);
        assert_eq!(capped.lines.last().unwrap().amount, -20 * K);
        // Scorecard 90 %: 100 × 0.9 = 90, then the cap 80.
        p.scorecard_multiplier = true;
        p.cap = None;
        let scored = payout(&p, 1_000 * K, 1_000 * K, 9_000, 0);
        assert_eq!(scored.total, 90 * K);
        // Manager override 1 % of a team's 50,000 on top.
        p.override_bp = 100;
        assert_eq!(payout(&p, 1_000 * K, 1_000 * K, 10_000, 50_000 * K).total, 100 * K + 500 * K);
    }

    #[test]
    fn decelerator_pays_less_per_unit_above_a_point() {
        let p = plan(&[(0, 1_000), (15_000, 500)], TierMode::Marginal);
        let a = payout(&p, 1_500 * K, 1_000 * K, 10_000, 0).total;
        let b = payout(&p, 1_600 * K, 1_000 * K, 10_000, 0).total;
        assert_eq!(b - a, 5 * K, "5 % of the last 100");
    }

    #[test]
    fn rounding_is_half_even_per_line() {
        // 2.5 % of 1.00 = 0.025 → 0.02; 2.5 % of 3.00 = 0.075 → 0.08.
        assert_eq!(apply_rate(250, 100), 2);
        assert_eq!(apply_rate(250, 300), 8);
    }

    #[test]
    fn pool_split_by_weight_times_score_with_caps_redistributed() {
        let mk = |w, s, cap: Option<i64>| PoolMember { weight: w, score_bp: s, cap: cap.map(Money) };
        // 1,000.00 among scores 100/100/50: 400 / 400 / 200.
        let s = split_pool(Money(1_000_00), &[mk(1, 10_000, None), mk(1, 10_000, None), mk(1, 5_000, None)]);
        assert_eq!(s.shares, vec![400_00, 400_00, 200_00]);
        assert_eq!(s.unallocated, 0);
        // Cap the first at 300: its extra 100 goes to the others 2:1.
        let s = split_pool(Money(1_000_00), &[mk(1, 10_000, Some(300_00)), mk(1, 10_000, None), mk(1, 5_000, None)]);
        assert_eq!(s.shares, vec![300_00, 466_67, 233_33]);
        assert_eq!(s.shares.iter().sum::<i64>(), 1_000_00);
        // Everyone capped: the rest stays unallocated, reported.
        let s = split_pool(Money(1_000_00), &[mk(1, 10_000, Some(100_00)), mk(1, 10_000, Some(200_00))]);
        assert_eq!((s.shares.clone(), s.unallocated), (vec![100_00, 200_00], 700_00));
    }
}
