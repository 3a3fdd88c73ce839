//! Pillar 2 rules: each plan's targets, budgets (a child never above its
//! parent), headcount and assumptions, in the plan and every scenario;
//! budget categories, tools and time splits.

use super::derived::check_section;
use super::Problem;
use crate::model::{Id, Kind, Money, Plan, Workspace};
use std::collections::HashMap;

/// The plan and every scenario's, then categories, tools and time splits.
pub(super) fn validate_plans(ws: &Workspace, out: &mut Vec<Problem>) {
    validate_plan(ws, &ws.plan, out);
    for sc in ws.scenarios.values() {
        if sc.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Scenario, id: sc.id });
        }
        validate_plan(ws, &sc.plan, out);
    }
    for c in ws.categories.values() {
        if c.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Category, id: c.id });
        }
    }
    for t in ws.tools.values() {
        if t.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Tool, id: t.id });
        }
        if t.cost_per_seat.0 < 0 || t.cost_per_seat.0 > MAX_AMOUNT {
            out.push(Problem::OutOfRange { kind: Kind::Tool, id: t.id, field: "cost_per_seat" });
        }
        for p in &t.seats {
            if !ws.people.contains_key(p) {
                out.push(Problem::MissingRef { kind: Kind::Tool, id: t.id, field: "seats", target: *p });
            }
        }
    }
    check_section(ws, &ws.time_splits, out);
    for (k, t) in &ws.time_splits {
        if !ws.tiers.contains_key(&t.owner) && !ws.people.contains_key(&t.owner) {
            out.push(Problem::MissingRef { kind: Kind::TimeSplit, id: *k, field: "owner", target: t.owner });
        }
        if t.split.total() != 100 {
            out.push(Problem::SplitNot100 { owner: t.owner, total: t.split.total() });
        }
    }
}

/// Largest amount (minor units) or count anywhere in a plan.
pub const MAX_AMOUNT: i64 = crate::model::money::MAX_MONEY_UNITS * 100;

fn validate_plan(ws: &Workspace, plan: &Plan, out: &mut Vec<Problem>) {
    check_section(ws, &plan.targets, out);
    check_section(ws, &plan.budgets, out);
    check_section(ws, &plan.headcount, out);
    for (k, t) in &plan.targets {
        if !ws.units.contains_key(&t.owner) && !ws.people.contains_key(&t.owner) {
            out.push(Problem::MissingRef { kind: Kind::Target, id: *k, field: "owner", target: t.owner });
        }
        if !(2000..=2200).contains(&t.year) {
            out.push(Problem::OutOfRange { kind: Kind::Target, id: *k, field: "year" });
        }
        if t.months.iter().any(|m| *m < 0 || *m > MAX_AMOUNT) || t.weight > 1_000_000 {
            out.push(Problem::OutOfRange { kind: Kind::Target, id: *k, field: "months" });
        }
    }
    for (k, b) in &plan.budgets {
        if !ws.units.contains_key(&b.unit) {
            out.push(Problem::MissingRef { kind: Kind::Budget, id: *k, field: "unit", target: b.unit });
        }
        if !ws.categories.contains_key(&b.category) {
            out.push(Problem::MissingRef { kind: Kind::Budget, id: *k, field: "category", target: b.category });
        }
        if b.amount.0 < 0 || b.amount.0 > MAX_AMOUNT {
            out.push(Problem::OutOfRange { kind: Kind::Budget, id: *k, field: "amount" });
        }
    }
    // A child never exceeds its parent: Σ children ≤ parent, per (year, category).
    let mut children_sum: HashMap<(Id, i32, Id), i64> = HashMap::new();
    for b in plan.budgets.values() {
        if let Some(parent) = ws.units.get(&b.unit).and_then(|u| u.parent) {
            *children_sum.entry((parent, b.year, b.category)).or_default() += b.amount.0;
        }
    }
    for ((parent, year, cat), sum) in children_sum {
        let own = plan.budget(parent, year, cat).0;
        if sum > own {
            let name = ws.units.get(&parent).map(|u| u.name.clone()).unwrap_or_default();
            out.push(Problem::BudgetOverParent { unit: parent, name, over: Money(sum - own) });
        }
    }
    for (k, h) in &plan.headcount {
        if !ws.units.contains_key(&h.unit) {
            out.push(Problem::MissingRef { kind: Kind::Headcount, id: *k, field: "unit", target: h.unit });
        }
        if h.hires.iter().any(|x| !(1..=12).contains(&x.month) || x.count > 10_000) || h.attrition > 100_000 {
            out.push(Problem::OutOfRange { kind: Kind::Headcount, id: *k, field: "hires" });
        }
    }
    let a = &plan.assumptions;
    if a.quota_per_rep.0 < 0
        || a.quota_per_rep.0 > MAX_AMOUNT
        || !(1..=300).contains(&a.expected_attainment)
        || a.ramp.len() > 24
        || a.ramp.iter().any(|r| *r > 100)
    {
        out.push(Problem::OutOfRange { kind: Kind::Target, id: ws.meta.id, field: "assumptions" });
    }
}
