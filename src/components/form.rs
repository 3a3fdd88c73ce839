//! Labelled form fields bound to a signal: the text inputs and note areas
//! of every dialog and form.

use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;

/// The lengths core takes (`limits`), as fields' `maxlength`: a name, a
/// short text (a task, a next step, a phone), a note.
pub const NAME_MAX: u32 = sales_tiers_core::limits::MAX_NAME_CHARS as u32;
pub const SHORT_MAX: u32 = sales_tiers_core::limits::MAX_SHORT_TEXT_CHARS as u32;
const MAX_NOTE: u32 = sales_tiers_core::limits::MAX_NOTE_CHARS as u32;

/// A labelled input bound to `value` as it is typed.
#[component]
pub fn TextField(
    label: T,
    value: RwSignal<String>,
    #[prop(optional)] testid: Option<&'static str>,
    /// The input's type: "text" unless given ("date", "email", "tel").
    #[prop(optional)]
    kind: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] inputmode: Option<&'static str>,
    /// Spans both columns of a form grid.
    #[prop(optional)]
    wide: bool,
) -> impl IntoView {
    let s = use_app();
    view! {
        <label class=wide.then_some("wide")><span>{move || s.t(label)}</span>
            <input type=kind.unwrap_or("text") data-testid=testid maxlength=maxlength inputmode=inputmode
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            {maxlength.map(|max| view! { <LengthLimit value=value max=max/> })}</label>
    }
}

/// Said under a field once its text is as long as the field takes: the
/// browser stops the typing (and cuts a paste) at `max` without a word.
/// `max` counts as the browser's `maxlength` does (UTF-16 code units).
#[component]
pub fn LengthLimit(value: RwSignal<String>, max: u32) -> impl IntoView {
    let s = use_app();
    let full = move || value.with(|v| v.encode_utf16().count() >= max as usize);
    view! {
        <small class="field-limit" data-testid="length-limit" aria-live="polite">
            {move || full().then(|| T::LengthLimit.fill(s.lang.get(), &[&max]))}
        </small>
    }
}

/// A labelled note area (up to 5,000 characters) bound to `value`; spans
/// both columns of a form grid.
#[component]
pub fn NotesField(label: T, value: RwSignal<String>, #[prop(optional)] testid: Option<&'static str>, rows: u32) -> impl IntoView {
    let s = use_app();
    view! {
        <label class="wide"><span>{move || s.t(label)}</span>
            <textarea rows=rows maxlength=MAX_NOTE data-testid=testid prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            <LengthLimit value=value max=MAX_NOTE/></label>
    }
}
