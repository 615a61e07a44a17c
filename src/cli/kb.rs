//! `docket kb`: new, list, show, edit and set for knowledge-base articles.

use std::io::Write;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use super::context::{Context, WriteArgs, read_body, report_record};
use super::editor;
use super::render::{Failure, clip, fields_and_body, json, table, warn_skipped};
use crate::desk::{ArticleQuery, Assignment, NewArticle};
use crate::model::{Article, ArticleStatus, Audience, Time, escape_line};
use crate::store::RecordFile;

/// Arguments of `kb`.
#[derive(Debug, Args)]
pub struct KbArgs {
    #[command(subcommand)]
    pub command: KbCommand,
}

/// The `kb` subcommands.
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Write a new article (a draft unless --status says otherwise).
    New(KbNewArgs),
    /// List articles.
    #[command(alias = "ls")]
    List(KbListArgs),
    /// Show one article.
    Show(KbShowArgs),
    /// Edit an article in your editor and commit the result.
    Edit(KbKeyArg),
    /// Set frontmatter values: key=value, tags+=x, tags-=x, key= to remove.
    Set(KbSetArgs),
}

impl KbCommand {
    /// The write options of a subcommand that writes.
    pub fn write_args(&self) -> Option<&WriteArgs> {
        match self {
            KbCommand::New(a) => Some(&a.write),
            KbCommand::Edit(a) => Some(&a.write),
            KbCommand::Set(a) => Some(&a.write),
            KbCommand::List(_) | KbCommand::Show(_) => None,
        }
    }
}

/// Who may read an article.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AudienceArg {
    /// Anyone: exported.
    Public,
    /// The team only: never exported.
    Internal,
}

/// Where an article is in its life.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatusArg {
    /// Being written.
    Draft,
    /// Live (exported when public).
    Published,
    /// Kept for history.
    Archived,
}

/// Arguments of `kb new`.
#[derive(Debug, Args)]
pub struct KbNewArgs {
    /// Page title.
    #[arg(long, short, allow_hyphen_values = true)]
    pub title: String,
    /// A tag (repeat for more).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Who may read it.
    #[arg(long, value_enum, default_value = "public")]
    pub audience: AudienceArg,
    /// Where it is in its life.
    #[arg(long, value_enum, default_value = "draft")]
    pub status: StatusArg,
    /// URL name (default: made from the title).
    #[arg(long)]
    pub slug: Option<String>,
    /// One-sentence summary.
    #[arg(long)]
    pub description: Option<String>,
    /// A product it is about (repeat for more).
    #[arg(long = "product")]
    pub products: Vec<String>,
    /// The text (Markdown).
    #[arg(long, short, conflicts_with = "body_file", allow_hyphen_values = true)]
    pub body: Option<String>,
    /// Read the text from a file (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<std::path::PathBuf>,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Arguments of `kb list`.
#[derive(Debug, Args)]
pub struct KbListArgs {
    /// Only articles with this tag (repeat: all of them).
    #[arg(long)]
    pub tag: Vec<String>,
    /// Only this status (draft, published, archived).
    #[arg(long, short, value_enum)]
    pub status: Option<StatusArg>,
    /// Only this audience.
    #[arg(long, value_enum)]
    pub audience: Option<AudienceArg>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `kb show`.
#[derive(Debug, Args)]
pub struct KbShowArgs {
    /// Slug, or path inside the KB folder.
    pub slug: String,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// An article.
#[derive(Debug, Args)]
pub struct KbKeyArg {
    /// Slug, or path inside the KB folder.
    pub slug: String,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Arguments of `kb set`.
#[derive(Debug, Args)]
pub struct KbSetArgs {
    /// Slug, or path inside the KB folder.
    pub slug: String,
    /// key=value, tags+=x, tags-=x, or key= to remove a key.
    #[arg(required = true, value_name = "KEY=VALUE")]
    pub assignments: Vec<String>,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// An article as `kb list --json` and `kb show --json` print it.
#[derive(Debug, Serialize)]
pub struct ArticleJson<'a> {
    pub slug: &'a str,
    pub path: &'a str,
    pub title: &'a str,
    pub status: ArticleStatus,
    pub audience: Audience,
    pub draft: Option<bool>,
    pub date: Option<&'a str>,
    pub description: Option<&'a str>,
    pub tags: &'a [String],
    pub weight: Option<i64>,
    pub aliases: &'a [String],
    pub id: Option<&'a str>,
    pub products: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<&'a str>,
}

impl<'a> ArticleJson<'a> {
    fn of(r: &'a RecordFile<Article>, body: bool) -> ArticleJson<'a> {
        let a = &r.value;
        ArticleJson {
            slug: &r.slug,
            path: &r.rel,
            title: &a.title,
            status: a.status,
            audience: a.audience,
            draft: a.draft,
            date: a.date.as_ref().map(Time::as_str),
            description: a.description.as_deref(),
            tags: &a.tags,
            weight: a.weight,
            aliases: &a.aliases,
            id: a.id.as_deref(),
            products: &a.products,
            body: body.then(|| r.doc.body()),
        }
    }
}

fn status_of(s: StatusArg) -> ArticleStatus {
    match s {
        StatusArg::Draft => ArticleStatus::Draft,
        StatusArg::Published => ArticleStatus::Published,
        StatusArg::Archived => ArticleStatus::Archived,
    }
}

fn audience_of(a: AudienceArg) -> Audience {
    match a {
        AudienceArg::Public => Audience::Public,
        AudienceArg::Internal => Audience::Internal,
    }
}

/// `docket kb ...`.
pub fn run(ctx: &Context, a: KbArgs, out: &mut dyn Write) -> Result<(), Failure> {
    match a.command {
        KbCommand::New(a) => new(ctx, a, out),
        KbCommand::List(a) => list(ctx, &a, out),
        KbCommand::Show(a) => show(ctx, &a, out),
        KbCommand::Edit(a) => edit(ctx, &a, out),
        KbCommand::Set(a) => set(ctx, &a, out),
    }
}

fn new(ctx: &Context, a: KbNewArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let body = read_body(&a.body, &a.body_file)?.unwrap_or_default();
    let (outcome, slug) = desk.new_article(NewArticle {
        title: a.title,
        slug: a.slug,
        description: a.description,
        tags: a.tags,
        audience: audience_of(a.audience),
        status: status_of(a.status),
        products: a.products,
        body,
    })?;
    report_record(&outcome, &slug);
    writeln!(out, "{slug}")?;
    Ok(())
}

fn list(ctx: &Context, a: &KbListArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let query = ArticleQuery {
        tags: a.tag.clone(),
        status: a.status.map(status_of),
        audience: a.audience.map(audience_of),
    };
    let loaded = ctx.desk()?.articles(&query)?;
    loaded.problems.iter().for_each(|p| warn_skipped(p));
    if a.json {
        let items: Vec<ArticleJson> = loaded
            .items
            .iter()
            .map(|r| ArticleJson::of(r, false))
            .collect();
        return json(out, &items);
    }
    let table_rows: Vec<Vec<String>> = loaded
        .items
        .iter()
        .map(|r| {
            let v = &r.value;
            vec![
                r.slug.clone(),
                v.shown_status().as_str().to_string(),
                v.audience.as_str().to_string(),
                v.date
                    .as_ref()
                    .map(Time::day_or_text)
                    .unwrap_or_else(|| "-".into()),
                clip(&v.title, 72),
            ]
        })
        .collect();
    table(out, &table_rows)?;
    Ok(())
}

fn show(ctx: &Context, a: &KbShowArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let r = desk.store().article(&a.slug)?;
    if a.json {
        return json(out, &ArticleJson::of(&r, true));
    }
    let v = &r.value;
    writeln!(out, "{}  {}", r.slug, escape_line(&v.title))?;
    let mut fields: Vec<(&str, String)> = vec![
        ("path", r.rel.clone()),
        ("status", v.status.as_str().to_string()),
        ("audience", v.audience.as_str().to_string()),
    ];
    let opt = |name: &'static str, v: Option<String>, f: &mut Vec<(&str, String)>| {
        if let Some(v) = v {
            f.push((name, v));
        }
    };
    opt("id", v.id.clone(), &mut fields);
    opt("date", v.date.as_ref().map(Time::to_string), &mut fields);
    opt("draft", v.draft.map(|d| d.to_string()), &mut fields);
    opt("weight", v.weight.map(|w| w.to_string()), &mut fields);
    opt("description", v.description.clone(), &mut fields);
    for (name, list) in [
        ("tags", &v.tags),
        ("products", &v.products),
        ("aliases", &v.aliases),
    ] {
        if !list.is_empty() {
            fields.push((name, list.join(", ")));
        }
    }
    fields_and_body(out, fields, r.doc.body())?;
    Ok(())
}

fn edit(ctx: &Context, a: &KbKeyArg, _out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    editor::edit_in_place(&desk, &desk.article_edit_begin(&a.slug)?)
}

fn set(ctx: &Context, a: &KbSetArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let assignments = a
        .assignments
        .iter()
        .map(|s| s.parse::<Assignment>())
        .collect::<Result<Vec<_>, _>>()?;
    let outcome = ctx.desk()?.set_article(&a.slug, &assignments)?;
    report_record(&outcome, &a.slug);
    Ok(())
}
