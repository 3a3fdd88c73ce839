//! Manager grading: rules, explanations, candidates; and the v1 → v2 migration.
mod common;
use common::*;
use sales_tiers_core::calendar::months_between;
use sales_tiers_core::engine::grading::{assess_all, explain, Candidate};
use sales_tiers_core::engine::index::Index;
use sales_tiers_core::engine::validate::validate;
use sales_tiers_core::model::*;
use sales_tiers_core::{apply, io, Edit, Lang};

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Team A gets a lead (id 200, hired 2020-01-15) managing one rep; a ladder
/// for the lead tier: Junior (no rules), Mid (team ≥ 1, tenure ≥ 36),
/// Senior (team ≥ 3, skills ≥ 4.0, attainment ≥ 100%).
fn graded() -> (Workspace, Id, [Id; 3], Id) {
    let (mut ws, tiers, _, _, ta, _) = small_org();
    let mut f = fields("Lead", tiers[2]);
    f.hire_date = Some(date(2020, 1, 15));
    apply(&mut ws, &Edit::UpdatePerson { id: id(200), fields: f }, t0()).unwrap();
    apply(&mut ws, &Edit::SetManager { unit: ta, person: Some(id(200)) }, t0()).unwrap();
    let r = |factor, min| Rule { factor, min, periods: 0 };
    let g = [id(500), id(501), id(502)];
    apply(&mut ws, &Edit::AddGrade { id: g[0], tier: tiers[2], name: Text::new("初级", "Junior"), rules: vec![] }, t0()).unwrap();
    apply(
        &mut ws,
        &Edit::AddGrade {
            id: g[1],
            tier: tiers[2],
            name: Text::new("中级", "Mid"),
            rules: vec![r(Factor::TeamSize, 1), r(Factor::TenureMonths, 36)],
        },
        t0(),
    )
    .unwrap();
    let senior = vec![r(Factor::TeamSize, 3), r(Factor::SkillsAvg, 40), Rule { factor: Factor::Attainment, min: 100, periods: 4 }];
    apply(&mut ws, &Edit::AddGrade { id: g[2], tier: tiers[2], name: Text::new("高级", "Senior"), rules: senior }, t0()).unwrap();
    apply(&mut ws, &Edit::AddSkill { id: id(600), name: Text::new("谈判", "Negotiation") }, t0()).unwrap();
    (ws, id(200), g, tiers[2])
}

#[test]
fn tenure_counts_whole_months() {
    assert_eq!(months_between(date(2020, 1, 15), date(2026, 11, 27)), 82);
    assert_eq!(months_between(date(2020, 1, 28), date(2020, 2, 27)), 0);
    assert_eq!(months_between(date(2020, 1, 28), date(2020, 2, 28)), 1);
    assert_eq!(months_between(date(2027, 1, 1), date(2026, 1, 1)), 0);
}

#[test]
fn grade_is_the_highest_whose_rules_all_hold_with_explanations() {
    let (ws, lead, g, _) = graded();
    let a = &assess_all(&ws, &Index::new(&ws), date(2026, 11, 27))[&lead];
    assert_eq!(a.facts.team_size, Some(1));
    assert_eq!(a.facts.tenure_months, Some(82));
    assert_eq!(a.facts.skills_avg, None);
    assert_eq!(a.grade, Some(g[1]), "mid: team 1 ≥ 1 and 82 months ≥ 36");
    let senior = &a.ladder[2];
    assert!(!senior.met);
    let lines: Vec<String> = senior.checks.iter().map(|c| explain(c, Lang::En)).collect();
    assert_eq!(lines[0], "needs team size ≥ 3, has 1: short by 2");
    assert_eq!(lines[1], "skills rating ≥ 4.0: no data yet, skipped");
    assert_eq!(lines[2], "attainment ≥ 100% over the last 4 periods: no data yet, skipped");
    assert_eq!(explain(&senior.checks[0], Lang::Zh), "团队人数需 ≥ 3 人，现为 1 人：差 2 人");
    assert_eq!(explain(&a.ladder[1].checks[1], Lang::En), "tenure ≥ 36 months, has 82 months: met");
    assert_eq!(a.next().unwrap().grade, g[2]);
}

#[test]
fn changing_a_rule_changes_the_grade() {
    let (mut ws, lead, g, _) = graded();
    let today = date(2026, 11, 27);
    // Tenure rule raised above 82 months: back to junior.
    let r = |factor, min| Rule { factor, min, periods: 0 };
    apply(
        &mut ws,
        &Edit::UpdateGrade { id: g[1], name: Text::new("中级", "Mid"), rules: vec![r(Factor::TeamSize, 1), r(Factor::TenureMonths, 96)] },
        t0(),
    )
    .unwrap();
    assert_eq!(assess_all(&ws, &Index::new(&ws), today)[&lead].grade, Some(g[0]));
    // Senior with only a team-size rule of 1 is reached.
    apply(&mut ws, &Edit::UpdateGrade { id: g[2], name: Text::both("Senior"), rules: vec![r(Factor::TeamSize, 1)] }, t0()).unwrap();
    assert_eq!(assess_all(&ws, &Index::new(&ws), today)[&lead].grade, Some(g[2]));
}

#[test]
fn a_grade_whose_rules_all_lack_data_is_not_reached() {
    let (mut ws, lead, g, _) = graded();
    let only_attainment = vec![Rule { factor: Factor::Attainment, min: 100, periods: 4 }];
    apply(&mut ws, &Edit::UpdateGrade { id: g[2], name: Text::both("Senior"), rules: only_attainment }, t0()).unwrap();
    assert_eq!(assess_all(&ws, &Index::new(&ws), date(2026, 11, 27))[&lead].grade, Some(g[1]));
}

#[test]
fn skills_average_is_rounded_to_tenths() {
    let (mut ws, lead, _, _) = graded();
    apply(&mut ws, &Edit::AddSkill { id: id(601), name: Text::both("Coaching") }, t0()).unwrap();
    apply(&mut ws, &Edit::SetRating { person: lead, skill: id(600), rating: Some(4) }, t0()).unwrap();
    apply(&mut ws, &Edit::SetRating { person: lead, skill: id(601), rating: Some(3) }, t0()).unwrap();
    assert_eq!(assess_all(&ws, &Index::new(&ws), date(2026, 11, 27))[&lead].facts.skills_avg, Some(35));
    assert!(matches!(
        apply(&mut ws, &Edit::SetRating { person: lead, skill: id(600), rating: Some(6) }, t0()).unwrap_err(),
        sales_tiers_core::EditError::BadRating { rating: 6 }
    ));
}

#[test]
fn promotion_candidates_and_recorded_promotions() {
    let (mut ws, lead, g, tier) = graded();
    let today = date(2026, 11, 27);
    // Never recorded, rules give Mid (above the entry grade): a candidate.
    assert_eq!(assess_all(&ws, &Index::new(&ws), today)[&lead].candidate, Some(Candidate::NextGrade { grade: g[1] }));
    apply(&mut ws, &Edit::RecordPromotion { person: lead, grade: g[1], note: "Q3 review".into() }, later(1)).unwrap();
    let p = &ws.people[&lead];
    assert_eq!(p.grade, Some(g[1]));
    let last = p.history.last().unwrap();
    assert_eq!(last.event, PersonEvent::Promoted { from: None, to: g[1] });
    assert_eq!(last.note, "Q3 review");
    assert_eq!(assess_all(&ws, &Index::new(&ws), today)[&lead].candidate, None);
    // A grade of another tier cannot be recorded.
    let other = id(700);
    let other_tier = ws.tiers.keys().find(|t| **t != tier).copied().unwrap();
    apply(&mut ws, &Edit::AddGrade { id: other, tier: other_tier, name: Text::both("X"), rules: vec![] }, t0()).unwrap();
    assert_eq!(
        apply(&mut ws, &Edit::RecordPromotion { person: lead, grade: other, note: String::new() }, t0()).unwrap_err(),
        sales_tiers_core::EditError::GradeOfOtherTier
    );
    // Changing tier clears the recorded grade and is kept in history.
    let mut f = sales_tiers_core::edit::PersonFields::of(&ws.people[&lead]);
    let regional = ws.tiers_in_order()[1].id;
    f.tier = regional;
    apply(&mut ws, &Edit::UpdatePerson { id: lead, fields: f }, later(2)).unwrap();
    let p = &ws.people[&lead];
    assert_eq!(p.grade, None);
    assert_eq!(p.history.last().unwrap().event, PersonEvent::TierChanged { from: tier, to: regional });
    assert_eq!(p.history.len(), 3, "tier change from setup, promotion, tier change");
    assert!(validate(&ws).is_empty());
}

#[test]
fn removing_a_held_tier_needs_a_target_and_takes_its_grades() {
    let (mut ws, lead, _, tier) = graded();
    let reps = ws.tiers_in_order()[3].id;
    assert!(matches!(
        apply(&mut ws, &Edit::RemoveTier { id: tier, reassign_to: None }, t0()).unwrap_err(),
        sales_tiers_core::EditError::TierInUse { .. }
    ));
    assert_eq!(
        apply(&mut ws, &Edit::RemoveTier { id: tier, reassign_to: Some(tier) }, t0()).unwrap_err(),
        sales_tiers_core::EditError::SameTier
    );
    // Moving the lead into the reps' tier would break Team A's rule.
    assert!(matches!(
        apply(&mut ws, &Edit::RemoveTier { id: tier, reassign_to: Some(reps) }, t0()).unwrap_err(),
        sales_tiers_core::EditError::ManagerTierNotAbove { .. }
    ));
    let regional = ws.tiers_in_order()[1].id;
    apply(&mut ws, &Edit::RemoveTier { id: tier, reassign_to: Some(regional) }, later(1)).unwrap();
    assert_eq!(ws.people[&lead].tier, regional);
    assert!(ws.grades.values().all(|g| g.tier != tier));
    assert!(matches!(ws.people[&lead].history.last().unwrap().event, PersonEvent::TierChanged { .. }));
    assert!(validate(&ws).is_empty());
}

#[test]
fn the_demo_has_graded_managers_and_candidates() {
    let ws = demo();
    let a = assess_all(&ws, &Index::new(&ws), t0().date_naive());
    assert_eq!(a.len(), 1 + 4 + 11, "director, regional managers and team leads in post");
    assert!(a.values().all(|x| x.grade.is_some()));
    let candidates = a.values().filter(|x| x.candidate.is_some()).count();
    assert!((1..a.len()).contains(&candidates), "{candidates} candidates");
}

#[test]
fn a_v1_file_migrates_to_v2() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v1-workspace.json")).unwrap();
    let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(raw["version"], 1);
    let (ws, info) = io::read(&text).unwrap();
    assert!(info.migrated && info.file_version == 1 && info.had_checksum);
    assert_eq!(ws.schema_version, SCHEMA_VERSION);
    assert_eq!(ws.people.len(), 20);
    assert!(ws.skills.is_empty() && ws.grades.is_empty());
    assert!(ws.people.values().all(|p| p.grade.is_none() && p.history.is_empty()));
    // Written back, it is a current file.
    let again = io::write(&ws, t0(), false);
    assert!(!io::read(&again).unwrap().1.migrated);
}
