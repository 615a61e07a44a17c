//! One ticket as `sla` and `report` read it: the values they print and group by, and the
//! facts of its timeline; kept by the index in one fast field, and built the same way
//! from the files.

use super::{Calendars, Facts, Timeline, decode, encode, facts};
use crate::model::{Config, Customer, Entry, Ticket};
use crate::support::{Standing, standing};

/// One ticket's facts as the index keeps them, with the values `sla` prints and
/// `report` groups by.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRow {
    /// Ticket id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status as written.
    pub status: String,
    /// Assignee handle.
    pub assignee: Option<String>,
    /// Customer slug.
    pub customer: Option<String>,
    /// The customer's tier, if it has one.
    pub tier: Option<String>,
    /// The priority band it has (by hand or from its score).
    pub band: String,
    /// Labels.
    pub labels: Vec<String>,
    /// What its timeline says.
    pub facts: Facts,
}

impl FactRow {
    /// The row of a ticket, from its values, the entries of its folder and its customer
    /// record: what the index keeps, and what the files give when asked directly. None
    /// when `created` is no instant.
    pub fn of<'a>(
        k: &Ticket,
        entries: impl IntoIterator<Item = &'a Entry>,
        customer: Option<&Customer>,
        config: &Config,
        calendars: &Calendars,
    ) -> Option<(FactRow, Standing)> {
        let standing = standing(config, k, customer);
        let timeline = Timeline::build(k, entries, config)?;
        let facts = facts(&timeline, standing.terms.as_ref(), calendars, config);
        let row = FactRow {
            id: k.id.to_string(),
            title: k.title.clone(),
            status: k.status.clone(),
            assignee: k.assignee.clone(),
            customer: k.customer.clone(),
            tier: customer.and_then(|c| c.tier.clone()),
            band: standing.priority.band.clone(),
            labels: k.labels.clone(),
            facts,
        };
        Some((row, standing))
    }
}

/// The bytes of the `sla` field: the values, then the facts.
pub fn encode_row(row: &FactRow) -> Vec<u8> {
    let mut out = Vec::with_capacity(160);
    let mut put = |s: &str| {
        let n = s.len().min(u16::MAX as usize);
        out.extend_from_slice(&(n as u16).to_le_bytes());
        out.extend_from_slice(&s.as_bytes()[..n]);
    };
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    for s in [
        row.id.clone(),
        row.title.clone(),
        row.status.clone(),
        opt(&row.assignee),
        opt(&row.customer),
        opt(&row.tier),
        row.band.clone(),
    ] {
        put(&s);
    }
    let n = row.labels.len().min(255);
    put(&n.to_string());
    for l in row.labels.iter().take(n) {
        put(l);
    }
    out.extend_from_slice(&encode(&row.facts));
    out
}

/// A [`FactRow`] from its bytes; None for bytes that do not read back.
pub fn decode_row(bytes: &[u8]) -> Option<FactRow> {
    let mut rest = bytes;
    let mut take = || -> Option<String> {
        let (head, tail) = rest.split_at_checked(2)?;
        let n = u16::from_le_bytes(head.try_into().ok()?) as usize;
        let (s, tail) = tail.split_at_checked(n)?;
        rest = tail;
        Some(std::str::from_utf8(s).ok()?.to_string())
    };
    let some = |s: String| (!s.is_empty()).then_some(s);
    let id = take()?;
    let title = take()?;
    let status = take()?;
    let assignee = some(take()?);
    let customer = some(take()?);
    let tier = some(take()?);
    let band = take()?;
    let n: usize = take()?.parse().ok()?;
    let mut labels = Vec::with_capacity(n);
    for _ in 0..n {
        labels.push(take()?);
    }
    Some(FactRow {
        id,
        title,
        status,
        assignee,
        customer,
        tier,
        band,
        labels,
        facts: decode(rest)?,
    })
}
