//! Matching through the index: `search` (a user's query, its status filter checked
//! against the config), `suggest` (the KB articles and earlier tickets that match a
//! ticket, found with the text the index holds for it, [`crate::store::TicketText`]) and
//! `dupes` (likely duplicate pairs). Uses `index`, `store` and `model`.

use crate::index::{
    DupePair, Hit, IndexError, Kind, Progress, QueryDoc, SearchOptions, StatusFilter, Suggestions,
};
use crate::model::ArticleStatus;
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
    /// The hits of a user query; a status filter must be a status of a kind searched.
    pub fn search(
        &self,
        query: &str,
        opts: &SearchOptions,
        progress: &dyn Progress,
    ) -> Result<Indexed<Vec<Hit>>, IndexError> {
        if let Some(status) = &opts.status {
            let known = self.statuses_of(opts.kind);
            let is_known = known
                .iter()
                .flat_map(|(_, s)| s)
                .any(|s| s.eq_ignore_ascii_case(status));
            if !is_known {
                return Err(IndexError::UnknownStatus {
                    status: status.clone(),
                    known,
                });
            }
        }
        self.with_index(progress, |idx| idx.search(query, opts))
    }

    /// The statuses records of `kind` (every kind: `None`) can have: the workflow's for
    /// tickets, an article's, the config's tiers for customers.
    fn statuses_of(&self, kind: Option<Kind>) -> Vec<(&'static str, Vec<String>)> {
        let config = self.store().config();
        let articles = [
            ArticleStatus::Draft,
            ArticleStatus::Published,
            ArticleStatus::Archived,
        ]
        .map(|s| s.as_str().to_string())
        .to_vec();
        let all = [
            (Kind::Ticket, "tickets", config.workflow.statuses.clone()),
            (Kind::Kb, "KB articles", articles),
            (Kind::Customer, "customer tiers", config.tiers.clone()),
        ];
        all.into_iter()
            .filter(|(k, _, _)| kind.is_none_or(|want| want == *k))
            .map(|(_, what, statuses)| (what, statuses))
            .collect()
    }

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
