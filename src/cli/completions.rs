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
pub struct ManArgs {
    /// Write docket.1 and one page per command (docket-new.1, docket-kb-new.1, ...) into
    /// this folder instead of printing docket.1, so the pages docket.1 refers to exist.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

/// `docket completions SHELL`.
pub fn completions(a: &CompletionsArgs, out: &mut dyn Write) -> Result<(), Failure> {
    clap_complete::generate(a.shell, &mut Cli::command(), "docket", out);
    Ok(())
}

/// `docket man`.
pub fn man(a: &ManArgs, out: &mut dyn Write) -> Result<(), Failure> {
    match &a.dir {
        Some(dir) => {
            if !dir.is_dir() {
                return Err(Failure::usage(
                    format!("--dir {}: no such folder", dir.display()),
                    "make it first, for example `mkdir -p ~/.local/share/man/man1`",
                ));
            }
            clap_mangen::generate_to(Cli::command(), dir)?;
            writeln!(out, "wrote the manual pages to {}", dir.display())?;
        }
        None => clap_mangen::Man::new(Cli::command()).render(out)?,
    }
    Ok(())
}
