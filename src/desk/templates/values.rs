//! The values a template's placeholders read: the ticket, its customer record and who
//! acts (see the parent module for the names).

use std::collections::BTreeMap;

use crate::desk::Desk;
use crate::git::Identity;
use crate::model::Customer;
use crate::store::TicketFile;
use crate::support::template::Lookup;

/// What the `Unknown` hint lists.
const KNOWN: &str = "ticket.id, ticket.title, ticket.status, ticket.type, ticket.priority, \
    ticket.assignee, ticket.reporter, ticket.reporter_name, ticket.reporter_email, \
    ticket.customer, ticket.created, ticket.labels, customer.name, customer.slug, \
    customer.tier, customer.org, agent.name, agent.email, agent.handle and set.KEY";

/// Everything a template's placeholders read.
pub(super) struct TemplateValues<'a> {
    /// The ticket, before the reply's changes.
    pub ticket: &'a TicketFile,
    /// Its customer record, if it has one.
    pub customer: Option<Customer>,
    /// Who acts.
    pub agent: Identity,
    /// For the config (team, priority bands).
    pub desk: &'a Desk,
    /// `set.KEY` values.
    pub values: &'a BTreeMap<String, String>,
}

impl TemplateValues<'_> {
    /// The answer for one placeholder name.
    pub fn lookup(&self, name: &str) -> Lookup {
        let (family, key) = name.split_once('.').unwrap_or((name, ""));
        let found = match family {
            "ticket" => self.ticket_value(key),
            "customer" => self.customer_value(key),
            "agent" => self.agent_value(key),
            "set" if !key.is_empty() => Some(
                self.values
                    .get(key)
                    .cloned()
                    .ok_or_else(|| format!("no `--set {key}=VALUE` was given")),
            ),
            _ => None,
        };
        match found {
            Some(Ok(v)) if !v.trim().is_empty() => Lookup::Value(v),
            Some(Ok(_)) => Lookup::Missing(format!("`{name}` is empty")),
            Some(Err(why)) => Lookup::Missing(why),
            None => Lookup::Unknown(KNOWN.into()),
        }
    }

    /// `ticket.KEY`: `None` for a key templates cannot use.
    fn ticket_value(&self, key: &str) -> Option<Result<String, String>> {
        let t = &self.ticket.ticket;
        let id = t.id.as_str();
        let missing = |what: &str| format!("{id} has no {what}");
        let opt = |v: &Option<String>, what: &str| v.clone().ok_or_else(|| missing(what));
        let reporter = t.reporter.as_deref().map(|r| self.person(r));
        Some(match key {
            "id" => Ok(id.to_string()),
            "title" => Ok(t.title.clone()),
            "status" => Ok(t.status.clone()),
            "type" => opt(&t.kind, "type"),
            "priority" => {
                let config = self.desk.store().config();
                let standing = crate::support::standing(config, t, self.customer.as_ref());
                Ok(standing.priority.band)
            }
            "assignee" => opt(&t.assignee, "assignee"),
            "reporter" => opt(&t.reporter, "reporter"),
            "reporter_name" => reporter
                .and_then(|(name, _)| name)
                .ok_or_else(|| missing("reporter name (`reporter: Name <email>`)")),
            "reporter_email" => reporter
                .and_then(|(_, email)| email)
                .ok_or_else(|| missing("reporter email (`reporter: Name <email>`)")),
            "customer" => opt(&t.customer, "customer"),
            "created" => Ok(t.created.to_string()),
            "labels" if t.labels.is_empty() => Err(missing("labels")),
            "labels" => Ok(t.labels.join(", ")),
            _ => return None,
        })
    }

    /// The name and email of a reporter: `Name <email>`, a bare email (named by the
    /// customer record's contact with that email), or a team handle.
    fn person(&self, who: &str) -> (Option<String>, Option<String>) {
        let config = self.desk.store().config();
        if let Some(m) = config.team.iter().find(|m| m.handle == who) {
            return (m.name.clone(), m.email.clone());
        }
        let (name, email) = match who.rsplit_once('<') {
            Some((name, rest)) => (
                Some(name.trim().to_string()),
                rest.strip_suffix('>').map(|e| e.trim().to_string()),
            ),
            None if who.contains('@') => (None, Some(who.trim().to_string())),
            None => (Some(who.trim().to_string()), None),
        };
        let name = name.filter(|n| !n.is_empty()).or_else(|| {
            let email = email.as_deref()?;
            let contacts = &self.customer.as_ref()?.contacts;
            let c = contacts
                .iter()
                .find(|c| c.email.eq_ignore_ascii_case(email))?;
            Some(c.name.clone())
        });
        (name, email.filter(|e| !e.is_empty()))
    }

    /// `customer.KEY`.
    fn customer_value(&self, key: &str) -> Option<Result<String, String>> {
        if !matches!(key, "name" | "slug" | "tier" | "org") {
            return None;
        }
        let t = &self.ticket.ticket;
        let Some(slug) = &t.customer else {
            return Some(Err(format!("{} has no customer", t.id)));
        };
        let Some(c) = &self.customer else {
            return Some(Err(format!("there is no customer record `{slug}`")));
        };
        let opt = |v: &Option<String>, what: &str| {
            v.clone()
                .ok_or_else(|| format!("customer `{slug}` has no {what}"))
        };
        Some(match key {
            "name" => Ok(c.name.clone()),
            "slug" => Ok(slug.clone()),
            "tier" => opt(&c.tier, "tier"),
            _ => opt(&c.org, "org"),
        })
    }

    /// `agent.KEY`: who acts, as the config's team knows them.
    fn agent_value(&self, key: &str) -> Option<Result<String, String>> {
        let config = self.desk.store().config();
        let member = config.team_member(&self.agent.to_string());
        Some(match key {
            "name" => Ok(member
                .and_then(|m| m.name.clone())
                .unwrap_or_else(|| self.agent.name.clone())),
            "email" => Ok(member
                .and_then(|m| m.email.clone())
                .unwrap_or_else(|| self.agent.email.clone())),
            "handle" => member.map(|m| m.handle.clone()).ok_or_else(|| {
                format!(
                    "{} is not in the config's `team`, so has no handle",
                    self.agent
                )
            }),
            _ => return None,
        })
    }
}
