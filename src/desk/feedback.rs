//! `feedback`: a CSAT rating as its own file in the ticket's folder, so ratings never
//! conflict and reports count them from the files alone.

use super::{Change, Desk, DeskError, Outcome};
use crate::doc::{Document, Value};
use crate::model::format_time;

/// What `docket feedback` is given.
#[derive(Debug, Clone, Default)]
pub struct NewRating {
    /// 1-5.
    pub rating: u8,
    /// The customer's words.
    pub text: String,
    /// The customer, `Name <email>`, when a team member records it on their behalf.
    pub from: Option<String>,
    /// Rate an open ticket anyway.
    pub force: bool,
}

impl Desk {
    /// Records a rating of a closed or resolved ticket.
    pub fn feedback(&self, prefix: &str, new: NewRating) -> Result<Outcome, DeskError> {
        if !(1..=5).contains(&new.rating) {
            return Err(DeskError::invalid(
                format!("the rating {} is not from 1 to 5", new.rating),
                "give --rating 1 (very unhappy) to 5 (very happy)",
            ));
        }
        let me = self.author()?.to_string();
        let (author, recorded_by) = match new.from.as_deref().map(str::trim) {
            Some(from) if !from.is_empty() => {
                super::checks::single_line("--from", from)?;
                (from.to_string(), Some(me))
            }
            _ => (me, None),
        };
        let now = format_time(self.now());
        self.transact(|store| {
            let t = store.ticket(prefix)?;
            let wf = &store.config().workflow;
            if !wf.is_closed(&t.ticket.status) && !new.force {
                return Err(DeskError::invalid(
                    format!(
                        "{} is {}, not resolved or closed: ratings are of finished work",
                        t.ticket.id, t.ticket.status
                    ),
                    "resolve or close it first, or pass --force to rate it as it is",
                ));
            }
            let rel = self.entry_rel(store, &t.rel, &[])?;
            let mut fields = vec![
                ("author", Value::String(author.clone())),
                ("created", Value::String(now.clone())),
                ("rating", Value::Number(new.rating.into())),
            ];
            if let Some(r) = &recorded_by {
                fields.push(("recorded_by", Value::String(r.clone())));
            }
            let doc =
                Document::create(&fields, new.text.trim()).map_err(DeskError::unstorable(&rel))?;
            Ok(Change {
                action: "feedback",
                id: Some(t.ticket.id.clone()),
                title: t.ticket.title.clone(),
                files: vec![(rel, doc.text().to_string())],
                details: vec![format!("rating: {}", new.rating)],
                trailers: Vec::new(),
            })
        })
    }
}
