//! Hermetic tests: temporary repositories made and checked with the real git CLI (no system
//! or user config, fixed identities), driven through the module's public API. The
//! fixture and helpers are here; the tests are grouped by what they exercise.

mod commit;
mod discover;
mod races;
mod status;

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
