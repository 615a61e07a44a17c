//! Ticket commands: new, list, show, edit, set, comment, assign, close/resolve, reopen,
//! link, history.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use super::render::{Failure, TicketJson, clip, json, outcome_line, table};
use super::{Cli, editor};
use crate::desk::{Assignment, Desk, LinkTarget, NewTicket, Options};
use crate::index::StatusFilter;
use crate::model::Ticket;

/// What every command knows: where it runs and as whom.
pub struct Context {
    /// Directory to start from.
    pub dir: PathBuf,
    /// Desk options from global flags and the environment.
    pub options: Options,
}

impl Context {
    /// Resolves the global flags.
    pub fn new(cli: &Cli) -> Result<Context, Failure> {
        let dir = match &cli.chdir {
            Some(d) => d.clone(),
            None => std::env::current_dir()?,
        };
        let now = match std::env::var("DOCKET_NOW") {
            Ok(v) if !v.is_empty() => Some(v.parse::<jiff::Timestamp>().map_err(|e| {
                Failure::usage(
                    format!("DOCKET_NOW `{v}` is not an RFC 3339 time: {e}"),
                    "unset DOCKET_NOW, or set it like 2026-11-02T09:14:00Z",
                )
            })?),
            _ => None,
        };
        Ok(Context {
            dir,
            options: Options {
                author: cli.author.clone().filter(|a| !a.trim().is_empty()),
                no_commit: cli.no_commit,
                now,
            },
        })
    }

    /// Opens the desk.
    pub fn desk(&self) -> Result<Desk, Failure> {
        Ok(Desk::open(&self.dir, self.options.clone())?)
    }
}

/// Arguments of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// One-line summary.
    #[arg(long, short)]
    pub title: String,
    /// Description (Markdown).
    #[arg(long, short, conflicts_with = "body_file")]
    pub body: Option<String>,
    /// Read the description from a file (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    /// A label (repeat for more).
    #[arg(long, short)]
    pub label: Vec<String>,
    /// Customer slug.
    #[arg(long)]
    pub customer: Option<String>,
    /// Team member to assign.
    #[arg(long)]
    pub assignee: Option<String>,
    /// Who reported it (`Name <email>`), when not you.
    #[arg(long)]
    pub reporter: Option<String>,
    /// question, bug, incident, feature, task, ...
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// Impact, 1-5.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
    pub importance: Option<u8>,
    /// Time pressure, 1-5.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
    pub urgency: Option<u8>,
    /// Print the new ticket as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this status (repeat for more).
    #[arg(long, short)]
    pub status: Vec<String>,
    /// Include closed tickets (the default lists open ones).
    #[arg(long, short)]
    pub all: bool,
    /// Only tickets assigned to this handle (`-` for unassigned).
    #[arg(long)]
    pub assignee: Option<String>,
    /// Only tickets with this label (repeat: all of them).
    #[arg(long, short)]
    pub label: Vec<String>,
    /// Only this customer's tickets.
    #[arg(long)]
    pub customer: Option<String>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// A ticket id.
#[derive(Debug, Args)]
pub struct IdArg {
    /// Ticket id or unique prefix.
    pub id: String,
}

/// Arguments of `set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// key=value, labels+=x, labels-=x, or key= to remove a key.
    #[arg(required = true, value_name = "KEY=VALUE")]
    pub assignments: Vec<String>,
}

/// Arguments of `comment`.
#[derive(Debug, Args)]
pub struct CommentArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// The comment text (Markdown).
    #[arg(short, long)]
    pub message: String,
    /// A note for the team only: never published.
    #[arg(long)]
    pub internal: bool,
}

/// Arguments of `assign`.
#[derive(Debug, Args)]
pub struct AssignArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// Team handle, or `-` to unassign.
    pub who: String,
}

/// Arguments of `close` and `resolve`.
#[derive(Debug, Args)]
pub struct CloseArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// Why: fixed, answered, wontfix, ...
    #[arg(long, short)]
    pub reason: Option<String>,
}

/// Arguments of `link`.
#[derive(Debug, Args)]
#[group(skip)]
#[command(group = clap::ArgGroup::new("target").required(true).multiple(false))]
pub struct LinkArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// The earlier ticket this one repeats (closes this one as a duplicate).
    #[arg(long, group = "target", value_name = "ID")]
    pub duplicate_of: Option<String>,
    /// A related ticket.
    #[arg(long, group = "target", value_name = "ID")]
    pub relates: Option<String>,
    /// A KB article that answers the ticket.
    #[arg(long, group = "target", value_name = "SLUG")]
    pub article: Option<String>,
}

/// Arguments of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

fn report(outcome: &crate::desk::Outcome) {
    eprintln!("{}", outcome_line(outcome));
}

/// `docket new`.
pub fn new(ctx: &Context, a: NewArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let body = match (&a.body, &a.body_file) {
        (Some(b), _) => b.clone(),
        (None, Some(f)) if f.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
            s
        }
        (None, Some(f)) => std::fs::read_to_string(f).map_err(|e| {
            Failure::new(
                format!("{}: {e}", f.display()),
                Some("give a readable UTF-8 file with --body-file".into()),
            )
        })?,
        (None, None) if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() => {
            editor::compose(&format!(
                "\n<!-- Describe the problem for \"{}\" above. Lines in this comment are removed. -->\n",
                a.title
            ))?
        }
        (None, None) => String::new(),
    };
    let outcome = desk.new_ticket(NewTicket {
        title: a.title,
        body,
        labels: a.label,
        customer: a.customer,
        assignee: a.assignee,
        reporter: a.reporter,
        kind: a.kind,
        importance: a.importance,
        urgency: a.urgency,
    })?;
    report(&outcome);
    let id = outcome
        .id
        .clone()
        .map(|i| i.to_string())
        .unwrap_or_default();
    if a.json {
        let t = desk.store().ticket(&id)?;
        let closed = desk.store().config().workflow.is_closed(&t.ticket.status);
        json(out, &TicketJson::summary(&t, closed))?;
    } else {
        writeln!(out, "{id}")?;
    }
    Ok(())
}

/// `docket list`: served from the search index when it is usable, else from the files.
pub fn list(ctx: &Context, a: &ListArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let store = desk.store();
    let wf = &store.config().workflow;
    let prefilter = if !a.status.is_empty() {
        StatusFilter::OneOf(a.status.clone())
    } else if a.all {
        StatusFilter::Any
    } else {
        StatusFilter::NoneOf(wf.closed.clone())
    };
    let (tickets, problems, all_ids): (Vec<(String, Ticket)>, Vec<String>, Vec<String>) =
        match super::search::list_rows(&desk, &prefilter) {
            Some(r) => (
                r.rows.into_iter().map(|t| (t.rel, t.ticket)).collect(),
                r.problems.into_iter().map(|(_, m)| m).collect(),
                r.all_ids,
            ),
            None => {
                let loaded = store.tickets()?;
                let ids = loaded
                    .items
                    .iter()
                    .map(|t| t.ticket.id.to_string())
                    .collect();
                (
                    loaded
                        .items
                        .into_iter()
                        .map(|t| (t.rel, t.ticket))
                        .collect(),
                    loaded.problems.iter().map(ToString::to_string).collect(),
                    ids,
                )
            }
        };
    for p in &problems {
        eprintln!("warning: {p} (skipped)");
    }
    let mut rows: Vec<&(String, Ticket)> = tickets
        .iter()
        .filter(|(_, k)| {
            let status_ok = if a.status.is_empty() {
                a.all || !wf.is_closed(&k.status)
            } else {
                a.status.iter().any(|s| s.eq_ignore_ascii_case(&k.status))
            };
            let assignee_ok = match a.assignee.as_deref() {
                None => true,
                Some("-") => k.assignee.is_none(),
                Some(w) => k.assignee.as_deref() == Some(w),
            };
            let label_ok = a.label.iter().all(|l| k.labels.iter().any(|x| x == l));
            let customer_ok = a
                .customer
                .as_ref()
                .is_none_or(|c| k.customer.as_ref() == Some(c));
            status_ok && assignee_ok && label_ok && customer_ok
        })
        .collect();
    rows.sort_by(|(_, x), (_, y)| {
        (y.created.as_str(), y.id.as_str()).cmp(&(x.created.as_str(), x.id.as_str()))
    });
    if a.json {
        let items: Vec<TicketJson> = rows
            .iter()
            .map(|(rel, k)| TicketJson::of(rel, k, wf.is_closed(&k.status)))
            .collect();
        return json(out, &items);
    }
    let mut sorted: Vec<&str> = all_ids.iter().map(String::as_str).collect();
    if !sorted.is_sorted() {
        sorted.sort_unstable();
    }
    let mut table_rows = Vec::with_capacity(rows.len());
    for (_, k) in &rows {
        table_rows.push(vec![
            short_in(&sorted, k.id.as_str()).to_string(),
            k.status.clone(),
            k.assignee.clone().unwrap_or_else(|| "-".into()),
            k.customer.clone().unwrap_or_else(|| "-".into()),
            k.created.get(..10).unwrap_or(&k.created).to_string(),
            clip(&k.title, 72),
        ]);
    }
    table(out, &table_rows)?;
    Ok(())
}

/// The shortest unique prefix of `id` among the sorted ids (like `Store::short_ids`,
/// for one id: only its neighbours in sorted order matter).
fn short_in<'a>(sorted: &[&str], id: &'a str) -> &'a str {
    let i = sorted.binary_search(&id).unwrap_or(0);
    let neighbours: Vec<&str> = [i.checked_sub(1), Some(i + 1)]
        .into_iter()
        .flatten()
        .filter_map(|j| sorted.get(j).copied())
        .filter(|n| *n != id)
        .collect();
    crate::model::short_prefix(id, &neighbours, 4)
}

/// `docket show`.
pub fn show(ctx: &Context, a: &ShowArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let store = desk.store();
    let id = super::search::resolve_via_index(&desk, &a.id).unwrap_or_else(|| a.id.clone());
    let t = store.ticket(&id)?;
    let comments = store.comments(&t.rel)?;
    for p in &comments.problems {
        eprintln!("warning: {p} (skipped)");
    }
    let closed = store.config().workflow.is_closed(&t.ticket.status);
    if a.json {
        return json(out, &TicketJson::full(&t, closed, &comments.items));
    }
    let k = &t.ticket;
    writeln!(out, "{}  {}", k.id, k.title)?;
    let mut fields: Vec<(&str, String)> = vec![("status", k.status.clone())];
    let opt = |v: &Option<String>| v.clone();
    for (name, v) in [
        ("type", opt(&k.kind)),
        ("priority", opt(&k.priority)),
        ("assignee", opt(&k.assignee)),
        ("customer", opt(&k.customer)),
        ("reporter", opt(&k.reporter)),
    ] {
        if let Some(v) = v {
            fields.push((name, v));
        }
    }
    fields.push(("created", k.created.clone()));
    if let Some(r) = &k.resolved {
        fields.push(("resolved", r.clone()));
    }
    if let Some(r) = &k.resolution {
        fields.push(("resolution", r.clone()));
    }
    if let Some(d) = &k.due {
        fields.push(("due", d.clone()));
    }
    for (name, n) in [("importance", k.importance), ("urgency", k.urgency)] {
        if let Some(n) = n {
            fields.push((name, n.to_string()));
        }
    }
    if !k.labels.is_empty() {
        fields.push(("labels", k.labels.join(", ")));
    }
    if let Some(d) = &k.links.duplicate_of {
        fields.push(("duplicate of", d.clone()));
    }
    for (name, list) in [
        ("relates", &k.links.relates),
        ("blocks", &k.links.blocks),
        ("articles", &k.links.articles),
    ] {
        if !list.is_empty() {
            fields.push((name, list.join(", ")));
        }
    }
    let rows: Vec<Vec<String>> = fields
        .into_iter()
        .map(|(n, v)| vec![format!("  {n}:"), v])
        .collect();
    table(out, &rows)?;
    let body = t.doc.body().trim();
    if !body.is_empty() {
        writeln!(out)?;
        for line in body.lines() {
            writeln!(out, "    {line}")?;
        }
    }
    for c in &comments.items {
        writeln!(out)?;
        let tag = if c.comment.internal {
            " (internal)"
        } else {
            ""
        };
        writeln!(
            out,
            "--- {} at {}{tag}",
            c.comment.author, c.comment.created
        )?;
        for line in c.body.trim().lines() {
            writeln!(out, "    {line}")?;
        }
    }
    Ok(())
}

/// `docket edit`.
pub fn edit(ctx: &Context, a: &IdArg, _out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let before = desk.edit_begin(&a.id)?;
    editor::open(&desk.store().abs(&before.rel))?;
    let outcome = desk.edit_finish(&before)?;
    report(&outcome);
    Ok(())
}

/// `docket set`.
pub fn set(ctx: &Context, a: &SetArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let assignments = a
        .assignments
        .iter()
        .map(|s| s.parse::<Assignment>())
        .collect::<Result<Vec<_>, _>>()?;
    let outcome = ctx.desk()?.set(&a.id, &assignments)?;
    report(&outcome);
    Ok(())
}

/// `docket comment`.
pub fn comment(ctx: &Context, a: &CommentArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let outcome = ctx.desk()?.comment(&a.id, &a.message, a.internal)?;
    report(&outcome);
    Ok(())
}

/// `docket assign`.
pub fn assign(ctx: &Context, a: &AssignArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let outcome = ctx.desk()?.assign(&a.id, &a.who)?;
    report(&outcome);
    Ok(())
}

/// `docket close` and `docket resolve`.
pub fn close(
    ctx: &Context,
    a: &CloseArgs,
    resolve: bool,
    _out: &mut dyn Write,
) -> Result<(), Failure> {
    let outcome = ctx.desk()?.close(&a.id, a.reason.as_deref(), resolve)?;
    report(&outcome);
    Ok(())
}

/// `docket reopen`.
pub fn reopen(ctx: &Context, a: &IdArg, _out: &mut dyn Write) -> Result<(), Failure> {
    let outcome = ctx.desk()?.reopen(&a.id)?;
    report(&outcome);
    Ok(())
}

/// `docket link`.
pub fn link(ctx: &Context, a: &LinkArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let target = match (&a.duplicate_of, &a.relates, &a.article) {
        (Some(d), _, _) => LinkTarget::DuplicateOf(d.clone()),
        (_, Some(r), _) => LinkTarget::Relates(r.clone()),
        (_, _, Some(s)) => LinkTarget::Article(s.clone()),
        _ => {
            return Err(Failure::usage(
                "nothing to link to",
                "give --duplicate-of ID, --relates ID or --article SLUG",
            ));
        }
    };
    let outcome = ctx.desk()?.link(&a.id, &target)?;
    report(&outcome);
    Ok(())
}

/// `docket history`.
pub fn history(ctx: &Context, a: &HistoryArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let entries = ctx.desk()?.history(&a.id)?;
    if a.json {
        let items: Vec<serde_json::Value> = entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "commit": e.id,
                    "author": e.author.to_string(),
                    "time": crate::desk::format_time(e.time),
                    "summary": e.summary,
                })
            })
            .collect();
        return json(out, &items);
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.id[..e.id.len().min(7)].to_string(),
                crate::desk::format_time(e.time),
                e.author.name.clone(),
                e.summary.clone(),
            ]
        })
        .collect();
    table(out, &rows)?;
    Ok(())
}
