//! Daily work rules: activities and tasks.

use super::problem::check_str;
use super::Problem;
use crate::limits::*;
use crate::model::{Id, Kind, Workspace};

pub(super) fn validate_work(ws: &Workspace, out: &mut Vec<Problem>) {
    for (kind, count, max) in [(Kind::Activity, ws.activities.len(), MAX_ACTIVITIES), (Kind::Task, ws.tasks.len(), MAX_TASKS)] {
        if count > max {
            out.push(Problem::TooMany { kind, count, max });
        }
    }
    if ws.settings.stale_days > MAX_STALE_DAYS || ws.stages.values().any(|s| s.stale_days.is_some_and(|d| d > MAX_STALE_DAYS)) {
        out.push(Problem::OutOfRange { kind: Kind::Stage, id: ws.meta.id, field: "stale_days" });
    }
    let header = |out: &mut Vec<Problem>, kind: Kind, key: &Id, id: Id| {
        if *key != id {
            out.push(Problem::KeyMismatch { kind, key: *key, id });
        }
        if ws.tombstones.contains_key(key) {
            out.push(Problem::DeletedButPresent { kind, id: *key });
        }
    };
    // A deal reference: the deal exists and, when a customer is named too,
    // is that customer's.
    // The nil id stands for a record outside the branch this file is.
    let hidden = |r: &Option<Id>| r.is_some_and(|x| x.0.is_nil());
    let deal = |out: &mut Vec<Problem>, kind: Kind, id: Id, customer: Option<Id>, deal: Option<Id>| {
        let Some(d) = deal.filter(|d| !d.0.is_nil()) else { return };
        let customer = customer.filter(|c| !c.0.is_nil());
        match ws.opportunities.get(&d) {
            None => out.push(Problem::MissingRef { kind, id, field: "opportunity", target: d }),
            Some(o) if customer.is_some_and(|c| c != o.customer) => out.push(Problem::OutOfRange { kind, id, field: "opportunity" }),
            Some(_) => {}
        }
    };
    for (k, a) in &ws.activities {
        let kind = Kind::Activity;
        header(out, kind, k, a.id);
        if !date_ok(a.on) {
            out.push(Problem::OutOfRange { kind, id: a.id, field: "on" });
        }
        if a.minutes > MAX_ACTIVITY_MINUTES {
            out.push(Problem::OutOfRange { kind, id: a.id, field: "minutes" });
        }
        if !ws.customers.contains_key(&a.customer) {
            out.push(Problem::MissingRef { kind, id: a.id, field: "customer", target: a.customer });
        }
        deal(out, kind, a.id, Some(a.customer), a.opportunity);
        // The nil id: someone outside the branch this file is.
        if !a.by.0.is_nil() && !ws.people.contains_key(&a.by) {
            out.push(Problem::MissingRef { kind, id: a.id, field: "by", target: a.by });
        }
        check_str(out, kind, a.id, "outcome", &a.outcome, MAX_NOTE_CHARS);
        check_str(out, kind, a.id, "next_step", &a.next_step, MAX_SHORT_TEXT_CHARS);
    }
    for (k, t) in &ws.tasks {
        let kind = Kind::Task;
        header(out, kind, k, t.id);
        if t.title.trim().is_empty() {
            out.push(Problem::BlankName { kind, id: t.id });
        }
        check_str(out, kind, t.id, "title", &t.title, MAX_SHORT_TEXT_CHARS);
        check_str(out, kind, t.id, "notes", &t.notes, MAX_NOTE_CHARS);
        if !date_ok(t.due) || !date_ok(t.created) || t.done.is_some_and(|d| !date_ok(d)) {
            out.push(Problem::OutOfRange { kind, id: t.id, field: "dates" });
        }
        if !ws.people.contains_key(&t.assignee) {
            out.push(Problem::MissingRef { kind, id: t.id, field: "assignee", target: t.assignee });
        }
        if let Some(c) = t.customer.filter(|c| !hidden(&Some(*c)) && !ws.customers.contains_key(c)) {
            out.push(Problem::MissingRef { kind, id: t.id, field: "customer", target: c });
        }
        deal(out, kind, t.id, t.customer, t.opportunity);
        if let Some(a) = t.activity.filter(|a| !hidden(&Some(*a)) && !ws.activities.contains_key(a)) {
            out.push(Problem::MissingRef { kind, id: t.id, field: "activity", target: a });
        }
    }
}
