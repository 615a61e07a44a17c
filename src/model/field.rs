//! Custom ticket fields declared under `fields:` in `.docket/config.yaml`: keys beyond
//! docket's own that a desk wants on its tickets (a component, an affected version).
//! Declaring one is what lets `set` write it, since an undeclared key is most often a
//! typo; the declaration's type and allowed values are what `set` and `check` hold its
//! values to.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One declared custom field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The frontmatter key (letters, digits, `_` and `-`); it must not be one of
    /// docket's own ticket keys.
    pub name: String,
    /// What its value is.
    #[serde(rename = "type", default)]
    pub kind: FieldType,
    /// The only values allowed (for `string` and `list` fields; empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// What the field is for, shown to people who fill it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The type of a custom field's value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// One line of text.
    #[default]
    String,
    /// A number (whole or decimal).
    Number,
    /// `true` or `false`.
    Bool,
    /// A day (`2026-11-02`) or an RFC 3339 date-time.
    Date,
    /// A list of strings, written one per line like `labels`.
    List,
}

impl FieldType {
    /// The name the config uses.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Number => "number",
            FieldType::Bool => "bool",
            FieldType::Date => "date",
            FieldType::List => "list",
        }
    }
}
