//! `docket check`: strict validation of every file (see `store::validate::check`),
//! reported as `path:line:col: message` with a hint, exiting non-zero when anything is
//! wrong.

use std::io::Write;

use clap::{Args, ValueEnum};

use super::Failure;
use super::context::Context;
use super::render::{CheckJson, annotation, json};
use crate::model::escape_text;
use crate::store::validate::check;

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// How to print the problems: `text` (path:line:col, with a hint), `json` (the
    /// counts and every problem) or `github` (workflow-command annotations, so each
    /// problem shows on its line in a pull request). The exit code is the same.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The same as `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: message`, then `  hint: ...`.
    Text,
    /// One JSON object.
    Json,
    /// `::error file=...,line=...::message` lines for GitHub Actions.
    Github,
}

/// `docket check`.
pub fn run(ctx: &Context, a: &CheckArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let report = check(ctx.desk()?.store())?;
    let format = if a.json { Format::Json } else { a.format };
    match format {
        Format::Json => json(out, &CheckJson::of(&report))?,
        Format::Github => {
            for p in &report.problems {
                writeln!(out, "{}", annotation("error", p))?;
            }
        }
        Format::Text => {
            for p in &report.problems {
                writeln!(out, "{}", escape_text(&p.to_string()))?;
                if let Some(h) = &p.hint {
                    writeln!(out, "  hint: {}", escape_text(h))?;
                }
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
