//! git's lock files (`index.lock`, `HEAD.lock`, ref locks), taken with a short wait.
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
//! See [`super::ledger`] for how the next writer tells such a lock was left by docket.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::ledger::Ledger;
use super::lock_path;
use crate::git::{GitError, Repo};

/// How long docket waits for a git lock file held by someone else (git waits not at all;
/// a running `git add` or `git commit` holds its locks for milliseconds).
pub(in crate::git) const GIT_LOCK_WAIT: Duration = Duration::from_millis(1500);

impl Repo {
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
    pub(in crate::git) fn ref_lock_paths(&self) -> Vec<PathBuf> {
        let mut out = vec![self.git_dir.join("HEAD.lock")];
        if let Ok(Some(name)) = self.repo.head_name() {
            let mut p = self.repo.common_dir().to_path_buf();
            p.extend(name.as_bstr().to_string().split('/'));
            out.push(lock_path(&p));
        }
        out
    }

    /// The lock file git uses for `resource`.
    pub(in crate::git) fn lock_path_of(&self, resource: &Path) -> PathBuf {
        lock_path(resource)
    }

    /// Take `<resource>.lock` for updating `resource`, waiting briefly if someone holds it;
    /// the lock is made so that the next writer can tell it is docket's (see the module
    /// documentation) if this process is killed before releasing it.
    pub(in crate::git) fn lock_file(
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
        let now = crate::clock::now_ns();
        let mark = dir.join(format!("{}.{now}", std::process::id()));
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
pub(in crate::git) struct OwnedLock {
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
    pub(in crate::git) fn commit(mut self) -> std::io::Result<()> {
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
pub(in crate::git) fn wait_or_fail(held: &Path, start: Instant) -> Result<(), GitError> {
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
