//! `triage`: routing rules, then learned suggestions, on every untriaged ticket; a dry
//! run unless applied, and then one commit per ticket with a trailer naming the rule or
//! the model. Uses `support::routing` (the rules), `support::classify` through
//! [`Desk::learner`], `store`, `index` (through `candidates`) and [`Desk::update`].
//!
//! Decisions made here:
//! - A config whose `routing`, `groups` or `triage` section `check` would refuse stops
//!   the run before anything is read: the error names the file, the rule's line and the
//!   key.
//! - Triage fills in, it does not overwrite: a rule's value for a field the ticket
//!   already has (a reporter's urgency, say) is listed with a note and not written, a
//!   value the ticket already has is not listed at all, and a label is added only when
//!   missing. So a second `--apply` finds nothing to write.
//! - The model suggests a type only when no rule decided one and the ticket has none,
//!   and labels only when no rule added any: the best type, and the labels it is most
//!   sure of (those at or above `triage.threshold`, or at least the best three). Below
//!   the threshold a suggestion is listed and never written.
//! - A group's pick counts toward the members' loads once it is written (in a dry run,
//!   as if it were), so one run spreads its tickets; a ticket whose update fails keeps
//!   its error and the run goes on with the next one.

mod candidates;

use std::collections::HashMap;

use super::{AssignOp, Assignment, Desk, DeskError, Outcome, Update};
use crate::doc::Document;
use crate::index::Progress;
use crate::model::{Config, Ticket, TicketId};
use crate::store::{CONFIG_PATH, Problem, StoreError};
use crate::support::classify::Guesses;
use crate::support::routing::{Decisions, Router, RuleTicket, Ruled, problems};

use super::groups::Assigner;

/// A field triage can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriageField {
    /// `assignee`.
    Assignee,
    /// One label added to `labels`.
    Labels,
    /// `type`.
    Type,
    /// `importance`.
    Importance,
    /// `urgency`.
    Urgency,
    /// `priority`.
    Priority,
}

impl TriageField {
    /// The frontmatter key.
    pub fn key(self) -> &'static str {
        match self {
            TriageField::Assignee => "assignee",
            TriageField::Labels => "labels",
            TriageField::Type => "type",
            TriageField::Importance => "importance",
            TriageField::Urgency => "urgency",
            TriageField::Priority => "priority",
        }
    }
}

/// What decided a value.
#[derive(Debug, Clone, PartialEq)]
pub enum DecisionSource {
    /// The routing rule of this name.
    Rule(String),
    /// The learned model, this sure (0-1).
    Model {
        /// The model's name (`Docket-Model:`).
        name: String,
        /// Confidence, 0-1.
        confidence: f64,
    },
}

/// One value triage would set on a ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The field.
    pub field: TriageField,
    /// The value (one label, for labels; the member picked, for a group).
    pub value: String,
    /// The group the member was picked from, for `group:NAME`.
    pub group: Option<String>,
    /// What decided it.
    pub source: DecisionSource,
    /// Whether `--apply` writes it.
    pub apply: bool,
    /// Why it is not written, when it is not.
    pub note: Option<String>,
}

/// One untriaged ticket and what triage decided for it.
#[derive(Debug)]
pub struct Triaged {
    /// The id.
    pub id: TicketId,
    /// Its shortest unique prefix.
    pub short_id: String,
    /// Title.
    pub title: String,
    /// When it was opened, as written.
    pub created: String,
    /// The decisions, rules' first (in field order), then the model's.
    pub decisions: Vec<Decision>,
    /// With `--apply`, the update made (none when nothing was to be written).
    pub outcome: Option<Outcome>,
    /// With `--apply`, why the update failed.
    pub error: Option<DeskError>,
}

/// What one `triage` run found and did.
#[derive(Debug)]
pub struct TriageRun {
    /// The untriaged tickets, oldest first.
    pub tickets: Vec<Triaged>,
    /// Whether the decisions were written.
    pub applied: bool,
    /// Files that did not load, one message each (left out).
    pub problems: Vec<String>,
    /// The index's notices.
    pub notices: Vec<String>,
}

/// Customer tiers, read once per customer.
#[derive(Default)]
struct Tiers(HashMap<String, Option<String>>);

impl Tiers {
    fn of(&mut self, desk: &Desk, customer: Option<&str>) -> Result<Option<String>, DeskError> {
        let Some(slug) = customer.filter(|s| !s.trim().is_empty()) else {
            return Ok(None);
        };
        if let Some(t) = self.0.get(slug) {
            return Ok(t.clone());
        }
        let tier = desk.store().customer_values(slug)?.and_then(|c| c.tier);
        self.0.insert(slug.to_string(), tier.clone());
        Ok(tier)
    }
}

impl Desk {
    /// Runs the routing rules and the learned model on every untriaged ticket; with
    /// `apply`, writes what they decided, one commit per ticket.
    pub fn triage(&self, apply: bool, progress: &dyn Progress) -> Result<TriageRun, DeskError> {
        let config = self.store().config();
        if let Some((key, message)) = problems(config).into_iter().next() {
            return Err(self.config_error(&key, message));
        }
        let router =
            Router::new(&config.routing).map_err(|e| self.config_error(&e.key, e.message))?;
        let found = self.triage_candidates(router.assigns_groups(), progress)?;
        let mut assigner = found.assigner.unwrap_or_default();
        let learner = match config.triage.learn.is_empty() || found.tickets.is_empty() {
            true => None,
            false => Some(self.learner()?),
        };
        let mut tiers = Tiers::default();
        let now = self.now().as_second();
        let mut tickets = Vec::with_capacity(found.tickets.len());
        for c in found.tickets {
            let k = &c.file.ticket;
            let body = c.file.doc.body();
            let tier = tiers.of(self, k.customer.as_deref())?;
            let decided = router.decide(&RuleTicket {
                title: &k.title,
                body,
                labels: &k.labels,
                customer: k.customer.as_deref(),
                tier: tier.as_deref(),
                kind: k.kind.as_deref(),
                reporter: k.reporter.as_deref(),
            });
            let mut decisions = rule_decisions(config, k, &decided, &assigner)?;
            if let Some(l) = &learner {
                let guesses = l.guess(&k.title, body);
                decisions.extend(learned(config, k, &decided, &guesses, l.name()));
            }
            let (mut outcome, mut error) = (None, None);
            if apply && decisions.iter().any(|d| d.apply) {
                match self.update(k.id.as_str(), &update_for(&decisions)) {
                    Ok(o) => outcome = Some(o),
                    Err(e) => error = Some(e),
                }
            }
            let written = !apply || outcome.as_ref().is_some_and(|o| o.changed);
            let picked = decisions
                .iter()
                .find(|d| d.apply && d.group.is_some())
                .map(|d| d.value.clone());
            if let Some(handle) = picked.filter(|_| written) {
                assigner.count(&handle, now);
            }
            tickets.push(Triaged {
                id: k.id.clone(),
                short_id: c.short,
                title: k.title.clone(),
                created: k.created.as_str().to_string(),
                decisions,
                outcome,
                error,
            });
        }
        Ok(TriageRun {
            tickets,
            applied: apply,
            problems: found.problems,
            notices: found.notices,
        })
    }

    /// A problem of the config as an error at its line (the rule's, for a rule's key).
    fn config_error(&self, key: &[String], message: String) -> DeskError {
        let doc = std::fs::read(self.store().abs(CONFIG_PATH))
            .ok()
            .and_then(|b| {
                let mut text = b"---\n".to_vec();
                text.extend_from_slice(&b);
                if !text.ends_with(b"\n") {
                    text.push(b'\n');
                }
                text.extend_from_slice(b"---\n");
                Document::parse(&text).ok()
            });
        let keys: Vec<&str> = key.iter().map(String::as_str).collect();
        let line = doc.and_then(|d| {
            // A list index has no line of its own: the item's line, else the deepest key.
            let item = keys
                .iter()
                .position(|k| k.parse::<usize>().is_ok())
                .and_then(|i| d.item_line(&keys[..i], keys[i].parse().ok()?));
            item.or_else(|| (1..=keys.len()).rev().find_map(|n| d.line_of(&keys[..n])))
        });
        DeskError::Store(StoreError::Bad(
            Problem::at(
                CONFIG_PATH,
                line.map_or(1, |l| l.saturating_sub(1).max(1)),
                message,
            )
            .hint("fix it in .docket/config.yaml (`docket check` lists every problem)"),
        ))
    }
}

/// A value the ticket has, as text.
fn has(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

/// A rule's decision for a single-valued field, given what the ticket has: none when it
/// has that value already, not applied when it has another.
fn single(
    field: TriageField,
    ruled: Option<Ruled<String>>,
    have: Option<String>,
) -> Option<Decision> {
    let r = ruled?;
    let (apply, note) = match has(have) {
        Some(h) if h == r.value => return None,
        Some(h) => (false, Some(format!("kept: the ticket has `{h}`"))),
        None => (true, None),
    };
    Some(Decision {
        field,
        value: r.value,
        group: None,
        source: DecisionSource::Rule(r.rule),
        apply,
        note,
    })
}

fn level(r: &Option<Ruled<u8>>) -> Option<Ruled<String>> {
    r.as_ref().map(|r| Ruled {
        value: r.value.to_string(),
        rule: r.rule.clone(),
    })
}

/// What the matching rules decide for ticket `k`, a group resolved to its member.
fn rule_decisions(
    config: &Config,
    k: &Ticket,
    d: &Decisions,
    assigner: &Assigner,
) -> Result<Vec<Decision>, DeskError> {
    let mut out = Vec::new();
    if let Some(mut a) = single(
        TriageField::Assignee,
        d.assignee.clone(),
        k.assignee.clone(),
    ) {
        if let Some(g) = a.value.strip_prefix("group:").map(str::to_string)
            && a.apply
        {
            a.value = assigner.pick(config, &a.value)?;
            a.group = Some(g);
        }
        out.push(a);
    }
    for l in d.labels.iter().filter(|l| !k.labels.contains(&l.value)) {
        out.push(Decision {
            field: TriageField::Labels,
            value: l.value.clone(),
            group: None,
            source: DecisionSource::Rule(l.rule.clone()),
            apply: true,
            note: None,
        });
    }
    let num = |v: Option<u8>| v.map(|v| v.to_string());
    out.extend(single(TriageField::Type, d.kind.clone(), k.kind.clone()));
    out.extend(single(
        TriageField::Importance,
        level(&d.importance),
        num(k.importance),
    ));
    out.extend(single(
        TriageField::Urgency,
        level(&d.urgency),
        num(k.urgency),
    ));
    out.extend(single(
        TriageField::Priority,
        d.priority.clone(),
        k.priority.clone(),
    ));
    Ok(out)
}

/// The model's suggestions for fields no rule decided.
fn learned(config: &Config, k: &Ticket, d: &Decisions, g: &Guesses, name: &str) -> Vec<Decision> {
    let t = &config.triage;
    let learns = |what: &str| t.learn.iter().any(|l| l == what);
    let suggest = |field, value: &str, confidence: f64| {
        let apply = confidence >= t.threshold;
        Decision {
            field,
            value: value.to_string(),
            group: None,
            source: DecisionSource::Model {
                name: name.to_string(),
                confidence,
            },
            apply,
            note: (!apply).then(|| format!("below the threshold {:.2}", t.threshold)),
        }
    };
    let mut out = Vec::new();
    if learns("type") && d.kind.is_none() && has(k.kind.clone()).is_none() {
        let best = g.kind.iter().find(|x| !x.value.trim().is_empty());
        out.extend(best.map(|x| suggest(TriageField::Type, &x.value, x.confidence)));
    }
    if learns("labels") && d.labels.is_empty() {
        let fresh = g
            .labels
            .iter()
            .filter(|x| !x.value.trim().is_empty() && !k.labels.contains(&x.value));
        for (i, x) in fresh.enumerate() {
            if i < 3 || x.confidence >= t.threshold {
                out.push(suggest(TriageField::Labels, &x.value, x.confidence));
            }
        }
    }
    out
}

/// The one update that writes a ticket's applied decisions, with a trailer for each
/// rule that decided one and for the model, and a body line per source.
fn update_for(decisions: &[Decision]) -> Update {
    let mut u = Update {
        action: "triage",
        ..Update::default()
    };
    let mut sources: Vec<(String, Vec<String>)> = Vec::new();
    for d in decisions.iter().filter(|d| d.apply) {
        let (op, sign) = match d.field {
            TriageField::Labels => (AssignOp::Add, "+="),
            _ => (AssignOp::Set, "="),
        };
        u.assignments.push(Assignment {
            key: vec![d.field.key().to_string()],
            op,
            value: d.value.clone(),
        });
        let (source, trailer) = match &d.source {
            DecisionSource::Rule(r) => (format!("rule {r}"), ("Docket-Rule", r.clone())),
            DecisionSource::Model { name, .. } => {
                (format!("model {name}"), ("Docket-Model", name.clone()))
            }
        };
        if !u.trailers.contains(&trailer) {
            u.trailers.push(trailer);
        }
        let mut what = format!("{}{sign}{}", d.field.key(), d.value);
        if let Some(g) = &d.group {
            what.push_str(&format!(" (group {g})"));
        }
        if let DecisionSource::Model { confidence, .. } = &d.source {
            what.push_str(&format!(" ({confidence:.2})"));
        }
        match sources.iter_mut().find(|(s, _)| *s == source) {
            Some((_, items)) => items.push(what),
            None => sources.push((source, vec![what])),
        }
    }
    u.details = sources
        .into_iter()
        .map(|(s, items)| format!("{s}: {}", items.join(", ")))
        .collect();
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(field: TriageField, value: &str, source: DecisionSource, apply: bool) -> Decision {
        Decision {
            field,
            value: value.into(),
            group: None,
            source,
            apply,
            note: None,
        }
    }

    #[test]
    fn one_update_names_each_rule_once_and_the_model() {
        let rule = |r: &str| DecisionSource::Rule(r.into());
        let model = DecisionSource::Model {
            name: "naive-bayes".into(),
            confidence: 0.8,
        };
        let mut assignee = decision(TriageField::Assignee, "alice", rule("tls"), true);
        assignee.group = Some("platform".into());
        let u = update_for(&[
            assignee,
            decision(TriageField::Labels, "tls", rule("tls"), true),
            decision(TriageField::Urgency, "4", rule("enterprise"), true),
            decision(TriageField::Type, "question", model.clone(), true),
            decision(TriageField::Labels, "disk", model, false),
        ]);
        assert_eq!(u.action, "triage");
        let set: Vec<String> = u
            .assignments
            .iter()
            .map(|a| format!("{}{:?}{}", a.key.join("."), a.op, a.value))
            .collect();
        assert_eq!(
            set,
            [
                "assigneeSetalice",
                "labelsAddtls",
                "urgencySet4",
                "typeSetquestion"
            ]
        );
        assert_eq!(
            u.trailers,
            [
                ("Docket-Rule", "tls".to_string()),
                ("Docket-Rule", "enterprise".to_string()),
                ("Docket-Model", "naive-bayes".to_string()),
            ]
        );
        assert_eq!(
            u.details,
            [
                "rule tls: assignee=alice (group platform), labels+=tls",
                "rule enterprise: urgency=4",
                "model naive-bayes: type=question (0.80)",
            ]
        );
    }

    #[test]
    fn a_rule_keeps_what_the_ticket_has() {
        let r = |v: &str| {
            Some(Ruled {
                value: v.to_string(),
                rule: "r".into(),
            })
        };
        assert_eq!(
            single(TriageField::Type, r("bug"), Some("bug".into())),
            None
        );
        let kept = single(TriageField::Type, r("bug"), Some("question".into())).expect("listed");
        assert!(!kept.apply);
        assert_eq!(
            kept.note.as_deref(),
            Some("kept: the ticket has `question`")
        );
        assert!(single(TriageField::Type, r("bug"), Some(" ".into())).is_some_and(|d| d.apply));
        assert_eq!(single(TriageField::Type, None, None), None);
    }
}
