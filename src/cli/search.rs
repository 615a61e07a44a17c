//! Matching commands: `index` (rebuild), `search`, `suggest`, `dupes`; and the index-served
//! path of `list`, with the file-reading path as its fallback.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::render::{Failure, clip, json, table};
use super::tickets::Context;
use crate::desk::Desk;
use crate::index::{
    IndexError, Kind, Progress, QueryDoc, SearchIndex, SearchOptions, StatusFilter,
};
use crate::model::{escape_line, quoted};

/// Arguments of `index`.
#[derive(Debug, Args)]
pub struct IndexArgs {}

/// What `search --type` accepts.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TypeArg {
    /// Tickets and their comments.
    Ticket,
    /// KB articles.
    Kb,
    /// Customer records.
    Customer,
}

/// Arguments of `search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "phrases", field:value (title, body, comments, label, status, customer,
    /// id), AND/OR/NOT, -word.
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Only this kind of record.
    #[arg(long = "type", short = 't', value_enum)]
    pub kind: Option<TypeArg>,
    /// Only this status.
    #[arg(long, short)]
    pub status: Option<String>,
    /// At most this many results.
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `suggest`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// At most this many articles and this many tickets.
    #[arg(long, short = 'n', default_value_t = 5)]
    pub limit: usize,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `dupes`.
#[derive(Debug, Args)]
pub struct DupesArgs {
    /// Only tickets with this status (repeat for more; default: every open status).
    #[arg(long, short)]
    pub status: Vec<String>,
    /// At most this many pairs.
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
    /// Leave out pairs scoring below this (0 to 1: the cosine similarity of the two
    /// tickets' weighted words; copies score 1, unrelated tickets near 0).
    #[arg(long, default_value_t = 0.35)]
    pub min_score: f32,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

impl From<IndexError> for Failure {
    fn from(e: IndexError) -> Failure {
        let hint = e.hint();
        let code = if matches!(e, IndexError::BadQuery { .. }) {
            2
        } else {
            1
        };
        let mut causes = Vec::new();
        let mut cur = std::error::Error::source(&e);
        while let Some(c) = cur {
            causes.push(c.to_string());
            cur = c.source();
        }
        let mut f = Failure::new(e.to_string(), hint);
        f.code = code;
        f.causes = causes;
        f
    }
}

/// A progress bar on stderr, only when stderr is a terminal and the work is large.
struct Bar {
    bar: std::cell::OnceCell<indicatif::ProgressBar>,
}

impl Bar {
    fn new() -> Bar {
        Bar {
            bar: std::cell::OnceCell::new(),
        }
    }

    fn finish(&self) {
        if let Some(b) = self.bar.get() {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn tick(&self, done: usize, total: usize) {
        if total < 500 || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = self.bar.get_or_init(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "indexing {bar:40} {pos}/{len} documents ({eta} left)",
            ) {
                b.set_style(style);
            }
            b
        });
        bar.set_position(done as u64);
    }
}

/// Runs `f` on a fresh index (rebuilt by itself when damaged), printing notices.
fn with_index<T>(
    desk: &Desk,
    f: impl Fn(&SearchIndex) -> Result<T, IndexError>,
) -> Result<T, Failure> {
    let bar = Bar::new();
    let result =
        SearchIndex::with_recovery(desk.store(), desk.repo().git_dir(), &bar, desk.watcher(), f);
    bar.finish();
    let (value, notices) = result?;
    for n in notices {
        eprintln!("{n}");
    }
    Ok(value)
}

/// `docket index`: rebuild from scratch.
pub fn index(ctx: &Context, _a: &IndexArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let start = Instant::now();
    let mut idx = SearchIndex::recreate(desk.repo().git_dir(), String::new())?;
    let bar = Bar::new();
    let report = idx.sync(desk.store(), &bar, desk.watcher());
    bar.finish();
    let report = report?;
    eprintln!(
        "indexed {} documents in {:.1} s ({})",
        report.changed,
        start.elapsed().as_secs_f64(),
        idx.dir().display()
    );
    Ok(())
}

/// Private-use characters that mark highlights in a snippet until it is escaped.
const BOLD_MARKS: (&str, &str) = ("\u{e000}", "\u{e001}");

/// `docket search`.
pub fn search(ctx: &Context, a: &SearchArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.read_desk()?;
    let query = a.query.join(" ");
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let marks = if a.json {
        ("**".to_string(), "**".to_string())
    } else if colour {
        // Stand-ins that survive escaping; swapped for the bold sequences afterwards.
        (BOLD_MARKS.0.to_string(), BOLD_MARKS.1.to_string())
    } else {
        ("[".to_string(), "]".to_string())
    };
    let opts = SearchOptions {
        kind: a.kind.map(|k| match k {
            TypeArg::Ticket => Kind::Ticket,
            TypeArg::Kb => Kind::Kb,
            TypeArg::Customer => Kind::Customer,
        }),
        status: a.status.clone(),
        limit: a.limit,
        marks,
    };
    let hits = with_index(&desk, |idx| idx.search(&query, &opts))?;
    if a.json {
        return json(out, &hits);
    }
    if hits.is_empty() {
        eprintln!("no match for {}", quoted(&query));
        return Ok(());
    }
    for h in &hits {
        let rows = vec![vec![
            h.kind.to_string(),
            h.id.clone(),
            h.status.clone().unwrap_or_else(|| "-".into()),
            clip(&h.title, 72),
        ]];
        table(out, &rows)?;
        if !h.snippet.is_empty() {
            let snippet = escape_line(&h.snippet)
                .replace(BOLD_MARKS.0, "\x1b[1m")
                .replace(BOLD_MARKS.1, "\x1b[0m");
            writeln!(out, "    {snippet}")?;
        }
    }
    Ok(())
}

/// `docket suggest`.
pub fn suggest(ctx: &Context, a: &SuggestArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let store = desk.store();
    let t = store.ticket(&a.id)?;
    let mut body = t.doc.body().to_string();
    for c in store.comments(&t.rel)?.items {
        body.push_str("\n\n");
        body.push_str(&c.body);
    }
    let q = QueryDoc {
        key: t.rel.clone(),
        title: t.ticket.title.clone(),
        body,
        created: Some(t.ticket.created.clone()).filter(|c| !c.is_empty()),
    };
    let s = with_index(&desk, |idx| idx.suggest(&q, a.limit.max(1)))?;
    if a.json {
        return json(out, &s);
    }
    writeln!(
        out,
        "KB articles for {}  {}",
        t.ticket.id,
        escape_line(&t.ticket.title)
    )?;
    let mut rows = Vec::new();
    for m in &s.articles {
        let mut why = Vec::new();
        if !m.terms.is_empty() {
            why.push(format!("matched: {}", m.terms.join(" ")));
        }
        if !m.evidence.is_empty() {
            why.push(format!("linked from {}", m.evidence.join(" ")));
        }
        let why = why.join("; ");
        rows.push(vec![
            format!("  {:.2}", m.score),
            m.id.clone(),
            clip(&m.title, 60),
            why,
        ]);
    }
    if rows.is_empty() {
        writeln!(out, "  (none)")?;
    }
    table(out, &rows)?;
    writeln!(out, "Similar earlier tickets")?;
    let mut rows = Vec::new();
    for m in &s.tickets {
        rows.push(vec![
            format!("  {:.2}", m.score),
            m.id.clone(),
            m.status.clone().unwrap_or_else(|| "-".into()),
            clip(&m.title, 60),
            format!("matched: {}", m.terms.join(" ")),
        ]);
    }
    if rows.is_empty() {
        writeln!(out, "  (none)")?;
    }
    table(out, &rows)?;
    Ok(())
}

/// `docket dupes`.
pub fn dupes(ctx: &Context, a: &DupesArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let wf = &desk.store().config().workflow;
    let filter = if a.status.is_empty() {
        StatusFilter::NoneOf(wf.closed.clone())
    } else {
        StatusFilter::OneOf(a.status.clone())
    };
    let pairs = with_index(&desk, |idx| idx.dupes(&filter, a.limit, a.min_score))?;
    if a.json {
        return json(out, &pairs);
    }
    if pairs.is_empty() {
        eprintln!("no likely duplicates");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = pairs
        .iter()
        .map(|p| {
            vec![
                format!("{:.2}", p.score),
                p.duplicate.clone(),
                "duplicates".into(),
                p.original.clone(),
                clip(&p.titles[1], 50),
            ]
        })
        .collect();
    table(out, &rows)?;
    eprintln!("hint: `docket link ID --duplicate-of ORIGINAL` closes a duplicate");
    Ok(())
}

/// The rows of the `list` table (values and short ids), from the index's fast fields when
/// it can serve them, else `None` (the caller then reads the files). `None` also when two
/// files claim one id, so that the file path reports it exactly as before.
pub fn table_rows(desk: &Desk, filter: &StatusFilter) -> Option<crate::index::ListRows> {
    let bar = Bar::new();
    let result = SearchIndex::with_recovery(
        desk.store(),
        desk.repo().git_dir(),
        &bar,
        desk.watcher(),
        |idx| idx.list_rows(filter),
    );
    bar.finish();
    let (rows, notices) = result.ok()?;
    for n in notices {
        eprintln!("{n}");
    }
    (!rows.duplicates).then_some(rows)
}

/// The tickets for `list --json`, from the index when it can serve them, else `None` (the
/// caller then reads the files). `None` also when two files claim one id, so that the file
/// path reports it exactly as before.
pub fn list_rows(desk: &Desk, filter: &StatusFilter) -> Option<crate::index::TicketRows> {
    let bar = Bar::new();
    let result = SearchIndex::with_recovery(
        desk.store(),
        desk.repo().git_dir(),
        &bar,
        desk.watcher(),
        |idx| idx.ticket_rows(filter),
    );
    bar.finish();
    let (rows, notices) = result.ok()?;
    for n in notices {
        eprintln!("{n}");
    }
    (!rows.duplicates).then_some(rows)
}

/// The whole id of the one ticket whose id starts with `prefix`, from the index's id
/// dictionary (a few ms at 100,000 tickets, where listing the folders takes 100 ms or
/// more). `None` when the index cannot say for sure (no match, several, a damaged
/// index): the caller then resolves from the folders, with the usual errors.
pub fn resolve_via_index(desk: &Desk, prefix: &str) -> Option<String> {
    let typed: crate::model::TypedId = prefix.parse().ok()?;
    let (ids, notices) = SearchIndex::with_recovery(
        desk.store(),
        desk.repo().git_dir(),
        &Bar::new(),
        desk.watcher(),
        |idx| {
            let mut ids = Vec::new();
            for p in typed.prefixes() {
                ids.extend(idx.ticket_ids_with_prefix(p)?);
            }
            Ok(ids)
        },
    )
    .ok()?;
    for n in notices {
        eprintln!("{n}");
    }
    match ids.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}
