use super::*;

fn example(title: &str, body: &str, kind: &str, labels: &[&str]) -> Example {
    Example {
        title: title.into(),
        body: body.into(),
        kind: Some(kind.into()),
        labels: labels.iter().map(|l| l.to_string()).collect(),
    }
}

/// A small desk: crashes are bugs (and `crash`), questions ask how.
fn desk() -> Vec<Example> {
    let mut v = Vec::new();
    for i in 0..20 {
        v.push(example(
            &format!("App crashes on save {i}"),
            "### Steps to reproduce\n\nClick save.\n\n```\nError: null pointer\n```",
            "bug",
            &["crash"],
        ));
        v.push(example(
            &format!("How do I export my data {i}?"),
            "Is there a way to export everything? How can I do it?",
            "question",
            &["export"],
        ));
        v.push(example(
            &format!("Please add dark mode {i}"),
            "It would be nice to have an option for a dark theme.",
            "feature",
            &[],
        ));
    }
    v
}

#[test]
fn suggests_the_type_and_labels_it_learned_with_probabilities() {
    let m = Model::train(&desk(), 5);
    assert_eq!(m.kinds(), ["bug", "feature", "question"]);
    assert_eq!(m.labels(), ["crash", "export"]);
    let g = m.guess("The app crashes when I save", "Error: it crashed again");
    assert_eq!(g.kind[0].value, "bug");
    assert!(g.kind[0].confidence > 0.5, "{g:?}");
    let sum: f64 = g.kind.iter().map(|k| k.confidence).sum();
    assert!((sum - 1.0).abs() < 1e-4, "{sum}");
    assert_eq!(g.labels[0].value, "crash");
    let q = m.guess("How can I export my tickets?", "Is there a way?");
    assert_eq!(q.kind[0].value, "question");
    assert_eq!(q.labels[0].value, "export");
    assert_eq!(m.name(), "tfidf-structure-softmax");
}

#[test]
fn rare_labels_are_left_out_and_an_empty_desk_suggests_nothing() {
    let mut d = desk();
    d[0].labels.push("rare".into());
    assert!(!Model::train(&d, 5).labels().contains(&"rare".to_string()));
    assert!(Model::train(&d, 1).labels().contains(&"rare".to_string()));
    let empty = Model::train(&[], 5);
    assert_eq!(empty.guess("anything", "at all"), Guesses::default());
}

#[test]
fn every_approach_round_trips_through_bytes_and_refuses_damage() {
    for a in Approach::ALL {
        let m = Model::train_with(&desk(), 5, a);
        let bytes = m.to_bytes();
        let back = Model::from_bytes(&bytes).expect("reads back");
        assert_eq!(back, m);
        assert_eq!(back.guess("crash", "error"), m.guess("crash", "error"));
        assert_eq!(a.name().parse::<Approach>(), Ok(a));
        for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(Model::from_bytes(&bytes[..cut]), None, "{a:?} cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Model::from_bytes(&longer), None);
    }
    assert!("svm".parse::<Approach>().is_err());
}

#[test]
fn the_same_tickets_give_the_same_model() {
    let a = Model::train(&desk(), 5).to_bytes();
    let b = Model::train(&desk(), 5).to_bytes();
    assert_eq!(a, b);
}
