//! The help desk's arithmetic, as pure functions of the values files hold: working
//! calendars, durations, priority scores, SLA clocks over a ticket's timeline, report
//! figures and forecasts. No I/O: `index` computes SLA facts with it at index time and
//! `desk` from the files, and a test holds the two to the same answer.

pub mod automation;
pub mod calendar;
pub mod classify;
pub mod config;
pub mod duration;
pub mod forecast;
pub mod priority;
pub mod report;
pub mod routing;
pub mod sla;
pub mod standing;
pub mod template;

pub use calendar::{Calendar, CalendarError};
pub use duration::{DurationError, parse_duration};
pub use standing::{Standing, standing};
