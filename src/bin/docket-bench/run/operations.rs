//! Rows for the support team's batch commands at the generated desk's "now": `triage`
//! (a dry run: routing rules and learned suggestions on every untriaged ticket) and
//! `automate --dry-run` (every rule on every ticket). What `automate` then writes costs
//! one commit per ticket it changes, as `docket comment` does; on the generated desk,
//! whose simulated team never closed its abandoned tickets, a first run would change
//! thousands, so it is timed by hand (BENCHMARKS.md) rather than before every table.

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
