//! Support operations end to end: timeline events, priority, SLA clocks on business
//! hours, CSAT and reports, driven through the binary at fixed times (`DOCKET_NOW`), with
//! the right answers worked out by hand in each test.

mod common;

use common::Repo;
use serde_json::Value;

/// A desk with a team, an office calendar in Berlin (Mon-Fri 09-17, Christmas off), the
/// `pending` status pausing the clocks, and two policies.
const CONFIG: &str = r#"workflow:
  statuses: [new, open, pending, resolved, closed]
  initial: open
  closed: [resolved, closed]
team:
  - handle: alice
    name: Alice Ng
    email: alice@example.org
tiers: [community, professional, subscription, enterprise]
priority:
  tiers: {enterprise: 1}
sla:
  paused: [pending]
  calendars:
    office:
      timezone: Europe/Berlin
      hours: {mon: ["09:00-17:00"], tue: ["09:00-17:00"], wed: ["09:00-17:00"], thu: ["09:00-17:00"], fri: ["09:00-17:00"]}
      holidays: [2026-12-25]
  policies:
    - {name: round-the-clock, tiers: [enterprise], first_response: 1h, resolution: 4h}
    - {name: office, calendar: office, first_response: 4h, next_response: 8h, resolution: 16h}
"#;

const DANA: &str = "Dana Whitfield <dana@acme.example>";

fn desk() -> Repo {
    let r = Repo::new();
    r.write(".docket/config.yaml", CONFIG);
    r.write(
        "support/customers/acme.md",
        "---\nname: Acme\ntier: enterprise\nsince: 2025-01-15\n---\n",
    );
    r.write(
        "support/customers/globex.md",
        "---\nname: Globex\ntier: enterprise\nsince: 2025-03-01\nuntil: 2026-11-20\nsla:\n  first_response: 30m\n---\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "set up docket"]).ok();
    r
}

/// Runs docket at a moment.
fn at(r: &Repo, now: &str, args: &[&str]) -> String {
    r.docket_env(args, &[("DOCKET_NOW", now)]).ok().to_string()
}

fn json_at(r: &Repo, now: &str, args: &[&str]) -> Value {
    serde_json::from_str(&at(r, now, args)).expect("JSON")
}

fn new_ticket(r: &Repo, now: &str, title: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "new",
        "--title",
        title,
        "--body",
        "It broke.",
        "--author",
        DANA,
    ];
    args.extend_from_slice(extra);
    at(r, now, &args).trim().to_string()
}

/// The ticket of the first test: opened Friday 15:00 in Berlin, answered on Monday,
/// waiting on the customer for a day, resolved on Wednesday.
fn weekend_ticket(r: &Repo) -> String {
    let t = new_ticket(r, "2026-11-06T14:00:00Z", "Crash on start", &[]);
    at(
        r,
        "2026-11-09T09:00:00Z",
        &["comment", &t, "-m", "Looking into it"],
    );
    at(r, "2026-11-09T09:30:00Z", &["set", &t, "status=pending"]);
    at(
        r,
        "2026-11-10T09:30:00Z",
        &["comment", &t, "-m", "Still broken", "--author", DANA],
    );
    at(r, "2026-11-10T09:40:00Z", &["set", &t, "status=open"]);
    at(r, "2026-11-11T12:00:00Z", &["resolve", &t]);
    t
}

#[test]
fn business_hours_skip_the_weekend_and_the_clock_stops_while_pending() {
    let r = desk();
    let t = new_ticket(&r, "2026-11-06T14:00:00Z", "Crash on start", &[]);
    // Two working hours on Friday (15-17 in Berlin), then Monday from 09:00 (08:00 UTC):
    // the four hours run out on Monday at 10:00 UTC.
    let at_risk = json_at(&r, "2026-11-09T08:30:00Z", &["sla", "--json"]);
    assert_eq!(at_risk[0]["state"], "at-risk", "{at_risk}");
    assert_eq!(at_risk[0]["target"], "first_response");
    assert_eq!(at_risk[0]["left_secs"], 5400);
    assert_eq!(at_risk[0]["due"], "2026-11-09T10:00:00Z");
    let late = json_at(&r, "2026-11-09T10:30:00Z", &["sla", "--json", "--breached"]);
    assert_eq!(late[0]["left_secs"], -1800, "{late}");
    assert!(
        at(&r, "2026-11-09T10:30:00Z", &["sla"]).contains("30m over"),
        "the table says how late"
    );
    // On Friday evening two working hours are left: not at risk within one.
    let quiet = json_at(
        &r,
        "2026-11-06T18:00:00Z",
        &["sla", "--json", "--at-risk", "1h"],
    );
    assert_eq!(quiet, serde_json::json!([]));
    drop(t);

    let r = desk();
    let t = weekend_ticket(&r);
    let shown = at(&r, "2026-11-12T00:00:00Z", &["show", &t]);
    // 2h Friday + 1h Monday; resolution: 2h + 1.5h Monday (pending from 10:30 Berlin),
    // 6h20m Tuesday from 10:40, 4h Wednesday to 13:00 = 13h50m.
    assert!(
        shown.contains("first response  met at 2026-11-09T09:00:00Z (3h of 4h)"),
        "{shown}"
    );
    assert!(
        shown.contains("resolution      met at 2026-11-11T12:00:00Z (13h 50m of 16h)"),
        "{shown}"
    );
    // The customer's Tuesday comment got no reply: 8h ran out on Wednesday 10:40 Berlin.
    assert!(
        shown.contains("next response   breached at 2026-11-11T09:40:00Z (8h), then closed"),
        "{shown}"
    );
    assert!(
        shown.contains("status open -> pending"),
        "the timeline shows events: {shown}"
    );
}

#[test]
fn a_holiday_has_no_business_hours() {
    let r = desk();
    // Thursday 24 December 16:00 Berlin: one hour that day, none on the 25th, then three
    // on Monday the 28th (the 26th and 27th are a weekend): due 11:00 UTC.
    new_ticket(&r, "2026-12-24T15:00:00Z", "Holiday crash", &[]);
    let due = json_at(
        &r,
        "2026-12-28T09:00:00Z",
        &["sla", "--json", "--at-risk", "1d"],
    );
    assert_eq!(due[0]["due"], "2026-12-28T11:00:00Z", "{due}");
}

#[test]
fn a_ticket_without_a_team_reply_stays_listed_until_answered() {
    let r = desk();
    let t = new_ticket(&r, "2026-11-03T09:00:00Z", "No answer yet", &[]);
    let list = json_at(&r, "2026-11-04T09:00:00Z", &["sla", "--json", "--breached"]);
    assert_eq!(list[0]["id"], t.as_str(), "{list}");
    // A customer's own follow-up is no response.
    at(
        &r,
        "2026-11-04T09:05:00Z",
        &["comment", &t, "-m", "Anyone?", "--author", DANA],
    );
    let still = json_at(&r, "2026-11-04T09:10:00Z", &["sla", "--json", "--breached"]);
    assert_eq!(still.as_array().map(Vec::len), Some(1), "{still}");
    // Neither is an internal note.
    at(
        &r,
        "2026-11-04T09:20:00Z",
        &["comment", &t, "-m", "Asking the devs", "--internal"],
    );
    let noted = json_at(&r, "2026-11-04T09:25:00Z", &["sla", "--json", "--breached"]);
    assert_eq!(noted[0]["target"], "first_response", "{noted}");
    at(&r, "2026-11-04T09:30:00Z", &["comment", &t, "-m", "On it"]);
    let answered = json_at(&r, "2026-11-04T09:35:00Z", &["sla", "--json", "--breached"]);
    assert!(
        answered
            .as_array()
            .is_some_and(|a| a.iter().all(|x| x["target"] != "first_response")),
        "{answered}"
    );
}

#[test]
fn reopening_resumes_the_resolution_clock_where_it_stopped() {
    let r = desk();
    // Acme is enterprise: round the clock, resolution in 4h.
    let t = new_ticket(&r, "2026-11-02T10:00:00Z", "Flaky", &["--customer", "acme"]);
    at(
        &r,
        "2026-11-02T10:20:00Z",
        &["comment", &t, "-m", "Fixed, I think"],
    );
    at(&r, "2026-11-02T12:00:00Z", &["resolve", &t]);
    at(&r, "2026-11-03T08:00:00Z", &["reopen", &t]);
    // 2h used before the close; 2h left after reopening at 08:00.
    let risk = json_at(
        &r,
        "2026-11-03T09:00:00Z",
        &["sla", "--json", "--at-risk", "2h"],
    );
    assert_eq!(risk[0]["target"], "resolution", "{risk}");
    assert_eq!(risk[0]["left_secs"], 3600);
    assert_eq!(risk[0]["due"], "2026-11-03T10:00:00Z");
    at(&r, "2026-11-03T09:30:00Z", &["close", &t]);
    let shown = at(&r, "2026-11-04T00:00:00Z", &["show", &t]);
    assert!(
        shown.contains("resolution      met at 2026-11-03T09:30:00Z (3h 30m of 4h)"),
        "{shown}"
    );
}

#[test]
fn a_customer_record_overrides_its_tiers_targets() {
    let r = desk();
    let t = new_ticket(
        &r,
        "2026-11-02T10:00:00Z",
        "Globex is down",
        &["--customer", "globex"],
    );
    let shown = at(&r, "2026-11-02T10:10:00Z", &["show", &t]);
    assert!(
        shown.contains("sla:") && shown.contains("round-the-clock"),
        "{shown}"
    );
    assert!(
        shown.contains("first response  running: 20m left of 30m"),
        "{shown}"
    );
    let late = json_at(&r, "2026-11-02T10:31:00Z", &["sla", "--json", "--breached"]);
    assert_eq!(late[0]["target"], "first_response", "{late}");
    assert_eq!(late[0]["left_secs"], -60);
}

#[test]
fn priority_comes_from_importance_urgency_and_the_tier_and_a_hand_set_band_wins() {
    let r = desk();
    let a = new_ticket(
        &r,
        "2026-11-02T10:00:00Z",
        "Enterprise, middling",
        &["--customer", "acme", "--importance", "3", "--urgency", "5"],
    );
    let b = new_ticket(
        &r,
        "2026-11-02T10:01:00Z",
        "Community, same levels",
        &["--importance", "3", "--urgency", "5"],
    );
    let c = new_ticket(
        &r,
        "2026-11-02T10:02:00Z",
        "Low levels",
        &["--importance", "1", "--urgency", "1"],
    );
    let shown = at(&r, "2026-11-02T11:00:00Z", &["show", &a]);
    assert!(
        shown.contains(
            "urgent (importance 3 x 0.5 + urgency 5 x 0.5 = 4.0, tier enterprise +1 = 5.0)"
        ),
        "{shown}"
    );
    let list = at(&r, "2026-11-02T11:00:00Z", &["list", "--sort", "priority"]);
    let order: Vec<usize> = [&a, &b, &c]
        .iter()
        .map(|id| list.find(&id[..6]).expect("listed"))
        .collect();
    assert!(order[0] < order[1] && order[1] < order[2], "{list}");
    // By hand: the low ticket becomes urgent, and an event records the band's move.
    at(&r, "2026-11-02T11:05:00Z", &["set", &c, "priority=urgent"]);
    let shown = at(&r, "2026-11-02T11:06:00Z", &["show", &c]);
    assert!(
        shown.contains("urgent (set by hand; the score would give low"),
        "{shown}"
    );
    assert!(shown.contains("priority low -> urgent"), "{shown}");
    let list = at(&r, "2026-11-02T11:07:00Z", &["list", "--sort", "priority"]);
    assert!(list.find(&c[..6]) < list.find(&b[..6]), "{list}");
}

#[test]
fn feedback_is_a_file_of_its_own_and_only_for_finished_tickets() {
    let r = desk();
    let t = new_ticket(&r, "2026-11-02T10:00:00Z", "Question", &[]);
    let refused = r.docket(&["feedback", &t, "--rating", "5"]);
    refused.fails(2);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    r.docket(&["feedback", &t, "--rating", "9"]).fails(2);
    at(&r, "2026-11-02T11:00:00Z", &["resolve", &t]);
    at(
        &r,
        "2026-11-02T12:00:00Z",
        &[
            "feedback",
            &t,
            "--rating",
            "4",
            "-m",
            "Quick, thanks",
            "--from",
            DANA,
        ],
    );
    let files = r
        .git(&["show", "--name-only", "--format=", "HEAD"])
        .ok()
        .to_string();
    let rating = files.trim();
    assert!(rating.contains(&format!("/{t}/")), "{files}");
    let text = r.read(rating);
    assert!(
        text.contains("rating: 4\n") && text.contains("recorded_by: Alice Ng <alice@example.org>"),
        "{text}"
    );
    assert!(text.contains(&format!("author: {DANA}")), "{text}");
    r.docket(&["check"]).ok();
    let shown = json_at(&r, "2026-11-03T00:00:00Z", &["show", &t, "--json"]);
    assert_eq!(shown["ratings"][0]["rating"], 4, "{shown}");
    assert_eq!(shown["ratings"][0]["body"], "Quick, thanks\n", "{shown}");
    assert_eq!(shown["events"][0]["event"], "status", "{shown}");
    assert_eq!(shown["events"][0]["to"], "resolved", "{shown}");
    assert_eq!(shown["band"]["name"], "normal", "{shown}");
    // The office policy: never answered (ended at the close), resolved within 16h.
    assert_eq!(shown["sla"][0]["target"], "first_response", "{shown}");
    assert_eq!(shown["sla"][0]["state"], "ended", "{shown}");
    assert_eq!(shown["sla"][1]["target"], "resolution", "{shown}");
    assert_eq!(shown["sla"][1]["state"], "met", "{shown}");
    let report = json_at(&r, "2026-11-30T00:00:00Z", &["report", "--format", "json"]);
    assert_eq!(
        report["total"]["csat"],
        serde_json::json!({"satisfied": 1, "count": 1})
    );
}

#[test]
fn check_reads_event_and_rating_files_like_comments() {
    let r = desk();
    let t = new_ticket(&r, "2026-11-02T10:00:00Z", "Hand-made", &[]);
    let dir = r.ticket_path(&t).trim_end_matches(".md").to_string();
    r.write(
        &format!("{dir}/20261102T110000000Z-alice-AAAA.md"),
        "---\nauthor: Alice Ng <alice@example.org>\ncreated: 2026-11-02T11:00:00Z\nevent: stauts\nto: open\n---\n",
    );
    r.write(
        &format!("{dir}/20261102T120000000Z-dana-BBBB.md"),
        "---\nauthor: Dana <dana@acme.example>\ncreated: 2026-11-02T12:00:00Z\nrating: 7\n---\n",
    );
    let out = r.docket(&["check"]);
    out.fails(1);
    assert!(
        out.stdout.contains("-alice-AAAA.md:4:") && out.stdout.contains("no kind of event"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("-dana-BBBB.md:4:") && out.stdout.contains("from 1 to 5"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_ticket_without_events_gets_a_timeline_from_created_and_resolved() {
    let r = desk();
    r.write(
        "support/tickets/OL/T-OLDTICKET1.md",
        "---\nid: T-OLDTICKET1\ntitle: Imported\nstatus: closed\ncreated: 2026-11-02T08:00:00Z\nresolved: 2026-11-02T09:30:00Z\ncustomer: acme\n---\nFrom the old tracker.\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "import"]).ok();
    let shown = at(&r, "2026-11-03T00:00:00Z", &["show", "T-OLDTICKET1"]);
    assert!(
        shown.contains("2026-11-02T09:30:00Z: status closed (inferred from created and resolved)"),
        "{shown}"
    );
    assert!(
        shown.contains("resolution      met at 2026-11-02T09:30:00Z (1h 30m of 4h)"),
        "{shown}"
    );
    let report = json_at(&r, "2026-11-30T00:00:00Z", &["report", "--format", "json"]);
    assert_eq!(
        report["total"]["resolution"]["median_secs"], 5400,
        "{report}"
    );
}

/// Four tickets whose figures are worked out by hand (see each line): Acme is on the
/// round-the-clock policy (first response 1h, resolution 4h), a ticket without a
/// customer on the office one.
fn report_desk() -> (Repo, [String; 4]) {
    let r = desk();
    let acme = ["--customer", "acme"];
    // D: opened in October, never answered, closed 16 days later.
    let d = new_ticket(&r, "2026-10-20T10:00:00Z", "Old one", &acme);
    // A: answered in 30m, resolved in 2h, rated 5.
    let a = new_ticket(&r, "2026-11-02T10:00:00Z", "Quick", &acme);
    at(
        &r,
        "2026-11-02T10:30:00Z",
        &["comment", &a, "-m", "Try this"],
    );
    at(&r, "2026-11-02T12:00:00Z", &["resolve", &a]);
    at(
        &r,
        "2026-11-02T13:00:00Z",
        &["feedback", &a, "--rating", "5", "--from", DANA],
    );
    // B: answered in 2h (late), resolved in 6h (late), rated 2.
    let b = new_ticket(&r, "2026-11-03T10:00:00Z", "Slow", &acme);
    at(
        &r,
        "2026-11-03T12:00:00Z",
        &["comment", &b, "-m", "Sorry for the wait"],
    );
    at(&r, "2026-11-03T16:00:00Z", &["resolve", &b]);
    at(
        &r,
        "2026-11-03T17:00:00Z",
        &["feedback", &b, "--rating", "2", "--from", DANA],
    );
    // C: office hours, answered in 1h, still open (16 working hours ran out on 5 Nov).
    let c = new_ticket(&r, "2026-11-04T08:00:00Z", "Open one", &[]);
    at(
        &r,
        "2026-11-04T09:00:00Z",
        &["comment", &c, "-m", "Looking"],
    );
    at(&r, "2026-11-05T10:00:00Z", &["close", &d]);
    (r, [a, b, c, d])
}

const REPORT_NOW: &str = "2026-12-01T00:00:00Z";

fn report_json(r: &Repo, extra: &[&str]) -> Value {
    let mut args = vec![
        "report",
        "--format",
        "json",
        "--since",
        "2026-10-01",
        "--until",
        "2026-11-30",
    ];
    args.extend_from_slice(extra);
    json_at(r, REPORT_NOW, &args)
}

#[test]
fn report_figures_match_the_hand_worked_answers() {
    let (r, _) = report_desk();
    let rep = report_json(&r, &[]);
    let (oct, nov) = (&rep["groups"][0], &rep["groups"][1]);
    assert_eq!(
        (oct["key"].as_str(), nov["key"].as_str()),
        (Some("2026-10"), Some("2026-11"))
    );
    assert_eq!(
        (&oct["opened"], &oct["closed"], &oct["backlog"]),
        (&1.into(), &0.into(), &1.into())
    );
    assert_eq!(
        (&nov["opened"], &nov["closed"], &nov["backlog"]),
        (&3.into(), &3.into(), &1.into())
    );
    // First responses of November's tickets: 30m, 2h, 1h (working time on the office
    // calendar for C: Wednesday 09:00-10:00 Berlin).
    assert_eq!(
        nov["first_response"],
        serde_json::json!({"count": 3, "median_secs": 3600, "p90_secs": 7200})
    );
    // Resolutions closed in November: A 2h, B 6h, D 16 days.
    assert_eq!(
        nov["resolution"],
        serde_json::json!({"count": 3, "median_secs": 21600, "p90_secs": 1382400})
    );
    let sla = |g: &Value, target: &str| -> (u64, u64) {
        let c = g["sla"]
            .as_array()
            .and_then(|a| a.iter().find(|c| c["target"] == target))
            .expect("target counted");
        (
            c["met"].as_u64().unwrap_or(99),
            c["total"].as_u64().unwrap_or(99),
        )
    };
    // October: D's first response lapsed, its resolution was late.
    assert_eq!(sla(oct, "first_response"), (0, 1));
    assert_eq!(sla(oct, "resolution"), (0, 1));
    // November: A and C answered in time, B late; only A resolved in time, C overdue.
    assert_eq!(sla(nov, "first_response"), (2, 3));
    assert_eq!(sla(nov, "resolution"), (1, 3));
    assert_eq!(nov["csat"], serde_json::json!({"satisfied": 1, "count": 2}));
    assert_eq!(rep["total"]["opened"], 4);
    assert_eq!(sla(&rep["total"], "first_response"), (2, 4));
    let hist: Vec<(String, u64)> = rep["resolution_histogram"]
        .as_array()
        .expect("buckets")
        .iter()
        .map(|b| {
            (
                b["label"].as_str().unwrap_or("").to_string(),
                b["count"].as_u64().unwrap_or(0),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(
        hist,
        [("1-4h".into(), 1), ("4-8h".into(), 1), ("> 7d".into(), 1)]
    );
    // Globex left on 20 November.
    let nov_customers = &rep["customers"][1];
    assert_eq!(
        (
            &nov_customers["start"],
            &nov_customers["lost"],
            &nov_customers["end"]
        ),
        (&2.into(), &1.into(), &1.into())
    );
    // Two months are too few to forecast.
    assert_eq!(rep["forecast"], Value::Null);

    let by_tier = report_json(&r, &["--by", "tier"]);
    let keys: Vec<&str> = by_tier["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["key"].as_str())
        .collect();
    assert_eq!(keys, ["(none)", "enterprise"]);
    assert_eq!(by_tier["groups"][1]["opened"], 3);
}

#[test]
fn the_index_and_the_files_give_the_same_answers() {
    let (r, _) = report_desk();
    for by in ["month", "tier", "customer", "assignee", "label"] {
        assert_eq!(
            report_json(&r, &["--by", by]),
            report_json(&r, &["--by", by, "--from-files"]),
            "--by {by}"
        );
    }
    for now in ["2026-11-04T08:30:00Z", "2026-11-05T15:30:00Z", REPORT_NOW] {
        assert_eq!(
            json_at(&r, now, &["sla", "--json", "--at-risk", "1d"]),
            json_at(
                &r,
                now,
                &["sla", "--json", "--at-risk", "1d", "--from-files"]
            ),
            "at {now}"
        );
    }
}

#[test]
fn a_squash_merge_gives_the_same_figures() {
    let r = desk();
    let base = new_ticket(
        &r,
        "2026-11-02T08:00:00Z",
        "Before the branch",
        &["--customer", "acme"],
    );
    r.git(&["checkout", "-q", "-b", "activity"]).ok();
    at(
        &r,
        "2026-11-02T08:30:00Z",
        &["comment", &base, "-m", "Answer"],
    );
    at(
        &r,
        "2026-11-02T09:00:00Z",
        &["set", &base, "status=pending"],
    );
    at(&r, "2026-11-02T11:00:00Z", &["set", &base, "status=open"]);
    let other = new_ticket(&r, "2026-11-02T12:00:00Z", "On the branch", &[]);
    at(&r, "2026-11-02T13:00:00Z", &["resolve", &base]);
    at(
        &r,
        "2026-11-02T14:00:00Z",
        &["feedback", &base, "--rating", "4", "--from", DANA],
    );
    let on_branch = (
        report_json(&r, &[]),
        json_at(&r, REPORT_NOW, &["sla", "--json", "--at-risk", "30d"]),
        at(&r, REPORT_NOW, &["show", &base]),
    );
    r.git(&["checkout", "-q", "main"]).ok();
    r.git(&["merge", "-q", "--squash", "activity"]).ok();
    r.git(&["commit", "-q", "-m", "Squashed support activity"])
        .ok();
    assert_eq!(r.commit_count(), 3, "set up, the first ticket, the squash");
    let on_main = (
        report_json(&r, &[]),
        json_at(&r, REPORT_NOW, &["sla", "--json", "--at-risk", "30d"]),
        at(&r, REPORT_NOW, &["show", &base]),
    );
    assert_eq!(on_branch, on_main);
    // And the numbers are the ones the files say: paused for 2 of the 5 hours.
    assert!(on_main.2.contains("(3h of 4h)"), "{}", on_main.2);
    assert!(on_main.1.to_string().contains(&other), "{}", on_main.1);
}

#[test]
fn list_filters_and_sorts_by_sla_state() {
    let r = desk();
    let late = new_ticket(&r, "2026-11-02T08:00:00Z", "Late", &["--customer", "acme"]);
    let soon = new_ticket(&r, "2026-11-02T09:30:00Z", "Soon", &["--customer", "acme"]);
    let fine = new_ticket(&r, "2026-11-02T09:50:00Z", "Fine", &["--customer", "acme"]);
    r.write(
        "support/tickets/NO/T-NOPOLICY1.md",
        "---\nid: T-NOPOLICY1\ntitle: No policy\nstatus: open\ncreated: 2026-11-02T09:00:00Z\n---\n",
    );
    r.git(&["add", "."]).ok();
    r.git(&["commit", "-q", "-m", "a ticket by hand"]).ok();
    let now = "2026-11-02T10:00:00Z";
    // Acme's first response is due 1h after opening: late is over, soon has 30m left,
    // fine 50m; the ticket without a customer is on the office calendar.
    let ids = |args: &[&str]| -> Vec<String> {
        at(&r, now, args)
            .lines()
            .skip(1)
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .collect()
    };
    assert_eq!(ids(&["list", "--sla", "breached"]), [late[..6].to_string()]);
    assert_eq!(
        ids(&["list", "--sla", "at-risk", "--at-risk", "40m"]),
        [soon[..6].to_string()]
    );
    let sorted = ids(&["list", "--sort", "sla"]);
    assert_eq!(
        &sorted[..3],
        [&late[..6], &soon[..6], &fine[..6]],
        "{sorted:?}"
    );
}

#[test]
fn check_names_the_sla_config_that_does_not_read() {
    let r = desk();
    let bad = CONFIG
        .replace(
            "first_response: 4h, next_response: 8h",
            "first_response: 4 hours, next_response: 8h",
        )
        .replace("calendar: office,", "calendar: offce,")
        .replace("timezone: Europe/Berlin", "timezone: Europe/Berln");
    r.write(".docket/config.yaml", &bad);
    let out = r.docket(&["check"]);
    out.fails(1);
    let text = &out.stdout;
    assert!(text.contains("`4 hours` is not a duration"), "{text}");
    assert!(
        text.contains("calendar `offce`, which `sla.calendars` does not define"),
        "{text}"
    );
    assert!(text.contains("Europe/Berlin"), "the zone's hint: {text}");
    assert!(text.contains(".docket/config.yaml:"), "{text}");
}

#[test]
fn a_changed_customer_record_reindexes_its_tickets() {
    let (r, [a, ..]) = report_desk();
    // Files changed within two seconds of a sync are read again at the next one anyway
    // (git's "racy clean"): wait, so that the index has settled on the tickets as they are.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let before = report_json(&r, &["--by", "tier"]);
    assert_eq!(before["groups"][1]["key"], "enterprise", "{before}");
    // Then move Acme down a tier: its tickets' policy and band follow.
    at(
        &r,
        REPORT_NOW,
        &["customer", "set", "acme", "tier=professional"],
    );
    let after = report_json(&r, &["--by", "tier"]);
    let keys: Vec<&str> = after["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["key"].as_str())
        .collect();
    assert_eq!(keys, ["(none)", "professional"], "{after}");
    assert_eq!(after, report_json(&r, &["--by", "tier", "--from-files"]));
    let shown = json_at(&r, REPORT_NOW, &["show", &a, "--json"]);
    assert_eq!(
        shown["sla"][0]["budget_secs"],
        4 * 3600,
        "the office policy: {shown}"
    );
}
