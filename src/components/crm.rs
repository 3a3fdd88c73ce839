//! CRM view pieces shared by the customers, pipeline and forecast pages:
//! labels, the customer and opportunity dialogs, and the CSV import dialog.

use crate::browser;
use crate::components::common::{id_options, Modal};
use crate::i18n::T;
use crate::state::{use_app, AppState, NoticeKind};
use crate::storage;
use leptos::prelude::*;
use sales_tiers_core::edit::{CustomerFields, OpportunityFields};
use sales_tiers_core::engine::plan::format_units;
use sales_tiers_core::io::csv::{self as csvio, category_names, segment_names, status_names, Field, ImportPlan, Table, Target};
use sales_tiers_core::model::*;
use sales_tiers_core::{Edit, Id, Lang, Workspace};
use std::collections::HashSet;

/// Whole currency units with grouping: "1,234,000".
pub fn money(v: i64) -> String {
    format_units(Money(v))
}

/// Coverage in percent as a multiple: 160 → "1.6×"; "—" when there is none.
pub fn coverage_text(pct: Option<i64>) -> String {
    pct.map(|c| format!("{}.{}×", c / 100, (c % 100) / 10)).unwrap_or_else(|| "—".into())
}

/// Basis points as a percentage with one decimal: "87.5%".
pub fn pct_bp(bp: i64) -> String {
    format!("{}.{}%", bp / 100, (bp % 100).abs() / 10)
}

pub fn stage_name(w: &Workspace, id: Id, lang: Lang) -> String {
    w.stages.get(&id).map(|s| s.name.get(lang).to_string()).unwrap_or_else(|| lang.pick("（已删除）", "(removed)").to_string())
}

pub fn category_label(c: ForecastCategory, lang: Lang) -> &'static str {
    let (zh, en) = category_names(c);
    lang.pick(zh, en)
}

pub fn segment_label(s: Segment, lang: Lang) -> &'static str {
    let (zh, en) = segment_names(s);
    lang.pick(zh, en)
}

pub fn customer_status_label(s: CustomerStatus, lang: Lang) -> &'static str {
    let (zh, en) = status_names(s);
    lang.pick(zh, en)
}

/// People who can own records (not leavers), within the view-as scope, by unit then name.
pub fn owner_options(w: &Workspace, lang: Lang, scope: Option<&HashSet<Id>>) -> Vec<(Id, String)> {
    let mut v: Vec<(String, String, Id)> = w
        .people
        .values()
        .filter(|p| p.status != Status::Left && scope.is_none_or(|s| s.contains(&p.unit)))
        .map(|p| {
            let unit = w.units.get(&p.unit).map(|u| u.name.get(lang).to_string()).unwrap_or_default();
            (unit, p.name.get(lang).to_string(), p.id)
        })
        .collect();
    v.sort();
    v.into_iter().map(|(unit, name, id)| (id, format!("{name} · {unit}"))).collect()
}

/// Is this person's record visible under the current view-as scope?
pub fn in_scope(w: &Workspace, scope: Option<&HashSet<Id>>, person: Option<Id>) -> bool {
    match scope {
        None => true,
        Some(s) => person.and_then(|p| w.people.get(&p)).is_some_and(|p| s.contains(&p.unit)),
    }
}

fn download_csv(name: &str, bytes: Vec<u8>) {
    browser::download_bytes(name, "text/csv;charset=utf-8", &bytes);
}

pub fn export_customers(s: AppState, ids: Vec<Id>) {
    let lang = s.lang.get_untracked();
    let bytes = s.ws.with_untracked(|w| csvio::export_customers(w, ids.iter().filter_map(|i| w.customers.get(i)), lang));
    download_csv(&format!("customers-{}.csv", s.today()), bytes);
}

pub fn export_opportunities(s: AppState, ids: Vec<Id>) {
    let lang = s.lang.get_untracked();
    let bytes = s.ws.with_untracked(|w| csvio::export_opportunities(w, ids.iter().filter_map(|i| w.opportunities.get(i)), lang));
    download_csv(&format!("opportunities-{}.csv", s.today()), bytes);
}

// ---------------------------------------------------------------- customer dialog

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
    let save = move |_| {
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
            on_close.run(());
        }
    };
    let delete = move |_| {
        if let Some(id) = customer {
            if s.dispatch(Edit::DeleteCustomer { id }) {
                on_close.run(());
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
            v.sort();
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
                            None => lang.pick(format!("新建商机“{}”（{to}）", o.name), format!("opportunity “{}” created ({to})", o.name)),
                            Some(f) => format!("{}: {} → {to}", o.name, stage_name(w, f, lang)),
                        };
                        (h.on, text)
                    })
                })
                .collect();
            v.sort();
            v.reverse();
            v.truncate(30);
            v
        })
    };
    view! {
        <Modal title=title on_close=on_close>
            <div class="form-grid" data-testid="customer-form">
                <label class="wide"><span>{move || s.t(T::CustomerName)}</span>
                    <input type="text" data-testid="customer-name" maxlength="120" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::Industry)}</span>
                    <input type="text" maxlength="120" prop:value=move || industry.get() on:input=move |ev| industry.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::Region)}</span>
                    <input type="text" maxlength="120" prop:value=move || region.get() on:input=move |ev| region.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::Segment)}</span>
                    <select on:change=move |ev| if let Some(x) = Segment::ALL.get(event_target_value(&ev).parse::<usize>().unwrap_or(1)) { segment.set(*x) }>
                        {move || Segment::ALL.iter().enumerate().map(|(i, x)| view! { <option value=i.to_string() selected=segment.get_untracked() == *x>{segment_label(*x, s.lang.get())}</option> }).collect_view()}
                    </select></label>
                <label><span>{move || s.t(T::Owner)}</span>
                    <select data-testid="customer-owner" on:change=move |ev| owner.set(Id::parse(&event_target_value(&ev)))>
                        <option value="">"—"</option>
                        {move || { let scope = s.scope(); id_options(s.ws.with(|w| owner_options(w, s.lang.get(), scope.as_ref())), owner.get_untracked()) }}
                    </select></label>
                <label><span>{move || s.t(T::Status)}</span>
                    <select on:change=move |ev| if let Some(x) = CustomerStatus::ALL.get(event_target_value(&ev).parse::<usize>().unwrap_or(1)) { status.set(*x) }>
                        {move || CustomerStatus::ALL.iter().enumerate().map(|(i, x)| view! { <option value=i.to_string() selected=status.get_untracked() == *x>{customer_status_label(*x, s.lang.get())}</option> }).collect_view()}
                    </select></label>
                <label class="check"><input type="checkbox" data-testid="customer-key" prop:checked=move || key.get() on:change=move |ev| key.set(event_target_checked(&ev))/>
                    <span>{move || s.t(T::KeyAccount)}</span></label>
                <label class="wide"><span>{move || s.t(T::Notes)}</span>
                    <textarea rows="2" maxlength="5000" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea></label>
            </div>
            <h4>{move || s.t(T::Contacts)}</h4>
            <table class="table compact">
                <thead><tr><th>{move || s.t(T::Name)}</th><th>{move || s.t(T::Role)}</th><th>{move || s.t(T::Phone)}</th><th>{move || s.t(T::Email)}</th><th></th></tr></thead>
                <tbody>
                    {move || (0..contacts.with(|c| c.len())).map(|i| {
                        let get = move |f: fn(&Contact) -> String| contacts.with(|c| c.get(i).map(f).unwrap_or_default());
                        let set = move |f: fn(&mut Contact, String), v: String| contacts.update(|c| if let Some(x) = c.get_mut(i) { f(x, v) });
                        view! {
                            <tr>
                                <td><input type="text" maxlength="300" prop:value=get(|c| c.name.clone()) on:change=move |ev| set(|c, v| c.name = v, event_target_value(&ev))/></td>
                                <td><input type="text" maxlength="300" prop:value=get(|c| c.role.clone()) on:change=move |ev| set(|c, v| c.role = v, event_target_value(&ev))/></td>
                                <td><input type="text" maxlength="300" prop:value=get(|c| c.phone.clone()) on:change=move |ev| set(|c, v| c.phone = v, event_target_value(&ev))/></td>
                                <td><input type="text" maxlength="300" prop:value=get(|c| c.email.clone()) on:change=move |ev| set(|c, v| c.email = v, event_target_value(&ev))/></td>
                                <td><button class="btn small ghost" on:click=move |_| contacts.update(|c| { if i < c.len() { c.remove(i); } })>"×"</button></td>
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
                <button class="btn primary" data-testid="save-customer" on:click=save>{move || s.t(T::Save)}</button>
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
                <h4>{move || s.t(T::History)}</h4>
                <ul class="plain history small">
                    {move || history().into_iter().map(|(d, t)| view! { <li><span class="muted">{d.to_string()}</span>" "{t}</li> }).collect_view()}
                </ul>
            })}
        </Modal>
    }
}

// ---------------------------------------------------------------- opportunity dialog

#[component]
pub fn OpportunityForm(opportunity: Option<Id>, #[prop(optional)] customer: Option<Id>, on_close: Callback<()>) -> impl IntoView {
    let s = use_app();
    let today = s.today();
    let existing = opportunity.and_then(|id| s.ws.with_untracked(|w| w.opportunities.get(&id).cloned()));
    let first_stage =
        s.ws.with_untracked(|w| w.stages_in_order().iter().find(|x| x.outcome == Outcome::Open).map(|x| (x.id, x.probability)));
    let f = existing.as_ref().map(OpportunityFields::of);
    let customer_name = RwSignal::new(
        f.as_ref()
            .map(|f| f.customer)
            .or(customer)
            .and_then(|c| s.ws.with_untracked(|w| w.customers.get(&c).map(|c| c.name.clone())))
            .unwrap_or_default(),
    );
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
    let error = RwSignal::new(None::<T>);
    let lost = move || stage.get().and_then(|st| s.ws.with(|w| w.stages.get(&st).map(|x| x.outcome == Outcome::Lost))).unwrap_or(false);
    let save = move |_| {
        let lang = s.lang.get_untracked();
        let _ = lang;
        let cname = customer_name.get_untracked();
        let Some(cid) = s.ws.with_untracked(|w| w.customers.values().find(|c| c.name.trim() == cname.trim()).map(|c| c.id)) else {
            error.set(Some(T::PickCustomer));
            return;
        };
        let Some(owner_id) = owner.get_untracked() else {
            error.set(Some(T::PickOwner));
            return;
        };
        let Ok(amt) = Money::parse(&amount.get_untracked()) else {
            error.set(Some(T::BadAmount));
            return;
        };
        let Ok(close_date) = chrono::NaiveDate::parse_from_str(&close.get_untracked(), "%Y-%m-%d") else {
            error.set(Some(T::BadDate));
            return;
        };
        let Ok(p) = probability.get_untracked().trim().trim_end_matches('%').parse::<u8>() else {
            error.set(Some(T::BadProbability));
            return;
        };
        let mg = match margin.get_untracked().trim() {
            "" => None,
            t => match Money::parse(t) {
                Ok(m) => Some(m),
                Err(_) => {
                    error.set(Some(T::BadAmount));
                    return;
                }
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
        let by = s.view_as.get_untracked();
        let edit = match opportunity {
            Some(id) => Edit::UpdateOpportunity { id, fields, on: today, by },
            None => Edit::AddOpportunity { id: browser::new_id(), fields, by },
        };
        if s.dispatch(edit) {
            on_close.run(());
        }
    };
    let delete = move |_| {
        if let Some(id) = opportunity {
            if s.dispatch(Edit::DeleteOpportunity { id }) {
                on_close.run(());
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
            <datalist id="customer-names">
                {move || { let scope = s.scope(); s.ws.with(|w| w.customers.values().filter(|c| in_scope(w, scope.as_ref(), c.owner) || c.key_account).map(|c| view! { <option value=c.name.clone()></option> }).collect_view()) }}
            </datalist>
            <div class="form-grid" data-testid="opportunity-form">
                <label class="wide"><span>{move || s.t(T::OpportunityName)}</span>
                    <input type="text" data-testid="opp-name" maxlength="120" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
                <label class="wide"><span>{move || s.t(T::Customer)}</span>
                    <input type="text" data-testid="opp-customer" list="customer-names" maxlength="120" prop:value=move || customer_name.get() on:input=move |ev| customer_name.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::Owner)}</span>
                    <select data-testid="opp-owner" on:change=move |ev| owner.set(Id::parse(&event_target_value(&ev)))>
                        <option value="">"—"</option>
                        {move || { let scope = s.scope(); id_options(s.ws.with(|w| owner_options(w, s.lang.get(), scope.as_ref())), owner.get_untracked()) }}
                    </select></label>
                <label><span>{move || s.t(T::Amount)}</span>
                    <input type="text" inputmode="decimal" data-testid="opp-amount" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::GrossMarginField)}</span>
                    <input type="text" inputmode="decimal" data-testid="opp-margin" prop:value=move || margin.get() on:input=move |ev| margin.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::CloseDate)}</span>
                    <input type="date" data-testid="opp-close" prop:value=move || close.get() on:input=move |ev| close.set(event_target_value(&ev))/></label>
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
                        {move || { let cur = category.get(); ForecastCategory::OPEN.iter().enumerate().map(|(i, c)| view! { <option value=i.to_string() selected=cur == *c>{category_label(*c, s.lang.get())}</option> }).collect_view() }}
                    </select></label>
                <Show when=lost>
                    <label class="wide"><span>{move || s.t(T::LossReason)}</span>
                        <input type="text" maxlength="300" data-testid="opp-loss" prop:value=move || loss.get() on:input=move |ev| loss.set(event_target_value(&ev))/></label>
                </Show>
                <label class="wide"><span>{move || s.t(T::ProductsNotes)}</span>
                    <textarea rows="2" maxlength="5000" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea></label>
            </div>
            {move || error.get().map(|e| view! { <p class="error" data-testid="opp-error">{s.t(e)}</p> })}
            <div class="modal-actions">
                {opportunity.map(|_| view! { <button class="btn danger" data-testid="delete-opportunity" on:click=delete>{move || s.t(T::Delete)}</button> })}
                <div class="spacer"></div>
                <button class="btn" on:click=move |_| on_close.run(())>{move || s.t(T::Cancel)}</button>
                <button class="btn primary" data-testid="save-opportunity" on:click=save>{move || s.t(T::Save)}</button>
            </div>
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

// ---------------------------------------------------------------- CSV import

/// UTF-8 as is; anything else is GBK, decoded by the browser (the wasm
/// carries no GBK tables of its own).
fn parse_file(bytes: &[u8]) -> Result<Table, csvio::CsvError> {
    if csvio::is_utf8(bytes) {
        return csvio::parse(bytes);
    }
    let decoded = web_sys::TextDecoder::new_with_label("gb18030").and_then(|d| d.decode_with_u8_array(bytes));
    match decoded {
        Ok(text) => csvio::parse_text(&text, csvio::Encoding::Gbk),
        Err(_) => csvio::parse(bytes),
    }
}

fn field_label(f: Option<Field>, lang: Lang) -> String {
    match f {
        Some(f) => f.name(lang).to_string(),
        None => T::IgnoreColumn.get(lang).to_string(),
    }
}

/// Pick a file, map its columns, preview, read the per-row problems, then
/// import the good rows as one undoable step (or cancel: nothing written).
#[component]
pub fn CsvImport(target: Target, on_close: Callback<()>) -> impl IntoView {
    let s = use_app();
    let table: RwSignal<Option<Table>> = RwSignal::new(None);
    let mapping: RwSignal<Vec<Option<Field>>> = RwSignal::new(Vec::new());
    let error: RwSignal<Option<(String, String)>> = RwSignal::new(None);
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        leptos::task::spawn_local(async move {
            match browser::read_bytes(file).await {
                Ok(bytes) => match parse_file(&bytes) {
                    Ok(t) => {
                        mapping.set(csvio::auto_map(&t.headers, target));
                        table.set(Some(t));
                        error.set(None);
                    }
                    Err(e) => error.set(Some((e.message(Lang::Zh), e.message(Lang::En)))),
                },
                Err(e) => error.set(Some((e.clone(), e))),
            }
        });
    };
    let plan: Memo<Option<ImportPlan>> = Memo::new(move |_| {
        let lang = s.lang.get();
        let today = s.today();
        let m = mapping.get();
        table.with(|t| t.as_ref().map(|t| s.ws.with(|w| csvio::plan(w, t, &m, target, today, lang, browser::new_id))))
    });
    let missing = move || {
        let lang = s.lang.get();
        mapping.with(|m| csvio::missing_required(m, target)).into_iter().map(|f| f.name(lang).to_string()).collect::<Vec<_>>()
    };
    let import = move |_| {
        let Some(p) = plan.get_untracked() else { return };
        if p.good == 0 {
            return;
        }
        // Adds records rather than replacing any, but keep a copy anyway.
        let _ = s.ws.with_untracked(|w| storage::backup_previous(w, browser::now()));
        if s.dispatch(p.edit) {
            let n = p.good;
            s.notify(NoticeKind::Success, format!("已导入 {n} 行（可撤销）"), format!("Imported {n} rows (undo reverts it)"));
            on_close.run(());
        }
    };
    let title = Signal::derive(move || match target {
        Target::Customers => s.t(T::ImportCustomers).to_string(),
        Target::Opportunities => s.t(T::ImportOpportunities).to_string(),
    });
    view! {
        <Modal title=title on_close=on_close>
            <div class="csv-import" data-testid="csv-import">
                <p class="muted small">{move || s.t(T::CsvHelp)}</p>
                <input type="file" accept=".csv,text/csv" data-testid="csv-file" on:change=on_file/>
                {move || error.get().map(|(zh, en)| view! { <p class="error" data-testid="csv-error">{s.lang.get().pick(zh, en)}</p> })}
                {move || table.with(|t| t.as_ref().map(|t| {
                    let lang = s.lang.get();
                    let headers = t.headers.clone();
                    let preview: Vec<Vec<String>> = t.rows.iter().take(5).map(|r| r.1.clone()).collect();
                    let enc = match t.encoding { csvio::Encoding::Utf8 => "UTF-8", csvio::Encoding::Gbk => "GBK" };
                    let info = lang.pick(
                        format!("{} 行数据 · 编码 {enc} · 分隔符 “{}”", t.rows.len(), t.delimiter as char),
                        format!("{} data rows · {enc} · separator “{}”", t.rows.len(), t.delimiter as char),
                    );
                    view! {
                        <p class="small" data-testid="csv-info">{info}</p>
                        <div class="table-scroll">
                            <table class="table compact" data-testid="csv-preview">
                                <thead>
                                    <tr>{headers.iter().enumerate().map(|(i, h)| {
                                        let cur = mapping.with_untracked(|m| m.get(i).copied().flatten());
                                        view! {
                                            <th>
                                                <div class="muted small">{h.clone()}</div>
                                                <select data-testid="csv-map" on:change=move |ev| {
                                                    let v = event_target_value(&ev);
                                                    let f = v.parse::<usize>().ok().and_then(|k| Field::of(target).get(k).copied());
                                                    mapping.update(|m| if let Some(x) = m.get_mut(i) { *x = f });
                                                }>
                                                    <option value="" selected=cur.is_none()>{field_label(None, lang)}</option>
                                                    {Field::of(target).iter().enumerate().map(|(k, f)| view! { <option value=k.to_string() selected=cur == Some(*f)>{field_label(Some(*f), lang)}</option> }).collect_view()}
                                                </select>
                                            </th>
                                        }
                                    }).collect_view()}</tr>
                                </thead>
                                <tbody>
                                    {preview.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                }))}
                {move || {
                    let miss = missing();
                    (!miss.is_empty() && table.with(|t| t.is_some())).then(|| view! { <p class="error" data-testid="csv-missing">{format!("{} {}", s.t(T::RequiredColumns), miss.join("、"))}</p> })
                }}
                {move || plan.get().map(|p| {
                    let lang = s.lang.get();
                    let summary = lang.pick(
                        format!("{} 行可导入，{} 行有问题（不会导入）", p.good, p.bad.len()),
                        format!("{} rows ready, {} rows with problems (left out)", p.good, p.bad.len()),
                    );
                    let created = (!p.new_customers.is_empty()).then(|| lang.pick(
                        format!("将新建 {} 个客户：{}", p.new_customers.len(), p.new_customers.iter().take(5).cloned().collect::<Vec<_>>().join("、")),
                        format!("{} new customers will be created: {}", p.new_customers.len(), p.new_customers.iter().take(5).cloned().collect::<Vec<_>>().join(", ")),
                    ));
                    view! {
                        <p class="strong" data-testid="csv-summary">{summary}</p>
                        {created.map(|c| view! { <p class="small muted">{c}</p> })}
                        <ul class="plain bad-rows">
                            {p.bad.iter().take(200).map(|b| {
                                let line = lang.pick(format!("第 {} 行", b.line), format!("Line {}", b.line));
                                view! { <li data-testid="csv-bad-row"><span class="badge warn">{line}</span>" "{b.problem.message(lang)}</li> }
                            }).collect_view()}
                        </ul>
                    }
                })}
                <div class="modal-actions">
                    <div class="spacer"></div>
                    <button class="btn" data-testid="csv-cancel" on:click=move |_| on_close.run(())>{move || s.t(T::Cancel)}</button>
                    <button class="btn primary" data-testid="csv-import-go" disabled=move || plan.with(|p| p.as_ref().is_none_or(|p| p.good == 0)) || !missing().is_empty() on:click=import>
                        {move || { let n = plan.with(|p| p.as_ref().map(|p| p.good).unwrap_or(0)); s.lang.get().pick(format!("导入 {n} 行"), format!("Import {n} rows")) }}
                    </button>
                </div>
            </div>
        </Modal>
    }
}
