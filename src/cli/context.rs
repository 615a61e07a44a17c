//! What every command shares: the [`Context`] (where it runs and as whom), the options
//! of the commands that write ([`WriteArgs`]), the status
//! line of a change, the text of `--body`/`--body-file`, the progress bar of an index
//! sync and the notices of index-served reads. Command files use this and `render`,
//! never each other.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Args;

use super::Cli;
use super::render::{Failure, change_line, outcome_line, warn_skipped};
use crate::desk::{Desk, Options, Outcome};
use crate::index::Progress;
use crate::index::watch::Launcher;

/// What every command knows: where it runs and as whom.
pub struct Context {
    /// Directory to start from.
    pub dir: PathBuf,
    /// Desk options from global flags and the environment.
    pub options: Options,
}

/// The options of every command that writes: who acts and whether to commit. Only those
/// commands take them (each flattens this into its arguments), so a read command's help
/// does not offer options that would do nothing there.
#[derive(Debug, Clone, Default, Args)]
pub struct WriteArgs {
    /// Act as this person (`Name <email>`) instead of git's user.name and user.email.
    #[arg(long, env = "DOCKET_AUTHOR", value_name = "WHO")]
    pub author: Option<String>,
    /// Write the files but leave committing them to you.
    #[arg(long)]
    pub no_commit: bool,
}

impl Context {
    /// Resolves the global flags and the write options; `watcher` is how the binary
    /// starts a watcher.
    pub fn new(cli: &Cli, watcher: Option<Launcher>) -> Result<Context, Failure> {
        let dir = match &cli.chdir {
            Some(d) if !d.is_dir() => {
                return Err(Failure::usage(
                    format!("-C {}: no such folder", d.display()),
                    "give -C a folder that exists: docket runs there, as git -C does",
                ));
            }
            Some(d) => d.clone(),
            None => std::env::current_dir()?,
        };
        let now = match std::env::var("DOCKET_NOW") {
            Ok(v) if !v.is_empty() => Some(v.parse::<jiff::Timestamp>().map_err(|e| {
                Failure::usage(
                    format!("DOCKET_NOW `{v}` is not an RFC 3339 time: {e}"),
                    "unset DOCKET_NOW, or set it like 2026-11-02T09:14:00Z",
                )
            })?),
            _ => None,
        };
        let seed = match std::env::var("DOCKET_SEED") {
            Ok(v) if !v.is_empty() => Some(v.parse::<u64>().map_err(|e| {
                Failure::usage(
                    format!("DOCKET_SEED `{v}` is not a whole number: {e}"),
                    "unset DOCKET_SEED, or set it like 42",
                )
            })?),
            _ => None,
        };
        let write = cli.command.write_args();
        if write.is_none() && (cli.author.is_some() || cli.no_commit) {
            let flag = if cli.no_commit {
                "--no-commit"
            } else {
                "--author"
            };
            return Err(Failure::usage(
                format!("{flag} is for commands that write, and this one only reads"),
                format!(
                    "leave {flag} out: only commands that change something (new, set, comment, edit, ...) take it"
                ),
            ));
        }
        let write = write.cloned().unwrap_or_default();
        // Given before the command (as earlier versions took them), they win over
        // DOCKET_AUTHOR, which fills the command's own --author.
        let author = cli.author.clone().or(write.author);
        Ok(Context {
            dir,
            options: Options {
                author: author.filter(|a| !a.trim().is_empty()),
                no_commit: cli.no_commit || write.no_commit,
                now,
                seed,
                watcher,
            },
        })
    }

    /// A context for the desk in `dir`, with default options (the demo shows the desk
    /// it built).
    pub fn at(dir: &Path) -> Context {
        Context {
            dir: dir.to_path_buf(),
            options: Options::default(),
        }
    }

    /// Opens the desk.
    pub fn desk(&self) -> Result<Desk, Failure> {
        Ok(Desk::open(&self.dir, self.options.clone())?)
    }

    /// Opens the desk for a read command, saying on stderr when an interrupted change
    /// waits to be finished (reads never finish it: only writers hold the write lock).
    pub fn read_desk(&self) -> Result<Desk, Failure> {
        let desk = self.desk()?;
        if let Some(notice) = desk.pending_notice() {
            eprintln!("note: {notice}");
        }
        Ok(desk)
    }
}

/// Prints the status line of a ticket change on stderr, then the warnings of what ran
/// after it (hooks).
pub fn report(outcome: &Outcome) {
    eprintln!("{}", outcome_line(outcome));
    warnings(&outcome.warnings);
}

/// Prints the status line of a change to a record (a slug) on stderr, then its warnings.
pub fn report_record(outcome: &Outcome, what: &str) {
    eprintln!("{}", change_line(outcome, what));
    warnings(&outcome.warnings);
}

/// Prints `warning:` lines on stderr (a hook that failed or timed out: the change stands,
/// and the exit code is not changed).
pub fn warnings(lines: &[String]) {
    for w in lines {
        eprintln!("warning: {}", crate::model::escape_text(w));
    }
}

/// Prints the notices of an index-served read on stderr, one line each.
pub fn notices(lines: &[String]) {
    for n in lines {
        eprintln!("{n}");
    }
}

/// Prints what a read has to say on stderr: the index's notices, then a warning for
/// each file it left out.
pub fn read_notes<P: std::fmt::Display>(index_notices: &[String], skipped: &[P]) {
    notices(index_notices);
    for p in skipped {
        warn_skipped(p);
    }
}

/// The text of `--body` or `--body-file` (`-` for standard input); `None` when neither
/// was given. A file or input over the size docket reads back is refused before it is
/// read whole, so a wrong file name cannot fill the memory.
pub fn read_body(body: &Option<String>, file: &Option<PathBuf>) -> Result<Option<String>, Failure> {
    let (f, reader): (&Path, Box<dyn std::io::Read>) = match (body, file) {
        (Some(b), _) => return Ok(Some(b.clone())),
        (None, None) => return Ok(None),
        (None, Some(f)) if f.as_os_str() == "-" => (f, Box::new(std::io::stdin())),
        (None, Some(f)) => match std::fs::File::open(f) {
            Ok(file) => (f, Box::new(file)),
            Err(e) => return Err(unreadable(f, &e)),
        },
    };
    let limit = crate::doc::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(reader, limit as u64 + 1),
        &mut bytes,
    )
    .map_err(|e| unreadable(f, &e))?;
    if bytes.len() > limit {
        return Err(Failure::usage(
            format!(
                "{} is over docket's limit of {limit} bytes ({} MiB) for one file",
                if f.as_os_str() == "-" {
                    "standard input".into()
                } else {
                    f.display().to_string()
                },
                limit / (1024 * 1024)
            ),
            "split the text, or keep large attachments outside the help desk and link to them",
        ));
    }
    String::from_utf8(bytes).map(Some).map_err(|_| {
        Failure::usage(
            format!("{} is not UTF-8 text", f.display()),
            "give a UTF-8 text file with --body-file",
        )
    })
}

fn unreadable(f: &Path, e: &std::io::Error) -> Failure {
    Failure::new(
        format!("{}: {e}", f.display()),
        Some("give a readable UTF-8 file with --body-file".into()),
    )
}

/// A progress bar on stderr, only when stderr is a terminal and the work is large; it
/// is cleared when dropped.
#[derive(Default)]
pub struct Bar {
    bar: std::cell::OnceCell<indicatif::ProgressBar>,
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(b) = self.bar.get() {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn tick(&self, done: usize, total: usize) {
        if total < 500 || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = self.bar.get_or_init(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "indexing {bar:40} {pos}/{len} documents ({eta} left)",
            ) {
                b.set_style(style);
            }
            b
        });
        bar.set_position(done as u64);
    }
}
