//! The compact form of a stored copy: the envelope text deflated, then
//! packed 15 bits to a UTF-16 code unit (U+4000–U+BFFF, never a surrogate).
//! Browsers count localStorage in UTF-16 code units, so this stores about
//! 1.07 bytes of quota per deflated byte instead of 2 per JSON character.
//!
//! Plain JSON (what earlier builds stored) is still read as is.

use crate::limits::MAX_FILE_BYTES;

pub const MAGIC: &str = "st1:";
const BASE: u32 = 0x4000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackError {
    BadHeader,
    BadChar,
    Inflate,
    NotUtf8,
}

/// Packs `text` (any string) into the compact form.
pub fn pack(text: &str) -> String {
    let bytes = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 3);
    let mut out = String::with_capacity(MAGIC.len() + 12 + bytes.len() * 8 / 15 + 2);
    out.push_str(MAGIC);
    out.push_str(&bytes.len().to_string());
    out.push(':');
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in bytes {
        acc = (acc << 8) | b as u32;
        bits += 8;
        while bits >= 15 {
            bits -= 15;
            out.push(char::from_u32(BASE + ((acc >> bits) & 0x7FFF)).expect("valid scalar"));
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from_u32(BASE + ((acc << (15 - bits)) & 0x7FFF)).expect("valid scalar"));
    }
    out
}

/// True when `s` is in the compact form.
pub fn is_packed(s: &str) -> bool {
    s.starts_with(MAGIC)
}

/// Reverses [`pack`]; refuses anything damaged rather than guessing.
pub fn unpack(s: &str) -> Result<String, PackError> {
    let rest = s.strip_prefix(MAGIC).ok_or(PackError::BadHeader)?;
    let (len, body) = rest.split_once(':').ok_or(PackError::BadHeader)?;
    let len: usize = len.parse().map_err(|_| PackError::BadHeader)?;
    if len > MAX_FILE_BYTES {
        return Err(PackError::BadHeader);
    }
    let mut bytes = Vec::with_capacity(len);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in body.chars() {
        let v = (c as u32).checked_sub(BASE).filter(|v| *v <= 0x7FFF).ok_or(PackError::BadChar)?;
        acc = (acc << 15) | v;
        bits += 15;
        while bits >= 8 && bytes.len() < len {
            bits -= 8;
            bytes.push(((acc >> bits) & 0xFF) as u8);
        }
        acc &= (1 << bits) - 1;
    }
    if bytes.len() != len {
        return Err(PackError::BadHeader);
    }
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_FILE_BYTES).map_err(|_| PackError::Inflate)?;
    String::from_utf8(raw).map_err(|_| PackError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_and_small() {
        for t in ["", "a", "{}", "销售分级管理"] {
            assert_eq!(unpack(&pack(t)).unwrap(), t);
        }
    }

    #[test]
    fn damage_is_detected() {
        let p = pack("{\"type\":\"sales-tiers\",\"version\":3}");
        assert_eq!(unpack(&p[..p.len() - 3]), Err(PackError::BadHeader));
        assert_eq!(unpack(&format!("{p}x")), Err(PackError::BadChar));
        assert_eq!(unpack("st1:zz:"), Err(PackError::BadHeader));
        assert_eq!(unpack("{}"), Err(PackError::BadHeader));
    }

    proptest! {
        #[test]
        fn round_trips_any_text(t in ".{0,2000}") {
            let p = pack(&t);
            prop_assert!(is_packed(&p));
            prop_assert!(p.chars().skip(MAGIC.len()).all(|c| !(0xD800..=0xDFFF).contains(&(c as u32))));
            prop_assert_eq!(unpack(&p).unwrap(), t);
        }
    }
}
