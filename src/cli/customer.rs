//! `docket customer`: new, list, show and set for customer records. The records may live
//! outside the repository (`paths.customers`); every command works the same there.

use std::collections::BTreeMap;
use std::io::Write;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::context::{Context, WriteArgs, read_body, report_record};
use super::render::{Failure, clip, indented, json, table, warn_skipped};
use crate::desk::{Assignment, CustomerQuery, CustomerSummary, NewCustomer};
use crate::model::{Contact, escape_line};

/// Arguments of `customer`.
#[derive(Debug, Args)]
pub struct CustomerArgs {
    #[command(subcommand)]
    pub command: CustomerCommand,
}

/// The `customer` subcommands.
#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Add a customer record.
    New(Box<CustomerNewArgs>),
    /// List customers.
    #[command(alias = "ls")]
    List(CustomerListArgs),
    /// Show a customer with their tickets.
    Show(CustomerShowArgs),
    /// Set values: tier=x, since=DATE, until=DATE, sla.first_response=4h, tags+=x,
    /// contacts+="Name <email>", contacts-=email, key= to remove.
    Set(CustomerSetArgs),
}

impl CustomerCommand {
    /// The write options of a subcommand that writes.
    pub fn write_args(&self) -> Option<&WriteArgs> {
        match self {
            CustomerCommand::New(a) => Some(&a.write),
            CustomerCommand::Set(a) => Some(&a.write),
            CustomerCommand::List(_) | CustomerCommand::Show(_) => None,
        }
    }
}

/// Arguments of `customer new`.
#[derive(Debug, Args)]
pub struct CustomerNewArgs {
    /// Display name.
    #[arg(long, short, allow_hyphen_values = true)]
    pub name: String,
    /// Short name tickets use (default: made from the name).
    #[arg(long)]
    pub slug: Option<String>,
    /// Organisation or legal name.
    #[arg(long)]
    pub org: Option<String>,
    /// Support tier (one of the config's `tiers`).
    #[arg(long)]
    pub tier: Option<String>,
    /// Customer since (date).
    #[arg(long)]
    pub since: Option<String>,
    /// Customer until (date).
    #[arg(long)]
    pub until: Option<String>,
    /// A contact as "Name <email>" (repeat for more).
    #[arg(long = "contact", value_name = "NAME <EMAIL>")]
    pub contacts: Vec<String>,
    /// A tag (repeat for more).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// An SLA override as key=value, e.g. first_response=4h (repeat for more).
    #[arg(long = "sla", value_name = "KEY=VALUE")]
    pub sla: Vec<String>,
    /// Notes (Markdown).
    #[arg(long, short, conflicts_with = "body_file", allow_hyphen_values = true)]
    pub body: Option<String>,
    /// Read the notes from a file (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<std::path::PathBuf>,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Arguments of `customer list`.
#[derive(Debug, Args)]
pub struct CustomerListArgs {
    /// Only this tier.
    #[arg(long)]
    pub tier: Option<String>,
    /// Only customers with this tag.
    #[arg(long)]
    pub tag: Vec<String>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `customer show`.
#[derive(Debug, Args)]
pub struct CustomerShowArgs {
    /// Customer slug.
    pub slug: String,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `customer set`.
#[derive(Debug, Args)]
pub struct CustomerSetArgs {
    /// Customer slug.
    pub slug: String,
    /// key=value, tags+=a,b, contacts+="Name <email>", contacts-=email, key= to remove.
    #[arg(required = true, value_name = "KEY=VALUE")]
    pub assignments: Vec<String>,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
    /// Write a key docket does not know (values of known keys are checked all the same).
    #[arg(long)]
    pub force: bool,
}

/// A customer as `customer list --json` and `customer show --json` print it.
#[derive(Debug, Serialize)]
pub struct CustomerJson<'a> {
    pub slug: &'a str,
    pub path: &'a str,
    pub name: &'a str,
    pub org: Option<&'a str>,
    pub tier: Option<&'a str>,
    pub since: Option<&'a str>,
    pub until: Option<&'a str>,
    pub contacts: &'a [Contact],
    pub sla: Option<&'a BTreeMap<String, String>>,
    pub tags: &'a [String],
    pub open: usize,
    pub tickets_total: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tickets: Option<Vec<TicketRef<'a>>>,
}

/// A ticket in `customer show --json`.
#[derive(Debug, Serialize)]
pub struct TicketRef<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub status: &'a str,
    pub closed: bool,
    pub created: &'a str,
}

/// `docket customer ...`.
pub fn run(ctx: &Context, a: CustomerArgs, out: &mut dyn Write) -> Result<(), Failure> {
    match a.command {
        CustomerCommand::New(a) => new(ctx, *a, out),
        CustomerCommand::List(a) => list(ctx, &a, out),
        CustomerCommand::Show(a) => show(ctx, &a, out),
        CustomerCommand::Set(a) => set(ctx, &a, out),
    }
}

fn new(ctx: &Context, a: CustomerNewArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let body = read_body(&a.body, &a.body_file)?.unwrap_or_default();
    let sla = a
        .sla
        .iter()
        .map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .filter(|(k, v)| !k.is_empty() && !v.is_empty())
                .ok_or_else(|| {
                    Failure::usage(
                        format!("`{kv}` is not an SLA override"),
                        "write --sla first_response=4h",
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (outcome, slug) = desk.new_customer(NewCustomer {
        name: a.name,
        slug: a.slug,
        org: a.org,
        tier: a.tier,
        since: a.since,
        until: a.until,
        contacts: a.contacts,
        tags: a.tags,
        sla,
        body,
    })?;
    report_record(&outcome, &slug);
    writeln!(out, "{slug}")?;
    Ok(())
}

impl<'a> CustomerJson<'a> {
    fn of(s: &'a CustomerSummary) -> CustomerJson<'a> {
        let (r, c) = (&s.record, &s.record.value);
        CustomerJson {
            slug: &r.slug,
            path: &r.rel,
            name: &c.name,
            org: c.org.as_deref(),
            tier: c.tier.as_deref(),
            since: c.since.as_deref(),
            until: c.until.as_deref(),
            contacts: &c.contacts,
            sla: c.sla.as_ref(),
            tags: &c.tags,
            open: s.open,
            tickets_total: s.total,
            body: None,
            tickets: None,
        }
    }
}

fn list(ctx: &Context, a: &CustomerListArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let query = CustomerQuery {
        tier: a.tier.clone(),
        tags: a.tag.clone(),
    };
    let listing = ctx.desk()?.customers(&query)?;
    listing.problems.iter().for_each(|p| warn_skipped(p));
    let items: Vec<CustomerJson> = listing.customers.iter().map(CustomerJson::of).collect();
    if a.json {
        return json(out, &items);
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|c| {
            vec![
                c.slug.to_string(),
                c.tier.unwrap_or("-").to_string(),
                format!("{} open", c.open),
                c.since.unwrap_or("-").to_string(),
                clip(c.name, 60),
            ]
        })
        .collect();
    table(out, &rows)?;
    Ok(())
}

fn show(ctx: &Context, a: &CustomerShowArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let shown = ctx.desk()?.customer_tickets(&a.slug)?;
    let r = &shown.summary.record;
    let mut j = CustomerJson::of(&shown.summary);
    if a.json {
        j.body = Some(r.doc.body());
        j.tickets = Some(
            shown
                .tickets
                .iter()
                .map(|(t, closed)| TicketRef {
                    id: t.ticket.id.as_str(),
                    title: &t.ticket.title,
                    status: &t.ticket.status,
                    closed: *closed,
                    created: t.ticket.created.as_str(),
                })
                .collect(),
        );
        return json(out, &j);
    }
    writeln!(out, "{}  {}", j.slug, escape_line(j.name))?;
    let mut fields: Vec<(String, String)> = vec![("path".into(), j.path.to_string())];
    for (k, v) in [
        ("org", j.org),
        ("tier", j.tier),
        ("since", j.since),
        ("until", j.until),
    ] {
        if let Some(v) = v {
            fields.push((k.into(), v.to_string()));
        }
    }
    if !j.tags.is_empty() {
        fields.push(("tags".into(), j.tags.join(", ")));
    }
    for (k, v) in j.sla.into_iter().flatten() {
        fields.push((format!("sla.{k}"), v.clone()));
    }
    for c in j.contacts {
        fields.push(("contact".into(), format!("{} <{}>", c.name, c.email)));
    }
    fields.push((
        "tickets".into(),
        format!("{} open of {}", j.open, j.tickets_total),
    ));
    let rows: Vec<Vec<String>> = fields
        .into_iter()
        .map(|(n, v)| vec![format!("  {n}:"), v])
        .collect();
    table(out, &rows)?;
    if !shown.tickets.is_empty() {
        writeln!(out)?;
        let rows: Vec<Vec<String>> = shown
            .tickets
            .iter()
            .map(|(t, _)| {
                vec![
                    format!("  {}", t.ticket.id),
                    t.ticket.status.clone(),
                    t.ticket.created.day_or_text(),
                    clip(&t.ticket.title, 60),
                ]
            })
            .collect();
        table(out, &rows)?;
    }
    let body = r.doc.body().trim();
    if !body.is_empty() {
        writeln!(out)?;
        indented(out, body)?;
    }
    Ok(())
}

fn set(ctx: &Context, a: &CustomerSetArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let assignments = a
        .assignments
        .iter()
        .map(|s| s.parse::<Assignment>())
        .collect::<Result<Vec<_>, _>>()?;
    let outcome = ctx.desk()?.set_customer(&a.slug, &assignments, a.force)?;
    report_record(&outcome, &a.slug);
    Ok(())
}
