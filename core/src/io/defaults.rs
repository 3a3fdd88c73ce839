//! What a file written by a script may leave out, and what it gets instead.
//!
//! Only what cannot change the meaning of the data is filled: a record's
//! `id` (its key in the section), `rev` (1, a new record), `updated_at` and
//! `created_at` (the envelope's `exported_at`), `schema_version` (the
//! envelope's `version`), and the `plan`, `plan.assumptions` and
//! `performance` sections (what every new workspace starts with, as the
//! migrations give older files). Anything else missing is still refused.
//!
//! Files the app writes have every field, so they never come here: the
//! reader tries the typed parse first and fills only when it fails.
//! The same table marks these fields optional in the JSON Schema.

use super::ImportError;
use crate::model::{Assumptions, PerfSettings, Plan};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// What a missing field becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// The record's key in its section.
    Key,
    /// 1: a record that has not been changed since it was made.
    One,
    /// The envelope's `exported_at`.
    Stamp,
    /// The envelope's `version`.
    Version,
    /// An empty plan with the default capacity assumptions.
    NewPlan,
    /// The default capacity assumptions.
    NewAssumptions,
    /// The default rating bands.
    NewPerformance,
}

impl Fill {
    /// How the JSON Schema describes the default.
    pub fn describe(self) -> String {
        let t = DateTime::UNIX_EPOCH;
        let what = match self {
            Fill::Key => "the record's key in its section".to_string(),
            Fill::One => "1".to_string(),
            Fill::Stamp => "the envelope's exported_at".to_string(),
            Fill::Version => "the envelope's version".to_string(),
            Fill::NewPlan => "no targets, budgets or headcount plans, and the default assumptions".to_string(),
            Fill::NewAssumptions => {
                let a = Assumptions::default_at(t);
                let ramp: Vec<String> = a.ramp.iter().map(|r| format!("{r} %")).collect();
                format!(
                    "quota per rep {} (minor units {}), expected attainment {} %, ramp {}",
                    a.quota_per_rep,
                    a.quota_per_rep.0,
                    a.expected_attainment,
                    ramp.join(" / ")
                )
            }
            Fill::NewPerformance => {
                let bands: Vec<String> =
                    PerfSettings::default_at(t).bands.iter().map(|b| format!("{} from {} bp", b.name.en, b.min_bp)).collect();
                format!("the bands {}", bands.join(", "))
            }
        };
        format!("Optional when importing: defaults to {what}.")
    }
}

/// A step from `data` down to the objects a rule fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A named field.
    Field(&'static str),
    /// Every value of a map (records by id).
    Each,
}

/// "At `at`, a missing `field` becomes `fill`."
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub at: Vec<Step>,
    pub field: &'static str,
    pub fill: Fill,
}

/// Sections of records keyed by id, at the top of `data`.
pub const RECORD_SECTIONS: [&str; 21] = [
    "tiers",
    "units",
    "people",
    "skills",
    "grades",
    "scenarios",
    "categories",
    "tools",
    "time_splits",
    "customers",
    "stages",
    "opportunities",
    "overrides",
    "scorecards",
    "kpis",
    "kpi_entries",
    "incentive_plans",
    "pools",
    "spifs",
    "activities",
    "tasks",
];

/// Every default, parents before what they contain.
pub fn rules() -> Vec<Rule> {
    use Step::*;
    let rule = |at: &[Step], field, fill| Rule { at: at.to_vec(), field, fill };
    let record = |at: &[Step]| [rule(at, "id", Fill::Key), rule(at, "rev", Fill::One), rule(at, "updated_at", Fill::Stamp)];
    let stamped = |at: &[Step]| [rule(at, "rev", Fill::One), rule(at, "updated_at", Fill::Stamp)];
    let mut v = vec![
        rule(&[], "schema_version", Fill::Version),
        rule(&[], "plan", Fill::NewPlan),
        rule(&[], "performance", Fill::NewPerformance),
        rule(&[Field("meta")], "created_at", Fill::Stamp),
    ];
    v.extend(stamped(&[Field("settings")]));
    v.extend(stamped(&[Field("performance")]));
    for section in RECORD_SECTIONS {
        v.extend(record(&[Field(section), Each]));
    }
    v.push(rule(&[Field("scenarios"), Each], "created_at", Fill::Stamp));
    for plan in [&[Field("plan")][..], &[Field("scenarios"), Each, Field("plan")]] {
        v.push(rule(plan, "assumptions", Fill::NewAssumptions));
        v.extend(stamped(&[plan, &[Field("assumptions")]].concat()));
        for lines in ["targets", "budgets", "headcount"] {
            v.extend(record(&[plan, &[Field(lines), Each]].concat()));
        }
    }
    v.push(rule(&[Field("tombstones"), Each], "id", Fill::Key));
    v
}

/// What the envelope gives the defaults.
pub struct Context {
    /// `exported_at`, when it is a valid time.
    pub stamp: Option<DateTime<Utc>>,
    pub version: u32,
}

/// Fills what `data` leaves out (a field that is absent or null). Returns
/// how many values were filled; refuses a time it has nothing to take from.
pub fn fill(data: &mut Value, cx: &Context) -> Result<usize, ImportError> {
    let mut filled = 0;
    for rule in rules() {
        visit(data, &rule.at, "data".to_string(), None, &rule, cx, &mut filled)?;
    }
    Ok(filled)
}

fn visit(v: &mut Value, at: &[Step], path: String, key: Option<&str>, rule: &Rule, cx: &Context, n: &mut usize) -> Result<(), ImportError> {
    let Some(obj) = v.as_object_mut() else { return Ok(()) };
    match at.split_first() {
        None => fill_field(obj, &path, key, rule, cx, n),
        Some((Step::Field(f), rest)) => match obj.get_mut(*f) {
            Some(child) => visit(child, rest, format!("{path}.{f}"), key, rule, cx, n),
            None => Ok(()),
        },
        Some((Step::Each, rest)) => {
            for (k, child) in obj.iter_mut() {
                visit(child, rest, format!("{path}.{k}"), Some(k), rule, cx, n)?;
            }
            Ok(())
        }
    }
}

fn fill_field(
    obj: &mut Map<String, Value>,
    path: &str,
    key: Option<&str>,
    rule: &Rule,
    cx: &Context,
    n: &mut usize,
) -> Result<(), ImportError> {
    if !obj.get(rule.field).is_none_or(Value::is_null) {
        return Ok(());
    }
    let stamp = || cx.stamp.ok_or_else(|| ImportError::MissingTime { path: format!("{path}.{}", rule.field) });
    let json = |v: Result<Value, serde_json::Error>| v.expect("defaults serialise");
    let value = match rule.fill {
        Fill::Key => Value::from(key.unwrap_or_default()),
        Fill::One => Value::from(1),
        Fill::Version => Value::from(cx.version),
        Fill::Stamp => json(serde_json::to_value(stamp()?)),
        Fill::NewPlan => json(serde_json::to_value(Plan::new(stamp()?))),
        Fill::NewAssumptions => json(serde_json::to_value(Assumptions::default_at(stamp()?))),
        Fill::NewPerformance => json(serde_json::to_value(PerfSettings::default_at(stamp()?))),
    };
    obj.insert(rule.field.to_string(), value);
    *n += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sort::Arrange;

    #[test]
    fn every_record_section_of_the_model_is_listed() {
        // A new section of records must be listed here (or its records
        // must not carry id, rev and updated_at).
        let ws = crate::model::Workspace::empty(crate::model::Id::from_random_bytes([1; 16]), "x", crate::Lang::En, DateTime::UNIX_EPOCH);
        let v = serde_json::to_value(&ws).unwrap();
        let maps: Vec<&str> = v
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, x)| x.is_object() && !["meta", "settings", "plan", "performance", "tombstones"].contains(&k.as_str()))
            .map(|(k, _)| k.as_str())
            .collect();
        let mut listed = RECORD_SECTIONS.to_vec();
        listed.arrange();
        assert_eq!(maps, listed);
    }
}
