//! `docket customer` through the real binary: new, list, show (with the customer's
//! tickets) and set; and customer records kept in a private repository next to the
//! public one, whose commits go there.

mod common;

use common::Repo;

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

fn acme(r: &Repo) -> common::Run {
    r.docket(&[
        "customer",
        "new",
        "--name",
        "Acme Logistics",
        "--slug",
        "acme",
        "--org",
        "Acme Logistics GmbH",
        "--tier",
        "enterprise",
        "--since",
        "2024-02-01",
        "--contact",
        "Dana Whitfield <dana@acme.example>",
        "--tag",
        "eu",
        "--sla",
        "first_response=1h",
        "--body",
        "Runs three clusters.",
    ])
}

#[test]
fn new_writes_one_record_in_one_commit() {
    let r = Repo::with_desk();
    let before = r.commit_count();
    let run = acme(&r);
    assert_eq!(run.ok().trim(), "acme");
    assert!(
        run.stderr.contains("customer-new acme [main "),
        "{}",
        run.stderr
    );
    assert_eq!(r.commit_count(), before + 1);
    assert_eq!(
        r.read("support/customers/acme.md"),
        "---\nname: Acme Logistics\nslug: acme\norg: Acme Logistics GmbH\ntier: enterprise\nsince: 2024-02-01\ncontacts:\n  - name: Dana Whitfield\n    email: dana@acme.example\nsla:\n  first_response: 1h\ntags:\n  - eu\n---\nRuns three clusters.\n"
    );
    assert!(
        r.git(&["log", "-1", "--format=%s"])
            .ok()
            .starts_with("docket: customer-new acme")
    );
    assert_eq!(r.status(), "");
    r.fsck();
    // docket check accepts what docket wrote.
    r.docket(&["check"]).ok();

    let err = acme(&r).fails(2).to_string();
    assert!(err.contains("exists already"), "{err}");
    let err = r
        .docket(&["customer", "new", "--name", "X", "--tier", "platinum"])
        .fails(2)
        .to_string();
    assert!(err.contains("tier `platinum` is not one of"), "{err}");
    let err = r
        .docket(&["customer", "new", "--name", "X", "--contact", "no email"])
        .fails(2)
        .to_string();
    assert!(err.contains("is not a contact"), "{err}");
    let err = r
        .docket(&["customer", "new", "--name", "X", "--since", "soon"])
        .fails(2)
        .to_string();
    assert!(err.contains("must be a date"), "{err}");
}

#[test]
fn show_lists_the_customers_tickets_and_open_count() {
    let r = Repo::with_desk();
    acme(&r).ok();
    r.docket(&[
        "customer",
        "new",
        "--name",
        "Kestrel",
        "--tier",
        "community",
    ])
    .ok();
    let a = r
        .docket(&["new", "--title", "Ingest stalls", "--customer", "acme"])
        .ok()
        .trim()
        .to_string();
    let b = r
        .docket(&["new", "--title", "Upgrade question", "--customer", "acme"])
        .ok()
        .trim()
        .to_string();
    r.docket(&["new", "--title", "Other", "--customer", "kestrel"])
        .ok();
    r.docket(&["close", &b]).ok();

    let out = r.docket(&["customer", "show", "acme"]).ok().to_string();
    assert!(out.starts_with("acme  Acme Logistics\n"), "{out}");
    assert!(
        out.contains("tickets:") && out.contains("1 open of 2"),
        "{out}"
    );
    assert!(out.contains(&a) && out.contains(&b), "{out}");
    assert!(out.contains("Dana Whitfield <dana@acme.example>"), "{out}");
    assert!(
        out.contains("sla.first_response:") && out.contains("1h"),
        "{out}"
    );

    let v = json(r.docket(&["customer", "show", "acme", "--json"]).ok());
    assert_eq!(v["open"], 1);
    assert_eq!(v["tickets_total"], 2);
    let tickets = v["tickets"].as_array().expect("tickets");
    assert_eq!(tickets.len(), 2);
    assert!(
        tickets
            .iter()
            .any(|t| t["id"] == b.as_str() && t["closed"] == true)
    );
    assert_eq!(v["contacts"][0]["email"], "dana@acme.example");

    let v = json(r.docket(&["customer", "list", "--json"]).ok());
    let items = v.as_array().expect("array");
    assert_eq!(items.len(), 2);
    let list = r
        .docket(&["customer", "list", "--tier", "community"])
        .ok()
        .to_string();
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(
        list.starts_with("kestrel") && list.contains("1 open"),
        "{list}"
    );

    let err = r
        .docket(&["customer", "show", "nobody"])
        .fails(2)
        .to_string();
    assert!(err.contains("no customer named `nobody`"), "{err}");
}

#[test]
fn set_changes_one_line_and_manages_contacts() {
    let r = Repo::with_desk();
    acme(&r).ok();
    r.docket(&["customer", "set", "acme", "tier=subscription"])
        .ok();
    let diff = r
        .git(&["diff", "HEAD~1", "HEAD", "--unified=0"])
        .ok()
        .to_string();
    assert!(
        diff.contains("-tier: enterprise\n+tier: subscription\n"),
        "{diff}"
    );
    r.docket(&[
        "customer",
        "set",
        "acme",
        "contacts+=Jonas Keller <j.keller@acme.example>",
        "sla.resolution=1d",
        "until=2026-12-31",
    ])
    .ok();
    let v = json(r.docket(&["customer", "show", "acme", "--json"]).ok());
    assert_eq!(v["contacts"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["sla"]["resolution"], "1d");
    assert_eq!(v["until"], "2026-12-31");
    r.docket(&["customer", "set", "acme", "contacts-=dana@acme.example"])
        .ok();
    let text = r.read("support/customers/acme.md");
    assert!(!text.contains("dana@acme.example"), "{text}");
    assert!(text.contains("j.keller@acme.example"), "{text}");
    for bad in [
        "tier=platinum",
        "until=2020-01-01",
        "slug=other",
        "since=soon",
    ] {
        let run = r.docket(&["customer", "set", "acme", bad]);
        assert_ne!(run.code, 0, "{bad} was accepted");
    }
    assert_eq!(r.status(), "");
    r.docket(&["check"]).ok();
}

#[test]
fn records_in_a_private_repository_next_to_this_one() {
    let public = Repo::with_desk();
    // A second repository beside the public one holds the customer records.
    let private = public.root.parent().expect("parent").join("private");
    std::fs::create_dir_all(&private).expect("mkdir");
    let git = |dir: &std::path::Path, args: &[&str]| {
        let mut cmd = std::process::Command::new("git");
        common::hermetic(&mut cmd, public.home());
        let out = cmd.current_dir(dir).args(args).output().expect("git");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    git(&private, &["init", "-q", "-b", "main"]);
    git(&private, &["config", "user.name", "Alice Ng"]);
    git(&private, &["config", "user.email", "alice@example.org"]);
    let config = public.read(".docket/config.yaml").replace(
        "customers: support/customers",
        "customers: ../private/customers",
    );
    public.write(".docket/config.yaml", &config);
    public
        .git(&["commit", "-q", "-am", "customers live in ../private"])
        .ok();
    let public_commits = public.commit_count();

    let run = acme(&public);
    run.ok();
    assert!(private.join("customers/acme.md").is_file());
    assert!(!public.root.join("support/customers").exists());
    // The commit went to the private repository; the public one is untouched.
    assert_eq!(public.commit_count(), public_commits);
    assert_eq!(public.status(), "");
    assert_eq!(
        git(&private, &["log", "--format=%s"]).trim(),
        "docket: customer-new acme"
    );
    assert_eq!(
        git(&private, &["show", "--name-only", "--format=", "HEAD"]).trim(),
        "customers/acme.md"
    );
    assert_eq!(git(&private, &["status", "--porcelain"]), "");

    // Tickets refer to the customer; list, show, set and check all work.
    let id = public
        .docket(&["new", "--title", "Ingest stalls", "--customer", "acme"])
        .ok()
        .trim()
        .to_string();
    public
        .docket(&["customer", "set", "acme", "tier=professional"])
        .ok();
    assert_eq!(git(&private, &["rev-list", "--count", "HEAD"]).trim(), "2");
    let v = json(public.docket(&["customer", "show", "acme", "--json"]).ok());
    assert_eq!(v["tier"], "professional");
    assert_eq!(v["tickets"][0]["id"], id.as_str());
    assert_eq!(
        json(public.docket(&["customer", "list", "--json"]).ok())
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    public.docket(&["check"]).ok();
    // Nothing personal is in the public repository's history.
    let all = public.git(&["log", "-p", "--all"]).ok().to_string();
    assert!(!all.contains("dana@acme.example"), "{all}");
    assert_eq!(public.status(), "");
    assert_eq!(git(&private, &["status", "--porcelain"]), "");
}

#[test]
fn an_unknown_customer_on_a_ticket_names_file_and_line() {
    let r = Repo::with_desk();
    acme(&r).ok();
    let id = r
        .docket(&["new", "--title", "x", "--customer", "acme"])
        .ok()
        .trim()
        .to_string();
    let path = r.ticket_path(&id);
    let text = r.read(&path).replace("customer: acme", "customer: acne");
    r.write(&path, &text);
    let line = text
        .lines()
        .position(|l| l == "customer: acne")
        .expect("line")
        + 1;
    let out = r.docket(&["check"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains(&format!("{path}:{line}:1: unknown customer `acne`")),
        "{}",
        out.stdout
    );
}

#[test]
fn records_outside_any_repository_need_no_commit() {
    let r = Repo::with_desk();
    let config = r.read(".docket/config.yaml").replace(
        "customers: support/customers",
        "customers: ../loose/customers",
    );
    r.write(".docket/config.yaml", &config);
    r.git(&["commit", "-q", "-am", "customers in ../loose"])
        .ok();
    let loose = r
        .root
        .parent()
        .expect("parent")
        .join("loose/customers/acme.md");
    let err = acme(&r).fails(2).to_string();
    assert!(err.contains("not inside any other git repository"), "{err}");
    assert!(
        !loose.exists(),
        "nothing is written when it cannot be committed"
    );
    let run = r.docket(&[
        "--no-commit",
        "customer",
        "new",
        "--name",
        "Acme Logistics",
        "--slug",
        "acme",
    ]);
    run.ok();
    assert!(run.stderr.contains("not committed"), "{}", run.stderr);
    assert!(loose.is_file());
    assert_eq!(r.status(), "");
}
