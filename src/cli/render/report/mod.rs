//! `docket report` in each format a person or a program reads: a plain-text report for
//! the terminal ([`table`]), CSV for a spreadsheet ([`csv`]) and one self-contained HTML
//! page with its charts drawn as inline SVG ([`html`]); JSON is the [`Report`] itself,
//! through `render::json`. Each is a pure function of the report, so every format shows
//! the same figures. What the formats share is here: which SLA targets have columns,
//! how a duration and a percentage read.

mod charts;
mod csv;
mod html;
mod svg;
mod table;

use crate::support::report::{Compliance, Figures, Report};

pub use csv::csv;
pub use html::html;
pub use table::table;

/// The SLA targets in the order their columns come: those docket's policies name first,
/// in the order a ticket meets them.
const KNOWN_TARGETS: [&str; 3] = ["first_response", "next_response", "resolution"];

/// The SLA targets that appear anywhere in the report, each once: the known ones in
/// their order, then any other by name.
fn targets(r: &Report) -> Vec<String> {
    let mut seen: Vec<&str> = r
        .groups
        .iter()
        .chain([&r.total])
        .flat_map(|f| &f.sla)
        .map(|c| c.target.as_str())
        .chain(
            r.compliance_by_tier
                .iter()
                .flat_map(|t| &t.sla)
                .map(|c| c.target.as_str()),
        )
        .collect();
    seen.sort_by_key(|t| {
        let known = KNOWN_TARGETS.iter().position(|k| k == t);
        (known.unwrap_or(KNOWN_TARGETS.len()), *t)
    });
    seen.dedup();
    seen.into_iter().map(str::to_string).collect()
}

/// A target as people say it: `first_response` is "first response".
fn target_words(target: &str) -> String {
    target.replace('_', " ")
}

/// A target's column name under "SLA met": `first`, `next`, `resolution`.
fn short_target(target: &str) -> String {
    let words = target_words(target);
    match words.strip_suffix(" response") {
        Some(short) if !short.is_empty() => short.to_string(),
        _ => words,
    }
}

/// One target's compliance in a group (nothing counted when the group has none).
fn compliance<'a>(sla: &'a [Compliance], target: &str) -> Option<&'a Compliance> {
    sla.iter().find(|c| c.target == target)
}

/// An SLA target's share met in a group, or None with nothing counted.
fn sla_percent(f: &Figures, target: &str) -> Option<f64> {
    compliance(&f.sla, target).and_then(Compliance::percent)
}

/// A duration for people, in its two largest units, cut (not rounded) to whole ones:
/// `45s`, `12m 5s`, `3h 20m`, `2d 4h`, `3h` when the smaller unit is zero. None is `-`.
pub fn duration(secs: Option<i64>) -> String {
    let Some(secs) = secs else {
        return "-".into();
    };
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (big, big_unit, small, small_unit) = match s {
        0..60 => return format!("{sign}{s}s"),
        60..3600 => (s / 60, "m", s % 60, "s"),
        3600..86400 => (s / 3600, "h", s % 3600 / 60, "m"),
        _ => (s / 86400, "d", s % 86400 / 3600, "h"),
    };
    if small == 0 {
        format!("{sign}{big}{big_unit}")
    } else {
        format!("{sign}{big}{big_unit} {small}{small_unit}")
    }
}

/// A number with `decimals` places, or None when it is missing or not finite.
fn fixed(v: Option<f64>, decimals: usize) -> Option<String> {
    v.filter(|v| v.is_finite())
        .map(|v| format!("{v:.decimals$}"))
}

/// A share for people: `91.7%`, `-` when there is nothing to share.
fn percent(v: Option<f64>) -> String {
    fixed(v, 1).map_or_else(|| "-".into(), |p| format!("{p}%"))
}

/// The sentence about the forecast, in every format: what is expected, by which method,
/// and how the back-test judged it against "same as last period".
fn forecast_sentence(r: &Report) -> String {
    let Some(f) = &r.forecast else {
        return "Forecast: too little history (it takes 3 months of tickets).".into();
    };
    let value = fixed(Some(f.value), 0).unwrap_or_else(|| "-".into());
    let months = match f.backtested {
        1 => "1 month".to_string(),
        n => format!("{n} months"),
    };
    let candidate_mae = fixed(Some(f.candidate_mae), 1).unwrap_or_else(|| "-".into());
    let naive_mae = fixed(Some(f.naive_mae), 1).unwrap_or_else(|| "-".into());
    if f.method == f.candidate {
        format!(
            "Forecast for {}: {value} new tickets ({}, back-tested MAE {candidate_mae} vs \
             {naive_mae} for \"same as last period\", over {months})",
            f.period, f.method
        )
    } else {
        format!(
            "Forecast for {}: {value} new tickets, the same as last period ({} did no better \
             in the back-test: MAE {candidate_mae} vs {naive_mae}, over {months})",
            f.period, f.candidate
        )
    }
}

#[cfg(test)]
mod tests;
