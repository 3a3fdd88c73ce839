//! Branch files between managers: export, the branch's edit guard, the
//! merge review (changes, conflicts, refused), repeated rounds, deletions,
//! moves across branches, newer issues, and that a branch leaks nothing.

// Money literals read as units_cents (1_000_00 is 1,000.00).
#![allow(clippy::inconsistent_digit_grouping)]

mod common;

use common::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::edit::{ActivityFields, TaskFields};
use sales_tiers_core::engine::exchange::{self, Direction, ExchangeError, Op, Review, Why};
use sales_tiers_core::engine::plan::Method;
use sales_tiers_core::engine::validate::validate;
use sales_tiers_core::model::*;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{apply, io, Edit, EditError, Id, Lang, Workspace};
use std::collections::BTreeMap;

const Y: i32 = 2026;

fn director() -> Workspace {
    demo()
}

/// The regions (children of the root), by order.
fn regions(ws: &Workspace) -> Vec<Id> {
    let root = ws.root().unwrap().id;
    let mut v: Vec<&Unit> = ws.units.values().filter(|u| u.parent == Some(root)).collect();
    v.arrange_by_key(|u| (u.order, u.id));
    v.iter().map(|u| u.id).collect()
}

fn teams(ws: &Workspace, region: Id) -> Vec<Id> {
    let mut v: Vec<&Unit> = ws.units.values().filter(|u| u.parent == Some(region)).collect();
    v.arrange_by_key(|u| (u.order, u.id));
    v.iter().map(|u| u.id).collect()
}

fn sender(ws: &Workspace) -> Sender {
    let root = ws.root().unwrap();
    let p = &ws.people[&root.manager.unwrap()];
    Sender { id: p.id, name: p.name.clone() }
}

/// A branch file's text and the document read back from it, as a receiver sees it.
fn through_file(ws: &Workspace, at: chrono::DateTime<chrono::Utc>) -> (Workspace, io::ReadInfo) {
    let text = io::write(ws, at, true);
    io::read(&text).unwrap()
}

fn review(ours: &Workspace, theirs: &Workspace, info: &io::ReadInfo) -> Review {
    exchange::review(ours, theirs, info.checksum.as_deref().unwrap_or(""), info.exported_at.unwrap(), Lang::En).unwrap()
}

fn merge_in(
    ours: &Workspace,
    theirs: &Workspace,
    info: &io::ReadInfo,
    choices: &BTreeMap<Id, Side>,
    at: chrono::DateTime<chrono::Utc>,
    n: u32,
) -> Workspace {
    let r = review(ours, theirs, info);
    exchange::apply(ours, theirs, &r, choices, at, None, id(90_000 + n)).unwrap()
}

fn rep_of(ws: &Workspace, unit: Id) -> Id {
    let tiers = ws.tiers_in_order();
    let bottom = tiers.last().unwrap().id;
    ws.people.values().filter(|p| p.unit == unit && p.tier == bottom).map(|p| p.id).min().unwrap()
}

fn open_deal_of(ws: &Workspace, owner: Id) -> Id {
    ws.opportunities.values().filter(|o| o.owner == owner && o.closed.is_none()).map(|o| o.id).min().unwrap()
}

fn year_total(ws: &Workspace, owner: Id) -> i64 {
    ws.plan.targets.get(&TargetLine::id_for(owner, TargetKind::Revenue, Y)).map(|l| l.months.iter().sum()).unwrap_or(0)
}

#[test]
fn a_branch_holds_its_subtree_the_shared_definitions_and_what_it_is_given() {
    let ws = director();
    let east = regions(&ws)[0];
    let b = exchange::extract(&ws, east, later(60), Some(sender(&ws))).unwrap();
    assert!(validate(&b).is_empty());
    let units = sales_tiers_core::engine::org::scope_units(&ws, east);
    assert_eq!(b.units.keys().copied().collect::<std::collections::HashSet<_>>(), units);
    let people: Vec<Id> = ws.people.values().filter(|p| units.contains(&p.unit)).map(|p| p.id).collect();
    assert_eq!(b.people.keys().copied().collect::<Vec<_>>(), people);
    assert!(b.opportunities.values().all(|o| people.contains(&o.owner)));
    assert_eq!(
        b.opportunities.len(),
        ws.opportunities.values().filter(|o| people.contains(&o.owner)).count(),
        "every deal of the branch travels"
    );
    assert!(b.plan.targets.values().all(|l| units.contains(&l.owner) || people.contains(&l.owner)));
    // Given: the root's own target line, read-only.
    assert!(b.plan.targets.contains_key(&TargetLine::id_for(east, TargetKind::Revenue, Y)));
    assert_eq!(b.units[&east].parent, None, "the branch is a tree of its own");
    let info = b.branch.as_ref().unwrap();
    assert_eq!(info.parent, ws.units[&east].parent);
    assert_eq!(info.parent_name, ws.root().unwrap().name);
    // Shared definitions, whole.
    assert_eq!(b.tiers, ws.tiers);
    assert_eq!(b.stages, ws.stages);
    assert_eq!(b.scorecards, ws.scorecards);
    assert!(b.scenarios.is_empty() && b.tombstones.is_empty());
    // Through a file: the envelope says branch, and it reads back the same.
    let text = io::write(&b, later(60), false);
    let env: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(env["scope"]["kind"], "branch");
    assert_eq!(env["scope"]["root"], east.to_string());
    let (back, _) = io::read(&text).unwrap();
    assert_eq!(back, b);
    // The envelope cannot be turned into a whole-workspace file by hand.
    let forged = text.replacen("\"kind\":\"branch\"", "\"kind\":\"full\"", 1);
    assert_eq!(io::read(&forged).unwrap_err(), io::ImportError::ScopeMismatch);
}

#[test]
fn a_branch_refuses_edits_to_what_it_is_given_and_to_shared_definitions() {
    let ws = director();
    let east = regions(&ws)[0];
    let mut b = exchange::extract(&ws, east, later(60), None).unwrap();
    let before = b.clone();
    let set =
        |owner| Edit::SetTarget { scenario: None, owner, kind: TargetKind::Revenue, year: Y, period: Period::Year, amount: 1_000_000_00 };
    let e = apply(&mut b, &set(east), later(61)).unwrap_err();
    assert!(matches!(e, EditError::NotInBranch { given: true, .. }), "{e:?}");
    assert!(e.message(Lang::En).contains("given to this branch from above"));
    assert!(e.message(Lang::Zh).contains("上级下达"));
    let tier = *b.tiers.keys().next().unwrap();
    let e = apply(&mut b, &Edit::UpdateTier { id: tier, name: Text::both("X"), duties: vec![] }, later(61)).unwrap_err();
    assert!(matches!(e, EditError::NotInBranch { shared: true, .. }), "{e:?}");
    let e = apply(&mut b, &Edit::RenameUnit { id: east, name: Text::both("Mine now") }, later(61)).unwrap_err();
    assert!(matches!(e, EditError::NotInBranch { given: true, .. }), "{e:?}");
    assert_eq!(b, before, "refused edits change nothing");
    // Inside the branch everything works: cascade the given target to the teams.
    let c = Edit::Cascade {
        scenario: None,
        unit: east,
        kind: TargetKind::Revenue,
        year: Y,
        period: Period::Year,
        method: Method::Equal,
        deep: false,
    };
    apply(&mut b, &c, later(62)).unwrap();
    let t = teams(&b, east);
    let handed: i64 = t.iter().map(|u| year_total(&b, *u)).sum();
    assert_eq!(
        handed,
        year_total(&b, east)
            + year_total(&b, east) * b.plan.targets[&TargetLine::id_for(east, TargetKind::Revenue, Y)].buffer_bp as i64 / 10_000
    );
    apply(&mut b, &set(t[0]), later(63)).unwrap();
    assert_eq!(year_total(&b, t[0]), 1_000_000_00);
}

/// The director sends East China; its manager cascades, wins a deal and
/// adds a rep, and sends it back; the review lists exactly those changes.
#[test]
fn a_round_trip_brings_back_exactly_what_the_branch_did() {
    let ws = director();
    let east = regions(&ws)[0];
    let (mut b, _) = through_file(&exchange::extract(&ws, east, later(60), Some(sender(&ws))).unwrap(), later(60));
    let t = teams(&b, east);
    apply(
        &mut b,
        &Edit::Cascade {
            scenario: None,
            unit: east,
            kind: TargetKind::Revenue,
            year: Y,
            period: Period::Year,
            method: Method::Equal,
            deep: false,
        },
        later(100),
    )
    .unwrap();
    let rep = rep_of(&b, t[0]);
    let deal = open_deal_of(&b, rep);
    apply(&mut b, &Edit::SetStage { id: deal, stage: default_stage_id("won"), on: date(2026, 11, 28), by: Some(rep) }, later(101)).unwrap();
    let new_rep = id(77_001);
    let bottom = b.tiers_in_order().last().unwrap().id;
    apply(&mut b, &Edit::AddPerson { id: new_rep, unit: t[1], fields: fields("New rep", bottom) }, later(102)).unwrap();
    let unsent = exchange::unsent(&b);
    assert_eq!(unsent.added, 1);
    let manager = ws.units[&east].manager.map(|m| Sender { id: m, name: ws.people[&m].name.clone() });
    let back = exchange::send_back(&b, later(199), manager.clone()).unwrap();
    let (theirs, info) = through_file(&back, later(200));
    let r = review(&ws, &theirs, &info);
    assert_eq!(r.direction, Direction::Up);
    assert_eq!(r.sender, manager, "a file sent back says who sent it back");
    assert!(r.conflicts.is_empty() && r.refused.is_empty(), "{:?} {:?}", r.conflicts, r.refused);
    // Exactly: the team lines the cascade wrote, the deal, the new rep.
    let changed_lines: Vec<Id> = b
        .plan
        .targets
        .values()
        .filter(|l| l.rev != back.branch.as_ref().unwrap().base.get(&l.id).copied().unwrap_or(0))
        .map(|l| l.id)
        .collect();
    let mut expected: Vec<(Kind, Id)> = changed_lines.iter().map(|i| (Kind::Target, *i)).collect();
    expected.push((Kind::Opportunity, deal));
    expected.push((Kind::Person, new_rep));
    expected.arrange();
    let mut got: Vec<(Kind, Id)> = r.changes.iter().map(|c| (c.kind, c.id)).collect();
    got.arrange();
    assert_eq!(got, expected);
    let deal_change = r.changes.iter().find(|c| c.id == deal).unwrap();
    assert!(deal_change.fields.iter().any(|f| f.field == "stage"), "{:?}", deal_change.fields);
    assert_eq!(r.counts[&Kind::Person].added, 1);
    // Applied: the new figures are the director's; undo gives the old document back.
    let mut merged_ws = ws.clone();
    let merged = exchange::apply(&ws, &theirs, &r, &BTreeMap::new(), later(210), None, id(90_001)).unwrap();
    let undo = sales_tiers_core::edit::replace(&mut merged_ws, merged.clone());
    assert_eq!(merged_ws.opportunities[&deal].stage, default_stage_id("won"));
    assert_eq!(year_total(&merged_ws, t[0]), year_total(&b, t[0]));
    assert!(merged_ws.people.contains_key(&new_rep));
    assert_eq!(merged_ws.exchange.len(), 1);
    let mut undone = merged_ws.clone();
    undo.apply(&mut undone);
    assert_eq!(undone, ws, "one undo step restores the state before the merge");
    // The same file again: nothing new.
    let again = review(&merged, &theirs, &info);
    assert!(again.is_empty(), "{:?}", again.changes);
    assert!(again.merged_before.is_some());
}

#[test]
fn changes_outside_the_branch_and_to_given_lines_are_refused_and_listed() {
    let ws = director();
    let rs = regions(&ws);
    let (east, west) = (rs[0], rs[1]);
    let company = ws.root().unwrap().id;
    let mut b = exchange::extract(&ws, east, later(60), None).unwrap();
    let t = teams(&b, east);
    apply(
        &mut b,
        &Edit::SetTarget { scenario: None, owner: t[0], kind: TargetKind::Revenue, year: Y, period: Period::Year, amount: 5_000_000_00 },
        later(100),
    )
    .unwrap();
    // Crafted by hand: West China's and the company's targets, and East's own.
    let mut crafted = b.clone();
    for (owner, amount) in [(west, 1_00), (company, 2_00), (east, 3_00)] {
        let mut line = ws.plan.targets[&TargetLine::id_for(owner, TargetKind::Revenue, Y)].clone();
        line.months = [amount; 12];
        line.rev += 5;
        crafted.plan.targets.insert(line.id, line);
    }
    // For the file to read at all, the lines' owners must be in it: West
    // hung under East, the company put back above East.
    let mut w = ws.units[&west].clone();
    w.parent = Some(east);
    w.manager = None;
    w.rev += 1;
    crafted.units.insert(west, w);
    let mut c = ws.units[&company].clone();
    c.manager = None;
    crafted.units.insert(company, c);
    crafted.units.get_mut(&east).unwrap().parent = Some(company);
    // And East renamed without a new revision, as a hand edit would.
    crafted.units.get_mut(&east).unwrap().name = Text::both("Hijacked");
    for l in ws.plan.budgets.values().filter(|l| l.unit == company || l.unit == west) {
        crafted.plan.budgets.insert(l.id, l.clone());
    }
    let text = io::write(&crafted, later(200), false);
    let (theirs, info) = io::read(&text).unwrap();
    let r = review(&ws, &theirs, &info);
    let refused: BTreeMap<Id, Why> = r.refused.iter().map(|x| (x.id, x.why)).collect();
    assert_eq!(refused.get(&TargetLine::id_for(west, TargetKind::Revenue, Y)), Some(&Why::Outside));
    assert_eq!(refused.get(&TargetLine::id_for(company, TargetKind::Revenue, Y)), Some(&Why::Outside));
    assert_eq!(refused.get(&TargetLine::id_for(east, TargetKind::Revenue, Y)), Some(&Why::Given));
    assert_eq!(refused.get(&west), Some(&Why::Outside));
    assert_eq!(refused.get(&company), Some(&Why::Outside));
    assert_eq!(refused.get(&east), Some(&Why::Given), "East's own record is given");
    assert!(r.changes.iter().any(|c| c.id == TargetLine::id_for(t[0], TargetKind::Revenue, Y)));
    let merged = exchange::apply(&ws, &theirs, &r, &BTreeMap::new(), later(210), None, id(90_002)).unwrap();
    for owner in [west, company, east] {
        assert_eq!(year_total(&merged, owner), year_total(&ws, owner), "refused lines are never applied");
    }
    assert_eq!(merged.units[&west], ws.units[&west]);
    assert_eq!(merged.units[&company], ws.units[&company]);
    assert_eq!(merged.units[&east], ws.units[&east]);
    assert_eq!(year_total(&merged, t[0]), 5_000_000_00);
}

#[test]
fn a_record_changed_on_both_sides_is_a_conflict_and_the_chosen_side_is_kept() {
    let ws = director();
    let east = regions(&ws)[0];
    let team = teams(&ws, east)[0];
    let rep = rep_of(&ws, team);
    let deal = open_deal_of(&ws, rep);
    let mut b = exchange::extract(&ws, east, later(60), None).unwrap();
    let mut mine = ws.clone();
    let amount = |ws: &mut Workspace, v: i64, at| {
        let o = ws.opportunities[&deal].clone();
        let mut f = sales_tiers_core::edit::OpportunityFields::of(&o);
        f.amount = Money(v);
        apply(ws, &Edit::UpdateOpportunity { id: deal, fields: f, on: date(2026, 11, 28), by: None }, at).unwrap();
    };
    amount(&mut mine, 111_00, later(100));
    amount(&mut b, 222_00, later(150));
    let (theirs, info) = through_file(&b, later(200));
    let r = review(&mine, &theirs, &info);
    assert_eq!(r.conflicts.len(), 1);
    let c = &r.conflicts[0];
    assert_eq!(c.id, deal);
    let f = c.fields.iter().find(|f| f.field == "amount").unwrap();
    assert_eq!((f.old.as_str(), f.new.as_str()), ("111.00", "222.00"));
    assert_eq!(c.default, Side::Theirs, "the newer side by default");
    // The printed review names the conflict with each language's punctuation.
    let line = |lang| exchange::summary(&r, &BTreeMap::new(), lang).into_iter().find(|l| l.contains("111.00")).unwrap();
    let (zh, en) = (line(Lang::Zh), line(Lang::En));
    assert!(zh.contains("amount：111.00 ≠ 222.00") && zh.contains("【") && zh.ends_with("（采用对方的）"), "{zh}");
    assert!(en.contains("amount: 111.00 ≠ 222.00") && en.contains(" [") && en.ends_with(" (taking theirs)"), "{en}");
    let pick = |side| {
        let m = exchange::apply(&mine, &theirs, &r, &BTreeMap::from([(deal, side)]), later(210), None, id(90_003)).unwrap();
        m.opportunities[&deal].amount
    };
    assert_eq!(pick(Side::Mine), Money(111_00));
    assert_eq!(pick(Side::Theirs), Money(222_00));
    // Decided once: the same file brings nothing new.
    let merged = exchange::apply(&mine, &theirs, &r, &BTreeMap::from([(deal, Side::Mine)]), later(210), None, id(90_004)).unwrap();
    assert!(review(&merged, &theirs, &info).is_empty());
}

#[test]
fn deletions_travel_and_a_deletion_against_an_edit_is_a_conflict() {
    let ws = director();
    let east = regions(&ws)[0];
    let team = teams(&ws, east)[0];
    let rep = rep_of(&ws, team);
    let mut deals: Vec<Id> = ws.opportunities.values().filter(|o| o.owner == rep).map(|o| o.id).collect();
    deals.arrange();
    let (gone, both) = (deals[0], deals[1]);
    let mut b = exchange::extract(&ws, east, later(60), None).unwrap();
    apply(&mut b, &Edit::DeleteOpportunity { id: gone }, later(100)).unwrap();
    let o = b.opportunities[&both].clone();
    let mut f = sales_tiers_core::edit::OpportunityFields::of(&o);
    f.name = "Edited in the branch".into();
    apply(&mut b, &Edit::UpdateOpportunity { id: both, fields: f, on: date(2026, 11, 28), by: None }, later(101)).unwrap();
    let mut mine = ws.clone();
    apply(&mut mine, &Edit::DeleteOpportunity { id: both }, later(120)).unwrap();
    let (theirs, info) = through_file(&b, later(200));
    let r = review(&mine, &theirs, &info);
    let del = r.changes.iter().find(|c| c.id == gone).unwrap();
    assert_eq!(del.op, Op::Deleted);
    let c = r.conflicts.iter().find(|c| c.id == both).expect("deletion against an edit is a conflict");
    assert!(c.mine_deleted && !c.theirs_deleted);
    let keep_theirs = exchange::apply(&mine, &theirs, &r, &BTreeMap::from([(both, Side::Theirs)]), later(210), None, id(90_005)).unwrap();
    assert!(!keep_theirs.opportunities.contains_key(&gone) && keep_theirs.tombstones.contains_key(&gone));
    assert_eq!(keep_theirs.opportunities[&both].name, "Edited in the branch");
    assert!(!keep_theirs.tombstones.contains_key(&both));
    // The restored deal outranks the deletion, so another tab's merge keeps it.
    let (m, _) = sales_tiers_core::engine::merge::merge(&mine, &keep_theirs).unwrap();
    assert!(m.opportunities.contains_key(&both));
    let keep_mine = exchange::apply(&mine, &theirs, &r, &BTreeMap::from([(both, Side::Mine)]), later(210), None, id(90_006)).unwrap();
    assert!(!keep_mine.opportunities.contains_key(&both));
}

#[test]
fn an_older_file_after_a_newer_one_rolls_nothing_back() {
    let ws = director();
    let east = regions(&ws)[0];
    let team = teams(&ws, east)[0];
    let deal = open_deal_of(&ws, rep_of(&ws, team));
    let mut b = exchange::extract(&ws, east, later(60), None).unwrap();
    let set = |b: &mut Workspace, v: i64, at| {
        let mut f = sales_tiers_core::edit::OpportunityFields::of(&b.opportunities[&deal]);
        f.amount = Money(v);
        apply(b, &Edit::UpdateOpportunity { id: deal, fields: f, on: date(2026, 11, 28), by: None }, at).unwrap();
    };
    set(&mut b, 100_00, later(100));
    let (f1, i1) = through_file(&exchange::send_back(&b, later(199), None).unwrap(), later(110));
    set(&mut b, 200_00, later(120));
    let (f2, i2) = through_file(&exchange::send_back(&b, later(199), None).unwrap(), later(130));
    let none = BTreeMap::new();
    let after2 = merge_in(&ws, &f2, &i2, &none, later(140), 1);
    assert_eq!(after2.opportunities[&deal].amount, Money(200_00));
    let r1 = review(&after2, &f1, &i1);
    assert!(r1.is_empty(), "the older file brings nothing: {:?} {:?}", r1.changes, r1.conflicts);
    // In the other order both apply in turn, ending at the newer value.
    let after1 = merge_in(&ws, &f1, &i1, &none, later(140), 2);
    assert_eq!(after1.opportunities[&deal].amount, Money(100_00));
    let both = merge_in(&after1, &f2, &i2, &none, later(150), 3);
    assert_eq!(both.opportunities[&deal].amount, Money(200_00));
    assert!(review(&both, &f2, &i2).is_empty());
}

/// The rule for moves: the branch *as issued*. The director moves a team
/// to another region while the old region's manager works on it; the team
/// stays where the director put it and the manager's work on its people,
/// deals and targets is applied.
#[test]
fn a_team_moved_away_keeps_both_sides_work() {
    let ws = director();
    let rs = regions(&ws);
    let (east, west) = (rs[0], rs[1]);
    let team = teams(&ws, east)[0];
    let rep = rep_of(&ws, team);
    let deal = open_deal_of(&ws, rep);
    let mut b = exchange::extract(&ws, east, later(60), None).unwrap();
    let mut mine = ws.clone();
    apply(&mut mine, &Edit::MoveUnit { id: team, parent: west }, later(90)).unwrap();
    apply(
        &mut b,
        &Edit::SetTarget { scenario: None, owner: team, kind: TargetKind::Revenue, year: Y, period: Period::Year, amount: 7_000_000_00 },
        later(100),
    )
    .unwrap();
    apply(&mut b, &Edit::SetStage { id: deal, stage: default_stage_id("won"), on: date(2026, 11, 28), by: Some(rep) }, later(101)).unwrap();
    let mut p = sales_tiers_core::edit::PersonFields::of(&b.people[&rep]);
    p.title = Text::both("Senior rep");
    apply(&mut b, &Edit::UpdatePerson { id: rep, fields: p }, later(102)).unwrap();
    let (theirs, info) = through_file(&b, later(200));
    let r = review(&mine, &theirs, &info);
    assert!(r.refused.is_empty() && r.conflicts.is_empty(), "{:?} {:?}", r.refused, r.conflicts);
    let merged = exchange::apply(&mine, &theirs, &r, &BTreeMap::new(), later(210), None, id(90_007)).unwrap();
    assert_eq!(merged.units[&team].parent, Some(west), "the director's move stands");
    assert_eq!(year_total(&merged, team), 7_000_000_00);
    assert_eq!(merged.opportunities[&deal].stage, default_stage_id("won"));
    assert_eq!(merged.people[&rep].title, Text::both("Senior rep"));
    // Had the branch renamed the team too, that record would be a conflict.
    let mut b2 = b.clone();
    apply(&mut b2, &Edit::RenameUnit { id: team, name: Text::both("Renamed") }, later(103)).unwrap();
    let (theirs2, info2) = through_file(&b2, later(201));
    let r2 = review(&mine, &theirs2, &info2);
    assert_eq!(r2.conflicts.iter().map(|c| c.id).collect::<Vec<_>>(), vec![team]);
    assert!(r2.conflicts[0].fields.iter().any(|f| f.field == "parent"));
}

/// Opening a newer issue of the same branch merges: the manager's unsent
/// work stays, the director's changes arrive, a record both changed is a
/// conflict.
#[test]
fn a_newer_issue_of_the_branch_merges_into_the_branch() {
    let ws = director();
    let east = regions(&ws)[0];
    let t = teams(&ws, east);
    let (r0, r1) = (rep_of(&ws, t[0]), rep_of(&ws, t[1]));
    let (d0, d1) = (open_deal_of(&ws, r0), open_deal_of(&ws, r1));
    let (mut b, _) = through_file(&exchange::extract(&ws, east, later(60), None).unwrap(), later(60));
    let rename = |w: &mut Workspace, d: Id, name: &str, at| {
        let mut f = sales_tiers_core::edit::OpportunityFields::of(&w.opportunities[&d]);
        f.name = name.into();
        apply(w, &Edit::UpdateOpportunity { id: d, fields: f, on: date(2026, 11, 28), by: None }, at).unwrap();
    };
    rename(&mut b, d0, "branch d0", later(100));
    rename(&mut b, d1, "branch d1", later(101));
    let mut mine = ws.clone();
    rename(&mut mine, d1, "director d1", later(110));
    apply(
        &mut mine,
        &Edit::SetTarget { scenario: None, owner: east, kind: TargetKind::Revenue, year: Y, period: Period::Year, amount: 9_000_000_00 },
        later(111),
    )
    .unwrap();
    let (issue2, info) = through_file(&exchange::extract(&mine, east, later(120), None).unwrap(), later(120));
    let r = review(&b, &issue2, &info);
    assert_eq!(r.direction, Direction::Down);
    assert_eq!(r.conflicts.iter().map(|c| c.id).collect::<Vec<_>>(), vec![d1]);
    assert!(r.changes.iter().any(|c| c.id == TargetLine::id_for(east, TargetKind::Revenue, Y)));
    let merged = exchange::apply(&b, &issue2, &r, &BTreeMap::from([(d1, Side::Mine)]), later(130), None, id(90_008)).unwrap();
    assert_eq!(merged.opportunities[&d0].name, "branch d0");
    assert_eq!(merged.opportunities[&d1].name, "branch d1");
    assert_eq!(year_total(&merged, east), 9_000_000_00);
    assert_eq!(merged.branch.as_ref().unwrap().issued_at, later(120));
    // Both local changes still travel up.
    assert_eq!(exchange::unsent(&merged).changed, 2);
    // An older issue is refused with a reason.
    let (old, oi) = through_file(&exchange::extract(&ws, east, later(30), None).unwrap(), later(30));
    let e = exchange::review(&merged, &old, oi.checksum.as_deref().unwrap(), later(30), Lang::En).unwrap_err();
    assert!(matches!(e, ExchangeError::OlderIssue { .. }));
}

#[test]
fn a_whole_workspace_file_merges_record_by_record_and_twice_is_nothing_new() {
    let ws = director();
    let mut other = ws.clone();
    let unit = regions(&ws)[1];
    apply(&mut other, &Edit::RenameUnit { id: unit, name: Text::both("Renamed elsewhere") }, later(100)).unwrap();
    let (theirs, info) = through_file(&other, later(200));
    let r = review(&ws, &theirs, &info);
    assert_eq!(r.direction, Direction::Full);
    assert_eq!(r.changes.len(), 1);
    let merged = exchange::apply(&ws, &theirs, &r, &BTreeMap::new(), later(210), None, id(90_009)).unwrap();
    assert_eq!(merged.units[&unit].name, Text::both("Renamed elsewhere"));
    assert!(review(&merged, &theirs, &info).is_empty());
    // Another workspace's file is refused.
    let foreign = demo_with_seed(7);
    let e = exchange::review(&ws, &foreign, "", later(0), Lang::En).unwrap_err();
    assert_eq!(e, ExchangeError::DifferentWorkspace);
    assert!(e.message(Lang::Zh).contains("另一个工作区"));
}

fn demo_with_seed(seed: u64) -> Workspace {
    sales_tiers_core::demo::generate(&sales_tiers_core::demo::DemoOptions { seed, ..sales_tiers_core::demo::DemoOptions::new(t0()) })
}

#[test]
fn a_team_lead_branch_of_a_region_branch_goes_down_and_back_up_two_levels() {
    let ws = director();
    let east = regions(&ws)[0];
    let team = teams(&ws, east)[0];
    let region = exchange::extract(&ws, east, later(60), None).unwrap();
    let mut lead = exchange::extract(&region, team, later(70), None).unwrap();
    assert_eq!(lead.branch.as_ref().unwrap().workspace_name, ws.settings.workspace_name);
    let rep = rep_of(&lead, team);
    let deal = open_deal_of(&lead, rep);
    apply(&mut lead, &Edit::SetStage { id: deal, stage: default_stage_id("won"), on: date(2026, 11, 28), by: Some(rep) }, later(100))
        .unwrap();
    let (f, i) = through_file(&exchange::send_back(&lead, later(199), None).unwrap(), later(110));
    let region2 = merge_in(&region, &f, &i, &BTreeMap::new(), later(120), 10);
    assert_eq!(exchange::unsent(&region2).changed, 1, "the lead's change is the region's to send up");
    let (f2, i2) = through_file(&exchange::send_back(&region2, later(199), None).unwrap(), later(130));
    let top = merge_in(&ws, &f2, &i2, &BTreeMap::new(), later(140), 11);
    assert_eq!(top.opportunities[&deal].stage, default_stage_id("won"));
}

#[test]
fn a_merge_that_would_break_a_rule_is_refused_whole() {
    let mut ws = director();
    let east = regions(&ws)[0];
    let rep = rep_of(&ws, teams(&ws, east)[0]);
    let customer = id(77_003);
    apply(&mut ws, &Edit::AddCustomer { id: customer, fields: customer_fields("Fresh customer", Some(rep), date(2026, 11, 1)) }, later(10))
        .unwrap();
    let mut b = exchange::extract(&ws, east, later(60), None).unwrap();
    // The branch opens a deal with the customer; meanwhile the director deletes it.
    let deal = deal_fields(customer, rep, 50_000_00, date(2026, 12, 20), "lead");
    apply(&mut b, &Edit::AddOpportunity { id: id(77_004), fields: deal, by: Some(rep) }, later(100)).unwrap();
    let mut mine = ws.clone();
    apply(&mut mine, &Edit::DeleteCustomer { id: customer }, later(90)).unwrap();
    let (theirs, info) = through_file(&b, later(200));
    let r = review(&mine, &theirs, &info);
    assert!(r.changes.iter().any(|c| c.id == id(77_004) && c.op == Op::Added));
    let e = exchange::apply(&mine, &theirs, &r, &BTreeMap::new(), later(210), None, id(90_010)).unwrap_err();
    assert!(matches!(e, ExchangeError::Invalid(..)), "{e:?}");
    assert!(e.message(Lang::En).contains("nothing was merged"));
}

// ------------------------------------------------------------ properties

mod props {
    use super::*;
    use proptest::prelude::*;
    use sales_tiers_core::edit::PoolFields;
    use std::collections::HashSet;

    /// A random organisation with CRM data, built through edits: units
    /// under random parents, reps in random units (some moved later), customers
    /// owned by anyone (or no one), deals of anyone with any customer,
    /// stage changes, KPI entries and forecast calls made by anyone, tool
    /// seats and pool weights of anyone. Names are unique markers so a
    /// leak shows in the bytes.
    #[derive(Clone, Debug)]
    struct Plan {
        parents: Vec<usize>,
        people: Vec<usize>,
        moves: Vec<(usize, usize)>,
        customers: Vec<Option<usize>>,
        deals: Vec<(usize, usize)>,
        stage_by: Vec<(usize, usize)>,
        entries: Vec<(usize, usize)>,
        calls: Vec<(usize, usize)>,
        seats: Vec<usize>,
        weights: Vec<usize>,
        targets: Vec<(usize, i64)>,
        /// (deal, who logged it, assignee of its follow-up, on a deal or the customer only)
        work: Vec<(usize, usize, usize, bool)>,
        root: usize,
    }

    fn plan() -> impl Strategy<Value = Plan> {
        (1usize..9).prop_flat_map(|n| {
            let units = n + 1;
            (
                proptest::collection::vec(0usize..1000, n),
                proptest::collection::vec(0usize..units, 2..14),
                proptest::collection::vec((0usize..100, 0usize..units), 0..4),
                proptest::collection::vec(proptest::option::of(0usize..100), 1..8),
                proptest::collection::vec((0usize..100, 0usize..100), 0..12),
                proptest::collection::vec((0usize..100, 0usize..100), 0..6),
                proptest::collection::vec((0usize..100, 0usize..100), 0..4),
                proptest::collection::vec((0usize..units, 0usize..100), 0..4),
                (proptest::collection::vec(0usize..100, 0..5), proptest::collection::vec(0usize..100, 0..5)),
                (
                    proptest::collection::vec((0usize..units + 100, 1i64..1_000_000), 0..6),
                    proptest::collection::vec((0usize..100, 0usize..100, 0usize..100, proptest::bool::ANY), 0..8),
                ),
                0usize..units,
            )
                .prop_map(
                    |(parents, people, moves, customers, deals, stage_by, entries, calls, (seats, weights), (targets, work), root)| Plan {
                        parents,
                        people,
                        moves,
                        customers,
                        deals,
                        stage_by,
                        entries,
                        calls,
                        seats,
                        weights,
                        targets,
                        work,
                        root,
                    },
                )
        })
    }

    fn build(p: &Plan) -> (Workspace, Vec<Id>, Vec<Id>) {
        let mut ws = Workspace::empty(id(9999), "Leak test", Lang::En, t0());
        let tiers = [id(1), id(2)];
        for (i, t) in tiers.iter().enumerate() {
            apply(&mut ws, &Edit::AddTier { id: *t, name: Text::both(format!("tier-{i}")), duties: vec![] }, t0()).unwrap();
        }
        let mut units = vec![id(10)];
        apply(&mut ws, &Edit::AddUnit { id: units[0], name: Text::both("«U0»"), parent: None }, t0()).unwrap();
        for (i, par) in p.parents.iter().enumerate() {
            let u = id(11 + i as u32);
            apply(
                &mut ws,
                &Edit::AddUnit { id: u, name: Text::both(format!("«U{}»", i + 1)), parent: Some(units[par % units.len()]) },
                t0(),
            )
            .unwrap();
            units.push(u);
        }
        let mut people = Vec::new();
        for (i, u) in p.people.iter().enumerate() {
            let pid = id(200 + i as u32);
            apply(&mut ws, &Edit::AddPerson { id: pid, unit: units[*u], fields: fields(&format!("«P{i}»"), tiers[1]) }, t0()).unwrap();
            people.push(pid);
        }
        let person = |i: usize| people[i % people.len()];
        for (i, (who, to)) in p.moves.iter().enumerate() {
            apply(&mut ws, &Edit::MovePerson { id: person(*who), unit: units[*to] }, later(i as i64 + 1)).unwrap();
        }
        let mut customers = Vec::new();
        for (i, owner) in p.customers.iter().enumerate() {
            let c = id(400 + i as u32);
            apply(
                &mut ws,
                &Edit::AddCustomer { id: c, fields: customer_fields(&format!("«C{i}»"), owner.map(person), date(2026, 1, 5)) },
                later(10),
            )
            .unwrap();
            customers.push(c);
        }
        let mut deals = Vec::new();
        for (i, (owner, cust)) in p.deals.iter().enumerate() {
            let d = id(600 + i as u32);
            let mut f =
                deal_fields(customers[cust % customers.len()], person(*owner), 1_000_00 * (i as i64 + 1), date(2026, 12, 20), "lead");
            f.name = format!("«D{i}»");
            apply(&mut ws, &Edit::AddOpportunity { id: d, fields: f, by: Some(person(*owner + 1)) }, later(20)).unwrap();
            deals.push(d);
        }
        for (i, (deal, by)) in p.stage_by.iter().enumerate() {
            if deals.is_empty() {
                break;
            }
            let stage = default_stage_id(if i % 2 == 0 { "qualified" } else { "proposal" });
            apply(
                &mut ws,
                &Edit::SetStage { id: deals[deal % deals.len()], stage, on: date(2026, 11, 2), by: Some(person(*by)) },
                later(30 + i as i64),
            )
            .unwrap();
        }
        for (who, by) in &p.entries {
            let e = Edit::SetKpiEntry {
                person: person(*who),
                kpi: KpiKind::Strategic,
                year: Y,
                period: Period::Quarter(4),
                figures: Some((5_000, 10_000)),
                note: String::new(),
                by: Some(person(*by)),
            };
            apply(&mut ws, &e, later(40)).unwrap();
        }
        for (unit, by) in &p.calls {
            let e = Edit::SetOverride {
                owner: units[*unit],
                year: Y,
                period: Period::Quarter(4),
                category: ForecastCategory::Commit,
                amount: Some(Money(5_00)),
                note: String::new(),
                by: Some(person(*by)),
            };
            apply(&mut ws, &e, later(41)).unwrap();
        }
        apply(&mut ws, &Edit::AddTool { id: id(800), name: Text::both("tool"), cost_per_seat: Money(10_00) }, later(50)).unwrap();
        for s in &p.seats {
            apply(&mut ws, &Edit::SetSeat { tool: id(800), person: person(*s), on: true }, later(51)).unwrap();
        }
        let weights: BTreeMap<Id, u32> = p.weights.iter().map(|w| (person(*w), 2)).collect();
        let pool = PoolFields { amount: Money(1_000_00), member_cap: None, weights };
        apply(&mut ws, &Edit::SetPool { unit: units[p.root], year: Y, period: Period::Quarter(4), pool: Some(pool) }, later(52)).unwrap();
        for (owner, amount) in &p.targets {
            let owner = if *owner < units.len() { units[*owner] } else { person(*owner) };
            let e = Edit::SetTarget { scenario: None, owner, kind: TargetKind::Revenue, year: Y, period: Period::Year, amount: *amount };
            let _ = apply(&mut ws, &e, later(60));
        }
        for (i, (deal, by, assignee, on_deal)) in p.work.iter().enumerate() {
            if deals.is_empty() {
                break;
            }
            let d = ws.opportunities[&deals[deal % deals.len()]].clone();
            let (a, t) = (id(900 + 2 * i as u32), id(901 + 2 * i as u32));
            let fields = ActivityFields {
                kind: ActivityKind::Visit,
                customer: d.customer,
                opportunity: on_deal.then_some(d.id),
                by: person(*by),
                on: date(2026, 11, 3),
                minutes: 30,
                outcome: format!("«A{i}»"),
                next_step: String::new(),
            };
            apply(&mut ws, &Edit::LogActivity { id: a, fields }, later(70)).unwrap();
            let task = TaskFields {
                title: format!("«T{i}»"),
                assignee: person(*assignee),
                due: date(2026, 11, 10),
                priority: Priority::Normal,
                customer: Some(d.customer),
                opportunity: on_deal.then_some(d.id),
                activity: Some(a),
                notes: String::new(),
            };
            apply(&mut ws, &Edit::AddTask { id: t, fields: task, by: Some(person(*by)), on: date(2026, 11, 3) }, later(71)).unwrap();
        }
        (ws, units, people)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Nothing of another branch is in a branch file: no id and no name
        /// of a unit, person, customer or deal outside it, nor of their
        /// plan lines (the root's parent, named as what the branch is
        /// given from above, is the one exception).
        #[test]
        fn a_branch_file_leaks_nothing(p in plan()) {
            let (ws, units, _) = build(&p);
            let root = units[p.root];
            let text = io::write(&exchange::extract(&ws, root, later(100), None).unwrap(), later(100), false);
            // Who is in the branch, worked out here from the tree, not by the code under test.
            let mut inside: HashSet<Id> = HashSet::from([root]);
            loop {
                let more: Vec<Id> = ws.units.values().filter(|u| u.parent.is_some_and(|x| inside.contains(&x)) && !inside.contains(&u.id)).map(|u| u.id).collect();
                if more.is_empty() { break; }
                inside.extend(more);
            }
            let people: HashSet<Id> = ws.people.values().filter(|x| inside.contains(&x.unit)).map(|x| x.id).collect();
            let deals: HashSet<Id> = ws.opportunities.values().filter(|o| people.contains(&o.owner)).map(|o| o.id).collect();
            let customers: HashSet<Id> = ws.customers.values()
                .filter(|c| c.owner.is_some_and(|o| people.contains(&o)) || ws.opportunities.values().any(|o| deals.contains(&o.id) && o.customer == c.id))
                .map(|c| c.id).collect();
            let parent = ws.units[&root].parent;
            let mut secrets: Vec<(String, String)> = Vec::new();
            for u in ws.units.values().filter(|u| !inside.contains(&u.id) && Some(u.id) != parent) {
                secrets.push((u.id.to_string(), u.name.en.clone()));
            }
            for x in ws.people.values().filter(|x| !people.contains(&x.id)) {
                secrets.push((x.id.to_string(), x.name.en.clone()));
            }
            for c in ws.customers.values().filter(|c| !customers.contains(&c.id)) {
                secrets.push((c.id.to_string(), c.name.clone()));
            }
            for o in ws.opportunities.values().filter(|o| !deals.contains(&o.id)) {
                secrets.push((o.id.to_string(), o.name.clone()));
            }
            let mine = |owner: &Id| inside.contains(owner) || people.contains(owner);
            for l in ws.plan.targets.values().filter(|l| !mine(&l.owner)) {
                secrets.push((l.id.to_string(), String::new()));
            }
            for l in ws.overrides.values().filter(|l| !mine(&l.owner)) {
                secrets.push((l.id.to_string(), String::new()));
            }
            for l in ws.kpi_entries.values().filter(|l| !mine(&l.person)) {
                secrets.push((l.id.to_string(), String::new()));
            }
            // An activity goes with its deal's owner, or its customer's.
            for a in ws.activities.values() {
                let owner = match a.opportunity {
                    Some(d) => Some(ws.opportunities[&d].owner),
                    None => ws.customers[&a.customer].owner,
                };
                if !owner.is_some_and(|o| people.contains(&o)) {
                    secrets.push((a.id.to_string(), a.outcome.clone()));
                }
            }
            // A task goes with its assignee.
            for t in ws.tasks.values().filter(|t| !people.contains(&t.assignee)) {
                secrets.push((t.id.to_string(), t.title.clone()));
            }
            for (sid, name) in &secrets {
                prop_assert!(!text.contains(sid.as_str()), "id {} leaked", sid);
                prop_assert!(name.is_empty() || !text.contains(name.as_str()), "name {} leaked", name);
            }
            // And the file is whole: it reads back and validates.
            let (back, _) = io::read(&text).unwrap();
            prop_assert!(validate(&back).is_empty());
        }

        /// Whatever the branch does inside itself comes back: every record
        /// it changed is in the review, the merge validates, and merging the
        /// same file again changes nothing.
        #[test]
        fn a_branch_round_trip_loses_nothing_and_is_idempotent(p in plan(), edits in proptest::collection::vec((0usize..100, 1i64..1_000_000, 0u8..3), 1..8)) {
            let (ws, units, _) = build(&p);
            let root = units[p.root];
            let mut b = exchange::extract(&ws, root, later(100), None).unwrap();
            let bunits: Vec<Id> = b.units.keys().copied().filter(|u| *u != root).collect();
            let bdeals: Vec<Id> = b.opportunities.keys().copied().collect();
            for (i, (pick, amount, what)) in edits.iter().enumerate() {
                let at = later(200 + i as i64);
                let e = match what {
                    0 if !bunits.is_empty() => Edit::SetTarget { scenario: None, owner: bunits[pick % bunits.len()], kind: TargetKind::Revenue, year: Y, period: Period::Year, amount: *amount },
                    1 if !bdeals.is_empty() => {
                        let d = bdeals[pick % bdeals.len()];
                        let Some(o) = b.opportunities.get(&d) else { continue };
                        let mut f = sales_tiers_core::edit::OpportunityFields::of(o);
                        f.amount = Money(*amount);
                        Edit::UpdateOpportunity { id: d, fields: f, on: date(2026, 11, 28), by: None }
                    }
                    2 if !bdeals.is_empty() => Edit::DeleteOpportunity { id: bdeals[pick % bdeals.len()] },
                    _ => continue,
                };
                let _ = apply(&mut b, &e, at);
            }
            let (theirs, info) = through_file(&exchange::send_back(&b, later(199), None).unwrap(), later(300));
            let r = review(&ws, &theirs, &info);
            prop_assert!(r.conflicts.is_empty() && r.refused.is_empty());
            let unsent = exchange::unsent(&b);
            prop_assert_eq!(r.total().total(), unsent.total());
            let merged = exchange::apply(&ws, &theirs, &r, &BTreeMap::new(), later(310), None, id(95_000)).unwrap();
            prop_assert!(validate(&merged).is_empty());
            for (id, d) in &b.opportunities {
                prop_assert_eq!(&merged.opportunities[id].amount, &d.amount);
            }
            for d in b.tombstones.keys() {
                prop_assert!(!merged.opportunities.contains_key(d));
            }
            for (id, l) in &b.plan.targets {
                prop_assert_eq!(merged.plan.targets[id].months, l.months);
            }
            prop_assert!(review(&merged, &theirs, &info).is_empty());
        }
    }
}

/// Version 6 added `branch` and `exchange`; a real file written by the
/// version 5 build reads, is neither a branch nor has a log, and writes
/// back as version 6.
#[test]
fn a_version_5_file_opens_as_a_whole_workspace_without_a_log() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v5-workspace.json")).unwrap();
    let (ws, info) = io::read(&text).unwrap();
    assert_eq!((info.file_version, info.migrated), (5, true));
    assert!(ws.branch.is_none() && ws.exchange.is_empty());
    assert_eq!(ws.schema_version, SCHEMA_VERSION);
    let again = io::write(&ws, later(0), false);
    assert!(again.contains(&format!("\"version\":{SCHEMA_VERSION}")));
    assert_eq!(io::read(&again).unwrap().0, ws);
    // And a branch of it goes out and back.
    let root = ws.root().unwrap().id;
    let region = ws.units.values().find(|u| u.parent == Some(root)).unwrap().id;
    let b = exchange::extract(&ws, region, later(1), None).unwrap();
    let (theirs, info) = through_file(&b, later(2));
    assert!(review(&ws, &theirs, &info).is_empty());
}

/// Round two of the same issue: what the branch added in round one (a
/// rep) is the branch's, so its later edits and the rep's new deals come
/// through, not refused as someone else's.
#[test]
fn a_second_round_of_the_same_issue_takes_what_the_first_added() {
    let ws = director();
    let east = regions(&ws)[0];
    let team = teams(&ws, east)[0];
    let mut b = exchange::extract(&ws, east, later(60), None).unwrap();
    let bottom = b.tiers_in_order().last().unwrap().id;
    let p = id(77_010);
    apply(&mut b, &Edit::AddPerson { id: p, unit: team, fields: fields("Round one", bottom) }, later(100)).unwrap();
    let (f1, i1) = through_file(&exchange::send_back(&b, later(110), None).unwrap(), later(110));
    let after1 = merge_in(&ws, &f1, &i1, &BTreeMap::new(), later(120), 20);
    let mut pf = sales_tiers_core::edit::PersonFields::of(&b.people[&p]);
    pf.title = Text::both("Round two");
    apply(&mut b, &Edit::UpdatePerson { id: p, fields: pf }, later(130)).unwrap();
    let customer = *b.customers.keys().next().unwrap();
    apply(
        &mut b,
        &Edit::AddOpportunity { id: id(77_011), fields: deal_fields(customer, p, 10_000_00, date(2026, 12, 20), "lead"), by: Some(p) },
        later(131),
    )
    .unwrap();
    let (f2, i2) = through_file(&exchange::send_back(&b, later(140), None).unwrap(), later(140));
    let r = review(&after1, &f2, &i2);
    assert!(r.refused.is_empty() && r.conflicts.is_empty(), "{:?} {:?}", r.refused, r.conflicts);
    let after2 = exchange::apply(&after1, &f2, &r, &BTreeMap::new(), later(150), None, id(90_020)).unwrap();
    assert_eq!(after2.people[&p].title, Text::both("Round two"));
    assert_eq!(after2.opportunities[&id(77_011)].owner, p);
}

/// A conflict decided for the file, then a later edit of that record in
/// the branch: the next round takes it, with no false conflict.
#[test]
fn a_decided_conflict_is_not_a_conflict_again_next_round() {
    let ws = director();
    let east = regions(&ws)[0];
    let deal = open_deal_of(&ws, rep_of(&ws, teams(&ws, east)[0]));
    let mut b = exchange::extract(&ws, east, later(60), None).unwrap();
    let mut mine = ws.clone();
    let set = |w: &mut Workspace, v: i64, at| {
        let mut f = sales_tiers_core::edit::OpportunityFields::of(&w.opportunities[&deal]);
        f.amount = Money(v);
        apply(w, &Edit::UpdateOpportunity { id: deal, fields: f, on: date(2026, 11, 28), by: None }, at).unwrap();
    };
    set(&mut mine, 1_00, later(90));
    set(&mut b, 2_00, later(100));
    for (round, side) in [(1u32, Side::Theirs), (2, Side::Mine)] {
        let (f, i) = through_file(&exchange::send_back(&b, later(110), None).unwrap(), later(110));
        let r = review(&mine, &f, &i);
        assert_eq!(r.conflicts.len(), 1);
        mine =
            exchange::apply(&mine, &f, &r, &BTreeMap::from([(deal, side)]), later(120 + round as i64), None, id(90_030 + round)).unwrap();
        // The branch edits it again: the next file is a plain change.
        set(&mut b, 3_00 * round as i64, later(130 + round as i64));
        let (f, i) = through_file(&exchange::send_back(&b, later(140), None).unwrap(), later(140));
        let r = review(&mine, &f, &i);
        assert!(r.conflicts.is_empty(), "round {round}: {:?}", r.conflicts);
        assert_eq!(r.changes.iter().map(|c| c.id).collect::<Vec<_>>(), vec![deal]);
        mine = exchange::apply(&mine, &f, &r, &BTreeMap::new(), later(150), None, id(90_040 + round)).unwrap();
        assert_eq!(mine.opportunities[&deal].amount, Money(3_00 * round as i64));
        // Both sides edit it again for the next round's conflict.
        set(&mut mine, 5_00, later(160 + round as i64));
        set(&mut b, 6_00, later(170 + round as i64));
    }
}

/// A region and a team below it hold the same deal; each branch is
/// compared with its own rounds, so both editing it is a conflict even
/// when the revisions happen to be equal.
#[test]
fn two_branches_editing_one_record_meet_as_a_conflict() {
    let ws = director();
    let east = regions(&ws)[0];
    let team = teams(&ws, east)[0];
    let deal = open_deal_of(&ws, rep_of(&ws, team));
    let mut region = exchange::extract(&ws, east, later(60), None).unwrap();
    let mut lead = exchange::extract(&ws, team, later(61), None).unwrap();
    for (w, v) in [(&mut region, 11_00), (&mut lead, 22_00)] {
        let mut f = sales_tiers_core::edit::OpportunityFields::of(&w.opportunities[&deal]);
        f.amount = Money(v);
        apply(w, &Edit::UpdateOpportunity { id: deal, fields: f, on: date(2026, 11, 28), by: None }, later(100)).unwrap();
    }
    let (fl, il) = through_file(&exchange::send_back(&lead, later(110), None).unwrap(), later(110));
    let after = merge_in(&ws, &fl, &il, &BTreeMap::new(), later(120), 50);
    assert_eq!(after.opportunities[&deal].amount, Money(22_00));
    let (fr, ir) = through_file(&exchange::send_back(&region, later(130), None).unwrap(), later(130));
    let r = review(&after, &fr, &ir);
    assert_eq!(r.conflicts.iter().map(|c| c.id).collect::<Vec<_>>(), vec![deal]);
}

/// The director deletes a deal the branch is still editing: opening the
/// newer issue shows it as a conflict; kept, it stays and still travels up.
#[test]
fn a_deletion_above_against_an_unsent_edit_is_a_conflict_when_the_issue_arrives() {
    let ws = director();
    let east = regions(&ws)[0];
    let deal = open_deal_of(&ws, rep_of(&ws, teams(&ws, east)[0]));
    let (mut b, _) = through_file(&exchange::extract(&ws, east, later(60), None).unwrap(), later(60));
    let mut f = sales_tiers_core::edit::OpportunityFields::of(&b.opportunities[&deal]);
    f.name = "still working on it".into();
    apply(&mut b, &Edit::UpdateOpportunity { id: deal, fields: f, on: date(2026, 11, 28), by: None }, later(100)).unwrap();
    let mut mine = ws.clone();
    apply(&mut mine, &Edit::DeleteOpportunity { id: deal }, later(90)).unwrap();
    let (issue, info) = through_file(&exchange::extract(&mine, east, later(120), None).unwrap(), later(120));
    let r = review(&b, &issue, &info);
    let c = r.conflicts.iter().find(|c| c.id == deal).expect("a conflict, not a silent loss");
    assert!(c.theirs_deleted && !c.mine_deleted);
    let kept = exchange::apply(&b, &issue, &r, &BTreeMap::from([(deal, Side::Mine)]), later(130), None, id(90_060)).unwrap();
    assert_eq!(kept.opportunities[&deal].name, "still working on it");
    assert!(exchange::unsent(&kept).changed + exchange::unsent(&kept).added >= 1);
    let gone = exchange::apply(&b, &issue, &r, &BTreeMap::from([(deal, Side::Theirs)]), later(130), None, id(90_061)).unwrap();
    assert!(!gone.opportunities.contains_key(&deal));
}

/// Tool seats of the branch's people are the branch's to change, in the
/// branch and on the way back (the tool itself stays a shared definition).
#[test]
fn a_branch_changes_its_own_tool_seats_and_they_come_back() {
    let mut ws = director();
    let east = regions(&ws)[0];
    let rep = rep_of(&ws, teams(&ws, east)[0]);
    let tool = *ws.tools.keys().next().expect("the demo has tools");
    apply(&mut ws, &Edit::SetSeat { tool, person: rep, on: true }, later(10)).unwrap();
    let outside: Vec<Id> = ws.tools[&tool].seats.iter().copied().filter(|p| !exchange::Members::of(&ws, east).contains(*p)).collect();
    let mut b = exchange::extract(&ws, east, later(60), None).unwrap();
    apply(&mut b, &Edit::SetSeat { tool, person: rep, on: false }, later(100)).unwrap();
    let t = b.tools[&tool].clone();
    let e =
        apply(&mut b, &Edit::UpdateTool { id: tool, name: Text::both("Renamed"), cost_per_seat: t.cost_per_seat }, later(101)).unwrap_err();
    assert!(matches!(e, EditError::NotInBranch { shared: true, .. }));
    let (theirs, info) = through_file(&b, later(200));
    let r = review(&ws, &theirs, &info);
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    let merged = exchange::apply(&ws, &theirs, &r, &BTreeMap::new(), later(210), None, id(90_070)).unwrap();
    assert!(!merged.tools[&tool].seats.contains(&rep));
    assert!(outside.iter().all(|p| merged.tools[&tool].seats.contains(p)), "seats outside the branch are kept");
}

/// A branch workspace and its log are kept by storage like any document:
/// its cells rebuild it exactly, and storage written before branches
/// existed (no branch cell) reads as a whole workspace.
#[test]
fn storage_keeps_a_branch_and_its_log() {
    use sales_tiers_core::store::cells::{all, build, Section};
    let ws = director();
    let east = regions(&ws)[0];
    let mut b = exchange::extract(&ws, east, later(60), None).unwrap();
    let entry = exchange::sent_entry(&b, ExchangeAction::Opened, id(90_080), later(61), None, "sha256:x".into());
    let patch = sales_tiers_core::edit::log_exchange(&mut b, entry);
    assert_eq!(patch.cells(&b).len(), 1);
    let cells = all(&b);
    assert_eq!(build(cells.iter().map(|(k, v)| (*k, v.as_str()))).unwrap(), b);
    let old: Vec<_> = all(&ws).into_iter().filter(|(k, _)| k.section != Section::Branch).collect();
    let back = build(old.iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
    assert!(back.branch.is_none());
    assert_eq!(back, ws);
}

/// After a conflict decided for the branch's version, the file the
/// director once sent down (the issue itself) is merged by mistake: it
/// brings nothing, and above all does not put the old value back.
#[test]
fn merging_the_issue_itself_after_a_round_changes_nothing() {
    let ws = director();
    let east = regions(&ws)[0];
    let deal = open_deal_of(&ws, rep_of(&ws, teams(&ws, east)[0]));
    let issue = exchange::extract(&ws, east, later(60), None).unwrap();
    let (sent, sent_info) = through_file(&issue, later(60));
    let (mut b, mut mine) = (issue.clone(), ws.clone());
    let stage = |w: &mut Workspace, key: &str, at| {
        apply(w, &Edit::SetStage { id: deal, stage: default_stage_id(key), on: date(2026, 11, 28), by: None }, at).unwrap();
    };
    stage(&mut mine, "proposal", later(90));
    stage(&mut b, "won", later(100));
    let (back, info) = through_file(&exchange::send_back(&b, later(110), None).unwrap(), later(110));
    let r = review(&mine, &back, &info);
    assert_eq!(r.conflicts.len(), 1);
    let merged = exchange::apply(&mine, &back, &r, &BTreeMap::from([(deal, Side::Theirs)]), later(120), None, id(90_090)).unwrap();
    assert_eq!(merged.opportunities[&deal].stage, default_stage_id("won"));
    let again = review(&merged, &sent, &sent_info);
    assert!(again.is_empty(), "{:?} {:?}", again.changes, again.conflicts);
}

#[test]
fn branch_file_names_tell_down_from_back() {
    let d = date(2026, 12, 2);
    assert_eq!(io::branch_file_name("Demo: Huadong", "East China", d, false), "Demo-Huadong-East-China-2026-12-02.json");
    assert_eq!(io::branch_file_name("演示：华东", "华东大区", d, true), "演示-华东-华东大区-2026-12-02-back.json");
    assert_eq!(io::branch_file_name("///", "", d, false), "branch-branch-2026-12-02.json");
}

/// Which files open as a merge (a newer issue of one's branch, a branch of
/// this workspace sent back) and which replace the workspace (a branch sent
/// down, another workspace's file); what a branch is given, summed by hand.
#[test]
fn opening_a_file_merges_only_what_belongs_here_and_the_given_figures_add_up() {
    let ws = director();
    let east = regions(&ws)[0];
    let issue = exchange::extract(&ws, east, later(60), None).unwrap();
    let newer = exchange::extract(&ws, east, later(90), None).unwrap();
    let back = exchange::send_back(&issue, later(100), None).unwrap();
    assert!(!exchange::opens_as_merge(&ws, &issue), "a branch sent down opens as the workspace");
    assert!(exchange::opens_as_merge(&ws, &back), "a branch sent back merges");
    assert!(exchange::opens_as_merge(&issue, &newer), "a newer issue of one's branch merges");
    assert!(!exchange::opens_as_merge(&ws, &ws.clone()));
    assert!(!exchange::opens_as_merge(&demo_with_seed(7), &back), "another workspace's file replaces");
    assert_eq!(exchange::given(&ws, Y), None);
    let (target, budget) = exchange::given(&issue, Y).unwrap();
    assert_eq!(target.0, year_total(&ws, east));
    let by_hand: i64 = ws.plan.budgets.values().filter(|l| l.unit == east && l.year == Y).map(|l| l.amount.0).sum();
    assert_eq!(budget.0, by_hand);
    // A review made again says the same; one against another state does not.
    let (theirs, info) = through_file(&back, later(110));
    let (a, b) = (review(&ws, &theirs, &info), review(&ws, &theirs, &info));
    assert!(a.same_decisions(&b));
    let mut moved = ws.clone();
    apply(&mut moved, &Edit::RenameUnit { id: teams(&ws, east)[0], name: Text::both("Moved on") }, later(105)).unwrap();
    let mut edited = issue.clone();
    apply(&mut edited, &Edit::RenameUnit { id: teams(&ws, east)[0], name: Text::both("Branch name") }, later(106)).unwrap();
    let (t2, i2) = through_file(&edited, later(120));
    assert!(!review(&ws, &t2, &i2).same_decisions(&review(&moved, &t2, &i2)));
}

#[test]
fn the_review_shows_what_new_records_hold_and_names_changed_in_the_other_language() {
    let ws = director();
    let east = regions(&ws)[0];
    let (mut b, _) = through_file(&exchange::extract(&ws, east, later(60), Some(sender(&ws))).unwrap(), later(60));
    let t = teams(&b, east);
    let rep = rep_of(&b, t[0]);
    // A Chinese name changed, the English one not.
    let mut pf = sales_tiers_core::edit::PersonFields::of(&b.people[&rep]);
    let (zh_before, en_name) = (pf.name.zh.clone(), pf.name.en.clone());
    pf.name.zh = format!("{zh_before}然");
    apply(&mut b, &Edit::UpdatePerson { id: rep, fields: pf }, later(101)).unwrap();
    // A new deal and an activity on one of the rep's customers.
    let customer = b.opportunities[&open_deal_of(&b, rep)].customer;
    let deal = id(77_101);
    apply(
        &mut b,
        &Edit::AddOpportunity { id: deal, fields: deal_fields(customer, rep, 1_280_000_00, date(2026, 12, 20), "lead"), by: None },
        later(102),
    )
    .unwrap();
    let activity = id(77_102);
    let a = ActivityFields {
        kind: ActivityKind::Visit,
        customer,
        opportunity: Some(deal),
        by: rep,
        on: date(2026, 11, 26),
        minutes: 30,
        outcome: "Met the buyer".into(),
        next_step: String::new(),
    };
    apply(&mut b, &Edit::LogActivity { id: activity, fields: a }, later(103)).unwrap();
    let manager = ws.units[&east].manager.map(|m| Sender { id: m, name: ws.people[&m].name.clone() });
    let (theirs, info) = through_file(&exchange::send_back(&b, later(199), manager).unwrap(), later(200));
    let r = review(&ws, &theirs, &info);
    let change = |x: Id| r.changes.iter().find(|c| c.id == x).unwrap_or_else(|| panic!("{x:?} not in {:?}", r.changes));

    // Read in English, the Chinese name's change shows under its own label.
    let person = change(rep);
    assert_eq!(person.label, en_name);
    let zh = person.fields.iter().find(|f| f.field == "name (中文)").unwrap();
    assert_eq!((zh.old.as_str(), zh.new.as_str()), (zh_before.as_str(), format!("{zh_before}然").as_str()));
    assert!(person.fields.iter().all(|f| f.field != "name"), "the English name did not change: {:?}", person.fields);
    assert!(person.facts.is_empty(), "a change lists its fields, not facts");

    // A new deal says what it is: its customer, amount, stage and owner.
    let d = change(deal);
    assert_eq!(d.op, Op::Added);
    let fact = |c: &exchange::Change, f: &str| c.facts.iter().find(|x| x.field == f).map(|x| x.value.clone());
    assert_eq!(fact(d, "customer"), Some(ws.customers[&customer].name.clone()));
    assert_eq!(fact(d, "amount"), Some(Money(1_280_000_00).to_string()));
    assert_eq!(fact(d, "owner"), Some(ws.people[&rep].name.en.clone()));
    assert!(fact(d, "stage").is_some() && fact(d, "close date") == Some("2026-12-20".into()));

    // The activity is named by its customer, never by an id.
    let act = change(activity);
    assert!(act.label.starts_with(&ws.customers[&customer].name), "{}", act.label);
    assert_eq!(fact(act, "outcome"), Some("Met the buyer".into()));
    assert_eq!(fact(act, "deal"), Some(b.opportunities[&deal].name.clone()));

    // Read in Chinese, an English-only change would show as "姓名（English）".
    let r_zh = exchange::review(&ws, &theirs, info.checksum.as_deref().unwrap_or(""), info.exported_at.unwrap(), Lang::Zh).unwrap();
    let p_zh = r_zh.changes.iter().find(|c| c.id == rep).unwrap();
    assert!(p_zh.fields.iter().any(|f| f.field == "姓名"), "{:?}", p_zh.fields);
    assert!(p_zh.fields.iter().all(|f| f.field != "姓名（English）"));
}

#[test]
fn counts_read_as_words_in_both_languages() {
    let c = Counts { added: 3, changed: 2, deleted: 0 };
    assert_eq!(exchange::counts_words(&c, Lang::En), "3 added, 2 changed");
    assert_eq!(exchange::counts_words(&c, Lang::Zh), "新增3、修改2");
    assert_eq!(exchange::counts_text(&c), "+3 ~2");
    assert_eq!(exchange::counts_words(&Counts::default(), Lang::En), "");
}
