//! The report for a terminal: a header line, the figures table with its totals, what the
//! columns mean, the customers' churn and retention per month, and the forecast. Columns
//! are laid out by `render::table` (escaped cells, wide characters measured); numbers
//! are padded here first, so they line up on the right.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use super::{Report, duration, forecast_sentence, percent, short_target, sla_percent, targets};
use crate::cli::render::clip;
use crate::model::escape_line;
use crate::support::report::Figures;

/// Widest a group's name is shown (a long customer name or label is cut with `…`).
const KEY_COLUMNS: usize = 32;

/// The whole report as plain text for a terminal.
pub fn table(r: &Report) -> String {
    let mut out = format!(
        "Report {} to {}, by {}\n\n",
        escape_line(&r.since),
        escape_line(&r.until),
        r.by.as_str()
    );
    out.push_str(&figures(r));
    out.push_str(
        "\nTimes are the median and the 90th percentile. SLA met: the share of targets met,\n\
         of those met or breached. CSAT: the share of ratings of 4 or 5 (how many ratings).\n",
    );
    out.push_str("\nCustomers\n");
    out.push_str(&customers(r));
    out.push('\n');
    out.push_str(&forecast_sentence(r));
    out.push('\n');
    out
}

/// A column of the figures table: the label of the columns it belongs with, its name,
/// and each row's cell (a group's, then the total's).
struct Column {
    group: Option<&'static str>,
    name: String,
    cells: Vec<String>,
}

/// The figures table: a line naming the column groups, the column names, a rule, one
/// row per group, a rule and the totals.
fn figures(r: &Report) -> String {
    let rows: Vec<&Figures> = r.groups.iter().chain([&r.total]).collect();
    let keys: Vec<String> = r
        .groups
        .iter()
        .map(|f| clip(&escape_line(&f.key), KEY_COLUMNS))
        .chain(["total".to_string()])
        .collect();
    let column =
        |group: Option<&'static str>, name: &str, cell: &dyn Fn(&Figures) -> String| Column {
            group,
            name: name.to_string(),
            cells: rows.iter().map(|f| cell(f)).collect(),
        };
    let mut columns = vec![
        column(None, "opened", &|f| f.opened.to_string()),
        column(None, "closed", &|f| f.closed.to_string()),
        column(None, "backlog", &|f| f.backlog.to_string()),
        column(Some("first response"), "median", &|f| {
            duration(f.first_response.median_secs)
        }),
        column(Some("first response"), "p90", &|f| {
            duration(f.first_response.p90_secs)
        }),
        column(Some("resolution"), "median", &|f| {
            duration(f.resolution.median_secs)
        }),
        column(Some("resolution"), "p90", &|f| {
            duration(f.resolution.p90_secs)
        }),
    ];
    for target in targets(r) {
        columns.push(column(Some("SLA met"), &short_target(&target), &|f| {
            percent(sla_percent(f, &target))
        }));
    }
    columns.push(column(None, "CSAT", &|f| match f.csat.percent() {
        Some(_) => format!("{} ({})", percent(f.csat.percent()), f.csat.count),
        None => "-".into(),
    }));

    let key_width = keys
        .iter()
        .map(|k| k.width())
        .chain([r.by.as_str().len()])
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = columns
        .iter()
        .map(|c| c.cells.iter().map(|s| s.len()).chain([c.name.len()]).max())
        .map(|w| w.unwrap_or(0))
        .collect();
    let right = |s: &str, w: usize| format!("{s:>w$}");
    let rule = |w: usize| "-".repeat(w);

    let mut table_rows: Vec<Vec<String>> = Vec::with_capacity(rows.len() + 3);
    let header = [r.by.as_str().to_string()].into_iter();
    table_rows.push(
        header
            .chain(columns.iter().zip(&widths).map(|(c, w)| right(&c.name, *w)))
            .collect(),
    );
    let rule_row: Vec<String> = [rule(key_width)]
        .into_iter()
        .chain(widths.iter().map(|w| rule(*w)))
        .collect();
    table_rows.push(rule_row.clone());
    for (i, key) in keys.iter().enumerate() {
        if i + 1 == keys.len() {
            table_rows.push(rule_row.clone());
        }
        let cells = columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| right(&c.cells[i], *w));
        table_rows.push([key.clone()].into_iter().chain(cells).collect());
    }

    let mut out = group_line(key_width, &columns, &widths);
    let mut laid = Vec::new();
    crate::cli::render::table(&mut laid, &table_rows).expect("writing to memory");
    out.push_str(&String::from_utf8_lossy(&laid));
    out
}

/// The line above the column names: each group's label centred over its columns (one
/// space after the label before it, should they touch).
fn group_line(key_width: usize, columns: &[Column], widths: &[usize]) -> String {
    // Each group's label and the columns it spans, from its first to its last.
    let mut spans: Vec<(&str, usize, usize)> = Vec::new();
    let mut previous = None;
    let mut at = key_width + 2;
    for (c, w) in columns.iter().zip(widths) {
        let end = at + w;
        match (c.group, spans.last_mut()) {
            (Some(g), Some((label, _, last_end))) if previous == Some(g) && *label == g => {
                *last_end = end;
            }
            (Some(g), _) => spans.push((g, at, end)),
            (None, _) => {}
        }
        previous = c.group;
        at = end + 2;
    }
    let mut line = String::new();
    for (label, start, end) in spans {
        let mut start = start + (end - start).saturating_sub(label.len()) / 2;
        if !line.is_empty() {
            start = start.max(line.len() + 1);
        }
        let _ = write!(line, "{:pad$}{label}", "", pad = start - line.len());
    }
    line.push('\n');
    line
}

/// Customers per month: at the start, gained, lost, at the end, and the share kept.
fn customers(r: &Report) -> String {
    if r.customers.is_empty() {
        return "No customer records in the span.\n".into();
    }
    let mut rows = vec![["month", "start", "gained", "lost", "end", "retention"].map(String::from)];
    for c in &r.customers {
        rows.push([
            escape_line(&c.period).into_owned(),
            c.start.to_string(),
            c.gained.to_string(),
            c.lost.to_string(),
            c.end.to_string(),
            percent(c.retention_percent()),
        ]);
    }
    for col in 1..rows[0].len() {
        let w = rows.iter().map(|r| r[col].len()).max().unwrap_or(0);
        for row in &mut rows {
            row[col] = format!("{:>w$}", row[col]);
        }
    }
    let mut laid = Vec::new();
    crate::cli::render::table(&mut laid, &rows).expect("writing to memory");
    String::from_utf8_lossy(&laid).into_owned()
}
