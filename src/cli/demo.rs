//! `docket demo`: builds a small, realistic help desk in a new git repository from the
//! files in `fixtures/demo/` (compiled into the binary), making every change through the
//! same desk operations and commits a team would, then shows it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde::Deserialize;

use super::Failure;
use super::tickets::{Context, ListArgs, ShowArgs};
use crate::desk::{Assignment, Change, Desk, LinkTarget, NewTicket, Options};
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
const SETUP_AUTHOR: &str = "Alice Ng <alice@example.org>";
const SETUP_TIME: &str = "2026-10-01T08:00:00Z";

/// Arguments of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to create the demo repository (must not exist yet, or be empty).
    #[arg(default_value = "docket-demo")]
    pub dir: PathBuf,
}

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
}

fn at(t: &str) -> jiff::Timestamp {
    t.parse().expect("the demo's fixed times are RFC 3339")
}

/// `docket demo`.
pub fn run(ctx: &Context, a: &DemoArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let dir = if a.dir.is_absolute() {
        a.dir.clone()
    } else {
        ctx.dir.join(&a.dir)
    };
    if dir.exists()
        && std::fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Failure::usage(
            format!("{} already exists and is not empty", dir.display()),
            "give another folder: `docket demo DIR`",
        ));
    }
    std::fs::create_dir_all(&dir)?;
    crate::git::Repo::init(&dir)?;
    let scenario: Scenario = crate::doc::parse_yaml(SCENARIO.as_bytes())
        .map_err(|e| Failure::new(format!("fixtures/demo/scenario.yaml: {e}"), None))?;

    let options = Options {
        author: Some(SETUP_AUTHOR.into()),
        no_commit: false,
        now: Some(at(SETUP_TIME)),
        watcher: None,
    };
    let desk = Desk::open(&dir, options.clone())?;
    desk.transact(|_| {
        Ok(Change {
            action: "init",
            id: None,
            title: "help desk".into(),
            files: vec![(CONFIG_PATH.into(), CONFIG.into())],
            details: Vec::new(),
        })
    })?;
    let mut desk = Desk::open(&dir, options)?;
    let customers_dir = desk.store().config().paths.customers.clone();
    let kb_dir = desk.store().config().paths.kb.clone();
    for (kind, folder, files) in [
        ("customer", customers_dir, CUSTOMERS),
        ("article", kb_dir, ARTICLES),
    ] {
        for (name, text) in files {
            desk.transact(|_| {
                Ok(Change {
                    action: "add",
                    id: None,
                    title: format!("{kind} {}", name.trim_end_matches(".md")),
                    files: vec![(format!("{folder}/{name}"), (*text).to_string())],
                    details: Vec::new(),
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

    writeln!(out, "Built a demo help desk in {}\n", dir.display())?;
    let ctx = Context {
        dir: dir.clone(),
        options: Options::default(),
    };
    writeln!(out, "$ docket list --all")?;
    super::tickets::list(
        &ctx,
        &ListArgs {
            status: Vec::new(),
            all: true,
            assignee: None,
            label: Vec::new(),
            customer: None,
            json: false,
        },
        out,
    )?;
    if let Some(first) = ids.first() {
        writeln!(out, "\n$ docket show {first}")?;
        super::tickets::show(
            &ctx,
            &ShowArgs {
                id: first.clone(),
                json: false,
            },
            out,
        )?;
    }
    writeln!(
        out,
        "\nTry: cd {} && docket list && git log --oneline | head",
        dir.display()
    )?;
    Ok(())
}

fn play(desk: &Desk, id: &str, e: &Event, earlier: &[String]) -> Result<(), Failure> {
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
        desk.set(id, &assignments)?;
    }
    if let Some(slug) = &e.link_article {
        desk.link(id, &LinkTarget::Article(slug.clone()))?;
    }
    if let Some(n) = e.link_duplicate {
        let other = earlier.get(n.wrapping_sub(1)).ok_or_else(|| {
            Failure::new(
                format!("fixtures/demo/scenario.yaml: no ticket number {n}"),
                None,
            )
        })?;
        desk.link(id, &LinkTarget::DuplicateOf(other.clone()))?;
    }
    if let Some(reason) = &e.close {
        desk.close(id, Some(reason), false)?;
    }
    if e.reopen == Some(true) {
        desk.reopen(id)?;
    }
    Ok(())
}
