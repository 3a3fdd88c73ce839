//! The pieces of a page's filter bar and the selects every page builds the
//! same way: a search box, units, periods, people. Each select shows the
//! value it is given and reports a choice through `on_change`, so a page
//! can keep the value where it likes (a signal, or the URL).

use crate::components::common::unit_options;
use crate::components::crm::owner_options_memo;
use crate::components::format::DASH;
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::calendar::{choices, Period};
use sales_tiers_core::Id;

/// A search field bound to `value`.
#[component]
pub fn SearchBox(value: RwSignal<String>, placeholder: T, testid: &'static str) -> impl IntoView {
    let s = use_app();
    view! {
        <input type="search" data-testid=testid placeholder=move || s.t(placeholder)
            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
    }
}

/// A select of (key, label) choices with an optional first choice whose key
/// is `first_key`; the option whose key equals `value` is selected, and
/// stays so when `value` changes from elsewhere (back / forward).
#[component]
pub fn KeySelect(
    #[prop(into)] choices: Signal<Vec<(String, String)>>,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    testid: &'static str,
    /// The first choice's label; None for no such choice.
    first: Option<Signal<String>>,
    first_key: &'static str,
    /// Its accessible name, where no `<label>` around it gives one.
    #[prop(default = None)]
    label: Option<T>,
) -> impl IntoView {
    // Only for the label (a select drawn without the app, in a test, has none).
    let s = use_context::<crate::state::AppState>();
    // The options are written as one piece of HTML: a thousand people's
    // options built element by element are some five thousand calls from
    // the wasm into the DOM; as text, one call the browser parses. Selects
    // with the same options (a stage and a category on every deal row)
    // clone the parsed options instead of parsing them again (see
    // `fill_options`). The value is set once the options are there, and
    // later changes of the value set the select's value: one update however
    // many options there are, not one per option. The options are written
    // again only when the list itself changes (a memo: a periods list
    // derived from the document is worked out again on any edit), so an
    // open dropdown is not closed by an unrelated edit after a choice.
    let choices = Memo::new(move |_| choices.get());
    let node = NodeRef::<leptos::html::Select>::new();
    // A long list (a thousand people) is written in full only after the
    // page is painted, when the browser is idle, or at once when the select
    // is about to be used (focused, pressed) or given a value it does not
    // show yet: until then it holds the first choice and the one chosen,
    // which is all it shows. At 1,000 people its options were ~10 ms of
    // script (parse, copy) and a third of the style work of opening
    // Payouts or Scorecards.
    let lazy = StoredValue::new(Lazy::Waiting);
    let write = move |el: &web_sys::HtmlSelectElement, first: &Option<String>, now: &[(String, String)], all: bool| {
        let chosen = value.get_untracked();
        let mut html = String::with_capacity(if all { now.len() * 64 } else { 256 });
        if let Some(label) = first {
            option_html(&mut html, first_key, label);
        }
        for (k, l) in now.iter().filter(|(k, _)| all || *k == chosen) {
            option_html(&mut html, k, l);
        }
        fill_options(el, &html);
        el.set_value(&chosen);
        chosen
    };
    // The whole list, if only part of it is written (any time, from any
    // task: a page left meanwhile finds nothing to do).
    let fill = move || {
        if !lazy.try_with_value(|l| matches!(l, Lazy::Partial(_))).unwrap_or(false) {
            return;
        }
        let Some(el) = node.try_get_untracked().flatten() else { return };
        lazy.set_value(Lazy::Whole);
        let first = first.and_then(|l| l.try_get_untracked());
        if let Some(now) = choices.try_with_untracked(|c| c.clone()) {
            write(&el, &first, &now, true);
        }
    };
    // A list with the same keys in the same order (a person or a unit
    // renamed) has only its changed labels written: a rename at 1,000
    // people rewrote the 213 options of the view-as picker.
    Effect::new(move |was: Option<Option<Shown>>| {
        let first = first.map(|l| l.get());
        let now = choices.get();
        let el = node.get()?;
        if lazy.with_value(|l| *l != Lazy::Whole) && now.len() > LAZY_FROM {
            let shown = write(&el, &first, &now, false);
            if lazy.with_value(|l| *l == Lazy::Waiting) {
                crate::browser::after_next_paint(move || crate::browser::when_idle(fill));
                // Should no frame come (a tab in the background), by then anyway.
                set_timeout(fill, std::time::Duration::from_secs(2));
            }
            lazy.set_value(Lazy::Partial(shown));
            // Not the whole list: the next change writes it all.
            return None;
        }
        lazy.set_value(Lazy::Whole);
        let offset = u32::from(first.is_some());
        let relabelled = was.flatten().is_some_and(|(was_first, was)| was_first == first && relabel(&el, offset, &was, &now));
        if !relabelled {
            write(&el, &first, &now, true);
        }
        Some((first, now))
    });
    view! {
        <select data-testid=testid node_ref=node autocomplete="off" aria-label=move || label.zip(s).map(|(t, s)| s.t(t))
            prop:value=move || {
                let v = value.get();
                if lazy.try_with_value(|l| matches!(l, Lazy::Partial(k) if *k != v)).unwrap_or(false) {
                    fill();
                }
                v
            }
            on:focus=move |_| fill() on:pointerdown=move |_| fill()
            on:change=move |ev| on_change.run(event_target_value(&ev))></select>
    }
}

/// Options from which a select's list is written in full only after the
/// page is painted (see [`KeySelect`]): the units of the demo (17) and
/// forms' short lists are written at once.
const LAZY_FROM: usize = 100;

/// How much of a long list a [`KeySelect`] has written.
#[derive(Clone, PartialEq, Eq)]
enum Lazy {
    /// Nothing yet.
    Waiting,
    /// The first choice and the chosen one (its key); the rest comes later.
    Partial(String),
    /// All of it.
    Whole,
}

/// What a select's options show: the first choice's label, then the choices.
type Shown = (Option<String>, Vec<(String, String)>);

/// Writes the labels of `select`'s options (from `offset` on) that differ
/// between `was`, the choices they show, and `now`, when both have the
/// same keys in the same order; false, writing nothing, otherwise.
fn relabel(select: &web_sys::HtmlSelectElement, offset: u32, was: &[(String, String)], now: &[(String, String)]) -> bool {
    if was.len() != now.len() || was.iter().zip(now).any(|(a, b)| a.0 != b.0) {
        return false;
    }
    for (i, (a, b)) in (offset..).zip(was.iter().zip(now)) {
        if a.1 != b.1 {
            if let Some(option) = select.item(i) {
                option.set_text_content(Some(&b.1));
            }
        }
    }
    true
}

/// Appends `<option value="key">label</option>`, the text escaped.
fn option_html(out: &mut String, key: &str, label: &str) {
    out.push_str("<option value=\"");
    html_escape::encode_double_quoted_attribute_to_string(key, out);
    out.push_str("\">");
    html_escape::encode_text_to_string(label, out);
    out.push_str("</option>");
}

thread_local! {
    /// Options parsed lately, by their HTML, the latest first: a list of
    /// deals has a stage and a category select on every row, all alike.
    static PARSED: std::cell::RefCell<Vec<(String, web_sys::HtmlTemplateElement)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Puts `html`'s options in `select` in place of its own: a copy of the
/// ones parsed for the last selects given the same HTML (at 1,000 people a
/// list of deals built 50 rows' selects in ~8 ms by parsing each, in ~2 ms
/// by copying).
fn fill_options(select: &web_sys::HtmlSelectElement, html: &str) {
    use wasm_bindgen::JsCast;
    const KEPT: usize = 8;
    let template = PARSED.with(|p| {
        let mut p = p.borrow_mut();
        if let Some(i) = p.iter().position(|(h, _)| h == html) {
            let hit = p.remove(i);
            let t = hit.1.clone();
            p.insert(0, hit);
            return Some(t);
        }
        let t = web_sys::window()?.document()?.create_element("template").ok()?.dyn_into::<web_sys::HtmlTemplateElement>().ok()?;
        t.set_inner_html(html);
        p.insert(0, (html.to_string(), t.clone()));
        p.truncate(KEPT);
        Some(t)
    });
    match template.and_then(|t| t.content().clone_node_with_deep(true).ok()) {
        Some(options) => select.replace_children_with_node_1(&options),
        None => select.set_inner_html(html),
    }
}

/// A select of records by id: an empty first choice labelled `none` ("—"
/// without one) unless `required`, then `choices`; `label` is its
/// accessible name where no `<label>` around it gives one. Its options are
/// one piece of HTML (see [`KeySelect`]): a form's list of the 212 units
/// of a 1,000-person workspace built as views was ~3 ms to drop when the
/// form closed.
pub fn id_select(
    choices: Signal<Vec<(Id, String)>>,
    value: Signal<Option<Id>>,
    on_change: Callback<Option<Id>>,
    testid: &'static str,
    none: Option<T>,
    required: bool,
    label: Option<T>,
) -> impl IntoView {
    let s = use_app();
    // Options are rebuilt only when the list itself changes, not on every edit.
    let keyed = Memo::new(move |_| choices.get().into_iter().map(|(id, l)| (id.to_string(), l)).collect::<Vec<_>>());
    let first = (!required).then(|| Signal::derive(move || none.map(|t| s.t(t)).unwrap_or(DASH).to_string()));
    // Once per change of the value, not once per option: a derived value
    // (e.g. "the best-paid person in view") is not worked out again for each
    // of a thousand options.
    let key = Memo::new(move |_| value.get().map(|i| i.to_string()).unwrap_or_default());
    let pick = Callback::new(move |k: String| on_change.run(Id::parse(&k)));
    view! { <KeySelect choices=keyed value=key on_change=pick testid=testid first=first first_key="" label=label/> }
}

/// A select over the whole unit tree (names indented), "none" first
/// unless `required`: `none` labels it (e.g. "All units"), "—" without
/// one. `except` leaves a unit out (a unit cannot move under itself);
/// `label` is its accessible name where no `<label>` gives one.
#[component]
pub fn UnitSelect(
    #[prop(into)] value: Signal<Option<Id>>,
    on_change: Callback<Option<Id>>,
    testid: &'static str,
    #[prop(optional)] none: Option<T>,
    #[prop(optional)] required: bool,
    #[prop(optional)] except: Option<Id>,
    #[prop(default = None)] label: Option<T>,
) -> impl IntoView {
    let s = use_app();
    let units = Signal::derive(move || {
        let mut v = s.ws.with(|w| unit_options(w, s.lang.get()));
        v.retain(|(id, _)| Some(*id) != except);
        v
    });
    id_select(units, value, on_change, testid, none, required, label)
}

/// The periods of the fiscal year shown in the plan bar (Q1, its months,
/// Q2, …, the year). With `any`, a first choice (key "all") stands for no
/// period at all.
#[component]
pub fn PeriodSelect(
    #[prop(into)] value: Signal<Option<Period>>,
    on_change: Callback<Option<Period>>,
    testid: &'static str,
    #[prop(optional)] any: Option<T>,
) -> impl IntoView {
    let s = use_app();
    let periods = Signal::derive(move || choices(s.year.get(), s.ws.with(|w| w.settings.fiscal_year_start_month), s.lang.get()));
    let first = any.map(|t| Signal::derive(move || s.t(t).to_string()));
    let key = Signal::derive(move || value.get().map(Period::key).unwrap_or_else(|| "all".into()));
    let pick = Callback::new(move |k: String| on_change.run(Period::from_key(&k)));
    view! { <KeySelect choices=periods value=key on_change=pick testid=testid first=first first_key="all"/> }
}

/// A labelled period select for the plan bar ("Period: Q3").
#[component]
pub fn PeriodPicker(#[prop(into)] period: Signal<Period>, on_change: Callback<Period>, testid: &'static str) -> impl IntoView {
    let s = use_app();
    let pick = Callback::new(move |p: Option<Period>| on_change.run(p.unwrap_or(Period::Year)));
    view! {
        <label><span class="muted small">{move || s.t(T::Period)}</span>
            <PeriodSelect value=Signal::derive(move || Some(period.get())) on_change=pick testid=testid/>
        </label>
    }
}

/// A select of the people who can own records (not leavers) within the
/// view-as scope, by unit then name. A first, empty choice is labelled
/// `none` ("—" without one), unless `required`.
#[component]
pub fn PersonSelect(
    #[prop(into)] value: Signal<Option<Id>>,
    on_change: Callback<Option<Id>>,
    testid: &'static str,
    #[prop(optional)] none: Option<T>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let s = use_app();
    let people = owner_options_memo(s);
    id_select(people.into(), value, on_change, testid, none, required, None)
}

/// The text of a search box's input event, or None while an input method
/// is composing: pinyin typed for Chinese is not yet what is searched for.
/// The composed text comes with `compositionend` (see [`composed_text`]).
pub fn search_text(ev: &leptos::ev::Event) -> Option<String> {
    use wasm_bindgen::JsCast;
    if ev.dyn_ref::<web_sys::InputEvent>().is_some_and(|e| e.is_composing()) {
        return None;
    }
    Some(event_target_value(ev))
}

/// The text of a search box once an input method has composed it.
pub fn composed_text(ev: &leptos::ev::CompositionEvent) -> String {
    event_target_value(ev)
}

/// A search box's `input` and `compositionend` handlers: `search` runs for
/// the text typed, a frame behind the typing. The character typed is
/// painted at once (its frame holds no search: at 1,000 people filtering
/// and rebuilding a list took 20-35 ms), and the search runs in the task
/// after that paint. Of keystrokes typed before it runs, only the last is
/// searched for, so the box never shows older text than was typed. Back or
/// Forward before it runs drops it, and the box shows `searched` again (the
/// search of the entry gone to). Text an input method is still composing
/// is not searched for.
pub fn search_handlers(
    searched: impl Fn() -> String + Copy + 'static,
    search: impl Fn(String) + Copy + 'static,
) -> (impl Fn(leptos::ev::Event) + Copy + 'static, impl Fn(leptos::ev::CompositionEvent) + Copy + 'static) {
    use wasm_bindgen::JsCast;
    let run = crate::components::reveal::Turn::new();
    // The box typed in, while its search waits.
    let waiting: StoredValue<Option<web_sys::HtmlInputElement>, LocalStorage> = StoredValue::new_local(None);
    let popped = window_event_listener_untyped("popstate", move |_| {
        if run.take().is_some() {
            if let Some(input) = waiting.try_update_value(Option::take).flatten() {
                input.set_value(&untrack(searched));
            }
        }
    });
    on_cleanup(move || popped.remove());
    let later = move |ev: &web_sys::Event, text: String| {
        let Some(n) = run.take() else { return };
        waiting.set_value(ev.target().and_then(|t| t.dyn_into().ok()));
        crate::browser::after_next_paint(move || {
            // The page is gone, or more was typed since.
            if run.holds(n) {
                waiting.set_value(None);
                search(text)
            }
        });
    };
    (
        move |ev: leptos::ev::Event| match search_text(&ev) {
            Some(t) => later(&ev, t),
            // Composing: a search still waiting would write its older text
            // into the box and break the composition; it is dropped.
            None => {
                run.take();
            }
        },
        move |ev: leptos::ev::CompositionEvent| later(&ev, composed_text(&ev)),
    )
}
