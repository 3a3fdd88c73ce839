//! Cells edited in place, as in a spreadsheet: typing into a cell replaces
//! what it shows however it was focused (a click, Tab, the arrows), and a
//! second click places the caret to change part of it. A value the cell
//! refuses is put back and the reason shown beside the cell (and read out
//! by the live region), never as a banner at the top of the page.
//!
//! The focus handlers are put once on the table (`on:focusin=cell::focusin`
//! …): they act on its text inputs of class `cell`.

use crate::state::AppState;
use leptos::prelude::*;
use sales_tiers_core::Lang;
use wasm_bindgen::JsCast;

/// Why a cell refused what was typed, in both languages.
pub type Refusal = (String, String);

/// A text cell of the table the event came from, if it is one.
fn cell_of(ev: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    (input.type_() == "text" && input.class_list().contains("cell") && !input.read_only()).then_some(input)
}

const FRESH: &str = "data-fresh";

/// A cell just focused: its text is selected, so typing replaces it.
pub fn focusin(ev: leptos::ev::FocusEvent) {
    if let Some(input) = cell_of(&ev) {
        input.select();
        let _ = input.set_attribute(FRESH, "");
    }
}

/// A click on a cell that already has the focus places the caret.
pub fn mousedown(ev: leptos::ev::MouseEvent) {
    if let Some(input) = cell_of(&ev) {
        let focused = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element()).is_some_and(|a| a == **input);
        if focused {
            let _ = input.remove_attribute(FRESH);
        }
    }
}

/// The click that focused a cell keeps its text selected.
pub fn mouseup(ev: leptos::ev::MouseEvent) {
    if let Some(input) = cell_of(&ev) {
        if input.has_attribute(FRESH) {
            ev.prevent_default();
            input.select();
        }
    }
}

/// The first character typed into a freshly focused cell replaces its text.
pub fn keydown(ev: leptos::ev::KeyboardEvent) {
    let Some(input) = cell_of(&ev) else { return };
    let key = ev.key();
    let printable = key.chars().count() == 1 && !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key();
    if printable && input.has_attribute(FRESH) {
        input.select();
    }
    if printable || key == "Backspace" || key == "Delete" {
        let _ = input.remove_attribute(FRESH);
    }
}

/// Puts the cell's shown value back (after a refusal or Escape).
pub fn reset(ev: &web_sys::Event, shown: &str) {
    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
        input.set_value(shown);
    }
}

/// Shows a refusal beside the cell and reads it out; `None` clears it.
pub fn show(s: AppState, msg: RwSignal<Option<Refusal>>, refusal: Option<Refusal>) {
    if let Some((zh, en)) = &refusal {
        s.live.set(if s.lang.get_untracked() == Lang::Zh { zh.clone() } else { en.clone() });
    }
    msg.set(refusal);
}

/// The message beside a cell, when it refused a value.
pub fn message(s: AppState, msg: RwSignal<Option<Refusal>>) -> impl IntoView {
    move || {
        msg.get().map(|(zh, en)| {
            view! { <span class="field-msg" data-testid="field-msg">{move || if s.lang.get() == Lang::Zh { zh.clone() } else { en.clone() }}</span> }
        })
    }
}

/// A refusal in both languages from anything core explains.
pub fn refusal(message: impl Fn(Lang) -> String) -> Refusal {
    (message(Lang::Zh), message(Lang::En))
}
