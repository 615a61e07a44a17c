//! Deferring Ctrl-C and SIGTERM while a write is half done.
//!
//! A state change passes through steps that must not be cut short by a polite signal:
//! between taking docket's write lock and the end of the commit, an exit would leave
//! git's lock files or a half-made commit behind. Such a stretch is a *critical section*:
//! [`critical`] opens one and the guard closes it. The binary installs a signal handler
//! that calls [`request_exit`]: outside every section the process exits at once; inside
//! one the exit is recorded and performed when the outermost section ends, so the step
//! finishes and git's locks are released first. Code that waits (for a lock) inside a
//! section asks [`exit_requested`] and gives up early, so Ctrl-C is never ignored for long.
//!
//! The library never installs a handler: without one no exit is ever requested and the
//! guards cost one uncontended mutex. SIGKILL cannot be deferred; what it leaves is
//! repaired by the next write (see `desk::pending`). This module imports nothing of
//! docket's.

use std::sync::Mutex;

/// How many sections are open, and the exit code asked for while one was.
struct State {
    depth: u32,
    pending: Option<i32>,
}

static STATE: Mutex<State> = Mutex::new(State {
    depth: 0,
    pending: None,
});

fn state() -> std::sync::MutexGuard<'static, State> {
    // A panic while holding this lock cannot leave the counter inconsistent (each
    // update is one statement), so a poisoned lock is still usable.
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// An open critical section; dropping it closes the section and, if it was the last one
/// and an exit was requested meanwhile, exits the process with that code.
#[must_use = "the section ends when the guard is dropped"]
#[derive(Debug)]
pub struct Critical {
    _private: (),
}

/// Opens a critical section: a requested exit waits until every open section is closed.
pub fn critical() -> Critical {
    state().depth += 1;
    Critical { _private: () }
}

impl Drop for Critical {
    fn drop(&mut self) {
        let mut s = state();
        s.depth = s.depth.saturating_sub(1);
        if s.depth == 0
            && let Some(code) = s.pending
        {
            // Exiting with the lock held keeps any other section from starting.
            std::process::exit(code);
        }
    }
}

/// Asks the process to exit with `code`: at once when no critical section is open,
/// otherwise when the last one closes. Called by the binary's signal handler thread.
pub fn request_exit(code: i32) {
    let mut s = state();
    if s.depth == 0 {
        std::process::exit(code);
    }
    s.pending.get_or_insert(code);
}

/// Whether an exit is waiting for the open sections to close, so that a wait inside one
/// can stop early.
pub fn exit_requested() -> bool {
    state().pending.is_some()
}

/// Debug builds only: stop for good at the named step when `DOCKET_TEST_PAUSE` names it,
/// so that tests can kill the process at a known point (`index-locked`: holding
/// `index.lock`; `staged`: the index written, HEAD not yet moved; `ref-noted`: the ref
/// locks noted in the lock ledger, the ref transaction not yet begun; `head-locked` and
/// `branch-locked`: the ref locks left as a kill inside gix's transaction leaves them;
/// `written`: the files written, nothing committed).
#[cfg(debug_assertions)]
pub fn test_pause(step: &str) {
    if std::env::var_os("DOCKET_TEST_PAUSE").is_some_and(|v| v == step) {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

/// Release builds have no pause points.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn test_pause(_step: &str) {}
