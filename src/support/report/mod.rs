//! `docket report`: the figures of a desk over a span of time, grouped by period or by a
//! ticket's value, from each ticket's [`crate::support::sla`] facts. The types here are
//! what every output format (table, JSON, CSV, the HTML page with its charts) renders.

use serde::Serialize;

/// How the report's table is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// Calendar months (UTC), the default.
    Month,
    /// The customer's tier.
    Tier,
    /// The customer.
    Customer,
    /// The assignee.
    Assignee,
    /// Each label (a ticket with two labels counts in both).
    Label,
}

impl GroupBy {
    /// The word `--by` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Month => "month",
            GroupBy::Tier => "tier",
            GroupBy::Customer => "customer",
            GroupBy::Assignee => "assignee",
            GroupBy::Label => "label",
        }
    }
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// First day covered (`YYYY-MM-DD`, inclusive).
    pub since: String,
    /// Last day covered (`YYYY-MM-DD`, inclusive).
    pub until: String,
    /// How `groups` is grouped.
    pub by: GroupBy,
    /// One row per period or value, in order (periods oldest first; values by name).
    pub groups: Vec<Figures>,
    /// The whole span in one row.
    pub total: Figures,
    /// Tickets opened and closed per month, and the backlog at each month's end, over
    /// the span: the volume chart, whatever `by` is.
    pub volume: Vec<Volume>,
    /// How many resolved tickets took how long (business time where the SLA uses it):
    /// the resolution-time chart.
    pub resolution_histogram: Vec<Bucket>,
    /// SLA compliance per tier: the compliance chart.
    pub compliance_by_tier: Vec<TierCompliance>,
    /// Customers gained, lost and kept per month, from customer `since` and `until`.
    pub customers: Vec<Retention>,
    /// Next month's expected volume of new tickets.
    pub forecast: Option<Forecast>,
}

/// The figures of one group.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// The period (`2026-11`) or value (`enterprise`, `acme`, `dana`, `crash`); `(none)`
    /// for tickets without one.
    pub key: String,
    /// Tickets created in the span (and group).
    pub opened: u64,
    /// Tickets whose last close falls in the span.
    pub closed: u64,
    /// Tickets open at the end of the period (of the span, for a non-period group).
    pub backlog: u64,
    /// Time to the first public team reply, of tickets opened in the group.
    pub first_response: Percentiles,
    /// Time to resolution, of tickets closed in the group.
    pub resolution: Percentiles,
    /// SLA compliance per target, of the targets that came due or were met in the group.
    pub sla: Vec<Compliance>,
    /// Ratings given in the group.
    pub csat: Csat,
}

/// Median and 90th percentile of a set of durations, in seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Percentiles {
    /// How many durations.
    pub count: u64,
    /// Median, seconds (None with no durations).
    pub median_secs: Option<i64>,
    /// 90th percentile (nearest rank), seconds.
    pub p90_secs: Option<i64>,
}

/// How often one SLA target was met.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Compliance {
    /// `first_response`, `next_response` or `resolution`.
    pub target: String,
    /// Targets met in time.
    pub met: u64,
    /// Targets that were met or breached (a running, unbreached clock is left out).
    pub total: u64,
}

impl Compliance {
    /// Met in percent, None with nothing counted.
    pub fn percent(&self) -> Option<f64> {
        (self.total > 0).then(|| 100.0 * self.met as f64 / self.total as f64)
    }
}

/// CSAT: the share of ratings 4 or 5.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Csat {
    /// Ratings of 4 or 5.
    pub satisfied: u64,
    /// All ratings.
    pub count: u64,
}

impl Csat {
    /// Satisfied in percent, None with no ratings.
    pub fn percent(&self) -> Option<f64> {
        (self.count > 0).then(|| 100.0 * self.satisfied as f64 / self.count as f64)
    }
}

/// One month of volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Volume {
    /// `YYYY-MM`.
    pub period: String,
    /// Tickets created in the month.
    pub opened: u64,
    /// Tickets last closed in the month.
    pub closed: u64,
    /// Tickets open at the month's end.
    pub backlog: u64,
}

/// One bar of the resolution-time histogram.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Bucket {
    /// `< 1h`, `1-4h`, `4-8h`, `8-24h`, `1-3d`, `3-7d`, `> 7d`.
    pub label: String,
    /// Upper bound in seconds (None for the last bucket).
    pub below_secs: Option<i64>,
    /// Tickets in it.
    pub count: u64,
}

/// Compliance of one tier, per target.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TierCompliance {
    /// The tier, or `(none)`.
    pub tier: String,
    /// Per target.
    pub sla: Vec<Compliance>,
}

/// Customer churn and retention in one month.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Retention {
    /// `YYYY-MM`.
    pub period: String,
    /// Customers at the month's start.
    pub start: u64,
    /// Customers whose `since` falls in the month.
    pub gained: u64,
    /// Customers whose `until` falls in the month.
    pub lost: u64,
    /// Customers at the month's end.
    pub end: u64,
}

impl Retention {
    /// Share of the month's starting customers still there at its end, in percent.
    pub fn retention_percent(&self) -> Option<f64> {
        (self.start > 0)
            .then(|| 100.0 * (self.start - self.lost.min(self.start)) as f64 / self.start as f64)
    }
}

/// A forecast of the next period's new tickets, with the back-tested error of the
/// method and of "same as last period".
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Forecast {
    /// The period forecast (`YYYY-MM`).
    pub period: String,
    /// The forecast (of the method used).
    pub value: f64,
    /// The method used: the candidate if it back-tests better, else `last period`.
    pub method: String,
    /// The candidate method's name.
    pub candidate: String,
    /// Mean absolute error of the candidate over the back-test.
    pub candidate_mae: f64,
    /// Mean absolute error of "same as last period" over the back-test.
    pub naive_mae: f64,
    /// How many past periods were forecast in the back-test.
    pub backtested: usize,
}

mod compute;

pub use compute::{ReportQuery, percentiles, report};
