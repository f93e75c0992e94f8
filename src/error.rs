//! The one error type of the core, carrying the facts needed to say what went wrong.

use std::path::PathBuf;

/// Everything that can go wrong in the core.
///
/// Variants carry enough to write a message a person can act on; front ends map them to a
/// short `kind` with [`Error::kind`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A record that was asked for does not exist (or is in the trash when it must not be).
    #[error("no {entity} with id {id}")]
    NotFound { entity: &'static str, id: String },

    /// A field failed validation.
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String },

    /// A search query could not be understood.
    #[error("search query: {0}")]
    Query(String),

    /// An import file was rejected before anything was written; `location` says where.
    #[error("{location}: {reason}")]
    Import { location: String, reason: String },

    /// The journal was written by a newer Reprise.
    #[error("this journal was written by a newer Reprise (schema {found}, this build knows {known}); update Reprise to open it")]
    SchemaTooNew { found: u32, known: u32 },

    /// The file is a SQLite database, but not a Reprise journal.
    #[error("{} is not a Reprise journal", path.display())]
    NotAJournal { path: PathBuf },

    /// The file failed SQLite's integrity check; it has not been written to.
    #[error("the journal at {} is damaged ({detail}); it has not been changed. Restore a backup from {}", path.display(), backups.display())]
    Damaged {
        path: PathBuf,
        detail: String,
        backups: PathBuf,
    },

    /// Another process holds the journal's write lock.
    #[error("the journal at {} is open for writing in another Reprise process (the desktop app or another command); close it and try again", path.display())]
    Busy { path: PathBuf },

    /// An attachment is larger than the journal accepts.
    #[error("attachment {name} is {size} bytes; the limit is {limit} bytes")]
    TooLarge { name: String, size: u64, limit: u64 },

    /// SQLite reported an error.
    #[error("the journal could not be read or written ({0})")]
    Storage(#[from] rusqlite::Error),

    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A short, stable name for the kind of failure, for front ends to branch on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "NotFound",
            Error::Invalid { .. } => "Invalid",
            Error::Query(_) => "Query",
            Error::Import { .. } => "Import",
            Error::SchemaTooNew { .. } => "SchemaTooNew",
            Error::NotAJournal { .. } => "NotAJournal",
            Error::Damaged { .. } => "Damaged",
            Error::Busy { .. } => "Busy",
            Error::TooLarge { .. } => "TooLarge",
            Error::Storage(e) if is_disk_full(e) => "DiskFull",
            Error::Storage(_) => "Storage",
            Error::Io { .. } => "Io",
        }
    }

    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::Import`].
    pub fn import(location: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Import {
            location: location.into(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::Io`].
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

fn is_disk_full(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DiskFull
    )
}
