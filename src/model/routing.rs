//! The triage sections of the config: routing rules (what a ticket looks like, what to
//! set on it), the groups an assignment can go to, and what `triage` treats as
//! untriaged and how sure a learned suggestion must be before `--apply` writes it.
//! Plain data; `support::routing` does the matching.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `routing:`: rules tried in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Routing {
    /// `first`: the first rule that matches decides; `all`: every matching rule applies,
    /// later ones overriding single values and adding labels.
    pub mode: RoutingMode,
    /// The rules, in order.
    pub rules: Vec<RoutingRule>,
}

/// Whether one rule or every matching rule applies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoutingMode {
    /// The first matching rule only.
    #[default]
    First,
    /// Every matching rule, in order.
    All,
}

/// One routing rule: when every condition given holds, set the values given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RoutingRule {
    /// Name, in `triage` output and the commit's `Docket-Rule:` trailer.
    pub name: String,
    /// The conditions (all must hold; none given: every ticket matches).
    #[serde(rename = "when")]
    pub when: RuleMatch,
    /// What to set.
    #[serde(rename = "then")]
    pub then: RuleSet,
}

/// What a routing rule looks at. Lists match when any item does.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RuleMatch {
    /// The ticket has one of these labels.
    pub labels: Vec<String>,
    /// A regular expression (Rust `regex` syntax; `(?i)` for any case) found in the title
    /// or the description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A regular expression found in the title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A regular expression found in the description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The ticket's customer is one of these slugs.
    pub customer: Vec<String>,
    /// The customer's tier is one of these.
    pub tier: Vec<String>,
    /// The ticket's type is one of these.
    #[serde(rename = "type")]
    pub kind: Vec<String>,
    /// The reporter's email is at one of these domains (`example.com` also matches
    /// `mail.example.com`).
    pub domain: Vec<String>,
}

/// What a routing rule sets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSet {
    /// A team member's handle, or `group:NAME` for a member of a group from `groups`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// Labels to add.
    pub labels: Vec<String>,
    /// The ticket type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Importance, 1-5.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 5))]
    pub importance: Option<u8>,
    /// Urgency, 1-5.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 5))]
    pub urgency: Option<u8>,
    /// A priority band, set by hand (wins over the score).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
}

/// A group of team members that an assignment can go to (`group:NAME`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Group {
    /// Handles of team members.
    pub members: Vec<String>,
    /// How a member is picked.
    pub strategy: GroupStrategy,
}

/// How a group assignment picks its member.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupStrategy {
    /// In turn: the member whose latest assigned ticket is oldest (worked out from the
    /// files, so every clone and every scheduled job agrees).
    #[default]
    RoundRobin,
    /// The member with the fewest open tickets (ties: the first listed).
    FewestOpen,
}

/// `triage:`: which tickets `triage` looks at and how learned suggestions apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TriageConfig {
    /// A ticket is untriaged while it is open and every one of these fields is empty
    /// (`assignee`, `type`, `labels`, `priority`, `customer` or a custom field).
    pub untriaged: Vec<String>,
    /// `--apply` writes a learned suggestion only at or above this confidence (0-1).
    pub threshold: f64,
    /// What is learned from closed tickets: `type`, `labels`, or both.
    pub learn: Vec<String>,
    /// Labels seen on fewer closed tickets than this are not suggested.
    pub min_label_count: usize,
}

impl Default for TriageConfig {
    fn default() -> Self {
        TriageConfig {
            untriaged: vec!["assignee".into(), "type".into()],
            threshold: 0.6,
            learn: vec!["type".into(), "labels".into()],
            min_label_count: 5,
        }
    }
}

/// The groups, by name.
pub type Groups = BTreeMap<String, Group>;
