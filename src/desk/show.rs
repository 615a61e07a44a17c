//! `show`: one ticket with its comments and the tickets that link to it, its id resolved
//! from a prefix through the search index's id dictionary when it can say for sure (a few
//! ms at 100,000 tickets, where listing the folders takes 100 ms or more), and its
//! back-links found in the same index; else both from the files. Uses `index` and
//! `store`.

use crate::index::{Progress, TicketRow};
use crate::model::TypedId;
use crate::store::{CommentFile, Problem, TicketFile};

use super::{Backlink, Desk, DeskError, Indexed};

/// A ticket as `show` prints it.
#[derive(Debug)]
pub struct ShownTicket {
    /// The ticket file.
    pub file: TicketFile,
    /// Its comments, oldest first.
    pub comments: Vec<CommentFile>,
    /// Comment files that did not load (they are left out).
    pub problems: Vec<Problem>,
    /// Whether its status is one of the workflow's closed ones.
    pub closed: bool,
    /// The tickets that link to it.
    pub backlinks: Vec<Backlink>,
}

impl Desk {
    /// The ticket whose id starts with `prefix`, with its comments and back-links.
    pub fn show(
        &self,
        prefix: &str,
        progress: &dyn Progress,
    ) -> Result<Indexed<ShownTicket>, DeskError> {
        let (found, notices) = self.resolve_via_index(prefix, progress);
        let (id, linking) = found.unzip();
        let file = self.store().ticket(id.as_deref().unwrap_or(prefix))?;
        let comments = self.store().comments(&file.rel)?;
        let whole = file.ticket.id.as_str();
        let backlinks = match linking {
            Some(rows) => self.backlinks_in_rows(whole, &rows),
            None => self.backlinks_from_files(whole)?,
        };
        let closed = self
            .store()
            .config()
            .workflow
            .is_closed(&file.ticket.status);
        Ok(Indexed {
            value: ShownTicket {
                file,
                comments: comments.items,
                problems: comments.problems,
                closed,
                backlinks,
            },
            notices,
        })
    }

    /// The whole id of the one ticket whose id starts with `prefix`, and the tickets that
    /// link to it, from the index (one sync for both). `None` when the index cannot say
    /// for sure (no match, several, a damaged index): the caller then reads the files,
    /// with the usual errors.
    fn resolve_via_index(
        &self,
        prefix: &str,
        progress: &dyn Progress,
    ) -> (Option<(String, Vec<TicketRow>)>, Vec<String>) {
        let Ok(typed) = prefix.parse::<TypedId>() else {
            return (None, Vec::new());
        };
        let found = self.with_index(progress, |idx| {
            let mut ids = Vec::new();
            for p in typed.prefixes() {
                ids.extend(idx.ticket_ids_with_prefix(p)?);
            }
            match ids.as_slice() {
                [one] => Ok(Some((one.clone(), idx.linking_to(one)?))),
                _ => Ok(None),
            }
        });
        match found {
            Ok(Indexed { value, notices }) => (value, notices),
            Err(_) => (None, Vec::new()),
        }
    }
}
