//! Pillar 3 records: scorecard templates per tier (KPIs, weights, scoring
//! curves), custom KPIs, manual KPI entries, rating bands, incentive plans,
//! bonus pools and SPIFs.
//!
//! Units: weights, rates and attainment bounds in basis points (100 % =
//! 10,000); money in minor units.

use super::{derived_id, Id, Money, Text};
use crate::calendar::Period;
use crate::sort::Gather;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What a KPI measures. The first kinds read the CRM and the plan; the
/// manual ones read [`KpiEntry`] records. In a file: "revenue", ...,
/// "strategic", or {"custom": "<id of a custom KPI>"}.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum KpiKind {
    /// Own won revenue ÷ own revenue target.
    Revenue,
    /// Customers created with this owner ÷ own new-customer target.
    NewCustomers,
    /// Gross margin of won deals ÷ own gross-margin target.
    GrossMargin,
    /// Open pipeline ÷ what is left of the target, against a goal multiple
    /// (for managers: their unit's).
    Coverage,
    /// Won ÷ (won + lost) deals, against a goal rate (managers: their unit's).
    WinRate,
    /// The managed unit's won revenue ÷ its target.
    TeamAttainment,
    /// Share of the team's members (with a target) who are not off track.
    TeamOnTrack,
    /// Logged calls, visits, meetings and e-mails in the period ÷ the
    /// line's goal per month times the period's months.
    Activities,
    /// Logged visits, the same way.
    Visits,
    /// Logged meetings, the same way.
    Meetings,
    /// Manual: strategic goals, 0–100 %.
    Strategic,
    /// Manual, defined in the KPI library.
    Custom(Id),
}

impl KpiKind {
    /// The built-in kinds, in library order.
    pub const BUILT_IN: [KpiKind; 11] = [
        KpiKind::Revenue,
        KpiKind::NewCustomers,
        KpiKind::GrossMargin,
        KpiKind::Coverage,
        KpiKind::WinRate,
        KpiKind::TeamAttainment,
        KpiKind::TeamOnTrack,
        KpiKind::Activities,
        KpiKind::Visits,
        KpiKind::Meetings,
        KpiKind::Strategic,
    ];

    /// Entered by hand per person and period.
    pub fn is_manual(self) -> bool {
        matches!(self, KpiKind::Strategic | KpiKind::Custom(_))
    }

    /// Counted from logged activities, against a goal per month.
    pub fn counts_activities(self) -> bool {
        matches!(self, KpiKind::Activities | KpiKind::Visits | KpiKind::Meetings)
    }

    /// Scored against a goal kept on the scorecard line (not a plan target).
    pub fn has_goal(self) -> bool {
        matches!(self, KpiKind::Coverage | KpiKind::WinRate | KpiKind::TeamOnTrack) || self.counts_activities()
    }

    /// Default goal: coverage 3× (percent 300), win rate 30 %, 80 % on track
    /// (bp); activities 40, visits 8 and meetings 6 a month (counts).
    pub fn default_goal(self) -> u32 {
        match self {
            KpiKind::Coverage => 300,
            KpiKind::WinRate => 3_000,
            KpiKind::TeamOnTrack => 8_000,
            KpiKind::Activities => 40,
            KpiKind::Visits => 8,
            KpiKind::Meetings => 6,
            _ => 0,
        }
    }

    /// A stable text key (ids of derived records, CSV columns).
    pub fn key(self) -> String {
        match self {
            KpiKind::Custom(id) => format!("custom:{id}"),
            k => serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
        }
    }

    /// Reads a [`KpiKind::key`] back ("revenue", "custom:<id>").
    pub fn from_key(key: &str) -> Option<KpiKind> {
        match key.strip_prefix("custom:") {
            Some(id) => Id::parse(id).map(KpiKind::Custom),
            None => serde_json::from_value(serde_json::Value::String(key.to_string())).ok(),
        }
    }
}

/// How a KPI's attainment becomes a score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Curve {
    /// score = min(actual ÷ target, cap).
    Linear {
        /// The highest score, basis points of attainment (15,000 = 150 points).
        cap_bp: u32,
    },
    /// 0 below the floor, linear capped above it.
    Threshold {
        /// Attainment under which the score is 0, basis points (8,000 = 80 %).
        floor_bp: u32,
        /// The highest score, basis points (15,000 = 150 points).
        cap_bp: u32,
    },
    /// The score of the highest band reached.
    Banded {
        /// [from attainment, score] pairs, both in basis points: [8000, 6000]
        /// scores 60 points from 80 % attainment.
        bands: Vec<(u32, u32)>,
    },
}

impl Default for Curve {
    fn default() -> Self {
        Curve::Linear { cap_bp: 15_000 }
    }
}

impl Curve {
    /// A threshold curve to start from: nothing under 80 %, capped at 150 %.
    pub fn default_threshold() -> Curve {
        Curve::Threshold { floor_bp: 8_000, cap_bp: 15_000 }
    }

    /// A banded curve to start from: under 80 % → 0, 80 % → 60, 100 % → 100, 120 % → 130.
    pub fn default_banded() -> Curve {
        Curve::Banded { bands: vec![(0, 0), (8_000, 6_000), (10_000, 10_000), (12_000, 13_000)] }
    }
}

/// One KPI of a scorecard template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KpiLine {
    /// What the line measures.
    pub kpi: KpiKind,
    /// Weight in basis points; a template's weights add up to 10,000 (100 %).
    pub weight_bp: u32,
    /// How attainment becomes a score (default: linear, capped at 150 points).
    #[serde(default)]
    pub curve: Curve,
    /// The goal of the kinds scored against one (0 for the others): coverage
    /// in percent of the target left to win (300 = 3×), win rate and team on
    /// track in basis points (3,000 = 30 %).
    #[serde(default)]
    pub goal: u32,
}

/// The scorecard of one tier. Its id is derived from the tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScorecardTemplate {
    /// Derived from the tier: `sales-tiers id scorecard --tier ID`.
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The tier judged by this scorecard (a key of `tiers`).
    pub tier: Id,
    /// The KPIs, weights adding up to 10,000 basis points.
    pub lines: Vec<KpiLine>,
}

impl ScorecardTemplate {
    pub fn id_for(tier: Id) -> Id {
        derived_id("scorecard", &[tier.0.as_bytes()])
    }

    pub fn weight_sum(&self) -> u32 {
        self.lines.iter().map(|l| l.weight_bp).sum()
    }
}

/// A manual KPI of the library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomKpi {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The KPI's name.
    pub name: Text,
}

/// A manual KPI's figures for one person and period, with who entered them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KpiEntry {
    /// Derived from person, KPI, year and period: `sales-tiers id kpi-entry
    /// --person ID --kpi KPI --period 2026-Q3`.
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The person (a key of `people`).
    pub person: Id,
    /// A KPI entered by hand: activities, strategic or {"custom": ID}.
    pub kpi: KpiKind,
    /// Fiscal year, named by the calendar year it starts in.
    pub year: i32,
    /// The fiscal period of `year`.
    pub period: Period,
    /// What was done, in the KPI's own unit (activities: a count); strategic
    /// goals: basis points of completion (7,500 = 75 %).
    pub actual: i64,
    /// What was planned, same unit, above 0; strategic goals: 10,000.
    pub target: i64,
    /// Who entered it (None: not recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Id>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl KpiEntry {
    pub fn id_for(person: Id, kpi: KpiKind, year: i32, period: Period) -> Id {
        let p = serde_json::to_string(&period).unwrap_or_default();
        derived_id("kpi_entry", &[person.0.as_bytes(), kpi.key().as_bytes(), &year.to_le_bytes(), p.as_bytes()])
    }
}

/// A rating band: name and the lowest score (basis points) it takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The rating (A, B, ...).
    pub name: Text,
    /// The lowest score that gets this rating, basis points (11,000 = 110
    /// points); the last band's is 0.
    pub min_bp: u32,
    /// The calibration guideline's share of people, basis points (2,000 = 20
    /// %).
    pub guideline_bp: u32,
}

/// Workspace-wide performance settings, a single mergeable record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PerfSettings {
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// Rating bands, best (highest minimum) first; the last starts at 0.
    pub bands: Vec<Band>,
}

impl PerfSettings {
    /// A ≥ 110, B ≥ 90, C ≥ 70, D below; guideline 20 / 70 (B and C) / 10.
    pub fn default_at(now: DateTime<Utc>) -> PerfSettings {
        let b = |n: &str, min_bp, guideline_bp| Band { name: Text::both(n), min_bp, guideline_bp };
        PerfSettings {
            rev: 1,
            updated_at: now,
            bands: vec![b("A", 11_000, 2_000), b("B", 9_000, 4_000), b("C", 7_000, 3_000), b("D", 0, 1_000)],
        }
    }
}

// ---------------------------------------------------------------- incentives

/// How attainment tiers apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TierMode {
    /// Each rate applies to the slice of the actual within its tier.
    #[default]
    Marginal,
    /// The rate of the highest tier reached applies to the whole actual.
    Retroactive,
}

/// A tier of attainment: from `from_bp` of the target upward, `rate_bp` of
/// the amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RateTier {
    /// Where the tier starts, attainment in basis points of the target (10,000
    /// = 100 %).
    pub from_bp: u32,
    /// Commission rate in basis points of the amount: 500 = 5 % (5 would be
    /// 0.05 %).
    pub rate_bp: u32,
}

/// The mechanics of a commission plan for one settlement period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanRules {
    /// Attainment tiers (the first usually from 0). A higher rate above 100 %
    /// is an accelerator, a lower one a decelerator.
    pub tiers: Vec<RateTier>,
    /// Marginal (each rate on its slice) or retroactive (the rate reached on
    /// all).
    #[serde(default)]
    pub mode: TierMode,
    /// Attainment in basis points under which nothing is paid (8,000 = 80 %).
    #[serde(default)]
    pub threshold_bp: u32,
    /// Most a period's commission can be, money in minor units (null or left
    /// out: no cap).
    #[serde(default)]
    pub cap: Option<Money>,
    /// For managers: this share of their team's won revenue on top, basis
    /// points (100 = 1 %).
    #[serde(default)]
    pub override_bp: u32,
    /// Multiply the commission by the scorecard score ÷ 100.
    #[serde(default)]
    pub scorecard_multiplier: bool,
}

/// How often a plan settles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Month,
    #[default]
    Quarter,
    Year,
}

/// An incentive plan: rules, who it applies to, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IncentivePlan {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The plan's name.
    pub name: Text,
    /// Everyone of this tier (a key of `tiers`), unless a plan names them.
    #[serde(default)]
    pub tier: Option<Id>,
    /// People assigned by name (keys of `people`); they take this plan over
    /// their tier's.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub people: BTreeSet<Id>,
    /// How often it settles: month, quarter or year (fiscal).
    #[serde(default)]
    pub frequency: Frequency,
    /// First day in force, YYYY-MM-DD (null or left out: open-ended).
    #[serde(default)]
    #[serde(deserialize_with = "crate::model::when::opt_day")]
    pub from: Option<NaiveDate>,
    /// Last day in force, YYYY-MM-DD (null or left out: open-ended).
    #[serde(default)]
    #[serde(deserialize_with = "crate::model::when::opt_day")]
    pub to: Option<NaiveDate>,
    /// How the commission is worked out for one settlement period.
    pub rules: PlanRules,
}

/// A bonus pool of a unit for a period, split by weight × score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BonusPool {
    /// Derived from unit, year and period: `sales-tiers id pool --unit ID
    /// --period 2026-Q3`.
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The unit whose members share the pool (a key of `units`).
    pub unit: Id,
    /// Fiscal year, named by the calendar year it starts in.
    pub year: i32,
    /// The fiscal period of `year`.
    pub period: Period,
    /// The pool, money in minor units.
    pub amount: Money,
    /// Most one member can get, money in minor units (null or left out: no
    /// cap).
    #[serde(default)]
    pub member_cap: Option<Money>,
    /// Members' weights 0–1000 by person id (1 for everyone not listed).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub weights: BTreeMap<Id, u32>,
}

impl BonusPool {
    /// A member's weight: 1 unless set.
    pub fn weight_of(&self, person: Id) -> u32 {
        self.weights.get(&person).copied().unwrap_or(1)
    }
}

impl BonusPool {
    pub fn id_for(unit: Id, year: i32, period: Period) -> Id {
        let p = serde_json::to_string(&period).unwrap_or_default();
        derived_id("pool", &[unit.0.as_bytes(), &year.to_le_bytes(), p.as_bytes()])
    }
}

/// What a SPIF counts within its dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SpifMeasure {
    /// Won deals whose name or notes mention a product.
    ProductDeals {
        /// The product's name, as it appears in deals.
        product: String,
    },
    /// New customers created with this owner.
    NewCustomers,
    /// Won amount (minor units).
    WonAmount,
}

/// A one-off bonus for reaching a named goal between two dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Spif {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The SPIF's name.
    pub name: Text,
    /// First day counted, YYYY-MM-DD.
    #[serde(deserialize_with = "crate::model::when::day")]
    pub from: NaiveDate,
    /// Last day counted, YYYY-MM-DD; paid in the period of this day.
    #[serde(deserialize_with = "crate::model::when::day")]
    pub to: NaiveDate,
    /// What is counted.
    pub measure: SpifMeasure,
    /// What must be reached: a count of deals or customers, or money in minor
    /// units for a won amount.
    pub goal: i64,
    /// The bonus, money in minor units.
    pub bonus: Money,
    /// Only people of this tier (null or left out: everyone).
    #[serde(default)]
    pub tier: Option<Id>,
}

/// The seed's scorecard for a tier at `order` (0 = top): director —
/// company attainment and strategic goals; regional manager — regional
/// attainment and team coverage; team lead — team task completion and rep
/// attainment; rep — own quota, new customers and pipeline.
pub fn default_scorecard_lines(order: u32) -> Vec<KpiLine> {
    let l = |kpi: KpiKind, w: u32| KpiLine { kpi, weight_bp: w, curve: Curve::default(), goal: kpi.default_goal() };
    match order {
        0 => vec![l(KpiKind::TeamAttainment, 7_000), l(KpiKind::Strategic, 3_000)],
        1 => vec![l(KpiKind::TeamAttainment, 7_000), l(KpiKind::Coverage, 3_000)],
        2 => vec![l(KpiKind::TeamAttainment, 6_000), l(KpiKind::TeamOnTrack, 4_000)],
        _ => vec![l(KpiKind::Revenue, 6_000), l(KpiKind::NewCustomers, 2_000), l(KpiKind::Coverage, 2_000)],
    }
}

/// Default scorecards for the given tiers (id, order).
pub fn default_scorecards(tiers: &[(Id, u32)], now: DateTime<Utc>) -> BTreeMap<Id, ScorecardTemplate> {
    tiers
        .iter()
        .map(|(tier, order)| {
            let id = ScorecardTemplate::id_for(*tier);
            (id, ScorecardTemplate { id, rev: 1, updated_at: now, tier: *tier, lines: default_scorecard_lines(*order) })
        })
        .gather_map()
}
