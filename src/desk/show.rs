//! `show`: one ticket with its comments and the tickets that link to it, its id resolved
//! from a prefix through the search index's id dictionary when it can say for sure (a few
//! ms at 100,000 tickets, where listing the folders takes 100 ms or more), and its
//! back-links found in the same index; else both from the files. Uses `index` and
//! `store`.

use crate::index::{Progress, TicketRow};
use crate::model::{Entry, TypedId};
use crate::store::{CommentFile, EntryFile, Problem, TicketFile};
use crate::support::Standing;
use crate::support::sla::{Calendars, ClockState, Happening, Target, Timeline, facts};

use super::{Backlink, Desk, DeskError, Indexed};

/// A ticket as `show` prints it.
#[derive(Debug)]
pub struct ShownTicket {
    /// The ticket file.
    pub file: TicketFile,
    /// Its comments, oldest first.
    pub comments: Vec<CommentFile>,
    /// Every file of its folder (comments, events, ratings), oldest first.
    pub entries: Vec<EntryFile>,
    /// Status changes inferred from `created` and `resolved`, for a ticket whose folder
    /// has no status events (written by hand or imported).
    pub inferred: Vec<(jiff::Timestamp, String)>,
    /// Its priority and SLA terms.
    pub standing: Standing,
    /// Each SLA target's clock, judged now.
    pub targets: Vec<TargetView>,
    /// Comment files that did not load (they are left out).
    pub problems: Vec<Problem>,
    /// Whether its status is one of the workflow's closed ones.
    pub closed: bool,
    /// The tickets that link to it.
    pub backlinks: Vec<Backlink>,
}

/// One SLA target of a shown ticket.
#[derive(Debug, Clone)]
pub struct TargetView {
    /// Which target.
    pub target: Target,
    /// Working seconds it allows.
    pub budget: i64,
    /// Where its clock stands.
    pub state: ClockState,
    /// Whether it is breached now.
    pub breached: bool,
    /// Working seconds left now (negative: overdue), for a clock not yet settled.
    pub left: Option<i64>,
}

/// A shown ticket's standing, its SLA targets and its inferred statuses.
type SupportView = (Standing, Vec<TargetView>, Vec<(jiff::Timestamp, String)>);

impl Desk {
    /// A ticket's standing, SLA clocks and inferred statuses, from its files.
    fn support_view(
        &self,
        file: &TicketFile,
        entries: &[EntryFile],
    ) -> Result<SupportView, DeskError> {
        let store = self.store();
        let config = store.config();
        let customer = match &file.ticket.customer {
            Some(slug) => store.customer_values(slug)?,
            None => None,
        };
        let standing = crate::support::standing(config, &file.ticket, customer.as_ref());
        let Some(timeline) =
            Timeline::build(&file.ticket, entries.iter().map(|e| &e.entry), config)
        else {
            return Ok((standing, Vec::new(), Vec::new()));
        };
        let calendars = Calendars::new(config);
        let facts = facts(&timeline, standing.terms.as_ref(), &calendars, config);
        let now = self.now();
        let calendar = calendars.get(facts.calendar.as_deref());
        let targets = facts
            .clocks
            .iter()
            .map(|c| TargetView {
                target: c.target,
                budget: c.budget,
                state: c.state,
                breached: c.state.breached(now),
                left: c.state.left(now, calendar),
            })
            .collect();
        let inferred = if timeline.inferred {
            timeline
                .happenings
                .iter()
                .filter_map(|(at, h)| match h {
                    Happening::Status(s) => Some((*at, s.clone())),
                    _ => None,
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok((standing, targets, inferred))
    }

    /// The ticket whose id starts with `prefix`, with its comments and back-links.
    pub fn show(
        &self,
        prefix: &str,
        progress: &dyn Progress,
    ) -> Result<Indexed<ShownTicket>, DeskError> {
        let (found, notices) = self.resolve_via_index(prefix, progress);
        let (id, linking) = found.unzip();
        let file = self.store().ticket(id.as_deref().unwrap_or(prefix))?;
        let timeline = self.store().timeline(&file.rel)?;
        let (standing, targets, inferred) = self.support_view(&file, &timeline.items)?;
        let comments: Vec<CommentFile> = timeline
            .items
            .iter()
            .filter_map(|e| match &e.entry {
                Entry::Comment(c) => Some(CommentFile {
                    rel: e.rel.clone(),
                    comment: c.clone(),
                    body: e.body.clone(),
                }),
                _ => None,
            })
            .collect();
        let whole = file.ticket.id.as_str();
        let backlinks = match linking {
            Some(rows) => self.backlinks_in_rows(whole, &rows),
            None => self.backlinks_from_files(whole)?,
        };
        let closed = self
            .store()
            .config()
            .workflow
            .is_closed(&file.ticket.status);
        Ok(Indexed {
            value: ShownTicket {
                file,
                comments,
                entries: timeline.items,
                inferred,
                standing,
                targets,
                problems: timeline.problems,
                closed,
                backlinks,
            },
            notices,
        })
    }

    /// The whole id of the one ticket whose id starts with `prefix`, and the tickets that
    /// link to it, from the index (one sync for both). `None` when the index cannot say
    /// for sure (no match, several, a damaged index): the caller then reads the files,
    /// with the usual errors.
    fn resolve_via_index(
        &self,
        prefix: &str,
        progress: &dyn Progress,
    ) -> (Option<(String, Vec<TicketRow>)>, Vec<String>) {
        let Ok(typed) = prefix.parse::<TypedId>() else {
            return (None, Vec::new());
        };
        let found = self.with_index(progress, |idx| {
            let mut ids = Vec::new();
            for p in typed.prefixes() {
                ids.extend(idx.ticket_ids_with_prefix(p)?);
            }
            match ids.as_slice() {
                [one] => Ok(Some((one.clone(), idx.linking_to(one)?))),
                _ => Ok(None),
            }
        });
        match found {
            Ok(Indexed { value, notices }) => (value, notices),
            Err(_) => (None, Vec::new()),
        }
    }
}
