//! What a played ticket records: its comments, events and rating, and who writes them
//! (the assignee mostly, the reporter for the customer).

use super::Sim;
use crate::people::{Person, team_member};
use crate::policy::{LEADS, TEAM};
use crate::rng::Rng;
use crate::timeline::{CommentPlan, EventPlan, RatingPlan, is_closed};

/// What a customer writes with a rating, by score.
const RATING_WORDS: &[(u8, &str)] = &[
    (5, "Quick and clear, thank you."),
    (5, "Solved on the first reply. Great support."),
    (5, "Thanks for staying on it until it worked."),
    (4, "Good answer, it just took a while."),
    (4, "Fixed, thanks. The docs could say this more clearly."),
    (3, "It works now, but I had to explain the problem twice."),
    (3, "Okay in the end."),
    (2, "Too slow for a production issue."),
    (2, "The workaround helps, but the bug is still there."),
    (1, "Nobody answered for days."),
    (1, "Closed without fixing anything."),
];

impl Sim<'_> {
    /// A CSAT rating, lower when something came late.
    pub(super) fn rate(&mut self, at: i64, rng: &mut Rng) {
        let weights: &[u32] = if self.late {
            &[20, 20, 25, 20, 15]
        } else {
            &[3, 4, 8, 30, 55]
        };
        let rating = rng.weighted(weights) as u8 + 1;
        let body = if rng.chance(0.45) {
            let fits: Vec<&str> = RATING_WORDS
                .iter()
                .filter(|(r, _)| *r == rating)
                .map(|(_, w)| *w)
                .collect();
            rng.pick(&fits).to_string()
        } else {
            String::new()
        };
        let recorded_by = rng.chance(0.08).then(|| self.replier(rng));
        self.played.rating = Some(RatingPlan {
            author: self.reporter.clone(),
            created: at,
            ms: rng.below(1000) as u16,
            rating,
            recorded_by,
            body,
            suffix: rng.crockford(4),
        });
    }

    /// Assigns the ticket at `at`: a lead routes it, or a member takes it.
    pub(super) fn assign(&mut self, at: i64, rng: &mut Rng) {
        let to = rng.below(TEAM.len());
        let by = if rng.chance(0.55) {
            to
        } else {
            rng.below(LEADS)
        };
        self.event(team_member(by), at, "assignee", None, Some(TEAM[to].0), rng);
        self.assignee = Some(to);
    }

    /// Who replies for the team: mostly the assignee, sometimes a colleague.
    pub(super) fn replier(&self, rng: &mut Rng) -> Person {
        match self.assignee {
            Some(a) if rng.chance(0.85) => team_member(a),
            _ => team_member(rng.below(TEAM.len())),
        }
    }

    /// Who writes for the customer: mostly the reporter, sometimes a colleague of theirs.
    pub(super) fn customer_voice(&self, rng: &mut Rng) -> Person {
        match self.customer {
            Some(c) if c.contacts.len() > 1 && rng.chance(0.1) => rng.pick(&c.contacts).clone(),
            _ => self.reporter.clone(),
        }
    }

    /// Moves the status, pausing or restarting the resolution clock.
    pub(super) fn set_status(&mut self, to: &'static str, at: i64, who: Person, rng: &mut Rng) {
        let from = self.status;
        let runs = !(is_closed(to) || to == "pending");
        match (self.running, runs) {
            (Some(since), false) => {
                self.used += self.clock.secs(since, at);
                self.running = None;
            }
            (None, true) => self.running = Some(at),
            _ => {}
        }
        self.status = to;
        self.event(who, at, "status", Some(from), Some(to), rng);
    }

    /// Records an event.
    pub(super) fn event(
        &mut self,
        author: Person,
        at: i64,
        kind: &'static str,
        from: Option<&str>,
        to: Option<&str>,
        rng: &mut Rng,
    ) {
        self.played.events.push(EventPlan {
            author,
            created: at,
            ms: rng.below(1000) as u16,
            kind,
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            suffix: rng.crockford(4),
        });
    }

    /// Records a comment at the current time: team replies read like answers, the rest
    /// like reports.
    pub(super) fn comment(&mut self, author: Person, internal: bool, rng: &mut Rng) {
        let corpus = self.corpus;
        let body = if author.handle.is_some() && !internal && rng.chance(0.6) {
            let n = rng.range(1, 2);
            (0..n)
                .map(|_| rng.pick(&corpus.answer_paras).as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        } else {
            rng.pick(&corpus.ticket_paras).clone()
        };
        self.played.comments.push(CommentPlan {
            author,
            created: self.at,
            ms: rng.below(1000) as u16,
            internal,
            suffix: rng.crockford(4),
            body,
        });
    }
}
