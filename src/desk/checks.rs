//! Checks of the values a person gives a desk operation (a title, an assignee, a
//! customer, a 1-5 level, a time), each refusing bad input with a usage error that says
//! what to write instead.

use super::DeskError;
use crate::doc::Value;
use crate::model::{Config, format_time};
use crate::store::Store;

/// Refuses a title, name or other one-line value that is empty or spans lines.
pub(super) fn single_line(what: &str, s: &str) -> Result<(), DeskError> {
    if s.trim().is_empty() || s.contains(['\n', '\r']) {
        return Err(DeskError::invalid(
            format!("{what} must be one non-empty line"),
            format!("give the {what} as one line of text"),
        ));
    }
    Ok(())
}

pub(super) fn check_assignee(config: &Config, who: &str) -> Result<(), DeskError> {
    if config.team.is_empty() || config.team.iter().any(|m| m.handle == who) {
        return Ok(());
    }
    Err(DeskError::invalid(
        format!("`{who}` is not in the team"),
        format!(
            "assign to one of: {} (the team is in .docket/config.yaml)",
            config
                .team
                .iter()
                .map(|m| m.handle.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

pub(super) fn check_customer(store: &Store, slug: &str) -> Result<(), DeskError> {
    if store.customer_exists(slug)? {
        return Ok(());
    }
    Err(crate::store::StoreError::NoSuchRecord {
        kind: "customer",
        slug: slug.to_string(),
    }
    .into())
}

pub(super) fn check_level(key: &str, v: &str) -> Result<Value, DeskError> {
    match v.trim().parse::<u8>() {
        Ok(n @ 1..=5) => Ok(Value::Number(n.into())),
        _ => Err(DeskError::invalid(
            format!("`{key}` must be 1 to 5, not `{v}`"),
            format!("use {key}=1 (lowest) to {key}=5 (highest)"),
        )),
    }
}

pub(super) fn check_time(key: &str, v: &str) -> Result<Value, DeskError> {
    if let Ok(t) = v.parse::<jiff::Timestamp>() {
        return Ok(Value::String(format_time(t)));
    }
    if let Ok(d) = v.parse::<jiff::civil::Date>()
        && let Ok(t) = d.to_zoned(jiff::tz::TimeZone::UTC)
    {
        return Ok(Value::String(format_time(t.timestamp())));
    }
    Err(DeskError::invalid(
        format!("`{key}` must be a date or an RFC 3339 date-time, not `{v}`"),
        format!("write it like {key}=2026-11-30 or {key}=2026-11-30T17:00:00Z"),
    ))
}
