//! Daily work pieces: the "log activity" and "new task" dialogs (opened
//! from a deal, a customer, a stale deal or the top bar), a deal's or
//! customer's timeline, and a task's line with its done box.

use crate::components::common::{id_options, Modal};
use crate::components::crm::{CustomerPick, CustomerText};
use crate::components::filters::PersonSelect;
use crate::components::form::{LengthLimit, NotesField, TextField, SHORT_MAX};
use crate::components::format::money;
use crate::i18n::T;
use crate::state::{use_app, AppState};
use leptos::prelude::*;
use sales_tiers_core::edit::{ActivityFields, TaskFields};
use sales_tiers_core::engine::work::{self, Due, Event};
use sales_tiers_core::model::*;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{Edit, Id, Lang, Workspace};

/// Which dialog of daily work is open, and about what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkDialog {
    Log { customer: Option<Id>, deal: Option<Id> },
    Task { customer: Option<Id>, deal: Option<Id> },
}

pub fn kind_name(k: ActivityKind, lang: Lang) -> &'static str {
    let (zh, en) = k.names();
    lang.pick(zh, en)
}

pub fn priority_name(p: Priority, lang: Lang) -> &'static str {
    let (zh, en) = p.names();
    lang.pick(zh, en)
}

/// Who an activity logged here is by: who am I, else whose business the
/// deal or customer is (core's rule), else the viewed manager.
fn doer(s: AppState, w: &Workspace, customer: Option<Id>, deal: Option<Id>) -> Option<Id> {
    s.who().or_else(|| work::subject_owner(w, customer, deal)).or(s.view_as.get_untracked())
}

/// A dialog's heading: what it does, then what it is about, when anything.
fn heading(s: AppState, key: T, customer: RwSignal<Option<Id>>, deal: RwSignal<Option<Id>>) -> Signal<String> {
    Signal::derive(move || {
        let a = s.ws.with(|w| about(w, customer.get(), deal.get()));
        if a.is_empty() {
            s.t(key).to_string()
        } else {
            format!("{} · {a}", s.t(key))
        }
    })
}

/// Says `e` (a field that did not read) with the field's label, in both languages.
fn field_error(error: RwSignal<Option<(String, String)>>, label: T, e: sales_tiers_core::io::input::InputError) {
    error.set(Some((
        format!("{}：{}", label.get(Lang::Zh), e.message(Lang::Zh)),
        format!("{}: {}", label.get(Lang::En), e.message(Lang::En)),
    )));
}

/// The customer (typed, with suggestions) and the deal of a dialog opened without them.
#[component]
fn Subject(customer: CustomerText, deal: RwSignal<Option<Id>>) -> impl IntoView {
    let s = use_app();
    let field = customer;
    let customer = field.id;
    let deals = move || {
        let c = customer.get();
        s.ws.with(|w| {
            let mut v: Vec<(Id, String)> = w
                .opportunities
                .values()
                .filter(|o| Some(o.customer) == c && w.stages.get(&o.stage).is_some_and(|x| x.outcome == Outcome::Open))
                .map(|o| (o.id, o.name.clone()))
                .collect();
            v.arrange_by(|a, b| a.1.cmp(&b.1));
            v
        })
    };
    view! {
        <label><span>{move || s.t(T::Customer)}</span>
            <CustomerPick field=field testid="work-customer" on_pick=Callback::new(move |_| deal.set(None))/></label>
        <label><span>{move || s.t(T::Opportunity)}</span>
            <select data-testid="work-deal" on:change=move |ev| deal.set(Id::parse(&event_target_value(&ev)))>
                <option value="">{move || s.t(T::WholeCustomer)}</option>
                {move || id_options(deals(), deal.get_untracked())}
            </select></label>
    }
}

/// What a dialog or a task is about, as a line: "Deal · Customer".
pub fn about(w: &Workspace, customer: Option<Id>, deal: Option<Id>) -> String {
    let c = customer.or_else(|| deal.and_then(|d| w.opportunities.get(&d)).map(|o| o.customer));
    let cname = c.and_then(|c| w.customers.get(&c)).map(|c| c.name.clone()).unwrap_or_default();
    match deal.and_then(|d| w.opportunities.get(&d)) {
        Some(o) => format!("{} · {cname}", o.name),
        None => cname,
    }
}

use sales_tiers_core::io::csv::parse_date;

/// The open dialog of daily work, if any (one at a time, over any page).
#[component]
pub fn WorkDialogs() -> impl IntoView {
    let s = use_app();
    move || {
        s.work.get().map(|d| match d {
            WorkDialog::Log { customer, deal } => view! { <LogActivity customer=customer deal=deal/> }.into_any(),
            WorkDialog::Task { customer, deal } => view! { <NewTask customer=customer deal=deal/> }.into_any(),
        })
    }
}

/// Log a call, visit, meeting, e-mail or note; its next step can become a task.
#[component]
fn LogActivity(customer: Option<Id>, deal: Option<Id>) -> impl IntoView {
    let s = use_app();
    let today = s.today();
    let fixed = customer.is_some() || deal.is_some();
    let of_deal = deal.and_then(|d| s.ws.with_untracked(|w| w.opportunities.get(&d).map(|o| o.customer)));
    let picker = CustomerText::new(s, customer.or(of_deal));
    let customer = picker.id;
    let deal = RwSignal::new(deal);
    let kind = RwSignal::new(ActivityKind::Call);
    let on = RwSignal::new(today.to_string());
    let minutes = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let next = RwSignal::new(String::new());
    let make_task = RwSignal::new(false);
    let due = RwSignal::new((today + chrono::Duration::days(3)).to_string());
    // Whose activity it is: who am I, else the deal's or customer's owner (changeable).
    let by = RwSignal::new(s.ws.with_untracked(|w| doer(s, w, customer.get_untracked(), deal.get_untracked())));
    // Follows the customer and deal picked until "logged by" is picked by hand.
    let by_picked = RwSignal::new(false);
    Effect::new(move |prev: Option<(Option<Id>, Option<Id>)>| {
        let now = (customer.get(), deal.get());
        if prev.is_some_and(|p| p != now) && s.who().is_none() && !by_picked.get_untracked() {
            if let Some(d) = s.ws.with_untracked(|w| doer(s, w, now.0, now.1)) {
                by.set(Some(d));
            }
        }
        now
    });
    let error = RwSignal::new(None::<(String, String)>);
    let close = Callback::new(move |_| s.work.set(None));
    let title = heading(s, T::LogActivity, customer, deal);
    let save = move || {
        let say = |t: T| error.set(Some((t.get(Lang::Zh).to_string(), t.get(Lang::En).to_string())));
        let c = match picker.picked(s) {
            Ok(Some(c)) => c,
            Ok(None) => return say(T::PickACustomer),
            Err(reason) => return error.set(Some(reason)),
        };
        let Some(day) = parse_date(&on.get_untracked()) else { return say(T::IncompleteDate) };
        let minutes = match sales_tiers_core::io::input::parse_minutes(&minutes.get_untracked()) {
            Ok(m) => m,
            Err(e) => return field_error(error, T::Minutes, e),
        };
        let Some(by) = by.get_untracked() else { return say(T::PickWho) };
        let id = crate::browser::new_id();
        let step = next.get_untracked().trim().to_string();
        let fields = ActivityFields {
            kind: kind.get_untracked(),
            customer: c,
            opportunity: deal.get_untracked(),
            by,
            on: day,
            minutes,
            outcome: outcome.get_untracked(),
            next_step: step.clone(),
        };
        let mut edits = vec![Edit::LogActivity { id, fields }];
        if make_task.get_untracked() && !step.is_empty() {
            let Some(due) = parse_date(&due.get_untracked()) else { return say(T::IncompleteDate) };
            let assignee = s.ws.with_untracked(|w| work::subject_owner(w, None, deal.get_untracked())).unwrap_or(by);
            let task = TaskFields {
                title: step,
                assignee,
                due,
                priority: Priority::Normal,
                customer: Some(c),
                opportunity: deal.get_untracked(),
                activity: Some(id),
                notes: String::new(),
            };
            edits.push(Edit::AddTask { id: crate::browser::new_id(), fields: task, by: s.who(), on: today });
        }
        let edit = if edits.len() == 1 { edits.remove(0) } else { Edit::Batch { edits } };
        match s.try_dispatch(edit) {
            Ok(_) => {
                s.notify_key(crate::state::NoticeKind::Success, T::ActivityLogged);
                s.work.set(None);
            }
            Err(e) => error.set(Some((e.message(Lang::Zh), e.message(Lang::En)))),
        }
    };
    view! {
        <Modal title=title on_close=close>
            <form class="form-grid" data-testid="activity-form" on:input=move |_| error.set(None) on:change=move |_| error.set(None) on:submit=move |ev| { ev.prevent_default(); save() }>
                {(!fixed).then(|| view! { <Subject customer=picker deal=deal/> })}
                <label><span>{move || s.t(T::ActivityType)}</span>
                    <select data-testid="act-kind" on:change=move |ev| if let Some(k) = ActivityKind::parse(&event_target_value(&ev)) { kind.set(k) }>
                        {move || { let lang = s.lang.get(); ActivityKind::ALL.iter().map(|k| view! { <option value=k.key() prop:selected=kind.get_untracked() == *k>{kind_name(*k, lang)}</option> }).collect_view() }}
                    </select></label>
                <label><span>{move || s.t(T::Date)}</span>
                    <input type="date" data-testid="act-on" max=today.to_string() prop:value=move || on.get() on:input=move |ev| on.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::LoggedBy)}</span>
                    <PersonSelect value=by on_change=Callback::new(move |p| { by_picked.set(true); by.set(p) }) testid="act-by"/></label>
                <label><span>{move || s.t(T::Minutes)}</span>
                    <input type="text" inputmode="numeric" data-testid="act-minutes" prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev))/></label>
                <NotesField label=T::ActivityOutcome value=outcome testid="act-outcome" rows=2/>
                <label class="wide"><span>{move || s.t(T::NextStepField)}</span>
                    <input type="text" maxlength=SHORT_MAX data-testid="act-next" prop:value=move || next.get()
                        on:input=move |ev| { let v = event_target_value(&ev); make_task.set(!v.trim().is_empty()); next.set(v) }/>
                    <LengthLimit value=next max=SHORT_MAX/></label>
                <label class="check wide"><input type="checkbox" data-testid="act-make-task" prop:checked=move || make_task.get() on:change=move |ev| make_task.set(event_target_checked(&ev))/>
                    <span>{move || s.t(T::MakeTaskOfStep)}</span></label>
                <Show when=move || make_task.get()>
                    <label><span>{move || s.t(T::DueDate)}</span>
                        <input type="date" data-testid="act-task-due" prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev))/></label>
                </Show>
                {move || error.get().map(|(zh, en)| view! { <p class="error wide" role="alert" data-testid="act-error">{if s.lang.get() == Lang::Zh { zh } else { en }}</p> })}
                <div class="modal-actions wide">
                    <div class="spacer"></div>
                    <button type="button" class="btn" on:click=move |_| s.work.set(None)>{move || s.t(T::Cancel)}</button>
                    <button type="submit" class="btn primary" data-testid="act-save">{move || s.t(T::Save)}</button>
                </div>
            </form>
        </Modal>
    }
}

/// A new follow-up task, for who am I (or the deal's owner) by default.
#[component]
fn NewTask(customer: Option<Id>, deal: Option<Id>) -> impl IntoView {
    let s = use_app();
    let today = s.today();
    let fixed = customer.is_some() || deal.is_some();
    let of_deal = deal.and_then(|d| s.ws.with_untracked(|w| w.opportunities.get(&d).map(|o| o.customer)));
    let picker = CustomerText::new(s, customer.or(of_deal));
    let customer = picker.id;
    let deal = RwSignal::new(deal);
    let title = RwSignal::new(String::new());
    // Whose business the deal or customer is, else who am I, else the viewed manager.
    let owner = s.ws.with_untracked(|w| work::subject_owner(w, customer.get_untracked(), deal.get_untracked()));
    let assignee = RwSignal::new(owner.or_else(|| s.who()).or(s.view_as.get_untracked()));
    let due = RwSignal::new((today + chrono::Duration::days(1)).to_string());
    let priority = RwSignal::new(Priority::Normal);
    let error = RwSignal::new(None::<(String, String)>);
    let heading = heading(s, T::NewTask, customer, deal);
    let save = move || {
        let say = |t: T| error.set(Some((t.get(Lang::Zh).to_string(), t.get(Lang::En).to_string())));
        if title.get_untracked().trim().is_empty() {
            return say(T::TaskTitleNeeded);
        }
        let Some(who) = assignee.get_untracked() else { return say(T::PickAssignee) };
        let Some(due) = parse_date(&due.get_untracked()) else { return say(T::IncompleteDate) };
        if let Err(reason) = picker.picked(s) {
            return error.set(Some(reason));
        }
        let fields = TaskFields {
            title: title.get_untracked(),
            assignee: who,
            due,
            priority: priority.get_untracked(),
            customer: customer.get_untracked(),
            opportunity: deal.get_untracked(),
            activity: None,
            notes: String::new(),
        };
        match s.try_dispatch(Edit::AddTask { id: crate::browser::new_id(), fields, by: s.who(), on: today }) {
            Ok(_) => {
                s.notify_key(crate::state::NoticeKind::Success, T::TaskAdded);
                s.work.set(None);
            }
            Err(e) => error.set(Some((e.message(Lang::Zh), e.message(Lang::En)))),
        }
    };
    view! {
        <Modal title=heading on_close=Callback::new(move |_| s.work.set(None))>
            <form class="form-grid" data-testid="task-form" on:input=move |_| error.set(None) on:change=move |_| error.set(None) on:submit=move |ev| { ev.prevent_default(); save() }>
                <TextField label=T::TaskTitle value=title testid="task-title" maxlength=SHORT_MAX wide=true/>
                {(!fixed).then(|| view! { <Subject customer=picker deal=deal/> })}
                <label><span>{move || s.t(T::Assignee)}</span>
                    <PersonSelect value=assignee on_change=Callback::new(move |p| assignee.set(p)) testid="task-assignee"/></label>
                <label><span>{move || s.t(T::DueDate)}</span>
                    <input type="date" data-testid="task-due" prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev))/></label>
                <label><span>{move || s.t(T::Priority)}</span>
                    <select data-testid="task-priority" on:change=move |ev| if let Some(p) = Priority::ALL.get(event_target_value(&ev).parse::<usize>().unwrap_or(1)) { priority.set(*p) }>
                        {move || { let lang = s.lang.get(); Priority::ALL.iter().enumerate().map(|(i, p)| view! { <option value=i.to_string() prop:selected=priority.get_untracked() == *p>{priority_name(*p, lang)}</option> }).collect_view() }}
                    </select></label>
                {move || error.get().map(|(zh, en)| view! { <p class="error wide" role="alert" data-testid="task-error">{if s.lang.get() == Lang::Zh { zh } else { en }}</p> })}
                <div class="modal-actions wide">
                    <div class="spacer"></div>
                    <button type="button" class="btn" on:click=move |_| s.work.set(None)>{move || s.t(T::Cancel)}</button>
                    <button type="submit" class="btn primary" data-testid="task-save">{move || s.t(T::Save)}</button>
                </div>
            </form>
        </Modal>
    }
}

/// One line of a timeline, as text: (day, what, detail, who, overdue).
fn event_line(w: &Workspace, e: &Event, today: chrono::NaiveDate, lang: Lang) -> (String, String, String, String, bool) {
    let stage = |id: Id| w.stages.get(&id).map(|x| x.name.get(lang).to_string()).unwrap_or_default();
    match e {
        Event::Activity(a) => {
            let mut what = kind_name(a.kind, lang).to_string();
            if a.minutes > 0 {
                what.push_str(&T::MinutesShort.fill(lang, &[&a.minutes]));
            }
            let mut detail = a.outcome.clone();
            if !a.next_step.is_empty() {
                detail = T::NextStepIs.fill(lang, &[&detail, &a.next_step]).trim_start_matches([' ', '·']).to_string();
            }
            (a.on.to_string(), what, detail, w.person_name(Some(a.by), lang), false)
        }
        Event::Stage(o, h) => {
            let to = stage(h.to);
            let what = match h.from {
                Some(f) => format!("{} → {to}", stage(f)),
                None => T::CreatedIn.fill(lang, &[&to]),
            };
            (h.on.to_string(), T::StageEvent.get(lang).to_string(), what, w.person_name(h.by.or(Some(o.owner)), lang), false)
        }
        Event::Change(o, c) => {
            let mut parts = Vec::new();
            if let Some((a, b)) = c.amount {
                parts.push(format!("{} {} → {}", T::Amount.get(lang), money(a.0), money(b.0)));
            }
            if let Some((a, b)) = c.close_date {
                parts.push(format!("{} {a} → {b}", T::CloseDate.get(lang)));
            }
            (c.on.to_string(), T::ChangeEvent.get(lang).to_string(), parts.join(" · "), w.person_name(c.by.or(Some(o.owner)), lang), false)
        }
        Event::Task(t) => {
            let state = match work::due(t, today) {
                Due::Done => T::TaskDone.get(lang),
                Due::Overdue => T::Overdue.get(lang),
                _ => T::TaskOpen.get(lang),
            };
            (
                t.done.unwrap_or(t.due).to_string(),
                format!("{} · {state}", T::TaskEvent.get(lang)),
                t.title.clone(),
                w.person_name(Some(t.assignee), lang),
                t.overdue(today),
            )
        }
    }
}

/// A deal's (or a customer's) timeline, newest first, with buttons to log
/// an activity or add a task.
#[component]
pub fn Timeline(#[prop(optional)] deal: Option<Id>, #[prop(optional)] customer: Option<Id>) -> impl IntoView {
    let s = use_app();
    let lines = Memo::new(move |_| {
        let lang = s.lang.get();
        let today = s.today();
        s.ws.with(|w| {
            let events = match (deal, customer) {
                (Some(d), _) => work::deal_timeline(w, d),
                (None, Some(c)) => work::customer_timeline(w, c),
                _ => Vec::new(),
            };
            events.iter().take(200).map(|e| event_line(w, e, today, lang)).collect::<Vec<_>>()
        })
    });
    view! {
        <div class="timeline-head">
            <h4>{move || s.t(T::Timeline)}</h4>
            <div class="spacer"></div>
            <button type="button" class="btn small" data-testid="timeline-log" on:click=move |_| s.work.set(Some(WorkDialog::Log { customer, deal }))>{move || s.t(T::LogActivity)}</button>
            <button type="button" class="btn small" data-testid="timeline-task" on:click=move |_| s.work.set(Some(WorkDialog::Task { customer, deal }))>{move || s.t(T::NewTask)}</button>
        </div>
        // Scrolls when long: focusable so the keyboard can scroll it.
        <ol class="timeline wrap" data-testid="timeline" tabindex="0" aria-label=move || s.t(T::Timeline)>
            {move || lines.get().into_iter().map(|(day, what, detail, who, late)| view! {
                <li data-testid="timeline-item" class:late=late>
                    <span class="muted small tl-day">{day}</span>
                    <span class="strong">{what}</span>
                    <span>{detail}</span>
                    <span class="muted small">{who}</span>
                </li>
            }).collect_view()}
            <Show when=move || lines.with(|l| l.is_empty())>
                <li class="muted">{move || s.t(T::NothingYet)}</li>
            </Show>
        </ol>
    }
}

/// A task's done box: ticking it marks the task done today; unticking opens it again.
pub fn done_box(s: AppState, id: Id, done: bool, label: String) -> impl IntoView {
    view! {
        <input type="checkbox" data-testid="task-done" aria-label=label prop:checked=done
            on:change=move |ev| {
                let done = event_target_checked(&ev).then(|| s.today());
                s.dispatch(Edit::SetTaskDone { id, done });
            }/>
    }
}
