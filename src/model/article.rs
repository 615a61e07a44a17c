//! KB articles: the fields static site generators already read, plus docket's own.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A knowledge-base article: the frontmatter of `kb/<slug>.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "docket KB article frontmatter")]
pub struct Article {
    /// Page title.
    pub title: String,
    /// URL name; defaults to the file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Publication date (a date or an RFC 3339 date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// One-sentence summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Tags, as a list.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Hugo/Jekyll/Zola draft flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<bool>,
    /// Ordering weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    /// Old URLs that redirect here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// docket's id for the article, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Lifecycle: only published articles are exported.
    #[serde(default)]
    pub status: ArticleStatus,
    /// Only public articles are exported.
    #[serde(default)]
    pub audience: Audience,
    /// Products the article is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
}

/// Where an article is in its life.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ArticleStatus {
    /// Being written.
    Draft,
    /// Live.
    #[default]
    Published,
    /// Kept for history, not shown.
    Archived,
}

/// Who may read an article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Anyone: exported.
    #[default]
    Public,
    /// The team only: never exported.
    Internal,
}
