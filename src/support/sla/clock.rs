//! One SLA clock: from a start to the moment its target is met, counting working time
//! only while the ticket's status lets the clock run.

use jiff::Timestamp;

use crate::support::Calendar;

/// Where a clock stands, with nothing read from the wall clock: a running clock has a
/// deadline, a paused one the time it has left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    /// Met within the target: when, and the working seconds it took.
    Met {
        /// When the target was met.
        at: Timestamp,
        /// Working seconds used.
        used: i64,
    },
    /// Met, but late.
    Missed {
        /// When the target was met.
        at: Timestamp,
        /// Working seconds used.
        used: i64,
        /// When the target was breached.
        breached_at: Timestamp,
    },
    /// Still running: the deadline (in the past when breached).
    Running {
        /// When the target is (or was) breached.
        due: Timestamp,
    },
    /// Stopped while the ticket waits (a paused status): working seconds left, negative
    /// when it was breached before the pause.
    Paused {
        /// Working seconds left.
        left: i64,
    },
    /// The ticket closed before the target was met, within it: no reply was owed any
    /// more. Not counted in compliance.
    Ended,
    /// The ticket closed before the target was met, and after it was breached.
    Lapsed {
        /// When the target was breached.
        breached_at: Timestamp,
    },
}

impl ClockState {
    /// Whether it counts as breached at `now`.
    pub fn breached(&self, now: Timestamp) -> bool {
        match *self {
            ClockState::Missed { .. } | ClockState::Lapsed { .. } => true,
            ClockState::Running { due } => now > due,
            ClockState::Paused { left } => left <= 0,
            ClockState::Met { .. } | ClockState::Ended => false,
        }
    }

    /// Working seconds left at `now` (negative: overdue), for a clock not yet met.
    pub fn left(&self, now: Timestamp, calendar: &Calendar) -> Option<i64> {
        match *self {
            ClockState::Running { due } if now <= due => Some(calendar.working_secs(now, due)),
            ClockState::Running { due } => Some(-calendar.working_secs(due, now)),
            ClockState::Paused { left } => Some(left),
            _ => None,
        }
    }

    /// Whether the target is settled (met, missed, ended or lapsed).
    pub fn settled(&self) -> bool {
        !matches!(self, ClockState::Running { .. } | ClockState::Paused { .. })
    }
}

/// Runs a clock with `budget` working seconds (None: only measure, never breach) from
/// `start` until `met` (None: not yet), over the spans in which clocks run, and gives
/// where it stands and the working seconds it used. `paused_now` tells a stopped clock of
/// an open ticket (paused) from one of a closed ticket.
pub fn run(
    calendar: &Calendar,
    budget: Option<i64>,
    start: Timestamp,
    met: Option<Timestamp>,
    running: &[(Timestamp, Option<Timestamp>)],
    paused_now: bool,
) -> (ClockState, i64) {
    let mut used = 0i64;
    let mut breached_at = None;
    for &(from, to) in running {
        if to.is_some_and(|to| to <= start) {
            continue;
        }
        let from = from.max(start);
        if met.is_some_and(|m| m <= from) {
            break;
        }
        let end = match (to, met) {
            (Some(to), Some(m)) => Some(to.min(m)),
            (to, m) => to.or(m),
        };
        let Some(end) = end else {
            // The clock runs on: its deadline.
            let due = match budget {
                Some(b) => breached_at.unwrap_or_else(|| calendar.add_working(from, b - used)),
                None => Timestamp::MAX,
            };
            return (ClockState::Running { due }, used);
        };
        let w = calendar.working_secs(from, end);
        if let Some(b) = budget
            && breached_at.is_none()
            && used + w > b
        {
            breached_at = Some(calendar.add_working(from, b - used));
        }
        used += w;
    }
    let state = match (met, breached_at) {
        (Some(at), None) => ClockState::Met { at, used },
        (Some(at), Some(breached_at)) => ClockState::Missed {
            at,
            used,
            breached_at,
        },
        (None, _) if paused_now => ClockState::Paused {
            left: budget.map_or(i64::MAX, |b| b - used),
        },
        (None, None) => ClockState::Ended,
        (None, Some(breached_at)) => ClockState::Lapsed { breached_at },
    };
    (state, used)
}
