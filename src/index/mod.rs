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
//! Concurrency. Readers need no lock. A sync takes the writer lock (see `lock`) and
//! holds it until the manifest is written; a process that finds it busy waits up to a
//! few seconds, then answers from the last committed state and writes nothing. The
//! manifest is written (atomically, through uniquely named temporary files) only after
//! the index commit, so a crash between the two at worst reindexes a few files again.
//! An index that fails to open or to read is first looked at again after short naps (a
//! commit of another process may have replaced the files this one was opening); only
//! if it still fails, and only while holding the writer lock, is it declared damaged.
//! A missing, damaged or older-version index is then rebuilt in a folder beside it and
//! renamed into place, with a one-line notice on stderr.
//!
//! Damage. A damaged file shows up wherever tantivy reads it, not only at open: a garbled
//! document store fails to decompress or to deserialize when a search reads a hit, a
//! garbled dictionary or fast field when a list reads ids. So every tantivy error but a
//! busy lock, and an I/O error on a file of the index folder, counts as damage, whichever
//! command met it (search, list, show, suggest, dupes all run inside the same recovery).
//! tantivy also panics on some corrupt input; the work on the index, on the caller's
//! thread and on worker threads, runs under one guard (see `panics`), and such a panic is
//! damage too, never a docket crash. A missing
//! positions file, which tantivy would read as "no positions", is refused by the
//! directory. None of this reads anything more from a healthy index: the checks are on
//! errors tantivy already returns.
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
mod facts;
mod ids;
mod links;
mod lock;
mod matching;
pub mod panics;
mod query;
mod rows;
mod schema;
mod search;
mod stats;
mod sync;
mod terms;
pub mod text;
mod texts;
pub mod watch;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tantivy::indexer::LogMergePolicy;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

pub use error::IndexError;
pub use matching::{DupePair, Match, QueryDoc, Suggestions};
pub use rows::{ListRows, StatusFilter, TicketRow, TicketRows};
pub use schema::ListRow;
pub use schema::SCHEMA_VERSION;
pub use search::{Hit, Kind, SearchOptions};
pub use sync::SyncReport;
pub use texts::TicketTextRow;

use crate::store::Store;
use directory::NoSyncDirectory;
use lock::WriterLock;
use schema::Fields;
use watch::Launcher;

/// Memory for one indexing thread (tantivy needs at least 15 MB per thread).
const WRITER_BUDGET: usize = 64 * 1024 * 1024;
/// Segments smaller than this count as this size when the merge policy groups segments of
/// like size (tantivy's default is 10,000; see [`merge_policy`]).
const MERGE_MIN_LAYER: u32 = 100;
/// How long to wait for another process's writer lock before answering from the last
/// committed state.
const LOCK_WAIT: Duration = Duration::from_secs(5);
/// How long to wait for the writer lock before rebuilding an unusable index (another
/// process may be rebuilding it: a full build takes up to half a minute).
const REBUILD_WAIT: Duration = Duration::from_secs(60);
/// Naps before looking again at an index that seemed damaged or missing.
const RETRY_NAPS: [Duration; 3] = [
    Duration::from_millis(20),
    Duration::from_millis(60),
    Duration::from_millis(150),
];

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
    /// Which folder this index was opened in (a rebuild renames another into its place).
    folder: Option<u64>,
    /// The writer lock, while a rebuild holds it until its first sync is done.
    held: Option<WriterLock>,
    /// One-line notices for stderr (rebuilt, answered from an older state, copies of a
    /// ticket), collected while the index is only borrowed.
    notices: Mutex<Vec<String>>,
}

impl SearchIndex {
    /// Where the index of a repository lives.
    pub fn location(git_dir: &Path) -> PathBuf {
        git_dir.join("docket").join("index")
    }

    /// Opens the index (rebuilding it if missing, corrupt or of another version) and
    /// brings it up to date with the files of `store`. On a large desk, `launcher`
    /// starts a watcher when none runs (`None`: never start one; see `watch`).
    pub fn open_fresh(
        store: &Store,
        git_dir: &Path,
        progress: &dyn Progress,
        launcher: Option<&Launcher>,
    ) -> Result<SearchIndex, IndexError> {
        recovering(git_dir, |rebuild| {
            let mut idx = SearchIndex::open_or_rebuild(git_dir, rebuild)?;
            idx.sync(store, progress, launcher)?;
            idx.held = None;
            Ok(idx)
        })
    }

    /// Opens the index as it is, without syncing; rebuilds an unusable one (empty).
    ///
    /// A folder that looks unusable may be a rebuild of another process in the middle
    /// of swapping folders, so it is looked at again after short naps, and the index is
    /// rebuilt only while holding the writer lock, after one more look.
    pub fn open(git_dir: &Path) -> Result<SearchIndex, IndexError> {
        let mut why = match SearchIndex::open_existing(git_dir) {
            Ok(idx) => return Ok(idx),
            Err(why) => why,
        };
        if !matches!(why, Unusable::Missing) {
            for nap in RETRY_NAPS {
                std::thread::sleep(nap);
                match SearchIndex::open_existing(git_dir) {
                    Ok(idx) => return Ok(idx),
                    Err(w) => why = w,
                }
            }
        }
        let _lock =
            WriterLock::acquire(git_dir, REBUILD_WAIT)?.ok_or_else(|| IndexError::Busy {
                path: SearchIndex::location(git_dir),
            })?;
        // Another process may have rebuilt it while this one waited for the lock.
        match SearchIndex::open_existing(git_dir) {
            Ok(idx) => Ok(idx),
            Err(Unusable::Missing) => SearchIndex::recreate(git_dir, String::new()),
            Err(_) => SearchIndex::recreate(git_dir, why.notice()),
        }
    }

    /// [`SearchIndex::open`], or a rebuild with this notice.
    fn open_or_rebuild(git_dir: &Path, rebuild: Option<String>) -> Result<SearchIndex, IndexError> {
        match rebuild {
            Some(notice) => SearchIndex::recreate(git_dir, notice),
            None => SearchIndex::open(git_dir),
        }
    }

    /// The index as it is on disk, or why it cannot be used.
    fn open_existing(git_dir: &Path) -> Result<SearchIndex, Unusable> {
        let dir = SearchIndex::location(git_dir);
        match std::fs::read_to_string(dir.join("VERSION")) {
            Ok(v) if v.trim() == SCHEMA_VERSION => {
                SearchIndex::open_dir(&dir, false).map_err(Unusable::Unopenable)
            }
            Ok(v) => Err(Unusable::OtherVersion(v.trim().to_string())),
            Err(_) if dir.join("meta.json").exists() => Err(Unusable::NoStamp),
            Err(_) => Err(Unusable::Missing),
        }
    }

    /// Replaces the index folder with an empty index, with an optional notice. Holds the
    /// writer lock (waiting for another process's sync or rebuild) and keeps holding it
    /// until the returned index has synced, so no other process writes meanwhile. The new
    /// index is made in a folder beside the old one and renamed into place, so a reader
    /// sees the old index, the new one, or (for a moment) none, never half of one.
    pub fn recreate(git_dir: &Path, notice: String) -> Result<SearchIndex, IndexError> {
        let dir = SearchIndex::location(git_dir);
        let lock = WriterLock::acquire(git_dir, REBUILD_WAIT)?
            .ok_or_else(|| IndexError::Busy { path: dir.clone() })?;
        let fresh = dir.with_extension("new");
        let old = dir.with_extension("old");
        for leftover in [&fresh, &old] {
            if leftover.exists() {
                std::fs::remove_dir_all(leftover).map_err(IndexError::io(leftover))?;
            }
        }
        std::fs::create_dir_all(&fresh).map_err(IndexError::io(&fresh))?;
        let version_file = fresh.join("VERSION");
        std::fs::write(&version_file, format!("{SCHEMA_VERSION}\n"))
            .map_err(IndexError::io(&version_file))?;
        drop(SearchIndex::open_dir(&fresh, true)?);
        if dir.exists() {
            std::fs::rename(&dir, &old).map_err(IndexError::io(&dir))?;
        }
        std::fs::rename(&fresh, &dir).map_err(IndexError::io(&fresh))?;
        if old.exists() {
            // Readers that still map old files keep them until they exit.
            std::fs::remove_dir_all(&old).map_err(IndexError::io(&old))?;
        }
        let mut idx = SearchIndex::open_dir(&dir, false)?;
        idx.held = Some(lock);
        if !notice.is_empty() {
            idx.notice(notice);
        }
        Ok(idx)
    }

    /// Opens the index in `dir`; creates one there only when `create` (a rebuild, under
    /// the writer lock), so a reader never writes a new index over a folder in use.
    fn open_dir(dir: &Path, create: bool) -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema::build();
        let folder = NoSyncDirectory::open(dir).map_err(|e| IndexError::Tantivy {
            path: dir.to_owned(),
            what: "opening the folder",
            error: e.into(),
        })?;
        let index = if create {
            Index::open_or_create(folder, schema)
        } else {
            Index::open(folder)
        }
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
            folder: folder_identity(dir),
            held: None,
            notices: Mutex::new(Vec::new()),
        })
    }

    /// Adds a line for stderr, once.
    fn notice(&self, line: String) {
        let mut notices = self
            .notices
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !notices.contains(&line) {
            notices.push(line);
        }
    }

    /// The lines for stderr collected so far.
    pub fn into_notices(self) -> Vec<String> {
        self.notices
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Takes the writer lock and tantivy's writer, waiting up to [`LOCK_WAIT`] for
    /// another process; `None` when it stayed busy. The lock must be kept until the
    /// manifest is written.
    fn writer(&self) -> Result<Option<(WriterLock, IndexWriter)>, IndexError> {
        let Some(lock) = self.write_lock(LOCK_WAIT)? else {
            return Ok(None);
        };
        if folder_identity(&self.dir) != self.folder {
            // Rebuilt by another process since this one opened it: its files and lists
            // are not this index's. The answer comes from the state this one read.
            return Ok(None);
        }
        let start = Instant::now();
        loop {
            match self.index.writer_with_num_threads(1, WRITER_BUDGET) {
                Ok(w) => {
                    w.set_merge_policy(Box::new(merge_policy()));
                    return Ok(Some((lock, w)));
                }
                Err(TantivyError::LockFailure(..)) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(TantivyError::LockFailure(..)) => return Ok(None),
                Err(e) => {
                    return Err(IndexError::Tantivy {
                        path: self.dir.clone(),
                        what: "taking the writer",
                        error: e,
                    });
                }
            }
        }
    }

    /// The writer lock (shared with a rebuild of this process that holds it).
    fn write_lock(&self, wait: Duration) -> Result<Option<WriterLock>, IndexError> {
        match &self.held {
            Some(lock) => Ok(Some(lock.clone())),
            None => WriterLock::acquire(self.git_dir(), wait),
        }
    }

    /// The git directory the index belongs to.
    fn git_dir(&self) -> &Path {
        self.dir
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."))
    }

    /// Re-reads the last committed state.
    fn reload(&self) -> Result<(), IndexError> {
        self.reader
            .reload()
            .map_err(IndexError::tantivy(&self.dir, "reloading"))
    }

    /// Runs `f` on the index brought up to date (as [`SearchIndex::open_fresh`] does);
    /// if the index turns out to be damaged, rebuilds it and runs `f` again (see
    /// [`recovering`]).
    pub fn with_recovery<T>(
        store: &Store,
        git_dir: &Path,
        progress: &dyn Progress,
        launcher: Option<&Launcher>,
        f: impl Fn(&SearchIndex) -> Result<T, IndexError>,
    ) -> Result<(T, Vec<String>), IndexError> {
        recovering(git_dir, |rebuild| {
            let mut idx = SearchIndex::open_or_rebuild(git_dir, rebuild)?;
            idx.sync(store, progress, launcher)?;
            idx.held = None;
            let v = f(&idx)?;
            Ok((v, idx.into_notices()))
        })
    }
}

/// Why an index folder cannot be used as it is.
enum Unusable {
    /// There is none yet.
    Missing,
    /// It was built by another docket version.
    OtherVersion(String),
    /// It has no `VERSION` file.
    NoStamp,
    /// tantivy cannot open it.
    Unopenable(IndexError),
}

impl Unusable {
    /// The notice of the rebuild it causes.
    fn notice(&self) -> String {
        match self {
            Unusable::Missing => String::new(),
            Unusable::OtherVersion(v) => {
                format!("note: the search index is of another version ({v}); rebuilding it")
            }
            Unusable::NoStamp => {
                "note: the search index has no version stamp; rebuilding it".into()
            }
            Unusable::Unopenable(e) => {
                format!(
                    "note: the search index could not be opened ({}); rebuilding it",
                    one_line(&e.to_string())
                )
            }
        }
    }
}

/// Runs `attempt(None)`, the work of one command on the index. An error that looks like
/// damage is most often another process's commit that replaced the files this one was
/// opening, so the attempt is retried after short naps. Only if it still fails is the
/// index declared damaged, and only while holding the writer lock and after one more
/// try (another process may have rebuilt it meanwhile): then `attempt(Some(notice))`
/// rebuilds it and runs again.
fn recovering<T>(
    git_dir: &Path,
    attempt: impl Fn(Option<String>) -> Result<T, IndexError>,
) -> Result<T, IndexError> {
    let once = |rebuild: Option<String>| guarded(git_dir, || attempt(rebuild));
    let mut result = once(None);
    for nap in RETRY_NAPS {
        if !result.as_ref().is_err_and(|e| is_damage(e, git_dir)) {
            return result;
        }
        std::thread::sleep(nap);
        result = once(None);
    }
    if !result.as_ref().is_err_and(|e| is_damage(e, git_dir)) {
        return result;
    }
    let Some(_lock) = WriterLock::acquire(git_dir, REBUILD_WAIT)? else {
        return result;
    };
    match once(None) {
        Err(e) if is_damage(&e, git_dir) => once(Some(format!(
            "note: the search index was damaged ({}); rebuilt it",
            one_line(&e.to_string())
        ))),
        other => other,
    }
}

/// A message on one line (some of tantivy's span several), for a one-line notice.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The inode of a folder, which tells a folder renamed into place from the one opened.
fn folder_identity(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(dir).ok().map(|m| m.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
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

/// Runs `f`, turning a panic inside it (tantivy panics on some corrupt files) into an
/// [`IndexError::Panicked`], so the caller can rebuild instead of crashing (see `panics`).
fn guarded<T>(git_dir: &Path, f: impl FnOnce() -> Result<T, IndexError>) -> Result<T, IndexError> {
    panics::catching("opening, updating or reading it", f)
        .map_err(|p| p.in_index(&SearchIndex::location(git_dir)))?
}

/// Whether an error means the files of the index at `git_dir` are unusable (rebuild), not
/// a user mistake or a busy lock. Damage shows up anywhere tantivy reads: opening a
/// segment, its term dictionary, postings and positions, fast fields and field norms, and
/// the document store (a garbled block fails to decompress or to deserialize, for example
/// as "stream did not contain valid UTF-8"). So every tantivy error counts except a busy
/// lock, as does an I/O error on a file inside the index folder (a fast-field dictionary,
/// the manifest). A real fault that is not damage (a full disk, say) fails again after the
/// one rebuild, and that error is then reported.
fn is_damage(e: &IndexError, git_dir: &Path) -> bool {
    match e {
        IndexError::Damaged { .. } | IndexError::Panicked { .. } => true,
        IndexError::Tantivy { error, .. } => !matches!(error, TantivyError::LockFailure(..)),
        IndexError::Io { path, .. } => path.starts_with(SearchIndex::location(git_dir)),
        IndexError::Busy { .. }
        | IndexError::BadQuery { .. }
        | IndexError::UnknownStatus { .. }
        | IndexError::Store(_) => false,
    }
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
