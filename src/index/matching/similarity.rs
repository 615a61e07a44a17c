//! The arithmetic of `dupes`: which tickets of a set are most alike, found without
//! comparing every pair. Pure computation on term ids and counts (the caller reads them
//! from the index), so it is tested without an index; its threads follow the index's
//! panic policy (`panics`).
//!
//! Each ticket is a sparse vector over terms: a term weighs `(1 + ln n) * idf`, where `n`
//! counts its occurrences (a title occurrence counts 2, as in `suggest`) and idf is
//! `ln((N + 1) / (df + 0.5))` over the whole index. The report (title and body) and the
//! comments are weighed apart and blended, the comments making [`COMMENTS_SHARE`] of the
//! whole, so a long or unrelated conversation does not drown the report. Only the
//! ticket's [`MAX_TERMS`] weightiest terms are kept (as `suggest` keeps its query terms),
//! and the vector has unit length, so the dot product of two tickets is their cosine,
//! 0 to 1.
//!
//! Candidates come from inverted lists over the set: a ticket looks up the tickets that
//! share one of its [`PROBE_TERMS`] weightiest terms, skipping terms whose list is long
//! (found in more than one ticket in [`LIST_SHARE`], and more than [`MIN_LIST`] tickets):
//! they cost the most and tell the least. Its [`ALWAYS_PROBES`] weightiest terms look up
//! all the same, however common: a ticket of common words has copies too. The partial
//! scores from those terms rank the candidates; the best [`CANDIDATES`] get their exact
//! cosine, and each ticket keeps its best few. A set of at most `MIN_LIST` tickets is
//! compared in full.
//!
//! On the 50,000 open tickets of a generated 100,000-ticket desk this finds 99.7 % of
//! each ticket's five most similar others that score 0.35 or more, and all of those
//! scoring 0.8 or more, measured against comparing every pair for a sample of 500
//! tickets.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::index::panics::{self, Panic};

/// What the comparing threads do, for the error a panic of theirs becomes.
const COMPARING: &str = "comparing the tickets";

/// The share of a ticket's vector (of its squared length) that its comments make: the
/// report (title and body) says what the problem is, the conversation adds evidence. Two
/// tickets with the same report and unrelated comments score about `1 - COMMENTS_SHARE`.
pub const COMMENTS_SHARE: f32 = 0.2;
/// The most terms kept per ticket (long stack traces add noise and cost).
pub const MAX_TERMS: usize = 96;
/// How many of a ticket's most telling terms look up candidates.
pub const PROBE_TERMS: usize = 8;
/// A ticket's this many weightiest terms look up candidates however long their lists:
/// near copies share them, whatever else they share.
pub const ALWAYS_PROBES: usize = 2;
/// A term found in more than one ticket in this many does not look up candidates...
pub const LIST_SHARE: usize = 50;
/// ...unless its list is at most this long.
pub const MIN_LIST: usize = 1000;
/// How many candidates per ticket get an exact score.
pub const CANDIDATES: usize = 64;
/// Tickets handed to a thread at a time.
const CHUNK: usize = 64;

/// How often a term occurs in one ticket: in its report (title and body, a title
/// occurrence weighted more) and in its comments.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Posting {
    /// Term id.
    pub term: u32,
    /// Ticket, by its position in the set.
    pub ticket: u32,
    /// Weighted occurrences in the title and body.
    pub report: f32,
    /// Occurrences in the comments.
    pub comments: f32,
}

/// How telling a term is: rare terms weigh more. `None` for a term in every document,
/// which tells nothing.
pub fn idf(df: u64, total: u64) -> Option<f32> {
    let v = ((total as f64 + 1.0) / (df as f64 + 0.5)).ln() as f32;
    (v > 0.0).then_some(v)
}

/// The weight of a term's (field-weighted) occurrences: grows slowly with repetition.
pub fn count_weight(n: f32) -> f32 {
    if n >= 1.0 { 1.0 + n.ln() } else { n.max(0.0) }
}

/// One ticket's term weights from its report part and its comments part, each at unit
/// length, the comments at [`COMMENTS_SHARE`] of the whole (all of it when there is no
/// report, none when there are no comments).
fn blend(raw: &[(u32, f32, f32)]) -> impl Iterator<Item = (u32, f32)> + '_ {
    let norm = |f: fn(&(u32, f32, f32)) -> f32| raw.iter().map(|e| f(e) * f(e)).sum::<f32>().sqrt();
    let (report, comments) = (norm(|e| e.1), norm(|e| e.2));
    let (a, b) = match (report > 0.0, comments > 0.0) {
        (true, true) => (
            (1.0 - COMMENTS_SHARE).sqrt() / report,
            COMMENTS_SHARE.sqrt() / comments,
        ),
        (true, false) => (1.0 / report, 0.0),
        (false, true) => (0.0, 1.0 / comments),
        (false, false) => (0.0, 0.0),
    };
    raw.iter()
        .map(move |&(t, r, c)| (t, a * r + b * c))
        .filter(|e| e.1 > 0.0)
}

/// Unit-length term vectors of a set of tickets, and inverted lists over them.
#[derive(Debug, Default)]
pub struct Vectors {
    /// Where each ticket's entries start in `entries` (one more than there are tickets).
    starts: Vec<usize>,
    /// `(term, weight)`, each ticket's by term id.
    entries: Vec<(u32, f32)>,
    /// Where each term's list starts in `lists` (one more than there are terms).
    list_starts: Vec<usize>,
    /// `(ticket, weight)`, each term's by ticket.
    lists: Vec<(u32, f32)>,
}

impl Vectors {
    /// The vectors of `tickets` tickets from their postings (one per term and ticket;
    /// taken, so their memory is free before the vectors take theirs) and each term's
    /// idf (`None`: left out).
    pub fn build(tickets: usize, postings: Vec<Posting>, idf: &[Option<f32>]) -> Vectors {
        let idf_of = |p: &Posting| idf.get(p.term as usize).copied().flatten();
        let mut starts = vec![0usize; tickets + 1];
        for p in &postings {
            if idf_of(p).is_some() {
                starts[p.ticket as usize + 1] += 1;
            }
        }
        for i in 0..tickets {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        // (term, weight in the report, weight in the comments)
        let mut raw = vec![(0u32, 0f32, 0f32); starts[tickets]];
        for p in &postings {
            if let Some(idf) = idf_of(p) {
                let slot = &mut fill[p.ticket as usize];
                raw[*slot] = (
                    p.term,
                    count_weight(p.report) * idf,
                    count_weight(p.comments) * idf,
                );
                *slot += 1;
            }
        }
        drop(postings);
        let mut out_starts = Vec::with_capacity(tickets + 1);
        let mut entries = Vec::with_capacity(raw.len().min(tickets * MAX_TERMS));
        let mut v: Vec<(u32, f32)> = Vec::new();
        out_starts.push(0);
        for i in 0..tickets {
            let r = &raw[starts[i]..starts[i + 1]];
            v.clear();
            v.extend(blend(r));
            // Keep the weightiest terms, by term id, at unit length.
            if v.len() > MAX_TERMS {
                v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                v.truncate(MAX_TERMS);
            }
            v.sort_unstable_by_key(|e| e.0);
            let norm = v.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                entries.extend(v.iter().map(|&(t, w)| (t, w / norm)));
            }
            out_starts.push(entries.len());
        }
        let (list_starts, lists) = invert(&out_starts, &entries, idf.len());
        Vectors {
            starts: out_starts,
            entries,
            list_starts,
            lists,
        }
    }

    /// How many tickets.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// One ticket's `(term, weight)` entries, by term id.
    pub fn of(&self, ticket: u32) -> &[(u32, f32)] {
        let i = ticket as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.entries[a..b],
            _ => &[],
        }
    }

    /// The tickets holding a term, with its weight in each.
    fn list(&self, term: u32) -> &[(u32, f32)] {
        let t = term as usize;
        match (self.list_starts.get(t), self.list_starts.get(t + 1)) {
            (Some(&a), Some(&b)) => &self.lists[a..b],
            _ => &[],
        }
    }

    /// The cosine of two tickets (the same value whichever comes first).
    pub fn cosine(&self, a: u32, b: u32) -> f32 {
        shared(self.of(a), self.of(b)).map(|(_, p)| p).sum()
    }

    /// The terms two tickets share, most telling (largest part of the cosine) first.
    pub fn shared_terms(&self, a: u32, b: u32) -> Vec<u32> {
        let mut both: Vec<(u32, f32)> = shared(self.of(a), self.of(b)).collect();
        both.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        both.into_iter().map(|(t, _)| t).collect()
    }

    /// How far the search for one ticket's neighbours goes in a set of this size. A small
    /// set is compared in full: every shared term looks up, every candidate is scored.
    fn limits(&self) -> Limits {
        if self.len() <= MIN_LIST {
            Limits {
                longest_list: usize::MAX,
                probes: usize::MAX,
                candidates: usize::MAX,
            }
        } else {
            Limits {
                longest_list: (self.len() / LIST_SHARE).max(MIN_LIST),
                probes: PROBE_TERMS,
                candidates: CANDIDATES,
            }
        }
    }

    /// Each ticket's `per_ticket` most similar others (cosine above zero), as pairs
    /// `(a, b, cosine)` with `a < b`, each pair once, sorted by ticket. Runs on `threads`
    /// threads; a panic on any of them is the error, never a shorter answer.
    pub fn best_pairs(
        &self,
        per_ticket: usize,
        threads: usize,
    ) -> Result<Vec<(u32, u32, f32)>, Panic> {
        let n = self.len();
        let limits = self.limits();
        let next = AtomicUsize::new(0);
        let work = || {
            let mut search = Search::new(n, self.list_starts.len().saturating_sub(1), limits);
            let mut out: Vec<(u32, u32, f32)> = Vec::new();
            loop {
                let from = next.fetch_add(CHUNK, Ordering::Relaxed);
                if from >= n {
                    break;
                }
                for i in from..(from + CHUNK).min(n) {
                    let i = i as u32;
                    for (j, s) in search.neighbours(self, i, per_ticket) {
                        out.push((i.min(j), i.max(j), s));
                    }
                }
            }
            out
        };
        let mut all: Vec<(u32, u32, f32)> = if threads <= 1 || n < CHUNK * 2 {
            panics::catching(COMPARING, work)?
        } else {
            std::thread::scope(|scope| {
                let helpers: Vec<_> = (1..threads)
                    .map(|_| panics::spawn(scope, COMPARING, work))
                    .collect();
                let mut all = panics::catching(COMPARING, work)?;
                for h in helpers {
                    all.extend(h.join()?);
                }
                Ok::<_, Panic>(all)
            })?
        };
        all.sort_unstable_by_key(|x| (x.0, x.1));
        all.dedup_by(|x, y| (x.0, x.1) == (y.0, y.1));
        for p in &mut all {
            p.2 = self.cosine(p.0, p.1);
        }
        Ok(all)
    }
}

/// The `(term, product of weights)` of the terms in both entry lists (each by term id).
fn shared<'a>(a: &'a [(u32, f32)], b: &'a [(u32, f32)]) -> impl Iterator<Item = (u32, f32)> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            let (ta, wa) = a[i];
            let (tb, wb) = b[j];
            match ta.cmp(&tb) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    return Some((ta, wa * wb));
                }
            }
        }
        None
    })
}

/// The dot product of dense weights (by term) with a ticket's entries, on four lanes.
/// The last bits depend on the order of the entries: a pair's final score comes from
/// [`Vectors::cosine`].
fn dot(weights: &[f32], entries: &[(u32, f32)]) -> f32 {
    let w = |e: &(u32, f32)| weights.get(e.0 as usize).copied().unwrap_or(0.0) * e.1;
    let mut lanes = [0f32; 4];
    let chunks = entries.chunks_exact(4);
    let rest: f32 = chunks.remainder().iter().map(w).sum();
    for c in chunks {
        for (lane, e) in lanes.iter_mut().zip(c) {
            *lane += w(e);
        }
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + rest
}

/// Inverted lists of the entries: per term, `(ticket, weight)` by ticket.
fn invert(starts: &[usize], entries: &[(u32, f32)], terms: usize) -> (Vec<usize>, Vec<(u32, f32)>) {
    let mut list_starts = vec![0usize; terms + 1];
    for &(t, _) in entries {
        list_starts[t as usize + 1] += 1;
    }
    for t in 0..terms {
        list_starts[t + 1] += list_starts[t];
    }
    let mut fill = list_starts.clone();
    let mut lists = vec![(0u32, 0f32); entries.len()];
    for (ticket, w) in starts.windows(2).enumerate() {
        for &(t, weight) in &entries[w[0]..w[1]] {
            let slot = &mut fill[t as usize];
            lists[*slot] = (ticket as u32, weight);
            *slot += 1;
        }
    }
    (list_starts, lists)
}

/// How far the search for one ticket's neighbours goes.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// The longest list a probe term may have.
    longest_list: usize,
    /// How many terms probe.
    probes: usize,
    /// How many candidates get an exact score.
    candidates: usize,
}

/// Scratch space of one thread's neighbour search.
struct Search {
    limits: Limits,
    /// Partial scores of the candidates so far.
    partial: Vec<f32>,
    /// The candidates, in the order found.
    found: Vec<u32>,
    /// The candidates with their partial scores.
    ranked: Vec<(f32, u32)>,
    /// The terms that look up candidates, with their weights.
    probes: Vec<(u32, f32)>,
    /// The weights of the ticket searched for, by term (zero elsewhere).
    weights: Vec<f32>,
}

impl Search {
    fn new(tickets: usize, terms: usize, limits: Limits) -> Search {
        Search {
            limits,
            partial: vec![0.0; tickets],
            found: Vec::new(),
            ranked: Vec::new(),
            probes: Vec::new(),
            weights: vec![0.0; terms],
        }
    }

    /// The `k` tickets most similar to `i`, best first (ties: lower ticket first).
    fn neighbours(&mut self, v: &Vectors, i: u32, k: usize) -> Vec<(u32, f32)> {
        let Limits {
            longest_list,
            probes,
            candidates,
        } = self.limits;
        let mine = v.of(i);
        // The weightiest terms that are in another ticket, up to `probes`: the first
        // `ALWAYS_PROBES` whatever their lists, the others only with short lists.
        self.probes.clear();
        self.probes
            .extend(mine.iter().copied().filter(|&(t, _)| v.list(t).len() > 1));
        self.probes
            .sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut rank = 0;
        self.probes.retain(|&(t, _)| {
            rank += 1;
            rank <= ALWAYS_PROBES || v.list(t).len() <= longest_list
        });
        self.probes.truncate(probes);
        for &(t, w) in &self.probes {
            for &(j, wj) in v.list(t) {
                if j == i {
                    continue;
                }
                let ju = j as usize;
                if self.partial[ju] == 0.0 {
                    self.found.push(j);
                }
                // Never zero, so a candidate is pushed once.
                self.partial[ju] += (w * wj).max(f32::MIN_POSITIVE);
            }
        }
        // The best candidates by partial score (ties: lower ticket first).
        self.ranked.clear();
        self.ranked
            .extend(self.found.iter().map(|&j| (self.partial[j as usize], j)));
        for &j in &self.found {
            self.partial[j as usize] = 0.0;
        }
        self.found.clear();
        let by_partial = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if self.ranked.len() > candidates {
            self.ranked
                .select_nth_unstable_by(candidates - 1, by_partial);
            self.ranked.truncate(candidates);
        }
        for &(t, w) in mine {
            self.weights[t as usize] = w;
        }
        let weights = &self.weights;
        let mut best: Vec<(u32, f32)> = self
            .ranked
            .iter()
            .map(|&(_, j)| (j, dot(weights, v.of(j))))
            .filter(|&(_, s)| s > 0.0)
            .collect();
        for &(t, _) in mine {
            self.weights[t as usize] = 0.0;
        }
        best.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        best.truncate(k);
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Postings from `(ticket, [(term, count)])`, sorted by term then ticket.
    fn postings(tickets: &[&[(u32, f32)]]) -> Vec<Posting> {
        let mut out: Vec<Posting> = tickets
            .iter()
            .enumerate()
            .flat_map(|(i, terms)| {
                terms.iter().map(move |&(term, count)| Posting {
                    term,
                    ticket: i as u32,
                    report: count,
                    comments: 0.0,
                })
            })
            .collect();
        out.sort_by_key(|p| (p.term, p.ticket));
        out
    }

    /// Every pair compared: the reference the candidate search is checked against.
    fn all_pairs(v: &Vectors, per_ticket: usize) -> Vec<(u32, u32, f32)> {
        let n = v.len() as u32;
        let mut out = Vec::new();
        for i in 0..n {
            let mut row: Vec<(u32, f32)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| (j, v.cosine(i, j)))
                .filter(|&(_, s)| s > 0.0)
                .collect();
            row.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            for &(j, s) in row.iter().take(per_ticket) {
                out.push((i.min(j), i.max(j), s));
            }
        }
        out.sort_by_key(|x| (x.0, x.1));
        out.dedup_by(|x, y| (x.0, x.1) == (y.0, y.1));
        out
    }

    #[test]
    fn idf_favours_rare_terms_and_drops_ubiquitous_ones() {
        let rare = idf(1, 1000).expect("rare");
        let common = idf(400, 1000).expect("common");
        assert!(rare > common && common > 0.0);
        assert!(idf(1000, 1000).is_some_and(|v| v < 0.01));
        assert_eq!(idf(1001, 1000), None);
    }

    #[test]
    fn repetition_counts_less_and_less() {
        assert_eq!(count_weight(1.0), 1.0);
        assert!(count_weight(2.0) > 1.0 && count_weight(2.0) < 2.0);
        assert!(count_weight(0.5) > 0.0 && count_weight(0.5) < 1.0);
    }

    #[test]
    fn identical_tickets_score_one_and_disjoint_ones_are_not_paired() {
        let p = postings(&[
            &[(0, 2.0), (1, 1.0)],
            &[(0, 2.0), (1, 1.0)],
            &[(2, 1.0), (3, 3.0)],
        ]);
        let v = Vectors::build(3, p, &[Some(1.0); 4]);
        assert!((v.cosine(0, 1) - 1.0).abs() < 1e-6);
        assert_eq!(v.cosine(0, 2), 0.0);
        let pairs = v.best_pairs(5, 1).expect("no panic");
        assert_eq!(pairs.len(), 1);
        assert_eq!((pairs[0].0, pairs[0].1), (0, 1));
    }

    #[test]
    fn cosine_is_symmetric_to_the_bit_and_shared_terms_come_most_telling_first() {
        let p = postings(&[
            &[(0, 1.0), (1, 1.0), (2, 4.0)],
            &[(1, 1.0), (2, 1.0), (3, 1.0)],
        ]);
        let v = Vectors::build(2, p, &[Some(1.0), Some(3.0), Some(0.5), Some(1.0)]);
        assert_eq!(v.cosine(0, 1).to_bits(), v.cosine(1, 0).to_bits());
        // Term 1 (idf 3) tells more than term 2 (idf 0.5), though ticket 0 repeats term 2.
        assert_eq!(v.shared_terms(0, 1), vec![1, 2]);
    }

    #[test]
    fn the_same_report_with_other_comments_keeps_most_of_its_score() {
        let p = vec![
            (0, 0, 2.0, 0.0),
            (0, 1, 2.0, 0.0),
            (1, 0, 1.0, 0.0),
            (1, 1, 1.0, 0.0),
            (2, 0, 0.0, 3.0),
            (3, 1, 0.0, 1.0),
            (4, 1, 0.0, 1.0),
        ]
        .into_iter()
        .map(|(term, ticket, report, comments)| Posting {
            term,
            ticket,
            report,
            comments,
        })
        .collect();
        let v = Vectors::build(2, p, &[Some(1.0); 5]);
        let s = v.cosine(0, 1);
        assert!((s - (1.0 - COMMENTS_SHARE)).abs() < 1e-5, "{s}");
    }

    #[test]
    fn tickets_of_common_words_still_find_their_copies() {
        // Every ticket has the four common terms; two short ones have nothing else.
        let n = 3 * MIN_LIST;
        let mut rows: Vec<Vec<(u32, f32)>> = (0..n as u32)
            .map(|i| vec![(0, 1.0), (1, 1.0), (2, 1.0), (3, 1.0), (10 + i, 3.0)])
            .collect();
        rows[5] = vec![(0, 1.0), (1, 2.0), (2, 1.0)];
        rows[n - 5] = vec![(0, 1.0), (1, 2.0), (2, 1.0)];
        let refs: Vec<&[(u32, f32)]> = rows.iter().map(Vec::as_slice).collect();
        let mut idf = vec![Some(0.1); 4];
        idf.extend(std::iter::repeat_n(Some(5.0), n));
        let v = Vectors::build(n, postings(&refs), &idf);
        let pairs = v.best_pairs(5, 2).expect("no panic");
        let found = pairs.iter().find(|p| (p.0, p.1) == (5, n as u32 - 5));
        assert!(found.is_some_and(|p| p.2 > 0.999), "{found:?}");
    }

    #[test]
    fn terms_without_idf_are_left_out() {
        let p = postings(&[&[(0, 1.0), (1, 1.0)], &[(0, 1.0), (2, 1.0)]]);
        let v = Vectors::build(2, p, &[None, Some(1.0), Some(1.0)]);
        assert_eq!(v.cosine(0, 1), 0.0);
        assert!(v.best_pairs(5, 1).expect("no panic").is_empty());
    }

    #[test]
    fn only_the_weightiest_terms_are_kept() {
        let many: Vec<(u32, f32)> = (0..MAX_TERMS as u32 + 10).map(|t| (t, 1.0)).collect();
        let p = postings(&[&many]);
        let mut idf = vec![Some(1.0); many.len()];
        idf[MAX_TERMS + 5] = Some(9.0);
        let v = Vectors::build(1, p, &idf);
        let kept = v.of(0);
        assert_eq!(kept.len(), MAX_TERMS);
        assert!(kept.iter().any(|&(t, _)| t as usize == MAX_TERMS + 5));
        assert!(kept.windows(2).all(|w| w[0].0 < w[1].0));
        let norm: f32 = kept.iter().map(|e| e.1 * e.1).sum();
        assert!((norm - 1.0).abs() < 1e-5);
    }

    /// A reproducible set: tickets drawn from a few topics of common words plus rare
    /// ones, with near copies, so lists are long and short.
    fn synthetic(tickets: u32) -> (Vec<Posting>, Vec<Option<f32>>) {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |m: u32| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % u64::from(m)) as u32
        };
        let terms = 5000u32;
        let mut rows: Vec<Vec<(u32, f32)>> = Vec::new();
        for i in 0..tickets {
            let mut row: Vec<(u32, f32)> = if i % 7 == 3 && i > 0 {
                // A near copy of an earlier ticket.
                let mut r = rows[next(i) as usize].clone();
                r.truncate(r.len().saturating_sub(2));
                r
            } else {
                let topic = next(20) * 10;
                let mut r: Vec<(u32, f32)> = Vec::new();
                for _ in 0..12 {
                    r.push((topic + next(10), 1.0 + next(3) as f32));
                }
                for _ in 0..10 {
                    r.push((200 + next(terms - 200), 1.0));
                }
                r
            };
            row.push((200 + next(terms - 200), 2.0));
            row.sort_by_key(|e| e.0);
            row.dedup_by_key(|e| e.0);
            rows.push(row);
        }
        let refs: Vec<&[(u32, f32)]> = rows.iter().map(Vec::as_slice).collect();
        let p = postings(&refs);
        let mut df = vec![0u64; terms as usize];
        for x in &p {
            df[x.term as usize] += 1;
        }
        let idf = df.iter().map(|&d| idf(d, u64::from(tickets))).collect();
        (p, idf)
    }

    #[test]
    fn a_small_set_finds_what_comparing_every_pair_finds() {
        let (p, idf) = synthetic(400);
        let v = Vectors::build(400, p, &idf);
        assert_eq!(v.best_pairs(5, 1).expect("no panic"), all_pairs(&v, 5));
        assert_eq!(v.best_pairs(5, 3).expect("no panic"), all_pairs(&v, 5));
    }

    #[test]
    fn a_large_set_still_finds_the_near_copies() {
        let n = 3 * MIN_LIST as u32;
        let (p, idf) = synthetic(n);
        let v = Vectors::build(n as usize, p, &idf);
        let fast = v.best_pairs(5, 2).expect("no panic");
        let exact = all_pairs(&v, 5);
        let strong = |pairs: &[(u32, u32, f32)]| -> Vec<(u32, u32)> {
            pairs
                .iter()
                .filter(|p| p.2 >= 0.8)
                .map(|p| (p.0, p.1))
                .collect()
        };
        assert!(!strong(&exact).is_empty());
        assert_eq!(strong(&fast), strong(&exact));
    }
}
