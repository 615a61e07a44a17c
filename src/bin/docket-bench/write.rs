//! `docket-bench gen`: writes a plan as a docket repository (the layout of
//! `fixtures/demo/config.yaml`, the file formats of [`crate::format`]) and commits it
//! with the git CLI in a few large commits, streamed through `git fast-import` so the
//! history lands in one pack, as in a cloned repository.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::format::{article_text, comment_text, event_text, rating_text, stamp_ms, ticket_text};
use crate::git::Commit;
use crate::people::Person;
use crate::plan::{Plan, TicketPlan};

/// Tickets and their comment folders, as in the demo config.
const TICKETS: &str = "support/tickets";
/// KB articles, as in the demo config.
const KB: &str = "support/kb";
/// Customer records, as in the demo config.
const CUSTOMERS: &str = "support/customers";

/// Fixed commit date (2026-11-15T12:00:00Z), so the same seed gives the same commit ids.
const COMMIT_SECS: i64 = 1_794_744_000;

/// How many commits the tickets and comments are spread over.
const TICKET_COMMITS: usize = 4;

/// Writes files, creating each folder once.
struct Writer {
    root: PathBuf,
    made: HashSet<PathBuf>,
    files: usize,
    bytes: usize,
}

impl Writer {
    /// A writer for the work tree at `root`.
    fn new(root: &Path) -> Writer {
        Writer {
            root: root.to_path_buf(),
            made: HashSet::new(),
            files: 0,
            bytes: 0,
        }
    }

    /// Writes `text` at the repository-relative path `rel`.
    fn write(&mut self, rel: &str, text: &str) -> Result<(), String> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent()
            && !self.made.contains(dir)
        {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            self.made.insert(dir.to_path_buf());
        }
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        self.files += 1;
        self.bytes += text.len();
        Ok(())
    }
}

/// Refuses to write into a folder that already has files, so a typo cannot clobber
/// a real repository.
pub fn ensure_empty(dir: &Path) -> Result<(), String> {
    match fs::read_dir(dir) {
        Ok(mut rd) => {
            if rd.next().is_some() {
                return Err(format!(
                    "{}: the folder is not empty (give a new folder)",
                    dir.display()
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
        }
        Err(e) => Err(format!("{}: {e}", dir.display())),
    }
}

/// Writes the docket repository and commits it; returns (files, bytes).
pub fn write_docket(plan: &Plan, dir: &Path) -> Result<(usize, usize), String> {
    ensure_empty(dir)?;
    crate::git::run(dir, &["init", "-q", "-b", "main"], &[])?;
    let t = Instant::now();
    let commits = commits(plan)?;
    eprintln!("  files rendered: {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut w = Writer::new(dir);
    for c in &commits {
        for (rel, text) in &c.files {
            w.write(rel, text)?;
        }
    }
    eprintln!("  files written: {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    crate::git::fast_import(dir, &commits, COMMIT_SECS)?;
    eprintln!(
        "  {} commits (git fast-import, git reset): {:.1} s",
        commits.len(),
        t.elapsed().as_secs_f64()
    );
    Ok((w.files, w.bytes))
}

/// The history: configuration and customers, then the KB, then the tickets with their
/// comments in a few commits of whole shard folders.
fn commits(plan: &Plan) -> Result<Vec<Commit>, String> {
    let mut setup = vec![(
        ".docket/config.yaml".to_string(),
        crate::policy::config_text(),
    )];
    for (rel, text) in crate::policy::TEMPLATES {
        setup.push((rel.to_string(), text.to_string()));
    }
    for c in &plan.customers {
        let text = crate::customers::customer_text(c)?;
        setup.push((format!("{CUSTOMERS}/{}.md", c.slug), text));
    }
    let kb = plan
        .articles
        .iter()
        .map(|a| Ok((format!("{KB}/{}.md", a.slug), article_text(a)?)))
        .collect::<Result<_, String>>()?;
    let mut out = vec![
        Commit {
            message: "Set up docket: configuration and customers\n".into(),
            files: setup,
        },
        Commit {
            message: format!(
                "Import the knowledge base ({} articles)\n",
                plan.articles.len()
            ),
            files: kb,
        },
    ];
    out.extend(ticket_commits(plan)?);
    Ok(out)
}

/// Tickets and comments, grouped by shard folder into a few commits.
fn ticket_commits(plan: &Plan) -> Result<Vec<Commit>, String> {
    let mut by_shard: BTreeMap<&str, Vec<&TicketPlan>> = BTreeMap::new();
    for t in &plan.tickets {
        by_shard.entry(t.shard()).or_default().push(t);
    }
    let shards: Vec<&str> = by_shard.keys().copied().collect();
    if shards.is_empty() {
        return Ok(Vec::new());
    }
    let per = shards.len().div_ceil(TICKET_COMMITS);
    let chunks: Vec<&[&str]> = shards.chunks(per).collect();
    let n = chunks.len();
    chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let files = chunk
                .iter()
                .flat_map(|s| by_shard[s].iter().map(|t| ticket_files(t)))
                .collect::<Result<Vec<_>, String>>()?;
            Ok(Commit {
                message: format!(
                    "Import tickets and comments (part {} of {n}: folders {} to {})\n",
                    i + 1,
                    chunk.first().copied().unwrap_or_default(),
                    chunk.last().copied().unwrap_or_default()
                ),
                files: files.concat(),
            })
        })
        .collect()
}

/// A ticket's file and its timeline's files (comments, events, the rating).
fn ticket_files(t: &TicketPlan) -> Result<Vec<(String, String)>, String> {
    let mut out = vec![(
        format!("{TICKETS}/{}/{}.md", t.shard(), t.id),
        ticket_text(t)?,
    )];
    let rel = |at: i64, ms: u16, who: &Person, suffix: &str| {
        format!(
            "{TICKETS}/{}/{}/{}-{}-{suffix}.md",
            t.shard(),
            t.id,
            stamp_ms(at, ms),
            who.file_handle(),
        )
    };
    for c in &t.comments {
        out.push((rel(c.created, c.ms, &c.author, &c.suffix), comment_text(c)?));
    }
    for e in &t.events {
        out.push((rel(e.created, e.ms, &e.author, &e.suffix), event_text(e)?));
    }
    if let Some(r) = &t.rating {
        out.push((rel(r.created, r.ms, &r.author, &r.suffix), rating_text(r)?));
    }
    Ok(out)
}
