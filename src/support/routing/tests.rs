use super::*;
use crate::model::{Config, Group, GroupStrategy, RuleMatch, RuleSet};

fn rule(name: &str, when: RuleMatch, then: RuleSet) -> RoutingRule {
    RoutingRule {
        name: name.into(),
        when,
        then,
    }
}

fn assign(who: &str) -> RuleSet {
    RuleSet {
        assignee: Some(who.into()),
        ..RuleSet::default()
    }
}

fn router(mode: RoutingMode, rules: Vec<RoutingRule>) -> Router {
    Router::new(&Routing { mode, rules }).expect("the patterns compile")
}

fn ticket<'a>(title: &'a str, body: &'a str) -> RuleTicket<'a> {
    RuleTicket {
        title,
        body,
        ..RuleTicket::default()
    }
}

fn matched(r: &Router, t: &RuleTicket) -> Vec<String> {
    r.decide(t).matched
}

#[test]
fn each_condition_kind_matches_only_its_tickets() {
    let labels = ["crash".to_string()];
    let base = RuleTicket {
        title: "TLS handshake fails",
        body: "since the upgrade",
        labels: &labels,
        customer: Some("acme"),
        tier: Some("enterprise"),
        kind: Some("bug"),
        reporter: Some("Dana <dana@Mail.Acme.example>"),
    };
    let cases: Vec<(RuleMatch, bool)> = vec![
        (
            RuleMatch {
                labels: vec!["crash".into()],
                ..Default::default()
            },
            true,
        ),
        (
            RuleMatch {
                labels: vec!["ui".into()],
                ..Default::default()
            },
            false,
        ),
        (
            RuleMatch {
                text: Some("(?i)upgrade".into()),
                ..Default::default()
            },
            true,
        ),
        (
            RuleMatch {
                title: Some("upgrade".into()),
                ..Default::default()
            },
            false,
        ),
        (
            RuleMatch {
                title: Some("^TLS".into()),
                ..Default::default()
            },
            true,
        ),
        (
            RuleMatch {
                body: Some("TLS".into()),
                ..Default::default()
            },
            false,
        ),
        (
            RuleMatch {
                customer: vec!["acme".into()],
                ..Default::default()
            },
            true,
        ),
        (
            RuleMatch {
                customer: vec!["kestrel".into()],
                ..Default::default()
            },
            false,
        ),
        (
            RuleMatch {
                tier: vec!["enterprise".into()],
                ..Default::default()
            },
            true,
        ),
        (
            RuleMatch {
                tier: vec!["community".into()],
                ..Default::default()
            },
            false,
        ),
        (
            RuleMatch {
                kind: vec!["question".into(), "bug".into()],
                ..Default::default()
            },
            true,
        ),
        (
            RuleMatch {
                kind: vec!["question".into()],
                ..Default::default()
            },
            false,
        ),
        (
            RuleMatch {
                domain: vec!["acme.example".into()],
                ..Default::default()
            },
            true,
        ),
        (
            RuleMatch {
                domain: vec!["@MAIL.acme.example".into()],
                ..Default::default()
            },
            true,
        ),
        (
            RuleMatch {
                domain: vec!["me.example".into()],
                ..Default::default()
            },
            false,
        ),
        (RuleMatch::default(), true),
        // Every condition given must hold.
        (
            RuleMatch {
                customer: vec!["acme".into()],
                tier: vec!["community".into()],
                ..Default::default()
            },
            false,
        ),
    ];
    for (i, (when, expected)) in cases.into_iter().enumerate() {
        let r = router(
            RoutingMode::All,
            vec![rule("r", when.clone(), assign("bob"))],
        );
        assert_eq!(
            !matched(&r, &base).is_empty(),
            expected,
            "case {i}: {when:?}"
        );
    }
}

#[test]
fn a_ticket_without_the_value_matches_no_list_condition() {
    let t = ticket("x", "y");
    for when in [
        RuleMatch {
            customer: vec!["acme".into()],
            ..Default::default()
        },
        RuleMatch {
            tier: vec!["enterprise".into()],
            ..Default::default()
        },
        RuleMatch {
            kind: vec!["bug".into()],
            ..Default::default()
        },
        RuleMatch {
            domain: vec!["acme.example".into()],
            ..Default::default()
        },
    ] {
        let r = router(RoutingMode::All, vec![rule("r", when, assign("bob"))]);
        assert!(matched(&r, &t).is_empty());
    }
}

#[test]
fn reporter_domains_read_from_every_form() {
    assert_eq!(
        reporter_domain("A <a@x.example>").as_deref(),
        Some("x.example")
    );
    assert_eq!(
        reporter_domain("a@X.Example.").as_deref(),
        Some("x.example")
    );
    assert_eq!(reporter_domain("alice"), None);
    assert_eq!(reporter_domain("A <a@>"), None);
    assert!(domain_matches("mail.acme.example", "acme.example"));
    assert!(!domain_matches("badacme.example", "acme.example"));
    assert!(!domain_matches("acme.example", ""));
}

#[test]
fn first_mode_stops_at_the_first_match_and_all_mode_layers() {
    let rules = vec![
        rule(
            "one",
            RuleMatch::default(),
            RuleSet {
                assignee: Some("alice".into()),
                labels: vec!["a".into()],
                urgency: Some(2),
                ..RuleSet::default()
            },
        ),
        rule(
            "two",
            RuleMatch::default(),
            RuleSet {
                assignee: Some("bob".into()),
                labels: vec!["a".into(), "b".into()],
                kind: Some("bug".into()),
                ..RuleSet::default()
            },
        ),
    ];
    let first = router(RoutingMode::First, rules.clone()).decide(&ticket("t", "b"));
    assert_eq!(first.matched, ["one"]);
    assert_eq!(first.assignee.map(|a| a.value).as_deref(), Some("alice"));
    assert_eq!(first.kind, None);

    let all = router(RoutingMode::All, rules).decide(&ticket("t", "b"));
    assert_eq!(all.matched, ["one", "two"]);
    let a = all.assignee.expect("assigned");
    assert_eq!((a.value.as_str(), a.rule.as_str()), ("bob", "two"));
    assert_eq!(
        all.urgency.map(|u| (u.value, u.rule)),
        Some((2, "one".into()))
    );
    let labels: Vec<(&str, &str)> = all
        .labels
        .iter()
        .map(|l| (l.value.as_str(), l.rule.as_str()))
        .collect();
    assert_eq!(labels, [("a", "one"), ("b", "two")]);
}

#[test]
fn a_bad_pattern_is_an_error_naming_its_key() {
    let r = rule(
        "tls",
        RuleMatch {
            body: Some("(unclosed".into()),
            ..Default::default()
        },
        assign("bob"),
    );
    let e = Router::new(&Routing {
        mode: RoutingMode::All,
        rules: vec![rule("ok", RuleMatch::default(), assign("bob")), r],
    })
    .expect_err("does not compile");
    assert_eq!(e.key.join("."), "routing.rules.1.when.body");
    assert!(e.message.contains("rule `tls`"), "{}", e.message);
    assert!(e.message.contains("unclosed group"), "{}", e.message);
    assert!(!e.message.contains('\n'), "{}", e.message);
}

fn group(strategy: GroupStrategy, members: &[&str]) -> Group {
    Group {
        members: members.iter().map(|m| m.to_string()).collect(),
        strategy,
    }
}

fn load(handle: &str, open: usize, latest: Option<i64>) -> MemberLoad {
    MemberLoad {
        handle: handle.into(),
        open,
        latest,
    }
}

#[test]
fn round_robin_goes_to_the_member_whose_latest_ticket_is_oldest() {
    let g = group(GroupStrategy::RoundRobin, &["a", "b", "c"]);
    assert_eq!(pick_member(&g, &[]).as_deref(), Some("a"));
    let loads = vec![
        load("a", 9, Some(300)),
        load("b", 0, Some(100)),
        load("c", 0, Some(200)),
    ];
    assert_eq!(pick_member(&g, &loads).as_deref(), Some("b"));
    // Never assigned comes first.
    let loads = vec![load("a", 0, Some(300)), load("b", 0, Some(100))];
    assert_eq!(pick_member(&g, &loads).as_deref(), Some("c"));
    assert_eq!(
        pick_member(&group(GroupStrategy::RoundRobin, &[]), &loads),
        None
    );
}

#[test]
fn one_run_goes_round_the_group_in_turn() {
    let g = group(GroupStrategy::RoundRobin, &["a", "b", "c"]);
    let mut loads = vec![
        load("c", 0, Some(50)),
        load("a", 0, Some(60)),
        load("b", 0, Some(70)),
    ];
    let mut got = Vec::new();
    for _ in 0..6 {
        let m = pick_member(&g, &loads).expect("members");
        assigned(&mut loads, &m, 1000);
        got.push(m);
    }
    assert_eq!(got, ["c", "a", "b", "c", "a", "b"]);
}

#[test]
fn fewest_open_goes_to_the_least_loaded_then_the_first_listed() {
    let g = group(GroupStrategy::FewestOpen, &["chen", "alice"]);
    let mut loads = vec![load("alice", 1, None), load("chen", 2, Some(5))];
    let mut got = Vec::new();
    for _ in 0..4 {
        let m = pick_member(&g, &loads).expect("members");
        assigned(&mut loads, &m, 10);
        got.push(m);
    }
    assert_eq!(got, ["alice", "chen", "alice", "chen"]);
}

#[test]
fn loads_count_open_tickets_and_the_latest_opened() {
    let got = loads([
        (Some("bob"), true, Some(10)),
        (Some("bob"), false, Some(30)),
        (Some("alice"), false, Some(5)),
        (None, true, Some(99)),
        (Some(""), true, Some(99)),
        (Some("bob"), true, None),
    ]);
    assert_eq!(got, [load("alice", 0, Some(5)), load("bob", 2, Some(30))]);
}

fn config(yaml: &str) -> Config {
    serde_norway::from_str(yaml).expect("a config")
}

fn keys_and_messages(c: &Config) -> Vec<(String, String)> {
    problems(c)
        .into_iter()
        .map(|(k, m)| (k.join("."), m))
        .collect()
}

#[test]
fn problems_name_the_key_and_the_fix() {
    let c = config(
        r"
team: [{handle: alice}, {handle: bob}]
groups:
  ops: {members: [alice, zed]}
  empty: {members: []}
routing:
  rules:
    - name: a
      when: {text: '(x'}
      then: {assignee: carol}
    - name: a
      then: {assignee: 'group:nope', importance: 7, urgency: 0, priority: asap}
    - when: {labels: [x]}
      then: {}
triage: {threshold: 1.5, untriaged: [assignee, colour], learn: [type, mood]}
",
    );
    let got = keys_and_messages(&c);
    let has = |key: &str, words: &str| {
        assert!(
            got.iter().any(|(k, m)| k == key && m.contains(words)),
            "no `{words}` under {key}: {got:#?}"
        );
    };
    has("routing.rules.0.when.text", "not a regular expression");
    has(
        "routing.rules.0.then.assignee",
        "`carol`, who is not in `team`",
    );
    has("routing.rules.1.name", "name of an earlier rule");
    has("routing.rules.1.then.assignee", "group `nope`");
    has("routing.rules.1.then.importance", "importance 7");
    has("routing.rules.1.then.urgency", "urgency 0");
    has("routing.rules.1.then.priority", "`asap`");
    has("routing.rules.2.name", "has no `name`");
    has("routing.rules.2.then", "sets nothing");
    has("groups.ops.members", "`zed`, who is not in `team`");
    has("groups.empty.members", "no members");
    has("triage.threshold", "from 0 to 1");
    has("triage.untriaged", "`colour`");
    has("triage.learn", "`mood`");
    assert_eq!(got.len(), 14, "{got:#?}");
}

#[test]
fn the_demo_config_has_no_problems() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/demo/config.yaml"
    ))
    .expect("the demo config");
    assert_eq!(keys_and_messages(&config(&text)), []);
}
