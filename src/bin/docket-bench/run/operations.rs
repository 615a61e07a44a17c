//! Rows for the support team's batch commands at the generated desk's "now": `triage`
//! (a dry run: routing rules and learned suggestions on every untriaged ticket) and
//! `automate --dry-run` (every rule on every ticket). What `automate` then writes costs
//! one commit per ticket it changes, as `docket comment` does; on the generated desk,
//! whose simulated team never closed its abandoned tickets, a first run would change
//! thousands, so it is timed by hand (BENCHMARKS.md) rather than before every table.

use std::path::Path;

use super::Row;
use super::reads::at_desk_now;

/// `docket triage` and `docket automate --dry-run`: they only read.
pub(super) fn dry_rows(docket: &Path, repo: &Path) -> Vec<Row> {
    vec![
        at_desk_now(
            "triage untriaged tickets",
            "docket triage (dry run: rules and learned suggestions)",
            docket,
            repo,
            &["triage"],
        ),
        at_desk_now(
            "automation rules",
            "docket automate --dry-run (every rule on every ticket)",
            docket,
            repo,
            &["automate", "--dry-run"],
        ),
    ]
}
