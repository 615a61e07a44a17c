//! Views of tickets that more than one command prints: the `list` table and a ticket
//! as `show` prints it (the demo ends with both).

use std::io::Write;

use super::render::{Failure, fields_and_body, indented, table, table_clipped};
use crate::desk::{Backlink, Listing, ShownTicket, SortKey};
use crate::model::{Entry, escape_line, format_time};
use crate::support::sla::ClockState;

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
        (
            "priority",
            Some(format!(
                "{} ({})",
                shown.standing.priority.band, shown.standing.priority.explanation
            )),
        ),
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
    if let Some(terms) = &shown.standing.terms {
        let calendar = terms
            .calendar
            .as_deref()
            .map_or("calendar hours".to_string(), |c| format!("calendar {c}"));
        fields.push(("sla", format!("{} ({calendar})", terms.policy)));
    }
    fields_and_body(out, fields, "")?;
    sla_lines(out, shown)?;
    backlinks(out, &shown.backlinks)?;
    let body = t.doc.body().trim();
    if !body.is_empty() {
        writeln!(out)?;
        indented(out, body)?;
    }
    for (at, status) in &shown.inferred {
        writeln!(out)?;
        writeln!(
            out,
            "--- {}: status {} (inferred from created and resolved)",
            format_time(*at),
            escape_line(status)
        )?;
    }
    for e in &shown.entries {
        writeln!(out)?;
        let who = escape_line(e.entry.author());
        let at = escape_line(e.entry.created().as_str());
        match &e.entry {
            Entry::Comment(c) => {
                let tag = if c.internal { " (internal)" } else { "" };
                writeln!(out, "--- {who} at {at}{tag}")?;
                indented(out, &e.body)?;
            }
            Entry::Event(ev) if ev.event == crate::model::EventKind::Rule => {
                writeln!(
                    out,
                    "--- {who} at {at}: rule {} fired ({})",
                    escape_line(ev.to.as_deref().unwrap_or("?")),
                    escape_line(ev.condition.as_deref().unwrap_or("")),
                )?;
            }
            Entry::Event(ev) => {
                let none = || "(none)".to_string();
                writeln!(
                    out,
                    "--- {who} at {at}: {} {} -> {}",
                    ev.event.as_str(),
                    escape_line(&ev.from.clone().unwrap_or_else(none)),
                    escape_line(&ev.to.clone().unwrap_or_else(none)),
                )?;
            }
            Entry::Rating(r) => {
                let by = r
                    .recorded_by
                    .as_deref()
                    .map(|b| format!(", recorded by {}", escape_line(b)))
                    .unwrap_or_default();
                writeln!(out, "--- {who} at {at}: rated {}/5{by}", r.rating)?;
                if !e.body.trim().is_empty() {
                    indented(out, &e.body)?;
                }
            }
        }
    }
    Ok(())
}

/// The SLA targets of a shown ticket: each with its state, and its deadline or the
/// working time left or over.
fn sla_lines(out: &mut dyn Write, shown: &ShownTicket) -> Result<(), Failure> {
    for v in &shown.targets {
        let of = human_secs(v.budget);
        let state = match v.state {
            ClockState::Met { at, used } => {
                format!("met at {} ({} of {of})", format_time(at), human_secs(used))
            }
            ClockState::Missed { at, used, .. } => format!(
                "breached: met at {} ({} of {of})",
                format_time(at),
                human_secs(used)
            ),
            ClockState::Running { due } => {
                let left = v.left.unwrap_or(0);
                let word = if v.breached { "breached" } else { "running" };
                let how = if left < 0 {
                    format!("{} over", human_secs(-left))
                } else {
                    format!("{} left", human_secs(left))
                };
                format!("{word}: {how} of {of}, due {}", format_time(due))
            }
            ClockState::Paused { left } if left <= 0 => {
                format!("breached, paused: {} over of {of}", human_secs(-left))
            }
            ClockState::Paused { left } => format!("paused: {} left of {of}", human_secs(left)),
            ClockState::Ended => format!("closed before it was due ({of})"),
            ClockState::Lapsed { breached_at } => {
                format!(
                    "breached at {} ({of}), then closed",
                    format_time(breached_at)
                )
            }
        };
        writeln!(out, "    {:<15} {state}", v.target.label())?;
    }
    Ok(())
}

/// Working seconds for people, in hours and minutes (`64h 30m`, `45m`): a working day is
/// no 24 hours, so days would mislead.
pub fn human_secs(secs: i64) -> String {
    let (h, m) = (secs / 3600, secs % 3600 / 60);
    match (h, m) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h {m}m"),
    }
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
