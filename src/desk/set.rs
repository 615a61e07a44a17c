//! `set` on a ticket: `key=value`, `key+=a,b`, `key-=a` and `key=` turned into edits of
//! the file's text. A key must be docket's own, a custom field the config declares, or
//! one the file already has (else it is refused as a likely typo, unless forced); the
//! values are converted here and then held to `check`'s rules with the rest of the file
//! (see [`Desk::edit_ticket`]).

use super::checks::{
    check_assignee, check_customer, check_level, check_time, known_key, list_items, single_line,
};
use super::tickets::{dedup, status_edits};
use super::{AssignOp, Assignment, Desk, DeskError, Outcome};
use crate::doc::{Edit, Value};
use crate::model::{Field, FieldType, LINK_KEYS, TICKET_KEYS, format_time};
use crate::store::{Record, Store, TicketFile};

impl Desk {
    /// Sets frontmatter values (`key=value`, `labels+=a,b`, `labels-=x`, `key=` to
    /// remove). `force` writes a key docket does not know; values are checked all the same.
    pub fn set(
        &self,
        prefix: &str,
        assignments: &[Assignment],
        force: bool,
    ) -> Result<Outcome, DeskError> {
        let now = format_time(self.now());
        self.edit_ticket(prefix, "set", |store, t, details| {
            set_edits(store, t, assignments, force, &now, details)
        })
    }
}

/// The edits of `set` on one ticket, with a line of `details` for each; shared by every
/// operation that sets values (`reply --set`, `triage --apply`, `automate`).
pub(super) fn set_edits(
    store: &Store,
    t: &TicketFile,
    assignments: &[Assignment],
    force: bool,
    now: &str,
    details: &mut Vec<String>,
) -> Result<Vec<Edit>, DeskError> {
    let config = store.config();
    let mut edits = Vec::new();
    for a in assignments {
        let key = a.key.join(".");
        let top = a.key[0].as_str();
        if top == "id" {
            return Err(DeskError::invalid(
                "the id cannot be changed",
                "ids name files and are referenced by links; open a new ticket instead",
            ));
        }
        let value = a.value.trim();
        let removal = a.op == AssignOp::Set && value.is_empty();
        if !removal {
            known_key(Record::Ticket, config, &t.doc, &a.key, force)?;
        }
        let field = match a.key.as_slice() {
            [k] if !TICKET_KEYS.contains(&k.as_str()) => config.field(k),
            _ => None,
        };
        let is_list = match a.key.as_slice() {
            [k] => k == "labels" || field.is_some_and(|f| f.kind == FieldType::List),
            [l, k] => l == "links" && LINK_KEYS[1..].contains(&k.as_str()),
            _ => false,
        };
        match a.op {
            AssignOp::Add | AssignOp::Remove if !is_list => {
                return Err(DeskError::invalid(
                    format!("`{key}` is not a list"),
                    "use += and -= with labels, links.relates, links.blocks, links.articles or a custom field of type list",
                ));
            }
            AssignOp::Add => {
                for item in list_items(&format!("{key}+="), value)? {
                    details.push(format!("{key}: +{item}"));
                    edits.push(Edit::Push(a.key.clone(), Value::String(item)));
                }
                continue;
            }
            AssignOp::Remove => {
                for item in list_items(&format!("{key}-="), value)? {
                    details.push(format!("{key}: -{item}"));
                    edits.push(Edit::Pull(a.key.clone(), Value::String(item)));
                }
                continue;
            }
            AssignOp::Set if removal => {
                if matches!(top, "title" | "status" | "created") {
                    return Err(DeskError::invalid(
                        format!("`{key}` cannot be removed"),
                        format!("give `{key}` a value"),
                    ));
                }
                details.push(format!("{key}: removed"));
                edits.push(Edit::Remove(a.key.clone()));
                continue;
            }
            AssignOp::Set => {}
        }
        let v = match key.as_str() {
            "status" => {
                edits.extend(status_edits(config, t, value, now, details)?);
                continue;
            }
            "title" => {
                single_line("title", value)?;
                Value::String(value.into())
            }
            "importance" | "urgency" => check_level(top, value)?,
            "created" | "resolved" | "due" => check_time(top, value)?,
            "assignee" => {
                check_assignee(config, value)?;
                Value::String(value.into())
            }
            "customer" => {
                check_customer(store, value)?;
                Value::String(value.into())
            }
            "links.duplicate_of" => Value::String(store.resolve(value)?.id.to_string()),
            _ if is_list => Value::Sequence(
                dedup(&list_items(&format!("{key}="), value)?)
                    .into_iter()
                    .map(Value::String)
                    .collect(),
            ),
            _ => match field {
                Some(f) => field_value(f, value),
                None => Value::String(value.into()),
            },
        };
        details.push(format!("{key}: {}", crate::doc::render_scalar(&v)));
        edits.push(Edit::Set(a.key.clone(), v));
    }
    Ok(edits)
}

/// A custom field's value as its declared type writes it (`3` a number, `true` a bool, a
/// date as docket writes dates). Text that does not convert stays text, for the field's
/// check to refuse with the rule it breaks.
fn field_value(field: &Field, v: &str) -> Value {
    let text = || Value::String(v.to_string());
    match field.kind {
        FieldType::String | FieldType::List => text(),
        FieldType::Number => v
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| {
                v.parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .map(Value::from)
                    .ok_or(())
            })
            .unwrap_or_else(|()| text()),
        FieldType::Bool => match v {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => text(),
        },
        FieldType::Date => {
            if let Ok(d) = v.parse::<jiff::civil::Date>() {
                Value::String(d.to_string())
            } else if let Ok(t) = v.parse::<jiff::Timestamp>() {
                Value::String(format_time(t))
            } else {
                text()
            }
        }
    }
}
