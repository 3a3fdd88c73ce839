//! Exchange between managers: branch files out, reviewed merges back in.
//!
//! A *branch* is one unit's subtree: its units and people and what is
//! anchored to them (plan lines, customers, deals, forecast calls, KPI
//! entries, pools), plus the shared definitions every branch needs, plus —
//! read-only — what the branch is given from above (its root unit and the
//! root's own target and budget lines). [`place`] is the one rule that says
//! where a record stands; export, the edit guard of a branch workspace and
//! the merge review all ask it.
//!
//! Conflicts are found with revisions: a branch file carries the revision
//! of every record it was issued with (`BranchInfo::base`); a record is
//! changed on a side when its revision there differs from that base (or
//! from what an earlier merge of the same branch already decided, kept in
//! the exchange log as `seen`). Changed on both sides, to different values:
//! a conflict for the user to decide.
//!
//! Moves across branches follow the branch *as issued*: a record that was
//! in the branch when the file was issued may be changed by the branch even
//! if the director has since moved it (say a team to another region): the
//! team's new place stays (the unit record is the director's), the
//! branch's edits to its people, deals and plan lines are applied, and a
//! record both changed is a conflict. Nothing either side did is dropped
//! without being shown.
//!
//! References a branch must not see (a person's move from a unit outside,
//! who outside the branch moved a deal, tool seats and plan members
//! outside) are written as [`NIL`] or left out, and restored from the
//! receiver's copy when the record comes back.

use crate::engine::merge::{self, MergeError};
use crate::engine::org::scope_units;
use crate::engine::validate::{validate, Names, Problem};
use crate::i18n::Lang;
use crate::model::*;
use crate::sort::{Arrange, Gather};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Stands for a record outside the branch in a branch file.
pub const NIL: Id = Id(uuid::Uuid::nil());

/// Where a record stands with respect to a branch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// Part of the branch: the branch may change it.
    Branch,
    /// Given from above (the root unit, its own target and budget lines):
    /// travels with the branch, read-only there.
    Given,
    /// A definition every branch shares (tiers, stages, settings…):
    /// read-only in a branch.
    Shared,
    /// Another branch's, or above: never in the file.
    Outside,
    /// Kept where it was made and never sent (scenarios, the exchange log).
    Local,
}

/// What a record hangs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Shared,
    Local,
    /// The unit or person it belongs to (None: nobody).
    Of(Option<Id>),
}

/// The rule: where a record stands, given what it hangs on, whether it is
/// one of the lines given from above, and who is in the branch.
pub fn place(anchor: Anchor, given: bool, member: &dyn Fn(Id) -> bool) -> Place {
    if given {
        return Place::Given;
    }
    match anchor {
        Anchor::Shared => Place::Shared,
        Anchor::Local => Place::Local,
        Anchor::Of(Some(a)) if member(a) => Place::Branch,
        Anchor::Of(_) => Place::Outside,
    }
}

/// The units and people of a branch.
#[derive(Clone, Debug)]
pub struct Members {
    pub root: Id,
    ids: HashSet<Id>,
}

impl Members {
    pub fn of(ws: &Workspace, root: Id) -> Members {
        let mut ids = scope_units(ws, root);
        ids.retain(|u| ws.units.contains_key(u));
        let people: Vec<Id> = ws.people.values().filter(|p| ids.contains(&p.unit)).map(|p| p.id).collect();
        ids.extend(people);
        Members { root, ids }
    }

    pub fn contains(&self, id: Id) -> bool {
        self.ids.contains(&id)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

// ---------------------------------------------------------------- records

/// Revision, time and table of a record kind.
trait Stamped: Clone + Serialize + PartialEq {
    const KIND: Kind;
    fn rev(&self) -> u64;
    fn at(&self) -> DateTime<Utc>;
    fn stamp(&mut self, rev: u64, at: DateTime<Utc>);
    fn get(ws: &Workspace) -> &BTreeMap<Id, Self>;
    fn get_mut(ws: &mut Workspace) -> &mut BTreeMap<Id, Self>;
}

macro_rules! stamped {
    ($ty:ident, $kind:ident, $($field:ident).+) => {
        impl Stamped for $ty {
            const KIND: Kind = Kind::$kind;
            fn rev(&self) -> u64 {
                self.rev
            }
            fn at(&self) -> DateTime<Utc> {
                self.updated_at
            }
            fn stamp(&mut self, rev: u64, at: DateTime<Utc>) {
                self.rev = rev;
                self.updated_at = at;
            }
            fn get(ws: &Workspace) -> &BTreeMap<Id, Self> {
                &ws.$($field).+
            }
            fn get_mut(ws: &mut Workspace) -> &mut BTreeMap<Id, Self> {
                &mut ws.$($field).+
            }
        }
    };
}

stamped!(Tier, Tier, tiers);
stamped!(Unit, Unit, units);
stamped!(Person, Person, people);
stamped!(Skill, Skill, skills);
stamped!(Grade, Grade, grades);
stamped!(TargetLine, Target, plan.targets);
stamped!(BudgetLine, Budget, plan.budgets);
stamped!(HeadcountPlan, Headcount, plan.headcount);
stamped!(Scenario, Scenario, scenarios);
stamped!(Category, Category, categories);
stamped!(Tool, Tool, tools);
stamped!(TimeSplit, TimeSplit, time_splits);
stamped!(Customer, Customer, customers);
stamped!(Stage, Stage, stages);
stamped!(Opportunity, Opportunity, opportunities);
stamped!(ForecastOverride, Override, overrides);
stamped!(ScorecardTemplate, Scorecard, scorecards);
stamped!(CustomKpi, Kpi, kpis);
stamped!(KpiEntry, KpiEntry, kpi_entries);
stamped!(IncentivePlan, IncentivePlan, incentive_plans);
stamped!(BonusPool, Pool, pools);
stamped!(Spif, Spif, spifs);
stamped!(ExchangeEntry, Exchange, exchange);
stamped!(KnownKey, Key, keys);
stamped!(Activity, Activity, activities);
stamped!(Task, Task, tasks);

/// A field shown in a review: its label and its value on each side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A record as the exchange sees it: what it hangs on, how it is named
/// and shown, and what of it a branch must not see.
trait Rec: Stamped {
    /// A definition every branch shares, unless it says otherwise.
    fn anchor(&self, _ws: &Workspace) -> Anchor {
        Anchor::Shared
    }
    fn given(&self, _root: Id) -> bool {
        false
    }
    /// The unit a change to it is listed under.
    fn unit(&self, _ws: &Workspace) -> Option<Id> {
        None
    }
    fn label(&self, ws: &Workspace, lang: Lang) -> String;
    /// The fields people care about, old → new (None: absent).
    fn fields(_old: &Self, _new: &Self, _ws: &Workspace, _lang: Lang) -> Vec<FieldChange> {
        Vec::new()
    }
    /// What the record holds, shown when it is added or deleted.
    fn facts(&self, _ws: &Workspace, _lang: Lang) -> Vec<Fact> {
        Vec::new()
    }
    /// Hides references outside the branch (`keep` says who is inside).
    fn redact(&mut self, _keep: &dyn Fn(Id) -> bool) {}
    /// Puts back what [`Rec::redact`] hid, from the receiver's copy.
    fn restore(&mut self, _ours: &Self, _member: &dyn Fn(Id) -> bool) {}
    /// For a shared record that lists people (tool seats, plan members):
    /// does it differ from `ours` only in which members of the branch it
    /// lists?
    fn only_members_differ(&self, _ours: &Self, _member: &dyn Fn(Id) -> bool) -> bool {
        false
    }
}

/// Two records equal but for a set of people, differing only in members.
fn differ_in_members<R: Stamped>(a: &R, b: &R, list: impl Fn(&mut R) -> &mut BTreeSet<Id>, member: &dyn Fn(Id) -> bool) -> bool {
    let (mut a, mut b) = (a.clone(), b.clone());
    let (la, lb) = (std::mem::take(list(&mut a)), std::mem::take(list(&mut b)));
    same_content(&a, &b) && la.symmetric_difference(&lb).all(|p| member(*p))
}

fn unit_of_owner(ws: &Workspace, owner: Id) -> Option<Id> {
    if ws.units.contains_key(&owner) {
        Some(owner)
    } else {
        ws.people.get(&owner).map(|p| p.unit)
    }
}

/// A record's name in a review; a hidden reference says it is outside.
fn name_of(ws: &Workspace, id: Id, lang: Lang) -> String {
    if id == NIL {
        return lang.pick("分支外", "outside the branch").to_string();
    }
    // Customers and deals have one name (not one per language).
    let one = ws.customers.get(&id).map(|c| &c.name).or_else(|| ws.opportunities.get(&id).map(|o| &o.name));
    match one.filter(|n| !n.trim().is_empty()) {
        Some(n) => n.clone(),
        None => crate::engine::validate::derived::name_of(ws, id, lang),
    }
}

struct Fields<'a> {
    out: Vec<FieldChange>,
    lang: Lang,
    ws: &'a Workspace,
}

impl Fields<'_> {
    fn text(&mut self, zh: &str, en: &str, old: String, new: String) -> &mut Self {
        if old != new {
            self.out.push(FieldChange { field: self.lang.pick(zh, en).to_string(), old, new });
        }
        self
    }

    fn refer(&mut self, zh: &str, en: &str, old: Option<Id>, new: Option<Id>) -> &mut Self {
        let (ws, lang) = (self.ws, self.lang);
        let n = |x: Option<Id>| x.map(|i| name_of(ws, i, lang)).unwrap_or_else(|| "—".into());
        if old != new {
            self.text(zh, en, n(old), n(new));
        }
        self
    }

    /// A name in both languages: the reader's, and the other language's
    /// when it changed there (else a change only there would not show).
    fn names(&mut self, zh: &str, en: &str, old: &Text, new: &Text) -> &mut Self {
        let lang = self.lang;
        self.text(zh, en, old.get(lang).into(), new.get(lang).into());
        let (was, is, other) = match lang {
            Lang::Zh => (&old.en, &new.en, format!("{zh}（English）")),
            Lang::En => (&old.zh, &new.zh, format!("{en} (中文)")),
        };
        if was != is {
            self.out.push(FieldChange { field: other, old: was.clone(), new: is.clone() });
        }
        self
    }

    fn done(&mut self) -> Vec<FieldChange> {
        std::mem::take(&mut self.out)
    }
}

fn fields(ws: &Workspace, lang: Lang) -> Fields<'_> {
    Fields { out: Vec::new(), lang, ws }
}

/// What an added or deleted record holds, for the review: the fields a
/// reader checks it by (a new deal's amount, stage, customer and owner).
struct Facts<'a> {
    out: Vec<Fact>,
    lang: Lang,
    ws: &'a Workspace,
}

impl Facts<'_> {
    fn text(&mut self, zh: &str, en: &str, value: String) -> &mut Self {
        if !value.trim().is_empty() {
            self.out.push(Fact { field: self.lang.pick(zh, en).to_string(), value });
        }
        self
    }

    fn refer(&mut self, zh: &str, en: &str, id: Option<Id>) -> &mut Self {
        let (ws, lang) = (self.ws, self.lang);
        match id {
            Some(i) => self.text(zh, en, name_of(ws, i, lang)),
            None => self,
        }
    }

    fn done(&mut self) -> Vec<Fact> {
        std::mem::take(&mut self.out)
    }
}

fn facts(ws: &Workspace, lang: Lang) -> Facts<'_> {
    Facts { out: Vec::new(), lang, ws }
}

fn status_name(s: Status, lang: Lang) -> String {
    match s {
        Status::Active => lang.pick("在职", "active"),
        Status::OnLeave => lang.pick("休假", "on leave"),
        Status::Left => lang.pick("已离职", "left"),
    }
    .to_string()
}

macro_rules! shared {
    ($($ty:ident),+) => {$(
        impl Rec for $ty {
            fn anchor(&self, _: &Workspace) -> Anchor {
                Anchor::Shared
            }
            fn unit(&self, _: &Workspace) -> Option<Id> {
                None
            }
            fn label(&self, _: &Workspace, lang: Lang) -> String {
                self.name.get(lang).to_string()
            }
        }
    )+};
}

shared!(Tier, Skill, Grade, Category, Stage, CustomKpi, Spif);

impl Rec for Tool {
    fn label(&self, _: &Workspace, lang: Lang) -> String {
        self.name.get(lang).to_string()
    }
    fn redact(&mut self, keep: &dyn Fn(Id) -> bool) {
        self.seats.retain(|p| keep(*p));
    }
    fn restore(&mut self, ours: &Self, member: &dyn Fn(Id) -> bool) {
        self.seats.extend(ours.seats.iter().filter(|p| !member(**p)));
    }
    fn only_members_differ(&self, ours: &Self, member: &dyn Fn(Id) -> bool) -> bool {
        differ_in_members(self, ours, |t| &mut t.seats, member)
    }
}

impl Rec for IncentivePlan {
    fn label(&self, _: &Workspace, lang: Lang) -> String {
        self.name.get(lang).to_string()
    }
    fn redact(&mut self, keep: &dyn Fn(Id) -> bool) {
        self.people.retain(|p| keep(*p));
    }
    fn restore(&mut self, ours: &Self, member: &dyn Fn(Id) -> bool) {
        self.people.extend(ours.people.iter().filter(|p| !member(**p)));
    }
    fn only_members_differ(&self, ours: &Self, member: &dyn Fn(Id) -> bool) -> bool {
        differ_in_members(self, ours, |t| &mut t.people, member)
    }
}

impl Rec for ScorecardTemplate {
    fn label(&self, ws: &Workspace, lang: Lang) -> String {
        format!("{} · {}", lang.pick("评分卡", "scorecard"), name_of(ws, self.tier, lang))
    }
}

impl Rec for Scenario {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Local
    }
    fn label(&self, _: &Workspace, lang: Lang) -> String {
        self.name.get(lang).to_string()
    }
}

/// Known keys are this workspace's own trust decisions: a file never
/// brings one (a key that vouched for itself would prove nothing).
impl Rec for KnownKey {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Local
    }
    fn label(&self, ws: &Workspace, lang: Lang) -> String {
        format!("{} · {}", name_of(ws, self.person, lang), self.key.fingerprint())
    }
}

impl Rec for ExchangeEntry {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Local
    }
    fn label(&self, _: &Workspace, lang: Lang) -> String {
        self.branch_name.get(lang).to_string()
    }
}

impl Rec for Unit {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Of(self.parent)
    }
    fn given(&self, root: Id) -> bool {
        self.id == root
    }
    fn unit(&self, _: &Workspace) -> Option<Id> {
        Some(self.id)
    }
    fn label(&self, _: &Workspace, lang: Lang) -> String {
        self.name.get(lang).to_string()
    }
    fn fields(old: &Self, new: &Self, ws: &Workspace, lang: Lang) -> Vec<FieldChange> {
        fields(ws, lang)
            .names("名称", "name", &old.name, &new.name)
            .refer("上级单元", "parent", old.parent, new.parent)
            .refer("负责人", "manager", old.manager, new.manager)
            .done()
    }
    fn facts(&self, ws: &Workspace, lang: Lang) -> Vec<Fact> {
        facts(ws, lang).refer("上级单元", "parent", self.parent).refer("负责人", "manager", self.manager).done()
    }
    fn redact(&mut self, keep: &dyn Fn(Id) -> bool) {
        if self.parent.is_some_and(|p| !keep(p)) {
            self.parent = None;
        }
    }
    fn restore(&mut self, ours: &Self, _: &dyn Fn(Id) -> bool) {
        // Only a branch's root has no parent in the file.
        if self.parent.is_none() {
            self.parent = ours.parent;
        }
    }
}

impl Rec for Person {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Of(Some(self.unit))
    }
    fn unit(&self, _: &Workspace) -> Option<Id> {
        Some(self.unit)
    }
    fn label(&self, _: &Workspace, lang: Lang) -> String {
        self.name.get(lang).to_string()
    }
    fn fields(old: &Self, new: &Self, ws: &Workspace, lang: Lang) -> Vec<FieldChange> {
        fields(ws, lang)
            .names("姓名", "name", &old.name, &new.name)
            .names("职务", "title", &old.title, &new.title)
            .refer("单元", "unit", Some(old.unit), Some(new.unit))
            .refer("层级", "tier", Some(old.tier), Some(new.tier))
            .text("状态", "status", status_name(old.status, lang), status_name(new.status, lang))
            .done()
    }
    fn facts(&self, ws: &Workspace, lang: Lang) -> Vec<Fact> {
        facts(ws, lang)
            .text("职务", "title", self.title.get(lang).into())
            .refer("单元", "unit", Some(self.unit))
            .refer("层级", "tier", Some(self.tier))
            .done()
    }
    fn redact(&mut self, keep: &dyn Fn(Id) -> bool) {
        for h in &mut self.history {
            if let PersonEvent::Moved { from, to } = &mut h.event {
                for x in [from, to] {
                    if !keep(*x) {
                        *x = NIL;
                    }
                }
            }
        }
    }
    fn restore(&mut self, ours: &Self, _: &dyn Fn(Id) -> bool) {
        for (mine, theirs) in ours.history.iter().zip(self.history.iter_mut()) {
            if let (PersonEvent::Moved { from: f0, to: t0 }, PersonEvent::Moved { from, to }) = (&mine.event, &mut theirs.event) {
                if mine.at == theirs.at {
                    if *from == NIL {
                        *from = *f0;
                    }
                    if *to == NIL {
                        *to = *t0;
                    }
                }
            }
        }
    }
}

fn target_total(l: &TargetLine) -> String {
    let sum = crate::num::clamp_i64(crate::num::sum(l.months));
    if l.kind.is_money() {
        Money(sum).to_string()
    } else {
        crate::num::group(sum as i128)
    }
}

impl Rec for TargetLine {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Of(Some(self.owner))
    }
    fn given(&self, root: Id) -> bool {
        self.owner == root
    }
    fn unit(&self, ws: &Workspace) -> Option<Id> {
        unit_of_owner(ws, self.owner)
    }
    fn label(&self, ws: &Workspace, lang: Lang) -> String {
        let what = lang.pick(format!("{}目标", self.kind.label(lang)), format!("{} target", self.kind.label(lang)));
        format!("{} · {what} · FY{}", name_of(ws, self.owner, lang), self.year)
    }
    fn fields(old: &Self, new: &Self, ws: &Workspace, lang: Lang) -> Vec<FieldChange> {
        let mut f = fields(ws, lang);
        f.text("全年", "year total", target_total(old), target_total(new));
        if old.months != new.months && target_total(old) == target_total(new) {
            f.text("月度分布", "months", lang.pick("原分布", "as before").into(), lang.pick("已调整", "re-spread").into());
        }
        f.done()
    }
}

impl Rec for BudgetLine {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Of(Some(self.unit))
    }
    fn given(&self, root: Id) -> bool {
        self.unit == root
    }
    fn unit(&self, _: &Workspace) -> Option<Id> {
        Some(self.unit)
    }
    fn label(&self, ws: &Workspace, lang: Lang) -> String {
        format!(
            "{} · {} · {} · FY{}",
            name_of(ws, self.unit, lang),
            lang.pick("预算", "budget"),
            name_of(ws, self.category, lang),
            self.year
        )
    }
    fn fields(old: &Self, new: &Self, ws: &Workspace, lang: Lang) -> Vec<FieldChange> {
        fields(ws, lang).text("金额", "amount", old.amount.to_string(), new.amount.to_string()).done()
    }
}

impl Rec for HeadcountPlan {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Of(Some(self.unit))
    }
    fn unit(&self, _: &Workspace) -> Option<Id> {
        Some(self.unit)
    }
    fn label(&self, ws: &Workspace, lang: Lang) -> String {
        format!("{} · {} · FY{}", name_of(ws, self.unit, lang), lang.pick("编制", "headcount"), self.year)
    }
    fn fields(old: &Self, new: &Self, ws: &Workspace, lang: Lang) -> Vec<FieldChange> {
        let hires = |h: &HeadcountPlan| h.hires.iter().map(|x| x.count as u64).sum::<u64>().to_string();
        fields(ws, lang)
            .text("计划招聘", "hires", hires(old), hires(new))
            .text("预计流失", "attrition", old.attrition.to_string(), new.attrition.to_string())
            .done()
    }
}

impl Rec for TimeSplit {
    fn anchor(&self, ws: &Workspace) -> Anchor {
        if ws.tiers.contains_key(&self.owner) {
            Anchor::Shared
        } else {
            Anchor::Of(Some(self.owner))
        }
    }
    fn unit(&self, ws: &Workspace) -> Option<Id> {
        unit_of_owner(ws, self.owner)
    }
    fn label(&self, ws: &Workspace, lang: Lang) -> String {
        format!("{} · {}", name_of(ws, self.owner, lang), lang.pick("时间分配", "time split"))
    }
}

impl Rec for Customer {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Of(self.owner)
    }
    fn unit(&self, ws: &Workspace) -> Option<Id> {
        self.owner.and_then(|o| unit_of_owner(ws, o))
    }
    fn label(&self, _: &Workspace, _: Lang) -> String {
        self.name.clone()
    }
    fn fields(old: &Self, new: &Self, ws: &Workspace, lang: Lang) -> Vec<FieldChange> {
        fields(ws, lang)
            .text("名称", "name", old.name.clone(), new.name.clone())
            .text("地区", "region", old.region.clone(), new.region.clone())
            .refer("负责人", "owner", old.owner, new.owner)
            .done()
    }
    fn facts(&self, ws: &Workspace, lang: Lang) -> Vec<Fact> {
        facts(ws, lang)
            .text("地区", "region", self.region.clone())
            .text("行业", "industry", self.industry.clone())
            .refer("负责人", "owner", self.owner)
            .done()
    }
    fn redact(&mut self, keep: &dyn Fn(Id) -> bool) {
        if self.owner.is_some_and(|o| !keep(o)) {
            self.owner = None;
        }
    }
    fn restore(&mut self, ours: &Self, member: &dyn Fn(Id) -> bool) {
        if self.owner.is_none() && ours.owner.is_some_and(|o| !member(o)) {
            self.owner = ours.owner;
        }
    }
}

impl Rec for Opportunity {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Of(Some(self.owner))
    }
    fn unit(&self, ws: &Workspace) -> Option<Id> {
        unit_of_owner(ws, self.owner)
    }
    fn label(&self, _: &Workspace, _: Lang) -> String {
        self.name.clone()
    }
    fn fields(old: &Self, new: &Self, ws: &Workspace, lang: Lang) -> Vec<FieldChange> {
        fields(ws, lang)
            .text("名称", "name", old.name.clone(), new.name.clone())
            .refer("阶段", "stage", Some(old.stage), Some(new.stage))
            .text("金额", "amount", old.amount.to_string(), new.amount.to_string())
            .text("预计成交", "close date", old.close_date.to_string(), new.close_date.to_string())
            .refer("负责人", "owner", Some(old.owner), Some(new.owner))
            .done()
    }
    fn facts(&self, ws: &Workspace, lang: Lang) -> Vec<Fact> {
        facts(ws, lang)
            .refer("客户", "customer", Some(self.customer))
            .text("金额", "amount", self.amount.to_string())
            .refer("阶段", "stage", Some(self.stage))
            .text("预计成交", "close date", self.close_date.to_string())
            .refer("负责人", "owner", Some(self.owner))
            .done()
    }
    fn redact(&mut self, keep: &dyn Fn(Id) -> bool) {
        for h in &mut self.history {
            hide(&mut h.by, keep);
        }
        for c in &mut self.changes {
            hide(&mut c.by, keep);
        }
    }
    fn restore(&mut self, ours: &Self, _: &dyn Fn(Id) -> bool) {
        for (mine, theirs) in ours.history.iter().zip(self.history.iter_mut()) {
            if theirs.by == Some(NIL) && mine.on == theirs.on && mine.to == theirs.to {
                theirs.by = mine.by;
            }
        }
        for (mine, theirs) in ours.changes.iter().zip(self.changes.iter_mut()) {
            if theirs.by == Some(NIL) && mine.on == theirs.on {
                theirs.by = mine.by;
            }
        }
    }
}

/// "Who did it", hidden when outside the branch.
fn hide(by: &mut Option<Id>, keep: &dyn Fn(Id) -> bool) {
    if by.is_some_and(|b| !keep(b)) {
        *by = Some(NIL);
    }
}

fn unhide(by: &mut Option<Id>, ours: Option<Id>) {
    if *by == Some(NIL) {
        *by = ours;
    }
}

impl Rec for ForecastOverride {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Of(Some(self.owner))
    }
    fn unit(&self, ws: &Workspace) -> Option<Id> {
        unit_of_owner(ws, self.owner)
    }
    fn label(&self, ws: &Workspace, lang: Lang) -> String {
        format!("{} · {} · FY{}", name_of(ws, self.owner, lang), lang.pick("预测判断", "forecast call"), self.year)
    }
    fn fields(old: &Self, new: &Self, ws: &Workspace, lang: Lang) -> Vec<FieldChange> {
        fields(ws, lang).text("金额", "amount", old.amount.to_string(), new.amount.to_string()).done()
    }
    fn redact(&mut self, keep: &dyn Fn(Id) -> bool) {
        hide(&mut self.by, keep);
    }
    fn restore(&mut self, ours: &Self, _: &dyn Fn(Id) -> bool) {
        unhide(&mut self.by, ours.by);
    }
}

impl Rec for KpiEntry {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Of(Some(self.person))
    }
    fn unit(&self, ws: &Workspace) -> Option<Id> {
        unit_of_owner(ws, self.person)
    }
    fn label(&self, ws: &Workspace, lang: Lang) -> String {
        format!("{} · KPI · FY{}", name_of(ws, self.person, lang), self.year)
    }
    fn fields(old: &Self, new: &Self, ws: &Workspace, lang: Lang) -> Vec<FieldChange> {
        let v = |e: &KpiEntry| format!("{} / {}", e.actual, e.target);
        fields(ws, lang).text("实际 / 目标", "actual / target", v(old), v(new)).done()
    }
    fn redact(&mut self, keep: &dyn Fn(Id) -> bool) {
        hide(&mut self.by, keep);
    }
    fn restore(&mut self, ours: &Self, _: &dyn Fn(Id) -> bool) {
        unhide(&mut self.by, ours.by);
    }
}

impl Rec for BonusPool {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Of(Some(self.unit))
    }
    fn unit(&self, _: &Workspace) -> Option<Id> {
        Some(self.unit)
    }
    fn label(&self, ws: &Workspace, lang: Lang) -> String {
        format!("{} · {} · FY{}", name_of(ws, self.unit, lang), lang.pick("奖金池", "bonus pool"), self.year)
    }
    fn fields(old: &Self, new: &Self, ws: &Workspace, lang: Lang) -> Vec<FieldChange> {
        fields(ws, lang).text("金额", "amount", old.amount.to_string(), new.amount.to_string()).done()
    }
    fn redact(&mut self, keep: &dyn Fn(Id) -> bool) {
        self.weights.retain(|p, _| keep(*p));
    }
    fn restore(&mut self, ours: &Self, member: &dyn Fn(Id) -> bool) {
        for (p, w) in &ours.weights {
            if !member(*p) {
                self.weights.insert(*p, *w);
            }
        }
    }
}

impl Rec for Activity {
    fn anchor(&self, ws: &Workspace) -> Anchor {
        Anchor::Of(crate::engine::work::subject_owner(ws, Some(self.customer), self.opportunity))
    }
    fn unit(&self, ws: &Workspace) -> Option<Id> {
        crate::engine::work::subject_owner(ws, Some(self.customer), self.opportunity).and_then(|o| unit_of_owner(ws, o))
    }
    fn label(&self, ws: &Workspace, lang: Lang) -> String {
        let (zh, en) = self.kind.names();
        format!("{} · {} · {}", name_of(ws, self.customer, lang), lang.pick(zh, en), self.on)
    }
    fn fields(old: &Self, new: &Self, ws: &Workspace, lang: Lang) -> Vec<FieldChange> {
        fields(ws, lang)
            .text("日期", "date", old.on.to_string(), new.on.to_string())
            .text("结果", "outcome", old.outcome.clone(), new.outcome.clone())
            .text("下一步", "next step", old.next_step.clone(), new.next_step.clone())
            .done()
    }
    fn facts(&self, ws: &Workspace, lang: Lang) -> Vec<Fact> {
        facts(ws, lang)
            .refer("商机", "deal", self.opportunity)
            .refer("跟进人", "by", Some(self.by))
            .text("结果", "outcome", self.outcome.clone())
            .text("下一步", "next step", self.next_step.clone())
            .done()
    }
    fn redact(&mut self, keep: &dyn Fn(Id) -> bool) {
        if !keep(self.by) {
            self.by = NIL;
        }
    }
    fn restore(&mut self, ours: &Self, _: &dyn Fn(Id) -> bool) {
        if self.by == NIL {
            self.by = ours.by;
        }
    }
}

impl Rec for Task {
    fn anchor(&self, _: &Workspace) -> Anchor {
        Anchor::Of(Some(self.assignee))
    }
    fn unit(&self, ws: &Workspace) -> Option<Id> {
        unit_of_owner(ws, self.assignee)
    }
    fn label(&self, _: &Workspace, _: Lang) -> String {
        self.title.clone()
    }
    fn fields(old: &Self, new: &Self, ws: &Workspace, lang: Lang) -> Vec<FieldChange> {
        let done = |t: &Task| t.done.map(|d| d.to_string()).unwrap_or_default();
        fields(ws, lang)
            .text("到期", "due", old.due.to_string(), new.due.to_string())
            .text("完成", "done", done(old), done(new))
            .refer("负责人", "assignee", Some(old.assignee), Some(new.assignee))
            .done()
    }
    fn facts(&self, ws: &Workspace, lang: Lang) -> Vec<Fact> {
        facts(ws, lang).refer("负责人", "assignee", Some(self.assignee)).text("到期", "due", self.due.to_string()).done()
    }
    fn redact(&mut self, keep: &dyn Fn(Id) -> bool) {
        hide(&mut self.by, keep);
    }
    fn restore(&mut self, ours: &Self, _: &dyn Fn(Id) -> bool) {
        unhide(&mut self.by, ours.by);
        // What it was about, hidden when that stayed above.
        unhide(&mut self.customer, ours.customer);
        unhide(&mut self.opportunity, ours.opportunity);
        unhide(&mut self.activity, ours.activity);
    }
}

/// Runs `$f::<T>` for every record section, in file order.
macro_rules! each_section {
    ($f:ident ( $($arg:expr),* )) => {{
        $f::<Tier>($($arg),*);
        $f::<Unit>($($arg),*);
        $f::<Person>($($arg),*);
        $f::<Skill>($($arg),*);
        $f::<Grade>($($arg),*);
        $f::<TargetLine>($($arg),*);
        $f::<BudgetLine>($($arg),*);
        $f::<HeadcountPlan>($($arg),*);
        $f::<Scenario>($($arg),*);
        $f::<Category>($($arg),*);
        $f::<Tool>($($arg),*);
        $f::<TimeSplit>($($arg),*);
        $f::<Customer>($($arg),*);
        $f::<Stage>($($arg),*);
        $f::<Opportunity>($($arg),*);
        $f::<ForecastOverride>($($arg),*);
        $f::<ScorecardTemplate>($($arg),*);
        $f::<CustomKpi>($($arg),*);
        $f::<KpiEntry>($($arg),*);
        $f::<IncentivePlan>($($arg),*);
        $f::<BonusPool>($($arg),*);
        $f::<Spif>($($arg),*);
        $f::<Activity>($($arg),*);
        $f::<Task>($($arg),*);
    }};
}

/// Calls `$f::<T>($args)` for the record type of `$kind`.
macro_rules! by_kind {
    ($kind:expr, $f:ident ( $($arg:expr),* )) => {
        match $kind {
            Kind::Tier => $f::<Tier>($($arg),*),
            Kind::Unit => $f::<Unit>($($arg),*),
            Kind::Person => $f::<Person>($($arg),*),
            Kind::Skill => $f::<Skill>($($arg),*),
            Kind::Grade => $f::<Grade>($($arg),*),
            Kind::Target => $f::<TargetLine>($($arg),*),
            Kind::Budget => $f::<BudgetLine>($($arg),*),
            Kind::Headcount => $f::<HeadcountPlan>($($arg),*),
            Kind::Category => $f::<Category>($($arg),*),
            Kind::Tool => $f::<Tool>($($arg),*),
            Kind::TimeSplit => $f::<TimeSplit>($($arg),*),
            Kind::Scenario => $f::<Scenario>($($arg),*),
            Kind::Customer => $f::<Customer>($($arg),*),
            Kind::Stage => $f::<Stage>($($arg),*),
            Kind::Opportunity => $f::<Opportunity>($($arg),*),
            Kind::Override => $f::<ForecastOverride>($($arg),*),
            Kind::Scorecard => $f::<ScorecardTemplate>($($arg),*),
            Kind::Kpi => $f::<CustomKpi>($($arg),*),
            Kind::KpiEntry => $f::<KpiEntry>($($arg),*),
            Kind::IncentivePlan => $f::<IncentivePlan>($($arg),*),
            Kind::Pool => $f::<BonusPool>($($arg),*),
            Kind::Spif => $f::<Spif>($($arg),*),
            Kind::Exchange => $f::<ExchangeEntry>($($arg),*),
            Kind::Key => $f::<KnownKey>($($arg),*),
            Kind::Activity => $f::<Activity>($($arg),*),
            Kind::Task => $f::<Task>($($arg),*),
        }
    };
}

/// Where the record `id` of `kind` in `ws` stands for the branch `members`
/// (None: no such record). Settings, rating bands and capacity
/// assumptions are [`Place::Shared`]; ask with `kind: None`.
pub fn place_of(ws: &Workspace, kind: Option<Kind>, id: Id, members: &Members) -> Option<Place> {
    fn look<R: Rec>(ws: &Workspace, id: Id, members: &Members) -> Option<Place> {
        R::get(ws).get(&id).map(|r| place(r.anchor(ws), r.given(members.root), &|x| members.contains(x)))
    }
    let Some(kind) = kind else { return Some(Place::Shared) };
    by_kind!(kind, look(ws, id, members))
}

/// A shared record that lists people (a tool's seats, an incentive plan's
/// members), as it stands: an edit that changes only which people of the
/// branch it lists is the branch's to make.
#[derive(Clone, Debug)]
pub enum Listing {
    Tool(Tool),
    Plan(IncentivePlan),
}

impl Listing {
    pub fn of(ws: &Workspace, kind: Kind, id: Id) -> Option<Listing> {
        match kind {
            Kind::Tool => ws.tools.get(&id).cloned().map(Listing::Tool),
            Kind::IncentivePlan => ws.incentive_plans.get(&id).cloned().map(Listing::Plan),
            _ => None,
        }
    }

    /// `self` (after) differs from `before` only in members of the branch.
    pub fn only_members_differ(&self, before: &Listing, members: &Members) -> bool {
        let member = |x: Id| members.contains(x);
        match (self, before) {
            (Listing::Tool(a), Listing::Tool(b)) => a.only_members_differ(b, &member),
            (Listing::Plan(a), Listing::Plan(b)) => a.only_members_differ(b, &member),
            _ => false,
        }
    }
}

/// A record's name for messages ("" when absent).
pub fn label_of(ws: &Workspace, kind: Kind, id: Id, lang: Lang) -> String {
    fn look<R: Rec>(ws: &Workspace, id: Id, lang: Lang) -> String {
        R::get(ws).get(&id).map(|r| r.label(ws, lang)).unwrap_or_default()
    }
    by_kind!(kind, look(ws, id, lang))
}

// ---------------------------------------------------------------- export

/// Why a branch cannot be written or a file cannot be merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExchangeError {
    NoSuchUnit,
    DifferentWorkspace,
    /// The file's branch is not part of this workspace.
    NotInThisWorkspace,
    /// A whole-workspace file cannot be merged into a branch.
    WholeIntoBranch,
    /// Only a branch workspace can be sent back.
    NotABranch,
    /// The review no longer fits the workspace or the file: read it again.
    Stale,
    /// The file is an older issue of this branch than the one open here.
    OlderIssue {
        mine: DateTime<Utc>,
        theirs: DateTime<Utc>,
    },
    /// The merged document would break rules; nothing is merged.
    Invalid(Vec<Problem>, Names),
}

impl ExchangeError {
    pub fn message(&self, lang: Lang) -> String {
        use ExchangeError::*;
        match self {
            NoSuchUnit => lang.pick("没有这个单元".into(), "there is no such unit".into()),
            Stale => lang.pick(
                "审阅已过时（工作区或文件已变），请重新读入文件".into(),
                "the review is out of date (the workspace or the file changed): read the file again".into(),
            ),
            DifferentWorkspace => lang.pick(
                "这是另一个工作区的文件，不能合并（两个工作区的 id 不同）".into(),
                "this file is from another workspace and cannot be merged (the workspace ids differ)".into(),
            ),
            NotInThisWorkspace => {
                lang.pick("文件所属的分支不在本工作区中".into(), "the file's branch is not part of this workspace".into())
            }
            WholeIntoBranch => lang.pick(
                "完整工作区文件不能合并进分支工作区；如需使用，请直接打开（导入）".into(),
                "a whole-workspace file cannot be merged into a branch workspace: open (import) it instead".into(),
            ),
            NotABranch => {
                lang.pick("当前工作区不是分支，无需回传".into(), "this workspace is not a branch: there is nothing to send back".into())
            }
            OlderIssue { mine, theirs } => lang.pick(
                format!(
                    "此文件是本分支较早的版本（{}），本地已有 {} 的版本，未做任何改动",
                    theirs.format("%Y-%m-%d %H:%M"),
                    mine.format("%Y-%m-%d %H:%M")
                ),
                format!(
                    "this file is an older issue of the branch ({}) than the one open here ({}); nothing was changed",
                    theirs.format("%Y-%m-%d %H:%M"),
                    mine.format("%Y-%m-%d %H:%M")
                ),
            ),
            Invalid(problems, names) => {
                let shown: Vec<String> = problems.iter().take(3).map(|p| p.message_with(names, lang)).collect();
                lang.pick(
                    format!("合并后的数据会违反规则，整体未合并：{}", shown.join("；")),
                    format!("the merged data would break rules, so nothing was merged: {}", shown.join("; ")),
                )
            }
        }
    }
}

fn invalid(ws: &Workspace) -> Result<(), ExchangeError> {
    let problems = validate(ws);
    if problems.is_empty() {
        Ok(())
    } else {
        let names = Names::of_problems(ws, &problems);
        Err(ExchangeError::Invalid(problems, names))
    }
}

/// The branch of `ws` under `root`, as a workspace of its own, issued at
/// `now` by `sender`. Holds nothing of any other branch.
pub fn extract(ws: &Workspace, root: Id, now: DateTime<Utc>, sender: Option<Sender>) -> Result<Workspace, ExchangeError> {
    let root_unit = ws.units.get(&root).ok_or(ExchangeError::NoSuchUnit)?;
    let members = Members::of(ws, root);
    let member = |x: Id| members.contains(x);
    let mut out = Workspace::empty(ws.meta.id, &ws.settings.workspace_name, ws.settings.language, now);
    out.meta = ws.meta.clone();
    out.settings = ws.settings.clone();
    out.performance = ws.performance.clone();
    out.plan.assumptions = ws.plan.assumptions.clone();
    out.categories.clear();
    out.stages.clear();
    let mut base = BTreeMap::new();
    fn copy<R: Rec>(ws: &Workspace, out: &mut Workspace, root: Id, member: &dyn Fn(Id) -> bool, base: &mut BTreeMap<Id, u64>) {
        for (id, r) in R::get(ws) {
            match place(r.anchor(ws), r.given(root), member) {
                Place::Branch | Place::Given | Place::Shared => {
                    let mut r = r.clone();
                    r.redact(member);
                    base.insert(*id, r.rev());
                    R::get_mut(out).insert(*id, r);
                }
                Place::Outside | Place::Local => {}
            }
        }
    }
    each_section!(copy(ws, &mut out, root, &member, &mut base));
    // A branch deal's customer comes along even when someone outside owns
    // it (the owner is hidden; the branch cannot change that customer).
    for o in out.opportunities.values() {
        if !out.customers.contains_key(&o.customer) {
            if let Some(c) = ws.customers.get(&o.customer) {
                let mut c = c.clone();
                c.redact(&member);
                base.insert(c.id, c.rev);
                out.customers.insert(c.id, c);
            }
        }
    }
    // A task of the branch names only what it is about that came along;
    // the rest is hidden (and put back when the task comes back).
    let Workspace { tasks, customers, opportunities, activities, .. } = &mut out;
    let hidden = |r: &mut Option<Id>, here: &dyn Fn(&Id) -> bool| {
        if r.is_some_and(|x| !here(&x)) {
            *r = Some(NIL);
        }
    };
    for t in tasks.values_mut() {
        hidden(&mut t.customer, &|c| customers.contains_key(c));
        hidden(&mut t.opportunity, &|o| opportunities.contains_key(o));
        hidden(&mut t.activity, &|a| activities.contains_key(a));
    }
    let parent = root_unit.parent;
    out.branch = Some(BranchInfo {
        root,
        parent,
        parent_name: match (parent.and_then(|p| ws.units.get(&p)), &ws.branch) {
            (Some(p), _) => p.name.clone(),
            (None, Some(b)) => b.parent_name.clone(),
            (None, None) => Text::default(),
        },
        workspace_name: ws.branch.as_ref().map(|b| b.workspace_name.clone()).unwrap_or_else(|| ws.settings.workspace_name.clone()),
        issued_at: now,
        issued_by: sender,
        returned_by: None,
        returned_at: None,
        base,
    });
    if ws.branch.as_ref().is_some_and(|b| b.root == root) {
        // The whole of a branch sent on: the parent above stays the one it was given.
        out.branch.as_mut().expect("set").parent = ws.branch.as_ref().and_then(|b| b.parent);
    }
    invalid(&out)?;
    Ok(out)
}

/// The branch file a branch workspace sends back up: the branch with its
/// issue (so the receiver can tell what changed), without what stays here.
pub fn send_back(ws: &Workspace, now: DateTime<Utc>, by: Option<Sender>) -> Result<Workspace, ExchangeError> {
    if ws.branch.is_none() {
        return Err(ExchangeError::NotABranch);
    }
    let mut out = ws.clone();
    out.scenarios.clear();
    out.exchange.clear();
    if let Some(b) = out.branch.as_mut() {
        b.returned_by = by;
        b.returned_at = Some(now);
    }
    Ok(out)
}

/// What a branch workspace is given from above for fiscal year `year`:
/// the root's own revenue target and its budget, summed over categories.
pub fn given(ws: &Workspace, year: i32) -> Option<(Money, Money)> {
    let b = ws.branch.as_ref()?;
    let target =
        ws.plan.targets.get(&TargetLine::id_for(b.root, TargetKind::Revenue, year)).map(|l| crate::num::sum(l.months)).unwrap_or(0);
    let budget = crate::num::sum(ws.plan.budgets.values().filter(|l| l.unit == b.root && l.year == year).map(|l| l.amount.0));
    Some((Money(crate::num::clamp_i64(target)), Money(crate::num::clamp_i64(budget))))
}

/// Does opening `file` merge it into `current` (after a review) rather
/// than replace the workspace: a newer issue of the branch `current` is,
/// or a branch of `current` sent back up. A branch freshly sent down
/// opens as the workspace.
pub fn opens_as_merge(current: &Workspace, file: &Workspace) -> bool {
    if current.meta.id != file.meta.id {
        return false;
    }
    match (&current.branch, &file.branch) {
        (Some(a), Some(b)) if a.root == b.root => true,
        (_, Some(b)) => b.returned_at.is_some() && current.units.contains_key(&b.root),
        _ => false,
    }
}

/// Records changed in a branch workspace since it was issued (added,
/// changed, deleted), not counting what stays local.
pub fn unsent(ws: &Workspace) -> Counts {
    let mut c = Counts::default();
    let Some(b) = &ws.branch else { return c };
    fn count<R: Rec>(ws: &Workspace, b: &BranchInfo, c: &mut Counts) {
        for (id, r) in R::get(ws) {
            if r.anchor(ws) == Anchor::Local {
                continue;
            }
            match b.base.get(id) {
                None => c.added += 1,
                Some(rev) if *rev != r.rev() => c.changed += 1,
                _ => {}
            }
        }
    }
    each_section!(count(ws, b, &mut c));
    c.deleted += ws.tombstones.values().filter(|t| b.base.contains_key(&t.id)).count() as u32;
    c
}

// ---------------------------------------------------------------- review

/// Which way a file goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// A branch coming back up to the workspace it was issued from.
    Up,
    /// A newer issue of the branch this workspace is.
    Down,
    /// A whole copy of the same workspace.
    Full,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    Added,
    Changed,
    Deleted,
}

/// One change the file brings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    pub id: Id,
    pub op: Op,
    /// The unit it is listed under.
    pub unit: Option<Id>,
    pub label: String,
    pub fields: Vec<FieldChange>,
    /// What an added or deleted record holds (empty for a change).
    pub facts: Vec<Fact>,
}

/// One thing an added or deleted record holds: "amount: 1,280,000.00".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub field: String,
    pub value: String,
}

/// A record changed on both sides since the file was issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub kind: Kind,
    pub id: Id,
    pub unit: Option<Id>,
    pub label: String,
    /// mine → theirs, field by field (old = mine, new = theirs).
    pub fields: Vec<FieldChange>,
    pub mine_deleted: bool,
    pub theirs_deleted: bool,
    pub mine_at: DateTime<Utc>,
    pub theirs_at: DateTime<Utc>,
    /// The newer side.
    pub default: Side,
}

/// Why a change was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// The record is not in the sender's branch.
    Outside,
    /// One of the lines given to the branch from above.
    Given,
    /// A shared definition (tiers, stages, settings…).
    Shared,
    /// A change made here to a record the newer issue no longer holds.
    LeftBranch,
}

impl Why {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            Why::Outside => lang.pick("不在发送人的分支内", "outside the sender's branch"),
            Why::Given => {
                lang.pick("这是上级下达给该分支的数据，分支不能修改", "given to the branch from above: the branch cannot change it")
            }
            Why::Shared => lang.pick("共享定义只能在完整工作区中修改", "a shared definition: it is changed only in the whole workspace"),
            Why::LeftBranch => lang.pick(
                "该记录已不在您的分支内，您对它的修改未保留（备份中仍有）",
                "no longer in your branch: your change to it is not kept (the backup still has it)",
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// None: the settings, rating bands or capacity assumptions.
    pub kind: Option<Kind>,
    pub id: Id,
    pub unit: Option<Id>,
    pub label: String,
    pub why: Why,
}

/// What merging a file would do, before anything changes.
#[derive(Clone, Debug)]
pub struct Review {
    pub direction: Direction,
    /// The branch's root and name (None: a whole-workspace file).
    pub branch: Option<(Id, Text)>,
    pub sender: Option<Sender>,
    pub file_at: DateTime<Utc>,
    pub checksum: String,
    /// When this very file was merged before, if it was.
    pub merged_before: Option<DateTime<Utc>>,
    pub changes: Vec<Change>,
    pub conflicts: Vec<Conflict>,
    pub refused: Vec<Refusal>,
    /// Added / changed / deleted per kind of record, for the changes.
    pub counts: BTreeMap<Kind, Counts>,
    /// Revisions of the file's records decided by this merge.
    seen: BTreeMap<Id, u64>,
    /// The merged document if every conflict keeps the default side (for a
    /// whole-workspace file, the merge).
    full: Option<Workspace>,
}

impl Review {
    /// Nothing to apply: no change, no conflict.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.conflicts.is_empty()
    }

    /// Would applying `other` decide the same records the same way: the
    /// same changes and the same conflicts (a review made again against a
    /// workspace that changed meanwhile must still say this).
    pub fn same_decisions(&self, other: &Review) -> bool {
        let ids =
            |r: &Review| (r.changes.iter().map(|c| (c.id, c.op)).collect::<Vec<_>>(), r.conflicts.iter().map(|c| c.id).collect::<Vec<_>>());
        ids(self) == ids(other)
    }

    pub fn total(&self) -> Counts {
        let mut t = Counts::default();
        for c in self.counts.values() {
            t.added += c.added;
            t.changed += c.changed;
            t.deleted += c.deleted;
        }
        t
    }
}

/// A version of a record on one side.
enum Ver<'a, R> {
    Live(&'a R),
    Dead(&'a Tombstone),
}

impl<R: Stamped> Ver<'_, R> {
    fn rev(&self) -> u64 {
        match self {
            Ver::Live(r) => r.rev(),
            Ver::Dead(t) => t.rev,
        }
    }
    fn at(&self) -> DateTime<Utc> {
        match self {
            Ver::Live(r) => r.at(),
            Ver::Dead(t) => t.deleted_at,
        }
    }
}

fn version<'a, R: Stamped>(ws: &'a Workspace, id: Id) -> Option<Ver<'a, R>> {
    R::get(ws).get(&id).map(Ver::Live).or_else(|| ws.tombstones.get(&id).filter(|t| t.kind == R::KIND).map(Ver::Dead))
}

/// What earlier merges of the branch under `root` decided: the file's
/// revision of each record (`seen`) and the revision it then had here
/// (`kept`). Per branch, so two branches that both hold a record (a region
/// and a team below it) are each compared with their own last round.
fn decided(ws: &Workspace, root: Id) -> (BTreeMap<Id, u64>, BTreeMap<Id, u64>) {
    let (mut seen, mut kept): (BTreeMap<Id, u64>, BTreeMap<Id, u64>) = Default::default();
    for e in ws.exchange.values().filter(|e| e.action == ExchangeAction::Merged && e.branch == Some(root)) {
        for (map, from) in [(&mut seen, &e.seen), (&mut kept, &e.kept)] {
            for (id, rev) in from {
                let v = map.entry(*id).or_default();
                *v = (*v).max(*rev);
            }
        }
    }
    (seen, kept)
}

/// Same content, whatever the revision and time stamped on it.
fn same_content<R: Stamped>(a: &R, b: &R) -> bool {
    let mut a = a.clone();
    a.stamp(b.rev(), b.at());
    a == *b
}

fn op_of<A, B>(old: Option<&A>, new: Option<&B>) -> Op {
    match (old, new) {
        (None, _) => Op::Added,
        (_, None) => Op::Deleted,
        _ => Op::Changed,
    }
}

fn change_of<R: Rec>(ours: &Workspace, theirs: &Workspace, id: Id, old: Option<&R>, new: Option<&R>, lang: Lang) -> Change {
    let shown = new.or(old).expect("one side exists");
    let view = if new.is_some() { theirs } else { ours };
    Change {
        kind: R::KIND,
        id,
        op: op_of(old, new),
        unit: shown.unit(view).or_else(|| old.and_then(|o| o.unit(ours))),
        label: shown.label(view, lang),
        fields: match (old, new) {
            (Some(a), Some(b)) => R::fields(a, b, theirs, lang),
            _ => Vec::new(),
        },
        facts: match (old, new) {
            (None, Some(b)) => b.facts(theirs, lang),
            (Some(a), None) => a.facts(ours, lang),
            _ => Vec::new(),
        },
    }
}

/// Reviews merging `theirs` (a file's data, with its checksum and time)
/// into `ours`. Changes nothing.
pub fn review(ours: &Workspace, theirs: &Workspace, checksum: &str, file_at: DateTime<Utc>, lang: Lang) -> Result<Review, ExchangeError> {
    if ours.meta.id != theirs.meta.id {
        return Err(ExchangeError::DifferentWorkspace);
    }
    let merged_before = ours
        .exchange
        .values()
        .filter(|e| e.action == ExchangeAction::Merged && !checksum.is_empty() && e.checksum == checksum)
        .map(|e| e.updated_at)
        .max();
    let mut r = Review {
        direction: Direction::Full,
        branch: None,
        sender: None,
        file_at,
        checksum: checksum.to_string(),
        merged_before,
        changes: Vec::new(),
        conflicts: Vec::new(),
        refused: Vec::new(),
        counts: BTreeMap::new(),
        seen: BTreeMap::new(),
        full: None,
    };
    match (&ours.branch, &theirs.branch) {
        (Some(_), None) => Err(ExchangeError::WholeIntoBranch),
        (None, None) => {
            let (merged, _) = merge::merge(ours, theirs).map_err(|e| match e {
                MergeError::DifferentWorkspace => ExchangeError::DifferentWorkspace,
                MergeError::Invalid(p, n) => ExchangeError::Invalid(p, n),
            })?;
            fn diff<R: Rec>(ours: &Workspace, merged: &Workspace, lang: Lang, out: &mut Vec<Change>) {
                let (a, b) = (R::get(ours), R::get(merged));
                for (id, new) in b {
                    if a.get(id) != Some(new) {
                        out.push(change_of(ours, merged, *id, a.get(id), Some(new), lang));
                    }
                }
                for (id, old) in a {
                    if !b.contains_key(id) {
                        out.push(change_of::<R>(ours, merged, *id, Some(old), None, lang));
                    }
                }
            }
            each_section!(diff(ours, &merged, lang, &mut r.changes));
            r.full = Some(merged);
            r.sender = None;
            finish(r)
        }
        (Some(mine), Some(b)) if mine.root == b.root => {
            if b.issued_at < mine.issued_at {
                return Err(ExchangeError::OlderIssue { mine: mine.issued_at, theirs: b.issued_at });
            }
            r.direction = Direction::Down;
            r.branch = Some((b.root, theirs.units.get(&b.root).map(|u| u.name.clone()).unwrap_or_default()));
            r.sender = b.issued_by.clone();
            down(ours, theirs, mine, lang, &mut r);
            finish(r)
        }
        (_, Some(b)) => {
            if !ours.units.contains_key(&b.root) {
                return Err(ExchangeError::NotInThisWorkspace);
            }
            r.direction = Direction::Up;
            r.branch = Some((b.root, ours.units[&b.root].name.clone()));
            r.sender = b.sender().cloned();
            up(ours, theirs, b, lang, &mut r);
            finish(r)
        }
    }
}

fn finish(mut r: Review) -> Result<Review, ExchangeError> {
    for c in &r.changes {
        let n = r.counts.entry(c.kind).or_default();
        match c.op {
            Op::Added => n.added += 1,
            Op::Changed => n.changed += 1,
            Op::Deleted => n.deleted += 1,
        }
    }
    r.changes.arrange_by(|a, b| (a.unit, a.kind, a.op, &a.label).cmp(&(b.unit, b.kind, b.op, &b.label)));
    Ok(r)
}

/// The file's view of who is in the branch: whatever was in it when it
/// was issued (or decided by an earlier merge), plus what the branch added
/// that this workspace has never held.
fn up_members(ours: &Workspace, theirs: &Workspace, b: &BranchInfo) -> HashSet<Id> {
    let mut m: HashSet<Id> = b.base.keys().copied().collect();
    // What an earlier round of this branch brought in is the branch's too.
    m.extend(decided(ours, b.root).0.into_keys());
    let theirs_members = Members::of(theirs, b.root);
    m.extend(theirs_members.ids.iter().copied().filter(|id| !ours.holds_id(*id)));
    m
}

fn up(ours: &Workspace, theirs: &Workspace, b: &BranchInfo, lang: Lang, r: &mut Review) {
    let (seen, kept) = decided(ours, b.root);
    let m = up_members(ours, theirs, b);
    let member = |x: Id| m.contains(&x);
    #[allow(clippy::too_many_arguments)] // the two sides, the issue, the earlier rounds, who is in, and the output
    fn section<R: Rec>(
        ours: &Workspace,
        theirs: &Workspace,
        b: &BranchInfo,
        seen: &BTreeMap<Id, u64>,
        kept: &BTreeMap<Id, u64>,
        member: &dyn Fn(Id) -> bool,
        lang: Lang,
        r: &mut Review,
    ) {
        let tombs = theirs.tombstones.values().filter(|t| t.kind == R::KIND).map(|t| (t.id, Ver::Dead(t)));
        let lives = R::get(theirs).iter().map(|(id, x)| (*id, Ver::Live(x)));
        for (id, t) in lives.chain(tombs) {
            // Theirs is new when above what the issue or an earlier round had.
            let base = match (b.base.get(&id), seen.get(&id)) {
                (Some(a), Some(s)) => Some((*a).max(*s)),
                (a, s) => a.or(s).copied(),
            };
            // Ours has changed when it is no longer what the issue (or the
            // last round's merge) left here.
            let ours_base = kept.get(&id).or(b.base.get(&id)).copied();
            let o = version::<R>(ours, id);
            let restored = match (&t, &o) {
                (Ver::Live(x), Some(Ver::Live(mine))) => {
                    let mut x = (*x).clone();
                    x.restore(mine, member);
                    Some(x)
                }
                (Ver::Live(x), _) => Some((*x).clone()),
                _ => None,
            };
            if base.is_some_and(|x| t.rev() <= x) {
                // Not newer by revision. Only a record changed by hand
                // (the issue's revision, unchanged here, other content) is.
                // Only while this side is still at the issue (so its
                // content is the issue's) can a different content tell.
                let hand_edited = match (&restored, &o) {
                    (Some(x), Some(Ver::Live(mine))) => {
                        let at_issue = b.base.get(&id) == Some(&mine.rev()) && !kept.contains_key(&id);
                        at_issue && b.base.get(&id) == Some(&x.rev()) && !same_content(*mine, x)
                    }
                    _ => false,
                };
                if !hand_edited {
                    continue;
                }
            }
            let in_base = b.base.contains_key(&id) || seen.contains_key(&id);
            let mut place = if !in_base && o.is_some() {
                // Never given to the branch, yet known here: someone else's.
                Place::Outside
            } else {
                match (&t, &o) {
                    (Ver::Live(x), _) => place(x.anchor(theirs), x.given(b.root), member),
                    (Ver::Dead(_), Some(Ver::Live(x))) => place(x.anchor(ours), x.given(b.root), member),
                    // Added and deleted in the branch, or deleted on both sides.
                    (Ver::Dead(_), _) => continue,
                }
            };
            // A shared record whose only change is who of the branch is on
            // it (a tool seat, an incentive plan's members) is the branch's.
            if let (Place::Shared, Some(x), Some(Ver::Live(mine))) = (place, &restored, &o) {
                if x.only_members_differ(mine, member) {
                    place = Place::Branch;
                }
            }
            let label = || match &t {
                Ver::Live(x) => x.label(theirs, lang),
                Ver::Dead(_) => match &o {
                    Some(Ver::Live(x)) => x.label(ours, lang),
                    _ => id.short(),
                },
            };
            let unit = || match (&t, &o) {
                (Ver::Live(x), _) => x.unit(theirs),
                (_, Some(Ver::Live(x))) => x.unit(ours),
                _ => None,
            };
            let why = match place {
                Place::Branch => None,
                Place::Local => continue,
                Place::Given => Some(Why::Given),
                Place::Shared => Some(Why::Shared),
                Place::Outside => Some(Why::Outside),
            };
            r.seen.insert(id, t.rev());
            if let Some(why) = why {
                r.refused.push(Refusal { kind: Some(R::KIND), id, unit: unit(), label: label(), why });
                continue;
            }
            let ours_changed = o.as_ref().is_some_and(|v| Some(v.rev()) != ours_base);
            let mine_live = match &o {
                Some(Ver::Live(x)) => Some(*x),
                _ => None,
            };
            if !ours_changed {
                r.changes.push(change_of(ours, theirs, id, mine_live, restored.as_ref(), lang));
                continue;
            }
            let same = match (&o, &restored) {
                (Some(Ver::Live(a)), Some(b)) => same_content(*a, b),
                (Some(Ver::Dead(_)), None) => true,
                _ => false,
            };
            if same {
                continue;
            }
            let (mine_at, theirs_at) = (o.as_ref().map(|v| v.at()).unwrap_or(DateTime::UNIX_EPOCH), t.at());
            r.conflicts.push(Conflict {
                kind: R::KIND,
                id,
                unit: unit(),
                label: label(),
                fields: match (mine_live, &restored) {
                    (Some(a), Some(b)) => R::fields(a, b, theirs, lang),
                    _ => Vec::new(),
                },
                mine_deleted: mine_live.is_none(),
                theirs_deleted: restored.is_none(),
                mine_at,
                theirs_at,
                default: if theirs_at > mine_at { Side::Theirs } else { Side::Mine },
            });
        }
    }
    each_section!(section(ours, theirs, b, &seen, &kept, &member, lang, r));
    // Settings, bands and assumptions are shared: changed in the branch
    // after the issue means refused.
    let shared = [
        (theirs.settings != ours.settings && theirs.settings.updated_at > b.issued_at, lang.pick("设置", "settings")),
        (theirs.performance != ours.performance && theirs.performance.updated_at > b.issued_at, lang.pick("评级区间", "rating bands")),
        (
            theirs.plan.assumptions != ours.plan.assumptions && theirs.plan.assumptions.updated_at > b.issued_at,
            lang.pick("产能假设", "capacity assumptions"),
        ),
    ];
    for (changed, label) in shared {
        if changed {
            r.refused.push(Refusal { kind: None, id: NIL, unit: None, label: label.to_string(), why: Why::Shared });
        }
    }
}

/// A newer issue of the branch this workspace is: the file's content,
/// with every change made here since the last issue put back on top, a
/// conflict where the issue changed the same record.
fn down(ours: &Workspace, theirs: &Workspace, mine: &BranchInfo, lang: Lang, r: &mut Review) {
    let new_members = Members::of(theirs, mine.root);
    fn section<R: Rec>(ours: &Workspace, theirs: &Workspace, mine: &BranchInfo, m: &Members, lang: Lang, r: &mut Review) {
        let b0 = &mine.base;
        // What the issue changes here.
        let (a, b) = (R::get(ours), R::get(theirs));
        let local = |id: &Id, rev: u64| b0.get(id) != Some(&rev);
        for (id, new) in b {
            let old = a.get(id);
            let mine_local = match version::<R>(ours, *id) {
                Some(v) => local(id, v.rev()),
                None => false,
            };
            if new.anchor(theirs) == Anchor::Local {
                continue;
            }
            if mine_local {
                let theirs_changed = b0.get(id) != Some(&new.rev());
                let same = old.is_some_and(|o| same_content(o, new));
                if theirs_changed && !same {
                    let (mine_at, theirs_at) = (version::<R>(ours, *id).map(|v| v.at()).unwrap_or(DateTime::UNIX_EPOCH), new.at());
                    r.conflicts.push(Conflict {
                        kind: R::KIND,
                        id: *id,
                        unit: new.unit(theirs),
                        label: new.label(theirs, lang),
                        fields: old.map(|o| R::fields(o, new, theirs, lang)).unwrap_or_default(),
                        mine_deleted: old.is_none(),
                        theirs_deleted: false,
                        mine_at,
                        theirs_at,
                        default: if theirs_at > mine_at { Side::Theirs } else { Side::Mine },
                    });
                }
                continue;
            }
            if !old.is_some_and(|o| same_content(o, new)) {
                r.changes.push(change_of(ours, theirs, *id, old, Some(new), lang));
            }
        }
        for (id, old) in a {
            if b.contains_key(id) || old.anchor(ours) == Anchor::Local {
                continue;
            }
            let mine_local = local(id, old.rev());
            if mine_local && b0.contains_key(id) {
                // Changed here, and gone from the new issue (deleted above,
                // or moved out of the branch): a conflict, never a silent loss.
                let gone_at = theirs
                    .tombstones
                    .get(id)
                    .map(|t| t.deleted_at)
                    .unwrap_or(mine.issued_at.max(theirs.branch.as_ref().map(|b| b.issued_at).unwrap_or(mine.issued_at)));
                r.conflicts.push(Conflict {
                    kind: R::KIND,
                    id: *id,
                    unit: old.unit(ours),
                    label: old.label(ours, lang),
                    fields: Vec::new(),
                    mine_deleted: false,
                    theirs_deleted: true,
                    mine_at: old.at(),
                    theirs_at: gone_at,
                    default: if gone_at > old.at() { Side::Theirs } else { Side::Mine },
                });
            } else if mine_local {
                // Added here since the last issue: kept if it still belongs.
                let member = |x: Id| m.contains(x) || !mine.base.contains_key(&x) && ours.holds_id(x);
                if place(old.anchor(ours), old.given(mine.root), &member) != Place::Branch {
                    r.refused.push(Refusal {
                        kind: Some(R::KIND),
                        id: *id,
                        unit: old.unit(ours),
                        label: old.label(ours, lang),
                        why: Why::LeftBranch,
                    });
                }
            } else {
                r.changes.push(change_of::<R>(ours, theirs, *id, Some(old), None, lang));
            }
        }
    }
    let m = new_members;
    each_section!(section(ours, theirs, mine, &m, lang, r));
}

// ---------------------------------------------------------------- apply

/// Applies a review: the changes, each conflict decided by `choices` (by
/// record id; the default side where not chosen), refused changes never.
/// Returns the merged document, with an exchange log entry made by `by`
/// with id `entry`. Validated: a merge that would break a rule is refused
/// whole.
#[allow(clippy::too_many_arguments)] // the two sides, the decisions and the log entry's who / when / id
pub fn apply(
    ours: &Workspace,
    theirs: &Workspace,
    review: &Review,
    choices: &BTreeMap<Id, Side>,
    now: DateTime<Utc>,
    by: Option<Sender>,
    entry: Id,
) -> Result<Workspace, ExchangeError> {
    let chosen = |c: &Conflict| choices.get(&c.id).copied().unwrap_or(c.default);
    let mut out = match review.direction {
        Direction::Full => review.full.clone().ok_or(ExchangeError::Stale)?,
        Direction::Up => {
            let mut out = ours.clone();
            let b = theirs.branch.as_ref().ok_or(ExchangeError::Stale)?;
            let m = up_members(ours, theirs, b);
            let member = |x: Id| m.contains(&x);
            for c in &review.changes {
                take(&mut out, ours, theirs, c.kind, c.id, None, &member);
            }
            for c in &review.conflicts {
                match chosen(c) {
                    Side::Theirs => take(&mut out, ours, theirs, c.kind, c.id, Some(now), &member),
                    // Kept here, above the file's: every copy agrees it was decided.
                    Side::Mine => bump(&mut out, c.kind, c.id, any_rev(theirs, c.id).unwrap_or(0), now),
                }
            }
            out
        }
        Direction::Down => {
            let mine = ours.branch.as_ref().ok_or(ExchangeError::Stale)?;
            let mut out = theirs.clone();
            out.scenarios = ours.scenarios.clone();
            out.exchange = ours.exchange.clone();
            let refused: HashSet<Id> = review.refused.iter().map(|x| x.id).collect();
            let conflicts: BTreeMap<Id, Side> = review.conflicts.iter().map(|c| (c.id, chosen(c))).gather_map();
            put_back_local(&mut out, ours, mine, &refused, &conflicts, now);
            out
        }
    };
    let mut counts = review.total();
    if review.direction == Direction::Up {
        counts.changed += review.conflicts.iter().filter(|c| chosen(c) == Side::Theirs).count() as u32;
    }
    let branch = review.branch.clone();
    let e = ExchangeEntry {
        id: entry,
        rev: 1,
        updated_at: now,
        action: ExchangeAction::Merged,
        branch: branch.as_ref().map(|b| b.0),
        branch_name: branch.map(|b| b.1).unwrap_or_else(|| Text::both(theirs.settings.workspace_name.clone())),
        by,
        sender: review.sender.clone(),
        file_at: review.file_at,
        checksum: review.checksum.clone(),
        counts,
        conflicts: review
            .conflicts
            .iter()
            .map(|c| ConflictNote { kind: c.kind, id: c.id, label: c.label.clone(), chosen: chosen(c) })
            .collect(),
        refused: review.refused.len() as u32,
        seen: if review.direction == Direction::Up { review.seen.clone() } else { BTreeMap::new() },
        kept: if review.direction == Direction::Up {
            review.seen.keys().filter_map(|id| any_rev(&out, *id).map(|r| (*id, r))).collect()
        } else {
            BTreeMap::new()
        },
    };
    out.exchange.insert(entry, e);
    crate::engine::merge::detach_work(&mut out);
    invalid(&out)?;
    Ok(out)
}

/// The revision of the record (or tombstone) `id`, whatever its kind.
fn any_rev(ws: &Workspace, id: Id) -> Option<u64> {
    fn look<R: Stamped>(ws: &Workspace, id: Id, out: &mut Option<u64>) {
        if out.is_none() {
            *out = R::get(ws).get(&id).map(|r| r.rev());
        }
    }
    let mut out = ws.tombstones.get(&id).map(|t| t.rev);
    each_section!(look(ws, id, &mut out));
    out
}

/// Gives our version of a record (live or deleted) a revision above `above`.
fn bump(out: &mut Workspace, kind: Kind, id: Id, above: u64, now: DateTime<Utc>) {
    fn one<R: Stamped>(out: &mut Workspace, id: Id, above: u64, now: DateTime<Utc>) {
        if let Some(r) = R::get_mut(out).get_mut(&id) {
            let rev = r.rev().max(above) + 1;
            r.stamp(rev, now);
        } else if let Some(t) = out.tombstones.get_mut(&id) {
            t.rev = t.rev.max(above) + 1;
            t.deleted_at = now;
        }
    }
    by_kind!(kind, one(out, id, above, now))
}

/// Puts the file's version of one record into `out` (live or deleted),
/// its hidden references restored from ours. A decided conflict gets a
/// revision above both sides, stamped `restamp`.
#[allow(clippy::too_many_arguments)]
fn take(
    out: &mut Workspace,
    ours: &Workspace,
    theirs: &Workspace,
    kind: Kind,
    id: Id,
    restamp: Option<DateTime<Utc>>,
    member: &dyn Fn(Id) -> bool,
) {
    #[allow(clippy::too_many_arguments)]
    fn one<R: Rec>(
        out: &mut Workspace,
        ours: &Workspace,
        theirs: &Workspace,
        id: Id,
        restamp: Option<DateTime<Utc>>,
        member: &dyn Fn(Id) -> bool,
    ) {
        let mine_rev = version::<R>(ours, id).map(|v| v.rev()).unwrap_or(0);
        match R::get(theirs).get(&id) {
            Some(x) => {
                let mut x = x.clone();
                if let Some(m) = R::get(ours).get(&id) {
                    x.restore(m, member);
                }
                let tomb = out.tombstones.remove(&id).map(|t| t.rev).unwrap_or(0);
                if let Some(at) = restamp {
                    x.stamp(mine_rev.max(x.rev()).max(tomb) + 1, at);
                } else if tomb.max(mine_rev) >= x.rev() {
                    // Edited by hand without a new revision, or over a
                    // deletion: above both, so every copy agrees it is newer.
                    let at = x.at();
                    x.stamp(tomb.max(mine_rev) + 1, at);
                }
                R::get_mut(out).insert(id, x);
            }
            None => {
                let Some(t) = theirs.tombstones.get(&id) else { return };
                R::get_mut(out).remove(&id);
                let mut t = t.clone();
                t.rev = t.rev.max(mine_rev + 1);
                if let Some(at) = restamp {
                    t.deleted_at = at;
                }
                out.tombstones.insert(id, t);
            }
        }
    }
    by_kind!(kind, one(out, ours, theirs, id, restamp, member))
}

/// Down: every record changed here since the last issue goes back on top
/// of the new issue, unless refused or a conflict decided for the issue.
fn put_back_local(
    out: &mut Workspace,
    ours: &Workspace,
    mine: &BranchInfo,
    refused: &HashSet<Id>,
    conflicts: &BTreeMap<Id, Side>,
    now: DateTime<Utc>,
) {
    fn one<R: Rec>(
        out: &mut Workspace,
        ours: &Workspace,
        mine: &BranchInfo,
        refused: &HashSet<Id>,
        conflicts: &BTreeMap<Id, Side>,
        now: DateTime<Utc>,
    ) {
        for (id, x) in R::get(ours) {
            if x.anchor(ours) == Anchor::Local || mine.base.get(id) == Some(&x.rev()) || refused.contains(id) {
                continue;
            }
            let theirs_rev = version::<R>(out, *id).map(|v| v.rev());
            let mut x = x.clone();
            match conflicts.get(id) {
                Some(Side::Theirs) => continue,
                Some(Side::Mine) => x.stamp(x.rev().max(theirs_rev.unwrap_or(0)) + 1, now),
                None => {}
            }
            out.tombstones.remove(id);
            R::get_mut(out).insert(*id, x);
        }
        for t in ours.tombstones.values().filter(|t| t.kind == R::KIND && mine.base.contains_key(&t.id)) {
            if refused.contains(&t.id) || conflicts.get(&t.id) == Some(&Side::Theirs) {
                continue;
            }
            let theirs_rev = version::<R>(out, t.id).map(|v| v.rev());
            let mut t = t.clone();
            if conflicts.get(&t.id) == Some(&Side::Mine) {
                // Kept over the issue's version: above it, so it still travels up.
                t.rev = t.rev.max(theirs_rev.unwrap_or(0)) + 1;
                t.deleted_at = now;
            }
            R::get_mut(out).remove(&t.id);
            out.tombstones.insert(t.id, t);
        }
    }
    each_section!(one(out, ours, mine, refused, conflicts, now));
}

/// The log entry for a file written (sent down, or sent back up).
pub fn sent_entry(
    file: &Workspace,
    action: ExchangeAction,
    id: Id,
    now: DateTime<Utc>,
    by: Option<Sender>,
    checksum: String,
) -> ExchangeEntry {
    let b = file.branch.as_ref();
    let counts = match action {
        ExchangeAction::SentBack => unsent(file),
        _ => Counts { added: b.map(|b| b.base.len() as u32).unwrap_or(0), changed: 0, deleted: 0 },
    };
    ExchangeEntry {
        id,
        rev: 1,
        updated_at: now,
        action,
        branch: b.map(|b| b.root),
        branch_name: b.and_then(|b| file.units.get(&b.root)).map(|u| u.name.clone()).unwrap_or_default(),
        by,
        sender: None,
        file_at: now,
        checksum,
        counts,
        conflicts: Vec::new(),
        refused: 0,
        seen: BTreeMap::new(),
        kept: BTreeMap::new(),
    }
}

/// Kind names in the plural, for counts.
pub fn kind_plural(kind: Kind, lang: Lang) -> &'static str {
    match kind {
        Kind::Tier => lang.pick("层级", "tiers"),
        Kind::Unit => lang.pick("组织单元", "units"),
        Kind::Person => lang.pick("人员", "people"),
        Kind::Skill => lang.pick("技能", "skills"),
        Kind::Grade => lang.pick("职级", "grades"),
        Kind::Target => lang.pick("目标", "targets"),
        Kind::Budget => lang.pick("预算", "budgets"),
        Kind::Headcount => lang.pick("编制", "headcount plans"),
        Kind::Category => lang.pick("预算类别", "budget categories"),
        Kind::Tool => lang.pick("工具", "tools"),
        Kind::TimeSplit => lang.pick("时间分配", "time splits"),
        Kind::Scenario => lang.pick("情景", "scenarios"),
        Kind::Customer => lang.pick("客户", "customers"),
        Kind::Stage => lang.pick("阶段", "stages"),
        Kind::Opportunity => lang.pick("商机", "deals"),
        Kind::Override => lang.pick("预测判断", "forecast calls"),
        Kind::Scorecard => lang.pick("评分卡", "scorecards"),
        Kind::Kpi => lang.pick("自定义指标", "custom KPIs"),
        Kind::KpiEntry => lang.pick("指标录入", "KPI entries"),
        Kind::IncentivePlan => lang.pick("激励方案", "incentive plans"),
        Kind::Pool => lang.pick("奖金池", "bonus pools"),
        Kind::Spif => lang.pick("专项激励", "SPIFs"),
        Kind::Exchange => lang.pick("文件往来记录", "exchange log entries"),
        Kind::Key => lang.pick("已知公钥", "known keys"),
        Kind::Activity => lang.pick("跟进记录", "activities"),
        Kind::Task => lang.pick("任务", "tasks"),
    }
}

/// "+2 ~5 −1": added, changed, deleted.
pub fn counts_text(c: &Counts) -> String {
    let mut parts = Vec::new();
    if c.added > 0 {
        parts.push(format!("+{}", c.added));
    }
    if c.changed > 0 {
        parts.push(format!("~{}", c.changed));
    }
    if c.deleted > 0 {
        parts.push(format!("−{}", c.deleted));
    }
    parts.join(" ")
}

/// "3 added, 2 changed, 1 deleted" / "新增3、修改2、删除1": [`counts_text`]
/// in words, for a sentence; empty when nothing.
pub fn counts_words(c: &Counts, lang: Lang) -> String {
    let parts: Vec<String> = [(c.added, "新增", "added"), (c.changed, "修改", "changed"), (c.deleted, "删除", "deleted")]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, zh, en)| lang.pick(format!("{zh}{n}"), format!("{n} {en}")))
        .collect();
    parts.join(lang.pick("、", ", "))
}

/// The review as lines of text (the CLI prints it; the app shows the same
/// facts in its dialog): who and when, counts per kind, every conflict with
/// both values and the side that will be kept, every refused change.
pub fn summary(r: &Review, choices: &BTreeMap<Id, Side>, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let who = r.sender.as_ref().map(|s| s.name.get(lang).to_string()).unwrap_or_else(|| lang.pick("未署名", "not said").to_string());
    let what = match &r.branch {
        Some((_, name)) => lang.pick(format!("分支“{}”", name.get(lang)), format!("branch “{}”", name.get(lang))),
        None => lang.pick("完整工作区".to_string(), "whole workspace".to_string()),
    };
    out.push(lang.pick(
        format!("{what}，发送人：{who}，文件时间 {}", r.file_at.format("%Y-%m-%d %H:%M UTC")),
        format!("{what}, from {who}, written {}", r.file_at.format("%Y-%m-%d %H:%M UTC")),
    ));
    if let Some(at) = r.merged_before {
        out.push(lang.pick(
            format!("此文件已于 {} 合并过", at.format("%Y-%m-%d %H:%M")),
            format!("this file was already merged on {}", at.format("%Y-%m-%d %H:%M")),
        ));
    }
    if r.is_empty() {
        out.push(lang.pick("没有新内容".into(), "nothing new".into()));
    }
    for (kind, c) in &r.counts {
        out.push(format!("  {}{}{}", kind_plural(*kind, lang), lang.colon(), counts_text(c)));
    }
    if !r.conflicts.is_empty() {
        out.push(lang.pick(
            format!("冲突 {} 项（双方都改过）：", r.conflicts.len()),
            format!("{} conflicts (changed on both sides):", r.conflicts.len()),
        ));
    }
    for c in &r.conflicts {
        let side = choices.get(&c.id).copied().unwrap_or(c.default);
        let keep = match side {
            Side::Mine => lang.pick("保留我的", "keeping mine"),
            Side::Theirs => lang.pick("采用对方的", "taking theirs"),
        };
        let deleted = lang.pick("已删除", "deleted");
        let values: Vec<String> = if c.mine_deleted || c.theirs_deleted {
            vec![format!(
                "{} → {}",
                if c.mine_deleted { deleted } else { lang.pick("已修改", "edited") },
                if c.theirs_deleted { deleted } else { lang.pick("已修改", "edited") }
            )]
        } else {
            c.fields.iter().map(|f| format!("{}{}{} ≠ {}", f.field, lang.colon(), f.old, f.new)).collect()
        };
        out.push(match lang {
            Lang::Zh => format!("  {}【{}】{}（{keep}）", c.label, kind_plural(c.kind, lang), values.join("；")),
            Lang::En => format!("  {} [{}] {} ({keep})", c.label, kind_plural(c.kind, lang), values.join("; ")),
        });
    }
    if !r.refused.is_empty() {
        out.push(lang.pick(format!("拒绝 {} 项：", r.refused.len()), format!("{} refused:", r.refused.len())));
    }
    for x in &r.refused {
        let kind =
            x.kind.map(|k| lang.pick(format!("【{}】", kind_plural(k, lang)), format!(" [{}]", kind_plural(k, lang)))).unwrap_or_default();
        out.push(format!("  {}{kind} — {}", x.label, x.why.message(lang)));
    }
    out
}
