//! Migrations: the append-only list of schema changes and the code that applies them.
//!
//! Migration *i* in [`MIGRATIONS`] takes a journal from schema version *i* to *i + 1*. All
//! pending migrations run in one transaction, so a failure leaves the file as it was, and
//! `PRAGMA user_version` records the result inside that same transaction.

use crate::error::{Error, Result};
use rusqlite::{Connection, TransactionBehavior};

/// Every migration, oldest first. Never edit a released one: append.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_init.sql"),
    include_str!("../../migrations/0002_drafts.sql"),
    include_str!("../../migrations/0003_search_lookup.sql"),
    include_str!("../../migrations/0004_search_facts.sql"),
];

/// The schema version this build writes.
pub const CURRENT_VERSION: u32 = MIGRATIONS.len() as u32;

/// Reads the journal's schema version.
pub fn version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Refuses a journal written by a newer build, without writing to it.
pub fn refuse_newer(conn: &Connection) -> Result<u32> {
    let found = version(conn)?;
    if found > CURRENT_VERSION {
        return Err(Error::SchemaTooNew {
            found,
            known: CURRENT_VERSION,
        });
    }
    Ok(found)
}

/// Applies every pending migration in one transaction; returns how many ran.
///
/// # Errors
/// [`Error::SchemaTooNew`] if the journal is newer than this build; a storage error if a
/// migration fails, in which case nothing was changed.
pub fn migrate(conn: &mut Connection) -> Result<usize> {
    migrate_to(conn, CURRENT_VERSION)
}

/// Applies pending migrations up to `target` (tests build old journals with this).
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<usize> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read the version inside the write transaction so two processes cannot both migrate.
    let found = refuse_newer(&tx)?;
    let target = target.min(CURRENT_VERSION);
    if found >= target {
        return Ok(0);
    }
    for sql in &MIGRATIONS[found as usize..target as usize] {
        #[allow(clippy::disallowed_methods)] // migrations are trusted SQL shipped in the binary
        tx.execute_batch(sql)?;
    }
    // PRAGMA does not take bound parameters; `target` is our own integer.
    tx.pragma_update(None, "user_version", target)?;
    tx.commit()?;
    Ok((target - found) as usize)
}
