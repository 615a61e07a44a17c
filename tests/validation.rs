//! Input checked when it is written: `set`, `new`, `kb set` and `customer set` refuse what
//! `docket check` would then reject (exit 2, nothing written or committed), an unknown key
//! is refused with the key meant unless the config declares it as a custom field or
//! `--force` is given, list values split on commas, and text over the size docket reads
//! back is refused with the limit named.

mod common;

use common::Repo;

/// Custom fields as a desk declares them under `fields:` in its config.
const FIELDS: &str = "\
fields:
  - name: component
    values: [ui, api, installer]
  - name: affected_version
  - name: regression
    type: bool
  - name: customers_hit
    type: number
  - name: seen_on
    type: date
  - name: platforms
    type: list
    values: [linux, macos, windows]
";

fn desk_with_fields() -> Repo {
    let r = Repo::with_desk();
    let config = r.read(".docket/config.yaml") + FIELDS;
    r.write(".docket/config.yaml", &config);
    r.git(&["commit", "-qam", "declare custom fields"]).ok();
    r
}

fn head(r: &Repo) -> String {
    r.git(&["rev-parse", "HEAD"]).ok().trim().to_string()
}

/// Runs a command that must be refused as a bad value, and checks that it left the
/// repository as it was: no commit, no file changed. Returns stderr.
#[track_caller]
fn refused(r: &Repo, args: &[&str]) -> String {
    let before = head(r);
    let err = r.docket(args).fails(2).to_string();
    assert_eq!(head(r), before, "{args:?} committed something");
    assert_eq!(r.status(), "", "{args:?} left a change in the work tree");
    err
}

#[test]
fn a_typo_key_is_refused_with_the_key_meant() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Printer offline");
    let path = r.ticket_path(&id);
    let text = r.read(&path);
    let err = refused(&r, &["set", &id, "asignee=bob"]);
    assert!(err.contains("error: unknown key `asignee`"), "{err}");
    assert!(err.contains("hint: did you mean `assignee`?"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(r.read(&path), text);
    // Nothing near: the hint lists the known keys instead.
    let err = refused(&r, &["set", &id, "zzz=1"]);
    assert!(
        err.contains("the known keys are id, title, status"),
        "{err}"
    );
    // Under `links` only docket's link keys exist.
    let err = refused(&r, &["set", &id, "links.relate=T-1"]);
    assert!(err.contains("did you mean `links.relates`?"), "{err}");
}

#[test]
fn force_writes_an_unknown_key_and_its_removal_needs_no_force() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Printer offline");
    let path = r.ticket_path(&id);
    r.docket(&["set", "--force", &id, "asignee=bob"]).ok();
    assert!(r.read(&path).contains("\nasignee: bob\n"));
    // A key the file already has is no typo: it can be changed and removed.
    r.docket(&["set", &id, "asignee=chen"]).ok();
    assert!(r.read(&path).contains("\nasignee: chen\n"));
    r.docket(&["set", &id, "asignee="]).ok();
    assert!(!r.read(&path).contains("asignee"));
    // --force is for keys only: values of known keys are checked all the same.
    refused(&r, &["set", "--force", &id, "priority=P1"]);
    assert_eq!(r.status(), "");
}

#[test]
fn declared_custom_fields_are_written_with_their_types() {
    let r = desk_with_fields();
    let id = r.new_ticket("Installer hangs");
    let path = r.ticket_path(&id);
    r.docket(&[
        "set",
        &id,
        "component=installer",
        "affected_version=2.0",
        "regression=true",
        "customers_hit=3",
        "seen_on=2026-10-30",
        "platforms+=linux,macos",
    ])
    .ok();
    let text = r.read(&path);
    for line in [
        "\ncomponent: installer\n",
        "\naffected_version: '2.0'\n",
        "\nregression: true\n",
        "\ncustomers_hit: 3\n",
        "\nseen_on: 2026-10-30\n",
        "\nplatforms:\n  - linux\n  - macos\n",
    ] {
        assert!(text.contains(line), "{line:?} missing from\n{text}");
    }
    r.docket(&["set", &id, "platforms-=linux"]).ok();
    assert!(r.read(&path).contains("\nplatforms:\n  - macos\n"));
    let v: serde_json::Value =
        serde_json::from_str(r.docket(&["show", &id, "--json"]).ok()).expect("json");
    assert_eq!(v["extra"]["component"], "installer");
    assert_eq!(v["extra"]["customers_hit"], 3);
    r.docket(&["check"]).ok();
}

#[test]
fn a_custom_field_value_that_breaks_its_declaration_is_refused() {
    let r = desk_with_fields();
    let id = r.new_ticket("Installer hangs");
    let err = refused(&r, &["set", &id, "component=database"]);
    assert!(
        err.contains(
            "error: `database` is not an allowed value of custom field `component` (ui, api, installer)"
        ),
        "{err}"
    );
    let err = refused(&r, &["set", &id, "regression=maybe"]);
    assert!(
        err.contains("custom field `regression` is a bool field, not the text `maybe`"),
        "{err}"
    );
    assert!(err.contains("takes true or false"), "{err}");
    let err = refused(&r, &["set", &id, "customers_hit=many"]);
    assert!(err.contains("is a number field"), "{err}");
    let err = refused(&r, &["set", &id, "seen_on=last week"]);
    assert!(err.contains("is a date field"), "{err}");
    let err = refused(&r, &["set", &id, "platforms+=linux,beos"]);
    assert!(
        err.contains("`beos` is not an allowed value of custom field `platforms`"),
        "{err}"
    );
    let err = refused(&r, &["set", &id, "component+=ui"]);
    assert!(err.contains("`component` is not a list"), "{err}");
}

#[test]
fn priority_outside_the_bands_is_refused() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Printer offline");
    let err = refused(&r, &["set", &id, "priority=P1"]);
    assert!(
        err.contains("error: priority `P1` is not one of low, normal, high, urgent"),
        "{err}"
    );
    r.docket(&["set", &id, "priority=high"]).ok();
}

#[test]
fn importance_outside_1_to_5_is_refused() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Printer offline");
    let err = refused(&r, &["set", &id, "importance=9"]);
    assert!(
        err.contains("`importance` must be 1 to 5, not `9`"),
        "{err}"
    );
    refused(&r, &["set", &id, "urgency=0"]);
    refused(&r, &["set", &id, "due=someday"]);
    refused(&r, &["set", &id, "status=bogus"]);
}

#[test]
fn list_values_split_on_commas_and_an_empty_one_is_refused() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Printer offline");
    let path = r.ticket_path(&id);
    let err = refused(&r, &["set", &id, "labels+="]);
    assert!(err.contains("error: `labels+=` needs a value"), "{err}");
    assert!(err.contains("labels+=a,b"), "{err}");
    refused(&r, &["set", &id, "labels+= , "]);
    r.docket(&["set", &id, "labels+=a, b"]).ok();
    assert!(r.read(&path).contains("\nlabels:\n  - a\n  - b\n"));
    r.docket(&["set", &id, "labels+=b,c"]).ok();
    assert!(r.read(&path).contains("\nlabels:\n  - a\n  - b\n  - c\n"));
    r.docket(&["set", &id, "labels-=a,c"]).ok();
    assert!(r.read(&path).contains("\nlabels:\n  - b\n"));
    let subject = r.git(&["log", "-1", "--format=%b"]).ok().to_string();
    assert!(
        subject.contains("labels: -a\nlabels: -c"),
        "one detail line per item: {subject}"
    );
}

#[test]
fn new_checks_its_flags() {
    let r = Repo::with_desk();
    let err = refused(&r, &["new", "-t", "x", "--label", ""]);
    assert!(err.contains("`--label` needs a value"), "{err}");
    let err = refused(&r, &["new", "-t", "x", "--customer", "nobody"]);
    assert!(err.contains("no customer named `nobody`"), "{err}");
    refused(&r, &["new", "-t", "x", "--assignee", "mallory"]);
    refused(&r, &["new", "-t", "x", "--importance", "9"]);
    let id = r
        .docket(&["new", "-t", "Two labels", "--label", "a,b", "--label", "c"])
        .ok()
        .trim()
        .to_string();
    assert!(
        r.read(&r.ticket_path(&id))
            .contains("\nlabels:\n  - a\n  - b\n  - c\n")
    );
}

#[test]
fn check_reports_a_custom_field_value_and_a_declaration_that_clashes() {
    let r = desk_with_fields();
    let id = r.new_ticket("Installer hangs");
    let path = r.ticket_path(&id);
    let text = r
        .read(&path)
        .replacen("---\n", "---\nregression: sometimes\n", 1);
    r.write(&path, &text);
    let config = r.read(".docket/config.yaml") + "  - name: status\n";
    r.write(".docket/config.yaml", &config);
    let lines = config.lines().count();
    let run = r.docket(&["check"]);
    run.fails(1);
    assert!(
        run.stdout.contains(&format!(
            "{path}:2:1: custom field `regression` is a bool field, not the text `sometimes`"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            ".docket/config.yaml:{lines}:1: custom field `status` clashes with docket's own ticket key `status`"
        )),
        "{}",
        run.stdout
    );
    let v: serde_json::Value =
        serde_json::from_str(&r.docket(&["check", "--json"]).stdout).expect("json");
    assert_eq!(v["bad_files"], 2, "{v}");
}

#[test]
fn init_writes_the_fields_section_commented() {
    let r = Repo::new();
    r.docket(&["init"]).ok();
    let config = r.read(".docket/config.yaml");
    assert!(config.contains("\nfields: []\n"), "{config}");
    assert!(config.contains("#  - name: component\n"), "{config}");
    // Uncommented, the example is a working declaration.
    let (before, example) = config.split_once("fields: []\n").expect("a fields line");
    let declared = format!("{before}fields:\n{}", example.replace("#  ", "  "));
    r.write(".docket/config.yaml", &declared);
    r.git(&["commit", "-qam", "declare the example fields"])
        .ok();
    let id = r.new_ticket("Installer hangs");
    r.docket(&["set", &id, "component=installer", "regression=false"])
        .ok();
    refused(&r, &["set", &id, "component=kernel"]);
    r.docket(&["check"]).ok();
}

#[test]
fn text_over_the_size_limit_is_refused_with_nothing_written() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Printer offline");
    let big = r.scratch().join("big.md");
    std::fs::write(&big, "a".repeat(1024 * 1024)).expect("write");
    let big = big.to_str().expect("utf-8 path");
    let limit = "over docket's limit of 1048576 bytes (1 MiB) for one file";
    for args in [
        vec!["new", "-t", "Big", "--body-file", big],
        vec!["comment", id.as_str(), "--body-file", big],
        vec!["kb", "new", "-t", "Big", "--body-file", big],
    ] {
        let err = refused(&r, &args);
        assert!(err.contains(limit), "{args:?}: {err}");
    }
    // Over the limit before it is read whole.
    let bigger = r.scratch().join("bigger.md");
    std::fs::write(&bigger, "a".repeat(3 * 1024 * 1024)).expect("write");
    let err = refused(
        &r,
        &[
            "new",
            "-t",
            "Bigger",
            "--body-file",
            bigger.to_str().expect("utf-8"),
        ],
    );
    assert!(err.contains("bigger.md is over docket's limit"), "{err}");
    // Values that together make the file too large (one argument is at most 128 KiB).
    let value = "v".repeat(120 * 1024);
    let values: Vec<String> = (0..9).map(|i| format!("k{i}={value}")).collect();
    let mut args = vec!["set", "--force", id.as_str()];
    args.extend(values.iter().map(String::as_str));
    let err = refused(&r, &args);
    assert!(err.contains(limit), "{err}");
    assert!(r.docket(&["list"]).ok().contains("Printer offline"));
    assert!(r.docket(&["list"]).stderr.is_empty());
}

#[test]
fn an_edit_over_the_size_limit_is_refused() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Printer offline");
    let before = head(&r);
    let script = r.home().join("grow.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nhead -c 1100000 /dev/zero | tr '\\0' a >> \"$1\"\n",
    )
    .expect("script");
    let run = r.docket_env(
        &["edit", &id],
        &[("EDITOR", &format!("sh {}", script.display()))],
    );
    let err = run.fails(2);
    assert!(
        err.contains("over docket's limit of 1048576 bytes"),
        "{err}"
    );
    assert_eq!(head(&r), before, "nothing committed");
}

#[test]
fn kb_set_checks_the_values_of_known_keys_only() {
    let r = Repo::with_desk();
    let slug = r
        .docket(&["kb", "new", "-t", "Rotate certificates", "--tag", "tls"])
        .ok()
        .trim()
        .to_string();
    let path = format!("support/kb/{slug}.md");
    // Site generators have keys of their own: they are written as given.
    r.docket(&["kb", "set", &slug, "toc=true", "layout=guide"])
        .ok();
    assert!(r.read(&path).contains("\nlayout: guide\n"));
    let err = refused(&r, &["kb", "set", &slug, "status=live"]);
    assert!(err.contains("article status `live`"), "{err}");
    refused(&r, &["kb", "set", &slug, "date=someday"]);
    refused(&r, &["kb", "set", &slug, "weight=heavy"]);
    refused(&r, &["kb", "set", &slug, "slug=../up"]);
    let err = refused(&r, &["kb", "set", &slug, "tags+="]);
    assert!(err.contains("`tags+=` needs a value"), "{err}");
    r.docket(&["kb", "set", &slug, "tags+=security,ops"]).ok();
    assert!(
        r.read(&path)
            .contains("\ntags:\n  - tls\n  - security\n  - ops\n")
    );
}

#[test]
fn customer_set_refuses_typos_and_values_check_rejects() {
    let r = Repo::with_desk();
    r.docket(&[
        "customer",
        "new",
        "--name",
        "Acme",
        "--slug",
        "acme",
        "--since",
        "2024-02-01",
    ])
    .ok();
    let path = "support/customers/acme.md";
    let err = refused(&r, &["customer", "set", "acme", "teir=enterprise"]);
    assert!(err.contains("error: unknown key `teir`"), "{err}");
    assert!(err.contains("did you mean `tier`?"), "{err}");
    r.docket(&["customer", "set", "--force", "acme", "crm_id=4711"])
        .ok();
    assert!(r.read(path).contains("\ncrm_id: '4711'\n"));
    refused(&r, &["customer", "set", "acme", "tier=gold"]);
    let err = refused(&r, &["customer", "set", "acme", "until=2020-01-01"]);
    assert!(err.contains("is before `since`"), "{err}");
    refused(&r, &["customer", "set", "acme", "contacts+="]);
    r.docket(&[
        "customer",
        "set",
        "acme",
        "tags+=eu,rail",
        "contacts+=Dana <dana@acme.example>, Jonas <jk@acme.example>",
        "sla.first_response=4h",
    ])
    .ok();
    let text = r.read(path);
    assert!(text.contains("\ntags:\n  - eu\n  - rail\n"), "{text}");
    assert!(
        text.contains("email: dana@acme.example") && text.contains("email: jk@acme.example"),
        "{text}"
    );
    r.docket(&[
        "customer",
        "set",
        "acme",
        "contacts-=dana@acme.example,jk@acme.example",
    ])
    .ok();
    assert!(!r.read(path).contains("email:"));
}

/// Exit 2 for a bad value or usage in every command, exit 1 for the files, git or the
/// system failing.
#[test]
fn a_bad_value_exits_2_in_every_command() {
    let r = Repo::with_desk();
    let id = r.new_ticket("Printer offline");
    refused(&r, &["show", "T-ZZZZ"]);
    refused(&r, &["reopen", &id]);
    refused(&r, &["close", "T-ZZZZ"]);
    refused(&r, &["link", &id, "--article", "nope"]);
    refused(&r, &["customer", "show", "nobody"]);
    refused(&r, &["kb", "show", "nope"]);
    r.docket(&["close", &id]).ok();
    let err = refused(&r, &["set", &id, "status=pending"]);
    assert!(err.contains("allowed next statuses: open"), "{err}");
    // A held git lock is the environment, not the input.
    r.write(".git/index.lock", "");
    r.docket(&["reopen", &id]).fails(1);
}
