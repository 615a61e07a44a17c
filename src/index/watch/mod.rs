//! Freshness on large desks without statting every file: a watcher process.
//!
//! Statting the 400,000 files of a 100,000-ticket desk takes over a second, and folder
//! mtimes do not change when an editor rewrites a file in place. So on a large desk a
//! background `docket watch` process keeps inotify watches on every data folder and
//! appends what changed to a journal under `<git_dir>/docket/watch/`:
//!
//! - `f PATH` a data file (`.md`) was created, written, renamed or deleted;
//! - `d PATH` a folder was created, renamed or deleted;
//! - `c NAME` the cookie file `NAME` appeared (see below);
//! - `!` events were lost (queue overflow, a root folder went away): stat everything.
//!
//! Paths are written as the manifest writes them (repository-relative).
//!
//! A reader asks "what changed since offset N of session S?" like git's fsmonitor does:
//! it creates a cookie file in the watched `cookies/` folder and waits for the cookie's
//! line in the journal. inotify delivers events of one instance in order, so every
//! change made before the cookie is in the journal above its line. The reader then
//! reindexes only what those lines name, whatever their timestamps say.
//!
//! The library never decides by itself how to start a watcher process: the caller hands
//! a [`Launcher`] (the `docket` binary's runs `docket -C ROOT watch --idle-exit N`), and
//! without one no watcher is started.
//!
//! The watcher holds an exclusive lock on `lock` for its whole life; a session is live
//! only while that lock is held, and `session` names it. A session's journal starts
//! empty, so the first sync under a new session stats every file once.

mod launch;
#[cfg(target_os = "linux")]
mod linux;

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::clock::now_ns;
use crate::store::Store;

pub use launch::{Launcher, start};

/// The journal format; readers trust only a watcher that writes this one (an older
/// binary's watcher may still run after an upgrade).
const PROTOCOL: &str = "1";
/// How long a reader waits for its cookie before statting everything instead.
const COOKIE_WAIT: Duration = Duration::from_secs(2);
/// A watcher started by a reader exits after this long without a reader.
pub const IDLE_EXIT: Duration = Duration::from_secs(2 * 60 * 60);
/// After a watcher failed (too few inotify watches, say), readers do not start
/// another for this long.
const RETRY_AFTER: Duration = Duration::from_secs(60 * 60);

/// The watcher's folder under the git directory.
#[derive(Debug, Clone)]
pub struct WatchDir(PathBuf);

impl WatchDir {
    /// The watcher folder of a repository.
    pub fn of(git_dir: &Path) -> WatchDir {
        WatchDir(git_dir.join("docket").join("watch"))
    }

    fn lock(&self) -> PathBuf {
        self.0.join("lock")
    }

    fn session(&self) -> PathBuf {
        self.0.join("session")
    }

    fn cookies(&self) -> PathBuf {
        self.0.join("cookies")
    }

    fn failed(&self) -> PathBuf {
        self.0.join("failed")
    }

    fn journal(&self, id: &str) -> PathBuf {
        self.0.join(format!("journal-{id}"))
    }
}

/// A folder a watcher covers: the name the manifest gives it, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// As the manifest writes it (relative to the work tree, or absolute).
    pub rel: String,
    /// The folder on disk.
    pub abs: PathBuf,
}

/// The data folders of a desk that exist now: tickets, KB, customers.
pub fn roots(store: &Store) -> Vec<Root> {
    store
        .data_folders()
        .into_iter()
        .map(|f| Root {
            abs: store.abs(&f.rel),
            rel: f.rel,
        })
        .filter(|r| r.abs.is_dir())
        .collect()
}

/// What went wrong running a watcher.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// Another watcher already serves this repository.
    #[error("a watcher is already running for this repository")]
    AlreadyRunning,
    /// This system has no inotify.
    #[error("watching folders needs Linux inotify, which this system does not have")]
    Unsupported,
    /// The kernel allows fewer watches than the desk has folders.
    #[error(
        "the kernel allows {limit} inotify watches per user and this desk has more folders than that"
    )]
    TooManyFolders {
        /// `fs.inotify.max_user_watches`, if readable.
        limit: String,
    },
    /// A file of the watcher could not be read or written.
    #[error("{path}: {error}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error, shown in the message (not as a separate cause).
        error: std::io::Error,
    },
}

impl WatchError {
    fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> WatchError {
        let path = path.into();
        move |error| WatchError::Io { path, error }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            WatchError::AlreadyRunning => {
                Some("`docket watch --status` shows it; `docket watch --stop` stops it".into())
            }
            WatchError::TooManyFolders { .. } => Some(
                "raise it with `sudo sysctl fs.inotify.max_user_watches=1048576`; until then docket checks folder stamps and sees in-place edits within 5 minutes"
                    .into(),
            ),
            WatchError::Unsupported => Some(
                "docket checks folder stamps instead and sees in-place edits within 5 minutes"
                    .into(),
            ),
            WatchError::Io { .. } => None,
        }
    }
}

/// A running watcher's session, as a reader sees it.
#[derive(Debug, Clone)]
pub struct Live {
    /// The session id (the journal's name).
    pub id: String,
    /// The watcher's process id.
    pub pid: u32,
    /// How many folders it watches.
    pub folders: usize,
    /// The roots it watches (their manifest names).
    pub roots: Vec<String>,
    dir: WatchDir,
}

/// What changed since an offset of a session's journal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Data files that changed (created, written, renamed or deleted).
    pub files: BTreeSet<String>,
    /// Folders created, renamed or deleted.
    pub dirs: BTreeSet<String>,
    /// Events were lost: stat everything.
    pub rescan: bool,
    /// The journal offset after the reader's cookie: where the next reader starts.
    pub end: u64,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.dirs.is_empty() && !self.rescan
    }
}

/// Whether another process holds the watcher lock (a watcher is running).
fn lock_held(dir: &WatchDir) -> bool {
    let Ok(f) = File::open(dir.lock()) else {
        return false;
    };
    match f.try_lock_shared() {
        Ok(()) => {
            let _ = f.unlock();
            false
        }
        Err(fs::TryLockError::WouldBlock) => true,
        Err(fs::TryLockError::Error(_)) => false,
    }
}

/// Whether a watcher runs whose session this binary cannot read (an older docket's).
pub fn outdated(git_dir: &Path) -> bool {
    let dir = WatchDir::of(git_dir);
    fs::read_to_string(dir.session())
        .is_ok_and(|text| parse_session(&text, dir.clone()).is_none() && lock_held(&dir))
}

/// The live session of a repository's watcher, if one is running and ready.
pub fn live(git_dir: &Path) -> Option<Live> {
    let dir = WatchDir::of(git_dir);
    let text = fs::read_to_string(dir.session()).ok()?;
    if !lock_held(&dir) {
        return None;
    }
    parse_session(&text, dir)
}

fn parse_session(text: &str, dir: WatchDir) -> Option<Live> {
    let mut protocol = "";
    let mut live = Live {
        id: String::new(),
        pid: 0,
        folders: 0,
        roots: Vec::new(),
        dir,
    };
    for line in text.lines() {
        let (key, value) = line.split_once(' ')?;
        match key {
            "protocol" => protocol = value,
            "id" => live.id = value.to_string(),
            "pid" => live.pid = value.parse().ok()?,
            "folders" => live.folders = value.parse().ok()?,
            "root" => live.roots.push(value.to_string()),
            _ => {}
        }
    }
    (!live.id.is_empty() && protocol == PROTOCOL).then_some(live)
}

fn session_text(id: &str, folders: usize, roots: &[Root]) -> String {
    let mut text = format!(
        "protocol {PROTOCOL}\nid {id}\npid {}\nfolders {folders}\n",
        std::process::id()
    );
    for r in roots {
        text.push_str(&format!("root {}\n", r.rel));
    }
    text
}

impl Live {
    /// How far the watcher has written its journal, in bytes: the position the next
    /// sync catches up to. `None` when the journal cannot be read.
    pub fn journal_len(&self) -> Option<u64> {
        fs::metadata(self.dir.journal(&self.id))
            .ok()
            .map(|m| m.len())
    }

    /// Whether this session watches exactly the data folders that exist now.
    pub fn covers(&self, roots: &[Root]) -> bool {
        self.roots.len() == roots.len() && roots.iter().all(|r| self.roots.contains(&r.rel))
    }

    /// What changed from `from` (a journal offset of this session) until now: drops a
    /// cookie and waits for the watcher to journal it. `None` when the watcher does not
    /// answer in time or has gone.
    pub fn changes(&self, from: u64) -> Option<Changes> {
        let name = format!("{}-{}", std::process::id(), now_ns().rem_euclid(1 << 62));
        let cookie = self.dir.cookies().join(&name);
        File::create_new(&cookie).ok()?;
        let found = self.wait_for(&name, from);
        let _ = fs::remove_file(&cookie);
        found
    }

    fn wait_for(&self, cookie: &str, from: u64) -> Option<Changes> {
        let mut journal = File::open(self.dir.journal(&self.id)).ok()?;
        if journal.metadata().ok()?.len() < from {
            return None;
        }
        journal.seek(SeekFrom::Start(from)).ok()?;
        let start = Instant::now();
        let mut nap = Duration::from_micros(50);
        let mut last_check = Instant::now();
        let mut buf = Vec::new();
        let mut changes = Changes::default();
        let mut parsed = 0;
        loop {
            journal.read_to_end(&mut buf).ok()?;
            while let Some(nl) = buf[parsed..].iter().position(|b| *b == b'\n') {
                let line = String::from_utf8_lossy(&buf[parsed..parsed + nl]).into_owned();
                parsed += nl + 1;
                match line.split_once(' ') {
                    Some(("c", name)) if name == cookie => {
                        changes.end = from + parsed as u64;
                        return Some(changes);
                    }
                    Some(("c", _)) => {}
                    Some(("f", path)) => {
                        changes.files.insert(path.to_string());
                    }
                    Some(("d", path)) => {
                        changes.dirs.insert(path.to_string());
                    }
                    _ => changes.rescan = true,
                }
            }
            if start.elapsed() > COOKIE_WAIT {
                return None;
            }
            if last_check.elapsed() > Duration::from_millis(100) {
                if !lock_held(&self.dir) {
                    return None;
                }
                last_check = Instant::now();
            }
            std::thread::sleep(nap);
            nap = (nap * 2).min(Duration::from_millis(2));
        }
    }
}

/// Asks a repository's watcher to stop; waits up to 5 s for it. Returns whether one was
/// running.
pub fn stop(git_dir: &Path) -> bool {
    let dir = WatchDir::of(git_dir);
    if !lock_held(&dir) {
        return false;
    }
    request_stop(&dir);
    let start = Instant::now();
    while lock_held(&dir) && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

fn request_stop(dir: &WatchDir) {
    let _ = fs::create_dir_all(dir.cookies());
    let _ = File::create(dir.cookies().join("stop"));
}

/// What `docket watch --status` reports.
#[derive(Debug, Clone)]
pub enum Status {
    /// A watcher serves the repository.
    Running(Live),
    /// A watcher is starting (it holds the lock but is not ready yet).
    Starting,
    /// None runs; the last one failed with this message, if it did.
    Stopped(Option<String>),
}

/// The watcher state of a repository.
pub fn status(git_dir: &Path) -> Status {
    let dir = WatchDir::of(git_dir);
    if let Some(live) = live(git_dir) {
        return Status::Running(live);
    }
    if lock_held(&dir) {
        return Status::Starting;
    }
    Status::Stopped(
        fs::read_to_string(dir.failed())
            .ok()
            .map(|s| s.trim().to_string()),
    )
}

/// Whether readers may start a watcher: not turned off with `DOCKET_WATCH=0`, on a
/// system with inotify, and no watcher failed within the last hour.
pub fn may_start(git_dir: &Path) -> bool {
    if std::env::var("DOCKET_WATCH").is_ok_and(|v| v == "0" || v == "off") {
        return false;
    }
    if !cfg!(target_os = "linux") {
        return false;
    }
    let failed = WatchDir::of(git_dir).failed();
    !fs::metadata(failed)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().unwrap_or_default() < RETRY_AFTER)
}

/// Runs a watcher in this process until it is stopped, the watched folders go away, or
/// no reader came for `idle` (when given). `ready` is called once the watches are in
/// place.
pub fn run(
    store: &Store,
    git_dir: &Path,
    idle: Option<Duration>,
    ready: impl FnOnce(&Live),
) -> Result<(), WatchError> {
    #[cfg(target_os = "linux")]
    {
        linux::run(store, &WatchDir::of(git_dir), idle, ready)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (store, git_dir, idle, ready);
        Err(WatchError::Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_file_round_trips() {
        let roots = vec![
            Root {
                rel: "support/tickets".into(),
                abs: PathBuf::from("/r/support/tickets"),
            },
            Root {
                rel: "/elsewhere/customers".into(),
                abs: PathBuf::from("/elsewhere/customers"),
            },
        ];
        let text = session_text("42-7", 9, &roots);
        let live = parse_session(&text, WatchDir(PathBuf::from("/x"))).expect("parses");
        assert_eq!(live.id, "42-7");
        assert_eq!(live.folders, 9);
        assert!(live.covers(&roots));
        assert!(!live.covers(&roots[..1]));
        assert!(parse_session("pid 3\n", WatchDir(PathBuf::from("/x"))).is_none());
        let other = text.replace("protocol 1", "protocol 0");
        assert!(parse_session(&other, WatchDir(PathBuf::from("/x"))).is_none());
    }

    #[test]
    fn a_recent_failure_keeps_readers_from_starting_watchers() {
        let tmp = tempfile::tempdir().expect("temp");
        let dir = WatchDir::of(tmp.path());
        fs::create_dir_all(&dir.0).expect("mkdir");
        let allowed = std::env::var_os("DOCKET_WATCH").is_none() && cfg!(target_os = "linux");
        assert_eq!(may_start(tmp.path()), allowed);
        fs::write(dir.failed(), "too few watches\n").expect("write");
        assert!(!may_start(tmp.path()));
        match status(tmp.path()) {
            Status::Stopped(Some(why)) => assert_eq!(why, "too few watches"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_reader_gets_the_lines_above_its_cookie() {
        let tmp = tempfile::tempdir().expect("temp");
        let dir = WatchDir(tmp.path().to_path_buf());
        fs::create_dir_all(dir.cookies()).expect("mkdir");
        let head = "c old\nf a/b.md\n";
        fs::write(
            dir.journal("s"),
            format!("{head}d a/c\n!\nc mine\nf after.md\n"),
        )
        .expect("write");
        let live = Live {
            id: "s".into(),
            pid: 1,
            folders: 1,
            roots: Vec::new(),
            dir: dir.clone(),
        };
        let ch = live.wait_for("mine", 0).expect("found");
        assert!(ch.files.contains("a/b.md") && !ch.files.contains("after.md"));
        assert!(ch.dirs.contains("a/c"));
        assert!(ch.rescan);
        assert_eq!(ch.end as usize, head.len() + "d a/c\n!\nc mine\n".len());
        let later = live.wait_for("mine", head.len() as u64).expect("found");
        assert!(later.files.is_empty());
        // Past the end of the journal: not this session's offset.
        assert!(live.wait_for("mine", 10_000).is_none());
    }
}
