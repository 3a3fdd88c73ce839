//! The one edit path. Every change to a workspace is an [`Edit`] applied by
//! [`apply`], which validates it and returns a [`Patch`] that undoes it.
//! Applying a patch returns the patch that redoes it, so undo and redo are
//! the same operation.

use crate::engine::org::is_ancestor_or_self;
use crate::engine::validate::{kind_name, valid_currency};
use crate::i18n::Lang;
use crate::limits::*;
use crate::model::*;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashSet, VecDeque};

/// The editable fields of a person (everything but id, unit and bookkeeping).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFields {
    pub name: Text,
    pub title: Text,
    pub tier: Id,
    pub email: String,
    pub phone: String,
    pub hire_date: Option<NaiveDate>,
    pub status: Status,
    pub notes: String,
}

/// Partial settings update: `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsPatch {
    pub workspace_name: Option<String>,
    pub language: Option<Lang>,
    pub currency: Option<String>,
    pub fiscal_year_start_month: Option<u8>,
}

/// A change to the document. Ids of new records are chosen by the caller,
/// so an edit is a plain value that can be replayed, logged or sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    UpdateSettings(SettingsPatch),
    AddTier {
        id: Id,
        name: Text,
        duties: Vec<Text>,
    },
    UpdateTier {
        id: Id,
        name: Text,
        duties: Vec<Text>,
    },
    /// Moves a tier to position `order` (0 = top) and renumbers the rest.
    MoveTier {
        id: Id,
        order: u32,
    },
    RemoveTier {
        id: Id,
    },
    /// `parent: None` creates the root, allowed only in a workspace without units.
    AddUnit {
        id: Id,
        name: Text,
        parent: Option<Id>,
    },
    RenameUnit {
        id: Id,
        name: Text,
    },
    /// Moves a unit with its whole subtree under a new parent.
    MoveUnit {
        id: Id,
        parent: Id,
    },
    /// Refused while the unit has members or child units.
    DeleteUnit {
        id: Id,
    },
    SetManager {
        unit: Id,
        person: Option<Id>,
    },
    AddPerson {
        id: Id,
        unit: Id,
        fields: PersonFields,
    },
    UpdatePerson {
        id: Id,
        fields: PersonFields,
    },
    MovePerson {
        id: Id,
        unit: Id,
    },
    DeletePerson {
        id: Id,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    NotFound {
        kind: Kind,
        id: Id,
    },
    IdTaken {
        id: Id,
    },
    BlankName,
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    Limit {
        kind: Kind,
        max: usize,
    },
    BadCurrency {
        code: String,
    },
    BadMonth {
        month: u8,
    },
    /// The root exists already, or a parent is missing.
    SecondRoot,
    RootCannotMove,
    WouldCycle {
        unit: String,
        target: String,
    },
    TooDeep {
        max: usize,
    },
    UnitNotEmpty {
        members: usize,
        children: usize,
    },
    TierInUse {
        people: usize,
    },
    ManagerNotMember,
    PersonManagesUnit {
        unit: String,
    },
}

impl EditError {
    pub fn message(&self, lang: Lang) -> String {
        use EditError::*;
        match self {
            NotFound { kind, id } => lang.pick(
                format!("找不到{} {}", kind_name(*kind, lang), id.short()),
                format!("{} {} not found", kind_name(*kind, lang), id.short()),
            ),
            IdTaken { id } => lang.pick(format!("id {} 已被使用", id.short()), format!("id {} is already used", id.short())),
            BlankName => lang.pick("名称不能为空".into(), "the name cannot be empty".into()),
            TooLong { field, len, max } => lang.pick(
                format!("{field} 长度为 {len} 字符，上限 {max}"),
                format!("{field} is {len} characters long, the limit is {max}"),
            ),
            Limit { kind, max } => lang.pick(
                format!("{}数量已达上限 {max}", kind_name(*kind, lang)),
                format!("the limit of {max} {}s is reached", kind_name(*kind, lang)),
            ),
            BadCurrency { code } => lang.pick(
                format!("货币代码“{code}”无效，应为三个大写字母（如 CNY）"),
                format!("currency code “{code}” is invalid: use three capital letters (e.g. CNY)"),
            ),
            BadMonth { month } => lang.pick(format!("月份 {month} 无效，应为 1–12"), format!("month {month} is invalid: use 1–12")),
            SecondRoot => lang.pick("组织树只能有一个根单元".into(), "the org tree can have only one root unit".into()),
            RootCannotMove => lang.pick("根单元不能移动".into(), "the root unit cannot be moved".into()),
            WouldCycle { unit, target } => lang.pick(
                format!("不能把“{unit}”移到“{target}”之下：“{target}”是它自己或它的下级"),
                format!("cannot move “{unit}” under “{target}”: “{target}” is the unit itself or one of its descendants"),
            ),
            TooDeep { max } => lang.pick(format!("组织树不能超过 {max} 层"), format!("the org tree cannot be deeper than {max} levels")),
            UnitNotEmpty { members, children } => lang.pick(
                format!("该单元还有 {members} 名成员和 {children} 个下级单元，请先移走"),
                format!("the unit still has {members} members and {children} sub-units: move them first"),
            ),
            TierInUse { people } => lang.pick(
                format!("仍有 {people} 人属于该层级，请先调整他们的层级"),
                format!("{people} people still hold this tier: reassign them first"),
            ),
            ManagerNotMember => lang.pick("负责人必须是该单元的成员".into(), "the manager must be a member of the unit".into()),
            PersonManagesUnit { unit } => lang.pick(
                format!("此人是“{unit}”的负责人，请先更换负责人"),
                format!("this person manages “{unit}”: appoint another manager first"),
            ),
        }
    }
}

/// The state of one record before an edit touched it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Prior {
    Settings(Box<Settings>),
    Tier(Id, Option<Box<Tier>>),
    Unit(Id, Option<Box<Unit>>),
    Person(Id, Option<Box<Person>>),
    Tomb(Id, Option<Tombstone>),
}

/// Restores the records an edit touched. Applying it returns its inverse.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Patch {
    priors: Vec<Prior>,
}

impl Patch {
    pub fn is_empty(&self) -> bool {
        self.priors.is_empty()
    }

    /// Puts every touched record back as it was and returns the patch that
    /// reverses this one. Each record appears once, so order does not matter.
    pub fn apply(self, ws: &mut Workspace) -> Patch {
        let mut inverse = Vec::with_capacity(self.priors.len());
        for prior in self.priors {
            inverse.push(restore(ws, prior));
        }
        Patch { priors: inverse }
    }
}

fn put_or_remove<T>(
    map: &mut std::collections::BTreeMap<Id, T>,
    id: Id,
    v: Option<T>,
) -> Option<T> {
    match v {
        Some(v) => map.insert(id, v),
        None => map.remove(&id),
    }
}

fn restore(ws: &mut Workspace, prior: Prior) -> Prior {
    match prior {
        Prior::Settings(s) => Prior::Settings(Box::new(std::mem::replace(&mut ws.settings, *s))),
        Prior::Tier(id, v) => Prior::Tier(
            id,
            put_or_remove(&mut ws.tiers, id, v.map(|b| *b)).map(Box::new),
        ),
        Prior::Unit(id, v) => Prior::Unit(
            id,
            put_or_remove(&mut ws.units, id, v.map(|b| *b)).map(Box::new),
        ),
        Prior::Person(id, v) => Prior::Person(
            id,
            put_or_remove(&mut ws.people, id, v.map(|b| *b)).map(Box::new),
        ),
        Prior::Tomb(id, v) => Prior::Tomb(id, put_or_remove(&mut ws.tombstones, id, v)),
    }
}

/// A transaction over the workspace: records priors on first touch, bumps
/// revisions once per edit, and rolls back on error.
struct Tx<'a> {
    ws: &'a mut Workspace,
    now: DateTime<Utc>,
    priors: Vec<Prior>,
    touched: HashSet<(u8, Id)>,
}

impl<'a> Tx<'a> {
    fn first_touch(&mut self, tag: u8, id: Id) -> bool {
        self.touched.insert((tag, id))
    }

    /// Revision a record gets from this edit: one above the revision it had
    /// before the edit (or above its tombstone), however often it is touched.
    fn next_rev(prior_rev: Option<u64>) -> u64 {
        prior_rev.unwrap_or(0) + 1
    }

    fn prior_rev_of<T>(
        &self,
        pick: impl Fn(&Prior) -> Option<Option<&T>>,
        rev: impl Fn(&T) -> u64,
    ) -> Option<u64> {
        self.priors
            .iter()
            .find_map(|p| pick(p))
            .and_then(|o| o.map(rev))
    }

    fn settings(&mut self, f: impl FnOnce(&mut Settings)) {
        if self.first_touch(0, self.ws.meta.id) {
            self.priors
                .push(Prior::Settings(Box::new(self.ws.settings.clone())));
        }
        let prior_rev = self.priors.iter().find_map(|p| match p {
            Prior::Settings(s) => Some(s.rev),
            _ => None,
        });
        f(&mut self.ws.settings);
        self.ws.settings.rev = Self::next_rev(prior_rev);
        self.ws.settings.updated_at = self.now;
    }

    fn put_tier(&mut self, mut t: Tier) {
        if self.first_touch(1, t.id) {
            let old = self.ws.tiers.get(&t.id).cloned().map(Box::new);
            self.priors.push(Prior::Tier(t.id, old));
        }
        let id = t.id;
        t.rev = Self::next_rev(self.prior_rev_of(
            |p| match p {
                Prior::Tier(i, v) if *i == id => Some(v.as_deref()),
                _ => None,
            },
            |x: &Tier| x.rev,
        ));
        t.updated_at = self.now;
        self.ws.tiers.insert(t.id, t);
    }

    fn put_unit(&mut self, mut u: Unit) {
        if self.first_touch(2, u.id) {
            let old = self.ws.units.get(&u.id).cloned().map(Box::new);
            self.priors.push(Prior::Unit(u.id, old));
        }
        let id = u.id;
        u.rev = Self::next_rev(self.prior_rev_of(
            |p| match p {
                Prior::Unit(i, v) if *i == id => Some(v.as_deref()),
                _ => None,
            },
            |x: &Unit| x.rev,
        ));
        u.updated_at = self.now;
        self.ws.units.insert(u.id, u);
    }

    fn put_person(&mut self, mut p: Person) {
        if self.first_touch(3, p.id) {
            let old = self.ws.people.get(&p.id).cloned().map(Box::new);
            self.priors.push(Prior::Person(p.id, old));
        }
        let id = p.id;
        p.rev = Self::next_rev(self.prior_rev_of(
            |x| match x {
                Prior::Person(i, v) if *i == id => Some(v.as_deref()),
                _ => None,
            },
            |x: &Person| x.rev,
        ));
        p.updated_at = self.now;
        self.ws.people.insert(p.id, p);
    }

    fn bury(&mut self, id: Id, kind: Kind, last_rev: u64) {
        if self.first_touch(4, id) {
            let old = self.ws.tombstones.get(&id).cloned();
            self.priors.push(Prior::Tomb(id, old));
        }
        self.ws.tombstones.insert(
            id,
            Tombstone {
                id,
                kind,
                rev: last_rev + 1,
                deleted_at: self.now,
            },
        );
    }

    fn delete_tier(&mut self, id: Id) {
        if let Some(t) = self.ws.tiers.get(&id).cloned() {
            if self.first_touch(1, id) {
                self.priors.push(Prior::Tier(id, Some(Box::new(t.clone()))));
            }
            self.ws.tiers.remove(&id);
            self.bury(id, Kind::Tier, t.rev);
        }
    }

    fn delete_unit(&mut self, id: Id) {
        if let Some(u) = self.ws.units.get(&id).cloned() {
            if self.first_touch(2, id) {
                self.priors.push(Prior::Unit(id, Some(Box::new(u.clone()))));
            }
            self.ws.units.remove(&id);
            self.bury(id, Kind::Unit, u.rev);
        }
    }

    fn delete_person(&mut self, id: Id) {
        if let Some(p) = self.ws.people.get(&id).cloned() {
            if self.first_touch(3, id) {
                self.priors
                    .push(Prior::Person(id, Some(Box::new(p.clone()))));
            }
            self.ws.people.remove(&id);
            self.bury(id, Kind::Person, p.rev);
        }
    }

    fn rollback(self) {
        Patch {
            priors: self.priors,
        }
        .apply(self.ws);
    }
}

fn check_name(name: &Text) -> Result<(), EditError> {
    if name.is_blank() {
        return Err(EditError::BlankName);
    }
    check_len("name", name.max_chars(), MAX_NAME_CHARS)
}

fn check_len(field: &'static str, len: usize, max: usize) -> Result<(), EditError> {
    if len > max {
        Err(EditError::TooLong { field, len, max })
    } else {
        Ok(())
    }
}

fn check_new_id(ws: &Workspace, id: Id) -> Result<(), EditError> {
    if ws.tiers.contains_key(&id)
        || ws.units.contains_key(&id)
        || ws.people.contains_key(&id)
        || ws.tombstones.contains_key(&id)
    {
        Err(EditError::IdTaken { id })
    } else {
        Ok(())
    }
}

fn check_person_fields(ws: &Workspace, f: &PersonFields) -> Result<(), EditError> {
    check_name(&f.name)?;
    check_len("title", f.title.max_chars(), MAX_NAME_CHARS)?;
    check_len("email", f.email.chars().count(), MAX_SHORT_TEXT_CHARS)?;
    check_len("phone", f.phone.chars().count(), MAX_SHORT_TEXT_CHARS)?;
    check_len("notes", f.notes.chars().count(), MAX_NOTE_CHARS)?;
    if !ws.tiers.contains_key(&f.tier) {
        return Err(EditError::NotFound {
            kind: Kind::Tier,
            id: f.tier,
        });
    }
    Ok(())
}

fn unit(ws: &Workspace, id: Id) -> Result<&Unit, EditError> {
    ws.units.get(&id).ok_or(EditError::NotFound {
        kind: Kind::Unit,
        id,
    })
}

fn person(ws: &Workspace, id: Id) -> Result<&Person, EditError> {
    ws.people.get(&id).ok_or(EditError::NotFound {
        kind: Kind::Person,
        id,
    })
}

fn tier(ws: &Workspace, id: Id) -> Result<&Tier, EditError> {
    ws.tiers.get(&id).ok_or(EditError::NotFound {
        kind: Kind::Tier,
        id,
    })
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
    fn go(kids: &std::collections::HashMap<Id, Vec<Id>>, id: Id, guard: usize) -> usize {
        if guard == 0 {
            return 0;
        }
        1 + kids
            .get(&id)
            .map(|c| c.iter().map(|k| go(kids, *k, guard - 1)).max().unwrap_or(0))
            .unwrap_or(0)
    }
    go(&kids, id, MAX_DEPTH + 2)
}

/// Applies one edit. On success the document is valid again and the
/// returned patch undoes the edit; on error the document is unchanged.
pub fn apply(ws: &mut Workspace, edit: &Edit, now: DateTime<Utc>) -> Result<Patch, EditError> {
    let mut tx = Tx {
        ws,
        now,
        priors: Vec::new(),
        touched: HashSet::new(),
    };
    match run(&mut tx, edit) {
        Ok(()) => Ok(Patch { priors: tx.priors }),
        Err(e) => {
            tx.rollback();
            Err(e)
        }
    }
}

fn run(tx: &mut Tx, edit: &Edit) -> Result<(), EditError> {
    match edit {
        Edit::UpdateSettings(p) => {
            if let Some(n) = &p.workspace_name {
                check_name(&Text::both(n.clone()))?;
            }
            if let Some(c) = &p.currency {
                if !valid_currency(c) {
                    return Err(EditError::BadCurrency {
                        code: c.chars().take(20).collect(),
                    });
                }
            }
            if let Some(m) = p.fiscal_year_start_month {
                if !(1..=12).contains(&m) {
                    return Err(EditError::BadMonth { month: m });
                }
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
            });
        }
        Edit::AddTier { id, name, duties } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.tiers.len() >= MAX_TIERS {
                return Err(EditError::Limit {
                    kind: Kind::Tier,
                    max: MAX_TIERS,
                });
            }
            check_name(name)?;
            check_duties(duties)?;
            let order = tx.ws.tiers.values().map(|t| t.order + 1).max().unwrap_or(0);
            tx.put_tier(Tier {
                id: *id,
                rev: 0,
                updated_at: tx.now,
                name: name.clone(),
                order,
                duties: duties.clone(),
            });
        }
        Edit::UpdateTier { id, name, duties } => {
            check_name(name)?;
            check_duties(duties)?;
            let mut t = tier(tx.ws, *id)?.clone();
            t.name = name.clone();
            t.duties = duties.clone();
            tx.put_tier(t);
        }
        Edit::MoveTier { id, order } => {
            tier(tx.ws, *id)?;
            let mut ordered: Vec<Id> = tx
                .ws
                .tiers_in_order()
                .iter()
                .map(|t| t.id)
                .filter(|t| t != id)
                .collect();
            let pos = (*order as usize).min(ordered.len());
            ordered.insert(pos, *id);
            for (i, tid) in ordered.into_iter().enumerate() {
                let t = &tx.ws.tiers[&tid];
                if t.order != i as u32 {
                    let mut t = t.clone();
                    t.order = i as u32;
                    tx.put_tier(t);
                }
            }
        }
        Edit::RemoveTier { id } => {
            tier(tx.ws, *id)?;
            let people = tx.ws.people.values().filter(|p| p.tier == *id).count();
            if people > 0 {
                return Err(EditError::TierInUse { people });
            }
            tx.delete_tier(*id);
        }
        Edit::AddUnit { id, name, parent } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.units.len() >= MAX_UNITS {
                return Err(EditError::Limit {
                    kind: Kind::Unit,
                    max: MAX_UNITS,
                });
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
            let order = tx
                .ws
                .units
                .values()
                .filter(|u| u.parent == *parent)
                .map(|u| u.order + 1)
                .max()
                .unwrap_or(0);
            tx.put_unit(Unit {
                id: *id,
                rev: 0,
                updated_at: tx.now,
                name: name.clone(),
                parent: *parent,
                manager: None,
                order,
            });
        }
        Edit::RenameUnit { id, name } => {
            check_name(name)?;
            let mut u = unit(tx.ws, *id)?.clone();
            u.name = name.clone();
            tx.put_unit(u);
        }
        Edit::MoveUnit { id, parent } => {
            let u = unit(tx.ws, *id)?.clone();
            let target = unit(tx.ws, *parent)?.clone();
            if u.parent.is_none() {
                return Err(EditError::RootCannotMove);
            }
            if is_ancestor_or_self(tx.ws, u.id, target.id) {
                return Err(EditError::WouldCycle {
                    unit: label(&u.name),
                    target: label(&target.name),
                });
            }
            if depth_of(tx.ws, target.id) + subtree_height(tx.ws, u.id) > MAX_DEPTH {
                return Err(EditError::TooDeep { max: MAX_DEPTH });
            }
            if u.parent == Some(*parent) {
                return Ok(());
            }
            let order = tx
                .ws
                .units
                .values()
                .filter(|x| x.parent == Some(*parent))
                .map(|x| x.order + 1)
                .max()
                .unwrap_or(0);
            let mut u = u;
            u.parent = Some(*parent);
            u.order = order;
            tx.put_unit(u);
        }
        Edit::DeleteUnit { id } => {
            unit(tx.ws, *id)?;
            let members = tx.ws.people.values().filter(|p| p.unit == *id).count();
            let children = tx
                .ws
                .units
                .values()
                .filter(|u| u.parent == Some(*id))
                .count();
            if members > 0 || children > 0 {
                return Err(EditError::UnitNotEmpty { members, children });
            }
            tx.delete_unit(*id);
        }
        Edit::SetManager {
            unit: uid,
            person: pid,
        } => {
            let mut u = unit(tx.ws, *uid)?.clone();
            if let Some(pid) = pid {
                let p = person(tx.ws, *pid)?;
                if p.unit != *uid {
                    return Err(EditError::ManagerNotMember);
                }
            }
            if u.manager != *pid {
                u.manager = *pid;
                tx.put_unit(u);
            }
        }
        Edit::AddPerson {
            id,
            unit: uid,
            fields,
        } => {
            check_new_id(tx.ws, *id)?;
            if tx.ws.people.len() >= MAX_PEOPLE {
                return Err(EditError::Limit {
                    kind: Kind::Person,
                    max: MAX_PEOPLE,
                });
            }
            unit(tx.ws, *uid)?;
            check_person_fields(tx.ws, fields)?;
            tx.put_person(person_from(*id, *uid, fields.clone(), tx.now));
        }
        Edit::UpdatePerson { id, fields } => {
            let old = person(tx.ws, *id)?.clone();
            check_person_fields(tx.ws, fields)?;
            tx.put_person(person_from(*id, old.unit, fields.clone(), tx.now));
        }
        Edit::MovePerson { id, unit: uid } => {
            let mut p = person(tx.ws, *id)?.clone();
            unit(tx.ws, *uid)?;
            if p.unit == *uid {
                return Ok(());
            }
            if let Some(managed) = tx.ws.units.values().find(|u| u.manager == Some(*id)) {
                return Err(EditError::PersonManagesUnit {
                    unit: label(&managed.name),
                });
            }
            p.unit = *uid;
            tx.put_person(p);
        }
        Edit::DeletePerson { id } => {
            person(tx.ws, *id)?;
            // The unit they managed becomes vacant rather than broken.
            let managed: Vec<Unit> = tx
                .ws
                .units
                .values()
                .filter(|u| u.manager == Some(*id))
                .cloned()
                .collect();
            for mut u in managed {
                u.manager = None;
                tx.put_unit(u);
            }
            tx.delete_person(*id);
        }
    }
    Ok(())
}

fn check_duties(duties: &[Text]) -> Result<(), EditError> {
    if duties.len() > MAX_DUTIES_PER_TIER {
        return Err(EditError::TooLong {
            field: "duties",
            len: duties.len(),
            max: MAX_DUTIES_PER_TIER,
        });
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
    }
}

/// "华东大区 / East China" when the two differ, else the one name.
fn label(t: &Text) -> String {
    let (zh, en) = (t.get(Lang::Zh), t.get(Lang::En));
    if zh == en {
        zh.to_string()
    } else {
        format!("{zh} / {en}")
    }
}

impl PersonFields {
    pub fn of(p: &Person) -> PersonFields {
        PersonFields {
            name: p.name.clone(),
            title: p.title.clone(),
            tier: p.tier,
            email: p.email.clone(),
            phone: p.phone.clone(),
            hire_date: p.hire_date,
            status: p.status,
            notes: p.notes.clone(),
        }
    }
}

/// Undo / redo stacks of patches.
#[derive(Clone, Debug)]
pub struct History {
    undo: VecDeque<Patch>,
    redo: Vec<Patch>,
    limit: usize,
}

pub const HISTORY_LIMIT: usize = 200;

impl Default for History {
    fn default() -> Self {
        History {
            undo: VecDeque::new(),
            redo: Vec::new(),
            limit: HISTORY_LIMIT,
        }
    }
}

impl History {
    pub fn with_limit(limit: usize) -> History {
        History {
            limit,
            ..History::default()
        }
    }

    /// Records a successful edit's patch; clears the redo stack.
    pub fn record(&mut self, patch: Patch) {
        if patch.is_empty() {
            return;
        }
        self.undo.push_back(patch);
        while self.undo.len() > self.limit {
            self.undo.pop_front();
        }
        self.redo.clear();
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }

    pub fn undo(&mut self, ws: &mut Workspace) -> bool {
        match self.undo.pop_back() {
            Some(p) => {
                self.redo.push(p.apply(ws));
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self, ws: &mut Workspace) -> bool {
        match self.redo.pop() {
            Some(p) => {
                self.undo.push_back(p.apply(ws));
                true
            }
            None => false,
        }
    }

    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}
