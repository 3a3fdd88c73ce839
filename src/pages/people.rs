//! People: search and filter by name, tier, unit, grade and status; add and
//! edit people.

use crate::components::common::{pressed, status_label, table_head, tier_options, Col};
use crate::components::filters::{id_select, search_handlers, UnitSelect};
use crate::components::pager::{self, Pager};
use crate::components::person_form::PersonForm;
use crate::i18n::T;
use crate::state::use_app;
use crate::url;
use leptos::prelude::*;
use sales_tiers_core::calendar::months_between;
use sales_tiers_core::engine::org::scope_units;
use sales_tiers_core::model::Status;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::Id;

/// Time with the company, or the day a hire still to come starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Tenure {
    Months(i64),
    Starts(chrono::NaiveDate),
}

/// A row as shown (with the language, its key: a row keeps its element
/// while it shows the same, and only rows that change are built again).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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
    tenure: Option<Tenure>,
    manager: bool,
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let s = use_app();
    let (query, set_query) = url::search_state();
    let (tier_f, set_tier) = url::id_state(url::TIER);
    let (unit_f, set_unit) = url::unit_state();
    let (grade_f, set_grade) = url::id_state(url::GRADE);
    const STATUSES: [&str; 5] = ["current", "active", "on_leave", "left", "all"];
    let (status_f, set_status) = url::query_state(
        url::STATUS,
        |v| STATUSES.contains(&v).then(|| v.to_string()),
        || "current".to_string(),
        |v| (v != "current").then(|| v.clone()),
    );
    let (page, set_page) = url::page_state();
    // Any change of filter starts from the first page.
    let refilter = move |f: &dyn Fn()| {
        f();
        set_page.run(1);
    };
    // The search runs a frame after the keystroke (see search_handlers).
    let (on_search, on_composed) = search_handlers(move || query.get_untracked(), move |t: String| refilter(&|| set_query.run(t.clone())));
    let dialog: RwSignal<Option<Option<Id>>> = RwSignal::new(None);

    // Units and names in the reader's order (Chinese by pinyin), sorted again only when they change.
    let order = crate::browser::NameOrder::memo(move || {
        let lang = s.lang.get();
        let names = s.ws.with(|w| {
            w.units.values().map(|u| u.name.get(lang).to_string()).chain(w.people.values().map(|p| p.name.get(lang).to_string())).collect()
        });
        (lang, names)
    });
    let all = Memo::new(move |_| {
        let lang = s.lang.get();
        let scope = s.scope();
        let today = s.today();
        let grades = s.assessments.get();
        s.ws.with(|w| {
            let managers: std::collections::HashSet<Id> = w.units.values().filter_map(|u| u.manager).collect();
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
                        tenure: p.hire_date.map(|h| if h > today { Tenure::Starts(h) } else { Tenure::Months(months_between(h, today)) }),
                        manager: managers.contains(&p.id),
                    }
                })
                .collect();
            order.with(|order| v.arrange_by_cached_key(|r| (r.tier_order, order.rank(&r.unit), order.rank(&r.name))));
            v
        })
    });
    let filtered = Memo::new(move |_| {
        let q = query.get().trim().to_lowercase();
        let (tier, unit, grade, status) = (tier_f.get(), unit_f.get(), grade_f.get(), status_f.get());
        let (units, tier_name) = s
            .ws
            .with(|w| (unit.map(|u| scope_units(w, u)), tier.and_then(|t| w.tiers.get(&t)).map(|t| t.name.get(s.lang.get()).to_string())));
        // Names in both languages and the email, read only for a search.
        let found = |id: &Id| {
            q.is_empty()
                || s.ws.with(|w| {
                    w.people.get(id).is_some_and(|p| format!("{} {} {}", p.name.zh, p.name.en, p.email).to_lowercase().contains(&q))
                })
        };
        // Only the rows kept are copied.
        all.with(|all| {
            all.iter()
                .filter(|r| found(&r.id))
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
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    view! {
        <section class="page">
            <h2 class="page-title">{move || s.t(T::NavPeople)}</h2>
            <div class="card">
                <div class="filters" role="search">
                    <input type="search" data-testid="people-search" placeholder=move || s.t(T::SearchPeople) aria-label=move || s.t(T::SearchPeople)
                        prop:value=move || query.get() on:input=on_search
                        on:compositionend=on_composed/>
                    <label class="bare-label"><span class="visually-hidden">{move || s.t(T::TierCol)}</span>
                        {id_select(
                            Signal::derive(move || s.ws.with(|w| tier_options(w, s.lang.get()))),
                            tier_f.into(),
                            Callback::new(move |t| refilter(&|| set_tier.run(t))),
                            "filter-tier",
                            Some(T::AllTiers),
                            false,
                            None,
                        )}
                    </label>
                    <UnitSelect value=unit_f on_change=Callback::new(move |u| refilter(&|| set_unit.run(u))) testid="filter-unit" none=T::AllUnits attr:aria-label=move || s.t(T::Unit)/>
                    <label class="bare-label"><span class="visually-hidden">{move || s.t(T::Grade)}</span>
                        {id_select(
                            Signal::derive(move || {
                                let lang = s.lang.get();
                                s.ws.with(|w| {
                                    w.tiers_in_order().into_iter().flat_map(|t| w.grades_of(t.id).into_iter().map(move |g| (g.id, format!("{} · {}", t.name.get(lang), g.name.get(lang))))).collect::<Vec<_>>()
                                })
                            }),
                            grade_f.into(),
                            Callback::new(move |g| refilter(&|| set_grade.run(g))),
                            "filter-grade",
                            Some(T::AllGrades),
                            false,
                            None,
                        )}
                    </label>
                    <select data-testid="filter-status" aria-label=move || s.t(T::Status) on:change=move |ev| { let v = event_target_value(&ev); refilter(&|| set_status.run(v.clone())) }>
                        {move || {
                            let cur = status_f.get();
                            [("current", T::CurrentStaff), ("active", T::Active), ("on_leave", T::OnLeave), ("left", T::Left), ("all", T::Everyone)]
                                .into_iter()
                                .map(|(v, t)| view! { <option value=v prop:selected=cur == v>{s.t(t)}</option> })
                                .collect_view()
                        }}
                    </select>
                    <div class="spacer"></div>
                    <span class="muted" data-testid="people-count">{move || format!("{} / {}", filtered.with(|f| f.len()), all.with(|a| a.len()))}</span>
                    <button class="btn primary" data-testid="add-person" disabled=move || s.ws.with(|w| w.units.is_empty()) on:click=move |_| dialog.set(Some(None))>{move || s.t(T::AddPerson)}</button>
                </div>
                <div class="table-scroll">
                <table class="table" data-testid="people-table">
                    {table_head([Col::Text(T::Name), Col::Text(T::Title), Col::Text(T::TierCol), Col::Text(T::Unit), Col::Text(T::Grade), Col::Text(T::Status), Col::Num(T::Tenure)])}
                    <tbody>
                        <For
                            each=move || { let lang = s.lang.get(); filtered.with(|f| pager::slice(f, page.get())).into_iter().map(move |r| (lang, r)).collect::<Vec<_>>() }
                            key=|row| row.clone()
                            children=move |(lang, r)| {
                                let id = r.id;
                                view! {
                                    <tr data-testid="person-row" data-id=id.to_string() tabindex="0" on:click=move |_| dialog.set(Some(Some(id)))
                                        on:keydown=move |ev| if pressed(&ev) { dialog.set(Some(Some(id))) }>
                                        <td class="strong">{r.name.clone()} {r.manager.then(|| view! { <span class="badge">{T::Manager.get(lang)}</span> })}</td>
                                        <td>{r.title.clone()}</td>
                                        <td>{r.tier.clone()}</td>
                                        <td>{r.unit.clone()}</td>
                                        <td data-testid="person-grade">{r.grade.clone()}</td>
                                        <td>{status_label(r.status, lang)}</td>
                                        <td class="num" data-testid="person-tenure">{r.tenure.map(|t| match t {
                                            Tenure::Months(m) => crate::i18n::tenure_text(m, lang),
                                            Tenure::Starts(d) => T::StartsOn.fill(lang, &[&d]),
                                        })}</td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
                </div>
                <Pager total=Signal::derive(move || filtered.with(|f| f.len())) page=page on_change=set_page testid="people-pager"/>
            </div>
            {move || dialog.get().map(|d| {
                let close = Callback::new(move |_| dialog.set(None));
                // The unit filtered on, else none: chosen in the dialog.
                let unit = unit_f.get_untracked();
                view! { <PersonForm person=d unit=unit on_close=close/> }
            })}
        </section>
    }
}
