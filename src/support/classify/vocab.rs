//! The features a model knows, with their inverse document frequencies, and the
//! TF-IDF vector of a ticket over them (sublinear counts, namespace weights, unit
//! length). Features seen in fewer than two training tickets are dropped, and at most
//! [`MAX_FEATURES`] of the most common are kept, so the model stays small however many
//! tickets it learned from.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::features::{Feature, Key};

/// The most features a model keeps.
pub const MAX_FEATURES: usize = 1 << 18;

/// A feature must occur in at least this many training tickets.
const MIN_DF: u32 = 2;

/// A sparse vector: feature positions (ascending) and values.
pub type Sparse = Vec<(u32, f32)>;

/// Known features: sorted keys and the idf of each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vocab {
    /// Sorted.
    pub keys: Vec<Key>,
    /// Same length as `keys`.
    pub idf: Vec<f32>,
}

/// Hashes a key that is already a hash by passing it through.
#[derive(Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by feature hashes.
pub type KeyMap<V> = HashMap<Key, V, BuildHasherDefault<PassThrough>>;

impl Vocab {
    /// The vocabulary of these documents' features.
    pub fn build(docs: &[Vec<Feature>]) -> Vocab {
        let mut df: KeyMap<u32> = KeyMap::default();
        for doc in docs {
            for f in doc {
                *df.entry(f.key).or_insert(0) += 1;
            }
        }
        let mut kept: Vec<(Key, u32)> = df.into_iter().filter(|(_, n)| *n >= MIN_DF).collect();
        if kept.len() > MAX_FEATURES {
            // The most common; ties by key, so the choice does not depend on map order.
            kept.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            kept.truncate(MAX_FEATURES);
        }
        kept.sort_unstable_by_key(|(k, _)| *k);
        let n = docs.len() as f32;
        Vocab {
            keys: kept.iter().map(|(k, _)| *k).collect(),
            idf: kept
                .iter()
                .map(|(_, d)| ((1.0 + n) / (1.0 + *d as f32)).ln() + 1.0)
                .collect(),
        }
    }

    /// How many features.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The unit-length TF-IDF vector of a ticket's features (unknown ones left out).
    pub fn vector(&self, doc: &[Feature]) -> Sparse {
        let mut out: Sparse = Vec::with_capacity(doc.len());
        for f in doc {
            if let Ok(i) = self.keys.binary_search(&f.key) {
                let idf = self.idf.get(i).copied().unwrap_or(1.0);
                out.push((i as u32, f.weight * (1.0 + f.count.ln()) * idf));
            }
        }
        let norm = out.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, x) in &mut out {
                *x /= norm;
            }
        }
        out
    }
}
