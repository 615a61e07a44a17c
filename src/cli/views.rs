//! Views of tickets that more than one command prints: the `list` table and a ticket
//! as `show` prints it (the demo ends with both).

use std::io::Write;

use super::render::{Failure, fields_and_body, indented, table, table_clipped};
use crate::desk::{Backlink, Listing, ShownTicket, SortKey};
use crate::model::escape_line;

/// The `list` table under a header row: short id, status, assignee, customer, day opened
/// and title; with `--sort priority` the priority after the status, and with `--sort
/// updated` the day of the last update instead of the day opened. No rows, no header.
pub fn list_table(out: &mut dyn Write, listing: &Listing) -> Result<(), Failure> {
    let rows = listing.rows();
    if rows.is_empty() {
        return Ok(());
    }
    let sort = listing.sort();
    let days: Vec<Option<String>> = rows
        .iter()
        .map(|r| {
            let shown = match sort {
                SortKey::Updated => r.updated(),
                _ => r.created,
            };
            shown.day.map(|d| d.to_string())
        })
        .collect();
    let with_priority = sort == SortKey::Priority;
    let day_header = match sort {
        SortKey::Updated => "UPDATED",
        _ => "CREATED",
    };
    let mut cells: Vec<Vec<&str>> = Vec::with_capacity(rows.len() + 1);
    let mut header = vec!["ID", "STATUS"];
    if with_priority {
        header.push("PRIORITY");
    }
    header.extend(["ASSIGNEE", "CUSTOMER", day_header, "TITLE"]);
    cells.push(header);
    for (r, day) in rows.iter().zip(&days) {
        let mut row = vec![r.short_id, r.row.status];
        if with_priority {
            row.push(r.row.priority.unwrap_or("-"));
        }
        row.extend([
            r.row.assignee.unwrap_or("-"),
            r.row.customer.unwrap_or("-"),
            day.as_deref().unwrap_or(r.row.created),
            r.row.title,
        ]);
        cells.push(row);
    }
    table_clipped(out, &cells, 72)?;
    Ok(())
}

/// A ticket's values, body and comments, as `show` prints them.
pub fn ticket_view(out: &mut dyn Write, shown: &ShownTicket) -> Result<(), Failure> {
    let t = &shown.file;
    let k = &t.ticket;
    writeln!(out, "{}  {}", k.id, escape_line(&k.title))?;
    let mut fields: Vec<(&str, String)> = vec![("status", k.status.clone())];
    let opt = |v: &Option<String>| v.clone();
    for (name, v) in [
        ("type", opt(&k.kind)),
        ("priority", opt(&k.priority)),
        ("assignee", opt(&k.assignee)),
        ("customer", opt(&k.customer)),
        ("reporter", opt(&k.reporter)),
    ] {
        if let Some(v) = v {
            fields.push((name, v));
        }
    }
    fields.push(("created", k.created.to_string()));
    if let Some(r) = &k.resolved {
        fields.push(("resolved", r.to_string()));
    }
    if let Some(r) = &k.resolution {
        fields.push(("resolution", r.clone()));
    }
    if let Some(d) = &k.due {
        fields.push(("due", d.to_string()));
    }
    for (name, n) in [("importance", k.importance), ("urgency", k.urgency)] {
        if let Some(n) = n {
            fields.push((name, n.to_string()));
        }
    }
    if !k.labels.is_empty() {
        fields.push(("labels", k.labels.join(", ")));
    }
    if let Some(d) = &k.links.duplicate_of {
        fields.push(("duplicate of", d.clone()));
    }
    for (name, list) in [
        ("relates", &k.links.relates),
        ("blocks", &k.links.blocks),
        ("articles", &k.links.articles),
    ] {
        if !list.is_empty() {
            fields.push((name, list.join(", ")));
        }
    }
    fields_and_body(out, fields, "")?;
    backlinks(out, &shown.backlinks)?;
    let body = t.doc.body().trim();
    if !body.is_empty() {
        writeln!(out)?;
        indented(out, body)?;
    }
    for c in &shown.comments {
        writeln!(out)?;
        let tag = if c.comment.internal {
            " (internal)"
        } else {
            ""
        };
        writeln!(
            out,
            "--- {} at {}{tag}",
            escape_line(&c.comment.author),
            escape_line(c.comment.created.as_str())
        )?;
        indented(out, &c.body)?;
    }
    Ok(())
}

/// The tickets that link to a shown one, under the fields: id, what the link means,
/// status, title.
fn backlinks(out: &mut dyn Write, links: &[Backlink]) -> Result<(), Failure> {
    if links.is_empty() {
        return Ok(());
    }
    writeln!(out, "  linked from:")?;
    let rows: Vec<[String; 4]> = links
        .iter()
        .map(|b| {
            [
                format!("    {}", b.id),
                b.kind.describe().to_string(),
                b.status.clone(),
                b.title.clone(),
            ]
        })
        .collect();
    table(out, &rows)?;
    Ok(())
}
