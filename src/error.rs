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

    /// The record was saved by someone else since it was read, so this save would overwrite
    /// their change.
    #[error(
        "this {entity} was changed elsewhere since it was opened ({id}); nothing was saved over it"
    )]
    Changed { entity: &'static str, id: String },

    /// Nothing has the name that was given (a front end looking a record up by name).
    #[error("no {entity} named {name:?}")]
    NoneNamed { entity: &'static str, name: String },

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

    /// Another process has the journal open while this one needs it alone (a migration, an
    /// import), or holds it alone while this one opens it.
    #[error("the journal at {} is in use by another Reprise process (the desktop app or another command), and this needs it alone; close that and try again", path.display())]
    Busy { path: PathBuf },

    /// An attachment is larger than the journal accepts.
    #[error(
        "attachment {name} is {}; the limit is {}",
        crate::model::human_size(*size),
        crate::model::human_size(*limit)
    )]
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

/// The kinds of failure, for front ends to branch on; each names itself in `Debug` and JSON
/// as it does here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ErrorKind {
    /// [`Error::NotFound`].
    NotFound,
    /// [`Error::Changed`].
    Changed,
    /// [`Error::Invalid`].
    Invalid,
    /// [`Error::Query`].
    Query,
    /// [`Error::Import`].
    Import,
    /// [`Error::SchemaTooNew`].
    SchemaTooNew,
    /// [`Error::NotAJournal`].
    NotAJournal,
    /// [`Error::Damaged`].
    Damaged,
    /// [`Error::Busy`].
    Busy,
    /// [`Error::TooLarge`].
    TooLarge,
    /// [`Error::Storage`] because the disk is full.
    DiskFull,
    /// Any other [`Error::Storage`].
    Storage,
    /// [`Error::Io`].
    Io,
    /// A failure of a front end's own (the platform, or a bug), never of the core.
    Internal,
}

impl ErrorKind {
    /// The kind's name, as `Debug` and JSON spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "NotFound",
            ErrorKind::Changed => "Changed",
            ErrorKind::Invalid => "Invalid",
            ErrorKind::Query => "Query",
            ErrorKind::Import => "Import",
            ErrorKind::SchemaTooNew => "SchemaTooNew",
            ErrorKind::NotAJournal => "NotAJournal",
            ErrorKind::Damaged => "Damaged",
            ErrorKind::Busy => "Busy",
            ErrorKind::TooLarge => "TooLarge",
            ErrorKind::DiskFull => "DiskFull",
            ErrorKind::Storage => "Storage",
            ErrorKind::Io => "Io",
            ErrorKind::Internal => "Internal",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The kind of failure, for front ends to branch on.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotFound { .. } | Error::NoneNamed { .. } => ErrorKind::NotFound,
            Error::Changed { .. } => ErrorKind::Changed,
            Error::Invalid { .. } => ErrorKind::Invalid,
            Error::Query(_) => ErrorKind::Query,
            Error::Import { .. } => ErrorKind::Import,
            Error::SchemaTooNew { .. } => ErrorKind::SchemaTooNew,
            Error::NotAJournal { .. } => ErrorKind::NotAJournal,
            Error::Damaged { .. } => ErrorKind::Damaged,
            Error::Busy { .. } => ErrorKind::Busy,
            Error::TooLarge { .. } => ErrorKind::TooLarge,
            Error::Storage(e) if is_disk_full(e) => ErrorKind::DiskFull,
            Error::Storage(_) => ErrorKind::Storage,
            Error::Io { .. } => ErrorKind::Io,
        }
    }

    /// The field a person got wrong, for an [`Error::Invalid`] (as the model names it, e.g.
    /// `title` or `session.participants`), so a form can mark it.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
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
