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
mod decide;

use std::collections::HashMap;

use super::{Desk, DeskError, Outcome};
use crate::doc::Document;
use crate::index::Progress;
use crate::model::TicketId;
use crate::store::{CONFIG_PATH, Problem, StoreError};
use crate::support::routing::{Router, RuleTicket, problems};

use decide::{learned, rule_decisions, update_for};

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
        // What is untriaged is read from the files: first finish what a killed run wrote.
        let recovered = if apply { self.recover()? } else { Vec::new() };
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
            notices: recovered.into_iter().chain(found.notices).collect(),
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
