//! The one error type the binary prints as `error:` / `caused by:` / `hint:`, and every
//! library error's conversion to it: its exit code (1 failure, 2 usage) and hint are read
//! here and nowhere else.

use std::io;

use crate::desk::DeskError;
use crate::export::ExportError;
use crate::git::GitError;
use crate::index::IndexError;
use crate::index::watch::WatchError;
use crate::model::escape_text;
use crate::store::{Problem, StoreError};

/// A failed command: what to print and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// The error line.
    pub message: String,
    /// Underlying causes, outermost first.
    pub causes: Vec<String>,
    /// What to do about it.
    pub hint: Option<String>,
    /// 1 for failures, 2 for usage errors.
    pub code: i32,
    /// Whether the failure is a closed stdout (a pipe reader went away).
    pub broken_pipe: bool,
}

impl Failure {
    /// A failure with a message and a hint; control characters in them are escaped, as
    /// messages quote values from files.
    pub fn new(message: impl Into<String>, hint: Option<String>) -> Failure {
        Failure {
            message: escape_text(&message.into()).into_owned(),
            causes: Vec::new(),
            hint: hint.map(|h| escape_text(&h).into_owned()),
            code: 1,
            broken_pipe: false,
        }
    }

    /// A usage error (exit code 2).
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            ..Failure::new(message, Some(hint.into()))
        }
    }

    /// The one way an error becomes a failure: its message, then each error down its
    /// `source()` chain as a `caused by:` line, outermost first. docket's error types show
    /// a cause in their message or hand it on as `source()`, never both, so each cause
    /// prints once and nothing is compared as text.
    pub fn from_error(e: &dyn std::error::Error, hint: Option<String>, code: i32) -> Failure {
        let mut causes = Vec::new();
        let mut cur = e.source();
        while let Some(c) = cur {
            causes.push(escape_text(&c.to_string()).into_owned());
            cur = c.source();
        }
        Failure {
            causes,
            code,
            ..Failure::new(e.to_string(), hint)
        }
    }
}

impl From<DeskError> for Failure {
    /// Bad input is a usage error (exit 2): an argument or value (an id or slug that
    /// names nothing, a status the workflow does not have or does not allow, a key or
    /// value `check` would reject), the text given (too large, or a hand edit that no
    /// longer reads), a `paths.customers` outside any work tree. A failure of the files
    /// on disk, git, locks, the random source or the system is exit 1.
    fn from(e: DeskError) -> Failure {
        let code = match e {
            DeskError::Store(
                StoreError::Ambiguous { .. }
                | StoreError::NotFound(_)
                | StoreError::NoSuchRecord { .. }
                | StoreError::AmbiguousRecord { .. },
            )
            | DeskError::Invalid { .. }
            | DeskError::UnknownStatus { .. }
            | DeskError::Unstorable { .. }
            | DeskError::Transition { .. }
            | DeskError::NotClosed { .. }
            | DeskError::BadEdit(_)
            | DeskError::EditKept { .. }
            | DeskError::NoRepository { .. }
            | DeskError::OutsideWorkTree { .. }
            | DeskError::Git(GitError::BadIdentity { .. }) => 2,
            _ => 1,
        };
        Failure::from_error(&e, e.hint(), code)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        DeskError::from(e).into()
    }
}

impl From<GitError> for Failure {
    fn from(e: GitError) -> Failure {
        DeskError::from(e).into()
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure {
            broken_pipe: e.kind() == io::ErrorKind::BrokenPipe,
            ..Failure::from_error(&e, None, 1)
        }
    }
}

impl From<IndexError> for Failure {
    fn from(e: IndexError) -> Failure {
        let e = match e {
            IndexError::Store(e) => return e.into(),
            e => e,
        };
        let hint = e.hint();
        let code = if matches!(
            e,
            IndexError::BadQuery { .. } | IndexError::UnknownStatus { .. }
        ) {
            2
        } else {
            1
        };
        Failure::from_error(&e, hint, code)
    }
}

impl From<ExportError> for Failure {
    /// An output folder that may not be written (not empty, inside the KB) is a bad
    /// argument (exit 2); the KB's files or the file system failing is exit 1.
    fn from(e: ExportError) -> Failure {
        let e = match e {
            ExportError::Store(e) => return e.into(),
            e => e,
        };
        let code = match e {
            ExportError::NotEmpty { .. } | ExportError::InsideKb { .. } => 2,
            _ => 1,
        };
        Failure::from_error(&e, e.hint(), code)
    }
}

impl From<WatchError> for Failure {
    fn from(e: WatchError) -> Failure {
        let hint = e.hint();
        Failure::from_error(&e, hint, 1)
    }
}

impl From<Problem> for Failure {
    fn from(p: Problem) -> Failure {
        let hint = p.hint.clone();
        Failure::new(p.to_string(), hint)
    }
}
