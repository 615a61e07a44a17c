//! The text of a ticket that matching reads: its title, its body and its comments' text,
//! and when it was opened. The index's documents and the query of `suggest` are both
//! made from it, so a ticket is compared with exactly the text it was indexed with.
//! Uses the store's loading only.

use super::{EntryFile, Store, StoreError, TicketFile};
use crate::model::{Entry, Time};

/// The searchable text of one ticket.
#[derive(Debug, Clone)]
pub struct TicketText<'a> {
    /// The ticket file's path.
    pub rel: &'a str,
    /// The title.
    pub title: &'a str,
    /// The Markdown body.
    pub body: &'a str,
    /// Each comment's Markdown text, oldest first.
    pub comments: Vec<String>,
    /// When the ticket was opened.
    pub created: &'a Time,
    /// When its newest comment was written (the last in time order), if it has one.
    pub latest_comment: Option<Time>,
}

impl TicketText<'_> {
    /// The comments' text in one string, a blank line between two comments.
    pub fn comments_text(&self) -> String {
        self.comments.join("\n\n")
    }

    /// The body followed by each comment, a blank line before each.
    pub fn body_and_comments(&self) -> String {
        let mut out = self.body.to_string();
        for c in &self.comments {
            out.push_str("\n\n");
            out.push_str(c);
        }
        out
    }
}

impl Store {
    /// The searchable text of a loaded ticket; comment files that do not load are left
    /// out (`check` reports them).
    pub fn ticket_text<'a>(&self, t: &'a TicketFile) -> Result<TicketText<'a>, StoreError> {
        Ok(TicketText::of(t, &self.timeline(&t.rel)?.items))
    }
}

impl<'a> TicketText<'a> {
    /// The searchable text of a ticket whose folder's entries are already loaded: the
    /// comments' text (events and ratings are no text to match).
    pub fn of(t: &'a TicketFile, entries: &[EntryFile]) -> TicketText<'a> {
        let comments: Vec<&EntryFile> = entries
            .iter()
            .filter(|e| matches!(e.entry, Entry::Comment(_)))
            .collect();
        TicketText {
            rel: &t.rel,
            title: &t.ticket.title,
            body: t.doc.body(),
            latest_comment: comments.last().map(|c| c.entry.created().clone()),
            comments: comments.into_iter().map(|c| c.body.clone()).collect(),
            created: &t.ticket.created,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<'a>(created: &'a Time, comments: &[&str]) -> TicketText<'a> {
        TicketText {
            rel: "tickets/AB/T-AB.md",
            title: "Disk full",
            body: "The disk is full.",
            comments: comments.iter().map(|c| c.to_string()).collect(),
            created,
            latest_comment: None,
        }
    }

    #[test]
    fn comments_follow_the_body_a_blank_line_apart() {
        let created = Time::new("2026-11-02T09:14:00Z");
        let none = text(&created, &[]);
        assert_eq!(none.body_and_comments(), "The disk is full.");
        assert_eq!(none.comments_text(), "");
        let two = text(&created, &["Which disk?", ""]);
        assert_eq!(
            two.body_and_comments(),
            "The disk is full.\n\nWhich disk?\n\n"
        );
        assert_eq!(two.comments_text(), "Which disk?\n\n");
    }
}
