//! People: search and filter by name, tier, unit, grade and status; add and
//! edit people.

use crate::components::common::{id_options, status_label, table_head, tier_options, Col};
use crate::components::filters::{SearchBox, UnitSelect};
use crate::components::person_form::PersonForm;
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::calendar::months_between;
use sales_tiers_core::engine::grading::assess_all;
use sales_tiers_core::engine::org::scope_units;
use sales_tiers_core::model::Status;
use sales_tiers_core::Id;

#[derive(Clone, Debug, PartialEq)]
struct PersonRow {
    id: Id,
    name: String,
    title: String,
    tier: String,
    tier_order: u32,
    unit: String,
    grade: String,
    grade_id: Option<Id>,
    status: Status,
    tenure: Option<i64>,
    manager: bool,
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let s = use_app();
    let query = RwSignal::new(String::new());
    let tier_f: RwSignal<Option<Id>> = RwSignal::new(None);
    let unit_f: RwSignal<Option<Id>> = RwSignal::new(None);
    let grade_f: RwSignal<Option<Id>> = RwSignal::new(None);
    let status_f = RwSignal::new(String::from("current"));
    let dialog: RwSignal<Option<Option<Id>>> = RwSignal::new(None);

    let all = Memo::new(move |_| {
        let lang = s.lang.get();
        let scope = s.scope();
        let today = s.today();
        s.ws.with(|w| {
            let grades = assess_all(w, today);
            let mut v: Vec<PersonRow> = w
                .people
                .values()
                .filter(|p| scope.as_ref().is_none_or(|sc| sc.contains(&p.unit)))
                .map(|p| {
                    let tier = w.tiers.get(&p.tier);
                    let grade_id = grades.get(&p.id).and_then(|a| a.grade);
                    PersonRow {
                        id: p.id,
                        name: p.name.get(lang).to_string(),
                        title: p.title.get(lang).to_string(),
                        tier: tier.map(|t| t.name.get(lang).to_string()).unwrap_or_default(),
                        tier_order: tier.map(|t| t.order).unwrap_or(u32::MAX),
                        unit: w.units.get(&p.unit).map(|u| u.name.get(lang).to_string()).unwrap_or_default(),
                        grade: grade_id.and_then(|g| w.grades.get(&g)).map(|g| g.name.get(lang).to_string()).unwrap_or_default(),
                        grade_id,
                        status: p.status,
                        tenure: p.hire_date.map(|h| months_between(h, today)),
                        manager: w.managed_unit(p.id).is_some(),
                    }
                })
                .collect();
            v.sort_by(|a, b| (a.tier_order, &a.unit, &a.name).cmp(&(b.tier_order, &b.unit, &b.name)));
            v
        })
    });
    let filtered = Memo::new(move |_| {
        let q = query.get().trim().to_lowercase();
        let (tier, unit, grade, status) = (tier_f.get(), unit_f.get(), grade_f.get(), status_f.get());
        let (units, tier_name) = s
            .ws
            .with(|w| (unit.map(|u| scope_units(w, u)), tier.and_then(|t| w.tiers.get(&t)).map(|t| t.name.get(s.lang.get()).to_string())));
        let emails = s.ws.with(|w| {
            w.people
                .iter()
                .map(|(id, p)| (*id, format!("{} {} {}", p.name.zh, p.name.en, p.email).to_lowercase()))
                .collect::<std::collections::HashMap<_, _>>()
        });
        all.get()
            .into_iter()
            .filter(|r| q.is_empty() || emails.get(&r.id).is_some_and(|t| t.contains(&q)))
            .filter(|r| tier_name.as_ref().is_none_or(|t| &r.tier == t))
            .filter(|r| units.as_ref().is_none_or(|u| s.ws.with(|w| w.people.get(&r.id).is_some_and(|p| u.contains(&p.unit)))))
            .filter(|r| grade.is_none_or(|g| r.grade_id == Some(g)))
            .filter(|r| match status.as_str() {
                "current" => r.status != Status::Left,
                "active" => r.status == Status::Active,
                "on_leave" => r.status == Status::OnLeave,
                "left" => r.status == Status::Left,
                _ => true,
            })
            .collect::<Vec<_>>()
    });

    view! {
        <section class="page">
            <h2 class="page-title">{move || s.t(T::NavPeople)}</h2>
            <div class="card">
                <div class="filters" role="search">
                    <SearchBox value=query placeholder=T::SearchPeople testid="people-search"/>
                    <select data-testid="filter-tier" aria-label=move || s.t(T::TierCol) on:change=move |ev| tier_f.set(Id::parse(&event_target_value(&ev)))>
                        <option value="">{move || s.t(T::AllTiers)}</option>
                        {move || id_options(s.ws.with(|w| tier_options(w, s.lang.get())), tier_f.get_untracked())}
                    </select>
                    <UnitSelect value=unit_f on_change=Callback::new(move |u| unit_f.set(u)) testid="filter-unit" none=T::AllUnits attr:aria-label=move || s.t(T::Unit)/>
                    <select data-testid="filter-grade" aria-label=move || s.t(T::Grade) on:change=move |ev| grade_f.set(Id::parse(&event_target_value(&ev)))>
                        <option value="">{move || s.t(T::AllGrades)}</option>
                        {move || {
                            let lang = s.lang.get();
                            let opts = s.ws.with(|w| {
                                w.tiers_in_order().into_iter().flat_map(|t| w.grades_of(t.id).into_iter().map(move |g| (g.id, format!("{} · {}", t.name.get(lang), g.name.get(lang))))).collect::<Vec<_>>()
                            });
                            id_options(opts, grade_f.get_untracked())
                        }}
                    </select>
                    <select data-testid="filter-status" aria-label=move || s.t(T::Status) on:change=move |ev| status_f.set(event_target_value(&ev))>
                        <option value="current">{move || s.t(T::CurrentStaff)}</option>
                        <option value="active">{move || s.t(T::Active)}</option>
                        <option value="on_leave">{move || s.t(T::OnLeave)}</option>
                        <option value="left">{move || s.t(T::Left)}</option>
                        <option value="all">{move || s.t(T::Everyone)}</option>
                    </select>
                    <div class="spacer"></div>
                    <span class="muted" data-testid="people-count">{move || format!("{} / {}", filtered.with(|f| f.len()), all.with(|a| a.len()))}</span>
                    <button class="btn primary" data-testid="add-person" disabled=move || s.ws.with(|w| w.units.is_empty()) on:click=move |_| dialog.set(Some(None))>{move || s.t(T::AddPerson)}</button>
                </div>
                <table class="table" data-testid="people-table">
                    {table_head([Col::Text(T::Name), Col::Text(T::Title), Col::Text(T::TierCol), Col::Text(T::Unit), Col::Text(T::Grade), Col::Text(T::Status), Col::Num(T::Tenure)])}
                    <tbody>
                        {move || {
                            let lang = s.lang.get();
                            filtered.get().into_iter().take(500).map(|r| {
                                let id = r.id;
                                view! {
                                    <tr data-testid="person-row" tabindex="0" on:click=move |_| dialog.set(Some(Some(id)))
                                        on:keydown=move |ev| if ev.key() == "Enter" { dialog.set(Some(Some(id))) }>
                                        <td class="strong">{r.name.clone()} {r.manager.then(|| view! { <span class="badge">{T::Manager.get(lang)}</span> })}</td>
                                        <td>{r.title.clone()}</td>
                                        <td>{r.tier.clone()}</td>
                                        <td>{r.unit.clone()}</td>
                                        <td data-testid="person-grade">{r.grade.clone()}</td>
                                        <td>{status_label(r.status, lang)}</td>
                                        <td class="num">{r.tenure.map(|m| crate::i18n::tenure_text(m, lang))}</td>
                                    </tr>
                                }
                            }).collect_view()
                        }}
                    </tbody>
                </table>
                <Show when=move || { filtered.with(|f| f.len() > 500) }>
                    <p class="muted small">{move || s.t(T::FirstRowsOnly)}</p>
                </Show>
            </div>
            {move || dialog.get().map(|d| {
                let close = Callback::new(move |_| dialog.set(None));
                let unit = unit_f.get_untracked().or_else(|| s.ws.with_untracked(|w| w.root().map(|r| r.id)));
                view! { <PersonForm person=d unit=unit on_close=close/> }
            })}
        </section>
    }
}
