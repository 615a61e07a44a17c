//! The static HTML site docket makes itself: `index.html` listing articles by tag, one
//! page per article under `kb/`, a stylesheet, and offline search (a prebuilt index in
//! `search-index.js`, also as `search-index.json`, and `search.js`). Every link is
//! relative, so the folder works from any address or straight from disk (`file://`,
//! where browsers refuse to fetch JSON: hence the index as a script).
//!
//! Markdown becomes HTML with pulldown-cmark and is then cleaned with ammonia: raw HTML,
//! scripts, event handlers and `javascript:` links in an article never reach the page.

use std::collections::BTreeMap;

use pulldown_cmark::{CowStr, Event, Options as MdOptions, Parser, Tag, TagEnd};
use serde::Serialize;

use super::{ExportError, Page, Writer, rfc3339, safe_component};

const STYLE: &str = include_str!("site/style.css");
const SEARCH_JS: &str = include_str!("site/search.js");

/// Longest text per page kept in the search index (the start of an article says what
/// it is about; the cap keeps the index small for large KBs).
const INDEX_TEXT_CHARS: usize = 4000;

/// One entry of the search index. Short keys keep the index small.
#[derive(Debug, Serialize)]
struct Entry {
    /// Title.
    t: String,
    /// URL relative to the site root.
    u: String,
    /// Description.
    d: String,
    /// Tags.
    g: Vec<String>,
    /// Plain text of the body.
    x: String,
}

/// Escapes text for HTML (and SVG) element content and attribute values. Control
/// characters other than newline and tab are not allowed in XML: the replacement
/// character shows that something was there.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

/// Points a relative link to another Markdown file at the page made from it.
fn rewrite_link(dest: &str) -> Option<String> {
    if dest.contains("://") || dest.starts_with(['/', '#']) || dest.starts_with("mailto:") {
        return None;
    }
    let (path, frag) = match dest.find('#') {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    let stem = path.strip_suffix(".md")?;
    let stem = match stem.rsplit_once('/') {
        Some((dir, "_index")) => format!("{dir}/index"),
        None if stem == "_index" => "index".into(),
        _ => stem.to_string(),
    };
    Some(format!("{stem}.html{frag}"))
}

/// The article's HTML (sanitised) and its plain text (for the search index).
fn render(markdown: &str) -> (String, String) {
    let mut opts = MdOptions::empty();
    opts.insert(MdOptions::ENABLE_TABLES);
    opts.insert(MdOptions::ENABLE_FOOTNOTES);
    opts.insert(MdOptions::ENABLE_STRIKETHROUGH);
    opts.insert(MdOptions::ENABLE_TASKLISTS);
    let mut text = String::new();
    let events = Parser::new_ext(markdown, opts).map(|ev| match ev {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = rewrite_link(&dest_url).map_or(dest_url, CowStr::from);
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => {
            if text.len() < INDEX_TEXT_CHARS * 4 {
                match &other {
                    Event::Text(t) | Event::Code(t) => {
                        text.push_str(t);
                    }
                    Event::SoftBreak
                    | Event::HardBreak
                    | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                        text.push(' ')
                    }
                    _ => {}
                }
            }
            other
        }
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events);
    let clean = ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string();
    let plain: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(INDEX_TEXT_CHARS)
        .collect();
    (clean, plain)
}

/// A whole page around `main`.
fn page(title: &str, root: &str, canonical: Option<String>, main: &str) -> String {
    let canonical = canonical
        .map(|u| format!("<link rel=\"canonical\" href=\"{}\">\n", esc(&u)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{title}</title>\n<link rel=\"stylesheet\" href=\"{root}style.css\">\n{canonical}</head>\n\
<body data-root=\"{root}\">\n<header>\n<a class=\"home\" href=\"{root}index.html\">Knowledge base</a>\n\
<form role=\"search\" onsubmit=\"return false\"><input id=\"search\" type=\"search\" \
placeholder=\"Search articles\" aria-label=\"Search articles\" autocomplete=\"off\"></form>\n\
<ul id=\"search-results\" hidden></ul>\n</header>\n<main>\n{main}</main>\n\
<script src=\"{root}search-index.js\"></script>\n<script src=\"{root}search.js\"></script>\n\
</body>\n</html>\n",
        title = esc(title),
    )
}

fn tag_anchor(tag: &str) -> String {
    format!("tag-{}", safe_component(&tag.to_lowercase()))
}

/// The site.
pub fn site(
    pages: &[Page],
    base_url: Option<&str>,
    w: &mut Writer,
    tick: &mut dyn FnMut(usize),
) -> Result<(), ExportError> {
    let base = base_url.map(|b| b.trim_end_matches('/').to_string());
    let mut index: Vec<Entry> = Vec::with_capacity(pages.len());
    let mut by_tag: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        let a = p.article();
        let url = format!("kb/{}", p.path("html", false));
        let depth = url.matches('/').count();
        let root = "../".repeat(depth);
        let title = p.title();
        let (body, plain) = render(p.file.doc.body());
        let mut main = format!("<article>\n<h1>{}</h1>\n", esc(&title));
        let mut meta = Vec::new();
        if let Some(d) = a
            .date
            .as_ref()
            .map(crate::model::Time::as_str)
            .and_then(rfc3339)
        {
            meta.push(format!(
                "<time datetime=\"{}\">{}</time>",
                esc(&d),
                esc(&d[..10])
            ));
        }
        for t in &a.tags {
            meta.push(format!(
                "<a class=\"tag\" href=\"{root}index.html#{}\">{}</a>",
                tag_anchor(t),
                esc(t)
            ));
        }
        if !meta.is_empty() {
            main.push_str(&format!("<p class=\"meta\">{}</p>\n", meta.join(" ")));
        }
        if let Some(d) = &a.description {
            main.push_str(&format!("<p class=\"description\">{}</p>\n", esc(d)));
        }
        main.push_str(&body);
        main.push_str("</article>\n");
        let canonical = base.as_ref().map(|b| format!("{b}/{url}"));
        w.write(&url, &page(&title, &root, canonical, &main))?;
        let tags = if a.tags.is_empty() {
            vec!["untagged".to_string()]
        } else {
            a.tags.clone()
        };
        for t in tags {
            by_tag
                .entry(t)
                .or_default()
                .push((title.clone(), url.clone()));
        }
        index.push(Entry {
            t: title,
            u: url,
            d: a.description.clone().unwrap_or_default(),
            g: a.tags.clone(),
            x: plain,
        });
        tick(i + 1);
    }
    let mut main = format!(
        "<h1>Knowledge base</h1>\n<p>{} articles. Type in the search box, or browse by tag.</p>\n",
        pages.len()
    );
    main.push_str("<nav class=\"tags\">\n");
    for (tag, items) in &by_tag {
        main.push_str(&format!(
            "<a href=\"#{}\">{}</a> ({})\n",
            tag_anchor(tag),
            esc(tag),
            items.len()
        ));
    }
    main.push_str("</nav>\n");
    for (tag, items) in &mut by_tag {
        items.sort();
        main.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n<ul>\n",
            tag_anchor(tag),
            esc(tag)
        ));
        for (title, url) in items.iter() {
            main.push_str(&format!(
                "<li><a href=\"{}\">{}</a></li>\n",
                esc(url),
                esc(title)
            ));
        }
        main.push_str("</ul>\n</section>\n");
    }
    let canonical = base.as_ref().map(|b| format!("{b}/index.html"));
    w.write("index.html", &page("Knowledge base", "", canonical, &main))?;
    w.write("style.css", STYLE)?;
    w.write("search.js", SEARCH_JS)?;
    // `<` and `>` only occur inside JSON strings: escaping them keeps any markup in a
    // title or text inert even if the index is ever inlined into a page.
    let json = serde_json::to_string(&serde_json::json!({ "pages": index }))
        .unwrap_or_else(|_| "{\"pages\":[]}".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e");
    w.write("search-index.json", &json)?;
    w.write(
        "search-index.js",
        &format!("window.DOCKET_SEARCH_INDEX = {json};\n"),
    )?;
    if let Some(b) = &base {
        let mut map = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        map.push_str(&format!("<url><loc>{}/index.html</loc></url>\n", esc(b)));
        for e in &index {
            map.push_str(&format!("<url><loc>{}/{}</loc></url>\n", esc(b), esc(&e.u)));
        }
        map.push_str("</urlset>\n");
        w.write("sitemap.xml", &map)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed() {
        let (html, _) = render(
            "Hi <script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[x](javascript:alert(3))\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn markdown_links_point_at_pages() {
        assert_eq!(rewrite_link("other.md").as_deref(), Some("other.html"));
        assert_eq!(
            rewrite_link("a/_index.md#x").as_deref(),
            Some("a/index.html#x")
        );
        assert_eq!(rewrite_link("https://x.org/a.md"), None);
        assert_eq!(rewrite_link("/abs.md"), None);
    }
}
