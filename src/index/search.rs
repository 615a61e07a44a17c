//! Reading the index: user queries with field syntax and highlighted snippets, ticket
//! rows for `list` (from the `row` and `tid` fast fields for the table, from stored
//! fields for JSON), and ticket ids for prefix resolution.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{
    BooleanQuery, EnableScoring, Explanation, Occur, Query, QueryParser, Scorer, TermQuery, Weight,
};
use tantivy::query_grammar::{Occur as AstOccur, UserInputAst};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TantivyDocument, Term};

use super::schema::{ListRow, decode_problem, decode_row};
use super::stats::LiveStats;
use super::{IndexError, SearchIndex, panics};
use crate::model::Ticket;
use crate::store::copy_order;

/// How many hits beyond the limit a search reads, to fill the places of dropped copies
/// of a ticket.
const COPY_SLACK: usize = 8;
/// The longest snippet, in characters.
const SNIPPET_CHARS: usize = 160;

/// Which kind of record to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Tickets (with their comments).
    Ticket,
    /// KB articles.
    Kb,
    /// Customer records.
    Customer,
}

impl Kind {
    /// The value of the `kind` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Ticket => "ticket",
            Kind::Kb => "kb",
            Kind::Customer => "customer",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        match s {
            "ticket" => Some(Kind::Ticket),
            "kb" => Some(Kind::Kb),
            "customer" => Some(Kind::Customer),
            _ => None,
        }
    }
}

/// Filters and limits of a search.
#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Only this status (tickets, articles) or tier (customers).
    pub status: Option<String>,
    /// At most this many hits.
    pub limit: usize,
    /// Marks around highlighted words in snippets.
    pub marks: (String, String),
}

/// One search result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    /// `ticket`, `kb` or `customer`.
    pub kind: &'static str,
    /// Ticket id or slug.
    pub id: String,
    /// Title or name.
    pub title: String,
    /// Path of the file.
    pub path: String,
    /// Status, if any.
    pub status: Option<String>,
    /// BM25 score.
    pub score: f32,
    /// A fragment of the text with the matched words marked.
    pub snippet: String,
}

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
    /// The documents of one segment that `weight` matches and that are not deleted.
    pub(super) fn live_matches(
        &self,
        weight: &dyn tantivy::query::Weight,
        seg: &tantivy::SegmentReader,
        what: &'static str,
    ) -> Result<Vec<u32>, IndexError> {
        let mut matched: Vec<u32> = Vec::new();
        let alive = seg.alive_bitset();
        weight
            .for_each_no_score(seg, &mut |docs| {
                matched.extend(
                    docs.iter()
                        .filter(|d| alive.is_none_or(|a| a.is_alive(**d))),
                );
            })
            .map_err(IndexError::tantivy(&self.dir, what))?;
        Ok(matched)
    }

    fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    pub(super) fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    }

    /// The query parser for user queries: free words search title (boosted), body,
    /// comments and labels; `field:value` reaches any of them and status, customer, id.
    fn user_parser(&self) -> QueryParser {
        let f = self.fields;
        let mut p = QueryParser::for_index(
            &self.index,
            vec![f.title, f.body, f.comments, f.label, f.id],
        );
        p.set_field_boost(f.title, 3.0);
        p.set_field_boost(f.label, 2.0);
        p.set_field_boost(f.id, 5.0);
        p
    }

    /// Parses a user query strictly: a malformed one is an error that says why.
    pub fn parse_user_query(&self, query: &str) -> Result<Box<dyn Query>, IndexError> {
        if query.trim().is_empty() {
            return Err(IndexError::BadQuery {
                query: query.to_string(),
                message: "the query is empty".into(),
            });
        }
        let rewritten = not_as_minus(&without_controls(query));
        let (_, errors) = self.user_parser().parse_query_lenient(&rewritten);
        if let Some(e) = errors.into_iter().next() {
            return Err(IndexError::BadQuery {
                query: query.to_string(),
                message: e.to_string(),
            });
        }
        let bad = |e: tantivy::query::QueryParserError| IndexError::BadQuery {
            query: query.to_string(),
            message: e.to_string(),
        };
        let ast = tantivy::query_grammar::parse_query(&rewritten).map_err(|_| {
            bad(tantivy::query::QueryParserError::SyntaxError(
                rewritten.clone(),
            ))
        })?;
        let pushed = boosts_past_exclusions(ast.clone());
        let parsed = if pushed == ast {
            self.user_parser().parse_query(&rewritten)
        } else {
            self.user_parser().build_query_from_user_input_ast(pushed)
        }
        .map_err(bad)?;
        // Some queries parse but cannot run (`a:*` asks whether an unknown field exists):
        // building the weight finds those, so they are reported as bad queries too.
        let schema = self.index.schema();
        parsed
            .weight(tantivy::query::EnableScoring::disabled_from_schema(&schema))
            .map_err(|e| IndexError::BadQuery {
                query: query.to_string(),
                message: e.to_string(),
            })?;
        Ok(with_plain_exclusions(parsed))
    }

    /// Runs a user query.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<Vec<Hit>, IndexError> {
        let f = self.fields;
        let user = self.parse_user_query(query)?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user.box_clone())];
        match opts.kind {
            Some(k) => clauses.push((Occur::Must, term_query(f.kind, k.as_str()))),
            None => clauses.push((Occur::MustNot, term_query(f.kind, "problem"))),
        }
        if let Some(s) = &opts.status {
            clauses.push((Occur::Must, term_query(f.status, &s.to_lowercase())));
        }
        let q = BooleanQuery::new(clauses);
        let searcher = self.searcher();
        let stats = LiveStats::new(&searcher);
        // A few more than asked for, in place of copies of a ticket that are dropped.
        let want = opts.limit.max(1);
        let top = stats
            .search(
                &q,
                &TopDocs::with_limit(want.saturating_add(COPY_SLACK)).order_by_score(),
            )
            .map_err(IndexError::tantivy(&self.dir, "searching"))?;
        let body_snips = self.snippets(&stats, &*user, f.body)?;
        let title_snips = self.snippets(&stats, &*user, f.title)?;
        let mut hits = Vec::with_capacity(top.len().min(want));
        let mut winners: BTreeMap<String, Option<String>> = BTreeMap::new();
        for (score, addr) in top {
            if hits.len() >= want {
                break;
            }
            let doc: TantivyDocument = searcher
                .doc(addr)
                .map_err(IndexError::tantivy(&self.dir, "reading a document"))?;
            let kind =
                Kind::parse(&SearchIndex::text_of(&doc, f.kind)).map_or("ticket", Kind::as_str);
            let id = SearchIndex::text_of(&doc, f.id);
            let path = SearchIndex::text_of(&doc, f.key);
            if kind == "ticket" {
                let winner = match winners.get(&id) {
                    Some(w) => w.clone(),
                    None => {
                        let w = self.winning_copy(&searcher, &id)?;
                        winners.insert(id.clone(), w.clone());
                        w
                    }
                };
                if winner.is_some_and(|w| w != path) {
                    continue;
                }
            }
            let mut snip = body_snips.snippet_from_doc(&doc);
            if snip.highlighted().is_empty() {
                let t = title_snips.snippet_from_doc(&doc);
                if !t.highlighted().is_empty() || snip.fragment().is_empty() {
                    snip = t;
                }
            }
            snip.set_snippet_prefix_postfix(&opts.marks.0, &opts.marks.1);
            let snippet = marked(snip.fragment(), snip.highlighted(), &opts.marks);
            let status = Some(SearchIndex::text_of(&doc, f.status)).filter(|s| !s.is_empty());
            hits.push(Hit {
                kind,
                id,
                title: SearchIndex::text_of(&doc, f.title),
                path,
                status,
                score,
                snippet: snippet.split_whitespace().collect::<Vec<_>>().join(" "),
            });
        }
        // tantivy breaks ties by where a document sits in the segments: by path instead.
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(hits)
    }

    /// Snippets of `field` around the query's words, the rarer ones (in live documents,
    /// as scores count them) weighing more; tantivy's own generator counts replaced
    /// documents too, so the fragment shown would depend on the index's history.
    fn snippets(
        &self,
        stats: &LiveStats<'_>,
        query: &dyn Query,
        field: tantivy::schema::Field,
    ) -> Result<SnippetGenerator, IndexError> {
        let err = || IndexError::tantivy(&self.dir, "making snippets");
        let mut terms: BTreeSet<&Term> = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                terms.insert(term);
            }
        });
        let mut weights: BTreeMap<String, Score> = BTreeMap::new();
        for term in terms {
            let value = term.value();
            let Some(text) = value.as_str() else {
                continue;
            };
            let df = stats.live_doc_freq(term).map_err(err())?;
            if df > 0 {
                weights.insert(text.to_string(), 1.0 / (1.0 + df as Score));
            }
        }
        let tokenizer = self.index.tokenizer_for_field(field).map_err(err())?;
        Ok(SnippetGenerator::new(
            weights,
            tokenizer,
            field,
            SNIPPET_CHARS,
        ))
    }

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
    fn winning_copy(&self, searcher: &Searcher, id: &str) -> Result<Option<String>, IndexError> {
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

/// Writes `NOT x` as `-x` outside quotes. tantivy's grammar reads `a AND NOT b` as `a`
/// and a query of only `NOT b`, which matches nothing; `a AND -b` means what people expect.
pub fn not_as_minus(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut in_quotes = false;
    let mut rest = query;
    let mut at_boundary = true;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            in_quotes = !in_quotes;
        }
        if let Some(after) = rest
            .strip_prefix("NOT")
            .filter(|a| !in_quotes && at_boundary && a.starts_with(char::is_whitespace))
        {
            out.push('-');
            rest = after.trim_start();
            at_boundary = false;
            continue;
        }
        at_boundary = c.is_whitespace() || c == '(';
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The query with each control character as a space: they carry no meaning in a query,
/// and the raw fields (id, label) would otherwise look them up as part of a term.
fn without_controls(query: &str) -> String {
    query
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The query with the boost of each boosted group moved onto the group's scoring
/// clauses (`(a -"b c")^2` becomes `(a)^2 -"b c"`), which scores the same (a group's
/// score is the sum of its clauses') and leaves no exclusion inside a boost, where
/// [`with_plain_exclusions`] could not reach it.
fn boosts_past_exclusions(ast: UserInputAst) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, c)| (occur, boosts_past_exclusions(c)))
                .collect(),
        ),
        UserInputAst::Boost(inner, boost) => boosted(boosts_past_exclusions(*inner), &|a| {
            UserInputAst::Boost(Box::new(a), boost)
        }),
        leaf => leaf,
    }
}

/// `ast` (whose boosts are already moved) with each scoring clause put in `boost`.
fn boosted(ast: UserInputAst, boost: &dyn Fn(UserInputAst) -> UserInputAst) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, c)| match occur {
                    Some(AstOccur::MustNot) => (occur, c),
                    _ => (occur, boosted(c, boost)),
                })
                .collect(),
        ),
        other => boost(other),
    }
}

/// The parsed query with every excluded clause (at any depth of its boolean queries)
/// wrapped in [`Excluded`]. tantivy 0.27 probes an excluded clause with `seek_danger` at
/// documents before the clause's current one, which its phrase scorer does not allow
/// (a debug assertion, tantivy issue 2811: `a -"b c"` panicked in debug builds).
fn with_plain_exclusions(query: Box<dyn Query>) -> Box<dyn Query> {
    let Some(b) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let clauses = b
        .clauses()
        .iter()
        .map(|(occur, q)| {
            let q = with_plain_exclusions(q.box_clone());
            match occur {
                Occur::MustNot => (Occur::MustNot, Box::new(Excluded(q)) as Box<dyn Query>),
                o => (*o, q),
            }
        })
        .collect();
    Box::new(BooleanQuery::with_minimum_required_clauses(
        clauses,
        b.get_minimum_number_should_match(),
    ))
}

/// An excluded clause that answers exclusion probes with forward seeks only: its scorer
/// keeps tantivy's default `seek_danger`, which reads `doc()` and calls `seek` only
/// forward, so the scorers inside are always driven like a query of their own.
#[derive(Debug)]
struct Excluded(Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ExcludedScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct ExcludedScorer(Box<dyn Scorer>);

impl DocSet for ExcludedScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.0.doc() >= target {
            return self.0.doc();
        }
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for ExcludedScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

/// A query for one exact term of a keyword field.
pub(super) fn term_query(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The fragment with each highlighted byte range wrapped in the marks.
fn marked(fragment: &str, ranges: &[std::ops::Range<usize>], marks: &(String, String)) -> String {
    let mut out = String::with_capacity(fragment.len() + ranges.len() * 4);
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > fragment.len() {
            continue;
        }
        out.push_str(&fragment[at..r.start]);
        out.push_str(&marks.0);
        out.push_str(&fragment[r.start..r.end]);
        out.push_str(&marks.1);
        at = r.end;
    }
    out.push_str(&fragment[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        #[test]
        fn the_query_parser_never_panics(q in "[a-z:\\(\\)\"\\-\\+\\* ~^\\[\\]{}!ANDOTR数据]{0,40}|\\PC{0,40}") {
            let dir = tempfile::tempdir().expect("temp");
            let idx = SearchIndex::recreate(dir.path(), String::new()).expect("index");
            let opts = SearchOptions { limit: 5, ..SearchOptions::default() };
            if idx.parse_user_query(&q).is_ok() {
                idx.search(&q, &opts).expect("a parsed query runs");
            }
        }
    }

    #[test]
    fn not_becomes_minus_outside_quotes() {
        assert_eq!(not_as_minus("a AND NOT b"), "a AND -b");
        assert_eq!(not_as_minus("NOT  title:x y"), "-title:x y");
        assert_eq!(not_as_minus("a AND NOT (b OR c)"), "a AND -(b OR c)");
        assert_eq!(
            not_as_minus("\"do NOT touch\" KNOT NOTE"),
            "\"do NOT touch\" KNOT NOTE"
        );
        assert_eq!(not_as_minus("数据 NOT 连接"), "数据 -连接");
    }

    #[test]
    fn boosts_move_onto_the_scoring_clauses_of_a_group() {
        let ast = |q: &str| tantivy::query_grammar::parse_query(q).expect("parses");
        assert_eq!(
            boosts_past_exclusions(ast("(a -\"b c\")^2")),
            ast("(a^2 -\"b c\")")
        );
        assert_eq!(
            format!("{:?}", boosts_past_exclusions(ast("((a -b)^2 c)^3"))),
            "(*(*((a)^2)^3 -b) *(c)^3)"
        );
        assert_eq!(
            boosts_past_exclusions(ast("a^2 \"b c\"")),
            ast("a^2 \"b c\"")
        );
    }

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(without_controls("a\u{0}b\tNOT\u{1d}c\u{7f}"), "a b NOT c ");
        assert_eq!(without_controls("数据 é"), "数据 é");
    }

    #[test]
    fn marks_wrap_highlights() {
        let m = ("[".to_string(), "]".to_string());
        assert_eq!(
            marked("the disk is full", &[4..8, 12..16], &m),
            "the [disk] is [full]"
        );
        let outside = std::ops::Range { start: 5, end: 9 };
        assert_eq!(marked("abc", std::slice::from_ref(&outside), &m), "abc");
    }
}
