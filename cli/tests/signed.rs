//! Signed and locked files on the command line: keygen, --sign, --encrypt,
//! verify, and files the app signed.
use sales_tiers_core::model::{KeyOrigin, Sender};
use sales_tiers_core::{apply, io, Edit, Id};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PASS: &str = "a long passphrase";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sales-tiers"));
    c.env("SALES_TIERS_NOW", "2026-11-27T09:00:00Z")
        .env_remove("SALES_TIERS_PASSPHRASE")
        .env_remove("SALES_TIERS_KEY_PASSPHRASE")
        .stdin(Stdio::null());
    c
}

/// A fixed time (the tests never read the clock).
fn at() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").unwrap().into()
}

fn run(c: &mut Command) -> (Option<i32>, String, String) {
    let Output { status, stdout, stderr } = c.output().unwrap();
    (status.code(), String::from_utf8_lossy(&stdout).into_owned(), String::from_utf8_lossy(&stderr).into_owned())
}

/// A demo file and its director's id.
fn demo(dir: &Path) -> (PathBuf, Id) {
    let file = dir.join("demo.json");
    assert_eq!(run(bin().args(["demo", "--people", "40", "-o"]).arg(&file)).0, Some(0));
    let (ws, _) = io::read(&std::fs::read_to_string(&file).unwrap()).unwrap();
    (file, ws.root().unwrap().manager.unwrap())
}

fn keygen(dir: &Path, person: Id) -> (PathBuf, String) {
    let key = dir.join("me.key");
    let (code, out, err) = run(bin()
        .env("SALES_TIERS_PASSPHRASE", PASS)
        .args(["--lang", "en", "keygen", "--name", "王强", "--person", &person.to_string(), "-o"])
        .arg(&key));
    assert_eq!(code, Some(0), "{err}");
    let fp = out.split("fingerprint ").nth(1).unwrap().split(',').next().unwrap().to_string();
    (key, fp)
}

#[test]
fn keygen_sign_verify_and_a_changed_copy_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (file, director) = demo(dir.path());
    let (key, fp) = keygen(dir.path(), director);
    // The key file is locked: its secret is not in it.
    let kf = std::fs::read_to_string(&key).unwrap();
    assert!(io::lock::is_locked(&kf) && !kf.contains("secret"));

    let signed = dir.path().join("signed.json");
    let (code, _, err) =
        run(bin().env("SALES_TIERS_KEY_PASSPHRASE", PASS).args(["demo", "--people", "40", "--sign"]).arg(&key).arg("-o").arg(&signed));
    assert_eq!(code, Some(0), "{err}");
    let (code, out, _) = run(bin().args(["--lang", "en", "verify"]).arg(&signed));
    assert_eq!(code, Some(0));
    assert!(out.contains("signature intact") && out.contains("王强") && out.contains(&fp), "{out}");

    // Against a workspace that knows the key: whose it is, by the record.
    let (mut ws, _) = io::read(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let text = std::fs::read_to_string(&signed).unwrap();
    let key_of_file = io::seal::check(&text).unwrap().unwrap().key;
    let who = Sender { id: director, name: ws.people[&director].name.clone() };
    apply(&mut ws, &Edit::RecordKey { person: who, key: key_of_file, origin: KeyOrigin::Pasted, by: None }, at()).unwrap();
    let known = dir.path().join("known.json");
    std::fs::write(&known, io::write(&ws, at(), false)).unwrap();
    let (code, out, _) = run(bin().args(["--lang", "en", "verify"]).arg(&signed).arg("--known").arg(&known));
    assert_eq!(code, Some(0));
    let director_name = ws.people[&director].name.en.clone();
    assert!(out.contains(&format!("signed by {director_name}")), "{out}");
    let (_, out, _) = run(bin().args(["--lang", "en", "verify"]).arg(&signed).arg("--known").arg(&file));
    assert!(out.contains("does not know"), "{out}");

    // A copy edited in a text editor: one letter added to a value.
    let at_name = text.find("\"workspace_name\": \"").unwrap() + "\"workspace_name\": \"".len();
    let mut edited = text.clone();
    edited.insert(at_name, 'X');
    let changed = dir.path().join("changed.json");
    std::fs::write(&changed, &edited).unwrap();
    let (code, _, err) = run(bin().args(["--lang", "en", "verify"]).arg(&changed));
    assert_eq!(code, Some(1));
    assert!(err.contains("changed after signing"), "{err}");
    let (code, _, err) = run(bin().args(["--lang", "zh", "validate"]).arg(&changed));
    assert_eq!(code, Some(1));
    assert!(err.contains("签名不符"), "{err}");

    // Not signed.
    let (code, out, _) = run(bin().args(["--lang", "en", "verify"]).arg(&file));
    assert_eq!(code, Some(3));
    assert!(out.contains("not signed"));

    // The key file with a wrong passphrase, or none and no terminal.
    let (code, _, err) = run(bin()
        .env("SALES_TIERS_KEY_PASSPHRASE", "not the one")
        .args(["--lang", "en", "demo", "--sign"])
        .arg(&key)
        .arg("-o")
        .arg(dir.path().join("x.json")));
    assert_eq!(code, Some(1));
    assert!(err.contains("wrong passphrase"), "{err}");
    let (code, _, err) = run(bin().args(["--lang", "en", "demo", "--sign"]).arg(&key).arg("-o").arg(dir.path().join("x.json")));
    assert_eq!(code, Some(2));
    assert!(err.contains("SALES_TIERS_KEY_PASSPHRASE"), "{err}");
}

#[test]
fn encrypt_then_open_only_with_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let (file, director) = demo(dir.path());
    let (key, _) = keygen(dir.path(), director);
    let unit = io::read(&std::fs::read_to_string(&file).unwrap()).unwrap().0.root().unwrap().id.to_string();
    let locked = dir.path().join("locked.json");
    let (code, _, err) = run(bin()
        .env("SALES_TIERS_PASSPHRASE", PASS)
        .args(["branch"])
        .arg(&file)
        .args(["--unit", &unit, "--from", &director.to_string(), "--sign"])
        .arg(&key)
        .arg("--encrypt")
        .arg("-o")
        .arg(&locked));
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(&locked).unwrap();
    assert!(io::lock::is_locked(&text));
    // Right passphrase: opens, and the signature inside holds.
    let (code, out, _) = run(bin().env("SALES_TIERS_PASSPHRASE", PASS).args(["--lang", "en", "validate"]).arg(&locked));
    assert_eq!(code, Some(0), "{out}");
    let (code, out, _) = run(bin().env("SALES_TIERS_PASSPHRASE", PASS).args(["--lang", "en", "verify"]).arg(&locked));
    assert_eq!(code, Some(0));
    assert!(out.contains("signature intact"));
    // Wrong one: refused, nothing written by a merge.
    let (code, _, err) = run(bin().env("SALES_TIERS_PASSPHRASE", "not the passphrase").args(["--lang", "en", "validate"]).arg(&locked));
    assert_eq!(code, Some(1));
    assert!(err.contains("wrong passphrase"), "{err}");
    let out_file = dir.path().join("merged.json");
    let (code, ..) =
        run(bin().env("SALES_TIERS_PASSPHRASE", "not the passphrase").args(["merge"]).arg(&file).arg(&locked).arg("-o").arg(&out_file));
    assert_eq!(code, Some(1));
    assert!(!out_file.exists());
    // No passphrase and no terminal: says which variable to set.
    let (code, _, err) = run(bin().args(["--lang", "en", "validate"]).arg(&locked));
    assert_eq!(code, Some(2));
    assert!(err.contains("SALES_TIERS_PASSPHRASE"));
}

/// Files signed in the app (Chromium, wasm) verify here, with the same
/// fingerprint the app showed for the key.
#[test]
fn a_file_signed_in_the_browser_verifies() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let file = fixtures.join("browser-signed.json");
    let (code, out, err) = run(bin().args(["--lang", "en", "verify"]).arg(&file));
    assert_eq!(code, Some(0), "{err}");
    let want: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures.join("browser-signed.expect.json")).unwrap()).unwrap();
    assert!(out.contains(&format!("fingerprint {}", want["fingerprint"].as_str().unwrap())), "{out}");
    assert!(out.contains(want["signer"].as_str().unwrap()), "{out}");
    // And its key signs here: the app's key backup, unlocked with its passphrase.
    let signed = tempfile::tempdir().unwrap();
    let out_file = signed.path().join("cli-signed.json");
    let (code, _, err) = run(bin()
        .env("SALES_TIERS_KEY_PASSPHRASE", want["passphrase"].as_str().unwrap())
        .args(["demo", "--people", "20", "--sign"])
        .arg(fixtures.join("browser-key-backup.json"))
        .arg("-o")
        .arg(&out_file));
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(&out_file).unwrap();
    let s = io::seal::check(&text).unwrap().unwrap();
    assert_eq!(s.key.fingerprint(), want["fingerprint"].as_str().unwrap());
    assert_eq!(s.signer.map(|x: Sender| x.name.en), want["signer"].as_str().map(String::from));
}
