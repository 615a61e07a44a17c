//! The report's figures as CSV for a spreadsheet: a header row, one row per group and a
//! `total` row. Durations are plain seconds and shares are percent with one decimal, so
//! a sheet can sum and chart them; a missing value is an empty field. Fields are quoted
//! as RFC 4180 says (when they hold a comma, a quote or a line break, with quotes
//! doubled); rows end in `\n`, as most tools that read CSV expect.

use super::{Report, compliance, fixed, targets};
use crate::support::report::Figures;

/// The report's figures as CSV.
pub fn csv(r: &Report) -> String {
    let targets = targets(r);
    let mut header: Vec<String> = [
        r.by.as_str(),
        "opened",
        "closed",
        "backlog",
        "first_response_count",
        "first_response_median_secs",
        "first_response_p90_secs",
        "resolution_count",
        "resolution_median_secs",
        "resolution_p90_secs",
    ]
    .map(String::from)
    .into();
    for t in &targets {
        for part in ["met", "total", "percent"] {
            header.push(format!("sla_{t}_{part}"));
        }
    }
    header.extend(["csat_satisfied", "csat_count", "csat_percent"].map(String::from));

    let mut out = record(&header);
    for f in &r.groups {
        out.push_str(&record(&row(&f.key, f, &targets)));
    }
    out.push_str(&record(&row("total", &r.total, &targets)));
    out
}

/// One group's fields, in the header's order.
fn row(key: &str, f: &Figures, targets: &[String]) -> Vec<String> {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let share = |v: Option<f64>| fixed(v, 1).unwrap_or_default();
    let mut fields = vec![
        key.to_string(),
        f.opened.to_string(),
        f.closed.to_string(),
        f.backlog.to_string(),
        f.first_response.count.to_string(),
        opt(f.first_response.median_secs),
        opt(f.first_response.p90_secs),
        f.resolution.count.to_string(),
        opt(f.resolution.median_secs),
        opt(f.resolution.p90_secs),
    ];
    for t in targets {
        let c = compliance(&f.sla, t);
        fields.push(c.map_or(0, |c| c.met).to_string());
        fields.push(c.map_or(0, |c| c.total).to_string());
        fields.push(share(c.and_then(|c| c.percent())));
    }
    fields.push(f.csat.satisfied.to_string());
    fields.push(f.csat.count.to_string());
    fields.push(share(f.csat.percent()));
    fields
}

/// One CSV record and its line ending.
fn record(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| quote(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// A field as RFC 4180 writes it: in double quotes, with its quotes doubled, when it
/// holds a comma, a quote or a line break; as it is otherwise.
fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(quote("acme"), "acme");
        assert_eq!(quote(""), "");
        assert_eq!(quote("Acme, Inc."), "\"Acme, Inc.\"");
        assert_eq!(quote("the \"big\" one"), "\"the \"\"big\"\" one\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote("cr\r"), "\"cr\r\"");
        assert_eq!(quote("\""), "\"\"\"\"");
    }
}
