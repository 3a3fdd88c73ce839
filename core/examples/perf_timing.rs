//! Quick split of where a quarter's scorecards and payouts spend their time
//! at 10,000 people (the criterion bench gives the figures to report).
//! `cargo run --release -p sales-tiers-core --example perf_timing`
use sales_tiers_core::calendar::Period;
use sales_tiers_core::demo::{generate, DemoOptions};
use sales_tiers_core::engine::crm::forecast;
use sales_tiers_core::engine::index::Index;
use sales_tiers_core::engine::perf::{payouts, prepare, scorecards, settle, spif_progress, PeriodData};
use sales_tiers_core::engine::track::{revenue_targets, standings};
use std::time::Instant;

fn time<T>(label: &str, n: u32, mut f: impl FnMut() -> T) {
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(f());
    }
    println!("{label}: {:.1} ms", t.elapsed().as_secs_f64() * 1000.0 / n as f64);
}

fn main() {
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 27, 9, 0, 0).unwrap();
    let ws = generate(&DemoOptions { people: 10_000, ..DemoOptions::new(now) });
    let today = now.date_naive();
    let ix = Index::new(&ws);
    let q = Period::Quarter(3);
    if std::env::args().nth(1).as_deref() == Some("payouts") {
        // For a profiler: the quarter's payouts (the year's with YEAR set), again
        // and again (N times, default 60).
        let n = std::env::var("N").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
        let p = if std::env::var("YEAR").is_ok() { Period::Year } else { q };
        time("payouts", n, || payouts(&ws, &ix, &ws.incentive_plans, 2026, p, today));
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("cards") {
        // For a profiler: a quarter's scorecards from its data, again and again.
        let n = std::env::var("N").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
        let d = PeriodData::new(&ws, &ix, 2026, q, today);
        time("scorecards", n, || scorecards(&ws, &d, None));
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("settle") {
        // For a profiler: settling alone (a what-if), again and again.
        let n = std::env::var("N").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
        let p = if std::env::var("YEAR").is_ok() { Period::Year } else { q };
        let prep = std::sync::Arc::new(prepare(&ws, &ix, 2026, p, today));
        time("settle", n, || settle(&ws, &ix, &ws.incentive_plans, prep.clone()));
        return;
    }
    time("build the index", 5, || Index::new(&ws));
    time("walk the deals (sum amounts)", 10, || ws.opportunities.values().map(|o| o.amount.0).sum::<i64>());
    time("walk the deals (date filter)", 10, || {
        let a = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let b = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        ws.opportunities
            .values()
            .filter(|o| {
                let d = o.closed.unwrap_or(o.close_date);
                d >= a && d < b
            })
            .count()
    });
    let mut fx: rustc_hash::FxHashMap<sales_tiers_core::Id, i64> = Default::default();
    time("walk + per-owner FxHashMap", 10, || {
        fx.clear();
        for o in ws.opportunities.values() {
            *fx.entry(o.owner).or_default() += o.amount.0;
        }
        fx.len()
    });
    time("forecast", 10, || forecast(&ws, &ix, 2026, q));
    time("revenue targets", 10, || revenue_targets(&ws, &ix, 2026, q));
    time("standings", 10, || standings(&ws, &ix, 2026, q, today));
    time("period data", 10, || PeriodData::new(&ws, &ix, 2026, q, today));
    let d = PeriodData::new(&ws, &ix, 2026, q, today);
    time("scorecards (given data)", 10, || scorecards(&ws, &d, None));
    time("payouts quarter", 5, || payouts(&ws, &ix, &ws.incentive_plans, 2026, q, today));
    let prep = std::sync::Arc::new(prepare(&ws, &ix, 2026, q, today));
    time("settle only (what-if)", 5, || settle(&ws, &ix, &ws.incentive_plans, prep.clone()));
    let mut bare = ws.clone();
    bare.pools.clear();
    bare.spifs.clear();
    let bix = Index::new(&bare);
    let prep2 = std::sync::Arc::new(prepare(&bare, &bix, 2026, q, today));
    time("settle, plans only", 5, || settle(&bare, &bix, &bare.incentive_plans, prep2.clone()));
    let mut pools_only = bare.clone();
    pools_only.pools = ws.pools.clone();
    time("settle, plans + pools", 5, || settle(&pools_only, &bix, &pools_only.incentive_plans, prep2.clone()));
    for s in ws.spifs.values() {
        time(&format!("spif progress {:?}", s.measure), 5, || spif_progress(&ws, &ix, s));
    }
    time("payouts year", 5, || payouts(&ws, &ix, &ws.incentive_plans, 2026, Period::Year, today));
    time("prepare year", 5, || prepare(&ws, &ix, 2026, Period::Year, today));
    let prep = std::sync::Arc::new(prepare(&ws, &ix, 2026, Period::Year, today));
    time("settle year", 5, || settle(&ws, &ix, &ws.incentive_plans, prep.clone()));
    time("period data year", 5, || PeriodData::new(&ws, &ix, 2026, Period::Year, today));
    let dy = PeriodData::new(&ws, &ix, 2026, Period::Year, today);
    time("scorecards year", 5, || scorecards(&ws, &dy, None));
}
