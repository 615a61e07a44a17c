//! The one source of randomness in docket: the random part of ticket and article ids and
//! the suffix of comment file names. It draws from the operating system, or, given a seed
//! (`DOCKET_SEED`, as jj's `JJ_RANDOMNESS_SEED`), from a ChaCha stream keyed by the seed
//! and by bytes of repository state the caller passes (HEAD's id), so that the same
//! commands on the same repository draw the same values, while a later command, with
//! HEAD moved on, draws new ones. A leaf: it uses no other docket module.
//!
//! A seeded stream does not make ids unique by itself (with `--no-commit` HEAD stays put
//! and two processes with one seed draw alike): callers keep checking a drawn name
//! against the files that exist and draw again on a clash.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// A random stream for one operation.
pub struct Random {
    rng: ChaCha8Rng,
}

impl Random {
    /// The stream for one operation: keyed by `seed` and `state` when there is a seed,
    /// from the operating system otherwise (which can fail, say in a sandbox without
    /// `getrandom`).
    pub fn new(seed: Option<u64>, state: &[u8]) -> Result<Random, getrandom::Error> {
        let mut key = [0u8; 32];
        match seed {
            Some(seed) => {
                key[..8].copy_from_slice(&seed.to_le_bytes());
                for (i, b) in state.iter().enumerate() {
                    key[8 + i % 24] ^= b;
                }
            }
            None => getrandom::fill(&mut key)?,
        }
        Ok(Random {
            rng: ChaCha8Rng::from_seed(key),
        })
    }

    /// `N` random bytes.
    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        self.rng.fill_bytes(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_seed_and_state_draw_the_same_stream() {
        let mut a = Random::new(Some(7), b"head").expect("seeded");
        let mut b = Random::new(Some(7), b"head").expect("seeded");
        assert_eq!(a.bytes::<16>(), b.bytes::<16>());
        assert_eq!(a.bytes::<4>(), b.bytes::<4>());
    }

    #[test]
    fn another_state_or_seed_draws_another_stream() {
        let first = Random::new(Some(7), b"head-1")
            .expect("seeded")
            .bytes::<10>();
        let moved = Random::new(Some(7), b"head-2")
            .expect("seeded")
            .bytes::<10>();
        let other_seed = Random::new(Some(8), b"head-1")
            .expect("seeded")
            .bytes::<10>();
        assert_ne!(first, moved);
        assert_ne!(first, other_seed);
    }

    #[test]
    fn the_system_source_draws() {
        let mut r = Random::new(None, b"").expect("os randomness");
        assert_ne!(r.bytes::<16>(), r.bytes::<16>());
    }

    #[test]
    fn successive_draws_differ() {
        let mut r = Random::new(Some(0), b"").expect("seeded");
        assert_ne!(r.bytes::<10>(), r.bytes::<10>());
    }
}
