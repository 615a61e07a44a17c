//! Calendars on known days: weekends, holidays, lunch breaks, both Berlin clock changes
//! of 2026, and calendar hours. `errors` holds the config errors, `props` the properties
//! over random calendars and the timing loop.

mod errors;
mod props;

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::Calendar;
use crate::model::CalendarSpec;

const HOUR: i64 = 3_600;
const WEEKDAYS: [&str; 5] = ["mon", "tue", "wed", "thu", "fri"];

fn spec(zone: Option<&str>, days: &[&str], frames: &[&str], holidays: &[&str]) -> CalendarSpec {
    CalendarSpec {
        timezone: zone.map(str::to_string),
        hours: days
            .iter()
            .map(|day| {
                (
                    day.to_string(),
                    frames.iter().map(|f| f.to_string()).collect(),
                )
            })
            .collect::<BTreeMap<_, _>>(),
        holidays: holidays.iter().map(|h| h.to_string()).collect(),
    }
}

fn calendar(zone: Option<&str>, days: &[&str], frames: &[&str], holidays: &[&str]) -> Calendar {
    Calendar::from_spec(&spec(zone, days, frames, holidays)).expect("the test calendar reads")
}

/// The instant a wall clock in `zone` reads `local` (`2026-03-27 16:00`); the earlier
/// one in a fold.
fn wall(zone: &str, local: &str) -> Timestamp {
    let zone = TimeZone::get(zone).expect("a known zone");
    local
        .parse::<DateTime>()
        .expect("a civil time")
        .to_zoned(zone)
        .expect("in range")
        .timestamp()
}

fn utc(text: &str) -> Timestamp {
    text.parse().expect("an RFC 3339 instant")
}

#[test]
fn business_hours_skip_the_weekend() {
    let cal = calendar(None, &WEEKDAYS, &["09:00-17:00"], &[]);
    let friday = utc("2026-03-27T16:00:00Z");
    let monday = utc("2026-03-30T10:00:00Z");
    assert_eq!(cal.add_working(friday, 2 * HOUR), monday);
    assert_eq!(cal.working_secs(friday, monday), 2 * HOUR);
    // A whole week holds five days of eight hours.
    let next_friday = utc("2026-04-03T16:00:00Z");
    assert_eq!(cal.working_secs(friday, next_friday), 40 * HOUR);
    assert_eq!(cal.add_working(friday, 40 * HOUR), next_friday);
}

#[test]
fn business_hours_are_local_across_a_weekend_with_a_clock_change() {
    // Berlin moves its clocks on Sunday 2026-03-29; Monday still opens at 09:00 local.
    let cal = calendar(Some("Europe/Berlin"), &WEEKDAYS, &["09:00-17:00"], &[]);
    let friday = wall("Europe/Berlin", "2026-03-27 16:00");
    let monday = wall("Europe/Berlin", "2026-03-30 10:00");
    assert_eq!(monday, utc("2026-03-30T08:00:00Z"));
    assert_eq!(cal.add_working(friday, 2 * HOUR), monday);
    assert_eq!(cal.working_secs(friday, monday), 2 * HOUR);
}

#[test]
fn a_holiday_has_no_hours() {
    // 2026-12-25 is a Friday.
    let cal = calendar(None, &WEEKDAYS, &["09:00-17:00"], &["2026-12-25"]);
    let thursday = utc("2026-12-24T16:00:00Z");
    let monday = utc("2026-12-28T10:00:00Z");
    assert_eq!(cal.add_working(thursday, 2 * HOUR), monday);
    assert_eq!(cal.working_secs(thursday, monday), 2 * HOUR);
    let christmas = utc("2026-12-25T11:00:00Z");
    assert_eq!(cal.working_secs(christmas, utc("2026-12-25T16:00:00Z")), 0);
    assert_eq!(cal.add_working(christmas, 0), utc("2026-12-28T09:00:00Z"));
    assert_eq!(cal.add_working(christmas, HOUR), monday);
    let plain = calendar(None, &WEEKDAYS, &["09:00-17:00"], &[]);
    let week = (utc("2026-12-21T00:00:00Z"), utc("2026-12-28T00:00:00Z"));
    assert_eq!(plain.working_secs(week.0, week.1), 40 * HOUR);
    assert_eq!(cal.working_secs(week.0, week.1), 32 * HOUR);
}

#[test]
fn several_frames_a_day_leave_the_lunch_break_out() {
    let cal = calendar(None, &WEEKDAYS, &["09:00-12:00", "13:00-17:00"], &[]);
    let day = |time: &str| utc(&format!("2026-06-01T{time}:00Z"));
    assert_eq!(cal.add_working(day("11:00"), 2 * HOUR), day("14:00"));
    assert_eq!(cal.working_secs(day("11:30"), day("13:30")), HOUR);
    assert_eq!(cal.add_working(day("12:30"), 0), day("13:00"));
    assert_eq!(cal.add_working(day("11:00"), HOUR), day("12:00"));
    assert_eq!(cal.working_secs(day("00:00"), day("23:59")), 7 * HOUR);
    // The frames may be written in any order.
    let reordered = calendar(None, &WEEKDAYS, &["13:00-17:00", "09:00-12:00"], &[]);
    assert_eq!(reordered.add_working(day("11:00"), 2 * HOUR), day("14:00"));
}

#[test]
fn a_frame_holds_wall_clock_time_when_clocks_go_forward() {
    // 2026-03-29 in Berlin: 02:00 CET is followed by 03:00 CEST.
    let night = calendar(Some("Europe/Berlin"), &["sun"], &["01:00-05:00"], &[]);
    let day = calendar(Some("Europe/Berlin"), &["sun"], &["09:00-17:00"], &[]);
    let midnight = wall("Europe/Berlin", "2026-03-29 00:00");
    let next = wall("Europe/Berlin", "2026-03-30 00:00");
    assert_eq!(night.working_secs(midnight, next), 3 * HOUR);
    assert_eq!(day.working_secs(midnight, next), 8 * HOUR);
    assert_eq!(night.add_working(midnight, 0), utc("2026-03-29T00:00:00Z"));
    assert_eq!(
        night.add_working(midnight, HOUR),
        utc("2026-03-29T01:00:00Z")
    );
    // The hour after 01:00 CET is 03:00 CEST on the wall: the frame goes on.
    assert_eq!(
        night.add_working(midnight, HOUR + 1),
        utc("2026-03-29T01:00:01Z")
    );
    assert_eq!(
        night.add_working(midnight, 3 * HOUR),
        utc("2026-03-29T03:00:00Z")
    );
    assert_eq!(
        day.add_working(midnight, 8 * HOUR),
        utc("2026-03-29T15:00:00Z")
    );
    // A frame wholly in the skipped hour never happens.
    let skipped = calendar(Some("Europe/Berlin"), &["sun"], &["02:00-03:00"], &[]);
    assert_eq!(skipped.working_secs(midnight, next), 0);
    assert_eq!(
        skipped.add_working(midnight, 0),
        wall("Europe/Berlin", "2026-04-05 02:00")
    );
}

#[test]
fn a_frame_holds_wall_clock_time_when_clocks_go_back() {
    // 2026-10-25 in Berlin: 03:00 CEST is followed by 02:00 CET, the hour runs twice.
    let night = calendar(Some("Europe/Berlin"), &["sun"], &["01:00-05:00"], &[]);
    let day = calendar(Some("Europe/Berlin"), &["sun"], &["09:00-17:00"], &[]);
    let midnight = wall("Europe/Berlin", "2026-10-25 00:00");
    let next = wall("Europe/Berlin", "2026-10-26 00:00");
    assert_eq!(night.working_secs(midnight, next), 5 * HOUR);
    assert_eq!(day.working_secs(midnight, next), 8 * HOUR);
    assert_eq!(night.add_working(midnight, 0), utc("2026-10-24T23:00:00Z"));
    assert_eq!(
        night.add_working(midnight, 2 * HOUR),
        utc("2026-10-25T01:00:00Z")
    );
    assert_eq!(
        night.add_working(midnight, 3 * HOUR),
        utc("2026-10-25T02:00:00Z")
    );
    assert_eq!(
        night.add_working(midnight, 5 * HOUR),
        utc("2026-10-25T04:00:00Z")
    );
    assert_eq!(
        day.add_working(midnight, 8 * HOUR),
        utc("2026-10-25T16:00:00Z")
    );
    // A frame in the repeated hour counts both times the wall clock shows it.
    let twice = calendar(Some("Europe/Berlin"), &["sun"], &["02:00-03:00"], &[]);
    assert_eq!(twice.working_secs(midnight, next), 2 * HOUR);
    let half = calendar(Some("Europe/Berlin"), &["sun"], &["02:30-04:00"], &[]);
    assert_eq!(half.working_secs(midnight, next), 2 * HOUR);
}

#[test]
fn instants_outside_working_hours() {
    let cal = calendar(None, &WEEKDAYS, &["09:00-17:00"], &[]);
    let friday_evening = utc("2026-03-27T18:00:00Z");
    let monday_early = utc("2026-03-30T08:00:00Z");
    assert_eq!(cal.working_secs(friday_evening, monday_early), 0);
    assert_eq!(
        cal.add_working(friday_evening, 0),
        utc("2026-03-30T09:00:00Z")
    );
    assert_eq!(
        cal.add_working(friday_evening, 1),
        utc("2026-03-30T09:00:01Z")
    );
    let sunday = utc("2026-03-29T20:00:00Z");
    assert_eq!(
        cal.working_secs(sunday, utc("2026-03-31T08:00:00Z")),
        8 * HOUR
    );
    // A whole working day ends at the close, not at the next opening.
    assert_eq!(
        cal.add_working(monday_early, 8 * HOUR),
        utc("2026-03-30T17:00:00Z")
    );
    // Inside working hours, zero seconds is the instant itself, fractions kept.
    let busy = utc("2026-03-30T10:00:00.25Z");
    assert_eq!(cal.add_working(busy, 0), busy);
    assert_eq!(cal.add_working(busy, -5), busy);
}

#[test]
fn an_empty_or_backwards_span_is_zero() {
    let at = utc("2026-03-30T10:00:00Z");
    let earlier = utc("2026-03-30T09:00:00Z");
    for cal in [
        Calendar::always(),
        calendar(Some("Europe/Berlin"), &WEEKDAYS, &["09:00-17:00"], &[]),
    ] {
        assert_eq!(cal.working_secs(at, at), 0);
        assert_eq!(cal.working_secs(at, earlier), 0);
        assert_eq!(cal.working_secs(earlier, at), HOUR);
    }
}

#[test]
fn calendar_hours_are_wall_clock_seconds() {
    let cal = Calendar::always();
    // Across Berlin's spring change the day is 23 hours of real time.
    let from = wall("Europe/Berlin", "2026-03-29 00:00");
    let to = wall("Europe/Berlin", "2026-03-30 00:00");
    assert_eq!(cal.working_secs(from, to), 23 * HOUR);
    assert_eq!(cal.add_working(from, 23 * HOUR), to);
    let fraction = utc("2026-01-01T00:00:00.5Z");
    assert_eq!(cal.add_working(fraction, 0), fraction);
    assert_eq!(cal.add_working(fraction, 2), utc("2026-01-01T00:00:02.5Z"));
    assert_eq!(cal.add_working(Timestamp::MAX, HOUR), Timestamp::MAX);
    assert_eq!(
        cal.working_secs(Timestamp::MIN, Timestamp::MAX),
        Timestamp::MAX.as_second() - Timestamp::MIN.as_second()
    );
}

#[test]
fn a_frame_may_end_at_midnight_and_run_on_the_next_day() {
    let mut late = spec(None, &["mon"], &["22:00-24:00"], &[]);
    late.hours.insert("tue".into(), vec!["00:00-02:00".into()]);
    let cal = Calendar::from_spec(&late).expect("the calendar reads");
    let monday = utc("2026-03-30T23:00:00Z");
    assert_eq!(
        cal.add_working(monday, 2 * HOUR),
        utc("2026-03-31T01:00:00Z")
    );
    assert_eq!(
        cal.working_secs(utc("2026-03-30T00:00:00Z"), utc("2026-04-01T00:00:00Z")),
        4 * HOUR
    );
    // Sunday 24:00 is the next Monday 00:00: the week wraps.
    let sunday = calendar(None, &["sun", "mon"], &["20:00-24:00", "00:00-01:00"], &[]);
    let sunday_night = utc("2026-03-29T23:00:00Z");
    assert_eq!(
        sunday.add_working(sunday_night, 2 * HOUR),
        utc("2026-03-30T01:00:00Z")
    );
}

#[test]
fn huge_targets_stop_at_the_end_of_time() {
    let cal = calendar(Some("Europe/Berlin"), &WEEKDAYS, &["09:00-17:00"], &[]);
    let from = utc("2026-03-30T10:00:00Z");
    assert_eq!(cal.add_working(from, i64::MAX), Timestamp::MAX);
    assert_eq!(cal.add_working(Timestamp::MAX, 1), Timestamp::MAX);
    let far = cal.add_working(from, 100 * 52 * 40 * HOUR);
    assert_eq!(cal.working_secs(from, far), 100 * 52 * 40 * HOUR);
}
