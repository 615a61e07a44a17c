//! Checks of the values a person gives a desk operation (a title, an assignee, a
//! customer, a 1-5 level, a time, a key, a list), each refusing bad input with a usage
//! error that says what to write instead; and the last check before any write: the file
//! as it would be written, held to the rules `check` applies, so that docket never
//! commits what its own `check` then rejects.

use std::collections::BTreeSet;

use super::DeskError;
use crate::doc::{Document, MAX_FILE_BYTES, Value};
use crate::model::{Config, format_time};
use crate::store::{Known, Problem, Record, Store, unknown_key};

/// Refuses a title, name or other one-line value that is empty or spans lines.
pub(super) fn single_line(what: &str, s: &str) -> Result<(), DeskError> {
    if s.trim().is_empty() || s.contains(['\n', '\r']) {
        return Err(DeskError::invalid(
            format!("{what} must be one non-empty line"),
            format!("give the {what} as one line of text"),
        ));
    }
    Ok(())
}

pub(super) fn check_assignee(config: &Config, who: &str) -> Result<(), DeskError> {
    if config.team.is_empty() || config.team.iter().any(|m| m.handle == who) {
        return Ok(());
    }
    Err(DeskError::invalid(
        format!("`{who}` is not in the team"),
        format!(
            "assign to one of: {} (the team is in .docket/config.yaml)",
            config
                .team
                .iter()
                .map(|m| m.handle.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

pub(super) fn check_customer(store: &Store, slug: &str) -> Result<(), DeskError> {
    if store.customer_exists(slug)? {
        return Ok(());
    }
    Err(crate::store::StoreError::NoSuchRecord {
        kind: "customer",
        slug: slug.to_string(),
    }
    .into())
}

pub(super) fn check_level(key: &str, v: &str) -> Result<Value, DeskError> {
    match v.trim().parse::<u8>() {
        Ok(n @ 1..=5) => Ok(Value::Number(n.into())),
        _ => Err(DeskError::invalid(
            format!("`{key}` must be 1 to 5, not `{v}`"),
            format!("use {key}=1 (lowest) to {key}=5 (highest)"),
        )),
    }
}

pub(super) fn check_time(key: &str, v: &str) -> Result<Value, DeskError> {
    if let Ok(t) = v.parse::<jiff::Timestamp>() {
        return Ok(Value::String(format_time(t)));
    }
    if let Ok(d) = v.parse::<jiff::civil::Date>()
        && let Ok(t) = d.to_zoned(jiff::tz::TimeZone::UTC)
    {
        return Ok(Value::String(format_time(t.timestamp())));
    }
    Err(DeskError::invalid(
        format!("`{key}` must be a date or an RFC 3339 date-time, not `{v}`"),
        format!("write it like {key}=2026-11-30 or {key}=2026-11-30T17:00:00Z"),
    ))
}

/// Refuses the problems `after` has that `before` (the file as it was) did not: a write
/// may leave a file's old problems alone, but never adds one. Problems are compared by
/// message, which names the key and the value, as lines move with an edit.
pub(super) fn refuse_new_problems(
    before: &[Problem],
    after: Vec<Problem>,
) -> Result<(), DeskError> {
    match after
        .into_iter()
        .find(|p| !before.iter().any(|b| b.message == p.message))
    {
        None => Ok(()),
        Some(p) => Err(DeskError::invalid(
            p.message,
            p.hint
                .unwrap_or_else(|| "give a value `docket check` accepts".into()),
        )),
    }
}

/// What the references of these ticket documents point at, for `validate_ticket`: each
/// kind of record is listed once, and only when a document names one, so a write to a
/// ticket without links reads no record and one with links reads the KB once, not once
/// per link.
pub(super) fn known_refs(store: &Store, docs: &[&Document]) -> Result<Known, DeskError> {
    let named = |path: &[&str]| -> BTreeSet<String> {
        docs.iter()
            .flat_map(|doc| match doc.get(path) {
                Some(Value::Sequence(items)) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                Some(v) => v.as_str().map(str::to_string).into_iter().collect(),
                None => Vec::new(),
            })
            .collect()
    };
    let customers = named(&["customer"]);
    let articles = named(&["links", "articles"]);
    let mut known = Known {
        customers: Some(BTreeSet::new()),
        articles: Some(BTreeSet::new()),
    };
    if !customers.is_empty() {
        let all = store.customers()?;
        known.customers = Some(
            all.items
                .iter()
                .map(|c| c.slug.to_string())
                .filter(|slug| customers.contains(slug))
                .collect(),
        );
    }
    if !articles.is_empty() {
        let all = store.articles()?;
        known.articles = Some(
            all.items
                .iter()
                .map(|a| a.slug.to_string())
                .filter(|slug| articles.contains(slug))
                .collect(),
        );
    }
    Ok(known)
}

/// The items of a list value: split on commas and trimmed (`labels+=a,b` adds two
/// labels); an empty value, or one of commas alone, is refused. `spelled` is how the
/// value was asked for, as the user wrote it (`labels+=`, `--label `).
pub(super) fn list_items(spelled: &str, value: &str) -> Result<Vec<String>, DeskError> {
    let items: Vec<String> = value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if items.is_empty() {
        return Err(DeskError::invalid(
            format!("`{}` needs a value", spelled.trim_end()),
            format!("write {spelled}crash, or {spelled}a,b for two items"),
        ));
    }
    Ok(items)
}

/// Refuses a key that nothing reads (a typo, most often) unless `force`.
pub(super) fn known_key(
    record: Record,
    config: &Config,
    doc: &Document,
    key: &[String],
    force: bool,
) -> Result<(), DeskError> {
    match unknown_key(record, config, doc, key) {
        Some((message, hint)) if !force => Err(DeskError::invalid(message, hint)),
        _ => Ok(()),
    }
}

/// Refuses a file docket would refuse to read back: the whole file (frontmatter and
/// body) must fit within [`MAX_FILE_BYTES`].
pub(super) fn fits(rel: &str, text: &str) -> Result<(), DeskError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(DeskError::Unstorable {
            path: rel.to_string(),
            error: crate::doc::DocError::TooLarge {
                size: text.len(),
                limit: MAX_FILE_BYTES,
            },
        });
    }
    Ok(())
}
