//! Reading the text of many tickets at once, for training `triage`'s model: title, body,
//! status, type and labels of every ticket a status filter lets through, from stored
//! fields (reading 100,000 ticket files costs seconds; the document store, a fraction).
//! Documents are read in the order of their segments and addresses, which is the order
//! the document store keeps them in, so each compressed block is opened once.

use tantivy::schema::Value;

use super::{IndexError, SearchIndex, StatusFilter};

/// One ticket's text and what it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketTextRow {
    /// Ticket id.
    pub id: String,
    /// Status as written.
    pub status: String,
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// The type, if any.
    pub kind: Option<String>,
    /// Labels as written.
    pub labels: Vec<String>,
}

/// The one frontmatter value the stored values are read for.
#[derive(serde::Deserialize)]
struct KindOnly {
    #[serde(rename = "type", default)]
    kind: Option<String>,
}

impl SearchIndex {
    /// The text of every ticket `filter` lets through, sorted by id (files that did not
    /// load are left out; the caller decides whether to read the files then).
    pub fn ticket_texts(&self, filter: &StatusFilter) -> Result<Vec<TicketTextRow>, IndexError> {
        let f = self.fields;
        let query = self.tickets_query(filter);
        let docs = self.matching_docs(&*query, "listing")?;
        let mut out = Vec::with_capacity(docs.len());
        for doc in docs {
            let data = SearchIndex::text_of(&doc, f.data);
            let kind = serde_json::from_str::<KindOnly>(&data)
                .map_err(|e| IndexError::Damaged {
                    path: self.dir.clone(),
                    message: format!(
                        "the stored values of {} do not read back: {e}",
                        SearchIndex::text_of(&doc, f.key)
                    ),
                })?
                .kind;
            out.push(TicketTextRow {
                id: SearchIndex::text_of(&doc, f.id),
                status: SearchIndex::text_of(&doc, f.status),
                title: SearchIndex::text_of(&doc, f.title),
                body: SearchIndex::text_of(&doc, f.body),
                kind,
                labels: doc
                    .get_all(f.label)
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
            });
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }
}
