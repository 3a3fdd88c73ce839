//! The CLI end to end: demo → validate, and the same messages as the app for bad files.
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sales-tiers"))
}

#[test]
fn demo_then_validate() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.json");
    let out = bin().args(["--lang", "en", "demo", "--people", "300", "--seed", "7", "-o"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = bin().args(["--lang", "en", "validate"]).arg(&file).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("valid: Demo: Huadong Precision Machinery (300 people"), "{stdout}");
    let out = bin().args(["--lang", "zh-CN", "validate"]).arg(&file).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("300 人"));
}

#[test]
fn bad_files_fail_with_the_app_messages() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("broken.json", "{\n\"type\": }", "line 2, column 9"),
        ("foreign.json", r#"{"type":"other"}"#, "not a Sales Tiers file"),
        ("newer.json", r#"{"type":"sales-tiers","version":999,"data":{}}"#, "newer version"),
    ];
    for (name, body, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, body).unwrap();
        let out = bin().args(["--lang", "en", "validate"]).arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{name}: {err}");
    }
    let out = bin().args(["validate", "/nonexistent/file.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
