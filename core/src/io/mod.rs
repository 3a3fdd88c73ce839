//! The file format: a versioned envelope around the workspace document.
//!
//! ```json
//! { "type": "sales-tiers", "version": 1,
//!   "source": { "app": "sales-tiers", "app_version": "0.1.0", "workspace": "…" },
//!   "exported_at": "2026-11-27T12:00:00Z", "scope": { "kind": "full" },
//!   "checksum": "sha256:…", "data": { …workspace… } }
//! ```
//!
//! The checksum is SHA-256 over the canonical form of `data` (compact JSON,
//! object keys sorted), so re-indenting a file does not break it but any
//! change to a value does. Reading is all-or-nothing: a file is refused with
//! one clear [`ImportError`] or returns a whole, valid workspace.
//!
//! A file written by a script may leave out what has a safe default
//! ([`defaults`]: ids, revisions, times, the plan and performance
//! sections), and a record under the wrong derived id is moved to the id
//! derived from what it is about when nothing else holds that id
//! (`engine::validate::derived`); [`ReadInfo`] says what was done. Files
//! the app writes need neither, and read back byte for byte.

pub mod csv;
pub mod defaults;
pub mod input;
pub mod json_path;
pub mod lock;
pub mod migrate;
pub mod report;
#[cfg(feature = "schema")]
pub mod schema;
pub mod seal;

use crate::engine::validate::derived::{rekey_all, Rekeyed};
use crate::engine::validate::{validate, Problem};
use crate::i18n::Lang;
use crate::limits::MAX_FILE_BYTES;
use crate::model::{Workspace, SCHEMA_VERSION};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const FILE_TYPE: &str = "sales-tiers";
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The program that wrote a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Source {
    pub app: String,
    pub app_version: String,
    pub workspace: String,
}

/// What a file holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// The whole workspace.
    Full,
    /// One unit's branch (see `engine::exchange`): its subtree, the shared
    /// definitions, and read-only what it is given from above. What the
    /// merge needs (the revisions the branch was issued with) is in
    /// `data.branch`; this says what the file is before it is read.
    Branch {
        /// The branch's root unit.
        root: crate::model::Id,
        /// The root unit's name.
        name: crate::model::Text,
        /// The name of the unit above it.
        #[serde(default)]
        parent_name: crate::model::Text,
        /// When the branch was issued from the workspace above.
        issued_at: DateTime<Utc>,
        /// Who sent the file: who sent it back up, else who issued it.
        #[serde(default)]
        sender: Option<crate::model::Sender>,
    },
}

impl Scope {
    /// The scope of a document: a branch when it is one.
    pub fn of(ws: &Workspace) -> Scope {
        match &ws.branch {
            None => Scope::Full,
            Some(b) => Scope::Branch {
                root: b.root,
                name: ws.units.get(&b.root).map(|u| u.name.clone()).unwrap_or_default(),
                parent_name: b.parent_name.clone(),
                issued_at: b.issued_at,
                sender: b.sender().cloned(),
            },
        }
    }
}

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    #[serde(rename = "type")]
    file_type: &'static str,
    version: u32,
    source: Source,
    exported_at: String,
    scope: Scope,
    checksum: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a Value>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    TooLarge {
        bytes: usize,
        max: usize,
    },
    /// Nothing in the file but blanks.
    Empty,
    NotJson {
        line: usize,
        column: usize,
        detail: String,
    },
    NotOurs {
        found_type: Option<String>,
    },
    BadVersion,
    NewerVersion {
        found: u64,
        supported: u32,
    },
    TooOld {
        found: u64,
        oldest: u32,
    },
    MissingData,
    ChecksumMismatch,
    /// Signed, and the signature does not hold: changed after signing.
    SignatureBroken,
    /// Locked with a passphrase: `io::lock::unlock` it first.
    Locked,
    /// The envelope says branch and the data is not one, or the other way round.
    ScopeMismatch,
    Migration {
        from: u32,
        detail: String,
    },
    Schema {
        path: String,
        detail: String,
    },
    MissingTime {
        path: String,
    },
    /// A stored chunk of the browser's copy does not read (cut, garbled).
    Damaged {
        detail: String,
    },
    /// The document breaks rules; the names of the records they mention.
    Invalid(Vec<Problem>, crate::engine::validate::Names),
}

impl ImportError {
    pub fn message(&self, lang: Lang) -> String {
        use ImportError::*;
        match self {
            TooLarge { bytes, max } => lang.pick(
                format!("文件过大：{} MB，上限 {} MB", bytes / 1_048_576, max / 1_048_576),
                format!("the file is too large: {} MB, the limit is {} MB", bytes / 1_048_576, max / 1_048_576),
            ),
            Empty => lang.pick(
                "文件是空的：请选择导出的 .json 文件".to_string(),
                "the file is empty: choose an exported .json file".to_string(),
            ),
            // serde_json's position of an early end is past the last character.
            NotJson { line, detail, .. } if detail.starts_with("EOF") => lang.pick(
                format!("不是完整的 JSON 文件：内容在第 {line} 行意外结束（文件可能被截断）"),
                format!("not a complete JSON file: it ends too early, at line {line} (it may have been cut short)"),
            ),
            NotJson { line, column, detail } => {
                let what = json_problem(detail, lang);
                lang.pick(
                    format!("不是有效的 JSON 文件：第 {line} 行第 {column} 列出错（{what}）"),
                    format!("not a valid JSON file: error at line {line}, column {column} ({what})"),
                )
            }
            NotOurs { found_type: Some(t) } => lang.pick(
                format!("这不是销售分级管理的文件（文件类型为“{}”）", clip(t)),
                format!("this is not a Sales Tiers file (its type is “{}”)", clip(t)),
            ),
            NotOurs { found_type: None } => lang.pick(
                "这不是销售分级管理的文件（缺少 \"type\": \"sales-tiers\"）".to_string(),
                "this is not a Sales Tiers file (no \"type\": \"sales-tiers\")".to_string(),
            ),
            BadVersion => lang.pick(
                "文件缺少有效的版本号（version）".to_string(),
                "the file has no valid version number".to_string(),
            ),
            NewerVersion { found, supported } => lang.pick(
                format!("此文件由更新版本的程序生成（文件版本 {found}，本程序支持到 {supported}）。请升级后再导入，当前数据未做任何改动。"),
                format!("this file was made by a newer version (file version {found}, this build reads up to {supported}). Update the app to open it; nothing was changed."),
            ),
            TooOld { found, oldest } => lang.pick(
                format!("文件版本 {found} 过旧，本程序最早支持版本 {oldest}"),
                format!("file version {found} is older than the oldest supported version {oldest}"),
            ),
            MissingData => lang.pick("文件缺少 data 部分".to_string(), "the file has no \"data\" section".to_string()),
            ChecksumMismatch => lang.pick(
                "校验和不匹配：文件在导出后被修改或已损坏".to_string(),
                "checksum mismatch: the file was changed after export or is damaged".to_string(),
            ),
            SignatureBroken => seal::SealError::Broken.message(lang),
            Locked => lang.pick(
                "此文件已用口令加密，请先输入口令".to_string(),
                "this file is locked with a passphrase: enter it first".to_string(),
            ),
            ScopeMismatch => lang.pick(
                "文件头所写的范围（完整工作区或分支）与数据不符：文件被改动过".to_string(),
                "the file's scope (whole workspace or branch) does not match its data: the file was altered".to_string(),
            ),
            Migration { from, detail } => lang.pick(
                format!("从版本 {from} 升级数据失败：{detail}"),
                format!("upgrading the data from version {from} failed: {detail}"),
            ),
            Schema { path, detail } => {
                let what = schema_problem(detail, lang);
                lang.pick(format!("字段 {path} 有误：{what}"), format!("bad field at {path}: {what}"))
            }
            Damaged { detail } => lang.pick(
                format!("浏览器中存储的一块数据已损坏，无法读取（技术细节：{}）", clip(detail)),
                format!("a block of the data stored in this browser is damaged ({}) and cannot be read", clip(detail)),
            ),
            MissingTime { path } => lang.pick(
                format!("缺少字段 {path}，文件也没有可作默认值的 exported_at（RFC 3339 时间，如 2026-01-05T09:00:00Z）"),
                format!("{path} is missing, and the file has no exported_at (an RFC 3339 time such as 2026-01-05T09:00:00Z) to default it to"),
            ),
            Invalid(problems, names) => {
                let shown: Vec<String> = problems.iter().take(5).map(|p| p.message_with(names, lang)).collect();
                let more = problems.len().saturating_sub(5);
                let tail = if more > 0 { lang.pick(format!("；另有 {more} 个问题"), format!("; and {more} more")) } else { String::new() };
                lang.pick(
                    format!("数据不一致：{}{tail}", shown.join("；")),
                    format!("the data is inconsistent: {}{tail}", shown.join("; ")),
                )
            }
        }
    }
}

/// A quoted value in a message, cut at 40 characters.
pub(crate) fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Compact JSON with object keys sorted at every level. serde_json's `Map`
/// is a `BTreeMap` (the `preserve_order` feature is off, and a test guards
/// it), so plain compact serialisation is already canonical.
pub fn canonical_json(v: &Value) -> String {
    serde_json::to_string(v).expect("a JSON value serialises")
}

fn sha256_hex(text: &str) -> String {
    hex_of(Sha256::digest(text.as_bytes()).as_slice())
}

fn hex_of(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(64 + 7);
    hex.push_str("sha256:");
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// The checksum of a JSON text with the whitespace between its tokens left
/// out: canonical data as written (compact, ours) and an indented copy of
/// it (a readable export, the CLI's files) both hash as the canonical text,
/// in one pass and without being parsed.
fn sha256_hex_unindented(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut h = Sha256::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = json_path::string_end(bytes, i),
            b' ' | b'\n' | b'\r' | b'\t' => {
                h.update(&bytes[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    h.update(&bytes[start.min(bytes.len())..]);
    hex_of(h.finalize().as_slice())
}

pub fn checksum(data: &Value) -> String {
    sha256_hex(&canonical_json(data))
}

/// Does the `data` text as written match the checksum `sum`? Fast when the
/// text is canonical (ours always is), else through its canonical form.
pub(crate) fn data_matches(raw: &str, sum: &str) -> bool {
    sha256_hex_unindented(raw) == sum || serde_json::from_str::<Value>(raw).is_ok_and(|v| checksum(&v) == sum)
}

/// Serialises a workspace into a file envelope. `pretty` for files people
/// may open; compact for storage.
pub fn write(ws: &Workspace, exported_at: DateTime<Utc>, pretty: bool) -> String {
    let data = serde_json::to_value(ws).expect("workspace serialises");
    let canonical = canonical_json(&data);
    let env = EnvelopeOut {
        file_type: FILE_TYPE,
        version: SCHEMA_VERSION,
        source: Source { app: FILE_TYPE.into(), app_version: APP_VERSION.into(), workspace: ws.settings.workspace_name.clone() },
        exported_at: exported_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        scope: Scope::of(ws),
        checksum: sha256_hex(&canonical),
        data: None,
    };
    if pretty {
        serde_json::to_string_pretty(&EnvelopeOut { data: Some(&data), ..env }).expect("envelope serialises")
    } else {
        // The canonical text is the data as written: no second serialisation,
        // and a reader can hash it as it stands.
        let head = serde_json::to_string(&env).expect("envelope serialises");
        let mut out = String::with_capacity(head.len() + canonical.len() + 9);
        out.push_str(&head[..head.len() - 1]);
        out.push_str(",\"data\":");
        out.push_str(&canonical);
        out.push('}');
        out
    }
}

/// Suggested file name for an export on `date`.
/// Bytes no text file starts with: a NUL in the first 4 KB (an image, a
/// workbook, an archive). Text in UTF-16 has NULs too but starts with its
/// byte-order mark, and is told as text in another encoding instead.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    !utf16 && bytes.iter().take(4096).any(|b| *b == 0)
}

pub fn file_name(date: chrono::NaiveDate) -> String {
    format!("sales-tiers-{}.json", date.format("%Y-%m-%d"))
}

/// Suggested name of a branch file: `<workspace>-<unit>-<date>.json`
/// (`…-<date>-back.json` when sent back up), with characters file systems
/// refuse replaced by "-".
pub fn branch_file_name(workspace: &str, unit: &str, date: chrono::NaiveDate, back: bool) -> String {
    let clean = |s: &str| {
        let t: String = s.chars().map(|c| if c.is_alphanumeric() || c == '_' || c == '.' { c } else { '-' }).take(60).collect();
        let mut t = t.trim_matches(|c| c == '-' || c == '.').to_string();
        while t.contains("--") {
            t = t.replace("--", "-");
        }
        if t.is_empty() {
            "branch".to_string()
        } else {
            t
        }
    };
    format!("{}-{}-{}{}.json", clean(workspace), clean(unit), date.format("%Y-%m-%d"), if back { "-back" } else { "" })
}

/// What a successful read found besides the workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadInfo {
    pub file_version: u32,
    pub migrated: bool,
    pub had_checksum: bool,
    /// Values the file left out and got their defaults (see [`defaults`]).
    pub defaulted: usize,
    /// Records moved to the id derived from what they are about.
    pub rekeyed: Vec<Rekeyed>,
    /// The data's checksum as the file gave it (None: it had none).
    pub checksum: Option<String>,
    /// When the file says it was written.
    pub exported_at: Option<DateTime<Utc>>,
    /// The file's signature, checked (None: not signed). Whose key it is
    /// is the receiving workspace's call: `seal::trust`.
    pub signed: Option<seal::Signed>,
}

/// Reads a file envelope: checks type, version, checksum, migrates older
/// versions, deserialises with field paths, validates. All or nothing.
pub fn read(text: &str) -> Result<(Workspace, ReadInfo), ImportError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { bytes: text.len(), max: MAX_FILE_BYTES });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    if !text.trim_start().starts_with('{') {
        // Valid JSON that is not an object is not ours; invalid JSON says where.
        return Err(match serde_json::from_str::<Value>(text) {
            Ok(_) => ImportError::NotOurs { found_type: None },
            Err(e) => ImportError::NotJson { line: e.line(), column: e.column(), detail: json_error_kind(&e) },
        });
    }
    // Top-level fields as raw text: `data` is hashed and parsed from its own text.
    let obj: std::collections::BTreeMap<String, &serde_json::value::RawValue> =
        serde_json::from_str(text).map_err(|e| ImportError::NotJson { line: e.line(), column: e.column(), detail: json_error_kind(&e) })?;
    let field = |k: &str| obj.get(k).and_then(|r| serde_json::from_str::<Value>(r.get()).ok());
    match field("type") {
        Some(Value::String(t)) if t == FILE_TYPE => {}
        Some(Value::String(t)) => return Err(ImportError::NotOurs { found_type: Some(t) }),
        _ => return Err(ImportError::NotOurs { found_type: None }),
    }
    let version = field("version").and_then(|v| v.as_u64()).ok_or(ImportError::BadVersion)?;
    if version > SCHEMA_VERSION as u64 {
        return Err(ImportError::NewerVersion { found: version, supported: SCHEMA_VERSION });
    }
    if version < migrate::OLDEST_VERSION as u64 {
        return Err(ImportError::TooOld { found: version, oldest: migrate::OLDEST_VERSION });
    }
    let version = version as u32;
    if obj.contains_key("encrypted") {
        return Err(ImportError::Locked);
    }
    // The signature first: a signed file that was changed says so, rather
    // than "checksum mismatch" or whatever the change broke further on.
    let signed = seal::check_fields(&obj).map_err(|_| ImportError::SignatureBroken)?;
    let broken = |e: ImportError| if signed.is_some() { ImportError::SignatureBroken } else { e };
    let raw = obj.get("data").ok_or(ImportError::MissingData)?.get();
    let mut value: Option<Value> = None;
    let mut sum_given = None;
    let had_checksum = match field("checksum") {
        None | Some(Value::Null) => false,
        Some(Value::String(sum)) => {
            sum_given = Some(sum.clone());
            // Fast path: the data as written is canonical (ours always
            // is), compact or indented (a readable export). Otherwise
            // (reordered, escaped differently) hash its canonical form.
            if sha256_hex_unindented(raw) != sum {
                let v: Value = serde_json::from_str(raw)
                    .map_err(|e| broken(ImportError::NotJson { line: 0, column: 0, detail: json_error_kind(&e) }))?;
                if checksum(&v) != sum {
                    return Err(broken(ImportError::ChecksumMismatch));
                }
                value = Some(v);
            }
            true
        }
        Some(_) => return Err(ImportError::ChecksumMismatch),
    };
    let cx = defaults::Context {
        stamp: match field("exported_at") {
            Some(Value::String(t)) => DateTime::parse_from_rfc3339(&t).ok().map(|t| t.with_timezone(&Utc)),
            _ => None,
        },
        version,
    };
    let as_value = |raw: &str| {
        serde_json::from_str::<Value>(raw).map_err(|e| ImportError::NotJson { line: 0, column: 0, detail: json_error_kind(&e) })
    };
    let (mut ws, defaulted) = if version == SCHEMA_VERSION && value.is_none() {
        // Current version: straight from the text into the typed document.
        // Only a file that leaves something out (a script's) takes the
        // slower way through a JSON value with its defaults filled.
        match typed(raw) {
            Ok(ws) => (ws, 0),
            Err(first) => {
                let mut data = as_value(raw)?;
                match defaults::fill(&mut data, &cx)? {
                    0 => return Err(first),
                    n => (typed_value(&data)?, n),
                }
            }
        }
    } else {
        let data = match value {
            Some(v) => v,
            None => as_value(raw)?,
        };
        let mut data = migrate::migrate_with(data, version, SCHEMA_VERSION, migrate::MIGRATIONS)
            .map_err(|(from, detail)| ImportError::Migration { from, detail })?;
        let n = defaults::fill(&mut data, &cx)?;
        (typed_value(&data)?, n)
    };
    let branch_scope = match field("scope") {
        Some(v) => v.get("kind").and_then(Value::as_str) == Some("branch"),
        None => false,
    };
    if branch_scope != ws.branch.is_some() {
        return Err(ImportError::ScopeMismatch);
    }
    let rekeyed = rekey_and_validate(&mut ws)?;
    Ok((
        ws,
        ReadInfo {
            file_version: version,
            migrated: version != SCHEMA_VERSION,
            had_checksum,
            defaulted,
            rekeyed,
            checksum: sum_given,
            exported_at: cx.stamp,
            signed,
        },
    ))
}

/// Deserialises and validates a current-version `data` value (no defaults:
/// those come from the envelope).
pub fn parse_data(data: Value) -> Result<Workspace, ImportError> {
    let mut ws = typed_value(&data)?;
    rekey_and_validate(&mut ws)?;
    Ok(ws)
}

/// Parses a data text into the typed document, or a schema error with the
/// bad field's path (found from the error's position: [`json_path`]).
///
/// The one way a workspace is deserialised: from text, as storage reads
/// its cells too, so the wasm holds one copy of the document's
/// deserialiser.
fn typed(raw: &str) -> Result<Workspace, ImportError> {
    serde_json::from_str(raw).map_err(|e| {
        let path = json_path::path_at(raw, e.line(), e.column());
        ImportError::Schema { path: if path == "." { "data".to_string() } else { format!("data.{path}") }, detail: json_error_kind(&e) }
    })
}

/// A migrated or completed value, written out and parsed as text (see
/// [`typed`]): only older files and files with gaps come this way.
fn typed_value(data: &Value) -> Result<Workspace, ImportError> {
    typed(&serde_json::to_string(data).expect("a JSON value serialises"))
}

/// Moves records to their derived ids where that is safe (nothing else
/// holds the id), then validates: a record that could not be moved is
/// refused with the id it should have.
fn rekey_and_validate(ws: &mut Workspace) -> Result<Vec<Rekeyed>, ImportError> {
    let mut problems = validate(ws);
    let mut rekeyed = Vec::new();
    // Files the app writes never get here with a wrong id: no second pass.
    if problems.iter().any(|p| matches!(p, Problem::WrongDerivedId { .. })) {
        rekeyed = rekey_all(ws);
        problems = validate(ws);
    }
    if !problems.is_empty() {
        let names = crate::engine::validate::Names::of_problems(ws, &problems);
        return Err(ImportError::Invalid(problems, names));
    }
    Ok(rekeyed)
}

/// What a value that does not fit the document is, in the reader's
/// language: serde's forms ("invalid type: string \"lots\", expected i64",
/// "missing field `name`", …) with the types named as a person would. A
/// message of another form keeps its words, quoted.
fn schema_problem(detail: &str, lang: Lang) -> String {
    // A type serde expected, or found.
    let kind = |t: &str| -> String {
        let t = t.trim();
        let (zh, en) = match t {
            "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "isize" => ("整数", "a whole number"),
            "f32" | "f64" => ("数字", "a number"),
            "a string" | "string" => ("文本", "text"),
            "a boolean" | "boolean" => ("true 或 false", "true or false"),
            "a sequence" | "sequence" => ("列表 […]", "a list […]"),
            "a map" | "map" => ("对象 {…}", "an object {…}"),
            "null" | "unit value" => ("null", "null"),
            _ if t.starts_with("struct ") => ("对象 {…}", "an object {…}"),
            _ => {
                let shown = t.split_once(' ').map(|(k, v)| (k, v.trim_matches(['`', '"']))).and_then(|(k, v)| match k {
                    "integer" | "float" => Some(lang.pick(format!("数字 {v}"), format!("the number {v}"))),
                    "string" => Some(lang.pick(format!("文本“{}”", clip(v)), format!("the text “{}”", clip(v)))),
                    "boolean" => Some(v.to_string()),
                    _ => None,
                });
                return shown.unwrap_or_else(|| format!("“{}”", clip(t)));
            }
        };
        lang.pick(zh.to_string(), en.to_string())
    };
    let name = |s: &str| s.trim().trim_matches('`').to_string();
    if let Some(rest) = detail.strip_prefix("invalid type: ").or_else(|| detail.strip_prefix("invalid value: ")) {
        if let Some((found, expected)) = rest.rsplit_once(", expected ") {
            let (found, expected) = (kind(&found.replacen("floating point", "float", 1)), kind(expected));
            return lang.pick(format!("应为{expected}，实为{found}"), format!("{expected} was expected, not {found}"));
        }
    }
    if let Some(f) = detail.strip_prefix("missing field ") {
        return lang.pick(format!("缺少字段 {}", name(f)), format!("the field {} is missing", name(f)));
    }
    if let Some(f) = detail.strip_prefix("duplicate field ") {
        return lang.pick(format!("字段 {} 出现了两次", name(f)), format!("the field {} appears twice", name(f)));
    }
    for (prefix, zh, en) in [("unknown variant ", "未知的取值", "an unknown value"), ("unknown field ", "未知的字段", "an unknown field")]
    {
        if let Some(rest) = detail.strip_prefix(prefix) {
            let (v, allowed) = rest.split_once(", expected ").unwrap_or((rest, ""));
            let allowed = allowed.trim_start_matches("one of ").replace('`', "");
            return match allowed.is_empty() || allowed.starts_with("there are no") {
                true => lang.pick(format!("{zh} {}", name(v)), format!("{en}: {}", name(v))),
                false => lang.pick(
                    format!("{zh} {}（可用：{}）", name(v), clip(&allowed)),
                    format!("{en}: {} (one of {})", name(v), clip(&allowed)),
                ),
            };
        }
    }
    lang.pick(format!("“{}”", clip(detail)), format!("“{}”", clip(detail)))
}

/// What a JSON syntax error is, in the reader's language: serde_json's
/// own words name the kind; an unknown kind keeps them, quoted.
fn json_problem(detail: &str, lang: Lang) -> String {
    const KINDS: [(&str, &str, &str); 12] = [
        ("expected value", "此处应为一个值", "a value was expected here"),
        ("expected ident", "此处应为一个值", "a value was expected here"),
        ("trailing characters", "JSON 结束后还有多余的内容", "there is more text after the end of the JSON"),
        ("trailing comma", "末尾多了一个逗号", "there is a comma too many"),
        ("expected `,` or `}`", "缺少逗号或 }", "a comma or } is missing"),
        ("expected `,` or `]`", "缺少逗号或 ]", "a comma or ] is missing"),
        ("expected `:`", "缺少冒号", "a colon is missing"),
        ("key must be a string", "键必须是带引号的字符串", "a key must be a quoted string"),
        ("invalid escape", "字符串中有无效的转义", "a string has an invalid escape"),
        ("control character", "字符串中有未转义的控制字符", "a string holds an unescaped control character"),
        ("invalid number", "数字无效", "a number is not valid"),
        ("recursion limit", "嵌套层数过深", "it is nested too deeply"),
    ];
    match KINDS.iter().find(|(k, ..)| detail.starts_with(k)) {
        Some((_, zh, en)) => lang.pick(zh.to_string(), en.to_string()),
        None => lang.pick(format!("语法错误：“{}”", clip(detail)), format!("syntax error: “{}”", clip(detail))),
    }
}

fn json_error_kind(e: &serde_json::Error) -> String {
    // serde_json's text ends with " at line L column C"; drop that part, we
    // report the position ourselves.
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_sorts_keys_at_every_level() {
        // Guards the BTreeMap-backed Map: if a dependency ever turned on
        // serde_json's preserve_order, every stored checksum would change.
        let v: Value = serde_json::from_str(r#"{"b":1,"a":{"d":[{"z":1,"y":2}],"c":null}}"#).unwrap();
        assert_eq!(canonical_json(&v), r#"{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}"#);
    }

    #[test]
    fn an_indented_copy_hashes_as_the_canonical_text() {
        // Whitespace, quotes and backslashes inside strings are data, not indentation.
        let v: Value =
            serde_json::from_str(r#"{"z":[1,{"k":"a \" b"}],"a b":"line\nnext\\","t":"\t x ","e":"","u":"张 三","n":[]}"#).unwrap();
        for text in [serde_json::to_string_pretty(&v).unwrap(), canonical_json(&v)] {
            assert_eq!(sha256_hex_unindented(&text), checksum(&v), "{text}");
            assert!(data_matches(&text, &checksum(&v)));
        }
        // A changed value inside a string is not whitespace.
        let changed = serde_json::to_string_pretty(&v).unwrap().replace("a \\\" b", "a \\\"b");
        assert_ne!(sha256_hex_unindented(&changed), checksum(&v));
    }
}
