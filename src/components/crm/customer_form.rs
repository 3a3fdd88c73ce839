//! The customer dialog: fields, contacts, the customer's opportunities and
//! the history of their stage changes.

use super::{customer_status_label, segment_label, stage_name};
use crate::browser;
use crate::components::common::{table_head, Col, Modal};
use crate::components::filters::PersonSelect;
use crate::components::form::{NotesField, TextField, NAME_MAX, SHORT_MAX};
use crate::components::format::money;
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::edit::CustomerFields;
use sales_tiers_core::model::*;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id};

#[component]
pub fn CustomerForm(customer: Option<Id>, on_close: Callback<()>, on_open_deal: Callback<Id>) -> impl IntoView {
    let s = use_app();
    let existing = customer.and_then(|id| s.ws.with_untracked(|w| w.customers.get(&id).cloned()));
    let today = s.today();
    let default_owner = s.view_as.get_untracked();
    let f = existing.as_ref().map(CustomerFields::of).unwrap_or(CustomerFields {
        name: String::new(),
        industry: String::new(),
        region: String::new(),
        segment: Segment::Medium,
        owner: default_owner,
        key_account: false,
        status: CustomerStatus::Active,
        notes: String::new(),
        created: today,
        contacts: vec![],
    });
    let name = RwSignal::new(f.name.clone());
    let industry = RwSignal::new(f.industry.clone());
    let region = RwSignal::new(f.region.clone());
    let segment = RwSignal::new(f.segment);
    let owner = RwSignal::new(f.owner);
    let key = RwSignal::new(f.key_account);
    let status = RwSignal::new(f.status);
    let notes = RwSignal::new(f.notes.clone());
    let contacts = RwSignal::new(if f.contacts.is_empty() { vec![Contact::default()] } else { f.contacts.clone() });
    let created = f.created;
    let save = move || {
        let fields = CustomerFields {
            name: name.get_untracked(),
            industry: industry.get_untracked(),
            region: region.get_untracked(),
            segment: segment.get_untracked(),
            owner: owner.get_untracked(),
            key_account: key.get_untracked(),
            status: status.get_untracked(),
            notes: notes.get_untracked(),
            created,
            contacts: contacts.get_untracked(),
        };
        let edit = match customer {
            Some(id) => Edit::UpdateCustomer { id, fields },
            None => Edit::AddCustomer { id: browser::new_id(), fields },
        };
        if s.dispatch(edit) {
            crate::focus::close_after_edit(on_close);
        }
    };
    let delete = move |_| {
        if let Some(id) = customer {
            if s.dispatch(Edit::DeleteCustomer { id }) {
                crate::focus::close_after_edit(on_close);
            }
        }
    };
    let title = Signal::derive(move || match customer {
        Some(_) => s.t(T::EditCustomer).to_string(),
        None => s.t(T::AddCustomer).to_string(),
    });
    let deals = move || {
        let lang = s.lang.get();
        let Some(cid) = customer else { return Vec::new() };
        s.ws.with(|w| {
            let mut v: Vec<(chrono::NaiveDate, Id, String, String, String)> = w
                .opportunities
                .values()
                .filter(|o| o.customer == cid)
                .map(|o| (o.close_date, o.id, o.name.clone(), stage_name(w, o.stage, lang), money(o.amount.0)))
                .collect();
            v.arrange();
            v.reverse();
            v
        })
    };
    let history = move || {
        let lang = s.lang.get();
        let Some(cid) = customer else { return Vec::new() };
        s.ws.with(|w| {
            let mut v: Vec<(chrono::NaiveDate, String)> = w
                .opportunities
                .values()
                .filter(|o| o.customer == cid)
                .flat_map(|o| {
                    o.history.iter().map(move |h| {
                        let to = stage_name(w, h.to, lang);
                        let text = match h.from {
                            None => T::DealCreated.fill(lang, &[&o.name, &to]),
                            Some(f) => format!("{} → {to}", crate::i18n::labelled(lang, &o.name, stage_name(w, f, lang))),
                        };
                        (h.on, text)
                    })
                })
                .collect();
            v.arrange();
            v.reverse();
            v.truncate(30);
            v
        })
    };
    view! {
        <Modal title=title on_close=on_close>
            // A form: Enter in a field saves, as in the other dialogs.
            <form class="form-grid" id="customer-form" data-testid="customer-form" on:submit=move |ev| { ev.prevent_default(); save() }>
                <TextField label=T::CustomerName value=name testid="customer-name" maxlength=NAME_MAX wide=true/>
                <TextField label=T::Industry value=industry maxlength=NAME_MAX/>
                <TextField label=T::Region value=region testid="customer-region" maxlength=NAME_MAX/>
                <label><span>{move || s.t(T::Segment)}</span>
                    <select on:change=move |ev| if let Some(x) = Segment::ALL.get(event_target_value(&ev).parse::<usize>().unwrap_or(1)) { segment.set(*x) }>
                        {move || Segment::ALL.iter().enumerate().map(|(i, x)| view! { <option value=i.to_string() prop:selected=segment.get_untracked() == *x>{segment_label(*x, s.lang.get())}</option> }).collect_view()}
                    </select></label>
                <label><span>{move || s.t(T::Owner)}</span>
                    <PersonSelect value=owner on_change=Callback::new(move |p| owner.set(p)) testid="customer-owner"/></label>
                <label><span>{move || s.t(T::Status)}</span>
                    <select on:change=move |ev| if let Some(x) = CustomerStatus::ALL.get(event_target_value(&ev).parse::<usize>().unwrap_or(1)) { status.set(*x) }>
                        {move || CustomerStatus::ALL.iter().enumerate().map(|(i, x)| view! { <option value=i.to_string() prop:selected=status.get_untracked() == *x>{customer_status_label(*x, s.lang.get())}</option> }).collect_view()}
                    </select></label>
                <label class="check"><input type="checkbox" data-testid="customer-key" prop:checked=move || key.get() on:change=move |ev| key.set(event_target_checked(&ev))/>
                    <span>{move || s.t(T::KeyAccount)}</span></label>
                <NotesField label=T::Notes value=notes rows=2/>
            </form>
            <h4>{move || s.t(T::Contacts)}</h4>
            <table class="table compact">
                {table_head([Col::Text(T::Name), Col::Text(T::Role), Col::Text(T::Phone), Col::Text(T::Email), Col::Blank])}
                <tbody>
                    {move || (0..contacts.with(|c| c.len())).map(|i| {
                        let get = move |f: fn(&Contact) -> String| contacts.with(|c| c.get(i).map(f).unwrap_or_default());
                        let set = move |f: fn(&mut Contact, String), v: String| contacts.update(|c| if let Some(x) = c.get_mut(i) { f(x, v) });
                        // Named by contact number and column: "Contact 2: Phone" / "联系人2：电话".
                        let lang = s.lang.get_untracked();
                        let contact = T::ContactN.fill(lang, &[&(i + 1)]);
                        let named = move |col: T| crate::i18n::labelled(lang, &contact, col.get(lang));
                        view! {
                            <tr>
                                <td><input type="text" maxlength=SHORT_MAX aria-label=named(T::Name) prop:value=get(|c| c.name.clone()) on:change=move |ev| set(|c, v| c.name = v, event_target_value(&ev))/></td>
                                <td><input type="text" maxlength=SHORT_MAX aria-label=named(T::Role) prop:value=get(|c| c.role.clone()) on:change=move |ev| set(|c, v| c.role = v, event_target_value(&ev))/></td>
                                <td><input type="text" maxlength=SHORT_MAX aria-label=named(T::Phone) prop:value=get(|c| c.phone.clone()) on:change=move |ev| set(|c, v| c.phone = v, event_target_value(&ev))/></td>
                                <td><input type="text" maxlength=SHORT_MAX aria-label=named(T::Email) prop:value=get(|c| c.email.clone()) on:change=move |ev| set(|c, v| c.email = v, event_target_value(&ev))/></td>
                                <td><button class="btn small ghost" aria-label=T::RemoveContactN.fill(lang, &[&(i + 1)]) on:click=move |_| contacts.update(|c| { if i < c.len() { c.remove(i); } })>"×"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <button class="btn small" on:click=move |_| contacts.update(|c| c.push(Contact::default()))>{move || s.t(T::AddContact)}</button>
            <div class="modal-actions">
                {customer.map(|_| view! { <button class="btn danger" data-testid="delete-customer" on:click=delete>{move || s.t(T::Delete)}</button> })}
                <div class="spacer"></div>
                <button class="btn" on:click=move |_| on_close.run(())>{move || s.t(T::Cancel)}</button>
                <button type="submit" form="customer-form" class="btn primary" data-testid="save-customer">{move || s.t(T::Save)}</button>
            </div>
            {customer.map(|_| view! {
                <h4>{move || s.t(T::Opportunities)}</h4>
                <table class="table compact" data-testid="customer-deals">
                    <tbody>
                        {move || deals().into_iter().map(|(close, id, name, stage, amount)| view! {
                            <tr class="clickable" on:click=move |_| on_open_deal.run(id)>
                                <td>{name}</td><td>{stage}</td><td class="num">{amount}</td><td class="num">{close.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <crate::components::work::Timeline customer=customer.expect("an existing customer")/>
                <h4>{move || s.t(T::History)}</h4>
                <ul class="plain history small">
                    {move || history().into_iter().map(|(d, t)| view! { <li><span class="muted">{d.to_string()}</span>" "{t}</li> }).collect_view()}
                </ul>
            })}
        </Modal>
    }
}
