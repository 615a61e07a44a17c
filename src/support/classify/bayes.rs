//! Complement naive Bayes over TF-IDF vectors (Rennie et al. 2003): each class is scored
//! by how unlike the other classes a ticket's words are, which holds up better than
//! plain multinomial Bayes when classes differ in size. One pass over the data; its
//! scores become probabilities through a softmax whose temperature is the one that
//! fits the training tickets best.

use super::linear::{Link, squash};
use super::vocab::Sparse;

/// Smoothing added to every feature count.
const SMOOTHING: f32 = 0.3;

/// Per-class weights, feature-major: `w[feature * classes + class]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bayes {
    /// How many classes.
    pub classes: usize,
    /// Feature-major weights (higher: more like the class).
    pub w: Vec<f32>,
    /// Divides the scores before the softmax.
    pub temperature: f32,
}

impl Bayes {
    /// Trains on vectors with one class each.
    pub fn train(xs: &[&Sparse], ys: &[usize], features: usize, classes: usize) -> Bayes {
        let mut counts = vec![0.0f64; features * classes];
        for (x, &y) in xs.iter().zip(ys) {
            for &(f, v) in x.iter() {
                if let Some(c) = counts.get_mut(f as usize * classes + y) {
                    *c += f64::from(v);
                }
            }
        }
        let k = classes.max(1);
        let per_feature: Vec<f64> = counts.chunks_exact(k).map(|row| row.iter().sum()).collect();
        let mut per_class = vec![0.0f64; classes];
        for row in counts.chunks_exact(k) {
            for (total, n) in per_class.iter_mut().zip(row) {
                *total += n;
            }
        }
        let total: f64 = per_class.iter().sum();
        let smooth = f64::from(SMOOTHING);
        // Complement weights -log P(f | not c), then scaled to unit L1 per class.
        let mut w: Vec<f64> = Vec::with_capacity(features * classes);
        for (row, all) in counts.chunks_exact(k).zip(&per_feature) {
            for (n, in_class) in row.iter().zip(&per_class) {
                let comp = all - n + smooth;
                let comp_total = total - in_class + smooth * features as f64;
                w.push((comp / comp_total).ln());
            }
        }
        let mut norms = vec![0.0f64; classes];
        for row in w.chunks_exact(k) {
            for (norm, lw) in norms.iter_mut().zip(row) {
                *norm += lw.abs();
            }
        }
        let w: Vec<f32> = w
            .chunks_exact(k)
            .flat_map(|row| {
                row.iter()
                    .zip(&norms)
                    .map(|(lw, n)| -(lw / n.max(f64::MIN_POSITIVE)) as f32)
            })
            .collect();
        let mut m = Bayes {
            classes,
            w,
            temperature: 1.0,
        };
        m.temperature = m.fitted_temperature(xs, ys);
        m
    }

    /// The temperature (of 1e-6 to 1, in steps of a factor 1.5) with the least log loss
    /// on the training vectors.
    fn fitted_temperature(&self, xs: &[&Sparse], ys: &[usize]) -> f32 {
        let scores: Vec<Vec<f32>> = xs.iter().map(|x| self.scores(x)).collect();
        let loss = |t: f32| -> f64 {
            scores
                .iter()
                .zip(ys)
                .map(|(s, &y)| {
                    let s: Vec<f32> = s.iter().map(|v| v / t).collect();
                    let p = squash(&s, Link::Softmax).get(y).copied().unwrap_or(0.0);
                    -f64::from(p.max(1e-9)).ln()
                })
                .sum()
        };
        let mut best = (f64::INFINITY, 1.0f32);
        let mut t = 1e-6f32;
        while t <= 1.0 {
            let l = loss(t);
            if l < best.0 {
                best = (l, t);
            }
            t *= 1.5;
        }
        best.1
    }

    /// The probability of each class.
    pub fn probabilities(&self, x: &Sparse) -> Vec<f32> {
        let s: Vec<f32> = self
            .scores(x)
            .iter()
            .map(|v| v / self.temperature.max(1e-9))
            .collect();
        squash(&s, Link::Softmax)
    }

    /// Raw scores of a vector (higher: more likely).
    pub fn scores(&self, x: &Sparse) -> Vec<f32> {
        let k = self.classes;
        let mut out = vec![0.0f32; k];
        for &(f, v) in x {
            let row = f as usize * k;
            if let Some(ws) = self.w.get(row..row + k) {
                for (o, w) in out.iter_mut().zip(ws) {
                    *o += w * v;
                }
            }
        }
        out
    }
}
