//! docket-eval: measures how well docket matches tickets, on a labelled folder in the
//! layout of `shared/eval/README.md` (kb/, tickets/, queries.txt, collection.txt,
//! gold.tsv). The folder is loaded into a temporary docket repository through the normal
//! code path (files written by the store, indexed by the index's own sync), then every
//! query ticket is matched: `suggest` when the collection holds KB articles, the similar
//! earlier tickets otherwise. Prints R@5, R@10, MRR@10 and nDCG@10; the last line is
//! `R@5 0.912 R@10 0.950 MRR@10 0.801 nDCG@10 0.842`.
//!
//! `--history DIR2` first loads the tickets of DIR2 as closed tickets linked
//! (`links.articles`) to their gold articles, so evidence from history is measured.
//!
//! `--dupes` measures `dupes` instead, on a ticket-to-ticket set: the pairs it lists among
//! all tickets, best first, against the gold pairs (a query and each relevant ticket, in
//! either order). Prints how many gold pairs are among the top 50, 100, 200, 500 and 1000
//! pairs; the last line is `dupes gold pairs 70: top50 12 top100 20 top200 ...`.
//!
//! `--classify TRAIN.csv TEST.csv` measures `triage`'s type suggestions instead (see
//! `classify`); the last line is `accuracy 0.712 macro-F1 0.705`. `--classify-split
//! ALL.csv DIR` writes the hold-out and folds it is measured on; `--classify-cv ALL.csv`
//! runs the five folds in process, trained directly, and prints their mean and spread.

#[path = "docket-eval/classify.rs"]
mod classify;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use docket::doc::Document;
use docket::git::Repo;
use docket::index::{QueryDoc, Quiet, SearchIndex, StatusFilter};
use docket::model::TicketId;
use docket::store::Store;

/// Measures how well docket matches tickets on a labelled folder (see `docs/EVAL.md`).
#[derive(Debug, clap::Parser)]
#[command(name = "docket-eval", version)]
struct Args {
    /// The labelled folder: kb/, tickets/, queries.txt, collection.txt, gold.tsv
    #[arg(required_unless_present_any = ["classify", "classify_split", "classify_cv"])]
    dir: Option<PathBuf>,
    /// Measure triage's type suggestions: train on TRAIN.csv, suggest for TEST.csv
    #[arg(long, num_args = 2, value_names = ["TRAIN.csv", "TEST.csv"], conflicts_with = "dir")]
    classify: Option<Vec<PathBuf>>,
    /// With --classify or --classify-cv: another approach than the desk's (trained without a desk)
    #[arg(long, value_name = "NAME")]
    approach: Option<docket::support::classify::Approach>,
    /// Cross-validate triage's type suggestions on the five folds of ALL.csv
    #[arg(long, value_name = "ALL.csv", conflicts_with_all = ["dir", "classify", "classify_split"])]
    classify_cv: Option<PathBuf>,
    /// Write the hold-out and the folds of ALL.csv into DIR
    #[arg(long, num_args = 2, value_names = ["ALL.csv", "DIR"], conflicts_with_all = ["dir", "classify"])]
    classify_split: Option<Vec<PathBuf>>,
    /// Load the tickets of this folder first, as closed tickets linked to their gold articles
    #[arg(long, value_name = "DIR2")]
    history: Option<PathBuf>,
    /// Measure `dupes` (pairs among all tickets) instead of matching each query
    #[arg(long)]
    dupes: bool,
}

fn main() -> ExitCode {
    let args = <Args as clap::Parser>::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!(
                "hint: docket-eval DIR [--history DIR2 | --dupes], \
                 docket-eval --classify TRAIN.csv TEST.csv [--approach NAME], \
                 docket-eval --classify-cv ALL.csv [--approach NAME] \
                 or docket-eval --classify-split ALL.csv DIR"
            );
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let Args {
        dir,
        history,
        dupes,
        classify,
        approach,
        classify_split,
        classify_cv,
    } = args;
    if let Some(all) = classify_cv {
        return classify::cross_validate(all, *approach);
    }
    if let Some([train, test]) = classify.as_deref() {
        return classify::eval(train, test, *approach);
    }
    if let Some([all, out]) = classify_split.as_deref() {
        return classify::split(all, out);
    }
    let Some(dir) = dir else {
        return Err("no labelled folder given".into());
    };
    let set = EvalSet::read(dir)?;
    let tmp = tempfile::tempdir().map_err(|e| format!("temporary folder: {e}"))?;
    let repo = Repo::init(tmp.path()).map_err(|e| e.to_string())?;
    let store = Store::open(repo.workdir()).map_err(|e| e.to_string())?;
    let kb_slugs = load_kb(&store, dir)?;
    let tickets = load_tickets(&store, dir, None)?;
    if let Some(h) = history {
        let hist = EvalSet::read(h)?;
        load_tickets(&store, h, Some(&hist.gold))?;
    }
    let start = std::time::Instant::now();
    let idx =
        SearchIndex::open_fresh(&store, repo.git_dir(), &Quiet, None).map_err(|e| e.to_string())?;
    eprintln!("indexed in {:.2} s", start.elapsed().as_secs_f64());
    if *dupes {
        return eval_dupes(&idx, &set);
    }
    let collection: BTreeSet<&str> = set.collection.iter().map(String::as_str).collect();
    let kb_task = set.collection.iter().any(|c| kb_slugs.contains_key(c));
    let mut totals = [0.0f64; 4];
    for qid in &set.queries {
        let Some(rel) = tickets.get(qid) else {
            return Err(format!("query {qid} has no ticket file"));
        };
        let t = store.load_ticket(rel).map_err(|e| e.to_string())?;
        let q = QueryDoc::of(&store.ticket_text(&t).map_err(|e| e.to_string())?);
        let ranked: Vec<String> = if kb_task {
            let s = idx.suggest(&q, 10).map_err(|e| e.to_string())?;
            s.articles
                .iter()
                .filter_map(|m| kb_slugs.get(&m.id).cloned().or(Some(m.id.clone())))
                .collect()
        } else {
            idx.similar_tickets(&q, 200)
                .map_err(|e| e.to_string())?
                .into_iter()
                .map(|m| m.id)
                .filter(|id| collection.contains(id.as_str()) && id != qid)
                .take(10)
                .collect()
        };
        let gold = set.gold.get(qid).cloned().unwrap_or_default();
        let m = metrics(&ranked, &gold);
        for (t, v) in totals.iter_mut().zip(m) {
            *t += v;
        }
    }
    let n = set.queries.len().max(1) as f64;
    println!(
        "{} queries, {} candidates ({})",
        set.queries.len(),
        set.collection.len(),
        if kb_task { "KB articles" } else { "tickets" }
    );
    println!(
        "R@5 {:.3} R@10 {:.3} MRR@10 {:.3} nDCG@10 {:.3}",
        totals[0] / n,
        totals[1] / n,
        totals[2] / n,
        totals[3] / n
    );
    Ok(())
}

/// How many gold pairs `dupes` lists among its best pairs, at a few cut-offs.
fn eval_dupes(idx: &SearchIndex, set: &EvalSet) -> Result<(), String> {
    const CUTS: [usize; 5] = [50, 100, 200, 500, 1000];
    let start = std::time::Instant::now();
    let pairs = idx
        .dupes(&StatusFilter::Any, CUTS[CUTS.len() - 1], 0.0)
        .map_err(|e| e.to_string())?;
    eprintln!(
        "{} pairs in {:.2} s",
        pairs.len(),
        start.elapsed().as_secs_f64()
    );
    let unordered = |a: &str, b: &str| {
        if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    };
    let gold: BTreeSet<(String, String)> = set
        .gold
        .iter()
        .flat_map(|(q, docs)| {
            docs.iter()
                .filter(|(_, r)| **r >= 1)
                .map(|(d, _)| unordered(q, d))
        })
        .collect();
    let found: Vec<bool> = pairs
        .iter()
        .map(|p| gold.contains(&unordered(&p.original, &p.duplicate)))
        .collect();
    let counts: Vec<String> = CUTS
        .iter()
        .map(|&k| {
            let n = found.iter().take(k).filter(|f| **f).count();
            format!("top{k} {n}")
        })
        .collect();
    println!("dupes gold pairs {}: {}", gold.len(), counts.join(" "));
    Ok(())
}

/// R@5, R@10, MRR@10 and nDCG@10 of one ranking.
fn metrics(ranked: &[String], gold: &BTreeMap<String, u32>) -> [f64; 4] {
    let relevant = gold.values().filter(|r| **r >= 1).count().max(1) as f64;
    let hits_at = |k: usize| {
        ranked
            .iter()
            .take(k)
            .filter(|d| gold.get(*d).is_some_and(|r| *r >= 1))
            .count() as f64
    };
    let mrr = ranked
        .iter()
        .take(10)
        .position(|d| gold.get(d).is_some_and(|r| *r >= 1))
        .map_or(0.0, |i| 1.0 / (i as f64 + 1.0));
    let gain = |r: u32| 2f64.powi(r as i32) - 1.0;
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, d)| gain(*gold.get(d).unwrap_or(&0)) / (i as f64 + 2.0).log2())
        .sum();
    let mut ideal: Vec<u32> = gold.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, r)| gain(*r) / (i as f64 + 2.0).log2())
        .sum();
    [
        hits_at(5) / relevant,
        hits_at(10) / relevant,
        mrr,
        if idcg > 0.0 { dcg / idcg } else { 0.0 },
    ]
}

/// The lists of one evaluation folder.
struct EvalSet {
    queries: Vec<String>,
    collection: Vec<String>,
    gold: HashMap<String, BTreeMap<String, u32>>,
}

impl EvalSet {
    fn read(dir: &Path) -> Result<EvalSet, String> {
        let lines = |name: &str| -> Result<Vec<String>, String> {
            let p = dir.join(name);
            Ok(std::fs::read_to_string(&p)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect())
        };
        let mut gold: HashMap<String, BTreeMap<String, u32>> = HashMap::new();
        for (i, line) in lines("gold.tsv")?.iter().enumerate().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [q, d, r] = cols.as_slice() else {
                return Err(format!("gold.tsv:{}: expected three columns", i + 1));
            };
            let r: u32 = r
                .parse()
                .map_err(|_| format!("gold.tsv:{}: relevance `{r}` is not a number", i + 1))?;
            gold.entry(q.to_string())
                .or_default()
                .insert(d.to_string(), r);
        }
        Ok(EvalSet {
            queries: lines("queries.txt")?,
            collection: lines("collection.txt")?,
            gold,
        })
    }
}

/// Writes the KB articles; returns slug to the article's own id.
fn load_kb(store: &Store, dir: &Path) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    let kb = dir.join("kb");
    let Ok(rd) = std::fs::read_dir(&kb) else {
        return Ok(out);
    };
    let kb_rel = store.config().paths.kb.trim_end_matches('/').to_string();
    for e in rd.filter_map(Result::ok) {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let doc =
            Document::parse(text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = doc
            .get(&["id"])
            .and_then(|v| v.as_str())
            .map_or(stem.clone(), str::to_string);
        store
            .write(&format!("{kb_rel}/{stem}.md"), &text)
            .map_err(|e| e.to_string())?;
        out.insert(stem, id);
    }
    Ok(out)
}

/// Writes the tickets where docket keeps them; returns id to path. With `linked`, each
/// ticket is written closed and linked to its gold articles (history), under a new id.
fn load_tickets(
    store: &Store,
    dir: &Path,
    linked: Option<&HashMap<String, BTreeMap<String, u32>>>,
) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    let rd =
        std::fs::read_dir(dir.join("tickets")).map_err(|e| format!("{}: {e}", dir.display()))?;
    for e in rd.filter_map(Result::ok) {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let doc =
            Document::parse(text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
        let Some(id) = doc.get(&["id"]).and_then(docket_scalar) else {
            return Err(format!("{}: no id", path.display()));
        };
        let (id, text) = match linked {
            None => (id, text),
            Some(gold) => {
                let new_id = format!("T-H{}", id.trim_start_matches("T-"));
                let articles: Vec<docket::doc::Value> = gold
                    .get(&id)
                    .map(|g| {
                        g.keys()
                            .map(|k| docket::doc::Value::from(k.as_str()))
                            .collect()
                    })
                    .unwrap_or_default();
                let mut links = docket::doc::Mapping::new();
                links.insert("articles".into(), docket::doc::Value::Sequence(articles));
                let get = |k: &str| doc.get(&[k]).cloned().unwrap_or(docket::doc::Value::Null);
                let d = Document::create(
                    &[
                        ("id", docket::doc::Value::from(new_id.as_str())),
                        ("title", get("title")),
                        ("status", "closed".into()),
                        ("created", get("created")),
                        ("links", docket::doc::Value::Mapping(links)),
                    ],
                    doc.body(),
                )
                .map_err(|e| format!("{}: {e}", path.display()))?;
                (new_id, d.text().to_string())
            }
        };
        let tid: TicketId = id
            .parse()
            .map_err(|e| format!("{}: id `{id}`: {e}", path.display()))?;
        let rel = store.ticket_rel(&tid);
        store.write(&rel, &text).map_err(|e| e.to_string())?;
        out.insert(id, rel);
    }
    Ok(out)
}

fn docket_scalar(v: &docket::doc::Value) -> Option<String> {
    match v {
        docket::doc::Value::String(s) => Some(s.clone()),
        docket::doc::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
