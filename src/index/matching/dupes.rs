//! `dupes`: likely duplicate pairs among the tickets a status filter lets through,
//! compared with each other only (a closed ticket never crowds out an open pair).
//!
//! What the comparison needs is read from the index in two passes, with no stored
//! document and no text analysed again: the compared tickets' ids, titles and creation
//! times from the `row` fast field, and their terms from the inverted index itself (the
//! title, body and comments dictionaries of every segment walked in one merged, sorted
//! pass, each term's postings read once and kept for the compared tickets). That pass is
//! cut into ranges of terms, one per thread. A term's document frequency counts live
//! documents only (a segment with deletes has its postings counted), as `stats` does. [`super::similarity`] then turns the counts
//! into vectors and finds the pairs.

use std::sync::Arc;

use tantivy::postings::TermInfo;
use tantivy::query::EnableScoring;
use tantivy::schema::IndexRecordOption;
use tantivy::termdict::{TermMerger, TermStreamer};
use tantivy::{InvertedIndexReader, Searcher};

use super::similarity::{self, Posting, Vectors};
use super::{DupePair, QUERY_TITLE_WEIGHT, is_telling};
use crate::index::panics;
use crate::index::schema::decode_row;
use crate::index::stats::live_doc_freq;
use crate::index::{IndexError, SearchIndex, StatusFilter};
use crate::model::Moment;

/// What a term-reading worker does, for the error its panic becomes.
const READING_TERMS: &str = "reading the terms";

/// How many of its most similar tickets each ticket puts forward as pairs.
const PER_TICKET: usize = 5;
/// The most shared terms shown for a pair.
const SHOWN_TERMS: usize = 8;
/// The most threads used (the work is a few seconds at most).
const MAX_THREADS: usize = 4;
/// Below this many compared tickets one thread does it all.
const ONE_THREAD_BELOW: usize = 2000;
/// A range of terms: from (included), to (excluded); `None` is open.
type TermRange<'a> = (Option<&'a [u8]>, Option<&'a [u8]>);
/// Marks a document that is not compared.
const NOT_COMPARED: u32 = u32::MAX;

/// A compared ticket: what a pair shows of it.
#[derive(Debug)]
struct Compared {
    id: String,
    title: String,
    /// Where its `created` sorts: the instant it names (`None`, a text that is no time, first).
    order: Option<jiff::Timestamp>,
}

/// The terms of the compared tickets, read from one range of the dictionaries.
#[derive(Debug, Default)]
struct TermCounts {
    /// The terms, sorted.
    terms: Vec<String>,
    /// Each term's document frequency in the whole index (the largest over the fields).
    df: Vec<u64>,
    /// Occurrences in compared tickets, by term then ticket.
    postings: Vec<Posting>,
}

impl SearchIndex {
    /// Likely duplicate pairs among the tickets `filter` lets through, best first, each
    /// scored by the cosine of the two tickets' term vectors (0 to 1); see
    /// [`super::similarity`].
    pub fn dupes(
        &self,
        filter: &StatusFilter,
        limit: usize,
        min_score: f32,
    ) -> Result<Vec<DupePair>, IndexError> {
        let searcher = self.reader.searcher();
        let (tickets, slots) = self.compared_tickets(&searcher, filter)?;
        if tickets.len() < 2 || limit == 0 {
            return Ok(Vec::new());
        }
        let threads = if tickets.len() < ONE_THREAD_BELOW {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(1, std::num::NonZero::get)
                .min(MAX_THREADS)
        };
        let TermCounts {
            terms,
            df,
            postings,
        } = self.term_counts(&searcher, &slots, threads)?;
        drop(slots);
        let total = searcher.num_docs();
        let idf: Vec<Option<f32>> = df.iter().map(|&df| similarity::idf(df, total)).collect();
        let vectors = Vectors::build(tickets.len(), postings, &idf);
        drop(idf);
        // Earlier first: the original, then the later ticket repeating it.
        let key = |i: u32| {
            let t = &tickets[i as usize];
            (t.order, t.id.as_str())
        };
        let mut pairs: Vec<(u32, u32, f32)> = vectors
            .best_pairs(PER_TICKET, threads)
            .map_err(|p| p.in_index(&self.dir))?
            .into_iter()
            .map(|(a, b, s)| (a, b, s.min(1.0)))
            .filter(|&(_, _, s)| s >= min_score)
            .map(|(a, b, s)| {
                if key(a) <= key(b) {
                    (a, b, s)
                } else {
                    (b, a, s)
                }
            })
            .collect();
        pairs.sort_by(|x, y| {
            y.2.total_cmp(&x.2).then_with(|| {
                let ids = |p: &(u32, u32, f32)| {
                    (
                        tickets[p.0 as usize].id.as_str(),
                        tickets[p.1 as usize].id.as_str(),
                    )
                };
                ids(x).cmp(&ids(y))
            })
        });
        pairs.truncate(limit);
        Ok(pairs
            .into_iter()
            .map(|(a, b, score)| {
                let (ta, tb) = (&tickets[a as usize], &tickets[b as usize]);
                DupePair {
                    original: ta.id.clone(),
                    duplicate: tb.id.clone(),
                    titles: [ta.title.clone(), tb.title.clone()],
                    score,
                    terms: vectors
                        .shared_terms(a, b)
                        .into_iter()
                        .take(SHOWN_TERMS)
                        .filter_map(|t| terms.get(t as usize).cloned())
                        .collect(),
                }
            })
            .collect())
    }

    /// The tickets `filter` lets through, from the `row` fast field, and per segment the
    /// position among them of each document ([`NOT_COMPARED`] for the others).
    fn compared_tickets(
        &self,
        searcher: &Searcher,
        filter: &StatusFilter,
    ) -> Result<(Vec<Compared>, Vec<Vec<u32>>), IndexError> {
        let damaged = |message: &str| IndexError::Damaged {
            path: self.dir.clone(),
            message: message.to_string(),
        };
        let weight = self
            .tickets_query(filter)
            .weight(EnableScoring::disabled_from_searcher(searcher))
            .map_err(IndexError::tantivy(&self.dir, "finding duplicates"))?;
        let row_name = searcher
            .schema()
            .get_field_name(self.fields.row)
            .to_string();
        let mut tickets: Vec<Compared> = Vec::new();
        let mut slots: Vec<Vec<u32>> = Vec::new();
        for seg in searcher.segment_readers() {
            let mut slot = vec![NOT_COMPARED; seg.max_doc() as usize];
            let matched = self.live_matches(weight.as_ref(), seg, "finding duplicates")?;
            if matched.is_empty() {
                slots.push(slot);
                continue;
            }
            let rows = seg
                .fast_fields()
                .bytes(&row_name)
                .map_err(IndexError::tantivy(&self.dir, "reading rows"))?
                .ok_or_else(|| damaged("a ticket has no listed values"))?;
            // (row ordinal, document), so the rows are read in one pass of the dictionary.
            let mut wanted: Vec<(u64, u32)> = matched
                .iter()
                .map(|&d| rows.ords().first(d).map(|o| (o, d)))
                .collect::<Option<_>>()
                .ok_or_else(|| damaged("a ticket has no listed values"))?;
            wanted.sort_unstable();
            let mut ords: Vec<u64> = wanted.iter().map(|w| w.0).collect();
            ords.dedup();
            let (mut at, mut bad) = (0, false);
            rows.dictionary()
                .sorted_ords_to_term_cb(&ords, |bytes| {
                    let Some(row) = decode_row(bytes) else {
                        bad = true;
                        return;
                    };
                    let ord = wanted.get(at).map_or(u64::MAX, |w| w.0);
                    while let Some(&(o, d)) = wanted.get(at)
                        && o == ord
                    {
                        slot[d as usize] = tickets.len() as u32;
                        tickets.push(Compared {
                            id: row.id.to_string(),
                            title: row.title.to_string(),
                            order: Moment::parse(row.created).order(),
                        });
                        at += 1;
                    }
                })
                .map_err(|e| IndexError::Io {
                    path: self.dir.clone(),
                    error: e,
                })?;
            if bad || at != wanted.len() {
                return Err(damaged("the listed values do not read back"));
            }
            slots.push(slot);
        }
        Ok((tickets, slots))
    }

    /// The terms of the compared tickets, the dictionaries cut into `threads` ranges
    /// read side by side.
    fn term_counts(
        &self,
        searcher: &Searcher,
        slots: &[Vec<u32>],
        threads: usize,
    ) -> Result<TermCounts, IndexError> {
        let bounds = self.term_bounds(searcher, threads)?;
        let ranges: Vec<TermRange<'_>> = (0..=bounds.len())
            .map(|k| {
                let lo = k
                    .checked_sub(1)
                    .and_then(|p| bounds.get(p))
                    .map(Vec::as_slice);
                (lo, bounds.get(k).map(Vec::as_slice))
            })
            .collect();
        let parts: Vec<Result<TermCounts, IndexError>> = if ranges.len() == 1 {
            vec![self.term_range(searcher, slots, None, None)]
        } else {
            std::thread::scope(|scope| {
                let workers: Vec<_> = ranges
                    .iter()
                    .map(|&(lo, hi)| {
                        panics::spawn(scope, READING_TERMS, move || {
                            self.term_range(searcher, slots, lo, hi)
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|w| w.join().unwrap_or_else(|p| Err(p.in_index(&self.dir))))
                    .collect()
            })
        };
        let mut all = TermCounts::default();
        for part in parts {
            let part = part?;
            let offset = all.terms.len() as u32;
            all.terms.extend(part.terms);
            all.df.extend(part.df);
            all.postings
                .extend(part.postings.into_iter().map(|p| Posting {
                    term: p.term + offset,
                    ..p
                }));
        }
        Ok(all)
    }

    /// Terms that cut the dictionaries into `parts` ranges of about equal size (taken
    /// from the largest body dictionary), sorted; none for one part.
    fn term_bounds(&self, searcher: &Searcher, parts: usize) -> Result<Vec<Vec<u8>>, IndexError> {
        let mut largest: Option<Arc<InvertedIndexReader>> = None;
        for seg in searcher.segment_readers() {
            let inv = seg
                .inverted_index(self.fields.body)
                .map_err(IndexError::tantivy(&self.dir, "reading terms"))?;
            if largest
                .as_ref()
                .is_none_or(|l| l.terms().num_terms() < inv.terms().num_terms())
            {
                largest = Some(inv);
            }
        }
        let Some(inv) = largest else {
            return Ok(Vec::new());
        };
        let n = inv.terms().num_terms() as u64;
        let mut bounds: Vec<Vec<u8>> = Vec::new();
        for k in 1..parts as u64 {
            let mut key = Vec::new();
            let found = inv
                .terms()
                .ord_to_term(n * k / parts as u64, &mut key)
                .map_err(|e| IndexError::Io {
                    path: self.dir.clone(),
                    error: e,
                })?;
            if found && bounds.last().is_none_or(|b| *b < key) {
                bounds.push(key);
            }
        }
        Ok(bounds)
    }

    /// The compared tickets' terms from `lo` (included) to `hi` (excluded): the title,
    /// body and comments dictionaries of every segment merged into one sorted walk.
    fn term_range(
        &self,
        searcher: &Searcher,
        slots: &[Vec<u32>],
        lo: Option<&[u8]>,
        hi: Option<&[u8]>,
    ) -> Result<TermCounts, IndexError> {
        let f = self.fields;
        // The fields read, and what one occurrence counts in the report (title, body)
        // and in the comments: a title word as `suggest` counts it.
        let field_counts = [
            (f.title, QUERY_TITLE_WEIGHT, 0.0),
            (f.body, 1.0, 0.0),
            (f.comments, 0.0, 1.0),
        ];
        let io = |e: std::io::Error| IndexError::Io {
            path: self.dir.clone(),
            error: e,
        };
        // (reader, segment, which field) of each stream merged.
        let mut readers: Vec<(Arc<InvertedIndexReader>, usize, usize)> = Vec::new();
        for (s, seg) in searcher.segment_readers().iter().enumerate() {
            for (k, (field, _, _)) in field_counts.iter().enumerate() {
                let inv = seg
                    .inverted_index(*field)
                    .map_err(IndexError::tantivy(&self.dir, "reading terms"))?;
                readers.push((inv, s, k));
            }
        }
        let streams: Vec<TermStreamer<'_>> = readers
            .iter()
            .map(|(inv, _, _)| {
                let mut range = inv.terms().range();
                if let Some(lo) = lo {
                    range = range.ge(lo);
                }
                if let Some(hi) = hi {
                    range = range.lt(hi);
                }
                range.into_stream()
            })
            .collect::<Result<_, _>>()
            .map_err(io)?;
        let compared: Vec<bool> = slots
            .iter()
            .map(|s| s.iter().any(|&p| p != NOT_COMPARED))
            .collect();
        let mut out = TermCounts::default();
        let mut found: Vec<(u32, f32, f32)> = Vec::new();
        let mut merger = TermMerger::new(streams);
        while merger.advance() {
            let Ok(term) = std::str::from_utf8(merger.key()) else {
                continue;
            };
            if !is_telling(term) {
                continue;
            }
            let mut df = [0u64; 3];
            found.clear();
            let infos: Vec<(usize, TermInfo)> =
                merger.current_segment_ords_and_term_infos().collect();
            for (stream, info) in infos {
                let (inv, s, k) = &readers[stream];
                // Documents replaced but not yet merged away count in no statistic.
                let alive = searcher.segment_reader(*s as u32).alive_bitset();
                if !compared[*s] {
                    df[*k] += live_doc_freq(inv, &info, alive).map_err(io)?;
                    continue;
                }
                let slot = &slots[*s];
                let (_, report, comments) = field_counts[*k];
                let mut block = inv
                    .read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)
                    .map_err(io)?;
                let mut live = 0;
                while !block.docs().is_empty() {
                    for (d, tf) in block.docs().iter().zip(block.freqs()) {
                        if alive.is_none_or(|a| a.is_alive(*d)) {
                            live += 1;
                        }
                        let p = slot.get(*d as usize).copied().unwrap_or(NOT_COMPARED);
                        if p != NOT_COMPARED {
                            let tf = *tf as f32;
                            found.push((p, report * tf, comments * tf));
                        }
                    }
                    block.advance();
                }
                df[*k] += live;
            }
            if found.is_empty() {
                continue;
            }
            let id = out.terms.len() as u32;
            out.terms.push(term.to_string());
            out.df.push(df.into_iter().max().unwrap_or(0));
            found.sort_by_key(|e| e.0);
            for &(ticket, report, comments) in &found {
                match out.postings.last_mut() {
                    Some(last) if last.term == id && last.ticket == ticket => {
                        last.report += report;
                        last.comments += comments;
                    }
                    _ => out.postings.push(Posting {
                        term: id,
                        ticket,
                        report,
                        comments,
                    }),
                }
            }
        }
        Ok(out)
    }
}
