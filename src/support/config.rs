//! What `check` says about the config's `priority` and `sla` sections: calendars that do
//! not read, targets that are no durations, and names (calendars, tiers, bands, statuses)
//! that point nowhere. Each problem has the key path it is under, for its line.

use crate::model::Config;
use crate::support::{Calendar, parse_duration};

/// One problem: the key path (for the line), and the message with its fix.
pub type ConfigProblem = (Vec<String>, String);

/// Everything wrong with the support sections of a config.
pub fn config_problems(config: &Config) -> Vec<ConfigProblem> {
    let mut out = crate::support::automation::problems(config);
    let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let sla = &config.sla;
    for (name, spec) in &sla.calendars {
        if let Err(e) = Calendar::from_spec(spec) {
            let mut p = path(&["sla", "calendars", name]);
            p.extend(e.key.split('.').map(str::to_string));
            out.push((p, format!("calendar `{name}`: {}", e.message)));
        }
    }
    // The default `paused: [pending]` is harmless in a workflow without `pending`; it
    // matters once a policy runs.
    for s in sla.paused.iter().filter(|_| !sla.policies.is_empty()) {
        if !config.workflow.knows(s) {
            out.push((
                path(&["sla", "paused"]),
                format!("`sla.paused` names status `{s}`, which is not in `workflow.statuses`"),
            ));
        }
    }
    let bands: Vec<&str> = config
        .priority
        .bands
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    for (i, p) in sla.policies.iter().enumerate() {
        let at = |key: &str| {
            let mut v = path(&["sla", "policies"]);
            v.push(i.to_string());
            v.push(key.to_string());
            v
        };
        let who = if p.name.is_empty() {
            format!("policy {}", i + 1)
        } else {
            format!("policy `{}`", p.name)
        };
        if let Some(c) = &p.calendar
            && !sla.calendars.contains_key(c)
        {
            out.push((
                at("calendar"),
                format!("{who} names calendar `{c}`, which `sla.calendars` does not define"),
            ));
        }
        for (key, v) in [
            ("first_response", &p.first_response),
            ("next_response", &p.next_response),
            ("resolution", &p.resolution),
        ] {
            if let Some(v) = v
                && let Err(e) = parse_duration(v)
            {
                out.push((at(key), format!("{who}, `{key}`: {e}")));
            }
        }
        for t in &p.tiers {
            if !config.tiers.contains(t) {
                out.push((
                    at("tiers"),
                    format!("{who} names tier `{t}`, which is not in `tiers`"),
                ));
            }
        }
        for b in &p.priorities {
            if !bands.contains(&b.as_str()) {
                out.push((
                    at("priorities"),
                    format!("{who} names priority `{b}`, which no band in `priority.bands` has"),
                ));
            }
        }
    }
    let pr = &config.priority;
    if pr.bands.is_empty() {
        out.push((
            path(&["priority", "bands"]),
            "`priority.bands` is empty".into(),
        ));
    }
    if pr.bands.windows(2).any(|w| w[0].min < w[1].min) {
        out.push((
            path(&["priority", "bands"]),
            "`priority.bands` must go from the highest `min` to the lowest".into(),
        ));
    }
    if !bands.contains(&pr.default.as_str()) {
        out.push((
            path(&["priority", "default"]),
            format!("`priority.default` is `{}`, which no band has", pr.default),
        ));
    }
    for t in pr.tiers.keys() {
        if !config.tiers.contains(t) {
            out.push((
                path(&["priority", "tiers"]),
                format!("`priority.tiers` names tier `{t}`, which is not in `tiers`"),
            ));
        }
    }
    out.extend(super::routing::problems(config));
    out
}
