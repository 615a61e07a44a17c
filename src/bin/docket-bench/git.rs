//! Running the git CLI the same way everywhere: no system or global config and a fixed
//! identity, so generated repositories and baseline commits do not depend on who runs
//! the tool. docket gets the same environment, so both sides read the same settings.

use std::path::Path;
use std::process::{Command, Stdio};

/// Who the generator's commits and the runner's commits are by: a team member, so
/// docket files comments under the `alice` handle.
pub const AUTHOR_NAME: &str = "Alice Ng";
/// The email that goes with [`AUTHOR_NAME`].
pub const AUTHOR_EMAIL: &str = "alice@example.org";

/// The environment every child process gets (git and docket alike).
pub fn hermetic_env() -> Vec<(&'static str, &'static str)> {
    vec![
        ("GIT_CONFIG_NOSYSTEM", "1"),
        ("GIT_CONFIG_GLOBAL", "/dev/null"),
        ("GIT_AUTHOR_NAME", AUTHOR_NAME),
        ("GIT_AUTHOR_EMAIL", AUTHOR_EMAIL),
        ("GIT_COMMITTER_NAME", AUTHOR_NAME),
        ("GIT_COMMITTER_EMAIL", AUTHOR_EMAIL),
        ("GIT_TERMINAL_PROMPT", "0"),
    ]
}

/// A `git` command in `dir` with the hermetic environment.
pub fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .envs(hermetic_env())
        .stdin(Stdio::null());
    cmd
}

/// Runs git with `args` in `dir`; the error names the command, the folder and git's
/// own message.
pub fn run(dir: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> Result<(), String> {
    let out = git(dir)
        .args(args)
        .envs(extra_env.iter().copied())
        .output()
        .map_err(|e| format!("{}: cannot run git {}: {e}", dir.display(), args.join(" ")))?;
    if !out.status.success() {
        return Err(format!(
            "{}: git {} failed ({}): {}",
            dir.display(),
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(())
}

/// Whether an executable of this name is on PATH (or is a path that exists).
pub fn on_path(name: &str) -> Option<std::path::PathBuf> {
    if name.contains('/') {
        let p = std::path::PathBuf::from(name);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// One commit for [`fast_import`]: a message and the files it adds.
pub struct Commit {
    /// The commit message.
    pub message: String,
    /// Repository-relative path and content of every file it adds.
    pub files: Vec<(String, String)>,
}

/// Commits on `main` with `git fast-import` (one pack, no loose objects: far faster
/// than `git add` + `git commit` for tens of thousands of files), dated `secs`, then
/// `git reset -q` so the index matches the files already in the work tree.
pub fn fast_import(dir: &Path, commits: &[Commit], secs: i64) -> Result<(), String> {
    use std::io::Write;
    let mut child = git(dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: cannot run git fast-import: {e}", dir.display()))?;
    {
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| format!("{}: git fast-import has no input", dir.display()))?;
        let mut w = std::io::BufWriter::new(stdin);
        let who = format!("{AUTHOR_NAME} <{AUTHOR_EMAIL}> {secs} +0000");
        let fail =
            |e: std::io::Error| format!("{}: writing to git fast-import: {e}", dir.display());
        for c in commits {
            write!(w, "commit refs/heads/main\nauthor {who}\ncommitter {who}\n").map_err(fail)?;
            write!(w, "data {}\n{}\n", c.message.len(), c.message).map_err(fail)?;
            for (path, text) in &c.files {
                write!(w, "M 100644 inline {path}\ndata {}\n{text}\n", text.len()).map_err(fail)?;
            }
            w.write_all(b"\n").map_err(fail)?;
        }
        w.flush().map_err(fail)?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{}: git fast-import: {e}", dir.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{}: git fast-import failed ({}): {}",
            dir.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    // Files written in the same second as the index are "racily clean": git would
    // re-read them on every later command. Writing the index a second later avoids it.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    run(dir, &["reset", "-q"], &[])
}
