//! Reprise: a private, offline journal for reflective practice, mentoring and CPD.
//!
//! # Brief overview
//!
//! This crate is the core that both front doors — the `reprise` command line and the desktop
//! app — stand on. It knows nothing of either.
//!
//! - [`model`]: plain data and validation — entries, templates, people, relationships,
//!   mentoring sessions, actions, CPD activities. No I/O.
//! - [`store`]: the one door to the SQLite journal — opening, locking, migrations, backups,
//!   integrity checks, and the queries, one file per aggregate.
//! - [`search`]: full-text search (FTS5) with ranked, highlighted results.
//! - [`render`]: Markdown to sanitised HTML; every string shown as HTML goes through it.
//! - [`exchange`]: export and import — lossless JSON, Markdown folders, jrnl.
//! - [`demo`]: a realistic sample journal.
//! - [`error`]: the one error type, with a `kind` front ends can branch on.
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
