//! Event hooks through the binary: the event JSON a hook reads (checked against
//! `schema/hook-event.schema.json`), which changes fire which events, and that a hook
//! that fails, hangs or runs docket itself never undoes a change, changes the exit code
//! or blocks docket. The hooks are local shell scripts writing into the test's folder.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::Repo;
use serde_json::Value;

/// A desk with the demo's config, an enterprise customer, and `hooks` (YAML) appended
/// to the config.
fn desk(hooks: &str) -> Repo {
    let r = Repo::with_desk();
    r.write(
        "support/customers/acme.md",
        "---\nname: Acme Corp\ntier: enterprise\n---\n",
    );
    let config = r.read(".docket/config.yaml") + hooks;
    r.write(".docket/config.yaml", &config);
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "hooks"]).ok();
    r
}

/// A folder outside the repository for what hooks write.
fn out_dir(r: &Repo) -> PathBuf {
    let dir = r.scratch().join("out");
    std::fs::create_dir_all(&dir).expect("out dir");
    dir
}

/// An executable shell script outside the repository; its path.
fn script(r: &Repo, name: &str, body: &str) -> String {
    let path = r.scratch().join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}")).expect("script");
    let mut perms = std::fs::metadata(&path).expect("stat").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&path, perms).expect("chmod");
    path.display().to_string()
}

/// A hook that appends each event to `out/events.jsonl` and its environment to
/// `out/env.txt`, and prints to its standard output.
fn recorder(r: &Repo) -> String {
    let out = out_dir(r);
    script(
        r,
        "record.sh",
        &format!(
            "cat >> '{o}/events.jsonl'\necho \"$DOCKET_EVENT $DOCKET_TICKET $DOCKET_HOOK_DEPTH $(pwd)\" >> '{o}/env.txt'\necho noise from the hook\n",
            o = out.display()
        ),
    )
}

/// The events the recorder saw.
fn recorded(r: &Repo) -> Vec<Value> {
    let path = r.scratch().join("out/events.jsonl");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON event a line"))
        .collect()
}

fn schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/hook-event.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("json");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

#[test]
fn a_hook_that_succeeds_reads_each_event_as_json_matching_the_schema() {
    let r = desk("");
    let record = recorder(&r);
    let config =
        r.read(".docket/config.yaml") + &format!("hooks:\n  run:\n    - command: '{record}'\n");
    r.write(".docket/config.yaml", &config);
    r.git(&["commit", "-q", "-am", "record every event"]).ok();
    let new = r.docket(&[
        "new",
        "--title",
        "Crash on start",
        "--body",
        "It broke.",
        "--customer",
        "acme",
        "--label",
        "crash",
    ]);
    let t = new.ok().trim().to_string();
    // What a hook prints goes to stderr, never into docket's data on stdout.
    assert_eq!(new.stdout, format!("{t}\n"));
    assert!(new.stderr.contains("noise from the hook"), "{}", new.stderr);
    r.docket(&["assign", &t, "bob"]).ok();
    r.docket(&["set", &t, "status=pending"]).ok();
    r.docket(&["comment", &t, "-m", "Looking", "--internal"])
        .ok();
    r.docket(&[
        "reply",
        &t,
        "-m",
        "Fixed in 2.4",
        "--set",
        "status=resolved",
    ])
    .ok();
    assert_eq!(r.status(), "");

    let events = recorded(&r);
    let validator = schema();
    for e in &events {
        let errors: Vec<String> = validator.iter_errors(e).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{e}: {errors:?}");
    }
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().expect("event"))
        .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "assigned",
            "status_changed",
            "commented",
            "commented",
            "status_changed",
        ]
    );
    let created = &events[0];
    assert_eq!(created["ticket"]["id"], t.as_str());
    assert_eq!(created["ticket"]["title"], "Crash on start");
    assert_eq!(created["ticket"]["status"], "open");
    assert_eq!(created["ticket"]["customer"], "acme");
    assert_eq!(created["ticket"]["labels"], serde_json::json!(["crash"]));
    assert_eq!(created["actor"], "Alice Ng <alice@example.org>");
    assert_eq!(
        created["ticket"]["path"],
        format!("support/tickets/{}/{t}.md", &t[2..4]).as_str()
    );
    let head_after_new = r.git(&["rev-list", "--reverse", "HEAD"]);
    let commits: Vec<&str> = head_after_new.ok().lines().collect();
    assert_eq!(created["commit"], commits[commits.len() - 5]);
    assert_eq!(events[1]["to"], "bob");
    assert!(events[1].get("from").is_none(), "{}", events[1]);
    assert_eq!(
        (&events[2]["from"], &events[2]["to"]),
        (&"open".into(), &"pending".into())
    );
    assert_eq!(events[3]["comment"]["internal"], true);
    assert_eq!(events[3]["comment"]["body"], "Looking\n");
    assert_eq!(events[4]["comment"]["internal"], false);
    assert_eq!(events[5]["ticket"]["status"], "resolved");
    assert_eq!(events[4]["commit"], events[5]["commit"]);

    // The environment: the event, the ticket, the depth, and the repository's root.
    let env = std::fs::read_to_string(r.scratch().join("out/env.txt")).expect("env");
    let first = env.lines().next().expect("a line");
    assert_eq!(
        first,
        format!(
            "created {t} 1 {}",
            r.root.canonicalize().expect("root").display()
        )
    );
}

#[test]
fn a_failing_hook_warns_and_the_change_stands_with_exit_code_zero() {
    let r = desk("hooks:\n  run:\n    - {on: [commented], command: 'echo refused >&2; exit 3'}\n");
    let t = r.new_ticket("Crash");
    let before = r.commit_count();
    let run = r.docket(&["comment", &t, "-m", "Can you send the log?"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("refused\n"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "warning: hook `echo refused >&2; exit 3` on commented of {t} failed: exit code 3"
        )),
        "{}",
        run.stderr
    );
    assert_eq!(r.commit_count(), before + 1);
    assert_eq!(r.status(), "");
    let show = r.docket(&["show", &t]);
    assert!(show.ok().contains("Can you send the log?"));
    // `created` fired nothing: the hook is only for comments.
    let new = r.docket(&["new", "--title", "Other", "--body", "x"]);
    assert!(!new.stderr.contains("warning"), "{}", new.stderr);
    // No hook listens for SLA breaches, so `sla` keeps no state.
    r.docket(&["sla"]).ok();
    assert!(!r.root.join(".git/docket/hooks-sla.json").exists());
}

/// Whether a process is gone (or a zombie about to be reaped).
fn gone(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
    }
}

#[test]
fn a_hanging_hook_is_stopped_at_its_limit_with_its_children() {
    let r = desk("");
    let pid_file = out_dir(&r).join("sleep.pid");
    let config = r.read(".docket/config.yaml")
        + &format!(
            "hooks:\n  timeout: 30s\n  run:\n    - on: [created]\n      timeout: 1s\n      command: 'sleep 600 & echo $! > {}; wait'\n",
            pid_file.display()
        );
    r.write(".docket/config.yaml", &config);
    r.git(&["commit", "-q", "-am", "a hook that hangs"]).ok();
    let before = r.commit_count();
    let start = Instant::now();
    let run = r.docket(&["new", "--title", "Hang", "--body", "x"]);
    let took = start.elapsed();
    let t = run.ok().trim().to_string();
    assert!(took < Duration::from_secs(8), "took {took:?}");
    assert!(took >= Duration::from_secs(1), "took {took:?}");
    assert!(
        run.stderr.contains(&format!(
            "warning: hook `sleep 600 & echo $! > {}; wait` on created of {t} timed out: stopped after 1s",
            pid_file.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(r.commit_count(), before + 1);
    assert_eq!(r.status(), "");
    let pid = std::fs::read_to_string(&pid_file).expect("the hook wrote its child's pid");
    let pid = pid.trim();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !gone(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(gone(pid), "the hook's child {pid} still runs");
}

#[test]
fn with_no_commit_hooks_run_and_the_event_has_no_commit() {
    let r = desk("");
    let record = recorder(&r);
    let config = r.read(".docket/config.yaml")
        + &format!("hooks:\n  run:\n    - {{on: [commented], command: '{record}'}}\n");
    r.write(".docket/config.yaml", &config);
    r.git(&["commit", "-q", "-am", "record comments"]).ok();
    let t = r.new_ticket("Crash");
    r.docket(&["comment", &t, "-m", "Hello", "--no-commit"])
        .ok();
    let events = recorded(&r);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["event"], "commented");
    assert!(events[0].get("commit").is_none(), "{}", events[0]);
    assert!(r.status().starts_with("?? "), "{}", r.status());
}

#[test]
fn a_hook_can_run_docket_without_deadlock_and_nesting_is_bounded() {
    let r = desk("");
    let docket = env!("CARGO_BIN_EXE_docket");
    let config = r.read(".docket/config.yaml")
        + &format!(
            "hooks:\n  run:\n    - {{on: [created], command: '{docket} assign \"$DOCKET_TICKET\" chen'}}\n    - {{on: [commented], command: '{docket} comment \"$DOCKET_TICKET\" -m again'}}\n"
        );
    r.write(".docket/config.yaml", &config);
    r.git(&["commit", "-q", "-am", "hooks that run docket"])
        .ok();
    let before = r.commit_count();
    let run = r.docket(&["new", "--title", "Loop", "--body", "x"]);
    let t = run.ok().trim().to_string();
    // The hook's own `assign` made its commit while docket waited for it.
    assert_eq!(r.commit_count(), before + 2, "{}", run.stderr);
    assert!(r.read(&r.ticket_path(&t)).contains("assignee: chen"));

    let before = r.commit_count();
    let run = r.docket(&["comment", &t, "-m", "first"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("hooks not run: this docket runs 4 hooks deep"),
        "{}",
        run.stderr
    );
    // The comment, then one from each of the four nested hooks.
    assert_eq!(r.commit_count(), before + 5);
    assert_eq!(r.status(), "");
}

#[test]
fn sla_breached_fires_once_across_two_sla_runs() {
    let r = desk("");
    let record = recorder(&r);
    let config = r.read(".docket/config.yaml")
        + &format!("hooks:\n  run:\n    - {{on: [sla_breached], command: '{record}'}}\n");
    r.write(".docket/config.yaml", &config);
    r.git(&["commit", "-q", "-am", "announce breaches"]).ok();
    // Enterprise: first response within 1h, round the clock.
    let t = r
        .docket(&[
            "new",
            "--title",
            "Down",
            "--body",
            "All down",
            "--customer",
            "acme",
        ])
        .ok()
        .trim()
        .to_string();
    assert!(recorded(&r).is_empty(), "creating fires no sla_breached");
    let first = r.docket_env(&["sla"], &[("DOCKET_NOW", "2026-11-02T11:00:00Z")]);
    assert!(first.ok().contains(&t[..6]), "{}", first.stdout);
    let second = r.docket_env(
        &["sla", "--json"],
        &[("DOCKET_NOW", "2026-11-02T12:00:00Z")],
    );
    assert!(second.ok().contains("breached"), "{}", second.stdout);
    let events = recorded(&r);
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!(e["event"], "sla_breached");
    assert_eq!(e["target"], "first_response");
    assert_eq!(e["ticket"]["id"], t.as_str());
    assert_eq!(e["ticket"]["priority"], "normal");
    assert!(e.get("commit").is_none(), "{e}");
    let errors: Vec<String> = schema().iter_errors(e).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let state =
        std::fs::read_to_string(r.root.join(".git/docket/hooks-sla.json")).expect("the state file");
    assert!(state.contains(&format!("{t} first_response")), "{state}");
    assert_eq!(r.status(), "");
}

#[test]
fn a_timeout_that_does_not_read_warns_and_uses_the_default() {
    let r = desk("hooks:\n  timeout: soon\n  run:\n    - {on: [created], command: 'true'}\n");
    let run = r.docket(&["new", "--title", "Hi", "--body", "x"]);
    run.ok();
    assert!(
        run.stderr
            .contains("warning: hooks.timeout: `soon` is not a duration"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hooks ran with 10s"), "{}", run.stderr);
}
