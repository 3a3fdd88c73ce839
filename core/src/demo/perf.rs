//! Demo pillar 3: the seed's scorecards for the four tiers, an incentive
//! plan per tier, a bonus pool per region and quarter, two SPIFs and the
//! director's strategic-goal entries for the finished quarters.

use crate::calendar::{fiscal_year_of, period_bounds, Period};
use crate::i18n::Lang;
use crate::model::*;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

fn rules(tiers: &[(u32, u32)], threshold_bp: u32, cap: Option<i64>, override_bp: u32, multiplier: bool) -> PlanRules {
    PlanRules {
        tiers: tiers.iter().map(|(from_bp, rate_bp)| RateTier { from_bp: *from_bp, rate_bp: *rate_bp }).collect(),
        mode: TierMode::Marginal,
        threshold_bp,
        cap: cap.map(Money::from_units),
        override_bp,
        scorecard_multiplier: multiplier,
    }
}

/// The seed scorecard per tier and an incentive plan per tier (from the top
/// tier down: director, regional manager, team lead, rep). With `example`,
/// the plans are named as a starting point to adjust — what a new
/// workspace starts with; the demo's carry plain names.
pub fn seed_perf(ws: &mut Workspace, now: DateTime<Utc>, example: bool) {
    let tiers: Vec<(Id, u32)> = ws.tiers_in_order().iter().enumerate().map(|(i, t)| (t.id, i as u32)).collect();
    ws.scorecards = default_scorecards(&tiers, now);
    // Reps are scored on their logged activities too (the demo has them).
    if let Some((rep, _)) = tiers.iter().max_by_key(|(_, order)| *order) {
        if let Some(card) = ws.scorecards.get_mut(&ScorecardTemplate::id_for(*rep)) {
            let l = |kpi: KpiKind, w: u32| KpiLine { kpi, weight_bp: w, curve: Curve::default(), goal: kpi.default_goal() };
            card.lines = vec![
                l(KpiKind::Revenue, 5_000),
                l(KpiKind::NewCustomers, 1_500),
                l(KpiKind::Coverage, 1_500),
                l(KpiKind::Activities, 2_000),
            ];
        }
    }
    let plan_rules = [
        // Director: yearly, an override on the whole company, scorecard-weighted.
        (Frequency::Year, rules(&[], 0, None, 20, true), ("总监激励方案", "Director plan")),
        // Regional manager: own deals at 2 %, 0.5 % of the region, scorecard-weighted.
        (Frequency::Quarter, rules(&[(0, 200)], 0, Some(120_000), 50, true), ("区域经理激励方案", "Regional manager plan")),
        // Team lead: 3 %, 1 % of the team, scorecard-weighted.
        (Frequency::Quarter, rules(&[(0, 300)], 0, Some(90_000), 100, true), ("主管激励方案", "Team lead plan")),
        // Rep: nothing under 50 %, 4 % to target, 8 % above, 3 % above 150 %, capped.
        (
            Frequency::Quarter,
            rules(&[(0, 400), (10_000, 800), (15_000, 300)], 5_000, Some(150_000), 0, false),
            ("销售代表提成方案", "Rep commission plan"),
        ),
    ];
    for ((tier, _), (frequency, r, (zh, en))) in tiers.iter().zip(plan_rules) {
        let id = derived_id("demo-plan", &[tier.0.as_bytes()]);
        let name = if example {
            Text::new(format!("示例：{zh}（起点，请按需修改）"), format!("Example: {en} (a starting point: adjust it)"))
        } else {
            Text::new(zh, en)
        };
        ws.incentive_plans.insert(
            id,
            IncentivePlan {
                id,
                rev: 1,
                updated_at: now,
                name,
                tier: Some(*tier),
                people: BTreeSet::new(),
                frequency,
                from: None,
                to: None,
                rules: r,
            },
        );
    }
}

pub(super) fn add_perf(ws: &mut Workspace, now: DateTime<Utc>, lang: Lang) {
    seed_perf(ws, now, false);
    let tiers: Vec<(Id, u32)> = ws.tiers_in_order().iter().enumerate().map(|(i, t)| (t.id, i as u32)).collect();
    let start = ws.settings.fiscal_year_start_month;
    let today = now.date_naive();
    let year = fiscal_year_of(today, start);
    let Some(root) = ws.root().map(|u| u.id) else { return };
    let regions: Vec<Id> = ws.units.values().filter(|u| u.parent == Some(root)).map(|u| u.id).collect();
    for r in regions {
        for q in 1..=4u8 {
            let id = BonusPool::id_for(r, year, Period::Quarter(q));
            let pool = BonusPool {
                id,
                rev: 1,
                updated_at: now,
                unit: r,
                year,
                period: Period::Quarter(q),
                amount: Money::from_units(60_000),
                member_cap: Some(Money::from_units(6_000)),
                weights: Default::default(),
            };
            ws.pools.insert(id, pool);
        }
    }
    let rep = tiers.get(3).map(|t| t.0);
    let (q4_start, q4_end) = period_bounds(year, start, Period::Quarter(4));
    let (q3_start, _) = period_bounds(year, start, Period::Quarter(3));
    let spifs = [
        (
            Text::new("四季度新客户冲刺", "Q4 new-customer sprint"),
            q4_start,
            q4_end - chrono::Duration::days(1),
            SpifMeasure::NewCustomers,
            2,
            3_000,
        ),
        (
            Text::new("数控车床推广", "CNC lathe push"),
            q3_start,
            q4_start - chrono::Duration::days(1),
            SpifMeasure::ProductDeals { product: lang.pick("数控车床", "CNC lathe").to_string() },
            1,
            2_000,
        ),
    ];
    for (name, from, to, measure, goal, bonus) in spifs {
        let id = derived_id("demo-spif", &[name.en.as_bytes()]);
        ws.spifs
            .insert(id, Spif { id, rev: 1, updated_at: now, name, from, to, measure, goal, bonus: Money::from_units(bonus), tier: rep });
    }
    // The director's strategic goals, scored by the board each finished quarter.
    let director = ws.units.get(&root).and_then(|u| u.manager);
    if let Some(d) = director {
        let done = crate::calendar::fiscal_month_index(today, start) / 3;
        for (q, pct) in (1..=done as u8).zip([9_000, 8_500, 9_500, 8_000]) {
            let period = Period::Quarter(q);
            let id = KpiEntry::id_for(d, KpiKind::Strategic, year, period);
            let note = lang.pick("董事会季度评议", "Board's quarterly review").to_string();
            let e = KpiEntry {
                id,
                rev: 1,
                updated_at: now,
                person: d,
                kpi: KpiKind::Strategic,
                year,
                period,
                actual: pct,
                target: 10_000,
                by: Some(d),
                note,
            };
            ws.kpi_entries.insert(id, e);
        }
    }
}
