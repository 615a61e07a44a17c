//! What `check` says about the `routing`, `groups` and `triage` sections: each problem
//! under its key path, its message saying how to fix it.

use std::collections::BTreeSet;

use super::{compile, rule_label};
use crate::model::Config;
use crate::support::config::ConfigProblem;

/// The ticket keys `triage.untriaged` may name besides custom fields.
const UNTRIAGED_KEYS: &[&str] = &[
    "assignee",
    "type",
    "labels",
    "priority",
    "customer",
    "importance",
    "urgency",
];

fn key(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

/// Problems with the `routing`, `groups` and `triage` sections.
pub fn problems(config: &Config) -> Vec<ConfigProblem> {
    let mut out = Vec::new();
    rule_problems(config, &mut out);
    group_problems(config, &mut out);
    triage_problems(config, &mut out);
    out
}

fn rule_problems(config: &Config, out: &mut Vec<ConfigProblem>) {
    let team: Vec<&str> = config.team.iter().map(|m| m.handle.as_str()).collect();
    let in_team = |h: &str| team.is_empty() || team.contains(&h);
    let bands: Vec<&str> = config
        .priority
        .bands
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    let mut seen = BTreeSet::new();
    for (i, rule) in config.routing.rules.iter().enumerate() {
        let n = i.to_string();
        let at = |rest: &[&str]| {
            let mut p = key(&["routing", "rules", &n]);
            p.extend(key(rest));
            p
        };
        let who = rule_label(i, rule);
        if rule.name.trim().is_empty() {
            out.push((
                at(&["name"]),
                format!("{who} has no `name`; give it one (triage prints it and the commit's `Docket-Rule:` trailer names it)"),
            ));
        } else if !seen.insert(rule.name.as_str()) {
            out.push((
                at(&["name"]),
                format!("{who} has the name of an earlier rule; give each rule its own name"),
            ));
        }
        let w = &rule.when;
        for (k, p) in [("text", &w.text), ("title", &w.title), ("body", &w.body)] {
            if let Err(e) = compile(i, rule, k, p.as_deref()) {
                out.push((e.key, e.message));
            }
        }
        let then = &rule.then;
        if let Some(a) = then.assignee.as_deref() {
            let wrong = match a.strip_prefix("group:") {
                Some(g) => (!config.groups.contains_key(g)).then(|| {
                    format!("{who} assigns to group `{g}`, which `groups` does not define; define it under `groups:` or name a team member")
                }),
                None => (!in_team(a)).then(|| {
                    format!(
                        "{who} assigns to `{a}`, who is not in `team`; name one of {} or `group:NAME`",
                        team.join(", ")
                    )
                }),
            };
            if let Some(m) = wrong {
                out.push((at(&["then", "assignee"]), m));
            }
        }
        for (k, v) in [("importance", then.importance), ("urgency", then.urgency)] {
            if let Some(v) = v.filter(|v| !(1..=5).contains(v)) {
                out.push((
                    at(&["then", k]),
                    format!("{who} sets {k} {v}; it goes from 1 to 5"),
                ));
            }
        }
        if let Some(p) = then.priority.as_deref().filter(|p| !bands.contains(p)) {
            out.push((
                at(&["then", "priority"]),
                format!(
                    "{who} sets priority `{p}`, which no band in `priority.bands` has; name one of {}",
                    bands.join(", ")
                ),
            ));
        }
        if then.labels.iter().any(|l| l.trim().is_empty()) {
            out.push((
                at(&["then", "labels"]),
                format!("{who} adds an empty label; remove it or give it text"),
            ));
        }
        let sets_nothing = then.assignee.is_none()
            && then.labels.is_empty()
            && then.kind.is_none()
            && then.importance.is_none()
            && then.urgency.is_none()
            && then.priority.is_none();
        if sets_nothing {
            out.push((
                at(&["then"]),
                format!("{who} sets nothing; give `then` an assignee, labels, type, importance, urgency or priority"),
            ));
        }
    }
}

fn group_problems(config: &Config, out: &mut Vec<ConfigProblem>) {
    let team: Vec<&str> = config.team.iter().map(|m| m.handle.as_str()).collect();
    for (name, group) in &config.groups {
        let at = key(&["groups", name, "members"]);
        if group.members.is_empty() {
            out.push((
                at.clone(),
                format!("group `{name}` has no members; list team handles under its `members`"),
            ));
        }
        for m in &group.members {
            if !team.is_empty() && !team.contains(&m.as_str()) {
                out.push((
                    at.clone(),
                    format!(
                        "group `{name}` lists `{m}`, who is not in `team`; add them to `team` or name one of {}",
                        team.join(", ")
                    ),
                ));
            }
        }
    }
}

fn triage_problems(config: &Config, out: &mut Vec<ConfigProblem>) {
    let t = &config.triage;
    if !(0.0..=1.0).contains(&t.threshold) {
        out.push((
            key(&["triage", "threshold"]),
            format!(
                "`triage.threshold` is {}; it is a confidence from 0 to 1 (0.6 by default)",
                t.threshold
            ),
        ));
    }
    for f in &t.untriaged {
        if !UNTRIAGED_KEYS.contains(&f.as_str()) && config.field(f).is_none() {
            out.push((
                key(&["triage", "untriaged"]),
                format!(
                    "`triage.untriaged` names `{f}`, which is neither a ticket key ({}) nor a field declared under `fields`",
                    UNTRIAGED_KEYS.join(", ")
                ),
            ));
        }
    }
    for l in &t.learn {
        if l != "type" && l != "labels" {
            out.push((
                key(&["triage", "learn"]),
                format!("`triage.learn` names `{l}`; it takes `type`, `labels` or both"),
            ));
        }
    }
}
