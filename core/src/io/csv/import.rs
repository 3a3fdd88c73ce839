//! Turning rows into edits: each row checked ([`RowProblem`] says why one
//! cannot be imported) and the good ones gathered into one batch edit, the
//! [`ImportPlan`].

use super::fields::{category_names, norm, segment_names, status_names, Field, Target};
use super::read::Table;
use crate::edit::{ActivityFields, CustomerFields, Edit, OpportunityFields};
use crate::i18n::Lang;
use crate::io::clip;
use crate::model::*;
use crate::sort::Arrange;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Why a row cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    ColumnCount { found: usize, expected: usize },
    Missing(Field),
    BadNumber { field: Field, value: String },
    Negative(Field),
    BadDate { field: Field, value: String },
    BadChoice { field: Field, value: String },
    UnknownOwner(String),
    AmbiguousOwner(String),
    UnknownStage(String),
    CustomerExists(String),
    UnknownCustomer(String),
    UnknownDeal(String),
    AmbiguousDeal(String),
    ActivityExists,
    DuplicateInFile { line: usize },
    Refused(String),
}

impl RowProblem {
    pub fn message(&self, lang: Lang) -> String {
        use RowProblem::*;
        match self {
            ColumnCount { found, expected } => {
                lang.pick(format!("有 {found} 列，标题行有 {expected} 列"), format!("has {found} columns, the header has {expected}"))
            }
            Missing(f) => lang.pick(format!("缺少“{}”", f.name(lang)), format!("“{}” is missing", f.name(lang))),
            BadNumber { field, value } => lang.pick(
                format!("“{}”不是有效数字：{}", field.name(lang), clip(value)),
                format!("“{}” is not a valid number: {}", field.name(lang), clip(value)),
            ),
            Negative(f) => lang.pick(format!("“{}”不能为负数", f.name(lang)), format!("“{}” cannot be negative", f.name(lang))),
            BadDate { field, value } => lang.pick(
                format!("“{}”不是有效日期（应为 2026-03-31）：{}", field.name(lang), clip(value)),
                format!("“{}” is not a valid date (use 2026-03-31): {}", field.name(lang), clip(value)),
            ),
            BadChoice { field, value } => lang.pick(
                format!("“{}”的取值无法识别：{}", field.name(lang), clip(value)),
                format!("“{}” value not recognised: {}", field.name(lang), clip(value)),
            ),
            UnknownOwner(v) => lang.pick(
                format!("找不到负责人“{}”（按姓名或邮箱匹配）", clip(v)),
                format!("no person named or with the e-mail “{}”", clip(v)),
            ),
            AmbiguousOwner(v) => lang
                .pick(format!("有多人叫“{}”，请改用邮箱", clip(v)), format!("several people are called “{}”: use their e-mail", clip(v))),
            UnknownStage(v) => lang.pick(format!("没有名为“{}”的阶段", clip(v)), format!("no stage called “{}”", clip(v))),
            CustomerExists(v) => lang.pick(format!("客户“{}”已存在", clip(v)), format!("customer “{}” already exists", clip(v))),
            UnknownCustomer(v) => lang.pick(format!("没有名为“{}”的客户", clip(v)), format!("no customer called “{}”", clip(v))),
            UnknownDeal(v) => {
                lang.pick(format!("该客户没有名为“{}”的商机", clip(v)), format!("the customer has no deal called “{}”", clip(v)))
            }
            AmbiguousDeal(v) => lang.pick(
                format!("该客户有多个名为“{}”的商机，请在应用中记录", clip(v)),
                format!("the customer has several deals called “{}”: log this one in the app", clip(v)),
            ),
            ActivityExists => lang.pick("这条跟进记录已经存在".into(), "this activity is logged already".into()),
            DuplicateInFile { line } => lang.pick(format!("与第 {line} 行重复"), format!("duplicates line {line}")),
            Refused(m) => m.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRow {
    pub line: usize,
    pub problem: RowProblem,
}

/// What an import would do: one batch edit for the good rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPlan {
    pub edit: Edit,
    pub good: usize,
    pub bad: Vec<BadRow>,
    /// Customers an opportunity import creates because no customer had the name.
    pub new_customers: Vec<String>,
}

/// Parses a date as people type it: 2026-03-31, 2026/3/31, 2026.3.31, 20260331.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    let t = t.split([' ', 'T']).next().unwrap_or(t);
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return Some(d);
        }
    }
    None
}

fn parse_percent(s: &str) -> Option<u8> {
    let t = s.trim().trim_end_matches(['%', '％']).trim();
    let v: f64 = t.parse().ok()?;
    let v = if v > 0.0 && v < 1.0 && !s.contains('%') && t.contains('.') { v * 100.0 } else { v };
    (0.0..=100.0).contains(&v).then(|| v.round() as u8)
}

fn parse_bool(s: &str) -> Option<bool> {
    match norm(s).as_str() {
        "" | "0" | "no" | "n" | "false" | "否" | "不是" => Some(false),
        "1" | "yes" | "y" | "true" | "是" | "√" | "✓" => Some(true),
        _ => None,
    }
}

fn choice<T: Copy>(s: &str, options: &[(T, &[&str])]) -> Option<T> {
    let n = norm(s);
    options.iter().find(|(_, names)| names.iter().any(|x| norm(x) == n)).map(|(v, _)| *v)
}

fn named<T: Copy>(all: &[T], names: fn(T) -> (&'static str, &'static str), extra: &[(T, &'static str)], s: &str) -> Option<T> {
    let opts: Vec<(T, Vec<&str>)> = all
        .iter()
        .map(|v| {
            let (zh, en) = names(*v);
            let mut n = vec![zh, en];
            n.extend(extra.iter().filter(|(x, _)| names(*x) == names(*v)).map(|(_, e)| *e));
            (*v, n)
        })
        .collect();
    let refs: Vec<(T, &[&str])> = opts.iter().map(|(v, n)| (*v, n.as_slice())).collect();
    choice(s, &refs)
}

/// Finds people by name (either language) or e-mail.
struct People {
    by_key: HashMap<String, Vec<Id>>,
}

impl People {
    fn new(ws: &Workspace) -> People {
        let mut by_key: HashMap<String, Vec<Id>> = HashMap::new();
        for p in ws.people.values() {
            let mut keys = vec![norm(&p.name.zh), norm(&p.name.en), norm(&p.email)];
            keys.arrange();
            keys.dedup();
            for k in keys.into_iter().filter(|k| !k.is_empty()) {
                by_key.entry(k).or_default().push(p.id);
            }
        }
        People { by_key }
    }

    fn find(&self, s: &str) -> Result<Id, RowProblem> {
        match self.by_key.get(&norm(s)).map(|v| v.as_slice()) {
            Some([one]) => Ok(*one),
            Some([_, _, ..]) => Err(RowProblem::AmbiguousOwner(s.to_string())),
            _ => Err(RowProblem::UnknownOwner(s.to_string())),
        }
    }
}

/// A row's cells by field.
struct Row<'a> {
    cells: HashMap<Field, &'a str>,
}

impl<'a> Row<'a> {
    fn get(&self, f: Field) -> &'a str {
        self.cells.get(&f).copied().unwrap_or("")
    }

    fn required(&self, f: Field) -> Result<&'a str, RowProblem> {
        let v = self.get(f);
        if v.is_empty() {
            Err(RowProblem::Missing(f))
        } else {
            Ok(v)
        }
    }

    fn date(&self, f: Field, default: NaiveDate) -> Result<NaiveDate, RowProblem> {
        let v = self.get(f);
        if v.is_empty() {
            return Ok(default);
        }
        parse_date(v).ok_or(RowProblem::BadDate { field: f, value: v.to_string() })
    }
}

/// Checks every row of `table` with `mapping` against the workspace and
/// builds the batch edit for the good ones. Nothing is changed; new ids come
/// from `new_id`. Each good row is also tried against a scratch copy so a
/// row the edit path would refuse is reported here, not at apply time.
pub fn plan(
    ws: &Workspace,
    table: &Table,
    mapping: &[Option<Field>],
    target: Target,
    today: NaiveDate,
    lang: Lang,
    mut new_id: impl FnMut() -> Id,
) -> ImportPlan {
    let people = People::new(ws);
    let mut customers_by_name: HashMap<String, Id> = ws.customers.values().map(|c| (norm(&c.name), c.id)).collect();
    let stages: Vec<&Stage> = ws.stages_in_order();
    let first_open = stages.iter().find(|s| s.outcome == Outcome::Open).map(|s| s.id);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut scratch = ws.clone();
    let now = today.and_hms_opt(12, 0, 0).expect("noon").and_utc();
    let mut edits = Vec::new();
    let mut bad = Vec::new();
    let mut new_customers = Vec::new();
    for (line, cells) in &table.rows {
        let line = *line;
        if cells.len() != table.headers.len() {
            bad.push(BadRow { line, problem: RowProblem::ColumnCount { found: cells.len(), expected: table.headers.len() } });
            continue;
        }
        let row = Row { cells: mapping.iter().zip(cells).filter_map(|(f, c)| Some(((*f)?, c.as_str()))).collect() };
        let built: Result<Vec<Edit>, RowProblem> = (|| {
            // The e-mail, when given, decides (names can repeat).
            let owner = match (row.get(Field::OwnerEmail), row.get(Field::Owner)) {
                ("", "") if Field::Owner.required(target) => return Err(RowProblem::Missing(Field::Owner)),
                ("", "") => None,
                ("", name) => Some(people.find(name)?),
                (email, _) => Some(people.find(email)?),
            };
            let created = row.date(Field::Created, today)?;
            match target {
                Target::Customers => {
                    let name = row.required(Field::CustomerName)?;
                    let key = norm(name);
                    if let Some(l) = seen.get(&key) {
                        return Err(RowProblem::DuplicateInFile { line: *l });
                    }
                    if customers_by_name.contains_key(&key) {
                        return Err(RowProblem::CustomerExists(name.to_string()));
                    }
                    let segment = match row.get(Field::Segment) {
                        "" => Segment::Medium,
                        v => named(&Segment::ALL, segment_names, &[], v)
                            .ok_or(RowProblem::BadChoice { field: Field::Segment, value: v.to_string() })?,
                    };
                    let status = match row.get(Field::Status) {
                        "" => CustomerStatus::Active,
                        v => named(&CustomerStatus::ALL, status_names, &[], v)
                            .ok_or(RowProblem::BadChoice { field: Field::Status, value: v.to_string() })?,
                    };
                    let key_account = parse_bool(row.get(Field::KeyAccount))
                        .ok_or(RowProblem::BadChoice { field: Field::KeyAccount, value: row.get(Field::KeyAccount).to_string() })?;
                    let contact = Contact {
                        name: row.get(Field::ContactName).to_string(),
                        role: row.get(Field::ContactRole).to_string(),
                        phone: row.get(Field::ContactPhone).to_string(),
                        email: row.get(Field::ContactEmail).to_string(),
                    };
                    let fields = CustomerFields {
                        name: name.to_string(),
                        industry: row.get(Field::Industry).to_string(),
                        region: row.get(Field::Region).to_string(),
                        segment,
                        owner,
                        key_account,
                        status,
                        notes: row.get(Field::Notes).to_string(),
                        created,
                        contacts: if contact.name.is_empty() { vec![] } else { vec![contact] },
                    };
                    Ok(vec![Edit::AddCustomer { id: new_id(), fields }])
                }
                Target::Opportunities => {
                    let name = row.required(Field::DealName)?;
                    let customer_name = row.required(Field::Customer)?;
                    let owner = owner.ok_or(RowProblem::Missing(Field::Owner))?;
                    let amount_text = row.required(Field::Amount)?;
                    let amount = Money::parse(amount_text)
                        .map_err(|_| RowProblem::BadNumber { field: Field::Amount, value: amount_text.to_string() })?;
                    if amount.0 < 0 {
                        return Err(RowProblem::Negative(Field::Amount));
                    }
                    let close_text = row.required(Field::CloseDate)?;
                    let close_date =
                        parse_date(close_text).ok_or(RowProblem::BadDate { field: Field::CloseDate, value: close_text.to_string() })?;
                    let stage = match row.get(Field::Stage) {
                        "" => first_open.ok_or(RowProblem::UnknownStage(String::new()))?,
                        v => {
                            let n = norm(v);
                            stages
                                .iter()
                                .find(|s| norm(&s.name.zh) == n || norm(&s.name.en) == n)
                                .map(|s| s.id)
                                .ok_or(RowProblem::UnknownStage(v.to_string()))?
                        }
                    };
                    let st = ws.stages[&stage].clone();
                    let probability = match row.get(Field::Probability) {
                        "" => st.probability,
                        v => parse_percent(v).ok_or(RowProblem::BadNumber { field: Field::Probability, value: v.to_string() })?,
                    };
                    let category = match row.get(Field::Category) {
                        "" => st.category,
                        v => named(&ForecastCategory::ALL, category_names, &[(ForecastCategory::BestCase, "best")], v)
                            .ok_or(RowProblem::BadChoice { field: Field::Category, value: v.to_string() })?,
                    };
                    let mut out = Vec::new();
                    let key = norm(customer_name);
                    let customer = match customers_by_name.get(&key) {
                        Some(c) => *c,
                        None => {
                            let id = new_id();
                            let f = CustomerFields {
                                name: customer_name.to_string(),
                                industry: String::new(),
                                region: String::new(),
                                segment: Segment::Medium,
                                owner: Some(owner),
                                key_account: false,
                                status: CustomerStatus::Active,
                                notes: String::new(),
                                created,
                                contacts: vec![],
                            };
                            out.push(Edit::AddCustomer { id, fields: f });
                            id
                        }
                    };
                    let fields = OpportunityFields {
                        name: name.to_string(),
                        customer,
                        owner,
                        amount,
                        close_date,
                        stage,
                        probability,
                        category,
                        notes: row.get(Field::Notes).to_string(),
                        created: created.min(close_date),
                        loss_reason: row.get(Field::LossReason).to_string(),
                        margin: None,
                    };
                    out.push(Edit::AddOpportunity { id: new_id(), fields, by: None });
                    Ok(out)
                }
                Target::Activities => {
                    let on_text = row.required(Field::ActivityDate)?;
                    let on = parse_date(on_text).ok_or(RowProblem::BadDate { field: Field::ActivityDate, value: on_text.to_string() })?;
                    let kind_text = row.required(Field::ActivityType)?;
                    let kind = ActivityKind::parse(kind_text)
                        .ok_or(RowProblem::BadChoice { field: Field::ActivityType, value: kind_text.to_string() })?;
                    let by = owner.ok_or(RowProblem::Missing(Field::Owner))?;
                    let customer_name = row.required(Field::Customer)?;
                    let customer =
                        *customers_by_name.get(&norm(customer_name)).ok_or(RowProblem::UnknownCustomer(customer_name.to_string()))?;
                    let opportunity = match row.get(Field::DealName) {
                        "" => None,
                        v => {
                            let named: Vec<Id> = ws
                                .opportunities
                                .values()
                                .filter(|o| o.customer == customer && norm(&o.name) == norm(v))
                                .map(|o| o.id)
                                .collect();
                            match named.as_slice() {
                                [one] => Some(*one),
                                [] => return Err(RowProblem::UnknownDeal(v.to_string())),
                                _ => return Err(RowProblem::AmbiguousDeal(v.to_string())),
                            }
                        }
                    };
                    let minutes = match row.get(Field::Minutes) {
                        "" => 0,
                        v => v.trim().parse::<u32>().map_err(|_| RowProblem::BadNumber { field: Field::Minutes, value: v.to_string() })?,
                    };
                    let fields = ActivityFields {
                        kind,
                        customer,
                        opportunity,
                        by,
                        on,
                        minutes,
                        outcome: row.get(Field::Outcome).trim().to_string(),
                        next_step: row.get(Field::NextStep).trim().to_string(),
                    };
                    // The same activity again (a file imported twice) is not logged twice.
                    let same = |a: &Activity| ActivityFields::of(a) == fields;
                    if scratch.activities.values().any(same) {
                        return Err(RowProblem::ActivityExists);
                    }
                    Ok(vec![Edit::LogActivity { id: new_id(), fields }])
                }
            }
        })();
        // The edit path has the last word (lengths, ranges, limits).
        let checked = built.and_then(|es| {
            for e in &es {
                crate::edit::apply(&mut scratch, e, now).map_err(|err| RowProblem::Refused(err.message(lang)))?;
            }
            Ok(es)
        });
        match checked {
            Ok(es) => {
                for e in &es {
                    if let Edit::AddCustomer { id, fields } = e {
                        customers_by_name.insert(norm(&fields.name), *id);
                        match target {
                            Target::Opportunities | Target::Activities => new_customers.push(fields.name.clone()),
                            Target::Customers => {
                                seen.insert(norm(&fields.name), line);
                            }
                        }
                    }
                }
                edits.push(es);
            }
            Err(problem) => bad.push(BadRow { line, problem }),
        }
    }
    let good = edits.len();
    ImportPlan { edit: Edit::Batch { edits: edits.into_iter().flatten().collect() }, good, bad, new_customers }
}
