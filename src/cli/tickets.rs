//! Ticket commands: new, list, show, edit, set, comment, assign, close/resolve, reopen,
//! link, history.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use super::render::{Failure, TicketJson, json, outcome_line, table, table_clipped};
use super::{Cli, editor};
use crate::desk::{Assignment, Desk, LinkTarget, NewTicket, Options};
use crate::index::watch::Launcher;
use crate::index::{ListRow, StatusFilter};
use crate::model::{Ticket, escape_line};

/// What every command knows: where it runs and as whom.
pub struct Context {
    /// Directory to start from.
    pub dir: PathBuf,
    /// Desk options from global flags and the environment.
    pub options: Options,
}

impl Context {
    /// Resolves the global flags; `watcher` is how the binary starts a watcher.
    pub fn new(cli: &Cli, watcher: Option<Launcher>) -> Result<Context, Failure> {
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
                watcher,
            },
        })
    }

    /// Opens the desk.
    pub fn desk(&self) -> Result<Desk, Failure> {
        Ok(Desk::open(&self.dir, self.options.clone())?)
    }

    /// Opens the desk for a read command, saying on stderr when an interrupted change
    /// waits to be finished (reads never finish it: only writers hold the write lock).
    pub fn read_desk(&self) -> Result<Desk, Failure> {
        let desk = self.desk()?;
        if let Some(notice) = desk.pending_notice() {
            eprintln!("note: {notice}");
        }
        Ok(desk)
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
    let desk = ctx.read_desk()?;
    let store = desk.store();
    let wf = &store.config().workflow;
    let prefilter = if !a.status.is_empty() {
        StatusFilter::OneOf(a.status.clone())
    } else if a.all {
        StatusFilter::Any
    } else {
        StatusFilter::NoneOf(wf.closed.clone())
    };
    if a.json {
        return list_json(&desk, a, &prefilter, out);
    }
    let from_index = super::search::table_rows(&desk, &prefilter);
    let loaded;
    let (mut rows, problems): (Vec<(&str, ListRow)>, Vec<String>) = match &from_index {
        Some(r) => (
            r.rows(),
            r.problems.iter().map(|(_, m)| m.clone()).collect(),
        ),
        None => {
            loaded = store.tickets()?;
            let ids: Vec<&str> = loaded.items.iter().map(|t| t.ticket.id.as_str()).collect();
            let rows = store
                .short_ids(&ids)
                .into_iter()
                .zip(&loaded.items)
                .map(|(short, t)| (short, ListRow::of(&t.ticket)))
                .collect();
            (
                rows,
                loaded.problems.iter().map(ToString::to_string).collect(),
            )
        }
    };
    for p in &problems {
        super::render::warn_skipped(p);
    }
    rows.retain(|(_, k)| {
        wanted(a, wf, k.status, k.assignee, k.customer) && a.label.iter().all(|l| k.has_label(l))
    });
    rows.sort_by(|(_, x), (_, y)| (y.created, y.id).cmp(&(x.created, x.id)));
    let cells: Vec<[&str; 6]> = rows
        .iter()
        .map(|(short, k)| {
            [
                *short,
                k.status,
                k.assignee.unwrap_or("-"),
                k.customer.unwrap_or("-"),
                k.created.get(..10).unwrap_or(k.created),
                k.title,
            ]
        })
        .collect();
    table_clipped(out, &cells, 72)?;
    Ok(())
}

/// Whether `list`'s filters on status, assignee and customer let a ticket through (the
/// caller checks labels, which the table and JSON paths hold differently).
fn wanted(
    a: &ListArgs,
    wf: &crate::model::Workflow,
    status: &str,
    assignee: Option<&str>,
    customer: Option<&str>,
) -> bool {
    let status_ok = if a.status.is_empty() {
        a.all || !wf.is_closed(status)
    } else {
        a.status.iter().any(|s| s.eq_ignore_ascii_case(status))
    };
    let assignee_ok = match a.assignee.as_deref() {
        None => true,
        Some("-") => assignee.is_none(),
        Some(w) => assignee == Some(w),
    };
    let customer_ok = a.customer.as_deref().is_none_or(|c| customer == Some(c));
    status_ok && assignee_ok && customer_ok
}

/// `docket list --json`: every value of each ticket, from the index's stored values when
/// it can serve them, else from the files.
fn list_json(
    desk: &Desk,
    a: &ListArgs,
    prefilter: &StatusFilter,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = desk.store();
    let wf = &store.config().workflow;
    let (tickets, problems): (Vec<(String, Ticket)>, Vec<String>) =
        match super::search::list_rows(desk, prefilter) {
            Some(r) => (
                r.rows.into_iter().map(|t| (t.rel, t.ticket)).collect(),
                r.problems.into_iter().map(|(_, m)| m).collect(),
            ),
            None => {
                let loaded = store.tickets()?;
                (
                    loaded
                        .items
                        .into_iter()
                        .map(|t| (t.rel, t.ticket))
                        .collect(),
                    loaded.problems.iter().map(ToString::to_string).collect(),
                )
            }
        };
    for p in &problems {
        super::render::warn_skipped(p);
    }
    let mut rows: Vec<&(String, Ticket)> = tickets
        .iter()
        .filter(|(_, k)| {
            wanted(
                a,
                wf,
                &k.status,
                k.assignee.as_deref(),
                k.customer.as_deref(),
            ) && a.label.iter().all(|l| k.labels.iter().any(|x| x == l))
        })
        .collect();
    rows.sort_by(|(_, x), (_, y)| {
        (y.created.as_str(), y.id.as_str()).cmp(&(x.created.as_str(), x.id.as_str()))
    });
    let items: Vec<TicketJson> = rows
        .iter()
        .map(|(rel, k)| TicketJson::of(rel, k, wf.is_closed(&k.status)))
        .collect();
    json(out, &items)
}

/// `docket show`.
pub fn show(ctx: &Context, a: &ShowArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.read_desk()?;
    let store = desk.store();
    let id = super::search::resolve_via_index(&desk, &a.id).unwrap_or_else(|| a.id.clone());
    let t = store.ticket(&id)?;
    let comments = store.comments(&t.rel)?;
    for p in &comments.problems {
        super::render::warn_skipped(p);
    }
    let closed = store.config().workflow.is_closed(&t.ticket.status);
    if a.json {
        return json(out, &TicketJson::full(&t, closed, &comments.items));
    }
    let k = &t.ticket;
    writeln!(out, "{}  {}", k.id, escape_line(&k.title))?;
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
    super::render::fields_and_body(out, fields, t.doc.body())?;
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
            escape_line(&c.comment.author),
            escape_line(&c.comment.created)
        )?;
        super::render::indented(out, &c.body)?;
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
                    "time": crate::model::format_time(e.time),
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
                crate::model::format_time(e.time),
                e.author.name.clone(),
                e.summary.clone(),
            ]
        })
        .collect();
    table(out, &rows)?;
    Ok(())
}
