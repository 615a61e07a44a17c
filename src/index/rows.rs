//! Reading the index for `list`: ticket rows from the `row` and `tid` fast fields for the
//! table (each with its id's shortest unique prefix, from [`super::ids`]), and from stored
//! fields for `--json`.

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::ids::IdSet;
use super::query::term_query;
use super::schema::{ListRow, decode_problem, decode_row};
use super::{IndexError, SearchIndex, panics};
use crate::model::Ticket;

/// One ticket as `list` needs it: path and values.
#[derive(Debug, Clone)]
pub struct TicketRow {
    /// Repository-relative path.
    pub rel: String,
    /// The frontmatter values.
    pub ticket: Ticket,
    /// When its newest comment was written, as written.
    pub latest_comment: Option<String>,
}

/// The tickets for `list --json` and `dupes`, and the files that did not load.
#[derive(Debug, Default)]
pub struct TicketRows {
    /// Tickets matching the status filter.
    pub rows: Vec<TicketRow>,
    /// `(path, message)` of files that did not load.
    pub problems: Vec<(String, String)>,
    /// Whether two ticket files claim the same id.
    pub duplicates: bool,
}

/// The rows for the `list` table, read from fast fields only: the encoded rows in one
/// buffer, each with the position of its id among all ids (for its short id).
#[derive(Debug, Default)]
pub struct ListRows {
    /// The `row` values, one after another.
    arena: Vec<u8>,
    /// `(start, end)` in `arena` and position in `ids` of each row.
    spans: Vec<(usize, usize, usize)>,
    /// Every live ticket id.
    ids: IdSet,
    /// `(path, message)` of files that did not load.
    pub problems: Vec<(String, String)>,
    /// Whether two ticket files claim the same id.
    pub duplicates: bool,
}

/// The rows [`SearchIndex::matching_rows`] found, before their ids are looked up.
struct MatchedRows {
    /// The `row` values, one after another.
    arena: Vec<u8>,
    /// Where each row is, and whose.
    spans: Vec<RowSpan>,
    /// `(path, message)` of files that did not load.
    problems: Vec<(String, String)>,
}

/// One encoded row in [`MatchedRows::arena`], with the segment and `tid` ordinal of its
/// ticket.
struct RowSpan {
    start: usize,
    end: usize,
    segment: usize,
    tid: u64,
}

impl ListRows {
    /// Each ticket `filter` let through (in no particular order), with its short id.
    pub fn rows(&self) -> Vec<(&str, ListRow<'_>)> {
        self.spans
            .iter()
            .filter_map(|&(start, end, pos)| {
                let row = decode_row(self.arena.get(start..end)?)?;
                Some((self.ids.short(pos)?, row))
            })
            .collect()
    }
}

/// Which statuses `list` wants: a pre-filter (compared without case); the caller applies
/// its exact rule afterwards.
#[derive(Debug, Clone)]
pub enum StatusFilter {
    /// Every ticket.
    Any,
    /// Tickets with one of these statuses.
    OneOf(Vec<String>),
    /// Tickets with none of these statuses.
    NoneOf(Vec<String>),
}

impl SearchIndex {
    /// The tickets `filter` lets through (and every problem file): a ticket document
    /// with a matching status, or a file that did not load.
    fn rows_query(&self, filter: &StatusFilter) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, self.tickets_query(filter)),
            (Occur::Should, term_query(self.fields.kind, "problem")),
        ]))
    }

    /// The ticket documents `filter` lets through (no problem files).
    pub(super) fn tickets_query(&self, filter: &StatusFilter) -> Box<dyn Query> {
        let f = self.fields;
        let mut ticket: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, term_query(f.kind, "ticket"))];
        match filter {
            StatusFilter::Any => {}
            StatusFilter::OneOf(statuses) => {
                let alts: Vec<(Occur, Box<dyn Query>)> = statuses
                    .iter()
                    .map(|s| (Occur::Should, term_query(f.status, &s.to_lowercase())))
                    .collect();
                ticket.push((Occur::Must, Box::new(BooleanQuery::new(alts))));
            }
            StatusFilter::NoneOf(statuses) => ticket.extend(
                statuses
                    .iter()
                    .map(|s| (Occur::MustNot, term_query(f.status, &s.to_lowercase()))),
            ),
        }
        Box::new(BooleanQuery::new(ticket))
    }

    /// The rows of the `list` table: tickets `filter` lets through, with their short ids,
    /// from the `row` and `tid` fast fields (only files that did not load are read from
    /// the document store). Order is unspecified; the caller sorts.
    pub fn list_rows(&self, filter: &StatusFilter) -> Result<ListRows, IndexError> {
        let searcher = self.searcher();
        // The ids and the rows are read on two threads (the budget assumes two cores);
        // a row's position among the ids is looked up once both are done.
        let (all, rows) = std::thread::scope(|scope| {
            let ids = panics::spawn(scope, "reading the ticket ids", || self.all_ids(&searcher));
            let rows = self.matching_rows(&searcher, filter);
            (ids.join(), rows)
        });
        let all = all.map_err(|p| p.in_index(&self.dir))??;
        let MatchedRows {
            arena,
            spans: raw,
            problems,
        } = rows?;
        let mut out = ListRows {
            duplicates: all.docs != all.ids.len(),
            problems,
            ..ListRows::default()
        };
        if out.duplicates {
            return Ok(out);
        }
        let mut spans = Vec::with_capacity(raw.len());
        for RowSpan {
            start,
            end,
            segment,
            tid,
        } in raw
        {
            let pos = all
                .ord_to_pos
                .get(segment)
                .and_then(|v| v.get(tid as usize))
                .copied()
                .filter(|p| *p < all.ids.len())
                .ok_or_else(|| IndexError::Damaged {
                    path: self.dir.clone(),
                    message: "a listed ticket has no id".into(),
                })?;
            spans.push((start, end, pos));
        }
        out.arena = arena;
        out.spans = spans;
        out.ids = all.ids;
        Ok(out)
    }

    /// The encoded rows of the tickets `filter` lets through, and the files that did not
    /// load.
    fn matching_rows(
        &self,
        searcher: &Searcher,
        filter: &StatusFilter,
    ) -> Result<MatchedRows, IndexError> {
        let f = self.fields;
        let mut arena: Vec<u8> = Vec::new();
        let mut spans: Vec<RowSpan> = Vec::new();
        let mut problems: Vec<(String, String)> = Vec::new();
        let query = self.rows_query(filter);
        let weight = query
            .weight(tantivy::query::EnableScoring::disabled_from_searcher(
                searcher,
            ))
            .map_err(IndexError::tantivy(&self.dir, "listing"))?;
        let schema = searcher.schema();
        let row_name = schema.get_field_name(f.row).to_string();
        let tid_name = schema.get_field_name(f.tid).to_string();
        let problem_name = schema.get_field_name(f.problem).to_string();
        let damaged = |message: &str| IndexError::Damaged {
            path: self.dir.clone(),
            message: message.to_string(),
        };
        for (s, seg) in searcher.segment_readers().iter().enumerate() {
            let matched = self.live_matches(weight.as_ref(), seg, "listing")?;
            if matched.is_empty() {
                continue;
            }
            let fast = seg.fast_fields();
            let rows = fast
                .bytes(&row_name)
                .map_err(IndexError::tantivy(&self.dir, "reading rows"))?;
            let tids = fast
                .str(&tid_name)
                .map_err(IndexError::tantivy(&self.dir, "reading ids"))?;
            let problem_col = fast
                .bytes(&problem_name)
                .map_err(IndexError::tantivy(&self.dir, "reading problems"))?;
            // (row ordinal, id ordinal) of each ticket; problem files aside.
            let mut wanted: Vec<(u64, u64)> = Vec::with_capacity(matched.len());
            let mut problem_ords: Vec<u64> = Vec::new();
            for doc in matched {
                let row = rows.as_ref().and_then(|c| c.ords().first(doc));
                let tid = tids.as_ref().and_then(|c| c.ords().first(doc));
                let problem = problem_col.as_ref().and_then(|c| c.ords().first(doc));
                match (row, tid, problem) {
                    (Some(row), Some(tid), _) => wanted.push((row, tid)),
                    (_, _, Some(p)) => problem_ords.push(p),
                    _ => {
                        let stored: TantivyDocument = searcher
                            .doc(DocAddress::new(s as u32, doc))
                            .map_err(IndexError::tantivy(&self.dir, "reading a document"))?;
                        if SearchIndex::text_of(&stored, f.kind) != "problem" {
                            return Err(damaged("a ticket has no listed values"));
                        }
                        problems.push((
                            SearchIndex::text_of(&stored, f.key),
                            SearchIndex::text_of(&stored, f.data),
                        ));
                    }
                }
            }
            if let Some(col) = &problem_col
                && !problem_ords.is_empty()
            {
                problem_ords.sort_unstable();
                let mut bad = false;
                col.dictionary()
                    .sorted_ords_to_term_cb(&problem_ords, |bytes| match decode_problem(bytes) {
                        Some(p) => problems.push(p),
                        None => bad = true,
                    })
                    .map_err(|e| IndexError::Io {
                        path: self.dir.clone(),
                        error: e,
                    })?;
                if bad {
                    return Err(damaged("a problem file's message does not read back"));
                }
            }
            let Some(rows) = rows else { continue };
            wanted.sort_unstable();
            let ords: Vec<u64> = wanted.iter().map(|w| w.0).collect();
            let mut i = 0;
            let mut bad = false;
            rows.dictionary()
                .sorted_ords_to_term_cb(&ords, |bytes| {
                    let tid = wanted.get(i).map_or(u64::MAX, |w| w.1);
                    i += 1;
                    if decode_row(bytes).is_none() {
                        bad = true;
                        return;
                    }
                    let start = arena.len();
                    arena.extend_from_slice(bytes);
                    spans.push(RowSpan {
                        start,
                        end: arena.len(),
                        segment: s,
                        tid,
                    });
                })
                .map_err(|e| IndexError::Io {
                    path: self.dir.clone(),
                    error: e,
                })?;
            if bad || i != ords.len() {
                return Err(damaged("the listed values do not read back"));
            }
        }
        problems.sort();
        Ok(MatchedRows {
            arena,
            spans,
            problems,
        })
    }

    /// Every ticket (or only those with one of `statuses`, compared without case), from
    /// stored fields, with the files that did not load.
    pub fn ticket_rows(&self, filter: &StatusFilter) -> Result<TicketRows, IndexError> {
        let f = self.fields;
        let searcher = self.searcher();
        let all = self.all_ids(&searcher)?;
        let mut out = TicketRows {
            duplicates: all.docs != all.ids.len(),
            ..TicketRows::default()
        };
        let kind_q = self.rows_query(filter);
        let docs = searcher
            .search(&*kind_q, &DocSetCollector)
            .map_err(IndexError::tantivy(&self.dir, "listing"))?;
        let mut docs: Vec<DocAddress> = docs.into_iter().collect();
        docs.sort();
        for addr in docs {
            let doc: TantivyDocument = searcher
                .doc(addr)
                .map_err(IndexError::tantivy(&self.dir, "reading a document"))?;
            let kind = SearchIndex::text_of(&doc, f.kind);
            let rel = SearchIndex::text_of(&doc, f.key);
            match kind.as_str() {
                "problem" => out.problems.push((rel, SearchIndex::text_of(&doc, f.data))),
                "ticket" => out.rows.push(self.stored_ticket(&doc, rel)?),
                _ => {}
            }
        }
        out.rows.sort_by(|a, b| a.rel.cmp(&b.rel));
        out.problems.sort();
        Ok(out)
    }

    /// The ticket a stored ticket document holds, from its file at `rel`.
    pub(super) fn stored_ticket(
        &self,
        doc: &TantivyDocument,
        rel: String,
    ) -> Result<TicketRow, IndexError> {
        let f = self.fields;
        let data = SearchIndex::text_of(doc, f.data);
        let ticket = serde_json::from_str::<Ticket>(&data).map_err(|e| IndexError::Damaged {
            path: self.dir.clone(),
            message: format!("the stored values of {rel} do not read back: {e}"),
        })?;
        let latest_comment = doc
            .get_first(f.latest_comment)
            .and_then(|v| v.as_str())
            .map(str::to_string);
        Ok(TicketRow {
            rel,
            ticket,
            latest_comment,
        })
    }
}
