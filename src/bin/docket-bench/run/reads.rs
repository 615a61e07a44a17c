//! Rows that only read and have no plain-tool twin in the writes: the raw files behind
//! `show`, and the support views (`sla`, `report`) at the generated desk's "now".

use std::path::Path;

use super::target::md_files;
use super::{Row, SUPPORT_MS, Target, plain_row};
use crate::measure::Step;

/// Baseline of `docket show`: `cat` of the ticket file and its comment files.
pub(super) fn show_baseline_row(repo: &Path, target: &Target) -> Row {
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
                env: Vec::new(),
            }])
        }),
    )
}

/// `docket sla` and `docket report`, table and JSON, on the warm index, at the desk's
/// "now" (the generated timelines end there, so at-risk tickets are at risk).
pub(super) fn support_rows(docket: &Path, repo: &Path) -> Vec<Row> {
    let row = |group, label: &str, args: &[&str]| {
        at_desk_now(group, label, docket, repo, args).budget(SUPPORT_MS)
    };
    vec![
        row(
            "SLA: breached and at risk",
            "docket sla (warm index)",
            &["sla"],
        ),
        row(
            "SLA: breached and at risk",
            "docket sla --json",
            &["sla", "--json"],
        ),
        row("support report", "docket report (warm index)", &["report"]),
        row(
            "support report",
            "docket report --format json",
            &["report", "--format", "json"],
        ),
    ]
}

/// A row of docket run at the generated desk's "now", with no baseline.
pub(super) fn at_desk_now(
    group: &'static str,
    label: &str,
    docket: &Path,
    repo: &Path,
    args: &[&str],
) -> Row {
    plain_row(
        group,
        label,
        Step::new(docket, repo, args).with_env("DOCKET_NOW", &desk_now()),
    )
    .solo()
}

/// The generated desk's "now", as `DOCKET_NOW` takes it.
pub(super) fn desk_now() -> String {
    crate::format::time(crate::plan::END)
}
