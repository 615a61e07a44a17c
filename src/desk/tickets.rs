//! The ticket lifecycle: new, comment, assign, close/resolve, reopen, link, edit (and
//! `set`, in its own file). Each operation builds one [`Change`] from the files as they
//! are under the lock.

use std::collections::BTreeSet;

use super::checks::{
    check_assignee, check_customer, check_level, known_refs, list_items, refuse_new_problems,
    single_line,
};
use super::{Change, Desk, DeskError, Outcome};
use crate::doc::{Document, Edit, Value};
use crate::model::{Config, RANDOM_LEN, TicketId, format_time};
use crate::store::{Store, TicketFile, validate_ticket};

/// What a ticket edit adds beside its frontmatter edits (see
/// [`Desk::edit_ticket_with`]).
#[derive(Debug, Default)]
pub(super) struct Extra {
    /// Edits of the ticket file.
    pub edits: Vec<Edit>,
    /// Files to add to the ticket's folder: path and text.
    pub files: Vec<(String, String)>,
    /// Commit trailers.
    pub trailers: Vec<(&'static str, String)>,
}

/// What `docket new` is given.
#[derive(Debug, Clone, Default)]
pub struct NewTicket {
    /// One-line summary.
    pub title: String,
    /// Markdown description.
    pub body: String,
    /// Labels.
    pub labels: Vec<String>,
    /// Customer slug.
    pub customer: Option<String>,
    /// Team handle.
    pub assignee: Option<String>,
    /// Who asked; defaults to the author.
    pub reporter: Option<String>,
    /// question, bug, incident, feature, task, ...
    pub kind: Option<String>,
    /// 1-5.
    pub importance: Option<u8>,
    /// 1-5.
    pub urgency: Option<u8>,
}

/// What `docket link` links to.
#[derive(Debug, Clone)]
pub enum LinkTarget {
    /// The earlier ticket this one repeats (closes this one as a duplicate).
    DuplicateOf(String),
    /// A related ticket.
    Relates(String),
    /// A KB article that answers it.
    Article(String),
}

/// Edits that move a ticket to `to`: the status, and `resolved` the first time it closes.
pub(super) fn status_edits(
    config: &Config,
    t: &TicketFile,
    to: &str,
    now: &str,
    details: &mut Vec<String>,
) -> Result<Vec<Edit>, DeskError> {
    let wf = &config.workflow;
    if !wf.knows(to) {
        return Err(DeskError::UnknownStatus {
            status: to.to_string(),
            known: wf.statuses.clone(),
        });
    }
    let from = t.ticket.status.as_str();
    if !wf.allows(from, to) {
        return Err(DeskError::Transition {
            id: t.ticket.id.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            allowed: wf.transitions.get(from).cloned().unwrap_or_default(),
        });
    }
    let mut edits = vec![Edit::Set(vec!["status".into()], Value::String(to.into()))];
    if from != to {
        details.push(format!("status: {from} -> {to}"));
    }
    if wf.is_closed(to) && t.doc.get(&["resolved"]).is_none() {
        edits.push(Edit::Set(
            vec!["resolved".into()],
            Value::String(now.into()),
        ));
    }
    Ok(edits)
}

impl Desk {
    /// A new ticket id no file has yet (drawn again on a clash, which a seeded source
    /// with HEAD unmoved would otherwise repeat).
    fn random_free_id(&self) -> Result<TicketId, DeskError> {
        let mut random = self.random(true)?;
        loop {
            let id = TicketId::from_random(random.bytes::<RANDOM_LEN>());
            if !self.store.abs(&self.store.ticket_rel(&id)).exists() {
                return Ok(id);
            }
        }
    }

    /// Opens a ticket.
    pub fn new_ticket(&self, new: NewTicket) -> Result<Outcome, DeskError> {
        single_line("title", &new.title)?;
        let config = self.store.config();
        if let Some(a) = &new.assignee {
            check_assignee(config, a)?;
        }
        if let Some(c) = &new.customer {
            check_customer(&self.store, c)?;
        }
        for (key, v) in [("importance", new.importance), ("urgency", new.urgency)] {
            if let Some(v) = v {
                check_level(key, &v.to_string())?;
            }
        }
        let mut labels = Vec::new();
        for l in &new.labels {
            labels.extend(list_items("--label ", l)?);
        }
        let reporter = match &new.reporter {
            Some(r) => r.clone(),
            None => self.author()?.to_string(),
        };
        let now = format_time(self.now());
        self.transact(|store| {
            let id = self.random_free_id()?;
            let rel = store.ticket_rel(&id);
            let s = |v: &str| Value::String(v.to_string());
            let opt = |v: &Option<String>| v.as_deref().map_or(Value::Null, s);
            let labels: Vec<Value> = dedup(&labels).into_iter().map(|l| s(&l)).collect();
            let level = |v: Option<u8>| v.map_or(Value::Null, |n| Value::Number(n.into()));
            let doc = Document::create(
                &[
                    ("id", s(id.as_str())),
                    ("title", s(new.title.trim())),
                    ("status", s(&store.config().workflow.initial)),
                    ("type", opt(&new.kind)),
                    ("created", s(&now)),
                    ("reporter", s(&reporter)),
                    ("assignee", opt(&new.assignee)),
                    ("customer", opt(&new.customer)),
                    ("labels", Value::Sequence(labels)),
                    ("importance", level(new.importance)),
                    ("urgency", level(new.urgency)),
                ],
                &new.body,
            )
            .map_err(DeskError::unstorable(&rel))?;
            let known = known_refs(store, &[&doc])?;
            refuse_new_problems(&[], validate_ticket(&doc, store.config(), &known, None))?;
            Ok(Change {
                action: "new",
                title: new.title.trim().to_string(),
                files: vec![(rel, doc.text().to_string())],
                details: Vec::new(),
                id: Some(id),
                trailers: Vec::new(),
            })
        })
    }

    /// Applies edits to one ticket file as one change, refused if the result has a
    /// problem `check` would report that the file did not have before.
    pub(super) fn edit_ticket(
        &self,
        prefix: &str,
        action: &'static str,
        build: impl FnOnce(&Store, &TicketFile, &mut Vec<String>) -> Result<Vec<Edit>, DeskError>,
    ) -> Result<Outcome, DeskError> {
        self.edit_ticket_with(prefix, action, |store, t, details| {
            Ok(Extra {
                edits: build(store, t, details)?,
                ..Extra::default()
            })
        })
    }

    /// `edit_ticket` for a change that also adds files to the ticket's folder (a comment,
    /// the record of a rule that fired) and trailers to the commit: `build` returns the
    /// edits and the extra files, whose names it draws with [`Desk::entry_rel`] avoiding
    /// the `taken` names; the event files are named after them.
    pub(super) fn edit_ticket_with(
        &self,
        prefix: &str,
        action: &'static str,
        build: impl FnOnce(&Store, &TicketFile, &mut Vec<String>) -> Result<Extra, DeskError>,
    ) -> Result<Outcome, DeskError> {
        self.transact(|store| {
            let t = store.ticket(prefix)?;
            let mut details = Vec::new();
            let extra = build(store, &t, &mut details)?;
            let mut doc = t.doc.clone();
            for e in &extra.edits {
                doc.apply(e)
                    .map_err(|e| DeskError::BadEdit(crate::store::Problem::from_doc(&t.rel, &e)))?;
            }
            let known = known_refs(store, &[&t.doc, &doc])?;
            let config = store.config();
            refuse_new_problems(
                &validate_ticket(&t.doc, config, &known, None),
                validate_ticket(&doc, config, &known, None),
            )?;
            // Passed even when unchanged: `transact` leaves it out if git has it, and
            // reports it if git does not.
            let mut files = vec![(t.rel.clone(), doc.text().to_string())];
            files.extend(extra.files);
            if let Ok(after) = crate::store::ticket_from_doc(&doc) {
                let taken: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
                files.extend(self.events_between(store, &t.rel, &t.ticket, &after, &taken)?);
            }
            Ok(Change {
                action,
                id: Some(t.ticket.id.clone()),
                title: t.ticket.title.clone(),
                files,
                details,
                trailers: extra.trailers,
            })
        })
    }

    /// Adds a comment (or an internal note) as a new file next to the ticket.
    pub fn comment(&self, prefix: &str, text: &str, internal: bool) -> Result<Outcome, DeskError> {
        if text.trim().is_empty() {
            return Err(DeskError::invalid(
                "the comment is empty",
                "give the text with -m TEXT",
            ));
        }
        let author = self.author()?;
        let now = self.now();
        self.transact(|store| {
            let t = store.ticket(prefix)?;
            let rel = self.entry_rel(store, &t.rel, &[])?;
            let mut fields = vec![
                ("author", Value::String(author.to_string())),
                ("created", Value::String(format_time(now))),
            ];
            if internal {
                fields.push(("internal", Value::Bool(true)));
            }
            let doc = Document::create(&fields, text).map_err(DeskError::unstorable(&rel))?;
            Ok(Change {
                action: if internal { "note" } else { "comment" },
                id: Some(t.ticket.id.clone()),
                title: t.ticket.title.clone(),
                files: vec![(rel, doc.text().to_string())],
                details: Vec::new(),
                trailers: Vec::new(),
            })
        })
    }

    /// Assigns a ticket to a team member (`-` unassigns).
    pub fn assign(&self, prefix: &str, who: &str) -> Result<Outcome, DeskError> {
        self.edit_ticket(prefix, "assign", |store, t, details| {
            if who == "-" || who.is_empty() {
                details.push("assignee: removed".into());
                return Ok(vec![Edit::Remove(vec!["assignee".into()])]);
            }
            check_assignee(store.config(), who)?;
            if t.ticket.assignee.as_deref() != Some(who) {
                details.push(format!("assignee: {who}"));
            }
            Ok(vec![Edit::Set(
                vec!["assignee".into()],
                Value::String(who.into()),
            )])
        })
    }

    /// Closes (`resolve: false`) or resolves a ticket, with an optional resolution.
    pub fn close(
        &self,
        prefix: &str,
        reason: Option<&str>,
        resolve: bool,
    ) -> Result<Outcome, DeskError> {
        let now = format_time(self.now());
        let action = if resolve { "resolve" } else { "close" };
        self.edit_ticket(prefix, action, |store, t, details| {
            let wf = &store.config().workflow;
            let to = if resolve { &wf.resolved } else { &wf.close };
            let mut edits = status_edits(store.config(), t, to, &now, details)?;
            if let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) {
                single_line("reason", r)?;
                details.push(format!("resolution: {r}"));
                edits.push(Edit::Set(
                    vec!["resolution".into()],
                    Value::String(r.into()),
                ));
            }
            Ok(edits)
        })
    }

    /// Reopens a closed ticket.
    pub fn reopen(&self, prefix: &str) -> Result<Outcome, DeskError> {
        let now = format_time(self.now());
        self.edit_ticket(prefix, "reopen", |store, t, details| {
            let wf = &store.config().workflow;
            if !wf.is_closed(&t.ticket.status) {
                return Err(DeskError::NotClosed {
                    id: t.ticket.id.to_string(),
                    status: t.ticket.status.clone(),
                });
            }
            let mut edits = status_edits(store.config(), t, &wf.reopen, &now, details)?;
            edits.push(Edit::Remove(vec!["resolution".into()]));
            Ok(edits)
        })
    }

    /// Links a ticket to another ticket or to a KB article.
    pub fn link(&self, prefix: &str, target: &LinkTarget) -> Result<Outcome, DeskError> {
        let now = format_time(self.now());
        self.edit_ticket(prefix, "link", |store, t, details| {
            let other = |p: &str| -> Result<String, DeskError> {
                let e = store.resolve(p)?;
                if e.id == t.ticket.id {
                    return Err(DeskError::invalid(
                        "a ticket cannot link to itself",
                        "give the id of another ticket",
                    ));
                }
                Ok(e.id.to_string())
            };
            let path = |k: &str| vec!["links".to_string(), k.to_string()];
            match target {
                LinkTarget::DuplicateOf(p) => {
                    let o = other(p)?;
                    details.push(format!("duplicate of {o}"));
                    let mut edits = vec![Edit::Set(path("duplicate_of"), Value::String(o))];
                    let wf = &store.config().workflow;
                    if !wf.is_closed(&t.ticket.status) && wf.allows(&t.ticket.status, &wf.close) {
                        edits.extend(status_edits(store.config(), t, &wf.close, &now, details)?);
                        edits.push(Edit::Set(vec!["resolution".into()], "duplicate".into()));
                    }
                    Ok(edits)
                }
                LinkTarget::Relates(p) => {
                    let o = other(p)?;
                    details.push(format!("relates to {o}"));
                    Ok(vec![Edit::Push(path("relates"), Value::String(o))])
                }
                LinkTarget::Article(slug) => {
                    if !store.article_exists(slug)? {
                        return Err(crate::store::StoreError::NoSuchRecord {
                            kind: "article",
                            slug: slug.clone(),
                        }
                        .into());
                    }
                    details.push(format!("answered by KB article {slug}"));
                    Ok(vec![Edit::Push(
                        path("articles"),
                        Value::String(slug.clone()),
                    )])
                }
            }
        })
    }

    /// The commits that touched a ticket or its comments, newest first.
    pub fn history(&self, prefix: &str) -> Result<Vec<crate::git::HistoryEntry>, DeskError> {
        let e = self.store.resolve(prefix)?;
        let comments = self.store.comments_rel(&e.rel);
        Ok(self.repo.history(&[e.rel, comments])?)
    }
}

/// A short, file-name-safe form of an author for comment file names (the part between
/// the stamp and the random characters), shared with tools that write comments.
pub fn author_slug(name: &str, email: &str) -> String {
    let base = if name.trim().is_empty() {
        email.split('@').next().unwrap_or("someone")
    } else {
        name
    };
    let mut s = String::new();
    for c in base.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
        if s.len() >= 20 {
            break;
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() { "someone".into() } else { s }
}

pub(super) fn dedup(items: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    items
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && seen.insert(s.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_slugs_are_file_safe() {
        assert_eq!(author_slug("Dana Whitfield", "d@x"), "dana-whitfield");
        assert_eq!(author_slug("", "dana@x.example"), "dana");
        assert_eq!(author_slug("李雷", "li@x"), "someone");
    }
}
