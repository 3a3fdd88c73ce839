//! The workspace document: plain serde types, no behaviour beyond lookups.
//!
//! Every record carries a stable [`Id`], a revision counter and an
//! updated-at timestamp; deleted records leave a [`Tombstone`]. This is what
//! record-by-record merge stands on (see `engine::merge`).
//!
//! Later pillars (targets, budgets, CRM, scorecards, incentives) add new
//! sections to [`Workspace`] together with a migration in `io::migrate`.

pub mod crm;
pub mod exchange;
pub mod keys;
pub mod money;
pub mod perf;
pub mod plan;
pub mod when;
pub mod work;

pub use crm::*;
pub use exchange::*;
pub use keys::{KeyOrigin, KnownKey, PublicKey};
pub use money::{Money, MoneyParseError};
pub use perf::*;
pub use plan::*;
pub use work::*;

use crate::i18n::Lang;
use crate::sort::{Arrange, Gather};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use uuid::Uuid;

/// Schema version of the document this build writes.
pub const SCHEMA_VERSION: u32 = 8;

/// A stable record id (a UUID v4 when generated).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(pub Uuid);

/// Reads an id as `uuid` does, the hyphenated form (the only one this app
/// writes) without `uuid`'s general parser: opening a workspace reads
/// every record's ids, and the general parser was a tenth of the store's
/// read at 1,000 people. Any other text goes to `uuid` as before, errors
/// and all.
impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
        when::fast_or(d, "a UUID string", |s| Id::hyphenated(s).map(|id| id.0)).map(Id)
    }
}

impl Id {
    /// Builds a version-4 id from 16 random bytes. The caller supplies the
    /// randomness (web crypto in the browser, a seeded RNG in the demo), so
    /// core stays deterministic and free of platform glue.
    pub fn from_random_bytes(bytes: [u8; 16]) -> Id {
        Id(uuid::Builder::from_random_bytes(bytes).into_uuid())
    }

    pub fn parse(s: &str) -> Option<Id> {
        Id::hyphenated(s).or_else(|| Uuid::parse_str(s).ok().map(Id))
    }

    /// The 36-character hyphenated form, either case; None for any other text.
    fn hyphenated(s: &str) -> Option<Id> {
        /// Where each byte's two hex digits start.
        const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
        /// Each character's hex value, 0xFF for a character that is not a digit.
        const HEX: [u8; 256] = {
            let mut t = [0xFF; 256];
            let mut c = 0;
            while c < 256 {
                t[c] = match c as u8 {
                    d @ b'0'..=b'9' => d - b'0',
                    d @ b'a'..=b'f' => d - b'a' + 10,
                    d @ b'A'..=b'F' => d - b'A' + 10,
                    _ => 0xFF,
                };
                c += 1;
            }
            t
        };
        let b = s.as_bytes();
        if b.len() != 36 || b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
            return None;
        }
        let mut out = [0u8; 16];
        let mut bad = 0;
        for (byte, at) in out.iter_mut().zip(AT) {
            let (hi, lo) = (HEX[b[at] as usize], HEX[b[at + 1] as usize]);
            bad |= hi | lo;
            *byte = hi << 4 | lo;
        }
        if bad > 0x0F {
            return None;
        }
        Some(Id(Uuid::from_bytes(out)))
    }

    /// First 8 hex digits: enough to tell records apart in messages.
    pub fn short(&self) -> String {
        self.0.simple().to_string()[..8].to_string()
    }
}

/// The JSON Schema of a newtype the file writes as a plain value.
#[cfg(feature = "schema")]
macro_rules! schema_of {
    ($t:ty, $name:literal, $schema:tt) => {
        impl schemars::JsonSchema for $t {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!($schema)
            }
        }
    };
}

#[cfg(feature = "schema")]
schema_of!(Id, "Id", {
    "type": "string",
    "format": "uuid",
    "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    "description": "A record id: a UUID (8-4-4-4-12 hex digits). A record's key in its section is its id. New tiers, units, people, customers, deals and the like take a random (version 4) UUID. Target, budget and headcount lines, time splits, forecast overrides, scorecards, KPI entries, bonus pools and the default categories and stages have ids derived from what they are about: `sales-tiers id …` prints them (on import, a record under another id is moved to its derived id when nothing else holds it)."
});

#[cfg(feature = "schema")]
schema_of!(Money, "Money", {
    "type": "integer",
    "description": "Money in minor units (1/100 of the currency unit: fen, cents), as a JSON integer: 123456 is 1,234.56. Never a float or a string. At most 10^15 currency units."
});

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.short())
    }
}

/// A user-facing text in both product languages. Either side may be empty;
/// [`Text::get`] falls back to the other one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Chinese (简体中文). May be left out or empty when `en` is given.
    #[serde(default)]
    pub zh: String,
    /// English. May be left out or empty when `zh` is given.
    #[serde(default)]
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: en.into() }
    }

    /// The same text in both languages (e.g. a name typed once).
    pub fn both(s: impl Into<String>) -> Text {
        let s = s.into();
        Text { zh: s.clone(), en: s }
    }

    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Zh => (&self.zh, &self.en),
            Lang::En => (&self.en, &self.zh),
        };
        if first.trim().is_empty() {
            second
        } else {
            first
        }
    }

    pub fn is_blank(&self) -> bool {
        self.zh.trim().is_empty() && self.en.trim().is_empty()
    }

    /// Longest side in characters (for length limits).
    pub fn max_chars(&self) -> usize {
        self.zh.chars().count().max(self.en.chars().count())
    }
}

/// The kinds of record the document holds (used by tombstones, messages and merge).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Tier,
    Unit,
    Person,
    Skill,
    Grade,
    Target,
    Budget,
    Headcount,
    Category,
    Tool,
    TimeSplit,
    Scenario,
    Customer,
    Stage,
    Opportunity,
    Override,
    Scorecard,
    Kpi,
    KpiEntry,
    IncentivePlan,
    Pool,
    Spif,
    Exchange,
    Key,
    Activity,
    Task,
}

/// Workspace identity. Not edited after creation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The workspace's own id (a random UUID). Files of one workspace share it;
    /// two files merge only when it is the same.
    pub id: Id,
    /// When the workspace was made (RFC 3339).
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub created_at: DateTime<Utc>,
    /// True for a generated demo workspace; the UI labels it clearly.
    #[serde(default)]
    pub demo: bool,
}

/// Workspace-wide settings, a single mergeable record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The workspace's name, shown in the app and in reports.
    pub workspace_name: String,
    /// Language of the document's own outputs (CLI reports, exported texts).
    /// The UI language is a per-browser preference and lives outside the document.
    pub language: Lang,
    /// ISO 4217 code, three capital letters (CNY). Every amount is in its
    /// minor unit (1/100).
    pub currency: String,
    /// Calendar month the fiscal year starts in, 1–12 (1 = January, 4 =
    /// April). A fiscal year is named by the calendar year it starts in, and
    /// every 12-month array (a target's `months`) starts at this month.
    pub fiscal_year_start_month: u8,
    /// Locked months as [fiscal year, fiscal month 1–12] pairs: no target
    /// edits there.
    #[serde(default)]
    pub locked_months: std::collections::BTreeSet<(i32, u8)>,
    /// An open deal with no activity for this many days is stale (a
    /// stage's own `stale_days` wins); 0 turns the rule off.
    #[serde(default = "default_stale_days")]
    pub stale_days: u16,
}

/// Days without an activity before an open deal is stale, by default.
pub const DEFAULT_STALE_DAYS: u16 = 30;

fn default_stale_days() -> u16 {
    DEFAULT_STALE_DAYS
}

/// A tier of the sales organisation (director, regional manager, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    pub name: Text,
    /// 0 is the top tier.
    pub order: u32,
    /// What the tier is responsible for, one text each.
    #[serde(default)]
    pub duties: Vec<Text>,
}

/// A node of the org tree: the company, a region, a team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    pub name: Text,
    /// The parent unit; null (or left out) only for the single root.
    pub parent: Option<Id>,
    /// The person who manages this unit, a member of it; null (or left out)
    /// while vacant.
    pub manager: Option<Id>,
    /// Position among siblings.
    #[serde(default)]
    pub order: u32,
}

/// Whether a person is working, on leave or gone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Active,
    OnLeave,
    /// Leavers keep their record and history.
    Left,
}

/// A person of the sales organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    pub name: Text,
    #[serde(default)]
    pub title: Text,
    /// The person's tier (a key of `tiers`).
    pub tier: Id,
    /// The unit the person belongs to (a key of `units`).
    pub unit: Id,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// Date of hire, YYYY-MM-DD.
    #[serde(default)]
    #[serde(deserialize_with = "crate::model::when::opt_day")]
    pub hire_date: Option<NaiveDate>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub notes: String,
    /// Skill ratings 1–5, by skill id.
    #[serde(default)]
    pub skills: BTreeMap<Id, u8>,
    /// The grade last recorded for this person (by promotion); the grade
    /// the rules give is computed, never stored.
    #[serde(default)]
    pub grade: Option<Id>,
    /// Promotions, tier changes, moves, status changes; oldest first.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}

/// One line of a person's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    /// When it happened (RFC 3339).
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub at: DateTime<Utc>,
    pub event: PersonEvent,
    #[serde(default)]
    pub note: String,
}

/// What happened to a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PersonEvent {
    Promoted { from: Option<Id>, to: Id },
    TierChanged { from: Id, to: Id },
    Moved { from: Id, to: Id },
    StatusChanged { from: Status, to: Status },
}

/// A configurable skill people are rated on (1–5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Skill {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    pub name: Text,
    /// Position in lists, 0 first.
    #[serde(default)]
    pub order: u32,
}

/// An explicit factor a grade rule measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// Active people in the units a manager runs, themselves excluded.
    TeamSize,
    /// Sum of the targets of the units a manager runs, in minor units.
    TargetManaged,
    /// Average attainment over the last `periods` periods, in percent.
    Attainment,
    /// Average skill rating × 10 (35 = 3.5).
    SkillsAvg,
    /// Months since hire.
    TenureMonths,
    /// Average scorecard score (points) over the last `periods` complete
    /// fiscal quarters (0: this fiscal year's complete quarters).
    Score,
}

impl Factor {
    pub const ALL: [Factor; 6] =
        [Factor::TeamSize, Factor::TargetManaged, Factor::Attainment, Factor::Score, Factor::SkillsAvg, Factor::TenureMonths];

    /// Measured over a look-back window of quarters.
    pub fn windowed(self) -> bool {
        matches!(self, Factor::Attainment | Factor::Score)
    }
}

/// "factor ≥ min". For attainment, `periods` is the look-back window.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// What the rule measures.
    pub factor: Factor,
    /// The least the factor must reach, in the factor's unit: a count, money in
    /// minor units, percent, average rating × 10, months, or score points.
    pub min: i64,
    /// Look-back window in complete fiscal quarters, for attainment and score
    /// (0: this fiscal year's complete quarters).
    #[serde(default)]
    pub periods: u32,
}

/// A manager grade (初级 / 中级 / 高级 by default) of one tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Grade {
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// The tier the grade belongs to.
    pub tier: Id,
    pub name: Text,
    /// 0 is the lowest grade of the tier.
    pub rank: u32,
    /// Every rule must hold for a manager to reach the grade.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// What is left of a deleted record, so a merge can tell "deleted" from "never seen".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tombstone {
    pub id: Id,
    /// The kind of record deleted.
    pub kind: Kind,
    /// The deleted record's last revision + 1.
    pub rev: u64,
    /// When it was deleted (RFC 3339).
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub deleted_at: DateTime<Utc>,
}

/// The whole document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Workspace {
    /// Version of this document (6).
    pub schema_version: u32,
    /// The workspace's identity.
    pub meta: Meta,
    /// Name, currency, language, fiscal year.
    pub settings: Settings,
    /// Tiers by id (director, regional manager, ...).
    #[serde(default)]
    pub tiers: BTreeMap<Id, Tier>,
    /// Units of the org tree by id: one root, the rest under it.
    #[serde(default)]
    pub units: BTreeMap<Id, Unit>,
    /// People by id.
    #[serde(default)]
    pub people: BTreeMap<Id, Person>,
    /// Skills people are rated on, by id.
    #[serde(default)]
    pub skills: BTreeMap<Id, Skill>,
    /// Manager grades by id.
    #[serde(default)]
    pub grades: BTreeMap<Id, Grade>,
    /// Targets, budgets, headcount and capacity assumptions.
    pub plan: Plan,
    /// What-if copies of the plan, by id.
    #[serde(default)]
    pub scenarios: BTreeMap<Id, Scenario>,
    /// Budget categories by id. A new workspace in the app gets the defaults
    /// (personnel, marketing, travel, tools, training, other; `sales-tiers id
    /// category KEY`); a file that leaves this out has none.
    #[serde(default)]
    pub categories: BTreeMap<Id, Category>,
    /// Tools and licences with a cost per seat, by id.
    #[serde(default)]
    pub tools: BTreeMap<Id, Tool>,
    /// Time splits of tiers and people, by derived id (`sales-tiers id
    /// time-split`).
    #[serde(default)]
    pub time_splits: BTreeMap<Id, TimeSplit>,
    /// Customers by id.
    #[serde(default)]
    pub customers: BTreeMap<Id, Customer>,
    /// Pipeline stages by id. A new workspace in the app gets the defaults
    /// (lead, qualified, proposal, negotiation, won, lost; `sales-tiers id
    /// stage KEY`); a file that leaves this out has none.
    #[serde(default)]
    pub stages: BTreeMap<Id, Stage>,
    /// Opportunities (deals) by id.
    #[serde(default)]
    pub opportunities: BTreeMap<Id, Opportunity>,
    /// Managers' forecast calls, by derived id (`sales-tiers id override`).
    #[serde(default)]
    pub overrides: BTreeMap<Id, ForecastOverride>,
    /// Scorecard templates, one per tier, by derived id (`sales-tiers id
    /// scorecard`).
    #[serde(default)]
    pub scorecards: BTreeMap<Id, ScorecardTemplate>,
    /// Custom KPIs entered by hand, by id.
    #[serde(default)]
    pub kpis: BTreeMap<Id, CustomKpi>,
    /// Figures of KPIs entered by hand, by derived id (`sales-tiers id
    /// kpi-entry`).
    #[serde(default)]
    pub kpi_entries: BTreeMap<Id, KpiEntry>,
    /// Rating bands.
    pub performance: PerfSettings,
    /// Incentive (commission) plans by id.
    #[serde(default)]
    pub incentive_plans: BTreeMap<Id, IncentivePlan>,
    /// Bonus pools by derived id (`sales-tiers id pool`).
    #[serde(default)]
    pub pools: BTreeMap<Id, BonusPool>,
    /// SPIFs (one-off bonuses) by id.
    #[serde(default)]
    pub spifs: BTreeMap<Id, Spif>,
    /// Logged calls, visits, meetings, e-mails and notes, by id.
    #[serde(default)]
    pub activities: BTreeMap<Id, Activity>,
    /// Follow-up tasks, by id.
    #[serde(default)]
    pub tasks: BTreeMap<Id, Task>,
    /// Deleted records, by the id they had.
    #[serde(default)]
    pub tombstones: BTreeMap<Id, Tombstone>,
    /// Set only in a branch workspace: where it came from and the revisions
    /// it was issued with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<BranchInfo>,
    /// Files sent, opened and merged, by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exchange: BTreeMap<Id, ExchangeEntry>,
    /// Public keys of people, by id derived from the key: who signed a file.
    /// This workspace's own trust decisions: not sent in branch files.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub keys: BTreeMap<Id, KnownKey>,
}

impl Workspace {
    /// An empty workspace: settings only, no tiers, units or people.
    pub fn empty(id: Id, name: &str, lang: Lang, now: DateTime<Utc>) -> Workspace {
        Workspace {
            schema_version: SCHEMA_VERSION,
            meta: Meta { id, created_at: now, demo: false },
            settings: Settings {
                rev: 1,
                updated_at: now,
                workspace_name: name.to_string(),
                language: lang,
                currency: "CNY".to_string(),
                fiscal_year_start_month: 1,
                locked_months: Default::default(),
                stale_days: DEFAULT_STALE_DAYS,
            },
            tiers: BTreeMap::new(),
            units: BTreeMap::new(),
            people: BTreeMap::new(),
            skills: BTreeMap::new(),
            grades: BTreeMap::new(),
            plan: Plan::new(now),
            scenarios: BTreeMap::new(),
            categories: default_categories(now),
            tools: BTreeMap::new(),
            time_splits: BTreeMap::new(),
            customers: BTreeMap::new(),
            stages: default_stages(now),
            opportunities: BTreeMap::new(),
            overrides: BTreeMap::new(),
            scorecards: BTreeMap::new(),
            kpis: BTreeMap::new(),
            kpi_entries: BTreeMap::new(),
            performance: PerfSettings::default_at(now),
            incentive_plans: BTreeMap::new(),
            pools: BTreeMap::new(),
            spifs: BTreeMap::new(),
            activities: BTreeMap::new(),
            tasks: BTreeMap::new(),
            tombstones: BTreeMap::new(),
            branch: None,
            exchange: BTreeMap::new(),
            keys: BTreeMap::new(),
        }
    }

    /// Is `id` the key of any record, live or deleted, in any section (plan
    /// lines of the plan and of every scenario included)? A new record must
    /// not take such an id.
    pub fn holds_id(&self, id: Id) -> bool {
        let plan_holds = |p: &Plan| p.targets.contains_key(&id) || p.budgets.contains_key(&id) || p.headcount.contains_key(&id);
        self.tiers.contains_key(&id)
            || self.units.contains_key(&id)
            || self.people.contains_key(&id)
            || self.skills.contains_key(&id)
            || self.grades.contains_key(&id)
            || self.scenarios.contains_key(&id)
            || self.categories.contains_key(&id)
            || self.tools.contains_key(&id)
            || self.time_splits.contains_key(&id)
            || self.customers.contains_key(&id)
            || self.stages.contains_key(&id)
            || self.opportunities.contains_key(&id)
            || self.overrides.contains_key(&id)
            || self.scorecards.contains_key(&id)
            || self.kpis.contains_key(&id)
            || self.kpi_entries.contains_key(&id)
            || self.incentive_plans.contains_key(&id)
            || self.pools.contains_key(&id)
            || self.spifs.contains_key(&id)
            || self.activities.contains_key(&id)
            || self.tasks.contains_key(&id)
            || self.tombstones.contains_key(&id)
            || self.exchange.contains_key(&id)
            || self.keys.contains_key(&id)
            || plan_holds(&self.plan)
            || self.scenarios.values().any(|s| plan_holds(&s.plan))
    }

    /// A tier's scorecard template.
    pub fn scorecard_of(&self, tier: Id) -> Option<&ScorecardTemplate> {
        self.scorecards.get(&ScorecardTemplate::id_for(tier))
    }

    /// Stages sorted by their order.
    pub fn stages_in_order(&self) -> Vec<&Stage> {
        let mut v: Vec<&Stage> = self.stages.values().collect();
        v.arrange_by_key(|s| (s.order, s.id));
        v
    }

    /// The root unit, if there is exactly one.
    pub fn root(&self) -> Option<&Unit> {
        let mut roots = self.units.values().filter(|u| u.parent.is_none());
        let first = roots.next()?;
        roots.next().is_none().then_some(first)
    }

    /// Tiers sorted from the top.
    pub fn tiers_in_order(&self) -> Vec<&Tier> {
        let mut v: Vec<&Tier> = self.tiers.values().collect();
        v.arrange_by_key(|t| (t.order, t.id));
        v
    }

    /// Budget categories sorted by their order.
    pub fn categories_in_order(&self) -> Vec<&Category> {
        let mut v: Vec<&Category> = self.categories.values().collect();
        v.arrange_by_key(|c| (c.order, c.id));
        v
    }

    /// The plan a scenario id names (None = the base plan).
    pub fn plan_of(&self, scenario: Option<Id>) -> Option<&Plan> {
        match scenario {
            None => Some(&self.plan),
            Some(s) => self.scenarios.get(&s).map(|s| &s.plan),
        }
    }

    /// The time split that applies to a person: their override, else their tier's, else the default.
    pub fn split_of(&self, person: &Person) -> (Split, bool) {
        if let Some(t) = self.time_splits.get(&TimeSplit::id_for(person.id)) {
            return (t.split, true);
        }
        (self.tier_split(person.tier), false)
    }

    pub fn tier_split(&self, tier: Id) -> Split {
        match self.time_splits.get(&TimeSplit::id_for(tier)) {
            Some(t) => t.split,
            None => Split::default_for(self.tiers.get(&tier).map(|t| t.order).unwrap_or(99)),
        }
    }

    /// Skills sorted by their order.
    pub fn skills_in_order(&self) -> Vec<&Skill> {
        let mut v: Vec<&Skill> = self.skills.values().collect();
        v.arrange_by_key(|s| (s.order, s.id));
        v
    }

    /// Grades of one tier, lowest first.
    pub fn grades_of(&self, tier: Id) -> Vec<&Grade> {
        let mut v: Vec<&Grade> = self.grades.values().filter(|g| g.tier == tier).collect();
        v.arrange_by_key(|g| (g.rank, g.id));
        v
    }

    /// A person's name in `lang` ("" for none or an unknown id).
    pub fn person_name(&self, id: Option<Id>, lang: Lang) -> String {
        id.and_then(|i| self.people.get(&i)).map(|p| p.name.get(lang).to_string()).unwrap_or_default()
    }

    /// The unit this person manages, if any.
    pub fn managed_unit(&self, person: Id) -> Option<&Unit> {
        self.units.values().find(|u| u.manager == Some(person))
    }

    /// People in the organisation: those who have not left (what the
    /// organisation page, the import dialog and the backup row count).
    pub fn people_count(&self) -> usize {
        self.people.values().filter(|p| p.status != Status::Left).count()
    }

    /// Most recent change to any record.
    pub fn last_changed(&self) -> DateTime<Utc> {
        let mut t = self.settings.updated_at;
        for u in self.units.values() {
            t = t.max(u.updated_at);
        }
        for p in self.people.values() {
            t = t.max(p.updated_at);
        }
        for x in self.tiers.values() {
            t = t.max(x.updated_at);
        }
        for x in self.skills.values() {
            t = t.max(x.updated_at);
        }
        for x in self.grades.values() {
            t = t.max(x.updated_at);
        }
        for x in self.tombstones.values() {
            t = t.max(x.deleted_at);
        }
        t
    }
}

/// Default budget categories; ids derived from their key so every workspace
/// (and the v2 → v3 migration) gives the same ones.
pub fn default_categories(now: DateTime<Utc>) -> BTreeMap<Id, Category> {
    DEFAULT_CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, (key, zh, en))| {
            let id = default_category_id(key);
            (id, Category { id, rev: 1, updated_at: now, name: Text::new(*zh, *en), order: i as u32, tools: *key == "tools" })
        })
        .gather_map()
}

pub const DEFAULT_CATEGORIES: [(&str, &str, &str); 6] = [
    ("personnel", "人员", "Personnel"),
    ("marketing", "市场", "Marketing"),
    ("travel", "差旅", "Travel"),
    ("tools", "工具与软件", "Tools & software"),
    ("training", "培训", "Training"),
    ("other", "其他", "Other"),
];

/// Id of a default budget category by key ("personnel", "tools", ...).
pub fn default_category_id(key: &str) -> Id {
    derived_id("category", &[key.as_bytes()])
}

#[cfg(test)]
mod id_tests {
    use super::*;
    use proptest::prelude::*;

    /// What `uuid` itself reads from the JSON text `json`, as an Id or the error's message.
    fn by_uuid(json: &str) -> Result<Id, String> {
        serde_json::from_str::<Uuid>(json).map(Id).map_err(|e| e.to_string())
    }

    fn by_id(json: &str) -> Result<Id, String> {
        serde_json::from_str::<Id>(json).map_err(|e| e.to_string())
    }

    proptest! {
        #[test]
        fn reads_every_written_id_as_uuid_does(bytes in any::<[u8; 16]>(), upper in any::<bool>()) {
            let u = Uuid::from_bytes(bytes);
            let text = if upper { u.hyphenated().to_string().to_uppercase() } else { u.hyphenated().to_string() };
            prop_assert_eq!(Id::parse(&text), Some(Id(u)));
            let json = serde_json::to_string(&text).unwrap();
            prop_assert_eq!(by_id(&json), Ok(Id(u)));
            prop_assert_eq!(serde_json::to_string(&Id(u)).unwrap(), serde_json::to_string(&u).unwrap());
        }

        /// Near-ids (hyphens moved, letters outside hex, other lengths and
        /// forms): the same id or the same error as `uuid`.
        #[test]
        fn anything_else_as_uuid_does(s in "[0-9a-fA-FgG{}:urn-]{30,40}") {
            let json = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(by_id(&json), by_uuid(&json));
            prop_assert_eq!(Id::parse(&s), Uuid::parse_str(&s).ok().map(Id));
        }
    }

    proptest! {
        /// A written id with one character changed to anything (a hex digit
        /// of the other case, a letter past f, a sign, a hyphen, a non-ASCII
        /// character): the same id or the same error as `uuid`.
        #[test]
        fn a_written_id_with_one_character_changed(bytes in any::<[u8; 16]>(), at in 0..36usize, c in prop_oneof![Just('g'), Just('G'), Just('+'), Just('-'), Just('é'), Just('０'), any::<char>()]) {
            let mut text: Vec<char> = Uuid::from_bytes(bytes).hyphenated().to_string().chars().collect();
            text[at] = c;
            let s: String = text.into_iter().collect();
            let json = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(by_id(&json), by_uuid(&json));
            prop_assert_eq!(Id::parse(&s), Uuid::parse_str(&s).ok().map(Id));
        }
    }

    #[test]
    fn other_forms_and_types() {
        let u = Uuid::from_bytes([0xab; 16]);
        for text in [u.simple().to_string(), u.braced().to_string(), u.urn().to_string(), format!("{}x", u.hyphenated())] {
            let json = serde_json::to_string(&text).unwrap();
            assert_eq!(by_id(&json), by_uuid(&json), "{text}");
        }
        assert!(by_id("7").is_err());
        assert!(by_id("null").is_err());
        // An escaped string (not borrowed from the input) reads the same.
        let escaped = format!("\"\\u00{:x}{}\"", u.hyphenated().to_string().as_bytes()[0], &u.hyphenated().to_string()[1..]);
        assert_eq!(by_id(&escaped), Ok(Id(u)));
    }
}
