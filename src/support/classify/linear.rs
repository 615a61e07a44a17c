//! Linear models over TF-IDF vectors, trained by stochastic gradient descent with L2
//! regularization: a softmax over the types (one per ticket), and one logistic model per
//! label (any number per ticket). Both give probabilities, so a threshold of 0.6 means
//! about what it says. Training order comes from a fixed-seed shuffle: the same tickets
//! give the same model.

use super::codec::{Reader, Writer};
use super::vocab::Sparse;

/// How the outputs relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Exactly one output per example; probabilities sum to 1.
    Softmax,
    /// Each output on its own (yes or no).
    Logistic,
}

/// How to train.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    /// L2 strength.
    pub alpha: f32,
    /// Passes over the data.
    pub epochs: usize,
}

/// Weights, feature-major: `w[feature * outputs + output]`, and a bias per output.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Linear {
    /// How many outputs.
    pub outputs: usize,
    /// Feature-major weights.
    pub w: Vec<f32>,
    /// Bias per output.
    pub bias: Vec<f32>,
    /// Divides the scores before the link (a temperature fitted after training).
    pub temperature: f32,
}

/// A small xorshift generator for the shuffle (fixed seed).
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

impl Linear {
    /// Trains on `xs` with the outputs `ys` that are on for each example, over
    /// `features` features.
    pub fn train(
        xs: &[&Sparse],
        ys: &[Vec<usize>],
        features: usize,
        outputs: usize,
        link: Link,
        s: Schedule,
    ) -> Linear {
        let mut m = Linear {
            outputs,
            w: vec![0.0; features * outputs],
            bias: vec![0.0; outputs],
            temperature: 1.0,
        };
        if outputs == 0 || xs.is_empty() {
            return m;
        }
        // Weights are `scale * w`, so the L2 decay of every weight is one multiplication.
        let mut scale = 1.0f64;
        let alpha = f64::from(s.alpha);
        // Bottou's "optimal" rate 1 / (alpha (t + t0)), t0 so the first step is about 1.
        let t0 = 1.0 / alpha;
        let mut t = 0.0f64;
        let mut order: Vec<usize> = (0..xs.len()).collect();
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        let mut scores = vec![0.0f32; outputs];
        let mut grad = vec![0.0f32; outputs];
        for _ in 0..s.epochs {
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
            for &i in &order {
                let (Some(x), Some(y)) = (xs.get(i), ys.get(i)) else {
                    continue;
                };
                let eta = 1.0 / (alpha * (t0 + t));
                t += 1.0;
                m.scores_into(x, scale as f32, &mut scores);
                gradient(&scores, y, link, &mut grad);
                scale *= 1.0 - eta * alpha;
                let step = (eta / scale) as f32;
                for &(f, v) in x.iter() {
                    let row = f as usize * outputs;
                    if let Some(ws) = m.w.get_mut(row..row + outputs) {
                        for (w, g) in ws.iter_mut().zip(&grad) {
                            *w -= step * g * v;
                        }
                    }
                }
                for (b, g) in m.bias.iter_mut().zip(&grad) {
                    *b -= (eta as f32) * g * 0.1;
                }
                if scale < 1e-6 {
                    m.rescale(scale as f32);
                    scale = 1.0;
                }
            }
        }
        m.rescale(scale as f32);
        m
    }

    /// Appends the model to a saved model.
    pub fn write(&self, w: &mut Writer) {
        w.len(self.outputs);
        w.floats(&self.w);
        w.floats(&self.bias);
        w.floats(&[self.temperature]);
    }

    /// Reads what [`Linear::write`] wrote.
    pub fn read(r: &mut Reader<'_>) -> Option<Linear> {
        Some(Linear {
            outputs: r.len(0)?,
            w: r.floats()?,
            bias: r.floats()?,
            temperature: *r.floats()?.first()?,
        })
    }

    /// Multiplies the weights into place.
    fn rescale(&mut self, scale: f32) {
        for w in &mut self.w {
            *w *= scale;
        }
    }

    /// Raw scores of a vector, the weights multiplied by `scale`.
    fn scores_into(&self, x: &Sparse, scale: f32, out: &mut [f32]) {
        out.fill(0.0);
        let k = self.outputs;
        for &(f, v) in x {
            let row = f as usize * k;
            if let Some(ws) = self.w.get(row..row + k) {
                for (o, w) in out.iter_mut().zip(ws) {
                    *o += w * v;
                }
            }
        }
        for (o, b) in out.iter_mut().zip(&self.bias) {
            *o = *o * scale + b;
        }
    }

    /// The raw scores of a vector.
    pub fn scores(&self, x: &Sparse) -> Vec<f32> {
        let mut out = vec![0.0; self.outputs];
        self.scores_into(x, 1.0, &mut out);
        out
    }

    /// The probability of each output.
    pub fn probabilities(&self, x: &Sparse, link: Link) -> Vec<f32> {
        let scores: Vec<f32> = self
            .scores(x)
            .into_iter()
            .map(|s| s / self.temperature.max(1e-3))
            .collect();
        squash(&scores, link)
    }
}

/// Scores to probabilities.
pub fn squash(scores: &[f32], link: Link) -> Vec<f32> {
    let mut out = vec![0.0; scores.len()];
    squash_into(scores, link, &mut out);
    out
}

/// [`squash`] into a buffer of the same length.
fn squash_into(scores: &[f32], link: Link, out: &mut [f32]) {
    match link {
        Link::Logistic => {
            for (o, s) in out.iter_mut().zip(scores) {
                *o = sigmoid(*s);
            }
        }
        Link::Softmax => {
            let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let mut sum = 0.0;
            for (o, s) in out.iter_mut().zip(scores) {
                *o = (s - max).exp();
                sum += *o;
            }
            for o in out.iter_mut() {
                *o /= sum.max(f32::MIN_POSITIVE);
            }
        }
    }
}

fn sigmoid(s: f32) -> f32 {
    1.0 / (1.0 + (-s).exp())
}

/// The log-loss gradient with respect to each score.
fn gradient(scores: &[f32], on: &[usize], link: Link, out: &mut [f32]) {
    squash_into(scores, link, out);
    for &i in on {
        if let Some(g) = out.get_mut(i) {
            *g -= 1.0;
        }
    }
}
