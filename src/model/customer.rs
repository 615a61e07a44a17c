//! Customer records: personal data that is never exported.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The frontmatter keys docket reads in a customer record; `set` refuses others as
/// likely typos.
pub const CUSTOMER_KEYS: &[&str] = &[
    "name", "slug", "org", "tier", "since", "until", "contacts", "sla", "tags",
];

/// A customer or organisation: the frontmatter of `customers/<slug>.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "docket customer frontmatter")]
pub struct Customer {
    /// Display name.
    pub name: String,
    /// Short name used by tickets; defaults to the file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Legal or organisation name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// Support tier, one of the config's `tiers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Customer since (date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub since: Option<String>,
    /// Customer until (date), for churn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub until: Option<String>,
    /// People to reach.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    /// Overrides of the tier's SLA targets (e.g. `first_response: 4h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<std::collections::BTreeMap<String, String>>,
    /// Free tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// A person at a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Contact {
    /// Full name.
    pub name: String,
    /// Email address.
    #[schemars(email)]
    pub email: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_list_matches_the_type() {
        let schema = schemars::schema_for!(Customer).to_value();
        let mut keys: Vec<&str> = schema["properties"]
            .as_object()
            .expect("an object schema")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        let mut listed = CUSTOMER_KEYS.to_vec();
        listed.sort_unstable();
        assert_eq!(keys, listed);
    }
}
