//! Ticket and comment files: listing the ticket shards from folder names alone, resolving
//! an id prefix like git does for hashes, loading one ticket or all of them (a copy at the
//! ticket's own path wins over a copy elsewhere), and a ticket's comments in time order.

use std::fs;

use super::load::{EntryKind, entry_kind, event_from_doc, rating_from_doc};
use super::{
    Loaded, Problem, Store, StoreError, comment_from_doc, copy_order, link_problem, ticket_from_doc,
};
use crate::doc::Document;
use crate::model::{Comment, Entry, Ticket, TicketId, short_prefix};

/// A ticket file, loaded.
#[derive(Debug, Clone)]
pub struct TicketFile {
    /// Path relative to the repository root, `/`-separated.
    pub rel: String,
    /// The text, for edits.
    pub doc: Document,
    /// The values, read leniently.
    pub ticket: Ticket,
}

/// A comment file, loaded.
#[derive(Debug, Clone)]
pub struct CommentFile {
    /// Path relative to the repository root, `/`-separated.
    pub rel: String,
    /// The values, read leniently.
    pub comment: Comment,
    /// The Markdown text.
    pub body: String,
}

/// A file of a ticket's folder, loaded.
#[derive(Debug, Clone)]
pub struct EntryFile {
    /// Path relative to the repository root, `/`-separated.
    pub rel: String,
    /// The values, read leniently.
    pub entry: Entry,
    /// The Markdown text (a comment's, a rating's words; empty for an event).
    pub body: String,
}

/// Reads one file of a ticket's folder as the kind its keys say.
pub fn entry_from_doc(doc: &Document) -> Result<Entry, Problem> {
    let read = match entry_kind(doc) {
        EntryKind::Comment => comment_from_doc(doc).map(Entry::Comment),
        EntryKind::Event => event_from_doc(doc).map(Entry::Event),
        EntryKind::Rating => rating_from_doc(doc).map(Entry::Rating),
    };
    // What does not read gets `check`'s message, which names the line and the fix.
    read.map_err(|e| super::validate_entry(doc).into_iter().next().unwrap_or(e))
}

/// Where one ticket's file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketEntry {
    /// The id (the file name without `.md`).
    pub id: TicketId,
    /// Path relative to the repository root.
    pub rel: String,
}

impl Store {
    /// Every ticket file, from directory names alone (no file is read).
    pub fn ticket_entries(&self) -> Result<Vec<TicketEntry>, StoreError> {
        self.ticket_listing(&mut Vec::new())
    }

    /// [`Store::ticket_entries`], also collecting the links it left out (shard folders
    /// or ticket files that are symbolic links).
    fn ticket_listing(&self, links: &mut Vec<String>) -> Result<Vec<TicketEntry>, StoreError> {
        let dir = self.dir_path(self.tickets_rel())?;
        let mut out = Vec::new();
        // The folder is checked once; shards and files are taken from the listing's own
        // file types, which never follow a link (a linked shard is left out).
        let shards = match fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(StoreError::io(dir, e)),
        };
        for shard in shards {
            let shard = shard.map_err(|e| StoreError::io(&dir, e))?;
            let shard_name = shard.file_name().to_string_lossy().into_owned();
            let kind = shard.file_type().ok();
            if kind.is_some_and(|t| t.is_symlink()) {
                links.push(format!("{}/{shard_name}", self.tickets_rel()));
            }
            if !kind.is_some_and(|t| t.is_dir()) {
                continue;
            }
            let rd = fs::read_dir(shard.path()).map_err(|e| StoreError::io(shard.path(), e))?;
            for f in rd {
                let f = f.map_err(|e| StoreError::io(shard.path(), e))?;
                let name = f.file_name().to_string_lossy().into_owned();
                let Some(stem) = name.strip_suffix(".md") else {
                    continue;
                };
                let kind = f.file_type().ok();
                if kind.is_some_and(|t| t.is_symlink()) {
                    links.push(format!("{}/{shard_name}/{name}", self.tickets_rel()));
                }
                if !kind.is_some_and(|t| t.is_file()) {
                    continue;
                }
                if let Ok(id) = stem.parse::<TicketId>() {
                    out.push(TicketEntry {
                        id,
                        rel: format!("{}/{shard_name}/{name}", self.tickets_rel()),
                    });
                }
            }
        }
        // Copies of one id (a file copied into another shard) in the order they win.
        out.sort_by(|a, b| {
            (&a.id, copy_order(a.id.as_str(), &a.rel))
                .cmp(&(&b.id, copy_order(b.id.as_str(), &b.rel)))
        });
        Ok(out)
    }

    /// Finds the one ticket whose id starts with `prefix` (case-insensitive; `T-` optional).
    pub fn resolve(&self, prefix: &str) -> Result<TicketEntry, StoreError> {
        // A whole id names its file directly: no folder listing (fast with many tickets).
        // An exact match wins over prefixes in `resolve_in` too, so the answer is the same.
        if let Some(entry) = self.exact_entry(prefix) {
            return Ok(entry);
        }
        let entries = self.ticket_entries()?;
        resolve_in(&entries, prefix)
    }

    /// The entry of a whole id (with or without `T-`, any case) whose file exists.
    fn exact_entry(&self, given: &str) -> Option<TicketEntry> {
        let typed: crate::model::TypedId = given.parse().ok()?;
        typed.spellings().find_map(|c| {
            let id: TicketId = c.parse().ok()?;
            let rel = self.ticket_rel(&id);
            match self.path(&rel) {
                Ok(path) => fs::symlink_metadata(path)
                    .ok()?
                    .is_file()
                    .then_some(TicketEntry { id, rel }),
                // Loading it then says which link was refused, instead of "no ticket".
                Err(StoreError::Refused { .. }) => Some(TicketEntry { id, rel }),
                Err(_) => None,
            }
        })
    }

    /// Loads one ticket by id or prefix.
    pub fn ticket(&self, prefix: &str) -> Result<TicketFile, StoreError> {
        let entry = self.resolve(prefix)?;
        self.load_ticket(&entry.rel)
    }

    /// Loads a ticket file.
    pub fn load_ticket(&self, rel: &str) -> Result<TicketFile, StoreError> {
        let doc = self.read_doc(rel)?;
        let ticket = ticket_from_doc(&doc).map_err(|p| StoreError::Bad(p.with_path(rel)))?;
        Ok(TicketFile {
            rel: rel.to_string(),
            doc,
            ticket,
        })
    }

    /// Loads every ticket; unusable files become problems, never failures. Of several
    /// files with one `id:`, the one [`copy_order`] puts first is the ticket and each
    /// other is a problem that names both files.
    pub fn tickets(&self) -> Result<Loaded<TicketFile>, StoreError> {
        let mut out = Loaded::default();
        let mut loaded = Vec::new();
        let mut links = Vec::new();
        let entries = self.ticket_listing(&mut links)?;
        out.problems.extend(links.iter().map(|l| link_problem(l)));
        for e in entries {
            match self.load_ticket(&e.rel) {
                Ok(t) => loaded.push(t),
                Err(StoreError::Bad(p)) => out.problems.push(p),
                Err(err) => out.problems.push(Problem::at(&e.rel, 1, err.to_string())),
            }
        }
        // The winning file of each id (the file name and `id:` may disagree).
        let mut winner: std::collections::BTreeMap<&str, &str> = Default::default();
        for t in &loaded {
            let id = t.ticket.id.as_str();
            let w = winner.entry(id).or_insert(&t.rel);
            if copy_order(id, &t.rel) < copy_order(id, w) {
                *w = &t.rel;
            }
        }
        let winner: std::collections::BTreeMap<String, String> = winner
            .into_iter()
            .map(|(id, rel)| (id.to_string(), rel.to_string()))
            .collect();
        for t in loaded {
            let id = t.ticket.id.as_str();
            match winner.get(id) {
                Some(first) if *first != t.rel => out.problems.push(duplicate_problem(&t, first)),
                _ => out.items.push(t),
            }
        }
        Ok(out)
    }

    /// A ticket's comments, oldest first by the time each names.
    pub fn comments(&self, ticket_rel: &str) -> Result<Loaded<CommentFile>, StoreError> {
        let all = self.timeline(ticket_rel)?;
        let items = all
            .items
            .into_iter()
            .filter_map(|e| match e.entry {
                Entry::Comment(comment) => Some(CommentFile {
                    rel: e.rel,
                    comment,
                    body: e.body,
                }),
                _ => None,
            })
            .collect();
        Ok(Loaded {
            items,
            problems: all.problems,
        })
    }

    /// Every file in a ticket's folder (comments, events, ratings), oldest first by the
    /// time each names, then by name: the ticket's timeline after `created`.
    pub fn timeline(&self, ticket_rel: &str) -> Result<Loaded<EntryFile>, StoreError> {
        let dir_rel = self.comments_rel(ticket_rel);
        let mut out = Loaded::default();
        let mut links = Vec::new();
        let files = self.md_files(&dir_rel, &mut links)?;
        out.problems.extend(links.iter().map(|l| link_problem(l)));
        for rel in files {
            match self.read_doc(&rel).and_then(|doc| {
                entry_from_doc(&doc)
                    .map(|entry| EntryFile {
                        rel: rel.clone(),
                        entry,
                        body: doc.body().to_string(),
                    })
                    .map_err(|p| StoreError::Bad(p.with_path(&rel)))
            }) {
                Ok(c) => out.items.push(c),
                Err(StoreError::Bad(p)) => out.problems.push(p),
                Err(e) => return Err(e),
            }
        }
        // By the time `created` names (a time no one can read sorts first), then by name.
        out.items.sort_by(|a, b| {
            (a.entry.created().moment().order(), a.rel.as_str())
                .cmp(&(b.entry.created().moment().order(), b.rel.as_str()))
        });
        Ok(out)
    }

    /// Every file of a ticket, as removing it removes them: its own file, then each file
    /// below its comment folder (comments and whatever else was put there), sorted. A
    /// symbolic link there is listed as itself, never followed.
    pub fn ticket_files(&self, ticket_rel: &str) -> Result<Vec<String>, StoreError> {
        let dir_rel = self.comments_rel(ticket_rel);
        let dir = self.path(&dir_rel)?;
        let mut below = Vec::new();
        if fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            for e in walkdir::WalkDir::new(&dir).min_depth(1) {
                let e = e.map_err(|e| {
                    let path = e.path().unwrap_or(&dir).to_path_buf();
                    StoreError::io(path, e.into())
                })?;
                if e.file_type().is_dir() {
                    continue;
                }
                let rel = e.path().strip_prefix(&dir).unwrap_or(e.path());
                below.push(format!(
                    "{dir_rel}/{}",
                    rel.to_string_lossy().replace('\\', "/")
                ));
            }
        }
        below.sort();
        let mut out = vec![ticket_rel.to_string()];
        out.extend(below);
        Ok(out)
    }

    /// Shortest unique display prefixes for a set of ids.
    pub fn short_ids<'a>(&self, ids: &[&'a str]) -> Vec<&'a str> {
        let mut sorted: Vec<&str> = ids.to_vec();
        sorted.sort_unstable();
        ids.iter()
            .map(|id| {
                let i = sorted.binary_search(id).unwrap_or(0);
                let neighbours: Vec<&str> = [i.checked_sub(1), Some(i + 1)]
                    .into_iter()
                    .flatten()
                    .filter_map(|j| sorted.get(j).copied())
                    .collect();
                short_prefix(id, &neighbours, 4)
            })
            .collect()
    }
}

/// The problem of a ticket file whose id a file that wins by [`copy_order`] also has.
fn duplicate_problem(t: &TicketFile, first: &str) -> Problem {
    Problem::at(
        &t.rel,
        t.doc.line_of(&["id"]).unwrap_or(1),
        format!(
            "ticket id `{}` is also used by {first}, which is the ticket docket shows",
            t.ticket.id
        ),
    )
    .hint("give this copy a new id (file name and `id:`) or delete it")
}

/// Finds the one entry whose id starts with `prefix`, like git does for hashes. Of
/// entries with one id (copies of a ticket), the first wins: callers pass them in
/// [`copy_order`].
pub fn resolve_in(entries: &[TicketEntry], prefix: &str) -> Result<TicketEntry, StoreError> {
    let Ok(typed) = prefix.parse::<crate::model::TypedId>() else {
        return Err(StoreError::NotFound(prefix.to_string()));
    };
    if let Some(exact) = entries.iter().find(|e| typed.is(e.id.as_str())) {
        return Ok(exact.clone());
    }
    let mut matches: Vec<&TicketEntry> = entries
        .iter()
        .filter(|e| typed.is_prefix_of(e.id.as_str()))
        .collect();
    // Copies of one ticket are one match (entries come sorted by id).
    matches.dedup_by(|b, a| a.id == b.id);
    match matches.as_slice() {
        [] => Err(StoreError::NotFound(prefix.to_string())),
        [one] => Ok((*one).clone()),
        many => Err(StoreError::Ambiguous {
            prefix: prefix.to_string(),
            candidates: many.iter().map(|e| e.id.to_string()).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> TicketEntry {
        TicketEntry {
            id: id.parse().expect("safe"),
            rel: format!("t/{id}.md"),
        }
    }

    #[test]
    fn prefixes_resolve_like_git() {
        let es = [
            entry("T-4K7QX2M9AB"),
            entry("T-4K7RAAAAAA"),
            entry("T-13277068"),
        ];
        assert_eq!(
            resolve_in(&es, "4k7q").expect("unique").id.as_str(),
            "T-4K7QX2M9AB"
        );
        assert_eq!(
            resolve_in(&es, "T-4K7Q").expect("unique").id.as_str(),
            "T-4K7QX2M9AB"
        );
        assert_eq!(
            resolve_in(&es, "T-132").expect("unique").id.as_str(),
            "T-13277068"
        );
        match resolve_in(&es, "4K7") {
            Err(StoreError::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 2),
            other => panic!("expected ambiguity, got {other:?}"),
        }
        assert!(matches!(
            resolve_in(&es, "ZZZ"),
            Err(StoreError::NotFound(_))
        ));
    }

    #[test]
    fn the_copy_at_home_wins_then_the_first_path() {
        let id = "T-AB12345678";
        let home = "support/tickets/AB/T-AB12345678.md";
        let early = "support/tickets/00/T-AB12345678.md";
        let late = "support/tickets/ZZ/T-AB12345678.md";
        assert!(copy_order(id, home) < copy_order(id, early));
        assert!(copy_order(id, early) < copy_order(id, late));
        // Copies of one id are one match for a prefix, the first of them.
        let copies = [
            TicketEntry {
                id: id.parse().expect("safe"),
                rel: home.into(),
            },
            TicketEntry {
                id: id.parse().expect("safe"),
                rel: late.into(),
            },
        ];
        assert_eq!(resolve_in(&copies, "ab12").expect("one ticket").rel, home);
    }
}
