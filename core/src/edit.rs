//! The one edit path. Every change to a workspace is an [`Edit`] applied by
//! [`apply`], which validates it and returns a [`Patch`] that undoes it.
//! Applying a patch returns the patch that redoes it, so undo and redo are
//! the same operation.

use crate::engine::org::is_ancestor_or_self;
use crate::engine::plan::{Method, Period};
use crate::engine::validate::{kind_name, valid_currency};
use crate::i18n::Lang;
use crate::limits::*;
use crate::model::*;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet, VecDeque};

mod crm;
mod perf;
use crm::crm;

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

/// Partial settings update: `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsPatch {
    pub workspace_name: Option<String>,
    pub language: Option<Lang>,
    pub currency: Option<String>,
    pub fiscal_year_start_month: Option<u8>,
}

/// A change to the document. Ids of new records are chosen by the caller,
/// so an edit is a plain value that can be replayed, logged or sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    UpdateSettings(SettingsPatch),
    AddTier {
        id: Id,
        name: Text,
        duties: Vec<Text>,
    },
    UpdateTier {
        id: Id,
        name: Text,
        duties: Vec<Text>,
    },
    /// Moves a tier to position `order` (0 = top) and renumbers the rest.
    MoveTier {
        id: Id,
        order: u32,
    },
    /// Removes a tier. While people hold it, `reassign_to` must name the
    /// tier they move to; the removed tier's grades go with it.
    RemoveTier {
        id: Id,
        reassign_to: Option<Id>,
    },
    /// `parent: None` creates the root, allowed only in a workspace without units.
    AddUnit {
        id: Id,
        name: Text,
        parent: Option<Id>,
    },
    RenameUnit {
        id: Id,
        name: Text,
    },
    /// Moves a unit with its whole subtree under a new parent.
    MoveUnit {
        id: Id,
        parent: Id,
    },
    /// Refused while the unit has members or child units.
    DeleteUnit {
        id: Id,
    },
    SetManager {
        unit: Id,
        person: Option<Id>,
    },
    AddPerson {
        id: Id,
        unit: Id,
        fields: PersonFields,
    },
    UpdatePerson {
        id: Id,
        fields: PersonFields,
    },
    MovePerson {
        id: Id,
        unit: Id,
    },
    DeletePerson {
        id: Id,
    },
    AddSkill {
        id: Id,
        name: Text,
    },
    RenameSkill {
        id: Id,
        name: Text,
    },
    /// Removes the skill and every rating of it.
    RemoveSkill {
        id: Id,
    },
    /// Rates a person on a skill (1–5), or clears the rating.
    SetRating {
        person: Id,
        skill: Id,
        rating: Option<u8>,
    },
    /// Adds a grade on top of the tier's ladder.
    AddGrade {
        id: Id,
        tier: Id,
        name: Text,
        rules: Vec<Rule>,
    },
    UpdateGrade {
        id: Id,
        name: Text,
        rules: Vec<Rule>,
    },
    /// Removes a grade; people who had it recorded keep their history.
    RemoveGrade {
        id: Id,
    },
    /// Records a promotion to `grade` (of the person's tier) in their history.
    RecordPromotion {
        person: Id,
        grade: Id,
        note: String,
    },
    /// Several edits as one step: all apply, or none (one undo step).
    Batch {
        edits: Vec<Edit>,
    },
    // ---- pillar 2: plan. `scenario: None` edits the plan itself.
    /// Sets an owner's target over a period; a quarter or year is spread
    /// over its months in proportion to what they hold (equally if empty).
    SetTarget {
        scenario: Option<Id>,
        owner: Id,
        kind: TargetKind,
        year: i32,
        period: Period,
        amount: i64,
    },
    SetTargetOptions {
        scenario: Option<Id>,
        owner: Id,
        kind: TargetKind,
        year: i32,
        locked: Option<bool>,
        weight: Option<u32>,
        buffer_bp: Option<u32>,
    },
    /// Splits a unit's target for the period among its unlocked children.
    /// With `deep`, every unit below is then split the same way, level by level.
    Cascade {
        scenario: Option<Id>,
        unit: Id,
        kind: TargetKind,
        year: i32,
        period: Period,
        method: Method,
        today: NaiveDate,
        #[serde(default)]
        deep: bool,
    },
    SetBudget {
        scenario: Option<Id>,
        unit: Id,
        year: i32,
        category: Id,
        amount: Money,
    },
    SetHeadcount {
        scenario: Option<Id>,
        unit: Id,
        year: i32,
        hires: Vec<Hire>,
        attrition: u32,
    },
    SetAssumptions {
        scenario: Option<Id>,
        quota_per_rep: Money,
        expected_attainment: u32,
        ramp: Vec<u32>,
    },
    /// Locks or unlocks fiscal months (1–12) of a year.
    LockMonths {
        year: i32,
        months: Vec<u8>,
        locked: bool,
    },
    AddCategory {
        id: Id,
        name: Text,
    },
    RenameCategory {
        id: Id,
        name: Text,
    },
    /// Refused while any budget uses the category.
    RemoveCategory {
        id: Id,
    },
    AddTool {
        id: Id,
        name: Text,
        cost_per_seat: Money,
    },
    UpdateTool {
        id: Id,
        name: Text,
        cost_per_seat: Money,
    },
    SetSeat {
        tool: Id,
        person: Id,
        on: bool,
    },
    RemoveTool {
        id: Id,
    },
    /// Sets a tier's default split or a person's override; None clears it.
    SetTimeSplit {
        owner: Id,
        split: Option<Split>,
    },
    /// Copies the plan (or another scenario) into a new named scenario.
    CreateScenario {
        id: Id,
        name: Text,
        from: Option<Id>,
    },
    RenameScenario {
        id: Id,
        name: Text,
    },
    DeleteScenario {
        id: Id,
    },
    /// Makes the scenario's plan the plan (locked months keep their targets).
    AdoptScenario {
        id: Id,
    },
    AddCustomer {
        id: Id,
        fields: CustomerFields,
    },
    UpdateCustomer {
        id: Id,
        fields: CustomerFields,
    },
    /// Refused while opportunities belong to the customer.
    DeleteCustomer {
        id: Id,
    },
    /// `on` and `by` go into the stage history (the first entry).
    AddOpportunity {
        id: Id,
        fields: OpportunityFields,
        by: Option<Id>,
    },
    /// A stage change is kept in the history with `on` and `by`.
    UpdateOpportunity {
        id: Id,
        fields: OpportunityFields,
        on: NaiveDate,
        by: Option<Id>,
    },
    /// Moves a deal to a stage (kanban): probability and forecast category
    /// follow the stage's defaults; won and lost stages close it on `on`.
    SetStage {
        id: Id,
        stage: Id,
        on: NaiveDate,
        by: Option<Id>,
    },
    DeleteOpportunity {
        id: Id,
    },
    AddStage {
        id: Id,
        fields: StageFields,
    },
    UpdateStage {
        id: Id,
        fields: StageFields,
    },
    /// Moves a stage to position `order` and renumbers the rest.
    MoveStage {
        id: Id,
        order: u32,
    },
    /// Refused while deals are in the stage.
    RemoveStage {
        id: Id,
    },
    /// A manager's call on a forecast number; None clears it.
    SetOverride {
        owner: Id,
        year: i32,
        period: Period,
        category: ForecastCategory,
        amount: Option<Money>,
        note: String,
        by: Option<Id>,
    },
    /// A tier's scorecard: KPIs with weights summing to 100 %.
    SetScorecard {
        tier: Id,
        lines: Vec<KpiLine>,
    },
    AddKpi {
        id: Id,
        name: Text,
    },
    RenameKpi {
        id: Id,
        name: Text,
    },
    /// Refused while a scorecard uses it; its entries go with it.
    RemoveKpi {
        id: Id,
    },
    /// A manual KPI's (actual, target) for a person and period; None clears it.
    SetKpiEntry {
        person: Id,
        kpi: KpiKind,
        year: i32,
        period: Period,
        figures: Option<(i64, i64)>,
        note: String,
        by: Option<Id>,
    },
    SetBands {
        bands: Vec<Band>,
    },
    /// Adds or replaces an incentive plan.
    PutPlan {
        plan: IncentivePlan,
    },
    DeletePlan {
        id: Id,
    },
    /// A unit's bonus pool for a period; None removes it.
    SetPool {
        unit: Id,
        year: i32,
        period: Period,
        pool: Option<PoolFields>,
    },
    /// Adds or replaces a SPIF.
    PutSpif {
        spif: Spif,
    },
    DeleteSpif {
        id: Id,
    },
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
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    NotFound {
        kind: Kind,
        id: Id,
    },
    IdTaken {
        id: Id,
    },
    BlankName,
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    Limit {
        kind: Kind,
        max: usize,
    },
    BadCurrency {
        code: String,
    },
    BadMonth {
        month: u8,
    },
    /// The root exists already, or a parent is missing.
    SecondRoot,
    RootCannotMove,
    WouldCycle {
        unit: String,
        target: String,
    },
    TooDeep {
        max: usize,
    },
    UnitNotEmpty {
        members: usize,
        children: usize,
    },
    TierInUse {
        people: usize,
    },
    ManagerNotMember,
    PersonManagesUnit {
        unit: String,
    },
    /// A unit's manager must be in a higher tier than its other members.
    ManagerTierNotAbove {
        unit: String,
    },
    BadRating {
        rating: u8,
    },
    GradeOfOtherTier,
    SameTier,
    RuleOutOfRange,
    PeriodLocked {
        year: i32,
        month: u8,
    },
    /// A child's budget may not exceed what its parent has left.
    BudgetExceedsParent {
        available: Money,
    },
    /// A budget may not drop below what its children already hold.
    BudgetBelowChildren {
        allocated: Money,
    },
    NoChildren,
    NoParentTarget,
    LockedExceed {
        over: i64,
    },
    AmountOutOfRange,
    SplitNot100 {
        total: u32,
    },
    CategoryInUse,
    BadPeriod,
    CustomerHasDeals {
        count: usize,
    },
    PersonOwnsRecords {
        customers: usize,
        opportunities: usize,
    },
    StageInUse {
        count: usize,
    },
    /// The last won (or lost) stage cannot go: deals could not close.
    LastOutcomeStage,
    BadProbability,
    DateOutOfRange,
    KpiInUse {
        cards: usize,
    },
    /// A record breaks a rule of whole-document validation.
    Invalid(Box<crate::engine::validate::Problem>),
}

impl EditError {
    pub fn message(&self, lang: Lang) -> String {
        use EditError::*;
        match self {
            NotFound { kind, id } => lang.pick(
                format!("找不到{} {}", kind_name(*kind, lang), id.short()),
                format!("{} {} not found", kind_name(*kind, lang), id.short()),
            ),
            KpiInUse { cards } => lang.pick(
                format!("有 {cards} 张计分卡在使用该指标，请先从计分卡中移除"),
                format!("{cards} scorecard(s) use this KPI: take it off them first"),
            ),
            Invalid(p) => p.message(lang),
            IdTaken { id } => lang.pick(format!("id {} 已被使用", id.short()), format!("id {} is already used", id.short())),
            BlankName => lang.pick("名称不能为空".into(), "the name cannot be empty".into()),
            TooLong { field, len, max } => {
                lang.pick(format!("{field} 长度为 {len} 字符，上限 {max}"), format!("{field} is {len} characters long, the limit is {max}"))
            }
            Limit { kind, max } => lang.pick(
                format!("{}数量已达上限 {max}", kind_name(*kind, lang)),
                format!("the limit of {max} {}s is reached", kind_name(*kind, lang)),
            ),
            BadCurrency { code } => lang.pick(
                format!("货币代码“{code}”无效，应为三个大写字母（如 CNY）"),
                format!("currency code “{code}” is invalid: use three capital letters (e.g. CNY)"),
            ),
            BadMonth { month } => lang.pick(format!("月份 {month} 无效，应为 1–12"), format!("month {month} is invalid: use 1–12")),
            SecondRoot => lang.pick("组织树只能有一个根单元".into(), "the org tree can have only one root unit".into()),
            RootCannotMove => lang.pick("根单元不能移动".into(), "the root unit cannot be moved".into()),
            WouldCycle { unit, target } => lang.pick(
                format!("不能把“{unit}”移到“{target}”之下：“{target}”是它自己或它的下级"),
                format!("cannot move “{unit}” under “{target}”: “{target}” is the unit itself or one of its descendants"),
            ),
            TooDeep { max } => lang.pick(format!("组织树不能超过 {max} 层"), format!("the org tree cannot be deeper than {max} levels")),
            UnitNotEmpty { members, children } => lang.pick(
                format!("该单元还有 {members} 名成员和 {children} 个下级单元，请先移走"),
                format!("the unit still has {members} members and {children} sub-units: move them first"),
            ),
            TierInUse { people } => lang.pick(
                format!("仍有 {people} 人属于该层级，请先调整他们的层级"),
                format!("{people} people still hold this tier: reassign them first"),
            ),
            ManagerNotMember => lang.pick("负责人必须是该单元的成员".into(), "the manager must be a member of the unit".into()),
            PersonManagesUnit { unit } => lang.pick(
                format!("此人是“{unit}”的负责人，请先更换负责人"),
                format!("this person manages “{unit}”: appoint another manager first"),
            ),
            ManagerTierNotAbove { unit } => lang.pick(
                format!("“{unit}”的负责人必须比该单元其他成员的层级更高"),
                format!("the manager of “{unit}” must be in a higher tier than its other members"),
            ),
            BadRating { rating } => lang.pick(format!("评分 {rating} 无效，应为 1–5"), format!("rating {rating} is invalid: use 1–5")),
            GradeOfOtherTier => lang.pick("该职级不属于此人的层级".into(), "that grade belongs to another tier".into()),
            PeriodLocked { year, month } => {
                lang.pick(format!("FY{year} 第 {month} 个财月已锁定，不能修改"), format!("fiscal month {month} of FY{year} is locked"))
            }
            BudgetExceedsParent { available } => lang.pick(
                format!("超出上级剩余预算：最多可分配 {available}"),
                format!("more than the parent has left: at most {available} is available"),
            ),
            BudgetBelowChildren { allocated } => lang.pick(
                format!("下级已分配 {allocated}，预算不能低于此数"),
                format!("the sub-units already hold {allocated}: the budget cannot go below that"),
            ),
            NoChildren => {
                lang.pick("该单元没有可分解目标的下级或成员".into(), "the unit has no sub-units or quota carriers to split among".into())
            }
            NoParentTarget => lang.pick("请先为该单元设定目标".into(), "set the unit's own target first".into()),
            LockedExceed { over } => lang.pick(
                format!("已锁定的下级目标超出可分配额 {over}"),
                format!("locked children already hold {over} more than there is to hand out"),
            ),
            AmountOutOfRange => {
                lang.pick("金额或数量须为非负且在合理范围内".into(), "amounts and counts must be zero or more and within range".into())
            }
            SplitNot100 { total } => {
                lang.pick(format!("时间分配合计为 {total}%，应为 100%"), format!("the time split adds up to {total}%, not 100%"))
            }
            CategoryInUse => {
                lang.pick("仍有预算使用该类别，请先清零".into(), "budgets still use this category: set them to zero first".into())
            }
            BadPeriod => lang.pick("期间无效".into(), "invalid period".into()),
            CustomerHasDeals { count } => lang.pick(
                format!("该客户还有 {count} 个商机，请先删除或转移"),
                format!("the customer still has {count} opportunities: delete or move them first"),
            ),
            PersonOwnsRecords { customers, opportunities } => lang.pick(
                format!("此人还负责 {customers} 个客户和 {opportunities} 个商机，请先转交，或把状态设为“已离职”"),
                format!("this person still owns {customers} customers and {opportunities} opportunities: hand them over first, or set the status to “left”"),
            ),
            StageInUse { count } => lang.pick(
                format!("还有 {count} 个商机处于该阶段，请先移走"),
                format!("{count} opportunities are in this stage: move them first"),
            ),
            LastOutcomeStage => lang.pick(
                "至少要保留一个赢单阶段和一个输单阶段".into(),
                "keep at least one won stage and one lost stage".into(),
            ),
            BadProbability => lang.pick("概率须在 0–100% 之间".into(), "the probability must be between 0 and 100%".into()),
            DateOutOfRange => lang.pick("日期须在 2000–2200 年之间".into(), "dates must be between the years 2000 and 2200".into()),
            RuleOutOfRange => {
                lang.pick("规则阈值须为非负数且在合理范围内".into(), "a rule threshold must be zero or more and within range".into())
            }
            SameTier => lang.pick("不能把人员转到被删除的同一层级".into(), "people cannot be reassigned to the tier being removed".into()),
        }
    }
}

/// The state of one record before an edit touched it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Prior {
    Settings(Box<Settings>),
    Tier(Id, Option<Box<Tier>>),
    Unit(Id, Option<Box<Unit>>),
    Person(Id, Option<Box<Person>>),
    Skill(Id, Option<Box<Skill>>),
    Grade(Id, Option<Box<Grade>>),
    Scenario(Id, Option<Box<Scenario>>),
    Category(Id, Option<Box<Category>>),
    Tool(Id, Option<Box<Tool>>),
    TimeSplit(Id, Option<Box<TimeSplit>>),
    Customer(Id, Option<Box<Customer>>),
    Stage(Id, Option<Box<Stage>>),
    Opportunity(Id, Option<Box<Opportunity>>),
    Override(Id, Option<Box<ForecastOverride>>),
    Scorecard(Id, Option<Box<ScorecardTemplate>>),
    Kpi(Id, Option<Box<CustomKpi>>),
    KpiEntry(Id, Option<Box<KpiEntry>>),
    IncentivePlan(Id, Option<Box<IncentivePlan>>),
    Pool(Id, Option<Box<BonusPool>>),
    Spif(Id, Option<Box<Spif>>),
    Perf(Box<PerfSettings>),
    /// The whole base plan (plan edits snapshot it once per edit).
    Plan(Box<Plan>),
    Tomb(Id, Option<Tombstone>),
}

/// Restores the records an edit touched. Applying it returns its inverse.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Patch {
    priors: Vec<Prior>,
}

impl Patch {
    pub fn is_empty(&self) -> bool {
        self.priors.is_empty()
    }

    /// Puts every touched record back as it was and returns the patch that
    /// reverses this one. Each record appears once, so order does not matter.
    pub fn apply(self, ws: &mut Workspace) -> Patch {
        let mut inverse = Vec::with_capacity(self.priors.len());
        for prior in self.priors {
            inverse.push(restore(ws, prior));
        }
        Patch { priors: inverse }
    }
}

fn put_or_remove<T>(map: &mut BTreeMap<Id, T>, id: Id, v: Option<T>) -> Option<T> {
    match v {
        Some(v) => map.insert(id, v),
        None => map.remove(&id),
    }
}

fn swap<R: Record>(ws: &mut Workspace, id: Id, v: Option<Box<R>>) -> Prior {
    R::prior(id, put_or_remove(R::table(ws), id, v.map(|b| *b)).map(Box::new))
}

fn restore(ws: &mut Workspace, prior: Prior) -> Prior {
    match prior {
        Prior::Settings(s) => Prior::Settings(Box::new(std::mem::replace(&mut ws.settings, *s))),
        Prior::Tier(id, v) => swap(ws, id, v),
        Prior::Unit(id, v) => swap(ws, id, v),
        Prior::Person(id, v) => swap(ws, id, v),
        Prior::Skill(id, v) => swap(ws, id, v),
        Prior::Grade(id, v) => swap(ws, id, v),
        Prior::Scenario(id, v) => swap(ws, id, v),
        Prior::Category(id, v) => swap(ws, id, v),
        Prior::Tool(id, v) => swap(ws, id, v),
        Prior::TimeSplit(id, v) => swap(ws, id, v),
        Prior::Customer(id, v) => swap(ws, id, v),
        Prior::Stage(id, v) => swap(ws, id, v),
        Prior::Opportunity(id, v) => swap(ws, id, v),
        Prior::Override(id, v) => swap(ws, id, v),
        Prior::Scorecard(id, v) => swap(ws, id, v),
        Prior::Kpi(id, v) => swap(ws, id, v),
        Prior::KpiEntry(id, v) => swap(ws, id, v),
        Prior::IncentivePlan(id, v) => swap(ws, id, v),
        Prior::Pool(id, v) => swap(ws, id, v),
        Prior::Spif(id, v) => swap(ws, id, v),
        Prior::Perf(p) => Prior::Perf(Box::new(std::mem::replace(&mut ws.performance, *p))),
        Prior::Plan(p) => Prior::Plan(Box::new(std::mem::replace(&mut ws.plan, *p))),
        Prior::Tomb(id, v) => Prior::Tomb(id, put_or_remove(&mut ws.tombstones, id, v)),
    }
}

/// What the transaction needs to know of each record type.
trait Record: Clone {
    const KIND: Kind;
    fn id(&self) -> Id;
    fn rev(&self) -> u64;
    fn stamp(&mut self, rev: u64, at: DateTime<Utc>);
    fn table(ws: &mut Workspace) -> &mut BTreeMap<Id, Self>;
    fn prior(id: Id, v: Option<Box<Self>>) -> Prior;
    fn unprior(p: &Prior, id: Id) -> Option<Option<&Self>>;
}

macro_rules! record {
    ($ty:ident, $kind:ident, $field:ident) => {
        impl Record for $ty {
            const KIND: Kind = Kind::$kind;
            fn id(&self) -> Id {
                self.id
            }
            fn rev(&self) -> u64 {
                self.rev
            }
            fn stamp(&mut self, rev: u64, at: DateTime<Utc>) {
                self.rev = rev;
                self.updated_at = at;
            }
            fn table(ws: &mut Workspace) -> &mut BTreeMap<Id, Self> {
                &mut ws.$field
            }
            fn prior(id: Id, v: Option<Box<Self>>) -> Prior {
                Prior::$kind(id, v)
            }
            fn unprior(p: &Prior, id: Id) -> Option<Option<&Self>> {
                match p {
                    Prior::$kind(i, v) if *i == id => Some(v.as_deref()),
                    _ => None,
                }
            }
        }
    };
}

record!(Tier, Tier, tiers);
record!(Unit, Unit, units);
record!(Person, Person, people);
record!(Skill, Skill, skills);
record!(Grade, Grade, grades);
record!(Scenario, Scenario, scenarios);
record!(Category, Category, categories);
record!(Tool, Tool, tools);
record!(TimeSplit, TimeSplit, time_splits);
record!(Customer, Customer, customers);
record!(Stage, Stage, stages);
record!(Opportunity, Opportunity, opportunities);
record!(ForecastOverride, Override, overrides);
record!(ScorecardTemplate, Scorecard, scorecards);
record!(CustomKpi, Kpi, kpis);
record!(KpiEntry, KpiEntry, kpi_entries);
record!(IncentivePlan, IncentivePlan, incentive_plans);
record!(BonusPool, Pool, pools);
record!(Spif, Spif, spifs);

/// A transaction over the workspace: records priors on first touch, bumps
/// revisions once per edit, and rolls back on error.
struct Tx<'a> {
    ws: &'a mut Workspace,
    now: DateTime<Utc>,
    priors: Vec<Prior>,
    touched: HashSet<(Option<Kind>, Id)>,
}

impl<'a> Tx<'a> {
    fn settings(&mut self, f: impl FnOnce(&mut Settings)) {
        if self.touched.insert((None, self.ws.meta.id)) {
            self.priors.push(Prior::Settings(Box::new(self.ws.settings.clone())));
        }
        let prior_rev = self.priors.iter().find_map(|p| match p {
            Prior::Settings(s) => Some(s.rev),
            _ => None,
        });
        f(&mut self.ws.settings);
        self.ws.settings.rev = prior_rev.unwrap_or(0) + 1;
        self.ws.settings.updated_at = self.now;
    }

    fn remember<R: Record>(&mut self, id: Id) {
        if self.touched.insert((Some(R::KIND), id)) {
            let old = R::table(self.ws).get(&id).cloned().map(Box::new);
            self.priors.push(R::prior(id, old));
        }
    }

    /// Inserts or replaces a record. Its revision becomes one above what it
    /// had before this edit, however often the edit touches it.
    fn put<R: Record>(&mut self, mut r: R) {
        let id = r.id();
        // First touch: the record's current revision is the prior one (no
        // search, so a batch of thousands of new records stays linear).
        let prior_rev = if self.touched.insert((Some(R::KIND), id)) {
            let old = R::table(self.ws).get(&id).cloned();
            let rev = old.as_ref().map(|x| x.rev());
            self.priors.push(R::prior(id, old.map(Box::new)));
            rev
        } else {
            self.priors.iter().rev().find_map(|p| R::unprior(p, id)).flatten().map(|x| x.rev())
        };
        // A record coming back under a derived id (a target, a KPI entry, a
        // pool) replaces its tombstone and outranks it, so a merge keeps it.
        let tomb_rev = self.ws.tombstones.get(&id).map(|t| t.rev);
        if tomb_rev.is_some() {
            if self.touched.insert((None, id)) {
                self.priors.push(Prior::Tomb(id, self.ws.tombstones.get(&id).cloned()));
            }
            self.ws.tombstones.remove(&id);
        }
        r.stamp(prior_rev.unwrap_or(0).max(tomb_rev.unwrap_or(0)) + 1, self.now);
        R::table(self.ws).insert(id, r);
    }

    /// Replaces the performance settings (bands), snapshotted for undo.
    fn performance(&mut self, next: PerfSettings) {
        if self.touched.insert((Some(Kind::Scorecard), self.ws.meta.id)) {
            self.priors.push(Prior::Perf(Box::new(self.ws.performance.clone())));
        }
        self.ws.performance = next;
    }

    /// Removes a record and leaves a tombstone.
    fn delete<R: Record>(&mut self, id: Id) {
        let Some(r) = R::table(self.ws).get(&id).cloned() else { return };
        self.remember::<R>(id);
        R::table(self.ws).remove(&id);
        if self.touched.insert((None, id)) {
            let old = self.ws.tombstones.get(&id).cloned();
            self.priors.push(Prior::Tomb(id, old));
        }
        self.ws.tombstones.insert(id, Tombstone { id, kind: R::KIND, rev: r.rev() + 1, deleted_at: self.now });
    }

    /// The plan an edit works on, snapshotted for undo on first touch.
    fn plan(&mut self, scenario: Option<Id>) -> Result<&mut Plan, EditError> {
        match scenario {
            None => {
                if self.touched.insert((Some(Kind::Target), self.ws.meta.id)) {
                    self.priors.push(Prior::Plan(Box::new(self.ws.plan.clone())));
                }
                Ok(&mut self.ws.plan)
            }
            Some(s) => {
                let sc = self.ws.scenarios.get(&s).cloned().ok_or(EditError::NotFound { kind: Kind::Scenario, id: s })?;
                self.put(sc);
                Ok(&mut self.ws.scenarios.get_mut(&s).expect("scenario").plan)
            }
        }
    }

    /// Revision a plan line gets: one above what it had before this edit.
    fn plan_rev(&self, scenario: Option<Id>, pick: impl Fn(&Plan) -> Option<u64>) -> u64 {
        let before = match scenario {
            None => self.priors.iter().find_map(|p| match p {
                Prior::Plan(p) => Some(pick(p)),
                _ => None,
            }),
            Some(s) => self.priors.iter().find_map(|p| match p {
                Prior::Scenario(i, v) if *i == s => Some(v.as_ref().and_then(|sc| pick(&sc.plan))),
                _ => None,
            }),
        };
        before.flatten().unwrap_or(0) + 1
    }

    fn write_target(&mut self, scenario: Option<Id>, mut line: TargetLine) -> Result<(), EditError> {
        let id = line.id;
        line.rev = self.plan_rev(scenario, |p| p.targets.get(&id).map(|l| l.rev));
        line.updated_at = self.now;
        self.plan(scenario)?.targets.insert(id, line);
        Ok(())
    }

    fn rollback(self) {
        Patch { priors: self.priors }.apply(self.ws);
    }
}

fn check_name(name: &Text) -> Result<(), EditError> {
    if name.is_blank() {
        return Err(EditError::BlankName);
    }
    check_len("name", name.max_chars(), MAX_NAME_CHARS)
}

fn check_len(field: &'static str, len: usize, max: usize) -> Result<(), EditError> {
    if len > max {
        Err(EditError::TooLong { field, len, max })
    } else {
        Ok(())
    }
}

fn check_new_id(ws: &Workspace, id: Id) -> Result<(), EditError> {
    if ws.tiers.contains_key(&id)
        || ws.units.contains_key(&id)
        || ws.people.contains_key(&id)
        || ws.customers.contains_key(&id)
        || ws.opportunities.contains_key(&id)
        || ws.stages.contains_key(&id)
        || ws.kpis.contains_key(&id)
        || ws.incentive_plans.contains_key(&id)
        || ws.spifs.contains_key(&id)
        || ws.tombstones.contains_key(&id)
    {
        Err(EditError::IdTaken { id })
    } else {
        Ok(())
    }
}

fn check_person_fields(ws: &Workspace, f: &PersonFields) -> Result<(), EditError> {
    check_name(&f.name)?;
    check_len("title", f.title.max_chars(), MAX_NAME_CHARS)?;
    check_len("email", f.email.chars().count(), MAX_SHORT_TEXT_CHARS)?;
    check_len("phone", f.phone.chars().count(), MAX_SHORT_TEXT_CHARS)?;
    check_len("notes", f.notes.chars().count(), MAX_NOTE_CHARS)?;
    if !ws.tiers.contains_key(&f.tier) {
        return Err(EditError::NotFound { kind: Kind::Tier, id: f.tier });
    }
    Ok(())
}

fn unit(ws: &Workspace, id: Id) -> Result<&Unit, EditError> {
    ws.units.get(&id).ok_or(EditError::NotFound { kind: Kind::Unit, id })
}

fn person(ws: &Workspace, id: Id) -> Result<&Person, EditError> {
    ws.people.get(&id).ok_or(EditError::NotFound { kind: Kind::Person, id })
}

fn tier(ws: &Workspace, id: Id) -> Result<&Tier, EditError> {
    ws.tiers.get(&id).ok_or(EditError::NotFound { kind: Kind::Tier, id })
}

fn depth_of(ws: &Workspace, id: Id) -> usize {
    let mut d = 0;
    let mut cur = Some(id);
    while let Some(c) = cur {
        d += 1;
        if d > ws.units.len() + 1 {
            break;
        }
        cur = ws.units.get(&c).and_then(|u| u.parent);
    }
    d
}

fn subtree_height(ws: &Workspace, id: Id) -> usize {
    let kids = crate::engine::org::children_map(ws);
    fn go(kids: &std::collections::HashMap<Id, Vec<Id>>, id: Id, guard: usize) -> usize {
        if guard == 0 {
            return 0;
        }
        1 + kids.get(&id).map(|c| c.iter().map(|k| go(kids, *k, guard - 1)).max().unwrap_or(0)).unwrap_or(0)
    }
    go(&kids, id, MAX_DEPTH + 2)
}

/// Applies one edit. On success the document is valid again and the
/// returned patch undoes the edit; on error the document is unchanged.
pub fn apply(ws: &mut Workspace, edit: &Edit, now: DateTime<Utc>) -> Result<Patch, EditError> {
    let mut tx = Tx { ws, now, priors: Vec::new(), touched: HashSet::new() };
    match run(&mut tx, edit) {
        Ok(()) => Ok(Patch { priors: tx.priors }),
        Err(e) => {
            tx.rollback();
            Err(e)
        }
    }
}

fn run(tx: &mut Tx, edit: &Edit) -> Result<(), EditError> {
    match edit {
        Edit::UpdateSettings(p) => {
            if let Some(n) = &p.workspace_name {
                check_name(&Text::both(n.clone()))?;
            }
            if let Some(c) = &p.currency {
                if !valid_currency(c) {
                    return Err(EditError::BadCurrency { code: c.chars().take(20).collect() });
                }
            }
            if let Some(m) = p.fiscal_year_start_month {
                if !(1..=12).contains(&m) {
                    return Err(EditError::BadMonth { month: m });
                }
            }
            let p = p.clone();
            tx.settings(move |s| {
                if let Some(n) = p.workspace_name {
                    s.workspace_name = n.trim().to_string();
                }
                if let Some(l) = p.language {
                    s.language = l;
                }
                if let Some(c) = p.currency {
                    s.currency = c;
                }
                if let Some(m) = p.fiscal_year_start_month {
                    s.fiscal_year_start_month = m;
                }
            });
        }
        Edit::AddTier { id, name, duties } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.tiers.len() >= MAX_TIERS {
                return Err(EditError::Limit { kind: Kind::Tier, max: MAX_TIERS });
            }
            check_name(name)?;
            check_duties(duties)?;
            let order = tx.ws.tiers.values().map(|t| t.order + 1).max().unwrap_or(0);
            tx.put(Tier { id: *id, rev: 0, updated_at: tx.now, name: name.clone(), order, duties: duties.clone() });
            // A new tier starts with the seed's scorecard for its place.
            let rank = tx.ws.tiers.len().saturating_sub(1) as u32;
            let card = ScorecardTemplate::id_for(*id);
            tx.put(ScorecardTemplate { id: card, rev: 0, updated_at: tx.now, tier: *id, lines: default_scorecard_lines(rank) });
        }
        Edit::UpdateTier { id, name, duties } => {
            check_name(name)?;
            check_duties(duties)?;
            let mut t = tier(tx.ws, *id)?.clone();
            t.name = name.clone();
            t.duties = duties.clone();
            tx.put(t);
        }
        Edit::MoveTier { id, order } => {
            tier(tx.ws, *id)?;
            let mut ordered: Vec<Id> = tx.ws.tiers_in_order().iter().map(|t| t.id).filter(|t| t != id).collect();
            let pos = (*order as usize).min(ordered.len());
            ordered.insert(pos, *id);
            for (i, tid) in ordered.into_iter().enumerate() {
                let t = &tx.ws.tiers[&tid];
                if t.order != i as u32 {
                    let mut t = t.clone();
                    t.order = i as u32;
                    tx.put(t);
                }
            }
            if let Some((unit, _)) = crate::engine::validate::tier_conflicts(tx.ws).first() {
                return Err(EditError::ManagerTierNotAbove { unit: label(&tx.ws.units[unit].name) });
            }
        }
        Edit::RemoveTier { id, reassign_to } => {
            tier(tx.ws, *id)?;
            let holders: Vec<Person> = tx.ws.people.values().filter(|p| p.tier == *id).cloned().collect();
            if !holders.is_empty() {
                let Some(to) = reassign_to else {
                    return Err(EditError::TierInUse { people: holders.len() });
                };
                if to == id {
                    return Err(EditError::SameTier);
                }
                tier(tx.ws, *to)?;
                let mut units = HashSet::new();
                for mut p in holders {
                    push_history(&mut p, PersonEvent::TierChanged { from: *id, to: *to }, tx.now, "");
                    p.tier = *to;
                    p.grade = None;
                    units.insert(p.unit);
                    tx.put(p);
                }
                check_units(tx.ws, units)?;
            }
            let grades: Vec<Id> = tx.ws.grades.values().filter(|g| g.tier == *id).map(|g| g.id).collect();
            for g in grades {
                tx.delete::<Grade>(g);
            }
            perf::purge_tier(tx, *id);
            tx.delete::<Tier>(*id);
        }
        Edit::AddUnit { id, name, parent } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.units.len() >= MAX_UNITS {
                return Err(EditError::Limit { kind: Kind::Unit, max: MAX_UNITS });
            }
            check_name(name)?;
            match parent {
                None if !tx.ws.units.is_empty() => return Err(EditError::SecondRoot),
                None => {}
                Some(p) => {
                    unit(tx.ws, *p)?;
                    if depth_of(tx.ws, *p) + 1 > MAX_DEPTH {
                        return Err(EditError::TooDeep { max: MAX_DEPTH });
                    }
                }
            }
            let order = tx.ws.units.values().filter(|u| u.parent == *parent).map(|u| u.order + 1).max().unwrap_or(0);
            tx.put(Unit { id: *id, rev: 0, updated_at: tx.now, name: name.clone(), parent: *parent, manager: None, order });
        }
        Edit::RenameUnit { id, name } => {
            check_name(name)?;
            let mut u = unit(tx.ws, *id)?.clone();
            u.name = name.clone();
            tx.put(u);
        }
        Edit::MoveUnit { id, parent } => {
            let u = unit(tx.ws, *id)?.clone();
            let target = unit(tx.ws, *parent)?.clone();
            if u.parent.is_none() {
                return Err(EditError::RootCannotMove);
            }
            if is_ancestor_or_self(tx.ws, u.id, target.id) {
                return Err(EditError::WouldCycle { unit: label(&u.name), target: label(&target.name) });
            }
            if depth_of(tx.ws, target.id) + subtree_height(tx.ws, u.id) > MAX_DEPTH {
                return Err(EditError::TooDeep { max: MAX_DEPTH });
            }
            if u.parent == Some(*parent) {
                return Ok(());
            }
            let order = tx.ws.units.values().filter(|x| x.parent == Some(*parent)).map(|x| x.order + 1).max().unwrap_or(0);
            let mut u = u;
            u.parent = Some(*parent);
            u.order = order;
            tx.put(u);
            check_budget_fit(tx.ws, *id)?;
        }
        Edit::DeleteUnit { id } => {
            unit(tx.ws, *id)?;
            let members = tx.ws.people.values().filter(|p| p.unit == *id).count();
            let children = tx.ws.units.values().filter(|u| u.parent == Some(*id)).count();
            if members > 0 || children > 0 {
                return Err(EditError::UnitNotEmpty { members, children });
            }
            purge_owner(tx, *id)?;
            perf::purge(tx, *id);
            tx.delete::<Unit>(*id);
        }
        Edit::SetManager { unit: uid, person: pid } => {
            let mut u = unit(tx.ws, *uid)?.clone();
            if let Some(pid) = pid {
                let p = person(tx.ws, *pid)?;
                if p.unit != *uid {
                    return Err(EditError::ManagerNotMember);
                }
            }
            if u.manager != *pid {
                u.manager = *pid;
                tx.put(u);
                check_units(tx.ws, [*uid])?;
            }
        }
        Edit::AddPerson { id, unit: uid, fields } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.people.len() >= MAX_PEOPLE {
                return Err(EditError::Limit { kind: Kind::Person, max: MAX_PEOPLE });
            }
            unit(tx.ws, *uid)?;
            check_person_fields(tx.ws, fields)?;
            tx.put(person_from(*id, *uid, fields.clone(), tx.now));
            check_units(tx.ws, [*uid])?;
        }
        Edit::UpdatePerson { id, fields } => {
            let old = person(tx.ws, *id)?.clone();
            check_person_fields(tx.ws, fields)?;
            let mut p = person_from(*id, old.unit, fields.clone(), tx.now);
            p.skills = old.skills.clone();
            p.grade = old.grade;
            p.history = old.history.clone();
            if old.tier != p.tier {
                let to = p.tier;
                push_history(&mut p, PersonEvent::TierChanged { from: old.tier, to }, tx.now, "");
                // A recorded grade belongs to the old tier's ladder.
                p.grade = None;
            }
            if old.status != p.status {
                let to = p.status;
                push_history(&mut p, PersonEvent::StatusChanged { from: old.status, to }, tx.now, "");
            }
            tx.put(p);
            let mut units = vec![old.unit];
            units.extend(tx.ws.managed_unit(*id).map(|u| u.id));
            check_units(tx.ws, units)?;
        }
        Edit::MovePerson { id, unit: uid } => {
            let mut p = person(tx.ws, *id)?.clone();
            unit(tx.ws, *uid)?;
            if p.unit == *uid {
                return Ok(());
            }
            if let Some(managed) = tx.ws.units.values().find(|u| u.manager == Some(*id)) {
                return Err(EditError::PersonManagesUnit { unit: label(&managed.name) });
            }
            let from = p.unit;
            push_history(&mut p, PersonEvent::Moved { from, to: *uid }, tx.now, "");
            p.unit = *uid;
            tx.put(p);
            check_units(tx.ws, [*uid])?;
        }
        Edit::DeletePerson { id } => {
            person(tx.ws, *id)?;
            let customers = tx.ws.customers.values().filter(|c| c.owner == Some(*id)).count();
            let opportunities = tx.ws.opportunities.values().filter(|o| o.owner == *id).count();
            if customers + opportunities > 0 {
                return Err(EditError::PersonOwnsRecords { customers, opportunities });
            }
            // The unit they managed becomes vacant rather than broken.
            let managed: Vec<Unit> = tx.ws.units.values().filter(|u| u.manager == Some(*id)).cloned().collect();
            for mut u in managed {
                u.manager = None;
                tx.put(u);
            }
            purge_owner(tx, *id)?;
            perf::purge(tx, *id);
            tx.delete::<Person>(*id);
        }
        Edit::AddSkill { id, name } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.skills.len() >= MAX_SKILLS {
                return Err(EditError::Limit { kind: Kind::Skill, max: MAX_SKILLS });
            }
            check_name(name)?;
            let order = tx.ws.skills.values().map(|s| s.order + 1).max().unwrap_or(0);
            tx.put(Skill { id: *id, rev: 0, updated_at: tx.now, name: name.clone(), order });
        }
        Edit::RenameSkill { id, name } => {
            check_name(name)?;
            let mut sk = tx.ws.skills.get(id).ok_or(EditError::NotFound { kind: Kind::Skill, id: *id })?.clone();
            sk.name = name.clone();
            tx.put(sk);
        }
        Edit::RemoveSkill { id } => {
            if !tx.ws.skills.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Skill, id: *id });
            }
            let rated: Vec<Person> = tx.ws.people.values().filter(|p| p.skills.contains_key(id)).cloned().collect();
            for mut p in rated {
                p.skills.remove(id);
                tx.put(p);
            }
            tx.delete::<Skill>(*id);
        }
        Edit::SetRating { person: pid, skill, rating } => {
            let mut p = person(tx.ws, *pid)?.clone();
            if !tx.ws.skills.contains_key(skill) {
                return Err(EditError::NotFound { kind: Kind::Skill, id: *skill });
            }
            match rating {
                Some(r) if !(1..=5).contains(r) => return Err(EditError::BadRating { rating: *r }),
                Some(r) => {
                    if p.skills.insert(*skill, *r) == Some(*r) {
                        return Ok(());
                    }
                }
                None => {
                    if p.skills.remove(skill).is_none() {
                        return Ok(());
                    }
                }
            }
            tx.put(p);
        }
        Edit::AddGrade { id, tier: tid, name, rules } => {
            check_new_id(tx.ws, *id)?;
            tier(tx.ws, *tid)?;
            check_name(name)?;
            check_rules(rules)?;
            let existing = tx.ws.grades_of(*tid);
            if existing.len() >= MAX_GRADES_PER_TIER {
                return Err(EditError::Limit { kind: Kind::Grade, max: MAX_GRADES_PER_TIER });
            }
            let rank = existing.iter().map(|g| g.rank + 1).max().unwrap_or(0);
            tx.put(Grade { id: *id, rev: 0, updated_at: tx.now, tier: *tid, name: name.clone(), rank, rules: rules.clone() });
        }
        Edit::UpdateGrade { id, name, rules } => {
            check_name(name)?;
            check_rules(rules)?;
            let mut g = tx.ws.grades.get(id).ok_or(EditError::NotFound { kind: Kind::Grade, id: *id })?.clone();
            g.name = name.clone();
            g.rules = rules.clone();
            tx.put(g);
        }
        Edit::RemoveGrade { id } => {
            if !tx.ws.grades.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Grade, id: *id });
            }
            let holders: Vec<Person> = tx.ws.people.values().filter(|p| p.grade == Some(*id)).cloned().collect();
            for mut p in holders {
                p.grade = None;
                tx.put(p);
            }
            tx.delete::<Grade>(*id);
        }
        Edit::SetTarget { scenario, owner, kind, year, period, amount } => {
            check_plan_key(tx.ws, *owner, *year, *period)?;
            check_amount(*amount)?;
            if scenario.is_none() {
                check_unlocked(tx.ws, *year, *period)?;
            }
            let plan = tx.ws.plan_of(*scenario).ok_or(EditError::NotFound { kind: Kind::Scenario, id: scenario.unwrap_or(*owner) })?;
            let mut line = plan.target(*owner, *kind, *year).cloned().unwrap_or_else(|| TargetLine::new(*owner, *kind, *year, tx.now));
            crate::engine::plan::spread_in(&mut line.months, *period, *amount, kind.is_money());
            if line.months.iter().any(|m| *m < 0 || *m > crate::engine::validate::MAX_AMOUNT) {
                return Err(EditError::AmountOutOfRange);
            }
            tx.write_target(*scenario, line)?;
        }
        Edit::SetTargetOptions { scenario, owner, kind, year, locked, weight, buffer_bp } => {
            check_plan_key(tx.ws, *owner, *year, Period::Year)?;
            if weight.is_some_and(|w| w > 1_000_000) || buffer_bp.is_some_and(|b| b > 100_000) {
                return Err(EditError::AmountOutOfRange);
            }
            let plan = tx.ws.plan_of(*scenario).ok_or(EditError::NotFound { kind: Kind::Scenario, id: scenario.unwrap_or(*owner) })?;
            let mut line = plan.target(*owner, *kind, *year).cloned().unwrap_or_else(|| TargetLine::new(*owner, *kind, *year, tx.now));
            if let Some(l) = locked {
                line.locked = *l;
            }
            if let Some(w) = weight {
                line.weight = *w;
            }
            if let Some(b) = buffer_bp {
                line.buffer_bp = *b;
            }
            tx.write_target(*scenario, line)?;
        }
        Edit::Cascade { scenario, unit: uid, kind, year, period, method, today, deep } => {
            unit(tx.ws, *uid)?;
            check_plan_key(tx.ws, *uid, *year, *period)?;
            if scenario.is_none() {
                check_unlocked(tx.ws, *year, *period)?;
            }
            let plan = tx.ws.plan_of(*scenario).ok_or(EditError::NotFound { kind: Kind::Scenario, id: scenario.unwrap_or(*uid) })?;
            let run = if *deep { crate::engine::plan::cascade_deep } else { crate::engine::plan::cascade };
            let spec = crate::engine::plan::Spec { unit: *uid, kind: *kind, year: *year, period: *period, method: *method };
            let lines = run(tx.ws, plan, &spec, *today).map_err(|e| match e {
                crate::engine::plan::CascadeError::NoChildren => EditError::NoChildren,
                crate::engine::plan::CascadeError::NoParentTarget => EditError::NoParentTarget,
                crate::engine::plan::CascadeError::LockedExceed { over, .. } => EditError::LockedExceed { over },
            })?;
            for l in lines {
                tx.write_target(*scenario, l)?;
            }
        }
        Edit::SetBudget { scenario, unit: uid, year, category, amount } => {
            unit(tx.ws, *uid)?;
            if !tx.ws.categories.contains_key(category) {
                return Err(EditError::NotFound { kind: Kind::Category, id: *category });
            }
            check_plan_key(tx.ws, *uid, *year, Period::Year)?;
            check_amount(amount.0)?;
            let plan = tx.ws.plan_of(*scenario).ok_or(EditError::NotFound { kind: Kind::Scenario, id: scenario.unwrap_or(*uid) })?;
            if let Some(available) = crate::engine::plan::budget_headroom(tx.ws, plan, *uid, *year, *category) {
                if *amount > available {
                    return Err(EditError::BudgetExceedsParent { available: Money(available.0.max(0)) });
                }
            }
            let allocated = crate::engine::plan::budget_allocated(tx.ws, plan, *uid, *year, *category);
            if *amount < allocated {
                return Err(EditError::BudgetBelowChildren { allocated });
            }
            let id = BudgetLine::id_for(*uid, *year, *category);
            let rev = tx.plan_rev(*scenario, |p| p.budgets.get(&id).map(|b| b.rev));
            let line = BudgetLine { id, rev, updated_at: tx.now, unit: *uid, year: *year, category: *category, amount: *amount };
            tx.plan(*scenario)?.budgets.insert(id, line);
        }
        Edit::SetHeadcount { scenario, unit: uid, year, hires, attrition } => {
            unit(tx.ws, *uid)?;
            check_plan_key(tx.ws, *uid, *year, Period::Year)?;
            if hires.len() > 120 || hires.iter().any(|h| !(1..=12).contains(&h.month) || h.count > 10_000) || *attrition > 100_000 {
                return Err(EditError::AmountOutOfRange);
            }
            let id = HeadcountPlan::id_for(*uid, *year);
            let rev = tx.plan_rev(*scenario, |p| p.headcount.get(&id).map(|b| b.rev));
            let h = HeadcountPlan { id, rev, updated_at: tx.now, unit: *uid, year: *year, hires: hires.clone(), attrition: *attrition };
            tx.plan(*scenario)?.headcount.insert(id, h);
        }
        Edit::SetAssumptions { scenario, quota_per_rep, expected_attainment, ramp } => {
            check_amount(quota_per_rep.0)?;
            if !(1..=300).contains(expected_attainment) || ramp.len() > 24 || ramp.iter().any(|r| *r > 100) {
                return Err(EditError::AmountOutOfRange);
            }
            let rev = tx.plan_rev(*scenario, |p| Some(p.assumptions.rev));
            let now = tx.now;
            tx.plan(*scenario)?.assumptions = Assumptions {
                rev,
                updated_at: now,
                quota_per_rep: *quota_per_rep,
                expected_attainment: *expected_attainment,
                ramp: ramp.clone(),
            };
        }
        Edit::LockMonths { year, months, locked } => {
            if !(2000..=2200).contains(year) || months.iter().any(|m| !(1..=12).contains(m)) {
                return Err(EditError::BadPeriod);
            }
            let (year, months, locked) = (*year, months.clone(), *locked);
            tx.settings(move |s| {
                for m in months {
                    if locked {
                        s.locked_months.insert((year, m));
                    } else {
                        s.locked_months.remove(&(year, m));
                    }
                }
            });
        }
        Edit::AddCategory { id, name } => {
            check_new_id(tx.ws, *id)?;
            check_name(name)?;
            if tx.ws.categories.len() >= 30 {
                return Err(EditError::Limit { kind: Kind::Category, max: 30 });
            }
            let order = tx.ws.categories.values().map(|c| c.order + 1).max().unwrap_or(0);
            tx.put(Category { id: *id, rev: 0, updated_at: tx.now, name: name.clone(), order, tools: false });
        }
        Edit::RenameCategory { id, name } => {
            check_name(name)?;
            let mut c = tx.ws.categories.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Category, id: *id })?;
            c.name = name.clone();
            tx.put(c);
        }
        Edit::RemoveCategory { id } => {
            if !tx.ws.categories.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Category, id: *id });
            }
            let used = std::iter::once(&tx.ws.plan)
                .chain(tx.ws.scenarios.values().map(|s| &s.plan))
                .any(|p| p.budgets.values().any(|b| b.category == *id && b.amount.0 != 0));
            if used {
                return Err(EditError::CategoryInUse);
            }
            let id = *id;
            tx.plan(None)?.budgets.retain(|_, b| b.category != id);
            let scenarios: Vec<Id> = tx.ws.scenarios.keys().copied().collect();
            for s in scenarios {
                tx.plan(Some(s))?.budgets.retain(|_, b| b.category != id);
            }
            tx.delete::<Category>(id);
        }
        Edit::AddTool { id, name, cost_per_seat } => {
            check_new_id(tx.ws, *id)?;
            check_name(name)?;
            check_amount(cost_per_seat.0)?;
            tx.put(Tool {
                id: *id,
                rev: 0,
                updated_at: tx.now,
                name: name.clone(),
                cost_per_seat: *cost_per_seat,
                seats: Default::default(),
            });
        }
        Edit::UpdateTool { id, name, cost_per_seat } => {
            check_name(name)?;
            check_amount(cost_per_seat.0)?;
            let mut t = tx.ws.tools.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Tool, id: *id })?;
            t.name = name.clone();
            t.cost_per_seat = *cost_per_seat;
            tx.put(t);
        }
        Edit::SetSeat { tool, person: pid, on } => {
            person(tx.ws, *pid)?;
            let mut t = tx.ws.tools.get(tool).cloned().ok_or(EditError::NotFound { kind: Kind::Tool, id: *tool })?;
            let changed = if *on { t.seats.insert(*pid) } else { t.seats.remove(pid) };
            if changed {
                tx.put(t);
            }
        }
        Edit::RemoveTool { id } => {
            if !tx.ws.tools.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Tool, id: *id });
            }
            tx.delete::<Tool>(*id);
        }
        Edit::SetTimeSplit { owner, split } => {
            if !tx.ws.tiers.contains_key(owner) && !tx.ws.people.contains_key(owner) {
                return Err(EditError::NotFound { kind: Kind::Person, id: *owner });
            }
            let id = TimeSplit::id_for(*owner);
            match split {
                Some(sp) => {
                    if sp.total() != 100 {
                        return Err(EditError::SplitNot100 { total: sp.total() });
                    }
                    tx.put(TimeSplit { id, rev: 0, updated_at: tx.now, owner: *owner, split: *sp });
                }
                None => tx.delete::<TimeSplit>(id),
            }
        }
        Edit::CreateScenario { id, name, from } => {
            check_new_id(tx.ws, *id)?;
            check_name(name)?;
            if tx.ws.scenarios.len() >= 20 {
                return Err(EditError::Limit { kind: Kind::Scenario, max: 20 });
            }
            let plan = tx.ws.plan_of(*from).cloned().ok_or(EditError::NotFound { kind: Kind::Scenario, id: from.unwrap_or(*id) })?;
            tx.put(Scenario { id: *id, rev: 0, updated_at: tx.now, name: name.clone(), created_at: tx.now, plan });
        }
        Edit::RenameScenario { id, name } => {
            check_name(name)?;
            let mut sc = tx.ws.scenarios.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Scenario, id: *id })?;
            sc.name = name.clone();
            tx.put(sc);
        }
        Edit::DeleteScenario { id } => {
            if !tx.ws.scenarios.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Scenario, id: *id });
            }
            tx.delete::<Scenario>(*id);
        }
        Edit::AdoptScenario { id } => {
            let sc = tx.ws.scenarios.get(id).cloned().ok_or(EditError::NotFound { kind: Kind::Scenario, id: *id })?;
            let locked = tx.ws.settings.locked_months.clone();
            let base = tx.ws.plan.clone();
            let now = tx.now;
            let plan = tx.plan(None)?;
            let mut next = sc.plan;
            // Locked months keep the plan's numbers.
            for line in next.targets.values_mut() {
                let old = base.targets.get(&line.id);
                for m in 0..MONTHS {
                    if locked.contains(&(line.year, m as u8 + 1)) {
                        line.months[m] = old.map(|o| o.months[m]).unwrap_or(0);
                    }
                }
            }
            // Every line that differs from the plan is a new revision.
            restamp(&mut next.targets, &base.targets, now, |l| l.rev, |l, r, t| (l.rev, l.updated_at) = (r, t));
            restamp(&mut next.budgets, &base.budgets, now, |l| l.rev, |l, r, t| (l.rev, l.updated_at) = (r, t));
            restamp(&mut next.headcount, &base.headcount, now, |l| l.rev, |l, r, t| (l.rev, l.updated_at) = (r, t));
            if next.assumptions != base.assumptions {
                next.assumptions.rev = base.assumptions.rev.max(next.assumptions.rev) + 1;
                next.assumptions.updated_at = now;
            }
            *plan = next;
        }
        Edit::Batch { edits } => {
            for e in edits {
                run(tx, e)?;
            }
        }
        Edit::AddCustomer { .. }
        | Edit::UpdateCustomer { .. }
        | Edit::DeleteCustomer { .. }
        | Edit::AddOpportunity { .. }
        | Edit::UpdateOpportunity { .. }
        | Edit::SetStage { .. }
        | Edit::DeleteOpportunity { .. }
        | Edit::AddStage { .. }
        | Edit::UpdateStage { .. }
        | Edit::MoveStage { .. }
        | Edit::RemoveStage { .. }
        | Edit::SetOverride { .. } => crm(tx, edit)?,
        Edit::SetScorecard { .. }
        | Edit::AddKpi { .. }
        | Edit::RenameKpi { .. }
        | Edit::RemoveKpi { .. }
        | Edit::SetKpiEntry { .. }
        | Edit::SetBands { .. }
        | Edit::PutPlan { .. }
        | Edit::DeletePlan { .. }
        | Edit::SetPool { .. }
        | Edit::PutSpif { .. }
        | Edit::DeleteSpif { .. } => perf::perf(tx, edit)?,
        Edit::RecordPromotion { person: pid, grade, note } => {
            let mut p = person(tx.ws, *pid)?.clone();
            let g = tx.ws.grades.get(grade).ok_or(EditError::NotFound { kind: Kind::Grade, id: *grade })?;
            if g.tier != p.tier {
                return Err(EditError::GradeOfOtherTier);
            }
            check_len("notes", note.chars().count(), MAX_SHORT_TEXT_CHARS)?;
            let from = p.grade;
            push_history(&mut p, PersonEvent::Promoted { from, to: *grade }, tx.now, note.trim());
            p.grade = Some(*grade);
            tx.put(p);
        }
    }
    Ok(())
}

/// Gives every record of `next` that differs from `base` a revision above
/// both, stamped `now` (adopting a scenario is an edit of those lines).
fn restamp<T: PartialEq>(
    next: &mut BTreeMap<Id, T>,
    base: &BTreeMap<Id, T>,
    now: DateTime<Utc>,
    rev: impl Fn(&T) -> u64,
    set: impl Fn(&mut T, u64, DateTime<Utc>),
) {
    for (id, line) in next.iter_mut() {
        let old = base.get(id);
        if old != Some(&*line) {
            let r = old.map(&rev).unwrap_or(0).max(rev(line)) + 1;
            set(line, r, now);
        }
    }
}

/// After a move: the unit's budgets must fit what its new parent has left,
/// in the plan and in every scenario.
fn check_budget_fit(ws: &Workspace, unit: Id) -> Result<(), EditError> {
    for plan in std::iter::once(&ws.plan).chain(ws.scenarios.values().map(|s| &s.plan)) {
        for b in plan.budgets.values().filter(|b| b.unit == unit && b.amount.0 > 0) {
            if let Some(available) = crate::engine::plan::budget_headroom(ws, plan, unit, b.year, b.category) {
                if b.amount > available {
                    return Err(EditError::BudgetExceedsParent { available: Money(available.0.max(0)) });
                }
            }
        }
    }
    Ok(())
}

fn check_amount(v: i64) -> Result<(), EditError> {
    if (0..=crate::engine::validate::MAX_AMOUNT).contains(&v) {
        Ok(())
    } else {
        Err(EditError::AmountOutOfRange)
    }
}

fn check_plan_key(ws: &Workspace, owner: Id, year: i32, period: Period) -> Result<(), EditError> {
    if !ws.units.contains_key(&owner) && !ws.people.contains_key(&owner) {
        return Err(EditError::NotFound { kind: Kind::Unit, id: owner });
    }
    if !(2000..=2200).contains(&year) || !period.valid() {
        return Err(EditError::BadPeriod);
    }
    Ok(())
}

fn check_unlocked(ws: &Workspace, year: i32, period: Period) -> Result<(), EditError> {
    for m in period.months() {
        let month = m as u8 + 1;
        if ws.settings.locked_months.contains(&(year, month)) {
            return Err(EditError::PeriodLocked { year, month });
        }
    }
    Ok(())
}

/// Removes what a deleted unit or person owned: plan lines (plan and
/// scenarios), tool seats, time split.
fn purge_owner(tx: &mut Tx, owner: Id) -> Result<(), EditError> {
    let owns = |p: &Plan| {
        p.targets.values().any(|t| t.owner == owner)
            || p.budgets.values().any(|b| b.unit == owner)
            || p.headcount.values().any(|h| h.unit == owner)
    };
    let purge = |p: &mut Plan| {
        p.targets.retain(|_, t| t.owner != owner);
        p.budgets.retain(|_, b| b.unit != owner);
        p.headcount.retain(|_, h| h.unit != owner);
    };
    if owns(&tx.ws.plan) {
        purge(tx.plan(None)?);
    }
    let scenarios: Vec<Id> = tx.ws.scenarios.iter().filter(|(_, s)| owns(&s.plan)).map(|(id, _)| *id).collect();
    for s in scenarios {
        purge(tx.plan(Some(s))?);
    }
    let tools: Vec<Tool> = tx.ws.tools.values().filter(|t| t.seats.contains(&owner)).cloned().collect();
    for mut t in tools {
        t.seats.remove(&owner);
        tx.put(t);
    }
    if tx.ws.time_splits.contains_key(&TimeSplit::id_for(owner)) {
        tx.delete::<TimeSplit>(TimeSplit::id_for(owner));
    }
    let overrides: Vec<Id> = tx.ws.overrides.values().filter(|o| o.owner == owner || o.by == Some(owner)).map(|o| o.id).collect();
    for o in overrides {
        tx.delete::<ForecastOverride>(o);
    }
    Ok(())
}

/// Appends to a person's history, keeping the newest `MAX_HISTORY` entries.
fn push_history(p: &mut Person, event: PersonEvent, at: DateTime<Utc>, note: &str) {
    p.history.push(HistoryEntry { at, event, note: note.to_string() });
    let extra = p.history.len().saturating_sub(MAX_HISTORY);
    if extra > 0 {
        p.history.drain(0..extra);
    }
}

/// Re-checks the manager-above-members rule for the units an edit touched.
fn check_units(ws: &Workspace, units: impl IntoIterator<Item = Id>) -> Result<(), EditError> {
    for u in units {
        if crate::engine::validate::unit_tier_conflict(ws, u).is_some() {
            return Err(EditError::ManagerTierNotAbove { unit: label(&ws.units[&u].name) });
        }
    }
    Ok(())
}

fn check_rules(rules: &[Rule]) -> Result<(), EditError> {
    if rules.len() > MAX_RULES_PER_GRADE {
        return Err(EditError::TooLong { field: "rules", len: rules.len(), max: MAX_RULES_PER_GRADE });
    }
    for r in rules {
        if r.min < 0 || r.min > crate::model::money::MAX_MONEY_UNITS * 100 {
            return Err(EditError::RuleOutOfRange);
        }
    }
    Ok(())
}

fn check_duties(duties: &[Text]) -> Result<(), EditError> {
    if duties.len() > MAX_DUTIES_PER_TIER {
        return Err(EditError::TooLong { field: "duties", len: duties.len(), max: MAX_DUTIES_PER_TIER });
    }
    for d in duties {
        check_len("duties", d.max_chars(), MAX_SHORT_TEXT_CHARS)?;
    }
    Ok(())
}

fn person_from(id: Id, unit: Id, f: PersonFields, now: DateTime<Utc>) -> Person {
    Person {
        id,
        rev: 0,
        updated_at: now,
        name: f.name,
        title: f.title,
        tier: f.tier,
        unit,
        email: f.email.trim().to_string(),
        phone: f.phone.trim().to_string(),
        hire_date: f.hire_date,
        status: f.status,
        notes: f.notes,
        skills: BTreeMap::new(),
        grade: None,
        history: Vec::new(),
    }
}

/// "华东大区 / East China" when the two differ, else the one name.
fn label(t: &Text) -> String {
    let (zh, en) = (t.get(Lang::Zh), t.get(Lang::En));
    if zh == en {
        zh.to_string()
    } else {
        format!("{zh} / {en}")
    }
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

/// Undo / redo stacks of patches.
#[derive(Clone, Debug)]
pub struct History {
    undo: VecDeque<Patch>,
    redo: Vec<Patch>,
    limit: usize,
}

pub const HISTORY_LIMIT: usize = 200;

impl Default for History {
    fn default() -> Self {
        History { undo: VecDeque::new(), redo: Vec::new(), limit: HISTORY_LIMIT }
    }
}

impl History {
    pub fn with_limit(limit: usize) -> History {
        History { limit, ..History::default() }
    }

    /// Records a successful edit's patch; clears the redo stack.
    pub fn record(&mut self, patch: Patch) {
        if patch.is_empty() {
            return;
        }
        self.undo.push_back(patch);
        while self.undo.len() > self.limit {
            self.undo.pop_front();
        }
        self.redo.clear();
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }

    pub fn undo(&mut self, ws: &mut Workspace) -> bool {
        match self.undo.pop_back() {
            Some(p) => {
                self.redo.push(p.apply(ws));
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self, ws: &mut Workspace) -> bool {
        match self.redo.pop() {
            Some(p) => {
                self.undo.push_back(p.apply(ws));
                true
            }
            None => false,
        }
    }

    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}
