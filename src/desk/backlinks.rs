//! Back-links: the tickets whose `links` name a ticket (`duplicate_of`, `relates`,
//! `blocks`), which `show` lists and `rm` refuses to orphan. The index finds them with a
//! term lookup (fast at 100,000 tickets); without a usable index every ticket file is
//! read. Uses `index`, `store` and `model`.

use crate::index::{Progress, TicketRow};
use crate::model::{Ticket, Workflow};

use super::{Desk, DeskError, Indexed};

/// Which link of the other ticket names this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkKind {
    /// Its `links.duplicate_of`: it repeats this ticket.
    DuplicateOf,
    /// One of its `links.relates`.
    Relates,
    /// One of its `links.blocks`: it blocks this ticket.
    Blocks,
}

impl LinkKind {
    /// The key under `links` in the other ticket (as `--json` names the kind).
    pub fn key(self) -> &'static str {
        match self {
            LinkKind::DuplicateOf => "duplicate_of",
            LinkKind::Relates => "relates",
            LinkKind::Blocks => "blocks",
        }
    }

    /// What the link means, said from this ticket's side.
    pub fn describe(self) -> &'static str {
        match self {
            LinkKind::DuplicateOf => "duplicate of this",
            LinkKind::Relates => "relates to this",
            LinkKind::Blocks => "blocks this",
        }
    }
}

/// Another ticket that links to this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlink {
    /// Its id.
    pub id: String,
    /// Its file, repository-relative.
    pub rel: String,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: String,
    /// Whether that status is one of the workflow's closed ones.
    pub closed: bool,
    /// Which of its links names this ticket.
    pub kind: LinkKind,
}

/// The back-links to `id` among `tickets` (path and values), one per linking ticket and
/// kind, by id then kind; a ticket's links to itself are left out.
fn backlinks_among<'a>(
    id: &str,
    wf: &Workflow,
    tickets: impl Iterator<Item = (&'a str, &'a Ticket)>,
) -> Vec<Backlink> {
    let names = |s: &String| s.eq_ignore_ascii_case(id);
    let mut out = Vec::new();
    for (rel, k) in tickets {
        if k.id.as_str().eq_ignore_ascii_case(id) {
            continue;
        }
        let kinds = [
            (
                LinkKind::DuplicateOf,
                k.links.duplicate_of.iter().any(names),
            ),
            (LinkKind::Relates, k.links.relates.iter().any(names)),
            (LinkKind::Blocks, k.links.blocks.iter().any(names)),
        ];
        for (kind, _) in kinds.into_iter().filter(|(_, linked)| *linked) {
            out.push(Backlink {
                id: k.id.to_string(),
                rel: rel.to_string(),
                title: k.title.clone(),
                status: k.status.clone(),
                closed: wf.is_closed(&k.status),
                kind,
            });
        }
    }
    out.sort_by(|a, b| (&a.id, a.kind).cmp(&(&b.id, b.kind)));
    out
}

impl Desk {
    /// The tickets that link to the ticket `id` (a whole id), from the index or else the
    /// files, with the index's notices.
    pub fn backlinks(
        &self,
        id: &str,
        progress: &dyn Progress,
    ) -> Result<Indexed<Vec<Backlink>>, DeskError> {
        match self.with_index(progress, |idx| idx.linking_to(id)) {
            Ok(Indexed { value, notices }) => Ok(Indexed {
                value: self.backlinks_in_rows(id, &value),
                notices,
            }),
            Err(_) => Ok(Indexed {
                value: self.backlinks_from_files(id)?,
                notices: Vec::new(),
            }),
        }
    }

    /// The back-links to `id` among the index's rows of the tickets that name it.
    pub(super) fn backlinks_in_rows(&self, id: &str, rows: &[TicketRow]) -> Vec<Backlink> {
        let wf = &self.store().config().workflow;
        backlinks_among(id, wf, rows.iter().map(|r| (r.rel.as_str(), &r.ticket)))
    }

    /// The back-links to `id`, read from every ticket file.
    pub(super) fn backlinks_from_files(&self, id: &str) -> Result<Vec<Backlink>, DeskError> {
        let loaded = self.store().tickets()?;
        let wf = &self.store().config().workflow;
        Ok(backlinks_among(
            id,
            wf,
            loaded.items.iter().map(|t| (t.rel.as_str(), &t.ticket)),
        ))
    }
}
