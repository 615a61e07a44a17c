//! `docket demo`: builds the demo help desk (see `desk::demo`) in a new folder, then
//! shows it as `list --all` and `show` would.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::Failure;
use super::context::{Bar, Context, read_notes};
use super::views::{list_table, ticket_view};
use crate::desk::{TicketQuery, build_demo};

/// Arguments of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to create the demo repository (must not exist yet, or be empty).
    #[arg(default_value = "docket-demo")]
    pub dir: PathBuf,
}

/// `docket demo`.
pub fn run(ctx: &Context, a: &DemoArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let dir = if a.dir.is_absolute() {
        a.dir.clone()
    } else {
        ctx.dir.join(&a.dir)
    };
    if dir.exists()
        && std::fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Failure::usage(
            format!("{} already exists and is not empty", dir.display()),
            "give another folder: `docket demo DIR`",
        ));
    }
    std::fs::create_dir_all(&dir)?;
    let demo = build_demo(&dir, ctx.options.seed)?;

    writeln!(out, "Built a demo help desk in {}\n", dir.display())?;
    let shown = Context::at(&dir);
    writeln!(out, "$ docket list --all")?;
    let desk = shown.read_desk()?;
    let all = TicketQuery {
        all: true,
        ..TicketQuery::default()
    };
    let listing = desk.list(&all, &Bar::default())?;
    read_notes(&listing.notices, &listing.problems);
    list_table(out, &listing)?;
    if let Some(first) = demo.ids.first() {
        writeln!(out, "\n$ docket show {first}")?;
        let ticket = desk.show(first, &Bar::default())?;
        read_notes(&ticket.notices, &ticket.value.problems);
        ticket_view(out, &ticket.value)?;
    }
    writeln!(
        out,
        "\nTry: cd {} && docket list && git log --oneline | head",
        dir.display()
    )?;
    Ok(())
}
