//! The library's layering, as src/lib.rs states it, checked on the source: each module may
//! name only the modules below it (`crate::x` paths), so a shortcut across layers fails
//! here instead of waiting for a review.

use std::collections::BTreeSet;
use std::path::Path;

/// Each module and the docket modules it may use. Leaves use none.
const ALLOWED: &[(&str, &[&str])] = &[
    ("atomic", &[]),
    ("clock", &[]),
    ("interrupt", &[]),
    ("random", &[]),
    ("model", &[]),
    ("doc", &[]),
    ("support", &["model"]),
    ("git", &["interrupt", "clock"]),
    ("store", &["model", "support", "doc", "atomic"]),
    ("index", &["model", "support", "store", "atomic", "clock"]),
    (
        "desk",
        &[
            "model",
            "support",
            "doc",
            "git",
            "store",
            "index",
            "atomic",
            "clock",
            "interrupt",
            "random",
        ],
    ),
    ("export", &["model", "doc", "store", "atomic"]),
    (
        "cli",
        &[
            "model",
            "support",
            "doc",
            "git",
            "store",
            "index",
            "desk",
            "export",
            "interrupt",
        ],
    ),
];

/// The `crate::name` paths in a file's code (comments are skipped).
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let name: String = rest[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
            rest = &rest[i + 7..];
        }
    }
    found
}

fn sources(module: &str) -> Vec<std::path::PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let file = src.join(format!("{module}.rs"));
    if file.is_file() {
        files.push(file);
    }
    let dir = src.join(module);
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
        {
            if e.path().extension().is_some_and(|x| x == "rs") {
                files.push(e.path().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let known: BTreeSet<&str> = ALLOWED.iter().map(|(m, _)| *m).collect();
    let mut wrong = Vec::new();
    for (module, allowed) in ALLOWED {
        let files = sources(module);
        assert!(!files.is_empty(), "no source for module {module}");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read a source file");
            for used in crate_paths(&text) {
                if used != *module
                    && known.contains(used.as_str())
                    && !allowed.contains(&used.as_str())
                {
                    wrong.push(format!("{} uses crate::{used}", file.display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn every_library_module_is_in_the_layering() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("read src/lib.rs");
    let declared: BTreeSet<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    let listed: BTreeSet<&str> = ALLOWED.iter().map(|(m, _)| *m).collect();
    assert_eq!(declared, listed);
}

#[test]
fn the_scanner_finds_crate_paths_in_code_not_comments() {
    let text =
        "use crate::store::Store;\n// crate::git is only named here\nlet x = crate::index::open();";
    let found: Vec<String> = crate_paths(text).into_iter().collect();
    assert_eq!(found, ["index", "store"]);
}
