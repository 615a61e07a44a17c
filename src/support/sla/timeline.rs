//! A ticket's timeline as the SLA clocks read it: when it opened, each status it had and
//! since when, and each public reply by the team or the customer. Built from the ticket
//! and the files of its folder alone, so a squash merge, a rebase or an import gives the
//! same figures. A ticket with no status events (written by hand or imported) gets a
//! timeline inferred from `created` and `resolved`: it had the workflow's initial status
//! from `created`, and its status now since `resolved` when it is closed, else since the
//! last thing that happened to it.

use jiff::Timestamp;

use crate::model::{Config, Entry, EventKind, Ticket};

/// What happened, as the clocks care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happening {
    /// The status became this.
    Status(String),
    /// A public comment by a team member.
    TeamReply,
    /// A public comment by anyone else.
    CustomerComment,
    /// A CSAT rating.
    Rating(u8),
}

/// A ticket's timeline, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// When the ticket opened.
    pub created: Timestamp,
    /// Its status at `created`.
    pub first_status: String,
    /// What happened after, in time order.
    pub happenings: Vec<(Timestamp, Happening)>,
    /// Whether the statuses were inferred (no status event in the folder).
    pub inferred: bool,
}

impl Timeline {
    /// The timeline of a ticket from the entries of its folder (in any order). None when
    /// `created` is no instant (`check` reports it).
    pub fn build<'a>(
        ticket: &Ticket,
        entries: impl IntoIterator<Item = &'a Entry>,
        config: &Config,
    ) -> Option<Timeline> {
        // To the second, as files write times: the facts then survive the index's form.
        let second = |t: Timestamp| Timestamp::from_second(t.as_second()).unwrap_or(t);
        let created = second(ticket.created.moment().order()?);
        let mut happenings = Vec::new();
        let mut first_status = None;
        let mut saw_status = false;
        for e in entries {
            let Some(at) = e.created().moment().order().map(second) else {
                continue;
            };
            let what = match e {
                Entry::Comment(c) if c.internal => continue,
                Entry::Comment(c) => {
                    if config.team_member(&c.author).is_some() {
                        Happening::TeamReply
                    } else {
                        Happening::CustomerComment
                    }
                }
                Entry::Event(ev) if ev.event == EventKind::Status => {
                    let Some(to) = &ev.to else { continue };
                    if !saw_status {
                        first_status = ev.from.clone();
                    }
                    saw_status = true;
                    Happening::Status(to.clone())
                }
                Entry::Event(_) => continue,
                Entry::Rating(r) => Happening::Rating(r.rating),
            };
            happenings.push((at.max(created), what));
        }
        happenings.sort_by_key(|(at, _)| *at);
        let wf = &config.workflow;
        let mut t = Timeline {
            created,
            first_status: first_status.unwrap_or_else(|| wf.initial.clone()),
            happenings,
            inferred: !saw_status,
        };
        // The file's status is the truth now: when the events do not end there (a hand
        // edit, an import), it holds since `resolved` if it is a closed one, else since
        // the last thing that happened.
        if t.status_now() != ticket.status {
            let resolved = ticket
                .resolved
                .as_ref()
                .and_then(|r| r.moment().order())
                .map(second);
            let last = t.happenings.last().map_or(created, |(at, _)| *at);
            let since = match resolved {
                Some(r) if wf.is_closed(&ticket.status) && !wf.is_closed(t.status_now()) => {
                    r.max(created)
                }
                _ => last,
            };
            t.happenings
                .push((since, Happening::Status(ticket.status.clone())));
            t.happenings.sort_by_key(|(at, _)| *at);
        }
        Some(t)
    }

    /// The status after every happening.
    pub fn status_now(&self) -> &str {
        self.happenings
            .iter()
            .rev()
            .find_map(|(_, h)| match h {
                Happening::Status(s) => Some(s.as_str()),
                _ => None,
            })
            .unwrap_or(&self.first_status)
    }

    /// The spans in which the clocks run (the status neither pauses them nor is a
    /// closed one), in order; the last one's end is None while it still runs.
    pub fn running(&self, config: &Config) -> Vec<(Timestamp, Option<Timestamp>)> {
        let runs =
            |s: &str| !config.workflow.is_closed(s) && !config.sla.paused.iter().any(|p| p == s);
        let mut out = Vec::new();
        let mut open: Option<Timestamp> = runs(&self.first_status).then_some(self.created);
        for (at, h) in &self.happenings {
            let Happening::Status(s) = h else { continue };
            match (open, runs(s)) {
                (Some(start), false) => {
                    out.push((start, Some(*at)));
                    open = None;
                }
                (None, true) => open = Some(*at),
                _ => {}
            }
        }
        if let Some(start) = open {
            out.push((start, None));
        }
        out
    }

    /// When it was last closed, if it is closed now.
    pub fn closed_at(&self, config: &Config) -> Option<Timestamp> {
        let wf = &config.workflow;
        if !wf.is_closed(self.status_now()) {
            return None;
        }
        let mut at = None;
        let mut was_closed = wf.is_closed(&self.first_status);
        if was_closed {
            at = Some(self.created);
        }
        for (t, h) in &self.happenings {
            if let Happening::Status(s) = h {
                let closed = wf.is_closed(s);
                if closed && !was_closed {
                    at = Some(*t);
                }
                was_closed = closed;
            }
        }
        at
    }
}
