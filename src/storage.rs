//! The one place that touches localStorage. It adapts the browser's storage
//! to core's `Kv` trait and keeps this tab's storage session; the protocol
//! itself (journal, buckets, replicas, stamps) lives in
//! `sales_tiers_core::store::log` and is tested natively.

use gloo_storage::{LocalStorage, Storage};
use sales_tiers_core::store::cells::CellKey;
use sales_tiers_core::store::log::{self, Compaction, Opened, Session, TakenIn};
use sales_tiers_core::store::{self, Kv, KvError, SaveError, Usage};
use sales_tiers_core::{Id, Lang, Workspace};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

const KEY_UI_LANG: &str = "sales-tiers:ui-lang";
/// "Who am I" in this browser, per workspace: `sales-tiers:me:<workspace id>`.
const KEY_ME: &str = "sales-tiers:me:";
/// A person's signing key in this browser (`io::seal::KeyFile`), by person id.
const KEY_SIGNING: &str = "sales-tiers:key:";

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
    /// The value's length read in the browser: megabytes of stored text are
    /// not copied into the app to be counted (the Data page's use figures).
    fn size(&self, key: &str) -> Result<Option<usize>, KvError> {
        use wasm_bindgen::JsCast;
        let get_item: js_sys::Function = js_sys::Reflect::get(&self.raw, &"getItem".into()).map_err(other)?.unchecked_into();
        let v = get_item.call1(&self.raw, &key.into()).map_err(other)?;
        Ok(v.dyn_into::<js_sys::JsString>().ok().map(|v| v.length() as usize))
    }
}

thread_local! {
    /// This tab's storage session (its writer id, stamps and pending cells)
    /// and the compaction round in progress.
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
    static ROUND: RefCell<Option<Compaction>> = const { RefCell::new(None) };
}

fn with_session<R>(f: impl FnOnce(&mut Session, &mut LocalKv) -> R) -> Option<R> {
    SESSION.with(|s| s.borrow_mut().as_mut().map(|session| f(session, &mut LocalKv::open())))
}

/// A random 64-bit id for this tab's writes.
fn writer_id() -> u64 {
    let b = crate::browser::new_id().0.into_bytes();
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

thread_local! {
    /// The store as read so far, before the app mounts ([`read_ahead`]).
    static OPENING: RefCell<Option<log::Opening>> = const { RefCell::new(None) };
}

/// How long one task of [`read_ahead`] reads before it yields to the browser.
const READ_TASK_MS: f64 = 40.0;

/// Opens the store a piece per browser task (the chunks read one by one,
/// then the document's records set in batches), yielding to the browser
/// whenever a task has run for [`READ_TASK_MS`], so that the page stays
/// responsive and paints while a large store opens; then calls `done`
/// (the app mounts, and its [`open`] hands over what was opened, opening
/// anew whatever another tab wrote in the meantime).
pub fn read_ahead(done: impl FnOnce() + 'static) {
    match log::Opening::start(&LocalKv::open()) {
        Ok(o) => {
            // The chunks' checksums by the platform's SHA-256, where the page may use it.
            let o = if subtle().is_some() { o.defer_checks() } else { o };
            OPENING.with(|x| *x.borrow_mut() = Some(o));
            read_task(Box::new(done), crate::browser::perf_now());
        }
        // The open reports the error.
        Err(_) => done(),
    }
}

fn read_task(done: Box<dyn FnOnce()>, since: f64) {
    read_on(done, since, crate::browser::perf_now());
}

/// Reads on, in the task that began at `t0`, for what is left of its time.
fn read_on(done: Box<dyn FnOnce()>, since: f64, t0: f64) {
    let kv = LocalKv::open();
    let mut more = || crate::browser::perf_now() - t0 < READ_TASK_MS;
    let finished = OPENING.with(|x| {
        let mut x = x.borrow_mut();
        let Some(o) = x.as_mut() else { return true };
        o.step(&kv, &mut more).unwrap_or_else(|_| {
            // Opened in one go by the open, which reports the error.
            *x = None;
            true
        })
    });
    if finished {
        crate::browser::span("read-store", since);
        done();
    } else if more() && OPENING.with(|x| x.borrow().as_ref().is_some_and(log::Opening::waiting)) {
        // Every chunk read: their sums, then the rest of the open, in this
        // task's time if the sums come back within it.
        wasm_bindgen_futures::spawn_local(async move {
            check_bodies().await;
            read_on(done, since, t0);
        });
    } else {
        leptos::prelude::set_timeout(move || read_task(done, since), std::time::Duration::ZERO);
    }
}

/// WebCrypto, in a secure context (https, or localhost).
fn subtle() -> Option<web_sys::SubtleCrypto> {
    let w = web_sys::window()?;
    w.is_secure_context().then(|| w.crypto().ok().map(|c| c.subtle())).flatten()
}

/// Hashes the bodies of the chunks read with the platform's SHA-256, all
/// asked at once, and hands the digests to the open (a quarter of the time
/// the wasm's own SHA-256 takes, at 1,000 people); any it did not give
/// are checked by the open itself.
async fn check_bodies() {
    let asked: Vec<(usize, Option<js_sys::Promise>)> = match subtle() {
        Some(subtle) => OPENING.with(|x| {
            let x = x.borrow();
            let bodies = x.as_ref().map(|o| o.to_check().collect::<Vec<_>>()).unwrap_or_default();
            bodies.into_iter().map(|(i, body)| (i, subtle.digest_with_str_and_u8_array("SHA-256", body.as_bytes()).ok())).collect()
        }),
        None => Vec::new(),
    };
    for (i, promise) in asked {
        let Some(p) = promise else { continue };
        if let Ok(digest) = wasm_bindgen_futures::JsFuture::from(p).await {
            let digest = js_sys::Uint8Array::new(&digest).to_vec();
            OPENING.with(|x| x.borrow_mut().as_mut().map(|o| o.checked(i, &digest)));
        }
    }
    OPENING.with(|x| x.borrow_mut().as_mut().map(log::Opening::check_rest_here));
}

/// Opens the store for this tab. The session stays here for every later
/// write; opening again (another tab replaced the workspace) starts anew.
pub fn open(now: chrono::DateTime<chrono::Utc>) -> Result<Opened, KvError> {
    let mut kv = LocalKv::open();
    let (session, opened) = match OPENING.with(|x| x.borrow_mut().take()) {
        Some(read) => read.finish(&mut kv, writer_id(), now)?,
        None => log::open(&mut kv, writer_id(), now)?,
    };
    SESSION.with(|s| *s.borrow_mut() = Some(session));
    ROUND.with(|r| *r.borrow_mut() = None);
    Ok(opened)
}

/// Writes the cells an edit changed, at once. Returns the UTF-16 units written.
pub fn commit(ws: &Workspace, cells: &[CellKey]) -> Result<usize, SaveError> {
    with_session(|s, kv| s.commit(kv, ws, cells)).unwrap_or(Ok(0))
}

/// Writes the whole document as a new epoch (first run, import, reset,
/// restore, the move from the previous layout). With `quarantine_first`,
/// whatever is stored and could not be opened is moved to quarantine first,
/// and put back if the new document is refused (the store stays as it was,
/// never an empty store that the next start would take for a first run).
pub fn write_all(ws: &Workspace, quarantine_first: bool) -> Result<usize, SaveError> {
    let now = crate::browser::now();
    let moved = if quarantine_first { log::quarantine_chunks(&mut LocalKv::open(), now)? } else { Vec::new() };
    let epoch = crate::browser::new_id();
    let result = noting_limit(with_session(|s, kv| s.write_all(kv, ws, epoch)).unwrap_or(Ok(0)));
    if result.is_err() && !moved.is_empty() {
        let _ = log::put_back_quarantined(&mut LocalKv::open(), &moved);
    }
    result
}

/// The backup as stored now, to put back if the replace it is taken for
/// is refused (see [`store::StoredBackup`]).
pub fn stored_backup() -> Option<store::StoredBackup> {
    store::StoredBackup::read(&LocalKv::open()).ok()
}

pub fn put_back_backup(earlier: &store::StoredBackup) {
    let _ = earlier.put_back(&mut LocalKv::open());
}

/// Takes in another tab's chunk (named by the `storage` event's key).
pub fn take_in(ws: &mut Workspace, key: &str) -> Result<TakenIn, KvError> {
    with_session(|s, kv| s.take_in(kv, ws, key)).unwrap_or_else(|| Ok(TakenIn::default()))
}

/// Writes back from memory what the store lost of this document (chunks
/// `keys` removed or spoiled elsewhere; None: read every bucket).
pub fn keep_whole(ws: &Workspace, keys: Option<&[String]>) -> Result<log::KeptWhole, SaveError> {
    noting_limit(with_session(|s, kv| s.keep_whole(kv, ws, keys)).unwrap_or_else(|| Ok(log::KeptWhole::default())))
}

/// Edits in memory whose write failed (a full store): a reason to hold the
/// page open.
pub fn has_pending() -> bool {
    with_session(|s, _| s.has_pending()).unwrap_or(false)
}

/// Something for a compaction to fold (a journal entry, a bucket stored
/// in more than one version).
pub fn compaction_due() -> bool {
    with_session(|s, kv| s.compaction_due(kv)).unwrap_or(false)
}

/// Journal entries waiting to be folded.
pub fn journal_len() -> usize {
    with_session(|s, kv| s.journal_len(kv)).unwrap_or(0)
}

/// One small compaction step (one bucket); true while there is more to do.
pub fn compact_step() -> Result<bool, SaveError> {
    ROUND.with(|r| with_session(|s, kv| s.compact_step(kv, &mut r.borrow_mut())).unwrap_or(Ok(false)))
}

/// Keeps the current workspace as the previous one (core's rule: made of
/// the stored chunks when they hold it and fit, else packed from memory).
pub fn backup_previous(ws: &Workspace, now: chrono::DateTime<chrono::Utc>) -> Result<(), SaveError> {
    let limit = limit_estimate();
    noting_limit(SESSION.with(|s| store::back_up(&mut LocalKv::open(), s.borrow().as_ref(), ws, now, limit)))
}

thread_local! {
    /// What the store held when it last refused a whole write: the site's real limit.
    static LEARNED_LIMIT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Passes a write's result on, keeping what the store held if it refused.
fn noting_limit<T>(r: Result<T, SaveError>) -> Result<T, SaveError> {
    if let Some(held) = r.as_ref().err().and_then(SaveError::held) {
        LEARNED_LIMIT.with(|l| l.set(l.get().max(held)));
    }
    r
}

/// About how much localStorage this browser gives the site (core's rule).
pub fn limit_estimate() -> usize {
    let ua = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    store::limit_estimate(&ua, LEARNED_LIMIT.with(|l| l.get()))
}

/// What the backup holds (name, people, last change), without reading it
/// whole when its summary is stored.
pub fn previous_summary() -> Option<Result<store::BackupSummary, sales_tiers_core::io::ImportError>> {
    store::previous_summary(&LocalKv::open()).ok().flatten()
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

/// What the whole origin's localStorage holds (other apps' keys included:
/// they share the quota), by kind.
pub fn usage() -> Usage {
    store::usage(&LocalKv::open()).unwrap_or_default()
}

/// Frees the previous-workspace backup and quarantined copies, on the
/// user's request. Returns the bytes freed.
pub fn free_space() -> Result<usize, KvError> {
    store::free_space(&mut LocalKv::open())
}

/// The person this browser's user is in workspace `ws` (chosen once, kept
/// here and never in the document), if they are still one of its people.
pub fn me(ws: &sales_tiers_core::Workspace) -> Option<sales_tiers_core::Id> {
    LocalStorage::get::<String>(format!("{KEY_ME}{}", ws.meta.id))
        .ok()
        .and_then(|t| sales_tiers_core::Id::parse(&t))
        .filter(|p| ws.people.contains_key(p))
}

pub fn set_me(ws: sales_tiers_core::Id, person: Option<sales_tiers_core::Id>) {
    let key = format!("{KEY_ME}{ws}");
    match person {
        // A preference: if it cannot be stored, the choice lasts this session.
        Some(p) => {
            let _ = LocalStorage::set(key, p.to_string());
        }
        None => LocalStorage::delete(key),
    }
}

/// This browser's signing key for `person`, if it has one. Kept in this
/// browser only (a backup file is locked with a passphrase).
pub fn signing_key(person: sales_tiers_core::Id) -> Option<sales_tiers_core::io::seal::KeyFile> {
    let text = LocalStorage::raw().get_item(&format!("{KEY_SIGNING}{person}")).ok().flatten()?;
    sales_tiers_core::io::seal::KeyFile::parse(&text).ok()
}

/// Stores a signing key; Err when storage refuses (full, disabled).
pub fn set_signing_key(key: &sales_tiers_core::io::seal::KeyFile) -> Result<(), String> {
    LocalStorage::raw()
        .set_item(&format!("{KEY_SIGNING}{}", key.person.id), &key.to_json())
        .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

pub fn ui_lang() -> Option<Lang> {
    LocalStorage::get::<String>(KEY_UI_LANG).ok().map(|t| Lang::from_tag(&t))
}

/// Whether due tasks raise a browser notification (a preference of this browser).
pub fn notify_tasks() -> bool {
    LocalStorage::get::<bool>("sales-tiers:notify-tasks").unwrap_or(false)
}

pub fn set_notify_tasks(on: bool) {
    let _ = LocalStorage::set("sales-tiers:notify-tasks", on);
}

/// The units folded on the organisation page, per workspace: a view of
/// this browser's, kept across visits (`sales-tiers:folded:<workspace id>`).
const KEY_FOLDED: &str = "sales-tiers:folded:";

pub fn folded(workspace: Id) -> Vec<Id> {
    LocalStorage::get::<Vec<Id>>(format!("{KEY_FOLDED}{workspace}")).unwrap_or_default()
}

pub fn set_folded(workspace: Id, units: &[Id]) {
    let key = format!("{KEY_FOLDED}{workspace}");
    // A view, not data: if storage is full it applies for this visit only.
    if units.is_empty() {
        LocalStorage::delete(key);
    } else {
        let _ = LocalStorage::set(key, units);
    }
}

pub fn set_ui_lang(lang: Lang) {
    // A preference; if storage is full the choice still applies for this session.
    let _ = LocalStorage::set(KEY_UI_LANG, lang.tag());
}

/// Runs `f` holding the Web Lock `name` when no other tab holds it (Web
/// Locks API); `f` gets a `done` to call when its work (which may span
/// several idle callbacks) is over. Without the API, `f` runs at once: the
/// storage protocol is safe without the lock, which only spares two tabs
/// from doing the same compaction.
pub fn with_lock_if_free(name: &str, f: impl FnOnce(Box<dyn FnOnce()>) + 'static) {
    request_lock(name, true, f)
}

/// Runs `f` under the Web Lock `name` once no other tab holds it (tabs
/// take turns), holding it until `f` calls `done`. Without the API, `f`
/// runs at once.
pub fn with_lock(name: &str, f: impl FnOnce(Box<dyn FnOnce()>) + 'static) {
    request_lock(name, false, f)
}

fn request_lock(name: &str, if_free: bool, f: impl FnOnce(Box<dyn FnOnce()>) + 'static) {
    let locks = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("locks")).ok())
        .filter(|l| !l.is_undefined());
    let Some(locks) = locks else {
        f(Box::new(|| {}));
        return;
    };
    let f = RefCell::new(Some(f));
    let callback = wasm_bindgen::closure::Closure::once_into_js(move |lock: JsValue| -> JsValue {
        if lock.is_null() {
            // Another tab holds it: it is doing the work.
            return JsValue::UNDEFINED;
        }
        let Some(f) = f.borrow_mut().take() else { return JsValue::UNDEFINED };
        // The lock is held until this promise settles: `done` resolves it.
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let done: Box<dyn FnOnce()> = Box::new(move || {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            });
            // `f` may not run yet inside the executor: hand it over now.
            F.with(|slot| *slot.borrow_mut() = Some(done));
        });
        let done = F.with(|slot| slot.borrow_mut().take()).unwrap_or_else(|| Box::new(|| {}));
        f(done);
        promise.into()
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("ifAvailable"), &JsValue::from_bool(if_free));
    let request = js_sys::Reflect::get(&locks, &JsValue::from_str("request")).ok().and_then(|r| r.dyn_into::<js_sys::Function>().ok());
    if let Some(request) = request {
        let _ = request.call3(&locks, &JsValue::from_str(name), &options, &callback);
    }
}

thread_local! {
    /// Hands a lock's `done` from the promise executor to the work.
    static F: RefCell<Option<Box<dyn FnOnce()>>> = const { RefCell::new(None) };
}
