//! `docket-bench run`: times docket's commands against plain git (and ripgrep and
//! Backlog.md when installed) on one repository, and prints a Markdown table. The
//! repository gains a ticket and a comment per write run (from docket and from git); the
//! tickets the `rm` rows remove are made for them first, so those rows leave the desk as
//! it was.
//!
//! Rows come in groups; the first row of a group is its baseline, the nearest thing a
//! user could do with plain tools, and every row's ratio is against it (groups with no
//! such thing, like finding duplicates, the SLA view, the report and the full index
//! rebuild, have no ratio). Within a group the rows take turns run by run (the order
//! flips every run), so each sees the same machine state; one warm-up round is not
//! counted. Peak RSS comes from one more run. Rows with a budget of DESIGN.md section 7
//! show it and whether the median met it. A command that fails (one this docket does
//! not have yet, say) is reported in its row, and the other rows still run.

mod operations;
mod reads;
mod table;
mod target;
mod writes;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::measure::{Failed, Step, peak_rss, rss_available, run_steps};
use reads::{desk_now, show_baseline_row, support_rows};
use table::{extra_over_baseline, load_average, ms, print_header, print_table};
use target::{Target, md_files, pick_target, tickets_dir};
use writes::{docket_rm_row, git_comment_row, git_new_row, git_rm_row, hand_edit_row};

/// What `run` was asked.
#[derive(Debug, Clone)]
pub struct RunArgs {
    /// The docket repository (made by `gen`).
    pub repo: PathBuf,
    /// Counted runs per row.
    pub runs: usize,
    /// The docket binary.
    pub docket: PathBuf,
    /// The Backlog.md project with the same tickets, if any.
    pub backlog: Option<PathBuf>,
    /// The word to search for.
    pub word: String,
    /// The ticket to show and comment on (else one is picked).
    pub id: Option<String>,
}

/// Builds the processes of one run of a row (writing any file the run needs).
type Make = Box<dyn FnMut() -> Result<Vec<Step>, String>>;

/// One line of the table.
struct Row {
    group: &'static str,
    label: String,
    make: Make,
    times: Vec<Duration>,
    lines: usize,
    rss: Option<u64>,
    /// The median it should stay under (DESIGN.md section 7).
    budget: Option<Duration>,
    /// Timed for itself: its group has no plain-tool baseline.
    solo: bool,
    /// Why it could not be timed (it is then left out of the other runs).
    failed: Option<Failed>,
    /// Undoes what the runs changed, after the group is timed.
    cleanup: Option<Box<dyn FnMut() -> Result<(), String>>>,
}

impl Row {
    /// A row with no timings yet.
    fn new(group: &'static str, label: impl Into<String>, make: Make) -> Row {
        Row {
            group,
            label: label.into(),
            make,
            times: Vec::new(),
            lines: 0,
            rss: None,
            budget: None,
            solo: false,
            failed: None,
            cleanup: None,
        }
    }

    /// The same row with a budget in milliseconds.
    fn budget(mut self, ms: u64) -> Row {
        self.budget = Some(Duration::from_millis(ms));
        self
    }

    /// The same row, compared with no baseline.
    fn solo(mut self) -> Row {
        self.solo = true;
        self
    }
}

/// `show` at most 20 ms, `list` and a warm `search` 50 ms, `sla` and `report` 150 ms,
/// a full index build 30 s (DESIGN.md section 7).
const SHOW_MS: u64 = 20;
const LIST_MS: u64 = 50;
const SEARCH_MS: u64 = 50;
const SUPPORT_MS: u64 = 150;
const INDEX_MS: u64 = 30_000;

/// Runs everything and prints the table to stdout (progress to stderr).
pub fn run(a: &RunArgs) -> Result<(), String> {
    let repo = fs::canonicalize(&a.repo).map_err(|e| format!("{}: {e}", a.repo.display()))?;
    let tickets = tickets_dir(&repo)?;
    let target = pick_target(&repo, &tickets, a.id.as_deref())?;
    let mut notes = Vec::new();
    let mut rows = build_rows(a, &repo, &tickets, &target, &mut notes)?;
    let load_before = load_average();
    print_header(a, &repo, &target);
    let groups: Vec<&'static str> = dedup(rows.iter().map(|r| r.group).collect());
    for g in &groups {
        eprintln!("timing: {g}");
        let idx: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].group == *g).collect();
        time_group(&mut rows, &idx, a.runs)?;
    }
    print_table(&rows);
    if let Some(extra) = extra_over_baseline(&rows, "resync after one changed file") {
        notes.push(format!(
            "resync after one changed file: {} ms over the warm search (difference of medians)",
            ms(extra)
        ));
    }
    notes.push(format!(
        "load average (1, 5, 15 min) at the start: {load_before}; at the end: {}",
        load_average()
    ));
    if !rss_available() {
        notes.push("peak RSS not measured: /usr/bin/time (GNU time) is not installed".into());
    }
    for n in notes {
        println!("- {n}");
    }
    Ok(())
}

/// The rows in table order, skipping tools that are not installed (with a note).
fn build_rows(
    a: &RunArgs,
    repo: &Path,
    tickets: &str,
    target: &Target,
    notes: &mut Vec<String>,
) -> Result<Vec<Row>, String> {
    let d = &a.docket;
    let t = target;
    let mut rows = vec![
        git_new_row(repo, tickets, t),
        plain_row(
            "new ticket",
            "docket new --title T --body B",
            Step::new(d, repo, &["new", "--title", &t.title, "--body", &t.body]),
        ),
        git_comment_row(repo, t),
        plain_row(
            "comment",
            "docket comment ID -m TEXT",
            Step::new(d, repo, &["comment", &t.id, "-m", &t.comment]),
        ),
        plain_row(
            "comment",
            "docket reply ID --template still-waiting (filled from the ticket)",
            Step::new(d, repo, &["reply", &t.id, "--template", "still-waiting"]),
        ),
        git_rm_row(repo, tickets, t),
        docket_rm_row(d, repo, tickets, t),
        plain_row(
            "list open tickets",
            "git grep -l '^status: open$' (files only)",
            Step::new(
                "git",
                repo,
                &["grep", "-l", "-e", "^status: open$", "--", tickets],
            ),
        ),
        plain_row(
            "list open tickets",
            "docket list --status open",
            Step::new(d, repo, &["list", "--status", "open"]),
        )
        .budget(LIST_MS),
    ];
    let backlog_dir = backlog_dir(a, notes);
    if let Some(b) = &backlog_dir {
        rows.push(plain_row(
            "list open tickets",
            "backlog task list --plain (all tasks)",
            Step::new("backlog", b, &["task", "list", "--plain"]),
        ));
    }
    rows.push(show_baseline_row(repo, t));
    rows.push(
        plain_row(
            "show one ticket",
            "docket show ID",
            Step::new(d, repo, &["show", &t.id]),
        )
        .budget(SHOW_MS),
    );
    rows.extend(support_rows(d, repo));
    rows.extend(operations::dry_rows(d, repo));
    rows.push(plain_row(
        "search a word",
        &format!("git grep -l {}", a.word),
        Step::new("git", repo, &["grep", "-l", "-e", &a.word, "--", tickets]),
    ));
    if crate::git::on_path("rg").is_some() {
        rows.push(plain_row(
            "search a word",
            &format!("rg -l {}", a.word),
            Step::new("rg", repo, &["-l", "-e", &a.word, tickets]),
        ));
    } else {
        notes.push("rg (ripgrep) is not installed: its row is skipped".into());
    }
    rows.push(plain_row(
        "search a word",
        &format!("docket search -t ticket -n 10000 {} (all hits)", a.word),
        Step::new(d, repo, &["search", "-t", "ticket", "-n", "10000", &a.word]),
    ));
    if let Some(b) = &backlog_dir {
        rows.push(plain_row(
            "search a word",
            &format!("backlog search {} --plain", a.word),
            Step::new("backlog", b, &["search", &a.word, "--plain"]),
        ));
    }
    rows.push(
        plain_row(
            "resync after one changed file",
            &format!("docket search {} (nothing changed)", a.word),
            Step::new(d, repo, &["search", &a.word]),
        )
        .budget(SEARCH_MS),
    );
    rows.push(hand_edit_row(d, repo, &a.word, target)?);
    rows.push(
        plain_row(
            "find duplicates",
            "docket dupes -n 20 (open tickets compared with each other)",
            Step::new(d, repo, &["dupes", "-n", "20"]),
        )
        .solo(),
    );
    rows.push(
        plain_row(
            "rebuild the search index",
            "docket index (full rebuild)",
            Step::new(d, repo, &["index"]),
        )
        .solo()
        .budget(INDEX_MS),
    );
    notes.push(format!(
        "ticket used by show and comment: {} ({}, {} timeline files)",
        target.id,
        target.rel,
        md_files(repo, target.rel.trim_end_matches(".md")).len()
    ));
    notes.push(format!(
        "sla and report run with DOCKET_NOW={} (the generated desk's end)",
        desk_now()
    ));
    Ok(rows)
}

/// The Backlog.md project to time, when given and the CLI is installed.
fn backlog_dir(a: &RunArgs, notes: &mut Vec<String>) -> Option<PathBuf> {
    let d = a.backlog.as_ref()?;
    if crate::git::on_path("backlog").is_none() {
        notes.push("backlog (Backlog.md) is not on PATH: its rows are skipped".into());
        return None;
    }
    Some(d.clone())
}

/// A row that runs the same fixed command every time.
fn plain_row(group: &'static str, label: &str, step: Step) -> Row {
    Row::new(group, label, Box::new(move || Ok(vec![step.clone()])))
}

/// Times every row of one group: a warm-up round, then `runs` rounds, rows in turn. A
/// row whose command fails is marked failed (with why, also on stderr) and not run again.
fn time_group(rows: &mut [Row], idx: &[usize], runs: usize) -> Result<(), String> {
    for run in 0..=runs {
        let mut order = idx.to_vec();
        if run % 2 == 1 {
            order.reverse();
        }
        for &i in &order {
            if rows[i].failed.is_some() {
                continue;
            }
            let timed = (rows[i].make)()
                .map_err(|why| Failed {
                    command: rows[i].label.clone(),
                    why,
                })
                .and_then(|steps| run_steps(&steps));
            match timed {
                Ok((_, lines)) if run == 0 => rows[i].lines = lines,
                Ok((t, _)) => rows[i].times.push(t),
                Err(e) => {
                    eprintln!("  failed: {e}");
                    rows[i].failed = Some(e);
                }
            }
        }
    }
    for &i in idx {
        if rows[i].failed.is_none() {
            let steps = (rows[i].make)()?;
            rows[i].rss = peak_rss(&steps).unwrap_or_else(|e| {
                eprintln!("  peak RSS not measured: {e}");
                None
            });
        }
    }
    for &i in idx {
        if let Some(undo) = rows[i].cleanup.as_mut() {
            undo()?;
        }
    }
    Ok(())
}

/// Keeps the first occurrence of each item, in order.
fn dedup<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}
