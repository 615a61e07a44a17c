//! Writers killed or interrupted at any moment: nothing acknowledged is lost, no lock is
//! left behind, and nothing is left that the user's next `git commit` could damage. The
//! real binary is killed with SIGKILL at random moments and interrupted with SIGTERM and
//! SIGINT; git's CLI then checks the repository.

mod common;
#[path = "common/process.rs"]
mod process;

use std::time::{Duration, Instant};

use common::Repo;
use process::{Sig, Started};

/// Kill delays from a generator seeded from the clock and printed, so that a failing run
/// can be repeated with `DOCKET_CRASH_SEED`.
struct Delays(fastrand::Rng);

impl Delays {
    fn new() -> Delays {
        let seed = std::env::var("DOCKET_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| fastrand::u64(..));
        eprintln!("DOCKET_CRASH_SEED={seed}");
        Delays(fastrand::Rng::with_seed(seed))
    }

    /// A delay of 0 to `max_ms` milliseconds, in steps of 0.1 ms.
    fn next(&mut self, max_ms: u64) -> Duration {
        Duration::from_micros(self.0.u64(0..=max_ms * 10) * 100)
    }
}

/// How long a child may run before the harness gives up on it.
const DEADLINE: Duration = Duration::from_secs(60);

/// Starts docket in the repository without waiting for it.
fn spawn(r: &Repo, args: &[&str], env: &[(&str, &str)]) -> Started {
    let mut cmd = r.command(std::path::Path::new(env!("CARGO_BIN_EXE_docket")), args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    process::start(cmd)
}

/// Every lock file under `.git` except docket's own `docket/write.lock`, which is a
/// permanent file the kernel locks (it is never stale).
fn lock_files(r: &Repo) -> Vec<String> {
    let git = r.root.join(".git");
    walkdir::WalkDir::new(&git)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".lock"))
        .map(|e| {
            e.path()
                .strip_prefix(&git)
                .expect("below .git")
                .to_string_lossy()
                .into_owned()
        })
        .filter(|p| p != "docket/write.lock")
        .collect()
}

/// The files of HEAD's tree.
fn head_files(r: &Repo) -> Vec<String> {
    r.git(&["ls-tree", "-r", "--name-only", "HEAD"])
        .ok()
        .lines()
        .map(str::to_string)
        .collect()
}

fn ticket_path(id: &str) -> String {
    format!("support/tickets/{}/{id}.md", &id[2..4])
}

/// Lines of `git status --porcelain` that show a path as deleted in the index (`D `)
/// while it is untracked in the work tree (`??`): the state in which a plain
/// `git commit` would delete committed tickets.
fn deleted_and_untracked(status: &str) -> Vec<String> {
    let deleted: Vec<&str> = status
        .lines()
        .filter_map(|l| l.strip_prefix("D  "))
        .collect();
    status
        .lines()
        .filter_map(|l| l.strip_prefix("?? "))
        .filter(|p| {
            deleted
                .iter()
                .any(|d| d.starts_with(p.trim_end_matches('/')))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn killed_new_never_leaves_the_index_behind_head() {
    let r = Repo::with_desk();
    let mut delays = Delays::new();
    let mut acknowledged = Vec::new();
    let kills = std::env::var("DOCKET_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    for i in 0..kills {
        let mut child = spawn(&r, &["new", "--title", &format!("killed {i}")], &[]);
        std::thread::sleep(delays.next(60));
        child.signal_now(Sig::Kill);
        let done = child.finish(DEADLINE);
        let (code, out) = (done.code(), done.stdout);
        if code == Some(0) {
            acknowledged.push(out.trim().to_string());
        }
        r.fsck();
        // The user's next plain commit must not delete anything already in HEAD.
        let status = r.status();
        assert!(
            deleted_and_untracked(&status).is_empty(),
            "kill {i}:\n{status}"
        );
        // The next docket command takes over: it must not wait for a stale lock.
        let start = Instant::now();
        let next = r.docket(&["new", "--title", &format!("after {i}")]);
        let id = next.ok().trim().to_string();
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "kill {i}: {:?}",
            start.elapsed()
        );
        acknowledged.push(id);
        assert_eq!(lock_files(&r), Vec::<String>::new(), "kill {i}");
        assert_eq!(r.status(), "", "kill {i}: docket left something behind");
        r.fsck();
    }
    let files = head_files(&r);
    for id in &acknowledged {
        assert!(files.contains(&ticket_path(id)), "{id} is not in HEAD");
    }
    r.git(&["commit", "-q", "-a", "--allow-empty", "-m", "user commit"])
        .ok();
    let after = head_files(&r);
    for f in &files {
        assert!(after.contains(f), "the user's commit deleted {f}");
    }
}

#[test]
fn sigterm_and_sigint_during_a_write_finish_the_step_and_leave_no_lock() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Interrupted");
    let mut delays = Delays::new();
    for (i, sig) in [Sig::Term, Sig::Int]
        .into_iter()
        .cycle()
        .take(24)
        .enumerate()
    {
        let mut child = spawn(&r, &["comment", &id, "-m", &format!("comment {i}")], &[]);
        std::thread::sleep(delays.next(60));
        child.signal_now(sig);
        let done = child.finish(DEADLINE);
        let (code, err) = (done.code(), done.stderr);
        let expected = if sig == Sig::Term { 143 } else { 130 };
        assert!(
            code.is_none() || code == Some(0) || code == Some(expected),
            "{sig} {i}: exit {code:?}\n{err}"
        );
        assert_eq!(lock_files(&r), Vec::<String>::new(), "{sig} {i}");
        assert_eq!(
            r.status(),
            "",
            "{sig} {i}: the step was neither finished nor undone"
        );
        r.fsck();
    }
}

#[test]
fn ctrl_c_while_waiting_for_the_write_lock_exits_at_once() {
    let r = Repo::with_desk();
    let dir = r.root.join(".git/docket");
    std::fs::create_dir_all(&dir).expect("docket dir");
    let held = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("write.lock"))
        .expect("lock file");
    held.lock().expect("the test holds the write lock");
    for sig in [Sig::Int, Sig::Term] {
        let mut child = spawn(&r, &["new", "--title", "Waiting"], &[]);
        std::thread::sleep(Duration::from_millis(400));
        assert!(child.running(), "docket did not wait for the lock");
        let start = Instant::now();
        child.signal_now(sig);
        let done = child.finish(DEADLINE);
        let (code, err) = (done.code(), done.stderr);
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "{sig}: {:?}",
            start.elapsed()
        );
        let expected = if sig == Sig::Term { 143 } else { 130 };
        assert_eq!(code, Some(expected), "{sig}: {err}");
    }
    drop(held);
    assert_eq!(r.status(), "");
}

#[test]
fn an_old_write_lock_file_does_not_block() {
    let r = Repo::with_desk();
    // The previous format was a file that existed only while held; one left by a killed
    // process used to make every later write wait 30 s and fail.
    r.write(".git/docket/write.lock", "");
    let start = Instant::now();
    r.new_ticket("After an old lock");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn a_held_index_lock_fails_fast_naming_the_lock_and_changing_nothing() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Locked out");
    let head = r.git(&["rev-parse", "HEAD"]).ok().to_string();
    // As `git commit` holds it while the editor is open.
    r.write(".git/index.lock", "");
    let start = Instant::now();
    let run = r.docket(&["set", &id, "status=pending"]);
    let took = start.elapsed();
    let err = run.fails(1);
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert!(err.contains(".git/index.lock"), "{err}");
    assert!(err.contains("rm ") && err.contains("index.lock"), "{err}");
    assert_eq!(r.git(&["rev-parse", "HEAD"]).ok(), head);
    assert_eq!(r.status(), "");
    assert!(
        r.root.join(".git/index.lock").exists(),
        "docket removed a lock it does not own"
    );
    std::fs::remove_file(r.root.join(".git/index.lock")).expect("rm");
    r.docket(&["set", &id, "status=pending"]).ok();
    assert_eq!(r.status(), "");
}

#[test]
fn a_held_head_lock_is_named_instead_of_head_kept_changing() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Ref locked");
    r.write(".git/refs/heads/main.lock", "");
    let start = Instant::now();
    let run = r.docket(&["set", &id, "status=pending"]);
    let err = run.fails(1);
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    assert!(!err.contains("kept changing"), "{err}");
    assert!(
        err.contains("refs/heads/main.lock") && err.contains("rm "),
        "{err}"
    );
    std::fs::remove_file(r.root.join(".git/refs/heads/main.lock")).expect("rm");
    // Whatever the failed command left is finished by the next one.
    r.docket(&["list"]).ok();
    r.docket(&["set", &id, "status=pending"]).ok();
    assert_eq!(r.status(), "");
    let text = r
        .git(&["show", &format!("HEAD:{}", ticket_path(&id))])
        .ok()
        .to_string();
    assert!(text.contains("status: pending"), "{text}");
}

#[test]
fn set_after_no_commit_set_with_the_same_value_is_reported() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Half done");
    r.docket(&["--no-commit", "set", &id, "status=pending"])
        .ok();
    let run = r.docket(&["set", &id, "status=pending"]);
    let err = run.fails(1);
    let path = ticket_path(&id);
    assert!(err.contains(&path), "{err}");
    assert!(err.contains(&format!("git commit {path}")), "{err}");
    assert!(err.contains(&format!("git checkout -- {path}")), "{err}");
    // Nothing was committed behind the user's back.
    let head = r.git(&["show", &format!("HEAD:{path}")]).ok().to_string();
    assert!(head.contains("status: open"), "{head}");
}

/// Runs `set ID status=pending` paused right after it wrote the ticket file (a debug-only
/// pause point), waits until the file changed, and kills it there.
#[cfg(debug_assertions)]
fn kill_set_once_written(r: &Repo, id: &str, path: &str, assignment: &str) {
    let before = r.read(path);
    let mut child = spawn(
        r,
        &["set", id, assignment],
        &[("DOCKET_TEST_PAUSE", "written")],
    );
    let start = Instant::now();
    while r.read(path) == before {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the file was never written"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(50));
    child.signal_now(Sig::Kill);
    assert_eq!(
        child.finish(DEADLINE).code(),
        None,
        "docket did not pause after writing"
    );
}

#[cfg(debug_assertions)]
#[test]
fn a_set_killed_after_writing_is_committed_by_the_next_command() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Killed set");
    let path = ticket_path(&id);
    kill_set_once_written(&r, &id, &path, "status=pending");
    // The ticket's line and the new event file in its folder.
    let folder = path.trim_end_matches(".md");
    let written = format!(" M {path}\n?? {folder}/\n");
    assert_eq!(r.status(), written);
    // A read command says so, and leaves it alone.
    let list = r.docket(&["list"]);
    assert!(list.stderr.contains("interrupted"), "{}", list.stderr);
    assert_eq!(r.status(), written);
    // The next write finishes it with its own message; the same value then has nothing to do.
    let run = r.docket(&["set", &id, "status=pending"]);
    run.ok();
    assert!(run.stderr.contains("nothing to change"), "{}", run.stderr);
    assert!(run.stderr.contains("finished"), "{}", run.stderr);
    assert_eq!(r.status(), "");
    let subject = r
        .git(&["log", "-1", "--format=%s", "--", &path])
        .ok()
        .to_string();
    assert!(
        subject.starts_with(&format!("docket: set {id}")),
        "{subject}"
    );
    let head = r.git(&["show", &format!("HEAD:{path}")]).ok().to_string();
    assert!(head.contains("status: pending"), "{head}");
    let files = r
        .git(&["show", "--name-only", "--format=", "HEAD"])
        .ok()
        .to_string();
    assert!(
        files.contains(&format!("{folder}/")),
        "the event file is committed: {files}"
    );
    r.fsck();
}

#[cfg(debug_assertions)]
#[test]
fn a_new_killed_after_writing_leaves_no_orphan() {
    let r = Repo::with_desk();
    let tickets = r.root.join("support/tickets");
    let mut child = spawn(
        &r,
        &["new", "--title", "Orphan"],
        &[("DOCKET_TEST_PAUSE", "written")],
    );
    let start = Instant::now();
    let file = loop {
        let found = walkdir::WalkDir::new(&tickets)
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().ends_with(".md"));
        if let Some(f) = found {
            break f.path().to_path_buf();
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no ticket was written"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    std::thread::sleep(Duration::from_millis(50));
    child.signal_now(Sig::Kill);
    assert_eq!(
        child.finish(DEADLINE).code(),
        None,
        "docket did not pause after writing"
    );
    let rel = file
        .strip_prefix(&r.root)
        .expect("in the repo")
        .to_string_lossy()
        .into_owned();
    r.new_ticket("Next");
    assert_eq!(r.status(), "");
    assert!(
        head_files(&r).contains(&rel),
        "the orphan {rel} was not committed"
    );
    let subject = r
        .git(&["log", "-1", "--format=%s", "--", &rel])
        .ok()
        .to_string();
    assert!(subject.starts_with("docket: new T-"), "{subject}");
}

#[cfg(debug_assertions)]
#[test]
fn an_index_lock_left_by_a_killed_docket_is_removed_by_the_next_command() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Lock owner");
    let mut child = spawn(
        &r,
        &["set", &id, "status=pending"],
        &[("DOCKET_TEST_PAUSE", "index-locked")],
    );
    let lock = r.root.join(".git/index.lock");
    child.wait_until("index.lock appeared", || lock.exists());
    std::thread::sleep(Duration::from_millis(50));
    child.signal_now(Sig::Kill);
    child.finish(DEADLINE);
    assert!(r.root.join(".git/index.lock").exists());
    let start = Instant::now();
    r.docket(&["set", &id, "labels+=x"]).ok();
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(lock_files(&r), Vec::<String>::new());
    assert_eq!(r.status(), "");
    let head = r
        .git(&["show", &format!("HEAD:{}", ticket_path(&id))])
        .ok()
        .to_string();
    assert!(
        head.contains("status: pending") && head.contains("- x"),
        "{head}"
    );
    r.fsck();
}

#[cfg(debug_assertions)]
#[test]
fn a_kill_between_staging_and_moving_head_leaves_the_ticket_staged_then_committed() {
    let r = Repo::with_desk();
    let head = r.git(&["rev-parse", "HEAD"]).ok().to_string();
    let mut child = spawn(
        &r,
        &["new", "--title", "Staged"],
        &[("DOCKET_TEST_PAUSE", "staged")],
    );
    let start = Instant::now();
    let status = loop {
        let s = r.status();
        if s.starts_with("A  ") {
            break s;
        }
        assert!(child.running(), "docket ended before staging");
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never staged: {s}"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    std::thread::sleep(Duration::from_millis(50));
    child.signal_now(Sig::Kill);
    assert_eq!(child.finish(DEADLINE).code(), None, "docket did not pause");
    // HEAD did not move, and the ticket is staged: a plain `git commit` would keep it.
    assert_eq!(r.git(&["rev-parse", "HEAD"]).ok(), head);
    let rel = status.trim_start_matches("A  ").trim().to_string();
    assert!(rel.starts_with("support/tickets/"), "{status}");
    // The next docket command commits it with its own message.
    r.new_ticket("Next");
    assert_eq!(r.status(), "");
    let subject = r
        .git(&["log", "-1", "--format=%s", "--", &rel])
        .ok()
        .to_string();
    assert!(
        subject.starts_with("docket: new T-") && subject.contains("Staged"),
        "{subject}"
    );
    r.fsck();
}

#[cfg(debug_assertions)]
#[test]
fn an_interrupted_change_to_a_file_edited_since_is_reported_and_left_alone() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Edited since");
    let other = r.new_ticket("Other");
    let path = ticket_path(&id);
    kill_set_once_written(&r, &id, &path, "labels+=killed");
    let edited = r
        .read(&path)
        .replace("Steps to reproduce.", "Edited by hand.");
    r.write(&path, &edited);
    // Another change goes ahead, says what it left alone, and does not touch the file.
    let run = r.docket(&["set", &other, "status=pending"]);
    run.ok();
    assert!(
        run.stderr.contains("not finished") && run.stderr.contains(&path),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("git checkout -- {path}")),
        "{}",
        run.stderr
    );
    assert_eq!(r.read(&path), edited);
    assert_eq!(r.status(), format!(" M {path}\n"));
    // Once the user drops the edit, the record goes away without a word.
    r.git(&["checkout", "--", &path]).ok();
    let run = r.docket(&["set", &other, "labels+=x"]);
    run.ok();
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
    assert_eq!(r.status(), "");
    assert!(!r.docket(&["list"]).stderr.contains("interrupted"));
}

#[test]
fn a_ticket_missing_from_the_index_is_put_back_by_the_next_command_on_it() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Lost from the index");
    let path = ticket_path(&id);
    // What an older docket killed between moving the branch and writing the index left.
    r.git(&["rm", "-q", "--cached", &path]).ok();
    assert_eq!(r.status(), format!("D  {path}\n?? support/\n"));
    r.docket(&["set", &id, "status=pending"]).ok();
    assert_eq!(r.status(), "");
    let head = r.git(&["show", &format!("HEAD:{path}")]).ok().to_string();
    assert!(head.contains("status: pending"), "{head}");
    r.fsck();
}

/// Kills a `docket new` at the debug pause point `step` (`ref-noted`: its ref locks noted
/// in the lock ledger, the ref transaction about to start; `head-locked`, `branch-locked`:
/// inside that transaction, see `src/git/commit.rs`); returns the new commit's id it noted
/// and the branch lock path (relative to the repository).
fn kill_at(r: &Repo, title: &str, step: &str) -> (String, String) {
    let branch = r.git(&["symbolic-ref", "HEAD"]).ok().trim().to_string();
    let branch_lock = format!(".git/{branch}.lock");
    let ledger = r.root.join(".git/docket/held-locks");
    let mut child = spawn(
        r,
        &["new", "--title", title],
        &[("DOCKET_TEST_PAUSE", step)],
    );
    let start = Instant::now();
    let id = loop {
        let text = std::fs::read_to_string(&ledger).unwrap_or_default();
        let noted = text
            .lines()
            .filter_map(|l| l.strip_prefix("ref\t"))
            .filter_map(|l| l.split('\t').next())
            .find(|id| id.len() == 40)
            .map(str::to_string);
        let placed = match step {
            "head-locked" => r.root.join(".git/HEAD.lock").exists(),
            "branch-locked" => r.root.join(&branch_lock).exists(),
            _ => true,
        };
        if let (Some(id), true) = (noted, placed) {
            break id;
        }
        assert!(child.running(), "docket ended before {step}");
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "docket never reached {step}"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    // Everything of the step is written before the pause.
    std::thread::sleep(Duration::from_millis(50));
    child.signal_now(Sig::Kill);
    assert_eq!(child.finish(DEADLINE).code(), None, "docket did not pause");
    (id, branch_lock)
}

/// The next write after the kill, which must succeed at once and leave everything clean,
/// with the killed ticket finished and committed too.
fn next_write_recovers(r: &Repo, killed: &str, status: &str) {
    let start = Instant::now();
    let id = r
        .docket(&["new", "--title", "after"])
        .ok()
        .trim()
        .to_string();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(lock_files(r), Vec::<String>::new());
    assert_eq!(r.status(), status, "docket left something behind");
    r.fsck();
    let titles = r.git(&["log", "--format=%s"]).ok().to_string();
    assert!(
        titles.contains(killed),
        "{killed} was not committed:\n{titles}"
    );
    assert!(head_files(r).contains(&ticket_path(&id)));
}

/// The next write after the kill, which must refuse the lock `lock` (exit 1, naming it)
/// and leave it in place, then succeed once it is removed.
fn next_write_refuses(r: &Repo, lock: &str) {
    let start = Instant::now();
    let run = r.docket(&["new", "--title", "refused"]);
    let err = run.fails(1);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(err.contains(".lock exists"), "{err}");
    assert!(r.root.join(lock).exists(), "{lock} was removed");
    for l in lock_files(r) {
        std::fs::remove_file(r.root.join(".git").join(l)).expect("remove the lock");
    }
    r.docket(&["new", "--title", "then"]).ok();
    assert_eq!(r.status(), "");
    r.fsck();
}

#[test]
fn an_empty_head_lock_left_by_a_killed_writer_is_removed_by_the_next() {
    let r = Repo::with_desk();
    r.new_ticket("First");
    // Killed microseconds after gix created HEAD.lock, before it wrote the new id into it.
    let _ = kill_at(&r, "killed", "head-locked");
    assert_eq!(r.read(".git/HEAD.lock"), "");
    next_write_recovers(&r, "killed", "");
}

#[test]
fn an_empty_head_lock_on_an_unborn_branch_is_removed_by_the_next_writer() {
    let r = Repo::new();
    r.write(
        ".docket/config.yaml",
        &std::fs::read_to_string(common::fixture("demo/config.yaml")).expect("demo config"),
    );
    r.git(&["add", "."]).ok();
    let (_, branch_lock) = kill_at(&r, "killed", "head-locked");
    assert_ne!(r.git(&["rev-parse", "--verify", "-q", "HEAD"]).code, 0);
    assert_eq!(r.read(".git/HEAD.lock"), "");
    assert!(!r.root.join(&branch_lock).exists());
    next_write_recovers(&r, "killed", "A  .docket/config.yaml\n");
}

#[test]
fn an_empty_branch_lock_after_a_filled_head_lock_is_removed_by_the_next_writer() {
    let r = Repo::with_desk();
    r.new_ticket("First");
    // Killed after gix filled HEAD.lock with the new id and created the branch's lock.
    let (id, branch_lock) = kill_at(&r, "killed", "branch-locked");
    assert_eq!(r.read(".git/HEAD.lock"), format!("{id}\n"));
    assert_eq!(r.read(&branch_lock), "");
    next_write_recovers(&r, "killed", "");
}

#[test]
fn a_live_git_commits_ref_locks_are_kept_after_a_killed_writer() {
    let r = Repo::with_desk();
    r.new_ticket("First");
    let (_, branch_lock) = kill_at(&r, "killed", "ref-noted");
    // `git commit` holds an empty HEAD.lock during its ref transaction, with the branch's
    // lock beside it holding git's own new commit.
    let other = r.git(&["rev-parse", "HEAD"]).ok().to_string();
    std::fs::File::create(r.root.join(".git/HEAD.lock")).expect("HEAD.lock");
    std::fs::write(r.root.join(&branch_lock), other).expect("branch lock");
    next_write_refuses(&r, ".git/HEAD.lock");
}

#[test]
fn an_empty_head_lock_born_before_the_note_is_kept() {
    let r = Repo::with_desk();
    r.new_ticket("First");
    // Made now, put in place after the kill: a rename keeps the birth time.
    let early = r.root.join(".git/early");
    std::fs::File::create(&early).expect("early file");
    let meta = std::fs::metadata(&early).expect("early file");
    if meta.created().is_err() {
        eprintln!("skipped: this file system keeps no birth times");
        return;
    }
    std::thread::sleep(Duration::from_millis(30));
    let _ = kill_at(&r, "killed", "ref-noted");
    std::fs::rename(&early, r.root.join(".git/HEAD.lock")).expect("HEAD.lock");
    next_write_refuses(&r, ".git/HEAD.lock");
}

#[test]
fn a_ref_lock_holding_dockets_id_is_kept_once_that_commit_landed() {
    let r = Repo::with_desk();
    r.new_ticket("First");
    let (id, branch_lock) = kill_at(&r, "killed", "ref-noted");
    // The branch already points at docket's commit, and someone (`git reset --hard`, say)
    // now holds the branch's lock to write that same id.
    r.git(&["update-ref", "HEAD", &id]).ok();
    std::fs::write(r.root.join(&branch_lock), format!("{id}\n")).expect("branch lock");
    next_write_refuses(&r, &branch_lock);
}
