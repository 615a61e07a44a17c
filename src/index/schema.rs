//! The fields of the one tantivy index that holds tickets (with their comments' text), KB
//! articles and customers, told apart by `kind`. Each document is keyed by the path of
//! its main file, so a changed file is replaced with one `delete_term` on that path.

use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::text::{KEYWORD, TEXT};

/// Bump when the schema or the analysis changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: &str = "docket-index-3";

/// Handles to every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Path of the main file, relative to the repository root (the document key).
    pub key: Field,
    /// `ticket`, `kb`, `customer` or `problem` (a file that did not load).
    pub kind: Field,
    /// Ticket id, article id or slug, customer slug (as written).
    pub id: Field,
    /// Ticket ids only, for prefix resolution and short ids.
    pub tid: Field,
    /// Title (or customer name).
    pub title: Field,
    /// Markdown body.
    pub body: Field,
    /// Text of a ticket's comments.
    pub comments: Field,
    /// Labels or tags, one term each.
    pub label: Field,
    /// Status, one lower-case term.
    pub status: Field,
    /// Customer slug of a ticket (or the slug of a customer record).
    pub customer: Field,
    /// Slugs or ids of the KB articles a ticket links to.
    pub articles: Field,
    /// The ticket this one duplicates, if any.
    pub duplicate_of: Field,
    /// Creation time as written (RFC 3339 sorts as text).
    pub created: Field,
    /// The frontmatter values as JSON (tickets), or the problem message.
    pub data: Field,
}

/// Builds the schema and returns it with its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let keyword = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(KEYWORD)
            .set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", keyword.clone() | STORED),
        tid: b.add_text_field("tid", STRING),
        title: b.add_text_field("title", text.clone() | STORED),
        body: b.add_text_field("body", text.clone() | STORED),
        comments: b.add_text_field("comments", text),
        label: b.add_text_field("label", keyword.clone() | STORED),
        status: b.add_text_field("status", keyword.clone() | STORED),
        customer: b.add_text_field("customer", keyword.clone() | STORED),
        articles: b.add_text_field("articles", keyword.clone() | STORED),
        duplicate_of: b.add_text_field("duplicate_of", keyword | STORED),
        created: b.add_text_field("created", STRING | STORED),
        data: b.add_text_field("data", STORED),
    };
    (b.build(), fields)
}
