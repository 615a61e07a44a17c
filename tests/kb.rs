//! `docket kb` through the real binary: new, list, show, set and edit, each change one
//! commit; and a real docs tree (the Hugo documentation) used as the KB as it is.

mod common;

use std::path::{Path, PathBuf};

use common::Repo;

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

/// Lines changed by the last commit, as `-old` / `+new`.
fn last_diff(r: &Repo) -> Vec<String> {
    r.git(&["diff", "HEAD~1", "HEAD", "--unified=0"])
        .ok()
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn new_writes_one_article_in_one_commit() {
    let r = Repo::with_desk();
    let before = r.commit_count();
    let run = r.docket_env(
        &[
            "kb",
            "new",
            "--title",
            "Rotate TLS certificates",
            "--tag",
            "tls",
            "--tag",
            "security",
            "--body",
            "Run `app certs rotate`.",
        ],
        &[("DOCKET_NOW", "2026-11-02T09:14:00Z")],
    );
    assert_eq!(run.ok().trim(), "rotate-tls-certificates");
    assert!(
        run.stderr.contains("kb-new rotate-tls-certificates [main "),
        "{}",
        run.stderr
    );
    assert_eq!(r.commit_count(), before + 1);
    let path = "support/kb/rotate-tls-certificates.md";
    assert_eq!(
        r.git(&["show", "--name-only", "--format=", "HEAD"])
            .ok()
            .trim(),
        path
    );
    let text = r.read(path);
    assert!(
        text.starts_with(
            "---\ntitle: Rotate TLS certificates\nslug: rotate-tls-certificates\ndate: 2026-11-02T09:14:00Z\ntags:\n  - tls\n  - security\nid: KB-"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("status: draft\naudience: public\n---\nRun `app certs rotate`.\n"),
        "{text}"
    );
    let msg = r.git(&["log", "-1", "--format=%B"]).ok().to_string();
    assert!(
        msg.starts_with("docket: kb-new rotate-tls-certificates\n"),
        "{msg}"
    );
    assert!(msg.contains("Docket-Action: kb-new"), "{msg}");
    assert_eq!(r.status(), "");
    r.fsck();

    // The same title again gets a free slug, never overwrites.
    let again = r.docket(&["kb", "new", "--title", "Rotate TLS certificates"]);
    assert_eq!(again.ok().trim(), "rotate-tls-certificates-2");
    // An explicit slug that exists is refused.
    let err = r
        .docket(&[
            "kb",
            "new",
            "--title",
            "x",
            "--slug",
            "rotate-tls-certificates",
        ])
        .fails(2)
        .to_string();
    assert!(err.contains("exists already"), "{err}");
    let err = r
        .docket(&["kb", "new", "--title", "x", "--slug", "../../etc/passwd"])
        .fails(2)
        .to_string();
    assert!(err.contains("unsafe slug"), "{err}");
}

fn kb_repo() -> Repo {
    let r = Repo::with_desk();
    for f in ["config-reference", "escalation-policy", "legacy-installer"] {
        r.write(
            &format!("support/kb/{f}.md"),
            &std::fs::read_to_string(common::fixture(&format!("valid/kb/{f}.md")))
                .expect("fixture"),
        );
    }
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "kb"]).ok();
    r
}

#[test]
fn list_filters_by_tag_and_status() {
    let r = kb_repo();
    let out = r.docket(&["kb", "list"]).ok().to_string();
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(out.contains("config-reference"), "{out}");
    let out = r
        .docket(&["kb", "list", "--tag", "process"])
        .ok()
        .to_string();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("escalation-policy"), "{out}");
    let v = json(
        r.docket(&["kb", "list", "--status", "archived", "--json"])
            .ok(),
    );
    let items = v.as_array().expect("array");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["slug"], "legacy-installer");
    assert_eq!(items[0]["path"], "support/kb/legacy-installer.md");
    assert_eq!(items[0]["status"], "archived");
    assert_eq!(items[0]["draft"], true);
    assert_eq!(items[0]["tags"], serde_json::json!(["install", "legacy"]));
    let v = json(
        r.docket(&["kb", "list", "--audience", "internal", "--json"])
            .ok(),
    );
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    assert_eq!(r.docket(&["kb", "list", "--status", "live"]).code, 2);
}

#[test]
fn show_prints_fields_and_body() {
    let r = kb_repo();
    let out = r
        .docket(&["kb", "show", "config-reference"])
        .ok()
        .to_string();
    assert!(
        out.starts_with("config-reference  Configuration file reference\n"),
        "{out}"
    );
    assert!(
        out.contains("  tags:") && out.contains("configuration, reference"),
        "{out}"
    );
    assert!(out.contains("    ## Example"), "{out}");
    let v = json(r.docket(&["kb", "show", "config-reference", "--json"]).ok());
    assert_eq!(v["id"], "KB-CFG-001");
    assert_eq!(v["weight"], 10);
    assert!(v["body"].as_str().expect("body").contains("## Settings"));
    let err = r.docket(&["kb", "show", "nope"]).fails(2).to_string();
    assert!(err.contains("no article named `nope`"), "{err}");
}

#[test]
fn set_changes_one_line_per_value_and_checks_values() {
    let r = kb_repo();
    r.docket(&["kb", "set", "escalation-policy", "status=draft"])
        .ok();
    assert_eq!(last_diff(&r), vec!["-status: published", "+status: draft"]);
    assert!(
        r.git(&["log", "-1", "--format=%s"])
            .ok()
            .starts_with("docket: kb-set escalation-policy")
    );
    r.docket(&["kb", "set", "escalation-policy", "tags+=oncall"])
        .ok();
    assert_eq!(last_diff(&r), vec!["+  - oncall"]);
    r.docket(&["kb", "set", "config-reference", "weight=20", "draft=true"])
        .ok();
    assert_eq!(
        last_diff(&r),
        vec![
            "-draft: false",
            "-weight: 10",
            "+draft: true",
            "+weight: 20"
        ]
    );
    for bad in [
        "status=live",
        "audience=everyone",
        "weight=heavy",
        "draft=maybe",
        "date=yesterday",
        "slug=../x",
        "id=KB-1",
    ] {
        let run = r.docket(&["kb", "set", "config-reference", bad]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
    }
    let before = r.commit_count();
    r.docket(&["kb", "set", "config-reference", "weight=20"])
        .ok();
    assert_eq!(r.commit_count(), before, "nothing changed, no commit");
    assert_eq!(r.status(), "");
}

#[test]
fn edit_commits_a_hand_edit_and_keeps_a_broken_one() {
    let r = kb_repo();
    let script = r.home().join("ed.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nsed -i 's/^title: .*/title: Config reference/' \"$1\"\n",
    )
    .expect("script");
    let editor = format!("sh {}", script.display());
    r.docket_env(&["kb", "edit", "config-reference"], &[("EDITOR", &editor)])
        .ok();
    assert_eq!(
        last_diff(&r),
        vec![
            "-title: Configuration file reference",
            "+title: Config reference"
        ]
    );
    assert!(
        r.git(&["log", "-1", "--format=%s"])
            .ok()
            .starts_with("docket: kb-edit config-reference")
    );
    std::fs::write(
        &script,
        "#!/bin/sh\nsed -i 's/^date: .*/date: someday/' \"$1\"\n",
    )
    .expect("script");
    let err = r
        .docket_env(&["kb", "edit", "config-reference"], &[("EDITOR", &editor)])
        .fails(2)
        .to_string();
    assert!(err.contains("config-reference.md:4:"), "{err}");
    assert!(
        r.read("support/kb/config-reference.md")
            .contains("date: someday")
    );
}

#[test]
fn a_ticket_links_to_an_article_by_slug() {
    let r = kb_repo();
    let id = r.new_ticket("How do I configure it?");
    r.docket(&["link", &id, "--article", "config-reference"])
        .ok();
    let err = r
        .docket(&["link", &id, "--article", "nope"])
        .fails(2)
        .to_string();
    assert!(err.contains("no article named `nope`"), "{err}");
}

/// The Hugo documentation's `content/` tree, next to the repository (../shared in CI).
pub fn hugo_docs() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/hugo-docs/content");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!(
            "note: {} is absent; skipping the Hugo docs corpus test",
            p.display()
        );
        None
    }
}

fn copy_tree(from: &Path, to: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).expect("read");
            std::fs::write(&dest, &bytes).expect("write");
            files.push((rel.to_string_lossy().into_owned(), bytes));
        }
    }
    files
}

#[test]
fn the_hugo_docs_work_as_the_kb_as_they_are() {
    let Some(src) = hugo_docs() else { return };
    let r = Repo::new();
    r.write(".docket/config.yaml", "paths:\n  kb: content\n");
    let files = copy_tree(&src, &r.root.join("content"));
    let md: Vec<&(String, Vec<u8>)> = files.iter().filter(|(p, _)| p.ends_with(".md")).collect();
    assert!(md.len() > 900, "{} pages", md.len());
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "hugo docs"]).ok();

    // Every page round-trips byte for byte through the frontmatter layer.
    for (rel, bytes) in &md {
        let doc = docket::doc::Document::parse(bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(doc.text().as_bytes(), bytes.as_slice(), "{rel}");
    }

    let run = r.docket(&["kb", "list", "--json"]);
    let v = json(run.ok());
    assert_eq!(v.as_array().map(Vec::len), Some(md.len()), "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let table = r.docket(&["kb", "list"]).ok().to_string();
    assert_eq!(table.lines().count(), md.len());
    // Reading rewrote nothing.
    assert_eq!(r.status(), "");
    for (rel, bytes) in &md {
        let now = std::fs::read(r.root.join("content").join(rel)).expect("read");
        assert_eq!(&now, bytes, "{rel} changed");
    }

    // Pages sharing a slug are told apart by their path; an edit changes one line.
    let err = r.docket(&["kb", "show", "_index"]).fails(2).to_string();
    assert!(
        err.contains("names") && err.contains("content/en/_index.md"),
        "{err}"
    );
    let page = "en/functions/collections/Where";
    let v = json(r.docket(&["kb", "show", page, "--json"]).ok());
    assert_eq!(v["path"], format!("content/{page}.md"));
    r.docket(&["kb", "set", page, "weight=7"]).ok();
    let diff = last_diff(&r);
    assert_eq!(diff.len(), 1, "{diff:?}");
    assert_eq!(diff[0], "+weight: 7");
    assert_eq!(r.status(), "");
}
