//! With the clock (`DOCKET_NOW`) and the random source (`DOCKET_SEED`) fixed, as the test
//! harness fixes them for every command, the same commands give the same ids, times and
//! commits in any repository; a fixed seed still never hands out one id twice.

mod common;

use common::Repo;

/// What a session of commands leaves behind: every id printed, the commits (hash, author
/// date, subject) and the files of the last one.
fn session() -> (Vec<String>, String, Vec<String>, String) {
    let r = Repo::with_desk();
    let mut ids = vec![r.new_ticket("Printer on fire"), r.new_ticket("VPN drops")];
    r.docket(&["comment", &ids[0], "-m", "Have you tried water?"])
        .ok();
    r.docket(&["comment", &ids[0], "--internal", "-m", "Call facilities."])
        .ok();
    r.docket(&["set", &ids[1], "labels+=network"]).ok();
    r.docket(&["assign", &ids[1], "bob"]).ok();
    r.docket(&["close", &ids[0]]).ok();
    ids.push(
        r.docket(&["kb", "new", "--title", "Reset the VPN", "--body", "Steps."])
            .ok()
            .trim()
            .to_string(),
    );
    ids.push(
        r.docket(&["customer", "new", "--name", "Acme Corp"])
            .ok()
            .trim()
            .to_string(),
    );
    let demo = r.scratch().join("demo");
    r.docket(&["demo", demo.to_str().expect("utf-8 temp path")])
        .ok();
    let log = |dir: &std::path::Path| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["log", "--format=%H %ad %cd %s", "--date=iso-strict"])
            .output()
            .expect("git log runs");
        assert!(out.status.success(), "git log in {}", dir.display());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    (ids, log(&r.root), r.tree_paths("HEAD"), log(&demo))
}

#[test]
fn two_runs_of_the_same_commands_make_the_same_ids_times_and_commits() {
    let (ids_a, log_a, files_a, demo_a) = session();
    let (ids_b, log_b, files_b, demo_b) = session();
    assert_eq!(ids_a, ids_b);
    assert_eq!(log_a, log_b);
    assert_eq!(files_a, files_b);
    assert_eq!(demo_a, demo_b);
    assert!(
        log_a.contains("2026-11-02T09:00:0"),
        "the fixed clock: {log_a}"
    );
    assert_eq!(
        log_a.lines().count(),
        10,
        "the setup and nine changes: {log_a}"
    );
    assert!(demo_a.lines().count() > 10, "the demo commits: {demo_a}");
}

#[test]
fn one_seed_and_one_clock_for_every_command_still_draw_new_ids() {
    let r = Repo::with_desk();
    let fixed = [("DOCKET_SEED", "7"), ("DOCKET_NOW", "2026-11-02T10:00:00Z")];
    let mut ids = std::collections::BTreeSet::new();
    for no_commit in [false, false, true, true] {
        let mut args = vec!["new", "--title", "Same seed"];
        if no_commit {
            args.insert(0, "--no-commit");
        }
        let id = r.docket_env(&args, &fixed).ok().trim().to_string();
        assert!(ids.insert(id.clone()), "{id} was drawn twice");
    }
    let id = ids.first().expect("an id").clone();
    for _ in 0..3 {
        r.docket_env(&["--no-commit", "comment", &id, "-m", "again"], &fixed)
            .ok();
    }
    let path = r.ticket_path(&id);
    let comments = std::fs::read_dir(r.root.join(path.trim_end_matches(".md")))
        .expect("the comments folder")
        .count();
    assert_eq!(
        comments, 3,
        "three comments in one millisecond, three files"
    );
    let mut kb_ids = std::collections::BTreeSet::new();
    for title in ["First article", "Second article"] {
        let slug = r
            .docket_env(&["--no-commit", "kb", "new", "--title", title], &fixed)
            .ok()
            .trim()
            .to_string();
        let shown: serde_json::Value =
            serde_json::from_str(r.docket(&["kb", "show", &slug, "--json"]).ok()).expect("json");
        let id = shown["id"].as_str().expect("an article id").to_string();
        assert!(kb_ids.insert(id.clone()), "{id} was drawn twice");
    }
}

#[test]
fn a_bad_seed_is_a_usage_error() {
    let r = Repo::with_desk();
    let err = r
        .docket_env(&["list"], &[("DOCKET_SEED", "seven")])
        .fails(2)
        .to_string();
    assert!(
        err.contains("DOCKET_SEED `seven` is not a whole number"),
        "{err}"
    );
    assert!(
        err.contains("hint: unset DOCKET_SEED, or set it like 42"),
        "{err}"
    );
}
