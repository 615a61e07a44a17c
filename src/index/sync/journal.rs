//! What a watcher's journal means to a sync: how far the last sync read it (the
//! position recorded with the manifest, in `<index>/manifest/watch`), and which
//! documents and folders the lines since then name.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use super::documents::{Owner, owner_of};
use super::manifest::{Manifest, group_of, write_atomic};
use super::scan::{restat_area, restat_file, restat_shard, restat_ticket};
use crate::index::IndexError;
use crate::index::watch::Changes;
use crate::store::{Area, FolderRole, Store};

/// A place in a watcher's journal: the session that writes it and a byte offset in it.
/// A manifest recorded with one covers every change journaled before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalPos {
    /// The watcher session (the journal's name).
    pub session: String,
    /// The byte offset after the last line read.
    pub offset: u64,
}

impl JournalPos {
    /// The position recorded with the manifest in `mdir` (`<session> <offset>`).
    pub fn read(mdir: &Path) -> Option<JournalPos> {
        let text = fs::read_to_string(mdir.join("watch")).ok()?;
        let (session, offset) = text.trim().split_once(' ')?;
        Some(JournalPos {
            session: session.to_string(),
            offset: offset.parse().ok()?,
        })
    }

    /// Records `pos` with the manifest in `mdir`, or removes the record (a sync without
    /// a watcher).
    pub fn write(mdir: &Path, pos: Option<&JournalPos>) -> Result<(), IndexError> {
        let path = mdir.join("watch");
        match pos {
            Some(JournalPos { session, offset }) => {
                fs::create_dir_all(mdir).map_err(IndexError::io(mdir))?;
                write_atomic(&path, &format!("{session} {offset}\n"))
            }
            None => match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(IndexError::io(path)(e)),
                _ => Ok(()),
            },
        }
    }
}

/// What a journal names, as documents to reindex and folders to restat.
#[derive(Debug, Default)]
pub struct Touched {
    /// Manifest groups to read and write.
    pub groups: BTreeSet<String>,
    /// Documents to reindex whatever their stamps say.
    pub owners: BTreeSet<Owner>,
    /// Ticket shard folders to restat whole.
    shards: BTreeSet<String>,
    kb: bool,
    customers: bool,
}

impl Touched {
    /// `None` when the changes need a full scan (the ticket folder itself changed).
    pub fn of(store: &Store, changes: &Changes) -> Option<Touched> {
        let mut t = Touched::default();
        for f in &changes.files {
            if let Some(o) = owner_of(store, f) {
                t.add_owner(store, o);
            }
        }
        for d in &changes.dirs {
            match store.folder_role(d) {
                FolderRole::Tickets => return None,
                FolderRole::Shard(shard) => {
                    t.groups.insert(group_of(store, &format!("{d}/x")));
                    t.shards.insert(shard);
                }
                FolderRole::TicketItems { ticket } => t.add_owner(store, Owner::Ticket(ticket)),
                FolderRole::Kb => {
                    t.kb = true;
                    t.groups.insert("kb".into());
                }
                FolderRole::Customers | FolderRole::InCustomers => {
                    t.customers = true;
                    t.groups.insert("customers".into());
                }
                FolderRole::Elsewhere => {}
            }
        }
        Some(t)
    }

    fn add_owner(&mut self, store: &Store, o: Owner) {
        self.groups.insert(group_of(store, o.key()));
        self.owners.insert(o);
    }

    /// `before` with the touched folders and documents statted again.
    pub fn restat(&self, store: &Store, before: &Manifest) -> Manifest {
        let mut m = before.clone();
        for shard in &self.shards {
            restat_shard(&mut m, store, &format!("{}/{shard}", store.tickets_rel()));
        }
        if self.kb {
            restat_area(&mut m, store, Area::Kb);
        }
        if self.customers {
            restat_area(&mut m, store, Area::Customers);
        }
        for owner in &self.owners {
            match owner {
                Owner::Ticket(rel) => restat_ticket(&mut m, store, rel),
                Owner::Article(rel) | Owner::Customer(rel) => restat_file(&mut m, store, rel),
            }
        }
        m
    }
}
