//! One ticket as `sla` and `report` read it: the values they print and group by, and the
//! facts of its timeline; kept by the index in one fast field, and built the same way
//! from the files.

use super::codec::decode_with;
use super::{Calendars, Facts, Timeline, encode, facts};
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

/// Which of a row's texts a reader needs: `report` over 100,000 tickets needs no titles
/// (and labels only by label), and not making them saves most of its allocations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Want {
    /// The title.
    pub title: bool,
    /// The labels.
    pub labels: bool,
    /// The id, the status, the band, and the policy's and calendar's names.
    pub names: bool,
}

impl Default for Want {
    fn default() -> Self {
        Want {
            title: true,
            labels: true,
            names: true,
        }
    }
}

/// A [`FactRow`] from its bytes with only the texts `want` asks for (the others empty);
/// None for bytes that do not read back.
pub fn decode_row_with(bytes: &[u8], want: Want) -> Option<FactRow> {
    let mut rest = bytes;
    // Each text is checked as UTF-8 only when it is kept.
    let mut take = || -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(2)?;
        let n = u16::from_le_bytes(head.try_into().ok()?) as usize;
        let (s, tail) = tail.split_at_checked(n)?;
        rest = tail;
        Some(s)
    };
    let text = |s: &[u8], keep: bool| -> Option<String> {
        if keep {
            std::str::from_utf8(s).ok().map(str::to_string)
        } else {
            Some(String::new())
        }
    };
    let some = |s: &[u8]| -> Option<Option<String>> {
        let s = std::str::from_utf8(s).ok()?;
        Some((!s.is_empty()).then(|| s.to_string()))
    };
    let id = text(take()?, want.names)?;
    let title = text(take()?, want.title)?;
    let status = text(take()?, want.names)?;
    let assignee = some(take()?)?;
    let customer = some(take()?)?;
    let tier = some(take()?)?;
    let band = text(take()?, want.names)?;
    let n: usize = std::str::from_utf8(take()?).ok()?.parse().ok()?;
    let mut labels = Vec::with_capacity(if want.labels { n } else { 0 });
    for _ in 0..n {
        let l = take()?;
        if want.labels {
            labels.push(text(l, true)?);
        }
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
        facts: decode_with(rest, want.names)?,
    })
}
