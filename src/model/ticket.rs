//! Tickets and their comments as docket reads them. Reading is lenient (values docket
//! does not know are kept as written); `schema/` states what a valid file holds.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{TicketId, Time};

/// The top-level frontmatter keys docket itself reads in a ticket; any other key is a
/// custom field (declared in the config) or, when `set` is asked to write it, most likely
/// a typo.
pub const TICKET_KEYS: &[&str] = &[
    "id",
    "title",
    "status",
    "type",
    "created",
    "reporter",
    "assignee",
    "customer",
    "labels",
    "importance",
    "urgency",
    "priority",
    "links",
    "resolved",
    "resolution",
    "due",
];

/// The keys under a ticket's `links`.
pub const LINK_KEYS: &[&str] = &["duplicate_of", "relates", "blocks", "articles"];

/// A support ticket: the frontmatter of `tickets/<SS>/<ID>.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "docket ticket frontmatter")]
pub struct Ticket {
    /// Unique id; also the file name.
    pub id: TicketId,
    /// One-line summary.
    pub title: String,
    /// A workflow status from `.docket/config.yaml`.
    pub status: String,
    /// question, bug, incident, feature, task, or any other word.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// When the ticket was opened (RFC 3339).
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub created: Time,
    /// Who asked: `Name <email>` or a handle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<String>,
    /// Team handle of who is working on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// Slug of the customer record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Free labels, one per line.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Impact, 1 (low) to 5 (critical).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 5))]
    pub importance: Option<u8>,
    /// Time pressure, 1 (low) to 5 (now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 5))]
    pub urgency: Option<u8>,
    /// A priority band, derived or set by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// Relations to other tickets and to KB articles.
    #[serde(default)]
    pub links: Links,
    /// When it was first resolved or closed (RFC 3339); set once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub resolved: Option<Time>,
    /// Why it was closed (fixed, duplicate, wontfix, answered, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// When it must be done by (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub due: Option<Time>,
    /// Keys docket does not know, kept as written.
    #[serde(flatten, default)]
    #[schemars(skip)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Links from a ticket to other tickets and to KB articles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Links {
    /// The earlier ticket this one repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// Related tickets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relates: Vec<String>,
    /// Tickets this one blocks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<String>,
    /// Slugs of the KB articles that answer it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub articles: Vec<String>,
}

impl Links {
    /// Whether there is no link at all.
    pub fn is_empty(&self) -> bool {
        self.duplicate_of.is_none()
            && self.relates.is_empty()
            && self.blocks.is_empty()
            && self.articles.is_empty()
    }
}

/// A comment or internal note: the frontmatter of one file under `tickets/<SS>/<ID>/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "docket comment frontmatter")]
pub struct Comment {
    /// `Name <email>` of who wrote it.
    pub author: String,
    /// When it was written (RFC 3339).
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub created: Time,
    /// Internal notes are for the team only and are never published.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key lists name exactly what the types read, so they cannot drift apart.
    #[test]
    fn key_lists_match_the_types() {
        let keys = |v: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = v["properties"]
                .as_object()
                .expect("an object schema")
                .keys()
                .cloned()
                .collect();
            k.sort();
            k
        };
        let sorted = |s: &[&str]| {
            let mut v: Vec<String> = s.iter().map(|x| x.to_string()).collect();
            v.sort();
            v
        };
        let ticket = schemars::schema_for!(Ticket).to_value();
        assert_eq!(keys(&ticket), sorted(TICKET_KEYS));
        let links = schemars::schema_for!(Links).to_value();
        assert_eq!(keys(&links), sorted(LINK_KEYS));
    }
}
