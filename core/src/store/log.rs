//! The storage protocol: every edit is written at once as a small journal
//! entry, journal entries are folded into buckets in small steps, and the
//! document is the newest state of every cell over all intact chunks.
//!
//! Why it loses nothing:
//!
//! - **Unique keys.** A chunk's key names its writer (a random id per tab)
//!   and its sequence number or version, so no writer ever overwrites a key
//!   another wrote: two tabs cannot lose each other's edits, whatever they
//!   interleave, and need no lock to write.
//! - **Stamps, not positions.** Each cell state carries a Lamport stamp;
//!   opening takes, per cell, the highest stamp found in any intact chunk.
//!   Reading the same state twice, or an older one after a newer one,
//!   changes nothing, so any order of writes, crashes and repeats converges.
//! - **Two replicas.** Every chunk is written twice (two keys), and opening
//!   repairs a missing or damaged replica from the other, so no single key
//!   deleted, garbled or rolled back can lose an acknowledged edit.
//! - **Remove only what is kept elsewhere.** Compaction writes a bucket's new
//!   version (both replicas, read back) before it removes the versions and
//!   journal entries it folded in — only those it read. A crash at any step
//!   leaves every state in at least one intact chunk.
//! - **No pointer to trust.** There is no manifest or pointer: opening scans
//!   the keys, so no metadata key can roll the document back. A full write
//!   (first run, import, reset) starts a new epoch, complete once all its
//!   buckets are down; until then the previous epoch stays the document.
//!
//! Another tab's edits arrive as its journal keys (the browser's `storage`
//! event); [`Session::take_in`] merges them cell by cell, the higher stamp
//! winning in every tab alike, and reports where one of this tab's own
//! changes lost to a concurrent one (a conflict to show).

use super::cells::{self, CellKey};
use super::chunk::{self, bucket_of, ChunkKind, Header, Stamp, State};
use super::{Kv, KvError, Quarantined, SaveError, PREFIX, QUARANTINE_PREFIX};
use crate::io::ImportError;
use crate::model::{Id, Workspace};
use crate::sort::{Arrange, Gather};
use chrono::{DateTime, SecondsFormat, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// Buckets a new epoch spreads the document over.
pub const BUCKETS: u16 = 64;
/// Each chunk is written to this many keys.
pub const REPLICAS: u8 = 2;
const JOURNAL: &str = "sales-tiers:j:";
const BUCKET: &str = "sales-tiers:b:";

/// A journal entry's key without its replica suffix: writer and sequence.
pub fn journal_base(writer: u64, seq: u64) -> String {
    format!("{JOURNAL}{}:{seq}", chunk::writer_hex(writer))
}

/// A bucket version's key without its replica suffix: the epoch (first 12
/// hex digits, so epochs never share a key), bucket, version and writer.
pub fn bucket_base(epoch: Id, bucket: u16, gen: u64, writer: u64) -> String {
    format!("{BUCKET}{}:{bucket}:{gen}:{}", &epoch.0.simple().to_string()[..12], chunk::writer_hex(writer))
}

/// Does a chunk's header say what its key says? A chunk under another
/// chunk's key (a key rolled back or copied over) is treated as damaged.
fn fits_key(key: &str, h: &Header) -> bool {
    let base = base_of(key);
    match h.kind {
        ChunkKind::Journal => u64::from_str_radix(&h.writer, 16).is_ok_and(|w| base == journal_base(w, h.seq)),
        ChunkKind::Bucket => {
            u64::from_str_radix(&h.writer, 16).is_ok_and(|w| h.bucket.is_some_and(|b| base == bucket_base(h.epoch, b, h.gen, w)))
        }
    }
}

/// Is this a journal key (another tab's edit, when it changes)?
pub fn is_journal_key(key: &str) -> bool {
    key.starts_with(JOURNAL)
}

/// Is this a chunk key (a journal entry or a bucket version)? Another tab
/// writing one is news: [`Session::take_in`] reads it.
pub fn is_chunk_key(key: &str) -> bool {
    key.starts_with(JOURNAL) || key.starts_with(BUCKET)
}

/// The key of a chunk without its replica suffix: both replicas share it.
pub fn base_of(key: &str) -> &str {
    key.rsplit_once(':').map(|(b, _)| b).unwrap_or(key)
}

/// What opening the store found.
#[derive(Debug, Default)]
pub struct Opened {
    /// The document, or None when nothing is stored (a first run) — or
    /// when nothing stored could be opened (then `quarantined` says why and
    /// this is *not* a first run).
    pub workspace: Option<Workspace>,
    pub quarantined: Vec<Quarantined>,
    /// Replicas rewritten from their intact twin.
    pub repaired: usize,
    /// The document came from the previous storage layout and must be
    /// written in this one ([`Session::write_all`] does, then removes the old keys).
    pub migrated: bool,
    /// Stored chunks of a newer epoch that is not complete (an import or
    /// reset cut short): left in place, the previous document opened.
    pub incomplete_epochs: usize,
    /// Something is stored but nothing could be opened.
    pub unreadable: bool,
}

/// A tab's connection to the store.
#[derive(Clone, Debug)]
pub struct Session {
    pub writer: u64,
    seq: u64,
    /// The highest Lamport value seen; the next state gets one more.
    pub lamport: u64,
    epoch: Id,
    ws: Id,
    buckets: u16,
    stamps: rustc_hash::FxHashMap<CellKey, Stamp>,
    /// Cells changed in memory whose write failed (a full store): written
    /// with the next successful commit.
    pending: BTreeSet<CellKey>,
    /// The stamp this tab's last whole write gave every cell: a cell it
    /// holds is not one this tab changed, so another tab's change to it
    /// is no conflict.
    whole: Stamp,
    /// The highest bucket version this tab has written back: the next is
    /// above it, so a key never holds two different texts (a tab in the
    /// middle of an open would not see the change).
    written_back: u64,
    /// Journal chunks (base keys) already merged into the document, with
    /// the buckets their cells belong to (what to check should one go
    /// missing without being folded: [`Session::keep_whole`]).
    seen: BTreeMap<String, BTreeSet<u16>>,
}

/// A stored chunk with where it was read from.
struct Found {
    key: String,
    raw: String,
    chunk: chunk::Chunk,
}

fn quarantine(kv: &mut dyn Kv, key: &str, raw: String, error: ImportError, now: DateTime<Utc>) -> Quarantined {
    let qkey = format!("{QUARANTINE_PREFIX}{}:{}", now.to_rfc3339_opts(SecondsFormat::Millis, true), &key[PREFIX.len()..]);
    let stored = kv.set(&qkey, &raw).is_ok();
    if stored {
        // Kept byte for byte under the quarantine key: the original can go.
        let _ = kv.remove(key);
    }
    Quarantined { key: stored.then_some(qkey), from: key.to_string(), bytes: raw.len(), raw, error }
}

fn chunk_error(e: &chunk::ChunkError) -> ImportError {
    match e {
        chunk::ChunkError::NewerFormat(v) => ImportError::NewerVersion { found: u64::from(*v), supported: chunk::CHUNK_VERSION },
        chunk::ChunkError::Checksum => ImportError::ChecksumMismatch,
        chunk::ChunkError::Unpack(_) => ImportError::Damaged { detail: "cut or garbled".into() },
        chunk::ChunkError::BadHeader(d) | chunk::ChunkError::BadBody(d) => ImportError::Damaged { detail: d.clone() },
        chunk::ChunkError::NoHeader => ImportError::Damaged { detail: "no header".into() },
    }
}

/// The chunk keys stored now (journal and buckets), in the store's order.
fn chunk_keys(kv: &dyn Kv) -> Result<Vec<String>, KvError> {
    Ok(kv.keys()?.into_iter().filter(|k| k.starts_with(JOURNAL) || k.starts_with(BUCKET)).collect())
}

/// Opening the store in steps, so that no single browser task holds the
/// page for the whole open: [`Opening::step`] reads and decodes the chunks
/// one at a time, then assembles the document a batch of records at a
/// time, for as long as its caller's budget allows; the caller yields to
/// the browser between calls. Steps only read. [`Opening::finish`] then
/// lists the chunk keys again and, if any came or went (another tab wrote
/// between steps), opens anew in the same call, so what opens is the store
/// as it is at that moment (chunk keys are never rewritten with other
/// content: a new state is a new key); only then, in that same call, does
/// it repair and quarantine, from reads known to be current (a repair from
/// an earlier read could bring back a chunk another tab has since removed).
pub struct Opening {
    keys: Vec<String>,
    next: usize,
    good: Vec<Found>,
    bad: Vec<(String, String, chunk::ChunkError)>,
    /// Intact chunks by base key, and replicas that are the same text as
    /// one already read (decoded once: a replica byte for byte equal to an
    /// intact chunk is intact, and holds the same states).
    read_as: BTreeMap<String, usize>,
    /// Replicas read as equal to `good[i]`: (key, i).
    copies: Vec<(String, usize)>,
    /// Leave the bodies' checksums to the caller ([`Opening::defer_checks`]).
    defer: bool,
    /// Chunks in `good` whose body checksum is still to be compared: (i, body).
    unchecked: Vec<(usize, chunk::Body)>,
    /// Chunks in `good` whose body checksum did not match.
    failed: Vec<usize>,
    /// Once every key is read.
    assembly: Option<Assembly>,
}

/// The document being assembled from the chunks read.
struct Assembly {
    found: Vec<Found>,
    out: Opened,
    lamport: u64,
    /// None: no complete epoch in this layout (see [`open`]).
    doc: Option<Doc>,
}

struct Doc {
    epoch: Id,
    /// The newest state of every cell of the epoch: (cell, chunk, state) in
    /// `found`; the single cells first.
    newest: Vec<(CellKey, usize, usize)>,
    /// How many of `newest` are in `ws` already.
    done: usize,
    ws: Result<Workspace, cells::CellError>,
}

/// How many record cells one step sets.
const RECORDS_PER_STEP: usize = 200;

impl Opening {
    /// Lists the chunks to read; reads none yet.
    pub fn start(kv: &dyn Kv) -> Result<Opening, KvError> {
        Ok(Opening::of(chunk_keys(kv)?))
    }

    fn of(keys: Vec<String>) -> Opening {
        Opening {
            keys,
            next: 0,
            good: Vec::new(),
            bad: Vec::new(),
            read_as: BTreeMap::new(),
            copies: Vec::new(),
            defer: false,
            unchecked: Vec::new(),
            failed: Vec::new(),
            assembly: None,
        }
    }

    /// Leaves comparing each chunk's body checksum to the caller: once
    /// every chunk is read, the steps wait ([`Opening::waiting`]) until
    /// each body in [`Opening::to_check`] is [`Opening::checked`]. What
    /// opens is what an open that checks as it reads gives.
    pub fn defer_checks(mut self) -> Opening {
        self.defer = true;
        self
    }

    /// The bodies whose checksum is still to be compared: (id, body).
    pub fn to_check(&self) -> impl Iterator<Item = (usize, &str)> {
        self.unchecked.iter().map(|(i, b)| (*i, b.body()))
    }

    /// The SHA-256 digest of body `id` of [`Opening::to_check`].
    pub fn checked(&mut self, id: usize, digest: &[u8]) {
        if let Some(at) = self.unchecked.iter().position(|(i, _)| *i == id) {
            let (i, body) = self.unchecked.swap_remove(at);
            if !body.matches(digest) {
                self.failed.push(i);
            }
        }
    }

    /// Every chunk is read and some checksums are still to be compared:
    /// the steps do nothing until they are.
    pub fn waiting(&self) -> bool {
        self.next >= self.keys.len() && self.assembly.is_none() && !self.unchecked.is_empty()
    }

    /// Compares what is left to compare here and now (where the caller's
    /// hash was not to be had).
    pub fn check_rest_here(&mut self) {
        for (i, body) in std::mem::take(&mut self.unchecked) {
            if !body.check() {
                self.failed.push(i);
            }
        }
    }

    /// Moves the chunks whose checksum failed, and the replicas read as
    /// equal to them, to the damaged ones, in the order of the keys (as an
    /// open that checks as it reads has them).
    fn settle(&mut self) {
        if self.failed.is_empty() {
            return;
        }
        let failed: BTreeSet<usize> = std::mem::take(&mut self.failed).into_iter().gather_set();
        let mut now = vec![None; self.good.len()];
        let mut good = Vec::with_capacity(self.good.len());
        for (i, f) in std::mem::take(&mut self.good).into_iter().enumerate() {
            if failed.contains(&i) {
                for (key, _) in self.copies.iter().filter(|(_, of)| *of == i) {
                    self.bad.push((key.clone(), f.raw.clone(), chunk::ChunkError::Checksum));
                }
                self.bad.push((f.key, f.raw, chunk::ChunkError::Checksum));
            } else {
                now[i] = Some(good.len());
                good.push(f);
            }
        }
        self.good = good;
        self.copies = std::mem::take(&mut self.copies).into_iter().filter_map(|(k, of)| now[of].map(|i| (k, i))).collect();
        self.read_as.clear();
        let place: BTreeMap<&str, usize> = self.keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).gather_map();
        self.bad.arrange_by_key(|(k, _, _)| place.get(k.as_str()).copied());
    }

    /// Does the next pieces of the open while `more()` says so (at least
    /// one): a chunk read, finding the document's cells, or a batch of
    /// records. True when nothing is left for [`Opening::finish`] but to
    /// check, repair and hand over.
    pub fn step(&mut self, kv: &dyn Kv, more: &mut dyn FnMut() -> bool) -> Result<bool, KvError> {
        loop {
            if self.next < self.keys.len() {
                let key = self.keys[self.next].clone();
                self.read(kv, &key)?;
                self.next += 1;
            } else if self.waiting() {
                return Ok(false);
            } else if self.assembly.is_none() {
                self.settle();
                self.assembly = Some(Assembly::of(std::mem::take(&mut self.good)));
            } else if !self.assembly.as_mut().is_some_and(Assembly::build) {
                return Ok(true);
            }
            if !more() {
                return Ok(false);
            }
        }
    }

    fn read(&mut self, kv: &dyn Kv, key: &str) -> Result<(), KvError> {
        let Some(raw) = kv.get(key)? else { return Ok(()) };
        let base = base_of(key).to_string();
        if let Some(&i) = self.read_as.get(&base) {
            if self.good[i].raw == raw {
                self.copies.push((key.to_string(), i));
                return Ok(());
            }
        }
        let read = if self.defer { chunk::read_unchecked(&raw).map(|(c, b)| (c, Some(b))) } else { chunk::read(&raw).map(|c| (c, None)) };
        match read {
            Ok((c, body)) if fits_key(key, &c.header) => {
                self.read_as.entry(base).or_insert(self.good.len());
                if let Some(body) = body {
                    self.unchecked.push((self.good.len(), body));
                }
                self.good.push(Found { key: key.to_string(), raw, chunk: c })
            }
            Ok(_) => self.bad.push((key.to_string(), raw, chunk::ChunkError::BadHeader("not the chunk its key names".into()))),
            Err(e) => self.bad.push((key.to_string(), raw, e)),
        }
        Ok(())
    }

    /// Finishes what is left (all of it anew if the chunk keys changed
    /// since they were listed), repairs, and opens: see [`open`].
    pub fn finish(self, kv: &mut dyn Kv, writer: u64, now: DateTime<Utc>) -> Result<(Session, Opened), KvError> {
        let keys = chunk_keys(kv)?;
        let same = keys.len() == self.keys.len() && {
            let listed: BTreeSet<&String> = self.keys.iter().gather_set();
            keys.iter().all(|k| listed.contains(k))
        };
        let mut me = if same { self } else { Opening::of(keys) };
        // What is left is read and checked here.
        me.defer = false;
        me.check_rest_here();
        me.step(kv, &mut || true)?;
        let mut assembly = me.assembly.take().expect("stepped to the end");
        me.repair(kv, &assembly.found, &mut assembly.out, now)?;
        assembly.session(kv, writer, now)
    }

    /// Damaged chunks go to quarantine, unless a twin replica is intact:
    /// then the damaged replica is rewritten from it; every intact chunk
    /// gets all its replicas back.
    fn repair(self, kv: &mut dyn Kv, good: &[Found], out: &mut Opened, now: DateTime<Utc>) -> Result<(), KvError> {
        let mut by_base: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, f) in good.iter().enumerate() {
            by_base.entry(base_of(&f.key)).or_insert(i);
        }
        let mut have: BTreeSet<String> = good.iter().map(|f| f.key.clone()).gather_set();
        have.extend(self.copies.into_iter().map(|(k, _)| k));
        for (key, raw, e) in self.bad {
            // A newer-format chunk is never overwritten: it may be data this build cannot read.
            let twin = by_base.get(base_of(&key)).filter(|_| !matches!(e, chunk::ChunkError::NewerFormat(_)));
            if twin.is_some_and(|&t| kv.set(&key, &good[t].raw).is_ok()) {
                out.repaired += 1;
            } else {
                out.quarantined.push(quarantine(kv, &key, raw, chunk_error(&e), now));
            }
        }
        for (base, &i) in &by_base {
            for r in 0..REPLICAS {
                let k = format!("{base}:{r}");
                if !have.contains(&k) && kv.get(&k)?.is_none() && kv.set(&k, &good[i].raw).is_ok() {
                    out.repaired += 1;
                }
            }
        }
        Ok(())
    }
}

impl Assembly {
    fn of(found: Vec<Found>) -> Assembly {
        let mut out = Opened::default();
        let lamport = found.iter().flat_map(|f| f.chunk.states.iter().map(|s| s.stamp.lamport)).max().unwrap_or(0);
        let epochs = Epochs::of(found.iter().map(|f| &f.chunk));
        let Some(epoch) = epochs.newest_complete() else {
            out.incomplete_epochs = epochs.0.len();
            return Assembly { found, out, lamport, doc: None };
        };
        out.incomplete_epochs =
            epochs.0.iter().filter(|(id, e)| **id != epoch && !e.complete() && e.lamport > epochs.0[&epoch].lamport).count();
        // The newest state of every cell, by where it is in `found`.
        let mine = found.iter().enumerate().filter(|(_, f)| f.chunk.header.epoch == epoch);
        let at = merge_at(mine.flat_map(|(c, f)| f.chunk.states.iter().enumerate().map(move |(i, s)| ((c, i), s))));
        let mut newest: Vec<(CellKey, usize, usize)> = at.into_iter().map(|(k, ((c, i), _))| (k, c, i)).collect();
        newest.arrange_by_key(|(k, _, _)| !k.section.is_single());
        // The single cells make the base; the records are set on it in steps.
        let done = newest.iter().take_while(|(k, _, _)| k.section.is_single()).count();
        let singles: BTreeMap<cells::Section, &str> =
            newest[..done].iter().filter_map(|&(k, c, i)| found[c].chunk.states[i].value.as_deref().map(|v| (k.section, v))).gather_map();
        let ws = cells::base(&singles);
        Assembly { found, out, lamport, doc: Some(Doc { epoch, newest, done, ws }) }
    }

    /// Sets the next batch of records; false when there were none left.
    fn build(&mut self) -> bool {
        let Some(doc) = self.doc.as_mut() else { return false };
        let Ok(ws) = doc.ws.as_mut() else { return false };
        if doc.done == doc.newest.len() {
            return false;
        }
        let end = doc.newest.len().min(doc.done + RECORDS_PER_STEP);
        for &(k, c, i) in &doc.newest[doc.done..end] {
            if let Some(v) = self.found[c].chunk.states[i].value.as_deref() {
                if let Err(e) = cells::set(ws, k, Some(v)) {
                    doc.ws = Err(e);
                    return true;
                }
            }
        }
        doc.done = end;
        true
    }

    /// The session and the document: see [`open`].
    fn session(self, kv: &mut dyn Kv, writer: u64, now: DateTime<Utc>) -> Result<(Session, Opened), KvError> {
        let Assembly { found, mut out, lamport, doc } = self;
        let mut session = Session {
            writer,
            seq: 0,
            lamport,
            epoch: Id::from_random_bytes([0; 16]),
            ws: Id::from_random_bytes([0; 16]),
            buckets: BUCKETS,
            stamps: Default::default(),
            pending: BTreeSet::new(),
            whole: Stamp::default(),
            written_back: 0,
            seen: BTreeMap::new(),
        };
        let Some(doc) = doc else {
            // Nothing complete in this layout (none yet, or a first write cut
            // short): the previous layout, if any, is still the document —
            // migrated by the caller's write_all.
            let old = super::load_v1(kv, now)?;
            out.migrated = old.workspace.is_some();
            out.quarantined.extend(old.quarantined);
            out.workspace = old.workspace;
            out.unreadable = out.workspace.is_none() && (!out.quarantined.is_empty() || out.incomplete_epochs > 0);
            return Ok((session, out));
        };
        match doc.ws {
            Ok(ws) => {
                let mine = || found.iter().filter(|f| f.chunk.header.epoch == doc.epoch);
                session.epoch = doc.epoch;
                session.ws = ws.meta.id;
                session.buckets = mine().next().map(|f| f.chunk.header.buckets).unwrap_or(BUCKETS);
                session.stamps = doc.newest.iter().map(|&(k, c, i)| (k, found[c].chunk.states[i].stamp)).collect();
                let buckets = session.buckets;
                session.seen = mine()
                    .filter(|f| f.chunk.header.kind == ChunkKind::Journal)
                    .map(|f| (base_of(&f.key).to_string(), buckets_of(&f.chunk.states, buckets)))
                    .gather_map();
                out.workspace = Some(ws);
                // A complete epoch is down: the previous layout's copies are redundant.
                for k in [super::KEY_POINTER, super::KEY_SLOT_A, super::KEY_SLOT_B] {
                    if kv.get(k)?.is_some() {
                        kv.remove(k)?;
                    }
                }
            }
            Err(e) => {
                out.unreadable = true;
                out.quarantined.push(Quarantined {
                    key: None,
                    from: format!("{BUCKET}*"),
                    bytes: 0,
                    raw: String::new(),
                    error: ImportError::Schema { path: e.section.to_string(), detail: e.detail },
                });
            }
        }
        Ok((session, out))
    }
}

/// The key prefix of an epoch's bucket versions.
fn epoch_prefix(epoch: Id) -> String {
    format!("{BUCKET}{}:", &epoch.0.simple().to_string()[..12])
}

/// The bucket and version a bucket base key under `prefix` names.
fn bucket_in(base: &str, prefix: &str) -> Option<(u16, u64)> {
    let mut parts = base.strip_prefix(prefix)?.split(':');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// The buckets the cells of `states` belong to.
fn buckets_of(states: &[State], buckets: u16) -> BTreeSet<u16> {
    states.iter().map(|s| bucket_of(s.key, buckets)).gather_set()
}

/// The newest state of every cell among `states` (the first read wins a tie).
fn merge<'a>(states: impl IntoIterator<Item = &'a State>) -> BTreeMap<CellKey, &'a State> {
    merge_at(states.into_iter().map(|s| ((), s))).into_iter().map(|(k, ((), s))| (k, s)).gather_map()
}

/// [`merge`], keeping where each newest state came from.
fn merge_at<'a, P>(states: impl IntoIterator<Item = (P, &'a State)>) -> BTreeMap<CellKey, (P, &'a State)> {
    let mut out: BTreeMap<CellKey, (P, &State)> = BTreeMap::new();
    for (at, s) in states {
        match out.get(&s.key) {
            Some((_, old)) if old.stamp >= s.stamp => {}
            _ => {
                out.insert(s.key, (at, s));
            }
        }
    }
    out
}

/// An epoch as the chunks read show it.
struct Epoch {
    /// The highest Lamport value among its states.
    lamport: u64,
    /// The buckets it has a version of, and how many it has in all.
    have: BTreeSet<u16>,
    buckets: u16,
}

impl Epoch {
    /// Complete when every bucket has a version.
    fn complete(&self) -> bool {
        (0..self.buckets).all(|b| self.have.contains(&b))
    }
}

/// The epochs among some chunks.
struct Epochs(BTreeMap<Id, Epoch>);

impl Epochs {
    fn of<'a>(chunks: impl IntoIterator<Item = &'a chunk::Chunk>) -> Epochs {
        let mut epochs: BTreeMap<Id, Epoch> = BTreeMap::new();
        for c in chunks {
            let h = &c.header;
            let e = epochs.entry(h.epoch).or_insert(Epoch { lamport: 0, have: BTreeSet::new(), buckets: h.buckets });
            e.lamport = e.lamport.max(c.states.iter().map(|s| s.stamp.lamport).max().unwrap_or(0));
            if let (ChunkKind::Bucket, Some(b)) = (h.kind, h.bucket) {
                e.have.insert(b);
            }
        }
        Epochs(epochs)
    }

    /// The document's epoch: the newest complete one.
    fn newest_complete(&self) -> Option<Id> {
        self.0.iter().filter(|(_, e)| e.complete()).max_by_key(|(_, e)| e.lamport).map(|(id, _)| *id)
    }
}

/// Opens the store: the document as the newest state of every cell of the
/// newest complete epoch. Falls back to the previous layout (two slots and a
/// pointer) when no chunk is stored.
pub fn open(kv: &mut dyn Kv, writer: u64, now: DateTime<Utc>) -> Result<(Session, Opened), KvError> {
    Opening::start(kv)?.finish(kv, writer, now)
}

/// A backup made of stored chunks ([`Session::stored_backup`]): this, then
/// the packed chunks one per line (a packed chunk has no line break).
pub const BACKUP_MAGIC: &str = "sb1:";

/// The document a backup made of stored chunks holds: the newest state of
/// every cell of its newest complete epoch, as [`open`] reads the store.
pub fn read_backup(text: &str) -> Result<Workspace, ImportError> {
    let body = text.strip_prefix(BACKUP_MAGIC).ok_or_else(|| ImportError::Damaged { detail: "not a backup of stored chunks".into() })?;
    let chunks = body.split('\n').map(|raw| chunk::read(raw).map_err(|e| chunk_error(&e))).collect::<Result<Vec<_>, _>>()?;
    let epoch = Epochs::of(&chunks).newest_complete().ok_or_else(|| ImportError::Damaged { detail: "the backup lacks a bucket".into() })?;
    let merged = merge(chunks.iter().filter(|c| c.header.epoch == epoch).flat_map(|c| c.states.iter()));
    cells::build(merged.iter().filter_map(|(k, s)| s.value.as_deref().map(|v| (*k, v))))
        .map_err(|e| ImportError::Schema { path: e.section.to_string(), detail: e.detail })
}

/// Moves every stored chunk to quarantine (copied byte for byte under a
/// quarantine key, then removed): what the app does before a new document
/// replaces a store that could not be opened, so nothing that could not be
/// read is overwritten or lost. Returns the chunks moved, as (key,
/// quarantine key); a chunk whose copy fails stays where it is.
pub fn quarantine_chunks(kv: &mut dyn Kv, now: DateTime<Utc>) -> Result<Vec<(String, String)>, KvError> {
    let mut moved = Vec::new();
    for key in kv.keys()?.into_iter().filter(|k| is_chunk_key(k)) {
        let Some(raw) = kv.get(&key)? else { continue };
        let q = quarantine(kv, &key, raw, ImportError::Schema { path: key.clone(), detail: "not opened".into() }, now);
        if let Some(qkey) = q.key {
            moved.push((key, qkey));
        }
    }
    Ok(moved)
}

/// Puts chunks [`quarantine_chunks`] moved back where they were (the
/// document that replaced them was refused): the store is as it was.
pub fn put_back_quarantined(kv: &mut dyn Kv, moved: &[(String, String)]) -> Result<(), KvError> {
    for (key, qkey) in moved {
        if let Some(raw) = kv.get(qkey)? {
            kv.set(key, &raw)?;
            kv.remove(qkey)?;
        }
    }
    Ok(())
}

/// An intact replica of the chunk at `base`: two replicas equal byte for
/// byte (what [`scan`] trusts too), else the first that reads and fits its key.
fn intact_replica(kv: &dyn Kv, base: &str) -> Result<Option<String>, KvError> {
    let mut raws = Vec::with_capacity(REPLICAS as usize);
    for r in 0..REPLICAS {
        let key = format!("{base}:{r}");
        if let Some(raw) = kv.get(&key)? {
            if raws.iter().any(|(_, other)| *other == raw) {
                return Ok(Some(raw));
            }
            raws.push((key, raw));
        }
    }
    Ok(raws.into_iter().find(|(key, raw)| chunk::read(raw).is_ok_and(|c| fits_key(key, &c.header))).map(|(_, raw)| raw))
}

/// The chunk at `base`, read from an intact replica that is the chunk its
/// key names (not another chunk's text copied over it).
fn intact_chunk(kv: &dyn Kv, base: &str) -> Result<Option<chunk::Chunk>, KvError> {
    let key = format!("{base}:0");
    Ok(intact_replica(kv, base)?.and_then(|raw| chunk::read(&raw).ok()).filter(|c| fits_key(&key, &c.header)))
}

/// Is a replica at `base` a chunk of a newer format than this build reads?
fn newer_format(kv: &dyn Kv, base: &str) -> bool {
    (0..REPLICAS).any(|r| {
        kv.get(&format!("{base}:{r}")).ok().flatten().is_some_and(|raw| matches!(chunk::read(&raw), Err(chunk::ChunkError::NewerFormat(_))))
    })
}

/// Writes `text` under every replica key of `base` and reads each back.
fn put_replicated(kv: &mut dyn Kv, base: &str, text: &str) -> Result<usize, SaveError> {
    let mut written = 0;
    for r in 0..REPLICAS {
        written += put_replica(kv, base, r, text)?;
    }
    Ok(written)
}

/// Writes `text` under replica `r` of `base` and reads it back; returns
/// the UTF-16 units written.
fn put_replica(kv: &mut dyn Kv, base: &str, r: u8, text: &str) -> Result<usize, SaveError> {
    let k = format!("{base}:{r}");
    kv.set(&k, text)?;
    if kv.get(&k)?.as_deref() != Some(text) {
        return Err(SaveError::Verify);
    }
    Ok(text.encode_utf16().count())
}

/// What one replica of a chunk takes in the store, key included (UTF-16
/// code units × 2, as browsers count).
fn replica_bytes(base: &str, text: &str) -> usize {
    (base.encode_utf16().count() + 2 + text.encode_utf16().count()) * 2
}

/// What a chunk takes in the store, all its replicas.
fn replicated_bytes(base: &str, text: &str) -> usize {
    replica_bytes(base, text) * REPLICAS as usize
}

/// What the `keys` present take in the store, keys included.
fn stored_bytes(kv: &dyn Kv, keys: &[&str]) -> Result<usize, KvError> {
    let mut n = 0;
    for k in keys {
        n += kv.size(k)?.map_or(0, |v| (k.encode_utf16().count() + v) * 2);
    }
    Ok(n)
}

fn remove_all(kv: &mut dyn Kv, keys: &[&str]) -> Result<(), KvError> {
    for k in keys {
        kv.remove(k)?;
    }
    Ok(())
}

fn remove_replicated(kv: &mut dyn Kv, base: &str) -> Result<(), KvError> {
    for r in 0..REPLICAS {
        kv.remove(&format!("{base}:{r}"))?;
    }
    Ok(())
}

impl Session {
    fn header(&self, kind: ChunkKind, seq: u64, bucket: Option<u16>, gen: u64) -> Header {
        Header {
            st: chunk::CHUNK_VERSION,
            kind,
            ws: self.ws,
            epoch: self.epoch,
            writer: chunk::writer_hex(self.writer),
            seq,
            bucket,
            gen,
            buckets: self.buckets,
            sum: String::new(),
            after: Vec::new(),
        }
    }

    fn next_stamp(&mut self) -> Stamp {
        self.lamport += 1;
        Stamp { lamport: self.lamport, writer: self.writer }
    }

    /// Edits in memory not yet stored (a write failed); they go with the
    /// next commit.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Journal entries stored and not yet folded (compaction has work).
    pub fn journal_len(&self, kv: &dyn Kv) -> usize {
        kv.keys().map(|k| k.iter().filter(|k| k.starts_with(JOURNAL) && k.ends_with(":0")).count()).unwrap_or(0)
    }

    /// Writes the cells an edit changed, as one journal entry (two keys),
    /// at once. On failure the cells stay pending for the next commit.
    /// Returns the UTF-16 units written.
    pub fn commit(&mut self, kv: &mut dyn Kv, ws: &Workspace, changed: &[CellKey]) -> Result<usize, SaveError> {
        self.pending.extend(changed.iter().copied());
        if self.pending.is_empty() {
            return Ok(0);
        }
        let stamp = self.next_stamp();
        let states: Vec<State> = self.pending.iter().map(|k| State { key: *k, stamp, value: cells::get(ws, *k) }).collect();
        self.seq += 1;
        let base = journal_base(self.writer, self.seq);
        let mut header = self.header(ChunkKind::Journal, self.seq, None, 0);
        header.after = states
            .iter()
            .map(|s| self.stamps.get(&s.key).map_or((0, chunk::writer_hex(0)), |b| (b.lamport, chunk::writer_hex(b.writer))))
            .collect();
        let text = chunk::write(&header, &states);
        let written = put_replicated(kv, &base, &text)?;
        for s in &states {
            self.stamps.insert(s.key, stamp);
        }
        self.pending.clear();
        self.seen.insert(base, buckets_of(&states, self.buckets));
        Ok(written)
    }

    /// Writes the whole document as a new epoch (first run, import, reset,
    /// restore, the move from the previous layout).
    ///
    /// First one replica of every bucket: the new epoch is then complete,
    /// and newer than the one it replaces, so it is the document. Then the
    /// other replicas, beside the previous document; when they do not fit
    /// there and removing the previous document (already in memory and, for
    /// a replace, in its backup) frees enough, it goes first. Once every
    /// replica is down, the chunks of other epochs and the previous layout's
    /// keys are removed. So the store needs room for the old document and
    /// one copy of the new, then for two copies of the new, never for all
    /// three at once.
    ///
    /// Refused, with nothing of the current document touched and nothing of
    /// the new one left behind, when the new document does not fit. If the
    /// room freed by the old document is taken before the last replicas are
    /// down (another app on the origin), the document stays stored complete
    /// with one replica of some buckets; opening writes the missing ones.
    pub fn write_all(&mut self, kv: &mut dyn Kv, ws: &Workspace, epoch: Id) -> Result<usize, SaveError> {
        let stamp = self.next_stamp();
        let mut by_bucket: BTreeMap<u16, Vec<State>> = (0..BUCKETS).map(|b| (b, Vec::new())).gather_map();
        for (k, v) in cells::all(ws) {
            by_bucket.entry(bucket_of(k, BUCKETS)).or_default().push(State { key: k, stamp, value: Some(v) });
        }
        let before: Vec<String> = kv.keys()?.into_iter().filter(|k| k.starts_with(JOURNAL) || k.starts_with(BUCKET)).collect();
        let mut next = self.clone();
        next.epoch = epoch;
        next.ws = ws.meta.id;
        next.buckets = BUCKETS;
        let chunks: Vec<(String, String)> = by_bucket
            .iter()
            .map(|(b, states)| {
                (bucket_base(epoch, *b, 1, self.writer), chunk::write(&next.header(ChunkKind::Bucket, 0, Some(*b), 1), states))
            })
            .collect();
        let needed: usize = chunks.iter().map(|(b, t)| replicated_bytes(b, t)).sum();
        // Every replica to write, the first of each bucket first.
        let writes: Vec<(&str, &str, u8)> =
            (0..REPLICAS).flat_map(|r| chunks.iter().map(move |(b, t)| (b.as_str(), t.as_str(), r))).collect();
        let complete_after = chunks.len();
        let previous: Vec<&str> =
            before.iter().map(String::as_str).chain([super::KEY_POINTER, super::KEY_SLOT_A, super::KEY_SLOT_B]).collect();
        let current = stored_bytes(kv, &previous)?;
        let mut old_gone = false;
        let mut written = 0;
        let mut j = 0;
        while j < writes.len() {
            let (base, text, r) = writes[j];
            let e = match put_replica(kv, base, r, text) {
                Ok(n) => {
                    written += n;
                    j += 1;
                    continue;
                }
                Err(e) => e,
            };
            if old_gone {
                // The new document is the only one stored, complete: keep it.
                break;
            }
            if j >= complete_after && e == SaveError::Store(KvError::Quota) {
                // Less room was left than this write: with the previous
                // document removed, at least its size is. Enough for the rest?
                let rest: usize = writes[j..].iter().map(|(b, t, _)| replica_bytes(b, t)).sum();
                if rest <= current {
                    remove_all(kv, &previous)?;
                    old_gone = true;
                    continue;
                }
            }
            // Not complete, or not to be completed: never the document. Take
            // back what was written (it only takes room) and say how much the
            // whole would have needed against what the store held.
            let usage = super::usage(kv).unwrap_or_default();
            for (base, _) in &chunks {
                let _ = remove_replicated(kv, base);
            }
            return Err(match e {
                SaveError::Store(KvError::Quota) => SaveError::DoesNotFit {
                    needed,
                    held: usage.total(),
                    current,
                    backup: usage.backup,
                    other: usage.quarantine + usage.other + usage.foreign,
                },
                e => e,
            });
        }
        // The new epoch is down: the old one's chunks and the previous layout can go.
        if !old_gone {
            remove_all(kv, &previous)?;
        }
        next.stamps = by_bucket.values().flatten().map(|s| (s.key, stamp)).collect();
        next.whole = stamp;
        next.pending.clear();
        next.seen.clear();
        *self = next;
        Ok(written)
    }

    /// The document as stored, as one backup text made of its chunks as
    /// they are: this epoch's bucket versions and the journal entries, one
    /// replica each ([`read_backup`] reads it). Nothing is serialised,
    /// hashed or compressed again, so the backup before an import costs a
    /// read of the store, not a second compression of the whole document.
    /// None when the store may not hold what is in memory (edits waiting
    /// for room, no epoch opened or written) or a bucket has no intact
    /// replica: the caller backs the document up from memory then.
    pub fn stored_backup(&self, kv: &dyn Kv) -> Result<Option<String>, KvError> {
        if !self.pending.is_empty() || self.stamps.is_empty() {
            return Ok(None);
        }
        let epoch_prefix = epoch_prefix(self.epoch);
        let bases: BTreeSet<String> = kv
            .keys()?
            .into_iter()
            .filter(|k| k.starts_with(&epoch_prefix) || k.starts_with(JOURNAL))
            .map(|k| base_of(&k).to_string())
            .collect();
        let mut buckets: BTreeSet<u16> = BTreeSet::new();
        let mut out = String::from(BACKUP_MAGIC);
        for base in &bases {
            let bucket = base.strip_prefix(&epoch_prefix).and_then(|rest| rest.split(':').next()).and_then(|b| b.parse::<u16>().ok());
            match intact_replica(kv, base)? {
                Some(raw) => {
                    buckets.extend(bucket);
                    if out.len() > BACKUP_MAGIC.len() {
                        out.push('\n');
                    }
                    out.push_str(&raw);
                }
                // A journal entry with no intact replica was never opened
                // into the document either; a bucket is needed.
                None if bucket.is_some() => return Ok(None),
                None => {}
            }
        }
        Ok((0..self.buckets).all(|b| buckets.contains(&b)).then_some(out))
    }

    /// Takes in a chunk another tab wrote (by any of its replica keys): a
    /// journal entry, or a bucket version (a compaction may have folded
    /// entries this tab had not read yet). Each cell whose stamp beats ours
    /// goes into `ws`. Returns what changed, and as conflicts the cells this
    /// tab changed itself whose state the other tab replaced without having
    /// seen it: a change not stored yet (a failed write) always; a stored
    /// one unless the entry says it was written on top of it
    /// ([`chunk::Header::after`]; buckets and write-backs do not say, so
    /// there any replaced change of this tab's counts).
    pub fn take_in(&mut self, kv: &mut dyn Kv, ws: &mut Workspace, key: &str) -> Result<TakenIn, KvError> {
        let base = base_of(key).to_string();
        if !is_chunk_key(key) {
            return Ok(TakenIn::default());
        }
        if self.seen.contains_key(&base) {
            // An entry taken in does not change: a write under its key is a
            // repair, or damage.
            let unread = kv.get(key)?.is_some_and(|raw| !chunk::read(&raw).is_ok_and(|c| fits_key(key, &c.header)));
            return Ok(TakenIn { unread, ..Default::default() });
        }
        let Some(c) = intact_chunk(kv, &base)? else { return Ok(TakenIn { unread: true, ..Default::default() }) };
        if c.header.epoch != self.epoch {
            // Another epoch: a newer one than the document's means the
            // workspace was replaced (an import or reset in another tab);
            // an older one is leftovers. Newer than the document, not than
            // every stamp seen: a tab that reopened while the other was
            // still writing the new epoch has seen its first buckets (and
            // opened the old, still complete, epoch); the rest must still
            // say "replaced", or it stays on the old workspace for good.
            let document = self.stamps.values().map(|s| s.lamport).max().unwrap_or(0);
            let newer = c.states.iter().map(|s| s.stamp.lamport).max().unwrap_or(0) > document;
            return Ok(TakenIn { replaced: newer, ..Default::default() });
        }
        let mut out = TakenIn::default();
        let after = c.header.after_stamps(c.states.len());
        for (i, s) in c.states.iter().enumerate() {
            self.lamport = self.lamport.max(s.stamp.lamport);
            let ours = self.stamps.get(&s.key).copied().unwrap_or_default();
            if s.stamp > ours {
                // A change of this tab's not stored yet (its write failed) was
                // seen by no one: replacing it is always a conflict.
                let unsaved = self.pending.contains(&s.key);
                let mine = unsaved || (ours.writer == self.writer && ours.lamport > 0 && ours != self.whole);
                // Written on top of this tab's own stored state: one edit after the other.
                let on_ours = !unsaved && after.as_ref().is_some_and(|a| a[i] == ours);
                if mine && !on_ours && cells::get(ws, s.key) != s.value {
                    out.conflicts.push(s.key);
                }
                // A cell that does not read is left as it is (the entry is kept
                // in storage; a later build may read it).
                if cells::set(ws, s.key, s.value.as_deref()).is_err() {
                    out.unreadable += 1;
                    continue;
                }
                self.stamps.insert(s.key, s.stamp);
                self.pending.remove(&s.key);
                out.changed.push(s.key);
            }
        }
        if c.header.kind == ChunkKind::Journal {
            self.seen.insert(base, buckets_of(&c.states, self.buckets));
        }
        Ok(out)
    }

    /// Chunks of this document went away or were spoiled under this tab
    /// (the `storage` events' keys; None: the whole store was cleared):
    /// another tab's open set a damaged one aside, say, or one was removed
    /// by hand. The store must still hold everything this tab holds, or it
    /// opens without it, or (a bucket gone) not at all. So the buckets the
    /// chunks touched are read as stored now: one left with no intact
    /// version is written again whole from memory (an edit still waiting
    /// for room goes in with a new stamp: its stored state went with the
    /// bucket), and the cells of the others whose newest state the store
    /// lacks are written again as a journal entry, each with its own stamp
    /// (a later state elsewhere still wins). A document replaced by another
    /// tab (an import) asks nothing.
    pub fn keep_whole(&mut self, kv: &mut dyn Kv, ws: &Workspace, keys_gone: Option<&[String]>) -> Result<KeptWhole, SaveError> {
        if self.stamps.is_empty() {
            return Ok(KeptWhole::default());
        }
        let prefix = epoch_prefix(self.epoch);
        let n = usize::from(self.buckets);
        let keys = kv.keys()?;
        // Each bucket's latest version stored, by index (0: none at all).
        let mut gens = vec![0u64; n];
        for (b, gen) in keys.iter().filter_map(|k| bucket_in(base_of(k), &prefix)).filter(|(b, _)| usize::from(*b) < n) {
            gens[usize::from(b)] = gens[usize::from(b)].max(gen);
        }
        // The buckets to read, by index, and the latest version gone of each.
        let mut suspect = vec![keys_gone.is_none(); n];
        let mut gone = vec![0u64; n];
        for k in keys_gone.unwrap_or_default() {
            match bucket_in(base_of(k), &prefix).filter(|(b, _)| usize::from(*b) < n) {
                // Read even when a newer version is down: that may be a
                // compaction (it holds all this one held), or another tab's
                // write-back of the bucket from its memory, which holds only
                // what that tab had taken in (an entry it compacted unseen is
                // not among it). The cells this tab holds newer go again.
                Some((b, gen)) => {
                    suspect[usize::from(b)] = true;
                    gone[usize::from(b)] = gone[usize::from(b)].max(gen);
                }
                None if is_journal_key(k) && intact_chunk(kv, base_of(k))?.is_none() => {
                    for b in self.seen.remove(base_of(k)).unwrap_or_default().into_iter().filter(|b| usize::from(*b) < n) {
                        suspect[usize::from(b)] = true;
                    }
                }
                None => {}
            }
        }
        if !suspect.contains(&true) {
            return Ok(KeptWhole::default());
        }
        let in_suspect = |k: CellKey| suspect[usize::from(bucket_of(k, self.buckets))];
        let bases: BTreeSet<&str> =
            keys.iter().filter(|k| k.starts_with(JOURNAL) || k.starts_with(&prefix)).map(|k| base_of(k)).gather_set();
        // The newest stamp the store holds of each cell of the suspects, and
        // the buckets with an intact version (or one of a newer format: not
        // this build's to call lost).
        let mut stored: rustc_hash::FxHashMap<CellKey, Stamp> = Default::default();
        let mut have = vec![false; n];
        for base in bases {
            let bucket = bucket_in(base, &prefix).filter(|(b, _)| usize::from(*b) < n);
            if bucket.is_some_and(|(b, _)| !suspect[usize::from(b)]) {
                continue;
            }
            let Some(c) = intact_chunk(kv, base)? else {
                if let Some((b, _)) = bucket.filter(|_| newer_format(kv, base)) {
                    have[usize::from(b)] = true;
                }
                continue;
            };
            if c.header.epoch != self.epoch {
                continue;
            }
            if let Some((b, _)) = bucket {
                have[usize::from(b)] = true;
            }
            for st in c.states.iter().filter(|st| in_suspect(st.key)) {
                let at = stored.entry(st.key).or_default();
                *at = (*at).max(st.stamp);
            }
        }
        let lost: Vec<u16> = (0..self.buckets).filter(|b| suspect[usize::from(*b)] && !have[usize::from(*b)]).collect();
        // Most of the document's buckets gone at once, with another complete
        // epoch stored, is a replace under way in another tab.
        let mostly_gone = gens.iter().filter(|g| **g == 0).count() * 2 > n;
        if !lost.is_empty() && self.superseded(kv, &keys, &prefix, mostly_gone)? {
            return Ok(KeptWhole { replaced: true, ..KeptWhole::default() });
        }
        let mut out = KeptWhole::default();
        let mut ours: Vec<(CellKey, Stamp)> =
            self.stamps.iter().filter(|(k, _)| in_suspect(**k) && !self.pending.contains(k)).map(|(k, s)| (*k, *s)).collect();
        // Edits waiting for room in a lost bucket: their stored state is gone, so they go now.
        let waiting: Vec<CellKey> = self.pending.iter().copied().filter(|k| lost.contains(&bucket_of(*k, self.buckets))).collect();
        if !waiting.is_empty() {
            let fresh = self.next_stamp();
            ours.extend(waiting.iter().map(|k| (*k, fresh)));
        }
        ours.arrange();
        let state = |(key, stamp): &(CellKey, Stamp)| State { key: *key, stamp: *stamp, value: cells::get(ws, *key) };
        for &b in &lost {
            let states: Vec<State> = ours.iter().filter(|(k, _)| bucket_of(*k, self.buckets) == b).map(state).collect();
            // Above every version stored, gone, or written back here: a new key.
            let gen = gens[usize::from(b)].max(gone[usize::from(b)]).max(self.written_back) + 1;
            self.written_back = gen;
            let text = chunk::write(&self.header(ChunkKind::Bucket, 0, Some(b), gen), &states);
            put_replicated(kv, &bucket_base(self.epoch, b, gen, self.writer), &text)?;
            out.buckets.push(b);
            for st in states.iter().filter(|st| self.pending.remove(&st.key)) {
                self.stamps.insert(st.key, st.stamp);
            }
        }
        let behind: Vec<State> = ours
            .iter()
            .filter(|(k, s)| !lost.contains(&bucket_of(*k, self.buckets)) && stored.get(k).is_none_or(|t| t < s))
            .map(state)
            .collect();
        if !behind.is_empty() {
            // The sequence moves on first: a key written in part is never reused.
            self.seq += 1;
            let base = journal_base(self.writer, self.seq);
            let text = chunk::write(&self.header(ChunkKind::Journal, self.seq, None, 0), &behind);
            put_replicated(kv, &base, &text)?;
            self.seen.insert(base, buckets_of(&behind, self.buckets));
            out.cells = behind.len();
        }
        Ok(out)
    }

    /// Has another tab replaced this document (an import, a reset: then
    /// [`Session::take_in`] reopens)? So it is when another epoch is
    /// complete by its keys and newer than the document (a new epoch's
    /// chunks carry its first stamp or a later one), or when it is complete
    /// and most of this document's buckets are gone at once (`mostly_gone`:
    /// the replacing tab's stamp may not have been above this one's newest
    /// edit; a damaged or removed chunk takes a bucket or two, and clearing
    /// the store takes the other epoch too).
    fn superseded(&self, kv: &dyn Kv, keys: &[String], prefix: &str, mostly_gone: bool) -> Result<bool, KvError> {
        let document = self.stamps.values().map(|s| s.lamport).max().unwrap_or(0);
        // Other epochs' bucket versions: (epoch, bucket, base key), by epoch.
        let mut versions: Vec<(&str, u16, &str)> = keys
            .iter()
            .filter(|k| k.starts_with(BUCKET) && !k.starts_with(prefix))
            .filter_map(|k| {
                let base = base_of(k);
                let (epoch, rest) = base[BUCKET.len()..].split_once(':')?;
                Some((epoch, rest.split(':').next()?.parse().ok()?, base))
            })
            .collect();
        versions.arrange();
        for epoch in versions.chunk_by(|a, b| a.0 == b.0) {
            let Some(c) = epoch.iter().find_map(|v| intact_chunk(kv, v.2).ok().flatten()) else { continue };
            let complete = (0..c.header.buckets).all(|b| epoch.iter().any(|v| v.1 == b));
            if complete && (mostly_gone || c.states.iter().map(|s| s.stamp.lamport).max().unwrap_or(0) > document) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Buckets of this epoch stored in more than one version (written back
    /// by several tabs at once, say): a compaction folds each into one.
    fn split_buckets(&self, keys: &[String]) -> BTreeSet<u16> {
        let prefix = epoch_prefix(self.epoch);
        let mut versions: Vec<(u16, &str)> =
            keys.iter().filter_map(|k| bucket_in(base_of(k), &prefix).map(|(b, _)| (b, base_of(k)))).collect();
        versions.arrange();
        versions.dedup();
        versions.chunk_by(|a, b| a.0 == b.0).filter(|v| v.len() > 1).map(|v| v[0].0).gather_set()
    }

    /// Is there anything for [`Session::compact_step`] to fold: a journal
    /// entry, or a bucket in more than one version?
    pub fn compaction_due(&self, kv: &dyn Kv) -> bool {
        kv.keys().is_ok_and(|keys| keys.iter().any(|k| k.starts_with(JOURNAL)) || !self.split_buckets(&keys).is_empty())
    }

    /// Folds journal entries into buckets, one bucket per call (a small
    /// step for idle time). Returns true while there is more to do.
    pub fn compact_step(&mut self, kv: &mut dyn Kv, plan: &mut Option<Compaction>) -> Result<bool, SaveError> {
        if plan.as_ref().is_some_and(|p| p.epoch != self.epoch) {
            *plan = None;
        }
        if plan.is_none() {
            // A round: the journal entries of this epoch stored now, the
            // buckets they touch, and those stored in more than one version.
            let keys = kv.keys()?;
            let mut todo = self.split_buckets(&keys);
            let mut entries: BTreeMap<String, Vec<State>> = BTreeMap::new();
            for k in keys.into_iter().filter(|k| k.starts_with(JOURNAL)) {
                let base = base_of(&k).to_string();
                if entries.contains_key(&base) {
                    continue;
                }
                if let Some(Ok(c)) = kv.get(&k)?.map(|raw| chunk::read(&raw)) {
                    if c.header.epoch == self.epoch {
                        entries.insert(base, c.states);
                    }
                }
            }
            todo.extend(entries.values().flatten().map(|s| bucket_of(s.key, self.buckets)));
            if todo.is_empty() {
                return Ok(false);
            }
            *plan = Some(Compaction { epoch: self.epoch, entries, todo: todo.into_iter().collect() });
        }
        let round = plan.as_mut().expect("a round");
        if let Some(b) = round.todo.pop() {
            // Every version of this bucket (any writer, any replica) merged with the round's entries.
            let prefix = format!("{}{b}:", epoch_prefix(self.epoch));
            let mut versions: BTreeSet<String> = BTreeSet::new();
            let mut states: Vec<State> = Vec::new();
            let mut gen = 0;
            for k in kv.keys()?.into_iter().filter(|k| k.starts_with(&prefix)) {
                if let Some(Ok(c)) = kv.get(&k)?.map(|raw| chunk::read(&raw)) {
                    if c.header.epoch == self.epoch {
                        gen = gen.max(c.header.gen);
                        versions.insert(base_of(&k).to_string());
                        states.extend(c.states);
                    }
                }
            }
            states.extend(round.entries.values().flatten().filter(|s| bucket_of(s.key, self.buckets) == b).cloned());
            let merged: Vec<State> = merge(states.iter()).into_values().cloned().collect();
            let base = bucket_base(self.epoch, b, gen + 1, self.writer);
            let text = chunk::write(&self.header(ChunkKind::Bucket, 0, Some(b), gen + 1), &merged);
            put_replicated(kv, &base, &text)?;
            for v in versions.iter().filter(|v| **v != base) {
                remove_replicated(kv, v)?;
            }
            return Ok(true);
        }
        // Every bucket the round touched is down: its journal entries can go.
        for base in round.entries.keys() {
            remove_replicated(kv, base)?;
        }
        *plan = None;
        Ok(false)
    }
}

/// A compaction round in progress (see [`Session::compact_step`]).
#[derive(Clone, Debug)]
pub struct Compaction {
    /// The epoch the round folds: a round begun before the document was
    /// replaced (an import, a reset) is dropped, never folded into the new one.
    epoch: Id,
    entries: BTreeMap<String, Vec<State>>,
    todo: Vec<u16>,
}

/// What another tab's entry changed here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TakenIn {
    pub changed: Vec<CellKey>,
    /// Cells this tab had changed whose state lost to one written without
    /// seeing it (see [`Session::take_in`]).
    pub conflicts: Vec<CellKey>,
    /// The other tab replaced the workspace (an import or reset): reopen.
    pub replaced: bool,
    /// Cells whose stored state could not be read (left as they were).
    pub unreadable: usize,
    /// No replica of the chunk named reads (removed or damaged): worth a
    /// [`Session::keep_whole`].
    pub unread: bool,
}

/// What [`Session::keep_whole`] wrote back from memory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeptWhole {
    /// Buckets left with no intact version, written again whole.
    pub buckets: Vec<u16>,
    /// Cells whose newest state the store no longer held, written again
    /// (with their own stamps) as one journal entry.
    pub cells: usize,
    /// The document was replaced in another tab (an import, a reset, by a
    /// tab whose stamps may be behind this one's): reopen.
    pub replaced: bool,
}

impl KeptWhole {
    pub fn wrote(&self) -> bool {
        !self.buckets.is_empty() || self.cells > 0
    }
}
