//! Which tickets `triage` looks at: open ones with every field of `triage.untriaged`
//! empty, oldest first. The index's listed values narrow them down (status, and the
//! assignee, customer, importance and urgency it lists); then each remaining ticket's
//! file is read, for the fields the index does not list (type, labels, a hand-set
//! priority, custom fields) and for its text. Without a usable index, the files alone.

use crate::index::{ListRow, Progress, StatusFilter};
use crate::model::{Config, Ticket};
use crate::store::TicketFile;

use super::super::groups::{Assigner, opened_secs};
use super::super::{Desk, DeskError, Indexed};

/// An untriaged ticket: its shortest unique id prefix and its file.
pub(super) struct Candidate {
    pub short: String,
    pub file: TicketFile,
}

/// What the reading found.
pub(super) struct Candidates {
    /// Oldest first (then by id).
    pub tickets: Vec<Candidate>,
    /// With `loads`: an assigner primed from the same rows.
    pub assigner: Option<Assigner>,
    /// Files that did not load, one message each.
    pub problems: Vec<String>,
    /// The index's notices.
    pub notices: Vec<String>,
}

/// Whether a value counts as empty: absent, null, blank text or an empty list.
fn blank(v: Option<&serde_json::Value>) -> bool {
    match v {
        None | Some(serde_json::Value::Null) => true,
        Some(serde_json::Value::String(s)) => s.trim().is_empty(),
        Some(serde_json::Value::Array(a)) => a.is_empty(),
        Some(_) => false,
    }
}

fn none_or_blank(v: Option<&str>) -> bool {
    v.is_none_or(|s| s.trim().is_empty())
}

/// Whether every field of `triage.untriaged` is empty on a ticket.
pub(super) fn untriaged(config: &Config, k: &Ticket) -> bool {
    config.triage.untriaged.iter().all(|f| match f.as_str() {
        "assignee" => none_or_blank(k.assignee.as_deref()),
        "type" => none_or_blank(k.kind.as_deref()),
        "labels" => k.labels.is_empty(),
        "priority" => none_or_blank(k.priority.as_deref()),
        "customer" => none_or_blank(k.customer.as_deref()),
        "importance" => k.importance.is_none(),
        "urgency" => k.urgency.is_none(),
        other => blank(k.extra.get(other)),
    })
}

/// Whether a listed row may be untriaged, judged by the values the index lists (the
/// file decides the rest).
fn may_be_untriaged(config: &Config, r: &ListRow) -> bool {
    !config.workflow.is_closed(r.status)
        && config.triage.untriaged.iter().all(|f| match f.as_str() {
            "assignee" => none_or_blank(r.assignee),
            "customer" => none_or_blank(r.customer),
            "importance" => r.importance.is_none(),
            "urgency" => r.urgency.is_none(),
            _ => true,
        })
}

/// Oldest first, then by id.
fn oldest_first(tickets: &mut [Candidate]) {
    tickets.sort_by_cached_key(|c| {
        (
            opened_secs(c.file.ticket.created.as_str()),
            c.file.ticket.id.to_string(),
        )
    });
}

impl Desk {
    /// The untriaged tickets, and with `loads` an assigner primed from the same read.
    pub(super) fn triage_candidates(
        &self,
        loads: bool,
        progress: &dyn Progress,
    ) -> Result<Candidates, DeskError> {
        let config = self.store().config();
        let wf = &config.workflow;
        let filter = if loads {
            StatusFilter::Any
        } else {
            StatusFilter::NoneOf(wf.closed.clone())
        };
        let read = self.with_index(progress, |idx| {
            let rows = idx.list_rows(&filter)?;
            if rows.duplicates {
                return Ok(None);
            }
            let listed = rows.rows();
            let assigner = loads.then(|| Assigner::from_rows(wf, listed.iter().map(|(_, r)| r)));
            let wanted: Vec<(String, String)> = listed
                .iter()
                .filter(|(_, r)| may_be_untriaged(config, r))
                .map(|(short, r)| (short.to_string(), r.id.to_string()))
                .collect();
            let problems: Vec<String> = rows.problems.iter().map(|(_, m)| m.clone()).collect();
            Ok(Some((wanted, assigner, problems)))
        });
        let Ok(Indexed {
            value: Some((wanted, assigner, mut problems)),
            notices,
        }) = read
        else {
            return self.candidates_from_files(loads);
        };
        let mut tickets = Vec::new();
        for (short, id) in wanted {
            match self.store().ticket(&id) {
                Ok(file) if untriaged(config, &file.ticket) => {
                    tickets.push(Candidate { short, file })
                }
                Ok(_) => {}
                Err(e) => problems.push(e.to_string()),
            }
        }
        oldest_first(&mut tickets);
        Ok(Candidates {
            tickets,
            assigner,
            problems,
            notices,
        })
    }

    /// [`Desk::triage_candidates`] from the files alone.
    fn candidates_from_files(&self, loads: bool) -> Result<Candidates, DeskError> {
        let config = self.store().config();
        let loaded = self.store().tickets()?;
        let problems = loaded.problems.iter().map(ToString::to_string).collect();
        let assigner = loads.then(|| {
            let rows: Vec<ListRow> = loaded
                .items
                .iter()
                .map(|t| ListRow::of(&t.ticket))
                .collect();
            Assigner::from_rows(&config.workflow, rows.iter())
        });
        let ids: Vec<&str> = loaded.items.iter().map(|t| t.ticket.id.as_str()).collect();
        let shorts: Vec<String> = self
            .store()
            .short_ids(&ids)
            .into_iter()
            .map(str::to_string)
            .collect();
        let mut tickets: Vec<Candidate> = loaded
            .items
            .into_iter()
            .zip(shorts)
            .filter(|(f, _)| {
                !config.workflow.is_closed(&f.ticket.status) && untriaged(config, &f.ticket)
            })
            .map(|(file, short)| Candidate { short, file })
            .collect();
        oldest_first(&mut tickets);
        Ok(Candidates {
            tickets,
            assigner,
            problems,
            notices: Vec::new(),
        })
    }
}
