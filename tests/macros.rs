//! `docket reply`: templates and their placeholders, the one commit a reply makes, and
//! the KB link of `--suggest`, through the binary on a hermetic repository.

mod common;

use common::{Repo, fixture};

/// A desk with the demo's config and team (git's user is Alice Ng, member `alice`), a
/// customer with a contact, the demo's KB articles and some templates.
fn desk() -> Repo {
    let r = Repo::with_desk();
    r.write(
        "support/customers/acme.md",
        "---\nname: Acme Corp\norg: Acme Corporation Ltd\ntier: enterprise\ncontacts:\n  - {name: Dana Whitfield, email: dana@acme.example}\n---\n",
    );
    for entry in std::fs::read_dir(fixture("demo/kb")).expect("the demo's KB") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("article");
        r.write(&format!("support/kb/{name}"), &text);
    }
    r.write(
        ".docket/templates/everything.md",
        "Ticket {{ticket.id}} \"{{ticket.title}}\" is {{ticket.status}}, a {{ticket.type}} of \
         {{ticket.priority}} priority for {{ticket.assignee}}.\n\
         Reported by {{ticket.reporter}}: {{ticket.reporter_name}} at {{ticket.reporter_email}} \
         for {{ticket.customer}} on {{ticket.created}}; labels {{ticket.labels}}.\n\
         Customer {{customer.name}} ({{customer.slug}}, {{customer.tier}}, {{customer.org}}).\n\
         Agent {{agent.name}} <{{agent.email}}> as {{agent.handle}}.\n\
         Version {{ set.version }}, and \\{{literal}}.\n",
    );
    r.write(
        ".docket/templates/greeting.md",
        "Hello {{ customer.name | default: \"there\" }},\n\nthanks for {{ticket.id}}.\n",
    );
    r.write(
        ".docket/templates/ask-logs.md",
        "---\ndescription: Ask for the logs and wait\nset: [status=pending, labels+=waiting]\n---\nCould you send the logs of {{ticket.id}}?\n",
    );
    r.write(
        ".docket/templates/escalate.md",
        "---\ninternal: true\n---\nEscalating {{ticket.id}} ({{ticket.priority}}).\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "customers, articles and templates"])
        .ok();
    r
}

/// A ticket from Dana at Acme, typed and labelled, assigned to bob.
fn acme_ticket(r: &Repo) -> String {
    r.docket(&[
        "new",
        "--title",
        "tpctl fails with unknown issuer after the certificate renewal",
        "--body",
        "Since we renewed the server certificate, tpctl fails with `unknown issuer`. Does the cert file need the intermediate certificate chain for TLS? We pass tpctl a client certificate with --tls-cert and --tls-key.",
        "--customer",
        "acme",
        "--reporter",
        "Dana Whitfield <dana@acme.example>",
        "--assignee",
        "bob",
        "--label",
        "tls,tpctl",
        "--importance",
        "4",
        "--urgency",
        "3",
    ])
    .ok()
    .trim()
    .to_string()
}

/// The one comment file in a ticket's folder, added by the last commit.
fn last_comment(r: &Repo) -> String {
    let stat = r.git(&["show", "--name-only", "--format=", "HEAD"]);
    let comments: Vec<String> = stat
        .ok()
        .lines()
        .filter(|p| p.contains("/T-") && p.matches('/').count() == 4)
        .map(|p| r.read(p))
        .filter(|text| !text.contains("\nevent: "))
        .collect();
    assert_eq!(comments.len(), 1, "one comment in {}", stat.stdout);
    comments[0].clone()
}

#[test]
fn every_placeholder_family_is_filled() {
    let r = desk();
    let t = acme_ticket(&r);
    r.docket(&["set", &t, "type=incident"]).ok();
    r.docket(&[
        "reply",
        &t,
        "--template",
        "everything",
        "--set",
        "version=2.4.1",
    ])
    .ok();
    let created = r.docket(&["show", &t, "--json"]);
    let v: serde_json::Value = serde_json::from_str(created.ok()).expect("json");
    let created = v["created"].as_str().expect("created").to_string();
    let text = last_comment(&r);
    let body = text.split("---\n").nth(2).expect("a body");
    assert_eq!(
        body,
        format!(
            "Ticket {t} \"tpctl fails with unknown issuer after the certificate renewal\" is open, \
             a incident of urgent priority for bob.\n\
             Reported by Dana Whitfield <dana@acme.example>: Dana Whitfield at dana@acme.example \
             for acme on {created}; labels tls, tpctl.\n\
             Customer Acme Corp (acme, enterprise, Acme Corporation Ltd).\n\
             Agent Alice Ng <alice@example.org> as alice.\n\
             Version 2.4.1, and {{{{literal}}}}.\n"
        )
    );
    assert!(
        text.contains("author: Alice Ng <alice@example.org>"),
        "{text}"
    );
    assert!(!text.contains("internal:"), "a reply is public: {text}");
}

#[test]
fn a_reporter_given_by_email_is_named_by_the_customer_contact() {
    let r = desk();
    r.write(
        ".docket/templates/hello.md",
        "Hello {{ticket.reporter_name}}\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "hello"]).ok();
    let t = r
        .docket(&[
            "new",
            "--title",
            "Question",
            "--body",
            "Hi",
            "--customer",
            "acme",
            "--reporter",
            "dana@acme.example",
        ])
        .ok()
        .trim()
        .to_string();
    r.docket(&["reply", &t, "-t", "hello"]).ok();
    assert!(last_comment(&r).ends_with("Hello Dana Whitfield\n"));
}

#[test]
fn a_missing_value_is_an_error_naming_the_placeholder_and_line_and_nothing_is_written() {
    let r = desk();
    let t = r.new_ticket("No customer here");
    let before = r.commit_count();
    r.write(
        ".docket/templates/dear.md",
        "---\ninternal: false\n---\nHello,\n\ndear {{ customer.name }} of {{customer.org}},\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "dear"]).ok();
    let run = r.docket(&["reply", &t, "--template", "dear", "--set", "status=pending"]);
    let err = run.fails(2);
    assert!(
        err.contains(".docket/templates/dear.md:6: placeholder `{{customer.name}}` has no value"),
        "{err}"
    );
    assert!(err.contains(&format!("{t} has no customer")), "{err}");
    assert!(err.contains("hint: give it a value, or a default"), "{err}");
    assert_eq!(
        r.commit_count(),
        before + 1,
        "only the template's own commit"
    );
    assert_eq!(r.status(), "", "nothing written");
    let shown = r.docket(&["show", &t, "--json"]);
    assert!(
        shown.ok().contains("\"status\": \"open\""),
        "{}",
        shown.stdout
    );

    // A default fills it.
    r.docket(&["reply", &t, "--template", "greeting"]).ok();
    assert!(last_comment(&r).contains("Hello there,\n"));
}

#[test]
fn unknown_and_unclosed_placeholders_and_a_missing_set_value_are_errors_with_their_line() {
    let r = desk();
    let t = acme_ticket(&r);
    r.write(".docket/templates/typo.md", "Hi\n{{ticket.tilte}}\n");
    r.write(".docket/templates/open.md", "Hi\n\nsee {{ticket.id\n");
    r.write(".docket/templates/version.md", "In {{set.version}}.\n");
    r.write(
        ".docket/templates/badkey.md",
        "---\ninternal: true\nsubject: Hi\n---\nHi\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "broken templates"]).ok();
    let before = r.commit_count();
    let cases = [
        (
            "typo",
            ".docket/templates/typo.md:2: unknown placeholder `{{ticket.tilte}}`",
        ),
        (
            "open",
            ".docket/templates/open.md:3: `{{` is not closed on its line",
        ),
        (
            "version",
            ".docket/templates/version.md:1: placeholder `{{set.version}}` has no value: no `--set version=VALUE` was given",
        ),
        (
            "badkey",
            ".docket/templates/badkey.md:3: unknown key `subject`",
        ),
    ];
    for (name, want) in cases {
        let run = r.docket(&["reply", &t, "-t", name]);
        let err = run.fails(2);
        assert!(err.contains(want), "{name}: {err}");
        assert!(err.contains("hint: "), "{name}: {err}");
    }
    let err = r.docket(&["reply", &t, "-t", "typo"]).stderr;
    assert!(
        err.contains("templates can use ticket.id, ticket.title"),
        "{err}"
    );
    assert_eq!(r.commit_count(), before);
    assert_eq!(r.status(), "");
}

#[test]
fn an_unknown_template_is_an_error_naming_its_path() {
    let r = desk();
    let t = r.new_ticket("Anything");
    let run = r.docket(&["reply", &t, "--template", "fixed"]);
    let err = run.fails(2);
    assert!(
        err.contains("error: no template `fixed`: .docket/templates/fixed.md does not exist"),
        "{err}"
    );
    assert!(
        err.contains(
            "hint: the templates are ask-logs, closing-abandoned, escalate, escalation, everything, fixed-in-release, greeting, still-waiting"
        ),
        "{err}"
    );
    let err = r
        .docket(&["reply", &t, "--template", "../config"])
        .fails(2)
        .to_string();
    assert!(err.contains("is not a template name"), "{err}");
    assert_eq!(r.status(), "");
}

#[test]
fn reply_with_set_is_one_commit_with_the_comment_and_the_change() {
    let r = desk();
    let t = acme_ticket(&r);
    let before = r.commit_count();
    let run = r.docket(&[
        "reply",
        &t,
        "--template",
        "greeting",
        "--set",
        "status=pending",
        "--set",
        "labels+=answered",
    ]);
    run.ok();
    assert!(
        run.stderr.contains(&format!("reply {t} [main ")),
        "{}",
        run.stderr
    );
    assert_eq!(r.commit_count(), before + 1);
    assert_eq!(r.status(), "");
    let show = r.git(&["show", "--stat=200", "--format=%B", "HEAD"]);
    let show = show.ok();
    let subject = format!("docket: reply {t} \"tpctl fails with unknown issuer after");
    assert!(show.starts_with(&subject), "{show}");
    for line in [
        "reply from template greeting",
        "status: open -> pending",
        "labels: +answered",
        "comment added",
        "Docket-Action: reply",
        "Docket-Template: greeting",
        "3 files changed",
    ] {
        assert!(show.contains(line), "{line} in {show}");
    }
    let ticket = r.read(&r.ticket_path(&t));
    assert!(ticket.contains("status: pending"), "{ticket}");
    assert!(ticket.contains("answered"), "{ticket}");
    assert!(last_comment(&r).contains("Hello Acme Corp,\n\nthanks for"));
}

#[test]
fn a_template_sets_values_and_can_be_an_internal_note() {
    let r = desk();
    let t = acme_ticket(&r);
    r.docket(&["reply", &t, "-t", "ask-logs"]).ok();
    let ticket = r.read(&r.ticket_path(&t));
    assert!(ticket.contains("status: pending"), "{ticket}");
    assert!(ticket.contains("- waiting"), "{ticket}");
    r.docket(&["reply", &t, "-t", "escalate"]).ok();
    let note = last_comment(&r);
    assert!(note.contains("internal: true"), "{note}");
    assert!(
        note.ends_with(&format!("Escalating {t} (urgent).\n")),
        "{note}"
    );
}

#[test]
fn set_values_that_are_no_field_must_be_used_by_the_template() {
    let r = desk();
    let t = acme_ticket(&r);
    let before = r.commit_count();
    let err = r
        .docket(&["reply", &t, "-t", "greeting", "--set", "verison=2"])
        .fails(2)
        .to_string();
    assert!(
        err.contains("--set verison: `verison` is not a ticket field, and .docket/templates/greeting.md has no {{set.verison}}"),
        "{err}"
    );
    // Without a template, `--set` is `docket set`'s, with its checks.
    let err = r
        .docket(&["reply", &t, "-m", "Thanks", "--set", "verison=2"])
        .fails(2)
        .to_string();
    assert!(err.contains("verison"), "{err}");
    assert_eq!(r.commit_count(), before);
}

#[test]
fn reply_takes_a_text_or_a_template_but_not_both() {
    let r = desk();
    let t = r.new_ticket("Plain");
    r.docket(&["reply", &t, "-m", "- first, empty the cache"])
        .ok();
    assert!(last_comment(&r).ends_with("- first, empty the cache\n"));
    r.docket(&["reply", &t, "-m", "x", "-t", "greeting"])
        .fails(2);
    r.docket(&["reply", &t]).fails(2);
}

#[test]
fn suggest_links_the_best_article_above_the_threshold() {
    let r = desk();
    let t = acme_ticket(&r);
    let run = r.docket(&["reply", &t, "-t", "greeting", "--suggest"]);
    run.ok();
    assert!(
        run.stderr.contains("linking KB article tls-setup (score "),
        "{}",
        run.stderr
    );
    let comment = last_comment(&r);
    assert!(
        comment.ends_with(
            "\n\nSee also: [Enabling TLS and client certificates for the HTTP API](support/kb/tls-setup.md)\n"
        ),
        "{comment}"
    );
    let ticket = r.read(&r.ticket_path(&t));
    assert!(ticket.contains("articles:\n    - tls-setup"), "{ticket}");
    let show = r.git(&["show", "--format=%B", "-s", "HEAD"]);
    assert!(
        show.ok().contains("links.articles: +tls-setup"),
        "{}",
        show.stdout
    );

    // With an address configured, the link is the published page.
    let config = r.read(".docket/config.yaml")
        + "reply:\n  article_url: https://docs.example.org/kb/{slug}/\n";
    r.write(".docket/config.yaml", &config);
    r.git(&["commit", "-q", "-am", "article urls"]).ok();
    r.docket(&["reply", &t, "-m", "Here is how.", "--suggest"])
        .ok();
    assert!(
        last_comment(&r).ends_with("(https://docs.example.org/kb/tls-setup/)\n"),
        "{}",
        last_comment(&r)
    );
}

#[test]
fn suggest_below_the_threshold_says_so_and_adds_nothing() {
    let r = desk();
    // A ticket no article answers, at the default threshold.
    let other = r
        .docket(&[
            "new",
            "--title",
            "Please change our invoice address",
            "--body",
            "Our billing department moved to a new office.",
        ])
        .ok()
        .trim()
        .to_string();
    let run = r.docket(&["reply", &other, "-m", "Done.", "--suggest"]);
    run.ok();
    assert!(
        run.stderr.contains("no KB article linked"),
        "{}",
        run.stderr
    );
    assert!(
        last_comment(&r).ends_with("---\nDone.\n"),
        "{}",
        last_comment(&r)
    );

    let t = acme_ticket(&r);
    let config = r.read(".docket/config.yaml") + "reply:\n  suggest_threshold: 0.99\n";
    r.write(".docket/config.yaml", &config);
    r.git(&["commit", "-q", "-am", "a strict threshold"]).ok();
    let run = r.docket(&["reply", &t, "-t", "greeting", "--suggest"]);
    run.ok();
    assert!(
        run.stderr
            .contains("no KB article linked: the best, tls-setup, scores 0.")
            && run.stderr.contains("below reply.suggest_threshold 0.99"),
        "{}",
        run.stderr
    );
    let comment = last_comment(&r);
    assert!(!comment.contains("See also"), "{comment}");
    assert!(!r.read(&r.ticket_path(&t)).contains("articles:"));
}

#[test]
fn the_demo_templates_render_on_the_demo() {
    let r = Repo::bare_dir();
    let demo = r.scratch().join("demo");
    r.docket(&["demo", demo.to_str().expect("utf-8 temp path")])
        .ok();
    let run = |args: &[&str]| {
        let mut cmd = r.command(std::path::Path::new(env!("CARGO_BIN_EXE_docket")), args);
        cmd.current_dir(&demo)
            .env("DOCKET_AUTHOR", "Chen Wei <chen@example.org>");
        common::Run::of(cmd.output().expect("docket runs"))
    };
    let list = run(&["list", "--status", "pending", "--json"]);
    let v: serde_json::Value = serde_json::from_str(list.ok()).expect("json");
    let id = v[0]["id"].as_str().expect("a pending ticket").to_string();
    for (template, extra) in [
        ("still-waiting", None),
        ("fixed-in-release", Some("version=1.6.2")),
        ("escalation", None),
        ("closing-abandoned", None),
    ] {
        let mut args = vec!["reply", id.as_str(), "-t", template];
        if let Some(e) = extra {
            args.extend(["--set", e]);
        }
        let out = run(&args);
        assert_eq!(out.code, 0, "{template}: {}", out.stderr);
    }
    let shown = run(&["show", &id]);
    let text = shown.ok();
    assert!(text.contains("tidepool 1.6.2"), "{text}");
    assert!(text.contains("Chen Wei"), "{text}");
    assert!(!text.contains("{{"), "{text}");
}
