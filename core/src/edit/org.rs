//! Pillar 1 edits: workspace settings, tiers, units, people, skills,
//! grades and promotions, with the checks that keep the org tree whole
//! (depth, managers above their members, rule ranges).

use super::fields::{check_len, check_name, check_new_id, PersonFields};
use super::plan::{check_budget_fit, purge_owner};
use super::{perf, Edit, EditError, Tx};
use crate::engine::org::is_ancestor_or_self;
use crate::engine::validate::valid_currency;
use crate::limits::*;
use crate::model::*;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashSet};

pub(super) fn org(tx: &mut Tx, edit: &Edit) -> Result<(), EditError> {
    match edit {
        Edit::UpdateSettings(p) => {
            if let Some(n) = &p.workspace_name {
                check_name(&Text::both(n.clone()))?;
            }
            if let Some(c) = &p.currency {
                if !valid_currency(c) {
                    return Err(EditError::BadCurrency { code: c.chars().take(20).collect() });
                }
            }
            if let Some(m) = p.fiscal_year_start_month {
                if !(1..=12).contains(&m) {
                    return Err(EditError::BadMonth { month: m });
                }
            }
            if p.stale_days.is_some_and(|d| d > crate::limits::MAX_STALE_DAYS) {
                return Err(EditError::BadStaleDays { max: crate::limits::MAX_STALE_DAYS });
            }
            let p = p.clone();
            tx.settings(move |s| {
                if let Some(n) = p.workspace_name {
                    s.workspace_name = n.trim().to_string();
                }
                if let Some(l) = p.language {
                    s.language = l;
                }
                if let Some(c) = p.currency {
                    s.currency = c;
                }
                if let Some(m) = p.fiscal_year_start_month {
                    s.fiscal_year_start_month = m;
                }
                if let Some(d) = p.stale_days {
                    s.stale_days = d;
                }
            });
        }
        Edit::AddTier { id, name, duties } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.tiers.len() >= MAX_TIERS {
                return Err(EditError::Limit { kind: Kind::Tier, max: MAX_TIERS });
            }
            check_name(name)?;
            check_duties(duties)?;
            let order = tx.ws.tiers.values().map(|t| t.order + 1).max().unwrap_or(0);
            tx.put(Tier { id: *id, rev: 0, updated_at: tx.now, name: name.clone(), order, duties: duties.clone() });
            // A new tier starts with the seed's scorecard for its place.
            let rank = tx.ws.tiers.len().saturating_sub(1) as u32;
            let card = ScorecardTemplate::id_for(*id);
            tx.put(ScorecardTemplate { id: card, rev: 0, updated_at: tx.now, tier: *id, lines: default_scorecard_lines(rank) });
        }
        Edit::UpdateTier { id, name, duties } => {
            check_name(name)?;
            check_duties(duties)?;
            let mut t = tier(tx.ws, *id)?.clone();
            t.name = name.clone();
            t.duties = duties.clone();
            tx.put(t);
        }
        Edit::MoveTier { id, order } => {
            tier(tx.ws, *id)?;
            let mut ordered: Vec<Id> = tx.ws.tiers_in_order().iter().map(|t| t.id).filter(|t| t != id).collect();
            let pos = (*order as usize).min(ordered.len());
            ordered.insert(pos, *id);
            for (i, tid) in ordered.into_iter().enumerate() {
                let t = &tx.ws.tiers[&tid];
                if t.order != i as u32 {
                    let mut t = t.clone();
                    t.order = i as u32;
                    tx.put(t);
                }
            }
            if let Some((unit, _)) = crate::engine::validate::tier_conflicts(tx.ws).first() {
                return Err(EditError::ManagerTierNotAbove { unit: tx.ws.units[unit].name.clone() });
            }
        }
        Edit::RemoveTier { id, reassign_to } => {
            tier(tx.ws, *id)?;
            let holders: Vec<Person> = tx.ws.people.values().filter(|p| p.tier == *id).cloned().collect();
            if !holders.is_empty() {
                let Some(to) = reassign_to else {
                    return Err(EditError::TierInUse { people: holders.len() });
                };
                if to == id {
                    return Err(EditError::SameTier);
                }
                tier(tx.ws, *to)?;
                let mut units = HashSet::new();
                for mut p in holders {
                    push_history(&mut p, PersonEvent::TierChanged { from: *id, to: *to }, tx.now, "");
                    p.tier = *to;
                    p.grade = None;
                    units.insert(p.unit);
                    tx.put(p);
                }
                check_units(tx.ws, units)?;
            }
            let grades: Vec<Id> = tx.ws.grades.values().filter(|g| g.tier == *id).map(|g| g.id).collect();
            for g in grades {
                tx.delete::<Grade>(g);
            }
            perf::purge_tier(tx, *id);
            tx.delete::<Tier>(*id);
        }
        Edit::AddUnit { id, name, parent } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.units.len() >= MAX_UNITS {
                return Err(EditError::Limit { kind: Kind::Unit, max: MAX_UNITS });
            }
            check_name(name)?;
            match parent {
                None if !tx.ws.units.is_empty() => return Err(EditError::SecondRoot),
                None => {}
                Some(p) => {
                    unit(tx.ws, *p)?;
                    if depth_of(tx.ws, *p) + 1 > MAX_DEPTH {
                        return Err(EditError::TooDeep { max: MAX_DEPTH });
                    }
                }
            }
            let order = tx.ws.units.values().filter(|u| u.parent == *parent).map(|u| u.order + 1).max().unwrap_or(0);
            tx.put(Unit { id: *id, rev: 0, updated_at: tx.now, name: name.clone(), parent: *parent, manager: None, order });
        }
        Edit::RenameUnit { id, name } => {
            check_name(name)?;
            let mut u = unit(tx.ws, *id)?.clone();
            u.name = name.clone();
            tx.put(u);
        }
        Edit::MoveUnit { id, parent } => {
            let u = unit(tx.ws, *id)?.clone();
            let target = unit(tx.ws, *parent)?.clone();
            if u.parent.is_none() {
                return Err(EditError::RootCannotMove);
            }
            if is_ancestor_or_self(tx.ws, u.id, target.id) {
                return Err(EditError::WouldCycle { unit: u.name.clone(), target: target.name.clone() });
            }
            if depth_of(tx.ws, target.id) + subtree_height(tx.ws, u.id) > MAX_DEPTH {
                return Err(EditError::TooDeep { max: MAX_DEPTH });
            }
            if u.parent == Some(*parent) {
                return Ok(());
            }
            let order = tx.ws.units.values().filter(|x| x.parent == Some(*parent)).map(|x| x.order + 1).max().unwrap_or(0);
            let mut u = u;
            u.parent = Some(*parent);
            u.order = order;
            tx.put(u);
            check_budget_fit(tx.ws, *id)?;
        }
        Edit::DeleteUnit { id } => {
            unit(tx.ws, *id)?;
            let members = tx.ws.people.values().filter(|p| p.unit == *id).count();
            let children = tx.ws.units.values().filter(|u| u.parent == Some(*id)).count();
            if members > 0 || children > 0 {
                return Err(EditError::UnitNotEmpty { members, children });
            }
            purge_owner(tx, *id)?;
            perf::purge(tx, *id);
            tx.delete::<Unit>(*id);
        }
        Edit::SetManager { unit: uid, person: pid } => {
            let mut u = unit(tx.ws, *uid)?.clone();
            if let Some(pid) = pid {
                let p = person(tx.ws, *pid)?;
                if p.unit != *uid {
                    return Err(EditError::ManagerNotMember);
                }
            }
            if u.manager != *pid {
                u.manager = *pid;
                tx.put(u);
                check_units(tx.ws, [*uid])?;
            }
        }
        Edit::AddPerson { id, unit: uid, fields } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.people.len() >= MAX_PEOPLE {
                return Err(EditError::Limit { kind: Kind::Person, max: MAX_PEOPLE });
            }
            unit(tx.ws, *uid)?;
            check_person_fields(tx.ws, fields)?;
            tx.put(person_from(*id, *uid, fields.clone(), tx.now));
            check_units(tx.ws, [*uid])?;
        }
        Edit::UpdatePerson { id, fields } => {
            let old = person(tx.ws, *id)?.clone();
            check_person_fields(tx.ws, fields)?;
            let mut p = person_from(*id, old.unit, fields.clone(), tx.now);
            p.skills = old.skills.clone();
            p.grade = old.grade;
            p.history = old.history.clone();
            if old.tier != p.tier {
                let to = p.tier;
                push_history(&mut p, PersonEvent::TierChanged { from: old.tier, to }, tx.now, "");
                // A recorded grade belongs to the old tier's ladder.
                p.grade = None;
            }
            if old.status != p.status {
                let to = p.status;
                push_history(&mut p, PersonEvent::StatusChanged { from: old.status, to }, tx.now, "");
            }
            tx.put(p);
            let mut units = vec![old.unit];
            units.extend(tx.ws.managed_unit(*id).map(|u| u.id));
            check_units(tx.ws, units)?;
        }
        Edit::MovePerson { id, unit: uid } => {
            let mut p = person(tx.ws, *id)?.clone();
            unit(tx.ws, *uid)?;
            if p.unit == *uid {
                return Ok(());
            }
            if let Some(managed) = tx.ws.units.values().find(|u| u.manager == Some(*id)) {
                return Err(EditError::PersonManagesUnit { unit: managed.name.clone() });
            }
            let from = p.unit;
            push_history(&mut p, PersonEvent::Moved { from, to: *uid }, tx.now, "");
            p.unit = *uid;
            tx.put(p);
            check_units(tx.ws, [*uid])?;
        }
        Edit::DeletePerson { id } => {
            person(tx.ws, *id)?;
            let customers = tx.ws.customers.values().filter(|c| c.owner == Some(*id)).count();
            let opportunities = tx.ws.opportunities.values().filter(|o| o.owner == *id).count();
            if customers + opportunities > 0 {
                return Err(EditError::PersonOwnsRecords { customers, opportunities });
            }
            let activities = tx.ws.activities.values().filter(|a| a.by == *id).count();
            let tasks = tx.ws.tasks.values().filter(|t| t.assignee == *id).count();
            if activities + tasks > 0 {
                return Err(EditError::PersonHasWork { activities, tasks });
            }
            // The unit they managed becomes vacant rather than broken.
            let managed: Vec<Unit> = tx.ws.units.values().filter(|u| u.manager == Some(*id)).cloned().collect();
            for mut u in managed {
                u.manager = None;
                tx.put(u);
            }
            purge_owner(tx, *id)?;
            perf::purge(tx, *id);
            tx.delete::<Person>(*id);
        }
        Edit::AddSkill { id, name } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.skills.len() >= MAX_SKILLS {
                return Err(EditError::Limit { kind: Kind::Skill, max: MAX_SKILLS });
            }
            check_name(name)?;
            let order = tx.ws.skills.values().map(|s| s.order + 1).max().unwrap_or(0);
            tx.put(Skill { id: *id, rev: 0, updated_at: tx.now, name: name.clone(), order });
        }
        Edit::RenameSkill { id, name } => {
            check_name(name)?;
            let mut sk = tx.ws.skills.get(id).ok_or(EditError::NotFound { kind: Kind::Skill, id: *id })?.clone();
            sk.name = name.clone();
            tx.put(sk);
        }
        Edit::RemoveSkill { id } => {
            if !tx.ws.skills.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Skill, id: *id });
            }
            let rated: Vec<Person> = tx.ws.people.values().filter(|p| p.skills.contains_key(id)).cloned().collect();
            for mut p in rated {
                p.skills.remove(id);
                tx.put(p);
            }
            tx.delete::<Skill>(*id);
        }
        Edit::SetRating { person: pid, skill, rating } => {
            let mut p = person(tx.ws, *pid)?.clone();
            if !tx.ws.skills.contains_key(skill) {
                return Err(EditError::NotFound { kind: Kind::Skill, id: *skill });
            }
            match rating {
                Some(r) if !(1..=5).contains(r) => return Err(EditError::BadRating { rating: *r }),
                Some(r) => {
                    if p.skills.insert(*skill, *r) == Some(*r) {
                        return Ok(());
                    }
                }
                None => {
                    if p.skills.remove(skill).is_none() {
                        return Ok(());
                    }
                }
            }
            tx.put(p);
        }
        Edit::AddGrade { id, tier: tid, name, rules } => {
            check_new_id(tx.ws, *id)?;
            tier(tx.ws, *tid)?;
            check_name(name)?;
            check_rules(rules)?;
            let existing = tx.ws.grades_of(*tid);
            if existing.len() >= MAX_GRADES_PER_TIER {
                return Err(EditError::Limit { kind: Kind::Grade, max: MAX_GRADES_PER_TIER });
            }
            let rank = existing.iter().map(|g| g.rank + 1).max().unwrap_or(0);
            tx.put(Grade { id: *id, rev: 0, updated_at: tx.now, tier: *tid, name: name.clone(), rank, rules: rules.clone() });
        }
        Edit::UpdateGrade { id, name, rules } => {
            check_name(name)?;
            check_rules(rules)?;
            let mut g = tx.ws.grades.get(id).ok_or(EditError::NotFound { kind: Kind::Grade, id: *id })?.clone();
            g.name = name.clone();
            g.rules = rules.clone();
            tx.put(g);
        }
        Edit::RemoveGrade { id } => {
            if !tx.ws.grades.contains_key(id) {
                return Err(EditError::NotFound { kind: Kind::Grade, id: *id });
            }
            let holders: Vec<Person> = tx.ws.people.values().filter(|p| p.grade == Some(*id)).cloned().collect();
            for mut p in holders {
                p.grade = None;
                tx.put(p);
            }
            tx.delete::<Grade>(*id);
        }
        Edit::RecordPromotion { person: pid, grade, note } => {
            let mut p = person(tx.ws, *pid)?.clone();
            let g = tx.ws.grades.get(grade).ok_or(EditError::NotFound { kind: Kind::Grade, id: *grade })?;
            if g.tier != p.tier {
                return Err(EditError::GradeOfOtherTier);
            }
            check_len("notes", note.chars().count(), MAX_SHORT_TEXT_CHARS)?;
            let from = p.grade;
            push_history(&mut p, PersonEvent::Promoted { from, to: *grade }, tx.now, note.trim());
            p.grade = Some(*grade);
            tx.put(p);
        }
        _ => unreachable!("not an org edit"),
    }
    Ok(())
}

fn check_person_fields(ws: &Workspace, f: &PersonFields) -> Result<(), EditError> {
    check_name(&f.name)?;
    check_len("title", f.title.max_chars(), MAX_NAME_CHARS)?;
    check_len("email", f.email.chars().count(), MAX_SHORT_TEXT_CHARS)?;
    check_len("phone", f.phone.chars().count(), MAX_SHORT_TEXT_CHARS)?;
    check_len("notes", f.notes.chars().count(), MAX_NOTE_CHARS)?;
    if !ws.tiers.contains_key(&f.tier) {
        return Err(EditError::NotFound { kind: Kind::Tier, id: f.tier });
    }
    Ok(())
}

pub(super) fn unit(ws: &Workspace, id: Id) -> Result<&Unit, EditError> {
    ws.units.get(&id).ok_or(EditError::NotFound { kind: Kind::Unit, id })
}

pub(super) fn person(ws: &Workspace, id: Id) -> Result<&Person, EditError> {
    ws.people.get(&id).ok_or(EditError::NotFound { kind: Kind::Person, id })
}

fn tier(ws: &Workspace, id: Id) -> Result<&Tier, EditError> {
    ws.tiers.get(&id).ok_or(EditError::NotFound { kind: Kind::Tier, id })
}

fn depth_of(ws: &Workspace, id: Id) -> usize {
    let mut d = 0;
    let mut cur = Some(id);
    while let Some(c) = cur {
        d += 1;
        if d > ws.units.len() + 1 {
            break;
        }
        cur = ws.units.get(&c).and_then(|u| u.parent);
    }
    d
}

fn subtree_height(ws: &Workspace, id: Id) -> usize {
    let kids = crate::engine::org::children_map(ws);
    fn go(kids: &crate::engine::org::IdMap<Vec<Id>>, id: Id, guard: usize) -> usize {
        if guard == 0 {
            return 0;
        }
        1 + kids.get(&id).map(|c| c.iter().map(|k| go(kids, *k, guard - 1)).max().unwrap_or(0)).unwrap_or(0)
    }
    go(&kids, id, MAX_DEPTH + 2)
}

/// Appends to a person's history, keeping the newest `MAX_HISTORY` entries.
fn push_history(p: &mut Person, event: PersonEvent, at: DateTime<Utc>, note: &str) {
    p.history.push(HistoryEntry { at, event, note: note.to_string() });
    let extra = p.history.len().saturating_sub(MAX_HISTORY);
    if extra > 0 {
        p.history.drain(0..extra);
    }
}

/// Re-checks the manager-above-members rule for the units an edit touched.
fn check_units(ws: &Workspace, units: impl IntoIterator<Item = Id>) -> Result<(), EditError> {
    for u in units {
        if crate::engine::validate::unit_tier_conflict(ws, u).is_some() {
            return Err(EditError::ManagerTierNotAbove { unit: ws.units[&u].name.clone() });
        }
    }
    Ok(())
}

fn check_rules(rules: &[Rule]) -> Result<(), EditError> {
    if rules.len() > MAX_RULES_PER_GRADE {
        return Err(EditError::TooLong { field: "rules", len: rules.len(), max: MAX_RULES_PER_GRADE });
    }
    for r in rules {
        if r.min < 0 || r.min > crate::engine::validate::MAX_AMOUNT {
            return Err(EditError::RuleOutOfRange);
        }
    }
    Ok(())
}

fn check_duties(duties: &[Text]) -> Result<(), EditError> {
    if duties.len() > MAX_DUTIES_PER_TIER {
        return Err(EditError::TooLong { field: "duties", len: duties.len(), max: MAX_DUTIES_PER_TIER });
    }
    for d in duties {
        check_len("duties", d.max_chars(), MAX_SHORT_TEXT_CHARS)?;
    }
    Ok(())
}

fn person_from(id: Id, unit: Id, f: PersonFields, now: DateTime<Utc>) -> Person {
    Person {
        id,
        rev: 0,
        updated_at: now,
        name: f.name,
        title: f.title,
        tier: f.tier,
        unit,
        email: f.email.trim().to_string(),
        phone: f.phone.trim().to_string(),
        hire_date: f.hire_date,
        status: f.status,
        notes: f.notes,
        skills: BTreeMap::new(),
        grade: None,
        history: Vec::new(),
    }
}
