//! Pillar 3 engine (first part): incentive-plan mechanics and bonus-pool
//! splits as pure functions, each payout line carrying the numbers of its
//! formula so a statement can print "tier 2: 8 % × (1,200,000 − 1,000,000)
//! = 16,000".
//!
//! Money is in minor units; rates are in basis points (1 % = 100 bp);
//! attainment bounds are in basis points of the target (100 % = 10,000).
//! Every line is rounded half to even to the minor unit on its own, and a
//! total is the sum of its lines, never rounded again.

use crate::i18n::Lang;
use crate::model::Money;
pub use crate::model::{PlanRules, RateTier, TierMode};
use crate::num::{apply_bp, attainment_bp, rate, reaches, round_i64, split_exact};
use crate::sort::Arrange;

/// What one line of pay is, with the numbers its formula uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// rate × (upper − lower): one marginal tier's slice.
    TierSlice { tier: usize, rate_bp: u32, lower: i64, upper: i64 },
    /// rate × actual: the retroactive tier reached.
    Retroactive { tier: usize, rate_bp: u32, actual: i64 },
    /// Nothing: attainment (actual ÷ target) under the threshold.
    BelowThreshold { actual: i64, target: i64, threshold_bp: u32 },
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

/// rate (bp) × amount, rounded to the minor unit (see `engine::num`).
pub fn apply_rate(rate_bp: u32, amount: i64) -> i64 {
    apply_bp(amount, i64::from(rate_bp))
}

/// The amount at `bp` of the target (a tier's lower bound).
fn at(target: i64, bp: u32) -> i64 {
    apply_bp(target, i64::from(bp))
}

/// The pay for `actual` against `target`. `score_bp` is the scorecard
/// score (10,000 = 100 points, on plan) used when the plan multiplies by it;
/// `team_actual` feeds the manager override.
pub fn payout(rules: &PlanRules, actual: i64, target: i64, score_bp: u32, team_actual: i64) -> Payout {
    let actual = actual.max(0);
    let attainment_bp = attainment_bp(actual, target);
    let mut lines = Vec::new();
    // The threshold is a gate: decided on the exact ratio, not a rounded one.
    let below = if target > 0 { !reaches(actual, target, i64::from(rules.threshold_bp)) } else { rules.threshold_bp > 0 };
    if below {
        lines.push(PayLine { kind: LineKind::BelowThreshold { actual, target, threshold_bp: rules.threshold_bp }, amount: 0 });
    } else if target > 0 {
        let mut tiers = rules.tiers.clone();
        tiers.arrange_by_key(|t| t.from_bp);
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
        let delta = round_i64(earned as i128 * (score_bp as i128 - 10_000), 10_000);
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

fn pct(bp: u32) -> String {
    rate(i64::from(bp))
}

/// An amount in a formula ([`Money::shown`]).
fn m(v: i64) -> String {
    Money(v).shown()
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
            LineKind::BelowThreshold { actual, target, threshold_bp } => {
                let att = below_pct(*actual, *target, *threshold_bp).unwrap_or_else(|| lang.pick("无目标", "no target").to_string());
                lang.pick(
                    format!("达成率 {} ÷ {} = {att}，低于门槛 {}：不计提成 = 0.00", m(*actual), m(*target), pct(*threshold_bp)),
                    format!(
                        "attainment {} ÷ {} = {att} is below the {} threshold: nothing paid = 0.00",
                        m(*actual),
                        m(*target),
                        pct(*threshold_bp)
                    ),
                )
            }
            LineKind::Scorecard { score_bp, base } => lang.pick(
                format!("计分卡系数：{} × ({} − 100%) = {amount}", m(*base), exact_pct(*score_bp)),
                format!("scorecard multiplier: {} × ({} − 100%) = {amount}", m(*base), exact_pct(*score_bp)),
            ),
            LineKind::Cap { cap, before } => lang.pick(
                format!("封顶 {}，{} − {} = {amount}", m(*cap), m(*cap), m(*before)),
                format!("cap at {}: {} − {} = {amount}", m(*cap), m(*cap), m(*before)),
            ),
            LineKind::Override { rate_bp, team_actual } => lang.pick(
                format!("团队业绩提成：{} × {} = {amount}", pct(*rate_bp), m(*team_actual)),
                format!("manager override: {} × {} = {amount}", pct(*rate_bp), m(*team_actual)),
            ),
        }
    }
}

/// An attainment under a threshold, rounded like every percentage but with
/// as many decimals as it takes to show it is under ("49.999%", never
/// "50.0%" under a 50 % threshold).
fn below_pct(actual: i64, target: i64, threshold_bp: u32) -> Option<String> {
    for decimals in 1..=6u32 {
        let scale = 10i64.pow(decimals);
        let shown = crate::num::ratio(actual, target, 100 * scale)?;
        if (shown as i128) * 100 < i128::from(threshold_bp) * scale as i128 || decimals == 6 {
            let (whole, frac) = (shown / scale, shown % scale);
            return Some(format!("{}.{:0width$}%", crate::num::group(whole as i128), frac, width = decimals as usize));
        }
    }
    None
}

/// A score used as a factor, written exactly ("108%", "102.45%").
fn exact_pct(score_bp: u32) -> String {
    rate(i64::from(score_bp))
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
    /// How the shares came about: the pool split among everyone, then what
    /// capped members could not take split among the others, until nobody
    /// is over their cap.
    pub rounds: Vec<PoolRound>,
}

/// One round of a pool split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolRound {
    /// What this round hands out: the pool, then what the members capped in
    /// the round before could not take.
    pub amount: i64,
    /// Members it is split among (input indices), with their parts:
    /// amount × wᵢsᵢ ÷ Σ wⱼsⱼ over them, exact to the minor unit by the
    /// largest remainder.
    pub parts: Vec<(usize, i64)>,
    /// Σ wⱼsⱼ over this round's members (weight × score in basis points).
    pub weighted_total: u128,
    /// Members who reached their cap this round: (index, what their part
    /// was cut by).
    pub cut: Vec<(usize, i64)>,
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
    let mut rounds = Vec::new();
    while left > 0 && !open.is_empty() {
        let weights: Vec<u128> = open.iter().map(|i| members[*i].weight as u128 * members[*i].score_bp as u128).collect();
        let parts = split_exact(left, &weights);
        let mut cut = Vec::new();
        let mut handed = 0i64;
        for (k, i) in open.iter().enumerate() {
            let room = members[*i].cap.map(|c| (c.0 - shares[*i]).max(0)).unwrap_or(i64::MAX);
            let give = parts[k].min(room);
            shares[*i] += give;
            handed += give;
            if parts[k] >= room {
                cut.push((*i, parts[k] - give));
            }
        }
        rounds.push(PoolRound {
            amount: left,
            parts: open.iter().copied().zip(parts).collect(),
            weighted_total: weights.iter().sum(),
            cut: cut.clone(),
        });
        left -= handed;
        if cut.is_empty() {
            break;
        }
        open.retain(|i| !cut.iter().any(|(c, _)| c == i));
    }
    PoolSplit { shares, unallocated: left, rounds }
}

/// What one line of a pool share is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PoolLineKind {
    /// The first round: pool × wᵢsᵢ ÷ Σ wⱼsⱼ.
    Share,
    /// A later round: what capped members (named) could not take, split
    /// among the others in the same proportion.
    Redistributed { from: Vec<usize> },
    /// The member's cap: cap − (what they had + this round's part).
    Cap { cap: i64, before: i64 },
}

/// One line of a member's pool share, with the numbers of its formula.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolLine {
    pub kind: PoolLineKind,
    /// What the round hands out (for Share and Redistributed).
    pub round_amount: i64,
    pub weight: u32,
    pub score_bp: u32,
    pub weighted_total: u128,
    pub amount: i64,
}

impl PoolSplit {
    /// The lines of member `i`'s share, in order; they add up to its share.
    pub fn lines_of(&self, i: usize, members: &[PoolMember]) -> Vec<PoolLine> {
        let m = members[i];
        let mut out = Vec::new();
        // A member with a weight and a score of zero takes no part in any
        // round; their statement still shows the pool, with the zero that
        // explains it (Σ is the same with or without them).
        if m.weight > 0 && m.score_bp == 0 {
            let (round_amount, weighted_total) = self.rounds.first().map(|r| (r.amount, r.weighted_total)).unwrap_or((self.unallocated, 0));
            return vec![PoolLine { kind: PoolLineKind::Share, round_amount, weight: m.weight, score_bp: 0, weighted_total, amount: 0 }];
        }
        let mut had = 0i64;
        for (r, round) in self.rounds.iter().enumerate() {
            // Parts and cuts are in member order: a binary search, not a
            // walk per member (a pool of n members is n lines, not n²).
            let find = |v: &[(usize, i64)]| v.binary_search_by_key(&i, |(k, _)| *k).ok().map(|at| v[at]);
            let Some((_, part)) = find(&round.parts) else { continue };
            let part = &part;
            let cut = find(&round.cut);
            let kind = if r == 0 {
                PoolLineKind::Share
            } else {
                PoolLineKind::Redistributed { from: self.rounds[r - 1].cut.iter().map(|(k, _)| *k).collect() }
            };
            out.push(PoolLine {
                kind,
                round_amount: round.amount,
                weight: m.weight,
                score_bp: m.score_bp,
                weighted_total: round.weighted_total,
                amount: *part,
            });
            if let Some((_, by)) = cut {
                if by > 0 {
                    let before = had + part;
                    out.push(PoolLine {
                        kind: PoolLineKind::Cap { cap: m.cap.map(|c| c.0).unwrap_or(before - by), before },
                        round_amount: round.amount,
                        weight: m.weight,
                        score_bp: m.score_bp,
                        weighted_total: round.weighted_total,
                        amount: -by,
                    });
                }
            }
            had += part - cut.map(|(_, by)| by).unwrap_or(0);
        }
        out
    }
}

impl PoolLine {
    /// The line's formula with its numbers filled in. `pool_name` names the
    /// pool ("East China bonus pool"), `names` the members a redistribution
    /// came from. Scores are written exactly, so the equation can be checked
    /// by hand; a share the largest remainder rounded the other way than
    /// plain rounding would says so.
    pub fn describe(&self, pool_name: &str, names: &[String], lang: Lang) -> String {
        let w = m;
        let formula = format!(
            "{} × ({} × {}) ÷ {} = {}",
            w(self.round_amount),
            self.weight,
            crate::num::hundredths(i128::from(self.score_bp)),
            crate::num::hundredths(self.weighted_total as i128),
            w(self.amount)
        );
        let exact = self.round_amount as i128 * i128::from(self.weight) * i128::from(self.score_bp);
        let rounded = self.weighted_total > 0 && round_i64(exact, self.weighted_total as i128) != self.amount;
        let note = if rounded {
            lang.pick("（按最大余额法取整，使各份之和等于总额）", " (rounded so the shares add up to the total)")
        } else {
            ""
        };
        match &self.kind {
            // Nobody scored: there is no Σ to divide by, and nothing is shared.
            PoolLineKind::Share if self.weighted_total == 0 => {
                let (amount, weight, score) = (w(self.round_amount), self.weight, crate::num::hundredths(i128::from(self.score_bp)));
                lang.pick(
                    format!("{pool_name}：{amount} × ({weight} × {score})，无成员得分高于 0，不分配 = {}", w(self.amount)),
                    format!(
                        "{pool_name}: {amount} × ({weight} × {score}), no member scored above 0, nothing is shared = {}",
                        w(self.amount)
                    ),
                )
            }
            PoolLineKind::Share => lang.pick(format!("{pool_name}：{formula}{note}"), format!("{pool_name}: {formula}{note}")),
            PoolLineKind::Redistributed { .. } => {
                let from = names.join(lang.pick("、", ", "));
                lang.pick(
                    format!("{pool_name}：封顶成员（{from}）未能领取的部分再分配：{formula}{note}"),
                    format!("{pool_name}: redistributed from capped members ({from}): {formula}{note}"),
                )
            }
            PoolLineKind::Cap { cap, before } => lang.pick(
                format!("{pool_name}：成员封顶 {}，{} − {} = {}（超出部分分给其他成员）", w(*cap), w(*cap), w(*before), w(self.amount)),
                format!(
                    "{pool_name}: member cap {}: {} − {} = {} (the rest goes to the other members)",
                    w(*cap),
                    w(*cap),
                    w(*before),
                    w(self.amount)
                ),
            ),
        }
    }
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
        assert_eq!(low.lines[0].describe(Lang::En), "attainment 400.00 ÷ 1,000.00 = 40.0% is below the 50% threshold: nothing paid = 0.00");
        // Exactly at the threshold pays; a cent under does not (no rounding in the gate).
        assert!(payout(&p, 500 * K, 1_000 * K, 10_000, 0).total > 0);
        let just_under = payout(&p, 500 * K - 1, 1_000 * K, 10_000, 0);
        assert_eq!(just_under.total, 0);
        assert!(
            just_under.lines[0].describe(Lang::En).contains("= 49.999% is below the 50% threshold"),
            "{:?}",
            just_under.lines[0].describe(Lang::En)
        );
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
        // Weights and scores both uneven (2 × 100, 1 × 80, 3 × 50; Σ 430):
        // 9,000 × 200 ÷ 430 = 4,186.05; × 80 ÷ 430 = 1,674.42; × 150 ÷ 430 = 3,139.53.
        let uneven = [mk(2, 10_000, None), mk(1, 8_000, None), mk(3, 5_000, None)];
        assert_eq!(split_pool(Money(9_000_00), &uneven).shares, vec![4_186_05, 1_674_42, 3_139_53]);
        // A 4,000 cap: the first gives up 186.05, split 80 : 150 → 64.71 and 121.34.
        let capped: Vec<PoolMember> = uneven.iter().map(|m| PoolMember { cap: Some(Money(4_000_00)), ..*m }).collect();
        let s = split_pool(Money(9_000_00), &capped);
        assert_eq!(s.shares, vec![4_000_00, 1_739_13, 3_260_87]);
        assert_eq!(s.rounds.len(), 2);
        assert_eq!(s.rounds[1].amount, 186_05);
        for i in 0..3 {
            assert_eq!(s.lines_of(i, &capped).iter().map(|l| l.amount).sum::<i64>(), s.shares[i]);
        }
        assert_eq!(s.lines_of(0, &capped).iter().map(|l| l.amount).collect::<Vec<_>>(), vec![4_186_05, -186_05]);
        assert_eq!(s.lines_of(2, &capped).iter().map(|l| l.amount).collect::<Vec<_>>(), vec![3_139_53, 121_34]);
        // Everyone capped: the rest stays unallocated, reported.
        let s = split_pool(Money(1_000_00), &[mk(1, 10_000, Some(100_00)), mk(1, 10_000, Some(200_00))]);
        assert_eq!((s.shares.clone(), s.unallocated), (vec![100_00, 200_00], 700_00));
    }

    #[test]
    fn a_member_who_scored_zero_sees_the_pool_and_the_zero() {
        let mk = |w, s| PoolMember { weight: w, score_bp: s, cap: None };
        // 1,000.00 among 1 × 100 and 3 × 0: the second's line is the same
        // equation with their zero, over the same Σ (100.00).
        let members = [mk(1, 10_000), mk(3, 0)];
        let s = split_pool(Money(1_000_00), &members);
        assert_eq!(s.shares, vec![1_000_00, 0]);
        let lines = s.lines_of(1, &members);
        assert_eq!(lines.len(), 1);
        assert_eq!((lines[0].weight, lines[0].score_bp, lines[0].weighted_total, lines[0].amount), (3, 0, 10_000, 0));
        assert_eq!(lines[0].describe("East bonus pool", &[], Lang::En), "East bonus pool: 1,000.00 × (3 × 0) ÷ 100 = 0.00");
        // Nobody scored: no Σ to divide by, and the line says nothing is shared.
        let members = [mk(1, 0), mk(2, 0)];
        let s = split_pool(Money(500_00), &members);
        assert_eq!(s.unallocated, 500_00);
        let lines = s.lines_of(1, &members);
        assert_eq!(lines[0].amount, 0);
        let en = lines[0].describe("East bonus pool", &[], Lang::En);
        assert_eq!(en, "East bonus pool: 500.00 × (2 × 0), no member scored above 0, nothing is shared = 0.00");
        assert!(!en.contains('÷'));
        assert!(lines[0].describe("华东奖金池", &[], Lang::Zh).contains("不分配"));
        // A weight of zero leaves the member out: no line at all.
        assert!(s.lines_of(0, &[mk(0, 0), mk(2, 0)]).is_empty());
    }
}
