//! `docket-bench gen`: writes a plan as a docket repository (the layout of
//! `fixtures/demo/config.yaml`, the file formats of `fixtures/valid/` and of
//! `schema/event.schema.json` and `schema/rating.schema.json`) and commits it
//! with the git CLI in a few large commits, streamed through `git fast-import` so the
//! history lands in one pack, as in a cloned repository.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use crate::articles::ArticlePlan;
use crate::git::Commit;
use crate::people::Person;
use crate::plan::{Plan, TicketPlan};
use crate::timeline::{CommentPlan, EventPlan, RatingPlan};
use docket::doc::{Document, Mapping, Value};

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
    let t = Instant::now();
    let commits = commits(plan)?;
    eprintln!("  files rendered: {:.1} s", t.elapsed().as_secs_f64());
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
    let mut setup = vec![(
        ".docket/config.yaml".to_string(),
        crate::policy::config_text(),
    )];
    for c in &plan.customers {
        let text = crate::customers::customer_text(c)?;
        setup.push((format!("{CUSTOMERS}/{}.md", c.slug), text));
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

/// A ticket's file and its timeline's files (comments, events, the rating).
fn ticket_files(t: &TicketPlan) -> Result<Vec<(String, String)>, String> {
    let mut out = vec![(
        format!("{TICKETS}/{}/{}.md", t.shard(), t.id),
        ticket_text(t)?,
    )];
    let rel = |at: i64, ms: u16, who: &Person, suffix: &str| {
        format!(
            "{TICKETS}/{}/{}/{}-{}-{suffix}.md",
            t.shard(),
            t.id,
            stamp_ms(at, ms),
            who.file_handle(),
        )
    };
    for c in &t.comments {
        out.push((rel(c.created, c.ms, &c.author, &c.suffix), comment_text(c)?));
    }
    for e in &t.events {
        out.push((rel(e.created, e.ms, &e.author, &e.suffix), event_text(e)?));
    }
    if let Some(r) = &t.rating {
        out.push((rel(r.created, r.ms, &r.author, &r.suffix), rating_text(r)?));
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
            ("customer", t.customer.as_deref().map_or(Value::Null, text)),
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

/// An event file: who changed what, from and to; no body.
pub fn event_text(e: &EventPlan) -> Result<String, String> {
    let value = |v: &Option<String>| v.as_deref().map_or(Value::Null, text);
    file_text(
        &[
            ("author", text(&e.author.address())),
            ("created", text(&time(e.created))),
            ("event", text(e.kind)),
            ("from", value(&e.from)),
            ("to", value(&e.to)),
        ],
        "",
    )
}

/// A CSAT rating file: the customer's score, and their words as the body.
pub fn rating_text(r: &RatingPlan) -> Result<String, String> {
    file_text(
        &[
            ("author", text(&r.author.address())),
            ("created", text(&time(r.created))),
            ("rating", number(r.rating)),
            (
                "recorded_by",
                r.recorded_by
                    .as_ref()
                    .map_or(Value::Null, |p| text(&p.address())),
            ),
        ],
        &r.body,
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
    if entries
        .iter()
        .all(|(_, v)| !matches!(v, Value::Sequence(_) | Value::Mapping(_)))
    {
        return Ok(scalar_file_text(entries, body.trim()));
    }
    Document::create(entries, body.trim())
        .map(|d| d.text().to_string())
        .map_err(|e| {
            let first = entries.first().map(|(_, v)| docket::doc::render_scalar(v));
            format!("generated file {}: {e}", first.unwrap_or_default())
        })
}

/// What `Document::create` writes for entries that are all scalars (`key: value` lines,
/// nulls left out), without parsing the text back: the comment, event and rating files
/// are most of a desk. Keys are docket's own plain words; a test holds this to
/// `Document::create`.
fn scalar_file_text(entries: &[(&str, Value)], body: &str) -> String {
    let mut text = String::from("---\n");
    for (k, v) in entries {
        if !matches!(v, Value::Null) {
            text.push_str(k);
            text.push_str(": ");
            push_scalar(&mut text, v);
            text.push('\n');
        }
    }
    text.push_str("---\n");
    text.push_str(body);
    if !body.is_empty() && !body.ends_with('\n') {
        text.push('\n');
    }
    text
}

thread_local! {
    /// Renderings of the strings seen so far: docket's renderer parses a string back to
    /// know it needs no quotes, and most values of timeline files (authors, statuses,
    /// handles) repeat thousands of times.
    static RENDERED: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// Appends docket's rendering of a scalar. A time in docket's one form
/// (`2026-11-02T09:14:00Z`, unique to nearly every file) renders as its sample does.
fn push_scalar(out: &mut String, v: &Value) {
    static TIMES_PLAIN: OnceLock<bool> = OnceLock::new();
    let Value::String(s) = v else {
        out.push_str(&docket::doc::render_scalar(v));
        return;
    };
    let plain = || {
        let sample = "2026-11-02T09:14:00Z";
        docket::doc::render_scalar(&text(sample)) == sample
    };
    if is_utc_second(s) && *TIMES_PLAIN.get_or_init(plain) {
        out.push_str(s);
        return;
    }
    RENDERED.with_borrow_mut(|memo| {
        let r = memo
            .entry(s.clone())
            .or_insert_with(|| docket::doc::render_scalar(v));
        out.push_str(r);
    });
}

/// Whether `s` has exactly the shape `YYYY-MM-DDTHH:MM:SSZ`.
fn is_utc_second(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
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

/// `YYYYMMDDTHHMMSSmmmZ`, the stamp docket starts timeline file names with.
pub fn stamp_ms(secs: i64, ms: u16) -> String {
    format!("{}{:03}Z", fmt(secs, "%Y%m%dT%H%M%S"), ms % 1000)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_files_are_what_docket_writes() {
        let cases: Vec<Vec<(&str, Value)>> = vec![
            vec![
                ("author", text("Dana Whitfield <dana@acme.example>")),
                ("created", text("2026-11-02T09:14:00Z")),
                ("event", text("status")),
                ("from", Value::Null),
                ("to", text("pending")),
            ],
            vec![
                ("author", text("O'Brien: \"Ops\" # team <o@x.example>")),
                ("rating", number(5)),
                ("internal", Value::Bool(true)),
                ("note", text("yes")),
                ("n", text("0012")),
            ],
        ];
        for entries in cases {
            for body in ["", "One line.", "Two\n\nparagraphs\n"] {
                let made = Document::create(&entries, body).expect("valid");
                assert_eq!(scalar_file_text(&entries, body), made.text());
                // Again, from the remembered renderings.
                assert_eq!(scalar_file_text(&entries, body), made.text());
            }
        }
    }

    #[test]
    fn times_render_as_docket_renders_them() {
        for secs in (1_700_000_000..1_800_000_000).step_by(7_777_777) {
            let t = time(secs);
            assert!(is_utc_second(&t), "{t}");
            let mut out = String::new();
            push_scalar(&mut out, &text(&t));
            assert_eq!(out, docket::doc::render_scalar(&text(&t)));
        }
        assert!(!is_utc_second("2026-11-02 09:14:00Z"));
        assert!(!is_utc_second("2026-11-02T09:14:00+01:00"));
    }
}
