//! The generated desk's configuration: its team, tiers, priority weights and SLA
//! policies, held once here and used both to write `.docket/config.yaml` and to decide
//! which targets the simulated team works to.

use crate::calendar::{HOLIDAYS, HOURS, TIMEZONE};

/// The team: handle, name, email. The first three lead (they triage and assign); Alice
/// is also who the runner's own commits are by.
pub const TEAM: &[(&str, &str, &str)] = &[
    ("alice", "Alice Ng", "alice@example.org"),
    ("bob", "Bob Marsh", "bob@example.org"),
    ("chen", "Chen Wei", "chen@example.org"),
    ("dmitri", "Dmitri Volkov", "dmitri@example.org"),
    ("esra", "Esra Demir", "esra@example.org"),
    ("femi", "Femi Adeyemi", "femi@example.org"),
    ("greta", "Greta Lindholm", "greta@example.org"),
    ("hiro", "Hiro Sato", "hiro@example.org"),
    ("ines", "Ines Duarte", "ines@example.org"),
    ("jakob", "Jakob Huber", "jakob@example.org"),
    ("kavya", "Kavya Iyer", "kavya@example.org"),
    ("liam", "Liam Byrne", "liam@example.org"),
];

/// How many of [`TEAM`] lead.
pub const LEADS: usize = 3;

/// Customer tiers, lowest first.
pub const TIERS: &[&str] = &["community", "professional", "subscription", "enterprise"];

/// Score bonus per tier (`priority.tiers`).
const TIER_BONUS: &[(&str, f64)] = &[("enterprise", 1.0), ("subscription", 0.5)];

/// docket's default bands, highest first: a score at or above the number gets the name.
const BANDS: &[(&str, f64)] = &[
    ("urgent", 4.5),
    ("high", 3.5),
    ("normal", 2.0),
    ("low", 0.0),
];

/// Priority bands, lowest first.
pub const BAND_ORDER: &[&str] = &["low", "normal", "high", "urgent"];

/// One SLA policy, targets in hours.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Its name.
    pub name: &'static str,
    /// Tiers covered.
    pub tiers: &'static [&'static str],
    /// Bands covered (empty: all).
    pub priorities: &'static [&'static str],
    /// Business hours (else every hour counts).
    pub business: bool,
    /// First response, hours.
    pub first: Option<u32>,
    /// Next response, hours.
    pub next: Option<u32>,
    /// Resolution, hours.
    pub resolution: Option<u32>,
}

/// The policies in the order docket tries them.
pub const POLICIES: &[Policy] = &[
    Policy {
        name: "enterprise-urgent",
        tiers: &["enterprise"],
        priorities: &["urgent", "high"],
        business: false,
        first: Some(1),
        next: Some(2),
        resolution: Some(8),
    },
    Policy {
        name: "enterprise",
        tiers: &["enterprise"],
        priorities: &[],
        business: true,
        first: Some(4),
        next: Some(8),
        resolution: Some(40),
    },
    Policy {
        name: "subscription",
        tiers: &["subscription"],
        priorities: &[],
        business: true,
        first: Some(8),
        next: Some(16),
        resolution: Some(80),
    },
    Policy {
        name: "professional",
        tiers: &["professional"],
        priorities: &[],
        business: true,
        first: Some(16),
        next: None,
        resolution: Some(120),
    },
];

/// The band docket derives from importance, urgency and the tier (`normal` without
/// either), unless a band was set by hand.
pub fn band(importance: Option<u8>, urgency: Option<u8>, tier: Option<&str>) -> &'static str {
    if importance.is_none() && urgency.is_none() {
        return "normal";
    }
    let bonus = TIER_BONUS
        .iter()
        .find(|(t, _)| Some(*t) == tier)
        .map_or(0.0, |b| b.1);
    let score = 0.5 * f64::from(importance.unwrap_or(0)) + 0.5 * f64::from(urgency.unwrap_or(0));
    BANDS
        .iter()
        .find(|(_, min)| score + bonus >= *min)
        .map_or("low", |b| b.0)
}

/// The first policy that covers a tier and band.
pub fn policy(tier: Option<&str>, band: &str) -> Option<&'static Policy> {
    let tier = tier?;
    POLICIES.iter().find(|p| {
        p.tiers.contains(&tier) && (p.priorities.is_empty() || p.priorities.contains(&band))
    })
}

/// The band one step above (`urgent` stays).
pub fn higher(band: &str) -> &'static str {
    let i = BAND_ORDER.iter().position(|b| *b == band).unwrap_or(1);
    BAND_ORDER[(i + 1).min(BAND_ORDER.len() - 1)]
}

/// `.docket/config.yaml`: the demo desk's paths and workflow, the team, the tiers, and
/// the priority and SLA sections.
pub fn config_text() -> String {
    let mut s = String::from(
        "paths:\n  tickets: support/tickets\n  kb: support/kb\n  customers: support/customers\n\
         workflow:\n  statuses: [new, open, pending, resolved, closed]\n  initial: open\n  \
         closed: [resolved, closed]\n  transitions:\n    new: [open, pending, resolved, closed]\n    \
         open: [pending, resolved, closed]\n    pending: [open, resolved, closed]\n    \
         resolved: [open, closed]\n    closed: [open]\nteam:\n",
    );
    for (handle, name, email) in TEAM {
        s.push_str(&format!(
            "  - handle: {handle}\n    name: {name}\n    email: {email}\n"
        ));
    }
    s.push_str(&format!("tiers: [{}]\n", TIERS.join(", ")));
    let bonus: Vec<String> = TIER_BONUS
        .iter()
        .map(|(t, b)| format!("{t}: {b}"))
        .collect();
    s.push_str(&format!("priority:\n  tiers: {{{}}}\n", bonus.join(", ")));
    let frame = format!("[\"{:02}:00-{:02}:00\"]", HOURS.0, HOURS.1);
    let days: Vec<String> = ["mon", "tue", "wed", "thu", "fri"]
        .iter()
        .map(|d| format!("{d}: {frame}"))
        .collect();
    s.push_str(&format!(
        "sla:\n  paused: [pending]\n  calendars:\n    business:\n      timezone: {TIMEZONE}\n      \
         hours: {{{}}}\n      holidays: [{}]\n  policies:\n",
        days.join(", "),
        HOLIDAYS.join(", ")
    ));
    for p in POLICIES {
        s.push_str(&policy_line(p));
    }
    s.push_str(OPERATIONS);
    s
}

/// Groups, routing, triage and automation, as a support team would set them up: what
/// `docket triage` and `docket automate` run on the generated desk.
const OPERATIONS: &str = r#"groups:
  tier1: {members: [dmitri, esra, femi, greta], strategy: fewest_open}
  platform: {members: [hiro, ines, jakob], strategy: round_robin}
routing:
  mode: all
  rules:
    - name: crashes
      when: {text: '(?i)\b(crash|panic|segfault|oom)\b'}
      then: {labels: [crash], assignee: 'group:platform'}
    - name: enterprise
      when: {tier: [enterprise]}
      then: {assignee: 'group:tier1', urgency: 4}
triage:
  untriaged: [assignee]             # every generated ticket has a type
  threshold: 0.6
automation:
  - name: close-abandoned
    when: {status: [pending], idle: 30d}
    then: {set: ['resolution=abandoned'], close: true}
  - name: nudge-pending
    when: {status: [pending], idle: 7d}
    then: {comment: still-waiting}
  - name: escalate-breach
    when: {sla: breached, tier: [enterprise]}
    then: {set: ['labels+=escalated']}
"#;

/// The reply templates the automation rules use: path under the repository and text.
pub const TEMPLATES: &[(&str, &str)] = &[(
    ".docket/templates/still-waiting.md",
    "Hello {{ticket.reporter_name}},\n\nwe are still waiting for your reply on \"{{ticket.title}}\" ({{ticket.id}}).\n\n{{agent.name}}\n",
)];

/// One policy as a flow mapping.
fn policy_line(p: &Policy) -> String {
    let mut parts = vec![
        format!("name: {}", p.name),
        format!("tiers: [{}]", p.tiers.join(", ")),
    ];
    if !p.priorities.is_empty() {
        parts.push(format!("priorities: [{}]", p.priorities.join(", ")));
    }
    if p.business {
        parts.push("calendar: business".into());
    }
    for (key, hours) in [
        ("first_response", p.first),
        ("next_response", p.next),
        ("resolution", p.resolution),
    ] {
        if let Some(h) = hours {
            parts.push(format!("{key}: {h}h"));
        }
    }
    format!("    - {{{}}}\n", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_reads_as_docket_config() {
        let text = config_text();
        let config: docket::model::Config =
            docket::doc::parse_yaml(text.as_bytes()).expect("a valid config");
        assert_eq!(config.team.len(), TEAM.len());
        assert_eq!(config.sla.policies.len(), POLICIES.len());
        assert_eq!(config.sla.policies[0].first_response.as_deref(), Some("1h"));
        assert_eq!(config.sla.policies[3].next_response, None);
        assert_eq!(config.priority.tiers.get("enterprise"), Some(&1.0));
        assert_eq!(config.automation.len(), 3);
        assert_eq!(config.routing.rules.len(), 2);
        let business = &config.sla.calendars["business"];
        assert_eq!(business.hours["fri"], vec!["09:00-17:00".to_string()]);
        assert!(business.holidays.contains(&"2026-04-03".to_string()));
        assert!(docket::store::validate_config(text.as_bytes()).is_empty());
    }

    #[test]
    fn bands_and_policies_follow_the_config() {
        assert_eq!(band(Some(3), Some(3), None), "normal");
        assert_eq!(band(Some(3), Some(3), Some("enterprise")), "high");
        assert_eq!(band(Some(4), Some(3), Some("enterprise")), "urgent");
        assert_eq!(band(Some(1), Some(1), None), "low");
        assert_eq!(band(Some(2), Some(3), Some("subscription")), "normal");
        assert_eq!(band(None, None, Some("enterprise")), "normal");
        let p = |tier, band| policy(Some(tier), band).map(|p| p.name);
        assert_eq!(p("enterprise", "high"), Some("enterprise-urgent"));
        assert_eq!(p("enterprise", "normal"), Some("enterprise"));
        assert_eq!(p("professional", "urgent"), Some("professional"));
        assert_eq!(p("community", "urgent"), None);
        assert_eq!(policy(None, "urgent").map(|p| p.name), None);
        assert_eq!(higher("normal"), "high");
        assert_eq!(higher("urgent"), "urgent");
    }
}
