//! CPD activities and the hours summary.

use super::row::record;
use super::row::{self, col_parse, col_uuid, exists};
use super::tags::{drop_unused_tags, ensure_tags, tag_text_values, Tagged, TAG_TEXT};
use super::Store;
use crate::error::{Error, Result};
use crate::model::{CpdActivity, CpdInput, CpdSummary, CpdType, CpdTypeHours};
use chrono::NaiveDate;
use rusqlite::{params, Transaction};
use uuid::Uuid;

record!(
    CpdActivity,
    table "cpd_activities",
    entity "CPD activity",
    columns [
        id, title, activity_type, started_on, ended_on, hours, participatory_hours, provider,
        description, outcomes, impact, benefit, evidence, standards, created_at, updated_at
    ],
    empty [tags, linked_entries, attachments],
    edited from CpdInput [
        title, activity_type, started_on, ended_on, hours, participatory_hours, provider,
        description, outcomes, impact, benefit, evidence, standards, tags, linked_entries
    ] |_old| { attachments: Vec::new() },
    saved by upsert_cpd,
    loaded by load_cpd,
    /// Logs a CPD activity.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a bad field; [`Error::NotFound`] for a link to a missing entry.
    created by create_cpd,
    /// Changes a CPD activity.
    updated by update_cpd
);

impl Store {
    /// One CPD activity.
    pub fn get_cpd(&self, id: Uuid) -> Result<CpdActivity> {
        self.read(|tx| load_cpd(tx, id))
    }

    /// Deletes a CPD activity (links from entries go; the entries stay).
    pub fn delete_cpd(&self, id: Uuid) -> Result<()> {
        self.write(|tx| {
            row::delete::<CpdActivity>(tx, id)?;
            drop_unused_tags(tx)
        })
    }

    /// CPD activities that started within the period (inclusive), newest first.
    pub fn list_cpd(
        &self,
        since: Option<NaiveDate>,
        until: Option<NaiveDate>,
    ) -> Result<Vec<CpdActivity>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT id FROM cpd_activities WHERE started_on >= ?1 AND started_on <= ?2 ORDER BY started_on DESC, id DESC",
            )?;
            let ids = stmt
                .query_map(params![bound(since, "0000-01-01"), bound(until, "9999-12-31")], |r| col_uuid(r, 0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            ids.into_iter().map(|id| load_cpd(tx, id)).collect()
        })
    }

    /// Hours by type and participatory hours for activities that started in the period.
    ///
    /// # Errors
    /// [`Error::Invalid`] when `until` is before `since`.
    pub fn cpd_summary(&self, since: NaiveDate, until: NaiveDate) -> Result<CpdSummary> {
        if until < since {
            return Err(Error::invalid(
                "until",
                format!("{until} is before since ({since})"),
            ));
        }
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT activity_type, count(*), total(hours), total(participatory_hours)
                   FROM cpd_activities WHERE started_on >= ?1 AND started_on <= ?2
                  GROUP BY activity_type",
            )?;
            let mut by_type = stmt
                .query_map(params![since.to_string(), until.to_string()], |r| {
                    Ok(CpdTypeHours {
                        activity_type: col_parse(r, 0)?,
                        activities: r.get(1)?,
                        hours: r.get(2)?,
                        participatory_hours: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let order = |t: CpdType| {
                CpdType::ALL
                    .iter()
                    .position(|x| *x == t)
                    .unwrap_or(usize::MAX)
            };
            by_type.sort_by_key(|t| order(t.activity_type));
            Ok(CpdSummary {
                since,
                until,
                activities: by_type.iter().map(|t| t.activities).sum(),
                // Not `sum()`: an empty f64 sum is -0.0, which prints as "-0.0 hours".
                hours: by_type.iter().map(|t| t.hours).fold(0.0, |a, b| a + b),
                participatory_hours: by_type
                    .iter()
                    .map(|t| t.participatory_hours)
                    .fold(0.0, |a, b| a + b),
                by_type,
            })
        })
    }
}

fn bound(d: Option<NaiveDate>, default: &str) -> String {
    d.map_or_else(|| default.to_owned(), |d| d.to_string())
}

/// Inserts or replaces a CPD activity with its tags and entry links (attachments untouched).
pub(crate) fn upsert_cpd(tx: &Transaction<'_>, c: &CpdActivity) -> Result<()> {
    let tags = ensure_tags(tx, &c.tags)?;
    row::upsert_with(tx, c, TAG_TEXT, tag_text_values(&tags))?;
    let id = c.id.to_string();
    Tagged::Cpd.write(tx, &id, &tags, true)?;
    tx.prepare_cached("DELETE FROM entry_cpd WHERE cpd_id = ?1")?
        .execute([&id])?;
    for e in &c.linked_entries {
        exists(tx, "entries", "entry", *e)?;
        let next: i64 = tx
            .prepare_cached(
                "SELECT coalesce(max(position) + 1, 0) FROM entry_cpd WHERE entry_id = ?1",
            )?
            .query_row([e.to_string()], |r| r.get(0))?;
        tx.prepare_cached(
            "INSERT INTO entry_cpd (entry_id, cpd_id, position) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![e.to_string(), id, next])?;
    }
    drop_unused_tags(tx)
}

/// One CPD activity with its tags, linked entries and evidence list.
pub(crate) fn load_cpd(tx: &Transaction<'_>, id: Uuid) -> Result<CpdActivity> {
    let sid = id.to_string();
    let mut c: CpdActivity = row::load(tx, id)?;
    c.tags = Tagged::Cpd.names(tx, &sid)?;
    c.linked_entries = row::uuids(
        tx,
        "SELECT entry_id FROM entry_cpd WHERE cpd_id = ?1 ORDER BY entry_id",
        &sid,
    )?;
    c.attachments = super::attachments::attachments_of(tx, "cpd_id", &sid)?;
    Ok(c)
}

/// Every CPD activity with its tags, linked entries and evidence list, by id (for exports).
pub(crate) fn all_cpd(tx: &Transaction<'_>) -> Result<Vec<CpdActivity>> {
    let mut tags = Tagged::Cpd.all_names(tx)?;
    let mut linked = row::grouped_uuids(
        tx,
        "SELECT cpd_id, entry_id FROM entry_cpd ORDER BY cpd_id, entry_id",
    )?;
    let mut attachments = super::attachments::all_attachment_metas(tx, "cpd_id")?;
    let mut out: Vec<CpdActivity> = row::load_all(tx, "ORDER BY id", [])?;
    for c in &mut out {
        c.tags = tags.remove(&c.id).unwrap_or_default();
        c.linked_entries = linked.remove(&c.id).unwrap_or_default();
        c.attachments = attachments.remove(&c.id).unwrap_or_default();
    }
    Ok(out)
}
