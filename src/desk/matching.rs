//! Matching through the index: `suggest` (the KB articles and earlier tickets that match
//! a ticket, found with the text the index holds for it, [`crate::store::TicketText`])
//! and `dupes` (likely duplicate pairs). Uses `index` and `store`.

use crate::index::{DupePair, IndexError, Progress, QueryDoc, StatusFilter, Suggestions};
use crate::store::TicketFile;

use super::{Desk, Indexed};

/// What `suggest` found for a ticket.
#[derive(Debug)]
pub struct Suggested {
    /// The ticket matched.
    pub ticket: TicketFile,
    /// The matches.
    pub suggestions: Suggestions,
}

impl Desk {
    /// At most `limit` articles and `limit` earlier tickets that match the ticket whose id
    /// starts with `prefix`.
    pub fn suggest(
        &self,
        prefix: &str,
        limit: usize,
        progress: &dyn Progress,
    ) -> Result<Indexed<Suggested>, IndexError> {
        let ticket = self.store().ticket(prefix)?;
        let query = QueryDoc::of(&self.store().ticket_text(&ticket)?);
        let found = self.with_index(progress, |idx| idx.suggest(&query, limit.max(1)))?;
        Ok(Indexed {
            value: Suggested {
                ticket,
                suggestions: found.value,
            },
            notices: found.notices,
        })
    }

    /// At most `limit` likely duplicate pairs scoring `min_score` or more, among the
    /// tickets with one of `statuses` (none given: every open status).
    pub fn dupes(
        &self,
        statuses: &[String],
        limit: usize,
        min_score: f32,
        progress: &dyn Progress,
    ) -> Result<Indexed<Vec<DupePair>>, IndexError> {
        let filter = if statuses.is_empty() {
            StatusFilter::NoneOf(self.store().config().workflow.closed.clone())
        } else {
            StatusFilter::OneOf(statuses.to_vec())
        };
        self.with_index(progress, |idx| idx.dupes(&filter, limit, min_score))
    }
}
