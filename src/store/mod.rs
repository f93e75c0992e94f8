//! The one door to the journal file: [`Store`] opens it, holds its lock and its connection,
//! and every query of the crate goes through it.
//!
//! The files beside this one, by concern:
//!
//! - `connection.rs`: where connections come from — the only place one is opened and
//!   configured — plus the write lock and the checks made before a file is trusted.
//! - `health.rs`: the open-time `quick_check` (in the background for a journal in daily use)
//!   and the full check.
//! - `backup.rs`: checked backups through SQLite's backup API, rotated.
//! - `schema.rs`: the append-only migrations.
//! - `row.rs`: how records become rows — [`row::Record`] and the column readers.
//! - One file per record type, each an `impl Store` block with that type's queries and its
//!   `Record` impl: `entries.rs` (with `timeline.rs` for listings), `templates.rs`, `tags.rs`,
//!   `attachments.rs`, `drafts.rs`, `people.rs`, `relationships.rs`, `sessions.rs`,
//!   `actions.rs`, `cpd.rs`; `search.rs` runs the full-text queries.
//! - `exchange.rs` and `bulk.rs`: whole-journal reads and writes for exports and imports,
//!   built from the same records.

mod actions;
mod attachments;
mod backup;
mod bulk;
mod connection;
mod cpd;
mod drafts;
mod entries;
pub(crate) mod exchange;
mod health;
mod people;
mod relationships;
pub(crate) mod row;
pub mod schema;
mod search;
mod sessions;
mod tags;
mod templates;
mod timeline;

pub use attachments::MAX_ATTACHMENT_BYTES;
pub use backup::backups_dir;
pub use connection::{opening_writes, OpeningWrites};
pub use health::CheckReport;
pub use timeline::EntryCursor;

use crate::error::{Error, Result};
use backup::backup_connection;
use connection::classify;
use health::{Checked, Health};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// Our `PRAGMA application_id` ("RPRS"): a SQLite file without it is not a journal.
pub const APPLICATION_ID: i32 = 0x5250_5253;

/// The file name of the journal inside the data folder.
pub const JOURNAL_FILE_NAME: &str = "journal.reprise";

/// Where the journal lives when nothing says otherwise: `REPRISE_JOURNAL`, or the operating
/// system's per-user data folder (`~/.local/share/reprise` on Linux, `~/Library/Application
/// Support/org.reprise.Reprise` on macOS, `%APPDATA%\Reprise\Reprise\data` on Windows).
///
/// # Errors
/// [`Error::Invalid`] when no home folder can be found.
pub fn default_journal_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("REPRISE_JOURNAL").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    directories::ProjectDirs::from("org", "Reprise", "Reprise")
        .map(|d| d.data_dir().join(JOURNAL_FILE_NAME))
        .ok_or_else(|| Error::invalid("journal", "no home folder found; pass --journal PATH"))
}

/// An open journal. One per process; it holds the write lock for as long as it lives.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
    read_only: bool,
    health: Arc<Health>,
    /// Held shared while the journal is open read-write (dropping it releases it), taken
    /// alone by [`Store::alone`]; `None` for a read-only store.
    lock: Option<connection::JournalLock>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // A check still running has nothing left to protect.
        if let Some(handle) = lock(&self.health.interrupt).take() {
            handle.interrupt();
        }
        // Closing the last connection copies the write-ahead log into the main file. Unless
        // the file is known to be healthy, leave the log where it is: a damaged file is never
        // written to (writing could spread the damage to what is still sound), and the log is replayed at the next open.
        if !self.read_only && !matches!(*lock(&self.health.state), Checked::Passed) {
            let _ = self.conn().set_db_config(
                rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
                true,
            );
        }
    }
}

/// Locks a mutex whose data stays valid even if a holder panicked.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Store {
    /// Opens (creating if needed) the journal at `path` for reading and writing.
    ///
    /// Takes the journal's lock, checks the file is a healthy Reprise journal no newer than
    /// this build (`PRAGMA quick_check`), backs it up and migrates it if it is older, and
    /// installs the built-in templates.
    ///
    /// # Errors
    /// [`Error::Busy`] when another process has it open for writing; [`Error::NotAJournal`],
    /// [`Error::Damaged`] or [`Error::SchemaTooNew`] without writing to the file.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Store::open_with(path.as_ref(), false)
    }

    /// As [`Store::open`], but a journal that is already in daily use (current schema,
    /// write-ahead log) is `quick_check`ed on a second, read-only connection in the background
    /// rather than before this returns: on a large journal the check reads the whole file
    /// (about a second for 50,000 entries), and the desktop app shows the timeline meanwhile.
    ///
    /// Reads are answered at once. The first write waits for the check and, if it found
    /// damage, is refused with [`Error::Damaged`], so a damaged file is still never written to.
    /// [`Store::wait_until_checked`] reports the outcome. A new journal, one that needs
    /// migrating and one not yet in write-ahead mode are checked before this returns, as by
    /// [`Store::open`].
    ///
    /// # Errors
    /// As [`Store::open`], except that damage found by the background check is reported by
    /// [`Store::wait_until_checked`] and by writes.
    pub fn open_checking_in_background(path: impl AsRef<Path>) -> Result<Store> {
        Store::open_with(path.as_ref(), true)
    }

    fn open_with(path: &Path, background_check: bool) -> Result<Store> {
        // A damaged page met anywhere on the way (reading the schema, the templates) is damage.
        Store::open_unclassified(path, background_check).map_err(|e| classify(path, e))
    }

    fn open_unclassified(path: &Path, background_check: bool) -> Result<Store> {
        let path = path.to_path_buf();
        if path.is_dir() {
            return Err(Error::invalid(
                "journal",
                format!("{} is a folder, not a journal file", path.display()),
            ));
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let lock = connection::JournalLock::shared(&path)?;
        let mut conn = connection::open_read_write(&path)?;
        let is_new = connection::inspect(&conn, &path)?;
        let found = if is_new { 0 } else { schema::version(&conn)? };
        // Only a file that opening will not write to may be checked later: one in daily use.
        let defer = background_check
            && !is_new
            && found == schema::CURRENT_VERSION
            && connection::in_wal_mode(&conn).map_err(|e| classify(&path, e))?;
        if !is_new && !defer {
            health::quick_check(&conn, &path)?;
        }
        connection::configure_writes(&conn)?;
        if is_new {
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        if found < schema::CURRENT_VERSION {
            // A migration rewrites the file: nobody else may have it open meanwhile.
            lock.exclusively(|| {
                if found > 0 {
                    backup_connection(&conn, &path, &format!("before-migration-v{found}"))?;
                }
                schema::migrate(&mut conn)
            })?;
        }
        let health = if defer {
            let health = Health::new(Checked::Running);
            health::spawn_quick_check(path.clone(), health.clone());
            health
        } else {
            Health::new(Checked::Passed)
        };
        let store = Store {
            conn: Mutex::new(conn),
            path,
            read_only: false,
            health,
            lock: Some(lock),
        };
        if found > 0 && found < schema::CURRENT_VERSION {
            store.require_healthy()?;
        }
        store.install_builtin_templates()?;
        Ok(store)
    }

    /// Waits for the open-time `quick_check` (see [`Store::open_checking_in_background`]) and
    /// reports what it found; at once for a store opened any other way.
    ///
    /// # Errors
    /// [`Error::Damaged`] when the check found damage; a storage error when it could not run.
    pub fn wait_until_checked(&self) -> Result<()> {
        match self.health.wait() {
            Checked::Passed => Ok(()),
            Checked::Damaged(detail) => Err(Error::Damaged {
                path: self.path.clone(),
                detail,
                backups: backups_dir(&self.path),
            }),
            Checked::Running | Checked::NotRun => {
                // Hold the connection while checking, so no write slips in before the outcome.
                let conn = self.conn();
                if let Checked::Passed = *lock(&self.health.state) {
                    return Ok(());
                }
                let outcome = health::quick_check(&conn, &self.path);
                self.health.finish(match &outcome {
                    Ok(()) => Checked::Passed,
                    Err(Error::Damaged { detail, .. }) => Checked::Damaged(detail.clone()),
                    Err(_) => Checked::NotRun,
                });
                outcome
            }
        }
    }

    /// Opens the journal at `path` for reading only, without taking the write lock, so that
    /// the command line can read while the desktop app has the journal open.
    ///
    /// A journal that does not exist yet, or needs migrating, is opened with [`Store::open`].
    ///
    /// # Errors
    /// As [`Store::open`].
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        if !path.exists() {
            return Store::open(&path);
        }
        let conn = connection::open_read_only(&path)?;
        // A read cannot damage the file, so the (slow on large journals) quick_check is left to
        // the writers; a damaged page still surfaces as an error from the query that meets it.
        if connection::inspect(&conn, &path)? || schema::version(&conn)? < schema::CURRENT_VERSION {
            drop(conn);
            return Store::open(&path);
        }
        Ok(Store {
            conn: Mutex::new(conn),
            path,
            read_only: true,
            health: Health::new(Checked::Passed),
            lock: None,
        })
    }

    /// The journal file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for the store's own query files.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction open (rusqlite rolls back
        // on drop), so a poisoned mutex is safe to keep using.
        lock(&self.conn)
    }

    /// Runs `f` with the journal to this process alone: no other Reprise process has it open
    /// for writing meanwhile. Whole-journal changes (an import) go through here.
    ///
    /// # Errors
    /// [`Error::Busy`] when another process has the journal open; whatever `f` returns.
    pub fn alone<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        match &self.lock {
            Some(lock) => lock.exclusively(f),
            None => f(),
        }
    }

    /// Runs `f` inside a write transaction (`BEGIN IMMEDIATE`) and commits it.
    ///
    /// When this returns `Ok`, the change is durable: the connection syncs on commit, so a crash
    /// or power cut right after cannot lose it.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(Error::invalid("journal", "opened read-only"));
        }
        self.wait_until_checked()?;
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` inside a read transaction, so that it sees one consistent snapshot.
    pub fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        f(&tx)
    }

    /// Copies the journal to `dest` through SQLite's backup API and checks the copy.
    ///
    /// # Errors
    /// A storage error if the copy fails or does not pass `integrity_check`; `dest` is removed.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        backup::backup_connection_to(&self.conn(), &self.path, dest)
    }

    /// Makes a checked backup in the journal's backups folder, keeping the newest few of each
    /// reason; returns its path.
    pub fn backup(&self, reason: &str) -> Result<PathBuf> {
        backup_connection(&self.conn(), &self.path, reason)
    }

    /// Runs `integrity_check`, `foreign_key_check` and an FTS consistency check.
    pub fn check(&self) -> Result<CheckReport> {
        health::check_connection(&self.conn(), !self.read_only)
    }

    fn require_healthy(&self) -> Result<()> {
        let report = self.check()?;
        if report.is_ok() {
            return Ok(());
        }
        let mut detail = report.integrity;
        detail.extend(report.foreign_keys);
        detail.extend(report.search_index);
        Err(Error::Damaged {
            path: self.path.clone(),
            detail: detail.join("; "),
            backups: backups_dir(&self.path),
        })
    }

    /// A number that changes whenever another connection — the command line, another
    /// process — commits to the journal (SQLite's `data_version`), and not for this store's
    /// own writes: compare two readings to learn whether to read again.
    pub fn outside_changes(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Every per-connection setting the store relies on (durability, foreign keys, safety
    /// limits), read back from SQLite.
    pub fn settings(&self) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut out = Vec::new();
        for name in [
            "journal_mode",
            "synchronous",
            "foreign_keys",
            "busy_timeout",
            "trusted_schema",
            "cell_size_check",
            "mmap_size",
            "temp_store",
            "secure_delete",
            "application_id",
            "user_version",
        ] {
            let value: rusqlite::types::Value =
                conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?;
            let text = match value {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            };
            out.push((name.to_owned(), text));
        }
        Ok(out)
    }
}

pub use attachments::{media_type_for, sha256_hex, AttachmentOwner};
pub use drafts::Draft;
pub use tags::TagCount;
pub use templates::builtin_templates;
pub(crate) use timeline::{filter_sql, summary_from_row};
