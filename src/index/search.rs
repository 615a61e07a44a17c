//! Reading the index for people: user queries (parsed by [`super::query`]) run with
//! live-document statistics, ranked hits with highlighted snippets.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Score, Searcher, TantivyDocument, Term};

use super::query::term_query;
use super::stats::LiveStats;
use super::{IndexError, SearchIndex};

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

    pub(super) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The stored documents that match `query`, read in store order (segment, then
    /// address), so each compressed block of the document store is opened once; `what`
    /// names the read in errors.
    pub(super) fn matching_docs(
        &self,
        query: &dyn tantivy::query::Query,
        what: &'static str,
    ) -> Result<Vec<TantivyDocument>, IndexError> {
        let searcher = self.searcher();
        let docs = searcher
            .search(query, &tantivy::collector::DocSetCollector)
            .map_err(IndexError::tantivy(&self.dir, what))?;
        let mut docs: Vec<tantivy::DocAddress> = docs.into_iter().collect();
        docs.sort();
        docs.into_iter()
            .map(|addr| {
                searcher
                    .doc(addr)
                    .map_err(IndexError::tantivy(&self.dir, "reading a document"))
            })
            .collect()
    }

    pub(super) fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
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
