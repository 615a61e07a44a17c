//! The demo help desk: a small, realistic desk built in a new git repository from the
//! files in `fixtures/demo/` (compiled in), every change made through the same desk
//! operations and commits a team would make, at the times the scenario gives. Uses the
//! desk's operations, `git` (to create the repository) and `doc` (to read the scenario).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{Assignment, Change, Desk, DeskError, LinkTarget, NewTicket, Options};
use crate::model::Slug;
use crate::store::CONFIG_PATH;

const CONFIG: &str = include_str!("../../fixtures/demo/config.yaml");
const SCENARIO: &str = include_str!("../../fixtures/demo/scenario.yaml");
const CUSTOMERS: &[(&str, &str)] = &[
    (
        "acme.md",
        include_str!("../../fixtures/demo/customers/acme.md"),
    ),
    (
        "kestrel.md",
        include_str!("../../fixtures/demo/customers/kestrel.md"),
    ),
    (
        "nordlicht.md",
        include_str!("../../fixtures/demo/customers/nordlicht.md"),
    ),
    (
        "saltmarsh.md",
        include_str!("../../fixtures/demo/customers/saltmarsh.md"),
    ),
];
const ARTICLES: &[(&str, &str)] = &[
    (
        "cardinality-limits.md",
        include_str!("../../fixtures/demo/kb/cardinality-limits.md"),
    ),
    (
        "config-reference.md",
        include_str!("../../fixtures/demo/kb/config-reference.md"),
    ),
    (
        "memory-tuning.md",
        include_str!("../../fixtures/demo/kb/memory-tuning.md"),
    ),
    (
        "retention-policies.md",
        include_str!("../../fixtures/demo/kb/retention-policies.md"),
    ),
    (
        "support-escalation.md",
        include_str!("../../fixtures/demo/kb/support-escalation.md"),
    ),
    (
        "tls-setup.md",
        include_str!("../../fixtures/demo/kb/tls-setup.md"),
    ),
    (
        "upgrade-1-5.md",
        include_str!("../../fixtures/demo/kb/upgrade-1-5.md"),
    ),
    (
        "wal-recovery.md",
        include_str!("../../fixtures/demo/kb/wal-recovery.md"),
    ),
];
const TEMPLATES: &[(&str, &str)] = &[
    (
        "closing-abandoned.md",
        include_str!("../../fixtures/demo/templates/closing-abandoned.md"),
    ),
    (
        "escalation.md",
        include_str!("../../fixtures/demo/templates/escalation.md"),
    ),
    (
        "fixed-in-release.md",
        include_str!("../../fixtures/demo/templates/fixed-in-release.md"),
    ),
    (
        "still-waiting.md",
        include_str!("../../fixtures/demo/templates/still-waiting.md"),
    ),
];
const SETUP_AUTHOR: &str = "Alice Ng <alice@example.org>";
const SETUP_TIME: &str = "2026-10-01T08:00:00Z";

#[derive(Debug, Deserialize)]
struct Scenario {
    tickets: Vec<DemoTicket>,
}

#[derive(Debug, Deserialize)]
struct DemoTicket {
    title: String,
    #[serde(default)]
    body: String,
    reporter: String,
    customer: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    labels: Vec<String>,
    importance: Option<u8>,
    urgency: Option<u8>,
    created: jiff::Timestamp,
    #[serde(default)]
    events: Vec<Event>,
}

#[derive(Debug, Deserialize)]
struct Event {
    at: jiff::Timestamp,
    by: String,
    comment: Option<String>,
    #[serde(default)]
    internal: bool,
    assign: Option<String>,
    set: Option<BTreeMap<String, String>>,
    link_article: Option<String>,
    link_duplicate: Option<usize>,
    close: Option<String>,
    reopen: Option<bool>,
    rating: Option<u8>,
    #[serde(default)]
    rating_text: String,
}

fn at(t: &str) -> jiff::Timestamp {
    t.parse().expect("the demo's fixed times are RFC 3339")
}

/// The demo desk that was built.
#[derive(Debug)]
pub struct Demo {
    /// The ids of the scenario's tickets, in the order they were opened.
    pub ids: Vec<String>,
}

/// Builds the demo desk in `dir`, an empty folder: a new git repository, the config, the
/// customers and articles, then each ticket and what happened to it, one commit each.
pub fn build_demo(dir: &Path, seed: Option<u64>) -> Result<Demo, DeskError> {
    crate::git::Repo::init(dir)?;
    let scenario: Scenario =
        crate::doc::parse_yaml(SCENARIO.as_bytes()).map_err(|e| DeskError::DemoFixture {
            message: format!("fixtures/demo/scenario.yaml: {e}"),
        })?;
    let options = Options {
        author: Some(SETUP_AUTHOR.into()),
        no_commit: false,
        now: Some(at(SETUP_TIME)),
        seed,
        watcher: None,
    };
    let desk = Desk::open(dir, options.clone())?;
    desk.transact(|store| {
        let mut files = vec![(CONFIG_PATH.to_string(), CONFIG.to_string())];
        let folder = &store.config().paths.templates;
        for (name, text) in TEMPLATES {
            files.push((format!("{folder}/{name}"), (*text).to_string()));
        }
        Ok(Change {
            action: "init",
            id: None,
            title: "help desk".into(),
            files,
            details: Vec::new(),
            trailers: Vec::new(),
        })
    })?;
    let mut desk = Desk::open(dir, options)?;
    for (kind, files) in [("customer", CUSTOMERS), ("article", ARTICLES)] {
        for (name, text) in files {
            let slug: Slug =
                name.trim_end_matches(".md")
                    .parse()
                    .map_err(|e| DeskError::DemoFixture {
                        message: format!("fixtures/demo/{name}: {e}"),
                    })?;
            let rel = match kind {
                "customer" => desk.store().customer_rel(&slug),
                _ => desk.store().article_rel(&slug),
            };
            desk.transact(|_| {
                Ok(Change {
                    action: "add",
                    id: None,
                    title: format!("{kind} {slug}"),
                    files: vec![(rel.clone(), (*text).to_string())],
                    details: Vec::new(),
                    trailers: Vec::new(),
                })
            })?;
        }
    }
    let mut ids: Vec<String> = Vec::new();
    for t in &scenario.tickets {
        desk.act_as(Some(t.reporter.clone()), Some(t.created));
        let outcome = desk.new_ticket(NewTicket {
            title: t.title.clone(),
            body: t.body.clone(),
            labels: t.labels.clone(),
            customer: t.customer.clone(),
            reporter: Some(t.reporter.clone()),
            kind: t.kind.clone(),
            importance: t.importance,
            urgency: t.urgency,
            assignee: None,
        })?;
        let id = outcome.id.map(|i| i.to_string()).unwrap_or_default();
        for e in &t.events {
            desk.act_as(Some(e.by.clone()), Some(e.at));
            play(&desk, &id, e, &ids)?;
        }
        ids.push(id);
    }
    Ok(Demo { ids })
}

fn play(desk: &Desk, id: &str, e: &Event, earlier: &[String]) -> Result<(), DeskError> {
    if let Some(text) = &e.comment {
        desk.comment(id, text, e.internal)?;
    }
    if let Some(who) = &e.assign {
        desk.assign(id, who)?;
    }
    if let Some(set) = &e.set {
        let assignments: Vec<Assignment> = set
            .iter()
            .map(|(k, v)| format!("{k}={v}").parse())
            .collect::<Result<_, _>>()?;
        desk.set(id, &assignments, false)?;
    }
    if let Some(slug) = &e.link_article {
        desk.link(id, &LinkTarget::Article(slug.clone()))?;
    }
    if let Some(n) = e.link_duplicate {
        let other = earlier
            .get(n.wrapping_sub(1))
            .ok_or_else(|| DeskError::DemoFixture {
                message: format!("fixtures/demo/scenario.yaml: no ticket number {n}"),
            })?;
        desk.link(id, &LinkTarget::DuplicateOf(other.clone()))?;
    }
    if let Some(reason) = &e.close {
        desk.close(id, Some(reason), false)?;
    }
    if e.reopen == Some(true) {
        desk.reopen(id)?;
    }
    if let Some(rating) = e.rating {
        desk.feedback(
            id,
            super::NewRating {
                rating,
                text: e.rating_text.clone(),
                from: None,
                force: false,
            },
        )?;
    }
    Ok(())
}
