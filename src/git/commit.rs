//! Commit exactly a set of work-tree paths on top of HEAD, then update `.git/index` for those
//! paths only, so the user's other staged and unstaged changes are neither swept into
//! docket's commit nor disturbed, and `git status` is clean for docket's files afterwards.

use std::io::Write as _;
use std::time::Duration;

use gix::ObjectId;
use gix::objs::tree::EntryKind;

use super::lock::lock_file;
use super::status::WorktreeFile;
use super::{CommitInfo, GitError, Identity, RelPath, Repo};

/// How long to wait for `index.lock` (git itself fails at once; a running `git add` is brief).
const INDEX_LOCK_WAIT: Duration = Duration::from_secs(10);

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

impl Repo {
    /// Commit exactly `paths` (relative, '/' separated) on top of HEAD as one docket change:
    /// each path's current work-tree bytes become a blob, a path absent from the work tree is
    /// removed. The base is HEAD's tree (the empty tree on an unborn branch), never the index,
    /// so the user's staged changes to other files stay out. Author is `author`, committer is
    /// [`Repo::committer_or`], both at `when`; `message` is used verbatim. Works on an unborn
    /// branch, a branch and a detached HEAD, and retries when HEAD moves concurrently.
    /// Returns `Ok(None)` and makes no commit when the tree would not change.
    ///
    /// `index.lock` is held from before the commit until `.git/index` has been updated for
    /// these paths (other entries, staged or not, are kept), so that `git status` shows nothing
    /// for them afterwards; this is done even when no commit was needed. If that update fails
    /// after the commit was made, the error is [`GitError::IndexUpdate`], which names the
    /// commit. A path that is a directory in the work tree is [`GitError::NotAFile`]; a path
    /// below a symlinked directory is [`GitError::BadPath`].
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
        let index_path = self.repo.index_path();
        let index_lock = lock_file(&index_path, INDEX_LOCK_WAIT)?;
        let changes = self.read_changes(rels)?;
        let time = git_time(when);
        let author_sig = signature(author, time);
        let committer_sig = signature(&self.committer_or(author), time);

        let mut attempt = 0;
        let (built, commit_id) = loop {
            attempt += 1;
            let built = self.build_tree(&changes)?;
            let Some(tree) = built.tree else {
                break (built, None);
            };
            #[cfg(test)]
            BEFORE_REF_UPDATE.with_borrow_mut(|hook| {
                if let Some(hook) = hook {
                    hook();
                }
            });
            let mut author_time = gix::date::parse::TimeBuf::default();
            let mut committer_time = gix::date::parse::TimeBuf::default();
            match self.repo.commit_as(
                committer_sig.to_ref(&mut committer_time),
                author_sig.to_ref(&mut author_time),
                "HEAD",
                message,
                tree,
                built.parent,
            ) {
                Ok(id) => break (built, Some(id.detach())),
                Err(e) if (e.is_conflict() || e.is_retryable()) && attempt < ATTEMPTS => {
                    std::thread::sleep(Duration::from_millis(10 << attempt));
                }
                Err(e) if e.is_conflict() || e.is_retryable() => {
                    return Err(GitError::Contended {
                        path: self.git_dir.clone(),
                        attempts: attempt,
                    });
                }
                Err(e) => return Err(self.gix_err("making a commit", e)),
            }
        };

        let updated = self.update_index(index_lock, &changes, &built.kinds);
        match (commit_id, updated) {
            (Some(id), Ok(())) => Ok(Some(CommitInfo {
                id: id.to_string(),
                branch: built.branch,
            })),
            (None, Ok(())) => Ok(None),
            (Some(id), Err(source)) => Err(GitError::IndexUpdate {
                path: index_path,
                id: id.to_string(),
                source,
            }),
            (None, Err(source)) => Err(GitError::Index {
                path: index_path,
                source,
            }),
        }
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
        lock: gix::lock::File,
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
        lock.commit().map_err(|e| e.error)?;
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
