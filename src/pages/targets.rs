//! Targets: units (as the tree, people on demand) × periods, edited in
//! place like a spreadsheet, with the children's sum, mismatch colouring,
//! locks, weights, buffers and a cascade per unit.

use crate::components::format::{money, percent};
use crate::components::plan_bar::PlanBar;
use crate::components::tree::{indent, tree_rows};
use crate::i18n::T;
use crate::state::{use_app, NoticeKind};
use leptos::prelude::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::engine::plan::{format_target, parse_target, rollup, Fit, Method, Rollup};
use sales_tiers_core::model::{Status, TargetKind, MONTHS};
use sales_tiers_core::{Edit, Id, Lang};
use std::collections::HashSet;
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq)]
struct Row {
    id: Id,
    depth: usize,
    name: String,
    person: bool,
    months: [i64; MONTHS],
    locked: bool,
    weight: u32,
    buffer_bp: u32,
    roll: Option<Rollup>,
    has_people: bool,
    /// Won revenue this fiscal year (revenue targets only).
    actual: Option<i64>,
}

fn kind_key(k: TargetKind) -> &'static str {
    match k {
        TargetKind::Revenue => "revenue",
        TargetKind::NewCustomers => "new_customers",
        TargetKind::GrossMargin => "gross_margin",
    }
}

pub fn kind_label(k: TargetKind, lang: Lang) -> &'static str {
    match k {
        TargetKind::Revenue => T::Revenue.get(lang),
        TargetKind::NewCustomers => T::NewCustomers.get(lang),
        TargetKind::GrossMargin => T::GrossMargin.get(lang),
    }
}

fn method_key(m: Method) -> &'static str {
    match m {
        Method::Equal => "equal",
        Method::Weight => "weight",
        Method::History => "history",
        Method::Capacity => "capacity",
    }
}

fn method_label(m: Method, lang: Lang) -> &'static str {
    match m {
        Method::Equal => T::MethodEqual.get(lang),
        Method::Weight => T::MethodWeight.get(lang),
        Method::History => T::MethodHistory.get(lang),
        Method::Capacity => T::MethodCapacity.get(lang),
    }
}

/// Moves focus to the cell at (row, col) if there is one.
fn focus_cell(r: i64, c: i64) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Ok(Some(el)) = doc.query_selector(&format!("input[data-r='{r}'][data-c='{c}']")) {
        if let Ok(input) = el.dyn_into::<web_sys::HtmlInputElement>() {
            let _ = input.focus();
            input.select();
        }
    }
}

/// Spreadsheet keys: ↑ ↓ and Enter move between rows; ← → at the edge of
/// the text move between columns.
fn cell_keys(ev: &leptos::ev::KeyboardEvent, r: usize, c: usize) {
    let (r, c) = (r as i64, c as i64);
    let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
    let (at_start, at_end) = input
        .map(|i| {
            let len = i.value().chars().count() as u32;
            let (a, b) = (i.selection_start().ok().flatten().unwrap_or(0), i.selection_end().ok().flatten().unwrap_or(0));
            (a == 0 && b == 0 || a == 0 && b == len, b == len)
        })
        .unwrap_or((true, true));
    match ev.key().as_str() {
        "ArrowDown" | "Enter" => {
            ev.prevent_default();
            if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = t.blur();
            }
            focus_cell(r + 1, c);
        }
        "ArrowUp" => {
            ev.prevent_default();
            focus_cell(r - 1, c);
        }
        "ArrowLeft" if at_start => {
            ev.prevent_default();
            focus_cell(r, c - 1);
        }
        "ArrowRight" if at_end => {
            ev.prevent_default();
            focus_cell(r, c + 1);
        }
        _ => {}
    }
}

#[component]
pub fn TargetsPage() -> impl IntoView {
    let s = use_app();
    let kind = RwSignal::new(TargetKind::Revenue);
    let by_month = RwSignal::new(false);
    let open_people: RwSignal<HashSet<Id>> = RwSignal::new(HashSet::new());
    let cascade_for: RwSignal<Option<Id>> = RwSignal::new(None);
    let method = RwSignal::new(Method::Weight);
    let cascade_period = RwSignal::new(Period::Year);
    let deep = RwSignal::new(false);

    let rows = Memo::new(move |_| {
        let (k, year, sc, lang) = (kind.get(), s.year.get(), s.scenario.get(), s.lang.get());
        let open = open_people.get();
        let top = s.top_unit();
        s.ws.with(|w| {
            let Some(plan) = w.plan_of(sc) else { return Vec::new() };
            let Some(root) = top else { return Vec::new() };
            let roll = rollup(w, plan, k, year);
            // Won revenue this fiscal year (pillar 4), beside revenue targets.
            let won = (k == TargetKind::Revenue).then(|| sales_tiers_core::engine::crm::forecast(w, year, Period::Year));
            let mut out = Vec::new();
            let line_row = |id: Id, depth: usize, name: String, person: bool, has_people: bool, roll: Option<Rollup>| {
                let l = plan.target(id, k, year);
                Row {
                    id,
                    depth,
                    name,
                    person,
                    months: l.map(|l| l.months).unwrap_or([0; MONTHS]),
                    locked: l.is_some_and(|l| l.locked),
                    weight: l.map(|l| l.weight).unwrap_or(1),
                    buffer_bp: l.map(|l| l.buffer_bp).unwrap_or(0),
                    roll,
                    has_people,
                    actual: won.as_ref().map(|f| f.of(id).closed),
                }
            };
            for (u, depth) in tree_rows(w, root) {
                let mut members: Vec<_> = w.people.values().filter(|p| p.unit == u && p.status != Status::Left).collect();
                members.sort_by_key(|p| (w.tiers.get(&p.tier).map(|t| t.order), p.name.zh.clone()));
                out.push(line_row(u, depth, w.units[&u].name.get(lang).to_string(), false, !members.is_empty(), roll.get(&u).cloned()));
                if open.contains(&u) {
                    for p in members {
                        out.push(line_row(p.id, depth + 1, p.name.get(lang).to_string(), true, false, None));
                    }
                }
            }
            out
        })
    });
    let columns = move || -> Vec<Period> {
        if by_month.get() {
            (1..=12).map(Period::Month).chain([Period::Year]).collect()
        } else {
            (1..=4).map(Period::Quarter).chain([Period::Year]).collect()
        }
    };
    let locked_months = move || {
        s.ws.with(|w| w.settings.locked_months.iter().filter(|(y, _)| *y == s.year.get()).map(|(_, m)| *m).collect::<HashSet<u8>>())
    };

    let columns_untracked = move || untrack(columns);
    let locked_months_untracked = move || untrack(locked_months);
    // (fingerprint, row index, row): the fingerprint covers everything a row shows.
    let keyed_rows = move || {
        use std::hash::{Hash, Hasher};
        let ctx = (
            s.lang.get(),
            kind.get(),
            by_month.get(),
            locked_months().into_iter().collect::<std::collections::BTreeSet<_>>(),
            cascade_for.get(),
            s.scenario.get(),
        );
        rows.get()
            .into_iter()
            .enumerate()
            .map(|(r, row)| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                format!("{ctx:?}{r}{row:?}{}", open_people.with(|o| o.contains(&row.id))).hash(&mut h);
                (h.finish(), r, row)
            })
            .collect::<Vec<_>>()
    };
    let set_cell = move |owner: Id, period: Period, text: String, input: Option<web_sys::HtmlInputElement>, shown: String| {
        let k = kind.get_untracked();
        match parse_target(k, &text) {
            Some(amount) => {
                let ok = s.dispatch(Edit::SetTarget {
                    scenario: s.scenario.get_untracked(),
                    owner,
                    kind: k,
                    year: s.year.get_untracked(),
                    period,
                    amount,
                });
                if !ok {
                    if let Some(i) = input {
                        i.set_value(&shown);
                    }
                }
            }
            None => {
                s.notify_fill(NoticeKind::Error, T::NotAnAmount, &[&text]);
                if let Some(i) = input {
                    i.set_value(&shown);
                }
            }
        }
    };
    let options = move |owner: Id, locked: Option<bool>, weight: Option<u32>, buffer_bp: Option<u32>| {
        s.dispatch(Edit::SetTargetOptions {
            scenario: s.scenario.get_untracked(),
            owner,
            kind: kind.get_untracked(),
            year: s.year.get_untracked(),
            locked,
            weight,
            buffer_bp,
        });
    };

    view! {
        <section class="page wide-page">
            <h2 class="page-title">{move || s.t(T::NavTargets)}</h2>
            <PlanBar>
                <select data-testid="target-kind" aria-label=move || s.t(T::TargetType) on:change=move |ev| {
                    let v = event_target_value(&ev);
                    kind.set(TargetKind::ALL.into_iter().find(|k| kind_key(*k) == v).unwrap_or(TargetKind::Revenue));
                }>
                    {move || { let lang = s.lang.get(); TargetKind::ALL.into_iter().map(|k| view! { <option value=kind_key(k) selected=kind.get_untracked() == k>{kind_label(k, lang)}</option> }).collect_view() }}
                </select>
                <div class="lang-switch" role="group">
                    <button class="btn seg" data-testid="view-quarters" aria-pressed=move || (!by_month.get()).to_string() on:click=move |_| by_month.set(false)>{move || s.t(T::Quarters)}</button>
                    <button class="btn seg" data-testid="view-months" aria-pressed=move || by_month.get().to_string() on:click=move |_| by_month.set(true)>{move || s.t(T::Months)}</button>
                </div>
            </PlanBar>
            <p class="muted small">{move || s.t(T::TargetsHelp)}</p>
            <div class="card matrix-card">
                <table class="matrix" data-testid="target-matrix">
                    <thead>
                        <tr>
                            <th class="name-col">{move || s.t(T::Unit)}</th>
                            {move || {
                                let lang = s.lang.get();
                                let (year, start) = (s.year.get(), s.ws.with(|w| w.settings.fiscal_year_start_month));
                                let locked = locked_months();
                                columns().into_iter().map(|p| {
                                    let months: Vec<u8> = p.months().map(|m| m as u8 + 1).collect();
                                    let all_locked = months.iter().all(|m| locked.contains(m));
                                    let lockable = p != Period::Year;
                                    let ms = months.clone();
                                    view! {
                                        <th class="num" class:locked=all_locked data-testid="period-head" data-period=p.key()>
                                            {sales_tiers_core::calendar::label(p, year, start, lang)}
                                            {lockable.then(|| view! {
                                                <button class="lock-btn" data-testid="lock-period" title=if all_locked { T::Unlock.get(lang) } else { T::Lock.get(lang) }
                                                    aria-pressed=all_locked.to_string() aria-label=T::LockPeriod.fill(lang, &[&sales_tiers_core::calendar::label(p, year, start, lang)])
                                                    on:click=move |_| { s.dispatch(Edit::LockMonths { year: s.year.get_untracked(), months: ms.clone(), locked: !all_locked }); }>
                                                    <svg width="10" height="11" viewBox="0 0 10 11" aria-hidden="true">
                                                        <rect x="1" y="5" width="8" height="6" rx="1" fill="currentColor"/>
                                                        <path d=if all_locked { "M3 5V3.5a2 2 0 0 1 4 0V5" } else { "M3 5V3.5a2 2 0 0 1 4 0" } fill="none" stroke="currentColor" stroke-width="1.3"/>
                                                    </svg>
                                                </button>
                                            })}
                                        </th>
                                    }
                                }).collect_view()
                            }}
                            <th class="num">{move || s.t(T::ChildrenSum)}</th>
                            <Show when=move || kind.get() == TargetKind::Revenue>
                                <th class="num">{move || s.t(T::ActualYear)}</th>
                                <th class="num">{move || s.t(T::Attainment)}</th>
                            </Show>
                            <th class="num">{move || s.t(T::Buffer)}</th>
                            <th class="num">{move || s.t(T::Weight)}</th>
                            <th>{move || s.t(T::LockLine)}</th>
                            <th><span class="visually-hidden">{move || s.t(T::Actions)}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        // Keyed rows: an edit re-renders only the rows whose numbers changed.
                        <For each=keyed_rows key=|x| x.0 children=move |(_, r, row)| {
                                let lang = s.lang.get_untracked();
                                let k = kind.get_untracked();
                                let cols = columns_untracked();
                                let locked = locked_months_untracked();
                                let open = cascade_for.get_untracked();
                                let id = row.id;
                                let year_fit = row.roll.as_ref().map(|x| x.fit(Period::Year));
                                // Controls are named by their column and the row.
                                let named = |col: &str| T::FieldOf.fill(lang, &[&col, &row.name]);
                                let (year, start) = (s.year.get_untracked(), s.ws.with_untracked(|w| w.settings.fiscal_year_start_month));
                                let cells = cols.iter().enumerate().map(|(c, p)| {
                                    let p = *p;
                                    let value = Rollup::sum(&row.months, p);
                                    let shown = format_target(k, value);
                                    let fit = row.roll.as_ref().map(|x| x.fit(p));
                                    let cell_locked = p.months().any(|m| locked.contains(&(m as u8 + 1))) && s.scenario.get_untracked().is_none();
                                    let title = row.roll.as_ref().filter(|x| x.has_children_lines).map(|x| format!("{}: {}", T::ChildrenSum.get(lang), format_target(k, Rollup::sum(&x.children, p))));
                                    let shown2 = shown.clone();
                                    let label = named(&sales_tiers_core::calendar::label(p, year, start, lang));
                                    view! {
                                        <td class="num" class:under=fit == Some(Fit::Under) class:over=fit == Some(Fit::Over) class:total=p == Period::Year>
                                            <input class="cell" type="text" inputmode="decimal" data-testid="cell" data-period=p.key() data-r=r data-c=c aria-label=label
                                                prop:value=shown.clone() readonly=cell_locked title=title
                                                on:keydown=move |ev| cell_keys(&ev, r, c)
                                                on:change=move |ev| {
                                                    let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                                                    set_cell(id, p, event_target_value(&ev), input, shown2.clone());
                                                }/>
                                        </td>
                                    }
                                }).collect_view();
                                let kids = row.roll.as_ref().filter(|x| x.has_children_lines).map(|x| format_target(k, Rollup::sum(&x.children, Period::Year)));
                                let fit_badge = match year_fit {
                                    Some(Fit::Under) => Some(("badge under", T::FitUnder.get(lang))),
                                    Some(Fit::Over) => Some(("badge over", T::FitOver.get(lang))),
                                    Some(Fit::Matches) => Some(("badge ok", T::FitOk.get(lang))),
                                    _ => None,
                                };
                                let toggle_people = move |_| open_people.update(|o| { if !o.remove(&id) { o.insert(id); } });
                                let people_open = open_people.with_untracked(|o| o.contains(&id));
                                let cascade_row = (open == Some(id)).then(|| {
                                    // Focus moves into the panel and back to its Split button when it closes.
                                    let opener = crate::focus::hold();
                                    let panel: NodeRef<leptos::html::Div> = NodeRef::new();
                                    Effect::new(move |_| if let Some(el) = panel.get() { crate::focus::enter(&el) });
                                    let close = move || { cascade_for.set(None); opener.give_back(); };
                                    view! {
                                    <tr class="cascade-row"><td colspan=cols.len() + 8>
                                        <div class="panel-form" data-testid="cascade-panel" role="group" aria-label=T::FieldOf.fill(lang, &[&T::Cascade.get(lang), &row.name])
                                            node_ref=panel on:keydown=move |ev| if ev.key() == "Escape" { close() }>
                                            <span class="muted">{T::SplitBy.get(lang)}</span>
                                            <select data-testid="cascade-method" aria-label=T::SplitBy.get(lang) on:change=move |ev| { let v = event_target_value(&ev); method.set(Method::ALL.into_iter().find(|m| method_key(*m) == v).unwrap_or(Method::Equal)); }>
                                                {Method::ALL.into_iter().map(|m| view! { <option value=method_key(m) selected=method.get_untracked() == m>{method_label(m, lang)}</option> }).collect_view()}
                                            </select>
                                            <select data-testid="cascade-period" aria-label=T::Period.get(lang) on:change=move |ev| cascade_period.set(Period::from_key(&event_target_value(&ev)).unwrap_or(Period::Year))>
                                                {Period::all().into_iter().rev().map(|p| {
                                                    let (y, st) = (s.year.get_untracked(), s.ws.with_untracked(|w| w.settings.fiscal_year_start_month));
                                                    view! { <option value=p.key() selected=cascade_period.get_untracked() == p>{sales_tiers_core::calendar::label(p, y, st, lang)}</option> }
                                                }).collect_view()}
                                            </select>
                                            <label class="hire"><input type="checkbox" data-testid="cascade-deep" prop:checked=move || deep.get() on:change=move |ev| deep.set(event_target_checked(&ev))/>
                                                <span>{T::AllTheWayDown.get(lang)}</span></label>
                                            <button class="btn small primary" data-testid="cascade-ok" on:click=move |_| {
                                                let edit = Edit::Cascade { scenario: s.scenario.get_untracked(), unit: id, kind: kind.get_untracked(), year: s.year.get_untracked(), period: cascade_period.get_untracked(), method: method.get_untracked(), deep: deep.get_untracked() };
                                                if s.dispatch(edit) { close(); }
                                            }>{T::Cascade.get(lang)}</button>
                                            <button class="btn small ghost" data-testid="cascade-cancel" on:click=move |_| close()>{T::Cancel.get(lang)}</button>
                                            <span class="muted small">{T::CascadeHelp.get(lang)}</span>
                                        </div>
                                    </td></tr>
                                    }
                                });
                                view! {
                                    <tr class:person=row.person class:line-locked=row.locked data-testid="target-row" data-name=row.name.clone()>
                                        <td class="name-col">
                                            <span class="tree-name" style=indent(row.depth)>
                                                {(!row.person && row.has_people).then(|| view! { <button class="twisty" data-testid="toggle-people" aria-label=named(T::Members.get(lang)) aria-expanded=people_open.to_string() on:click=toggle_people>{if people_open { "▾" } else { "▸" }}</button> })}
                                                <span class:unit-name=!row.person>{row.name.clone()}</span>
                                                {fit_badge.map(|(c, t)| view! { <span class=c data-testid="fit">{t}</span> })}
                                            </span>
                                        </td>
                                        {cells}
                                        <td class="num muted" data-testid="children-sum">{kids}</td>
                                        {row.actual.map(|a| {
                                            let target: i64 = row.months.iter().sum();
                                            let att = percent(sales_tiers_core::num::attainment_bp(a, target));
                                            view! {
                                                <td class="num" data-testid="target-actual">{money(a)}</td>
                                                <td class="num" data-testid="target-attainment">{att}</td>
                                            }
                                        })}
                                        <td class="num">
                                            {(!row.person).then(|| view! {
                                                <input class="cell short-cell" type="text" inputmode="decimal" data-testid="buffer" aria-label=named(T::Buffer.get(lang)) prop:value=sales_tiers_core::io::input::percent_input(row.buffer_bp)
                                                    on:change=move |ev| match sales_tiers_core::io::input::parse_buffer(&event_target_value(&ev)) {
                                                        // Over 1,000 % is refused by the edit, with its reason: no silent cap.
                                                        Ok(v) => options(id, None, None, Some(v)),
                                                        Err(e) => s.notify(NoticeKind::Error, e.message(Lang::Zh), e.message(Lang::En)),
                                                    }/>
                                            })}
                                        </td>
                                        <td class="num">
                                            <input class="cell short-cell" type="number" min="0" step="1" data-testid="weight" aria-label=named(T::Weight.get(lang)) prop:value=row.weight.to_string()
                                                on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<u32>() { options(id, None, Some(v), None) } }/>
                                        </td>
                                        <td><input type="checkbox" data-testid="lock" prop:checked=row.locked aria-label=named(T::LockLine.get(lang))
                                            on:change=move |ev| options(id, Some(event_target_checked(&ev)), None, None)/></td>
                                        <td>{(!row.person).then(|| view! {
                                            <button class="btn small ghost" data-testid="split" aria-expanded=(open == Some(id)).to_string() on:click=move |_| cascade_for.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>{T::Split.get(lang)}</button>
                                        })}</td>
                                    </tr>
                                    {cascade_row}
                                }
                            }
                        />
                    </tbody>
                </table>
            </div>
        </section>
    }
}
