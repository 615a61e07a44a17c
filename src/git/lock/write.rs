//! docket's write lock, so that docket's read-modify-write and commit sequences never
//! interleave.
//!
//! docket's write lock is a kernel lock (`flock`) on `<git_dir>/docket/write.lock`: the
//! kernel releases it with the process however that ends, so it is never stale, and the
//! file itself is permanent (deleting a lock file others may have opened would let two
//! writers in). A leftover `write.lock` of the older create-exclusive format is simply
//! locked like any other. Waiting polls with backoff for up to 30 s and stops at once when
//! an exit was requested (Ctrl-C, SIGTERM).

use std::fs::File;
use std::time::{Duration, Instant};

use crate::git::{GitError, Repo};

/// How long [`Repo::lock_writes`] waits for other docket processes before giving up.
const WRITE_LOCK_WAIT: Duration = Duration::from_secs(30);

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
}
