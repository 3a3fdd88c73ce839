//! CSV import and export of customers and opportunities.
//!
//! Import is three steps, none of which touches the workspace until the
//! last: [`parse`] (UTF-8 or GBK, comma or semicolon, header row),
//! [`auto_map`] (columns to fields, by header name in either language), and
//! [`plan`] (each row checked; good rows become one batch edit, bad rows are
//! listed with their line number and reason). The caller applies the batch
//! only when the user confirms, so cancelling writes nothing.
//!
//! Export writes UTF-8 with a BOM (so Excel picks the encoding) and escapes
//! cells that a spreadsheet would run as a formula.

use crate::edit::{CustomerFields, Edit, OpportunityFields};
use crate::i18n::Lang;
use crate::limits::{MAX_CSV_ROWS, MAX_FILE_BYTES};
use crate::model::*;
use chrono::NaiveDate;
use std::collections::HashMap;

// ---------------------------------------------------------------- reading

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gbk,
}

/// A parsed file: header and data rows (with their 1-based line numbers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub encoding: Encoding,
    pub delimiter: u8,
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsvError {
    Empty,
    TooBig { bytes: usize },
    TooManyRows { max: usize },
    Malformed { line: usize, reason: String },
}

impl CsvError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            CsvError::Empty => lang.pick("文件是空的，或没有标题行".into(), "the file is empty or has no header row".into()),
            CsvError::TooBig { bytes } => lang.pick(
                format!("文件太大（{bytes} 字节），上限 {MAX_FILE_BYTES} 字节"),
                format!("the file is too big ({bytes} bytes); the limit is {MAX_FILE_BYTES}"),
            ),
            CsvError::TooManyRows { max } => {
                lang.pick(format!("数据行超过 {max} 行，请拆分文件"), format!("more than {max} data rows: split the file"))
            }
            CsvError::Malformed { line, reason } => {
                lang.pick(format!("第 {line} 行无法读取：{reason}"), format!("line {line} cannot be read: {reason}"))
            }
        }
    }
}

/// Text of the file: UTF-8 (BOM removed) when it is valid UTF-8, else GBK.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => (s.to_string(), Encoding::Utf8),
        Err(_) => (decode_gbk(body), Encoding::Gbk),
    }
}

/// True when the bytes are UTF-8 (with or without a BOM).
pub fn is_utf8(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).is_ok()
}

#[cfg(feature = "gbk")]
fn decode_gbk(body: &[u8]) -> String {
    encoding_rs::GB18030.decode(body).0.into_owned()
}

/// Without the "gbk" feature the caller decodes GBK itself (the browser's
/// TextDecoder) and calls [`parse_text`]; bytes that reach here are shown
/// with replacement characters rather than refused.
#[cfg(not(feature = "gbk"))]
fn decode_gbk(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

/// Comma or semicolon: whichever the header line (outside quotes) has more of.
fn sniff(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let (mut commas, mut semis, mut quoted) = (0, 0, false);
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semis += 1,
            _ => {}
        }
    }
    if semis > commas {
        b';'
    } else {
        b','
    }
}

/// 1-based line of the first character at or after `byte` that is not a line break.
fn line_at(text: &str, byte: usize) -> usize {
    let b = text.as_bytes();
    let mut at = byte.min(b.len());
    while at < b.len() && (b[at] == b'\r' || b[at] == b'\n') {
        at += 1;
    }
    1 + b[..at].iter().filter(|c| **c == b'\n').count()
}

/// Reads a CSV file. Blank lines are skipped; rows may have any number of
/// columns here (the per-row check reports wrong counts).
pub fn parse(bytes: &[u8]) -> Result<Table, CsvError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(CsvError::TooBig { bytes: bytes.len() });
    }
    let (text, encoding) = decode(bytes);
    parse_text(&text, encoding)
}

/// [`parse`] for text already decoded (e.g. by the browser).
pub fn parse_text(text: &str, encoding: Encoding) -> Result<Table, CsvError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(CsvError::TooBig { bytes: text.len() });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = sniff(text);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| CsvError::Malformed {
            line: e.position().map(|p| p.line() as usize).unwrap_or(0),
            reason: e.to_string().chars().take(200).collect(),
        })?;
        // The reader's own line count lags behind skipped blank lines, so
        // count from the record's byte offset to its first character.
        let line = rec.position().map(|p| line_at(text, p.byte() as usize)).unwrap_or(0);
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        match headers {
            None => headers = Some(cells),
            Some(_) => {
                if rows.len() >= MAX_CSV_ROWS {
                    return Err(CsvError::TooManyRows { max: MAX_CSV_ROWS });
                }
                rows.push((line, cells));
            }
        }
    }
    let headers = headers.ok_or(CsvError::Empty)?;
    Ok(Table { encoding, delimiter, headers, rows })
}

// ---------------------------------------------------------------- fields and mapping

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Customers,
    Opportunities,
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
        }
    }

    /// Fields a row cannot do without (an opportunity's owner is given by
    /// name or by e-mail: see [`missing_required`]).
    pub fn required(self, target: Target) -> bool {
        matches!(
            (target, self),
            (Target::Customers, Field::CustomerName)
                | (Target::Opportunities, Field::DealName | Field::Customer | Field::Owner | Field::Amount | Field::CloseDate)
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
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = self.label();
        lang.pick(zh, en)
    }

    /// Other header names people use for the field.
    fn synonyms(self) -> &'static [&'static str] {
        use Field::*;
        match self {
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
            _ => &[],
        }
    }
}

fn norm(s: &str) -> String {
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
                        f.synonyms().iter().any(|s| norm(s) == h)
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

// ---------------------------------------------------------------- row checks

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
            DuplicateInFile { line } => lang.pick(format!("与第 {line} 行重复"), format!("duplicates line {line}")),
            Refused(m) => m.clone(),
        }
    }
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
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
    match c {
        ForecastCategory::Pipeline => ("管道", "Pipeline"),
        ForecastCategory::BestCase => ("最佳情况", "Best case"),
        ForecastCategory::Commit => ("承诺", "Commit"),
        ForecastCategory::Closed => ("已成交", "Closed"),
        ForecastCategory::Omitted => ("排除", "Omitted"),
    }
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
            keys.sort();
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
                            Target::Opportunities => new_customers.push(fields.name.clone()),
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

// ---------------------------------------------------------------- writing

/// A cell a spreadsheet would not run as a formula: one starting with
/// = + - @ (or a tab or carriage return) gets a leading apostrophe.
pub fn safe_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// UTF-8 with BOM, comma-separated, CRLF line ends, every cell made safe.
pub fn write(headers: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let mut put = |cells: &[String]| {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(cells.iter().map(|c| safe_cell(c)));
    };
    put(headers);
    for r in rows {
        put(r);
    }
    let body = w.into_inner().unwrap_or_default();
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend(body);
    out
}

fn person_email(ws: &Workspace, id: Option<Id>) -> String {
    id.and_then(|i| ws.people.get(&i)).map(|p| p.email.clone()).unwrap_or_default()
}

fn money_cell(m: Money) -> String {
    // Plain number (no grouping) so spreadsheets read it as a number.
    let s = m.to_string().replace(',', "");
    s.strip_suffix(".00").map(str::to_string).unwrap_or(s)
}

/// The customers table as CSV (in the order given).
pub fn export_customers<'a>(ws: &Workspace, rows: impl IntoIterator<Item = &'a Customer>, lang: Lang) -> Vec<u8> {
    let fields = Field::of(Target::Customers);
    let headers: Vec<String> = fields.iter().map(|f| f.name(lang).to_string()).collect();
    let pick = |(zh, en): (&str, &str)| lang.pick(zh, en).to_string();
    let body: Vec<Vec<String>> = rows
        .into_iter()
        .map(|c| {
            let first = c.contacts.first().cloned().unwrap_or_default();
            fields
                .iter()
                .map(|f| match f {
                    Field::CustomerName => c.name.clone(),
                    Field::Industry => c.industry.clone(),
                    Field::Region => c.region.clone(),
                    Field::Segment => pick(segment_names(c.segment)),
                    Field::Owner => ws.person_name(c.owner, lang),
                    Field::OwnerEmail => person_email(ws, c.owner),
                    Field::KeyAccount => pick(if c.key_account { ("是", "yes") } else { ("否", "no") }),
                    Field::Status => pick(status_names(c.status)),
                    Field::Created => c.created.to_string(),
                    Field::Notes => c.notes.clone(),
                    Field::ContactName => first.name.clone(),
                    Field::ContactRole => first.role.clone(),
                    Field::ContactPhone => first.phone.clone(),
                    Field::ContactEmail => first.email.clone(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    write(&headers, &body)
}

/// The opportunities table as CSV (in the order given), plus the closed date.
pub fn export_opportunities<'a>(ws: &Workspace, rows: impl IntoIterator<Item = &'a Opportunity>, lang: Lang) -> Vec<u8> {
    let fields = Field::of(Target::Opportunities);
    let mut headers: Vec<String> = fields.iter().map(|f| f.name(lang).to_string()).collect();
    headers.push(lang.pick("实际成交/输单日期", "Closed on").to_string());
    let body: Vec<Vec<String>> = rows
        .into_iter()
        .map(|o| {
            let mut r: Vec<String> = fields
                .iter()
                .map(|f| match f {
                    Field::DealName => o.name.clone(),
                    Field::Customer => ws.customers.get(&o.customer).map(|c| c.name.clone()).unwrap_or_default(),
                    Field::Owner => ws.person_name(Some(o.owner), lang),
                    Field::OwnerEmail => person_email(ws, Some(o.owner)),
                    Field::Amount => money_cell(o.amount),
                    Field::CloseDate => o.close_date.to_string(),
                    Field::Stage => ws.stages.get(&o.stage).map(|s| s.name.get(lang).to_string()).unwrap_or_default(),
                    Field::Probability => format!("{}%", o.probability),
                    Field::Category => {
                        let (zh, en) = category_names(o.category);
                        lang.pick(zh, en).to_string()
                    }
                    Field::Created => o.created.to_string(),
                    Field::LossReason => o.loss_reason.clone(),
                    Field::Notes => o.notes.clone(),
                    _ => String::new(),
                })
                .collect();
            r.push(o.closed.map(|d| d.to_string()).unwrap_or_default());
            r
        })
        .collect();
    write(&headers, &body)
}
