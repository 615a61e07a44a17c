//! Matching a ticket against the KB and against earlier tickets (`suggest`), and finding
//! likely duplicate pairs (`dupes`).
//!
//! The method: the ticket's text is analysed like the index (stemmed words, CJK bigrams);
//! each distinct term becomes a weighted clause searched in the title (boosted), body and
//! comments of the candidates, so tantivy's BM25 scores each field with its own length
//! normalisation and the sum ranks the candidates. Query terms from the ticket's title
//! weigh more, and repeated terms a little more (1 + ln tf). For articles, tickets closed
//! earlier with `links.articles` are evidence: among the tickets most similar to this one,
//! the best one linking an article adds half its similarity to the article's own score.
//! Both scores are divided by the ticket's score against itself, so they share a scale
//! (0 to about 1) and can be summed; the best evidence counts, not the number of votes,
//! so popular articles do not win on many weak look-alikes.
//!
//! `dupes` compares many tickets with each other, where one search per ticket would cost
//! minutes on a large desk, so it does not search: it reads the compared tickets' terms
//! from the index once, weighs them as a query is weighed here (a title word counts 2,
//! `1 + ln` of the count, the same idf; the comments a fifth of the whole), and scores a
//! pair by the cosine of the two vectors, found through inverted lists over the compared
//! set only (see `similarity` and `dupes`).
//!
//! Every statistic behind these scores (document frequencies, token totals, the number
//! of documents) counts live documents only (see `stats`), so the scores follow the
//! files, not how often the index replaced a document.

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

mod dupes;
mod similarity;

use super::query::term_query;
use super::stats::LiveStats;
use super::text::terms;
use super::{IndexError, SearchIndex};
use crate::model::Moment;

/// Field weights of candidates: title, body, comments.
const FIELD_BOOST: [f32; 3] = [2.5, 1.0, 0.5];
/// How much more a query term from the ticket's title counts.
const QUERY_TITLE_WEIGHT: f32 = 2.0;
/// The most distinct query terms used (long stack traces add noise and time).
const MAX_QUERY_TERMS: usize = 96;
/// How many similar tickets lend their linked articles as evidence.
const EVIDENCE_TICKETS: usize = 10;
/// The weight of history evidence next to the article's own score (both relative to
/// the ticket's score against itself).
const EVIDENCE_WEIGHT: f32 = 0.5;

/// The text of a ticket to match.
#[derive(Debug, Clone, Default)]
pub struct QueryDoc {
    /// The ticket's own path (left out of its own results).
    pub key: String,
    /// Title.
    pub title: String,
    /// Body and comments.
    pub body: String,
    /// When the ticket was created (the instant its `created` names); only earlier
    /// tickets are suggested when given.
    pub created: Option<jiff::Timestamp>,
}

impl QueryDoc {
    /// The query that matches a ticket against the others: the text it is indexed with.
    pub fn of(text: &crate::store::TicketText) -> QueryDoc {
        QueryDoc {
            key: text.rel.to_string(),
            title: text.title.to_string(),
            body: text.body_and_comments(),
            created: text.created.moment().order(),
        }
    }
}

/// A matched article or ticket.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Match {
    /// Article slug or ticket id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Path of the file.
    pub path: String,
    /// Status, if any.
    pub status: Option<String>,
    /// The combined score (higher is better).
    pub score: f32,
    /// The query terms found in it, most telling first.
    pub terms: Vec<String>,
    /// For articles: the similar tickets that linked it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Extra stored values (the article's frontmatter id, a ticket's linked articles).
    #[serde(skip)]
    pub data: String,
    /// Creation time as written (tickets).
    #[serde(skip)]
    pub created: String,
}

/// What `suggest` found.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Suggestions {
    /// KB articles, best first.
    pub articles: Vec<Match>,
    /// Similar earlier tickets, best first.
    pub tickets: Vec<Match>,
}

/// A likely duplicate pair.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DupePair {
    /// The earlier ticket.
    pub original: String,
    /// The later one, likely repeating it.
    pub duplicate: String,
    /// Titles of both, in that order.
    pub titles: [String; 2],
    /// Similarity, 0 to 1: the cosine of the two tickets' term vectors.
    pub score: f32,
    /// Shared terms, most telling first.
    pub terms: Vec<String>,
}

/// Whether a term can tell tickets apart: a lone letter or digit cannot, a lone CJK
/// character can (it is a word).
fn is_telling(term: &str) -> bool {
    let mut chars = term.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => super::text::is_cjk(c),
        (Some(_), Some(_)) => true,
        (None, _) => false,
    }
}

/// Weighted query terms of a ticket.
fn query_terms(q: &QueryDoc) -> Vec<(String, f32)> {
    let mut tf: HashMap<String, f32> = HashMap::new();
    for t in terms(&q.title) {
        *tf.entry(t).or_default() += QUERY_TITLE_WEIGHT;
    }
    for t in terms(&q.body) {
        *tf.entry(t).or_default() += 1.0;
    }
    let mut v: Vec<(String, f32)> = tf
        .into_iter()
        .filter(|(t, _)| is_telling(t))
        .map(|(t, n)| (t, 1.0 + n.ln()))
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

impl SearchIndex {
    /// The ticket's terms that occur in the index, most telling (idf x weight) first,
    /// at most [`MAX_QUERY_TERMS`].
    fn telling_terms(&self, stats: &LiveStats<'_>, q: &QueryDoc) -> Vec<(String, f32)> {
        let f = self.fields;
        let fields = [f.title, f.body, f.comments];
        let total = stats.searcher().num_docs().max(1) as f32;
        let mut scored: Vec<(f32, String, f32)> = query_terms(q)
            .into_iter()
            .filter_map(|(t, w)| {
                let df: u64 = fields
                    .iter()
                    .map(|fl| {
                        stats
                            .live_doc_freq(&Term::from_field_text(*fl, &t))
                            .unwrap_or(0)
                    })
                    .max()
                    .unwrap_or(0);
                let idf = ((total + 1.0) / (df as f32 + 0.5)).ln();
                (df > 0 && idf > 0.0).then_some((idf * w, t, w))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        scored.truncate(MAX_QUERY_TERMS);
        scored.into_iter().map(|(_, t, w)| (t, w)).collect()
    }

    /// The weighted OR of the terms over title, body and comments.
    fn match_query(&self, weighted: &[(String, f32)]) -> BooleanQuery {
        let f = self.fields;
        let fields = [f.title, f.body, f.comments];
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (t, w) in weighted {
            for (fl, boost) in fields.iter().zip(FIELD_BOOST) {
                let tq =
                    TermQuery::new(Term::from_field_text(*fl, t), IndexRecordOption::WithFreqs);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(tq), w * boost)),
                ));
            }
        }
        BooleanQuery::new(clauses)
    }

    /// The score the ticket gets against itself (the most any candidate can expect), so
    /// scores of different queries and kinds compare; `None` when it is not indexed.
    fn self_score(
        &self,
        stats: &LiveStats<'_>,
        q: &QueryDoc,
        weighted: &[(String, f32)],
    ) -> Result<Option<f32>, IndexError> {
        if q.key.is_empty() || weighted.is_empty() {
            return Ok(None);
        }
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(self.match_query(weighted)) as Box<dyn Query>,
            ),
            (Occur::Must, term_query(self.fields.key, &q.key)),
        ]);
        let top = stats
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(IndexError::tantivy(&self.dir, "matching"))?;
        Ok(top.first().map(|(s, _)| *s).filter(|s| *s > 0.0))
    }

    /// The best candidates of one kind for a ticket's text, with raw scores.
    fn ranked(
        &self,
        stats: &LiveStats<'_>,
        q: &QueryDoc,
        weighted: &[(String, f32)],
        kind: &str,
        limit: usize,
        only_earlier: bool,
    ) -> Result<Vec<(f32, TantivyDocument)>, IndexError> {
        let f = self.fields;
        if weighted.is_empty() {
            return Ok(Vec::new());
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(self.match_query(weighted))),
            (Occur::Must, term_query(f.kind, kind)),
        ];
        if !q.key.is_empty() {
            clauses.push((Occur::MustNot, term_query(f.key, &q.key)));
        }
        let query = BooleanQuery::new(clauses);
        let fetch = if only_earlier { limit * 4 + 50 } else { limit };
        let top = stats
            .search(&query, &TopDocs::with_limit(fetch.max(1)).order_by_score())
            .map_err(IndexError::tantivy(&self.dir, "matching"))?;
        let searcher = stats.searcher();
        let mut out = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher
                .doc(addr)
                .map_err(IndexError::tantivy(&self.dir, "reading a document"))?;
            if let (true, Some(c)) = (only_earlier, q.created) {
                let theirs = Moment::parse(&SearchIndex::text_of(&doc, f.created)).order();
                if theirs.is_some_and(|t| t >= c) {
                    continue;
                }
            }
            out.push((score, doc));
            if out.len() >= limit {
                break;
            }
        }
        // tantivy breaks ties by where a document sits in the segments: by path instead.
        out.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| {
                SearchIndex::text_of(&a.1, f.key).cmp(&SearchIndex::text_of(&b.1, f.key))
            })
        });
        Ok(out)
    }

    fn to_match(&self, score: f32, doc: &TantivyDocument, weighted: &[(String, f32)]) -> Match {
        let f = self.fields;
        let title = SearchIndex::text_of(doc, f.title);
        let body = SearchIndex::text_of(doc, f.body);
        let mut theirs: HashSet<String> = terms(&title).into_iter().collect();
        theirs.extend(terms(&body));
        let matched: Vec<String> = weighted
            .iter()
            .filter(|(t, _)| theirs.contains(t))
            .map(|(t, _)| t.clone())
            .take(8)
            .collect();
        let status = Some(SearchIndex::text_of(doc, f.status)).filter(|s| !s.is_empty());
        Match {
            id: SearchIndex::text_of(doc, f.id),
            title,
            path: SearchIndex::text_of(doc, f.key),
            status,
            score,
            terms: matched,
            evidence: Vec::new(),
            data: SearchIndex::text_of(doc, f.data),
            created: SearchIndex::text_of(doc, f.created),
        }
    }

    /// KB articles most likely to answer the ticket, and the most similar earlier tickets.
    pub fn suggest(&self, q: &QueryDoc, limit: usize) -> Result<Suggestions, IndexError> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let stats = LiveStats::new(&searcher);
        let weighted = self.telling_terms(&stats, q);
        let tickets = self.ranked(
            &stats,
            q,
            &weighted,
            "ticket",
            limit.max(EVIDENCE_TICKETS) * 2,
            true,
        )?;
        let articles = self.ranked(&stats, q, &weighted, "kb", limit.max(20) * 3, false)?;
        let scale = match self.self_score(&stats, q, &weighted)? {
            Some(s) => s,
            None => tickets
                .first()
                .into_iter()
                .chain(articles.first())
                .map(|(s, _)| *s)
                .fold(f32::EPSILON, f32::max),
        };
        let mut by_slug: BTreeMap<String, Match> = BTreeMap::new();
        for (s, doc) in &articles {
            let mut m = self.to_match(s / scale, doc, &weighted);
            m.score = s / scale;
            by_slug.insert(m.id.clone(), m);
        }
        // History: the articles linked from the most similar earlier tickets.
        let linked = tickets
            .iter()
            .filter(|(_, d)| d.get_first(f.articles).is_some())
            .take(EVIDENCE_TICKETS);
        let mut best_evidence: HashMap<String, f32> = HashMap::new();
        for (s, doc) in linked {
            let id = SearchIndex::text_of(doc, f.id);
            let slugs: Vec<String> = doc
                .get_all(f.articles)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let share = EVIDENCE_WEIGHT * (s / scale).min(1.0) / slugs.len().max(1) as f32;
            for slug in slugs {
                let entry = match by_slug.remove(&slug) {
                    Some(m) => Some(m),
                    None => self.article_by_slug(&slug, &weighted)?,
                };
                if let Some(mut m) = entry {
                    // The best piece of evidence counts, not their number: a popular
                    // article should not win on many weak look-alikes.
                    let best = best_evidence.entry(slug.clone()).or_default();
                    if share > *best {
                        m.score += share - *best;
                        *best = share;
                    }
                    m.evidence.push(id.clone());
                    by_slug.insert(slug, m);
                }
            }
        }
        let mut articles: Vec<Match> = by_slug.into_values().collect();
        articles.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        articles.truncate(limit);
        let similar: Vec<Match> = tickets
            .iter()
            .take(limit)
            .map(|(s, d)| self.to_match(s / scale, d, &weighted))
            .collect();
        Ok(Suggestions {
            articles,
            tickets: similar,
        })
    }

    /// Tickets most similar to the given text (earlier ones only when `q.created` is
    /// set), scored relative to the ticket's score against itself.
    pub fn similar_tickets(&self, q: &QueryDoc, limit: usize) -> Result<Vec<Match>, IndexError> {
        let searcher = self.reader.searcher();
        let stats = LiveStats::new(&searcher);
        let weighted = self.telling_terms(&stats, q);
        let found = self.ranked(&stats, q, &weighted, "ticket", limit, true)?;
        let scale = self
            .self_score(&stats, q, &weighted)?
            .or(found.first().map(|(s, _)| *s))
            .unwrap_or(1.0)
            .max(f32::EPSILON);
        Ok(found
            .iter()
            .map(|(s, d)| self.to_match(s / scale, d, &weighted))
            .collect())
    }

    fn article_by_slug(
        &self,
        slug: &str,
        weighted: &[(String, f32)],
    ) -> Result<Option<Match>, IndexError> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let q = BooleanQuery::new(vec![
            (Occur::Must, term_query(f.kind, "kb")),
            (Occur::Must, term_query(f.id, &slug.to_lowercase())),
        ]);
        let top = searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())
            .map_err(IndexError::tantivy(&self.dir, "matching"))?;
        match top.first() {
            Some((_, addr)) => {
                let doc: TantivyDocument = searcher
                    .doc(*addr)
                    .map_err(IndexError::tantivy(&self.dir, "reading a document"))?;
                Ok(Some(self.to_match(0.0, &doc, weighted)))
            }
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_terms_weigh_more() {
        let q = QueryDoc {
            title: "Disk full".into(),
            body: "the server says disk quota exceeded".into(),
            ..QueryDoc::default()
        };
        let w = query_terms(&q);
        assert_eq!(w[0].0, "disk");
        let quota = w.iter().find(|(t, _)| t == "quota").expect("quota");
        assert!(w[0].1 > quota.1);
    }
}
