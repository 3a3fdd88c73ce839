//! Pillar 3 over the document: scorecards from CRM and plan actuals,
//! statements with hand-computed lines, pools, SPIFs, edits, undo, merge,
//! migration of a real v4 file.
#![allow(clippy::inconsistent_digit_grouping)] // amounts written as units_cents
mod common;
use chrono::NaiveDate;
use common::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::demo::{generate, DemoOptions};
use sales_tiers_core::edit::{CustomerFields, OpportunityFields, PoolFields};
use sales_tiers_core::engine::incentive::LineKind;
use sales_tiers_core::engine::index::Index;
use sales_tiers_core::engine::merge::merge;
use sales_tiers_core::engine::perf::*;
use sales_tiers_core::engine::validate::validate;
use sales_tiers_core::model::*;
use sales_tiers_core::{apply, Edit, EditError, Id, Lang, Workspace};
use std::collections::BTreeSet;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 11, 27);
fn today() -> NaiveDate {
    date(TODAY.0, TODAY.1, TODAY.2)
}

/// One currency unit in minor units.
const K: i64 = 100;

fn customer(name: &str, owner: Id, created: NaiveDate) -> CustomerFields {
    customer_fields(name, Some(owner), created)
}

fn won(customer: Id, owner: Id, amount: i64, close: NaiveDate, name: &str) -> OpportunityFields {
    OpportunityFields {
        name: name.into(),
        probability: 100,
        category: ForecastCategory::Closed,
        created: date(2026, 7, 1),
        margin: Some(Money(amount / 4)),
        ..deal_fields(customer, owner, amount, close, "won")
    }
}

fn plan(id_n: u32, tier: Option<Id>, r: PlanRules) -> IncentivePlan {
    IncentivePlan {
        id: id(id_n),
        rev: 0,
        updated_at: t0(),
        name: Text::both(format!("Plan {id_n}")),
        tier,
        people: BTreeSet::new(),
        frequency: Frequency::Quarter,
        from: None,
        to: None,
        rules: r,
    }
}

fn rep_rules() -> PlanRules {
    PlanRules {
        tiers: vec![RateTier { from_bp: 0, rate_bp: 500 }, RateTier { from_bp: 10_000, rate_bp: 800 }],
        mode: TierMode::Marginal,
        threshold_bp: 5_000,
        cap: Some(Money(60_000 * K)),
        override_bp: 0,
        scorecard_multiplier: false,
    }
}

/// small_org + rep 200 with a 1,000,000 Q3 target and 1,200,000 won in
/// August; a rep plan (5 % to target, 8 % above, 50 % threshold, 60,000
/// cap); a director plan (1 % override, scorecard multiplier); the
/// director's strategic goals at 80 % for Q3.
fn scenario() -> (Workspace, [Id; 4], Id) {
    let (mut ws, tiers, company, _, _, _) = small_org();
    let e = |ws: &mut Workspace, edit: Edit| apply(ws, &edit, later(5)).unwrap();
    e(
        &mut ws,
        Edit::SetTarget {
            scenario: None,
            owner: id(200),
            kind: TargetKind::Revenue,
            year: 2026,
            period: Period::Quarter(3),
            amount: 1_000_000 * K,
        },
    );
    e(&mut ws, Edit::AddCustomer { id: id(500), fields: customer("Acme", id(200), date(2026, 8, 3)) });
    e(
        &mut ws,
        Edit::AddOpportunity { id: id(600), fields: won(id(500), id(200), 1_200_000 * K, date(2026, 8, 10), "CNC lathe x4"), by: None },
    );
    e(&mut ws, Edit::PutPlan { plan: plan(700, Some(tiers[3]), rep_rules()) });
    let director = PlanRules { override_bp: 100, scorecard_multiplier: true, ..Default::default() };
    e(&mut ws, Edit::PutPlan { plan: plan(701, Some(tiers[0]), director) });
    e(
        &mut ws,
        Edit::SetKpiEntry {
            person: id(100),
            kpi: KpiKind::Strategic,
            year: 2026,
            period: Period::Quarter(3),
            figures: Some((8_000, 10_000)),
            note: "board".into(),
            by: Some(id(100)),
        },
    );
    assert!(validate(&ws).is_empty(), "{:?}", validate(&ws));
    (ws, tiers, company)
}

#[test]
fn a_statement_names_its_months_like_the_page_in_a_fiscal_year_starting_in_april() {
    // The line's period came from one function (fiscal month: "M10" / "10月")
    // and the page's header from another (calendar month: "Jan" / "1月"):
    // with a fiscal year starting in April they named different months.
    let (mut ws, tiers, _) = scenario();
    ws.settings.fiscal_year_start_month = 4;
    // A monthly plan with a threshold: every month of the quarter has a line.
    let mut monthly = plan(702, Some(tiers[3]), rep_rules());
    monthly.frequency = Frequency::Month;
    let q4 = Edit::SetTarget {
        scenario: None,
        owner: id(200),
        kind: TargetKind::Revenue,
        year: 2026,
        period: Period::Quarter(4),
        amount: 300_000 * K,
    };
    apply(&mut ws, &q4, later(7)).unwrap();
    ws.incentive_plans.clear();
    ws.incentive_plans.insert(monthly.id, monthly);
    let pay = payouts(&ws, &Index::new(&ws), &ws.incentive_plans, 2026, Period::Quarter(4), today());
    for lang in [Lang::En, Lang::Zh] {
        let lines = sales_tiers_core::io::report::statement_lines(&ws, &pay, id(200), lang);
        let labels: BTreeSet<String> = lines.iter().map(|l| l.period_label.clone()).collect();
        // Fiscal Q4 of FY2026 is January to March 2027.
        let expected: BTreeSet<String> =
            (10..=12).map(|m| sales_tiers_core::calendar::label_with_year(Period::Month(m), 2026, 4, lang)).collect();
        assert_eq!(labels, expected, "{lang:?}");
        assert!(labels.contains(lang.pick("2027年1月", "Jan 2027")));
        assert_eq!(lines.iter().map(|l| l.period.as_str()).collect::<BTreeSet<_>>(), ["M10", "M11", "M12"].into_iter().collect());
    }
}

#[test]
fn a_rep_statement_by_hand_two_tiers_and_a_cap() {
    let (ws, _, company) = scenario();
    let pay = payouts(&ws, &Index::new(&ws), &ws.incentive_plans, 2026, Period::Quarter(3), today());
    let s = &pay.people[&id(200)];
    assert_eq!(s.settlements.len(), 1);
    let lines: Vec<i64> = s.settlements[0].payout.lines.iter().map(|l| l.amount).collect();
    // 5 % × 1,000,000 = 50,000; 8 % × 200,000 = 16,000; cap 60,000: −6,000.
    assert_eq!(lines, vec![50_000 * K, 16_000 * K, -6_000 * K]);
    assert_eq!(s.total, 60_000 * K);
    let en: Vec<String> = s.settlements[0].payout.lines.iter().map(|l| l.describe(Lang::En)).collect();
    assert_eq!(en[1], "tier 2: 8% × (1,200,000.00 − 1,000,000.00) = 16,000.00");
    assert_eq!(en[2], "cap at 60,000.00: 60,000.00 − 66,000.00 = −6,000.00");
    assert!(s.settlements[0].payout.lines[0].describe(Lang::Zh).starts_with("第 1 档：5% × (1,000,000.00 − 0.00)"));
    // The deals behind it.
    let deals = won_deals(&ws, id(200), 2026, Period::Quarter(3));
    assert_eq!(deals.iter().map(|o| o.id).collect::<Vec<_>>(), vec![id(600)]);
    // Director: no commission tiers, 1 % of the company's 1,200,000 (own
    // deals excluded) = 12,000, times the scorecard's 108.0: + 960.
    let d = &pay.people[&id(100)];
    assert_eq!(d.total, 12_960 * K);
    assert!(matches!(d.settlements[0].payout.lines[0].kind, LineKind::Override { .. }));
    // The score is written exactly as the factor the formula multiplies by.
    assert_eq!(d.settlements[0].payout.lines[1].describe(Lang::En), "scorecard multiplier: 12,000.00 × (108% − 100%) = 960.00");
    // Units add their people up; the total is the sum of every statement.
    assert_eq!(pay.units[&company], 72_960 * K);
    assert_eq!(pay.total, 72_960 * K);
    // A month view: the quarterly plan is settled in the quarter, not here.
    let m8 = payouts(&ws, &Index::new(&ws), &ws.incentive_plans, 2026, Period::Month(8), today());
    assert_eq!(m8.people[&id(200)].total, 0);
    assert_eq!(m8.people[&id(200)].deferred, Some((id(700), Frequency::Quarter)));
    // A year view settles the four quarters separately: the same money.
    let year = payouts(&ws, &Index::new(&ws), &ws.incentive_plans, 2026, Period::Year, today());
    assert_eq!(year.people[&id(200)].settlements.len(), 4);
    assert_eq!(year.people[&id(200)].total, 60_000 * K);
    // Q2: under the threshold (no target, nothing won): nothing, and it says why.
    let q2 = payouts(&ws, &Index::new(&ws), &ws.incentive_plans, 2026, Period::Quarter(2), today());
    assert_eq!(q2.people[&id(200)].total, 0);
    assert!(matches!(q2.people[&id(200)].settlements[0].payout.lines[0].kind, LineKind::BelowThreshold { .. }));
}

#[test]
fn retroactive_mode_and_a_what_if_on_the_rate() {
    let (ws, _, _) = scenario();
    let mut plans = ws.incentive_plans.clone();
    let rep = plans.get_mut(&id(700)).unwrap();
    rep.rules.mode = TierMode::Retroactive;
    rep.rules.cap = None;
    // 8 % of everything: 96,000.
    let pay = payouts(&ws, &Index::new(&ws), &plans, 2026, Period::Quarter(3), today());
    assert_eq!(pay.people[&id(200)].total, 96_000 * K);
    // The stored plan is untouched by the what-if.
    assert_eq!(payouts(&ws, &Index::new(&ws), &ws.incentive_plans, 2026, Period::Quarter(3), today()).people[&id(200)].total, 60_000 * K);
}

#[test]
fn scorecards_read_the_crm_and_manual_entries_and_weights_move_ratings() {
    let (mut ws, tiers, _) = scenario();
    let d = PeriodData::new(&ws, &Index::new(&ws), 2026, Period::Quarter(3), today());
    let cards = scorecards(&ws, &d, None);
    // Director: team attainment 120 % × 70 % + strategic 80 % × 30 % = 108.0 → B.
    let dir = &cards[&id(100)];
    assert_eq!(dir.kpis[0].result.attainment_bp, Some(12_000));
    assert_eq!(dir.kpis[1].entry, Some((Some(id(100)), "board".to_string())));
    assert_eq!(dir.score_bp, Some(10_800));
    assert_eq!(dir.rating, Some(1));
    // Rep 200: revenue 120 %; new customers has no target (left out, re-weighted);
    // the target is met, so coverage has nothing left to cover: full marks.
    // (60 × 120 + 20 × 100) ÷ 80 = 115.0.
    let rep = &cards[&id(200)];
    assert_eq!(rep.kpis[0].result.attainment_bp, Some(12_000));
    assert_eq!(rep.kpis[1].result.actual, 1, "Acme was created in August");
    assert_eq!(rep.kpis[1].result.score_bp, None);
    assert!(rep.kpis[2].met);
    assert_eq!(rep.kpis[2].result.score_bp, Some(10_000));
    assert_eq!(rep.score_bp, Some(11_500));
    assert_eq!(rep.rating, Some(0));
    // Weights that do not add up to 100 % are refused, with the sum in the message.
    let bad = vec![KpiLine { kpi: KpiKind::TeamAttainment, weight_bp: 9_000, curve: Curve::default(), goal: 0 }];
    let err = apply(&mut ws, &Edit::SetScorecard { tier: tiers[0], lines: bad }, later(9)).unwrap_err();
    assert!(err.message(Lang::En).contains("add up to 90.0%"), "{}", err.message(Lang::En));
    assert!(err.message(Lang::Zh).contains("90.0%"));
    // All weight on team attainment: 120 → A.
    let lines = vec![KpiLine { kpi: KpiKind::TeamAttainment, weight_bp: 10_000, curve: Curve::default(), goal: 0 }];
    let patch = apply(&mut ws, &Edit::SetScorecard { tier: tiers[0], lines }, later(9)).unwrap();
    let d = PeriodData::new(&ws, &Index::new(&ws), 2026, Period::Quarter(3), today());
    assert_eq!(scorecards(&ws, &d, None)[&id(100)].rating, Some(0));
    patch.apply(&mut ws);
    assert_eq!(scorecards(&ws, &d, None)[&id(100)].score_bp, Some(10_800));
    let strategic = Edit::SetKpiEntry {
        person: id(100),
        kpi: KpiKind::Strategic,
        year: 2026,
        period: Period::Quarter(3),
        figures: Some((12_000, 10_000)),
        note: String::new(),
        by: None,
    };
    assert!(matches!(apply(&mut ws, &strategic, later(10)), Err(EditError::Invalid(..))), "strategic goals stop at 100 %");
}

#[test]
fn a_pool_is_split_by_weight_times_score_and_a_capped_share_is_redistributed() {
    let (mut ws, _, company) = scenario();
    let pool = PoolFields { amount: Money(10_000 * K), member_cap: Some(Money(5_000 * K)), weights: Default::default() };
    apply(&mut ws, &Edit::SetPool { unit: company, year: 2026, period: Period::Quarter(3), pool: Some(pool) }, later(6)).unwrap();
    let pay = payouts(&ws, &Index::new(&ws), &ws.incentive_plans, 2026, Period::Quarter(3), today());
    // Scores 108.0 (director) and 115.0 (rep 200); the others have no data.
    // 10,000 × 115 ÷ 223 = 5,156.95 → capped at 5,000; the 156.95 goes to the director: 4,843.05 + 156.95.
    let rep = &pay.people[&id(200)].pools[0];
    let dir = &pay.people[&id(100)].pools[0];
    assert_eq!((rep.amount, dir.amount), (5_000 * K, 5_000 * K));
    assert!(rep.capped);
    // Every line is a true equation, and the lines add up to the share: the
    // director's 5,000.00 is their part of the pool plus what the capped rep
    // could not take (it used to print "10,000.00 × (1 × 108.0) ÷ 223.0 =
    // 5,000.00", which the formula does not give).
    let co = ws.units[&company].name.get(Lang::En).to_string();
    let rep_name = ws.people[&id(200)].name.get(Lang::En).to_string();
    assert_eq!(
        dir.describe(&ws, Lang::En),
        vec![
            format!("{co} bonus pool: 10,000.00 × (1 × 108) ÷ 223 = 4,843.05"),
            format!("{co} bonus pool: redistributed from capped members ({rep_name}): 156.95 × (1 × 108) ÷ 108 = 156.95"),
        ]
    );
    assert_eq!(
        rep.describe(&ws, Lang::En),
        vec![
            format!("{co} bonus pool: 10,000.00 × (1 × 115) ÷ 223 = 5,156.95"),
            format!("{co} bonus pool: member cap 5,000.00: 5,000.00 − 5,156.95 = −156.95 (the rest goes to the other members)"),
        ]
    );
    assert!(rep.describe(&ws, Lang::Zh)[1].contains("成员封顶 5,000.00"));
    for share in [rep, dir] {
        assert_eq!(share.lines.iter().map(|l| l.amount).sum::<i64>(), share.amount);
    }
    let shares: i64 = pay.people.values().flat_map(|s| s.pools.iter().map(|p| p.amount)).sum();
    assert_eq!(shares, 10_000 * K);
    assert_eq!(pay.people[&id(200)].total, 65_000 * K);
    // A member without data scored 0: their statement still shows the pool,
    // the same equation with their zero (it showed nothing before).
    let zero = pay.people.values().flat_map(|s| &s.pools).find(|p| p.score_bp == 0).expect("a member who scored 0");
    assert_eq!(zero.amount, 0);
    assert_eq!(zero.describe(&ws, Lang::En), vec![format!("{co} bonus pool: 10,000.00 × (1 × 0) ÷ 223 = 0.00")]);
}

#[test]
fn pool_weights_count_by_hand() {
    let (mut ws, _, company) = scenario();
    // Director 3 × 108 = 324, rep 1 × 115 = 115; Σ = 439.
    let weights = [(id(100), 3), (id(200), 1)].into_iter().collect();
    let pool = PoolFields { amount: Money(10_000 * K), member_cap: None, weights };
    apply(&mut ws, &Edit::SetPool { unit: company, year: 2026, period: Period::Quarter(3), pool: Some(pool.clone()) }, later(6)).unwrap();
    let pay = payouts(&ws, &Index::new(&ws), &ws.incentive_plans, 2026, Period::Quarter(3), today());
    let (dir, rep) = (&pay.people[&id(100)].pools[0], &pay.people[&id(200)].pools[0]);
    // 10,000 × 324 ÷ 439 = 7,380.41; 10,000 × 115 ÷ 439 = 2,619.59.
    assert_eq!((dir.amount, rep.amount), (738_041, 261_959));
    assert_eq!((dir.weight, rep.weight), (3, 1));
    let co = ws.units[&company].name.get(Lang::En).to_string();
    assert_eq!(dir.describe(&ws, Lang::En), vec![format!("{co} bonus pool: 10,000.00 × (3 × 108) ÷ 439 = 7,380.41")]);
    // A 6,000 member cap: the director gives up 1,380.41, all of it to the rep.
    let capped = PoolFields { member_cap: Some(Money(6_000 * K)), ..pool };
    apply(&mut ws, &Edit::SetPool { unit: company, year: 2026, period: Period::Quarter(3), pool: Some(capped) }, later(7)).unwrap();
    let pay = payouts(&ws, &Index::new(&ws), &ws.incentive_plans, 2026, Period::Quarter(3), today());
    let (dir, rep) = (&pay.people[&id(100)].pools[0], &pay.people[&id(200)].pools[0]);
    assert_eq!((dir.amount, rep.amount), (600_000, 400_000));
    assert_eq!(rep.lines.iter().map(|l| l.amount).collect::<Vec<_>>(), vec![261_959, 138_041]);
    assert_eq!(dir.lines.iter().map(|l| l.amount).collect::<Vec<_>>(), vec![738_041, -138_041]);
}

#[test]
fn a_spif_pays_in_the_period_it_ends_when_the_goal_is_reached() {
    let (mut ws, tiers, _) = scenario();
    let spif = Spif {
        id: id(800),
        rev: 0,
        updated_at: t0(),
        name: Text::new("车床推广", "Lathe push"),
        from: date(2026, 7, 1),
        to: date(2026, 9, 30),
        measure: SpifMeasure::ProductDeals { product: "cnc lathe".into() },
        goal: 1,
        bonus: Money(2_000 * K),
        tier: Some(tiers[3]),
    };
    apply(&mut ws, &Edit::PutSpif { spif: spif.clone() }, later(6)).unwrap();
    let q3 = payouts(&ws, &Index::new(&ws), &ws.incentive_plans, 2026, Period::Quarter(3), today());
    let award = &q3.people[&id(200)].spifs[0];
    assert_eq!(award.amount, 2_000 * K);
    assert_eq!(award.describe(&spif, Lang::En), "SPIF “Lathe push”: 1 ≥ goal 1 → 2,000.00");
    assert!(q3.people[&id(201)].spifs.is_empty());
    assert!(payouts(&ws, &Index::new(&ws), &ws.incentive_plans, 2026, Period::Quarter(4), today()).people[&id(200)].spifs.is_empty());
    // Ends before it starts: refused with a clear message.
    let mut bad = spif;
    bad.to = date(2026, 6, 1);
    let err = apply(&mut ws, &Edit::PutSpif { spif: bad }, later(7)).unwrap_err();
    assert!(err.message(Lang::En).contains("end date is before the start date"));
}

#[test]
fn absurd_plans_are_refused_and_nothing_changes() {
    let (mut ws, tiers, _) = scenario();
    let before = ws.clone();
    for rules in [
        PlanRules { tiers: vec![RateTier { from_bp: 0, rate_bp: 20_000 }], ..Default::default() },
        PlanRules { tiers: vec![RateTier { from_bp: 0, rate_bp: 100 }, RateTier { from_bp: 0, rate_bp: 200 }], ..Default::default() },
        PlanRules { cap: Some(Money(-5)), ..Default::default() },
        PlanRules { override_bp: 50_000, ..Default::default() },
    ] {
        assert!(apply(&mut ws, &Edit::PutPlan { plan: plan(702, Some(tiers[3]), rules) }, later(8)).is_err());
    }
    let mut blank = plan(702, None, PlanRules::default());
    blank.name = Text::default();
    assert_eq!(
        apply(&mut ws, &Edit::PutPlan { plan: blank }, later(8)).unwrap_err().message(Lang::En),
        // A record without a name is shown by its whole id (the first 8 hex
        // digits were "00000000" for every hand-made id).
        format!("incentive plan {} has an empty name", id(702))
    );
    assert_eq!(ws, before);
}

#[test]
fn removing_people_and_tiers_leaves_no_dangling_pillar_3_records() {
    let (mut ws, tiers, company) = scenario();
    let mut p = plan(703, None, rep_rules());
    p.people.insert(id(211));
    apply(&mut ws, &Edit::PutPlan { plan: p }, later(6)).unwrap();
    let weights = [(id(211), 3)].into_iter().collect();
    let pool = PoolFields { amount: Money(1_000 * K), member_cap: None, weights };
    apply(&mut ws, &Edit::SetPool { unit: company, year: 2026, period: Period::Quarter(3), pool: Some(pool) }, later(6)).unwrap();
    apply(&mut ws, &Edit::DeletePerson { id: id(211) }, later(7)).unwrap();
    assert!(ws.incentive_plans[&id(703)].people.is_empty());
    assert!(ws.pools.values().all(|b| b.weights.is_empty()));
    assert!(validate(&ws).is_empty());
    // A tier with nobody in it goes with its scorecard; its plan applies to nobody by tier.
    apply(&mut ws, &Edit::RemoveTier { id: tiers[2], reassign_to: None }, later(8)).unwrap();
    assert!(ws.scorecard_of(tiers[2]).is_none());
    assert!(validate(&ws).is_empty(), "{:?}", validate(&ws));
}

#[test]
fn a_cleared_then_re_entered_kpi_outranks_its_tombstone_in_a_merge() {
    let (mut ws, _, _) = scenario();
    let set = |figures| Edit::SetKpiEntry {
        person: id(100),
        kpi: KpiKind::Strategic,
        year: 2026,
        period: Period::Quarter(3),
        figures,
        note: String::new(),
        by: Some(id(100)),
    };
    apply(&mut ws, &set(None), later(10)).unwrap();
    let cleared = ws.clone();
    apply(&mut ws, &set(Some((7_000, 10_000))), later(11)).unwrap();
    let eid = KpiEntry::id_for(id(100), KpiKind::Strategic, 2026, Period::Quarter(3));
    assert!(!ws.tombstones.contains_key(&eid));
    assert!(ws.kpi_entries[&eid].rev > cleared.tombstones[&eid].rev);
    let (merged, _) = merge(&cleared, &ws).unwrap();
    assert_eq!(merged.kpi_entries[&eid].actual, 7_000);
    let (merged, _) = merge(&ws, &cleared).unwrap();
    assert_eq!(merged.kpi_entries[&eid].actual, 7_000);
}

#[test]
fn every_pillar_3_edit_undoes_exactly() {
    let (mut ws, tiers, company) = scenario();
    let edits = vec![
        Edit::AddKpi { id: id(900), name: Text::new("培训完成", "Training done") },
        Edit::SetBands {
            bands: vec![
                Band { name: Text::both("S"), min_bp: 12_000, guideline_bp: 1_000 },
                Band { name: Text::both("OK"), min_bp: 0, guideline_bp: 9_000 },
            ],
        },
        Edit::PutPlan { plan: plan(704, Some(tiers[1]), rep_rules()) },
        Edit::DeletePlan { id: id(700) },
        Edit::SetPool {
            unit: company,
            year: 2026,
            period: Period::Quarter(4),
            pool: Some(PoolFields { amount: Money(5), member_cap: None, weights: Default::default() }),
        },
    ];
    for e in edits {
        let before = ws.clone();
        let patch = apply(&mut ws, &e, later(20)).unwrap();
        assert_ne!(ws, before);
        let redo = patch.apply(&mut ws);
        assert_eq!(ws, before, "{e:?}");
        redo.apply(&mut ws);
        assert!(validate(&ws).is_empty());
    }
    // A custom KPI on a scorecard cannot go; its entries go with it once off.
    let lines = vec![
        KpiLine { kpi: KpiKind::Custom(id(900)), weight_bp: 5_000, curve: Curve::default(), goal: 0 },
        KpiLine { kpi: KpiKind::Revenue, weight_bp: 5_000, curve: Curve::default(), goal: 0 },
    ];
    apply(&mut ws, &Edit::SetScorecard { tier: tiers[3], lines }, later(21)).unwrap();
    assert!(matches!(apply(&mut ws, &Edit::RemoveKpi { id: id(900) }, later(22)), Err(EditError::KpiInUse { cards: 1 })));
}

#[test]
fn a_real_v4_file_migrates_to_v5_with_the_seed_scorecards() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v4-workspace.json")).unwrap();
    assert!(text.contains("\"version\": 4"), "the fixture is a real v4 file");
    let (ws, info) = sales_tiers_core::io::read(&text).unwrap();
    assert!(info.migrated);
    assert_eq!(ws.schema_version, SCHEMA_VERSION);
    assert_eq!(ws.scorecards.len(), ws.tiers.len());
    for t in ws.tiers_in_order() {
        assert_eq!(ws.scorecard_of(t.id).unwrap().weight_sum(), 10_000);
    }
    let top = ws.tiers_in_order()[0].id;
    assert_eq!(ws.scorecard_of(top).unwrap().lines[1].kpi, KpiKind::Strategic);
    assert_eq!(ws.performance.bands.len(), 4);
    assert!(ws.incentive_plans.is_empty() && ws.opportunities.values().all(|o| o.margin.is_none()));
    assert!(validate(&ws).is_empty());
}

#[test]
fn demo_statements_add_up_for_several_seeds() {
    for seed in [1, 2, 3] {
        let ws = generate(&DemoOptions { people: 40, seed, ..DemoOptions::new(t0()) });
        assert!(validate(&ws).is_empty());
        for period in [Period::Quarter(3), Period::Year, Period::Month(8)] {
            let pay = payouts(&ws, &Index::new(&ws), &ws.incentive_plans, 2026, period, today());
            let root = ws.root().unwrap().id;
            assert_eq!(pay.units[&root], pay.total);
            for s in pay.people.values() {
                let lines: i64 = s.settlements.iter().map(|x| x.payout.total).sum::<i64>()
                    + s.pools.iter().map(|p| p.amount).sum::<i64>()
                    + s.spifs.iter().map(|a| a.amount).sum::<i64>();
                assert_eq!(s.total, lines);
                assert!(s.total >= 0);
                // Pool shares read in the order of their periods.
                let starts: Vec<usize> = s.pools.iter().map(|p| ws.pools[&p.pool].period.months().start).collect();
                assert!(starts.is_sorted(), "{starts:?}");
            }
            // Pools hand out exactly their amount when anyone scored, unless
            // every scoring member is capped; then exactly their caps.
            for b in ws.pools.values().filter(|b| b.year == 2026 && period.contains(b.period)) {
                let shares: Vec<&PoolShare> = pay.people.values().flat_map(|s| s.pools.iter().filter(|p| p.pool == b.id)).collect();
                let given: i64 = shares.iter().map(|p| p.amount).sum();
                let scoring = shares.iter().filter(|p| p.score_bp > 0 && p.weight > 0).count() as i64;
                let room = b.member_cap.map(|c| c.0 * scoring).unwrap_or(i64::MAX);
                assert_eq!(given, if scoring == 0 { 0 } else { b.amount.0.min(room) }, "pool {:?} in {period:?}", b.id);
                for sh in &shares {
                    assert_eq!(sh.lines.iter().map(|l| l.amount).sum::<i64>(), sh.amount);
                }
            }
        }
        assert!(pay_has_reps(&ws));
        // The year settles each quarter exactly as the quarter's own view
        // does (the year counts activities month by month, a quarter walks
        // them), and the pools of a quarter pay the same shares.
        let ix = Index::new(&ws);
        let year = payouts(&ws, &ix, &ws.incentive_plans, 2026, Period::Year, today());
        let mut settled = 0;
        for q in 1..=4 {
            let quarter = payouts(&ws, &ix, &ws.incentive_plans, 2026, Period::Quarter(q), today());
            for (id, s) in &year.people {
                let of_q = |st: &sales_tiers_core::engine::perf::Statement| {
                    st.settlements.iter().filter(|x| x.period == Period::Quarter(q)).cloned().collect::<Vec<_>>()
                };
                let want = quarter.people.get(id).map(of_q).unwrap_or_default();
                assert_eq!(of_q(s), want, "{id:?} in Q{q}");
                settled += want.len();
                let pools = |st: &sales_tiers_core::engine::perf::Statement| {
                    st.pools.iter().filter(|p| ws.pools[&p.pool].period == Period::Quarter(q)).cloned().collect::<Vec<_>>()
                };
                assert_eq!(pools(s), quarter.people.get(id).map(pools).unwrap_or_default());
            }
        }
        assert!(settled > 0);
    }
}

fn pay_has_reps(ws: &Workspace) -> bool {
    let pay = payouts(ws, &Index::new(ws), &ws.incentive_plans, 2026, Period::Quarter(3), today());
    pay.people.values().filter(|s| s.total > 0).count() > 5
}

#[test]
fn grading_reads_the_scorecard_history() {
    use sales_tiers_core::engine::grading::{assess_all, explain};
    let (mut ws, tiers, _) = scenario();
    let rule = |min| Rule { factor: Factor::Score, min, periods: 1 };
    apply(&mut ws, &Edit::AddGrade { id: id(950), tier: tiers[0], name: Text::both("Senior"), rules: vec![rule(100)] }, later(30)).unwrap();
    // Q3 is the last complete quarter on 27 November: the director scored 108.0.
    let a = &assess_all(&ws, &Index::new(&ws), today())[&id(100)];
    let check = &a.ladder.iter().find(|g| g.grade == id(950)).unwrap().checks[0];
    assert_eq!(check.actual, Some(108));
    assert_eq!(check.met, Some(true));
    assert_eq!(explain(check, Lang::En), "average scorecard score ≥ 100 over the last 1 periods, has 108: met");
}

/// The Scorecards page shows the cards of the payouts the Payouts page
/// computed for the same period (one computation shared by both pages):
/// they must be the cards worked out on their own.
#[test]
fn the_payouts_scorecards_are_the_periods_scorecards() {
    let ws = generate(&DemoOptions { people: 60, ..DemoOptions::new(t0()) });
    let ix = Index::new(&ws);
    for period in [Period::Quarter(4), Period::Quarter(3), Period::Month(11), Period::Year] {
        let pay = payouts(&ws, &ix, &ws.incentive_plans, 2026, period, today());
        let own = scorecards(&ws, &PeriodData::new(&ws, &ix, 2026, period, today()), None);
        assert!(!own.is_empty());
        assert_eq!(pay.cards(), &own, "{period:?}");
    }
}
