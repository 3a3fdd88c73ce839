//! Pillar 4: customers, opportunities, stage history, forecasts, rollups,
#![allow(clippy::inconsistent_digit_grouping)] // amounts written as units_cents
//! overrides, funnel statistics, on-track status.
mod common;
use chrono::NaiveDate;
use common::*;
use proptest::prelude::*;
use sales_tiers_core::calendar::{fiscal_month_index, Period};
use sales_tiers_core::edit::{CustomerFields, OpportunityFields, StageFields};
use sales_tiers_core::engine::crm::*;
use sales_tiers_core::engine::index::Index;
use sales_tiers_core::engine::track::*;
use sales_tiers_core::engine::validate::validate;
use sales_tiers_core::model::*;
use sales_tiers_core::{apply, Edit, EditError, Id, Workspace};
use std::collections::HashSet;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn stage(key: &str) -> Id {
    default_stage_id(key)
}

fn customer(name: &str, owner: Option<Id>) -> CustomerFields {
    customer_fields(name, owner, date(2026, 1, 5))
}

fn deal(customer: Id, owner: Id, amount: i64, close: NaiveDate, st: &str) -> OpportunityFields {
    deal_fields(customer, owner, amount, close, st)
}

/// small_org with one customer (id 500) owned by rep id(200).
fn org_with_customer() -> (Workspace, Id, Id, Id) {
    let (mut ws, _, company, region, ta, _) = small_org();
    apply(&mut ws, &Edit::AddCustomer { id: id(500), fields: customer("Acme", Some(id(200))) }, later(1)).unwrap();
    let _ = region;
    (ws, company, ta, id(500))
}

fn add(ws: &mut Workspace, n: u32, f: OpportunityFields) -> Id {
    apply(ws, &Edit::AddOpportunity { id: id(n), fields: f, by: None }, later(2)).unwrap();
    id(n)
}

#[test]
fn moving_a_deal_to_won_keeps_history_closes_it_and_counts_as_actual() {
    let (mut ws, company, ta, c) = org_with_customer();
    let o = add(&mut ws, 600, deal(c, id(200), 12_000_000, date(2026, 3, 20), "lead"));
    for (st, day) in [("qualified", 2), ("proposal", 10), ("won", 18)] {
        apply(&mut ws, &Edit::SetStage { id: o, stage: stage(st), on: date(2026, 3, day), by: Some(id(100)) }, later(3)).unwrap();
    }
    let deal = &ws.opportunities[&o];
    assert_eq!(deal.history.len(), 4);
    assert_eq!(deal.history[3].from, Some(stage("proposal")));
    assert_eq!(deal.history[3].by, Some(id(100)));
    assert_eq!(deal.closed, Some(date(2026, 3, 18)));
    assert_eq!(deal.category, ForecastCategory::Closed);
    assert_eq!(deal.probability, 100);
    assert!(validate(&ws).is_empty());

    let fc = forecast(&ws, &Index::new(&ws), 2026, Period::Quarter(1));
    assert_eq!(fc.of(id(200)).closed, 12_000_000);
    assert_eq!(fc.of(ta).closed, 12_000_000);
    assert_eq!(fc.of(company).closed, 12_000_000);
    // Closed in March: not in Q2, and the monthly actuals say March.
    assert_eq!(forecast(&ws, &Index::new(&ws), 2026, Period::Quarter(2)).of(company).closed, 0);
    let (people, units) = actuals(&ws, &Index::new(&ws), 2026);
    assert_eq!(people[&id(200)][2], 12_000_000);
    assert_eq!(units[&company].iter().sum::<i64>(), 12_000_000);

    // Reopening clears the close date; the history keeps every move.
    apply(&mut ws, &Edit::SetStage { id: o, stage: stage("negotiation"), on: date(2026, 3, 25), by: None }, later(4)).unwrap();
    let deal = &ws.opportunities[&o];
    assert_eq!(deal.closed, None);
    assert_eq!(deal.category, ForecastCategory::Commit, "follows the stage's default category");
    assert_eq!(deal.history.len(), 5);
    assert_eq!(forecast(&ws, &Index::new(&ws), 2026, Period::Quarter(1)).of(company).closed, 0);
}

#[test]
fn cumulative_categories_by_hand() {
    let (mut ws, company, _, c) = org_with_customer();
    let d = date(2026, 5, 10);
    let mut n = 600;
    let mut put = |ws: &mut Workspace, owner: Id, amount: i64, st: &str, cat: ForecastCategory, p: u8| {
        let mut f = deal(c, owner, amount, d, st);
        f.category = cat;
        f.probability = p;
        n += 1;
        add(ws, n, f)
    };
    put(&mut ws, id(200), 1_000, "won", ForecastCategory::Pipeline, 100);
    put(&mut ws, id(200), 200, "negotiation", ForecastCategory::Commit, 60);
    put(&mut ws, id(201), 30, "proposal", ForecastCategory::BestCase, 40);
    put(&mut ws, id(210), 4, "lead", ForecastCategory::Pipeline, 15);
    put(&mut ws, id(211), 50_000, "lead", ForecastCategory::Omitted, 10);
    put(&mut ws, id(211), 70, "lost", ForecastCategory::Commit, 0);
    let f = forecast(&ws, &Index::new(&ws), 2026, Period::Month(5)).of(company);
    assert_eq!((f.closed, f.commit, f.best_case, f.pipeline), (1_000, 1_200, 1_230, 1_234));
    // Weighted: 200×60 % + 30×40 % + 4×15 % = 120 + 12 + 0.6 → 132.6, rounded half to even → 133.
    assert_eq!(f.weighted_x100, 200 * 60 + 30 * 40 + 4 * 15);
    assert_eq!(f.weighted(), Money(133));
    assert_eq!((f.won, f.open, f.lost, f.lost_amount), (1, 3, 1, 70));
    // A won deal added with another category is still closed.
    assert_eq!(ws.opportunities.values().filter(|o| o.category == ForecastCategory::Closed).count(), 1);
}

#[test]
fn an_override_sits_beside_the_rollup_and_never_changes_it() {
    let (mut ws, company, ta, c) = org_with_customer();
    add(&mut ws, 600, deal(c, id(200), 5_000_00, date(2026, 6, 1), "negotiation"));
    let before = forecast(&ws, &Index::new(&ws), 2026, Period::Quarter(2));
    let edit = Edit::SetOverride {
        owner: ta,
        year: 2026,
        period: Period::Quarter(2),
        category: ForecastCategory::Commit,
        amount: Some(Money(3_000_00)),
        note: "Acme slips to July".into(),
        by: Some(id(100)),
    };
    apply(&mut ws, &edit, later(5)).unwrap();
    assert_eq!(forecast(&ws, &Index::new(&ws), 2026, Period::Quarter(2)), before);
    let o = override_of(&ws, ta, 2026, Period::Quarter(2), ForecastCategory::Commit).unwrap();
    assert_eq!((o.amount, o.note.as_str(), o.by), (Money(3_000_00), "Acme slips to July", Some(id(100))));
    assert!(override_of(&ws, company, 2026, Period::Quarter(2), ForecastCategory::Commit).is_none());
    assert!(validate(&ws).is_empty());
    // Clearing removes it and leaves a tombstone for merge.
    let clear = Edit::SetOverride {
        owner: ta,
        year: 2026,
        period: Period::Quarter(2),
        category: ForecastCategory::Commit,
        amount: None,
        note: String::new(),
        by: None,
    };
    apply(&mut ws, &clear, later(6)).unwrap();
    assert!(ws.overrides.is_empty());
    assert_eq!(ws.tombstones.values().filter(|t| t.kind == Kind::Override).count(), 1);
    // A negative override is refused.
    let bad = Edit::SetOverride {
        owner: ta,
        year: 2026,
        period: Period::Year,
        category: ForecastCategory::Commit,
        amount: Some(Money(-1)),
        note: String::new(),
        by: None,
    };
    assert_eq!(apply(&mut ws, &bad, later(7)).unwrap_err(), EditError::AmountOutOfRange);
}

#[test]
fn win_rate_cycle_time_deal_size_and_funnel_by_hand() {
    let (mut ws, _, _, c) = org_with_customer();
    // Won after 30 and 61 days; lost once from proposal; one open in negotiation.
    let mut f = deal(c, id(200), 100_00, date(2026, 2, 9), "won");
    f.created = date(2026, 1, 10);
    add(&mut ws, 601, f);
    let o = add(&mut ws, 602, deal(c, id(200), 301_00, date(2026, 4, 1), "lead"));
    for (st, on) in
        [("qualified", date(2026, 1, 20)), ("proposal", date(2026, 2, 1)), ("negotiation", date(2026, 2, 20)), ("won", date(2026, 3, 12))]
    {
        apply(&mut ws, &Edit::SetStage { id: o, stage: stage(st), on, by: None }, later(3)).unwrap();
    }
    let l = add(&mut ws, 603, deal(c, id(201), 50_00, date(2026, 4, 1), "lead"));
    for (st, on) in [("proposal", date(2026, 2, 1)), ("lost", date(2026, 3, 1))] {
        apply(&mut ws, &Edit::SetStage { id: l, stage: stage(st), on, by: None }, later(3)).unwrap();
    }
    add(&mut ws, 604, deal(c, id(201), 70_00, date(2026, 4, 1), "negotiation"));
    let s = stats(&ws, ws.opportunities.values());
    assert_eq!((s.won, s.lost), (2, 1));
    assert_eq!(s.win_rate_bp, Some(6_667), "2 of 3 closed deals: 66.666…% rounded to the basis point");
    // (30 + 61) / 2 = 45.5 days, half to even → 46.
    assert_eq!(s.cycle_days, Some(46));
    // (100.00 + 301.00) / 2 = 200.50.
    assert_eq!(s.avg_deal, Some(Money(200_50)));
    // Funnel: all 4 reached lead and qualified (the lost one skipped qualified
    // but went past it), 3 reached negotiation... by hand:
    let reached: Vec<u32> = s.stages.iter().map(|x| x.reached).collect();
    // lead 4, qualified 4, proposal 4, negotiation 3 (two won + the open one), won 2, lost 0.
    assert_eq!(reached, vec![4, 4, 4, 3, 2, 0]);
    let conv: Vec<Option<u32>> = s.conversions.iter().map(|c| c.2).collect();
    assert_eq!(conv, vec![Some(10_000), Some(10_000), Some(7_500), Some(6_667)]);
    let counts: Vec<u32> = s.stages.iter().map(|x| x.count).collect();
    assert_eq!(counts, vec![0, 0, 0, 1, 2, 1]);
}

#[test]
fn on_track_is_ten_percent_behind_expected() {
    // 50 % of the period gone: expected 500 of 1,000.
    assert_eq!(track(1_000, 500, (15, 30)), (500, Track::Ahead));
    assert_eq!(track(1_000, 451, (15, 30)), (500, Track::Behind));
    assert_eq!(track(1_000, 450, (15, 30)), (500, Track::OffTrack), "exactly 10 % behind is off track");
    assert_eq!(track(0, 450, (15, 30)).1, Track::NoTarget);
    assert_eq!(track(1_000, 0, (0, 30)), (0, Track::Ahead), "nothing expected on day one");
}

#[test]
fn standings_use_targets_and_flag_thin_coverage() {
    let (mut ws, company, _, c) = org_with_customer();
    apply(
        &mut ws,
        &Edit::SetTarget {
            scenario: None,
            owner: company,
            kind: TargetKind::Revenue,
            year: 2026,
            period: Period::Month(6),
            amount: 1_000_00,
        },
        later(1),
    )
    .unwrap();
    add(&mut ws, 601, deal(c, id(200), 400_00, date(2026, 6, 3), "won"));
    add(&mut ws, 602, deal(c, id(201), 900_00, date(2026, 6, 28), "negotiation"));
    let st = standings(&ws, &Index::new(&ws), 2026, Period::Month(6), date(2026, 6, 16));
    let s = st[&company];
    assert_eq!(s.target, 1_000_00);
    assert_eq!(s.attainment_bp(), Some(4_000));
    // 15 of 30 days gone: expected 500.00, actual 400.00 → 20 % behind.
    assert_eq!((s.expected, s.track), (500_00, Track::OffTrack));
    // Open 900.00 against 600.00 still to win: 150 % coverage, under 3×.
    assert_eq!(s.coverage_pct, Some(150));
    assert!(s.thin_coverage());
}

#[test]
fn deleting_what_others_hang_on_is_refused_with_a_reason() {
    let (mut ws, _, _, c) = org_with_customer();
    let o = add(&mut ws, 600, deal(c, id(200), 1, date(2026, 6, 3), "lead"));
    assert_eq!(apply(&mut ws, &Edit::DeleteCustomer { id: c }, later(3)).unwrap_err(), EditError::CustomerHasDeals { count: 1 });
    assert_eq!(
        apply(&mut ws, &Edit::DeletePerson { id: id(200) }, later(3)).unwrap_err(),
        EditError::PersonOwnsRecords { customers: 1, opportunities: 1 }
    );
    assert_eq!(apply(&mut ws, &Edit::RemoveStage { id: stage("lead") }, later(3)).unwrap_err(), EditError::StageInUse { count: 1 });
    assert_eq!(apply(&mut ws, &Edit::RemoveStage { id: stage("won") }, later(3)).unwrap_err(), EditError::LastOutcomeStage);
    apply(&mut ws, &Edit::DeleteOpportunity { id: o }, later(4)).unwrap();
    apply(&mut ws, &Edit::DeleteCustomer { id: c }, later(5)).unwrap();
    assert!(validate(&ws).is_empty());
}

#[test]
fn bad_deal_input_is_refused() {
    let (mut ws, _, _, c) = org_with_customer();
    let mut f = deal(c, id(200), -5, date(2026, 6, 3), "lead");
    assert_eq!(
        apply(&mut ws, &Edit::AddOpportunity { id: id(600), fields: f.clone(), by: None }, later(1)).unwrap_err(),
        EditError::AmountOutOfRange
    );
    f.amount = Money(5);
    f.probability = 101;
    assert_eq!(
        apply(&mut ws, &Edit::AddOpportunity { id: id(600), fields: f.clone(), by: None }, later(1)).unwrap_err(),
        EditError::BadProbability
    );
    f.probability = 50;
    f.close_date = date(1999, 12, 31);
    assert_eq!(
        apply(&mut ws, &Edit::AddOpportunity { id: id(600), fields: f.clone(), by: None }, later(1)).unwrap_err(),
        EditError::DateOutOfRange
    );
    f.close_date = date(2026, 6, 3);
    f.name = "x".repeat(10_000);
    assert!(matches!(
        apply(&mut ws, &Edit::AddOpportunity { id: id(600), fields: f.clone(), by: None }, later(1)),
        Err(EditError::TooLong { .. })
    ));
    f.name = "ok".into();
    f.customer = id(9);
    assert!(matches!(
        apply(&mut ws, &Edit::AddOpportunity { id: id(600), fields: f, by: None }, later(1)),
        Err(EditError::NotFound { .. })
    ));
    assert!(ws.opportunities.is_empty());
}

#[test]
fn stages_are_configurable_and_renumbered() {
    let (mut ws, ..) = org_with_customer();
    let fields = StageFields {
        name: Text::new("演示", "Demo"),
        probability: 30,
        outcome: Outcome::Open,
        category: ForecastCategory::BestCase,
        stale_days: None,
    };
    apply(&mut ws, &Edit::AddStage { id: id(700), fields }, later(1)).unwrap();
    let names: Vec<&str> = ws.stages_in_order().iter().map(|s| s.name.en.as_str()).collect();
    assert_eq!(
        names,
        vec!["Lead", "Qualified", "Proposal", "Negotiation", "Demo", "Won", "Lost"],
        "open stages go before the closing ones"
    );
    apply(&mut ws, &Edit::MoveStage { id: id(700), order: 2 }, later(2)).unwrap();
    let orders: Vec<(String, u32)> = ws.stages_in_order().iter().map(|s| (s.name.en.clone(), s.order)).collect();
    assert_eq!(orders[2], ("Demo".to_string(), 2));
    assert_eq!(orders.iter().map(|o| o.1).collect::<Vec<_>>(), (0..7).collect::<Vec<_>>());
    apply(&mut ws, &Edit::RemoveStage { id: id(700) }, later(3)).unwrap();
    assert_eq!(ws.stages.len(), 6);
    assert!(validate(&ws).is_empty());
}

#[test]
fn the_demo_has_deals_in_every_stage_and_a_valid_crm() {
    let ws = demo();
    assert!(validate(&ws).is_empty(), "{:?}", validate(&ws).first());
    let reps = ws.people.values().filter(|p| p.title.en == "Sales Representative" && p.status == Status::Active).count();
    assert!(ws.opportunities.len() >= reps * 25, "about 25 deals per rep");
    for s in ws.stages.values() {
        assert!(ws.opportunities.values().any(|o| o.stage == s.id), "no deal in {}", s.name.en);
    }
    assert!(ws.customers.values().any(|c| c.key_account));
    // E-mails identify owners in CSV files: never shared (徐 and 许 are both "Xu").
    let emails: HashSet<&str> = ws.people.values().map(|p| p.email.as_str()).collect();
    assert_eq!(emails.len(), ws.people.len());
    // Key accounts sit with the director.
    let top = ws.tiers_in_order()[0].id;
    for c in ws.customers.values().filter(|c| c.key_account) {
        assert_eq!(ws.people[&c.owner.unwrap()].tier, top);
    }
}

#[test]
fn manager_attainment_now_comes_from_won_deals() {
    let ws = demo();
    let today = t0().date_naive();
    let assessed = sales_tiers_core::engine::grading::assess_all(&ws, &Index::new(&ws), today);
    let with_data = assessed.values().filter(|a| a.facts.attainment.get(&0).copied().flatten().is_some()).count();
    assert!(with_data > 10, "managers have an attainment figure");
    // A team lead's year-to-date attainment is their team's won revenue over its target, by hand.
    let (lead, unit) = ws.units.values().filter_map(|u| Some((u.manager?, u))).find(|(_, u)| u.name.en == "Shanghai Team").unwrap();
    let (_, units) = actuals(&ws, &Index::new(&ws), 2026);
    let m = fiscal_month_index(today, 1);
    let target: i64 = ws.plan.target(unit.id, TargetKind::Revenue, 2026).unwrap().months[..m].iter().sum();
    let actual: i64 = units[&unit.id][..m].iter().sum();
    // In basis points, rounded half to even: Σ actual × 10,000 ÷ Σ target.
    assert_eq!(
        assessed[&lead].facts.attainment[&0],
        Some(sales_tiers_core::num::div_round(actual as i128 * 10_000, target as i128) as i64)
    );
    assert_eq!(assessed[&lead].facts.target_managed, Some(ws.plan.target(unit.id, TargetKind::Revenue, 2026).unwrap().total()));
}

fn deal_strategy() -> impl Strategy<Value = (usize, i64, u32, usize, usize, u8)> {
    // (owner index, amount, day of year, stage index, category index, probability)
    (0usize..100, 0i64..1_000_000_000, 0u32..400, 0usize..6, 0usize..4, 0u8..=100)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Every unit's figures equal the sum over the people of its subtree,
    /// and closed ≤ commit ≤ best case ≤ pipeline everywhere.
    #[test]
    fn rollups_equal_the_sum_of_leaves_and_categories_are_cumulative(deals in prop::collection::vec(deal_strategy(), 1..120)) {
        let mut ws = demo();
        ws.opportunities.clear();
        ws.activities.clear();
        ws.tasks.clear();
        let people: Vec<Id> = ws.people.keys().copied().collect();
        let c = *ws.customers.keys().next().unwrap();
        let stages: Vec<Id> = ws.stages_in_order().iter().map(|s| s.id).collect();
        let mut edits = Vec::new();
        for (i, (who, amount, day, st, cat, p)) in deals.into_iter().enumerate() {
            let mut f = deal(c, people[who % people.len()], amount, date(2026, 1, 1) + chrono::Duration::days(day as i64), "lead");
            f.stage = stages[st];
            f.category = ForecastCategory::OPEN[cat];
            f.probability = p;
            edits.push(Edit::AddOpportunity { id: id(100_000 + i as u32), fields: f, by: None });
        }
        apply(&mut ws, &Edit::Batch { edits }, later(1)).unwrap();
        prop_assert!(validate(&ws).is_empty());
        for period in [Period::Year, Period::Quarter(2), Period::Month(12)] {
            let fc = forecast(&ws, &Index::new(&ws), 2026, period);
            for u in ws.units.keys() {
                let scope: HashSet<Id> = sales_tiers_core::engine::org::scope_units(&ws, *u);
                let mut sum = Figures::default();
                for p in ws.people.values().filter(|p| scope.contains(&p.unit)) {
                    let f = fc.of(p.id);
                    sum.closed += f.closed;
                    sum.commit += f.commit;
                    sum.best_case += f.best_case;
                    sum.pipeline += f.pipeline;
                    sum.weighted_x100 += f.weighted_x100;
                    sum.won += f.won;
                    sum.open += f.open;
                    sum.lost += f.lost;
                    sum.lost_amount += f.lost_amount;
                }
                prop_assert_eq!(fc.of(*u), sum);
            }
            for f in fc.units.values().chain(fc.people.values()) {
                prop_assert!(f.closed <= f.commit && f.commit <= f.best_case && f.best_case <= f.pipeline);
            }
            // The year's actual equals the monthly actuals.
            if period == Period::Year {
                let (_, units) = actuals(&ws, &Index::new(&ws), 2026);
                let root = ws.root().unwrap().id;
                prop_assert_eq!(units[&root].iter().sum::<i64>(), fc.of(root).closed);
            }
        }
    }
}

#[test]
fn a_v3_file_migrates_to_v4_with_the_default_stages_and_keeps_its_plan() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v3-workspace.json")).unwrap();
    assert!(text.contains("\"version\": 3") || text.contains("\"version\":3"), "the fixture is a real v3 file");
    let (ws, info) = sales_tiers_core::io::read(&text).unwrap();
    assert!(info.migrated);
    assert_eq!(ws.schema_version, SCHEMA_VERSION);
    let names: Vec<&str> = ws.stages_in_order().iter().map(|s| s.name.zh.as_str()).collect();
    assert_eq!(names, vec!["线索", "需求确认", "方案", "谈判", "赢单", "输单"]);
    let probs: Vec<u8> = ws.stages_in_order().iter().map(|s| s.probability).collect();
    assert_eq!(probs, vec![10, 20, 40, 60, 100, 0]);
    assert!(ws.customers.is_empty() && ws.opportunities.is_empty() && ws.overrides.is_empty());
    assert!(!ws.plan.targets.is_empty(), "the v3 plan survives");
    assert!(validate(&ws).is_empty());
}

#[test]
fn one_managers_call_per_owner_and_period() {
    let (mut ws, _, ta, _) = org_with_customer();
    let call = |category, amount| Edit::SetOverride {
        owner: ta,
        year: 2026,
        period: Period::Quarter(3),
        category,
        amount: Some(Money(amount)),
        note: "call".into(),
        by: None,
    };
    apply(&mut ws, &call(ForecastCategory::Commit, 100), later(1)).unwrap();
    // A call on best case replaces the commit call; undo brings the commit one back.
    let patch = apply(&mut ws, &call(ForecastCategory::BestCase, 150), later(2)).unwrap();
    assert_eq!(call_of(&ws, ta, 2026, Period::Quarter(3)).map(|o| (o.category, o.amount)), Some((ForecastCategory::BestCase, Money(150))));
    assert_eq!(ws.overrides.len(), 1);
    patch.apply(&mut ws);
    assert_eq!(call_of(&ws, ta, 2026, Period::Quarter(3)).map(|o| o.category), Some(ForecastCategory::Commit));
    assert!(validate(&ws).is_empty());
}
