//! Whole-document validation. A document that passes is safe to show, edit
//! and save; import refuses one that does not.
//!
//! The pieces: [`validate`] here runs the sections in order (settings, the
//! org, the tree, plans, CRM, performance); [`Problem`] and its messages
//! live in `problem`, and each section's rules in `org`, `plan`, `crm` and
//! `perf`; `derived` knows the records whose ids follow from their content.

use crate::limits::*;
use crate::model::{Kind, Workspace, SCHEMA_VERSION};

mod crm;
pub mod derived;
mod org;
mod perf;
mod plan;
mod problem;
mod work;

pub use org::{tier_conflicts, unit_tier_conflict};
pub use perf::*;
pub use plan::{hires_ok, MAX_AMOUNT, MAX_TOTAL};
pub use problem::{kind_name, record_name, Names, Problem};

pub fn valid_currency(code: &str) -> bool {
    code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase())
}

/// Checks every rule of the document. Returns all problems found (empty = valid).
pub fn validate(ws: &Workspace) -> Vec<Problem> {
    let mut out = Vec::new();
    if ws.schema_version != SCHEMA_VERSION {
        out.push(Problem::WrongSchemaVersion { found: ws.schema_version });
    }
    let s = &ws.settings;
    if s.workspace_name.trim().is_empty() {
        out.push(Problem::BlankWorkspaceName);
    }
    let name_len = s.workspace_name.chars().count();
    if name_len > MAX_NAME_CHARS {
        out.push(Problem::WorkspaceNameTooLong { len: name_len, max: MAX_NAME_CHARS });
    }
    if !valid_currency(&s.currency) {
        out.push(Problem::BadCurrency { code: s.currency.chars().take(20).collect() });
    }
    if !(1..=12).contains(&s.fiscal_year_start_month) {
        out.push(Problem::BadMonth { month: s.fiscal_year_start_month });
    }
    org::validate_org(ws, &mut out);

    // Structural problems first: they are the ones to read.
    org::check_tree(ws, &mut out);
    plan::validate_plans(ws, &mut out);
    crm::validate_crm(ws, &mut out);
    validate_perf(ws, &mut out);
    work::validate_work(ws, &mut out);
    out.extend(totals(ws));
    out
}

/// The money totals a document may hold (see [`MAX_TOTAL`]): all deals; per
/// plan, the target lines of a kind and year, the budget lines of a
/// category and year, the quota of every rep and planned hire; the pools of
/// a year; tool seats; SPIF bonuses times everyone who could win them.
/// Records out of range count at their limit (they are reported on their own).
pub fn totals(ws: &Workspace) -> Vec<Problem> {
    totals_of(ws, Totals::ALL)
}

/// Which of the money totals to add up: an edit checks only those whose
/// terms it raised (a stage change or a rename adds up nothing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// All deals' amounts and margins.
    pub deals: bool,
    /// Every plan's targets, budgets and headcount (these grow with people).
    pub plans: bool,
    pub pools: bool,
    /// SPIF bonuses times people.
    pub spifs: bool,
    pub tools: bool,
}

impl Totals {
    pub const ALL: Totals = Totals { deals: true, plans: true, pools: true, spifs: true, tools: true };

    pub fn any(self) -> bool {
        self != Totals::default()
    }
}

/// A record's amount as the totals count it: out-of-range values at their
/// limit (they are reported on their own), negatives as nothing.
pub(crate) fn capped(v: i64) -> i64 {
    v.clamp(0, MAX_AMOUNT)
}

/// [`totals`], only those `which` names.
pub fn totals_of(ws: &Workspace, which: Totals) -> Vec<Problem> {
    use crate::num::sum;
    use std::collections::HashMap;
    let mut out = Vec::new();
    if !which.any() {
        return out;
    }
    let cap = capped;
    let mut over = |kind: Kind, total: i128| {
        if total > MAX_TOTAL && !out.contains(&Problem::TotalTooLarge { kind }) {
            out.push(Problem::TotalTooLarge { kind });
        }
    };
    if which.deals {
        let deals = sum(ws.opportunities.values().map(|o| cap(o.amount.0)));
        let margins = sum(ws.opportunities.values().filter_map(|o| o.margin).map(|m| cap(m.0.saturating_abs())));
        over(Kind::Opportunity, deals.max(margins));
    }
    let people = ws.people.len() as i128;
    let plans = std::iter::once(&ws.plan).chain(ws.scenarios.values().map(|s| &s.plan));
    for plan in plans.filter(|_| which.plans) {
        let mut targets: HashMap<(crate::model::TargetKind, i32), i128> = HashMap::new();
        for t in plan.targets.values() {
            *targets.entry((t.kind, t.year)).or_default() += sum(t.months.iter().map(|m| cap(*m)));
        }
        over(Kind::Target, targets.values().copied().max().unwrap_or(0));
        let mut budgets: HashMap<(i32, crate::model::Id), i128> = HashMap::new();
        for b in plan.budgets.values() {
            *budgets.entry((b.year, b.category)).or_default() += cap(b.amount.0) as i128;
        }
        over(Kind::Budget, budgets.values().copied().max().unwrap_or(0));
        let hires: i128 =
            plan.headcount.values().map(|h| h.hires.iter().map(|x| i128::from(x.count)).sum::<i128>() + i128::from(h.attrition)).sum();
        over(Kind::Headcount, cap(plan.assumptions.quota_per_rep.0) as i128 * (people + hires));
    }
    if which.pools {
        let mut pools: HashMap<i32, i128> = HashMap::new();
        for b in ws.pools.values() {
            *pools.entry(b.year).or_default() += cap(b.amount.0) as i128;
        }
        over(Kind::Pool, pools.values().copied().max().unwrap_or(0));
    }
    if which.spifs {
        over(Kind::Spif, ws.spifs.values().map(|s| cap(s.bonus.0) as i128 * people).sum());
    }
    if which.tools {
        over(Kind::Tool, ws.tools.values().map(|t| cap(t.cost_per_seat.0) as i128 * t.seats.len() as i128).sum());
    }
    out
}
