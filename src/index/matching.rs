//! Matching a ticket against the KB and against earlier tickets (`suggest`), and finding
//! likely duplicate pairs (`dupes`).
//!
//! The method: the ticket's text is analysed like the index (stemmed words, CJK bigrams);
//! each distinct term becomes a weighted clause searched in the title (boosted), body and
//! comments of the candidates, so tantivy's BM25 scores each field with its own length
//! normalisation and the sum ranks the candidates. Query terms from the ticket's title
//! weigh more, and repeated terms a little more (1 + ln tf). For articles, tickets closed
//! earlier with `links.articles` are evidence: the articles linked from the tickets most
//! similar to this one get the similarity of those tickets added to their own score, each
//! side normalised by its best score so the two can be summed.

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use super::search::term_query;
use super::text::terms;
use super::{IndexError, SearchIndex};

/// Field weights of candidates: title, body, comments.
const FIELD_BOOST: [f32; 3] = [2.5, 1.0, 0.5];
/// How much more a query term from the ticket's title counts.
const QUERY_TITLE_WEIGHT: f32 = 2.0;
/// The most distinct query terms used (long stack traces add noise and time).
const MAX_QUERY_TERMS: usize = 96;
/// How many similar tickets lend their linked articles as evidence.
const EVIDENCE_TICKETS: usize = 10;
/// The weight of history evidence next to the article's own score.
const EVIDENCE_WEIGHT: f32 = 1.0;

/// The text of a ticket to match.
#[derive(Debug, Clone, Default)]
pub struct QueryDoc {
    /// The ticket's own path (left out of its own results).
    pub key: String,
    /// Title.
    pub title: String,
    /// Body and comments.
    pub body: String,
    /// Creation time; only earlier tickets are suggested when given.
    pub created: Option<String>,
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
    /// Similarity, 0 to 1 (the pair's score over each ticket's score against itself).
    pub score: f32,
    /// Shared terms.
    pub terms: Vec<String>,
}

/// A pair found so far: summed score, how many sides found it, shared terms, titles.
type PairScore = (f32, u8, Vec<String>, [String; 2]);

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
        .filter(|(t, _)| t.chars().count() > 1 || t.chars().any(super::text::is_cjk))
        .map(|(t, n)| (t, 1.0 + n.ln()))
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

impl SearchIndex {
    /// The weighted OR of the ticket's terms over title, body and comments, keeping the
    /// rarest terms when there are too many.
    fn match_query(&self, searcher: &Searcher, weighted: &[(String, f32)]) -> BooleanQuery {
        let f = self.fields;
        let fields = [f.title, f.body, f.comments];
        let total = searcher.num_docs().max(1) as f32;
        let mut scored: Vec<(f32, &String, f32)> = weighted
            .iter()
            .map(|(t, w)| {
                let df: u64 = fields
                    .iter()
                    .map(|fl| {
                        searcher
                            .doc_freq(&Term::from_field_text(*fl, t))
                            .unwrap_or(0)
                    })
                    .max()
                    .unwrap_or(0);
                let idf = ((total + 1.0) / (df as f32 + 0.5)).ln();
                (if df == 0 { -1.0 } else { idf * w }, t, *w)
            })
            .filter(|(s, _, _)| *s > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored.truncate(MAX_QUERY_TERMS);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (_, t, w) in scored {
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

    /// The best candidates of one kind for a ticket's text, with raw scores.
    fn ranked(
        &self,
        q: &QueryDoc,
        kind: &str,
        limit: usize,
        only_earlier: bool,
    ) -> Result<Vec<(f32, TantivyDocument)>, IndexError> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let weighted = query_terms(q);
        if weighted.is_empty() {
            return Ok(Vec::new());
        }
        let m = self.match_query(&searcher, &weighted);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(m)),
            (Occur::Must, term_query(f.kind, kind)),
        ];
        if !q.key.is_empty() {
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.key, &q.key),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let fetch = if only_earlier { limit * 4 + 50 } else { limit };
        let top = searcher
            .search(&query, &TopDocs::with_limit(fetch.max(1)).order_by_score())
            .map_err(IndexError::tantivy(&self.dir, "matching"))?;
        let mut out = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher
                .doc(addr)
                .map_err(IndexError::tantivy(&self.dir, "reading a document"))?;
            if let (true, Some(c)) = (only_earlier, &q.created) {
                let theirs = SearchIndex::text_of(&doc, f.created);
                if !theirs.is_empty() && theirs.as_str() >= c.as_str() {
                    continue;
                }
            }
            out.push((score, doc));
            if out.len() >= limit {
                break;
            }
        }
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
        }
    }

    /// KB articles most likely to answer the ticket, and the most similar earlier tickets.
    pub fn suggest(&self, q: &QueryDoc, limit: usize) -> Result<Suggestions, IndexError> {
        let f = self.fields;
        let weighted = query_terms(q);
        let tickets = self.ranked(q, "ticket", limit.max(EVIDENCE_TICKETS) * 2, true)?;
        let articles = self.ranked(q, "kb", limit.max(20) * 3, false)?;
        let best_article = articles.first().map_or(1.0, |(s, _)| *s).max(f32::EPSILON);
        let mut by_slug: BTreeMap<String, Match> = BTreeMap::new();
        for (s, doc) in &articles {
            let mut m = self.to_match(*s, doc, &weighted);
            m.score = s / best_article;
            by_slug.insert(m.id.clone(), m);
        }
        // History: linked articles of the most similar tickets.
        let linked: Vec<&(f32, TantivyDocument)> = tickets
            .iter()
            .filter(|(_, d)| d.get_first(f.articles).is_some())
            .take(EVIDENCE_TICKETS)
            .collect();
        let best_ticket = linked.first().map_or(1.0, |(s, _)| *s).max(f32::EPSILON);
        for (s, doc) in linked {
            let id = SearchIndex::text_of(doc, f.id);
            let slugs: Vec<String> = doc
                .get_all(f.articles)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let share = EVIDENCE_WEIGHT * (s / best_ticket) / slugs.len().max(1) as f32;
            for slug in slugs {
                if let Some(m) = by_slug.get_mut(&slug) {
                    m.score += share;
                    m.evidence.push(id.clone());
                } else if let Some(m) = self.article_by_slug(&slug, &weighted)? {
                    let mut m = m;
                    m.score = share;
                    m.evidence.push(id.clone());
                    by_slug.insert(slug, m);
                }
            }
        }
        let mut articles: Vec<Match> = by_slug.into_values().collect();
        articles.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        articles.truncate(limit);
        let mut similar: Vec<Match> = tickets
            .iter()
            .take(limit)
            .map(|(s, d)| self.to_match(*s, d, &weighted))
            .collect();
        similar.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        Ok(Suggestions {
            articles,
            tickets: similar,
        })
    }

    /// Tickets most similar to the given text, earlier ones only when `q.created` is set.
    pub fn similar_tickets(&self, q: &QueryDoc, limit: usize) -> Result<Vec<Match>, IndexError> {
        let weighted = query_terms(q);
        Ok(self
            .ranked(q, "ticket", limit, true)?
            .iter()
            .map(|(s, d)| self.to_match(*s, d, &weighted))
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

    /// Likely duplicate pairs among the tickets `filter` lets through, best
    /// first. Each ticket is matched against the others; a pair's score is its BM25 score
    /// over the ticket's score against itself, averaged over both directions when both
    /// found each other.
    pub fn dupes(
        &self,
        filter: &super::StatusFilter,
        limit: usize,
        min_score: f32,
    ) -> Result<Vec<DupePair>, IndexError> {
        let rows = self.ticket_rows(filter)?;
        let mut pairs: BTreeMap<(String, String), PairScore> = BTreeMap::new();
        let wanted: HashSet<&str> = rows.rows.iter().map(|r| r.ticket.id.as_str()).collect();
        for r in &rows.rows {
            let q = QueryDoc {
                key: String::new(),
                title: r.ticket.title.clone(),
                body: self.stored_body(&r.rel)?,
                created: None,
            };
            let weighted = query_terms(&q);
            let found = self.ranked(&q, "ticket", 6, false)?;
            let Some(self_score) = found
                .iter()
                .find(|(_, d)| SearchIndex::text_of(d, self.fields.key) == r.rel)
                .map(|(s, _)| *s)
            else {
                continue;
            };
            for (s, d) in &found {
                let m = self.to_match(*s, d, &weighted);
                if m.path == r.rel || !wanted.contains(m.id.as_str()) {
                    continue;
                }
                let created_other = SearchIndex::text_of(d, self.fields.created);
                let (a, b, ta, tb) = if (created_other.as_str(), m.id.as_str())
                    < (r.ticket.created.as_str(), r.ticket.id.as_str())
                {
                    (
                        m.id.clone(),
                        r.ticket.id.to_string(),
                        m.title.clone(),
                        r.ticket.title.clone(),
                    )
                } else {
                    (
                        r.ticket.id.to_string(),
                        m.id.clone(),
                        r.ticket.title.clone(),
                        m.title.clone(),
                    )
                };
                let e = pairs
                    .entry((a, b))
                    .or_insert((0.0, 0, m.terms.clone(), [ta, tb]));
                e.0 += (s / self_score).min(1.0);
                e.1 += 1;
            }
        }
        let mut out: Vec<DupePair> = pairs
            .into_iter()
            .map(|((a, b), (sum, n, terms, titles))| DupePair {
                original: a,
                duplicate: b,
                titles,
                // Found from one side only: the other side did not rank it, so halve it.
                score: sum / 2.0_f32.max(f32::from(n)),
                terms,
            })
            .filter(|p| p.score >= min_score)
            .collect();
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| (&a.original, &a.duplicate).cmp(&(&b.original, &b.duplicate)))
        });
        out.truncate(limit);
        Ok(out)
    }

    fn stored_body(&self, key: &str) -> Result<String, IndexError> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let top = searcher
            .search(
                &*term_query(f.key, key),
                &TopDocs::with_limit(1).order_by_score(),
            )
            .map_err(IndexError::tantivy(&self.dir, "matching"))?;
        match top.first() {
            Some((_, addr)) => {
                let doc: TantivyDocument = searcher
                    .doc(*addr)
                    .map_err(IndexError::tantivy(&self.dir, "reading a document"))?;
                Ok(SearchIndex::text_of(&doc, f.body))
            }
            None => Ok(String::new()),
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
