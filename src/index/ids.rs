//! Ticket ids as the index knows them: every live id in order (for the shortest unique
//! prefix a table shows), the ids a typed prefix names, and which copy of a ticket wins
//! when two files claim one id (the copy at the ticket's own path).

use std::ops::Bound;

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use super::{IndexError, SearchIndex};
use crate::store::copy_order;

/// Every live ticket id, sorted and unique, in one string buffer (a hundred thousand ids
/// as separate `String`s cost more to allocate and free than to read).
#[derive(Debug, Default)]
pub(super) struct IdSet {
    /// The ids, one after another.
    buf: String,
    /// Where each id ends in `buf`.
    ends: Vec<usize>,
}

impl IdSet {
    pub(super) fn len(&self) -> usize {
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
    pub(super) fn short(&self, pos: usize) -> Option<&str> {
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
pub(super) struct AllIds {
    pub(super) ids: IdSet,
    pub(super) ord_to_pos: Vec<Vec<usize>>,
    pub(super) docs: usize,
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

impl SearchIndex {
    /// Every live ticket id from the `tid` fast field: per segment, mark the ordinals of
    /// live documents, then read those ids in one pass over the sorted dictionary (the
    /// term dictionary would need a postings lookup per id to skip deleted documents).
    pub(super) fn all_ids(&self, searcher: &Searcher) -> Result<AllIds, IndexError> {
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
