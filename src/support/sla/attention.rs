//! `docket sla`: the open tickets whose SLA clocks are breached or close to it, at a
//! given moment, with the working time left or overdue.

use jiff::Timestamp;
use serde::Serialize;

use super::{Calendars, ClockState, FactRow, Target};

/// One clock that needs attention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Ticket id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: String,
    /// Assignee handle.
    pub assignee: Option<String>,
    /// Customer slug.
    pub customer: Option<String>,
    /// The customer's tier.
    pub tier: Option<String>,
    /// Priority band.
    pub priority: String,
    /// The policy.
    pub policy: Option<String>,
    /// Which target.
    pub target: &'static str,
    /// `breached` or `at-risk`.
    pub state: &'static str,
    /// Working seconds left (negative: overdue).
    pub left_secs: i64,
    /// When it is (or was) due, for a running clock; None while paused.
    #[serde(with = "optional_time")]
    pub due: Option<Timestamp>,
    /// Whether the clock is stopped (the ticket waits on the customer).
    pub paused: bool,
}

mod optional_time {
    use jiff::Timestamp;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(&crate::model::format_time(*t)),
            None => s.serialize_none(),
        }
    }
}

/// What `sla` lists.
#[derive(Debug, Clone, Copy)]
pub struct AttentionQuery {
    /// At risk: running with at most this many working seconds left.
    pub at_risk: i64,
    /// Only breached clocks.
    pub breached_only: bool,
    /// The moment to judge at.
    pub now: Timestamp,
}

/// The clocks of open tickets that are breached or at risk at `q.now`, most overdue
/// first, then least time left.
pub fn attention(rows: &[FactRow], calendars: &Calendars, q: &AttentionQuery) -> Vec<Alert> {
    let mut out = Vec::new();
    for r in rows {
        let calendar = calendars.get(r.facts.calendar.as_deref());
        for c in &r.facts.clocks {
            if c.state.settled() {
                continue;
            }
            let Some(left) = c.state.left(q.now, calendar) else {
                continue;
            };
            let breached = c.state.breached(q.now);
            let paused = matches!(c.state, ClockState::Paused { .. });
            if !breached && (q.breached_only || paused || left > q.at_risk) {
                continue;
            }
            out.push(Alert {
                id: r.id.clone(),
                title: r.title.clone(),
                status: r.status.clone(),
                assignee: r.assignee.clone(),
                customer: r.customer.clone(),
                tier: r.tier.clone(),
                priority: r.band.clone(),
                policy: r.facts.policy.clone(),
                target: c.target.as_str(),
                state: if breached { "breached" } else { "at-risk" },
                left_secs: left,
                due: match c.state {
                    ClockState::Running { due } => Some(due),
                    _ => None,
                },
                paused,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.left_secs, target_order(a.target), &a.id).cmp(&(
            b.left_secs,
            target_order(b.target),
            &b.id,
        ))
    });
    out
}

fn target_order(t: &str) -> usize {
    Target::ALL
        .iter()
        .position(|x| x.as_str() == t)
        .unwrap_or(Target::ALL.len())
}
