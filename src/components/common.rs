//! Small shared view pieces: a modal dialog, option lists and table heads.

use crate::i18n::T;
use crate::state::{use_app, Notice, NoticeKind};
use leptos::prelude::*;
use sales_tiers_core::engine::org::subtree_with_depth;
use sales_tiers_core::model::Status;
use sales_tiers_core::{Id, Lang, Workspace};

/// Units in tree order, indented by depth, for selects.
pub fn unit_options(ws: &Workspace, lang: Lang) -> Vec<(Id, String)> {
    let Some(root) = ws.root() else { return Vec::new() };
    subtree_with_depth(ws, root.id)
        .into_iter()
        .map(|(id, depth)| (id, format!("{}{}", "\u{3000}".repeat(depth), ws.units[&id].name.get(lang))))
        .collect()
}

/// Tiers from the top, for selects.
pub fn tier_options(ws: &Workspace, lang: Lang) -> Vec<(Id, String)> {
    ws.tiers_in_order().into_iter().map(|t| (t.id, t.name.get(lang).to_string())).collect()
}

pub fn status_label(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Active => T::Active.get(lang),
        Status::OnLeave => T::OnLeave.get(lang),
        Status::Left => T::Left.get(lang),
    }
}

/// `<option>`s for (id, label) pairs with one selected.
pub fn id_options(items: Vec<(Id, String)>, selected: Option<Id>) -> impl IntoView {
    items
        .into_iter()
        .map(|(id, label)| view! { <option value=id.to_string() prop:selected=Some(id) == selected>{label}</option> })
        .collect_view()
}

/// A modal dialog; Escape or the close button call `on_close`. Focus moves
/// into it when it opens, stays inside while it is open (Tab wraps) and goes
/// back to what opened it when it closes.
#[component]
pub fn Modal(#[prop(into)] title: Signal<String>, on_close: Callback<()>, children: Children) -> impl IntoView {
    let s = use_app();
    let dialog: NodeRef<leptos::html::Div> = NodeRef::new();
    let opener = crate::focus::hold();
    Effect::new(move |_| {
        if let Some(el) = dialog.get() {
            crate::focus::enter(&el);
        }
    });
    on_cleanup(move || opener.give_back());
    // An error raised while the dialog is open (an edit refused) is said in
    // the dialog, not in the page's notices under the backdrop; the last
    // one stays until another replaces it or the dialog closes.
    let seen = StoredValue::new(s.notices.with_untracked(|v| v.iter().map(|n| n.id).max().unwrap_or(0)));
    let error = RwSignal::new(None::<(String, String)>);
    Effect::new(move |_| {
        let new: Vec<Notice> =
            s.notices.with(|v| v.iter().filter(|n| n.id > seen.get_value() && n.kind == NoticeKind::Error).cloned().collect());
        if let Some(last) = new.last() {
            seen.set_value(last.id);
            error.set(Some((last.zh.clone(), last.en.clone())));
            for n in &new {
                s.dismiss(n.id);
            }
        }
    });
    view! {
        <div class="modal-backdrop" on:click=move |_| on_close.run(())>
            <div class="modal" role="dialog" aria-modal="true" aria-label=move || title.get() tabindex="-1" node_ref=dialog
                on:click=|ev| ev.stop_propagation()
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        on_close.run(())
                    } else if let Some(el) = dialog.get_untracked() {
                        crate::focus::trap_tab(&ev, &el)
                    }
                }>
                <header class="modal-head">
                    <h3>{move || title.get()}</h3>
                    <button class="btn ghost small" data-testid="modal-close" aria-label=move || s.t(T::Close) on:click=move |_| on_close.run(())>"×"</button>
                </header>
                <div class="modal-body">
                    {children()}
                    {move || error.get().map(|(zh, en)| view! { <p class="error" role="alert" data-testid="modal-error">{if s.lang.get() == Lang::Zh { zh } else { en }}</p> })}
                </div>
            </div>
        </div>
    }
}

/// One history line in words.
pub fn history_text(w: &Workspace, e: &sales_tiers_core::model::PersonEvent, lang: Lang) -> String {
    use sales_tiers_core::model::PersonEvent::*;
    let grade = |id: &Id| w.grades.get(id).map(|g| g.name.get(lang).to_string()).unwrap_or_else(|| "—".into());
    let tier = |id: &Id| w.tiers.get(id).map(|g| g.name.get(lang).to_string()).unwrap_or_else(|| "—".into());
    let unit = |id: &Id| w.units.get(id).map(|g| g.name.get(lang).to_string()).unwrap_or_else(|| "—".into());
    match e {
        Promoted { from, to } => match from {
            Some(f) => T::HistGrade.fill(lang, &[&grade(f), &grade(to)]),
            None => T::HistGraded.fill(lang, &[&grade(to)]),
        },
        TierChanged { from, to } => T::HistTier.fill(lang, &[&tier(from), &tier(to)]),
        Moved { from, to } => T::HistMoved.fill(lang, &[&unit(from), &unit(to)]),
        StatusChanged { from, to } => format!("{} → {}", status_label(*from, lang), status_label(*to, lang)),
    }
}

/// A list of bilingual names edited in place (rename in either language,
/// remove) with an add form: skills and budget categories.
#[component]
pub fn NameList(
    /// (id, name, optional badge) in display order.
    #[prop(into)]
    items: Signal<Vec<(Id, sales_tiers_core::model::Text, Option<T>)>>,
    on_rename: Callback<(Id, sales_tiers_core::model::Text), bool>,
    on_remove: Callback<Id, bool>,
    /// Adds a name; true when it was accepted (the fields then clear).
    on_add: Callback<sales_tiers_core::model::Text, bool>,
    add_label: T,
) -> impl IntoView {
    use sales_tiers_core::model::Text;
    let s = use_app();
    let zh = RwSignal::new(String::new());
    let en = RwSignal::new(String::new());
    view! {
        <ul class="plain skills-list">
            {move || {
                let lang = s.lang.get();
                items.get().into_iter().map(|(id, name, badge)| {
                    let (n1, n2) = (name.clone(), name.clone());
                    view! {
                        <li class="panel-form">
                            <input type="text" maxlength="120" prop:value=name.zh.clone() aria-label=T::FieldOf.fill(lang, &[&T::NameZh.get(lang), &name.get(lang)])
                                on:change=move |ev| { on_rename.run((id, Text::new(event_target_value(&ev).trim(), n1.en.clone()))); }/>
                            <input type="text" maxlength="120" prop:value=name.en.clone() aria-label=T::FieldOf.fill(lang, &[&T::NameEn.get(lang), &name.get(lang)])
                                on:change=move |ev| { on_rename.run((id, Text::new(n2.zh.clone(), event_target_value(&ev).trim()))); }/>
                            {badge.map(|b| view! { <span class="badge">{b.get(lang)}</span> })}
                            <button class="btn small ghost" on:click=move |_| { on_remove.run(id); }>{T::Remove.get(lang)}</button>
                        </li>
                    }
                }).collect_view()
            }}
        </ul>
        <form class="panel-form" on:submit=move |ev| {
            ev.prevent_default();
            if on_add.run(Text::new(zh.get_untracked().trim(), en.get_untracked().trim())) {
                zh.set(String::new());
                en.set(String::new());
            }
        }>
            <input type="text" maxlength="120" placeholder=move || s.t(T::NameZh) prop:value=move || zh.get() on:input=move |ev| zh.set(event_target_value(&ev))/>
            <input type="text" maxlength="120" placeholder=move || s.t(T::NameEn) prop:value=move || en.get() on:input=move |ev| en.set(event_target_value(&ev))/>
            <button type="submit" class="btn small">{move || s.t(add_label)}</button>
        </form>
    }
}

/// Whether a key press on an element that acts as a button (a focusable
/// row, a drawn control) presses it: Enter or Space, on the element itself
/// (not on a control inside it), without Ctrl, Alt or Meta (shortcuts).
/// Its default is then prevented: Space would scroll the page, and
/// Enter's keypress would reach the dialog it opens and submit it.
pub fn pressed(ev: &leptos::ev::KeyboardEvent) -> bool {
    let own = ev.target().is_some_and(|t| ev.current_target().is_some_and(|c| c == t));
    let plain = !(ev.ctrl_key() || ev.alt_key() || ev.meta_key());
    let press = own && plain && matches!(ev.key().as_str(), "Enter" | " ");
    if press {
        ev.prevent_default();
    }
    press
}

/// A sortable column header: a click sorts by `col`, a second click reverses;
/// numeric columns start with the largest first. The sort is `sort`, a
/// choice goes to `on_sort` (pages keep it in the URL).
pub fn sort_head<C: Copy + PartialEq + Send + Sync + 'static>(
    sort: Memo<(C, bool)>,
    on_sort: Callback<(C, bool)>,
    col: C,
    label: T,
    num: bool,
) -> impl IntoView {
    let s = use_app();
    let state = move || match sort.get() {
        (c, asc) if c == col => Some(asc),
        _ => None,
    };
    view! {
        <th class=if num { "num" } else { "" }
            aria-sort=move || match state() { Some(true) => "ascending", Some(false) => "descending", None => "none" }>
            <button class="th-btn" data-testid="sort" on:click=move |_| {
                let (c, asc) = sort.get_untracked();
                on_sort.run(if c == col { (c, !asc) } else { (col, !num) })
            }>
                {move || s.t(label)}
                {move || match state() { Some(true) => " ▲", Some(false) => " ▼", None => "" }}
            </button>
        </th>
    }
}

/// A column of a table head: its label, and whether it holds numbers
/// (right-aligned).
#[derive(Clone, Copy)]
pub enum Col {
    Text(T),
    Num(T),
    Blank,
}

/// A table head whose labels follow the language.
pub fn table_head(cols: impl IntoIterator<Item = Col>) -> impl IntoView {
    let s = use_app();
    let cells = cols
        .into_iter()
        .map(|c| match c {
            Col::Text(t) => view! { <th>{move || s.t(t)}</th> }.into_any(),
            Col::Num(t) => view! { <th class="num">{move || s.t(t)}</th> }.into_any(),
            Col::Blank => view! { <th></th> }.into_any(),
        })
        .collect_view();
    view! { <thead><tr>{cells}</tr></thead> }
}
