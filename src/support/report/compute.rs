//! The figures of a report, from every ticket's [`FactRow`] and the customer records.
//! Which period a figure belongs to: a ticket's opening, first response and SLA
//! compliance count in the month it was opened; its resolution in the month it was last
//! closed; a rating in the month it was given; the backlog is what was open at a
//! period's end. Months are UTC calendar months.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;

use super::{
    Bucket, Compliance, Figures, GroupBy, Percentiles, Report, Retention, TierCompliance, Volume,
};
use crate::model::Customer;
use crate::support::forecast::forecast;
use crate::support::sla::{ClockState, FactRow, Target};

/// What to report on.
#[derive(Debug, Clone)]
pub struct ReportQuery {
    /// First day (default: the first of the month eleven months before `until`'s).
    pub since: Option<Date>,
    /// Last day (default: today).
    pub until: Option<Date>,
    /// How to group the table.
    pub by: GroupBy,
    /// Now: running clocks past their deadline count as breached.
    pub now: Timestamp,
}

fn start_of(d: Date) -> Timestamp {
    d.to_zoned(jiff::tz::TimeZone::UTC)
        .map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp())
}

/// The months from `since` to `until`, each with its start and end instants (cut to
/// the span) and whether the span holds the whole month.
fn months(since: Date, until: Date) -> Vec<(String, Timestamp, Timestamp, bool)> {
    let mut out = Vec::new();
    let mut first = since.first_of_month();
    let after = until.tomorrow().unwrap_or(until);
    while first <= until && out.len() < 1200 {
        let next = first.last_of_month().tomorrow().unwrap_or(first);
        let whole = first >= since && next <= after;
        let from = start_of(first.max(since));
        let to = start_of(next.min(after));
        out.push((first.strftime("%Y-%m").to_string(), from, to, whole));
        if next == first {
            break;
        }
        first = next;
    }
    out
}

/// Nearest-rank median and 90th percentile.
pub fn percentiles(mut v: Vec<i64>) -> Percentiles {
    v.sort_unstable();
    let rank = |p: f64| -> Option<i64> {
        let n = v.len();
        if n == 0 {
            return None;
        }
        let k = ((p * n as f64).ceil() as usize).clamp(1, n);
        v.get(k - 1).copied()
    };
    Percentiles {
        count: v.len() as u64,
        median_secs: rank(0.5),
        p90_secs: rank(0.9),
    }
}

/// Whether a clock was met, missed, or is not decided yet (None), at `now`.
fn verdict(state: &ClockState, now: Timestamp) -> Option<bool> {
    match state {
        ClockState::Met { .. } => Some(true),
        ClockState::Missed { .. } | ClockState::Lapsed { .. } => Some(false),
        ClockState::Running { due } => (now > *due).then_some(false),
        ClockState::Paused { left } => (*left <= 0).then_some(false),
        ClockState::Ended => None,
    }
}

/// Met and counted per target, in the order of [`Target::ALL`] (None: no ticket had it).
type Counts = [Option<(u64, u64)>; 3];

fn slot(counts: &mut Counts, t: Target) -> &mut (u64, u64) {
    let i = Target::ALL.iter().position(|x| *x == t).unwrap_or(0);
    counts[i].get_or_insert((0, 0))
}

/// Adds a ticket's SLA outcomes to per-target counts.
fn add_compliance(counts: &mut Counts, row: &FactRow, now: Timestamp) {
    for c in &row.facts.clocks {
        if c.target == Target::NextResponse {
            continue;
        }
        if let Some(met) = verdict(&c.state, now) {
            let e = slot(counts, c.target);
            e.0 += u64::from(met);
            e.1 += 1;
        }
    }
    if row.facts.clock(Target::NextResponse).is_some() {
        let e = slot(counts, Target::NextResponse);
        e.0 += u64::from(row.facts.next_met);
        e.1 += u64::from(row.facts.next_met + row.facts.next_missed);
        if let Some(c) = row.facts.clock(Target::NextResponse)
            && !c.state.settled()
            && verdict(&c.state, now) == Some(false)
        {
            e.1 += 1;
        }
    }
}

fn compliance(counts: Counts) -> Vec<Compliance> {
    Target::ALL
        .iter()
        .zip(counts)
        .filter_map(|(t, c)| {
            c.map(|(met, total)| Compliance {
                target: t.as_str().to_string(),
                met,
                total,
            })
        })
        .collect()
}

/// The figures of the tickets in `rows` over `[from, to)`.
fn figures(
    key: String,
    rows: &[&FactRow],
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> Figures {
    let within = |t: Option<Timestamp>| t.is_some_and(|t| t >= from && t < to);
    let mut f = Figures {
        key,
        ..Figures::default()
    };
    let mut first = Vec::new();
    let mut resolution = Vec::new();
    let mut counts: Counts = [None; 3];
    for r in rows {
        let facts = &r.facts;
        let opened = within(facts.created);
        if opened {
            f.opened += 1;
            first.extend(facts.first_response_secs);
            add_compliance(&mut counts, r, now);
        }
        if within(facts.closed_at) {
            f.closed += 1;
            resolution.extend(facts.resolution_secs);
        }
        if facts.created.is_some_and(|c| c < to) && facts.closed_at.is_none_or(|c| c >= to) {
            f.backlog += 1;
        }
        for (at, rating) in &facts.ratings {
            if within(Some(*at)) {
                f.csat.count += 1;
                f.csat.satisfied += u64::from(*rating >= 4);
            }
        }
    }
    f.first_response = percentiles(first);
    f.resolution = percentiles(resolution);
    f.sla = compliance(counts);
    f
}

/// The figures of every month at once, in one pass over the tickets ([`figures`] for each
/// month gives the same, at a pass per month): each ticket counts in the month of its
/// opening, its last close and each rating, and in the backlog of every month that ends
/// after it opened and before it closed.
fn monthly(
    rows: &[&FactRow],
    spans: &[(String, Timestamp, Timestamp, bool)],
    now: Timestamp,
) -> Vec<Figures> {
    let n = spans.len();
    let month = |t: Option<Timestamp>| -> Option<usize> {
        let t = t?;
        let i = spans.partition_point(|(_, _, end, _)| *end <= t);
        spans.get(i).filter(|(_, from, _, _)| t >= *from).map(|_| i)
    };
    // The first month whose end is past `t` (n: none).
    let ending_after = |t: Timestamp| spans.partition_point(|(_, _, end, _)| *end <= t);
    let mut out: Vec<Figures> = spans
        .iter()
        .map(|(m, ..)| Figures {
            key: m.clone(),
            ..Figures::default()
        })
        .collect();
    let mut first: Vec<Vec<i64>> = vec![Vec::new(); n];
    let mut resolution: Vec<Vec<i64>> = vec![Vec::new(); n];
    let mut counts: Vec<Counts> = vec![[None; 3]; n];
    let mut backlog = vec![0i64; n + 1];
    for r in rows {
        let facts = &r.facts;
        if let Some(i) = month(facts.created) {
            out[i].opened += 1;
            first[i].extend(facts.first_response_secs);
            add_compliance(&mut counts[i], r, now);
        }
        if let Some(i) = month(facts.closed_at) {
            out[i].closed += 1;
            resolution[i].extend(facts.resolution_secs);
        }
        if let Some(created) = facts.created {
            // Open at the end of each month that ends after it opened and not after it
            // closed.
            let start = ending_after(created);
            let stop = facts.closed_at.map_or(n, ending_after);
            if start < stop {
                backlog[start] += 1;
                backlog[stop] -= 1;
            }
        }
        for (at, rating) in &facts.ratings {
            if let Some(i) = month(Some(*at)) {
                out[i].csat.count += 1;
                out[i].csat.satisfied += u64::from(*rating >= 4);
            }
        }
    }
    let mut open = 0i64;
    for (i, f) in out.iter_mut().enumerate() {
        open += backlog[i];
        f.backlog = open.max(0) as u64;
        f.first_response = percentiles(std::mem::take(&mut first[i]));
        f.resolution = percentiles(std::mem::take(&mut resolution[i]));
        f.sla = compliance(std::mem::take(&mut counts[i]));
    }
    out
}

/// The resolution-time histogram's buckets: upper bounds in seconds and labels.
const BUCKETS: &[(Option<i64>, &str)] = &[
    (Some(3600), "< 1h"),
    (Some(4 * 3600), "1-4h"),
    (Some(8 * 3600), "4-8h"),
    (Some(24 * 3600), "8-24h"),
    (Some(3 * 86400), "1-3d"),
    (Some(7 * 86400), "3-7d"),
    (None, "> 7d"),
];

/// The report of `rows` (every ticket) and `customers` (every customer record).
pub fn report(rows: &[FactRow], customers: &[Customer], q: &ReportQuery) -> Report {
    let today = q.now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let until = q.until.unwrap_or(today);
    let since = q.since.unwrap_or_else(|| {
        until
            .first_of_month()
            .checked_sub(jiff::Span::new().months(11))
            .unwrap_or(until)
    });
    let from = start_of(since);
    let to = start_of(until.tomorrow().unwrap_or(until));
    let all: Vec<&FactRow> = rows.iter().collect();
    let spans = months(since, until);
    let months = monthly(&all, &spans, q.now);
    let groups: Vec<Figures> = match q.by {
        GroupBy::Month => months.clone(),
        by => {
            let mut keyed: BTreeMap<String, Vec<&FactRow>> = BTreeMap::new();
            let none = || "(none)".to_string();
            for r in &all {
                let keys: Vec<String> = match by {
                    GroupBy::Tier => vec![r.tier.clone().unwrap_or_else(none)],
                    GroupBy::Customer => vec![r.customer.clone().unwrap_or_else(none)],
                    GroupBy::Assignee => vec![r.assignee.clone().unwrap_or_else(none)],
                    GroupBy::Label if r.labels.is_empty() => vec![none()],
                    GroupBy::Label => r.labels.clone(),
                    GroupBy::Month => Vec::new(),
                };
                for k in keys {
                    keyed.entry(k).or_default().push(r);
                }
            }
            keyed
                .into_iter()
                .map(|(k, rs)| figures(k, &rs, from, to, q.now))
                .filter(|f| f.opened + f.closed + f.backlog + f.csat.count > 0)
                .collect()
        }
    };
    let total = figures("total".into(), &all, from, to, q.now);
    let volume: Vec<Volume> = months
        .iter()
        .map(|f| Volume {
            period: f.key.clone(),
            opened: f.opened,
            closed: f.closed,
            backlog: f.backlog,
        })
        .collect();
    let mut histogram: Vec<Bucket> = BUCKETS
        .iter()
        .map(|(below, label)| Bucket {
            label: label.to_string(),
            below_secs: *below,
            count: 0,
        })
        .collect();
    for r in &all {
        let closed_in_span = r.facts.closed_at.is_some_and(|c| c >= from && c < to);
        if let (true, Some(secs)) = (closed_in_span, r.facts.resolution_secs)
            && let Some(b) = histogram
                .iter_mut()
                .find(|b| b.below_secs.is_none_or(|below| secs < below))
        {
            b.count += 1;
        }
    }
    let mut by_tier: BTreeMap<String, Counts> = BTreeMap::new();
    for r in &all {
        if r.facts.created.is_some_and(|c| c >= from && c < to) && !r.facts.clocks.is_empty() {
            let tier = r.tier.clone().unwrap_or_else(|| "(none)".into());
            add_compliance(by_tier.entry(tier).or_insert([None; 3]), r, q.now);
        }
    }
    let compliance_by_tier = by_tier
        .into_iter()
        .map(|(tier, counts)| TierCompliance {
            tier,
            sla: compliance(counts),
        })
        .collect();
    // The forecast learns from the months that are over.
    let complete: Vec<&Volume> = volume
        .iter()
        .zip(&spans)
        .filter(|(_, (_, _, end, whole))| *whole && *end <= q.now)
        .map(|(v, _)| v)
        .collect();
    let history: Vec<f64> = complete.iter().map(|v| v.opened as f64).collect();
    let next = complete
        .last()
        .and_then(|v| format!("{}-01", v.period).parse::<Date>().ok())
        .and_then(|d| d.last_of_month().tomorrow().ok())
        .map(|d| d.strftime("%Y-%m").to_string());
    let forecast = next.and_then(|p| forecast(&history, &p));
    Report {
        since: since.to_string(),
        until: until.to_string(),
        by: q.by,
        groups,
        total,
        volume,
        resolution_histogram: histogram,
        compliance_by_tier,
        customers: retention(customers, &spans),
        forecast,
    }
}

/// Customers at each month's start, gained and lost in it, from `since` and `until`.
fn retention(
    customers: &[Customer],
    spans: &[(String, Timestamp, Timestamp, bool)],
) -> Vec<Retention> {
    let day = |s: &Option<String>| -> Option<Timestamp> {
        let s = s.as_deref()?;
        let d: Date = s.get(..10).unwrap_or(s).parse().ok()?;
        Some(start_of(d))
    };
    spans
        .iter()
        .map(|(m, a, b, _)| {
            let mut r = Retention {
                period: m.clone(),
                ..Retention::default()
            };
            for c in customers {
                let since = day(&c.since);
                let until = day(&c.until);
                let present_at =
                    |t: Timestamp| since.is_none_or(|s| s < t) && until.is_none_or(|u| u >= t);
                if present_at(*a) {
                    r.start += 1;
                }
                if since.is_some_and(|s| s >= *a && s < *b) {
                    r.gained += 1;
                }
                if until.is_some_and(|u| u >= *a && u < *b) {
                    r.lost += 1;
                }
            }
            r.end = (r.start + r.gained).saturating_sub(r.lost);
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::sla::{Clock, Facts};

    fn at(day: i64, hour: i64) -> Timestamp {
        Timestamp::from_second(1_790_000_000 + day * 86_400 + hour * 3_600).expect("a time")
    }

    /// Tickets over four months in a fixed pseudo-random pattern.
    fn rows() -> Vec<FactRow> {
        let mut x: u64 = 7;
        let mut next = |m: u64| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 33) % m
        };
        (0..300)
            .map(|i| {
                let created = at(next(130) as i64 - 10, next(24) as i64);
                let closed = (next(3) > 0).then(|| {
                    Timestamp::from_second(created.as_second() + next(40 * 86_400) as i64)
                        .expect("a time")
                });
                let state = match next(3) {
                    0 => ClockState::Met {
                        at: created,
                        used: 60,
                    },
                    1 => ClockState::Missed {
                        at: created,
                        used: 9_000,
                        breached_at: created,
                    },
                    _ => ClockState::Running { due: created },
                };
                FactRow {
                    id: format!("T-{i}"),
                    title: String::new(),
                    status: "open".into(),
                    assignee: None,
                    customer: None,
                    tier: None,
                    band: "normal".into(),
                    labels: Vec::new(),
                    facts: Facts {
                        clocks: vec![Clock {
                            target: Target::FirstResponse,
                            budget: 3_600,
                            state,
                        }],
                        first_response_secs: Some(next(10_000) as i64),
                        resolution_secs: closed.map(|_| next(100_000) as i64),
                        closed_at: closed,
                        created: Some(created),
                        ratings: closed
                            .map(|c| vec![(c, (1 + next(5)) as u8)])
                            .unwrap_or_default(),
                        ..Facts::default()
                    },
                }
            })
            .collect()
    }

    #[test]
    fn the_one_pass_months_equal_a_pass_per_month() {
        let rows = rows();
        let all: Vec<&FactRow> = rows.iter().collect();
        let since: Date = "2026-09-15".parse().expect("a date");
        let until: Date = "2026-12-20".parse().expect("a date");
        let spans = months(since, until);
        assert_eq!(spans.len(), 4);
        let now = at(200, 0);
        let fast = monthly(&all, &spans, now);
        let slow: Vec<Figures> = spans
            .iter()
            .map(|(m, a, b, _)| figures(m.clone(), &all, *a, *b, now))
            .collect();
        assert_eq!(fast, slow);
        assert!(
            fast.iter()
                .any(|f| f.backlog > 0 && f.closed > 0 && f.csat.count > 0)
        );
    }
}
