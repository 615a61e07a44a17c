//! `sla_breached` events, fired once per ticket and target however often `sla` or
//! `automate` sees the breach: what was announced is kept in
//! `.git/docket/hooks-sla.json` (per clone, like the index; replaced whole), under its
//! own lock so two commands at once announce a breach once.
//!
//! Only when some hook listens for `sla_breached` is anything recorded: a desk without
//! such a hook keeps `sla` a pure read, and a hook added later hears of the targets
//! breached by then, once. A breach is recorded as announced before its hooks run, so a
//! hook that fails is not retried on every run (its warning says it failed). A state
//! file that does not read is started afresh.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::desk::{Desk, DeskError};
use crate::model::{HookEvent, HookKind, format_time};
use crate::store::StoreError;
use crate::support::sla::Alert;

/// The state file's name under `.git/docket/`.
const STATE: &str = "hooks-sla.json";

/// What was announced: `ID target` strings.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Announced {
    announced: BTreeSet<String>,
}

impl Desk {
    /// Announces the breached targets among `alerts` not announced before to the
    /// `sla_breached` hooks (what `sla` and `automate` do once they have their alerts);
    /// the warnings.
    pub fn announce_sla_breaches(&self, alerts: &[Alert]) -> Vec<String> {
        match self.sla_breach_events(alerts) {
            Ok(events) => self.run_hooks(&events),
            Err(e) => vec![format!("sla_breached hooks not run: {e}")],
        }
    }

    /// The `sla_breached` events for the breached targets among `alerts` (as
    /// [`Desk::sla`] gives them, or `support::sla::attention`) not announced before, now
    /// recorded as announced; pass them to [`Desk::run_hooks`]. None, and nothing
    /// recorded, when no hook listens for `sla_breached`.
    pub fn sla_breach_events(&self, alerts: &[Alert]) -> Result<Vec<HookEvent>, DeskError> {
        if !self.hooks_listen(HookKind::SlaBreached) {
            return Ok(Vec::new());
        }
        let breached: Vec<&Alert> = alerts.iter().filter(|a| a.state == "breached").collect();
        if breached.is_empty() {
            return Ok(Vec::new());
        }
        let dir = self.repo().git_dir().join("docket");
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        let lock_path = dir.join("hooks-sla.lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io(&lock_path, e))?;
        lock.lock().map_err(|e| io(&lock_path, e))?;
        let path = dir.join(STATE);
        let mut state: Announced = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let actor = self
            .author()
            .map(|a| a.to_string())
            .unwrap_or_else(|_| "docket".into());
        let time = format_time(self.now());
        let mut events = Vec::new();
        for a in breached {
            let key = format!("{} {}", a.id, a.target);
            if state.announced.contains(&key) {
                continue;
            }
            let Ok(entry) = self.store().resolve(&a.id) else {
                continue;
            };
            let Some(ticket) = self.hook_ticket(&entry.rel, None) else {
                continue;
            };
            events.push(HookEvent {
                event: HookKind::SlaBreached,
                time: time.clone(),
                actor: actor.clone(),
                ticket,
                from: None,
                to: None,
                comment: None,
                target: Some(a.target.to_string()),
                rule: None,
                commit: None,
            });
            state.announced.insert(key);
        }
        if !events.is_empty() {
            let mut text =
                serde_json::to_vec_pretty(&state).map_err(|error| DeskError::Record {
                    path: path.clone(),
                    error,
                })?;
            text.push(b'\n');
            crate::atomic::replace(&path, &text, crate::atomic::Durability::Synced)
                .map_err(|e| io(&path, e))?;
        }
        drop(lock);
        Ok(events)
    }
}

/// An I/O error on a file under the git directory.
fn io(path: &std::path::Path, error: std::io::Error) -> DeskError {
    StoreError::Io {
        path: PathBuf::from(path),
        error,
    }
    .into()
}
