//! What an edit can be refused for: [`EditError`] and its messages in
//! both languages.

use crate::engine::validate::kind_name;
use crate::i18n::Lang;
use crate::model::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    /// In a branch workspace: the edit touches a record given from above,
    /// a shared definition, or one outside the branch.
    NotInBranch {
        given: bool,
        shared: bool,
        label: Text,
    },
    NotFound {
        kind: Kind,
        id: Id,
    },
    IdTaken {
        id: Id,
    },
    /// The key is already known as someone else's.
    KeyOfAnother {
        person: Id,
        name: Text,
    },
    /// The key was revoked here: recording it again does not revive it.
    KeyRevoked {
        at: chrono::DateTime<chrono::Utc>,
    },
    /// Not a key anyone can sign with (a weak or invalid Ed25519 point).
    UnusableKey,
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
    /// Units by their names, said in the reader's language.
    WouldCycle {
        unit: Text,
        target: Text,
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
        unit: Text,
    },
    /// A unit's manager must be in a higher tier than its other members.
    ManagerTierNotAbove {
        unit: Text,
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
    CustomerHasActivities {
        count: usize,
    },
    PersonHasWork {
        activities: usize,
        tasks: usize,
    },
    /// An activity or task names a deal of another customer.
    DealOfAnotherCustomer,
    /// An activity dated after today (plan it as a task).
    ActivityInFuture,
    BlankTaskTitle,
    BadMinutes {
        max: u32,
    },
    BadStaleDays {
        max: u16,
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
    /// With the names of the records it mentions.
    Invalid(Box<crate::engine::validate::Problem>, crate::engine::validate::Names),
}

impl EditError {
    pub fn message(&self, lang: Lang) -> String {
        use EditError::*;
        match self {
            KeyOfAnother { person, name } => {
                let who = if name.is_blank() { person.short() } else { name.get(lang).to_string() };
                lang.pick(format!("此公钥已记录为{who}的公钥"), format!("this key is already recorded as {who}'s"))
            }
            KeyRevoked { at } => lang.pick(
                format!("此公钥已于 {} 吊销，不能再次记录", at.format("%Y-%m-%d")),
                format!("this key was revoked on {}; it cannot be recorded again", at.format("%Y-%m-%d")),
            ),
            UnusableKey => lang.pick(
                "这不是可用于签名的公钥（无效或弱公钥）".to_string(),
                "this is not a key anyone can sign with (invalid or weak)".to_string(),
            ),
            NotFound { kind, id } => lang.pick(
                format!("找不到{} {}", kind_name(*kind, lang), id.short()),
                format!("{} {} not found", kind_name(*kind, lang), id.short()),
            ),
            KpiInUse { cards } => lang.pick(
                format!("有 {cards} 张计分卡在使用该指标，请先从计分卡中移除"),
                format!("{cards} scorecard(s) use this KPI: take it off them first"),
            ),
            Invalid(p, names) => p.message_with(names, lang),
            NotInBranch { given: true, label, .. } => lang.pick(
                format!("“{}”是上级下达给本分支的数据，只能由上级修改", label.get(lang)),
                format!("“{}” is given to this branch from above: only the manager above can change it", label.get(lang)),
            ),
            NotInBranch { shared: true, label, .. } => lang.pick(
                format!("“{}”是整个工作区共享的定义，分支中不能修改", label.get(lang)),
                format!("“{}” is a definition the whole workspace shares: it cannot be changed in a branch", label.get(lang)),
            ),
            NotInBranch { label, .. } => lang.pick(
                format!("“{}”不属于本分支，不能修改", label.get(lang)),
                format!("“{}” is outside this branch and cannot be changed here", label.get(lang)),
            ),
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
            WouldCycle { unit, target } => {
                let (unit, target) = (unit.get(lang), target.get(lang));
                lang.pick(
                format!("不能把“{unit}”移到“{target}”之下：“{target}”是它自己或它的下级"),
                format!("cannot move “{unit}” under “{target}”: “{target}” is the unit itself or one of its descendants"),
            )
            }
            TooDeep { max } => lang.pick(format!("组织树不能超过 {max} 层"), format!("the org tree cannot be deeper than {max} levels")),
            UnitNotEmpty { members, children } => lang.pick(
                format!("该单元还有 {members} 名成员和 {children} 个下级单元，请先移走"),
                format!(
                    "the unit still has {members} {} and {children} {}: move them first",
                    if *members == 1 { "member" } else { "members" },
                    if *children == 1 { "sub-unit" } else { "sub-units" }
                ),
            ),
            TierInUse { people } => lang.pick(
                format!("仍有 {people} 人属于该层级，请先调整他们的层级"),
                if *people == 1 {
                    "1 person still holds this tier: reassign them first".to_string()
                } else {
                    format!("{people} people still hold this tier: reassign them first")
                },
            ),
            ManagerNotMember => lang.pick("负责人必须是该单元的成员".into(), "the manager must be a member of the unit".into()),
            PersonManagesUnit { unit } => {
                let unit = unit.get(lang);
                lang.pick(
                format!("此人是“{unit}”的负责人，请先更换负责人"),
                format!("this person manages “{unit}”: appoint another manager first"),
            )
            }
            ManagerTierNotAbove { unit } => {
                let unit = unit.get(lang);
                lang.pick(
                format!("“{unit}”的负责人必须比该单元其他成员的层级更高"),
                format!("the manager of “{unit}” must be in a higher tier than its other members"),
            )
            }
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
            CustomerHasActivities { count } => lang.pick(
                format!("该客户还有 {count} 条跟进记录，请先删除"),
                format!("the customer still has {count} logged activities: delete them first"),
            ),
            PersonHasWork { activities, tasks } => lang.pick(
                format!("此人还有 {activities} 条跟进记录和 {tasks} 个任务，请先转交任务，或把状态设为“已离职”"),
                format!("this person still has {activities} logged activities and {tasks} tasks: hand the tasks over first, or set the status to “left”"),
            ),
            DealOfAnotherCustomer => lang.pick("该商机属于另一个客户".into(), "that deal belongs to another customer".into()),
            ActivityInFuture => lang.pick(
                "跟进记录的日期不能晚于今天：以后要做的事请建为任务".into(),
                "an activity is logged on or before today: make what is still to do a task".into(),
            ),
            BlankTaskTitle => lang.pick("请填写任务内容".into(), "Say what the task is".into()),
            BadMinutes { max } => lang.pick(format!("时长须在 0–{max} 分钟之间"), format!("the duration must be 0–{max} minutes")),
            BadStaleDays { max } => lang.pick(format!("天数须在 0–{max} 之间"), format!("the number of days must be 0–{max}")),
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
