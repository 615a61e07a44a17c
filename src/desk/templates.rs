//! Reply templates in the templates folder: read one, fill its placeholders from a
//! ticket, its customer and the agent, and return the text and the values it sets.
//!
//! A template is `<paths.templates>/NAME.md`: Markdown with placeholders (the syntax is
//! in [`crate::support::template`]) and optional frontmatter:
//!
//! ```yaml
//! ---
//! set: [status=pending, labels+=waiting]   # applied with the reply, as `docket set` takes them
//! internal: true                           # an internal note, not a public comment
//! description: Ask for the logs            # for whoever picks templates; not sent
//! ---
//! ```
//!
//! Placeholders: `ticket.` `id`, `title`, `status`, `type`, `priority` (the band, as `show`
//! gives it), `assignee`, `reporter`, `reporter_name`, `reporter_email`, `customer` (the
//! slug), `created`, `labels` (comma-separated); `customer.` `name`, `slug`, `tier`,
//! `org` (from the customer record); `agent.` `name`, `email`, `handle` (who acts: the
//! team member the config's `team` names for them, else git's identity); `set.KEY`
//! (`reply --set KEY=VALUE`). The ticket is as it is before the reply's own changes
//! (`{{set.status}}` gives a new status). A missing value, an unknown name, a frontmatter
//! key docket does not know or a `set:` item that is no assignment is an error naming
//! the file and its line; nothing is written.

use std::collections::BTreeMap;

mod values;

use super::{Assignment, Desk, DeskError};
use crate::doc::Document;
use crate::model::{Customer, Slug};
use crate::store::TicketFile;
use crate::support::template::{TemplateError, placeholders, render};
use values::TemplateValues;

/// A filled template.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The comment's text.
    pub text: String,
    /// The values the template's frontmatter sets (`set:`), in its order. Values given
    /// for `{{set.KEY}}` fill the text only: the caller applies its own.
    pub assignments: Vec<Assignment>,
    /// Whether the template makes an internal note (`internal: true`).
    pub internal: bool,
    /// The template file, repository-relative.
    pub path: String,
    /// The `set.KEY` names the template uses.
    pub set_names: Vec<String>,
}

/// The frontmatter keys a template may have.
const TEMPLATE_KEYS: &[&str] = &["set", "internal", "description"];

impl Desk {
    /// Fills template `name` for a ticket; `values` fill `{{set.KEY}}`-style extras.
    pub fn render_template(
        &self,
        name: &str,
        ticket: &TicketFile,
        values: &BTreeMap<String, String>,
    ) -> Result<Rendered, DeskError> {
        let (rel, doc) = self.read_template(name)?;
        let internal = internal_flag(&rel, &doc)?;
        let located = |line: usize, message: String, hint: String| {
            DeskError::invalid(format!("{rel}:{line}: {message}"), hint)
        };
        let items = match doc.get_as::<Vec<String>>(&["set"]) {
            None => Vec::new(),
            Some(Ok(items)) => items,
            Some(Err(e)) => {
                return Err(located(
                    doc.line_of(&["set"]).unwrap_or(1),
                    format!("`set` must be a list of key=value: {e}"),
                    "write it like `set: [status=pending, labels+=waiting]`".into(),
                ));
            }
        };
        let mut assignments = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let a = item.parse::<Assignment>().map_err(|e| {
                let line = doc.item_line(&["set"], i).unwrap_or(1);
                let hint = e.hint().unwrap_or_default();
                located(line, e.to_string(), hint)
            })?;
            assignments.push(a);
        }
        let body = doc.body();
        let first_line = doc.text()[..doc.text().len() - body.len()]
            .matches('\n')
            .count();
        let fill = TemplateValues {
            ticket,
            customer: self.template_customer(ticket)?,
            agent: self.author()?,
            desk: self,
            values,
        };
        let text = render(body, &|name| fill.lookup(name))
            .map_err(|e: TemplateError| located(first_line + e.line, e.message, e.hint))?;
        let set_names = placeholders(body)
            .into_iter()
            .filter_map(|n| n.strip_prefix("set.").map(str::to_string))
            .collect();
        Ok(Rendered {
            text,
            assignments,
            internal,
            path: rel,
            set_names,
        })
    }

    /// Whether template `name` makes an internal note (`internal: true`).
    pub fn template_internal(&self, name: &str) -> Result<bool, DeskError> {
        let (rel, doc) = self.read_template(name)?;
        internal_flag(&rel, &doc)
    }

    /// The path and the parsed file of template `name`, its frontmatter keys checked.
    fn read_template(&self, name: &str) -> Result<(String, Document), DeskError> {
        let rel = self.template_rel(name)?;
        if !self.store().exists(&rel) {
            return Err(self.no_template(name, &rel));
        }
        let doc = self.store().read_doc(&rel)?;
        for key in doc.values().keys() {
            let key = crate::doc::render_scalar(key);
            if !TEMPLATE_KEYS.contains(&key.as_str()) {
                return Err(DeskError::invalid(
                    format!(
                        "{rel}:{}: unknown key `{key}` in a template's frontmatter",
                        doc.line_of(&[&key]).unwrap_or(1)
                    ),
                    "a template's frontmatter takes `set:` (a list of key=value), `internal:` (true or false) and `description:`",
                ));
            }
        }
        Ok((rel, doc))
    }

    /// Where template `name` is (`.md` may be given or not); a name that could leave the
    /// folder is refused.
    fn template_rel(&self, name: &str) -> Result<String, DeskError> {
        let bare = name.strip_suffix(".md").unwrap_or(name);
        let slug: Slug = bare.parse().map_err(|e| {
            DeskError::invalid(
                format!("`{name}` is not a template name: {e}"),
                "give the file name of a template in the templates folder, without `.md`",
            )
        })?;
        let folder = self.store().config().paths.templates.trim_end_matches('/');
        Ok(format!("{folder}/{slug}.md"))
    }

    /// The error for a template that is not there, with the ones that are.
    fn no_template(&self, name: &str, rel: &str) -> DeskError {
        let folder = self.store().config().paths.templates.trim_end_matches('/');
        let mut names: Vec<String> = self
            .store()
            .path(folder)
            .ok()
            .and_then(|dir| std::fs::read_dir(dir).ok())
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let file = e.ok()?.file_name().to_string_lossy().into_owned();
                file.strip_suffix(".md").map(str::to_string)
            })
            .collect();
        names.sort();
        let hint = if names.is_empty() {
            format!("write the reply as Markdown in {rel}, or give the text with -m TEXT")
        } else {
            format!("the templates are {}", names.join(", "))
        };
        DeskError::invalid(format!("no template `{name}`: {rel} does not exist"), hint)
    }

    /// The ticket's customer record, if it has one.
    fn template_customer(&self, ticket: &TicketFile) -> Result<Option<Customer>, DeskError> {
        match &ticket.ticket.customer {
            Some(slug) => Ok(self.store().customer_values(slug)?),
            None => Ok(None),
        }
    }
}

/// A template's `internal:` value (false when absent).
fn internal_flag(rel: &str, doc: &Document) -> Result<bool, DeskError> {
    match doc.get_as::<bool>(&["internal"]) {
        None => Ok(false),
        Some(Ok(b)) => Ok(b),
        Some(Err(e)) => Err(DeskError::invalid(
            format!(
                "{rel}:{}: `internal` must be true or false: {e}",
                doc.line_of(&["internal"]).unwrap_or(1)
            ),
            "write `internal: true` for an internal note",
        )),
    }
}
