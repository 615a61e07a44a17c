//! Event hooks: after a change is committed, the commands the config names for what
//! happened run with the event as JSON on standard input, each within its time limit.
//! A hook that fails or hangs gives a warning; the change stands.
//!
//! Decisions:
//! - The events come from the files a transaction wrote: a new ticket file is `created`;
//!   a new event file with `event: status` is `status_changed`, with `event: assignee`
//!   `assigned`; a new comment file (or note) is `commented`. So every command that
//!   changes a ticket (`new`, `set`, `reply`, `edit`, `close`, `import`, ...) fires the same
//!   events for the same change. `sla_breached` comes from `sla` and `automate` (see
//!   `sla`), `rule` from `automate`'s `hook` action, both through [`Desk::run_hooks`].
//! - Hooks run after the commit, once the write lock is released and Ctrl-C is no longer
//!   deferred: a hook may run docket itself (it sees the change, and cannot deadlock on
//!   the lock), and Ctrl-C stops a slow hook. They run one at a time, in the config's
//!   order, for each event in the order of the files.
//! - With `--no-commit` (or `commit: false`) hooks run too, as the files did change; the
//!   event then has no `commit`. A change that finished an interrupted one fires nothing
//!   for the interrupted part.
//! - A hook gets `DOCKET_EVENT` (the event's kind), `DOCKET_TICKET` (the id) and
//!   `DOCKET_HOOK_DEPTH` in its environment. A docket run [`MAX_DEPTH`] hooks deep (by a
//!   hook of a docket run by a hook ...) runs no hooks and says so: a hook that comments
//!   on `commented` would otherwise never end.
//! - A time limit that does not read as a duration, or is zero, gives a warning and the
//!   default 10s.

mod process;
mod sla;

use std::time::Duration;

use super::{Change, Desk};
use crate::doc::Document;
use crate::git::{CommitInfo, Identity};
use crate::model::{
    Entry, EventKind, Hook, HookComment, HookEvent, HookKind, HookTicket, Ticket, format_time,
};
use crate::store::{FileRole, entry_from_doc, ticket_from_doc};
use crate::support::duration::format_duration;
use crate::support::parse_duration;

use process::Ended;

/// How deep hooks may nest (docket in a hook of docket in a hook ...).
pub const MAX_DEPTH: u32 = 4;

/// The environment variable that carries the nesting depth to a hook.
const DEPTH_VAR: &str = "DOCKET_HOOK_DEPTH";

/// The time limit when the config's does not read.
const DEFAULT_LIMIT: i64 = 10;

impl Desk {
    /// Runs the hooks for `events`; the warnings, one line each.
    pub fn run_hooks(&self, events: &[HookEvent]) -> Vec<String> {
        let config = &self.store().config().hooks;
        let mut warnings = Vec::new();
        if config.run.is_empty() || events.is_empty() {
            return warnings;
        }
        let depth = hook_depth();
        if depth >= MAX_DEPTH {
            warnings.push(format!(
                "hooks not run: this docket runs {depth} hooks deep (does a hook trigger itself?)"
            ));
            return warnings;
        }
        let fallback = limit(
            &config.timeout,
            "hooks.timeout",
            DEFAULT_LIMIT,
            &mut warnings,
        );
        for event in events {
            let mut input = serde_json::to_vec(event).unwrap_or_default();
            input.push(b'\n');
            let wanted = |h: &&Hook| h.on.is_empty() || h.on.contains(&event.event);
            for hook in config.run.iter().filter(wanted) {
                if hook.command.trim().is_empty() {
                    continue;
                }
                let limit_secs = match &hook.timeout {
                    Some(t) => limit(t, "a hook's timeout", fallback, &mut warnings),
                    None => fallback,
                };
                warnings.extend(self.run_one(&hook.command, limit_secs, event, &input, depth));
            }
        }
        warnings
    }

    /// Whether some hook runs on events of `kind` (callers skip building events no hook
    /// reads).
    pub fn hooks_listen(&self, kind: HookKind) -> bool {
        let hooks = &self.store().config().hooks.run;
        hooks
            .iter()
            .any(|h| h.on.is_empty() || h.on.contains(&kind))
    }

    /// Runs the hooks for what a committed change did (see the module's notes): the
    /// warnings. `files` are those written, `fresh[i]` whether `files[i]` is new.
    pub(super) fn hooks_after(
        &self,
        change: &Change,
        files: &[(String, String)],
        fresh: &[bool],
        commit: Option<&CommitInfo>,
        author: &Identity,
        now: jiff::Timestamp,
    ) -> Vec<String> {
        if self.store().config().hooks.run.is_empty() {
            return Vec::new();
        }
        let events = self.change_events(change, files, fresh, commit, author, now);
        self.run_hooks(&events)
    }

    /// The events of a change, from the files it wrote.
    fn change_events(
        &self,
        change: &Change,
        files: &[(String, String)],
        fresh: &[bool],
        commit: Option<&CommitInfo>,
        author: &Identity,
        now: jiff::Timestamp,
    ) -> Vec<HookEvent> {
        let store = self.store();
        let rule = change
            .trailers
            .iter()
            .find(|(k, _)| *k == "Docket-Rule")
            .map(|(_, v)| v.clone());
        let mut out = Vec::new();
        for ((rel, text), _) in files.iter().zip(fresh).filter(|(_, new)| **new) {
            let (event, ticket_rel, from, to, comment) = match store.file_role(rel) {
                Some(FileRole::Ticket) => (HookKind::Created, rel.clone(), None, None, None),
                Some(FileRole::Comment { ticket }) => {
                    let Ok(doc) = Document::parse(text.as_bytes()) else {
                        continue;
                    };
                    match entry_from_doc(&doc) {
                        Ok(Entry::Comment(c)) => {
                            let comment = HookComment {
                                author: c.author,
                                internal: c.internal,
                                body: doc.body().to_string(),
                            };
                            (HookKind::Commented, ticket, None, None, Some(comment))
                        }
                        Ok(Entry::Event(e)) => {
                            let kind = match e.event {
                                EventKind::Status => HookKind::StatusChanged,
                                EventKind::Assignee => HookKind::Assigned,
                                _ => continue,
                            };
                            (kind, ticket, e.from, e.to, None)
                        }
                        _ => continue,
                    }
                }
                _ => continue,
            };
            let written = files.iter().find(|(p, _)| *p == ticket_rel);
            let Some(ticket) = self.hook_ticket(&ticket_rel, written.map(|(_, t)| t.as_str()))
            else {
                continue;
            };
            out.push(HookEvent {
                event,
                time: format_time(now),
                actor: author.to_string(),
                ticket,
                from,
                to,
                comment,
                target: None,
                rule: rule.clone(),
                commit: commit.map(|c| c.id.clone()),
            });
        }
        out
    }

    /// A ticket as a hook event gives it: from `text` when the change wrote it, else as
    /// its file now is. `None` when it does not read.
    pub(super) fn hook_ticket(&self, rel: &str, text: Option<&str>) -> Option<HookTicket> {
        let store = self.store();
        let ticket: Ticket = match text {
            Some(t) => ticket_from_doc(&Document::parse(t.as_bytes()).ok()?).ok()?,
            None => store.load_ticket(rel).ok()?.ticket,
        };
        let customer = match &ticket.customer {
            Some(slug) => store.customer_values(slug).ok().flatten(),
            None => None,
        };
        let band = crate::support::standing(store.config(), &ticket, customer.as_ref())
            .priority
            .band;
        Some(HookTicket {
            id: ticket.id.to_string(),
            title: ticket.title,
            status: ticket.status,
            path: rel.to_string(),
            assignee: ticket.assignee,
            customer: ticket.customer,
            priority: Some(band),
            kind: ticket.kind,
            labels: ticket.labels,
        })
    }
}

/// Seconds of a time limit as config writes it; `fallback` (with a warning) when it does
/// not read or is zero.
fn limit(text: &str, what: &str, fallback: i64, warnings: &mut Vec<String>) -> i64 {
    match parse_duration(text) {
        Ok(secs) if secs > 0 => secs,
        Ok(_) => {
            warnings.push(format!(
                "{what} `{text}` is zero; hooks ran with {}",
                format_duration(fallback)
            ));
            fallback
        }
        Err(e) => {
            warnings.push(format!(
                "{what}: {e}; hooks ran with {}",
                format_duration(fallback)
            ));
            fallback
        }
    }
}

/// A hook's command for a message: one line, at most 60 characters.
fn shown(command: &str) -> String {
    let line = command.trim().replace(['\n', '\r'], " ");
    if line.chars().count() <= 60 {
        return line;
    }
    line.chars().take(57).collect::<String>() + "..."
}

/// How a process that did not succeed ended.
fn described(status: std::process::ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exit code {code}");
    }
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return format!("killed by signal {signal}");
    }
    "ended without an exit code".into()
}

impl Desk {
    /// Runs one command (an automation rule's `hook`) with `event` on standard input,
    /// within `timeout` (`None`: the config's `hooks.timeout`); the warnings.
    pub(crate) fn run_command_hook(
        &self,
        command: &str,
        timeout: Option<&str>,
        event: &HookEvent,
    ) -> Vec<String> {
        let mut warnings = Vec::new();
        let depth = hook_depth();
        if depth >= MAX_DEPTH {
            warnings.push(format!(
                "hooks not run: this docket runs {depth} hooks deep (does a hook trigger itself?)"
            ));
            return warnings;
        }
        let config = &self.store().config().hooks;
        let fallback = limit(
            &config.timeout,
            "hooks.timeout",
            DEFAULT_LIMIT,
            &mut warnings,
        );
        let limit_secs = match timeout {
            Some(t) => limit(t, "a hook's timeout", fallback, &mut warnings),
            None => fallback,
        };
        let mut input = serde_json::to_vec(event).unwrap_or_default();
        input.push(b'\n');
        warnings.extend(self.run_one(command, limit_secs, event, &input, depth));
        warnings
    }

    /// Runs one hook command for one event; a warning if it failed or timed out.
    fn run_one(
        &self,
        command: &str,
        limit_secs: i64,
        event: &HookEvent,
        input: &[u8],
        depth: u32,
    ) -> Option<String> {
        let env = [
            ("DOCKET_EVENT", event.event.as_str().to_string()),
            ("DOCKET_TICKET", event.ticket.id.clone()),
            (DEPTH_VAR, (depth + 1).to_string()),
        ];
        let limit_time = Duration::from_secs(limit_secs.unsigned_abs());
        let ended = process::run(command, self.repo().workdir(), input, &env, limit_time);
        let what = format!(
            "hook `{}` on {} of {}",
            shown(command),
            event.event.as_str(),
            event.ticket.id
        );
        match ended {
            Ended::Done => None,
            Ended::Failed(status) => Some(format!("{what} failed: {}", described(status))),
            Ended::TimedOut => Some(format!(
                "{what} timed out: stopped after {}",
                format_duration(limit_secs)
            )),
            Ended::NotStarted(e) => Some(format!("{what} failed: `sh` could not start: {e}")),
        }
    }
}

/// How deep in hooks this docket runs (0: not in a hook).
fn hook_depth() -> u32 {
    std::env::var(DEPTH_VAR)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_durations_or_fall_back_with_a_warning() {
        let mut w = Vec::new();
        assert_eq!(limit("1s", "x", 10, &mut w), 1);
        assert_eq!(limit("2m", "x", 10, &mut w), 120);
        assert!(w.is_empty());
        assert_eq!(limit("0s", "x", 10, &mut w), 10);
        assert_eq!(limit("soon", "x", 10, &mut w), 10);
        assert_eq!(w.len(), 2);
        assert!(w[1].contains("`soon` is not a duration"), "{}", w[1]);
    }

    #[test]
    fn commands_are_shown_on_one_short_line() {
        assert_eq!(shown("  ./notify\n --all "), "./notify  --all");
        assert_eq!(shown(&"x".repeat(80)).chars().count(), 60);
    }
}
