//! The order of `list`: newest first (the default), by last activity, by priority band or
//! by the workflow's order of statuses, optionally reversed. Every key is read from a
//! ticket's listed values (the index's rows or the loaded files), never from git, so a
//! squash merge or a rebase lists the same way.

use crate::index::ListRow;
use crate::model::{Moment, Workflow};
use crate::store::PRIORITIES;

/// What `list` sorts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortKey {
    /// When the ticket was opened, newest first.
    #[default]
    Created,
    /// The latest of `created`, `resolved` and the newest comment's time, latest first.
    Updated,
    /// urgent, high, normal, low, then no band (or one docket does not know); within a
    /// band the higher importance plus urgency first, then the newest.
    Priority,
    /// In the order of `workflow.statuses` (statuses outside it last), then the newest.
    Status,
    /// The least working time left on an SLA clock first (the most overdue first);
    /// tickets with no running clock last.
    Sla,
}

/// Where a ticket sorts: the larger first, compared field by field, the id last so the
/// order never depends on where a ticket was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Rank<'a> {
    major: i64,
    minor: i64,
    time: Option<jiff::Timestamp>,
    id: &'a str,
}

impl SortKey {
    /// Where `row` sorts by this key; `created` is what its creation time means.
    pub(super) fn rank<'a>(
        self,
        wf: &Workflow,
        row: &ListRow<'a>,
        created: Moment,
        sla_left: Option<i64>,
    ) -> Rank<'a> {
        let (major, minor, time) = match self {
            SortKey::Sla => (sla_left.map_or(i64::MIN, |l| -l), 0, created.order()),
            SortKey::Created => (0, 0, created.order()),
            SortKey::Updated => (0, 0, updated(row, created).order()),
            SortKey::Priority => {
                let band = row
                    .priority
                    .and_then(|p| PRIORITIES.iter().position(|b| b.eq_ignore_ascii_case(p)))
                    .map_or(0, |i| i as i64 + 1);
                let score =
                    i64::from(row.importance.unwrap_or(0)) + i64::from(row.urgency.unwrap_or(0));
                (band, score, created.order())
            }
            SortKey::Status => {
                let place = wf
                    .statuses
                    .iter()
                    .position(|s| s.eq_ignore_ascii_case(row.status))
                    .unwrap_or(wf.statuses.len());
                (-(place as i64), 0, created.order())
            }
        };
        Rank {
            major,
            minor,
            time,
            id: row.id,
        }
    }
}

/// When a ticket was last updated: the latest of `created`, `resolved` and its newest
/// comment's time (a time that is no time at all never wins).
pub fn updated(row: &ListRow, created: Moment) -> Moment {
    [row.resolved, row.latest_comment]
        .into_iter()
        .flatten()
        .map(Moment::parse)
        .fold(
            created,
            |best, m| {
                if m.order() > best.order() { m } else { best }
            },
        )
}

/// `items` in the order their ranks give (largest first, or smallest first when
/// `reverse`), at most `limit` of them.
pub(super) fn ordered<T>(
    items: Vec<T>,
    reverse: bool,
    limit: Option<usize>,
    rank: impl for<'x> Fn(&'x T) -> Rank<'x>,
) -> Vec<T> {
    let order: Vec<usize> = {
        let mut keyed: Vec<(Rank, usize)> = items
            .iter()
            .enumerate()
            .map(|(i, t)| (rank(t), i))
            .collect();
        keyed.sort_unstable_by(|x, y| if reverse { x.cmp(y) } else { y.cmp(x) });
        keyed.truncate(limit.unwrap_or(usize::MAX));
        keyed.into_iter().map(|(_, i)| i).collect()
    };
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Ticket;

    fn ticket(id: &str, status: &str, created: &str, extra: serde_json::Value) -> Ticket {
        let mut v = serde_json::json!({
            "id": id, "title": "t", "status": status, "created": created,
        });
        if let (Some(m), serde_json::Value::Object(e)) = (v.as_object_mut(), extra) {
            m.extend(e);
        }
        serde_json::from_value(v).expect("ticket")
    }

    fn ids(
        key: SortKey,
        reverse: bool,
        tickets: &[Ticket],
        latest: &[Option<&str>],
    ) -> Vec<String> {
        let wf = Workflow::default();
        let rows: Vec<ListRow> = tickets
            .iter()
            .zip(latest)
            .map(|(t, l)| ListRow::of(t).with_latest_comment(*l))
            .collect();
        ordered(rows, reverse, None, |r| {
            key.rank(&wf, r, Moment::parse(r.created), None)
        })
        .iter()
        .map(|r| r.id.to_string())
        .collect()
    }

    #[test]
    fn each_key_orders_as_documented() {
        let day = |d: u8| format!("2026-11-{d:02}T09:00:00Z");
        use serde_json::json;
        let ts = [
            ticket(
                "T-A",
                "closed",
                &day(1),
                json!({"priority": "low", "resolved": day(9)}),
            ),
            ticket("T-B", "open", &day(2), json!({"priority": "URGENT"})),
            ticket(
                "T-C",
                "new",
                &day(3),
                json!({"priority": "high", "importance": 5}),
            ),
            ticket("T-D", "weird", &day(4), json!({"priority": "P1"})),
            ticket(
                "T-E",
                "open",
                &day(5),
                json!({"priority": "high", "importance": 1}),
            ),
        ];
        let latest = [None, Some(day(8)), None, None, None];
        let latest: Vec<Option<&str>> = latest.iter().map(|l| l.as_deref()).collect();
        let created = ids(SortKey::Created, false, &ts, &latest);
        assert_eq!(created, ["T-E", "T-D", "T-C", "T-B", "T-A"]);
        assert_eq!(
            ids(SortKey::Created, true, &ts, &latest),
            ["T-A", "T-B", "T-C", "T-D", "T-E"]
        );
        assert_eq!(
            ids(SortKey::Updated, false, &ts, &latest),
            ["T-A", "T-B", "T-E", "T-D", "T-C"]
        );
        assert_eq!(
            ids(SortKey::Priority, false, &ts, &latest),
            ["T-B", "T-C", "T-E", "T-A", "T-D"]
        );
        let statuses = Workflow::default().statuses;
        let place = |s: &str| statuses.iter().position(|x| x == s).unwrap_or(99);
        let by_status = ids(SortKey::Status, false, &ts, &latest);
        let places: Vec<usize> = by_status
            .iter()
            .map(|id| place(&ts.iter().find(|t| t.id.as_str() == id).expect("t").status))
            .collect();
        assert!(places.is_sorted(), "{by_status:?}");
        assert_eq!(by_status.last().map(String::as_str), Some("T-D"));
    }

    #[test]
    fn newest_first_puts_times_that_do_not_parse_last() {
        let created = [
            ("T-B", "yesterday"),
            ("T-F", "2026-11-02"),
            ("T-A", "2026-11-01T00:00:00Z"),
            ("T-C", "2026-11-03T00:30:00+02:00"),
            ("T-D", "2026-11-02T23:30:00Z"),
            ("T-E", "2026-11-02T23:30:00Z"),
        ];
        let ts: Vec<Ticket> = created
            .iter()
            .map(|(id, c)| ticket(id, "open", c, serde_json::json!({})))
            .collect();
        assert_eq!(
            ids(SortKey::Created, false, &ts, &[None; 6]),
            ["T-E", "T-D", "T-C", "T-F", "T-A", "T-B"]
        );
    }

    #[test]
    fn a_limit_keeps_the_first() {
        let out = ordered(vec![3, 1, 2], false, Some(2), |n| Rank {
            major: *n,
            minor: 0,
            time: None,
            id: "",
        });
        assert_eq!(out, [3, 2]);
    }
}
