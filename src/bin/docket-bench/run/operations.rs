//! Rows for the support team's batch commands at the generated desk's "now": `triage`
//! (a dry run: routing rules and learned suggestions on every untriaged ticket) and
//! `automate` (a dry run over every rule; then the scheduled job's usual case, a run
//! right after another, when nothing is left to fire).

use std::path::Path;

use super::reads::desk_now;
use super::{Row, plain_row};
use crate::measure::Step;

/// `docket triage` and `docket automate --dry-run`: they only read.
pub(super) fn dry_rows(docket: &Path, repo: &Path) -> Vec<Row> {
    let now = desk_now();
    let row = |group, label: &str, args: &[&str]| {
        plain_row(
            group,
            label,
            Step::new(docket, repo, args).with_env("DOCKET_NOW", &now),
        )
        .solo()
    };
    vec![
        row(
            "triage untriaged tickets",
            "docket triage (dry run: rules and learned suggestions)",
            &["triage"],
        ),
        row(
            "automation rules",
            "docket automate --dry-run (every rule on every ticket)",
            &["automate", "--dry-run"],
        ),
    ]
}

/// `docket automate` right after a run that applied everything due (that first run is
/// made, untimed, before the first timed one): what an hourly job costs on most runs. It
/// commits, so it comes after the rows that must see the desk unchanged.
pub(super) fn steady_row(docket: &Path, repo: &Path) -> Row {
    let now = desk_now();
    let step = Step::new(docket, repo, &["automate"]).with_env("DOCKET_NOW", &now);
    let mut primed = false;
    Row::new(
        "automation: the hourly job",
        "docket automate (after a run that applied everything due)",
        Box::new(move || {
            if !primed {
                let started = std::time::Instant::now();
                let out = std::process::Command::new(&step.program)
                    .args(&step.args)
                    .current_dir(&step.dir)
                    .envs(crate::git::hermetic_env())
                    .envs(step.env.iter().map(|(k, v)| (k, v)))
                    .stdin(std::process::Stdio::null())
                    .output()
                    .map_err(|e| format!("docket automate: {e}"))?;
                let summary = String::from_utf8_lossy(&out.stderr);
                eprintln!(
                    "first automate run (untimed): {:.1} s, {}",
                    started.elapsed().as_secs_f64(),
                    summary.lines().last().unwrap_or("")
                );
                if !out.status.success() {
                    return Err(format!("docket automate failed: {summary}"));
                }
                primed = true;
            }
            Ok(vec![step.clone()])
        }),
    )
    .solo()
}
