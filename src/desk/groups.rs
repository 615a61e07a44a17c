//! Group assignment (`group:NAME` in a routing rule or an automation rule): each
//! member's load read once from the index, then updated as a run assigns, so one
//! `triage` or `automate` run spreads its tickets as the strategy says.
//!
//! The loads come from every ticket's assignee, status and `created` (the index's listed
//! values, or the files when the index cannot serve them), never from commit dates or a
//! local cache, so every clone and every scheduled job picks the same member. Uses
//! `index`, `store` and `support::routing`.

use super::{Desk, DeskError};
use crate::index::{ListRow, Quiet, StatusFilter};
use crate::model::{Config, Moment, Workflow};
use crate::support::routing::{MemberLoad, assigned, loads, pick_member};

/// Resolves assignees for one run.
#[derive(Debug, Default)]
pub struct Assigner {
    loads: Vec<MemberLoad>,
}

impl Desk {
    /// An assigner primed with every team member's load.
    pub fn assigner(&self) -> Result<Assigner, DeskError> {
        let wf = &self.store().config().workflow;
        let from_index = self
            .with_index(&Quiet, |idx| {
                let rows = idx.list_rows(&StatusFilter::Any)?;
                Ok((!rows.duplicates)
                    .then(|| Assigner::from_rows(wf, rows.rows().iter().map(|(_, row)| row))))
            })
            .ok()
            .and_then(|i| i.value);
        match from_index {
            Some(a) => Ok(a),
            None => {
                let loaded = self.store().tickets()?;
                let rows: Vec<ListRow> = loaded
                    .items
                    .iter()
                    .map(|t| ListRow::of(&t.ticket))
                    .collect();
                Ok(Assigner::from_rows(wf, rows.iter()))
            }
        }
    }
}

/// When a ticket was opened, in seconds (`None`: no time docket can read).
pub(super) fn opened_secs(created: &str) -> Option<i64> {
    Moment::parse(created).order().map(|t| t.as_second())
}

impl Assigner {
    /// An assigner primed with the loads of these tickets.
    pub(super) fn from_rows<'r, 'a: 'r>(
        wf: &Workflow,
        rows: impl Iterator<Item = &'r ListRow<'a>>,
    ) -> Assigner {
        Assigner {
            loads: loads(
                rows.map(|r| (r.assignee, !wf.is_closed(r.status), opened_secs(r.created))),
            ),
        }
    }

    /// The handle `who` stands for: itself, or for `group:NAME` the member the group's
    /// strategy picks (counted as assigned one more ticket, opened `now`).
    pub fn resolve(&mut self, config: &Config, who: &str, now: i64) -> Result<String, DeskError> {
        let handle = self.pick(config, who)?;
        if who.starts_with("group:") {
            self.count(&handle, now);
        }
        Ok(handle)
    }

    /// [`Assigner::resolve`] without counting the assignment: for a caller that counts it
    /// with [`Assigner::count`] only once it is written.
    pub fn pick(&self, config: &Config, who: &str) -> Result<String, DeskError> {
        match who.strip_prefix("group:") {
            Some(name) => {
                let group = config.groups.get(name).ok_or_else(|| {
                    DeskError::invalid(
                        format!("group `{name}` is not in the config's `groups`"),
                        "add it under `groups:` or name a team member",
                    )
                })?;
                pick_member(group, &self.loads).ok_or_else(|| {
                    DeskError::invalid(
                        format!("group `{name}` has no members"),
                        "list team handles under its `members`",
                    )
                })
            }
            None => Ok(who.to_string()),
        }
    }

    /// Counts one more open ticket given to `handle` at `now` (seconds).
    pub fn count(&mut self, handle: &str, now: i64) {
        assigned(&mut self.loads, handle, now);
    }

    /// Each member's load as this run sees it, by handle.
    pub fn loads(&self) -> &[MemberLoad] {
        &self.loads
    }
}
