//! Browser tests (wasm-bindgen-test in headless Chromium): the storage
//! protocol over real localStorage (edits written at once, damaged chunks
//! repaired or quarantined, a store that does not open, the previous
//! build's layout moved, a full quota), translations and a mounted app.
#![cfg(target_arch = "wasm32")]

use sales_tiers::i18n::T;
use sales_tiers::storage::{self, is_quota_error, LocalKv};
use sales_tiers_core::demo::{generate, DemoOptions};
use sales_tiers_core::store::{self, log, Kv, KvError, SaveError, KEY_POINTER, KEY_SLOT_A, KEY_SLOT_B, QUARANTINE_PREFIX};
use sales_tiers_core::{apply, Edit, Lang, Workspace};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

type Time = chrono::DateTime<chrono::Utc>;

fn at(rfc3339: &str) -> Time {
    chrono::DateTime::parse_from_rfc3339(rfc3339).expect("a valid test time").with_timezone(&chrono::Utc)
}

/// A fixed clock: the tests give the same result on any day. It is the day
/// the suite once broke on (a cut fell inside a multi-byte character).
fn now() -> Time {
    at("2026-12-01T09:00:00Z")
}

/// Days across a fiscal year, for tests whose meaning depends on the demo's
/// dates (the demo's deals, targets and texts are generated around "now"):
/// the first days of a year, a quarter's last half hour, mid-year, and the
/// fixed clock above.
const DATES: [&str; 4] = ["2027-01-02T08:00:00Z", "2027-03-31T23:30:00Z", "2026-07-15T12:00:00Z", "2026-12-01T09:00:00Z"];

/// The demo generated on `when`, with its first 200 deals: storage tests do
/// not need all 1,500, and a debug wasm build saves a full one slowly
/// enough to trip the runner's 20 s watchdog.
fn demo_at(when: Time) -> Workspace {
    let mut ws = generate(&DemoOptions::new(when));
    let keep: Vec<_> = ws.opportunities.keys().take(200).copied().collect();
    ws.opportunities.retain(|k, _| keep.contains(k));
    // Their activities and tasks go with them.
    let kept = |d: &Option<sales_tiers_core::Id>| d.is_none_or(|d| keep.contains(&d));
    ws.activities.retain(|_, a| kept(&a.opportunity));
    ws.tasks.retain(|_, t| kept(&t.opportunity));
    ws
}

fn demo() -> Workspace {
    demo_at(now())
}

/// Lets the browser run its event loop (a task, not a microtask): tests that
/// work through several dates yield between them, so the runner's WebDriver
/// calls are answered even on a slow, busy machine (ChromeDriver gives up on
/// a page that stays busy for 30 s).
async fn breathe() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

fn clear() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
}

/// Stores `ws` as a first run would (a new epoch) and opens it again as a
/// new tab would.
fn store_and_reopen(ws: &Workspace, when: Time) -> Workspace {
    clear();
    let first = storage::open(when).unwrap();
    assert!(first.workspace.is_none() && !first.unreadable, "an empty store is a first run");
    storage::write_all(ws, false).unwrap();
    storage::open(when).unwrap().workspace.expect("the stored document opens")
}

/// Applies an edit and writes what it changed, as the app's dispatch does.
fn edit(ws: &mut Workspace, e: &Edit, when: Time) -> Result<usize, SaveError> {
    let patch = apply(ws, e, when).unwrap();
    storage::commit(ws, &patch.cells(ws))
}

fn rename(name: &str) -> Edit {
    Edit::UpdateSettings(sales_tiers_core::edit::SettingsPatch { workspace_name: Some(name.into()), ..Default::default() })
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
fn a_long_tables_figures_are_as_wide_as_their_digits_and_half_their_separators() {
    use sales_tiers::components::format::figure_width;
    // Nine digits and two commas: ten digits' width.
    assert_eq!(figure_width(["491,524,753", "9,663,000"]), "--num: 10ch");
    // Ten digits and three commas: 11.5, rounded up.
    assert_eq!(figure_width(["1,234,567,890"]), "--num: 12ch");
    // Never narrower than six digits, nor for no figures at all.
    assert_eq!(figure_width(["12"]), "--num: 6ch");
    assert_eq!(figure_width(Vec::<String>::new()), "--num: 6ch");
}

#[wasm_bindgen_test]
fn the_rows_on_screen_are_read_from_a_tables_box_and_the_window() {
    use sales_tiers::components::rows::places_in_view;
    let doc = web_sys::window().unwrap().document().unwrap();
    let host = doc.create_element("div").unwrap();
    // A box 200 px high over 50 rows of 20 px, scrolled down 300 px: rows 15 to 25 show.
    host.set_inner_html(
        r#"<div class="table-scroll" style="position:fixed;top:0;left:0;width:300px;height:200px;overflow:auto">
           <table><tbody></tbody></table></div>"#,
    );
    doc.body().unwrap().append_child(&host).unwrap();
    let body = host.query_selector("tbody").unwrap().unwrap();
    for i in 0..50 {
        let row = doc.create_element("tr").unwrap();
        row.set_inner_html(&format!(r#"<td style="height:20px;padding:0;border:0">{i}</td>"#));
        row.set_attribute("style", "height:20px").unwrap();
        body.append_child(&row).unwrap();
    }
    host.query_selector("table").unwrap().unwrap().set_attribute("style", "border-spacing:0").unwrap();
    let scroller = host.query_selector(".table-scroll").unwrap().unwrap();
    assert_eq!(places_in_view(&body), (0, 10));
    scroller.set_scroll_top(300);
    assert_eq!(places_in_view(&body), (15, 25));
    // Scrolled to the end: the last rows.
    scroller.set_scroll_top(10_000);
    assert_eq!(places_in_view(&body), (40, 50));
    // A table with no rows shows none.
    body.set_inner_html("");
    assert_eq!(places_in_view(&body), (0, 0));
    host.remove();
}

#[wasm_bindgen_test]
fn names_sort_as_a_reader_expects_and_only_once_per_name() {
    use sales_tiers::browser::NameOrder;
    let zh = NameOrder::of(["张伟", "王芳", "李娜", "王芳"], Lang::Zh);
    // By pinyin: Li, Wang, Zhang (code points put 张 before 王 and 李).
    assert!(zh.rank("李娜") < zh.rank("王芳") && zh.rank("王芳") < zh.rank("张伟"), "{zh:?}");
    let en = NameOrder::of(["Team 10", "team 2", "Émile", "Zed"], Lang::En);
    assert!(en.rank("team 2") < en.rank("Team 10"), "numbers by value: {en:?}");
    assert!(en.rank("Émile") < en.rank("Team 10") && en.rank("Team 10") < en.rank("Zed"), "{en:?}");
    // A name it was not given goes last.
    assert_eq!(en.rank("Nobody"), u32::MAX);
}

#[wasm_bindgen_test]
fn a_name_order_kept_across_edits_is_the_one_sorted_afresh() {
    use leptos::prelude::*;
    use sales_tiers::browser::NameOrder;
    let owner = Owner::new();
    owner.with(|| {
        let names = RwSignal::new((Lang::En, Vec::<String>::new()));
        let order = NameOrder::memo(move || names.get());
        let many: Vec<String> = (0..60).map(|i| format!("Rep {i}")).collect();
        let steps: Vec<(Lang, Vec<String>)> = [
            (Lang::En, vec!["Zed", "Team 10", "team 2", "Émile", "Team 1"]),
            // One renamed (a few names changed: put in place, not sorted again).
            (Lang::En, vec!["Zed", "Team 10", "team 2", "Emile", "Team 1"]),
            // A name the collator calls equal to one there ("Team 01", "Team 1").
            (Lang::En, vec!["Zed", "Team 10", "team 2", "Emile", "Team 1", "Team 01", "Zed"]),
            (Lang::En, vec!["Team 01", "Zed"]),
            (Lang::Zh, vec!["张伟", "王芳", "李娜", "Team 01"]),
            (Lang::Zh, vec!["张伟", "王芳", "李娜", "Team 01", "王芳芳"]),
        ]
        .into_iter()
        .map(|(l, v)| (l, v.into_iter().map(String::from).collect()))
        // Many at once (sorted afresh), then one renamed among them.
        .chain([
            (Lang::Zh, many.clone()),
            (Lang::Zh, many.iter().map(|n| if n == "Rep 7" { "Rep 70".to_string() } else { n.clone() }).collect()),
        ])
        .collect();
        for (lang, list) in steps {
            names.set((lang, list.clone()));
            let fresh = NameOrder::of(list.iter().map(String::as_str), lang);
            order.with(|o| assert_eq!(o, &fresh, "{list:?}"));
        }
        // Ties by code point, the same whichever way: "Team 01" < "Team 1".
        let o = NameOrder::of(["Team 1", "Team 01"], Lang::En);
        assert!(o.rank("Team 01") < o.rank("Team 1"), "{o:?}");
    });
}

#[wasm_bindgen_test]
fn texts_fill_their_arguments_and_cells_round() {
    assert_eq!(T::CsvLine.fill(Lang::En, &[&7]), "Line 7");
    assert_eq!(T::CsvLine.fill(Lang::Zh, &[&7]), "第 7 行");
    assert_eq!(T::FunnelStep.fill(Lang::En, &[&5, &2, &"1,000"]), "5 reached · 2 now, worth 1,000");
    assert_eq!(T::FunnelStep.fill(Lang::Zh, &[&5, &2, &"1,000"]), "5 个经过 · 当前 2 个，金额 1,000");
    assert_eq!(T::ViewingAs.fill(Lang::En, &[&"Han", &"East"]), "Viewing as Han: only East and the units below it are shown");
    // A missing argument leaves its placeholder visible rather than panicking.
    assert_eq!(T::CsvLine.fill(Lang::En, &[]), "Line {0}");
    assert_eq!(T::AppName.fill(Lang::En, &[&1]), "Sales Tiers");
    // Chinese: a value beginning or ending with a Latin letter or a digit is
    // set off from the Han character beside it, and only then.
    assert_eq!(T::ClosingOutside.fill(Lang::Zh, &[&3, &"2026 财年"]), "另有 3 个在 2026 财年之外结单 · 显示全部日期");
    assert_eq!(T::ClosingOutside.fill(Lang::Zh, &[&3, &"2026 财年 Q4"]), "另有 3 个在 2026 财年 Q4 之外结单 · 显示全部日期");
    assert_eq!(T::LockPeriod.fill(Lang::Zh, &[&"十一月"]), "锁定十一月");
    assert_eq!(T::LockPeriod.fill(Lang::Zh, &[&"Q4"]), "锁定 Q4");
    assert_eq!(T::LockPeriod.fill(Lang::En, &[&"Q4"]), "Lock Q4");
    // A Chinese value sits against the Han text; figures and paths do not.
    assert_eq!(T::TasksOf.fill(Lang::Zh, &[&"王芳"]), "王芳的任务");
    assert_eq!(T::TasksOf.fill(Lang::Zh, &[&"Wang Fang"]), "Wang Fang 的任务");
    assert_eq!(T::RuleThreshold.fill(Lang::Zh, &[&"¥50,000"]), "门槛 ¥50,000");
    assert_eq!(T::RuleThreshold.fill(Lang::Zh, &[&"−1,000"]), "门槛 −1,000");
    assert_eq!(T::NotFoundBody.fill(Lang::Zh, &[&"/nowhere"]), "找不到地址 /nowhere。它可能已被移动，或链接有误。");
    assert_eq!(T::OpenBranchOf.fill(Lang::Zh, &[&"华东分支.json", &"华东大区"]), "华东分支.json（华东大区的分支）");
    use sales_tiers::components::format::{coverage, percent, signed_money};
    // 86.666…% and 1.69× round; they used to be cut to 86.6% and 1.6×.
    assert_eq!(percent(Some(8_667)), "86.7%");
    assert_eq!(coverage(Some(169)), "1.7×");
    assert_eq!((percent(None), coverage(None)), ("—".to_string(), "—".to_string()));
    assert_eq!(signed_money(-30_060), "−301");
}

#[wasm_bindgen_test]
fn edits_are_stored_at_once_and_open_again() {
    let mut ws = demo();
    assert_eq!(store_and_reopen(&ws, now()), ws);
    // Each edit is one small journal entry, written before the call returns.
    let written = edit(&mut ws, &rename("一 / one"), now()).unwrap();
    assert!(written > 0 && written < 2_000, "{written} UTF-16 units for a rename");
    let unit = *ws.units.keys().nth(2).unwrap();
    edit(&mut ws, &Edit::RenameUnit { id: unit, name: sales_tiers_core::model::Text::both("华东 / East") }, now()).unwrap();
    assert_eq!(storage::open(now()).unwrap().workspace.unwrap(), ws, "a new tab sees both edits");
    // The whole origin is counted, other apps' keys included.
    let raw = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    raw.set_item("another-app", &"x".repeat(500)).unwrap();
    let u = storage::usage();
    assert!(u.document > 10_000 && u.journal > 0 && u.foreign >= 1_000, "{u:?}");
    clear();
}

#[wasm_bindgen_test]
fn damaged_chunks_are_repaired_or_quarantined_never_deleted() {
    let mut ws = demo();
    store_and_reopen(&ws, now());
    edit(&mut ws, &rename("after the first write"), now()).unwrap();
    let mut kv = LocalKv::open();
    let keys = kv.keys().unwrap();
    // One replica of every chunk garbled: the other opens, and the damage is repaired.
    for k in keys.iter().filter(|k| log::is_chunk_key(k) && k.ends_with(":0")) {
        kv.set(k, "{\"type\":\"sales-tiers\",\"oops\":").unwrap();
    }
    let opened = storage::open(now()).unwrap();
    assert_eq!(opened.workspace.as_ref(), Some(&ws));
    assert!(opened.repaired > 0 && opened.quarantined.is_empty());
    // Both replicas of the journal entry garbled: its edit is gone, the rest
    // opens, and what could not be read is kept byte for byte in quarantine.
    let journal: Vec<String> = kv.keys().unwrap().into_iter().filter(|k| log::is_journal_key(k)).collect();
    assert_eq!(journal.len(), 2);
    for k in &journal {
        kv.set(k, "st1:4:garbled").unwrap();
    }
    let opened = storage::open(now()).unwrap();
    assert_eq!(opened.workspace.unwrap().settings.workspace_name, demo().settings.workspace_name);
    assert_eq!(opened.quarantined.len(), 2);
    let q = opened.quarantined[0].key.clone().unwrap();
    assert!(q.starts_with(QUARANTINE_PREFIX));
    assert_eq!(kv.get(&q).unwrap().as_deref(), Some("st1:4:garbled"), "raw kept byte for byte");
    assert_eq!(storage::quarantine_keys().len(), 2);
    clear();
}

/// Reads the store as the app's start does (a few chunks per task, the
/// checksums by the platform's SHA-256), until it
/// hands over.
async fn read_ahead() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        storage::read_ahead(move || {
            resolve.call0(&wasm_bindgen::JsValue::NULL).unwrap();
        })
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_start_checks_each_chunk_with_the_platforms_hash_and_repairs_an_edited_one() {
    assert!(web_sys::window().unwrap().is_secure_context(), "WebCrypto is there to be used");
    let mut ws = demo();
    store_and_reopen(&ws, now());
    edit(&mut ws, &rename("in the journal"), now()).unwrap();
    let mut kv = LocalKv::open();
    // One replica of a bucket and of the journal entry edited under their
    // headers: they unpack and read, and only the checksum tells.
    let edited: Vec<String> =
        kv.keys().unwrap().into_iter().filter(|k| log::is_chunk_key(k) && !log::is_journal_key(k) && k.ends_with(":0")).take(1).collect();
    let edited: Vec<String> =
        edited.into_iter().chain(kv.keys().unwrap().into_iter().filter(|k| log::is_journal_key(k) && k.ends_with(":0"))).collect();
    assert_eq!(edited.len(), 2);
    for k in &edited {
        let text = store::pack::unpack(&kv.get(k).unwrap().unwrap()).unwrap();
        let (head, body) = text.split_once('\n').unwrap();
        kv.set(k, &store::pack::pack(&format!("{head}\n[ {}", &body[1..]))).unwrap();
    }
    read_ahead().await;
    // Every intact chunk's sum matched (the document opens whole, with the
    // journal's edit), and each edited replica was told and rewritten from its twin.
    let opened = storage::open(now()).unwrap();
    assert_eq!(opened.workspace.as_ref(), Some(&ws));
    assert!(opened.quarantined.is_empty());
    assert_eq!(opened.repaired, 2);
    for k in &edited {
        let twin = format!("{}1", &k[..k.len() - 1]);
        assert_eq!(kv.get(k).unwrap(), kv.get(&twin).unwrap(), "{k} rewritten from {twin}");
    }
    // Both replicas of the journal entry edited: quarantined, the rest opens.
    for k in kv.keys().unwrap().into_iter().filter(|k| log::is_journal_key(k)) {
        let text = store::pack::unpack(&kv.get(&k).unwrap().unwrap()).unwrap();
        kv.set(&k, &store::pack::pack(&text.replacen("\n[", "\n[ ", 1))).unwrap();
    }
    read_ahead().await;
    let opened = storage::open(now()).unwrap();
    assert_eq!(opened.workspace.unwrap().settings.workspace_name, demo().settings.workspace_name);
    assert_eq!(opened.quarantined.len(), 2);
    assert!(opened.quarantined.iter().all(|q| q.error == sales_tiers_core::io::ImportError::ChecksumMismatch));
    clear();
}

#[wasm_bindgen_test]
fn a_store_that_does_not_open_is_not_a_first_run() {
    let ws = demo();
    store_and_reopen(&ws, now());
    let mut kv = LocalKv::open();
    // Every bucket garbled in both replicas: nothing opens.
    for k in kv.keys().unwrap().into_iter().filter(|k| log::is_chunk_key(k)) {
        kv.set(&k, "garbled").unwrap();
    }
    let opened = storage::open(now()).unwrap();
    assert!(opened.workspace.is_none());
    assert!(opened.unreadable, "never taken for a first run");
    // Starting anew keeps everything that was there, in quarantine.
    let before = storage::quarantine_keys().len();
    storage::write_all(&demo_at(at(DATES[0])), true).unwrap();
    assert!(storage::quarantine_keys().len() >= before);
    assert!(storage::open(now()).unwrap().workspace.is_some());
    clear();
}

#[wasm_bindgen_test]
fn the_previous_builds_storage_moves_without_loss() {
    // localStorage as the previous build left it (two slots and a pointer),
    // captured in Chromium and committed as a fixture.
    clear();
    let image: std::collections::BTreeMap<String, String> =
        serde_json::from_str(include_str!("../core/tests/fixtures/v1-localstorage.json")).unwrap();
    let raw = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    for (k, v) in &image {
        raw.set_item(k, v).unwrap();
    }
    let opened = storage::open(now()).unwrap();
    assert!(opened.migrated);
    let ws = opened.workspace.unwrap();
    assert_eq!(ws.settings.workspace_name, "Captured from the v1 layout");
    storage::write_all(&ws, false).unwrap();
    let kv = LocalKv::open();
    for k in [KEY_POINTER, KEY_SLOT_A, KEY_SLOT_B] {
        assert!(kv.get(k).unwrap().is_none(), "{k} removed once the new layout is down");
    }
    assert_eq!(storage::open(now()).unwrap().workspace.unwrap(), ws);
    clear();
}

#[wasm_bindgen_test]
fn a_full_storage_keeps_the_edit_in_memory_and_writes_it_when_space_returns() {
    let mut ws = demo();
    store_and_reopen(&ws, now());
    // Fill the rest of the origin's quota with junk.
    let raw = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let mut junk = 0;
    for size in [256 * 1024, 16 * 1024, 1024, 64] {
        let chunk = "x".repeat(size);
        loop {
            match raw.set_item(&format!("junk-{junk}"), &chunk) {
                Ok(()) => junk += 1,
                Err(e) => {
                    assert!(is_quota_error(&e), "unexpected error {e:?}");
                    break;
                }
            }
        }
    }
    let err = edit(&mut ws, &rename("while full"), now()).unwrap_err();
    assert_eq!(err, SaveError::Store(KvError::Quota));
    assert!(storage::has_pending(), "the edit waits in memory");
    assert_ne!(storage::open(now()).unwrap().workspace.unwrap().settings.workspace_name, "while full");
    // Space again: the next write carries the waiting cells.
    for i in 0..junk {
        raw.remove_item(&format!("junk-{i}")).unwrap();
    }
    storage::open(now()).unwrap();
    edit(&mut ws, &rename("while full"), now()).unwrap();
    assert!(!storage::has_pending());
    assert_eq!(storage::open(now()).unwrap().workspace.unwrap(), ws);
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
    // First run saved the demo; the tree shows what was saved.
    let saved = storage::open(now()).unwrap().workspace.unwrap();
    assert!(saved.meta.demo);
    let counts = sales_tiers_core::engine::org::unit_counts(&saved);
    let rows = host.query_selector_all("[data-testid=tree-row]").unwrap();
    assert_eq!(rows.length() as usize, saved.units.len(), "every unit of the demo in the tree");
    let root = saved.root().unwrap().id;
    let root_row = rows.get(0).unwrap().unchecked_into::<web_sys::Element>();
    assert_eq!(root_row.get_attribute("data-unit"), Some(root.to_string()), "the root comes first");
    let mut shown = std::collections::HashSet::new();
    for i in 0..rows.length() {
        let row = rows.get(i).unwrap().unchecked_into::<web_sys::Element>();
        let unit = sales_tiers_core::Id::parse(&row.get_attribute("data-unit").unwrap()).unwrap();
        assert!(shown.insert(unit), "{unit} shown twice");
        let headcount = row.query_selector("[data-testid=headcount]").unwrap().unwrap().text_content().unwrap();
        assert_eq!(headcount, counts[&unit].headcount.to_string(), "headcount of {}", saved.units[&unit].name.en);
    }
    // The root counts everyone who has not left.
    let current = saved.people.values().filter(|p| p.status != sales_tiers_core::model::Status::Left).count();
    assert_eq!(counts[&root].headcount, current);
    assert!(current > 0 && current < saved.people.len(), "the demo has a leaver");
    assert!(host.query_selector("[data-testid=demo-badge]").unwrap().is_some());
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
    let below = sales_tiers_core::engine::org::scope_units(&ws, region).len() - 1;
    assert!(below > 0);
    assert_eq!(fewer.len(), nodes.len() - below);
}

#[wasm_bindgen_test]
fn crm_data_round_trips_through_local_storage_and_csv_in_the_browser() {
    clear();
    let ws = demo();
    assert_eq!(ws.opportunities.len(), 200);
    let back = store_and_reopen(&ws, now());
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
fn deal_lines_updated_for_the_deals_an_edit_wrote_equal_lines_built_again() {
    use sales_tiers::components::crm::{deal_lines, update_deal_lines, DealEdits};
    use sales_tiers_core::edit::{OpportunityFields, PersonFields};
    let mut ws = demo();
    let region = ws.root().map(|r| r.id).and_then(|root| ws.units.values().find(|u| u.parent == Some(root)).map(|u| u.id)).unwrap();
    let stages: Vec<_> = ws.stages_in_order().iter().map(|s| s.id).collect();
    let people: Vec<_> = ws.people.keys().copied().collect();
    // People who manage no unit: moved, they change no unit.
    let reps: Vec<_> = people.iter().copied().filter(|p| ws.managed_unit(*p).is_none()).collect();
    let units: Vec<_> = ws.units.keys().copied().collect();
    let customer = *ws.customers.keys().next().unwrap();
    let scopes = [None, Some(sales_tiers_core::engine::org::scope_units(&ws, region))];
    let mut lines: Vec<_> = scopes.iter().map(|sc| deal_lines(&ws, sc.as_ref(), Lang::Zh)).collect();
    // A fixed walk through the deals: stage moves, amounts, owners in and out
    // of the region, closes, deletes, new deals and a batch of several; and
    // through their owners: renamed, moved to another unit (their deals in
    // or out of the region), a region renamed.
    let mut seed = 7u64;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    for step in 0..120u32 {
        let ids: Vec<_> = ws.opportunities.keys().copied().collect();
        let deal = ids[next(ids.len())];
        let mut fields = OpportunityFields::of(&ws.opportunities[&deal]);
        let edit = match step % 9 {
            0 => Edit::SetStage { id: deal, stage: stages[next(stages.len())], on: now().date_naive(), by: None },
            1 => {
                fields.amount = sales_tiers_core::model::Money(next(1_000_000) as i64 * 100);
                fields.owner = people[next(people.len())];
                Edit::UpdateOpportunity { id: deal, fields, on: now().date_naive(), by: None }
            }
            2 => Edit::DeleteOpportunity { id: deal },
            3 => {
                fields.customer = customer;
                fields.name = format!("New {step}");
                Edit::AddOpportunity {
                    id: sales_tiers_core::Id::from_random_bytes((0xdea1_0000 + step as u128).to_be_bytes()),
                    fields,
                    by: None,
                }
            }
            4 => Edit::Batch {
                edits: (0..3)
                    .map(|_| Edit::SetStage {
                        id: ids[next(ids.len())],
                        stage: stages[next(stages.len())],
                        on: now().date_naive(),
                        by: None,
                    })
                    .collect(),
            },
            5 => {
                fields.close_date = fields.close_date + chrono::Days::new(next(90) as u64);
                Edit::UpdateOpportunity { id: deal, fields, on: now().date_naive(), by: None }
            }
            6 => {
                // The owner of a deal renamed (the lines show owners' names).
                let owner = ws.opportunities[&deal].owner;
                let Some(p) = ws.people.get(&owner) else { continue };
                let mut f = PersonFields::of(p);
                f.name.zh = format!("改名{step}");
                Edit::UpdatePerson { id: owner, fields: f }
            }
            7 => Edit::MovePerson { id: reps[next(reps.len())], unit: units[next(units.len())] },
            _ => {
                Edit::RenameUnit { id: region, name: sales_tiers_core::model::Text::new(format!("区域{step}"), format!("Region {step}")) }
            }
        };
        let Ok(patch) = apply(&mut ws, &edit, now()) else { continue };
        // What the app notes of the edit (see AppState::wrote).
        let mut edits = DealEdits::default();
        edits.note(&patch.cells(&ws), patch.labels_only(&ws));
        let changed = edits.deals(&ws).unwrap_or_else(|| panic!("step {step}: {edit:?} changes only some lines"));
        for (sc, l) in scopes.iter().zip(lines.iter_mut()) {
            update_deal_lines(l, &ws, sc.as_ref(), Lang::Zh, &changed);
            assert_eq!(*l, deal_lines(&ws, sc.as_ref(), Lang::Zh), "step {step}: {edit:?}");
        }
    }
    // The walk changed the lines, in both scopes, and left some out of the region.
    assert!(lines[0].len() > lines[1].len() && !lines[1].is_empty());
}

/// Every statement's own equations: a settlement is the sum of its lines, a
/// person's total the sum of their settlements, pool shares and SPIFs, the
/// run's total the sum of the people's and of the top unit's subtree.
fn assert_statements_add_up(p: &sales_tiers_core::engine::perf::Payouts, root: sales_tiers_core::Id, what: &str) {
    for (id, s) in &p.people {
        for x in &s.settlements {
            assert_eq!(x.payout.lines.iter().map(|l| l.amount).sum::<i64>(), x.payout.total, "{what} {id:?}: settlement lines");
        }
        let lines: i64 = s.settlements.iter().map(|x| x.payout.total).sum::<i64>()
            + s.pools.iter().map(|p| p.amount).sum::<i64>()
            + s.spifs.iter().map(|x| x.amount).sum::<i64>();
        assert_eq!(lines, s.total, "{what} {id:?}");
    }
    assert_eq!(p.people.values().map(|s| s.total).sum::<i64>(), p.total, "{what}: people add up to the total");
    assert_eq!(p.units.get(&root).copied(), Some(p.total), "{what}: the top unit's subtree is everyone");
}

/// Pillar-3 records survive localStorage, and the wasm engine's statements
/// of the loaded copy are those computed before saving. A seeded change
/// (one paid bonus pool raised by 1.00) must move the total by exactly
/// that much and must be what loads: a save that dropped it, a load that
/// opened the older slot, or an engine that ignored the data fails here.
#[wasm_bindgen_test]
async fn pillar_3_records_round_trip_and_statements_compute_in_the_browser() {
    use sales_tiers_core::calendar::Period;
    use sales_tiers_core::engine::perf::payouts;
    for when in [DATES[1], DATES[2]].map(at) {
        breathe().await;
        clear();
        let ws = demo_at(when);
        assert!(!ws.incentive_plans.is_empty() && !ws.pools.is_empty() && !ws.spifs.is_empty() && !ws.scorecards.is_empty());
        let today = when.date_naive();
        let root = ws.root().unwrap().id;
        let year = sales_tiers_core::calendar::fiscal_year_of(today, ws.settings.fiscal_year_start_month);
        let run =
            |w: &Workspace| payouts(w, &sales_tiers_core::engine::index::Index::new(w), &w.incentive_plans, year, Period::Year, today);
        let before = run(&ws);
        assert_statements_add_up(&before, root, &format!("{when} demo"));
        assert!(before.total > 0, "{when}: the demo pays something in its year");
        // A pool paid out in full with a member below the member cap: a
        // raise of 1.00 must reach that member (a pool whose members are all
        // capped would keep it).
        let mut paid: std::collections::BTreeMap<sales_tiers_core::Id, (i64, i64)> = Default::default();
        for s in before.people.values() {
            for share in &s.pools {
                // Only members with a weight and a score take part in the split.
                let takes_part = share.weight > 0 && share.score_bp > 0;
                let room = ws.pools[&share.pool].member_cap.map_or(i64::MAX, |c| c.0 - share.amount);
                let e = paid.entry(share.pool).or_insert((0, 0));
                e.0 += share.amount;
                if takes_part {
                    e.1 = e.1.max(room);
                }
            }
        }
        let raise = 100;
        let pool = *paid
            .iter()
            .find(|(id, (sum, room))| ws.pools[*id].amount.0 == *sum && *sum > 0 && *room >= raise)
            .expect("a bonus pool paid in full with room under its member cap")
            .0;
        let mut changed = ws.clone();
        changed.pools.get_mut(&pool).unwrap().amount.0 += raise;
        breathe().await;
        let expected = run(&changed);
        assert_statements_add_up(&expected, root, &format!("{when} changed"));
        assert_eq!(expected.total, before.total + raise, "{when}: the raised pool is paid out in full");

        breathe().await;
        store_and_reopen(&ws, when);
        let back = store_and_reopen(&changed, when);
        assert_eq!(back.scorecards, changed.scorecards);
        assert_eq!(back.incentive_plans, changed.incentive_plans);
        assert_eq!(back.pools, changed.pools);
        assert_eq!(back.spifs, changed.spifs);
        assert_eq!(back.kpi_entries, changed.kpi_entries);
        assert_eq!(back.performance, changed.performance);
        breathe().await;
        let after = run(&back);
        assert_eq!(after.total, expected.total, "{when}: the loaded copy pays what was saved");
        assert!(after.people == expected.people, "{when}: every statement of the loaded copy is the one computed before saving");
        assert!(after.units == expected.units, "{when}: unit totals too");
    }
    clear();
}

/// Signing keys live in this browser's storage under the person's id; a
/// key made from the browser's CSPRNG signs in wasm, the signature checks,
/// and a file locked here (Argon2id, 19 MiB, in wasm memory) opens with its
/// passphrase only.
#[wasm_bindgen_test]
fn a_signing_key_is_kept_here_and_signs_and_locks_in_wasm() {
    use sales_tiers_core::io::{self, lock, seal};
    clear();
    let ws = demo();
    let director = ws.root().unwrap().manager.unwrap();
    let me = sales_tiers_core::model::Sender { id: director, name: ws.people[&director].name.clone() };
    assert!(storage::signing_key(director).is_none());
    let a: [u8; 32] = sales_tiers::browser::random_bytes().expect("web crypto gives random bytes");
    let b: [u8; 32] = sales_tiers::browser::random_bytes().unwrap();
    assert_ne!(a, b, "two draws differ");
    let kf = seal::KeyFile::new(&seal::KeyPair::from_seed(a), me.clone(), now());
    storage::set_signing_key(&kf).unwrap();
    let back = storage::signing_key(director).expect("stored");
    assert_eq!(back, kf);
    // Kept under its own key, outside the document's cells.
    let raw = web_sys::window().unwrap().local_storage().unwrap().unwrap().get_item(&format!("sales-tiers:key:{director}")).unwrap();
    assert!(raw.is_some_and(|t| t.contains(&kf.public.to_text())));

    let text = seal::sign(&io::write(&ws, now(), false), &back.pair().unwrap(), Some(me), now()).unwrap();
    let signed = seal::check(&text).unwrap().expect("signed");
    assert_eq!(signed.key, kf.public);
    assert_eq!(io::read(&text).unwrap().1.signed, Some(signed));

    let salt: [u8; 16] = sales_tiers::browser::random_bytes().unwrap();
    let nonce: [u8; 24] = sales_tiers::browser::random_bytes().unwrap();
    let locked = lock::lock(text.as_bytes(), lock::Content::Workspace, "a long passphrase", lock::Cost::DEFAULT, salt, nonce).unwrap();
    assert_eq!(lock::unlock(&locked, "another passphrase").unwrap_err(), lock::LockError::WrongPassphrase);
    let (_, plain) = lock::unlock(&locked, "a long passphrase").unwrap();
    assert_eq!(std::str::from_utf8(&plain).unwrap(), text);
    clear();
}

#[wasm_bindgen_test]
fn the_browser_store_tells_a_values_size_as_the_quota_counts_it() {
    clear();
    let mut kv = LocalKv::open();
    // Chinese, an astral character (two UTF-16 units) and ASCII.
    let value = "华东区 𠀀 East";
    kv.set("sales-tiers:test-size", value).unwrap();
    kv.set("length", "a key named like a Storage property").unwrap();
    assert_eq!(kv.size("sales-tiers:test-size").unwrap(), Some(value.encode_utf16().count()));
    assert_eq!(kv.size("length").unwrap(), Some("a key named like a Storage property".encode_utf16().count()));
    assert_eq!(kv.size("sales-tiers:no-such-key").unwrap(), None);
    // The use figures equal every key and value counted from the values themselves.
    let counted: usize =
        kv.keys().unwrap().iter().map(|k| (k.encode_utf16().count() + kv.get(k).unwrap().unwrap().encode_utf16().count()) * 2).sum();
    let u = store::usage(&kv).unwrap();
    assert_eq!(u.document + u.journal + u.backup + u.quarantine + u.other + u.foreign, counted);
    clear();
}

/// Waits for the browser's next frame (what `reveal` steps after).
async fn next_frame() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().request_animation_frame(&resolve).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

/// A list of `n` rows shown through `reveal`, as the long pages do.
#[leptos::component]
fn RevealList(items: leptos::prelude::RwSignal<Vec<usize>>) -> impl leptos::prelude::IntoView {
    use leptos::prelude::*;
    let shown = sales_tiers::components::reveal::reveal(move || items.with_untracked(|v| v.len()));
    view! {
        <ul>
            <For each=move || { let n = shown.get(); items.with(|v| v.iter().take(n).copied().collect::<Vec<_>>()) } key=|x| *x let:x>
                <li data-row=x.to_string()>{x}</li>
            </For>
        </ul>
    }
}

#[wasm_bindgen_test]
async fn a_long_list_shows_a_screenful_first_then_every_row_once() {
    use leptos::prelude::*;
    let doc = web_sys::window().unwrap().document().unwrap();
    let host = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    let items = RwSignal::new((0..300).collect::<Vec<usize>>());
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), move || view! { <RevealList items=items/> });
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL)).await.unwrap();
    let rows = || -> Vec<usize> {
        let list = host.query_selector_all("li").unwrap();
        (0..list.length())
            .map(|i| list.get(i).unwrap().unchecked_into::<web_sys::Element>().get_attribute("data-row").unwrap().parse().unwrap())
            .collect()
    };
    let first = rows();
    assert!(!first.is_empty() && first.len() < 300, "a first part at once, not all 300: {}", first.len());
    assert_eq!(first, (0..first.len()).collect::<Vec<_>>(), "the first rows, in order");
    // The rest come in later tasks, each row once and in order.
    let mut seen = first.len();
    for _ in 0..300 {
        if rows().len() == 300 {
            break;
        }
        next_frame().await;
        breathe().await;
        let now = rows().len();
        assert!(now >= seen, "rows are only added while the list is revealed");
        seen = now;
    }
    assert_eq!(rows(), (0..300).collect::<Vec<_>>());
    // Once whole (known at the step after the last paint), a list that grows
    // shows its new rows at once.
    next_frame().await;
    breathe().await;
    items.update(|v| v.extend(300..350));
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL)).await.unwrap();
    assert_eq!(rows(), (0..350).collect::<Vec<_>>());
    drop(handle);
    // Its timers find the list gone and stop (nothing to panic on).
    breathe().await;
    host.remove();
}

/// A list keyed by the names its rows draw once, each row read through
/// `Rows` (as Targets and Budget draw their units).
#[leptos::component]
fn NamedRows(lang: leptos::prelude::RwSignal<Lang>) -> impl leptos::prelude::IntoView {
    use leptos::prelude::*;
    let names = Memo::new(move |_| {
        let zh = lang.get() == Lang::Zh;
        (0..20u32).map(|i| (i, if zh { format!("单位{i}") } else { format!("Unit {i}") })).collect::<std::collections::BTreeMap<_, _>>()
    });
    let rows_of = sales_tiers::components::rows::Rows::new(names, |m, k| m.get(k));
    view! {
        <ul>
            <For each=move || names.with(|m| m.iter().map(|(k, n)| (*k, n.clone())).collect::<Vec<_>>())
                key=|x| x.clone() children=move |(k, _)| {
                    let row = rows_of.signal(k);
                    view! { <li>{row.get_untracked().unwrap_or_default()}</li> }
                }/>
        </ul>
    }
}

#[wasm_bindgen_test]
async fn a_row_built_in_the_change_that_keyed_it_draws_the_map_as_it_is_now() {
    use leptos::prelude::*;
    let microtask = || wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL));
    // Every row of a list keyed by its name shows the language chosen,
    // however the effects are ordered.
    let doc = web_sys::window().unwrap().document().unwrap();
    let host = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    let lang = RwSignal::new(Lang::En);
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), move || view! { <NamedRows lang=lang/> });
    microtask().await.unwrap();
    let drawn = || host.query_selector_all("li").unwrap().length();
    let text = || host.text_content().unwrap_or_default();
    assert_eq!(drawn(), 20);
    assert!(text().contains("Unit 7"), "{}", text());
    for (l, want, not) in [(Lang::Zh, "单位", "Unit"), (Lang::En, "Unit", "单位"), (Lang::Zh, "单位", "Unit")] {
        lang.set(l);
        for _ in 0..3 {
            microtask().await.unwrap();
        }
        breathe().await;
        assert_eq!(drawn(), 20);
        assert!(text().contains(want) && !text().contains(not), "{l:?}: {}", text());
    }
    drop(handle);
    host.remove();
    // The row signal, asked for right after the map changed (before the
    // effect that sets the rows has had its turn), is the map's row now.
    let owner = Owner::new();
    owner.with(|| {
        let source = RwSignal::new(std::collections::HashMap::from([(1u32, "Unit".to_string())]));
        let all = Memo::new(move |_| source.get());
        let rows_of = sales_tiers::components::rows::Rows::new(all, |m, k| m.get(k));
        assert_eq!(rows_of.signal(1).get_untracked().as_deref(), Some("Unit"));
        source.update(|m| drop(m.insert(1, "单位".to_string())));
        assert_eq!(rows_of.signal(1).get_untracked().as_deref(), Some("单位"));
        source.update(|m| drop(m.remove(&1)));
        assert_eq!(rows_of.signal(1).get_untracked(), None);
    });
    drop(owner);
}

/// Mounts a `KeySelect` of `n` choices ("k0"… labelled "Person 0"…) showing
/// `value`; returns the select and the mount's handle.
fn long_select(n: usize, value: leptos::prelude::RwSignal<String>) -> (web_sys::HtmlSelectElement, web_sys::Element, impl Sized) {
    use leptos::prelude::*;
    use sales_tiers::components::filters::KeySelect;
    let doc = web_sys::window().unwrap().document().unwrap();
    let host = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    let choices: Vec<(String, String)> = (0..n).map(|i| (format!("k{i}"), format!("Person {i}"))).collect();
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), move || {
        let first = Some(Signal::derive(|| "Everyone".to_string()));
        view! { <KeySelect choices=Signal::derive(move || choices.clone()) value=value on_change=Callback::new(move |k| value.set(k)) testid="long" first=first first_key=""/> }
    });
    let select = host.query_selector("select").unwrap().unwrap().unchecked_into();
    (select, host, handle)
}

#[wasm_bindgen_test]
async fn a_long_select_shows_its_choice_at_once_and_every_choice_once_painted_or_used() {
    use leptos::prelude::*;
    let microtask = || wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL));
    let texts = |s: &web_sys::HtmlSelectElement| (0..s.length()).map(|i| s.item(i).unwrap().text_content().unwrap()).collect::<Vec<_>>();
    let whole: Vec<String> = std::iter::once("Everyone".to_string()).chain((0..300).map(|i| format!("Person {i}"))).collect();

    // Left alone: the choice shows at once, the whole list follows the paint.
    let value = RwSignal::new("k150".to_string());
    let (select, host, handle) = long_select(300, value);
    microtask().await.unwrap();
    assert_eq!(select.value(), "k150");
    assert!(select.length() < 300, "the list waits for the paint: {}", select.length());
    for _ in 0..100 {
        if select.length() as usize == whole.len() {
            break;
        }
        next_frame().await;
        breathe().await;
    }
    assert_eq!(texts(&select), whole);
    assert_eq!(select.value(), "k150");
    drop(handle);
    host.remove();

    // Used before that: focused (Tab, a click), it has every choice at once.
    let value = RwSignal::new("k3".to_string());
    let (select, host, handle) = long_select(300, value);
    microtask().await.unwrap();
    select.focus().unwrap();
    assert_eq!(texts(&select), whole);
    assert_eq!(select.value(), "k3");
    // And a choice made in it is reported.
    select.set_value("k299");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    assert_eq!(value.get_untracked(), "k299");
    drop(handle);
    host.remove();

    // Given another value before that (back, a link): shown, with every choice.
    let value = RwSignal::new("k3".to_string());
    let (select, host, handle) = long_select(300, value);
    microtask().await.unwrap();
    value.set("k42".to_string());
    microtask().await.unwrap();
    assert_eq!(select.value(), "k42");
    assert_eq!(texts(&select), whole);
    drop(handle);
    host.remove();

    // A short list is written whole at once.
    let value = RwSignal::new("k1".to_string());
    let (select, host, handle) = long_select(20, value);
    microtask().await.unwrap();
    assert_eq!(select.length(), 21);
    assert_eq!(select.value(), "k1");
    drop(handle);
    host.remove();
}
