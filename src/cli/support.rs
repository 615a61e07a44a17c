//! Support operations: `feedback` (CSAT), `sla` (breached and at-risk tickets) and
//! `report` (the desk's figures).

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::context::{Bar, Context, WriteArgs, notices, read_body, report, warnings};
use super::render::{self, Failure, clip, json, table};
use super::views::human_secs;
use crate::desk::{FactSource, NewRating};
use crate::support::parse_duration;
use crate::support::report::{GroupBy, ReportQuery};
use crate::support::sla::AttentionQuery;

/// Arguments of `feedback`.
#[derive(Debug, Args)]
pub struct FeedbackArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// 1 (very unhappy) to 5 (very happy).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
    pub rating: u8,
    /// What the customer said (`-` reads standard input).
    #[arg(short, long, allow_hyphen_values = true, conflicts_with = "body_file")]
    pub message: Option<String>,
    /// Read what the customer said from a file (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    /// The customer, `Name <email>`, when you record it on their behalf.
    #[arg(long, value_name = "WHO")]
    pub from: Option<String>,
    /// Rate a ticket that is not resolved or closed.
    #[arg(long)]
    pub force: bool,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `docket feedback`.
pub fn feedback(ctx: &Context, a: &FeedbackArgs, _out: &mut dyn Write) -> Result<(), Failure> {
    let (message, file) = match a.message.as_deref() {
        Some("-") => (None, Some(PathBuf::from("-"))),
        _ => (a.message.clone(), a.body_file.clone()),
    };
    let text = read_body(&message, &file)?.unwrap_or_default();
    let outcome = ctx.desk()?.feedback(
        &a.id,
        NewRating {
            rating: a.rating,
            text,
            from: a.from.clone(),
            force: a.force,
        },
    )?;
    report(&outcome);
    Ok(())
}

/// Arguments of `sla`.
#[derive(Debug, Args)]
pub struct SlaArgs {
    /// At risk: a running clock with at most this much working time left (`2h`, `90m`).
    #[arg(long, value_name = "DURATION", default_value = "2h")]
    pub at_risk: String,
    /// Only breached clocks.
    #[arg(long)]
    pub breached: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Read the files, not the index (slow; the answer is the same).
    #[arg(long, hide = true)]
    pub from_files: bool,
}

fn source(from_files: bool) -> FactSource {
    if from_files {
        FactSource::Files
    } else {
        FactSource::Index
    }
}

/// `docket sla`.
pub fn sla(ctx: &Context, a: &SlaArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let at_risk = parse_duration(&a.at_risk)
        .map_err(|e| Failure::usage(format!("--at-risk: {e}"), "write it like 2h, 90m or 1d"))?;
    let desk = ctx.read_desk()?;
    let q = AttentionQuery {
        at_risk,
        breached_only: a.breached,
        now: desk.now(),
    };
    let found = desk.sla(&q, source(a.from_files), &Bar::default())?;
    notices(&found.notices);
    let alerts = found.value;
    let printed = print_alerts(out, a, &alerts);
    // Hooks hear of each breached target once, after the list is out.
    warnings(&desk.announce_sla_breaches(&alerts));
    printed
}

/// The list of `sla`, as a table or JSON.
fn print_alerts(
    out: &mut dyn Write,
    a: &SlaArgs,
    alerts: &[crate::support::sla::Alert],
) -> Result<(), Failure> {
    if a.json {
        return json(out, &alerts);
    }
    if alerts.is_empty() {
        eprintln!(
            "no SLA breached{}",
            if a.breached {
                String::new()
            } else {
                format!(" or at risk (within {})", a.at_risk)
            }
        );
        return Ok(());
    }
    let mut rows = vec![
        [
            "ID", "STATE", "TARGET", "LEFT", "DUE", "PRIORITY", "TIER", "ASSIGNEE", "TITLE",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for al in alerts {
        let left = if al.left_secs < 0 {
            format!("{} over", human_secs(-al.left_secs))
        } else {
            format!("{} left", human_secs(al.left_secs))
        };
        rows.push(vec![
            al.id.clone(),
            if al.paused {
                format!("{} (paused)", al.state)
            } else {
                al.state.to_string()
            },
            al.target.replace('_', " "),
            left,
            al.due
                .map_or("-".into(), |d| d.strftime("%Y-%m-%d %H:%MZ").to_string()),
            al.priority.clone(),
            al.tier.clone().unwrap_or_else(|| "-".into()),
            al.assignee.clone().unwrap_or_else(|| "-".into()),
            clip(&al.title, 40),
        ]);
    }
    table(out, &rows)?;
    let breached = alerts.iter().filter(|a| a.state == "breached").count();
    eprintln!(
        "{breached} breached, {} at risk; times are working time on each policy's calendar",
        alerts.len() - breached
    );
    Ok(())
}

/// The forms `report` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A table for the terminal.
    Table,
    /// JSON.
    Json,
    /// CSV, one row per group.
    Csv,
    /// One self-contained HTML page with charts.
    Html,
}

/// How `report` groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// Calendar months.
    Month,
    /// The customer's tier.
    Tier,
    /// The customer.
    Customer,
    /// The assignee.
    Assignee,
    /// Each label.
    Label,
}

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day (YYYY-MM-DD; default: the start of the month eleven months ago).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Last day (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// How to group the table.
    #[arg(long, value_enum, default_value = "month")]
    pub by: By,
    /// Output form.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Read the files, not the index (slow; the answer is the same).
    #[arg(long, hide = true)]
    pub from_files: bool,
}

fn day(flag: &str, v: &Option<String>) -> Result<Option<jiff::civil::Date>, Failure> {
    v.as_deref()
        .map(|s| {
            s.parse::<jiff::civil::Date>().map_err(|_| {
                Failure::usage(
                    format!("{flag} {s} is not a date"),
                    format!("write it like {flag} 2026-11-01"),
                )
            })
        })
        .transpose()
}

/// `docket report`.
pub fn report_cmd(ctx: &Context, a: &ReportArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let since = day("--since", &a.since)?;
    let until = day("--until", &a.until)?;
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        return Err(Failure::usage(
            format!("--since {s} is after --until {u}"),
            "give the earlier day with --since",
        ));
    }
    let desk = ctx.read_desk()?;
    let by = match a.by {
        By::Month => GroupBy::Month,
        By::Tier => GroupBy::Tier,
        By::Customer => GroupBy::Customer,
        By::Assignee => GroupBy::Assignee,
        By::Label => GroupBy::Label,
    };
    let q = ReportQuery {
        since,
        until,
        by,
        now: desk.now(),
    };
    let found = desk.report(&q, source(a.from_files), &Bar::default())?;
    notices(&found.notices);
    let text = match a.format {
        ReportFormat::Json => serde_json::to_string_pretty(&found.value).unwrap_or_default() + "\n",
        ReportFormat::Table => render::report::table(&found.value),
        ReportFormat::Csv => render::report::csv(&found.value),
        ReportFormat::Html => render::report::html(&found.value),
    };
    match &a.out {
        Some(path) => {
            std::fs::write(path, text.as_bytes()).map_err(|e| {
                Failure::new(
                    format!("cannot write {}: {e}", path.display()),
                    Some("check the folder exists and is writable".into()),
                )
            })?;
            eprintln!("wrote {}", path.display());
        }
        None => out.write_all(text.as_bytes()).map_err(Failure::from)?,
    }
    Ok(())
}
