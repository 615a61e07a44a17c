//! `automate`: the config's automation rules, for a scheduled job.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::context::{Bar, Context, WriteArgs, notices};
use super::render::{Failure, json};
use crate::desk::{Automated, AutomationRun};

/// Arguments of `automate`.
#[derive(Debug, Args)]
pub struct AutomateArgs {
    /// Say what the rules would do, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `--json`: the run, and whether it was dry.
#[derive(Serialize)]
struct RunJson<'a> {
    dry_run: bool,
    #[serde(flatten)]
    run: &'a AutomationRun,
}

/// `docket automate`.
pub fn run(ctx: &Context, a: &AutomateArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let found = desk.automate(a.dry_run, &Bar::default())?;
    notices(&found.notices);
    let run = found.value;
    for w in &run.warnings {
        eprintln!("warning: {w}");
    }
    if a.json {
        json(
            out,
            &RunJson {
                dry_run: a.dry_run,
                run: &run,
            },
        )?;
    } else {
        for t in &run.tickets {
            write_ticket(out, t, a.dry_run).map_err(Failure::from)?;
        }
        let fired: usize = run.tickets.iter().map(|t| t.rules.len()).sum();
        eprintln!(
            "automate: {fired} rule{} {} on {} ticket{} ({} checked){}",
            if fired == 1 { "" } else { "s" },
            if a.dry_run { "would fire" } else { "fired" },
            run.tickets.len(),
            if run.tickets.len() == 1 { "" } else { "s" },
            run.checked,
            if a.dry_run {
                "; dry run, nothing written"
            } else {
                ""
            }
        );
    }
    let failed = run.tickets.iter().filter(|t| t.error.is_some()).count();
    if failed > 0 {
        return Err(Failure::new(
            format!(
                "automate could not change {failed} ticket{}",
                if failed == 1 { "" } else { "s" }
            ),
            Some("each one is named above; fix the rule or the ticket and run it again".into()),
        ));
    }
    Ok(())
}

/// One ticket: its id and title, then each rule with its condition and actions.
fn write_ticket(out: &mut dyn Write, t: &Automated, dry_run: bool) -> std::io::Result<()> {
    let state = match (&t.commit, &t.error, dry_run) {
        (_, Some(e), _) => format!("  (refused: {e})"),
        (Some(c), _, _) => format!("  [{}]", &c[..c.len().min(7)]),
        (None, None, true) => "  (dry run)".into(),
        (None, None, false) => String::new(),
    };
    writeln!(out, "{}  {}{state}", t.id, t.title)?;
    for r in &t.rules {
        writeln!(out, "  {}: {}", r.rule, r.actions.join(", "))?;
        writeln!(out, "    when {}", r.condition)?;
    }
    Ok(())
}
