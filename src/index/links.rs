//! Back-links: the tickets whose `links` name a given ticket (`duplicate_of`, `relates`,
//! `blocks`). Those values are keyword fields of each ticket document, so `show` and `rm`
//! find them with one term lookup per field instead of reading every ticket.

use tantivy::query::{BooleanQuery, Occur, Query};

use super::query::term_query;
use super::{IndexError, SearchIndex, TicketRow, panics};

impl SearchIndex {
    /// Every ticket whose `links.duplicate_of`, `links.relates` or `links.blocks` names
    /// `id` (compared without case), in path order, with its stored values; the caller
    /// reads which link names it from those values.
    pub fn linking_to(&self, id: &str) -> Result<Vec<TicketRow>, IndexError> {
        panics::catching("finding back-links", || self.find_linking_to(id))
            .map_err(|p| p.in_index(&self.dir))?
    }

    fn find_linking_to(&self, id: &str) -> Result<Vec<TicketRow>, IndexError> {
        let f = self.fields;
        let term = id.to_lowercase();
        let named: Vec<(Occur, Box<dyn Query>)> = [f.duplicate_of, f.relates, f.blocks]
            .into_iter()
            .map(|field| (Occur::Should, term_query(field, &term)))
            .collect();
        let query = BooleanQuery::new(vec![
            (Occur::Must, term_query(f.kind, "ticket")),
            (Occur::Must, Box::new(BooleanQuery::new(named))),
        ]);
        let docs = self.matching_docs(&query, "finding back-links")?;
        let mut out = Vec::with_capacity(docs.len());
        for doc in docs {
            let rel = SearchIndex::text_of(&doc, f.key);
            out.push(self.stored_ticket(&doc, rel)?);
        }
        out.sort_by(|a, b| a.rel.cmp(&b.rel));
        Ok(out)
    }
}
