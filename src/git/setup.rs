//! Creating a repository (for `docket demo`) and the hints printed with git errors.

use std::path::Path;

use super::{GitError, Repo};

impl Repo {
    /// Creates a new repository with a work tree at `path` (like `git init`), so the demo
    /// needs no git CLI.
    pub fn init(path: &Path) -> Result<Repo, GitError> {
        let repo = gix::init(path).map_err(|e| GitError::Gix {
            path: path.to_owned(),
            what: "creating the repository",
            source: e,
        })?;
        Repo::from_gix(repo)
    }
}

impl GitError {
    /// What the user can do about it, when the message does not already say.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            GitError::NotARepo { .. } => {
                Some("run docket inside a git repository (`git init` makes one), or pass -C DIR")
            }
            GitError::Bare { .. } => {
                Some("clone the repository with a work tree and run docket there")
            }
            GitError::BadIdentity { .. } => {
                Some("write it like --author \"Dana Whitfield <dana@example.org>\"")
            }
            GitError::Contended { .. } => Some("run the command again"),
            GitError::Locked { .. } => Some(
                "wait for the other git command to finish and run docket again; docket removes only lock files it left itself",
            ),
            GitError::WriteLockTimeout { .. } => {
                Some("wait for the other docket command to finish, then run this one again")
            }
            _ => None,
        }
    }
}
