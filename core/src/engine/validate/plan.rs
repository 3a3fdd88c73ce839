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

/// A headcount plan's hires (months 1–12, counts, entries) and expected
/// leavers within their limits: the rule the edit and validation share.
pub fn hires_ok(hires: &[crate::model::Hire], attrition: u32) -> bool {
    use crate::limits::{MAX_ATTRITION, MAX_HIRES_PER_ENTRY, MAX_HIRE_ENTRIES};
    hires.len() <= MAX_HIRE_ENTRIES
        && hires.iter().all(|h| (1..=12).contains(&h.month) && h.count <= MAX_HIRES_PER_ENTRY)
        && attrition <= MAX_ATTRITION
}

/// Largest amount (minor units) or count anywhere in a plan.
pub const MAX_AMOUNT: i64 = crate::model::money::MAX_MONEY_UNITS * 100;

/// Largest total of one kind of money in a document (all deals; all target
/// lines of a kind and year; all budget lines of a category and year; the
/// bonus pools of a year; tool seats; SPIF bonuses times the people who can
/// win them): 2⁵⁸ minor units, about 2.9 × 10¹⁵ currency units. Every
/// figure an engine adds up is a sum of a few such totals, so it fits in
/// an i64 with room to spare; a document past it is refused, never summed
/// into a wrapped number.
pub const MAX_TOTAL: i128 = 1 << 58;

fn validate_plan(ws: &Workspace, plan: &Plan, out: &mut Vec<Problem>) {
    check_section(ws, &plan.targets, out);
    check_section(ws, &plan.budgets, out);
    check_section(ws, &plan.headcount, out);
    for (k, t) in &plan.targets {
        if !ws.units.contains_key(&t.owner) && !ws.people.contains_key(&t.owner) {
            out.push(Problem::MissingRef { kind: Kind::Target, id: *k, field: "owner", target: t.owner });
        }
        if !crate::limits::year_ok(t.year) {
            out.push(Problem::OutOfRange { kind: Kind::Target, id: *k, field: "year" });
        }
        if t.months.iter().any(|m| *m < 0 || *m > MAX_AMOUNT)
            || t.weight > crate::limits::MAX_TARGET_WEIGHT
            || t.buffer_bp > crate::limits::MAX_BUFFER_BP
        {
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
    // A child never exceeds its parent: Σ children ≤ parent, per (year,
    // category), summed without overflow; out-of-range lines (reported
    // above) are not summed.
    let mut children_sum: HashMap<(Id, i32, Id), i128> = HashMap::new();
    for b in plan.budgets.values().filter(|b| (0..=MAX_AMOUNT).contains(&b.amount.0)) {
        if let Some(parent) = ws.units.get(&b.unit).and_then(|u| u.parent) {
            *children_sum.entry((parent, b.year, b.category)).or_default() += b.amount.0 as i128;
        }
    }
    for ((parent, year, cat), sum) in children_sum {
        let own = plan.budget(parent, year, cat).0 as i128;
        if sum > own {
            let name = ws.units.get(&parent).map(|u| u.name.clone()).unwrap_or_default();
            out.push(Problem::BudgetOverParent { unit: parent, name, over: Money(crate::num::clamp_i64(sum - own)) });
        }
    }
    for (k, h) in &plan.headcount {
        if !ws.units.contains_key(&h.unit) {
            out.push(Problem::MissingRef { kind: Kind::Headcount, id: *k, field: "unit", target: h.unit });
        }
        if !hires_ok(&h.hires, h.attrition) {
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
