//! The support policy sections of the config: how priority is scored, and the SLA
//! policies with their calendars. Plain data; `support` does the arithmetic.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `priority:`: `score = importance * weights.importance + urgency * weights.urgency`,
/// plus the customer's tier bonus, mapped to the first band whose `min` it reaches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PriorityPolicy {
    /// Weight of importance (1-5) in the score.
    pub importance: f64,
    /// Weight of urgency (1-5) in the score.
    pub urgency: f64,
    /// Added to the score for a customer on this tier (`enterprise: 1`).
    pub tiers: BTreeMap<String, f64>,
    /// Bands, highest first: a score at or above `min` gets `name`.
    pub bands: Vec<Band>,
    /// The band of a ticket with neither importance nor urgency.
    pub default: String,
}

impl Default for PriorityPolicy {
    fn default() -> Self {
        let band = |name: &str, min: f64| Band {
            name: name.into(),
            min,
        };
        PriorityPolicy {
            importance: 0.5,
            urgency: 0.5,
            tiers: BTreeMap::new(),
            bands: vec![
                band("urgent", 4.5),
                band("high", 3.5),
                band("normal", 2.0),
                band("low", 0.0),
            ],
            default: "normal".into(),
        }
    }
}

/// One priority band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The band's name, as `priority:` holds it.
    pub name: String,
    /// The lowest score in the band.
    pub min: f64,
}

/// `sla:`: the policies, their calendars and the statuses that stop the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SlaConfig {
    /// Statuses that pause every SLA clock (waiting on the customer: `pending`).
    pub paused: Vec<String>,
    /// Named working calendars; a policy without one runs on calendar hours.
    pub calendars: BTreeMap<String, CalendarSpec>,
    /// Policies, tried in order: the first whose tiers and priorities match applies.
    pub policies: Vec<SlaPolicy>,
}

impl Default for SlaConfig {
    fn default() -> Self {
        SlaConfig {
            paused: vec!["pending".into()],
            calendars: BTreeMap::new(),
            policies: Vec::new(),
        }
    }
}

/// One SLA policy: targets for the tickets of some tiers and priorities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SlaPolicy {
    /// Name, shown by `show` and `sla`, and what a customer's `sla: {policy: NAME}` picks.
    pub name: String,
    /// Tiers it covers (empty: every tier, and tickets with no customer).
    pub tiers: Vec<String>,
    /// Priority bands it covers (empty: all).
    pub priorities: Vec<String>,
    /// A calendar from `sla.calendars` (absent: calendar hours, every hour counts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// Time to the first public team reply (`4h`, `90m`, `2d`; `d` is 24 hours of the
    /// calendar's time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_response: Option<String>,
    /// Time to a public team reply after each customer comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_response: Option<String>,
    /// Time to resolve, the clock stopped while paused or closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
}

/// A working calendar: business-hour frames per weekday in a time zone, and holidays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA time zone name (`Europe/Berlin`); default UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Frames per weekday (`mon` .. `sun`), each `HH:MM-HH:MM` in local time; a day not
    /// named has no business hours.
    pub hours: BTreeMap<String, Vec<String>>,
    /// Days with no business hours, `YYYY-MM-DD`.
    pub holidays: Vec<String>,
}
