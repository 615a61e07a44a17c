//! `docket-bench gen`: writes a plan as a docket repository (the layout of
//! `fixtures/demo/config.yaml`, the file formats of `fixtures/valid/`) and commits it
//! with the git CLI in a few large commits, streamed through `git fast-import` so the
//! history lands in one pack, as in a cloned repository.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::git::Commit;
use crate::plan::{ArticlePlan, CommentPlan, Plan, TicketPlan};
use docket::doc::{Document, Mapping, Value};

/// The demo desk's configuration, copied into every generated repository.
const CONFIG: &str = include_str!("../../../fixtures/demo/config.yaml");

/// Tickets and their comment folders, as in the demo config.
const TICKETS: &str = "support/tickets";
/// KB articles, as in the demo config.
const KB: &str = "support/kb";
/// Customer records, as in the demo config.
const CUSTOMERS: &str = "support/customers";

/// Fixed commit date (2026-11-15T12:00:00Z), so the same seed gives the same commit ids.
const COMMIT_SECS: i64 = 1_794_744_000;

/// How many commits the tickets and comments are spread over.
const TICKET_COMMITS: usize = 4;

/// Writes files, creating each folder once.
struct Writer {
    root: PathBuf,
    made: HashSet<PathBuf>,
    files: usize,
    bytes: usize,
}

impl Writer {
    /// A writer for the work tree at `root`.
    fn new(root: &Path) -> Writer {
        Writer {
            root: root.to_path_buf(),
            made: HashSet::new(),
            files: 0,
            bytes: 0,
        }
    }

    /// Writes `text` at the repository-relative path `rel`.
    fn write(&mut self, rel: &str, text: &str) -> Result<(), String> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent()
            && !self.made.contains(dir)
        {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            self.made.insert(dir.to_path_buf());
        }
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        self.files += 1;
        self.bytes += text.len();
        Ok(())
    }
}

/// Refuses to write into a folder that already has files, so a typo cannot clobber
/// a real repository.
pub fn ensure_empty(dir: &Path) -> Result<(), String> {
    match fs::read_dir(dir) {
        Ok(mut rd) => {
            if rd.next().is_some() {
                return Err(format!(
                    "{}: the folder is not empty (give a new folder)",
                    dir.display()
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
        }
        Err(e) => Err(format!("{}: {e}", dir.display())),
    }
}

/// Writes the docket repository and commits it; returns (files, bytes).
pub fn write_docket(plan: &Plan, dir: &Path) -> Result<(usize, usize), String> {
    ensure_empty(dir)?;
    crate::git::run(dir, &["init", "-q", "-b", "main"], &[])?;
    let commits = commits(plan)?;
    let t = Instant::now();
    let mut w = Writer::new(dir);
    for c in &commits {
        for (rel, text) in &c.files {
            w.write(rel, text)?;
        }
    }
    eprintln!("  files written: {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    crate::git::fast_import(dir, &commits, COMMIT_SECS)?;
    eprintln!(
        "  {} commits (git fast-import, git reset): {:.1} s",
        commits.len(),
        t.elapsed().as_secs_f64()
    );
    Ok((w.files, w.bytes))
}

/// The history: configuration and customers, then the KB, then the tickets with their
/// comments in a few commits of whole shard folders.
fn commits(plan: &Plan) -> Result<Vec<Commit>, String> {
    let mut setup = vec![(".docket/config.yaml".to_string(), CONFIG.to_string())];
    for c in &plan.customers {
        setup.push((format!("{CUSTOMERS}/{}.md", c.slug), c.text.to_string()));
    }
    let kb = plan
        .articles
        .iter()
        .map(|a| Ok((format!("{KB}/{}.md", a.slug), article_text(a)?)))
        .collect::<Result<_, String>>()?;
    let mut out = vec![
        Commit {
            message: "Set up docket: configuration and customers\n".into(),
            files: setup,
        },
        Commit {
            message: format!(
                "Import the knowledge base ({} articles)\n",
                plan.articles.len()
            ),
            files: kb,
        },
    ];
    out.extend(ticket_commits(plan)?);
    Ok(out)
}

/// Tickets and comments, grouped by shard folder into a few commits.
fn ticket_commits(plan: &Plan) -> Result<Vec<Commit>, String> {
    let mut by_shard: BTreeMap<&str, Vec<&TicketPlan>> = BTreeMap::new();
    for t in &plan.tickets {
        by_shard.entry(t.shard()).or_default().push(t);
    }
    let shards: Vec<&str> = by_shard.keys().copied().collect();
    if shards.is_empty() {
        return Ok(Vec::new());
    }
    let per = shards.len().div_ceil(TICKET_COMMITS);
    let chunks: Vec<&[&str]> = shards.chunks(per).collect();
    let n = chunks.len();
    chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let files = chunk
                .iter()
                .flat_map(|s| by_shard[s].iter().map(|t| ticket_files(t)))
                .collect::<Result<Vec<_>, String>>()?;
            Ok(Commit {
                message: format!(
                    "Import tickets and comments (part {} of {n}: folders {} to {})\n",
                    i + 1,
                    chunk.first().copied().unwrap_or_default(),
                    chunk.last().copied().unwrap_or_default()
                ),
                files: files.concat(),
            })
        })
        .collect()
}

/// A ticket's file and its comment files.
fn ticket_files(t: &TicketPlan) -> Result<Vec<(String, String)>, String> {
    let mut out = vec![(
        format!("{TICKETS}/{}/{}.md", t.shard(), t.id),
        ticket_text(t)?,
    )];
    for c in &t.comments {
        let rel = format!(
            "{TICKETS}/{}/{}/{}-{}-{}.md",
            t.shard(),
            t.id,
            stamp(c.created),
            c.author.file_handle(),
            c.suffix
        );
        out.push((rel, comment_text(c)?));
    }
    Ok(out)
}

/// A ticket file, keys in the order docket writes them.
pub fn ticket_text(t: &TicketPlan) -> Result<String, String> {
    file_text(
        &[
            ("id", text(&t.id)),
            ("title", text(&t.title)),
            ("status", text(t.status)),
            ("type", text(t.kind)),
            ("created", text(&time(t.created))),
            ("reporter", text(&t.reporter.address())),
            ("assignee", t.assignee.map_or(Value::Null, text)),
            ("customer", t.customer.map_or(Value::Null, text)),
            ("labels", list(&t.labels)),
            ("importance", t.importance.map_or(Value::Null, number)),
            ("urgency", t.urgency.map_or(Value::Null, number)),
            ("priority", t.priority.map_or(Value::Null, text)),
            ("links", links(t)),
            (
                "resolved",
                t.resolved.map_or(Value::Null, |r| text(&time(r))),
            ),
            ("resolution", t.resolution.map_or(Value::Null, text)),
        ],
        &t.body,
    )
}

/// The `links:` mapping (left out when empty).
fn links(t: &TicketPlan) -> Value {
    let mut m = Mapping::new();
    if let Some(d) = &t.duplicate_of {
        m.insert(text("duplicate_of"), text(d));
    }
    for (key, items) in [("relates", &t.relates), ("articles", &t.articles)] {
        if !items.is_empty() {
            m.insert(text(key), list(items));
        }
    }
    Value::Mapping(m)
}

/// A comment file.
pub fn comment_text(c: &CommentPlan) -> Result<String, String> {
    file_text(
        &[
            ("author", text(&c.author.address())),
            ("created", text(&time(c.created))),
            (
                "internal",
                if c.internal {
                    Value::Bool(true)
                } else {
                    Value::Null
                },
            ),
        ],
        &c.body,
    )
}

/// A KB article file, with the fields site generators read.
fn article_text(a: &ArticlePlan) -> Result<String, String> {
    file_text(
        &[
            ("title", text(&a.title)),
            ("slug", text(&a.slug)),
            ("date", text(&a.date)),
            (
                "description",
                a.description.as_deref().map_or(Value::Null, text),
            ),
            ("tags", list(&a.tags)),
            ("status", text(a.status)),
            ("audience", text(a.audience)),
        ],
        &a.body,
    )
}

/// A Markdown file as docket writes it (docket's own frontmatter renderer): the entries
/// in order, nulls and empty lists left out, then the trimmed body. An error names the
/// first entry (the ticket's id, the comment's author, the article's title).
pub fn file_text(entries: &[(&str, Value)], body: &str) -> Result<String, String> {
    Document::create(entries, body.trim())
        .map(|d| d.text().to_string())
        .map_err(|e| {
            let first = entries.first().map(|(_, v)| docket::doc::render_scalar(v));
            format!("generated file {}: {e}", first.unwrap_or_default())
        })
}

/// A string value.
pub fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

fn number(n: u8) -> Value {
    Value::Number(u64::from(n).into())
}

fn list(items: &[String]) -> Value {
    Value::Sequence(items.iter().map(|i| text(i)).collect())
}

/// RFC 3339 in UTC to the second, as docket writes times.
pub fn time(secs: i64) -> String {
    docket::model::format_time(timestamp(secs))
}

/// `YYYYMMDDTHHMMSSZ`, the stamp that starts a comment's file name.
pub fn stamp(secs: i64) -> String {
    fmt(secs, "%Y%m%dT%H%M%SZ")
}

/// `YYYY-MM-DD`.
pub fn date(secs: i64) -> String {
    fmt(secs, "%Y-%m-%d")
}

/// Formats seconds since the epoch in UTC.
pub fn fmt(secs: i64, format: &str) -> String {
    timestamp(secs).strftime(format).to_string()
}

fn timestamp(secs: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(secs).expect("generated times lie between 2025 and 2027")
}
