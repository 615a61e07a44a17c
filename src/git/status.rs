//! The state of one work-tree file against the index and HEAD, judged by hashing its bytes
//! as git would (not by stat alone), and the work-tree reading shared with committing.

use gix::ObjectId;
use gix::objs::tree::EntryKind;

use super::{GitError, PathState, RelPath, Repo};

/// A work-tree file as git would store it.
pub(super) struct WorktreeFile {
    /// The bytes of the blob (a symlink's target for links).
    pub data: Vec<u8>,
    /// Regular, executable or link.
    pub kind: EntryKind,
    /// The stat taken before reading, for the index entry (a later change then shows as dirty).
    pub stat: gix::index::fs::Metadata,
}

/// What one tracked path holds in HEAD or in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tracked {
    id: ObjectId,
    kind: EntryKind,
}

impl Repo {
    /// State of one work-tree path (relative to the work tree, '/' separated) compared with
    /// HEAD and the index, so docket can refuse to overwrite a user's uncommitted edit:
    /// `Clean` when work tree, index and HEAD agree, `Modified` when they differ anywhere
    /// (staged or unstaged), `Untracked` when only the work tree has it, `Missing` when the
    /// work tree does not.
    pub fn path_state(&self, rel: &str) -> Result<PathState, GitError> {
        let rel = RelPath::new(rel)?;
        let Some(file) = self.read_worktree(&rel)? else {
            return Ok(PathState::Missing);
        };
        let head = self.head_entry(&rel)?;
        let (index, conflicted) = self.index_entry(&rel)?;
        if head.is_none() && index.is_none() && !conflicted {
            return Ok(PathState::Untracked);
        }
        let id =
            gix::objs::compute_hash(self.repo.object_hash(), gix::objs::Kind::Blob, &file.data)
                .map_err(|e| self.gix_err("hashing a file", e))?;
        let index_kind = index.map(|t| t.kind);
        let worktree = Tracked {
            id,
            // With core.fileMode off git ignores the executable bit: take the index's view.
            kind: match (file.kind, index_kind) {
                (
                    EntryKind::Blob | EntryKind::BlobExecutable,
                    Some(k @ (EntryKind::Blob | EntryKind::BlobExecutable)),
                ) if !self.trust_executable_bit() => k,
                (k, _) => k,
            },
        };
        let clean = !conflicted && index == Some(worktree) && head == Some(worktree);
        Ok(if clean {
            PathState::Clean
        } else {
            PathState::Modified
        })
    }

    /// The id git gives a blob of `data`, to recognise a file's content later without
    /// keeping it.
    pub fn blob_id(&self, data: &[u8]) -> Result<String, GitError> {
        gix::objs::compute_hash(self.repo.object_hash(), gix::objs::Kind::Blob, data)
            .map(|id| id.to_string())
            .map_err(|e| self.gix_err("hashing a file", e))
    }

    /// Read the work-tree file at `rel`, or `None` if it (or a parent directory) is absent.
    pub(super) fn read_worktree(&self, rel: &RelPath) -> Result<Option<WorktreeFile>, GitError> {
        let path = self.worktree_path(rel);
        let io = |source| GitError::Io {
            path: path.clone(),
            source,
        };
        if !self.parents_are_directories(rel)? {
            return Ok(None);
        }
        let stat = match gix::index::fs::Metadata::from_path_no_follow(&path) {
            Ok(stat) => stat,
            Err(e) if is_absent(&e) => return Ok(None),
            Err(e) => return Err(io(e)),
        };
        let (data, kind) = if stat.is_symlink() {
            let target = std::fs::read_link(&path).map_err(io)?;
            let target = gix::path::os_str_into_bstr(target.as_os_str())
                .map_err(|_| GitError::BadPath {
                    path: rel.as_str().to_owned(),
                    reason: "its symlink target is not valid UTF-8",
                })?
                .to_vec();
            (target, EntryKind::Link)
        } else if stat.is_file() {
            let data = match std::fs::read(&path) {
                Ok(data) => data,
                Err(e) if is_absent(&e) => return Ok(None),
                Err(e) => return Err(io(e)),
            };
            let kind = if stat.is_executable() {
                EntryKind::BlobExecutable
            } else {
                EntryKind::Blob
            };
            (data, kind)
        } else {
            return Err(GitError::NotAFile { path });
        };
        Ok(Some(WorktreeFile { data, kind, stat }))
    }

    /// Whether every parent directory of `rel` exists as a real directory; a symlinked parent
    /// is an error (git refuses paths beyond a symlink, and docket must not read or commit
    /// files outside the work tree through one).
    fn parents_are_directories(&self, rel: &RelPath) -> Result<bool, GitError> {
        let mut dir = self.workdir.clone();
        let mut components = rel.components().peekable();
        while let Some(c) = components.next() {
            if components.peek().is_none() {
                break;
            }
            dir.push(c);
            match std::fs::symlink_metadata(&dir) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(GitError::BadPath {
                        path: rel.as_str().to_owned(),
                        reason: "it lies beyond a symbolic link",
                    });
                }
                Ok(m) if m.is_dir() => {}
                Ok(_) => return Ok(false),
                Err(e) if is_absent(&e) => return Ok(false),
                Err(source) => return Err(GitError::Io { path: dir, source }),
            }
        }
        Ok(true)
    }

    /// Whether the work tree's executable bit means anything (`core.fileMode`, default true).
    pub(super) fn trust_executable_bit(&self) -> bool {
        cfg!(unix)
            && self
                .repo
                .config_snapshot()
                .boolean("core.fileMode")
                .unwrap_or(true)
    }

    /// The non-tree entry at `rel` in HEAD's tree, `None` if absent or HEAD is unborn.
    fn head_entry(&self, rel: &RelPath) -> Result<Option<Tracked>, GitError> {
        let Some(tree_id) = self.head_tree_id()? else {
            return Ok(None);
        };
        let entry = self
            .repo
            .find_tree(tree_id)
            .and_then(|tree| tree.lookup_entry(rel.components()))
            .map_err(|e| self.gix_err("reading HEAD's tree", e))?;
        Ok(entry.and_then(|e| {
            let kind = e.mode().kind();
            (kind != EntryKind::Tree).then(|| Tracked {
                id: e.object_id(),
                kind,
            })
        }))
    }

    /// The stage-0 index entry at `rel`, and whether the path has conflict stages.
    fn index_entry(&self, rel: &RelPath) -> Result<(Option<Tracked>, bool), GitError> {
        let Some(index) = self
            .repo
            .try_index()
            .map_err(|e| self.gix_err("reading the index", e))?
        else {
            return Ok((None, false));
        };
        let mut found = None;
        let mut conflicted = false;
        let path = rel.as_str().as_bytes();
        for entry in index.prefixed_entries(path.into()).unwrap_or_default() {
            if entry.path(&index) != path {
                continue;
            }
            if entry.stage_raw() != 0 {
                conflicted = true;
                continue;
            }
            found = entry.mode.to_tree_entry_mode().map(|mode| Tracked {
                id: entry.id,
                kind: mode.kind(),
            });
        }
        Ok((found, conflicted))
    }
}

/// Whether an I/O error means "there is nothing at this path".
pub(super) fn is_absent(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
}
