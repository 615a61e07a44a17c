//! `docket-bench`: builds realistic help-desk repositories from real prose and times
//! docket's commands on them against plain git (and ripgrep and Backlog.md).
//!
//! `gen` writes a docket repository (and optionally the same tickets as a Backlog.md
//! project) and commits it with the git CLI; `run` times whole processes and prints a
//! Markdown table. See BENCHMARKS.md for the measured numbers and how to reproduce them.

mod articles;
mod backlog;
mod calendar;
mod content;
mod corpus;
mod customers;
mod flow;
mod format;
mod git;
mod learn;
mod measure;
mod people;
mod plan;
mod policy;
mod rng;
mod run;
mod sim;
mod timeline;
mod write;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

/// Benchmarks for docket: generate a help desk, then time commands on it.
#[derive(Debug, Parser)]
#[command(name = "docket-bench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The two steps of a benchmark.
#[derive(Debug, Subcommand)]
enum Command {
    /// Generate a help-desk git repository from real prose.
    Gen(GenArgs),
    /// Time docket against plain git on a generated repository.
    Run(RunCli),
    /// Time triage's model (training, cache, one suggestion) on a generated repository.
    Learn(LearnArgs),
}

/// Arguments of `learn`.
#[derive(Debug, clap::Args)]
struct LearnArgs {
    /// The repository made by `gen`.
    #[arg(long)]
    repo: PathBuf,
    /// Runs of training and of loading the cache.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    runs: u64,
}

/// Arguments of `gen`.
#[derive(Debug, clap::Args)]
struct GenArgs {
    /// Number of tickets.
    #[arg(long, default_value_t = 1000)]
    tickets: usize,
    /// Average comments per ticket (about tickets × this in all: replies due after the
    /// desk's end are not written).
    #[arg(long, default_value_t = 3)]
    comments_per_ticket: usize,
    /// Number of KB articles.
    #[arg(long, default_value_t = 100)]
    articles: usize,
    /// New folder for the docket repository.
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator: the same seed gives the same repository.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The shared folder holding eval/ and corpora/ (the prose to draw from).
    #[arg(long, default_value = "../shared")]
    corpus: PathBuf,
    /// Also write the same tickets as a Backlog.md project in this new folder.
    #[arg(long, value_name = "DIR2")]
    backlog: Option<PathBuf>,
}

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
struct RunCli {
    /// The repository made by `gen` (it gains tickets and comments).
    #[arg(long)]
    repo: PathBuf,
    /// Counted runs per command, after one warm-up run.
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u64).range(1..))]
    runs: u64,
    /// The docket binary (default: `docket` next to this program, else on PATH).
    #[arg(long)]
    docket: Option<PathBuf>,
    /// The Backlog.md project made by `gen --backlog` (timed when `backlog` is on PATH).
    #[arg(long, value_name = "DIR2")]
    backlog: Option<PathBuf>,
    /// The word searched for by git grep, rg and backlog search.
    #[arg(long, default_value = "NameNode")]
    word: String,
    /// The ticket to show and comment on (default: the first with three comments).
    #[arg(long)]
    id: Option<String>,
}

/// Runs one subcommand; errors go to stderr with the path involved.
fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Gen(a) => generate(&a),
        Command::Run(a) => run::run(&run_args(a)),
        Command::Learn(a) => learn::learn(&a.repo, a.runs as usize),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("docket-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `gen`: plan from the corpus, write docket's repository, and Backlog.md's if asked.
fn generate(a: &GenArgs) -> Result<(), String> {
    let start = Instant::now();
    let corpus = corpus::Corpus::load(&a.corpus)?;
    eprintln!(
        "corpus: {} ticket sources, {} articles, {} answer paragraphs ({:.1} s)",
        corpus.tickets.len(),
        corpus.articles.len(),
        corpus.answer_paras.len(),
        start.elapsed().as_secs_f64()
    );
    let sizes = plan::Sizes {
        tickets: a.tickets,
        comments_per_ticket: a.comments_per_ticket,
        articles: a.articles,
    };
    let mut rng = rng::Rng::new(a.seed);
    let plan = plan::Plan::build(&corpus, sizes, &mut rng)?;
    eprintln!("plan: {:.1} s so far", start.elapsed().as_secs_f64());
    print_tally(&plan);
    let (files, bytes) = write::write_docket(&plan, &a.out)?;
    eprintln!(
        "docket: {} files, {:.1} MiB in {} ({:.1} s so far)",
        files,
        bytes as f64 / 1024.0 / 1024.0,
        a.out.display(),
        start.elapsed().as_secs_f64()
    );
    if let Some(dir) = &a.backlog {
        let n = backlog::write_backlog(&plan, dir)?;
        eprintln!("backlog: {n} tasks in {}", dir.display());
    }
    eprintln!("generated in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

/// The shape of the timelines, so a desk is never used without knowing it.
fn print_tally(plan: &plan::Plan) {
    let t = &plan.tally;
    let n = plan.tickets.len().max(1) as f64;
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    eprintln!(
        "timelines: {} customers, {} comments ({:.2} per ticket), {} events ({:.2} per ticket), \
         {} ratings; {} tickets open at the end ({:.1} %)",
        plan.customers.len(),
        t.comments,
        t.comments as f64 / n,
        t.events,
        t.events as f64 / n,
        t.ratings,
        t.open,
        pct(t.open, plan.tickets.len())
    );
    eprintln!(
        "SLA at the end: first reply past the target on {:.1} % of {} answered tickets, {} \
         of {} still waiting past it; resolution past the target on {:.1} % of {} closed \
         tickets; of {} open ones, {} past 3/4 of the resolution target, {} past all of it",
        pct(t.first_late, t.first_due),
        t.first_due,
        t.first_overdue,
        t.first_waiting,
        pct(t.resolved_late, t.resolved_due),
        t.resolved_due,
        t.open_due,
        t.open_at_risk,
        t.open_breached
    );
}

/// Resolves defaults of `run`.
fn run_args(a: RunCli) -> run::RunArgs {
    run::RunArgs {
        docket: a.docket.unwrap_or_else(default_docket),
        repo: a.repo,
        runs: a.runs as usize,
        backlog: a.backlog,
        word: a.word,
        id: a.id,
    }
}

/// `docket` next to this binary (target/release/), else whatever is on PATH.
fn default_docket() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("docket")))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("docket"))
}
