//! Backups: checked copies of the journal made through SQLite's backup API (never by copying
//! the live file, whose write-ahead log may hold the newest commits), kept in a `backups`
//! folder beside it, the newest few of each reason.

use super::connection;
use super::health::integrity;
use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// How many backups of each reason are kept.
const BACKUPS_KEPT: usize = 7;

/// The folder where backups of the journal at `journal` are kept.
pub fn backups_dir(journal: &Path) -> PathBuf {
    journal
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join("backups")
}

/// Copies the journal at `journal`, open on `conn`, to `dest` through SQLite's backup API and
/// checks the copy; `dest` is removed if either fails.
pub(super) fn backup_connection_to(conn: &Connection, journal: &Path, dest: &Path) -> Result<()> {
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let tmp = dest.with_extension("partial");
    let result = (|| {
        let mut out = connection::create_file(&tmp)?;
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
pub(super) fn backup_connection(
    conn: &Connection,
    journal: &Path,
    reason: &str,
) -> Result<PathBuf> {
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
