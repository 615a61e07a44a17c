//! The fields of the one tantivy index that holds tickets (with their comments' text), KB
//! articles and customers, told apart by `kind`. Each document is keyed by the path of
//! its main file, so a changed file is replaced with one `delete_term` on that path.
//!
//! `list` must print tens of thousands of rows in a few ms, so what it shows is also kept
//! in fast (columnar) fields: `tid` (every ticket id, for short ids), `row` (the listed
//! values of a ticket, see [`encode_row`]) and `problem` (files that did not load). Reading them costs one pass over a sorted
//! dictionary per segment, where the stored documents cost a block decompression and a
//! JSON parse per ticket.
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::model::Ticket;

use super::text::{KEYWORD, TEXT};

/// Bump when the schema or the analysis changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: &str = "docket-index-9";

/// Handles to every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Path of the main file, relative to the repository root (the document key).
    pub key: Field,
    /// `ticket`, `kb`, `customer` or `problem` (a file that did not load).
    pub kind: Field,
    /// Ticket id, article id or slug, customer slug (as written).
    pub id: Field,
    /// Ticket ids only, for prefix resolution and (as a fast field) short ids.
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
    /// The tickets this one relates to (for back-links).
    pub relates: Field,
    /// The tickets this one blocks (for back-links).
    pub blocks: Field,
    /// Creation time as written (RFC 3339 sorts as text).
    pub created: Field,
    /// When the ticket's newest comment was written, as written (`list --sort updated`).
    pub latest_comment: Field,
    /// The frontmatter values as JSON (tickets), or the problem message.
    pub data: Field,
    /// Tickets only: the values `list` prints and filters on, as [`encode_row`] writes
    /// them (a fast field: no per-document decompression to read it back).
    pub row: Field,
    /// Files that did not load: path and message, as [`encode_problem`] writes them (a
    /// fast field, so `list` warns about them without reading stored documents).
    pub problem: Field,
    /// Who works on a ticket: the value, its name, each word of the name, its email and
    /// the email's local part, so `assignee:dana` finds `Dana Ng <dana@acme.example>`.
    pub assignee: Field,
    /// Who asked, indexed as `assignee` is.
    pub reporter: Field,
    /// Priority band, one lower-case term.
    pub priority: Field,
    /// Ticket type (`type:` in a query), one lower-case term.
    pub ticket_type: Field,
    /// Creation instant, to the second (`created:` in a query compares instants, where
    /// texts in different offsets would sort wrong); a bare date counts from its start
    /// in UTC.
    pub created_at: Field,
    /// The other scalar frontmatter values of a ticket (custom fields), one `key:value`
    /// term each, lower case; a query's `key:value` for a key that is no field of the
    /// schema searches here.
    pub extra: Field,
    /// Tickets only: the SLA facts of its timeline, as `support::sla::encode` writes
    /// them (a fast field: `sla` and `report` read every ticket's).
    pub sla: Field,
    /// Tickets only: the tier of the ticket's customer (`tier:` in a query).
    pub tier: Field,
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
        tid: b.add_text_field("tid", STRING | FAST),
        title: b.add_text_field("title", text.clone() | STORED),
        body: b.add_text_field("body", text.clone() | STORED),
        comments: b.add_text_field("comments", text),
        label: b.add_text_field("label", keyword.clone() | STORED),
        status: b.add_text_field("status", keyword.clone() | STORED),
        customer: b.add_text_field("customer", keyword.clone() | STORED),
        articles: b.add_text_field("articles", keyword.clone() | STORED),
        relates: b.add_text_field("relates", keyword.clone()),
        blocks: b.add_text_field("blocks", keyword.clone()),
        duplicate_of: b.add_text_field("duplicate_of", keyword.clone() | STORED),
        created: b.add_text_field("created", STRING | STORED),
        latest_comment: b.add_text_field("latest_comment", STORED),
        data: b.add_text_field("data", STORED),
        row: b.add_bytes_field("row", FAST),
        problem: b.add_bytes_field("problem", FAST),
        assignee: b.add_text_field("assignee", keyword.clone()),
        reporter: b.add_text_field("reporter", keyword.clone()),
        priority: b.add_text_field("priority", keyword.clone()),
        ticket_type: b.add_text_field("type", keyword.clone()),
        created_at: b.add_date_field(
            "created_at",
            DateOptions::default()
                .set_indexed()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        extra: b.add_text_field("extra", keyword.clone()),
        sla: b.add_bytes_field("sla", FAST),
        tier: b.add_text_field("tier", keyword),
    };
    (b.build(), fields)
}

/// The values of one ticket that `list` prints and filters on, borrowed from a `row`
/// value or from a loaded ticket (no copies: `list` handles tens of thousands).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListRow<'a> {
    /// Creation time as written.
    pub created: &'a str,
    /// Ticket id.
    pub id: &'a str,
    /// Status as written.
    pub status: &'a str,
    /// Assignee handle.
    pub assignee: Option<&'a str>,
    /// Customer slug.
    pub customer: Option<&'a str>,
    /// When it was first resolved, as written.
    pub resolved: Option<&'a str>,
    /// The priority band as written.
    pub priority: Option<&'a str>,
    /// Impact, as read.
    pub importance: Option<u8>,
    /// Time pressure, as read.
    pub urgency: Option<u8>,
    /// When its newest comment was written, as written (`None` for a loaded ticket: see
    /// [`ListRow::with_latest_comment`]).
    pub latest_comment: Option<&'a str>,
    /// Title.
    pub title: &'a str,
    labels: Labels<'a>,
}

/// Labels as encoded in a row (count, then each string), or of a loaded ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Labels<'a> {
    Encoded(&'a [u8]),
    Loaded(&'a [String]),
}

impl<'a> ListRow<'a> {
    /// The listed values of a loaded ticket.
    pub fn of(k: &'a Ticket) -> ListRow<'a> {
        ListRow {
            created: k.created.as_str(),
            id: k.id.as_str(),
            status: &k.status,
            assignee: k.assignee.as_deref(),
            customer: k.customer.as_deref(),
            resolved: k.resolved.as_ref().map(|t| t.as_str()),
            priority: k.priority.as_deref(),
            importance: k.importance,
            urgency: k.urgency,
            latest_comment: None,
            title: &k.title,
            labels: Labels::Loaded(&k.labels),
        }
    }

    /// The same row, with the time of the ticket's newest comment (the files know it only
    /// from the comment folder).
    pub fn with_latest_comment(self, latest_comment: Option<&'a str>) -> ListRow<'a> {
        ListRow {
            latest_comment,
            ..self
        }
    }

    /// Whether the ticket has this label.
    pub fn has_label(&self, label: &str) -> bool {
        match self.labels {
            Labels::Loaded(ls) => ls.iter().any(|l| l == label),
            Labels::Encoded(bytes) => {
                let mut c = Cursor(bytes);
                let n = c.u32().unwrap_or(0);
                (0..n).any(|_| c.str() == Some(label))
            }
        }
    }
}

/// Reads an encoded row.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn u32(&mut self) -> Option<u32> {
        let (head, rest) = self.0.split_first_chunk::<4>()?;
        self.0 = rest;
        Some(u32::from_be_bytes(*head))
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = self.u32()? as usize;
        let s = self.0.get(..len)?;
        self.0 = self.0.get(len..)?;
        std::str::from_utf8(s).ok()
    }

    fn small(&mut self) -> Option<Option<u8>> {
        match self.0 {
            [0, rest @ ..] => {
                self.0 = rest;
                Some(None)
            }
            [1, n, rest @ ..] => {
                self.0 = rest;
                Some(Some(*n))
            }
            _ => None,
        }
    }

    fn opt(&mut self) -> Option<Option<&'a str>> {
        let (tag, rest) = self.0.split_first()?;
        self.0 = rest;
        match tag {
            0 => Some(None),
            1 => self.str().map(Some),
            _ => None,
        }
    }
}

/// Appends a string as its 4-byte big-endian length and its bytes.
fn put(out: &mut Vec<u8>, s: &str) {
    let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&s.as_bytes()[..len as usize]);
}

/// The `problem` value of a file that did not load: its path, then the message.
pub fn encode_problem(rel: &str, message: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + rel.len() + message.len());
    put(&mut out, rel);
    put(&mut out, message);
    out
}

/// Reads back what [`encode_problem`] wrote.
pub fn decode_problem(bytes: &[u8]) -> Option<(String, String)> {
    let mut c = Cursor(bytes);
    let rel = c.str()?;
    let message = c.str()?;
    c.0.is_empty()
        .then(|| (rel.to_string(), message.to_string()))
}

/// The `row` value of a ticket (with the time of its newest comment): each string as a
/// 4-byte big-endian length and its bytes, an optional value behind a 0/1 tag, the labels
/// behind their count. The status comes first, so the rows of one status are neighbours
/// in the sorted dictionary and reading them back (one pass from the first wanted row to
/// the last) skips the other statuses.
pub fn encode_row(k: &Ticket, latest_comment: Option<&str>, band: Option<&str>) -> Vec<u8> {
    fn put_opt(out: &mut Vec<u8>, s: Option<&str>) {
        match s {
            Some(s) => {
                out.push(1);
                put(out, s);
            }
            None => out.push(0),
        }
    }
    fn put_small(out: &mut Vec<u8>, n: Option<u8>) {
        match n {
            Some(n) => out.extend_from_slice(&[1, n]),
            None => out.push(0),
        }
    }
    let mut out = Vec::with_capacity(64 + k.title.len());
    put(&mut out, &k.status);
    put(&mut out, k.created.as_str());
    put(&mut out, k.id.as_str());
    put_opt(&mut out, k.assignee.as_deref());
    put_opt(&mut out, k.customer.as_deref());
    put_opt(&mut out, k.resolved.as_ref().map(|t| t.as_str()));
    put_opt(&mut out, band.or(k.priority.as_deref()));
    put_small(&mut out, k.importance);
    put_small(&mut out, k.urgency);
    put_opt(&mut out, latest_comment);
    put(&mut out, &k.title);
    let n = u32::try_from(k.labels.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&n.to_be_bytes());
    for l in k.labels.iter().take(n as usize) {
        put(&mut out, l);
    }
    out
}

/// Reads back what [`encode_row`] wrote (checking all of it, labels included); `None` if
/// the bytes are not such a row.
pub fn decode_row(bytes: &[u8]) -> Option<ListRow<'_>> {
    let mut c = Cursor(bytes);
    let status = c.str()?;
    let created = c.str()?;
    let id = c.str()?;
    let assignee = c.opt()?;
    let customer = c.opt()?;
    let resolved = c.opt()?;
    let priority = c.opt()?;
    let importance = c.small()?;
    let urgency = c.small()?;
    let latest_comment = c.opt()?;
    let title = c.str()?;
    let labels = c.0;
    let n = c.u32()?;
    for _ in 0..n {
        c.str()?;
    }
    c.0.is_empty().then_some(ListRow {
        created,
        id,
        status,
        assignee,
        customer,
        resolved,
        priority,
        importance,
        urgency,
        latest_comment,
        title,
        labels: Labels::Encoded(labels),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip() {
        let k: Ticket = serde_json::from_value(serde_json::json!({
            "id": "T-ABCDEFGHJK",
            "title": "Disk full — ünïcode",
            "status": "open",
            "created": "2026-11-02T09:14:00Z",
            "customer": "acme",
            "labels": ["a", "b c"],
            "priority": "high",
            "urgency": 4,
            "resolved": "2026-11-03T10:00:00Z",
        }))
        .expect("ticket");
        let bytes = encode_row(&k, Some("2026-11-04T08:00:00Z"), None);
        let row = decode_row(&bytes).expect("decodes");
        assert_eq!(row.id, "T-ABCDEFGHJK");
        assert_eq!(row.title, k.title);
        assert_eq!(row.assignee, None);
        assert_eq!(row.customer, Some("acme"));
        assert!(row.has_label("b c") && row.has_label("a") && !row.has_label("b"));
        assert_eq!(
            (row.priority, row.importance, row.urgency),
            (Some("high"), None, Some(4))
        );
        assert_eq!(row.resolved, Some("2026-11-03T10:00:00Z"));
        assert_eq!(row.latest_comment, Some("2026-11-04T08:00:00Z"));
        let loaded = ListRow::of(&k).with_latest_comment(row.latest_comment);
        assert_eq!(
            loaded,
            ListRow {
                labels: loaded.labels,
                ..row
            }
        );
        assert_eq!(
            (loaded.created, loaded.id, loaded.status, loaded.title),
            (row.created, row.id, row.status, row.title)
        );
        assert!(loaded.has_label("b c") && !loaded.has_label("c"));
        let mut k = k.clone();
        k.assignee = Some(String::new());
        k.labels.clear();
        let bytes = encode_row(&k, None, None);
        let row = decode_row(&bytes).expect("decodes");
        assert_eq!(row.assignee, Some(""));
        assert!(!row.has_label("a"));
        assert_eq!(decode_row(&bytes[..bytes.len() - 1]), None);
        let p = encode_problem("support/tickets/AB/T-AB.md", "line 3: bad");
        assert_eq!(
            decode_problem(&p),
            Some(("support/tickets/AB/T-AB.md".into(), "line 3: bad".into()))
        );
        assert_eq!(decode_problem(&p[..p.len() - 1]), None);
        assert_eq!(decode_row(b"\xff"), None);
    }
}
