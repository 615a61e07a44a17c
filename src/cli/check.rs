//! `docket check`: strict validation of every file (see `store::validate::check`),
//! reported as `path:line:col: message` with a hint, exiting non-zero when anything is
//! wrong.

use std::io::Write;

use clap::Args;

use super::Failure;
use super::context::Context;
use super::render::{CheckJson, json};
use crate::model::escape_text;
use crate::store::validate::check;

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Machine-readable output: the counts and every problem (the exit code is the same).
    #[arg(long)]
    pub json: bool,
}

/// `docket check`.
pub fn run(ctx: &Context, a: &CheckArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let report = check(ctx.desk()?.store())?;
    if a.json {
        json(out, &CheckJson::of(&report))?;
    } else {
        for p in &report.problems {
            writeln!(out, "{}", escape_text(&p.to_string()))?;
            if let Some(h) = &p.hint {
                writeln!(out, "  hint: {}", escape_text(h))?;
            }
        }
    }
    if report.problems.is_empty() {
        eprintln!("checked {} files: no problems", report.files);
        return Ok(());
    }
    Err(Failure::new(
        format!(
            "{} in {} of {} files",
            match report.problems.len() {
                1 => "1 problem".to_string(),
                n => format!("{n} problems"),
            },
            report.bad_files(),
            report.files
        ),
        None,
    ))
}
