//! Transcripts of the main commands: exit code, stdout and stderr, for people and for
//! `--json`, as snapshots. The harness fixes the clock and the random source for every
//! command (see `common::Repo`), so ids, times and commit hashes are the same in every
//! run; the temporary folder is written as `[TMP]`. A changed snapshot fails `cargo test`
//! (in CI too); review the new text before you accept it.

mod common;

use common::Repo;
use insta::assert_snapshot;

/// A desk with two tickets (one with a comment), an article and a customer.
fn desk() -> (Repo, String, String) {
    let r = Repo::with_desk();
    let printer = r
        .docket(&[
            "new",
            "--title",
            "Printer on fire",
            "--body",
            "The printer on floor 2 smokes when it prints.",
            "--label",
            "hardware",
        ])
        .ok()
        .trim()
        .to_string();
    let vpn = r
        .docket(&[
            "new",
            "--title",
            "VPN drops every hour",
            "--body",
            "The VPN connection drops every hour on the hour.",
        ])
        .ok()
        .trim()
        .to_string();
    r.docket(&["comment", &printer, "-m", "Facilities are on their way."])
        .ok();
    r.docket(&[
        "kb",
        "new",
        "--title",
        "Reconnect the VPN",
        "--body",
        "When the VPN connection drops, reconnect from the tray icon.",
    ])
    .ok();
    r.docket(&["customer", "new", "--name", "Acme Corp"]).ok();
    (r, printer, vpn)
}

#[test]
fn new_for_people_and_for_scripts() {
    let r = Repo::with_desk();
    assert_snapshot!(r.transcript(&["new", "--title", "Printer on fire"]), @r#"
exit: 0
--- stdout
T-V9RR4BYN05
--- stderr
new T-V9RR4BYN05 [main 911ef9d]
"#);
    assert_snapshot!(r.transcript(&["new", "--title", "VPN drops", "--json"]), @r#"
exit: 0
--- stdout
{
  "id": "T-CCH10ZK222",
  "path": "support/tickets/CC/T-CCH10ZK222.md",
  "title": "VPN drops",
  "status": "open",
  "closed": false,
  "type": null,
  "created": "2026-11-02T09:00:01Z",
  "reporter": "Alice Ng <alice@example.org>",
  "assignee": null,
  "customer": null,
  "labels": [],
  "importance": null,
  "urgency": null,
  "priority": null,
  "links": {},
  "resolved": null,
  "resolution": null,
  "due": null,
  "extra": {}
}
--- stderr
new T-CCH10ZK222 [main a49e629]
"#);
}

#[test]
fn list_and_show() {
    let (r, printer, _) = desk();
    assert_snapshot!(r.transcript(&["list"]), @r#"
exit: 0
--- stdout
ID      STATUS  ASSIGNEE  CUSTOMER  CREATED     TITLE
T-TK7H  open    -         -         2026-11-02  VPN drops every hour
T-V9RR  open    -         -         2026-11-02  Printer on fire
--- stderr
"#);
    assert_snapshot!(r.transcript(&["list", "--label", "hardware", "--json"]), @r#"
exit: 0
--- stdout
[
  {
    "id": "T-V9RR4BYN05",
    "path": "support/tickets/V9/T-V9RR4BYN05.md",
    "title": "Printer on fire",
    "status": "open",
    "closed": false,
    "type": null,
    "created": "2026-11-02T09:00:00Z",
    "reporter": "Alice Ng <alice@example.org>",
    "assignee": null,
    "customer": null,
    "labels": [
      "hardware"
    ],
    "importance": null,
    "urgency": null,
    "priority": null,
    "links": {},
    "resolved": null,
    "resolution": null,
    "due": null,
    "extra": {}
  }
]
--- stderr
"#);
    assert_snapshot!(r.transcript(&["show", &printer]), @r#"
exit: 0
--- stdout
T-V9RR4BYN05  Printer on fire
  status:    open
  priority:  normal (no importance or urgency: the default band)
  reporter:  Alice Ng <alice@example.org>
  created:   2026-11-02T09:00:00Z
  labels:    hardware

    The printer on floor 2 smokes when it prints.

--- Alice Ng <alice@example.org> at 2026-11-02T09:00:02Z
    Facilities are on their way.
--- stderr
"#);
    assert_snapshot!("show_json", r.transcript(&["show", &printer, "--json"]));
}

#[test]
fn changes_of_a_ticket() {
    let (r, printer, vpn) = desk();
    assert_snapshot!(r.transcript(&["set", &vpn, "importance=4", "labels+=network"]), @r#"
exit: 0
--- stdout
--- stderr
set T-TK7H7AQD8J [main a5687c6]
"#);
    assert_snapshot!(r.transcript(&["comment", &vpn, "-m", "Seen it twice today."]), @r#"
exit: 0
--- stdout
--- stderr
comment T-TK7H7AQD8J [main 0a7b0e3]
"#);
    assert_snapshot!(r.transcript(&["comment", &vpn, "--internal", "-m", "Ask the ISP."]), @r#"
exit: 0
--- stdout
--- stderr
note T-TK7H7AQD8J [main 88ac54c]
"#);
    assert_snapshot!(r.transcript(&["assign", &vpn, "bob"]), @r#"
exit: 0
--- stdout
--- stderr
assign T-TK7H7AQD8J [main 5e50131]
"#);
    assert_snapshot!(r.transcript(&["link", &vpn, "--article", "reconnect-the-vpn"]), @r#"
exit: 0
--- stdout
--- stderr
link T-TK7H7AQD8J [main c442b02]
"#);
    assert_snapshot!(r.transcript(&["link", &printer, "--relates", &vpn]), @r#"
exit: 0
--- stdout
--- stderr
link T-V9RR4BYN05 [main 48b5f97]
"#);
    assert_snapshot!(r.transcript(&["close", &vpn]), @r#"
exit: 0
--- stdout
--- stderr
close T-TK7H7AQD8J [main eb812b2]
"#);
    assert_snapshot!(r.transcript(&["reopen", &vpn]), @r#"
exit: 0
--- stdout
--- stderr
reopen T-TK7H7AQD8J [main 751519f]
"#);
    assert_snapshot!(r.transcript(&["history", &vpn]), @r#"
exit: 0
--- stdout
751519f  2026-11-02T09:00:12Z  Alice Ng  docket: reopen T-TK7H7AQD8J "VPN drops every hour"
eb812b2  2026-11-02T09:00:11Z  Alice Ng  docket: close T-TK7H7AQD8J "VPN drops every hour"
c442b02  2026-11-02T09:00:09Z  Alice Ng  docket: link T-TK7H7AQD8J "VPN drops every hour"
5e50131  2026-11-02T09:00:08Z  Alice Ng  docket: assign T-TK7H7AQD8J "VPN drops every hour"
88ac54c  2026-11-02T09:00:07Z  Alice Ng  docket: note T-TK7H7AQD8J "VPN drops every hour"
0a7b0e3  2026-11-02T09:00:06Z  Alice Ng  docket: comment T-TK7H7AQD8J "VPN drops every hour"
a5687c6  2026-11-02T09:00:05Z  Alice Ng  docket: set T-TK7H7AQD8J "VPN drops every hour"
08a4ddd  2026-11-02T09:00:01Z  Alice Ng  docket: new T-TK7H7AQD8J "VPN drops every hour"
--- stderr
"#);
    assert_snapshot!("history_json", r.transcript(&["history", &vpn, "--json"]));
}

#[test]
fn kb_new_list_and_show() {
    let (r, _, _) = desk();
    assert_snapshot!(
        r.transcript(&["kb", "new", "--title", "Printer safety", "--body", "Unplug it."]),
        @r#"
exit: 0
--- stdout
printer-safety
--- stderr
kb-new printer-safety [main b36c35e]
"#
    );
    assert_snapshot!(r.transcript(&["kb", "list"]), @r"
        exit: 0
        --- stdout
        printer-safety     draft  public  2026-11-02  Printer safety
        reconnect-the-vpn  draft  public  2026-11-02  Reconnect the VPN
        --- stderr
        ");
    assert_snapshot!(r.transcript(&["kb", "list", "--json"]), @r#"
exit: 0
--- stdout
[
  {
    "slug": "printer-safety",
    "path": "support/kb/printer-safety.md",
    "title": "Printer safety",
    "status": "draft",
    "audience": "public",
    "draft": null,
    "date": "2026-11-02T09:00:05Z",
    "description": null,
    "tags": [],
    "weight": null,
    "aliases": [],
    "id": "KB-C7TRHV5ZZQ",
    "products": []
  },
  {
    "slug": "reconnect-the-vpn",
    "path": "support/kb/reconnect-the-vpn.md",
    "title": "Reconnect the VPN",
    "status": "draft",
    "audience": "public",
    "draft": null,
    "date": "2026-11-02T09:00:03Z",
    "description": null,
    "tags": [],
    "weight": null,
    "aliases": [],
    "id": "KB-6JNJ2VWS27",
    "products": []
  }
]
--- stderr
"#);
    assert_snapshot!(r.transcript(&["kb", "show", "reconnect-the-vpn"]), @r#"
exit: 0
--- stdout
reconnect-the-vpn  Reconnect the VPN
  path:      support/kb/reconnect-the-vpn.md
  status:    draft
  audience:  public
  id:        KB-6JNJ2VWS27
  date:      2026-11-02T09:00:03Z

    When the VPN connection drops, reconnect from the tray icon.
--- stderr
"#);
    assert_snapshot!(r.transcript(&["kb", "show", "reconnect-the-vpn", "--json"]), @r#"
exit: 0
--- stdout
{
  "slug": "reconnect-the-vpn",
  "path": "support/kb/reconnect-the-vpn.md",
  "title": "Reconnect the VPN",
  "status": "draft",
  "audience": "public",
  "draft": null,
  "date": "2026-11-02T09:00:03Z",
  "description": null,
  "tags": [],
  "weight": null,
  "aliases": [],
  "id": "KB-6JNJ2VWS27",
  "products": [],
  "body": "When the VPN connection drops, reconnect from the tray icon.\n"
}
--- stderr
"#);
}

#[test]
fn customer_new_list_and_show() {
    let (r, _, _) = desk();
    assert_snapshot!(
        r.transcript(&[
            "customer",
            "new",
            "--name",
            "Globex",
            "--tier",
            "enterprise",
            "--contact",
            "Hank Scorpio <hank@globex.example>",
        ]),
        @r#"
exit: 0
--- stdout
globex
--- stderr
customer-new globex [main 3499651]
"#
    );
    assert_snapshot!(r.transcript(&["customer", "list"]), @r"
        exit: 0
        --- stdout
        acme-corp  -           0 open  -  Acme Corp
        globex     enterprise  0 open  -  Globex
        --- stderr
        ");
    assert_snapshot!(r.transcript(&["customer", "list", "--json"]), @r#"
        exit: 0
        --- stdout
        [
          {
            "slug": "acme-corp",
            "path": "support/customers/acme-corp.md",
            "name": "Acme Corp",
            "org": null,
            "tier": null,
            "since": null,
            "until": null,
            "contacts": [],
            "sla": null,
            "tags": [],
            "open": 0,
            "tickets_total": 0
          },
          {
            "slug": "globex",
            "path": "support/customers/globex.md",
            "name": "Globex",
            "org": null,
            "tier": "enterprise",
            "since": null,
            "until": null,
            "contacts": [
              {
                "name": "Hank Scorpio",
                "email": "hank@globex.example"
              }
            ],
            "sla": null,
            "tags": [],
            "open": 0,
            "tickets_total": 0
          }
        ]
        --- stderr
        "#);
    assert_snapshot!(r.transcript(&["customer", "show", "globex"]), @r"
        exit: 0
        --- stdout
        globex  Globex
          path:     support/customers/globex.md
          tier:     enterprise
          contact:  Hank Scorpio <hank@globex.example>
          tickets:  0 open of 0
        --- stderr
        ");
    assert_snapshot!(r.transcript(&["customer", "show", "globex", "--json"]), @r#"
        exit: 0
        --- stdout
        {
          "slug": "globex",
          "path": "support/customers/globex.md",
          "name": "Globex",
          "org": null,
          "tier": "enterprise",
          "since": null,
          "until": null,
          "contacts": [
            {
              "name": "Hank Scorpio",
              "email": "hank@globex.example"
            }
          ],
          "sla": null,
          "tags": [],
          "open": 0,
          "tickets_total": 0,
          "body": "",
          "tickets": []
        }
        --- stderr
        "#);
}

#[test]
fn search_suggest_and_dupes() {
    let (r, _, vpn) = desk();
    r.docket(&[
        "new",
        "--title",
        "VPN drops every hour again",
        "--body",
        "The VPN connection drops every hour, on the hour, again.",
    ])
    .ok();
    // Scores are shown: they follow the files only, not the index's history.
    assert_snapshot!(r.transcript(&["search", "vpn"]), @r#"
exit: 0
--- stdout
kb  reconnect-the-vpn  draft  Reconnect the VPN
    When the [VPN] connection drops, reconnect from the tray icon
ticket  T-TK7H7AQD8J  open  VPN drops every hour
    The [VPN] connection drops every hour on the hour
ticket  T-C7TRHV5ZZQ  open  VPN drops every hour again
    The [VPN] connection drops every hour, on the hour, again
--- stderr
"#);
    assert_snapshot!(r.transcript(&["search", "printer", "--json"]), @r#"
exit: 0
--- stdout
[
  {
    "kind": "ticket",
    "id": "T-V9RR4BYN05",
    "title": "Printer on fire",
    "path": "support/tickets/V9/T-V9RR4BYN05.md",
    "status": "open",
    "score": 6.141569,
    "snippet": "The **printer** on floor 2 smokes when it prints"
  }
]
--- stderr
"#);
    assert_snapshot!(r.transcript(&["suggest", &vpn]), @r#"
exit: 0
--- stdout
KB articles for T-TK7H7AQD8J  VPN drops every hour
  0.29  reconnect-the-vpn  Reconnect the VPN  matched: drop vpn connect
Similar earlier tickets
  (none)
--- stderr
"#);
    assert_snapshot!(r.transcript(&["suggest", &vpn, "--json"]), @r#"
        exit: 0
        --- stdout
        {
          "articles": [
            {
              "id": "reconnect-the-vpn",
              "title": "Reconnect the VPN",
              "path": "support/kb/reconnect-the-vpn.md",
              "status": "draft",
              "score": 0.29444,
              "terms": [
                "drop",
                "vpn",
                "connect"
              ]
            }
          ],
          "tickets": []
        }
        --- stderr
        "#);
    assert_snapshot!(r.transcript(&["dupes"]), @r#"
exit: 0
--- stdout
0.75  T-C7TRHV5ZZQ  duplicates  T-TK7H7AQD8J  VPN drops every hour again
--- stderr
hint: `docket link ID --duplicate-of ORIGINAL` closes a duplicate
"#);
    assert_snapshot!(r.transcript(&["dupes", "--json"]), @r#"
exit: 0
--- stdout
[
  {
    "original": "T-TK7H7AQD8J",
    "duplicate": "T-C7TRHV5ZZQ",
    "titles": [
      "VPN drops every hour",
      "VPN drops every hour again"
    ],
    "score": 0.74550486,
    "terms": [
      "hour",
      "everi",
      "drop",
      "vpn",
      "connect"
    ]
  }
]
--- stderr
"#);
}

#[test]
fn check_names_the_bad_file_and_line() {
    let (r, _, _) = desk();
    assert_snapshot!(r.transcript(&["check"]), @r"
        exit: 0
        --- stdout
        --- stderr
        checked 6 files: no problems
        ");
    r.write(
        "support/tickets/ZZ/T-ZZZZZZZZZZ.md",
        "---\nid: T-ZZZZZZZZZZ\ntitle: [unclosed\nstatus: open\n---\n",
    );
    r.write(
        "support/tickets/YY/T-YYYYYYYYYY.md",
        "---\nid: T-YYYYYYYYYY\ntitle: Odd\nstatus: Waiting on vendor\ncreated: 2026-11-01T00:00:00Z\n---\n",
    );
    assert_snapshot!(r.transcript(&["check"]), @r"
        exit: 1
        --- stdout
        support/tickets/YY/T-YYYYYYYYYY.md:4:1: status `Waiting on vendor` is not in the workflow (new, open, pending, resolved, closed)
          hint: use one of the statuses of `workflow.statuses` in .docket/config.yaml, or add it there
        support/tickets/ZZ/T-ZZZZZZZZZZ.md:4:7: invalid YAML: did not find expected ',' or ']'
          hint: fix the YAML at that position; quote values that contain `: ` or start with `@`, `*`, `&` or `!`
        --- stderr
        error: 2 problems in 2 of 8 files
        ");
}

/// Exit 1: the input was fine, but the desk cannot do it (a lock held, a file in the way).
#[test]
fn failures_exit_1() {
    let (r, printer, _) = desk();
    r.write(".git/index.lock", "");
    assert_snapshot!(r.transcript(&["close", &printer]), @r"
        exit: 1
        --- stdout
        --- stderr
        error: [TMP]/repo/.git/index.lock exists: a git process is using the repository, or one stopped and left it (if no git process is running: rm [TMP]/repo/.git/index.lock)
        hint: wait for the other git command to finish and run docket again; docket removes only lock files it left itself
        ");
    std::fs::remove_file(r.root.join(".git/index.lock")).expect("unlock");
    r.write("blocker", "a file where the export wants a folder");
    assert_snapshot!(r.transcript(&["export", "-f", "html", "-o", "blocker/site"]), @r"
        exit: 1
        --- stdout
        --- stderr
        error: [TMP]/repo/blocker/site: Not a directory (os error 20)
        ");
}

/// Exit 2: the input does not make sense; the hint says what to give instead. (More
/// values `set` refuses, an unknown or ambiguous id: tests/lifecycle.rs and
/// tests/validation.rs.)
#[test]
fn usage_errors_exit_2() {
    let (r, printer, vpn) = desk();
    assert_snapshot!(r.transcript(&["kb", "show", "nope"]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: no article named `nope`
        hint: `docket kb list` shows the existing ones
        ");
    assert_snapshot!(r.transcript(&["set", &printer, "importance"]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: `importance` is not an assignment
        hint: write key=value, labels+=x or labels-=x (an empty value removes the key)
        ");
    assert_snapshot!(r.transcript(&["set", &printer, "status=lost"]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: status `lost` is not in the workflow (new, open, pending, resolved, closed)
        hint: use one of the listed statuses, or add the status to `workflow.statuses` in .docket/config.yaml
        ");
    assert_snapshot!(r.transcript(&["assign", &printer, "mallory"]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: `mallory` is not in the team
        hint: assign to one of: alice, bob, chen (the team is in .docket/config.yaml)
        ");
    assert_snapshot!(r.transcript(&["new", "--title", ""]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: title must be one non-empty line
        hint: give the title as one line of text
        ");
    assert_snapshot!(r.transcript(&["comment", &printer, "-m", " "]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: the comment is empty
        hint: give the text with -m TEXT
        ");
    assert_snapshot!(r.transcript(&["link", &vpn, "--relates", &vpn]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: a ticket cannot link to itself
        hint: give the id of another ticket
        ");
    assert_snapshot!(r.transcript(&["search", "title:(vpn"]), @r#"
        exit: 2
        --- stdout
        --- stderr
        error: cannot parse the query `title:(vpn`: Syntax Error: expected ')' at position 10
        hint: quote phrases with "..."; every word must match unless joined by OR, and -word or NOT word leaves one out (AND/OR/NOT in capitals); fields: title, body, comments, label, status, customer, id, assignee, reporter, priority, type, any other frontmatter key (importance:4), created:>2026-01-01 or created:[2026-01-01 TO 2026-01-31]
        "#);
    assert_snapshot!(r.transcript_env(&["list"], &[("DOCKET_NOW", "yesterday")]), @r"
        exit: 2
        --- stdout
        --- stderr
        error: DOCKET_NOW `yesterday` is not an RFC 3339 time: failed to parse four digit integer as year: invalid digit, expected 0-9 but got y
        hint: unset DOCKET_NOW, or set it like 2026-11-02T09:14:00Z
        ");
}

/// A body that would make a file docket refuses to read is refused before anything is
/// written (it used to be committed, and every later read of the ticket failed).
#[test]
fn a_body_docket_could_not_read_back_is_refused() {
    let (r, printer, _) = desk();
    let before = r.commit_count();
    let conflict = "Our config:\n<<<<<<< ours\na: 1\n=======\na: 2\n>>>>>>> theirs\n";
    assert_snapshot!(r.transcript(&["new", "--title", "Merge help", "--body", conflict]), @r#"
exit: 2
--- stdout
--- stderr
error: cannot write support/tickets/C7/T-C7TRHV5ZZQ.md: unresolved merge conflict: git's conflict markers start on line 9
hint: put the lines that start with `<<<<<<<`, `=======` or `>>>>>>>` (git's conflict markers) in a ``` code block, or indent them
"#);
    r.write("nul.txt", "a\0b\n");
    assert_snapshot!(r.transcript(&["new", "--title", "Binary", "--body-file", "nul.txt"]), @r#"
exit: 2
--- stdout
--- stderr
error: cannot write support/tickets/H9/T-H9934P1GK6.md: file is binary (NUL byte at line 8)
hint: leave the NUL bytes out of the text
"#);
    assert_snapshot!(r.transcript(&["comment", &printer, "-m", conflict]), @r#"
exit: 2
--- stdout
--- stderr
error: cannot write support/tickets/V9/T-V9RR4BYN05/20261102T090007000Z-alice-KHNQ.md: unresolved merge conflict: git's conflict markers start on line 6
hint: put the lines that start with `<<<<<<<`, `=======` or `>>>>>>>` (git's conflict markers) in a ``` code block, or indent them
"#);
    assert_eq!(r.commit_count(), before, "nothing was committed");
    assert_eq!(r.status(), "?? nul.txt\n", "nothing was written");
    r.docket(&["show", &printer]).ok();
    // As the hint says: in a code block the markers are quoted text.
    let fenced = format!(
        "Our config:\n```\n{}```\n",
        &conflict["Our config:\n".len()..]
    );
    let id = r
        .docket(&["new", "--title", "Merge help", "--body", &fenced])
        .ok()
        .trim()
        .to_string();
    r.docket(&["show", &id]).ok();
}
