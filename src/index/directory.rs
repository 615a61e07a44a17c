//! The tantivy directory the index lives in: tantivy's `MmapDirectory` without fsync.
//! Reads, deletes, locks and the watch of `meta.json` are `MmapDirectory`'s own (except
//! that a missing positions file is an error, not "no positions"); new files
//! and atomic writes go through the page cache like any other write, and syncing the folder
//! does nothing.
//!
//! Why: a commit of one changed document called `fdatasync` 16 to 18 times (34 when it
//! merged): each new segment file, each rewrite of `.managed.json` and `meta.json`, the
//! folder. That was most of the cost of a resync on a large desk, and more on a busy disk.
//! Those syncs only protect the last commits against a power cut or an OS crash. The index
//! is a cache of the data files: a process that dies loses nothing (the OS still writes
//! its pages), and an index a machine crash left damaged fails to open or to read and is
//! rebuilt (see the module doc of `index`). Atomic writes still go through a temporary
//! file and a rename, so a reader never sees half of `meta.json`. Uses tantivy, tempfile
//! and the standard library.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite,
    WatchCallback, WatchHandle, WritePtr,
};

/// The extension of a segment's positions file.
const POSITIONS: &str = "pos";

/// `MmapDirectory` that never fsyncs: the index is a cache, rebuilt when damaged, so
/// durability across a machine crash is not worth a sync per file on every commit.
#[derive(Clone, Debug)]
pub struct NoSyncDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl NoSyncDirectory {
    /// Opens an existing folder.
    pub fn open(path: &Path) -> Result<NoSyncDirectory, OpenDirectoryError> {
        let inner = MmapDirectory::open(path)?;
        // The path MmapDirectory resolves against, so both halves name the same files.
        let root = path
            .canonicalize()
            .map_err(|e| OpenDirectoryError::wrap_io_error(e, path.to_owned()))?;
        Ok(NoSyncDirectory { inner, root })
    }
}

/// A new index file: buffered by the caller, flushed to the OS at the end, never synced.
struct UnsyncedFile(File);

impl Write for UnsyncedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl TerminatingWrite for UnsyncedFile {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        self.0.flush()
    }
}

impl Directory for NoSyncDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        match self.inner.get_file_handle(path) {
            // tantivy opens a segment without its positions file as if no field had
            // positions, and then finds nothing for phrases and `suggest`. Every segment of
            // docket's schema has one, so a missing one is damage (rebuilt), not an answer.
            Err(OpenReadError::FileDoesNotExist(p))
                if p.extension().is_some_and(|e| e == POSITIONS) =>
            {
                Err(OpenReadError::wrap_io_error(
                    io::Error::new(
                        io::ErrorKind::NotFound,
                        "a segment's positions file is missing",
                    ),
                    p,
                ))
            }
            other => other,
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    /// Creates a new file (tantivy never rewrites one) exactly as `MmapDirectory` does,
    /// but its writer's `terminate` flushes without `fdatasync`.
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.root.join(path))
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    OpenWriteError::FileAlreadyExists(path.to_owned())
                } else {
                    OpenWriteError::wrap_io_error(e, path.to_owned())
                }
            })?;
        Ok(BufWriter::new(Box::new(UnsyncedFile(file))))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    /// Replaces the file whole (readers see the old or the new content, never a part);
    /// no `fdatasync`: the index is a cache.
    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        crate::atomic::replace(
            &self.root.join(path),
            data,
            crate::atomic::Durability::Cached,
        )
    }

    /// Nothing to do: file creations and renames reach the disk when the OS writes them.
    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// `MmapDirectory`'s OS file lock, so a second writer gets `LockBusy` at once and a
    /// lock file left by a crash is harmless.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::directory::INDEX_WRITER_LOCK;

    use super::*;

    fn write_file(dir: &NoSyncDirectory, name: &str, data: &[u8]) {
        let mut w = dir.open_write(Path::new(name)).expect("open_write");
        w.write_all(data).expect("write");
        w.terminate().expect("terminate");
    }

    #[test]
    fn files_written_without_sync_read_back() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = NoSyncDirectory::open(tmp.path()).expect("open");
        write_file(&dir, "seg.idx", b"postings");
        let read = dir.open_read(Path::new("seg.idx")).expect("open_read");
        assert_eq!(read.read_bytes().expect("read").as_slice(), b"postings");
        assert!(dir.exists(Path::new("seg.idx")).expect("exists"));
        // Index files are written once: a second create is refused, as with MmapDirectory.
        assert!(matches!(
            dir.open_write(Path::new("seg.idx")),
            Err(OpenWriteError::FileAlreadyExists(_))
        ));
        dir.delete(Path::new("seg.idx")).expect("delete");
        assert!(!dir.exists(Path::new("seg.idx")).expect("exists"));
        dir.sync_directory().expect("sync is a no-op");
    }

    #[test]
    fn atomic_write_replaces_the_whole_file_and_leaves_no_temp_file() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = NoSyncDirectory::open(tmp.path()).expect("open");
        let meta = Path::new("meta.json");
        dir.atomic_write(meta, b"{\"v\": 1}").expect("first write");
        dir.atomic_write(meta, b"{}").expect("second write");
        assert_eq!(dir.atomic_read(meta).expect("read"), b"{}");
        let names: Vec<String> = std::fs::read_dir(tmp.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["meta.json"]);
    }

    #[test]
    fn a_second_writer_lock_is_refused_until_the_first_is_dropped() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = NoSyncDirectory::open(tmp.path()).expect("open");
        let other = NoSyncDirectory::open(tmp.path()).expect("open again");
        let held = dir.acquire_lock(&INDEX_WRITER_LOCK).expect("first lock");
        assert!(matches!(
            other.acquire_lock(&INDEX_WRITER_LOCK),
            Err(LockError::LockBusy)
        ));
        drop(held);
        other
            .acquire_lock(&INDEX_WRITER_LOCK)
            .expect("lock after release");
    }

    #[test]
    fn an_index_commits_and_reopens_through_it() {
        use tantivy::schema::{STORED, Schema, TEXT};
        use tantivy::{Index, IndexWriter, TantivyDocument, doc};
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut builder = Schema::builder();
        let title = builder.add_text_field("title", TEXT | STORED);
        let schema = builder.build();
        let index = Index::open_or_create(
            NoSyncDirectory::open(tmp.path()).expect("open"),
            schema.clone(),
        )
        .expect("create");
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        assert!(matches!(
            index.writer_with_num_threads::<TantivyDocument>(1, 15_000_000),
            Err(tantivy::TantivyError::LockFailure(LockError::LockBusy, _))
        ));
        writer
            .add_document(doc!(title => "disk full"))
            .expect("add");
        writer.commit().expect("commit");
        writer.wait_merging_threads().expect("merge");
        let reopened =
            Index::open_or_create(NoSyncDirectory::open(tmp.path()).expect("open"), schema)
                .expect("reopen");
        let searcher = reopened.reader().expect("reader").searcher();
        assert_eq!(searcher.num_docs(), 1);
    }
}
