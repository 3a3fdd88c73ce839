//! Public keys a workspace knows: whose they are, when and how they were
//! recorded, and whether they were revoked. What a signature proves and how
//! a file is checked against these lives in `io::seal`.

use super::{derived_id, Id, Sender, Text};
use base64ct::{Base64, Encoding};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// An Ed25519 public key, written `ed25519:<base64 of its 32 bytes>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PublicKey(pub [u8; 32]);

const PREFIX: &str = "ed25519:";

impl PublicKey {
    /// The key as people paste it: `ed25519:…`.
    pub fn to_text(&self) -> String {
        format!("{PREFIX}{}", Base64::encode_string(&self.0))
    }

    /// Reads `ed25519:<base64>` (the prefix may be left out; spaces and
    /// line breaks from a pasted e-mail are ignored).
    pub fn parse(s: &str) -> Option<PublicKey> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let b64 = s.strip_prefix(PREFIX).unwrap_or(&s);
        let mut out = [0u8; 32];
        match Base64::decode(b64, &mut out) {
            Ok(b) if b.len() == 32 => Some(PublicKey(out)),
            _ => None,
        }
    }

    /// What people compare aloud: the first 12 bytes of the key's SHA-256
    /// as 6 groups of 4 hex digits, e.g. `3f2a 9c01 77be 0d4e a1c2 55f0`.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.0);
        let hex: Vec<String> = digest[..12].chunks(2).map(|c| format!("{:02x}{:02x}", c[0], c[1])).collect();
        hex.join(" ")
    }
}

impl Serialize for PublicKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_text())
    }
}

impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PublicKey::parse(&s).ok_or_else(|| serde::de::Error::custom("not an Ed25519 public key (ed25519:<base64 of 32 bytes>)"))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for PublicKey {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PublicKey".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^ed25519:[A-Za-z0-9+/]{43}=$",
            "description": "An Ed25519 public key: ed25519:<base64 of its 32 bytes>."
        })
    }
}

/// How a key came to be known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum KeyOrigin {
    /// This browser's own key for the person ("who am I").
    Own,
    /// Taken from the first signed file of the person, after its
    /// fingerprint was confirmed (trust on first use).
    FirstFile,
    /// Pasted by hand.
    Pasted,
}

/// A public key this workspace knows. The id is derived from the key, so
/// the same key recorded in two tabs is one record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KnownKey {
    /// `sales-tiers id key`: derived from the key.
    pub id: Id,
    pub rev: u64,
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub updated_at: DateTime<Utc>,
    /// Whose key it is: a person's id. In a branch workspace the manager
    /// above (who issued the branch) is not among its people, so the name
    /// is kept with the key.
    pub person: Id,
    /// Their name when the key was recorded.
    pub name: Text,
    pub key: PublicKey,
    pub origin: KeyOrigin,
    /// When it was recorded here, and by whom ("who am I"; null: not said).
    #[serde(deserialize_with = "crate::model::when::instant")]
    pub recorded_at: DateTime<Utc>,
    #[serde(default)]
    pub recorded_by: Option<Sender>,
    /// Revoked from this time: files signed with it are flagged.
    #[serde(default)]
    pub revoked_at: Option<DateTime<Utc>>,
}

impl KnownKey {
    pub fn id_for(key: &PublicKey) -> Id {
        derived_id("known_key", &[&key.0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips_and_refuses_what_is_not_a_key() {
        let k = PublicKey([7; 32]);
        let t = k.to_text();
        assert!(t.starts_with("ed25519:") && t.len() == 8 + 44);
        assert_eq!(PublicKey::parse(&t), Some(k));
        // Pasted from a mail: wrapped, without the prefix.
        let (a, b) = t[8..].split_at(20);
        assert_eq!(PublicKey::parse(&format!(" {a}\n{b} ")), Some(k));
        assert_eq!(PublicKey::parse("ed25519:AAAA"), None);
        assert_eq!(PublicKey::parse(""), None);
        assert_eq!(PublicKey::parse(&format!("{t}AAAA")), None);
    }

    #[test]
    fn fingerprint_is_six_groups_of_four_and_tells_keys_apart() {
        let f = PublicKey([1; 32]).fingerprint();
        let groups: Vec<&str> = f.split(' ').collect();
        assert_eq!(groups.len(), 6);
        assert!(groups.iter().all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_hexdigit())));
        assert_ne!(f, PublicKey([2; 32]).fingerprint());
    }
}
