//! Errors about files, always naming the file (and the line when there is one).

use std::fmt;
use std::path::PathBuf;

use super::guard::Refusal;
use crate::doc::DocError;

/// A problem at a place in a file: what `check` reports and what `list` warns about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as the user should see it (relative to the repo root when inside it).
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong, lower-case, no trailing period.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Problem {
    /// A problem at a line of a file.
    pub fn at(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            line,
            col: 1,
            message: message.into(),
            hint: None,
        }
    }

    /// The same problem with a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    /// A frontmatter parse error in a file.
    pub fn from_doc(path: impl Into<PathBuf>, e: &DocError) -> Problem {
        let (line, col) = e.position();
        Problem {
            path: path.into(),
            line,
            col,
            message: e.to_string(),
            hint: Some(e.hint().to_string()),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.col,
            self.message
        )
    }
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file could not be read or written. The I/O error is part of the message, not a
    /// `source()`, so it is printed once.
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A file is unusable (unparseable YAML, missing or unsafe id, ...).
    #[error("{0}")]
    Bad(Problem),
    /// No ticket has this id or prefix.
    #[error("no ticket matches {}", crate::model::quoted(.0))]
    NotFound(String),
    /// A prefix matches more than one ticket.
    #[error("{} matches {} tickets: {}", crate::model::quoted(prefix), candidates.len(), candidates.join(", "))]
    Ambiguous {
        prefix: String,
        candidates: Vec<String>,
    },
    /// No article or customer has this slug.
    #[error("no {kind} named {}", crate::model::quoted(slug))]
    NoSuchRecord { kind: &'static str, slug: String },
    /// Several articles or customers share a slug.
    #[error("{} names {} {kind}s: {}", crate::model::quoted(slug), paths.len(), paths.join(", "))]
    AmbiguousRecord {
        kind: &'static str,
        slug: String,
        paths: Vec<String>,
    },
    /// The path guard refused a path: it would lead outside its folder.
    #[error("{}", refusal_message(path, refusal))]
    Refused {
        /// The path as docket was asked to use it.
        path: String,
        /// Why it was refused.
        refusal: Refusal,
    },
    /// Two tickets share an id.
    #[error("ticket id `{id}` is used by two files: {first} and {second}")]
    DuplicateId {
        id: String,
        first: String,
        second: String,
    },
}

impl StoreError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            StoreError::Bad(p) => p.hint.clone(),
            StoreError::NotFound(_) => Some("`docket list --all` shows every ticket".into()),
            StoreError::Ambiguous { .. } => Some("type more characters of the id".into()),
            StoreError::NoSuchRecord { kind, .. } => Some(format!(
                "`docket {} list` shows the existing ones",
                if *kind == "article" { "kb" } else { "customer" }
            )),
            StoreError::AmbiguousRecord { kind, .. } => Some(format!(
                "give the {kind}'s path inside its folder instead, e.g. `docs/intro` for docs/intro.md"
            )),
            StoreError::DuplicateId { .. } => {
                Some("give one of them a new id (file name and `id:`)".into())
            }
            StoreError::Refused { refusal, .. } => refusal_hint(refusal),
            StoreError::Io { .. } => None,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, error: std::io::Error) -> StoreError {
        StoreError::Io {
            path: path.into(),
            error,
        }
    }
}

/// What a refusal says: the path, and the link or the reason.
fn refusal_message(path: &str, refusal: &Refusal) -> String {
    match refusal {
        Refusal::Unsafe { reason } => {
            format!("refused the path `{path}`: {reason}")
        }
        Refusal::Link {
            target,
            whole: true,
            ..
        } => {
            format!(
                "{path} is a symbolic link (to {}), which docket does not follow",
                target.display()
            )
        }
        Refusal::Link { link, target, .. } => format!(
            "{path} lies beyond the symbolic link {link} (to {}), which docket does not follow",
            target.display()
        ),
        Refusal::Io { path, message } => format!("{}: {message}", path.display()),
    }
}

/// What to do about a refusal.
fn refusal_hint(refusal: &Refusal) -> Option<String> {
    match refusal {
        Refusal::Unsafe { .. } => Some(
            "docket reads and writes only inside the work tree (and the folder `paths.customers` names): use a plain relative path"
                .into(),
        ),
        Refusal::Link { link, .. } => Some(format!(
            "replace the link `{link}` with the folder or file itself (move what it points to into the repository); docket never reads, writes or commits through a symbolic link"
        )),
        Refusal::Io { .. } => None,
    }
}
