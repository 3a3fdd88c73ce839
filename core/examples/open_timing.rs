//! Quick split of where opening the store spends its time at 1,000 people
//! with their CRM and no activities (what a browser holds): unpacking,
//! checking and parsing the chunks, then rebuilding the document. The
//! criterion bench `store: open` gives the figure to report.
//! `cargo run --profile bench -p sales-tiers-core --example open_timing`
use sales_tiers_core::demo::{generate, DemoOptions};
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::store::{chunk, log, pack, Kv, MemKv};
use std::time::Instant;

fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    println!("{label}: {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    r
}

fn main() {
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 27, 9, 0, 0).unwrap();
    let people = std::env::var("PEOPLE").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000);
    let ws = generate(&DemoOptions { people, activities: false, ..DemoOptions::new(now) });
    let mut kv = MemKv::default();
    let (mut session, _) = log::open(&mut kv, 1, now).unwrap();
    session.write_all(&mut kv, &ws, sales_tiers_core::Id::from_random_bytes([1; 16])).unwrap();
    let raws: Vec<String> = kv.keys().unwrap().into_iter().filter(|k| k.ends_with(":0")).map(|k| kv.get(&k).unwrap().unwrap()).collect();
    let units: usize = raws.iter().map(|r| r.chars().count()).sum();
    println!("{} chunks, {units} UTF-16 units stored (one replica)", raws.len());
    let texts: Vec<String> = time("unpack (15-bit decode + inflate)", || raws.iter().map(|r| pack::unpack(r).unwrap()).collect());
    println!("  {} bytes of JSON", texts.iter().map(|t| t.len()).sum::<usize>());
    let chunks: Vec<chunk::Chunk> =
        time("read every chunk (unpack + checksum + parse states)", || raws.iter().map(|r| chunk::read(r).unwrap()).collect());
    let cells: Vec<(sales_tiers_core::store::cells::CellKey, &str)> =
        chunks.iter().flat_map(|c| c.states.iter().filter_map(|s| s.value.as_deref().map(|v| (s.key, v)))).collect();
    println!("  {} cells", cells.len());
    let mut by: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for (k, v) in &cells {
        let e = by.entry(k.section.name()).or_default();
        e.0 += 1;
        e.1 += v.len();
    }
    let mut by: Vec<_> = by.into_iter().collect();
    by.arrange_by_key(|(_, (_, b))| std::cmp::Reverse(*b));
    for (s, (n, b)) in by.iter().take(8) {
        println!("    {s}: {n} cells, {b} bytes");
    }
    time("rebuild the document from its cells (typed parse)", || sales_tiers_core::store::cells::build(cells.iter().copied()).unwrap());
    time("open (scan, merge, rebuild the document)", || log::open(&mut kv, 2, now).unwrap());
    let whole = pack::pack(&sales_tiers_core::io::write(&ws, now, false)).chars().count();
    let (s2, _) = log::open(&mut kv, 3, now).unwrap();
    let chunks = s2.stored_backup(&kv).unwrap().unwrap().chars().count();
    println!("backup: packed whole {whole} UTF-16 units, made of the stored chunks {chunks}");
    if std::env::var("LEVELS").is_ok() {
        let all = texts.concat();
        for level in [1u8, 2, 3, 4, 6] {
            let out = time(&format!("deflate level {level}"), || miniz_oxide::deflate::compress_to_vec(all.as_bytes(), level));
            println!("  {} → {} bytes ({:.1} %)", all.len(), out.len(), out.len() as f64 * 100.0 / all.len() as f64);
        }
    }
}
