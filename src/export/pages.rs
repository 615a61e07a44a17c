//! Content files for Hugo, Jekyll, Zola and mdBook: front matter each generator accepts
//! and bodies protected from each generator's template syntax, so text that merely looks
//! like a shortcode or a Liquid tag is shown as written instead of breaking the build.

use super::{ExportError, Page, Writer, rfc3339, safe_aliases, safe_slug};
use crate::doc::{Document, Value};
use crate::store::{Problem, StoreError};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn list(items: &[String]) -> Value {
    Value::Sequence(items.iter().map(|x| s(x)).collect())
}

/// The YAML front matter Hugo and Jekyll read: strings, an RFC 3339 date, tags as a list.
fn yaml_page(p: &Page, body: &str, jekyll: bool) -> Result<String, ExportError> {
    let a = p.article();
    let date = a
        .date
        .as_ref()
        .map(crate::model::Time::as_str)
        .and_then(rfc3339);
    let opt = |v: Option<&str>| v.map_or(Value::Null, s);
    let mut entries = vec![
        ("title", s(&a.title)),
        ("date", opt(date.as_deref())),
        ("description", opt(a.description.as_deref())),
        ("tags", list(&a.tags)),
        (
            "weight",
            a.weight.map_or(Value::Null, |w| Value::Number(w.into())),
        ),
    ];
    if !jekyll {
        // Jekyll's `slug` only feeds permalinks and it has no `aliases`.
        entries.push(("slug", opt(safe_slug(p.file).as_deref())));
        entries.push(("aliases", list(&safe_aliases(a))));
    }
    entries.push(("id", opt(a.id.as_deref())));
    entries.push(("products", list(&a.products)));
    let doc = Document::create(&entries, body)
        .map_err(|e| StoreError::Bad(Problem::from_doc(&p.file.rel, &e)))?;
    Ok(doc.text().to_string())
}

/// Hugo: `{{< x >}}` and `{{% x %}}` are shortcodes everywhere in content, code blocks
/// included; written as `{{</* x */>}}` Hugo prints them literally.
fn hugo_body(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 16);
    let mut rest = body;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let open = after.chars().next().filter(|c| *c == '<' || *c == '%');
        match open {
            Some(c) if !after[1..].trim_start().starts_with("/*") => {
                let close = if c == '<' { ">}}" } else { "%}}" };
                match after[1..].find(close) {
                    Some(end) => {
                        let inner = &after[1..1 + end];
                        out.push_str(&format!("{{{{{c}/*{inner}*/{}", close));
                        rest = &after[1 + end + close.len()..];
                    }
                    None => {
                        out.push_str("{{");
                        rest = after;
                    }
                }
            }
            _ => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Jekyll runs Liquid over pages: the body goes inside `{% raw %}`, with any
/// `{% endraw %}` in the text itself split so it cannot close the block early.
fn jekyll_body(body: &str) -> String {
    let inner = body.replace("{% endraw %}", "{% endraw %}{{ '{% endraw %}' }}{% raw %}");
    format!("{{% raw %}}\n{inner}\n{{% endraw %}}\n")
}

/// Zola renders `{{ name(...) }}` and `{% name(...) %}` as shortcodes; its escape is
/// `{{/* ... */}}` / `{%/* ... */%}`.
fn zola_body(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 16);
    let mut rest = body;
    loop {
        let next = [rest.find("{{"), rest.find("{%")]
            .into_iter()
            .flatten()
            .min();
        let Some(i) = next else { break };
        out.push_str(&rest[..i]);
        let kind = &rest[i..i + 2];
        let close = if kind == "{{" { "}}" } else { "%}" };
        let after = &rest[i + 2..];
        let looks_like_call = {
            let t = after.trim_start();
            let ident: String = t
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            !ident.is_empty() && t[ident.len()..].trim_start().starts_with('(')
        };
        match after.find(close) {
            Some(end) if looks_like_call || after.trim_start().starts_with("end") => {
                out.push_str(&format!("{kind}/*{}*/{close}", &after[..end]));
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str(kind);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// mdBook's preprocessor expands `{{#include ...}}` and friends; `\{{#` is its escape.
fn mdbook_body(body: &str) -> String {
    body.replace("{{#", "\\{{#")
}

/// Hugo content files.
pub fn hugo(
    pages: &[Page],
    w: &mut Writer,
    tick: &mut dyn FnMut(usize),
) -> Result<(), ExportError> {
    let crowded = crowded_bundles(pages);
    for (i, p) in pages.iter().enumerate() {
        let text = yaml_page(p, &hugo_body(p.file.doc.body()), false)?;
        let path = if crowded.contains(&i) {
            format!("{}/index-page.md", p.dirs().join("/"))
        } else {
            p.path("md", true)
        };
        w.write(path.trim_start_matches('/'), &text)?;
        tick(i + 1);
    }
    Ok(())
}

/// The pages named `index` whose folder holds other pages too. Hugo and Zola read
/// `dir/index.md` as a bundle: the folder *is* that page, and other Markdown files in it
/// stop being pages (Hugo) or fail the build (Zola). A lone `index.md` keeps that meaning;
/// a crowded one is renamed `index-page`.
fn crowded_bundles(pages: &[Page]) -> std::collections::BTreeSet<usize> {
    let mut per_dir: std::collections::BTreeMap<&[String], usize> = Default::default();
    for p in pages {
        for n in 0..=p.dirs().len() {
            *per_dir.entry(&p.dirs()[..n]).or_default() += 1;
        }
    }
    pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.parts.last().is_some_and(|l| l == "index")
                && per_dir.get(p.dirs()).copied().unwrap_or(0) > 1
        })
        .map(|(i, _)| i)
        .collect()
}

/// Jekyll pages (`_index` becomes `index`: Jekyll ignores files starting with `_`).
pub fn jekyll(
    pages: &[Page],
    w: &mut Writer,
    tick: &mut dyn FnMut(usize),
) -> Result<(), ExportError> {
    for (i, p) in pages.iter().enumerate() {
        let text = yaml_page(p, &jekyll_body(p.file.doc.body()), true)?;
        w.write(&p.path("md", false), &text)?;
        tick(i + 1);
    }
    Ok(())
}

/// Zola front matter: only the keys Zola knows at the top (it rejects others), the rest
/// under `[extra]`. Tags go to `extra.tags` because a `[taxonomies]` entry fails the build
/// of a site whose config.toml does not declare that taxonomy.
#[derive(serde::Serialize)]
struct ZolaFront {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
    extra: ZolaExtra,
}

/// docket's own keys, which Zola passes to templates as `page.extra`.
#[derive(serde::Serialize)]
struct ZolaExtra {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    products: Vec<String>,
}

/// A generated folder's section: its title only.
#[derive(serde::Serialize)]
struct ZolaSection<'a> {
    title: &'a str,
}

/// TOML front matter between `+++` lines.
fn toml_front<T: serde::Serialize>(front: &T) -> String {
    let toml = toml::to_string(front).expect("front matter of strings, numbers and dates");
    format!("+++\n{toml}+++\n")
}

/// Whether Zola would end the front matter inside it: it splits at the first `+++` that
/// ends a line, and a value with line breaks becomes a multi-line TOML string.
fn ends_zola_front_early(toml: &str) -> bool {
    let inner = toml.strip_prefix("+++\n").unwrap_or(toml);
    let inner = inner.strip_suffix("+++\n").unwrap_or(inner);
    inner.lines().any(|l| l.trim_end().ends_with("+++"))
}

fn zola_front(p: &Page, section: bool) -> String {
    let a = p.article();
    let mut front = ZolaFront {
        title: a.title.clone(),
        description: a.description.clone(),
        date: a
            .date
            .as_ref()
            .map(crate::model::Time::as_str)
            .filter(|_| !section)
            .and_then(rfc3339)
            .and_then(|d| d.parse().ok()),
        weight: a.weight.filter(|w| *w >= 0),
        slug: safe_slug(p.file).filter(|_| !section),
        aliases: safe_aliases(a),
        extra: ZolaExtra {
            tags: a.tags.clone(),
            id: a.id.clone(),
            products: a.products.clone(),
        },
    };
    let text = toml_front(&front);
    if !ends_zola_front_early(&text) {
        return text;
    }
    // Only a hostile value gets here: its line breaks become spaces, so the site builds.
    let fold = |s: &mut String| *s = s.replace(['\r', '\n'], " ");
    fold(&mut front.title);
    front.description.iter_mut().for_each(fold);
    front.aliases.iter_mut().for_each(fold);
    front.extra.tags.iter_mut().for_each(fold);
    front.extra.id.iter_mut().for_each(fold);
    front.extra.products.iter_mut().for_each(fold);
    toml_front(&front)
}

/// Zola: a section `_index.md` in every folder (the source's own when it has one) and one
/// page per article.
pub fn zola(
    pages: &[Page],
    w: &mut Writer,
    tick: &mut dyn FnMut(usize),
) -> Result<(), ExportError> {
    // Zola refuses a page called `index.md` next to a section's `_index.md`, and every
    // folder gets one here: a lone `dir/index.md` becomes the page `dir.md` (same URL),
    // a crowded one `dir/index-page.md`.
    let crowded = crowded_bundles(pages);
    let taken: std::collections::BTreeSet<&[String]> =
        pages.iter().map(|p| p.parts.as_slice()).collect();
    let out: Vec<Vec<String>> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut parts = p.parts.clone();
            if parts.last().is_some_and(|l| l == "index") {
                let dirs = p.dirs();
                if !crowded.contains(&i) && !dirs.is_empty() && !taken.contains(dirs) {
                    parts.pop();
                } else {
                    let last = parts.len() - 1;
                    parts[last] = "index-page".into();
                }
            }
            parts
        })
        .collect();
    let mut dirs = std::collections::BTreeSet::new();
    let mut with_index = std::collections::BTreeSet::new();
    for (p, parts) in pages.iter().zip(&out) {
        let d = &parts[..parts.len() - 1];
        for n in 0..=d.len() {
            dirs.insert(d[..n].to_vec());
        }
        if p.is_section() {
            with_index.insert(d.to_vec());
        }
    }
    for d in &dirs {
        if with_index.contains(d) {
            continue;
        }
        let title = d.last().map_or("Knowledge base", String::as_str);
        let mut rel = d.join("/");
        if !rel.is_empty() {
            rel.push('/');
        }
        rel.push_str("_index.md");
        w.write(&rel, &toml_front(&ZolaSection { title }))?;
    }
    for (i, (p, parts)) in pages.iter().zip(&out).enumerate() {
        let section = p.is_section();
        let text = format!("{}{}", zola_front(p, section), zola_body(p.file.doc.body()));
        w.write(&format!("{}.md", parts.join("/")), &text)?;
        tick(i + 1);
    }
    Ok(())
}

/// Text for a Markdown link label.
fn label(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace(['\n', '\r'], " ")
}

/// mdBook: one chapter per article (the title as its first heading, no front matter) and
/// a `SUMMARY.md` that nests chapters by folder; a folder without an index page becomes a
/// draft chapter, which mdBook shows as a heading without a page.
pub fn mdbook(
    pages: &[Page],
    w: &mut Writer,
    tick: &mut dyn FnMut(usize),
) -> Result<(), ExportError> {
    let mut summary = String::from("# Summary\n\n");
    let mut open: Vec<String> = Vec::new();
    let mut ordered: Vec<&Page> = pages.iter().collect();
    // A folder's index page comes first among its chapters.
    ordered.sort_by(|a, b| {
        let key = |p: &Page| {
            let mut k = p.parts.clone();
            if p.is_section() {
                let last = k.len() - 1;
                k[last] = String::new();
            }
            k
        };
        key(a).cmp(&key(b))
    });
    for (i, p) in ordered.iter().enumerate() {
        let dirs = p.dirs();
        let common = open.iter().zip(dirs).take_while(|(a, b)| a == b).count();
        open.truncate(common);
        for d in &dirs[common..] {
            let depth = open.len();
            let is_index_here = p.is_section() && open.len() + 1 == dirs.len();
            if !is_index_here {
                summary.push_str(&format!("{}- [{}]()\n", "  ".repeat(depth), label(d)));
            }
            open.push(d.clone());
        }
        let depth = if p.is_section() {
            dirs.len().saturating_sub(1)
        } else {
            dirs.len()
        };
        let path = p.path("md", false);
        let title = p.title();
        summary.push_str(&format!(
            "{}- [{}]({path})\n",
            "  ".repeat(depth),
            label(&title)
        ));
        let body = mdbook_body(p.file.doc.body());
        w.write(
            &path,
            &format!("# {}\n\n{body}", title.replace(['\n', '\r'], " ")),
        )?;
        tick(i + 1);
    }
    w.write("SUMMARY.md", &summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_shortcodes_are_shown_not_run() {
        assert_eq!(
            hugo_body("a {{< ref \"x\" >}} b {{% note %}}c{{% /note %}}"),
            "a {{</* ref \"x\" */>}} b {{%/* note */%}}c{{%/* /note */%}}"
        );
        assert_eq!(hugo_body("{{</* kept */>}}"), "{{</* kept */>}}");
        assert_eq!(hugo_body("{{ .Title }} {{<"), "{{ .Title }} {{<");
    }

    #[test]
    fn jekyll_bodies_are_raw() {
        let b = jekyll_body("{{ x }} {% endraw %}");
        assert!(b.starts_with("{% raw %}\n{{ x }} {% endraw %}{{ '{% endraw %}' }}{% raw %}"));
        assert!(b.ends_with("{% endraw %}\n"));
    }

    #[test]
    fn zola_shortcodes_are_escaped() {
        assert_eq!(
            zola_body("{{ youtube(id=\"x\") }} and {{ plain }}"),
            "{{/* youtube(id=\"x\") */}} and {{ plain }}"
        );
        assert_eq!(
            zola_body("{% quote(author=\"a\") %}x{% end %}"),
            "{%/* quote(author=\"a\") */%}x{%/* end */%}"
        );
    }

    #[test]
    fn toml_strings_escape() {
        let text = toml_front(&ZolaSection {
            title: "a \"b\"\n\u{7f}",
        });
        let back: toml::Table = text
            .trim_matches(|c| c == '+' || c == '\n')
            .parse()
            .expect("valid TOML");
        assert_eq!(back["title"].as_str(), Some("a \"b\"\n\u{7f}"));
    }

    /// A multi-line value with a line ending in `+++` would end Zola's front matter.
    #[test]
    fn a_value_cannot_end_zolas_front_matter() {
        assert!(!ends_zola_front_early("+++\ntitle = \"C+++\"\n+++\n"));
        assert!(ends_zola_front_early(
            "+++\ndescription = \"\"\"\na\n+++\nb\"\"\"\n+++\n"
        ));
    }
}
