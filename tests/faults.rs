//! The fault harness: it kills docket writers at random moments, runs writers and readers at
//! once, damages the search index and holds git's `index.lock`, and checks with the git CLI
//! that no acknowledged change was lost, nothing was left behind and no lock blocks.
//!
//! `cargo test` runs it small. `scripts/fault-soak` runs it large against the release binary.
//! Sizes and the seed come from the environment:
//!
//! | variable | default | meaning |
//! | --- | --- | --- |
//! | `DOCKET_FAULT_SEED` | time | seed of every random choice (printed; set it to repeat a run) |
//! | `DOCKET_FAULT_ROUNDS` | 8 | kills per signal (SIGKILL, SIGTERM, SIGINT) |
//! | `DOCKET_FAULT_CONCURRENT_ROUNDS` | 12 | commands per process, 8 processes at once |
//! | `DOCKET_FAULT_DAMAGE_ROUNDS` | 9 | index damages (half between writes, half during one) |
//! | `DOCKET_FAULT_MAX_DELAY_MS` | 40 | most kills land 0 to this many ms after the start |
//! | `DOCKET_FAULT_LATE_DELAY_MS` | 250 | the other quarter land up to this late |
//! | `DOCKET_FAULT_PROMPT_MS` | 5000 | the command after a kill must finish within this |
//! | `DOCKET_FAULT_LOCK_LIMIT_MS` | 5000 | a write against a held git lock must fail within this |
//! | `DOCKET_FAULT_STOP_AFTER` | 3 | a kill loop stops after this many failing rounds (0: never) |
//! | `DOCKET_FAULT_BIN` | this build's `docket` | the binary under test |
//!
//! Each section prints one `faults: ...` summary line (visible with `--nocapture`) and then
//! fails with every violation found: which check, after which commands, what git said.

#[path = "faults/checks.rs"]
mod checks;
mod common;
#[path = "faults/model.rs"]
mod model;
#[path = "common/process.rs"]
mod process;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use checks::Tally;
use common::Repo;
use model::{Desk, Op};
use process::{Ending, Finished, Sig};

/// Sizes and limits, from `DOCKET_FAULT_*` variables.
struct Config {
    seed: u64,
    rounds: usize,
    concurrent_rounds: usize,
    damage_rounds: usize,
    max_delay: Duration,
    late_delay: Duration,
    prompt: Duration,
    lock_limit: Duration,
    stop_after: usize,
    bin: PathBuf,
}

/// Deadline for a command that should simply finish: long enough for a busy debug build.
const HANG: Duration = Duration::from_secs(90);

fn var<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a valid value")),
        Err(_) => default,
    }
}

impl Config {
    fn from_env() -> Config {
        let clock = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_nanos() as u64;
        let ms = |name, default| Duration::from_millis(var(name, default));
        Config {
            seed: var("DOCKET_FAULT_SEED", clock % 1_000_000),
            rounds: var("DOCKET_FAULT_ROUNDS", 8),
            concurrent_rounds: var("DOCKET_FAULT_CONCURRENT_ROUNDS", 12),
            damage_rounds: var("DOCKET_FAULT_DAMAGE_ROUNDS", 9),
            max_delay: ms("DOCKET_FAULT_MAX_DELAY_MS", 40),
            late_delay: ms("DOCKET_FAULT_LATE_DELAY_MS", 250),
            prompt: ms("DOCKET_FAULT_PROMPT_MS", 5000),
            lock_limit: ms("DOCKET_FAULT_LOCK_LIMIT_MS", 5000),
            stop_after: var("DOCKET_FAULT_STOP_AFTER", 3),
            bin: std::env::var_os("DOCKET_FAULT_BIN")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_docket"))),
        }
    }

    /// A generator for one section, so sections repeat independently under one seed.
    fn rng(&self, section: u64) -> fastrand::Rng {
        fastrand::Rng::with_seed(self.seed.wrapping_mul(1_000_003).wrapping_add(section))
    }
}

/// A fresh repository set up with `docket init`.
fn desk() -> Repo {
    let repo = Repo::new();
    docket_ok(&repo, &Config::from_env().bin, &["init"]);
    repo
}

fn docket(repo: &Repo, bin: &Path, args: &[&str], deadline: Duration) -> Finished {
    process::run(repo.command(bin, args), deadline)
}

#[track_caller]
fn docket_ok(repo: &Repo, bin: &Path, args: &[&str]) -> Finished {
    let f = docket(repo, bin, args, HANG);
    assert!(
        f.ok(),
        "docket {} failed during set-up: {}\n{}",
        args.join(" "),
        f.describe(),
        f.transcript()
    );
    f
}

fn str_args(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

// ---------------------------------------------------------------------------------------
// 1. Kill loop
// ---------------------------------------------------------------------------------------

/// What happened to the kills of one signal.
#[derive(Default)]
struct KillFigures {
    rounds: usize,
    sent: usize,
    died: usize,
    exited_nonzero: usize,
    finished_first: usize,
    slowest_next: Duration,
}

#[test]
fn killed_writers_lose_no_acknowledged_change_and_leave_nothing_behind() {
    let cfg = Config::from_env();
    let mut failures = Vec::new();
    for (n, sig) in Sig::ALL.into_iter().enumerate() {
        let mut tally = Tally::new(&format!("kill {}", sig.name()));
        let figures = kill_loop(&cfg, sig, cfg.rng(10 + n as u64), &mut tally);
        eprintln!(
            "faults: kill {}: {} kills, {} landed mid-command ({} died by the signal, {} exited non-zero), {} finished first; {} lost, {} violations in {} rounds{}; slowest next command {} ms (seed {})",
            sig.name(),
            figures.rounds,
            figures.sent,
            figures.died,
            figures.exited_nonzero,
            figures.finished_first,
            tally.lost,
            tally.violations,
            tally.failing_rounds,
            stopped_note(&cfg, figures.rounds, cfg.rounds),
            figures.slowest_next.as_millis(),
            cfg.seed
        );
        failures.push(tally);
    }
    for tally in &failures {
        tally.assert_none();
    }
}

/// Says that a section stopped early, and how to make it run every round.
fn stopped_note(cfg: &Config, done: usize, planned: usize) -> String {
    match done < planned {
        true => format!(
            " (stopped after {} failing rounds of {planned}; DOCKET_FAULT_STOP_AFTER=0 runs all)",
            cfg.stop_after
        ),
        false => String::new(),
    }
}

fn kill_loop(cfg: &Config, sig: Sig, mut rng: fastrand::Rng, tally: &mut Tally) -> KillFigures {
    let repo = desk();
    let mut model = Desk::default();
    let mut figures = KillFigures::default();
    for _ in 0..4 {
        let op = model.new_op();
        let f = docket_ok(&repo, &cfg.bin, &str_args(&op.args()));
        model.apply(&op, true, &f.stdout);
    }
    for round in 1..=cfg.rounds {
        if tally.enough(cfg.stop_after) {
            break;
        }
        figures.rounds += 1;
        let before = tally.violations;
        kill_round(
            cfg,
            &repo,
            &mut model,
            sig,
            round,
            &mut rng,
            tally,
            &mut figures,
        );
        if tally.violations > before {
            checks::repair_by_hand(&repo);
        }
    }
    figures
}

#[allow(clippy::too_many_arguments)]
fn kill_round(
    cfg: &Config,
    repo: &Repo,
    model: &mut Desk,
    sig: Sig,
    round: usize,
    rng: &mut fastrand::Rng,
    tally: &mut Tally,
    figures: &mut KillFigures,
) {
    let (mut problems, mut lost) = (Vec::new(), Vec::new());
    let op = model.any_op(rng);
    let delay = if rng.u32(..4) == 0 {
        rand_between(rng, cfg.max_delay, cfg.late_delay)
    } else {
        rand_between(rng, Duration::ZERO, cfg.max_delay)
    };
    let mut started = process::start(repo.command(&cfg.bin, &str_args(&op.args())));
    started.signal_after(delay, sig);
    let killed = started.finish(HANG);
    match (killed.signalled_at, killed.ending) {
        (None, _) => figures.finished_first += 1,
        (Some(_), Ending::Signalled(_)) => {
            figures.sent += 1;
            figures.died += 1;
        }
        (Some(_), _) => {
            figures.sent += 1;
            figures.exited_nonzero += usize::from(!killed.ok());
        }
    }
    let when = match killed.signalled_at {
        Some(at) => format!("{} sent at {:.1} ms", sig.name(), at.as_secs_f64() * 1e3),
        None => format!(
            "finished before the {} planned at {} ms",
            sig.name(),
            delay.as_millis()
        ),
    };
    let mut context = format!(
        "kill {} round {round}/{} (DOCKET_FAULT_SEED={}): `{}` {when}: {}",
        sig.name(),
        cfg.rounds,
        cfg.seed,
        op.shell(),
        killed.describe()
    );
    if !killed.ok() && !killed.stderr.trim().is_empty() {
        context.push_str(&format!("\n    stderr: {}", killed.stderr.trim_end()));
    }
    problems.extend(model.apply(&op, killed.ok(), &killed.stdout));
    if killed.ok() {
        // Acknowledged before the signal landed: it must be in HEAD now, not only after the
        // next command has had a chance to repair it.
        for l in model.check(&repo.tree_files("HEAD")) {
            lost.push(format!("{} (checked before the next command)", l.0));
        }
    }
    let locks_before = checks::leftover_git_locks(&repo.root);
    let locks_described = describe_locks(&repo.root, &locks_before);
    let own_locks = docket_lock_files(&repo.root);
    let status_before = repo
        .git(&["status", "--porcelain", "--untracked-files=all"])
        .stdout;

    // The next docket command: half the time the user simply runs the interrupted one again.
    let next = if op.repeatable() && rng.bool() {
        op.clone()
    } else {
        model.safe_op(rng)
    };
    let after = docket(repo, &cfg.bin, &str_args(&next.args()), cfg.prompt);
    figures.slowest_next = figures.slowest_next.max(after.elapsed);
    if !locks_before.is_empty() {
        context.push_str(&format!(
            "\n  git lock files left by it: {}",
            locks_described
        ));
    }
    if !own_locks.is_empty() {
        context.push_str(&format!(
            "\n  docket's lock files after it (may be kernel locks that stay): {own_locks:?}"
        ));
    }
    if !status_before.is_empty() {
        context.push_str(&format!(
            "\n  git status --porcelain after it:\n{}",
            status_before.trim_end()
        ));
    }
    context.push_str(&format!(
        "\n  next `{}`: {}\n{}",
        next.shell(),
        after.describe(),
        after.transcript()
    ));
    if after.ending == Ending::TimedOut {
        problems.push(format!(
            "the next docket command did not finish within {} ms: it waits on something the interrupted one left",
            cfg.prompt.as_millis()
        ));
    } else if !after.ok() {
        problems.push(
            "the next docket command failed (on a lock or state the interrupted one left?)".into(),
        );
    }
    problems.extend(model.apply(&next, after.ok(), &after.stdout));

    let locks = checks::leftover_git_locks(&repo.root);
    if !locks.is_empty() {
        problems.push(format!(
            "git lock files left after the next command: {locks:?}"
        ));
    }
    problems.extend(checks::fsck(repo));
    let status = repo
        .git(&["status", "--porcelain", "--untracked-files=all"])
        .stdout;
    if !checks::status_leftovers(&status, &after.stderr).is_empty() {
        problems.push(format!(
            "git status --porcelain after the next command shows what docket left behind (neither repaired nor reported):\n{}",
            status.trim_end()
        ));
    }
    lost.extend(
        model
            .check(&repo.tree_files("HEAD"))
            .into_iter()
            .map(|l| l.0),
    );
    let (deleted, note) = checks::user_commit_deletes(repo);
    if !deleted.is_empty() {
        lost.push(format!(
            "a plain `git commit -a` by the user deleted {} file(s) HEAD had: {deleted:?} ({note}; undone to go on)",
            deleted.len()
        ));
    }
    tally.round(&context, problems, lost);
}

/// Lock files with their content (a ref lock holds a commit id; an empty one was taken and
/// not yet written), so a message tells whose lock it could be.
fn describe_locks(root: &Path, locks: &[String]) -> String {
    let described: Vec<String> = locks
        .iter()
        .map(|l| match std::fs::read(root.join(l)) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]).into_owned();
                format!("{l} ({} bytes: {text:?})", bytes.len())
            }
            Err(e) => format!("{l} (unreadable: {e})"),
        })
        .collect();
    described.join(", ")
}

/// The `*.lock` files in `.git/docket`, where docket keeps its own write lock.
fn docket_lock_files(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root.join(".git/docket"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lock"))
        .map(|n| format!(".git/docket/{n}"))
        .collect();
    v.sort();
    v
}

fn rand_between(rng: &mut fastrand::Rng, lo: Duration, hi: Duration) -> Duration {
    let (lo, hi) = (lo.as_micros() as u64, hi.as_micros() as u64);
    Duration::from_micros(if hi > lo { rng.u64(lo..hi) } else { lo })
}

// ---------------------------------------------------------------------------------------
// 2. Concurrent writers and readers
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Role {
    New,
    Comment,
    Set,
    Search,
    List,
}

/// What the concurrent processes share: acknowledged changes and failures.
#[derive(Default)]
struct Shared {
    created: Vec<(String, String)>,
    comments: Vec<(String, String)>,
    priorities: BTreeMap<String, String>,
    failures: Vec<String>,
    writes: usize,
    reads: usize,
}

#[test]
fn concurrent_writers_and_readers_never_fail_and_lose_nothing() {
    let cfg = Config::from_env();
    let repo = desk();
    let seeds: Vec<(String, String)> = (0..6)
        .map(|i| {
            let word = format!("zs{i}seed");
            let f = docket_ok(
                &repo,
                &cfg.bin,
                &["new", "--title", &format!("Seed {word}"), "--body", "x"],
            );
            (f.stdout.trim().to_string(), word)
        })
        .collect();
    // Build the index before the race, as any earlier command would have.
    docket_ok(&repo, &cfg.bin, &["search", "seed"]);
    let roles = [
        Role::New,
        Role::New,
        Role::Comment,
        Role::Comment,
        Role::Set,
        Role::Search,
        Role::Search,
        Role::List,
    ];
    let shared = Mutex::new(Shared::default());
    let t0 = std::time::Instant::now();
    std::thread::scope(|s| {
        for (t, role) in roles.into_iter().enumerate() {
            let (repo, cfg, seeds, shared) = (&repo, &cfg, &seeds, &shared);
            s.spawn(move || {
                let mut rng = cfg.rng(100 + t as u64);
                for k in 0..cfg.concurrent_rounds {
                    concurrent_op(repo, cfg, seeds, shared, role, t, k, &mut rng);
                }
            });
        }
    });
    let took = t0.elapsed();
    let sh = shared
        .into_inner()
        .expect("no thread panicked holding the lock");
    let mut tally = Tally::new("concurrent");
    let context = format!(
        "concurrent run of {} processes x {} commands (DOCKET_FAULT_SEED={})",
        roles.len(),
        cfg.concurrent_rounds,
        cfg.seed
    );
    for f in &sh.failures {
        tally.violation(&context, f);
    }
    if let Some(problem) = checks::fsck(&repo) {
        tally.violation(&context, &problem);
    }
    let status = repo.status();
    if !status.is_empty() {
        tally.violation(
            &context,
            &format!("git status --porcelain is not clean at the end:\n{status}"),
        );
    }
    let locks = checks::leftover_git_locks(&repo.root);
    if !locks.is_empty() {
        tally.violation(&context, &format!("lock files left at the end: {locks:?}"));
    }
    let head = repo.tree_files("HEAD");
    for (id, _) in sh.created.iter().chain(&seeds) {
        if !head.keys().any(|p| p.ends_with(&format!("/{id}.md"))) {
            tally.lost(
                &context,
                &format!("acknowledged ticket {id} is not in HEAD"),
            );
        }
    }
    for (id, text) in &sh.comments {
        let found = head.iter().any(|(p, b)| {
            p.contains(&format!("/{id}/")) && String::from_utf8_lossy(b).contains(text.as_str())
        });
        if !found {
            tally.lost(
                &context,
                &format!("acknowledged comment {text:?} on {id} is not in HEAD"),
            );
        }
    }
    for (id, value) in &sh.priorities {
        let file = head
            .iter()
            .find(|(p, _)| p.ends_with(&format!("/{id}.md")))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        let got = model::frontmatter(&file)
            .and_then(|fm| fm.get("type").and_then(|v| v.as_str().map(str::to_string)));
        if got.as_deref() != Some(value.as_str()) {
            tally.lost(
                &context,
                &format!("{id}: the last acknowledged type is {value:?}, HEAD has {got:?}"),
            );
        }
    }
    let listed = docket(&repo, &cfg.bin, &["list", "--all", "--json"], HANG);
    match json_ids(&listed.stdout) {
        Some(ids) if listed.ok() => {
            for (id, _) in sh.created.iter().chain(&seeds) {
                if !ids.contains(id) {
                    tally.lost(
                        &context,
                        &format!("`docket list --all --json` at the end does not show {id}"),
                    );
                }
            }
        }
        _ => tally.violation(
            &context,
            &format!(
                "`docket list --all --json` at the end: {}\n{}",
                listed.describe(),
                listed.transcript()
            ),
        ),
    }
    eprintln!(
        "faults: concurrent: {} processes at once, {} operations ({} writes, {} reads) in {:.1} s; {} failed, {} lost, {} violations (seed {})",
        roles.len(),
        sh.writes + sh.reads,
        sh.writes,
        sh.reads,
        took.as_secs_f64(),
        sh.failures.len(),
        tally.lost,
        tally.violations,
        cfg.seed
    );
    tally.assert_none();
}

#[allow(clippy::too_many_arguments)]
fn concurrent_op(
    repo: &Repo,
    cfg: &Config,
    seeds: &[(String, String)],
    shared: &Mutex<Shared>,
    role: Role,
    t: usize,
    k: usize,
    rng: &mut fastrand::Rng,
) {
    let lock = || shared.lock().expect("no thread panicked holding the lock");
    let (seed_id, seed_word) = &seeds[rng.usize(..seeds.len())];
    // What a reader must see: everything acknowledged before it started.
    let known: Vec<(String, String)> = lock().created.clone();
    let word = format!("zw{t}x{k}q");
    let args: Vec<String> = match role {
        Role::New => vec![
            "new".into(),
            "--title".into(),
            format!("Concurrent {word}"),
            "--body".into(),
            "x".into(),
        ],
        Role::Comment => vec![
            "comment".into(),
            seed_id.clone(),
            "-m".into(),
            format!("Concurrent note {word}"),
        ],
        Role::Set => vec!["set".into(), seed_id.clone(), format!("type=p{t}x{k}")],
        Role::Search => {
            let (id, w) = if !known.is_empty() && rng.bool() {
                known[rng.usize(..known.len())].clone()
            } else {
                (seed_id.clone(), seed_word.clone())
            };
            let args = vec![
                "search".into(),
                w,
                "--json".into(),
                "-n".into(),
                "50".into(),
            ];
            return reader(repo, cfg, shared, &args, &[id]);
        }
        Role::List => {
            let mut must: Vec<String> = seeds.iter().map(|(id, _)| id.clone()).collect();
            must.extend(known.into_iter().map(|(id, _)| id));
            let args = vec!["list".into(), "--all".into(), "--json".into()];
            return reader(repo, cfg, shared, &args, &must);
        }
    };
    let f = docket(repo, &cfg.bin, &str_args(&args), HANG);
    let mut sh = lock();
    sh.writes += 1;
    if !f.ok() {
        sh.failures.push(format!(
            "writer {role:?} `docket {}` failed: {}\n{}",
            args.join(" "),
            f.describe(),
            f.transcript()
        ));
        return;
    }
    match role {
        Role::New => sh.created.push((f.stdout.trim().to_string(), word)),
        Role::Comment => sh
            .comments
            .push((seed_id.clone(), format!("Concurrent note {word}"))),
        _ => {
            sh.priorities.insert(seed_id.clone(), format!("p{t}x{k}"));
        }
    }
}

/// Runs a reader and checks it succeeded quietly and saw every id in `must`.
fn reader(repo: &Repo, cfg: &Config, shared: &Mutex<Shared>, args: &[String], must: &[String]) {
    let f = docket(repo, &cfg.bin, &str_args(args), HANG);
    let mut problem = None;
    if !f.ok() {
        problem = Some("failed while writers were working".to_string());
    } else if !f.stderr.trim().is_empty() {
        problem = Some("printed to stderr while writers were working".to_string());
    } else {
        match json_ids(&f.stdout) {
            None => problem = Some("printed no JSON list".to_string()),
            Some(ids) => {
                let missing: Vec<&String> = must.iter().filter(|id| !ids.contains(*id)).collect();
                if !missing.is_empty() {
                    problem = Some(format!(
                        "does not show {missing:?}, acknowledged before it started"
                    ));
                }
            }
        }
    }
    let mut sh = shared.lock().expect("no thread panicked holding the lock");
    sh.reads += 1;
    if let Some(p) = problem {
        sh.failures.push(format!(
            "reader `docket {}` {p}: {}\n{}",
            args.join(" "),
            f.describe(),
            f.transcript()
        ));
    }
}

/// The `id` of every element of a JSON array, or None if `text` is not one.
fn json_ids(text: &str) -> Option<BTreeSet<String>> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    v.as_array()?
        .iter()
        .map(|x| x.get("id").and_then(|i| i.as_str()).map(str::to_string))
        .collect()
}

// ---------------------------------------------------------------------------------------
// 3. Index damage
// ---------------------------------------------------------------------------------------

/// Ways the search index (a cache under `.git/docket/index`) gets damaged.
#[derive(Clone, Copy, Debug)]
enum Damage {
    TruncateSegment,
    GarbageSegment,
    DeleteMeta,
    GarbageMeta,
    EmptyMeta,
    DeleteManifestFile,
    GarbageManifest,
    DeleteIndex,
    GarbageVersion,
}

impl Damage {
    const ALL: [Damage; 9] = [
        Damage::TruncateSegment,
        Damage::GarbageSegment,
        Damage::DeleteMeta,
        Damage::GarbageMeta,
        Damage::EmptyMeta,
        Damage::DeleteManifestFile,
        Damage::GarbageManifest,
        Damage::DeleteIndex,
        Damage::GarbageVersion,
    ];

    /// Damages the index and says what it did (or that there was nothing of that kind).
    fn apply(self, index: &Path, rng: &mut fastrand::Rng) -> String {
        let files = |pred: &dyn Fn(&Path) -> bool| -> Vec<PathBuf> {
            let mut v: Vec<PathBuf> = walkdir::WalkDir::new(index)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && pred(e.path()))
                .map(|e| e.into_path())
                .collect();
            v.sort();
            v
        };
        let segment = |p: &Path| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("idx" | "term" | "store" | "pos" | "fast" | "fieldnorm")
            )
        };
        let pick = |v: Vec<PathBuf>, rng: &mut fastrand::Rng| -> Option<PathBuf> {
            (!v.is_empty()).then(|| v[rng.usize(..v.len())].clone())
        };
        let garbage = b"\x00\xffnot an index {[ garbage \x01\x02\x03";
        let name = |p: &Path| {
            p.strip_prefix(index)
                .expect("under the index")
                .display()
                .to_string()
        };
        let meta = index.join("meta.json");
        let done = match self {
            Damage::TruncateSegment => pick(files(&segment), rng).map(|p| {
                let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&p)
                    .expect("open segment file");
                f.set_len(len / 2).expect("truncate");
                format!("truncated {} from {len} to {} bytes", name(&p), len / 2)
            }),
            Damage::GarbageSegment => pick(files(&segment), rng).map(|p| {
                let mut bytes = std::fs::read(&p).expect("read segment file");
                let at = bytes.len() / 3;
                for (i, b) in garbage.iter().enumerate() {
                    if let Some(x) = bytes.get_mut(at + i) {
                        *x = *b;
                    }
                }
                std::fs::write(&p, bytes).expect("write segment file");
                format!("wrote garbage into {} at byte {at}", name(&p))
            }),
            Damage::DeleteMeta => std::fs::remove_file(&meta)
                .ok()
                .map(|()| "deleted meta.json".to_string()),
            Damage::GarbageMeta => meta.exists().then(|| {
                std::fs::write(&meta, garbage).expect("write meta.json");
                "wrote garbage over meta.json".to_string()
            }),
            Damage::EmptyMeta => meta.exists().then(|| {
                std::fs::write(&meta, "").expect("empty meta.json");
                "emptied meta.json".to_string()
            }),
            Damage::DeleteManifestFile => {
                pick(files(&|p: &Path| name_under(p, index, "manifest")), rng).map(|p| {
                    std::fs::remove_file(&p).expect("delete a manifest file");
                    format!("deleted {}", name(&p))
                })
            }
            Damage::GarbageManifest => {
                pick(files(&|p: &Path| name_under(p, index, "manifest")), rng).map(|p| {
                    std::fs::write(&p, garbage).expect("write a manifest file");
                    format!("wrote garbage over {}", name(&p))
                })
            }
            Damage::DeleteIndex => std::fs::remove_dir_all(index)
                .ok()
                .map(|()| "deleted the whole index folder".to_string()),
            Damage::GarbageVersion => pick(
                files(&|p: &Path| p.parent() == Some(index) && !segment(p)),
                rng,
            )
            .map(|p| {
                std::fs::write(&p, garbage).expect("write an index file");
                format!("wrote garbage over {}", name(&p))
            }),
        };
        done.unwrap_or_else(|| format!("{self:?}: nothing of that kind to damage"))
    }
}

fn name_under(p: &Path, index: &Path, folder: &str) -> bool {
    p.strip_prefix(index.join(folder)).is_ok()
}

#[test]
fn a_damaged_index_is_rebuilt_and_answers_like_a_fresh_one() {
    let cfg = Config::from_env();
    let mut rng = cfg.rng(200);
    let repo = desk();
    let index = repo.root.join(".git/docket/index");
    let mut tickets: Vec<(String, String)> = Vec::new();
    let create = |repo: &Repo, n: usize| -> Finished {
        let word = format!("zd{n}q");
        docket(
            repo,
            &cfg.bin,
            &["new", "--title", &format!("Damage {word}"), "--body", "x"],
            HANG,
        )
    };
    for n in 0..5 {
        let f = create(&repo, n);
        assert!(f.ok(), "set-up new: {}\n{}", f.describe(), f.transcript());
        tickets.push((f.stdout.trim().to_string(), format!("zd{n}q")));
    }
    docket_ok(&repo, &cfg.bin, &["index"]);
    let mut tally = Tally::new("index damage");
    let (mut between, mut during, mut wrong) = (0, 0, 0);
    for round in 1..=cfg.damage_rounds {
        let damage = Damage::ALL[(round - 1) % Damage::ALL.len()];
        let n = 100 + round;
        let mut problems = Vec::new();
        let (what, write) = if round % 2 == 1 {
            between += 1;
            let what = damage.apply(&index, &mut rng);
            let sample = sample_words(&tickets, &mut rng);
            let (bad, _) = answers(&repo, &cfg, &tickets, &sample);
            wrong += bad.len();
            problems.extend(
                bad.into_iter()
                    .map(|b| format!("right after the damage: {b}")),
            );
            (what + ", between writes", create(&repo, n))
        } else {
            during += 1;
            let started = process::start(repo.command(
                &cfg.bin,
                &["new", "--title", &format!("Damage zd{n}q"), "--body", "x"],
            ));
            std::thread::sleep(rand_between(
                &mut rng,
                Duration::ZERO,
                Duration::from_millis(30),
            ));
            let what = damage.apply(&index, &mut rng) + ", during a `docket new`";
            (what, started.finish(HANG))
        };
        let context = format!(
            "index damage round {round}/{} (DOCKET_FAULT_SEED={}): {what}; the write: {}",
            cfg.damage_rounds,
            cfg.seed,
            write.describe()
        );
        if write.ok() {
            tickets.push((write.stdout.trim().to_string(), format!("zd{n}q")));
        } else {
            problems.push(format!(
                "the write failed although the index is only a cache:\n{}",
                write.transcript()
            ));
        }
        let sample = sample_words(&tickets, &mut rng);
        let (bad, damaged) = answers(&repo, &cfg, &tickets, &sample);
        wrong += bad.len();
        problems.extend(bad.into_iter().map(|b| format!("after the write: {b}")));
        // A fresh index must give the same answers.
        let rebuilt = docket(&repo, &cfg.bin, &["index"], HANG);
        if !rebuilt.ok() {
            problems.push(format!(
                "`docket index` failed: {}\n{}",
                rebuilt.describe(),
                rebuilt.transcript()
            ));
        }
        let (bad, fresh) = answers(&repo, &cfg, &tickets, &sample);
        wrong += bad.len();
        problems.extend(
            bad.into_iter()
                .map(|b| format!("after a fresh `docket index`: {b}")),
        );
        for ((question, got), (_, want)) in damaged.iter().zip(&fresh) {
            if got != want {
                problems.push(format!(
                    "`docket {question}` answered {got:?} from the damaged index, {want:?} from a fresh one"
                ));
            }
        }
        problems.extend(checks::fsck(&repo));
        let status = repo.status();
        if !status.is_empty() {
            problems.push(format!("git status --porcelain:\n{status}"));
        }
        tally.round(&context, problems, Vec::new());
    }
    eprintln!(
        "faults: index damage: {} damages ({between} between writes, {during} during a write), {} tickets; {wrong} wrong or failed answers, {} violations (seed {})",
        cfg.damage_rounds,
        tickets.len(),
        tally.violations,
        cfg.seed
    );
    tally.assert_none();
}

fn or_empty(text: &str) -> &str {
    match text.trim_end() {
        "" => "(empty)",
        t => t,
    }
}

/// The newest ticket and two random ones, whose unique title words a round searches for.
fn sample_words(tickets: &[(String, String)], rng: &mut fastrand::Rng) -> Vec<(String, String)> {
    let mut sample: Vec<(String, String)> = tickets.iter().rev().take(1).cloned().collect();
    for _ in 0..2 {
        sample.push(tickets[rng.usize(..tickets.len())].clone());
    }
    sample
}

/// A question (`search WORD --json`) and the ids it got, if it printed a JSON list.
type Answer = (String, Option<BTreeSet<String>>);

/// Asks `list --all --json` and `search WORD --json` for each sampled ticket. Returns what
/// was wrong, and each question with the ids it got. A one-line notice on stderr (such as
/// "rebuilding the index") is allowed, an `error:` is not.
fn answers(
    repo: &Repo,
    cfg: &Config,
    tickets: &[(String, String)],
    sample: &[(String, String)],
) -> (Vec<String>, Vec<Answer>) {
    let all: BTreeSet<String> = tickets.iter().map(|(id, _)| id.clone()).collect();
    let mut asks: Vec<(Vec<String>, BTreeSet<String>)> =
        vec![(vec!["list".into(), "--all".into(), "--json".into()], all)];
    for (id, word) in sample {
        asks.push((
            vec!["search".into(), word.clone(), "--json".into()],
            BTreeSet::from([id.clone()]),
        ));
    }
    let (mut bad, mut got_all) = (Vec::new(), Vec::new());
    for (args, expected) in asks {
        let f = docket(repo, &cfg.bin, &str_args(&args), HANG);
        let notice_lines = f.stderr.lines().filter(|l| !l.trim().is_empty()).count();
        let got = json_ids(&f.stdout);
        let problem = if !f.ok() {
            Some(format!("failed:\n{}", f.transcript()))
        } else if notice_lines > 1 || f.stderr.lines().any(|l| l.starts_with("error")) {
            Some(format!(
                "printed more than a one-line notice ({notice_lines} lines):\n    stderr: {}",
                or_empty(&f.stderr)
            ))
        } else if got.as_ref() != Some(&expected) {
            let missing: Vec<&String> = expected
                .iter()
                .filter(|id| got.as_ref().is_none_or(|g| !g.contains(*id)))
                .collect();
            let extra: Vec<&String> = got
                .iter()
                .flatten()
                .filter(|id| !expected.contains(*id))
                .collect();
            Some(format!(
                "answered {} ids, expected {}: missing {missing:?}, unexpected {extra:?}\n    stderr: {}",
                got.as_ref().map_or(0, BTreeSet::len),
                expected.len(),
                or_empty(&f.stderr)
            ))
        } else {
            None
        };
        if let Some(p) = problem {
            bad.push(format!(
                "`docket {}` {p} ({})",
                args.join(" "),
                f.describe()
            ));
        }
        got_all.push((args.join(" "), got));
    }
    (bad, got_all)
}

// ---------------------------------------------------------------------------------------
// 4. A git lock held by the user's own git
// ---------------------------------------------------------------------------------------

#[test]
fn a_held_git_lock_makes_a_write_fail_clearly_and_harmlessly() {
    let cfg = Config::from_env();
    let repo = desk();
    let id = docket_ok(
        &repo,
        &cfg.bin,
        &["new", "--title", "Locked zl0q", "--body", "x"],
    )
    .stdout
    .trim()
    .to_string();
    let mut tally = Tally::new("held lock");
    let mut slowest = Duration::ZERO;
    let mut cases = 0;
    // `git commit` with its editor open holds index.lock (holding the index it will write);
    // a ref lock is what a concurrent `git commit` or `git fetch` holds on the branch.
    for (lock, content) in [
        (".git/index.lock", LockContent::Index),
        (".git/refs/heads/main.lock", LockContent::Head),
    ] {
        for (n, op) in [
            Op::Priority {
                id: id.clone(),
                value: "p-locked".into(),
            },
            Op::Comment {
                id: id.clone(),
                text: "Comment zl1q while locked".into(),
            },
            Op::New {
                title: "Locked zl2q".into(),
            },
        ]
        .into_iter()
        .enumerate()
        {
            cases += 1;
            let op = match op {
                Op::Priority { id, value } => Op::Priority {
                    id,
                    value: format!("{value}{cases}"),
                },
                other => other,
            };
            let context = format!(
                "held lock case {cases} (lock {lock}, op {n}): `{}` while {lock} is held",
                op.shell()
            );
            let took = held_lock_case(&repo, &cfg, lock, content, &op, None, &context, &mut tally);
            slowest = slowest.max(took);
        }
    }
    // Ctrl-C or SIGTERM while docket waits for a lock stops it at once, without harm.
    let mut slowest_stop = Duration::ZERO;
    for sig in [Sig::Int, Sig::Term] {
        cases += 1;
        let op = Op::Priority {
            id: id.clone(),
            value: format!("p-interrupted{cases}"),
        };
        let context = format!(
            "held lock case {cases}: `{}` while .git/index.lock is held, {} after {} ms",
            op.shell(),
            sig.name(),
            INTERRUPT_AFTER.as_millis()
        );
        let took = held_lock_case(
            &repo,
            &cfg,
            ".git/index.lock",
            LockContent::Index,
            &op,
            Some(sig),
            &context,
            &mut tally,
        );
        slowest_stop = slowest_stop.max(took);
    }
    eprintln!(
        "faults: held lock: {cases} writes against a held git lock, slowest failure {} ms (limit {} ms), slowest stop on SIGINT/SIGTERM while waiting {} ms; {} violations",
        slowest.as_millis(),
        cfg.lock_limit.as_millis(),
        slowest_stop.as_millis(),
        tally.violations
    );
    tally.assert_none();
}

#[derive(Clone, Copy)]
enum LockContent {
    Index,
    Head,
}

/// Everything a write against a held lock must leave as it was.
#[derive(PartialEq, Debug)]
struct Snapshot {
    head: String,
    index: Vec<u8>,
    status: String,
    tree: BTreeMap<String, Vec<u8>>,
}

fn snapshot(repo: &Repo) -> Snapshot {
    let tree = walkdir::WalkDir::new(&repo.root)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(&repo.root)
                    .expect("under the root")
                    .display()
                    .to_string(),
                std::fs::read(e.path()).expect("read a work-tree file"),
            )
        })
        .collect();
    Snapshot {
        head: repo.git(&["rev-parse", "HEAD"]).ok().trim().to_string(),
        index: std::fs::read(repo.root.join(".git/index")).expect("read .git/index"),
        status: repo.status(),
        tree,
    }
}

/// When a write waiting on a held lock gets Ctrl-C or SIGTERM.
const INTERRUPT_AFTER: Duration = Duration::from_millis(300);
/// How soon after that signal it must have stopped.
const STOP_WITHIN: Duration = Duration::from_millis(1000);

/// Holds `lock`, runs `op` (signalled with `interrupt` while it waits, if given) and checks
/// that it failed clearly, or stopped at once, and changed nothing. Returns how long it ran
/// (after the signal, when interrupted).
#[allow(clippy::too_many_arguments)]
fn held_lock_case(
    repo: &Repo,
    cfg: &Config,
    lock: &str,
    content: LockContent,
    op: &Op,
    interrupt: Option<Sig>,
    context: &str,
    tally: &mut Tally,
) -> Duration {
    let mut problems = Vec::new();
    let note = |p: &mut Vec<String>, what: &str| p.push(what.to_string());
    let before = snapshot(repo);
    let lock_path = repo.root.join(lock);
    let bytes = match content {
        LockContent::Index => before.index.clone(),
        LockContent::Head => format!("{}\n", before.head).into_bytes(),
    };
    std::fs::write(&lock_path, &bytes).expect("hold the lock");
    let mut started = process::start(repo.command(&cfg.bin, &str_args(&op.args())));
    if let Some(sig) = interrupt {
        started.signal_after(INTERRUPT_AFTER, sig);
    }
    let f = started.finish(cfg.lock_limit);
    let file_name = Path::new(lock)
        .file_name()
        .expect("a lock has a name")
        .to_string_lossy()
        .into_owned();
    let context = format!("{context}: {}\n{}", f.describe(), f.transcript());
    let took = match f.signalled_at {
        Some(at) => f.elapsed.saturating_sub(at),
        None => f.elapsed,
    };
    if let (Some(sig), Some(_)) = (interrupt, f.signalled_at) {
        if f.ending == Ending::TimedOut || took > STOP_WITHIN {
            note(
                &mut problems,
                &format!(
                    "still waiting {} ms after {}: a signal while waiting for a lock must stop docket at once (within {} ms)",
                    took.as_millis(),
                    sig.name(),
                    STOP_WITHIN.as_millis()
                ),
            );
        } else if f.ok() {
            note(&mut problems, "exit 0 although the lock was held");
        }
    } else if f.ending == Ending::TimedOut {
        note(
            &mut problems,
            &format!(
                "still waiting after {} ms: a held lock must make docket fail within a few seconds",
                cfg.lock_limit.as_millis()
            ),
        );
    } else if f.ending != Ending::Exited(1) {
        note(&mut problems, "expected exit 1");
    }
    let names_fix = ["rm ", "remove", "delete"]
        .iter()
        .any(|w| f.stderr.contains(w));
    if f.ending != Ending::TimedOut
        && f.signalled_at.is_none()
        && (!f.stderr.contains(&file_name) || !names_fix)
    {
        note(
            &mut problems,
            &format!("the message must name {file_name} and how to clear it (rm / remove)"),
        );
    }
    match std::fs::read(&lock_path) {
        Ok(b) if b == bytes => {}
        _ => note(
            &mut problems,
            &format!("docket removed or changed the user's {lock}"),
        ),
    }
    std::fs::remove_file(&lock_path).ok();
    let after = snapshot(repo);
    if after.head != before.head {
        note(&mut problems, "HEAD moved although the write failed");
    }
    if after.index != before.index {
        note(
            &mut problems,
            ".git/index changed although the write failed",
        );
    }
    if after.tree != before.tree || after.status != before.status {
        let changed: Vec<&String> = after
            .tree
            .keys()
            .chain(before.tree.keys())
            .filter(|k| after.tree.get(*k) != before.tree.get(*k))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        note(
            &mut problems,
            &format!(
                "the work tree changed although the write failed: {changed:?}; git status --porcelain:\n{}",
                after.status
            ),
        );
        checks::repair_by_hand(repo);
    }
    // Once the lock is gone the same command succeeds.
    let retry = docket(repo, &cfg.bin, &str_args(&op.args()), HANG);
    if !retry.ok() {
        note(
            &mut problems,
            &format!(
                "after the lock was removed, the write still fails: {}\n{}",
                retry.describe(),
                retry.transcript()
            ),
        );
    } else {
        let head = repo.git(&["rev-parse", "HEAD"]).ok().trim().to_string();
        if head == before.head {
            note(
                &mut problems,
                "after the lock was removed, the write exited 0 but HEAD did not move",
            );
        }
        let status = repo.status();
        if !status.is_empty() {
            note(
                &mut problems,
                &format!("after the retry git status --porcelain is not clean:\n{status}"),
            );
        }
    }
    tally.round(&context, problems, Vec::new());
    took
}
