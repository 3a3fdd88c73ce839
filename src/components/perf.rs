//! Pillar 3 view pieces: the review period, rating badges and a person's
//! scorecard with every KPI explained.

use crate::components::common::{table_head, Col};
use crate::components::format::{money, or_dash, percent, DASH};
use crate::i18n::T;
use crate::state::{use_app, AppState};
use leptos::prelude::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::engine::perf::{format_value, kpi_name, Card, ValueUnit};
use sales_tiers_core::engine::scorecard::points;
use sales_tiers_core::model::Workspace;
use sales_tiers_core::Lang;

/// The period the period pages (Forecast, Scorecards, Payouts) open on:
/// the quarter today falls in, so they all show the same one.
pub fn current_period(s: &AppState) -> Period {
    sales_tiers_core::calendar::current_quarter(s.today(), s.ws.with_untracked(|w| w.settings.fiscal_year_start_month)).1
}

/// "108.0" or "—".
pub fn score_text(bp: Option<u32>) -> String {
    or_dash(bp.map(points))
}

/// The band's name and a badge class: the best band green, the last red.
pub fn rating_badge(w: &Workspace, rating: Option<usize>, lang: Lang) -> (String, &'static str) {
    let n = w.performance.bands.len();
    match rating.and_then(|r| w.performance.bands.get(r).map(|b| (r, b))) {
        Some((r, b)) => (
            b.name.get(lang).to_string(),
            if r == 0 {
                "badge ok"
            } else if r + 1 == n {
                "badge bad"
            } else {
                "badge"
            },
        ),
        None => (DASH.into(), "badge muted"),
    }
}

/// A KPI value for a table cell (money without decimals).
pub fn value_text(unit: ValueUnit, v: i64) -> String {
    match unit {
        ValueUnit::Money => money(v),
        u => format_value(u, v),
    }
}

/// A person's scorecard: each KPI with actual, target, attainment, score,
/// weight and the sentence that explains it; manual entries say who entered them.
#[component]
pub fn CardView(card: Card) -> impl IntoView {
    let s = use_app();
    view! {
        <table class="table scorecard" data-testid="scorecard">
            {table_head([Col::Text(T::Kpi), Col::Num(T::Actual), Col::Num(T::Target), Col::Num(T::Attainment), Col::Num(T::Score), Col::Num(T::Weight)])}
            <tbody>
                {move || {
                    let lang = s.lang.get();
                    s.ws.with(|w| card.kpis.iter().map(|k| {
                        let r = &k.result;
                        let has = r.score_bp.is_some();
                        let explain = r.explain(lang, |v| value_text(k.unit, v));
                        let by = k.entry.as_ref().map(|(by, note)| {
                            let who = by.map(|b| w.person_name(Some(b), lang)).filter(|n| !n.is_empty()).unwrap_or_else(|| T::Unknown.get(lang).to_string());
                            let note = if note.is_empty() { String::new() } else { format!(" · {note}") };
                            format!("{}{who}{note}", T::EnteredBy.get(lang))
                        });
                        view! {
                            <tr data-testid="kpi-row" data-kpi=k.kind.key() class=if has { "" } else { "muted" }>
                                <td>{kpi_name(w, k.kind, lang)}</td>
                                <td class="num">{if has || r.actual != 0 { value_text(k.unit, r.actual) } else { DASH.into() }}</td>
                                <td class="num">{if r.target > 0 { value_text(k.unit, r.target) } else { DASH.into() }}</td>
                                <td class="num">{percent(r.attainment_bp.map(i64::from))}</td>
                                <td class="num" data-testid="kpi-score">{score_text(r.score_bp)}</td>
                                <td class="num">{percent(Some(r.weight_bp.into()))}</td>
                            </tr>
                            <tr class="kpi-explain"><td colspan="6" data-testid="kpi-explain">
                                {explain}
                                {k.met.then(|| view! { <span class="muted">" — "{T::CoverageMet.get(lang)}</span> })}
                                {by.map(|b| view! { <span class="muted">" — "{b}</span> })}
                            </td></tr>
                        }
                    }).collect_view())
                }}
            </tbody>
        </table>
    }
}
