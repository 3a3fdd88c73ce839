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
