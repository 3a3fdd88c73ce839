//! Organisation overview: the tiers with their duties and holders, and the
//! org tree with head counts and vacancies. Read-only in this version.

use crate::i18n::{people_count, T};
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::engine::org::{subtree_preorder, unit_counts};
use sales_tiers_core::model::{Status, Text};
use sales_tiers_core::{Id, Lang, Workspace};
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq)]
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
    /// Members other than the manager: (name, tier name, status).
    members: Vec<(Text, Text, Status)>,
}

fn rows(ws: &Workspace) -> Vec<Row> {
    let Some(root) = ws.root() else {
        return Vec::new();
    };
    let counts = unit_counts(ws);
    let mut members: std::collections::HashMap<Id, Vec<(Text, Text, Status, u32)>> = std::collections::HashMap::new();
    for p in ws.people.values() {
        if ws.units.get(&p.unit).and_then(|u| u.manager) == Some(p.id) {
            continue;
        }
        let tier = ws.tiers.get(&p.tier);
        members.entry(p.unit).or_default().push((
            p.name.clone(),
            tier.map(|t| t.name.clone()).unwrap_or_default(),
            p.status,
            tier.map(|t| t.order).unwrap_or(u32::MAX),
        ));
    }
    let has_children: HashSet<Id> = ws.units.values().filter_map(|u| u.parent).collect();
    subtree_preorder(ws, root.id)
        .into_iter()
        .map(|id| {
            let u = &ws.units[&id];
            let c = &counts[&id];
            let mut m = members.remove(&id).unwrap_or_default();
            m.sort_by(|a, b| (a.3, &a.0.zh).cmp(&(b.3, &b.0.zh)));
            Row {
                id,
                depth: c.depth,
                name: u.name.clone(),
                manager: u.manager.and_then(|m| ws.people.get(&m)).map(|p| (p.name.clone(), p.status)),
                vacant: c.vacant,
                direct: c.direct,
                headcount: c.headcount,
                vacancies: c.vacancies,
                has_children: has_children.contains(&id),
                members: m.into_iter().map(|(n, t, s, _)| (n, t, s)).collect(),
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

#[component]
pub fn OverviewPage() -> impl IntoView {
    let s = use_app();
    let all_rows = Memo::new(move |_| s.ws.with(rows));
    let collapsed: RwSignal<HashSet<Id>> = RwSignal::new(HashSet::new());
    let visible = move || {
        let hidden = collapsed.get();
        let mut out = Vec::new();
        let mut skip_deeper_than: Option<usize> = None;
        for r in all_rows.get() {
            if let Some(d) = skip_deeper_than {
                if r.depth > d {
                    continue;
                }
                skip_deeper_than = None;
            }
            if hidden.contains(&r.id) {
                skip_deeper_than = Some(r.depth);
            }
            out.push((hidden.contains(&r.id), r));
        }
        out
    };
    let totals = Memo::new(move |_| {
        s.ws.with(|w| {
            let active = w.people.values().filter(|p| p.status != Status::Left).count();
            let vacancies = w.root().map(|r| unit_counts(w)[&r.id].vacancies).unwrap_or(0);
            (active, w.units.len(), w.tiers.len(), vacancies)
        })
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

    view! {
        <section class="page">
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
                    <button class="btn small ghost" data-testid="expand-all" on:click=move |_| collapsed.set(HashSet::new())>{move || s.t(T::ExpandAll)}</button>
                    <button class="btn small ghost" data-testid="collapse-all" on:click=move |_| {
                        let ids = all_rows.with(|r| r.iter().filter(|r| r.has_children || !r.members.is_empty()).map(|r| r.id).collect());
                        collapsed.set(ids);
                    }>{move || s.t(T::CollapseAll)}</button>
                </div>
                <Show when=move || !all_rows.with(|r| r.is_empty()) fallback=move || view! { <p class="empty" data-testid="no-org">{s.t(T::NoOrgYet)}</p> }>
                    <div class="tree" role="tree" data-testid="org-tree">
                        <div class="tree-head">
                            <span>{move || s.t(T::Unit)}</span>
                            <span>{move || s.t(T::Manager)}</span>
                            <span class="num">{move || s.t(T::Direct)}</span>
                            <span class="num">{move || s.t(T::Headcount)}</span>
                            <span class="num">{move || s.t(T::Vacancies)}</span>
                        </div>
                        {move || {
                            let lang = s.lang.get();
                            visible().into_iter().map(|(is_collapsed, r)| {
                                let id = r.id;
                                let expandable = r.has_children || !r.members.is_empty();
                                let toggle = move |_| collapsed.update(|c| { if !c.remove(&id) { c.insert(id); } });
                                let manager = match (&r.manager, r.vacant) {
                                    (Some((n, st)), _) => {
                                        let badge = status_badge(*st, lang);
                                        view! {
                                            <span class="manager">{n.get(lang).to_string()}
                                                {badge.map(|(c, t)| view! { <span class=c>{t}</span> })}
                                                {r.vacant.then(|| view! { <span class="badge vacant">{T::Vacant.get(lang)}</span> })}
                                            </span>
                                        }.into_any()
                                    }
                                    (None, _) => view! { <span class="badge vacant">{T::Vacant.get(lang)}</span> }.into_any(),
                                };
                                let members = (!is_collapsed && !r.members.is_empty()).then(|| view! {
                                    <div class="members" style=format!("padding-left: {}rem", 2.2 + r.depth as f32 * 1.4)>
                                        {r.members.iter().map(|(n, t, st)| {
                                            let badge = status_badge(*st, lang);
                                            view! {
                                                <span class="chip" title=t.get(lang).to_string()>{n.get(lang).to_string()}
                                                    {badge.map(|(c, t)| view! { <span class=c>{t}</span> })}
                                                </span>
                                            }
                                        }).collect_view()}
                                    </div>
                                });
                                view! {
                                    <div class="tree-item" role="treeitem" aria-expanded=move || expandable.then(|| (!is_collapsed).to_string())
                                        data-testid="tree-row" data-unit=id.to_string()>
                                        <div class="tree-row">
                                            <span class="tree-name" style=format!("padding-left: {}rem", r.depth as f32 * 1.4)>
                                                {if expandable {
                                                    view! { <button class="twisty" on:click=toggle aria-label=move || s.t(if is_collapsed { T::ExpandAll } else { T::CollapseAll })>{if is_collapsed { "▸" } else { "▾" }}</button> }.into_any()
                                                } else {
                                                    view! { <span class="twisty-space"></span> }.into_any()
                                                }}
                                                <span class="unit-name">{r.name.get(lang).to_string()}</span>
                                            </span>
                                            {manager}
                                            <span class="num" data-testid="direct">{r.direct}</span>
                                            <span class="num strong" data-testid="headcount">{r.headcount}</span>
                                            <span class="num" class:alert=r.vacancies != 0 data-testid="vacancies">{r.vacancies}</span>
                                        </div>
                                        {members}
                                    </div>
                                }
                            }).collect_view()
                        }}
                    </div>
                </Show>
            </div>
        </section>
    }
}
