//! Pillar 3 view pieces: the review-period picker, rating badges, a
//! person's scorecard with every KPI explained, and percent parsing.

use crate::components::crm::money;
use crate::i18n::T;
use crate::state::{use_app, AppState};
use leptos::prelude::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::engine::perf::{format_value, kpi_name, Card, ValueUnit};
use sales_tiers_core::engine::scorecard::points;
use sales_tiers_core::model::Workspace;
use sales_tiers_core::Lang;

/// The period a review starts on: the last complete quarter of the year
/// shown (Q1 while the first is still running).
pub fn review_period(s: &AppState) -> Period {
    sales_tiers_core::calendar::review_quarter(s.today(), s.ws.with_untracked(|w| w.settings.fiscal_year_start_month))
}

/// A period select bound to `period`.
#[component]
pub fn PeriodPicker(period: RwSignal<Period>, testid: &'static str) -> impl IntoView {
    let s = use_app();
    let choices =
        move || sales_tiers_core::calendar::choices(s.year.get(), s.ws.with(|w| w.settings.fiscal_year_start_month), s.lang.get());
    view! {
        <label><span class="muted small">{move || s.t(T::Period)}</span>
            <select data-testid=testid on:change=move |ev| period.set(Period::from_key(&event_target_value(&ev)).unwrap_or(Period::Year))>
                {move || { let cur = period.get().key(); choices().into_iter().map(|(k, l)| { let sel = k == cur; view! { <option value=k selected=sel>{l}</option> } }).collect_view() }}
            </select>
        </label>
    }
}

/// "108.0" or "—".
pub fn score_text(bp: Option<u32>) -> String {
    bp.map(points).unwrap_or_else(|| "—".into())
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
        None => ("—".into(), "badge muted"),
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
            <thead><tr>
                <th>{move || s.t(T::Kpi)}</th><th class="num">{move || s.t(T::Actual)}</th><th class="num">{move || s.t(T::Target)}</th>
                <th class="num">{move || s.t(T::Attainment)}</th><th class="num">{move || s.t(T::Score)}</th><th class="num">{move || s.t(T::Weight)}</th>
            </tr></thead>
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
                            <tr data-testid="kpi-row" class=if has { "" } else { "muted" }>
                                <td>{kpi_name(w, k.kind, lang)}</td>
                                <td class="num">{if has || r.actual != 0 { value_text(k.unit, r.actual) } else { "—".into() }}</td>
                                <td class="num">{if r.target > 0 { value_text(k.unit, r.target) } else { "—".into() }}</td>
                                <td class="num">{r.attainment_bp.map(|a| format!("{}%", points(a))).unwrap_or_else(|| "—".into())}</td>
                                <td class="num" data-testid="kpi-score">{score_text(r.score_bp)}</td>
                                <td class="num">{format!("{}%", points(r.weight_bp))}</td>
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
