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
use std::collections::{BTreeMap, HashSet, VecDeque};

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
    /// Removes a tier. While people hold it, `reassign_to` must name the
    /// tier they move to; the removed tier's grades go with it.
    RemoveTier {
        id: Id,
        reassign_to: Option<Id>,
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
    AddSkill {
        id: Id,
        name: Text,
    },
    RenameSkill {
        id: Id,
        name: Text,
    },
    /// Removes the skill and every rating of it.
    RemoveSkill {
        id: Id,
    },
    /// Rates a person on a skill (1–5), or clears the rating.
    SetRating {
        person: Id,
        skill: Id,
        rating: Option<u8>,
    },
    /// Adds a grade on top of the tier's ladder.
    AddGrade {
        id: Id,
        tier: Id,
        name: Text,
        rules: Vec<Rule>,
    },
    UpdateGrade {
        id: Id,
        name: Text,
        rules: Vec<Rule>,
    },
    /// Removes a grade; people who had it recorded keep their history.
    RemoveGrade {
        id: Id,
    },
    /// Records a promotion to `grade` (of the person's tier) in their history.
    RecordPromotion {
        person: Id,
        grade: Id,
        note: String,
    },
    /// Several edits as one step: all apply, or none (one undo step).
    Batch {
        edits: Vec<Edit>,
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
    /// A unit's manager must be in a higher tier than its other members.
    ManagerTierNotAbove {
        unit: String,
    },
    BadRating {
        rating: u8,
    },
    GradeOfOtherTier,
    SameTier,
    RuleOutOfRange,
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
            TooLong { field, len, max } => {
                lang.pick(format!("{field} 长度为 {len} 字符，上限 {max}"), format!("{field} is {len} characters long, the limit is {max}"))
            }
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
            ManagerTierNotAbove { unit } => lang.pick(
                format!("“{unit}”的负责人必须比该单元其他成员的层级更高"),
                format!("the manager of “{unit}” must be in a higher tier than its other members"),
            ),
            BadRating { rating } => lang.pick(format!("评分 {rating} 无效，应为 1–5"), format!("rating {rating} is invalid: use 1–5")),
            GradeOfOtherTier => lang.pick("该职级不属于此人的层级".into(), "that grade belongs to another tier".into()),
            RuleOutOfRange => {
                lang.pick("规则阈值须为非负数且在合理范围内".into(), "a rule threshold must be zero or more and within range".into())
            }
            SameTier => lang.pick("不能把人员转到被删除的同一层级".into(), "people cannot be reassigned to the tier being removed".into()),
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
    Skill(Id, Option<Box<Skill>>),
    Grade(Id, Option<Box<Grade>>),
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

fn put_or_remove<T>(map: &mut BTreeMap<Id, T>, id: Id, v: Option<T>) -> Option<T> {
    match v {
        Some(v) => map.insert(id, v),
        None => map.remove(&id),
    }
}

fn swap<R: Record>(ws: &mut Workspace, id: Id, v: Option<Box<R>>) -> Prior {
    R::prior(id, put_or_remove(R::table(ws), id, v.map(|b| *b)).map(Box::new))
}

fn restore(ws: &mut Workspace, prior: Prior) -> Prior {
    match prior {
        Prior::Settings(s) => Prior::Settings(Box::new(std::mem::replace(&mut ws.settings, *s))),
        Prior::Tier(id, v) => swap(ws, id, v),
        Prior::Unit(id, v) => swap(ws, id, v),
        Prior::Person(id, v) => swap(ws, id, v),
        Prior::Skill(id, v) => swap(ws, id, v),
        Prior::Grade(id, v) => swap(ws, id, v),
        Prior::Tomb(id, v) => Prior::Tomb(id, put_or_remove(&mut ws.tombstones, id, v)),
    }
}

/// What the transaction needs to know of each record type.
trait Record: Clone {
    const KIND: Kind;
    fn id(&self) -> Id;
    fn rev(&self) -> u64;
    fn stamp(&mut self, rev: u64, at: DateTime<Utc>);
    fn table(ws: &mut Workspace) -> &mut BTreeMap<Id, Self>;
    fn prior(id: Id, v: Option<Box<Self>>) -> Prior;
    fn unprior(p: &Prior, id: Id) -> Option<Option<&Self>>;
}

macro_rules! record {
    ($ty:ident, $kind:ident, $field:ident) => {
        impl Record for $ty {
            const KIND: Kind = Kind::$kind;
            fn id(&self) -> Id {
                self.id
            }
            fn rev(&self) -> u64 {
                self.rev
            }
            fn stamp(&mut self, rev: u64, at: DateTime<Utc>) {
                self.rev = rev;
                self.updated_at = at;
            }
            fn table(ws: &mut Workspace) -> &mut BTreeMap<Id, Self> {
                &mut ws.$field
            }
            fn prior(id: Id, v: Option<Box<Self>>) -> Prior {
                Prior::$kind(id, v)
            }
            fn unprior(p: &Prior, id: Id) -> Option<Option<&Self>> {
                match p {
                    Prior::$kind(i, v) if *i == id => Some(v.as_deref()),
                    _ => None,
                }
            }
        }
    };
}

record!(Tier, Tier, tiers);
record!(Unit, Unit, units);
record!(Person, Person, people);
record!(Skill, Skill, skills);
record!(Grade, Grade, grades);

/// A transaction over the workspace: records priors on first touch, bumps
/// revisions once per edit, and rolls back on error.
struct Tx<'a> {
    ws: &'a mut Workspace,
    now: DateTime<Utc>,
    priors: Vec<Prior>,
    touched: HashSet<(Option<Kind>, Id)>,
}

impl<'a> Tx<'a> {
    fn settings(&mut self, f: impl FnOnce(&mut Settings)) {
        if self.touched.insert((None, self.ws.meta.id)) {
            self.priors.push(Prior::Settings(Box::new(self.ws.settings.clone())));
        }
        let prior_rev = self.priors.iter().find_map(|p| match p {
            Prior::Settings(s) => Some(s.rev),
            _ => None,
        });
        f(&mut self.ws.settings);
        self.ws.settings.rev = prior_rev.unwrap_or(0) + 1;
        self.ws.settings.updated_at = self.now;
    }

    fn remember<R: Record>(&mut self, id: Id) {
        if self.touched.insert((Some(R::KIND), id)) {
            let old = R::table(self.ws).get(&id).cloned().map(Box::new);
            self.priors.push(R::prior(id, old));
        }
    }

    /// Inserts or replaces a record. Its revision becomes one above what it
    /// had before this edit, however often the edit touches it.
    fn put<R: Record>(&mut self, mut r: R) {
        let id = r.id();
        self.remember::<R>(id);
        let prior_rev = self.priors.iter().find_map(|p| R::unprior(p, id)).flatten().map(|x| x.rev());
        r.stamp(prior_rev.unwrap_or(0) + 1, self.now);
        R::table(self.ws).insert(id, r);
    }

    /// Removes a record and leaves a tombstone.
    fn delete<R: Record>(&mut self, id: Id) {
        let Some(r) = R::table(self.ws).get(&id).cloned() else { return };
        self.remember::<R>(id);
        R::table(self.ws).remove(&id);
        if self.touched.insert((None, id)) {
            let old = self.ws.tombstones.get(&id).cloned();
            self.priors.push(Prior::Tomb(id, old));
        }
        self.ws.tombstones.insert(id, Tombstone { id, kind: R::KIND, rev: r.rev() + 1, deleted_at: self.now });
    }

    fn rollback(self) {
        Patch { priors: self.priors }.apply(self.ws);
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
    if ws.tiers.contains_key(&id) || ws.units.contains_key(&id) || ws.people.contains_key(&id) || ws.tombstones.contains_key(&id) {
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
        return Err(EditError::NotFound { kind: Kind::Tier, id: f.tier });
    }
    Ok(())
}

fn unit(ws: &Workspace, id: Id) -> Result<&Unit, EditError> {
    ws.units.get(&id).ok_or(EditError::NotFound { kind: Kind::Unit, id })
}

fn person(ws: &Workspace, id: Id) -> Result<&Person, EditError> {
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
    fn go(kids: &std::collections::HashMap<Id, Vec<Id>>, id: Id, guard: usize) -> usize {
        if guard == 0 {
            return 0;
        }
        1 + kids.get(&id).map(|c| c.iter().map(|k| go(kids, *k, guard - 1)).max().unwrap_or(0)).unwrap_or(0)
    }
    go(&kids, id, MAX_DEPTH + 2)
}

/// Applies one edit. On success the document is valid again and the
/// returned patch undoes the edit; on error the document is unchanged.
pub fn apply(ws: &mut Workspace, edit: &Edit, now: DateTime<Utc>) -> Result<Patch, EditError> {
    let mut tx = Tx { ws, now, priors: Vec::new(), touched: HashSet::new() };
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
                    return Err(EditError::BadCurrency { code: c.chars().take(20).collect() });
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
                return Err(EditError::Limit { kind: Kind::Tier, max: MAX_TIERS });
            }
            check_name(name)?;
            check_duties(duties)?;
            let order = tx.ws.tiers.values().map(|t| t.order + 1).max().unwrap_or(0);
            tx.put(Tier { id: *id, rev: 0, updated_at: tx.now, name: name.clone(), order, duties: duties.clone() });
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
                return Err(EditError::ManagerTierNotAbove { unit: label(&tx.ws.units[unit].name) });
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
                return Err(EditError::WouldCycle { unit: label(&u.name), target: label(&target.name) });
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
        }
        Edit::DeleteUnit { id } => {
            unit(tx.ws, *id)?;
            let members = tx.ws.people.values().filter(|p| p.unit == *id).count();
            let children = tx.ws.units.values().filter(|u| u.parent == Some(*id)).count();
            if members > 0 || children > 0 {
                return Err(EditError::UnitNotEmpty { members, children });
            }
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
                return Err(EditError::PersonManagesUnit { unit: label(&managed.name) });
            }
            let from = p.unit;
            push_history(&mut p, PersonEvent::Moved { from, to: *uid }, tx.now, "");
            p.unit = *uid;
            tx.put(p);
            check_units(tx.ws, [*uid])?;
        }
        Edit::DeletePerson { id } => {
            person(tx.ws, *id)?;
            // The unit they managed becomes vacant rather than broken.
            let managed: Vec<Unit> = tx.ws.units.values().filter(|u| u.manager == Some(*id)).cloned().collect();
            for mut u in managed {
                u.manager = None;
                tx.put(u);
            }
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
        Edit::Batch { edits } => {
            for e in edits {
                run(tx, e)?;
            }
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
    }
    Ok(())
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
            return Err(EditError::ManagerTierNotAbove { unit: label(&ws.units[&u].name) });
        }
    }
    Ok(())
}

fn check_rules(rules: &[Rule]) -> Result<(), EditError> {
    if rules.len() > MAX_RULES_PER_GRADE {
        return Err(EditError::TooLong { field: "rules", len: rules.len(), max: MAX_RULES_PER_GRADE });
    }
    for r in rules {
        if r.min < 0 || r.min > crate::model::money::MAX_MONEY_UNITS * 100 {
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
        History { undo: VecDeque::new(), redo: Vec::new(), limit: HISTORY_LIMIT }
    }
}

impl History {
    pub fn with_limit(limit: usize) -> History {
        History { limit, ..History::default() }
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
