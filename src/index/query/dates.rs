//! `created:` in a query: a date (`2026-01-01`, a whole day in UTC) or an RFC 3339 time
//! (`2026-01-01T09:00:00+02:00`, an instant), alone or compared (`>`, `>=`, `<`, `<=`,
//! `[a TO b]`, `{a TO b}`). Each becomes a range of instants on the date field, so times
//! written in different offsets compare by when they happened, not by their text.

use jiff::Timestamp;
use tantivy::query_grammar::{Occur, UserInputAst, UserInputBound, UserInputLeaf};

use super::fields::with_field;
use crate::model::{Moment, format_time};

/// What a value of `created:` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    /// A whole day: from its first instant to the next day's.
    Day(Timestamp, Option<Timestamp>),
    /// One instant.
    Instant(Timestamp),
}

impl Named {
    fn parse(text: &str) -> Result<Named, String> {
        let moment = Moment::parse(text);
        if let Some(at) = moment.instant {
            return Ok(Named::Instant(at));
        }
        let day = moment
            .day
            .filter(|d| d.to_string() == text)
            .ok_or_else(|| {
                format!(
                    "`created:` takes a date (2026-01-01) or an RFC 3339 time (2026-01-01T09:00:00Z), not `{text}`"
                )
            })?;
        let start = |d: jiff::civil::Date| {
            d.to_zoned(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp())
        };
        let first = start(day).ok_or_else(|| format!("`{text}` is out of range"))?;
        Ok(Named::Day(first, day.tomorrow().ok().and_then(start)))
    }

    /// The first instant it names.
    fn first(self) -> Timestamp {
        match self {
            Named::Day(first, _) | Named::Instant(first) => first,
        }
    }

    /// The bound just past it: the next day's start (none after the last day), or the
    /// instant itself, included.
    fn past(self) -> UserInputBound {
        match self {
            Named::Day(_, Some(next)) => UserInputBound::Exclusive(text(next)),
            Named::Day(_, None) => UserInputBound::Unbounded,
            Named::Instant(at) => UserInputBound::Inclusive(text(at)),
        }
    }

    /// The bound at its start: the day's start or the instant, included.
    fn start(self) -> UserInputBound {
        UserInputBound::Inclusive(text(self.first()))
    }
}

/// An instant as the query parser reads a date, kept inside the range tantivy's dates
/// hold (nanoseconds in an i64: years 1678 to 2262).
fn text(at: Timestamp) -> String {
    const LIMIT: i64 = i64::MAX / 1_000_000_000 - 1;
    let seconds = at.as_second().clamp(-LIMIT, LIMIT);
    format_time(Timestamp::from_second(seconds).unwrap_or(at))
}

/// The lower bound of a range from a user's bound: after a day is from the next day's
/// start, after an instant is past it.
fn lower(b: &UserInputBound) -> Result<UserInputBound, String> {
    Ok(match b {
        UserInputBound::Unbounded => UserInputBound::Unbounded,
        UserInputBound::Inclusive(v) | UserInputBound::Exclusive(v) if v == "*" => {
            UserInputBound::Unbounded
        }
        UserInputBound::Inclusive(v) => Named::parse(v)?.start(),
        UserInputBound::Exclusive(v) => match Named::parse(v)? {
            Named::Instant(at) => UserInputBound::Exclusive(text(at)),
            day => match day.past() {
                UserInputBound::Exclusive(next) => UserInputBound::Inclusive(next),
                other => other,
            },
        },
    })
}

/// The upper bound of a range from a user's bound: up to a day is through its end,
/// before a day is before its start.
fn upper(b: &UserInputBound) -> Result<UserInputBound, String> {
    Ok(match b {
        UserInputBound::Unbounded => UserInputBound::Unbounded,
        UserInputBound::Inclusive(v) | UserInputBound::Exclusive(v) if v == "*" => {
            UserInputBound::Unbounded
        }
        UserInputBound::Inclusive(v) => Named::parse(v)?.past(),
        UserInputBound::Exclusive(v) => UserInputBound::Exclusive(text(Named::parse(v)?.first())),
    })
}

/// The range of instants a value names.
fn range_of(value: &str, field: &str) -> Result<UserInputLeaf, String> {
    let named = Named::parse(value)?;
    Ok(with_field(
        UserInputLeaf::Range {
            field: None,
            lower: named.start(),
            upper: named.past(),
        },
        field,
    ))
}

/// A `created:` leaf as ranges of instants on `field`.
pub fn resolve(leaf: UserInputLeaf, field: &str) -> Result<UserInputAst, String> {
    match leaf {
        UserInputLeaf::Literal(l) if !l.prefix => Ok(range_of(&l.phrase, field)?.into()),
        UserInputLeaf::Range {
            lower: lo,
            upper: up,
            ..
        } => Ok(with_field(
            UserInputLeaf::Range {
                field: None,
                lower: lower(&lo)?,
                upper: upper(&up)?,
            },
            field,
        )
        .into()),
        UserInputLeaf::Set { elements, .. } => Ok(UserInputAst::Clause(
            elements
                .iter()
                .map(|e| Ok((Some(Occur::Should), range_of(e, field)?.into())))
                .collect::<Result<_, String>>()?,
        )),
        UserInputLeaf::Exists { .. } => Ok(with_field(
            UserInputLeaf::Exists {
                field: String::new(),
            },
            field,
        )
        .into()),
        _ => {
            Err("`created:` takes a date or a time, `>`/`<` with one, or a range `[a TO b]`".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(q: &str) -> String {
        let ast = tantivy::query_grammar::parse_query(q).expect("parses");
        let UserInputAst::Leaf(leaf) = ast else {
            panic!("a leaf: {ast:?}");
        };
        format!("{:?}", resolve(*leaf, "at").expect("resolves"))
    }

    #[test]
    fn days_are_whole_utc_days() {
        assert_eq!(
            range("created:2026-01-01"),
            "\"at\":[\"2026-01-01T00:00:00Z\" TO \"2026-01-02T00:00:00Z\"}"
        );
        assert_eq!(
            range("created:>2026-01-01"),
            "\"at\":[\"2026-01-02T00:00:00Z\" TO \"*\"}"
        );
        assert_eq!(
            range("created:>=2026-01-01"),
            "\"at\":[\"2026-01-01T00:00:00Z\" TO \"*\"}"
        );
        assert_eq!(
            range("created:<2026-01-01"),
            "\"at\":{\"*\" TO \"2026-01-01T00:00:00Z\"}"
        );
        assert_eq!(
            range("created:<=2026-01-01"),
            "\"at\":{\"*\" TO \"2026-01-02T00:00:00Z\"}"
        );
        assert_eq!(
            range("created:[2026-01-01 TO 2026-01-31]"),
            "\"at\":[\"2026-01-01T00:00:00Z\" TO \"2026-02-01T00:00:00Z\"}"
        );
        assert_eq!(
            range("created:{2026-01-01 TO 2026-01-31}"),
            "\"at\":[\"2026-01-02T00:00:00Z\" TO \"2026-01-31T00:00:00Z\"}"
        );
    }

    #[test]
    fn times_are_instants_in_any_offset() {
        assert_eq!(
            range("created:>2026-01-01T10:30:00+02:00"),
            "\"at\":{\"2026-01-01T08:30:00Z\" TO \"*\"}"
        );
        assert_eq!(
            range("created:\"2026-01-01T10:30:00Z\""),
            "\"at\":[\"2026-01-01T10:30:00Z\" TO \"2026-01-01T10:30:00Z\"]"
        );
        assert_eq!(
            range("created:[2026-01-01T00:00:00-05:00 TO *]"),
            "\"at\":[\"2026-01-01T05:00:00Z\" TO \"*\"}"
        );
        assert_eq!(
            range("created:<9000-01-01"),
            "\"at\":{\"*\" TO \"2262-04-11T23:47:15Z\"}"
        );
    }

    #[test]
    fn other_values_say_what_created_takes() {
        for q in [
            "created:yesterday",
            "created:>2026-01-01T10:00",
            "created:2026*",
        ] {
            let ast = tantivy::query_grammar::parse_query(q).expect("parses");
            let UserInputAst::Leaf(leaf) = ast else {
                panic!("a leaf: {ast:?}");
            };
            let e = resolve(*leaf, "at").expect_err(q);
            assert!(e.contains("`created:` takes a date"), "{q}: {e}");
        }
    }
}
