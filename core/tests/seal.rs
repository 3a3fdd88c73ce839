//! Signed and locked files: a signature holds over the exact file and
//! nothing else, known keys decide whose it is, a locked file opens only
//! with its passphrase, and crafted headers are refused with a reason.

mod common;

use common::*;
use proptest::prelude::*;
use sales_tiers_core::engine::exchange;
use sales_tiers_core::io::lock::{self, Content, Cost, LockError};
use sales_tiers_core::io::seal::{self, KeyFile, KeyPair, SealError, Trust};
use sales_tiers_core::io::{self, ImportError};
use sales_tiers_core::model::*;
use sales_tiers_core::sort::Arrange;
use sales_tiers_core::{apply, Edit, EditError, Lang, Workspace};

fn pair(n: u8) -> KeyPair {
    KeyPair::from_seed([n; 32])
}

/// The regional manager of the first region (by order) and the region.
fn manager_of_a_region(ws: &Workspace) -> (Sender, Id) {
    let root = ws.root().unwrap().id;
    let mut regions: Vec<&Unit> = ws.units.values().filter(|u| u.parent == Some(root) && u.manager.is_some()).collect();
    regions.arrange_by_key(|u| (u.order, u.id));
    let r = regions[0];
    let p = &ws.people[&r.manager.unwrap()];
    (Sender { id: p.id, name: p.name.clone() }, r.id)
}

/// A compact file of a small org, signed by key 1 for its director.
fn signed_small() -> (Workspace, String) {
    let (ws, ..) = small_org();
    let director = Sender { id: id(100), name: Text::both("Director") };
    let text = seal::sign(&io::write(&ws, t0(), false), &pair(1), Some(director), later(5)).unwrap();
    (ws, text)
}

#[test]
fn a_signed_file_verifies_and_reads_with_its_signer() {
    let ws = demo();
    let (manager, region) = manager_of_a_region(&ws);
    let branch = exchange::extract(&ws, region, later(10), Some(manager.clone())).unwrap();
    for pretty in [false, true] {
        let text = seal::sign(&io::write(&branch, later(10), pretty), &pair(3), Some(manager.clone()), later(11)).unwrap();
        let signed = seal::check(&text).unwrap().expect("signed");
        assert_eq!(signed.key, pair(3).public());
        assert_eq!(signed.signer.as_ref(), Some(&manager));
        let (back, info) = io::read(&text).unwrap();
        assert_eq!(info.signed, Some(signed));
        assert_eq!(back, io::read(&io::write(&branch, later(10), false)).unwrap().0);
        // Re-signing replaces the signature rather than stacking a second one.
        let again = seal::sign(&text, &pair(4), None, later(12)).unwrap();
        assert_eq!(seal::check(&again).unwrap().unwrap().key, pair(4).public());
        assert_eq!(again.matches("\"signature\"").count(), 1);
    }
    // An unsigned file reads as unsigned.
    assert_eq!(seal::check(&io::write(&ws, t0(), false)).unwrap(), None);
    assert_eq!(io::read(&io::write(&ws, t0(), false)).unwrap().1.signed, None);
}

#[test]
fn reindenting_a_signed_file_keeps_it_valid() {
    let (_, text) = signed_small();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let pretty = serde_json::to_string_pretty(&v).unwrap();
    assert!(seal::check(&pretty).unwrap().is_some());
    assert!(io::read(&pretty).unwrap().1.signed.is_some());
}

#[test]
fn a_changed_value_anywhere_breaks_the_signature() {
    let (_, text) = signed_small();
    // A number raised in the data, the sender's name in the envelope, the time it was signed.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["exported_at"] = "2026-11-27T09:00:01Z".into();
    let changed_head = serde_json::to_string(&v).unwrap();
    assert_eq!(seal::check(&changed_head), Err(SealError::Broken));
    assert_eq!(io::read(&changed_head).unwrap_err(), ImportError::SignatureBroken);
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["signature"]["signer"]["name"]["en"] = "Someone else".into();
    assert_eq!(seal::check(&serde_json::to_string(&v).unwrap()), Err(SealError::Broken));
    // Data changed and its checksum recomputed: exactly what a checksum alone cannot catch.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["data"]["settings"]["workspace_name"] = "Renamed".into();
    v["checksum"] = io::checksum(&v["data"]).into();
    let forged = serde_json::to_string(&v).unwrap();
    assert_eq!(io::read(&forged).unwrap_err(), ImportError::SignatureBroken);
    // Data changed, checksum left: also reported as changed after signing.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["data"]["settings"]["workspace_name"] = "Renamed".into();
    let edited = serde_json::to_string(&v).unwrap();
    assert_eq!(io::read(&edited).unwrap_err(), ImportError::SignatureBroken);
    assert_eq!(seal::check(&edited), Err(SealError::Broken));
    assert!(ImportError::SignatureBroken.message(Lang::En).contains("changed after signing"));
    assert!(ImportError::SignatureBroken.message(Lang::Zh).contains("签名"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Any single byte of a signed (compact) file changed to any other
    /// byte: the file no longer reads as signed and intact.
    #[test]
    fn any_single_byte_changed_fails_verification(pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let (_, text) = SIGNED.clone();
        let mut bytes = text.into_bytes();
        let i = pos.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        let Ok(changed) = String::from_utf8(bytes) else { return Ok(()) };
        let verified = matches!(io::read(&changed), Ok((_, ref info)) if info.signed.is_some());
        prop_assert!(!verified, "byte {} changed, still verified", i);
        prop_assert!(!matches!(seal::check(&changed), Ok(Some(_))), "byte {} changed, check passed", i);
    }
}

static SIGNED: std::sync::LazyLock<(Workspace, String)> = std::sync::LazyLock::new(signed_small);

#[test]
fn a_signature_moved_to_another_file_fails() {
    let (ws, text) = signed_small();
    let mut other = ws.clone();
    apply(&mut other, &Edit::RenameUnit { id: id(11), name: Text::both("North") }, later(1)).unwrap();
    let other_text = io::write(&other, t0(), false);
    let sig: serde_json::Value = serde_json::from_str::<serde_json::Value>(&text).unwrap()["signature"].clone();
    let mut v: serde_json::Value = serde_json::from_str(&other_text).unwrap();
    v["signature"] = sig;
    let moved = serde_json::to_string(&v).unwrap();
    assert_eq!(seal::check(&moved), Err(SealError::Broken));
    assert_eq!(io::read(&moved).unwrap_err(), ImportError::SignatureBroken);
    // Or the same file with another key's name on the signature.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["signature"]["key"] = pair(2).public().to_text().into();
    assert_eq!(seal::check(&serde_json::to_string(&v).unwrap()), Err(SealError::Broken));
}

#[test]
fn only_files_of_ours_with_a_checksum_are_signed() {
    assert_eq!(seal::sign("{\"a\":1}", &pair(1), None, t0()).unwrap_err(), SealError::NotAFile);
    assert_eq!(seal::sign("not json", &pair(1), None, t0()).unwrap_err(), SealError::NotAFile);
    let (ws, ..) = small_org();
    let mut v: serde_json::Value = serde_json::from_str(&io::write(&ws, t0(), false)).unwrap();
    v.as_object_mut().unwrap().remove("checksum");
    assert_eq!(seal::sign(&v.to_string(), &pair(1), None, t0()).unwrap_err(), SealError::NotAFile);
}

#[test]
fn known_keys_decide_whose_signature_it_is() {
    let (mut ws, text) = signed_small();
    let signed = seal::check(&text).unwrap().unwrap();
    assert_eq!(seal::trust(&ws, Some(&signed)), Trust::Unknown);
    let unknown = Trust::Unknown.describe(&ws, Some(&signed), Lang::En);
    assert!(unknown.contains("does not know") && unknown.contains("Director") && unknown.contains(&signed.key.fingerprint()));
    assert!(Trust::Unknown.describe(&ws, Some(&signed), Lang::Zh).contains("不认识"));
    assert!(Trust::Unsigned.describe(&ws, None, Lang::En).contains("not signed"));

    // What "record it on first use" records: the signer the file names, once.
    let by = Sender { id: id(200), name: Text::both("Rep") };
    assert_eq!(
        seal::first_use(&ws, Some(&signed), Some(by.clone())),
        Some(Edit::RecordKey {
            person: Sender { id: id(100), name: Text::both("Director") },
            key: signed.key,
            origin: KeyOrigin::FirstFile,
            by: Some(by)
        })
    );
    assert_eq!(seal::first_use(&ws, None, None), None);
    assert_eq!(seal::first_use(&ws, Some(&seal::Signed { signer: None, ..signed.clone() }), None), None);
    assert_eq!(Trust::Unknown.name(), "Unknown");

    // Trust on first use: recorded for the director.
    let director = Sender { id: id(100), name: Text::both("Director") };
    let rec = Edit::RecordKey { person: director.clone(), key: signed.key, origin: KeyOrigin::FirstFile, by: None };
    apply(&mut ws, &rec, later(20)).unwrap();
    let Trust::Known(k) = seal::trust(&ws, Some(&signed)) else { panic!("known") };
    assert_eq!(seal::first_use(&ws, Some(&signed), None), None, "known: nothing to record");
    assert_eq!((k.person, k.origin, k.recorded_at), (id(100), KeyOrigin::FirstFile, later(20)));
    let said = seal::trust(&ws, Some(&signed)).describe(&ws, Some(&signed), Lang::En);
    assert!(said.starts_with("signed by Director") && said.contains("key recorded 2026-11-27"), "{said}");
    // Recording it again changes nothing; for someone else it is refused.
    let before = ws.clone();
    apply(&mut ws, &rec, later(30)).unwrap();
    assert_eq!(ws, before);
    let rep = Sender { id: id(200), name: Text::both("Rep") };
    let theft = Edit::RecordKey { person: rep, key: signed.key, origin: KeyOrigin::Pasted, by: None };
    let e = apply(&mut ws, &theft, later(30)).unwrap_err();
    assert_eq!(e, EditError::KeyOfAnother { person: id(100), name: Text::both("Director") });
    assert!(e.message(Lang::En).contains("recorded as Director's"), "{}", e.message(Lang::En));
    // A key no one can sign with is not recorded.
    let zero = Edit::RecordKey {
        person: Sender { id: id(100), name: Text::both("Director") },
        key: PublicKey([0; 32]),
        origin: KeyOrigin::Pasted,
        by: None,
    };
    assert_eq!(apply(&mut ws, &zero, later(30)).unwrap_err(), EditError::UnusableKey);
    let nameless = Sender { id: id(4242), name: Text::both(" ") };
    let e = apply(&mut ws, &Edit::RecordKey { person: nameless, key: pair(9).public(), origin: KeyOrigin::Pasted, by: None }, later(30));
    assert_eq!(e.unwrap_err(), EditError::BlankName);
    // Someone not among this workspace's people (the manager above a branch) is named as recorded.
    let above = Sender { id: id(4243), name: Text::both("Zhang, director") };
    apply(&mut ws, &Edit::RecordKey { person: above, key: pair(9).public(), origin: KeyOrigin::Pasted, by: None }, later(30)).unwrap();
    let s9 = seal::Signed { key: pair(9).public(), signer: None, signed_at: later(30) };
    assert!(seal::trust(&ws, Some(&s9)).describe(&ws, Some(&s9), Lang::En).starts_with("signed by Zhang, director,"));

    // Revoked: kept, flagged, and the revocation does not go back before the record.
    let kid = KnownKey::id_for(&signed.key);
    apply(&mut ws, &Edit::RevokeKey { id: kid, at: later(40) }, later(40)).unwrap();
    let Trust::Revoked(k) = seal::trust(&ws, Some(&signed)) else { panic!("revoked") };
    assert!(seal::revoked(&ws, &signed.key) && !seal::revoked(&ws, &pair(9).public()));
    assert_eq!(k.revoked_at, Some(later(40)));
    assert!(seal::trust(&ws, Some(&signed)).describe(&ws, Some(&signed), Lang::En).contains("revoked"));
    assert_eq!(seal::trust(&ws, Some(&signed)).person(), None);
    // Recording a revoked key again is refused with the date: it does not revive it.
    assert_eq!(apply(&mut ws, &rec, later(50)).unwrap_err(), EditError::KeyRevoked { at: later(40) });
    assert!(matches!(seal::trust(&ws, Some(&signed)), Trust::Revoked(_)));
    // A known key survives the file round trip (schema 7) and validates.
    let (back, _) = io::read(&io::write(&ws, later(60), false)).unwrap();
    assert_eq!(back.keys, ws.keys);
}

#[test]
fn keys_are_local_a_branch_file_carries_none() {
    let mut ws = demo();
    let (manager, region) = manager_of_a_region(&ws);
    let rec = Edit::RecordKey { person: manager.clone(), key: pair(5).public(), origin: KeyOrigin::Pasted, by: None };
    apply(&mut ws, &rec, later(1)).unwrap();
    let branch = exchange::extract(&ws, region, later(2), Some(manager)).unwrap();
    assert!(branch.keys.is_empty(), "a branch file must not vouch for keys");
}

#[test]
fn only_managers_of_the_unit_or_above_manage_a_branch() {
    let ws = demo();
    let (manager, region) = manager_of_a_region(&ws);
    let director = ws.root().unwrap().manager.unwrap();
    let team = ws.units.values().find(|u| u.parent == Some(region)).unwrap();
    assert!(seal::manages(&ws, manager.id, region));
    assert!(seal::manages(&ws, director, region));
    assert!(seal::manages(&ws, manager.id, team.id));
    let rep = ws.people.values().find(|p| p.unit == team.id && team.manager != Some(p.id)).unwrap().clone();
    let team = team.clone();
    assert!(!seal::manages(&ws, rep.id, region));
    assert!(!seal::manages(&ws, rep.id, team.id));
    // Who fits which file: a branch coming up, a whole file, a newer issue coming down.
    let branch = exchange::extract(&ws, region, later(1), Some(manager.clone())).unwrap();
    assert!(seal::fits(&ws, &branch, manager.id) && seal::fits(&ws, &branch, director));
    assert!(!seal::fits(&ws, &branch, rep.id));
    assert!(seal::fits(&ws, &ws, director) && !seal::fits(&ws, &ws, manager.id));
    let issuer = Sender { id: director, name: ws.people[&director].name.clone() };
    let mine = exchange::extract(&ws, region, later(1), Some(issuer)).unwrap();
    assert!(seal::fits(&mine, &mine, director), "the director who issued the branch");
    assert!(seal::fits(&mine, &mine, manager.id) && !seal::fits(&mine, &mine, rep.id));

    // Merging the branch back: confirm unless a known key of someone who fits signed it.
    let by = |n: u8, who: &Sender| seal::Signed { key: pair(n).public(), signer: Some(who.clone()), signed_at: later(3) };
    let mut ws = ws;
    assert!(seal::must_confirm(&ws, &branch, None, false), "unsigned");
    assert!(seal::must_confirm(&ws, &branch, Some(&by(1, &manager)), false), "unknown key");
    assert!(!seal::must_confirm(&ws, &branch, Some(&by(1, &manager)), true), "unknown key, fingerprint compared, manager");
    let rep_s = Sender { id: rep.id, name: rep.name.clone() };
    assert!(seal::must_confirm(&ws, &branch, Some(&by(2, &rep_s)), true), "a rep signed the region's branch");
    apply(&mut ws, &Edit::RecordKey { person: manager.clone(), key: pair(1).public(), origin: KeyOrigin::FirstFile, by: None }, later(4))
        .unwrap();
    apply(&mut ws, &Edit::RecordKey { person: rep_s.clone(), key: pair(2).public(), origin: KeyOrigin::Pasted, by: None }, later(4))
        .unwrap();
    assert!(!seal::must_confirm(&ws, &branch, Some(&by(1, &manager)), false), "the manager's known key");
    // The file's claim does not matter once the key is known: the rep's key claiming to be the manager.
    assert!(seal::must_confirm(&ws, &branch, Some(&by(2, &manager)), false), "the rep's key, whatever it says");
    // The manager's key is known: an unsigned file in their name is suspect;
    // a signed one, or one from someone without a key here, is not flagged so.
    assert_eq!(seal::unsigned_from_a_signer(&ws, &branch, None), Some(manager.clone()));
    assert_eq!(seal::unsigned_from_a_signer(&ws, &branch, Some(&by(1, &manager))), None);
    let from_director =
        exchange::extract(&ws, region, later(4), Some(Sender { id: director, name: ws.people[&director].name.clone() })).unwrap();
    assert_eq!(seal::unsigned_from_a_signer(&ws, &from_director, None), None, "no key of the director here");
    apply(&mut ws, &Edit::RevokeKey { id: KnownKey::id_for(&pair(1).public()), at: later(5) }, later(5)).unwrap();
    assert!(seal::must_confirm(&ws, &branch, Some(&by(1, &manager)), false), "revoked");
    assert_eq!(seal::unsigned_from_a_signer(&ws, &branch, None), None, "their only key is revoked");
}

const PASS: &str = "correct horse battery";

fn locked(plain: &[u8]) -> String {
    lock::lock(plain, Content::Workspace, PASS, Cost::DEFAULT, [7; 16], [9; 24]).unwrap()
}

#[test]
fn a_locked_file_opens_with_its_passphrase_only() {
    let (_, text) = signed_small();
    let file = locked(text.as_bytes());
    // The header says what it is; nothing of the content shows.
    let (h, _) = lock::header(&file).unwrap();
    assert_eq!((h.content, h.cipher.as_str(), h.kdf.alg.as_str()), (Content::Workspace, "xchacha20poly1305", "argon2id"));
    assert_eq!(h.kdf.cost(), Cost::DEFAULT);
    assert!(lock::is_locked(&file) && !lock::is_locked(&text));
    assert!(!file.contains("Director") && !file.contains("Test"));
    assert_eq!(io::read(&file).unwrap_err(), ImportError::Locked);
    // Right passphrase: the very same signed file.
    let (content, plain) = lock::unlock(&file, PASS).unwrap();
    assert_eq!(content, Content::Workspace);
    assert_eq!(std::str::from_utf8(&plain).unwrap(), text);
    assert!(seal::check(std::str::from_utf8(&plain).unwrap()).unwrap().is_some());
    // Wrong one: says so.
    assert_eq!(lock::unlock(&file, "correct horse battery!").unwrap_err(), LockError::WrongPassphrase);
    assert_eq!(lock::unlock(&file, "").unwrap_err(), LockError::WrongPassphrase);
    assert!(LockError::WrongPassphrase.message(Lang::En).contains("wrong passphrase"));
    assert!(LockError::WrongPassphrase.message(Lang::Zh).contains("口令不对"));
    // Too short a passphrase is not used to lock.
    assert_eq!(lock::lock(b"x", Content::Workspace, "short", Cost::DEFAULT, [1; 16], [1; 24]).unwrap_err(), LockError::TooShortPassphrase);
    // Fresh salt and nonce give another ciphertext of the same content.
    let other = lock::lock(text.as_bytes(), Content::Workspace, PASS, Cost::DEFAULT, [8; 16], [10; 24]).unwrap();
    assert_ne!(other, file);
}

fn with(file: &str, f: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(file).unwrap();
    f(&mut v);
    serde_json::to_string(&v).unwrap()
}

#[test]
fn a_truncated_or_changed_locked_file_is_refused() {
    let file = locked(b"{\"hello\":\"world\"}");
    let ct = serde_json::from_str::<serde_json::Value>(&file).unwrap()["ciphertext"].as_str().unwrap().to_string();
    // Cut at a base64 boundary (valid base64, short) and anywhere.
    for cut in [ct.len() - 4, ct.len() - 8, 4, 0] {
        let f = with(&file, |v| v["ciphertext"] = ct[..cut].into());
        assert!(matches!(lock::unlock(&f, PASS), Err(LockError::WrongPassphrase | LockError::Malformed(_))), "cut at {cut}");
    }
    let f = with(&file, |v| v["ciphertext"] = ct[..ct.len() - 3].into());
    assert!(matches!(lock::unlock(&f, PASS), Err(LockError::Malformed(_))));
    // A header field changed within the bounds: the tag covers it.
    let f = with(&file, |v| v["encrypted"]["kdf"]["t"] = 3.into());
    assert_eq!(lock::unlock(&f, PASS).unwrap_err(), LockError::WrongPassphrase);
    let f = with(&file, |v| v["encrypted"]["content"] = "key".into());
    assert_eq!(lock::unlock(&f, PASS).unwrap_err(), LockError::WrongPassphrase);
    // Nonce or salt of the wrong length; an unknown field; a missing ciphertext.
    let f = with(&file, |v| v["encrypted"]["nonce"] = "AAAA".into());
    assert!(matches!(lock::unlock(&f, PASS), Err(LockError::Malformed(_))));
    let f = with(&file, |v| v["encrypted"]["kdf"]["salt"] = "AAAA".into());
    assert!(matches!(lock::unlock(&f, PASS), Err(LockError::Malformed(_))));
    let f = with(&file, |v| v["encrypted"]["extra"] = 1.into());
    assert!(matches!(lock::header(&f), Err(LockError::Malformed(_))));
    let f = with(&file, |v| {
        v.as_object_mut().unwrap().remove("ciphertext");
    });
    assert!(matches!(lock::unlock(&f, PASS), Err(LockError::Malformed(_))));
    // From a newer build.
    let f = with(&file, |v| v["version"] = 99.into());
    assert_eq!(lock::header(&f).unwrap_err(), LockError::NewerVersion(99));
}

#[test]
fn a_plain_file_is_told_from_a_locked_one_by_its_keys_not_its_words() {
    let (mut ws, text) = signed_small();
    // The word in a value (a note, a name) is data: the file is plain and reads.
    ws.settings.workspace_name = "\"encrypted\" backup of encrypted data".into();
    for pretty in [false, true] {
        let named = io::write(&ws, t0(), pretty);
        assert!(named.contains("encrypted") && !lock::is_locked(&named));
        assert_eq!(io::read(&named).unwrap().0.settings.workspace_name, ws.settings.workspace_name);
    }
    // A key spelled with an escape is the same key: the reader refuses the
    // file as locked rather than reading a half.
    let file = locked(text.as_bytes());
    let escaped = file.replacen("\"encrypted\"", "\"\\u0065ncrypted\"", 1);
    assert!(!escaped.contains("\"encrypted\""));
    assert_eq!(io::read(&escaped).unwrap_err(), ImportError::Locked);
    // Not JSON, or JSON that is not an object, is not locked.
    for t in ["", "[\"encrypted\"]", "{\"encrypted\"", "\"encrypted\""] {
        assert!(!lock::is_locked(t), "{t}");
    }
}

#[test]
fn crafted_kdf_parameters_are_refused_with_a_reason_before_any_work() {
    let file = locked(b"{}");
    for (m, t, p, weak) in [(1024, 2, 1, true), (19_456, 1, 1, true), (7_000, 10, 1, true), (0, 0, 0, true), (19_456, 0, 1, true)] {
        let f = with(&file, |v| {
            v["encrypted"]["kdf"]["m_kib"] = m.into();
            v["encrypted"]["kdf"]["t"] = t.into();
            v["encrypted"]["kdf"]["p"] = p.into();
        });
        let e = lock::header(&f).unwrap_err();
        assert_eq!(e, LockError::WeakKdf(Cost { m_kib: m, t, p }), "m={m} t={t} p={p} weak={weak}");
        assert!(e.message(Lang::En).contains("too weak") && e.message(Lang::Zh).contains("过弱"));
        assert_eq!(lock::unlock(&f, PASS).unwrap_err(), e);
    }
    for (m, t, p) in [(4_194_304, 2, 1), (19_456, 1_000_000, 1), (19_456, 2, 64)] {
        let f = with(&file, |v| {
            v["encrypted"]["kdf"]["m_kib"] = m.into();
            v["encrypted"]["kdf"]["t"] = t.into();
            v["encrypted"]["kdf"]["p"] = p.into();
        });
        let e = lock::header(&f).unwrap_err();
        assert_eq!(e, LockError::AbsurdKdf(Cost { m_kib: m, t, p }));
        assert!(e.message(Lang::En).contains("absurdly large"));
    }
    // Other algorithms are named, not called damage.
    let f = with(&file, |v| v["encrypted"]["kdf"]["alg"] = "pbkdf2-sha1".into());
    assert_eq!(lock::header(&f).unwrap_err(), LockError::Unsupported("pbkdf2-sha1".into()));
    let f = with(&file, |v| v["encrypted"]["cipher"] = "rot13".into());
    assert_eq!(lock::header(&f).unwrap_err(), LockError::Unsupported("rot13".into()));
    // Negative or non-numbers are damage.
    let f = with(&file, |v| v["encrypted"]["kdf"]["m_kib"] = (-5).into());
    assert!(matches!(lock::header(&f), Err(LockError::Malformed(_))));
    // Lock refuses weak parameters as well.
    assert!(matches!(
        lock::lock(b"x", Content::Workspace, PASS, Cost { m_kib: 64, t: 1, p: 1 }, [0; 16], [0; 24]),
        Err(LockError::WeakKdf(_))
    ));
}

#[test]
fn a_key_backup_round_trips_locked_and_refuses_a_mismatched_secret() {
    let me = Sender { id: id(100), name: Text::both("王强") };
    let kf = KeyFile::new(&pair(6), me.clone(), later(1));
    let back = KeyFile::parse(&kf.to_json()).unwrap();
    assert_eq!(back, kf);
    assert_eq!(back.pair().unwrap().public(), pair(6).public());
    let file = lock::lock(kf.to_json().as_bytes(), Content::Key, PASS, Cost::DEFAULT, [3; 16], [4; 24]).unwrap();
    assert!(!file.contains(&kf.secret));
    let (content, plain) = lock::unlock(&file, PASS).unwrap();
    assert_eq!(content, Content::Key);
    assert_eq!(KeyFile::parse(std::str::from_utf8(&plain).unwrap()).unwrap(), kf);
    // A secret that does not give the public key beside it.
    let bad = KeyFile { public: pair(7).public(), ..kf.clone() };
    assert_eq!(KeyFile::parse(&bad.to_json()).unwrap_err(), seal::KeyFileError::Mismatch);
    assert_eq!(KeyFile::parse("{}").unwrap_err(), seal::KeyFileError::NotAKeyFile);
    // Opening a key backup as a workspace is refused as locked.
    assert_eq!(io::read(&file).unwrap_err(), ImportError::Locked);
}

/// Version 7 added `keys`; a real branch file written by the version 6
/// build reads as a branch that knows no keys, and writes back as version 7.
#[test]
fn a_version_6_branch_file_opens_without_known_keys() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v6-branch.json")).unwrap();
    let (ws, info) = io::read(&text).unwrap();
    assert_eq!((info.file_version, info.migrated, info.signed.clone()), (6, true, None));
    assert!(ws.branch.is_some() && ws.keys.is_empty());
    assert_eq!(ws.schema_version, SCHEMA_VERSION);
    let again = io::write(&ws, later(0), false);
    assert!(again.contains(&format!("\"version\":{SCHEMA_VERSION}")));
    assert_eq!(io::read(&again).unwrap().0, ws);
}
