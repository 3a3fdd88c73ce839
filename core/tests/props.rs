//! Property tests: random edit sequences keep the document valid, undo
//! restores it exactly, merge is commutative and idempotent.
mod common;
use common::*;
use proptest::prelude::*;
use sales_tiers_core::edit::{History, SettingsPatch};
use sales_tiers_core::engine::index;
use sales_tiers_core::engine::merge::merge;
use sales_tiers_core::engine::validate::validate;
use sales_tiers_core::model::*;
use sales_tiers_core::{apply, Edit, Id, Workspace};

#[derive(Clone, Debug)]
struct Op {
    kind: u8,
    a: usize,
    b: usize,
    text: String,
}

fn op() -> impl Strategy<Value = Op> {
    (0u8..19, any::<usize>(), any::<usize>(), prop_oneof!["[a-zA-Z ]{0,8}", "[\u{4e00}-\u{4e20}]{1,4}", Just(String::new())])
        .prop_map(|(kind, a, b, text)| Op { kind, a, b, text })
}

fn pick<T: Copy>(v: &[T], i: usize) -> Option<T> {
    (!v.is_empty()).then(|| v[i % v.len()])
}

/// Turns an abstract op into a concrete edit against the current document.
/// Some edits will be refused (cycles, non-empty units, ...): that is part
/// of what is tested.
fn concrete(ws: &Workspace, op: &Op, fresh: &mut u32) -> Option<Edit> {
    let units: Vec<Id> = ws.units.keys().copied().collect();
    let people: Vec<Id> = ws.people.keys().copied().collect();
    let tiers: Vec<Id> = ws.tiers.keys().copied().collect();
    let mut new_id = || {
        *fresh += 1;
        id(1_000_000 + *fresh)
    };
    Some(match op.kind {
        0 => Edit::AddUnit { id: new_id(), name: Text::both(op.text.clone()), parent: Some(pick(&units, op.a)?) },
        1 => Edit::RenameUnit { id: pick(&units, op.a)?, name: Text::new(op.text.clone(), "x") },
        2 | 3 => Edit::MoveUnit { id: pick(&units, op.a)?, parent: pick(&units, op.b)? },
        4 => Edit::DeleteUnit { id: pick(&units, op.a)? },
        5 => Edit::AddPerson { id: new_id(), unit: pick(&units, op.a)?, fields: fields(&op.text, pick(&tiers, op.b)?) },
        6 => Edit::MovePerson { id: pick(&people, op.a)?, unit: pick(&units, op.b)? },
        7 => Edit::DeletePerson { id: pick(&people, op.a)? },
        8 => {
            let u = pick(&units, op.a)?;
            let members: Vec<Id> = ws.people.values().filter(|p| p.unit == u).map(|p| p.id).collect();
            Edit::SetManager { unit: u, person: pick(&members, op.b) }
        }
        9 => Edit::UpdateSettings(SettingsPatch {
            workspace_name: Some(op.text.clone()),
            fiscal_year_start_month: Some((op.a % 14) as u8),
            ..Default::default()
        }),
        10 => Edit::MoveTier { id: pick(&tiers, op.a)?, order: (op.b % 5) as u32 },
        12 => Edit::AddSkill { id: new_id(), name: Text::both(op.text.clone()) },
        13 => {
            let skills: Vec<Id> = ws.skills.keys().copied().collect();
            Edit::SetRating {
                person: pick(&people, op.a)?,
                skill: pick(&skills, op.b)?,
                rating: [None, Some(0), Some(1), Some(3), Some(5), Some(6)][op.b % 6],
            }
        }
        14 => Edit::AddGrade {
            id: new_id(),
            tier: pick(&tiers, op.a)?,
            name: Text::both(op.text.clone()),
            rules: vec![Rule { factor: Factor::ALL[op.b % 5], min: (op.b % 50) as i64 - 5, periods: 0 }],
        },
        15 => {
            let p = pick(&people, op.a)?;
            let grades: Vec<Id> = ws.grades.keys().copied().collect();
            Edit::RecordPromotion { person: p, grade: pick(&grades, op.b)?, note: op.text.clone() }
        }
        16 => Edit::RemoveGrade { id: pick(&ws.grades.keys().copied().collect::<Vec<_>>(), op.a)? },
        17 => Edit::RemoveSkill { id: pick(&ws.skills.keys().copied().collect::<Vec<_>>(), op.a)? },
        18 => {
            let p = &ws.people[&pick(&people, op.a)?];
            let mut f = sales_tiers_core::edit::PersonFields::of(p);
            f.tier = pick(&tiers, op.b)?;
            f.status = [Status::Active, Status::OnLeave, Status::Left][op.b % 3];
            Edit::UpdatePerson { id: p.id, fields: f }
        }
        _ => Edit::RemoveTier { id: pick(&tiers, op.a)?, reassign_to: if op.b.is_multiple_of(2) { pick(&tiers, op.b) } else { None } },
    })
}

/// The demo workspace (with its deals, activities and customers), built once.
fn demo_org() -> &'static Workspace {
    static WS: std::sync::OnceLock<Workspace> = std::sync::OnceLock::new();
    WS.get_or_init(demo)
}

fn active_people(ws: &Workspace) -> usize {
    ws.people.len()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_keep_the_document_valid_and_undo_restores_it(ops in prop::collection::vec(op(), 1..60)) {
        let (mut ws, ..) = small_org();
        let start = ws.clone();
        let mut history = History::default();
        let mut snapshots = vec![ws.clone()];
        let mut fresh = 0;
        for (i, o) in ops.iter().enumerate() {
            let Some(edit) = concrete(&ws, o, &mut fresh) else { continue };
            let before = ws.clone();
            let people_before = active_people(&ws);
            match apply(&mut ws, &edit, later(i as i64 + 1)) {
                Ok(patch) => {
                    // An edit writing none of the index's sections leaves it
                    // as it was (the app keeps its index over such edits).
                    if !index::changed_by(&patch.cells(&ws)) {
                        prop_assert_eq!(index::Index::new(&before), index::Index::new(&ws), "{:?}", &edit);
                    }
                    // One writing only the org: the index brought up to date equals one built anew.
                    if index::org_only(&patch.cells(&ws)) {
                        prop_assert_eq!(index::Index::new(&before).with_org_of(&ws), index::Index::new(&ws), "{:?}", &edit);
                    }
                    // A no-op edit (same parent, same manager) records nothing.
                    if patch.is_empty() {
                        prop_assert_eq!(&ws, &before);
                    } else {
                        history.record(patch);
                        snapshots.push(ws.clone());
                    }
                    // Moves never lose or add people.
                    if matches!(edit, Edit::MoveUnit { .. } | Edit::MovePerson { .. }) {
                        prop_assert_eq!(active_people(&ws), people_before);
                    }
                }
                Err(_) => prop_assert_eq!(&ws, &before, "a refused edit changed the document"),
            }
            let problems = validate(&ws);
            prop_assert!(problems.is_empty(), "after {:?}: {:?}", edit, problems);
        }
        // Undo walks back through every snapshot exactly.
        snapshots.pop();
        while let Some(expected) = snapshots.pop() {
            prop_assert!(history.undo(&mut ws));
            prop_assert_eq!(&ws, &expected);
        }
        prop_assert!(!history.undo(&mut ws));
        prop_assert_eq!(&ws, &start);
    }

    /// The demo has deals, contacts and customers for the kept parts to
    /// hold: org edits (moves, people added, moved, left, deleted) in a
    /// row, the index brought up to date after each equals one built anew.
    #[test]
    fn an_index_brought_up_to_date_after_org_edits_equals_one_built_anew(ops in prop::collection::vec(op(), 1..25)) {
        let mut ws = demo_org().clone();
        let mut ix = index::Index::new(&ws);
        let mut fresh = 0;
        for (i, o) in ops.iter().enumerate() {
            let o = Op { kind: [0, 2, 3, 4, 5, 6, 7, 8, 18][o.kind as usize % 9], ..o.clone() };
            let Some(edit) = concrete(&ws, &o, &mut fresh) else { continue };
            let Ok(patch) = apply(&mut ws, &edit, later(i as i64 + 1)) else { continue };
            let cells = patch.cells(&ws);
            ix = if index::org_only(&cells) { ix.with_org_of(&ws) } else { index::Index::new(&ws) };
            prop_assert_eq!(&ix, &index::Index::new(&ws), "{:?}", &edit);
        }
    }

    #[test]
    fn merge_is_commutative_idempotent_and_keeps_both_sides_edits(
        left in prop::collection::vec(op(), 0..25),
        right in prop::collection::vec(op(), 0..25),
    ) {
        let (base, ..) = small_org();
        let run = |ops: &[Op], offset: i64, seed: u32| {
            let mut ws = base.clone();
            let mut fresh = seed;
            for (i, o) in ops.iter().enumerate() {
                if let Some(e) = concrete(&ws, o, &mut fresh) {
                    let _ = apply(&mut ws, &e, later(offset + i as i64));
                }
            }
            ws
        };
        let a = run(&left, 1, 0);
        let b = run(&right, 1000, 500_000);
        prop_assert_eq!(merge(&a, &a).unwrap().0, a.clone());
        match (merge(&a, &b), merge(&b, &a)) {
            (Ok((ab, _)), Ok((ba, _))) => {
                prop_assert_eq!(&ab, &ba);
                // Records only one side created are all there.
                for id in a.people.keys().filter(|k| !base.people.contains_key(k)) {
                    prop_assert!(ab.people.contains_key(id));
                }
                for id in b.units.keys().filter(|k| !base.units.contains_key(k)) {
                    prop_assert!(ab.units.contains_key(id));
                }
            }
            (Err(_), Err(_)) => {}
            (x, y) => prop_assert!(false, "merge not symmetric: {:?} vs {:?}", x.is_ok(), y.is_ok()),
        }
    }
}

#[test]
fn merge_takes_the_newer_edit_and_honours_deletions() {
    let (base, _, _, _, ta, _) = small_org();
    let mut a = base.clone();
    let mut b = base.clone();
    apply(&mut a, &Edit::RenameUnit { id: ta, name: Text::both("From A") }, later(10)).unwrap();
    apply(&mut b, &Edit::RenameUnit { id: ta, name: Text::both("From B") }, later(20)).unwrap();
    apply(&mut b, &Edit::DeletePerson { id: id(210) }, later(21)).unwrap();
    let (m, report) = merge(&a, &b).unwrap();
    assert_eq!(m.units[&ta].name.en, "From B");
    assert!(!m.people.contains_key(&id(210)));
    assert!(m.tombstones.contains_key(&id(210)));
    assert_eq!(report.taken_from_theirs, 2);
    let mut other = base.clone();
    other.meta.id = id(31337);
    assert!(merge(&a, &other).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Each unit's counts as they are defined, in any org: people who have
    /// not left and vacant units in the unit and below it, and the depth;
    /// units in a cycle, below one or under a parent that is not there
    /// (which validation reports) count only their own.
    #[test]
    fn unit_counts_are_what_they_say(
        statuses in prop::collection::vec(0..4u8, 0..80),
        cut in prop::collection::vec(any::<usize>(), 0..6),
        cycle in any::<bool>(),
        orphan in prop::option::of(any::<usize>()),
    ) {
        use sales_tiers_core::engine::org::unit_counts;
        let mut ws = demo();
        let people: Vec<Id> = ws.people.keys().copied().collect();
        for (i, st) in statuses.iter().enumerate() {
            let p = ws.people.get_mut(&people[i * 7 % people.len()]).unwrap();
            p.status = [Status::Active, Status::Left, Status::OnLeave, Status::Left][*st as usize];
        }
        let units: Vec<Id> = ws.units.keys().copied().collect();
        for c in &cut {
            ws.units.get_mut(&units[c % units.len()]).unwrap().manager = None;
        }
        if cycle {
            // A unit under one of its own children (written by hand: no edit allows it).
            let child = ws.units.values().find(|u| u.parent.is_some_and(|p| ws.units[&p].parent.is_some())).unwrap();
            let (child, parent) = (child.id, child.parent.unwrap());
            ws.units.get_mut(&parent).unwrap().parent = Some(child);
        }
        if let Some(o) = orphan {
            // A unit under a parent that is not there.
            ws.units.get_mut(&units[o % units.len()]).unwrap().parent = Some(Id::from_random_bytes([7; 16]));
        }
        // The chain of units from `u` up to a root, or None when it runs into a cycle.
        let chain = |u: Id| {
            let mut out = vec![u];
            while let Some(p) = ws.units[out.last().unwrap()].parent {
                if out.len() > ws.units.len() || !ws.units.contains_key(&p) {
                    return None;
                }
                out.push(p);
            }
            Some(out)
        };
        let direct = |u: Id| ws.people.values().filter(|p| p.unit == u && p.status != Status::Left).count();
        let vacant = |u: Id| ws.units[&u].manager.and_then(|m| ws.people.get(&m)).is_none_or(|p| p.status == Status::Left);
        let counts = unit_counts(&ws);
        prop_assert_eq!(counts.len(), ws.units.len());
        for u in ws.units.keys() {
            let c = &counts[u];
            prop_assert_eq!(c.direct, direct(*u));
            prop_assert_eq!(c.vacant, vacant(*u));
            match chain(*u) {
                Some(up) => {
                    let below: Vec<Id> = ws.units.keys().copied().filter(|x| chain(*x).is_some_and(|ch| ch.contains(u))).collect();
                    prop_assert_eq!(c.depth, up.len() - 1);
                    prop_assert_eq!(c.headcount, below.iter().map(|x| direct(*x)).sum::<usize>());
                    prop_assert_eq!(c.vacancies, below.iter().filter(|x| vacant(**x)).count());
                }
                None => {
                    prop_assert_eq!((c.depth, c.headcount, c.vacancies), (0, direct(*u), usize::from(vacant(*u))));
                }
            }
        }
    }

    /// Random subtree moves on the demo org: never a cycle, nobody lost, and
    /// a moved subtree keeps its head count.
    #[test]
    fn subtree_moves_keep_counts_and_never_cycle(moves in prop::collection::vec((any::<usize>(), any::<usize>()), 1..40)) {
        use sales_tiers_core::engine::org::unit_counts;
        let mut ws = demo();
        let total = unit_counts(&ws)[&ws.root().unwrap().id].headcount;
        let units: Vec<Id> = ws.units.keys().copied().collect();
        for (i, (a, b)) in moves.into_iter().enumerate() {
            let (u, target) = (units[a % units.len()], units[b % units.len()]);
            let before = unit_counts(&ws)[&u].headcount;
            match apply(&mut ws, &Edit::MoveUnit { id: u, parent: target }, later(i as i64)) {
                Ok(_) => {
                    let c = unit_counts(&ws);
                    prop_assert_eq!(c[&u].headcount, before);
                    prop_assert_eq!(c[&ws.root().unwrap().id].headcount, total);
                    prop_assert_eq!(ws.units[&u].parent, Some(target));
                }
                Err(e) => prop_assert!(matches!(
                    e,
                    sales_tiers_core::EditError::WouldCycle { .. }
                        | sales_tiers_core::EditError::RootCannotMove
                        | sales_tiers_core::EditError::TooDeep { .. }
                        | sales_tiers_core::EditError::BudgetExceedsParent { .. }
                ), "{:?}", e),
            }
            prop_assert!(validate(&ws).is_empty());
        }
    }
}
