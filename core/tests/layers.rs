//! The engines are layered: each module may use only the modules before it
//! in `LAYERS` (and `model`, `calendar`, `num`, `limits`, `i18n`, which sit
//! below every engine). Read from the source, so a new `use` that closes a
//! cycle fails here with the module and the line.

use std::collections::BTreeMap;

/// Engine modules, lowest first; modules on one line are peers and must not
/// use each other.
const LAYERS: &[&[&str]] = &[
    &["org", "pick"],
    &["index"],
    &["chart"],
    &["validate"],
    &["merge"],
    &["plan"],
    &["crm"],
    &["track", "work"],
    &["scorecard", "incentive"],
    &["perf"],
    &["grading"],
    &["home"],
    &["exchange"],
];

fn level(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn engine_files() -> Vec<(String, std::path::PathBuf)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            for f in std::fs::read_dir(&path).unwrap() {
                out.push((name.clone(), f.unwrap().path()));
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            if name != "mod" {
                out.push((name, path));
            }
        }
    }
    out
}

#[test]
fn engine_modules_use_only_the_layers_below_them() {
    let mut graph: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for (module, path) in engine_files() {
        let Some(mine) = level(&module) else { panic!("engine module {module} is not in LAYERS") };
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            // Docs may point anywhere; code may not.
            let line = line.split("//").next().unwrap_or("");
            let mut rest = line;
            while let Some(i) = rest.find("engine::") {
                rest = &rest[i + "engine::".len()..];
                let used: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if used.is_empty() || used == module {
                    continue;
                }
                graph.entry(module.clone()).or_default().insert(used.clone());
                match level(&used) {
                    Some(theirs) if theirs < mine => {}
                    _ => wrong.push(format!("{}:{}: {module} uses {used}", path.display(), n + 1)),
                }
            }
        }
    }
    assert!(wrong.is_empty(), "uses against the layering:\n{}", wrong.join("\n"));
    // The graph, for the record (cargo test -- --nocapture shows it).
    for (m, uses) in &graph {
        println!("{m} → {}", uses.iter().cloned().collect::<Vec<_>>().join(", "));
    }
}

#[test]
fn the_model_and_the_primitives_use_no_engine() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("calendar.rs"), src.join("num.rs"), src.join("limits.rs"), src.join("i18n.rs")];
    for f in std::fs::read_dir(src.join("model")).unwrap() {
        files.push(f.unwrap().path());
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let line = line.split("//").next().unwrap_or("");
            assert!(
                !line.contains("engine::") && !line.contains("crate::edit") && !line.contains("crate::io"),
                "{}:{}: {line}",
                f.display(),
                n + 1
            );
        }
    }
}
