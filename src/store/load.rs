//! Lenient reading: a file with values docket does not know (an odd status, a date
//! without a time, a number written as a word, extra keys) still loads. A value of the
//! wrong shape is left out of the typed view (and kept in the file); only a missing or
//! unsafe id makes a ticket unusable. Validation reports what was left out.

use serde::de::DeserializeOwned;

use super::Problem;
use crate::doc::{Document, Mapping, Value, from_value};
use crate::model::{Article, Comment, Customer, Event, Rating, Ticket, TicketId};

/// The string form of a scalar, for fields that are strings but were written otherwise.
pub(crate) fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads a value leniently: required string keys are coerced or defaulted, and any other
/// key whose value does not fit its type is dropped from the typed view.
fn lenient<T: DeserializeOwned>(
    doc: &Document,
    required: &[&str],
    base: Mapping,
) -> Result<T, String> {
    lenient_with_dropped(doc, required, base).map(|(v, _)| v)
}

/// Like `lenient`, and also says which keys were dropped and why.
pub(crate) fn lenient_with_dropped<T: DeserializeOwned>(
    doc: &Document,
    required: &[&str],
    base: Mapping,
) -> Result<(T, Vec<(String, String)>), String> {
    let mut map = doc.values().clone();
    for key in required {
        let coerced = map.get(*key).and_then(scalar_string).unwrap_or_default();
        map.insert(Value::String((*key).to_string()), Value::String(coerced));
    }
    for (k, v) in &base {
        map.insert(k.clone(), v.clone());
    }
    if let Ok(v) = from_value::<T>(Value::Mapping(map.clone())) {
        return Ok((v, Vec::new()));
    }
    let mut minimal = Mapping::new();
    for key in required {
        minimal.insert(Value::String((*key).to_string()), map[*key].clone());
    }
    for (k, v) in &base {
        minimal.insert(k.clone(), v.clone());
    }
    let mut kept = minimal.clone();
    let mut dropped = Vec::new();
    for (k, v) in &map {
        if minimal.contains_key(k) {
            continue;
        }
        let mut probe = minimal.clone();
        probe.insert(k.clone(), v.clone());
        match from_value::<T>(Value::Mapping(probe)) {
            Ok(_) => {
                kept.insert(k.clone(), v.clone());
            }
            Err(e) => dropped.push((
                crate::doc::render_scalar(k).trim_matches('"').to_string(),
                e,
            )),
        }
    }
    from_value::<T>(Value::Mapping(kept)).map(|v| (v, dropped))
}

/// The id of a ticket file, or the problem that makes the file unusable.
pub(crate) fn ticket_id(doc: &Document) -> Result<TicketId, Problem> {
    let line = doc.line_of(&["id"]);
    if doc.text().trim().is_empty() {
        return Err(Problem::at("", 1, "file is empty")
            .hint("write the ticket's frontmatter (`---`, `id:`, `title:`, ..., `---`) or delete the file"));
    }
    if !doc.has_frontmatter() {
        return Err(Problem::at("", 1, "ticket has no frontmatter")
            .hint("start the file with `---`, the ticket's `id:`, `title:` and `status:` lines, then `---`"));
    }
    match doc.get(&["id"]).and_then(scalar_string) {
        None => Err(Problem::at("", line.unwrap_or(1), "missing `id`")
            .hint("add `id: T-...` matching the file name to the frontmatter")),
        Some(raw) => raw.parse::<TicketId>().map_err(|e| {
            Problem::at("", line.unwrap_or(1), format!("unsafe id: {e}"))
                .hint("use letters, digits, `-` and `_` only, e.g. `id: T-4K7QX2M9AB`")
        }),
    }
}

/// Reads a ticket leniently.
pub fn ticket_from_doc(doc: &Document) -> Result<Ticket, Problem> {
    let id = ticket_id(doc)?;
    let mut base = Mapping::new();
    base.insert("id".into(), Value::String(id.to_string()));
    lenient::<Ticket>(doc, &["title", "status", "created"], base)
        .map_err(|e| Problem::at("", 1, format!("cannot read ticket: {e}")))
}

/// Reads a comment leniently.
pub fn comment_from_doc(doc: &Document) -> Result<Comment, Problem> {
    lenient::<Comment>(doc, &["author", "created"], Mapping::new())
        .map_err(|e| Problem::at("", 1, format!("cannot read comment: {e}")))
}

/// Reads an event file leniently.
pub fn event_from_doc(doc: &Document) -> Result<Event, Problem> {
    lenient::<Event>(doc, &["author", "created", "event"], Mapping::new())
        .map_err(|e| Problem::at("", 1, format!("cannot read event: {e}")))
}

/// Reads a rating file leniently.
pub fn rating_from_doc(doc: &Document) -> Result<Rating, Problem> {
    lenient::<Rating>(doc, &["author", "created"], Mapping::new())
        .map_err(|e| Problem::at("", 1, format!("cannot read rating: {e}")))
}

/// What a file in a ticket's folder is, by the key that only its kind has: `event:`
/// for an event, `rating:` for a CSAT rating, else a comment.
pub fn entry_kind(doc: &Document) -> EntryKind {
    if doc.get(&["event"]).is_some() {
        EntryKind::Event
    } else if doc.get(&["rating"]).is_some() {
        EntryKind::Rating
    } else {
        EntryKind::Comment
    }
}

/// The kinds of file in a ticket's folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A comment or internal note.
    Comment,
    /// A status, assignment or priority change.
    Event,
    /// A CSAT rating.
    Rating,
}

/// Reads a KB article leniently (a title defaults to empty).
pub fn article_from_doc(doc: &Document) -> Result<Article, Problem> {
    lenient::<Article>(doc, &["title"], Mapping::new())
        .map_err(|e| Problem::at("", 1, format!("cannot read article: {e}")))
}

/// Reads a customer record leniently.
pub fn customer_from_doc(doc: &Document) -> Result<Customer, Problem> {
    lenient::<Customer>(doc, &["name"], Mapping::new())
        .map_err(|e| Problem::at("", 1, format!("cannot read customer: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(t: &str) -> Document {
        Document::parse(t.as_bytes()).expect("parses")
    }

    #[test]
    fn odd_values_still_load() {
        let d = doc(
            "---\nid: T-13277068\ntitle: Update the year\nstatus: \"Resolved\"\npriority: \"Major\"\ncreated: 2020-01-01\nimportance: high\nlabels: oops\naffects_versions: []\n---\nbody\n",
        );
        let t = ticket_from_doc(&d).expect("loads");
        assert_eq!(t.status, "Resolved");
        assert_eq!(t.created.as_str(), "2020-01-01");
        assert_eq!(t.importance, None);
        assert!(t.labels.is_empty());
        assert!(t.extra.contains_key("affects_versions"));
    }

    #[test]
    fn numbers_become_strings_where_strings_are_expected() {
        let t = ticket_from_doc(&doc("---\nid: 1234\ntitle: 42\n---\n")).expect("loads");
        assert_eq!(t.id.as_str(), "1234");
        assert_eq!(t.title, "42");
    }

    #[test]
    fn missing_or_unsafe_id_is_unusable() {
        let p = ticket_from_doc(&doc("---\ntitle: x\n---\n")).expect_err("no id");
        assert!(p.message.contains("missing `id`"));
        let p = ticket_from_doc(&doc("---\ntitle: x\nid: ../../etc/passwd\n---\n"))
            .expect_err("unsafe");
        assert_eq!(p.line, 3);
        assert!(p.message.contains("unsafe id"));
    }
}
