//! How numbers read in cells: every page writes money, percentages and
//! multiples through these, and these only through `sales_tiers_core::num`
//! (one rounding rule, half to even), never by hand.

use sales_tiers_core::engine::plan::format_units;
use sales_tiers_core::model::Money;
use sales_tiers_core::num::{multiple, percent_bp};

/// What a cell shows when there is no number.
pub const DASH: &str = "—";

/// The text, or "—" when there is none.
pub fn or_dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| DASH.to_string())
}

/// Minor units as whole currency units with grouping: "1,234,000".
pub fn money(v: i64) -> String {
    format_units(Money(v))
}

/// A change in money with its sign: "+1,200", "−300" (a true minus sign).
pub fn signed_money(delta: i64) -> String {
    format!("{}{}", if delta >= 0 { "+" } else { "−" }, money(delta.abs()))
}

/// Basis points as a percentage with one decimal ("86.7%"), or "—".
pub fn percent(bp: Option<i64>) -> String {
    or_dash(bp.map(percent_bp))
}

/// A coverage kept in percent as a multiple with one decimal (325 →
/// "3.3×"), or "—".
pub fn coverage(pct: Option<i64>) -> String {
    or_dash(pct.map(multiple))
}

/// The `--num` of a long table (`table.long` in the style sheet): how wide
/// its widest figure is, in ch (the width of a digit). A grouping comma or
/// a decimal point counts half; a sign, a symbol or a letter counts whole,
/// which leaves a little room.
pub fn figure_width<S: AsRef<str>>(figures: impl IntoIterator<Item = S>) -> String {
    let halves = |f: &str| f.chars().map(|c| if c == ',' || c == '.' { 1 } else { 2 }).sum::<usize>();
    let widest = figures.into_iter().map(|f| halves(f.as_ref())).max().unwrap_or(0).div_ceil(2);
    format!("--num: {}ch", widest.max(6))
}
