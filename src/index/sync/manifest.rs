//! The manifest of the last sync: what every data file's stamp was when it was indexed,
//! and the config it was indexed with. On disk, under `<index>/manifest/`:
//!
//! - `quick`: `config HASH`, `scanned NS`, `n COUNT`, then `q NS NAME` lines (the
//!   fingerprint, see `fingerprint`), read before every answer;
//! - `files/<group>`: `f SIZE CHANGED_NS PATH` lines, one small file per group (a ticket
//!   shard, the KB, the customers), so a change in one shard reads and writes one list.
//!
//! Every file is replaced atomically, after the index commit.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use super::documents::{Owner, owner_of};
use crate::index::IndexError;
use crate::store::{CONFIG_PATH, Store};

/// The size and change time of one data file, as the manifest records them: a file
/// whose stamp differs from the recorded one is read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    /// The size in bytes.
    pub size: u64,
    /// The change time, ns since the epoch (see `scan::changed_ns`); -1 for "read it
    /// again next time".
    pub changed_ns: i128,
}

/// The files last indexed, and the config they were indexed with.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Manifest {
    /// A hash of the config file, so changed paths rebuild everything.
    pub config: String,
    /// When every file was last statted (ns since the epoch).
    pub scanned: i128,
    /// The quick fingerprint: stamps of the data folders and shard folders, and of git's
    /// index file (`@git-index`), checked before every answer.
    pub quick: BTreeMap<String, i128>,
    /// Repository-relative path to stamp.
    pub files: BTreeMap<String, FileStamp>,
    /// How many files (kept in the fingerprint file, which has no `files`).
    pub file_count: usize,
}

/// Files modified this close to a sync may change again within the file system's
/// timestamp granularity without a visible change of stamp (git's "racy clean" problem).
const RACY_NS: i128 = 2_000_000_000;

/// A temporary file older than this was left by a killed process.
const TEMP_KEEP: std::time::Duration = std::time::Duration::from_secs(600);

/// What the manifest's stamps are: a manifest with other stamps is read as changed
/// everywhere, so the index is rebuilt.
const STAMP_KIND: &[u8] = b"stamps: ctime\n";

impl Manifest {
    /// The manifest to record: entries modified within [`RACY_NS`] of `scan_start` get an
    /// impossible stamp, so they are read again at the next sync, when they are old enough.
    pub fn without_racy(&self, scan_start: i128) -> Manifest {
        let mut m = self.clone();
        for stamp in m.files.values_mut() {
            if stamp.changed_ns + RACY_NS >= scan_start {
                stamp.changed_ns = -1;
            }
        }
        for mtime in m.quick.values_mut() {
            if *mtime + RACY_NS >= scan_start {
                *mtime = -1;
            }
        }
        m
    }

    fn parse(text: &str) -> Option<Manifest> {
        let mut m = Manifest::default();
        let mut lines = text.lines();
        m.config = lines.next()?.strip_prefix("config ")?.to_string();
        m.scanned = lines.next()?.strip_prefix("scanned ")?.parse().ok()?;
        for line in lines {
            let (tag, rest) = line.split_once(' ')?;
            match tag {
                "q" => {
                    let (mtime, name) = rest.split_once(' ')?;
                    m.quick.insert(name.to_string(), mtime.parse().ok()?);
                }
                "n" => m.file_count = rest.parse().ok()?,
                "f" => {
                    let mut parts = rest.splitn(3, ' ');
                    let size = parts.next()?.parse().ok()?;
                    let changed_ns = parts.next()?.parse().ok()?;
                    m.files
                        .insert(parts.next()?.to_string(), FileStamp { size, changed_ns });
                }
                _ => return None,
            }
        }
        if m.file_count == 0 {
            m.file_count = m.files.len();
        }
        Some(m)
    }

    /// The manifest without its file list.
    fn head(&self) -> String {
        let mut head = format!(
            "config {}\nscanned {}\nn {}\n",
            self.config, self.scanned, self.file_count
        );
        for (name, mtime) in &self.quick {
            head.push_str(&format!("q {mtime} {name}\n"));
        }
        head
    }

    /// Reads a manifest (a missing or unreadable one is empty: everything is new): the
    /// fingerprint (`<dir>/quick`) and the file lists of `groups` (all when `None`).
    pub fn read(dir: &Path, groups: Option<&BTreeSet<String>>) -> Manifest {
        let mut m = match fs::read_to_string(dir.join("quick")) {
            Ok(text) => match Manifest::parse(&text) {
                Some(m) => m,
                None => return Manifest::default(),
            },
            Err(_) => return Manifest::default(),
        };
        let files_dir = dir.join("files");
        let names: Vec<String> = match groups {
            Some(g) => g.iter().cloned().collect(),
            None => fs::read_dir(&files_dir)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default(),
        };
        for name in names {
            let Ok(text) = fs::read_to_string(files_dir.join(&name)) else {
                continue;
            };
            match Manifest::parse(&format!("config x\nscanned 0\n{text}")) {
                Some(part) => m.files.extend(part.files),
                None => return Manifest::default(),
            }
        }
        m
    }

    /// Writes the file lists of `groups` (all when `None`, removing lists of groups that
    /// have no files any more), then the fingerprint unless it equals `prior`'s (the
    /// manifest as read), each atomically.
    pub fn write(
        &self,
        dir: &Path,
        store: &Store,
        groups: Option<&BTreeSet<String>>,
        prior: Option<&Manifest>,
    ) -> Result<(), IndexError> {
        let files_dir = dir.join("files");
        fs::create_dir_all(&files_dir).map_err(IndexError::io(&files_dir))?;
        let mut by_group: BTreeMap<String, String> = BTreeMap::new();
        for (rel, FileStamp { size, changed_ns }) in &self.files {
            let g = group_of(store, rel);
            if groups.is_none_or(|gs| gs.contains(&g)) {
                by_group
                    .entry(g)
                    .or_default()
                    .push_str(&format!("f {size} {changed_ns} {rel}\n"));
            }
        }
        let stale: Vec<String> = match groups {
            Some(gs) => gs
                .iter()
                .filter(|g| !by_group.contains_key(*g))
                .cloned()
                .collect(),
            None => fs::read_dir(&files_dir)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .filter(|e| !is_temp(e))
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| !by_group.contains_key(n))
                        .collect()
                })
                .unwrap_or_default(),
        };
        for g in stale {
            let _ = fs::remove_file(files_dir.join(g));
        }
        for (g, text) in &by_group {
            write_atomic(&files_dir.join(g), text)?;
        }
        let head = self.head();
        if prior.is_some_and(|p| p.head() == head) {
            // The fingerprint on disk says the same (a watched change that added or
            // removed no file): leave it.
            return Ok(());
        }
        write_atomic(&dir.join("quick"), &head)
    }

    /// Reads only the fingerprint (no file list).
    pub fn read_quick(dir: &Path) -> Manifest {
        Manifest::read(dir, Some(&BTreeSet::new()))
    }

    /// The documents whose files differ between two manifests.
    pub fn changed_owners(&self, now: &Manifest, store: &Store) -> BTreeSet<Owner> {
        let mut out = BTreeSet::new();
        for (rel, stamp) in &now.files {
            if self.files.get(rel) != Some(stamp) {
                out.extend(owner_of(store, rel));
            }
        }
        for rel in self.files.keys() {
            if !now.files.contains_key(rel) {
                out.extend(owner_of(store, rel));
            }
        }
        out
    }
}

/// The manifest group of a data file or folder: its ticket shard, or the KB, or the
/// customers.
pub fn group_of(store: &Store, rel: &str) -> String {
    match store.shard_of(rel) {
        Some(shard) => format!("t-{}", safe_name(shard)),
        None if rel.starts_with(&format!("{}/", store.kb_rel())) || rel == store.kb_rel() => {
            "kb".into()
        }
        None => "customers".into(),
    }
}

fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A hash of the config file (and of the stamp kind): a manifest recorded under another
/// one is out of date everywhere.
pub fn config_hash(store: &Store) -> String {
    let mut config = fs::read(store.abs(CONFIG_PATH)).unwrap_or_default();
    config.extend_from_slice(STAMP_KIND);
    format!("{:016x}", fnv(&config))
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Whether a folder entry is a temporary file of [`write_atomic`] (theirs start with a
/// dot; group names never do). A sweep of stale lists must leave it alone: another
/// process may be about to rename it. One that a killed process left long ago is
/// removed here.
fn is_temp(e: &fs::DirEntry) -> bool {
    if !e.file_name().to_string_lossy().starts_with('.') {
        return false;
    }
    let abandoned = e
        .metadata()
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().unwrap_or_default() > TEMP_KEEP);
    if abandoned {
        let _ = fs::remove_file(e.path());
    }
    true
}

/// Writes `text` to a temporary file with a unique name in the same folder, then renames
/// it over `path`: a reader sees the old or the new list, never a part.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), IndexError> {
    crate::atomic::replace(path, text.as_bytes(), crate::atomic::Durability::Cached)
        .map_err(IndexError::io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(size: u64, changed_ns: i128) -> FileStamp {
        FileStamp { size, changed_ns }
    }

    #[test]
    fn manifest_round_trips_by_group() {
        let dir = tempfile::tempdir().expect("temp");
        let store = Store::open(dir.path()).expect("store");
        let mdir = dir.path().join("manifest");
        let mut m = Manifest {
            config: "abc".into(),
            scanned: 99,
            file_count: 3,
            ..Manifest::default()
        };
        m.files
            .insert("support/tickets/AB/T-AB.md".into(), stamp(12, 34));
        m.files
            .insert("support/tickets/CD/T-CD/c 1.md".into(), stamp(5, 6));
        m.files.insert("support/kb/a b.md".into(), stamp(1, -2));
        m.quick.insert("@git-index".into(), 7);
        m.write(&mdir, &store, None, None).expect("write");
        assert_eq!(Manifest::read(&mdir, None), m);
        let glance = Manifest::read_quick(&mdir);
        assert_eq!((glance.file_count, glance.files.len()), (3, 0));
        assert_eq!(glance.quick, m.quick);
        let one: BTreeSet<String> = ["t-CD".to_string()].into();
        let part = Manifest::read(&mdir, Some(&one));
        assert_eq!(part.files.len(), 1);
        fs::write(mdir.join("quick"), "config x\nnot a line").expect("write");
        assert_eq!(Manifest::read(&mdir, None), Manifest::default());
    }

    #[test]
    fn stamps_too_close_to_the_scan_are_recorded_as_unread() {
        let mut m = Manifest::default();
        m.files.insert("old.md".into(), stamp(1, 1_000));
        m.files.insert("new.md".into(), stamp(1, 9_000_000_000));
        m.quick.insert("support/kb".into(), 9_500_000_000);
        let r = m.without_racy(10_000_000_000);
        assert_eq!(r.files["old.md"], stamp(1, 1_000));
        assert_eq!(r.files["new.md"], stamp(1, -1));
        assert_eq!(r.quick["support/kb"], -1);
    }
}
