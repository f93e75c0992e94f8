//! Where connections come from. Every SQLite connection of the crate is opened here, with
//! the settings that make "saved" mean durable, so that a setting (or, later, a key) applies
//! to each of them.

use super::backup::backups_dir;
use super::{schema, APPLICATION_ID};
use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// Opens (creating if needed) the journal file for reading and writing, with the settings that
/// change nothing on disk applied; [`configure_writes`] follows once [`inspect`] accepts it.
pub(super) fn open_read_write(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)?;
    configure_reads(&conn).map_err(|e| classify(path, e))?;
    Ok(conn)
}

/// Opens the journal file for reading only, configured for reading.
pub(super) fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = open_read_only_unconfigured(path)?;
    configure_reads(&conn).map_err(|e| classify(path, e))?;
    Ok(conn)
}

fn open_read_only_unconfigured(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    Ok(Connection::open_with_flags(path, flags)?)
}

/// Creates a new, separate database file (a backup's destination).
pub(super) fn create_file(path: &Path) -> Result<Connection> {
    Ok(Connection::open(path)?)
}

/// The journal's lock file (`<journal>.lock`), held shared by every process that writes
/// row by row — the desktop app and the command line side by side, as SQLite serialises their
/// transactions — and exclusively, for a moment, by whatever changes the whole file at once
/// (a migration, an import), so that nobody else is writing while it does.
pub(super) struct JournalLock {
    file: File,
    lock_path: PathBuf,
    journal: PathBuf,
}

impl JournalLock {
    /// Takes the lock shared; refused only while another process holds it exclusively.
    pub(super) fn shared(path: &Path) -> Result<JournalLock> {
        let mut lock_path = path.as_os_str().to_owned();
        lock_path.push(".lock");
        let lock_path = PathBuf::from(lock_path);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io(&lock_path, e))?;
        let lock = JournalLock {
            file,
            lock_path,
            journal: path.to_path_buf(),
        };
        lock.answer(lock.file.try_lock_shared())?;
        Ok(lock)
    }

    /// Runs `f` holding the lock exclusively (no other process has the journal open for
    /// writing meanwhile), then shares it again.
    ///
    /// # Errors
    /// [`Error::Busy`] when another process has the journal open for writing.
    pub(super) fn exclusively<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        // Let go of the shared lock first: on Windows a handle cannot take an exclusive lock
        // over its own shared one. Whichever way it goes, the lock is shared again after.
        self.file
            .unlock()
            .map_err(|e| Error::io(&self.lock_path, e))?;
        let result = self.answer(self.file.try_lock()).and_then(|()| {
            let value = f();
            let _ = self.file.unlock();
            value
        });
        let shared = self
            .file
            .lock_shared()
            .map_err(|e| Error::io(&self.lock_path, e));
        let value = result?;
        shared?;
        Ok(value)
    }

    fn answer(&self, tried: std::result::Result<(), std::fs::TryLockError>) -> Result<()> {
        match tried {
            Ok(()) => Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy {
                path: self.journal.clone(),
            }),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&self.lock_path, e)),
        }
    }
}

/// The page cache of each connection, in KiB. The file's pages are in the OS's cache anyway
/// once read; on a 50,000-entry journal 4 MB searched, listed and imported as fast as 16 MB did
/// (docs/PERFORMANCE.md), and the desktop app keeps the difference for as long as it runs.
const PAGE_CACHE_KIB: i64 = -4_000;

/// Settings that change nothing on disk.
pub(super) fn configure_reads(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    conn.pragma_update(None, "cell_size_check", "ON")?;
    conn.pragma_update(None, "mmap_size", 0)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", PAGE_CACHE_KIB)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Settings that may write to the file; applied only after [`inspect`] accepted it.
pub(super) fn configure_writes(conn: &Connection) -> Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::invalid(
            "journal",
            format!("cannot use write-ahead logging (got {mode})"),
        ));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}

/// Checks, without writing, that the file is a Reprise journal this build can open; returns
/// true when it is a new, empty database.
pub(super) fn inspect(conn: &Connection, path: &Path) -> Result<bool> {
    let classify = |e: rusqlite::Error| classify(path, Error::Storage(e));
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(classify)?;
    let objects: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(classify)?;
    if app_id == 0 && objects == 0 {
        return Ok(true);
    }
    if app_id != APPLICATION_ID {
        return Err(Error::NotAJournal {
            path: path.to_path_buf(),
        });
    }
    schema::refuse_newer(conn)?;
    Ok(false)
}

pub(super) fn in_wal_mode(conn: &Connection) -> Result<bool> {
    // Reading the mode changes nothing.
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    Ok(mode.eq_ignore_ascii_case("wal"))
}

/// Turns SQLite's "not a database" and "corrupt" errors into the journal's own words.
pub(crate) fn classify(path: &Path, e: Error) -> Error {
    match &e {
        Error::Storage(se) => match se.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => Error::NotAJournal {
                path: path.to_path_buf(),
            },
            Some(rusqlite::ErrorCode::DatabaseCorrupt) => Error::Damaged {
                path: path.to_path_buf(),
                detail: se.to_string(),
                backups: backups_dir(path),
            },
            _ => e,
        },
        _ => e,
    }
}

/// Why opening a journal for writing would change the file, found without changing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpeningWrites {
    /// It is an empty file, not a journal yet: opening it creates one.
    Empty,
    /// It was written by an older Reprise: opening it migrates it from this schema version.
    Migration {
        /// The file's schema version.
        found: u32,
    },
    /// Its built-in templates are older than this build's: opening it updates them.
    StaleTemplates,
}

/// Looks at the journal at `path` over a read-only connection of its own and says what
/// opening it for writing would change; `None` when nothing, or when the look failed (opening
/// it then reports why, without writing).
pub fn opening_writes(path: &Path) -> Option<OpeningWrites> {
    let conn = open_read_only_unconfigured(path).ok()?;
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .ok()?;
    let objects: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .ok()?;
    if app_id == 0 && objects == 0 {
        return Some(OpeningWrites::Empty);
    }
    if app_id != APPLICATION_ID {
        return None;
    }
    let found = schema::version(&conn).ok()?;
    if found < schema::CURRENT_VERSION {
        return Some(OpeningWrites::Migration { found });
    }
    for t in super::builtin_templates().ok()? {
        let stored: Option<String> = conn
            .query_row(
                "SELECT updated_at FROM templates WHERE id = ?1",
                [t.id.to_string()],
                |r| r.get(0),
            )
            .optional()
            .ok()?;
        if stored.as_deref() != Some(crate::model::format_ts(&t.updated_at).as_str()) {
            return Some(OpeningWrites::StaleTemplates);
        }
    }
    None
}
