//! Working calendars for SLA clocks: every hour (calendar hours), or business-hour
//! frames per weekday in an IANA time zone, with holidays. jiff does the time-zone
//! arithmetic, so a frame is local wall-clock time on both sides of a daylight-saving
//! change.
//!
//! A second is working time when the wall clock of the calendar's zone then reads a
//! time inside a frame of that day, and the day is no holiday. So on the day clocks go
//! forward a `01:00-05:00` frame holds three hours and on the day they go back five,
//! while `09:00-17:00` holds eight on both: what the team's own clocks say. A frame in
//! the skipped hour never happens that day, and one in the repeated hour counts twice.
//!
//! These run at index time for every ticket and at query time for every open one, over
//! spans of months for an old breached ticket, so nothing steps through minutes or days.
//! Real time is cut at the zone's offset changes (two a year, or none) into stretches
//! where the wall clock runs in step with it, and the `week` module answers for each
//! stretch in closed form from the weekly total, stepping only from holiday to holiday.
//!
//! jiff reads the system's time zone database and falls back on the copy built into
//! the binary, so a CI machine without `/usr/share/zoneinfo` gets the same deadlines.
//!
//! Time is counted in whole seconds; fractions of a second are dropped.

mod spec;
#[cfg(test)]
mod tests;
mod week;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::model::CalendarSpec;
use week::Week;

/// A calendar that does not read, naming the key at fault and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CalendarError {
    /// The config key path below the calendar (`hours.mon`, `timezone`, `holidays`).
    pub key: String,
    /// What is wrong and what to write instead.
    pub message: String,
}

/// A working calendar: which seconds an SLA clock counts.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// `None` for calendar hours.
    business: Option<Business>,
}

/// Business hours: the week on the wall clock, and the zone whose clock it is.
#[derive(Debug, Clone)]
struct Business {
    zone: TimeZone,
    week: Week,
}

impl Calendar {
    /// Calendar hours: every second counts.
    pub fn always() -> Calendar {
        Calendar { business: None }
    }

    /// A business-hours calendar from its config.
    pub fn from_spec(spec: &CalendarSpec) -> Result<Calendar, CalendarError> {
        let zone = spec::zone(spec.timezone.as_deref())?;
        let week = spec::week(spec)?;
        Ok(Calendar {
            business: Some(Business { zone, week }),
        })
    }

    /// Working seconds in `[from, to)`; 0 when `to <= from`.
    pub fn working_secs(&self, from: Timestamp, to: Timestamp) -> i64 {
        let (from, to) = (from.as_second(), to.as_second());
        if to <= from {
            return 0;
        }
        let Some(business) = &self.business else {
            return to - from;
        };
        let mut total = 0;
        let mut at = from;
        loop {
            let (offset, change) = business.stretch(at);
            let end = change.map_or(to, |change| change.min(to));
            total += business.week.working(at + offset, end + offset);
            if end == to {
                return total;
            }
            at = end;
        }
    }

    /// The instant at which `secs` working seconds have passed since `from` (`from`
    /// itself, moved to the next working second, when `secs` is 0).
    pub fn add_working(&self, from: Timestamp, secs: i64) -> Timestamp {
        let secs = secs.max(0);
        let Some(business) = &self.business else {
            return from
                .checked_add(SignedDuration::from_secs(secs))
                .unwrap_or(Timestamp::MAX);
        };
        let start = from.as_second();
        // Working time never outruns real time: past the last instant jiff holds, stop.
        if secs > Timestamp::MAX.as_second() - start {
            return Timestamp::MAX;
        }
        let mut at = start;
        let mut left = secs;
        loop {
            let (offset, change) = business.stretch(at);
            let local = at + offset;
            if left == 0 {
                let next = business.week.next_working(local) - offset;
                if let Some(change) = change
                    && next >= change
                {
                    at = change;
                    continue;
                }
                return if next == start { from } else { instant(next) };
            }
            if let Some(change) = change {
                let available = business.week.working(local, change + offset);
                if left > available {
                    left -= available;
                    at = change;
                    continue;
                }
            }
            return instant(business.week.add(local, left) - offset);
        }
    }
}

impl Business {
    /// The zone's UTC offset at second `at`, in seconds, and the second its offset next
    /// changes, if it ever does.
    fn stretch(&self, at: i64) -> (i64, Option<i64>) {
        let instant = instant(at);
        let offset = i64::from(self.zone.to_offset(instant).seconds());
        let change = self
            .zone
            .following(instant)
            .map(|transition| transition.timestamp().as_second())
            .find(|&change| change > at);
        (offset, change)
    }
}

/// The instant of a second from the Unix epoch, held to jiff's range.
fn instant(second: i64) -> Timestamp {
    let second = second.clamp(Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
    Timestamp::from_second(second).expect("a second clamped to jiff's range is an instant")
}
