//! Automation conditions: whether an `automation:` rule's `when` holds for a ticket, and
//! the condition string that identifies this occurrence of it, so a rule fires once per
//! ticket and condition however often `automate` runs.
