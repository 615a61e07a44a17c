//! Why a desk operation was refused or failed, with a hint for each. A variant either
//! shows its cause in its message (a leaf error from outside docket: I/O, randomness,
//! JSON) or hands it on as `source()` (another docket error, with its own chain), never
//! both, so the CLI's one chain walker prints each cause once. The CLI maps the kind to
//! the exit code: what the user gave or configured ([`DeskError::Invalid`], the text of
//! [`DeskError::Unstorable`], a customers folder in no work tree) is a usage error;
//! randomness, records, files and git are failures.

use crate::doc::DocError;
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
    #[error("wrote {} but could not commit", paths.join(", "))]
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
    /// `rm` of a ticket that other tickets link to (without `--force`).
    #[error("{id} is linked from {}", by.iter().map(|b| format!("{} ({})", b.id, b.kind.describe())).collect::<Vec<_>>().join(", "))]
    Linked {
        id: String,
        by: Vec<super::Backlink>,
    },
    /// `reopen` on a ticket that is not closed.
    #[error("{id} is not closed (status `{status}`)")]
    NotClosed { id: String, status: String },
    /// The user's input does not make sense: an argument, a `key=value`, a title, a
    /// slug that is taken (a usage error).
    #[error("{message}")]
    Invalid { message: String, hint: String },
    /// The text the user gave would make a file docket refuses to read (a NUL byte,
    /// git's conflict markers, too large); nothing was written.
    #[error("cannot write {path}: {error}")]
    Unstorable { path: String, error: DocError },
    /// The system's random source failed, so no id or file name could be drawn.
    #[error("no randomness{}: {error}", if *for_id { " for a new id" } else { "" })]
    Random {
        /// Whether an id was wanted (else a comment's file name).
        for_id: bool,
        error: getrandom::Error,
    },
    /// The record of a change could not be written as JSON (a bug: the record is plain data).
    #[error("cannot record the change in {}: {error}", path.display())]
    Record {
        path: std::path::PathBuf,
        error: serde_json::Error,
    },
    /// The record of an interrupted change names an author git cannot use.
    #[error("the record of an interrupted change ({subject}) has a bad author")]
    RecordAuthor { subject: String },
    /// A file to commit (a customer record under `paths.customers`) is in no repository.
    #[error("{rel} is outside this repository and not inside any other git repository")]
    NoRepository { rel: String },
    /// A file to commit lies in another repository's folder but not in its work tree.
    #[error("{rel} is not inside the work tree of {}", workdir.display())]
    OutsideWorkTree {
        rel: String,
        workdir: std::path::PathBuf,
    },
    /// The edited file no longer reads as a ticket.
    #[error("{0}")]
    BadEdit(crate::store::Problem),
    /// A hand edit left text that does not read as the record it edits; the text stays
    /// in the file, and `retry` (the command that made the edit) opens it again.
    #[error("{problem}")]
    EditKept {
        problem: crate::store::Problem,
        retry: String,
    },
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
            DeskError::Linked { id, by } => {
                let undo = match by.first() {
                    Some(b) if b.kind == super::LinkKind::DuplicateOf => {
                        format!(" (e.g. `docket set {} links.duplicate_of=`)", b.id)
                    }
                    Some(b) => format!(" (e.g. `docket set {} links.{}-={id}`)", b.id, b.kind.key()),
                    None => String::new(),
                };
                Some(format!(
                    "remove those links first{undo}, or run `docket rm {id} --force` to remove it anyway and leave their links naming a ticket that is gone"
                ))
            }
            DeskError::Invalid { hint, .. } => Some(hint.clone()),
            DeskError::Unstorable { error, .. } => Some(match error {
                DocError::Conflict { .. } => "put the lines that start with `<<<<<<<`, `=======` or `>>>>>>>` (git's conflict markers) in a ``` code block, or indent them".into(),
                DocError::Binary { .. } => "leave the NUL bytes out of the text".into(),
                other => other.hint().into(),
            }),
            DeskError::Random { for_id: true, .. } => {
                Some("check that the system's random source is available".into())
            }
            DeskError::Random { for_id: false, .. } => {
                Some("check the system's random source".into())
            }
            DeskError::Record { .. } => Some("report this as a bug".into()),
            DeskError::RecordAuthor { .. } => Some(
                "commit its files with git and remove the record under .git/docket/pending".into(),
            ),
            DeskError::NoRepository { .. } => Some(
                "run `git init` in the folder that holds it (e.g. the private customers folder), or use --no-commit".into(),
            ),
            DeskError::OutsideWorkTree { .. } => {
                Some("point paths.customers at a folder inside a git work tree".into())
            }
            DeskError::BadEdit(p) => Some(format!(
                "{}; your text is kept in the file: fix it and run `docket edit` again",
                p.hint.clone().unwrap_or_else(|| "fix the frontmatter".into())
            )),
            DeskError::EditKept { problem, retry } => Some(format!(
                "{}; your text is kept in the file: run `{retry}` again to fix it in the editor, or drop it with `git checkout -- {}`",
                problem.hint.clone().unwrap_or_else(|| "fix the frontmatter".into()),
                problem.path.display()
            )),
            DeskError::DemoFixture { .. } => None,
        }
    }

    /// Turns a document error of a new file into [`DeskError::Unstorable`].
    pub(crate) fn unstorable(path: &str) -> impl FnOnce(DocError) -> DeskError {
        let path = path.to_string();
        move |error| DeskError::Unstorable { path, error }
    }

    /// Bad input from the user, with what to do instead.
    pub(crate) fn invalid(message: impl Into<String>, hint: impl Into<String>) -> DeskError {
        DeskError::Invalid {
            message: message.into(),
            hint: hint.into(),
        }
    }
}
