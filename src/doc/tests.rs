use super::*;
use proptest::prelude::*;

fn doc(text: &str) -> Document {
    Document::parse(text.as_bytes()).expect("test document parses")
}

fn path(p: &str) -> Vec<String> {
    p.split('.').map(str::to_string).collect()
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// Lines of `a` not in `b` and of `b` not in `a`, by position-insensitive diff size.
fn changed_lines(a: &str, b: &str) -> (usize, usize) {
    let al: Vec<&str> = a.lines().collect();
    let bl: Vec<&str> = b.lines().collect();
    // Longest common subsequence: small inputs only.
    let mut dp = vec![vec![0usize; bl.len() + 1]; al.len() + 1];
    for i in (0..al.len()).rev() {
        for j in (0..bl.len()).rev() {
            dp[i][j] = if al[i] == bl[j] {
                dp[i + 1][j + 1] + 1
            } else {
                dp[i + 1][j].max(dp[i][j + 1])
            };
        }
    }
    (al.len() - dp[0][0], bl.len() - dp[0][0])
}

const TICKET: &str = "---
id: T-4K7QX2M9AB
# the title as the reporter wrote it
title: 'Crash on start: empty config'
status: open   # triaged
labels:
  - crash
  - config
x-sync: jira-123
links:
  articles:
    - config-reference
---
The body.

---
More body after a rule.
";

#[test]
fn round_trip_is_byte_identical() {
    let d = doc(TICKET);
    assert_eq!(d.text(), TICKET);
    assert_eq!(d.get(&["status"]), Some(&s("open")));
    assert_eq!(
        d.get(&["links", "articles"])
            .and_then(|v| v.as_sequence())
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(d.body(), "The body.\n\n---\nMore body after a rule.\n");
}

#[test]
fn set_changes_one_line_and_keeps_the_comment() {
    let mut d = doc(TICKET);
    d.apply(&Edit::Set(path("status"), s("pending")))
        .expect("edits");
    assert!(d.text().contains("status: pending   # triaged\n"));
    assert_eq!(changed_lines(TICKET, d.text()), (1, 1));
}

#[test]
fn adding_a_label_adds_one_line() {
    let mut d = doc(TICKET);
    d.apply(&Edit::Push(path("labels"), s("regression")))
        .expect("edits");
    assert!(d.text().contains("  - config\n  - regression\nx-sync"));
    assert_eq!(changed_lines(TICKET, d.text()), (0, 1));
}

#[test]
fn pushing_a_present_label_changes_nothing() {
    let mut d = doc(TICKET);
    d.apply(&Edit::Push(path("labels"), s("crash")))
        .expect("edits");
    assert_eq!(d.text(), TICKET);
}

#[test]
fn removing_a_label_removes_one_line() {
    let mut d = doc(TICKET);
    d.apply(&Edit::Pull(path("labels"), s("crash")))
        .expect("edits");
    assert_eq!(changed_lines(TICKET, d.text()), (1, 0));
    assert!(!d.text().contains("- crash"));
}

#[test]
fn nested_push_and_new_nested_key() {
    let mut d = doc(TICKET);
    d.apply(&Edit::Push(path("links.articles"), s("faq")))
        .expect("edits");
    assert!(d.text().contains("    - config-reference\n    - faq\n"));
    d.apply(&Edit::Set(path("links.duplicate_of"), s("T-AAAA")))
        .expect("edits");
    assert!(d.text().contains("    - faq\n  duplicate_of: T-AAAA\n---"));
    assert_eq!(d.get(&["links", "duplicate_of"]), Some(&s("T-AAAA")));
}

#[test]
fn new_key_goes_after_the_last_key() {
    let mut d = doc(TICKET);
    d.apply(&Edit::Set(path("assignee"), s("alice")))
        .expect("edits");
    assert!(
        d.text()
            .contains("    - config-reference\nassignee: alice\n---\n")
    );
    assert_eq!(changed_lines(TICKET, d.text()), (0, 1));
}

#[test]
fn remove_a_key() {
    let mut d = doc(TICKET);
    d.apply(&Edit::Remove(path("x-sync"))).expect("edits");
    assert_eq!(changed_lines(TICKET, d.text()), (1, 0));
    assert_eq!(d.get(&["x-sync"]), None);
}

#[test]
fn flow_lists_grow_in_place() {
    let text = "---\ntags: [a, b]\nempty: []\n---\n";
    let mut d = doc(text);
    d.apply(&Edit::Push(path("tags"), s("c"))).expect("edits");
    d.apply(&Edit::Push(path("empty"), s("x, y")))
        .expect("edits");
    assert_eq!(d.text(), "---\ntags: [a, b, c]\nempty: [\"x, y\"]\n---\n");
}

#[test]
fn compact_lists_keep_their_style() {
    let text = "---\ntags:\n- a\ndate: 2020-01-01\n---\n";
    let mut d = doc(text);
    d.apply(&Edit::Push(path("tags"), s("b"))).expect("edits");
    assert_eq!(d.text(), "---\ntags:\n- a\n- b\ndate: 2020-01-01\n---\n");
}

#[test]
fn crlf_files_stay_crlf() {
    let text = "---\r\nid: T-1\r\nlabels:\r\n  - a\r\n---\r\nbody\r\n";
    let mut d = doc(text);
    d.apply(&Edit::Push(path("labels"), s("b"))).expect("edits");
    d.apply(&Edit::Set(path("status"), s("open")))
        .expect("edits");
    assert_eq!(
        d.text(),
        "---\r\nid: T-1\r\nlabels:\r\n  - a\r\n  - b\r\nstatus: open\r\n---\r\nbody\r\n"
    );
}

#[test]
fn values_that_need_quotes_are_quoted() {
    let mut d = doc("---\ntitle: x\n---\n");
    d.apply(&Edit::Set(path("title"), s("Error: disk full")))
        .expect("edits");
    assert_eq!(d.get(&["title"]), Some(&s("Error: disk full")));
    d.apply(&Edit::Set(path("title"), s("yes"))).expect("edits");
    assert_eq!(d.get(&["title"]), Some(&s("yes")));
}

#[test]
fn a_file_without_frontmatter_gets_one() {
    let mut d = doc("# Just markdown\n");
    assert!(!d.has_frontmatter());
    d.apply(&Edit::Set(path("title"), s("Hi"))).expect("edits");
    assert_eq!(d.text(), "---\ntitle: Hi\n---\n# Just markdown\n");
}

#[test]
fn block_scalars_are_replaced_whole() {
    let text = "---\ndescription: |\n  line one\n  # not a comment\nid: x\n---\n";
    let mut d = doc(text);
    d.apply(&Edit::Set(path("description"), s("short")))
        .expect("edits");
    assert_eq!(d.text(), "---\ndescription: short\nid: x\n---\n");
}

#[test]
fn flow_mapping_falls_back_to_rewriting_the_key() {
    let text = "---\nlinks: {articles: [a]}\nid: x\n---\n";
    let mut d = doc(text);
    d.apply(&Edit::Push(path("links.articles"), s("b")))
        .expect("edits");
    assert_eq!(
        d.get(&["links", "articles"]),
        Some(&Value::Sequence(vec![s("a"), s("b")]))
    );
    assert!(d.text().ends_with("id: x\n---\n"));
}

#[test]
fn errors_point_at_the_file_line() {
    let err = Document::parse(b"---\nid: x\ntitle: \"oops\n---\n").expect_err("bad yaml");
    let (line, _) = err.position();
    assert!((2..=4).contains(&line), "{err:?}");
    let err = Document::parse(b"---\nid: x\n\tbad: tab\n---\n").expect_err("tab");
    assert_eq!(err.position().0, 3, "{err:?}");
    let err = Document::parse(b"---\n- a\n---\n").expect_err("not a map");
    assert_eq!(err, DocError::NotAMapping { line: 2 });
}

#[test]
fn hostile_yaml_is_refused_quickly() {
    let mut bomb = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!(
            "{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    bomb.push_str("---\n");
    let started = std::time::Instant::now();
    assert!(Document::parse(bomb.as_bytes()).is_err());
    let deep = format!("---\na: {}\n---\n", "[".repeat(10_000));
    assert!(Document::parse(deep.as_bytes()).is_err());
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn line_of_keys_and_items() {
    let d = doc(TICKET);
    assert_eq!(d.line_of(&["id"]), Some(2));
    assert_eq!(d.line_of(&["status"]), Some(5));
    assert_eq!(d.line_of(&["links", "articles"]), Some(11));
    assert_eq!(d.item_line(&["labels"], 1), Some(8));
}

#[test]
fn create_writes_docket_style() {
    let d = Document::create(
        &[
            ("id", s("T-1")),
            ("title", s("Hello: world")),
            ("labels", Value::Sequence(vec![s("a")])),
            ("assignee", Value::Null),
        ],
        "Body",
    )
    .expect("plain values and body");
    assert_eq!(
        d.text(),
        "---\nid: T-1\ntitle: 'Hello: world'\nlabels:\n  - a\n---\nBody\n"
    );
}

// ---- properties ----

fn arb_key() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_-]{0,8}"
}

fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,20}",
        "[a-zA-Z0-9 ]{1,12}",
        Just("yes".to_string()),
        Just("12".to_string()),
        Just("a: b".to_string()),
        Just("#x".to_string()),
        Just("中文 标题".to_string()),
        Just("2026-11-02T09:14:00Z".to_string()),
    ]
}

/// A scalar as some other tool might have written it: plain, quoted, with a comment.
fn arb_written_scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z][a-zA-Z0-9 ._-]{0,15}".prop_map(|s| s.trim_end().to_string()),
        "[ -~]{0,12}".prop_map(|s| format!("'{}'", s.replace('\'', "''"))),
        "[a-zA-Z0-9 ]{0,12}".prop_map(|s| format!("\"{s}\"")),
        (0i64..100000).prop_map(|n| n.to_string()),
        Just("true".to_string()),
        Just("[a, b]".to_string()),
        Just("[]".to_string()),
        "[a-z]{1,6}".prop_map(|s| format!("{s} # note")),
    ]
}

fn arb_frontmatter() -> impl Strategy<Value = String> {
    let entry = prop_oneof![
        (arb_key(), arb_written_scalar()).prop_map(|(k, v)| format!("{k}: {v}\n")),
        (
            arb_key(),
            proptest::collection::vec("[a-z]{1,6}", 1..4),
            prop_oneof![Just("  "), Just("")]
        )
            .prop_map(|(k, items, ind)| {
                let mut s = format!("{k}:\n");
                for i in items {
                    s.push_str(&format!("{ind}- {i}\n"));
                }
                s
            }),
        "[a-z ]{0,20}".prop_map(|c| format!("# {c}\n")),
        Just("\n".to_string()),
        (arb_key(), arb_key(), arb_written_scalar())
            .prop_map(|(k, c, v)| format!("{k}:\n  {c}: {v}\n")),
    ];
    proptest::collection::vec(entry, 0..8).prop_map(|es| es.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_files_round_trip(fm in arb_frontmatter(), body in "[ -~\n]{0,80}") {
        let text = format!("---\n{fm}---\n{body}");
        if let Ok(d) = Document::parse(text.as_bytes()) {
            prop_assert_eq!(d.text(), text.as_str());
            prop_assert_eq!(d.body(), body.as_str());
        }
    }

    #[test]
    fn set_changes_at_most_one_line(fm in arb_frontmatter(), value in arb_text()) {
        let text = format!("---\nid: T-1\nstatus: open\n{fm}---\nbody\n");
        let Ok(mut d) = Document::parse(text.as_bytes()) else { return Ok(()) };
        if d.get(&["status"]) != Some(&s("open")) { return Ok(()) }
        d.apply(&Edit::Set(path("status"), s(&value))).expect("set works");
        prop_assert_eq!(d.get(&["status"]), Some(&s(&value)));
        let (removed, added) = changed_lines(&text, d.text());
        prop_assert!(removed <= 1 && added <= 1, "{} -> {}", text, d.text());
    }

    #[test]
    fn any_edit_reads_back(fm in arb_frontmatter(), key in arb_key(), value in arb_text(), op in 0..4u8) {
        let text = format!("---\n{fm}---\nbody\n");
        let Ok(mut d) = Document::parse(text.as_bytes()) else { return Ok(()) };
        let mut expected = d.values().clone();
        let edit = match op {
            0 => Edit::Set(vec![key], s(&value)),
            1 => Edit::Remove(vec![key]),
            2 => Edit::Push(vec![key], s(&value)),
            _ => Edit::Pull(vec![key], s(&value)),
        };
        apply_to_values(&mut expected, &edit);
        d.apply(&edit).expect("edit works");
        prop_assert_eq!(d.values(), &expected);
        prop_assert_eq!(d.body(), "body\n");
        let again = Document::parse(d.text().as_bytes()).expect("reparses");
        prop_assert_eq!(again.values(), &expected);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut with_fence = b"---\n".to_vec();
        with_fence.extend_from_slice(&bytes);
        let _ = Document::parse(&bytes);
        let _ = Document::parse(&with_fence);
    }
}
