//! Several changes to one ticket as one commit: values as `set` takes them, a comment,
//! the record that an automation rule fired, and trailers naming why. `reply`,
//! `triage --apply` and `automate` are all this one operation.

use super::set::set_edits;
use super::tickets::Extra;
use super::{Assignment, Desk, DeskError, Outcome};
use crate::doc::{Document, Value};
use crate::model::{EventKind, format_time};

/// What one update does.
#[derive(Debug, Clone, Default)]
pub struct Update {
    /// The verb in the commit subject (`reply`, `triage`, `automate`).
    pub action: &'static str,
    /// Values to set, as `docket set` takes them.
    pub assignments: Vec<Assignment>,
    /// A comment to add.
    pub comment: Option<UpdateComment>,
    /// Further comments, after `comment` (automation rules that each add one).
    pub comments: Vec<UpdateComment>,
    /// Rules that fired, each recorded as an event file.
    pub rules: Vec<RuleFired>,
    /// Commit trailers (`Docket-Rule: NAME`).
    pub trailers: Vec<(&'static str, String)>,
    /// Lines for the commit body beside the values set.
    pub details: Vec<String>,
}

/// A comment added by an update.
#[derive(Debug, Clone)]
pub struct UpdateComment {
    /// Markdown.
    pub text: String,
    /// An internal note.
    pub internal: bool,
}

/// An automation rule that fired, and on what condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFired {
    /// The rule's name.
    pub rule: String,
    /// The condition, as a stable string (the same condition gives the same string).
    pub condition: String,
}

impl Desk {
    /// Makes one update to a ticket as one commit, its values held to `check`'s rules
    /// like `set`'s. Nothing to change (every value already so, no comment, no rule):
    /// no commit.
    pub fn update(&self, prefix: &str, update: &Update) -> Result<Outcome, DeskError> {
        let author = self.author()?.to_string();
        let now = format_time(self.now());
        self.edit_ticket_with(prefix, update.action, |store, t, details| {
            details.extend(update.details.iter().cloned());
            let edits = set_edits(store, t, &update.assignments, false, &now, details)?;
            let mut files: Vec<(String, String)> = Vec::new();
            let mut add = |fields: Vec<(&str, Value)>, body: &str| -> Result<(), DeskError> {
                let taken: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
                let rel = self.entry_rel(store, &t.rel, &taken)?;
                let doc = Document::create(&fields, body).map_err(DeskError::unstorable(&rel))?;
                files.push((rel, doc.text().to_string()));
                Ok(())
            };
            if let Some(c) = update
                .comment
                .as_ref()
                .filter(|c| !c.text.trim().is_empty())
            {
                let mut fields = vec![
                    ("author", Value::String(author.clone())),
                    ("created", Value::String(now.clone())),
                ];
                if c.internal {
                    fields.push(("internal", Value::Bool(true)));
                }
                details.push(
                    if c.internal {
                        "note added"
                    } else {
                        "comment added"
                    }
                    .into(),
                );
                add(fields, &c.text)?;
            }
            for r in &update.rules {
                add(
                    vec![
                        ("author", Value::String(author.clone())),
                        ("created", Value::String(now.clone())),
                        ("event", Value::String(EventKind::Rule.as_str().into())),
                        ("to", Value::String(r.rule.clone())),
                        ("condition", Value::String(r.condition.clone())),
                    ],
                    "",
                )?;
            }
            Ok(Extra {
                edits,
                files,
                trailers: update.trailers.clone(),
            })
        })
    }
}
