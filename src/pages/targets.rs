//! Targets: units (as the tree, people on demand) × periods, edited in
//! place like a spreadsheet, with the children's sum, mismatch colouring,
//! locks, weights, buffers and a cascade per unit.

use crate::components::cell::{self, refusal, Refusal};
use crate::components::format::{figure_width, money, percent};
use crate::components::plan_bar::PlanBar;
use crate::components::reveal::{content_key, reveal};
use crate::components::tree::indent;
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::engine::org::subtree_with_depth;
use sales_tiers_core::engine::plan::{format_target, rollup, Fit, Method, Rollup};
use sales_tiers_core::io::input::{parse_buffer, parse_plan_cell, parse_target_weight, percent_input, plan_cell_text};
use sales_tiers_core::model::{Status, TargetKind, MONTHS};
use sales_tiers_core::sort::{Arrange, Gather};
use sales_tiers_core::{Edit, Id, Lang};
use std::collections::HashSet;

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
    /// A quota carrier's tier (person rows).
    tier: Option<String>,
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

/// The matrix's tracks (`table.long` in the style sheet): the unit, a
/// field per period, the children's sum, won and attainment (revenue
/// only), buffer and weight; and the sum of their least widths.
fn tracks(periods: usize, revenue: bool) -> String {
    let fig = "minmax(calc(var(--num) + 16px), 1fr)";
    let won = if revenue { format!("{fig} minmax(84px, .7fr) ") } else { String::new() };
    let won_w = if revenue { " + var(--num) + 16px + 84px" } else { "" };
    format!(
        "--cols: minmax(380px, 2.4fr) repeat({periods}, minmax(112px, 1fr)) {fig} {won}repeat(2, minmax(68px, .5fr)); \
         --min-w: calc(380px + {periods} * 112px + var(--num) + 16px{won_w} + 136px)"
    )
}

#[component]
pub fn TargetsPage() -> impl IntoView {
    let s = use_app();
    let kind = RwSignal::new(TargetKind::Revenue);
    let (by_month, set_by_month) = crate::url::view_flag("months");
    let open_people: RwSignal<HashSet<Id>> = RwSignal::new(HashSet::new());
    let cascade_for: RwSignal<Option<Id>> = RwSignal::new(None);
    // A row hears of the Split panel only when it opens or closes there
    // (every row reading `cascade_for` woke them all at each open).
    let cascade_at = StoredValue::new(Selector::new(move || cascade_for.get()));
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
            let won = (k == TargetKind::Revenue)
                .then(|| s.index.with(|ix| sales_tiers_core::engine::crm::forecast_period(w, ix, year, Period::Year)));
            let mut out = Vec::new();
            let line_row = |id: Id, depth: usize, name: String, tier: Option<String>, has_people: bool, roll: Option<Rollup>| {
                let l = plan.target(id, k, year);
                Row {
                    id,
                    depth,
                    name,
                    person: tier.is_some(),
                    months: l.map(|l| l.months).unwrap_or([0; MONTHS]),
                    locked: l.is_some_and(|l| l.locked),
                    weight: l.map(|l| l.weight).unwrap_or(1),
                    buffer_bp: l.map(|l| l.buffer_bp).unwrap_or(0),
                    roll,
                    has_people,
                    actual: won.as_ref().map(|f| f.of(id).closed),
                    tier,
                }
            };
            for (u, depth) in subtree_with_depth(w, root) {
                let mut members: Vec<_> = w.people.values().filter(|p| p.unit == u && p.status != Status::Left).collect();
                members.arrange_by_cached_key(|p| (w.tiers.get(&p.tier).map(|t| t.order), p.name.zh.clone()));
                out.push(line_row(u, depth, w.units[&u].name.get(lang).to_string(), None, !members.is_empty(), roll.get(&u).cloned()));
                if open.contains(&u) {
                    for p in members {
                        let tier = w.tiers.get(&p.tier).map(|t| t.name.get(lang).to_string()).unwrap_or_default();
                        out.push(line_row(p.id, depth + 1, p.name.get(lang).to_string(), Some(tier), false, None));
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
    // Rows by id: each row reads its own numbers, so an edit updates the
    // cells in place and the focus stays where it is (Tab, Enter, arrows).
    let by_id = Memo::new(move |_| {
        rows.with(|v| v.iter().enumerate().map(|(r, x)| (x.id, (r, x.clone()))).collect::<std::collections::HashMap<_, _>>())
    });
    let rows_of = crate::components::rows::Rows::new(by_id, |m, id| m.get(id));
    // A screenful of rows with the page, the rest in the next tasks.
    let shown = reveal(move || rows.with_untracked(|v| v.len()));
    // Rows are rebuilt only when what every row shows changes (language,
    // kind, columns, locked months, scenario, year).
    let keyed_rows = move || {
        let ctx = content_key(&(
            s.lang.get(),
            kind.get(),
            by_month.get(),
            locked_months().into_iter().gather_set(),
            s.scenario.get(),
            s.year.get(),
        ));
        let n = shown.get();
        // And what a row draws once (name, place, tier): a unit renamed or
        // moved in another tab is drawn again.
        rows.with(|v| {
            v.iter().take(n).map(|x| (x.id, content_key(&(ctx, &x.name, x.depth, x.person, &x.tier, x.has_people)))).collect::<Vec<_>>()
        })
    };
    // Commits a typed cell: refused values are put back with the reason beside the cell.
    let set_cell = move |owner: Id, period: Period, text: String| -> Result<i64, Refusal> {
        let k = kind.get_untracked();
        let amount = parse_plan_cell(k, &text).map_err(|e| refusal(|l| e.message(l)))?;
        let edit = Edit::SetTarget { scenario: s.scenario.get_untracked(), owner, kind: k, year: s.year.get_untracked(), period, amount };
        s.try_dispatch(edit).map(|_| amount).map_err(|e| refusal(|l| e.message(l)))
    };
    let options = move |owner: Id, locked: Option<bool>, weight: Option<u32>, buffer_bp: Option<u32>| -> Result<(), Refusal> {
        let edit = Edit::SetTargetOptions {
            scenario: s.scenario.get_untracked(),
            owner,
            kind: kind.get_untracked(),
            year: s.year.get_untracked(),
            locked,
            weight,
            buffer_bp,
        };
        s.try_dispatch(edit).map(|_| ()).map_err(|e| refusal(|l| e.message(l)))
    };
    let cascade_msg: RwSignal<Option<Refusal>> = RwSignal::new(None);

    view! {
        <section class="page wide-page">
            <h2 class="page-title">{move || s.t(T::NavTargets)}</h2>
            <PlanBar>
                <select data-testid="target-kind" aria-label=move || s.t(T::TargetType) on:change=move |ev| {
                    let v = event_target_value(&ev);
                    kind.set(TargetKind::ALL.into_iter().find(|k| kind_key(*k) == v).unwrap_or(TargetKind::Revenue));
                }>
                    {move || { let lang = s.lang.get(); TargetKind::ALL.into_iter().map(|k| view! { <option value=kind_key(k) prop:selected=kind.get_untracked() == k>{kind_label(k, lang)}</option> }).collect_view() }}
                </select>
                <div class="lang-switch" role="group">
                    <button class="btn seg" data-testid="view-quarters" aria-pressed=move || (!by_month.get()).to_string() on:click=move |_| set_by_month.run(false)>{move || s.t(T::Quarters)}</button>
                    <button class="btn seg" data-testid="view-months" aria-pressed=move || by_month.get().to_string() on:click=move |_| set_by_month.run(true)>{move || s.t(T::Months)}</button>
                </div>
            </PlanBar>
            <p class="muted small">{move || s.t(T::TargetsHelp)}</p>
            <div class="card matrix-card">
                // A long table (rows skipped out of view): its tracks follow the
                // periods and the kind shown; figure columns as wide as the top row's.
                <table class="matrix long" data-testid="target-matrix" style=move || {
                    let k = kind.get();
                    let num = rows.with(|v| figure_width(v.first().into_iter().flat_map(|x| {
                        let kids = x.roll.as_ref().map(|r| format_target(k, Rollup::sum(&r.children, Period::Year)));
                        kids.into_iter().chain(x.actual.map(money))
                    })));
                    format!("{num}; {}", tracks(columns().len(), k == TargetKind::Revenue))
                }>
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
                        </tr>
                    </thead>
                    <tbody>
                        // Keyed by id: an edit updates a row's cells in place.
                        <For each=keyed_rows key=|x| *x children=move |(id, _)| {
                                let lang = s.lang.get_untracked();
                                let k = kind.get_untracked();
                                let cols = columns_untracked();
                                let locked = locked_months_untracked();
                                let row = rows_of.signal(id);
                                // Handlers read the row as it is now (see components::rows).
                                let now = move || rows_of.now(&id);
                                let r = move || now().map(|x| x.0).unwrap_or(0);
                                // The row's place as drawn (its fields' `data-r`): it follows a
                                // row moved in the list without being built again.
                                let place = move || row.with(|x| x.as_ref().map_or(0, |x| x.0));
                                let first = row.get_untracked().map(|x| x.1);
                                let Some(first) = first else { return ().into_any() };
                                let person = first.person;
                                let (year, start) = (s.year.get_untracked(), s.ws.with_untracked(|w| w.settings.fiscal_year_start_month));
                                let fit_of = move |p: Period| row.with(|x| x.as_ref().and_then(|x| x.1.roll.as_ref().map(|r| r.fit(p))));
                                // In a branch, the root's own line is given from above: shown, not edited.
                                let given = !person && s.scenario.get_untracked().is_none() && s.ws.with_untracked(|w| w.branch.as_ref().is_some_and(|b| b.root == id));
                                let cells = cols.iter().enumerate().map(|(c, p)| {
                                    let p = *p;
                                    let value_of = move |x: Option<&(usize, Row)>| x.map(|x| Rollup::sum(&x.1.months, p)).unwrap_or(0);
                                    let value = move || row.with(|x| value_of(x.as_ref()));
                                    let shown = move || plan_cell_text(k, value());
                                    let shown_now = move || plan_cell_text(k, value_of(now().as_ref()));
                                    let cell_locked = p.months().any(|m| locked.contains(&(m as u8 + 1))) && s.scenario.get_untracked().is_none();
                                    let title = move || row.with(|x| {
                                        x.as_ref().and_then(|x| x.1.roll.as_ref()).filter(|x| x.has_children_lines)
                                            .map(|x| crate::i18n::labelled(lang, T::ChildrenSum.get(lang), format_target(k, Rollup::sum(&x.children, p))))
                                    });
                                    let msg: RwSignal<Option<Refusal>> = RwSignal::new(None);
                                    let commit = move |typed: String| set_cell(id, p, typed).map(|amount| plan_cell_text(k, amount));
                                    // Named by its column and the row.
                                    let label = T::FieldOf.fill(lang, &[&sales_tiers_core::calendar::label(p, year, start, lang), &first.name]);
                                    view! {
                                        <td class="num" class:under=move || fit_of(p) == Some(Fit::Under) class:over=move || fit_of(p) == Some(Fit::Over) class:total=p == Period::Year>
                                            <input class="cell" type="text" autocomplete="off" inputmode="decimal" data-testid="cell" data-period=p.key() data-r=place data-c=c aria-label=label
                                                prop:value=shown readonly=cell_locked || given title=move || if given { Some(T::GivenFromAbove.get(lang).to_string()) } else { title() } aria-invalid=move || msg.get().map(|_| "true")
                                                on:keydown=move |ev| cell::matrix_keydown(&ev, s, msg, (r(), c), shown_now, commit)
                                                on:input=move |_| msg.set(None)
                                                on:change=move |ev| cell::matrix_change(&ev, s, msg, shown_now, commit)/>
                                            {cell::message(s, msg)}
                                        </td>
                                    }
                                }).collect_view();
                                let kids = move || row.with(|x| x.as_ref().and_then(|x| x.1.roll.as_ref()).filter(|x| x.has_children_lines).map(|x| format_target(k, Rollup::sum(&x.children, Period::Year))));
                                let fit_badge = move || match fit_of(Period::Year) {
                                    Some(Fit::Under) => Some(("badge under", T::FitUnder.get(lang))),
                                    Some(Fit::Over) => Some(("badge over", T::FitOver.get(lang))),
                                    Some(Fit::Matches) => Some(("badge ok", T::FitOk.get(lang))),
                                    _ => None,
                                };
                                let toggle_people = move |_| open_people.update(|o| { if !o.remove(&id) { o.insert(id); } });
                                let people_open = move || open_people.with(|o| o.contains(&id));
                                let locked_line = move || row.with(|x| x.as_ref().is_some_and(|x| x.1.locked));
                                let buffer_msg: RwSignal<Option<Refusal>> = RwSignal::new(None);
                                let weight_msg: RwSignal<Option<Refusal>> = RwSignal::new(None);
                                let buffer_of = |x: Option<&(usize, Row)>| x.map(|x| percent_input(x.1.buffer_bp)).unwrap_or_default();
                                let weight_of = |x: Option<&(usize, Row)>| x.map(|x| x.1.weight.to_string()).unwrap_or_default();
                                let buffer_shown = move || row.with(|x| buffer_of(x.as_ref()));
                                let weight_shown = move || row.with(|x| weight_of(x.as_ref()));
                                let buffer_now = move || buffer_of(now().as_ref());
                                let weight_now = move || weight_of(now().as_ref());
                                let row_name = first.name.clone();
                                let cascading = move || cascade_at.with_value(|c| c.selected(&Some(id)));
                                let cascade_row = move || cascading().then(|| {
                                    // Focus moves into the panel and back to its Split button when it closes.
                                    let opener = crate::focus::hold();
                                    let panel: NodeRef<leptos::html::Div> = NodeRef::new();
                                    Effect::new(move |_| if let Some(el) = panel.get() { crate::focus::enter(&el) });
                                    let close = move || { cascade_msg.set(None); cascade_for.set(None); opener.give_back(); };
                                    view! {
                                    <tr class="cascade-row"><td colspan=cols.len() + 5>
                                        <div class="panel-form cascade-panel" data-testid="cascade-panel" role="group" aria-label=T::FieldOf.fill(lang, &[&T::Cascade.get(lang), &row_name])
                                            node_ref=panel on:keydown=move |ev| if ev.key() == "Escape" { close() }>
                                            <span class="muted">{T::SplitBy.get(lang)}</span>
                                            <select data-testid="cascade-method" aria-label=T::SplitBy.get(lang) on:change=move |ev| { let v = event_target_value(&ev); method.set(Method::ALL.into_iter().find(|m| method_key(*m) == v).unwrap_or(Method::Equal)); }>
                                                {Method::ALL.into_iter().map(|m| view! { <option value=method_key(m) prop:selected=method.get_untracked() == m>{method_label(m, lang)}</option> }).collect_view()}
                                            </select>
                                            <select data-testid="cascade-period" aria-label=T::Period.get(lang) on:change=move |ev| cascade_period.set(Period::from_key(&event_target_value(&ev)).unwrap_or(Period::Year))>
                                                {Period::all().into_iter().rev().map(|p| {
                                                    let (y, st) = (s.year.get_untracked(), s.ws.with_untracked(|w| w.settings.fiscal_year_start_month));
                                                    view! { <option value=p.key() prop:selected=cascade_period.get_untracked() == p>{sales_tiers_core::calendar::label(p, y, st, lang)}</option> }
                                                }).collect_view()}
                                            </select>
                                            <label class="hire"><input type="checkbox" data-testid="cascade-deep" prop:checked=move || deep.get() on:change=move |ev| deep.set(event_target_checked(&ev))/>
                                                <span>{T::AllTheWayDown.get(lang)}</span></label>
                                            <button class="btn small primary" data-testid="cascade-ok" on:click=move |_| {
                                                let edit = Edit::Cascade { scenario: s.scenario.get_untracked(), unit: id, kind: kind.get_untracked(), year: s.year.get_untracked(), period: cascade_period.get_untracked(), method: method.get_untracked(), deep: deep.get_untracked() };
                                                match s.try_dispatch(edit) {
                                                    Ok(_) => close(),
                                                    Err(e) => cell::show(s, cascade_msg, Some(refusal(|l| e.message(l)))),
                                                }
                                            }>{T::Cascade.get(lang)}</button>
                                            <button class="btn small ghost" data-testid="cascade-cancel" on:click=move |_| close()>{T::Cancel.get(lang)}</button>
                                            <span class="muted small">{T::CascadeHelp.get(lang)}</span>
                                            {cell::message(s, cascade_msg)}
                                        </div>
                                    </td></tr>
                                    }
                                });
                                let tier = first.tier.clone();
                                view! {
                                    <tr class:person=person class:line-locked=locked_line data-testid="target-row" data-name=first.name.clone()>
                                        <td class="name-col">
                                            <div class="name-cell">
                                                <span class="tree-name" style=indent(first.depth)>
                                                    {(!person && first.has_people).then(|| view! { <button class="twisty" data-testid="toggle-people" aria-label=T::FieldOf.fill(lang, &[&T::Members.get(lang), &first.name]) aria-expanded=move || people_open().to_string() on:click=toggle_people>{move || if people_open() { "▾" } else { "▸" }}</button> })}
                                                    <span class:unit-name=!person title=first.name.clone()>{first.name.clone()}</span>
                                                    {tier.map(|t| view! { <span class="badge tier-badge" data-testid="row-tier">{t}</span> })}
                                                    {given.then(|| view! { <span class="badge given" data-testid="given-badge" title=T::GivenFromAbove.get(lang)>{T::GivenBadge.get(lang)}</span> })}
                                                    {move || fit_badge().map(|(c, t)| view! { <span class=c data-testid="fit">{t}</span> })}
                                                </span>
                                                <span class="row-tools">
                                                    <label class="lock-line" title=T::LockLine.get(lang)>
                                                        <input type="checkbox" autocomplete="off" data-testid="lock" prop:checked=locked_line disabled=given aria-label=T::FieldOf.fill(lang, &[&T::LockLine.get(lang), &first.name])
                                                            on:change=move |ev| { let _ = options(id, Some(event_target_checked(&ev)), None, None); }/>
                                                        <span aria-hidden="true">{T::LockLine.get(lang)}</span>
                                                    </label>
                                                    {(!person).then(|| view! {
                                                        <button class="btn small ghost" data-testid="split" aria-label=T::SplitFor.fill(lang, &[&first.name]) aria-expanded=move || cascading().to_string()
                                                            on:click=move |_| { cascade_msg.set(None); cascade_for.update(|o| *o = if *o == Some(id) { None } else { Some(id) }) }>{T::Split.get(lang)}</button>
                                                    })}
                                                </span>
                                            </div>
                                        </td>
                                        {cells}
                                        <td class="num muted" data-testid="children-sum">{kids}</td>
                                        {(k == TargetKind::Revenue).then(|| {
                                            let actual = move || row.with(|x| x.as_ref().and_then(|x| x.1.actual));
                                            let att = move || row.with(|x| x.as_ref().and_then(|x| {
                                                let target: i64 = x.1.months.iter().sum();
                                                x.1.actual.map(|a| percent(sales_tiers_core::num::attainment_bp(a, target)))
                                            }));
                                            view! {
                                                <td class="num" data-testid="target-actual">{move || actual().map(money)}</td>
                                                <td class="num" data-testid="target-attainment">{att}</td>
                                            }
                                        })}
                                        <td class="num">
                                            {(!person).then(|| view! {
                                                <input class="cell short-cell" type="text" autocomplete="off" inputmode="decimal" data-testid="buffer" aria-label=T::FieldOf.fill(lang, &[&T::Buffer.get(lang), &first.name]) prop:value=buffer_shown
                                                    on:input=move |_| buffer_msg.set(None)
                                                    on:change=move |ev| {
                                                        // Over 1,000 % is refused by the edit, with its reason: no silent cap.
                                                        let r = parse_buffer(&event_target_value(&ev)).map_err(|e| refusal(|l| e.message(l))).and_then(|v| options(id, None, None, Some(v)));
                                                        if r.is_err() { cell::refused(&ev, buffer_now()); }
                                                        cell::show(s, buffer_msg, r.err());
                                                    }/>
                                                {cell::message(s, buffer_msg)}
                                            })}
                                        </td>
                                        <td class="num">
                                            <input class="cell short-cell" type="text" autocomplete="off" inputmode="numeric" data-testid="weight" aria-label=T::FieldOf.fill(lang, &[&T::Weight.get(lang), &first.name]) prop:value=weight_shown
                                                on:input=move |_| weight_msg.set(None)
                                                on:change=move |ev| {
                                                    let r = parse_target_weight(&event_target_value(&ev)).map_err(|e| refusal(|l| e.message(l)))
                                                        .and_then(|v| options(id, None, Some(v), None));
                                                    if r.is_err() { cell::refused(&ev, weight_now()); }
                                                    cell::show(s, weight_msg, r.err());
                                                }/>
                                            {cell::message(s, weight_msg)}
                                        </td>
                                    </tr>
                                    {cascade_row}
                                }.into_any()
                            }
                        />
                    </tbody>
                </table>
            </div>
        </section>
    }
}
