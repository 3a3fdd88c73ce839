//! What-if scenarios: copies of the plan to change freely, compared side by
//! side with the plan (target, capacity, budget, gap per unit), adopted in
//! one step.

use crate::browser;
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::engine::plan::{capacities, format_units};
use sales_tiers_core::model::{Money, Text};
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id};

#[component]
pub fn ScenariosPage() -> impl IntoView {
    let s = use_app();
    let name = RwSignal::new(String::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked();
        let id = browser::new_id();
        if s.dispatch(Edit::CreateScenario { id, name: Text::both(n.trim()), from: None }) {
            name.set(String::new());
            s.scenario.set(Some(id));
        }
    };
    // Plan + every scenario, with per-unit figures for the top two levels.
    let compare = Memo::new(move |_| {
        let (year, lang) = (s.year.get(), s.lang.get());
        s.ws.with(|w| {
            let Some(root) = w.root().map(|r| r.id) else { return (Vec::new(), Vec::new()) };
            let mut units = vec![root];
            let mut kids: Vec<_> = w.units.values().filter(|u| u.parent == Some(root)).collect();
            kids.arrange_by_key(|u| (u.order, u.id));
            units.extend(kids.into_iter().map(|u| u.id));
            let mut columns: Vec<(Option<Id>, String)> = vec![(None, T::ThePlan.get(lang).to_string())];
            columns.extend(w.scenarios.values().map(|sc| (Some(sc.id), sc.name.get(lang).to_string())));
            let rows = units
                .into_iter()
                .map(|u| {
                    let cells: Vec<(Money, Money, Money, Money)> = columns
                        .iter()
                        .map(|(sc, _)| {
                            let plan = w.plan_of(*sc).expect("plan");
                            let c = &capacities(w, plan, year).units[&u];
                            let budget = plan.budget_total(u, year);
                            (c.target, c.effective, budget, c.gap)
                        })
                        .collect();
                    (w.units[&u].name.get(lang).to_string(), cells)
                })
                .collect::<Vec<_>>();
            (columns, rows)
        })
    });
    view! {
        <section class="page wide-page">
            <h2 class="page-title">{move || s.t(T::NavScenarios)}</h2>
            <p class="muted">{move || s.t(T::ScenariosHelp)}</p>
            <div class="card">
                <form class="panel-form" on:submit=create>
                    <input type="text" maxlength="120" data-testid="scenario-name" placeholder=move || s.t(T::ScenarioName) prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <button type="submit" class="btn primary" data-testid="create-scenario">{move || s.t(T::CreateScenario)}</button>
                </form>
                <ul class="plain scenario-list">
                    {move || {
                        let lang = s.lang.get();
                        s.ws.with(|w| w.scenarios.values().map(|sc| (sc.id, sc.name.clone(), sc.created_at)).collect::<Vec<_>>()).into_iter().map(|(id, n, created)| {
                            let n2 = n.clone();
                            view! {
                                <li class="backup-row" data-testid="scenario" data-name=n.get(lang).to_string()>
                                    <div>
                                        <input type="text" maxlength="120" prop:value=n.get(lang).to_string() on:change=move |ev| { s.dispatch(Edit::RenameScenario { id, name: Text::both(event_target_value(&ev).trim()) }); }/>
                                        <span class="muted small">" " {created.format("%Y-%m-%d").to_string()}</span>
                                    </div>
                                    <button class="btn small" data-testid="edit-scenario" on:click=move |_| s.scenario.set(Some(id))>{T::EditScenario.get(lang)}</button>
                                    <button class="btn small primary" data-testid="adopt-scenario" on:click=move |_| {
                                        let msg = T::AdoptConfirm.fill(lang, &[&n2.get(lang)]);
                                        if web_sys::window().and_then(|w| w.confirm_with_message(&msg).ok()).unwrap_or(false) && s.dispatch(Edit::AdoptScenario { id }) {
                                            s.scenario.set(None);
                                        }
                                    }>{T::Adopt.get(lang)}</button>
                                    <button class="btn small ghost" on:click=move |_| { if s.dispatch(Edit::DeleteScenario { id }) && s.scenario.get_untracked() == Some(id) { s.scenario.set(None); } }>{T::Delete.get(lang)}</button>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ul>
            </div>
            <div class="card matrix-card">
                <h3>{move || s.t(T::Compare)} " · FY" {move || s.year.get()}</h3>
                <table class="table matrix" data-testid="compare">
                    <thead>
                        <tr>
                            <th class="name-col" rowspan="2">{move || s.t(T::Unit)}</th>
                            {move || compare.get().0.into_iter().map(|(_, n)| view! { <th colspan="4" class="group">{n}</th> }).collect_view()}
                        </tr>
                        <tr>
                            {move || {
                                let lang = s.lang.get();
                                compare.get().0.into_iter().map(|_| view! {
                                    <th class="num">{T::Revenue.get(lang)}</th><th class="num">{T::EffectiveCapacity.get(lang)}</th>
                                    <th class="num">{T::NavBudget.get(lang)}</th><th class="num">{T::Gap.get(lang)}</th>
                                }).collect_view()
                            }}
                        </tr>
                    </thead>
                    <tbody>
                        {move || compare.get().1.into_iter().map(|(name, cells)| view! {
                            <tr data-testid="compare-row" data-name=name.clone()>
                                <td class="name-col unit-name">{name.clone()}</td>
                                {cells.into_iter().enumerate().map(|(i, (t, c, b, g))| view! {
                                    <td class="num" class:group-start=true data-testid=format!("cmp-target-{i}")>{format_units(t)}</td>
                                    <td class="num" data-testid=format!("cmp-capacity-{i}")>{format_units(c)}</td>
                                    <td class="num">{format_units(b)}</td>
                                    <td class="num" class:alert={g.0 > 0} data-testid=format!("cmp-gap-{i}")>{format_units(g)}</td>
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
