//! Organisation: head counts, the tiers, and the org tree with head counts
//! and vacancies, edited in place: add, rename, move (with the subtree),
//! delete, appoint managers, add and edit people. Keyboard-operable: every
//! action is a button, field or select.

use crate::app::reload_demo;
use crate::browser;
use crate::components::common::id_options;
use crate::components::filters::UnitSelect;
use crate::components::person_form::PersonForm;
use crate::components::reveal::{keyed, reveal};
use crate::i18n::{people_count, T};
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::engine::org::{subtree_preorder, unit_counts};
use sales_tiers_core::model::{Status, Text};
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id, Lang, Workspace};
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq, Hash)]
struct Row {
    id: Id,
    depth: usize,
    name: Text,
    manager: Option<(Text, Status)>,
    vacant: bool,
    direct: usize,
    headcount: usize,
    vacancies: usize,
    has_children: bool,
    manager_id: Option<Id>,
    /// Members other than the manager: (id, name, tier name, status).
    members: Vec<(Id, Text, Text, Status)>,
}

fn rows(ws: &Workspace, top: Option<Id>) -> Vec<Row> {
    let Some(root) = top.or_else(|| ws.root().map(|r| r.id)) else {
        return Vec::new();
    };
    let counts = unit_counts(ws);
    // A unit's members who manage nothing: (id, name, role, status, reports).
    type Member = (Id, Text, Text, Status, u32);
    let mut members: std::collections::HashMap<Id, Vec<Member>> = std::collections::HashMap::new();
    for p in ws.people.values() {
        if ws.units.get(&p.unit).and_then(|u| u.manager) == Some(p.id) {
            continue;
        }
        let tier = ws.tiers.get(&p.tier);
        members.entry(p.unit).or_default().push((
            p.id,
            p.name.clone(),
            tier.map(|t| t.name.clone()).unwrap_or_default(),
            p.status,
            tier.map(|t| t.order).unwrap_or(u32::MAX),
        ));
    }
    let has_children: HashSet<Id> = ws.units.values().filter_map(|u| u.parent).collect();
    subtree_preorder(ws, root)
        .into_iter()
        .map(|id| {
            let u = &ws.units[&id];
            let c = &counts[&id];
            let mut m = members.remove(&id).unwrap_or_default();
            m.arrange_by(|a, b| (a.4, &a.1.zh).cmp(&(b.4, &b.1.zh)));
            Row {
                id,
                depth: c.depth,
                name: u.name.clone(),
                manager: u.manager.and_then(|m| ws.people.get(&m)).map(|p| (p.name.clone(), p.status)),
                manager_id: u.manager,
                vacant: c.vacant,
                direct: c.direct,
                headcount: c.headcount,
                vacancies: c.vacancies,
                has_children: has_children.contains(&id),
                members: m.into_iter().map(|(id, n, t, s, _)| (id, n, t, s)).collect(),
            }
        })
        .collect()
}

fn status_badge(status: Status, lang: Lang) -> Option<(&'static str, &'static str)> {
    match status {
        Status::Active => None,
        Status::OnLeave => Some(("badge leave", T::OnLeave.get(lang))),
        Status::Left => Some(("badge left", T::Left.get(lang))),
    }
}

/// The action panel open under one tree row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Panel {
    Menu,
    Rename,
    Move,
    Manager,
    AddUnit,
}

/// Which person dialog is open: edit one, or add one to a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonDialog {
    Edit(Id),
    Add(Id),
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let s = use_app();
    let top = Memo::new(move |_| s.scope_root());
    let all_rows = Memo::new(move |_| {
        let top = top.get();
        s.ws.with(|w| rows(w, top))
    });
    // Folded units are this browser's view of the workspace, kept across
    // visits: the page opens as it was left.
    let collapsed: RwSignal<HashSet<Id>> =
        RwSignal::new(s.ws.with_untracked(|w| crate::storage::folded(w.meta.id).into_iter().filter(|u| w.units.contains_key(u)).collect()));
    let keep_folds = move || {
        let mut units: Vec<Id> = collapsed.with_untracked(|c| c.iter().copied().collect());
        units.arrange();
        crate::storage::set_folded(s.ws.with_untracked(|w| w.meta.id), &units);
    };
    let panel: RwSignal<Option<(Id, Panel)>> = RwSignal::new(None);
    let draft = Draft::new();
    let dialog: RwSignal<Option<PersonDialog>> = RwSignal::new(None);
    // A screenful of rows with the page, the rest in the next tasks.
    let shown = reveal(move || all_rows.with_untracked(|v| v.len()));
    // Each row keyed by its data and the language: an edit rebuilds the rows
    // it changed. Folding a row and opening its panel change the row in
    // place, so the button pressed keeps the focus.
    let keyed_rows = move || {
        let (lang, n) = (s.lang.get(), shown.get());
        keep_focus_in_tree();
        collapsed.with(|hidden| all_rows.with(|rows| keyed(unfolded(rows, hidden).take(n), lang)))
    };
    // The unit whose ⋯ panel is open: a row hears of the panel only when
    // it opens or closes there (every row reading the panel itself was
    // some 260 readers woken by each edit's panel closing at 1,000 people).
    let panel_at = StoredValue::new(Selector::new(move || panel.get().map(|p| p.0)));
    // The row the tree's one Tab stop is on (the last one focused, while
    // shown; else the first): arrow keys move it (see `tree_keys`).
    let current: RwSignal<Option<Id>> = RwSignal::new(None);
    let tab_stop = StoredValue::new(Selector::new(move || {
        let want = current.get();
        collapsed.with(|hidden| {
            all_rows.with(|rows| {
                let mut shown = unfolded(rows, hidden).map(|r| r.id);
                let first = shown.next();
                if first == want {
                    first
                } else {
                    shown.find(|id| Some(*id) == want).or(first)
                }
            })
        })
    }));
    let totals = Memo::new(move |_| {
        let rows = all_rows.get();
        let first = rows.first();
        let people = first.map(|r| r.headcount).unwrap_or(0);
        let vacancies = first.map(|r| r.vacancies).unwrap_or(0);
        (people, rows.len(), s.ws.with(|w| w.tiers.len()), vacancies)
    });
    let tiers = Memo::new(move |_| {
        s.ws.with(|w| {
            w.tiers_in_order()
                .into_iter()
                .map(|t| {
                    let holders = w.people.values().filter(|p| p.tier == t.id && p.status != Status::Left).count();
                    (t.id, t.name.clone(), t.duties.clone(), holders)
                })
                .collect::<Vec<_>>()
        })
    });
    let add_root = move |_| {
        let name = T::MyCompany.text();
        let id = browser::new_id();
        if s.dispatch(Edit::AddUnit { id, name, parent: None }) {
            focus_actions(id);
        }
    };

    view! {
        <section class="page">
            <crate::pages::home::Home/>
            <h2 class="page-title">{move || s.t(T::OverviewTitle)}</h2>
            <div class="stats">
                <div class="stat" data-testid="stat-people"><span class="stat-value">{move || totals.get().0}</span><span class="stat-label">{move || s.t(T::People)}</span></div>
                <div class="stat"><span class="stat-value">{move || totals.get().1}</span><span class="stat-label">{move || s.t(T::Units)}</span></div>
                <div class="stat"><span class="stat-value">{move || totals.get().2}</span><span class="stat-label">{move || s.t(T::Tiers)}</span></div>
                <div class="stat" class:alert=move || totals.get().3 != 0 data-testid="stat-vacancies"><span class="stat-value">{move || totals.get().3}</span><span class="stat-label">{move || s.t(T::Vacancies)}</span></div>
            </div>

            <div class="tier-cards">
                {move || {
                    let lang = s.lang.get();
                    tiers.get().into_iter().enumerate().map(|(i, (_, name, duties, holders))| view! {
                        <article class="card tier-card" data-testid="tier-card">
                            <header>
                                <span class="tier-level">{format!("L{}", i + 1)}</span>
                                <h3>{name.get(lang).to_string()}</h3>
                                <span class="muted">{people_count(holders, lang)}</span>
                            </header>
                            <ul class="duties">
                                {duties.iter().map(|d| view! { <li>{d.get(lang).to_string()}</li> }).collect_view()}
                            </ul>
                        </article>
                    }).collect_view()
                }}
            </div>

            <div class="card">
                <div class="card-head">
                    <h3>{move || s.t(T::Units)}</h3>
                    <div class="spacer"></div>
                    <button class="btn small ghost" data-testid="expand-all" on:click=move |_| { collapsed.set(HashSet::new()); keep_folds(); }>{move || s.t(T::ExpandAll)}</button>
                    <button class="btn small ghost" data-testid="collapse-all" on:click=move |_| {
                        let ids = all_rows.with(|r| r.iter().filter(|r| r.has_children || !r.members.is_empty()).map(|r| r.id).collect());
                        collapsed.set(ids);
                        keep_folds();
                    }>{move || s.t(T::CollapseAll)}</button>
                </div>
                <Show when=move || !all_rows.with(|r| r.is_empty()) fallback=move || view! {
                    <div class="empty" data-testid="no-org">
                        <p>{move || s.t(T::NoOrgYet)}</p>
                        <div class="empty-actions">
                            <button class="btn primary" data-testid="add-root" on:click=add_root>{move || s.t(T::AddRoot)}</button>
                            <a class="btn" data-testid="empty-import" href=move || format!("/data{}", s.global_query())>{move || s.t(T::ImportFile)}</a>
                            <button class="btn" data-testid="load-demo" on:click=move |_| reload_demo(s)>{move || s.t(T::LoadDemo)}</button>
                        </div>
                    </div>
                }>
                    // A tree grid (the ARIA pattern): rows that fold, with cells
                    // under the column heads; the tree is one Tab stop (see `tree_keys`).
                    <div class="tree" role="treegrid" aria-label=move || s.t(T::Units) data-testid="org-tree">
                        <div class="tree-head" role="row">
                            <span role="columnheader">{move || s.t(T::Unit)}</span>
                            <span role="columnheader">{move || s.t(T::Manager)}</span>
                            <span class="num" role="columnheader">{move || s.t(T::Direct)}</span>
                            <span class="num" role="columnheader">{move || s.t(T::Headcount)}</span>
                            <span class="num" role="columnheader">{move || s.t(T::Vacancies)}</span>
                            <span role="columnheader"><span class="visually-hidden">{move || s.t(T::Actions)}</span></span>
                        </div>
                        // Keyed by what a row shows: an edit rebuilds the rows it changed.
                        <For each=keyed_rows key=|x| x.0 children=move |(_, r, lang)| {
                                let id = r.id;
                                // The tree is one Tab stop (the current row); Tab then goes
                                // through the current row's buttons only, and on out.
                                let is_current = Signal::derive(move || tab_stop.with_value(|t| t.selected(&Some(id))));
                                let skip = move || (!is_current.get()).then_some("-1");
                                let is_collapsed = move || collapsed.with(|c| c.contains(&id));
                                let expandable = r.has_children || !r.members.is_empty();
                                let flip = move || { collapsed.update(|c| { if !c.remove(&id) { c.insert(id); } }); keep_folds(); };
                                let toggle = move |_| flip();
                                let manager = match (&r.manager, r.manager_id) {
                                    (Some((n, st)), Some(mid)) => {
                                        let badge = status_badge(*st, lang);
                                        view! {
                                            <span class="manager" role="gridcell">
                                                <button class="link" data-testid="manager-name" tabindex=skip on:click=move |_| dialog.set(Some(PersonDialog::Edit(mid)))>{n.get(lang).to_string()}</button>
                                                {badge.map(|(c, t)| view! { <span class=c>{t}</span> })}
                                                {r.vacant.then(|| view! { <span class="badge vacant">{T::Vacant.get(lang)}</span> })}
                                            </span>
                                        }.into_any()
                                    }
                                    _ => view! { <span class="manager" role="gridcell"><span class="badge vacant" data-testid="vacant">{T::Vacant.get(lang)}</span></span> }.into_any(),
                                };
                                let (members, depth) = (r.members.clone(), r.depth);
                                // No members' line: the row's own height is the placeholder's (style/main.css).
                                let no_members = r.members.is_empty();
                                let chips = move || (!is_collapsed() && !members.is_empty()).then(|| view! {
                                    <div class="members" style=format!("padding-left: {}rem", 2.2 + depth as f32 * 1.4)>
                                        {members.iter().map(|(pid, n, t, st)| {
                                            let badge = status_badge(*st, lang);
                                            let pid = *pid;
                                            view! {
                                                // data-person: the dialog gives the focus back to this chip even when its row was rebuilt.
                                                <button class="chip" data-testid="member" data-person=pid.to_string() tabindex=skip title=t.get(lang).to_string() on:click=move |_| dialog.set(Some(PersonDialog::Edit(pid)))>
                                                    {n.get(lang).to_string()}
                                                    {badge.map(|(c, t)| view! { <span class=c>{t}</span> })}
                                                </button>
                                            }
                                        }).collect_view()}
                                    </div>
                                });
                                let has_panel = move || panel_at.with_value(|p| p.selected(&Some(id)));
                                let open = Memo::new(move |_| if has_panel() { panel.get().filter(|(pid, _)| *pid == id).map(|(_, p)| p) } else { None });
                                let row_panel = move || open.get().map(|p| view! { <RowPanel unit=id panel=p set_panel=panel dialog=dialog draft=draft/> });
                                let unit_name = r.name.get(lang).to_string();
                                // Each ⋯ says whose actions it opens ("Actions: East China").
                                let actions_label = crate::i18n::labelled(lang, T::Actions.get(lang), &unit_name);
                                let data_name = unit_name.clone();
                                let fold_name = unit_name.clone();
                                view! {
                                    <div class="tree-item" class:bare=move || no_members || is_collapsed() role="row" aria-expanded=move || expandable.then(|| (!is_collapsed()).to_string())
                                        use:aria_level={depth + 1} tabindex=move || if is_current.get() { "0" } else { "-1" }
                                        data-testid="tree-row" data-unit=id.to_string() data-name=data_name
                                        // A row is current once anything in it has the focus (a click on its ⋯ too).
                                        on:focusin=move |_| if current.get_untracked() != Some(id) { current.set(Some(id)) }
                                        on:keydown=move |ev| {
                                            // Escape closes the row's ⋯ panel and gives the focus back to its button.
                                            if ev.key() == "Escape" && panel.get_untracked().is_some_and(|p| p.0 == id) {
                                                ev.prevent_default();
                                                panel.set(None);
                                                focus_actions(id);
                                            } else if ev.target() == ev.current_target() {
                                                tree_keys(&ev, expandable, !is_collapsed(), flip);
                                            }
                                        }>
                                        <div class="tree-row" role="none">
                                            <span class="tree-name" role="rowheader" style=format!("padding-left: {}rem", r.depth as f32 * 1.4)>
                                                {if expandable {
                                                    view! { <button class="twisty" tabindex=skip on:click=toggle aria-label=move || s.tf(if is_collapsed() { T::ExpandUnit } else { T::CollapseUnit }, &[&fold_name])>{move || if is_collapsed() { "▸" } else { "▾" }}</button> }.into_any()
                                                } else {
                                                    view! { <span class="twisty-space"></span> }.into_any()
                                                }}
                                                <span class="unit-name">{unit_name}</span>
                                            </span>
                                            {manager}
                                            <span class="num" role="gridcell" data-testid="direct">{r.direct}</span>
                                            <span class="num strong" role="gridcell" data-testid="headcount">{r.headcount}</span>
                                            <span class="num" role="gridcell" class:alert=r.vacancies != 0 data-testid="vacancies">{r.vacancies}</span>
                                            <span class="row-tools" role="gridcell">
                                                <button class="btn small ghost" data-testid="row-actions" tabindex=skip aria-label=actions_label
                                                    aria-expanded=move || has_panel().to_string()
                                                    on:click=move |_| { draft.fresh.set(true); panel.update(|p| *p = if p.map(|x| x.0) == Some(id) { None } else { Some((id, Panel::Menu)) }) }>"⋯"</button>
                                            </span>
                                        </div>
                                        // The panel and the members are cells of the row too (a row holds only cells).
                                        <div role="gridcell" class="row-extra">{row_panel}{chips}</div>
                                    </div>
                                }
                            }
                        />
                    </div>
                </Show>
            </div>
            {move || dialog.get().map(|d| {
                // Closing the dialog gives the focus back to the unit's ⋯ button (its menu is gone).
                let close = Callback::new(move |_| {
                    dialog.set(None);
                    if let PersonDialog::Add(u) = d {
                        focus_actions(u);
                    }
                });
                match d {
                    PersonDialog::Edit(p) => view! { <PersonForm person=Some(p) unit=None on_close=close/> }.into_any(),
                    PersonDialog::Add(u) => view! { <PersonForm person=None unit=Some(u) on_close=close/> }.into_any(),
                }
            })}
        </section>
    }
}

/// Whether the focus is nowhere (on the page itself): where a removed
/// element leaves it.
fn focus_lost() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| {
        let body: Option<web_sys::Element> = d.body().map(Into::into);
        d.active_element().is_none_or(|a| Some(a) == body)
    })
}

/// The rows are about to change: the row with the focus gets it back once
/// they are drawn, if it was lost meanwhile (and nothing else took it: a
/// dialog closing gives it to the row's ⋯). Lost, because the row was
/// rebuilt (an edit to it here or in another tab, an undo), or moved: a
/// keyed list moves a row by taking its element out and putting it back.
/// Gone for good (deleted, under a folded unit), the tree's Tab stop takes
/// it: Tab would otherwise go on from where the row was, out of the tree.
fn keep_focus_in_tree() {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(unit) = doc
        .active_element()
        .and_then(|a| a.closest("[data-testid=tree-row]").ok().flatten())
        .and_then(|row| row.get_attribute("data-unit"))
    else {
        return;
    };
    set_timeout(
        move || {
            if !focus_lost() {
                return;
            }
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
            let row = doc.query_selector(&tree_row_of(&unit)).ok().flatten().or_else(|| doc.query_selector(TAB_STOP).ok().flatten());
            if let Some(row) = row.and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = row.focus();
            }
        },
        std::time::Duration::ZERO,
    );
}

/// The tree's one Tab stop: the current row (rebuilt or not), else the first.
const TAB_STOP: &str = "[data-testid=org-tree] [role=row][tabindex='0']";

/// A unit's row in the tree (for [`crate::browser::when_drawn`]).
fn tree_row(unit: Id) -> String {
    tree_row_of(&unit.to_string())
}

fn tree_row_of(unit: &str) -> String {
    format!("[data-testid=tree-row][data-unit='{unit}']")
}

/// Marks a unit's row for a moment (`.landed`, a fading background) once
/// it is in its new place: a move scrolls the page to follow it, and the
/// focus ring the keyboard would see does not show after a click.
fn show_landed(unit: Id) {
    crate::browser::when_drawn(tree_row(unit), 1, 0, |el| {
        let _ = el.class_list().add_1("landed");
        let el = el.clone();
        set_timeout(move || drop(el.class_list().remove_1("landed")), LANDED);
    });
}

/// How long a moved unit's row stays marked (style/main.css fades it).
const LANDED: std::time::Duration = std::time::Duration::from_millis(1600);

/// The rows shown, in order: those under a folded unit are left out.
fn unfolded<'a>(rows: &'a [Row], hidden: &'a HashSet<Id>) -> impl Iterator<Item = &'a Row> {
    let mut skip_deeper_than: Option<usize> = None;
    rows.iter().filter(move |r| {
        if skip_deeper_than.is_some_and(|d| r.depth > d) {
            return false;
        }
        skip_deeper_than = hidden.contains(&r.id).then_some(r.depth);
        true
    })
}

/// Sets a tree row's `aria-level` (one the view macro has no typed
/// attribute for).
fn aria_level(el: web_sys::Element, level: usize) {
    let _ = el.set_attribute("aria-level", &level.to_string());
}

/// The tree grid's keys on a focused row (the ARIA treegrid pattern): ↑ / ↓ the
/// row above or below, Home / End the first or last; → unfolds a folded
/// row, else goes to its first sub-unit; ← folds an unfolded row, else
/// goes to the unit above it. Rows are found as drawn (their aria-level).
fn tree_keys(ev: &leptos::ev::KeyboardEvent, expandable: bool, expanded: bool, flip: impl Fn()) {
    use wasm_bindgen::JsCast;
    let Some(item) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    let Some(items) = item.closest("[role=treegrid]").ok().flatten().and_then(|t| t.query_selector_all("[role=row][aria-level]").ok())
    else {
        return;
    };
    let row = |i: u32| items.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok());
    let level = |i: u32| row(i).and_then(|e| e.get_attribute("aria-level")).and_then(|l| l.parse::<u32>().ok()).unwrap_or(1);
    let n = items.length();
    let Some(at) = (0..n).find(|&i| row(i).is_some_and(|e| *e == item)) else { return };
    let to = match ev.key().as_str() {
        "ArrowDown" => (at + 1 < n).then_some(at + 1),
        "ArrowUp" => at.checked_sub(1),
        "Home" => Some(0),
        "End" => n.checked_sub(1),
        "ArrowRight" if expandable && !expanded => {
            flip();
            None
        }
        "ArrowRight" => (at + 1 < n && level(at + 1) > level(at)).then_some(at + 1),
        "ArrowLeft" if expandable && expanded => {
            flip();
            None
        }
        "ArrowLeft" => (0..at).rev().find(|&i| level(i) < level(at)),
        _ => return,
    };
    ev.prevent_default();
    if let Some(el) = to.and_then(row) {
        let _ = el.focus();
    }
}

/// Puts the focus on a unit's ⋯ button once the page has drawn it.
fn focus_actions(unit: Id) {
    crate::browser::focus_when_drawn(format!("{} [data-testid=row-actions]", tree_row(unit)), 1);
}

/// What is typed or chosen in the open ⋯ panel. It lives with the page, not
/// the panel: another tab's edit redraws the tree (and the panel) without
/// losing it.
#[derive(Clone, Copy)]
struct Draft {
    zh: RwSignal<String>,
    en: RwSignal<String>,
    target: RwSignal<Option<Id>>,
    manager: RwSignal<Option<Id>>,
    /// The panel was just opened: the focus moves into it once.
    fresh: RwSignal<bool>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            zh: RwSignal::new(String::new()),
            en: RwSignal::new(String::new()),
            target: RwSignal::new(None),
            manager: RwSignal::new(None),
            fresh: RwSignal::new(false),
        }
    }
}

/// The inline action panel of one unit.
#[component]
fn RowPanel(
    unit: Id,
    panel: Panel,
    set_panel: RwSignal<Option<(Id, Panel)>>,
    dialog: RwSignal<Option<PersonDialog>>,
    draft: Draft,
) -> impl IntoView {
    let s = use_app();
    let current = s.ws.with_untracked(|w| w.units.get(&unit).cloned());
    let Some(u) = current else { return ().into_any() };
    let parent = u.parent;
    // Closing the panel gives the focus back to the row's ⋯ button (once
    // the panel, which has the focus, has gone).
    let close = move || {
        crate::focus::let_go();
        set_panel.set(None);
        focus_actions(unit);
    };
    let Draft { zh, en, target, manager, fresh } = draft;
    // Opening a panel starts its draft: the unit's name to rename, nothing to add.
    let go = move |p: Panel| {
        let (name, mgr) = s.ws.with_untracked(|w| w.units.get(&unit).map(|u| (u.name.clone(), u.manager))).unwrap_or_default();
        zh.set(if p == Panel::Rename { name.zh } else { String::new() });
        en.set(if p == Panel::Rename { name.en } else { String::new() });
        target.set(None);
        manager.set(mgr);
        fresh.set(true);
        set_panel.set(Some((unit, p)));
    };
    // Each name with its label; the reader's language first (the field the
    // panel focuses).
    let field = move |chinese: bool| {
        let (value, label, testid) = if chinese { (zh, T::NameZh, "panel-name-zh") } else { (en, T::NameEn, "panel-name-en") };
        view! {
            <label class="panel-field">
                <span class="small muted">{move || s.t(label)}</span>
                <input type="text" data-testid=testid maxlength="120" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </label>
        }
    };
    let names = move || s.lang.get_untracked().reader_first(true, false).map(field);
    let body = match panel {
        Panel::Menu => view! {
            <div class="panel-actions">
                <button class="btn small" data-testid="act-add-unit" on:click=move |_| go(Panel::AddUnit)>{move || s.t(T::AddSubUnit)}</button>
                <button class="btn small" data-testid="act-add-person" on:click=move |_| { close(); dialog.set(Some(PersonDialog::Add(unit))); }>{move || s.t(T::AddPerson)}</button>
                <button class="btn small" data-testid="act-rename" on:click=move |_| go(Panel::Rename)>{move || s.t(T::Rename)}</button>
                <button class="btn small" data-testid="act-move" on:click=move |_| go(Panel::Move)>{move || s.t(T::MoveUnit)}</button>
                <button class="btn small" data-testid="act-manager" on:click=move |_| go(Panel::Manager)>{move || s.t(T::SetManager)}</button>
                <button class="btn small" data-testid="act-send-branch" on:click=move |_| { close(); crate::pages::exchange::send_branch(s, unit); }>{move || s.t(T::SendBranchMenu)}</button>
                <button class="btn small danger" data-testid="act-delete" on:click=move |_| {
                    if s.dispatch(Edit::DeleteUnit { id: unit }) {
                        // Gone with its row: the focus goes to the unit it was under.
                        crate::focus::let_go();
                        set_panel.set(None);
                        if let Some(parent) = parent {
                            crate::browser::focus_when_drawn(tree_row(parent), 3);
                        }
                    }
                }>{move || s.t(T::Delete)}</button>
                <button class="btn small ghost" on:click=move |_| close()>{move || s.t(T::Cancel)}</button>
            </div>
        }
        .into_any(),
        Panel::Rename | Panel::AddUnit => {
            let adding = panel == Panel::AddUnit;
            view! {
                <form class="panel-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let name = Text::new(zh.get_untracked().trim(), en.get_untracked().trim());
                    let id = browser::new_id();
                    let edit = if adding { Edit::AddUnit { id, name, parent: Some(unit) } } else { Edit::RenameUnit { id: unit, name } };
                    if s.dispatch(edit) {
                        close();
                        // A unit added: its row takes the focus where it is drawn (the
                        // parent unfolded), to go on with it; else the ⋯ keeps it.
                        if adding {
                            crate::browser::focus_when_drawn(tree_row(id), 3);
                        }
                    }
                }>
                    <span class="muted">{move || s.t(if adding { T::AddSubUnit } else { T::Rename })}</span>
                    {names()}
                    <button type="submit" class="btn small primary" data-testid="panel-ok">{move || s.t(T::Save)}</button>
                    <button type="button" class="btn small ghost" on:click=move |_| close()>{move || s.t(T::Cancel)}</button>
                </form>
            }
            .into_any()
        }
        Panel::Move => view! {
            <form class="panel-form" on:submit=move |ev| {
                ev.prevent_default();
                if let Some(parent) = target.get_untracked() {
                    if s.dispatch(Edit::MoveUnit { id: unit, parent }) { close(); show_landed(unit); }
                }
            }>
                <span class="muted">{move || s.t(T::MoveUnder)}</span>
                <UnitSelect value=target on_change=Callback::new(move |to| target.set(to)) testid="panel-target" except=unit label=Some(T::MoveUnder)/>
                // Nothing to move under until a unit is chosen.
                <button type="submit" class="btn small primary" data-testid="panel-ok" prop:disabled=move || target.get().is_none()>{move || s.t(T::MoveUnit)}</button>
                <button type="button" class="btn small ghost" on:click=move |_| close()>{move || s.t(T::Cancel)}</button>
            </form>
        }
        .into_any(),
        Panel::Manager => view! {
            <form class="panel-form" on:submit=move |ev| {
                ev.prevent_default();
                if s.dispatch(Edit::SetManager { unit, person: manager.get_untracked() }) { close(); }
            }>
                <span class="muted">{move || s.t(T::SetManager)}</span>
                <select data-testid="panel-manager" aria-label=move || s.t(T::SetManager) on:change=move |ev| manager.set(Id::parse(&event_target_value(&ev)))>
                    <option value="" prop:selected=u.manager.is_none()>{move || s.t(T::Vacant)}</option>
                    {move || {
                        let lang = s.lang.get();
                        let opts: Vec<(Id, String)> = s.ws.with(|w| {
                            let mut v: Vec<_> = w.people.values().filter(|p| p.unit == unit).map(|p| {
                                let tier = w.tiers.get(&p.tier).map(|t| (t.order, t.name.get(lang).to_string())).unwrap_or((u32::MAX, String::new()));
                                (tier.0, p.id, format!("{} · {}", p.name.get(lang), tier.1))
                            }).collect();
                            v.arrange();
                            v.into_iter().map(|(_, id, l)| (id, l)).collect()
                        });
                        id_options(opts, manager.get_untracked())
                    }}
                </select>
                <button type="submit" class="btn small primary" data-testid="panel-ok">{move || s.t(T::Save)}</button>
                <button type="button" class="btn small ghost" on:click=move |_| close()>{move || s.t(T::Cancel)}</button>
            </form>
        }
        .into_any(),
    };
    // Opening the panel moves the focus into it (Escape closes it and returns to the ⋯ button).
    let el: NodeRef<leptos::html::Div> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(el) = el.get() {
            if fresh.get_untracked() {
                fresh.set(false);
                crate::focus::enter(&el)
            }
        }
    });
    // Not in the copy of the screen the next start shows (index.html): the
    // panel is this moment's, not the page's.
    view! { <div class="row-panel" data-testid="row-panel" data-copy="omit" node_ref=el>{body}</div> }.into_any()
}
