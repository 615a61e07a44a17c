//! `rm`: deleting a ticket, its file and its comment folder, as one transaction with one
//! commit (`docket: rm T-4K7QX2M9AB "title"`), recorded under `.git/docket/pending` like
//! every write so a kill at any moment is finished or reported by the next writer. A
//! ticket that others link to is refused unless forced, as their links would then name a
//! ticket that is gone. Uses `store` and the back-links of the index.

use crate::index::Progress;

use super::{Backlink, Change, Desk, DeskError, Outcome};

/// What `rm` did.
#[derive(Debug)]
pub struct Removed {
    /// The transaction's outcome.
    pub outcome: Outcome,
    /// The tickets that still link to the removed one (only when forced).
    pub linked: Vec<Backlink>,
}

impl Desk {
    /// Deletes the ticket whose id starts with `prefix` and its comment folder in one
    /// commit; refused with [`DeskError::Linked`] when other tickets link to it, unless
    /// `force`.
    pub fn remove(
        &self,
        prefix: &str,
        force: bool,
        progress: &dyn Progress,
    ) -> Result<Removed, DeskError> {
        let mut linked = Vec::new();
        let outcome = self.transact_removing(|store| {
            let t = store.ticket(prefix)?;
            let id = t.ticket.id.clone();
            linked = self.backlinks(id.as_str(), progress)?.value;
            if !linked.is_empty() && !force {
                return Err(DeskError::Linked {
                    id: id.to_string(),
                    by: linked.clone(),
                });
            }
            let files = store.ticket_files(&t.rel)?;
            let others = files.len() - 1;
            let mut details = vec![match others {
                0 => format!("removed {}", t.rel),
                1 => format!("removed {} and 1 file of its folder", t.rel),
                n => format!("removed {} and {n} files of its folder", t.rel),
            }];
            if !linked.is_empty() {
                let names: Vec<String> = linked
                    .iter()
                    .map(|b| format!("{} ({})", b.id, b.kind.key()))
                    .collect();
                details.push(format!("still linked from: {}", names.join(", ")));
            }
            let change = Change {
                action: "rm",
                id: Some(id),
                title: t.ticket.title.clone(),
                files: Vec::new(),
                details,
                trailers: Vec::new(),
            };
            Ok((change, files))
        })?;
        Ok(Removed { outcome, linked })
    }
}
