//! Help-desk operations: each state change of a ticket is one transaction that takes
//! docket's write lock, reads the current files, edits them as text, writes them
//! atomically and makes one commit with a fixed message grammar
//! (`docket: close T-4K7QX2M9AB "title"` plus `Docket-Ticket:` and `Docket-Action:`
//! trailers). It uses `model`, `store` (files), `doc` (text edits), `git` (commits),
//! `index` (the reads it serves: `list`, `show`, `suggest`, `dupes`, which fall back to
//! the files where they can) and the leaves `interrupt` and `random` (ids); it prints
//! nothing.
//!
//! Crash safety: a transaction records itself under `.git/docket/pending` before it
//! writes a file, defers Ctrl-C and SIGTERM until its commits are made, and begins by
//! finishing whatever an earlier, killed transaction recorded (see `pending` and
//! [`Desk::transact`]); `git::commit` stages the files before HEAD moves. So a kill at
//! any moment loses no acknowledged change, leaves no orphan file and no lock that
//! blocks the next command, and leaves nothing the user's next `git commit` could damage.

mod articles;
mod assignment;
mod automate;
mod backlinks;
mod checks;
mod customers;
mod demo;
mod edit;
mod error;
mod events;
mod feedback;
mod fields;
mod groups;
mod hooks;
mod indexed;
mod init;
mod learn;
mod list;
mod matching;
mod order;
mod pending;
mod records;
mod remove;
mod reply;
mod set;
mod show;
mod support;
mod templates;
mod tickets;
mod triage;
mod update;

use std::path::Path;

pub use articles::ArticleQuery;
pub use assignment::{AssignOp, Assignment, ParsedAssignment};
pub use automate::{Automated, AutomationRun, FiredRule};
pub use backlinks::{Backlink, LinkKind};
pub use customers::{CustomerListing, CustomerQuery, CustomerSummary, CustomerTickets};
pub use demo::{Demo, build_demo};
pub use edit::HandEdit;
pub use error::DeskError;
pub use feedback::NewRating;
pub use fields::FieldFilter;
pub use groups::Assigner;
pub use indexed::Indexed;
pub use init::DEFAULT_CONFIG;
pub use learn::Learner;
pub use list::{
    AssigneeFilter, ListedRow, ListedTicket, Listing, SlaFilter, TicketListing, TicketQuery,
};
pub use matching::Suggested;
pub use order::SortKey;
pub use records::{NewArticle, NewCustomer};
pub use remove::Removed;
pub use reply::{ArticlePick, Reply};
pub use show::{ShownTicket, TargetView};
pub use support::FactSource;
pub use templates::Rendered;
pub use tickets::{LinkTarget, NewTicket, author_slug};
pub use triage::{Decision, DecisionSource, TriageField, TriageRun, Triaged};
pub use update::{RuleFired, Update, UpdateComment};

use crate::git::{CommitInfo, Identity, PathState, Repo};
use crate::model::TicketId;
use crate::store::Store;

/// How a desk is opened: who acts, when, and whether to commit.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `Name <email>` to act as, instead of git config.
    pub author: Option<String>,
    /// Write files but leave the commit to the user.
    pub no_commit: bool,
    /// The time to record instead of the clock (for imports, demos and tests).
    pub now: Option<jiff::Timestamp>,
    /// Draw ids from this seed and HEAD instead of the system (`DOCKET_SEED`, for tests
    /// and demos that must come out the same twice; see [`crate::random`]).
    pub seed: Option<u64>,
    /// How the search index starts a watcher on a large desk (the binary's own way;
    /// `None`: never start one).
    pub watcher: Option<crate::index::watch::Launcher>,
}

/// A help desk: the files of one work tree and the repository that holds them.
pub struct Desk {
    store: Store,
    repo: Repo,
    options: Options,
}

/// One state change, ready to be written and committed.
#[derive(Debug, Clone)]
pub struct Change {
    /// The verb in the commit subject (`new`, `comment`, `close`, ...).
    pub action: &'static str,
    /// The ticket it is about, if any.
    pub id: Option<TicketId>,
    /// The ticket's title (quoted in the subject), or what else the change is about.
    pub title: String,
    /// Files to write: repository-relative path and full new text (none: nothing to do).
    pub files: Vec<(String, String)>,
    /// Lines for the commit body (what changed).
    pub details: Vec<String>,
    /// Extra trailers after `Docket-Action:` (`Docket-Rule: NAME`), key and value.
    pub trailers: Vec<(&'static str, String)>,
}

/// What a state change did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The ticket, if the change was about one.
    pub id: Option<TicketId>,
    /// The verb.
    pub action: &'static str,
    /// Files written, repository-relative.
    pub paths: Vec<String>,
    /// The commit made, if any (none with `--no-commit`, or when nothing changed).
    pub commit: Option<CommitInfo>,
    /// Whether anything changed at all.
    pub changed: bool,
    /// What this command did about earlier interrupted changes, one line each, for the
    /// user (finished, or left alone because a file changed since).
    pub recovered: Vec<String>,
    /// Warnings about what ran after the change was made (a hook that failed or timed
    /// out): the change stands all the same.
    pub warnings: Vec<String>,
}

impl Desk {
    /// Opens the desk of the repository containing `start`.
    pub fn open(start: &Path, options: Options) -> Result<Desk, DeskError> {
        let repo = Repo::discover(start)?;
        let store = Store::open(repo.workdir())?;
        Ok(Desk {
            store,
            repo,
            options,
        })
    }

    /// How to start a watcher for the search index, if the caller gave a way.
    pub fn watcher(&self) -> Option<&crate::index::watch::Launcher> {
        self.options.watcher.as_ref()
    }

    /// The files.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The repository.
    pub fn repo(&self) -> &Repo {
        &self.repo
    }

    /// Whether changes are committed.
    pub fn commits(&self) -> bool {
        !self.options.no_commit && self.store.config().commit
    }

    /// The time to record, to the second.
    pub fn now(&self) -> jiff::Timestamp {
        let t = self.options.now.unwrap_or_else(jiff::Timestamp::now);
        jiff::Timestamp::from_second(t.as_second()).unwrap_or(t)
    }

    /// The time to record, as precisely as the clock gives it.
    pub fn now_precise(&self) -> jiff::Timestamp {
        self.options.now.unwrap_or_else(jiff::Timestamp::now)
    }

    /// The random source for one operation. Seeded, it is keyed by HEAD too, so the next
    /// command (which finds HEAD moved) draws new ids; the caller still checks what it
    /// draws against existing files, as HEAD stays put with `--no-commit`.
    pub(crate) fn random(&self, for_id: bool) -> Result<crate::random::Random, DeskError> {
        let state = match self.options.seed {
            Some(_) => self.repo.head_commit()?.unwrap_or_default(),
            None => String::new(),
        };
        crate::random::Random::new(self.options.seed, state.as_bytes())
            .map_err(|error| DeskError::Random { for_id, error })
    }

    /// Acts as someone else, at another time, from now on (imports and the demo).
    pub fn act_as(&mut self, author: Option<String>, now: Option<jiff::Timestamp>) {
        self.options.author = author;
        self.options.now = now;
    }

    /// Who is acting.
    pub fn author(&self) -> Result<Identity, DeskError> {
        Ok(self.repo.author(self.options.author.as_deref())?)
    }

    /// Runs one transaction: under the write lock, `build` reads the current files and
    /// says what to write; then the files are written and committed together. A file
    /// outside this work tree (a customer record in a private repository next to it) is
    /// committed, with the same message, in the repository that holds it, under that
    /// repository's write lock too.
    ///
    /// Guarantees, whatever moment the process is stopped at:
    /// - from taking the write lock until the commits are made, Ctrl-C and SIGTERM are
    ///   deferred (see [`crate::interrupt`]): the step finishes and git's locks are
    ///   released, then the process exits;
    /// - before any work-tree file is written, the change is recorded under
    ///   `.git/docket/pending` (see `pending`); the next transaction, holding the write
    ///   lock, first finishes every change so recorded (or reports the file that changed
    ///   since) and removes git lock files a killed docket provably left, so a SIGKILL
    ///   loses nothing that was acknowledged and leaves no orphan file;
    /// - the commit stages docket's files before it moves HEAD (see `git::commit`), so
    ///   the user's next `git commit` never deletes them;
    /// - a file the change would leave as it is, but which differs from HEAD (say after
    ///   `--no-commit`), is refused as [`DeskError::Dirty`] rather than silently left;
    /// - a git lock held by someone else fails the change within about 1.5 s, before any
    ///   file is written ([`crate::git::GitError::Locked`], naming the lock file).
    pub fn transact(
        &self,
        build: impl FnOnce(&Store) -> Result<Change, DeskError>,
    ) -> Result<Outcome, DeskError> {
        self.transact_checked(build, true)
    }

    /// `transact`, optionally without refusing files that changed in the work tree (for
    /// committing a hand edit that docket itself opened in the editor).
    pub(crate) fn transact_checked(
        &self,
        build: impl FnOnce(&Store) -> Result<Change, DeskError>,
        refuse_dirty: bool,
    ) -> Result<Outcome, DeskError> {
        self.run_transaction(|store| Ok((build(store)?, Vec::new())), refuse_dirty)
    }

    /// `transact` for a change that also deletes files: `build` says what to write and
    /// which store paths to delete (`rm`). A file to delete that has changes git does not
    /// have is refused as [`DeskError::Dirty`], so nothing the user did is lost; the
    /// deletions are recorded, made and committed with the writes, under the same
    /// guarantees.
    pub(crate) fn transact_removing(
        &self,
        build: impl FnOnce(&Store) -> Result<(Change, Vec<String>), DeskError>,
    ) -> Result<Outcome, DeskError> {
        self.run_transaction(build, true)
    }

    /// The one body of every transaction (see [`Desk::transact`]).
    fn run_transaction(
        &self,
        build: impl FnOnce(&Store) -> Result<(Change, Vec<String>), DeskError>,
        refuse_dirty: bool,
    ) -> Result<Outcome, DeskError> {
        let author = self.author()?;
        let critical = crate::interrupt::critical();
        let lock = self.repo.lock_writes()?;
        let recovered = self.finish_pending()?;
        let (change, removals) = build(&self.store)?;
        for (rel, text) in &change.files {
            checks::fits(rel, text)?;
        }
        let commit = self.commits();
        let files = self.files_to_write(&change, commit, refuse_dirty)?;
        let removals = self.files_to_remove(&removals, commit)?;
        if files.is_empty() && removals.is_empty() {
            return Ok(Outcome {
                id: change.id,
                action: change.action,
                paths: Vec::new(),
                commit: None,
                changed: false,
                recovered,
                warnings: Vec::new(),
            });
        }
        let paths: Vec<String> = files
            .iter()
            .map(|(p, _)| p.clone())
            .chain(removals.iter().cloned())
            .collect();
        // Files outside the work tree (customer records kept in a private repository next
        // to this one) are committed to the repository that holds them.
        let homes = if commit {
            self.homes(&paths)?
        } else {
            Vec::new()
        };
        let other_locks = homes
            .iter()
            .filter_map(|h| h.repo.as_ref().map(Repo::lock_writes))
            .collect::<Result<Vec<_>, _>>()?;
        let message = commit_message(&change);
        let now = self.now();
        let intent = if commit {
            for home in &homes {
                home.repo.as_ref().unwrap_or(&self.repo).ensure_unlocked()?;
            }
            Some(self.record_intent(&files, &removals, &homes, &message, &author, now)?)
        } else {
            None
        };
        // Which files are new, for the hooks' events (`hooks_after`).
        let fresh: Vec<bool> = files
            .iter()
            .map(|(rel, _)| !self.store.exists(rel))
            .collect();
        for (rel, text) in &files {
            self.store.write(rel, text)?;
        }
        for rel in &removals {
            self.store.remove(rel)?;
        }
        crate::interrupt::test_pause("written");
        let mut info = None;
        if commit {
            for home in &homes {
                let repo = home.repo.as_ref().unwrap_or(&self.repo);
                let made = repo
                    .commit_paths(&home.rels, &message, &author, now)
                    .map_err(|e| DeskError::CommitFailed {
                        paths: paths.clone(),
                        source: e,
                    })?;
                info = made.or(info);
            }
        }
        if let Some(intent) = intent {
            intent.done()?;
        }
        // The change is made: hooks run without the locks and with Ctrl-C back, so a hook
        // can run docket and a slow one can be stopped; they undo nothing.
        drop((other_locks, lock, critical));
        let warnings = self.hooks_after(&change, &files, &fresh, info.as_ref(), &author, now);
        Ok(Outcome {
            id: change.id,
            action: change.action,
            paths,
            commit: info,
            changed: true,
            recovered,
            warnings,
        })
    }

    /// The files of `change` that need writing or committing: a file whose text is already
    /// on disk is left out, unless committing and git does not have it yet. When committing
    /// with `refuse_dirty`, a file with changes git does not have is refused, even when the
    /// change would not alter it, so that a `set` after a `--no-commit set` with the same
    /// value reports the uncommitted file instead of doing nothing.
    fn files_to_write(
        &self,
        change: &Change,
        commit: bool,
        refuse_dirty: bool,
    ) -> Result<Vec<(String, String)>, DeskError> {
        let mut out = Vec::new();
        for (rel, text) in &change.files {
            let same =
                std::fs::read(self.store.abs(rel)).is_ok_and(|bytes| bytes == text.as_bytes());
            if !commit {
                if !same {
                    out.push((rel.clone(), text.clone()));
                }
                continue;
            }
            let mut clean = true;
            for home in self.homes(std::slice::from_ref(rel))? {
                let repo = home.repo.as_ref().unwrap_or(&self.repo);
                for r in &home.rels {
                    let state = committable_state(repo, r)?;
                    if refuse_dirty {
                        refuse_if_dirty(state, r)?;
                    }
                    clean &= matches!(state, PathState::Clean);
                }
            }
            if !(same && clean) {
                out.push((rel.clone(), text.clone()));
            }
        }
        Ok(out)
    }

    /// The files of `removals` that need deleting or committing: those in the work tree
    /// (refused if they have changes git does not have) and, when committing, those
    /// already gone from it (committing them removes them from HEAD if it has them).
    fn files_to_remove(&self, removals: &[String], commit: bool) -> Result<Vec<String>, DeskError> {
        let mut out = Vec::new();
        for rel in removals {
            let present = self.store.exists(rel);
            if commit {
                for home in self.homes(std::slice::from_ref(rel))? {
                    let repo = home.repo.as_ref().unwrap_or(&self.repo);
                    for r in &home.rels {
                        refuse_if_dirty(committable_state(repo, r)?, r)?;
                    }
                }
            }
            if present || commit {
                out.push(rel.clone());
            }
        }
        Ok(out)
    }

    /// The state of a store file in the repository that holds it (see
    /// `committable_state`).
    fn path_state_of(&self, rel: &str) -> Result<PathState, DeskError> {
        for home in self.homes(&[rel.to_string()])? {
            let repo = home.repo.as_ref().unwrap_or(&self.repo);
            for r in &home.rels {
                let state = committable_state(repo, r)?;
                if state != PathState::Clean {
                    return Ok(state);
                }
            }
        }
        Ok(PathState::Clean)
    }

    /// Groups store paths by the repository that holds them: the desk's own (`repo:
    /// None`) or another one found from the file's folder, with each path made relative
    /// to that repository's work tree.
    fn homes(&self, paths: &[String]) -> Result<Vec<Home>, DeskError> {
        let mut out: Vec<Home> = Vec::new();
        for rel in paths {
            let abs = resolved(&self.store.abs(rel));
            let (repo, inside) = match abs.strip_prefix(self.repo.workdir()) {
                Ok(inside) => (None, inside.to_path_buf()),
                Err(_) => {
                    let start = existing_ancestor(&abs);
                    let other = Repo::discover(&start)
                        .map_err(|_| DeskError::NoRepository { rel: rel.clone() })?;
                    let inside = abs
                        .strip_prefix(other.workdir())
                        .map(Path::to_path_buf)
                        .map_err(|_| DeskError::OutsideWorkTree {
                            rel: rel.clone(),
                            workdir: other.workdir().to_path_buf(),
                        })?;
                    (Some(other), inside)
                }
            };
            let inside = inside.to_string_lossy().replace('\\', "/");
            let same = |h: &Home| match (&h.repo, &repo) {
                (None, None) => true,
                (Some(a), Some(b)) => a.workdir() == b.workdir(),
                _ => false,
            };
            match out.iter_mut().find(|h| same(h)) {
                Some(h) => {
                    h.rels.push(inside);
                    h.store_paths.push(rel.clone());
                }
                None => out.push(Home {
                    repo,
                    rels: vec![inside],
                    store_paths: vec![rel.clone()],
                }),
            }
        }
        Ok(out)
    }
}

/// The repository that holds some of a change's files, and their paths inside it.
struct Home {
    /// `None`: the desk's own repository.
    repo: Option<Repo>,
    rels: Vec<String>,
    /// The same paths as the store names them.
    store_paths: Vec<String>,
}

/// The state of a file in its repository, after putting back an index entry that an
/// interrupted commit (of an older docket) lost while HEAD and the work tree agree.
fn committable_state(repo: &Repo, rel: &str) -> Result<PathState, DeskError> {
    let state = repo.path_state(rel)?;
    if state == PathState::Modified && repo.restore_index_entry(rel)? {
        return Ok(repo.path_state(rel)?);
    }
    Ok(state)
}

/// Refuses a file in `state` whose changes git does not have yet.
fn refuse_if_dirty(state: PathState, rel: &str) -> Result<(), DeskError> {
    match state {
        PathState::Clean | PathState::Missing => Ok(()),
        PathState::Modified => Err(DeskError::Dirty {
            path: rel.to_string(),
            untracked: false,
        }),
        PathState::Untracked => Err(DeskError::Dirty {
            path: rel.to_string(),
            untracked: true,
        }),
    }
}

/// The nearest folder at or above `path` that exists.
fn existing_ancestor(path: &Path) -> std::path::PathBuf {
    let mut cur = path.to_path_buf();
    while !cur.is_dir() {
        if !cur.pop() {
            return std::path::PathBuf::from("/");
        }
    }
    cur
}

/// `path` with `..` resolved and symlinks of its existing part followed, so it can be
/// compared with a repository's canonical work tree, even for a file not written yet.
fn resolved(path: &Path) -> std::path::PathBuf {
    let clean = crate::store::lexical(path);
    let base = existing_ancestor(&clean);
    let rest = clean
        .strip_prefix(&base)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    std::fs::canonicalize(&base).unwrap_or(base).join(rest)
}

/// `docket: <action> <id> "<title>"`, details, then the trailers.
pub fn commit_message(change: &Change) -> String {
    let mut title =
        crate::model::escape_line(&change.title.replace('"', "'").replace(['\n', '\r'], " "))
            .into_owned();
    if title.chars().count() > 60 {
        title = title.chars().take(57).collect::<String>() + "...";
    }
    let mut msg = match &change.id {
        Some(id) => format!("docket: {} {id} \"{title}\"\n\n", change.action),
        None => format!("docket: {} {title}\n\n", change.action),
    };
    if !change.details.is_empty() {
        for d in &change.details {
            msg.push_str(d);
            msg.push('\n');
        }
        msg.push('\n');
    }
    if let Some(id) = &change.id {
        msg.push_str(&format!("Docket-Ticket: {id}\n"));
    }
    msg.push_str(&format!("Docket-Action: {}\n", change.action));
    for (key, value) in &change.trailers {
        let value = crate::model::escape_line(&value.replace(['\n', '\r'], " ")).into_owned();
        msg.push_str(&format!("{key}: {value}\n"));
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_grammar() {
        let change = Change {
            action: "close",
            id: Some("T-4K7QX2M9AB".parse().expect("safe")),
            title: "Crash on \"start\"".into(),
            files: vec![],
            details: vec!["status: open -> closed".into()],
            trailers: vec![],
        };
        assert_eq!(
            commit_message(&change),
            "docket: close T-4K7QX2M9AB \"Crash on 'start'\"\n\nstatus: open -> closed\n\nDocket-Ticket: T-4K7QX2M9AB\nDocket-Action: close\n"
        );
    }
}
