//! The quick fingerprint of a large desk without a watcher: the stamp of git's index file
//! (every checkout, pull, rebase, reset, commit and `git add` rewrites it), of the ticket
//! shard folders (a file created, deleted or renamed in one changes its stamp, and
//! editors that save by rename do that), and of the KB and customer folders. About a
//! thousand stats, a few ms; it decides what a sync must stat.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use super::scan::changed_ns;
use crate::store::{Area, Store};

/// Folder (as the manifest names it) or `@git-index…` key to its stamp.
pub type Fingerprint = BTreeMap<String, i128>;

/// A large desk is still statted in full at least this often (ns), so an in-place edit
/// that changed no folder and no git state is seen within this time.
const FULL_SCAN_EVERY: i128 = 300 * 1_000_000_000;

/// The key of git's index file's change time.
const GIT_INDEX: &str = "@git-index";

/// The fingerprint now.
pub fn quick(store: &Store, git_dir: &Path) -> Fingerprint {
    let mut q = BTreeMap::new();
    let gi = git_dir.join("index");
    // Time and size apart: the time is what the racy check compares with the clock.
    let (gi_mtime, gi_len) =
        fs::metadata(&gi).map_or((0, 0), |m| (changed_ns(&m), m.len() as i128));
    q.insert(GIT_INDEX.to_string(), gi_mtime);
    q.insert(format!("{GIT_INDEX}-size"), gi_len);
    for folder in store.data_folders() {
        let dir = folder.rel;
        if folder.area == Area::Tickets {
            // The shards: a ticket's comment folder is seen through git's index.
            if let Ok(rd) = fs::read_dir(store.abs(&dir)) {
                for e in rd.filter_map(Result::ok) {
                    if let Some(meta) = e.metadata().ok().filter(|m| m.is_dir()) {
                        let name = e.file_name().to_string_lossy().into_owned();
                        q.insert(format!("{dir}/{name}"), changed_ns(&meta));
                    }
                }
            }
            continue;
        }
        for e in walkdir::WalkDir::new(store.abs(&dir))
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_dir())
        {
            if let (Ok(meta), Ok(rel)) = (e.metadata(), e.path().strip_prefix(store.abs(&dir))) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                let key = if rel.is_empty() {
                    dir.clone()
                } else {
                    format!("{dir}/{rel}")
                };
                q.insert(key, changed_ns(&meta));
            }
        }
    }
    q
}

/// The keys whose stamps differ between two fingerprints (new, changed or gone).
pub fn changed_folders<'a>(before: &'a Fingerprint, now: &'a Fingerprint) -> BTreeSet<&'a String> {
    now.iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k)
        .chain(before.keys().filter(|k| !now.contains_key(*k)))
        .collect()
}

/// Whether a sync must stat every file rather than the folders that changed: git's index
/// changed (a checkout or a pull rewrites files in place), or the last full scan, at
/// `scanned`, is older than [`FULL_SCAN_EVERY`] at `scan_start`.
pub fn needs_full_scan(
    before: &Fingerprint,
    now: &Fingerprint,
    scanned: i128,
    scan_start: i128,
) -> bool {
    before.get(GIT_INDEX) != now.get(GIT_INDEX) || scan_start - scanned > FULL_SCAN_EVERY
}

/// Whether a fingerprint key names a folder (not git's index).
pub fn is_folder(key: &str) -> bool {
    !key.starts_with('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(entries: &[(&str, i128)]) -> Fingerprint {
        entries.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn changed_folders_are_the_new_the_changed_and_the_gone() {
        let before = print(&[("a", 1), ("b", 2), ("c", 3)]);
        let now = print(&[("a", 1), ("b", 5), ("d", 4)]);
        let changed: Vec<&str> = changed_folders(&before, &now)
            .into_iter()
            .map(String::as_str)
            .collect();
        assert_eq!(changed, ["b", "c", "d"]);
    }

    #[test]
    fn git_index_changes_and_old_scans_need_a_full_scan() {
        let s = 1_000_000_000;
        let before = print(&[("@git-index", 1), ("t/AB", 1)]);
        let moved = print(&[("@git-index", 2), ("t/AB", 1)]);
        let folder = print(&[("@git-index", 1), ("t/AB", 2)]);
        assert!(needs_full_scan(&before, &moved, 0, s));
        assert!(!needs_full_scan(&before, &folder, 0, s));
        assert!(needs_full_scan(&before, &folder, 0, 301 * s));
        assert!(!is_folder("@git-index-size") && is_folder("t/AB"));
    }
}
