//! Locked files: a file encrypted with a passphrase.
//!
//! ```json
//! { "type": "sales-tiers", "version": 7,
//!   "encrypted": { "content": "workspace", "cipher": "xchacha20poly1305",
//!                  "nonce": "…", "compression": "deflate",
//!                  "kdf": { "alg": "argon2id", "m_kib": 19456, "t": 2, "p": 1, "salt": "…" } },
//!   "ciphertext": "…" }
//! ```
//!
//! The plaintext is the whole file as it would be written unlocked (its
//! signature included), deflated. The key is Argon2id of the passphrase;
//! the cipher is XChaCha20-Poly1305, whose tag also covers everything above
//! the ciphertext (type, version, parameters) as associated data, so
//! nothing of the header can be changed unseen. The parameters are in the
//! file, so later builds can raise them and still open older files; a
//! crafted file with parameters too weak to protect anything, or so large
//! they would stall the browser, is refused before any work is done.
//!
//! Nothing about the content is readable without the passphrase: not the
//! workspace's name, not the sender. The random salt and nonce come from
//! the caller (web crypto in the app, the OS in the CLI).

use super::{canonical_json, FILE_TYPE};
use crate::i18n::Lang;
use crate::limits::MAX_FILE_BYTES;
use crate::model::SCHEMA_VERSION;
use base64ct::{Base64, Encoding};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::BTreeMap;
use zeroize::Zeroizing;

pub const CIPHER: &str = "xchacha20poly1305";
pub const KDF: &str = "argon2id";
pub const COMPRESSION: &str = "deflate";
const CONTEXT: &[u8] = b"sales-tiers locked file v1\n";
pub const SALT_BYTES: usize = 16;
pub const NONCE_BYTES: usize = 24;
/// Shortest passphrase a file is locked with.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// Argon2id's cost: memory in KiB, passes, lanes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Cost {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl Cost {
    /// What new files use: OWASP's first recommendation for Argon2id
    /// (19 MiB, 2 passes, 1 lane).
    pub const DEFAULT: Cost = Cost { m_kib: 19_456, t: 2, p: 1 };

    /// Why a file's parameters are refused, if they are. The floor is the
    /// weakest of OWASP's equivalent settings (7 MiB × 5 passes, i.e. at
    /// least 7 MiB and 38 MiB·passes); the ceiling keeps a crafted file
    /// from stalling or exhausting a browser tab (256 MiB, 32 passes, 8 lanes).
    pub fn problem(&self) -> Option<LockError> {
        let weak = self.m_kib < 7_168 || (self.m_kib as u64) * (self.t as u64) < 38_912 || self.t == 0 || self.p == 0;
        let absurd = self.m_kib > 262_144 || self.t > 32 || self.p > 8 || self.m_kib < 8 * self.p;
        if weak {
            Some(LockError::WeakKdf(*self))
        } else if absurd {
            Some(LockError::AbsurdKdf(*self))
        } else {
            None
        }
    }
}

/// Argon2id's parameters as the file gives them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Kdf {
    /// Always "argon2id".
    pub alg: String,
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
    /// Base64 of the random salt (16 bytes).
    pub salt: String,
}

impl Kdf {
    pub fn cost(&self) -> Cost {
        Cost { m_kib: self.m_kib, t: self.t, p: self.p }
    }
}

/// What a locked file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Content {
    /// A workspace or branch file.
    Workspace,
    /// A signing key backup (`seal::KeyFile`).
    Key,
}

/// The `encrypted` block: everything needed to open the file but the passphrase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub content: Content,
    /// Always "xchacha20poly1305".
    pub cipher: String,
    /// Base64 of the random nonce (24 bytes).
    pub nonce: String,
    /// Always "deflate".
    pub compression: String,
    pub kdf: Kdf,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockError {
    /// Not a locked file of ours.
    NotLocked,
    /// The header is damaged or incomplete.
    Malformed(String),
    /// An algorithm this build does not know.
    Unsupported(String),
    WeakKdf(Cost),
    AbsurdKdf(Cost),
    /// The passphrase is wrong, or the file was changed.
    WrongPassphrase,
    TooShortPassphrase,
    TooLarge,
    NewerVersion(u64),
}

impl LockError {
    pub fn message(&self, lang: Lang) -> String {
        use LockError::*;
        match self {
            NotLocked => lang.pick("这不是加密的销售分级管理文件".into(), "this is not a locked Sales Tiers file".into()),
            Malformed(what) => lang.pick(format!("加密文件已损坏（{what}）"), format!("the locked file is damaged ({what})")),
            Unsupported(what) => lang.pick(
                format!("此文件使用本程序不支持的加密方式（{}）", super::clip(what)),
                format!("this file is locked with a method this build does not support ({})", super::clip(what)),
            ),
            WeakKdf(c) => lang.pick(
                format!("口令派生参数过弱（Argon2id m={} KiB, t={}, p={}），拒绝打开：最低 7168 KiB 且内存×轮数 ≥ 38912", c.m_kib, c.t, c.p),
                format!(
                    "the passphrase parameters are too weak (Argon2id m={} KiB, t={}, p={}); refused: at least 7168 KiB and memory × passes ≥ 38912",
                    c.m_kib, c.t, c.p
                ),
            ),
            AbsurdKdf(c) => lang.pick(
                format!("口令派生参数过大（Argon2id m={} KiB, t={}, p={}），拒绝打开：上限 262144 KiB、32 轮、8 路", c.m_kib, c.t, c.p),
                format!(
                    "the passphrase parameters are absurdly large (Argon2id m={} KiB, t={}, p={}); refused: at most 262144 KiB, 32 passes, 8 lanes",
                    c.m_kib, c.t, c.p
                ),
            ),
            WrongPassphrase => lang.pick(
                "口令不对（或文件在加密后被改动过），未做任何改动".into(),
                "wrong passphrase (or the file was changed after it was locked); nothing was changed".into(),
            ),
            TooShortPassphrase => lang.pick(
                format!("口令至少 {MIN_PASSPHRASE_CHARS} 个字符"),
                format!("the passphrase needs at least {MIN_PASSPHRASE_CHARS} characters"),
            ),
            TooLarge => lang.pick("解密后的内容超过文件大小上限".into(), "the unlocked content exceeds the file size limit".into()),
            NewerVersion(v) => lang.pick(
                format!("此加密文件由更新版本的程序生成（版本 {v}），请升级后再打开"),
                format!("this locked file was made by a newer version (version {v}); update the app to open it"),
            ),
        }
    }
}

fn key_of(passphrase: &str, salt: &[u8], cost: Cost) -> Result<Zeroizing<[u8; 32]>, LockError> {
    let params = argon2::Params::new(cost.m_kib, cost.t, cost.p, Some(32)).map_err(|e| LockError::Malformed(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(passphrase.as_bytes(), salt, key.as_mut()).map_err(|e| LockError::Malformed(e.to_string()))?;
    Ok(key)
}

/// The associated data: the context, then the file without its ciphertext, canonical.
fn aad(header: &Header, version: u64) -> Vec<u8> {
    let head = serde_json::json!({ "type": FILE_TYPE, "version": version, "encrypted": header });
    let mut out = CONTEXT.to_vec();
    out.extend_from_slice(canonical_json(&head).as_bytes());
    out
}

/// Locks `plain` (a file's text, or a key file) with `passphrase`. `salt`
/// and `nonce` must be fresh random bytes.
pub fn lock(
    plain: &[u8],
    content: Content,
    passphrase: &str,
    cost: Cost,
    salt: [u8; SALT_BYTES],
    nonce: [u8; NONCE_BYTES],
) -> Result<String, LockError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(LockError::TooShortPassphrase);
    }
    if let Some(p) = cost.problem() {
        return Err(p);
    }
    let header = Header {
        content,
        cipher: CIPHER.into(),
        nonce: Base64::encode_string(&nonce),
        compression: COMPRESSION.into(),
        kdf: Kdf { alg: KDF.into(), m_kib: cost.m_kib, t: cost.t, p: cost.p, salt: Base64::encode_string(&salt) },
    };
    let key = key_of(passphrase, &salt, cost)?;
    let packed = miniz_oxide::deflate::compress_to_vec(plain, 6);
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let aad = aad(&header, SCHEMA_VERSION as u64);
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: &packed, aad: &aad })
        .map_err(|_| LockError::Malformed("encrypt".into()))?;
    // Fields in reading order: what it is, how it is locked, then the blob.
    #[derive(Serialize)]
    struct Out<'a> {
        #[serde(rename = "type")]
        file_type: &'a str,
        version: u32,
        encrypted: &'a Header,
        ciphertext: String,
    }
    let out = Out { file_type: FILE_TYPE, version: SCHEMA_VERSION, encrypted: &header, ciphertext: Base64::encode_string(&sealed) };
    Ok(serde_json::to_string_pretty(&out).expect("a locked file serialises"))
}

/// The header of a locked file, checked: what it holds and how it is
/// locked. `Err(NotLocked)` for any other text (a plain file goes to `io::read`).
pub fn header(text: &str) -> Result<(Header, u64), LockError> {
    parse(text).map(|(h, v, _)| (h, v))
}

/// The checked header, the version and the top-level fields of a locked file.
fn parse(text: &str) -> Result<(Header, u64, BTreeMap<String, &RawValue>), LockError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A locked file has an "encrypted" key, so its text holds that quoted
    // word as written (inside a string the quotes would be escaped): a plain
    // workspace file of 20 MB is told apart by a substring search instead of
    // a parse.
    if !text.trim_start().starts_with('{') || !text.contains("\"encrypted\"") {
        return Err(LockError::NotLocked);
    }
    let fields: BTreeMap<String, &RawValue> = serde_json::from_str(text).map_err(|_| LockError::NotLocked)?;
    let Some(enc) = fields.get("encrypted") else { return Err(LockError::NotLocked) };
    if fields.get("type").map(|t| t.get()) != Some(&format!("\"{FILE_TYPE}\"")[..]) {
        return Err(LockError::NotLocked);
    }
    let version = fields.get("version").and_then(|v| v.get().parse::<u64>().ok()).ok_or_else(|| LockError::Malformed("version".into()))?;
    if version > SCHEMA_VERSION as u64 {
        return Err(LockError::NewerVersion(version));
    }
    let v: Value = serde_json::from_str(enc.get()).map_err(|e| LockError::Malformed(e.to_string()))?;
    // The algorithms first, so an unknown one is named rather than reported as damage.
    for (path, want) in [("/cipher", CIPHER), ("/kdf/alg", KDF), ("/compression", COMPRESSION)] {
        match v.pointer(path).and_then(Value::as_str) {
            Some(found) if found != want => return Err(LockError::Unsupported(found.to_string())),
            _ => {}
        }
    }
    let h: Header = serde_json::from_value(v).map_err(|e| LockError::Malformed(e.to_string()))?;
    if let Some(p) = h.kdf.cost().problem() {
        return Err(p);
    }
    Ok((h, version, fields))
}

/// Is this text a locked file (whatever its state)?
pub fn is_locked(text: &str) -> bool {
    !matches!(header(text), Err(LockError::NotLocked))
}

fn bytes<const N: usize>(b64: &str, what: &str) -> Result<[u8; N], LockError> {
    let mut out = [0u8; N];
    match Base64::decode(b64, &mut out) {
        Ok(b) if b.len() == N => Ok(out),
        _ => Err(LockError::Malformed(what.into())),
    }
}

/// Opens a locked file: what it holds and the plaintext. A wrong
/// passphrase and a changed file both fail the cipher's tag.
pub fn unlock(text: &str, passphrase: &str) -> Result<(Content, Zeroizing<Vec<u8>>), LockError> {
    let (h, version, fields) = parse(text)?;
    let sealed: String = fields
        .get("ciphertext")
        .and_then(|c| serde_json::from_str(c.get()).ok())
        .ok_or_else(|| LockError::Malformed("ciphertext".into()))?;
    let sealed = Base64::decode_vec(&sealed).map_err(|_| LockError::Malformed("ciphertext".into()))?;
    let salt: [u8; SALT_BYTES] = bytes(&h.kdf.salt, "salt")?;
    let nonce: [u8; NONCE_BYTES] = bytes(&h.nonce, "nonce")?;
    let key = key_of(passphrase, &salt, h.kdf.cost())?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let packed = Zeroizing::new(
        cipher
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: &sealed, aad: &aad(&h, version) })
            .map_err(|_| LockError::WrongPassphrase)?,
    );
    let plain = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_FILE_BYTES).map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LockError::TooLarge,
        _ => LockError::Malformed("deflate".into()),
    })?;
    Ok((h.content, Zeroizing::new(plain)))
}
