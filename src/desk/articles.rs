//! Reading KB articles for `kb list`: the articles a query asks for, in file order.
//! Uses `store` and `model`.

use crate::model::{Article, ArticleStatus, Audience};
use crate::store::{Loaded, RecordFile};

use super::{Desk, DeskError};

/// Which articles to list.
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    /// Only articles with every one of these tags.
    pub tags: Vec<String>,
    /// Only this status.
    pub status: Option<ArticleStatus>,
    /// Only this audience.
    pub audience: Option<Audience>,
}

impl ArticleQuery {
    /// Whether the query lets an article through.
    pub fn matches(&self, a: &Article) -> bool {
        self.tags.iter().all(|t| a.tags.iter().any(|x| x == t))
            && self.status.is_none_or(|s| s == a.status)
            && self.audience.is_none_or(|x| x == a.audience)
    }
}

impl Desk {
    /// The articles `query` lets through, and the article files that did not load.
    pub fn articles(&self, query: &ArticleQuery) -> Result<Loaded<RecordFile<Article>>, DeskError> {
        let mut loaded = self.store().articles()?;
        loaded.items.retain(|r| query.matches(&r.value));
        Ok(loaded)
    }
}
