//! Lock files: docket's own write lock, and the helper that takes git's lock files (such as
//! `index.lock`) with backoff, both in git's `<file>.lock` convention.

use std::path::{Path, PathBuf};
use std::time::Duration;

use gix::lock::acquire::Fail;

use super::{GitError, Repo};

/// How long [`Repo::lock_writes`] waits for other docket processes before giving up.
const WRITE_LOCK_WAIT: Duration = Duration::from_secs(30);

/// Holds `<git_dir>/docket/write.lock` until dropped, so that docket's read-modify-write and
/// commit sequences from several processes never interleave.
#[derive(Debug)]
pub struct WriteLock {
    _marker: gix::lock::Marker,
}

impl Repo {
    /// Take docket's write lock `<git_dir>/docket/write.lock`, waiting with backoff up to about
    /// 30 s because many docket processes may queue here; it is released when the returned
    /// guard is dropped.
    pub fn lock_writes(&self) -> Result<WriteLock, GitError> {
        let dir = self.git_dir.join("docket");
        std::fs::create_dir_all(&dir).map_err(|source| GitError::Io {
            path: dir.clone(),
            source,
        })?;
        let resource = dir.join("write");
        let marker = gix::lock::Marker::acquire_to_hold_resource(
            &resource,
            Fail::AfterDurationWithBackoff(WRITE_LOCK_WAIT),
            None,
            0,
        )
        .map_err(|e| lock_error(&resource, e))?;
        Ok(WriteLock { _marker: marker })
    }
}

/// Take `<resource>.lock` for updating `resource`, waiting up to `wait` with backoff.
pub(super) fn lock_file(resource: &Path, wait: Duration) -> Result<gix::lock::File, GitError> {
    gix::lock::File::acquire_to_update_resource(
        resource,
        Fail::AfterDurationWithBackoff(wait),
        None,
        0,
    )
    .map_err(|e| lock_error(resource, e))
}

/// Turn a failed lock attempt into a timeout (someone holds it) or an I/O-ish gix error.
fn lock_error(resource: &Path, source: gix::Error) -> GitError {
    let path = lock_path(resource);
    if source.is_retryable() {
        GitError::LockTimeout { path }
    } else {
        GitError::Gix {
            path,
            what: "taking a lock",
            source,
        }
    }
}

/// The lock file git uses for `resource`.
fn lock_path(resource: &Path) -> PathBuf {
    let mut p = resource.as_os_str().to_owned();
    p.push(".lock");
    PathBuf::from(p)
}
