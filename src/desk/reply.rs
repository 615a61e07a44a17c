//! `reply`: a public comment from a template (or text), with field changes, in one
//! commit; optionally with a link to the KB article that best answers the ticket.
//!
//! Decisions:
//! - The reply is one [`Desk::update`] with action `reply`: the comment file, the
//!   ticket's changed file and the event files of what it changed, in one commit, with a
//!   `Docket-Template:` trailer when a template made it. Its author is who acts.
//! - `--set KEY=VALUE` with a template: a key that is a ticket field (docket's own keys,
//!   `links.*`, the config's `fields`, or a key the ticket already has) is applied like
//!   `docket set`; every `KEY=VALUE` also fills `{{set.KEY}}`. A key that is neither a
//!   field nor used by the template is refused, so a typo is not silently dropped.
//!   The template's own `set:` values apply first, then the given ones.
//! - `--suggest` looks for the best article the same way `docket suggest` does, skipping
//!   drafts, archived articles and (in a public reply) internal ones. At or above
//!   `reply.suggest_threshold` it appends a link line and adds the slug to
//!   `links.articles`; below, it adds nothing and the caller says so.

use std::collections::BTreeMap;

use super::{AssignOp, Assignment, Desk, DeskError, Outcome, Update, UpdateComment};
use crate::index::{IndexError, Progress};
use crate::model::{ArticleStatus, Audience, LINK_KEYS, TICKET_KEYS};
use crate::store::TicketFile;

/// What `reply` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    /// A template's name (without `.md`).
    pub template: Option<String>,
    /// The text, instead of a template.
    pub message: Option<String>,
    /// Values to set (and, with a template, to fill `{{set.KEY}}`).
    pub set: Vec<Assignment>,
    /// The KB article to link, from [`Desk::reply_article`].
    pub article: Option<ArticlePick>,
}

/// The best article for a reply, and whether it scores enough to be linked.
#[derive(Debug, Clone)]
pub struct ArticlePick {
    /// Its slug.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Where readers find it: the configured address, else its file path.
    pub link: String,
    /// Its score, as `suggest` gives it.
    pub score: f32,
    /// The score it must reach (`reply.suggest_threshold`).
    pub threshold: f32,
}

impl ArticlePick {
    /// Whether it scores enough to be linked.
    pub fn good_enough(&self) -> bool {
        self.score >= self.threshold
    }
}

impl Desk {
    /// Replies to a ticket: one commit with the comment and the values set.
    pub fn reply(&self, prefix: &str, reply: &Reply) -> Result<Outcome, DeskError> {
        let ticket = self.store().ticket(prefix)?;
        let mut update = Update {
            action: "reply",
            ..Update::default()
        };
        let (mut text, internal) = match (&reply.template, &reply.message) {
            (Some(name), None) => {
                let (text, internal, assignments) =
                    self.reply_from_template(name, &ticket, reply)?;
                update.assignments = assignments;
                update.trailers.push(("Docket-Template", name.clone()));
                update.details.push(format!("reply from template {name}"));
                (text, internal)
            }
            (None, Some(message)) => {
                update.assignments = reply.set.clone();
                (message.clone(), false)
            }
            _ => {
                return Err(DeskError::invalid(
                    "a reply needs either a template or a text",
                    "give --template NAME or -m TEXT, not both",
                ));
            }
        };
        if text.trim().is_empty() {
            return Err(DeskError::invalid(
                "the reply is empty",
                "give the text with -m TEXT, or a template with text in it",
            ));
        }
        if let Some(a) = reply.article.as_ref().filter(|a| a.good_enough()) {
            text = format!(
                "{}\n\nSee also: [{}]({})\n",
                text.trim_end(),
                a.title.replace(['[', ']'], ""),
                a.link
            );
            update.assignments.push(Assignment {
                key: vec!["links".into(), "articles".into()],
                op: AssignOp::Add,
                value: a.slug.clone(),
            });
        }
        update.comment = Some(UpdateComment { text, internal });
        self.update(ticket.ticket.id.as_str(), &update)
    }

    /// A template's text, whether it is internal, and the values to set: the template's,
    /// then the given ones that are ticket fields.
    fn reply_from_template(
        &self,
        name: &str,
        ticket: &TicketFile,
        reply: &Reply,
    ) -> Result<(String, bool, Vec<Assignment>), DeskError> {
        let values: BTreeMap<String, String> = reply
            .set
            .iter()
            .filter(|a| a.op == AssignOp::Set)
            .map(|a| (a.key.join("."), a.value.clone()))
            .collect();
        let rendered = self.render_template(name, ticket, &values)?;
        let mut assignments = rendered.assignments;
        for a in &reply.set {
            let key = a.key.join(".");
            if self.is_ticket_field(ticket, &a.key) {
                assignments.push(a.clone());
            } else if !rendered.set_names.contains(&key) {
                return Err(DeskError::invalid(
                    format!(
                        "--set {key}: `{key}` is not a ticket field, and {} has no {{{{set.{key}}}}}",
                        rendered.path
                    ),
                    "check the spelling; a custom field must be declared under `fields:` in .docket/config.yaml",
                ));
            }
        }
        Ok((rendered.text, rendered.internal, assignments))
    }

    /// Whether `docket set` would write `key` on this ticket as a field.
    fn is_ticket_field(&self, ticket: &TicketFile, key: &[String]) -> bool {
        match key {
            [k] => {
                TICKET_KEYS.contains(&k.as_str())
                    || self.store().config().field(k).is_some()
                    || ticket.doc.get(&[k]).is_some()
            }
            [l, k] => l == "links" && LINK_KEYS.contains(&k.as_str()),
            _ => false,
        }
    }

    /// The best KB article to link from a reply to the ticket, as `suggest` ranks them:
    /// published, and public unless the reply is an internal note. `None`: no article
    /// matches at all.
    pub fn reply_article(
        &self,
        prefix: &str,
        internal: bool,
        progress: &dyn Progress,
    ) -> Result<super::Indexed<Option<ArticlePick>>, IndexError> {
        let found = self.suggest(prefix, 10, progress)?;
        let config = self.store().config();
        let mut pick = None;
        for m in &found.value.suggestions.articles {
            let Ok(record) = self.store().article(&m.id) else {
                continue;
            };
            let a = &record.value;
            if a.shown_status() != ArticleStatus::Published
                || (!internal && a.audience == Audience::Internal)
            {
                continue;
            }
            let link = match &config.reply.article_url {
                Some(pattern) => pattern.replace("{slug}", &record.slug),
                None => record.rel.clone(),
            };
            pick = Some(ArticlePick {
                slug: record.slug.clone(),
                title: a.title.clone(),
                link,
                score: m.score,
                threshold: config.reply.suggest_threshold,
            });
            break;
        }
        Ok(super::Indexed {
            value: pick,
            notices: found.notices,
        })
    }
}
