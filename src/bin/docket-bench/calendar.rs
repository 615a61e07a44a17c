//! The generated config's business calendar (09:00-17:00 Monday to Friday in
//! Europe/Berlin, holidays off) as one UTC frame per day, so the generator can put team
//! replies in working time and knows how much of an SLA target each delay used. jiff
//! turns the local frames into UTC, daylight-saving changes included.

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;

/// The calendar's time zone.
pub const TIMEZONE: &str = "Europe/Berlin";
/// Opening and closing hour, local time.
pub const HOURS: (i8, i8) = (9, 17);
/// Public holidays in Berlin over the generated span, and the days the office closes
/// (24 and 31 December).
pub const HOLIDAYS: &[&str] = &[
    "2024-12-24",
    "2024-12-25",
    "2024-12-26",
    "2024-12-31",
    "2025-01-01",
    "2025-04-18",
    "2025-04-21",
    "2025-05-01",
    "2025-12-24",
    "2025-12-25",
    "2025-12-26",
    "2025-12-31",
    "2026-01-01",
    "2026-04-03",
    "2026-04-06",
    "2026-05-01",
    "2026-12-24",
    "2026-12-25",
    "2026-12-26",
    "2026-12-31",
];

const DAY: i64 = 86_400;

/// Working frames of consecutive UTC days (a Berlin frame never crosses UTC midnight).
#[derive(Debug, Clone)]
pub struct Business {
    /// UTC day number (days since the epoch) of `frames[0]`.
    first_day: i64,
    /// Open and close, seconds since the epoch; `None` on weekends and holidays.
    frames: Vec<Option<(i64, i64)>>,
}

impl Business {
    /// The calendar for every day from `from` to `to` (seconds since the epoch); times
    /// past `to` count as calendar time.
    pub fn new(from: i64, to: i64) -> Result<Business, String> {
        let tz = TimeZone::get(TIMEZONE)
            .map_err(|e| format!("time zone {TIMEZONE}: {e} (install the tzdata package)"))?;
        let holidays = HOLIDAYS
            .iter()
            .map(|h| h.parse::<Date>().map_err(|e| format!("holiday {h}: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let first_day = from.div_euclid(DAY);
        let frames = (first_day..=to.div_euclid(DAY))
            .map(|d| frame(&tz, &holidays, d))
            .collect::<Result<_, _>>()?;
        Ok(Business { first_day, frames })
    }

    /// The frame of UTC day `day`; `Err` past the covered days.
    fn frame(&self, day: i64) -> Result<Option<(i64, i64)>, ()> {
        let i = usize::try_from(day - self.first_day).map_err(|_| ())?;
        self.frames.get(i).copied().ok_or(())
    }

    /// Working seconds in `[from, to)`.
    pub fn working_secs(&self, from: i64, to: i64) -> i64 {
        let mut total = 0;
        let mut day = from.div_euclid(DAY);
        while day * DAY < to {
            match self.frame(day) {
                Ok(Some((open, close))) => {
                    total += (close.min(to) - open.max(from)).max(0);
                }
                Ok(None) => {}
                Err(()) => return total + (to - from.max(day * DAY)),
            }
            day += 1;
        }
        total
    }

    /// The instant at which `secs` (> 0) working seconds have passed since `from`.
    pub fn add(&self, from: i64, secs: i64) -> i64 {
        let mut left = secs;
        let mut at = from;
        loop {
            let day = at.div_euclid(DAY);
            match self.frame(day) {
                Ok(Some((open, close))) if at < close => {
                    let start = at.max(open);
                    if close - start >= left {
                        return start + left;
                    }
                    left -= close - start;
                }
                Ok(_) => {}
                Err(()) => return at + left,
            }
            at = (day + 1) * DAY;
        }
    }

    /// Whether `t` falls in a working frame.
    #[cfg(test)]
    pub fn is_working(&self, t: i64) -> bool {
        matches!(self.frame(t.div_euclid(DAY)), Ok(Some((open, close))) if open <= t && t < close)
    }
}

/// The frame of one UTC day.
fn frame(tz: &TimeZone, holidays: &[Date], day: i64) -> Result<Option<(i64, i64)>, String> {
    let date = Timestamp::from_second(day * DAY)
        .map_err(|e| format!("day {day}: {e}"))?
        .to_zoned(TimeZone::UTC)
        .date();
    if matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) || holidays.contains(&date) {
        return Ok(None);
    }
    let at = |hour: i8| {
        date.at(hour, 0, 0, 0)
            .to_zoned(tz.clone())
            .map(|z| z.timestamp().as_second())
            .map_err(|e| format!("{date} {hour}:00 in {TIMEZONE}: {e}"))
    };
    Ok(Some((at(HOURS.0)?, at(HOURS.1)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> i64 {
        s.parse::<Timestamp>().expect("a test time").as_second()
    }

    fn cal() -> Business {
        Business::new(secs("2026-03-01T00:00:00Z"), secs("2026-04-30T00:00:00Z"))
            .expect("tzdata is installed")
    }

    #[test]
    fn frames_follow_berlin_summer_time() {
        let c = cal();
        // Friday 27 March 2026 is winter time (09:00 = 08:00 UTC), Monday 30 March summer.
        assert!(c.is_working(secs("2026-03-27T08:00:00Z")));
        assert!(!c.is_working(secs("2026-03-27T07:59:59Z")));
        assert!(c.is_working(secs("2026-03-30T07:00:00Z")));
        assert!(!c.is_working(secs("2026-03-30T15:00:00Z")));
    }

    #[test]
    fn adding_skips_nights_weekends_and_holidays() {
        let c = cal();
        // Thursday 2 April 2026, 15:00 Berlin (13:00 UTC), plus 4 working hours: 2 that
        // day, then Good Friday and Easter Monday are off, so 11:00 on Tuesday 7 April.
        let from = secs("2026-04-02T13:00:00Z");
        let to = c.add(from, 4 * 3600);
        assert_eq!(to, secs("2026-04-07T09:00:00Z"));
        assert_eq!(c.working_secs(from, to), 4 * 3600);
        assert_eq!(c.working_secs(to, from), 0);
    }

    #[test]
    fn past_the_covered_days_every_second_counts() {
        let c = cal();
        let late = secs("2026-06-01T00:00:00Z");
        assert_eq!(c.add(late, 60), late + 60);
        assert_eq!(c.working_secs(late, late + 600), 600);
    }
}
