//! The learned classifier behind `triage`: it suggests a ticket's type and labels from
//! the words of earlier closed tickets. Pure: trained on examples the caller reads from
//! the files, and saved and loaded as bytes the caller caches.
//!
//! A ticket becomes hashed features (`features`), then a TF-IDF vector over the features
//! the training tickets share (`vocab`); a softmax model trained by SGD gives the type
//! and one logistic model per label gives the labels (`linear`). Complement naive
//! Bayes (`bayes`) and a plain bag of words are kept as the baselines the evaluation
//! tool measures against. Saved as bytes by `codec`.

mod approach;
mod bayes;
mod codec;
mod features;
mod linear;
mod shape;
mod vocab;

#[cfg(test)]
mod tests;

pub use approach::Approach;
use bayes::Bayes;
use features::{Feature, Weights};
use linear::{Linear, Link, Schedule};
use vocab::{Sparse, Vocab};

/// One training example: a closed ticket's text and what it was.
#[derive(Debug, Clone, Default)]
pub struct Example {
    /// Title.
    pub title: String,
    /// Description.
    pub body: String,
    /// Its type, if it has one.
    pub kind: Option<String>,
    /// Its labels.
    pub labels: Vec<String>,
}

/// A suggested value with how sure the model is (0-1).
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// The value.
    pub value: String,
    /// Confidence, 0-1.
    pub confidence: f64,
}

/// What the model suggests for one ticket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Guesses {
    /// The type, best first.
    pub kind: Vec<Guess>,
    /// Labels, each with its own confidence, best first.
    pub labels: Vec<Guess>,
}

/// A trained model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    approach: Approach,
    vocab: Vocab,
    kinds: Vec<String>,
    kind_model: Linear,
    kind_bayes: Bayes,
    labels: Vec<String>,
    label_model: Linear,
}

/// L2 strength of the linear models (measured on the issue-types set, BENCHMARKS.md).
const ALPHA: f32 = 1e-4;

impl Model {
    /// Trains on closed tickets; labels seen fewer than `min_label_count` times are left out.
    pub fn train(examples: &[Example], min_label_count: usize) -> Model {
        Model::train_with(examples, min_label_count, Approach::default())
    }

    /// [`Model::train`] with a chosen approach.
    pub fn train_with(examples: &[Example], min_label_count: usize, approach: Approach) -> Model {
        let weights = approach.weights();
        let docs = extract_all(examples, &weights);
        let vocab = Vocab::build(&docs);
        let xs: Vec<Sparse> = docs.iter().map(|d| vocab.vector(d)).collect();
        drop(docs);
        let kinds = sorted_unique(examples.iter().filter_map(|e| e.kind.clone()));
        let (kx, ky): (Vec<&Sparse>, Vec<usize>) = xs
            .iter()
            .zip(examples)
            .filter_map(|(x, e)| Some((x, kinds.binary_search(e.kind.as_ref()?).ok()?)))
            .unzip();
        let labels = frequent_labels(examples, min_label_count);
        let ly: Vec<Vec<usize>> = examples
            .iter()
            .map(|e| {
                e.labels
                    .iter()
                    .filter_map(|l| labels.binary_search(l).ok())
                    .collect()
            })
            .collect();
        let features = vocab.len();
        // The type and the labels train on two threads (the budget assumes two cores).
        let (kind_model, kind_bayes, label_model) = std::thread::scope(|scope| {
            let labels_job = scope.spawn(|| {
                let x: Vec<&Sparse> = xs.iter().collect();
                let s = schedule(x.len(), labels.len());
                Linear::train(&x, &ly, features, labels.len(), Link::Logistic, s)
            });
            let (linear, bayes) = if approach == Approach::Bayes {
                (
                    Linear::default(),
                    Bayes::train(&kx, &ky, features, kinds.len()),
                )
            } else {
                let y: Vec<Vec<usize>> = ky.iter().map(|y| vec![*y]).collect();
                let s = schedule(kx.len(), kinds.len());
                let m = Linear::train(&kx, &y, features, kinds.len(), Link::Softmax, s);
                (m, Bayes::default())
            };
            (linear, bayes, labels_job.join().unwrap_or_default())
        });
        Model {
            approach,
            vocab,
            kinds,
            kind_model,
            kind_bayes,
            labels,
            label_model,
        }
    }

    /// The suggestions for a ticket's text.
    pub fn guess(&self, title: &str, body: &str) -> Guesses {
        let x = self
            .vocab
            .vector(&features::extract(title, body, &self.approach.weights()));
        let kind_p = match self.approach {
            Approach::Bayes => self.kind_bayes.probabilities(&x),
            _ => self.kind_model.probabilities(&x, Link::Softmax),
        };
        Guesses {
            kind: ranked(&self.kinds, &kind_p),
            labels: ranked(
                &self.labels,
                &self.label_model.probabilities(&x, Link::Logistic),
            ),
        }
    }

    /// Short description for commit trailers and output (`naive-bayes`).
    pub fn name(&self) -> &'static str {
        self.approach.name()
    }

    /// The types it can suggest, sorted.
    pub fn kinds(&self) -> &[String] {
        &self.kinds
    }

    /// The labels it can suggest, sorted.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The model as bytes, for a cache file; [`Model::from_bytes`] reads them back.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = codec::Writer(codec::MAGIC.to_vec());
        w.byte(self.approach.code());
        w.keys(&self.vocab.keys);
        w.floats(&self.vocab.idf);
        w.strings(&self.kinds);
        self.kind_model.write(&mut w);
        w.len(self.kind_bayes.classes);
        w.floats(&self.kind_bayes.w);
        w.floats(&[self.kind_bayes.temperature]);
        w.strings(&self.labels);
        self.label_model.write(&mut w);
        w.0
    }

    /// Reads what [`Model::to_bytes`] wrote; `None` for bytes of another format version,
    /// cut short or damaged.
    pub fn from_bytes(bytes: &[u8]) -> Option<Model> {
        let mut r = codec::Reader(bytes.strip_prefix(codec::MAGIC)?);
        let code = r.byte()?;
        let approach = Approach::ALL.into_iter().find(|a| a.code() == code)?;
        let vocab = Vocab {
            keys: r.keys()?,
            idf: r.floats()?,
        };
        let kinds = r.strings()?;
        let kind_model = Linear::read(&mut r)?;
        let kind_bayes = Bayes {
            classes: r.len(0)?,
            w: r.floats()?,
            temperature: *r.floats()?.first()?,
        };
        let labels = r.strings()?;
        let label_model = Linear::read(&mut r)?;
        let features = vocab.keys.len();
        let fits = |m: &Linear, outputs: usize| {
            m.outputs == outputs
                && m.bias.len() == outputs
                && (outputs == 0 || m.w.len() == features * outputs)
        };
        let ok = r.is_done()
            && vocab.idf.len() == features
            && vocab.keys.windows(2).all(|k| k[0] < k[1])
            && (approach == Approach::Bayes || fits(&kind_model, kinds.len()))
            && (approach != Approach::Bayes
                || (kind_bayes.classes == kinds.len()
                    && kind_bayes.w.len() == features * kinds.len()))
            && fits(&label_model, labels.len());
        ok.then_some(Model {
            approach,
            vocab,
            kinds,
            kind_model,
            kind_bayes,
            labels,
            label_model,
        })
    }
}

/// The features of every example, on two threads.
fn extract_all(examples: &[Example], weights: &Weights) -> Vec<Vec<Feature>> {
    let half = examples.len().div_ceil(2);
    let (a, b) = examples.split_at(half.min(examples.len()));
    let run = |part: &[Example]| -> Vec<Vec<Feature>> {
        part.iter()
            .map(|e| features::extract(&e.title, &e.body, weights))
            .collect()
    };
    std::thread::scope(|scope| {
        let second = scope.spawn(|| run(b));
        let mut out = run(a);
        match second.join() {
            Ok(rest) => out.extend(rest),
            // A panic in extraction is a bug; the second half is extracted again here.
            Err(_) => out.extend(run(b)),
        }
        out
    })
}

/// How long to train: SGD needs fewer passes the more examples it has, and a pass
/// costs more the more outputs it updates. At most 20 passes, 500,000 steps and 5
/// million output updates per feature of a ticket (100,000 tickets train in seconds);
/// at least one pass.
fn schedule(examples: usize, outputs: usize) -> Schedule {
    let n = examples.max(1);
    let by_work = 5_000_000 / (n * outputs.max(1));
    Schedule {
        alpha: ALPHA,
        epochs: by_work.min(500_000 / n).clamp(1, 20),
    }
}

fn sorted_unique(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = values.collect();
    v.sort();
    v.dedup();
    v
}

/// The labels on at least `min` examples, sorted.
fn frequent_labels(examples: &[Example], min: usize) -> Vec<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in examples {
        for l in &e.labels {
            *counts.entry(l.as_str()).or_insert(0) += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= min.max(1))
        .map(|(l, _)| l.to_string())
        .collect()
}

/// Values with their probabilities, best first (ties by value).
fn ranked(values: &[String], p: &[f32]) -> Vec<Guess> {
    let mut out: Vec<Guess> = values
        .iter()
        .zip(p)
        .map(|(v, p)| Guess {
            value: v.clone(),
            confidence: f64::from(*p).clamp(0.0, 1.0),
        })
        .collect();
    out.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then_with(|| a.value.cmp(&b.value))
    });
    out
}
