//! Pillar 4 rules: customers (with contacts), stages, opportunities and
//! forecast overrides.

use super::derived::check_section;
use super::problem::{check_str, check_text};
use super::{Problem, MAX_AMOUNT};
use crate::limits::*;
use crate::model::{Id, Kind, Outcome, Workspace};

pub(super) fn validate_crm(ws: &Workspace, out: &mut Vec<Problem>) {
    for (kind, count, max) in [
        (Kind::Customer, ws.customers.len(), MAX_CUSTOMERS),
        (Kind::Opportunity, ws.opportunities.len(), MAX_OPPORTUNITIES),
        (Kind::Stage, ws.stages.len(), MAX_STAGES),
    ] {
        if count > max {
            out.push(Problem::TooMany { kind, count, max });
        }
    }
    let dead = |id: &Id| ws.tombstones.contains_key(id);
    for (k, c) in &ws.customers {
        if *k != c.id {
            out.push(Problem::KeyMismatch { kind: Kind::Customer, key: *k, id: c.id });
        }
        if dead(k) {
            out.push(Problem::DeletedButPresent { kind: Kind::Customer, id: *k });
        }
        if c.name.trim().is_empty() {
            out.push(Problem::BlankName { kind: Kind::Customer, id: c.id });
        }
        if !crate::limits::date_ok(c.created) {
            out.push(Problem::OutOfRange { kind: Kind::Customer, id: c.id, field: "created" });
        }
        check_str(out, Kind::Customer, c.id, "name", &c.name, MAX_NAME_CHARS);
        check_str(out, Kind::Customer, c.id, "industry", &c.industry, MAX_NAME_CHARS);
        check_str(out, Kind::Customer, c.id, "region", &c.region, MAX_NAME_CHARS);
        check_str(out, Kind::Customer, c.id, "notes", &c.notes, MAX_NOTE_CHARS);
        if c.contacts.len() > MAX_CONTACTS {
            out.push(Problem::TooLong { kind: Kind::Customer, id: c.id, field: "contacts", len: c.contacts.len(), max: MAX_CONTACTS });
        }
        for x in &c.contacts {
            for (f, v) in [("contacts", &x.name), ("contacts", &x.role), ("contacts", &x.phone), ("contacts", &x.email)] {
                check_str(out, Kind::Customer, c.id, f, v, MAX_SHORT_TEXT_CHARS);
            }
        }
        if let Some(o) = c.owner {
            if !ws.people.contains_key(&o) {
                out.push(Problem::MissingRef { kind: Kind::Customer, id: c.id, field: "owner", target: o });
            }
        }
    }
    for (k, s) in &ws.stages {
        if *k != s.id {
            out.push(Problem::KeyMismatch { kind: Kind::Stage, key: *k, id: s.id });
        }
        if s.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Stage, id: s.id });
        }
        check_text(out, Kind::Stage, s.id, "name", &s.name, MAX_NAME_CHARS);
        if s.probability > 100 {
            out.push(Problem::OutOfRange { kind: Kind::Stage, id: s.id, field: "probability" });
        }
    }
    for (k, o) in &ws.opportunities {
        if *k != o.id {
            out.push(Problem::KeyMismatch { kind: Kind::Opportunity, key: *k, id: o.id });
        }
        if dead(k) {
            out.push(Problem::DeletedButPresent { kind: Kind::Opportunity, id: *k });
        }
        // The edit's date rule (years 2000–2200), for a file as for a form.
        if ![Some(o.close_date), Some(o.created), o.closed].into_iter().flatten().all(crate::limits::date_ok) {
            out.push(Problem::OutOfRange { kind: Kind::Opportunity, id: o.id, field: "dates" });
        }
        if o.name.trim().is_empty() {
            out.push(Problem::BlankName { kind: Kind::Opportunity, id: o.id });
        }
        check_str(out, Kind::Opportunity, o.id, "name", &o.name, MAX_NAME_CHARS);
        check_str(out, Kind::Opportunity, o.id, "notes", &o.notes, MAX_NOTE_CHARS);
        check_str(out, Kind::Opportunity, o.id, "loss_reason", &o.loss_reason, MAX_SHORT_TEXT_CHARS);
        if !ws.customers.contains_key(&o.customer) {
            out.push(Problem::MissingRef { kind: Kind::Opportunity, id: o.id, field: "customer", target: o.customer });
        }
        if !ws.people.contains_key(&o.owner) {
            out.push(Problem::MissingRef { kind: Kind::Opportunity, id: o.id, field: "owner", target: o.owner });
        }
        match ws.stages.get(&o.stage) {
            None => out.push(Problem::MissingRef { kind: Kind::Opportunity, id: o.id, field: "stage", target: o.stage }),
            Some(s) => {
                if (s.outcome == Outcome::Open) == o.closed.is_some() {
                    out.push(Problem::OutOfRange { kind: Kind::Opportunity, id: o.id, field: "closed" });
                }
            }
        }
        if o.amount.0 < 0 || o.amount.0 > MAX_AMOUNT {
            out.push(Problem::OutOfRange { kind: Kind::Opportunity, id: o.id, field: "amount" });
        }
        if o.margin.is_some_and(|m| m.0.abs() > MAX_AMOUNT) {
            out.push(Problem::OutOfRange { kind: Kind::Opportunity, id: o.id, field: "margin" });
        }
        if o.probability > 100 {
            out.push(Problem::OutOfRange { kind: Kind::Opportunity, id: o.id, field: "probability" });
        }
        if o.history.len() > MAX_STAGE_HISTORY {
            out.push(Problem::TooLong {
                kind: Kind::Opportunity,
                id: o.id,
                field: "history",
                len: o.history.len(),
                max: MAX_STAGE_HISTORY,
            });
        }
    }
    check_section(ws, &ws.overrides, out);
    for (k, f) in &ws.overrides {
        if !ws.units.contains_key(&f.owner) && !ws.people.contains_key(&f.owner) {
            out.push(Problem::MissingRef { kind: Kind::Override, id: *k, field: "owner", target: f.owner });
        }
        if f.amount.0 < 0 || f.amount.0 > MAX_AMOUNT || !f.period.valid() {
            out.push(Problem::OutOfRange { kind: Kind::Override, id: *k, field: "amount" });
        }
        check_str(out, Kind::Override, *k, "note", &f.note, MAX_NOTE_CHARS);
    }
}
