//! SLA targets as config writes them: `90m`, `4h`, `2d`, `1h30m`.

/// A duration that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a duration: {why}")]
pub struct DurationError {
    /// What was written.
    pub text: String,
    /// What is wrong with it.
    pub why: String,
}

/// Seconds in a duration such as `90m`, `4h`, `2d` or `1h30m` (`d` is 24 hours).
pub fn parse_duration(text: &str) -> Result<i64, DurationError> {
    let _ = text;
    unimplemented!("parse_duration")
}
