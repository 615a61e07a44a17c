//! How a sync finds what changed. A small desk stats every file. A large one asks its
//! watcher what the journal says since the last sync (starting a watcher when none runs
//! and the caller gave a way to start one); with no watcher it trusts the quick
//! fingerprint of folders and git's index; when the watcher is gone or cannot answer,
//! or its session is new, it stats everything. [`choose`] makes that choice from what
//! [`consult`] learnt, so the choice is tested without processes.

use std::path::Path;

use super::journal::JournalPos;
use super::manifest::Manifest;
use crate::index::watch::{self, Changes, Launcher};
use crate::store::Store;

/// Below this many files every sync stats every file (a few ms; 41,000 files take about
/// 0.3 s); above it, a watcher or the quick fingerprint decides what to stat (see the
/// module documentation of `index`).
pub const FULL_SCAN_LIMIT: usize = 5_000;

/// The journal position is saved after a read that found nothing once it has moved this
/// far, so most reads write nothing.
const SAVE_EVERY: u64 = 4096;

/// How a sync finds what changed.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    /// Stat every file; `watch` is the journal position the scan covers, if a watcher runs.
    Full {
        /// The position to record with the manifest.
        watch: Option<JournalPos>,
    },
    /// No watcher: restat the folders whose stamps changed.
    Folders,
    /// Reindex what the watcher journaled since the last sync.
    Journal {
        /// What the journal names.
        changes: Changes,
        /// The position after it, to record with the manifest.
        watch: JournalPos,
    },
}

/// What a sync of a large desk learnt from the watcher.
#[derive(Debug, PartialEq, Eq)]
pub enum Watcher {
    /// None runs that covers the data folders, and none may be started.
    Absent,
    /// One was to be started and did not come up.
    NotStarted,
    /// One runs: its session, and what its journal says since [`resume_from`] (`None`:
    /// it did not answer in time).
    Running {
        /// The session id.
        session: String,
        /// What changed since the position read from.
        changes: Option<Changes>,
    },
}

/// [`FULL_SCAN_LIMIT`], or `DOCKET_INDEX_FULL_SCAN_LIMIT` (so tests can run the large-desk
/// path on a small one).
pub fn full_scan_limit() -> usize {
    std::env::var("DOCKET_INDEX_FULL_SCAN_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(FULL_SCAN_LIMIT)
}

/// Whether the desk the manifest `glance` describes is large enough for a watcher or
/// the fingerprint (a changed config rescans everything anyway).
pub fn is_large(glance: &Manifest, config: &str, limit: usize) -> bool {
    glance.file_count >= limit && glance.config == config
}

/// Where to read a running watcher's journal from: the recorded position if it is of
/// this session; `None` for a new session, whose journal does not cover the last sync.
pub fn resume_from(recorded: Option<&JournalPos>, session: &str) -> Option<u64> {
    recorded
        .filter(|pos| pos.session == session)
        .map(|pos| pos.offset)
}

/// Chooses how to sync a large desk from the position recorded at the last sync and
/// what the watcher said.
pub fn choose(recorded: Option<&JournalPos>, watcher: Watcher) -> Plan {
    let (session, changes) = match watcher {
        Watcher::NotStarted => return Plan::Full { watch: None },
        // The last sync trusted a watcher that is gone: changes since then are unknown.
        Watcher::Absent if recorded.is_some() => return Plan::Full { watch: None },
        Watcher::Absent => return Plan::Folders,
        Watcher::Running { session, changes } => (session, changes),
    };
    let from = resume_from(recorded, &session);
    match changes {
        None => Plan::Full { watch: None },
        Some(changes) if from.is_none() || changes.rescan => Plan::Full {
            watch: Some(JournalPos {
                session,
                offset: changes.end,
            }),
        },
        Some(changes) => Plan::Journal {
            watch: JournalPos {
                session,
                offset: changes.end,
            },
            changes,
        },
    }
}

/// Whether a read that found nothing should record its position: none is recorded, or
/// it moved at least [`SAVE_EVERY`] bytes on (so later readers skip the cookies of
/// earlier ones, and most reads write nothing).
pub fn worth_recording(recorded: Option<&JournalPos>, now: &JournalPos) -> bool {
    recorded.is_none_or(|r| now.offset >= r.offset + SAVE_EVERY)
}

/// Asks the watcher what changed since `recorded`; when none runs that covers the data
/// folders, starts one through `launcher` if there is one and watchers may start.
pub fn consult(
    store: &Store,
    git_dir: &Path,
    recorded: Option<&JournalPos>,
    launcher: Option<&Launcher>,
) -> Watcher {
    let roots = watch::roots(store);
    let live = match (watch::live(git_dir), launcher) {
        (Some(l), _) if l.covers(&roots) => Some(l),
        (other, Some(launcher)) if watch::may_start(git_dir) => {
            let replace = other.is_some() || watch::outdated(git_dir);
            match watch::start(launcher, store.root(), git_dir, replace) {
                Some(l) => Some(l),
                None => return Watcher::NotStarted,
            }
        }
        _ => None,
    };
    let Some(live) = live else {
        return Watcher::Absent;
    };
    let from = resume_from(recorded, &live.id);
    Watcher::Running {
        changes: live.changes(from.unwrap_or(0)),
        session: live.id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(session: &str, offset: u64) -> JournalPos {
        JournalPos {
            session: session.into(),
            offset,
        }
    }

    fn running(session: &str, changes: Option<Changes>) -> Watcher {
        Watcher::Running {
            session: session.into(),
            changes,
        }
    }

    fn edited(end: u64) -> Changes {
        Changes {
            files: ["support/tickets/AB/T-AB.md".to_string()].into(),
            end,
            ..Changes::default()
        }
    }

    #[test]
    fn only_a_large_desk_under_the_same_config_skips_the_full_scan() {
        let glance = Manifest {
            config: "c1".into(),
            file_count: 5_000,
            ..Manifest::default()
        };
        assert!(is_large(&glance, "c1", 5_000));
        assert!(!is_large(&glance, "c2", 5_000), "a new config rescans");
        assert!(
            !is_large(&glance, "c1", 5_001),
            "a small desk stats every file"
        );
        assert!(!is_large(&Manifest::default(), "", 1), "no manifest yet");
    }

    #[test]
    fn without_a_watcher_the_folders_decide_unless_the_last_sync_trusted_one() {
        assert_eq!(choose(None, Watcher::Absent), Plan::Folders);
        assert_eq!(
            choose(Some(&pos("s", 10)), Watcher::Absent),
            Plan::Full { watch: None }
        );
        assert_eq!(
            choose(None, Watcher::NotStarted),
            Plan::Full { watch: None }
        );
        assert_eq!(
            choose(Some(&pos("s", 10)), Watcher::NotStarted),
            Plan::Full { watch: None }
        );
    }

    #[test]
    fn a_watcher_that_does_not_answer_means_a_full_scan_without_a_position() {
        assert_eq!(
            choose(Some(&pos("s", 10)), running("s", None)),
            Plan::Full { watch: None }
        );
    }

    #[test]
    fn a_new_session_or_lost_events_mean_a_full_scan_that_records_the_position() {
        let full_at = |offset| Plan::Full {
            watch: Some(pos("s", offset)),
        };
        assert_eq!(choose(None, running("s", Some(edited(40)))), full_at(40));
        assert_eq!(
            choose(Some(&pos("old", 10)), running("s", Some(edited(40)))),
            full_at(40),
            "another session's offset means nothing in this journal"
        );
        let lost = Changes {
            rescan: true,
            ..edited(50)
        };
        assert_eq!(
            choose(Some(&pos("s", 10)), running("s", Some(lost))),
            full_at(50)
        );
    }

    #[test]
    fn the_same_session_reindexes_what_its_journal_names() {
        assert_eq!(
            choose(Some(&pos("s", 10)), running("s", Some(edited(40)))),
            Plan::Journal {
                changes: edited(40),
                watch: pos("s", 40),
            }
        );
        assert_eq!(resume_from(Some(&pos("s", 10)), "s"), Some(10));
        assert_eq!(resume_from(Some(&pos("s", 10)), "t"), None);
    }

    #[test]
    fn an_idle_journal_position_is_recorded_now_and_then() {
        assert!(worth_recording(None, &pos("s", 1)));
        assert!(!worth_recording(
            Some(&pos("s", 100)),
            &pos("s", 100 + 4095)
        ));
        assert!(worth_recording(Some(&pos("s", 100)), &pos("s", 100 + 4096)));
    }
}
