//! The watcher loop on Linux: inotify watches on every data folder and the cookie folder,
//! one journal write per batch of events.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask};

use super::{Live, Root, WatchDir, WatchError, roots, session_text};
use crate::store::Store;

/// Events that change what a data folder holds. Opens and reads are left out: docket
/// reads thousands of files while indexing, and those events would flood the queue.
fn data_mask() -> WatchMask {
    WatchMask::CREATE
        | WatchMask::DELETE
        | WatchMask::CLOSE_WRITE
        | WatchMask::MODIFY
        | WatchMask::ATTRIB
        | WatchMask::MOVED_FROM
        | WatchMask::MOVED_TO
        | WatchMask::DELETE_SELF
        | WatchMask::MOVE_SELF
        | WatchMask::ONLYDIR
}

/// The watched folders, both ways round.
struct Watches {
    inotify: Inotify,
    by_wd: HashMap<WatchDescriptor, PathBuf>,
    by_path: BTreeMap<PathBuf, WatchDescriptor>,
    roots: Vec<Root>,
}

impl Watches {
    /// Watches `dir` and every folder under it.
    fn add_tree(&mut self, dir: &Path) -> Result<(), WatchError> {
        for e in walkdir::WalkDir::new(dir)
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_dir())
        {
            match self.inotify.watches().add(e.path(), data_mask()) {
                Ok(wd) => {
                    self.by_wd.insert(wd.clone(), e.path().to_path_buf());
                    self.by_path.insert(e.path().to_path_buf(), wd);
                }
                Err(err) if err.kind() == std::io::ErrorKind::StorageFull => {
                    return Err(WatchError::TooManyFolders {
                        limit: fs::read_to_string("/proc/sys/fs/inotify/max_user_watches")
                            .map(|s| s.trim().to_string())
                            .unwrap_or_else(|_| "a limited number of".into()),
                    });
                }
                // Gone already, or not a folder any more: its parent's event says so.
                Err(_) => {}
            }
        }
        Ok(())
    }

    /// Forgets the watches of `dir` and every folder under it (moved away).
    fn remove_tree(&mut self, dir: &Path) {
        let under: Vec<PathBuf> = self
            .by_path
            .range(dir.to_path_buf()..)
            .take_while(|(p, _)| p.starts_with(dir))
            .map(|(p, _)| p.clone())
            .collect();
        for p in under {
            if let Some(wd) = self.by_path.remove(&p) {
                self.by_wd.remove(&wd);
                let _ = self.inotify.watches().remove(wd);
            }
        }
    }

    fn forget(&mut self, wd: &WatchDescriptor) {
        if let Some(p) = self.by_wd.remove(wd) {
            self.by_path.remove(&p);
        }
    }

    fn is_root(&self, path: &Path) -> bool {
        self.roots.iter().any(|r| r.abs == path)
    }

    /// The manifest name of a path under one of the roots.
    fn rel(&self, path: &Path) -> Option<String> {
        self.roots.iter().find_map(|r| {
            let rest = path.strip_prefix(&r.abs).ok()?;
            let rest = rest.to_str()?;
            Some(if rest.is_empty() {
                r.rel.clone()
            } else {
                format!("{}/{rest}", r.rel)
            })
        })
    }
}

/// Takes the watcher lock, retrying briefly: readers hold it shared for a moment when
/// they check whether a watcher runs.
fn take_lock(dir: &WatchDir) -> Result<File, WatchError> {
    let path = dir.lock();
    let f = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(WatchError::io(&path))?;
    for _ in 0..50 {
        match f.try_lock() {
            Ok(()) => return Ok(f),
            Err(fs::TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(10)),
            Err(fs::TryLockError::Error(e)) => return Err(WatchError::io(&path)(e)),
        }
    }
    Err(WatchError::AlreadyRunning)
}

fn write_atomic(path: &Path, text: &str) -> Result<(), WatchError> {
    crate::atomic::replace(path, text.as_bytes(), crate::atomic::Durability::Cached)
        .map_err(WatchError::io(path))
}

/// Runs the watcher (see the module documentation of `watch`).
pub fn run(
    store: &Store,
    dir: &WatchDir,
    idle: Option<Duration>,
    ready: impl FnOnce(&Live),
) -> Result<(), WatchError> {
    fs::create_dir_all(dir.cookies()).map_err(WatchError::io(dir.cookies()))?;
    let _lock = take_lock(dir)?;
    let result = watch(store, dir, idle, ready);
    cleanup(dir);
    if let Err(e) = &result {
        // Readers do not start another watcher for a while (see `may_start`).
        let _ = fs::write(dir.failed(), format!("{e}\n"));
    }
    result
}

/// Removes the session and its journals, so no reader trusts a stopped watcher.
fn cleanup(dir: &WatchDir) {
    let _ = fs::remove_file(dir.session());
    if let Ok(rd) = fs::read_dir(&dir.0) {
        for e in rd.filter_map(Result::ok) {
            if e.file_name().to_string_lossy().starts_with("journal-") {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

fn watch(
    store: &Store,
    dir: &WatchDir,
    idle: Option<Duration>,
    ready: impl FnOnce(&Live),
) -> Result<(), WatchError> {
    cleanup(dir);
    let _ = fs::remove_file(dir.failed());
    let _ = fs::remove_file(dir.cookies().join("stop"));
    let id = format!(
        "{}-{}",
        std::process::id(),
        crate::clock::now_ns().rem_euclid(1 << 62)
    );
    let journal_path = dir.journal(&id);
    let mut journal = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&journal_path)
        .map_err(WatchError::io(&journal_path))?;
    let inotify = Inotify::init().map_err(WatchError::io(&dir.0))?;
    let mut w = Watches {
        inotify,
        by_wd: HashMap::new(),
        by_path: BTreeMap::new(),
        roots: roots(store),
    };
    let cookies_wd = w
        .inotify
        .watches()
        .add(
            dir.cookies(),
            WatchMask::CREATE | WatchMask::DELETE_SELF | WatchMask::MOVE_SELF,
        )
        .map_err(WatchError::io(dir.cookies()))?;
    for r in w.roots.clone() {
        w.add_tree(&r.abs)?;
    }
    let text = session_text(&id, w.by_wd.len(), &w.roots);
    write_atomic(&dir.session(), &text)?;
    if let Some(live) = super::parse_session(&text, dir.clone()) {
        ready(&live);
    }

    let started = Instant::now();
    let last_reader = Arc::new(AtomicU64::new(0));
    if let Some(idle) = idle {
        let last = Arc::clone(&last_reader);
        let dir = dir.clone();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(5).min(idle));
                let since = started
                    .elapsed()
                    .as_secs()
                    .saturating_sub(last.load(Ordering::Relaxed));
                if since >= idle.as_secs() {
                    cleanup(&dir);
                    std::process::exit(0);
                }
            }
        });
    }

    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let mut lines: Vec<String> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut new_dirs: Vec<PathBuf> = Vec::new();
        let mut stop = false;
        let events = w
            .inotify
            .read_events_blocking(&mut buf)
            .map_err(WatchError::io(&dir.0))?;
        let mut push = |line: String, lines: &mut Vec<String>| {
            if seen.insert(line.clone()) {
                lines.push(line);
            }
        };
        let events: Vec<_> = events
            .map(|e| {
                (
                    e.wd.clone(),
                    e.mask,
                    e.name.map(|n| n.to_string_lossy().into_owned()),
                )
            })
            .collect();
        for (wd, mask, name) in events {
            if mask.contains(EventMask::Q_OVERFLOW) {
                push("!".into(), &mut lines);
                continue;
            }
            if wd == cookies_wd {
                match name {
                    Some(n) if mask.contains(EventMask::CREATE) && n == "stop" => stop = true,
                    Some(n) if mask.contains(EventMask::CREATE) => {
                        last_reader.store(started.elapsed().as_secs(), Ordering::Relaxed);
                        lines.push(format!("c {n}"));
                    }
                    // The git directory went away.
                    _ => stop = true,
                }
                continue;
            }
            let Some(folder) = w.by_wd.get(&wd).cloned() else {
                continue;
            };
            if mask.intersects(EventMask::IGNORED | EventMask::DELETE_SELF | EventMask::MOVE_SELF) {
                if w.is_root(&folder) {
                    // A data root was deleted or moved: readers stat everything, and the
                    // next one starts a watcher for what is there now.
                    push("!".into(), &mut lines);
                    stop = true;
                }
                if mask.contains(EventMask::IGNORED) {
                    w.forget(&wd);
                }
                continue;
            }
            let Some(name) = name else { continue };
            if name.contains('\n') {
                push("!".into(), &mut lines);
                continue;
            }
            let path = folder.join(&name);
            let Some(rel) = w.rel(&path) else { continue };
            if mask.contains(EventMask::ISDIR) {
                push(format!("d {rel}"), &mut lines);
                if mask.intersects(EventMask::CREATE | EventMask::MOVED_TO) {
                    new_dirs.push(path);
                } else if mask.contains(EventMask::MOVED_FROM) {
                    w.remove_tree(&path);
                }
            } else if name.ends_with(".md") {
                push(format!("f {rel}"), &mut lines);
            }
        }
        // Watch new folders before journaling, so a reader that sees its cookie knows
        // every folder made before it is watched.
        for d in new_dirs {
            if let Err(e) = w.add_tree(&d) {
                lines.push("!".into());
                write_lines(&mut journal, &journal_path, &lines)?;
                return Err(e);
            }
        }
        write_lines(&mut journal, &journal_path, &lines)?;
        if stop {
            return Ok(());
        }
    }
}

fn write_lines(journal: &mut File, path: &Path, lines: &[String]) -> Result<(), WatchError> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut text = lines.join("\n");
    text.push('\n');
    journal
        .write_all(text.as_bytes())
        .map_err(WatchError::io(path))
}
