//! Numbered migrations of the `data` part of a file, one per schema version.
//!
//! `MIGRATIONS[i]` turns a version `i + 1` document into version `i + 2`.
//! Each schema change appends exactly one function here and bumps
//! `model::SCHEMA_VERSION`; a test imports a real file of every old version
//! (core/tests/fixtures).

use crate::sort::Arrange;
use serde_json::Value;

pub type Migration = fn(Value) -> Result<Value, String>;

pub const MIGRATIONS: &[Migration] = &[v1_to_v2, v2_to_v3, v3_to_v4, v4_to_v5, v5_to_v6, v6_to_v7, v7_to_v8];

/// v2 (pillar 1): skills and grades sections; people gain skill ratings, a
/// recorded grade and a history. Old documents get them empty.
fn v1_to_v2(mut data: Value) -> Result<Value, String> {
    let obj = data.as_object_mut().ok_or("data is not an object")?;
    obj.entry("skills").or_insert_with(|| Value::Object(Default::default()));
    obj.entry("grades").or_insert_with(|| Value::Object(Default::default()));
    if let Some(people) = obj.get_mut("people").and_then(Value::as_object_mut) {
        for (id, p) in people.iter_mut() {
            let p = p.as_object_mut().ok_or_else(|| format!("person {id} is not an object"))?;
            p.entry("skills").or_insert_with(|| Value::Object(Default::default()));
            p.entry("grade").or_insert(Value::Null);
            p.entry("history").or_insert_with(|| Value::Array(Vec::new()));
        }
    }
    Ok(data)
}

/// Oldest version this build can read.
pub const OLDEST_VERSION: u32 = 1;

/// Runs the migrations that take `data` from version `from` to `to`.
/// Generic over the list so the mechanism is tested with its own list.
pub fn migrate_with(mut data: Value, from: u32, to: u32, migrations: &[Migration]) -> Result<Value, (u32, String)> {
    let mut v = from;
    while v < to {
        let idx = (v - OLDEST_VERSION) as usize;
        let step = migrations.get(idx).ok_or((v, "no migration registered".to_string()))?;
        data = step(data).map_err(|e| (v, e))?;
        if let Some(obj) = data.as_object_mut() {
            obj.insert("schema_version".into(), Value::from(v + 1));
        }
        v += 1;
    }
    Ok(data)
}

/// v3 (pillar 2): the plan (targets, budgets, headcount, assumptions),
/// scenarios, budget categories (the defaults), tools, time splits, and
/// locked months in the settings.
fn v2_to_v3(mut data: Value) -> Result<Value, String> {
    let obj = data.as_object_mut().ok_or("data is not an object")?;
    let stamp = settings_stamp(obj)?;
    let plan = serde_json::to_value(crate::model::Plan::new(stamp)).map_err(|e| e.to_string())?;
    obj.entry("plan").or_insert(plan);
    let cats = serde_json::to_value(crate::model::default_categories(stamp)).map_err(|e| e.to_string())?;
    obj.entry("categories").or_insert(cats);
    for key in ["scenarios", "tools", "time_splits"] {
        obj.entry(key).or_insert_with(|| Value::Object(Default::default()));
    }
    if let Some(s) = obj.get_mut("settings").and_then(Value::as_object_mut) {
        s.entry("locked_months").or_insert_with(|| Value::Array(Vec::new()));
    }
    Ok(data)
}

/// v4 (pillar 4): customers, opportunities, forecast overrides and the
/// default pipeline stages.
fn v3_to_v4(mut data: Value) -> Result<Value, String> {
    let obj = data.as_object_mut().ok_or("data is not an object")?;
    let stamp = settings_stamp(obj)?;
    let stages = serde_json::to_value(crate::model::default_stages(stamp)).map_err(|e| e.to_string())?;
    obj.entry("stages").or_insert(stages);
    for key in ["customers", "opportunities", "overrides"] {
        obj.entry(key).or_insert_with(|| Value::Object(Default::default()));
    }
    Ok(data)
}

/// v5 (pillar 3): the seed's scorecard for every tier (by its place from
/// the top), rating bands, and empty KPI, plan, pool and SPIF sections.
/// Opportunities gain an optional margin (absent is fine).
fn v4_to_v5(mut data: Value) -> Result<Value, String> {
    let obj = data.as_object_mut().ok_or("data is not an object")?;
    let stamp = settings_stamp(obj)?;
    let mut tiers: Vec<(u32, crate::model::Id)> = Vec::new();
    if let Some(t) = obj.get("tiers").and_then(Value::as_object) {
        for (key, v) in t {
            let id = crate::model::Id::parse(key).ok_or_else(|| format!("tier id {key} is not an id"))?;
            tiers.push((v.get("order").and_then(Value::as_u64).unwrap_or(0) as u32, id));
        }
    }
    tiers.arrange();
    let ranked: Vec<(crate::model::Id, u32)> = tiers.iter().enumerate().map(|(i, (_, id))| (*id, i as u32)).collect();
    let cards = serde_json::to_value(crate::model::default_scorecards(&ranked, stamp)).map_err(|e| e.to_string())?;
    obj.entry("scorecards").or_insert(cards);
    let perf = serde_json::to_value(crate::model::PerfSettings::default_at(stamp)).map_err(|e| e.to_string())?;
    obj.entry("performance").or_insert(perf);
    for key in ["kpis", "kpi_entries", "incentive_plans", "pools", "spifs"] {
        obj.entry(key).or_insert_with(|| Value::Object(Default::default()));
    }
    Ok(data)
}

/// v6 (exchange between managers): a branch workspace says where it came
/// from (`branch`) and every workspace keeps a log of files sent and merged
/// (`exchange`). A version 5 document is neither a branch nor has a log:
/// both are simply absent, so nothing is added.
fn v5_to_v6(data: Value) -> Result<Value, String> {
    if !data.is_object() {
        return Err("data is not an object".into());
    }
    Ok(data)
}

/// v7 (signed files): a workspace keeps the public keys it knows (`keys`).
/// A version 6 document knows none: the section is simply absent.
fn v6_to_v7(data: Value) -> Result<Value, String> {
    if !data.is_object() {
        return Err("data is not an object".into());
    }
    Ok(data)
}

/// v8 (daily work): logged activities and tasks (`activities`, `tasks`,
/// absent in a version 7 document: none yet), the stale-deal setting
/// (default 30 days) and, on deals, the log of amount and close-date
/// changes (empty). The activities KPI is now counted from logged
/// activities against a goal a month on the scorecard line: a version 7
/// line had no goal, so it gets the default (40 a month). Manual
/// activities entries of version 7 stay in the file, no longer read.
fn v7_to_v8(mut data: Value) -> Result<Value, String> {
    let obj = data.as_object_mut().ok_or("data is not an object")?;
    if let Some(cards) = obj.get_mut("scorecards").and_then(Value::as_object_mut) {
        for card in cards.values_mut() {
            let Some(lines) = card.get_mut("lines").and_then(Value::as_array_mut) else { continue };
            for line in lines {
                if line.get("kpi").and_then(Value::as_str) == Some("activities")
                    && line.get("goal").and_then(Value::as_u64).unwrap_or(0) == 0
                {
                    line["goal"] = Value::from(crate::model::KpiKind::Activities.default_goal());
                }
            }
        }
    }
    Ok(data)
}

/// The settings' last change: the timestamp migrations give new default records.
fn settings_stamp(obj: &serde_json::Map<String, Value>) -> Result<chrono::DateTime<chrono::Utc>, String> {
    obj.get("settings")
        .and_then(|s| s.get("updated_at"))
        .and_then(Value::as_str)
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok_or_else(|| "settings.updated_at is missing".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn add_field(mut v: Value) -> Result<Value, String> {
        v.as_object_mut().ok_or("not an object")?.insert("added".into(), json!(true));
        Ok(v)
    }

    fn rename_field(mut v: Value) -> Result<Value, String> {
        let obj = v.as_object_mut().ok_or("not an object")?;
        let x = obj.remove("added").ok_or("missing 'added'")?;
        obj.insert("renamed".into(), x);
        Ok(v)
    }

    #[test]
    fn runs_each_step_in_order_and_stamps_versions() {
        let list: &[Migration] = &[add_field, rename_field];
        let out = migrate_with(json!({"schema_version": 1}), 1, 3, list).unwrap();
        assert_eq!(out, json!({"schema_version": 3, "renamed": true}));
        // Starting later skips the first step.
        let out = migrate_with(json!({"schema_version": 2, "added": 5}), 2, 3, list).unwrap();
        assert_eq!(out, json!({"schema_version": 3, "renamed": 5}));
    }

    #[test]
    fn a_failing_step_names_its_version() {
        let list: &[Migration] = &[add_field, rename_field];
        let err = migrate_with(json!({"schema_version": 2}), 2, 3, list).unwrap_err();
        assert_eq!(err.0, 2);
        assert!(err.1.contains("added"));
    }

    #[test]
    fn the_published_list_covers_every_version() {
        assert_eq!(MIGRATIONS.len() as u32, crate::model::SCHEMA_VERSION - OLDEST_VERSION);
    }
}
