//! Every way a calendar config can be wrong names its key, quotes the value and says
//! what to write.

use super::spec;
use crate::support::calendar::{Calendar, CalendarError};

fn error(spec: &crate::model::CalendarSpec) -> CalendarError {
    match Calendar::from_spec(spec) {
        Ok(_) => panic!("{spec:?} read as a calendar"),
        Err(e) => e,
    }
}

fn frame_error(frame: &str) -> CalendarError {
    error(&spec(None, &["mon"], &[frame], &[]))
}

#[test]
fn an_unknown_weekday_names_its_key() {
    let e = error(&spec(None, &["monday"], &["09:00-17:00"], &[]));
    assert_eq!(e.key, "hours.monday");
    assert_eq!(e.message, "unknown weekday `monday`: write `mon`");
    let e = error(&spec(None, &["weekdays"], &["09:00-17:00"], &[]));
    assert_eq!(e.key, "hours.weekdays");
    assert!(
        e.message
            .contains("use mon, tue, wed, thu, fri, sat or sun"),
        "{e}"
    );
}

#[test]
fn a_malformed_frame_names_its_day() {
    for bad in [
        "9-17",
        "09:00",
        "09:00-",
        "9:0-17:00",
        "09:60-17:00",
        "25:00-26:00",
        "nine-five",
        "09:00-24:01",
        "09.00-17.00",
    ] {
        let e = frame_error(bad);
        assert_eq!(e.key, "hours.mon", "{bad}");
        assert_eq!(
            e.message,
            format!("`{bad}` is not a frame: write HH:MM-HH:MM in local time, e.g. 09:00-17:00")
        );
    }
}

#[test]
fn an_empty_frame_is_refused() {
    let e = frame_error("09:00-09:00");
    assert_eq!(e.key, "hours.mon");
    assert!(e.message.contains("`09:00-09:00` holds no time"), "{e}");
}

#[test]
fn a_backwards_frame_says_to_split_at_midnight() {
    let e = frame_error("22:00-06:00");
    assert_eq!(e.key, "hours.mon");
    assert!(
        e.message.contains("`22:00-06:00` ends before it starts"),
        "{e}"
    );
    assert!(e.message.contains("22:00-24:00"), "{e}");
    let e = frame_error("24:00-24:00");
    assert!(e.message.contains("starts at 24:00"), "{e}");
}

#[test]
fn overlapping_frames_are_refused() {
    let e = error(&spec(None, &["tue"], &["13:00-17:00", "09:00-13:30"], &[]));
    assert_eq!(e.key, "hours.tue");
    assert!(
        e.message.contains("`09:00-13:30` overlaps `13:00-17:00`"),
        "{e}"
    );
    // Frames that touch do not overlap.
    assert!(
        Calendar::from_spec(&spec(None, &["tue"], &["09:00-12:00", "12:00-17:00"], &[])).is_ok()
    );
}

#[test]
fn an_unknown_time_zone_suggests_a_near_one() {
    let e = error(&spec(Some("Europe/Berln"), &["mon"], &["09:00-17:00"], &[]));
    assert_eq!(e.key, "timezone");
    assert!(
        e.message
            .starts_with("unknown time zone `Europe/Berln`: write an IANA name"),
        "{e}"
    );
    assert!(e.message.ends_with("did you mean `Europe/Berlin`?"), "{e}");
    let e = error(&spec(
        Some("Mars/Olympus_Mons_Base"),
        &["mon"],
        &["09:00-17:00"],
        &[],
    ));
    assert_eq!(e.key, "timezone");
    assert!(!e.message.contains("did you mean"), "{e}");
}

#[test]
fn a_bad_holiday_names_the_date() {
    for bad in [
        "2026-13-01",
        "2026-02-30",
        "2026-2-1",
        "25.12.2026",
        "christmas",
        "2026-12-25T00:00",
    ] {
        let e = error(&spec(None, &["mon"], &["09:00-17:00"], &[bad]));
        assert_eq!(e.key, "holidays", "{bad}");
        assert_eq!(
            e.message,
            format!("`{bad}` is not a date: write YYYY-MM-DD, e.g. 2026-12-25")
        );
    }
}

#[test]
fn a_calendar_without_hours_is_refused() {
    let none = error(&spec(Some("Europe/Berlin"), &[], &[], &[]));
    assert_eq!(none.key, "hours");
    assert!(none.message.contains("never runs the clock"), "{none}");
    assert!(none.message.contains("drop `calendar:`"), "{none}");
    let empty_days = error(&spec(None, &["mon", "tue"], &[], &["2026-12-25"]));
    assert_eq!(empty_days, none);
}

#[test]
fn the_first_error_in_key_order_is_reported() {
    let mut both = spec(Some("Nowhere/Atlantis"), &["mon"], &["9-17"], &["someday"]);
    assert_eq!(error(&both).key, "timezone");
    both.timezone = None;
    assert_eq!(error(&both).key, "hours.mon");
}
