//! `docket automate` end to end: each condition kind, idempotence (run twice, compare),
//! one firing per ticket and condition across runs and clones, chained rules, dry runs,
//! and the commits it makes, checked with the git CLI.

mod common;
#[path = "common/process.rs"]
mod process;

use common::Repo;
use serde_json::Value;

/// A desk with a calendar-hours SLA for enterprise customers and four rules.
const CONFIG: &str = r#"workflow:
  statuses: [new, open, pending, resolved, closed]
  initial: open
  closed: [resolved, closed]
team:
  - handle: alice
    name: Alice Ng
    email: alice@example.org
  - handle: bob
    name: Bob Marsh
    email: bob@example.org
sla:
  policies:
    - {name: enterprise, tiers: [enterprise], first_response: 2h}
automation:
  - name: close-abandoned
    when: {status: [pending], idle: 14d}
    then: {set: ['resolution=abandoned'], close: true}
  - name: nudge
    when: {status: [pending], idle: 3d}
    then: {set: ['labels+=nudged']}
  - name: breach
    when: {sla: breached}
    then: {set: ['labels+=escalated', 'urgency=5'], assign: bob}
  - name: old-vip
    when: {labels: [vip], tier: [enterprise], age: 30d}
    then: {set: ['labels+=long-running']}
"#;

const DANA: &str = "Dana Whitfield <dana@acme.example>";

fn desk() -> Repo {
    let r = Repo::new();
    r.write(".docket/config.yaml", CONFIG);
    r.write(
        "support/customers/acme.md",
        "---\nname: Acme\ntier: enterprise\nsince: 2025-01-15\n---\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "set up docket"]).ok();
    r
}

fn at(r: &Repo, now: &str, args: &[&str]) -> common::Run {
    r.docket_env(args, &[("DOCKET_NOW", now)])
}

fn ticket(r: &Repo, now: &str, title: &str, extra: &[&str]) -> String {
    let mut args = vec!["new", "--title", title];
    args.extend_from_slice(extra);
    at(r, now, &args).ok().trim().to_string()
}

fn automate_json(r: &Repo, now: &str) -> Value {
    serde_json::from_str(at(r, now, &["automate", "--json"]).ok()).expect("JSON")
}

/// The rules that fired, as `ID rule` lines.
fn fired(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for t in v["tickets"].as_array().expect("tickets") {
        for rule in t["rules"].as_array().expect("rules") {
            out.push(format!(
                "{} {}",
                t["id"].as_str().expect("id"),
                rule["rule"].as_str().expect("rule")
            ));
        }
    }
    out
}

fn head(r: &Repo) -> String {
    r.git(&["rev-parse", "HEAD"]).ok().trim().to_string()
}

#[test]
fn pending_tickets_get_nudged_once_then_closed_and_a_second_run_changes_nothing() {
    let r = desk();
    let id = ticket(&r, "2026-11-02T09:00:00Z", "Backup fails", &[]);
    at(&r, "2026-11-02T10:00:00Z", &["set", &id, "status=pending"]).ok();

    // Two days idle: nothing yet.
    assert!(fired(&automate_json(&r, "2026-11-04T10:00:00Z")).is_empty());

    // Three days idle: the nudge, one commit with the trailer.
    let before = r.commit_count();
    let v = automate_json(&r, "2026-11-05T10:00:00Z");
    assert_eq!(fired(&v), vec![format!("{id} nudge")]);
    assert_eq!(r.commit_count(), before + 1);
    let msg = r.git(&["log", "-1", "--format=%B"]).ok().to_string();
    assert!(msg.contains("Docket-Rule: nudge\n"), "{msg}");
    assert!(msg.starts_with(&format!("docket: automate {id} ")), "{msg}");
    assert!(r.read(&r.ticket_path(&id)).contains("nudged"));
    assert_eq!(r.status(), "");

    // Idempotent: right after, and days later, the nudge does not fire again.
    let head1 = head(&r);
    let tree1 = r.tree_files("HEAD");
    assert!(fired(&automate_json(&r, "2026-11-05T10:00:01Z")).is_empty());
    assert!(fired(&automate_json(&r, "2026-11-10T10:00:00Z")).is_empty());
    assert_eq!(head(&r), head1);
    assert_eq!(r.tree_files("HEAD"), tree1);

    // The nudge is no activity by people: 14 days after the last one, it closes.
    let v = automate_json(&r, "2026-11-16T10:00:00Z");
    assert_eq!(fired(&v), vec![format!("{id} close-abandoned")]);
    let text = r.read(&r.ticket_path(&id));
    assert!(text.contains("status: closed"), "{text}");
    assert!(text.contains("resolution: abandoned"), "{text}");
    assert!(fired(&automate_json(&r, "2026-12-30T10:00:00Z")).is_empty());
    r.fsck();
    // Rule events are files `check` accepts, and `show` tells.
    r.docket(&["check"]).ok();
    let shown = r.docket(&["show", &id]).ok().to_string();
    assert!(
        shown.contains("rule nudge fired (status=pending since 2026-11-02T10:00:00Z"),
        "{shown}"
    );
}

#[test]
fn activity_by_people_starts_a_new_occurrence() {
    let r = desk();
    let id = ticket(&r, "2026-11-02T09:00:00Z", "Backup fails", &[]);
    at(&r, "2026-11-02T10:00:00Z", &["set", &id, "status=pending"]).ok();
    assert_eq!(fired(&automate_json(&r, "2026-11-05T11:00:00Z")).len(), 1);
    // The customer answers, the ticket waits again, and goes quiet: a new nudge.
    r.docket_env(
        &["comment", &id, "-m", "Still broken."],
        &[
            ("DOCKET_NOW", "2026-11-06T09:00:00Z"),
            ("DOCKET_AUTHOR", DANA),
        ],
    )
    .ok();
    assert!(fired(&automate_json(&r, "2026-11-08T09:00:00Z")).is_empty());
    assert_eq!(
        fired(&automate_json(&r, "2026-11-09T09:00:00Z")),
        vec![format!("{id} nudge")]
    );
    // Two rule events in the ticket's folder, each with its condition.
    let folder = r.ticket_path(&id).trim_end_matches(".md").to_string();
    let events: Vec<String> = r
        .tree_paths("HEAD")
        .into_iter()
        .filter(|p| p.starts_with(&folder))
        .map(|p| r.read(&p))
        .filter(|t| t.contains("event: rule"))
        .collect();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events.iter().all(|e| e.contains("to: nudge")));
    assert!(
        events
            .iter()
            .any(|e| e.contains("idle since 2026-11-06T09:00:00Z"))
    );
}

#[test]
fn a_breached_sla_escalates_once_and_labels_tier_and_age_match() {
    let r = desk();
    let id = ticket(
        &r,
        "2026-11-02T09:00:00Z",
        "Cluster down",
        &["--customer", "acme", "--label", "vip"],
    );
    let other = ticket(
        &r,
        "2026-11-02T09:00:00Z",
        "Typo in docs",
        &["--label", "vip"],
    );
    // 1h in: within the first-response target.
    assert!(fired(&automate_json(&r, "2026-11-02T10:00:00Z")).is_empty());
    // 3h in: breached.
    let v = automate_json(&r, "2026-11-02T12:00:00Z");
    assert_eq!(fired(&v), vec![format!("{id} breach")]);
    let text = r.read(&r.ticket_path(&id));
    assert!(text.contains("assignee: bob"), "{text}");
    assert!(text.contains("urgency: 5"), "{text}");
    assert!(text.contains("escalated"), "{text}");
    assert!(fired(&automate_json(&r, "2026-11-02T13:00:00Z")).is_empty());
    // 30 days on: only the enterprise ticket with the label is long-running.
    assert_eq!(
        fired(&automate_json(&r, "2026-12-03T09:00:00Z")),
        vec![format!("{id} old-vip")]
    );
    assert!(!r.read(&r.ticket_path(&other)).contains("long-running"));
    r.fsck();
}

#[test]
fn a_dry_run_writes_nothing_and_says_what_would_happen() {
    let r = desk();
    let id = ticket(&r, "2026-11-02T09:00:00Z", "Backup fails", &[]);
    at(&r, "2026-11-02T10:00:00Z", &["set", &id, "status=pending"]).ok();
    let before = head(&r);
    let out = at(&r, "2026-11-06T10:00:00Z", &["automate", "--dry-run"]);
    let text = out.ok().to_string();
    assert!(text.contains(&id), "{text}");
    assert!(text.contains("nudge: set labels+=nudged"), "{text}");
    assert!(
        text.contains("when status=pending since 2026-11-02T10:00:00Z"),
        "{text}"
    );
    assert_eq!(head(&r), before);
    assert_eq!(r.status(), "");
    // What the dry run said is what the real run does.
    assert_eq!(
        fired(&automate_json(&r, "2026-11-06T10:00:00Z")),
        vec![format!("{id} nudge")]
    );
}

#[test]
fn a_clone_knows_what_fired_from_the_files() {
    let r = desk();
    let id = ticket(&r, "2026-11-02T09:00:00Z", "Backup fails", &[]);
    at(&r, "2026-11-02T10:00:00Z", &["set", &id, "status=pending"]).ok();
    assert_eq!(fired(&automate_json(&r, "2026-11-06T10:00:00Z")).len(), 1);
    // A fresh clone (as a scheduled CI job has) has no cache, and fires nothing again.
    let clone = r.scratch().join("clone");
    let clone = clone.to_str().expect("utf-8");
    r.git(&["clone", "-q", ".", clone]).ok();
    let out = at(
        &r,
        "2026-11-07T10:00:00Z",
        &["-C", clone, "automate", "--json"],
    );
    let v: Value = serde_json::from_str(out.ok()).expect("JSON");
    assert!(fired(&v).is_empty(), "{v}");
    assert_eq!(v["checked"], 1);
}

#[test]
fn a_rule_that_cannot_apply_is_reported_and_the_others_still_run() {
    let r = desk();
    r.write(
        ".docket/config.yaml",
        &CONFIG.replace(
            "then: {set: ['labels+=nudged']}",
            "then: {set: ['status=nowhere']}",
        ),
    );
    r.git(&["commit", "-qam", "a broken rule"]).ok();
    let a = ticket(&r, "2026-11-02T09:00:00Z", "Backup fails", &[]);
    at(&r, "2026-11-02T10:00:00Z", &["set", &a, "status=pending"]).ok();
    let b = ticket(
        &r,
        "2026-11-02T09:00:00Z",
        "Cluster down",
        &["--customer", "acme"],
    );
    let out = at(&r, "2026-11-06T10:00:00Z", &["automate"]);
    let err = out.fails(1).to_string();
    assert!(err.contains(&a), "{err}");
    assert!(err.contains("nowhere"), "{err}");
    // The breach rule still escalated the other ticket.
    assert!(r.read(&r.ticket_path(&b)).contains("escalated"));
    assert_eq!(r.status(), "");
}

#[test]
fn check_names_a_bad_rule() {
    let r = desk();
    r.write(
        ".docket/config.yaml",
        &CONFIG.replace("idle: 14d", "idle: fortnight"),
    );
    let out = r.docket(&["check"]);
    out.fails(1);
    assert!(
        out.stdout.contains(".docket/config.yaml:"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("fortnight"), "{}", out.stdout);
    let out = r.docket(&["automate"]);
    assert!(
        out.fails(2).contains("fortnight"),
        "a bad config is a usage error"
    );
}

#[test]
fn the_readme_workflow_is_a_scheduled_job_that_automates_and_pushes() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let start = readme
        .find("```yaml\nname: docket automate\n")
        .expect("the workflow block");
    let body = &readme[start + "```yaml\n".len()..];
    let body = &body[..body.find("\n```").expect("end of block")];
    let w: serde_norway::Value = serde_norway::from_str(body).expect("the workflow is YAML");
    assert!(w["on"]["schedule"][0]["cron"].as_str().is_some(), "{w:?}");
    assert_eq!(w["permissions"]["contents"].as_str(), Some("write"));
    let steps = w["jobs"]["automate"]["steps"].as_sequence().expect("steps");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let automate = runs
        .iter()
        .position(|r| r.trim() == "docket automate")
        .expect("a step runs docket automate");
    let push = runs
        .iter()
        .position(|r| r.contains("git push"))
        .expect("a step pushes");
    assert!(automate < push);
    // The breaches hooks announced are per clone: the job carries them between runs.
    assert!(
        steps
            .iter()
            .any(|s| s["with"]["path"].as_str() == Some(".git/docket/hooks-sla.json")),
        "{steps:?}"
    );
}

/// The rule events in a ticket's folder at HEAD.
fn rule_events(r: &Repo, id: &str) -> usize {
    let folder = format!("{}/", r.ticket_path(id).trim_end_matches(".md"));
    r.tree_files("HEAD")
        .iter()
        .filter(|(p, text)| {
            p.starts_with(&folder) && String::from_utf8_lossy(text).contains("event: rule")
        })
        .count()
}

#[test]
fn automate_killed_at_any_moment_fires_each_rule_once_and_loses_nothing() {
    let r = desk();
    let ids: Vec<String> = (0..6)
        .map(|i| {
            let id = ticket(
                &r,
                "2026-11-02T09:00:00Z",
                &format!("Backup fails {i}"),
                &[],
            );
            at(&r, "2026-11-02T10:00:00Z", &["set", &id, "status=pending"]).ok();
            id
        })
        .collect();
    let seed = std::env::var("DOCKET_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("DOCKET_CRASH_SEED={seed}");
    let mut rng = fastrand::Rng::with_seed(seed);
    for round in 0..9 {
        let mut cmd = r.command(
            std::path::Path::new(env!("CARGO_BIN_EXE_docket")),
            &["automate"],
        );
        cmd.env("DOCKET_NOW", "2026-11-06T10:00:00Z");
        let mut child = process::start(cmd);
        let sig = process::Sig::ALL[round % 3];
        child.signal_after(
            std::time::Duration::from_micros(rng.u64(0..4000) * 100),
            sig,
        );
        let started = std::time::Instant::now();
        let done = child.finish(std::time::Duration::from_secs(60));
        // SIGTERM and Ctrl-C stop the run after the ticket at hand, not at its end.
        let code = done.code();
        assert!(
            code.is_none() || code == Some(0) || code == Some(143) || code == Some(130),
            "{}: exit {code:?}",
            sig.name()
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }
    // The next run finishes what a killed one recorded, and fires what is left, once.
    at(&r, "2026-11-06T10:00:00Z", &["automate"]).ok();
    at(&r, "2026-11-06T10:00:00Z", &["automate"]).ok();
    assert_eq!(r.status(), "");
    for id in &ids {
        assert_eq!(rule_events(&r, id), 1, "{id}");
        assert!(r.read(&r.ticket_path(id)).contains("nudged"), "{id}");
    }
    r.fsck();
}

/// An executable script outside the repository that appends its standard input to
/// `events.jsonl` next to it; its path.
fn recorder(r: &Repo) -> String {
    let path = r.scratch().join("record.sh");
    let log = r.scratch().join("events.jsonl");
    std::fs::write(&path, format!("#!/bin/sh\ncat >> '{}'\n", log.display())).expect("script");
    let mut perms = std::fs::metadata(&path).expect("stat").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&path, perms).expect("chmod");
    path.display().to_string()
}

fn recorded(r: &Repo) -> Vec<Value> {
    std::fs::read_to_string(r.scratch().join("events.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one event a line"))
        .collect()
}

#[test]
fn rule_hooks_group_assignment_and_breach_hooks_fire_once() {
    let r = desk();
    let record = recorder(&r);
    let config = CONFIG.replace(
        "then: {set: ['labels+=escalated', 'urgency=5'], assign: bob}",
        &format!("then: {{assign: 'group:oncall', hook: '{record}'}}"),
    ) + &format!(
        "groups:\n  oncall: {{members: [alice, bob], strategy: round_robin}}\nhooks:\n  run:\n    - {{on: [sla_breached, assigned], command: '{record}'}}\n"
    );
    r.write(".docket/config.yaml", &config);
    r.git(&["commit", "-qam", "hooks and a group"]).ok();
    let a = ticket(
        &r,
        "2026-11-02T09:00:00Z",
        "Cluster down",
        &["--customer", "acme"],
    );
    let b = ticket(
        &r,
        "2026-11-02T09:05:00Z",
        "Ingest down",
        &["--customer", "acme"],
    );
    let v = automate_json(&r, "2026-11-02T12:00:00Z");
    assert_eq!(
        fired(&v),
        vec![format!("{a} breach"), format!("{b} breach")]
    );
    // Round robin across the group, in the order the tickets opened.
    assert!(r.read(&r.ticket_path(&a)).contains("assignee: alice"));
    assert!(r.read(&r.ticket_path(&b)).contains("assignee: bob"));
    let kinds = |events: &[Value]| -> Vec<String> {
        events
            .iter()
            .map(|e| {
                format!(
                    "{} {} {}",
                    e["event"].as_str().unwrap_or("?"),
                    e["ticket"]["id"].as_str().unwrap_or("?"),
                    e["rule"].as_str().unwrap_or("-")
                )
            })
            .collect()
    };
    let mut seen = kinds(&recorded(&r));
    seen.sort();
    let mut want = vec![
        format!("assigned {a} breach"),
        format!("assigned {b} breach"),
        format!("rule {a} breach"),
        format!("rule {b} breach"),
        format!("sla_breached {a} -"),
        format!("sla_breached {b} -"),
    ];
    want.sort();
    assert_eq!(seen, want);
    // The next run fires nothing, and announces no breach again.
    assert!(fired(&automate_json(&r, "2026-11-02T13:00:00Z")).is_empty());
    assert_eq!(recorded(&r).len(), 6);
}

#[test]
fn check_names_a_rule_whose_template_is_missing() {
    let r = desk();
    r.write(
        ".docket/config.yaml",
        &CONFIG.replace(
            "then: {set: ['labels+=nudged']}",
            "then: {comment: still-waiting}",
        ),
    );
    let out = r.docket(&["check"]);
    out.fails(1);
    let line = CONFIG
        .lines()
        .position(|l| l.contains("- name: nudge"))
        .expect("the rule")
        + 1;
    assert!(
        out.stdout.contains(&format!(".docket/config.yaml:{line}:")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("template `still-waiting`"),
        "{}",
        out.stdout
    );
    r.write(".docket/templates/still-waiting.md", "Still there?\n");
    r.docket(&["check"]).ok();
}
