//! The crash-safe save / load protocol over a key-value store.
mod common;
use common::*;
use sales_tiers_core::edit::SettingsPatch;
use sales_tiers_core::io::ImportError;
use sales_tiers_core::store::{self, Kv, KvError, MemKv, SaveError, KEY_POINTER, KEY_SLOT_A, KEY_SLOT_B};
use sales_tiers_core::{apply, Edit};

fn renamed(n: &str) -> sales_tiers_core::Workspace {
    let mut ws = demo();
    apply(&mut ws, &Edit::UpdateSettings(SettingsPatch { workspace_name: Some(n.into()), ..Default::default() }), later(1)).unwrap();
    ws
}

#[test]
fn save_alternates_slots_and_load_reads_the_latest() {
    let mut kv = MemKv::default();
    assert!(store::load(&mut kv, t0()).unwrap().workspace.is_none());
    store::save(&mut kv, &renamed("one"), t0()).unwrap();
    assert_eq!(kv.get(KEY_POINTER).unwrap().as_deref(), Some(KEY_SLOT_A));
    store::save(&mut kv, &renamed("two"), t0()).unwrap();
    assert_eq!(kv.get(KEY_POINTER).unwrap().as_deref(), Some(KEY_SLOT_B));
    let loaded = store::load(&mut kv, t0()).unwrap();
    assert_eq!(loaded.workspace.unwrap().settings.workspace_name, "two");
    assert!(loaded.quarantined.is_empty());
}

#[test]
fn a_crash_midway_through_a_save_leaves_the_previous_copy() {
    let mut kv = MemKv::default();
    store::save(&mut kv, &renamed("good"), t0()).unwrap();
    // Simulate a tab closed after the slot write started but before the
    // pointer moved: the other slot holds half a document.
    let full = sales_tiers_core::io::write(&renamed("new"), t0(), false);
    kv.set(KEY_SLOT_B, &full[..full.len() / 2]).unwrap();
    let loaded = store::load(&mut kv, t0()).unwrap();
    assert_eq!(loaded.workspace.unwrap().settings.workspace_name, "good");
    // The pointer never moved, so the torn slot was not even read.
    assert!(loaded.quarantined.is_empty());
}

#[test]
fn a_corrupt_current_slot_is_quarantined_and_the_other_opened() {
    let mut kv = MemKv::default();
    store::save(&mut kv, &renamed("older"), t0()).unwrap();
    store::save(&mut kv, &renamed("newer"), t0()).unwrap();
    // A value changed inside an otherwise well-formed copy: the checksum catches it.
    let text = store::stored_text(&kv.get(KEY_SLOT_B).unwrap().unwrap()).unwrap();
    let changed = text.replacen("\"workspace_name\":\"newer\"", "\"workspace_name\":\"NEWER\"", 1);
    assert_ne!(changed, text);
    let damaged = store::pack::pack(&changed);
    kv.set(KEY_SLOT_B, &damaged).unwrap();
    let loaded = store::load(&mut kv, later(9)).unwrap();
    assert_eq!(loaded.workspace.unwrap().settings.workspace_name, "older");
    assert_eq!(loaded.quarantined.len(), 1);
    let q = &loaded.quarantined[0];
    assert_eq!(q.error, ImportError::ChecksumMismatch);
    let key = q.key.clone().unwrap();
    assert!(key.starts_with("sales-tiers:quarantine:2026-11-27T09:00:09"), "{key}");
    assert_eq!(kv.get(&key).unwrap().unwrap(), damaged, "raw data kept byte for byte");
    assert_eq!(kv.get(KEY_POINTER).unwrap().as_deref(), Some(KEY_SLOT_A));
    // The next save reuses the bad slot; the quarantined copy stays.
    store::save(&mut kv, &renamed("next"), later(10)).unwrap();
    assert_eq!(kv.get(&key).unwrap().unwrap(), damaged);
    assert_eq!(store::quarantine_keys(&kv).unwrap().len(), 1);
}

#[test]
fn garbage_in_both_slots_opens_nothing_and_deletes_nothing() {
    let mut kv = MemKv::default();
    kv.set(KEY_SLOT_A, "not json").unwrap();
    kv.set(KEY_SLOT_B, "{\"type\":\"sales-tiers\",\"version\":99}").unwrap();
    kv.set(KEY_POINTER, KEY_SLOT_B).unwrap();
    let loaded = store::load(&mut kv, t0()).unwrap();
    assert!(loaded.workspace.is_none());
    assert_eq!(loaded.quarantined.len(), 2);
    assert!(matches!(loaded.quarantined[0].error, ImportError::NewerVersion { found: 99, .. }));
    assert!(matches!(loaded.quarantined[1].error, ImportError::NotJson { .. }));
    assert_eq!(kv.get(KEY_SLOT_A).unwrap().as_deref(), Some("not json"));
}

#[test]
fn a_full_store_fails_loudly_and_keeps_the_last_good_copy() {
    let mut kv = MemKv::default();
    store::save(&mut kv, &demo(), t0()).unwrap();
    let used: usize = kv.map.iter().map(|(k, v)| (k.len() + v.len()) * 2).sum();
    kv.quota = Some(used + 1000);
    let big = sales_tiers_core::demo::generate(&sales_tiers_core::demo::DemoOptions {
        people: 2000,
        ..sales_tiers_core::demo::DemoOptions::new(t0())
    });
    let err = store::save(&mut kv, &big, t0()).unwrap_err();
    assert_eq!(err, SaveError::Store(KvError::Quota));
    assert!(err.is_quota());
    assert!(err.message(sales_tiers_core::Lang::En).contains("Export"));
    assert_eq!(store::load(&mut kv, t0()).unwrap().workspace.unwrap(), demo());
}

#[test]
fn quarantine_that_cannot_be_copied_still_keeps_the_raw_text_in_memory() {
    let mut kv = MemKv::default();
    store::save(&mut kv, &renamed("a"), t0()).unwrap();
    store::save(&mut kv, &renamed("b"), t0()).unwrap();
    kv.set(KEY_SLOT_B, "{broken").unwrap();
    let used: usize = kv.map.iter().map(|(k, v)| (k.encode_utf16().count() + v.encode_utf16().count()) * 2).sum();
    kv.quota = Some(used + 10);
    let loaded = store::load(&mut kv, t0()).unwrap();
    assert_eq!(loaded.quarantined[0].key, None);
    assert_eq!(loaded.quarantined[0].raw, "{broken");
    // The pointer stays on the bad slot so the next save does not overwrite it.
    assert_eq!(kv.get(KEY_POINTER).unwrap().as_deref(), Some(KEY_SLOT_B));
}

#[test]
fn previous_workspace_backup_round_trips() {
    let mut kv = MemKv::default();
    assert!(store::load_previous(&kv).unwrap().is_none());
    store::backup_previous(&mut kv, &renamed("before import"), t0()).unwrap();
    let prev = store::load_previous(&kv).unwrap().unwrap().unwrap();
    assert_eq!(prev.settings.workspace_name, "before import");
}

#[test]
fn copies_are_stored_compact_and_plain_ones_still_load() {
    let mut kv = MemKv::default();
    let ws = demo();
    let units = store::save(&mut kv, &ws, t0()).unwrap();
    let raw = kv.get(KEY_SLOT_A).unwrap().unwrap();
    assert!(store::pack::is_packed(&raw));
    let plain = sales_tiers_core::io::write(&ws, t0(), false);
    // At least 4× smaller in the browser's own measure (UTF-16 code units).
    assert!(units * 4 < plain.encode_utf16().count(), "{units} vs {}", plain.len());
    // What an earlier build stored (plain JSON) still opens.
    let mut old = MemKv::default();
    old.set(KEY_SLOT_A, &plain).unwrap();
    old.set(KEY_POINTER, KEY_SLOT_A).unwrap();
    assert_eq!(store::load(&mut old, t0()).unwrap().workspace.unwrap(), ws);
    // A damaged compact copy is quarantined like any other bad copy.
    let mut bad = MemKv::default();
    let half: String = raw.chars().take(raw.chars().count() / 2).collect();
    bad.set(KEY_SLOT_A, &half).unwrap();
    let loaded = store::load(&mut bad, t0()).unwrap();
    assert!(loaded.workspace.is_none());
    assert_eq!(loaded.quarantined.len(), 1);
}
