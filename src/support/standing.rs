//! Where a ticket stands with its customer: its priority (importance, urgency and the
//! customer's tier) and the SLA terms that follow from the tier, the band and the
//! customer record's own `sla:`. The index and the desk both ask here, so they agree.

use crate::model::{Config, Customer, Ticket};

use super::priority::{Priority, priority};
use super::sla::{Terms, terms};

/// A ticket's priority and SLA terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// The priority band and how it came about.
    pub priority: Priority,
    /// The SLA targets that apply, if any.
    pub terms: Option<Terms>,
}

/// The standing of a ticket whose customer record (if any) is `customer`.
pub fn standing(config: &Config, ticket: &Ticket, customer: Option<&Customer>) -> Standing {
    let tier = customer.and_then(|c| c.tier.as_deref());
    let priority = priority(
        &config.priority,
        ticket.importance,
        ticket.urgency,
        tier,
        ticket.priority.as_deref(),
    );
    let terms = terms(
        config,
        tier,
        &priority.band,
        customer.and_then(|c| c.sla.as_ref()),
    );
    Standing { priority, terms }
}
