//! Running one hook command: `sh -c COMMAND` in the repository's root, the event on
//! standard input, its standard output and error both on docket's standard error (as git
//! runs its hooks, so nothing a hook prints mixes with docket's data on standard output),
//! within a time limit. At the limit the hook's whole process group (it and the children
//! it started) gets SIGTERM, then SIGKILL half a second later.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How a hook ended.
#[derive(Debug)]
pub(super) enum Ended {
    /// It exited with status 0.
    Done,
    /// It exited otherwise, or a signal ended it.
    Failed(ExitStatus),
    /// It ran past its limit and was stopped.
    TimedOut,
    /// It could not be started.
    NotStarted(std::io::Error),
}

/// How long a stopped hook gets between SIGTERM and SIGKILL.
const GRACE: Duration = Duration::from_millis(500);

/// Runs `command` with `input` on its standard input and `env` added to docket's own
/// environment, for at most `limit`.
pub(super) fn run(
    command: &str,
    dir: &Path,
    input: &[u8],
    env: &[(&str, String)],
    limit: Duration,
) -> Ended {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stderr(Stdio::inherit());
    cmd.stdout(stderr_for_child());
    for (k, v) in env {
        cmd.env(k, v);
    }
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Ended::NotStarted(e),
    };
    if let Some(mut stdin) = child.stdin.take() {
        let input = input.to_vec();
        // A hook need not read its input: a write it refuses (a closed pipe) is fine, and
        // the thread is not waited for, so a hook that never reads cannot hold docket.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let deadline = Instant::now() + limit;
    match wait_until(&mut child, deadline) {
        Some(status) if status.success() => Ended::Done,
        Some(status) => Ended::Failed(status),
        None => {
            stop(&mut child);
            Ended::TimedOut
        }
    }
}

/// Waits for the child until `deadline`; its exit status, or `None` if it still runs.
fn wait_until(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    let mut pause = Duration::from_millis(2);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) => {}
            // Not waitable any more: treat it as still running, so it is stopped.
            Err(_) => return None,
        }
        let now = Instant::now();
        if now >= deadline {
            return None;
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// Stops the child and everything in its process group: SIGTERM, then SIGKILL.
fn stop(child: &mut Child) {
    #[cfg(unix)]
    {
        use rustix::process::{Pid, Signal, kill_process_group};
        let group = Pid::from_child(child);
        let _ = kill_process_group(group, Signal::TERM);
        let _ = wait_until(child, Instant::now() + GRACE);
        // Whether or not the shell is gone, what it started may not be. (The kernel does
        // not hand out a group's id again while a member lives.)
        let _ = kill_process_group(group, Signal::KILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Docket's standard error, as a child's standard output; nowhere if it cannot be
/// shared.
fn stderr_for_child() -> Stdio {
    #[cfg(unix)]
    {
        std::os::fd::AsFd::as_fd(&std::io::stderr())
            .try_clone_to_owned()
            .map_or_else(|_| Stdio::null(), Stdio::from)
    }
    #[cfg(not(unix))]
    {
        Stdio::null()
    }
}
