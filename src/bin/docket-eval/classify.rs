//! `--classify`: how well `triage` suggests a ticket's type. The training rows become
//! closed tickets of a temporary desk (files written by the store, with their type), the
//! desk's own `learner()` trains on them as `triage` would, and each test row gets the
//! type it suggests first. Prints precision, recall and F1 per class, then the last line
//! `accuracy 0.712 macro-F1 0.705`.
//!
//! `--classify-split ALL.csv DIR` writes the fixed hold-out and folds that BENCHMARKS.md
//! quotes: rows grouped by repository and label, each group ordered by a hash of its
//! creation time and title, the row at rank r going to fold r mod 5; fold 0 is the
//! hold-out (`DIR/holdout-train.csv`, `DIR/holdout-test.csv`), and `DIR/foldK-*.csv` are
//! the five folds of the cross-validation. `--classify-cv ALL.csv` runs those five folds
//! in process, each trained directly by the chosen approach (no desk), and prints each
//! fold's macro-F1, their mean and their standard deviation.

use std::collections::BTreeMap;
use std::path::Path;

use docket::desk::{Desk, Learner, Options};
use docket::doc::{Document, Value};
use docket::git::Repo;
use docket::model::TicketId;
use docket::store::Store;
use docket::support::classify::{Approach, Example, Model};

/// Folds of the cross-validation.
const FOLDS: usize = 5;

/// One issue of a CSV in the issue-types layout (repo, created_at, label, title, body).
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub struct Row {
    repo: String,
    created_at: String,
    label: String,
    title: String,
    body: String,
}

/// Reads a CSV in the issue-types layout.
pub fn read_rows(path: &Path) -> Result<Vec<Row>, String> {
    let mut r = csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    r.deserialize()
        .map(|row| row.map_err(|e| format!("{}: {e}", path.display())))
        .collect()
}

/// Trains on `train` (through a temporary desk unless an approach other than the
/// desk's is asked for), suggests a type for every row of `test` and prints the scores.
pub fn eval(train: &Path, test: &Path, approach: Option<Approach>) -> Result<(), String> {
    let train = read_rows(train)?;
    let test = read_rows(test)?;
    let start = std::time::Instant::now();
    let learner = match approach {
        Some(a) if a != Approach::default() => {
            let examples: Vec<Example> = train.iter().map(example).collect();
            Learner::from_model(Model::train_with(&examples, 5, a))
        }
        _ => desk_learner(&train)?,
    };
    eprintln!(
        "{}: trained on {} tickets in {:.2} s",
        learner.name(),
        train.len(),
        start.elapsed().as_secs_f64()
    );
    let pairs: Vec<(String, String)> = test
        .iter()
        .map(|r| {
            let g = learner.guess(&r.title, &r.body);
            let first = g.kind.first().map(|k| k.value.clone()).unwrap_or_default();
            (r.label.clone(), first)
        })
        .collect();
    print!("{}", report(&pairs));
    Ok(())
}

fn example(r: &Row) -> Example {
    Example {
        title: r.title.clone(),
        body: r.body.clone(),
        kind: Some(r.label.clone()),
        labels: Vec::new(),
    }
}

/// Writes the rows as closed tickets of a new desk and asks the desk for its learner.
fn desk_learner(rows: &[Row]) -> Result<Learner, String> {
    let tmp = tempfile::tempdir().map_err(|e| format!("temporary folder: {e}"))?;
    let repo = Repo::init(tmp.path()).map_err(|e| e.to_string())?;
    let store = Store::open(repo.workdir()).map_err(|e| e.to_string())?;
    let mut skipped = 0;
    for (i, r) in rows.iter().enumerate() {
        // Row i's id spells i in base 32, one character per 5 bits.
        let mut bytes = [0u8; docket::model::RANDOM_LEN];
        for (j, b) in bytes.iter_mut().rev().enumerate() {
            *b = ((i as u64 >> (5 * j).min(63)) & 31) as u8;
        }
        let id = TicketId::from_random(bytes);
        let doc = Document::create(
            &[
                ("id", Value::from(id.as_str())),
                ("title", Value::from(r.title.as_str())),
                ("status", Value::from("closed")),
                ("type", Value::from(r.label.as_str())),
                ("created", Value::from("2024-01-01T00:00:00Z")),
            ],
            &r.body,
        );
        // A body the store refuses (a NUL byte, conflict markers) is left out.
        match doc.map(|d| store.write(&store.ticket_rel(&id), d.text())) {
            Ok(Ok(_)) => {}
            _ => skipped += 1,
        }
    }
    if skipped > 0 {
        eprintln!("{skipped} training rows could not be written as tickets; left out");
    }
    let desk = Desk::open(repo.workdir(), Options::default()).map_err(|e| e.to_string())?;
    desk.learner().map_err(|e| e.to_string())
}

/// Precision, recall and F1 per class, then accuracy and macro-F1 (the last line).
pub fn report(pairs: &[(String, String)]) -> String {
    let mut classes: Vec<&str> = pairs.iter().map(|(g, _)| g.as_str()).collect();
    classes.sort_unstable();
    classes.dedup();
    let mut out = format!(
        "{:<16} {:>9} {:>6} {:>6} {:>7}\n",
        "class", "precision", "recall", "F1", "support"
    );
    let mut f1_sum = 0.0;
    for c in &classes {
        let count =
            |f: &dyn Fn(&str, &str) -> bool| pairs.iter().filter(|(g, p)| f(g, p)).count() as f64;
        let tp = count(&|g, p| g == *c && p == *c);
        let predicted = count(&|_, p| p == *c);
        let support = count(&|g, _| g == *c);
        let precision = if predicted > 0.0 { tp / predicted } else { 0.0 };
        let recall = if support > 0.0 { tp / support } else { 0.0 };
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        f1_sum += f1;
        out.push_str(&format!(
            "{c:<16} {precision:>9.3} {recall:>6.3} {f1:>6.3} {support:>7}\n"
        ));
    }
    let right = pairs.iter().filter(|(g, p)| g == p).count() as f64;
    let accuracy = right / (pairs.len().max(1) as f64);
    let macro_f1 = f1_sum / (classes.len().max(1) as f64);
    out.push_str(&format!("accuracy {accuracy:.3} macro-F1 {macro_f1:.3}\n"));
    out
}

/// The fold of each row (see the module comment).
pub fn folds(rows: &[Row]) -> Vec<usize> {
    let mut groups: BTreeMap<(&str, &str), Vec<(u64, usize)>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        let key = format!("{}\n{}", r.created_at, r.title);
        groups
            .entry((r.repo.as_str(), r.label.as_str()))
            .or_default()
            .push((fnv(key.as_bytes()), i));
    }
    let mut fold = vec![0; rows.len()];
    for members in groups.values_mut() {
        members.sort_unstable();
        for (rank, (_, i)) in members.iter().enumerate() {
            if let Some(f) = fold.get_mut(*i) {
                *f = rank % FOLDS;
            }
        }
    }
    fold
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Trains directly on four folds of `all` and tests on the fifth, for each of the five
/// folds; prints each fold's macro-F1, then `cv macro-F1 0.784 sd 0.022 (...)`.
pub fn cross_validate(all: &Path, approach: Option<Approach>) -> Result<(), String> {
    let rows = read_rows(all)?;
    let fold = folds(&rows);
    let approach = approach.unwrap_or_default();
    let mut scores = Vec::with_capacity(FOLDS);
    for k in 0..FOLDS {
        let train: Vec<Example> = rows
            .iter()
            .zip(&fold)
            .filter(|(_, f)| **f != k)
            .map(|(r, _)| example(r))
            .collect();
        let start = std::time::Instant::now();
        let model = Model::train_with(&train, 5, approach);
        let secs = start.elapsed().as_secs_f64();
        let pairs: Vec<(String, String)> = rows
            .iter()
            .zip(&fold)
            .filter(|(_, f)| **f == k)
            .map(|(r, _)| {
                let g = model.guess(&r.title, &r.body);
                let first = g.kind.first().map(|k| k.value.clone()).unwrap_or_default();
                (r.label.clone(), first)
            })
            .collect();
        let f1 = macro_f1(&pairs);
        eprintln!(
            "fold {k}: macro-F1 {f1:.3}, trained on {} in {secs:.2} s",
            train.len()
        );
        scores.push(f1);
    }
    let n = scores.len().max(1) as f64;
    let mean = scores.iter().sum::<f64>() / n;
    let sd = (scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
    let each: Vec<String> = scores.iter().map(|s| format!("{s:.3}")).collect();
    println!(
        "{}: cv macro-F1 {mean:.3} sd {sd:.3} ({})",
        approach.name(),
        each.join(" ")
    );
    Ok(())
}

/// The macro-F1 of (gold, predicted) pairs.
fn macro_f1(pairs: &[(String, String)]) -> f64 {
    report(pairs)
        .lines()
        .last()
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|f| f.parse().ok())
        .unwrap_or(0.0)
}

/// Writes the hold-out and the folds of `all` into `dir`.
pub fn split(all: &Path, dir: &Path) -> Result<(), String> {
    let rows = read_rows(all)?;
    let fold = folds(&rows);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for k in 0..FOLDS {
        let names = if k == 0 {
            vec!["holdout".to_string(), "fold0".to_string()]
        } else {
            vec![format!("fold{k}")]
        };
        for name in names {
            for (part, in_test) in [("train", false), ("test", true)] {
                let path = dir.join(format!("{name}-{part}.csv"));
                let mut w = csv::Writer::from_path(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                for (r, f) in rows.iter().zip(&fold) {
                    if (*f == k) == in_test {
                        w.serialize(r)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                    }
                }
                w.flush().map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    eprintln!(
        "wrote {} rows as a hold-out and {FOLDS} folds to {}",
        rows.len(),
        dir.display()
    );
    Ok(())
}
