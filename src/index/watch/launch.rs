//! Starting a watcher process. What program to run is the caller's to say: a library
//! that spawned its own executable would make any other program that links it start
//! itself with docket's arguments. So the binary hands in a [`Launcher`] that builds the
//! command; this module detaches it, waits until it is ready, and reports what runs.

use std::fmt;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{IDLE_EXIT, Live, live, stop};

/// How long a reader that started a watcher waits for it to be ready.
const START_WAIT: Duration = Duration::from_secs(10);

/// The way to start a watcher for a repository: given the work tree root and how long
/// the watcher may stay idle, the command that runs one there (for docket,
/// `docket -C ROOT watch --idle-exit SECONDS`; see [`super::run`]).
#[derive(Clone)]
pub struct Launcher {
    command: Arc<BuildCommand>,
}

/// What a [`Launcher`] calls: the work tree root and the idle time to the command.
type BuildCommand = dyn Fn(&Path, Duration) -> Command + Send + Sync;

impl Launcher {
    /// A launcher from the function that builds the command. Its standard streams and
    /// process group are set here.
    pub fn new(command: impl Fn(&Path, Duration) -> Command + Send + Sync + 'static) -> Launcher {
        Launcher {
            command: Arc::new(command),
        }
    }

    /// The command that starts a watcher for the work tree at `root`.
    pub fn command(&self, root: &Path, idle: Duration) -> Command {
        (self.command)(root, idle)
    }
}

impl fmt::Debug for Launcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Launcher").finish_non_exhaustive()
    }
}

/// Starts a watcher for the repository at `root` with `launcher`, as a detached
/// background process that exits after [`IDLE_EXIT`] without a reader, and waits for it
/// to be ready. Stops the running one first when `replace` (it covers other folders, or
/// speaks another journal format).
#[cfg(unix)]
pub fn start(launcher: &Launcher, root: &Path, git_dir: &Path, replace: bool) -> Option<Live> {
    use std::os::unix::process::CommandExt;
    if replace {
        stop(git_dir);
    }
    let mut child = launcher
        .command(root, IDLE_EXIT)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        // Its own process group: a Ctrl-C meant for this command does not stop it.
        .process_group(0)
        .spawn()
        .ok()?;
    let start = Instant::now();
    let mut nap = Duration::from_millis(1);
    while start.elapsed() < START_WAIT {
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(50));
        if let Some(live) = live(git_dir) {
            return Some(live);
        }
        // It stopped: it failed (and said why in `failed`), or another one won the lock.
        if !matches!(child.try_wait(), Ok(None)) {
            return live(git_dir);
        }
    }
    None
}

/// Starting a watcher needs Unix process groups.
#[cfg(not(unix))]
pub fn start(_launcher: &Launcher, _root: &Path, _git_dir: &Path, _replace: bool) -> Option<Live> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_launcher_builds_the_callers_command() {
        let launcher = Launcher::new(|root, idle| {
            let mut c = Command::new("watcher");
            c.arg(root).arg(idle.as_secs().to_string());
            c
        });
        let c = launcher.command(Path::new("/r"), Duration::from_secs(7));
        assert_eq!(c.get_program(), "watcher");
        let args: Vec<_> = c.get_args().collect();
        assert_eq!(args, ["/r", "7"]);
        assert_eq!(format!("{launcher:?}"), "Launcher { .. }");
    }
}
