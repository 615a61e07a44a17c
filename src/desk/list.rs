//! `list`: the tickets a [`TicketQuery`] asks for, in the order it asks for (newest first
//! by default; see `order`). They are served from the search index's listed values when
//! it can serve them, else read from the files (the index is a cache: a damaged or missing
//! one costs time, never tickets). Uses `index`, `store` and `model`.

use std::collections::HashSet;

use crate::index::{ListRow, ListRows, Progress, SearchIndex, StatusFilter, TicketRows};
use crate::model::{Moment, Ticket, Time, Workflow};
use crate::store::TicketFile;

use super::fields::{FieldFilter, all_match};
use super::order::{SortKey, ordered, updated};
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
    /// Only tickets whose frontmatter passes each of these.
    pub fields: Vec<FieldFilter>,
    /// The order.
    pub sort: SortKey,
    /// The order reversed.
    pub reverse: bool,
    /// At most this many tickets (the first in the order).
    pub limit: Option<usize>,
    /// Only tickets whose SLA stands so.
    pub sla: Option<SlaFilter>,
    /// What counts as at risk: a running clock with at most this many working seconds left.
    pub at_risk: i64,
}

/// How a ticket's SLA stands, for `list --sla`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaFilter {
    /// A clock is breached.
    Breached,
    /// No clock is breached, and one has little time left.
    AtRisk,
    /// A policy applies and nothing is breached or at risk.
    Ok,
    /// No SLA policy applies.
    None,
}

/// Per ticket id: whether a clock is breached, and the least working time left on a
/// running one (None: no clock runs), and whether any policy applies.
type SlaStandings = std::collections::HashMap<String, (bool, Option<i64>, bool)>;

fn sla_standings(desk: &Desk, rows: &[crate::support::sla::FactRow]) -> SlaStandings {
    let now = desk.now();
    let calendars = crate::support::sla::Calendars::new(desk.store().config());
    rows.iter()
        .map(|r| {
            let calendar = calendars.get(r.facts.calendar.as_deref());
            let mut breached = false;
            let mut least: Option<i64> = None;
            for c in &r.facts.clocks {
                if c.state.settled() {
                    continue;
                }
                breached |= c.state.breached(now);
                if let Some(l) = c.state.left(now, calendar) {
                    least = Some(least.map_or(l, |x: i64| x.min(l)));
                }
            }
            (r.id.clone(), (breached, least, r.facts.policy.is_some()))
        })
        .collect()
}

impl SlaFilter {
    fn passes(self, standing: Option<&(bool, Option<i64>, bool)>, at_risk: i64) -> bool {
        let (breached, least, covered) = standing.copied().unwrap_or((false, None, false));
        let risky = !breached && least.is_some_and(|l| l <= at_risk);
        match self {
            SlaFilter::Breached => breached,
            SlaFilter::AtRisk => risky,
            SlaFilter::Ok => covered && !breached && !risky,
            SlaFilter::None => !covered,
        }
    }
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

    /// Refuses a status the workflow does not know, unless some ticket has it (reading is
    /// lenient: such tickets still list). `has` says whether one of the tickets found has
    /// a status (compared without case).
    fn check_statuses(&self, wf: &Workflow, has: impl Fn(&str) -> bool) -> Result<(), DeskError> {
        let known = |s: &str| wf.statuses.iter().any(|w| w.eq_ignore_ascii_case(s));
        match self.statuses.iter().find(|s| !known(s) && !has(s)) {
            Some(s) => Err(DeskError::UnknownStatus {
                status: s.clone(),
                known: wf.statuses.clone(),
            }),
            None => Ok(()),
        }
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
    /// With `--field` filters and an index source: the ids of the tickets that pass them
    /// (read from the index's stored values).
    passing: Option<HashSet<String>>,
    /// With `--sla` or `--sort sla`: how each ticket's SLA stands now.
    sla: Option<SlaStandings>,
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
    Files(Vec<FileRow>),
}

/// A loaded ticket of the files fallback.
#[derive(Debug)]
struct FileRow {
    /// The length of its short id.
    short: usize,
    file: TicketFile,
    /// When its newest comment was written (read only to sort by it).
    latest_comment: Option<Time>,
    /// Its priority band, as the index keeps it (read only to sort by it).
    band: Option<String>,
}

impl ListedRow<'_> {
    /// When the ticket was last updated (see [`SortKey::Updated`]).
    pub fn updated(&self) -> Moment {
        updated(&self.row, self.created)
    }
}

impl Listing {
    /// What the rows are sorted by.
    pub fn sort(&self) -> SortKey {
        self.query.sort
    }

    /// The tickets the query lets through, in its order (then by id, highest first), as
    /// many as its limit allows.
    pub fn rows(&self) -> Vec<ListedRow<'_>> {
        let q = &self.query;
        let wanted = |row: &ListRow| q.matches(&self.workflow, row);
        let sla_ok = |id: &str| match (q.sla, &self.sla) {
            (Some(f), Some(m)) => f.passes(m.get(id), q.at_risk),
            _ => true,
        };
        let rows: Vec<ListedRow> = match &self.source {
            Source::Index(r) => r
                .rows()
                .into_iter()
                .filter(|(_, row)| wanted(row))
                .filter(|(_, row)| self.passing.as_ref().is_none_or(|p| p.contains(row.id)))
                .filter(|(_, row)| sla_ok(row.id))
                .map(|(short_id, row)| ListedRow {
                    short_id,
                    row,
                    created: Moment::parse(row.created),
                })
                .collect(),
            Source::Files(files) => files
                .iter()
                .map(|f| {
                    let latest = f.latest_comment.as_ref().map(Time::as_str);
                    let mut row = ListRow::of(&f.file.ticket).with_latest_comment(latest);
                    if let Some(b) = &f.band {
                        row.priority = Some(b);
                    }
                    (f, row)
                })
                .filter(|(f, row)| {
                    wanted(row) && all_match(&q.fields, &f.file.ticket) && sla_ok(row.id)
                })
                .map(|(f, row)| ListedRow {
                    short_id: f.file.ticket.id.as_str().get(..f.short).unwrap_or(row.id),
                    row,
                    created: f.file.ticket.created.moment(),
                })
                .collect(),
        };
        let left = |id: &str| self.sla.as_ref().and_then(|m| m.get(id)).and_then(|s| s.1);
        ordered(rows, q.reverse, q.limit, |r| {
            q.sort
                .rank(&self.workflow, &r.row, r.created, left(r.row.id))
        })
    }

    /// Whether a ticket found (before the query's other filters) has this status.
    fn has_status(&self, status: &str) -> bool {
        match &self.source {
            Source::Index(r) => r
                .rows()
                .iter()
                .any(|(_, row)| row.status.eq_ignore_ascii_case(status)),
            Source::Files(files) => files
                .iter()
                .any(|f| f.file.ticket.status.eq_ignore_ascii_case(status)),
        }
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
    /// In the query's order (then by id, highest first), at most its limit.
    pub tickets: Vec<ListedTicket>,
    /// Files that did not load, one message each (they are left out).
    pub problems: Vec<String>,
    /// The index's notices.
    pub notices: Vec<String>,
}

/// A ticket of `list --json` before the query's filters: path, values, and when its
/// newest comment was written.
type Found = (String, Ticket, Option<Time>);

/// Whether a query lists open tickets only (so closed tickets' facts need not be read).
fn filter_is_open_only(q: &TicketQuery) -> bool {
    q.statuses.is_empty() && !q.all
}

/// The ids of the tickets that pass the query's `--field` filters.
fn passing_ids(query: &TicketQuery, wf: &Workflow, tickets: TicketRows) -> HashSet<String> {
    tickets
        .rows
        .into_iter()
        .filter(|t| {
            query.matches(wf, &ListRow::of(&t.ticket)) && all_match(&query.fields, &t.ticket)
        })
        .map(|t| t.ticket.id.to_string())
        .collect()
}

impl Desk {
    /// How each ticket's SLA stands now, when the query filters or sorts by it.
    fn standings_for(
        &self,
        query: &TicketQuery,
        progress: &dyn Progress,
    ) -> Result<Option<SlaStandings>, DeskError> {
        if query.sla.is_none() && query.sort != SortKey::Sla {
            return Ok(None);
        }
        let want = crate::support::sla::Want {
            title: false,
            labels: false,
            names: true,
        };
        let open_only = filter_is_open_only(query);
        let rows = self.fact_rows(open_only, want, super::FactSource::Index, progress)?;
        Ok(Some(sla_standings(self, &rows.value)))
    }

    /// Each ticket's priority band as the index keeps it (by hand, else from its score
    /// and its customer's tier), when the query sorts by priority; else `None` each.
    fn bands_for<'a>(
        &self,
        query: &TicketQuery,
        tickets: impl ExactSizeIterator<Item = &'a Ticket>,
    ) -> Result<Vec<Option<String>>, DeskError> {
        if query.sort != SortKey::Priority {
            return Ok(tickets.map(|_| None).collect());
        }
        let config = self.store().config();
        let customers = self.store().customers()?;
        let by_slug: std::collections::HashMap<&str, &crate::model::Customer> = customers
            .items
            .iter()
            .map(|c| (c.slug.as_str(), &c.value))
            .collect();
        Ok(tickets
            .map(|k| {
                let c = k.customer.as_deref().and_then(|s| by_slug.get(s).copied());
                Some(crate::support::standing(config, k, c).priority.band)
            })
            .collect())
    }

    /// The `list` table for `query`.
    pub fn list(&self, query: &TicketQuery, progress: &dyn Progress) -> Result<Listing, DeskError> {
        let wf = &self.store().config().workflow;
        let filter = query.prefilter(wf);
        let (from_index, notices) = self.served(
            progress,
            |idx| {
                let rows = idx.list_rows(&filter)?;
                let passing = if query.fields.is_empty() || rows.duplicates {
                    None
                } else {
                    let tickets = idx.ticket_rows(&filter)?;
                    Some(passing_ids(query, wf, tickets))
                };
                Ok((rows, passing))
            },
            |(r, _)| r.duplicates,
        );
        let (source, passing, problems) = match from_index {
            Some((r, passing)) => {
                let problems = r.problems.iter().map(|(_, m)| m.clone()).collect();
                (Source::Index(r), passing, problems)
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
                let mut files = Vec::with_capacity(loaded.items.len());
                let bands = self.bands_for(query, loaded.items.iter().map(|t| &t.ticket))?;
                for ((short, file), band) in shorts.into_iter().zip(loaded.items).zip(bands) {
                    let latest_comment = match query.sort {
                        SortKey::Updated => self.latest_comment(&file)?,
                        _ => None,
                    };
                    files.push(FileRow {
                        short,
                        file,
                        latest_comment,
                        band,
                    });
                }
                (Source::Files(files), None, problems)
            }
        };
        let sla = self.standings_for(query, progress)?;
        let listing = Listing {
            source,
            passing,
            sla,
            query: query.clone(),
            workflow: wf.clone(),
            problems,
            notices,
        };
        query.check_statuses(wf, |s| listing.has_status(s))?;
        Ok(listing)
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
        let (all, problems): (Vec<Found>, Vec<String>) = match from_index {
            Some(r) => (
                r.rows
                    .into_iter()
                    .map(|t| (t.rel, t.ticket, t.latest_comment.map(Time::new)))
                    .collect(),
                r.problems.into_iter().map(|(_, m)| m).collect(),
            ),
            None => {
                let loaded = self.store().tickets()?;
                let mut all = Vec::with_capacity(loaded.items.len());
                for t in &loaded.items {
                    let latest = match query.sort {
                        SortKey::Updated => self.latest_comment(t)?,
                        _ => None,
                    };
                    all.push((t.rel.clone(), t.ticket.clone(), latest));
                }
                (
                    all,
                    loaded.problems.iter().map(ToString::to_string).collect(),
                )
            }
        };
        query.check_statuses(wf, |s| {
            all.iter().any(|(_, k, _)| k.status.eq_ignore_ascii_case(s))
        })?;
        let sla = self.standings_for(query, progress)?;
        let sla_ok = |id: &str| match (query.sla, &sla) {
            (Some(f), Some(m)) => f.passes(m.get(id), query.at_risk),
            _ => true,
        };
        let left = |id: &str| sla.as_ref().and_then(|m| m.get(id)).and_then(|s| s.1);
        let passed: Vec<Found> = all
            .into_iter()
            .filter(|(_, k, _)| {
                query.matches(wf, &ListRow::of(k))
                    && all_match(&query.fields, k)
                    && sla_ok(k.id.as_str())
            })
            .collect();
        let bands = self.bands_for(query, passed.iter().map(|(_, k, _)| k))?;
        let passed: Vec<(Found, Option<String>)> = passed.into_iter().zip(bands).collect();
        let passed = ordered(
            passed,
            query.reverse,
            query.limit,
            |((_, k, latest), band)| {
                let mut row = ListRow::of(k).with_latest_comment(latest.as_ref().map(Time::as_str));
                if let Some(b) = band {
                    row.priority = Some(b);
                }
                query
                    .sort
                    .rank(wf, &row, k.created.moment(), left(k.id.as_str()))
            },
        );
        let tickets = passed
            .into_iter()
            .map(|((rel, ticket, _), _)| ListedTicket {
                closed: wf.is_closed(&ticket.status),
                rel,
                ticket,
            })
            .collect();
        Ok(TicketListing {
            tickets,
            problems,
            notices,
        })
    }

    /// When a ticket's newest comment was written, read from its comment files.
    fn latest_comment(&self, t: &TicketFile) -> Result<Option<Time>, DeskError> {
        let comments = self.store().comments(&t.rel)?;
        Ok(comments.items.last().map(|c| c.comment.created.clone()))
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
}
