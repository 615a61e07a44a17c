//! The learned model behind `triage`'s suggestions: trained on the desk's closed
//! tickets, cached under the git directory like the index, and trained again when the
//! closed tickets change.
//!
//! The closed tickets' text comes from the search index's stored fields (the files
//! when the index cannot serve). A fingerprint of exactly what training reads (each
//! closed ticket's id, title, body, type and labels, the config values that shape the
//! model, the model format) heads the cache file `<git dir>/docket/classifier`; an equal
//! fingerprint loads the model, any other trains it again and replaces the file whole
//! (`atomic`), so a crash mid-write leaves the old cache or none. The cache is never
//! needed: a missing, damaged or unwritable one costs a training run, nothing else.

use std::path::{Path, PathBuf};

use super::{Desk, DeskError};
use crate::atomic::{Durability, replace};
use crate::index::{Quiet, StatusFilter, TicketTextRow};
use crate::support::classify::{Example, Guesses, Model};

/// The first bytes of the cache file, before the fingerprint and the model.
const CACHE_MAGIC: &[u8] = b"docket-learned-1\n";

/// A model ready to suggest.
#[derive(Debug, Clone, Default)]
pub struct Learner {
    model: Model,
    examples: usize,
    cached: bool,
}

impl Desk {
    /// The model of this desk's closed tickets: the cached one when they have not
    /// changed since it was trained, else trained now (and cached).
    pub fn learner(&self) -> Result<Learner, DeskError> {
        let config = self.store().config();
        let triage = &config.triage;
        let learn_type = triage.learn.iter().any(|l| l == "type");
        let learn_labels = triage.learn.iter().any(|l| l == "labels");
        let mut examples = self.closed_texts()?;
        for e in &mut examples {
            if !learn_type {
                e.kind = None;
            }
            if !learn_labels {
                e.labels.clear();
            }
        }
        let print = fingerprint(&examples, triage.min_label_count);
        let path = Learner::cache_path(self.repo().git_dir());
        if let Some(model) = read_cache(&path, &print) {
            return Ok(Learner {
                model,
                examples: examples.len(),
                cached: true,
            });
        }
        let model = Model::train(&examples, triage.min_label_count);
        write_cache(&path, &print, &model);
        Ok(Learner {
            model,
            examples: examples.len(),
            cached: false,
        })
    }

    /// Every closed ticket as a training example, sorted by id: from the index, or from
    /// the files when the index cannot serve.
    fn closed_texts(&self) -> Result<Vec<Example>, DeskError> {
        let workflow = &self.store().config().workflow;
        let filter = StatusFilter::OneOf(workflow.closed.clone());
        if let Ok(rows) = self.with_index(&Quiet, |idx| idx.ticket_texts(&filter)) {
            return Ok(rows
                .value
                .into_iter()
                .filter(|r| workflow.is_closed(&r.status))
                .map(|r: TicketTextRow| Example {
                    title: r.title,
                    body: r.body,
                    kind: r.kind,
                    labels: r.labels,
                })
                .collect());
        }
        let mut files = self.store().tickets()?.items;
        files.retain(|t| workflow.is_closed(&t.ticket.status));
        files.sort_by(|a, b| a.ticket.id.as_str().cmp(b.ticket.id.as_str()));
        Ok(files
            .into_iter()
            .map(|t| Example {
                body: t.doc.body().to_string(),
                title: t.ticket.title,
                kind: t.ticket.kind,
                labels: t.ticket.labels,
            })
            .collect())
    }
}

impl Learner {
    /// A learner around a model trained elsewhere (the evaluation tool).
    pub fn from_model(model: Model) -> Learner {
        Learner {
            model,
            examples: 0,
            cached: false,
        }
    }

    /// Where a repository's model is cached.
    pub fn cache_path(git_dir: &Path) -> PathBuf {
        git_dir.join("docket").join("classifier")
    }

    /// Suggestions for a ticket's text.
    pub fn guess(&self, title: &str, body: &str) -> Guesses {
        self.model.guess(title, body)
    }

    /// The model's name, for trailers and output.
    pub fn name(&self) -> &'static str {
        self.model.name()
    }

    /// How many closed tickets it learned from.
    pub fn examples(&self) -> usize {
        self.examples
    }

    /// Whether the model came from the cache (false: trained by this call).
    pub fn cached(&self) -> bool {
        self.cached
    }
}

/// 128 bits over everything training reads, in order: two FNV-1a hashes with different
/// offsets over length-prefixed fields (so `ab`+`c` and `a`+`bc` differ).
fn fingerprint(examples: &[Example], min_label_count: usize) -> [u8; 16] {
    struct Fnv([u64; 2]);
    impl Fnv {
        fn bytes(&mut self, b: &[u8]) {
            self.raw(&(b.len() as u64).to_le_bytes());
            self.raw(b);
        }
        fn raw(&mut self, b: &[u8]) {
            const PRIME: u64 = 0x0000_0100_0000_01b3;
            let [mut x, mut y] = self.0;
            for byte in b {
                x = (x ^ u64::from(*byte)).wrapping_mul(PRIME);
                y = (y ^ u64::from(*byte)).wrapping_mul(PRIME);
            }
            self.0 = [x, y];
        }
    }
    let mut h = Fnv([0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142]);
    h.bytes(CACHE_MAGIC);
    h.bytes(Model::default().name().as_bytes());
    h.raw(&(min_label_count as u64).to_le_bytes());
    h.raw(&(examples.len() as u64).to_le_bytes());
    for e in examples {
        h.bytes(e.title.as_bytes());
        h.bytes(e.body.as_bytes());
        h.bytes(e.kind.as_deref().unwrap_or("\0").as_bytes());
        h.raw(&(e.labels.len() as u64).to_le_bytes());
        for l in &e.labels {
            h.bytes(l.as_bytes());
        }
    }
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&h.0[0].to_le_bytes());
    out[8..].copy_from_slice(&h.0[1].to_le_bytes());
    out
}

/// The cached model, if the file holds one trained on tickets with this fingerprint.
fn read_cache(path: &Path, print: &[u8; 16]) -> Option<Model> {
    let bytes = std::fs::read(path).ok()?;
    let rest = bytes.strip_prefix(CACHE_MAGIC)?;
    let (stored, model) = rest.split_at_checked(print.len())?;
    (stored == print)
        .then(|| Model::from_bytes(model))
        .flatten()
}

/// Replaces the cache file whole; a failure only means training again next time.
fn write_cache(path: &Path, print: &[u8; 16], model: &Model) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let model = model.to_bytes();
    let mut bytes = Vec::with_capacity(CACHE_MAGIC.len() + print.len() + model.len());
    bytes.extend_from_slice(CACHE_MAGIC);
    bytes.extend_from_slice(print);
    bytes.extend_from_slice(&model);
    let _ = replace(path, &bytes, Durability::Cached);
}
