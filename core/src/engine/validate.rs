//! Whole-document validation. A document that passes is safe to show, edit
//! and save; import refuses one that does not.

use crate::i18n::Lang;
use crate::limits::*;
use crate::model::{
    BudgetLine, ForecastOverride, HeadcountPlan, Id, Kind, Money, Outcome, Plan, TargetLine, Text, TimeSplit, Workspace, SCHEMA_VERSION,
};
use std::collections::{BTreeMap, HashMap};

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
    /// A derived-id record stored under an id that does not match its key.
    WrongDerivedId {
        kind: Kind,
        id: Id,
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

mod perf;
pub use perf::*;

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
            WrongDerivedId { kind, id } => lang.pick(
                format!("{} {} 的 id 与其内容不符", kind_name(*kind, lang), id.short()),
                format!("{} {}: its id does not match what it is about", kind_name(*kind, lang), id.short()),
            ),
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
                format!("层级 {} 的计分卡权重合计为 {}%，应为 100%", tier.short(), crate::engine::scorecard::points(*total)),
                format!("the scorecard weights of tier {} add up to {}%, not 100%", tier.short(), crate::engine::scorecard::points(*total)),
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

pub fn valid_currency(code: &str) -> bool {
    code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase())
}

fn check_text(out: &mut Vec<Problem>, kind: Kind, id: Id, field: &'static str, text: &Text, max: usize) {
    let len = text.max_chars();
    if len > max {
        out.push(Problem::TooLong { kind, id, field, len, max });
    }
}

fn check_str(out: &mut Vec<Problem>, kind: Kind, id: Id, field: &'static str, s: &str, max: usize) {
    let len = s.chars().count();
    if len > max {
        out.push(Problem::TooLong { kind, id, field, len, max });
    }
}

/// Checks every rule of the document. Returns all problems found (empty = valid).
pub fn validate(ws: &Workspace) -> Vec<Problem> {
    let mut out = Vec::new();
    if ws.schema_version != SCHEMA_VERSION {
        out.push(Problem::WrongSchemaVersion { found: ws.schema_version });
    }
    let s = &ws.settings;
    if s.workspace_name.trim().is_empty() {
        out.push(Problem::BlankWorkspaceName);
    }
    let name_len = s.workspace_name.chars().count();
    if name_len > MAX_NAME_CHARS {
        out.push(Problem::TooLong { kind: Kind::Unit, id: ws.meta.id, field: "workspace_name", len: name_len, max: MAX_NAME_CHARS });
    }
    if !valid_currency(&s.currency) {
        out.push(Problem::BadCurrency { code: s.currency.chars().take(20).collect() });
    }
    if !(1..=12).contains(&s.fiscal_year_start_month) {
        out.push(Problem::BadMonth { month: s.fiscal_year_start_month });
    }
    for (kind, count, max) in
        [(Kind::Tier, ws.tiers.len(), MAX_TIERS), (Kind::Unit, ws.units.len(), MAX_UNITS), (Kind::Person, ws.people.len(), MAX_PEOPLE)]
    {
        if count > max {
            out.push(Problem::TooMany { kind, count, max });
        }
    }

    // Ids: keys match, unique across kinds, not both live and deleted.
    let mut seen: HashMap<Id, Kind> = HashMap::with_capacity(ws.tiers.len() + ws.units.len() + ws.people.len());
    let mut note = |out: &mut Vec<Problem>, kind: Kind, key: Id, id: Id| {
        if key != id {
            out.push(Problem::KeyMismatch { kind, key, id });
        }
        if seen.insert(id, kind).is_some() {
            out.push(Problem::IdUsedTwice { id });
        }
        if ws.tombstones.contains_key(&id) {
            out.push(Problem::DeletedButPresent { kind, id });
        }
    };
    for (k, t) in &ws.tiers {
        note(&mut out, Kind::Tier, *k, t.id);
    }
    for (k, u) in &ws.units {
        note(&mut out, Kind::Unit, *k, u.id);
    }
    for (k, p) in &ws.people {
        note(&mut out, Kind::Person, *k, p.id);
    }
    for (k, x) in &ws.skills {
        note(&mut out, Kind::Skill, *k, x.id);
    }
    for (k, x) in &ws.grades {
        note(&mut out, Kind::Grade, *k, x.id);
    }
    for (k, t) in &ws.tombstones {
        if *k != t.id {
            out.push(Problem::KeyMismatch { kind: t.kind, key: *k, id: t.id });
        }
    }

    for t in ws.tiers.values() {
        if t.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Tier, id: t.id });
        }
        check_text(&mut out, Kind::Tier, t.id, "name", &t.name, MAX_NAME_CHARS);
        if t.duties.len() > MAX_DUTIES_PER_TIER {
            out.push(Problem::TooLong { kind: Kind::Tier, id: t.id, field: "duties", len: t.duties.len(), max: MAX_DUTIES_PER_TIER });
        }
        for d in &t.duties {
            check_text(&mut out, Kind::Tier, t.id, "duties", d, MAX_SHORT_TEXT_CHARS);
        }
    }

    for u in ws.units.values() {
        if u.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Unit, id: u.id });
        }
        check_text(&mut out, Kind::Unit, u.id, "name", &u.name, MAX_NAME_CHARS);
        if let Some(p) = u.parent {
            if !ws.units.contains_key(&p) {
                out.push(Problem::MissingRef { kind: Kind::Unit, id: u.id, field: "parent", target: p });
            }
        }
        if let Some(m) = u.manager {
            match ws.people.get(&m) {
                None => out.push(Problem::MissingRef { kind: Kind::Unit, id: u.id, field: "manager", target: m }),
                Some(p) if p.unit != u.id => out.push(Problem::ManagerNotMember { unit: u.id, name: u.name.clone(), person: m }),
                Some(_) => {}
            }
        }
    }

    for p in ws.people.values() {
        if p.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Person, id: p.id });
        }
        check_text(&mut out, Kind::Person, p.id, "name", &p.name, MAX_NAME_CHARS);
        check_text(&mut out, Kind::Person, p.id, "title", &p.title, MAX_NAME_CHARS);
        check_str(&mut out, Kind::Person, p.id, "email", &p.email, MAX_SHORT_TEXT_CHARS);
        check_str(&mut out, Kind::Person, p.id, "phone", &p.phone, MAX_SHORT_TEXT_CHARS);
        check_str(&mut out, Kind::Person, p.id, "notes", &p.notes, MAX_NOTE_CHARS);
        if !ws.tiers.contains_key(&p.tier) {
            out.push(Problem::MissingRef { kind: Kind::Person, id: p.id, field: "tier", target: p.tier });
        }
        if !ws.units.contains_key(&p.unit) {
            out.push(Problem::MissingRef { kind: Kind::Person, id: p.id, field: "unit", target: p.unit });
        }
    }

    for sk in ws.skills.values() {
        if sk.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Skill, id: sk.id });
        }
        check_text(&mut out, Kind::Skill, sk.id, "name", &sk.name, MAX_NAME_CHARS);
    }
    let mut ranks = std::collections::HashSet::new();
    for g in ws.grades.values() {
        if g.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Grade, id: g.id });
        }
        check_text(&mut out, Kind::Grade, g.id, "name", &g.name, MAX_NAME_CHARS);
        if !ws.tiers.contains_key(&g.tier) {
            out.push(Problem::MissingRef { kind: Kind::Grade, id: g.id, field: "tier", target: g.tier });
        }
        if !ranks.insert((g.tier, g.rank)) {
            out.push(Problem::DuplicateGradeRank { tier: g.tier, rank: g.rank });
        }
        if g.rules.len() > MAX_RULES_PER_GRADE {
            out.push(Problem::TooLong { kind: Kind::Grade, id: g.id, field: "rules", len: g.rules.len(), max: MAX_RULES_PER_GRADE });
        }
    }
    for p in ws.people.values() {
        for (skill, rating) in &p.skills {
            if !ws.skills.contains_key(skill) {
                out.push(Problem::MissingRef { kind: Kind::Person, id: p.id, field: "skills", target: *skill });
            }
            if !(1..=5).contains(rating) {
                out.push(Problem::BadRating { person: p.id, skill: *skill, rating: *rating });
            }
        }
        if let Some(g) = p.grade {
            match ws.grades.get(&g) {
                None => out.push(Problem::MissingRef { kind: Kind::Person, id: p.id, field: "grade", target: g }),
                Some(grade) if grade.tier != p.tier => out.push(Problem::GradeOfOtherTier { person: p.id, grade: g }),
                Some(_) => {}
            }
        }
    }
    for (unit, person) in tier_conflicts(ws) {
        out.push(Problem::ManagerTierNotAbove { unit, name: ws.units[&unit].name.clone(), person });
    }

    // Structural problems first: they are the ones to read.
    check_tree(ws, &mut out);
    validate_plan(ws, &ws.plan, &mut out);
    for sc in ws.scenarios.values() {
        if sc.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Scenario, id: sc.id });
        }
        validate_plan(ws, &sc.plan, &mut out);
    }
    for c in ws.categories.values() {
        if c.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Category, id: c.id });
        }
    }
    for t in ws.tools.values() {
        if t.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Tool, id: t.id });
        }
        if t.cost_per_seat.0 < 0 || t.cost_per_seat.0 > MAX_AMOUNT {
            out.push(Problem::OutOfRange { kind: Kind::Tool, id: t.id, field: "cost_per_seat" });
        }
        for p in &t.seats {
            if !ws.people.contains_key(p) {
                out.push(Problem::MissingRef { kind: Kind::Tool, id: t.id, field: "seats", target: *p });
            }
        }
    }
    for (k, t) in &ws.time_splits {
        if *k != TimeSplit::id_for(t.owner) {
            out.push(Problem::WrongDerivedId { kind: Kind::TimeSplit, id: *k });
        }
        if !ws.tiers.contains_key(&t.owner) && !ws.people.contains_key(&t.owner) {
            out.push(Problem::MissingRef { kind: Kind::TimeSplit, id: *k, field: "owner", target: t.owner });
        }
        if t.split.total() != 100 {
            out.push(Problem::SplitNot100 { owner: t.owner, total: t.split.total() });
        }
    }

    validate_crm(ws, &mut out);
    validate_perf(ws, &mut out);
    out
}

fn validate_crm(ws: &Workspace, out: &mut Vec<Problem>) {
    for (kind, count, max) in [
        (Kind::Customer, ws.customers.len(), MAX_CUSTOMERS),
        (Kind::Opportunity, ws.opportunities.len(), MAX_OPPORTUNITIES),
        (Kind::Stage, ws.stages.len(), MAX_STAGES),
    ] {
        if count > max {
            out.push(Problem::TooMany { kind, count, max });
        }
    }
    let dead = |id: &Id| ws.tombstones.contains_key(id);
    for (k, c) in &ws.customers {
        if *k != c.id {
            out.push(Problem::KeyMismatch { kind: Kind::Customer, key: *k, id: c.id });
        }
        if dead(k) {
            out.push(Problem::DeletedButPresent { kind: Kind::Customer, id: *k });
        }
        if c.name.trim().is_empty() {
            out.push(Problem::BlankName { kind: Kind::Customer, id: c.id });
        }
        check_str(out, Kind::Customer, c.id, "name", &c.name, MAX_NAME_CHARS);
        check_str(out, Kind::Customer, c.id, "industry", &c.industry, MAX_NAME_CHARS);
        check_str(out, Kind::Customer, c.id, "region", &c.region, MAX_NAME_CHARS);
        check_str(out, Kind::Customer, c.id, "notes", &c.notes, MAX_NOTE_CHARS);
        if c.contacts.len() > MAX_CONTACTS {
            out.push(Problem::TooLong { kind: Kind::Customer, id: c.id, field: "contacts", len: c.contacts.len(), max: MAX_CONTACTS });
        }
        for x in &c.contacts {
            for (f, v) in [("contacts", &x.name), ("contacts", &x.role), ("contacts", &x.phone), ("contacts", &x.email)] {
                check_str(out, Kind::Customer, c.id, f, v, MAX_SHORT_TEXT_CHARS);
            }
        }
        if let Some(o) = c.owner {
            if !ws.people.contains_key(&o) {
                out.push(Problem::MissingRef { kind: Kind::Customer, id: c.id, field: "owner", target: o });
            }
        }
    }
    for (k, s) in &ws.stages {
        if *k != s.id {
            out.push(Problem::KeyMismatch { kind: Kind::Stage, key: *k, id: s.id });
        }
        if s.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Stage, id: s.id });
        }
        check_text(out, Kind::Stage, s.id, "name", &s.name, MAX_NAME_CHARS);
        if s.probability > 100 {
            out.push(Problem::OutOfRange { kind: Kind::Stage, id: s.id, field: "probability" });
        }
    }
    for (k, o) in &ws.opportunities {
        if *k != o.id {
            out.push(Problem::KeyMismatch { kind: Kind::Opportunity, key: *k, id: o.id });
        }
        if dead(k) {
            out.push(Problem::DeletedButPresent { kind: Kind::Opportunity, id: *k });
        }
        if o.name.trim().is_empty() {
            out.push(Problem::BlankName { kind: Kind::Opportunity, id: o.id });
        }
        check_str(out, Kind::Opportunity, o.id, "name", &o.name, MAX_NAME_CHARS);
        check_str(out, Kind::Opportunity, o.id, "notes", &o.notes, MAX_NOTE_CHARS);
        check_str(out, Kind::Opportunity, o.id, "loss_reason", &o.loss_reason, MAX_SHORT_TEXT_CHARS);
        if !ws.customers.contains_key(&o.customer) {
            out.push(Problem::MissingRef { kind: Kind::Opportunity, id: o.id, field: "customer", target: o.customer });
        }
        if !ws.people.contains_key(&o.owner) {
            out.push(Problem::MissingRef { kind: Kind::Opportunity, id: o.id, field: "owner", target: o.owner });
        }
        match ws.stages.get(&o.stage) {
            None => out.push(Problem::MissingRef { kind: Kind::Opportunity, id: o.id, field: "stage", target: o.stage }),
            Some(s) => {
                if (s.outcome == Outcome::Open) == o.closed.is_some() {
                    out.push(Problem::OutOfRange { kind: Kind::Opportunity, id: o.id, field: "closed" });
                }
            }
        }
        if o.amount.0 < 0 || o.amount.0 > MAX_AMOUNT {
            out.push(Problem::OutOfRange { kind: Kind::Opportunity, id: o.id, field: "amount" });
        }
        if o.probability > 100 {
            out.push(Problem::OutOfRange { kind: Kind::Opportunity, id: o.id, field: "probability" });
        }
        if o.history.len() > MAX_STAGE_HISTORY {
            out.push(Problem::TooLong {
                kind: Kind::Opportunity,
                id: o.id,
                field: "history",
                len: o.history.len(),
                max: MAX_STAGE_HISTORY,
            });
        }
    }
    for (k, f) in &ws.overrides {
        if *k != ForecastOverride::id_for(f.owner, f.year, f.period, f.category) {
            out.push(Problem::WrongDerivedId { kind: Kind::Override, id: *k });
        }
        if !ws.units.contains_key(&f.owner) && !ws.people.contains_key(&f.owner) {
            out.push(Problem::MissingRef { kind: Kind::Override, id: *k, field: "owner", target: f.owner });
        }
        if f.amount.0 < 0 || f.amount.0 > MAX_AMOUNT || !f.period.valid() {
            out.push(Problem::OutOfRange { kind: Kind::Override, id: *k, field: "amount" });
        }
        check_str(out, Kind::Override, *k, "note", &f.note, MAX_NOTE_CHARS);
    }
}

/// Largest amount (minor units) or count anywhere in a plan.
pub const MAX_AMOUNT: i64 = crate::model::money::MAX_MONEY_UNITS * 100;

fn validate_plan(ws: &Workspace, plan: &Plan, out: &mut Vec<Problem>) {
    for (k, t) in &plan.targets {
        if *k != TargetLine::id_for(t.owner, t.kind, t.year) {
            out.push(Problem::WrongDerivedId { kind: Kind::Target, id: *k });
        }
        if !ws.units.contains_key(&t.owner) && !ws.people.contains_key(&t.owner) {
            out.push(Problem::MissingRef { kind: Kind::Target, id: *k, field: "owner", target: t.owner });
        }
        if !(2000..=2200).contains(&t.year) {
            out.push(Problem::OutOfRange { kind: Kind::Target, id: *k, field: "year" });
        }
        if t.months.iter().any(|m| *m < 0 || *m > MAX_AMOUNT) || t.weight > 1_000_000 {
            out.push(Problem::OutOfRange { kind: Kind::Target, id: *k, field: "months" });
        }
    }
    for (k, b) in &plan.budgets {
        if *k != BudgetLine::id_for(b.unit, b.year, b.category) {
            out.push(Problem::WrongDerivedId { kind: Kind::Budget, id: *k });
        }
        if !ws.units.contains_key(&b.unit) {
            out.push(Problem::MissingRef { kind: Kind::Budget, id: *k, field: "unit", target: b.unit });
        }
        if !ws.categories.contains_key(&b.category) {
            out.push(Problem::MissingRef { kind: Kind::Budget, id: *k, field: "category", target: b.category });
        }
        if b.amount.0 < 0 || b.amount.0 > MAX_AMOUNT {
            out.push(Problem::OutOfRange { kind: Kind::Budget, id: *k, field: "amount" });
        }
    }
    // A child never exceeds its parent: Σ children ≤ parent, per (year, category).
    let mut children_sum: HashMap<(Id, i32, Id), i64> = HashMap::new();
    for b in plan.budgets.values() {
        if let Some(parent) = ws.units.get(&b.unit).and_then(|u| u.parent) {
            *children_sum.entry((parent, b.year, b.category)).or_default() += b.amount.0;
        }
    }
    for ((parent, year, cat), sum) in children_sum {
        let own = plan.budget(parent, year, cat).0;
        if sum > own {
            let name = ws.units.get(&parent).map(|u| u.name.clone()).unwrap_or_default();
            out.push(Problem::BudgetOverParent { unit: parent, name, over: Money(sum - own) });
        }
    }
    for (k, h) in &plan.headcount {
        if *k != HeadcountPlan::id_for(h.unit, h.year) {
            out.push(Problem::WrongDerivedId { kind: Kind::Headcount, id: *k });
        }
        if !ws.units.contains_key(&h.unit) {
            out.push(Problem::MissingRef { kind: Kind::Headcount, id: *k, field: "unit", target: h.unit });
        }
        if h.hires.iter().any(|x| !(1..=12).contains(&x.month) || x.count > 10_000) || h.attrition > 100_000 {
            out.push(Problem::OutOfRange { kind: Kind::Headcount, id: *k, field: "hires" });
        }
    }
    let a = &plan.assumptions;
    if a.quota_per_rep.0 < 0
        || a.quota_per_rep.0 > MAX_AMOUNT
        || !(1..=300).contains(&a.expected_attainment)
        || a.ramp.len() > 24
        || a.ramp.iter().any(|r| *r > 100)
    {
        out.push(Problem::OutOfRange { kind: Kind::Target, id: ws.meta.id, field: "assumptions" });
    }
}

/// Every (unit, manager) where some other member's tier is not below the
/// manager's. Linear in people + units.
pub fn tier_conflicts(ws: &Workspace) -> Vec<(Id, Id)> {
    // Highest tier (lowest order) among each unit's members other than its manager.
    let mut top_member: HashMap<Id, u32> = HashMap::with_capacity(ws.units.len());
    for p in ws.people.values() {
        let Some(unit) = ws.units.get(&p.unit) else { continue };
        if unit.manager == Some(p.id) {
            continue;
        }
        if let Some(t) = ws.tiers.get(&p.tier) {
            let e = top_member.entry(p.unit).or_insert(u32::MAX);
            *e = (*e).min(t.order);
        }
    }
    let mut out = Vec::new();
    for u in ws.units.values() {
        let Some(m) = u.manager.and_then(|m| ws.people.get(&m)) else { continue };
        let Some(m_order) = ws.tiers.get(&m.tier).map(|t| t.order) else { continue };
        if top_member.get(&u.id).is_some_and(|o| *o <= m_order) {
            out.push((u.id, m.id));
        }
    }
    out
}

/// The manager of `unit` when some other member's tier is not below theirs.
pub fn unit_tier_conflict(ws: &Workspace, unit: Id) -> Option<Id> {
    let u = ws.units.get(&unit)?;
    let m = ws.people.get(&u.manager?)?;
    let m_order = ws.tiers.get(&m.tier)?.order;
    let conflict = ws.people.values().any(|p| p.unit == unit && p.id != m.id && ws.tiers.get(&p.tier).is_some_and(|t| t.order <= m_order));
    conflict.then_some(m.id)
}

/// One root, no cycles, bounded depth. Linear time: each unit's depth is
/// computed once and memoised.
fn check_tree(ws: &Workspace, out: &mut Vec<Problem>) {
    if ws.units.is_empty() {
        return;
    }
    let roots = ws.units.values().filter(|u| u.parent.is_none()).count();
    match roots {
        0 => out.push(Problem::NoRoot),
        1 => {}
        n => out.push(Problem::SeveralRoots { count: n }),
    }
    // depth: None = unknown; Some(0) = on the current path (in progress).
    let mut depth: BTreeMap<Id, usize> = BTreeMap::new();
    let mut reported_cycle = false;
    for start in ws.units.keys() {
        if depth.contains_key(start) {
            continue;
        }
        let mut path: Vec<Id> = Vec::new();
        let mut cur = Some(*start);
        let base = loop {
            match cur {
                None => break 0,
                Some(id) => match depth.get(&id) {
                    Some(0) => {
                        if !reported_cycle {
                            let name = ws.units.get(&id).map(|u| u.name.clone()).unwrap_or_default();
                            out.push(Problem::Cycle { unit: id, name });
                            reported_cycle = true;
                        }
                        break usize::MAX / 2;
                    }
                    Some(d) => break *d,
                    None => {
                        let Some(unit) = ws.units.get(&id) else {
                            break 0;
                        };
                        depth.insert(id, 0);
                        path.push(id);
                        cur = unit.parent;
                    }
                },
            }
        };
        let mut d = base;
        for id in path.into_iter().rev() {
            d = d.saturating_add(1);
            depth.insert(id, d);
            if d > MAX_DEPTH && d < usize::MAX / 4 {
                let u = &ws.units[&id];
                out.push(Problem::TooDeep { unit: id, name: u.name.clone(), depth: d });
            }
        }
    }
}
