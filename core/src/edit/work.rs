//! Daily work edits: logging activities and handling follow-up tasks.

use super::fields::{check_date, check_len, check_new_id};
use super::{ActivityFields, EditError, TaskFields, Tx};
use crate::edit::Edit;
use crate::limits::*;
use crate::model::*;

fn person(ws: &Workspace, id: Id) -> Result<(), EditError> {
    super::org::person(ws, id).map(|_| ())
}

/// The customer and deal of an activity or task: both exist and the deal
/// is that customer's. Returns the customer (the deal's when only it is given).
fn subject(ws: &Workspace, customer: Option<Id>, deal: Option<Id>) -> Result<Option<Id>, EditError> {
    // The nil id: outside the branch this workspace is, kept as it is.
    let (customer, deal) = (customer.filter(|c| !c.0.is_nil()), deal.filter(|d| !d.0.is_nil()));
    let of_deal = match deal {
        Some(d) => Some(ws.opportunities.get(&d).ok_or(EditError::NotFound { kind: Kind::Opportunity, id: d })?.customer),
        None => None,
    };
    if let Some(c) = customer {
        if !ws.customers.contains_key(&c) {
            return Err(EditError::NotFound { kind: Kind::Customer, id: c });
        }
        if of_deal.is_some_and(|x| x != c) {
            return Err(EditError::DealOfAnotherCustomer);
        }
    }
    Ok(customer.or(of_deal))
}

fn check_activity(ws: &Workspace, f: &ActivityFields, now: chrono::DateTime<chrono::Utc>) -> Result<Id, EditError> {
    let customer = subject(ws, Some(f.customer), f.opportunity)?.unwrap_or(f.customer);
    person(ws, f.by)?;
    check_date(f.on)?;
    // What is planned is a task; a day of slack for time zones.
    if f.on > now.date_naive() + chrono::Days::new(1) {
        return Err(EditError::ActivityInFuture);
    }
    if f.minutes > MAX_ACTIVITY_MINUTES {
        return Err(EditError::BadMinutes { max: MAX_ACTIVITY_MINUTES });
    }
    check_len("outcome", f.outcome.chars().count(), MAX_NOTE_CHARS)?;
    check_len("next_step", f.next_step.chars().count(), MAX_SHORT_TEXT_CHARS)?;
    Ok(customer)
}

fn check_task(ws: &Workspace, f: &TaskFields) -> Result<Option<Id>, EditError> {
    if f.title.trim().is_empty() {
        return Err(EditError::BlankTaskTitle);
    }
    check_len("title", f.title.chars().count(), MAX_SHORT_TEXT_CHARS)?;
    check_len("notes", f.notes.chars().count(), MAX_NOTE_CHARS)?;
    person(ws, f.assignee)?;
    check_date(f.due)?;
    if let Some(a) = f.activity.filter(|a| !a.0.is_nil()) {
        if !ws.activities.contains_key(&a) {
            return Err(EditError::NotFound { kind: Kind::Activity, id: a });
        }
    }
    subject(ws, f.customer, f.opportunity)
}

fn activity_from(id: Id, f: &ActivityFields, now: chrono::DateTime<chrono::Utc>) -> Activity {
    Activity {
        id,
        rev: 0,
        updated_at: now,
        kind: f.kind,
        customer: f.customer,
        opportunity: f.opportunity,
        by: f.by,
        on: f.on,
        minutes: f.minutes,
        outcome: f.outcome.trim().to_string(),
        next_step: f.next_step.trim().to_string(),
    }
}

pub(super) fn work(tx: &mut Tx, edit: &Edit) -> Result<(), EditError> {
    let now = tx.now;
    match edit {
        Edit::LogActivity { id, fields } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.activities.len() >= MAX_ACTIVITIES {
                return Err(EditError::Limit { kind: Kind::Activity, max: MAX_ACTIVITIES });
            }
            check_activity(tx.ws, fields, now)?;
            tx.put(activity_from(*id, fields, now));
        }
        Edit::UpdateActivity { id, fields } => {
            let old = tx.ws.activities.get(id).ok_or(EditError::NotFound { kind: Kind::Activity, id: *id })?;
            let rev = old.rev;
            check_activity(tx.ws, fields, now)?;
            let mut a = activity_from(*id, fields, now);
            a.rev = rev;
            tx.put(a);
        }
        Edit::DeleteActivity { id } => {
            if !tx.ws.activities.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Activity, id: *id });
            }
            // Tasks made of its next step stay, no longer pointing at it.
            let made: Vec<Task> = tx.ws.tasks.values().filter(|t| t.activity == Some(*id)).cloned().collect();
            for mut t in made {
                t.activity = None;
                tx.put(t);
            }
            tx.delete::<Activity>(*id);
        }
        Edit::AddTask { id, fields: f, by, on } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.tasks.len() >= MAX_TASKS {
                return Err(EditError::Limit { kind: Kind::Task, max: MAX_TASKS });
            }
            check_date(*on)?;
            let customer = check_task(tx.ws, f)?;
            tx.put(Task {
                id: *id,
                rev: 0,
                updated_at: now,
                title: f.title.trim().to_string(),
                assignee: f.assignee,
                due: f.due,
                priority: f.priority,
                customer,
                opportunity: f.opportunity,
                activity: f.activity,
                created: *on,
                by: *by,
                done: None,
                notes: f.notes.clone(),
            });
        }
        Edit::UpdateTask { id, fields: f } => {
            let mut t = tx.ws.tasks.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Task, id: *id })?;
            let customer = check_task(tx.ws, f)?.or(f.customer);
            t.title = f.title.trim().to_string();
            t.assignee = f.assignee;
            t.due = f.due;
            t.priority = f.priority;
            t.customer = customer;
            t.opportunity = f.opportunity;
            t.activity = f.activity;
            t.notes = f.notes.clone();
            tx.put(t);
        }
        Edit::SetTaskDone { id, done } => {
            let mut t = tx.ws.tasks.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Task, id: *id })?;
            if let Some(d) = done {
                check_date(*d)?;
            }
            if t.done != *done {
                t.done = *done;
                tx.put(t);
            }
        }
        Edit::DeleteTask { id } => {
            if !tx.ws.tasks.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Task, id: *id });
            }
            tx.delete::<Task>(*id);
        }
        _ => unreachable!("not a daily-work edit"),
    }
    Ok(())
}

/// A deleted deal's activities and tasks stay with its customer.
pub(super) fn detach_deal(tx: &mut Tx, deal: Id) {
    let acts: Vec<Activity> = tx.ws.activities.values().filter(|a| a.opportunity == Some(deal)).cloned().collect();
    for mut a in acts {
        a.opportunity = None;
        tx.put(a);
    }
    let tasks: Vec<Task> = tx.ws.tasks.values().filter(|t| t.opportunity == Some(deal)).cloned().collect();
    for mut t in tasks {
        t.opportunity = None;
        tx.put(t);
    }
}

/// A deleted customer's tasks stay, about nothing in particular. (A
/// customer with activities cannot be deleted.)
pub(super) fn detach_customer(tx: &mut Tx, customer: Id) {
    let tasks: Vec<Task> = tx.ws.tasks.values().filter(|t| t.customer == Some(customer)).cloned().collect();
    for mut t in tasks {
        t.customer = None;
        tx.put(t);
    }
}
