//! Storage over a key-value store (localStorage in the browser, a map in
//! tests). Pure logic: the browser adapter only moves strings.
//!
//! The protocol is in [`log`]: each edit is written at once as a journal
//! entry of the records it changed, folded into buckets in small steps,
//! every chunk in two replicas, no pointer to trust — see its docs for why
//! no interleaving of tabs, crash or single damaged key loses an
//! acknowledged edit. [`cells`] maps the document to records and back;
//! [`chunk`] is the stored format.
//!
//! The previous layout (two slots `a` / `b` and a pointer, a whole document
//! per save) is still read ([`load_v1`]) and moved to the new one on open.
//!
//! Nothing stored is ever deleted because it fails to load: it is copied
//! under a `quarantine:` key and reported.

pub mod cells;
pub mod chunk;
pub mod log;
pub mod pack;

use crate::i18n::Lang;
use crate::io::{self, ImportError};
use crate::model::Workspace;
use crate::sort::Arrange;
use chrono::{DateTime, SecondsFormat, Utc};

pub const PREFIX: &str = "sales-tiers:";
pub const KEY_POINTER: &str = "sales-tiers:current";
pub const KEY_SLOT_A: &str = "sales-tiers:slot:a";
pub const KEY_SLOT_B: &str = "sales-tiers:slot:b";
/// The workspace as it was before the last import / reset replaced it.
pub const KEY_PREVIOUS: &str = "sales-tiers:backup:previous";
/// What the backup is (name, people, last change), so listing it does not
/// decode the whole backup; absent for backups of earlier builds.
pub const KEY_PREVIOUS_SUMMARY: &str = "sales-tiers:backup:summary";

/// What a backup holds, as the Data page lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BackupSummary {
    pub name: String,
    pub people: usize,
    pub last_changed: DateTime<Utc>,
}

impl BackupSummary {
    /// People counted as the organisation page counts them.
    pub fn of(ws: &Workspace) -> BackupSummary {
        BackupSummary { name: ws.settings.workspace_name.clone(), people: ws.people_count(), last_changed: ws.last_changed() }
    }
}
pub const QUARANTINE_PREFIX: &str = "sales-tiers:quarantine:";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KvError {
    /// The store is full (QuotaExceededError).
    Quota,
    /// Storage is disabled or failed for another reason.
    Other(String),
}

impl KvError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            KvError::Quota => lang.pick(
                "浏览器存储空间已满，最近的修改仅保存在内存中。请立即导出文件以免丢失。".to_string(),
                "Browser storage is full: recent changes are only in memory. Export a file now to keep them.".to_string(),
            ),
            KvError::Other(e) => lang.pick(format!("无法写入浏览器存储：{e}"), format!("cannot write to browser storage: {e}")),
        }
    }
}

/// A string key-value store.
pub trait Kv {
    fn get(&self, key: &str) -> Result<Option<String>, KvError>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError>;
    fn remove(&mut self, key: &str) -> Result<(), KvError>;
    fn keys(&self) -> Result<Vec<String>, KvError>;
    /// The length of `key`'s value in UTF-16 code units (as browsers count
    /// a quota), None when there is no such key. A store that can tell it
    /// without handing over the value (the browser's) says so.
    fn size(&self, key: &str) -> Result<Option<usize>, KvError> {
        Ok(self.get(key)?.map(|v| v.encode_utf16().count()))
    }
}

/// In-memory store with an optional quota in bytes (UTF-16 units × 2, as
/// browsers count), for tests and the CLI.
#[derive(Clone, Debug, Default)]
pub struct MemKv {
    pub map: std::collections::BTreeMap<String, String>,
    pub quota: Option<usize>,
}

impl MemKv {
    fn used(&self) -> usize {
        self.map.iter().map(|(k, v)| (k.encode_utf16().count() + v.encode_utf16().count()) * 2).sum()
    }
}

impl Kv for MemKv {
    fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        Ok(self.map.get(key).cloned())
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError> {
        if let Some(q) = self.quota {
            let old = self.map.get(key).map(|v| (key.encode_utf16().count() + v.encode_utf16().count()) * 2).unwrap_or(0);
            let new = (key.encode_utf16().count() + value.encode_utf16().count()) * 2;
            if self.used() - old + new > q {
                return Err(KvError::Quota);
            }
        }
        self.map.insert(key.to_string(), value.to_string());
        Ok(())
    }
    fn remove(&mut self, key: &str) -> Result<(), KvError> {
        self.map.remove(key);
        Ok(())
    }
    fn keys(&self) -> Result<Vec<String>, KvError> {
        Ok(self.map.keys().cloned().collect())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    Store(KvError),
    /// The copy read back differs from what was written.
    Verify,
    /// A whole workspace (an import, a reset) did not fit: `needed` bytes
    /// for the document (both copies), refused when the store held `held`
    /// bytes in all (about what the browser gives the site). Beside it the
    /// store had to keep the `current` document (until one copy of the new
    /// one was down), the `backup` and `other` data (quarantined copies,
    /// preferences, other apps' keys). Nothing was replaced.
    DoesNotFit {
        needed: usize,
        held: usize,
        current: usize,
        backup: usize,
        other: usize,
    },
    /// The backup of the current workspace, taken before it is replaced,
    /// did not fit: `needed` bytes, the store full at `held`. Nothing was
    /// replaced.
    NoRoomForBackup {
        needed: usize,
        held: usize,
    },
}

impl SaveError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SaveError::Store(e) => e.message(lang),
            SaveError::Verify => lang.pick(
                "保存校验失败：浏览器存储返回的数据与写入的不一致。数据仍在内存中，请导出文件。".to_string(),
                "Save check failed: storage returned different data than was written. Your data is still in memory; export a file."
                    .to_string(),
            ),
            SaveError::NoRoomForBackup { needed, held } => {
                let (n, h) = (crate::i18n::human_bytes(*needed), crate::i18n::human_bytes(*held));
                lang.pick(
                    format!("替换前需要先备份当前工作区（约 {n}），但本网站的存储空间（约 {h}）已满，所以没有替换任何内容，当前工作区保持不变。请释放空间（“数据与设置”显示占用情况）或先导出当前工作区。"),
                    format!("The current workspace is backed up before it is replaced, and its backup (about {n}) does not fit: this site's storage (about {h}) is full. Nothing was replaced; the current workspace is as it was. Free some space (Data & settings shows what uses it) or export the current workspace first."),
                )
            }
            SaveError::DoesNotFit { needed, held, current, backup, other } => {
                let size = |n: usize| crate::i18n::human_bytes(n);
                let (n, h) = (size(*needed), size(*held));
                if needed >= held {
                    lang.pick(
                        format!("这个工作区在浏览器中需要约 {n} 的存储空间，超过本浏览器为本网站提供的空间（约 {h}）。工作区未被替换，原有数据保持不变。这么大的工作区可以作为文件保存，或按分支交由各经理分别管理，但无法整个保存在一个浏览器中。"),
                        format!("This workspace needs about {n} of browser storage, more than this browser gives this site (about {h}). Nothing was replaced: the workspace you had is as it was. A workspace this large can be kept as a file, or worked on in branches by each manager, not whole in one browser."),
                    )
                } else {
                    let (half, c, b, o) = (size(needed / 2), size(*current), size(*backup), size(*other));
                    lang.pick(
                        format!("这个工作区在浏览器中需要约 {n} 的存储空间（两份，每份约 {half}）。本网站的存储空间共约 {h}；打开时还需要同时保留：当前工作区（约 {c}，直到新的第一份写完）、它的备份（约 {b}，以便撤销这次打开）和其他数据（约 {o}）。空间不够，所以没有替换任何内容：当前工作区和之前的备份都保持不变。腾出空间的办法：先导出当前工作区，在“数据与设置”中选择“从空白开始”，再打开这个文件（这时被替换的工作区和它的备份都是空白的）；其他数据可在“数据与设置”中查看，隔离的副本可以释放。"),
                        format!("This workspace needs about {n} of browser storage (two copies of about {half}). This site's storage holds about {h}, and opening it also keeps: the current workspace (about {c}, until the first new copy is down), its backup (about {b}, so that the open can be undone) and other data (about {o}). There is not room for all of it, so nothing was replaced: the current workspace and the earlier backup are as they were. To make room: export the current workspace, choose Start empty on Data & settings, then open this file (the workspace it replaces, and so its backup, are then empty); Data & settings also shows the other data and frees quarantined copies."),
                    )
                }
            }
        }
    }

    /// What the store held when it refused a whole workspace or its
    /// backup: about what the browser gives the site.
    pub fn held(&self) -> Option<usize> {
        match self {
            SaveError::DoesNotFit { held, .. } | SaveError::NoRoomForBackup { held, .. } => Some(*held),
            _ => None,
        }
    }

    pub fn is_quota(&self) -> bool {
        matches!(self, SaveError::Store(KvError::Quota) | SaveError::DoesNotFit { .. } | SaveError::NoRoomForBackup { .. })
    }
}

impl From<KvError> for SaveError {
    fn from(e: KvError) -> Self {
        SaveError::Store(e)
    }
}

/// The envelope text of a stored value, compact or plain.
pub fn stored_text(raw: &str) -> Result<String, ImportError> {
    if pack::is_packed(raw) {
        pack::unpack(raw).map_err(|e| ImportError::NotJson { line: 0, column: 0, detail: format!("damaged compact copy ({e:?})") })
    } else {
        Ok(raw.to_string())
    }
}

fn read_stored(raw: &str) -> Result<Workspace, ImportError> {
    if raw.starts_with(log::BACKUP_MAGIC) {
        return log::read_backup(raw);
    }
    io::read(&stored_text(raw)?).map(|(ws, _)| ws)
}

/// Something stored that could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quarantined {
    /// Where the raw text now lives (None when copying it failed, e.g. a full store).
    pub key: Option<String>,
    /// The slot it came from.
    pub from: String,
    pub error: ImportError,
    pub bytes: usize,
    /// The raw text, kept in memory so the user can download it even when
    /// it could not be copied.
    pub raw: String,
}

/// The items of `set_aside` that are copies of one chunk with the same
/// bytes and the same error (both replicas cut the same way, say), as
/// groups of their places in the list, in order: what to show once.
pub fn same_copies(set_aside: &[Quarantined]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, q) in set_aside.iter().enumerate() {
        let same = |g: &&mut Vec<usize>| {
            let first = &set_aside[g[0]];
            log::base_of(&first.from) == log::base_of(&q.from) && first.raw == q.raw && first.error == q.error
        };
        match groups.iter_mut().find(same) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups
}

#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub workspace: Option<Workspace>,
    pub quarantined: Vec<Quarantined>,
}

/// Loads the last good workspace of the previous layout (two slots and a
/// pointer). Bad slots are quarantined, never deleted.
pub fn load_v1(kv: &mut dyn Kv, now: DateTime<Utc>) -> Result<Loaded, KvError> {
    // The pointer is not trusted: it may be missing, garbled or name the
    // older slot. The newest intact copy (by the time it was written) wins;
    // the pointer only breaks a tie.
    #[derive(serde::Deserialize)]
    struct Written {
        exported_at: Option<DateTime<Utc>>,
    }
    let pointer = kv.get(KEY_POINTER)?;
    let mut out = Loaded::default();
    let mut best: Option<(Option<DateTime<Utc>>, bool, Workspace)> = None;
    for slot in [KEY_SLOT_A, KEY_SLOT_B] {
        let Some(raw) = kv.get(slot)? else { continue };
        match stored_text(&raw).and_then(|text| {
            let at = serde_json::from_str::<Written>(&text).ok().and_then(|w| w.exported_at);
            io::read(&text).map(|(ws, _)| (at, ws))
        }) {
            Ok((at, ws)) => {
                let pointed = pointer.as_deref() == Some(slot);
                if best.as_ref().is_none_or(|(b, bp, _)| (at, pointed) > (*b, *bp)) {
                    best = Some((at, pointed, ws));
                }
            }
            Err(error) => {
                let key = format!("{QUARANTINE_PREFIX}{}:{}", now.to_rfc3339_opts(SecondsFormat::Millis, true), &slot[PREFIX.len()..]);
                let stored = kv.set(&key, &raw).is_ok();
                out.quarantined.push(Quarantined { key: stored.then_some(key), from: slot.to_string(), error, bytes: raw.len(), raw });
            }
        }
    }
    out.workspace = best.map(|(_, _, ws)| ws);
    Ok(out)
}

/// Keeps a copy of the current workspace before it is replaced (import,
/// reset, demo reload). Returns an error if the copy could not be stored,
/// in which case the caller must not replace anything.
/// A backup that does not fit says how much it needed against what the
/// store held ([`SaveError::NoRoomForBackup`]).
pub fn backup_previous(kv: &mut dyn Kv, ws: &Workspace, now: DateTime<Utc>) -> Result<(), SaveError> {
    write_backup(kv, &pack::pack(&io::write(ws, now, false)), &BackupSummary::of(ws))
}

/// Keeps the current workspace as the previous one. Made of the stored
/// chunks when `session`'s store holds it (a read of the store: nothing is
/// serialised or compressed again); packed whole from memory otherwise, and
/// when the chunks would not fit — they take about a tenth more room, and a
/// store near its limit must not lose a backup it could take before. The
/// store holds the chunks twice (two replicas), so with the backup about
/// three times its text: past `limit` (bytes, as [`limit_estimate`] gives
/// it) the chunks are not tried; a store that refuses them anyway gets the
/// packed backup.
pub fn back_up(kv: &mut dyn Kv, session: Option<&log::Session>, ws: &Workspace, now: DateTime<Utc>, limit: usize) -> Result<(), SaveError> {
    let stored = session.and_then(|s| s.stored_backup(kv).ok().flatten());
    // UTF-16 units × 2 bytes, as browsers count; three copies.
    if let Some(text) = stored.filter(|t| t.encode_utf16().count() * 2 * 3 <= limit) {
        match write_backup(kv, &text, &BackupSummary::of(ws)) {
            Err(e) if e.is_quota() => {}
            r => return r,
        }
    }
    backup_previous(kv, ws, now)
}

/// Keeps `text` (a packed envelope, or a backup made of stored chunks) as
/// the previous workspace, then what it is; a store too full for it says
/// what it needed. The old summary goes first, so a summary never names
/// another backup than the one stored.
pub fn write_backup(kv: &mut dyn Kv, text: &str, summary: &BackupSummary) -> Result<(), SaveError> {
    kv.remove(KEY_PREVIOUS_SUMMARY)?;
    kv.set(KEY_PREVIOUS, text).map_err(|e| match e {
        KvError::Quota => SaveError::NoRoomForBackup {
            needed: (KEY_PREVIOUS.encode_utf16().count() + text.encode_utf16().count()) * 2,
            held: usage(kv).map(|u| u.total()).unwrap_or(0),
        },
        e => SaveError::Store(e),
    })?;
    // Only a shortcut for listing: without it, the backup is read.
    let _ = kv.set(KEY_PREVIOUS_SUMMARY, &serde_json::to_string(summary).expect("a summary serialises"));
    Ok(())
}

/// The backup as stored (its text and summary, none if there is none),
/// read before a replace writes a new one: if the replace is then refused,
/// the earlier backup is put back, so a refused open costs nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredBackup {
    text: Option<String>,
    summary: Option<String>,
}

impl StoredBackup {
    pub fn read(kv: &dyn Kv) -> Result<StoredBackup, KvError> {
        Ok(StoredBackup { text: kv.get(KEY_PREVIOUS)?, summary: kv.get(KEY_PREVIOUS_SUMMARY)? })
    }

    /// Puts this backup in place of the one stored now (in the same room:
    /// it was stored before).
    pub fn put_back(&self, kv: &mut dyn Kv) -> Result<(), KvError> {
        kv.remove(KEY_PREVIOUS_SUMMARY)?;
        match &self.text {
            Some(t) => kv.set(KEY_PREVIOUS, t)?,
            None => kv.remove(KEY_PREVIOUS)?,
        }
        if let Some(s) = &self.summary {
            // Only a shortcut (see write_backup).
            let _ = kv.set(KEY_PREVIOUS_SUMMARY, s);
        }
        Ok(())
    }
}

/// What the backup holds, read from its summary when there is one, else
/// from the backup itself (None: no backup).
pub fn previous_summary(kv: &dyn Kv) -> Result<Option<Result<BackupSummary, ImportError>>, KvError> {
    // Its presence from the key list: reading it would copy it whole.
    if !kv.keys()?.iter().any(|k| k == KEY_PREVIOUS) {
        return Ok(None);
    }
    if let Some(s) = kv.get(KEY_PREVIOUS_SUMMARY)?.and_then(|t| serde_json::from_str::<BackupSummary>(&t).ok()) {
        return Ok(Some(Ok(s)));
    }
    Ok(load_previous(kv)?.map(|r| r.map(|ws| BackupSummary::of(&ws))))
}

pub fn load_previous(kv: &dyn Kv) -> Result<Option<Result<Workspace, ImportError>>, KvError> {
    Ok(kv.get(KEY_PREVIOUS)?.map(|raw| read_stored(&raw)))
}

/// What the origin's storage holds, in bytes as browsers count them
/// (UTF-16 code units × 2, key and value).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// The document: bucket versions (and the previous layout's slots).
    pub document: usize,
    /// Edits not yet folded into the document's buckets.
    pub journal: usize,
    /// The workspace as it was before the last import or reset.
    pub backup: usize,
    /// Stored data that could not be opened, kept for download.
    pub quarantine: usize,
    /// This app's other keys (preferences).
    pub other: usize,
    /// Keys of other apps on the same origin: they share the quota.
    pub foreign: usize,
}

impl Usage {
    pub fn total(&self) -> usize {
        self.document + self.journal + self.backup + self.quarantine + self.other + self.foreign
    }

    /// What the app could free on request (backup and quarantine copies).
    pub fn freeable(&self) -> usize {
        self.backup + self.quarantine
    }
}

/// About how much localStorage a browser gives a site, in bytes as browsers
/// count them: what the store held when it last refused a write (`learned`,
/// 0 if it never did), else what the engine is known to give: 10 MB for
/// Chromium-based browsers, 5 MB for Firefox and Safari.
pub fn limit_estimate(user_agent: &str, learned: usize) -> usize {
    if learned > 0 {
        learned
    } else if user_agent.contains("Chrome/") || user_agent.contains("Chromium/") {
        10 * 1_048_576
    } else {
        5 * 1_048_576
    }
}

/// Measures every key of the store (the whole origin in a browser).
pub fn usage(kv: &dyn Kv) -> Result<Usage, KvError> {
    let mut u = Usage::default();
    for k in kv.keys()? {
        let n = (k.encode_utf16().count() + kv.size(&k)?.unwrap_or(0)) * 2;
        let slot = match k.as_str() {
            _ if log::is_journal_key(&k) => &mut u.journal,
            _ if log::is_chunk_key(&k) || k == KEY_SLOT_A || k == KEY_SLOT_B || k == KEY_POINTER => &mut u.document,
            KEY_PREVIOUS | KEY_PREVIOUS_SUMMARY => &mut u.backup,
            _ if k.starts_with(QUARANTINE_PREFIX) => &mut u.quarantine,
            _ if k.starts_with(PREFIX) => &mut u.other,
            _ => &mut u.foreign,
        };
        *slot += n;
    }
    Ok(u)
}

/// Frees what the app may free on the user's request: the previous
/// workspace backup and the quarantined copies (after the user has
/// downloaded them). Returns the bytes freed.
pub fn free_space(kv: &mut dyn Kv) -> Result<usize, KvError> {
    let before = usage(kv)?.freeable();
    kv.remove(KEY_PREVIOUS)?;
    kv.remove(KEY_PREVIOUS_SUMMARY)?;
    for (k, _) in quarantine_keys(kv)? {
        kv.remove(&k)?;
    }
    Ok(before - usage(kv)?.freeable())
}

/// Quarantine entries present in the store: (key, size in bytes).
pub fn quarantine_keys(kv: &dyn Kv) -> Result<Vec<(String, usize)>, KvError> {
    let mut out = Vec::new();
    for k in kv.keys()? {
        if k.starts_with(QUARANTINE_PREFIX) {
            let n = kv.get(&k)?.map(|v| v.len()).unwrap_or(0);
            out.push((k, n));
        }
    }
    out.arrange();
    Ok(out)
}
