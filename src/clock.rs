//! The wall clock as docket's own files record it: nanoseconds since the Unix epoch, the
//! unit of the index manifest's stamps, of the watcher's session and cookie names and of
//! the lock ledger's marker names. A leaf: it uses nothing of docket's. (The time written
//! into tickets and commits is the desk's clock, `DOCKET_NOW`-aware, not this one.)

use std::time::{SystemTime, UNIX_EPOCH};

/// Nanoseconds since the epoch, now (0 for a clock set before 1970).
pub fn now_ns() -> i128 {
    since_epoch_ns(SystemTime::now())
}

/// Nanoseconds from the epoch to `t` (0 before it).
pub fn since_epoch_ns(t: SystemTime) -> i128 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}
