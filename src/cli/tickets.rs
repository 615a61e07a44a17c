//! Ticket commands: new, list, show, edit, set, comment, assign, close/resolve, reopen,
//! link, rm, history.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::context::{Bar, Context, WriteArgs, read_body, read_notes, report};
use super::editor;
use super::render::{Failure, TicketJson, json, table};
use super::views::{list_table, ticket_view};
use crate::desk::{
    AssigneeFilter, Assignment, FieldFilter, LinkTarget, NewTicket, SlaFilter, SortKey, TicketQuery,
};
use crate::model::escape_line;

/// Arguments of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// One-line summary.
    #[arg(long, short, allow_hyphen_values = true)]
    pub title: String,
    /// Description (Markdown).
    #[arg(long, short, conflicts_with = "body_file", allow_hyphen_values = true)]
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
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
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
    /// Only tickets whose frontmatter KEY is VALUE or is a list holding it (any key,
    /// custom ones too; `KEY=` for none; repeat: all of them).
    #[arg(long, value_name = "KEY=VALUE", allow_hyphen_values = true)]
    pub field: Vec<String>,
    /// How to order the tickets.
    #[arg(long, value_enum, default_value_t = SortArg::Created)]
    pub sort: SortArg,
    /// Reverse the order.
    #[arg(long, short)]
    pub reverse: bool,
    /// At most this many tickets, the first in the order.
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
    /// Only tickets whose SLA is breached, at risk, ok, or that have none.
    #[arg(long, value_enum, value_name = "STATE")]
    pub sla: Option<SlaArg>,
    /// With --sla at-risk: at most this much working time left (`2h`, `90m`).
    #[arg(long, value_name = "DURATION", default_value = "2h")]
    pub at_risk: String,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// What `list --sla` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SlaArg {
    /// A target is breached.
    Breached,
    /// Nothing breached, and a running clock has little time left.
    AtRisk,
    /// A policy applies and nothing is breached or at risk.
    Ok,
    /// No SLA policy applies.
    None,
}

/// What `list --sort` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// When opened, newest first.
    Created,
    /// The latest of opened, resolved and the newest comment, latest first.
    Updated,
    /// The priority band (set by hand, else from the score), highest first; then
    /// importance plus urgency, then newest.
    Priority,
    /// The workflow's order of statuses, then newest.
    Status,
    /// The least SLA time left first (most overdue first), then tickets without a clock.
    Sla,
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

/// A ticket id, for a command that changes the ticket.
#[derive(Debug, Args)]
pub struct IdArg {
    /// Ticket id or unique prefix.
    pub id: String,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Arguments of `set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// key=value, labels+=a,b, labels-=x, or key= to remove a key.
    #[arg(required = true, value_name = "KEY=VALUE")]
    pub assignments: Vec<String>,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
    /// Write a key docket does not know and the config does not declare (values of
    /// known keys are checked all the same).
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `comment`.
#[derive(Debug, Args)]
pub struct CommentArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// The comment text (Markdown; it may start with `-`, as a list does; `-` alone reads
    /// standard input). Without it or --body-file, your editor opens on a terminal.
    #[arg(short, long, allow_hyphen_values = true, conflicts_with = "body_file")]
    pub message: Option<String>,
    /// Read the comment from a file (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    /// A note for the team only: never published.
    #[arg(long)]
    pub internal: bool,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Arguments of `assign`.
#[derive(Debug, Args)]
pub struct AssignArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// Team handle, or `-` to unassign.
    pub who: String,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Arguments of `close` and `resolve`.
#[derive(Debug, Args)]
pub struct CloseArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// Why: fixed, answered, wontfix, ...
    #[arg(long, short)]
    pub reason: Option<String>,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
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
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Arguments of `rm`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// Remove it even when other tickets link to it (their links are left as they are).
    #[arg(long, short)]
    pub force: bool,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
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

/// `docket new`.
pub fn new(ctx: &Context, a: NewArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let body = match read_body(&a.body, &a.body_file)? {
        Some(b) => b,
        None => editor::compose_on_terminal(
            desk.repo(),
            &format!("Describe the problem for \"{}\"", a.title),
        )?
        .unwrap_or_default(),
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

impl ListArgs {
    fn query(&self) -> Result<TicketQuery, Failure> {
        let fields = self
            .field
            .iter()
            .map(|f| f.parse::<FieldFilter>())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TicketQuery {
            statuses: self.status.clone(),
            all: self.all,
            assignee: self.assignee.as_deref().map(AssigneeFilter::parse),
            labels: self.label.clone(),
            customer: self.customer.clone(),
            fields,
            sort: match self.sort {
                SortArg::Created => SortKey::Created,
                SortArg::Updated => SortKey::Updated,
                SortArg::Priority => SortKey::Priority,
                SortArg::Status => SortKey::Status,
                SortArg::Sla => SortKey::Sla,
            },
            reverse: self.reverse,
            limit: self.limit,
            sla: self.sla.map(|s| match s {
                SlaArg::Breached => SlaFilter::Breached,
                SlaArg::AtRisk => SlaFilter::AtRisk,
                SlaArg::Ok => SlaFilter::Ok,
                SlaArg::None => SlaFilter::None,
            }),
            at_risk: crate::support::parse_duration(&self.at_risk).map_err(|e| {
                Failure::usage(format!("--at-risk: {e}"), "write it like 2h, 90m or 1d")
            })?,
        })
    }
}

/// `docket list`.
pub fn list(ctx: &Context, a: &ListArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.read_desk()?;
    let query = a.query()?;
    if a.json {
        let listing = desk.list_tickets(&query, &Bar::default())?;
        read_notes(&listing.notices, &listing.problems);
        let items: Vec<TicketJson> = listing
            .tickets
            .iter()
            .map(|t| TicketJson::of(&t.rel, &t.ticket, t.closed))
            .collect();
        return json(out, &items);
    }
    let listing = desk.list(&query, &Bar::default())?;
    read_notes(&listing.notices, &listing.problems);
    list_table(out, &listing)
}

/// `docket show`.
pub fn show(ctx: &Context, a: &ShowArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let shown = ctx.read_desk()?.show(&a.id, &Bar::default())?;
    read_notes(&shown.notices, &shown.value.problems);
    let shown = shown.value;
    if a.json {
        let full = TicketJson::shown(&shown);
        return json(out, &full);
    }
    ticket_view(out, &shown)
}

/// `docket edit`.
pub fn edit(ctx: &Context, a: &IdArg, _out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    editor::edit_in_place(&desk, &desk.edit_begin(&a.id)?)
}

/// `docket set`.
pub fn set(ctx: &Context, a: &SetArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let assignments = a
        .assignments
        .iter()
        .map(|s| s.parse::<Assignment>())
        .collect::<Result<Vec<_>, _>>()?;
    let outcome = ctx.desk()?.set(&a.id, &assignments, a.force)?;
    report(&outcome);
    Ok(())
}

/// `docket comment`.
pub fn comment(ctx: &Context, a: &CommentArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let (message, file) = match a.message.as_deref() {
        Some("-") => (None, Some(PathBuf::from("-"))),
        _ => (a.message.clone(), a.body_file.clone()),
    };
    let text = match read_body(&message, &file)? {
        Some(t) => t,
        None => {
            editor::compose_on_terminal(desk.repo(), &format!("Write the comment on {}", a.id))?
                .ok_or_else(|| {
                    Failure::usage(
                        "no comment text given",
                        "give it with -m TEXT, or --body-file FILE (`-` for standard input)",
                    )
                })?
        }
    };
    let outcome = desk.comment(&a.id, &text, a.internal)?;
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

/// `docket rm`.
pub fn rm(ctx: &Context, a: &RmArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let removed = ctx.desk()?.remove(&a.id, a.force, &Bar::default())?;
    let o = &removed.outcome;
    if o.changed && o.commit.is_none() {
        for n in &o.recovered {
            eprintln!("note: {n}");
        }
        let id = o.id.as_ref().map(ToString::to_string).unwrap_or_default();
        eprintln!("rm {id}: removed {} (not committed)", o.paths.join(", "));
    } else {
        report(o);
    }
    if !removed.linked.is_empty() {
        let mut ids: Vec<&str> = removed.linked.iter().map(|b| b.id.as_str()).collect();
        ids.dedup();
        let id = o.id.as_ref().map(ToString::to_string).unwrap_or_default();
        eprintln!(
            "warning: {} still link{} to {id}, which is gone",
            escape_line(&ids.join(", ")),
            if ids.len() == 1 { "s" } else { "" }
        );
    }
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
