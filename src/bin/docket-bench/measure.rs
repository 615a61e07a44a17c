//! Timing whole processes: wall-clock time of one or more commands run one after the
//! other (a baseline like `git add && git commit` is two processes), and peak RSS from
//! GNU time's `%M` in a separate run, so the wrapper never adds to the timings.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// GNU time, when installed: the only way to read a child's peak RSS without libc.
const GNU_TIME: &str = "/usr/bin/time";

/// One process to run.
#[derive(Debug, Clone)]
pub struct Step {
    /// Program name or path.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// Where it runs.
    pub dir: PathBuf,
    /// Variables set on top of the hermetic environment.
    pub env: Vec<(String, String)>,
}

/// Why a row's processes could not be timed: the command and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// The command, shell-like.
    pub command: String,
    /// The exit status and the first line of standard error, or why it did not start.
    pub why: String,
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.command, self.why)
    }
}

impl Step {
    /// A step from a program, a folder and string arguments.
    pub fn new(program: impl Into<PathBuf>, dir: &Path, args: &[&str]) -> Step {
        Step {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            dir: dir.to_path_buf(),
            env: Vec::new(),
        }
    }

    /// The same step with `key=value` in its environment.
    pub fn with_env(mut self, key: &str, value: &str) -> Step {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// The command with the hermetic environment and no input.
    fn command(&self) -> Command {
        let mut c = Command::new(&self.program);
        c.args(&self.args)
            .current_dir(&self.dir)
            .envs(crate::git::hermetic_env())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        c
    }

    /// Shell-like text for error messages.
    pub fn display(&self) -> String {
        let mut s = self.program.display().to_string();
        for a in &self.args {
            s.push(' ');
            if a.contains([' ', '"', '\'']) {
                s.push_str(&format!("{a:?}"));
            } else {
                s.push_str(a);
            }
        }
        s
    }
}

/// Runs the steps in order and times them together; fails on the first that fails.
/// Returns the time and the number of lines the last step printed.
///
/// Standard output goes to a file, not a pipe: Backlog.md 1.52 cuts its `--plain`
/// output short at random when writing to a pipe, and a file treats every tool alike.
pub fn run_steps(steps: &[Step]) -> Result<(Duration, usize), Failed> {
    let sink = std::env::temp_dir().join(format!("docket-bench-out-{}", std::process::id()));
    let start = Instant::now();
    for step in steps {
        let failed = |why: String| Failed {
            command: step.display(),
            why,
        };
        let file =
            std::fs::File::create(&sink).map_err(|e| failed(format!("{}: {e}", sink.display())))?;
        let out = step
            .command()
            .stdout(file)
            .output()
            .map_err(|e| failed(format!("cannot run it in {}: {e}", step.dir.display())))?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            return Err(failed(format!("{}: {}", out.status, first.trim())));
        }
    }
    let elapsed = start.elapsed();
    let printed = std::fs::read(&sink).map_err(|e| Failed {
        command: steps.last().map(Step::display).unwrap_or_default(),
        why: format!("{}: {e}", sink.display()),
    })?;
    let _ = std::fs::remove_file(&sink);
    let lines = printed
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    Ok((elapsed, lines))
}

/// Whether peak RSS can be measured here.
pub fn rss_available() -> bool {
    Path::new(GNU_TIME).is_file()
}

/// Peak RSS in KiB of the largest of the steps, run once under GNU time.
pub fn peak_rss(steps: &[Step]) -> Result<Option<u64>, String> {
    if !rss_available() {
        return Ok(None);
    }
    let report = std::env::temp_dir().join(format!("docket-bench-rss-{}", std::process::id()));
    let mut peak = 0;
    for step in steps {
        let mut wrapped = step.clone();
        wrapped.program = PathBuf::from(GNU_TIME);
        wrapped.args = vec![
            "-f".into(),
            "%M".into(),
            "-o".into(),
            report.display().to_string(),
            step.program.display().to_string(),
        ];
        wrapped.args.extend(step.args.iter().cloned());
        run_steps(std::slice::from_ref(&wrapped)).map_err(|e| e.to_string())?;
        let text =
            std::fs::read_to_string(&report).map_err(|e| format!("{}: {e}", report.display()))?;
        let kib = text
            .lines()
            .filter_map(|l| l.trim().parse::<u64>().ok())
            .next_back()
            .ok_or_else(|| format!("{}: no RSS in `{}`", report.display(), text.trim()))?;
        peak = peak.max(kib);
    }
    let _ = std::fs::remove_file(&report);
    Ok(Some(peak))
}

/// Median, min and max of a non-empty set of timings.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    /// The middle value (mean of the two middle ones for an even count).
    pub median: Duration,
    /// The fastest run.
    pub min: Duration,
    /// The slowest run.
    pub max: Duration,
}

impl Stats {
    /// Summarises timings; `None` when there are none.
    pub fn of(times: &[Duration]) -> Option<Stats> {
        let mut t = times.to_vec();
        t.sort_unstable();
        let n = t.len();
        let median = match n {
            0 => return None,
            n if n % 2 == 1 => t[n / 2],
            n => (t[n / 2 - 1] + t[n / 2]) / 2,
        };
        Some(Stats {
            median,
            min: t[0],
            max: t[n - 1],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_step_says_why_in_one_line() {
        let dir = std::env::temp_dir();
        let ok = Step::new("sh", &dir, &["-c", "echo a; echo b"]);
        assert_eq!(run_steps(std::slice::from_ref(&ok)).map(|r| r.1), Ok(2));
        let bad = Step::new(
            "sh",
            &dir,
            &["-c", "echo 'error: no sla here' >&2; echo more >&2; exit 2"],
        );
        let e = run_steps(&[ok, bad]).expect_err("exit 2 fails");
        assert!(e.command.starts_with("sh -c"), "{e}");
        assert!(e.why.contains("exit status: 2"), "{e}");
        assert!(e.why.ends_with("error: no sla here"), "{e}");
        let env = Step::new(
            "sh",
            &dir,
            &["-c", "test \"$DOCKET_NOW\" = 2026-11-13T14:00:00Z"],
        )
        .with_env("DOCKET_NOW", "2026-11-13T14:00:00Z");
        assert!(run_steps(&[env]).is_ok());
        let missing = Step::new("/nonexistent/docket", &dir, &["sla"]);
        assert!(
            run_steps(&[missing])
                .expect_err("no such program")
                .why
                .starts_with("cannot run")
        );
    }

    #[test]
    fn medians() {
        let ms = Duration::from_millis;
        let s = Stats::of(&[ms(5), ms(1), ms(3)]).expect("non-empty");
        assert_eq!((s.median, s.min, s.max), (ms(3), ms(1), ms(5)));
        let s = Stats::of(&[ms(4), ms(2)]).expect("non-empty");
        assert_eq!(s.median, ms(3));
        assert!(Stats::of(&[]).is_none());
    }
}
