//! `list`: the tickets a [`TicketQuery`] asks for, newest first. They are served from the
//! search index's listed values when it can serve them, else read from the files (the
//! index is a cache: a damaged or missing one costs time, never tickets). Uses `index`,
//! `store` and `model`.

use crate::index::{ListRow, ListRows, Progress, SearchIndex, StatusFilter, TicketRows};
use crate::model::{Moment, Ticket, Workflow};
use crate::store::TicketFile;

use super::{Desk, DeskError, Indexed};

/// Whose tickets a query wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssigneeFilter {
    /// Unassigned tickets only.
    Nobody,
    /// Tickets assigned to this handle.
    Handle(String),
}

impl AssigneeFilter {
    /// Reads the command line's form: a handle, or `-` for unassigned.
    pub fn parse(s: &str) -> AssigneeFilter {
        match s {
            "-" => AssigneeFilter::Nobody,
            h => AssigneeFilter::Handle(h.to_string()),
        }
    }
}

/// Which tickets to list. The default lists the open ones.
#[derive(Debug, Clone, Default)]
pub struct TicketQuery {
    /// Only these statuses (compared without case); empty: see `all`.
    pub statuses: Vec<String>,
    /// With no `statuses`: closed tickets too.
    pub all: bool,
    /// Only this assignee (or only unassigned tickets).
    pub assignee: Option<AssigneeFilter>,
    /// Only tickets with every one of these labels.
    pub labels: Vec<String>,
    /// Only this customer's tickets.
    pub customer: Option<String>,
}

impl TicketQuery {
    /// What the index can filter on by itself (statuses, without case); [`matches`]
    /// then applies the exact rule.
    ///
    /// [`matches`]: TicketQuery::matches
    fn prefilter(&self, wf: &Workflow) -> StatusFilter {
        if !self.statuses.is_empty() {
            StatusFilter::OneOf(self.statuses.clone())
        } else if self.all {
            StatusFilter::Any
        } else {
            StatusFilter::NoneOf(wf.closed.clone())
        }
    }

    /// Whether the query lets a ticket through.
    pub fn matches(&self, wf: &Workflow, k: &ListRow) -> bool {
        let status_ok = if self.statuses.is_empty() {
            self.all || !wf.is_closed(k.status)
        } else {
            self.statuses
                .iter()
                .any(|s| s.eq_ignore_ascii_case(k.status))
        };
        let assignee_ok = match &self.assignee {
            None => true,
            Some(AssigneeFilter::Nobody) => k.assignee.is_none(),
            Some(AssigneeFilter::Handle(h)) => k.assignee == Some(h.as_str()),
        };
        let customer_ok = self
            .customer
            .as_deref()
            .is_none_or(|c| k.customer == Some(c));
        status_ok && assignee_ok && customer_ok && self.labels.iter().all(|l| k.has_label(l))
    }
}

/// One row of the `list` table.
#[derive(Debug, Clone, Copy)]
pub struct ListedRow<'a> {
    /// The shortest prefix that names the ticket among all of them.
    pub short_id: &'a str,
    /// The listed values.
    pub row: ListRow<'a>,
    /// What `created` means.
    pub created: Moment,
}

/// The `list` table: rows are made on demand from the index's values or the loaded
/// files, which the listing owns (tens of thousands of rows are not copied).
#[derive(Debug)]
pub struct Listing {
    source: Source,
    query: TicketQuery,
    workflow: Workflow,
    /// Files that did not load, one message each (they are left out).
    pub problems: Vec<String>,
    /// The index's notices.
    pub notices: Vec<String>,
}

#[derive(Debug)]
enum Source {
    Index(ListRows),
    /// Each ticket with the length of its short id.
    Files(Vec<(usize, TicketFile)>),
}

impl Listing {
    /// The tickets the query lets through, newest first (then by id, highest first).
    pub fn rows(&self) -> Vec<ListedRow<'_>> {
        let wanted = |row: &ListRow| self.query.matches(&self.workflow, row);
        let mut rows: Vec<ListedRow> = match &self.source {
            Source::Index(r) => r
                .rows()
                .into_iter()
                .filter(|(_, row)| wanted(row))
                .map(|(short_id, row)| ListedRow {
                    short_id,
                    row,
                    created: Moment::parse(row.created),
                })
                .collect(),
            Source::Files(files) => files
                .iter()
                .map(|(short, t)| (short, ListRow::of(&t.ticket), t))
                .filter(|(_, row, _)| wanted(row))
                .map(|(&short, row, t)| ListedRow {
                    short_id: t.ticket.id.as_str().get(..short).unwrap_or(row.id),
                    row,
                    created: t.ticket.created.moment(),
                })
                .collect(),
        };
        rows.sort_by(|x, y| {
            newest_first((x.created.order(), x.row.id), (y.created.order(), y.row.id))
        });
        rows
    }
}

/// One ticket of `list --json`: its path, its values and whether it counts as closed.
#[derive(Debug, Clone)]
pub struct ListedTicket {
    /// Repository-relative path.
    pub rel: String,
    /// The values.
    pub ticket: Ticket,
    /// Whether its status is one of the workflow's closed ones.
    pub closed: bool,
}

/// `list --json`: every value of each ticket the query lets through.
#[derive(Debug)]
pub struct TicketListing {
    /// Newest first (then by id, highest first).
    pub tickets: Vec<ListedTicket>,
    /// Files that did not load, one message each (they are left out).
    pub problems: Vec<String>,
    /// The index's notices.
    pub notices: Vec<String>,
}

/// Descending order of `(created, id)`, `created` as [`Moment::order`] places it: a time
/// that is no time at all counts as the oldest.
fn newest_first<T: Ord>(x: T, y: T) -> std::cmp::Ordering {
    y.cmp(&x)
}

impl Desk {
    /// The `list` table for `query`.
    pub fn list(&self, query: &TicketQuery, progress: &dyn Progress) -> Result<Listing, DeskError> {
        let wf = &self.store().config().workflow;
        let filter = query.prefilter(wf);
        let (from_index, notices) =
            self.served(progress, |idx| idx.list_rows(&filter), |r| r.duplicates);
        let (source, problems) = match from_index {
            Some(r) => {
                let problems = r.problems.iter().map(|(_, m)| m.clone()).collect();
                (Source::Index(r), problems)
            }
            None => {
                let loaded = self.store().tickets()?;
                let problems = loaded.problems.iter().map(ToString::to_string).collect();
                let ids: Vec<&str> = loaded.items.iter().map(|t| t.ticket.id.as_str()).collect();
                let shorts: Vec<usize> = self
                    .store()
                    .short_ids(&ids)
                    .iter()
                    .map(|s| s.len())
                    .collect();
                (
                    Source::Files(shorts.into_iter().zip(loaded.items).collect()),
                    problems,
                )
            }
        };
        Ok(Listing {
            source,
            query: query.clone(),
            workflow: wf.clone(),
            problems,
            notices,
        })
    }

    /// `list --json` for `query`.
    pub fn list_tickets(
        &self,
        query: &TicketQuery,
        progress: &dyn Progress,
    ) -> Result<TicketListing, DeskError> {
        let wf = &self.store().config().workflow;
        let filter = query.prefilter(wf);
        let (from_index, notices) = self.served(
            progress,
            |idx| idx.ticket_rows(&filter),
            |r: &TicketRows| r.duplicates,
        );
        let (all, problems): (Vec<(String, Ticket)>, Vec<String>) = match from_index {
            Some(r) => (
                r.rows.into_iter().map(|t| (t.rel, t.ticket)).collect(),
                r.problems.into_iter().map(|(_, m)| m).collect(),
            ),
            None => {
                let loaded = self.store().tickets()?;
                (
                    loaded
                        .items
                        .into_iter()
                        .map(|t| (t.rel, t.ticket))
                        .collect(),
                    loaded.problems.iter().map(ToString::to_string).collect(),
                )
            }
        };
        let mut tickets: Vec<ListedTicket> = all
            .into_iter()
            .filter(|(_, k)| query.matches(wf, &ListRow::of(k)))
            .map(|(rel, ticket)| ListedTicket {
                closed: wf.is_closed(&ticket.status),
                rel,
                ticket,
            })
            .collect();
        tickets.sort_by(|x, y| {
            newest_first(
                (x.ticket.created.moment().order(), x.ticket.id.as_str()),
                (y.ticket.created.moment().order(), y.ticket.id.as_str()),
            )
        });
        Ok(TicketListing {
            tickets,
            problems,
            notices,
        })
    }

    /// What `read` gets from the index, or `None` when the index cannot serve it (it
    /// failed, or `copies` says two files claim one id: the files then report that
    /// exactly as they always do); the index's notices either way.
    fn served<T>(
        &self,
        progress: &dyn Progress,
        read: impl Fn(&SearchIndex) -> Result<T, crate::index::IndexError>,
        copies: impl Fn(&T) -> bool,
    ) -> (Option<T>, Vec<String>) {
        match self.with_index(progress, read) {
            Ok(Indexed { value, notices }) => ((!copies(&value)).then_some(value), notices),
            Err(_) => (None, Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(status: &str, assignee: Option<&str>, labels: &[&str]) -> Ticket {
        serde_json::from_value(serde_json::json!({
            "id": "T-ABCDEFGHJK",
            "title": "Disk full",
            "status": status,
            "created": "2026-11-02T09:14:00Z",
            "assignee": assignee,
            "customer": "acme",
            "labels": labels,
        }))
        .expect("ticket")
    }

    #[test]
    fn a_query_lets_through_what_it_names() {
        let wf = Workflow::default();
        let open = ticket("open", None, &["db", "urgent"]);
        let closed = ticket("closed", Some("bob"), &[]);
        let pass = |q: &TicketQuery, k: &Ticket| q.matches(&wf, &ListRow::of(k));
        let default = TicketQuery::default();
        assert!(pass(&default, &open) && !pass(&default, &closed));
        let all = TicketQuery {
            all: true,
            ..TicketQuery::default()
        };
        assert!(pass(&all, &closed));
        let by_status = TicketQuery {
            statuses: vec!["Closed".into()],
            ..TicketQuery::default()
        };
        assert!(pass(&by_status, &closed) && !pass(&by_status, &open));
        let nobody = TicketQuery {
            assignee: Some(AssigneeFilter::parse("-")),
            all: true,
            ..TicketQuery::default()
        };
        assert!(pass(&nobody, &open) && !pass(&nobody, &closed));
        let labels = TicketQuery {
            labels: vec!["db".into(), "urgent".into()],
            ..TicketQuery::default()
        };
        assert!(pass(&labels, &open));
        let missing = TicketQuery {
            labels: vec!["db".into(), "later".into()],
            ..TicketQuery::default()
        };
        assert!(!pass(&missing, &open));
        let other = TicketQuery {
            customer: Some("kestrel".into()),
            ..TicketQuery::default()
        };
        assert!(!pass(&other, &open));
    }

    #[test]
    fn newest_first_puts_times_that_do_not_parse_last() {
        let t = |s: &str| Moment::parse(s).order();
        let mut keys = [
            (t("yesterday"), "T-B"),
            (t("2026-11-02"), "T-F"),
            (t("2026-11-01T00:00:00Z"), "T-A"),
            (t("2026-11-03T00:30:00+02:00"), "T-C"),
            (t("2026-11-02T23:30:00Z"), "T-D"),
            (t("2026-11-02T23:30:00Z"), "T-E"),
        ];
        keys.sort_by(|x, y| newest_first(*x, *y));
        let ids: Vec<&str> = keys.iter().map(|k| k.1).collect();
        assert_eq!(ids, ["T-E", "T-D", "T-C", "T-F", "T-A", "T-B"]);
    }
}
