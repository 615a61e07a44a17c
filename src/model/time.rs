//! The one text form of a point in time that docket writes (frontmatter, commit trailers,
//! `--json`, exports): RFC 3339 in UTC, to the second. Depends on jiff only.

/// RFC 3339 to the second, in UTC: one form everywhere, so files, exports and JSON
/// sort and compare as text.
pub fn format_time(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_whole_seconds_utc() {
        let t: jiff::Timestamp = "2026-11-02T09:14:00.123+02:00".parse().expect("valid");
        assert_eq!(format_time(t), "2026-11-02T07:14:00Z");
    }
}
