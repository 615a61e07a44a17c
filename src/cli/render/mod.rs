//! Output: the stable JSON shapes of `--json` ([`json`]), tables for people ([`table`]),
//! the status lines of state changes, and the one error type the binary prints
//! ([`failure`]). Only the CLI uses it.

mod annotations;
mod failure;
mod json;
pub mod report;
mod table;

use std::io::{self, Write};

use crate::desk::Outcome;
use crate::model::escape_text;

pub use annotations::annotation;
pub use failure::Failure;
pub use json::{CheckJson, TicketJson, json};
pub use table::{clip, table, table_clipped};

/// The status line a state change prints on stderr.
pub fn outcome_line(o: &Outcome) -> String {
    let id = o.id.as_ref().map(|i| i.to_string()).unwrap_or_default();
    change_line(o, &id)
}

/// The status line of a change to `what` (a ticket id, a slug): `close T-4K7Q [main abc1234]`.
/// Earlier interrupted changes that this one finished or left alone come first, one
/// `note:` line each.
pub fn change_line(o: &Outcome, what: &str) -> String {
    let notes: String = o.recovered.iter().map(|n| format!("note: {n}\n")).collect();
    // `init` changes no one record: its line names the action alone.
    let subject = if what.is_empty() {
        o.action.to_string()
    } else {
        format!("{} {what}", o.action)
    };
    notes
        + &match (&o.commit, o.changed) {
            (_, false) => format!("{subject}: nothing to change"),
            (Some(c), true) => format!(
                "{subject} [{}{}]",
                c.branch
                    .as_deref()
                    .map(|b| format!("{b} "))
                    .unwrap_or_else(|| "detached ".into()),
                &c.id[..c.id.len().min(7)]
            ),
            (None, true) => format!("{subject}: wrote {} (not committed)", o.paths.join(", ")),
        }
}

/// Prints `name: value` lines as an aligned block, then the Markdown body indented.
pub fn fields_and_body(
    out: &mut dyn Write,
    fields: Vec<(&str, String)>,
    body: &str,
) -> io::Result<()> {
    let rows: Vec<Vec<String>> = fields
        .into_iter()
        .map(|(n, v)| vec![format!("  {n}:"), v])
        .collect();
    table(out, &rows)?;
    let body = body.trim();
    if !body.is_empty() {
        writeln!(out)?;
        indented(out, body)?;
    }
    Ok(())
}

/// Prints Markdown text indented by four spaces, its control characters escaped but for
/// tabs ([`escape_text`]).
pub fn indented(out: &mut dyn Write, text: &str) -> io::Result<()> {
    for line in text.trim().lines() {
        writeln!(out, "    {}", escape_text(line))?;
    }
    Ok(())
}

/// Warns on stderr about a file that was left out, its text escaped.
pub fn warn_skipped(problem: &dyn std::fmt::Display) {
    eprintln!("warning: {} (skipped)", escape_text(&problem.to_string()));
}
