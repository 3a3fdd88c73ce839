//! Pillar 4 records: customers with their contacts, configurable pipeline
//! stages, opportunities with their stage history, and forecast overrides.
//!
//! Opportunities are the bulk of a document (tens of thousands), so empty
//! optional fields are left out of the JSON to keep the stored copy small.

use super::{derived_id, Id, Money, Text};
use crate::calendar::Period;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

fn is_blank(s: &str) -> bool {
    s.is_empty()
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Customer size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Small,
    #[default]
    Medium,
    Large,
    Strategic,
}

impl Segment {
    pub const ALL: [Segment; 4] = [Segment::Small, Segment::Medium, Segment::Large, Segment::Strategic];
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerStatus {
    Prospect,
    #[default]
    Active,
    Dormant,
    Churned,
}

impl CustomerStatus {
    pub const ALL: [CustomerStatus; 4] =
        [CustomerStatus::Prospect, CustomerStatus::Active, CustomerStatus::Dormant, CustomerStatus::Churned];
}

/// A person at a customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub role: String,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub phone: String,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    pub id: Id,
    pub rev: u64,
    pub updated_at: DateTime<Utc>,
    pub name: String,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub industry: String,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub region: String,
    #[serde(default)]
    pub segment: Segment,
    /// The person who owns the account.
    pub owner: Option<Id>,
    /// Key accounts are owned or overseen at director tier.
    #[serde(default, skip_serializing_if = "is_false")]
    pub key_account: bool,
    #[serde(default)]
    pub status: CustomerStatus,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub notes: String,
    pub created: NaiveDate,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
}

/// Where a stage leads: still open, won or lost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    #[default]
    Open,
    Won,
    Lost,
}

/// Forecast category of an opportunity (cumulative in reports:
/// commit = closed + commit, best case = commit + best case).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastCategory {
    #[default]
    Pipeline,
    BestCase,
    Commit,
    /// Won.
    Closed,
    /// Lost, or left out of the forecast by the owner.
    Omitted,
}

impl ForecastCategory {
    /// (zh, en) names.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            ForecastCategory::Pipeline => ("管道", "Pipeline"),
            ForecastCategory::BestCase => ("最佳情况", "Best case"),
            ForecastCategory::Commit => ("承诺", "Commit"),
            ForecastCategory::Closed => ("已成交", "Closed"),
            ForecastCategory::Omitted => ("排除", "Omitted"),
        }
    }

    /// The categories an owner picks for an open deal.
    pub const OPEN: [ForecastCategory; 4] =
        [ForecastCategory::Pipeline, ForecastCategory::BestCase, ForecastCategory::Commit, ForecastCategory::Omitted];
    pub const ALL: [ForecastCategory; 5] = [
        ForecastCategory::Pipeline,
        ForecastCategory::BestCase,
        ForecastCategory::Commit,
        ForecastCategory::Closed,
        ForecastCategory::Omitted,
    ];
}

/// A pipeline stage (线索 Lead, 需求确认 Qualified, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: Id,
    pub rev: u64,
    pub updated_at: DateTime<Utc>,
    pub name: Text,
    pub order: u32,
    /// Default probability of deals entering the stage, percent.
    pub probability: u8,
    #[serde(default)]
    pub outcome: Outcome,
    /// Default forecast category of open deals entering the stage.
    #[serde(default)]
    pub category: ForecastCategory,
}

/// One move of an opportunity between stages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageChange {
    pub on: NaiveDate,
    /// None when the opportunity was created in `to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Id>,
    pub to: Id,
    /// Who moved it (None: not recorded, e.g. an import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Id>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opportunity {
    pub id: Id,
    pub rev: u64,
    pub updated_at: DateTime<Utc>,
    pub name: String,
    pub customer: Id,
    pub owner: Id,
    pub amount: Money,
    /// Expected close date (for open deals).
    pub close_date: NaiveDate,
    pub stage: Id,
    /// Percent.
    pub probability: u8,
    #[serde(default)]
    pub category: ForecastCategory,
    /// Products or notes.
    #[serde(default, skip_serializing_if = "is_blank")]
    pub notes: String,
    pub created: NaiveDate,
    /// Set when the deal enters a won or lost stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub loss_reason: String,
    /// Gross margin of the deal (None: not known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin: Option<Money>,
    /// Every stage change, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<StageChange>,
}

/// A manager's own call on a forecast number, kept beside the rolled-up
/// figure (never replacing it). Keyed by what it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastOverride {
    pub id: Id,
    pub rev: u64,
    pub updated_at: DateTime<Utc>,
    /// A unit or a person.
    pub owner: Id,
    pub year: i32,
    pub period: Period,
    pub category: ForecastCategory,
    pub amount: Money,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub note: String,
    /// Who made the call.
    #[serde(default)]
    pub by: Option<Id>,
}

impl ForecastOverride {
    pub fn id_for(owner: Id, year: i32, period: Period, category: ForecastCategory) -> Id {
        let (k, n) = match period {
            Period::Year => (0u8, 0u8),
            Period::Quarter(q) => (1, q),
            Period::Month(m) => (2, m),
        };
        derived_id("override", &[owner.0.as_bytes(), &year.to_le_bytes(), &[k, n], &[category as u8]])
    }
}

/// The default stages (name, probability, outcome, default category).
pub const DEFAULT_STAGES: [(&str, &str, &str, u8, Outcome, ForecastCategory); 6] = [
    ("lead", "线索", "Lead", 10, Outcome::Open, ForecastCategory::Pipeline),
    ("qualified", "需求确认", "Qualified", 20, Outcome::Open, ForecastCategory::Pipeline),
    ("proposal", "方案", "Proposal", 40, Outcome::Open, ForecastCategory::BestCase),
    ("negotiation", "谈判", "Negotiation", 60, Outcome::Open, ForecastCategory::Commit),
    ("won", "赢单", "Won", 100, Outcome::Won, ForecastCategory::Closed),
    ("lost", "输单", "Lost", 0, Outcome::Lost, ForecastCategory::Omitted),
];

/// Default stages with ids derived from their key, so every workspace (and
/// the v3 → v4 migration) gets the same ones and merges line up.
pub fn default_stages(now: DateTime<Utc>) -> std::collections::BTreeMap<Id, Stage> {
    DEFAULT_STAGES
        .iter()
        .enumerate()
        .map(|(i, (key, zh, en, p, outcome, category))| {
            let id = derived_id("stage", &[key.as_bytes()]);
            let s = Stage {
                id,
                rev: 1,
                updated_at: now,
                name: Text::new(*zh, *en),
                order: i as u32,
                probability: *p,
                outcome: *outcome,
                category: *category,
            };
            (id, s)
        })
        .collect()
}

/// Id of a default stage by key ("lead", "won", ...).
pub fn default_stage_id(key: &str) -> Id {
    derived_id("stage", &[key.as_bytes()])
}
