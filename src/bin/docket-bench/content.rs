//! What a ticket says: a real report's title and paragraphs (or a sentence of one as
//! the title), its type, and the labels a support team would give it.

use crate::corpus::{Corpus, Doc, clip_chars};
use crate::rng::Rng;

/// Labels a support team would use; some are also derived from words in the title.
const LABELS: &[&str] = &[
    "login",
    "browser",
    "crash",
    "config",
    "backup",
    "data-loss",
    "api",
    "auth",
    "performance",
    "billing",
    "email",
    "docs",
    "install",
    "upgrade",
    "networking",
    "storage",
    "ui",
    "export",
    "import",
    "permissions",
];

/// Title words that imply a label.
const KEYWORD_LABELS: &[(&str, &str)] = &[
    ("hdfs", "hdfs"),
    ("yarn", "yarn"),
    ("mapreduce", "mapreduce"),
    ("s3", "s3"),
    ("kerberos", "security"),
    ("gmail", "email"),
    ("spreadsheet", "spreadsheets"),
    ("calendar", "calendar"),
    ("build", "build"),
    ("test", "tests"),
];

/// Title and body. Mostly a real report's title with its first paragraphs; else a
/// short sentence of any report as the title, over the paragraph it comes from, so
/// titles repeat less than the corpus would make them. Either way another report's
/// paragraph is sometimes appended (people paste more context).
pub fn ticket_text(corpus: &Corpus, doc: &Doc, rng: &mut Rng) -> (String, String) {
    let (title, mut paras): (&str, Vec<&str>) = if rng.chance(0.75) {
        let own = doc.paras.len().min(rng.range(1, 3));
        let paras = doc.paras[..own].iter().map(String::as_str).collect();
        (doc.title.as_str(), paras)
    } else {
        let (sentence, para) = rng.pick(&corpus.title_sentences);
        (sentence.as_str(), vec![corpus.ticket_paras[*para].as_str()])
    };
    if paras.is_empty() || rng.chance(0.3) {
        paras.push(rng.pick(&corpus.ticket_paras).as_str());
    }
    let title: String = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (clip_chars(&title, 150), paras.join("\n\n"))
}

/// The ticket's type: mostly what its source reads like.
pub fn kind(hint: &str, rng: &mut Rng) -> &'static str {
    let roll = rng.below(100);
    match (hint, roll) {
        ("question", 0..80) => "question",
        ("question", 80..90) => "feature",
        ("bug", 0..70) => "bug",
        ("bug", 70..80) => "incident",
        ("bug", 80..90) => "task",
        (_, 90..95) => "bug",
        _ => "feature",
    }
}

/// Labels from title keywords plus zero to two general ones.
pub fn labels(title: &str, rng: &mut Rng) -> Vec<String> {
    let lower = title.to_lowercase();
    let mut out: Vec<String> = KEYWORD_LABELS
        .iter()
        .filter(|(word, _)| {
            lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == *word)
        })
        .map(|(_, label)| label.to_string())
        .collect();
    for _ in 0..rng.weighted(&[30, 50, 20]) {
        let l = rng.pick(LABELS).to_string();
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}
