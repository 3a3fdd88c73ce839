//! Keyboard focus: where it is, and putting it back when the element that
//! had it is re-rendered, or when a dialog or panel closes.
//!
//! An element is found again by what it shows rather than by identity:
//! its `data-testid` (and the data attributes naming a cell) inside the
//! nearest row that carries a `data-name`, so a row rebuilt by an edit
//! gets its focus back on the same control.

use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Where focus was: the element, and how to find its successor (or, when
/// the control itself is gone, its row's first control).
#[derive(Clone)]
pub struct Spot {
    el: Element,
    selector: Option<String>,
    row: Option<String>,
    /// The record the element itself names (a focusable row's data-id).
    record: Option<String>,
    /// The page's address when the spot was taken.
    at: Option<String>,
}

thread_local! {
    /// The element that last received focus.
    static LAST: RefCell<Option<Spot>> = const { RefCell::new(None) };
    /// The element that last received focus outside a notice or banner.
    static BEFORE_BANNER: RefCell<Option<Spot>> = const { RefCell::new(None) };
    /// Openers of the dialogs and panels now open, by ticket.
    static HELD: RefCell<Vec<(u64, Spot)>> = const { RefCell::new(Vec::new()) };
    static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Controls a dialog or panel moves focus to first, then anything else that takes focus.
const FIELDS: &str = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), \
                         textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";
/// Attributes that tell one control of a row from its neighbours.
const KEYS: [&str; 8] = ["data-testid", "data-period", "data-cat", "data-r", "data-c", "data-person", "data-card", "data-id"];
/// Attributes that name a row's record by id, where the row has one.
const ROW_IDS: [&str; 2] = ["data-unit", "data-id"];

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

fn quoted(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Finds one element again only when it was the only one to match.
fn unique(selector: String) -> Option<String> {
    let n = document()?.query_selector_all(&selector).ok()?.length();
    (n == 1).then_some(selector)
}

/// The row around `el`: `[data-testid="row"][data-name="East"]` (or its
/// record's id), when there is one.
fn row_of(el: &Element) -> Option<String> {
    let r = el.parent_element()?.closest("[data-name]").ok().flatten()?;
    let tid = r.get_attribute("data-testid").map(|t| format!("[data-testid={}]", quoted(&t))).unwrap_or_default();
    // A row that names its record by id is found by it: renamed (here or
    // in another tab), it is still the same row.
    let which = ROW_IDS
        .iter()
        .find_map(|k| r.get_attribute(k).map(|v| format!("[{k}={}]", quoted(&v))))
        .unwrap_or_else(|| format!("[data-name={}]", quoted(&r.get_attribute("data-name").unwrap_or_default())));
    Some(format!("{tid}{which}"))
}

/// The record an element names itself (a focusable row), by id.
fn record_of(el: &Element) -> Option<String> {
    ROW_IDS.iter().find_map(|k| el.get_attribute(k))
}

/// `tag[data-testid="cell"][data-period="q1"]` inside the row (see [`row_of`]).
fn selector_of(el: &Element, row: Option<&str>) -> Option<String> {
    el.get_attribute("data-testid")?;
    let own: String = KEYS.iter().filter_map(|k| el.get_attribute(k).map(|v| format!("[{k}={}]", quoted(&v)))).collect();
    let own = format!("{}{own}", el.tag_name().to_lowercase());
    unique(match row {
        Some(r) => format!("{r} {own}"),
        None => own,
    })
}

impl Spot {
    pub fn of(el: &Element) -> Spot {
        let row = row_of(el).and_then(unique);
        let record = record_of(el);
        Spot { el: el.clone(), selector: selector_of(el, row.as_deref()), row, record, at: address() }
    }

    /// The element itself while it is on the page showing the same record
    /// (in the same row), else its successor. (A table whose rows are kept
    /// by place shows another record in the row after a search, a sort or
    /// an edit: the control found then is the one in the record's row,
    /// wherever that is now.)
    fn find(&self) -> Option<Element> {
        let same_row = || self.row.as_deref().is_none_or(|r| self.el.closest(r).ok().flatten().is_some());
        if self.el.is_connected() && same_row() && record_of(&self.el) == self.record {
            return Some(self.el.clone());
        }
        document()?.query_selector(self.selector.as_deref()?).ok().flatten()
    }

    /// Whether the reader is on another page (path) than the spot was taken on.
    fn on_another_page(&self) -> bool {
        let path = |a: &str| a.split(['?', '#']).next().unwrap_or_default().to_string();
        self.at.as_deref().map(path) != address().as_deref().map(path)
    }

    /// The first control of the element's row (a "Make a call" button
    /// became the call it made).
    fn in_row(&self) -> Option<Element> {
        document()?.query_selector(self.row.as_deref()?).ok().flatten()?.query_selector(FOCUSABLE).ok().flatten()
    }

    /// Focuses the element (or its successor) once the page has re-rendered;
    /// failing both, if the focus is nowhere (what closed in the meantime
    /// may have put it somewhere on purpose): its row's first control, else,
    /// on the same page with no dialog left open, the page's search box or
    /// its content. (A person renamed out of the People search leaves no
    /// row: the search that hid them is where the reader goes on from, not
    /// the top of the document.)
    pub fn restore(&self) {
        let spot = self.clone();
        later(move || {
            if focus_on(spot.find()) || !focus_lost() || focus_on(spot.in_row()) {
                return;
            }
            let dialog_open = document().and_then(|d| d.query_selector("[aria-modal=true]").ok().flatten()).is_some();
            // The same page, whatever its query now holds: a search typed
            // just before the row was opened reaches the address while
            // the dialog is open.
            if dialog_open || spot.on_another_page() {
                return;
            }
            let search = document().and_then(|d| d.query_selector("main [role=search] input[type=search]").ok().flatten());
            if !focus_on(search) {
                focus_main();
            }
        });
    }
}

/// Focuses `el` when there is one that takes focus; whether it did.
fn focus_on(el: Option<Element>) -> bool {
    el.is_some_and(|el| focus_element(&el))
}

/// Focuses an HTML or SVG element (the org chart's fold buttons are SVG
/// groups): both have `focus`, on two different web-sys types.
pub fn focus_element(el: &Element) -> bool {
    let focus =
        js_sys::Reflect::get(el, &wasm_bindgen::JsValue::from_str("focus")).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    focus.is_some_and(|f| f.call0(el).is_ok())
}

/// The page's address (path and query).
fn address() -> Option<String> {
    let l = web_sys::window()?.location();
    Some(l.pathname().ok()? + &l.search().ok()?)
}

/// No element has the focus (it is on the body).
fn focus_lost() -> bool {
    document().is_some_and(|d| d.active_element().is_none_or(|a| d.body().is_some_and(|b| a == *b.unchecked_ref::<Element>())))
}

/// Runs `f` after the current round of rendering (effects run in microtasks).
fn later(f: impl FnOnce() + 'static) {
    leptos::prelude::set_timeout(f, std::time::Duration::ZERO);
}

/// The element that last had focus.
fn last() -> Option<Spot> {
    LAST.with(|l| l.borrow().clone())
}

/// What opened a dialog or panel: focus goes back there when it closes.
/// Plain data, so a cleanup (which must be `Send`) can hold it.
#[derive(Clone, Copy, Debug)]
pub struct Held(u64);

/// Holds the element that has focus now (or had it last, when a re-render
/// took it away) until [`Held::give_back`].
pub fn hold() -> Held {
    let active = document().and_then(|d| {
        let body: Option<Element> = d.body().map(|b| b.unchecked_into());
        d.active_element().filter(|a| Some(a) != body.as_ref())
    });
    let spot = active.map(|a| Spot::of(&a)).or_else(last);
    let id = NEXT.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    if let Some(spot) = spot {
        HELD.with(|h| h.borrow_mut().push((id, spot)));
    }
    Held(id)
}

impl Held {
    /// Focuses the opener again (or its successor) once the page has re-rendered.
    pub fn give_back(self) {
        let spot = HELD.with(|h| {
            let mut h = h.borrow_mut();
            h.iter().position(|(id, _)| *id == self.0).map(|i| h.remove(i).1)
        });
        if let Some(spot) = spot {
            spot.restore();
        }
    }
}

/// Focuses the element `selector` finds once the page has re-rendered:
/// where an action replaced the button that had the focus with what comes
/// next (a key made: its backup button), the focus would fall to the page.
pub fn to(selector: &'static str) {
    later(move || {
        focus_on(document().and_then(|d| d.query_selector(selector).ok().flatten()));
    });
}

/// Lets go of the focus, before a re-render removes the element that has
/// it. A focused element removed in the middle of the render makes the
/// browser bring its styles up to date at once, over a page the render
/// has half changed: about 15 ms of a team moved at 1,000 people, against
/// under 1 ms for a blur before the edit. Whoever removes it puts the
/// focus back afterwards.
pub fn let_go() {
    if let Some(el) = document().and_then(|d| d.active_element()).and_then(|a| a.dyn_into::<HtmlElement>().ok()) {
        let _ = el.blur();
    }
}

/// Closes a dialog after an edit it made went through: the focus is let
/// go first (see [`let_go`]), so the edit's re-render does not remove the
/// focused field (5-7 ms of a person renamed at 1,000 people). The dialog
/// gives the focus back to what opened it as it closes.
pub fn close_after_edit(close: leptos::prelude::Callback<()>) {
    use leptos::prelude::Callable;
    let_go();
    close.run(());
}

/// Moves focus into `container` once it is rendered: its first field, or
/// the first thing that takes focus, or the container itself.
///
/// At once when the container is already on the page (the effect that
/// calls this runs after the render): only a task later, a long task
/// queued meanwhile (a list revealing its rows) would leave the focus on
/// the opener, and an Escape pressed then would not reach the panel.
pub fn enter(container: &Element) {
    let go = |c: Element| {
        let target = c.query_selector(FIELDS).ok().flatten().or_else(|| c.query_selector(FOCUSABLE).ok().flatten()).unwrap_or(c);
        if let Ok(el) = target.dyn_into::<HtmlElement>() {
            let _ = el.focus();
        }
    };
    if container.is_connected() {
        go(container.clone());
    }
    // And again after the render, unless the focus is inside already: a
    // focus given back meanwhile (the menu that opened a dialog closing)
    // lands after the first.
    let c = container.clone();
    later(move || {
        let inside = document().and_then(|d| d.active_element()).is_some_and(|a| c.contains(Some(&a)));
        if !inside {
            go(c)
        }
    });
}

/// Keeps Tab and Shift+Tab inside `container` (a modal dialog).
pub fn trap_tab(ev: &web_sys::KeyboardEvent, container: &Element) {
    if ev.key() != "Tab" {
        return;
    }
    let Ok(list) = container.query_selector_all(FOCUSABLE) else { return };
    let items: Vec<HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .filter(|e| e.offset_parent().is_some() || e.get_client_rects().length() > 0)
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
    let active = document().and_then(|d| d.active_element());
    let at = |e: &HtmlElement| active.as_ref().is_some_and(|a| a == e.unchecked_ref::<Element>());
    let outside = active.as_ref().is_none_or(|a| !container.contains(Some(a)));
    if ev.shift_key() && (at(first) || outside) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && (at(last) || outside) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// Focus on the page's content (`<main id="main">`), e.g. after a notice
/// that had it is gone.
///
/// The content takes the focus only while it has it: with a standing
/// `tabindex`, a click on any blank part of a page focused the whole
/// content, and the next Tab went back to its first control at the top.
pub fn focus_main() {
    let Some(main) = document().and_then(|d| d.get_element_by_id("main")) else { return };
    let Ok(el) = main.dyn_into::<HtmlElement>() else { return };
    let _ = el.set_attribute("tabindex", "-1");
    let target = el.clone();
    let drop_tabindex = Closure::once_into_js(move || {
        let _ = target.remove_attribute("tabindex");
    });
    let opts = web_sys::AddEventListenerOptions::new();
    opts.set_once(true);
    let _ = el.add_event_listener_with_callback_and_add_event_listener_options("blur", drop_tabindex.unchecked_ref(), &opts);
    let _ = el.focus();
}

/// After a notice or banner the reader dismissed: the focus goes back to
/// where it was before the banner took it, when that is still on the
/// screen (Tab then goes on from there), else to the page's content.
pub fn back_from_banner() {
    let before = BEFORE_BANNER.with(|b| b.borrow().clone()).and_then(|spot| spot.find());
    let on_screen = before.filter(|el| {
        let r = el.get_bounding_client_rect();
        let height = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(0.0);
        r.width() > 0.0 && r.bottom() > 0.0 && r.top() < height
    });
    if !focus_on(on_screen) {
        focus_main();
    }
}

/// Remembers every focus, and gives focus back to the successor of an
/// element removed while it had focus (a row re-rendered by an edit).
pub fn install() {
    let Some(doc) = document() else { return };
    let on_focus = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if let Some(el) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) {
            let spot = Spot::of(&el);
            if el.closest(".banner").ok().flatten().is_none() {
                BEFORE_BANNER.with(|l| *l.borrow_mut() = Some(spot.clone()));
            }
            LAST.with(|l| *l.borrow_mut() = Some(spot));
        }
    });
    let _ = doc.add_event_listener_with_callback_and_bool("focusin", on_focus.as_ref().unchecked_ref(), true);
    on_focus.forget();

    let on_change = Closure::<dyn Fn()>::new(move || {
        if !focus_lost() {
            return;
        }
        if let Some(spot) = last().filter(|s| !s.el.is_connected()) {
            // On another page now (Back with the focus in a field of the
            // page left): its content, as the skip link does, not the
            // document's top.
            if !focus_on(spot.find()) && spot.on_another_page() {
                focus_main();
            }
        }
    });
    if let (Ok(observer), Some(body)) = (web_sys::MutationObserver::new(on_change.as_ref().unchecked_ref()), doc.body()) {
        let opts = web_sys::MutationObserverInit::new();
        opts.set_child_list(true);
        opts.set_subtree(true);
        let _ = observer.observe_with_options(&body, &opts);
        std::mem::forget(observer);
    }
    on_change.forget();
}
