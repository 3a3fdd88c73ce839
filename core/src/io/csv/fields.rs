//! What a column can hold: the [`Target`] tables, their [`Field`]s with
//! labels and synonyms, the mapping of headers to fields, and the names of
//! segments, statuses and forecast categories in both languages.

use crate::i18n::Lang;
use crate::model::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Customers,
    Opportunities,
    Activities,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    // Customers
    CustomerName,
    Industry,
    Region,
    Segment,
    KeyAccount,
    Status,
    ContactName,
    ContactRole,
    ContactPhone,
    ContactEmail,
    // Opportunities
    DealName,
    Customer,
    Amount,
    CloseDate,
    Stage,
    Probability,
    Category,
    LossReason,
    // Activities
    ActivityDate,
    ActivityType,
    Minutes,
    Outcome,
    NextStep,
    // Both
    Owner,
    /// Matches the owner by e-mail (unambiguous where names repeat).
    OwnerEmail,
    Created,
    Notes,
}

impl Field {
    pub fn of(target: Target) -> &'static [Field] {
        use Field::*;
        match target {
            Target::Customers => &[
                CustomerName,
                Industry,
                Region,
                Segment,
                Owner,
                OwnerEmail,
                KeyAccount,
                Status,
                Created,
                Notes,
                ContactName,
                ContactRole,
                ContactPhone,
                ContactEmail,
            ],
            Target::Opportunities => {
                &[DealName, Customer, Owner, OwnerEmail, Amount, CloseDate, Stage, Probability, Category, Created, LossReason, Notes]
            }
            Target::Activities => &[ActivityDate, ActivityType, Customer, DealName, Owner, OwnerEmail, Minutes, Outcome, NextStep],
        }
    }

    /// Fields a row cannot do without (an opportunity's owner is given by
    /// name or by e-mail: see [`missing_required`]).
    pub fn required(self, target: Target) -> bool {
        matches!(
            (target, self),
            (Target::Customers, Field::CustomerName)
                | (Target::Opportunities, Field::DealName | Field::Customer | Field::Owner | Field::Amount | Field::CloseDate)
                | (Target::Activities, Field::ActivityDate | Field::ActivityType | Field::Customer | Field::Owner)
        )
    }

    /// (zh, en) label; also the export header.
    pub fn label(self) -> (&'static str, &'static str) {
        use Field::*;
        match self {
            CustomerName => ("客户名称", "Customer name"),
            Industry => ("行业", "Industry"),
            Region => ("地区", "Region"),
            Segment => ("客户规模", "Segment"),
            KeyAccount => ("重点客户", "Key account"),
            Status => ("客户状态", "Status"),
            ContactName => ("联系人", "Contact"),
            ContactRole => ("联系人职务", "Contact role"),
            ContactPhone => ("联系电话", "Contact phone"),
            ContactEmail => ("联系人邮箱", "Contact email"),
            DealName => ("商机名称", "Opportunity"),
            Customer => ("客户", "Customer"),
            Amount => ("金额", "Amount"),
            CloseDate => ("预计成交日期", "Close date"),
            Stage => ("阶段", "Stage"),
            Probability => ("赢率", "Probability"),
            Category => ("预测类别", "Forecast category"),
            LossReason => ("输单原因", "Loss reason"),
            Owner => ("负责人", "Owner"),
            OwnerEmail => ("负责人邮箱", "Owner e-mail"),
            Created => ("创建日期", "Created"),
            Notes => ("备注", "Notes"),
            ActivityDate => ("日期", "Date"),
            ActivityType => ("类型", "Type"),
            Minutes => ("时长（分钟）", "Minutes"),
            Outcome => ("结果", "Outcome"),
            NextStep => ("下一步", "Next step"),
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = self.label();
        lang.pick(zh, en)
    }

    /// Other header names people use for the field in a file of `target`.
    /// A bare "email" is a customer file's contact e-mail, and a deal file's
    /// owner e-mail (a deal row has no contact).
    fn synonyms(self, target: Target) -> &'static [&'static str] {
        use Field::*;
        match self {
            OwnerEmail if target == Target::Customers => &["owner email", "负责人 email", "销售邮箱"],
            CustomerName => &["客户", "公司名称", "公司", "name", "company", "account", "account name", "customer"],
            Customer => &["客户名称", "公司", "account", "account name", "company"],
            DealName => &["商机", "机会名称", "名称", "opportunity name", "deal", "deal name", "name"],
            Owner => &["销售", "所有人", "sales rep", "rep"],
            OwnerEmail => &["owner email", "负责人 email", "销售邮箱", "email", "邮箱"],
            Amount => &["金额（元）", "商机金额", "value", "deal value"],
            CloseDate => &["成交日期", "结单日期", "close", "expected close", "closing date"],
            Stage => &["销售阶段", "sales stage"],
            Probability => &["概率", "可能性", "win probability"],
            Segment => &["规模", "size"],
            ContactPhone => &["电话", "手机", "phone"],
            ContactEmail => &["邮箱", "email"],
            Created => &["创建时间", "created date", "created on"],
            Notes => &["说明", "产品", "products", "note", "description"],
            ActivityDate => &["跟进日期", "活动日期", "day", "activity date", "on"],
            ActivityType => &["跟进方式", "活动类型", "kind", "activity type"],
            Minutes => &["时长", "分钟", "duration", "duration (minutes)"],
            Outcome => &["跟进内容", "内容", "result", "summary"],
            NextStep => &["下一步计划", "next"],
            _ => &[],
        }
    }
}

pub(super) fn norm(s: &str) -> String {
    s.trim().trim_start_matches('\u{feff}').to_lowercase().replace(['_', '-'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Required fields no column maps to.
pub fn missing_required(mapping: &[Option<Field>], target: Target) -> Vec<Field> {
    Field::of(target)
        .iter()
        .filter(|f| f.required(target) && !mapping.contains(&Some(**f)))
        .filter(|f| !(**f == Field::Owner && mapping.contains(&Some(Field::OwnerEmail))))
        .copied()
        .collect()
}

/// Maps each column to a field by its header (labels first, then synonyms);
/// a field is used once. Unknown columns map to None (ignored).
pub fn auto_map(headers: &[String], target: Target) -> Vec<Option<Field>> {
    let fields = Field::of(target);
    let mut used = std::collections::HashSet::new();
    let mut out = vec![None; headers.len()];
    for pass in 0..2 {
        for (i, h) in headers.iter().enumerate() {
            if out[i].is_some() {
                continue;
            }
            let h = norm(h);
            let hit = fields.iter().find(|f| {
                !used.contains(*f)
                    && if pass == 0 {
                        let (zh, en) = f.label();
                        h == norm(zh) || h == norm(en)
                    } else {
                        f.synonyms(target).iter().any(|s| norm(s) == h)
                    }
            });
            if let Some(f) = hit {
                used.insert(*f);
                out[i] = Some(*f);
            }
        }
    }
    out
}

pub fn segment_names(s: Segment) -> (&'static str, &'static str) {
    match s {
        Segment::Small => ("小型", "Small"),
        Segment::Medium => ("中型", "Medium"),
        Segment::Large => ("大型", "Large"),
        Segment::Strategic => ("战略", "Strategic"),
    }
}

pub fn status_names(s: CustomerStatus) -> (&'static str, &'static str) {
    match s {
        CustomerStatus::Prospect => ("潜在", "Prospect"),
        CustomerStatus::Active => ("活跃", "Active"),
        CustomerStatus::Dormant => ("休眠", "Dormant"),
        CustomerStatus::Churned => ("流失", "Churned"),
    }
}

pub fn category_names(c: ForecastCategory) -> (&'static str, &'static str) {
    c.names()
}
