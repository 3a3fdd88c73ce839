//! A stored chunk: a set of cell states with their stamps, in one key.
//! Journal entries (one per edit) and bucket versions (the compacted
//! document) are both chunks; they differ only in their header.
//!
//! The text, before packing (see `pack`), is a header line and a body line:
//!
//! ```text
//! {"st":2,"kind":"j","ws":"<workspace id>","epoch":"<id>","writer":"<hex>","seq":7,"bucket":null,"gen":0,"buckets":64,"sum":"<sha-256 of the body>","after":[[41,"<writer hex>"],…]}
//! [["units","<id>",42,"<writer hex>",{…record…}],["opportunities","<id>",43,"<writer hex>",null],…]
//! ```
//!
//! Each cell state is (section, id or null, lamport, writer, value or null
//! for "absent"). The checksum covers the body, so a damaged, cut or edited
//! chunk is refused whole; the header is checked against the chunk's key.

use super::cells::{CellKey, Section};
use crate::model::Id;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

/// Format version of chunks.
pub const CHUNK_VERSION: u32 = 2;

/// Who wrote a state and when, in Lamport order: a state with a higher
/// stamp replaces one with a lower stamp. Ties cannot happen (a writer
/// never reuses a Lamport value).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Stamp {
    pub lamport: u64,
    pub writer: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChunkKind {
    /// One edit's cells.
    #[serde(rename = "j")]
    Journal,
    /// One bucket of the compacted document.
    #[serde(rename = "b")]
    Bucket,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub st: u32,
    pub kind: ChunkKind,
    /// The workspace (its meta id).
    pub ws: Id,
    /// The full write this chunk's lineage started from (first run, an
    /// import, a reset): chunks of an older epoch are never merged in.
    pub epoch: Id,
    /// Hex of the writing tab's id.
    pub writer: String,
    /// Journal: the writer's sequence number. Bucket: 0.
    pub seq: u64,
    /// Bucket: its index. Journal: None.
    pub bucket: Option<u16>,
    /// Bucket: its version (one above the versions it replaced).
    pub gen: u64,
    /// Buckets the epoch's document is spread over.
    pub buckets: u16,
    /// SHA-256 of the body, hex.
    pub sum: String,
    /// Journal: for each state of the body, in order, the stamp of the
    /// state its writer held for that cell when it wrote this one
    /// ([`Stamp::default`] for none), as (lamport, writer hex). A tab whose
    /// own state this one replaces tells an edit made on top of its own
    /// (one after the other: no conflict) from one made without seeing it.
    /// Empty in buckets, in write-backs (`Session::keep_whole`: states with
    /// their first stamps) and in entries of earlier builds (which ignore
    /// it): every replaced state of a tab's own is then taken as concurrent.
    /// Outside the checksum, like the rest of the header: edited by hand it
    /// can only add or hide a conflict notice, never change a record.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "lenient_after")]
    pub after: Vec<(u64, String)>,
}

/// [`Header::after`] as read: anything but a list of stamps (an entry
/// edited by hand) reads as none, as earlier builds read it, rather than
/// making the chunk unreadable.
fn lenient_after<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(u64, String)>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum After {
        Stamps(Vec<(u64, String)>),
        Other(serde::de::IgnoredAny),
    }
    Ok(match After::deserialize(d)? {
        After::Stamps(v) => v,
        After::Other(_) => Vec::new(),
    })
}

impl Header {
    /// The stamps of [`Header::after`], one per state, or None when they
    /// are not there (or not one per state: an entry edited by hand).
    pub fn after_stamps(&self, states: usize) -> Option<Vec<Stamp>> {
        if self.after.len() != states {
            return None;
        }
        self.after.iter().map(|(lamport, w)| Some(Stamp { lamport: *lamport, writer: u64::from_str_radix(w, 16).ok()? })).collect()
    }
}

/// A cell state as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub key: CellKey,
    pub stamp: Stamp,
    /// The record's JSON; None when the record is absent (deleted).
    pub value: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub header: Header,
    pub states: Vec<State>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChunkError {
    Unpack(String),
    NoHeader,
    BadHeader(String),
    NewerFormat(u32),
    Checksum,
    BadBody(String),
}

impl ChunkError {
    pub fn message(&self, lang: crate::Lang) -> String {
        let d = match self {
            ChunkError::Unpack(e) => format!("unpack: {e}"),
            ChunkError::NoHeader => "no header".into(),
            ChunkError::BadHeader(e) => format!("header: {e}"),
            ChunkError::NewerFormat(v) => format!("format {v}"),
            ChunkError::Checksum => "checksum".into(),
            ChunkError::BadBody(e) => format!("body: {e}"),
        };
        lang.pick(format!("存储的数据块已损坏（技术细节：{d}）"), format!("a stored chunk is damaged ({d})"))
    }
}

pub fn writer_hex(w: u64) -> String {
    format!("{w:016x}")
}

fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// Lowercase hex, as the header's checksum is written.
fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[derive(Serialize)]
struct StateOut<'a>(&'a str, Option<String>, u64, String, Option<&'a RawValue>);

#[derive(Deserialize)]
struct StateIn<'a>(&'a str, Option<Id>, u64, &'a str, #[serde(borrow)] Option<&'a RawValue>);

/// The chunk's text (packed, ready to store).
pub fn write(header: &Header, states: &[State]) -> String {
    let raws: Vec<Option<Box<RawValue>>> =
        states.iter().map(|s| s.value.as_ref().map(|v| RawValue::from_string(v.clone()).expect("cell values are JSON"))).collect();
    let body: Vec<StateOut> = states
        .iter()
        .zip(&raws)
        .map(|(s, r)| {
            StateOut(s.key.section.name(), s.key.id.map(|i| i.to_string()), s.stamp.lamport, writer_hex(s.stamp.writer), r.as_deref())
        })
        .collect();
    let body = serde_json::to_string(&body).expect("states serialise");
    let header = Header { st: CHUNK_VERSION, sum: sha256_hex(&body), ..header.clone() };
    let text = format!("{}\n{}", serde_json::to_string(&header).expect("header serialises"), body);
    super::pack::pack(&text)
}

/// Reads a stored chunk; refuses anything damaged, cut or from a newer format.
pub fn read(raw: &str) -> Result<Chunk, ChunkError> {
    let (chunk, body) = read_unchecked(raw)?;
    if !body.check() {
        return Err(ChunkError::Checksum);
    }
    Ok(chunk)
}

/// A chunk's body whose checksum is still to be compared (see
/// [`read_unchecked`]).
#[derive(Clone, Debug)]
pub struct Body {
    text: String,
    at: usize,
    sum: String,
}

impl Body {
    /// The text the header's checksum covers.
    pub fn body(&self) -> &str {
        &self.text[self.at..]
    }
    /// True when `digest` (the SHA-256 of [`Body::body`]) is the header's checksum.
    pub fn matches(&self, digest: &[u8]) -> bool {
        hex(digest) == self.sum
    }
    /// Compares the checksum here and now.
    pub fn check(&self) -> bool {
        sha256_hex(self.body()) == self.sum
    }
}

/// Reads a stored chunk as [`read`] does, all but comparing the body's
/// checksum: the caller does that ([`Body::matches`]) before it trusts the
/// chunk (the browser hashes with the platform's SHA-256, several times
/// faster than this crate's in wasm). A body that does not read is told
/// as [`read`] tells it: a checksum mismatch if it is not the one summed.
pub fn read_unchecked(raw: &str) -> Result<(Chunk, Body), ChunkError> {
    let (text, header, at) = unpacked(raw)?;
    let body = Body { sum: header.sum.clone(), text, at };
    match states(body.body()) {
        Ok(states) => Ok((Chunk { header, states }, body)),
        Err(_) if !body.check() => Err(ChunkError::Checksum),
        Err(e) => Err(e),
    }
}

/// The chunk's text, its header, and where its body starts.
fn unpacked(raw: &str) -> Result<(String, Header, usize), ChunkError> {
    let text = super::pack::unpack(raw).map_err(|e| ChunkError::Unpack(format!("{e:?}")))?;
    let head = text.split_once('\n').ok_or(ChunkError::NoHeader)?.0;
    let header: Header = serde_json::from_str(head).map_err(|e| ChunkError::BadHeader(e.to_string()))?;
    if header.st > CHUNK_VERSION {
        return Err(ChunkError::NewerFormat(header.st));
    }
    let at = head.len() + 1;
    Ok((text, header, at))
}

fn states(body: &str) -> Result<Vec<State>, ChunkError> {
    let parsed: Vec<StateIn> = serde_json::from_str(body).map_err(|e| ChunkError::BadBody(e.to_string()))?;
    let mut states = Vec::with_capacity(parsed.len());
    for StateIn(section, id, lamport, writer, value) in parsed {
        let section = Section::from_name(section).ok_or_else(|| ChunkError::BadBody(format!("unknown section {section}")))?;
        if section.is_single() != id.is_none() {
            return Err(ChunkError::BadBody(format!("{}: id", section.name())));
        }
        let writer = u64::from_str_radix(writer, 16).map_err(|_| ChunkError::BadBody("writer".into()))?;
        states.push(State { key: CellKey { section, id }, stamp: Stamp { lamport, writer }, value: value.map(|v| v.get().to_string()) });
    }
    Ok(states)
}

/// The bucket a cell lives in: a stable function of its section and id
/// (ids are random or hashed, so cells spread evenly).
pub fn bucket_of(key: CellKey, buckets: u16) -> u16 {
    let b = match key.id {
        None => 0,
        Some(id) => {
            let bytes = id.0.as_bytes();
            u16::from_le_bytes([bytes[14], bytes[15]]) ^ (key.section as u16).wrapping_mul(40_503)
        }
    };
    b % buckets.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        let id = Id::from_random_bytes([1; 16]);
        Header {
            st: CHUNK_VERSION,
            kind: ChunkKind::Journal,
            ws: id,
            epoch: id,
            writer: writer_hex(7),
            seq: 1,
            bucket: None,
            gen: 0,
            buckets: 64,
            sum: String::new(),
            after: Vec::new(),
        }
    }

    #[test]
    fn chunks_round_trip_and_refuse_damage() {
        let unit = Id::from_random_bytes([2; 16]);
        let states = vec![
            State { key: CellKey::record(Section::Units, unit), stamp: Stamp { lamport: 3, writer: 7 }, value: Some("{\"a\":1}".into()) },
            State { key: CellKey::single(Section::Settings), stamp: Stamp { lamport: 4, writer: 7 }, value: Some("[1,2]".into()) },
            State { key: CellKey::record(Section::People, unit), stamp: Stamp { lamport: 5, writer: 9 }, value: None },
        ];
        let raw = write(&header(), &states);
        let c = read(&raw).unwrap();
        assert_eq!(c.states, states);
        assert_eq!(c.header.seq, 1);
        // Any change to the body is caught by the checksum.
        let text = super::super::pack::unpack(&raw).unwrap();
        let edited = super::super::pack::pack(&text.replace("\"a\":1", "\"a\":2"));
        assert_eq!(read(&edited), Err(ChunkError::Checksum));
        let cut: String = raw.chars().take(raw.chars().count() - 3).collect();
        assert!(read(&cut).is_err());
        let newer = super::super::pack::pack(&text.replace("\"st\":2", "\"st\":3"));
        assert_eq!(read(&newer), Err(ChunkError::NewerFormat(3)));
    }
}
