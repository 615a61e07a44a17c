//! The pace of a ticket's conversation: whose turn it is, how long the team takes to
//! answer (a share of the SLA target, a few times past it), how long customers take,
//! and the clock those delays run on.

use crate::calendar::Business;
use crate::rng::Rng;

/// Who speaks next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// A public team reply.
    Team,
    /// An internal note (always followed by a team reply).
    Note,
    /// A customer comment.
    Customer,
    /// A customer comment after the close, which reopens the ticket.
    Reopen,
}

/// The clock of a ticket's SLA policy and its targets, in seconds of that clock.
pub struct Clock<'a> {
    /// Business hours.
    pub cal: &'a Business,
    /// Whether the team works business hours on it (else around the clock).
    pub business: bool,
    /// First-response target.
    pub first: Option<i64>,
    /// Next-response target.
    pub next: Option<i64>,
    /// Resolution target.
    pub resolution: Option<i64>,
    /// An around-the-clock policy: the team and the customer move fast.
    pub urgent: bool,
}

impl Clock<'_> {
    /// When `secs` seconds of this clock have passed since `from`.
    pub fn after(&self, from: i64, secs: i64) -> i64 {
        if self.business {
            self.cal.add(from, secs.max(1))
        } else {
            from + secs
        }
    }

    /// Seconds of this clock in `[from, to)`.
    pub fn secs(&self, from: i64, to: i64) -> i64 {
        if self.business {
            self.cal.working_secs(from, to)
        } else {
            (to - from).max(0)
        }
    }
}

/// The order of `n` comments: the team answers first; then mostly the customer and the
/// team take turns, with a team follow-up now and then and an internal note before
/// some replies. A reopened ticket ends with the customer's comment and the answer to
/// it; `team_last` makes the team speak last (it then waits on the customer).
pub fn turns(n: usize, reopen: bool, team_last: bool, rng: &mut Rng) -> Vec<Turn> {
    let reopen = reopen && n >= 3;
    let main = if reopen { n.saturating_sub(2) } else { n };
    let mut out = Vec::with_capacity(n);
    let mut team_spoke = false;
    while out.len() < main {
        if !team_spoke {
            if out.len() + 1 < main && rng.chance(0.07) {
                out.push(Turn::Note);
            }
            out.push(Turn::Team);
            team_spoke = true;
        } else if rng.chance(0.1) {
            out.push(Turn::Team);
        } else {
            out.push(Turn::Customer);
            team_spoke = false;
        }
    }
    if team_last && out.last() == Some(&Turn::Customer) {
        out.pop();
        out.push(Turn::Team);
    }
    if reopen {
        out.push(Turn::Reopen);
        out.push(Turn::Team);
    }
    out
}

/// How long the team takes to reply, in seconds of the ticket's clock: a share of the
/// target, or past it with probability `late`; without a target, anything from half
/// an hour to a few working days.
pub fn reply_delay(target: Option<i64>, late: f64, rng: &mut Rng) -> i64 {
    let secs = match target {
        Some(t) if rng.chance(late) => t as f64 * rng.between(1.05, 2.5),
        Some(t) => {
            let share = match rng.weighted(&[50, 35, 15]) {
                0 => rng.between(0.02, 0.25),
                1 => rng.between(0.25, 0.6),
                _ => rng.between(0.6, 0.95),
            };
            t as f64 * share
        }
        None => {
            let (lo, hi) = [(0.3, 2.0), (2.0, 8.0), (8.0, 24.0), (24.0, 60.0)]
                [rng.weighted(&[35, 35, 20, 10])];
            3600.0 * rng.between(lo, hi)
        }
    };
    (secs as i64).max(300)
}

/// How long a customer takes to answer, in wall-clock seconds.
pub fn customer_gap(urgent: bool, rng: &mut Rng) -> i64 {
    let (lo, hi) = if urgent {
        (300.0, 7200.0)
    } else {
        [
            (300.0, 3600.0),
            (3600.0, 6.0 * 3600.0),
            (6.0 * 3600.0, 30.0 * 3600.0),
            (30.0 * 3600.0, 5.0 * 86_400.0),
        ][rng.weighted(&[35, 30, 25, 10])]
    };
    rng.between(lo, hi) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_start_with_the_team_and_keep_the_count() {
        let mut rng = Rng::new(5);
        for n in 0..12 {
            for (reopen, team_last) in [(false, false), (true, false), (false, true)] {
                let t = turns(n, reopen, team_last, &mut rng);
                assert_eq!(t.len(), n, "{n} {reopen} {team_last}: {t:?}");
                if let Some(first) = t.iter().find(|t| **t != Turn::Note) {
                    assert_eq!(*first, Turn::Team, "{t:?}");
                }
                for w in t.windows(2) {
                    if w[0] == Turn::Note {
                        assert_eq!(w[1], Turn::Team, "{t:?}");
                    }
                }
                if team_last && n > 0 {
                    assert_eq!(t.last(), Some(&Turn::Team), "{t:?}");
                }
                if reopen && n >= 3 {
                    assert_eq!(&t[n - 2..], &[Turn::Reopen, Turn::Team]);
                }
            }
        }
    }

    #[test]
    fn replies_are_mostly_within_the_target() {
        let mut rng = Rng::new(9);
        let late = (0..10_000)
            .filter(|_| reply_delay(Some(3600), 0.04, &mut rng) > 3600)
            .count();
        assert!((250..550).contains(&late), "{late} of 10000 late");
    }
}
