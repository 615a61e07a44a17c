//! Hermetic tests: temporary repositories made and checked with the real git CLI (no system
//! or user config, fixed identities), driven through the module's public API.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::{GitError, Identity, PathState, Repo};

/// A temporary repository plus a private HOME for the git CLI.
struct Fixture {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    root: PathBuf,
}

impl Fixture {
    /// `git init -b main` in a fresh temporary directory.
    fn new() -> Fixture {
        Fixture::with_init(&["init", "-q", "-b", "main"])
    }

    /// A fresh temporary directory initialised with `git <init_args> repo`.
    fn with_init(init_args: &[&str]) -> Fixture {
        let tmp = tempfile::tempdir().expect("a temporary directory can be made");
        let home = tmp.path().join("home");
        std::fs::create_dir(&home).expect("home can be made");
        let root = tmp.path().join("repo");
        std::fs::create_dir(&root).expect("repo dir can be made");
        let fx = Fixture {
            _tmp: tmp,
            home,
            root,
        };
        fx.git(init_args);
        fx
    }

    /// Run git in the repository with the hermetic environment and return its stdout;
    /// panics (failing the test) when git fails.
    fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.root, args)
    }

    /// Like [`Fixture::git`] but in `dir`.
    fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.command(dir, args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("git prints UTF-8 here")
    }

    /// A git command with the hermetic environment, not yet run.
    fn command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        cmd.args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_AUTHOR_NAME", "Cli Author")
            .env("GIT_AUTHOR_EMAIL", "cli@example.com")
            .env("GIT_COMMITTER_NAME", "Cli Committer")
            .env("GIT_COMMITTER_EMAIL", "cli-committer@example.com")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("EMAIL");
        cmd
    }

    /// Write a work-tree file, making parent directories.
    fn write(&self, rel: &str, content: &str) {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent can be made");
        }
        std::fs::write(path, content).expect("file can be written");
    }

    /// Open the repository reading only its own config (no env, no user config), with
    /// `overrides` such as `user.name=...`.
    fn open_isolated(&self, overrides: &[&str]) -> Repo {
        let opts = gix::open::Options::isolated().config_overrides(overrides.iter().copied());
        let repo = gix::open_opts(&self.root, opts).expect("the fixture repo opens");
        Repo::from_gix(repo).expect("the fixture repo has a work tree")
    }

    /// An isolated repo whose committer is configured, as most tests want.
    fn repo(&self) -> Repo {
        self.open_isolated(&["user.name=Config User", "user.email=config@example.com"])
    }

    /// `git status --porcelain` output.
    fn status(&self) -> String {
        self.git(&["status", "--porcelain"])
    }

    /// Files changed by commit `rev` (`git show --stat --format= --name-only`), sorted.
    fn changed_in(&self, rev: &str) -> Vec<String> {
        let mut v: Vec<String> = self
            .git(&["show", "--format=", "--name-only", rev])
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        v.sort();
        v
    }

    /// Assert `git fsck --strict` finds nothing (dangling objects left by lost races are not damage).
    fn fsck(&self) {
        let out = self
            .command(
                &self.root,
                &["fsck", "--strict", "--no-dangling", "--no-progress"],
            )
            .output()
            .expect("git fsck runs");
        assert!(
            out.status.success() && out.stdout.is_empty(),
            "fsck: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The author docket tests commit as.
fn ada() -> Identity {
    Identity {
        name: "Ada Lovelace".into(),
        email: "ada@example.com".into(),
    }
}

/// A fixed commit time.
fn when() -> jiff::Timestamp {
    "2024-05-06T07:08:09Z"
        .parse()
        .expect("a valid RFC 3339 timestamp")
}

/// `paths` as the owned strings the API takes.
fn paths(p: &[&str]) -> Vec<String> {
    p.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn identity_parses_and_displays() {
    let id = Identity::parse("  Ada Lovelace <ada@example.com> ").expect("valid identity");
    assert_eq!(id, ada());
    assert_eq!(id.to_string(), "Ada Lovelace <ada@example.com>");
    for bad in [
        "",
        "Ada",
        "<ada@example.com>",
        "Ada <>",
        "Ada <ada@example.com",
        "Ada <a<b@example.com>",
        "Ada\nLovelace <ada@example.com>",
        "Ada <ada @example.com>",
    ] {
        assert_eq!(Identity::parse(bad), None, "{bad:?} must not parse");
    }
}

#[test]
fn discover_finds_the_root_from_a_subdirectory() {
    let fx = Fixture::new();
    fx.write("a/b/c.txt", "x");
    let repo = Repo::discover(&fx.root.join("a/b")).expect("inside a repo");
    let root = std::fs::canonicalize(&fx.root).expect("root exists");
    assert_eq!(repo.workdir(), root);
    assert_eq!(repo.git_dir(), root.join(".git"));
    assert!(repo.workdir().is_absolute() && repo.git_dir().is_absolute());
}

#[test]
fn discover_outside_a_repo_is_not_a_repo() {
    let tmp = tempfile::tempdir().expect("a temporary directory can be made");
    match Repo::discover(tmp.path()) {
        Err(GitError::NotARepo { path }) => assert_eq!(path, tmp.path()),
        other => panic!("expected NotARepo, got {other:?}"),
    }
}

#[test]
fn discover_in_a_bare_repo_is_bare() {
    let fx = Fixture::with_init(&["init", "-q", "--bare", "-b", "main"]);
    match Repo::discover(&fx.root) {
        Err(GitError::Bare { path }) => {
            assert_eq!(path, std::fs::canonicalize(&fx.root).expect("exists"));
        }
        other => panic!("expected Bare, got {other:?}"),
    }
}

#[test]
fn author_comes_from_override_then_config() {
    let fx = Fixture::new();
    let repo = fx.repo();
    assert_eq!(
        repo.author(Some("Ada Lovelace <ada@example.com>"))
            .expect("override parses"),
        ada()
    );
    assert_eq!(
        repo.author(None).expect("user.* is configured"),
        Identity {
            name: "Config User".into(),
            email: "config@example.com".into()
        }
    );
    match repo.author(Some("no email here")) {
        Err(GitError::BadIdentity { value }) => assert_eq!(value, "no email here"),
        other => panic!("expected BadIdentity, got {other:?}"),
    }
    let repo = fx.open_isolated(&[
        "user.name=Config User",
        "user.email=config@example.com",
        "author.name=Config Author",
    ]);
    assert_eq!(
        repo.author(None).expect("configured").name,
        "Config Author",
        "author.* wins over user.*"
    );
}

#[test]
fn no_identity_is_an_error_with_a_hint() {
    let fx = Fixture::new();
    let repo = fx.open_isolated(&[]);
    let err = repo.author(None).expect_err("nothing is configured");
    assert!(matches!(err, GitError::NoIdentity { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("git config user.name"), "{msg}");
    assert!(msg.contains("git config user.email"), "{msg}");
    let repo = fx.open_isolated(&["user.name=Only Name"]);
    assert!(matches!(
        repo.author(None),
        Err(GitError::NoIdentity { .. })
    ));
}

#[test]
fn committer_falls_back_to_the_author() {
    let fx = Fixture::new();
    assert_eq!(fx.open_isolated(&[]).committer_or(&ada()), ada());
    let repo = fx.open_isolated(&[
        "user.name=Config User",
        "user.email=config@example.com",
        "committer.name=The Bot",
    ]);
    assert_eq!(
        repo.committer_or(&ada()),
        Identity {
            name: "The Bot".into(),
            email: "config@example.com".into()
        }
    );
}

#[test]
fn first_commit_on_an_unborn_branch() {
    let fx = Fixture::new();
    let repo = fx.repo();
    assert_eq!(repo.head_commit().expect("readable"), None);
    assert_eq!(repo.head_tree().expect("readable"), None);
    fx.write("support/tickets/00/T-1/ticket.md", "# one\n");
    fx.write("support/tickets/00/T-2/ticket.md", "# two\n");
    fx.write("unrelated.txt", "leave me\n");
    let info = repo
        .commit_paths(
            &paths(&[
                "support/tickets/00/T-1/ticket.md",
                "support/tickets/00/T-2/ticket.md",
            ]),
            "docket: new T-1\n\nDocket-Ticket: T-1\n",
            &ada(),
            when(),
        )
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(info.branch.as_deref(), Some("main"));
    assert_eq!(fx.git(&["rev-parse", "HEAD"]).trim(), info.id);
    assert_eq!(repo.head_commit().expect("readable"), Some(info.id.clone()));
    assert_eq!(
        repo.head_tree().expect("readable"),
        Some(fx.git(&["rev-parse", "HEAD^{tree}"]).trim().to_owned())
    );
    assert_eq!(
        fx.git(&["log", "-1", "--format=%s%n%an <%ae>%n%cn <%ce>"]),
        "docket: new T-1\nAda Lovelace <ada@example.com>\nConfig User <config@example.com>\n"
    );
    assert_eq!(
        fx.git(&["log", "-1", "--format=%at %ct"]).trim(),
        "1714979289 1714979289"
    );
    assert_eq!(
        fx.git(&[
            "log",
            "-1",
            "--format=%(trailers:key=Docket-Ticket,valueonly)"
        ])
        .trim(),
        "T-1"
    );
    assert_eq!(
        fx.changed_in("HEAD"),
        paths(&[
            "support/tickets/00/T-1/ticket.md",
            "support/tickets/00/T-2/ticket.md"
        ])
    );
    assert_eq!(fx.status(), "?? unrelated.txt\n");
    assert!(
        fx.git(&["reflog", "-1"])
            .contains("commit (initial): docket: new T-1")
    );
    fx.fsck();
}

#[test]
fn commit_on_a_branch_leaves_the_users_changes_alone() {
    let fx = Fixture::new();
    fx.write("a.txt", "a1\n");
    fx.write("b.txt", "b1\n");
    fx.write("t/1.md", "one v1\n");
    fx.write("t/2.md", "two v1\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "init"]);
    let before = fx.git(&["rev-parse", "HEAD"]);

    // The user's work in progress: a staged edit, an unstaged edit.
    fx.write("a.txt", "a2 staged\n");
    fx.git(&["add", "a.txt"]);
    fx.write("b.txt", "b2 unstaged\n");

    let repo = fx.repo();
    fx.write("t/1.md", "one v2\n");
    fx.write("t/3.md", "three\n");
    let info = repo
        .commit_paths(
            &paths(&["t/1.md", "t/3.md"]),
            "docket: edit",
            &ada(),
            when(),
        )
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(fx.git(&["rev-parse", "HEAD~1"]), before);
    assert_eq!(fx.changed_in("HEAD"), paths(&["t/1.md", "t/3.md"]));
    assert_eq!(
        fx.git(&["show", "HEAD:a.txt"]),
        "a1\n",
        "staged change not swept in"
    );
    assert_eq!(fx.git(&["diff", "--cached", "--name-only"]), "a.txt\n");
    assert_eq!(fx.git(&["diff", "--name-only"]), "b.txt\n");
    assert_eq!(fx.status(), "M  a.txt\n M b.txt\n");
    assert_eq!(info.branch.as_deref(), Some("main"));
    assert_eq!(
        fx.git(&["log", "-1", "--format=%s%n%an"]),
        "docket: edit\nAda Lovelace\n"
    );
    fx.fsck();

    // A plain `git commit` afterwards records the right content (stale cache-tree check).
    fx.git(&["commit", "-q", "-m", "user commit"]);
    assert_eq!(fx.changed_in("HEAD"), paths(&["a.txt"]));
    assert_eq!(fx.git(&["show", "HEAD:t/1.md"]), "one v2\n");
    assert_eq!(fx.git(&["show", "HEAD:t/3.md"]), "three\n");
    assert_eq!(fx.git(&["show", "HEAD:a.txt"]), "a2 staged\n");
    fx.git(&["commit", "-q", "-a", "-m", "user commit 2"]);
    assert_eq!(fx.changed_in("HEAD"), paths(&["b.txt"]));
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[test]
fn a_file_missing_from_the_work_tree_is_removed() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    fx.write("t/2.md", "two\n");
    fx.write("d/x/y.md", "y\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "init"]);
    std::fs::remove_file(fx.root.join("t/1.md")).expect("file exists");
    std::fs::remove_dir_all(fx.root.join("d")).expect("dir exists");
    let repo = fx.repo();
    repo.commit_paths(&paths(&["t/1.md", "d/x"]), "docket: delete", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(
        fx.git(&["ls-tree", "-r", "--name-only", "HEAD"]),
        "t/2.md\n"
    );
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[test]
fn an_unchanged_tree_makes_no_commit() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    let repo = fx.repo();
    let first = repo
        .commit_paths(&paths(&["t/1.md"]), "docket: one", &ada(), when())
        .expect("commit works");
    assert!(first.is_some());
    let again = repo
        .commit_paths(&paths(&["t/1.md"]), "docket: one again", &ada(), when())
        .expect("no-op works");
    assert_eq!(again, None);
    let gone = repo
        .commit_paths(
            &paths(&["never/existed.md"]),
            "docket: nothing",
            &ada(),
            when(),
        )
        .expect("no-op works");
    assert_eq!(gone, None);
    assert_eq!(
        repo.commit_paths(&[], "empty", &ada(), when()).expect("ok"),
        None
    );
    assert_eq!(fx.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    assert_eq!(fx.status(), "");
}

#[test]
fn detached_head_moves_head_but_not_the_branch() {
    let fx = Fixture::new();
    fx.write("a.txt", "a\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "init"]);
    let main_before = fx.git(&["rev-parse", "main"]);
    fx.git(&["checkout", "-q", "--detach"]);
    fx.write("t/1.md", "one\n");
    let info = fx
        .repo()
        .commit_paths(&paths(&["t/1.md"]), "docket: detached", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(info.branch, None);
    assert_eq!(fx.git(&["rev-parse", "HEAD"]).trim(), info.id);
    assert_eq!(fx.git(&["rev-parse", "main"]), main_before);
    assert_eq!(fx.git(&["rev-parse", "HEAD~1"]), main_before);
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[test]
fn a_linked_worktree_commits_on_its_own_branch_and_index() {
    let fx = Fixture::new();
    fx.write("a.txt", "a\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "init"]);
    let main_before = fx.git(&["rev-parse", "main"]);
    let wt = fx.root.parent().expect("has a parent").join("wt");
    let wt_str = wt.to_str().expect("temp paths are UTF-8 here");
    fx.git(&["worktree", "add", "-q", "-b", "feature", wt_str]);
    std::fs::write(wt.join("new.md"), "in worktree\n").expect("writable");
    let repo = Repo::discover(&wt).expect("a linked worktree is a repo");
    assert_eq!(repo.workdir(), std::fs::canonicalize(&wt).expect("exists"));
    let info = repo
        .commit_paths(&paths(&["new.md"]), "docket: wt", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(info.branch.as_deref(), Some("feature"));
    assert_eq!(fx.git(&["rev-parse", "main"]), main_before);
    assert_eq!(fx.git(&["rev-parse", "feature"]).trim(), info.id);
    assert_eq!(fx.git_in(&wt, &["status", "--porcelain"]), "");
    assert_eq!(fx.status(), "", "the main worktree's index is untouched");
    fx.fsck();
}

#[cfg(unix)]
#[test]
fn executable_files_and_symlinks_keep_their_kind() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::new();
    fx.write("bin/run.sh", "#!/bin/sh\n");
    let script = fx.root.join("bin/run.sh");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::os::unix::fs::symlink("run.sh", fx.root.join("bin/link")).expect("symlink");
    fx.repo()
        .commit_paths(
            &paths(&["bin/run.sh", "bin/link"]),
            "docket: modes",
            &ada(),
            when(),
        )
        .expect("commit works")
        .expect("a commit was made");
    let tree = fx.git(&["ls-tree", "-r", "HEAD"]);
    assert!(tree.contains("100755 blob"), "{tree}");
    assert!(tree.contains("120000 blob"), "{tree}");
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[test]
fn path_state_tells_clean_modified_untracked_and_missing() {
    let fx = Fixture::new();
    fx.write("clean.md", "c\n");
    fx.write("unstaged.md", "u1\n");
    fx.write("staged.md", "s1\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "init"]);
    fx.write("unstaged.md", "u2\n");
    fx.write("staged.md", "s2\n");
    fx.git(&["add", "staged.md"]);
    fx.write("new.md", "n\n");
    fx.write("added.md", "a\n");
    fx.git(&["add", "added.md"]);
    let repo = fx.repo();
    let state = |p: &str| repo.path_state(p).expect("state is readable");
    assert_eq!(state("clean.md"), PathState::Clean);
    assert_eq!(state("unstaged.md"), PathState::Modified);
    assert_eq!(state("staged.md"), PathState::Modified);
    assert_eq!(state("added.md"), PathState::Modified);
    assert_eq!(state("new.md"), PathState::Untracked);
    assert_eq!(state("gone.md"), PathState::Missing);
    assert_eq!(state("clean.md/below"), PathState::Missing);
    std::fs::remove_file(fx.root.join("clean.md")).expect("exists");
    assert_eq!(state("clean.md"), PathState::Missing);
    // Same bytes rewritten (new mtime) are still clean: content decides, not stat.
    fx.write("unstaged.md", "u1\n");
    assert_eq!(state("unstaged.md"), PathState::Clean);
    for bad in ["", "/abs", "a/../b", "./a", ".git/config", "a//b", "a\\b"] {
        assert!(
            matches!(repo.path_state(bad), Err(GitError::BadPath { .. })),
            "{bad:?} must be rejected"
        );
    }
    assert!(matches!(
        repo.path_state("."),
        Err(GitError::BadPath { .. })
    ));
}

#[test]
fn path_state_on_an_unborn_branch_and_after_a_docket_commit() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    let repo = fx.repo();
    assert_eq!(repo.path_state("t/1.md").expect("ok"), PathState::Untracked);
    repo.commit_paths(&paths(&["t/1.md"]), "docket: one", &ada(), when())
        .expect("commit works");
    assert_eq!(repo.path_state("t/1.md").expect("ok"), PathState::Clean);
    assert!(matches!(
        repo.path_state("t"),
        Err(GitError::NotAFile { .. })
    ));
}

#[test]
fn history_of_a_file_and_of_a_directory() {
    let fx = Fixture::new();
    let repo = fx.repo();
    let at = |s: i64| jiff::Timestamp::from_second(1_700_000_000 + s).expect("in range");
    let commit = |p: &str, content: &str, msg: &str, t| {
        fx.write(p, content);
        repo.commit_paths(&paths(&[p]), msg, &ada(), t)
            .expect("commit works")
            .expect("a commit was made")
            .id
    };
    let c1 = commit("t/A/ticket.md", "a1\n", "docket: new A\n\nbody\n", at(1));
    let c2 = commit("t/B/ticket.md", "b1\n", "docket: new B", at(2));
    let c3 = commit("t/A/c1.md", "comment\n", "docket: comment A", at(3));
    fx.write("other.txt", "x\n");
    fx.git(&["add", "other.txt"]);
    fx.git(&["commit", "-q", "-m", "unrelated"]);
    let c5 = commit("t/A/ticket.md", "a2\n", "docket: close A", at(5));

    let ids = |h: Vec<super::HistoryEntry>| h.into_iter().map(|e| e.id).collect::<Vec<_>>();
    let file = repo.history(&paths(&["t/A/ticket.md"])).expect("history");
    assert_eq!(file[0].summary, "docket: close A");
    assert_eq!(file[0].author, ada());
    assert_eq!(file[0].time, at(5));
    assert_eq!(file[1].message, "docket: new A\n\nbody\n");
    assert_eq!(file[1].summary, "docket: new A");
    assert_eq!(ids(file), vec![c5.clone(), c1.clone()]);
    assert_eq!(
        ids(repo.history(&paths(&["t/A"])).expect("history")),
        vec![c5.clone(), c3.clone(), c1.clone()]
    );
    assert_eq!(
        ids(repo
            .history(&paths(&["t/B", "t/A/c1.md"]))
            .expect("history")),
        vec![c3, c2]
    );
    assert!(repo.history(&paths(&["nope"])).expect("history").is_empty());
    let empty = Fixture::new();
    assert!(
        empty
            .repo()
            .history(&paths(&["t"]))
            .expect("unborn")
            .is_empty()
    );
}

#[test]
fn write_lock_is_exclusive_and_released_on_drop() {
    let fx = Fixture::new();
    let repo = fx.repo();
    let lock_file = repo.git_dir().join("docket/write.lock");
    let held = repo.lock_writes().expect("free lock");
    assert!(lock_file.exists());
    let root = fx.root.clone();
    let waiter = std::thread::spawn(move || {
        let start = Instant::now();
        let repo = Repo::discover(&root).expect("repo");
        let _lock = repo.lock_writes().expect("lock after the holder lets go");
        start.elapsed()
    });
    std::thread::sleep(Duration::from_millis(400));
    drop(held);
    let waited = waiter.join().expect("waiter thread ends");
    assert!(waited >= Duration::from_millis(300), "waited {waited:?}");
    // The file stays (a kernel lock on it is what counts), and is free again at once.
    assert!(lock_file.exists());
    let start = Instant::now();
    drop(repo.lock_writes().expect("free again"));
    assert!(start.elapsed() < Duration::from_millis(100));
}

#[test]
fn a_held_index_lock_delays_the_commit() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    let index_lock = fx.root.join(".git/index.lock");
    std::fs::write(&index_lock, "").expect("simulate a running git add");
    let path = index_lock.clone();
    let remover = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        std::fs::remove_file(path).expect("lock exists");
    });
    fx.repo()
        .commit_paths(&paths(&["t/1.md"]), "docket: waited", &ada(), when())
        .expect("commit works once the lock is gone")
        .expect("a commit was made");
    remover.join().expect("remover thread ends");
    assert_eq!(fx.status(), "");
}

#[test]
fn eight_threads_commit_eighty_files() {
    let fx = Fixture::new();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let root = fx.root.clone();
            std::thread::spawn(move || {
                let repo = Repo::discover(&root).expect("repo");
                for i in 0..10 {
                    let rel = format!("t/{t}/{i}.md");
                    let _lock = repo.lock_writes().expect("lock");
                    let path = root.join(&rel);
                    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("dir");
                    std::fs::write(&path, format!("thread {t} file {i}\n")).expect("write");
                    repo.commit_paths(&[rel], &format!("docket: {t}/{i}"), &ada(), when())
                        .expect("commit works")
                        .expect("a commit was made");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread ends");
    }
    let files = fx.git(&["ls-tree", "-r", "--name-only", "HEAD"]);
    for t in 0..8 {
        for i in 0..10 {
            assert!(files.contains(&format!("t/{t}/{i}.md\n")), "t/{t}/{i}.md");
        }
    }
    assert_eq!(fx.git(&["log", "--oneline"]).lines().count(), 80);
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[test]
fn docket_retries_when_git_moves_the_branch_meanwhile() {
    let fx = Fixture::new();
    fx.write("seed.txt", "seed\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "seed"]);
    let root = fx.root.clone();
    let home = fx.home.clone();
    // Another writer that moves `main` with plumbing (no index.lock), compare-and-swap style.
    let other = std::thread::spawn(move || {
        let fx = Fixture {
            _tmp: tempfile::tempdir().expect("scratch"),
            home,
            root,
        };
        let scratch_index = fx._tmp.path().join("plumbing-index");
        let with_index = |args: &[&str]| {
            let out = fx
                .command(&fx.root, args)
                .env("GIT_INDEX_FILE", &scratch_index)
                .output()
                .expect("git runs");
            assert!(out.status.success(), "git {args:?} failed");
            String::from_utf8(out.stdout)
                .expect("utf-8")
                .trim()
                .to_owned()
        };
        let mut made = 0;
        while made < 20 {
            let parent = fx.git(&["rev-parse", "main"]).trim().to_owned();
            let blob = fx.git(&["hash-object", "-w", "--stdin"]).trim().to_owned();
            with_index(&["read-tree", &parent]);
            let entry = format!("100644,{blob},other-{made}.txt");
            with_index(&["update-index", "--add", "--cacheinfo", &entry]);
            let tree = with_index(&["write-tree"]);
            let commit = fx
                .git(&["commit-tree", &tree, "-p", &parent, "-m", "plumbing"])
                .trim()
                .to_owned();
            let ok = fx
                .command(
                    &fx.root,
                    &["update-ref", "refs/heads/main", &commit, &parent],
                )
                .output()
                .expect("update-ref runs")
                .status
                .success();
            if ok {
                made += 1;
            }
        }
    });
    let repo = fx.repo();
    for i in 0..20 {
        let rel = format!("d/{i}.md");
        fx.write(&rel, &format!("{i}\n"));
        repo.commit_paths(&[rel], "docket: race", &ada(), when())
            .expect("commit works despite the race")
            .expect("a commit was made");
    }
    other.join().expect("plumbing thread ends");
    assert_eq!(fx.git(&["rev-list", "--count", "HEAD"]).trim(), "41");
    assert_eq!(
        fx.git(&["log", "--format=%s"])
            .lines()
            .filter(|l| *l == "docket: race")
            .count(),
        20
    );
    let files = fx.git(&["ls-tree", "-r", "--name-only", "HEAD", "d"]);
    assert_eq!(files.lines().count(), 20, "{files}");
    fx.fsck();
}

/// Move `main` forward by one commit adding `name`, with plumbing only (no index.lock).
fn plumbing_commit(fx: &Fixture, name: &str) {
    let scratch_index = fx.home.join("plumbing-index");
    let run = |args: &[&str]| {
        let out = fx
            .command(&fx.root, args)
            .env("GIT_INDEX_FILE", &scratch_index)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?} failed");
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .trim()
            .to_owned()
    };
    let parent = run(&["rev-parse", "main"]);
    let blob = run(&["hash-object", "-w", "--stdin"]);
    run(&["read-tree", &parent]);
    run(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("100644,{blob},{name}"),
    ]);
    let tree = run(&["write-tree"]);
    let commit = run(&["commit-tree", &tree, "-p", &parent, "-m", name]);
    run(&["update-ref", "refs/heads/main", &commit, &parent]);
}

#[test]
fn a_ref_moved_between_tree_and_commit_is_retried() {
    let fx = Fixture::new();
    fx.write("seed.txt", "seed\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "seed"]);
    fx.write("t/1.md", "one\n");
    let repo = fx.repo();
    let root = fx.root.clone();
    let home = fx.home.clone();
    let mut raced = 0;
    super::commit::BEFORE_REF_UPDATE.with_borrow_mut(|hook| {
        *hook = Some(Box::new(move || {
            if raced < 2 {
                let fx = Fixture {
                    _tmp: tempfile::tempdir().expect("scratch"),
                    home: home.clone(),
                    root: root.clone(),
                };
                plumbing_commit(&fx, &format!("other-{raced}.txt"));
                raced += 1;
            }
        }));
    });
    let info = repo.commit_paths(&paths(&["t/1.md"]), "docket: raced", &ada(), when());
    super::commit::BEFORE_REF_UPDATE.with_borrow_mut(|hook| *hook = None);
    let info = info.expect("commit works").expect("a commit was made");
    assert_eq!(fx.git(&["rev-parse", "main"]).trim(), info.id);
    assert_eq!(
        fx.git(&["log", "--format=%s"]),
        "docket: raced\nother-1.txt\nother-0.txt\nseed\n"
    );
    assert_eq!(
        fx.git(&["ls-tree", "-r", "--name-only", "HEAD"]),
        "other-0.txt\nother-1.txt\nseed.txt\nt/1.md\n"
    );
    assert_eq!(fx.changed_in("HEAD"), paths(&["t/1.md"]));
    fx.fsck();
}

#[test]
fn a_ref_that_keeps_moving_gives_up_cleanly() {
    let fx = Fixture::new();
    fx.write("seed.txt", "seed\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "seed"]);
    fx.write("t/1.md", "one\n");
    let repo = fx.repo();
    let root = fx.root.clone();
    let home = fx.home.clone();
    let mut n = 0;
    super::commit::BEFORE_REF_UPDATE.with_borrow_mut(|hook| {
        *hook = Some(Box::new(move || {
            let fx = Fixture {
                _tmp: tempfile::tempdir().expect("scratch"),
                home: home.clone(),
                root: root.clone(),
            };
            plumbing_commit(&fx, &format!("other-{n}.txt"));
            n += 1;
        }));
    });
    let result = repo.commit_paths(&paths(&["t/1.md"]), "docket: never", &ada(), when());
    super::commit::BEFORE_REF_UPDATE.with_borrow_mut(|hook| *hook = None);
    match result {
        Err(GitError::Contended { attempts, .. }) => assert!(attempts > 1),
        other => panic!("expected Contended, got {other:?}"),
    }
    assert!(
        !fx.root.join(".git/index.lock").exists(),
        "index.lock released"
    );
    assert!(!fx.git(&["log", "--format=%s"]).contains("docket: never"));
    // The index is updated before HEAD moves: the file stays staged, so the user's next
    // commit includes it and nothing is lost.
    assert_eq!(fx.git(&["status", "--porcelain", "t"]), "A  t/1.md\n");
    fx.fsck();
}

#[test]
fn a_racing_first_commit_on_an_unborn_branch_is_retried() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    let repo = fx.repo();
    let root = fx.root.clone();
    let home = fx.home.clone();
    let mut raced = false;
    super::commit::BEFORE_REF_UPDATE.with_borrow_mut(|hook| {
        *hook = Some(Box::new(move || {
            if !raced {
                raced = true;
                let fx = Fixture {
                    _tmp: tempfile::tempdir().expect("scratch"),
                    home: home.clone(),
                    root: root.clone(),
                };
                let empty = fx.git(&["hash-object", "-w", "-t", "tree", "--stdin"]);
                let c = fx.git(&["commit-tree", empty.trim(), "-m", "root by git"]);
                fx.git(&["update-ref", "refs/heads/main", c.trim(), ""]);
            }
        }));
    });
    let info = repo.commit_paths(&paths(&["t/1.md"]), "docket: first", &ada(), when());
    super::commit::BEFORE_REF_UPDATE.with_borrow_mut(|hook| *hook = None);
    info.expect("commit works").expect("a commit was made");
    assert_eq!(
        fx.git(&["log", "--format=%s"]),
        "docket: first\nroot by git\n"
    );
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[test]
fn removing_the_last_file_commits_an_empty_tree() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    let repo = fx.repo();
    repo.commit_paths(&paths(&["t/1.md"]), "docket: add", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
    std::fs::remove_file(fx.root.join("t/1.md")).expect("exists");
    repo.commit_paths(&paths(&["t/1.md"]), "docket: remove", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(fx.git(&["ls-tree", "-r", "HEAD"]), "");
    assert_eq!(fx.status(), "");
    fx.fsck();
}

#[cfg(unix)]
#[test]
fn paths_beyond_a_symlinked_directory_are_refused() {
    let fx = Fixture::new();
    let outside = fx.home.join("outside");
    std::fs::create_dir(&outside).expect("dir");
    std::fs::write(outside.join("secret.md"), "secret\n").expect("write");
    std::os::unix::fs::symlink(&outside, fx.root.join("t")).expect("symlink");
    let repo = fx.repo();
    assert!(matches!(
        repo.path_state("t/secret.md"),
        Err(GitError::BadPath { .. })
    ));
    assert!(matches!(
        repo.commit_paths(&paths(&["t/secret.md"]), "docket: no", &ada(), when()),
        Err(GitError::BadPath { .. })
    ));
    assert!(!fx.root.join(".git/index.lock").exists());
}

#[test]
fn errors_and_locks_can_cross_threads() {
    // `Repo` cannot (gix without its "parallel" feature uses `Rc`): each thread discovers its own.
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send>() {}
    send_sync::<GitError>();
    send::<super::WriteLock>();
}

#[test]
fn discover_honours_git_dir_work_tree_and_index_file() {
    // The process environment cannot be changed safely in-process: re-run this test binary.
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    let elsewhere = tempfile::tempdir().expect("a temporary directory can be made");
    let alt_index = fx.home.join("alt-index");
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let out = Command::new(exe)
        .args([
            "--exact",
            "git::tests::child_discover_from_env",
            "--ignored",
            "--test-threads=1",
        ])
        .env("GIT_DIR", fx.root.join(".git"))
        .env("GIT_WORK_TREE", &fx.root)
        .env("GIT_INDEX_FILE", &alt_index)
        .env("DOCKET_TEST_CHILD_START", elsewhere.path())
        .env(
            "DOCKET_TEST_CHILD_ROOT",
            std::fs::canonicalize(&fx.root).expect("exists"),
        )
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(alt_index.exists(), "GIT_INDEX_FILE was written");
    assert!(!fx.root.join(".git/index").exists(), ".git/index untouched");
    assert_eq!(fx.git(&["log", "--format=%s"]), "docket: from a hook\n");
}

#[test]
#[ignore = "run in a child process by discover_honours_git_dir_work_tree_and_index_file"]
fn child_discover_from_env() {
    let (Some(start), Some(root)) = (
        std::env::var_os("DOCKET_TEST_CHILD_START"),
        std::env::var_os("DOCKET_TEST_CHILD_ROOT"),
    ) else {
        return;
    };
    let repo = Repo::discover(Path::new(&start)).expect("GIT_DIR names the repo");
    assert_eq!(repo.workdir(), Path::new(&root));
    repo.commit_paths(&paths(&["t/1.md"]), "docket: from a hook", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
}

#[test]
fn a_no_op_commit_still_refreshes_the_index_for_its_paths() {
    let fx = Fixture::new();
    fx.write("t/1.md", "one\n");
    fx.write("other.md", "o1\n");
    fx.git(&["add", "."]);
    fx.git(&["commit", "-q", "-m", "init"]);
    fx.write("t/1.md", "staged draft\n");
    fx.write("other.md", "o2\n");
    fx.git(&["add", "."]);
    fx.write("t/1.md", "one\n");
    let result = fx
        .repo()
        .commit_paths(&paths(&["t/1.md"]), "docket: same", &ada(), when())
        .expect("works");
    assert_eq!(result, None);
    assert_eq!(
        fx.status(),
        "M  other.md\n",
        "only the user's other change remains"
    );
}

#[test]
fn init_makes_a_repository_git_accepts() {
    let fx = Fixture::new();
    let dir = fx.home.join("fresh");
    let repo = Repo::init(&dir).expect("init works");
    std::fs::write(dir.join("a.md"), "a\n").expect("write");
    repo.commit_paths(&paths(&["a.md"]), "docket: first", &ada(), when())
        .expect("commit works")
        .expect("a commit was made");
    assert_eq!(fx.git_in(&dir, &["log", "--format=%s"]), "docket: first\n");
    assert_eq!(fx.git_in(&dir, &["status", "--porcelain"]), "");
    let err = Repo::discover(fx.home.parent().expect("has a parent"))
        .expect_err("the temporary directory itself is no repository");
    assert!(matches!(err, GitError::NotARepo { .. }), "{err:?}");
    assert!(err.hint().is_some());
}
