//! `automate`: the config's automation rules over the desk's tickets, idempotently. A rule
//! fires on a ticket once per condition (see `support::automation`): each firing is
//! recorded as a rule event in the ticket's folder, so a second run, another clone or a
//! squash-merged branch knows it fired. Everything one run does to a ticket is one commit
//! with a `Docket-Rule:` trailer per rule; a rule's `hook` runs after that commit.
//!
//! The index says which tickets each rule may hold for (status, labels, tier, age, SLA);
//! only those tickets' folders are read, for the idle time and what fired before.

mod plan;

use std::collections::HashMap;

use serde::Serialize;

use super::{Desk, DeskError, FactSource, Indexed, Update};
use crate::index::Progress;
use crate::support::automation::{Compiled, Situation, SlaClock, activity, compile};
use crate::support::parse_duration;
use crate::support::sla::{Alert, AttentionQuery, Calendars, Want, attention};

/// What one `automate` run did (or, dry, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct AutomationRun {
    /// Tickets a rule fired on, oldest first.
    pub tickets: Vec<Automated>,
    /// Tickets looked at.
    pub checked: usize,
    /// Warnings: hooks that failed, tickets a rule could not change.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// One ticket and the rules that fired on it.
#[derive(Debug, Clone, Serialize)]
pub struct Automated {
    /// Ticket id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The rules, in config order.
    pub rules: Vec<FiredRule>,
    /// The commit made (none in a dry run, with `--no-commit`, or when it failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Why the change was refused, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One rule that fired.
#[derive(Debug, Clone, Serialize)]
pub struct FiredRule {
    /// Its name.
    pub rule: String,
    /// The condition it fired on.
    pub condition: String,
    /// What it does, one phrase each (`set labels+=escalated`, `comment still-waiting`).
    pub actions: Vec<String>,
}

/// What to do to one ticket: the update and the rules' hooks.
struct Plan {
    update: Update,
    fired: Vec<FiredRule>,
    hooks: Vec<(String, String)>,
}

impl Desk {
    /// Applies the automation rules (`dry_run`: only says what they would do).
    pub fn automate(
        &self,
        dry_run: bool,
        progress: &dyn Progress,
    ) -> Result<Indexed<AutomationRun>, DeskError> {
        let config = self.store().config().clone();
        let rules = compile(&config.automation).map_err(|problems| {
            let (i, key, message) = problems.into_iter().next().unwrap_or_default();
            DeskError::invalid(
                format!(".docket/config.yaml: automation.{i}.when.{key}: {message}"),
                "fix the rule (`docket check` lists every problem)",
            )
        })?;
        let recovered = if dry_run { Vec::new() } else { self.recover()? };
        if rules.is_empty() {
            return Ok(Indexed {
                value: AutomationRun::default(),
                notices: recovered,
            });
        }
        let closed = config.workflow.closed.clone();
        let wants_closed = rules
            .iter()
            .any(|r| r.rule.when.status.iter().any(|s| closed.contains(s)));
        let rows = self.fact_rows(!wants_closed, Want::default(), FactSource::Index, progress)?;
        let now = self.now();
        let announce = !dry_run && self.hooks_listen(crate::model::HookKind::SlaBreached);
        let (clocks, alerts) = sla_clocks(&rows.value, &config, &rules, now, announce);
        let mut run = AutomationRun {
            checked: rows.value.len(),
            ..AutomationRun::default()
        };
        let mut order: Vec<&crate::support::sla::FactRow> = rows.value.iter().collect();
        order.sort_by(|a, b| (a.facts.created, &a.id).cmp(&(b.facts.created, &b.id)));
        let mut assigner = self.assigner()?;
        for row in order {
            let Some(created) = row.facts.created else {
                continue;
            };
            let mut s = Situation {
                status: &row.status,
                labels: &row.labels,
                tier: row.tier.as_deref(),
                created,
                active: None,
                status_since: None,
                sla: clocks.get(row.id.as_str()).cloned().unwrap_or_default(),
            };
            let maybe: Vec<&Compiled> = rules
                .iter()
                .filter(|r| r.may_hold(&s, &closed, now))
                .collect();
            if maybe.is_empty() {
                continue;
            }
            let ticket = self.store().ticket(&row.id)?;
            let entries = self.store().timeline(&ticket.rel)?.items;
            let seen = activity(created, entries.iter().map(|e| &e.entry));
            s.active = seen.active;
            s.status_since = seen.status_since;
            // In config order, each rule seeing the status the earlier ones left.
            let mut firing: Vec<(&Compiled, String)> = Vec::new();
            let mut status = row.status.clone();
            for r in maybe {
                let here = Situation {
                    status: &status,
                    ..s.clone()
                };
                let Some(condition) = r.condition(&here, &closed, now) else {
                    continue;
                };
                let done = seen
                    .fired
                    .iter()
                    .any(|(name, c)| *name == r.rule.name && *c == condition);
                if done {
                    continue;
                }
                if let Some(next) = status_after(r, &config) {
                    status = next;
                    s.status_since = Some(now);
                }
                firing.push((r, condition));
            }
            if firing.is_empty() {
                continue;
            }
            let mut automated = Automated {
                id: row.id.clone(),
                title: row.title.clone(),
                rules: Vec::new(),
                commit: None,
                error: None,
            };
            let plan = match self.plan(&ticket, &firing, &mut assigner, now.as_second()) {
                Ok(plan) => plan,
                Err(e) => {
                    automated.error = Some(e.to_string());
                    run.warnings.push(format!("{}: {e}", row.id));
                    run.tickets.push(automated);
                    continue;
                }
            };
            automated.rules = plan.fired.clone();
            if !dry_run {
                match self.update(&row.id, &plan.update) {
                    Ok(outcome) => {
                        automated.commit = outcome.commit.as_ref().map(|c| c.id.clone());
                        run.warnings.extend(outcome.warnings.iter().cloned());
                        run.warnings
                            .extend(self.rule_hooks(&row.id, &plan.hooks, &outcome));
                    }
                    Err(e) => {
                        automated.error = Some(e.to_string());
                        run.warnings.push(format!("{}: {e}", row.id));
                    }
                }
            }
            run.tickets.push(automated);
        }
        if !dry_run {
            // `sla_breached` hooks hear of each breached target once, as from `docket sla`.
            run.warnings.extend(self.announce_sla_breaches(&alerts));
        }
        Ok(Indexed {
            value: run,
            notices: recovered.into_iter().chain(rows.notices).collect(),
        })
    }
}

/// The status a rule's actions leave a ticket in, if they move it.
fn status_after(rule: &Compiled, config: &crate::model::Config) -> Option<String> {
    let then = &rule.rule.then;
    if then.close {
        return Some(config.workflow.close.clone());
    }
    then.set
        .iter()
        .filter_map(|a| a.strip_prefix("status="))
        .next_back()
        .map(|s| s.trim().to_string())
}

/// The SLA clocks of each ticket that any rule's `sla` condition could look at: breached,
/// or running with at most the largest `within` of the rules left; and the alerts behind
/// them (with `announce`, at least the breached ones, for the `sla_breached` hooks).
fn sla_clocks(
    rows: &[crate::support::sla::FactRow],
    config: &crate::model::Config,
    rules: &[Compiled],
    now: jiff::Timestamp,
    announce: bool,
) -> (HashMap<String, Vec<SlaClock>>, Vec<Alert>) {
    let mut out: HashMap<String, Vec<SlaClock>> = HashMap::new();
    if rules.iter().all(|r| r.rule.when.sla.is_none()) {
        if !announce {
            return (out, Vec::new());
        }
        // Breach hooks still hear of what `automate` sees.
        let q = AttentionQuery {
            at_risk: 0,
            breached_only: true,
            now,
        };
        return (out, attention(rows, &Calendars::new(config), &q));
    }
    let within = rules
        .iter()
        .filter_map(|r| r.rule.when.within.as_deref())
        .filter_map(|w| parse_duration(w).ok())
        .chain(parse_duration(crate::support::automation::AT_RISK_DEFAULT).ok())
        .max()
        .unwrap_or(0);
    let q = AttentionQuery {
        at_risk: within,
        breached_only: false,
        now,
    };
    let alerts = attention(rows, &Calendars::new(config), &q);
    for a in &alerts {
        out.entry(a.id.clone()).or_default().push(SlaClock {
            target: a.target.to_string(),
            breached: a.state == "breached",
            left: a.left_secs,
            due: a.due,
        });
    }
    (out, alerts)
}
