//! Reprise: a private, offline journal for reflective practice, mentoring and CPD.
//!
//! # Brief overview
//!
//! This crate is the core that both front doors — the `reprise` command line and the desktop
//! app — stand on. It knows nothing of either.
//!
//! - [`model`]: plain data and validation — entries, templates, people, relationships,
//!   mentoring sessions, actions, CPD activities — and the rules front ends show the results
//!   of (excerpts, summaries, what a new entry starts with). No I/O.
//! - [`store`]: the one door to the SQLite journal. `connection` is the only place a
//!   connection is opened; `health`, `backup` and `schema` keep the file sound; `row` says how
//!   a record becomes a row (one column list per record type, used by single-record queries
//!   and by the import's bulk writer alike); then one file per record type.
//! - [`search`]: the query language people type, turned into safe FTS5; the SQL is the
//!   store's.
//! - [`render`]: Markdown to sanitised HTML; every string shown as HTML goes through it.
//! - [`exchange`]: export and import. [`exchange::Format`] lists the formats (the command
//!   line and the desktop app offer exactly these); each format's module reads its file, and
//!   every import ends in one pipeline — validate all, back up, apply in one transaction,
//!   check, commit.
//! - [`demo`]: a realistic sample journal, its words kept as data under `assets/sample/`.
//! - [`error`]: the one error type, with an [`ErrorKind`] front ends branch on.
//!
//! The `reprise` binary's command line (`src/cli/`) and the desktop shell (`src-tauri/`) only
//! turn their input into calls on this crate. `docs/ARCHITECTURE.md` says what may call what
//! and where a new record type, format, command or view goes.
//!
//! The journal is one SQLite file per person (see [`store::default_journal_path`]).

pub mod demo;
pub mod error;
pub mod exchange;
pub mod model;
pub mod render;
pub mod search;
pub mod store;

pub use error::{Error, ErrorKind, Result};
pub use store::Store;
