//! Load + validate + save of the demo workspace and of a 10,000-person one.
//! `cargo bench -p sales-tiers-core` (or scripts/bench.sh).

use chrono::{Datelike, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sales_tiers_core::demo::{generate, DemoOptions};
use sales_tiers_core::engine::crm::{actuals, forecast, stats};
use sales_tiers_core::engine::index::Index;
use sales_tiers_core::engine::track::standings;
use sales_tiers_core::engine::validate::validate;
use sales_tiers_core::store::{self, MemKv};
use sales_tiers_core::{apply, io, Edit};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
    let mut group = c.benchmark_group("workspace");
    group.sample_size(20);
    // The org and plan alone at 10,000 people (comparable with earlier runs),
    // and the medium workspace with its CRM: 1,000 people, ~20,000 deals.
    for (people, crm) in [(77usize, true), (1_000, true), (10_000, false)] {
        let ws = generate(&DemoOptions { people, crm, ..DemoOptions::new(now) });
        let people = if crm { format!("{people}+crm") } else { people.to_string() };
        let compact = io::write(&ws, now, false);
        let pretty = io::write(&ws, now, true);
        let packed = sales_tiers_core::store::pack::pack(&compact).chars().count();
        println!(
            "{people} people: compact {} bytes, pretty {} bytes, stored {packed} UTF-16 units, {} units, {} deals",
            compact.len(),
            pretty.len(),
            ws.units.len(),
            ws.opportunities.len()
        );
        group.throughput(Throughput::Bytes(compact.len() as u64));
        group.bench_with_input(BenchmarkId::new("load (parse+checksum+validate)", &people), &compact, |b, text| {
            b.iter(|| io::read(black_box(text)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("load a readable (indented) file", &people), &pretty, |b, text| {
            b.iter(|| io::read(black_box(text)).unwrap())
        });
        // The reference for the reader's speed: a typed parse of the same
        // data with nothing else (no envelope, checksum or validation).
        let data = serde_json::to_string(&ws).unwrap();
        group.bench_with_input(BenchmarkId::new("typed parse of the data alone (reference)", &people), &data, |b, text| {
            b.iter(|| serde_json::from_str::<sales_tiers_core::Workspace>(black_box(text)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("validate", &people), &ws, |b, ws| b.iter(|| validate(black_box(ws))));
        // Storage: the whole document as a new epoch (first run, import), and
        // one edit's journal entry (what every edit costs).
        group.bench_with_input(BenchmarkId::new("store: write all (new epoch, 64 buckets)", &people), &ws, |b, ws| {
            let mut kv = MemKv::default();
            let (mut session, _) = store::log::open(&mut kv, 1, now).unwrap();
            let mut n = 0u8;
            b.iter(|| {
                n = n.wrapping_add(1);
                session.write_all(&mut kv, black_box(ws), sales_tiers_core::Id::from_random_bytes([n; 16])).unwrap()
            })
        });
        // What every start pays: scan every stored chunk (both replicas),
        // unpack, check and rebuild the document.
        group.bench_with_input(BenchmarkId::new("store: open (scan, unpack, rebuild)", &people), &ws, |b, ws| {
            let mut kv = MemKv::default();
            let (mut session, _) = store::log::open(&mut kv, 1, now).unwrap();
            session.write_all(&mut kv, ws, sales_tiers_core::Id::from_random_bytes([1; 16])).unwrap();
            b.iter(|| store::log::open(black_box(&mut kv), 2, now).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("store: commit one edit (rename a unit)", &people), &ws, |b, ws| {
            let mut kv = MemKv::default();
            let (mut session, _) = store::log::open(&mut kv, 1, now).unwrap();
            session.write_all(&mut kv, ws, sales_tiers_core::Id::from_random_bytes([1; 16])).unwrap();
            let mut w = ws.clone();
            let unit = *w.units.keys().next().unwrap();
            let mut i = 0u64;
            b.iter(|| {
                i += 1;
                let p =
                    apply(&mut w, &Edit::RenameUnit { id: unit, name: sales_tiers_core::model::Text::both(format!("x{i}")) }, now).unwrap();
                session.commit(&mut kv, &w, &p.cells(&w)).unwrap()
            })
        });
        group.bench_with_input(BenchmarkId::new("edit+undo (rename a unit)", &people), &ws, |b, ws| {
            let mut w = ws.clone();
            let unit = *w.units.keys().next().unwrap();
            b.iter(|| {
                let p = apply(&mut w, &Edit::RenameUnit { id: unit, name: sales_tiers_core::model::Text::both("x") }, now).unwrap();
                p.apply(&mut w);
            })
        });
    }
    group.finish();

    // Pillar 1 at 10,000 people: validate + re-grade, and a 2,000-person subtree move.
    let mut org = c.benchmark_group("org");
    org.sample_size(20);
    let mut ws = generate(&DemoOptions { people: 10_000, ..DemoOptions::new(now) });
    // Budgets would (rightly) refuse moving regions under an unbudgeted division.
    ws.plan.budgets.clear();
    let root = ws.root().unwrap().id;
    let regions: Vec<_> = ws.units.values().filter(|u| u.parent == Some(root)).map(|u| u.id).collect();
    let division = sales_tiers_core::Id::from_random_bytes([7; 16]);
    apply(&mut ws, &Edit::AddUnit { id: division, name: sales_tiers_core::model::Text::both("Division"), parent: Some(root) }, now)
        .unwrap();
    for r in regions.iter().take(105) {
        apply(&mut ws, &Edit::MoveUnit { id: *r, parent: division }, now).unwrap();
    }
    let moved = sales_tiers_core::engine::org::unit_counts(&ws)[&division].headcount;
    println!("subtree to move: {moved} people");
    let target = regions[200];
    org.bench_function("validate + grade 10000", |b| {
        b.iter(|| {
            assert!(validate(black_box(&ws)).is_empty());
            sales_tiers_core::engine::grading::assess_all(black_box(&ws), &Index::new(&ws), now.date_naive())
        })
    });
    org.bench_function("grade 10000", |b| {
        let ix = Index::new(&ws);
        b.iter(|| sales_tiers_core::engine::grading::assess_all(black_box(&ws), &ix, now.date_naive()))
    });
    org.bench_function("move 2000-person subtree + undo", |b| {
        let mut w = ws.clone();
        b.iter(|| {
            let p = apply(&mut w, &Edit::MoveUnit { id: division, parent: target }, now).unwrap();
            p.apply(&mut w);
        })
    });
    org.finish();

    // Pillar 2 at 10,000 people × 12 months.
    let mut plan = c.benchmark_group("plan");
    plan.sample_size(10);
    let ws = generate(&DemoOptions { people: 10_000, ..DemoOptions::new(now) });
    let year = now.date_naive().year();
    let root = ws.root().unwrap().id;
    let lines = ws.plan.targets.len();
    println!("plan: {lines} target lines");
    use sales_tiers_core::calendar::Period;
    use sales_tiers_core::engine::plan::{cascade, rollup, Method, Spec};
    use sales_tiers_core::model::TargetKind;
    plan.bench_function("cascade root + rollup 10000", |b| {
        b.iter(|| {
            let spec = Spec { unit: root, kind: TargetKind::Revenue, year, period: Period::Year, method: Method::Weight };
            let l = cascade(&ws, &ws.plan, &spec, None).unwrap();
            (l, rollup(black_box(&ws), &ws.plan, TargetKind::Revenue, year))
        })
    });
    plan.bench_function("rollup 10000", |b| b.iter(|| rollup(black_box(&ws), &ws.plan, TargetKind::Revenue, year)));
    plan.bench_function("cascade the whole tree 10000 (2108 units)", |b| {
        b.iter(|| {
            sales_tiers_core::engine::plan::cascade_deep(
                black_box(&ws),
                &ws.plan,
                &Spec { unit: root, kind: TargetKind::Revenue, year, period: Period::Year, method: Method::Weight },
                None,
            )
            .unwrap()
        })
    });
    plan.bench_function("scenario copy 10000 (edit + undo)", |b| {
        let mut w = ws.clone();
        let id = sales_tiers_core::Id::from_random_bytes([9; 16]);
        b.iter(|| {
            let p = apply(&mut w, &Edit::CreateScenario { id, name: sales_tiers_core::model::Text::both("S"), from: None }, now).unwrap();
            p.apply(&mut w);
        })
    });
    plan.bench_function("set one target cell 10000 (edit + undo)", |b| {
        let mut w = ws.clone();
        let team = w.units.values().find(|u| u.name.en == "Shanghai Team").unwrap().id;
        b.iter(|| {
            let e = Edit::SetTarget {
                scenario: None,
                owner: team,
                kind: TargetKind::Revenue,
                year,
                period: Period::Quarter(2),
                amount: 1_000_000,
            };
            let p = apply(&mut w, &e, now).unwrap();
            p.apply(&mut w);
        })
    });
    plan.finish();

    // Exchange between managers at 1,000 people / ~20,000 deals: the first
    // region's branch out, and back with a deep cascade and a won deal.
    let mut ex = c.benchmark_group("exchange");
    ex.sample_size(10);
    {
        use sales_tiers_core::engine::exchange;
        let ws = generate(&DemoOptions { people: 1_000, ..DemoOptions::new(now) });
        let root = ws.root().unwrap().id;
        let region = ws.units.values().filter(|u| u.parent == Some(root)).map(|u| u.id).min().unwrap();
        let branch = exchange::extract(&ws, region, now, None).unwrap();
        println!(
            "exchange: {} people, {} deals in the workspace; branch: {} people, {} deals",
            ws.people.len(),
            ws.opportunities.len(),
            branch.people.len(),
            branch.opportunities.len()
        );
        ex.bench_function("branch export 1000/20k (extract + write)", |b| {
            b.iter(|| io::write(&exchange::extract(black_box(&ws), region, now, None).unwrap(), now, false))
        });
        let mut back = branch.clone();
        let later = now + chrono::Duration::hours(1);
        let c = Edit::Cascade {
            scenario: None,
            unit: region,
            kind: TargetKind::Revenue,
            year,
            period: Period::Year,
            method: sales_tiers_core::engine::plan::Method::Equal,
            deep: true,
        };
        apply(&mut back, &c, later).unwrap();
        let deal = back.opportunities.values().find(|o| o.closed.is_none()).unwrap().id;
        apply(
            &mut back,
            &Edit::SetStage { id: deal, stage: sales_tiers_core::model::default_stage_id("won"), on: now.date_naive(), by: None },
            later,
        )
        .unwrap();
        let text = io::write(&exchange::send_back(&back, later, None).unwrap(), later, false);
        println!("exchange: branch file {} bytes", text.len());
        ex.bench_function("merge review 1000/20k (read the file + review)", |b| {
            b.iter(|| {
                let (theirs, info) = io::read(black_box(&text)).unwrap();
                exchange::review(&ws, &theirs, info.checksum.as_deref().unwrap_or(""), later, sales_tiers_core::Lang::En).unwrap()
            })
        });
        let (theirs, info) = io::read(&text).unwrap();
        let review = exchange::review(&ws, &theirs, info.checksum.as_deref().unwrap_or(""), later, sales_tiers_core::Lang::En).unwrap();
        println!("exchange: review lists {} changes", review.changes.len());
        let entry = sales_tiers_core::Id::from_random_bytes([9; 16]);
        ex.bench_function("merge apply 1000/20k (apply + validate + replace patch)", |b| {
            b.iter(|| {
                let merged = exchange::apply(black_box(&ws), &theirs, &review, &Default::default(), later, None, entry).unwrap();
                let mut w = ws.clone();
                sales_tiers_core::edit::replace(&mut w, merged)
            })
        });
    }
    ex.finish();

    // Signed and locked files: the whole 1,000-person workspace as one file.
    let mut sl = c.benchmark_group("seal");
    sl.sample_size(10);
    {
        use sales_tiers_core::io::lock::{self, Content, Cost};
        use sales_tiers_core::io::seal::{self, KeyPair};
        let ws = generate(&DemoOptions { people: 1_000, ..DemoOptions::new(now) });
        let text = io::write(&ws, now, false);
        let pair = KeyPair::from_seed([5; 32]);
        println!("seal: file {} bytes", text.len());
        sl.bench_function("sign 1000/20k (whole file)", |b| b.iter(|| seal::sign(black_box(&text), &pair, None, now).unwrap()));
        let signed = seal::sign(&text, &pair, None, now).unwrap();
        sl.bench_function("verify 1000/20k (signature + data checksum)", |b| b.iter(|| seal::check(black_box(&signed)).unwrap()));
        sl.bench_function("read a signed file 1000/20k (verify + parse + validate)", |b| b.iter(|| io::read(black_box(&signed)).unwrap()));
        let pass = "correct horse battery";
        sl.bench_function("lock 1000/20k (argon2id 19 MiB t=2 + deflate + xchacha20poly1305)", |b| {
            b.iter(|| lock::lock(black_box(signed.as_bytes()), Content::Workspace, pass, Cost::DEFAULT, [1; 16], [2; 24]).unwrap())
        });
        let locked = lock::lock(signed.as_bytes(), Content::Workspace, pass, Cost::DEFAULT, [1; 16], [2; 24]).unwrap();
        println!("seal: locked file {} bytes", locked.len());
        sl.bench_function("unlock 1000/20k", |b| b.iter(|| lock::unlock(black_box(&locked), pass).unwrap()));
    }
    sl.finish();

    // Pillar 4 at 10,000 people with ~200,000 opportunities.
    let mut crm = c.benchmark_group("crm");
    crm.sample_size(20);
    let ws = generate(&DemoOptions { people: 10_000, ..DemoOptions::new(now) });
    println!("crm: {} people, {} opportunities, {} customers", ws.people.len(), ws.opportunities.len(), ws.customers.len());
    let today = now.date_naive();
    // Built once per document change and shared by every engine below.
    crm.bench_function("build the index (org, deals, activities) 10000/200k", |b| b.iter(|| Index::new(black_box(&ws))));
    let ix = Index::new(&ws);
    // One pass gives the period's forecast categories and the year's monthly actuals.
    crm.bench_function("forecast + actuals rollup 10000/200k (quarter)", |b| {
        b.iter(|| forecast(black_box(&ws), &ix, year, Period::Quarter(4)))
    });
    crm.bench_function("actuals alone 10000/200k", |b| b.iter(|| actuals(black_box(&ws), &ix, year)));
    crm.bench_function("standings (targets, forecast, on-track, coverage) 10000/200k", |b| {
        b.iter(|| standings(black_box(&ws), &ix, year, Period::Quarter(4), today))
    });
    crm.bench_function("funnel stats 200k", |b| b.iter(|| stats(black_box(&ws), ws.opportunities.values())));
    crm.bench_function("move a deal to won (edit + undo) 200k", |b| {
        let mut w = ws.clone();
        let deal = w.opportunities.values().find(|o| o.closed.is_none()).unwrap().id;
        let won = sales_tiers_core::model::default_stage_id("won");
        b.iter(|| {
            let p = apply(&mut w, &Edit::SetStage { id: deal, stage: won, on: today, by: None }, now).unwrap();
            p.apply(&mut w);
        })
    });
    crm.finish();

    // Pillar 3 on the same workspace: every scorecard and statement of a quarter.
    let mut perf = c.benchmark_group("perf");
    perf.sample_size(20);
    println!("perf: {} plans, {} pools, {} spifs", ws.incentive_plans.len(), ws.pools.len(), ws.spifs.len());
    use sales_tiers_core::engine::perf::{payouts, scorecards, PeriodData};
    perf.bench_function("scorecards 10000/200k (quarter)", |b| {
        b.iter(|| {
            let d = PeriodData::new(black_box(&ws), &ix, year, Period::Quarter(3), today);
            scorecards(&ws, &d, None)
        })
    });
    perf.bench_function("scorecards + payouts + pools + spifs 10000/200k (quarter)", |b| {
        b.iter(|| payouts(black_box(&ws), &ix, &ws.incentive_plans, year, Period::Quarter(3), today))
    });
    perf.bench_function("payouts 10000/200k (year: four quarterly settlements)", |b| {
        b.iter(|| payouts(black_box(&ws), &ix, &ws.incentive_plans, year, Period::Year, today))
    });
    perf.finish();

    // Daily work on the same workspace (~4.5 activities per deal).
    let mut wk = c.benchmark_group("work");
    wk.sample_size(20);
    println!("work: {} activities, {} tasks", ws.activities.len(), ws.tasks.len());
    use sales_tiers_core::engine::{home, work};
    let (start, end) = sales_tiers_core::calendar::period_bounds(year, ws.settings.fiscal_year_start_month, Period::Quarter(3));
    wk.bench_function("activity counts for a quarter 10000", |b| b.iter(|| work::counts(black_box(&ix), start, end)));
    wk.bench_function("stale deals 10000/200k", |b| b.iter(|| work::stale_deals(black_box(&ws), today)));
    let root = ws.root().unwrap().id;
    wk.bench_function("home: month by month of the root 10000", |b| b.iter(|| home::months(black_box(&ws), &ix, root, year)));
    wk.bench_function("log an activity (edit + undo) 10000", |b| {
        let mut w = ws.clone();
        let a = w.activities.values().next().unwrap().clone();
        let fields = sales_tiers_core::edit::ActivityFields::of(&a);
        let id = sales_tiers_core::Id::from_random_bytes([9; 16]);
        b.iter(|| {
            let p = apply(&mut w, &Edit::LogActivity { id, fields: fields.clone() }, now).unwrap();
            p.apply(&mut w);
        })
    });
    wk.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
