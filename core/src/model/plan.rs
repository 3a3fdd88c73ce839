//! Pillar 2 records: the plan (targets, budgets, headcount, assumptions),
//! budget categories, tools, time allocation and what-if scenarios.
//!
//! Per-owner records (a target line, a budget line, a headcount plan, a time
//! split) get ids *derived* from what they are about (owner, kind, year,
//! category), so two managers who each create "East China's 2026 revenue
//! target" create the same record and a merge lines them up.

use super::{Id, Money, Text};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

pub use crate::calendar::MONTHS;

/// An id derived from a record's natural key.
pub fn derived_id(tag: &str, parts: &[&[u8]]) -> Id {
    let mut h = Sha256::new();
    h.update(tag.as_bytes());
    for p in parts {
        h.update((p.len() as u32).to_le_bytes());
        h.update(p);
    }
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    Id::from_random_bytes(b)
}

/// What a target line counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// Money, minor units.
    Revenue,
    /// A count of customers.
    NewCustomers,
    /// Money, minor units.
    GrossMargin,
}

impl TargetKind {
    pub const ALL: [TargetKind; 3] = [TargetKind::Revenue, TargetKind::NewCustomers, TargetKind::GrossMargin];

    pub fn is_money(self) -> bool {
        self != TargetKind::NewCustomers
    }

    /// The kind in words, for messages.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            TargetKind::Revenue => lang.pick("销售额", "revenue"),
            TargetKind::NewCustomers => lang.pick("新客户", "new customers"),
            TargetKind::GrossMargin => lang.pick("毛利", "gross margin"),
        }
    }

    fn tag(self) -> &'static [u8] {
        match self {
            TargetKind::Revenue => b"revenue",
            TargetKind::NewCustomers => b"new_customers",
            TargetKind::GrossMargin => b"gross_margin",
        }
    }
}

/// One owner's (unit or person) target of one kind for one fiscal year, by month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TargetLine {
    /// Derived from owner, kind and year: `sales-tiers id target --owner ID
    /// --kind KIND --year YEAR`.
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// A unit or a person (a key of `units` or `people`).
    pub owner: Id,
    /// What is targeted: money (revenue, gross margin) or a count (new customers).
    pub kind: TargetKind,
    /// Fiscal year, named by the calendar year it starts in.
    pub year: i32,
    /// The 12 fiscal months in order, the first being the settings'
    /// `fiscal_year_start_month` of `year`: money kinds in minor units
    /// (12345600 is 123,456.00), new customers as a count.
    pub months: [i64; MONTHS],
    /// A locked line keeps its numbers when its parent re-cascades.
    #[serde(default)]
    pub locked: bool,
    /// Share weight for the "by weight" cascade method (a plain number).
    #[serde(default = "one")]
    pub weight: u32,
    /// For a unit's line: how much more than its own target it may hand to
    /// its children, in basis points of it (1,000 = 10 %).
    #[serde(default)]
    pub buffer_bp: u32,
}

fn one() -> u32 {
    1
}

impl TargetLine {
    pub fn id_for(owner: Id, kind: TargetKind, year: i32) -> Id {
        derived_id("target", &[owner.0.as_bytes(), kind.tag(), &year.to_le_bytes()])
    }

    pub fn total(&self) -> i64 {
        self.months.iter().sum()
    }

    pub fn new(owner: Id, kind: TargetKind, year: i32, now: DateTime<Utc>) -> TargetLine {
        TargetLine {
            id: Self::id_for(owner, kind, year),
            rev: 0,
            updated_at: now,
            owner,
            kind,
            year,
            months: [0; MONTHS],
            locked: false,
            weight: 1,
            buffer_bp: 0,
        }
    }
}

/// A unit's budget in one category for one fiscal year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    /// Derived from unit, year and category: `sales-tiers id budget --unit ID
    /// --category ID|KEY --year YEAR`.
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The unit (a key of `units`).
    pub unit: Id,
    /// Fiscal year, named by the calendar year it starts in.
    pub year: i32,
    /// The budget category (a key of `categories`).
    pub category: Id,
    /// The year's budget, money in minor units.
    pub amount: Money,
}

impl BudgetLine {
    pub fn id_for(unit: Id, year: i32, category: Id) -> Id {
        derived_id("budget", &[unit.0.as_bytes(), &year.to_le_bytes(), category.0.as_bytes()])
    }
}

/// Planned hires starting in a fiscal month (1–12).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Hire {
    /// The fiscal month (1–12, 1 = the fiscal start month) the hires start in.
    pub month: u8,
    /// How many people.
    pub count: u32,
}

/// A unit's headcount plan for one fiscal year.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HeadcountPlan {
    /// Derived from unit and year: `sales-tiers id headcount --unit ID --year
    /// YEAR`.
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The unit (a key of `units`).
    pub unit: Id,
    /// Fiscal year, named by the calendar year it starts in.
    pub year: i32,
    /// Planned hires by start month.
    #[serde(default)]
    pub hires: Vec<Hire>,
    /// Expected leavers over the year (a count).
    #[serde(default)]
    pub attrition: u32,
}

impl HeadcountPlan {
    pub fn id_for(unit: Id, year: i32) -> Id {
        derived_id("headcount", &[unit.0.as_bytes(), &year.to_le_bytes()])
    }
}

/// Capacity assumptions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Assumptions {
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// Full annual quota of one ramped rep, money in minor units.
    pub quota_per_rep: Money,
    /// Expected attainment in percent (85 = 85 %; not basis points).
    pub expected_attainment: u32,
    /// Share of full quota in a new rep's first months, percent each (25, 50,
    /// 75); 100 after.
    pub ramp: Vec<u32>,
}

impl Assumptions {
    pub fn default_at(now: DateTime<Utc>) -> Assumptions {
        Assumptions {
            rev: 1,
            updated_at: now,
            quota_per_rep: Money::from_units(2_400_000),
            expected_attainment: 85,
            ramp: vec![25, 50, 75],
        }
    }
}

/// Targets, budgets, headcount and assumptions: what a scenario copies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Target lines by derived id.
    #[serde(default)]
    pub targets: BTreeMap<Id, TargetLine>,
    /// Budget lines by derived id.
    #[serde(default)]
    pub budgets: BTreeMap<Id, BudgetLine>,
    /// Headcount plans by derived id.
    #[serde(default)]
    pub headcount: BTreeMap<Id, HeadcountPlan>,
    /// Capacity assumptions.
    pub assumptions: Assumptions,
}

impl Plan {
    pub fn new(now: DateTime<Utc>) -> Plan {
        Plan { targets: BTreeMap::new(), budgets: BTreeMap::new(), headcount: BTreeMap::new(), assumptions: Assumptions::default_at(now) }
    }

    pub fn target(&self, owner: Id, kind: TargetKind, year: i32) -> Option<&TargetLine> {
        self.targets.get(&TargetLine::id_for(owner, kind, year))
    }

    pub fn budget(&self, unit: Id, year: i32, category: Id) -> Money {
        self.budgets.get(&BudgetLine::id_for(unit, year, category)).map(|b| b.amount).unwrap_or_default()
    }

    /// A unit's budget for the year over all categories.
    pub fn budget_total(&self, unit: Id, year: i32) -> Money {
        Money(self.budgets.values().filter(|b| b.unit == unit && b.year == year).map(|b| b.amount.0).sum())
    }
}

/// A named copy of the plan to try changes on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The scenario's name.
    pub name: Text,
    /// When the scenario was made (RFC 3339).
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub created_at: DateTime<Utc>,
    /// The scenario's copy of the plan.
    pub plan: Plan,
}

/// A budget category (personnel, marketing, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    pub name: Text,
    /// Position in lists, 0 first.
    #[serde(default)]
    pub order: u32,
    /// The category tool seat costs roll up into.
    #[serde(default)]
    pub tools: bool,
}

/// A tool or licence with a yearly cost per seat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    pub name: Text,
    /// Yearly cost of one seat, money in minor units.
    pub cost_per_seat: Money,
    /// People who have a seat (keys of `people`).
    #[serde(default)]
    pub seats: BTreeSet<Id>,
}

/// Shares of working time, percent, summing to 100.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Split {
    /// Strategy, percent.
    pub strategy: u8,
    /// Coaching, percent.
    pub coaching: u8,
    /// Selling, percent.
    pub selling: u8,
    /// Administration, percent.
    pub admin: u8,
    /// Everything else, percent.
    pub other: u8,
}

impl Split {
    pub fn total(&self) -> u32 {
        [self.strategy, self.coaching, self.selling, self.admin, self.other].iter().map(|x| *x as u32).sum()
    }

    pub fn parts(&self) -> [u8; 5] {
        [self.strategy, self.coaching, self.selling, self.admin, self.other]
    }

    pub fn from_parts(p: [u8; 5]) -> Split {
        Split { strategy: p[0], coaching: p[1], selling: p[2], admin: p[3], other: p[4] }
    }

    /// Default split for the tier at `order` (0 = director).
    pub fn default_for(order: u32) -> Split {
        Split::from_parts(match order {
            0 => [40, 20, 10, 20, 10],
            1 => [25, 30, 20, 15, 10],
            2 => [10, 35, 35, 15, 5],
            _ => [0, 5, 70, 20, 5],
        })
    }
}

/// A time split for a tier (the default) or a person (an override).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TimeSplit {
    /// Derived from the owner: `sales-tiers id time-split --owner ID`.
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// A tier (its default) or a person (an override): a key of `tiers` or
    /// `people`.
    pub owner: Id,
    /// Shares of working time, percent, adding up to 100.
    pub split: Split,
}

impl TimeSplit {
    pub fn id_for(owner: Id) -> Id {
        derived_id("time", &[owner.0.as_bytes()])
    }
}
