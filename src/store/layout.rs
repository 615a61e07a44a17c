//! Where the desk's files lie: the config at `.docket/config.yaml`, a ticket at
//! `<tickets>/<shard>/<id>.md` with its comments in `<tickets>/<shard>/<id>/<comment>.md`,
//! KB articles anywhere in the KB folder (a docs tree), customer records directly in the
//! customers folder. This file is the one place that knows that layout: the index's sync
//! and watcher ask it which folders to stat or watch and what a changed path belongs to,
//! instead of taking paths apart themselves. It uses `model` for ticket ids; it reads
//! nothing from disk.

use super::Store;
use crate::model::{Slug, TicketId};

/// Where the configuration lives, relative to the repository root.
pub const CONFIG_PATH: &str = ".docket/config.yaml";

/// One of the three data folders of a desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    /// Tickets, sharded: `<shard>/<id>.md` and `<shard>/<id>/<comment>.md`.
    Tickets,
    /// KB articles, at any depth (a docs tree works as it is).
    Kb,
    /// Customer records, flat.
    Customers,
}

impl Area {
    /// How many folder levels below the area's folder its data files lie at most (the
    /// file name counts as a level): a scan need not look deeper.
    pub fn depth(self) -> usize {
        match self {
            Area::Tickets => 3,
            Area::Kb => 16,
            Area::Customers => 1,
        }
    }
}

/// A data folder as configured: what it holds, and its path (relative to the root, or
/// absolute for a private customers folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFolder {
    /// What it holds.
    pub area: Area,
    /// Its path, without a trailing `/`.
    pub rel: String,
}

/// What a data file (`.md`) holds, by where it lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRole {
    /// A ticket's own file.
    Ticket,
    /// A comment (or timeline event) of the ticket whose file is `ticket`.
    Comment {
        /// The ticket file's path.
        ticket: String,
    },
    /// A KB article.
    Article,
    /// A customer record.
    Customer,
}

/// What a folder is, by where it lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderRole {
    /// The ticket folder itself.
    Tickets,
    /// A shard folder of the ticket folder.
    Shard(String),
    /// A ticket's comment folder, or a folder inside it.
    TicketItems {
        /// The ticket file's path.
        ticket: String,
    },
    /// The KB folder or a folder inside it.
    Kb,
    /// The customers folder itself.
    Customers,
    /// A folder inside the customers folder (it holds no records).
    InCustomers,
    /// None of the data folders.
    Elsewhere,
}

impl Store {
    /// The ticket folder, relative to the root.
    pub fn tickets_rel(&self) -> &str {
        self.config.paths.tickets.trim_end_matches('/')
    }

    /// Where a ticket's file goes.
    pub fn ticket_rel(&self, id: &TicketId) -> String {
        format!("{}/{}/{}.md", self.tickets_rel(), id.shard(), id)
    }

    /// The folder holding a ticket's comments, next to its file.
    pub fn comments_rel(&self, ticket_rel: &str) -> String {
        ticket_rel
            .strip_suffix(".md")
            .unwrap_or(ticket_rel)
            .to_string()
    }

    /// Where an article goes.
    pub fn article_rel(&self, slug: &Slug) -> String {
        format!("{}/{}.md", self.config.paths.kb.trim_end_matches('/'), slug)
    }

    /// The KB folder as configured (relative to the root, or absolute).
    pub fn kb_rel(&self) -> &str {
        trim_dir(&self.config.paths.kb)
    }

    /// The customer folder as configured: relative to the root, or absolute (a private
    /// repository next to this one).
    pub fn customers_rel(&self) -> &str {
        trim_dir(&self.config.paths.customers)
    }

    /// Where a customer record goes.
    pub fn customer_rel(&self, slug: &Slug) -> String {
        format!("{}/{slug}.md", self.customers_rel())
    }

    /// The data folders, tickets first, then KB, then customers (the order in which
    /// [`Store::file_role`] and [`Store::folder_role`] try them when one lies in another).
    pub fn data_folders(&self) -> [DataFolder; 3] {
        [
            (Area::Tickets, self.tickets_rel()),
            (Area::Kb, self.kb_rel()),
            (Area::Customers, self.customers_rel()),
        ]
        .map(|(area, rel)| DataFolder {
            area,
            rel: rel.to_string(),
        })
    }

    /// What the data file at `rel` holds; `None` when it lies where the desk keeps no
    /// record (deeper in a ticket's folder, in a subfolder of the customers folder, or
    /// outside the data folders).
    pub fn file_role(&self, rel: &str) -> Option<FileRole> {
        let tickets = format!("{}/", self.tickets_rel());
        if let Some(rest) = rel.strip_prefix(&tickets) {
            let parts: Vec<&str> = rest.split('/').collect();
            return match parts.as_slice() {
                [_, _] => Some(FileRole::Ticket),
                [shard, id, _] => Some(FileRole::Comment {
                    ticket: format!("{tickets}{shard}/{id}.md"),
                }),
                _ => None,
            };
        }
        if rel.starts_with(&format!("{}/", self.kb_rel())) {
            return Some(FileRole::Article);
        }
        let rest = rel.strip_prefix(&format!("{}/", self.customers_rel()))?;
        (!rest.contains('/')).then_some(FileRole::Customer)
    }

    /// What the folder at `rel` is.
    pub fn folder_role(&self, rel: &str) -> FolderRole {
        let tickets = self.tickets_rel();
        if rel == tickets {
            return FolderRole::Tickets;
        }
        if let Some(rest) = rel.strip_prefix(&format!("{tickets}/")) {
            let mut parts = rest.split('/');
            return match (parts.next(), parts.next()) {
                (Some(shard), Some(id)) => FolderRole::TicketItems {
                    ticket: format!("{tickets}/{shard}/{id}.md"),
                },
                (Some(shard), None) => FolderRole::Shard(shard.to_string()),
                (None, _) => FolderRole::Elsewhere,
            };
        }
        let (kb, customers) = (self.kb_rel(), self.customers_rel());
        if rel == kb || rel.starts_with(&format!("{kb}/")) {
            FolderRole::Kb
        } else if rel == customers {
            FolderRole::Customers
        } else if rel.starts_with(&format!("{customers}/")) {
            FolderRole::InCustomers
        } else {
            FolderRole::Elsewhere
        }
    }

    /// The shard a path in the ticket folder lies in (its first folder there).
    pub fn shard_of<'a>(&self, rel: &'a str) -> Option<&'a str> {
        rel.strip_prefix(self.tickets_rel())?
            .strip_prefix('/')?
            .split('/')
            .next()
    }
}

/// A folder setting without its trailing `/` (but `/` itself stays `/`).
pub(super) fn trim_dir(dir: &str) -> &str {
    let t = dir.trim_end_matches('/');
    if t.is_empty() && dir.starts_with('/') {
        "/"
    } else {
        t
    }
}

/// Whether a folder setting names the work tree itself (`.`, `./`, or nothing).
pub(super) fn is_root(dir: &str) -> bool {
    !dir.starts_with('/') && dir.split('/').all(|c| c.is_empty() || c == ".")
}

/// The order in which files that claim one ticket id win, so that `list`, `show`,
/// `search` and `check` agree on which is the ticket: the file at the ticket's own path
/// (`<shard>/<id>.md`, where docket writes it and where `show` looks first), then the
/// others by path in byte order. Compare the results of two paths for one id.
pub fn copy_order<'a>(id: &str, rel: &'a str) -> (bool, &'a str) {
    let home = id
        .parse::<TicketId>()
        .ok()
        .map(|id| format!("/{}/{id}.md", id.shard()));
    (!home.is_some_and(|h| rel.ends_with(&h)), rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp");
        let store = Store::open(dir.path()).expect("store");
        (dir, store)
    }

    #[test]
    fn a_data_file_is_known_by_where_it_lies() {
        let (_dir, s) = store();
        let t = s.tickets_rel().to_string();
        let (kb, cust) = (s.kb_rel().to_string(), s.customers_rel().to_string());
        assert_eq!(
            s.file_role(&format!("{t}/AB/T-AB.md")),
            Some(FileRole::Ticket)
        );
        assert_eq!(
            s.file_role(&format!("{t}/AB/T-AB/c 1.md")),
            Some(FileRole::Comment {
                ticket: format!("{t}/AB/T-AB.md")
            })
        );
        assert_eq!(s.file_role(&format!("{t}/AB/T-AB/x/y.md")), None);
        assert_eq!(s.file_role(&format!("{t}/loose.md")), None);
        assert_eq!(
            s.file_role(&format!("{kb}/a/b/c.md")),
            Some(FileRole::Article)
        );
        assert_eq!(
            s.file_role(&format!("{cust}/acme.md")),
            Some(FileRole::Customer)
        );
        assert_eq!(s.file_role(&format!("{cust}/old/acme.md")), None);
        assert_eq!(s.file_role("README.md"), None);
    }

    #[test]
    fn a_folder_is_known_by_where_it_lies() {
        let (_dir, s) = store();
        let t = s.tickets_rel().to_string();
        let (kb, cust) = (s.kb_rel().to_string(), s.customers_rel().to_string());
        assert_eq!(s.folder_role(&t), FolderRole::Tickets);
        assert_eq!(
            s.folder_role(&format!("{t}/AB")),
            FolderRole::Shard("AB".into())
        );
        let items = FolderRole::TicketItems {
            ticket: format!("{t}/AB/T-AB.md"),
        };
        assert_eq!(s.folder_role(&format!("{t}/AB/T-AB")), items);
        assert_eq!(s.folder_role(&format!("{t}/AB/T-AB/deeper")), items);
        assert_eq!(s.folder_role(&kb), FolderRole::Kb);
        assert_eq!(s.folder_role(&format!("{kb}/guides")), FolderRole::Kb);
        assert_eq!(s.folder_role(&cust), FolderRole::Customers);
        assert_eq!(
            s.folder_role(&format!("{cust}/old")),
            FolderRole::InCustomers
        );
        assert_eq!(s.folder_role("docs"), FolderRole::Elsewhere);
        assert_eq!(s.shard_of(&format!("{t}/AB/T-AB.md")), Some("AB"));
        assert_eq!(s.shard_of(&format!("{kb}/a.md")), None);
        let areas: Vec<Area> = s.data_folders().iter().map(|f| f.area).collect();
        assert_eq!(areas, [Area::Tickets, Area::Kb, Area::Customers]);
    }
}
