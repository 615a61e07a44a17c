//! KB articles of the generated desk: the real articles first (shuffled), then new ones
//! recombined from their paragraphs once the corpus runs out.

use std::collections::HashSet;

use crate::corpus::{Corpus, Doc, clip_chars, sentences};
use crate::rng::Rng;

/// One KB article.
#[derive(Debug, Clone)]
pub struct ArticlePlan {
    /// Page title.
    pub title: String,
    /// Unique file name.
    pub slug: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    /// First sentence, when short.
    pub description: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// published, draft, archived.
    pub status: &'static str,
    /// public, internal.
    pub audience: &'static str,
    /// Markdown body.
    pub body: String,
}

/// KB articles: real articles first (shuffled), recombined ones past the corpus size.
pub fn plan_articles(corpus: &Corpus, n: usize, rng: &mut Rng) -> Vec<ArticlePlan> {
    let mut order: Vec<usize> = (0..corpus.articles.len()).collect();
    rng.shuffle(&mut order);
    let mut used = HashSet::new();
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let doc = &corpus.articles[order[k % order.len()]];
        let body = if k < order.len() && !doc.paras.is_empty() {
            doc.paras.iter().take(12).cloned().collect::<Vec<_>>()
        } else {
            (0..rng.range(2, 5))
                .map(|_| rng.pick(&corpus.article_paras).clone())
                .collect()
        };
        out.push(article(doc, body, &mut used, rng));
    }
    out
}

/// One article's frontmatter values around a body.
fn article(doc: &Doc, body: Vec<String>, used: &mut HashSet<String>, rng: &mut Rng) -> ArticlePlan {
    const TAGS: &[&str] = &[
        "configuration",
        "install",
        "upgrade",
        "troubleshooting",
        "reference",
        "how-to",
        "email",
        "security",
        "performance",
        "templates",
        "content",
    ];
    let slug = unique_slug(&doc.title, used);
    let description = body
        .first()
        .and_then(|p| sentences(p).into_iter().next())
        .filter(|s| (20..=160).contains(&s.chars().count()));
    let day = crate::plan::START + rng.below(720) as i64 * 86_400;
    let mut tags: Vec<String> = Vec::new();
    for _ in 0..rng.range(1, 3) {
        let t = rng.pick(TAGS).to_string();
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    ArticlePlan {
        title: doc.title.clone(),
        slug,
        date: crate::format::date(day),
        description,
        tags,
        status: ["published", "draft", "archived"][rng.weighted(&[85, 10, 5])],
        audience: ["public", "internal"][rng.weighted(&[85, 15])],
        body: body.join("\n\n"),
    }
}

/// A lowercase ASCII slug of a title, made unique with `-2`, `-3`, ...
fn unique_slug(title: &str, used: &mut HashSet<String>) -> String {
    let mut base = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            base.push(c);
        } else if !base.is_empty() && !base.ends_with('-') {
            base.push('-');
        }
    }
    let mut base = clip_chars(base.trim_end_matches('-'), 60)
        .trim_end_matches('-')
        .to_string();
    if base.is_empty() {
        base = "article".into();
    }
    let mut slug = base.clone();
    let mut n = 2;
    while !used.insert(slug.clone()) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}
