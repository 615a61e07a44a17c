//! `check`: every file of the desk validated strictly (config, customers, articles,
//! tickets and their comments), references between them included. Uses the store's
//! loading and the validators of its parent module.

use std::collections::BTreeSet;
use std::path::Path;

use super::refs;
use super::{
    Known, validate_article, validate_config, validate_customer, validate_entry, validate_ticket,
};
use crate::store::{CONFIG_PATH, Problem, Store, StoreError};

/// What `check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// How many files were checked.
    pub files: usize,
    /// Every problem, sorted by path and line.
    pub problems: Vec<Problem>,
}

impl CheckReport {
    /// How many files have at least one problem.
    pub fn bad_files(&self) -> usize {
        self.problems
            .iter()
            .map(|p| &p.path)
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// Validates every file of the desk.
pub fn check(store: &Store) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport::default();
    let out = &mut report.problems;
    if let Ok(bytes) = std::fs::read(store.abs(CONFIG_PATH)) {
        report.files += 1;
        out.extend(
            validate_config(&bytes)
                .into_iter()
                .map(|p| p.with_path(CONFIG_PATH)),
        );
        out.extend(missing_templates(store, &bytes));
    }
    let customers = store.customers()?;
    let articles = store.articles()?;
    report.files += customers.items.len() + customers.problems.len();
    report.files += articles.items.len() + articles.problems.len();
    out.extend(customers.problems.iter().cloned());
    out.extend(articles.problems.iter().cloned());
    for c in &customers.items {
        out.extend(
            validate_customer(&c.doc, store.config())
                .into_iter()
                .map(|p| p.with_path(&c.rel)),
        );
    }
    for a in &articles.items {
        out.extend(
            validate_article(&a.doc)
                .into_iter()
                .map(|p| p.with_path(&a.rel)),
        );
    }
    let known = Known {
        customers: Some(customers.items.iter().map(|c| c.slug.clone()).collect()),
        articles: Some(articles.items.iter().map(|a| a.slug.clone()).collect()),
    };
    let tickets = store.tickets()?;
    report.files += tickets.items.len() + tickets.problems.len();
    out.extend(tickets.problems.iter().cloned());
    let ids: BTreeSet<String> = tickets
        .items
        .iter()
        .map(|t| t.ticket.id.to_string())
        .collect();
    let workflow = &store.config().workflow;
    for t in &tickets.items {
        let stem = Path::new(&t.rel)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned());
        out.extend(
            validate_ticket(&t.doc, store.config(), &known, stem.as_deref())
                .into_iter()
                .map(|p| p.with_path(&t.rel)),
        );
        out.extend(
            refs::ticket_links(&t.doc, &ids)
                .into_iter()
                .map(|p| p.with_path(&t.rel)),
        );
        let entries = store.timeline(&t.rel)?;
        report.files += entries.items.len() + entries.problems.len();
        out.extend(entries.problems);
        for c in &entries.items {
            if let Ok(doc) = store.read_doc(&c.rel) {
                out.extend(
                    validate_entry(&doc)
                        .into_iter()
                        .chain(refs::status_event(&doc, workflow))
                        .map(|p| p.with_path(&c.rel)),
                );
            }
        }
    }
    out.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    Ok(report)
}

/// The automation rules whose `comment:` names a template the templates folder does not
/// have: `automate` would refuse each ticket the rule fires on, so `check` says it first,
/// at the rule's line.
fn missing_templates(store: &Store, bytes: &[u8]) -> Vec<Problem> {
    let config = store.config();
    let mut wrapped = b"---\n".to_vec();
    wrapped.extend_from_slice(bytes);
    if !wrapped.ends_with(b"\n") {
        wrapped.push(b'\n');
    }
    wrapped.extend_from_slice(b"---\n");
    let doc = crate::doc::Document::parse(&wrapped).ok();
    let folder = &config.paths.templates;
    let mut out = Vec::new();
    for (i, rule) in config.automation.iter().enumerate() {
        let Some(name) = &rule.then.comment else {
            continue;
        };
        if store.exists(&format!("{folder}/{name}.md")) {
            continue;
        }
        let line = doc
            .as_ref()
            .and_then(|d| d.item_line(&["automation"], i))
            .map_or(1, |l| l - 1);
        out.push(
            Problem::at(
                CONFIG_PATH,
                line,
                format!(
                    "automation rule `{}` comments with template `{name}`, which is not in {folder}/",
                    rule.name
                ),
            )
            .hint(format!("write {folder}/{name}.md, or name one of the templates there")),
        );
    }
    out
}
