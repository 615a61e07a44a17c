//! The report as one HTML page that needs nothing else: the figures table, the three
//! charts drawn inline ([`super::charts`]), the customers and the forecast, with its CSS
//! inline and no script. A Content-Security-Policy that allows nothing but the inline
//! style (and the empty icon, so the browser asks for no favicon) keeps the page from
//! loading or running anything, should some text get past the escaping.

use std::fmt::Write as _;

use super::svg::esc;
use super::{
    Report, charts, duration, forecast_sentence, percent, short_target, sla_percent, targets,
};
use crate::support::report::Figures;

const STYLE: &str = "\
:root{color-scheme:light;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328;background:#fff}
body{margin:2rem auto;max-width:1100px;padding:0 1rem;line-height:1.45}
h1{font-size:1.6rem;margin:0 0 .25rem}
h2{font-size:1.2rem;margin:2rem 0 .5rem}
p.span{color:#57606a;margin:0 0 1.5rem}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:.9rem}
th,td{padding:.3rem .6rem;border-bottom:1px solid #d0d7de;text-align:right;white-space:nowrap}
th{font-weight:600}
thead th{background:#f6f8fa}
thead th[colspan]{text-align:center;border-bottom:1px solid #d0d7de}
th.key,td.key{text-align:left}
tbody th{font-weight:normal}
tfoot th,tfoot td{font-weight:600;border-top:2px solid #8c959f}
.scroll{overflow-x:auto}
p.note{color:#57606a;font-size:.85rem;max-width:60rem}
figure{margin:1.5rem 0}
figcaption{font-weight:600;margin-bottom:.25rem}
svg{max-width:100%;height:auto;display:block}
svg text{font:11px system-ui,-apple-system,'Segoe UI',sans-serif;fill:#1f2328}
svg text.title{font-size:12px;fill:#57606a}
svg text.note{font-size:14px;fill:#57606a}
svg text.value{font-size:10px;fill:#57606a}
svg line.grid{stroke:#e6e8eb}
svg line.frame{stroke:#8c959f}
";

/// The whole report as one self-contained HTML page.
pub fn html(r: &Report) -> String {
    let span = format!("{} to {}", r.since, r.until);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <title>Help desk report, {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <h1>Help desk report</h1>\n<p class=\"span\">{}, by {}</p>\n",
        esc(&span),
        esc(&span),
        r.by.as_str(),
    );
    out.push_str("<h2>Figures</h2>\n");
    out.push_str(&figures(r));
    out.push_str(
        "<p class=\"note\">Times are the median and the 90th percentile. SLA met: the share \
         of targets met, of those met or breached. CSAT: the share of ratings of 4 or 5 \
         (how many ratings).</p>\n",
    );
    out.push_str("<h2>Charts</h2>\n");
    for (caption, chart) in [
        ("Tickets per month", charts::volume(r)),
        ("Time to resolution", charts::resolution(r)),
        ("SLA compliance by tier", charts::compliance_by_tier(r)),
    ] {
        let _ = write!(
            out,
            "<figure>\n<figcaption>{caption}</figcaption>\n{chart}\n</figure>\n"
        );
    }
    out.push_str("<h2>Customers</h2>\n");
    out.push_str(&customers(r));
    out.push_str("<h2>Forecast</h2>\n");
    let _ = writeln!(out, "<p>{}</p>", esc(&forecast_sentence(r)));
    out.push_str("</body>\n</html>\n");
    out
}

/// The figures table: a row per group, the totals in the footer.
fn figures(r: &Report) -> String {
    let targets = targets(r);
    let mut out = String::from("<div class=\"scroll\"><table>\n<thead>\n<tr>");
    let _ = write!(
        out,
        "<th class=\"key\" rowspan=\"2\" scope=\"col\">{}</th>\
         <th rowspan=\"2\" scope=\"col\">opened</th><th rowspan=\"2\" scope=\"col\">closed</th>\
         <th rowspan=\"2\" scope=\"col\">backlog</th>\
         <th colspan=\"2\" scope=\"colgroup\">first response</th>\
         <th colspan=\"2\" scope=\"colgroup\">resolution</th>",
        r.by.as_str()
    );
    if !targets.is_empty() {
        let _ = write!(
            out,
            "<th colspan=\"{}\" scope=\"colgroup\">SLA met</th>",
            targets.len()
        );
    }
    out.push_str("<th rowspan=\"2\" scope=\"col\">CSAT</th></tr>\n<tr>");
    out.push_str(
        "<th scope=\"col\">median</th><th scope=\"col\">p90</th>"
            .repeat(2)
            .as_str(),
    );
    for t in &targets {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(&short_target(t)));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for f in &r.groups {
        out.push_str(&row(&f.key, f, &targets));
    }
    out.push_str("</tbody>\n<tfoot>\n");
    out.push_str(&row("total", &r.total, &targets));
    out.push_str("</tfoot>\n</table></div>\n");
    out
}

/// One group's row.
fn row(key: &str, f: &Figures, targets: &[String]) -> String {
    let mut cells = vec![
        f.opened.to_string(),
        f.closed.to_string(),
        f.backlog.to_string(),
        duration(f.first_response.median_secs),
        duration(f.first_response.p90_secs),
        duration(f.resolution.median_secs),
        duration(f.resolution.p90_secs),
    ];
    cells.extend(targets.iter().map(|t| percent(sla_percent(f, t))));
    cells.push(match f.csat.percent() {
        Some(p) => format!("{} ({})", percent(Some(p)), f.csat.count),
        None => "-".into(),
    });
    let mut out = format!("<tr><th class=\"key\" scope=\"row\">{}</th>", esc(key));
    for c in cells {
        let _ = write!(out, "<td>{}</td>", esc(&c));
    }
    out.push_str("</tr>\n");
    out
}

/// Customers per month: at the start, gained, lost, at the end, and the share kept.
fn customers(r: &Report) -> String {
    if r.customers.is_empty() {
        return "<p>No customer records in the span.</p>\n".into();
    }
    let mut out = String::from(
        "<div class=\"scroll\"><table>\n<thead><tr><th class=\"key\" scope=\"col\">month</th>\
         <th scope=\"col\">start</th><th scope=\"col\">gained</th><th scope=\"col\">lost</th>\
         <th scope=\"col\">end</th><th scope=\"col\">retention</th></tr></thead>\n<tbody>\n",
    );
    for c in &r.customers {
        let _ = writeln!(
            out,
            "<tr><th class=\"key\" scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td></tr>",
            esc(&c.period),
            c.start,
            c.gained,
            c.lost,
            c.end,
            percent(c.retention_percent())
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}
