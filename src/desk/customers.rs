//! Reading customer records for `customer list` and `customer show`: the records a query
//! asks for, each with how many of its tickets are open, and one customer's tickets
//! newest first. Uses `store` and `model`.

use std::collections::BTreeMap;

use crate::model::Customer;
use crate::store::{Problem, RecordFile, TicketFile};

use super::{Desk, DeskError};

/// Which customers to list.
#[derive(Debug, Clone, Default)]
pub struct CustomerQuery {
    /// Only this tier.
    pub tier: Option<String>,
    /// Only customers with every one of these tags.
    pub tags: Vec<String>,
}

impl CustomerQuery {
    /// Whether the query lets a customer through.
    pub fn matches(&self, c: &Customer) -> bool {
        self.tier
            .as_ref()
            .is_none_or(|t| c.tier.as_ref() == Some(t))
            && self.tags.iter().all(|t| c.tags.iter().any(|x| x == t))
    }
}

/// A customer record and the count of its tickets.
#[derive(Debug)]
pub struct CustomerSummary {
    /// The record.
    pub record: RecordFile<Customer>,
    /// Its tickets with a status that is not closed.
    pub open: usize,
    /// All its tickets.
    pub total: usize,
}

/// `customer list`: the customers a query lets through, in file order.
#[derive(Debug)]
pub struct CustomerListing {
    /// The customers.
    pub customers: Vec<CustomerSummary>,
    /// Customer files that did not load (they are left out).
    pub problems: Vec<Problem>,
}

/// `customer show`: one customer with its tickets.
#[derive(Debug)]
pub struct CustomerTickets {
    /// The record and its counts.
    pub summary: CustomerSummary,
    /// Its tickets, newest first, each with whether it counts as closed.
    pub tickets: Vec<(TicketFile, bool)>,
}

impl Desk {
    /// The customers `query` lets through, with their ticket counts.
    pub fn customers(&self, query: &CustomerQuery) -> Result<CustomerListing, DeskError> {
        let store = self.store();
        let loaded = store.customers()?;
        let tickets = store.tickets()?;
        let wf = &store.config().workflow;
        let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for t in &tickets.items {
            if let Some(c) = t.ticket.customer.as_deref() {
                let n = counts.entry(c).or_default();
                n.0 += usize::from(!wf.is_closed(&t.ticket.status));
                n.1 += 1;
            }
        }
        let customers = loaded
            .items
            .into_iter()
            .filter(|r| query.matches(&r.value))
            .map(|record| {
                let (open, total) = counts
                    .get(record.slug.as_str())
                    .copied()
                    .unwrap_or_default();
                CustomerSummary {
                    record,
                    open,
                    total,
                }
            })
            .collect();
        Ok(CustomerListing {
            customers,
            problems: loaded.problems,
        })
    }

    /// The customer with this slug and its tickets.
    pub fn customer_tickets(&self, slug: &str) -> Result<CustomerTickets, DeskError> {
        let store = self.store();
        let record = store.customer(slug)?;
        let wf = &store.config().workflow;
        let mut tickets: Vec<(TicketFile, bool)> = store
            .tickets()?
            .items
            .into_iter()
            .filter(|t| t.ticket.customer.as_deref() == Some(record.slug.as_str()))
            .map(|t| {
                let closed = wf.is_closed(&t.ticket.status);
                (t, closed)
            })
            .collect();
        tickets.sort_by_key(|(t, _)| std::cmp::Reverse(t.ticket.created.moment().order()));
        let open = tickets.iter().filter(|(_, closed)| !closed).count();
        Ok(CustomerTickets {
            summary: CustomerSummary {
                record,
                open,
                total: tickets.len(),
            },
            tickets,
        })
    }
}
