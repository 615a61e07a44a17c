//! `docket-bench run`: times docket's commands against plain git (and ripgrep and
//! Backlog.md when installed) on one repository, and prints a Markdown table. The
//! repository gains a ticket and a comment per write run (from docket and from git); the
//! tickets the `rm` rows remove are made for them first, so those rows leave the desk as
//! it was.
//!
//! Rows come in groups; the first row of a group is its baseline, the nearest thing a
//! user could do with plain tools, and every row's ratio is against it (the groups of
//! one, finding duplicates and the full index rebuild, have no ratio). Within a group
//! the rows take turns run by run (the order flips every run), so each sees the same
//! machine state; one warm-up round is not counted. Peak RSS comes from one more run.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::measure::{Stats, Step, peak_rss, rss_available, run_steps};
use crate::rng::Rng;
use crate::write::{file_text, text};

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
            cleanup: None,
        }
    }
}

/// The ticket the runner reads and comments on, with text to reuse for writes.
struct Target {
    id: String,
    rel: String,
    title: String,
    body: String,
    comment: String,
}

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
        ),
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
    rows.push(plain_row(
        "show one ticket",
        "docket show ID",
        Step::new(d, repo, &["show", &t.id]),
    ));
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
    rows.push(plain_row(
        "resync after one changed file",
        &format!("docket search {} (nothing changed)", a.word),
        Step::new(d, repo, &["search", &a.word]),
    ));
    rows.push(hand_edit_row(d, repo, &a.word, target)?);
    rows.push(plain_row(
        "find duplicates",
        "docket dupes -n 20 (open tickets compared with each other)",
        Step::new(d, repo, &["dupes", "-n", "20"]),
    ));
    rows.push(plain_row(
        "rebuild the search index",
        "docket index (full rebuild)",
        Step::new(d, repo, &["index"]),
    ));
    notes.push(format!(
        "ticket used by show and comment: {} ({})",
        target.id, target.rel
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

/// Baseline of `docket new`: the runner writes a ticket file like the one docket
/// writes (untimed), then `git add FILE && git commit -m M` is timed.
fn git_new_row(repo: &Path, tickets: &str, target: &Target) -> Row {
    let repo = repo.to_path_buf();
    let tickets = tickets.to_string();
    let title = target.title.clone();
    let body = target.body.clone();
    let mut rng = Rng::new(now_secs() as u64);
    Row::new(
        "new ticket",
        "git add FILE && git commit -m M (new ticket file)",
        Box::new(move || {
            let (id, rel) = loop {
                let id = format!("T-{}", rng.crockford(10));
                let rel = format!("{tickets}/{}/{id}.md", &id[2..4]);
                if !repo.join(&rel).exists() {
                    break (id, rel);
                }
            };
            let file = file_text(
                &[
                    ("id", text(&id)),
                    ("title", text(&title)),
                    ("status", text("open")),
                    ("created", text(&crate::write::time(now_secs()))),
                    ("reporter", text(&author())),
                ],
                &body,
            )?;
            write_file(&repo.join(&rel), &file)?;
            Ok(add_commit(&repo, &rel, &message("new", &id, &title)))
        }),
    )
}

/// Baseline of `docket comment`: a comment file written by the runner, then timed
/// `git add FILE && git commit -m M`.
fn git_comment_row(repo: &Path, target: &Target) -> Row {
    let repo = repo.to_path_buf();
    let dir = target.rel.trim_end_matches(".md").to_string();
    let id = target.id.clone();
    let title = target.title.clone();
    let comment = target.comment.clone();
    let mut rng = Rng::new(now_secs() as u64 ^ 0x5eed);
    Row::new(
        "comment",
        "git add FILE && git commit -m M (new comment file)",
        Box::new(move || {
            let now = now_secs();
            let rel = format!(
                "{dir}/{}-alice-{}.md",
                crate::write::stamp(now),
                rng.crockford(4)
            );
            let file = file_text(
                &[
                    ("author", text(&author())),
                    ("created", text(&crate::write::time(now))),
                ],
                &comment,
            )?;
            write_file(&repo.join(&rel), &file)?;
            Ok(add_commit(&repo, &rel, &message("comment", &id, &title)))
        }),
    )
}

/// Tickets to remove: each call writes a new ticket with one comment and commits it with
/// git (untimed), so every timed `rm` removes a different ticket, made just for it.
struct Disposable {
    repo: PathBuf,
    tickets: String,
    title: String,
    body: String,
    comment: String,
    rng: Rng,
}

impl Disposable {
    fn new(repo: &Path, tickets: &str, target: &Target, seed: u64) -> Disposable {
        Disposable {
            repo: repo.to_path_buf(),
            tickets: tickets.to_string(),
            title: target.title.clone(),
            body: target.body.clone(),
            comment: target.comment.clone(),
            rng: Rng::new(now_secs() as u64 ^ seed),
        }
    }

    /// A new committed ticket: its id and its file's path.
    fn commit_one(&mut self) -> Result<(String, String), String> {
        let (id, rel) = loop {
            let id = format!("T-{}", self.rng.crockford(10));
            let rel = format!("{}/{}/{id}.md", self.tickets, &id[2..4]);
            if !self.repo.join(&rel).exists() {
                break (id, rel);
            }
        };
        let now = now_secs();
        let ticket = file_text(
            &[
                ("id", text(&id)),
                ("title", text(&self.title)),
                ("status", text("open")),
                ("created", text(&crate::write::time(now))),
                ("reporter", text(&author())),
            ],
            &self.body,
        )?;
        let comment_rel = format!(
            "{}/{}-alice-{}.md",
            rel.trim_end_matches(".md"),
            crate::write::stamp(now),
            self.rng.crockford(4)
        );
        let comment = file_text(
            &[
                ("author", text(&author())),
                ("created", text(&crate::write::time(now))),
            ],
            &self.comment,
        )?;
        write_file(&self.repo.join(&rel), &ticket)?;
        write_file(&self.repo.join(&comment_rel), &comment)?;
        crate::git::run(&self.repo, &["add", &rel, &comment_rel], &[])?;
        let msg = message("new", &id, &self.title);
        crate::git::run(&self.repo, &["commit", "-q", "-m", &msg], &[])?;
        Ok((id, rel))
    }
}

/// Baseline of `docket rm`: `git rm -r -q FILE DIR && git commit -m M` on a ticket with
/// one comment, made and committed (untimed) for the run.
fn git_rm_row(repo: &Path, tickets: &str, target: &Target) -> Row {
    let mut disposable = Disposable::new(repo, tickets, target, 0x0d15);
    Row::new(
        "remove a ticket",
        "git rm -r -q FILE DIR && git commit -m M (ticket and its comment)",
        Box::new(move || {
            let (id, rel) = disposable.commit_one()?;
            let repo = disposable.repo.clone();
            let msg = message("rm", &id, &disposable.title);
            Ok(vec![
                Step::new(
                    "git",
                    &repo,
                    &["rm", "-r", "-q", &rel, rel.trim_end_matches(".md")],
                ),
                Step::new("git", &repo, &["commit", "-m", &msg]),
            ])
        }),
    )
}

/// `docket rm ID` on a ticket with one comment, made and committed (untimed) for the
/// run: the link check through the index, then one commit.
fn docket_rm_row(docket: &Path, repo: &Path, tickets: &str, target: &Target) -> Row {
    let mut disposable = Disposable::new(repo, tickets, target, 0xd0c7);
    let docket = docket.to_path_buf();
    Row::new(
        "remove a ticket",
        "docket rm ID",
        Box::new(move || {
            let (id, _) = disposable.commit_one()?;
            Ok(vec![Step::new(&docket, &disposable.repo, &["rm", &id])])
        }),
    )
}

/// Baseline of `docket show`: `cat` of the ticket file and its comment files.
fn show_baseline_row(repo: &Path, target: &Target) -> Row {
    let repo = repo.to_path_buf();
    let rel = target.rel.clone();
    Row::new(
        "show one ticket",
        "cat FILE COMMENTS... (the raw files)",
        Box::new(move || {
            let mut args = vec![rel.clone()];
            args.extend(md_files(&repo, rel.trim_end_matches(".md")));
            Ok(vec![Step {
                program: "cat".into(),
                args,
                dir: repo.clone(),
            }])
        }),
    )
}

/// `docket search` right after the ticket file was rewritten in place by hand (untimed;
/// one line appended, a different one each run), so the search first reindexes it. The
/// file is put back after the group.
fn hand_edit_row(docket: &Path, repo: &Path, word: &str, target: &Target) -> Result<Row, String> {
    let path = repo.join(&target.rel);
    let original = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let step = Step::new(docket, repo, &["search", word]);
    let mut n = 0;
    let (p, text) = (path.clone(), original.clone());
    let mut row = Row::new(
        "resync after one changed file",
        format!("docket search {word} after a hand edit (in place) of one ticket"),
        Box::new(move || {
            n += 1;
            let mut f = fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&p)
                .map_err(|e| format!("{}: {e}", p.display()))?;
            write!(f, "{text}\nEdited by hand, round {n}.\n")
                .map_err(|e| format!("{}: {e}", p.display()))?;
            Ok(vec![step.clone()])
        }),
    );
    row.cleanup = Some(Box::new(move || write_file(&path, &original)));
    Ok(row)
}

/// A commit message in docket's grammar, so both sides write the same amount.
fn message(action: &str, id: &str, title: &str) -> String {
    format!(
        "docket: {action} {id} \"{}\"\n\nDocket-Ticket: {id}\nDocket-Action: {action}\n",
        title.replace('"', "'")
    )
}

/// `git add FILE` then `git commit -m M`: two processes, timed together.
fn add_commit(repo: &Path, rel: &str, msg: &str) -> Vec<Step> {
    vec![
        Step::new("git", repo, &["add", rel]),
        Step::new("git", repo, &["commit", "-m", msg]),
    ]
}

/// Times every row of one group: a warm-up round, then `runs` rounds, rows in turn.
fn time_group(rows: &mut [Row], idx: &[usize], runs: usize) -> Result<(), String> {
    for run in 0..=runs {
        let mut order = idx.to_vec();
        if run % 2 == 1 {
            order.reverse();
        }
        for &i in &order {
            let steps = (rows[i].make)()?;
            let (t, lines) = run_steps(&steps)?;
            if run == 0 {
                rows[i].lines = lines;
            } else {
                rows[i].times.push(t);
            }
        }
    }
    for &i in idx {
        let steps = (rows[i].make)()?;
        rows[i].rss = peak_rss(&steps)?;
    }
    for &i in idx {
        if let Some(undo) = rows[i].cleanup.as_mut() {
            undo()?;
        }
    }
    Ok(())
}

/// Machine, date and versions, so a table is never read without them.
fn print_header(a: &RunArgs, repo: &Path, target: &Target) {
    println!("machine: {}", machine());
    println!(
        "date: {}",
        crate::write::fmt(now_secs(), "%Y-%m-%d %H:%M UTC")
    );
    for (what, prog, args) in [
        ("docket", a.docket.display().to_string(), vec!["--version"]),
        ("git", "git".into(), vec!["--version"]),
        ("rg", "rg".into(), vec!["--version"]),
        ("backlog", "backlog".into(), vec!["--version"]),
    ] {
        if let Some(v) = version(&prog, &args) {
            println!("{what}: {v}");
        }
    }
    println!(
        "repository: {} ({} tickets, ticket id {})",
        repo.display(),
        count_tickets(repo).unwrap_or(0),
        target.id
    );
    println!("runs: {} per row after 1 warm-up, times in ms\n", a.runs);
}

/// How much slower the second row of a group is than its first (difference of medians).
fn extra_over_baseline(rows: &[Row], group: &str) -> Option<Duration> {
    let mut medians = rows
        .iter()
        .filter(|r| r.group == group)
        .filter_map(|r| Stats::of(&r.times));
    let base = medians.next()?.median;
    Some(medians.next()?.median.saturating_sub(base))
}

/// The table: median, min, max, ratio of medians to the group's first row, peak RSS,
/// and how many lines the command printed in its warm-up run.
fn print_table(rows: &[Row]) {
    println!(
        "| group | command | median ms | min ms | max ms | vs baseline | peak RSS MiB | output lines |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut base: Option<(&str, Duration)> = None;
    for r in rows {
        let Some(s) = Stats::of(&r.times) else {
            continue;
        };
        let alone = rows.iter().filter(|o| o.group == r.group).count() == 1;
        let ratio = match base {
            Some((g, b)) if g == r.group && !b.is_zero() => {
                format!("{:.2}", s.median.as_secs_f64() / b.as_secs_f64())
            }
            _ => {
                base = Some((r.group, s.median));
                if alone { "-" } else { "1.00 (baseline)" }.to_string()
            }
        };
        let rss = r
            .rss
            .map_or("n/a".to_string(), |k| format!("{:.1}", k as f64 / 1024.0));
        println!(
            "| {} | `{}` | {} | {} | {} | {} | {} | {} |",
            r.group,
            r.label,
            ms(s.median),
            ms(s.min),
            ms(s.max),
            ratio,
            rss,
            r.lines
        );
    }
    println!();
}

/// Milliseconds with one decimal below 100 ms.
fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1000.0;
    if v < 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

/// The ticket folder from the repository's docket config.
fn tickets_dir(repo: &Path) -> Result<String, String> {
    let path = repo.join(".docket/config.yaml");
    let text = fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (give a repository made by `docket-bench gen`)",
            path.display()
        )
    })?;
    let v: docket::doc::Value =
        docket::doc::parse_yaml(text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(v.get("paths")
        .and_then(|p| p.get("tickets"))
        .and_then(|t| t.as_str())
        .unwrap_or("support/tickets")
        .trim_end_matches('/')
        .to_string())
}

/// The given ticket, else the first (by path) with at least three comments.
fn pick_target(repo: &Path, tickets: &str, want: Option<&str>) -> Result<Target, String> {
    let mut shards = sorted_dirs(&repo.join(tickets))?;
    shards.retain(|s| s.len() == 2);
    for shard in shards {
        let rel_dir = format!("{tickets}/{shard}");
        for f in md_files(repo, &rel_dir) {
            let id = f
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".md")
                .to_string();
            let comments = md_files(repo, f.trim_end_matches(".md"));
            let fits = match want {
                Some(w) => id.eq_ignore_ascii_case(w),
                None => comments.len() >= 3,
            };
            if fits {
                return load_target(repo, id, f, comments.first());
            }
        }
    }
    Err(format!(
        "{}: no ticket {} under {tickets}",
        repo.display(),
        want.map_or("with three comments".to_string(), |w| format!("`{w}`"))
    ))
}

/// Reads the target's title, body and first comment (reused as the write payloads).
fn load_target(
    repo: &Path,
    id: String,
    rel: String,
    comment: Option<&String>,
) -> Result<Target, String> {
    let (front, body) = split_file(&repo.join(&rel))?;
    let title = front
        .get("title")
        .and_then(|t| t.as_str())
        .unwrap_or("A ticket")
        .to_string();
    let comment = match comment {
        Some(c) => split_file(&repo.join(c))?.1,
        None => "Thanks, we are looking into it.".to_string(),
    };
    Ok(Target {
        id,
        rel,
        title,
        body,
        comment,
    })
}

/// Frontmatter values and body of a generated file.
fn split_file(path: &Path) -> Result<(docket::doc::Mapping, String), String> {
    let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc =
        docket::doc::Document::parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    if !doc.has_frontmatter() {
        return Err(format!("{}: no frontmatter", path.display()));
    }
    Ok((doc.values().clone(), doc.body().trim().to_string()))
}

/// Names of the sub-folders of `dir`, sorted.
fn sorted_dirs(dir: &Path) -> Result<Vec<String>, String> {
    let rd = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out: Vec<String> = rd
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    Ok(out)
}

/// Repository-relative paths of the `.md` files directly in `rel_dir`, sorted.
fn md_files(repo: &Path, rel_dir: &str) -> Vec<String> {
    let Ok(rd) = fs::read_dir(repo.join(rel_dir)) else {
        return Vec::new();
    };
    let mut out: Vec<String> = rd
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("{rel_dir}/{n}"))
        .collect();
    out.sort();
    out
}

/// How many ticket files the repository has.
fn count_tickets(repo: &Path) -> Result<usize, String> {
    let tickets = tickets_dir(repo)?;
    Ok(sorted_dirs(&repo.join(&tickets))?
        .iter()
        .map(|s| md_files(repo, &format!("{tickets}/{s}")).len())
        .sum())
}

/// CPUs, CPU model and memory, from /proc.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or("unknown memory".to_string(), |k| {
            format!("{:.1} GiB", k / 1024.0 / 1024.0)
        });
    format!("{cpus} CPUs ({model}), {mem}")
}

/// The 1, 5 and 15 minute load averages: other work on the machine skews timings.
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

/// The first line a tool prints for `--version`, if it runs.
fn version(prog: &str, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new(prog)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(str::to_string)
}

/// Writes a file, creating its folder.
fn write_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `Name <email>` of the fixed identity.
fn author() -> String {
    format!("{} <{}>", crate::git::AUTHOR_NAME, crate::git::AUTHOR_EMAIL)
}

/// Seconds since the epoch, now.
fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
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
