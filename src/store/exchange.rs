//! Whole-journal reads and writes for [`crate::exchange`]: exports and imports.
//!
//! The per-aggregate files load and save one record at a time, which suits the app and is far
//! too slow for a 50,000-entry export or import. Here each table is read with one query (link
//! tables are grouped in memory) and entries are streamed, so an export never holds every body
//! at once. The [`Writer`] applies records that the importer has already validated, keeping
//! their own ids and timestamps, inside the caller's one transaction: entries in batches (one
//! statement each, which keeps the full-text index from being written in tiny pieces), and in
//! two phases, rows first and links after, so that links work whatever order a file lists
//! them in.

use super::actions::upsert_action;
use super::attachments::{
    all_attachment_metas, meta_from_row, write_attachment, AttachmentOwner, AttachmentRow,
    META_COLUMNS,
};
pub(crate) use super::attachments::{checked_file_name, checked_media_type};
pub(crate) use super::entries::entry_from_input;
use super::entries::LINK_TABLES;
use super::people::upsert_person;
use super::relationships::upsert_relationship;
use super::row::{self, col_opt_uuid, col_ts, col_uuid, Record};
use super::sessions::upsert_session;
use super::tags::{drop_unused_tags, tag_text_values, KnownTags, Tagged, TAG_TEXT};
use super::templates::upsert_template;
use super::CheckReport;
use crate::error::{Error, Result};
use crate::model::{
    Action, AttachmentMeta, CpdActivity, Entry, MentoringSession, Person, Relationship, Template,
};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::HashMap;
use uuid::Uuid;

/// What the journal already holds: every record's id and `updated_at`, by table.
#[derive(Debug, Default)]
pub(crate) struct Index {
    pub templates: HashMap<Uuid, DateTime<Utc>>,
    pub people: HashMap<Uuid, DateTime<Utc>>,
    pub relationships: HashMap<Uuid, DateTime<Utc>>,
    pub sessions: HashMap<Uuid, DateTime<Utc>>,
    pub actions: HashMap<Uuid, DateTime<Utc>>,
    pub cpd: HashMap<Uuid, DateTime<Utc>>,
    pub entries: HashMap<Uuid, DateTime<Utc>>,
    pub attachments: HashMap<Uuid, DateTime<Utc>>,
}

/// Loads the [`Index`] with one query per table.
pub(crate) fn index(tx: &Transaction<'_>) -> Result<Index> {
    let stamps = |table: &str| -> Result<HashMap<Uuid, DateTime<Utc>>> {
        let mut stmt = tx.prepare_cached(&format!("SELECT id, updated_at FROM {table}"))?;
        let rows = stmt.query_map([], |r| Ok((col_uuid(r, 0)?, col_ts(r, 1)?)))?;
        Ok(rows.collect::<rusqlite::Result<HashMap<_, _>>>()?)
    };
    Ok(Index {
        templates: stamps("templates")?,
        people: stamps("people")?,
        relationships: stamps("relationships")?,
        sessions: stamps("mentoring_sessions")?,
        actions: stamps("actions")?,
        cpd: stamps("cpd_activities")?,
        entries: stamps("entries")?,
        attachments: stamps("attachments")?,
    })
}

/// How many records of each kind the journal holds, for progress totals.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Counts {
    pub entries: u64,
    pub live_entries: u64,
    pub attachments: u64,
}

/// Counts entries (all, and not in the trash) and attachments.
pub(crate) fn counts(tx: &Transaction<'_>) -> Result<Counts> {
    let one = |sql: &str| -> Result<u64> {
        Ok(tx
            .prepare_cached(sql)?
            .query_row([], |r| r.get::<_, i64>(0))? as u64)
    };
    Ok(Counts {
        entries: one("SELECT count(*) FROM entries")?,
        live_entries: one("SELECT count(*) FROM entries WHERE deleted_at IS NULL")?,
        attachments: one("SELECT count(*) FROM attachments")?,
    })
}

/// Every template, by id.
pub(crate) fn templates(tx: &Transaction<'_>) -> Result<Vec<Template>> {
    row::load_all(tx, "ORDER BY id", [])
}

/// Everyone, by id.
pub(crate) fn people(tx: &Transaction<'_>) -> Result<Vec<Person>> {
    row::load_all(tx, "ORDER BY id", [])
}

/// Every relationship with its members, by id.
pub(crate) fn relationships(tx: &Transaction<'_>) -> Result<Vec<Relationship>> {
    super::relationships::all_relationships(tx)
}

/// Every mentoring session with its attendees, by id.
pub(crate) fn sessions(tx: &Transaction<'_>) -> Result<Vec<MentoringSession>> {
    super::sessions::all_sessions(tx)
}

/// Every action, by id.
pub(crate) fn actions(tx: &Transaction<'_>) -> Result<Vec<Action>> {
    row::load_all(tx, "ORDER BY id", [])
}

/// Every CPD activity with its tags, linked entries and evidence list, by id.
pub(crate) fn cpd_activities(tx: &Transaction<'_>) -> Result<Vec<CpdActivity>> {
    super::cpd::all_cpd(tx)
}

/// Calls `f` with every entry (or only those not in the trash), by id, one at a time.
///
/// Link tables and attachment lists are loaded first with one query each; the entries table
/// (where the bodies are) is streamed, so memory holds one body at a time.
pub(crate) fn for_each_entry(
    tx: &Transaction<'_>,
    live_only: bool,
    mut f: impl FnMut(Entry) -> Result<()>,
) -> Result<()> {
    let mut tags = Tagged::Entry.all_names(tx)?;
    let [links, cpd, rels] = LINK_TABLES.map(|(table, from, to)| {
        row::grouped_uuids(
            tx,
            &format!("SELECT {from}, {to} FROM {table} ORDER BY {from}, position, {to}"),
        )
    });
    let (mut links, mut cpd, mut rels) = (links?, cpd?, rels?);
    let mut attachments = all_attachment_metas(tx, "entry_id")?;
    let where_live = if live_only {
        "WHERE deleted_at IS NULL "
    } else {
        ""
    };
    let mut stmt = tx.prepare_cached(&row::select::<Entry>(&format!("{where_live}ORDER BY id")))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let mut entry = Entry::from_row(r)?;
        let id = entry.id;
        entry.tags = tags.remove(&id).unwrap_or_default();
        entry.linked_entries = links.remove(&id).unwrap_or_default();
        entry.linked_cpd = cpd.remove(&id).unwrap_or_default();
        entry.linked_relationships = rels.remove(&id).unwrap_or_default();
        entry.attachments = attachments.remove(&id).unwrap_or_default();
        f(entry)?;
    }
    Ok(())
}

/// An attachment with its owner, its own `updated_at` and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredAttachment {
    pub owner: AttachmentOwner,
    pub meta: AttachmentMeta,
    pub updated_at: DateTime<Utc>,
    pub data: Vec<u8>,
}

/// Which attachments [`for_each_attachment`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttachmentScope {
    /// Every attachment, of entries (trashed too) and CPD activities.
    All,
    /// Only those of entries not in the trash.
    LiveEntries,
}

/// Calls `f` with each attachment and its bytes, by id, one at a time.
pub(crate) fn for_each_attachment(
    tx: &Transaction<'_>,
    scope: AttachmentScope,
    mut f: impl FnMut(StoredAttachment) -> Result<()>,
) -> Result<()> {
    let filter = match scope {
        AttachmentScope::All => "",
        AttachmentScope::LiveEntries => {
            "WHERE a.entry_id IN (SELECT id FROM entries WHERE deleted_at IS NULL)"
        }
    };
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {META_COLUMNS}, entry_id, cpd_id, updated_at, data
           FROM attachments a {filter} ORDER BY a.id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let owner = match (col_opt_uuid(r, 6)?, col_opt_uuid(r, 7)?) {
            (Some(e), _) => AttachmentOwner::Entry(e),
            (None, Some(c)) => AttachmentOwner::Cpd(c),
            (None, None) => {
                return Err(Error::invalid(
                    "attachments",
                    "a stored attachment has no owner",
                ))
            }
        };
        f(StoredAttachment {
            owner,
            meta: meta_from_row(r)?,
            updated_at: col_ts(r, 8)?,
            data: r.get(9)?,
        })?;
    }
    Ok(())
}

/// Applies validated records inside one write transaction, keeping their ids and timestamps.
///
/// The caller decides which records to add or replace (see [`Index`]); the writer only
/// writes. Foreign keys are enforced when it finishes rather than per statement, so a
/// reference the validation missed still fails the transaction rather than leaving a
/// dangling row.
pub(crate) struct Writer<'a> {
    tx: &'a Transaction<'a>,
    /// Every tag, so that records are tagged without a lookup each.
    tags: KnownTags,
    /// Template keys in use, to give a colliding key a suffix.
    keys: HashMap<String, Uuid>,
    /// The journal's owner, who stays the owner whatever a file says.
    owner: Option<Uuid>,
    /// Whether the temporary staging table for entries exists yet.
    stage_ready: bool,
    /// Entries staged but not yet written: id, whether it replaces a row, its tags.
    staged: Vec<Staged>,
    /// The connection's page cache setting, restored when the writer is done.
    cache_size: i64,
    /// The full-text index's own `hashsize` setting, if it had one, restored in `finish`.
    hash_size: Option<i64>,
}

/// The page cache during an import, as SQLite counts it (negative: KiB), 64 MiB.
const BULK_CACHE_KIB: i64 = -64 * 1024;

/// The full-text index's in-memory hash during an import, 16 MiB (SQLite's default is 1 MiB).
const BULK_FTS_HASH_BYTES: i64 = 16 * 1024 * 1024;

/// SQLite's default FTS5 `hashsize`.
const DEFAULT_FTS_HASH_BYTES: i64 = 1024 * 1024;

impl Drop for Writer<'_> {
    fn drop(&mut self) {
        // Best effort: a failed import must not leave the connection with a huge cache.
        let _ = self.tx.pragma_update(None, "cache_size", self.cache_size);
    }
}

/// An entry staged for writing: its id, whether it replaces a row, and its tags as
/// `(tag id, name)`.
type Staged = (String, bool, Vec<(String, String)>);

/// How many entries are written by one statement.
const STAGED_ENTRIES: usize = 1000;

impl<'a> Writer<'a> {
    /// Loads the tag names, template keys and owner the writer needs (one query each).
    pub(crate) fn new(tx: &'a Transaction<'a>) -> Result<Writer<'a>> {
        let tags = KnownTags::load(tx)?;
        let mut keys = HashMap::new();
        {
            let mut stmt = tx.prepare_cached("SELECT key, id FROM templates")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                keys.insert(r.get::<_, String>(0)?, col_uuid(r, 1)?);
            }
        }
        let owner = {
            let mut stmt = tx.prepare_cached("SELECT id FROM people WHERE is_owner = 1")?;
            let mut rows = stmt.query([])?;
            match rows.next()? {
                Some(r) => Some(col_uuid(r, 0)?),
                None => None,
            }
        };
        let cache_size: i64 = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        let hash_size: Option<i64> = tx
            .prepare_cached("SELECT v FROM entries_fts_config WHERE k = 'hashsize'")?
            .query_row([], |r| r.get(0))
            .optional()?;
        // Bulk-load settings, undone in `finish` (and, for the cache, on drop): a bigger page
        // cache, so a large import spills fewer pages mid-transaction, and a bigger full-text
        // hash, so each batch of entries is indexed into one segment rather than several to
        // merge. The hash size lives in the index's config table, written inside this
        // transaction, so a failed import rolls it back with everything else.
        tx.pragma_update(None, "cache_size", BULK_CACHE_KIB.min(cache_size))?;
        // Records may arrive in any order (an attachment before its entry); foreign keys are
        // checked when the writer finishes (`foreign_key_check`) and again at commit. SQLite
        // turns this off by itself when the transaction ends.
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        tx.execute(
            "INSERT INTO entries_fts (entries_fts, rank) VALUES ('hashsize', ?1)",
            [BULK_FTS_HASH_BYTES],
        )?;
        Ok(Writer {
            tx,
            tags,
            keys,
            owner,
            stage_ready: false,
            staged: Vec::new(),
            cache_size,
            hash_size,
        })
    }

    /// Adds or replaces a template; a key that another template holds gets a `-2`, `-3`, …
    /// suffix. Returns the key it was stored under.
    pub(crate) fn template(&mut self, t: &Template) -> Result<String> {
        let mut key = t.key.clone();
        let mut n = 2;
        while self.keys.get(&key).is_some_and(|holder| *holder != t.id) {
            key = format!("{}-{n}", t.key);
            n += 1;
        }
        self.keys.retain(|_, holder| *holder != t.id);
        self.keys.insert(key.clone(), t.id);
        upsert_template(
            self.tx,
            &Template {
                key: key.clone(),
                ..t.clone()
            },
        )?;
        Ok(key)
    }

    /// Adds or replaces a person. The journal's owner stays its owner; an owner from a file
    /// becomes an ordinary person when the journal already has a different owner.
    pub(crate) fn person(&mut self, p: &Person) -> Result<()> {
        let is_owner = self.owner == Some(p.id) || (p.is_owner && self.owner.is_none());
        upsert_person(
            self.tx,
            &Person {
                is_owner,
                ..p.clone()
            },
        )?;
        if is_owner {
            self.owner = Some(p.id);
        }
        Ok(())
    }

    /// Adds or replaces a relationship and its members.
    pub(crate) fn relationship(&mut self, r: &Relationship) -> Result<()> {
        upsert_relationship(self.tx, r)
    }

    /// Adds or replaces a mentoring session and its attendees.
    pub(crate) fn session(&mut self, s: &MentoringSession) -> Result<()> {
        upsert_session(self.tx, s)
    }

    /// Adds or replaces an action.
    pub(crate) fn action(&mut self, a: &Action) -> Result<()> {
        self.flush_entries()?;
        upsert_action(self.tx, a)
    }

    /// Adds (`exists` false) or replaces a CPD activity's row and tags.
    ///
    /// Its links to entries are left alone: they live in `entry_cpd`, which imports write
    /// from the entries' side (`linked_cpd`, in order) in [`Writer::entry_links`].
    pub(crate) fn cpd(&mut self, c: &CpdActivity, exists: bool) -> Result<()> {
        let tags = self.tags.ensure(self.tx, &c.tags)?;
        let columns = row::with_columns::<CpdActivity>(TAG_TEXT);
        let sql = if exists {
            row::update_sql(CpdActivity::TABLE, &columns)
        } else {
            row::insert_sql(CpdActivity::TABLE, &columns)
        };
        let mut params = c.params();
        params.extend(tag_text_values(&tags));
        self.tx
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(params))?;
        Tagged::Cpd.write(self.tx, &c.id.to_string(), &tags, exists)
    }

    /// Adds (`exists` false) or replaces an entry's row and tags, keeping its attachments.
    ///
    /// Rows are staged and written [`STAGED_ENTRIES`] at a time by one statement each (see
    /// [`Writer::flush_entries`]). Links come in a second phase, [`Writer::entry_links`], once
    /// every record they may point at is in place.
    pub(crate) fn entry(&mut self, e: &Entry, exists: bool) -> Result<()> {
        let tags = self.tags.ensure(self.tx, &e.tags)?;
        let columns = row::with_columns::<Entry>(TAG_TEXT);
        if !self.stage_ready {
            self.tx.execute(
                &format!(
                    "CREATE TEMP TABLE IF NOT EXISTS reprise_import_entries (is_new, {})",
                    columns.join(", ")
                ),
                [],
            )?;
            self.stage_ready = true;
        }
        let mut params = vec![Value::from(!exists)];
        params.extend(e.params());
        params.extend(tag_text_values(&tags));
        let marks: Vec<String> = (1..=params.len()).map(|i| format!("?{i}")).collect();
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO temp.reprise_import_entries VALUES ({})",
                marks.join(", ")
            ))?
            .execute(rusqlite::params_from_iter(params))?;
        self.staged.push((e.id.to_string(), exists, tags));
        if self.staged.len() >= STAGED_ENTRIES {
            self.flush_entries()?;
        }
        Ok(())
    }

    /// Writes the staged entries: one `INSERT … SELECT` for the new ones and one
    /// `UPDATE … FROM` for the replaced ones, then their tags.
    ///
    /// Why not one `INSERT` per entry: FTS5 writes its pending index data to disk at every
    /// statement savepoint, and inside a transaction every constrained statement opens one.
    /// One statement per entry made a 50,000-entry import write 50,000 tiny index segments
    /// and spend most of a minute merging them; one statement per batch writes a few large
    /// ones, as a bulk load should.
    fn flush_entries(&mut self) -> Result<()> {
        if self.staged.is_empty() {
            return Ok(());
        }
        let columns = row::with_columns::<Entry>(TAG_TEXT);
        let list = columns.join(", ");
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO entries ({list})
                 SELECT {list} FROM temp.reprise_import_entries WHERE is_new ORDER BY rowid"
            ))?
            .execute([])?;
        let sets: Vec<String> = columns[1..]
            .iter()
            .map(|c| format!("{c} = s.{c}"))
            .collect();
        self.tx
            .prepare_cached(&format!(
                "UPDATE entries SET {}
                   FROM temp.reprise_import_entries AS s
                  WHERE s.id = entries.id AND NOT s.is_new",
                sets.join(", ")
            ))?
            .execute([])?;
        self.tx
            .prepare_cached("DELETE FROM temp.reprise_import_entries")?
            .execute([])?;
        for (id, exists, tags) in std::mem::take(&mut self.staged) {
            Tagged::Entry.write(self.tx, &id, &tags, exists)?;
        }
        Ok(())
    }

    /// Replaces an entry's links to other entries, CPD activities and relationships with
    /// those listed, in order (`exists` false skips clearing links a new entry cannot have).
    pub(crate) fn entry_links(
        &mut self,
        id: Uuid,
        entries: &[Uuid],
        cpd: &[Uuid],
        relationships: &[Uuid],
        exists: bool,
    ) -> Result<()> {
        self.flush_entries()?;
        let id = id.to_string();
        let lists = [entries, cpd, relationships];
        for ((table, from, to), targets) in LINK_TABLES.into_iter().zip(lists) {
            if exists {
                self.tx
                    .prepare_cached(&format!("DELETE FROM {table} WHERE {from} = ?1"))?
                    .execute([&id])?;
            }
            if targets.is_empty() {
                continue;
            }
            let mut insert = self.tx.prepare_cached(&format!(
                "INSERT INTO {table} ({from}, {to}, position) VALUES (?1, ?2, ?3)"
            ))?;
            for (pos, target) in targets.iter().enumerate() {
                insert.execute(params![id, target.to_string(), pos as i64])?;
            }
        }
        Ok(())
    }

    /// Adds (`exists` false) or replaces an attachment, without touching its owner's
    /// `updated_at` (the owner's own copy says when it changed).
    pub(crate) fn attachment(&mut self, a: &StoredAttachment, exists: bool) -> Result<()> {
        self.flush_entries()?;
        write_attachment(
            self.tx,
            &AttachmentRow {
                owner: a.owner,
                meta: &a.meta,
                data: &a.data,
                updated_at: &a.updated_at,
            },
            exists,
        )
    }

    /// Drops tags nothing carries any more, then runs the same checks as [`super::Store::check`]
    /// on the uncommitted result, so a caller can roll back when anything is wrong.
    pub(crate) fn finish(mut self) -> Result<CheckReport> {
        self.flush_entries()?;
        if self.stage_ready {
            self.tx
                .execute("DROP TABLE temp.reprise_import_entries", [])?;
        }
        drop_unused_tags(self.tx)?;
        let hash_size = self.hash_size.unwrap_or(DEFAULT_FTS_HASH_BYTES);
        self.tx.execute(
            "INSERT INTO entries_fts (entries_fts, rank) VALUES ('hashsize', ?1)",
            [hash_size],
        )?;
        if self.hash_size.is_none() {
            // Leave the config table as it was; the value in force is the default either way.
            self.tx
                .execute("DELETE FROM entries_fts_config WHERE k = 'hashsize'", [])?;
        }
        super::health::check_connection(self.tx, true)
    }
}
