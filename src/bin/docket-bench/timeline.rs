//! A ticket's life after it opens, as files: the comments, events and rating that
//! [`crate::sim`] plays out, cut off at the desk's end (so recent tickets are still
//! open), and the ticket's `status`, `assignee`, `priority` and `resolved` read back from
//! what is left, so they always agree with its events.

use crate::calendar::Business;
use crate::corpus::Corpus;
use crate::customers::Customer;
use crate::flow::Clock;
use crate::people::Person;
use crate::plan::TicketPlan;
use crate::policy::{BAND_ORDER, TEAM, band, policy};
use crate::rng::Rng;
use crate::sim::{Played, Sim};

/// One comment file.
#[derive(Debug, Clone)]
pub struct CommentPlan {
    /// Who wrote it.
    pub author: Person,
    /// When, in seconds since the epoch.
    pub created: i64,
    /// Milliseconds of the file name's stamp.
    pub ms: u16,
    /// Team-only note.
    pub internal: bool,
    /// Four random Crockford characters, as docket adds to timeline file names.
    pub suffix: String,
    /// Markdown body.
    pub body: String,
}

/// One event file.
#[derive(Debug, Clone)]
pub struct EventPlan {
    /// Who made the change.
    pub author: Person,
    /// When.
    pub created: i64,
    /// Milliseconds of the stamp.
    pub ms: u16,
    /// `status`, `assignee` or `priority`.
    pub kind: &'static str,
    /// The value before.
    pub from: Option<String>,
    /// The value after.
    pub to: Option<String>,
    /// Random part of the file name.
    pub suffix: String,
}

/// One CSAT rating file.
#[derive(Debug, Clone)]
pub struct RatingPlan {
    /// The customer who rated.
    pub author: Person,
    /// When.
    pub created: i64,
    /// Milliseconds of the stamp.
    pub ms: u16,
    /// 1 to 5.
    pub rating: u8,
    /// The team member who took it down (a rating given on the phone).
    pub recorded_by: Option<Person>,
    /// What the customer wrote.
    pub body: String,
    /// Random part of the file name.
    pub suffix: String,
}

/// What the timelines hold at the end, printed by `gen` to show the desk's shape.
#[derive(Debug, Default)]
pub struct Tally {
    /// Comment files.
    pub comments: usize,
    /// Event files.
    pub events: usize,
    /// Rating files.
    pub ratings: usize,
    /// Tickets not resolved or closed.
    pub open: usize,
    /// Tickets with a first-response target that got their first reply.
    pub first_due: usize,
    /// ... and got it after the target.
    pub first_late: usize,
    /// Tickets with a first-response target still waiting for it.
    pub first_waiting: usize,
    /// ... already past the target.
    pub first_overdue: usize,
    /// Closed tickets with a resolution target.
    pub resolved_due: usize,
    /// ... closed past the target (the clock stopped while pending).
    pub resolved_late: usize,
    /// Open tickets with a resolution target.
    pub open_due: usize,
    /// ... past three quarters of it.
    pub open_at_risk: usize,
    /// ... past all of it.
    pub open_breached: usize,
}

/// What every ticket's timeline shares.
pub struct Setting<'a> {
    /// The prose comments are drawn from.
    pub corpus: &'a Corpus,
    /// The team's working hours.
    pub cal: &'a Business,
    /// The desk's "now": nothing happens after it.
    pub end: i64,
}

/// Statuses that end the work on a ticket.
pub fn is_closed(status: &str) -> bool {
    matches!(status, "resolved" | "closed")
}

/// Plays ticket `t` (created, with its customer, reporter and priority inputs set)
/// through `n` comments and sets its timeline and the fields that follow from it.
pub fn play(
    t: &mut TicketPlan,
    customer: Option<&Customer>,
    n: usize,
    s: &Setting,
    tally: &mut Tally,
    rng: &mut Rng,
) {
    let tier = customer.map(|c| c.tier);
    let band0 = t.priority.unwrap_or(band(t.importance, t.urgency, tier));
    let p = policy(tier, band0);
    let hours = |h: Option<u32>| h.map(|h| i64::from(h) * 3600);
    let clock = Clock {
        cal: s.cal,
        business: p.is_none_or(|p| p.business),
        first: hours(
            customer
                .and_then(|c| c.first_response)
                .filter(|_| p.is_some())
                .or(p.and_then(|p| p.first)),
        ),
        next: hours(p.and_then(|p| p.next)),
        resolution: hours(p.and_then(|p| p.resolution)),
        urgent: p.is_some_and(|p| !p.business),
    };
    let linger = lingers(tier, t.created, s.end, rng);
    let escalate = tier != Some("enterprise") && rng.chance(0.04);
    let played = Sim::new(s.corpus, &clock, customer, t, band0, escalate).run(n, linger, rng);
    read_back(t, played, &clock, s.end, tally);
}

/// Whether a ticket stays open for good (a feature request parked, a question the
/// customer stopped answering): mostly community tickets, and more of the recent ones.
fn lingers(tier: Option<&str>, created: i64, end: i64, rng: &mut Rng) -> bool {
    let base = match tier {
        None | Some("community") => 0.3,
        Some("professional") => 0.1,
        Some("subscription") => 0.06,
        _ => 0.04,
    };
    let recent = match (end - created) / 86_400 {
        0..180 => 1.8,
        180..365 => 1.0,
        _ => 0.45,
    };
    rng.chance(base * recent)
}

/// Keeps what happened by `end` and sets the ticket's fields from it: the status of
/// the last status event, the first close as `resolved`.
fn read_back(t: &mut TicketPlan, played: Played, clock: &Clock, end: i64, tally: &mut Tally) {
    let Played {
        mut comments,
        mut events,
        rating,
        reason,
    } = played;
    events.retain(|e| e.created <= end);
    events.sort_by_key(|e| (e.created, e.ms));
    comments.retain(|c| c.created <= end);
    let last = |kind: &str| {
        events
            .iter()
            .rev()
            .find(|e| e.kind == kind)
            .and_then(|e| e.to.clone())
    };
    t.status = match last("status").as_deref() {
        Some("pending") => "pending",
        Some("resolved") => "resolved",
        Some("closed") => "closed",
        _ => "open",
    };
    t.assignee = last("assignee").and_then(|h| TEAM.iter().find(|m| m.0 == h).map(|m| m.0));
    if let Some(p) = last("priority") {
        t.priority = BAND_ORDER.iter().copied().find(|b| *b == p);
    }
    t.resolved = events
        .iter()
        .find(|e| e.kind == "status" && e.to.as_deref().is_some_and(is_closed))
        .map(|e| e.created);
    let closed = is_closed(t.status);
    t.resolution = if closed { reason } else { None };
    t.rating = rating.filter(|r| closed && r.created <= end);
    count(t, &comments, &events, clock, end, tally);
    t.comments = comments;
    t.events = events;
}

/// Adds a ticket's files and SLA state at the end to the tally.
fn count(
    t: &TicketPlan,
    comments: &[CommentPlan],
    events: &[EventPlan],
    clock: &Clock,
    end: i64,
    tally: &mut Tally,
) {
    let closed = is_closed(t.status);
    tally.open += usize::from(!closed);
    tally.comments += comments.len();
    tally.events += events.len();
    tally.ratings += usize::from(t.rating.is_some());
    if let Some(target) = clock.first {
        let reply = comments
            .iter()
            .find(|c| c.author.handle.is_some() && !c.internal);
        let (seen, late, at) = match reply {
            Some(c) => (&mut tally.first_due, &mut tally.first_late, c.created),
            None => (&mut tally.first_waiting, &mut tally.first_overdue, end),
        };
        *seen += 1;
        *late += usize::from(clock.secs(t.created, at) > target);
    }
    if let Some(target) = clock.resolution {
        let used = clock_used(t.created, events, clock, end);
        if closed {
            tally.resolved_due += 1;
            tally.resolved_late += usize::from(used > target);
        } else {
            tally.open_due += 1;
            tally.open_at_risk += usize::from(used * 4 > target * 3);
            tally.open_breached += usize::from(used > target);
        }
    }
}

/// Resolution-clock seconds from `created` to `end`: the clock runs while the status
/// is neither pending nor closed.
pub fn clock_used(created: i64, events: &[EventPlan], clock: &Clock, end: i64) -> i64 {
    let mut used = 0;
    let mut running = Some(created);
    for e in events.iter().filter(|e| e.kind == "status") {
        let to = e.to.as_deref().unwrap_or("open");
        match (running, to == "pending" || is_closed(to)) {
            (Some(since), true) => {
                used += clock.secs(since, e.created);
                running = None;
            }
            (None, false) => running = Some(e.created),
            _ => {}
        }
    }
    used + running.map_or(0, |since| clock.secs(since, end))
}
