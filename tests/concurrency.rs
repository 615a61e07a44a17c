//! Readers during writes: `search` and `list` run while `new`, `comment` and `set` commit,
//! all through the real binary at once, on a desk of a few hundred tickets. A reader
//! never fails because a writer is working: it exits 0, prints no error and never finds
//! the index damaged (it answers from the last committed state instead).
//!
//! Three variants: a small desk (every sync stats every file), a large desk without a
//! watcher (folder stamps) and a large desk with a watcher (its journal). The number of
//! rounds is `DOCKET_STORM_ROUNDS` (default 4) so a longer run can measure the rate.

mod common;

use std::process::{Child, Stdio};

use common::Repo;

/// The characters of generated ids.
const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Processes started at once in each round: three writers and five readers.
const WRITERS: usize = 3;
const READERS: usize = 5;

/// A generated-looking id, spread over 32 shards.
fn id(n: usize) -> String {
    let mut s = String::from("T-");
    s.push(CROCKFORD[n % 32] as char);
    s.push(CROCKFORD[(n / 32) % 32] as char);
    let mut rest = n;
    for _ in 0..8 {
        s.push(CROCKFORD[rest % 32] as char);
        rest /= 32;
    }
    s
}

/// A committed desk of `n` hand-written tickets.
fn desk(n: usize) -> (Repo, Vec<String>) {
    let r = Repo::with_desk();
    let mut ids = Vec::new();
    for i in 0..n {
        let id = id(i);
        r.write(
            &format!("support/tickets/{}/{id}.md", &id[2..4]),
            &format!(
                "---\nid: {id}\ntitle: Printer {i} jams on page two\nstatus: open\ncreated: 2026-11-{:02}T00:00:00Z\n---\nThe printer jams after the first page, ticket {i}.\n",
                i % 28 + 1
            ),
        );
        ids.push(id);
    }
    r.git(&["add", "-A"]).ok();
    r.git(&["commit", "-qm", "tickets"]).ok();
    (r, ids)
}

fn spawn(r: &Repo, env: &[(&str, &str)], args: &[&str]) -> Child {
    let mut cmd = r.command(std::path::Path::new(env!("CARGO_BIN_EXE_docket")), args);
    cmd.envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.spawn().expect("docket starts")
}

/// What the readers of a storm did.
#[derive(Debug, Default)]
struct Tally {
    calls: usize,
    /// Readers that answered from the last committed state while another synced.
    stale: usize,
    /// One line per failed reader: its arguments, exit code and stderr.
    failures: Vec<String>,
}

/// Whether a reader's stderr shows a failure: an error, a warning about the index, or
/// a rebuild (the answer from the last committed state is noted, which is fine).
fn troubled(stderr: &str) -> bool {
    let lower = stderr.to_lowercase();
    ["error", "rebuil", "damaged", "caused by", "panick"]
        .iter()
        .any(|w| lower.contains(w))
}

fn rounds() -> usize {
    std::env::var("DOCKET_STORM_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4)
}

/// `rounds` rounds of three writers and five readers at once; with `rebuild`, the first
/// writer of every other round runs `docket index` instead (a rebuild from scratch).
fn storm(r: &Repo, ids: &[String], env: &[(&str, &str)], rounds: usize, rebuild: bool) -> Tally {
    let mut tally = Tally::default();
    for round in 0..rounds {
        let mut readers: Vec<(String, Child)> = Vec::new();
        let mut writers = Vec::new();
        for w in 0..WRITERS {
            let target = &ids[(round * 7 + w * 13) % ids.len()];
            let title = format!("Scanner {round}-{w} drops pages");
            let msg = format!("Seen again in round {round}");
            let args: Vec<&str> = match w % 3 {
                0 if rebuild && round % 2 == 1 => vec!["index"],
                0 => vec![
                    "new",
                    "--title",
                    &title,
                    "--body",
                    "The scanner drops pages.",
                ],
                1 => vec!["comment", target, "-m", &msg],
                _ => vec![
                    "set",
                    target,
                    if round % 2 == 0 {
                        "priority=high"
                    } else {
                        "priority=low"
                    },
                ],
            };
            writers.push(spawn(r, env, &args));
        }
        for k in 0..READERS {
            let args: &[&str] = match k % 3 {
                0 => &["search", "printer jams"],
                1 => &["list"],
                _ => &["search", "scanner OR round", "--json"],
            };
            readers.push((args.join(" "), spawn(r, env, args)));
        }
        for (args, child) in readers {
            let out = child.wait_with_output().expect("reader ends");
            tally.calls += 1;
            let stderr = String::from_utf8_lossy(&out.stderr);
            tally.stale += usize::from(stderr.contains("answering from its last state"));
            if !out.status.success() || troubled(&stderr) {
                tally.failures.push(format!(
                    "round {round}: `docket {args}` exited {:?}: {}",
                    out.status.code(),
                    stderr.trim()
                ));
            }
        }
        for child in writers {
            child.wait_with_output().expect("writer ends");
        }
    }
    tally
}

/// Warms the index, runs the storm, and checks that every reader succeeded and that the
/// index still answers for every ticket afterwards.
fn readers_never_fail(env: &[(&str, &str)], rebuild: bool) -> Repo {
    let (r, ids) = desk(300);
    r.docket_env(&["search", "printer"], env).ok();
    let start = std::time::Instant::now();
    let tally = storm(&r, &ids, env, rounds(), rebuild);
    eprintln!(
        "{} reader calls, {} failed, {} answered from the last state, {:.1} s",
        tally.calls,
        tally.failures.len(),
        tally.stale,
        start.elapsed().as_secs_f64()
    );
    assert!(
        tally.failures.is_empty(),
        "{} of {} reader calls failed:\n{}",
        tally.failures.len(),
        tally.calls,
        tally.failures.join("\n")
    );
    let v: serde_json::Value = serde_json::from_str(
        r.docket_env(&["search", "printer", "--limit", "1000", "--json"], env)
            .ok(),
    )
    .expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(ids.len()));
    r.fsck();
    r
}

#[test]
fn concurrent_search_during_writes_never_fails_on_a_small_desk() {
    readers_never_fail(&[], false);
}

#[test]
fn concurrent_search_during_writes_never_fails_without_a_watcher() {
    readers_never_fail(
        &[("DOCKET_INDEX_FULL_SCAN_LIMIT", "0"), ("DOCKET_WATCH", "0")],
        false,
    );
}

#[test]
fn concurrent_search_during_writes_never_fails_with_a_watcher() {
    let env = [("DOCKET_INDEX_FULL_SCAN_LIMIT", "0")];
    let r = readers_never_fail(&env, false);
    let status = r.docket(&["watch", "--status"]).ok().to_string();
    assert!(status.starts_with("running: pid "), "{status}");
}

/// Regression: a reader that met a rebuild half done took the folder for damaged and
/// rebuilt it again under the first one.
#[test]
fn concurrent_search_during_a_rebuild_never_fails() {
    readers_never_fail(&[], true);
}

/// The modification times of every file under the index's manifest folder.
fn manifest_stamps(r: &Repo) -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
    let dir = r.root.join(".git/docket/index/manifest");
    let mut v: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let t = e.metadata().expect("stat").modified().expect("mtime");
            (e.path().to_path_buf(), t)
        })
        .collect();
    v.sort();
    v
}

/// Regression: a reader that could not take the writer lock still wrote the manifest
/// (the lock was released before the manifest write), racing the process that held it.
/// Now a reader that finds the lock busy answers from the last committed state and
/// writes nothing.
#[test]
fn a_reader_that_finds_the_writer_lock_busy_writes_nothing() {
    let (r, ids) = desk(20);
    r.docket(&["search", "printer"]).ok();
    let rel = format!("support/tickets/{}/{}.md", &ids[3][2..4], ids[3]);
    let text = r.read(&rel).replace("Printer 3 jams", "Stapler 3 jams");
    r.write(&rel, &text);
    let before = manifest_stamps(&r);
    assert!(!before.is_empty());
    // Hold the lock as another docket would while it syncs.
    let lock = std::fs::File::open(r.root.join(".git/docket/index-lock")).expect("lock file");
    lock.lock().expect("lock");
    let run = r.docket(&["search", "stapler"]);
    run.ok();
    assert!(
        run.stderr.contains("answering from its last state"),
        "{}",
        run.stderr
    );
    assert_eq!(
        manifest_stamps(&r),
        before,
        "a reader without the lock wrote"
    );
    lock.unlock().expect("unlock");
    // Once the lock is free, the next read syncs and finds the edit.
    let found = r.docket(&["search", "stapler", "--json"]);
    let v: serde_json::Value = serde_json::from_str(found.ok()).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{v}");
}
