//! Records whose id is derived from what they are about (owner, kind,
//! year, period, ...): target, budget and headcount lines, time splits,
//! forecast overrides, scorecard templates, KPI entries and bonus pools.
//! Two managers who create the same thing create the same record, and a
//! merge lines them up.
//!
//! [`DerivedId`] gives each such record its expected id and a description
//! in words, so a wrong id is reported as "target of East China revenue
//! FY2026: id should be 3f2a…, is 1234…", and the importer can move a
//! record to its derived id when nothing else holds it ([`rekey_all`]).

use super::{kind_name, Problem};
use crate::calendar::{label_with_year, Period};
use crate::i18n::Lang;
use crate::model::*;
use std::collections::BTreeMap;

/// A record whose id is a function of its content.
pub trait DerivedId {
    const KIND: Kind;
    fn id(&self) -> Id;
    fn set_id(&mut self, id: Id);
    /// The id the record must have.
    fn expected_id(&self) -> Id;
    /// What the record is about, in words ("East China revenue FY2026").
    fn about(&self, ws: &Workspace, lang: Lang) -> String;
}

/// A unit's, person's, tier's, budget category's or stage's name; the
/// short id when there is none.
pub(crate) fn name_of(ws: &Workspace, id: Id, lang: Lang) -> String {
    let text = ws
        .units
        .get(&id)
        .map(|u| &u.name)
        .or_else(|| ws.people.get(&id).map(|p| &p.name))
        .or_else(|| ws.tiers.get(&id).map(|t| &t.name))
        .or_else(|| ws.categories.get(&id).map(|c| &c.name))
        .or_else(|| ws.stages.get(&id).map(|c| &c.name))
        .map(|t| t.get(lang).to_string())
        .unwrap_or_default();
    if text.trim().is_empty() {
        id.short()
    } else {
        text
    }
}

fn period(ws: &Workspace, p: Period, year: i32, lang: Lang) -> String {
    if p.valid() {
        label_with_year(p, year, ws.settings.fiscal_year_start_month, lang)
    } else {
        format!("{year} {}", p.code())
    }
}

fn year(year: i32, lang: Lang) -> String {
    lang.pick(format!("{year} 财年"), format!("FY{year}"))
}

fn kpi(ws: &Workspace, k: KpiKind, lang: Lang) -> String {
    match k {
        KpiKind::Activities => lang.pick("销售活动", "activities").to_string(),
        KpiKind::Strategic => lang.pick("战略目标", "strategic goals").to_string(),
        KpiKind::Custom(id) => ws.kpis.get(&id).map(|c| c.name.get(lang).to_string()).unwrap_or_else(|| id.short()),
        other => other.key(),
    }
}

/// `derived!(Type, kind, |r| expected id, |r, ws, lang| about)`.
macro_rules! derived {
    ($t:ty, $kind:expr, |$r:ident| $expected:expr, |$a:ident, $ws:ident, $lang:ident| $about:expr) => {
        impl DerivedId for $t {
            const KIND: Kind = $kind;
            fn id(&self) -> Id {
                self.id
            }
            fn set_id(&mut self, id: Id) {
                self.id = id;
            }
            fn expected_id(&self) -> Id {
                let $r = self;
                $expected
            }
            fn about(&self, $ws: &Workspace, $lang: Lang) -> String {
                let $a = self;
                $about
            }
        }
    };
}

derived!(TargetLine, Kind::Target, |r| TargetLine::id_for(r.owner, r.kind, r.year), |r, ws, lang| {
    format!("{} {} {}", name_of(ws, r.owner, lang), r.kind.label(lang), year(r.year, lang))
});
derived!(BudgetLine, Kind::Budget, |r| BudgetLine::id_for(r.unit, r.year, r.category), |r, ws, lang| {
    format!("{} {} {}", name_of(ws, r.unit, lang), name_of(ws, r.category, lang), year(r.year, lang))
});
derived!(HeadcountPlan, Kind::Headcount, |r| HeadcountPlan::id_for(r.unit, r.year), |r, ws, lang| {
    format!("{} {}", name_of(ws, r.unit, lang), year(r.year, lang))
});
derived!(TimeSplit, Kind::TimeSplit, |r| TimeSplit::id_for(r.owner), |r, ws, lang| name_of(ws, r.owner, lang));
derived!(ForecastOverride, Kind::Override, |r| ForecastOverride::id_for(r.owner, r.year, r.period, r.category), |r, ws, lang| {
    let (zh, en) = r.category.names();
    format!("{} {} {}", name_of(ws, r.owner, lang), period(ws, r.period, r.year, lang), lang.pick(zh, en))
});
derived!(ScorecardTemplate, Kind::Scorecard, |r| ScorecardTemplate::id_for(r.tier), |r, ws, lang| name_of(ws, r.tier, lang));
derived!(KpiEntry, Kind::KpiEntry, |r| KpiEntry::id_for(r.person, r.kpi, r.year, r.period), |r, ws, lang| {
    format!("{} {} {}", name_of(ws, r.person, lang), kpi(ws, r.kpi, lang), period(ws, r.period, r.year, lang))
});
derived!(BonusPool, Kind::Pool, |r| BonusPool::id_for(r.unit, r.year, r.period), |r, ws, lang| {
    format!("{} {}", name_of(ws, r.unit, lang), period(ws, r.period, r.year, lang))
});

derived!(KnownKey, Kind::Key, |r| KnownKey::id_for(&r.key), |r, ws, lang| {
    format!("{} {}", name_of(ws, r.person, lang), r.key.fingerprint())
});

/// The problem with a record stored under `key` whose key or id is not its
/// derived id; None when both are right.
pub fn wrong_id<R: DerivedId>(ws: &Workspace, section: &BTreeMap<Id, R>, key: Id, r: &R) -> Option<Problem> {
    let expected = r.expected_id();
    if key == expected && r.id() == expected {
        return None;
    }
    let found = if key != expected { key } else { r.id() };
    Some(Problem::WrongDerivedId {
        kind: R::KIND,
        about: Text::new(r.about(ws, Lang::Zh), r.about(ws, Lang::En)),
        id: found,
        expected,
        taken: key != expected && section.contains_key(&expected),
    })
}

/// Every record of a section whose key or id is not its derived id.
pub(super) fn check_section<R: DerivedId>(ws: &Workspace, section: &BTreeMap<Id, R>, out: &mut Vec<Problem>) {
    out.extend(section.iter().filter_map(|(k, r)| wrong_id(ws, section, *k, r)));
}
/// A record moved to its derived id by [`rekey_section`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rekeyed {
    pub kind: Kind,
    /// What the record is about, in both languages.
    pub about: Text,
    pub from: Id,
    pub to: Id,
}

/// Moves each record whose key or id is not its derived id to that id,
/// when nothing else holds it: no record of the section, no tombstone and
/// no other moved record. Records it cannot move stay where they are, for
/// validation to report with the id expected.
pub fn rekey_section<R: DerivedId>(ws: &Workspace, section: &mut BTreeMap<Id, R>, tombstones: &BTreeMap<Id, Tombstone>) -> Vec<Rekeyed> {
    let wrong: Vec<(Id, Id)> = section
        .iter()
        .filter_map(|(k, r)| {
            let expected = r.expected_id();
            (*k != expected || r.id() != expected).then_some((*k, expected))
        })
        .collect();
    let mut wanted: BTreeMap<Id, usize> = BTreeMap::new();
    for (_, to) in &wrong {
        *wanted.entry(*to).or_default() += 1;
    }
    let mut moved = Vec::new();
    for (from, to) in wrong {
        // Right key, wrong id field: only the field changes.
        let free = from == to || (!section.contains_key(&to) && wanted[&to] == 1 && !tombstones.contains_key(&to));
        if !free {
            continue;
        }
        let mut r = section.remove(&from).expect("a key just listed");
        let about = Text::new(r.about(ws, Lang::Zh), r.about(ws, Lang::En));
        let was = if from != to { from } else { r.id() };
        r.set_id(to);
        section.insert(to, r);
        moved.push(Rekeyed { kind: R::KIND, about, from: was, to });
    }
    moved
}

impl Rekeyed {
    pub fn message(&self, lang: Lang) -> String {
        let (kind, what) = (kind_name(self.kind, lang), self.about.get(lang));
        lang.pick(
            format!("“{what}”的{kind}：id {} 已改为由内容导出的 {}", self.from, self.to),
            format!("{kind} of “{what}”: id {} became its derived id {}", self.from, self.to),
        )
    }
}

fn plan_mut(ws: &mut Workspace, scenario: Option<Id>) -> &mut Plan {
    match scenario {
        None => &mut ws.plan,
        Some(s) => &mut ws.scenarios.get_mut(&s).expect("a listed scenario").plan,
    }
}

/// [`rekey_section`] on every derived section: the plan's and each
/// scenario's lines, time splits, overrides, scorecards, KPI entries, pools.
pub fn rekey_all(ws: &mut Workspace) -> Vec<Rekeyed> {
    fn in_plan<R: DerivedId>(ws: &mut Workspace, s: Option<Id>, get: fn(&mut Plan) -> &mut BTreeMap<Id, R>, out: &mut Vec<Rekeyed>) {
        let mut section = std::mem::take(get(plan_mut(ws, s)));
        out.extend(rekey_section(ws, &mut section, &ws.tombstones));
        *get(plan_mut(ws, s)) = section;
    }
    fn in_ws<R: DerivedId>(ws: &mut Workspace, get: fn(&mut Workspace) -> &mut BTreeMap<Id, R>, out: &mut Vec<Rekeyed>) {
        let mut section = std::mem::take(get(ws));
        out.extend(rekey_section(ws, &mut section, &ws.tombstones));
        *get(ws) = section;
    }
    let mut out = Vec::new();
    let scenarios: Vec<Id> = ws.scenarios.keys().copied().collect();
    for s in std::iter::once(None).chain(scenarios.into_iter().map(Some)) {
        in_plan(ws, s, |p| &mut p.targets, &mut out);
        in_plan(ws, s, |p| &mut p.budgets, &mut out);
        in_plan(ws, s, |p| &mut p.headcount, &mut out);
    }
    in_ws(ws, |w| &mut w.time_splits, &mut out);
    in_ws(ws, |w| &mut w.overrides, &mut out);
    in_ws(ws, |w| &mut w.scorecards, &mut out);
    in_ws(ws, |w| &mut w.kpi_entries, &mut out);
    in_ws(ws, |w| &mut w.pools, &mut out);
    in_ws(ws, |w| &mut w.keys, &mut out);
    out
}
