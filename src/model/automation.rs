//! The automation sections of the config: rules that `automate` applies on a schedule
//! (when a ticket is in some state, do something), and the commands run on events
//! (hooks), with the event they read on standard input. Plain data.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One automation rule: when every condition given holds, do every action given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AutomationRule {
    /// Name: unique, in the commit's `Docket-Rule:` trailer and in the event file that
    /// records the rule fired (so it never fires twice for the same condition).
    pub name: String,
    /// The conditions (all must hold).
    #[serde(rename = "when")]
    pub when: AutomationWhen,
    /// The actions.
    #[serde(rename = "then")]
    pub then: AutomationThen,
}

/// What an automation rule looks at. Lists match when any item does.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AutomationWhen {
    /// The ticket's status is one of these (none given: any open status).
    pub status: Vec<String>,
    /// No comment, event or edit for at least this long (`3d`, `12h`; calendar time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle: Option<String>,
    /// An SLA target is in this state or worse: `at_risk` or `breached`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla: Option<SlaCondition>,
    /// For `sla: at_risk`: a running clock with at most this much working time left
    /// (default `2h`, as `docket sla`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    /// The ticket has one of these labels.
    pub labels: Vec<String>,
    /// The customer's tier is one of these.
    pub tier: Vec<String>,
    /// Opened at least this long ago (`30d`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<String>,
}

/// The SLA state an automation rule waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlaCondition {
    /// A target is at risk or breached.
    AtRisk,
    /// A target is breached.
    Breached,
}

/// What an automation rule does, in this order: set, assign, comment, close, hook.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AutomationThen {
    /// `key=value`, `labels+=x`, `labels-=x`, as `docket set` takes them.
    pub set: Vec<String>,
    /// A team member's handle, or `group:NAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assign: Option<String>,
    /// A template from the templates folder (its name without `.md`) to add as a comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Whether the comment is an internal note.
    pub internal: bool,
    /// Close the ticket (with the workflow's `close` status).
    pub close: bool,
    /// A shell command run after the change is committed, with the event on standard
    /// input (as a hook; see `hooks`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hook: Option<String>,
}

/// `hooks:`: commands run when something happens to a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct HooksConfig {
    /// How long a hook may run before it is stopped (`10s`, `1m`).
    pub timeout: String,
    /// The hooks.
    pub run: Vec<Hook>,
}

impl Default for HooksConfig {
    fn default() -> Self {
        HooksConfig {
            timeout: "10s".into(),
            run: Vec::new(),
        }
    }
}

/// One hook: a shell command (`sh -c`, from the repository's root) for some events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Hook {
    /// The events it runs on (none given: all).
    pub on: Vec<HookKind>,
    /// The command.
    pub command: String,
    /// Its own time limit, instead of `hooks.timeout`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HookKind {
    /// A ticket was opened.
    Created,
    /// A ticket's status moved.
    StatusChanged,
    /// A ticket's assignee changed.
    Assigned,
    /// A comment or note was added.
    Commented,
    /// An SLA target was seen breached (by `automate` or `sla`), once per target.
    SlaBreached,
    /// An automation rule's `hook` action.
    Rule,
}

impl HookKind {
    /// The word config and the event use.
    pub fn as_str(self) -> &'static str {
        match self {
            HookKind::Created => "created",
            HookKind::StatusChanged => "status_changed",
            HookKind::Assigned => "assigned",
            HookKind::Commented => "commented",
            HookKind::SlaBreached => "sla_breached",
            HookKind::Rule => "rule",
        }
    }
}

/// The event a hook reads on standard input, as JSON (`schema/hook-event.schema.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "docket hook event (standard input of a hook)")]
pub struct HookEvent {
    /// What happened.
    pub event: HookKind,
    /// When (RFC 3339).
    pub time: String,
    /// `Name <email>` of who made the change (for an SLA event: who ran the command that
    /// saw it).
    pub actor: String,
    /// The ticket as it is after the change.
    pub ticket: HookTicket,
    /// The value before (status or assignee events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The value after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The comment (commented events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<HookComment>,
    /// The SLA target (`first_response`, `next_response`, `resolution`) of an
    /// sla_breached event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The automation rule that acted, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The commit that made the change (none with `--no-commit` or for SLA events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// The ticket in a hook event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HookTicket {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: String,
    /// The file, relative to the repository root.
    pub path: String,
    /// The assignee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// The customer's slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// The priority band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// The type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The labels.
    #[serde(default)]
    pub labels: Vec<String>,
}

/// A comment in a hook event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HookComment {
    /// `Name <email>`.
    pub author: String,
    /// Whether it is an internal note.
    pub internal: bool,
    /// The text.
    pub body: String,
}
