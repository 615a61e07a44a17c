//! The checks that need more than one file: links to tickets the desk does not have, and status events that name a status or a move the
//! workflow does not allow. A pull request can break each of these without any one file
//! being malformed.

use std::collections::BTreeSet;

use super::line;
use crate::doc::{Document, Value};
use crate::model::{Workflow, quoted};
use crate::store::Problem;
use crate::store::load::scalar_string;

/// Links (`duplicate_of`, `relates`, `blocks`) that name no ticket of the desk. `ids`
/// holds every ticket id.
pub(super) fn ticket_links(doc: &Document, ids: &BTreeSet<String>) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut check = |v: &str, at: usize, key: &str| {
        if v.parse::<crate::model::TicketId>().is_ok() && !ids.contains(v) {
            out.push(
                Problem::at("", at, format!("`links.{key}` names {}, which is no ticket of this desk", quoted(v)))
                    .hint("link to the whole id of an existing ticket (`docket list` shows them), or remove the link"),
            );
        }
    };
    if let Some(v) = doc.get(&["links", "duplicate_of"]).and_then(scalar_string) {
        check(&v, line(doc, &["links", "duplicate_of"]), "duplicate_of");
    }
    for key in ["relates", "blocks"] {
        if let Some(Value::Sequence(items)) = doc.get(&["links", key]) {
            for (i, item) in items.iter().enumerate() {
                if let Some(v) = scalar_string(item) {
                    check(&v, doc.item_line(&["links", key], i).unwrap_or(1), key);
                }
            }
        }
    }
    out
}

/// A status event whose `from` or `to` is not a status of the workflow, or whose move
/// `workflow.transitions` does not allow.
pub(super) fn status_event(doc: &Document, workflow: &Workflow) -> Vec<Problem> {
    if doc.get(&["event"]).and_then(scalar_string).as_deref() != Some("status") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let from = doc.get(&["from"]).and_then(scalar_string);
    let to = doc.get(&["to"]).and_then(scalar_string);
    for (key, value) in [("from", &from), ("to", &to)] {
        if let Some(s) = value
            && !workflow.knows(s)
        {
            out.push(
                Problem::at(
                    "",
                    line(doc, &[key]),
                    format!(
                        "status {} is not in the workflow ({})",
                        quoted(s),
                        workflow.statuses.join(", ")
                    ),
                )
                .hint(
                    "use a status of `workflow.statuses` in .docket/config.yaml, or add it there",
                ),
            );
        }
    }
    if let (Some(from), Some(to)) = (&from, &to)
        && workflow.knows(from)
        && workflow.knows(to)
        && !workflow.allows(from, to)
    {
        out.push(
            Problem::at("", line(doc, &["to"]), format!(
                "the workflow does not allow a move from {} to {}",
                quoted(from),
                quoted(to)
            ))
            .hint("allow it under `workflow.transitions` in .docket/config.yaml, or record a move the workflow allows"),
        );
    }
    out
}
