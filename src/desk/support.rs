//! `sla` and `report`: every ticket's SLA facts, from the index's fast field (computed
//! when the ticket was indexed) or, when asked or when the index cannot answer, from the
//! files; both are the same [`FactRow`]s (a test holds them equal).

use super::{Desk, DeskError, Indexed};
use crate::index::{Progress, StatusFilter};
use crate::model::Customer;
use crate::support::report::{Report, ReportQuery, report};
use crate::support::sla::{Alert, AttentionQuery, Calendars, FactRow, Want, attention};

/// Where the facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FactSource {
    /// The search index (falling back to the files when it cannot answer).
    #[default]
    Index,
    /// The files alone.
    Files,
}

impl Desk {
    /// The facts of every ticket (only the open ones with `open_only`).
    pub fn fact_rows(
        &self,
        open_only: bool,
        want: Want,
        source: FactSource,
        progress: &dyn Progress,
    ) -> Result<Indexed<Vec<FactRow>>, DeskError> {
        let closed = self.store().config().workflow.closed.clone();
        if source == FactSource::Index {
            let filter = if open_only {
                StatusFilter::NoneOf(closed.clone())
            } else {
                StatusFilter::Any
            };
            if let Ok(found) = self.with_index(progress, |idx| idx.fact_rows(&filter, want)) {
                let mut found = found;
                // The index compares statuses without case; the workflow does not.
                if open_only {
                    found.value.retain(|r| !closed.contains(&r.status));
                }
                return Ok(found);
            }
        }
        Ok(Indexed {
            value: self.fact_rows_from_files(open_only)?,
            notices: Vec::new(),
        })
    }

    /// The facts of every ticket, read from the files: the same rows the index keeps.
    fn fact_rows_from_files(&self, open_only: bool) -> Result<Vec<FactRow>, DeskError> {
        let store = self.store();
        let config = store.config();
        let calendars = Calendars::new(config);
        let customers = store.customers()?;
        let by_slug: std::collections::HashMap<&str, &Customer> = customers
            .items
            .iter()
            .map(|c| (c.slug.as_str(), &c.value))
            .collect();
        let mut out = Vec::new();
        for t in store.tickets()?.items {
            if open_only && config.workflow.is_closed(&t.ticket.status) {
                continue;
            }
            let entries = store.timeline(&t.rel)?.items;
            let customer = t
                .ticket
                .customer
                .as_deref()
                .and_then(|c| by_slug.get(c).copied());
            if let Some((row, _)) = FactRow::of(
                &t.ticket,
                entries.iter().map(|e| &e.entry),
                customer,
                config,
                &calendars,
            ) {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// The open tickets whose SLA clocks are breached or at risk.
    pub fn sla(
        &self,
        q: &AttentionQuery,
        source: FactSource,
        progress: &dyn Progress,
    ) -> Result<Indexed<Vec<Alert>>, DeskError> {
        let rows = self.fact_rows(true, Want::default(), source, progress)?;
        let calendars = Calendars::new(self.store().config());
        Ok(Indexed {
            value: attention(&rows.value, &calendars, q),
            notices: rows.notices,
        })
    }

    /// The desk's figures over a span.
    pub fn report(
        &self,
        q: &ReportQuery,
        source: FactSource,
        progress: &dyn Progress,
    ) -> Result<Indexed<Report>, DeskError> {
        let want = Want {
            title: false,
            labels: q.by == crate::support::report::GroupBy::Label,
            names: false,
        };
        let rows = self.fact_rows(false, want, source, progress)?;
        let customers: Vec<Customer> = self
            .store()
            .customers()?
            .items
            .into_iter()
            .map(|c| c.value)
            .collect();
        Ok(Indexed {
            value: report(&rows.value, &customers, q),
            notices: rows.notices,
        })
    }
}
