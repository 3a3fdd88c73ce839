//! Daily work around customers and deals: logged activities (跟进记录) and
//! follow-up tasks.
//!
//! Activities are the bulk of daily records (several per deal), so empty
//! optional fields are left out of the JSON, as for opportunities.

use super::Id;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

fn is_blank(s: &str) -> bool {
    s.is_empty()
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What kind of contact an activity was.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    #[default]
    Call,
    Visit,
    Meeting,
    Email,
    Note,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 5] =
        [ActivityKind::Call, ActivityKind::Visit, ActivityKind::Meeting, ActivityKind::Email, ActivityKind::Note];

    /// (zh, en) names.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            ActivityKind::Call => ("电话", "Call"),
            ActivityKind::Visit => ("拜访", "Visit"),
            ActivityKind::Meeting => ("会议", "Meeting"),
            ActivityKind::Email => ("邮件", "E-mail"),
            ActivityKind::Note => ("备注", "Note"),
        }
    }

    /// The file's name of the kind ("call", "visit", ...), for CSV and URLs.
    pub fn key(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Visit => "visit",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Email => "email",
            ActivityKind::Note => "note",
        }
    }

    /// Reads a kind from its key or from either language's name.
    pub fn parse(s: &str) -> Option<ActivityKind> {
        let s = s.trim();
        ActivityKind::ALL.into_iter().find(|k| {
            let (zh, en) = k.names();
            s.eq_ignore_ascii_case(k.key()) || s == zh || s.eq_ignore_ascii_case(en)
        })
    }

    /// A contact with the customer (a note is not one): what the activities
    /// KPI counts.
    pub fn is_contact(self) -> bool {
        self != ActivityKind::Note
    }
}

/// A logged activity on a customer, and optionally one of its deals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// Call, visit, meeting, e-mail or note.
    pub kind: ActivityKind,
    /// The customer (a key of `customers`).
    pub customer: Id,
    /// The deal it was about (a key of `opportunities`, of that customer);
    /// null or left out for the customer as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity: Option<Id>,
    /// Who did it (a key of `people`).
    pub by: Id,
    /// The day it happened, YYYY-MM-DD: it counts in the period of this day.
    #[serde(deserialize_with = "crate::model::when::day")]
    pub on: NaiveDate,
    /// Duration in minutes (0 or left out: not recorded).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub minutes: u32,
    /// What came of it.
    #[serde(default, skip_serializing_if = "is_blank")]
    pub outcome: String,
    /// The next step agreed (a task may have been made of it).
    #[serde(default, skip_serializing_if = "is_blank")]
    pub next_step: String,
}

/// How urgent a task is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::High, Priority::Normal, Priority::Low];

    /// (zh, en) names.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Priority::Low => ("低", "Low"),
            Priority::Normal => ("中", "Normal"),
            Priority::High => ("高", "High"),
        }
    }
}

/// A follow-up: something someone has to do by a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// What to do.
    pub title: String,
    /// Who has to do it (a key of `people`).
    pub assignee: Id,
    /// The day it is due, YYYY-MM-DD; overdue from the day after.
    #[serde(deserialize_with = "crate::model::when::day")]
    pub due: NaiveDate,
    #[serde(default)]
    pub priority: Priority,
    /// The customer it is about (a key of `customers`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Id>,
    /// The deal it is about (a key of `opportunities`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity: Option<Id>,
    /// The activity whose next step it is (a key of `activities`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Id>,
    /// When it was made, YYYY-MM-DD.
    #[serde(deserialize_with = "crate::model::when::day")]
    pub created: NaiveDate,
    /// Who made it (None: not recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Id>,
    /// The day it was done; null or left out while open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::model::when::opt_day")]
    pub done: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub notes: String,
}

impl Task {
    /// Open and due before `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.done.is_none() && self.due < today
    }
}
