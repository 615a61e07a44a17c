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
mod records;
mod searchable;
mod tickets;
pub mod validate;

use std::fs;
use std::path::{Path, PathBuf};

pub use error::{Problem, StoreError};
pub use layout::{Area, CONFIG_PATH, DataFolder, FileRole, FolderRole, copy_order};
pub use load::{
    EntryKind, article_from_doc, comment_from_doc, customer_from_doc, entry_kind, event_from_doc,
    rating_from_doc, ticket_from_doc,
};
pub use records::RecordFile;
pub use searchable::TicketText;
pub use tickets::{CommentFile, EntryFile, TicketEntry, TicketFile, entry_from_doc, resolve_in};
pub use validate::{
    FileKind, Known, PRIORITIES, Record, field_value_problem, plain_key, unknown_key,
    validate_article, validate_bytes, validate_comment, validate_config, validate_customer,
    validate_entry, validate_event, validate_rating, validate_ticket,
};

use crate::doc::Document;
use crate::model::Config;
use layout::{is_root, trim_dir};

/// The help desk in one work tree.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    config: Config,
    /// Folders the guard found real recently (reads only).
    checked: std::sync::Arc<guard::Checked>,
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

    /// Deletes a file (nothing to do when it is gone already), then the folders below the
    /// tickets folder that this leaves empty (a ticket's comment folder, its shard), as
    /// git keeps no empty folders either.
    pub fn remove(&self, rel: &str) -> Result<(), StoreError> {
        let path = self.path(rel)?;
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(&path, e)),
        }
        let tickets = self.dir_path(self.tickets_rel())?;
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| d.starts_with(&tickets) && *d != tickets) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }

    /// Whether something is at a store path, looked at without following links (a path
    /// the guard refuses counts as free: writing there then says why it is refused).
    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel)
            .is_ok_and(|p| fs::symlink_metadata(p).is_ok())
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

impl Problem {
    /// The same problem, about another path.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Problem {
        self.path = path.into();
        self
    }
}
