//! Shared helpers for the integration tests.

use reprise::model::{EntryInput, EntryKind};
use reprise::Store;
use std::path::PathBuf;
use tempfile::TempDir;

/// A fresh journal in its own temporary folder.
pub struct Journal {
    pub dir: TempDir,
    pub store: Store,
}

impl Journal {
    pub fn new() -> Journal {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("journal.reprise")).unwrap();
        Journal { dir, store }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("journal.reprise")
    }
}

/// An entry input with a title, body, date and tags.
pub fn entry(title: &str, body: &str, date: &str, tags: &[&str]) -> EntryInput {
    EntryInput {
        kind: EntryKind::Reflection,
        title: title.into(),
        body: body.into(),
        occurred_on: Some(date.parse().unwrap()),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..EntryInput::default()
    }
}
