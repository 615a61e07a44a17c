//! `learn`: times `triage`'s model on a generated desk, in process (there is no plain
//! tool to compare with): training from the closed tickets with no cache (the index
//! warm, as after any read), getting the model when the cache is valid, and one
//! suggestion for an open ticket's text. Prints Markdown rows like `run`'s.

use std::path::Path;
use std::time::{Duration, Instant};

use docket::desk::{Desk, Learner, Options};
use docket::index::{Quiet, StatusFilter};

/// Open tickets whose text is suggested for.
const SUGGESTIONS: usize = 200;

/// Training and suggestion times on the desk at `repo`, `runs` times each.
pub fn learn(repo: &Path, runs: usize) -> Result<(), String> {
    let desk = Desk::open(repo, Options::default()).map_err(|e| e.to_string())?;
    let cache = Learner::cache_path(desk.repo().git_dir());
    let closed = desk.store().config().workflow.closed.clone();
    let open = desk
        .with_index(&Quiet, |idx| {
            idx.ticket_texts(&StatusFilter::NoneOf(closed.clone()))
        })
        .map_err(|e| e.to_string())?
        .value;
    let mut cold = Vec::new();
    let mut learner = Learner::default();
    for _ in 0..runs.max(1) {
        let _ = std::fs::remove_file(&cache);
        let start = Instant::now();
        learner = desk.learner().map_err(|e| e.to_string())?;
        cold.push(start.elapsed());
        if learner.cached() {
            return Err("the model came from a cache that was just removed".into());
        }
    }
    let mut warm = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let l = desk.learner().map_err(|e| e.to_string())?;
        warm.push(start.elapsed());
        if !l.cached() {
            return Err("the model was trained again on an unchanged desk".into());
        }
    }
    let mut one = Vec::new();
    for t in open.iter().take(SUGGESTIONS) {
        let start = Instant::now();
        let g = learner.guess(&t.title, &t.body);
        one.push(start.elapsed());
        std::hint::black_box(g);
    }
    let size = std::fs::metadata(&cache).map_or(0, |m| m.len());
    println!("| step | median ms | min ms | max ms | runs |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    row(
        &format!(
            "train on {} closed tickets, no cache (`{}`)",
            learner.examples(),
            learner.name()
        ),
        &mut cold,
    );
    row("model from the cache (closed tickets unchanged)", &mut warm);
    row("one suggestion (an open ticket's title and body)", &mut one);
    println!(
        "- cache file: {:.1} MiB at {}",
        size as f64 / 1024.0 / 1024.0,
        cache.display()
    );
    Ok(())
}

fn row(label: &str, times: &mut [Duration]) {
    times.sort_unstable();
    let ms = |d: Option<&Duration>| d.map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    println!(
        "| {label} | {:.3} | {:.3} | {:.3} | {} |",
        ms(times.get(times.len() / 2)),
        ms(times.first()),
        ms(times.last()),
        times.len()
    );
}
