//! The file envelope: round trip and every bad-file case.
mod common;
use common::*;
use sales_tiers_core::engine::validate::Problem;
use sales_tiers_core::io::{self, ImportError};
use sales_tiers_core::model::*;
use sales_tiers_core::Lang;
use serde_json::{json, Value};

fn envelope(ws: &sales_tiers_core::Workspace) -> Value {
    serde_json::from_str(&io::write(ws, t0(), true)).unwrap()
}

/// Re-signs an edited envelope so the test reaches the check after the checksum.
fn resign(mut v: Value) -> String {
    let sum = io::checksum(&v["data"]);
    v["checksum"] = json!(sum);
    v.to_string()
}

#[test]
fn round_trip_pretty_and_compact() {
    let ws = demo();
    for pretty in [true, false] {
        let text = io::write(&ws, t0(), pretty);
        let (back, info) = io::read(&text).unwrap();
        assert_eq!(back, ws);
        assert!(info.had_checksum && !info.migrated);
        // Nothing defaulted or moved: export → import → export is byte for byte.
        assert_eq!((info.defaulted, info.rekeyed.len()), (0, 0));
        assert_eq!(io::write(&back, t0(), pretty), text);
    }
    let v = envelope(&ws);
    assert_eq!(v["type"], "sales-tiers");
    assert_eq!(v["version"], SCHEMA_VERSION);
    assert_eq!(v["source"]["workspace"], ws.settings.workspace_name.as_str());
    assert_eq!(v["scope"]["kind"], "full");
    assert_eq!(v["exported_at"], "2026-11-27T09:00:00Z");
    assert!(v["checksum"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(io::file_name(t0().date_naive()), "sales-tiers-2026-11-27.json");
}

#[test]
fn reindented_file_still_matches_its_checksum() {
    let v = envelope(&demo());
    let compact = serde_json::to_string(&v).unwrap();
    assert!(io::read(&compact).is_ok());
    let with_bom = format!("\u{feff}{compact}");
    assert!(io::read(&with_bom).is_ok());
}

#[test]
fn not_json_reports_line_and_column() {
    let err = io::read("{\n  \"type\": \"sales-tiers\",\n  oops\n}").unwrap_err();
    match &err {
        ImportError::NotJson { line, column, .. } => assert_eq!((*line, *column), (3, 3)),
        other => panic!("{other:?}"),
    }
    assert!(err.message(Lang::En).contains("line 3, column 3"));
    assert!(err.message(Lang::Zh).contains("第 3 行第 3 列"));
    assert_eq!(io::read("").unwrap_err(), ImportError::Empty);
    assert_eq!(io::read(" \n\t").unwrap_err(), ImportError::Empty);
}

#[test]
fn fields_that_do_not_fit_are_told_in_the_readers_language() {
    // serde's words for the usual mistakes of a file edited by hand.
    for (detail, zh, en) in [
        (
            "invalid type: integer `5`, expected struct Workspace",
            "应为对象 {…}，实为数字 5",
            "an object {…} was expected, not the number 5",
        ),
        ("invalid type: string \"lots\", expected i64", "应为整数，实为文本“lots”", "a whole number was expected, not the text “lots”"),
        ("invalid type: null, expected a string", "应为文本，实为null", "text was expected, not null"),
        ("invalid type: floating point `1.5`, expected u8", "应为整数，实为数字 1.5", "a whole number was expected, not the number 1.5"),
        ("missing field `name`", "缺少字段 name", "the field name is missing"),
        (
            "unknown variant `closed`, expected one of `open`, `won`, `lost`",
            "未知的取值 closed（可用：open, won, lost）",
            "an unknown value: closed (one of open, won, lost)",
        ),
    ] {
        let e = ImportError::Schema { path: "data.x".into(), detail: detail.into() };
        assert_eq!(e.message(Lang::Zh), format!("字段 data.x 有误：{zh}"));
        assert_eq!(e.message(Lang::En), format!("bad field at data.x: {en}"));
    }
    // A message of another form is quoted as it is.
    let e = ImportError::Schema { path: "data.x".into(), detail: "premature end of input".into() };
    assert!(e.message(Lang::Zh).ends_with("有误：“premature end of input”"));
}

#[test]
fn an_image_or_a_workbook_is_not_text_but_utf16_and_utf8_are() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let xlsx = b"PK\x03\x04\x14\0\x06\0";
    assert!(io::looks_binary(png) && io::looks_binary(xlsx));
    // UTF-16 (with its mark) and UTF-8 text, Chinese included, are text.
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("{\"a\":1}".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
    assert!(!io::looks_binary(&utf16));
    assert!(!io::looks_binary("{\"名\": \"华东\"}".as_bytes()) && !io::looks_binary(b""));
    // Only the first 4 KB are looked at.
    let late = [vec![b' '; 5000], vec![0]].concat();
    assert!(!io::looks_binary(&late));
}

#[test]
fn json_syntax_errors_are_told_in_the_readers_language() {
    // Cut short, binary noise, a stray comma: serde_json's English kind is
    // not shown to a zh-CN reader, and the position stays.
    for text in ["{\"type\": \"sales-tiers\", \"version\"", "\u{1}\u{0}PK\u{3}", "{\"type\": 1,}", "{\"a\" 1}", "{} x"] {
        let e = io::read(text).unwrap_err();
        assert!(matches!(e, ImportError::NotJson { .. } | ImportError::NotOurs { .. }), "{text:?}: {e:?}");
        let zh = e.message(Lang::Zh);
        assert!(!zh.chars().any(|c| c.is_ascii_alphabetic() && !"JSON".contains(c)), "English in the zh message: {zh}");
        assert!(e.message(Lang::En).starts_with("not a"), "{}", e.message(Lang::En));
    }
    // An early end names the line, not a column past the end.
    let cut = io::read("{\n\"type\": \"sales-tiers\",\n").unwrap_err();
    assert!(cut.message(Lang::En).contains("ends too early, at line 3"), "{}", cut.message(Lang::En));
}

#[test]
fn foreign_files_are_named_as_such() {
    assert_eq!(io::read("[1,2]").unwrap_err(), ImportError::NotOurs { found_type: None });
    assert_eq!(io::read(r#"{"name":"package"}"#).unwrap_err(), ImportError::NotOurs { found_type: None });
    let e = io::read(r#"{"type":"zoho-export","version":1}"#).unwrap_err();
    assert_eq!(e, ImportError::NotOurs { found_type: Some("zoho-export".into()) });
    assert!(e.message(Lang::En).contains("zoho-export"));
}

#[test]
fn newer_version_is_refused_with_a_clear_message() {
    let mut v = envelope(&demo());
    v["version"] = json!(SCHEMA_VERSION + 1);
    let e = io::read(&v.to_string()).unwrap_err();
    assert_eq!(e, ImportError::NewerVersion { found: (SCHEMA_VERSION + 1) as u64, supported: SCHEMA_VERSION });
    assert!(e.message(Lang::En).contains("newer version"));
    assert!(e.message(Lang::Zh).contains("更新版本"));
    v["version"] = json!(0);
    assert!(matches!(io::read(&v.to_string()).unwrap_err(), ImportError::TooOld { found: 0, .. }));
    v["version"] = json!("1");
    assert_eq!(io::read(&v.to_string()).unwrap_err(), ImportError::BadVersion);
}

#[test]
fn checksum_mismatch_is_detected_and_missing_checksum_accepted() {
    let mut v = envelope(&demo());
    let first = v["data"]["people"].as_object().unwrap().keys().next().unwrap().clone();
    v["data"]["people"][&first]["name"]["en"] = json!("Tampered");
    assert_eq!(io::read(&v.to_string()).unwrap_err(), ImportError::ChecksumMismatch);
    // A file written by a script without a checksum is accepted, but still validated.
    v.as_object_mut().unwrap().remove("checksum");
    let (ws, info) = io::read(&v.to_string()).unwrap();
    assert!(!info.had_checksum);
    assert_eq!(ws.people.values().filter(|p| p.name.en == "Tampered").count(), 1);
    let mut v = envelope(&demo());
    v.as_object_mut().unwrap().remove("data");
    assert_eq!(io::read(&v.to_string()).unwrap_err(), ImportError::MissingData);
}

#[test]
fn schema_errors_give_the_path_of_the_bad_field() {
    let mut v = envelope(&demo());
    let first = v["data"]["people"].as_object().unwrap().keys().next().unwrap().clone();
    v["data"]["people"][&first]["hire_date"] = json!("31/02/2020");
    let e = io::read(&resign(v)).unwrap_err();
    match &e {
        ImportError::Schema { path, .. } => {
            assert_eq!(path, &format!("data.people.{first}.hire_date"))
        }
        other => panic!("{other:?}"),
    }
    assert!(e.message(Lang::En).contains("hire_date"));

    let mut v = envelope(&demo());
    v["data"]["settings"]["fiscal_year_start_month"] = json!(-3);
    match io::read(&resign(v)).unwrap_err() {
        ImportError::Schema { path, .. } => {
            assert_eq!(path, "data.settings.fiscal_year_start_month")
        }
        other => panic!("{other:?}"),
    }
    let mut v = envelope(&demo());
    v["data"]["surprise"] = json!(1);
    assert!(matches!(io::read(&resign(v)).unwrap_err(), ImportError::Schema { .. }));
}

#[test]
fn hierarchy_cycles_are_refused() {
    let ws = demo();
    let mut v = envelope(&ws);
    let root = ws.root().unwrap().id;
    let region = ws.units.values().find(|u| u.parent == Some(root)).unwrap().id;
    let team = ws.units.values().find(|u| u.parent == Some(region)).unwrap().id;
    // region → team → region, detached from the root.
    v["data"]["units"][region.to_string()]["parent"] = json!(team.to_string());
    let e = io::read(&resign(v)).unwrap_err();
    let ImportError::Invalid(problems, _) = &e else { panic!("{e:?}") };
    assert!(problems.iter().any(|p| matches!(p, Problem::Cycle { .. })), "{problems:?}");
    assert!(e.message(Lang::En).contains("cycle"));
    assert!(e.message(Lang::Zh).contains("循环"));
}

#[test]
fn dangling_references_and_absurd_values_are_refused() {
    let ws = demo();
    let mut v = envelope(&ws);
    let pid = ws.people.keys().next().unwrap().to_string();
    v["data"]["people"][&pid]["unit"] = json!(id(4242).to_string());
    v["data"]["settings"]["currency"] = json!("RMB!");
    v["data"]["people"][&pid]["notes"] = json!("x".repeat(6000));
    let e = io::read(&resign(v)).unwrap_err();
    let ImportError::Invalid(p, _) = &e else { panic!() };
    assert!(p.iter().any(|p| matches!(p, Problem::MissingRef { field: "unit", .. })));
    // Records are named by name, not by the first digits of their id.
    let person = &ws.people[&sales_tiers_core::Id::parse(&pid).unwrap()];
    for lang in [Lang::En, Lang::Zh] {
        let m = e.message(lang);
        assert!(m.contains(&format!("“{}”", person.name.get(lang))), "{m}");
        assert!(!m.contains(&person.id.short()) || m.contains(&person.id.to_string()), "{m}");
    }
    assert!(p.iter().any(|p| matches!(p, Problem::BadCurrency { .. })));
    assert!(p.iter().any(|p| matches!(p, Problem::TooLong { field: "notes", len: 6000, .. })));
}

#[test]
fn huge_files_are_refused_before_parsing() {
    let huge = " ".repeat(sales_tiers_core::limits::MAX_FILE_BYTES + 1);
    assert!(matches!(io::read(&huge).unwrap_err(), ImportError::TooLarge { .. }));
}

#[test]
fn every_import_error_has_both_languages() {
    let errors = vec![
        ImportError::TooLarge { bytes: 60 << 20, max: 50 << 20 },
        ImportError::Empty,
        ImportError::NotJson { line: 1, column: 2, detail: "x".into() },
        ImportError::NotJson { line: 1, column: 2, detail: "expected value".into() },
        ImportError::NotOurs { found_type: None },
        ImportError::BadVersion,
        ImportError::NewerVersion { found: 9, supported: 1 },
        ImportError::TooOld { found: 0, oldest: 1 },
        ImportError::MissingData,
        ImportError::ChecksumMismatch,
        ImportError::Migration { from: 1, detail: "x".into() },
        ImportError::Schema { path: "data.x".into(), detail: "y".into() },
        ImportError::Damaged { detail: "cut".into() },
        ImportError::MissingTime { path: "data.x.updated_at".into() },
        ImportError::Invalid(vec![Problem::NoRoot; 7], Default::default()),
    ];
    for e in errors {
        let (zh, en) = (e.message(Lang::Zh), e.message(Lang::En));
        assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{e:?}");
        assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "zh text without Chinese: {zh}");
    }
    assert!(ImportError::Invalid(vec![Problem::NoRoot; 7], Default::default()).message(Lang::En).ends_with("and 2 more"));
}

mod bad_field_paths {
    use super::*;
    use proptest::prelude::*;
    use sales_tiers_core::io::json_path::path_at;
    use std::sync::LazyLock;

    /// The demo's data and the JSON pointer of every scalar in it.
    static DATA: LazyLock<(Value, Vec<String>)> = LazyLock::new(|| {
        let data = envelope(&demo())["data"].take();
        let mut leaves = Vec::new();
        fn walk(v: &Value, at: String, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => m.iter().for_each(|(k, v)| walk(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out)),
                Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| walk(v, format!("{at}/{i}"), out)),
                _ => out.push(at),
            }
        }
        walk(&data, String::new(), &mut leaves);
        (data, leaves)
    });

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any scalar of the document turned into a value of the wrong kind:
        /// the path found from the error's position is the one a
        /// path-tracking deserialiser (serde_path_to_error) reports, in
        /// pretty and compact text.
        #[test]
        fn the_path_read_from_the_text_is_the_tracked_path(pick in any::<prop::sample::Index>(), kind in 0..4usize, pretty in any::<bool>()) {
            let (data, leaves) = &*DATA;
            let mut data = data.clone();
            let at = &leaves[pick.index(leaves.len())];
            *data.pointer_mut(at).unwrap() = match kind {
                0 => json!("not a value"),
                1 => json!(-123456789012i64),
                2 => json!(true),
                _ => json!({ "x": [1] }),
            };
            let text = if pretty { serde_json::to_string_pretty(&data) } else { serde_json::to_string(&data) }.unwrap();
            let tracked = serde_path_to_error::deserialize::<_, Workspace>(&mut serde_json::Deserializer::from_str(&text));
            if let Err(e) = tracked {
                let inner = e.inner();
                prop_assert_eq!(path_at(&text, inner.line(), inner.column()), e.path().to_string(), "{} at {}", inner, at);
            }
        }
    }

    /// The reader says the same for a bad field through the fast path
    /// (current version) and through a migration (written out, read as text).
    #[test]
    fn the_reader_reports_the_path_for_current_and_migrated_files() {
        let mut v = envelope(&demo());
        let first = v["data"]["customers"].as_object().unwrap().keys().next().unwrap().clone();
        v["data"]["customers"][&first]["name"] = json!(12);
        let e = io::read(&resign(v)).unwrap_err();
        assert!(
            matches!(&e, ImportError::Schema { path, detail } if *path == format!("data.customers.{first}.name") && !detail.contains(" at line ")),
            "{e:?}"
        );
    }
}
