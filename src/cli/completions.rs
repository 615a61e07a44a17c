//! `docket completions SHELL` and `docket man`: the shell completion scripts and the
//! manual page, generated from the clap definitions so they never drift from the
//! commands (clap_complete, clap_mangen).

use std::io::Write;

use clap::{Args, CommandFactory};

use super::{Cli, Failure};

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {}

/// `docket completions SHELL`.
pub fn completions(a: &CompletionsArgs, out: &mut dyn Write) -> Result<(), Failure> {
    clap_complete::generate(a.shell, &mut Cli::command(), "docket", out);
    Ok(())
}

/// `docket man`.
pub fn man(_a: &ManArgs, out: &mut dyn Write) -> Result<(), Failure> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    Ok(())
}
