//! `docket check` over the references between files: a copied ticket id, a link to no
//! ticket, a status event the workflow does not allow; and `--format github`, whose
//! annotations a pull request's workflow shows on the lines they name.

mod common;

use common::Repo;

/// A desk with one of each cross-file problem; returns the paths of the files that have
/// them: (the copy, the ticket with the bad link, the bad event).
fn broken_desk() -> (Repo, String, String, String) {
    let r = Repo::with_desk();
    let a = r.new_ticket("Login fails after upgrade");
    let b = r.new_ticket("Export hangs");
    let a_rel = r.ticket_path(&a);
    let copy = format!("support/tickets/ZZ/{a}.md");
    r.write(&copy, &r.read(&a_rel));
    let b_rel = r.ticket_path(&b);
    let text = r.read(&b_rel).replacen(
        "\nstatus:",
        "\nlinks:\n  relates:\n    - T-ZZZZZZZZZZ\nstatus:",
        1,
    );
    r.write(&b_rel, &text);
    let event = format!(
        "{}/20261102T100000Z-alice-abcd.md",
        a_rel.trim_end_matches(".md")
    );
    r.write(
        &event,
        "---\nauthor: Alice Ng <alice@example.org>\ncreated: 2026-11-02T10:00:00Z\nevent: status\nfrom: closed\nto: pending\n---\n",
    );
    (r, copy, b_rel, event)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

#[test]
fn check_names_each_cross_file_problem_with_file_and_line() {
    let (r, copy, linked, event) = broken_desk();
    let run = r.docket(&["check"]);
    run.fails(1);
    let out = &run.stdout;
    let relates = line_of(&r.read(&linked), "T-ZZZZZZZZZZ");
    let to = line_of(&r.read(&event), "to: pending");
    for want in [
        format!("{copy}:{}:1: ticket id `", line_of(&r.read(&copy), "id:")),
        format!("{linked}:{relates}:1: `links.relates` names `T-ZZZZZZZZZZ`, which is no ticket"),
        format!("{event}:{to}:1: the workflow does not allow a move from `closed` to `pending`"),
    ] {
        assert!(out.contains(&want), "missing {want:?} in:\n{out}");
    }
}

#[test]
fn github_format_prints_one_annotation_per_problem() {
    let (r, copy, linked, event) = broken_desk();
    let json = r.docket(&["check", "--format", "json"]);
    let problems: serde_json::Value = serde_json::from_str({
        json.fails(1);
        &json.stdout
    })
    .expect("check --format json is JSON");
    let n = problems["problems"].as_array().expect("problems").len();
    let run = r.docket(&["check", "--format", "github"]);
    run.fails(1);
    let out = &run.stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), n, "{out}");
    for l in &lines {
        assert!(l.starts_with("::error file="), "{l}");
        assert!(l.contains(",line="), "{l}");
    }
    for path in [&copy, &linked, &event] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("::error file={path},line="))),
            "no annotation for {path}:\n{out}"
        );
    }
}

#[test]
fn a_clean_desk_passes_in_every_format() {
    let r = Repo::with_desk();
    r.new_ticket("Fine");
    for format in ["text", "json", "github"] {
        r.docket(&["check", "--format", format]).ok();
    }
    r.docket(&["check", "--format", "yaml"]).fails(2);
}

#[test]
fn the_readme_pull_request_workflow_runs_check_with_annotations() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let start = readme
        .find("```yaml\nname: docket check\n")
        .expect("the pull request workflow block");
    let body = &readme[start + "```yaml\n".len()..];
    let body = &body[..body.find("\n```").expect("end of block")];
    let w: serde_norway::Value = serde_norway::from_str(body).expect("the workflow is YAML");
    assert_eq!(w["on"].as_str(), Some("pull_request"));
    let steps = w["jobs"]["check"]["steps"].as_sequence().expect("steps");
    assert!(
        steps
            .iter()
            .any(|s| s["run"].as_str() == Some("docket check --format github")),
        "{body}"
    );
}
