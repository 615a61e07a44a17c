//! The rows that write: a new ticket, a comment and a removal, by docket and by the
//! git CLI, and the hand edit that the resync row reads after. What a run needs on disk
//! (a ticket file to add, a ticket to remove) is made before the timed processes.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Row, Target};
use crate::format::{file_text, text};
use crate::measure::Step;
use crate::rng::Rng;

/// Baseline of `docket new`: the runner writes a ticket file like the one docket
/// writes (untimed), then `git add FILE && git commit -m M` is timed.
pub(super) fn git_new_row(repo: &Path, tickets: &str, target: &Target) -> Row {
    let repo = repo.to_path_buf();
    let tickets = tickets.to_string();
    let title = target.title.clone();
    let body = target.body.clone();
    let mut rng = Rng::new(now_secs() as u64);
    Row::new(
        "new ticket",
        "git add FILE && git commit -m M (new ticket file)",
        Box::new(move || {
            let (id, rel) = loop {
                let id = format!("T-{}", rng.crockford(10));
                let rel = format!("{tickets}/{}/{id}.md", &id[2..4]);
                if !repo.join(&rel).exists() {
                    break (id, rel);
                }
            };
            let file = file_text(
                &[
                    ("id", text(&id)),
                    ("title", text(&title)),
                    ("status", text("open")),
                    ("created", text(&crate::format::time(now_secs()))),
                    ("reporter", text(&author())),
                ],
                &body,
            )?;
            write_file(&repo.join(&rel), &file)?;
            Ok(add_commit(&repo, &rel, &message("new", &id, &title)))
        }),
    )
}

/// Baseline of `docket comment`: a comment file written by the runner, then timed
/// `git add FILE && git commit -m M`.
pub(super) fn git_comment_row(repo: &Path, target: &Target) -> Row {
    let repo = repo.to_path_buf();
    let dir = target.rel.trim_end_matches(".md").to_string();
    let id = target.id.clone();
    let title = target.title.clone();
    let comment = target.comment.clone();
    let mut rng = Rng::new(now_secs() as u64 ^ 0x5eed);
    Row::new(
        "comment",
        "git add FILE && git commit -m M (new comment file)",
        Box::new(move || {
            let now = now_secs();
            let rel = format!(
                "{dir}/{}-alice-{}.md",
                crate::format::stamp_ms(now, now_ms()),
                rng.crockford(4)
            );
            let file = file_text(
                &[
                    ("author", text(&author())),
                    ("created", text(&crate::format::time(now))),
                ],
                &comment,
            )?;
            write_file(&repo.join(&rel), &file)?;
            Ok(add_commit(&repo, &rel, &message("comment", &id, &title)))
        }),
    )
}

/// Tickets to remove: each call writes a new ticket with one comment and commits it with
/// git (untimed), so every timed `rm` removes a different ticket, made just for it.
pub(super) struct Disposable {
    repo: PathBuf,
    tickets: String,
    title: String,
    body: String,
    comment: String,
    rng: Rng,
}

impl Disposable {
    fn new(repo: &Path, tickets: &str, target: &Target, seed: u64) -> Disposable {
        Disposable {
            repo: repo.to_path_buf(),
            tickets: tickets.to_string(),
            title: target.title.clone(),
            body: target.body.clone(),
            comment: target.comment.clone(),
            rng: Rng::new(now_secs() as u64 ^ seed),
        }
    }

    /// A new committed ticket: its id and its file's path.
    fn commit_one(&mut self) -> Result<(String, String), String> {
        let (id, rel) = loop {
            let id = format!("T-{}", self.rng.crockford(10));
            let rel = format!("{}/{}/{id}.md", self.tickets, &id[2..4]);
            if !self.repo.join(&rel).exists() {
                break (id, rel);
            }
        };
        let now = now_secs();
        let ticket = file_text(
            &[
                ("id", text(&id)),
                ("title", text(&self.title)),
                ("status", text("open")),
                ("created", text(&crate::format::time(now))),
                ("reporter", text(&author())),
            ],
            &self.body,
        )?;
        let comment_rel = format!(
            "{}/{}-alice-{}.md",
            rel.trim_end_matches(".md"),
            crate::format::stamp_ms(now, now_ms()),
            self.rng.crockford(4)
        );
        let comment = file_text(
            &[
                ("author", text(&author())),
                ("created", text(&crate::format::time(now))),
            ],
            &self.comment,
        )?;
        write_file(&self.repo.join(&rel), &ticket)?;
        write_file(&self.repo.join(&comment_rel), &comment)?;
        crate::git::run(&self.repo, &["add", &rel, &comment_rel], &[])?;
        let msg = message("new", &id, &self.title);
        crate::git::run(&self.repo, &["commit", "-q", "-m", &msg], &[])?;
        Ok((id, rel))
    }
}

/// Baseline of `docket rm`: `git rm -r -q FILE DIR && git commit -m M` on a ticket with
/// one comment, made and committed (untimed) for the run.
pub(super) fn git_rm_row(repo: &Path, tickets: &str, target: &Target) -> Row {
    let mut disposable = Disposable::new(repo, tickets, target, 0x0d15);
    Row::new(
        "remove a ticket",
        "git rm -r -q FILE DIR && git commit -m M (ticket and its comment)",
        Box::new(move || {
            let (id, rel) = disposable.commit_one()?;
            let repo = disposable.repo.clone();
            let msg = message("rm", &id, &disposable.title);
            Ok(vec![
                Step::new(
                    "git",
                    &repo,
                    &["rm", "-r", "-q", &rel, rel.trim_end_matches(".md")],
                ),
                Step::new("git", &repo, &["commit", "-m", &msg]),
            ])
        }),
    )
}

/// `docket rm ID` on a ticket with one comment, made and committed (untimed) for the
/// run: the link check through the index, then one commit.
pub(super) fn docket_rm_row(docket: &Path, repo: &Path, tickets: &str, target: &Target) -> Row {
    let mut disposable = Disposable::new(repo, tickets, target, 0xd0c7);
    let docket = docket.to_path_buf();
    Row::new(
        "remove a ticket",
        "docket rm ID",
        Box::new(move || {
            let (id, _) = disposable.commit_one()?;
            Ok(vec![Step::new(&docket, &disposable.repo, &["rm", &id])])
        }),
    )
}

/// `docket search` right after the ticket file was rewritten in place by hand (untimed;
/// one line appended, a different one each run), so the search first reindexes it. The
/// file is put back after the group.
pub(super) fn hand_edit_row(
    docket: &Path,
    repo: &Path,
    word: &str,
    target: &Target,
) -> Result<Row, String> {
    let path = repo.join(&target.rel);
    let original = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let step = Step::new(docket, repo, &["search", word]);
    let mut n = 0;
    let (p, text) = (path.clone(), original.clone());
    let mut row = Row::new(
        "resync after one changed file",
        format!("docket search {word} after a hand edit (in place) of one ticket"),
        Box::new(move || {
            n += 1;
            let mut f = fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&p)
                .map_err(|e| format!("{}: {e}", p.display()))?;
            write!(f, "{text}\nEdited by hand, round {n}.\n")
                .map_err(|e| format!("{}: {e}", p.display()))?;
            Ok(vec![step.clone()])
        }),
    );
    row.cleanup = Some(Box::new(move || write_file(&path, &original)));
    Ok(row)
}

/// A commit message in docket's grammar, so both sides write the same amount.
pub(super) fn message(action: &str, id: &str, title: &str) -> String {
    format!(
        "docket: {action} {id} \"{}\"\n\nDocket-Ticket: {id}\nDocket-Action: {action}\n",
        title.replace('"', "'")
    )
}

/// `git add FILE` then `git commit -m M`: two processes, timed together.
pub(super) fn add_commit(repo: &Path, rel: &str, msg: &str) -> Vec<Step> {
    vec![
        Step::new("git", repo, &["add", rel]),
        Step::new("git", repo, &["commit", "-m", msg]),
    ]
}

/// Writes a file, creating its folder.
pub(super) fn write_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `Name <email>` of the fixed identity.
pub(super) fn author() -> String {
    format!("{} <{}>", crate::git::AUTHOR_NAME, crate::git::AUTHOR_EMAIL)
}

/// Seconds since the epoch, now.
pub(super) fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// The milliseconds of now, for the stamp of a comment's file name.
fn now_ms() -> u16 {
    jiff::Timestamp::now().subsec_millisecond() as u16
}
