//! The document as storage sees it: a set of cells, one per record (a unit,
//! a person, a target line…) or per single section (settings, performance,
//! the plan's assumptions), each holding the record's JSON. An edit changes
//! a few cells; storage writes only those. The codec here reads a cell out
//! of a workspace and puts one back, and rebuilds a whole workspace from
//! its cells.

use crate::model::*;
use std::collections::BTreeMap;

/// The sections of the document, by their place in the file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Meta,
    Settings,
    Performance,
    Assumptions,
    Tiers,
    Units,
    People,
    Skills,
    Grades,
    Targets,
    Budgets,
    Headcount,
    Scenarios,
    Categories,
    Tools,
    TimeSplits,
    Customers,
    Stages,
    Opportunities,
    Overrides,
    Scorecards,
    Kpis,
    KpiEntries,
    IncentivePlans,
    Pools,
    Spifs,
    Tombstones,
    // New sections go last: a section's place feeds `chunk::bucket_of`.
    /// The branch a workspace was issued as (`null` in a whole workspace).
    Branch,
    Exchange,
    Keys,
    Activities,
    Tasks,
}

impl Section {
    pub const ALL: [Section; 32] = [
        Section::Meta,
        Section::Settings,
        Section::Performance,
        Section::Assumptions,
        Section::Tiers,
        Section::Units,
        Section::People,
        Section::Skills,
        Section::Grades,
        Section::Targets,
        Section::Budgets,
        Section::Headcount,
        Section::Scenarios,
        Section::Categories,
        Section::Tools,
        Section::TimeSplits,
        Section::Customers,
        Section::Stages,
        Section::Opportunities,
        Section::Overrides,
        Section::Scorecards,
        Section::Kpis,
        Section::KpiEntries,
        Section::IncentivePlans,
        Section::Pools,
        Section::Spifs,
        Section::Tombstones,
        Section::Branch,
        Section::Exchange,
        Section::Keys,
        Section::Activities,
        Section::Tasks,
    ];

    /// The section's name in stored chunks (its field in the file format).
    pub fn name(self) -> &'static str {
        match self {
            Section::Meta => "meta",
            Section::Settings => "settings",
            Section::Performance => "performance",
            Section::Assumptions => "plan.assumptions",
            Section::Tiers => "tiers",
            Section::Units => "units",
            Section::People => "people",
            Section::Skills => "skills",
            Section::Grades => "grades",
            Section::Targets => "plan.targets",
            Section::Budgets => "plan.budgets",
            Section::Headcount => "plan.headcount",
            Section::Scenarios => "scenarios",
            Section::Categories => "categories",
            Section::Tools => "tools",
            Section::TimeSplits => "time_splits",
            Section::Customers => "customers",
            Section::Stages => "stages",
            Section::Opportunities => "opportunities",
            Section::Overrides => "overrides",
            Section::Scorecards => "scorecards",
            Section::Kpis => "kpis",
            Section::KpiEntries => "kpi_entries",
            Section::IncentivePlans => "incentive_plans",
            Section::Pools => "pools",
            Section::Spifs => "spifs",
            Section::Tombstones => "tombstones",
            Section::Branch => "branch",
            Section::Exchange => "exchange",
            Section::Keys => "keys",
            Section::Activities => "activities",
            Section::Tasks => "tasks",
        }
    }

    pub fn from_name(s: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|x| x.name() == s)
    }

    /// A single record (no id): settings, performance, meta, assumptions.
    pub fn is_single(self) -> bool {
        matches!(self, Section::Meta | Section::Settings | Section::Performance | Section::Assumptions | Section::Branch)
    }
}

/// One cell: a section and, for record sections, the record's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellKey {
    pub section: Section,
    pub id: Option<Id>,
}

impl CellKey {
    pub fn single(section: Section) -> CellKey {
        CellKey { section, id: None }
    }

    pub fn record(section: Section, id: Id) -> CellKey {
        CellKey { section, id: Some(id) }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellError {
    pub section: &'static str,
    pub detail: String,
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("records serialise")
}

fn read<T: serde::de::DeserializeOwned>(section: Section, text: &str) -> Result<T, CellError> {
    serde_json::from_str(text).map_err(|e| CellError { section: section.name(), detail: e.to_string() })
}

/// A record table seen through JSON: read a record as text, put one back.
trait Table {
    fn get_json(&self, id: Id) -> Option<String>;
    fn set_json(&mut self, section: Section, id: Id, text: Option<&str>) -> Result<(), CellError>;
    fn ids(&self) -> Vec<Id>;
}

impl<T: serde::Serialize + serde::de::DeserializeOwned> Table for BTreeMap<Id, T> {
    fn get_json(&self, id: Id) -> Option<String> {
        self.get(&id).map(json)
    }
    fn set_json(&mut self, section: Section, id: Id, text: Option<&str>) -> Result<(), CellError> {
        match text {
            Some(t) => {
                self.insert(id, read(section, t)?);
            }
            None => {
                self.remove(&id);
            }
        }
        Ok(())
    }
    fn ids(&self) -> Vec<Id> {
        self.keys().copied().collect()
    }
}

macro_rules! table {
    ($ws:expr, $s:expr, $($amp:tt)+) => {
        match $s {
            Section::Tiers => Some($($amp)+ $ws.tiers as $($amp)+ dyn Table),
            Section::Units => Some($($amp)+ $ws.units),
            Section::People => Some($($amp)+ $ws.people),
            Section::Skills => Some($($amp)+ $ws.skills),
            Section::Grades => Some($($amp)+ $ws.grades),
            Section::Targets => Some($($amp)+ $ws.plan.targets),
            Section::Budgets => Some($($amp)+ $ws.plan.budgets),
            Section::Headcount => Some($($amp)+ $ws.plan.headcount),
            Section::Scenarios => Some($($amp)+ $ws.scenarios),
            Section::Categories => Some($($amp)+ $ws.categories),
            Section::Tools => Some($($amp)+ $ws.tools),
            Section::TimeSplits => Some($($amp)+ $ws.time_splits),
            Section::Customers => Some($($amp)+ $ws.customers),
            Section::Stages => Some($($amp)+ $ws.stages),
            Section::Opportunities => Some($($amp)+ $ws.opportunities),
            Section::Overrides => Some($($amp)+ $ws.overrides),
            Section::Scorecards => Some($($amp)+ $ws.scorecards),
            Section::Kpis => Some($($amp)+ $ws.kpis),
            Section::KpiEntries => Some($($amp)+ $ws.kpi_entries),
            Section::IncentivePlans => Some($($amp)+ $ws.incentive_plans),
            Section::Pools => Some($($amp)+ $ws.pools),
            Section::Spifs => Some($($amp)+ $ws.spifs),
            Section::Tombstones => Some($($amp)+ $ws.tombstones),
            Section::Exchange => Some($($amp)+ $ws.exchange),
            Section::Keys => Some($($amp)+ $ws.keys),
            Section::Activities => Some($($amp)+ $ws.activities),
            Section::Tasks => Some($($amp)+ $ws.tasks),
            Section::Meta | Section::Settings | Section::Performance | Section::Assumptions | Section::Branch => None,
        }
    };
}

fn table_ref(ws: &Workspace, s: Section) -> Option<&dyn Table> {
    table!(ws, s, &)
}

fn table_mut(ws: &mut Workspace, s: Section) -> Option<&mut dyn Table> {
    table!(ws, s, &mut)
}

/// The cell's JSON in `ws` (None: the record is absent).
pub fn get(ws: &Workspace, key: CellKey) -> Option<String> {
    match key.section {
        Section::Meta => Some(json(&ws.meta)),
        Section::Settings => Some(json(&ws.settings)),
        Section::Performance => Some(json(&ws.performance)),
        Section::Assumptions => Some(json(&ws.plan.assumptions)),
        Section::Branch => Some(json(&ws.branch)),
        s => table_ref(ws, s)?.get_json(key.id?),
    }
}

/// Puts a cell's JSON into `ws` (None removes the record). A single
/// section cannot be removed.
pub fn set(ws: &mut Workspace, key: CellKey, text: Option<&str>) -> Result<(), CellError> {
    let s = key.section;
    let err = |detail: &str| CellError { section: s.name(), detail: detail.into() };
    match (s, text) {
        (Section::Meta, Some(t)) => ws.meta = read(s, t)?,
        (Section::Settings, Some(t)) => ws.settings = read(s, t)?,
        (Section::Performance, Some(t)) => ws.performance = read(s, t)?,
        (Section::Assumptions, Some(t)) => ws.plan.assumptions = read(s, t)?,
        (Section::Branch, Some(t)) => ws.branch = read(s, t)?,
        // Storage written before branches existed has no branch cell.
        (Section::Branch, None) => ws.branch = None,
        (Section::Meta | Section::Settings | Section::Performance | Section::Assumptions, None) => {
            return Err(err("a single section cannot be removed"))
        }
        _ => {
            let id = key.id.ok_or_else(|| err("a record cell without an id"))?;
            table_mut(ws, s).ok_or_else(|| err("not a record section"))?.set_json(s, id, text)?;
        }
    }
    Ok(())
}

/// Every cell of the document, in a stable order.
pub fn all(ws: &Workspace) -> Vec<(CellKey, String)> {
    let mut out = Vec::new();
    for s in Section::ALL {
        match table_ref(ws, s) {
            None => {
                let k = CellKey::single(s);
                out.push((k, get(ws, k).expect("single sections exist")));
            }
            Some(t) => {
                for id in t.ids() {
                    out.extend(t.get_json(id).map(|v| (CellKey::record(s, id), v)));
                }
            }
        }
    }
    out
}

/// The plan lines (and assumptions) that differ between two plans.
pub fn plan_diff(old: &Plan, new: &Plan) -> Vec<CellKey> {
    fn diff<T: PartialEq>(s: Section, a: &BTreeMap<Id, T>, b: &BTreeMap<Id, T>, out: &mut Vec<CellKey>) {
        for (id, v) in b {
            if a.get(id) != Some(v) {
                out.push(CellKey::record(s, *id));
            }
        }
        for id in a.keys() {
            if !b.contains_key(id) {
                out.push(CellKey::record(s, *id));
            }
        }
    }
    let mut out = Vec::new();
    diff(Section::Targets, &old.targets, &new.targets, &mut out);
    diff(Section::Budgets, &old.budgets, &new.budgets, &mut out);
    diff(Section::Headcount, &old.headcount, &new.headcount, &mut out);
    if old.assumptions != new.assumptions {
        out.push(CellKey::single(Section::Assumptions));
    }
    out
}

/// Rebuilds a workspace from its cells (schema version `SCHEMA_VERSION`).
/// Every single section must be present.
pub fn build<'a>(cells: impl IntoIterator<Item = (CellKey, &'a str)>) -> Result<Workspace, CellError> {
    let mut singles: BTreeMap<Section, &str> = BTreeMap::new();
    let mut records: Vec<(CellKey, &str)> = Vec::new();
    for (k, v) in cells {
        if k.section.is_single() {
            singles.insert(k.section, v);
        } else {
            records.push((k, v));
        }
    }
    let mut ws = base(&singles)?;
    for (k, v) in records {
        set(&mut ws, k, Some(v))?;
    }
    Ok(ws)
}

/// A workspace of the single cells (meta, settings, …) and no records yet:
/// [`set`] each record cell on it to finish a [`build`].
pub fn base(singles: &BTreeMap<Section, &str>) -> Result<Workspace, CellError> {
    let need = |s: Section| singles.get(&s).copied().ok_or(CellError { section: s.name(), detail: "missing".into() });
    let now = chrono::DateTime::UNIX_EPOCH;
    let meta: Meta = read(Section::Meta, need(Section::Meta)?)?;
    let mut ws = Workspace::empty(meta.id, "", crate::Lang::En, now);
    ws.meta = meta;
    ws.settings = read(Section::Settings, need(Section::Settings)?)?;
    ws.performance = read(Section::Performance, need(Section::Performance)?)?;
    ws.plan = Plan::new(now);
    ws.plan.assumptions = read(Section::Assumptions, need(Section::Assumptions)?)?;
    // Storage written before branches existed has no branch cell: not a branch.
    ws.branch = match singles.get(&Section::Branch) {
        Some(t) => read(Section::Branch, t)?,
        None => None,
    };
    // Defaults of an empty workspace are not part of the document's cells.
    ws.categories.clear();
    ws.stages.clear();
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_its_cells() {
        let ws =
            crate::demo::generate(&crate::demo::DemoOptions { people: 40, ..crate::demo::DemoOptions::new(chrono::DateTime::UNIX_EPOCH) });
        let cells = all(&ws);
        let back = build(cells.iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
        assert_eq!(back, ws);
        // One cell back and forth.
        let unit = *ws.units.keys().next().unwrap();
        let k = CellKey::record(Section::Units, unit);
        let mut w = ws.clone();
        set(&mut w, k, None).unwrap();
        assert!(!w.units.contains_key(&unit));
        set(&mut w, k, get(&ws, k).as_deref()).unwrap();
        assert_eq!(w, ws);
        assert!(set(&mut w, CellKey::single(Section::Settings), None).is_err());
        assert!(set(&mut w, k, Some("{\"not\":\"a unit\"}")).is_err());
    }
}
