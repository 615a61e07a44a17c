//! The commits that changed given paths, newest first, for `docket history` and for "last
//! updated" times (which docket takes from git rather than storing in files).

use std::collections::HashMap;

use gix::ObjectId;
use gix::revision::walk::Sorting;
use gix::traverse::commit::simple::CommitTimeOrder;

use super::{GitError, HistoryEntry, Identity, RelPath, Repo};

/// The object id at each asked-for path in one tree (`None` where the path is absent).
type PathIds = Vec<Option<ObjectId>>;

impl Repo {
    /// Commits reachable from HEAD, newest first by commit time, in which any of `paths`
    /// (files or directories, '/' separated) differs from the first parent; a root commit
    /// that has a path counts as changing it. Empty on an unborn branch.
    pub fn history(&self, paths: &[String]) -> Result<Vec<HistoryEntry>, GitError> {
        let rels = paths
            .iter()
            .map(|p| RelPath::new(p))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(head) = self.head_id()? else {
            return Ok(Vec::new());
        };
        if rels.is_empty() {
            return Ok(Vec::new());
        }
        let walk = self
            .repo
            .rev_walk([head])
            .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
            .all()
            .map_err(|e| self.gix_err("walking history", e))?;
        // Ids of commits seen as a first parent, kept until the walk reaches them.
        let mut pending: HashMap<ObjectId, PathIds> = HashMap::new();
        let mut out = Vec::new();
        for info in walk {
            let info = info.map_err(|e| self.gix_err("walking history", e))?;
            let ids = match pending.remove(&info.id) {
                Some(ids) => ids,
                None => self.ids_in_commit(info.id, &rels)?,
            };
            let parent_ids = match info.parent_ids.first() {
                Some(parent) => {
                    let ids = match pending.get(parent) {
                        Some(ids) => ids.clone(),
                        None => self.ids_in_commit(*parent, &rels)?,
                    };
                    pending.insert(*parent, ids.clone());
                    ids
                }
                None => vec![None; rels.len()],
            };
            if ids != parent_ids {
                out.push(self.history_entry(info.id, info.commit_time)?);
            }
        }
        Ok(out)
    }

    /// The ids at `rels` in the tree of commit `id`.
    fn ids_in_commit(&self, id: ObjectId, rels: &[RelPath]) -> Result<PathIds, GitError> {
        let tree = self
            .repo
            .find_commit(id)
            .and_then(|c| c.tree())
            .map_err(|e| self.gix_err("reading a commit", e))?;
        rels.iter()
            .map(|rel| {
                tree.lookup_entry(rel.components())
                    .map(|e| e.map(|e| e.object_id()))
                    .map_err(|e| self.gix_err("reading a tree", e))
            })
            .collect()
    }

    /// Describe commit `id` for the history list.
    fn history_entry(
        &self,
        id: ObjectId,
        commit_time: Option<gix::date::SecondsSinceUnixEpoch>,
    ) -> Result<HistoryEntry, GitError> {
        let commit = self
            .repo
            .find_commit(id)
            .map_err(|e| self.gix_err("reading a commit", e))?;
        let author = commit
            .author()
            .map_err(|e| self.gix_err("reading a commit", e))?;
        let seconds = author
            .time()
            .map(|t| t.seconds)
            .ok()
            .or(commit_time)
            .unwrap_or_default();
        let message = commit
            .message_raw()
            .map_err(|e| self.gix_err("reading a commit", e))?
            .to_string();
        let summary = commit
            .message()
            .map(|m| m.summary().to_string())
            .unwrap_or_else(|_| message.lines().next().unwrap_or_default().to_owned());
        Ok(HistoryEntry {
            id: id.to_string(),
            author: Identity::from_signature(author),
            time: timestamp(seconds),
            summary,
            message,
        })
    }
}

/// Seconds since the epoch as a timestamp, clamped to jiff's range for absurd commit dates.
fn timestamp(seconds: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(seconds).unwrap_or(if seconds < 0 {
        jiff::Timestamp::MIN
    } else {
        jiff::Timestamp::MAX
    })
}
