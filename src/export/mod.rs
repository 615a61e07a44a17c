//! Publishing the KB: `docket export` writes a tree that Hugo, Jekyll, Zola or mdBook
//! builds with no edits, or a complete static HTML site made here (pulldown-cmark,
//! sanitised with ammonia, with an offline search index).
//!
//! What may leave the repository is decided in one place, [`publishable`]: only articles
//! with `status: published`, `audience: public` and no `draft: true`. Nothing else is
//! read: no ticket, comment or customer file (the store never lists those folders as
//! articles, even when they lie inside the KB folder). Every output path is built from
//! sanitised components of the article's place in the KB folder, so no slug or file name
//! can write outside the output folder.
//!
//! Uses `model` and `store` only; front matter is rendered by `doc` (the one YAML writer,
//! whose output is checked by parsing it back) or, for Zola, by the `toml` crate.

mod html;

pub use html::esc as escape_html;
mod pages;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::model::{Article, ArticleStatus, Audience};
use crate::store::{Problem, RecordFile, Store, StoreError};

/// The generators docket writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Hugo content files with YAML front matter.
    Hugo,
    /// Jekyll pages with YAML front matter (bodies kept out of Liquid).
    Jekyll,
    /// Zola sections (`_index.md`) and pages with TOML front matter.
    Zola,
    /// mdBook chapters without front matter and a generated `SUMMARY.md`.
    Mdbook,
    /// A complete static site made by docket, with offline search.
    Html,
}

impl Format {
    /// The name users type.
    pub fn name(self) -> &'static str {
        match self {
            Format::Hugo => "hugo",
            Format::Jekyll => "jekyll",
            Format::Zola => "zola",
            Format::Mdbook => "mdbook",
            Format::Html => "html",
        }
    }
}

/// What to export, and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The generator.
    pub format: Format,
    /// The output folder (created if missing; must be empty or a previous export).
    pub out: PathBuf,
    /// The site's public address, for canonical links and the sitemap (html).
    pub base_url: Option<String>,
}

/// What an export did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Articles written.
    pub pages: usize,
    /// Files written, pages included.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Articles left out because they are drafts, internal or not published.
    pub withheld: usize,
    /// Files that could not be read as articles (skipped).
    pub problems: Vec<Problem>,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The KB could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be written or removed.
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The output folder holds files that no docket export wrote.
    #[error("{path} is not empty and was not written by `docket export`")]
    NotEmpty { path: PathBuf },
    /// A path under the output folder would lead elsewhere (a symbolic link, `..`, an
    /// absolute path): written or removed, it could touch a file outside the folder.
    #[error("refused {what} `{entry}` in {out}: {why}")]
    Escapes {
        /// The output folder.
        out: PathBuf,
        /// What the path is: a file to write, or an entry of the previous manifest.
        what: &'static str,
        /// The path, relative to the output folder.
        entry: String,
        /// Why, naming the link when there is one.
        why: String,
    },
    /// The output folder is (inside) the KB folder: the export would be read back as articles.
    #[error("the output folder {out} is inside the KB folder {kb}")]
    InsideKb { out: PathBuf, kb: PathBuf },
}

impl ExportError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            ExportError::Store(e) => e.hint(),
            ExportError::Io { .. } => None,
            ExportError::NotEmpty { .. } => Some(
                "export into a new or empty folder; docket replaces only folders it wrote itself (they hold .docket-export.json)"
                    .into(),
            ),
            ExportError::Escapes { .. } => Some(
                "nothing was removed or written; remove the link (or the bad entry of .docket-export.json), or export into a new folder"
                    .into(),
            ),
            ExportError::InsideKb { .. } => {
                Some("choose an output folder outside paths.kb, e.g. --out public".into())
            }
        }
    }

    fn io(path: impl Into<PathBuf>, error: std::io::Error) -> ExportError {
        ExportError::Io {
            path: path.into(),
            error,
        }
    }
}

/// Whether an article may be published: published, public and not a draft. The one
/// rule every format follows.
pub fn publishable(a: &Article) -> bool {
    a.status == ArticleStatus::Published && a.audience == Audience::Public && a.draft != Some(true)
}

/// An article chosen for export, with where it goes.
#[derive(Debug)]
pub(crate) struct Page<'a> {
    /// The loaded file.
    pub file: &'a RecordFile<Article>,
    /// Safe output path components, without extension (e.g. `["functions", "where"]`).
    pub parts: Vec<String>,
}

impl Page<'_> {
    /// The article's values.
    pub fn article(&self) -> &Article {
        &self.file.value
    }

    /// Whether this page is a section index (`_index.md` in the source).
    pub fn is_section(&self) -> bool {
        self.parts.last().is_some_and(|p| p == "_index")
    }

    /// The title to show: the article's, else its file name (its folder's for a
    /// section index), so an untitled page still has a name in menus and lists.
    pub fn title(&self) -> String {
        let t = self.article().title.trim();
        if !t.is_empty() {
            return t.to_string();
        }
        let name = if self.is_section() {
            self.dirs().last()
        } else {
            self.parts.last()
        };
        name.cloned().unwrap_or_else(|| "Untitled".into())
    }

    /// The folder components.
    pub fn dirs(&self) -> &[String] {
        &self.parts[..self.parts.len() - 1]
    }

    /// The output path with `ext`, mapping `_index` to `index` when the generator
    /// ignores files starting with `_`.
    pub fn path(&self, ext: &str, keep_underscore_index: bool) -> String {
        let mut parts = self.parts.clone();
        if !keep_underscore_index && self.is_section() {
            let last = parts.len() - 1;
            parts[last] = "index".into();
        }
        format!("{}.{ext}", parts.join("/"))
    }
}

/// One path component made safe: letters, digits, `-`, `_` and `.` kept, everything
/// else `-`; never empty, never `.`/`..`, never hidden.
pub(crate) fn safe_component(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    while out.starts_with('.') {
        out.remove(0);
    }
    if out.is_empty() || out.chars().all(|c| c == '.' || c == '-') {
        out = "page".into();
    }
    out.truncate(120);
    out
}

/// The pages to export: publishable articles with unique, safe output paths, sorted by path.
/// Jekyll skips every file and folder whose name starts with `_` (they are its own:
/// `_posts`, `_layouts`, ...); for it such names lose the underscore (`_index` is mapped
/// to `index` later, like for mdBook and html).
fn select<'a>(store: &Store, articles: &'a [RecordFile<Article>], format: Format) -> Vec<Page<'a>> {
    let kb = store.kb_rel();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for file in articles.iter().filter(|f| publishable(&f.value)) {
        let inside = file
            .rel
            .strip_prefix(kb)
            .unwrap_or(&file.rel)
            .trim_start_matches('/');
        let inside = inside.strip_suffix(".md").unwrap_or(inside);
        let mut parts: Vec<String> = inside
            .split('/')
            .filter(|c| !c.is_empty() && *c != "." && *c != "..")
            .map(safe_component)
            .collect();
        if parts.is_empty() {
            parts.push(safe_component(&file.slug));
        }
        if format == Format::Jekyll {
            for p in parts.iter_mut().filter(|p| *p != "_index") {
                if p.starts_with('_') {
                    *p = safe_component(p.trim_start_matches('_'));
                }
            }
        }
        // Output names that would meet on a case-insensitive disk, or once `_index`
        // becomes `index` (Jekyll, mdBook, html), get a number.
        let key_of = |parts: &[String]| {
            let mut parts = parts.to_vec();
            if let Some(last) = parts.last_mut().filter(|l| *l == "_index") {
                *last = "index".into();
            }
            parts.join("/").to_lowercase()
        };
        let base = parts.last().cloned().unwrap_or_default();
        let mut key = key_of(&parts);
        let mut n = 1;
        while !seen.insert(key.clone()) {
            n += 1;
            let last = parts.len() - 1;
            parts[last] = format!("{base}-{n}");
            key = key_of(&parts);
        }
        out.push(Page { file, parts });
    }
    out.sort_by(|a, b| a.parts.cmp(&b.parts));
    out
}

/// The manifest of an export, so the next export may replace exactly these files.
const MANIFEST: &str = ".docket-export.json";

/// Makes `out` ready: created if missing; if it holds a previous export, that export's
/// files are removed (so an article withdrawn since is not left behind); any other
/// non-empty folder is refused.
fn prepare(out: &Path) -> Result<(), ExportError> {
    std::fs::create_dir_all(out).map_err(|e| ExportError::io(out, e))?;
    let manifest = inside_out(out, "the manifest", MANIFEST)?;
    let entries: Vec<_> = std::fs::read_dir(out)
        .map_err(|e| ExportError::io(out, e))?
        .filter_map(Result::ok)
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    let Ok(text) = std::fs::read_to_string(&manifest) else {
        return Err(ExportError::NotEmpty {
            path: out.to_path_buf(),
        });
    };
    let files: Vec<String> = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("files").cloned())
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    // Every entry is checked before anything is removed: a crafted manifest removes nothing.
    let mut remove = Vec::with_capacity(files.len());
    for f in &files {
        let path = inside_out(out, "the manifest entry", f)?;
        if f.split('/').any(|c| c.is_empty() || c == ".") {
            return Err(ExportError::Escapes {
                out: out.to_path_buf(),
                what: "the manifest entry",
                entry: f.clone(),
                why: "it is not a plain relative path".into(),
            });
        }
        remove.push(path);
    }
    for p in remove {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(ExportError::io(p, e)),
        }
    }
    let _ = std::fs::remove_file(&manifest);
    remove_empty_dirs(out);
    Ok(())
}

/// `out` joined with `rel`, checked by the store's path guard: no `..`, not absolute, and
/// no symbolic link on the way or at the end, so nothing is written or removed through one.
fn inside_out(out: &Path, what: &'static str, rel: &str) -> Result<PathBuf, ExportError> {
    use crate::store::guard::{Refusal, inside};
    inside(out, rel).map_err(|refusal| ExportError::Escapes {
        out: out.to_path_buf(),
        what,
        entry: rel.to_string(),
        why: match refusal {
            Refusal::Unsafe { reason } => reason.to_string(),
            Refusal::Link { link, target, .. } => format!(
                "{link} is a symbolic link (to {}), which docket does not follow",
                target.display()
            ),
            Refusal::Io { path, message } => format!("{}: {message}", path.display()),
        },
    })
}

/// Removes the folders a previous export left empty; links are neither followed nor removed.
fn remove_empty_dirs(dir: &Path) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.filter_map(Result::ok) {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_empty_dirs(&e.path());
                let _ = std::fs::remove_dir(e.path());
            }
        }
    }
}

/// Collects the files of an export and writes them under the output folder.
pub(crate) struct Writer {
    out: PathBuf,
    files: Vec<String>,
    bytes: u64,
}

impl Writer {
    /// Writes one file at a `/`-separated path made of safe components.
    pub fn write(&mut self, rel: &str, text: &str) -> Result<(), ExportError> {
        debug_assert!(rel.split('/').all(|c| !c.is_empty() && c != ".."));
        let path = inside_out(&self.out, "the page", rel)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| ExportError::io(dir, e))?;
        }
        std::fs::write(&path, text).map_err(|e| ExportError::io(&path, e))?;
        self.files.push(rel.to_string());
        self.bytes += text.len() as u64;
        Ok(())
    }
}

/// Exports the KB. `progress(done, total)` is called after each page.
pub fn export(
    store: &Store,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, ExportError> {
    let kb = crate::store::lexical(&store.abs(store.kb_rel()));
    let out_abs =
        crate::store::lexical(&std::path::absolute(&options.out).unwrap_or(options.out.clone()));
    if out_abs.starts_with(&kb) {
        return Err(ExportError::InsideKb {
            out: options.out.clone(),
            kb,
        });
    }
    let loaded = store.articles()?;
    let pages = select(store, &loaded.items, options.format);
    prepare(&options.out)?;
    let mut w = Writer {
        out: options.out.clone(),
        files: Vec::new(),
        bytes: 0,
    };
    let total = pages.len();
    let mut tick = |done: usize| progress(done, total);
    match options.format {
        Format::Hugo => pages::hugo(&pages, &mut w, &mut tick)?,
        Format::Jekyll => pages::jekyll(&pages, &mut w, &mut tick)?,
        Format::Zola => pages::zola(&pages, &mut w, &mut tick)?,
        Format::Mdbook => pages::mdbook(&pages, &mut w, &mut tick)?,
        Format::Html => html::site(&pages, options.base_url.as_deref(), &mut w, &mut tick)?,
    }
    let manifest = serde_json::json!({
        "generator": "docket export",
        "format": options.format.name(),
        "files": w.files,
    });
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    let path = inside_out(&options.out, "the manifest", MANIFEST)?;
    std::fs::write(&path, text).map_err(|e| ExportError::io(&path, e))?;
    Ok(Report {
        pages: total,
        files: w.files.len(),
        bytes: w.bytes,
        withheld: loaded.items.len() - total,
        problems: loaded.problems,
    })
}

/// A date as RFC 3339 (what every generator parses the same way), or None when the text
/// is not a date docket recognises (the page is then written without a date).
pub(crate) fn rfc3339(date: &str) -> Option<String> {
    let d = date.trim();
    let fmt = crate::model::format_time;
    if let Ok(t) = d.parse::<jiff::Timestamp>() {
        return Some(fmt(t));
    }
    if let Ok(day) = d.parse::<jiff::civil::Date>() {
        return Some(format!("{day}T00:00:00Z"));
    }
    if let Ok(t) = jiff::Timestamp::strptime("%Y-%m-%d %H:%M:%S %z", d) {
        return Some(fmt(t));
    }
    if let Ok(dt) = jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", d) {
        return dt
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| fmt(z.timestamp()));
    }
    None
}

/// Aliases that are plain site paths (no scheme, no `..`), the only kind generators can
/// turn into redirect pages inside the site.
pub(crate) fn safe_aliases(a: &Article) -> Vec<String> {
    a.aliases
        .iter()
        .filter(|x| {
            !x.is_empty()
                && !x.contains("://")
                && !x.contains(['\\', '\n', '\r', '\0'])
                && x.split('/').all(|c| c != "..")
        })
        .cloned()
        .collect()
}

/// The `slug` key when it is safe (it becomes part of a URL and of an output path).
pub(crate) fn safe_slug(file: &RecordFile<Article>) -> Option<String> {
    file.value
        .slug
        .as_deref()
        .and_then(|s| s.parse::<crate::model::Slug>().ok())
        .map(|s| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_never_escape() {
        for bad in ["..", ".", "", "../x", ".hidden", "a/b", "a\\b", "..."] {
            let c = safe_component(bad);
            assert!(
                !c.is_empty() && !c.contains(['/', '\\']) && !c.starts_with('.'),
                "{bad} -> {c}"
            );
        }
        assert_eq!(safe_component("Where"), "Where");
        assert_eq!(safe_component("_index"), "_index");
    }

    #[test]
    fn dates_become_rfc3339() {
        assert_eq!(
            rfc3339("2026-08-02").as_deref(),
            Some("2026-08-02T00:00:00Z")
        );
        assert_eq!(
            rfc3339("2024-03-11 09:30:00 +0000").as_deref(),
            Some("2024-03-11T09:30:00Z")
        );
        assert_eq!(
            rfc3339("2026-09-15T12:00:00+02:00").as_deref(),
            Some("2026-09-15T10:00:00Z")
        );
        assert_eq!(rfc3339("last tuesday"), None);
    }
}
