//! The ticket lifecycle through the real binary: every command, its output, its files and
//! the commit it makes, checked with the git CLI.

mod common;

use common::Repo;

#[test]
fn new_writes_one_file_in_one_commit_with_trailers() {
    let r = Repo::with_desk();
    let before = r.commit_count();
    let run = r.docket(&[
        "new",
        "--title",
        "Crash on start",
        "--body",
        "It crashes.",
        "--label",
        "crash",
        "--label",
        "config",
    ]);
    let id = run.ok().trim().to_string();
    assert!(id.starts_with("T-") && id.len() == 12, "{id}");
    assert!(
        run.stderr.contains(&format!("new {id} [main ")),
        "{}",
        run.stderr
    );
    assert_eq!(r.commit_count(), before + 1);
    let path = format!("support/tickets/{}/{id}.md", &id[2..4]);
    assert_eq!(
        r.git(&["show", "--name-only", "--format=", "HEAD"])
            .ok()
            .trim(),
        path
    );
    let msg = r.git(&["log", "-1", "--format=%B"]).ok().to_string();
    assert!(
        msg.starts_with(&format!("docket: new {id} \"Crash on start\"\n")),
        "{msg}"
    );
    assert!(
        msg.contains(&format!("Docket-Ticket: {id}\n")) && msg.contains("Docket-Action: new\n"),
        "{msg}"
    );
    let trailers = r
        .git(&[
            "log",
            "-1",
            "--format=%(trailers:key=Docket-Action,valueonly)",
        ])
        .ok()
        .trim()
        .to_string();
    assert_eq!(trailers, "new");
    assert_eq!(
        r.git(&["log", "-1", "--format=%an <%ae>"]).ok().trim(),
        "Alice Ng <alice@example.org>"
    );
    let text = r.read(&path);
    assert!(
        text.starts_with(&format!(
            "---\nid: {id}\ntitle: Crash on start\nstatus: open\ncreated: "
        )),
        "{text}"
    );
    assert!(text.contains("reporter: Alice Ng <alice@example.org>\nlabels:\n  - crash\n  - config\n---\nIt crashes.\n"), "{text}");
    assert_eq!(r.status(), "");
    r.fsck();
}

#[test]
fn set_changes_exactly_one_line_and_adds_the_event_file() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Slow queries");
    r.docket(&["set", &id, "status=pending"]).ok();
    let files = r
        .git(&["show", "--name-status", "--format=", "HEAD"])
        .ok()
        .to_string();
    let files: Vec<&str> = files.lines().collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files[0].starts_with("M\tsupport/tickets/"), "{files:?}");
    assert!(files[1].starts_with("A\tsupport/tickets/"), "{files:?}");
    let event = files[1].trim_start_matches("A\t");
    let text = r.read(event);
    assert!(
        text.contains("event: status\nfrom: open\nto: pending\n"),
        "{text}"
    );
    let ticket = files[0].trim_start_matches("M\t");
    let diff = r
        .git(&["diff", "HEAD~1", "HEAD", "--unified=0", "--", ticket])
        .ok()
        .to_string();
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect();
    assert_eq!(changed, vec!["-status: open", "+status: pending"], "{diff}");
    assert!(
        r.git(&["log", "-1", "--format=%B"])
            .ok()
            .contains("status: open -> pending")
    );
}

#[test]
fn adding_a_label_adds_one_line() {
    let r = Repo::with_desk();
    let id = r
        .docket(&["new", "-t", "Slow queries", "-b", "x", "-l", "perf"])
        .ok()
        .trim()
        .to_string();
    r.docket(&["set", &id, "labels+=regression"]).ok();
    let stat = r
        .git(&["diff", "--numstat", "HEAD~1", "HEAD"])
        .ok()
        .to_string();
    assert!(stat.starts_with("1\t0\t"), "{stat}");
    r.docket(&["set", &id, "labels-=perf"]).ok();
    let stat = r
        .git(&["diff", "--numstat", "HEAD~1", "HEAD"])
        .ok()
        .to_string();
    assert!(stat.starts_with("0\t1\t"), "{stat}");
}

#[test]
fn any_unique_prefix_works_and_ambiguity_lists_candidates() {
    let r = Repo::with_desk();
    r.write(
        "support/tickets/AA/T-AAAA000001.md",
        "---\nid: T-AAAA000001\ntitle: one\nstatus: open\ncreated: 2026-11-01T00:00:00Z\n---\n",
    );
    r.write(
        "support/tickets/AA/T-AAAA000002.md",
        "---\nid: T-AAAA000002\ntitle: two\nstatus: open\ncreated: 2026-11-02T00:00:00Z\n---\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-qm", "two tickets"]).ok();
    insta::assert_snapshot!(r.transcript(&["show", "AAAA"]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: `AAAA` matches 2 tickets: T-AAAA000001, T-AAAA000002
        hint: type more characters of the id
        ");
    assert!(
        r.docket(&["show", "aaaa000001"])
            .ok()
            .starts_with("T-AAAA000001  one")
    );
    assert!(
        r.docket(&["show", "T-AAAA000002"])
            .ok()
            .starts_with("T-AAAA000002  two")
    );
    insta::assert_snapshot!(r.transcript(&["show", "ZZZZ"]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: no ticket matches `ZZZZ`
        hint: `docket list --all` shows every ticket
        ");
    let list = r.docket(&["list"]).ok().to_string();
    assert!(
        list.contains("T-AAAA000001") && list.contains("T-AAAA000002"),
        "short ids must stay unique: {list}"
    );
}

#[test]
fn comment_close_reopen_assign_link_and_history() {
    let r = Repo::with_desk();
    let first = r.new_ticket("Crash on start");
    let id = r.new_ticket("Crash on start again");
    r.docket(&["comment", &id, "-m", "Can you send the log?"])
        .ok();
    r.docket(&[
        "comment",
        &id,
        "-m",
        "Looks like the config loader.",
        "--internal",
    ])
    .ok();
    r.docket(&["assign", &id, "bob"]).ok();
    let err = r.docket(&["assign", &id, "mallory"]).fails(2).to_string();
    assert!(
        err.contains("`mallory` is not in the team") && err.contains("alice, bob, chen"),
        "{err}"
    );
    r.docket(&["close", &id, "--reason", "fixed"]).ok();
    let v: serde_json::Value =
        serde_json::from_str(r.docket(&["show", &id, "--json"]).ok()).expect("json");
    assert_eq!(v["status"], "closed");
    assert_eq!(v["closed"], true);
    assert_eq!(v["assignee"], "bob");
    assert_eq!(v["resolution"], "fixed");
    let resolved = v["resolved"].as_str().expect("resolved is set").to_string();
    let comments = v["comments"].as_array().expect("comments");
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["body"], "Can you send the log?\n");
    assert_eq!(comments[1]["internal"], true);
    // The transitions of the demo workflow: closed may only go back to open.
    let err = r
        .docket(&["set", &id, "status=pending"])
        .fails(2)
        .to_string();
    assert!(
        err.contains("from `closed` to `pending`") && err.contains("allowed next statuses: open"),
        "{err}"
    );
    r.docket(&["reopen", &id]).ok();
    let v: serde_json::Value =
        serde_json::from_str(r.docket(&["show", &id, "--json"]).ok()).expect("json");
    assert_eq!(v["status"], "open");
    assert_eq!(v["resolved"], resolved.as_str(), "resolved is set once");
    assert!(v.get("resolution").is_none_or(|x| x.is_null()));
    let err = r.docket(&["reopen", &id]).fails(2).to_string();
    assert!(err.contains("is not closed"), "{err}");
    r.docket(&["link", &id, "--duplicate-of", &first]).ok();
    let v: serde_json::Value =
        serde_json::from_str(r.docket(&["show", &id, "--json"]).ok()).expect("json");
    assert_eq!(v["links"]["duplicate_of"], first.as_str());
    assert_eq!(v["status"], "closed");
    assert_eq!(v["resolution"], "duplicate");
    let history = r.docket(&["history", &id, "--json"]).ok().to_string();
    let h: serde_json::Value = serde_json::from_str(&history).expect("json");
    let subjects: Vec<&str> = h
        .as_array()
        .expect("list")
        .iter()
        .map(|e| e["summary"].as_str().expect("summary"))
        .collect();
    let actions: Vec<&str> = subjects
        .iter()
        .map(|s| s.split(' ').nth(1).expect("action"))
        .collect();
    assert_eq!(
        actions,
        vec![
            "link", "reopen", "close", "assign", "note", "comment", "new"
        ],
        "{subjects:?}"
    );
    assert_eq!(r.status(), "");
    r.fsck();
}

#[test]
fn link_to_an_article_must_exist() {
    let r = Repo::with_desk();
    let id = r.new_ticket("How do I rotate TLS certificates?");
    let err = r
        .docket(&["link", &id, "--article", "tls-setup"])
        .fails(2)
        .to_string();
    assert!(err.contains("no article named `tls-setup`"), "{err}");
    r.write(
        "support/kb/tls-setup.md",
        "---\ntitle: TLS setup\nstatus: published\n---\nUse certs.\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-qm", "kb"]).ok();
    r.docket(&["link", &id, "--article", "tls-setup"]).ok();
    assert!(
        r.read(&r.ticket_path(&id))
            .contains("links:\n  articles:\n    - tls-setup\n")
    );
}

#[test]
fn list_filters_and_json() {
    let r = Repo::with_desk();
    let a = r
        .docket(&[
            "new",
            "-t",
            "Alpha",
            "-b",
            "x",
            "-l",
            "crash",
            "--assignee",
            "alice",
        ])
        .ok()
        .trim()
        .to_string();
    let b = r
        .docket(&["new", "-t", "Beta", "-b", "x", "-l", "docs"])
        .ok()
        .trim()
        .to_string();
    let c = r.new_ticket("Gamma");
    r.docket(&["close", &c]).ok();
    let ids = |args: &[&str]| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(r.docket(args).ok()).expect("json");
        let mut ids: Vec<String> = v
            .as_array()
            .expect("array")
            .iter()
            .map(|t| t["id"].as_str().expect("id").to_string())
            .collect();
        ids.sort();
        ids
    };
    let mut open = vec![a.clone(), b.clone()];
    open.sort();
    assert_eq!(ids(&["list", "--json"]), open);
    assert_eq!(
        ids(&["list", "--json", "--label", "crash"]),
        vec![a.clone()]
    );
    assert_eq!(
        ids(&["list", "--json", "--assignee", "alice"]),
        vec![a.clone()]
    );
    assert_eq!(ids(&["list", "--json", "--assignee", "-"]), vec![b.clone()]);
    assert_eq!(
        ids(&["list", "--json", "--status", "closed"]),
        vec![c.clone()]
    );
    assert_eq!(ids(&["list", "--json", "--all"]).len(), 3);
    let table = r.docket(&["list"]).ok().to_string();
    assert!(
        table.contains("Alpha") && table.contains("Beta") && !table.contains("Gamma"),
        "{table}"
    );
}

#[test]
fn a_bad_file_is_skipped_with_a_warning_and_the_rest_works() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Good ticket");
    r.write(
        "support/tickets/ZZ/T-ZZZZZZZZZZ.md",
        "---\nid: T-ZZZZZZZZZZ\ntitle: \"oops\nstatus: open\n---\n",
    );
    r.write("support/tickets/YY/T-YYYYYYYYYY.md", "---\nid: T-YYYYYYYYYY\ntitle: Odd but fine\nstatus: Waiting on vendor\ncreated: 2020-01-01\nimportance: high\nx-extra: kept\n---\n");
    let run = r.docket(&["list", "--all"]);
    let out = run.ok();
    assert!(
        out.contains("Good ticket") && out.contains("Odd but fine"),
        "{out}"
    );
    assert!(
        run.stderr
            .contains("warning: support/tickets/ZZ/T-ZZZZZZZZZZ.md:3:8: invalid YAML"),
        "{}",
        run.stderr
    );
    r.docket(&["comment", &id, "-m", "still works"]).ok();
    // A file with values docket does not know still shows and edits.
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-qm", "hand-written"]).ok();
    let shown = r.docket(&["show", "T-YYYY"]).ok().to_string();
    assert!(
        shown.contains("status:") && shown.contains("Waiting on vendor"),
        "{shown}"
    );
    r.docket(&["set", "T-YYYY", "assignee=chen"]).ok();
    assert!(
        r.read("support/tickets/YY/T-YYYYYYYYYY.md")
            .contains("x-extra: kept\nassignee: chen\n---")
    );
    let check = r.docket(&["check"]);
    check.fails(1);
    assert!(check.stdout.contains("support/tickets/YY/T-YYYYYYYYYY.md:4:1: status `Waiting on vendor` is not in the workflow"), "{}", check.stdout);
    assert!(
        check.stdout.contains(
            "support/tickets/YY/T-YYYYYYYYYY.md:5:1: `created` is not an RFC 3339 date-time"
        ),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("support/tickets/ZZ/T-ZZZZZZZZZZ.md:3:8: invalid YAML"),
        "{}",
        check.stdout
    );
}

#[test]
fn unknown_status_and_bad_values_are_refused_by_set() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Something");
    insta::assert_snapshot!(r.transcript(&["set", &id, "status=frobnicated"]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: status `frobnicated` is not in the workflow (new, open, pending, resolved, closed)
        hint: use one of the listed statuses, or add the status to `workflow.statuses` in .docket/config.yaml
        ");
    insta::assert_snapshot!(r.transcript(&["set", &id, "importance=9"]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: `importance` must be 1 to 5, not `9`
        hint: use importance=1 (lowest) to importance=5 (highest)
        ");
    insta::assert_snapshot!(r.transcript(&["set", &id, "id=T-X"]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: the id cannot be changed
        hint: ids name files and are referenced by links; open a new ticket instead
        ");
    insta::assert_snapshot!(r.transcript(&["set", &id, "customer=nobody"]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: no customer named `nobody`
        hint: `docket customer list` shows the existing ones
        ");
    insta::assert_snapshot!(
        r.transcript(&["new", "--title", "x", "--customer", "nobody"]),
        @r"
        exit: 2
        --- stdout
        --- stderr
        error: no customer named `nobody`
        hint: `docket customer list` shows the existing ones
        "
    );
    assert_eq!(r.commit_count(), 2, "nothing refused was committed");
    r.docket(&[
        "set",
        "--force",
        &id,
        "due=2026-12-01",
        "importance=4",
        "x-jira=OPS-12",
    ])
    .ok();
    let text = r.read(&r.ticket_path(&id));
    assert!(
        text.contains("due: 2026-12-01T00:00:00Z\nimportance: 4\nx-jira: OPS-12\n"),
        "{text}"
    );
}

#[test]
fn body_file_and_stdin() {
    let r = Repo::with_desk();
    r.write("../body.md", "From a file.\n");
    let body = r.root.join("../body.md");
    let id = r
        .docket(&[
            "new",
            "-t",
            "From file",
            "--body-file",
            body.to_str().expect("utf-8 path"),
        ])
        .ok()
        .trim()
        .to_string();
    assert!(r.read(&r.ticket_path(&id)).ends_with("---\nFrom a file.\n"));
}

#[test]
fn edit_commits_a_hand_edit_and_keeps_a_broken_one() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Typo in title");
    let script = r.home().join("ed.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nsed -i 's/Typo in title/Fixed title/' \"$1\"\n",
    )
    .expect("script");
    let run = r.docket_env(
        &["edit", &id],
        &[("EDITOR", &format!("sh {}", script.display()))],
    );
    run.ok();
    assert!(
        r.git(&["log", "-1", "--format=%s"])
            .ok()
            .starts_with(&format!("docket: edit {id} \"Fixed title\""))
    );
    assert_eq!(r.status(), "");
    std::fs::write(
        &script,
        "#!/bin/sh\nsed -i 's/^status: open/status: \"open/' \"$1\"\n",
    )
    .expect("script");
    let run = r.docket_env(
        &["edit", &id],
        &[("EDITOR", &format!("sh {}", script.display()))],
    );
    let err = run.fails(2).to_string();
    assert!(
        err.contains(":4:") && err.contains("your text is kept in the file"),
        "{err}"
    );
    assert!(
        r.read(&r.ticket_path_raw(&id)).contains("status: \"open"),
        "the broken edit is kept"
    );
}

trait RawPath {
    fn ticket_path_raw(&self, id: &str) -> String;
}

impl RawPath for Repo {
    fn ticket_path_raw(&self, id: &str) -> String {
        format!("support/tickets/{}/{id}.md", &id[2..4])
    }
}

#[test]
fn init_writes_and_commits_the_config() {
    let r = Repo::new();
    let run = r.docket(&["init"]);
    run.ok();
    assert!(r.read(".docket/config.yaml").contains("workflow:"));
    assert_eq!(
        r.git(&["log", "--format=%s"]).ok().trim(),
        "docket: init help desk"
    );
    assert!(r.docket(&["init"]).ok().contains("already set up"));
    let id = r.new_ticket("First");
    assert_eq!(
        r.docket(&["list", "--json"])
            .ok()
            .matches(&format!("\"id\": \"{id}\""))
            .count(),
        1
    );
}

#[test]
fn demo_builds_a_help_desk() {
    let r = Repo::bare_dir();
    let run = r.docket(&["demo", "desk"]);
    let out = run.ok();
    assert!(
        out.contains("$ docket list --all")
            && out.contains("Crash on start when the config file is empty"),
        "{out}"
    );
    let desk = r.root.join("desk");
    let git = |args: &[&str]| {
        let mut cmd = std::process::Command::new("git");
        common::hermetic(&mut cmd, r.home());
        let o = cmd.current_dir(&desk).args(args).output().expect("git");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert_eq!(git(&["status", "--porcelain"]), "");
    let tickets: Vec<String> = git(&["ls-files", "support/tickets"])
        .lines()
        .filter(|l| l.matches('/').count() == 3)
        .map(str::to_string)
        .collect();
    assert_eq!(tickets.len(), 15, "{tickets:?}");
    assert!(git(&["log", "--format=%s"]).lines().count() > 50);
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_docket"))
        .args(["-C", desk.to_str().expect("utf-8"), "check"])
        .output()
        .expect("docket check");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert_eq!(
        r.docket(&["demo", "desk"]).code,
        2,
        "an existing demo folder is refused"
    );
}

#[test]
fn new_on_a_terminal_without_a_body_opens_the_editor() {
    let r = Repo::with_desk();
    let script = r.home().join("write-body.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nprintf 'Written in the editor.\\n' >> \"$1\"\n",
    )
    .expect("script");
    let docket = env!("CARGO_BIN_EXE_docket");
    // `script` gives docket a terminal, as a person at a shell would have.
    let mut cmd = std::process::Command::new("script");
    common::hermetic(&mut cmd, r.home());
    let out = cmd
        .current_dir(&r.root)
        .env("EDITOR", format!("sh {}", script.display()))
        .args([
            "-qec",
            &format!("{docket} new --title 'From the editor'"),
            "/dev/null",
        ])
        .output()
        .expect("script runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let id = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.trim().starts_with("T-"))
        .map(|l| l.trim().to_string())
        .expect("the new id is printed");
    let text = r.read(&r.ticket_path(&id));
    assert!(text.ends_with("---\nWritten in the editor.\n"), "{text}");
}

/// Writes a ticket file with a fixed id and time, as a hand-written or imported file.
fn write_ticket(r: &Repo, id: &str, title: &str, extra: &str) {
    let shard = &id[2..4];
    r.write(
        &format!("support/tickets/{shard}/{id}.md"),
        &format!(
            "---\nid: {id}\ntitle: \"{title}\"\nstatus: open\ncreated: 2026-11-0{}T09:00:00Z\n{extra}---\nBody.\n",
            id.as_bytes()[2] - b'0'
        ),
    );
}

#[test]
fn list_table_of_ascii_titles_is_unchanged() {
    let r = Repo::with_desk();
    write_ticket(&r, "T-1AAAAAAAAA", "Crash on start", "assignee: alice\n");
    write_ticket(
        &r,
        "T-2BBBBBBBBB",
        "A title much longer than the seventy-two columns a list row gives to titles",
        "customer: acme\n",
    );
    let out = r.docket(&["list"]).ok().to_string();
    assert_eq!(
        out,
        "ID      STATUS  ASSIGNEE  CUSTOMER  CREATED     TITLE\n\
         T-2BBB  open    -         acme      2026-11-02  A title much longer than the seventy-two columns a list row gives to ti…\n\
         T-1AAA  open    alice     -         2026-11-01  Crash on start\n"
    );
}

#[test]
fn list_table_aligns_and_clips_wide_cjk_text_by_terminal_columns() {
    let r = Repo::with_desk();
    write_ticket(
        &r,
        "T-1AAAAAAAAA",
        "数据导出失败",
        "customer: 数据服务公司\n",
    );
    write_ticket(&r, "T-2BBBBBBBBB", &"界面".repeat(40), "customer: acme\n");
    let out = r.docket(&["list"]).ok().to_string();
    // The customer column is padded to the widest name in columns (12), not in
    // characters (6); the long title is cut to 35 wide characters (70 columns) and `…`.
    let long = "界面".repeat(18);
    let long = long.trim_end_matches('面');
    assert_eq!(
        out,
        format!(
            "ID      STATUS  ASSIGNEE  CUSTOMER      CREATED     TITLE\n\
             T-2BBB  open    -         acme          2026-11-02  {long}…\n\
             T-1AAA  open    -         数据服务公司  2026-11-01  数据导出失败\n"
        )
    );
}

/// Regression: new ticket files were created 0600 (a temporary file's mode) whatever the
/// umask, so in a repository shared by a group nobody else could read them.
#[cfg(unix)]
#[test]
fn new_files_follow_the_umask_as_git_does() {
    use std::os::unix::fs::PermissionsExt as _;
    let r = Repo::with_desk();
    for (umask, mode) in [("022", 0o644), ("002", 0o664), ("077", 0o600)] {
        let mut cmd = std::process::Command::new("sh");
        common::hermetic(&mut cmd, r.home());
        cmd.current_dir(&r.root)
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" new --title \"Mode {umask}\""
            ))
            .arg(env!("CARGO_BIN_EXE_docket"));
        let out = cmd.output().expect("sh runs docket");
        assert!(out.status.success(), "{out:?}");
        let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let meta = std::fs::metadata(r.root.join(r.ticket_path(&id))).expect("ticket file");
        assert_eq!(meta.permissions().mode() & 0o777, mode, "umask {umask}");
    }
}

/// Regressions a new user meets first: `init` printed `init  [main …]` (two spaces),
/// `-C` with a folder that does not exist said "not inside a git repository", and `check`
/// said "1 problems".
#[test]
fn init_c_and_check_say_what_happened_in_plain_words() {
    let r = Repo::new();
    let init = r.docket(&["init"]);
    init.ok();
    assert!(init.stderr.starts_with("init [main "), "{}", init.stderr);
    insta::assert_snapshot!(r.transcript(&["-C", "no-such-folder", "list"]), @r"
    exit: 2
    --- stdout
    --- stderr
    error: -C no-such-folder: no such folder
    hint: give -C a folder that exists: docket runs there, as git -C does
    ");
    r.write(
        "support/tickets/AA/T-AAAA000001.md",
        "---\nid: T-AAAA000001\ntitle: x\nstatus: bogus\ncreated: 2026-11-02T09:00:00Z\n---\nbody\n",
    );
    let check = r.docket(&["check"]);
    check.fails(1);
    assert!(
        check.stderr.ends_with("error: 1 problem in 1 of 2 files\n"),
        "{}",
        check.stderr
    );
}

/// Regression: a comment, title or body starting with `-` (a Markdown list, the most common
/// comment) was taken for an option: `unexpected argument '- '`.
#[test]
fn text_that_starts_with_a_dash_is_text() {
    let r = Repo::with_desk();
    let id = r
        .docket(&[
            "new",
            "--title",
            "- crash on start",
            "--body",
            "- step one\n- step two",
        ])
        .ok()
        .trim()
        .to_string();
    r.docket(&["comment", &id, "-m", "- tried again\n- same"])
        .ok();
    let shown = r.docket(&["show", &id, "--json"]).ok().to_string();
    let v: serde_json::Value = serde_json::from_str(&shown).expect("json");
    assert_eq!(v["title"], "- crash on start", "{shown}");
    assert!(
        v["body"].as_str().expect("body").starts_with("- step one"),
        "{shown}"
    );
    assert!(
        v["comments"][0]["body"]
            .as_str()
            .expect("comment")
            .starts_with("- tried again"),
        "{shown}"
    );
    let kb = r
        .docket(&["kb", "new", "--title", "- dashes", "--body", "- a"])
        .ok()
        .trim()
        .to_string();
    assert!(!kb.is_empty());
}

/// `comment` takes its text as `new` does: `-m`, `--body-file FILE`, or standard input
/// (`-m -` or `--body-file -`); with none of them and no terminal it says how.
#[test]
fn comment_text_comes_from_a_file_or_standard_input() {
    use std::io::Write as _;
    let r = Repo::with_desk();
    let id = r.new_ticket("Comment sources");
    r.write("reply.md", "- from a file\n");
    r.docket(&["comment", &id, "--body-file", "reply.md"]).ok();
    for flag in ["-m", "--body-file"] {
        let mut cmd = r.command(
            std::path::Path::new(env!("CARGO_BIN_EXE_docket")),
            &["comment", &id, flag, "-"],
        );
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("docket starts");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("from standard input ({flag})\n").as_bytes())
            .expect("write stdin");
        let out = child.wait_with_output().expect("docket ends");
        assert!(out.status.success(), "{out:?}");
    }
    let shown = r.docket(&["show", &id, "--json"]).ok().to_string();
    let v: serde_json::Value = serde_json::from_str(&shown).expect("json");
    let bodies: Vec<&str> = v["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .map(|c| c["body"].as_str().expect("body").trim())
        .collect();
    assert_eq!(
        bodies,
        [
            "- from a file",
            "from standard input (-m)",
            "from standard input (--body-file)"
        ]
    );
    insta::assert_snapshot!(r.transcript(&["comment", &id]), @r"
    exit: 2
    --- stdout
    --- stderr
    error: no comment text given
    hint: give it with -m TEXT, or --body-file FILE (`-` for standard input)
    ");
}

/// `check --json`: the counts and every problem with its place and hint, and the same exit
/// code as the table.
#[test]
fn check_json_lists_each_problem_with_its_place() {
    let r = Repo::with_desk();
    r.new_ticket("Fine");
    r.write(
        "support/tickets/BB/T-BBBB000001.md",
        "---\nid: T-BBBB000001\ntitle: x\nstatus: bogus\ncreated: 2026-11-02T09:00:00Z\n---\nbody\n",
    );
    let run = r.docket(&["check", "--json"]);
    let out = run.fails(1).to_string();
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v["bad_files"], 1, "{out}");
    assert!(v["files"].as_u64().expect("files") >= 3, "{out}");
    let p = &v["problems"][0];
    assert_eq!(p["path"], "support/tickets/BB/T-BBBB000001.md");
    assert_eq!((p["line"].as_u64(), p["col"].as_u64()), (Some(4), Some(1)));
    assert!(p["message"].as_str().expect("message").contains("bogus"));
    assert!(
        p["hint"]
            .as_str()
            .expect("hint")
            .contains("workflow.statuses")
    );
    let clean = Repo::with_desk();
    let v: serde_json::Value =
        serde_json::from_str(clean.docket(&["check", "--json"]).ok()).expect("json");
    assert_eq!(v["problems"], serde_json::json!([]));
}

/// `docket completions SHELL` prints a script the shell accepts, and `docket man` a manual
/// page that names every command.
#[test]
fn completions_and_the_manual_page_come_from_the_commands() {
    let r = Repo::new();
    let bash = r.docket(&["completions", "bash"]).ok().to_string();
    let script = r.root.join("docket.bash");
    std::fs::write(&script, &bash).expect("write the script");
    let loaded = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("source {} && complete -p docket", script.display()))
        .output()
        .expect("bash runs");
    assert!(
        String::from_utf8_lossy(&loaded.stdout).contains("-F _docket docket"),
        "{loaded:?}"
    );
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        assert!(
            !r.docket(&["completions", shell]).ok().is_empty(),
            "{shell}"
        );
    }
    r.docket(&["completions", "tcsh"]).fails(2);
    let man = r.docket(&["man"]).ok().to_string();
    assert!(man.contains(".TH docket 1"), "{man}");
    for command in ["new", "list", "suggest", "completions", "man"] {
        let entry = format!("\ndocket\\-{command}(1)\n");
        assert!(man.contains(&entry), "{command} is missing:\n{man}");
    }
    // `--dir` writes every page the top-level page refers to, nested commands included.
    let pages = r.root.join("man1");
    r.docket(&["man", "--dir", "man1"]).fails(2);
    std::fs::create_dir(&pages).expect("mkdir");
    r.docket(&["man", "--dir", "man1"]).ok();
    for page in ["docket.1", "docket-new.1", "docket-kb.1", "docket-kb-new.1"] {
        let text = std::fs::read_to_string(pages.join(page)).expect(page);
        assert!(text.starts_with(".ie"), "{page}: {text}");
    }
}
