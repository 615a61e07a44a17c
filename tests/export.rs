//! `docket export` through the real binary, checked by the real clients where they exist
//! here: Hugo builds the hugo export, headless Chromium searches the html export. Zola is
//! not installable here, so its tree is checked against Zola's documented front matter
//! rules; mdBook's and Jekyll's trees are checked for the shape those tools read.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Repo;

const FORMATS: [&str; 5] = ["hugo", "jekyll", "zola", "mdbook", "html"];

/// An article that tries everything: markup, scripts, template syntax, an unsafe slug
/// and aliases, a YAML-hostile title, a Jekyll-style date.
const HOSTILE: &str = r#"---
title: "@risky: quotes \" and colons"
slug: ../../escape
date: 2026-01-05 10:00:00 +0000
description: "Scripts <script>alert('desc')</script> never run"
tags: [security, "odd tag"]
status: published
audience: public
aliases: ["../../../outside", "/kb/ok-alias/"]
---
Hello <script>alert('xss')</script> world.

<img src="x.png" onerror="alert('img')">

[click](javascript:alert('link'))

{{< nonexistent-shortcode >}} and {{% also %}} and {% liquid %} {{ zola_call(x=1) }} {{#include secret.md}}

See [TLS](tls-setup.md) for certificates.
"#;

const INTERNAL_TITLE: &str = "Support rotation, SLAs and escalation";

/// The demo KB and customers, plus drafts, an internal article, the hostile article and a
/// ticket with an internal note.
fn desk() -> Repo {
    let r = Repo::with_desk();
    for dir in ["kb", "customers"] {
        for e in std::fs::read_dir(common::fixture(&format!("demo/{dir}"))).expect("fixtures") {
            let p = e.expect("entry").path();
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            r.write(
                &format!("support/{dir}/{name}"),
                &std::fs::read_to_string(&p).expect("read"),
            );
        }
    }
    r.write("support/kb/hostile.md", HOSTILE);
    r.write(
        "support/kb/unfinished.md",
        "---\ntitle: Unfinished draft page\nstatus: draft\n---\nNot yet.\n",
    );
    r.write(
        "support/kb/hugo-draft.md",
        "---\ntitle: Hugo draft page\ndraft: true\n---\nNot yet.\n",
    );
    r.write(
        "support/kb/old.md",
        "---\ntitle: Archived old page\nstatus: archived\n---\nGone.\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "kb and customers"]).ok();
    let id = r
        .docket(&[
            "new",
            "--title",
            "Ticket title never exported",
            "--customer",
            "acme",
        ])
        .ok()
        .trim()
        .to_string();
    r.docket(&[
        "comment",
        &id,
        "--internal",
        "-m",
        "INTERNAL-NOTE-42 call Dana",
    ])
    .ok();
    r
}

fn files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

fn all_text(dir: &Path) -> String {
    files(dir)
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("utf-8"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn export(r: &Repo, format: &str, out: &Path) -> common::Run {
    r.docket(&[
        "export",
        "--format",
        format,
        "--out",
        out.to_str().expect("utf-8 path"),
    ])
}

/// Everything personal or internal in the desk: customer emails and names of contacts,
/// internal article titles, internal notes, ticket titles.
fn secrets(r: &Repo) -> Vec<String> {
    let mut out = vec![
        INTERNAL_TITLE.to_string(),
        "INTERNAL-NOTE-42".to_string(),
        "Ticket title never exported".to_string(),
        "Unfinished draft page".to_string(),
        "Hugo draft page".to_string(),
        "Archived old page".to_string(),
        "Series cardinality limits".to_string(),
    ];
    for f in files(&r.root.join("support/customers")) {
        for line in std::fs::read_to_string(f).expect("read").lines() {
            if let Some(email) = line.trim().strip_prefix("email:") {
                out.push(email.trim().to_string());
            }
        }
    }
    assert!(out.len() > 8, "{out:?}");
    out
}

#[test]
fn no_format_leaks_internal_or_personal_data() {
    let r = desk();
    let kb = r.read("support/kb/support-escalation.md");
    assert!(kb.contains(INTERNAL_TITLE) && kb.contains("audience: internal"));
    let secrets = secrets(&r);
    for format in FORMATS {
        let out = r
            .root
            .parent()
            .expect("parent")
            .join(format!("out-{format}"));
        let run = export(&r, format, &out);
        run.ok();
        assert!(
            run.stderr.contains("exported 7 articles"),
            "{format}: {}",
            run.stderr
        );
        let text = all_text(&out);
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{format} export contains `{s}`");
        }
        assert!(
            text.contains("Enabling TLS and client certificates"),
            "{format}"
        );
    }
}

#[test]
fn a_kb_folder_around_customers_and_tickets_exports_neither() {
    let r = desk();
    let config = r
        .read(".docket/config.yaml")
        .replace("kb: support/kb", "kb: support");
    r.write(".docket/config.yaml", &config);
    let out = r.root.parent().expect("parent").join("out");
    for format in FORMATS {
        let out = out.join(format);
        export(&r, format, &out).ok();
        let text = all_text(&out);
        for s in secrets(&r) {
            assert!(!text.contains(s.as_str()), "{format} export contains `{s}`");
        }
        assert!(!text.contains("Acme Logistics"), "{format}");
    }
}

#[test]
fn html_is_sanitised_and_paths_stay_inside_the_output() {
    let r = desk();
    let base = r.root.parent().expect("parent").to_path_buf();
    let before: BTreeSet<_> = std::fs::read_dir(&base)
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    for format in FORMATS {
        let out = base.join("site").join(format);
        export(&r, format, &out).ok();
        let root = out.canonicalize().expect("out");
        for f in files(&out) {
            let f = f.canonicalize().expect("file");
            assert!(
                f.starts_with(&root),
                "{} escaped {}",
                f.display(),
                root.display()
            );
            assert!(!f.to_string_lossy().contains("escape"), "{}", f.display());
        }
    }
    let mut after: BTreeSet<_> = std::fs::read_dir(&base)
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    after.remove(std::ffi::OsStr::new("site"));
    assert_eq!(
        before, after,
        "nothing was written next to the output folder"
    );

    let html = base.join("site/html");
    let page = std::fs::read_to_string(html.join("kb/hostile.html")).expect("page");
    for bad in [
        "<script>alert",
        "onerror",
        "javascript:",
        "<img src=\"x.png\" on",
    ] {
        assert!(!page.contains(bad), "`{bad}` reached the page:\n{page}");
    }
    for f in files(&html) {
        let text = std::fs::read_to_string(&f).expect("read");
        assert!(!text.contains("<script>alert"), "{}", f.display());
        assert!(!text.to_lowercase().contains("onerror="), "{}", f.display());
    }
    assert!(page.contains("Hello"), "{page}");
    // The relative link to another article points at its page, which exists.
    assert!(page.contains("href=\"tls-setup.html\""), "{page}");
    assert!(html.join("kb/tls-setup.html").is_file());
    // The index lists articles by tag, with relative links that resolve.
    let index = std::fs::read_to_string(html.join("index.html")).expect("index");
    assert!(index.contains("id=\"tag-security\""), "{index}");
    for href in index.split("href=\"").skip(1) {
        let href = &href[..href.find('"').expect("closing quote")];
        if let Some(file) = href.split('#').next().filter(|f| !f.is_empty()) {
            assert!(html.join(file).is_file(), "broken link {href}");
        }
    }
    assert!(html.join("search-index.js").is_file() && html.join("search.js").is_file());
    // The Hugo front matter drops the unsafe slug and alias.
    let hugo = std::fs::read_to_string(base.join("site/hugo/hostile.md")).expect("hugo page");
    assert!(
        !hugo.contains("escape") && !hugo.contains("outside"),
        "{hugo}"
    );
    assert!(hugo.contains("date: 2026-01-05T10:00:00Z"), "{hugo}");
    assert!(hugo.contains("{{</* nonexistent-shortcode */>}}"), "{hugo}");
}

#[test]
fn a_second_export_replaces_the_first_and_other_folders_are_refused() {
    let r = desk();
    let out = r.root.parent().expect("parent").join("public");
    export(&r, "html", &out).ok();
    assert!(out.join("kb/tls-setup.html").is_file());
    r.docket(&["kb", "set", "tls-setup", "audience=internal"])
        .ok();
    export(&r, "html", &out).ok();
    assert!(
        !out.join("kb/tls-setup.html").exists(),
        "withdrawn article left behind"
    );
    assert!(
        !std::fs::read_to_string(out.join("search-index.js"))
            .expect("index")
            .contains("Enabling TLS")
    );

    let foreign = r.root.parent().expect("parent").join("foreign");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    std::fs::write(foreign.join("keep.txt"), "mine").expect("write");
    let err = export(&r, "hugo", &foreign).fails(2).to_string();
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(
        std::fs::read_to_string(foreign.join("keep.txt")).expect("kept"),
        "mine"
    );

    let err = export(&r, "hugo", &r.root.join("support/kb/out"))
        .fails(2)
        .to_string();
    assert!(err.contains("inside the KB folder"), "{err}");
}

/// Splits `+++ toml +++ body`.
fn toml_front(text: &str) -> (toml::Table, &str) {
    let rest = text.strip_prefix("+++\n").expect("starts with +++");
    let end = rest.find("\n+++\n").expect("closing +++");
    let table: toml::Table = rest[..end]
        .parse()
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    (table, &rest[end + 5..])
}

#[test]
fn zola_front_matter_follows_zolas_rules() {
    // Zola rejects unknown top-level keys: anything else belongs under [extra].
    let page_keys: BTreeSet<&str> = [
        "title",
        "description",
        "date",
        "updated",
        "weight",
        "draft",
        "slug",
        "path",
        "aliases",
        "authors",
        "in_search_index",
        "template",
        "taxonomies",
        "extra",
    ]
    .into();
    let section_keys: BTreeSet<&str> = [
        "title",
        "description",
        "draft",
        "sort_by",
        "weight",
        "template",
        "page_template",
        "paginate_by",
        "paginate_path",
        "paginate_reversed",
        "insert_anchor_links",
        "in_search_index",
        "render",
        "redirect_to",
        "transparent",
        "aliases",
        "generate_feeds",
        "extra",
    ]
    .into();
    let r = desk();
    let out = r.root.parent().expect("parent").join("zola");
    export(&r, "zola", &out).ok();
    let (section, _) =
        toml_front(&std::fs::read_to_string(out.join("_index.md")).expect("_index.md"));
    assert!(
        section.keys().all(|k| section_keys.contains(k.as_str())),
        "{section:?}"
    );
    let mut pages = 0;
    for f in files(&out) {
        let name = f.file_name().expect("name").to_string_lossy().into_owned();
        if !name.ends_with(".md") || name == "_index.md" {
            continue;
        }
        pages += 1;
        let text = std::fs::read_to_string(&f).expect("read");
        let (fm, body) = toml_front(&text);
        for k in fm.keys() {
            assert!(page_keys.contains(k.as_str()), "{}: key `{k}`", f.display());
        }
        assert!(fm["title"].is_str());
        if let Some(d) = fm.get("date") {
            assert!(d.is_datetime(), "{}: date {d:?}", f.display());
        }
        if let Some(w) = fm.get("weight") {
            assert!(w.as_integer().is_some_and(|w| w >= 0));
        }
        if name == "hostile.md" {
            assert!(fm.get("slug").is_none(), "unsafe slug kept");
            assert_eq!(fm["extra"]["tags"][1].as_str(), Some("odd tag"));
            assert!(body.contains("{{/* zola_call(x=1) */}}"), "{body}");
        }
    }
    assert_eq!(pages, 7);
}

/// Zola ends the front matter at the first `+++` that ends a line (its split regex), so
/// a multi-line value with such a line would cut the front matter in two.
#[test]
fn a_zola_value_with_a_line_of_plus_signs_keeps_the_front_matter_whole() {
    let r = Repo::with_desk();
    r.write(
        "support/kb/plus.md",
        "---\ntitle: Plus signs\ndescription: |\n  first\n  +++\n  last\nstatus: published\naudience: public\n---\nBody.\n",
    );
    r.write(
        "support/kb/lines.md",
        "---\ntitle: Two lines\ndescription: |\n  first\n  second\nstatus: published\naudience: public\n---\nBody.\n",
    );
    let out = r.root.parent().expect("parent").join("zola");
    export(&r, "zola", &out).ok();
    let zola_split = |text: &str| -> toml::Table {
        let rest = text.strip_prefix("+++\n").expect("starts with +++");
        let end = rest
            .lines()
            .position(|l| l.trim_end().ends_with("+++"))
            .expect("closing +++");
        let front: Vec<&str> = rest.lines().take(end).collect();
        front
            .join("\n")
            .parse()
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
    };
    let plus = zola_split(&std::fs::read_to_string(out.join("plus.md")).expect("plus.md"));
    assert_eq!(plus["description"].as_str(), Some("first +++ last "));
    let lines = zola_split(&std::fs::read_to_string(out.join("lines.md")).expect("lines.md"));
    assert_eq!(lines["description"].as_str(), Some("first\nsecond\n"));
}

#[test]
fn mdbook_gets_plain_chapters_and_a_summary_that_lists_them() {
    let r = desk();
    let out = r.root.parent().expect("parent").join("book-src");
    export(&r, "mdbook", &out).ok();
    let summary = std::fs::read_to_string(out.join("SUMMARY.md")).expect("SUMMARY.md");
    assert!(summary.starts_with("# Summary\n\n"), "{summary}");
    let links: Vec<&str> = summary
        .lines()
        .filter_map(|l| l.split("](").nth(1))
        .map(|l| l.trim_end_matches(')'))
        .collect();
    assert_eq!(links.len(), 7, "{summary}");
    for l in links {
        let text = std::fs::read_to_string(out.join(l)).unwrap_or_else(|e| panic!("{l}: {e}"));
        assert!(
            !text.starts_with("---") && !text.starts_with("+++"),
            "{l} has front matter"
        );
        assert!(text.starts_with("# "), "{l}");
    }
    assert!(
        summary.contains("[@risky: quotes \" and colons](hostile.md)"),
        "{summary}"
    );
    let hostile = std::fs::read_to_string(out.join("hostile.md")).expect("chapter");
    assert!(hostile.contains("\\{{#include secret.md}}"), "{hostile}");
}

#[test]
fn jekyll_pages_have_yaml_front_matter_and_raw_bodies() {
    let r = desk();
    let out = r.root.parent().expect("parent").join("jekyll");
    export(&r, "jekyll", &out).ok();
    for f in files(&out)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|x| x == "md"))
    {
        let bytes = std::fs::read(&f).expect("read");
        let doc =
            docket::doc::Document::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(
            doc.get(&["title"]).and_then(|v| v.as_str()).is_some(),
            "{}",
            f.display()
        );
        if let Some(tags) = doc.get(&["tags"]) {
            assert!(tags.is_sequence(), "{}", f.display());
        }
        assert!(doc.body().starts_with("{% raw %}\n"), "{}", f.display());
        assert!(
            !f.file_name()
                .expect("name")
                .to_string_lossy()
                .starts_with('_')
        );
    }
}

#[test]
fn hugo_builds_the_hugo_export() {
    if !common::client("hugo", &["version"]) {
        return;
    }
    let r = desk();
    let site = r.root.parent().expect("parent").join("hugo-site");
    std::fs::create_dir_all(site.join("layouts/_default")).expect("mkdir");
    std::fs::write(
        site.join("config.toml"),
        "baseURL = \"http://example.org/\"\ntitle = \"KB\"\nbuildFuture = true\ndisableKinds = [\"RSS\", \"sitemap\"]\n",
    )
    .expect("config");
    std::fs::write(
        site.join("layouts/_default/single.html"),
        "<html><body><h1>{{ .Title }}</h1><ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul><time>{{ .Date.Format \"2006-01-02\" }}</time>{{ .Content }}</body></html>\n",
    )
    .expect("single");
    std::fs::write(
        site.join("layouts/_default/list.html"),
        "<html><body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n",
    )
    .expect("list");
    export(&r, "hugo", &site.join("content/kb")).ok();
    let out = Command::new("hugo")
        .args(["--source", site.to_str().expect("utf-8")])
        .output()
        .expect("hugo runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("hugo printed:\n{printed}");
    assert!(out.status.success(), "hugo failed:\n{printed}");
    let v: serde_json::Value =
        serde_json::from_str(r.docket(&["kb", "list", "--json"]).ok()).expect("json");
    let mut expected = 0;
    for a in v.as_array().expect("array") {
        let public = a["status"] == "published" && a["audience"] == "public" && a["draft"] != true;
        let stem = Path::new(a["path"].as_str().expect("path"))
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let url = match a["slug"].as_str() {
            Some(s) if !s.contains('/') => s.to_string(),
            _ => stem.to_lowercase(),
        };
        let page = site.join("public/kb").join(&url).join("index.html");
        if public {
            expected += 1;
            let html = std::fs::read_to_string(&page)
                .unwrap_or_else(|e| panic!("{} missing: {e}\n{printed}", page.display()));
            let title = a["title"].as_str().expect("title");
            let shown = title.replace('"', "&#34;");
            assert!(
                html.contains(&format!("<h1>{shown}</h1>")),
                "{}: {html}",
                page.display()
            );
        } else {
            assert!(!page.exists(), "{} was published", page.display());
        }
    }
    assert_eq!(expected, 7);
    let hostile = std::fs::read_to_string(site.join("public/kb/hostile/index.html")).expect("page");
    assert!(
        hostile.contains("{{&lt; nonexistent-shortcode &gt;}}"),
        "{hostile}"
    );
    assert!(
        hostile.contains("<li>odd tag</li>") && hostile.contains("2026-01-05"),
        "{hostile}"
    );
}

#[test]
fn chromium_finds_an_article_with_the_search_box() {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !common::client("node", &["--version"])
        || !common::client("/usr/bin/chromium", &["--version"])
    {
        return;
    }
    if !browser_dir.join("node_modules/playwright-core").is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tests/browser needs `npm ci` (.ci/run does it)"
        );
        eprintln!("note: run `npm ci` in tests/browser for the browser test; skipping");
        return;
    }
    let r = desk();
    let out = r.root.parent().expect("parent").join("html");
    export(&r, "html", &out).ok();
    let run = |word: &str, title: &str| {
        Command::new("node")
            .current_dir(&browser_dir)
            .args([
                "search.mjs",
                out.join("index.html").to_str().expect("utf-8"),
                word,
                title,
            ])
            .output()
            .expect("node runs")
    };
    let found = run(
        "certificates",
        "Enabling TLS and client certificates for the HTTP API",
    );
    let stdout = String::from_utf8_lossy(&found.stdout);
    assert!(
        found.status.success(),
        "search failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&found.stderr)
    );
    assert!(stdout.contains("kb/tls-setup.html"), "{stdout}");
    // An internal article is not in the index, whatever one types.
    let hidden = run("escalation", INTERNAL_TITLE);
    assert!(!hidden.status.success());
    assert!(!String::from_utf8_lossy(&hidden.stdout).contains(INTERNAL_TITLE));
}

#[test]
fn the_hugo_docs_export_in_every_format() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/hugo-docs/content");
    if !src.is_dir() {
        eprintln!("note: {} is absent; skipping", src.display());
        return;
    }
    let r = Repo::new();
    r.write(".docket/config.yaml", "paths:\n  kb: content\n");
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(&src).expect("inside");
        if e.file_type().is_file() {
            r.write(
                &format!("content/{}", rel.to_string_lossy()),
                &std::fs::read_to_string(e.path()).expect("utf-8"),
            );
            pages += usize::from(rel.extension().is_some_and(|x| x == "md"));
        }
    }
    for format in FORMATS {
        let out = r.root.parent().expect("parent").join(format);
        let started = std::time::Instant::now();
        let run = export(&r, format, &out);
        run.ok();
        let took = started.elapsed();
        eprintln!("{format}: {} in {took:?}", run.stderr.trim());
        assert!(took.as_secs() < 60, "{format} took {took:?}");
        let n: usize = run
            .stderr
            .split("exported ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|s| s.parse().ok())
            .expect("count");
        assert!(n > pages * 9 / 10 && n <= pages, "{format}: {n} of {pages}");
    }
    // Hugo builds its own documentation from docket's export, shortcodes and all.
    if common::client("hugo", &["version"]) {
        let site = r.root.parent().expect("parent").join("hugo-site");
        std::fs::create_dir_all(site.join("layouts/_default")).expect("mkdir");
        std::fs::write(
            site.join("config.toml"),
            "baseURL = \"http://example.org/\"\ntitle = \"KB\"\nbuildFuture = true\n",
        )
        .expect("config");
        for kind in ["single", "list"] {
            std::fs::write(
                site.join(format!("layouts/_default/{kind}.html")),
                "<html><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n",
            )
            .expect("layout");
        }
        export(&r, "hugo", &site.join("content")).ok();
        let out = Command::new("hugo")
            .args(["--source", site.to_str().expect("utf-8")])
            .output()
            .expect("hugo runs");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("hugo printed:\n{printed}");
        assert!(out.status.success(), "hugo failed:\n{printed}");
        assert!(
            site.join("public/en/functions/collections/where/index.html")
                .is_file()
        );
    }
}

#[test]
fn pages_named_index_stay_pages_in_every_generator() {
    let r = Repo::with_desk();
    let page =
        |title: &str| format!("---\ntitle: {title}\ndate: 2026-01-02\n---\nText of {title}.\n");
    // A root `index.md` next to other pages (a Hugo or Zola bundle would swallow them),
    // a lone `guide/index.md` (a real bundle), and a folder with both `_index.md` and
    // `index.md`.
    r.write("support/kb/index.md", &page("Home page"));
    r.write("support/kb/alpha.md", &page("Alpha page"));
    r.write("support/kb/guide/index.md", &page("Guide page"));
    r.write("support/kb/both/_index.md", &page("Both section"));
    r.write("support/kb/both/index.md", &page("Both index"));
    r.write("support/kb/both/child.md", &page("Both child"));
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "kb"]).ok();
    let titles = [
        "Home page",
        "Alpha page",
        "Guide page",
        "Both section",
        "Both index",
        "Both child",
    ];
    let base = r.root.parent().expect("parent").to_path_buf();
    for format in FORMATS {
        let out = base.join(format);
        export(&r, format, &out).ok();
        let text = all_text(&out);
        for t in titles {
            assert!(
                text.contains(&format!("Text of {t}.")),
                "{format}: {t} missing"
            );
        }
        let mds: Vec<PathBuf> = files(&out)
            .into_iter()
            .filter(|f| f.extension().is_some_and(|x| x == "md" || x == "html"))
            .collect();
        for f in &mds {
            let dir = f.parent().expect("dir");
            if format == "zola" && f.file_name().is_some_and(|n| n == "index.md") {
                assert!(
                    !dir.join("_index.md").exists(),
                    "zola: {} next to _index.md",
                    f.display()
                );
            }
            if format == "hugo" && f.file_name().is_some_and(|n| n == "index.md") {
                let siblings = std::fs::read_dir(dir).expect("ls").count();
                assert_eq!(
                    siblings,
                    1,
                    "hugo: {} is a bundle with siblings",
                    f.display()
                );
            }
        }
    }
    assert!(
        base.join("zola/guide.md").is_file(),
        "lone zola bundle becomes guide.md"
    );
    assert!(
        base.join("hugo/guide/index.md").is_file(),
        "lone hugo bundle kept"
    );
    if common::client("hugo", &["version"]) {
        let site = base.join("hugo-site");
        std::fs::create_dir_all(site.join("layouts/_default")).expect("mkdir");
        std::fs::write(
            site.join("config.toml"),
            "baseURL = \"http://example.org/\"\n",
        )
        .expect("config");
        for kind in ["single", "list"] {
            std::fs::write(
                site.join(format!("layouts/_default/{kind}.html")),
                "<h1>{{ .Title }}</h1>{{ .Content }}\n",
            )
            .expect("layout");
        }
        export(&r, "hugo", &site.join("content/kb")).ok();
        let out = Command::new("hugo")
            .args(["--source", site.to_str().expect("utf-8")])
            .output()
            .expect("hugo runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let built = all_text(&site.join("public"));
        for t in titles {
            assert!(
                built.contains(&format!("<h1>{t}</h1>")),
                "hugo did not render {t}"
            );
        }
    }
}

/// Whether an optional generator is installed (not required anywhere, CI included).
fn optional(program: &str) -> bool {
    let here = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !here {
        eprintln!("note: `{program}` is not installed; skipping its build check");
    }
    here
}

#[test]
fn jekyll_and_mdbook_build_the_export_when_installed() {
    let r = desk();
    let base = r.root.parent().expect("parent").to_path_buf();
    if optional("jekyll") {
        let site = base.join("jekyll-site");
        std::fs::create_dir_all(&site).expect("mkdir");
        std::fs::write(site.join("_config.yml"), "title: KB\n").expect("config");
        export(&r, "jekyll", &site.join("kb")).ok();
        let out = Command::new("jekyll")
            .args(["build", "--source"])
            .arg(&site)
            .arg("--destination")
            .arg(site.join("_site"))
            .output()
            .expect("jekyll runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let page = std::fs::read_to_string(site.join("_site/kb/hostile.html")).expect("page");
        // Liquid left the text alone.
        assert!(page.contains("{% liquid %}"), "{page}");
        assert_eq!(
            files(&site.join("_site/kb"))
                .iter()
                .filter(|f| f.extension().is_some_and(|x| x == "html"))
                .count(),
            7
        );
    }
    let mdbook = std::env::var("MDBOOK").unwrap_or_else(|_| "mdbook".into());
    if optional(&mdbook) {
        let book = base.join("book");
        std::fs::create_dir_all(&book).expect("mkdir");
        std::fs::write(book.join("book.toml"), "[book]\ntitle = \"KB\"\n").expect("book.toml");
        export(&r, "mdbook", &book.join("src")).ok();
        let out = Command::new(&mdbook)
            .arg("build")
            .arg(&book)
            .output()
            .expect("mdbook runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let page = std::fs::read_to_string(book.join("book/hostile.html")).expect("chapter");
        assert!(
            page.contains("{{#include secret.md}}"),
            "the include was not run"
        );
    }
}
