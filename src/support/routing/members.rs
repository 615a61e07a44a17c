//! Group members' loads and the member an assignment goes to: round robin by when each
//! member's latest ticket was opened, or the fewest open tickets.

use crate::model::{Group, GroupStrategy};

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
    let load = |h: &str| loads.iter().find(|l| l.handle == h);
    let picked = match group.strategy {
        // `min_by_key` keeps the first of equal keys: the member listed first.
        GroupStrategy::RoundRobin => group
            .members
            .iter()
            .min_by_key(|m| load(m).and_then(|l| l.latest)),
        GroupStrategy::FewestOpen => group
            .members
            .iter()
            .min_by_key(|m| load(m).map_or(0, |l| l.open)),
    };
    picked.cloned()
}

/// Each assignee's load from every ticket's `(assignee, open, opened)`, by handle.
pub fn loads<'a>(
    tickets: impl IntoIterator<Item = (Option<&'a str>, bool, Option<i64>)>,
) -> Vec<MemberLoad> {
    let mut by: std::collections::BTreeMap<&str, MemberLoad> = Default::default();
    for (who, open, opened) in tickets {
        let Some(who) = who.filter(|w| !w.is_empty()) else {
            continue;
        };
        let l = by.entry(who).or_insert_with(|| MemberLoad {
            handle: who.to_string(),
            open: 0,
            latest: None,
        });
        l.open += usize::from(open);
        l.latest = l.latest.max(opened);
    }
    by.into_values().collect()
}

/// Counts an open ticket given to `handle` at `at` (seconds): one more open ticket, and
/// the newest latest ticket of all loads (at `at`, or a second after the newest so far),
/// so that round robin moves on to the next member even within one second.
pub fn assigned(loads: &mut Vec<MemberLoad>, handle: &str, at: i64) {
    let newest = loads.iter().filter_map(|l| l.latest).max();
    let at = newest.map_or(at, |n| at.max(n.saturating_add(1)));
    match loads.iter_mut().find(|l| l.handle == handle) {
        Some(l) => {
            l.open += 1;
            l.latest = Some(at);
        }
        None => loads.push(MemberLoad {
            handle: handle.to_string(),
            open: 1,
            latest: Some(at),
        }),
    }
}
