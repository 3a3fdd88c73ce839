//! Load + validate + save of the demo workspace and of a 10,000-person one.
//! `cargo bench -p sales-tiers-core` (or scripts/bench.sh).

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sales_tiers_core::demo::{generate, DemoOptions};
use sales_tiers_core::engine::validate::validate;
use sales_tiers_core::store::{self, MemKv};
use sales_tiers_core::{apply, io, Edit};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
    let mut group = c.benchmark_group("workspace");
    group.sample_size(20);
    for people in [77usize, 10_000] {
        let ws = generate(&DemoOptions { people, ..DemoOptions::new(now) });
        let compact = io::write(&ws, now, false);
        let pretty = io::write(&ws, now, true);
        println!("{people} people: compact {} bytes, pretty {} bytes, {} units", compact.len(), pretty.len(), ws.units.len());
        group.throughput(Throughput::Bytes(compact.len() as u64));
        group.bench_with_input(BenchmarkId::new("load (parse+checksum+validate)", people), &compact, |b, text| {
            b.iter(|| io::read(black_box(text)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("validate", people), &ws, |b, ws| b.iter(|| validate(black_box(ws))));
        group.bench_with_input(BenchmarkId::new("save (serialise+checksum+store)", people), &ws, |b, ws| {
            let mut kv = MemKv::default();
            b.iter(|| store::save(&mut kv, black_box(ws), now).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("edit+undo (rename a unit)", people), &ws, |b, ws| {
            let mut w = ws.clone();
            let unit = *w.units.keys().next().unwrap();
            b.iter(|| {
                let p = apply(&mut w, &Edit::RenameUnit { id: unit, name: sales_tiers_core::model::Text::both("x") }, now).unwrap();
                p.apply(&mut w);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
