//! The file formats of a docket desk as docket writes them: tickets, comments, events,
//! ratings and articles, through docket's own frontmatter renderer, and times in
//! docket's forms.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::articles::ArticlePlan;
use crate::plan::TicketPlan;
use crate::timeline::{CommentPlan, EventPlan, RatingPlan};
use docket::doc::{Document, Mapping, Value};

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
pub fn article_text(a: &ArticlePlan) -> Result<String, String> {
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
