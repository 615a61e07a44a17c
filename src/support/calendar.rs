//! Working calendars for SLA clocks: every hour (calendar hours), or business-hour
//! frames per weekday in an IANA time zone, with holidays. jiff does the time-zone
//! arithmetic, so a frame is local wall-clock time on both sides of a daylight-saving
//! change.

use jiff::Timestamp;

use crate::model::CalendarSpec;

/// A calendar that does not read, naming the key at fault and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CalendarError {
    /// The config key path below the calendar (`hours.mon`, `timezone`, `holidays`).
    pub key: String,
    /// What is wrong and what to write instead.
    pub message: String,
}

/// A working calendar.
#[derive(Debug, Clone)]
pub struct Calendar {}

impl Calendar {
    /// Calendar hours: every second counts.
    pub fn always() -> Calendar {
        unimplemented!()
    }

    /// A business-hours calendar from its config.
    pub fn from_spec(spec: &CalendarSpec) -> Result<Calendar, CalendarError> {
        let _ = spec;
        unimplemented!()
    }

    /// Working seconds in `[from, to)`; 0 when `to <= from`.
    pub fn working_secs(&self, from: Timestamp, to: Timestamp) -> i64 {
        let _ = (from, to);
        unimplemented!()
    }

    /// The instant at which `secs` working seconds have passed since `from` (`from`
    /// itself, moved to the next working second, when `secs` is 0).
    pub fn add_working(&self, from: Timestamp, secs: i64) -> Timestamp {
        let _ = (from, secs);
        unimplemented!()
    }
}
