//! The opportunity dialog: fields, stage with its default probability and
//! category, loss reason and the stage history.

use super::{category_label, stage_name, CustomerPick, CustomerText};
use crate::browser;
use crate::components::common::{id_options, Modal};
use crate::components::filters::PersonSelect;
use crate::components::form::{NotesField, TextField, NAME_MAX, SHORT_MAX};
use crate::components::format::money;
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::edit::OpportunityFields;
use sales_tiers_core::io::input::{parse_amount, InputError};
use sales_tiers_core::model::*;
use sales_tiers_core::{Edit, Id, Lang};

#[component]
pub fn OpportunityForm(
    opportunity: Option<Id>,
    #[prop(optional)] customer: Option<Id>,
    on_close: Callback<()>,
    /// Told the saved deal's id (the pipeline shows where it went).
    #[prop(optional)]
    on_saved: Option<Callback<Id>>,
) -> impl IntoView {
    let s = use_app();
    let today = s.today();
    let existing = opportunity.and_then(|id| s.ws.with_untracked(|w| w.opportunities.get(&id).cloned()));
    let first_stage =
        s.ws.with_untracked(|w| w.stages_in_order().iter().find(|x| x.outcome == Outcome::Open).map(|x| (x.id, x.probability)));
    let f = existing.as_ref().map(OpportunityFields::of);
    let customer_field = CustomerText::new(s, f.as_ref().map(|f| f.customer).or(customer));
    let default_owner =
        customer.and_then(|c| s.ws.with_untracked(|w| w.customers.get(&c).and_then(|c| c.owner))).or(s.view_as.get_untracked());
    let name = RwSignal::new(f.as_ref().map(|f| f.name.clone()).unwrap_or_default());
    let owner = RwSignal::new(f.as_ref().map(|f| f.owner).or(default_owner));
    let amount = RwSignal::new(f.as_ref().map(|f| money(f.amount.0)).unwrap_or_default());
    let close = RwSignal::new(f.as_ref().map(|f| f.close_date).unwrap_or(today + chrono::Duration::days(60)).to_string());
    let stage = RwSignal::new(f.as_ref().map(|f| f.stage).or(first_stage.map(|x| x.0)));
    let probability = RwSignal::new(f.as_ref().map(|f| f.probability).or(first_stage.map(|x| x.1)).unwrap_or(10).to_string());
    let category = RwSignal::new(f.as_ref().map(|f| f.category).unwrap_or_default());
    let notes = RwSignal::new(f.as_ref().map(|f| f.notes.clone()).unwrap_or_default());
    let loss = RwSignal::new(f.as_ref().map(|f| f.loss_reason.clone()).unwrap_or_default());
    let margin = RwSignal::new(f.as_ref().and_then(|f| f.margin).map(|m| money(m.0)).unwrap_or_default());
    let created = f.as_ref().map(|f| f.created).unwrap_or(today);
    // Why the form was not saved, in both languages.
    let error = RwSignal::new(None::<(String, String)>);
    let say = move |t: T| error.set(Some((t.get(Lang::Zh).to_string(), t.get(Lang::En).to_string())));
    // A field that did not read: its label and core's reason.
    let bad = move |label: T, e: InputError| {
        error.set(Some((
            format!("{}：{}", label.get(Lang::Zh), e.message(Lang::Zh)),
            format!("{}: {}", label.get(Lang::En), e.message(Lang::En)),
        )))
    };
    let lost = move || stage.get().and_then(|st| s.ws.with(|w| w.stages.get(&st).map(|x| x.outcome == Outcome::Lost))).unwrap_or(false);
    let save = move || {
        let cid = match customer_field.picked(s) {
            Ok(Some(c)) => c,
            Ok(None) => return say(T::PickCustomer),
            Err(reason) => return error.set(Some(reason)),
        };
        let Some(owner_id) = owner.get_untracked() else {
            say(T::PickOwner);
            return;
        };
        let amt = match parse_amount(&amount.get_untracked()) {
            Ok(a) => a,
            Err(e) => return bad(T::Amount, e),
        };
        let Ok(close_date) = chrono::NaiveDate::parse_from_str(&close.get_untracked(), "%Y-%m-%d") else {
            say(T::BadDate);
            return;
        };
        let Ok(p) = probability.get_untracked().trim().trim_end_matches('%').parse::<u8>() else {
            say(T::BadProbability);
            return;
        };
        let mg = match margin.get_untracked().trim() {
            "" => None,
            t => match parse_amount(t) {
                Ok(m) => Some(m),
                Err(e) => return bad(T::GrossMarginField, e),
            },
        };
        let Some(st) = stage.get_untracked() else { return };
        let fields = OpportunityFields {
            name: name.get_untracked(),
            customer: cid,
            owner: owner_id,
            amount: amt,
            close_date,
            stage: st,
            probability: p,
            category: category.get_untracked(),
            notes: notes.get_untracked(),
            created: created.min(close_date),
            loss_reason: loss.get_untracked(),
            margin: mg,
        };
        let by = s.who();
        let id = opportunity.unwrap_or_else(browser::new_id);
        let edit = match opportunity {
            Some(id) => Edit::UpdateOpportunity { id, fields, on: today, by },
            None => Edit::AddOpportunity { id, fields, by },
        };
        if s.dispatch(edit) {
            crate::focus::close_after_edit(on_close);
            if let Some(f) = on_saved {
                f.run(id);
            }
        }
    };
    let delete = move |_| {
        if let Some(id) = opportunity {
            if s.dispatch(Edit::DeleteOpportunity { id }) {
                crate::focus::close_after_edit(on_close);
            }
        }
    };
    let title = Signal::derive(move || match opportunity {
        Some(_) => s.t(T::EditOpportunity).to_string(),
        None => s.t(T::AddOpportunity).to_string(),
    });
    let history = move || {
        let lang = s.lang.get();
        let Some(id) = opportunity else { return Vec::new() };
        s.ws.with(|w| {
            let Some(o) = w.opportunities.get(&id) else { return Vec::new() };
            o.history
                .iter()
                .rev()
                .map(|h| {
                    let to = stage_name(w, h.to, lang);
                    let from = h.from.map(|f| stage_name(w, f, lang));
                    let who = w.person_name(h.by.or(Some(o.owner)), lang);
                    (h.on.to_string(), from.map(|f| format!("{f} → {to}")).unwrap_or(to), who)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Modal title=title on_close=on_close>
            <form class="form-grid" id="opportunity-form" data-testid="opportunity-form" on:input=move |_| error.set(None) on:change=move |_| error.set(None) on:submit=move |ev| { ev.prevent_default(); save() }>
                <TextField label=T::OpportunityName value=name testid="opp-name" maxlength=NAME_MAX wide=true/>
                <label class="wide"><span>{move || s.t(T::Customer)}</span>
                    <CustomerPick field=customer_field testid="opp-customer" on_pick=Callback::new(move |c: Option<Id>| {
                        // A deal is usually its customer's owner's: taken when no owner is picked yet.
                        if owner.get_untracked().is_none() {
                            owner.set(c.and_then(|c| s.ws.with_untracked(|w| w.customers.get(&c).and_then(|x| x.owner))));
                        }
                    })/></label>
                <label><span>{move || s.t(T::Owner)}</span>
                    <PersonSelect value=owner on_change=Callback::new(move |p| owner.set(p)) testid="opp-owner"/></label>
                <TextField label=T::Amount value=amount testid="opp-amount" inputmode="decimal"/>
                <TextField label=T::GrossMarginField value=margin testid="opp-margin" inputmode="decimal"/>
                <TextField label=T::CloseDate value=close kind="date" testid="opp-close"/>
                <label><span>{move || s.t(T::Stage)}</span>
                    <select data-testid="opp-stage" on:change=move |ev| {
                        let id = Id::parse(&event_target_value(&ev));
                        stage.set(id);
                        if let Some(st) = id.and_then(|i| s.ws.with_untracked(|w| w.stages.get(&i).cloned())) {
                            probability.set(st.probability.to_string());
                            category.set(st.category);
                        }
                    }>
                        {move || { let lang = s.lang.get(); id_options(s.ws.with(|w| w.stages_in_order().iter().map(|x| (x.id, x.name.get(lang).to_string())).collect()), stage.get_untracked()) }}
                    </select></label>
                <label><span>{move || s.t(T::Probability)}</span>
                    <input type="number" min="0" max="100" data-testid="opp-probability" prop:value=move || probability.get() on:input=move |ev| probability.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::ForecastCategory)}</span>
                    <select data-testid="opp-category" on:change=move |ev| if let Some(c) = ForecastCategory::OPEN.get(event_target_value(&ev).parse::<usize>().unwrap_or(0)) { category.set(*c) }>
                        {move || { let cur = category.get(); ForecastCategory::OPEN.iter().enumerate().map(|(i, c)| view! { <option value=i.to_string() prop:selected=cur == *c>{category_label(*c, s.lang.get())}</option> }).collect_view() }}
                    </select></label>
                <Show when=lost>
                    <TextField label=T::LossReason value=loss testid="opp-loss" maxlength=SHORT_MAX wide=true/>
                </Show>
                <NotesField label=T::ProductsNotes value=notes rows=2/>
            </form>
            {move || error.get().map(|(zh, en)| view! { <p class="error" role="alert" data-testid="opp-error">{if s.lang.get() == Lang::Zh { zh } else { en }}</p> })}
            <div class="modal-actions">
                {opportunity.map(|_| view! { <button class="btn danger" data-testid="delete-opportunity" on:click=delete>{move || s.t(T::Delete)}</button> })}
                <div class="spacer"></div>
                <button class="btn" on:click=move |_| on_close.run(())>{move || s.t(T::Cancel)}</button>
                <button type="submit" form="opportunity-form" class="btn primary" data-testid="save-opportunity">{move || s.t(T::Save)}</button>
            </div>
            {opportunity.map(|d| view! { <crate::components::work::Timeline deal=d/> })}
            {opportunity.map(|_| view! {
                <h4>{move || s.t(T::StageHistory)}</h4>
                <table class="table compact" data-testid="stage-history">
                    <tbody>
                        {move || history().into_iter().map(|(d, what, who)| view! { <tr><td class="muted">{d}</td><td>{what}</td><td>{who}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            })}
        </Modal>
    }
}
