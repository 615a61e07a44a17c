//! A panic inside the index's work, on the command's thread or on a worker thread, is an
//! error that names what the index was doing, never a crash and never a shorter answer.
//! Debug builds panic on purpose where `DOCKET_TEST_PANIC` names the work.

mod common;

use common::Repo;

fn desk() -> Repo {
    let r = Repo::with_desk();
    r.new_ticket("Crash on start when the config file is empty");
    r.new_ticket("Crash on start when the config file is missing");
    r
}

/// Asserts that `run` failed with the index's error for a panic while doing `what`, said
/// once, with the usual hint, and without the default panic message.
#[track_caller]
fn failed_naming(run: &common::Run, what: &str) {
    let stderr = run.fails(1);
    let want = format!(": {what} panicked: DOCKET_TEST_PANIC asked for a panic (at src/");
    assert!(
        stderr.starts_with("error: search index at ") && stderr.contains(&want),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: run `docket index` to rebuild the search index"),
        "{stderr}"
    );
    assert!(!stderr.contains("thread '"), "no crash message: {stderr}");
    assert_eq!(run.stdout, "", "no partial answer");
}

#[test]
fn a_panic_on_the_scanning_thread_is_an_error_not_half_a_scan() {
    let r = desk();
    let run = r.docket_env(
        &["search", "crash"],
        &[("DOCKET_TEST_PANIC", "scanning the ticket shards")],
    );
    failed_naming(&run, "scanning the ticket shards");
    // Without the panic the same index answers in full.
    let found = r.docket(&["search", "crash"]).ok().to_string();
    assert_eq!(found.matches("Crash on start").count(), 2, "{found}");
}

#[test]
fn a_panic_while_comparing_tickets_is_an_error_of_dupes() {
    let r = desk();
    let run = r.docket_env(
        &["dupes"],
        &[("DOCKET_TEST_PANIC", "comparing the tickets")],
    );
    failed_naming(&run, "comparing the tickets");
}

#[test]
fn list_reads_the_files_when_the_index_panics() {
    use std::os::unix::fs::MetadataExt;
    let r = desk();
    let want = r.docket(&["list"]).ok().to_string();
    let folder = || {
        std::fs::metadata(r.root.join(".git/docket/index"))
            .expect("an index")
            .ino()
    };
    let before = folder();
    let run = r.docket_env(
        &["list"],
        &[("DOCKET_TEST_PANIC", "reading the ticket ids")],
    );
    assert_eq!(run.ok(), want);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_ne!(
        folder(),
        before,
        "the panic counted as damage: the index was rebuilt"
    );
}
