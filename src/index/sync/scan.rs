//! Statting the data files: all of them (a full scan), or only the folders or files a
//! fingerprint or a journal names. Which folders hold data files and how deep is the
//! store's to say (`store::Area`); symbolic links are never followed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::fingerprint::{Fingerprint, changed_folders};
use super::manifest::{FileStamp, Manifest, config_hash, group_of};
use crate::clock::now_ns;
use crate::index::panics::{self, Panic};
use crate::store::{Area, FolderRole, Store};

/// What the scanning thread does, for the error a panic of its becomes.
const SCANNING: &str = "scanning the ticket shards";

/// Stats every data file now. A panic of the second thread is the error (a shorter
/// scan would remove half the tickets from the index).
pub fn scan(store: &Store) -> Result<Manifest, Panic> {
    let mut files = BTreeMap::new();
    let tickets = store.tickets_rel().to_string();
    let tickets_abs = store.abs(&tickets);
    // The shards split between two threads: stat calls dominate and the machine has 2 cores.
    let shards: Vec<PathBuf> = fs::read_dir(&tickets_abs)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    let half = shards.len() / 2;
    let (a, b) = shards.split_at(half);
    let (left, right) = std::thread::scope(|s| {
        let h = panics::spawn(s, SCANNING, || walk_shards(a, &tickets_abs, &tickets));
        let right = walk_shards(b, &tickets_abs, &tickets);
        (h.join(), right)
    });
    files.extend(left?);
    files.extend(right);
    files.extend(scan_area(store, Area::Kb));
    files.extend(scan_area(store, Area::Customers));
    Ok(Manifest {
        config: config_hash(store),
        scanned: now_ns(),
        quick: BTreeMap::new(),
        file_count: files.len(),
        files,
    })
}

/// The folder of an area, as the manifest names it.
fn area_rel(store: &Store, area: Area) -> String {
    store
        .data_folders()
        .into_iter()
        .find(|f| f.area == area)
        .map(|f| f.rel)
        .unwrap_or_default()
}

/// Every data file of the KB or the customers.
pub fn scan_area(store: &Store, area: Area) -> Vec<(String, FileStamp)> {
    let dir = area_rel(store, area);
    walk(&store.abs(&dir), &store.abs(&dir), &dir, area.depth())
}

/// `before` with the files of the KB or the customers statted again.
pub fn restat_area(m: &mut Manifest, store: &Store, area: Area) {
    let prefix = format!("{}/", area_rel(store, area));
    m.files.retain(|k, _| !k.starts_with(&prefix));
    m.files.extend(scan_area(store, area));
}

/// `m` with the files of one shard folder (`rel`, in the ticket folder) statted again.
pub fn restat_shard(m: &mut Manifest, store: &Store, rel: &str) {
    let prefix = format!("{rel}/");
    m.files.retain(|k, _| !k.starts_with(&prefix));
    let tickets = store.tickets_rel();
    m.files.extend(walk(
        &store.abs(rel),
        &store.abs(tickets),
        tickets,
        Area::Tickets.depth() - 1,
    ));
}

/// `m` with one ticket's file and comments statted again.
pub fn restat_ticket(m: &mut Manifest, store: &Store, rel: &str) {
    let comments = store.comments_rel(rel);
    let prefix = format!("{comments}/");
    m.files.retain(|k, _| k != rel && !k.starts_with(&prefix));
    m.files.extend(stat_one(store, rel));
    let parent = Path::new(&comments)
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    m.files
        .extend(walk(&store.abs(&comments), &store.abs(&parent), &parent, 1));
}

/// `m` with one file (an article or a customer record) statted again.
pub fn restat_file(m: &mut Manifest, store: &Store, rel: &str) {
    m.files.remove(rel);
    m.files.extend(stat_one(store, rel));
}

/// The manifest after restatting only the folders whose fingerprint changed.
pub fn rescan_changed(store: &Store, before: &Manifest, quick: &Fingerprint) -> Manifest {
    let mut m = before.clone();
    let mut redo_kb = false;
    let mut redo_cust = false;
    for dir in changed_folders(&before.quick, quick) {
        match store.folder_role(dir) {
            FolderRole::Shard(_) | FolderRole::TicketItems { .. } => {
                restat_shard(&mut m, store, dir);
            }
            FolderRole::Kb => redo_kb = true,
            FolderRole::Customers => redo_cust = true,
            // The ticket folder inside the KB folder is one of the KB's folders too.
            FolderRole::Tickets => redo_kb |= group_of(store, dir) == "kb",
            FolderRole::InCustomers | FolderRole::Elsewhere => {}
        }
    }
    if redo_kb {
        restat_area(&mut m, store, Area::Kb);
    }
    if redo_cust {
        restat_area(&mut m, store, Area::Customers);
    }
    m
}

/// The data files of some shard folders.
fn walk_shards(dirs: &[PathBuf], base: &Path, rel_base: &str) -> Vec<(String, FileStamp)> {
    let mut out = Vec::new();
    for d in dirs {
        out.extend(walk(d, base, rel_base, Area::Tickets.depth() - 1));
    }
    out
}

/// `.md` files under `dir` up to `depth` levels, with their stamps; symlinks skipped.
fn walk(dir: &Path, base: &Path, rel_base: &str, depth: usize) -> Vec<(String, FileStamp)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .max_depth(depth)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() || e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let Ok(meta) = e.metadata() else { continue };
        let Ok(rel) = e.path().strip_prefix(base) else {
            continue;
        };
        out.push((
            format!("{rel_base}/{}", rel.to_string_lossy().replace('\\', "/")),
            stamp(&meta),
        ));
    }
    out
}

/// The stamp of one data file, if it is one.
fn stat_one(store: &Store, rel: &str) -> Option<(String, FileStamp)> {
    let meta = fs::symlink_metadata(store.abs(rel)).ok()?;
    (meta.is_file() && rel.ends_with(".md")).then(|| (rel.to_string(), stamp(&meta)))
}

fn stamp(meta: &fs::Metadata) -> FileStamp {
    FileStamp {
        size: meta.len(),
        changed_ns: changed_ns(meta),
    }
}

/// The time a file last changed in any way, in ns since the epoch. On Unix this is the
/// inode change time, which a writer cannot set back (unlike the mtime, which editors,
/// `touch -d` and archive tools do set), so an edit is seen even when the size and mtime
/// stay the same.
pub fn changed_ns(meta: &fs::Metadata) -> i128 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec())
    }
    #[cfg(not(unix))]
    {
        meta.modified().map_or(0, crate::clock::since_epoch_ns)
    }
}
