//! `show`: one ticket with its comments, its id resolved from a prefix through the search
//! index's id dictionary when it can say for sure (a few ms at 100,000 tickets, where
//! listing the folders takes 100 ms or more), else from the folders. Uses `index` and
//! `store`.

use crate::index::Progress;
use crate::model::TypedId;
use crate::store::{CommentFile, Problem, TicketFile};

use super::{Desk, DeskError, Indexed};

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
}

impl Desk {
    /// The ticket whose id starts with `prefix`, with its comments.
    pub fn show(
        &self,
        prefix: &str,
        progress: &dyn Progress,
    ) -> Result<Indexed<ShownTicket>, DeskError> {
        let (id, notices) = self.resolve_via_index(prefix, progress);
        let file = self.store().ticket(id.as_deref().unwrap_or(prefix))?;
        let comments = self.store().comments(&file.rel)?;
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
            },
            notices,
        })
    }

    /// The whole id of the one ticket whose id starts with `prefix`, from the index. `None`
    /// when the index cannot say for sure (no match, several, a damaged index): the
    /// caller then resolves from the folders, with the usual errors.
    fn resolve_via_index(
        &self,
        prefix: &str,
        progress: &dyn Progress,
    ) -> (Option<String>, Vec<String>) {
        let Ok(typed) = prefix.parse::<TypedId>() else {
            return (None, Vec::new());
        };
        let found = self.with_index(progress, |idx| {
            let mut ids = Vec::new();
            for p in typed.prefixes() {
                ids.extend(idx.ticket_ids_with_prefix(p)?);
            }
            Ok(ids)
        });
        match found {
            Ok(Indexed { value, notices }) => match value.as_slice() {
                [one] => (Some(one.clone()), notices),
                _ => (None, notices),
            },
            Err(_) => (None, Vec::new()),
        }
    }
}
