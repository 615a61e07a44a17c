//! The stable JSON shapes of `--json` (see README), and printing them.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::Failure;
use crate::desk::{Backlink, ShownTicket};
use crate::model::{Entry, Links, Ticket, Time, format_time};
use crate::store::validate::CheckReport;
use crate::store::{CommentFile, Problem, TicketFile};
use crate::support::sla::ClockState;

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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<EventJson<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratings: Option<Vec<RatingJson<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<BandJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla: Option<Vec<TargetJson>>,
}

/// A timeline event in `show --json`.
#[derive(Debug, Serialize)]
pub struct EventJson<'a> {
    pub path: &'a str,
    pub author: &'a str,
    pub created: &'a str,
    pub event: &'static str,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    /// A rule event's condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<&'a str>,
}

/// A CSAT rating in `show --json`.
#[derive(Debug, Serialize)]
pub struct RatingJson<'a> {
    pub path: &'a str,
    pub author: &'a str,
    pub created: &'a str,
    pub rating: u8,
    pub recorded_by: Option<&'a str>,
    pub body: &'a str,
}

/// The priority band a ticket has, in `show --json`.
#[derive(Debug, Serialize)]
pub struct BandJson<'a> {
    pub name: &'a str,
    pub by_hand: bool,
    pub score: Option<f64>,
    pub explanation: &'a str,
}

/// One SLA target in `show --json`.
#[derive(Debug, Serialize)]
pub struct TargetJson {
    pub target: &'static str,
    pub budget_secs: i64,
    pub state: &'static str,
    pub breached: bool,
    pub left_secs: Option<i64>,
    pub due: Option<String>,
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
            events: None,
            ratings: None,
            band: None,
            sla: None,
        }
    }

    /// The full form of a shown ticket, with its events, ratings, band and SLA targets.
    pub fn shown(s: &'a ShownTicket) -> TicketJson<'a> {
        let mut events = Vec::new();
        let mut ratings = Vec::new();
        for e in &s.entries {
            match &e.entry {
                Entry::Event(ev) => events.push(EventJson {
                    path: &e.rel,
                    author: &ev.author,
                    created: ev.created.as_str(),
                    event: ev.event.as_str(),
                    from: ev.from.as_deref(),
                    to: ev.to.as_deref(),
                    condition: ev.condition.as_deref(),
                }),
                Entry::Rating(r) => ratings.push(RatingJson {
                    path: &e.rel,
                    author: &r.author,
                    created: r.created.as_str(),
                    rating: r.rating,
                    recorded_by: r.recorded_by.as_deref(),
                    body: &e.body,
                }),
                Entry::Comment(_) => {}
            }
        }
        let p = &s.standing.priority;
        let sla = s
            .targets
            .iter()
            .map(|v| TargetJson {
                target: v.target.as_str(),
                budget_secs: v.budget,
                state: match v.state {
                    ClockState::Met { .. } => "met",
                    ClockState::Missed { .. } | ClockState::Lapsed { .. } => "breached",
                    ClockState::Running { .. } if v.breached => "breached",
                    ClockState::Running { .. } => "running",
                    ClockState::Paused { .. } if v.breached => "breached",
                    ClockState::Paused { .. } => "paused",
                    ClockState::Ended => "ended",
                },
                breached: v.breached,
                left_secs: v.left,
                due: match v.state {
                    ClockState::Running { due } => Some(format_time(due)),
                    _ => None,
                },
            })
            .collect();
        TicketJson {
            events: Some(events),
            ratings: Some(ratings),
            band: Some(BandJson {
                name: &p.band,
                by_hand: p.by_hand,
                score: p.score,
                explanation: &p.explanation,
            }),
            sla: Some(sla),
            ..TicketJson::full(&s.file, s.closed, &s.comments, &s.backlinks)
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
