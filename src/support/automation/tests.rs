use super::*;
use crate::model::{AutomationWhen, Comment, Event, Time};

fn at(s: &str) -> Timestamp {
    s.parse().expect("test time")
}

fn rule(when: AutomationWhen) -> AutomationRule {
    AutomationRule {
        name: "r".into(),
        when,
        ..AutomationRule::default()
    }
}

fn situation<'a>(status: &'a str, labels: &'a [String]) -> Situation<'a> {
    Situation {
        status,
        labels,
        tier: Some("enterprise"),
        created: at("2026-11-01T00:00:00Z"),
        active: Some(at("2026-11-02T00:00:00Z")),
        status_since: Some(at("2026-11-02T00:00:00Z")),
        sla: Vec::new(),
    }
}

const CLOSED: &[&str] = &["resolved", "closed"];

fn closed() -> Vec<String> {
    CLOSED.iter().map(|s| s.to_string()).collect()
}

#[test]
fn idle_holds_after_the_duration_and_names_the_activity() {
    let r = rule(AutomationWhen {
        status: vec!["pending".into()],
        idle: Some("3d".into()),
        ..AutomationWhen::default()
    });
    let c = compile(std::slice::from_ref(&r)).expect("compiles");
    let s = situation("pending", &[]);
    assert_eq!(
        c[0].condition(&s, &closed(), at("2026-11-04T23:59:59Z")),
        None
    );
    let cond = c[0]
        .condition(&s, &closed(), at("2026-11-05T00:00:00Z"))
        .expect("holds");
    assert_eq!(
        cond,
        "status=pending since 2026-11-02T00:00:00Z; idle since 2026-11-02T00:00:00Z"
    );
    // Later, with no new activity: the same condition, so it does not fire again.
    assert_eq!(
        c[0].condition(&s, &closed(), at("2026-11-20T00:00:00Z")),
        Some(cond)
    );
    assert_eq!(
        c[0].condition(
            &situation("open", &[]),
            &closed(),
            at("2026-11-20T00:00:00Z")
        ),
        None
    );
}

#[test]
fn without_a_status_only_open_tickets_match() {
    let labels = vec!["vip".to_string(), "billing".to_string()];
    let r = rule(AutomationWhen {
        labels: vec!["vip".into(), "billing".into()],
        tier: vec!["enterprise".into()],
        age: Some("7d".into()),
        ..AutomationWhen::default()
    });
    let c = compile(std::slice::from_ref(&r)).expect("compiles");
    let now = at("2026-11-10T00:00:00Z");
    assert_eq!(
        c[0].condition(&situation("open", &labels), &closed(), now)
            .as_deref(),
        Some("labels=billing,vip; tier=enterprise; age")
    );
    assert_eq!(
        c[0].condition(&situation("closed", &labels), &closed(), now),
        None
    );
    assert_eq!(
        c[0].condition(&situation("open", &[]), &closed(), now),
        None
    );
    assert_eq!(
        c[0].condition(
            &situation("open", &labels),
            &closed(),
            at("2026-11-07T00:00:00Z")
        ),
        None,
        "younger than 7 days"
    );
}

#[test]
fn sla_conditions_name_the_target_and_deadline() {
    let due = at("2026-11-03T00:00:00Z");
    let mut s = situation("open", &[]);
    s.sla = vec![SlaClock {
        target: "resolution".into(),
        breached: false,
        left: 3600,
        due: Some(due),
    }];
    let breached = rule(AutomationWhen {
        sla: Some(SlaCondition::Breached),
        ..AutomationWhen::default()
    });
    let risk = rule(AutomationWhen {
        sla: Some(SlaCondition::AtRisk),
        ..AutomationWhen::default()
    });
    let rules = [breached, risk];
    let c = compile(&rules).expect("compiles");
    let now = at("2026-11-02T23:00:00Z");
    assert_eq!(c[0].condition(&s, &closed(), now), None);
    let risky = c[1]
        .condition(&s, &closed(), now)
        .expect("at risk within 2h");
    assert_eq!(risky, "sla=resolution due 2026-11-03T00:00:00Z");
    // Breached later: the at-risk rule sees the same clock, so it does not fire again.
    s.sla[0].breached = true;
    s.sla[0].left = -60;
    assert_eq!(c[1].condition(&s, &closed(), now), Some(risky));
    assert!(c[0].condition(&s, &closed(), now).is_some());
}

#[test]
fn automation_entries_do_not_count_as_activity() {
    let bot = "Bot <bot@example.org>";
    let comment = |who: &str, t: &str| {
        Entry::Comment(Comment {
            author: who.into(),
            created: Time::new(t),
            internal: false,
        })
    };
    let event = |who: &str, t: &str, kind: EventKind, to: &str| {
        Entry::Event(Event {
            author: who.into(),
            created: Time::new(t),
            event: kind,
            from: None,
            to: Some(to.into()),
            condition: (kind == EventKind::Rule).then(|| "idle@1".to_string()),
        })
    };
    let entries = [
        comment("Dana <dana@example.org>", "2026-11-02T10:00:00Z"),
        event(
            "Alice <alice@example.org>",
            "2026-11-02T11:00:00Z",
            EventKind::Status,
            "pending",
        ),
        comment(bot, "2026-11-06T00:00:00Z"),
        event(bot, "2026-11-06T00:00:00Z", EventKind::Rule, "nudge"),
    ];
    let a = activity(at("2026-11-01T00:00:00Z"), entries.iter());
    assert_eq!(a.active, Some(at("2026-11-02T11:00:00Z")));
    assert_eq!(a.status_since, Some(at("2026-11-02T11:00:00Z")));
    assert_eq!(a.fired, vec![("nudge".to_string(), "idle@1".to_string())]);
}

#[test]
fn problems_name_the_rule_and_key() {
    let config = Config {
        automation: vec![
            AutomationRule {
                name: "a".into(),
                when: AutomationWhen {
                    idle: Some("soon".into()),
                    status: vec!["waiting".into()],
                    ..AutomationWhen::default()
                },
                ..AutomationRule::default()
            },
            AutomationRule {
                name: "a".into(),
                then: crate::model::AutomationThen {
                    close: true,
                    ..Default::default()
                },
                ..AutomationRule::default()
            },
        ],
        ..Config::default()
    };
    let ps = problems(&config);
    let keys: Vec<String> = ps.iter().map(|(k, _)| k.join(".")).collect();
    assert!(
        keys.contains(&"automation.0.when.idle".to_string()),
        "{ps:?}"
    );
    assert!(
        keys.contains(&"automation.0.when.status".to_string()),
        "{ps:?}"
    );
    assert!(keys.contains(&"automation.0.then".to_string()), "{ps:?}");
    assert!(keys.contains(&"automation.1.name".to_string()), "{ps:?}");
}
