//! Locks: docket's own write lock, git's lock files (`index.lock`, `HEAD.lock`, ref locks)
//! taken with a short wait, and the ledger that lets the next docket writer remove a git
//! lock file that a killed docket process provably left.
//!
//! docket's write lock is a kernel lock (`flock`) on `<git_dir>/docket/write.lock`: the
//! kernel releases it with the process however that ends, so it is never stale, and the
//! file itself is permanent (deleting a lock file others may have opened would let two
//! writers in). A leftover `write.lock` of the older create-exclusive format is simply
//! locked like any other. Waiting polls with backoff for up to 30 s and stops at once when
//! an exit was requested (Ctrl-C, SIGTERM).
//!
//! git's lock files are create-exclusive files that only their owner may remove. docket
//! waits about 1.5 s for one (git itself does not wait at all), then fails with
//! [`GitError::Locked`], which names the file and the command that clears it. It deletes
//! one only when it is its own: before taking one, the writer notes in
//! `<git_dir>/docket/held-locks` how to recognise it, and the next writer, holding the
//! write lock and so knowing that writer is gone, removes the lock files that match:
//! - `index.lock` is made as a hard link of a fresh marker file noted beforehand
//!   (`link` fails when the lock exists, as `O_EXCL` does), so a lock with the marker's
//!   inode is certainly docket's, at every instant;
//! - the ref locks (`HEAD.lock`, then `refs/heads/<branch>.lock`) are made by gix inside
//!   one call, which gives no place to note anything in between. So right before each
//!   attempt of the ref transaction docket notes the exact lock paths, docket's fresh
//!   commit id and the file system's clock (the birth time of a stamp file made then), and
//!   forgets them as soon as the attempt failed (gix has removed its locks by then).
//!
//! What a killed ref transaction can leave, in gix's order: an empty `HEAD.lock` (gix
//! creates it, reads HEAD, then writes the id); `HEAD.lock` holding the id; that plus an
//! empty branch lock; both holding the id; or, while committing, the branch lock alone. So
//! a noted ref lock is docket's when HEAD does not yet point at the id (once it does, the
//! transaction went through and consumed its locks, and a lock holding the id belongs to
//! someone who moves a ref to it, `git reset --hard` say) and either
//! - it holds the id, which nobody else knows before docket's commit lands, or
//! - it is empty, was born at or after the note, every lock noted before it is gone or
//!   holds the id, no lock noted after it exists, and it is still the same empty file a
//!   tenth of a second later.
//!
//! Why the empty rule is so narrow: `git commit` itself keeps an empty `HEAD.lock` for its
//! whole ref transaction (including while a `reference-transaction` hook runs), with the
//! branch lock beside it holding git's new id; a lock's emptiness alone proves nothing, and
//! "no later noted lock exists" is what tells such a git apart. The birth time is compared
//! with a stamp file's rather than with the system clock because file systems stamp files
//! from a coarse clock (one scheduler tick, 4 ms here, behind the clock docket reads), so a
//! lock made microseconds after the note usually looks born before it; that comparison once
//! failed for nearly every empty lock, leaving one behind in about 2% of kills. What is left
//! to chance: a git that creates a noted lock in the microseconds between docket's note and
//! docket's own attempt, or between docket's success and its clearing the note, keeps it
//! empty with no branch lock for over 0.1 s, and meets the next docket writer meanwhile.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{GitError, Repo};

/// How long [`Repo::lock_writes`] waits for other docket processes before giving up.
const WRITE_LOCK_WAIT: Duration = Duration::from_secs(30);

/// How long docket waits for a git lock file held by someone else (git waits not at all;
/// a running `git add` or `git commit` holds its locks for milliseconds).
pub(super) const GIT_LOCK_WAIT: Duration = Duration::from_millis(1500);

/// Holds docket's write lock until dropped (or until the process ends, however it ends),
/// so that docket's read-modify-write and commit sequences never interleave.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

impl Repo {
    /// Take docket's write lock `<git_dir>/docket/write.lock`, waiting with backoff up to about
    /// 30 s because many docket processes may queue here, and less when an exit is
    /// requested ([`GitError::Interrupted`]). Once it is held, no other docket writer of this
    /// repository is alive, so the git lock files a killed one provably left are removed.
    pub fn lock_writes(&self) -> Result<WriteLock, GitError> {
        let dir = self.docket_dir();
        std::fs::create_dir_all(&dir).map_err(|source| GitError::Io {
            path: dir.clone(),
            source,
        })?;
        let path = dir.join("write.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| GitError::Io {
                path: path.clone(),
                source,
            })?;
        let start = Instant::now();
        let mut pause = Duration::from_millis(2);
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(source)) => {
                    return Err(GitError::Io { path, source });
                }
            }
            if crate::interrupt::exit_requested() {
                return Err(GitError::Interrupted);
            }
            if start.elapsed() >= WRITE_LOCK_WAIT {
                return Err(GitError::WriteLockTimeout {
                    path,
                    waited: WRITE_LOCK_WAIT.as_secs(),
                });
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
        self.remove_own_stale_locks()?;
        Ok(WriteLock { _file: file })
    }

    /// Whether another docket process holds the write lock right now (a read command
    /// then leaves a pending change to that writer).
    pub fn writer_active(&self) -> bool {
        let Ok(file) = File::open(self.docket_dir().join("write.lock")) else {
            return false;
        };
        matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
    }

    /// `<git_dir>/docket`, where docket keeps its lock and records.
    pub(super) fn docket_dir(&self) -> PathBuf {
        self.git_dir.join("docket")
    }

    /// Remove the git lock files the ledger proves were left by a docket writer of this
    /// repository that is gone, then the ledger. Call only while holding the write lock.
    fn remove_own_stale_locks(&self) -> Result<(), GitError> {
        let ledger = Ledger::path(self);
        let text = match std::fs::read_to_string(&ledger) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(GitError::Io {
                    path: ledger,
                    source,
                });
            }
        };
        let mut stale = Vec::new();
        // Ref notes in the order gix takes the locks, one group per commit id.
        let mut groups: Vec<(String, Vec<RefNote>)> = Vec::new();
        for entry in text.lines().filter_map(LedgerEntry::parse) {
            match entry {
                LedgerEntry::Mark { mark, path } => {
                    if mark_matches(&mark, &path) {
                        stale.push(path);
                    }
                }
                LedgerEntry::Ref { id, since, path } => {
                    let note = RefNote { since, path };
                    match groups.iter_mut().find(|(other, _)| *other == id) {
                        Some((_, notes)) => notes.push(note),
                        None => groups.push((id, vec![note])),
                    }
                }
            }
        }
        if !groups.is_empty() {
            // Once HEAD points at the commit, its transaction went through and used up its
            // locks: a lock at those paths now is someone else's.
            let head = self.head_commit().ok().flatten();
            for (id, notes) in &groups {
                if head.as_deref() != Some(id.as_str()) {
                    stale.extend(own_ref_locks(id, notes));
                }
            }
        }
        for path in stale {
            remove_if_present(&path)?;
        }
        remove_if_present(&ledger)?;
        // Marker files whose note was cleared are left by a kill after the lock was released.
        if let Ok(entries) = std::fs::read_dir(self.docket_dir().join("locks")) {
            for e in entries.filter_map(Result::ok) {
                let _ = std::fs::remove_file(e.path());
            }
        }
        Ok(())
    }

    /// Wait briefly while a lock file git or docket would need for a commit exists
    /// (`index.lock`, `HEAD.lock`, the branch's lock), so that a change is refused before
    /// any file is written when a `git commit` is in progress or one stopped and left its
    /// lock: [`GitError::Locked`] names the file.
    pub fn ensure_unlocked(&self) -> Result<(), GitError> {
        let mut candidates = vec![self.lock_path_of(&self.repo.index_path())];
        candidates.extend(self.ref_lock_paths());
        let start = Instant::now();
        loop {
            let Some(held) = candidates.iter().find(|p| p.exists()) else {
                return Ok(());
            };
            wait_or_fail(held, start)?;
        }
    }

    /// The lock files a commit on HEAD takes: `HEAD.lock` and, on a branch, the branch's.
    pub(super) fn ref_lock_paths(&self) -> Vec<PathBuf> {
        let mut out = vec![self.git_dir.join("HEAD.lock")];
        if let Ok(Some(name)) = self.repo.head_name() {
            let mut p = self.repo.common_dir().to_path_buf();
            p.extend(name.as_bstr().to_string().split('/'));
            out.push(lock_path(&p));
        }
        out
    }

    /// The lock file git uses for `resource`.
    pub(super) fn lock_path_of(&self, resource: &Path) -> PathBuf {
        lock_path(resource)
    }

    /// Take `<resource>.lock` for updating `resource`, waiting briefly if someone holds it;
    /// the lock is made so that the next writer can tell it is docket's (see the module
    /// documentation) if this process is killed before releasing it.
    pub(super) fn lock_file(
        &self,
        resource: &Path,
        ledger: &mut Ledger,
    ) -> Result<OwnedLock, GitError> {
        let lock = lock_path(resource);
        let dir = self.docket_dir().join("locks");
        std::fs::create_dir_all(&dir).map_err(|source| GitError::Io {
            path: dir.clone(),
            source,
        })?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let mark = dir.join(format!("{}.{}", std::process::id(), now.as_nanos()));
        ledger.note_mark(&mark, &lock)?;
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| GitError::Io { path, source }
        };
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&mark)
            .map_err(io(&mark))?;
        let start = Instant::now();
        loop {
            match std::fs::hard_link(&mark, &lock) {
                Ok(()) => {
                    return Ok(OwnedLock {
                        lock,
                        mark,
                        resource: resource.to_owned(),
                        file: Some(file),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if let Err(e) = wait_or_fail(&lock, start) {
                        let _ = std::fs::remove_file(&mark);
                        return Err(e);
                    }
                }
                // A file system without hard links: take the lock as git does (create
                // exclusive); if this process is killed, the next one only reports it.
                Err(_) => {
                    let _ = std::fs::remove_file(&mark);
                    return self.create_lock(resource, &lock, &mark, start);
                }
            }
        }
    }
}

impl Repo {
    /// Take `lock` by creating it exclusively, waiting briefly while it exists.
    fn create_lock(
        &self,
        resource: &Path,
        lock: &Path,
        mark: &Path,
        start: Instant,
    ) -> Result<OwnedLock, GitError> {
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(lock)
            {
                Ok(file) => {
                    return Ok(OwnedLock {
                        lock: lock.to_owned(),
                        mark: mark.to_owned(),
                        resource: resource.to_owned(),
                        file: Some(file),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    wait_or_fail(lock, start)?;
                }
                Err(source) => {
                    return Err(GitError::Io {
                        path: lock.to_owned(),
                        source,
                    });
                }
            }
        }
    }
}

/// A git lock file docket holds (such as `index.lock`): written through, then renamed over
/// its resource by [`OwnedLock::commit`], or removed when dropped.
#[derive(Debug)]
pub(super) struct OwnedLock {
    lock: PathBuf,
    mark: PathBuf,
    resource: PathBuf,
    file: Option<File>,
}

impl std::io::Write for OwnedLock {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(std::io::Error::other("the lock was released")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl OwnedLock {
    /// Put the written content in place of the resource (the rename releases the lock).
    pub(super) fn commit(mut self) -> std::io::Result<()> {
        self.file.take();
        std::fs::rename(&self.lock, &self.resource)?;
        let _ = std::fs::remove_file(&self.mark);
        Ok(())
    }
}

impl Drop for OwnedLock {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.lock);
            let _ = std::fs::remove_file(&self.mark);
        }
    }
}

/// Sleep a little if `held` has been waited for less than [`GIT_LOCK_WAIT`] since `start`;
/// otherwise (or when an exit is requested) fail, naming it.
pub(super) fn wait_or_fail(held: &Path, start: Instant) -> Result<(), GitError> {
    if crate::interrupt::exit_requested() {
        return Err(GitError::Interrupted);
    }
    if start.elapsed() >= GIT_LOCK_WAIT {
        return Err(GitError::Locked {
            path: held.to_owned(),
        });
    }
    std::thread::sleep(Duration::from_millis(25));
    Ok(())
}

/// The lock file git uses for `resource`.
fn lock_path(resource: &Path) -> PathBuf {
    let mut p = resource.as_os_str().to_owned();
    p.push(".lock");
    PathBuf::from(p)
}

fn remove_if_present(path: &Path) -> Result<(), GitError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(GitError::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

/// What identifies the git lock files one commit takes, written to
/// `<git_dir>/docket/held-locks` while they may exist (see the module documentation).
pub(super) struct Ledger {
    path: PathBuf,
    lines: Vec<String>,
}

impl Ledger {
    /// An empty ledger for a commit in `repo` (nothing is written until something is noted).
    pub(super) fn new(repo: &Repo) -> Ledger {
        Ledger {
            path: Ledger::path(repo),
            lines: Vec::new(),
        }
    }

    fn path(repo: &Repo) -> PathBuf {
        repo.docket_dir().join("held-locks")
    }

    /// Note that `lock`, if it is a hard link of the marker file `mark`, is this process's.
    fn note_mark(&mut self, mark: &Path, lock: &Path) -> Result<(), GitError> {
        self.lines
            .push(format!("mark\t{}\t{}", mark.display(), lock.display()));
        self.save()
    }

    /// Note, right before one attempt of the ref transaction, that the ref lock files at
    /// `locks` (in the order gix takes them) may be this process's from now on: when they
    /// hold `new_id` (a commit nobody else knows yet) or, under the module documentation's
    /// rule, are empty and born from now on, by the file system's own clock.
    pub(super) fn note_refs(
        &mut self,
        repo: &Repo,
        locks: &[PathBuf],
        new_id: &str,
    ) -> Result<(), GitError> {
        self.lines.retain(|l| !l.starts_with("ref\t"));
        let now = file_system_now(&repo.docket_dir().join("locks"))?;
        for lock in locks {
            self.lines
                .push(format!("ref\t{new_id}\t{now}\t{}", lock.display()));
        }
        self.save()
    }

    /// Forget the ref locks noted: an attempt of the ref transaction failed, and gix has
    /// removed the locks it took, so none of them is this process's any more (a lock found
    /// there now is someone else's).
    pub(super) fn forget_refs(&mut self) -> Result<(), GitError> {
        let before = self.lines.len();
        self.lines.retain(|l| !l.starts_with("ref\t"));
        if self.lines.len() == before {
            Ok(())
        } else if self.lines.is_empty() {
            remove_if_present(&self.path)
        } else {
            self.save()
        }
    }

    fn save(&self) -> Result<(), GitError> {
        let io = |source| GitError::Io {
            path: self.path.clone(),
            source,
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut text = self.lines.join("\n");
        text.push('\n');
        // A process kill does not lose page-cache writes; after a power loss an unproven
        // lock is only reported, never removed, so no fsync is needed.
        let mut file = File::create(&self.path).map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)
    }

    /// Forget everything noted: the locks were released.
    pub(super) fn clear(&mut self) -> Result<(), GitError> {
        if self.lines.is_empty() {
            return Ok(());
        }
        self.lines.clear();
        remove_if_present(&self.path)
    }
}

/// One line of the ledger.
enum LedgerEntry {
    Mark {
        mark: PathBuf,
        path: PathBuf,
    },
    Ref {
        id: String,
        since: u128,
        path: PathBuf,
    },
}

impl LedgerEntry {
    fn parse(line: &str) -> Option<LedgerEntry> {
        let mut parts = line.splitn(4, '\t');
        match parts.next()? {
            "mark" => {
                let mark = PathBuf::from(parts.next()?);
                let path = PathBuf::from(parts.next()?);
                Some(LedgerEntry::Mark { mark, path })
            }
            "ref" => {
                let id = parts.next()?.to_owned();
                let since = parts.next()?.parse().ok()?;
                let path = PathBuf::from(parts.next()?);
                Some(LedgerEntry::Ref { id, since, path })
            }
            _ => None,
        }
    }
}

/// One ref lock noted before a ref transaction: where, and the file system's time then.
struct RefNote {
    since: u128,
    path: PathBuf,
}

/// Whether `path` names a git lock file (only those are ever removed).
fn is_lock_name(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(".lock"))
}

/// Whether the lock `path` is still a hard link of the marker `mark` noted before it was
/// taken; removes the marker either way.
fn mark_matches(mark: &Path, path: &Path) -> bool {
    let same = is_lock_name(path)
        && match (
            std::fs::symlink_metadata(mark),
            std::fs::symlink_metadata(path),
        ) {
            (Ok(m), Ok(l)) => m.is_file() && same_inode(&m, &l),
            _ => false,
        };
    let _ = std::fs::remove_file(mark);
    same
}

/// What one noted ref lock file holds now.
enum RefLock {
    Absent,
    /// Empty, with its metadata.
    Empty(std::fs::Metadata),
    /// Holds the noted commit id.
    Own,
    /// Anything else: someone else's.
    Other,
}

fn read_ref_lock(path: &Path, id: &str) -> RefLock {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return RefLock::Absent,
        Err(_) => return RefLock::Other,
    };
    if !meta.is_file() {
        return RefLock::Other;
    }
    let mut text = String::new();
    let read = File::open(path).and_then(|f| f.take(200).read_to_string(&mut text));
    match read {
        Ok(_) if text.is_empty() => RefLock::Empty(meta),
        Ok(_) if text.trim_end() == id => RefLock::Own,
        Ok(_) => RefLock::Other,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => RefLock::Absent,
        Err(_) => RefLock::Other,
    }
}

/// The lock files among `notes` (one ref transaction's, in the order gix takes them, for
/// commit `id`) that the module documentation's rule proves are docket's.
fn own_ref_locks(id: &str, notes: &[RefNote]) -> Vec<PathBuf> {
    let states: Vec<RefLock> = notes
        .iter()
        .map(|n| {
            if is_lock_name(&n.path) {
                read_ref_lock(&n.path, id)
            } else {
                RefLock::Other
            }
        })
        .collect();
    let mut own = Vec::new();
    for (i, (note, state)) in notes.iter().zip(&states).enumerate() {
        match state {
            RefLock::Own => own.push(note.path.clone()),
            RefLock::Empty(meta) => {
                let earlier_done = states[..i]
                    .iter()
                    .all(|s| matches!(s, RefLock::Absent | RefLock::Own));
                let later_absent = states[i + 1..].iter().all(|s| matches!(s, RefLock::Absent));
                let born_since = birth(meta).is_some_and(|b| b >= note.since);
                if earlier_done && later_absent && born_since && still_empty(&note.path, meta) {
                    own.push(note.path.clone());
                }
            }
            RefLock::Absent | RefLock::Other => {}
        }
    }
    own
}

/// Whether the empty lock `path` is still the same empty file a tenth of a second later
/// (git fills a lock it writes within microseconds of creating it).
fn still_empty(path: &Path, before: &std::fs::Metadata) -> bool {
    std::thread::sleep(Duration::from_millis(100));
    std::fs::symlink_metadata(path)
        .is_ok_and(|now| now.is_file() && now.len() == 0 && same_inode(before, &now))
}

/// Whether two files are one (hard links of each other).
#[cfg(unix)]
fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Without inode numbers nothing is provably docket's: such a lock is only reported.
#[cfg(not(unix))]
fn same_inode(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// The file system's clock now, as it stamps a file created in `dir`: the birth time of a
/// fresh stamp file, which is then removed. This clock runs up to a scheduler tick behind
/// the system clock, so it is the one to compare other files' birth times with.
fn file_system_now(dir: &Path) -> Result<u128, GitError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| GitError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let stamp = dir.join(format!("stamp.{}.{nanos}", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&stamp)
        .map_err(io(&stamp))?;
    let meta = file.metadata().map_err(io(&stamp));
    drop(file);
    let _ = std::fs::remove_file(&stamp);
    // Without a file-system time nothing empty can be proven born since: noting 0 would
    // prove too much, so note the largest time instead.
    Ok(birth(&meta?).unwrap_or(u128::MAX))
}

/// The birth time of a file in nanoseconds since the epoch: its creation time where the
/// file system keeps one, else its status-change time (for a lock file never written nor
/// renamed, that is when it was made).
fn birth(meta: &std::fs::Metadata) -> Option<u128> {
    if let Ok(t) = meta.created() {
        return Some(t.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos());
    }
    ctime(meta)
}

#[cfg(unix)]
fn ctime(meta: &std::fs::Metadata) -> Option<u128> {
    use std::os::unix::fs::MetadataExt as _;
    let secs = u128::try_from(meta.ctime()).ok()?;
    let nanos = u128::try_from(meta.ctime_nsec()).ok()?;
    Some(secs * 1_000_000_000 + nanos)
}

#[cfg(not(unix))]
fn ctime(_: &std::fs::Metadata) -> Option<u128> {
    None
}
