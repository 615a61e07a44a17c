//! Output: the stable JSON shapes of `--json`, tables for people, and the one error type
//! the binary prints as `error:` / `caused by:` / `hint:`, with every library error's
//! conversion to it (its exit code and hint) in this one place.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use std::borrow::Cow;

use crate::desk::{DeskError, Outcome};
use crate::export::ExportError;
use crate::git::GitError;
use crate::index::IndexError;
use crate::index::watch::WatchError;
use crate::model::{Links, Ticket, Time, escape_line, escape_text};
use crate::store::{CommentFile, Problem, StoreError, TicketFile};

/// A failed command: what to print and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// The error line.
    pub message: String,
    /// Underlying causes, outermost first.
    pub causes: Vec<String>,
    /// What to do about it.
    pub hint: Option<String>,
    /// 1 for failures, 2 for usage errors.
    pub code: i32,
    /// Whether the failure is a closed stdout (a pipe reader went away).
    pub broken_pipe: bool,
}

impl Failure {
    /// A failure with a message and a hint; control characters in them are escaped, as
    /// messages quote values from files.
    pub fn new(message: impl Into<String>, hint: Option<String>) -> Failure {
        Failure {
            message: escape_text(&message.into()).into_owned(),
            causes: Vec::new(),
            hint: hint.map(|h| escape_text(&h).into_owned()),
            code: 1,
            broken_pipe: false,
        }
    }

    /// A usage error (exit code 2).
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            ..Failure::new(message, Some(hint.into()))
        }
    }

    /// The one way an error becomes a failure: its message, then each error down its
    /// `source()` chain as a `caused by:` line, outermost first. docket's error types show
    /// a cause in their message or hand it on as `source()`, never both, so each cause
    /// prints once and nothing is compared as text.
    pub fn from_error(e: &dyn std::error::Error, hint: Option<String>, code: i32) -> Failure {
        let mut causes = Vec::new();
        let mut cur = e.source();
        while let Some(c) = cur {
            causes.push(escape_text(&c.to_string()).into_owned());
            cur = c.source();
        }
        Failure {
            causes,
            code,
            ..Failure::new(e.to_string(), hint)
        }
    }
}

impl From<DeskError> for Failure {
    /// Bad input (an argument, the text given, a `paths.customers` outside any work
    /// tree) is a usage error (exit 2); a failure of the files, git, the random source or
    /// the system is exit 1.
    fn from(e: DeskError) -> Failure {
        let code = match e {
            DeskError::Store(StoreError::Ambiguous { .. })
            | DeskError::Invalid { .. }
            | DeskError::Unstorable { .. }
            | DeskError::NoRepository { .. }
            | DeskError::OutsideWorkTree { .. }
            | DeskError::Git(GitError::BadIdentity { .. }) => 2,
            _ => 1,
        };
        Failure::from_error(&e, e.hint(), code)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        DeskError::from(e).into()
    }
}

impl From<GitError> for Failure {
    fn from(e: GitError) -> Failure {
        DeskError::from(e).into()
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure {
            broken_pipe: e.kind() == io::ErrorKind::BrokenPipe,
            ..Failure::from_error(&e, None, 1)
        }
    }
}

impl From<IndexError> for Failure {
    fn from(e: IndexError) -> Failure {
        let e = match e {
            IndexError::Store(e) => return e.into(),
            e => e,
        };
        let hint = e.hint();
        let code = if matches!(e, IndexError::BadQuery { .. }) {
            2
        } else {
            1
        };
        Failure::from_error(&e, hint, code)
    }
}

impl From<ExportError> for Failure {
    fn from(e: ExportError) -> Failure {
        Failure::from_error(&e, e.hint(), 1)
    }
}

impl From<WatchError> for Failure {
    fn from(e: WatchError) -> Failure {
        let hint = e.hint();
        Failure::from_error(&e, hint, 1)
    }
}

impl From<Problem> for Failure {
    fn from(p: Problem) -> Failure {
        let hint = p.hint.clone();
        Failure::new(p.to_string(), hint)
    }
}

/// A ticket as `list --json` and `show --json` print it. The field names and their
/// meaning are a stable interface (see README).
#[derive(Debug, Serialize)]
pub struct TicketJson<'a> {
    pub id: &'a str,
    pub path: &'a str,
    pub title: &'a str,
    pub status: &'a str,
    pub closed: bool,
    #[serde(rename = "type")]
    pub kind: Option<&'a str>,
    pub created: &'a str,
    pub reporter: Option<&'a str>,
    pub assignee: Option<&'a str>,
    pub customer: Option<&'a str>,
    pub labels: &'a [String],
    pub importance: Option<u8>,
    pub urgency: Option<u8>,
    pub priority: Option<&'a str>,
    pub links: &'a Links,
    pub resolved: Option<&'a str>,
    pub resolution: Option<&'a str>,
    pub due: Option<&'a str>,
    pub extra: &'a BTreeMap<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<Vec<CommentJson<'a>>>,
}

/// A comment in `show --json`.
#[derive(Debug, Serialize)]
pub struct CommentJson<'a> {
    pub path: &'a str,
    pub author: &'a str,
    pub created: &'a str,
    pub internal: bool,
    pub body: &'a str,
}

impl<'a> TicketJson<'a> {
    /// The summary form (no body, no comments).
    pub fn summary(t: &'a TicketFile, closed: bool) -> TicketJson<'a> {
        TicketJson::of(&t.rel, &t.ticket, closed)
    }

    /// The summary form from a path and the values (as the index stores them).
    pub fn of(rel: &'a str, k: &'a Ticket, closed: bool) -> TicketJson<'a> {
        TicketJson {
            id: k.id.as_str(),
            path: rel,
            title: &k.title,
            status: &k.status,
            closed,
            kind: k.kind.as_deref(),
            created: k.created.as_str(),
            reporter: k.reporter.as_deref(),
            assignee: k.assignee.as_deref(),
            customer: k.customer.as_deref(),
            labels: &k.labels,
            importance: k.importance,
            urgency: k.urgency,
            priority: k.priority.as_deref(),
            links: &k.links,
            resolved: k.resolved.as_ref().map(Time::as_str),
            resolution: k.resolution.as_deref(),
            due: k.due.as_ref().map(Time::as_str),
            extra: &k.extra,
            body: None,
            comments: None,
        }
    }

    /// The full form, with body and comments.
    pub fn full(t: &'a TicketFile, closed: bool, comments: &'a [CommentFile]) -> TicketJson<'a> {
        TicketJson {
            body: Some(t.doc.body()),
            comments: Some(
                comments
                    .iter()
                    .map(|c| CommentJson {
                        path: &c.rel,
                        author: &c.comment.author,
                        created: c.comment.created.as_str(),
                        internal: c.comment.internal,
                        body: &c.body,
                    })
                    .collect(),
            ),
            ..TicketJson::summary(t, closed)
        }
    }
}

/// Prints JSON followed by a newline.
pub fn json<T: Serialize>(out: &mut dyn Write, value: &T) -> Result<(), Failure> {
    serde_json::to_writer_pretty(&mut *out, value)
        .map_err(|e| Failure::new(format!("cannot write JSON: {e}"), None))?;
    writeln!(out)?;
    Ok(())
}

/// Terminal columns a cell takes (wide CJK characters count two, combining marks none).
fn width(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        unicode_width::UnicodeWidthStr::width(s)
    }
}

/// Prints rows as aligned columns (the last column is not padded). Control characters in
/// cells are escaped ([`escape_line`]), so a title cannot drive the terminal.
pub fn table<R: AsRef<[C]>, C: AsRef<str>>(out: &mut dyn Write, rows: &[R]) -> io::Result<()> {
    table_clipped(out, rows, usize::MAX)
}

/// Prints rows as [`table`] does, with each row's last cell shortened by [`clip`] to
/// `max` columns, without building a `String` per cell that needs no escaping: `list`
/// prints tens of thousands.
pub fn table_clipped<R: AsRef<[C]>, C: AsRef<str>>(
    out: &mut dyn Write,
    rows: &[R],
    max: usize,
) -> io::Result<()> {
    let rows: Vec<Vec<Cow<str>>> = rows
        .iter()
        .map(|r| r.as_ref().iter().map(|c| escape_line(c.as_ref())).collect())
        .collect();
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    // A cell of the last column is the last of its row, never padded: its width is not needed.
    let mut widths = vec![0; cols.saturating_sub(1)];
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(c));
        }
    }
    const SPACES: &[u8] = &[b' '; 256];
    let mut line: Vec<u8> = Vec::with_capacity(256);
    for r in &rows {
        line.clear();
        for (i, c) in r.iter().enumerate() {
            if i + 1 < r.len() {
                line.extend_from_slice(c.as_bytes());
                let mut pad = widths[i] - width(c) + 2;
                while pad > 0 {
                    let n = pad.min(SPACES.len());
                    line.extend_from_slice(&SPACES[..n]);
                    pad -= n;
                }
            } else {
                push_clipped(&mut line, c, max);
            }
        }
        let trimmed = line.trim_ascii_end();
        // Past the ASCII kind of white space (control characters are escaped by now),
        // only a line ending in a non-ASCII character can still end in some.
        let text = match trimmed.last() {
            Some(b) if *b >= 0x80 => {
                std::str::from_utf8(trimmed).map_or(trimmed, |t| t.trim_end().as_bytes())
            }
            _ => trimmed,
        };
        out.write_all(text)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Appends `s`, or as much of it as fits in `max - 1` columns and `…`, when it is
/// wider than `max` columns.
fn push_clipped(out: &mut Vec<u8>, s: &str, max: usize) {
    if max == usize::MAX || width(s) <= max {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    let room = max.saturating_sub(1);
    let mut used = 0;
    let mut cut = 0;
    for (at, c) in s.char_indices() {
        used += if c.is_ascii() {
            1
        } else {
            unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
        };
        if used > room {
            break;
        }
        cut = at + c.len_utf8();
    }
    out.extend_from_slice(&s.as_bytes()[..cut]);
    out.extend_from_slice("…".as_bytes());
}

/// The status line a state change prints on stderr.
pub fn outcome_line(o: &Outcome) -> String {
    let id = o.id.as_ref().map(|i| i.to_string()).unwrap_or_default();
    change_line(o, &id)
}

/// The status line of a change to `what` (a ticket id, a slug): `close T-4K7Q [main abc1234]`.
/// Earlier interrupted changes that this one finished or left alone come first, one
/// `note:` line each.
pub fn change_line(o: &Outcome, what: &str) -> String {
    let notes: String = o.recovered.iter().map(|n| format!("note: {n}\n")).collect();
    notes
        + &match (&o.commit, o.changed) {
            (_, false) => format!("{} {what}: nothing to change", o.action),
            (Some(c), true) => format!(
                "{} {what} [{}{}]",
                o.action,
                c.branch
                    .as_deref()
                    .map(|b| format!("{b} "))
                    .unwrap_or_else(|| "detached ".into()),
                &c.id[..c.id.len().min(7)]
            ),
            (None, true) => format!(
                "{} {what}: wrote {} (not committed)",
                o.action,
                o.paths.join(", ")
            ),
        }
}

/// Prints `name: value` lines as an aligned block, then the Markdown body indented.
pub fn fields_and_body(
    out: &mut dyn Write,
    fields: Vec<(&str, String)>,
    body: &str,
) -> io::Result<()> {
    let rows: Vec<Vec<String>> = fields
        .into_iter()
        .map(|(n, v)| vec![format!("  {n}:"), v])
        .collect();
    table(out, &rows)?;
    let body = body.trim();
    if !body.is_empty() {
        writeln!(out)?;
        indented(out, body)?;
    }
    Ok(())
}

/// Prints Markdown text indented by four spaces, its control characters escaped but for
/// tabs ([`escape_text`]).
pub fn indented(out: &mut dyn Write, text: &str) -> io::Result<()> {
    for line in text.trim().lines() {
        writeln!(out, "    {}", escape_text(line))?;
    }
    Ok(())
}

/// Warns on stderr about a file that was left out, its text escaped.
pub fn warn_skipped(problem: &dyn std::fmt::Display) {
    eprintln!("warning: {} (skipped)", escape_text(&problem.to_string()));
}

/// Shortens a title for a table cell to `max` terminal columns (wide CJK characters
/// count two), ending in `…` when it was cut.
pub fn clip(s: &str, max: usize) -> String {
    let mut out = Vec::with_capacity(s.len().min(max.saturating_mul(4)));
    push_clipped(&mut out, s, max);
    String::from_utf8(out).expect("cut at a character boundary")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(rows: &[[&str; 3]], max: usize) -> (String, String) {
        let owned: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r[0].to_string(),
                    r[1].to_string(),
                    clip(&escape_line(r[2]), max),
                ]
            })
            .collect();
        let mut a = Vec::new();
        table(&mut a, &owned).expect("write");
        let mut b = Vec::new();
        table_clipped(&mut b, rows, max).expect("write");
        (
            String::from_utf8(a).expect("utf8"),
            String::from_utf8(b).expect("utf8"),
        )
    }

    #[test]
    fn clipped_tables_match_plain_ones() {
        let rows = [
            ["T-AB", "open", "Disk full"],
            ["T-ABCD", "ünï", ""],
            ["x", "", "trailing  "],
            ["", "wait", "tab\u{b}"],
            ["ä", "b", "non-breaking\u{a0}\u{3000}"],
            [
                "long",
                "title",
                "a very long title that will not fit at all",
            ],
        ];
        for max in [0, 1, 5, 20, 72] {
            let (a, b) = both(&rows, max);
            assert_eq!(a, b, "max {max}");
        }
        let (a, b) = both(&[], 72);
        assert_eq!((a.as_str(), b.as_str()), ("", ""));
    }

    #[test]
    fn wide_characters_take_two_columns_and_controls_are_escaped() {
        let rows = vec![
            vec!["数据".to_string(), "x".to_string()],
            vec!["ab".to_string(), "\u{1b}[2J".to_string()],
        ];
        let mut a = Vec::new();
        table(&mut a, &rows).expect("write");
        assert_eq!(
            String::from_utf8(a).expect("utf8"),
            "数据  x\nab    \\x1b[2J\n"
        );
    }

    #[test]
    fn titles_are_clipped_by_terminal_columns() {
        assert_eq!(clip("数据导出失败", 5), "数据…");
        assert_eq!(clip("数据导出", 8), "数据导出");
        assert_eq!(clip("Disk full", 5), "Disk…");
        assert_eq!(clip("a\u{7}bc", 3), "a\u{7}…");
    }

    proptest::proptest! {
        #[test]
        fn clipped_tables_match_plain_ones_for_any_text(
            cells in proptest::collection::vec(("\\PC{0,6}", "[a-zé ]{0,5}", "\\PC{0,12}|[ \\t\\u{b}\\u{a0}x]{0,4}"), 0..6),
            max in 0usize..14,
        ) {
            let rows: Vec<[&str; 3]> = cells.iter().map(|(a, b, c)| [a.as_str(), b.as_str(), c.as_str()]).collect();
            let (a, b) = both(&rows, max);
            proptest::prop_assert_eq!(a, b);
        }
    }
}
