//! What `run` prints: the header (machine, date, versions), and the table of medians,
//! ratios and budgets.

use std::fs;
use std::path::Path;
use std::time::Duration;

use super::target::count_tickets;
use super::writes::now_secs;
use super::{Row, RunArgs, Target};
use crate::measure::Stats;

/// Machine, date and versions, so a table is never read without them.
pub(super) fn print_header(a: &RunArgs, repo: &Path, target: &Target) {
    println!("machine: {}", machine());
    println!(
        "date: {}",
        crate::format::fmt(now_secs(), "%Y-%m-%d %H:%M UTC")
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
pub(super) fn extra_over_baseline(rows: &[Row], group: &str) -> Option<Duration> {
    let mut medians = rows
        .iter()
        .filter(|r| r.group == group)
        .filter_map(|r| Stats::of(&r.times));
    let base = medians.next()?.median;
    Some(medians.next()?.median.saturating_sub(base))
}

/// The table: median, min, max, ratio of medians to the group's baseline, the budget
/// and whether the median met it, peak RSS, and how many lines the command printed in
/// its warm-up run. A failed row says why in place of its times.
pub(super) fn print_table(rows: &[Row]) {
    println!(
        "| group | command | median ms | min ms | max ms | vs baseline | budget ms | peak RSS MiB | output lines |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in rows {
        let stats = Stats::of(&r.times);
        let budget = match (r.budget.map(|b| (b, b.as_millis())), &stats) {
            (None, _) => "-".to_string(),
            (Some((b, m)), Some(s)) if s.median <= b && r.failed.is_none() => format!("{m} (met)"),
            (Some((_, m)), Some(_)) if r.failed.is_none() => format!("{m} (over)"),
            (Some((_, m)), _) => format!("{m} (not run)"),
        };
        let Some(s) = stats.filter(|_| r.failed.is_none()) else {
            let why = r
                .failed
                .as_ref()
                .map_or("no timed runs".to_string(), |f| f.why.clone());
            println!(
                "| {} | `{}` | failed: {} | - | - | - | {budget} | - | - |",
                r.group,
                r.label,
                why.replace('|', "\\|")
            );
            continue;
        };
        let ratio = match baseline(rows, r) {
            None => "-".to_string(),
            Some(b) if std::ptr::eq(b, r) => "1.00 (baseline)".to_string(),
            Some(b) => match Stats::of(&b.times).filter(|_| b.failed.is_none()) {
                Some(bs) if !bs.median.is_zero() => {
                    format!("{:.2}", s.median.as_secs_f64() / bs.median.as_secs_f64())
                }
                _ => "-".to_string(),
            },
        };
        let rss = r
            .rss
            .map_or("n/a".to_string(), |k| format!("{:.1}", k as f64 / 1024.0));
        println!(
            "| {} | `{}` | {} | {} | {} | {} | {budget} | {} | {} |",
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

/// The baseline of a row's group: its first row, unless the group has one row or is
/// timed for itself.
fn baseline<'a>(rows: &'a [Row], r: &Row) -> Option<&'a Row> {
    let mut group = rows.iter().filter(|o| o.group == r.group);
    let first = group.next()?;
    (group.next().is_some() && !first.solo).then_some(first)
}

/// Milliseconds with one decimal below 100 ms.
pub(super) fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1000.0;
    if v < 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

/// CPUs, CPU model and memory, from /proc.
pub(super) fn machine() -> String {
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
pub(super) fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

/// The first line a tool prints for `--version`, if it runs.
pub(super) fn version(prog: &str, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new(prog)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(str::to_string)
}
