//! The search index: a tantivy index of tickets (with their comments' text), KB articles
//! and customers, kept under the git directory (`<git_dir>/docket/index`), never in the
//! work tree. It is a cache: delete it and the next command rebuilds it. This is the only
//! module that touches tantivy; it uses `model` and `store`.
//!
//! Freshness. Before answering, [`SearchIndex::open_fresh`] compares the data files with
//! the manifest of the last sync, (path, size, change time in ns) per file, and reindexes only
//! the documents whose files differ (a comment belongs to its ticket's document). A stat
//! manifest was chosen over a git tree diff because it sees every way a file changes the
//! same way: `git pull`, `checkout` and `rebase` rewrite files, and so do hand edits and
//! hand deletes, committed or not (a tree diff would need a full status scan on top).
//! Stamps are the inode change time (ctime), which no tool sets back, so an edit that
//! keeps the size and restores the mtime is still seen.
//! On a small desk (under 5,000 files) every file is statted each time (a few ms). On a
//! large one, where that takes over a second, a watcher process (`watch`, started by the
//! first read and exiting after two idle hours) journals every change inotify reports;
//! a read asks it what changed since its last sync and reindexes just that, however the
//! file was changed. Where no watcher can run (`DOCKET_WATCH=0`, no inotify, too few
//! inotify watches), a quick fingerprint decides what to stat: the
//! stamp of git's index file (rewritten by every checkout, pull, rebase, reset, commit
//! and `git add`: then every file is statted) and the stamps of the ticket shard folders
//! and KB/customer folders (a file created, deleted or saved by rename changes them: then
//! that folder is restatted). The manifest is one small file per shard for that reason.
//! Without a watcher, an in-place rewrite that touches no folder and no git state is
//! seen at the next full scan (at least every 5 minutes) or `docket index`. Files
//! changed within 2 s of a stat-based sync are read again at the next one, as git does
//! for "racily clean" entries.
//! A config change (other paths) rebuilds everything.
//!
//! Concurrency. Readers need no lock. A sync takes tantivy's writer lock; a process that
//! finds it busy waits up to a few seconds, then answers from the last committed state.
//! The manifest is written (atomically) only after the index commit, so a crash between
//! the two at worst reindexes a few files again. A missing, corrupt or older-version
//! index is wiped and rebuilt, with a one-line notice on stderr.
//!
//! Durability. The index is written without fsync (see `directory`): the syncs cost most
//! of a small commit and only guard the last commits against a power cut or an OS crash.
//! A process that dies loses nothing; a machine crash can leave files the next open
//! cannot read, and a damaged index is rebuilt like a corrupt one. It can also lose the
//! last commits while the manifest (never synced either) kept them: those documents stay
//! stale until their files change again or `docket index` runs. Writes that replace a
//! file (`meta.json`) still go through a rename, so readers never see half of one.

mod directory;
mod error;
mod matching;
mod schema;
mod search;
mod sync;
pub mod text;
pub mod watch;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tantivy::indexer::LogMergePolicy;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

pub use error::IndexError;
pub use matching::{DupePair, Match, QueryDoc, Suggestions};
pub use schema::ListRow;
pub use schema::SCHEMA_VERSION;
pub use search::{Hit, Kind, ListRows, SearchOptions, StatusFilter, TicketRow, TicketRows};
pub use sync::SyncReport;

use crate::store::Store;
use directory::NoSyncDirectory;
use schema::Fields;

/// Memory for one indexing thread (tantivy needs at least 15 MB per thread).
const WRITER_BUDGET: usize = 64 * 1024 * 1024;
/// Segments smaller than this count as this size when the merge policy groups segments of
/// like size (tantivy's default is 10,000; see [`merge_policy`]).
const MERGE_MIN_LAYER: u32 = 100;
/// How long to wait for another process's writer lock before answering from the last
/// committed state.
const LOCK_WAIT: Duration = Duration::from_secs(5);

/// How much of the work a sync has done, for progress bars.
pub trait Progress {
    /// Called with the number of documents done and the total.
    fn tick(&self, done: usize, total: usize);
}

/// No progress display.
pub struct Quiet;

impl Progress for Quiet {
    fn tick(&self, _done: usize, _total: usize) {}
}

/// An open search index.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// One-line notices for stderr (rebuilt, answered from an older state).
    pub notices: Vec<String>,
}

impl SearchIndex {
    /// Where the index of a repository lives.
    pub fn location(git_dir: &Path) -> PathBuf {
        git_dir.join("docket").join("index")
    }

    /// Opens the index (rebuilding it if missing, corrupt or of another version) and
    /// brings it up to date with the files of `store`.
    pub fn open_fresh(
        store: &Store,
        git_dir: &Path,
        progress: &dyn Progress,
    ) -> Result<SearchIndex, IndexError> {
        let mut idx = SearchIndex::open(git_dir)?;
        match idx.sync(store, progress) {
            Ok(_) => Ok(idx),
            Err(e) if is_damage(&e) => {
                let mut idx = SearchIndex::recreate(
                    git_dir,
                    format!("note: the search index was damaged ({e}); rebuilt it"),
                )?;
                idx.sync(store, progress)?;
                Ok(idx)
            }
            Err(e) => Err(e),
        }
    }

    /// Opens the index as it is, without syncing; rebuilds an unusable one (empty).
    pub fn open(git_dir: &Path) -> Result<SearchIndex, IndexError> {
        let dir = SearchIndex::location(git_dir);
        let version_file = dir.join("VERSION");
        match std::fs::read_to_string(&version_file) {
            Ok(v) if v.trim() == SCHEMA_VERSION => {}
            Ok(v) => {
                return SearchIndex::recreate(
                    git_dir,
                    format!(
                        "note: the search index is of another version ({}); rebuilding it",
                        v.trim()
                    ),
                );
            }
            Err(_) if dir.join("meta.json").exists() => {
                return SearchIndex::recreate(
                    git_dir,
                    "note: the search index has no version stamp; rebuilding it".into(),
                );
            }
            Err(_) => return SearchIndex::recreate(git_dir, String::new()),
        }
        match SearchIndex::open_dir(&dir) {
            Ok(idx) => Ok(idx),
            Err(e) => SearchIndex::recreate(
                git_dir,
                format!("note: the search index could not be opened ({e}); rebuilding it"),
            ),
        }
    }

    /// Deletes the index folder and creates an empty index, with an optional notice.
    pub fn recreate(git_dir: &Path, notice: String) -> Result<SearchIndex, IndexError> {
        let dir = SearchIndex::location(git_dir);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(IndexError::io(&dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(IndexError::io(&dir))?;
        let mut idx = SearchIndex::open_dir(&dir)?;
        let version_file = dir.join("VERSION");
        std::fs::write(&version_file, format!("{SCHEMA_VERSION}\n"))
            .map_err(IndexError::io(&version_file))?;
        if !notice.is_empty() {
            idx.notices.push(notice);
        }
        Ok(idx)
    }

    fn open_dir(dir: &Path) -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema::build();
        let folder = NoSyncDirectory::open(dir).map_err(|e| IndexError::Tantivy {
            path: dir.to_owned(),
            what: "opening the folder",
            source: e.into(),
        })?;
        let index = Index::open_or_create(folder, schema)
            .map_err(IndexError::tantivy(dir, "opening the index"))?;
        index
            .tokenizers()
            .register(text::TEXT, text::text_analyzer());
        index
            .tokenizers()
            .register(text::KEYWORD, text::keyword_analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(IndexError::tantivy(dir, "opening a reader"))?;
        Ok(SearchIndex {
            dir: dir.to_owned(),
            index,
            reader,
            fields,
            notices: Vec::new(),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Takes the writer lock, waiting up to [`LOCK_WAIT`] for another process.
    fn writer(&self) -> Result<Option<IndexWriter>, IndexError> {
        let start = Instant::now();
        loop {
            match self.index.writer_with_num_threads(1, WRITER_BUDGET) {
                Ok(w) => {
                    w.set_merge_policy(Box::new(merge_policy()));
                    return Ok(Some(w));
                }
                Err(TantivyError::LockFailure(..)) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(TantivyError::LockFailure(..)) => return Ok(None),
                Err(e) => {
                    return Err(IndexError::Tantivy {
                        path: self.dir.clone(),
                        what: "taking the writer",
                        source: e,
                    });
                }
            }
        }
    }

    /// Re-reads the last committed state.
    fn reload(&self) -> Result<(), IndexError> {
        self.reader
            .reload()
            .map_err(IndexError::tantivy(&self.dir, "reloading"))
    }

    /// Runs `f`; if the index turns out to be damaged, rebuilds it and runs `f` again.
    pub fn with_recovery<T>(
        store: &Store,
        git_dir: &Path,
        progress: &dyn Progress,
        f: impl Fn(&SearchIndex) -> Result<T, IndexError>,
    ) -> Result<(T, Vec<String>), IndexError> {
        let first = guarded(git_dir, || {
            let idx = SearchIndex::open_fresh(store, git_dir, progress)?;
            let v = f(&idx)?;
            Ok((v, idx.notices))
        });
        match first {
            Err(e) if is_damage(&e) => guarded(git_dir, || {
                let mut idx = SearchIndex::recreate(
                    git_dir,
                    format!("note: the search index was damaged; rebuilt it ({e})"),
                )?;
                idx.sync(store, progress)?;
                let v = f(&idx)?;
                Ok((v, idx.notices))
            }),
            other => other,
        }
    }
}

/// tantivy's log merge policy with small segments sized as they are. With the default, a
/// segment under 10,000 documents counts as 10,000, so the one-document segment of each
/// resync joins the level of any segment up to about 16,800 documents (the whole index of a
/// desk of 10,000 tickets, or the segment that earlier small merges grew), and every eighth
/// resync rewrites it. Here small segments merge with segments of their own size.
fn merge_policy() -> LogMergePolicy {
    let mut policy = LogMergePolicy::default();
    policy.set_min_layer_size(MERGE_MIN_LAYER);
    policy
}

/// Runs `f`, turning a panic inside tantivy (it panics on some corrupt files) into a
/// [`IndexError::Damaged`], so the caller can rebuild instead of crashing.
fn guarded<T>(git_dir: &Path, f: impl FnOnce() -> Result<T, IndexError>) -> Result<T, IndexError> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
            .unwrap_or_else(|| "tantivy stopped".into());
        Err(IndexError::Damaged {
            path: SearchIndex::location(git_dir),
            message,
        })
    })
}

/// Whether an error means the index files are unusable (rebuild), not a user mistake.
fn is_damage(e: &IndexError) -> bool {
    matches!(e, IndexError::Damaged { .. })
        || matches!(
            e,
            IndexError::Tantivy {
                source: TantivyError::DataCorruption(_)
                    | TantivyError::IoError(_)
                    | TantivyError::OpenReadError(_)
                    | TantivyError::SchemaError(_)
                    | TantivyError::IncompatibleIndex(_),
                ..
            }
        )
}

#[cfg(test)]
mod tests {
    use tantivy::index::SegmentId;
    use tantivy::indexer::{LogMergePolicy, MergePolicy};
    use tantivy::{Index, SegmentMeta};

    use super::*;

    /// The segments a policy would merge, by size, for one 11,000-document segment (a whole
    /// desk of 10,000 tickets) and eight one-document segments (eight resyncs).
    fn merged_sizes(policy: &dyn MergePolicy) -> Vec<Vec<u32>> {
        let index = Index::create_in_ram(schema::build().0);
        let metas: Vec<SegmentMeta> = std::iter::once(11_000)
            .chain([1; 8])
            .map(|docs| index.new_segment_meta(SegmentId::generate_random(), docs))
            .collect();
        policy
            .compute_merge_candidates(&metas)
            .into_iter()
            .map(|candidate| {
                let mut sizes: Vec<u32> = candidate
                    .0
                    .iter()
                    .map(|id| {
                        metas
                            .iter()
                            .find(|m| m.id() == *id)
                            .expect("a candidate names known segments")
                            .max_doc()
                    })
                    .collect();
                sizes.sort_unstable();
                sizes
            })
            .collect()
    }

    #[test]
    fn small_segments_merge_without_rewriting_a_whole_small_desk() {
        let mut whole = vec![1; 8];
        whole.push(11_000);
        assert_eq!(merged_sizes(&LogMergePolicy::default()), [whole]);
        assert_eq!(merged_sizes(&merge_policy()), [vec![1; 8]]);
    }
}
