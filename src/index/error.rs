//! What can go wrong with the index, each with the path it is about.

use std::path::PathBuf;

/// An index failure. The index is a cache: most of these are handled by rebuilding it.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// A file of the index or its manifest could not be read or written.
    #[error("{path}: {error}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error, shown in the message (not a `source()`, so printed once).
        error: std::io::Error,
    },
    /// tantivy refused an operation on the index.
    #[error("search index at {path}: {what}: {error}")]
    Tantivy {
        /// The index folder.
        path: PathBuf,
        /// What docket was doing.
        what: &'static str,
        /// The underlying error, shown in the message (tantivy's own errors show their
        /// causes too, so it is not a `source()`).
        error: tantivy::TantivyError,
    },
    /// tantivy gave up on damaged files (it panics on some corrupt data).
    #[error("search index at {path} is damaged: {message}")]
    Damaged {
        /// The index folder.
        path: PathBuf,
        /// What tantivy said.
        message: String,
    },
    /// Work on the index panicked: tantivy does on some damaged files, and any other
    /// panic is a bug. Counted as damage, so the index is rebuilt once first.
    #[error("search index at {path}: {what} panicked: {message}")]
    Panicked {
        /// The index folder.
        path: PathBuf,
        /// What docket was doing.
        what: &'static str,
        /// The panic's message, and where it happened when known.
        message: String,
    },
    /// Another process kept the writer lock while this one needed to rebuild the index.
    #[error("search index at {path}: another docket kept it locked while it was being rebuilt")]
    Busy {
        /// The index folder.
        path: PathBuf,
    },
    /// The query text does not parse.
    #[error("cannot parse the query `{query}`: {message}")]
    BadQuery {
        /// The query as given.
        query: String,
        /// What is wrong with it.
        message: String,
    },
    /// A status filter that no record of the kinds searched can have.
    #[error("unknown status `{status}`")]
    UnknownStatus {
        /// The status as given.
        status: String,
        /// Each kind searched (`tickets`, ...) with its statuses.
        known: Vec<(&'static str, Vec<String>)>,
    },
    /// The desk's files could not be listed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl IndexError {
    /// Wraps a tantivy error with the index path and the operation.
    pub fn tantivy(
        path: impl Into<PathBuf>,
        what: &'static str,
    ) -> impl FnOnce(tantivy::TantivyError) -> IndexError {
        let path = path.into();
        move |error| IndexError::Tantivy { path, what, error }
    }

    /// Wraps an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> IndexError {
        let path = path.into();
        move |error| IndexError::Io { path, error }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            IndexError::BadQuery { .. } => Some(
                "quote phrases with \"...\"; every word must match unless joined by OR, and -word or NOT word leaves one out (AND/OR/NOT in capitals); fields: title, body, comments, label, status, customer, id, assignee, reporter, priority, type, any other frontmatter key (importance:4), created:>2026-01-01 or created:[2026-01-01 TO 2026-01-31]"
                    .into(),
            ),
            IndexError::UnknownStatus { known, .. } => Some(format!(
                "use one of the statuses of {}",
                known
                    .iter()
                    .map(|(what, statuses)| format!("{what} ({})", statuses.join(", ")))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            IndexError::Tantivy { .. }
            | IndexError::Io { .. }
            | IndexError::Damaged { .. }
            | IndexError::Panicked { .. } => {
                Some("run `docket index` to rebuild the search index".into())
            }
            IndexError::Busy { .. } => Some("try again when the other docket is done".into()),
            IndexError::Store(_) => None,
        }
    }
}
