//! `docket init`: writes `.docket/config.yaml` and commits it.

use std::io::Write;

use clap::Args;

use super::Failure;
use super::render::outcome_line;
use super::tickets::Context;
use crate::desk::Change;
use crate::store::CONFIG_PATH;

/// The config a new desk starts with: every default written out, with comments.
pub const DEFAULT_CONFIG: &str = include_str!("default-config.yaml");

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {}

/// `docket init`.
pub fn run(ctx: &Context, _a: &InitArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let path = desk.store().abs(CONFIG_PATH);
    if path.exists() {
        writeln!(out, "docket is already set up here ({CONFIG_PATH})")?;
        return Ok(());
    }
    let outcome = desk.transact(|_| {
        Ok(Change {
            action: "init",
            id: None,
            title: "help desk".into(),
            files: vec![(CONFIG_PATH.to_string(), DEFAULT_CONFIG.to_string())],
            details: vec![
                "Tickets, KB articles and customer records live in this repository.".into(),
            ],
        })
    })?;
    eprintln!("{}", outcome_line(&outcome));
    writeln!(
        out,
        "docket is set up in {}: edit {CONFIG_PATH} for the workflow and the team",
        desk.store().root().display()
    )?;
    Ok(())
}
