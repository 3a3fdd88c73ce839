//! Reading a CSV file: decoding (UTF-8 or GBK), sniffing the delimiter and
//! parsing it into a [`Table`] of header and rows, or a [`CsvError`].

use crate::i18n::Lang;
use crate::limits::{MAX_CSV_ROWS, MAX_FILE_BYTES};

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

/// Undoes the formula escape [`super::write::safe_cell`] adds: an
/// apostrophe before = + - @ (or a tab / carriage return) is dropped, so an
/// export read back gives the values that were written. Any other leading
/// apostrophe is kept.
pub fn unescape_cell(c: &str) -> &str {
    match c.strip_prefix('\'') {
        Some(rest) if matches!(rest.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) => rest,
        _ => c,
    }
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
        let cells: Vec<String> = rec.iter().map(|c| unescape_cell(c.trim()).to_string()).collect();
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
