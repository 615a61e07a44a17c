//! The keys `set` may write: docket's own, the custom fields the config declares, and
//! any key the file already has. Anything else is most often a typo (`asignee`) that
//! nothing would ever read, so it is refused with the nearest known key as the hint,
//! unless the caller forces it. `check` does not report unknown keys: files written by
//! other tools or imports keep theirs, as the round-trip promise says.

use super::fields::plain_key;
use crate::doc::Document;
use crate::model::{CUSTOMER_KEYS, Config, LINK_KEYS, TICKET_KEYS};

/// The kind of record a key is written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// A ticket: docket's keys and the config's custom fields.
    Ticket,
    /// A customer record: docket's keys (`sla.*` takes any key under it).
    Customer,
}

/// How close a word must be to a known key (Jaro-Winkler similarity) to be offered as
/// what was meant; 0.8 catches a dropped, doubled or swapped letter, not another word.
const NEAR: f64 = 0.8;

/// Why the key path `key` may not be written to `doc`, as a message and a hint; `None`
/// when it may.
pub fn unknown_key(
    record: Record,
    config: &Config,
    doc: &Document,
    key: &[String],
) -> Option<(String, String)> {
    let path: Vec<&str> = key.iter().map(String::as_str).collect();
    let top = *path.first()?;
    let own = own(record, config);
    // A key the file has already is no typo now, nor one under a key of the file's own.
    if doc.get(&path).is_some()
        || (path.len() > 1 && !own.contains(&top) && doc.get(&[top]).is_some())
    {
        return None;
    }
    let dotted = path.join(".");
    let nested = match (record, top, &path[1..]) {
        (_, _, []) if own.contains(&top) => return None,
        (_, _, []) => own.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
        (Record::Ticket, "links", [k]) if LINK_KEYS.contains(k) => return None,
        (Record::Ticket, "links", _) => LINK_KEYS.iter().map(|k| format!("links.{k}")).collect(),
        (Record::Customer, "sla", [_]) => return None,
        _ if own.contains(&top) => {
            return Some((
                format!("`{top}` has no keys under it"),
                format!("set it as a whole with {top}=VALUE"),
            ));
        }
        _ => own.iter().map(|k| k.to_string()).collect(),
    };
    let guess = nearest(&dotted, &nested);
    let own_key = match record {
        Record::Ticket => {
            "declare a key of your own under `fields` in .docket/config.yaml, or pass --force to write it anyway"
        }
        Record::Customer => "pass --force to write a key of your own anyway",
    };
    let hint = match guess {
        Some(g) => format!("did you mean `{g}`? Otherwise {own_key}"),
        None => format!("the known keys are {}; {own_key}", nested.join(", ")),
    };
    Some((format!("unknown key `{dotted}`"), hint))
}

/// docket's own top-level keys for a record, and the declared custom fields of tickets.
fn own(record: Record, config: &Config) -> Vec<&str> {
    match record {
        Record::Ticket => TICKET_KEYS
            .iter()
            .copied()
            .chain(
                config
                    .fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .filter(|n| plain_key(n)),
            )
            .collect(),
        Record::Customer => CUSTOMER_KEYS.to_vec(),
    }
}

/// The known key most like `word`, if one is near enough to be a likely typo.
fn nearest<'a>(word: &str, known: &'a [String]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), k))
        .filter(|(score, _)| *score >= NEAR)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_the_key_meant() {
        let known: Vec<String> = TICKET_KEYS.iter().map(|k| k.to_string()).collect();
        assert_eq!(nearest("asignee", &known), Some("assignee"));
        assert_eq!(nearest("lables", &known), Some("labels"));
        assert_eq!(nearest("stauts", &known), Some("status"));
        assert_eq!(nearest("component", &known), None);
    }
}
