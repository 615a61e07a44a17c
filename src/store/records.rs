//! KB article and customer files: flat or nested folders of Markdown records, found by
//! slug (the `slug` key, else the file name).

use std::path::Path;

use super::{
    Loaded, Problem, Store, StoreError, article_from_doc, customer_from_doc, lexical, link_problem,
};
use crate::doc::Document;
use crate::model::{Article, Customer};

/// A KB article or customer file, loaded.
#[derive(Debug, Clone)]
pub struct RecordFile<T> {
    /// Path as shown to the user (relative to the repository root when inside it).
    pub rel: String,
    /// The slug: the `slug` key, else the file name.
    pub slug: String,
    /// The text, for edits.
    pub doc: Document,
    /// The values, read leniently.
    pub value: T,
}

impl Store {
    /// Every KB article. The KB folder is read recursively (a docs tree works as it is),
    /// but never the customer or ticket folders, even when they lie inside it: customer
    /// records and tickets are not articles and must never be published as such.
    pub fn articles(&self) -> Result<Loaded<RecordFile<Article>>, StoreError> {
        let dir = self.kb_rel().to_string();
        let mut loaded = self.records(&dir, true, article_from_doc)?;
        let excluded = [self.customers_rel(), self.tickets_rel()].map(|d| lexical(&self.abs(d)));
        let keep = |rel: &str| {
            let abs = lexical(&self.abs(rel));
            !excluded.iter().any(|x| abs.starts_with(x))
        };
        loaded.items.retain(|r| keep(&r.rel));
        loaded.problems.retain(|p| keep(&p.path.to_string_lossy()));
        Ok(loaded)
    }

    /// The one article named by `key`: its slug, or its path inside the KB folder (with or
    /// without `.md`), which tells apart pages of a docs tree that share a slug.
    pub fn article(&self, key: &str) -> Result<RecordFile<Article>, StoreError> {
        let loaded = self.articles()?;
        let kb = self.kb_rel();
        let by_path = |r: &&RecordFile<Article>| {
            let inside = r.rel.strip_prefix(kb).map(|s| s.trim_start_matches('/'));
            inside.is_some_and(|p| p == key || p.strip_suffix(".md") == Some(key))
        };
        if let Some(r) = loaded.items.iter().find(by_path) {
            return Ok(r.clone());
        }
        one_record(
            "article",
            key,
            loaded.items.into_iter().filter(|r| r.slug == key),
        )
    }

    /// The one customer record with this slug.
    pub fn customer(&self, slug: &str) -> Result<RecordFile<Customer>, StoreError> {
        let loaded = self.customers()?;
        one_record(
            "customer",
            slug,
            loaded.items.into_iter().filter(|r| r.slug == slug),
        )
    }

    /// The customer record with this slug, if there is one: its own file first (the
    /// usual place, one read), else every record. For figures that only need the values:
    /// a record that does not load counts as none.
    pub fn customer_values(&self, slug: &str) -> Result<Option<Customer>, StoreError> {
        if slug.parse::<crate::model::Slug>().is_ok() {
            let rel = format!("{}/{slug}.md", self.customers_rel());
            if let Ok(doc) = self.read_doc(&rel)
                && let Ok(c) = customer_from_doc(&doc)
                && c.slug.as_deref().is_none_or(|s| s == slug)
            {
                return Ok(Some(c));
            }
        }
        Ok(self
            .customers()?
            .items
            .into_iter()
            .find(|r| r.slug == slug)
            .map(|r| r.value))
    }

    /// Every customer record.
    pub fn customers(&self) -> Result<Loaded<RecordFile<Customer>>, StoreError> {
        let dir = self.customers_rel().to_string();
        self.records(&dir, false, customer_from_doc)
    }

    fn records<T>(
        &self,
        dir: &str,
        recursive: bool,
        convert: fn(&Document) -> Result<T, Problem>,
    ) -> Result<Loaded<RecordFile<T>>, StoreError> {
        let mut out = Loaded::default();
        let mut links = Vec::new();
        let files = if recursive {
            self.md_files_recursive(dir, &mut links)?
        } else {
            self.md_files(dir, &mut links)?
        };
        out.problems.extend(links.iter().map(|l| link_problem(l)));
        for rel in files {
            let loaded = self.read_doc(&rel).and_then(|doc| {
                let value = convert(&doc).map_err(|p| StoreError::Bad(p.with_path(&rel)))?;
                let stem = Path::new(&rel)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let slug = doc
                    .get(&["slug"])
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .unwrap_or(stem);
                Ok(RecordFile {
                    rel: rel.clone(),
                    slug,
                    doc,
                    value,
                })
            });
            match loaded {
                Ok(r) => out.items.push(r),
                Err(StoreError::Bad(p)) => out.problems.push(p),
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Whether a KB article with this slug exists.
    pub fn article_exists(&self, slug: &str) -> Result<bool, StoreError> {
        Ok(self.articles()?.items.iter().any(|a| a.slug == slug))
    }

    /// Whether a customer with this slug exists.
    pub fn customer_exists(&self, slug: &str) -> Result<bool, StoreError> {
        Ok(self.customers()?.items.iter().any(|c| c.slug == slug))
    }
}

/// The single record in `matches`, or why there is not exactly one.
fn one_record<T>(
    kind: &'static str,
    key: &str,
    matches: impl Iterator<Item = RecordFile<T>>,
) -> Result<RecordFile<T>, StoreError> {
    let mut all: Vec<RecordFile<T>> = matches.collect();
    match all.len() {
        0 => Err(StoreError::NoSuchRecord {
            kind,
            slug: key.to_string(),
        }),
        1 => Ok(all.remove(0)),
        _ => Err(StoreError::AmbiguousRecord {
            kind,
            slug: key.to_string(),
            paths: all.into_iter().map(|r| r.rel).collect(),
        }),
    }
}
