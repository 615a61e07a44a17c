//! `reply`: a public comment from a template or text, with field changes, in one commit.

use std::io::Write;

use clap::Args;

use super::context::{Context, WriteArgs};
use super::render::Failure;

/// Arguments of `reply`.
#[derive(Debug, Args)]
pub struct ReplyArgs {
    /// Ticket id or unique prefix.
    pub id: String,
    /// A template from the templates folder (its name without `.md`).
    #[arg(long, short, value_name = "NAME")]
    pub template: Option<String>,
    /// Text of the reply instead of a template (`-` reads standard input).
    #[arg(short, long, allow_hyphen_values = true)]
    pub message: Option<String>,
    /// Also set a value (`key=value`, `labels+=x`); repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Append a link to the best matching KB article, when it matches well enough.
    #[arg(long)]
    pub suggest: bool,
    /// Who acts, and whether to commit.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `docket reply`.
pub fn run(ctx: &Context, a: &ReplyArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let _ = (ctx, a, out);
    Ok(())
}
