//! `docket triage` end to end: each kind of rule condition and action, first and all
//! modes, group assignment by round robin (within a run, across runs, in a fresh clone)
//! and by fewest open tickets, the dry run, one commit per ticket with its trailers, and
//! a bad rule reported by `check` and refused by `triage`. The learned path waits for the
//! trained classifier (ignored until then).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Repo, Run};
use serde_json::Value;

/// The team and tiers every test shares; each test appends its routing.
const BASE: &str = "team:
  - {handle: alice, name: Alice Ng, email: alice@example.org}
  - {handle: bob, name: Bob Marsh, email: bob@example.org}
  - {handle: chen, name: Chen Wei, email: chen@example.org}
tiers: [community, professional, subscription, enterprise]
";

/// A desk with `routing` (and whatever else) after the shared part, and two customers:
/// acme (enterprise) and kestrel (community).
fn desk(rest: &str) -> Repo {
    let r = Repo::new();
    r.write(".docket/config.yaml", &format!("{BASE}{rest}"));
    r.write(
        "support/customers/acme.md",
        "---\nname: Acme\ntier: enterprise\n---\n",
    );
    r.write(
        "support/customers/kestrel.md",
        "---\nname: Kestrel\ntier: community\n---\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "set up docket"]).ok();
    r
}

/// Opens a ticket with these extra arguments and returns its id.
fn open(r: &Repo, title: &str, extra: &[&str]) -> String {
    let mut args = vec!["new", "--title", title, "--body", "Details follow."];
    args.extend_from_slice(extra);
    r.docket(&args).ok().trim().to_string()
}

fn triage_json(r: &Repo, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["triage", "--json"];
    args.extend_from_slice(extra);
    let out = r.docket(&args);
    serde_json::from_str(out.ok()).expect("triage --json prints JSON")
}

/// Per ticket id: its decisions as `field value rule-or-model`.
fn decided(tickets: &[Value]) -> BTreeMap<String, Vec<String>> {
    tickets
        .iter()
        .map(|t| {
            let ds = t["decisions"]
                .as_array()
                .expect("decisions")
                .iter()
                .map(|d| {
                    let by = d["rule"].as_str().or(d["model"].as_str()).unwrap_or("?");
                    format!("{} {} {by}", s(&d["field"]), s(&d["value"]))
                })
                .collect();
            (s(&t["id"]).to_string(), ds)
        })
        .collect()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// A frontmatter value of a ticket as committed at HEAD.
fn committed(r: &Repo, id: &str) -> String {
    r.git(&["show", &format!("HEAD:{}", r.ticket_path(id))])
        .ok()
        .to_string()
}

#[test]
fn each_condition_kind_matches_its_tickets_only() {
    let r = desk(
        r"triage: {untriaged: [assignee]}
routing:
  mode: all
  rules:
    - {name: by-label, when: {labels: [crash]}, then: {labels: [hit-label]}}
    - {name: by-text, when: {text: '(?i)\bpurple\b'}, then: {labels: [hit-text]}}
    - {name: by-title, when: {title: '^Orange'}, then: {labels: [hit-title]}}
    - {name: by-body, when: {body: 'teal'}, then: {labels: [hit-body]}}
    - {name: by-customer, when: {customer: [kestrel]}, then: {labels: [hit-customer]}}
    - {name: by-tier, when: {tier: [enterprise]}, then: {labels: [hit-tier]}}
    - {name: by-type, when: {type: [incident]}, then: {labels: [hit-type]}}
    - {name: by-domain, when: {domain: [globex.example]}, then: {labels: [hit-domain]}}
",
    );
    let with_body = |title: &str, body: &str| {
        r.docket(&["new", "--title", title, "--body", body])
            .ok()
            .trim()
            .to_string()
    };
    let cases = [
        (open(&r, "Server stops", &["--label", "crash"]), "by-label"),
        (open(&r, "A PURPLE screen", &[]), "by-text"),
        (
            with_body("Screen colour", "It turns purple at night."),
            "by-text",
        ),
        (open(&r, "Orange warning on start", &[]), "by-title"),
        (with_body("Warning colour", "Orange, then red."), ""),
        (with_body("Lights", "All of them teal."), "by-body"),
        (open(&r, "teal lights", &[]), ""),
        (open(&r, "Slow", &["--customer", "kestrel"]), "by-customer"),
        (open(&r, "Slower", &["--customer", "acme"]), "by-tier"),
        (open(&r, "Down", &["--type", "incident"]), "by-type"),
        (open(&r, "Asked", &["--type", "question"]), ""),
        (
            open(&r, "Mail", &["--reporter", "Pat <pat@globex.example>"]),
            "by-domain",
        ),
        (
            open(&r, "Mail 2", &["--reporter", "Sam <sam@EU.Globex.example>"]),
            "by-domain",
        ),
        (
            open(&r, "Mail 3", &["--reporter", "Lee <lee@notglobex.example>"]),
            "",
        ),
        (open(&r, "Plain", &[]), ""),
    ];
    let got = decided(&triage_json(&r, &[]));
    for (id, rule) in &cases {
        let expected: Vec<String> = match *rule {
            "" => vec![],
            rule => vec![format!("labels hit-{} {rule}", &rule[3..])],
        };
        assert_eq!(got.get(id), Some(&expected), "{id} ({rule})");
    }
    assert_eq!(got.len(), cases.len());
}

const EVERY_ACTION: &str = "routing:
  rules:
    - name: vip
      when: {labels: [vip]}
      then: {assignee: bob, labels: [escalated, vip-care], type: incident, importance: 4, urgency: 5, priority: urgent}
";

#[test]
fn every_action_is_written_in_one_commit_with_the_rule_trailer() {
    let r = desk(EVERY_ACTION);
    let id = open(&r, "Outage at a big customer", &["--label", "vip"]);
    let before = r.commit_count();

    // The dry run says what it would do and changes nothing.
    let dry = r.docket(&["triage"]);
    let text = dry.ok();
    for line in [
        "assignee    bob",
        "labels      +escalated",
        "labels      +vip-care",
        "type        incident",
        "importance  4",
        "urgency     5",
        "priority    urgent",
    ] {
        assert!(text.contains(&format!("  {line}")), "{line}:\n{text}");
    }
    assert!(
        dry.stderr
            .contains("dry run: 1 untriaged ticket, 1 with something to write")
    );
    assert_eq!(r.commit_count(), before);
    assert_eq!(r.status(), "");

    let applied = r.docket(&["triage", "--apply"]);
    applied.ok();
    assert!(
        applied.stderr.contains(&format!("triage {id} [main ")),
        "{}",
        applied.stderr
    );
    assert_eq!(r.commit_count(), before + 1);
    let file = committed(&r, &id);
    for line in [
        "assignee: bob",
        "type: incident",
        "importance: 4",
        "urgency: 5",
        "priority: urgent",
        "- vip\n",
        "- escalated\n",
        "- vip-care\n",
    ] {
        assert!(file.contains(line), "{line}:\n{file}");
    }
    let msg = r.git(&["log", "-1", "--format=%B"]).ok().to_string();
    assert!(msg.starts_with(&format!(
        "docket: triage {id} \"Outage at a big customer\"\n"
    )));
    assert!(msg.contains("rule vip: assignee=bob, labels+=escalated, labels+=vip-care, type=incident, importance=4, urgency=5, priority=urgent\n"), "{msg}");
    assert!(
        msg.contains("\nDocket-Action: triage\nDocket-Rule: vip\n"),
        "{msg}"
    );
    assert_eq!(r.status(), "");
    r.fsck();

    // Nothing is left to do: the ticket is triaged now.
    let again = r.docket(&["triage", "--apply"]);
    again.ok();
    assert!(
        again.stderr.contains("no untriaged tickets"),
        "{}",
        again.stderr
    );
    assert_eq!(r.commit_count(), before + 1);
}

#[test]
fn a_rule_fills_in_and_keeps_what_the_ticket_has() {
    let r = desk(EVERY_ACTION);
    let id = open(
        &r,
        "Outage",
        &["--label", "vip", "--label", "escalated", "--urgency", "2"],
    );
    let t = triage_json(&r, &[]);
    let ds = &t[0]["decisions"];
    let urgency = ds
        .as_array()
        .expect("decisions")
        .iter()
        .find(|d| d["field"] == "urgency")
        .expect("the rule's urgency is listed");
    assert_eq!(urgency["apply"], false);
    assert_eq!(urgency["note"], "kept: the ticket has `2`");
    let labels: Vec<&str> = ds
        .as_array()
        .expect("decisions")
        .iter()
        .filter(|d| d["field"] == "labels")
        .map(|d| s(&d["value"]))
        .collect();
    assert_eq!(
        labels,
        ["vip-care"],
        "a present label is not suggested again"
    );
    r.docket(&["triage", "--apply"]).ok();
    let file = committed(&r, &id);
    assert!(
        file.contains("urgency: 2") && file.contains("assignee: bob"),
        "{file}"
    );
}

fn two_rules(mode: &str) -> String {
    format!(
        "routing:
  mode: {mode}
  rules:
    - {{name: one, when: {{text: crash}}, then: {{assignee: alice, labels: [crash]}}}}
    - {{name: two, when: {{title: crash}}, then: {{assignee: bob, urgency: 3}}}}
"
    )
}

#[test]
fn first_mode_takes_one_rule_and_all_mode_layers_every_match() {
    let r = desk(&two_rules("first"));
    let id = open(&r, "crash on start", &[]);
    let first = decided(&triage_json(&r, &[]));
    assert_eq!(first[&id], ["assignee alice one", "labels crash one"]);

    let r = desk(&two_rules("all"));
    let id = open(&r, "crash on start", &[]);
    let all = decided(&triage_json(&r, &[]));
    assert_eq!(
        all[&id],
        ["assignee bob two", "labels crash one", "urgency 3 two"]
    );
    r.docket(&["triage", "--apply"]).ok();
    let msg = r.git(&["log", "-1", "--format=%B"]).ok().to_string();
    assert!(
        msg.contains("Docket-Rule: two\nDocket-Rule: one\n"),
        "{msg}"
    );
}

const ROUND_ROBIN: &str = "groups:
  ops: {members: [alice, bob, chen], strategy: round_robin}
routing:
  rules:
    - {name: spread, when: {labels: [ops]}, then: {assignee: 'group:ops'}}
";

/// The assignee each ticket of a `triage --json` run got, oldest ticket first.
fn assignees(tickets: &[Value]) -> Vec<String> {
    tickets
        .iter()
        .flat_map(|t| t["decisions"].as_array().cloned().unwrap_or_default())
        .filter(|d| d["field"] == "assignee")
        .map(|d| s(&d["value"]).to_string())
        .collect()
}

/// Runs docket in another folder with the repository's hermetic environment.
fn docket_in(r: &Repo, dir: &Path, args: &[&str]) -> Run {
    let mut cmd = r.command(Path::new(env!("CARGO_BIN_EXE_docket")), args);
    cmd.current_dir(dir)
        .env("DOCKET_AUTHOR", "Chen Wei <chen@example.org>");
    Run::of(cmd.output().expect("docket runs"))
}

#[test]
fn round_robin_spreads_one_run_and_goes_on_in_a_fresh_clone() {
    let r = desk(ROUND_ROBIN);
    for n in 1..=4 {
        open(&r, &format!("Disk {n}"), &["--label", "ops"]);
    }
    let run = triage_json(&r, &["--apply"]);
    assert_eq!(assignees(&run), ["alice", "bob", "chen", "alice"]);
    assert!(
        run.iter()
            .all(|t| t["written"] == true && t["commit"].is_string())
    );

    let next: Vec<String> = (5..=6)
        .map(|n| open(&r, &format!("Disk {n}"), &["--label", "ops"]))
        .collect();
    // Here, from the files as the last run left them: bob, then chen.
    let here = triage_json(&r, &[]);
    assert_eq!(assignees(&here), ["bob", "chen"]);
    let clone = r.scratch().join("clone");
    let c = r.git(&["clone", "-q", ".", clone.to_str().expect("utf-8 path")]);
    c.ok();
    let there = docket_in(&r, &clone, &["triage", "--apply", "--json"]);
    let there: Vec<Value> = serde_json::from_str(there.ok()).expect("JSON");
    assert_eq!(assignees(&there), ["bob", "chen"]);
    let ids: Vec<&str> = there.iter().map(|t| s(&t["id"])).collect();
    assert_eq!(ids, next);
    let log = Run::of(
        std::process::Command::new("git")
            .args([
                "log",
                "--format=%(trailers:key=Docket-Rule,valueonly)%s",
                "-2",
            ])
            .current_dir(&clone)
            .output()
            .expect("git runs"),
    );
    assert_eq!(
        log.ok().matches("spread\ndocket: triage").count(),
        2,
        "{}",
        log.stdout
    );
}

#[test]
fn fewest_open_goes_to_the_member_with_the_fewest_open_tickets() {
    let r = desk(
        "groups:
  success: {members: [chen, alice], strategy: fewest_open}
routing:
  rules:
    - {name: care, when: {labels: [help]}, then: {assignee: 'group:success'}}
",
    );
    open(&r, "Chen's first", &["--assignee", "chen"]);
    open(&r, "Chen's second", &["--assignee", "chen"]);
    open(&r, "Alice's open one", &["--assignee", "alice"]);
    for n in 1..=2 {
        let done = open(&r, &format!("Alice's done {n}"), &["--assignee", "alice"]);
        r.docket(&["close", &done, "--reason", "fixed"]).ok();
    }
    for n in 1..=3 {
        open(&r, &format!("Help {n}"), &["--label", "help"]);
    }
    // alice 1 open, chen 2: alice; then 2 each: chen (listed first); then alice.
    assert_eq!(assignees(&triage_json(&r, &[])), ["alice", "chen", "alice"]);
    let before = r.commit_count();
    assert_eq!(
        assignees(&triage_json(&r, &["--apply"])),
        ["alice", "chen", "alice"]
    );
    assert_eq!(r.commit_count(), before + 3);
    let bodies = r.git(&["log", "-3", "--format=%B%x00"]).ok().to_string();
    assert_eq!(bodies.matches("Docket-Rule: care\n").count(), 3, "{bodies}");
    assert_eq!(
        bodies.matches("rule care: assignee=").count(),
        3,
        "{bodies}"
    );
    r.fsck();
}

#[test]
fn one_commit_per_ticket_and_a_second_apply_finds_nothing() {
    let r = desk(
        "triage: {untriaged: [assignee, labels]}
routing:
  rules:
    - {name: tls, when: {text: '(?i)certificate'}, then: {labels: [tls]}}
",
    );
    let a = open(&r, "Certificate expired", &[]);
    let b = open(&r, "Another certificate problem", &[]);
    let other = open(&r, "Unrelated", &[]);
    let before = r.commit_count();
    let run = r.docket(&["triage", "--apply"]);
    let text = run.ok();
    assert!(text.contains("nothing decided: no rule matches"), "{text}");
    assert_eq!(r.commit_count(), before + 2);
    let subjects = r.git(&["log", "-2", "--format=%s"]).ok().to_string();
    assert!(subjects.contains(&a) && subjects.contains(&b) && !subjects.contains(&other));
    r.fsck();
    assert_eq!(r.status(), "");
    // Labels alone leave them untriaged by `assignee`, but nothing is left to write.
    let again = r.docket(&["triage", "--apply"]);
    again.ok();
    assert!(
        again
            .stderr
            .contains("triaged 0 of 1 untriaged ticket: nothing to write"),
        "{}",
        again.stderr
    );
    assert_eq!(r.commit_count(), before + 2);
}

#[test]
fn a_bad_rule_is_a_check_error_naming_the_key_and_stops_triage() {
    let r = desk(
        "routing:
  rules:
    - {name: ok, when: {labels: [x]}, then: {labels: [y]}}
    - name: tls
      when: {text: '(tls|x509'}
      then: {labels: [tls]}
",
    );
    open(&r, "x509 error", &[]);
    let check = r.docket(&["check"]);
    let out = format!("{}{}", check.stdout, check.stderr);
    assert_eq!(check.code, 1, "{out}");
    assert!(
        out.contains(".docket/config.yaml:")
            && out.contains("routing rule `tls` (`routing.rules.1`): `when.text` is not a regular expression (unclosed group)"),
        "{out}"
    );
    let before = r.commit_count();
    let err = r.docket(&["triage", "--apply"]).fails(1).to_string();
    assert!(
        err.contains(
            "error: .docket/config.yaml:9:1: routing rule `tls` (`routing.rules.1`): `when.text`"
        ),
        "{err}"
    );
    assert_eq!(r.commit_count(), before);
}

#[test]
fn a_rule_naming_no_team_member_is_refused_with_the_fix() {
    let r = desk(
        "routing:
  rules:
    - {name: who, then: {assignee: dave}}
",
    );
    let err = r.docket(&["triage"]).fails(1).to_string();
    assert!(
        err.contains("assigns to `dave`, who is not in `team`; name one of alice, bob, chen"),
        "{err}"
    );
}

/// Closed tickets to learn from: questions about backups, bugs about crashes.
fn learned_desk(triage: &str) -> Repo {
    let r = desk(&format!("triage: {triage}\n"));
    let q = [
        "How do I configure backups for the archive?",
        "How do I schedule nightly backups?",
        "Where do backups of the archive go?",
        "How do I restore the archive from backups?",
        "Can backups run while the archive is written?",
        "How do I keep a week of backups?",
    ];
    let b = [
        "Crash when the server starts",
        "Segfault crash after upgrade",
        "Crash on shutdown with a panic",
        "Server crash under load",
        "Crash in the ingest thread",
        "Panic and crash reading the index",
    ];
    for (title, kind, label) in q
        .iter()
        .map(|t| (t, "question", "backups"))
        .chain(b.iter().map(|t| (t, "bug", "crash")))
    {
        let id = open(
            &r,
            title,
            &["--type", kind, "--label", label, "--assignee", "alice"],
        );
        r.docket(&["close", &id, "--reason", "fixed"]).ok();
    }
    r
}

/// The model's type suggestion for the one untriaged ticket.
fn learned_type(r: &Repo) -> Value {
    let t = triage_json(r, &[]);
    t[0]["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .find(|d| d["field"] == "type")
        .cloned()
        .expect("a type is suggested")
}

#[test]
fn closed_tickets_teach_a_type_for_a_similar_open_one() {
    let r = learned_desk("{threshold: 0.0, min_label_count: 2}");
    open(
        &r,
        "How do I move backups of the archive to another disk?",
        &[],
    );
    let d = learned_type(&r);
    assert_eq!(
        (d["value"].as_str(), d["source"].as_str()),
        (Some("question"), Some("model"))
    );
    let c = d["confidence"].as_f64().expect("a confidence");
    assert!(c > 0.0 && c <= 1.0, "{c}");
    assert!(
        d["model"]
            .as_str()
            .is_some_and(|m| !m.is_empty() && m != "none")
    );
}

#[test]
fn apply_writes_learned_values_only_at_or_above_the_threshold() {
    // Types only, so that a label does not make a commit of its own.
    let r = learned_desk("{threshold: 0.0, learn: [type]}");
    let id = open(
        &r,
        "How do I move backups of the archive to another disk?",
        &[],
    );
    let c = learned_type(&r)["confidence"]
        .as_f64()
        .expect("a confidence");
    assert!(c < 1.0, "a confidence of 1 leaves no threshold above it");
    let config = |threshold: f64| {
        r.write(
            ".docket/config.yaml",
            &format!("{BASE}triage: {{threshold: {threshold}, learn: [type]}}\n"),
        );
        r.git(&["commit", "-qam", "threshold"]).ok();
    };

    config((c + 0.01).min(1.0));
    let above = learned_type(&r);
    assert_eq!(above["apply"], false);
    assert!(
        s(&above["note"]).starts_with("below the threshold"),
        "{above}"
    );
    let before = r.commit_count();
    r.docket(&["triage", "--apply"]).ok();
    assert!(!committed(&r, &id).contains("type: question"));
    assert_eq!(r.commit_count(), before, "nothing else was to be written");

    config(c);
    assert_eq!(learned_type(&r)["apply"], true);
    r.docket(&["triage", "--apply"]).ok();
    assert!(committed(&r, &id).contains("type: question"));
    let msg = r.git(&["log", "-1", "--format=%B"]).ok().to_string();
    assert!(msg.contains("\nDocket-Model: "), "{msg}");
    assert!(!msg.contains("Docket-Rule:"), "{msg}");
}

#[test]
fn a_ticket_that_cannot_be_written_fails_alone_and_its_pick_is_not_counted() {
    let r = desk(ROUND_ROBIN);
    let first = open(&r, "Disk 1", &["--label", "ops"]);
    let second = open(&r, "Disk 2", &["--label", "ops"]);
    let path = r.ticket_path(&first);
    let text = r.read(&path);
    r.write(&path, &format!("{text}\nA local edit, not committed.\n"));
    let before = r.commit_count();
    let run = r.docket(&["triage", "--apply"]);
    let err = run.fails(1);
    assert!(err.contains(&format!("error: triage {first}: ")), "{err}");
    assert!(err.contains("uncommitted changes"), "{err}");
    assert!(err.contains("1 ticket could not be triaged"), "{err}");
    assert_eq!(r.commit_count(), before + 1);
    // alice's pick for the first ticket was never written, so the second gets alice.
    assert!(committed(&r, &second).contains("assignee: alice"));
    assert!(!committed(&r, &first).contains("assignee:"));
}
