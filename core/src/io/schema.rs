//! The JSON Schema of a workspace file (feature "schema"), generated from
//! the model's types and their doc comments, with what [`super::defaults`]
//! fills marked optional. `sales-tiers schema` prints it, and
//! docs/workspace.schema.json is a copy that a test keeps current.

use super::defaults::{rules, Step};
use super::{Scope, Source, FILE_TYPE};
use crate::model::{Workspace, SCHEMA_VERSION};
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde_json::Value;

/// # Sales Tiers workspace file
///
/// A workspace (销售分级管理) as a file: an envelope around the document in
/// `data`. Units: money is an integer in minor units (fen, cents); rates,
/// attainment, weights and scores are integers in basis points (10,000 =
/// 100 %), except where a field says percent; a target's `months` are the 12
/// fiscal months from the fiscal start month; dates are YYYY-MM-DD and
/// times RFC 3339; ids are UUIDs, some derived from what the record is
/// about (`sales-tiers id`). Check a file with `sales-tiers validate FILE`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct File {
    /// Always "sales-tiers".
    #[serde(rename = "type")]
    file_type: String,
    /// Version of the format. This schema describes the current version; the
    /// app also reads the versions before it and upgrades them.
    version: u32,
    /// The program that wrote the file (not read).
    source: Option<Source>,
    /// When the file was written (RFC 3339). Left-out `updated_at` and
    /// `created_at` fields default to it.
    exported_at: Option<DateTime<Utc>>,
    /// What the file holds (not read).
    scope: Option<Scope>,
    /// "sha256:" and the SHA-256 (hex) of `data` in canonical form: compact
    /// JSON with object keys sorted at every level. A file without one (or
    /// with null) is accepted and validated: leave it out when writing by
    /// script.
    checksum: Option<String>,
    /// Ed25519 signature over this envelope without `data` and without the
    /// signature's `value`, canonical JSON after the line "sales-tiers
    /// signed file v1"; `checksum` binds the data. Left out when unsigned.
    signature: Option<super::seal::SignatureBlock>,
    /// The workspace.
    data: Workspace,
}

/// The schema of a workspace file, as JSON.
pub fn file_schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut v = generator.into_root_schema_for::<File>().to_value();
    v["properties"]["type"]["const"] = Value::from(FILE_TYPE);
    v["properties"]["version"]["const"] = Value::from(SCHEMA_VERSION);
    for rule in rules() {
        let mut at = resolve(&v, "/properties/data".to_string());
        for step in &rule.at {
            let next = match step {
                Step::Field(f) => format!("{at}/properties/{f}"),
                Step::Each => match v.pointer(&format!("{at}/patternProperties")).and_then(Value::as_object) {
                    Some(p) if p.len() == 1 => {
                        format!("{at}/patternProperties/{}", p.keys().next().expect("one").replace('~', "~0").replace('/', "~1"))
                    }
                    _ => format!("{at}/additionalProperties"),
                },
            };
            at = resolve(&v, next);
        }
        let obj = v.pointer_mut(&at).and_then(Value::as_object_mut).unwrap_or_else(|| panic!("{rule:?}: no object schema at {at}"));
        if let Some(Value::Array(required)) = obj.get_mut("required") {
            required.retain(|f| f != rule.field);
        }
        let field = obj
            .get_mut("properties")
            .and_then(|p| p.get_mut(rule.field))
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{rule:?}: no field {} at {at}", rule.field));
        let text = rule.fill.describe();
        let description = match field.get("description").and_then(Value::as_str).or_else(|| meaning(rule.field)) {
            Some(d) if d.contains(&text) => d.to_string(),
            Some(d) => format!("{d} {text}"),
            None => text,
        };
        field.insert("description".into(), Value::from(description));
    }
    unwrap_lines(&mut v);
    v
}

/// What the fields every record has mean (they carry no doc comment of
/// their own in each of the record types).
fn meaning(field: &str) -> Option<&'static str> {
    match field {
        "id" => Some("The record's id (a UUID)."),
        "rev" => Some("Revision: 1 when made, one more at each change; a merge keeps the higher."),
        "updated_at" => Some("When the record last changed (RFC 3339)."),
        _ => None,
    }
}

/// Follows a `$ref` at `pointer` to the definition it names.
fn resolve(v: &Value, pointer: String) -> String {
    match v.pointer(&pointer).and_then(|s| s.get("$ref")).and_then(Value::as_str) {
        Some(r) => r.trim_start_matches('#').to_string(),
        None => pointer,
    }
}

/// Doc comments keep their line breaks; a description reads better with a
/// line break only between paragraphs.
fn unwrap_lines(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                match x {
                    Value::String(s) if k == "description" || k == "title" => {
                        *s = s
                            .split("\n\n")
                            .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
                            .collect::<Vec<_>>()
                            .join("\n\n");
                    }
                    _ => unwrap_lines(x),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unwrap_lines),
        _ => {}
    }
}
