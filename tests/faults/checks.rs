//! The repository invariants every section checks with the git CLI, and the tally of
//! violations that each test prints and finally asserts empty.

use std::path::Path;

use crate::common::Repo;

/// Violations found by one section, printed as they are found (the first few in full).
pub struct Tally {
    section: String,
    /// One message per failing round, naming every check that failed in it.
    messages: Vec<String>,
    /// Failed checks, lost changes included.
    pub violations: usize,
    /// Acknowledged changes missing from HEAD, and files a user's commit would delete.
    pub lost: usize,
    pub failing_rounds: usize,
}

/// How many violation messages a section prints in full before it only counts them.
const PRINT_IN_FULL: usize = 12;

impl Tally {
    pub fn new(section: &str) -> Tally {
        Tally {
            section: section.to_string(),
            messages: Vec::new(),
            violations: 0,
            lost: 0,
            failing_rounds: 0,
        }
    }

    /// Records a violation: `context` says where (round, commands), `what` which check failed.
    pub fn violation(&mut self, context: &str, what: &str) {
        self.round(context, vec![what.to_string()], Vec::new());
    }

    pub fn lost(&mut self, context: &str, what: &str) {
        self.round(context, Vec::new(), vec![what.to_string()]);
    }

    /// Records every check that failed in one round under one context; a lost change counts
    /// as a violation too.
    pub fn round(&mut self, context: &str, problems: Vec<String>, lost: Vec<String>) {
        if problems.is_empty() && lost.is_empty() {
            return;
        }
        self.failing_rounds += 1;
        let mut msg = context.to_string();
        for p in &problems {
            msg.push_str(&format!("\n  violation: {p}"));
        }
        for l in &lost {
            msg.push_str(&format!("\n  violation: lost change: {l}"));
        }
        if self.messages.len() < PRINT_IN_FULL {
            eprintln!("violation [{}] {msg}\n", self.section);
        }
        self.messages.push(msg);
        self.violations += problems.len() + lost.len();
        self.lost += lost.len();
    }

    /// Whether the section has failed often enough that more rounds would only repeat it
    /// (`DOCKET_FAULT_STOP_AFTER` failing rounds; 0 never stops).
    pub fn enough(&self, stop_after: usize) -> bool {
        stop_after > 0 && self.failing_rounds >= stop_after
    }

    /// Fails the test with every violation, after the summary line was printed.
    #[track_caller]
    pub fn assert_none(&self) {
        if self.violations == 0 {
            return;
        }
        let shown: Vec<&String> = self.messages.iter().take(PRINT_IN_FULL).collect();
        panic!(
            "{} violation(s) in {} failing round(s) of the {} section ({} lost changes); the first {} round(s):\n\n{}",
            self.violations,
            self.failing_rounds,
            self.section,
            self.lost,
            shown.len(),
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        );
    }
}

/// Lock files git or a killed process left under `.git` (docket's own folder excepted: its
/// write lock may be a kernel lock on a file that stays, and tantivy's lock files are
/// harmless), as paths relative to the work tree.
pub fn leftover_git_locks(root: &Path) -> Vec<String> {
    let git = root.join(".git");
    walkdir::WalkDir::new(&git)
        .into_iter()
        .filter_entry(|e| e.path() != git.join("docket") && e.path() != git.join("objects"))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".lock"))
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .expect("under the root")
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// `git fsck --strict` (dangling objects from an interrupted write are allowed).
pub fn fsck(repo: &Repo) -> Option<String> {
    let run = repo.git(&["fsck", "--strict", "--no-dangling", "--no-progress"]);
    let text = format!("{}{}", run.stdout, run.stderr);
    let bad = run.code != 0
        || ["error", "missing", "broken", "corrupt", "bad "]
            .iter()
            .any(|w| text.contains(w));
    bad.then(|| format!("git fsck --strict exit {}:\n{}", run.code, text.trim_end()))
}

/// `git status --porcelain` lines that show something left behind. A change staged in the
/// index (first column) always counts: docket's index must match HEAD for its paths. A
/// work-tree leftover counts unless the command that ran after the fault named its path on
/// stderr (it reported what it could not repair).
pub fn status_leftovers(status: &str, reported: &str) -> Vec<String> {
    status
        .lines()
        .filter(|line| {
            let staged = !matches!(line.as_bytes().first(), Some(b' ' | b'?'));
            let path = line.get(3..).unwrap_or("").trim_matches('"');
            staged || path.is_empty() || !reported.contains(path)
        })
        .map(str::to_string)
        .collect()
}

/// Runs a user's plain `git commit -a -m user` and returns what it deleted from HEAD's tree.
/// A deleting commit is undone (`git reset -q HEAD~1`, which restores the index from the
/// tree docket committed) so that later rounds measure their own faults.
pub fn user_commit_deletes(repo: &Repo) -> (Vec<String>, String) {
    let before = repo.tree_paths("HEAD");
    let commit = repo.git(&["commit", "-q", "-a", "-m", "user"]);
    let note = format!(
        "git commit -a -m user: exit {}{}",
        commit.code,
        if commit.stderr.trim().is_empty() {
            String::new()
        } else {
            format!(", {}", commit.stderr.trim())
        }
    );
    if commit.code != 0 {
        return (Vec::new(), note);
    }
    let after: std::collections::BTreeSet<String> = repo.tree_paths("HEAD").into_iter().collect();
    let deleted: Vec<String> = before.into_iter().filter(|p| !after.contains(p)).collect();
    if !deleted.is_empty() {
        repo.git(&["reset", "-q", "HEAD~1"]).ok();
    }
    (deleted, note)
}

/// What a user would do after a violation so the next round starts clean: remove the
/// leftover locks, git's and docket's (no docket runs now), and commit whatever is left over.
pub fn repair_by_hand(repo: &Repo) {
    for lock in leftover_git_locks(&repo.root) {
        let _ = std::fs::remove_file(repo.root.join(lock));
    }
    if let Ok(dir) = std::fs::read_dir(repo.root.join(".git/docket")) {
        for e in dir.filter_map(Result::ok) {
            if e.file_name().to_string_lossy().ends_with(".lock") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let _ = repo.git(&["add", "-A"]);
    let _ = repo.git(&["commit", "-q", "-m", "repair by hand"]);
}
