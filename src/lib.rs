//! docket: a help desk that lives in the repository it supports.
//!
//! Tickets, KB articles and customer records are Markdown files with YAML frontmatter in
//! the host repository; every state change is one git commit. Modules, from the bottom:
//! `model` (plain types), `doc` (the only YAML text), `git` (the only gix), `store` (the
//! files on disk), `desk` (operations as transactions), `export` (publishing the KB), `cli` (arguments
//! and output); `interrupt` (deferring Ctrl-C during a write) and `atomic` (replacing a file whole) are
//! leaves any of them may use.

pub mod atomic;
pub mod cli;
pub mod clock;
pub mod desk;
pub mod doc;
pub mod export;
pub mod git;
pub mod index;
pub mod interrupt;
pub mod model;
pub mod store;
