//! Where connections come from: opening, configuring, locking, checking and backing up a
//! journal file, and the one door every query goes through.
//!
//! Queries live beside this file, one file per aggregate (`entries.rs`, `cpd.rs`, …), as
//! `impl Store` blocks.

mod attachments;
mod bulk;
mod cpd;
mod drafts;
mod entries;
pub(crate) mod exchange;
mod people;
pub mod schema;
mod tags;
mod templates;

pub use attachments::MAX_ATTACHMENT_BYTES;
pub use entries::EntryCursor;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Our `PRAGMA application_id` ("RPRS"): a SQLite file without it is not a journal.
pub const APPLICATION_ID: i32 = 0x5250_5253;

/// The file name of the journal inside the data folder.
pub const JOURNAL_FILE_NAME: &str = "journal.reprise";

/// How many backups of each reason are kept.
const BACKUPS_KEPT: usize = 7;

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

/// The folder where backups of the journal at `journal` are kept.
pub fn backups_dir(journal: &Path) -> PathBuf {
    journal
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join("backups")
}

/// What a full check of a journal found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    /// Lines from `PRAGMA integrity_check` other than "ok".
    pub integrity: Vec<String>,
    /// Rows that break a foreign key, as "table rowid → parent".
    pub foreign_keys: Vec<String>,
    /// Entries whose full-text index row is missing or stale.
    pub search_index: Vec<String>,
}

impl CheckReport {
    /// True when nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.integrity.is_empty() && self.foreign_keys.is_empty() && self.search_index.is_empty()
    }
}

/// An open journal. One per process; it holds the write lock for as long as it lives.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
    read_only: bool,
    health: Arc<Health>,
    // Held, never read: dropping the file releases the lock.
    _lock: Option<File>,
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
        // written to (RELIABILITY S3), and the log is replayed at the next open.
        if !self.read_only && !matches!(*lock(&self.health.state), Checked::Passed) {
            let _ = self.conn().set_db_config(
                rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
                true,
            );
        }
    }
}

/// What the open-time `quick_check` found.
#[derive(Debug, Clone)]
enum Checked {
    Running,
    Passed,
    Damaged(String),
    /// The check could not run (it failed for a reason that is not damage); the next write
    /// runs it on the store's own connection.
    NotRun,
}

/// The open-time `quick_check`, which [`Store::open_checking_in_background`] runs on a
/// connection of its own while the store already answers reads.
struct Health {
    state: Mutex<Checked>,
    done: Condvar,
    interrupt: Mutex<Option<rusqlite::InterruptHandle>>,
}

impl Health {
    fn new(state: Checked) -> Arc<Health> {
        Arc::new(Health {
            state: Mutex::new(state),
            done: Condvar::new(),
            interrupt: Mutex::new(None),
        })
    }

    fn finish(&self, outcome: Checked) {
        lock(&self.interrupt).take();
        *lock(&self.state) = outcome;
        self.done.notify_all();
    }

    /// Blocks until the check has finished; returns what it found.
    fn wait(&self) -> Checked {
        let mut state = lock(&self.state);
        while matches!(*state, Checked::Running) {
            state = self
                .done
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        state.clone()
    }
}

/// Locks a mutex whose data stays valid even if a holder panicked.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
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
        let lock = take_lock(&path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let mut conn = Connection::open_with_flags(&path, flags)?;
        configure_reads(&conn).map_err(|e| classify(&path, e))?;
        let is_new = inspect(&conn, &path)?;
        let found = if is_new { 0 } else { schema::version(&conn)? };
        // Only a file that opening will not write to may be checked later: one in daily use.
        let defer = background_check
            && !is_new
            && found == schema::CURRENT_VERSION
            && in_wal_mode(&conn).map_err(|e| classify(&path, e))?;
        if !is_new && !defer {
            quick_check(&conn, &path)?;
        }
        configure_writes(&conn)?;
        if is_new {
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        if found < schema::CURRENT_VERSION {
            if found > 0 {
                backup_connection(&conn, &path, &format!("before-migration-v{found}"))?;
            }
            schema::migrate(&mut conn)?;
        }
        let health = if defer {
            let health = Health::new(Checked::Running);
            spawn_quick_check(path.clone(), health.clone());
            health
        } else {
            Health::new(Checked::Passed)
        };
        let store = Store {
            conn: Mutex::new(conn),
            path,
            read_only: false,
            health,
            _lock: Some(lock),
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
                let outcome = quick_check(&conn, &self.path);
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
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&path, flags)?;
        configure_reads(&conn).map_err(|e| classify(&path, e))?;
        // A read cannot damage the file, so the (slow on large journals) quick_check is left to
        // the writers; a damaged page still surfaces as an error from the query that meets it.
        if inspect(&conn, &path)? || schema::version(&conn)? < schema::CURRENT_VERSION {
            drop(conn);
            return Store::open(&path);
        }
        Ok(Store {
            conn: Mutex::new(conn),
            path,
            read_only: true,
            health: Health::new(Checked::Passed),
            _lock: None,
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

    /// Runs `f` inside a write transaction (`BEGIN IMMEDIATE`) and commits it.
    ///
    /// When this returns `Ok`, the change is durable (RELIABILITY S1).
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
        backup_connection_to(&self.conn(), &self.path, dest)
    }

    /// Makes a checked backup in the journal's backups folder, keeping the newest few of each
    /// reason; returns its path.
    pub fn backup(&self, reason: &str) -> Result<PathBuf> {
        backup_connection(&self.conn(), &self.path, reason)
    }

    /// Runs `integrity_check`, `foreign_key_check` and an FTS consistency check.
    pub fn check(&self) -> Result<CheckReport> {
        check_connection(&self.conn(), !self.read_only)
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

    /// Every per-connection setting that RELIABILITY S1 asks for, read back from SQLite.
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

/// `integrity_check`, `foreign_key_check` and, when `search_index` (it writes, so not on a
/// read-only connection), the full-text indexes' own check. Given a transaction, it sees that
/// transaction's uncommitted writes (imports check before they commit).
pub(crate) fn check_connection(conn: &Connection, search_index: bool) -> Result<CheckReport> {
    let integrity = integrity(conn)?;
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let foreign_keys = stmt
        .query_map([], |r| {
            Ok(format!(
                "{} row {} → {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                r.get::<_, String>(2)?
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut problems = Vec::new();
    if search_index {
        for table in ["entries_fts", "cpd_fts"] {
            let sql = format!("INSERT INTO {table}({table}, rank) VALUES('integrity-check', 1)");
            if let Err(e) = conn.execute(&sql, []) {
                problems.push(format!("{table}: {e}"));
            }
        }
    }
    Ok(CheckReport {
        integrity,
        foreign_keys,
        search_index: problems,
    })
}

fn take_lock(path: &Path) -> Result<File> {
    let mut lock_path = path.as_os_str().to_owned();
    lock_path.push(".lock");
    let lock_path = PathBuf::from(lock_path);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| Error::io(&lock_path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy {
            path: path.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&lock_path, e)),
    }
}

/// The page cache of each connection, in KiB. The file's pages are in the OS's cache anyway
/// once read; on a 50,000-entry journal 4 MB searched, listed and imported as fast as 16 MB did
/// (docs/PERFORMANCE.md), and the desktop app keeps the difference for as long as it runs.
const PAGE_CACHE_KIB: i64 = -4_000;

/// Settings that change nothing on disk.
fn configure_reads(conn: &Connection) -> Result<()> {
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
fn configure_writes(conn: &Connection) -> Result<()> {
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
fn inspect(conn: &Connection, path: &Path) -> Result<bool> {
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

/// `PRAGMA quick_check`: every page and b-tree, and (since SQLite 3.44) the full-text indexes.
fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
    let classify = |e: rusqlite::Error| classify(path, Error::Storage(e));
    let mut stmt = conn.prepare("PRAGMA quick_check").map_err(classify)?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(classify)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(classify)?;
    if lines.len() != 1 || lines[0] != "ok" {
        return Err(Error::Damaged {
            path: path.to_path_buf(),
            detail: lines.join("; "),
            backups: backups_dir(path),
        });
    }
    Ok(())
}

/// The page cache of the background check's connection, in KiB (SQLite's default size).
const QUICK_CHECK_CACHE_KIB: i64 = -2_000;

/// Runs [`quick_check`] on a read-only connection of its own, on a thread of its own.
fn spawn_quick_check(path: PathBuf, health: Arc<Health>) {
    let worker = health.clone();
    let spawned = std::thread::Builder::new()
        .name("reprise-quick-check".into())
        .spawn(move || {
            // Below the threads that answer the person: on a two-core laptop a full-speed check
            // made the first page of the timeline wait for the CPU. On Linux the nice value is
            // per thread, so this lowers only the check; elsewhere it is left as it is.
            #[cfg(target_os = "linux")]
            let _ = rustix::process::setpriority_process(None, 10);
            let outcome = (|| {
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI;
                let conn = Connection::open_with_flags(&path, flags)?;
                configure_reads(&conn)?;
                // The check reads every page once: a large cache would not speed it up, and
                // the memory it filled would stay with the process after the check.
                conn.pragma_update(None, "cache_size", QUICK_CHECK_CACHE_KIB)?;
                *lock(&worker.interrupt) = Some(conn.get_interrupt_handle());
                quick_check(&conn, &path)
            })();
            worker.finish(match outcome {
                Ok(()) => Checked::Passed,
                Err(Error::Damaged { detail, .. }) => Checked::Damaged(detail),
                Err(_) => Checked::NotRun,
            });
        });
    if spawned.is_err() {
        health.finish(Checked::NotRun);
    }
}

fn in_wal_mode(conn: &Connection) -> Result<bool> {
    // Reading the mode changes nothing.
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    Ok(mode.eq_ignore_ascii_case("wal"))
}

/// Copies the journal at `journal`, open on `conn`, to `dest` through SQLite's backup API and
/// checks the copy; `dest` is removed if either fails.
fn backup_connection_to(conn: &Connection, journal: &Path, dest: &Path) -> Result<()> {
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let tmp = dest.with_extension("partial");
    let result = (|| {
        let mut out = Connection::open(&tmp)?;
        {
            let backup = rusqlite::backup::Backup::new(conn, &mut out)?;
            backup.run_to_completion(256, std::time::Duration::ZERO, None)?;
        }
        let problems = integrity(&out)?;
        if !problems.is_empty() {
            return Err(Error::Damaged {
                path: dest.to_path_buf(),
                detail: problems.join("; "),
                backups: backups_dir(journal),
            });
        }
        // Leave a single self-contained file, not one that needs a -wal beside it.
        out.pragma_update(None, "journal_mode", "DELETE")?;
        drop(out);
        std::fs::rename(&tmp, dest).map_err(|e| Error::io(dest, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A checked backup of the journal at `journal` (open on `conn`) in its backups folder,
/// keeping the newest few of each reason; returns its path.
fn backup_connection(conn: &Connection, journal: &Path, reason: &str) -> Result<PathBuf> {
    let dir = backups_dir(journal);
    let stem = journal
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("journal");
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let dest = dir.join(format!("{stem}-{stamp}-{reason}.reprise"));
    backup_connection_to(conn, journal, &dest)?;
    prune_backups(&dir, stem, reason);
    Ok(dest)
}

/// Turns SQLite's "not a database" and "corrupt" errors into the journal's own words.
fn classify(path: &Path, e: Error) -> Error {
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

fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}

fn prune_backups(dir: &Path, stem: &str, reason: &str) {
    // Only names this journal made: "{stem}-{20-character UTC stamp}-{reason}.reprise", so a
    // journal called "j" never prunes the backups of one called "j-old".
    let ours = |name: &str| -> bool {
        let Some(rest) = name.strip_prefix(stem).and_then(|r| r.strip_prefix('-')) else {
            return false;
        };
        let Some(stamp) = rest.get(..20) else {
            return false;
        };
        let stamp_ok = stamp.len() == 20
            && stamp.as_bytes()[8] == b'T'
            && stamp.ends_with('Z')
            && stamp
                .chars()
                .enumerate()
                .all(|(i, c)| matches!(i, 8 | 15 | 19) || c.is_ascii_digit());
        stamp_ok && rest[20..] == format!("-{reason}.reprise")
    };
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(ours))
        .collect();
    // Names carry a sortable UTC stamp, so name order is age order.
    names.sort();
    let excess = names.len().saturating_sub(BACKUPS_KEPT);
    for old in names.into_iter().take(excess) {
        let _ = std::fs::remove_file(old);
    }
}

pub use attachments::{media_type_for, sha256_hex, AttachmentOwner};
pub use drafts::Draft;
pub(crate) use entries::{col_date, col_uuid, filter_sql, summary_from_row};
pub use tags::TagCount;
pub use templates::builtin_templates;
