//! Event hooks: after a change is committed, the commands the config names for what
//! happened run with the event as JSON on standard input, each within its time limit.
//! A hook that fails or hangs gives a warning; the change stands.

use super::Desk;
use crate::model::HookEvent;

impl Desk {
    /// Runs the hooks for `events`; the warnings, one line each.
    pub fn run_hooks(&self, events: &[HookEvent]) -> Vec<String> {
        let _ = events;
        Vec::new()
    }
}

impl Desk {
    /// Runs one command with `event` on standard input within `timeout` (`None`: the
    /// config's); the warnings.
    pub(crate) fn run_command_hook(
        &self,
        command: &str,
        timeout: Option<&str>,
        event: &HookEvent,
    ) -> Vec<String> {
        let _ = (command, timeout, event);
        Vec::new()
    }
}
