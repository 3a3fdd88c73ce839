//! Browser tests (wasm-bindgen-test in headless Chromium): real localStorage,
//! quarantine, quota, crash-safe save, translations and a mounted app.
#![cfg(target_arch = "wasm32")]

use sales_tiers::i18n::T;
use sales_tiers::storage::{self, is_quota_error, LocalKv};
use sales_tiers_core::demo::{generate, DemoOptions};
use sales_tiers_core::store::{self, Kv, KvError, SaveError, KEY_POINTER, KEY_SLOT_A, KEY_SLOT_B, QUARANTINE_PREFIX};
use sales_tiers_core::{io, Lang, Workspace};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// The demo with its first 200 deals: storage tests do not need all 1,500,
/// and a debug wasm build saves a full one slowly enough to trip the
/// runner's 20 s watchdog.
fn demo() -> Workspace {
    let mut ws = generate(&DemoOptions::new(now()));
    let keep: Vec<_> = ws.opportunities.keys().take(200).copied().collect();
    ws.opportunities.retain(|k, _| keep.contains(k));
    ws
}

fn clear() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
}

#[wasm_bindgen_test]
fn every_text_has_both_languages() {
    for key in T::ALL {
        let (zh, en) = (key.get(Lang::Zh), key.get(Lang::En));
        assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{key:?} is missing a translation");
        assert_ne!(zh, en, "{key:?} is not translated");
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) || zh.chars().all(|c| !c.is_alphabetic()),
            "{key:?} zh text has no Chinese: {zh}"
        );
        // Both languages take the same arguments, numbered from {0} without gaps.
        let (pz, pe) = (key.placeholders(Lang::Zh), key.placeholders(Lang::En));
        assert_eq!(pz, pe, "{key:?} uses different placeholders in zh ({zh}) and en ({en})");
        assert!(pz.iter().copied().eq(0..pz.len()), "{key:?} numbers its placeholders with a gap: {en}");
    }
}

#[wasm_bindgen_test]
fn texts_fill_their_arguments_and_cells_round() {
    assert_eq!(T::CsvLine.fill(Lang::En, &[&7]), "Line 7");
    assert_eq!(T::CsvLine.fill(Lang::Zh, &[&7]), "第 7 行");
    assert_eq!(T::FunnelStep.fill(Lang::En, &[&5, &2, &"1,000"]), "5 reached · 2 now · 1,000");
    assert_eq!(T::ViewingAs.fill(Lang::En, &[&"Han", &"East"]), "Viewing as Han: only East and the units below it are shown");
    // A missing argument leaves its placeholder visible rather than panicking.
    assert_eq!(T::CsvLine.fill(Lang::En, &[]), "Line {0}");
    assert_eq!(T::AppName.fill(Lang::En, &[&1]), "Sales Tiers");
    use sales_tiers::components::format::{coverage, percent, signed_money};
    // 86.666…% and 1.69× round; they used to be cut to 86.6% and 1.6×.
    assert_eq!(percent(Some(8_667)), "86.7%");
    assert_eq!(coverage(Some(169)), "1.7×");
    assert_eq!((percent(None), coverage(None)), ("—".to_string(), "—".to_string()));
    assert_eq!(signed_money(-30_060), "−301");
}

#[wasm_bindgen_test]
fn save_and_load_round_trip_in_local_storage() {
    clear();
    let ws = demo();
    let bytes = storage::save(&ws, now()).unwrap();
    assert!(bytes > 10_000);
    let loaded = storage::load(now()).unwrap();
    assert_eq!(loaded.workspace.unwrap(), ws);
    assert!(loaded.quarantined.is_empty());
    // Browsers count UTF-16 code units (2 bytes each): mostly-ASCII JSON
    // takes about twice its UTF-8 size, plus the pointer key.
    let used = storage::bytes_used();
    assert!(used > bytes && used < 2 * bytes + 1024, "used {used} for {bytes} bytes of JSON");
    clear();
}

#[wasm_bindgen_test]
fn corrupt_data_is_quarantined_not_deleted() {
    clear();
    let ws = demo();
    storage::save(&ws, now()).unwrap();
    storage::save(&ws, now()).unwrap();
    let mut kv = LocalKv::open();
    let current = kv.get(KEY_POINTER).unwrap().unwrap();
    kv.set(&current, "{\"type\":\"sales-tiers\",\"version\":1,\"data\":{\"oops\":").unwrap();
    let loaded = storage::load(now()).unwrap();
    assert_eq!(loaded.workspace.unwrap(), ws, "the other slot opens");
    assert_eq!(loaded.quarantined.len(), 1);
    let key = loaded.quarantined[0].key.clone().unwrap();
    assert!(key.starts_with(QUARANTINE_PREFIX));
    assert!(kv.get(&key).unwrap().unwrap().ends_with("\"oops\":"), "raw kept byte for byte");
    assert_eq!(storage::quarantine_keys().len(), 1);
    clear();
}

#[wasm_bindgen_test]
fn a_torn_save_leaves_the_last_good_copy() {
    clear();
    let ws = demo();
    storage::save(&ws, now()).unwrap();
    let mut kv = LocalKv::open();
    assert_eq!(kv.get(KEY_POINTER).unwrap().as_deref(), Some(KEY_SLOT_A));
    let text = io::write(&ws, now(), false);
    // The tab died after writing a third of the next copy (cut on a
    // character boundary: the demo's names are Chinese).
    let mut cut = text.len() / 3;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    kv.set(KEY_SLOT_B, &text[..cut]).unwrap();
    let loaded = storage::load(now()).unwrap();
    assert_eq!(loaded.workspace.unwrap(), ws);
    clear();
}

#[wasm_bindgen_test]
fn a_full_storage_reports_quota_and_keeps_the_good_copy() {
    clear();
    let ws = demo();
    storage::save(&ws, now()).unwrap();
    // Fill the rest of the origin's quota with junk.
    let raw = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let chunk = "x".repeat(256 * 1024);
    let mut hit_quota = false;
    for i in 0..200 {
        if let Err(e) = raw.set_item(&format!("junk-{i}"), &chunk) {
            assert!(is_quota_error(&e), "unexpected error {e:?}");
            hit_quota = true;
            break;
        }
    }
    assert!(hit_quota, "the browser never reported a full storage");
    // A bigger workspace no longer fits.
    let big = generate(&DemoOptions { people: 3000, crm: false, ..DemoOptions::new(now()) });
    let err = storage::save(&big, now()).unwrap_err();
    assert_eq!(err, SaveError::Store(KvError::Quota));
    // The previous copy is intact and still loads.
    for i in 0..200 {
        raw.remove_item(&format!("junk-{i}")).unwrap();
    }
    assert_eq!(storage::load(now()).unwrap().workspace.unwrap(), ws);
    clear();
}

#[wasm_bindgen_test]
fn backup_before_replace_is_restorable() {
    clear();
    let ws = demo();
    storage::backup_previous(&ws, now()).unwrap();
    assert_eq!(storage::load_previous().unwrap().unwrap(), ws);
    assert!(store::load_previous(&LocalKv::open()).unwrap().is_some());
    clear();
}

#[wasm_bindgen_test]
async fn mounted_app_shows_the_demo_tree_and_saves_it() {
    clear();
    let doc = web_sys::window().unwrap().document().unwrap();
    let host = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), sales_tiers::app::App);
    // Let the first render and effects run.
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL)).await.unwrap();
    let rows = host.query_selector_all("[data-testid=tree-row]").unwrap();
    assert_eq!(rows.length(), 17, "17 units in the demo tree");
    let first_headcount = host.query_selector("[data-testid=headcount]").unwrap().unwrap().text_content().unwrap();
    assert_eq!(first_headcount, "76");
    assert!(host.query_selector("[data-testid=demo-badge]").unwrap().is_some());
    // First run saved the demo.
    assert!(storage::load(now()).unwrap().workspace.unwrap().meta.demo);
    drop(handle);
    clear();
}

#[wasm_bindgen_test]
fn org_chart_layout_never_overlaps_and_centres_parents() {
    use sales_tiers::pages::chart::layout;
    let ws = generate(&DemoOptions { people: 400, crm: false, ..DemoOptions::new(now()) });
    let root = ws.root().unwrap().id;
    let (nodes, edges, width, _) = layout(&ws, root, &Default::default(), Lang::En);
    assert_eq!(nodes.len(), ws.units.len());
    assert_eq!(edges.len(), ws.units.len() - 1);
    for a in &nodes {
        for b in &nodes {
            if a.id != b.id && a.y == b.y {
                assert!((a.x - b.x).abs() >= 176.0, "{} and {} overlap", a.name, b.name);
            }
        }
        assert!(a.x >= 0.0 && a.x + 176.0 <= width + 0.5);
    }
    // A parent sits midway over its first and last child.
    let (p, _) = edges[0];
    let kids: Vec<f64> = edges.iter().filter(|(x, _)| *x == p).map(|(_, c)| nodes[*c].x).collect();
    let mid = (kids.iter().cloned().fold(f64::MAX, f64::min) + kids.iter().cloned().fold(f64::MIN, f64::max)) / 2.0;
    assert!((nodes[p].x - mid).abs() < 0.01);
    // Folding a region hides its teams.
    let region = ws.units.values().find(|u| u.parent == Some(root)).unwrap().id;
    let folded: std::collections::HashSet<_> = [region].into_iter().collect();
    let (fewer, ..) = layout(&ws, root, &folded, Lang::En);
    assert_eq!(fewer.len(), nodes.len() - 3);
}

#[wasm_bindgen_test]
fn crm_data_round_trips_through_local_storage_and_csv_in_the_browser() {
    clear();
    let ws = demo();
    assert_eq!(ws.opportunities.len(), 200);
    storage::save(&ws, now()).unwrap();
    let back = storage::load(now()).unwrap().workspace.unwrap();
    assert_eq!(back.opportunities, ws.opportunities);
    assert_eq!(back.customers, ws.customers);
    // CSV export and re-parse run in the wasm build too (BOM, quoting).
    use sales_tiers_core::io::csv;
    let bytes = csv::export_opportunities(&ws, ws.opportunities.values().take(50), Lang::Zh);
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let table = csv::parse(&bytes).unwrap();
    assert_eq!(table.rows.len(), 50);
    let mapping = csv::auto_map(&table.headers, csv::Target::Opportunities);
    assert!(mapping.contains(&Some(csv::Field::Amount)) && mapping.contains(&Some(csv::Field::Owner)));
    clear();
}

#[wasm_bindgen_test]
fn pillar_3_records_round_trip_and_statements_compute_in_the_browser() {
    use sales_tiers_core::calendar::Period;
    use sales_tiers_core::engine::perf::payouts;
    clear();
    let ws = demo();
    assert!(!ws.incentive_plans.is_empty() && !ws.pools.is_empty() && !ws.spifs.is_empty() && !ws.scorecards.is_empty());
    storage::save(&ws, now()).unwrap();
    let back = storage::load(now()).unwrap().workspace.unwrap();
    assert_eq!(back.scorecards, ws.scorecards);
    assert_eq!(back.incentive_plans, ws.incentive_plans);
    assert_eq!(back.pools, ws.pools);
    assert_eq!(back.spifs, ws.spifs);
    assert_eq!(back.kpi_entries, ws.kpi_entries);
    assert_eq!(back.performance, ws.performance);
    // The wasm engine gives the same statements as a second run on the loaded copy.
    let year = sales_tiers_core::calendar::fiscal_year_of(now().date_naive(), ws.settings.fiscal_year_start_month);
    let a = payouts(&ws, &ws.incentive_plans, year, Period::Year, now().date_naive());
    let b = payouts(&back, &back.incentive_plans, year, Period::Year, now().date_naive());
    assert_eq!(a.total, b.total);
    for (id, s) in &a.people {
        let lines: i64 = s.settlements.iter().map(|x| x.payout.total).sum::<i64>()
            + s.pools.iter().map(|p| p.amount).sum::<i64>()
            + s.spifs.iter().map(|x| x.amount).sum::<i64>();
        assert_eq!(lines, s.total, "{id:?}");
    }
    clear();
}
