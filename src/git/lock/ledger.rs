//! The ledger `<git_dir>/docket/held-locks`: what identifies the git lock files one commit
//! takes, so that the next docket writer, holding the write lock and so knowing that writer
//! is gone, removes the lock files a killed docket provably left and no others.
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
use std::time::Duration;

use super::remove_if_present;
use crate::git::{GitError, Repo};

impl Repo {
    /// Remove the git lock files the ledger proves were left by a docket writer of this
    /// repository that is gone, then the ledger. Call only while holding the write lock.
    pub(super) fn remove_own_stale_locks(&self) -> Result<(), GitError> {
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
}

/// What identifies the git lock files one commit takes, written to
/// `<git_dir>/docket/held-locks` while they may exist (see the module documentation).
pub(in crate::git) struct Ledger {
    path: PathBuf,
    lines: Vec<String>,
}

impl Ledger {
    /// An empty ledger for a commit in `repo` (nothing is written until something is noted).
    pub(in crate::git) fn new(repo: &Repo) -> Ledger {
        Ledger {
            path: Ledger::path(repo),
            lines: Vec::new(),
        }
    }

    fn path(repo: &Repo) -> PathBuf {
        repo.docket_dir().join("held-locks")
    }

    /// Note that `lock`, if it is a hard link of the marker file `mark`, is this process's.
    pub(super) fn note_mark(&mut self, mark: &Path, lock: &Path) -> Result<(), GitError> {
        self.lines
            .push(format!("mark\t{}\t{}", mark.display(), lock.display()));
        self.save()
    }

    /// Note, right before one attempt of the ref transaction, that the ref lock files at
    /// `locks` (in the order gix takes them) may be this process's from now on: when they
    /// hold `new_id` (a commit nobody else knows yet) or, under the module documentation's
    /// rule, are empty and born from now on, by the file system's own clock.
    pub(in crate::git) fn note_refs(
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
    pub(in crate::git) fn forget_refs(&mut self) -> Result<(), GitError> {
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
    pub(in crate::git) fn clear(&mut self) -> Result<(), GitError> {
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
    let nanos = crate::clock::now_ns();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_lines_parse_back_and_garbage_is_skipped() {
        let mark = LedgerEntry::parse("mark\t/g/docket/locks/7.1\t/g/index.lock");
        assert!(
            matches!(mark, Some(LedgerEntry::Mark { ref mark, ref path })
            if mark == Path::new("/g/docket/locks/7.1") && path == Path::new("/g/index.lock"))
        );
        let r = LedgerEntry::parse("ref\tabc123\t42\t/g/HEAD.lock");
        assert!(
            matches!(r, Some(LedgerEntry::Ref { ref id, since: 42, ref path })
            if id == "abc123" && path == Path::new("/g/HEAD.lock"))
        );
        for bad in [
            "",
            "mark",
            "mark\tonly-one",
            "ref\tid\tnot-a-number\t/p",
            "other\ta\tb",
        ] {
            assert!(LedgerEntry::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn only_files_named_like_git_locks_may_be_removed() {
        assert!(is_lock_name(Path::new("/g/refs/heads/main.lock")));
        assert!(!is_lock_name(Path::new("/g/refs/heads/main")));
        assert!(!is_lock_name(Path::new("/g/index")));
    }

    #[test]
    fn a_noted_ref_lock_that_holds_another_id_is_not_docket_s() {
        let dir = std::env::temp_dir().join(format!("docket-ledger-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let head = dir.join("HEAD.lock");
        std::fs::write(&head, "someone-else\n").expect("write lock");
        let notes = [RefNote {
            since: 0,
            path: head.clone(),
        }];
        assert!(own_ref_locks("docket-id", &notes).is_empty());
        std::fs::write(&head, "docket-id\n").expect("write lock");
        assert_eq!(own_ref_locks("docket-id", &notes), vec![head]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
