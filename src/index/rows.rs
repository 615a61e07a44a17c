//! Reading the index for `list`: ticket rows from the `row` and `tid` fast fields for the
//! table, from stored fields for `--json`, each id's shortest unique prefix among all
//! live ids, and ticket ids for prefix resolution (the copy at a ticket's own path wins).

use std::ops::Bound;

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::query::term_query;
use super::schema::{ListRow, decode_problem, decode_row};
use super::{IndexError, SearchIndex, panics};
use crate::model::Ticket;
use crate::store::copy_order;

/// One ticket as `list` needs it: path and values.
#[derive(Debug, Clone)]
pub struct TicketRow {
    /// Repository-relative path.
    pub rel: String,
    /// The frontmatter values.
    pub ticket: Ticket,
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

/// Every live ticket id, sorted and unique, in one string buffer (a hundred thousand ids
/// as separate `String`s cost more to allocate and free than to read).
#[derive(Debug, Default)]
struct IdSet {
    /// The ids, one after another.
    buf: String,
    /// Where each id ends in `buf`.
    ends: Vec<usize>,
}

impl IdSet {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> Option<&str> {
        let start = if i == 0 { 0 } else { *self.ends.get(i - 1)? };
        self.buf.get(start..*self.ends.get(i)?)
    }

    fn push(&mut self, id: &str) {
        self.buf.push_str(id);
        self.ends.push(self.buf.len());
    }

    fn last(&self) -> Option<&str> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The shortest unique prefix of the id at `pos` (as `Store::short_ids` computes it:
    /// only the neighbours in sorted order matter).
    fn short(&self, pos: usize) -> Option<&str> {
        let id = self.get(pos)?;
        // A missing neighbour is "", which no prefix of a non-empty id matches.
        let before = pos.checked_sub(1).and_then(|j| self.get(j)).unwrap_or("");
        let after = self.get(pos + 1).unwrap_or("");
        Some(crate::model::short_prefix(id, &[before, after], 4))
    }
}

/// The ids of one segment's live ticket documents, sorted as its dictionary is.
struct SegmentIds {
    ids: IdSet,
    /// The dictionary ordinal of each id.
    ords: Vec<u64>,
    /// How many ordinals the segment's dictionary has.
    num_terms: usize,
}

/// All ids with, per segment, the position in `ids` of each ordinal (`usize::MAX` for the
/// ids of deleted documents only), and how many live ticket documents there are (more
/// than `ids.len()` when ids repeat).
struct AllIds {
    ids: IdSet,
    ord_to_pos: Vec<Vec<usize>>,
    docs: usize,
}

impl AllIds {
    /// Merges the sorted ids of each segment (a few runs: a k-way merge, no sort).
    fn merge(segments: Vec<SegmentIds>, docs: usize) -> AllIds {
        let mut ord_to_pos: Vec<Vec<usize>> = segments
            .iter()
            .map(|s| vec![usize::MAX; s.num_terms])
            .collect();
        let mut ids = IdSet {
            buf: String::with_capacity(segments.iter().map(|s| s.ids.buf.len()).sum()),
            ends: Vec::with_capacity(segments.iter().map(|s| s.ids.len()).sum()),
        };
        let mut at = vec![0usize; segments.len()];
        loop {
            let mut best: Option<(usize, &str)> = None;
            for (s, seg) in segments.iter().enumerate() {
                if let Some(id) = seg.ids.get(at[s])
                    && best.is_none_or(|(_, b)| id < b)
                {
                    best = Some((s, id));
                }
            }
            let Some((s, id)) = best else { break };
            if ids.last() != Some(id) {
                ids.push(id);
            }
            let pos = ids.len() - 1;
            if let Some(slot) = segments[s]
                .ords
                .get(at[s])
                .and_then(|o| ord_to_pos[s].get_mut(*o as usize))
            {
                *slot = pos;
            }
            at[s] += 1;
        }
        AllIds {
            ids,
            ord_to_pos,
            docs,
        }
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

    /// Every live ticket id from the `tid` fast field: per segment, mark the ordinals of
    /// live documents, then read those ids in one pass over the sorted dictionary (the
    /// term dictionary would need a postings lookup per id to skip deleted documents).
    fn all_ids(&self, searcher: &Searcher) -> Result<AllIds, IndexError> {
        let f = self.fields;
        let name = searcher.schema().get_field_name(f.tid).to_string();
        let mut segments = Vec::new();
        let mut docs = 0;
        for seg in searcher.segment_readers() {
            let col = seg
                .fast_fields()
                .str(&name)
                .map_err(IndexError::tantivy(&self.dir, "reading ids"))?;
            let Some(col) = col else {
                segments.push(SegmentIds {
                    ids: IdSet::default(),
                    ords: Vec::new(),
                    num_terms: 0,
                });
                continue;
            };
            let mut live = vec![false; col.num_terms()];
            let alive = seg.alive_bitset();
            for doc in 0..seg.max_doc() {
                if alive.is_none_or(|a| a.is_alive(doc))
                    && let Some(ord) = col.ords().first(doc)
                    && let Some(slot) = live.get_mut(ord as usize)
                {
                    *slot = true;
                    docs += 1;
                }
            }
            let ords: Vec<u64> = (0..live.len() as u64)
                .filter(|o| live[*o as usize])
                .collect();
            let mut ids = IdSet::default();
            col.dictionary()
                .sorted_ords_to_term_cb(&ords, |bytes| {
                    ids.push(&String::from_utf8_lossy(bytes));
                })
                .map_err(|e| IndexError::Io {
                    path: self.dir.clone(),
                    error: e,
                })?;
            if ids.len() != ords.len() {
                return Err(IndexError::Damaged {
                    path: self.dir.clone(),
                    message: "ticket ids do not read back".into(),
                });
            }
            segments.push(SegmentIds {
                ids,
                ords,
                num_terms: live.len(),
            });
        }
        Ok(AllIds::merge(segments, docs))
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
                "ticket" => {
                    let data = SearchIndex::text_of(&doc, f.data);
                    match serde_json::from_str::<Ticket>(&data) {
                        Ok(ticket) => out.rows.push(TicketRow { rel, ticket }),
                        Err(e) => {
                            return Err(IndexError::Damaged {
                                path: self.dir.clone(),
                                message: format!(
                                    "the stored values of {rel} do not read back: {e}"
                                ),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        out.rows.sort_by(|a, b| a.rel.cmp(&b.rel));
        out.problems.sort();
        Ok(out)
    }

    /// When several ticket documents have the id `id` (copies of one ticket file), the
    /// file that is the ticket by [`copy_order`], after noting a warning that names every
    /// copy; `None` when there is one (one postings lookup, no document read).
    pub(super) fn winning_copy(
        &self,
        searcher: &Searcher,
        id: &str,
    ) -> Result<Option<String>, IndexError> {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.tid, id),
            IndexRecordOption::Basic,
        );
        let docs = searcher
            .search(&q, &DocSetCollector)
            .map_err(IndexError::tantivy(&self.dir, "looking up an id"))?;
        if docs.len() < 2 {
            return Ok(None);
        }
        let mut copies = Vec::with_capacity(docs.len());
        for addr in docs {
            let doc: TantivyDocument = searcher
                .doc(addr)
                .map_err(IndexError::tantivy(&self.dir, "reading a document"))?;
            copies.push(SearchIndex::text_of(&doc, self.fields.key));
        }
        copies.sort_by(|a, b| copy_order(id, a).cmp(&copy_order(id, b)));
        let [winner, others @ ..] = copies.as_slice() else {
            return Ok(None);
        };
        self.notice(format!(
            "warning: ticket id `{id}` is used by {} files: {winner} (the ticket docket shows) and {}; hint: give the other copies a new id (file name and `id:`) or delete them",
            copies.len(),
            others.join(", ")
        ));
        Ok(Some(winner.clone()))
    }

    /// Ticket ids starting with `prefix` (exact case), sorted, from the term dictionary.
    /// When there is one and other files are copies of it, notes a warning naming them.
    pub fn ticket_ids_with_prefix(&self, prefix: &str) -> Result<Vec<String>, IndexError> {
        let f = self.fields;
        let searcher = self.searcher();
        let mut ids: Vec<String> = Vec::new();
        for seg in searcher.segment_readers() {
            let inv = seg
                .inverted_index(f.tid)
                .map_err(IndexError::tantivy(&self.dir, "reading ids"))?;
            let dict = inv.terms();
            let lower = Bound::Included(prefix.as_bytes().to_vec());
            let mut stream = dict
                .range()
                .ge(match &lower {
                    Bound::Included(b) => b.clone(),
                    _ => Vec::new(),
                })
                .into_stream()
                .map_err(|e| IndexError::Io {
                    path: self.dir.clone(),
                    error: e,
                })?;
            while stream.advance() {
                let key = stream.key();
                if !key.starts_with(prefix.as_bytes()) {
                    break;
                }
                // A deleted document's term can linger until a merge: keep only live ones
                // (only segments with deletions need the check).
                let term = Term::from_field_bytes(f.tid, key);
                let live = seg.alive_bitset().is_none()
                    || inv
                        .read_postings(&term, IndexRecordOption::Basic)
                        .ok()
                        .flatten()
                        .is_some_and(|mut p| {
                            use tantivy::DocSet;
                            let alive = seg.alive_bitset();
                            loop {
                                let d = p.doc();
                                if d == tantivy::TERMINATED {
                                    break false;
                                }
                                if alive.is_none_or(|a| a.is_alive(d)) {
                                    break true;
                                }
                                p.advance();
                            }
                        });
                if live {
                    ids.push(String::from_utf8_lossy(key).into_owned());
                }
            }
        }
        // Each segment's terms come sorted; with one segment this is already in order.
        if !ids.is_sorted() {
            ids.sort_unstable();
        }
        ids.dedup();
        if let [one] = ids.as_slice() {
            self.winning_copy(&searcher, one)?;
        }
        Ok(ids)
    }
}
