//! The library's read functions (`Desk::list`, `Desk::show`, `Desk::suggest`,
//! `Desk::customers`, `store::validate::check`, `desk::build_demo`) on real repositories
//! that the real binary set up: what the commands render comes from these.

mod common;

use common::Repo;
use docket::desk::{AssigneeFilter, CustomerQuery, Desk, Options, TicketQuery, build_demo};
use docket::index::Quiet;
use docket::store::validate::check;

/// Opens a ticket at `now` with `extra` arguments and returns its id.
fn ticket_at(repo: &Repo, title: &str, now: &str, extra: &[&str]) -> String {
    let mut args = vec!["new", "--title", title, "--body", "Steps."];
    args.extend_from_slice(extra);
    repo.docket_env(&args, &[("DOCKET_NOW", now)])
        .ok()
        .trim()
        .to_string()
}

fn desk(repo: &Repo) -> Desk {
    Desk::open(&repo.root, Options::default()).expect("desk opens")
}

fn listed_ids(desk: &Desk, q: &TicketQuery) -> (Vec<String>, Vec<String>) {
    let listing = desk.list(q, &Quiet).expect("lists");
    let table: Vec<String> = listing
        .rows()
        .iter()
        .map(|r| r.row.id.to_string())
        .collect();
    let full = desk.list_tickets(q, &Quiet).expect("lists");
    let json: Vec<String> = full
        .tickets
        .iter()
        .map(|t| t.ticket.id.to_string())
        .collect();
    assert_eq!(table, json, "the table and --json list the same tickets");
    (table, listing.problems)
}

#[test]
fn list_is_newest_first_by_time_not_by_text_from_the_index_and_from_the_files() {
    let repo = Repo::with_desk();
    let oldest = ticket_at(&repo, "Oldest", "2026-11-01T08:00:00Z", &["--label", "db"]);
    let newest = ticket_at(&repo, "Newest", "2026-11-02T23:30:00Z", &["--label", "db"]);
    let closed = ticket_at(&repo, "Closed", "2026-11-02T12:00:00Z", &[]);
    repo.docket(&["close", &closed]).ok();
    // Written by hand with an offset: its text sorts after `2026-11-02T23:30:00Z`, but
    // it is an hour earlier.
    let offset = ticket_at(
        &repo,
        "Offset",
        "2026-11-02T09:00:00Z",
        &["--assignee", "bob"],
    );
    let rel = repo.ticket_path(&offset);
    let text = repo.read(&rel).replace(
        "created: 2026-11-02T09:00:00Z",
        "created: 2026-11-03T00:30:00+02:00",
    );
    repo.write(&rel, &text);

    let desk = desk(&repo);
    let (open, problems) = listed_ids(&desk, &TicketQuery::default());
    assert_eq!(open, [newest.clone(), offset.clone(), oldest.clone()]);
    assert!(problems.is_empty(), "{problems:?}");
    let all = TicketQuery {
        all: true,
        ..TicketQuery::default()
    };
    assert_eq!(
        listed_ids(&desk, &all).0,
        [
            newest.clone(),
            offset.clone(),
            closed.clone(),
            oldest.clone()
        ]
    );
    let db = TicketQuery {
        labels: vec!["db".into()],
        ..TicketQuery::default()
    };
    assert_eq!(listed_ids(&desk, &db).0, [newest.clone(), oldest.clone()]);
    let bobs = TicketQuery {
        assignee: Some(AssigneeFilter::parse("bob")),
        ..TicketQuery::default()
    };
    assert_eq!(listed_ids(&desk, &bobs).0, std::slice::from_ref(&offset));
    let nobodys = TicketQuery {
        assignee: Some(AssigneeFilter::parse("-")),
        statuses: vec!["CLOSED".into()],
        ..TicketQuery::default()
    };
    assert_eq!(listed_ids(&desk, &nobodys).0, std::slice::from_ref(&closed));
    let row_day = desk.list(&bobs, &Quiet).expect("lists").rows()[0]
        .created
        .day;
    assert_eq!(
        row_day,
        Some(jiff::civil::date(2026, 11, 3)),
        "the day as written"
    );

    // A copy of a ticket file under another name makes the index step aside: the files
    // are read, and the copy is reported.
    let copy = rel.replace(&format!("{offset}.md"), "copy.md");
    repo.write(&copy, &text);
    let (from_files, problems) = listed_ids(&desk, &TicketQuery::default());
    assert_eq!(from_files, open);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("is also used by"), "{problems:?}");
}

#[test]
fn show_resolves_a_prefix_and_suggest_matches_with_the_indexed_text() {
    let repo = Repo::with_desk();
    repo.docket(&[
        "kb",
        "new",
        "--title",
        "Rotating TLS certificates",
        "--status",
        "published",
        "--body",
        "Renew the certificate before it expires; reload the proxy.",
    ])
    .ok();
    let id = repo.new_ticket("Certificate expired on the proxy");
    repo.docket(&["comment", &id, "-m", "The TLS certificate must be renewed."])
        .ok();
    let desk = desk(&repo);
    let shown = desk.show(&id[2..8], &Quiet).expect("shows").value;
    assert_eq!(shown.file.ticket.id.as_str(), id);
    assert_eq!(shown.comments.len(), 1);
    assert!(!shown.closed);
    let found = desk.suggest(&id, 5, &Quiet).expect("suggests").value;
    assert_eq!(found.ticket.ticket.id.as_str(), id);
    let articles: Vec<&str> = found
        .suggestions
        .articles
        .iter()
        .map(|m| m.id.as_str())
        .collect();
    assert_eq!(articles, ["rotating-tls-certificates"]);
}

#[test]
fn customers_count_their_open_tickets_and_list_them_newest_first() {
    let repo = Repo::with_desk();
    repo.docket(&["customer", "new", "--name", "Acme", "--tier", "enterprise"])
        .ok();
    repo.docket(&["customer", "new", "--name", "Kestrel"]).ok();
    let first = ticket_at(
        &repo,
        "One",
        "2026-11-01T08:00:00Z",
        &["--customer", "acme"],
    );
    let second = ticket_at(
        &repo,
        "Two",
        "2026-11-02T08:00:00Z",
        &["--customer", "acme"],
    );
    repo.docket(&["close", &first]).ok();
    let desk = desk(&repo);
    let all = desk.customers(&CustomerQuery::default()).expect("lists");
    let counts: Vec<(&str, usize, usize)> = all
        .customers
        .iter()
        .map(|c| (c.record.slug.as_str(), c.open, c.total))
        .collect();
    assert_eq!(counts, [("acme", 1, 2), ("kestrel", 0, 0)]);
    let enterprise = CustomerQuery {
        tier: Some("enterprise".into()),
        ..CustomerQuery::default()
    };
    assert_eq!(
        desk.customers(&enterprise).expect("lists").customers.len(),
        1
    );
    let acme = desk.customer_tickets("acme").expect("shows");
    let ids: Vec<(String, bool)> = acme
        .tickets
        .iter()
        .map(|(t, closed)| (t.ticket.id.to_string(), *closed))
        .collect();
    assert_eq!(ids, [(second, false), (first, true)]);
    assert_eq!((acme.summary.open, acme.summary.total), (1, 2));
}

#[test]
fn check_counts_the_files_and_names_each_problem_with_its_file() {
    let repo = Repo::with_desk();
    let id = repo.new_ticket("Fine");
    let bad = repo.new_ticket("Bad time");
    repo.docket(&["comment", &id, "-m", "A comment."]).ok();
    let rel = repo.ticket_path(&bad);
    let text = repo.read(&rel);
    let created = text
        .lines()
        .find(|l| l.starts_with("created: "))
        .expect("has created")
        .to_string();
    repo.write(&rel, &text.replace(&created, "created: yesterday"));
    let report = check(desk(&repo).store()).expect("checks");
    // The config, two tickets and one comment.
    assert_eq!(report.files, 4);
    assert_eq!(report.bad_files(), 1);
    let messages: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with(&rel) && messages[0].contains("`created` is not an RFC 3339"),
        "{messages:?}"
    );
}

#[test]
fn the_demo_desk_is_built_by_the_library() {
    let dir = tempfile::tempdir().expect("temp dir");
    let demo = build_demo(dir.path(), None).expect("builds");
    assert!(demo.ids.len() >= 5, "{:?}", demo.ids);
    let desk = Desk::open(dir.path(), Options::default()).expect("opens");
    let all = TicketQuery {
        all: true,
        ..TicketQuery::default()
    };
    let mut listed = listed_ids(&desk, &all).0;
    listed.sort();
    let mut built = demo.ids.clone();
    built.sort();
    assert_eq!(listed, built);
    assert!(check(desk.store()).expect("checks").problems.is_empty());
}

#[test]
fn comments_are_in_time_order_not_text_order() {
    let repo = Repo::with_desk();
    let id = ticket_at(&repo, "Comments", "2026-11-02T08:00:00Z", &[]);
    repo.docket_env(
        &["comment", &id, "-m", "first"],
        &[("DOCKET_NOW", "2026-11-02T09:00:00Z")],
    )
    .ok();
    repo.docket_env(
        &["comment", &id, "-m", "second"],
        &[("DOCKET_NOW", "2026-11-02T10:00:00Z")],
    )
    .ok();
    // Rewrite the first comment's time by hand with an offset: the same instant, a text
    // that sorts after the second's.
    let dir = repo
        .root
        .join(repo.ticket_path(&id).trim_end_matches(".md"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("comment folder")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let text = std::fs::read_to_string(&files[0]).expect("first comment");
    let moved = text.replace(
        "created: 2026-11-02T09:00:00Z",
        "created: 2026-11-02T11:00:00+02:00",
    );
    assert_ne!(moved, text, "the comment's time was found:\n{text}");
    std::fs::write(&files[0], moved).expect("write comment");
    let comments = desk(&repo)
        .store()
        .comments(&repo.ticket_path(&id))
        .expect("comments load");
    let bodies: Vec<&str> = comments.items.iter().map(|c| c.body.trim()).collect();
    assert_eq!(bodies, ["first", "second"]);
}
