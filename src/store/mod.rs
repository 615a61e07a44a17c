//! The help desk's files in a work tree: where they live, finding them, loading them
//! leniently, and writing them atomically. This is the only module that knows the
//! layout on disk (`.docket/config.yaml`, `tickets/<SS>/<ID>.md`, comment folders, KB
//! and customer folders: see `layout`, which other modules ask instead of taking paths
//! apart). It uses `model` for the types and `doc` for the text.
//!
//! Every path it reads, lists or writes passes the [`guard`] first: nothing resolves
//! outside the work tree (or the folder `paths.customers` names), and no symbolic link
//! is followed.

mod error;
pub mod guard;
mod layout;
mod load;
mod searchable;
pub mod validate;

use std::fs;
use std::path::{Path, PathBuf};

pub use error::{Problem, StoreError};
pub use layout::{Area, CONFIG_PATH, DataFolder, FileRole, FolderRole, copy_order};
pub use load::{article_from_doc, comment_from_doc, customer_from_doc, ticket_from_doc};
pub use searchable::TicketText;
pub use validate::{
    FileKind, Known, PRIORITIES, validate_article, validate_bytes, validate_comment,
    validate_config, validate_customer, validate_ticket,
};

use crate::doc::Document;
use crate::model::{Article, Comment, Config, Customer, Ticket, TicketId, short_prefix};
use layout::{is_root, trim_dir};

/// The help desk in one work tree.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    config: Config,
    /// Folders the guard found real recently (reads only).
    checked: std::sync::Arc<guard::Checked>,
}

/// A ticket file, loaded.
#[derive(Debug, Clone)]
pub struct TicketFile {
    /// Path relative to the repository root, `/`-separated.
    pub rel: String,
    /// The text, for edits.
    pub doc: Document,
    /// The values, read leniently.
    pub ticket: Ticket,
}

/// A comment file, loaded.
#[derive(Debug, Clone)]
pub struct CommentFile {
    /// Path relative to the repository root, `/`-separated.
    pub rel: String,
    /// The values, read leniently.
    pub comment: Comment,
    /// The Markdown text.
    pub body: String,
}

/// A KB article or customer file, loaded.
#[derive(Debug, Clone)]
pub struct RecordFile<T> {
    /// Path as shown to the user (relative to the repository root when inside it).
    pub rel: String,
    /// The slug: the `slug` key, else the file name.
    pub slug: String,
    /// The text, for edits.
    pub doc: Document,
    /// The values, read leniently.
    pub value: T,
}

/// Where one ticket's file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketEntry {
    /// The id (the file name without `.md`).
    pub id: TicketId,
    /// Path relative to the repository root.
    pub rel: String,
}

/// Files loaded in bulk, and the files that could not be loaded.
#[derive(Debug)]
pub struct Loaded<T> {
    /// What loaded.
    pub items: Vec<T>,
    /// What did not, one problem per file.
    pub problems: Vec<Problem>,
}

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Loaded {
            items: Vec::new(),
            problems: Vec::new(),
        }
    }
}

impl Store {
    /// Opens the desk rooted at a work tree, reading its config (defaults when absent).
    pub fn open(root: &Path) -> Result<Store, StoreError> {
        let path = guard::inside(root, CONFIG_PATH).map_err(|refusal| StoreError::Refused {
            path: CONFIG_PATH.into(),
            refusal,
        })?;
        let config = match fs::read(&path) {
            Ok(bytes) => crate::doc::parse_yaml::<Config>(&bytes)
                .map_err(|e| StoreError::Bad(Problem::from_doc(CONFIG_PATH, &e)))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
            Err(e) => return Err(StoreError::io(path, e)),
        };
        if let Some((key, _, message)) = config.workflow.problems().into_iter().next() {
            let line = fs::read(&path)
                .ok()
                .and_then(|b| Document::parse(&config_as_doc(&b)).ok())
                .and_then(|d| d.line_of(&key).map(|l| l - 1))
                .unwrap_or(1);
            return Err(StoreError::Bad(
                Problem::at(CONFIG_PATH, line, message)
                    .hint("list every status used by the workflow under `workflow.statuses`"),
            ));
        }
        let store = Store {
            root: root.to_path_buf(),
            config,
            checked: Default::default(),
        };
        store.check_folders(&path)?;
        Ok(store)
    }

    /// Refuses data folders that lead outside the work tree: `paths.tickets` and
    /// `paths.kb` must be plain relative paths inside it, and no folder on the way to
    /// them (nor to a customers folder inside the work tree) may be a symbolic link.
    /// `paths.customers` alone may name a folder outside, which is then trusted as the
    /// user's choice.
    fn check_folders(&self, config_path: &Path) -> Result<(), StoreError> {
        let paths = &self.config.paths;
        let mut folders = vec![
            ("tickets", paths.tickets.as_str()),
            ("kb", paths.kb.as_str()),
        ];
        if self.customers_outside().is_none() {
            folders.push(("customers", paths.customers.as_str()));
        }
        for (key, value) in folders {
            if is_root(value) {
                continue;
            }
            let Err(refusal) = guard::inside(&self.root, value) else {
                continue;
            };
            let line = fs::read(config_path)
                .ok()
                .and_then(|b| Document::parse(&config_as_doc(&b)).ok())
                .and_then(|d| d.line_of(&["paths", key]).map(|l| l - 1))
                .unwrap_or(1);
            let (message, hint) = match &refusal {
                guard::Refusal::Link { link, target, .. } => (
                    format!(
                        "`paths.{key}: {value}` goes through the symbolic link {link} (to {}), which docket does not follow",
                        target.display()
                    ),
                    format!(
                        "replace {link} with the folder itself, or point `paths.{key}` at a real folder inside the repository"
                    ),
                ),
                guard::Refusal::Unsafe { reason } => (
                    format!("`paths.{key}: {value}` lies outside the work tree: {reason}"),
                    format!(
                        "point `paths.{key}` at a folder inside the repository (only `paths.customers` may lie outside)"
                    ),
                ),
                guard::Refusal::Io { .. } => {
                    return Err(StoreError::Refused {
                        path: value.to_string(),
                        refusal,
                    });
                }
            };
            return Err(StoreError::Bad(
                Problem::at(CONFIG_PATH, line, message).hint(hint),
            ));
        }
        Ok(())
    }

    /// The customers folder when the config puts it outside the work tree (absolute, or
    /// climbing out with `..`): the private folder of the README, trusted as configured.
    fn customers_outside(&self) -> Option<PathBuf> {
        let c = self.customers_rel();
        let joined = self.root.join(c);
        let outside =
            Path::new(c).is_absolute() || !lexical(&joined).starts_with(lexical(&self.root));
        outside.then_some(joined)
    }

    /// The absolute path of a store path, checked by the [`guard`]: inside the work tree
    /// (or inside the private customers folder), with no symbolic link on the way. What
    /// every read, listing and write uses.
    pub fn path(&self, rel: &str) -> Result<PathBuf, StoreError> {
        self.guarded(rel, guard::inside)
    }

    /// [`Store::path`] for a folder to list, which may be the work tree itself (`paths.kb:
    /// .`) or the private customers folder as configured.
    fn dir_path(&self, rel: &str) -> Result<PathBuf, StoreError> {
        if is_root(rel) {
            return Ok(self.root.clone());
        }
        match self.customers_outside() {
            Some(base) if trim_dir(rel) == self.customers_rel() => Ok(base),
            _ => self.path(rel),
        }
    }

    /// [`Store::path`] for reading: folders checked in the last second are trusted, and
    /// the file's own metadata (not following a link) comes back with the path.
    fn read_path(&self, rel: &str) -> Result<(PathBuf, Option<fs::Metadata>), StoreError> {
        self.guarded(rel, |root, rest| {
            guard::inside_cached(root, rest, &self.checked)
        })
    }

    /// Runs a guard on `rel` against the folder it belongs to: the private customers
    /// folder when it lies outside and `rel` is in it, else the work tree.
    fn guarded<T>(
        &self,
        rel: &str,
        check: impl Fn(&Path, &str) -> Result<T, guard::Refusal>,
    ) -> Result<T, StoreError> {
        let refused = |refusal| StoreError::Refused {
            path: rel.to_string(),
            refusal,
        };
        if let Some(base) = self.customers_outside() {
            let c = self.customers_rel();
            if let Some(rest) = rel
                .strip_prefix(c)
                .filter(|r| r.is_empty() || r.starts_with('/'))
            {
                let rest = rest.trim_start_matches('/');
                return check(&base, rest).map_err(|r| {
                    refused(match r {
                        guard::Refusal::Link {
                            link,
                            target,
                            whole,
                        } => guard::Refusal::Link {
                            link: format!("{c}/{link}"),
                            target,
                            whole,
                        },
                        other => other,
                    })
                });
            }
        }
        check(&self.root, rel).map_err(refused)
    }

    /// The work tree root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The desk's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Absolute path of a repository-relative path, by joining alone: for naming and
    /// comparing paths. Reading or writing goes through [`Store::path`], which checks.
    pub fn abs(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Every ticket file, from directory names alone (no file is read).
    pub fn ticket_entries(&self) -> Result<Vec<TicketEntry>, StoreError> {
        self.ticket_listing(&mut Vec::new())
    }

    /// [`Store::ticket_entries`], also collecting the links it left out (shard folders
    /// or ticket files that are symbolic links).
    fn ticket_listing(&self, links: &mut Vec<String>) -> Result<Vec<TicketEntry>, StoreError> {
        let dir = self.dir_path(self.tickets_rel())?;
        let mut out = Vec::new();
        // The folder is checked once; shards and files are taken from the listing's own
        // file types, which never follow a link (a linked shard is left out).
        let shards = match fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(StoreError::io(dir, e)),
        };
        for shard in shards {
            let shard = shard.map_err(|e| StoreError::io(&dir, e))?;
            let shard_name = shard.file_name().to_string_lossy().into_owned();
            let kind = shard.file_type().ok();
            if kind.is_some_and(|t| t.is_symlink()) {
                links.push(format!("{}/{shard_name}", self.tickets_rel()));
            }
            if !kind.is_some_and(|t| t.is_dir()) {
                continue;
            }
            let rd = fs::read_dir(shard.path()).map_err(|e| StoreError::io(shard.path(), e))?;
            for f in rd {
                let f = f.map_err(|e| StoreError::io(shard.path(), e))?;
                let name = f.file_name().to_string_lossy().into_owned();
                let Some(stem) = name.strip_suffix(".md") else {
                    continue;
                };
                let kind = f.file_type().ok();
                if kind.is_some_and(|t| t.is_symlink()) {
                    links.push(format!("{}/{shard_name}/{name}", self.tickets_rel()));
                }
                if !kind.is_some_and(|t| t.is_file()) {
                    continue;
                }
                if let Ok(id) = stem.parse::<TicketId>() {
                    out.push(TicketEntry {
                        id,
                        rel: format!("{}/{shard_name}/{name}", self.tickets_rel()),
                    });
                }
            }
        }
        // Copies of one id (a file copied into another shard) in the order they win.
        out.sort_by(|a, b| {
            (&a.id, copy_order(a.id.as_str(), &a.rel))
                .cmp(&(&b.id, copy_order(b.id.as_str(), &b.rel)))
        });
        Ok(out)
    }

    /// Finds the one ticket whose id starts with `prefix` (case-insensitive; `T-` optional).
    pub fn resolve(&self, prefix: &str) -> Result<TicketEntry, StoreError> {
        // A whole id names its file directly: no folder listing (fast with many tickets).
        // An exact match wins over prefixes in `resolve_in` too, so the answer is the same.
        if let Some(entry) = self.exact_entry(prefix) {
            return Ok(entry);
        }
        let entries = self.ticket_entries()?;
        resolve_in(&entries, prefix)
    }

    /// The entry of a whole id (with or without `T-`, any case) whose file exists.
    fn exact_entry(&self, given: &str) -> Option<TicketEntry> {
        let typed: crate::model::TypedId = given.parse().ok()?;
        typed.spellings().find_map(|c| {
            let id: TicketId = c.parse().ok()?;
            let rel = self.ticket_rel(&id);
            match self.path(&rel) {
                Ok(path) => fs::symlink_metadata(path)
                    .ok()?
                    .is_file()
                    .then_some(TicketEntry { id, rel }),
                // Loading it then says which link was refused, instead of "no ticket".
                Err(StoreError::Refused { .. }) => Some(TicketEntry { id, rel }),
                Err(_) => None,
            }
        })
    }

    /// Loads one ticket by id or prefix.
    pub fn ticket(&self, prefix: &str) -> Result<TicketFile, StoreError> {
        let entry = self.resolve(prefix)?;
        self.load_ticket(&entry.rel)
    }

    /// Loads a ticket file.
    pub fn load_ticket(&self, rel: &str) -> Result<TicketFile, StoreError> {
        let doc = self.read_doc(rel)?;
        let ticket = ticket_from_doc(&doc).map_err(|p| StoreError::Bad(p.with_path(rel)))?;
        Ok(TicketFile {
            rel: rel.to_string(),
            doc,
            ticket,
        })
    }

    /// Loads every ticket; unusable files become problems, never failures. Of several
    /// files with one `id:`, the one [`copy_order`] puts first is the ticket and each
    /// other is a problem that names both files.
    pub fn tickets(&self) -> Result<Loaded<TicketFile>, StoreError> {
        let mut out = Loaded::default();
        let mut loaded = Vec::new();
        let mut links = Vec::new();
        let entries = self.ticket_listing(&mut links)?;
        out.problems.extend(links.iter().map(|l| link_problem(l)));
        for e in entries {
            match self.load_ticket(&e.rel) {
                Ok(t) => loaded.push(t),
                Err(StoreError::Bad(p)) => out.problems.push(p),
                Err(err) => out.problems.push(Problem::at(&e.rel, 1, err.to_string())),
            }
        }
        // The winning file of each id (the file name and `id:` may disagree).
        let mut winner: std::collections::BTreeMap<&str, &str> = Default::default();
        for t in &loaded {
            let id = t.ticket.id.as_str();
            let w = winner.entry(id).or_insert(&t.rel);
            if copy_order(id, &t.rel) < copy_order(id, w) {
                *w = &t.rel;
            }
        }
        let winner: std::collections::BTreeMap<String, String> = winner
            .into_iter()
            .map(|(id, rel)| (id.to_string(), rel.to_string()))
            .collect();
        for t in loaded {
            let id = t.ticket.id.as_str();
            match winner.get(id) {
                Some(first) if *first != t.rel => out.problems.push(duplicate_problem(&t, first)),
                _ => out.items.push(t),
            }
        }
        Ok(out)
    }

    /// A ticket's comments, oldest first (file names start with a UTC stamp).
    pub fn comments(&self, ticket_rel: &str) -> Result<Loaded<CommentFile>, StoreError> {
        let dir_rel = self.comments_rel(ticket_rel);
        let mut out = Loaded::default();
        let mut links = Vec::new();
        let files = self.md_files(&dir_rel, &mut links)?;
        out.problems.extend(links.iter().map(|l| link_problem(l)));
        for rel in files {
            match self.read_doc(&rel).and_then(|doc| {
                comment_from_doc(&doc)
                    .map(|comment| CommentFile {
                        rel: rel.clone(),
                        comment,
                        body: doc.body().to_string(),
                    })
                    .map_err(|p| StoreError::Bad(p.with_path(&rel)))
            }) {
                Ok(c) => out.items.push(c),
                Err(StoreError::Bad(p)) => out.problems.push(p),
                Err(e) => return Err(e),
            }
        }
        out.items.sort_by(|a, b| {
            (a.comment.created.as_str(), a.rel.as_str())
                .cmp(&(b.comment.created.as_str(), b.rel.as_str()))
        });
        Ok(out)
    }

    /// Every KB article. The KB folder is read recursively (a docs tree works as it is),
    /// but never the customer or ticket folders, even when they lie inside it: customer
    /// records and tickets are not articles and must never be published as such.
    pub fn articles(&self) -> Result<Loaded<RecordFile<Article>>, StoreError> {
        let dir = self.kb_rel().to_string();
        let mut loaded = self.records(&dir, true, article_from_doc)?;
        let excluded = [self.customers_rel(), self.tickets_rel()].map(|d| lexical(&self.abs(d)));
        let keep = |rel: &str| {
            let abs = lexical(&self.abs(rel));
            !excluded.iter().any(|x| abs.starts_with(x))
        };
        loaded.items.retain(|r| keep(&r.rel));
        loaded.problems.retain(|p| keep(&p.path.to_string_lossy()));
        Ok(loaded)
    }

    /// The one article named by `key`: its slug, or its path inside the KB folder (with or
    /// without `.md`), which tells apart pages of a docs tree that share a slug.
    pub fn article(&self, key: &str) -> Result<RecordFile<Article>, StoreError> {
        let loaded = self.articles()?;
        let kb = self.kb_rel();
        let by_path = |r: &&RecordFile<Article>| {
            let inside = r.rel.strip_prefix(kb).map(|s| s.trim_start_matches('/'));
            inside.is_some_and(|p| p == key || p.strip_suffix(".md") == Some(key))
        };
        if let Some(r) = loaded.items.iter().find(by_path) {
            return Ok(r.clone());
        }
        one_record(
            "article",
            key,
            loaded.items.into_iter().filter(|r| r.slug == key),
        )
    }

    /// The one customer record with this slug.
    pub fn customer(&self, slug: &str) -> Result<RecordFile<Customer>, StoreError> {
        let loaded = self.customers()?;
        one_record(
            "customer",
            slug,
            loaded.items.into_iter().filter(|r| r.slug == slug),
        )
    }

    /// Every customer record.
    pub fn customers(&self) -> Result<Loaded<RecordFile<Customer>>, StoreError> {
        let dir = self.customers_rel().to_string();
        self.records(&dir, false, customer_from_doc)
    }

    fn records<T>(
        &self,
        dir: &str,
        recursive: bool,
        convert: fn(&Document) -> Result<T, Problem>,
    ) -> Result<Loaded<RecordFile<T>>, StoreError> {
        let mut out = Loaded::default();
        let mut links = Vec::new();
        let files = if recursive {
            self.md_files_recursive(dir, &mut links)?
        } else {
            self.md_files(dir, &mut links)?
        };
        out.problems.extend(links.iter().map(|l| link_problem(l)));
        for rel in files {
            let loaded = self.read_doc(&rel).and_then(|doc| {
                let value = convert(&doc).map_err(|p| StoreError::Bad(p.with_path(&rel)))?;
                let stem = Path::new(&rel)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let slug = doc
                    .get(&["slug"])
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .unwrap_or(stem);
                Ok(RecordFile {
                    rel: rel.clone(),
                    slug,
                    doc,
                    value,
                })
            });
            match loaded {
                Ok(r) => out.items.push(r),
                Err(StoreError::Bad(p)) => out.problems.push(p),
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// `.md` files directly in a folder, sorted; none when it does not exist. Links are
    /// left out, and collected in `links`.
    fn md_files(&self, dir_rel: &str, links: &mut Vec<String>) -> Result<Vec<String>, StoreError> {
        let dir = self.dir_path(dir_rel)?;
        let rd = match fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::io(dir, e)),
        };
        let mut out = Vec::new();
        for f in rd {
            let f = f.map_err(|e| StoreError::io(&dir, e))?;
            let name = f.file_name().to_string_lossy().into_owned();
            let kind = f.file_type().ok();
            if kind.is_some_and(|t| t.is_symlink()) {
                links.push(format!("{dir_rel}/{name}"));
            } else if name.ends_with(".md") && kind.is_some_and(|t| t.is_file()) {
                out.push(format!("{dir_rel}/{name}"));
            }
        }
        out.sort();
        Ok(out)
    }

    /// `.md` files anywhere under a folder (a docs tree), sorted; symlinks not followed.
    fn md_files_recursive(
        &self,
        dir_rel: &str,
        links: &mut Vec<String>,
    ) -> Result<Vec<String>, StoreError> {
        // walkdir follows a link given as the root: the guard checks the root first.
        let base = self.dir_path(dir_rel)?;
        let mut out = Vec::new();
        let entries = walkdir::WalkDir::new(&base)
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok);
        for e in entries {
            let Ok(rel) = e.path().strip_prefix(&base) else {
                continue;
            };
            let rel = format!("{dir_rel}/{}", rel.to_string_lossy().replace('\\', "/"));
            if e.path_is_symlink() {
                links.push(rel);
            } else if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") {
                out.push(rel);
            }
        }
        out.sort();
        links.sort();
        Ok(out)
    }

    /// Reads and parses one file.
    pub fn read_doc(&self, rel: &str) -> Result<Document, StoreError> {
        let (path, meta) = self.read_path(rel)?;
        let meta = match meta {
            Some(meta) => meta,
            None => fs::symlink_metadata(&path).map_err(|e| StoreError::io(rel, e))?,
        };
        if meta.len() > crate::doc::MAX_FILE_BYTES as u64 {
            return Err(StoreError::Bad(Problem::from_doc(
                rel,
                &crate::doc::DocError::TooLarge {
                    size: meta.len() as usize,
                    limit: crate::doc::MAX_FILE_BYTES,
                },
            )));
        }
        let bytes = fs::read(&path).map_err(|e| StoreError::io(rel, e))?;
        Document::parse(&bytes).map_err(|e| StoreError::Bad(Problem::from_doc(rel, &e)))
    }

    /// Writes a file atomically (temporary file in the same folder, then rename), so a
    /// crash leaves either the old or the new content.
    pub fn write(&self, rel: &str, text: &str) -> Result<(), StoreError> {
        let path = self.path(rel)?;
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
        crate::atomic::replace(&path, text.as_bytes(), crate::atomic::Durability::Synced)
            .map_err(|e| StoreError::io(&path, e))
    }

    /// Whether something is at a store path, looked at without following links (a path
    /// the guard refuses counts as free: writing there then says why it is refused).
    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel)
            .is_ok_and(|p| fs::symlink_metadata(p).is_ok())
    }

    /// Whether a KB article with this slug exists.
    pub fn article_exists(&self, slug: &str) -> Result<bool, StoreError> {
        Ok(self.articles()?.items.iter().any(|a| a.slug == slug))
    }

    /// Whether a customer with this slug exists.
    pub fn customer_exists(&self, slug: &str) -> Result<bool, StoreError> {
        Ok(self.customers()?.items.iter().any(|c| c.slug == slug))
    }

    /// Shortest unique display prefixes for a set of ids.
    pub fn short_ids<'a>(&self, ids: &[&'a str]) -> Vec<&'a str> {
        let mut sorted: Vec<&str> = ids.to_vec();
        sorted.sort_unstable();
        ids.iter()
            .map(|id| {
                let i = sorted.binary_search(id).unwrap_or(0);
                let neighbours: Vec<&str> = [i.checked_sub(1), Some(i + 1)]
                    .into_iter()
                    .flatten()
                    .filter_map(|j| sorted.get(j).copied())
                    .collect();
                short_prefix(id, &neighbours, 4)
            })
            .collect()
    }
}

/// What a listing says about a link it left out.
fn link_problem(rel: &str) -> Problem {
    Problem::at(rel, 1, "is a symbolic link, which docket does not follow").hint(
        "replace the link with the file or folder itself; docket reads nothing outside the work tree",
    )
}

/// A path with `.` and `..` resolved by text alone (no file system access), so folders
/// can be compared however the config spells them.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The single record in `matches`, or why there is not exactly one.
fn one_record<T>(
    kind: &'static str,
    key: &str,
    matches: impl Iterator<Item = RecordFile<T>>,
) -> Result<RecordFile<T>, StoreError> {
    let mut all: Vec<RecordFile<T>> = matches.collect();
    match all.len() {
        0 => Err(StoreError::NoSuchRecord {
            kind,
            slug: key.to_string(),
        }),
        1 => Ok(all.remove(0)),
        _ => Err(StoreError::AmbiguousRecord {
            kind,
            slug: key.to_string(),
            paths: all.into_iter().map(|r| r.rel).collect(),
        }),
    }
}

/// A config file read as a frontmatter document, so keys can be located by line.
fn config_as_doc(bytes: &[u8]) -> Vec<u8> {
    let mut v = b"---\n".to_vec();
    v.extend_from_slice(bytes);
    if !v.ends_with(b"\n") {
        v.push(b'\n');
    }
    v.extend_from_slice(b"---\n");
    v
}

/// The problem of a ticket file whose id a file that wins by [`copy_order`] also has.
fn duplicate_problem(t: &TicketFile, first: &str) -> Problem {
    Problem::at(
        &t.rel,
        t.doc.line_of(&["id"]).unwrap_or(1),
        format!(
            "ticket id `{}` is also used by {first}, which is the ticket docket shows",
            t.ticket.id
        ),
    )
    .hint("give this copy a new id (file name and `id:`) or delete it")
}

/// Finds the one entry whose id starts with `prefix`, like git does for hashes. Of
/// entries with one id (copies of a ticket), the first wins: callers pass them in
/// [`copy_order`].
pub fn resolve_in(entries: &[TicketEntry], prefix: &str) -> Result<TicketEntry, StoreError> {
    let Ok(typed) = prefix.parse::<crate::model::TypedId>() else {
        return Err(StoreError::NotFound(prefix.to_string()));
    };
    if let Some(exact) = entries.iter().find(|e| typed.is(e.id.as_str())) {
        return Ok(exact.clone());
    }
    let mut matches: Vec<&TicketEntry> = entries
        .iter()
        .filter(|e| typed.is_prefix_of(e.id.as_str()))
        .collect();
    // Copies of one ticket are one match (entries come sorted by id).
    matches.dedup_by(|b, a| a.id == b.id);
    match matches.as_slice() {
        [] => Err(StoreError::NotFound(prefix.to_string())),
        [one] => Ok((*one).clone()),
        many => Err(StoreError::Ambiguous {
            prefix: prefix.to_string(),
            candidates: many.iter().map(|e| e.id.to_string()).collect(),
        }),
    }
}

impl Problem {
    /// The same problem, about another path.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Problem {
        self.path = path.into();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> TicketEntry {
        TicketEntry {
            id: id.parse().expect("safe"),
            rel: format!("t/{id}.md"),
        }
    }

    #[test]
    fn prefixes_resolve_like_git() {
        let es = [
            entry("T-4K7QX2M9AB"),
            entry("T-4K7RAAAAAA"),
            entry("T-13277068"),
        ];
        assert_eq!(
            resolve_in(&es, "4k7q").expect("unique").id.as_str(),
            "T-4K7QX2M9AB"
        );
        assert_eq!(
            resolve_in(&es, "T-4K7Q").expect("unique").id.as_str(),
            "T-4K7QX2M9AB"
        );
        assert_eq!(
            resolve_in(&es, "T-132").expect("unique").id.as_str(),
            "T-13277068"
        );
        match resolve_in(&es, "4K7") {
            Err(StoreError::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 2),
            other => panic!("expected ambiguity, got {other:?}"),
        }
        assert!(matches!(
            resolve_in(&es, "ZZZ"),
            Err(StoreError::NotFound(_))
        ));
    }

    #[test]
    fn the_copy_at_home_wins_then_the_first_path() {
        let id = "T-AB12345678";
        let home = "support/tickets/AB/T-AB12345678.md";
        let early = "support/tickets/00/T-AB12345678.md";
        let late = "support/tickets/ZZ/T-AB12345678.md";
        assert!(copy_order(id, home) < copy_order(id, early));
        assert!(copy_order(id, early) < copy_order(id, late));
        // Copies of one id are one match for a prefix, the first of them.
        let copies = [
            TicketEntry {
                id: id.parse().expect("safe"),
                rel: home.into(),
            },
            TicketEntry {
                id: id.parse().expect("safe"),
                rel: late.into(),
            },
        ];
        assert_eq!(resolve_in(&copies, "ab12").expect("one ticket").rel, home);
    }
}
