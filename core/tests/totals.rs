//! Money totals never overflow: records out of range are reported and not
//! summed; a document whose totals could not be held is refused whole, by
//! validation and by the edit that would create it.
mod common;
use common::*;
use sales_tiers_core::engine::index::Index;
use sales_tiers_core::engine::validate::{totals, validate, Problem, MAX_AMOUNT, MAX_TOTAL};
use sales_tiers_core::model::*;
use sales_tiers_core::{apply, Edit, EditError};

fn budget(ws: &mut Workspace, unit: Id, amount: i64) {
    let category = derived_id("category", &[b"marketing"]);
    let line = BudgetLine {
        id: BudgetLine::id_for(unit, 2026, category),
        rev: 1,
        updated_at: t0(),
        unit,
        year: 2026,
        category,
        amount: Money(amount),
    };
    ws.plan.budgets.insert(line.id, line);
}

#[test]
fn crafted_sibling_budgets_near_i64_max_are_reported_not_summed() {
    // Two siblings at i64::MAX − 1 used to overflow `Σ children` (a panic in a
    // debug build, a wrapped number in release that slipped past "child ≤ parent").
    let (mut ws, _, _, region, ta, tb) = small_org();
    budget(&mut ws, region, 1_000);
    budget(&mut ws, ta, i64::MAX - 1);
    budget(&mut ws, tb, i64::MAX - 1);
    let problems = validate(&ws);
    let out_of_range = problems.iter().filter(|p| matches!(p, Problem::OutOfRange { field: "amount", .. })).count();
    assert_eq!(out_of_range, 2, "{problems:?}");
    assert!(
        !problems.iter().any(|p| matches!(p, Problem::BudgetOverParent { unit, .. } if *unit == region)),
        "out-of-range lines are not summed"
    );
}

#[test]
fn many_siblings_at_the_limit_are_summed_exactly() {
    // 93 teams at the per-record limit: Σ = 9.3 × 10¹⁸ minor units, past i64::MAX.
    let (mut ws, _, _, region, ..) = small_org();
    for i in 0..93u32 {
        apply(&mut ws, &Edit::AddUnit { id: id(5_000 + i), name: Text::both(format!("T{i}")), parent: Some(region) }, t0()).unwrap();
    }
    for i in 0..93u32 {
        budget(&mut ws, id(5_000 + i), MAX_AMOUNT);
    }
    budget(&mut ws, region, MAX_AMOUNT);
    let problems = validate(&ws);
    let over = problems.iter().find_map(|p| match p {
        Problem::BudgetOverParent { unit, over, .. } if *unit == region => Some(*over),
        _ => None,
    });
    // 92 × 10¹⁷ more than the parent: exact (it fits in i64).
    assert_eq!(over, Some(Money(92 * MAX_AMOUNT)));
    assert!(problems.contains(&Problem::TotalTooLarge { kind: Kind::Budget }));
}

#[test]
fn an_edit_that_would_push_the_deal_total_past_the_limit_is_refused() {
    let (mut ws, ..) = small_org();
    apply(&mut ws, &Edit::AddCustomer { id: id(500), fields: customer_fields("Acme", Some(id(200)), date(2026, 1, 5)) }, t0()).unwrap();
    let deal = |amount: i64| deal_fields(id(500), id(200), amount, date(2026, 9, 1), "lead");
    // Deals at the per-record limit add up until the next one would pass MAX_TOTAL.
    let n = (MAX_TOTAL / MAX_AMOUNT as i128) as u32;
    for i in 0..n {
        apply(&mut ws, &Edit::AddOpportunity { id: id(10_000 + i), fields: deal(MAX_AMOUNT), by: None }, t0()).unwrap();
    }
    assert!(totals(&ws).is_empty());
    let before = ws.clone();
    let err = apply(&mut ws, &Edit::AddOpportunity { id: id(20_000), fields: deal(MAX_AMOUNT), by: None }, t0()).unwrap_err();
    assert!(matches!(&err, EditError::Invalid(p, _) if **p == Problem::TotalTooLarge { kind: Kind::Opportunity }), "{err:?}");
    assert!(err.message(sales_tiers_core::Lang::En).contains("add up to more than the limit"));
    assert_eq!(ws, before, "a refused edit changes nothing");
    // Every forecast figure still fits.
    let f = sales_tiers_core::engine::crm::forecast(&ws, &Index::new(&ws), 2026, sales_tiers_core::calendar::Period::Year);
    assert_eq!(f.units[&ws.root().unwrap().id].pipeline as i128, n as i128 * MAX_AMOUNT as i128);
}

mod edits_check_only_what_they_raised {
    //! `apply` adds up again only the totals an edit raised (a stage change
    //! or a lower amount adds up nothing). Whatever the sequence of edits,
    //! a document that was within every total stays within every total.
    use super::*;
    use proptest::prelude::*;
    use sales_tiers_core::calendar::Period;
    use sales_tiers_core::edit::OpportunityFields;

    #[derive(Clone, Debug)]
    enum Step {
        AddDeal(i64, Option<i64>),
        ChangeDeal(usize, i64, Option<i64>),
        Stage(usize, bool),
        DeleteDeal(usize),
        AddPerson,
        Target(usize, i64),
        Quota(i64),
        Spif(i64),
        Tool(i64, usize),
        Pool(i64),
    }

    /// Amounts from nothing to the per-record limit, with the limit itself
    /// and halves of it often: a few of them reach MAX_TOTAL.
    fn amount() -> impl Strategy<Value = i64> {
        prop_oneof![Just(MAX_AMOUNT), Just(MAX_AMOUNT / 2), Just(0), 0..=MAX_AMOUNT, 0..1_000_000i64]
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            4 => (amount(), proptest::option::of(amount())).prop_map(|(a, m)| Step::AddDeal(a, m)),
            3 => (0..8usize, amount(), proptest::option::of(amount())).prop_map(|(i, a, m)| Step::ChangeDeal(i, a, m)),
            2 => (0..8usize, any::<bool>()).prop_map(|(i, w)| Step::Stage(i, w)),
            1 => (0..8usize).prop_map(Step::DeleteDeal),
            3 => Just(Step::AddPerson),
            3 => (0..4usize, amount()).prop_map(|(u, a)| Step::Target(u, a)),
            2 => amount().prop_map(|a| Step::Quota(a / 2)),
            1 => amount().prop_map(|a| Step::Spif(a / 4)),
            1 => (amount(), 0..5usize).prop_map(|(a, n)| Step::Tool(a / 2, n)),
            3 => amount().prop_map(Step::Pool),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn no_sequence_of_edits_leaves_a_total_past_its_limit(steps in proptest::collection::vec(step(), 1..40)) {
            let (mut ws, tiers, company, region, ta, tb) = small_org();
            let units = [company, region, ta, tb];
            apply(&mut ws, &Edit::AddCustomer { id: id(500), fields: customer_fields("Acme", Some(id(200)), date(2026, 1, 5)) }, t0()).unwrap();
            let stages: Vec<Id> = ws.stages.values().map(|s| s.id).collect();
            let (mut deals, mut people, mut tools) = (Vec::<Id>::new(), 0u32, 0u32);
            let mut n = 0u32;
            for s in steps {
                n += 1;
                let deal_at = |i: usize| deals.get(i % deals.len().max(1)).copied();
                let fields = |a: i64, m: Option<i64>| OpportunityFields { margin: m.map(Money), ..deal_fields(id(500), id(200), a, date(2026, 9, 1), "lead") };
                let edit = match s {
                    Step::AddDeal(a, m) => Edit::AddOpportunity { id: id(10_000 + n), fields: fields(a, m), by: None },
                    Step::ChangeDeal(i, a, m) => match deal_at(i) {
                        Some(d) => Edit::UpdateOpportunity { id: d, fields: fields(a, m), on: date(2026, 6, 1), by: None },
                        None => continue,
                    },
                    Step::Stage(i, first) => match deal_at(i) {
                        Some(d) => Edit::SetStage { id: d, stage: if first { stages[0] } else { stages[stages.len() / 2] }, on: date(2026, 6, 1), by: None },
                        None => continue,
                    },
                    Step::DeleteDeal(i) => match deal_at(i) {
                        Some(d) => Edit::DeleteOpportunity { id: d },
                        None => continue,
                    },
                    Step::AddPerson => {
                        people += 1;
                        Edit::AddPerson { id: id(3_000 + people), unit: ta, fields: fields_of(&format!("New {people}"), tiers[3]) }
                    }
                    Step::Target(u, a) => Edit::SetTarget { scenario: None, owner: units[u], kind: TargetKind::Revenue, year: 2026, period: Period::Year, amount: a },
                    Step::Quota(a) => Edit::SetAssumptions { scenario: None, quota_per_rep: Money(a), expected_attainment: 90, ramp: vec![] },
                    Step::Spif(a) => Edit::PutSpif { spif: spif(id(4_000 + n), a) },
                    Step::Tool(a, seats) => {
                        tools += 1;
                        let tool = id(6_000 + tools);
                        let mut e = vec![Edit::AddTool { id: tool, name: Text::both(format!("Tool {tools}")), cost_per_seat: Money(a) }];
                        e.extend([id(100), id(200), id(201), id(210), id(211)].iter().take(seats).map(|p| Edit::SetSeat { tool, person: *p, on: true }));
                        Edit::Batch { edits: e }
                    }
                    Step::Pool(a) => Edit::SetPool { unit: units[n as usize % 4], year: 2026, period: Period::Quarter(1 + (n % 4) as u8), pool: Some(pool(a)) },
                };
                let before = ws.clone();
                match apply(&mut ws, &edit, t0()) {
                    Ok(_) => {
                        if let Edit::AddOpportunity { id, .. } = &edit {
                            deals.push(*id);
                        }
                        if let Edit::DeleteOpportunity { id } = &edit {
                            deals.retain(|d| d != id);
                        }
                    }
                    Err(e) => prop_assert_eq!(&ws, &before, "a refused edit changes nothing: {:?}", e),
                }
                prop_assert!(totals(&ws).is_empty(), "after {:?}: {:?}", edit, totals(&ws));
            }
        }
    }

    fn fields_of(name: &str, tier: Id) -> sales_tiers_core::edit::PersonFields {
        fields(name, tier)
    }

    fn spif(id: Id, bonus: i64) -> Spif {
        Spif {
            id,
            rev: 0,
            updated_at: t0(),
            name: Text::both("Push"),
            from: date(2026, 7, 1),
            to: date(2026, 9, 30),
            measure: SpifMeasure::ProductDeals { product: "lathe".into() },
            goal: 1,
            bonus: Money(bonus),
            tier: None,
        }
    }

    fn pool(amount: i64) -> sales_tiers_core::edit::PoolFields {
        sales_tiers_core::edit::PoolFields { amount: Money(amount), member_cap: None, weights: Default::default() }
    }
}
