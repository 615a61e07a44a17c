//! Git access for docket: find the repository, tell whether a work-tree file is clean, commit
//! exactly a given set of paths on top of HEAD (and update `.git/index` for them so that
//! `git status` stays clean), read the history of paths, resolve signatures and
//! `core.editor`, serialise docket's own writers with a kernel lock and remove git lock
//! files a killed docket left.
//! This is the only module that touches the `gix` crate, so that a gix upgrade (its API
//! changes often) is confined to these files; of docket's it imports only the leaves
//! `interrupt` (to stop waiting on Ctrl-C) and `clock` (unique marker names), and it never
//! runs the git CLI.

mod commit;
mod history;
mod lock;
mod setup;
mod status;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

pub use lock::WriteLock;

/// Everything that can go wrong while docket talks to git; each variant names the path
/// (or the value) it is about so that the CLI can say what to fix.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// There is no git repository at or above the start directory.
    #[error("not inside a git repository: {path}")]
    NotARepo {
        /// The directory the search started from.
        path: PathBuf,
    },
    /// The repository has no work tree, but docket's data are work-tree files.
    #[error("{path} is a bare repository: docket needs a work tree")]
    Bare {
        /// The git directory of the bare repository.
        path: PathBuf,
    },
    /// Neither an override nor git config/environment give a name and an email.
    #[error(
        "no author identity for the repository at {path}: set one with `git config user.name \"Your Name\"` and `git config user.email you@example.com`, or pass --author \"Name <email>\""
    )]
    NoIdentity {
        /// The work tree whose configuration was consulted.
        path: PathBuf,
    },
    /// An identity given by the user is not of the form `Name <email>`.
    #[error("bad identity {value:?}: expected \"Name <email>\"")]
    BadIdentity {
        /// The rejected text.
        value: String,
    },
    /// A repository path is not a clean relative `a/b/c` path inside the work tree.
    #[error("bad repository path {path:?}: {reason}")]
    BadPath {
        /// The rejected path as given.
        path: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// The path names a directory in the work tree where a file was expected.
    #[error("{path} is a directory, not a file")]
    NotAFile {
        /// The absolute work-tree path.
        path: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error("cannot access {path}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Another docket process kept the write lock for longer than docket waits.
    #[error("another docket process has held the write lock {path} for {waited} s")]
    WriteLockTimeout {
        /// docket's write lock file (a kernel lock: it is never left behind).
        path: PathBuf,
        /// How long docket waited, in seconds.
        waited: u64,
    },
    /// One of git's lock files exists: a git process is working, or one stopped without
    /// removing it. docket removes only lock files it provably left itself.
    #[error(
        "{path} exists: a git process is using the repository, or one stopped and left it (if no git process is running: rm {path})"
    )]
    Locked {
        /// The lock file.
        path: PathBuf,
    },
    /// Ctrl-C or SIGTERM arrived while docket was waiting; nothing was committed.
    #[error("interrupted")]
    Interrupted,
    /// HEAD kept moving under us while committing.
    #[error("gave up committing in {path}: HEAD kept changing during {attempts} attempts")]
    Contended {
        /// The git directory.
        path: PathBuf,
        /// How many attempts were made.
        attempts: u32,
    },
    /// `.git/index` could not be brought up to date for the paths (no commit was made).
    #[error("cannot update the index {path}")]
    Index {
        /// The index file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Any other failure reported by gix while doing `what`.
    #[error("{what} failed in {path}")]
    Gix {
        /// The repository (or file) concerned.
        path: PathBuf,
        /// The operation that failed, e.g. "reading HEAD".
        what: &'static str,
        /// What gix said.
        #[source]
        source: gix::Error,
    },
}

/// A person as git records them, so that authors from config, `--author` and history share
/// one type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Display name, e.g. "Ada Lovelace".
    pub name: String,
    /// Email address, e.g. "ada@example.com".
    pub email: String,
}

impl Identity {
    /// Parse `Name <email>` (as given to `--author` or `DOCKET_AUTHOR`); `None` if it is not of
    /// that form or contains characters git cannot store in a signature.
    pub fn parse(s: &str) -> Option<Identity> {
        let s = s.trim();
        let inner = s.strip_suffix('>')?;
        let open = inner.rfind('<')?;
        let name = inner[..open].trim();
        let email = inner[open + 1..].trim();
        let bad = |t: &str| t.is_empty() || t.contains(['<', '>', '\n', '\r', '\0']);
        if bad(name) || bad(email) || email.contains(char::is_whitespace) {
            return None;
        }
        Some(Identity {
            name: name.to_owned(),
            email: email.to_owned(),
        })
    }

    /// Build an identity from a gix signature, trimming the whitespace git tolerates.
    fn from_signature(sig: gix::actor::SignatureRef<'_>) -> Identity {
        let sig = sig.trim();
        Identity {
            name: sig.name.to_string(),
            email: sig.email.to_string(),
        }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} <{}>", self.name, self.email)
    }
}

/// How one work-tree file compares with the index and HEAD, so that docket can refuse to
/// overwrite (or to commit over) a user's uncommitted edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathState {
    /// Work tree, index and HEAD hold the same content.
    Clean,
    /// Tracked, but work tree, index and HEAD do not all agree (staged or unstaged changes).
    Modified,
    /// In the work tree, but neither in the index nor in HEAD.
    Untracked,
    /// Not in the work tree.
    Missing,
}

/// What [`Repo::commit_paths`] made, so that the CLI can report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    /// Full hex id of the new commit.
    pub id: String,
    /// Short name of the branch that moved ("main"), `None` when HEAD is detached.
    pub branch: Option<String>,
}

/// One commit that touched the paths asked about, for `docket history` and "last updated".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Full hex id of the commit.
    pub id: String,
    /// The commit's author.
    pub author: Identity,
    /// The author time (as `git log` shows by default).
    pub time: jiff::Timestamp,
    /// The subject line, as `git log --format=%s` shows it.
    pub summary: String,
    /// The whole commit message, trailers included.
    pub message: String,
}

/// An open repository with a work tree: the handle through which all of docket's git access
/// goes.
pub struct Repo {
    repo: gix::Repository,
    workdir: PathBuf,
    git_dir: PathBuf,
}

impl fmt::Debug for Repo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Repo")
            .field("workdir", &self.workdir)
            .field("git_dir", &self.git_dir)
            .finish()
    }
}

impl Repo {
    /// Find the repository containing `start` the way git does (honouring `GIT_DIR`,
    /// `GIT_WORK_TREE`, `GIT_INDEX_FILE`, `GIT_CEILING_DIRECTORIES`), so docket works from any
    /// sub-directory and from git hooks.
    pub fn discover(start: &Path) -> Result<Repo, GitError> {
        let repo = gix::discover_with_environment_overrides(start).map_err(|source| {
            if source.is_not_found() {
                GitError::NotARepo {
                    path: start.to_owned(),
                }
            } else {
                GitError::Gix {
                    path: start.to_owned(),
                    what: "opening the repository",
                    source,
                }
            }
        })?;
        Repo::from_gix(repo)
    }

    /// Wrap an opened gix repository, rejecting bare ones.
    fn from_gix(mut repo: gix::Repository) -> Result<Repo, GitError> {
        // History walks by commit time look each commit up twice; a cache halves that.
        repo.object_cache_size_if_unset(4 * 1024 * 1024);
        let git_dir = absolute(repo.git_dir());
        let Some(workdir) = repo.workdir() else {
            return Err(GitError::Bare { path: git_dir });
        };
        let workdir = absolute(workdir);
        Ok(Repo {
            repo,
            workdir,
            git_dir,
        })
    }

    /// The absolute root of the work tree, against which all relative paths are resolved.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The absolute git directory (a linked worktree's own one), where docket keeps its lock
    /// and caches so they are never committed.
    pub fn git_dir(&self) -> &Path {
        &self.git_dir
    }

    /// The author for a commit: `override_` (`Name <email>` from `--author` or
    /// `DOCKET_AUTHOR`) if given, else git's author identity (`GIT_AUTHOR_NAME`/`EMAIL`,
    /// `author.*`, `user.*`, `EMAIL`), so docket commits look like the user's own.
    pub fn author(&self, override_: Option<&str>) -> Result<Identity, GitError> {
        if let Some(value) = override_ {
            return Identity::parse(value).ok_or_else(|| GitError::BadIdentity {
                value: value.to_owned(),
            });
        }
        match self.repo.author() {
            Some(Ok(sig)) => usable(Identity::from_signature(sig)),
            _ => None,
        }
        .ok_or_else(|| GitError::NoIdentity {
            path: self.workdir.clone(),
        })
    }

    /// git's `core.editor` (from the repository's, the user's or the system's config), so
    /// that docket opens the editor git would; `None` when unset or empty.
    pub fn core_editor(&self) -> Option<String> {
        let value = self.repo.config_snapshot().string("core.editor")?;
        let value = value.to_string();
        (!value.trim().is_empty()).then_some(value)
    }

    /// The committer from git's environment and config (`GIT_COMMITTER_*`, `committer.*`,
    /// `user.*`), or `author` when none is set, so a commit never fails for want of one.
    pub fn committer_or(&self, author: &Identity) -> Identity {
        match self.repo.committer() {
            Some(Ok(sig)) => usable(Identity::from_signature(sig)),
            _ => None,
        }
        .unwrap_or_else(|| author.clone())
    }

    /// The hex id of HEAD's commit (`None` on an unborn branch), to detect that history moved
    /// since docket last looked.
    pub fn head_commit(&self) -> Result<Option<String>, GitError> {
        Ok(self.head_id()?.map(|id| id.to_string()))
    }

    /// The hex id of HEAD's tree (`None` on an unborn branch), to compare snapshots cheaply.
    pub fn head_tree(&self) -> Result<Option<String>, GitError> {
        Ok(self.head_tree_id()?.map(|id| id.to_string()))
    }

    /// HEAD's commit id, `None` when unborn.
    fn head_id(&self) -> Result<Option<gix::ObjectId>, GitError> {
        let head = self
            .repo
            .head()
            .map_err(|e| self.gix_err("reading HEAD", e))?;
        Ok(head.id().map(|id| id.detach()))
    }

    /// HEAD's tree id, `None` when unborn.
    fn head_tree_id(&self) -> Result<Option<gix::ObjectId>, GitError> {
        match self.head_id()? {
            Some(id) => Ok(Some(self.tree_of(id)?)),
            None => Ok(None),
        }
    }

    /// The tree id of commit `id`.
    fn tree_of(&self, id: gix::ObjectId) -> Result<gix::ObjectId, GitError> {
        self.repo
            .find_commit(id)
            .and_then(|c| c.tree_id())
            .map(|t| t.detach())
            .map_err(|e| self.gix_err("reading a commit", e))
    }

    /// Wrap a gix error with this repository's git directory.
    fn gix_err(&self, what: &'static str, source: gix::Error) -> GitError {
        GitError::Gix {
            path: self.git_dir.clone(),
            what,
            source,
        }
    }

    /// The absolute work-tree path of a checked relative path.
    fn worktree_path(&self, rel: &RelPath) -> PathBuf {
        let mut p = self.workdir.clone();
        p.extend(rel.components());
        p
    }
}

/// Keep an identity only if both parts are present and storable.
fn usable(id: Identity) -> Option<Identity> {
    let bad = |t: &str| t.is_empty() || t.contains(['<', '>', '\n', '\0']);
    (!bad(&id.name) && !bad(&id.email)).then_some(id)
}

/// Make `p` absolute (gix may report paths relative to the current directory) and resolve
/// symlinks where possible, so that callers can `strip_prefix` canonical paths.
fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p)
        .or_else(|_| std::path::absolute(p))
        .unwrap_or_else(|_| p.to_owned())
}

/// A repository-relative path that has been checked once: '/' separated, no empty, `.` or
/// `..` components, no `.git` component, no NUL or backslash, so it can never leave the
/// work tree or write into the git directory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct RelPath(String);

impl RelPath {
    /// Check `path` and keep it, or say why it is unusable.
    fn new(path: &str) -> Result<RelPath, GitError> {
        let bad = |reason| GitError::BadPath {
            path: path.to_owned(),
            reason,
        };
        if path.is_empty() {
            return Err(bad("it is empty"));
        }
        if path.contains('\0') {
            return Err(bad("it contains a NUL byte"));
        }
        if path.contains('\\') {
            return Err(bad("it contains a backslash (use '/')"));
        }
        if path.starts_with('/') {
            return Err(bad("it is absolute"));
        }
        for c in path.split('/') {
            match c {
                "" => return Err(bad("it has an empty component")),
                "." | ".." => return Err(bad("it has a '.' or '..' component")),
                _ if c.eq_ignore_ascii_case(".git") => {
                    return Err(bad("it points into the git directory"));
                }
                _ => {}
            }
        }
        Ok(RelPath(path.to_owned()))
    }

    /// The path as git stores it.
    fn as_str(&self) -> &str {
        &self.0
    }

    /// The components, for tree lookups and for joining onto the work tree.
    fn components(&self) -> std::str::Split<'_, char> {
        self.0.split('/')
    }

    /// Whether `other` (a git path) is this path or lies below it.
    fn contains(&self, other: &[u8]) -> bool {
        let me = self.0.as_bytes();
        other.starts_with(me) && (other.len() == me.len() || other[me.len()] == b'/')
    }

    /// Whether `other` (a git path) is a proper parent directory of this path.
    fn is_below(&self, other: &[u8]) -> bool {
        let me = self.0.as_bytes();
        me.len() > other.len() && me.starts_with(other) && me[other.len()] == b'/'
    }
}
