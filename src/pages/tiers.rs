//! Tiers and their duties: who holds each tier and how many people each of
//! them manages. Tiers are added, renamed, reordered and removed here.

use crate::browser;
use crate::components::common::id_options;
use crate::i18n::{people_count, T};
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::engine::org::unit_counts;
use sales_tiers_core::model::{Status, Text};
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id};

/// Duties as editable text: one per line, "中文 | English".
fn duties_to_text(d: &[Text]) -> String {
    d.iter().map(|t| format!("{} | {}", t.zh, t.en)).collect::<Vec<_>>().join("\n")
}

fn text_to_duties(s: &str) -> Vec<Text> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('|') {
            Some((zh, en)) => Text::new(zh.trim(), en.trim()),
            None => Text::both(l),
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq)]
struct TierView {
    id: Id,
    order: u32,
    name: Text,
    duties: Vec<Text>,
    /// (person, name, people they manage)
    holders: Vec<(Id, Text, Option<usize>)>,
}

#[component]
pub fn TiersPage() -> impl IntoView {
    let s = use_app();
    let editing: RwSignal<Option<Id>> = RwSignal::new(None);
    let removing: RwSignal<Option<Id>> = RwSignal::new(None);
    let tiers = Memo::new(move |_| {
        let scope = s.scope();
        s.ws.with(|w| {
            let counts = unit_counts(w);
            w.tiers_in_order()
                .into_iter()
                .map(|t| {
                    let mut holders: Vec<(Id, Text, Option<usize>)> = w
                        .people
                        .values()
                        .filter(|p| p.tier == t.id && p.status != Status::Left)
                        .filter(|p| scope.as_ref().is_none_or(|sc| sc.contains(&p.unit)))
                        .map(|p| {
                            (
                                p.id,
                                p.name.clone(),
                                w.managed_unit(p.id).and_then(|u| counts.get(&u.id)).map(|c| c.headcount.saturating_sub(1)),
                            )
                        })
                        .collect();
                    holders.arrange_by(|a, b| a.1.zh.cmp(&b.1.zh));
                    TierView { id: t.id, order: t.order, name: t.name.clone(), duties: t.duties.clone(), holders }
                })
                .collect::<Vec<_>>()
        })
    });
    let add = move |_| {
        let id = browser::new_id();
        if s.dispatch(Edit::AddTier { id, name: T::NewTier.text(), duties: vec![] }) {
            editing.set(Some(id));
        }
    };
    // Tiers and duties are a definition the whole workspace shares: shown,
    // not changed, in a branch.
    let branch = Memo::new(move |_| s.ws.with(|w| w.branch.is_some()));
    view! {
        <section class="page">
            <div class="page-head">
                <h2 class="page-title">{move || s.t(T::NavTiers)}</h2>
                <div class="spacer"></div>
                <button class="btn primary" data-testid="add-tier" prop:disabled=move || branch.get() on:click=add>{move || s.t(T::AddTier)}</button>
            </div>
            {move || branch.get().then(|| view! { <p class="muted" data-testid="tiers-read-only">{s.t(T::BranchReadOnly)}</p> })}
            <p class="muted">{move || s.t(T::TiersIntro)}</p>
            {move || {
                let lang = s.lang.get();
                let list = tiers.get();
                let n = list.len();
                list.into_iter().enumerate().map(|(i, t)| {
                    let id = t.id;
                    let is_editing = editing.get() == Some(id);
                    let is_removing = removing.get() == Some(id);
                    let held = t.holders.len();
                    let managers: Vec<_> = t.holders.iter().filter(|h| h.2.is_some()).collect();
                    let span = (!managers.is_empty()).then(|| managers.iter().filter_map(|h| h.2).sum::<usize>() / managers.len());
                    let edit_view = is_editing.then(|| {
                        let zh = RwSignal::new(t.name.zh.clone());
                        let en = RwSignal::new(t.name.en.clone());
                        let duties = RwSignal::new(duties_to_text(&t.duties));
                        view! {
                            <form class="form" data-testid="tier-form" on:submit=move |ev| {
                                ev.prevent_default();
                                let edit = Edit::UpdateTier { id, name: Text::new(zh.get_untracked().trim(), en.get_untracked().trim()), duties: text_to_duties(&duties.get_untracked()) };
                                if s.dispatch(edit) { editing.set(None); }
                            }>
                                <label><span>{s.t(T::NameZh)}</span><input type="text" data-testid="tier-name-zh" maxlength="120" prop:value=move || zh.get() on:input=move |ev| zh.set(event_target_value(&ev))/></label>
                                <label><span>{s.t(T::NameEn)}</span><input type="text" data-testid="tier-name-en" maxlength="120" prop:value=move || en.get() on:input=move |ev| en.set(event_target_value(&ev))/></label>
                                <label><span>{s.t(T::DutiesHelp)}</span><textarea rows="5" data-testid="tier-duties" prop:value=move || duties.get() on:input=move |ev| duties.set(event_target_value(&ev))></textarea></label>
                                <div class="form-actions">
                                    <div class="spacer"></div>
                                    <button type="button" class="btn ghost" on:click=move |_| editing.set(None)>{s.t(T::Cancel)}</button>
                                    <button type="submit" class="btn primary" data-testid="tier-save">{s.t(T::Save)}</button>
                                </div>
                            </form>
                        }
                    });
                    let remove_view = is_removing.then(|| {
                        let target: RwSignal<Option<Id>> = RwSignal::new(None);
                        let others: Vec<(Id, String)> = s.ws.with(|w| w.tiers_in_order().into_iter().filter(|x| x.id != id).map(|x| (x.id, x.name.get(lang).to_string())).collect());
                        view! {
                            <div class="row-panel">
                                <form class="panel-form" on:submit=move |ev| {
                                    ev.prevent_default();
                                    if s.dispatch(Edit::RemoveTier { id, reassign_to: target.get_untracked() }) { removing.set(None); }
                                }>
                                    {(held > 0).then(|| view! {
                                        <span class="muted">{people_count(held, lang)} " → "</span>
                                        <select data-testid="tier-reassign" on:change=move |ev| target.set(Id::parse(&event_target_value(&ev)))>
                                            <option value="">"—"</option>
                                            {id_options(others.clone(), None)}
                                        </select>
                                    })}
                                    <button type="submit" class="btn small danger" data-testid="tier-remove-ok">{s.t(T::RemoveTier)}</button>
                                    <button type="button" class="btn small ghost" on:click=move |_| removing.set(None)>{s.t(T::Cancel)}</button>
                                </form>
                            </div>
                        }
                    });
                    view! {
                        <article class="card tier-row" data-testid="tier" data-name=t.name.get(lang).to_string()>
                            <header class="card-head">
                                <span class="tier-level">{format!("L{}", t.order + 1)}</span>
                                <h3>{t.name.get(lang).to_string()}</h3>
                                <span class="muted">{people_count(held, lang)}</span>
                                {span.map(|x| view! { <span class="muted">" · " {T::AvgSpan.get(lang)} " " {x}</span> })}
                                <div class="spacer"></div>
                                <button class="btn small ghost" data-testid="tier-up" disabled=move || i == 0 || branch.get() aria-label=T::MoveUp.get(lang)
                                    on:click=move |_| { s.dispatch(Edit::MoveTier { id, order: t.order.saturating_sub(1) }); }>"↑"</button>
                                <button class="btn small ghost" data-testid="tier-down" disabled=move || i + 1 == n || branch.get() aria-label=T::MoveDown.get(lang)
                                    on:click=move |_| { s.dispatch(Edit::MoveTier { id, order: t.order + 1 }); }>"↓"</button>
                                <button class="btn small" data-testid="tier-edit" prop:disabled=move || branch.get() on:click=move |_| editing.set(Some(id))>{T::Edit.get(lang)}</button>
                                <button class="btn small danger" data-testid="tier-remove" prop:disabled=move || branch.get() on:click=move |_| removing.set(Some(id))>{T::RemoveTier.get(lang)}</button>
                            </header>
                            {remove_view}
                            {match edit_view {
                                Some(v) => v.into_any(),
                                None => view! {
                                    <div class="tier-body">
                                        <div>
                                            <div class="muted small">{T::Duties.get(lang)}</div>
                                            <ul class="duties">{t.duties.iter().map(|d| view! { <li>{d.get(lang).to_string()}</li> }).collect_view()}</ul>
                                        </div>
                                        <div>
                                            <div class="muted small">{T::Holders.get(lang)}</div>
                                            <div class="members flat">
                                                {t.holders.iter().take(60).map(|(_, name, manages)| view! {
                                                    <span class="chip">{name.get(lang).to_string()}
                                                        {manages.map(|m| view! { <span class="badge">{T::Manages.get(lang)} " " {m}</span> })}
                                                    </span>
                                                }).collect_view()}
                                                {(held > 60).then(|| view! { <span class="muted">"+" {held - 60}</span> })}
                                            </div>
                                        </div>
                                    </div>
                                }.into_any(),
                            }}
                        </article>
                    }
                }).collect_view()
            }}
        </section>
    }
}
