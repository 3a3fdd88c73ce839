mod common;
use common::*;
use sales_tiers_core::edit::{EditError, History, SettingsPatch};
use sales_tiers_core::engine::validate::validate;
use sales_tiers_core::model::*;
use sales_tiers_core::{apply, Edit, Lang};

#[test]
fn small_org_is_valid_and_counts_add_up() {
    let (ws, _, company, region, ta, _) = small_org();
    assert!(validate(&ws).is_empty(), "{:?}", validate(&ws));
    let counts = sales_tiers_core::engine::org::unit_counts(&ws);
    assert_eq!(counts[&company].headcount, 5);
    assert_eq!(counts[&region].headcount, 4);
    assert_eq!(counts[&ta].direct, 2);
    // Region and both teams have no manager.
    assert_eq!(counts[&company].vacancies, 3);
    assert!(!counts[&company].vacant);
}

#[test]
fn a_subtree_walk_gives_each_unit_its_depth_below_the_top_and_the_tree_order() {
    use sales_tiers_core::engine::org::{scope_units, subtree_with_depth, unit_counts};
    for n in [1, 20, 300] {
        let ws = sales_tiers_core::demo::generate(&sales_tiers_core::demo::DemoOptions {
            people: n,
            ..sales_tiers_core::demo::DemoOptions::new(t0())
        });
        let counts = unit_counts(&ws);
        for top in ws.units.keys() {
            let rows = subtree_with_depth(&ws, *top);
            assert_eq!(rows.iter().map(|r| r.0).collect::<std::collections::HashSet<_>>(), scope_units(&ws, *top));
            for (u, depth) in &rows {
                assert_eq!(*depth, counts[u].depth - counts[top].depth, "{n} people");
            }
            // Pre-order: each unit comes right after its parent or a unit of its parent's subtree.
            for w in rows.windows(2) {
                assert!(w[1].1 <= w[0].1 + 1);
                if w[1].1 > 0 {
                    assert!(rows.iter().take_while(|r| r.0 != w[1].0).any(|r| Some(r.0) == ws.units[&w[1].0].parent));
                }
            }
        }
    }
}

#[test]
fn moving_a_unit_under_its_descendant_is_refused_and_changes_nothing() {
    let (mut ws, _, company, region, ta, _) = small_org();
    // Names that differ by language: a refusal says them in the reader's.
    for (id, zh, en) in [(region, "华东大区", "East China"), (ta, "杭州销售组", "Hangzhou Team")] {
        apply(&mut ws, &Edit::RenameUnit { id, name: Text::new(zh, en) }, t0()).unwrap();
    }
    let before = ws.clone();
    let err = apply(&mut ws, &Edit::MoveUnit { id: region, parent: ta }, later(1)).unwrap_err();
    assert!(matches!(err, EditError::WouldCycle { .. }));
    assert!(err.message(Lang::En).contains("descendants"), "{}", err.message(Lang::En));
    assert!(err.message(Lang::Zh).contains("下级"));
    // Each language names the units in that language only.
    for lang in [Lang::Zh, Lang::En] {
        let other = if lang == Lang::Zh { Lang::En } else { Lang::Zh };
        let msg = err.message(lang);
        for u in [region, ta] {
            let name = &ws.units[&u].name;
            assert!(msg.contains(name.get(lang)), "{msg}");
            if name.get(other) != name.get(lang) {
                assert!(!msg.contains(name.get(other)), "{msg}");
            }
        }
    }
    assert_eq!(ws, before);
    let err = apply(&mut ws, &Edit::MoveUnit { id: region, parent: region }, later(1)).unwrap_err();
    assert!(matches!(err, EditError::WouldCycle { .. }));
    assert_eq!(apply(&mut ws, &Edit::MoveUnit { id: company, parent: ta }, later(1)).unwrap_err(), EditError::RootCannotMove);
    assert_eq!(ws, before);
}

#[test]
fn move_unit_carries_its_subtree() {
    let (mut ws, _, company, region, ta, tb) = small_org();
    let r2 = id(14);
    apply(&mut ws, &Edit::AddUnit { id: r2, name: Text::both("Region 2"), parent: Some(company) }, later(1)).unwrap();
    apply(&mut ws, &Edit::MoveUnit { id: ta, parent: r2 }, later(2)).unwrap();
    let c = sales_tiers_core::engine::org::unit_counts(&ws);
    assert_eq!(c[&r2].headcount, 2);
    assert_eq!(c[&region].headcount, 2);
    assert_eq!(c[&company].headcount, 5);
    assert_eq!(ws.units[&ta].parent, Some(r2));
    assert_eq!(ws.units[&ta].rev, 2);
    assert_eq!(ws.units[&ta].updated_at, later(2));
    assert_eq!(ws.units[&tb].parent, Some(region));
}

#[test]
fn second_root_blank_names_and_long_names_are_refused() {
    let (mut ws, ..) = small_org();
    assert_eq!(
        apply(&mut ws, &Edit::AddUnit { id: id(50), name: Text::both("X"), parent: None }, t0()).unwrap_err(),
        EditError::SecondRoot
    );
    let unit = *ws.units.keys().next().unwrap();
    assert_eq!(apply(&mut ws, &Edit::RenameUnit { id: unit, name: Text::new("  ", "") }, t0()).unwrap_err(), EditError::BlankName);
    let long = "长".repeat(121);
    assert!(matches!(
        apply(&mut ws, &Edit::RenameUnit { id: unit, name: Text::both(long) }, t0()).unwrap_err(),
        EditError::TooLong { len: 121, max: 120, .. }
    ));
}

#[test]
fn ids_are_never_reused_even_after_deletion() {
    let (mut ws, tiers, _, _, ta, _) = small_org();
    let p = id(200);
    apply(&mut ws, &Edit::DeletePerson { id: p }, later(1)).unwrap();
    assert_eq!(ws.tombstones[&p].kind, Kind::Person);
    assert_eq!(ws.tombstones[&p].rev, 2);
    let err = apply(&mut ws, &Edit::AddPerson { id: p, unit: ta, fields: fields("Again", tiers[3]) }, later(2)).unwrap_err();
    assert_eq!(err, EditError::IdTaken { id: p });
}

#[test]
fn a_new_record_never_takes_an_id_in_use_in_any_section() {
    // A second AddSkill with the same id used to replace the skill silently,
    // and a second AddGrade to move a held grade to another tier.
    let (mut ws, tiers, ..) = small_org();
    let skill = id(900);
    apply(&mut ws, &Edit::AddSkill { id: skill, name: Text::both("Negotiation") }, later(1)).unwrap();
    assert_eq!(apply(&mut ws, &Edit::AddSkill { id: skill, name: Text::both("Other") }, later(2)), Err(EditError::IdTaken { id: skill }));
    let grade = id(901);
    apply(&mut ws, &Edit::AddGrade { id: grade, tier: tiers[1], name: Text::both("Senior"), rules: vec![] }, later(3)).unwrap();
    let again = Edit::AddGrade { id: grade, tier: tiers[2], name: Text::both("Senior"), rules: vec![] };
    assert_eq!(apply(&mut ws, &again, later(4)), Err(EditError::IdTaken { id: grade }));
    // Any section's key counts: a tier's id for a new category, a plan line's for a tool.
    assert_eq!(
        apply(&mut ws, &Edit::AddCategory { id: tiers[0], name: Text::both("X") }, later(5)),
        Err(EditError::IdTaken { id: tiers[0] })
    );
}

#[test]
fn delete_unit_requires_it_empty() {
    let (mut ws, _, _, region, ta, _) = small_org();
    assert_eq!(apply(&mut ws, &Edit::DeleteUnit { id: ta }, t0()).unwrap_err(), EditError::UnitNotEmpty { members: 2, children: 0 });
    assert_eq!(apply(&mut ws, &Edit::DeleteUnit { id: region }, t0()).unwrap_err(), EditError::UnitNotEmpty { members: 0, children: 2 });
    let e = EditError::UnitNotEmpty { members: 2, children: 0 };
    assert!(e.message(Lang::Zh).contains("2 名成员"));
    for p in [id(200), id(201)] {
        apply(&mut ws, &Edit::DeletePerson { id: p }, t0()).unwrap();
    }
    apply(&mut ws, &Edit::DeleteUnit { id: ta }, t0()).unwrap();
    assert!(!ws.units.contains_key(&ta));
    assert!(validate(&ws).is_empty());
}

#[test]
fn tier_in_use_cannot_be_removed_and_order_is_renumbered() {
    let (mut ws, tiers, ..) = small_org();
    assert_eq!(
        apply(&mut ws, &Edit::RemoveTier { id: tiers[3], reassign_to: None }, t0()).unwrap_err(),
        EditError::TierInUse { people: 4 }
    );
    apply(&mut ws, &Edit::RemoveTier { id: tiers[2], reassign_to: None }, t0()).unwrap();
    apply(&mut ws, &Edit::MoveTier { id: tiers[3], order: 0 }, t0()).unwrap();
    let order: Vec<Id> = ws.tiers_in_order().iter().map(|t| t.id).collect();
    assert_eq!(order, vec![tiers[3], tiers[0], tiers[1]]);
    let orders: Vec<u32> = ws.tiers_in_order().iter().map(|t| t.order).collect();
    assert_eq!(orders, vec![0, 1, 2]);
}

#[test]
fn managers_must_be_members_and_leave_units_vacant() {
    let (mut ws, tiers, company, _, ta, _) = small_org();
    assert_eq!(apply(&mut ws, &Edit::SetManager { unit: ta, person: Some(id(100)) }, t0()).unwrap_err(), EditError::ManagerNotMember);
    // A rep cannot manage a team of reps: the manager's tier must be higher.
    let err = apply(&mut ws, &Edit::SetManager { unit: ta, person: Some(id(200)) }, t0()).unwrap_err();
    assert_eq!(err, EditError::ManagerTierNotAbove { unit: Text::both("Team A") });
    assert!(err.message(Lang::En).contains("higher tier"));
    let before = ws.clone();
    apply(&mut ws, &Edit::UpdatePerson { id: id(200), fields: fields("Lead", tiers[2]) }, later(1)).unwrap();
    assert!(matches!(ws.people[&id(200)].history[0].event, PersonEvent::TierChanged { .. }));
    apply(&mut ws, &Edit::SetManager { unit: ta, person: Some(id(200)) }, later(2)).unwrap();
    // Now the lead cannot be demoted below, nor a director-tier person moved in.
    assert!(matches!(
        apply(&mut ws, &Edit::UpdatePerson { id: id(200), fields: fields("Lead", tiers[3]) }, later(3)).unwrap_err(),
        EditError::ManagerTierNotAbove { .. }
    ));
    let boss = Edit::AddPerson { id: id(300), unit: ta, fields: fields("Too senior", tiers[1]) };
    assert!(matches!(apply(&mut ws, &boss, later(3)).unwrap_err(), EditError::ManagerTierNotAbove { .. }));
    assert_ne!(ws, before);
    // A manager cannot be moved away without appointing someone else first.
    assert!(matches!(
        apply(&mut ws, &Edit::MovePerson { id: id(200), unit: company }, t0()).unwrap_err(),
        EditError::PersonManagesUnit { .. }
    ));
    // Deleting the manager leaves the unit vacant, not broken.
    apply(&mut ws, &Edit::DeletePerson { id: id(200) }, later(5)).unwrap();
    assert_eq!(ws.units[&ta].manager, None);
    assert!(validate(&ws).is_empty());
}

#[test]
fn settings_are_validated() {
    let (mut ws, ..) = small_org();
    let bad = |p: SettingsPatch| Edit::UpdateSettings(p);
    assert!(matches!(
        apply(&mut ws, &bad(SettingsPatch { currency: Some("yuan".into()), ..Default::default() }), t0()).unwrap_err(),
        EditError::BadCurrency { .. }
    ));
    assert_eq!(
        apply(&mut ws, &bad(SettingsPatch { fiscal_year_start_month: Some(13), ..Default::default() }), t0()).unwrap_err(),
        EditError::BadMonth { month: 13 }
    );
    assert_eq!(
        apply(&mut ws, &bad(SettingsPatch { workspace_name: Some(" ".into()), ..Default::default() }), t0()).unwrap_err(),
        EditError::BlankName
    );
    apply(&mut ws, &bad(SettingsPatch { currency: Some("USD".into()), fiscal_year_start_month: Some(4), ..Default::default() }), later(3))
        .unwrap();
    assert_eq!(ws.settings.currency, "USD");
    assert_eq!(ws.settings.fiscal_year_start_month, 4);
    assert_eq!(ws.settings.rev, 2);
}

#[test]
fn failed_edit_leaves_document_untouched_even_midway() {
    // AddPerson into a missing unit fails before touching anything; an
    // UpdatePerson with an unknown tier must not bump the revision.
    let (mut ws, ..) = small_org();
    let before = ws.clone();
    let f = fields("X", id(77777));
    assert!(apply(&mut ws, &Edit::UpdatePerson { id: id(200), fields: f }, later(1)).is_err());
    assert_eq!(ws, before);
}

#[test]
fn undo_and_redo_restore_exactly() {
    let (mut ws, _, company, _, ta, _) = small_org();
    let start = ws.clone();
    let mut h = History::default();
    h.record(apply(&mut ws, &Edit::RenameUnit { id: ta, name: Text::both("Renamed") }, later(1)).unwrap());
    let after_rename = ws.clone();
    h.record(apply(&mut ws, &Edit::DeletePerson { id: id(201) }, later(2)).unwrap());
    h.record(apply(&mut ws, &Edit::MovePerson { id: id(200), unit: company }, later(3)).unwrap());
    let end = ws.clone();
    assert!(h.undo(&mut ws) && h.undo(&mut ws));
    assert_eq!(ws, after_rename);
    assert!(h.undo(&mut ws));
    assert_eq!(ws, start);
    assert!(!h.undo(&mut ws));
    assert!(h.redo(&mut ws) && h.redo(&mut ws) && h.redo(&mut ws));
    assert_eq!(ws, end);
    assert!(!h.redo(&mut ws));
}

#[test]
fn history_keeps_at_least_100_steps_and_drops_the_oldest() {
    let (mut ws, _, _, _, ta, _) = small_org();
    let start = ws.clone();
    let mut h = History::with_limit(100);
    for i in 0..100 {
        h.record(apply(&mut ws, &Edit::RenameUnit { id: ta, name: Text::both(format!("n{i}")) }, later(i)).unwrap());
    }
    assert_eq!(h.undo_len(), 100);
    while h.undo(&mut ws) {}
    assert_eq!(ws, start);
    for _ in 0..100 {
        h.redo(&mut ws);
    }
    h.record(apply(&mut ws, &Edit::RenameUnit { id: ta, name: Text::both("last") }, later(200)).unwrap());
    assert_eq!(h.undo_len(), 100);
    assert!(!h.can_redo());
}

#[test]
fn edits_serialise_as_tagged_values() {
    let e = Edit::MoveUnit { id: id(1), parent: id(2) };
    let json = serde_json::to_string(&e).unwrap();
    assert!(json.contains("\"op\":\"move_unit\""), "{json}");
    assert_eq!(serde_json::from_str::<Edit>(&json).unwrap(), e);
}

#[test]
fn demo_is_deterministic_valid_and_the_right_shape() {
    let a = demo();
    let b = demo();
    assert_eq!(a, b);
    assert!(validate(&a).is_empty(), "{:?}", validate(&a));
    assert_eq!(a.people.len(), 77);
    let per_tier = |order: u32| {
        let t = a.tiers.values().find(|t| t.order == order).unwrap().id;
        a.people.values().filter(|p| p.tier == t).count()
    };
    assert_eq!((per_tier(0), per_tier(1), per_tier(2), per_tier(3)), (1, 4, 12, 60));
    assert!(a.meta.demo);
    // One vacancy after a departure, reported by the counts.
    let root = a.root().unwrap().id;
    assert_eq!(sales_tiers_core::engine::org::unit_counts(&a)[&root].vacancies, 1);
    let big = sales_tiers_core::demo::generate(&sales_tiers_core::demo::DemoOptions {
        people: 2_000,
        ..sales_tiers_core::demo::DemoOptions::new(t0())
    });
    assert_eq!(big.people.len(), 2_000);
    assert!(validate(&big).is_empty());
    // Names are unique in both languages and carry no "2" suffix.
    for ws in [&a, &big] {
        for lang in [Lang::Zh, Lang::En] {
            let names: std::collections::BTreeSet<&str> = ws.people.values().map(|p| p.name.get(lang)).collect();
            assert_eq!(names.len(), ws.people.len(), "{lang:?}: a name given twice");
            assert!(names.iter().all(|n| !n.chars().any(|c| c.is_ascii_digit())), "{lang:?}: a numbered name");
        }
    }
}

#[test]
fn starter_has_the_four_default_tiers_and_no_org() {
    let mut n = 0;
    let ws = sales_tiers_core::demo::starter(id(1), Lang::Zh, t0(), || {
        n += 1;
        id(100 + n)
    });
    assert!(validate(&ws).is_empty());
    let names: Vec<&str> = ws.tiers_in_order().iter().map(|t| t.name.get(Lang::Zh)).collect();
    assert_eq!(names, ["销售总监", "区域经理", "团队主管", "销售代表"]);
    assert!(ws.units.is_empty() && ws.people.is_empty() && !ws.meta.demo);
    assert_eq!(ws.settings.workspace_name, "我的销售组织");
    // A scorecard and an example plan per tier, the plans named as a starting point.
    for t in ws.tiers_in_order() {
        let card = ws.scorecard_of(t.id).expect("a seed scorecard for every tier");
        assert_eq!(card.weight_sum(), 10_000);
        let plan = ws.incentive_plans.values().find(|p| p.tier == Some(t.id)).expect("an example plan for every tier");
        assert!(plan.name.get(Lang::En).starts_with("Example:") && plan.name.get(Lang::Zh).starts_with("示例"), "{:?}", plan.name);
    }
}

#[test]
fn a_batch_is_all_or_nothing_and_one_undo_step() {
    let (mut ws, tiers, _, region, ta, tb) = small_org();
    let before = ws.clone();
    let ok = Edit::Batch {
        edits: vec![
            Edit::AddPerson { id: id(400), unit: ta, fields: fields("New lead", tiers[2]) },
            Edit::SetManager { unit: ta, person: Some(id(400)) },
            Edit::RenameUnit { id: ta, name: Text::both("Team A+") },
        ],
    };
    let mut h = History::default();
    h.record(apply(&mut ws, &ok, later(1)).unwrap());
    assert_eq!(ws.units[&ta].manager, Some(id(400)));
    assert_eq!(ws.units[&ta].rev, 2, "one revision per edit, however many touches");
    h.undo(&mut ws);
    assert_eq!(ws, before);
    let bad =
        Edit::Batch { edits: vec![Edit::RenameUnit { id: tb, name: Text::both("Renamed") }, Edit::MoveUnit { id: region, parent: tb }] };
    assert!(matches!(apply(&mut ws, &bad, later(2)).unwrap_err(), EditError::WouldCycle { .. }));
    assert_eq!(ws, before);
}

#[test]
fn a_new_person_gets_the_tier_that_fits_the_unit_and_may_lead_an_empty_one() {
    use sales_tiers_core::engine::org::{could_lead, proposes_lead, suggested_tier};
    let (mut ws, tiers, company, region, ta, _) = small_org();
    // The region has no manager: a newcomer there is one tier below the director.
    assert_eq!(suggested_tier(&ws, region), Some(tiers[1]));
    assert!(could_lead(&ws, region, tiers[1], None));
    // Team A has reps and no manager: a regional manager's tier outranks them, a rep's does not.
    assert!(could_lead(&ws, ta, tiers[2], None));
    assert!(!could_lead(&ws, ta, tiers[3], None));
    // Proposed by default for a manager's tier only.
    assert!(proposes_lead(&ws, region, tiers[1]));
    assert!(!proposes_lead(&ws, ta, tiers[3]), "never a rep by default");
    // Once the region has a manager, newcomers there are one tier below them.
    apply(&mut ws, &Edit::AddPerson { id: id(600), unit: region, fields: fields("RM", tiers[1]) }, later(1)).unwrap();
    apply(&mut ws, &Edit::SetManager { unit: region, person: Some(id(600)) }, later(2)).unwrap();
    assert_eq!(suggested_tier(&ws, region), Some(tiers[2]));
    assert!(!could_lead(&ws, region, tiers[0], None), "a unit with a manager in post");
    // Team A (no manager) under the region: one below the region's manager.
    assert_eq!(suggested_tier(&ws, ta), Some(tiers[2]));
    // The company's director is in post: newcomers there are regional managers.
    assert_eq!(suggested_tier(&ws, company), Some(tiers[1]));
}

/// Undo keeps what a plan edit changed, not the plan: one cell edit keeps
/// one line at any size; a cascade keeps the lines it wrote; undo and redo
/// put the document back exactly, and storage writes exactly those lines.
#[test]
fn a_plan_edit_keeps_only_the_lines_it_changed() {
    use sales_tiers_core::calendar::Period;
    use sales_tiers_core::model::TargetKind;
    let mut ws = demo();
    let year = ws.plan.targets.values().map(|l| l.year).max().unwrap();
    let lines = ws.plan.targets.len() + ws.plan.budgets.len() + ws.plan.headcount.len();
    assert!(lines > 50, "the demo has a plan: {lines} lines");
    let root = ws.root().unwrap().id;
    let before = ws.clone();
    let cell =
        Edit::SetTarget { scenario: None, owner: root, kind: TargetKind::Revenue, year, period: Period::Month(3), amount: 123_456_700 };
    let patch = apply(&mut ws, &cell, later(1)).unwrap();
    assert_eq!(patch.plan_lines(), 1, "one cell, one line");
    assert_eq!(patch.cells(&ws).len(), 1);
    let after = ws.clone();
    let redo = patch.apply(&mut ws);
    assert_eq!(ws, before, "undo puts the plan back exactly");
    let undo = redo.apply(&mut ws);
    assert_eq!(ws, after, "redo too");
    assert_eq!(undo.plan_lines(), 1);

    // A cascade down the whole tree keeps exactly the lines that changed.
    let before = ws.clone();
    let c = Edit::Cascade {
        scenario: None,
        unit: root,
        kind: TargetKind::Revenue,
        year,
        period: Period::Year,
        method: sales_tiers_core::engine::plan::Method::Equal,
        deep: true,
    };
    let patch = apply(&mut ws, &c, later(2)).unwrap();
    let changed = ws.plan.targets.iter().filter(|(id, l)| before.plan.targets.get(id) != Some(l)).count()
        + before.plan.targets.keys().filter(|id| !ws.plan.targets.contains_key(id)).count();
    assert!(changed > 1);
    assert_eq!(patch.plan_lines(), changed);
    assert!(patch.plan_lines() < lines);
    patch.apply(&mut ws);
    assert_eq!(ws, before);
}

/// The same for a scenario: an edit of one of its cells keeps one line of
/// its plan and its own fields; undo and redo are exact, also after a
/// rename (the scenario's own fields travel with the lines).
#[test]
fn a_scenario_edit_keeps_only_the_lines_it_changed() {
    use sales_tiers_core::calendar::Period;
    use sales_tiers_core::model::TargetKind;
    let mut ws = demo();
    let year = ws.plan.targets.values().map(|l| l.year).max().unwrap();
    let root = ws.root().unwrap().id;
    let sid = id(77_001);
    apply(&mut ws, &Edit::CreateScenario { id: sid, name: Text::both("Stretch"), from: None }, later(1)).unwrap();
    let before = ws.clone();
    let cell = Edit::SetTarget {
        scenario: Some(sid),
        owner: root,
        kind: TargetKind::Revenue,
        year,
        period: Period::Month(2),
        amount: 987_654_300,
    };
    let patch = apply(&mut ws, &cell, later(2)).unwrap();
    assert_eq!(patch.plan_lines(), 1);
    let after = ws.clone();
    let redo = patch.apply(&mut ws);
    assert_eq!(ws, before);
    redo.apply(&mut ws);
    assert_eq!(ws, after);
    let before = ws.clone();
    let both = Edit::Batch { edits: vec![Edit::RenameScenario { id: sid, name: Text::both("Stretch 2") }, cell.clone()] };
    let patch = apply(&mut ws, &both, later(3)).unwrap();
    assert!(patch.plan_lines() <= 1);
    let after = ws.clone();
    let redo = patch.apply(&mut ws);
    assert_eq!(ws, before);
    redo.apply(&mut ws);
    assert_eq!(ws, after);
    // Undoing the scenario's creation still removes it whole.
    let mut h = History::default();
    let mut w2 = demo();
    let made = apply(&mut w2, &Edit::CreateScenario { id: sid, name: Text::both("S"), from: None }, later(1)).unwrap();
    h.record(made);
    assert!(h.undo(&mut w2));
    assert!(!w2.scenarios.contains_key(&sid));
}

/// The undo history is bounded in bytes as well as in steps: big steps
/// push the oldest out, the newest is always kept, undo and redo keep the
/// count right.
#[test]
fn the_history_is_bounded_in_bytes() {
    let mut ws = demo();
    let names: Vec<Edit> =
        (0..40).map(|i| Edit::UpdateSettings(SettingsPatch { workspace_name: Some(format!("Name {i}")), ..Default::default() })).collect();
    let one = {
        let mut w = ws.clone();
        apply(&mut w, &names[0], later(1)).unwrap().bytes()
    };
    assert!(one > 50, "a settings step keeps the settings: {one} bytes");
    let mut h = History::with_limits(1000, one * 10);
    for (i, e) in names.iter().enumerate() {
        h.record(apply(&mut ws, e, later(i as i64 + 1)).unwrap());
        assert!(h.bytes() <= one * 10 + one, "{} bytes after {} steps", h.bytes(), i + 1);
    }
    assert!(h.undo_len() >= 9 && h.undo_len() <= 11, "{} steps kept", h.undo_len());
    let kept = h.undo_len();
    let total = h.bytes();
    assert!(h.undo(&mut ws));
    assert!(h.bytes() < total);
    assert!(h.redo(&mut ws));
    assert_eq!((h.undo_len(), h.bytes() > 0), (kept, true));
    // A step larger than the whole budget is still kept, alone.
    let mut tiny = History::with_limits(1000, 10);
    tiny.record(apply(&mut ws, &names[1], later(100)).unwrap());
    tiny.record(apply(&mut ws, &names[2], later(101)).unwrap());
    assert_eq!(tiny.undo_len(), 1);
    assert!(tiny.undo(&mut ws));
    assert_eq!(ws.settings.workspace_name, "Name 1");
}
