//! Writing a workspace file by script: derived ids, defaults, the README's
//! minimal file.
mod common;
use common::*;
use sales_tiers_core::engine::validate::{validate, Problem};
use sales_tiers_core::model::*;
use sales_tiers_core::Lang;

/// A target line of the demo, moved under `wrong` (key and id).
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

    // Two lines about the same thing: the message says so.
    let mut ws = demo();
    let line = ws.plan.targets.values().next().unwrap().clone();
    ws.plan.targets.insert(wrong, TargetLine { id: wrong, ..line });
    let p = validate(&ws).into_iter().find(|p| matches!(p, Problem::WrongDerivedId { .. })).unwrap();
    assert!(matches!(p, Problem::WrongDerivedId { taken: true, .. }));
    assert!(p.message(Lang::En).contains("both are about the same thing"), "{}", p.message(Lang::En));
    assert!(p.message(Lang::Zh).contains("同一件事"));
}

#[test]
fn every_derived_section_is_checked() {
    let mut ws = demo();
    // Sections the demo leaves empty get one right record first.
    let tier = *ws.tiers.keys().next().unwrap();
    let person = *ws.people.keys().next().unwrap();
    let split = TimeSplit { id: TimeSplit::id_for(tier), rev: 1, updated_at: t0(), owner: tier, split: Split::default_for(0) };
    ws.time_splits.insert(split.id, split);
    let (kpi, period) = (KpiKind::Activities, sales_tiers_core::calendar::Period::Quarter(2));
    let entry = KpiEntry {
        id: KpiEntry::id_for(person, kpi, 2026, period),
        rev: 1,
        updated_at: t0(),
        person,
        kpi,
        year: 2026,
        period,
        actual: 5,
        target: 10,
        by: None,
        note: String::new(),
    };
    ws.kpi_entries.insert(entry.id, entry);
    let (category, amount) = (ForecastCategory::Commit, Money(100));
    let call = ForecastOverride {
        id: ForecastOverride::id_for(person, 2026, period, category),
        rev: 1,
        updated_at: t0(),
        owner: person,
        year: 2026,
        period,
        category,
        amount,
        note: String::new(),
        by: None,
    };
    ws.overrides.insert(call.id, call);
    assert!(validate(&ws).is_empty());
    let wrong = id(778);
    let mut cases: Vec<(Kind, Workspace)> = Vec::new();
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
    for (kind, w) in cases {
        let found: Vec<_> = validate(&w).into_iter().filter(|p| matches!(p, Problem::WrongDerivedId { .. })).collect();
        assert_eq!(found.len(), 1, "{kind:?}: {found:?}");
        assert!(matches!(found[0], Problem::WrongDerivedId { kind: k, id, .. } if k == kind && id == wrong));
    }
}

#[test]
fn kpi_keys_read_back() {
    for k in KpiKind::BUILT_IN.into_iter().chain([KpiKind::Custom(id(5))]) {
        assert_eq!(KpiKind::from_key(&k.key()), Some(k));
    }
    assert_eq!(KpiKind::from_key("custom:nope"), None);
    assert_eq!(KpiKind::from_key("sales"), None);
}
