//! Is the journal healthy? The open-time `quick_check` (in the background for a journal in
//! daily use), and the full check run after migrations and imports and by `reprise check`.
//!
//! A damaged file is never written to: every write waits for the open-time check, and a
//! journal found damaged refuses writes while reads, search and export go on working, so that
//! what can still be read can be saved elsewhere.

use super::backup::backups_dir;
use super::connection::{self, classify};

use super::lock;
use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

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

/// What the open-time `quick_check` found.
#[derive(Debug, Clone)]
pub(super) enum Checked {
    Running,
    Passed,
    Damaged(String),
    /// The check could not run (it failed for a reason that is not damage); the next write
    /// runs it on the store's own connection.
    NotRun,
}

/// The open-time `quick_check`, which [`Store::open_checking_in_background`] runs on a
/// connection of its own while the store already answers reads.
pub(super) struct Health {
    pub(super) state: Mutex<Checked>,
    done: Condvar,
    pub(super) interrupt: Mutex<Option<rusqlite::InterruptHandle>>,
}

impl Health {
    pub(super) fn new(state: Checked) -> Arc<Health> {
        Arc::new(Health {
            state: Mutex::new(state),
            done: Condvar::new(),
            interrupt: Mutex::new(None),
        })
    }

    pub(super) fn finish(&self, outcome: Checked) {
        lock(&self.interrupt).take();
        *lock(&self.state) = outcome;
        self.done.notify_all();
    }

    /// Blocks until the check has finished; returns what it found.
    pub(super) fn wait(&self) -> Checked {
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

/// `PRAGMA quick_check`: every page and b-tree, and (since SQLite 3.44) the full-text indexes.
pub(super) fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
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
pub(super) fn spawn_quick_check(path: PathBuf, health: Arc<Health>) {
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
                let conn = connection::open_read_only(&path)?;
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

pub(super) fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}
