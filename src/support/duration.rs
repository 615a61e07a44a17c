//! SLA targets as config writes them: `90m`, `4h`, `2d`, `1h30m`. One short form that
//! people already write in chat and that sorts by eye, read strictly: a typo such as `4hr`
//! or `1.5h` is an error that says what to write, never a silently different target.
//! Units run largest first, each at most once (`1d4h`, not `4h1d`), so every target has
//! one spelling and [`format_duration`] gives it back.

/// A duration that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a duration: {why}")]
pub struct DurationError {
    /// What was written.
    pub text: String,
    /// What is wrong with it.
    pub why: String,
}

/// The units, largest first, with their seconds: `d` is 24 hours of the calendar's time,
/// `w` is 7 of those days.
const UNITS: [(char, i64); 5] = [
    ('w', 7 * 86_400),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

const WRITE: &str = "write a number and a unit: 90m, 4h, 2d";

/// Seconds in a duration such as `90m`, `4h`, `2d` or `1h30m` (`d` is 24 hours).
pub fn parse_duration(text: &str) -> Result<i64, DurationError> {
    let fail = |why: String| DurationError {
        text: text.to_string(),
        why,
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(fail(WRITE.into()));
    }
    if trimmed.starts_with('-') {
        return Err(fail(format!("a target cannot be negative; {WRITE}")));
    }
    let mut total: i64 = 0;
    // The index in UNITS of the last unit read: the next must come after it.
    let mut last: Option<usize> = None;
    let mut rest = trimmed;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (number, after) = rest.split_at(digits);
        let word = unit_word(after);
        if number.is_empty() {
            return Err(fail(unexpected(after)));
        }
        if word.is_empty() {
            return Err(fail(if after.is_empty() {
                format!("`{number}` has no unit; write {number}m, {number}h or {number}d")
            } else {
                "write it without spaces: 1h30m".into()
            }));
        }
        if word.starts_with(['.', ',']) {
            return Err(fail("write whole numbers: 1h30m, not 1.5h".into()));
        }
        let index = UNITS
            .iter()
            .position(|&(unit, _)| word.len() == 1 && word.starts_with(unit));
        let Some(index) = index else {
            return Err(fail(format!(
                "unknown unit `{word}`; use w, d, h, m or s (90m, 4h, 2d)"
            )));
        };
        if last.is_some_and(|previous| index <= previous) {
            return Err(fail(
                "write each unit once, largest first: 1d4h, 1h30m".into(),
            ));
        }
        last = Some(index);
        let seconds = number
            .parse::<i64>()
            .ok()
            .and_then(|n| n.checked_mul(UNITS[index].1))
            .and_then(|s| total.checked_add(s));
        let Some(seconds) = seconds else {
            return Err(fail(
                "too large; SLA targets are hours, days or weeks".into(),
            ));
        };
        total = seconds;
        rest = &after[word.len()..];
    }
    if total == 0 {
        return Err(fail(format!(
            "a target of zero is breached at once; {WRITE}"
        )));
    }
    Ok(total)
}

/// What to say about text where a number should start.
fn unexpected(text: &str) -> String {
    if text.starts_with('+') {
        format!("drop the `+`; {WRITE}")
    } else {
        WRITE.into()
    }
}

/// The unit as written, up to the next digit (`hr` in `4hr`), to quote it whole.
fn unit_word(after: &str) -> &str {
    let end = after
        .char_indices()
        .find(|&(_, c)| c.is_ascii_digit() || c.is_whitespace())
        .map_or(after.len(), |(i, _)| i);
    &after[..end]
}

/// A positive number of seconds in the form [`parse_duration`] reads (`1h30m`), so a
/// target can be shown as config writes it; `0s` for zero or less.
pub fn format_duration(secs: i64) -> String {
    if secs <= 0 {
        return "0s".into();
    }
    let mut rest = secs;
    let mut out = String::new();
    for (unit, size) in UNITS {
        let count = rest / size;
        if count > 0 {
            out.push_str(&count.to_string());
            out.push(unit);
            rest -= count * size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn why(text: &str) -> String {
        match parse_duration(text) {
            Ok(secs) => panic!("`{text}` read as {secs}s"),
            Err(e) => {
                assert_eq!(e.text, text);
                e.why
            }
        }
    }

    #[test]
    fn reads_each_unit_and_compounds() {
        assert_eq!(parse_duration("45s"), Ok(45));
        assert_eq!(parse_duration("90m"), Ok(5_400));
        assert_eq!(parse_duration("4h"), Ok(14_400));
        assert_eq!(parse_duration("2d"), Ok(172_800));
        assert_eq!(parse_duration("1w"), Ok(604_800));
        assert_eq!(parse_duration("1h30m"), Ok(5_400));
        assert_eq!(
            parse_duration("1w2d3h4m5s"),
            Ok(604_800 + 172_800 + 10_800 + 245)
        );
        assert_eq!(parse_duration(" 4h "), Ok(14_400));
        assert_eq!(parse_duration("0h30m"), Ok(1_800));
    }

    #[test]
    fn rejects_what_is_not_a_target_and_says_what_to_write() {
        assert_eq!(why(""), WRITE);
        assert_eq!(why("   "), WRITE);
        assert!(why("-4h").contains("negative"));
        assert!(why("0h").contains("zero"));
        assert!(why("0s0m").contains("unit once"));
        assert!(why("0m0s").contains("zero"));
        assert!(why("90").contains("90m"));
        assert!(why("4hr").contains("`hr`"));
        assert!(why("4 hours").contains("spaces"));
        assert!(why("4x").contains("use w, d, h, m or s"));
        assert!(why("1.5h").contains("1h30m"));
        assert!(why("30m1h").contains("largest first"));
        assert!(why("1h1h").contains("once"));
        assert!(why("h").contains(WRITE));
        assert!(why("+4h").contains("`+`"));
        assert!(why("4h٣m").contains("unknown unit `h٣m`"));
        assert!(why("99999999999999999999s").contains("too large"));
        assert!(why("15250284452472w").contains("too large"));
        assert!(why("9223372036854775807s1s").contains("unit once"));
        assert!(why("1d9223372036854775807s").contains("too large"));
    }

    #[test]
    fn error_quotes_the_text() {
        let e = parse_duration("4hr").expect_err("4hr is not a duration");
        assert_eq!(
            e.to_string(),
            "`4hr` is not a duration: unknown unit `hr`; use w, d, h, m or s (90m, 4h, 2d)"
        );
    }

    #[test]
    fn formats_largest_unit_first() {
        assert_eq!(format_duration(5_400), "1h30m");
        assert_eq!(format_duration(172_800), "2d");
        assert_eq!(format_duration(604_801), "1w1s");
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(-5), "0s");
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(secs in 1i64..=i64::MAX) {
            prop_assert_eq!(parse_duration(&format_duration(secs)), Ok(secs));
        }

        #[test]
        fn parts_add_up(
            parts in proptest::collection::vec(proptest::option::of(0i64..10_000), 5),
        ) {
            let text: String = parts
                .iter()
                .zip(UNITS)
                .filter_map(|(n, (unit, _))| n.map(|n| format!("{n}{unit}")))
                .collect();
            let expected: i64 = parts
                .iter()
                .zip(UNITS)
                .map(|(n, (_, size))| n.unwrap_or(0) * size)
                .sum();
            let read = parse_duration(&text);
            if expected == 0 {
                prop_assert!(read.is_err());
            } else {
                prop_assert_eq!(read, Ok(expected));
            }
        }

        #[test]
        fn never_panics(text in "\\PC{0,12}") {
            let _ = parse_duration(&text);
        }
    }
}
