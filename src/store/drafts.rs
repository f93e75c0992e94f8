//! Drafts: typing that has not reached its entry yet, kept so a crash cannot lose it.

use super::row::col_ts;
use super::Store;
use crate::error::{Error, Result};
use crate::model::{format_ts, now, EntryInput};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Unsaved editor content, for an existing entry or one not created yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Draft {
    /// The entry it belongs to; `None` for a new entry.
    pub entry_id: Option<Uuid>,
    /// A stable key chosen by the editor for a new entry's draft.
    pub key: String,
    /// What the editor held.
    pub content: EntryInput,
    /// When it was kept.
    #[serde(with = "crate::model::ts")]
    pub saved_at: DateTime<Utc>,
    /// True when the draft is newer than its entry (or the entry does not exist yet), so it
    /// holds typing the entry lacks.
    pub newer_than_entry: bool,
    /// The plain-text excerpt of the draft's body, as a timeline row would show it.
    pub excerpt: String,
}

impl Store {
    /// Keeps the editor's content for an entry (`entry_id`) or a new one (`key`).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an entry that does not exist.
    pub fn save_draft(
        &self,
        entry_id: Option<Uuid>,
        key: &str,
        content: &EntryInput,
    ) -> Result<()> {
        let key = match entry_id {
            Some(id) => id.to_string(),
            None if !key.trim().is_empty() && key.len() <= 100 => format!("new:{key}"),
            None => {
                return Err(Error::invalid(
                    "key",
                    "a new entry's draft needs a short key",
                ))
            }
        };
        let json =
            serde_json::to_string(content).map_err(|e| Error::invalid("draft", e.to_string()))?;
        self.write(|tx| {
            if let Some(id) = entry_id {
                super::row::exists(tx, "entries", "entry", id)?;
            }
            tx.prepare_cached(
                "INSERT INTO drafts (key, entry_id, content, saved_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (key) DO UPDATE SET content = excluded.content, saved_at = excluded.saved_at",
            )?
            .execute(params![key, entry_id.map(|i| i.to_string()), json, format_ts(&now())])?;
            Ok(())
        })
    }

    /// Every kept draft, newest first.
    pub fn list_drafts(&self) -> Result<Vec<Draft>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT d.key, d.entry_id, d.content, d.saved_at, e.updated_at
                   FROM drafts d LEFT JOIN entries e ON e.id = d.entry_id ORDER BY d.saved_at DESC",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    let key: String = r.get(0)?;
                    let entry_id: Option<String> = r.get(1)?;
                    let content: String = r.get(2)?;
                    let saved_at = col_ts(r, 3)?;
                    let entry_updated: Option<String> = r.get(4)?;
                    Ok((key, entry_id, content, saved_at, entry_updated))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter()
                .map(|(key, entry_id, content, saved_at, entry_updated)| {
                    let content: EntryInput = serde_json::from_str(&content).map_err(|e| {
                        Error::invalid("draft", format!("stored draft {key:?} is unreadable: {e}"))
                    })?;
                    let entry_id = entry_id.and_then(|s| Uuid::parse_str(&s).ok());
                    let newer_than_entry = match entry_updated {
                        // Stamps are milliseconds: a draft kept in the same millisecond as
                        // its entry was saved is offered back too (restoring identical text is
                        // harmless; losing typing is not).
                        Some(u) => format_ts(&saved_at) >= u,
                        None => true,
                    };
                    Ok(Draft {
                        entry_id,
                        key: key.trim_start_matches("new:").to_owned(),
                        excerpt: crate::model::excerpt(&content.body),
                        content,
                        saved_at,
                        newer_than_entry,
                    })
                })
                .collect()
        })
    }

    /// Forgets a draft (after it was saved into its entry, restored or discarded).
    pub fn discard_draft(&self, entry_id: Option<Uuid>, key: &str) -> Result<()> {
        let key = entry_id.map_or_else(|| format!("new:{key}"), |id| id.to_string());
        self.write(|tx| {
            tx.prepare_cached("DELETE FROM drafts WHERE key = ?1")?
                .execute([key])?;
            Ok(())
        })
    }

    /// The draft for one entry, if any.
    pub fn draft_for(&self, entry_id: Uuid) -> Result<Option<Draft>> {
        let found: Option<i64> = self.read(|tx| {
            Ok(tx
                .prepare_cached("SELECT 1 FROM drafts WHERE key = ?1")?
                .query_row([entry_id.to_string()], |r| r.get(0))
                .optional()?)
        })?;
        if found.is_none() {
            return Ok(None);
        }
        Ok(self
            .list_drafts()?
            .into_iter()
            .find(|d| d.entry_id == Some(entry_id)))
    }
}
