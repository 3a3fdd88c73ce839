//! A customer picked by typing its name, for the deal, activity and task
//! dialogs: the browser's list suggests the customers in the view-as scope
//! (and key accounts) as the text is typed; customers that share a name
//! are offered with their region, then owner (core's `engine::pick`).

use super::in_scope;
use crate::components::form::{LengthLimit, SHORT_MAX};
use crate::i18n::T;
use crate::state::{use_app, AppState};
use leptos::prelude::*;
use sales_tiers_core::engine::pick::{self, Choice};
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Id, Lang, Workspace};
use std::collections::HashSet;

/// What the field takes: a customer's name with what tells it apart (a short text).
const MAX_TYPED: u32 = SHORT_MAX;

/// The customers a field offers, by name: those in `scope`, key accounts,
/// and `keep` (the one picked already, even when out of scope).
pub fn customer_choices(w: &Workspace, scope: Option<&HashSet<Id>>, lang: Lang, keep: Option<Id>) -> Vec<Choice> {
    let mut items: Vec<(Id, String, Vec<String>)> = w
        .customers
        .values()
        .filter(|c| in_scope(w, scope, c.owner) || c.key_account || Some(c.id) == keep)
        .map(|c| (c.id, c.name.clone(), vec![c.region.clone(), w.person_name(c.owner, lang)]))
        .collect();
    items.arrange_by(|a, b| a.1.cmp(&b.1));
    pick::choices(items)
}

/// What a customer field holds: the text as typed and the customer it names.
#[derive(Clone, Copy)]
pub struct CustomerText {
    pub id: RwSignal<Option<Id>>,
    pub text: RwSignal<String>,
}

impl CustomerText {
    /// A field showing `id`'s name (its label, when another shares the name).
    pub fn new(s: AppState, id: Option<Id>) -> CustomerText {
        let text = id.map(|id| s.ws.with_untracked(|w| label_of(s, w, id))).unwrap_or_default();
        CustomerText { id: RwSignal::new(id), text: RwSignal::new(text) }
    }

    /// The customer picked: Ok(None) when the field is blank; the reason,
    /// in both languages, when the text names no customer or several.
    pub fn picked(self, s: AppState) -> Result<Option<Id>, (String, String)> {
        if let Some(id) = self.id.get_untracked() {
            return Ok(Some(id));
        }
        let typed = self.text.get_untracked();
        if typed.trim().is_empty() {
            return Ok(None);
        }
        let choices = s.ws.with_untracked(|w| customer_choices(w, untrack(move || s.scope()).as_ref(), s.lang.get_untracked(), None));
        let say = |lang: Lang| match pick::named(&choices, &typed) {
            0 => T::NoCustomerNamed.fill(lang, &[&typed.trim()]),
            n => T::CustomersShareName.fill(lang, &[&n, &typed.trim()]),
        };
        Err((say(Lang::Zh), say(Lang::En)))
    }
}

fn label_of(s: AppState, w: &Workspace, id: Id) -> String {
    let choices = customer_choices(w, untrack(move || s.scope()).as_ref(), s.lang.get_untracked(), Some(id));
    choices.into_iter().find(|c| c.id == id).map(|c| c.label).unwrap_or_default()
}

/// The input and its list of suggestions. `on_pick` runs when the customer
/// named changes (a dialog clears the deal picked for another customer).
#[component]
pub fn CustomerPick(field: CustomerText, testid: &'static str, #[prop(optional)] on_pick: Option<Callback<Option<Id>>>) -> impl IntoView {
    let s = use_app();
    let choices = Memo::new(move |_| {
        let (scope, lang) = (s.scope(), s.lang.get());
        s.ws.with(|w| customer_choices(w, scope.as_ref(), lang, field.id.get_untracked()))
    });
    let list = format!("{testid}-list");
    let shared = move || {
        let t = field.text.get();
        choices.with(|c| pick::pick(c, &t).is_none().then(|| pick::named(c, &t)).filter(|n| *n > 1))
    };
    view! {
        <input type="text" data-testid=testid list=list.clone() autocomplete="off" maxlength=MAX_TYPED prop:value=move || field.text.get()
            on:input=move |ev| {
                let t = event_target_value(&ev);
                let id = choices.with_untracked(|c| pick::pick(c, &t));
                field.text.set(t);
                if field.id.get_untracked() != id {
                    field.id.set(id);
                    if let Some(f) = on_pick {
                        f.run(id);
                    }
                }
            }/>
        <datalist id=list>
            {move || choices.with(|c| c.iter().map(|x| view! { <option value=x.label.clone()></option> }).collect_view())}
        </datalist>
        <LengthLimit value=field.text max=MAX_TYPED/>
        <small class="field-limit" data-testid="customer-shared" aria-live="polite">
            {move || shared().map(|n| T::CustomersShareName.fill(s.lang.get(), &[&n, &field.text.get().trim()]))}
        </small>
    }
}
