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

pub use org::{tier_conflicts, unit_tier_conflict};
pub use perf::*;
pub use plan::MAX_AMOUNT;
pub use problem::{kind_name, Problem};

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
        out.push(Problem::TooLong { kind: Kind::Unit, id: ws.meta.id, field: "workspace_name", len: name_len, max: MAX_NAME_CHARS });
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
    out
}
