//! Incremental sync: find the data files that changed since the last sync, and reindex
//! only their documents (a comment belongs to its ticket's document). The parts:
//!
//! - `plan`: how to find what changed (stat everything, ask the watcher's journal, or
//!   trust the quick fingerprint);
//! - `scan`: statting files; `fingerprint`: the folder and git-index stamps;
//!   `journal`: what the watcher's lines name;
//! - `manifest`: what was indexed, written atomically after the index commit;
//! - `documents`: the tantivy document of each record.
//!
//! This file is the driver that runs a plan and records the result.

mod documents;
mod fingerprint;
mod journal;
mod manifest;
mod plan;
mod scan;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use documents::Owner;
use journal::{JournalPos, Touched};
use manifest::{Manifest, config_hash, group_of};
use plan::Plan;

use super::watch::Launcher;
use super::{IndexError, Progress, SearchIndex};
use crate::clock::now_ns;
use crate::store::Store;

/// What a sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Documents reindexed or removed.
    pub changed: usize,
    /// Whether another process held the writer, so the answer is from its last state.
    pub stale: bool,
}

/// What every step of one sync needs.
struct Pass<'a> {
    store: &'a Store,
    git_dir: PathBuf,
    /// The hash of the config now.
    config: String,
    /// When the sync began (ns since the epoch), for the racy-stamp rule.
    scan_start: i128,
    progress: &'a dyn Progress,
}

/// What one sync found, for [`SearchIndex::apply`] to reindex and record.
struct Found {
    /// The manifest groups it covers (all when `None`).
    scope: Option<BTreeSet<String>>,
    /// The manifest of those groups as the files are now.
    now: Manifest,
    /// Documents to reindex whatever their stamps say.
    forced: BTreeSet<Owner>,
    /// The journal position `now` covers, when a watcher runs.
    watch: Option<JournalPos>,
}

impl SearchIndex {
    fn manifest_dir(&self) -> PathBuf {
        self.dir.join("manifest")
    }

    /// Brings the index up to date with the files: reindexes what changed since the last
    /// sync. When another process holds the writer for too long, leaves the index as it
    /// is (the answer comes from its last committed state). On a large desk, `launcher`
    /// starts a watcher when none runs (`None`: never start one).
    pub fn sync(
        &mut self,
        store: &Store,
        progress: &dyn Progress,
        launcher: Option<&Launcher>,
    ) -> Result<SyncReport, IndexError> {
        let pass = Pass {
            store,
            git_dir: self.git_dir().to_path_buf(),
            config: config_hash(store),
            scan_start: now_ns(),
            progress,
        };
        let mdir = self.manifest_dir();
        let glance = Manifest::read_quick(&mdir);
        let recorded = JournalPos::read(&mdir);
        let plan = if plan::is_large(&glance, &pass.config, plan::full_scan_limit()) {
            let watcher = plan::consult(store, &pass.git_dir, recorded.as_ref(), launcher);
            plan::choose(recorded.as_ref(), watcher)
        } else {
            Plan::Full { watch: None }
        };
        match plan {
            Plan::Full { watch } => self.sync_all(&pass, watch),
            Plan::Folders => self.sync_folders(&pass, glance),
            Plan::Journal { changes, watch } if changes.is_empty() => {
                // Nothing changed: remember how far the journal was read, now and then,
                // so later readers skip the cookies of earlier ones.
                if plan::worth_recording(recorded.as_ref(), &watch)
                    && let Ok(Some(_lock)) = self.write_lock(Duration::ZERO)
                {
                    let _ = JournalPos::write(&mdir, Some(&watch));
                }
                Ok(SyncReport::default())
            }
            Plan::Journal { changes, watch } => {
                let Some(touched) = Touched::of(store, &changes) else {
                    return self.sync_all(&pass, Some(watch));
                };
                let before = Manifest::read(&mdir, Some(&touched.groups));
                let mut now = touched.restat(store, &before);
                now.quick = glance.quick;
                now.config = pass.config.clone();
                now.scanned = glance.scanned;
                now.file_count =
                    (glance.file_count + now.files.len()).saturating_sub(before.files.len());
                self.apply(
                    &pass,
                    Found {
                        scope: Some(touched.groups),
                        now,
                        forced: touched.owners,
                        watch: Some(watch),
                    },
                )
            }
        }
    }

    /// Stats every file and reindexes what differs from the manifest.
    fn sync_all(
        &mut self,
        pass: &Pass<'_>,
        watch: Option<JournalPos>,
    ) -> Result<SyncReport, IndexError> {
        let mut now = scan::scan(pass.store).map_err(|p| p.in_index(&self.dir))?;
        now.quick = fingerprint::quick(pass.store, &pass.git_dir);
        now.config = pass.config.clone();
        self.apply(
            pass,
            Found {
                scope: None,
                now,
                forced: BTreeSet::new(),
                watch,
            },
        )
    }

    /// A large desk without a watcher: restat the folders whose stamps changed, or
    /// everything when git's index changed or the last full scan is old.
    fn sync_folders(
        &mut self,
        pass: &Pass<'_>,
        glance: Manifest,
    ) -> Result<SyncReport, IndexError> {
        let quick = fingerprint::quick(pass.store, &pass.git_dir);
        if fingerprint::needs_full_scan(&glance.quick, &quick, glance.scanned, pass.scan_start) {
            return self.sync_all(pass, None);
        }
        if glance.quick == quick {
            return Ok(SyncReport::default());
        }
        // The groups of the folders whose stamps changed.
        let scope: BTreeSet<String> = fingerprint::changed_folders(&glance.quick, &quick)
            .into_iter()
            .filter(|k| fingerprint::is_folder(k))
            .map(|k| group_of(pass.store, k))
            .collect();
        let before = Manifest::read(&self.manifest_dir(), Some(&scope));
        let mut now = scan::rescan_changed(pass.store, &before, &quick);
        now.quick = quick;
        now.config = pass.config.clone();
        now.scanned = glance.scanned;
        now.file_count = (glance.file_count + now.files.len()).saturating_sub(before.files.len());
        self.apply(
            pass,
            Found {
                scope: Some(scope),
                now,
                forced: BTreeSet::new(),
                watch: None,
            },
        )
    }

    /// Reindexes the documents whose files differ between the recorded manifest (of
    /// the found scope's groups, or all) and the found one, plus the forced ones; then
    /// records the found manifest and journal position.
    fn apply(&mut self, pass: &Pass<'_>, found: Found) -> Result<SyncReport, IndexError> {
        let Found {
            scope,
            mut now,
            forced,
            watch,
        } = found;
        let store = pass.store;
        let mdir = self.manifest_dir();
        if scope.is_none() {
            now.file_count = now.files.len();
        }
        // With a watcher, a file changed during this sync is in the journal after
        // `watch`; without one, files changed too recently are read again next time.
        let record = |m: &Manifest| {
            if watch.is_some() {
                m.clone()
            } else {
                m.without_racy(pass.scan_start)
            }
        };
        let before = Manifest::read(&mdir, scope.as_ref());
        let unchanged = forced.is_empty()
            && before.files == now.files
            && before.config == now.config
            && before.quick == now.quick;
        if unchanged {
            // Nothing to reindex: only the journal position may have moved. Recording it
            // is worth no wait: a reader that finds the lock busy leaves it to the writer.
            if JournalPos::read(&mdir) != watch && self.write_lock(Duration::ZERO)?.is_some() {
                JournalPos::write(&mdir, watch.as_ref())?;
            }
            return Ok(SyncReport::default());
        }
        let Some((_lock, mut writer)) = self.writer()? else {
            self.notice(
                "note: another docket is updating the search index; answering from its last state"
                    .into(),
            );
            return Ok(SyncReport {
                changed: 0,
                stale: true,
            });
        };
        // Another process may have synced while this one waited: compare again.
        let before = Manifest::read(&mdir, scope.as_ref());
        let mut owners: BTreeSet<Owner> = if before.config != now.config && scope.is_none() {
            writer
                .delete_all_documents()
                .map_err(IndexError::tantivy(&self.dir, "clearing"))?;
            Manifest::default().changed_owners(&now, store)
        } else {
            before.changed_owners(&now, store)
        };
        owners.extend(forced);
        // A customer's tier and `sla:` shape its tickets' priority and SLA facts.
        let customers: Vec<String> = owners
            .iter()
            .filter_map(|o| match o {
                Owner::Customer(rel) => Some(rel.clone()),
                _ => None,
            })
            .collect();
        for rel in customers {
            owners.extend(self.tickets_of_customer_file(store, &rel)?);
        }
        if owners.is_empty() {
            // Nothing to reindex; remember the folders so the next check is quick.
            record(&now).write(&mdir, store, scope.as_ref(), Some(&before))?;
            JournalPos::write(&mdir, watch.as_ref())?;
            return Ok(SyncReport::default());
        }
        let total = owners.len();
        let cache = documents::CustomerCache::default();
        for (done, owner) in owners.iter().enumerate() {
            self.reindex(&mut writer, store, owner, &cache)?;
            if done % 256 == 0 {
                pass.progress.tick(done, total);
            }
        }
        pass.progress.tick(total, total);
        writer
            .commit()
            .map_err(IndexError::tantivy(&self.dir, "committing"))?;
        writer
            .wait_merging_threads()
            .map_err(IndexError::tantivy(&self.dir, "merging"))?;
        record(&now).write(&mdir, store, scope.as_ref(), Some(&before))?;
        JournalPos::write(&mdir, watch.as_ref())?;
        self.reload()?;
        Ok(SyncReport {
            changed: total,
            stale: false,
        })
    }
}
