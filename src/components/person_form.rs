//! Add or edit a person: every field, skill ratings, moving to another unit,
//! deleting. One save is one undoable step (an `Edit::Batch`).

use crate::browser;
use crate::components::common::{id_options, status_label, tier_options, Modal};
use crate::components::filters::UnitSelect;
use crate::components::form::{NotesField, TextField, NAME_MAX, SHORT_MAX};
use crate::i18n::T;
use crate::state::use_app;
use leptos::prelude::*;
use sales_tiers_core::edit::PersonFields;
use sales_tiers_core::engine::org::{could_lead, proposes_lead, suggested_tier};
use sales_tiers_core::model::{Status, Text};
use sales_tiers_core::{Edit, Id};
use std::collections::BTreeMap;

fn parse_id(s: &str) -> Option<Id> {
    Id::parse(s)
}

#[component]
pub fn PersonForm(
    /// The person to edit; None adds a new one.
    person: Option<Id>,
    /// For a new person: the unit to add them to.
    unit: Option<Id>,
    on_close: Callback<()>,
) -> impl IntoView {
    let s = use_app();
    let existing = person.and_then(|id| s.ws.with_untracked(|w| w.people.get(&id).cloned()));
    // A newcomer's tier: what fits the unit (core's suggestion), not always the bottom one.
    let default_tier = s.ws.with_untracked(|w| unit.and_then(|u| suggested_tier(w, u)).or_else(|| w.tiers_in_order().last().map(|t| t.id)));
    let name_zh = RwSignal::new(existing.as_ref().map(|p| p.name.zh.clone()).unwrap_or_default());
    let name_en = RwSignal::new(existing.as_ref().map(|p| p.name.en.clone()).unwrap_or_default());
    let title_zh = RwSignal::new(existing.as_ref().map(|p| p.title.zh.clone()).unwrap_or_default());
    let title_en = RwSignal::new(existing.as_ref().map(|p| p.title.en.clone()).unwrap_or_default());
    let tier = RwSignal::new(existing.as_ref().map(|p| p.tier).or(default_tier));
    // Chosen in the dialog (not given): the tier follows the unit's
    // suggestion until the user picks one.
    let tier_picked = RwSignal::new(false);
    let unit_sel = RwSignal::new(existing.as_ref().map(|p| p.unit).or(unit));
    // No unit given (People without a unit filter): chosen here, no default
    // (the top unit was too easy to save a newcomer into by mistake).
    let unit_given = unit_sel.get_untracked().is_some();
    let email = RwSignal::new(existing.as_ref().map(|p| p.email.clone()).unwrap_or_default());
    let phone = RwSignal::new(existing.as_ref().map(|p| p.phone.clone()).unwrap_or_default());
    let hire = RwSignal::new(existing.as_ref().and_then(|p| p.hire_date).map(|d| d.to_string()).unwrap_or_default());
    let status = RwSignal::new(existing.as_ref().map(|p| p.status).unwrap_or_default());
    let notes = RwSignal::new(existing.as_ref().map(|p| p.notes.clone()).unwrap_or_default());
    let ratings: RwSignal<BTreeMap<Id, u8>> = RwSignal::new(existing.as_ref().map(|p| p.skills.clone()).unwrap_or_default());
    let original = existing.clone();
    // A unit without a manager: offer to appoint the newcomer when their tier may lead it.
    // Ticked when core proposes it (a manager's tier that may lead the vacant unit).
    let make_manager = RwSignal::new(
        person.is_none() && s.ws.with_untracked(|w| matches!((unit, default_tier), (Some(u), Some(t)) if proposes_lead(w, u, t))),
    );
    let can_lead = move || {
        let (Some(t), Some(u)) = (tier.get(), unit_sel.get()) else { return None };
        (person.is_none() && s.ws.with(|w| could_lead(w, u, t, None)))
            .then(|| s.ws.with(|w| w.units.get(&u).map(|x| x.name.get(s.lang.get()).to_string())))?
    };

    // A unit picked for a newcomer: the tier that fits it, and the offer to
    // lead it, as when the dialog opens on a unit (unless the user chose).
    let pick_unit = move |u: Option<Id>| {
        unit_sel.set(u);
        if person.is_some() {
            return;
        }
        let Some(u) = u else { return };
        if !tier_picked.get_untracked() {
            if let Some(t) = s.ws.with_untracked(|w| suggested_tier(w, u)) {
                tier.set(Some(t));
            }
        }
        let t = tier.get_untracked();
        make_manager.set(s.ws.with_untracked(|w| t.is_some_and(|t| proposes_lead(w, u, t))));
    };

    let save = move || {
        let (Some(tier), Some(unit)) = (tier.get_untracked(), unit_sel.get_untracked()) else { return };
        let hire_date = chrono::NaiveDate::parse_from_str(hire.get_untracked().trim(), "%Y-%m-%d").ok();
        let fields = PersonFields {
            name: Text::new(name_zh.get_untracked().trim(), name_en.get_untracked().trim()),
            title: Text::new(title_zh.get_untracked().trim(), title_en.get_untracked().trim()),
            tier,
            email: email.get_untracked(),
            phone: phone.get_untracked(),
            hire_date,
            status: status.get_untracked(),
            notes: notes.get_untracked(),
        };
        let mut edits = Vec::new();
        let id = match &original {
            Some(p) => {
                edits.push(Edit::UpdatePerson { id: p.id, fields });
                if p.unit != unit {
                    edits.push(Edit::MovePerson { id: p.id, unit });
                }
                p.id
            }
            None => {
                let id = browser::new_id();
                edits.push(Edit::AddPerson { id, unit, fields });
                if make_manager.get_untracked() && untrack(can_lead).is_some() {
                    edits.push(Edit::SetManager { unit, person: Some(id) });
                }
                id
            }
        };
        let before = original.as_ref().map(|p| p.skills.clone()).unwrap_or_default();
        let after = ratings.get_untracked();
        for (skill, r) in &after {
            if before.get(skill) != Some(r) {
                edits.push(Edit::SetRating { person: id, skill: *skill, rating: Some(*r) });
            }
        }
        for skill in before.keys().filter(|k| !after.contains_key(k)) {
            edits.push(Edit::SetRating { person: id, skill: *skill, rating: None });
        }
        if s.dispatch(Edit::Batch { edits }) {
            crate::focus::close_after_edit(on_close);
        }
    };
    let delete = move |_| {
        let Some(id) = person else { return };
        let ok = web_sys::window().and_then(|w| w.confirm_with_message(s.t(T::ConfirmDeletePerson)).ok()).unwrap_or(false);
        if ok && s.dispatch(Edit::DeletePerson { id }) {
            crate::focus::close_after_edit(on_close);
        }
    };
    let title = Signal::derive(move || s.t(if person.is_some() { T::EditPerson } else { T::AddPerson }).to_string());
    let history = existing.as_ref().map(|p| p.history.clone()).unwrap_or_default();

    view! {
        <Modal title=title on_close=on_close>
            <form class="form two-col" data-testid="person-form" on:submit=move |ev| { ev.prevent_default(); save(); }>
                // Names and titles in the reader's language first (the field the dialog focuses).
                {
                    let lang = s.lang.get_untracked();
                    let field = move |(label, value, testid): (T, RwSignal<String>, Option<&'static str>)| match testid {
                        Some(id) => view! { <TextField label=label value=value testid=id maxlength=NAME_MAX/> }.into_any(),
                        None => view! { <TextField label=label value=value maxlength=NAME_MAX/> }.into_any(),
                    };
                    lang.reader_first((T::NameZh, name_zh, Some("pf-name-zh")), (T::NameEn, name_en, Some("pf-name-en")))
                        .into_iter()
                        .chain(lang.reader_first((T::TitleZh, title_zh, None), (T::TitleEn, title_en, None)))
                        .map(field)
                        .collect_view()
                }
                <label><span>{move || s.t(T::TierCol)}</span>
                    <select data-testid="pf-tier" prop:value=move || tier.get().map(|t| t.to_string()).unwrap_or_default()
                        on:change=move |ev| { tier_picked.set(true); tier.set(parse_id(&event_target_value(&ev))) }>
                        {move || id_options(s.ws.with(|w| tier_options(w, s.lang.get())), tier.get_untracked())}
                    </select></label>
                <label><span>{move || s.t(T::Unit)}</span>
                    <UnitSelect value=unit_sel on_change=Callback::new(pick_unit) testid="pf-unit" required=unit_given none=T::ChooseUnit/>
                    // Why Save waits, said where the reader looks (a disabled button shows no tooltip to the keyboard).
                    {move || unit_sel.with(Option::is_none).then(|| view! { <span class="muted small" data-testid="pf-unit-needed">{s.t(T::ChooseUnitToSave)}</span> })}
                </label>
                {move || can_lead().map(|unit_name| view! {
                    <label class="check wide" data-testid="pf-make-manager-label">
                        <input type="checkbox" data-testid="pf-make-manager" prop:checked=move || make_manager.get() on:change=move |ev| make_manager.set(event_target_checked(&ev))/>
                        <span>{move || s.tf(T::MakeManager, &[&unit_name])}</span>
                    </label>
                })}
                <TextField label=T::Email value=email kind="email" maxlength=SHORT_MAX/>
                <TextField label=T::Phone value=phone kind="tel" maxlength=SHORT_MAX/>
                <TextField label=T::HireDate value=hire kind="date" testid="pf-hire"/>
                <label><span>{move || s.t(T::Status)}</span>
                    <select data-testid="pf-status" on:change=move |ev| status.set(match event_target_value(&ev).as_str() { "on_leave" => Status::OnLeave, "left" => Status::Left, _ => Status::Active })>
                        {move || [(Status::Active, "active"), (Status::OnLeave, "on_leave"), (Status::Left, "left")].into_iter().map(|(st, v)| view! {
                            <option value=v prop:selected=status.get_untracked() == st>{status_label(st, s.lang.get())}</option>
                        }).collect_view()}
                    </select></label>
                <fieldset class="skills wide">
                    <legend>{move || s.t(T::SkillRatings)}</legend>
                    {move || {
                        let lang = s.lang.get();
                        s.ws.with(|w| w.skills_in_order().into_iter().map(|sk| (sk.id, sk.name.get(lang).to_string())).collect::<Vec<_>>())
                            .into_iter().map(|(sid, name)| view! {
                                <label class="rating"><span>{name}</span>
                                    <select data-testid="pf-rating" on:change=move |ev| {
                                        let v = event_target_value(&ev).parse::<u8>().ok().filter(|v| (1..=5).contains(v));
                                        ratings.update(|r| { match v { Some(v) => { r.insert(sid, v); } None => { r.remove(&sid); } } });
                                    }>
                                        <option value="" prop:selected=move || !ratings.with_untracked(|r| r.contains_key(&sid))>"—"</option>
                                        {(1u8..=5).map(|v| view! { <option value=v.to_string() prop:selected=move || ratings.with_untracked(|r| r.get(&sid) == Some(&v))>{v}</option> }).collect_view()}
                                    </select>
                                </label>
                            }).collect_view()
                    }}
                </fieldset>
                <NotesField label=T::Notes value=notes rows=3/>
                {(!history.is_empty()).then(|| {
                    let history = history.clone();
                    view! {
                        <div class="wide history" data-testid="pf-history">
                            <div class="muted">{move || s.t(T::History)}</div>
                            <ul class="plain">
                                {move || {
                                    let lang = s.lang.get();
                                    history.iter().rev().map(|h| {
                                        let text = s.ws.with(|w| crate::components::common::history_text(w, &h.event, lang));
                                        view! { <li><span class="muted mono">{h.at.format("%Y-%m-%d").to_string()}</span> " " {text} {(!h.note.is_empty()).then(|| format!(" · {}", h.note))}</li> }
                                    }).collect_view()
                                }}
                            </ul>
                        </div>
                    }
                })}
                <div class="form-actions wide">
                    {person.is_some().then(|| view! { <button type="button" class="btn danger" data-testid="pf-delete" on:click=delete>{move || s.t(T::Delete)}</button> })}
                    <div class="spacer"></div>
                    <button type="button" class="btn ghost" on:click=move |_| on_close.run(())>{move || s.t(T::Cancel)}</button>
                    <button type="submit" class="btn primary" data-testid="pf-save" disabled=move || unit_sel.with(Option::is_none) || tier.with(Option::is_none)
                        title=move || unit_sel.with(Option::is_none).then(|| s.t(T::ChooseUnit))>{move || s.t(T::Save)}</button>
                </div>
            </form>
        </Modal>
    }
}
