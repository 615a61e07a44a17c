//! Reading a calendar's config into a [`Week`] and a time zone. Strict, since a frame
//! read wrongly moves every deadline without a word: each error names the key, quotes the
//! value and says what to write.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::CalendarError;
use super::week::{DAY, Week};
use crate::model::CalendarSpec;

/// The weekday keys, Monday first, as config writes them.
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

const NO_HOURS: &str = "a calendar with no business hours never runs the clock; give hours, \
                        or drop `calendar:` from the policy for calendar hours";

fn error(key: impl Into<String>, message: impl Into<String>) -> CalendarError {
    CalendarError {
        key: key.into(),
        message: message.into(),
    }
}

/// The calendar's time zone: UTC when none is named.
pub(super) fn zone(name: Option<&str>) -> Result<TimeZone, CalendarError> {
    let Some(name) = name else {
        return Ok(TimeZone::UTC);
    };
    TimeZone::get(name).map_err(|_| {
        let hint = nearest_zone(name)
            .map(|near| format!("; did you mean `{near}`?"))
            .unwrap_or_default();
        error(
            "timezone",
            format!(
                "unknown time zone `{name}`: write an IANA name such as Europe/Berlin or \
                 America/New_York{hint}"
            ),
        )
    })
}

/// The known zone name closest to a misspelt one, when one is close.
fn nearest_zone(name: &str) -> Option<String> {
    let wanted = name.to_ascii_lowercase();
    jiff::tz::db()
        .available()
        .map(|known| {
            let distance = strsim::levenshtein(&wanted, &known.as_str().to_ascii_lowercase());
            (distance, known.as_str().to_string())
        })
        .filter(|&(distance, _)| distance <= 3)
        .min()
        .map(|(_, known)| known)
}

/// The week of frames and holidays.
pub(super) fn week(spec: &CalendarSpec) -> Result<Week, CalendarError> {
    let mut frames = Vec::new();
    for (key, written) in &spec.hours {
        let day = weekday(key)?;
        let mut day_frames = written
            .iter()
            .map(|text| frame(text).map_err(|message| error(format!("hours.{key}"), message)))
            .collect::<Result<Vec<_>, _>>()?;
        day_frames.sort_unstable_by_key(|&(start, _, _)| start);
        for pair in day_frames.windows(2) {
            if let [(_, end, earlier), (start, _, later)] = pair
                && start < end
            {
                return Err(error(
                    format!("hours.{key}"),
                    format!(
                        "`{earlier}` overlaps `{later}`: frames of a day must not overlap; \
                         end one where the next starts, as in 09:00-12:00 and 13:00-17:00"
                    ),
                ));
            }
        }
        let offset = day as i64 * DAY;
        frames.extend(
            day_frames
                .iter()
                .map(|&(start, end, _)| (offset + start, offset + end)),
        );
    }
    let holidays = spec
        .holidays
        .iter()
        .map(|text| holiday(text))
        .collect::<Result<Vec<_>, _>>()?;
    Week::new(frames, holidays).ok_or_else(|| error("hours", NO_HOURS))
}

/// The index (Monday 0) of a weekday key.
fn weekday(key: &str) -> Result<usize, CalendarError> {
    if let Some(day) = DAYS.iter().position(|&day| day == key) {
        return Ok(day);
    }
    let lower = key.to_ascii_lowercase();
    let hint = match DAYS.iter().find(|&&day| lower.starts_with(day)) {
        Some(day) => format!("write `{day}`"),
        None => "use mon, tue, wed, thu, fri, sat or sun".to_string(),
    };
    Err(error(
        format!("hours.{key}"),
        format!("unknown weekday `{key}`: {hint}"),
    ))
}

/// A frame `HH:MM-HH:MM` as seconds from midnight, with its text for messages.
fn frame(text: &str) -> Result<(i64, i64, &str), String> {
    let malformed =
        || format!("`{text}` is not a frame: write HH:MM-HH:MM in local time, e.g. 09:00-17:00");
    let (start, end) = text.split_once('-').ok_or_else(malformed)?;
    let start = clock(start.trim()).ok_or_else(malformed)?;
    let end = clock(end.trim()).ok_or_else(malformed)?;
    if start == DAY {
        return Err(format!(
            "`{text}` starts at 24:00, the end of the day: start at 00:00 of the next day"
        ));
    }
    if end == start {
        return Err(format!(
            "`{text}` holds no time: give an end after the start, e.g. 09:00-17:00"
        ));
    }
    if end < start {
        return Err(format!(
            "`{text}` ends before it starts: a frame lies within one day; split night hours \
             at midnight, 22:00-24:00 on one day and 00:00-06:00 on the next"
        ));
    }
    Ok((start, end, text))
}

/// Seconds from midnight of `HH:MM` (one-digit hours allowed, `24:00` the day's end).
fn clock(text: &str) -> Option<i64> {
    let (hours, minutes) = text.split_once(':')?;
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(hours, 1..=2) || !digits(minutes, 2..=2) {
        return None;
    }
    let (hours, minutes): (i64, i64) = (hours.parse().ok()?, minutes.parse().ok()?);
    let valid = (hours < 24 && minutes < 60) || (hours == 24 && minutes == 0);
    valid.then_some(hours * 3_600 + minutes * 60)
}

/// A holiday `YYYY-MM-DD` as a day number from 1970-01-01.
fn holiday(text: &str) -> Result<i64, CalendarError> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let date = shaped
        .then(|| text.parse::<Date>().ok())
        .flatten()
        .ok_or_else(|| {
            error(
                "holidays",
                format!("`{text}` is not a date: write YYYY-MM-DD, e.g. 2026-12-25"),
            )
        })?;
    Ok(date.duration_since(Date::constant(1970, 1, 1)).as_secs() / DAY)
}
