//! Pillar 1 rules: tiers, units, people, skills and grades (ids, names,
//! references, ratings), managers above their members, and the shape of
//! the tree (one root, no cycles, bounded depth).

use super::problem::{check_str, check_text};
use super::Problem;
use crate::engine::org::outranks;
use crate::limits::*;
use crate::model::{Id, Kind, Workspace};
use std::collections::{BTreeMap, HashMap};

/// The org sections: counts, ids, tiers, units, people, skills, grades,
/// ratings and recorded grades, managers' tiers.
pub(super) fn validate_org(ws: &Workspace, out: &mut Vec<Problem>) {
    for (kind, count, max) in [
        (Kind::Tier, ws.tiers.len(), MAX_TIERS),
        (Kind::Unit, ws.units.len(), MAX_UNITS),
        (Kind::Person, ws.people.len(), MAX_PEOPLE),
        (Kind::Category, ws.categories.len(), MAX_CATEGORIES),
        (Kind::Scenario, ws.scenarios.len(), MAX_SCENARIOS),
    ] {
        if count > max {
            out.push(Problem::TooMany { kind, count, max });
        }
    }

    // Ids: keys match, unique across kinds, not both live and deleted.
    let mut seen: HashMap<Id, Kind> = HashMap::with_capacity(ws.tiers.len() + ws.units.len() + ws.people.len());
    let mut note = |out: &mut Vec<Problem>, kind: Kind, key: Id, id: Id| {
        if key != id {
            out.push(Problem::KeyMismatch { kind, key, id });
        }
        if seen.insert(id, kind).is_some() {
            out.push(Problem::IdUsedTwice { id });
        }
        if ws.tombstones.contains_key(&id) {
            out.push(Problem::DeletedButPresent { kind, id });
        }
    };
    for (k, t) in &ws.tiers {
        note(out, Kind::Tier, *k, t.id);
    }
    for (k, u) in &ws.units {
        note(out, Kind::Unit, *k, u.id);
    }
    for (k, p) in &ws.people {
        note(out, Kind::Person, *k, p.id);
    }
    for (k, x) in &ws.skills {
        note(out, Kind::Skill, *k, x.id);
    }
    for (k, x) in &ws.grades {
        note(out, Kind::Grade, *k, x.id);
    }
    for (k, t) in &ws.tombstones {
        if *k != t.id {
            out.push(Problem::KeyMismatch { kind: t.kind, key: *k, id: t.id });
        }
    }

    for t in ws.tiers.values() {
        if t.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Tier, id: t.id });
        }
        check_text(out, Kind::Tier, t.id, "name", &t.name, MAX_NAME_CHARS);
        if t.duties.len() > MAX_DUTIES_PER_TIER {
            out.push(Problem::TooLong { kind: Kind::Tier, id: t.id, field: "duties", len: t.duties.len(), max: MAX_DUTIES_PER_TIER });
        }
        for d in &t.duties {
            check_text(out, Kind::Tier, t.id, "duties", d, MAX_SHORT_TEXT_CHARS);
        }
    }

    for u in ws.units.values() {
        if u.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Unit, id: u.id });
        }
        check_text(out, Kind::Unit, u.id, "name", &u.name, MAX_NAME_CHARS);
        if let Some(p) = u.parent {
            if !ws.units.contains_key(&p) {
                out.push(Problem::MissingRef { kind: Kind::Unit, id: u.id, field: "parent", target: p });
            }
        }
        if let Some(m) = u.manager {
            match ws.people.get(&m) {
                None => out.push(Problem::MissingRef { kind: Kind::Unit, id: u.id, field: "manager", target: m }),
                Some(p) if p.unit != u.id => out.push(Problem::ManagerNotMember { unit: u.id, name: u.name.clone(), person: m }),
                Some(_) => {}
            }
        }
    }

    for p in ws.people.values() {
        if p.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Person, id: p.id });
        }
        check_text(out, Kind::Person, p.id, "name", &p.name, MAX_NAME_CHARS);
        check_text(out, Kind::Person, p.id, "title", &p.title, MAX_NAME_CHARS);
        check_str(out, Kind::Person, p.id, "email", &p.email, MAX_SHORT_TEXT_CHARS);
        check_str(out, Kind::Person, p.id, "phone", &p.phone, MAX_SHORT_TEXT_CHARS);
        check_str(out, Kind::Person, p.id, "notes", &p.notes, MAX_NOTE_CHARS);
        if !ws.tiers.contains_key(&p.tier) {
            out.push(Problem::MissingRef { kind: Kind::Person, id: p.id, field: "tier", target: p.tier });
        }
        if !ws.units.contains_key(&p.unit) {
            out.push(Problem::MissingRef { kind: Kind::Person, id: p.id, field: "unit", target: p.unit });
        }
    }

    for sk in ws.skills.values() {
        if sk.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Skill, id: sk.id });
        }
        check_text(out, Kind::Skill, sk.id, "name", &sk.name, MAX_NAME_CHARS);
    }
    let mut ranks = std::collections::HashSet::new();
    for g in ws.grades.values() {
        if g.name.is_blank() {
            out.push(Problem::BlankName { kind: Kind::Grade, id: g.id });
        }
        check_text(out, Kind::Grade, g.id, "name", &g.name, MAX_NAME_CHARS);
        if !ws.tiers.contains_key(&g.tier) {
            out.push(Problem::MissingRef { kind: Kind::Grade, id: g.id, field: "tier", target: g.tier });
        }
        if !ranks.insert((g.tier, g.rank)) {
            out.push(Problem::DuplicateGradeRank { tier: g.tier, rank: g.rank });
        }
        if g.rules.len() > MAX_RULES_PER_GRADE {
            out.push(Problem::TooLong { kind: Kind::Grade, id: g.id, field: "rules", len: g.rules.len(), max: MAX_RULES_PER_GRADE });
        }
    }
    for p in ws.people.values() {
        for (skill, rating) in &p.skills {
            if !ws.skills.contains_key(skill) {
                out.push(Problem::MissingRef { kind: Kind::Person, id: p.id, field: "skills", target: *skill });
            }
            if !(1..=5).contains(rating) {
                out.push(Problem::BadRating { person: p.id, skill: *skill, rating: *rating });
            }
        }
        if let Some(g) = p.grade {
            match ws.grades.get(&g) {
                None => out.push(Problem::MissingRef { kind: Kind::Person, id: p.id, field: "grade", target: g }),
                Some(grade) if grade.tier != p.tier => out.push(Problem::GradeOfOtherTier { person: p.id, grade: g }),
                Some(_) => {}
            }
        }
    }
    for (unit, person) in tier_conflicts(ws) {
        out.push(Problem::ManagerTierNotAbove { unit, name: ws.units[&unit].name.clone(), person });
    }
}

/// Every (unit, manager) where some other member's tier is not below the
/// manager's. Linear in people + units.
pub fn tier_conflicts(ws: &Workspace) -> Vec<(Id, Id)> {
    // Highest tier (lowest order) among each unit's members other than its manager.
    let mut top_member: HashMap<Id, u32> = HashMap::with_capacity(ws.units.len());
    for p in ws.people.values() {
        let Some(unit) = ws.units.get(&p.unit) else { continue };
        if unit.manager == Some(p.id) {
            continue;
        }
        if let Some(t) = ws.tiers.get(&p.tier) {
            let e = top_member.entry(p.unit).or_insert(u32::MAX);
            *e = (*e).min(t.order);
        }
    }
    let mut out = Vec::new();
    for u in ws.units.values() {
        let Some(m) = u.manager.and_then(|m| ws.people.get(&m)) else { continue };
        let Some(m_order) = ws.tiers.get(&m.tier).map(|t| t.order) else { continue };
        if top_member.get(&u.id).is_some_and(|o| !outranks(m_order, *o)) {
            out.push((u.id, m.id));
        }
    }
    out
}

/// The manager of `unit` when some other member's tier is not below theirs.
pub fn unit_tier_conflict(ws: &Workspace, unit: Id) -> Option<Id> {
    let u = ws.units.get(&unit)?;
    let m = ws.people.get(&u.manager?)?;
    let m_order = ws.tiers.get(&m.tier)?.order;
    let conflict =
        ws.people.values().any(|p| p.unit == unit && p.id != m.id && ws.tiers.get(&p.tier).is_some_and(|t| !outranks(m_order, t.order)));
    conflict.then_some(m.id)
}

/// One root, no cycles, bounded depth. Linear time: each unit's depth is
/// computed once and memoised.
pub(super) fn check_tree(ws: &Workspace, out: &mut Vec<Problem>) {
    if ws.units.is_empty() {
        return;
    }
    let roots = ws.units.values().filter(|u| u.parent.is_none()).count();
    match roots {
        0 => out.push(Problem::NoRoot),
        1 => {}
        n => out.push(Problem::SeveralRoots { count: n }),
    }
    // depth: None = unknown; Some(0) = on the current path (in progress).
    let mut depth: BTreeMap<Id, usize> = BTreeMap::new();
    let mut reported_cycle = false;
    for start in ws.units.keys() {
        if depth.contains_key(start) {
            continue;
        }
        let mut path: Vec<Id> = Vec::new();
        let mut cur = Some(*start);
        let base = loop {
            match cur {
                None => break 0,
                Some(id) => match depth.get(&id) {
                    Some(0) => {
                        if !reported_cycle {
                            let name = ws.units.get(&id).map(|u| u.name.clone()).unwrap_or_default();
                            out.push(Problem::Cycle { unit: id, name });
                            reported_cycle = true;
                        }
                        break usize::MAX / 2;
                    }
                    Some(d) => break *d,
                    None => {
                        let Some(unit) = ws.units.get(&id) else {
                            break 0;
                        };
                        depth.insert(id, 0);
                        path.push(id);
                        cur = unit.parent;
                    }
                },
            }
        };
        let mut d = base;
        for id in path.into_iter().rev() {
            d = d.saturating_add(1);
            depth.insert(id, d);
            if d > MAX_DEPTH && d < usize::MAX / 4 {
                let u = &ws.units[&id];
                out.push(Problem::TooDeep { unit: id, name: u.name.clone(), depth: d });
            }
        }
    }
}
