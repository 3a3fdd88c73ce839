//! `Patch::labels_only`: the app keeps standings, grades, payouts and the
//! index's org as they were after an edit that only renamed people or
//! units (their names, titles, contact details, notes). These tests check
//! that such an edit is recognised, that any other change to a person or a
//! unit is not, and that every figure is indeed the same after a relabel.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::demo::{generate, DemoOptions};
use sales_tiers_core::edit::{History, PersonFields};
use sales_tiers_core::engine::grading::assess_all;
use sales_tiers_core::engine::home::year_standings;
use sales_tiers_core::engine::index::Index;
use sales_tiers_core::engine::perf::payouts;
use sales_tiers_core::model::*;
use sales_tiers_core::{apply, Edit, Workspace};
use std::sync::OnceLock;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

fn today() -> NaiveDate {
    now().date_naive()
}

fn demo() -> &'static Workspace {
    static WS: OnceLock<Workspace> = OnceLock::new();
    WS.get_or_init(|| generate(&DemoOptions { people: 77, ..DemoOptions::new(now()) }))
}

/// Every figure the app derives once per change and shares between pages,
/// from a freshly built index, in a form that compares.
fn figures(ws: &Workspace) -> impl PartialEq + std::fmt::Debug {
    let ix = Index::new(ws);
    let year = 2026;
    let pay = |p: Period| {
        let x = payouts(ws, &ix, &ws.incentive_plans, year, p, today());
        let cards = x.cards().clone();
        (x.people, x.units, x.paid, x.total, cards)
    };
    (ix.org.clone(), year_standings(ws, &ix, year, today()), assess_all(ws, &ix, today()), pay(Period::Year), pay(Period::Quarter(4)))
}

/// A person's record with the fields a relabel may change blanked.
fn beyond_labels(p: &Person) -> (Id, Id, Option<NaiveDate>, Status, Vec<HistoryEntry>, Option<Id>) {
    (p.tier, p.unit, p.hire_date, p.status, p.history.clone(), p.grade)
}

#[test]
fn renaming_a_unit_is_a_relabel_and_moving_it_is_not() {
    let mut ws = demo().clone();
    let before = figures(&ws);
    let root = ws.units.values().find(|u| u.parent.is_none()).unwrap().id;
    let region = ws.units.values().find(|u| u.parent == Some(root)).unwrap().id;
    let name = Text { zh: "新名字".into(), en: "New name".into() };
    let patch = apply(&mut ws, &Edit::RenameUnit { id: region, name }, now()).unwrap();
    assert!(patch.labels_only(&ws));
    assert_eq!(figures(&ws), before);

    // A team moved to another region changes the tree: not a relabel.
    let other = ws.units.values().find(|u| u.parent == Some(root) && u.id != region).unwrap().id;
    let team = ws.units.values().find(|u| u.parent == Some(region)).unwrap().id;
    let patch = apply(&mut ws, &Edit::MoveUnit { id: team, parent: other }, now()).unwrap();
    assert!(!patch.labels_only(&ws));
    assert_ne!(figures(&ws), before, "a team moved changes the regions' figures");
}

#[test]
fn adding_a_person_is_not_a_relabel() {
    let mut ws = demo().clone();
    let p = ws.people.values().next().unwrap().clone();
    let fields = PersonFields { name: Text { zh: "新人".into(), en: "New hire".into() }, ..PersonFields::of(&p) };
    let patch = apply(&mut ws, &Edit::AddPerson { id: Id::from_random_bytes([7; 16]), unit: p.unit, fields }, now()).unwrap();
    assert!(!patch.labels_only(&ws));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A person's update, any mix of label and other fields: a relabel
    /// exactly when nothing but labels changed, figures the same after a
    /// relabel, and the undo of it a relabel too.
    #[test]
    fn a_person_update_is_a_relabel_exactly_when_only_labels_change(
        who in 0usize..1000,
        labels in prop::collection::vec(any::<bool>(), 5),
        others in prop::collection::vec(any::<bool>(), 3),
        days in 1i64..400,
    ) {
        let mut ws = demo().clone();
        let people: Vec<&Person> = ws.people.values().filter(|p| p.status != Status::Left).collect();
        let p = people[who % people.len()].clone();
        let before = figures(&ws);
        let mut f = PersonFields::of(&p);
        let mark = |s: &str| format!("{s} (changed)");
        if labels[0] { f.name = Text { zh: mark(&f.name.zh), en: mark(&f.name.en) }; }
        if labels[1] { f.title = Text { zh: mark(&f.title.zh), en: mark(&f.title.en) }; }
        if labels[2] { f.email = format!("x{}", f.email); }
        if labels[3] { f.phone = mark(&f.phone); }
        if labels[4] { f.notes = mark(&f.notes); }
        if others[0] {
            let tiers: Vec<Id> = ws.tiers.keys().copied().collect();
            f.tier = tiers[(tiers.iter().position(|t| *t == f.tier).unwrap_or(0) + 1) % tiers.len()];
        }
        if others[1] { f.hire_date = Some(f.hire_date.unwrap_or(today()) - Duration::days(days)); }
        if others[2] { f.status = if f.status == Status::OnLeave { Status::Active } else { Status::OnLeave }; }
        let changed_other = others.iter().any(|x| *x);
        let patch = match apply(&mut ws, &Edit::UpdatePerson { id: p.id, fields: f }, now()) {
            Ok(patch) => patch,
            // Some changes are refused (a tier a manager cannot hold): nothing to check.
            Err(e) => {
                prop_assert!(changed_other, "a relabel refused: {:?}", e);
                return Ok(());
            }
        };
        prop_assume!(!patch.is_empty());
        let now_p = &ws.people[&p.id];
        let relabel = patch.labels_only(&ws);
        prop_assert_eq!(relabel, beyond_labels(&p) == beyond_labels(now_p));
        if !changed_other {
            prop_assert!(relabel, "only labels changed");
        }
        if relabel {
            prop_assert_eq!(figures(&ws), before);
        }
        // Undone, the same answer (the undo's patch restores the record).
        let mut h = History::default();
        h.record(patch);
        prop_assert!(h.undo(&mut ws));
        prop_assert_eq!(h.last_undone().unwrap().labels_only(&ws), relabel);
    }
}

/// The People dialog sends its changes as one batch: a rename alone is a
/// relabel; with a skill rating changed (grades can read skills) it is not.
#[test]
fn the_people_dialogs_batch_is_a_relabel_only_when_it_renames() {
    let mut ws = demo().clone();
    let p = ws.people.values().find(|p| p.status == Status::Active).unwrap().clone();
    let skill = *ws.skills.keys().next().expect("the demo has skills");
    let renamed = |n: &str| PersonFields { name: Text { zh: n.into(), en: n.into() }, ..PersonFields::of(&p) };
    let before = figures(&ws);
    let batch = Edit::Batch { edits: vec![Edit::UpdatePerson { id: p.id, fields: renamed("Renamed once") }] };
    let patch = apply(&mut ws, &batch, now()).unwrap();
    assert!(patch.labels_only(&ws));
    assert_eq!(figures(&ws), before);

    let rating = if p.skills.get(&skill) == Some(&5) { 4 } else { 5 };
    let batch = Edit::Batch {
        edits: vec![
            Edit::UpdatePerson { id: p.id, fields: renamed("Renamed twice") },
            Edit::SetRating { person: p.id, skill, rating: Some(rating) },
        ],
    };
    let patch = apply(&mut ws, &batch, now()).unwrap();
    assert!(!patch.labels_only(&ws));
}
