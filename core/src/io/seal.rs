//! Signed files: proof of who wrote a file.
//!
//! A signature (Ed25519) covers the file's envelope as canonical JSON —
//! every top-level field except `data`, the signature block included but
//! without its own `value` — after a fixed context string. The envelope
//! holds `checksum`, the SHA-256 of the canonical `data`, and the reader
//! checks it, so the signature covers the data as well: any change to any
//! value of the file breaks one of the two. Re-indenting a file keeps both.
//!
//! The signature proves which *key* signed. Which *person* that is comes
//! from the receiving workspace's known keys ([`crate::model::KnownKey`]),
//! never from the file: a file's own claim of its signer is shown as a
//! claim until its key is recorded ([`Trust`]).

use super::{canonical_json, FILE_TYPE};
use crate::i18n::Lang;
use crate::model::{Id, KnownKey, PublicKey, Sender, Workspace};
use base64ct::{Base64, Encoding};
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::BTreeMap;
use zeroize::Zeroizing;

pub const SIG_ALG: &str = "ed25519";
/// Signed before the envelope: a signature made for another purpose with
/// the same key can never pass as a file's.
const CONTEXT: &[u8] = b"sales-tiers signed file v1\n";
/// The `type` of a key file.
pub const KEY_FILE_TYPE: &str = "sales-tiers-key";

/// A signing key pair. The secret half is wiped when dropped.
pub struct KeyPair(SigningKey);

impl KeyPair {
    /// The key pair of a 32-byte secret seed. A new key takes 32 random
    /// bytes from the platform (web crypto, the OS), never a seeded RNG.
    pub fn from_seed(seed: [u8; 32]) -> KeyPair {
        KeyPair(SigningKey::from_bytes(&seed))
    }

    pub fn seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key().to_bytes())
    }
}

/// Can anyone sign with this key? False for bytes that are not a point on
/// the curve and for the weak (small-order) keys strict verification refuses.
pub fn usable(key: &PublicKey) -> bool {
    VerifyingKey::from_bytes(&key.0).is_ok_and(|k| !k.is_weak())
}

/// The signature block of a file (`signature`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SignatureBlock {
    /// Always "ed25519".
    pub alg: String,
    /// The public key that made the signature.
    pub key: PublicKey,
    /// Who the signer says they are (a claim until the key is known).
    #[serde(default)]
    pub signer: Option<Sender>,
    /// When it was signed (RFC 3339).
    pub signed_at: DateTime<Utc>,
    /// The signature, base64 of its 64 bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A signature that checked out: made by `key` over this very file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    pub key: PublicKey,
    pub signer: Option<Sender>,
    pub signed_at: DateTime<Utc>,
}

/// Why a file cannot be signed or a signature does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SealError {
    /// Not a file envelope of ours (or no checksum to sign).
    NotAFile,
    /// The signature does not match the file: changed after signing, or
    /// the signature block is damaged.
    Broken,
}

impl SealError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SealError::NotAFile => {
                lang.pick("只能为销售分级管理的文件签名（需含校验和）", "only a Sales Tiers file with a checksum can be signed")
            }
            SealError::Broken => {
                lang.pick("签名不符：文件在签名后被改动过", "the signature does not match: the file was changed after signing")
            }
        }
        .to_string()
    }
}

/// The top-level fields of an envelope, as written.
pub(crate) type Fields<'a> = BTreeMap<String, &'a RawValue>;

/// The bytes a signature covers: the context, then the envelope without
/// `data` and with the signature block's `value` left out, canonical.
fn message(fields: &Fields, block: &SignatureBlock) -> Result<Vec<u8>, SealError> {
    let mut head = serde_json::Map::new();
    for (k, raw) in fields {
        if k == "data" || k == "signature" {
            continue;
        }
        let v: Value = serde_json::from_str(raw.get()).map_err(|_| SealError::NotAFile)?;
        head.insert(k.clone(), v);
    }
    let bare = SignatureBlock { value: None, ..block.clone() };
    head.insert("signature".into(), serde_json::to_value(&bare).map_err(|_| SealError::NotAFile)?);
    let mut out = CONTEXT.to_vec();
    out.extend_from_slice(canonical_json(&Value::Object(head)).as_bytes());
    Ok(out)
}

/// Signs a file written by `io::write` (or any envelope of ours with a
/// checksum): adds or replaces its `signature`. The data is kept as
/// written, byte for byte.
pub fn sign(text: &str, pair: &KeyPair, signer: Option<Sender>, now: DateTime<Utc>) -> Result<String, SealError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut fields: Fields = serde_json::from_str(text).map_err(|_| SealError::NotAFile)?;
    let ours = fields.get("type").map(|t| t.get()) == Some(&format!("\"{FILE_TYPE}\"")[..]);
    let summed = fields.get("checksum").is_some_and(|c| c.get().starts_with('"'));
    if !ours || !summed || !fields.contains_key("data") {
        return Err(SealError::NotAFile);
    }
    fields.remove("signature");
    let signed_at = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
    let mut block = SignatureBlock { alg: SIG_ALG.into(), key: pair.public(), signer, signed_at, value: None };
    let sig: Signature = pair.0.sign(&message(&fields, &block)?);
    block.value = Some(Base64::encode_string(&sig.to_bytes()));
    let block_json = serde_json::to_string(&block).map_err(|_| SealError::NotAFile)?;
    // Head fields compact, in key order, `data` last as it was written.
    let mut out = String::with_capacity(text.len() + 300);
    out.push('{');
    for (k, raw) in fields.iter().filter(|(k, _)| *k != "data") {
        out.push_str(&serde_json::to_string(k).map_err(|_| SealError::NotAFile)?);
        out.push(':');
        match serde_json::from_str::<Value>(raw.get()) {
            Ok(v) => out.push_str(&canonical_json(&v)),
            Err(_) => return Err(SealError::NotAFile),
        }
        out.push(',');
    }
    out.push_str("\"signature\":");
    out.push_str(&block_json);
    out.push_str(",\"data\":");
    out.push_str(fields["data"].get());
    out.push('}');
    Ok(out)
}

/// Checks the signature over an envelope's fields (not the data's
/// checksum: the reader does that). `Ok(None)`: the file is not signed.
pub(crate) fn check_fields(fields: &Fields) -> Result<Option<Signed>, SealError> {
    let Some(raw) = fields.get("signature") else { return Ok(None) };
    if raw.get() == "null" {
        return Ok(None);
    }
    let block: SignatureBlock = serde_json::from_str(raw.get()).map_err(|_| SealError::Broken)?;
    if block.alg != SIG_ALG || !fields.get("checksum").is_some_and(|c| c.get().starts_with('"')) {
        return Err(SealError::Broken);
    }
    let mut sig = [0u8; 64];
    let value = block.value.as_deref().ok_or(SealError::Broken)?;
    match Base64::decode(value, &mut sig) {
        Ok(b) if b.len() == 64 => {}
        _ => return Err(SealError::Broken),
    }
    let key = VerifyingKey::from_bytes(&block.key.0).map_err(|_| SealError::Broken)?;
    // Strict: refuses the weak keys and non-canonical signatures plain
    // Ed25519 verification lets through.
    key.verify_strict(&message(fields, &block)?, &Signature::from_bytes(&sig)).map_err(|_| SealError::Broken)?;
    Ok(Some(Signed { key: block.key, signer: block.signer, signed_at: block.signed_at }))
}

/// Checks the signature of a whole file text: its envelope and that the
/// data still matches the checksum it signed. For `verify` in the CLI; the
/// reader (`io::read`) does the same on every file it opens.
pub fn check(text: &str) -> Result<Option<Signed>, SealError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fields: Fields = serde_json::from_str(text).map_err(|_| SealError::NotAFile)?;
    let signed = check_fields(&fields)?;
    if signed.is_some() {
        let sum = fields.get("checksum").and_then(|c| serde_json::from_str::<String>(c.get()).ok()).unwrap_or_default();
        let data = fields.get("data").ok_or(SealError::Broken)?;
        if !super::data_matches(data.get(), &sum) {
            return Err(SealError::Broken);
        }
    }
    Ok(signed)
}

/// What the receiving workspace makes of a file's signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Not signed.
    Unsigned,
    /// Signed with a key this workspace knows, not revoked.
    Known(KnownKey),
    /// Signed with a key this workspace knows as revoked.
    Revoked(KnownKey),
    /// Signed with a key this workspace does not know.
    Unknown,
}

/// Looks a file's signature up in the workspace's known keys.
pub fn trust(ws: &Workspace, signed: Option<&Signed>) -> Trust {
    let Some(s) = signed else { return Trust::Unsigned };
    match ws.keys.get(&KnownKey::id_for(&s.key)) {
        Some(k) if k.key != s.key => Trust::Unknown,
        Some(k) if k.revoked_at.is_some() => Trust::Revoked(k.clone()),
        Some(k) => Trust::Known(k.clone()),
        None => Trust::Unknown,
    }
}

/// Is `key` recorded in this workspace as revoked?
pub fn revoked(ws: &Workspace, key: &PublicKey) -> bool {
    ws.keys.get(&KnownKey::id_for(key)).is_some_and(|k| k.key == *key && k.revoked_at.is_some())
}

/// The edit that records a file's key as its signer's on first use (the
/// user compared the fingerprint): None when the key is known already (or
/// revoked), or the file does not say who signed it.
pub fn first_use(ws: &Workspace, signed: Option<&Signed>, by: Option<Sender>) -> Option<crate::Edit> {
    let s = signed?;
    let person = s.signer.clone()?;
    (trust(ws, Some(s)) == Trust::Unknown).then_some(crate::Edit::RecordKey {
        person,
        key: s.key,
        origin: crate::model::KeyOrigin::FirstFile,
        by,
    })
}

/// The sender an unsigned file names, when this workspace holds a key of
/// theirs (not revoked): their files come signed, so one without a
/// signature may not be theirs, or may have been changed on the way (a
/// signature taken off a file edited by hand).
pub fn unsigned_from_a_signer(ours: &Workspace, theirs: &Workspace, signed: Option<&Signed>) -> Option<Sender> {
    if signed.is_some() {
        return None;
    }
    let claim = theirs.branch.as_ref()?.sender()?;
    ours.keys.values().any(|k| k.person == claim.id && k.revoked_at.is_none()).then(|| claim.clone())
}

/// What [`unsigned_from_a_signer`] found, as a sentence.
pub fn unsigned_from_a_signer_text(name: &str, lang: Lang) -> String {
    lang.pick(
        format!("未签名，但本工作区记有{name}的公钥，其文件本应带签名：此文件可能并非其本人所写，或已被改动"),
        format!("not signed, yet this workspace holds {name}'s key and their files come signed: this file may not be theirs, or may have been changed"),
    )
}

/// "Not signed", for a file without a signature.
pub fn not_signed(lang: Lang) -> String {
    lang.pick("未签名：无法确认发送人", "not signed: the sender cannot be confirmed").to_string()
}

/// Is `person` the manager of `unit` or of a unit above it? Those may send
/// that branch's files without a second thought.
pub fn manages(ws: &Workspace, person: Id, unit: Id) -> bool {
    let mut at = Some(unit);
    let mut steps = 0;
    while let Some(u) = at.and_then(|id| ws.units.get(&id)) {
        if u.manager == Some(person) {
            return true;
        }
        steps += 1;
        if steps > ws.units.len() {
            break;
        }
        at = u.parent;
    }
    false
}

/// Who may send this file without a second thought, by the receiving
/// workspace: for a branch coming up, the branch's manager or a manager
/// above it; for a newer issue of this branch coming down, whoever issued
/// the branch or a manager of it; for a whole workspace, the top manager.
pub fn fits(ours: &Workspace, theirs: &Workspace, person: Id) -> bool {
    match (&ours.branch, &theirs.branch) {
        (Some(mine), _) => mine.issued_by.as_ref().is_some_and(|s| s.id == person) || manages(ours, person, mine.root),
        (None, Some(b)) => manages(ours, person, b.root),
        (None, None) => ours.root().is_some_and(|r| manages(ours, person, r.id)),
    }
}

/// Must the receiver confirm before merging `theirs`? Yes, unless the file
/// is signed with a key this workspace knows (or is about to record, when
/// the user compared its fingerprint: `trust_on_first_use`) as someone who
/// [`fits`]. A revoked key always asks.
pub fn must_confirm(ours: &Workspace, theirs: &Workspace, signed: Option<&Signed>, trust_on_first_use: bool) -> bool {
    match trust(ours, signed) {
        Trust::Known(k) => !fits(ours, theirs, k.person),
        Trust::Unknown if trust_on_first_use => !signed.and_then(|s| s.signer.as_ref()).is_some_and(|p| fits(ours, theirs, p.id)),
        Trust::Unknown | Trust::Unsigned | Trust::Revoked(_) => true,
    }
}

/// Whose key it is and where they stand: "王强（华东区 · 大区经理）"; the
/// name recorded with the key when the person is not in this workspace.
fn who(ws: &Workspace, k: &KnownKey, lang: Lang) -> String {
    let Some(p) = ws.people.get(&k.person) else { return k.name.get(lang).to_string() };
    let unit = ws.units.get(&p.unit).map(|u| u.name.get(lang).to_string()).unwrap_or_default();
    let tier = ws.tiers.get(&p.tier).map(|t| t.name.get(lang).to_string()).unwrap_or_default();
    let role: Vec<String> = [unit, tier].into_iter().filter(|s| !s.is_empty()).collect();
    if role.is_empty() {
        p.name.get(lang).to_string()
    } else {
        lang.pick(format!("{}（{}）", p.name.get(lang), role.join(" · ")), format!("{} ({})", p.name.get(lang), role.join(" · ")))
    }
}

fn day(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

impl Trust {
    /// One sentence for the open / merge dialogs and the CLI.
    pub fn describe(&self, ws: &Workspace, signed: Option<&Signed>, lang: Lang) -> String {
        let claim = signed.and_then(|s| s.signer.as_ref()).map(|s| s.name.get(lang).to_string()).filter(|n| !n.trim().is_empty());
        let fp = signed.map(|s| s.key.fingerprint()).unwrap_or_default();
        match self {
            Trust::Unsigned => not_signed(lang),
            Trust::Known(k) => lang.pick(
                format!("由{}签名，公钥记录于 {}", who(ws, k, lang), day(k.recorded_at)),
                format!("signed by {}, key recorded {}", who(ws, k, lang), day(k.recorded_at)),
            ),
            Trust::Revoked(k) => lang.pick(
                format!("使用已吊销的公钥签名（{}，自 {} 起吊销）", who(ws, k, lang), k.revoked_at.map(day).unwrap_or_default()),
                format!("signed with a revoked key ({}, revoked from {})", who(ws, k, lang), k.revoked_at.map(day).unwrap_or_default()),
            ),
            Trust::Unknown => match claim {
                Some(name) => lang.pick(
                    format!("由本工作区不认识的公钥签名（自称{name}；指纹 {fp}）"),
                    format!("signed by a key this workspace does not know (it says it is {name}; fingerprint {fp})"),
                ),
                None => lang.pick(
                    format!("由本工作区不认识的公钥签名（指纹 {fp}）"),
                    format!("signed by a key this workspace does not know (fingerprint {fp})"),
                ),
            },
        }
    }

    /// Which case it is, as a word for pages and tests: "Unsigned", "Known", "Revoked", "Unknown".
    pub fn name(&self) -> &'static str {
        match self {
            Trust::Unsigned => "Unsigned",
            Trust::Known(_) => "Known",
            Trust::Revoked(_) => "Revoked",
            Trust::Unknown => "Unknown",
        }
    }

    /// The person the key belongs to, when known and not revoked.
    pub fn person(&self) -> Option<Id> {
        match self {
            Trust::Known(k) => Some(k.person),
            _ => None,
        }
    }
}

/// A signing key as a file holds it: the key backup (always locked with a
/// passphrase, see `io::lock`) and the CLI's key file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFile {
    /// Always "sales-tiers-key".
    #[serde(rename = "type")]
    pub file_type: String,
    pub version: u32,
    /// Whose key it is.
    pub person: Sender,
    pub public: PublicKey,
    /// Base64 of the 32-byte secret seed.
    pub secret: String,
    pub created_at: DateTime<Utc>,
}

/// Why a key file does not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyFileError {
    NotAKeyFile,
    /// The secret does not give the public key written beside it.
    Mismatch,
}

impl KeyFileError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            KeyFileError::NotAKeyFile => lang.pick("这不是签名密钥文件", "this is not a signing key file"),
            KeyFileError::Mismatch => {
                lang.pick("密钥文件已损坏：私钥与公钥不符", "the key file is damaged: its secret and public key do not match")
            }
        }
        .to_string()
    }
}

impl KeyFile {
    pub fn new(pair: &KeyPair, person: Sender, now: DateTime<Utc>) -> KeyFile {
        KeyFile {
            file_type: KEY_FILE_TYPE.into(),
            version: 1,
            person,
            public: pair.public(),
            secret: Base64::encode_string(pair.seed().as_ref()),
            created_at: DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a key file serialises")
    }

    pub fn parse(text: &str) -> Result<KeyFile, KeyFileError> {
        let k: KeyFile = serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(text)).map_err(|_| KeyFileError::NotAKeyFile)?;
        if k.file_type != KEY_FILE_TYPE || k.version != 1 {
            return Err(KeyFileError::NotAKeyFile);
        }
        k.pair()?;
        Ok(k)
    }

    /// The key pair, checked against the public key beside it.
    pub fn pair(&self) -> Result<KeyPair, KeyFileError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        match Base64::decode(&self.secret, seed.as_mut()) {
            Ok(b) if b.len() == 32 => {}
            _ => return Err(KeyFileError::Mismatch),
        }
        let pair = KeyPair::from_seed(*seed);
        if pair.public() != self.public {
            return Err(KeyFileError::Mismatch);
        }
        Ok(pair)
    }
}
