//! Starting docket as a child that may be signalled part-way through, timing it, and reading
//! what it printed. Output goes to temporary files rather than pipes, so a large `--json`
//! answer never blocks the child while the harness is busy waiting or sleeping. The fault
//! tests (tests/faults.rs, tests/crash.rs) include it with `#[path]`.
#![allow(dead_code)]

use std::fs::File;
use std::io::{Read, Seek};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, kill_process};

/// The signals a writer is killed with: the kernel's, a service manager's and Ctrl-C.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sig {
    Kill,
    Term,
    Int,
}

impl Sig {
    pub const ALL: [Sig; 3] = [Sig::Kill, Sig::Term, Sig::Int];

    pub fn name(self) -> &'static str {
        match self {
            Sig::Kill => "SIGKILL",
            Sig::Term => "SIGTERM",
            Sig::Int => "SIGINT",
        }
    }

    fn signal(self) -> Signal {
        match self {
            Sig::Kill => Signal::KILL,
            Sig::Term => Signal::TERM,
            Sig::Int => Signal::INT,
        }
    }
}

impl std::fmt::Display for Sig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How a child ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    Exited(i32),
    Signalled(i32),
    /// Still running at the deadline; the harness then killed it.
    TimedOut,
}

/// A child that ran to its end.
#[derive(Debug)]
pub struct Finished {
    pub ending: Ending,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// When the harness's signal went out, if the child was still running then.
    pub signalled_at: Option<Duration>,
}

impl Finished {
    /// Exit 0: docket reported the change as done.
    pub fn ok(&self) -> bool {
        self.ending == Ending::Exited(0)
    }

    /// The exit code; `None` when a signal ended the child (or the deadline did).
    pub fn code(&self) -> Option<i32> {
        match self.ending {
            Ending::Exited(c) => Some(c),
            Ending::Signalled(_) | Ending::TimedOut => None,
        }
    }

    /// "exit 1", "died by signal 9", "timed out", with the time it took.
    pub fn describe(&self) -> String {
        let end = match self.ending {
            Ending::Exited(c) => format!("exit {c}"),
            Ending::Signalled(s) => format!("died by signal {s}"),
            Ending::TimedOut => "still running at the deadline (killed)".to_string(),
        };
        format!("{end} after {} ms", self.elapsed.as_millis())
    }

    /// stdout and stderr, indented, for a violation message.
    pub fn transcript(&self) -> String {
        format!(
            "    stdout: {}\n    stderr: {}",
            indent(&self.stdout),
            indent(&self.stderr)
        )
    }
}

fn indent(text: &str) -> String {
    let t = text.trim_end();
    if t.is_empty() {
        "(empty)".to_string()
    } else {
        t.replace('\n', "\n            ")
    }
}

/// A running child and the files its output goes to.
pub struct Started {
    child: Child,
    out: File,
    err: File,
    t0: Instant,
    signalled_at: Option<Duration>,
}

/// Starts `cmd` with its output captured in temporary files.
pub fn start(mut cmd: Command) -> Started {
    let out = tempfile::tempfile().expect("temp file for stdout");
    let err = tempfile::tempfile().expect("temp file for stderr");
    cmd.stdout(Stdio::from(out.try_clone().expect("dup stdout file")))
        .stderr(Stdio::from(err.try_clone().expect("dup stderr file")));
    let t0 = Instant::now();
    let child = cmd.spawn().expect("the command starts");
    Started {
        child,
        out,
        err,
        t0,
        signalled_at: None,
    }
}

/// Runs `cmd` to its end, killing it at `deadline`.
pub fn run(cmd: Command, deadline: Duration) -> Finished {
    start(cmd).finish(deadline)
}

impl Started {
    /// Sleeps until `delay` after the start, then sends `sig` unless the child has already
    /// exited. The child is not reaped before the signal goes out, so its pid cannot have been
    /// reused by another process.
    pub fn signal_after(&mut self, delay: Duration, sig: Sig) {
        if let Some(rest) = delay.checked_sub(self.t0.elapsed()) {
            std::thread::sleep(rest);
        }
        if self.child.try_wait().expect("try_wait").is_some() {
            return;
        }
        let pid = Pid::from_raw(i32::try_from(self.child.id()).expect("pid fits i32"))
            .expect("a child's pid is not zero");
        kill_process(pid, sig.signal()).expect("signal an unreaped child");
        self.signalled_at = Some(self.t0.elapsed());
    }

    /// Sends `sig` now, unless the child has already exited.
    pub fn signal_now(&mut self, sig: Sig) {
        self.signal_after(Duration::ZERO, sig);
    }

    /// Whether the child is still running.
    pub fn running(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }

    /// Polls until `ready` holds, failing when the child ends first or 20 s pass; for the
    /// debug-build pause points, where the child waits at a step until it is killed.
    pub fn wait_until(&mut self, what: &str, mut ready: impl FnMut() -> bool) {
        let start = Instant::now();
        while !ready() {
            assert!(self.running(), "the child ended before {what}");
            assert!(start.elapsed() < Duration::from_secs(20), "never {what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits for the child (polling, so that a hang ends at `deadline`) and reads its output.
    pub fn finish(mut self, deadline: Duration) -> Finished {
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break Some(status);
            }
            if self.t0.elapsed() >= deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        let elapsed = self.t0.elapsed();
        let ending = match status {
            None => Ending::TimedOut,
            Some(s) => match (s.code(), s.signal()) {
                (Some(c), _) => Ending::Exited(c),
                (None, Some(sig)) => Ending::Signalled(sig),
                (None, None) => Ending::Exited(-1),
            },
        };
        Finished {
            ending,
            stdout: read_all(&mut self.out),
            stderr: read_all(&mut self.err),
            elapsed,
            signalled_at: self.signalled_at,
        }
    }
}

fn read_all(f: &mut File) -> String {
    f.rewind().expect("rewind output file");
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes).expect("read output file");
    String::from_utf8_lossy(&bytes).into_owned()
}
