//! Whole plans from a made-up corpus: the fields agree with the timelines, the desk has
//! the shape it should, and the files parse as docket reads them.

use super::*;
use crate::corpus::Doc;
use crate::timeline::is_closed;

/// A corpus of a few made-up documents: enough for the plan's shape.
fn corpus() -> Corpus {
    let doc = |title: &str, kind| Doc {
        title: title.into(),
        paras: vec![
            format!("{title} happens every morning."),
            "It still fails.".into(),
        ],
        kind,
    };
    let tickets = vec![
        doc("Login loops back to the start page", "question"),
        doc("NameNode crashes on restart", "bug"),
    ];
    let ticket_paras = tickets.iter().flat_map(|d| d.paras.clone()).collect();
    Corpus {
        tickets,
        ticket_paras,
        answer_paras: vec!["Clear the cache and sign in again.".into()],
        articles: vec![doc("Signing in", "article")],
        article_paras: vec!["Open the page.".into()],
        title_sentences: vec![("Backups stop after the upgrade".into(), 0)],
    }
}

fn plan(seed: u64) -> Plan {
    let sizes = Sizes {
        tickets: 3000,
        comments_per_ticket: 3,
        articles: 5,
    };
    Plan::build(&corpus(), sizes, &mut Rng::new(seed)).expect("a plan")
}

#[test]
fn fields_agree_with_the_timeline() {
    let p = plan(1);
    let config: docket::model::Config =
        docket::doc::parse_yaml(crate::policy::config_text().as_bytes()).expect("config");
    for t in &p.tickets {
        let statuses: Vec<_> = t.events.iter().filter(|e| e.kind == "status").collect();
        let mut status = "open";
        for e in &statuses {
            let (from, to) = (e.from.as_deref(), e.to.as_deref().unwrap_or(""));
            assert_eq!(from, Some(status), "{}: chain broken", t.id);
            assert!(
                config.workflow.allows(status, to),
                "{}: {status} -> {to}",
                t.id
            );
            status = to;
        }
        assert_eq!(t.status, status, "{}", t.id);
        let first_close = statuses
            .iter()
            .find(|e| e.to.as_deref().is_some_and(is_closed))
            .map(|e| e.created);
        assert_eq!(t.resolved, first_close, "{}", t.id);
        assert_eq!(t.resolution.is_some(), is_closed(t.status), "{}", t.id);
        let assigned = t.events.iter().rev().find(|e| e.kind == "assignee");
        assert_eq!(
            t.assignee,
            assigned.and_then(|e| e.to.as_deref()),
            "{}",
            t.id
        );
        let times = t
            .comments
            .iter()
            .map(|c| c.created)
            .chain(t.events.iter().map(|e| e.created));
        for at in times {
            assert!(t.created < at && at <= END, "{}: {at}", t.id);
        }
        if let Some(r) = &t.rating {
            assert!(
                is_closed(t.status) && (1..=5).contains(&r.rating),
                "{}",
                t.id
            );
            assert!(t.resolved.is_some_and(|c| c < r.created), "{}", t.id);
        }
    }
}

#[test]
fn the_desk_has_a_realistic_shape() {
    let p = plan(2);
    let n = p.tickets.len() as f64;
    let t = &p.tally;
    let share = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    assert!((2.9..=3.0).contains(&(t.comments as f64 / n)), "{t:?}");
    assert!((1.8..=2.6).contains(&(t.events as f64 / n)), "{t:?}");
    assert!(
        (0.08..=0.16).contains(&share(t.open, p.tickets.len())),
        "{t:?}"
    );
    assert!(
        (0.02..=0.07).contains(&share(t.first_late, t.first_due)),
        "{t:?}"
    );
    let closed = p.tickets.iter().filter(|t| is_closed(t.status)).count();
    assert!((0.22..=0.36).contains(&share(t.ratings, closed)), "{t:?}");
    let kinds = |k: &str| {
        p.tickets
            .iter()
            .flat_map(|t| &t.events)
            .filter(|e| e.kind == k)
            .count()
    };
    assert!(kinds("priority") > 0 && kinds("assignee") > p.tickets.len() * 9 / 10);
    assert!(p.tickets.iter().any(|t| t.status == "pending"));
    assert!(p.tickets.iter().any(|t| t.customer.is_none()));
    let weekend = p
        .tickets
        .iter()
        .filter(|t| (t.created / DAY + 3).rem_euclid(7) >= 5)
        .count();
    assert!(
        share(weekend, p.tickets.len()) < 0.15,
        "{weekend} on weekends"
    );
}

#[test]
fn files_parse_as_docket_reads_them_and_repeat_with_the_seed() {
    let (a, b) = (plan(3), plan(3));
    for (x, y) in a.tickets.iter().zip(&b.tickets).take(300) {
        assert_eq!(x.id, y.id);
        for (e, f) in x.events.iter().zip(&y.events) {
            let text = crate::format::event_text(e).expect("renders");
            assert_eq!(text, crate::format::event_text(f).expect("renders"));
            let doc = docket::doc::Document::parse(text.as_bytes()).expect("parses");
            let event: docket::model::Event =
                docket::doc::from_value(docket::doc::Value::Mapping(doc.values().clone()))
                    .expect("an event");
            assert_eq!(event.event.as_str(), e.kind);
        }
        if let Some(r) = &x.rating {
            let text = crate::format::rating_text(r).expect("renders");
            let doc = docket::doc::Document::parse(text.as_bytes()).expect("parses");
            let rating: docket::model::Rating =
                docket::doc::from_value(docket::doc::Value::Mapping(doc.values().clone()))
                    .expect("a rating");
            assert_eq!(rating.rating, r.rating);
        }
    }
}
