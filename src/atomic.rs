//! Replacing a file whole, for every writer of docket's (work-tree files, pending-change
//! records, the index manifest, tantivy's meta files, the watcher's state): the new bytes
//! go to a temporary file `.docket-*.tmp` in the same folder, which is then renamed over
//! the target, so a reader sees the old or the new content, never part of it, and a
//! killed writer leaves at most that temporary file (the writers' own sweeps remove it).
//! A leaf: it imports nothing of docket's.

use std::io::Write as _;
use std::path::Path;

/// Whether the new bytes must reach the disk before the rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `fsync` first: the file survives a power cut (work-tree files, records).
    Synced,
    /// No `fsync`: for caches that are rebuilt when damaged.
    Cached,
}

/// Writes `data` over `path` through a temporary file in its folder (which must exist),
/// keeping the permissions of the file it replaces. A new file gets the mode the process's
/// umask leaves of 0666, as git and every other tool give it (0644 under the usual 0022),
/// not the 0600 of a private temporary file: a repository may be shared.
pub fn replace(path: &Path, data: &[u8], durability: Durability) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".docket-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // The mode is given to open(2), which applies the umask.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(data)?;
    if durability == Durability::Synced {
        tmp.as_file().sync_all()?;
    }
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_file_keeps_its_mode_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old text that is longer").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        }
        replace(&path, b"new", Durability::Synced).expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        replace(&path, b"cached", Durability::Cached).expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"cached");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["a.md"]);
    }
}
