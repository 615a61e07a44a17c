//! The terms that a ticket's structured values become, shared by indexing (`sync`) and
//! querying (`query`) so the two cannot drift apart: people (`Name <email>` or a handle)
//! findable by any part a user would type, and custom fields as `key:value` terms of one
//! keyword field.

use std::collections::BTreeSet;

/// The separator between a custom field's key and its value in an `extra` term.
pub const KEY_SEPARATOR: char = ':';

/// The terms of a person value, lower case: the whole value, the name, each word of the
/// name, the email and the email's local part. `Dana Ng <dana@acme.example>` is then
/// found by `dana`, `ng`, `"dana ng"`, `dana@acme.example` and the whole text; a bare
/// handle or email is found as written.
pub fn person_terms(value: &str) -> BTreeSet<String> {
    let value = value.trim();
    let mut out = BTreeSet::new();
    if value.is_empty() {
        return out;
    }
    out.insert(value.to_lowercase());
    let (name, email) = match (value.find('<'), value.rfind('>')) {
        (Some(open), Some(close)) if open < close => {
            (value[..open].trim(), Some(value[open + 1..close].trim()))
        }
        _ if value.contains('@') && !value.contains(char::is_whitespace) => ("", Some(value)),
        _ => (value, None),
    };
    if !name.is_empty() {
        out.insert(name.to_lowercase());
        out.extend(name.split_whitespace().map(str::to_lowercase));
    }
    if let Some(email) = email.filter(|e| !e.is_empty()) {
        out.insert(email.to_lowercase());
        if let Some((local, _)) = email.split_once('@').filter(|(l, _)| !l.is_empty()) {
            out.insert(local.to_lowercase());
        }
    }
    out
}

/// The `extra` terms of one frontmatter value: one per scalar (a list gives one per
/// scalar item); a map or null gives none, since a query names no part of it.
pub fn custom_terms(key: &str, value: &serde_json::Value) -> Vec<String> {
    let scalar = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let values: Vec<String> = match value {
        serde_json::Value::Array(items) => items.iter().filter_map(scalar).collect(),
        v => scalar(v).into_iter().collect(),
    };
    values.iter().map(|v| custom_term(key, v)).collect()
}

/// The `extra` term for `key` having `value` (before lower-casing, which the keyword
/// analyzer does on both sides).
pub fn custom_term(key: &str, value: &str) -> String {
    format!("{key}{KEY_SEPARATOR}{value}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(v: &str) -> Vec<String> {
        person_terms(v).into_iter().collect()
    }

    #[test]
    fn a_person_is_found_by_name_email_and_whole_value() {
        assert_eq!(
            terms("Dana Ng <Dana@Acme.example>"),
            [
                "dana",
                "dana ng",
                "dana ng <dana@acme.example>",
                "dana@acme.example",
                "ng"
            ]
        );
        assert_eq!(terms("bob"), ["bob"]);
        assert_eq!(terms("bob@acme.example"), ["bob", "bob@acme.example"]);
        assert_eq!(terms("<x@y>"), ["<x@y>", "x", "x@y"]);
        assert!(terms("  ").is_empty());
        assert_eq!(terms("a > b < c"), ["<", ">", "a", "a > b < c", "b", "c"]);
    }

    #[test]
    fn custom_fields_are_key_value_terms() {
        let v = |j: &str| serde_json::from_str::<serde_json::Value>(j).expect("json");
        assert_eq!(custom_terms("sev", &v("\"SEV1\"")), ["sev:SEV1"]);
        assert_eq!(custom_terms("n", &v("3")), ["n:3"]);
        assert_eq!(custom_terms("ok", &v("true")), ["ok:true"]);
        assert_eq!(
            custom_terms("os", &v("[\"linux\", 2, {}]")),
            ["os:linux", "os:2"]
        );
        assert!(custom_terms("m", &v("{\"a\": 1}")).is_empty());
        assert!(custom_terms("m", &v("null")).is_empty());
    }
}
