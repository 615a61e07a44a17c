//! Matching commands: `index` (rebuild), `search`, `suggest`, `dupes`.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::context::{Bar, Context, notices};
use super::render::{Failure, clip, json, table};
use crate::index::{Kind, SearchOptions};
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
    /// Words (all must match), "phrases", a OR b, -word or NOT word, field:value
    /// (title, body, comments, label, status, customer, id, assignee, reporter, priority,
    /// type, a custom field), created:>2026-01-01 or created:[2026-01-01 TO 2026-01-31].
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

/// `docket index`: rebuild from scratch.
pub fn index(ctx: &Context, _a: &IndexArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let start = Instant::now();
    let (report, dir) = desk.rebuild_index(&Bar::default())?;
    eprintln!(
        "indexed {} documents in {:.1} s ({})",
        report.changed,
        start.elapsed().as_secs_f64(),
        dir.display()
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
    let found = desk.search(&query, &opts, &Bar::default())?;
    notices(&found.notices);
    let hits = found.value;
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
    let found = ctx.desk()?.suggest(&a.id, a.limit, &Bar::default())?;
    notices(&found.notices);
    let (t, s) = (&found.value.ticket, &found.value.suggestions);
    if a.json {
        return json(out, s);
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
    let found = ctx
        .desk()?
        .dupes(&a.status, a.limit, a.min_score, &Bar::default())?;
    notices(&found.notices);
    let pairs = found.value;
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
