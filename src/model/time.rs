//! Times as files write them (`created`, `resolved`, `due`, an article's `date`): the text, kept so that
//! output repeats it exactly as written, and what it means, parsed once here with jiff so
//! that no other module compares or slices the text; and [`format_time`], the one form
//! docket writes. Depends on jiff only.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// RFC 3339 to the second, in UTC: one form everywhere docket writes a time (files,
/// commit trailers, `--json`, exports), so they sort and compare as text.
pub fn format_time(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What a written time means: the instant (RFC 3339 only) and the calendar day as
/// written, in the offset it was written in (a bare date has a day and no instant).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moment {
    /// The instant, when the text is an RFC 3339 date-time.
    pub instant: Option<jiff::Timestamp>,
    /// The day the text names, when it starts with a date.
    pub day: Option<jiff::civil::Date>,
}

impl Moment {
    /// Reads a time as a file writes it; a text that is no time gives an empty moment
    /// (lenient reading keeps such values; `check` reports them).
    pub fn parse(text: &str) -> Moment {
        // One parse gives both (`list` reads tens of thousands): the instant is the
        // date-time at its offset, as `jiff::Timestamp`'s own parser makes it.
        if let Ok(p) = jiff::fmt::temporal::Pieces::parse(text) {
            let instant = match (p.time(), p.to_numeric_offset()) {
                (Some(time), Some(offset)) => offset.to_timestamp(p.date().to_datetime(time)).ok(),
                _ => None,
            };
            return Moment {
                instant,
                day: Some(p.date()),
            };
        }
        // Jekyll's own form, `2024-03-11 09:30:00 +0000`, which KB articles may use.
        match jiff::fmt::strtime::parse("%Y-%m-%d %H:%M:%S %z", text) {
            Ok(t) => Moment {
                instant: t.to_timestamp().ok(),
                day: t.to_date().ok(),
            },
            Err(_) => Moment::default(),
        }
    }
}

impl Moment {
    /// Where the moment sorts among others: its instant, else the start of its day in
    /// UTC (a bare date), else before every time (`None`: the text is no time at all).
    pub fn order(&self) -> Option<jiff::Timestamp> {
        self.instant.or_else(|| {
            self.day
                .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
                .map(|z| z.timestamp())
        })
    }
}

/// A time value of a file: the text as written and its [`Moment`]. It reads from and
/// writes as a plain string, so files, the index's stored values and `--json` output
/// keep the text byte for byte.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Time {
    text: String,
    moment: Moment,
}

impl Time {
    /// A time from its text.
    pub fn new(text: impl Into<String>) -> Time {
        let text = text.into();
        let moment = Moment::parse(&text);
        Time { text, moment }
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether nothing is written.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The instant, when the text is an RFC 3339 date-time.
    pub fn instant(&self) -> Option<jiff::Timestamp> {
        self.moment.instant
    }

    /// What the text means.
    pub fn moment(&self) -> Moment {
        self.moment
    }

    /// The day the text names, as written.
    pub fn day(&self) -> Option<jiff::civil::Date> {
        self.moment.day
    }

    /// The day as tables show it (`2026-11-02`), or the text as written when it names no
    /// day.
    pub fn day_or_text(&self) -> String {
        self.moment
            .day
            .map_or_else(|| self.text.clone(), |d| d.to_string())
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl AsRef<str> for Time {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        String::deserialize(d).map(Time::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_kept_and_the_meaning_parsed() {
        let t = Time::new("2026-11-02T01:30:00+02:00");
        assert_eq!(t.as_str(), "2026-11-02T01:30:00+02:00");
        assert_eq!(
            t.instant(),
            Some("2026-11-01T23:30:00Z".parse().expect("valid"))
        );
        assert_eq!(t.day(), Some(jiff::civil::date(2026, 11, 2)));
        let day = Time::new("2026-11-30");
        assert_eq!(
            (day.instant(), day.day()),
            (None, Some(jiff::civil::date(2026, 11, 30)))
        );
        assert_eq!(Time::new("yesterday").moment, Moment::default());
        assert_eq!(Time::new("yesterday").day_or_text(), "yesterday");
        assert_eq!(Time::new("yesterday").moment().order(), None);
        assert_eq!(t.moment().order(), t.instant());
        assert_eq!(
            day.moment().order(),
            Some("2026-11-30T00:00:00Z".parse().expect("valid"))
        );
        assert_eq!(t.day_or_text(), "2026-11-02");
        let jekyll = Time::new("2024-03-11 09:30:00 +0100");
        assert_eq!(
            (jekyll.instant(), jekyll.day()),
            (
                Some("2024-03-11T08:30:00Z".parse().expect("valid")),
                Some(jiff::civil::date(2024, 3, 11))
            )
        );
        let local = Time::new("2024-03-11 09:30");
        assert_eq!(
            (local.instant(), local.day()),
            (None, Some(jiff::civil::date(2024, 3, 11)))
        );
    }

    #[test]
    fn times_are_whole_seconds_utc() {
        let t: jiff::Timestamp = "2026-11-02T09:14:00.123+02:00".parse().expect("valid");
        assert_eq!(format_time(t), "2026-11-02T07:14:00Z");
    }

    #[test]
    fn reads_and_writes_as_the_text() {
        let t: Time = serde_json::from_str("\"2026-11-02T09:14:00Z\"").expect("reads");
        assert_eq!(
            serde_json::to_string(&t).expect("writes"),
            "\"2026-11-02T09:14:00Z\""
        );
        let bad: Time = serde_json::from_str("\"not a time\"").expect("reads leniently");
        assert_eq!(bad.to_string(), "not a time");
    }

    proptest::proptest! {
        #[test]
        fn the_instant_is_the_one_jiff_parses(
            date in "(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])",
            sep in "[Tt ]",
            time in "([01][0-9]|2[0-4]):[0-5][0-9](:([0-5][0-9]|60)(\\.[0-9]{1,9})?)?",
            offset in "(Z|z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?|-00:00)?",
            note in "(\\[(UTC|America/New_York|!Europe/Paris|\\+02:00)\\])?",
        ) {
            let text = format!("{date}{sep}{time}{offset}{note}");
            let moment = Moment::parse(&text);
            proptest::prop_assert_eq!(moment.instant, text.parse::<jiff::Timestamp>().ok(), "{}", text);
            if let (Ok(day), Some(_)) = (date.parse::<jiff::civil::Date>(), moment.day) {
                proptest::prop_assert_eq!(moment.day, Some(day));
            }
        }

        #[test]
        fn any_text_round_trips(text in "\\PC{0,30}") {
            let t = Time::new(text.clone());
            let json = serde_json::to_string(&t).expect("writes");
            let back: Time = serde_json::from_str(&json).expect("reads");
            proptest::prop_assert_eq!(back.as_str(), text.as_str());
            proptest::prop_assert_eq!(back, t);
        }
    }
}
