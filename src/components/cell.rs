//! Number fields edited in place, as in a spreadsheet: typing into a field
//! replaces what it shows however it was focused (a click, Tab, the arrows,
//! Enter moving down), and keeps doing so while nothing has been typed yet;
//! once typing has started, a click places the caret, and a double click or
//! F2 starts editing inside the value. A value a field refuses is explained
//! beside it (and read out by the live region), never as a banner at the
//! top of the page; one such message shows at a time.
//!
//! [`install`] puts the handlers once on the document: they act on text and
//! number inputs that take numbers (class `cell`, `inputmode` decimal or
//! numeric, or `type=number`).

use crate::state::AppState;
use leptos::prelude::*;
use sales_tiers_core::Lang;
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Why a cell refused what was typed, in both languages.
pub type Refusal = (String, String);

/// A number field the event came from, if it is one.
fn cell_of(ev: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let numeric = input.class_list().contains("cell")
        || input.type_() == "number"
        || input.get_attribute("inputmode").is_some_and(|m| m == "decimal" || m == "numeric");
    (matches!(input.type_().as_str(), "text" | "number") && numeric && !input.read_only() && !input.disabled()).then_some(input)
}

/// Set while the field's whole text is selected and nothing has been typed.
const FRESH: &str = "data-fresh";

/// Set while a cell holds text typed into it and not yet committed: the
/// text as typed (the field's value may be written over meanwhile).
const TYPED: &str = "data-typed";

fn focusin(ev: web_sys::Event) {
    if let Some(input) = cell_of(&ev) {
        input.select();
        let _ = input.set_attribute(FRESH, "");
        let _ = input.remove_attribute(TYPED);
    }
}

fn input(ev: web_sys::Event) {
    if let Some(input) = cell_of(&ev) {
        let _ = input.set_attribute(TYPED, &input.value());
    }
}

/// Committed (the `change` event) or left: nothing typed is pending. (A
/// switch to another tab commits too: the change event fires as the
/// window loses the focus.)
fn settled(ev: web_sys::Event) {
    if let Some(input) = cell_of(&ev) {
        let _ = input.remove_attribute(TYPED);
    }
}

/// A cell's typed text was committed (Enter): nothing typed is pending.
fn committed(input: &web_sys::HtmlInputElement) {
    let _ = input.remove_attribute(TYPED);
}

/// Keeps what is being typed into a cell through an update made
/// elsewhere: another tab's edit redraws the row, and the field would show
/// the stored value again, the typing lost. Call before the update; call
/// what it returns after it. The text and its selection are put back
/// before the next paint, and the field commits it as usual (the last
/// value committed wins, as between two people editing one cell).
pub fn keep_typed() -> impl FnOnce() {
    let doc = web_sys::window().and_then(|w| w.document());
    // (Two updates may come in a row: the second finds the field already
    // written over, so the text is the one kept when it was typed.)
    let held = doc.and_then(|d| d.active_element()).and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|i| {
        let text = i.get_attribute(TYPED)?;
        let end = text.encode_utf16().count() as u32;
        let (a, b) = if i.value() == text {
            (i.selection_start().ok().flatten().unwrap_or(end), i.selection_end().ok().flatten().unwrap_or(end))
        } else {
            (end, end)
        };
        Some((text, a, b, i))
    });
    move || {
        let Some((text, a, b, input)) = held else { return };
        request_animation_frame(move || {
            let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
            if active.is_some_and(|e| e == **input) && input.value() != text && input.get_attribute(TYPED).as_ref() == Some(&text) {
                input.set_value(&text);
                let _ = input.set_selection_range(a, b);
            }
        });
    }
}

/// A click that ends on a fresh field keeps its text selected (so typing
/// replaces it); a click in a field being typed into places the caret.
fn mouseup(ev: web_sys::Event) {
    if let Some(input) = cell_of(&ev) {
        if input.has_attribute(FRESH) {
            ev.prevent_default();
            input.select();
        }
    }
}

/// A double click edits inside the value (the word under the pointer is selected).
fn dblclick(ev: web_sys::Event) {
    if let Some(input) = cell_of(&ev) {
        let _ = input.remove_attribute(FRESH);
    }
}

fn keydown(ev: web_sys::Event) {
    let Some(input) = cell_of(&ev) else { return };
    let Some(ev) = ev.dyn_ref::<web_sys::KeyboardEvent>() else { return };
    let key = ev.key();
    let printable = key.chars().count() == 1 && !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key();
    if printable && input.has_attribute(FRESH) {
        input.select();
    }
    if key == "F2" {
        // Edit inside the value: the caret goes to its end.
        let end = input.value().encode_utf16().count() as u32;
        let _ = input.set_selection_range(end, end);
    }
    if printable || key == "Backspace" || key == "Delete" || key == "F2" {
        let _ = input.remove_attribute(FRESH);
    }
}

/// Puts the handlers on the document, once, at start.
pub fn install() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let handlers = [
        ("focusin", focusin as fn(web_sys::Event)),
        ("mouseup", mouseup),
        ("dblclick", dblclick),
        ("keydown", keydown),
        ("input", input),
        ("change", settled),
        ("focusout", settled),
    ];
    for (name, f) in handlers {
        let cb = Closure::<dyn Fn(web_sys::Event)>::new(f);
        let _ = doc.add_event_listener_with_callback_and_bool(name, cb.as_ref().unchecked_ref(), true);
        cb.forget();
    }
}

thread_local! {
    /// The message shown now, if any: one at a time.
    static ACTIVE: RefCell<Option<RwSignal<Option<Refusal>>>> = const { RefCell::new(None) };
}

/// Takes down the message beside a field, if one shows (a valid edit was
/// made, or another field refused something).
pub fn clear_active() {
    if let Some(msg) = ACTIVE.with(|a| a.borrow_mut().take()) {
        msg.try_set(None);
    }
}

/// Puts the cell's shown value back (after a refusal or Escape), selected,
/// so typing replaces it again.
pub fn reset(ev: &web_sys::Event, shown: &str) {
    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
        input.set_value(shown);
        let _ = input.remove_attribute(TYPED);
        if web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element()).is_some_and(|a| a == **input) {
            input.select();
            let _ = input.set_attribute(FRESH, "");
        }
    }
}

/// A value the cell refused: what was typed stays, selected, while the
/// cell keeps the focus (Enter), to be corrected or taken back with
/// Escape; when the focus leaves (Tab, a click elsewhere) the shown value
/// goes back, so the page never shows a number that is not stored.
pub fn refused(ev: &web_sys::Event, shown: String) {
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
    input.select();
    let typed = input.value();
    let el = input.clone();
    // Once, on the next blur: put the stored value back unless it was corrected meanwhile.
    let back = Closure::once_into_js(move || {
        if el.value() == typed {
            el.set_value(&shown);
        }
    });
    let opts = web_sys::AddEventListenerOptions::new();
    opts.set_once(true);
    let _ = input.add_event_listener_with_callback_and_add_event_listener_options("blur", back.unchecked_ref(), &opts);
}

/// Shows a refusal beside the cell and reads it out; `None` clears it.
pub fn show(s: AppState, msg: RwSignal<Option<Refusal>>, refusal: Option<Refusal>) {
    if let Some((zh, en)) = &refusal {
        clear_active();
        s.live.set(if s.lang.get_untracked() == Lang::Zh { zh.clone() } else { en.clone() });
        ACTIVE.with(|a| *a.borrow_mut() = Some(msg));
    }
    msg.set(refusal);
}

/// The message beside a cell, when it refused a value. Shown while its
/// field has the focus, it is scrolled into sight if it is not (below the
/// last row of a box that scrolls, say).
pub fn message(s: AppState, msg: RwSignal<Option<Refusal>>) -> impl IntoView {
    move || {
        msg.get().map(|(zh, en)| {
            let node = NodeRef::<leptos::html::Span>::new();
            node.on_load(|el| {
                // Only while its field has the focus (Enter): a value refused
                // as the focus left for a cell elsewhere does not pull the box back.
                let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
                if !el.parent_element().zip(active).is_some_and(|(cell, a)| cell.contains(Some(&a))) {
                    return;
                }
                crate::browser::scroll_nearest(&el);
            });
            view! { <span class="field-msg" data-testid="field-msg" node_ref=node>{move || if s.lang.get() == Lang::Zh { zh.clone() } else { en.clone() }}</span> }
        })
    }
}

/// A refusal in both languages from anything core explains.
pub fn refusal(message: impl Fn(Lang) -> String) -> Refusal {
    (message(Lang::Zh), message(Lang::En))
}

/// A matrix field's keys (Targets, Budget): Escape takes the typing back;
/// Enter commits what was typed (`commit` gives the text to show, or why
/// it refuses) and moves down, or leaves a refused value selected beside
/// its reason; the arrows move as in [`cell_keys`]. `shown` is the stored
/// value's text now; the field sits at (`r`, `c`).
pub fn matrix_keydown(
    ev: &leptos::ev::KeyboardEvent,
    s: AppState,
    msg: RwSignal<Option<Refusal>>,
    (r, c): (usize, usize),
    shown: impl Fn() -> String,
    commit: impl Fn(String) -> Result<String, Refusal>,
) {
    match ev.key().as_str() {
        "Escape" => {
            reset(ev, &shown());
            msg.set(None)
        }
        "Enter" => {
            ev.prevent_default();
            let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            let typed = input.value();
            if typed != shown() {
                match commit(typed) {
                    Ok(text) => {
                        input.set_value(&text);
                        committed(&input);
                        show(s, msg, None)
                    }
                    Err(e) => {
                        show(s, msg, Some(e));
                        input.select();
                        return;
                    }
                }
            }
            focus_cell(r as i64 + 1, c as i64);
        }
        _ => cell_keys(ev, r, c),
    }
}

/// A matrix field left with a new value (its change event): committed as
/// by Enter, or put back with the reason beside it. What Enter has already
/// saved is no second edit.
pub fn matrix_change(
    ev: &web_sys::Event,
    s: AppState,
    msg: RwSignal<Option<Refusal>>,
    shown: impl Fn() -> String,
    commit: impl Fn(String) -> Result<String, Refusal>,
) {
    let typed = event_target_value(ev);
    if typed == shown() {
        return;
    }
    match commit(typed) {
        Ok(text) => {
            reset(ev, &text);
            show(s, msg, None)
        }
        Err(e) => {
            refused(ev, shown());
            show(s, msg, Some(e))
        }
    }
}

/// Moves focus to the cell at (row, col) if there is one: a matrix's fields
/// carry their place as `data-r` and `data-c`.
pub fn focus_cell(r: i64, c: i64) {
    if let Some(input) = cell_at(r, c) {
        let _ = input.focus();
        input.select();
    }
}

/// The field at (row, col), if there is one.
fn cell_at(r: i64, c: i64) -> Option<web_sys::HtmlInputElement> {
    let doc = web_sys::window()?.document()?;
    doc.query_selector(&format!("input[data-r='{r}'][data-c='{c}']")).ok()??.dyn_into().ok()
}

/// Spreadsheet keys: ↑ ↓ move between rows (Enter too, once its value is taken); ← → at the edge of
/// the text move between columns.
pub fn cell_keys(ev: &leptos::ev::KeyboardEvent, r: usize, c: usize) {
    let (r, c) = (r as i64, c as i64);
    let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
    let (at_start, at_end) = input
        .map(|i| {
            // (Selection offsets count UTF-16 units, as the field's text does.)
            let len = i.value().encode_utf16().count() as u32;
            let (a, b) = (i.selection_start().ok().flatten().unwrap_or(0), i.selection_end().ok().flatten().unwrap_or(0));
            (a == 0 && (b == 0 || b == len), b == len)
        })
        .unwrap_or((true, true));
    match ev.key().as_str() {
        "ArrowDown" => {
            ev.prevent_default();
            // (The last row, or the rows below not built yet: the focus stays.)
            if cell_at(r + 1, c).is_some() {
                if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = t.blur();
                }
                focus_cell(r + 1, c);
            }
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
