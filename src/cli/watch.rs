//! `docket watch`: the watcher that keeps the search index fresh on large desks (see
//! `index::watch`), run in the foreground, stopped, or reported on.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use super::context::Context;
use super::render::{Failure, json};
use crate::index::watch::{self, Launcher, Status};

/// Arguments of `watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Stop the running watcher.
    #[arg(long, conflicts_with_all = ["status", "idle_exit"])]
    pub stop: bool,
    /// Say whether a watcher runs, and what it watches.
    #[arg(long, conflicts_with = "idle_exit")]
    pub status: bool,
    /// With --status: print the state as JSON.
    #[arg(long, requires = "status")]
    pub json: bool,
    /// Exit after this many seconds without a docket command reading the index.
    #[arg(long, value_name = "SECONDS")]
    pub idle_exit: Option<u64>,
}

/// What `watch --status --json` prints. Every key is always there (`null` when it does
/// not apply), so scripts can read it without checking the state first.
#[derive(Debug, Serialize)]
struct StatusJson {
    /// `running`, `starting` (it holds the lock but is not ready) or `stopped`.
    state: &'static str,
    /// Whether a watcher serves the repository (`state` is `running`).
    running: bool,
    /// The watcher's process id.
    pid: Option<u32>,
    /// Its session (the journal's name).
    session: Option<String>,
    /// How many folders it watches.
    folders: Option<usize>,
    /// The data folders it watches, as the index names them.
    roots: Vec<String>,
    /// How many bytes its journal holds: the position the next sync catches up to.
    journal_bytes: Option<u64>,
    /// Why the last watcher failed, when none runs and one did fail.
    last_failure: Option<String>,
}

impl StatusJson {
    fn of(status: Status) -> StatusJson {
        let mut out = StatusJson {
            state: "stopped",
            running: false,
            pid: None,
            session: None,
            folders: None,
            roots: Vec::new(),
            journal_bytes: None,
            last_failure: None,
        };
        match status {
            Status::Running(live) => {
                out.state = "running";
                out.running = true;
                out.pid = Some(live.pid);
                out.journal_bytes = live.journal_len();
                out.folders = Some(live.folders);
                out.session = Some(live.id);
                out.roots = live.roots;
            }
            Status::Starting => out.state = "starting",
            Status::Stopped(why) => out.last_failure = why,
        }
        out
    }
}

/// How the index starts a watcher: `PROGRAM -C ROOT watch --idle-exit SECONDS`, where
/// `program` is this docket binary (the library never runs an executable of its own
/// choosing).
pub fn launcher(program: PathBuf) -> Launcher {
    Launcher::new(move |root: &Path, idle: Duration| {
        let mut command = Command::new(&program);
        command
            .arg("-C")
            .arg(root)
            .args(["watch", "--idle-exit"])
            .arg(idle.as_secs().to_string());
        command
    })
}

/// `docket watch`.
pub fn run(ctx: &Context, a: &WatchArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let desk = ctx.desk()?;
    let git_dir = desk.repo().git_dir();
    if a.stop {
        if watch::stop(git_dir) {
            writeln!(out, "stopped the watcher")?;
        } else {
            writeln!(out, "no watcher was running")?;
        }
        return Ok(());
    }
    if a.status && a.json {
        return json(out, &StatusJson::of(watch::status(git_dir)));
    }
    if a.status {
        match watch::status(git_dir) {
            Status::Running(live) => writeln!(
                out,
                "running: pid {}, {} folders watched ({}), session {}",
                live.pid,
                live.folders,
                live.roots.join(", "),
                live.id
            )?,
            Status::Starting => writeln!(out, "starting")?,
            Status::Stopped(None) => writeln!(out, "not running")?,
            Status::Stopped(Some(why)) => writeln!(out, "not running; the last one failed: {why}")?,
        }
        return Ok(());
    }
    let idle = a.idle_exit.map(Duration::from_secs);
    let start = std::time::Instant::now();
    watch::run(desk.store(), git_dir, idle, |live| {
        eprintln!(
            "watching {} folders ({}), ready in {:.2} s; stop with Ctrl-C or `docket watch --stop`",
            live.folders,
            live.roots.join(", "),
            start.elapsed().as_secs_f64()
        );
    })?;
    Ok(())
}
