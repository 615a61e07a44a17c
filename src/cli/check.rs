//! `docket check`: strict validation of every file, reported as `path:line:col: message`
//! with a hint, exiting non-zero when anything is wrong.

use std::collections::BTreeSet;
use std::io::Write;

use clap::Args;

use super::Failure;
use super::tickets::Context;
use crate::model::escape_text;
use crate::store::{
    CONFIG_PATH, Known, Problem, Store, validate_article, validate_comment, validate_config,
    validate_customer, validate_ticket,
};

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {}

/// Every problem in the desk's files, sorted by path and line.
pub fn problems(store: &Store) -> Result<(usize, Vec<Problem>), Failure> {
    let mut out = Vec::new();
    let mut files = 0;
    if let Ok(bytes) = std::fs::read(store.abs(CONFIG_PATH)) {
        files += 1;
        out.extend(
            validate_config(&bytes)
                .into_iter()
                .map(|p| p.with_path(CONFIG_PATH)),
        );
    }
    let customers = store.customers()?;
    let articles = store.articles()?;
    files += customers.items.len() + customers.problems.len();
    files += articles.items.len() + articles.problems.len();
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
        customers: Some(
            customers
                .items
                .iter()
                .map(|c| c.slug.clone())
                .collect::<BTreeSet<_>>(),
        ),
        articles: Some(
            articles
                .items
                .iter()
                .map(|a| a.slug.clone())
                .collect::<BTreeSet<_>>(),
        ),
    };
    let tickets = store.tickets()?;
    files += tickets.items.len() + tickets.problems.len();
    out.extend(tickets.problems.iter().cloned());
    for t in &tickets.items {
        let stem = std::path::Path::new(&t.rel)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned());
        out.extend(
            validate_ticket(&t.doc, store.config(), &known, stem.as_deref())
                .into_iter()
                .map(|p| p.with_path(&t.rel)),
        );
        let comments = store.comments(&t.rel)?;
        files += comments.items.len() + comments.problems.len();
        out.extend(comments.problems);
        for c in &comments.items {
            if let Ok(doc) = store.read_doc(&c.rel) {
                out.extend(
                    validate_comment(&doc)
                        .into_iter()
                        .map(|p| p.with_path(&c.rel)),
                );
            }
        }
    }
    out.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    Ok((files, out))
}

/// `docket check`.
pub fn run(ctx: &Context, _a: &CheckArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let (files, problems) = problems(desk.store())?;
    for p in &problems {
        writeln!(out, "{}", escape_text(&p.to_string()))?;
        if let Some(h) = &p.hint {
            writeln!(out, "  hint: {}", escape_text(h))?;
        }
    }
    if problems.is_empty() {
        eprintln!("checked {files} files: no problems");
        Ok(())
    } else {
        let bad: BTreeSet<_> = problems.iter().map(|p| &p.path).collect();
        Err(Failure::new(
            format!(
                "{} problems in {} of {files} files",
                problems.len(),
                bad.len()
            ),
            None,
        ))
    }
}
