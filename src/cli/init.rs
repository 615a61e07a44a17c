//! `docket init`: writes `.docket/config.yaml` and commits it (see `Desk::init`).

use std::io::Write;

use clap::Args;

use super::Failure;
use super::context::{Context, WriteArgs, report};
use crate::store::CONFIG_PATH;

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `docket init`.
pub fn run(ctx: &Context, _a: &InitArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let Some(outcome) = desk.init()? else {
        writeln!(out, "docket is already set up here ({CONFIG_PATH})")?;
        return Ok(());
    };
    report(&outcome);
    writeln!(
        out,
        "docket is set up in {}: edit {CONFIG_PATH} for the workflow and the team",
        desk.store().root().display()
    )?;
    Ok(())
}
