//! What people read: the `list` table (header, sort, limit, filters), the tickets that
//! link to a shown one, and `rm`, through the real binary, with the files and the index
//! giving the same answers.

mod common;

use common::Repo;

const T1: &str = "T-1AAAAAAAAA";
const T2: &str = "T-2BBBBBBBBB";
const T3: &str = "T-3CCCCCCCCC";
const T4: &str = "T-4DDDDDDDDD";
const T5: &str = "T-5EEEEEEEEE";

/// Writes a ticket file as a hand-written or imported one: a fixed id, title, status and
/// opening day (the id's digit is the day in November), and `extra` lines.
fn write_ticket(r: &Repo, id: &str, title: &str, status: &str, extra: &str) {
    let day = id.as_bytes()[2] - b'0';
    r.write(
        &format!("support/tickets/{}/{id}.md", &id[2..4]),
        &format!(
            "---\nid: {id}\ntitle: {title}\nstatus: {status}\ncreated: 2026-11-0{day}T09:00:00Z\n{extra}---\nBody.\n"
        ),
    );
}

/// Five tickets, committed: each sort key gives another order, and T-1 is linked to by
/// T-2 (duplicate), T-3 (relates) and T-4 (blocks).
fn desk() -> Repo {
    let r = Repo::with_desk();
    write_ticket(
        &r,
        T1,
        "Disk full",
        "open",
        "priority: low\nimportance: 2\n",
    );
    write_ticket(
        &r,
        T2,
        "Disk full again",
        "pending",
        "priority: urgent\nlinks:\n  duplicate_of: T-1AAAAAAAAA\n",
    );
    write_ticket(
        &r,
        T3,
        "Backups slow",
        "new",
        "priority: high\nimportance: 5\nurgency: 4\nassignee: alice\nlinks:\n  relates:\n    - T-1AAAAAAAAA\n",
    );
    write_ticket(
        &r,
        T4,
        "Restore fails",
        "open",
        "priority: high\nimportance: 1\nlinks:\n  blocks:\n    - T-1AAAAAAAAA\n",
    );
    write_ticket(
        &r,
        T5,
        "Upgrade to 1.5",
        "closed",
        "type: bug\nresolved: 2026-11-20T09:00:00Z\naffects:\n  - \"1.4\"\n  - \"1.5\"\n",
    );
    // T-1's comment makes it the second most recently updated.
    r.write(
        &format!("support/tickets/1A/{T1}/20261110T090000000-alice-abcd.md"),
        "---\nauthor: alice\ncreated: 2026-11-10T09:00:00Z\n---\nLooking.\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "tickets"]).ok();
    r
}

/// The ids `list --json` prints for these arguments.
fn json_ids(r: &Repo, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list", "--json"];
    all.extend_from_slice(args);
    let v: serde_json::Value = serde_json::from_str(r.docket(&all).ok()).expect("json");
    v.as_array()
        .expect("an array")
        .iter()
        .map(|t| t["id"].as_str().expect("id").to_string())
        .collect()
}

/// The short ids of the table `list` prints for these arguments, and its header.
fn table_ids(r: &Repo, args: &[&str]) -> (String, Vec<String>) {
    let mut all = vec!["list"];
    all.extend_from_slice(args);
    let out = r.docket(&all).ok().to_string();
    let mut lines = out.lines();
    let header = lines.next().unwrap_or_default().to_string();
    let ids = lines
        .map(|l| l.split_whitespace().next().expect("an id").to_string())
        .collect();
    (header, ids)
}

fn long(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn short(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s[..6].to_string()).collect()
}

/// Every order `list` offers, by `--json` and by the table.
fn check_orders(r: &Repo) {
    let cases: [(&[&str], &[&str]); 7] = [
        (&["--all"], &[T5, T4, T3, T2, T1]),
        (
            &["--all", "--sort", "created", "--reverse"],
            &[T1, T2, T3, T4, T5],
        ),
        (&["--all", "--sort", "updated"], &[T5, T1, T4, T3, T2]),
        // T5 has neither a band nor levels: the config's default band, normal.
        (&["--all", "--sort", "priority"], &[T2, T3, T4, T5, T1]),
        (
            &["--all", "--sort", "priority", "-r"],
            &[T1, T5, T4, T3, T2],
        ),
        (&["--all", "--sort", "status"], &[T3, T4, T1, T2, T5]),
        (&["--sort", "status", "--limit", "2"], &[T3, T4]),
    ];
    for (args, want) in cases {
        assert_eq!(json_ids(r, args), long(want), "list --json {args:?}");
        assert_eq!(table_ids(r, args).1, short(want), "list {args:?}");
    }
}

#[test]
fn list_prints_a_header_row_and_nothing_when_nothing_matches() {
    let r = desk();
    let out = r.docket(&["list"]).ok().to_string();
    assert_eq!(
        out.lines().next(),
        Some("ID      STATUS   ASSIGNEE  CUSTOMER  CREATED     TITLE"),
        "{out}"
    );
    assert_eq!(
        out.lines().count(),
        5,
        "a header and four open tickets: {out}"
    );
    // The sort key's own column shows: the priority band, the day of the last update.
    let by_priority = r.docket(&["list", "--sort", "priority"]).ok().to_string();
    assert!(
        by_priority.starts_with("ID      STATUS   PRIORITY  ASSIGNEE"),
        "{by_priority}"
    );
    assert!(
        by_priority.contains("T-2BBB  pending  urgent"),
        "{by_priority}"
    );
    let (header, _) = table_ids(&r, &["--all", "--sort", "updated"]);
    assert!(
        header.contains("  UPDATED  ") && !header.contains("CREATED"),
        "{header}"
    );
    let updated = r
        .docket(&["list", "--sort", "updated", "-n", "1"])
        .ok()
        .to_string();
    assert!(
        updated.ends_with("\nT-1AAA  open    -         -         2026-11-10  Disk full\n"),
        "{updated}"
    );
    let none = r.docket(&["list", "--customer", "nobody"]);
    assert_eq!(none.ok(), "");
    assert_eq!(none.stderr, "");
}

#[test]
fn list_sorts_and_limits_alike_from_the_index_and_from_the_files() {
    let r = desk();
    check_orders(&r);
    force_the_files(&r);
    check_orders(&r);
}

#[test]
fn list_json_honours_sort_and_limit() {
    let r = desk();
    assert_eq!(
        json_ids(&r, &["--all", "--sort", "updated", "-n", "2"]),
        long(&[T5, T1])
    );
    assert_eq!(
        json_ids(&r, &["--all", "--limit", "0"]),
        Vec::<String>::new()
    );
    let run = r.docket(&["list", "--sort", "size"]);
    assert!(
        run.fails(2).contains("invalid value 'size'"),
        "{}",
        run.stderr
    );
}

#[test]
fn list_with_an_unknown_status_says_so_and_exits_2() {
    let r = desk();
    insta::assert_snapshot!(r.transcript(&["list", "--status", "bogus"]), @r"
    exit: 2
    --- stdout
    --- stderr
    error: status `bogus` is not in the workflow (new, open, pending, resolved, closed)
    hint: use one of the listed statuses, or add the status to `workflow.statuses` in .docket/config.yaml
    ");
    assert_eq!(r.docket(&["list", "--json", "--status", "bogus"]).code, 2);
    // A status outside the workflow that a ticket has still lists it (reading is lenient).
    write_ticket(&r, "T-6FFFFFFFFF", "Odd one", "Waiting on vendor", "");
    assert_eq!(
        json_ids(&r, &["--status", "waiting on vendor"]),
        long(&["T-6FFFFFFFFF"])
    );
    let (_, ids) = table_ids(&r, &["--status", "Waiting on vendor"]);
    assert_eq!(ids, short(&["T-6FFFFFFFFF"]));
    // Known statuses that no ticket has list nothing, as before.
    assert_eq!(r.docket(&["list", "--status", "resolved"]).ok(), "");
}

/// Copies a ticket into another folder, which makes `list` read the files (the index
/// cannot tell which copy is the ticket).
fn force_the_files(r: &Repo) {
    r.write(
        &format!("support/tickets/ZZ/{T1}.md"),
        &r.read(&format!("support/tickets/1A/{T1}.md")),
    );
    let run = r.docket(&["list"]);
    assert!(run.stderr.contains("is also used by"), "{}", run.stderr);
}

fn check_fields(r: &Repo) {
    let cases: [(&[&str], &[&str]); 6] = [
        (&["--all", "--field", "type=bug"], &[T5]),
        (&["--all", "--field", "affects=1.5"], &[T5]),
        (&["--field", "priority=high"], &[T4, T3]),
        (
            &["--field", "priority=high", "--field", "assignee=alice"],
            &[T3],
        ),
        (&["--all", "--field", "links.relates=T-1AAAAAAAAA"], &[T3]),
        (
            &["--field", "assignee=", "--sort", "created", "-r"],
            &[T1, T2, T4],
        ),
    ];
    for (args, want) in cases {
        assert_eq!(json_ids(r, args), long(want), "list --json {args:?}");
        assert_eq!(table_ids(r, args).1, short(want), "list {args:?}");
    }
    assert_eq!(
        json_ids(r, &["--all", "--field", "affects=1.6"]),
        Vec::<String>::new()
    );
}

#[test]
fn list_field_filters_built_in_and_extra_keys() {
    let r = desk();
    check_fields(&r);
    force_the_files(&r);
    check_fields(&r);
    let run = r.docket(&["list", "--field", "type"]);
    assert!(
        run.fails(2).contains("`type` is not KEY=VALUE"),
        "{}",
        run.stderr
    );
}

#[test]
fn show_lists_the_tickets_that_link_to_it() {
    let r = desk();
    let out = r.docket(&["show", "T-1A"]).ok().to_string();
    let start = out.find("  linked from:\n").expect("a linked-from section");
    insta::assert_snapshot!(&out[start..out.find("\n\n").expect("the body")], @r"
      linked from:
        T-2BBBBBBBBB  duplicate of this  pending  Disk full again
        T-3CCCCCCCCC  relates to this    new      Backups slow
        T-4DDDDDDDDD  blocks this        open     Restore fails
    ");
    let json = r.docket(&["show", T1, "--json"]).ok().to_string();
    let start = json.find("  \"backlinks\": ").expect("backlinks");
    insta::assert_snapshot!(&json[start..], @r#"
  "backlinks": [
    {
      "id": "T-2BBBBBBBBB",
      "path": "support/tickets/2B/T-2BBBBBBBBB.md",
      "title": "Disk full again",
      "status": "pending",
      "closed": false,
      "kind": "duplicate_of"
    },
    {
      "id": "T-3CCCCCCCCC",
      "path": "support/tickets/3C/T-3CCCCCCCCC.md",
      "title": "Backups slow",
      "status": "new",
      "closed": false,
      "kind": "relates"
    },
    {
      "id": "T-4DDDDDDDDD",
      "path": "support/tickets/4D/T-4DDDDDDDDD.md",
      "title": "Restore fails",
      "status": "open",
      "closed": false,
      "kind": "blocks"
    }
  ],
  "events": [],
  "ratings": [],
  "band": {
    "name": "low",
    "by_hand": true,
    "score": 2.5,
    "explanation": "set by hand; the score would give normal: importance 2 x 0.5 + urgency 3 (unset) x 0.5 = 2.5"
  },
  "sla": []
}
"#);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    // Without the index the files give the same answer.
    let run = r.docket_env(
        &["show", T1, "--json"],
        &[("DOCKET_TEST_PANIC", "finding back-links")],
    );
    let files: serde_json::Value = serde_json::from_str(run.ok()).expect("json");
    assert_eq!(files["backlinks"], v["backlinks"]);
    // A new link shows at once (the index notices the changed file), an unlinked ticket
    // shows none.
    r.docket(&["link", T5, "--relates", T1]).ok();
    let out = r.docket(&["show", T1]).ok().to_string();
    assert!(
        out.contains("    T-5EEEEEEEEE  relates to this    closed   Upgrade to 1.5\n"),
        "{out}"
    );
    let v: serde_json::Value =
        serde_json::from_str(r.docket(&["show", T2, "--json"]).ok()).expect("json");
    assert_eq!(v["backlinks"], serde_json::json!([]));
    assert!(!r.docket(&["show", T2]).ok().contains("linked from"));
}

/// The paths a commit changed, with git's letter for each (`D` for deleted).
fn name_status(r: &Repo, rev: &str) -> Vec<String> {
    r.git(&["show", "--name-status", "--format=", rev])
        .ok()
        .lines()
        .map(str::to_string)
        .collect()
}

/// A ticket with two comments, made by docket: its id and its paths.
fn ticket_with_comments(r: &Repo, title: &str) -> (String, Vec<String>) {
    let id = r.new_ticket(title);
    r.docket(&["comment", &id, "-m", "First."]).ok();
    r.docket(&["comment", &id, "-m", "- step one\n- step two"])
        .ok();
    let path = r.ticket_path(&id);
    let mut paths = vec![path.clone()];
    let folder = r.root.join(path.trim_end_matches(".md"));
    let mut comments: Vec<String> = std::fs::read_dir(&folder)
        .expect("a comment folder")
        .map(|e| {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            format!("{}/{name}", path.trim_end_matches(".md"))
        })
        .collect();
    comments.sort();
    assert_eq!(comments.len(), 2);
    paths.extend(comments);
    (id, paths)
}

#[test]
fn rm_deletes_a_ticket_and_its_comments_in_one_commit() {
    let r = Repo::with_desk();
    let keep = r.new_ticket("Keep me");
    let (id, paths) = ticket_with_comments(&r, "Remove me");
    let before = r.commit_count();
    let run = r.docket(&["rm", &id[..6]]);
    run.ok();
    assert!(
        run.stderr.starts_with(&format!("rm {id} [main ")),
        "{}",
        run.stderr
    );
    assert_eq!(r.commit_count(), before + 1);
    let mut deleted: Vec<String> = paths.iter().map(|p| format!("D\t{p}")).collect();
    deleted.sort();
    assert_eq!(name_status(&r, "HEAD"), deleted);
    let stat = r
        .git(&["show", "--stat", "--format=", "HEAD"])
        .ok()
        .to_string();
    assert!(stat.contains("3 files changed"), "{stat}");
    let msg = r
        .git(&["log", "-1", "--format=%B"])
        .ok()
        .trim_end()
        .to_string()
        + "\n";
    assert_eq!(
        msg,
        format!(
            "docket: rm {id} \"Remove me\"\n\nremoved {} and 2 files of its folder\n\nDocket-Ticket: {id}\nDocket-Action: rm\n",
            paths[0]
        )
    );
    assert_eq!(r.status(), "");
    r.fsck();
    // Nothing of it is left: not in HEAD, not in the work tree (no empty folder either),
    // not in `list` or `show`; the other ticket is untouched.
    let folder = paths[0].trim_end_matches(".md").to_string();
    assert!(!r.tree_paths("HEAD").iter().any(|p| p.contains(&id)));
    assert!(!r.root.join(&paths[0]).exists() && !r.root.join(&folder).exists());
    assert_eq!(json_ids(&r, &["--all"]), vec![keep.clone()]);
    assert!(
        r.docket(&["show", &id])
            .fails(2)
            .contains("no ticket matches")
    );
    r.docket(&["show", &keep]).ok();
    // A second rm has nothing to remove.
    assert!(
        r.docket(&["rm", &id])
            .fails(2)
            .contains("no ticket matches")
    );
}

#[test]
fn rm_refuses_a_ticket_others_link_to_unless_forced() {
    let r = Repo::with_desk();
    let target = r.new_ticket("Linked to");
    let other = r.new_ticket("Links to it");
    r.docket(&["link", &other, "--relates", &target]).ok();
    let before = r.commit_count();
    let run = r.docket(&["rm", &target]);
    let stderr = run.fails(1).to_string();
    assert_eq!(
        stderr,
        format!(
            "error: {target} is linked from {other} (relates to this)\n\
             hint: remove those links first (e.g. `docket set {other} links.relates-={target}`), or run `docket rm {target} --force` to remove it anyway and leave their links naming a ticket that is gone\n"
        )
    );
    assert_eq!(r.commit_count(), before);
    assert!(r.root.join(r.ticket_path(&target)).exists());
    assert_eq!(r.status(), "");
    let run = r.docket(&["rm", &target, "--force"]);
    run.ok();
    assert!(
        run.stderr.ends_with(&format!(
            "warning: {other} still links to {target}, which is gone\n"
        )),
        "{}",
        run.stderr
    );
    assert_eq!(r.commit_count(), before + 1);
    let msg = r.git(&["log", "-1", "--format=%B"]).ok().to_string();
    assert!(
        msg.contains(&format!("\nstill linked from: {other} (relates)\n")),
        "{msg}"
    );
    assert_eq!(r.status(), "");
    r.fsck();
}

#[test]
fn rm_with_no_commit_deletes_the_files_and_leaves_the_commit_to_you() {
    let r = Repo::with_desk();
    let (id, paths) = ticket_with_comments(&r, "Remove me later");
    let before = r.commit_count();
    let run = r.docket(&["--no-commit", "rm", &id]);
    run.ok();
    assert_eq!(
        run.stderr,
        format!("rm {id}: removed {} (not committed)\n", paths.join(", "))
    );
    assert_eq!(r.commit_count(), before);
    let want: String = paths.iter().map(|p| format!(" D {p}\n")).collect();
    assert_eq!(r.status(), want);
    assert_eq!(json_ids(&r, &["--all"]), Vec::<String>::new());
    r.git(&["commit", "-q", "-a", "-m", "remove it"]).ok();
    assert_eq!(r.status(), "");
    r.fsck();
}

#[test]
fn rm_refuses_a_ticket_with_changes_git_does_not_have() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Edited by hand");
    let path = r.ticket_path(&id);
    let text = r.read(&path) + "One more line.\n";
    r.write(&path, &text);
    let run = r.docket(&["rm", &id]);
    assert!(
        run.fails(1)
            .starts_with(&format!("error: {path} has uncommitted changes\n")),
        "{}",
        run.stderr
    );
    assert_eq!(r.read(&path), text);
    assert_eq!(r.status(), format!(" M {path}\n"));
}

/// A `rm` killed after it deleted the files (a debug-only pause point) is committed by
/// the next command that changes something, with its own message.
#[cfg(debug_assertions)]
#[test]
fn a_killed_rm_is_finished_by_the_next_write() {
    let r = Repo::with_desk();
    let other = r.new_ticket("Still here");
    let (id, paths) = ticket_with_comments(&r, "Killed while removed");
    let mut child = r
        .command(
            std::path::Path::new(env!("CARGO_BIN_EXE_docket")),
            &["rm", &id],
        )
        .env("DOCKET_TEST_PAUSE", "written")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("docket starts");
    let start = std::time::Instant::now();
    while r.root.join(&paths[0]).exists() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "the files were never deleted"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(50));
    child.kill().expect("kill");
    child.wait().expect("reaped");
    let want: String = paths.iter().map(|p| format!(" D {p}\n")).collect();
    assert_eq!(r.status(), want);
    let list = r.docket(&["list"]);
    assert!(list.stderr.contains("interrupted"), "{}", list.stderr);
    let run = r.docket(&["comment", &other, "-m", "Next."]);
    run.ok();
    assert!(
        run.stderr
            .contains("finished an interrupted change: docket: rm"),
        "{}",
        run.stderr
    );
    assert_eq!(r.status(), "");
    let subjects = r.git(&["log", "-2", "--format=%s"]).ok().to_string();
    assert!(
        subjects.ends_with(&format!("docket: rm {id} \"Killed while removed\"\n")),
        "{subjects}"
    );
    assert!(
        name_status(&r, "HEAD~")
            .iter()
            .all(|l| l.starts_with("D\t"))
    );
    r.fsck();
}
