//! Hand edits (`docket edit`, `docket kb edit`): the user's editor changes the file in
//! place, and docket commits what it left once the file reads as a ticket (or an article)
//! again. Text that does not is kept in the file, and the next hand edit of the same
//! ticket opens it again: the file is found by its path (a ticket's `<shard>/<ID>.md`, an
//! article's path in the KB), never by reading it, so a broken file can still be mended.

use super::{Change, Desk, DeskError, Outcome};
use crate::doc::Document;
use crate::git::PathState;
use crate::model::TicketId;
use crate::store::{
    Problem, StoreError, article_from_doc, ticket_from_doc, validate_article, validate_ticket,
};

/// A hand edit in progress: the file the editor opens, and what it must still be when
/// the editor is done.
#[derive(Debug, Clone)]
pub struct HandEdit {
    /// The file, as the store names it.
    pub rel: String,
    /// The file holds changes git does not have (text kept from a failed edit, or a
    /// hand edit): the editor opens them and they are committed with the edit.
    pub kept: bool,
    subject: Subject,
    /// The file's bytes when the edit began, to tell "nothing changed" without a commit
    /// to compare with (`--no-commit`).
    before: Vec<u8>,
}

/// What a hand-edited file is.
#[derive(Debug, Clone)]
enum Subject {
    /// A ticket, whose id its file name gives.
    Ticket(TicketId),
    /// A KB article, by its path inside the KB folder without `.md` (a key that finds
    /// it even while its frontmatter does not parse).
    Article(String),
}

impl HandEdit {
    /// What the edit is about, as the status line names it: the ticket id or the
    /// article's key.
    pub fn name(&self) -> &str {
        match &self.subject {
            Subject::Ticket(id) => id.as_str(),
            Subject::Article(key) => key,
        }
    }

    /// The command that opens the kept text again.
    fn retry(&self) -> String {
        match &self.subject {
            Subject::Ticket(id) => format!("docket edit {id}"),
            Subject::Article(key) => format!("docket kb edit {key}"),
        }
    }

    /// The problem that stops the commit, with the text kept for the next try.
    fn kept_text(&self, problem: Problem) -> DeskError {
        DeskError::EditKept {
            problem: problem.with_path(&self.rel),
            retry: self.retry(),
        }
    }
}

impl Desk {
    /// Starts a hand edit of a ticket, found by id or unique prefix even when its file
    /// does not parse.
    ///
    /// A file with uncommitted changes is opened as it is, whatever made them (a failed
    /// `docket edit`, or a fix or another change by hand), and what the user saves is
    /// committed. That keeps docket's rule never to overwrite a hand edit: docket writes
    /// nothing into the file, the editor starts from its current text, and the commit
    /// holds only what the user saw and saved (the CLI says so before the editor opens).
    /// Telling a failed edit's text from other hand edits would take a marker that goes
    /// stale when the user drops the text with git, and would still refuse the case the
    /// failure message sends the user to: the text fixed by hand in another editor. A file
    /// git has never had is still refused ([`DeskError::Dirty`]): committing it as an
    /// `edit` would record a whole new ticket under the wrong verb.
    pub fn edit_begin(&self, prefix: &str) -> Result<HandEdit, DeskError> {
        let entry = self.store.resolve(prefix)?;
        self.begin(entry.rel, Subject::Ticket(entry.id))
    }

    /// Starts a hand edit of a KB article, named by slug or by its path inside the KB
    /// folder (with or without `.md`); an article whose file does not parse is found by
    /// its path. Files with uncommitted changes are handled as in [`Desk::edit_begin`].
    pub fn article_edit_begin(&self, key: &str) -> Result<HandEdit, DeskError> {
        let rel = match self.store.article(key) {
            Ok(a) => a.rel,
            Err(e @ StoreError::NoSuchRecord { .. }) => {
                let kb = self.store.kb_rel().trim_end_matches('/');
                let wanted = format!("{kb}/{}.md", key.trim_end_matches(".md"));
                let broken = self
                    .store
                    .articles()?
                    .problems
                    .into_iter()
                    .find(|p| p.path.to_string_lossy() == wanted);
                broken.map(|_| wanted).ok_or(e)?
            }
            Err(e) => return Err(e.into()),
        };
        let kb = format!("{}/", self.store.kb_rel().trim_end_matches('/'));
        let key = rel.strip_prefix(&kb).unwrap_or(&rel);
        let key = key.strip_suffix(".md").unwrap_or(key).to_string();
        self.begin(rel, Subject::Article(key))
    }

    /// Opens the edit of the file at `rel`: a file docket refuses to read (a symbolic
    /// link) stays refused, while text that does not parse is what the edit is for.
    fn begin(&self, rel: String, subject: Subject) -> Result<HandEdit, DeskError> {
        match self.store.read_doc(&rel) {
            Ok(_) | Err(StoreError::Bad(_)) => {}
            Err(e) => return Err(e.into()),
        }
        let kept = self.commits()
            && match self.path_state_of(&rel)? {
                PathState::Untracked => {
                    return Err(DeskError::Dirty {
                        path: rel,
                        untracked: true,
                    });
                }
                PathState::Modified => true,
                PathState::Clean | PathState::Missing => false,
            };
        let before = std::fs::read(self.store.abs(&rel)).map_err(|e| StoreError::io(&rel, e))?;
        Ok(HandEdit {
            rel,
            kept,
            subject,
            before,
        })
    }

    /// Commits what the editor left, once it reads as the same ticket (or as an article)
    /// and passes the checks of `docket check`; otherwise the text stays in the file for
    /// the next try ([`DeskError::EditKept`]). Text that is what git already has is
    /// "nothing to change", with no commit; text git does not have is committed even when
    /// the editor left it as it found it, as it is what the user was shown.
    pub fn edit_finish(&self, edit: &HandEdit) -> Result<Outcome, DeskError> {
        let rel = &edit.rel;
        let after = self.store.read_doc(rel).map_err(|e| match e {
            StoreError::Bad(p) => edit.kept_text(p),
            other => other.into(),
        })?;
        let (action, id, title) = match &edit.subject {
            Subject::Ticket(id) => {
                let ticket = ticket_from_doc(&after).map_err(|p| edit.kept_text(p))?;
                if &ticket.id != id {
                    let line = after.line_of(&["id"]).unwrap_or(1);
                    let moved = format!("the id changed from `{id}` to `{}`", ticket.id);
                    return Err(edit.kept_text(
                        Problem::at(rel, line, moved).hint("put the id back: it names the file"),
                    ));
                }
                let problems =
                    validate_ticket(&after, self.store.config(), &Default::default(), None);
                if let Some(p) = problems.into_iter().next() {
                    return Err(edit.kept_text(p));
                }
                ("edit", Some(ticket.id), ticket.title)
            }
            Subject::Article(key) => {
                article_from_doc(&after).map_err(|p| edit.kept_text(p))?;
                if let Some(p) = validate_article(&after).into_iter().next() {
                    return Err(edit.kept_text(p));
                }
                let slug = after.get(&["slug"]).and_then(|v| v.as_str());
                ("kb-edit", None, slug.unwrap_or(key).to_string())
            }
        };
        let unchanged = if self.commits() {
            self.path_state_of(rel)? == PathState::Clean
        } else {
            after.text().as_bytes() == edit.before.as_slice()
        };
        if unchanged {
            return Ok(Outcome {
                id,
                action,
                paths: Vec::new(),
                commit: None,
                changed: false,
                recovered: Vec::new(),
                warnings: Vec::new(),
            });
        }
        if !self.commits() {
            // The editor wrote the file; there is nothing left to do.
            return Ok(Outcome {
                id,
                action,
                paths: vec![rel.clone()],
                commit: None,
                changed: true,
                recovered: Vec::new(),
                warnings: Vec::new(),
            });
        }
        let text = after.text().to_string();
        self.transact_checked(
            |store| {
                let mut files = vec![(rel.clone(), text)];
                if let Subject::Ticket(_) = &edit.subject
                    && let Ok(before) = Document::parse(&edit.before)
                    && let Ok(before) = ticket_from_doc(&before)
                    && let Ok(now) = ticket_from_doc(&after)
                {
                    files.extend(self.events_between(store, rel, &before, &now, &[])?);
                }
                Ok(Change {
                    action,
                    id,
                    title,
                    files,
                    details: Vec::new(),
                    trailers: Vec::new(),
                })
            },
            false,
        )
    }
}
