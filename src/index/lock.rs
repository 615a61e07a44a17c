//! The index writer lock: one process at a time changes the index folder (commits,
//! manifest writes, rebuilds); readers take no lock and answer from the last committed
//! state.
//!
//! It is an OS file lock on `<git_dir>/docket/index-lock`, outside the index
//! folder, so a rebuild that replaces the folder keeps holding it and the kernel releases
//! it when the process ends, however it ends: it is never stale. tantivy's own writer
//! lock lives inside the folder and only guards tantivy's files. Within one process the
//! lock is re-entrant (a rebuild that then syncs takes it twice). The file stays when
//! no one holds it (like the watcher's `watch/lock`); its name has no `.lock` suffix so
//! it is not taken for one of git's lock files, whose mere presence blocks. Uses the
//! standard library only.

use std::collections::BTreeMap;
use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use super::IndexError;

/// Held while this process may change the index folder; released when the last clone
/// is dropped.
#[derive(Debug, Clone)]
pub struct WriterLock {
    _file: Arc<File>,
}

/// The locks this process holds, by lock file, so a second acquisition shares the first.
static HELD: Mutex<BTreeMap<PathBuf, Weak<File>>> = Mutex::new(BTreeMap::new());

impl WriterLock {
    /// The lock file of a repository's index.
    pub fn path(git_dir: &Path) -> PathBuf {
        git_dir.join("docket").join("index-lock")
    }

    /// Takes the lock, waiting up to `wait` for another process; `None` when it stayed
    /// busy that long.
    pub fn acquire(git_dir: &Path, wait: Duration) -> Result<Option<WriterLock>, IndexError> {
        let path = WriterLock::path(git_dir);
        let mut held = HELD
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(file) = held.get(&path).and_then(Weak::upgrade) {
            return Ok(Some(WriterLock { _file: file }));
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(IndexError::io(dir))?;
        }
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(IndexError::io(&path))?;
        let start = Instant::now();
        let mut nap = Duration::from_millis(2);
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(nap);
                    nap = (nap * 2).min(Duration::from_millis(25));
                }
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(e)) => return Err(IndexError::io(&path)(e)),
            }
        }
        let file = Arc::new(file);
        held.retain(|_, w| w.strong_count() > 0);
        held.insert(path, Arc::downgrade(&file));
        Ok(Some(WriterLock { _file: file }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_is_shared_within_a_process_and_released_with_the_last_holder() {
        let tmp = tempfile::tempdir().expect("temp");
        let first = WriterLock::acquire(tmp.path(), Duration::ZERO)
            .expect("lock")
            .expect("free");
        let again = WriterLock::acquire(tmp.path(), Duration::ZERO)
            .expect("lock")
            .expect("re-entrant");
        // Another open file (as another process has) finds it busy.
        let other = File::open(WriterLock::path(tmp.path())).expect("open");
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        drop(first);
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        drop(again);
        other.try_lock().expect("free once every holder is gone");
    }
}
