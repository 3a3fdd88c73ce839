//! Pillar 3 mechanics: property tests over random plans and results.
use proptest::prelude::*;
use sales_tiers_core::engine::incentive::*;
use sales_tiers_core::model::Money;
use sales_tiers_core::sort::Arrange;

fn rules() -> impl Strategy<Value = PlanRules> {
    (
        prop::collection::vec((0u32..30_000, 0u32..3_000), 1..5),
        any::<bool>(),
        0u32..12_000,
        prop::option::of(0i64..1_000_000_000),
        0u32..500,
        any::<bool>(),
    )
        .prop_map(|(tiers, retro, threshold_bp, cap, override_bp, scorecard_multiplier)| PlanRules {
            tiers: tiers.into_iter().map(|(from_bp, rate_bp)| RateTier { from_bp, rate_bp }).collect(),
            mode: if retro { TierMode::Retroactive } else { TierMode::Marginal },
            threshold_bp,
            cap: cap.map(Money),
            override_bp,
            scorecard_multiplier,
        })
}

/// Plans whose rates never fall as attainment rises, without a cap.
fn rising_rules() -> impl Strategy<Value = PlanRules> {
    (prop::collection::vec((0u32..30_000, 0u32..1_000), 1..5), any::<bool>(), 0u32..12_000).prop_map(|(mut tiers, retro, threshold_bp)| {
        tiers.arrange();
        let mut rate = 0;
        let tiers = tiers
            .into_iter()
            .map(|(from_bp, step)| {
                rate += step;
                RateTier { from_bp, rate_bp: rate }
            })
            .collect();
        PlanRules { tiers, mode: if retro { TierMode::Retroactive } else { TierMode::Marginal }, threshold_bp, ..Default::default() }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn payouts_are_never_negative_and_total_the_lines(r in rules(), actual in -1_000_000i64..2_000_000_000, target in 0i64..1_000_000_000, score in 0u32..20_000, team in 0i64..1_000_000_000) {
        let p = payout(&r, actual, target, score, team);
        prop_assert!(p.total >= 0, "{p:?}");
        prop_assert_eq!(p.total, p.lines.iter().map(|l| l.amount).sum::<i64>());
        if let Some(cap) = r.cap {
            let commission: i64 = p.lines.iter().filter(|l| !matches!(l.kind, LineKind::Override { .. })).map(|l| l.amount).sum();
            prop_assert!(commission <= cap.0.max(0) || commission == 0);
        }
    }

    #[test]
    fn more_attainment_never_pays_less_without_caps_or_decelerators(r in rising_rules(), a in 0i64..2_000_000_000, extra in 0i64..500_000_000, target in 1i64..1_000_000_000) {
        let lo = payout(&r, a, target, 10_000, 0).total;
        let hi = payout(&r, a + extra, target, 10_000, 0).total;
        prop_assert!(hi >= lo, "{lo} then {hi}");
    }

    #[test]
    fn pool_shares_add_up_to_the_pool(pool in 0i64..10_000_000_000, members in prop::collection::vec((0u32..10, 0u32..15_000, prop::option::of(0i64..3_000_000_000)), 1..30)) {
        let ms: Vec<PoolMember> = members.iter().map(|(w, s, c)| PoolMember { weight: *w, score_bp: *s, cap: c.map(Money) }).collect();
        let split = split_pool(Money(pool), &ms);
        prop_assert_eq!(split.shares.iter().sum::<i64>() + split.unallocated, pool);
        for (share, m) in split.shares.iter().zip(&ms) {
            prop_assert!(*share >= 0);
            if let Some(c) = m.cap { prop_assert!(*share <= c.0); }
            if m.weight == 0 || m.score_bp == 0 { prop_assert_eq!(*share, 0); }
        }
        // Without caps, everything is handed out whenever someone scored.
        if ms.iter().all(|m| m.cap.is_none()) && ms.iter().any(|m| m.weight > 0 && m.score_bp > 0) {
            prop_assert_eq!(split.unallocated, 0);
        }
    }
}
