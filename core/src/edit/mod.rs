//! The one edit path. Every change to a workspace is an [`Edit`] applied by
//! [`apply`], which validates it and returns a [`Patch`] that undoes it.
//! Applying a patch returns the patch that redoes it, so undo and redo are
//! the same operation.
//!
//! The pieces: [`Edit`] and its dispatch here; the errors in `error`; the
//! transaction, patches and undo history in `tx`; the field types edits
//! carry in `fields`; and the arms by pillar in `org`, `plan`, `crm` and
//! `perf`.

use crate::calendar::Period;
use crate::engine::plan::Method;
use crate::model::*;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

mod crm;
mod error;
mod fields;
mod org;
mod perf;
mod plan;
mod tx;
mod work;
use crm::crm;
use tx::Tx;

pub use error::EditError;
pub use fields::{ActivityFields, CustomerFields, OpportunityFields, PersonFields, PoolFields, SettingsPatch, StageFields, TaskFields};
pub use tx::{log_exchange, replace, History, Patch, HISTORY_BYTES, HISTORY_LIMIT};

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
    /// Logs a call, visit, meeting, e-mail or note.
    LogActivity {
        id: Id,
        fields: ActivityFields,
    },
    UpdateActivity {
        id: Id,
        fields: ActivityFields,
    },
    /// Tasks made of its next step stay.
    DeleteActivity {
        id: Id,
    },
    /// A new open task, made on `on` by `by`.
    AddTask {
        id: Id,
        fields: TaskFields,
        by: Option<Id>,
        on: NaiveDate,
    },
    UpdateTask {
        id: Id,
        fields: TaskFields,
    },
    /// Marks a task done on a day, or open again (None).
    SetTaskDone {
        id: Id,
        done: Option<NaiveDate>,
    },
    DeleteTask {
        id: Id,
    },
    /// Several edits as one step: all apply, or none (one undo step).
    Batch {
        edits: Vec<Edit>,
    },
    // ---- pillar 2: plan. `scenario: None` edits the plan itself.
    /// Sets an owner's target over a period; a quarter or year is spread
    /// over its months in proportion to what they hold (equally if empty).
    SetTarget {
        scenario: Option<Id>,
        owner: Id,
        kind: TargetKind,
        year: i32,
        period: Period,
        amount: i64,
    },
    SetTargetOptions {
        scenario: Option<Id>,
        owner: Id,
        kind: TargetKind,
        year: i32,
        locked: Option<bool>,
        weight: Option<u32>,
        buffer_bp: Option<u32>,
    },
    /// Splits a unit's target for the period among its unlocked children.
    /// With `deep`, every unit below is then split the same way, level by level.
    Cascade {
        scenario: Option<Id>,
        unit: Id,
        kind: TargetKind,
        year: i32,
        period: Period,
        method: Method,
        #[serde(default)]
        deep: bool,
    },
    SetBudget {
        scenario: Option<Id>,
        unit: Id,
        year: i32,
        category: Id,
        amount: Money,
    },
    SetHeadcount {
        scenario: Option<Id>,
        unit: Id,
        year: i32,
        hires: Vec<Hire>,
        attrition: u32,
    },
    SetAssumptions {
        scenario: Option<Id>,
        quota_per_rep: Money,
        expected_attainment: u32,
        ramp: Vec<u32>,
    },
    /// Locks or unlocks fiscal months (1–12) of a year.
    LockMonths {
        year: i32,
        months: Vec<u8>,
        locked: bool,
    },
    AddCategory {
        id: Id,
        name: Text,
    },
    RenameCategory {
        id: Id,
        name: Text,
    },
    /// Refused while any budget uses the category.
    RemoveCategory {
        id: Id,
    },
    AddTool {
        id: Id,
        name: Text,
        cost_per_seat: Money,
    },
    UpdateTool {
        id: Id,
        name: Text,
        cost_per_seat: Money,
    },
    SetSeat {
        tool: Id,
        person: Id,
        on: bool,
    },
    RemoveTool {
        id: Id,
    },
    /// Sets a tier's default split or a person's override; None clears it.
    SetTimeSplit {
        owner: Id,
        split: Option<Split>,
    },
    /// Copies the plan (or another scenario) into a new named scenario.
    CreateScenario {
        id: Id,
        name: Text,
        from: Option<Id>,
    },
    RenameScenario {
        id: Id,
        name: Text,
    },
    DeleteScenario {
        id: Id,
    },
    /// Makes the scenario's plan the plan (locked months keep their targets).
    AdoptScenario {
        id: Id,
    },
    AddCustomer {
        id: Id,
        fields: CustomerFields,
    },
    UpdateCustomer {
        id: Id,
        fields: CustomerFields,
    },
    /// Refused while opportunities belong to the customer.
    DeleteCustomer {
        id: Id,
    },
    /// `on` and `by` go into the stage history (the first entry).
    AddOpportunity {
        id: Id,
        fields: OpportunityFields,
        by: Option<Id>,
    },
    /// A stage change is kept in the history with `on` and `by`.
    UpdateOpportunity {
        id: Id,
        fields: OpportunityFields,
        on: NaiveDate,
        by: Option<Id>,
    },
    /// Moves a deal to a stage (kanban): probability and forecast category
    /// follow the stage's defaults; won and lost stages close it on `on`.
    SetStage {
        id: Id,
        stage: Id,
        on: NaiveDate,
        by: Option<Id>,
    },
    DeleteOpportunity {
        id: Id,
    },
    AddStage {
        id: Id,
        fields: StageFields,
    },
    UpdateStage {
        id: Id,
        fields: StageFields,
    },
    /// Moves a stage to position `order` and renumbers the rest.
    MoveStage {
        id: Id,
        order: u32,
    },
    /// Refused while deals are in the stage.
    RemoveStage {
        id: Id,
    },
    /// A manager's call on a forecast number; None clears it.
    SetOverride {
        owner: Id,
        year: i32,
        period: Period,
        category: ForecastCategory,
        amount: Option<Money>,
        note: String,
        by: Option<Id>,
    },
    /// A tier's scorecard: KPIs with weights summing to 100 %.
    SetScorecard {
        tier: Id,
        lines: Vec<KpiLine>,
    },
    AddKpi {
        id: Id,
        name: Text,
    },
    RenameKpi {
        id: Id,
        name: Text,
    },
    /// Refused while a scorecard uses it; its entries go with it.
    RemoveKpi {
        id: Id,
    },
    /// A manual KPI's (actual, target) for a person and period; None clears it.
    SetKpiEntry {
        person: Id,
        kpi: KpiKind,
        year: i32,
        period: Period,
        figures: Option<(i64, i64)>,
        note: String,
        by: Option<Id>,
    },
    SetBands {
        bands: Vec<Band>,
    },
    /// Adds or replaces an incentive plan.
    PutPlan {
        plan: IncentivePlan,
    },
    DeletePlan {
        id: Id,
    },
    /// A unit's bonus pool for a period; None removes it.
    SetPool {
        unit: Id,
        year: i32,
        period: Period,
        pool: Option<PoolFields>,
    },
    /// Adds or replaces a SPIF.
    PutSpif {
        spif: Spif,
    },
    DeleteSpif {
        id: Id,
    },
    /// Records a person's public key (known keys). Recording a key that is
    /// already known for the same person changes nothing; for another
    /// person it is refused. A revoked key stays revoked.
    RecordKey {
        person: Sender,
        key: PublicKey,
        origin: KeyOrigin,
        by: Option<Sender>,
    },
    /// Marks a known key revoked from `at`; the record is kept, so files
    /// it signed are recognised as signed with a revoked key.
    RevokeKey {
        id: Id,
        at: DateTime<Utc>,
    },
}

/// Applies one edit. On success the document is valid again and the
/// returned patch undoes the edit; on error the document is unchanged.
pub fn apply(ws: &mut Workspace, edit: &Edit, now: DateTime<Utc>) -> Result<Patch, EditError> {
    let mut tx = Tx { ws, now, priors: Vec::new(), touched: HashSet::new() };
    // Money totals are checked once per edit (a batch of imported rows is
    // one edit), so no sum an engine takes can overflow. The document was
    // within them before, so only a total whose terms the edit raised can
    // have passed its limit: those are added up again, the others not.
    let result = run(&mut tx, edit).and_then(|()| match crate::engine::validate::totals_of(tx.ws, tx.raised()).into_iter().next() {
        Some(p) => {
            let names = crate::engine::validate::Names::lookup(tx.ws, p.ids());
            Err(EditError::Invalid(Box::new(p), names))
        }
        None => Ok(()),
    });
    match result {
        Ok(()) => {
            let patch = Patch { priors: tx.priors }.compact(ws);
            match ws.branch.as_ref().map(|b| b.root) {
                None => Ok(patch),
                Some(root) => branch_guard(ws, root, patch),
            }
        }
        Err(e) => {
            tx.rollback();
            Err(e)
        }
    }
}

/// In a branch workspace, an edit may change only records of the branch:
/// each touched record is placed (`engine::exchange::place`) as it was
/// before the edit and as it is after; anything given from above, shared
/// or outside refuses the whole edit.
fn branch_guard(ws: &mut Workspace, root: Id, patch: Patch) -> Result<Patch, EditError> {
    use crate::engine::exchange::{place_of, Listing, Members, Place};
    use crate::store::cells::Section;
    let keys = patch.cells(ws);
    let kind_of = |s: Section| -> Option<Option<Kind>> {
        Some(Some(match s {
            Section::Settings | Section::Performance | Section::Assumptions => return Some(None),
            Section::Meta | Section::Tombstones | Section::Branch => return None,
            Section::Tiers => Kind::Tier,
            Section::Units => Kind::Unit,
            Section::People => Kind::Person,
            Section::Skills => Kind::Skill,
            Section::Grades => Kind::Grade,
            Section::Targets => Kind::Target,
            Section::Budgets => Kind::Budget,
            Section::Headcount => Kind::Headcount,
            Section::Scenarios => Kind::Scenario,
            Section::Categories => Kind::Category,
            Section::Tools => Kind::Tool,
            Section::TimeSplits => Kind::TimeSplit,
            Section::Customers => Kind::Customer,
            Section::Stages => Kind::Stage,
            Section::Opportunities => Kind::Opportunity,
            Section::Overrides => Kind::Override,
            Section::Scorecards => Kind::Scorecard,
            Section::Kpis => Kind::Kpi,
            Section::KpiEntries => Kind::KpiEntry,
            Section::IncentivePlans => Kind::IncentivePlan,
            Section::Pools => Kind::Pool,
            Section::Spifs => Kind::Spif,
            Section::Exchange => Kind::Exchange,
            Section::Keys => Kind::Key,
            Section::Activities => Kind::Activity,
            Section::Tasks => Kind::Task,
        }))
    };
    // Every record the edit touched that the branch may not change, with
    // its people list when it has one (seats, plan members).
    let refused = |ws: &Workspace| {
        let members = Members::of(ws, root);
        let list: Vec<_> = keys
            .iter()
            .filter_map(|k| {
                let kind = kind_of(k.section)?;
                let id = k.id.unwrap_or(ws.meta.id);
                match place_of(ws, kind, id, &members)? {
                    Place::Branch | Place::Local => None,
                    p => Some((kind, id, p, kind.and_then(|k| Listing::of(ws, k, id)))),
                }
            })
            .collect();
        (list, members)
    };
    let (after, members_after) = refused(ws);
    // Look at the records as they were, then put the edit back.
    let redo = patch.apply(ws);
    let (before, members) = refused(ws);
    let patch = redo.apply(ws);
    // A tool's seats or a plan's members changed only for people of the branch: allowed.
    let waived = |(kind, id, _, list): &(Option<Kind>, Id, Place, Option<Listing>)| {
        let was = before.iter().find(|b| b.0 == *kind && b.1 == *id).and_then(|b| b.3.as_ref());
        match (list, was) {
            (Some(now), Some(was)) => now.only_members_differ(was, &members) && now.only_members_differ(was, &members_after),
            _ => false,
        }
    };
    let allowed: Vec<(Option<Kind>, Id)> = after.iter().filter(|x| waived(x)).map(|x| (x.0, x.1)).collect();
    let after = after.iter().find(|x| !allowed.contains(&(x.0, x.1))).map(|(k, i, p, _)| (*k, *i, *p));
    let before = before.iter().find(|x| !allowed.contains(&(x.0, x.1))).map(|(k, i, p, _)| (*k, *i, *p));
    match after.or(before) {
        None => Ok(patch),
        Some((kind, id, place)) => {
            let name = |lang: crate::Lang| match kind {
                Some(k) => crate::engine::exchange::label_of(ws, k, id, lang),
                None => lang.pick("工作区设置", "the workspace settings").to_string(),
            };
            let (label_zh, label) = (name(crate::Lang::Zh), name(crate::Lang::En));
            patch.apply(ws);
            Err(EditError::NotInBranch { given: place == Place::Given, shared: place == Place::Shared, label: Text::new(label_zh, label) })
        }
    }
}

fn run(tx: &mut Tx, edit: &Edit) -> Result<(), EditError> {
    match edit {
        Edit::UpdateSettings(_)
        | Edit::AddTier { .. }
        | Edit::UpdateTier { .. }
        | Edit::MoveTier { .. }
        | Edit::RemoveTier { .. }
        | Edit::AddUnit { .. }
        | Edit::RenameUnit { .. }
        | Edit::MoveUnit { .. }
        | Edit::DeleteUnit { .. }
        | Edit::SetManager { .. }
        | Edit::AddPerson { .. }
        | Edit::UpdatePerson { .. }
        | Edit::MovePerson { .. }
        | Edit::DeletePerson { .. }
        | Edit::AddSkill { .. }
        | Edit::RenameSkill { .. }
        | Edit::RemoveSkill { .. }
        | Edit::SetRating { .. }
        | Edit::AddGrade { .. }
        | Edit::UpdateGrade { .. }
        | Edit::RemoveGrade { .. }
        | Edit::RecordPromotion { .. } => org::org(tx, edit)?,
        Edit::SetTarget { .. }
        | Edit::SetTargetOptions { .. }
        | Edit::Cascade { .. }
        | Edit::SetBudget { .. }
        | Edit::SetHeadcount { .. }
        | Edit::SetAssumptions { .. }
        | Edit::LockMonths { .. }
        | Edit::AddCategory { .. }
        | Edit::RenameCategory { .. }
        | Edit::RemoveCategory { .. }
        | Edit::AddTool { .. }
        | Edit::UpdateTool { .. }
        | Edit::SetSeat { .. }
        | Edit::RemoveTool { .. }
        | Edit::SetTimeSplit { .. }
        | Edit::CreateScenario { .. }
        | Edit::RenameScenario { .. }
        | Edit::DeleteScenario { .. }
        | Edit::AdoptScenario { .. } => plan::plan(tx, edit)?,
        Edit::Batch { edits } => {
            for e in edits {
                run(tx, e)?;
            }
        }
        Edit::AddCustomer { .. }
        | Edit::UpdateCustomer { .. }
        | Edit::DeleteCustomer { .. }
        | Edit::AddOpportunity { .. }
        | Edit::UpdateOpportunity { .. }
        | Edit::SetStage { .. }
        | Edit::DeleteOpportunity { .. }
        | Edit::AddStage { .. }
        | Edit::UpdateStage { .. }
        | Edit::MoveStage { .. }
        | Edit::RemoveStage { .. }
        | Edit::SetOverride { .. } => crm(tx, edit)?,
        Edit::SetScorecard { .. }
        | Edit::AddKpi { .. }
        | Edit::RenameKpi { .. }
        | Edit::RemoveKpi { .. }
        | Edit::SetKpiEntry { .. }
        | Edit::SetBands { .. }
        | Edit::PutPlan { .. }
        | Edit::DeletePlan { .. }
        | Edit::SetPool { .. }
        | Edit::PutSpif { .. }
        | Edit::DeleteSpif { .. } => perf::perf(tx, edit)?,
        Edit::LogActivity { .. }
        | Edit::UpdateActivity { .. }
        | Edit::DeleteActivity { .. }
        | Edit::AddTask { .. }
        | Edit::UpdateTask { .. }
        | Edit::SetTaskDone { .. }
        | Edit::DeleteTask { .. } => work::work(tx, edit)?,
        Edit::RecordKey { person, key, origin, by } => {
            if person.name.is_blank() {
                return Err(EditError::BlankName);
            }
            if !crate::io::seal::usable(key) {
                return Err(EditError::UnusableKey);
            }
            let id = KnownKey::id_for(key);
            match tx.ws.keys.get(&id) {
                Some(k) if k.person != person.id => return Err(EditError::KeyOfAnother { person: k.person, name: k.name.clone() }),
                Some(KnownKey { revoked_at: Some(at), .. }) => return Err(EditError::KeyRevoked { at: *at }),
                Some(_) => {}
                None => {
                    if tx.ws.keys.len() >= crate::limits::MAX_KEYS {
                        return Err(EditError::Limit { kind: Kind::Key, max: crate::limits::MAX_KEYS });
                    }
                    let now = tx.now;
                    tx.put(KnownKey {
                        id,
                        rev: 0,
                        updated_at: now,
                        person: person.id,
                        name: person.name.clone(),
                        key: *key,
                        origin: *origin,
                        recorded_at: now,
                        recorded_by: by.clone(),
                        revoked_at: None,
                    });
                }
            }
        }
        Edit::RevokeKey { id, at } => {
            let k = tx.ws.keys.get(id).ok_or(EditError::NotFound { kind: Kind::Key, id: *id })?;
            if k.revoked_at.is_none() {
                let k = KnownKey { revoked_at: Some((*at).max(k.recorded_at)), ..k.clone() };
                tx.put(k);
            }
        }
    }
    Ok(())
}
