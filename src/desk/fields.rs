//! `list --field KEY=VALUE`: a filter on any frontmatter key, built-in (`type`,
//! `reporter`, `links.relates`) or one docket does not know (a custom field). It reads a
//! ticket's values as `--json` prints them, so a filter means the same whether the
//! listing came from the index's stored values or from the files.

use std::str::FromStr;

use serde_json::Value;

use super::DeskError;
use crate::model::Ticket;

/// One `KEY=VALUE` filter: the value at `KEY` (dots reach into mappings, as in
/// `links.relates`) is `VALUE`, or is a list that contains it. An empty `VALUE` asks for
/// tickets without the key (or with an empty value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFilter {
    key: String,
    value: String,
}

impl FromStr for FieldFilter {
    type Err = DeskError;

    fn from_str(s: &str) -> Result<FieldFilter, DeskError> {
        let (key, value) = s.split_once('=').ok_or_else(|| {
            DeskError::invalid(
                format!("`{s}` is not KEY=VALUE"),
                "write the filter as --field KEY=VALUE, e.g. --field type=bug",
            )
        })?;
        let key = key.trim();
        if key.is_empty() || key.split('.').any(str::is_empty) {
            return Err(DeskError::invalid(
                format!("`{s}` names no key"),
                "write the filter as --field KEY=VALUE, e.g. --field links.relates=T-4K7Q",
            ));
        }
        Ok(FieldFilter {
            key: key.to_string(),
            value: value.trim().to_string(),
        })
    }
}

impl FieldFilter {
    /// Whether the ticket's value at the key matches.
    pub fn matches(&self, values: &Value) -> bool {
        let found = values
            .get(&self.key)
            .or_else(|| self.key.split('.').try_fold(values, |v, part| v.get(part)));
        match found {
            None | Some(Value::Null) => self.value.is_empty(),
            Some(Value::Array(items)) if items.is_empty() => self.value.is_empty(),
            Some(Value::Array(items)) => items.iter().any(|v| self.is(v)),
            Some(v) => self.is(v),
        }
    }

    fn is(&self, v: &Value) -> bool {
        match v {
            Value::String(s) => *s == self.value,
            Value::Number(n) => n.to_string() == self.value,
            Value::Bool(b) => b.to_string() == self.value,
            Value::Null | Value::Array(_) | Value::Object(_) => false,
        }
    }
}

/// Whether a ticket passes every filter (its values are read once, only when there are
/// filters).
pub(super) fn all_match(filters: &[FieldFilter], k: &Ticket) -> bool {
    if filters.is_empty() {
        return true;
    }
    let values = serde_json::to_value(k).unwrap_or(Value::Null);
    filters.iter().all(|f| f.matches(&values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_values_and_lists() {
        let v = serde_json::json!({
            "type": "bug", "importance": 4, "labels": ["db", "crash"], "sla.tier": "gold",
            "links": {"relates": ["T-A"]}, "affects": ["1.2"], "empty": [],
        });
        let m = |s: &str| s.parse::<FieldFilter>().expect("parses").matches(&v);
        assert!(m("type=bug") && !m("type=Bug"));
        assert!(m("importance=4") && m("labels=crash") && !m("labels=cr"));
        assert!(m("links.relates=T-A") && m("sla.tier=gold") && m("affects=1.2"));
        assert!(m("customer=") && m("empty=") && !m("type="));
        assert!("type".parse::<FieldFilter>().is_err());
        assert!("=x".parse::<FieldFilter>().is_err());
        assert!("a..b=x".parse::<FieldFilter>().is_err());
    }
}
