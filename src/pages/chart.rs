//! Visual org chart (SVG): one box per unit with its manager and head count.
//! Click a box to fold its branch; zoom with the buttons or Ctrl + wheel, pan by
//! dragging; print it on its own.

use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::engine::org::{subtree_with_depth, unit_counts};
use sales_tiers_core::model::Status;
use sales_tiers_core::{Id, Lang, Workspace};
use std::collections::HashSet;

const W: f64 = 176.0;
const H: f64 = 64.0;
const GAP_X: f64 = 14.0;
const GAP_Y: f64 = 44.0;

/// A unit's box: where core's layout put it, in pixels, and what it shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: Id,
    pub x: f64,
    pub y: f64,
    pub name: String,
    pub manager: Option<String>,
    pub vacant: bool,
    pub headcount: usize,
    pub folded: bool,
    pub has_children: bool,
}

/// Core's tidy layout (`engine::chart`) in pixels, with each box's texts.
/// Returns nodes, edges (parent, child) and the total size.
pub fn layout(ws: &Workspace, root: Id, folded: &HashSet<Id>, lang: Lang) -> (Vec<Node>, Vec<(usize, usize)>, f64, f64) {
    let l = sales_tiers_core::engine::chart::layout(ws, root, folded);
    let counts = unit_counts(ws);
    let nodes = l
        .nodes
        .iter()
        .map(|n| {
            let u = &ws.units[&n.id];
            let c = &counts[&n.id];
            Node {
                id: n.id,
                x: n.x * (W + GAP_X),
                y: n.depth as f64 * (H + GAP_Y),
                name: u.name.get(lang).to_string(),
                manager: u
                    .manager
                    .and_then(|m| ws.people.get(&m))
                    .filter(|p| p.status != Status::Left)
                    .map(|p| p.name.get(lang).to_string()),
                vacant: c.vacant,
                headcount: c.headcount,
                folded: n.folded,
                has_children: n.has_children,
            }
        })
        .collect();
    let width = (l.slots as f64 * (W + GAP_X) - GAP_X).max(W);
    let height = l.rows.max(1) as f64 * (H + GAP_Y) - GAP_Y;
    (nodes, l.edges, width, height)
}

/// How wide a character is drawn, in half-width units (CJK and other
/// full-width characters take two).
fn char_units(c: char) -> usize {
    if c.is_ascii() || ('\u{0370}'..'\u{1100}').contains(&c) {
        1
    } else {
        2
    }
}

/// The text cut to about `units` half-width characters, with "…" when cut
/// (the box's title tells the whole of it).
fn clip(s: &str, units: usize) -> String {
    let total: usize = s.chars().map(char_units).sum();
    if total <= units {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        if used + char_units(c) > units.saturating_sub(1) {
            break;
        }
        used += char_units(c);
        out.push(c);
    }
    out.push('…');
    out
}

/// Brings unit `id`'s box to the middle of the chart's width once the
/// chart is drawn again, its branch around it: opening a wrapped region
/// lays its siblings side by side, and the box clicked may move far from
/// where it was.
fn keep_in_view(id: Id) {
    crate::browser::when_drawn(format!("[data-testid=chart-node][data-id=\"{id}\"]"), 5, 0, |el| {
        crate::browser::scroll_into_view(el, web_sys::ScrollLogicalPosition::Center)
    });
}

/// The zoom below which a box's text is too small to read.
const READABLE_ZOOM: f64 = 0.8;
/// The zoom's range, whichever way it is changed (buttons, Ctrl + wheel, Fit).
const MIN_ZOOM: f64 = 0.25;
const MAX_ZOOM: f64 = 3.0;

/// The chart's room in a window `width` wide, as style/main.css lays the
/// page out (the sidebar's width, narrower at 1,024 px and below; the
/// content's padding, narrower at 800 px and below; a page at most
/// 1,180 px wide; the card's padding and border): a first guess, checked
/// once the chart is drawn.
fn room_in(width: f64) -> f64 {
    let sidebar = if width <= 1024.0 { 64.0 } else { 232.0 };
    let padding = if width <= 800.0 { 24.0 } else { 48.0 };
    (width - sidebar - padding).min(1180.0) - 18.0 - 16.0
}

thread_local! {
    /// The room the chart had when last drawn, in pixels (0: not yet).
    static LAST_WIDTH: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

#[component]
pub fn ChartPage() -> impl IntoView {
    let s = use_app();
    // Folded to fit from the start, by the width the chart had last time
    // (or the window's, the first time); checked against the real width
    // once drawn. Folding only then drew the whole tree (212 units at
    // 1,000 people) and at once most of it again.
    let root_now = move || s.scope_root().or_else(|| s.ws.with_untracked(|w| w.root().map(|r| r.id)));
    let fold_for = move |avail: f64| {
        let slots = ((avail / READABLE_ZOOM + GAP_X) / (W + GAP_X)).floor().max(1.0) as usize;
        root_now().map(|root| s.ws.with_untracked(|w| sales_tiers_core::engine::chart::fold_to_fit(w, root, slots))).unwrap_or_default()
    };
    let guess = LAST_WIDTH.get();
    let guess = if guess > 0.0 {
        guess
    } else {
        web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|x| x.as_f64()).map_or(0.0, room_in)
    };
    let first_fold = if guess > 0.0 { untrack(|| fold_for(guess)) } else { HashSet::new() };
    let folded: RwSignal<HashSet<Id>> = RwSignal::new(first_fold.clone());
    let zoom = RwSignal::new(1.0f64);
    let scroller: NodeRef<leptos::html::Div> = NodeRef::new();
    // Drag start: pointer position and the scroll offsets at that moment.
    let drag: RwSignal<Option<(f64, f64, f64, f64)>> = RwSignal::new(None);
    // Whether the pointer went down and moved the chart: the click that
    // ends a drag begun on a box does not fold or open it.
    let panned = StoredValue::new(false);
    // The same units as a table: the chart's text equivalent.
    let (as_table, set_as_table) = crate::url::view_flag("table");
    let chart = Memo::new(move |_| {
        let lang = s.lang.get();
        let f = folded.get();
        let scope_root = s.scope_root();
        s.ws.with(|w| {
            let root = scope_root.or_else(|| w.root().map(|r| r.id));
            root.map(|r| layout(w, r, &f, lang))
        })
    });
    let size = move || chart.with(|c| c.as_ref().map(|c| (c.2 + 40.0, c.3 + 40.0)).unwrap_or((W, H)));
    let fit = move || {
        if let Some(el) = scroller.get_untracked() {
            let avail = el.client_width() as f64 - 16.0;
            let (w, _) = size();
            zoom.set((avail / w).clamp(MIN_ZOOM, 1.5));
        }
    };
    // The top of the chart in the middle of the view (a tree centres its
    // root above its branches), when the chart is wider than the view.
    let center_top = move || {
        if let Some(el) = scroller.get_untracked() {
            let overflow = untrack(size).0 * zoom.get_untracked() - el.client_width() as f64;
            el.set_scroll_left((overflow / 2.0).max(0.0) as i32);
        }
    };
    // Lower levels folded when opening, to fit the screen (a note says so).
    let auto_folded = RwSignal::new(!first_fold.is_empty());
    // Open fitted to the screen at a readable zoom: as many levels from the
    // top as fit (core decides what to fold), zoomed out no further than
    // READABLE_ZOOM; then the root centred if it is still wider.
    // What the last fit set (zoom, folds): a chart that differs from it was
    // changed by hand.
    let fitted: StoredValue<Option<(f64, HashSet<Id>)>> = StoredValue::new(None);
    // Fits the chart to the room it has now; false when it has none yet.
    let fit_to_room = move |el: &web_sys::HtmlDivElement| {
        let avail = el.client_width() as f64 - 16.0;
        if avail <= 0.0 {
            return false;
        }
        LAST_WIDTH.set(avail);
        let fold = untrack(|| fold_for(avail));
        if folded.with_untracked(|f| *f != fold) {
            auto_folded.set(!fold.is_empty());
            folded.set(fold);
        }
        zoom.set((avail / untrack(size).0).clamp(READABLE_ZOOM, 1.0));
        fitted.set_value(Some((zoom.get_untracked(), folded.get_untracked())));
        center_top();
        true
    };
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(el) = scroller.get() else { return false };
        fit_to_room(&el)
    });
    // The window resized: fitted again, until the reader folds or zooms by
    // hand (then the chart is theirs), a moment after the last resize.
    let by_hand = move || fitted.with_value(|f| f.as_ref() != Some(&(zoom.get_untracked(), folded.get_untracked())));
    let resized = StoredValue::new(None::<TimeoutHandle>);
    let on_resize = window_event_listener(leptos::ev::resize, move |_| {
        if by_hand() {
            return;
        }
        if let Some(h) = resized.get_value() {
            h.clear();
        }
        let h = set_timeout_with_handle(
            move || {
                if let Some(el) = scroller.try_get_untracked().flatten() {
                    fit_to_room(&el);
                }
            },
            std::time::Duration::from_millis(150),
        );
        resized.set_value(h.ok());
    });
    on_cleanup(move || on_resize.remove());
    let fold_all_below = move |depth: usize| {
        let ids = s.ws.with(|w| {
            sales_tiers_core::engine::org::units_by_depth(w).into_iter().filter(|(_, d)| *d >= depth).map(|(id, _)| id).collect()
        });
        folded.set(ids);
    };
    view! {
        <section class="page chart-page">
            <div class="page-head">
                <h2 class="page-title">{move || s.t(T::NavChart)}</h2>
                <div class="lang-switch no-print" role="group" aria-label=move || s.t(T::ChartShowAs)>
                    <button class="btn seg small" data-testid="chart-as-chart" aria-pressed=move || (!as_table.get()).to_string() on:click=move |_| set_as_table.run(false)>{move || s.t(T::ChartView)}</button>
                    <button class="btn seg small" data-testid="chart-as-table" aria-pressed=move || as_table.get().to_string() on:click=move |_| set_as_table.run(true)>{move || s.t(T::TableView)}</button>
                </div>
                <div class="spacer"></div>
                // The chart's own tools: the table has none of them.
                <div class="toolbar" class:hidden=move || as_table.get()>
                    <button class="btn small" data-testid="zoom-out" aria-label=move || s.t(T::ZoomOut) on:click=move |_| zoom.update(|z| *z = (*z / 1.25).max(MIN_ZOOM))>"－"</button>
                    <span class="muted small zoom-level" data-testid="zoom-level">{move || format!("{:.0}%", zoom.get() * 100.0)}</span>
                    <button class="btn small" data-testid="zoom-in" aria-label=move || s.t(T::ZoomIn) on:click=move |_| zoom.update(|z| *z = (*z * 1.25).min(MAX_ZOOM))>"＋"</button>
                    <button class="btn small" data-testid="zoom-fit" on:click=move |_| fit()>{move || s.t(T::Fit)}</button>
                    <button class="btn small ghost" on:click=move |_| fold_all_below(1)>{move || s.t(T::ShowRegions)}</button>
                    <button class="btn small ghost" data-testid="chart-expand" on:click=move |_| {
                        folded.set(HashSet::new());
                        // The wider chart keeps its top in view, centred.
                        request_animation_frame(center_top);
                    }>{move || s.t(T::ExpandAll)}</button>
                    <button class="btn small" data-testid="print-chart" on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{move || s.t(T::Print)}</button>
                </div>
            </div>
            <p class="muted small no-print" class:hidden=move || as_table.get()>{move || s.t(T::ChartHelp)}</p>
            <Show when=move || !as_table.get() && auto_folded.get() && !folded.with(|f| f.is_empty())>
                <p class="muted small no-print" data-testid="chart-folded-note">{move || s.t(T::ChartFolded)}</p>
            </Show>
            <Show when=move || as_table.get()>
                <UnitTable/>
            </Show>
            <div class="card chart-card" class:hidden=move || as_table.get()>
                <div class="chart-scroll" node_ref=scroller
                    on:wheel=move |ev: leptos::ev::WheelEvent| {
                        if ev.ctrl_key() || ev.meta_key() {
                            ev.prevent_default();
                            let f = if ev.delta_y() < 0.0 { 1.1 } else { 1.0 / 1.1 };
                            zoom.update(|z| *z = (*z * f).clamp(MIN_ZOOM, MAX_ZOOM));
                        }
                    }
                    on:pointerdown=move |ev: leptos::ev::PointerEvent| {
                        panned.set_value(false);
                        if let Some(el) = scroller.get_untracked() {
                            drag.set(Some((ev.client_x() as f64, ev.client_y() as f64, el.scroll_left() as f64, el.scroll_top() as f64)));
                        }
                    }
                    on:pointermove=move |ev: leptos::ev::PointerEvent| {
                        if let (Some((x0, y0, l, t)), Some(el)) = (drag.get_untracked(), scroller.get_untracked()) {
                            // A few pixels of a shaky click are not a drag.
                            if (ev.client_x() as f64 - x0).abs() + (ev.client_y() as f64 - y0).abs() > 4.0 {
                                panned.set_value(true);
                            }
                            el.set_scroll_left((l - (ev.client_x() as f64 - x0)) as i32);
                            el.set_scroll_top((t - (ev.client_y() as f64 - y0)) as i32);
                        }
                    }
                    on:pointerup=move |_| drag.set(None)
                    on:pointerleave=move |_| drag.set(None)>
                    // A group, not an image: the branch boxes inside are buttons.
                    <svg class="orgchart" data-testid="orgchart" role="group" aria-label=move || s.t(T::NavChart)
                        width=move || format!("{:.0}", size().0 * zoom.get()) height=move || format!("{:.0}", size().1 * zoom.get())
                        viewBox=move || { let (w, h) = size(); format!("-20 -20 {w:.1} {h:.1}") }>
                        {move || chart.get().map(|(nodes, edges, _, _)| {
                            let lang = s.lang.get();
                            // Wrapped siblings (core's engine::chart) hang from a line down the
                            // gap left of their first column, one branch above each line.
                            let mut spine: std::collections::HashMap<usize, f64> = std::collections::HashMap::new();
                            for (p, c) in &edges {
                                let x = spine.entry(*p).or_insert(f64::MAX);
                                *x = x.min(nodes[*c].x - GAP_X / 2.0);
                            }
                            let lines = edges.iter().map(|(p, c)| {
                                let (a, b) = (&nodes[*p], &nodes[*c]);
                                let (x1, y1, x2, y2) = (a.x + W / 2.0, a.y + H, b.x + W / 2.0, b.y);
                                let mid = y1 + GAP_Y / 2.0;
                                let d = if y2 > y1 + GAP_Y + 1.0 {
                                    let (sx, above) = (spine[p], y2 - GAP_Y / 2.0);
                                    format!("M{x1:.1},{y1:.1} V{mid:.1} H{sx:.1} V{above:.1} H{x2:.1} V{y2:.1}")
                                } else {
                                    format!("M{x1:.1},{y1:.1} V{mid:.1} H{x2:.1} V{y2:.1}")
                                };
                                view! { <path class="edge" d=d/> }
                            }).collect_view();
                            let boxes = nodes.into_iter().map(|n| {
                                let id = n.id;
                                let has_children = n.has_children;
                                let flip = move || if has_children { folded.update(|f| { if !f.remove(&id) { f.insert(id); } }) };
                                let manager_full = n.manager.clone().unwrap_or_else(|| T::Vacant.get(lang).to_string());
                                let manager = clip(&manager_full, 22);
                                let count = crate::i18n::people_count(n.headcount, lang);
                                let title = T::ChartNodeTitle.fill(lang, &[&n.name, &manager_full, &count]);
                                let label = T::ChartBox.fill(lang, &[&n.name, &manager_full, &count]);
                                view! {
                                    <g class="node" class:vacant=n.vacant class:folded=n.folded data-testid="chart-node" data-name=n.name.clone() data-id=id.to_string()
                                        transform=format!("translate({:.1},{:.1})", n.x, n.y) on:click=move |_| {
                                            if panned.get_value() {
                                                return panned.set_value(false);
                                            }
                                            flip();
                                            if has_children {
                                                keep_in_view(id)
                                            }
                                        }
                                        // The box is named by its figures; a branch holds its fold button (the keyboard's way in).
                                        role=if has_children { "group" } else { "img" } aria-label=label>
                                        <title>{title}</title>
                                        <rect width=W height=H rx="8"/>
                                        <text class="n-name" x="12" y="22">{clip(&n.name, if has_children { 19 } else { 22 })}</text>
                                        <text class="n-manager" x="12" y="41">{manager}</text>
                                        <text class="n-count" x="12" y="56">{count}</text>
                                        {has_children.then(|| {
                                            let fold_label = if n.folded { T::ChartUnfold } else { T::ChartFold }.fill(lang, &[&n.name]);
                                            view! {
                                                <g class="n-fold-btn" data-testid="chart-fold" role="button" tabindex="0" aria-label=fold_label aria-expanded=(!n.folded).to_string()
                                                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if crate::components::common::pressed(&ev) {
                                                        flip();
                                                        // The chart is drawn again (its boxes moved): the focus stays on this button.
                                                        crate::browser::focus_when_drawn(format!("[data-testid=chart-node][data-id=\"{id}\"] [data-testid=chart-fold]"), 5);
                                                    }>
                                                    <rect class="n-fold-hit" x={W - 28.0} y="6" width="22" height="22" rx="4"/>
                                                    <text class="n-fold" x={W - 17.0} y="22" text-anchor="middle">{if n.folded { "＋" } else { "－" }}</text>
                                                </g>
                                            }
                                        })}
                                    </g>
                                }
                            }).collect_view();
                            view! { <g>{lines}{boxes}</g> }
                        })}
                    </svg>
                </div>
            </div>
        </section>
    }
}

/// The chart's text equivalent: every unit in tree order with the unit it
/// reports to, its manager, head count (itself and below) and vacancies.
#[component]
fn UnitTable() -> impl IntoView {
    let s = use_app();
    let rows = move || {
        let lang = s.lang.get();
        let top = s.scope_root();
        s.ws.with(|w| {
            let Some(root) = top.or_else(|| w.root().map(|r| r.id)) else { return Vec::new() };
            let counts = unit_counts(w);
            let name = |id: &Id| w.units.get(id).map(|u| u.name.get(lang).to_string()).unwrap_or_default();
            subtree_with_depth(w, root)
                .into_iter()
                .map(|(id, depth)| {
                    let u = &w.units[&id];
                    let manager =
                        u.manager.and_then(|m| w.people.get(&m)).filter(|p| p.status != Status::Left).map(|p| p.name.get(lang).to_string());
                    let c = &counts[&id];
                    (name(&id), depth, u.parent.filter(|_| depth > 0).map(|p| name(&p)), manager, c.headcount, c.vacancies)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="card" data-testid="chart-table">
            <table class="table">
                <caption class="visually-hidden">{move || s.t(T::NavChart)}</caption>
                {crate::components::common::table_head([
                    crate::components::common::Col::Text(T::Unit),
                    crate::components::common::Col::Text(T::ReportsTo),
                    crate::components::common::Col::Text(T::Manager),
                    crate::components::common::Col::Num(T::Headcount),
                    crate::components::common::Col::Num(T::Vacancies),
                ])}
                <tbody>
                    {move || {
                        let lang = s.lang.get();
                        rows().into_iter().map(|(name, depth, parent, manager, headcount, vacancies)| view! {
                            <tr data-testid="chart-table-row" data-name=name.clone()>
                                <th scope="row" class="name-col"><span class="tree-name" style=crate::components::tree::indent(depth)>{name.clone()}</span></th>
                                <td>{parent}</td>
                                <td>{manager.unwrap_or_else(|| T::Vacant.get(lang).to_string())}</td>
                                <td class="num">{headcount}</td>
                                <td class="num">{vacancies}</td>
                            </tr>
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}
