//! Real prose to build tickets, comments and articles from: the StackFAQ tickets and
//! answers, the Hadoop bug reports and the Hugo documentation under `--corpus`. Files
//! are read once, split into paragraphs (never inside a code fence) and sentences, and
//! recombined by the generator so it can make more documents than the corpus has.

use std::fs;
use std::path::{Path, PathBuf};

/// One source document: its title and its body's paragraphs.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The title from its frontmatter.
    pub title: String,
    /// Body paragraphs, trimmed, in order.
    pub paras: Vec<String>,
    /// What kind of ticket it reads like (`question` for StackFAQ, `bug` for Hadoop).
    pub kind: &'static str,
}

/// Everything the generator draws text from.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Support questions and bug reports (StackFAQ tickets, Hadoop reports).
    pub tickets: Vec<Doc>,
    /// Paragraphs of every ticket body, for recombined descriptions and follow-ups.
    pub ticket_paras: Vec<String>,
    /// Answer paragraphs (StackFAQ answers): the voice of a support reply.
    pub answer_paras: Vec<String>,
    /// Articles (StackFAQ threads, Hugo documentation pages).
    pub articles: Vec<Doc>,
    /// Paragraphs of every article, for recombined articles past the corpus size.
    pub article_paras: Vec<String>,
    /// Sentences short enough to be a ticket title, with the index (in
    /// `ticket_paras`) of the paragraph they come from.
    pub title_sentences: Vec<(String, usize)>,
}

/// Paragraphs longer than this (whole log dumps) are left out.
const MAX_PARA: usize = 3000;

impl Corpus {
    /// Reads the corpus folders under `root` (the shared folder).
    pub fn load(root: &Path) -> Result<Corpus, String> {
        let stackfaq_tickets = read_docs(&root.join("eval/stackfaq/tickets"), false, "question")?;
        let hadoop = read_docs(&root.join("eval/hadoop/tickets"), false, "bug")?;
        let stackfaq_kb = read_docs(&root.join("eval/stackfaq/kb"), false, "article")?;
        let hugo = read_docs(&root.join("corpora/hugo-docs/content"), true, "article")?;
        let mut c = Corpus::default();
        c.tickets.extend(stackfaq_tickets);
        c.tickets.extend(hadoop);
        c.ticket_paras = c.tickets.iter().flat_map(|d| d.paras.clone()).collect();
        c.answer_paras = stackfaq_kb.iter().flat_map(|d| d.paras.clone()).collect();
        c.articles.extend(stackfaq_kb);
        c.articles.extend(hugo);
        c.article_paras = c.articles.iter().flat_map(|d| d.paras.clone()).collect();
        c.title_sentences = c
            .ticket_paras
            .iter()
            .enumerate()
            .flat_map(|(i, p)| sentences(p).into_iter().map(move |s| (s, i)))
            .filter(|(s, _)| is_title_like(s))
            .collect();
        c.check()?;
        Ok(c)
    }

    /// Refuses a corpus the generator cannot draw from.
    fn check(&self) -> Result<(), String> {
        for (what, n) in [
            ("ticket paragraphs", self.ticket_paras.len()),
            ("answer paragraphs", self.answer_paras.len()),
            ("article paragraphs", self.article_paras.len()),
            ("title-like sentences", self.title_sentences.len()),
        ] {
            if n == 0 {
                return Err(format!("the corpus has no {what}"));
            }
        }
        Ok(())
    }
}

/// Reads every `.md` file of a folder (recursively for a docs tree), sorted by path so
/// the output depends on the seed alone.
fn read_docs(dir: &Path, recursive: bool, kind: &'static str) -> Result<Vec<Doc>, String> {
    let mut paths = Vec::new();
    collect_md(dir, recursive, &mut paths)?;
    paths.sort();
    let mut docs = Vec::new();
    for path in paths {
        if path.file_name().is_some_and(|n| n == "SOURCE.md") {
            continue;
        }
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("warning: {}: {e} (skipped)", path.display());
                continue;
            }
        };
        if let Some(doc) = parse_doc(&strip_controls(&text), kind) {
            docs.push(doc);
        }
    }
    if docs.is_empty() {
        return Err(format!(
            "{}: no Markdown files with a title (give the shared folder with --corpus)",
            dir.display()
        ));
    }
    Ok(docs)
}

/// The `.md` files in `dir`.
fn collect_md(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let rd = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in rd {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if kind.is_dir() && recursive {
            collect_md(&path, true, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|x| x == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// The text without control characters other than newline and tab: a few reports
/// carry stray ones (a title written as `"\bPotenail NPE ..."`), which YAML forbids
/// raw in quoted scalars. Applied to the raw file and again to decoded titles.
fn strip_controls(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// Title and paragraphs of a Markdown file with YAML frontmatter; `None` without a title.
fn parse_doc(text: &str, kind: &'static str) -> Option<Doc> {
    let doc = docket::doc::Document::parse(text.as_bytes()).ok()?;
    let decoded = doc
        .get(&["title"])?
        .as_str()?
        .replace(['\n', '\r', '\t'], " ");
    let title = strip_controls(&decoded).trim().to_string();
    if title.is_empty() {
        return None;
    }
    let paras = paragraphs(doc.body());
    Some(Doc { title, paras, kind })
}

/// Splits Markdown at blank lines, keeping fenced code blocks whole, and drops what
/// is not prose: section markers like `## Answer 2`, shortcode-only blocks, log dumps.
pub fn paragraphs(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_fence = false;
    for line in body.lines() {
        if is_fence(line) {
            in_fence = !in_fence;
        }
        if line.trim().is_empty() && !in_fence {
            push_para(&mut out, &mut current);
        } else {
            current.push_str(line.trim_end());
            current.push('\n');
        }
    }
    push_para(&mut out, &mut current);
    out
}

/// Whether a line opens or closes a code block: a Markdown fence, or an odd number of
/// Jira's `{code}` / `{noformat}` markers (the Hadoop reports use them).
fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    let jira = line.matches("{code").count() + line.matches("{noformat}").count();
    t.starts_with("```") || t.starts_with("~~~") || jira % 2 == 1
}

/// Keeps `current` as a paragraph when it reads as prose, then clears it.
fn push_para(out: &mut Vec<String>, current: &mut String) {
    let p = current.trim().to_string();
    current.clear();
    let unbalanced = p.lines().filter(|l| is_fence(l)).count() % 2 == 1;
    let markup_only = p.starts_with("## Answer") || p.starts_with("{{") || p.starts_with('<');
    let has_fence_line = p.lines().any(|l| l.trim() == "---");
    if p.is_empty() || p.len() > MAX_PARA || unbalanced || markup_only || has_fence_line {
        return;
    }
    out.push(p);
}

/// Sentences of a one-line-or-more paragraph (prose only, not code).
pub fn sentences(p: &str) -> Vec<String> {
    if p.starts_with("```") || p.starts_with("    ") {
        return Vec::new();
    }
    let flat = p.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = flat.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let at_end = i + 1 == bytes.len();
        if matches!(b, b'.' | b'?' | b'!') && (at_end || bytes[i + 1] == b' ') {
            out.push(flat[start..=i].trim().to_string());
            start = i + 1;
        }
    }
    if start < flat.len() {
        out.push(flat[start..].trim().to_string());
    }
    out.retain(|s| !s.is_empty());
    out
}

/// A sentence that could be a ticket title: one short line starting with a capital,
/// no markup.
fn is_title_like(s: &str) -> bool {
    (25..=90).contains(&s.chars().count())
        && s.chars().next().is_some_and(char::is_uppercase)
        && !s.contains(['`', '{', '}', '[', ']', '<', '>', '|', '*', '#', '\\'])
        && !s.contains("http")
}

/// At most `n` characters, cut at a word boundary when one is near.
pub fn clip_chars(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let cut: String = s.chars().take(n).collect();
    match cut.rfind(' ') {
        Some(i) if i > n / 2 => cut[..i].trim_end().to_string(),
        _ => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_stay_whole() {
        let ps = paragraphs("One.\n\n```\na\n\nb\n```\n\nTwo.\n");
        assert_eq!(ps, vec!["One.", "```\na\n\nb\n```", "Two."]);
        let ps = paragraphs("See:\n{code:java}\nx();\n\ny();\n{code}\n\nDone.");
        assert_eq!(ps, vec!["See:\n{code:java}\nx();\n\ny();\n{code}", "Done."]);
    }

    #[test]
    fn sentences_split_at_stops() {
        assert_eq!(
            sentences("It fails. Why?  Version 2.4 too"),
            vec!["It fails.", "Why?", "Version 2.4 too"]
        );
    }
}
