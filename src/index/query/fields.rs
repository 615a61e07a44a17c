//! What the `field:` of a query means. A schema field a user may search keeps its name
//! (`labels:` and `tags:` are `label:`); `created:` compares instants; any other name is
//! a custom field, searched as the `key:value` terms of the `extra` field, and a name no
//! ticket has is an error that says so (a typo should not just find nothing). Words
//! without a field that have no searchable text (stop words, punctuation) are made
//! optional, as they would otherwise have to match a label or an id.

use std::collections::BTreeSet;

use tantivy::query_grammar::{Occur, UserInputAst, UserInputBound, UserInputLeaf};

use super::super::terms::{KEY_SEPARATOR, custom_term};
use super::super::{IndexError, SearchIndex};
use super::dates;

/// Schema fields that hold docket's own bookkeeping, not something a user asks about
/// (`created` is searched through `created_at`).
const INTERNAL: &[&str] = &["key", "kind", "tid", "created", "created_at", "extra"];

/// Other names for searchable fields.
const ALIASES: &[(&str, &str)] = &[("labels", "label"), ("tags", "label")];

impl SearchIndex {
    /// The query with its field names resolved, or why one cannot be (a
    /// [`IndexError::BadQuery`] whose query the caller fills in).
    pub(super) fn resolve_fields(&self, ast: UserInputAst) -> Result<UserInputAst, IndexError> {
        Ok(match ast {
            UserInputAst::Clause(children) => UserInputAst::Clause(
                children
                    .into_iter()
                    .map(|(occur, child)| {
                        let occur = match occur {
                            None if without_text(&child) => Some(Occur::Should),
                            o => o,
                        };
                        Ok((occur, self.resolve_fields(child)?))
                    })
                    .collect::<Result<_, IndexError>>()?,
            ),
            UserInputAst::Boost(inner, boost) => {
                UserInputAst::Boost(Box::new(self.resolve_fields(*inner)?), boost)
            }
            UserInputAst::Leaf(leaf) => self.resolve_leaf(*leaf)?,
        })
    }

    fn resolve_leaf(&self, leaf: UserInputLeaf) -> Result<UserInputAst, IndexError> {
        let bad = |message: String| IndexError::BadQuery {
            query: String::new(),
            message,
        };
        let Some(name) = field_of(&leaf).map(str::to_string) else {
            return Ok(leaf.into());
        };
        let name = ALIASES
            .iter()
            .find(|(alias, _)| *alias == name)
            .map_or(name.as_str(), |(_, to)| to);
        if name == "created" {
            return dates::resolve(leaf, "created_at").map_err(bad);
        }
        if self.searchable_fields().iter().any(|f| f == name) {
            return Ok(with_field(leaf, name).into());
        }
        let key = name.to_lowercase();
        if !self.has_custom_key(&key)? {
            let mut known = self.searchable_fields();
            known.extend(self.custom_keys()?);
            return Err(bad(unknown_field(name, &known)));
        }
        custom_leaf(leaf, &key, name).map_err(bad)
    }

    /// The names a query may give as `field:`, besides custom fields.
    pub(crate) fn searchable_fields(&self) -> Vec<String> {
        let schema = self.index.schema();
        let mut names: Vec<String> = schema
            .fields()
            .filter(|(_, e)| e.is_indexed() && !INTERNAL.contains(&e.name()))
            .map(|(_, e)| e.name().to_string())
            .collect();
        names.push("created".into());
        names
    }

    /// Whether some ticket (as the index's dictionaries know them) has the custom field.
    fn has_custom_key(&self, key: &str) -> Result<bool, IndexError> {
        let prefix = custom_term(key, "");
        let mut found = false;
        self.each_custom_term(prefix.as_bytes(), &mut |term| {
            found |= term.starts_with(prefix.as_bytes());
            false
        })?;
        Ok(found)
    }

    /// The custom fields some ticket has (for the hint of a name no ticket has).
    fn custom_keys(&self) -> Result<BTreeSet<String>, IndexError> {
        let mut keys = BTreeSet::new();
        self.each_custom_term(b"", &mut |term| {
            let key = term
                .split(|b| *b == KEY_SEPARATOR as u8)
                .next()
                .unwrap_or(term);
            keys.insert(String::from_utf8_lossy(key).into_owned());
            true
        })?;
        Ok(keys)
    }

    /// Calls `each` with the `extra` terms of every segment from `from` on, in order,
    /// while it returns true.
    fn each_custom_term(
        &self,
        from: &[u8],
        each: &mut dyn FnMut(&[u8]) -> bool,
    ) -> Result<(), IndexError> {
        for seg in self.searcher().segment_readers() {
            let terms = seg
                .inverted_index(self.fields.extra)
                .map_err(IndexError::tantivy(&self.dir, "reading custom fields"))?;
            let mut stream = terms
                .terms()
                .range()
                .ge(from)
                .into_stream()
                .map_err(IndexError::io(&self.dir))?;
            while stream.advance() {
                if !each(stream.key()) {
                    break;
                }
            }
        }
        Ok(())
    }
}

/// Whether a clause is a word without a field that leaves no term in the text fields.
fn without_text(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Leaf(leaf) => match &**leaf {
            UserInputLeaf::Literal(l) => {
                l.field_name.is_none() && super::super::text::terms(&l.phrase).is_empty()
            }
            _ => false,
        },
        UserInputAst::Boost(inner, _) => without_text(inner),
        UserInputAst::Clause(_) => false,
    }
}

/// The field a leaf names, if any.
fn field_of(leaf: &UserInputLeaf) -> Option<&str> {
    match leaf {
        UserInputLeaf::Literal(l) => l.field_name.as_deref(),
        UserInputLeaf::Range { field, .. }
        | UserInputLeaf::Set { field, .. }
        | UserInputLeaf::Regex { field, .. } => field.as_deref(),
        UserInputLeaf::Exists { field } => Some(field),
        UserInputLeaf::All => None,
    }
}

/// The leaf with its field named `name`.
pub(super) fn with_field(leaf: UserInputLeaf, field: &str) -> UserInputLeaf {
    let name = Some(field.to_string());
    match leaf {
        UserInputLeaf::Literal(mut l) => {
            l.field_name = name;
            UserInputLeaf::Literal(l)
        }
        UserInputLeaf::Range { lower, upper, .. } => UserInputLeaf::Range {
            field: name,
            lower,
            upper,
        },
        UserInputLeaf::Set { elements, .. } => UserInputLeaf::Set {
            field: name,
            elements,
        },
        UserInputLeaf::Regex { pattern, .. } => UserInputLeaf::Regex {
            field: name,
            pattern,
        },
        UserInputLeaf::Exists { .. } => UserInputLeaf::Exists {
            field: field.to_string(),
        },
        UserInputLeaf::All => UserInputLeaf::All,
    }
}

/// A leaf on the custom field `key` as a leaf on `extra`: each value becomes its
/// `key:value` term, and `key:*` the range of every term of the key.
fn custom_leaf(leaf: UserInputLeaf, key: &str, name: &str) -> Result<UserInputAst, String> {
    let term = |v: &str| custom_term(key, v);
    // Every `key:...` term sorts at or after `key:` and before `key` + the next char.
    let after = |c: char| char::from_u32(c as u32 + 1).unwrap_or(c);
    let first = UserInputBound::Inclusive(custom_term(key, ""));
    let past = UserInputBound::Exclusive(format!("{key}{}", after(KEY_SEPARATOR)));
    let bound = |b: UserInputBound, open: UserInputBound| match b {
        UserInputBound::Inclusive(v) => UserInputBound::Inclusive(term(&v)),
        UserInputBound::Exclusive(v) => UserInputBound::Exclusive(term(&v)),
        UserInputBound::Unbounded => open,
    };
    let leaf = match leaf {
        UserInputLeaf::Literal(mut l) => {
            l.phrase = term(&l.phrase);
            UserInputLeaf::Literal(l)
        }
        UserInputLeaf::Range { lower, upper, .. } => UserInputLeaf::Range {
            field: None,
            lower: bound(lower, first),
            upper: bound(upper, past),
        },
        UserInputLeaf::Set { elements, .. } => UserInputLeaf::Set {
            field: None,
            elements: elements.iter().map(|e| term(e)).collect(),
        },
        UserInputLeaf::Exists { .. } => UserInputLeaf::Range {
            field: None,
            lower: first,
            upper: past,
        },
        UserInputLeaf::Regex { .. } | UserInputLeaf::All => {
            return Err(format!("`{name}:` takes a value, not a pattern"));
        }
    };
    Ok(with_field(leaf, "extra").into())
}

/// The message for a field no ticket has, naming the nearest known one.
fn unknown_field(name: &str, known: &[String]) -> String {
    let nearest = known
        .iter()
        .map(|k| (strsim::levenshtein(&name.to_lowercase(), k), k))
        .filter(|(d, _)| *d <= 2)
        .min();
    match nearest {
        Some((_, k)) => format!("no ticket has a field `{name}` (did you mean `{k}:`?)"),
        None => format!("no ticket has a field `{name}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_field_names_the_nearest() {
        let known = vec!["assignee".to_string(), "status".to_string()];
        assert_eq!(
            unknown_field("asignee", &known),
            "no ticket has a field `asignee` (did you mean `assignee:`?)"
        );
        assert_eq!(
            unknown_field("severity", &known),
            "no ticket has a field `severity`"
        );
    }
}
