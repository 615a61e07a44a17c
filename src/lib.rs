//! docket: a help desk that lives in the repository it supports.
pub mod doc;
