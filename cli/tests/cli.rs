//! The CLI end to end: demo → validate, and the same messages as the app for bad files.
use sales_tiers_core::sort::Arrange;
use std::process::Command;

/// The binary with an injected clock: the demo's dates, and so every figure
/// below, are the same on whatever day the tests run.
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sales-tiers"));
    c.env("SALES_TIERS_NOW", "2026-11-27T09:00:00Z");
    c
}

#[test]
fn demo_then_validate() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.json");
    let out = bin().args(["--lang", "en", "demo", "--people", "300", "--seed", "7", "-o"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = bin().args(["--lang", "en", "validate"]).arg(&file).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("valid: Demo: Huadong Precision Machinery (300 people"), "{stdout}");
    let out = bin().args(["--lang", "zh-CN", "validate"]).arg(&file).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("300 人"));
    // --compact: the same workspace as the app exports it, without indentation.
    let (readable, compact) = (dir.path().join("readable.json"), dir.path().join("compact.json"));
    for (path, flag) in [(&readable, None), (&compact, Some("--compact"))] {
        let out = bin()
            .env("SALES_TIERS_NOW", "2026-12-01T09:00:00Z")
            .args(["demo", "--people", "40"])
            .args(flag)
            .arg("-o")
            .arg(path)
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let (readable, compact) = (std::fs::read_to_string(&readable).unwrap(), std::fs::read_to_string(&compact).unwrap());
    assert!(readable.contains("\n  \"type\"") && !compact.contains('\n') && compact.len() < readable.len());
    assert_eq!(sales_tiers_core::io::read(&readable).unwrap().0, sales_tiers_core::io::read(&compact).unwrap().0);
}

#[test]
fn bad_files_fail_with_the_app_messages() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("broken.json", "{\n\"type\": }", "line 2, column 9"),
        ("foreign.json", r#"{"type":"other"}"#, "not a Sales Tiers file"),
        ("newer.json", r#"{"type":"sales-tiers","version":999,"data":{}}"#, "newer version"),
    ];
    for (name, body, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, body).unwrap();
        let out = bin().args(["--lang", "en", "validate"]).arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{name}: {err}");
    }
    let out = bin().args(["validate", "/nonexistent/file.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn report_prints_units_and_people_with_exact_money() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.json");
    assert!(bin().args(["demo", "--people", "40", "-o"]).arg(&file).output().unwrap().status.success());
    let out = bin().args(["--lang", "en", "report"]).arg(&file).args(["--period", "2026-Q3"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["format"], "sales-tiers-report/1");
    assert_eq!(r["period"], "Q3");
    assert_eq!(r["as_of"], "2026-11-27", "the report measures on the injected day");
    let cents = |v: &serde_json::Value| -> i64 {
        let s = v.as_str().unwrap();
        let (u, c) = s.split_once('.').unwrap();
        assert_eq!(c.len(), 2, "two decimals: {s}");
        let v = u.trim_start_matches('-').parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap();
        if s.starts_with('-') {
            -v
        } else {
            v
        }
    };
    let people = r["people"].as_array().unwrap();
    assert_eq!(people.len(), 40);
    let sum: i64 = people.iter().map(|p| cents(&p["payout"]["total"])).sum();
    assert_eq!(sum, cents(&r["total_payout"]));
    assert!(sum > 0);
    // Each person's lines add up to their total.
    for p in people {
        let lines: i64 = p["payout"]["lines"].as_array().unwrap().iter().map(|l| cents(&l["amount"])).sum();
        assert_eq!(lines, cents(&p["payout"]["total"]), "{}", p["name"]);
    }
    let root = &r["units"].as_array().unwrap()[0];
    assert!(root["parent"].is_null());
    assert_eq!(cents(&root["payout_total"]), sum);
    // One unit's subtree only.
    let region = r["units"].as_array().unwrap()[1]["id"].as_str().unwrap().to_string();
    let out = bin().args(["report"]).arg(&file).args(["--period", "2026-Q3", "--unit", &region]).output().unwrap();
    let sub: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(sub["people"].as_array().unwrap().len() < 40);
    // CSV: BOM, header, a row per unit and person.
    let out = bin().args(["--lang", "en", "report"]).arg(&file).args(["--period", "2026", "--format", "csv"]).output().unwrap();
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBFkind,id,name"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().filter(|l| l.starts_with("person,")).count(), 40);
    // A bad period or unit: exit 2 and a reason.
    let out = bin().args(["--lang", "en", "report"]).arg(&file).args(["--period", "2026-Q5"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2026-Q3"));
    let out = bin().args(["--lang", "en", "report"]).arg(&file).args(["--period", "2026", "--unit", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn id_prints_the_ids_core_derives() {
    use sales_tiers_core::calendar::Period;
    use sales_tiers_core::model::*;
    let (a, b) = ("6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f", "0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e");
    let (ia, ib) = (Id::parse(a).unwrap(), Id::parse(b).unwrap());
    let q3 = Period::Quarter(3);
    let custom = format!("custom:{b}");
    let cases: Vec<(Vec<&str>, Id)> = vec![
        (vec!["target", "--owner", a, "--kind", "revenue", "--year", "2026"], TargetLine::id_for(ia, TargetKind::Revenue, 2026)),
        (vec!["target", "--owner", a, "--kind", "new-customers", "--year", "2027"], TargetLine::id_for(ia, TargetKind::NewCustomers, 2027)),
        (
            vec!["budget", "--unit", a, "--category", "travel", "--year", "2026"],
            BudgetLine::id_for(ia, 2026, default_category_id("travel")),
        ),
        (vec!["budget", "--unit", a, "--category", b, "--year", "2026"], BudgetLine::id_for(ia, 2026, ib)),
        (vec!["headcount", "--unit", a, "--year", "2026"], HeadcountPlan::id_for(ia, 2026)),
        (vec!["time-split", "--owner", a], TimeSplit::id_for(ia)),
        (vec!["scorecard", "--tier", a], ScorecardTemplate::id_for(ia)),
        (vec!["kpi-entry", "--person", a, "--kpi", "strategic", "--period", "2026-Q3"], KpiEntry::id_for(ia, KpiKind::Strategic, 2026, q3)),
        (
            vec!["kpi-entry", "--person", a, "--kpi", &custom, "--period", "2026-M08"],
            KpiEntry::id_for(ia, KpiKind::Custom(ib), 2026, Period::Month(8)),
        ),
        (
            vec!["override", "--owner", a, "--category", "best_case", "--period", "2026"],
            ForecastOverride::id_for(ia, 2026, Period::Year, ForecastCategory::BestCase),
        ),
        (vec!["pool", "--unit", a, "--period", "2026-Q3"], BonusPool::id_for(ia, 2026, q3)),
        (vec!["category", "personnel"], default_category_id("personnel")),
        (vec!["stage", "won"], default_stage_id("won")),
    ];
    for (args, expected) in cases {
        let out = bin().arg("id").args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{expected}\n"), "{args:?}");
    }
    // The defaults every new workspace gets are the ones `id` names.
    let ws = Workspace::empty(ia, "x", sales_tiers_core::Lang::En, chrono::DateTime::UNIX_EPOCH);
    assert!(ws.categories.contains_key(&default_category_id("tools")));
    assert!(ws.stages.contains_key(&default_stage_id("lead")));

    // Bad arguments say what is wrong, in either language, with exit 2.
    for (lang, args, expected) in [
        ("en", vec!["target", "--owner", "x", "--kind", "revenue", "--year", "2026"], "“x” is not an id"),
        ("zh-CN", vec!["target", "--owner", a, "--kind", "sales", "--year", "2026"], "未知的目标类型“sales”"),
        ("en", vec!["pool", "--unit", a, "--period", "2026-Q5"], "period “2026-Q5” is invalid"),
        ("en", vec!["kpi-entry", "--person", a, "--kpi", "revenue", "--period", "2026"], "not a KPI entered by hand"),
        ("zh-CN", vec!["stage", "closed"], "未知的销售阶段“closed”"),
        ("en", vec!["headcount", "--unit", a, "--year", "26"], "year “26” is invalid"),
    ] {
        let out = bin().args(["--lang", lang, "id"]).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[test]
fn validate_says_what_it_defaulted_and_moved() {
    let minimal = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/fixtures/minimal-workspace.json");
    let out = bin().args(["--lang", "en", "validate", minimal]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("valid: Acme Sales (1 people, 1 units, 1 tiers"), "{stdout}");
    assert!(stdout.contains("15 fields the file left out took their defaults"), "{stdout}");
    let out = bin().args(["--lang", "zh-CN", "validate", minimal]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("文件省略的 15 个字段已取默认值"));

    // A target line under a made-up id is moved to its derived id, and said so.
    let mut file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(minimal).unwrap()).unwrap();
    let unit = "b2f1d7a3-4c6e-4f9b-8a2d-8e3c5b7f9d21";
    let made_up = "00000000-0000-4000-8000-000000000001";
    file["data"]["plan"] = serde_json::json!({ "targets": { made_up: {
        "owner": unit, "kind": "revenue", "year": 2026, "months": [100000000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    } } });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("script.json");
    std::fs::write(&path, file.to_string()).unwrap();
    let out = bin().args(["--lang", "en", "validate"]).arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let derived = String::from_utf8_lossy(
        &bin().args(["id", "target", "--owner", unit, "--kind", "revenue", "--year", "2026"]).output().unwrap().stdout,
    )
    .trim()
    .to_string();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("target of “Company revenue FY2026”: id {made_up} became its derived id {derived}")), "{stdout}");
}

#[test]
fn the_committed_schema_is_the_one_the_code_generates() {
    let out = bin().arg("schema").output().unwrap();
    assert!(out.status.success());
    let generated = String::from_utf8(out.stdout).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/workspace.schema.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/workspace.schema.json differs from what the code generates; regenerate it with\n    \
         cargo run -q -p sales-tiers-cli -- schema > docs/workspace.schema.json"
    );
    // It is a schema of the file: the envelope's fields and the workspace.
    let schema: serde_json::Value = serde_json::from_str(&generated).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["properties"]["type"]["const"], "sales-tiers");
    assert_eq!(schema["properties"]["version"]["const"], sales_tiers_core::model::SCHEMA_VERSION);
    assert_eq!(schema["required"], serde_json::json!(["type", "version", "data"]));
    let file: serde_json::Value = serde_json::from_str(&sales_tiers_core::io::write(
        &sales_tiers_core::Workspace::empty(
            sales_tiers_core::Id::from_random_bytes([7; 16]),
            "x",
            sales_tiers_core::Lang::En,
            chrono::DateTime::UNIX_EPOCH,
        ),
        chrono::DateTime::UNIX_EPOCH,
        true,
    ))
    .unwrap();
    let described: Vec<&String> = schema["properties"].as_object().unwrap().keys().filter(|k| *k != "signature").collect();
    let written: Vec<&String> = file.as_object().unwrap().keys().collect();
    assert!(schema["properties"]["signature"].is_object(), "a signed file's signature is described");
    assert_eq!(described, written, "the schema's envelope has the fields the app writes");
    // Units are said where a script writer needs them.
    let defs = &schema["$defs"];
    let says = |def: &str, field: &str, words: &str| {
        let d = defs[def]["properties"][field]["description"].as_str().unwrap_or_default();
        assert!(d.contains(words), "{def}.{field}: {d}");
    };
    says("RateTier", "rate_bp", "500 = 5 %");
    says("TargetLine", "months", "fiscal_year_start_month");
    says("TargetLine", "months", "minor units");
    says("TargetLine", "id", "sales-tiers id target");
    says("TargetLine", "rev", "defaults to 1");
    says("Person", "updated_at", "exported_at");
    says("Opportunity", "probability", "percent");
    says("BonusPool", "amount", "minor units");
    assert!(defs["Money"]["description"].as_str().unwrap().contains("minor units"));
    assert!(!defs["TargetLine"]["required"].as_array().unwrap().contains(&serde_json::json!("rev")));
}

/// `branch` then `merge`: a branch edited by hand comes back with its
/// change applied, a change outside it refused and listed, and the same
/// file again brings nothing new.
#[test]
fn branch_then_merge_prints_the_review_and_refuses_what_is_outside() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.json");
    assert!(bin().args(["--lang", "en", "demo", "--people", "40", "-o"]).arg(&demo).output().unwrap().status.success());
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&demo).unwrap()).unwrap();
    let units = doc["data"]["units"].as_object().unwrap();
    let root = units.values().find(|u| u["parent"].is_null()).unwrap();
    let mut regions: Vec<&str> = units.values().filter(|u| u["parent"] == root["id"]).map(|u| u["id"].as_str().unwrap()).collect();
    regions.arrange();
    let (east, west) = (regions[0], regions[1]);
    let branch = dir.path().join("east.json");
    let out = bin()
        .args(["--lang", "en", "branch"])
        .arg(&demo)
        .args(["--unit", east, "--from", root["manager"].as_str().unwrap(), "-o"])
        .arg(&branch)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&branch).unwrap();
    assert!(!text.contains(west), "another region's id is not in the branch file");
    // Edited by hand: a deal's amount (with a new revision), and West's target added.
    let mut file: serde_json::Value = serde_json::from_str(&text).unwrap();
    file.as_object_mut().unwrap().remove("checksum");
    let deal_id = file["data"]["opportunities"].as_object().unwrap().keys().min().unwrap().clone();
    let deal = &mut file["data"]["opportunities"][&deal_id];
    deal["amount"] = serde_json::json!(12_345_678);
    deal["rev"] = serde_json::json!(deal["rev"].as_u64().unwrap() + 1);
    let west_line = doc["data"]["plan"]["targets"].as_object().unwrap().values().find(|l| l["owner"] == west).unwrap().clone();
    let mut crafted = file.clone();
    let mut wline = west_line.clone();
    wline["months"] = serde_json::json!(vec![1; 12]);
    wline["rev"] = serde_json::json!(99);
    crafted["data"]["plan"]["targets"][west_line["id"].as_str().unwrap()] = wline;
    // For the file to read, West must be in it: hung under East, no manager.
    let mut wunit = units[west].clone();
    wunit["parent"] = serde_json::json!(east);
    wunit["manager"] = serde_json::Value::Null;
    crafted["data"]["units"][west] = wunit;
    let incoming = dir.path().join("back.json");
    std::fs::write(&incoming, serde_json::to_string(&crafted).unwrap()).unwrap();
    let merged = dir.path().join("merged.json");
    let out = bin().args(["--lang", "en", "merge"]).arg(&demo).arg(&incoming).arg("-o").arg(&merged).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("deals: ~1"), "{stdout}");
    assert!(stdout.contains("2 refused") && stdout.contains("outside the sender's branch"), "{stdout}");
    let after: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&merged).unwrap()).unwrap();
    assert_eq!(after["data"]["opportunities"][&deal_id]["amount"], 12_345_678);
    assert_eq!(after["data"]["plan"]["targets"][west_line["id"].as_str().unwrap()], west_line, "the refused line is untouched");
    // The same file into the merged workspace: nothing new (in Chinese too).
    let again = dir.path().join("again.json");
    let out = bin().args(["--lang", "zh-CN", "merge"]).arg(&merged).arg(&incoming).arg("-o").arg(&again).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("没有新内容"));
    // A bad unit is a bad argument; another workspace's file is refused.
    let out = bin().args(["branch"]).arg(&demo).args(["--unit", "nope", "-o"]).arg(dir.path().join("x.json")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let other = dir.path().join("other.json");
    assert!(bin().args(["demo", "--people", "10", "--seed", "3", "-o"]).arg(&other).output().unwrap().status.success());
    let out = bin().args(["--lang", "en", "merge"]).arg(&demo).arg(&other).arg("-o").arg(dir.path().join("y.json")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another workspace"));
}
