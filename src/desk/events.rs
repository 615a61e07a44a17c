//! Timeline events: every change of a ticket's status, assignee or priority band is also
//! written as an event file in the ticket's folder, named like a comment, in the same
//! commit as the one-line change of the ticket file. The priority compared is the band
//! the ticket ends up with (by hand, or from importance, urgency and the tier), so a
//! change of urgency that moves the band is recorded too.

use super::{Desk, DeskError};
use crate::doc::{Document, Value};
use crate::model::{Customer, EventKind, Ticket, crockford, format_time};
use crate::store::Store;
use crate::support::standing;

impl Desk {
    /// A new file name in a ticket's folder for an entry by the current author,
    /// `<stamp>-<who>-<rand>.md`, free on disk and not among `taken`.
    pub(super) fn entry_rel(
        &self,
        store: &Store,
        ticket_rel: &str,
        taken: &[String],
    ) -> Result<String, DeskError> {
        let author = self.author()?;
        let who = store
            .config()
            .team_member(&author.to_string())
            .map(|m| m.handle.clone())
            .unwrap_or_else(|| super::author_slug(&author.name, &author.email));
        // Milliseconds keep entries made in the same second in order.
        let precise = self.now_precise();
        let stamp = format!(
            "{}{:03}Z",
            precise.strftime("%Y%m%dT%H%M%S"),
            precise.subsec_millisecond()
        );
        let mut random = self.random(false)?;
        loop {
            let suffix = crockford(&random.bytes::<4>());
            let rel = format!(
                "{}/{stamp}-{who}-{suffix}.md",
                store.comments_rel(ticket_rel)
            );
            if !store.exists(&rel) && !taken.contains(&rel) {
                return Ok(rel);
            }
        }
    }

    /// The event files for what changed between two versions of a ticket: path and
    /// text of each.
    pub(super) fn events_between(
        &self,
        store: &Store,
        ticket_rel: &str,
        before: &Ticket,
        after: &Ticket,
        taken: &[String],
    ) -> Result<Vec<(String, String)>, DeskError> {
        let config = store.config();
        let customer_of = |t: &Ticket| -> Result<Option<Customer>, DeskError> {
            match &t.customer {
                Some(slug) => Ok(store.customer_values(slug)?),
                None => Ok(None),
            }
        };
        let mut changes = Vec::new();
        if before.status != after.status {
            changes.push((
                EventKind::Status,
                Some(before.status.clone()),
                Some(after.status.clone()),
            ));
        }
        if before.assignee != after.assignee {
            changes.push((
                EventKind::Assignee,
                before.assignee.clone(),
                after.assignee.clone(),
            ));
        }
        let touches_priority = before.priority != after.priority
            || before.importance != after.importance
            || before.urgency != after.urgency
            || before.customer != after.customer;
        if touches_priority {
            // One read of the customer record when the change leaves the customer alone.
            let was_customer = customer_of(before)?;
            let is_customer = if before.customer == after.customer {
                was_customer.clone()
            } else {
                customer_of(after)?
            };
            let was = standing(config, before, was_customer.as_ref())
                .priority
                .band;
            let is = standing(config, after, is_customer.as_ref()).priority.band;
            if was != is {
                changes.push((EventKind::Priority, Some(was), Some(is)));
            }
        }
        let author = self.author()?.to_string();
        let created = format_time(self.now());
        let mut out: Vec<(String, String)> = Vec::new();
        for (kind, from, to) in changes {
            let taken: Vec<String> = taken
                .iter()
                .cloned()
                .chain(out.iter().map(|(p, _)| p.clone()))
                .collect();
            let rel = self.entry_rel(store, ticket_rel, &taken)?;
            let opt = |v: Option<String>| v.map_or(Value::Null, Value::String);
            let doc = Document::create(
                &[
                    ("author", Value::String(author.clone())),
                    ("created", Value::String(created.clone())),
                    ("event", Value::String(kind.as_str().into())),
                    ("from", opt(from)),
                    ("to", opt(to)),
                ],
                "",
            )
            .map_err(DeskError::unstorable(&rel))?;
            out.push((rel, doc.text().to_string()));
        }
        Ok(out)
    }
}
