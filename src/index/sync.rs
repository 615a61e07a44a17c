//! Incremental sync: stat the data files, compare with the manifest of the last sync,
//! and reindex only the documents whose files changed (a comment belongs to its ticket's
//! document). The manifest is `size mtime_ns path` a line, written atomically after the
//! index commit.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use tantivy::{IndexWriter, TantivyDocument, Term};

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

/// Below this many files every sync stats every file (a few ms); above it, the quick
/// fingerprint decides what to stat (see the module documentation of `index`).
pub const FULL_SCAN_LIMIT: usize = 20_000;
/// A large desk is still statted in full at least this often (ns), so an in-place edit
/// that changed no folder and no git state is seen within this time.
const FULL_SCAN_EVERY: i128 = 300 * 1_000_000_000;

fn quick_path(path: &Path) -> PathBuf {
    path.with_extension("quick")
}

fn write_atomic(path: &Path, text: &str) -> Result<(), IndexError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(IndexError::io(dir))?;
    tmp.write_all(text.as_bytes())
        .map_err(IndexError::io(path))?;
    tmp.persist(path).map_err(|e| IndexError::Io {
        path: path.to_owned(),
        source: e.error,
    })?;
    Ok(())
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
    /// Reads a manifest; a missing or unreadable one is empty (everything is new).
    pub fn read(path: &Path) -> Manifest {
        let Ok(text) = fs::read_to_string(path) else {
            return Manifest::default();
        };
        Manifest::parse(&text).unwrap_or_default()
    }

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

    /// Writes the manifest atomically, and next to it (`<path>.quick`) the same without
    /// the file list, which is all a check of an unchanged large desk needs to read.
    pub fn write(&self, path: &Path) -> Result<(), IndexError> {
        let head = self.head();
        let mut text = String::with_capacity(head.len() + self.files.len() * 64);
        text.push_str(&head);
        for (rel, (size, mtime)) in &self.files {
            text.push_str(&format!("f {size} {mtime} {rel}\n"));
        }
        write_atomic(path, &text)?;
        write_atomic(&quick_path(path), &head)
    }

    /// The manifest without its file list.
    fn head(&self) -> String {
        let mut head = format!(
            "config {}\nscanned {}\nn {}\n",
            self.config,
            self.scanned,
            self.files.len()
        );
        for (name, mtime) in &self.quick {
            head.push_str(&format!("q {mtime} {name}\n"));
        }
        head
    }

    /// Writes only the fingerprint file (the manifest itself is unchanged).
    pub fn write_quick(&self, path: &Path) -> Result<(), IndexError> {
        write_atomic(&quick_path(path), &self.head())
    }

    /// Reads only the fingerprint written next to a manifest (no file list).
    pub fn read_quick(path: &Path) -> Manifest {
        Manifest::read(&quick_path(path))
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

fn config_hash(store: &Store) -> String {
    let config = fs::read(store.abs(crate::store::CONFIG_PATH)).unwrap_or_default();
    format!("{:016x}", fnv(&config))
}

fn mtime_ns(meta: &fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// The quick fingerprint: git's index file (every checkout, pull, rebase, reset, commit
/// and `git add` rewrites it), the ticket shard folders (a file created, deleted or
/// renamed in one changes its mtime, and editors that save by rename do that), and the
/// KB and customer folders. About a thousand stats, a few ms.
pub fn quick(store: &Store, git_dir: &Path) -> BTreeMap<String, i128> {
    let mut q = BTreeMap::new();
    let gi = git_dir.join("index");
    let gi_stamp = fs::metadata(&gi).map_or(0, |m| mtime_ns(&m) ^ (m.len() as i128) << 64);
    q.insert("@git-index".to_string(), gi_stamp);
    let tickets = store.tickets_rel().to_string();
    if let Ok(rd) = fs::read_dir(store.abs(&tickets)) {
        for e in rd.filter_map(Result::ok) {
            if let Some(meta) = e.metadata().ok().filter(|m| m.is_dir()) {
                let name = e.file_name().to_string_lossy().into_owned();
                q.insert(format!("{tickets}/{name}"), mtime_ns(&meta));
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
                q.insert(key, mtime_ns(&meta));
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
        let mtime = mtime_ns(&meta);
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

impl SearchIndex {
    fn manifest_path(&self) -> PathBuf {
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
        let git_dir = self
            .dir
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let quick = quick(store, &git_dir);
        let glance = Manifest::read_quick(&self.manifest_path());
        if glance.file_count >= FULL_SCAN_LIMIT
            && glance.quick == quick
            && scan_start - glance.scanned <= FULL_SCAN_EVERY
            && glance.config == config_hash(store)
        {
            return Ok(SyncReport::default());
        }
        let before = Manifest::read(&self.manifest_path());
        let large = before.files.len() >= FULL_SCAN_LIMIT;
        let git_moved = before.quick.get("@git-index") != quick.get("@git-index");
        let mut now = if !large
            || git_moved
            || scan_start - before.scanned > FULL_SCAN_EVERY
            || before.config != config_hash(store)
        {
            scan(store)
        } else if before.quick == quick {
            // Unchanged; the fingerprint file was missing or stale: write it for next time.
            before.write_quick(&self.manifest_path())?;
            return Ok(SyncReport::default());
        } else {
            rescan_changed(store, &before, &quick)
        };
        now.quick = quick;
        if before.files == now.files && before.config == now.config {
            if before.quick != now.quick || (large && now.scanned != before.scanned) {
                // Nothing to reindex; remember the folders so the next check is quick.
                if let Some(_w) = self.writer()? {
                    now.without_racy(scan_start).write(&self.manifest_path())?;
                }
            }
            return Ok(SyncReport::default());
        }
        let Some(mut writer) = self.writer()? else {
            self.notices.push(
                "note: another docket is updating the search index; answering from its last state"
                    .into(),
            );
            return Ok(SyncReport {
                changed: 0,
                stale: true,
            });
        };
        // Another process may have synced while this one waited: compare again.
        let before = Manifest::read(&self.manifest_path());
        let owners: BTreeSet<Owner> = if before.config != now.config {
            writer
                .delete_all_documents()
                .map_err(IndexError::tantivy(&self.dir, "clearing"))?;
            Manifest::default().changed_owners(&now, store)
        } else {
            before.changed_owners(&now, store)
        };
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
        now.without_racy(scan_start).write(&self.manifest_path())?;
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
        d.add_text(f.data, p.to_string());
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
        if let Ok(comments) = store.comments(rel) {
            let text: Vec<&str> = comments.items.iter().map(|c| c.body.as_str()).collect();
            d.add_text(f.comments, text.join("\n\n"));
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
    fn manifest_round_trips_and_rejects_garbage() {
        let dir = tempfile::tempdir().expect("temp");
        let p = dir.path().join("manifest");
        let mut m = Manifest {
            config: "abc".into(),
            scanned: 99,
            ..Manifest::default()
        };
        m.files
            .insert("support/tickets/AB/T-AB.md".into(), (12, 34));
        m.files.insert("support/kb/a b.md".into(), (1, -2));
        m.quick.insert("@git-index".into(), 7);
        m.file_count = 2;
        m.write(&p).expect("write");
        assert_eq!(Manifest::read(&p), m);
        let glance = Manifest::read_quick(&p);
        assert_eq!((glance.file_count, glance.files.len()), (2, 0));
        assert_eq!(glance.quick, m.quick);
        fs::write(&p, "config x\nnot a line").expect("write");
        assert_eq!(Manifest::read(&p), Manifest::default());
    }
}
