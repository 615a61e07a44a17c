//! Incremental sync: stat the data files, compare with the manifest of the last sync,
//! and reindex only the documents whose files changed (a comment belongs to its ticket's
//! document). The manifest is `size ctime_ns path` a line, written atomically after the
//! index commit.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tantivy::{IndexWriter, TantivyDocument, Term};

use super::watch;
use super::{IndexError, Progress, SearchIndex};
use crate::store::{Problem, Store, StoreError, article_from_doc, customer_from_doc};

/// The size and modification time (ns since the epoch) of one file.
pub type Stamp = (u64, i128);

/// The files last indexed, and the config they were indexed with.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Manifest {
    /// A hash of the config file, so changed paths rebuild everything.
    pub config: String,
    /// When every file was last statted (ns since the epoch).
    pub scanned: i128,
    /// The quick fingerprint: mtimes of the data folders and shard folders, and the
    /// stamp of git's index file (`@git-index`), checked before every answer.
    pub quick: BTreeMap<String, i128>,
    /// Repository-relative path to stamp.
    pub files: BTreeMap<String, Stamp>,
    /// How many files (kept in the fingerprint file, which has no `files`).
    pub file_count: usize,
}

/// Below this many files every sync stats every file (a few ms; 41,000 files take about
/// 0.3 s); above it, a watcher or the quick fingerprint decides what to stat (see the
/// module documentation of `index`).
pub const FULL_SCAN_LIMIT: usize = 5_000;

/// [`FULL_SCAN_LIMIT`], or `DOCKET_INDEX_FULL_SCAN_LIMIT` (so tests can run the large-desk
/// path on a small one).
fn full_scan_limit() -> usize {
    std::env::var("DOCKET_INDEX_FULL_SCAN_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(FULL_SCAN_LIMIT)
}
/// A large desk is still statted in full at least this often (ns), so an in-place edit
/// that changed no folder and no git state is seen within this time.
const FULL_SCAN_EVERY: i128 = 300 * 1_000_000_000;

/// The manifest group of a data file: its ticket shard, or the KB, or the customers.
pub fn group_of(store: &Store, rel: &str) -> String {
    let tickets = format!("{}/", store.tickets_rel());
    match rel.strip_prefix(&tickets).and_then(|r| r.split('/').next()) {
        Some(shard) => format!("t-{}", safe_name(shard)),
        None if rel.starts_with(&format!("{}/", kb_rel(store))) || rel == kb_rel(store) => {
            "kb".into()
        }
        None => "customers".into(),
    }
}

fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Whether a folder entry is a temporary file of [`write_atomic`] (theirs start with a
/// dot; group names never do). A sweep of stale lists must leave it alone: another
/// process may be about to rename it. One that a killed process left long ago is
/// removed here.
fn is_temp(e: &fs::DirEntry) -> bool {
    if !e.file_name().to_string_lossy().starts_with('.') {
        return false;
    }
    let abandoned = e
        .metadata()
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().unwrap_or_default() > TEMP_KEEP);
    if abandoned {
        let _ = fs::remove_file(e.path());
    }
    true
}

/// A temporary file older than this was left by a killed process.
const TEMP_KEEP: std::time::Duration = std::time::Duration::from_secs(600);

/// Writes `text` to a temporary file with a unique name in the same folder, then renames
/// it over `path`: a reader sees the old or the new list, never a part.
fn write_atomic(path: &Path, text: &str) -> Result<(), IndexError> {
    crate::atomic::replace(path, text.as_bytes(), crate::atomic::Durability::Cached)
        .map_err(IndexError::io(path))
}

/// Files modified this close to a sync may change again within the file system's
/// timestamp granularity without a visible change of stamp (git's "racy clean" problem).
const RACY_NS: i128 = 2_000_000_000;

impl Manifest {
    /// The manifest to record: entries modified within [`RACY_NS`] of `scan_start` get an
    /// impossible stamp, so they are read again at the next sync, when they are old enough.
    pub fn without_racy(&self, scan_start: i128) -> Manifest {
        let mut m = self.clone();
        for stamp in m.files.values_mut() {
            if stamp.1 + RACY_NS >= scan_start {
                stamp.1 = -1;
            }
        }
        for mtime in m.quick.values_mut() {
            if *mtime + RACY_NS >= scan_start {
                *mtime = -1;
            }
        }
        m
    }
}

/// Nanoseconds since the epoch, now.
pub fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// What a sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Documents reindexed or removed.
    pub changed: usize,
    /// Whether another process held the writer, so the answer is from its last state.
    pub stale: bool,
}

/// Which kind of document a data file belongs to, and that document's key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    /// A ticket file (its own key) or a comment of it.
    Ticket(String),
    /// A KB article file.
    Article(String),
    /// A customer file.
    Customer(String),
}

impl Manifest {
    fn parse(text: &str) -> Option<Manifest> {
        let mut m = Manifest::default();
        let mut lines = text.lines();
        m.config = lines.next()?.strip_prefix("config ")?.to_string();
        m.scanned = lines.next()?.strip_prefix("scanned ")?.parse().ok()?;
        for line in lines {
            let (tag, rest) = line.split_once(' ')?;
            match tag {
                "q" => {
                    let (mtime, name) = rest.split_once(' ')?;
                    m.quick.insert(name.to_string(), mtime.parse().ok()?);
                }
                "n" => m.file_count = rest.parse().ok()?,
                "f" => {
                    let mut parts = rest.splitn(3, ' ');
                    let size = parts.next()?.parse().ok()?;
                    let mtime = parts.next()?.parse().ok()?;
                    m.files.insert(parts.next()?.to_string(), (size, mtime));
                }
                _ => return None,
            }
        }
        if m.file_count == 0 {
            m.file_count = m.files.len();
        }
        Some(m)
    }

    /// The manifest without its file list.
    fn head(&self) -> String {
        let mut head = format!(
            "config {}\nscanned {}\nn {}\n",
            self.config, self.scanned, self.file_count
        );
        for (name, mtime) in &self.quick {
            head.push_str(&format!("q {mtime} {name}\n"));
        }
        head
    }

    /// Reads a manifest (a missing or unreadable one is empty: everything is new): the
    /// fingerprint (`<dir>/quick`) and the file lists of `groups` (all when
    /// `None`), one small file per group under `<dir>/files/`, so a change in one shard
    /// reads and writes one shard's list.
    pub fn read(dir: &Path, groups: Option<&BTreeSet<String>>) -> Manifest {
        let mut m = match fs::read_to_string(dir.join("quick")) {
            Ok(text) => match Manifest::parse(&text) {
                Some(m) => m,
                None => return Manifest::default(),
            },
            Err(_) => return Manifest::default(),
        };
        let files_dir = dir.join("files");
        let names: Vec<String> = match groups {
            Some(g) => g.iter().cloned().collect(),
            None => fs::read_dir(&files_dir)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default(),
        };
        for name in names {
            let Ok(text) = fs::read_to_string(files_dir.join(&name)) else {
                continue;
            };
            match Manifest::parse(&format!("config x\nscanned 0\n{text}")) {
                Some(part) => m.files.extend(part.files),
                None => return Manifest::default(),
            }
        }
        m
    }

    /// Writes the file lists of `groups` (all when `None`, removing lists of groups that
    /// have no files any more), then the fingerprint unless it equals `prior`'s (the
    /// manifest as read), each atomically.
    pub fn write(
        &self,
        dir: &Path,
        store: &Store,
        groups: Option<&BTreeSet<String>>,
        prior: Option<&Manifest>,
    ) -> Result<(), IndexError> {
        let files_dir = dir.join("files");
        fs::create_dir_all(&files_dir).map_err(IndexError::io(&files_dir))?;
        let mut by_group: BTreeMap<String, String> = BTreeMap::new();
        for (rel, (size, mtime)) in &self.files {
            let g = group_of(store, rel);
            if groups.is_none_or(|gs| gs.contains(&g)) {
                by_group
                    .entry(g)
                    .or_default()
                    .push_str(&format!("f {size} {mtime} {rel}\n"));
            }
        }
        let stale: Vec<String> = match groups {
            Some(gs) => gs
                .iter()
                .filter(|g| !by_group.contains_key(*g))
                .cloned()
                .collect(),
            None => fs::read_dir(&files_dir)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .filter(|e| !is_temp(e))
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| !by_group.contains_key(n))
                        .collect()
                })
                .unwrap_or_default(),
        };
        for g in stale {
            let _ = fs::remove_file(files_dir.join(g));
        }
        for (g, text) in &by_group {
            write_atomic(&files_dir.join(g), text)?;
        }
        let head = self.head();
        if prior.is_some_and(|p| p.head() == head) {
            // The fingerprint on disk says the same (a watched change that added or
            // removed no file): leave it.
            return Ok(());
        }
        write_atomic(&dir.join("quick"), &head)
    }

    /// Reads only the fingerprint (no file list).
    pub fn read_quick(dir: &Path) -> Manifest {
        Manifest::read(dir, Some(&BTreeSet::new()))
    }

    /// The documents whose files differ between two manifests.
    pub fn changed_owners(&self, now: &Manifest, store: &Store) -> BTreeSet<Owner> {
        let mut out = BTreeSet::new();
        for (rel, stamp) in &now.files {
            if self.files.get(rel) != Some(stamp) {
                out.extend(owner_of(store, rel));
            }
        }
        for rel in self.files.keys() {
            if !now.files.contains_key(rel) {
                out.extend(owner_of(store, rel));
            }
        }
        out
    }
}

/// The document a data file belongs to.
pub fn owner_of(store: &Store, rel: &str) -> Option<Owner> {
    let tickets = format!("{}/", store.tickets_rel());
    let kb = format!("{}/", store.config().paths.kb.trim_end_matches('/'));
    let customers = format!("{}/", store.config().paths.customers.trim_end_matches('/'));
    if let Some(rest) = rel.strip_prefix(&tickets) {
        let parts: Vec<&str> = rest.split('/').collect();
        return match parts.as_slice() {
            [_, _] => Some(Owner::Ticket(rel.to_string())),
            [shard, id, _] => Some(Owner::Ticket(format!("{tickets}{shard}/{id}.md"))),
            _ => None,
        };
    }
    if rel.starts_with(&kb) {
        return Some(Owner::Article(rel.to_string()));
    }
    if let Some(rest) = rel.strip_prefix(&customers) {
        return (!rest.contains('/')).then(|| Owner::Customer(rel.to_string()));
    }
    None
}

/// Stats every data file now.
pub fn scan(store: &Store) -> Manifest {
    let mut files = BTreeMap::new();
    let tickets = store.tickets_rel().to_string();
    let tickets_abs = store.abs(&tickets);
    // The shards split between two threads: stat calls dominate and the machine has 2 cores.
    let shards: Vec<PathBuf> = fs::read_dir(&tickets_abs)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    let half = shards.len() / 2;
    let (a, b) = shards.split_at(half);
    let (left, right) = std::thread::scope(|s| {
        let h = s.spawn(|| walk_all(a, &tickets_abs, &tickets, 3));
        let right = walk_all(b, &tickets_abs, &tickets, 3);
        (h.join().unwrap_or_default(), right)
    });
    files.extend(left);
    files.extend(right);
    files.extend(scan_kb(store));
    files.extend(scan_customers(store));
    Manifest {
        config: config_hash(store),
        scanned: now_ns(),
        quick: BTreeMap::new(),
        file_count: files.len(),
        files,
    }
}

fn kb_rel(store: &Store) -> String {
    store.config().paths.kb.trim_end_matches('/').to_string()
}

fn customers_rel(store: &Store) -> String {
    store
        .config()
        .paths
        .customers
        .trim_end_matches('/')
        .to_string()
}

fn scan_kb(store: &Store) -> Vec<(String, Stamp)> {
    let kb = kb_rel(store);
    walk(&store.abs(&kb), &store.abs(&kb), &kb, 16)
}

fn scan_customers(store: &Store) -> Vec<(String, Stamp)> {
    let cust = customers_rel(store);
    walk(&store.abs(&cust), &store.abs(&cust), &cust, 1)
}

/// What the manifest's stamps are: a manifest with other stamps is read as changed
/// everywhere, so the index is rebuilt.
const STAMP_KIND: &[u8] = b"stamps: ctime\n";

fn config_hash(store: &Store) -> String {
    let mut config = fs::read(store.abs(crate::store::CONFIG_PATH)).unwrap_or_default();
    config.extend_from_slice(STAMP_KIND);
    format!("{:016x}", fnv(&config))
}

/// The time a file last changed in any way, in ns since the epoch. On Unix this is the
/// inode change time, which a writer cannot set back (unlike the mtime, which editors,
/// `touch -d` and archive tools do set), so an edit is seen even when the size and mtime
/// stay the same.
fn changed_ns(meta: &fs::Metadata) -> i128 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec())
    }
    #[cfg(not(unix))]
    {
        meta.modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128)
    }
}

/// The quick fingerprint: git's index file (every checkout, pull, rebase, reset, commit
/// and `git add` rewrites it), the ticket shard folders (a file created, deleted or
/// renamed in one changes its mtime, and editors that save by rename do that), and the
/// KB and customer folders. About a thousand stats, a few ms.
pub fn quick(store: &Store, git_dir: &Path) -> BTreeMap<String, i128> {
    let mut q = BTreeMap::new();
    let gi = git_dir.join("index");
    // Time and size apart: the time is what the racy check compares with the clock.
    let (gi_mtime, gi_len) =
        fs::metadata(&gi).map_or((0, 0), |m| (changed_ns(&m), m.len() as i128));
    q.insert("@git-index".to_string(), gi_mtime);
    q.insert("@git-index-size".to_string(), gi_len);
    let tickets = store.tickets_rel().to_string();
    if let Ok(rd) = fs::read_dir(store.abs(&tickets)) {
        for e in rd.filter_map(Result::ok) {
            if let Some(meta) = e.metadata().ok().filter(|m| m.is_dir()) {
                let name = e.file_name().to_string_lossy().into_owned();
                q.insert(format!("{tickets}/{name}"), changed_ns(&meta));
            }
        }
    }
    for dir in [kb_rel(store), customers_rel(store)] {
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

/// The manifest after restatting only the folders whose fingerprint changed.
fn rescan_changed(store: &Store, before: &Manifest, quick: &BTreeMap<String, i128>) -> Manifest {
    let mut m = before.clone();
    let tickets = format!("{}/", store.tickets_rel());
    let kb = kb_rel(store);
    let cust = customers_rel(store);
    let changed: BTreeSet<&String> = quick
        .iter()
        .filter(|(k, v)| before.quick.get(*k) != Some(*v))
        .map(|(k, _)| k)
        .chain(before.quick.keys().filter(|k| !quick.contains_key(*k)))
        .collect();
    let mut redo_kb = false;
    let mut redo_cust = false;
    for dir in changed {
        if dir.starts_with(&tickets) {
            let prefix = format!("{dir}/");
            m.files.retain(|k, _| !k.starts_with(&prefix));
            let abs = store.abs(dir);
            let base = store.abs(store.tickets_rel());
            m.files.extend(walk(&abs, &base, store.tickets_rel(), 2));
        } else if *dir == kb || dir.starts_with(&format!("{kb}/")) {
            redo_kb = true;
        } else if *dir == cust {
            redo_cust = true;
        }
    }
    if redo_kb {
        let prefix = format!("{kb}/");
        m.files.retain(|k, _| !k.starts_with(&prefix));
        m.files.extend(scan_kb(store));
    }
    if redo_cust {
        let prefix = format!("{cust}/");
        m.files.retain(|k, _| !k.starts_with(&prefix));
        m.files.extend(scan_customers(store));
    }
    m
}

fn walk_all(dirs: &[PathBuf], base: &Path, rel_base: &str, depth: usize) -> Vec<(String, Stamp)> {
    let mut out = Vec::new();
    for d in dirs {
        out.extend(walk(d, base, rel_base, depth - 1));
    }
    out
}

/// `.md` files under `dir` up to `depth` levels, with their stamps; symlinks skipped.
fn walk(dir: &Path, base: &Path, rel_base: &str, depth: usize) -> Vec<(String, Stamp)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .max_depth(depth)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() || e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let Ok(meta) = e.metadata() else { continue };
        let Ok(rel) = e.path().strip_prefix(base) else {
            continue;
        };
        let mtime = changed_ns(&meta);
        out.push((
            format!("{rel_base}/{}", rel.to_string_lossy().replace('\\', "/")),
            (meta.len(), mtime),
        ));
    }
    out
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// How a sync on a large desk finds what changed.
#[derive(Debug)]
enum Plan {
    /// Stat every file; `watch` is the journal position the scan covers, if a watcher runs.
    Full { watch: Option<(String, u64)> },
    /// No watcher: restat the folders whose stamps changed.
    Folders,
    /// Reindex what the watcher journaled since the last sync.
    Journal {
        changes: watch::Changes,
        watch: (String, u64),
    },
}

/// The journal position is saved after a read that found nothing once it has moved this
/// far, so most reads write nothing.
const WATCH_SAVE_EVERY: u64 = 4096;

/// Chooses how to sync a large desk: through a running watcher (starting one if
/// allowed), or by folder stamps where none can run.
fn plan_large(store: &Store, git_dir: &Path, recorded: Option<&(String, u64)>) -> Plan {
    let roots = watch::roots(store);
    let live = match watch::live(git_dir) {
        Some(l) if l.covers(&roots) => Some(l),
        other if watch::may_start(git_dir) => {
            let replace = other.is_some() || watch::outdated(git_dir);
            match watch::start(store.root(), git_dir, replace) {
                Some(l) => Some(l),
                None => return Plan::Full { watch: None },
            }
        }
        _ => None,
    };
    let Some(live) = live else {
        // The last sync trusted a watcher that is gone: changes since then are unknown.
        return match recorded {
            Some(_) => Plan::Full { watch: None },
            None => Plan::Folders,
        };
    };
    let from = recorded.filter(|(id, _)| *id == live.id).map(|(_, at)| *at);
    match live.changes(from.unwrap_or(0)) {
        None => Plan::Full { watch: None },
        Some(changes) if from.is_none() || changes.rescan => Plan::Full {
            watch: Some((live.id.clone(), changes.end)),
        },
        Some(changes) => Plan::Journal {
            watch: (live.id.clone(), changes.end),
            changes,
        },
    }
}

/// The journal position recorded with the manifest: `<session> <offset>`.
fn read_watch(mdir: &Path) -> Option<(String, u64)> {
    let text = fs::read_to_string(mdir.join("watch")).ok()?;
    let (id, at) = text.trim().split_once(' ')?;
    Some((id.to_string(), at.parse().ok()?))
}

fn write_watch(mdir: &Path, watch: Option<&(String, u64)>) -> Result<(), IndexError> {
    let path = mdir.join("watch");
    match watch {
        Some((id, at)) => {
            fs::create_dir_all(mdir).map_err(IndexError::io(mdir))?;
            write_atomic(&path, &format!("{id} {at}\n"))
        }
        None => match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(IndexError::io(path)(e)),
            _ => Ok(()),
        },
    }
}

/// What a journal names, as documents to reindex and folders to restat.
#[derive(Debug, Default)]
struct Touched {
    /// Manifest groups to read and write.
    groups: BTreeSet<String>,
    /// Documents to reindex whatever their stamps say.
    owners: BTreeSet<Owner>,
    /// Ticket shard folders to restat whole.
    shards: BTreeSet<String>,
    kb: bool,
    customers: bool,
}

impl Touched {
    /// `None` when the changes need a full scan (the ticket folder itself changed).
    fn of(store: &Store, changes: &watch::Changes) -> Option<Touched> {
        let mut t = Touched::default();
        let tickets = store.tickets_rel();
        let kb = kb_rel(store);
        let cust = customers_rel(store);
        for f in &changes.files {
            if let Some(o) = owner_of(store, f) {
                t.add_owner(store, o);
            }
        }
        for d in &changes.dirs {
            if d == tickets {
                return None;
            }
            if let Some(rest) = d.strip_prefix(&format!("{tickets}/")) {
                let mut parts = rest.split('/');
                match (parts.next(), parts.next()) {
                    (Some(shard), None) => {
                        t.groups.insert(group_of(store, &format!("{d}/x")));
                        t.shards.insert(shard.to_string());
                    }
                    (Some(shard), Some(id)) => {
                        let key = format!("{tickets}/{shard}/{id}.md");
                        t.add_owner(store, Owner::Ticket(key));
                    }
                    _ => {}
                }
            } else if *d == kb || d.starts_with(&format!("{kb}/")) {
                t.kb = true;
                t.groups.insert("kb".into());
            } else if *d == cust || d.starts_with(&format!("{cust}/")) {
                t.customers = true;
                t.groups.insert("customers".into());
            }
        }
        Some(t)
    }

    fn add_owner(&mut self, store: &Store, o: Owner) {
        let key = match &o {
            Owner::Ticket(k) | Owner::Article(k) | Owner::Customer(k) => k,
        };
        self.groups.insert(group_of(store, key));
        self.owners.insert(o);
    }

    /// `before` with the touched folders and documents statted again.
    fn restat(&self, store: &Store, before: &Manifest) -> Manifest {
        let mut m = before.clone();
        let tickets = store.tickets_rel();
        for shard in &self.shards {
            let dir = format!("{tickets}/{shard}");
            let prefix = format!("{dir}/");
            m.files.retain(|k, _| !k.starts_with(&prefix));
            m.files
                .extend(walk(&store.abs(&dir), &store.abs(tickets), tickets, 2));
        }
        if self.kb {
            let prefix = format!("{}/", kb_rel(store));
            m.files.retain(|k, _| !k.starts_with(&prefix));
            m.files.extend(scan_kb(store));
        }
        if self.customers {
            let prefix = format!("{}/", customers_rel(store));
            m.files.retain(|k, _| !k.starts_with(&prefix));
            m.files.extend(scan_customers(store));
        }
        for owner in &self.owners {
            match owner {
                Owner::Ticket(rel) => {
                    let comments = store.comments_rel(rel);
                    let prefix = format!("{comments}/");
                    m.files.retain(|k, _| k != rel && !k.starts_with(&prefix));
                    m.files.extend(stat_one(store, rel));
                    let parent = Path::new(&comments)
                        .parent()
                        .map(|p| p.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    m.files
                        .extend(walk(&store.abs(&comments), &store.abs(&parent), &parent, 1));
                }
                Owner::Article(rel) | Owner::Customer(rel) => {
                    m.files.remove(rel);
                    m.files.extend(stat_one(store, rel));
                }
            }
        }
        m
    }
}

/// The stamp of one data file, if it is one.
fn stat_one(store: &Store, rel: &str) -> Option<(String, Stamp)> {
    let meta = fs::symlink_metadata(store.abs(rel)).ok()?;
    (meta.is_file() && rel.ends_with(".md"))
        .then(|| (rel.to_string(), (meta.len(), changed_ns(&meta))))
}

impl SearchIndex {
    fn manifest_dir(&self) -> PathBuf {
        self.dir.join("manifest")
    }

    /// Brings the index up to date with the files: reindexes what changed since the last
    /// sync. When another process holds the writer for too long, leaves the index as it
    /// is (the answer comes from its last committed state).
    pub fn sync(
        &mut self,
        store: &Store,
        progress: &dyn Progress,
    ) -> Result<SyncReport, IndexError> {
        let scan_start = now_ns();
        let git_dir = self.git_dir().to_path_buf();
        let mdir = self.manifest_dir();
        let glance = Manifest::read_quick(&mdir);
        let config = config_hash(store);
        let recorded = read_watch(&mdir);
        let large = glance.file_count >= full_scan_limit() && glance.config == config;
        let plan = if large {
            plan_large(store, &git_dir, recorded.as_ref())
        } else {
            Plan::Full { watch: None }
        };
        match plan {
            Plan::Full { watch } => {
                self.sync_all(store, &git_dir, config, watch, scan_start, progress)
            }
            Plan::Folders => {
                self.sync_folders(store, &git_dir, glance, config, scan_start, progress)
            }
            Plan::Journal { changes, watch } if changes.is_empty() => {
                // Nothing changed: remember how far the journal was read, now and then,
                // so later readers skip the cookies of earlier ones.
                if recorded.is_none_or(|(_, at)| watch.1 >= at + WATCH_SAVE_EVERY)
                    && let Ok(Some(_lock)) = self.write_lock(Duration::ZERO)
                {
                    let _ = write_watch(&mdir, Some(&watch));
                }
                Ok(SyncReport::default())
            }
            Plan::Journal { changes, watch } => {
                let Some(touched) = Touched::of(store, &changes) else {
                    return self.sync_all(
                        store,
                        &git_dir,
                        config,
                        Some(watch),
                        scan_start,
                        progress,
                    );
                };
                let before = Manifest::read(&mdir, Some(&touched.groups));
                let mut now = touched.restat(store, &before);
                now.quick = glance.quick;
                now.config = config;
                now.scanned = glance.scanned;
                now.file_count =
                    (glance.file_count + now.files.len()).saturating_sub(before.files.len());
                self.apply(
                    store,
                    Some(touched.groups),
                    now,
                    touched.owners,
                    Some(watch),
                    scan_start,
                    progress,
                )
            }
        }
    }

    /// Stats every file and reindexes what differs from the manifest.
    fn sync_all(
        &mut self,
        store: &Store,
        git_dir: &Path,
        config: String,
        watch: Option<(String, u64)>,
        scan_start: i128,
        progress: &dyn Progress,
    ) -> Result<SyncReport, IndexError> {
        let mut now = scan(store);
        now.quick = quick(store, git_dir);
        now.config = config;
        self.apply(
            store,
            None,
            now,
            BTreeSet::new(),
            watch,
            scan_start,
            progress,
        )
    }

    /// A large desk without a watcher: restat the folders whose stamps changed, or
    /// everything when git's index changed or the last full scan is old.
    fn sync_folders(
        &mut self,
        store: &Store,
        git_dir: &Path,
        glance: Manifest,
        config: String,
        scan_start: i128,
        progress: &dyn Progress,
    ) -> Result<SyncReport, IndexError> {
        let mdir = self.manifest_dir();
        let quick = quick(store, git_dir);
        let full = glance.quick.get("@git-index") != quick.get("@git-index")
            || scan_start - glance.scanned > FULL_SCAN_EVERY;
        if full {
            return self.sync_all(store, git_dir, config, None, scan_start, progress);
        }
        if glance.quick == quick {
            return Ok(SyncReport::default());
        }
        // The groups of the folders whose stamps changed.
        let scope: BTreeSet<String> = quick
            .iter()
            .filter(|(k, v)| glance.quick.get(*k) != Some(*v))
            .map(|(k, _)| k)
            .chain(glance.quick.keys().filter(|k| !quick.contains_key(*k)))
            .filter(|k| !k.starts_with('@'))
            .map(|k| group_of(store, k))
            .collect();
        let before = Manifest::read(&mdir, Some(&scope));
        let mut now = rescan_changed(store, &before, &quick);
        now.quick = quick;
        now.config = config;
        now.scanned = glance.scanned;
        now.file_count = (glance.file_count + now.files.len()).saturating_sub(before.files.len());
        self.apply(
            store,
            Some(scope),
            now,
            BTreeSet::new(),
            None,
            scan_start,
            progress,
        )
    }

    /// Reindexes the documents whose files differ between the recorded manifest (of
    /// `scope`'s groups, or all) and `now`, plus `forced`; then records `now` and the
    /// journal position `watch`.
    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        store: &Store,
        scope: Option<BTreeSet<String>>,
        mut now: Manifest,
        forced: BTreeSet<Owner>,
        watch: Option<(String, u64)>,
        scan_start: i128,
        progress: &dyn Progress,
    ) -> Result<SyncReport, IndexError> {
        let mdir = self.manifest_dir();
        if scope.is_none() {
            now.file_count = now.files.len();
        }
        // With a watcher, a file changed during this sync is in the journal after
        // `watch`; without one, files changed too recently are read again next time.
        let record = |m: &Manifest| {
            if watch.is_some() {
                m.clone()
            } else {
                m.without_racy(scan_start)
            }
        };
        let before = Manifest::read(&mdir, scope.as_ref());
        let unchanged = forced.is_empty()
            && before.files == now.files
            && before.config == now.config
            && before.quick == now.quick;
        if unchanged {
            // Nothing to reindex: only the journal position may have moved. Recording it
            // is worth no wait: a reader that finds the lock busy leaves it to the writer.
            if read_watch(&mdir) != watch && self.write_lock(Duration::ZERO)?.is_some() {
                write_watch(&mdir, watch.as_ref())?;
            }
            return Ok(SyncReport::default());
        }
        let Some((_lock, mut writer)) = self.writer()? else {
            self.notice(
                "note: another docket is updating the search index; answering from its last state"
                    .into(),
            );
            return Ok(SyncReport {
                changed: 0,
                stale: true,
            });
        };
        // Another process may have synced while this one waited: compare again.
        let before = Manifest::read(&mdir, scope.as_ref());
        let mut owners: BTreeSet<Owner> = if before.config != now.config && scope.is_none() {
            writer
                .delete_all_documents()
                .map_err(IndexError::tantivy(&self.dir, "clearing"))?;
            Manifest::default().changed_owners(&now, store)
        } else {
            before.changed_owners(&now, store)
        };
        owners.extend(forced);
        if owners.is_empty() {
            // Nothing to reindex; remember the folders so the next check is quick.
            record(&now).write(&mdir, store, scope.as_ref(), Some(&before))?;
            write_watch(&mdir, watch.as_ref())?;
            return Ok(SyncReport::default());
        }
        let total = owners.len();
        for (done, owner) in owners.iter().enumerate() {
            self.reindex(&mut writer, store, owner)?;
            if done % 256 == 0 {
                progress.tick(done, total);
            }
        }
        progress.tick(total, total);
        writer
            .commit()
            .map_err(IndexError::tantivy(&self.dir, "committing"))?;
        writer
            .wait_merging_threads()
            .map_err(IndexError::tantivy(&self.dir, "merging"))?;
        record(&now).write(&mdir, store, scope.as_ref(), Some(&before))?;
        write_watch(&mdir, watch.as_ref())?;
        self.reload()?;
        Ok(SyncReport {
            changed: total,
            stale: false,
        })
    }

    /// Replaces one document with what its files say now (or removes it).
    fn reindex(
        &self,
        writer: &mut IndexWriter,
        store: &Store,
        owner: &Owner,
    ) -> Result<(), IndexError> {
        let f = self.fields;
        let key = match owner {
            Owner::Ticket(k) | Owner::Article(k) | Owner::Customer(k) => k,
        };
        writer.delete_term(Term::from_field_text(f.key, key));
        if !store.abs(key).is_file() {
            return Ok(());
        }
        let doc = match owner {
            Owner::Ticket(rel) => self.ticket_doc(store, rel),
            Owner::Article(rel) => self.article_doc(store, rel),
            Owner::Customer(rel) => self.customer_doc(store, rel),
        };
        if let Some(doc) = doc {
            writer
                .add_document(doc)
                .map_err(IndexError::tantivy(&self.dir, "adding a document"))?;
        }
        Ok(())
    }

    fn problem_doc(&self, rel: &str, p: &Problem) -> TantivyDocument {
        let f = self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.key, rel);
        d.add_text(f.kind, "problem");
        let message = p.to_string();
        d.add_bytes(f.problem, &super::schema::encode_problem(rel, &message));
        d.add_text(f.data, message);
        d
    }

    fn ticket_doc(&self, store: &Store, rel: &str) -> Option<TantivyDocument> {
        let f = self.fields;
        let t = match store.load_ticket(rel) {
            Ok(t) => t,
            Err(StoreError::Bad(p)) => return Some(self.problem_doc(rel, &p)),
            Err(e) => return Some(self.problem_doc(rel, &Problem::at(rel, 1, e.to_string()))),
        };
        let k = &t.ticket;
        let mut d = TantivyDocument::default();
        d.add_text(f.key, rel);
        d.add_text(f.kind, "ticket");
        d.add_text(f.id, k.id.as_str());
        d.add_text(f.tid, k.id.as_str());
        d.add_text(f.title, &k.title);
        d.add_text(f.body, t.doc.body());
        if let Ok(text) = store.ticket_text(&t) {
            d.add_text(f.comments, text.comments_text());
        }
        for l in &k.labels {
            d.add_text(f.label, l);
        }
        d.add_text(f.status, &k.status);
        if let Some(c) = &k.customer {
            d.add_text(f.customer, c);
        }
        for a in &k.links.articles {
            d.add_text(f.articles, a);
        }
        if let Some(dup) = &k.links.duplicate_of {
            d.add_text(f.duplicate_of, dup);
        }
        d.add_text(f.created, &k.created);
        d.add_text(f.data, serde_json::to_string(k).unwrap_or_default());
        d.add_bytes(f.row, &super::schema::encode_row(k));
        Some(d)
    }

    fn article_doc(&self, store: &Store, rel: &str) -> Option<TantivyDocument> {
        let f = self.fields;
        let doc = store.read_doc(rel).ok()?;
        let a = article_from_doc(&doc).ok()?;
        let stem = Path::new(rel)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let slug = a.slug.clone().unwrap_or(stem);
        let mut d = TantivyDocument::default();
        d.add_text(f.key, rel);
        d.add_text(f.kind, "kb");
        d.add_text(f.id, &slug);
        d.add_text(f.title, &a.title);
        let mut body = String::new();
        if let Some(desc) = &a.description {
            body.push_str(desc);
            body.push_str("\n\n");
        }
        body.push_str(doc.body());
        d.add_text(f.body, body);
        for t in &a.tags {
            d.add_text(f.label, t);
        }
        d.add_text(
            f.status,
            serde_json::to_value(a.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        );
        d.add_text(
            f.data,
            serde_json::json!({ "slug": slug, "id": a.id, "title": a.title }).to_string(),
        );
        Some(d)
    }

    fn customer_doc(&self, store: &Store, rel: &str) -> Option<TantivyDocument> {
        let f = self.fields;
        let doc = store.read_doc(rel).ok()?;
        let c = customer_from_doc(&doc).ok()?;
        let stem = Path::new(rel)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let slug = c.slug.clone().unwrap_or(stem);
        let mut d = TantivyDocument::default();
        d.add_text(f.key, rel);
        d.add_text(f.kind, "customer");
        d.add_text(f.id, &slug);
        d.add_text(f.customer, &slug);
        d.add_text(f.title, &c.name);
        let mut body = String::new();
        if let Some(org) = &c.org {
            body.push_str(org);
            body.push('\n');
        }
        for ct in &c.contacts {
            body.push_str(&format!("{} {}\n", ct.name, ct.email));
        }
        body.push_str(doc.body());
        d.add_text(f.body, body);
        for t in &c.tags {
            d.add_text(f.label, t);
        }
        if let Some(tier) = &c.tier {
            d.add_text(f.status, tier);
        }
        Some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trips_by_group() {
        let dir = tempfile::tempdir().expect("temp");
        let store = Store::open(dir.path()).expect("store");
        let mdir = dir.path().join("manifest");
        let mut m = Manifest {
            config: "abc".into(),
            scanned: 99,
            file_count: 3,
            ..Manifest::default()
        };
        m.files
            .insert("support/tickets/AB/T-AB.md".into(), (12, 34));
        m.files
            .insert("support/tickets/CD/T-CD/c 1.md".into(), (5, 6));
        m.files.insert("support/kb/a b.md".into(), (1, -2));
        m.quick.insert("@git-index".into(), 7);
        m.write(&mdir, &store, None, None).expect("write");
        assert_eq!(Manifest::read(&mdir, None), m);
        let glance = Manifest::read_quick(&mdir);
        assert_eq!((glance.file_count, glance.files.len()), (3, 0));
        assert_eq!(glance.quick, m.quick);
        let one: BTreeSet<String> = ["t-CD".to_string()].into();
        let part = Manifest::read(&mdir, Some(&one));
        assert_eq!(part.files.len(), 1);
        fs::write(mdir.join("quick"), "config x\nnot a line").expect("write");
        assert_eq!(Manifest::read(&mdir, None), Manifest::default());
    }
}
