//! `automate`: the config's automation rules, for a scheduled job.

use std::io::Write;

use clap::Args;

use super::context::{Context, WriteArgs};
use super::render::Failure;

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

/// `docket automate`.
pub fn run(ctx: &Context, a: &AutomateArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let _ = (ctx, a, out);
    Ok(())
}
