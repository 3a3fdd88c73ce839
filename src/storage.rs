//! The one place that touches localStorage. It adapts the browser's storage
//! to core's `Kv` trait; the save / load protocol itself lives in
//! `sales_tiers_core::store` and is tested natively.

use gloo_storage::{LocalStorage, Storage};
use sales_tiers_core::store::{self, Kv, KvError, Loaded, SaveError};
use sales_tiers_core::{Lang, Workspace};
use wasm_bindgen::{JsCast, JsValue};

const KEY_UI_LANG: &str = "sales-tiers:ui-lang";

/// localStorage as a `Kv`.
pub struct LocalKv {
    raw: web_sys::Storage,
}

impl LocalKv {
    pub fn open() -> LocalKv {
        LocalKv { raw: LocalStorage::raw() }
    }
}

/// QuotaExceededError (code 22, or the name in newer browsers).
pub fn is_quota_error(e: &JsValue) -> bool {
    e.dyn_ref::<web_sys::DomException>().map(|d| d.name() == "QuotaExceededError" || d.code() == 22).unwrap_or(false)
}

fn other(e: JsValue) -> KvError {
    if is_quota_error(&e) {
        KvError::Quota
    } else {
        KvError::Other(e.as_string().unwrap_or_else(|| format!("{e:?}")))
    }
}

impl Kv for LocalKv {
    fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        self.raw.get_item(key).map_err(other)
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError> {
        self.raw.set_item(key, value).map_err(other)
    }
    fn remove(&mut self, key: &str) -> Result<(), KvError> {
        self.raw.remove_item(key).map_err(other)
    }
    fn keys(&self) -> Result<Vec<String>, KvError> {
        let n = self.raw.length().map_err(other)?;
        let mut out = Vec::with_capacity(n as usize);
        for i in 0..n {
            if let Some(k) = self.raw.key(i).map_err(other)? {
                out.push(k);
            }
        }
        Ok(out)
    }
}

pub fn load(now: chrono::DateTime<chrono::Utc>) -> Result<Loaded, KvError> {
    store::load(&mut LocalKv::open(), now)
}

/// Saves crash-safely; returns the bytes written.
pub fn save(ws: &Workspace, now: chrono::DateTime<chrono::Utc>) -> Result<usize, SaveError> {
    store::save(&mut LocalKv::open(), ws, now)
}

pub fn backup_previous(ws: &Workspace, now: chrono::DateTime<chrono::Utc>) -> Result<(), KvError> {
    store::backup_previous(&mut LocalKv::open(), ws, now)
}

pub fn load_previous() -> Option<Result<Workspace, sales_tiers_core::io::ImportError>> {
    store::load_previous(&LocalKv::open()).ok().flatten()
}

pub fn quarantine_keys() -> Vec<(String, usize)> {
    store::quarantine_keys(&LocalKv::open()).unwrap_or_default()
}

pub fn read_raw(key: &str) -> Option<String> {
    LocalKv::open().get(key).ok().flatten()
}

/// Removes a quarantined entry: only ever on the user's explicit request.
pub fn discard_quarantined(key: &str) {
    if key.starts_with(store::QUARANTINE_PREFIX) {
        let _ = LocalKv::open().remove(key);
    }
}

/// Total size of everything this app keeps, in bytes as browsers count
/// (UTF-16), to show against the ~5 MB per-site limit.
pub fn bytes_used() -> usize {
    let kv = LocalKv::open();
    kv.keys()
        .unwrap_or_default()
        .into_iter()
        .filter(|k| k.starts_with(store::PREFIX))
        .map(|k| (k.encode_utf16().count() + kv.get(&k).ok().flatten().map(|v| v.encode_utf16().count()).unwrap_or(0)) * 2)
        .sum()
}

pub fn ui_lang() -> Option<Lang> {
    LocalStorage::get::<String>(KEY_UI_LANG).ok().map(|t| Lang::from_tag(&t))
}

pub fn set_ui_lang(lang: Lang) {
    // A preference; if storage is full the choice still applies for this session.
    let _ = LocalStorage::set(KEY_UI_LANG, lang.tag());
}
