//! KB articles: the fields static site generators already read, plus docket's own.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Time;

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
    #[schemars(with = "Option<String>")]
    pub date: Option<Time>,
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

impl Article {
    /// The status readers see: a published article marked `draft: true` is still a draft
    /// to Hugo, Jekyll and Zola.
    pub fn shown_status(&self) -> ArticleStatus {
        if self.draft == Some(true) && self.status == ArticleStatus::Published {
            ArticleStatus::Draft
        } else {
            self.status
        }
    }
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

impl ArticleStatus {
    /// The name as files spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Published => "published",
            ArticleStatus::Archived => "archived",
        }
    }
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

impl Audience {
    /// The name as files spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Internal => "internal",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serde_names() {
        for s in [
            ArticleStatus::Draft,
            ArticleStatus::Published,
            ArticleStatus::Archived,
        ] {
            assert_eq!(serde_json::to_value(s).expect("serializes"), s.as_str());
        }
        for a in [Audience::Public, Audience::Internal] {
            assert_eq!(serde_json::to_value(a).expect("serializes"), a.as_str());
        }
    }

    #[test]
    fn a_published_draft_shows_as_a_draft() {
        let mut a: Article =
            serde_json::from_value(serde_json::json!({"title": "T", "draft": true}))
                .expect("reads");
        assert_eq!(a.shown_status(), ArticleStatus::Draft);
        a.draft = Some(false);
        assert_eq!(a.shown_status(), ArticleStatus::Published);
        a.status = ArticleStatus::Archived;
        a.draft = Some(true);
        assert_eq!(a.shown_status(), ArticleStatus::Archived);
    }
}
