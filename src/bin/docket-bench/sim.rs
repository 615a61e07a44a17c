//! One ticket's conversation played out as a support team lives it: triage and
//! assignment, a first reply whose delay depends on the customer's SLA (a few past the
//! target), comments back and forth with the status going to `pending` while the team
//! waits on the customer and back to `open` when they answer, an occasional escalation,
//! reassignment or reopening, the close, and a CSAT rating on some closed tickets.

mod record;

use crate::corpus::Corpus;
use crate::customers::Customer;
use crate::flow::{Clock, Turn, customer_gap, reply_delay, turns};
use crate::people::{Person, team_member};
use crate::plan::TicketPlan;
use crate::policy::{LEADS, TEAM, higher};
use crate::rng::Rng;
use crate::timeline::{CommentPlan, EventPlan, RatingPlan};

/// Why tickets are closed, and how often.
const REASONS: &[(&str, u32)] = &[
    ("fixed", 40),
    ("answered", 30),
    ("wontfix", 10),
    ("duplicate", 10),
    ("cannot-reproduce", 10),
];

/// Everything a played ticket wrote, before the cut at the desk's end.
pub struct Played {
    /// Comments, in time order.
    pub comments: Vec<CommentPlan>,
    /// Events (not sorted: some are placed before the reply that follows them).
    pub events: Vec<EventPlan>,
    /// The rating, if the customer gave one.
    pub rating: Option<RatingPlan>,
    /// Why it was closed, if it was.
    pub reason: Option<&'static str>,
}

/// The state of one ticket while its timeline is played.
pub struct Sim<'a> {
    corpus: &'a Corpus,
    clock: &'a Clock<'a>,
    customer: Option<&'a Customer>,
    reporter: Person,
    created: i64,
    status: &'static str,
    band: &'static str,
    /// Whether the team raises the priority before its next answer to the customer.
    escalate: bool,
    /// Whether a customer comment came since the last team reply.
    customer_spoke: bool,
    assignee: Option<usize>,
    /// The time of the latest comment or event.
    at: i64,
    /// The customer comment (or the description) waiting for a team reply.
    awaiting: Option<i64>,
    /// When the first reply is due to come (drawn at the start).
    first_at: i64,
    answered: bool,
    /// Since when the resolution clock runs (`None` while paused or closed).
    running: Option<i64>,
    /// Clock seconds used while open.
    used: i64,
    /// Whether a first reply or the resolution came late (the rating shows it).
    late: bool,
    played: Played,
}

impl<'a> Sim<'a> {
    /// A ticket about to be played.
    pub fn new(
        corpus: &'a Corpus,
        clock: &'a Clock<'a>,
        customer: Option<&'a Customer>,
        t: &TicketPlan,
        band: &'static str,
        escalate: bool,
    ) -> Sim<'a> {
        Sim {
            corpus,
            clock,
            customer,
            reporter: t.reporter.clone(),
            created: t.created,
            status: "open",
            band,
            escalate,
            customer_spoke: false,
            assignee: None,
            at: t.created,
            awaiting: Some(t.created),
            first_at: t.created,
            answered: false,
            running: Some(t.created),
            used: 0,
            late: false,
            played: Played {
                comments: Vec::new(),
                events: Vec::new(),
                rating: None,
                reason: None,
            },
        }
    }

    /// The conversation of `n` comments, then the close (unless the ticket lingers), and
    /// after it sometimes an automatic close and a rating.
    pub fn run(mut self, n: usize, linger: bool, rng: &mut Rng) -> Played {
        let sla = self.clock.first.is_some();
        let reopen = !linger && n >= 3 && rng.chance(0.05);
        // A lingering ticket under an SLA mostly waits on the customer; some are stuck
        // with the team, their clocks running.
        let waits = linger && sla && rng.chance(0.85);
        let plan = turns(n, reopen, waits, rng);
        let first = reply_delay(self.clock.first, 0.04, rng);
        self.first_at = self.clock.after(self.created, first);
        if !(linger && n == 0 && rng.chance(0.5)) {
            let triage = (first as f64 * rng.between(0.05, 0.7)) as i64 + 60;
            let at = self.clock.after(self.created, triage);
            self.assign(at.min(self.first_at - 60).max(self.created + 60), rng);
        }
        for (k, turn) in plan.iter().enumerate() {
            let customer_next = matches!(plan.get(k + 1), Some(Turn::Customer | Turn::Reopen));
            match turn {
                Turn::Note => {
                    self.at = self.clock.after(self.at, rng.range(300, 3600) as i64);
                    let who = self.replier(rng);
                    self.comment(who, true, rng);
                }
                Turn::Team => self.team_reply(customer_next, rng),
                Turn::Customer => self.customer_comment(rng),
                Turn::Reopen => {
                    let closed = self.at + rng.range(60, 1200) as i64;
                    self.close(closed, rng);
                    self.at = closed + 3600;
                    self.customer_comment(rng);
                }
            }
        }
        if linger {
            let pend = if sla { waits } else { rng.chance(0.4) };
            if pend && plan.last() == Some(&Turn::Team) && self.status == "open" {
                let who = self.replier(rng);
                let at = self.at + rng.range(1, 30) as i64;
                self.set_status("pending", at, who, rng);
            }
        } else {
            self.finish(plan.last(), n, rng);
        }
        self.played
    }

    /// A public team reply: the first one when it was drawn to come, later ones a share
    /// of the next-response target after the customer's comment; follow-ups without a
    /// comment to answer within a working day or so. It may set the ticket pending.
    fn team_reply(&mut self, customer_next: bool, rng: &mut Rng) {
        let reply = match self.awaiting {
            Some(from) if !self.answered => self.first_at.max(from),
            Some(from) => self
                .clock
                .after(from, reply_delay(self.clock.next, 0.03, rng)),
            None => {
                let soon = self.clock.next.unwrap_or(8 * 3600);
                self.clock.after(self.at, reply_delay(Some(soon), 0.0, rng))
            }
        };
        let before = self.at;
        self.at = reply.max(self.at + 60);
        if std::mem::take(&mut self.customer_spoke) {
            let when = (self.at - rng.range(30, 600) as i64).max(before + 5);
            self.follow_up(when, rng);
        }
        if !self.answered
            && self
                .clock
                .first
                .is_some_and(|f| self.clock.secs(self.created, self.at) > f)
        {
            self.late = true;
        }
        let who = self.replier(rng);
        self.comment(who.clone(), false, rng);
        self.answered = true;
        self.awaiting = None;
        if customer_next && self.should_pend(rng) {
            self.at += rng.range(1, 30) as i64;
            self.set_status("pending", self.at, who, rng);
        }
    }

    /// A customer comment, which reopens a pending or closed ticket.
    fn customer_comment(&mut self, rng: &mut Rng) {
        self.at += customer_gap(self.clock.urgent, rng);
        let who = self.customer_voice(rng);
        self.comment(who.clone(), false, rng);
        if self.status != "open" {
            self.at += rng.range(1, 5) as i64;
            self.set_status("open", self.at, who, rng);
        }
        self.awaiting = Some(self.at);
        self.customer_spoke = true;
    }

    /// The close: right after the last team reply, soon after a last customer comment
    /// (a thank-you), or without a reply (a duplicate, spam). Then sometimes an
    /// automatic close a week later, and a rating.
    fn finish(&mut self, last: Option<&Turn>, n: usize, rng: &mut Rng) {
        let done = match (last, n) {
            (_, 0) => self.first_at,
            (Some(Turn::Customer), _) => {
                let quick = self.clock.next.map_or(3 * 3600, |t| t / 3);
                let secs = (quick as f64 * rng.between(0.05, 0.9)) as i64 + 60;
                self.clock.after(self.at, secs)
            }
            _ => self.at + rng.range(60, 1200) as i64,
        };
        self.close(done, rng);
        if self.clock.resolution.is_some_and(|r| self.used > r) {
            self.late = true;
        }
        let weights: Vec<u32> = REASONS.iter().map(|r| r.1).collect();
        self.played.reason = Some(REASONS[rng.weighted(&weights)].0);
        if self.status == "resolved" && rng.chance(0.1) {
            let later = done + rng.range(3 * 86_400, 10 * 86_400) as i64;
            let who = self.replier(rng);
            self.set_status("closed", later, who, rng);
        }
        if rng.chance(0.3) {
            self.rate(done + rng.range(600, 3 * 86_400) as i64, rng);
        }
    }

    /// Whether the team sets the ticket pending after asking the customer: often on
    /// urgent tickets and once half the resolution time is used, else now and then.
    fn should_pend(&self, rng: &mut Rng) -> bool {
        let used = self.used + self.running.map_or(0, |r| self.clock.secs(r, self.at));
        match self.clock.resolution {
            _ if self.clock.urgent => rng.chance(0.5),
            Some(target) if used * 2 > target => rng.chance(0.6),
            Some(_) => rng.chance(0.08),
            None => rng.chance(0.05),
        }
    }

    /// Before the team answers a customer comment: the occasional escalation or
    /// reassignment, at `when`.
    fn follow_up(&mut self, when: i64, rng: &mut Rng) {
        if std::mem::take(&mut self.escalate) {
            let to = higher(self.band);
            if to != self.band {
                let who = self.replier(rng);
                self.event(who, when, "priority", Some(self.band), Some(to), rng);
                self.band = to;
            }
        }
        if rng.chance(0.06)
            && let Some(from) = self.assignee
        {
            let to = (from + 1 + rng.below(TEAM.len() - 1)) % TEAM.len();
            let lead = team_member(rng.below(LEADS));
            self.event(
                lead,
                when,
                "assignee",
                Some(TEAM[from].0),
                Some(TEAM[to].0),
                rng,
            );
            self.assignee = Some(to);
        }
    }

    /// Closes the ticket at `at` (resolved or closed).
    fn close(&mut self, at: i64, rng: &mut Rng) {
        let to = if rng.chance(0.55) {
            "resolved"
        } else {
            "closed"
        };
        let who = self.replier(rng);
        self.set_status(to, at, who, rng);
    }
}
