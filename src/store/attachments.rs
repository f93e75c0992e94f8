//! Attachments: files stored inside the journal, so that one file is the whole journal.

use super::row::{self, col_ts, col_uuid, exists, ts_value};
use super::Store;
use crate::error::{Error, Result};
use crate::model::{format_ts, new_id, now, optional_line, AttachmentMeta};
use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use uuid::Uuid;

/// The largest attachment accepted: 100 MiB, enough for an hour of compressed audio.
pub const MAX_ATTACHMENT_BYTES: u64 = 100 * 1024 * 1024;

/// What an attachment belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentOwner {
    /// An entry.
    Entry(Uuid),
    /// A CPD activity (evidence).
    Cpd(Uuid),
}

impl Store {
    /// Stores a file inside the journal and attaches it.
    ///
    /// # Errors
    /// [`Error::TooLarge`] over [`MAX_ATTACHMENT_BYTES`]; [`Error::NotFound`] for a missing
    /// owner; [`Error::Invalid`] for a bad name or media type, or an empty file.
    pub fn add_attachment(
        &self,
        owner: AttachmentOwner,
        file_name: &str,
        media_type: &str,
        data: &[u8],
    ) -> Result<AttachmentMeta> {
        let file_name = checked_file_name(file_name)?;
        let media_type = checked_media_type(media_type)?;
        if data.is_empty() {
            return Err(Error::invalid(
                "file",
                format!("{file_name} is empty (0 bytes), so there is nothing to keep"),
            ));
        }
        if data.len() as u64 > MAX_ATTACHMENT_BYTES {
            return Err(Error::TooLarge {
                name: file_name,
                size: data.len() as u64,
                limit: MAX_ATTACHMENT_BYTES,
            });
        }
        let meta = AttachmentMeta {
            id: new_id(),
            file_name,
            media_type,
            size: data.len() as u64,
            sha256: sha256_hex(data),
            created_at: now(),
        };
        self.write(|tx| {
            insert_attachment(
                tx,
                &AttachmentRow {
                    owner,
                    meta: &meta,
                    data,
                    updated_at: &meta.created_at,
                },
            )?;
            touch_owner(tx, owner)?;
            Ok(meta.clone())
        })
    }

    /// An attachment's metadata and bytes.
    ///
    /// # Errors
    /// [`Error::NotFound`] if there is no such attachment.
    pub fn attachment_data(&self, id: Uuid) -> Result<(AttachmentMeta, Vec<u8>)> {
        self.read(|tx| {
            tx.prepare_cached(&format!(
                "SELECT {META_COLUMNS}, data FROM attachments WHERE id = ?1"
            ))?
            .query_row([id.to_string()], |r| {
                Ok((meta_from_row(r)?, r.get::<_, Vec<u8>>(6)?))
            })
            .optional()?
            .ok_or(Error::NotFound {
                entity: "attachment",
                id: id.to_string(),
            })
        })
    }

    /// Removes an attachment.
    ///
    /// # Errors
    /// [`Error::NotFound`] if there is no such attachment.
    pub fn remove_attachment(&self, id: Uuid) -> Result<()> {
        self.write(|tx| {
            let owner = owner_of(tx, id)?;
            tx.prepare_cached("DELETE FROM attachments WHERE id = ?1")?
                .execute([id.to_string()])?;
            touch_owner(tx, owner)
        })
    }
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    let digest = Sha256::digest(data);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn checked_file_name(name: &str) -> Result<String> {
    // Keep only the last path component: a name is a label, never a path.
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = optional_line("file_name", base)?
        .ok_or_else(|| Error::invalid("file_name", "must not be empty"))?;
    if base == "." || base == ".." {
        return Err(Error::invalid(
            "file_name",
            format!("{base:?} is not a file name"),
        ));
    }
    Ok(base)
}

pub(crate) fn checked_media_type(media_type: &str) -> Result<String> {
    let mt = media_type.trim().to_ascii_lowercase();
    let ok = mt.len() <= 100
        && mt.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && (a.chars().chain(b.chars()))
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    if !ok {
        return Err(Error::invalid(
            "media_type",
            format!("{media_type:?} is not a media type like audio/mpeg"),
        ));
    }
    Ok(mt)
}

/// A media type guessed from a file name's extension, for files added from disk.
pub fn media_type_for(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "wav" => "audio/wav",
        "ogg" | "oga" => "audio/ogg",
        "flac" => "audio/flac",
        "webm" => "audio/webm",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain",
        "mp4" => "video/mp4",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

/// The attachments table's columns. Attachments are not a [`row::Record`]: their bytes (up to
/// [`MAX_ATTACHMENT_BYTES`]) are written from a borrowed slice rather than copied into an owned
/// row value.
const COLUMNS: &[&str] = &[
    "id",
    "entry_id",
    "cpd_id",
    "file_name",
    "media_type",
    "size",
    "sha256",
    "data",
    "created_at",
    "updated_at",
];

/// The columns [`meta_from_row`] reads, in its order.
pub(crate) const META_COLUMNS: &str = "id, file_name, media_type, size, sha256, created_at";

/// One attachment as it is written: whose it is, what it is, its bytes and when it changed.
pub(crate) struct AttachmentRow<'a> {
    pub owner: AttachmentOwner,
    pub meta: &'a AttachmentMeta,
    pub data: &'a [u8],
    pub updated_at: &'a chrono::DateTime<chrono::Utc>,
}

/// Adds (`exists` false) or replaces an attachment's row, without touching its owner.
pub(crate) fn write_attachment(
    tx: &Transaction<'_>,
    a: &AttachmentRow<'_>,
    exists: bool,
) -> Result<()> {
    let (entry_id, cpd_id) = match a.owner {
        AttachmentOwner::Entry(id) => (Some(id.to_string()), None),
        AttachmentOwner::Cpd(id) => (None, Some(id.to_string())),
    };
    let sql = if exists {
        row::update_sql("attachments", COLUMNS)
    } else {
        row::insert_sql("attachments", COLUMNS)
    };
    tx.prepare_cached(&sql)?.execute(params![
        a.meta.id.to_string(),
        entry_id,
        cpd_id,
        a.meta.file_name,
        a.meta.media_type,
        a.meta.size as i64,
        a.meta.sha256,
        a.data,
        ts_value(&a.meta.created_at),
        ts_value(a.updated_at),
    ])?;
    Ok(())
}

/// Adds an attachment to an owner that exists.
fn insert_attachment(tx: &Transaction<'_>, a: &AttachmentRow<'_>) -> Result<()> {
    match a.owner {
        AttachmentOwner::Entry(id) => exists(tx, "entries", "entry", id)?,
        AttachmentOwner::Cpd(id) => exists(tx, "cpd_activities", "CPD activity", id)?,
    }
    write_attachment(tx, a, false)
}

fn owner_of(tx: &Transaction<'_>, id: Uuid) -> Result<AttachmentOwner> {
    let row: Option<(Option<String>, Option<String>)> = tx
        .prepare_cached("SELECT entry_id, cpd_id FROM attachments WHERE id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let parse = |s: &str| {
        Uuid::parse_str(s).map_err(|_| Error::invalid("attachment", "stored owner is not a UUID"))
    };
    match row {
        Some((Some(e), _)) => Ok(AttachmentOwner::Entry(parse(&e)?)),
        Some((None, Some(c))) => Ok(AttachmentOwner::Cpd(parse(&c)?)),
        _ => Err(Error::NotFound {
            entity: "attachment",
            id: id.to_string(),
        }),
    }
}

fn touch_owner(tx: &Transaction<'_>, owner: AttachmentOwner) -> Result<()> {
    let (table, id) = match owner {
        AttachmentOwner::Entry(id) => ("entries", id),
        AttachmentOwner::Cpd(id) => ("cpd_activities", id),
    };
    let previous: Option<String> = tx
        .prepare_cached(&format!("SELECT updated_at FROM {table} WHERE id = ?1"))?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    let ts = match previous.as_deref().and_then(crate::model::parse_ts) {
        Some(p) => crate::model::next_update(p),
        None => now(),
    };
    tx.prepare_cached(&format!("UPDATE {table} SET updated_at = ?2 WHERE id = ?1"))?
        .execute(params![id.to_string(), format_ts(&ts)])?;
    Ok(())
}

pub(crate) fn meta_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AttachmentMeta> {
    Ok(AttachmentMeta {
        id: col_uuid(r, 0)?,
        file_name: r.get(1)?,
        media_type: r.get(2)?,
        size: r.get::<_, i64>(3)? as u64,
        sha256: r.get(4)?,
        created_at: col_ts(r, 5)?,
    })
}

/// The attachments of an entry (`column` = `entry_id`) or CPD activity (`cpd_id`).
pub(crate) fn attachments_of(
    tx: &Transaction<'_>,
    column: &str,
    owner: &str,
) -> Result<Vec<AttachmentMeta>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {META_COLUMNS} FROM attachments WHERE {column} = ?1 ORDER BY created_at, id"
    ))?;
    let out = stmt
        .query_map([owner], meta_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(out)
}

/// Every entry's (`column` = `entry_id`) or CPD activity's (`cpd_id`) attachment list, by
/// owner, in the order [`attachments_of`] gives.
pub(crate) fn all_attachment_metas(
    tx: &Transaction<'_>,
    column: &str,
) -> Result<HashMap<Uuid, Vec<AttachmentMeta>>> {
    row::grouped(
        tx,
        &format!(
            "SELECT {META_COLUMNS}, {column} FROM attachments WHERE {column} IS NOT NULL
              ORDER BY {column}, created_at, id"
        ),
        6,
        meta_from_row,
    )
}
