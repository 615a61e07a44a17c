//! The report page's three charts, as inline SVG: tickets per month (opened and closed
//! bars, the backlog as a line), how long resolutions took, and SLA compliance per tier.
//! Each has a title and a description for screen readers, and every bar and point a
//! tooltip with its figure; a chart with nothing to show says so.

use std::fmt::Write as _;

use super::svg::{HEIGHT, Key, Plot, WIDTH, esc, legend, num};
use super::{Report, compliance, target_words, targets};
use crate::cli::render::clip;

/// Colours that stay apart for colour-blind readers (Okabe and Ito's palette).
const PALETTE: [&str; 5] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9"];
const LINE: &str = "#333333";

/// Widest a bar is drawn, so that a chart of one month or one tier is not one slab.
const MAX_BAR: f64 = 56.0;

/// Widest a tier's name is shown under its bars.
const TIER_CHARS: usize = 16;

/// An `<svg>` with its accessible title and description around `body`.
fn frame(id: &str, title: &str, desc: &str, body: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{body}</svg>",
        esc(title),
        esc(desc),
        w = num(WIDTH),
        h = num(HEIGHT),
    )
}

/// A bar from the baseline up to `top`, with its tooltip.
fn bar(x: f64, width: f64, top: f64, colour: &str, tip: &str) -> String {
    format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"><title>{}</title></rect>",
        num(x),
        num(top),
        num(width),
        num(Plot::baseline() - top),
        esc(tip)
    )
}

/// A small label just above a bar.
fn bar_label(x: f64, top: f64, text: &str) -> String {
    format!(
        "<text class=\"value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        num(x),
        num(top - 4.0),
        esc(text)
    )
}

/// Tickets opened and closed per month as bars, and the backlog at each month's end as
/// a line over them.
pub(super) fn volume(r: &Report) -> String {
    let months = &r.volume;
    let max = months
        .iter()
        .flat_map(|v| [v.opened, v.closed, v.backlog])
        .max()
        .unwrap_or(0);
    let plot = Plot::new(max as f64, months.len());
    let labels: Vec<String> = months.iter().map(|v| v.period.clone()).collect();
    let mut body = legend(&[
        ("opened", PALETTE[0], Key::Bar),
        ("closed", PALETTE[1], Key::Bar),
        ("backlog at month end", LINE, Key::Line),
    ]);
    body.push_str(&plot.axes("tickets", "month", "", &labels));
    let band = plot.band();
    let width = (band * 0.36).min(MAX_BAR);
    let mut points = Vec::with_capacity(months.len());
    for (i, v) in months.iter().enumerate() {
        let x = plot.band_start(i) + band / 2.0 - width;
        let period = &v.period;
        body.push_str(&bar(
            x,
            width,
            plot.y(v.opened as f64),
            PALETTE[0],
            &format!("{period}: {} opened", v.opened),
        ));
        body.push_str(&bar(
            x + width,
            width,
            plot.y(v.closed as f64),
            PALETTE[1],
            &format!("{period}: {} closed", v.closed),
        ));
        points.push((
            plot.band_start(i) + band / 2.0,
            plot.y(v.backlog as f64),
            format!("{period}: backlog {}", v.backlog),
        ));
    }
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .map(|(x, y, _)| format!("{},{}", num(*x), num(*y)))
            .collect();
        let _ = write!(
            body,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{LINE}\" stroke-width=\"2\"/>",
            path.join(" ")
        );
    }
    for (x, y, tip) in &points {
        let _ = write!(
            body,
            "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{LINE}\"><title>{}</title></circle>",
            num(*x),
            num(*y),
            esc(tip)
        );
    }
    if months.iter().all(|v| v.opened + v.closed + v.backlog == 0) {
        body.push_str(&plot.empty_note("No tickets in the span"));
    }
    frame(
        "volume",
        "Tickets per month",
        "Tickets opened and closed in each month as bars, and the tickets still open at \
         each month's end as a line.",
        &body,
    )
}

/// How many resolved tickets took how long, one bar per time bucket.
pub(super) fn resolution(r: &Report) -> String {
    let buckets = &r.resolution_histogram;
    let max = buckets.iter().map(|b| b.count).max().unwrap_or(0);
    let plot = Plot::new(max as f64, buckets.len());
    let labels: Vec<String> = buckets.iter().map(|b| b.label.clone()).collect();
    let mut body = plot.axes("tickets", "time to resolution", "", &labels);
    let band = plot.band();
    let width = (band * 0.6).min(2.0 * MAX_BAR);
    for (i, b) in buckets.iter().enumerate() {
        let top = plot.y(b.count as f64);
        let middle = plot.band_start(i) + band / 2.0;
        let tip = format!("{}: {} resolved", b.label, b.count);
        body.push_str(&bar(middle - width / 2.0, width, top, PALETTE[0], &tip));
        body.push_str(&bar_label(middle, top, &b.count.to_string()));
    }
    if buckets.iter().all(|b| b.count == 0) {
        body.push_str(&plot.empty_note("No tickets resolved in the span"));
    }
    frame(
        "resolution",
        "Time to resolution",
        "How many tickets resolved in the span took each length of time, as bars.",
        &body,
    )
}

/// SLA compliance per tier: a group of bars per tier, one per target, 0 to 100 percent.
pub(super) fn compliance_by_tier(r: &Report) -> String {
    let tiers = &r.compliance_by_tier;
    let targets = targets(r);
    let plot = Plot::percent(tiers.len());
    let labels: Vec<String> = tiers.iter().map(|t| clip(&t.tier, TIER_CHARS)).collect();
    let names: Vec<String> = targets.iter().map(|t| target_words(t)).collect();
    let entries: Vec<(&str, &str, Key)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), PALETTE[i % PALETTE.len()], Key::Bar))
        .collect();
    let mut body = legend(&entries);
    body.push_str(&plot.axes("targets met", "tier", "%", &labels));
    let band = plot.band();
    let bars = targets.len().max(1) as f64;
    let width = (band * 0.8 / bars).min(MAX_BAR);
    let mut drawn = 0;
    for (i, tier) in tiers.iter().enumerate() {
        for (j, target) in targets.iter().enumerate() {
            let Some(c) = compliance(&tier.sla, target) else {
                continue;
            };
            let Some(p) = c.percent() else { continue };
            let x = plot.band_start(i) + (band - width * bars) / 2.0 + width * j as f64;
            let top = plot.y(p);
            let tip = format!(
                "{}, {}: {:.1}% met ({} of {})",
                tier.tier, names[j], p, c.met, c.total
            );
            body.push_str(&bar(x, width, top, PALETTE[j % PALETTE.len()], &tip));
            if width >= 22.0 {
                body.push_str(&bar_label(x + width / 2.0, top, &format!("{p:.0}%")));
            }
            drawn += 1;
        }
    }
    if drawn == 0 {
        body.push_str(&plot.empty_note("No SLA target came due in the span"));
    }
    frame(
        "compliance",
        "SLA compliance by tier",
        "For each customer tier, the share of each SLA target that was met, of those met \
         or breached, as bars from 0 to 100 percent.",
        &body,
    )
}
