//! docket: a help desk that lives in the repository it supports.
//!
//! Tickets, KB articles and customer records are Markdown files with YAML frontmatter in
//! the host repository; every state change is one git commit.
//!
//! # Layers
//!
//! From the bottom; a module uses only those listed for it (tests/layering.rs checks the
//! source against this list):
//!
//! | module | owns | uses |
//! | --- | --- | --- |
//! | `atomic`, `clock`, `interrupt`, `random` | replacing a file whole; the file-stamp clock; deferring Ctrl-C during a write; the one random source, seedable for tests | nothing (leaves) |
//! | `model` | the plain types and the ids that name files | nothing |
//! | `doc` | the only YAML text: reading and editing frontmatter files | nothing |
//! | `support` | the help desk's arithmetic: business-hour calendars, priority scores, SLA clocks over a ticket's timeline, report figures, forecasts; pure functions of the files' values | `model` |
//! | `git` | the only gix: commits, history, locks | `interrupt`, `clock` |
//! | `store` | the only layout on disk: where files live, loading and writing them (and checking them) | `model`, `support`, `doc`, `atomic` |
//! | `index` | the only tantivy: search, listing, matching; a cache of the store (with each ticket's SLA facts) | `model`, `support`, `store`, `atomic`, `clock` |
//! | `desk` | operations: a state change is one transaction that edits files as `doc` text, writes them through `store` and commits once through `git` (the index notices the new files on its next read); reads (`list`, `show`, `suggest`, `dupes`) ask `index` first and fall back to the files | everything above |
//! | `export` | publishing the KB; reads published articles, never tickets or customers | `model`, `store`, `doc` (page front matter), `atomic` |
//! | `cli` | arguments and output; the only module that prints or exits | the modules above, never the reverse |
//!
//! The `docket` binary (src/main.rs) parses, runs `cli` and maps errors to exit codes; the
//! `docket-bench` and `docket-eval` tools use the library as any other program would.

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
pub mod random;
pub mod store;
pub mod support;
