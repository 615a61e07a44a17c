//! `triage`: what routing rules and the learned model would set on untriaged tickets,
//! and with `--apply`, setting it.

use std::io::Write;

use clap::Args;

use super::context::{Context, WriteArgs};
use super::render::Failure;

/// Arguments of `triage`.
#[derive(Debug, Args)]
pub struct TriageArgs {
    /// Write the decisions (rules always, learned suggestions above the threshold), one
    /// commit per ticket.
    #[arg(long)]
    pub apply: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `docket triage`.
pub fn run(ctx: &Context, a: &TriageArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let _ = (ctx, a, out);
    Ok(())
}
