//! SLA clocks over a ticket's timeline: which policy applies (by the customer's tier and
//! the ticket's priority band, or the customer record's own `sla:`), and for each target
//! (first response, next response, resolution) where its clock stands. Everything here
//! is computed without the wall clock, so the index can keep it: a running clock has a
//! deadline and a paused one its time left, and "breached" or "at risk" is decided at
//! the moment of asking.

mod attention;
mod clock;
mod codec;
mod row;
mod timeline;

use std::collections::BTreeMap;

use jiff::Timestamp;

pub use attention::{Alert, AttentionQuery, attention};
pub use clock::{ClockState, run};
pub use codec::{decode, encode};
pub use row::{FactRow, Want, decode_row_with, encode_row};
pub use timeline::{Happening, Timeline};

use crate::model::{Config, SlaPolicy};
use crate::support::{Calendar, parse_duration};

/// The three targets a policy may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The first public team reply.
    FirstResponse,
    /// A public team reply after a customer's comment.
    NextResponse,
    /// Closing the ticket.
    Resolution,
}

impl Target {
    /// Every target, in order.
    pub const ALL: [Target; 3] = [
        Target::FirstResponse,
        Target::NextResponse,
        Target::Resolution,
    ];

    /// The config's and the output's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::FirstResponse => "first_response",
            Target::NextResponse => "next_response",
            Target::Resolution => "resolution",
        }
    }

    /// The word for people.
    pub fn label(self) -> &'static str {
        match self {
            Target::FirstResponse => "first response",
            Target::NextResponse => "next response",
            Target::Resolution => "resolution",
        }
    }
}

/// The targets that apply to one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    /// The policy's name (`customer` for targets a customer record sets alone).
    pub policy: String,
    /// The calendar's name; None for calendar hours.
    pub calendar: Option<String>,
    /// Working seconds per target.
    pub targets: Vec<(Target, i64)>,
}

/// Which policy covers a ticket: the customer record's `sla: {policy: NAME}` if it names
/// one, else the first policy whose tiers and priorities match; then the record's own
/// targets (`first_response: 2h`) and `calendar` replace the policy's. None: no target.
pub fn terms(
    config: &Config,
    tier: Option<&str>,
    band: &str,
    overrides: Option<&BTreeMap<String, String>>,
) -> Option<Terms> {
    let policies = &config.sla.policies;
    let named = overrides
        .and_then(|o| o.get("policy"))
        .and_then(|n| policies.iter().find(|p| &p.name == n));
    let matching = || {
        policies.iter().find(|p| {
            (p.tiers.is_empty() || tier.is_some_and(|t| p.tiers.iter().any(|x| x == t)))
                && (p.priorities.is_empty() || p.priorities.iter().any(|x| x == band))
        })
    };
    let base: Option<&SlaPolicy> = named.or_else(matching);
    let mut calendar = base.and_then(|p| p.calendar.clone());
    let mut targets = Vec::new();
    for t in Target::ALL {
        let written = overrides
            .and_then(|o| o.get(t.as_str()))
            .or_else(|| base.and_then(|p| policy_target(p, t)));
        if let Some(secs) = written.and_then(|w| parse_duration(w).ok()) {
            targets.push((t, secs));
        }
    }
    if let Some(c) = overrides.and_then(|o| o.get("calendar")) {
        calendar = Some(c.clone()).filter(|c| c != "always");
    }
    if targets.is_empty() {
        return None;
    }
    Some(Terms {
        policy: base.map_or_else(|| "customer".to_string(), |p| p.name.clone()),
        calendar,
        targets,
    })
}

fn policy_target(p: &SlaPolicy, t: Target) -> Option<&String> {
    match t {
        Target::FirstResponse => p.first_response.as_ref(),
        Target::NextResponse => p.next_response.as_ref(),
        Target::Resolution => p.resolution.as_ref(),
    }
}

/// The config's calendars, built once; a calendar that does not read is left out (and
/// its policies run on calendar hours; `check` reports it).
#[derive(Debug, Clone)]
pub struct Calendars {
    named: BTreeMap<String, Calendar>,
    always: Calendar,
}

impl Calendars {
    /// Builds every calendar of the config.
    pub fn new(config: &Config) -> Calendars {
        Calendars {
            named: config
                .sla
                .calendars
                .iter()
                .filter_map(|(n, spec)| Some((n.clone(), Calendar::from_spec(spec).ok()?)))
                .collect(),
            always: Calendar::always(),
        }
    }

    /// The calendar of a name (calendar hours for None or an unknown name).
    pub fn get(&self, name: Option<&str>) -> &Calendar {
        name.and_then(|n| self.named.get(n)).unwrap_or(&self.always)
    }
}

/// One target's clock on one ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// Which target.
    pub target: Target,
    /// Working seconds the target allows.
    pub budget: i64,
    /// Where it stands.
    pub state: ClockState,
}

/// What a ticket's timeline says, without the wall clock: its SLA clocks, the response
/// and resolution times reports use, and its ratings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The policy that applies, if any.
    pub policy: Option<String>,
    /// Its calendar (None: calendar hours).
    pub calendar: Option<String>,
    /// One clock per target of the policy; for the next response, the newest one.
    pub clocks: Vec<Clock>,
    /// Next-response targets met and missed (a reply after each customer comment).
    pub next_met: u32,
    /// Next-response targets breached.
    pub next_missed: u32,
    /// Working seconds (on the policy's calendar, paused time left out) to the first
    /// public team reply.
    pub first_response_secs: Option<i64>,
    /// When the first public team reply came.
    pub first_response_at: Option<Timestamp>,
    /// Working seconds to the last close, paused time left out.
    pub resolution_secs: Option<i64>,
    /// When it was last closed, if it is closed.
    pub closed_at: Option<Timestamp>,
    /// When it opened.
    pub created: Option<Timestamp>,
    /// Ratings: when, and 1-5.
    pub ratings: Vec<(Timestamp, u8)>,
    /// Whether its status now pauses the clocks.
    pub paused: bool,
}

impl Facts {
    /// The clock of a target, if the policy sets it.
    pub fn clock(&self, target: Target) -> Option<&Clock> {
        self.clocks.iter().find(|c| c.target == target)
    }
}

/// The facts of one ticket's timeline under the terms that apply to it.
pub fn facts(
    timeline: &Timeline,
    terms: Option<&Terms>,
    calendars: &Calendars,
    config: &Config,
) -> Facts {
    let calendar = calendars.get(terms.and_then(|t| t.calendar.as_deref()));
    let running = timeline.running(config);
    let status = timeline.status_now();
    let paused_now = config.sla.paused.iter().any(|p| p == status);
    let closed_at = timeline.closed_at(config);
    let first_reply = timeline
        .happenings
        .iter()
        .find(|(_, h)| *h == Happening::TeamReply)
        .map(|(at, _)| *at);
    let mut f = Facts {
        policy: terms.map(|t| t.policy.clone()),
        calendar: terms.and_then(|t| t.calendar.clone()),
        first_response_at: first_reply,
        closed_at,
        created: Some(timeline.created),
        paused: paused_now,
        ratings: timeline
            .happenings
            .iter()
            .filter_map(|(at, h)| match h {
                Happening::Rating(r) => Some((*at, *r)),
                _ => None,
            })
            .collect(),
        ..Facts::default()
    };
    let budget_of = |t: Target| {
        terms
            .and_then(|terms| terms.targets.iter().find(|(x, _)| *x == t))
            .map(|(_, b)| *b)
    };
    // Measured with or without a target.
    let measure = |t: Target, start: Timestamp, met: Option<Timestamp>| {
        run(calendar, budget_of(t), start, met, &running, paused_now)
    };
    let (first, used) = measure(Target::FirstResponse, timeline.created, first_reply);
    f.first_response_secs = first_reply.map(|_| used);
    if let Some(budget) = budget_of(Target::FirstResponse) {
        f.clocks.push(Clock {
            target: Target::FirstResponse,
            budget,
            state: first,
        });
    }
    let (resolution, used) = measure(Target::Resolution, timeline.created, closed_at);
    f.resolution_secs = closed_at.map(|_| used);
    if let Some(budget) = budget_of(Target::NextResponse)
        && let Some(first) = first_reply
    {
        let mut last = None;
        let mut waiting: Option<Timestamp> = None;
        let close = |start: Timestamp, met: Option<Timestamp>, f: &mut Facts| {
            let (state, _) = run(calendar, Some(budget), start, met, &running, paused_now);
            match state {
                ClockState::Met { .. } => f.next_met += 1,
                ClockState::Missed { .. } | ClockState::Lapsed { .. } => f.next_missed += 1,
                _ => {}
            }
            state
        };
        for (at, h) in timeline.happenings.iter().filter(|(at, _)| *at > first) {
            match h {
                Happening::CustomerComment if waiting.is_none() => waiting = Some(*at),
                Happening::TeamReply => {
                    if let Some(start) = waiting.take() {
                        last = Some(close(start, Some(*at), &mut f));
                    }
                }
                _ => {}
            }
        }
        if let Some(start) = waiting {
            last = Some(close(start, None, &mut f));
        }
        if let Some(state) = last {
            f.clocks.push(Clock {
                target: Target::NextResponse,
                budget,
                state,
            });
        }
    }
    if let Some(budget) = budget_of(Target::Resolution) {
        f.clocks.push(Clock {
            target: Target::Resolution,
            budget,
            state: resolution,
        });
    }
    f
}
