//! The same tickets as a Backlog.md project (`backlog/tasks/task-N - Title.md`), so the
//! runner can time Backlog.md's own commands on identical data. Creating 10,000 tasks
//! through its CLI would take hours; its files can be written directly (TECH-NOTES).
//! Comments have no file of their own in Backlog.md: they become the task's
//! implementation notes, so both tools search the same text.

use std::fs;
use std::path::Path;
use std::process::Stdio;

use crate::git::Commit;
use crate::plan::{Plan, TicketPlan};

/// Writes the project at `dir` and commits it; returns the number of tasks.
pub fn write_backlog(plan: &Plan, dir: &Path) -> Result<usize, String> {
    crate::write::ensure_empty(dir)?;
    crate::git::run(dir, &["init", "-q", "-b", "main"], &[])?;
    init_project(dir)?;
    let tasks = dir.join("backlog/tasks");
    fs::create_dir_all(&tasks).map_err(|e| format!("{}: {e}", tasks.display()))?;
    let mut files = Vec::with_capacity(plan.tickets.len());
    for (i, t) in plan.tickets.iter().enumerate() {
        let n = i + 1;
        let name = format!("task-{n} - {}.md", file_slug(&t.title));
        let text = task_text(n, t);
        let path = tasks.join(&name);
        fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        files.push((format!("backlog/tasks/{name}"), text));
    }
    let import = Commit {
        message: "Import tasks\n".into(),
        files,
    };
    crate::git::fast_import(dir, &[import], TASKS_COMMITTED)?;
    crate::git::run(dir, &["add", "-A"], &[])?;
    crate::git::run(dir, &["commit", "-q", "-m", "Set up Backlog.md"], &[])?;
    Ok(plan.tickets.len())
}

/// When the tasks are committed (2026-11-15T12:00:00Z, as the docket repository).
const TASKS_COMMITTED: i64 = 1_794_744_000;

/// `backlog init` when the CLI is installed, else the config file it writes.
fn init_project(dir: &Path) -> Result<(), String> {
    if crate::git::on_path("backlog").is_some() {
        let out = std::process::Command::new("backlog")
            .args([
                "init",
                "Docket bench",
                "--defaults",
                "--integration-mode",
                "none",
            ])
            .current_dir(dir)
            .envs(crate::git::hermetic_env())
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("{}: cannot run backlog init: {e}", dir.display()))?;
        if out.status.success() {
            return Ok(());
        }
        return Err(format!(
            "{}: backlog init failed ({}): {}",
            dir.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let cfg = dir.join("backlog/config.yml");
    fs::create_dir_all(dir.join("backlog")).map_err(|e| format!("{}: {e}", dir.display()))?;
    fs::write(&cfg, CONFIG).map_err(|e| format!("{}: {e}", cfg.display()))
}

/// What `backlog init "Docket bench" --defaults` writes (Backlog.md 1.52).
const CONFIG: &str = r#"project_name: "Docket bench"
default_status: "To Do"
statuses: ["To Do", "In Progress", "Done"]
labels: []
date_format: yyyy-mm-dd
max_column_width: 20
auto_open_browser: true
default_port: 6420
remote_operations: true
auto_commit: false
filesystem_only: false
bypass_git_hooks: false
check_active_branches: true
active_branch_days: 30
task_prefix: "task"
"#;

/// One task file in the layout Backlog.md's CLI writes.
fn task_text(n: usize, t: &TicketPlan) -> String {
    let mut s = String::from("---\n");
    s.push_str(&format!("id: TASK-{n}\n"));
    s.push_str(&format!("title: {}\n", single_quoted(&t.title)));
    s.push_str(&format!("status: {}\n", status(t.status)));
    match t.assignee {
        Some(a) => s.push_str(&format!("assignee:\n  - '@{a}'\n")),
        None => s.push_str("assignee: []\n"),
    }
    s.push_str(&format!(
        "created_date: '{}'\n",
        crate::format::fmt(t.created, "%Y-%m-%d %H:%M")
    ));
    if t.labels.is_empty() {
        s.push_str("labels: []\n");
    } else {
        s.push_str("labels:\n");
        for l in &t.labels {
            s.push_str(&format!("  - {}\n", single_quoted(l)));
        }
    }
    if let Some(p) = t.priority {
        s.push_str(&format!("priority: {}\n", priority(p)));
    }
    s.push_str("dependencies: []\n");
    s.push_str(&format!("ordinal: {}\n", n * 1000));
    s.push_str("---\n\n## Description\n\n<!-- SECTION:DESCRIPTION:BEGIN -->\n");
    s.push_str(t.body.trim());
    s.push_str("\n<!-- SECTION:DESCRIPTION:END -->\n");
    if !t.comments.is_empty() {
        s.push_str("\n## Implementation Notes\n\n<!-- SECTION:NOTES:BEGIN -->\n");
        let notes: Vec<String> = t
            .comments
            .iter()
            .map(|c| {
                format!(
                    "{}, {}:\n\n{}",
                    c.author.name,
                    crate::format::fmt(c.created, "%Y-%m-%d %H:%M"),
                    c.body.trim()
                )
            })
            .collect();
        s.push_str(&notes.join("\n\n"));
        s.push_str("\n<!-- SECTION:NOTES:END -->\n");
    }
    s
}

/// docket's workflow mapped onto Backlog.md's default columns.
fn status(s: &str) -> &'static str {
    match s {
        "pending" => "In Progress",
        "resolved" | "closed" => "Done",
        _ => "To Do",
    }
}

/// docket's priority bands mapped onto Backlog.md's three.
fn priority(p: &str) -> &'static str {
    match p {
        "low" => "low",
        "normal" => "medium",
        _ => "high",
    }
}

/// The title part of a task's file name as Backlog.md makes it: words joined by `-`,
/// punctuation dropped; cut so the name stays well under file-system limits.
fn file_slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            s.push(c);
        } else if (c.is_whitespace() || c == '/' || c == '-') && !s.ends_with('-') {
            s.push('-');
        }
        if s.len() > 80 {
            break;
        }
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() { "task".into() } else { s }
}

/// A YAML scalar in the style Backlog.md's CLI writes: plain when obviously safe, else
/// single-quoted (Backlog's own format, not docket's, so it is not rendered by
/// `docket::doc`).
fn single_quoted(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// Conservative: starts with a letter, only letters, digits, spaces and a few
/// punctuation marks (enough for `Name <email>`), no `: `, not a YAML 1.1 boolean or
/// null.
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let special = matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null"
    );
    first.is_alphabetic()
        && !special
        && s.trim() == s
        && !s.contains(": ")
        && !s.ends_with(':')
        && s.chars()
            .all(|c| c.is_alphanumeric() || " .,()/_+=-'<>@".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_backlog_style() {
        assert_eq!(
            file_slug("Login page loops: back to itself"),
            "Login-page-loops-back-to-itself"
        );
        assert_eq!(file_slug("git/grep \"quotes\""), "git-grep-quotes");
    }

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(
            single_quoted("Export to CSV drops rows"),
            "Export to CSV drops rows"
        );
        assert_eq!(single_quoted("yes"), "'yes'");
        assert_eq!(single_quoted("It's: here"), "'It''s: here'");
    }
}
