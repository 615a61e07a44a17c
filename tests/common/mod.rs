//! A hermetic temporary git repository in which tests run the real `docket` binary and
//! check the outcome with the real git CLI.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A temporary repository with a fixed identity and no user or system git config.
pub struct Repo {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    home: PathBuf,
    /// docket commands started so far: the n-th runs at [`CLOCK_START`] plus n seconds
    /// with `DOCKET_SEED=n` (as jj's tests number their commands), so the same commands
    /// give the same ids, times and commits in every run and every repository.
    runs: std::sync::atomic::AtomicU64,
}

/// The clock of a test repository's first docket command (`DOCKET_NOW`).
pub const CLOCK_START: &str = "2026-11-02T09:00:00Z";

/// What a command printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The outcome of a command the caller ran itself (for example with its own binary).
    pub fn of(out: Output) -> Run {
        Run::from(out)
    }

    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    /// Asserts failure with this exit code and returns stderr.
    #[track_caller]
    pub fn fails(&self, code: i32) -> &str {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stderr
    }
}

/// Applies the hermetic environment to a command.
pub fn hermetic(cmd: &mut Command, home: &Path) {
    for (k, _) in std::env::vars() {
        if k.starts_with("GIT_")
            || k.starts_with("DOCKET_")
            || k == "EDITOR"
            || k == "VISUAL"
            || k == "EMAIL"
        {
            cmd.env_remove(k);
        }
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C");
}

impl Drop for Repo {
    /// Stops a watcher the test started (it would also exit once its folders are gone).
    fn drop(&mut self) {
        if self.root.join(".git/docket/watch/session").exists() {
            let _ = self.docket(&["watch", "--stop"]);
        }
    }
}

impl Repo {
    /// A new repository on branch `main` with user.name and user.email set.
    pub fn new() -> Repo {
        let r = Repo::bare_dir();
        r.git(&["init", "-q", "-b", "main"]).ok();
        r.git(&["config", "user.name", "Alice Ng"]).ok();
        r.git(&["config", "user.email", "alice@example.org"]).ok();
        r
    }

    /// An empty folder (no repository) with the hermetic home next to it.
    pub fn bare_dir() -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("repo");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&root).expect("repo dir");
        std::fs::create_dir_all(&home).expect("home dir");
        Repo {
            _dir: dir,
            root,
            home,
            runs: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// A new repository with docket's config from the demo (team alice, bob, chen) and
    /// the reply templates its automation rules name.
    pub fn with_desk() -> Repo {
        let r = Repo::new();
        r.write(
            ".docket/config.yaml",
            &std::fs::read_to_string(fixture("demo/config.yaml")).expect("demo config"),
        );
        for entry in std::fs::read_dir(fixture("demo/templates")).expect("demo templates") {
            let path = entry.expect("a template").path();
            let name = path.file_name().expect("a file name").to_string_lossy();
            r.write(
                &format!(".docket/templates/{name}"),
                &std::fs::read_to_string(&path).expect("template text"),
            );
        }
        r.git(&["add", "."]).ok();
        r.git(&["commit", "-q", "-m", "set up docket"]).ok();
        r
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The temporary folder that holds the repository and its home, for other folders a
    /// test needs (a demo desk, a second repository).
    pub fn scratch(&self) -> &Path {
        self._dir.path()
    }

    /// Runs docket in the repository.
    pub fn docket(&self, args: &[&str]) -> Run {
        self.docket_env(args, &[])
    }

    /// Runs docket with extra environment variables.
    pub fn docket_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_docket"));
        hermetic(&mut cmd, &self.home);
        self.fix_clock_and_seed(&mut cmd);
        cmd.current_dir(&self.root)
            .args(args)
            .stdin(std::process::Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run::from(cmd.output().expect("docket runs"))
    }

    /// Runs docket and gives what a reader of a transcript needs: the exit code, stdout
    /// and stderr, with the temporary folder written as `[TMP]` (for snapshots).
    pub fn transcript(&self, args: &[&str]) -> String {
        self.transcript_env(args, &[])
    }

    /// [`Repo::transcript`] with extra environment variables.
    pub fn transcript_env(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let run = self.docket_env(args, env);
        let text = format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            run.code, run.stdout, run.stderr
        );
        let tmp = self.scratch().display().to_string();
        text.replace(&tmp, "[TMP]")
    }

    /// Runs git in the repository; its commits are dated [`CLOCK_START`], so that they,
    /// and the ids docket draws after them, are the same in every run.
    pub fn git(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new("git");
        hermetic(&mut cmd, &self.home);
        cmd.env("GIT_AUTHOR_DATE", CLOCK_START)
            .env("GIT_COMMITTER_DATE", CLOCK_START)
            .current_dir(&self.root)
            .args(args);
        Run::from(cmd.output().expect("git runs"))
    }

    /// Writes a file (creating folders).
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Opens a ticket and returns its id.
    pub fn new_ticket(&self, title: &str) -> String {
        self.docket(&["new", "--title", title, "--body", "Steps to reproduce."])
            .ok()
            .trim()
            .to_string()
    }

    /// The path of a ticket file, from `show --json`.
    pub fn ticket_path(&self, id: &str) -> String {
        let v: serde_json::Value =
            serde_json::from_str(self.docket(&["show", id, "--json"]).ok()).expect("json");
        v["path"].as_str().expect("path").to_string()
    }

    /// `git status --porcelain` output.
    pub fn status(&self) -> String {
        self.git(&["status", "--porcelain"]).ok().to_string()
    }

    /// Number of commits on HEAD.
    pub fn commit_count(&self) -> usize {
        self.git(&["rev-list", "--count", "HEAD"])
            .ok()
            .trim()
            .parse()
            .expect("count")
    }

    /// A hermetic command for `program` in the repository, stdin closed, not yet started:
    /// for tests that start, signal or time the process themselves.
    pub fn command(&self, program: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        hermetic(&mut cmd, &self.home);
        self.fix_clock_and_seed(&mut cmd);
        cmd.current_dir(&self.root).args(args).stdin(Stdio::null());
        cmd
    }

    /// Sets `DOCKET_NOW` and `DOCKET_SEED` for the next command (see [`Repo::runs`]); a
    /// test that passes its own values in `docket_env` overrides them.
    fn fix_clock_and_seed(&self, cmd: &mut Command) {
        let n = self.runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let start: jiff::Timestamp = CLOCK_START.parse().expect("an RFC 3339 time");
        let now = start + jiff::SignedDuration::from_secs(i64::try_from(n).expect("few runs"));
        cmd.env("DOCKET_NOW", now.to_string())
            .env("DOCKET_SEED", n.to_string());
    }

    /// Every file in the tree of `rev` with its content, read with two git processes
    /// (`ls-tree` and `cat-file --batch`) however many files there are.
    pub fn tree_files(&self, rev: &str) -> BTreeMap<String, Vec<u8>> {
        let listing = self.git(&["ls-tree", "-r", "-z", rev]);
        let listing = listing.ok();
        let mut blobs = Vec::new();
        for entry in listing.split('\0').filter(|e| !e.is_empty()) {
            let (meta, path) = entry.split_once('\t').expect("ls-tree entry has a tab");
            let mut fields = meta.split(' ');
            let (_mode, kind, id) = (fields.next(), fields.next(), fields.next());
            if kind == Some("blob") {
                blobs.push((
                    path.to_string(),
                    id.expect("ls-tree entry has an id").to_string(),
                ));
            }
        }
        let mut cmd = Command::new("git");
        hermetic(&mut cmd, &self.home);
        let mut child = cmd
            .current_dir(&self.root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("git cat-file runs");
        let mut stdin = child.stdin.take().expect("piped stdin");
        let request: String = blobs.iter().map(|(_, id)| format!("{id}\n")).collect();
        let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
        let out = child.wait_with_output().expect("git cat-file finishes");
        writer
            .join()
            .expect("the writer thread does not panic")
            .expect("git cat-file reads its input");
        let mut rest = out.stdout.as_slice();
        let mut files = BTreeMap::new();
        for (path, id) in blobs {
            let eol = rest
                .iter()
                .position(|&b| b == b'\n')
                .expect("cat-file header line");
            let header = String::from_utf8_lossy(&rest[..eol]).into_owned();
            let size: usize = header
                .rsplit(' ')
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("cat-file header for {path} ({id}): {header}"));
            let body = &rest[eol + 1..eol + 1 + size];
            files.insert(path, body.to_vec());
            rest = &rest[eol + 1 + size + 1..];
        }
        files
    }

    /// The paths in the tree of `rev` (`git ls-tree -r --name-only`).
    pub fn tree_paths(&self, rev: &str) -> Vec<String> {
        self.git(&["ls-tree", "-r", "--name-only", rev])
            .ok()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Asserts `git fsck` finds nothing wrong.
    #[track_caller]
    pub fn fsck(&self) {
        let run = self.git(&["fsck", "--strict", "--no-dangling"]);
        assert_eq!(
            run.code, 0,
            "git fsck failed:\n{}{}",
            run.stdout, run.stderr
        );
        assert!(!run.stderr.contains("error"), "git fsck: {}", run.stderr);
    }
}

/// A path under fixtures/.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Whether a client program the tests need (hugo, node, chromium) is here; in CI its
/// absence fails the test, elsewhere the test is skipped with a note.
pub fn client(program: &str, args: &[&str]) -> bool {
    let here = Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !here {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "`{program}` is required in CI (.ci/run installs it)"
        );
        eprintln!("note: `{program}` is not installed; skipping (CI installs it)");
    }
    here
}
