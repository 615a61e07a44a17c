//! The scores of `search`, `suggest` and `dupes` follow the files only: two desks that
//! hold the same files, reached by different histories (one ticket edited and reindexed
//! several times, or every file indexed once), print the same scores to the bit.
//!
//! The index replaces an edited ticket's document by deleting the old one and adding the
//! new one; tantivy keeps a deleted document in its segment, and in its term statistics,
//! until a merge drops it. Scores built on those statistics differed with the number of
//! reindexes (the racy-clean window of the sync makes that number depend on timing) and
//! with how segments happened to merge. And tantivy ranks equal scores by where the
//! documents sit in the segments, which an edit changes: two tickets that tie come in
//! the order of their paths.

mod common;

use common::Repo;

/// The tickets and article both desks end with.
const FILES: &[(&str, &str)] = &[
    (
        "support/tickets/AA/T-AAAA000001.md",
        "---\nid: T-AAAA000001\ntitle: VPN drops every hour\nstatus: open\ncreated: 2026-11-01T00:00:00Z\n---\nThe VPN connection drops every hour on the hour.\n",
    ),
    (
        "support/tickets/BB/T-BBBB000002.md",
        "---\nid: T-BBBB000002\ntitle: VPN drops every hour again\nstatus: open\ncreated: 2026-11-02T00:00:00Z\n---\nThe VPN connection drops every hour, on the hour, again. The client log says timeout.\n",
    ),
    (
        "support/tickets/CC/T-CCCC000003.md",
        "---\nid: T-CCCC000003\ntitle: Printer on fire\nstatus: open\ncreated: 2026-11-03T00:00:00Z\n---\nThe printer on floor 2 smokes when it prints.\n",
    ),
    (
        "support/tickets/DD/T-DDDD000004.md",
        "---\nid: T-DDDD000004\ntitle: Billing page shows the wrong currency\nstatus: closed\ncreated: 2026-11-04T00:00:00Z\n---\nInvoices are in dollars but we pay in euros.\n",
    ),
    // Word for word the first one: it ties with it in every ranking.
    (
        "support/tickets/EE/T-EEEE000005.md",
        "---\nid: T-EEEE000005\ntitle: VPN drops every hour\nstatus: open\ncreated: 2026-11-05T00:00:00Z\n---\nThe VPN connection drops every hour on the hour.\n",
    ),
    (
        "support/tickets/FF/T-FFFF000006.md",
        "---\nid: T-FFFF000006\ntitle: VPN drops\nstatus: open\ncreated: 2026-11-06T00:00:00Z\n---\nThe VPN connection drops every hour.\n",
    ),
    (
        "support/kb/reconnect-the-vpn.md",
        "---\ntitle: Reconnect the VPN\n---\nWhen the VPN connection drops, reconnect from the tray icon.\n",
    ),
];

/// What the commands print, scores included.
fn outputs(r: &Repo) -> Vec<String> {
    [
        vec!["dupes", "--json", "--min-score", "0"],
        vec!["dupes"],
        vec!["suggest", "T-BBBB000002", "--json"],
        vec!["suggest", "T-AAAA000001"],
        vec!["suggest", "T-FFFF000006", "--json"],
        vec!["search", "vpn hour", "--json"],
        vec!["search", "printer"],
    ]
    .iter()
    .map(|args| format!("{args:?}\n{}", r.docket(args).ok()))
    .collect()
}

fn commit_all(r: &Repo) {
    r.git(&["add", "-A"]).ok();
    r.git(&["commit", "-qm", "tickets"]).ok();
}

#[test]
fn match_scores_do_not_depend_on_the_index_history() {
    // Every file written once and indexed once.
    let fresh = Repo::with_desk();
    for (rel, text) in FILES {
        fresh.write(rel, text);
    }
    commit_all(&fresh);
    fresh.docket(&["index"]).ok();

    // The same files, but the two VPN tickets were first written with other words and
    // edited several times, each version read by the index (so each left a deleted
    // document behind).
    let edited = Repo::with_desk();
    for (rel, text) in FILES {
        edited.write(rel, text);
    }
    commit_all(&edited);
    edited.docket(&["index"]).ok();
    // The index reads again whatever changed within the last two seconds (its stamps are
    // change times, which no test can set): past that, a read records the files as
    // indexed, and an edit replaces only the edited ticket's document.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    edited.docket(&["search", "vpn"]).ok();
    for n in 0..3 {
        for (rel, text) in &FILES[..2] {
            let draft = text.replace(
                "drops every hour",
                &format!("drops every hour hour printer euros draft{n}"),
            );
            edited.write(rel, &draft);
            edited.docket(&["search", "vpn"]).ok();
        }
    }
    for (rel, text) in &FILES[..2] {
        edited.write(rel, text);
    }

    let (a, b) = (outputs(&fresh), outputs(&edited));
    // The premise: the edited desk's index still holds replaced documents.
    let meta = std::fs::read_to_string(edited.root.join(".git/docket/index/meta.json"))
        .expect("the index's meta.json");
    assert!(meta.contains("num_deleted_docs"), "{meta}");
    assert!(a[0].contains("\"score\""), "{}", a[0]);
    for (a, b) in a.iter().zip(&b) {
        assert_eq!(a, b, "fresh index, then the edited desk");
    }
}
