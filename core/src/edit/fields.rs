//! The editable fields of records as edits carry them (people, settings,
//! bonus pools, customers, opportunities, stages), and the checks every
//! pillar's edits share: names, lengths and fresh ids.

use super::EditError;
use crate::i18n::Lang;
use crate::limits::*;
use crate::model::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The editable fields of a person (everything but id, unit and bookkeeping).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFields {
    pub name: Text,
    pub title: Text,
    pub tier: Id,
    pub email: String,
    pub phone: String,
    pub hire_date: Option<NaiveDate>,
    pub status: Status,
    pub notes: String,
}

impl PersonFields {
    pub fn of(p: &Person) -> PersonFields {
        PersonFields {
            name: p.name.clone(),
            title: p.title.clone(),
            tier: p.tier,
            email: p.email.clone(),
            phone: p.phone.clone(),
            hire_date: p.hire_date,
            status: p.status,
            notes: p.notes.clone(),
        }
    }
}

/// Partial settings update: `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsPatch {
    pub workspace_name: Option<String>,
    pub language: Option<Lang>,
    pub currency: Option<String>,
    pub fiscal_year_start_month: Option<u8>,
    /// Days without an activity before an open deal is stale (0: off).
    #[serde(default)]
    pub stale_days: Option<u16>,
}

/// The fields of a logged activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityFields {
    pub kind: ActivityKind,
    pub customer: Id,
    pub opportunity: Option<Id>,
    pub by: Id,
    pub on: chrono::NaiveDate,
    pub minutes: u32,
    pub outcome: String,
    pub next_step: String,
}

impl ActivityFields {
    pub fn of(a: &Activity) -> ActivityFields {
        ActivityFields {
            kind: a.kind,
            customer: a.customer,
            opportunity: a.opportunity,
            by: a.by,
            on: a.on,
            minutes: a.minutes,
            outcome: a.outcome.clone(),
            next_step: a.next_step.clone(),
        }
    }
}

/// The editable fields of a task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFields {
    pub title: String,
    pub assignee: Id,
    pub due: chrono::NaiveDate,
    pub priority: Priority,
    pub customer: Option<Id>,
    pub opportunity: Option<Id>,
    pub activity: Option<Id>,
    pub notes: String,
}

impl TaskFields {
    pub fn of(t: &Task) -> TaskFields {
        TaskFields {
            title: t.title.clone(),
            assignee: t.assignee,
            due: t.due,
            priority: t.priority,
            customer: t.customer,
            opportunity: t.opportunity,
            activity: t.activity,
            notes: t.notes.clone(),
        }
    }
}

/// The editable fields of a bonus pool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolFields {
    pub amount: Money,
    pub member_cap: Option<Money>,
    pub weights: BTreeMap<Id, u32>,
}

/// The editable fields of a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerFields {
    pub name: String,
    pub industry: String,
    pub region: String,
    pub segment: Segment,
    pub owner: Option<Id>,
    pub key_account: bool,
    pub status: CustomerStatus,
    pub notes: String,
    pub created: NaiveDate,
    pub contacts: Vec<Contact>,
}

impl CustomerFields {
    pub fn of(c: &Customer) -> CustomerFields {
        CustomerFields {
            name: c.name.clone(),
            industry: c.industry.clone(),
            region: c.region.clone(),
            segment: c.segment,
            owner: c.owner,
            key_account: c.key_account,
            status: c.status,
            notes: c.notes.clone(),
            created: c.created,
            contacts: c.contacts.clone(),
        }
    }
}

/// The editable fields of an opportunity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityFields {
    pub name: String,
    pub customer: Id,
    pub owner: Id,
    pub amount: Money,
    pub close_date: NaiveDate,
    pub stage: Id,
    pub probability: u8,
    pub category: ForecastCategory,
    pub notes: String,
    pub created: NaiveDate,
    pub loss_reason: String,
    /// Gross margin (None: not known).
    #[serde(default)]
    pub margin: Option<Money>,
}

impl OpportunityFields {
    pub fn of(o: &Opportunity) -> OpportunityFields {
        OpportunityFields {
            name: o.name.clone(),
            customer: o.customer,
            owner: o.owner,
            amount: o.amount,
            close_date: o.close_date,
            stage: o.stage,
            probability: o.probability,
            category: o.category,
            notes: o.notes.clone(),
            created: o.created,
            loss_reason: o.loss_reason.clone(),
            margin: o.margin,
        }
    }
}

/// The editable fields of a stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageFields {
    pub name: Text,
    pub probability: u8,
    pub outcome: Outcome,
    pub category: ForecastCategory,
    /// Days without an activity before a deal here is stale (None: the
    /// workspace's setting).
    #[serde(default)]
    pub stale_days: Option<u16>,
}

pub(super) fn check_name(name: &Text) -> Result<(), EditError> {
    if name.is_blank() {
        return Err(EditError::BlankName);
    }
    check_len("name", name.max_chars(), MAX_NAME_CHARS)
}

pub(super) fn check_len(field: &'static str, len: usize, max: usize) -> Result<(), EditError> {
    if len > max {
        Err(EditError::TooLong { field, len, max })
    } else {
        Ok(())
    }
}

/// A date within the years a document may hold.
pub(super) fn check_date(d: chrono::NaiveDate) -> Result<(), EditError> {
    if crate::limits::date_ok(d) {
        Ok(())
    } else {
        Err(EditError::DateOutOfRange)
    }
}

pub(super) fn check_new_id(ws: &Workspace, id: Id) -> Result<(), EditError> {
    if ws.holds_id(id) {
        Err(EditError::IdTaken { id })
    } else {
        Ok(())
    }
}
