//! Daily work: logging activities, tasks and their follow-ups, the
//! stale-deal rule, activity KPIs counted from the log, timelines, merge,
//! branch files and the migration from version 7.

mod common;

use common::*;
use sales_tiers_core::calendar::Period;
use sales_tiers_core::edit::{ActivityFields, TaskFields};
use sales_tiers_core::engine::exchange;
use sales_tiers_core::engine::index::Index;
use sales_tiers_core::engine::merge::merge;
use sales_tiers_core::engine::perf::{scorecards, PeriodData};
use sales_tiers_core::engine::validate::validate;
use sales_tiers_core::engine::work::{self, Due, Event};
use sales_tiers_core::model::*;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{apply, io, Edit, EditError, Id, Lang, Workspace};

/// The small org, a customer of rep 200 and an open deal on it (created
/// 2026-01-10, closing 2026-12-20).
fn org() -> (Workspace, Id, Id) {
    let (mut ws, ..) = small_org();
    apply(&mut ws, &Edit::AddCustomer { id: id(500), fields: customer_fields("Acme", Some(id(200)), date(2026, 1, 5)) }, later(1)).unwrap();
    let f = deal_fields(id(500), id(200), 10_000_000, date(2026, 12, 20), "lead");
    apply(&mut ws, &Edit::AddOpportunity { id: id(600), fields: f, by: None }, later(2)).unwrap();
    (ws, id(500), id(600))
}

fn act(kind: ActivityKind, customer: Id, deal: Option<Id>, by: Id, on: chrono::NaiveDate) -> ActivityFields {
    ActivityFields { kind, customer, opportunity: deal, by, on, minutes: 20, outcome: "Talked".into(), next_step: String::new() }
}

fn task(title: &str, assignee: Id, due: chrono::NaiveDate) -> TaskFields {
    TaskFields {
        title: title.into(),
        assignee,
        due,
        priority: Priority::Normal,
        customer: None,
        opportunity: None,
        activity: None,
        notes: String::new(),
    }
}

#[test]
fn an_activity_is_logged_changed_and_deleted_and_undo_puts_each_back() {
    let (mut ws, c, d) = org();
    let before = ws.clone();
    let log = Edit::LogActivity { id: id(700), fields: act(ActivityKind::Call, c, Some(d), id(200), date(2026, 11, 2)) };
    let undo = apply(&mut ws, &log, later(3)).unwrap();
    assert_eq!(ws.activities[&id(700)].rev, 1);
    assert!(validate(&ws).is_empty());
    let redo = undo.apply(&mut ws);
    assert_eq!(ws, before);
    redo.apply(&mut ws);
    let mut f = ActivityFields::of(&ws.activities[&id(700)]);
    f.kind = ActivityKind::Visit;
    f.minutes = 90;
    apply(&mut ws, &Edit::UpdateActivity { id: id(700), fields: f }, later(4)).unwrap();
    let a = &ws.activities[&id(700)];
    assert_eq!((a.kind, a.minutes, a.rev), (ActivityKind::Visit, 90, 2));
    let with = ws.clone();
    let undo = apply(&mut ws, &Edit::DeleteActivity { id: id(700) }, later(5)).unwrap();
    assert!(ws.activities.is_empty() && ws.tombstones.contains_key(&id(700)));
    undo.apply(&mut ws);
    assert_eq!(ws, with);
}

#[test]
fn bad_activities_and_tasks_are_refused_with_the_reason() {
    let (mut ws, c, d) = org();
    apply(&mut ws, &Edit::AddCustomer { id: id(501), fields: customer_fields("Other", Some(id(201)), date(2026, 1, 5)) }, later(1))
        .unwrap();
    let other_customer = act(ActivityKind::Call, id(501), Some(d), id(200), date(2026, 11, 2));
    let err = apply(&mut ws, &Edit::LogActivity { id: id(700), fields: other_customer }, later(3)).unwrap_err();
    assert_eq!(err, EditError::DealOfAnotherCustomer);
    assert!(err.message(Lang::Zh).contains("另一个客户"));
    let nobody = act(ActivityKind::Call, c, None, id(4242), date(2026, 11, 2));
    assert!(matches!(
        apply(&mut ws, &Edit::LogActivity { id: id(700), fields: nobody }, later(3)),
        Err(EditError::NotFound { kind: Kind::Person, .. })
    ));
    let mut long = act(ActivityKind::Meeting, c, None, id(200), date(2026, 11, 2));
    long.minutes = 2_000;
    assert!(matches!(apply(&mut ws, &Edit::LogActivity { id: id(700), fields: long }, later(3)), Err(EditError::BadMinutes { .. })));
    let mut huge = act(ActivityKind::Note, c, None, id(200), date(2026, 11, 2));
    huge.outcome = "x".repeat(100_000);
    assert!(matches!(apply(&mut ws, &Edit::LogActivity { id: id(700), fields: huge }, later(3)), Err(EditError::TooLong { .. })));
    let far = act(ActivityKind::Call, c, None, id(200), date(2300, 1, 1));
    assert_eq!(apply(&mut ws, &Edit::LogActivity { id: id(700), fields: far }, later(3)), Err(EditError::DateOutOfRange));
    let blank = task("  ", id(200), date(2026, 12, 1));
    assert_eq!(
        apply(&mut ws, &Edit::AddTask { id: id(800), fields: blank, by: None, on: date(2026, 11, 2) }, later(3)),
        Err(EditError::BlankTaskTitle)
    );
    // Logged, not planned: an activity after today is refused (t0 is 2026-11-27).
    let ahead = act(ActivityKind::Meeting, c, None, id(200), date(2026, 11, 29));
    assert_eq!(apply(&mut ws, &Edit::LogActivity { id: id(700), fields: ahead }, later(3)), Err(EditError::ActivityInFuture));
    assert!(ws.activities.is_empty() && ws.tasks.is_empty(), "nothing half-applied");
}

#[test]
fn a_next_step_becomes_a_task_done_and_reopened() {
    let (mut ws, c, d) = org();
    let mut f = act(ActivityKind::Visit, c, Some(d), id(200), date(2026, 11, 2));
    f.next_step = "Send the quote".into();
    let t = TaskFields {
        customer: Some(c),
        opportunity: Some(d),
        activity: Some(id(700)),
        ..task("Send the quote", id(200), date(2026, 11, 5))
    };
    let both = Edit::Batch {
        edits: vec![
            Edit::LogActivity { id: id(700), fields: f },
            Edit::AddTask { id: id(800), fields: t, by: Some(id(200)), on: date(2026, 11, 2) },
        ],
    };
    let undo = apply(&mut ws, &both, later(3)).unwrap();
    assert_eq!(ws.tasks[&id(800)].activity, Some(id(700)));
    assert_eq!(work::due(&ws.tasks[&id(800)], date(2026, 11, 6)), Due::Overdue);
    apply(&mut ws, &Edit::SetTaskDone { id: id(800), done: Some(date(2026, 11, 6)) }, later(4)).unwrap();
    assert_eq!(work::due(&ws.tasks[&id(800)], date(2026, 11, 6)), Due::Done);
    assert!(!ws.tasks[&id(800)].overdue(date(2026, 11, 9)));
    apply(&mut ws, &Edit::SetTaskDone { id: id(800), done: None }, later(5)).unwrap();
    assert!(ws.tasks[&id(800)].overdue(date(2026, 11, 9)));
    // Deleting the activity keeps its task; deleting the deal keeps both, on the customer.
    apply(&mut ws, &Edit::DeleteActivity { id: id(700) }, later(6)).unwrap();
    assert_eq!(ws.tasks[&id(800)].activity, None);
    apply(&mut ws, &Edit::LogActivity { id: id(701), fields: act(ActivityKind::Call, c, Some(d), id(200), date(2026, 11, 7)) }, later(7))
        .unwrap();
    apply(&mut ws, &Edit::DeleteOpportunity { id: d }, later(8)).unwrap();
    assert_eq!(ws.activities[&id(701)].opportunity, None);
    assert_eq!(ws.tasks[&id(800)].opportunity, None);
    assert!(validate(&ws).is_empty());
    // A customer with activities, or a person with work, is not deleted.
    assert_eq!(apply(&mut ws, &Edit::DeleteCustomer { id: c }, later(9)), Err(EditError::CustomerHasActivities { count: 1 }));
    assert_eq!(apply(&mut ws, &Edit::DeletePerson { id: id(201) }, later(9)).map(|_| ()), Ok(()));
    let _ = undo;
}

#[test]
fn tasks_are_due_today_this_week_or_later() {
    // 2026-11-25 is a Wednesday; the week ends on Sunday the 29th.
    let today = date(2026, 11, 25);
    let t = |due| Task {
        id: id(1),
        rev: 1,
        updated_at: t0(),
        title: "x".into(),
        assignee: id(200),
        due,
        priority: Priority::Normal,
        customer: None,
        opportunity: None,
        activity: None,
        created: date(2026, 11, 1),
        by: None,
        done: None,
        notes: String::new(),
    };
    assert_eq!(work::due(&t(date(2026, 11, 24)), today), Due::Overdue);
    assert_eq!(work::due(&t(today), today), Due::Today);
    assert_eq!(work::due(&t(date(2026, 11, 29)), today), Due::ThisWeek);
    assert_eq!(work::due(&t(date(2026, 11, 30)), today), Due::Later);
}

#[test]
fn an_open_deal_goes_stale_after_the_days_without_an_activity() {
    let (mut ws, c, d) = org();
    apply(&mut ws, &Edit::LogActivity { id: id(700), fields: act(ActivityKind::Call, c, Some(d), id(200), date(2026, 10, 1)) }, later(3))
        .unwrap();
    // 30 days by default: idle 29 days on 10-30, 30 on 10-31.
    assert!(work::stale_deals(&ws, date(2026, 10, 30)).is_empty());
    let s = work::stale_deals(&ws, date(2026, 10, 31));
    assert_eq!(s.len(), 1);
    assert_eq!((s[0].deal, s[0].last, s[0].idle_days, s[0].idle, s[0].past_close), (d, Some(date(2026, 10, 1)), 30, true, false));
    // The stage's own number wins over the workspace's.
    let mut st = ws.stages[&default_stage_id("lead")].clone();
    st.stale_days = Some(60);
    ws.stages.insert(st.id, st);
    assert!(work::stale_deals(&ws, date(2026, 10, 31)).is_empty());
    // Off (0), it is only stale once past its close date.
    let mut st = ws.stages[&default_stage_id("lead")].clone();
    st.stale_days = Some(0);
    ws.stages.insert(st.id, st);
    assert!(work::stale_deals(&ws, date(2026, 12, 20)).is_empty());
    let s = work::stale_deals(&ws, date(2026, 12, 21));
    assert!(s[0].past_close && !s[0].idle);
    // A won deal is never stale.
    apply(&mut ws, &Edit::SetStage { id: d, stage: default_stage_id("won"), on: date(2026, 12, 1), by: None }, later(4)).unwrap();
    assert!(work::stale_deals(&ws, date(2027, 6, 1)).is_empty());
    // Without any activity, it counts from the day the deal was created.
    let (ws, ..) = org();
    let s = work::stale_deals(&ws, date(2026, 2, 9));
    assert_eq!((s[0].last, s[0].idle_days), (None, 30));
}

#[test]
fn the_activities_kpis_count_the_log_by_hand() {
    let (mut ws, tiers, ..) = small_org();
    apply(&mut ws, &Edit::AddCustomer { id: id(500), fields: customer_fields("Acme", Some(id(200)), date(2026, 1, 5)) }, later(1)).unwrap();
    let lines = vec![
        KpiLine { kpi: KpiKind::Activities, weight_bp: 5_000, curve: Curve::default(), goal: 10 },
        KpiLine { kpi: KpiKind::Visits, weight_bp: 3_000, curve: Curve::default(), goal: 2 },
        KpiLine { kpi: KpiKind::Meetings, weight_bp: 2_000, curve: Curve::default(), goal: 1 },
    ];
    apply(&mut ws, &Edit::SetScorecard { tier: tiers[3], lines }, later(2)).unwrap();
    // Q3 (July–September): 3 calls, 2 visits, 1 meeting, 1 e-mail, 2 notes; one call in June, one by someone else.
    let log = [
        (ActivityKind::Call, 200, date(2026, 7, 1)),
        (ActivityKind::Call, 200, date(2026, 8, 3)),
        (ActivityKind::Call, 200, date(2026, 9, 30)),
        (ActivityKind::Visit, 200, date(2026, 7, 15)),
        (ActivityKind::Visit, 200, date(2026, 9, 2)),
        (ActivityKind::Meeting, 200, date(2026, 8, 20)),
        (ActivityKind::Email, 200, date(2026, 8, 21)),
        (ActivityKind::Note, 200, date(2026, 8, 22)),
        (ActivityKind::Note, 200, date(2026, 8, 23)),
        (ActivityKind::Call, 200, date(2026, 6, 30)),
        (ActivityKind::Call, 201, date(2026, 8, 3)),
    ];
    for (i, (kind, who, on)) in log.iter().enumerate() {
        apply(&mut ws, &Edit::LogActivity { id: id(700 + i as u32), fields: act(*kind, id(500), None, id(*who), *on) }, later(3)).unwrap();
    }
    let d = PeriodData::new(&ws, &Index::new(&ws), 2026, Period::Quarter(3), date(2026, 10, 1));
    let card = &scorecards(&ws, &d, None)[&id(200)];
    let row = |k: KpiKind| card.kpis.iter().find(|r| r.kind == k).unwrap().result.clone();
    // Activities: 3 + 2 + 1 + 1 = 7 (notes are not contacts) of 10 × 3 months.
    assert_eq!((row(KpiKind::Activities).actual, row(KpiKind::Activities).target), (7, 30));
    assert_eq!((row(KpiKind::Visits).actual, row(KpiKind::Visits).target), (2, 6));
    assert_eq!((row(KpiKind::Meetings).actual, row(KpiKind::Meetings).target), (1, 3));
    // A month: September has 1 call and 1 visit.
    let sep = PeriodData::new(&ws, &Index::new(&ws), 2026, Period::Month(9), date(2026, 10, 1));
    let card = &scorecards(&ws, &sep, None)[&id(200)];
    assert_eq!((card.kpis[0].result.actual, card.kpis[0].result.target), (2, 10));
    // The activities KPI is counted, not typed.
    let typed = Edit::SetKpiEntry {
        person: id(200),
        kpi: KpiKind::Activities,
        year: 2026,
        period: Period::Quarter(3),
        figures: Some((50, 60)),
        note: String::new(),
        by: None,
    };
    assert!(matches!(apply(&mut ws, &typed, later(9)), Err(EditError::Invalid(..))));
}

#[test]
fn a_timeline_puts_activities_stage_moves_and_changes_newest_first() {
    let (mut ws, c, d) = org();
    apply(&mut ws, &Edit::SetStage { id: d, stage: default_stage_id("qualified"), on: date(2026, 3, 1), by: Some(id(200)) }, later(3))
        .unwrap();
    apply(&mut ws, &Edit::LogActivity { id: id(700), fields: act(ActivityKind::Visit, c, Some(d), id(200), date(2026, 3, 5)) }, later(4))
        .unwrap();
    let mut f = sales_tiers_core::edit::OpportunityFields::of(&ws.opportunities[&d]);
    f.amount = Money(15_000_000);
    apply(&mut ws, &Edit::UpdateOpportunity { id: d, fields: f, on: date(2026, 4, 2), by: Some(id(200)) }, later(5)).unwrap();
    assert_eq!(ws.opportunities[&d].changes[0].amount, Some((Money(10_000_000), Money(15_000_000))));
    apply(&mut ws, &Edit::LogActivity { id: id(701), fields: act(ActivityKind::Note, c, None, id(200), date(2026, 4, 10)) }, later(6))
        .unwrap();
    let deal: Vec<chrono::NaiveDate> = work::deal_timeline(&ws, d).iter().map(Event::on).collect();
    assert_eq!(deal, vec![date(2026, 4, 2), date(2026, 3, 5), date(2026, 3, 1), date(2026, 1, 10)]);
    // The customer's has its own note too.
    let all = work::customer_timeline(&ws, c);
    assert_eq!(all.len(), 5);
    assert!(matches!(all[0], Event::Activity(a) if a.id == id(701)));
}

#[test]
fn two_tabs_logging_at_once_keep_every_activity() {
    let (ws, c, d) = org();
    let (mut a, mut b) = (ws.clone(), ws.clone());
    apply(&mut a, &Edit::LogActivity { id: id(700), fields: act(ActivityKind::Call, c, Some(d), id(200), date(2026, 11, 2)) }, later(3))
        .unwrap();
    apply(&mut b, &Edit::LogActivity { id: id(701), fields: act(ActivityKind::Visit, c, Some(d), id(201), date(2026, 11, 2)) }, later(4))
        .unwrap();
    apply(
        &mut b,
        &Edit::AddTask { id: id(800), fields: task("Call back", id(200), date(2026, 11, 9)), by: None, on: date(2026, 11, 2) },
        later(5),
    )
    .unwrap();
    let (ab, _) = merge(&a, &b).unwrap();
    let (ba, _) = merge(&b, &a).unwrap();
    assert_eq!(ab.activities.len(), 2);
    assert_eq!(ab.tasks.len(), 1);
    assert_eq!(ab.activities, ba.activities);
    // A deletion on one side wins over the older record on the other.
    apply(&mut a, &Edit::DeleteActivity { id: id(700) }, later(10)).unwrap();
    let (again, _) = merge(&ab, &a).unwrap();
    assert!(!again.activities.contains_key(&id(700)) && again.activities.contains_key(&id(701)));
}

#[test]
fn activities_and_tasks_travel_with_the_branch_and_come_back() {
    let (mut ws, c, d) = org();
    let team_a = id(12);
    // Logged by the director (outside team A): the name stays above.
    apply(&mut ws, &Edit::LogActivity { id: id(700), fields: act(ActivityKind::Visit, c, Some(d), id(100), date(2026, 11, 2)) }, later(3))
        .unwrap();
    // A task of a team-B rep about team A's customer: stays above.
    let t = TaskFields { customer: Some(c), ..task("Help Acme", id(210), date(2026, 11, 9)) };
    apply(&mut ws, &Edit::AddTask { id: id(800), fields: t, by: None, on: date(2026, 11, 2) }, later(4)).unwrap();
    let b = exchange::extract(&ws, team_a, later(10), None).unwrap();
    assert_eq!(b.activities[&id(700)].by, exchange::NIL, "who logged it is outside the branch");
    assert!(!b.tasks.contains_key(&id(800)));
    // The branch logs a call and makes a follow-up; back up, they merge.
    let mut b2 = b.clone();
    apply(&mut b2, &Edit::LogActivity { id: id(701), fields: act(ActivityKind::Call, c, Some(d), id(200), date(2026, 11, 12)) }, later(20))
        .unwrap();
    let own = TaskFields { opportunity: Some(d), ..task("Quote", id(200), date(2026, 11, 20)) };
    apply(&mut b2, &Edit::AddTask { id: id(801), fields: own, by: Some(id(200)), on: date(2026, 11, 12) }, later(21)).unwrap();
    let text = io::write(&exchange::send_back(&b2, later(30), None).unwrap(), later(30), false);
    let (theirs, info) = io::read(&text).unwrap();
    let r = exchange::review(&ws, &theirs, info.checksum.as_deref().unwrap_or(""), info.exported_at.unwrap(), Lang::En).unwrap();
    assert!(r.refused.is_empty() && r.conflicts.is_empty());
    let merged = exchange::apply(&ws, &theirs, &r, &Default::default(), later(40), None, id(95_000)).unwrap();
    assert!(validate(&merged).is_empty());
    assert_eq!(merged.activities[&id(700)].by, id(100), "the hidden name is put back");
    assert!(merged.activities.contains_key(&id(701)));
    assert_eq!(merged.tasks[&id(801)].customer, Some(c), "a deal's task names its customer");
    assert!(merged.tasks.contains_key(&id(800)));
}

#[test]
fn a_version_7_file_opens_with_no_activities_and_the_default_stale_days() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v7-workspace.json")).unwrap();
    assert!(text.contains("\"version\": 7"), "a real version 7 file");
    let (ws, info) = io::read(&text).unwrap();
    assert!(info.migrated);
    assert_eq!(ws.schema_version, SCHEMA_VERSION);
    assert!(ws.activities.is_empty() && ws.tasks.is_empty());
    assert_eq!(ws.settings.stale_days, DEFAULT_STALE_DAYS);
    assert!(ws.opportunities.values().all(|o| o.changes.is_empty()));
    assert!(!ws.opportunities.is_empty(), "its deals survive");
    assert!(validate(&ws).is_empty());
}

#[test]
fn the_demo_has_a_plausible_deterministic_history() {
    let a = demo();
    let b = demo();
    assert_eq!(a.activities, b.activities);
    assert_eq!(a.tasks, b.tasks);
    let deals = a.opportunities.len();
    assert!(a.activities.len() >= 3 * deals && a.activities.len() <= 6 * deals);
    let today = t0().date_naive();
    assert!(a.tasks.values().any(|t| t.overdue(today)), "a few overdue tasks");
    assert!(!work::stale_deals(&a, today).is_empty(), "a few stale deals");
    assert!(a.activities.values().all(|x| x.on <= today));
    assert!(validate(&a).is_empty());
}

#[test]
fn each_tier_gets_its_home_and_its_figures_add_up() {
    use sales_tiers_core::engine::home::{self, HomeKind};
    let ws = demo();
    let today = t0().date_naive();
    let root = ws.root().unwrap().id;
    assert_eq!(home::home_of(&ws, None), Some((HomeKind::Director, root)));
    let region = ws.units.values().find(|u| u.parent == Some(root)).unwrap();
    assert_eq!(home::home_of(&ws, region.manager), Some((HomeKind::Region, region.id)));
    let team = ws.units.values().find(|u| u.parent == Some(region.id)).unwrap();
    assert_eq!(home::home_of(&ws, team.manager), Some((HomeKind::Team, team.id)));
    let rep = ws.people.values().find(|p| p.unit == team.id && Some(p.id) != team.manager).unwrap();
    assert_eq!(home::home_of(&ws, Some(rep.id)), Some((HomeKind::Rep, rep.id)));
    // The months add up to the year's standing of the same owner.
    let year = sales_tiers_core::calendar::fiscal_year_of(today, ws.settings.fiscal_year_start_month);
    let st = home::year_standings(&ws, &Index::new(&ws), year, today);
    for owner in [root, region.id, rep.id] {
        let m = home::months(&ws, &Index::new(&ws), owner, year);
        assert_eq!(m[11].cum_won, st[&owner].figures.closed);
        assert_eq!(m[11].cum_target, st[&owner].target);
        assert_eq!(m.iter().map(|x| x.won).sum::<i64>(), m[11].cum_won);
    }
    // Regions ranked by attainment, best first.
    let ranked = home::ranked_children(&ws, root, &st);
    assert_eq!(ranked.len(), ws.units.values().filter(|u| u.parent == Some(root)).count());
    assert!(ranked.windows(2).all(|w| w[0].standing.attainment_bp() >= w[1].standing.attainment_bp()));
    // A team lead's board: the team's members other than the lead, with this week's logged activities.
    let board = home::reps_board(&ws, &Index::new(&ws), team.id, &st, today);
    assert!(board.iter().all(|r| Some(r.person) != team.manager));
    let monday = today - chrono::Duration::days(i64::from(chrono::Datelike::weekday(&today).num_days_from_monday()));
    for r in &board {
        let by_hand =
            ws.activities.values().filter(|a| a.by == r.person && a.on >= monday && a.on <= today && a.kind != ActivityKind::Note).count();
        assert_eq!(r.activities_week, by_hand as i64);
    }
    // A rep's pipeline by stage adds up to the open pipeline of their year (as on the leaderboard).
    let by_stage = home::pipeline_by_stage(&ws, rep.id, year);
    assert_eq!(by_stage.iter().map(|x| x.2).sum::<i64>(), st[&rep.id].figures.open_amount());
}

#[test]
fn activities_go_out_as_csv_and_come_back_once() {
    use sales_tiers_core::io::csv::{auto_map, export_activities, parse, plan, RowProblem, Target};
    let ws = demo();
    for lang in [Lang::En, Lang::Zh] {
        // Deals named once at their customer (a name used twice is refused: see below).
        let once = |a: &Activity| {
            let o = &ws.opportunities[&a.opportunity.unwrap()];
            ws.opportunities.values().filter(|x| x.customer == o.customer && x.name == o.name).count() == 1
        };
        let mut rows: Vec<&Activity> = ws.activities.values().filter(|a| a.opportunity.is_some() && once(a)).take(30).collect();
        rows.arrange_by_key(|a| a.id);
        let t = parse(&export_activities(&ws, rows.iter().copied(), lang)).unwrap();
        let m = auto_map(&t.headers, Target::Activities);
        assert!(m.iter().all(|f| f.is_some()), "{lang:?}: every exported column maps back");
        let mut fresh = ws.clone();
        for a in &rows {
            fresh.activities.remove(&a.id);
            fresh.tasks.retain(|_, t| t.activity != Some(a.id));
        }
        let mut n = 0u32;
        let p = plan(&fresh, &t, &m, Target::Activities, t0().date_naive(), lang, || {
            n += 1;
            id(50_000 + n)
        });
        assert!(p.bad.is_empty(), "{lang:?}: {:?}", p.bad.first().map(|b| b.problem.message(Lang::En)));
        assert_eq!(p.good, rows.len());
        apply(&mut fresh, &p.edit, later(1)).unwrap();
        let key = |a: &Activity| (a.on, a.kind, a.customer, a.opportunity, a.by, a.minutes, a.outcome.clone(), a.next_step.clone());
        let mut want: Vec<_> = rows.iter().map(|a| key(a)).collect();
        let mut got: Vec<_> = fresh.activities.values().filter(|a| !ws.activities.contains_key(&a.id)).map(key).collect();
        want.arrange();
        got.arrange();
        assert_eq!(got, want);
        // The same file again logs nothing twice.
        let again = plan(&fresh, &t, &m, Target::Activities, t0().date_naive(), lang, || id(90_000));
        assert_eq!(again.good, 0);
        assert!(again.bad.iter().all(|b| b.problem == RowProblem::ActivityExists));
    }
    // A deal name used twice at one customer cannot say which: the row is refused with the reason.
    let twice = ws.activities.values().find(|a| {
        a.opportunity.is_some()
            && !{
                let o = &ws.opportunities[&a.opportunity.unwrap()];
                ws.opportunities.values().filter(|x| x.customer == o.customer && x.name == o.name).count() == 1
            }
    });
    if let Some(a) = twice {
        let t = parse(&export_activities(&ws, [a], Lang::En)).unwrap();
        let m = auto_map(&t.headers, Target::Activities);
        let p = plan(&ws, &t, &m, Target::Activities, t0().date_naive(), Lang::En, || id(91_000));
        assert!(matches!(p.bad[0].problem, RowProblem::AmbiguousDeal(_)), "{:?}", p.bad);
    }
}

#[test]
fn a_period_not_begun_has_no_activities_data_yet() {
    let (ws, tiers, ..) = small_org();
    let mut ws = ws;
    let lines = vec![KpiLine { kpi: KpiKind::Activities, weight_bp: 10_000, curve: Curve::default(), goal: 10 }];
    apply(&mut ws, &Edit::SetScorecard { tier: tiers[3], lines }, later(2)).unwrap();
    let next = PeriodData::new(&ws, &Index::new(&ws), 2027, Period::Quarter(1), date(2026, 12, 1));
    let card = &scorecards(&ws, &next, None)[&id(200)];
    assert_eq!((card.kpis[0].result.target, card.score_bp), (0, None));
    // Once begun, nothing logged is a score of 0 against 10 × 3.
    let now = PeriodData::new(&ws, &Index::new(&ws), 2027, Period::Quarter(1), date(2027, 1, 1));
    let card = &scorecards(&ws, &now, None)[&id(200)];
    assert_eq!((card.kpis[0].result.target, card.score_bp), (30, Some(0)));
}

#[test]
fn typed_minutes_and_stale_days_say_what_is_wrong() {
    use sales_tiers_core::io::input::{parse_minutes, parse_stale_days, InputError};
    assert_eq!(parse_minutes(" "), Ok(0));
    assert_eq!(parse_minutes("45"), Ok(45));
    assert_eq!(parse_minutes("-5"), Err(InputError::Negative));
    assert_eq!(parse_minutes("30.5"), Err(InputError::NotWhole));
    assert_eq!(parse_minutes("abc"), Err(InputError::NotANumber));
    assert!(matches!(parse_minutes("1441"), Err(InputError::TooLarge { .. })));
    assert!(parse_minutes("99999").unwrap_err().message(Lang::En).contains("1,440"));
    assert_eq!(parse_stale_days("0"), Ok(0));
    assert_eq!(parse_stale_days("3650"), Ok(3650));
    assert!(matches!(parse_stale_days("3651"), Err(InputError::TooLarge { .. })));
    assert_eq!(parse_stale_days(""), Err(InputError::Empty));
}
