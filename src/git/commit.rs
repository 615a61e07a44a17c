//! Commit exactly a set of work-tree paths on top of HEAD, then update `.git/index` for those
//! paths only, so the user's other staged and unstaged changes are neither swept into
//! docket's commit nor disturbed, and `git status` is clean for docket's files afterwards.
//!
//! Order, chosen so that a kill at any instant leaves nothing the user's next `git commit`
//! could damage:
//! 1. the blobs are written (objects only: unreferenced objects harm nothing);
//! 2. `index.lock` is taken (noted in the lock ledger, see `lock`), HEAD is read and the
//!    new tree and the commit *object* are written, the branch not yet moved;
//! 3. the new index (the change set's paths staged with the new blobs) replaces
//!    `.git/index`, which releases `index.lock`;
//! 4. only then HEAD (or its branch) moves, by compare-and-swap against the parent read
//!    in step 2 (`MustNotExist` on an unborn branch), in a gix ref transaction whose lock
//!    paths, with the new commit id and the file system's time, are noted in the ledger
//!    right before each attempt and forgotten after a failed one (see `lock` for how the
//!    next writer tells those locks from a live git's). If HEAD moved meanwhile, steps
//!    2-4 are done again on the new HEAD.
//!
//! A kill before step 3 leaves HEAD and the index as they were; a kill between 3 and 4
//! leaves docket's files staged, so the user's next commit includes them and nothing is
//! lost; after step 4 everything is done. docket's pending-change record (`desk::pending`)
//! makes the next docket writer finish the commit, and the lock ledger lets it remove a
//! lock file this process held when it was killed. Git lock files held by others are
//! waited on for about 1.5 s, then reported as [`GitError::Locked`].

use std::io::Write as _;
use std::time::{Duration, Instant};

use gix::ObjectId;
use gix::objs::tree::EntryKind;
use gix::refs::transaction::{PreviousValue, RefEdit};

use super::lock::{Ledger, wait_or_fail};
use super::status::WorktreeFile;
use super::{CommitInfo, GitError, Identity, RelPath, Repo};

/// How many times to rebuild the commit when HEAD moves under us.
const ATTEMPTS: u32 = 6;

#[cfg(test)]
thread_local! {
    /// Test hook run between building the tree and moving HEAD, to play a racing writer.
    pub(super) static BEFORE_REF_UPDATE: std::cell::RefCell<Option<Box<dyn FnMut()>>> =
        const { std::cell::RefCell::new(None) };
}

/// One path of the change set, read from the work tree once.
struct Change {
    rel: RelPath,
    /// The blob written for the path and the work-tree file, `None` if it is to be removed.
    file: Option<(ObjectId, WorktreeFile)>,
}

/// The commit (or no-commit) decided in one attempt.
struct Built {
    /// New tree, or `None` when it equals the base tree.
    tree: Option<ObjectId>,
    parent: Option<ObjectId>,
    branch: Option<String>,
    /// Kind of each upserted path, in the order of the change set.
    kinds: Vec<Option<EntryKind>>,
}

/// Why moving HEAD did not work.
enum MoveError {
    /// HEAD is no longer at the parent: build again.
    Moved,
    /// Anything else.
    Failed(GitError),
}

impl Repo {
    /// Commit exactly `paths` (relative, '/' separated) on top of HEAD as one docket change:
    /// each path's current work-tree bytes become a blob, a path absent from the work tree is
    /// removed. The base is HEAD's tree (the empty tree on an unborn branch), never the index,
    /// so the user's staged changes to other files stay out. Author is `author`, committer is
    /// [`Repo::committer_or`], both at `when`; `message` is used verbatim. Works on an unborn
    /// branch, a branch and a detached HEAD, and retries when HEAD moves concurrently.
    /// Returns `Ok(None)` and makes no commit when the tree would not change, so calling it
    /// again after an interrupted call finishes that call's work and does nothing more.
    ///
    /// `.git/index` is updated for these paths (other entries, staged or not, are kept)
    /// before HEAD moves, so that `git status` shows nothing for them afterwards and a kill
    /// in between leaves them staged (see the module documentation); this is done even when
    /// no commit was needed. A lock file held by someone else is [`GitError::Locked`] after
    /// a short wait. A path that is a directory in the work tree is [`GitError::NotAFile`];
    /// a path below a symlinked directory is [`GitError::BadPath`].
    pub fn commit_paths(
        &self,
        paths: &[String],
        message: &str,
        author: &Identity,
        when: jiff::Timestamp,
    ) -> Result<Option<CommitInfo>, GitError> {
        let mut rels = paths
            .iter()
            .map(|p| RelPath::new(p))
            .collect::<Result<Vec<_>, _>>()?;
        rels.sort();
        rels.dedup();
        if rels.is_empty() {
            return Ok(None);
        }
        let changes = self.read_changes(rels)?;
        let time = git_time(when);
        let author_sig = signature(author, time);
        let committer_sig = signature(&self.committer_or(author), time);
        let mut ledger = Ledger::new(self);
        let result =
            self.commit_attempts(&changes, message, &author_sig, &committer_sig, &mut ledger);
        // The locks are released whatever happened; a failure to forget them only leaves
        // notes that match no lock file.
        let _ = ledger.clear();
        result
    }

    /// Steps 2-4 of the module documentation, again while HEAD keeps moving.
    fn commit_attempts(
        &self,
        changes: &[Change],
        message: &str,
        author_sig: &gix::actor::Signature,
        committer_sig: &gix::actor::Signature,
        ledger: &mut Ledger,
    ) -> Result<Option<CommitInfo>, GitError> {
        let index_path = self.repo.index_path();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let index_lock = self.lock_file(&index_path, ledger)?;
            crate::interrupt::test_pause("index-locked");
            let built = self.build_tree(changes)?;
            let commit = match built.tree {
                Some(tree) => Some(self.write_commit(
                    message,
                    tree,
                    built.parent,
                    author_sig,
                    committer_sig,
                )?),
                None => None,
            };
            #[cfg(test)]
            BEFORE_REF_UPDATE.with_borrow_mut(|hook| {
                if let Some(hook) = hook {
                    hook();
                }
            });
            self.update_index(index_lock, changes, &built.kinds)
                .map_err(|source| GitError::Index {
                    path: index_path.clone(),
                    source,
                })?;
            let Some(id) = commit else {
                return Ok(None);
            };
            crate::interrupt::test_pause("staged");
            match self.move_head(id, built.parent, message, committer_sig, ledger) {
                Ok(()) => {
                    return Ok(Some(CommitInfo {
                        id: id.to_string(),
                        branch: built.branch,
                    }));
                }
                Err(MoveError::Moved) if attempt < ATTEMPTS => {
                    std::thread::sleep(Duration::from_millis(10 << attempt));
                }
                Err(MoveError::Moved) => {
                    return Err(GitError::Contended {
                        path: self.git_dir.clone(),
                        attempts: attempt,
                    });
                }
                Err(MoveError::Failed(e)) => return Err(e),
            }
        }
    }

    /// Write the commit object alone; no reference moves.
    fn write_commit(
        &self,
        message: &str,
        tree: ObjectId,
        parent: Option<ObjectId>,
        author: &gix::actor::Signature,
        committer: &gix::actor::Signature,
    ) -> Result<ObjectId, GitError> {
        let commit = gix::objs::Commit {
            message: message.into(),
            tree,
            author: author.clone(),
            committer: committer.clone(),
            encoding: None,
            parents: parent.into_iter().collect(),
            extra_headers: Default::default(),
        };
        self.repo
            .write_object(&commit)
            .map(|id| id.detach())
            .map_err(|e| self.gix_err("writing a commit", e))
    }

    /// Move HEAD (through to its branch) from `parent` to `id` with a reflog entry as git
    /// writes it, failing with [`MoveError::Moved`] if HEAD is no longer at `parent`.
    fn move_head(
        &self,
        id: ObjectId,
        parent: Option<ObjectId>,
        message: &str,
        committer: &gix::actor::Signature,
        ledger: &mut Ledger,
    ) -> Result<(), MoveError> {
        let expected = match parent {
            Some(p) => PreviousValue::MustExistAndMatch(gix::refs::Target::Object(p)),
            None => PreviousValue::MustNotExist,
        };
        let head: gix::refs::FullName = "HEAD".try_into().map_err(|_| {
            MoveError::Failed(GitError::BadPath {
                path: "HEAD".into(),
                reason: "it is not a valid reference name",
            })
        })?;
        let edit = RefEdit::update(
            head,
            id,
            expected,
            gix::reference::log::message("commit", message.into(), usize::from(parent.is_some())),
        )
        .with_deref(true);
        let locks = self.ref_lock_paths();
        let hex = id.to_string();
        let mut time = gix::date::parse::TimeBuf::default();
        let start = Instant::now();
        loop {
            // Noted afresh before each attempt and forgotten after a failed one, so the
            // notes cover only the instants in which gix may hold docket's ref locks.
            ledger
                .note_refs(self, &locks, &hex)
                .map_err(MoveError::Failed)?;
            crate::interrupt::test_pause("ref-noted");
            #[cfg(debug_assertions)]
            leave_ref_locks_and_pause(&locks, id);
            let result = self
                .repo
                .refs
                .transaction()
                .prepare(
                    [edit.clone()],
                    gix::lock::acquire::Fail::Immediately,
                    gix::lock::acquire::Fail::Immediately,
                )
                .and_then(|t| t.commit(Some(committer.to_ref(&mut time))));
            if result.is_err() {
                ledger.forget_refs().map_err(MoveError::Failed)?;
            }
            match result {
                Ok(_) => return Ok(()),
                Err(e) if e.is_conflict() => return Err(MoveError::Moved),
                Err(e) if e.is_retryable() => {
                    let held = locks
                        .iter()
                        .chain(std::iter::once(
                            &self.repo.common_dir().join("packed-refs.lock"),
                        ))
                        .find(|p| p.exists())
                        .cloned();
                    match held {
                        Some(held) => wait_or_fail(&held, start).map_err(MoveError::Failed)?,
                        // Released meanwhile: try again at once.
                        None if start.elapsed() < super::lock::GIT_LOCK_WAIT => {}
                        None => return Err(MoveError::Failed(self.gix_err("moving HEAD", e))),
                    }
                }
                Err(e) => return Err(MoveError::Failed(self.gix_err("moving HEAD", e))),
            }
        }
    }

    /// Put back the index entry of `rel` when HEAD and the work tree hold the same content
    /// for it but the index has none: the state an interrupted commit of an older docket
    /// left (`D ` plus `??` in `git status`), in which the user's next `git commit` would
    /// delete the file. Returns whether it did; anything else is left alone.
    pub fn restore_index_entry(&self, rel: &str) -> Result<bool, GitError> {
        let rel = RelPath::new(rel)?;
        let Some(head) = self.head_entry(&rel)? else {
            return Ok(false);
        };
        let (index, conflicted) = self.index_entry(&rel)?;
        if index.is_some() || conflicted {
            return Ok(false);
        }
        let Some(file) = self.read_worktree(&rel)? else {
            return Ok(false);
        };
        let id =
            gix::objs::compute_hash(self.repo.object_hash(), gix::objs::Kind::Blob, &file.data)
                .map_err(|e| self.gix_err("hashing a file", e))?;
        if id != head.id {
            return Ok(false);
        }
        let index_path = self.repo.index_path();
        let mut ledger = Ledger::new(self);
        let lock = self.lock_file(&index_path, &mut ledger)?;
        let change = Change {
            rel,
            file: Some((id, file)),
        };
        let result = self
            .update_index(lock, std::slice::from_ref(&change), &[Some(head.kind)])
            .map_err(|source| GitError::Index {
                path: index_path,
                source,
            });
        let _ = ledger.clear();
        result.map(|()| true)
    }

    /// Read every path of the change set from the work tree and store present files as blobs.
    fn read_changes(&self, rels: Vec<RelPath>) -> Result<Vec<Change>, GitError> {
        rels.into_iter()
            .map(|rel| {
                let file = match self.read_worktree(&rel)? {
                    Some(file) => {
                        let id = self
                            .repo
                            .write_blob(&file.data)
                            .map_err(|e| self.gix_err("writing a blob", e))?
                            .detach();
                        Some((id, file))
                    }
                    None => None,
                };
                Ok(Change { rel, file })
            })
            .collect()
    }

    /// Read HEAD afresh and apply the change set to its tree.
    fn build_tree(&self, changes: &[Change]) -> Result<Built, GitError> {
        let head = self
            .repo
            .head()
            .map_err(|e| self.gix_err("reading HEAD", e))?;
        let parent = head.id().map(|id| id.detach());
        let branch = head.referent_name().map(|name| name.shorten().to_string());
        let base = match parent {
            Some(id) => self.tree_of(id)?,
            None => ObjectId::empty_tree(self.repo.object_hash()),
        };
        let mut editor = self
            .repo
            .edit_tree(base)
            .map_err(|e| self.gix_err("reading HEAD's tree", e))?;
        let trust_x = self.trust_executable_bit();
        let mut kinds = Vec::with_capacity(changes.len());
        for change in changes {
            let path = change.rel.as_str();
            match &change.file {
                Some((id, file)) => {
                    let kind = match file.kind {
                        EntryKind::Blob | EntryKind::BlobExecutable if !trust_x => {
                            match editor.get(path).map(|e| e.mode().kind()) {
                                Some(k @ EntryKind::BlobExecutable) => k,
                                _ => EntryKind::Blob,
                            }
                        }
                        k => k,
                    };
                    editor
                        .upsert(path, kind, *id)
                        .map_err(|e| self.gix_err("editing a tree", e))?;
                    kinds.push(Some(kind));
                }
                None => {
                    editor
                        .remove(path)
                        .map_err(|e| self.gix_err("editing a tree", e))?;
                    kinds.push(None);
                }
            }
        }
        let tree = editor
            .write()
            .map_err(|e| self.gix_err("writing a tree", e))?
            .detach();
        Ok(Built {
            tree: (tree != base).then_some(tree),
            parent,
            branch,
            kinds,
        })
    }

    /// Make `.git/index` say, for exactly the change set's paths, what the work tree holds
    /// (dropping entries at or below removed paths and at parents that became directories),
    /// keeping every other entry as it is; written through the `index.lock` taken earlier.
    fn update_index(
        &self,
        lock: super::lock::OwnedLock,
        changes: &[Change],
        kinds: &[Option<EntryKind>],
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let index_path = self.repo.index_path();
        let mut index = if index_path.exists() {
            self.repo.open_index()?
        } else {
            gix::index::File::from_state(
                gix::index::State::new(self.repo.object_hash()),
                index_path,
            )
        };
        let mut wanted = Vec::new();
        for (change, kind) in changes.iter().zip(kinds) {
            if let (Some((id, file)), Some(kind)) = (&change.file, kind) {
                let mode = match kind {
                    EntryKind::BlobExecutable => gix::index::entry::Mode::FILE_EXECUTABLE,
                    EntryKind::Link => gix::index::entry::Mode::SYMLINK,
                    _ => gix::index::entry::Mode::FILE,
                };
                wanted.push((change.rel.as_str(), *id, mode, &file.stat));
            }
        }
        if index_already_matches(&index, changes, &wanted) {
            return Ok(());
        }
        index.remove_entries(|_, path, _| {
            changes
                .iter()
                .any(|c| c.rel.contains(path) || c.rel.is_below(path))
        });
        for (path, id, mode, stat) in wanted {
            // A zeroed stat (for mtimes git cannot store) only makes git re-hash the file.
            let stat = gix::index::entry::Stat::from_fs(stat).unwrap_or_default();
            index.dangerously_push_entry(
                stat,
                id,
                gix::index::entry::Flags::empty(),
                mode,
                path.into(),
            );
        }
        index.sort_entries();
        // A stale cache-tree would make the next `git commit` record old content
        // (gitoxide issue 2421): drop it, git rebuilds it.
        index.remove_tree();
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, lock);
        index.write_to(&mut out, gix::index::write::Options::default())?;
        out.flush()?;
        let lock = out.into_inner().map_err(|e| e.into_error())?;
        lock.commit()?;
        Ok(())
    }
}

/// Whether the index already holds exactly `wanted` (by id and mode, stage 0) for the change
/// set's paths, with nothing else at or below them, so that writing it can be skipped.
fn index_already_matches(
    index: &gix::index::File,
    changes: &[Change],
    wanted: &[(
        &str,
        ObjectId,
        gix::index::entry::Mode,
        &gix::index::fs::Metadata,
    )],
) -> bool {
    let mut seen = 0;
    for entry in index.entries() {
        let path = entry.path(index);
        if !changes
            .iter()
            .any(|c| c.rel.contains(path) || c.rel.is_below(path))
        {
            continue;
        }
        let matches = entry.stage_raw() == 0
            && wanted.iter().any(|(p, id, mode, _)| {
                path == p.as_bytes() && *id == entry.id && *mode == entry.mode
            });
        if !matches {
            return false;
        }
        seen += 1;
    }
    seen == wanted.len()
}

/// Debug builds only: when `DOCKET_TEST_PAUSE` is `head-locked` or `branch-locked`, leave
/// the ref locks as gix leaves them at that point of its transaction, microseconds after
/// the note (`head-locked`: an empty `HEAD.lock`; `branch-locked`: `HEAD.lock` holding the
/// new id and an empty branch lock), and stop for good, so that tests can kill the process
/// there (gix has no hook inside its transaction).
#[cfg(debug_assertions)]
fn leave_ref_locks_and_pause(locks: &[std::path::PathBuf], id: ObjectId) {
    let Some(step) = std::env::var_os("DOCKET_TEST_PAUSE") else {
        return;
    };
    let create = |path: &std::path::Path, text: &str| {
        if let Ok(mut f) = std::fs::File::create_new(path) {
            let _ = f.write_all(text.as_bytes());
        }
    };
    if step == "head-locked" {
        create(&locks[0], "");
    } else if step == "branch-locked" && locks.len() > 1 {
        create(&locks[0], &format!("{id}\n"));
        create(&locks[1], "");
    } else {
        return;
    }
    crate::interrupt::test_pause(&step.to_string_lossy());
}

/// A gix signature for `who` at `time`.
fn signature(who: &Identity, time: gix::date::Time) -> gix::actor::Signature {
    gix::actor::Signature {
        name: who.name.as_str().into(),
        email: who.email.as_str().into(),
        time,
    }
}

/// `when` as a git time with the local UTC offset in effect at that instant.
fn git_time(when: jiff::Timestamp) -> gix::date::Time {
    let offset = jiff::tz::TimeZone::system().to_offset(when).seconds();
    gix::date::Time::new(when.as_second(), offset)
}
