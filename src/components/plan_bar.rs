//! The bar above every planning page: fiscal year and which plan is being
//! edited (the plan itself or a scenario).

use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::Id;

#[component]
pub fn PlanBar(
    /// Pages that read the plan but do not edit it (pipeline, forecast) hide the scenario picker.
    #[prop(optional)]
    no_scenario: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let s = use_app();
    // The years with targets, and the chosen one's neighbours: read again
    // on every edit, the options written only when the list changes. (A
    // few distinct years among thousands of lines: gathered, not sorted.)
    let years = Memo::new(move |_| {
        let y = s.year.get();
        let mut v = vec![y - 1, y, y + 1];
        s.ws.with(|w| {
            for t in w.plan.targets.values() {
                if !v.contains(&t.year) {
                    v.push(t.year);
                }
            }
        });
        v.arrange();
        v
    });
    view! {
        <div class="plan-bar">
            <label><span class="muted small">{move || s.t(T::FiscalYear)}</span>
                <select data-testid="plan-year" on:change=move |ev| if let Ok(y) = event_target_value(&ev).parse() { s.set_year(y) }>
                    {move || { let cur = s.year.get(); years.get().into_iter().map(|y| view! { <option value=y.to_string() prop:selected=y == cur>{format!("FY{y}")}</option> }).collect_view() }}
                </select>
            </label>
            <Show when=move || !no_scenario>
            <label><span class="muted small">{move || s.t(T::Editing)}</span>
                <select data-testid="plan-scenario" on:change=move |ev| s.scenario.set(Id::parse(&event_target_value(&ev)))>
                    <option value="" prop:selected=move || s.scenario.get().is_none()>{move || s.t(T::ThePlan)}</option>
                    {move || {
                        let lang = s.lang.get();
                        let cur = s.scenario.get();
                        s.ws.with(|w| w.scenarios.values().map(|sc| (sc.id, sc.name.get(lang).to_string())).collect::<Vec<_>>())
                            .into_iter().map(|(id, name)| view! { <option value=id.to_string() prop:selected=cur == Some(id)>{crate::i18n::labelled(lang, T::Scenario.get(lang), name)}</option> }).collect_view()
                    }}
                </select>
            </label>
            <Show when=move || s.scenario.get().is_some()>
                <span class="badge scenario" data-testid="scenario-badge">{move || s.t(T::WhatIf)}</span>
            </Show>
            </Show>
            <div class="spacer"></div>
            {children.map(|c| c())}
        </div>
    }
}
