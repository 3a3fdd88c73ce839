//! Writing a workspace file by script: derived ids, defaults, the README's
//! minimal file.
mod common;
use chrono::{DateTime, Utc};
use common::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::demo::{generate, DemoOptions};
use sales_tiers_core::engine::validate::{validate, Problem};
use sales_tiers_core::io::defaults::{self, Fill, Step};
use sales_tiers_core::io::{self, ImportError};
use sales_tiers_core::model::*;
use sales_tiers_core::Lang;
use serde_json::{json, Value};

/// The README's minimal file.
const MINIMAL: &str = include_str!("fixtures/minimal-workspace.json");

/// A small demo with at least one record in every section: the derived
/// ones the demo leaves empty, a scenario and a tombstone.
fn full() -> Workspace {
    let mut ws = generate(&DemoOptions { people: 12, ..DemoOptions::new(t0()) });
    // A few deals and their customers are enough (the test reads it 100 times).
    let deals: Vec<Id> = ws.opportunities.keys().skip(5).copied().collect();
    for d in deals {
        ws.opportunities.remove(&d);
    }
    let dealt: Vec<Id> = ws.opportunities.values().map(|o| o.customer).collect();
    ws.customers.retain(|c, _| dealt.contains(c));
    let kept: Vec<Id> = ws.opportunities.keys().copied().collect();
    ws.activities.retain(|_, a| a.opportunity.is_some_and(|d| kept.contains(&d)));
    let a = ws.activities.values().next().expect("an activity in the sample").clone();
    ws.tasks.retain(|_, t| t.opportunity.is_some_and(|d| kept.contains(&d)));
    if ws.tasks.is_empty() {
        let t = Task {
            id: Id::from_random_bytes([7; 16]),
            rev: 1,
            updated_at: t0(),
            title: "Follow up".into(),
            assignee: a.by,
            due: a.on,
            priority: Priority::High,
            customer: Some(a.customer),
            opportunity: a.opportunity,
            activity: Some(a.id),
            created: a.on,
            by: None,
            done: None,
            notes: String::new(),
        };
        ws.tasks.insert(t.id, t);
    }
    let tier = *ws.tiers.keys().next().unwrap();
    let person = *ws.people.keys().next().unwrap();
    let split = TimeSplit { id: TimeSplit::id_for(tier), rev: 1, updated_at: t0(), owner: tier, split: Split::default_for(0) };
    ws.time_splits.insert(split.id, split);
    let (kpi, period) = (KpiKind::Strategic, Period::Quarter(2));
    let entry = KpiEntry {
        id: KpiEntry::id_for(person, kpi, 2026, period),
        rev: 1,
        updated_at: t0(),
        person,
        kpi,
        year: 2026,
        period,
        actual: 5_000,
        target: 10_000,
        by: None,
        note: String::new(),
    };
    ws.kpi_entries.insert(entry.id, entry);
    let category = ForecastCategory::Commit;
    let call = ForecastOverride {
        id: ForecastOverride::id_for(person, 2026, period, category),
        rev: 1,
        updated_at: t0(),
        owner: person,
        year: 2026,
        period,
        category,
        amount: Money(100),
        note: String::new(),
        by: None,
    };
    ws.overrides.insert(call.id, call);
    let scenario =
        Scenario { id: id(4343), rev: 2, updated_at: t0(), name: Text::both("Stretch"), created_at: t0(), plan: ws.plan.clone() };
    ws.scenarios.insert(scenario.id, scenario);
    ws.kpis.insert(id(4444), CustomKpi { id: id(4444), rev: 1, updated_at: t0(), name: Text::both("Calls") });
    ws.tombstones.insert(id(4242), Tombstone { id: id(4242), kind: Kind::Customer, rev: 3, deleted_at: t0() });
    assert!(validate(&ws).is_empty(), "{:?}", validate(&ws));
    ws
}

/// For each derived section, the workspace with one record moved under `wrong`.
fn misplaced(ws: &Workspace, wrong: Id) -> Vec<(Kind, Workspace)> {
    let mut cases = Vec::new();
    macro_rules! case {
        ($kind:expr, $($section:ident).+) => {{
            let mut w = ws.clone();
            let (&k, r) = w.$($section).+.iter().next().expect(stringify!($($section).+));
            let mut r = r.clone();
            w.$($section).+.remove(&k);
            r.id = wrong;
            w.$($section).+.insert(wrong, r);
            cases.push(($kind, w));
        }};
    }
    case!(Kind::Target, plan.targets);
    case!(Kind::Budget, plan.budgets);
    case!(Kind::Headcount, plan.headcount);
    case!(Kind::TimeSplit, time_splits);
    case!(Kind::Scorecard, scorecards);
    case!(Kind::Pool, pools);
    case!(Kind::KpiEntry, kpi_entries);
    case!(Kind::Override, overrides);
    let mut w = ws.clone();
    let sc = w.scenarios.values_mut().next().unwrap();
    let (&k, line) = sc.plan.targets.iter().next().unwrap();
    let line = TargetLine { id: wrong, ..line.clone() };
    sc.plan.targets.remove(&k);
    sc.plan.targets.insert(wrong, line);
    cases.push((Kind::Target, w));
    cases
}

/// A target line owned by a unit, moved under `wrong` (key and id).
fn target_under(ws: &mut Workspace, wrong: Id) -> (Id, TargetLine) {
    let (&key, line) = ws.plan.targets.iter().find(|(_, t)| ws.units.contains_key(&t.owner)).unwrap();
    let mut line = line.clone();
    ws.plan.targets.remove(&key);
    line.id = wrong;
    ws.plan.targets.insert(wrong, line.clone());
    (key, line)
}

#[test]
fn a_wrong_derived_id_names_the_record_and_the_id_expected() {
    let mut ws = demo();
    let wrong = id(777);
    let (expected, line) = target_under(&mut ws, wrong);
    let problems = validate(&ws);
    let p = problems.iter().find(|p| matches!(p, Problem::WrongDerivedId { .. })).expect("reported");
    assert!(
        matches!(p, Problem::WrongDerivedId { kind: Kind::Target, expected: e, id: i, taken: false, .. } if *e == expected && *i == wrong)
    );
    let unit = &ws.units[&line.owner].name;
    let en = p.message(Lang::En);
    let what = format!("{} {} FY{}", unit.en, line.kind.label(Lang::En), line.year);
    assert_eq!(en, format!("target of “{what}”: id should be {expected}, is {wrong}"));
    let zh = p.message(Lang::Zh);
    assert!(zh.contains(&format!("id 应为 {expected}，实为 {wrong}")) && zh.contains(&unit.zh), "{zh}");

    // The right key with a wrong id field is caught too.
    let mut ws = demo();
    let key = *ws.plan.targets.keys().next().unwrap();
    ws.plan.targets.get_mut(&key).unwrap().id = wrong;
    let problems = validate(&ws);
    assert!(problems.iter().any(|p| matches!(p, Problem::WrongDerivedId { id, expected, .. } if *id == wrong && *expected == key)));
}

#[test]
fn every_derived_section_is_checked() {
    let wrong = id(778);
    for (kind, w) in misplaced(&full(), wrong) {
        let found: Vec<_> = validate(&w).into_iter().filter(|p| matches!(p, Problem::WrongDerivedId { .. })).collect();
        assert_eq!(found.len(), 1, "{kind:?}: {found:?}");
        assert!(matches!(found[0], Problem::WrongDerivedId { kind: k, id, .. } if k == kind && id == wrong));
    }
}

#[test]
fn a_wrong_derived_id_is_moved_on_import_when_nothing_else_holds_it() {
    let wrong = id(779);
    let mut ws = demo();
    let (expected, line) = target_under(&mut ws, wrong);
    let (back, info) = io::read(&io::write(&ws, t0(), true)).unwrap();
    assert_eq!(back.plan.targets.get(&expected), Some(&TargetLine { id: expected, ..line }));
    assert!(!back.plan.targets.contains_key(&wrong));
    assert_eq!(info.rekeyed.len(), 1);
    let moved = &info.rekeyed[0];
    assert_eq!((moved.kind, moved.from, moved.to), (Kind::Target, wrong, expected));
    assert!(moved.message(Lang::En).contains(&format!("id {wrong} became its derived id {expected}")), "{}", moved.message(Lang::En));
    assert!(moved.message(Lang::Zh).contains(&format!("id {wrong} 已改为由内容导出的 {expected}")));

    // Every derived section, the scenarios' plans included.
    for (kind, w) in misplaced(&full(), wrong) {
        let (back, info) = io::read(&io::write(&w, t0(), false)).unwrap_or_else(|e| panic!("{kind:?}: {}", e.message(Lang::En)));
        assert_eq!(info.rekeyed.iter().map(|r| (r.kind, r.from)).collect::<Vec<_>>(), [(kind, wrong)]);
        assert!(validate(&back).is_empty());
    }
}

#[test]
fn a_wrong_derived_id_that_cannot_move_is_refused_with_the_id_expected() {
    // Two lines about the same thing: moving one would overwrite the other.
    let mut ws = demo();
    let wrong = id(780);
    let line = ws.plan.targets.values().next().unwrap().clone();
    ws.plan.targets.insert(wrong, TargetLine { id: wrong, ..line.clone() });
    let e = io::read(&io::write(&ws, t0(), true)).unwrap_err();
    let ImportError::Invalid(problems, _) = &e else { panic!("{e:?}") };
    assert!(problems
        .iter()
        .any(|p| matches!(p, Problem::WrongDerivedId { taken: true, id, expected, .. } if *id == wrong && *expected == line.id)));
    let en = e.message(Lang::En);
    assert!(en.contains(&format!("id should be {}, is {wrong} (another target already has {}", line.id, line.id)), "{en}");
    let zh = e.message(Lang::Zh);
    assert!(zh.contains(&format!("id 应为 {}，实为 {wrong}", line.id)) && zh.contains("同一件事"), "{zh}");

    // The derived id belongs to a deleted record: not moved either.
    let mut ws = demo();
    let (expected, _) = target_under(&mut ws, wrong);
    ws.tombstones.insert(expected, Tombstone { id: expected, kind: Kind::Target, rev: 2, deleted_at: t0() });
    let e = io::read(&io::write(&ws, t0(), true)).unwrap_err();
    assert!(e.message(Lang::En).contains(&format!("id should be {expected}, is {wrong}")), "{}", e.message(Lang::En));
}

#[test]
fn the_readme_minimal_file_validates() {
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains(&format!("```json\n{}\n```", MINIMAL.trim_end())),
        "README.md's minimal file is not core/tests/fixtures/minimal-workspace.json"
    );
    let (ws, info) = io::read(MINIMAL).unwrap_or_else(|e| panic!("{}", e.message(Lang::En)));
    assert_eq!((ws.tiers.len(), ws.units.len(), ws.people.len()), (1, 1, 1));
    assert!(!info.had_checksum && info.rekeyed.is_empty());
    let stamp: DateTime<Utc> = "2026-01-05T09:00:00Z".parse().unwrap();
    assert_eq!(ws.meta.created_at, stamp);
    assert_eq!((ws.settings.rev, ws.settings.updated_at), (1, stamp));
    assert!(ws.people.values().all(|p| p.rev == 1 && p.updated_at == stamp));
    assert_eq!(ws.plan, Plan::new(stamp));
    assert_eq!(ws.performance, PerfSettings::default_at(stamp));
    assert!(ws.categories.is_empty() && ws.stages.is_empty() && ws.scorecards.is_empty());
    // 1 + 1 + 1 (schema_version, plan, performance), meta.created_at,
    // settings' rev and updated_at, id, rev and updated_at of 3 records.
    assert_eq!(info.defaulted, 15);

    // What the app writes from it reads back to the same workspace, byte for byte.
    for pretty in [true, false] {
        let text = io::write(&ws, stamp, pretty);
        let (again, info) = io::read(&text).unwrap();
        assert_eq!((&again, info.defaulted), (&ws, 0));
        assert_eq!(io::write(&again, stamp, pretty), text);
    }
}

/// JSON pointers (below `data`) of the objects a rule reaches, with the key
/// of the record each sits in.
fn reached(v: &Value, at: &[Step], here: String, key: Option<String>, out: &mut Vec<(String, Option<String>)>) {
    let Some(obj) = v.as_object() else { return };
    match at.split_first() {
        None => out.push((here, key)),
        Some((Step::Field(f), rest)) => {
            if let Some(child) = obj.get(*f) {
                reached(child, rest, format!("{here}/{f}"), key, out);
            }
        }
        Some((Step::Each, rest)) => {
            for (k, child) in obj {
                reached(child, rest, format!("{here}/{k}"), Some(k.clone()), out);
            }
        }
    }
}

#[test]
fn a_file_missing_each_defaultable_field_still_imports() {
    let ws = full();
    let mut file: Value = serde_json::from_str(&io::write(&ws, t0(), true)).unwrap();
    file.as_object_mut().unwrap().remove("checksum");
    for rule in defaults::rules() {
        let mut places = Vec::new();
        reached(&file["data"], &rule.at, String::new(), None, &mut places);
        assert!(!places.is_empty(), "{rule:?} reaches nothing in the test file");
        for null in [false, true] {
            // Left out, or written as null.
            let mut f = file.clone();
            for (p, _) in &places {
                let obj = f["data"].pointer_mut(p).unwrap().as_object_mut().unwrap();
                if null {
                    obj.insert(rule.field.into(), Value::Null);
                } else {
                    obj.remove(rule.field);
                }
            }
            let (back, info) = io::read(&f.to_string()).unwrap_or_else(|e| panic!("{rule:?}: {}", e.message(Lang::En)));
            assert_eq!(info.defaulted, places.len(), "{rule:?}");
            let out = serde_json::to_value(&back).unwrap();
            for (p, key) in &places {
                let expected = match rule.fill {
                    Fill::Key => json!(key.as_deref().unwrap()),
                    Fill::One => json!(1),
                    Fill::Stamp => json!(t0()),
                    Fill::Version => json!(SCHEMA_VERSION),
                    Fill::NewPlan => serde_json::to_value(Plan::new(t0())).unwrap(),
                    Fill::NewAssumptions => serde_json::to_value(Assumptions::default_at(t0())).unwrap(),
                    Fill::NewPerformance => serde_json::to_value(PerfSettings::default_at(t0())).unwrap(),
                };
                assert_eq!(out.pointer(&format!("{p}/{}", rule.field)), Some(&expected), "{rule:?} at {p}");
            }
        }
    }
}

#[test]
fn a_missing_time_with_no_exported_at_is_refused() {
    let mut file: Value = serde_json::from_str(MINIMAL).unwrap();
    file.as_object_mut().unwrap().remove("exported_at");
    let e = io::read(&file.to_string()).unwrap_err();
    assert!(matches!(&e, ImportError::MissingTime { path } if path.starts_with("data.")), "{e:?}");
    assert!(e.message(Lang::En).contains("exported_at"));
    assert!(e.message(Lang::Zh).contains("exported_at"));
    // Not a time either.
    file["exported_at"] = json!("yesterday");
    assert!(matches!(io::read(&file.to_string()).unwrap_err(), ImportError::MissingTime { .. }));
}

#[test]
fn what_is_not_defaulted_is_still_refused() {
    // Fields with meaning stay required: a tier's order, a person's tier,
    // the settings' currency and fiscal start month, the workspace's id.
    for (pointer, field) in [
        ("/data/tiers/a1e0c6f2-3b5d-4e8a-9f1c-7d2b4a6e8c10", "order"),
        ("/data/people/c3a2e8b4-5d7f-4a1c-9b3e-9f4d6c8a0e32", "tier"),
        ("/data/settings", "currency"),
        ("/data/settings", "fiscal_year_start_month"),
        ("/data/settings", "language"),
        ("/data/meta", "id"),
        ("/data", "settings"),
    ] {
        let mut file: Value = serde_json::from_str(MINIMAL).unwrap();
        file.pointer_mut(pointer).unwrap().as_object_mut().unwrap().remove(field);
        let e = io::read(&file.to_string()).unwrap_err();
        let ImportError::Schema { path, detail } = &e else { panic!("{field}: {e:?}") };
        assert!(detail.contains(field), "{path}: {detail}");
        assert!(e.message(Lang::En).contains(&format!("the field {field} is missing")), "{}", e.message(Lang::En));
        assert!(e.message(Lang::Zh).contains(&format!("缺少字段 {field}")), "{}", e.message(Lang::Zh));
    }
    // A broken file that leaves nothing out keeps its first error (with no
    // slower second pass changing it).
    let mut file: Value = serde_json::from_str(&io::write(&demo(), t0(), true)).unwrap();
    let first = file["data"]["people"].as_object().unwrap().keys().next().unwrap().clone();
    file["data"]["people"][&first]["hire_date"] = json!("31/02/2020");
    file.as_object_mut().unwrap().remove("checksum");
    let e = io::read(&file.to_string()).unwrap_err();
    assert!(matches!(&e, ImportError::Schema { path, .. } if *path == format!("data.people.{first}.hire_date")), "{e:?}");
}

#[test]
fn kpi_keys_read_back() {
    for k in KpiKind::BUILT_IN.into_iter().chain([KpiKind::Custom(id(5))]) {
        assert_eq!(KpiKind::from_key(&k.key()), Some(k));
    }
    assert_eq!(KpiKind::from_key("custom:nope"), None);
    assert_eq!(KpiKind::from_key("sales"), None);
}
