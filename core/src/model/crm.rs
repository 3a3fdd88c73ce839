//! Pillar 4 records: customers with their contacts, configurable pipeline
//! stages, opportunities with their stage history, and forecast overrides.
//!
//! Opportunities are the bulk of a document (tens of thousands), so empty
//! optional fields are left out of the JSON to keep the stored copy small.

use super::{derived_id, Id, Money, Text};
use crate::calendar::Period;
use crate::sort::Gather;
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// Where a customer stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The contact's name.
    pub name: String,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub role: String,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub phone: String,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub email: String,
}

/// A customer (account).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Customer {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The customer's name.
    pub name: String,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub industry: String,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub region: String,
    #[serde(default)]
    pub segment: Segment,
    /// The person who owns the account (a key of `people`); null (or left
    /// out) for none.
    pub owner: Option<Id>,
    /// Key accounts are owned or overseen at director tier.
    #[serde(default, skip_serializing_if = "is_false")]
    pub key_account: bool,
    #[serde(default)]
    pub status: CustomerStatus,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub notes: String,
    /// When the customer was created, YYYY-MM-DD (counts for the new
    /// customers target and KPI).
    #[serde(deserialize_with = "crate::model::when::day")]
    pub created: NaiveDate,
    /// People at the customer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
}

/// Where a stage leads: still open, won or lost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    pub name: Text,
    /// Position in the pipeline, 0 first.
    pub order: u32,
    /// Default win probability of deals entering the stage, percent (0–100;
    /// not basis points).
    pub probability: u8,
    /// Open, won or lost: a won or lost stage closes the deal.
    #[serde(default)]
    pub outcome: Outcome,
    /// Default forecast category of open deals entering the stage.
    #[serde(default)]
    pub category: ForecastCategory,
    /// Days without an activity before an open deal in this stage is stale
    /// (null or left out: the workspace's setting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_days: Option<u16>,
}

/// One move of an opportunity between stages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StageChange {
    /// The day of the move, YYYY-MM-DD.
    #[serde(deserialize_with = "crate::model::when::day")]
    pub on: NaiveDate,
    /// None when the opportunity was created in `to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Id>,
    /// The stage moved to (a key of `stages`).
    pub to: Id,
    /// Who moved it (None: not recorded, e.g. an import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Id>,
}

/// An opportunity (deal).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Opportunity {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The deal's name.
    pub name: String,
    /// The customer (a key of `customers`).
    pub customer: Id,
    /// The person who owns the deal (a key of `people`); the won amount counts
    /// for them and rolls up.
    pub owner: Id,
    /// The deal's amount, money in minor units.
    pub amount: Money,
    /// Expected close date of an open deal, YYYY-MM-DD.
    #[serde(deserialize_with = "crate::model::when::day")]
    pub close_date: NaiveDate,
    /// The current stage (a key of `stages`).
    pub stage: Id,
    /// Win probability, percent (0–100; not basis points).
    pub probability: u8,
    /// Forecast category.
    #[serde(default)]
    pub category: ForecastCategory,
    /// Products or notes.
    #[serde(default, skip_serializing_if = "is_blank")]
    pub notes: String,
    /// When the deal was created, YYYY-MM-DD.
    #[serde(deserialize_with = "crate::model::when::day")]
    pub created: NaiveDate,
    /// The day the deal was won or lost, YYYY-MM-DD: set exactly when its stage
    /// is a won or lost one. The won amount counts in the period of this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::model::when::opt_day")]
    pub closed: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "is_blank")]
    pub loss_reason: String,
    /// Gross margin of the deal, money in minor units (null or left out: not
    /// known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin: Option<Money>,
    /// Every stage change, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<StageChange>,
    /// Changes of the amount or the expected close date, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<DealChange>,
}

/// A change of a deal's amount or expected close date (what it became;
/// the one before is the previous change's, or the deal's first value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DealChange {
    /// The day of the change, YYYY-MM-DD.
    #[serde(deserialize_with = "crate::model::when::day")]
    pub on: NaiveDate,
    /// The amount before and after, when it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<(Money, Money)>,
    /// The expected close date before and after, when it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_date: Option<(NaiveDate, NaiveDate)>,
    /// Who changed it (None: not recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Id>,
}

/// A manager's own call on a forecast number, kept beside the rolled-up
/// figure (never replacing it). Keyed by what it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ForecastOverride {
    /// Derived from owner, year, period and category: `sales-tiers id override
    /// --owner ID --category CATEGORY --period 2026-Q3`.
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// A unit or a person (a key of `units` or `people`).
    pub owner: Id,
    /// Fiscal year, named by the calendar year it starts in.
    pub year: i32,
    /// The fiscal period of `year` the call is for.
    pub period: Period,
    /// Which forecast number the call is for (commit, best case, ...).
    pub category: ForecastCategory,
    /// The manager's number, money in minor units.
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
                stale_days: None,
            };
            (id, s)
        })
        .gather_map()
}

/// Id of a default stage by key ("lead", "won", ...).
pub fn default_stage_id(key: &str) -> Id {
    derived_id("stage", &[key.as_bytes()])
}
