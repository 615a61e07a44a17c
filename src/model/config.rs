//! The desk's policy, read from `.docket/config.yaml`: where files live, the workflow
//! and the team. Every field has a default, so an empty file is a working config.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    AutomationRule, Field, Groups, HooksConfig, PriorityPolicy, Routing, SlaConfig, TriageConfig,
};

/// The whole configuration file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(title = "docket config (.docket/config.yaml)")]
pub struct Config {
    /// Where tickets, KB articles and customer records live.
    pub paths: Paths,
    /// Statuses and the moves between them.
    pub workflow: Workflow,
    /// The support team: their comments count as responses.
    pub team: Vec<TeamMember>,
    /// Customer tiers, lowest first.
    pub tiers: Vec<String>,
    /// Commit each change (false: write files and leave the commit to the user).
    pub commit: bool,
    /// Custom ticket fields: the keys beyond docket's own that `set` may write.
    pub fields: Vec<Field>,
    /// How importance, urgency and the tier make a priority band.
    pub priority: PriorityPolicy,
    /// SLA policies, calendars and the statuses that pause the clock.
    pub sla: SlaConfig,
    /// Groups of team members an assignment can go to (`group:NAME`).
    pub groups: Groups,
    /// Routing rules that `triage` applies to new tickets.
    pub routing: Routing,
    /// What `triage` looks at and how sure a learned suggestion must be.
    pub triage: TriageConfig,
    /// Rules `automate` applies, in order.
    pub automation: Vec<AutomationRule>,
    /// Commands run on events.
    pub hooks: HooksConfig,
    /// What `reply` adds on its own: the KB link of `--suggest`.
    pub reply: ReplyConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            paths: Paths::default(),
            workflow: Workflow::default(),
            team: Vec::new(),
            tiers: ["community", "professional", "subscription", "enterprise"]
                .map(String::from)
                .to_vec(),
            commit: true,
            fields: Vec::new(),
            priority: PriorityPolicy::default(),
            sla: SlaConfig::default(),
            groups: Groups::new(),
            routing: Routing::default(),
            triage: TriageConfig::default(),
            automation: Vec::new(),
            hooks: HooksConfig::default(),
            reply: ReplyConfig::default(),
        }
    }
}

/// `reply:`: how `reply --suggest` links a KB article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReplyConfig {
    /// The score (as `docket suggest` prints it) the best article must reach to be
    /// linked; below it a reply says nothing rather than send a customer a poor match.
    pub suggest_threshold: f32,
    /// The published article's address, with `{slug}` for its slug
    /// (`https://docs.example.org/kb/{slug}/`); none: the link is the file's path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article_url: Option<String>,
}

impl Default for ReplyConfig {
    fn default() -> Self {
        // On the demo desk the articles that answer a ticket score 0.37-0.65 and the
        // best wrong ones 0.10-0.30.
        ReplyConfig {
            suggest_threshold: 0.35,
            article_url: None,
        }
    }
}

/// Folders, relative to the repository root (customers may also be absolute, to keep
/// personal data in a private repository next to this one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Paths {
    /// Ticket folder.
    pub tickets: String,
    /// KB folder.
    pub kb: String,
    /// Customer records folder.
    pub customers: String,
    /// Reply templates (`reply --template NAME` reads `NAME.md` here).
    pub templates: String,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            tickets: "support/tickets".into(),
            kb: "support/kb".into(),
            customers: "support/customers".into(),
            templates: ".docket/templates".into(),
        }
    }
}

/// Statuses a ticket can have and how it moves between them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Workflow {
    /// All statuses, in display order.
    pub statuses: Vec<String>,
    /// Status of a new ticket.
    pub initial: String,
    /// Statuses that count as done (`close`, `resolve` and reports use them).
    pub closed: Vec<String>,
    /// Status set by `resolve`.
    pub resolved: String,
    /// Status set by `close`.
    pub close: String,
    /// Status set by `reopen`.
    pub reopen: String,
    /// Allowed moves; a status missing here may move anywhere. Empty: any move.
    pub transitions: BTreeMap<String, Vec<String>>,
}

impl Default for Workflow {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        Workflow {
            statuses: s(&["new", "open", "pending", "resolved", "closed"]),
            initial: "open".into(),
            closed: s(&["resolved", "closed"]),
            resolved: "resolved".into(),
            close: "closed".into(),
            reopen: "open".into(),
            transitions: BTreeMap::new(),
        }
    }
}

impl Workflow {
    /// Whether a status counts as done.
    pub fn is_closed(&self, status: &str) -> bool {
        self.closed.iter().any(|s| s == status)
    }

    /// Whether a status is part of the workflow.
    pub fn knows(&self, status: &str) -> bool {
        self.statuses.iter().any(|s| s == status)
    }

    /// Whether a ticket may move from one status to another. Moves out of a status the
    /// workflow does not know are allowed, so hand-written files can be fixed.
    pub fn allows(&self, from: &str, to: &str) -> bool {
        from == to
            || match self.transitions.get(from) {
                Some(next) => next.iter().any(|s| s == to),
                None => true,
            }
    }

    /// Problems with the workflow itself, for validation: the key path, the status at
    /// fault and the message.
    pub fn problems(&self) -> Vec<(Vec<&'static str>, String, String)> {
        let mut out = Vec::new();
        let mut check = |path: Vec<&'static str>, s: &str| {
            if !self.knows(s) {
                let key = path.join(".");
                out.push((
                    path,
                    s.to_string(),
                    format!("`{key}` names status `{s}`, which is not in `workflow.statuses`"),
                ));
            }
        };
        check(vec!["workflow", "initial"], &self.initial);
        check(vec!["workflow", "resolved"], &self.resolved);
        check(vec!["workflow", "close"], &self.close);
        check(vec!["workflow", "reopen"], &self.reopen);
        for s in &self.closed {
            check(vec!["workflow", "closed"], s);
        }
        for (from, tos) in &self.transitions {
            check(vec!["workflow", "transitions"], from);
            for t in tos {
                check(vec!["workflow", "transitions"], t);
            }
        }
        out
    }
}

/// A member of the support team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    /// Short name used in `assignee`.
    pub handle: String,
    /// Full name as in git.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email as in git.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Config {
    /// The custom field declared with this name, if any.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The team member a `Name <email>` or handle refers to, if any.
    pub fn team_member(&self, who: &str) -> Option<&TeamMember> {
        let email = who
            .rsplit_once('<')
            .and_then(|(_, e)| e.strip_suffix('>'))
            .map(str::trim);
        let name = who.split('<').next().map(str::trim).unwrap_or(who);
        self.team.iter().find(|m| {
            m.handle == who
                || (email.is_some() && m.email.as_deref() == email)
                || m.name.as_deref() == Some(name)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_default_to_any() {
        let w = Workflow::default();
        assert!(w.allows("open", "closed"));
        let mut w = Workflow::default();
        w.transitions.insert("closed".into(), vec!["open".into()]);
        assert!(!w.allows("closed", "pending"));
        assert!(w.allows("closed", "open"));
        assert!(w.allows("weird", "open"));
    }

    #[test]
    fn team_lookup_by_handle_email_or_name() {
        let c = Config {
            team: vec![TeamMember {
                handle: "alice".into(),
                name: Some("Alice Ng".into()),
                email: Some("alice@example.org".into()),
            }],
            ..Config::default()
        };
        assert!(c.team_member("alice").is_some());
        assert!(c.team_member("A. Ng <alice@example.org>").is_some());
        assert!(c.team_member("Alice Ng <other@example.org>").is_some());
        assert!(c.team_member("Bob <bob@example.org>").is_none());
    }
}
