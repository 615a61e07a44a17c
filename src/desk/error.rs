//! Why a desk operation was refused or failed, with a hint for each.

use crate::git::GitError;
use crate::store::StoreError;

/// Why a desk operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// A file problem.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A repository problem.
    #[error(transparent)]
    Git(#[from] GitError),
    /// The file has changes git does not have; docket will not write over them.
    #[error("{path} has {} changes", if *untracked { "never been committed, and docket would commit all of it with its" } else { "uncommitted" })]
    Dirty { path: String, untracked: bool },
    /// The files were written but the commit failed.
    #[error("wrote {} but could not commit: {source}", paths.join(", "))]
    CommitFailed {
        paths: Vec<String>,
        #[source]
        source: GitError,
    },
    /// The workflow does not know the status.
    #[error("status `{status}` is not in the workflow ({})", known.join(", "))]
    UnknownStatus { status: String, known: Vec<String> },
    /// The workflow forbids the move.
    #[error("the workflow does not allow {id} to move from `{from}` to `{to}`")]
    Transition {
        id: String,
        from: String,
        to: String,
        allowed: Vec<String>,
    },
    /// `reopen` on a ticket that is not closed.
    #[error("{id} is not closed (status `{status}`)")]
    NotClosed { id: String, status: String },
    /// An argument does not make sense.
    #[error("{message}")]
    Invalid { message: String, hint: String },
    /// The edited file no longer reads as a ticket.
    #[error("{0}")]
    BadEdit(crate::store::Problem),
    /// The demo's compiled-in fixture files do not fit together.
    #[error("{message}")]
    DemoFixture { message: String },
}

impl DeskError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            DeskError::Store(e) => e.hint(),
            DeskError::Git(e) => e.hint().map(str::to_string),
            DeskError::Dirty { path, untracked: false } => Some(format!(
                "commit the changes with `git commit {path}` or drop them with `git checkout -- {path}`, then run the command again (or run it with --no-commit to edit the file in place)"
            )),
            DeskError::Dirty { path, untracked: true } => Some(format!(
                "commit it with `git add {path} && git commit {path}` or move it away, then run the command again (or run it with --no-commit to edit the file in place)"
            )),
            DeskError::CommitFailed { .. } => {
                Some("the files are in the work tree: the next docket command that changes something commits them, or commit them with git".into())
            }
            DeskError::UnknownStatus { .. } => Some(
                "use one of the listed statuses, or add the status to `workflow.statuses` in .docket/config.yaml".into(),
            ),
            DeskError::Transition { allowed, .. } => Some(if allowed.is_empty() {
                "no move is allowed from there; change `workflow.transitions` in .docket/config.yaml".into()
            } else {
                format!("allowed next statuses: {}", allowed.join(", "))
            }),
            DeskError::NotClosed { .. } => Some("only closed tickets can be reopened".into()),
            DeskError::Invalid { hint, .. } => Some(hint.clone()),
            DeskError::BadEdit(p) => Some(format!(
                "{}; your text is kept in the file: fix it and run `docket edit` again",
                p.hint.clone().unwrap_or_else(|| "fix the frontmatter".into())
            )),
            DeskError::DemoFixture { .. } => None,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>, hint: impl Into<String>) -> DeskError {
        DeskError::Invalid {
            message: message.into(),
            hint: hint.into(),
        }
    }
}
