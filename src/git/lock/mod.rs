//! Locks: docket's own write lock ([`write`]), git's lock files taken with a short wait
//! ([`file`]), and the ledger that lets the next docket writer remove a git lock file that
//! a killed docket process provably left ([`ledger`]). Each file's documentation gives its
//! rules; they depend on `interrupt` (to stop waiting on Ctrl-C) and on the repository only.

mod file;
mod ledger;
mod write;

use std::path::{Path, PathBuf};

use super::{GitError, Repo};

pub(super) use file::{GIT_LOCK_WAIT, OwnedLock, wait_or_fail};
pub(super) use ledger::Ledger;
pub use write::WriteLock;

impl Repo {
    /// `<git_dir>/docket`, where docket keeps its lock and records.
    pub(super) fn docket_dir(&self) -> PathBuf {
        self.git_dir.join("docket")
    }
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
