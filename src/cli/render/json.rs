//! The stable JSON shapes of `--json` (see README), and printing them.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::Failure;
use crate::desk::Backlink;
use crate::model::{Links, Ticket, Time};
use crate::store::validate::CheckReport;
use crate::store::{CommentFile, Problem, TicketFile};

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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backlinks: Option<Vec<BacklinkJson<'a>>>,
}

/// A ticket that links to the shown one, in `show --json`.
#[derive(Debug, Serialize)]
pub struct BacklinkJson<'a> {
    pub id: &'a str,
    pub path: &'a str,
    pub title: &'a str,
    pub status: &'a str,
    pub closed: bool,
    /// The key under the other ticket's `links` that names this one.
    pub kind: &'static str,
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
            backlinks: None,
        }
    }

    /// The full form, with body, comments and the tickets that link to it.
    pub fn full(
        t: &'a TicketFile,
        closed: bool,
        comments: &'a [CommentFile],
        backlinks: &'a [Backlink],
    ) -> TicketJson<'a> {
        TicketJson {
            backlinks: Some(
                backlinks
                    .iter()
                    .map(|b| BacklinkJson {
                        id: &b.id,
                        path: &b.rel,
                        title: &b.title,
                        status: &b.status,
                        closed: b.closed,
                        kind: b.kind.key(),
                    })
                    .collect(),
            ),
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

/// What `check --json` prints: the counts and every problem with its place and hint.
#[derive(Debug, Serialize)]
pub struct CheckJson<'a> {
    /// How many files were checked.
    pub files: usize,
    /// How many of them have a problem.
    pub bad_files: usize,
    /// Every problem, sorted by path and line.
    pub problems: Vec<ProblemJson<'a>>,
}

/// One problem of `check --json`.
#[derive(Debug, Serialize)]
pub struct ProblemJson<'a> {
    /// The file, relative to the repository root when inside it.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong.
    pub message: &'a str,
    /// What to do about it.
    pub hint: Option<&'a str>,
}

impl<'a> CheckJson<'a> {
    /// The JSON form of a report.
    pub fn of(report: &'a CheckReport) -> CheckJson<'a> {
        CheckJson {
            files: report.files,
            bad_files: report.bad_files(),
            problems: report.problems.iter().map(ProblemJson::of).collect(),
        }
    }
}

impl<'a> ProblemJson<'a> {
    fn of(p: &'a Problem) -> ProblemJson<'a> {
        ProblemJson {
            path: p.path.to_string_lossy().into_owned(),
            line: p.line,
            col: p.col,
            message: &p.message,
            hint: p.hint.as_deref(),
        }
    }
}
