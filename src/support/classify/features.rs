//! What the classifier sees of a ticket: hashed features of its words and of its
//! shape. Title words are kept apart from body words (a title says more per word);
//! Markdown headings of an issue template count as whole phrases, with the short answer
//! under each (`### Issue type` / `Bug`); code blocks and stack traces become flags
//! instead of words, so pasted logs do not drown the prose. Hashes are FNV-1a, fixed
//! across versions and platforms, so a saved model reads the same features back.

/// A feature's key: a 64-bit hash of its namespace and text.
pub type Key = u64;

/// Feature namespaces, the first byte of every hash (so `t:crash` and `b:crash` differ).
mod ns {
    pub const TITLE: u8 = b't';
    pub const TITLE_PAIR: u8 = b'T';
    pub const TITLE_CHARS: u8 = b'c';
    pub const BODY: u8 = b'b';
    pub const BODY_PAIR: u8 = b'B';
    pub const HEADING: u8 = b'h';
    pub const ANSWER: u8 = b'a';
    pub const SHAPE: u8 = b's';
    pub const CODE: u8 = b'k';
}

/// How much each namespace counts, relative to a body word (0: left out).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Title words and word pairs.
    pub title: f32,
    /// Character n-grams of the title.
    pub title_chars: f32,
    /// Body words and word pairs (outside code).
    pub body: f32,
    /// Headings and the answers under them.
    pub heading: f32,
    /// Shape flags (code, stack trace, question marks, length).
    pub shape: f32,
    /// Words inside code blocks and indented code.
    pub code: f32,
}

impl Weights {
    /// Everything, as measured best on the issue-types set (see BENCHMARKS.md): template
    /// headings count three times a body word, code words a third of one.
    pub const STRUCTURED: Weights = Weights {
        title: 1.0,
        title_chars: 0.5,
        body: 1.0,
        heading: 3.0,
        shape: 1.0,
        code: 0.3,
    };

    /// A plain bag of words: title and body words and pairs, nothing of the shape
    /// (the baseline).
    pub const WORDS: Weights = Weights {
        title: 1.0,
        title_chars: 0.0,
        body: 1.0,
        heading: 0.0,
        shape: 0.0,
        code: 0.0,
    };
}

use super::shape::Shape;

/// 64-bit FNV-1a over a namespace byte and some bytes.
fn fnv(ns: u8, parts: &[&[u8]]) -> Key {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    h = (h ^ u64::from(ns)).wrapping_mul(PRIME);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h = (h ^ 0x1f).wrapping_mul(PRIME);
        }
        for b in *p {
            h = (h ^ u64::from(*b)).wrapping_mul(PRIME);
        }
    }
    h
}

/// The words of a text, lower case: runs of letters and digits (numbers become `0`, so
/// versions and line numbers share one word); very long runs (hashes, base64) are
/// dropped.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for run in text.split(|c: char| !c.is_alphanumeric()) {
        if run.is_empty() || run.len() > 30 {
            continue;
        }
        if run.chars().all(|c| c.is_ascii_digit()) {
            out.push("0".to_string());
        } else {
            out.push(run.to_lowercase());
        }
    }
    out
}

/// One feature of a ticket: its key, how often it occurs and how much its namespace
/// counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Feature {
    /// The hash.
    pub key: Key,
    /// Occurrences.
    pub count: f32,
    /// The namespace's weight.
    pub weight: f32,
}

/// The hashed features of a ticket, counted per key, sorted by key.
pub fn extract(title: &str, body: &str, w: &Weights) -> Vec<Feature> {
    let mut out: Vec<(Key, f32)> = Vec::with_capacity(256);
    let title_words = words(title);
    push_words(&mut out, &title_words, ns::TITLE, ns::TITLE_PAIR, w.title);
    if w.heading == 0.0 && w.shape == 0.0 && w.code == 0.0 {
        push_words(&mut out, &words(body), ns::BODY, ns::BODY_PAIR, w.body);
        return merge(out);
    }
    if w.title_chars > 0.0 {
        title_chars(&mut out, &title_words, w.title_chars);
    }

    let shape = Shape::of(body);
    let prose_words = words(&shape.prose);
    push_words(&mut out, &prose_words, ns::BODY, ns::BODY_PAIR, w.body);
    if w.code > 0.0 {
        for word in words(&shape.code) {
            out.push((fnv(ns::CODE, &[word.as_bytes()]), w.code));
        }
    }
    for (heading, answer) in shape.headings.iter().filter(|_| w.heading > 0.0) {
        let hw = words(heading).join(" ");
        if hw.is_empty() {
            continue;
        }
        out.push((fnv(ns::HEADING, &[hw.as_bytes()]), w.heading));
        if let Some(a) = answer {
            let aw = words(a).join(" ");
            out.push((fnv(ns::ANSWER, &[hw.as_bytes(), aw.as_bytes()]), w.heading));
        }
    }
    if w.shape > 0.0 {
        for f in shape.flags(title, prose_words.len()) {
            out.push((fnv(ns::SHAPE, &[f.as_bytes()]), w.shape));
        }
    }
    merge(out)
}

/// Counts equal keys (a key always comes with its namespace's weight); sorted by key.
fn merge(mut v: Vec<(Key, f32)>) -> Vec<Feature> {
    v.sort_unstable_by_key(|(k, _)| *k);
    let mut out: Vec<Feature> = Vec::with_capacity(v.len());
    for (key, weight) in v {
        match out.last_mut() {
            Some(f) if f.key == key => f.count += 1.0,
            _ => out.push(Feature {
                key,
                count: 1.0,
                weight,
            }),
        }
    }
    out
}

/// Each word and each pair of neighbours.
fn push_words(out: &mut Vec<(Key, f32)>, words: &[String], one: u8, two: u8, weight: f32) {
    for word in words {
        out.push((fnv(one, &[word.as_bytes()]), weight));
    }
    for pair in words.windows(2) {
        if let [a, b] = pair {
            out.push((fnv(two, &[a.as_bytes(), b.as_bytes()]), weight));
        }
    }
}

/// Character 3- to 5-grams of each title word, padded with a space each side (`[bug`
/// and `bug]` become ` bug `), which catches prefixes and word stems.
fn title_chars(out: &mut Vec<(Key, f32)>, words: &[String], weight: f32) {
    for word in words {
        let padded: Vec<char> = std::iter::once(' ')
            .chain(word.chars())
            .chain(std::iter::once(' '))
            .collect();
        let mut buf = String::new();
        for n in 3..=5 {
            for gram in padded.windows(n) {
                buf.clear();
                buf.extend(gram);
                out.push((fnv(ns::TITLE_CHARS, &[buf.as_bytes()]), weight));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_merged_sorted_and_namespaced() {
        let f = extract("Crash crash", "crash", &Weights::STRUCTURED);
        assert!(f.windows(2).all(|w| w[0].key < w[1].key));
        let title = fnv(ns::TITLE, &[b"crash"]);
        let body = fnv(ns::BODY, &[b"crash"]);
        let get = |k| f.iter().find(|x| x.key == k).map(|x| x.count);
        assert_eq!(get(title), Some(2.0));
        assert_eq!(get(body), Some(1.0));
        assert_eq!(words("v1.2 Ünïcode x"), ["v1", "0", "ünïcode", "x"]);
    }
}
