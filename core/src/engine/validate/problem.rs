//! What a broken rule is: [`Problem`], its messages in both languages,
//! the names of record kinds and fields they use, and the two length
//! checks every section reports with.

use crate::i18n::Lang;
use crate::limits::*;
use crate::model::{Id, Kind, Money, Text, SCHEMA_VERSION};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    WrongSchemaVersion {
        found: u32,
    },
    TooMany {
        kind: Kind,
        count: usize,
        max: usize,
    },
    KeyMismatch {
        kind: Kind,
        key: Id,
        id: Id,
    },
    IdUsedTwice {
        id: Id,
    },
    DeletedButPresent {
        kind: Kind,
        id: Id,
    },
    BlankName {
        kind: Kind,
        id: Id,
    },
    TooLong {
        kind: Kind,
        id: Id,
        field: &'static str,
        len: usize,
        max: usize,
    },
    MissingRef {
        kind: Kind,
        id: Id,
        field: &'static str,
        target: Id,
    },
    NoRoot,
    SeveralRoots {
        count: usize,
    },
    Cycle {
        unit: Id,
        name: Text,
    },
    TooDeep {
        unit: Id,
        name: Text,
        depth: usize,
    },
    ManagerNotMember {
        unit: Id,
        name: Text,
        person: Id,
    },
    BadCurrency {
        code: String,
    },
    BadMonth {
        month: u8,
    },
    BlankWorkspaceName,
    /// A unit's manager must sit in a higher tier than its other members.
    ManagerTierNotAbove {
        unit: Id,
        name: Text,
        person: Id,
    },
    BadRating {
        person: Id,
        skill: Id,
        rating: u8,
    },
    GradeOfOtherTier {
        person: Id,
        grade: Id,
    },
    DuplicateGradeRank {
        tier: Id,
        rank: u32,
    },
    /// A derived-id record stored under (or carrying) an id that is not
    /// the one derived from what it is about.
    WrongDerivedId {
        kind: Kind,
        /// What the record is about ("East China revenue FY2026").
        about: Text,
        /// The id found: the key when it is wrong, else the record's `id`.
        id: Id,
        expected: Id,
        /// Another record of the section already has the expected id.
        taken: bool,
    },
    OutOfRange {
        kind: Kind,
        id: Id,
        field: &'static str,
    },
    /// Children's budgets add up to more than their parent's.
    BudgetOverParent {
        unit: Id,
        name: Text,
        over: Money,
    },
    SplitNot100 {
        owner: Id,
        total: u32,
    },
    /// A tier's scorecard weights must add up to 100 %.
    WeightsNot100 {
        tier: Id,
        total: u32,
    },
    /// A KPI entry for a KPI that is not entered by hand.
    NotManual {
        id: Id,
    },
    /// Rating bands must go from the best (highest minimum) down.
    BandsOutOfOrder,
    /// A date range that ends before it starts.
    DatesReversed {
        kind: Kind,
        id: Id,
    },
}

pub fn kind_name(kind: Kind, lang: Lang) -> &'static str {
    match kind {
        Kind::Tier => lang.pick("层级", "tier"),
        Kind::Unit => lang.pick("组织单元", "unit"),
        Kind::Person => lang.pick("人员", "person"),
        Kind::Skill => lang.pick("技能", "skill"),
        Kind::Grade => lang.pick("职级", "grade"),
        Kind::Target => lang.pick("目标", "target"),
        Kind::Budget => lang.pick("预算", "budget"),
        Kind::Headcount => lang.pick("编制计划", "headcount plan"),
        Kind::Category => lang.pick("预算类别", "budget category"),
        Kind::Tool => lang.pick("工具", "tool"),
        Kind::TimeSplit => lang.pick("时间分配", "time split"),
        Kind::Scenario => lang.pick("情景", "scenario"),
        Kind::Customer => lang.pick("客户", "customer"),
        Kind::Stage => lang.pick("销售阶段", "stage"),
        Kind::Opportunity => lang.pick("商机", "opportunity"),
        Kind::Override => lang.pick("预测调整", "forecast override"),
        Kind::Scorecard => lang.pick("计分卡", "scorecard"),
        Kind::Kpi => lang.pick("考核指标", "KPI"),
        Kind::KpiEntry => lang.pick("指标录入", "KPI entry"),
        Kind::IncentivePlan => lang.pick("激励方案", "incentive plan"),
        Kind::Pool => lang.pick("奖金池", "bonus pool"),
        Kind::Spif => lang.pick("专项激励", "SPIF"),
    }
}

fn field_name(field: &str, lang: Lang) -> &str {
    match (field, lang) {
        ("name", Lang::Zh) => "名称",
        ("title", Lang::Zh) => "职位",
        ("email", Lang::Zh) => "邮箱",
        ("phone", Lang::Zh) => "电话",
        ("notes", Lang::Zh) => "备注",
        ("duties", Lang::Zh) => "职责",
        ("parent", Lang::Zh) => "上级单元",
        ("manager", Lang::Zh) => "负责人",
        ("tier", Lang::Zh) => "层级",
        ("unit", Lang::Zh) => "所属单元",
        ("workspace_name", Lang::Zh) => "工作区名称",
        ("workspace_name", Lang::En) => "workspace name",
        (f, _) => f,
    }
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        use Problem::*;
        match self {
            WrongSchemaVersion { found } => lang.pick(
                format!("文档结构版本为 {found}，本程序期望 {SCHEMA_VERSION}"),
                format!("document schema version is {found}, this build expects {SCHEMA_VERSION}"),
            ),
            TooMany { kind, count, max } => lang.pick(
                format!("{}数量 {count} 超过上限 {max}", kind_name(*kind, lang)),
                format!("{count} {}s exceed the limit of {max}", kind_name(*kind, lang)),
            ),
            KeyMismatch { kind, key, id } => lang.pick(
                format!("{}记录的键 {} 与其 id {} 不一致", kind_name(*kind, lang), key.short(), id.short()),
                format!("{} stored under key {} has id {}", kind_name(*kind, lang), key.short(), id.short()),
            ),
            IdUsedTwice { id } => {
                lang.pick(format!("id {} 被多条记录使用", id.short()), format!("id {} is used by more than one record", id.short()))
            }
            DeletedButPresent { kind, id } => lang.pick(
                format!("{} {} 已标记删除，却仍然存在", kind_name(*kind, lang), id.short()),
                format!("{} {} is marked deleted but still present", kind_name(*kind, lang), id.short()),
            ),
            BlankName { kind, id } => lang.pick(
                format!("{} {} 的名称为空", kind_name(*kind, lang), id.short()),
                format!("{} {} has an empty name", kind_name(*kind, lang), id.short()),
            ),
            TooLong { kind, id, field, len, max } => lang.pick(
                format!("{} {} 的{}长度为 {len} 字符，上限 {max}", kind_name(*kind, lang), id.short(), field_name(field, lang)),
                format!("{} {}: {} is {len} characters, the limit is {max}", kind_name(*kind, lang), id.short(), field_name(field, lang)),
            ),
            MissingRef { kind, id, field, target } => lang.pick(
                format!("{} {} 的{}指向不存在的记录 {}", kind_name(*kind, lang), id.short(), field_name(field, lang), target.short()),
                format!(
                    "{} {}: {} points to a missing record {}",
                    kind_name(*kind, lang),
                    id.short(),
                    field_name(field, lang),
                    target.short()
                ),
            ),
            NoRoot => lang.pick("组织树没有根单元".to_string(), "the org tree has no root unit".to_string()),
            SeveralRoots { count } => lang
                .pick(format!("组织树应只有一个根单元，现有 {count} 个"), format!("the org tree must have one root unit, it has {count}")),
            Cycle { name, .. } => lang.pick(
                format!("组织层级存在循环：“{}”是自己的上级", name.get(lang)),
                format!("the hierarchy has a cycle: “{}” is its own ancestor", name.get(lang)),
            ),
            TooDeep { name, depth, .. } => lang.pick(
                format!("“{}”位于第 {depth} 层，超过上限 {MAX_DEPTH} 层", name.get(lang)),
                format!("“{}” is {depth} levels deep, the limit is {MAX_DEPTH}", name.get(lang)),
            ),
            ManagerNotMember { name, person, .. } => lang.pick(
                format!("“{}”的负责人 {} 不是该单元成员", name.get(lang), person.short()),
                format!("the manager {} of “{}” is not a member of it", person.short(), name.get(lang)),
            ),
            BadCurrency { code } => lang.pick(
                format!("货币代码“{code}”无效，应为三个大写字母（如 CNY）"),
                format!("currency code “{code}” is invalid: use three capital letters (e.g. CNY)"),
            ),
            BadMonth { month } => {
                lang.pick(format!("财年起始月 {month} 无效，应为 1–12"), format!("fiscal year start month {month} is invalid: use 1–12"))
            }
            BlankWorkspaceName => lang.pick("工作区名称为空".to_string(), "the workspace name is empty".to_string()),
            ManagerTierNotAbove { name, person, .. } => lang.pick(
                format!("“{}”的负责人 {} 的层级不高于该单元其他成员", name.get(lang), person.short()),
                format!("the manager {} of “{}” is not in a higher tier than its other members", person.short(), name.get(lang)),
            ),
            BadRating { person, rating, .. } => lang.pick(
                format!("人员 {} 的技能评分 {rating} 无效，应为 1–5", person.short()),
                format!("person {}: skill rating {rating} is invalid, use 1–5", person.short()),
            ),
            GradeOfOtherTier { person, grade } => lang.pick(
                format!("人员 {} 记录的职级 {} 不属于其层级", person.short(), grade.short()),
                format!("person {}: recorded grade {} belongs to another tier", person.short(), grade.short()),
            ),
            WrongDerivedId { kind, about, id, expected, taken } => {
                let what = about.get(lang);
                let kind = kind_name(*kind, lang);
                let tail = match taken {
                    true => lang.pick(
                        format!("（已有另一条{kind}使用 {expected}：两条记录说的是同一件事）"),
                        format!(" (another {kind} already has {expected}: both are about the same thing)"),
                    ),
                    false => String::new(),
                };
                lang.pick(
                    format!("“{what}”的{kind}：id 应为 {expected}，实为 {id}{tail}"),
                    format!("{kind} of “{what}”: id should be {expected}, is {id}{tail}"),
                )
            }
            OutOfRange { kind, id, field } => lang.pick(
                format!("{} {} 的 {field} 超出允许范围", kind_name(*kind, lang), id.short()),
                format!("{} {}: {field} is out of range", kind_name(*kind, lang), id.short()),
            ),
            BudgetOverParent { name, over, .. } => lang.pick(
                format!("“{}”的下级预算合计超出其预算 {over}", name.get(lang)),
                format!("the budgets under “{}” add up to {over} more than its own", name.get(lang)),
            ),
            SplitNot100 { owner, total } => lang.pick(
                format!("{} 的时间分配合计为 {total}%，应为 100%", owner.short()),
                format!("time split of {} adds up to {total}%, not 100%", owner.short()),
            ),
            WeightsNot100 { tier, total } => lang.pick(
                format!("层级 {} 的计分卡权重合计为 {}%，应为 100%", tier.short(), crate::num::points(i64::from(*total))),
                format!("the scorecard weights of tier {} add up to {}%, not 100%", tier.short(), crate::num::points(i64::from(*total))),
            ),
            NotManual { id } => lang.pick(
                format!("指标录入 {} 针对的指标不是手工录入指标", id.short()),
                format!("KPI entry {} is for a KPI that is not entered by hand", id.short()),
            ),
            BandsOutOfOrder => lang.pick(
                "评级档位须从高到低排列，最后一档从 0 开始".to_string(),
                "rating bands must go from the highest minimum down, the last one starting at 0".to_string(),
            ),
            DatesReversed { kind, id } => lang.pick(
                format!("{} {} 的结束日期早于开始日期", kind_name(*kind, lang), id.short()),
                format!("{} {}: the end date is before the start date", kind_name(*kind, lang), id.short()),
            ),
            DuplicateGradeRank { tier, rank } => lang.pick(
                format!("层级 {} 有两个职级的级别都是 {rank}", tier.short()),
                format!("tier {} has two grades of rank {rank}", tier.short()),
            ),
        }
    }
}

pub(super) fn check_text(out: &mut Vec<Problem>, kind: Kind, id: Id, field: &'static str, text: &Text, max: usize) {
    let len = text.max_chars();
    if len > max {
        out.push(Problem::TooLong { kind, id, field, len, max });
    }
}

pub(super) fn check_str(out: &mut Vec<Problem>, kind: Kind, id: Id, field: &'static str, s: &str, max: usize) {
    let len = s.chars().count();
    if len > max {
        out.push(Problem::TooLong { kind, id, field, len, max });
    }
}
