//! What the report's charts are drawn with: a plot area with a value axis that starts at
//! zero and ends on a round number, category bands along the bottom, a legend, and text
//! escaped for HTML and XML alike. Every coordinate goes through [`num`], so an empty or
//! odd report draws a chart without `NaN` in it.

use std::fmt::Write as _;

/// Escapes text for HTML and SVG, element content and attribute values alike (the
/// export's escaping, which the KB pages use).
pub(super) fn esc(s: &str) -> String {
    crate::export::escape_html(s)
}

/// A coordinate with one decimal at most (0 for a value that is not finite).
pub(super) fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let s = format!("{v:.1}");
    match s.strip_suffix(".0") {
        Some(whole) if whole != "-0" => whole.to_string(),
        Some(_) => "0".into(),
        None => s,
    }
}

/// The chart's size in SVG units (the page scales it down on a narrow screen).
pub(super) const WIDTH: f64 = 720.0;
pub(super) const HEIGHT: f64 = 320.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 56.0;

/// A chart's plot area and value axis.
pub(super) struct Plot {
    /// The value at the top of the axis.
    top_value: f64,
    /// Between two ticks of the axis.
    step: f64,
    /// How many categories share the width.
    bands: usize,
}

impl Plot {
    /// A plot for values up to `max` in `bands` categories; the axis ends on a round
    /// number at or above `max` (1 when there is nothing to show).
    pub(super) fn new(max: f64, bands: usize) -> Plot {
        let (top_value, step) = round_axis(max);
        Plot {
            top_value,
            step,
            bands: bands.max(1),
        }
    }

    /// A plot for percentages, 0 to 100 in steps of 20.
    pub(super) fn percent(bands: usize) -> Plot {
        Plot {
            top_value: 100.0,
            step: 20.0,
            bands: bands.max(1),
        }
    }

    fn inner_width() -> f64 {
        WIDTH - LEFT - RIGHT
    }

    /// The bottom of the plot area.
    pub(super) fn baseline() -> f64 {
        HEIGHT - BOTTOM
    }

    /// The height of a value, clamped to the axis.
    pub(super) fn y(&self, v: f64) -> f64 {
        let h = HEIGHT - TOP - BOTTOM;
        let share = if v.is_finite() {
            v / self.top_value
        } else {
            0.0
        };
        Self::baseline() - h * share.clamp(0.0, 1.0)
    }

    /// The width of one category's band.
    pub(super) fn band(&self) -> f64 {
        Self::inner_width() / self.bands as f64
    }

    /// Where category `i`'s band starts.
    pub(super) fn band_start(&self, i: usize) -> f64 {
        LEFT + self.band() * i as f64
    }

    /// The value axis with its grid lines and tick labels (`unit` after each number),
    /// the axis titles, and the labels of the categories (every `nth` one, so they do
    /// not overlap).
    pub(super) fn axes(
        &self,
        y_title: &str,
        x_title: &str,
        unit: &str,
        labels: &[String],
    ) -> String {
        let mut out = String::from("<g class=\"axis\">");
        let ticks = (self.top_value / self.step).round().max(1.0) as usize;
        for i in 0..=ticks {
            let v = self.step * i as f64;
            let y = num(self.y(v));
            let _ = write!(
                out,
                "<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\"/>\
                 <text x=\"{}\" y=\"{y}\" dy=\"0.32em\" text-anchor=\"end\">{}{unit}</text>",
                num(LEFT),
                num(WIDTH - RIGHT),
                num(LEFT - 6.0),
                num(v),
            );
        }
        let _ = write!(
            out,
            "<line class=\"frame\" x1=\"{l}\" x2=\"{l}\" y1=\"{t}\" y2=\"{b}\"/>\
             <line class=\"frame\" x1=\"{l}\" x2=\"{r}\" y1=\"{b}\" y2=\"{b}\"/>",
            l = num(LEFT),
            r = num(WIDTH - RIGHT),
            t = num(TOP),
            b = num(Self::baseline()),
        );
        // About 7 px a character at 11 px: keep labels a little apart.
        let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
        let nth = ((widest * 7.0 + 8.0) / self.band()).ceil().max(1.0) as usize;
        for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % nth == 0) {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                num(self.band_start(i) + self.band() / 2.0),
                num(Self::baseline() + 16.0),
                esc(label)
            );
        }
        let _ = write!(
            out,
            "<text class=\"title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
             <text class=\"title\" transform=\"translate(14 {}) rotate(-90)\" text-anchor=\"middle\">{}</text></g>",
            num(LEFT + Self::inner_width() / 2.0),
            num(HEIGHT - 10.0),
            esc(x_title),
            num(TOP + (Self::baseline() - TOP) / 2.0),
            esc(y_title),
        );
        out
    }

    /// A note across the middle of the plot, for a chart with nothing to draw.
    pub(super) fn empty_note(&self, text: &str) -> String {
        format!(
            "<text class=\"note\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(LEFT + Self::inner_width() / 2.0),
            num(TOP + (Self::baseline() - TOP) / 2.0),
            esc(text)
        )
    }
}

/// How a legend entry is drawn.
pub(super) enum Key {
    /// A filled square, for bars.
    Bar,
    /// A line with a dot, for a line.
    Line,
}

/// A legend in one row above the plot: each entry's mark in its colour, then its name.
pub(super) fn legend(entries: &[(&str, &str, Key)]) -> String {
    let mut out = String::from("<g class=\"legend\">");
    let mut x = LEFT;
    let y = 18.0;
    for (name, colour, key) in entries {
        match key {
            Key::Bar => {
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>",
                    num(x),
                    num(y - 6.0)
                );
            }
            Key::Line => {
                let _ = write!(
                    out,
                    "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2\"/>\
                     <circle cx=\"{}\" cy=\"{y}\" r=\"3\" fill=\"{colour}\"/>",
                    num(x - 2.0),
                    num(x + 14.0),
                    num(x + 6.0),
                );
            }
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{y}\" dy=\"0.32em\">{}</text>",
            num(x + 18.0),
            esc(name)
        );
        x += 18.0 + name.chars().count() as f64 * 7.0 + 20.0;
    }
    out.push_str("</g>");
    out
}

/// The top of an axis for values up to `max` and the step between its ticks: a round
/// step (1, 2 or 5 times a power of ten, whole numbers only) that gives about five ticks.
fn round_axis(max: f64) -> (f64, f64) {
    if !max.is_finite() || max <= 0.0 {
        return (1.0, 1.0);
    }
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
        .max(1.0);
    ((max / step).ceil() * step, step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(round_axis(0.0), (1.0, 1.0));
        assert_eq!(round_axis(f64::NAN), (1.0, 1.0));
        assert_eq!(round_axis(3.0), (3.0, 1.0));
        assert_eq!(round_axis(41.0), (50.0, 10.0));
        assert_eq!(round_axis(120.0), (150.0, 50.0));
        assert_eq!(round_axis(7.0), (8.0, 2.0));
    }

    #[test]
    fn coordinates_are_short_and_finite() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(f64::INFINITY), "0");
    }

    #[test]
    fn text_is_escaped_for_html_and_xml() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>\u{1b}"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;\u{fffd}"
        );
    }
}
