//! Custom fields: a ticket's value held to the declaration under `fields:` in the config,
//! and the declarations themselves (a name that is one of docket's own keys, a name given
//! twice, allowed values on a type that has none). `set` writes what these rules accept,
//! and `check` reports what they refuse, so the two cannot disagree.

use std::collections::BTreeSet;

use super::{date_ok, line, word_line};
use crate::doc::{Document, Value};
use crate::model::{Config, Field, FieldType, TICKET_KEYS, quoted};
use crate::store::Problem;
use crate::store::load::scalar_string;

/// What is wrong with a custom field's value, and what to write instead; `None` when the
/// declaration accepts it. An empty value (`key:` alone) is accepted, as an absent one.
pub fn field_value_problem(field: &Field, value: &Value) -> Option<(String, String)> {
    let name = &field.name;
    let kind = field.kind.as_str();
    let wrong = |example: &str| {
        let takes = match field.kind {
            FieldType::String => "one line of text",
            FieldType::Number => "a number",
            FieldType::Bool => "true or false",
            FieldType::Date => "a date",
            FieldType::List => "a list of strings",
        };
        Some((
            format!(
                "custom field `{name}` is a {kind} field, not {}",
                describe(value)
            ),
            format!(
                "`{name}` takes {takes}, e.g. {example} (its declaration is under `fields` in .docket/config.yaml)"
            ),
        ))
    };
    match (field.kind, value) {
        (_, Value::Null) => None,
        (FieldType::String, v) => match scalar_string(v) {
            Some(s) => not_allowed(field, &s),
            None => wrong(&format!(
                "`{}`",
                field.values.first().map_or("some text", String::as_str)
            )),
        },
        (FieldType::Number, Value::Number(_)) => None,
        (FieldType::Number, _) => wrong("`3`"),
        (FieldType::Bool, Value::Bool(_)) => None,
        (FieldType::Bool, _) => wrong("`true`"),
        (FieldType::Date, v) => match scalar_string(v) {
            Some(s) if date_ok(&s) => None,
            _ => wrong("`2026-11-02`"),
        },
        (FieldType::List, Value::Sequence(items)) => items.iter().find_map(|item| match item {
            Value::Null => None,
            v => match scalar_string(v) {
                Some(s) => not_allowed(field, &s),
                None => Some((
                    format!("custom field `{name}` holds {}, not a string", describe(v)),
                    format!("write one string per item under `{name}:`"),
                )),
            },
        }),
        (FieldType::List, _) => wrong("`[a, b]`"),
    }
}

fn not_allowed(field: &Field, s: &str) -> Option<(String, String)> {
    if field.values.is_empty() || field.values.iter().any(|v| v == s) {
        return None;
    }
    Some((
        format!(
            "{} is not an allowed value of custom field `{}` ({})",
            quoted(s),
            field.name,
            field.values.join(", ")
        ),
        "use one of those, or add it to the field's `values` in .docket/config.yaml".into(),
    ))
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the text {}", quoted(s)),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("`{b}`"),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Null => "empty".into(),
        Value::Tagged(_) => "a tagged value".into(),
    }
}

/// Every custom field value of a ticket that breaks its declaration.
pub(super) fn check_ticket_fields(doc: &Document, config: &Config, out: &mut Vec<Problem>) {
    for field in &config.fields {
        if TICKET_KEYS.contains(&field.name.as_str()) {
            continue;
        }
        if let Some(v) = doc.get(&[&field.name])
            && let Some((message, hint)) = field_value_problem(field, v)
        {
            out.push(Problem::at("", line(doc, &[&field.name]), message).hint(hint));
        }
    }
}

/// Whether a name can be a frontmatter key `set` writes.
pub fn plain_key(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Problems with the declarations under `fields:`, each at the line of its name in the
/// config text (`doc` is that text read as a document, offset by its added fence line).
pub(super) fn declaration_problems(config: &Config, doc: Option<&Document>) -> Vec<Problem> {
    let at = |name: &str| {
        doc.and_then(|d| d.line_of(&["fields"]).map(|l| word_line(d.text(), l, name)))
            .map_or(1, |l| l - 1)
    };
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for f in &config.fields {
        let name = f.name.as_str();
        if !plain_key(name) {
            out.push(
                Problem::at(
                    "",
                    at(name),
                    format!("custom field name {} is not a plain key", quoted(name)),
                )
                .hint("name a field with letters, digits, `_` and `-`, e.g. `component`"),
            );
        } else if TICKET_KEYS.contains(&name) {
            out.push(
                Problem::at("", at(name), format!("custom field `{name}` clashes with docket's own ticket key `{name}`"))
                    .hint("give the custom field another name; docket's own keys are listed in schema/ticket.schema.json"),
            );
        } else if !seen.insert(name) {
            out.push(
                Problem::at(
                    "",
                    at(name),
                    format!("custom field `{name}` is declared twice"),
                )
                .hint("keep one declaration of each field under `fields`"),
            );
        }
        if !f.values.is_empty() && !matches!(f.kind, FieldType::String | FieldType::List) {
            out.push(
                Problem::at("", at(name), format!("custom field `{name}` is a {} field, which takes no `values`", f.kind.as_str()))
                    .hint("allowed values apply to string and list fields: remove `values`, or change the `type`"),
            );
        }
    }
    out
}
