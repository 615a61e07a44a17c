//! What happens to a ticket after it opens, beside its comments in the ticket's folder:
//! events (a status, assignment or priority change) and CSAT ratings. Each is its own
//! file named `<stamp>-<author>-<rand>.md`, like a comment, so that concurrent activity
//! never conflicts and squash merges and rebases keep the timeline: every figure comes
//! from the times these files name, never from commit dates.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Comment, Time};

/// What an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// The status moved.
    Status,
    /// The assignee changed.
    Assignee,
    /// The priority band changed (by hand, or because importance, urgency or the tier
    /// changed the score).
    Priority,
    /// An automation rule fired (`to` names it, `condition` says for what), so that
    /// it never fires twice on the same ticket for the same condition.
    Rule,
}

impl EventKind {
    /// The word files and output use.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Status => "status",
            EventKind::Assignee => "assignee",
            EventKind::Priority => "priority",
            EventKind::Rule => "rule",
        }
    }
}

/// A timeline event: the frontmatter of an event file (its body is empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "docket timeline event frontmatter")]
pub struct Event {
    /// `Name <email>` of who made the change.
    pub author: String,
    /// When it happened (RFC 3339).
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub created: Time,
    /// What changed.
    pub event: EventKind,
    /// The value before (absent: there was none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The value after (absent: removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// For a rule event: the condition it fired on (the same rule and condition never
    /// fire twice on one ticket).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// A CSAT rating: the frontmatter of a rating file (its body is the customer's words).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "docket CSAT rating frontmatter")]
pub struct Rating {
    /// `Name <email>` of who rated: the customer.
    pub author: String,
    /// When (RFC 3339).
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub created: Time,
    /// 1 (very unhappy) to 5 (very happy); 4 and 5 count as satisfied.
    #[schemars(range(min = 1, max = 5))]
    pub rating: u8,
    /// `Name <email>` of the team member who recorded it on the customer's behalf.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
}

/// One file of a ticket's folder, by its kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A comment or internal note.
    Comment(Comment),
    /// A status, assignment or priority change.
    Event(Event),
    /// A CSAT rating.
    Rating(Rating),
}

impl Entry {
    /// When it was written.
    pub fn created(&self) -> &Time {
        match self {
            Entry::Comment(c) => &c.created,
            Entry::Event(e) => &e.created,
            Entry::Rating(r) => &r.created,
        }
    }

    /// Who wrote it.
    pub fn author(&self) -> &str {
        match self {
            Entry::Comment(c) => &c.author,
            Entry::Event(e) => &e.author,
            Entry::Rating(r) => &r.author,
        }
    }
}
