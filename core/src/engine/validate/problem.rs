//! What a broken rule is: [`Problem`], its messages in both languages,
//! the names of record kinds and fields they use, and the two length
//! checks every section reports with.

use crate::i18n::Lang;
use crate::limits::*;
use crate::model::{Id, Kind, Money, Text, Workspace, SCHEMA_VERSION};
use crate::sort::Gather;

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
    WorkspaceNameTooLong {
        len: usize,
        max: usize,
    },
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
    /// The records of one kind add up to more than any total can hold.
    TotalTooLarge {
        kind: Kind,
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
        Kind::Exchange => lang.pick("文件往来记录", "exchange log entry"),
        Kind::Key => lang.pick("已知公钥", "known key"),
        Kind::Activity => lang.pick("跟进记录", "activity"),
        Kind::Task => lang.pick("任务", "task"),
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

/// The names of the records a message mentions, in both languages, looked
/// up in the document the message is about when it is made (the records
/// may be gone by the time it is read). A record without a name (or not
/// found) is shown by its full id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names(std::collections::BTreeMap<Id, Text>);

impl Names {
    /// Looks up every id in `ids`.
    pub fn lookup(ws: &Workspace, ids: impl IntoIterator<Item = Id>) -> Names {
        Names(ids.into_iter().filter_map(|id| Some((id, record_name(ws, id)?))).gather_map())
    }

    /// Names for everything a list of problems mentions.
    pub fn of_problems<'a>(ws: &Workspace, problems: impl IntoIterator<Item = &'a Problem>) -> Names {
        Names::lookup(ws, problems.into_iter().flat_map(Problem::ids))
    }

    /// "“East China”", or the full id when the record has no name.
    pub fn name(&self, id: Id, lang: Lang) -> String {
        match self.0.get(&id) {
            Some(t) if !t.is_blank() => format!("“{}”", t.get(lang)),
            _ => id.to_string(),
        }
    }

    /// "unit “East China”" / "组织单元“华东区”".
    pub fn of(&self, kind: Kind, id: Id, lang: Lang) -> String {
        let name = self.name(id, lang);
        match (lang, name.starts_with('“')) {
            (Lang::Zh, true) => format!("{}{name}", kind_name(kind, lang)),
            _ => format!("{} {name}", kind_name(kind, lang)),
        }
    }
}

/// A record's name as people know it: its own name, or for a record
/// derived from others (a target line, a budget line…) what it is about.
pub fn record_name(ws: &Workspace, id: Id) -> Option<Text> {
    let owner = |o: Id| ws.units.get(&o).map(|u| u.name.clone()).or_else(|| ws.people.get(&o).map(|p| p.name.clone()));
    let join = |a: Text, b: String| Text::new(format!("{} {b}", a.zh), format!("{} {b}", a.en));
    if let Some(u) = ws.units.get(&id) {
        return Some(u.name.clone());
    }
    if let Some(p) = ws.people.get(&id) {
        return Some(p.name.clone());
    }
    let plans = std::iter::once(&ws.plan).chain(ws.scenarios.values().map(|s| &s.plan));
    for plan in plans {
        if let Some(t) = plan.targets.get(&id) {
            return owner(t.owner).map(|o| join(o, t.year.to_string()));
        }
        if let Some(b) = plan.budgets.get(&id) {
            return owner(b.unit).map(|o| join(o, b.year.to_string()));
        }
        if let Some(h) = plan.headcount.get(&id) {
            return owner(h.unit).map(|o| join(o, h.year.to_string()));
        }
    }
    None.or_else(|| ws.tiers.get(&id).map(|t| t.name.clone()))
        .or_else(|| ws.skills.get(&id).map(|t| t.name.clone()))
        .or_else(|| ws.grades.get(&id).map(|t| t.name.clone()))
        .or_else(|| ws.categories.get(&id).map(|t| t.name.clone()))
        .or_else(|| ws.tools.get(&id).map(|t| t.name.clone()))
        .or_else(|| ws.scenarios.get(&id).map(|t| t.name.clone()))
        .or_else(|| ws.customers.get(&id).map(|c| Text::both(c.name.clone())))
        .or_else(|| ws.stages.get(&id).map(|t| t.name.clone()))
        .or_else(|| ws.opportunities.get(&id).map(|o| Text::both(o.name.clone())))
        .or_else(|| ws.kpis.get(&id).map(|t| t.name.clone()))
        .or_else(|| ws.incentive_plans.get(&id).map(|t| t.name.clone()))
        .or_else(|| ws.spifs.get(&id).map(|t| t.name.clone()))
        .or_else(|| ws.scorecards.get(&id).and_then(|c| ws.tiers.get(&c.tier)).map(|t| t.name.clone()))
        .or_else(|| ws.time_splits.get(&id).and_then(|t| owner(t.owner).or_else(|| ws.tiers.get(&t.owner).map(|x| x.name.clone()))))
        .or_else(|| ws.pools.get(&id).and_then(|b| owner(b.unit).map(|o| join(o, format!("{} {}", b.year, b.period.code())))))
        .or_else(|| ws.kpi_entries.get(&id).and_then(|e| owner(e.person).map(|o| join(o, format!("{} {}", e.year, e.period.code())))))
        .or_else(|| ws.overrides.get(&id).and_then(|f| owner(f.owner).map(|o| join(o, format!("{} {}", f.year, f.period.code())))))
}

impl Problem {
    /// Every record id the problem mentions (for [`Names`]).
    pub fn ids(&self) -> Vec<Id> {
        use Problem::*;
        match self {
            KeyMismatch { key, id, .. } => vec![*key, *id],
            IdUsedTwice { id }
            | DeletedButPresent { id, .. }
            | BlankName { id, .. }
            | TooLong { id, .. }
            | WrongDerivedId { id, .. }
            | OutOfRange { id, .. }
            | NotManual { id }
            | DatesReversed { id, .. } => vec![*id],
            MissingRef { id, target, .. } => vec![*id, *target],
            Cycle { unit, .. } | TooDeep { unit, .. } | BudgetOverParent { unit, .. } => vec![*unit],
            ManagerNotMember { unit, person, .. } | ManagerTierNotAbove { unit, person, .. } => vec![*unit, *person],
            BadRating { person, skill, .. } => vec![*person, *skill],
            GradeOfOtherTier { person, grade } => vec![*person, *grade],
            DuplicateGradeRank { tier, .. } | WeightsNot100 { tier, .. } => vec![*tier],
            SplitNot100 { owner, .. } => vec![*owner],
            WrongSchemaVersion { .. }
            | TooMany { .. }
            | NoRoot
            | SeveralRoots { .. }
            | BadCurrency { .. }
            | BadMonth { .. }
            | BlankWorkspaceName
            | WorkspaceNameTooLong { .. }
            | BandsOutOfOrder
            | TotalTooLarge { .. } => vec![],
        }
    }

    /// The message with records shown by id (no document at hand).
    pub fn message(&self, lang: Lang) -> String {
        self.message_with(&Names::default(), lang)
    }

    /// The message with records named from `n`.
    pub fn message_with(&self, n: &Names, lang: Lang) -> String {
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
                format!("{}记录的键 {key} 与其 id {id} 不一致", kind_name(*kind, lang)),
                format!("{} stored under key {key} has id {id}", kind_name(*kind, lang)),
            ),
            IdUsedTwice { id } => lang.pick(format!("id {id} 被多条记录使用"), format!("id {id} is used by more than one record")),
            DeletedButPresent { kind, id } => lang.pick(
                format!("{} 已标记删除，却仍然存在", n.of(*kind, *id, lang)),
                format!("{} is marked deleted but still present", n.of(*kind, *id, lang)),
            ),
            BlankName { kind, id } => {
                lang.pick(format!("{} 的名称为空", n.of(*kind, *id, lang)), format!("{} has an empty name", n.of(*kind, *id, lang)))
            }
            TooLong { kind, id, field, len, max } => lang.pick(
                format!("{} 的{}长度为 {len} 字符，上限 {max}", n.of(*kind, *id, lang), field_name(field, lang)),
                format!("{}: {} is {len} characters, the limit is {max}", n.of(*kind, *id, lang), field_name(field, lang)),
            ),
            MissingRef { kind, id, field, target } => lang.pick(
                format!("{} 的{}指向不存在的记录 {target}", n.of(*kind, *id, lang), field_name(field, lang)),
                format!("{}: {} points to a missing record {target}", n.of(*kind, *id, lang), field_name(field, lang)),
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
                format!("“{}”的负责人 {} 不是该单元成员", name.get(lang), n.name(*person, lang)),
                format!("the manager {} of “{}” is not a member of it", n.name(*person, lang), name.get(lang)),
            ),
            BadCurrency { code } => lang.pick(
                format!("货币代码“{code}”无效，应为三个大写字母（如 CNY）"),
                format!("currency code “{code}” is invalid: use three capital letters (e.g. CNY)"),
            ),
            BadMonth { month } => {
                lang.pick(format!("财年起始月 {month} 无效，应为 1–12"), format!("fiscal year start month {month} is invalid: use 1–12"))
            }
            BlankWorkspaceName => lang.pick("工作区名称为空".to_string(), "the workspace name is empty".to_string()),
            WorkspaceNameTooLong { len, max } => lang.pick(
                format!("工作区名称长度为 {len} 字符，上限 {max}"),
                format!("the workspace name is {len} characters, the limit is {max}"),
            ),
            ManagerTierNotAbove { name, person, .. } => lang.pick(
                format!("“{}”的负责人 {} 的层级不高于该单元其他成员", name.get(lang), n.name(*person, lang)),
                format!("the manager {} of “{}” is not in a higher tier than its other members", n.name(*person, lang), name.get(lang)),
            ),
            BadRating { person, skill, rating } => lang.pick(
                format!("{} 的技能 {} 评分 {rating} 无效，应为 1–5", n.of(Kind::Person, *person, lang), n.name(*skill, lang)),
                format!("{}: rating {rating} for skill {} is invalid, use 1–5", n.of(Kind::Person, *person, lang), n.name(*skill, lang)),
            ),
            GradeOfOtherTier { person, grade } => lang.pick(
                format!("{} 记录的职级 {} 不属于其层级", n.of(Kind::Person, *person, lang), n.name(*grade, lang)),
                format!("{}: recorded grade {} belongs to another tier", n.of(Kind::Person, *person, lang), n.name(*grade, lang)),
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
                format!("{} 的 {field} 超出允许范围", n.of(*kind, *id, lang)),
                format!("{}: {field} is out of range", n.of(*kind, *id, lang)),
            ),
            BudgetOverParent { name, over, .. } => lang.pick(
                format!("“{}”的下级预算合计超出其预算 {over}", name.get(lang)),
                format!("the budgets under “{}” add up to {over} more than its own", name.get(lang)),
            ),
            SplitNot100 { owner, total } => lang.pick(
                format!("{} 的时间分配合计为 {total}%，应为 100%", n.name(*owner, lang)),
                format!("time split of {} adds up to {total}%, not 100%", n.name(*owner, lang)),
            ),
            WeightsNot100 { tier, total } => lang.pick(
                format!("{} 的计分卡权重合计为 {}%，应为 100%", n.of(Kind::Tier, *tier, lang), crate::num::points(i64::from(*total))),
                format!(
                    "the scorecard weights of {} add up to {}%, not 100%",
                    n.of(Kind::Tier, *tier, lang),
                    crate::num::points(i64::from(*total))
                ),
            ),
            NotManual { id } => lang.pick(
                format!("{} 针对的指标不是手工录入指标", n.of(Kind::KpiEntry, *id, lang)),
                format!("{} is for a KPI that is not entered by hand", n.of(Kind::KpiEntry, *id, lang)),
            ),
            BandsOutOfOrder => lang.pick(
                "评级档位须从高到低排列，最后一档从 0 开始".to_string(),
                "rating bands must go from the highest minimum down, the last one starting at 0".to_string(),
            ),
            DatesReversed { kind, id } => lang.pick(
                format!("{} 的结束日期早于开始日期", n.of(*kind, *id, lang)),
                format!("{}: the end date is before the start date", n.of(*kind, *id, lang)),
            ),
            TotalTooLarge { kind } => lang.pick(
                format!("所有{}的金额合计超过上限（约 2.9 × 10¹⁵）", kind_name(*kind, lang)),
                format!("the amounts of all {} records add up to more than the limit (about 2.9 × 10¹⁵)", kind_name(*kind, lang)),
            ),
            DuplicateGradeRank { tier, rank } => lang.pick(
                format!("{} 有两个职级的级别都是 {rank}", n.of(Kind::Tier, *tier, lang)),
                format!("{} has two grades of rank {rank}", n.of(Kind::Tier, *tier, lang)),
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
