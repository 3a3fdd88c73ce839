//! How CRM records read: money, coverage, percentages, stage, category,
//! segment and status labels.

use sales_tiers_core::engine::plan::format_units;
use sales_tiers_core::io::csv::{category_names, segment_names, status_names};
use sales_tiers_core::model::*;
use sales_tiers_core::{Id, Lang, Workspace};

/// Whole currency units with grouping: "1,234,000".
pub fn money(v: i64) -> String {
    format_units(Money(v))
}

/// Coverage in percent as a multiple: 160 → "1.6×"; "—" when there is none.
pub fn coverage_text(pct: Option<i64>) -> String {
    pct.map(|c| format!("{}.{}×", c / 100, (c % 100) / 10)).unwrap_or_else(|| "—".into())
}

/// Basis points as a percentage with one decimal: "87.5%".
pub fn pct_bp(bp: i64) -> String {
    format!("{}.{}%", bp / 100, (bp % 100).abs() / 10)
}

pub fn stage_name(w: &Workspace, id: Id, lang: Lang) -> String {
    w.stages.get(&id).map(|s| s.name.get(lang).to_string()).unwrap_or_else(|| lang.pick("（已删除）", "(removed)").to_string())
}

pub fn category_label(c: ForecastCategory, lang: Lang) -> &'static str {
    let (zh, en) = category_names(c);
    lang.pick(zh, en)
}

pub fn segment_label(s: Segment, lang: Lang) -> &'static str {
    let (zh, en) = segment_names(s);
    lang.pick(zh, en)
}

pub fn customer_status_label(s: CustomerStatus, lang: Lang) -> &'static str {
    let (zh, en) = status_names(s);
    lang.pick(zh, en)
}
