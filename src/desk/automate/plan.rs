//! What the rules that fire on one ticket do: the one update they make together, in
//! config order, and the `hook` actions run after its commit.

use std::collections::BTreeMap;

use super::{FiredRule, Plan};
use crate::desk::{Assignment, Desk, DeskError, RuleFired, Update, UpdateComment};
use crate::model::{HookEvent, HookKind, format_time};
use crate::support::automation::Compiled;

impl Desk {
    /// The update that the firing rules make to one ticket, in config order.
    pub(super) fn plan(
        &self,
        ticket: &crate::store::TicketFile,
        firing: &[(&Compiled, String)],
        assigner: &mut crate::desk::Assigner,
        now: i64,
    ) -> Result<Plan, DeskError> {
        let config = self.store().config();
        let mut update = Update {
            action: "automate",
            ..Update::default()
        };
        let mut fired = Vec::new();
        let mut hooks = Vec::new();
        for (c, condition) in firing {
            let rule = c.rule;
            let then = &rule.then;
            let mut actions = Vec::new();
            for a in &then.set {
                let parsed: Assignment = a.parse()?;
                update.assignments.push(parsed);
                actions.push(format!("set {a}"));
            }
            if let Some(who) = &then.assign {
                let handle = assigner.resolve(config, who, now)?;
                actions.push(format!("assign {handle}"));
                update
                    .assignments
                    .push(format!("assignee={handle}").parse()?);
            }
            if let Some(name) = &then.comment {
                let rendered = self.render_template(name, ticket, &BTreeMap::new())?;
                update.assignments.extend(rendered.assignments);
                actions.push(format!(
                    "{} {name}",
                    if then.internal { "note" } else { "comment" }
                ));
                update.comments.push(UpdateComment {
                    text: rendered.text,
                    internal: then.internal,
                });
            }
            if then.close && !config.workflow.is_closed(&ticket.ticket.status) {
                let to = &config.workflow.close;
                actions.push(format!("close ({to})"));
                update.assignments.push(format!("status={to}").parse()?);
            }
            if let Some(command) = &then.hook {
                actions.push(format!("hook {command}"));
                hooks.push((rule.name.clone(), command.clone()));
            }
            update.rules.push(RuleFired {
                rule: rule.name.clone(),
                condition: condition.clone(),
            });
            update.trailers.push(("Docket-Rule", rule.name.clone()));
            update
                .details
                .push(format!("rule {}: {condition}", rule.name));
            fired.push(FiredRule {
                rule: rule.name.clone(),
                condition: condition.clone(),
                actions,
            });
        }
        Ok(Plan {
            update,
            fired,
            hooks,
        })
    }

    /// Runs the `hook` actions of the rules that fired on a ticket, after its commit.
    pub(super) fn rule_hooks(
        &self,
        id: &str,
        hooks: &[(String, String)],
        outcome: &crate::desk::Outcome,
    ) -> Vec<String> {
        if hooks.is_empty() {
            return Vec::new();
        }
        let Ok(entry) = self.store().resolve(id) else {
            return Vec::new();
        };
        let Some(ticket) = self.hook_ticket(&entry.rel, None) else {
            return Vec::new();
        };
        let actor = self.author().map(|a| a.to_string()).unwrap_or_default();
        let mut warnings = Vec::new();
        for (rule, command) in hooks {
            let event = HookEvent {
                event: HookKind::Rule,
                time: format_time(self.now()),
                actor: actor.clone(),
                ticket: ticket.clone(),
                from: None,
                to: None,
                comment: None,
                target: None,
                rule: Some(rule.clone()),
                commit: outcome.commit.as_ref().map(|c| c.id.clone()),
            };
            warnings.extend(self.run_command_hook(command, None, &event));
        }
        warnings
    }
}
