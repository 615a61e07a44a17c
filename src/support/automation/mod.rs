//! Automation conditions: whether an `automation:` rule's `when` holds for a ticket, and
//! the condition string that names this occurrence of it, so a rule fires once per
//! ticket and condition however often `automate` runs.
//!
//! The condition string is built from the facts the rule looked at, each with the moment
//! that anchors it: the status and when the ticket entered it, the last activity for
//! `idle`, the SLA target and its deadline, the labels and tier matched. While those stay
//! the same the rule has fired already; when one moves (someone replies, the ticket
//! leaves the status and comes back, a new SLA clock starts) it is a new occurrence.
//!
//! Activity is what people do: comments, events, ratings and the ticket's opening. What
//! `automate` itself wrote (the entries sharing the author and time of one of its rule
//! events) does not count, so a reminder does not restart the idle time that a later rule
//! (close after 14 days idle) waits for.

use jiff::Timestamp;

use crate::model::{AutomationRule, Config, Entry, EventKind, SlaCondition, format_time};
use crate::support::parse_duration;

/// A rule with its durations read.
#[derive(Debug, Clone)]
pub struct Compiled<'a> {
    /// The rule.
    pub rule: &'a AutomationRule,
    idle: Option<i64>,
    age: Option<i64>,
    within: i64,
}

/// The default at-risk window, as `docket sla` has it.
pub const AT_RISK_DEFAULT: &str = "2h";

/// What a rule is judged on: the ticket's values and what its timeline says.
#[derive(Debug, Clone)]
pub struct Situation<'a> {
    /// Status.
    pub status: &'a str,
    /// Labels.
    pub labels: &'a [String],
    /// The customer's tier.
    pub tier: Option<&'a str>,
    /// When it opened.
    pub created: Timestamp,
    /// The latest activity by people (see the module doc); `None` while unknown (the
    /// timeline not read yet), when `idle` is taken to hold.
    pub active: Option<Timestamp>,
    /// When the ticket entered its status (`None`: unknown, taken as `created`).
    pub status_since: Option<Timestamp>,
    /// The SLA clocks that need attention: target, whether breached, working seconds
    /// left, and the deadline of a running clock.
    pub sla: Vec<SlaClock>,
}

/// One SLA clock that is breached or running short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaClock {
    /// `first_response`, `next_response` or `resolution`.
    pub target: String,
    /// Breached.
    pub breached: bool,
    /// Working seconds left (negative: overdue).
    pub left: i64,
    /// The deadline of a running clock.
    pub due: Option<Timestamp>,
}

/// What a ticket's timeline says for automation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    /// The latest activity by people.
    pub active: Option<Timestamp>,
    /// When the current status was entered (its latest status event).
    pub status_since: Option<Timestamp>,
    /// The rules that fired, with their condition strings.
    pub fired: Vec<(String, String)>,
}

/// Reads a ticket's timeline for automation (see the module doc).
pub fn activity<'a>(created: Timestamp, entries: impl IntoIterator<Item = &'a Entry>) -> Activity {
    let entries: Vec<&Entry> = entries.into_iter().collect();
    let mut out = Activity::default();
    let mut marks: Vec<(&str, Timestamp)> = Vec::new();
    for e in &entries {
        if let Entry::Event(ev) = e
            && ev.event == EventKind::Rule
        {
            out.fired.push((
                ev.to.clone().unwrap_or_default(),
                ev.condition.clone().unwrap_or_default(),
            ));
            if let Some(at) = ev.created.instant() {
                marks.push((ev.author.as_str(), at));
            }
        }
    }
    let mut active = created;
    for e in &entries {
        let Some(at) = e.created().instant() else {
            continue;
        };
        if let Entry::Event(ev) = e
            && ev.event == EventKind::Status
            && out.status_since.is_none_or(|s| at > s)
        {
            out.status_since = Some(at);
        }
        let automated = matches!(e, Entry::Event(ev) if ev.event == EventKind::Rule)
            || marks
                .iter()
                .any(|(who, when)| *who == e.author() && *when == at);
        if !automated && at > active {
            active = at;
        }
    }
    out.active = Some(active);
    out
}

/// A problem with a rule, for `check`: its index, the key under it and the message.
pub type RuleProblem = (usize, &'static str, String);

/// Reads every rule's durations; the problems, if any.
pub fn compile(rules: &[AutomationRule]) -> Result<Vec<Compiled<'_>>, Vec<RuleProblem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let mut read = |key: &'static str, text: Option<&str>| -> Option<i64> {
            let text = text?;
            match parse_duration(text) {
                Ok(s) => Some(s),
                Err(e) => {
                    problems.push((i, key, format!("rule `{}`: {e}", rule.name)));
                    None
                }
            }
        };
        let idle = read("idle", rule.when.idle.as_deref());
        let age = read("age", rule.when.age.as_deref());
        let within = read(
            "within",
            Some(rule.when.within.as_deref().unwrap_or(AT_RISK_DEFAULT)),
        )
        .unwrap_or(0);
        out.push(Compiled {
            rule,
            idle,
            age,
            within,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Problems with the `automation` section: names missing or repeated, durations that do
/// not read, statuses and tiers that are not in the config, an action-less rule.
pub fn problems(config: &Config) -> Vec<super::config::ConfigProblem> {
    let mut out = Vec::new();
    let at = |i: usize, key: &str| {
        let mut p = vec!["automation".to_string(), i.to_string()];
        if !key.is_empty() {
            p.extend(key.split('.').map(str::to_string));
        }
        p
    };
    if let Err(ps) = compile(&config.automation) {
        for (i, key, message) in ps {
            out.push((at(i, &format!("when.{key}")), message));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, r) in config.automation.iter().enumerate() {
        if r.name.trim().is_empty() {
            out.push((
                at(i, "name"),
                format!(
                    "automation rule {} has no name: give it one (it is recorded when the rule fires)",
                    i + 1
                ),
            ));
        } else if !seen.insert(r.name.as_str()) {
            out.push((
                at(i, "name"),
                format!(
                    "automation rule name `{}` is used twice: names must be unique",
                    r.name
                ),
            ));
        }
        for s in &r.when.status {
            if !config.workflow.knows(s) {
                out.push((
                    at(i, "when.status"),
                    format!(
                        "rule `{}` names status `{s}`, which is not in `workflow.statuses`",
                        r.name
                    ),
                ));
            }
        }
        for t in &r.when.tier {
            if !config.tiers.contains(t) {
                out.push((
                    at(i, "when.tier"),
                    format!(
                        "rule `{}` names tier `{t}`, which is not in `tiers`",
                        r.name
                    ),
                ));
            }
        }
        let then = &r.then;
        if then.set.is_empty()
            && then.assign.is_none()
            && then.comment.is_none()
            && !then.close
            && then.hook.is_none()
        {
            out.push((
                at(i, "then"),
                format!(
                    "rule `{}` does nothing: give it `set`, `assign`, `comment`, `close` or `hook`",
                    r.name
                ),
            ));
        }
    }
    out
}

impl Compiled<'_> {
    /// Whether the rule can hold for a ticket with this status, these labels and this
    /// tier, before its timeline is read.
    pub fn may_hold(&self, s: &Situation, closed: &[String], now: Timestamp) -> bool {
        self.condition(
            &Situation {
                active: None,
                ..s.clone()
            },
            closed,
            now,
        )
        .is_some()
    }

    /// The condition string when the rule holds for `s` at `now` (`closed`: the
    /// workflow's closed statuses; a rule without `status` looks at open tickets only).
    pub fn condition(&self, s: &Situation, closed: &[String], now: Timestamp) -> Option<String> {
        let w = &self.rule.when;
        let mut parts: Vec<String> = Vec::new();
        if w.status.is_empty() {
            if closed.iter().any(|c| c == s.status) {
                return None;
            }
        } else {
            if !w.status.iter().any(|x| x == s.status) {
                return None;
            }
            let since = s.status_since.unwrap_or(s.created);
            parts.push(format!("status={} since {}", s.status, format_time(since)));
        }
        if !w.labels.is_empty() {
            let mut hit: Vec<&str> = s
                .labels
                .iter()
                .filter(|l| w.labels.contains(l))
                .map(String::as_str)
                .collect();
            if hit.is_empty() {
                return None;
            }
            hit.sort_unstable();
            parts.push(format!("labels={}", hit.join(",")));
        }
        if !w.tier.is_empty() {
            let tier = s.tier.filter(|t| w.tier.iter().any(|x| x == t))?;
            parts.push(format!("tier={tier}"));
        }
        if let Some(age) = self.age {
            if now.as_second() - s.created.as_second() < age {
                return None;
            }
            parts.push("age".into());
        }
        if let Some(want) = w.sla {
            let mut hit: Vec<String> = s
                .sla
                .iter()
                .filter(|c| match want {
                    SlaCondition::Breached => c.breached,
                    SlaCondition::AtRisk => c.breached || c.left <= self.within,
                })
                .map(|c| match c.due {
                    Some(due) => format!("{} due {}", c.target, format_time(due)),
                    None => c.target.clone(),
                })
                .collect();
            if hit.is_empty() {
                return None;
            }
            hit.sort();
            parts.push(format!("sla={}", hit.join(",")));
        }
        if let Some(idle) = self.idle {
            if let Some(active) = s.active {
                if now.as_second() - active.as_second() < idle {
                    return None;
                }
                parts.push(format!("idle since {}", format_time(active)));
            } else {
                parts.push("idle".into());
            }
        }
        Some(parts.join("; "))
    }
}

#[cfg(test)]
mod tests;
