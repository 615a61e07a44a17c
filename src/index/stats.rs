//! Term statistics of the live documents only, for every score the index gives (BM25 of
//! `search` and `suggest`, the idf of `suggest`'s query terms and of `dupes`).
//!
//! tantivy deletes a replaced document by marking it, and keeps counting it in its
//! statistics (document frequencies, token totals, document count) until a merge drops
//! it. How many replaced documents an index holds depends on its history: how often a
//! ticket was reindexed (the sync's racy-stamp rule reads a just-changed file again, so
//! that depends on timing) and how segments happened to merge. Scores built on those
//! statistics differed between two desks with the same files. Here the document count
//! is of live documents; a term's document frequency is its recorded count in a segment
//! without deletes, its live postings counted in one with deletes; and a field's token
//! total is the sum of the live documents' recorded lengths. tantivy keeps a length
//! rounded to one of 256 values, so that total is not the exact one tantivy counts while
//! indexing (which cannot be taken apart into live and deleted documents), but it is the
//! same however the documents are laid out in segments.
//!
//! Uses tantivy only; the counts of one searcher are kept, since a query asks for each
//! term once per field weight it builds.

use std::collections::HashMap;
use std::sync::Mutex;

use tantivy::collector::Collector;
use tantivy::fastfield::AliveBitSet;
use tantivy::postings::TermInfo;
use tantivy::query::{Bm25StatisticsProvider, Query};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{InvertedIndexReader, Searcher, SegmentReader, Term};

/// Statistics of one searcher's live documents, counted on demand and kept.
pub(super) struct LiveStats<'a> {
    searcher: &'a Searcher,
    doc_freq: Mutex<HashMap<Term, u64>>,
    tokens: Mutex<HashMap<Field, u64>>,
}

impl<'a> LiveStats<'a> {
    pub(super) fn new(searcher: &'a Searcher) -> LiveStats<'a> {
        LiveStats {
            searcher,
            doc_freq: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
        }
    }

    /// The searcher counted, for reading what a search found.
    pub(super) fn searcher(&self) -> &'a Searcher {
        self.searcher
    }

    /// Runs a query scored with these statistics.
    pub(super) fn search<C: Collector>(
        &self,
        query: &dyn Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit> {
        self.searcher
            .search_with_statistics_provider(query, collector, self)
    }

    /// How many live documents hold `term`.
    pub(super) fn live_doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(n) = lock(&self.doc_freq).get(term) {
            return Ok(*n);
        }
        let mut n = 0;
        for seg in self.searcher.segment_readers() {
            n += segment_doc_freq(seg, term)?;
        }
        lock(&self.doc_freq).insert(term.clone(), n);
        Ok(n)
    }
}

/// The map, even if a thread panicked while holding it (it holds only finished counts).
fn lock<K, V>(m: &Mutex<HashMap<K, V>>) -> std::sync::MutexGuard<'_, HashMap<K, V>> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How many live documents of one segment hold `term`.
fn segment_doc_freq(seg: &SegmentReader, term: &Term) -> tantivy::Result<u64> {
    let inv = seg.inverted_index(term.field())?;
    match inv.get_term_info(term)? {
        Some(info) => Ok(live_doc_freq(&inv, &info, seg.alive_bitset())?),
        None => Ok(0),
    }
}

/// How many live documents hold a term of one segment's field: its recorded count when
/// the segment has no deletes, else its postings counted.
pub(super) fn live_doc_freq(
    inv: &InvertedIndexReader,
    info: &TermInfo,
    alive: Option<&AliveBitSet>,
) -> std::io::Result<u64> {
    let Some(alive) = alive else {
        return Ok(u64::from(info.doc_freq));
    };
    let mut block = inv.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
    let mut n = 0;
    while !block.docs().is_empty() {
        n += block.docs().iter().filter(|d| alive.is_alive(**d)).count() as u64;
        block.advance();
    }
    Ok(n)
}

/// The recorded lengths of a field in one segment's live documents, summed (a document
/// counts 1 when the field records no lengths, as tantivy then scores it).
fn segment_tokens(seg: &SegmentReader, field: Field) -> tantivy::Result<u64> {
    let alive = seg.alive_bitset();
    let live = |d: &u32| alive.is_none_or(|a| a.is_alive(*d));
    Ok(match seg.fieldnorms_readers().get_field(field)? {
        Some(norms) => (0..seg.max_doc())
            .filter(live)
            .map(|d| u64::from(norms.fieldnorm(d)))
            .sum(),
        None => u64::from(seg.num_docs()),
    })
}

impl Bm25StatisticsProvider for LiveStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if let Some(n) = lock(&self.tokens).get(&field) {
            return Ok(*n);
        }
        let mut n = 0;
        for seg in self.searcher.segment_readers() {
            n += segment_tokens(seg, field)?;
        }
        lock(&self.tokens).insert(field, n);
        Ok(n)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.searcher.num_docs())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.live_doc_freq(term)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, IndexWriter, doc};

    use super::*;

    /// An index of `texts` in one field, the `replaced` ones first added with other words
    /// and then deleted and added again (in that order, so they stay in the first segment
    /// as deleted documents).
    fn index(texts: &[&str], replaced: &[usize]) -> (Index, Field) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let id = |i: usize| format!("doc{i}");
        for (i, text) in texts.iter().enumerate() {
            let first = if replaced.contains(&i) {
                "an older draft with many more words in it and the word vpn"
            } else {
                text
            };
            writer
                .add_document(doc!(body => format!("{} {first}", id(i))))
                .expect("add");
        }
        writer.commit().expect("commit");
        for &i in replaced {
            writer.delete_term(Term::from_field_text(body, &id(i)));
            writer
                .add_document(doc!(body => format!("{} {}", id(i), texts[i])))
                .expect("add");
        }
        writer.commit().expect("commit");
        (index, body)
    }

    #[test]
    fn replaced_documents_count_in_no_statistic() {
        let texts = ["vpn drops", "printer on fire", "vpn again and again"];
        let (fresh, f1) = index(&texts, &[]);
        let (edited, f2) = index(&texts, &[1]);
        let (r1, r2) = (
            fresh.reader().expect("reader"),
            edited.reader().expect("reader"),
        );
        let (s1, s2) = (r1.searcher(), r2.searcher());
        // The premise: tantivy's own counts see the replaced document.
        assert_eq!(
            s2.doc_freq(&Term::from_field_text(f2, "vpn")).expect("df"),
            3
        );
        let (l1, l2) = (LiveStats::new(&s1), LiveStats::new(&s2));
        for word in ["vpn", "printer", "older", "doc1"] {
            let (t1, t2) = (
                Term::from_field_text(f1, word),
                Term::from_field_text(f2, word),
            );
            assert_eq!(
                l1.doc_freq(&t1).expect("df"),
                l2.doc_freq(&t2).expect("df"),
                "{word}"
            );
        }
        assert_eq!(
            l2.doc_freq(&Term::from_field_text(f2, "vpn")).expect("df"),
            2
        );
        assert_eq!(l1.total_num_docs().expect("n"), 3);
        assert_eq!(l2.total_num_docs().expect("n"), 3);
        assert_eq!(
            l1.total_num_tokens(f1).expect("tokens"),
            l2.total_num_tokens(f2).expect("tokens")
        );
    }
}
