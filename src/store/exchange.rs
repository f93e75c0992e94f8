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

pub(crate) use super::attachments::{checked_file_name, checked_media_type};
use super::attachments::{meta_from_row, AttachmentOwner};
use super::entries::{
    col_date, col_opt_date, col_opt_ts, col_opt_uuid, col_parse, col_ts, col_uuid,
};
use super::people::{
    person_from_row, upsert_action, upsert_person, upsert_relationship, upsert_session,
};
use super::tags::drop_unused_tags;
use super::tags::tag_text;
use super::templates::{template_from_row, upsert_template};
use super::CheckReport;
use crate::error::{Error, Result};
use crate::model::{
    format_ts, new_id, now, Action, AttachmentMeta, CpdActivity, Entry, Member, MentoringSession,
    Person, Relationship, SessionFacts, Template,
};
use chrono::{DateTime, NaiveTime, Utc};
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
    let mut stmt = tx.prepare_cached(
        "SELECT id, key, name, description, kind, builtin, prompts, created_at, updated_at
           FROM templates ORDER BY id",
    )?;
    let rows = stmt
        .query_map([], template_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Everyone, by id.
pub(crate) fn people(tx: &Transaction<'_>) -> Result<Vec<Person>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, display_name, contact, role_words, is_owner, notes, created_at, updated_at
           FROM people ORDER BY id",
    )?;
    let rows = stmt
        .query_map([], person_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every relationship with its members, by id.
pub(crate) fn relationships(tx: &Transaction<'_>) -> Result<Vec<Relationship>> {
    let mut members: HashMap<Uuid, Vec<Member>> = HashMap::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT relationship_id, person_id, role FROM relationship_members
              ORDER BY relationship_id, position, person_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let member = Member {
                person_id: col_uuid(r, 1)?,
                role: col_parse(r, 2)?,
            };
            members.entry(col_uuid(r, 0)?).or_default().push(member);
        }
    }
    let mut stmt = tx.prepare_cached(
        "SELECT id, kind, name, purpose, started_on, ended_on, status, created_at, updated_at
           FROM relationships ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Relationship {
            id: col_uuid(r, 0)?,
            kind: col_parse(r, 1)?,
            name: r.get(2)?,
            purpose: r.get(3)?,
            started_on: col_opt_date(r, 4)?,
            ended_on: col_opt_date(r, 5)?,
            status: col_parse(r, 6)?,
            members: Vec::new(),
            created_at: col_ts(r, 7)?,
            updated_at: col_ts(r, 8)?,
        })
    })?;
    let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    for rel in &mut out {
        rel.members = members.remove(&rel.id).unwrap_or_default();
    }
    Ok(out)
}

/// Every mentoring session with its attendees, by id.
pub(crate) fn sessions(tx: &Transaction<'_>) -> Result<Vec<MentoringSession>> {
    let attendees = grouped_uuids(
        tx,
        "SELECT session_id, person_id FROM session_attendees ORDER BY session_id, position, person_id",
    )?;
    let mut stmt = tx.prepare_cached(
        "SELECT id, relationship_id, held_on, duration_minutes, notes, created_at, updated_at
           FROM mentoring_sessions ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(MentoringSession {
            id: col_uuid(r, 0)?,
            relationship_id: col_uuid(r, 1)?,
            held_on: col_date(r, 2)?,
            duration_minutes: r.get(3)?,
            notes: r.get(4)?,
            attendees: Vec::new(),
            created_at: col_ts(r, 5)?,
            updated_at: col_ts(r, 6)?,
        })
    })?;
    let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    for s in &mut out {
        s.attendees = attendees.get(&s.id).cloned().unwrap_or_default();
    }
    Ok(out)
}

/// Every action, by id.
pub(crate) fn actions(tx: &Transaction<'_>) -> Result<Vec<Action>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, title, detail, owner_id, due_on, status, source, source_entry_id,
                source_session_id, created_at, updated_at
           FROM actions ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Action {
            id: col_uuid(r, 0)?,
            title: r.get(1)?,
            detail: r.get(2)?,
            owner_id: col_opt_uuid(r, 3)?,
            due_on: col_opt_date(r, 4)?,
            status: col_parse(r, 5)?,
            source: col_parse(r, 6)?,
            source_entry_id: col_opt_uuid(r, 7)?,
            source_session_id: col_opt_uuid(r, 8)?,
            created_at: col_ts(r, 9)?,
            updated_at: col_ts(r, 10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every CPD activity with its tags, linked entries and evidence list, by id.
pub(crate) fn cpd_activities(tx: &Transaction<'_>) -> Result<Vec<CpdActivity>> {
    let mut tags = grouped_strings(
        tx,
        "SELECT ct.cpd_id, t.name FROM cpd_tags ct JOIN tags t ON t.id = ct.tag_id
          ORDER BY ct.cpd_id, ct.position, t.name",
    )?;
    let mut linked = grouped_uuids(
        tx,
        "SELECT cpd_id, entry_id FROM entry_cpd ORDER BY cpd_id, entry_id",
    )?;
    let mut attachments = attachment_metas(tx, "cpd_id")?;
    let mut stmt = tx.prepare_cached(
        "SELECT id, title, activity_type, started_on, ended_on, hours, participatory_hours, provider,
                description, outcomes, impact, benefit, evidence, standards, created_at, updated_at
           FROM cpd_activities ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        let standards: String = r.get(13)?;
        Ok(CpdActivity {
            id: col_uuid(r, 0)?,
            title: r.get(1)?,
            activity_type: col_parse(r, 2)?,
            started_on: col_date(r, 3)?,
            ended_on: col_opt_date(r, 4)?,
            hours: r.get(5)?,
            participatory_hours: r.get(6)?,
            provider: r.get(7)?,
            description: r.get(8)?,
            outcomes: r.get(9)?,
            impact: r.get(10)?,
            benefit: r.get(11)?,
            evidence: r.get(12)?,
            standards: serde_json::from_str(&standards).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    13,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?,
            tags: Vec::new(),
            linked_entries: Vec::new(),
            attachments: Vec::new(),
            created_at: col_ts(r, 14)?,
            updated_at: col_ts(r, 15)?,
        })
    })?;
    let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    for c in &mut out {
        c.tags = tags.remove(&c.id).unwrap_or_default();
        c.linked_entries = linked.remove(&c.id).unwrap_or_default();
        c.attachments = attachments.remove(&c.id).unwrap_or_default();
    }
    Ok(out)
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
    let mut tags = grouped_strings(
        tx,
        "SELECT et.entry_id, t.name FROM entry_tags et JOIN tags t ON t.id = et.tag_id
          ORDER BY et.entry_id, et.position, t.name",
    )?;
    let mut links = grouped_uuids(
        tx,
        "SELECT from_id, to_id FROM entry_links ORDER BY from_id, position, to_id",
    )?;
    let mut cpd = grouped_uuids(
        tx,
        "SELECT entry_id, cpd_id FROM entry_cpd ORDER BY entry_id, position, cpd_id",
    )?;
    let mut rels = grouped_uuids(
        tx,
        "SELECT entry_id, relationship_id FROM entry_relationships
          ORDER BY entry_id, position, relationship_id",
    )?;
    let mut attachments = attachment_metas(tx, "entry_id")?;
    let sql = format!(
        "SELECT id, kind, title, body, occurred_on, occurred_time, template_id, starred,
                setting, group_name, age_range, participants, duration_minutes, activities,
                created_at, updated_at, deleted_at
           FROM entries {} ORDER BY id",
        if live_only {
            "WHERE deleted_at IS NULL"
        } else {
            ""
        }
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let session = SessionFacts {
            setting: r.get(8)?,
            group: r.get(9)?,
            age_range: r.get(10)?,
            participants: r.get(11)?,
            duration_minutes: r.get(12)?,
            activities: r.get(13)?,
        };
        let id = col_uuid(r, 0)?;
        let occurred_time = match r.get::<_, Option<String>>(5)? {
            Some(t) => Some(NaiveTime::parse_from_str(&t, "%H:%M:%S").map_err(|e| {
                Error::invalid(
                    "entries.occurred_time",
                    format!("stored {t:?} is not a time: {e}"),
                )
            })?),
            None => None,
        };
        f(Entry {
            id,
            kind: col_parse(r, 1)?,
            title: r.get(2)?,
            body: r.get(3)?,
            occurred_on: col_date(r, 4)?,
            occurred_time,
            template_id: col_opt_uuid(r, 6)?,
            starred: r.get(7)?,
            tags: tags.remove(&id).unwrap_or_default(),
            session: (!session.is_empty()).then_some(session),
            linked_entries: links.remove(&id).unwrap_or_default(),
            linked_cpd: cpd.remove(&id).unwrap_or_default(),
            linked_relationships: rels.remove(&id).unwrap_or_default(),
            attachments: attachments.remove(&id).unwrap_or_default(),
            created_at: col_ts(r, 14)?,
            updated_at: col_ts(r, 15)?,
            deleted_at: col_opt_ts(r, 16)?,
        })?;
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
        "SELECT a.id, a.file_name, a.media_type, a.size, a.sha256, a.created_at,
                a.entry_id, a.cpd_id, a.updated_at, a.data
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

/// Attachment metadata grouped by owner, where `column` is `entry_id` or `cpd_id`, in the
/// order the app lists them.
fn attachment_metas(
    tx: &Transaction<'_>,
    column: &str,
) -> Result<HashMap<Uuid, Vec<AttachmentMeta>>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT id, file_name, media_type, size, sha256, created_at, {column}
           FROM attachments WHERE {column} IS NOT NULL ORDER BY {column}, created_at, id"
    ))?;
    let mut rows = stmt.query([])?;
    let mut out: HashMap<Uuid, Vec<AttachmentMeta>> = HashMap::new();
    while let Some(r) = rows.next()? {
        out.entry(col_uuid(r, 6)?)
            .or_default()
            .push(meta_from_row(r)?);
    }
    Ok(out)
}

fn grouped_strings(tx: &Transaction<'_>, sql: &str) -> Result<HashMap<Uuid, Vec<String>>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    while let Some(r) = rows.next()? {
        out.entry(col_uuid(r, 0)?).or_default().push(r.get(1)?);
    }
    Ok(out)
}

fn grouped_uuids(tx: &Transaction<'_>, sql: &str) -> Result<HashMap<Uuid, Vec<Uuid>>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    while let Some(r) = rows.next()? {
        out.entry(col_uuid(r, 0)?)
            .or_default()
            .push(col_uuid(r, 1)?);
    }
    Ok(out)
}

/// Applies validated records inside one write transaction, keeping their ids and timestamps.
///
/// The caller decides which records to add or replace (see [`Index`]); the writer only
/// writes. Foreign keys are enforced when it finishes rather than per statement, so a
/// reference the validation missed still fails the transaction rather than leaving a
/// dangling row.
pub(crate) struct Writer<'a> {
    tx: &'a Transaction<'a>,
    /// Tags by SQLite's NOCASE key (ASCII lowercase), as `(id, stored spelling)`.
    tags: HashMap<String, (String, String)>,
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
        let mut tags = HashMap::new();
        {
            let mut stmt = tx.prepare_cached("SELECT id, name FROM tags")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (id, name): (String, String) = (r.get(0)?, r.get(1)?);
                tags.insert(name.to_ascii_lowercase(), (id, name));
            }
        }
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
        let tags = self.ensure_tags(&c.tags)?;
        let standards = serde_json::to_string(&c.standards)
            .map_err(|e| Error::invalid("standards", e.to_string()))?;
        let sql = if exists {
            "UPDATE cpd_activities SET title = ?2, activity_type = ?3, started_on = ?4, ended_on = ?5,
                    hours = ?6, participatory_hours = ?7, provider = ?8, description = ?9,
                    outcomes = ?10, impact = ?11, benefit = ?12, evidence = ?13, standards = ?14,
                    tag_text = ?15, created_at = ?16, updated_at = ?17
              WHERE id = ?1"
        } else {
            "INSERT INTO cpd_activities (id, title, activity_type, started_on, ended_on, hours,
                    participatory_hours, provider, description, outcomes, impact, benefit, evidence,
                    standards, tag_text, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
        };
        self.tx.prepare_cached(sql)?.execute(params![
            c.id.to_string(),
            c.title,
            c.activity_type.as_str(),
            c.started_on.to_string(),
            c.ended_on.map(|d| d.to_string()),
            c.hours,
            c.participatory_hours,
            c.provider,
            c.description,
            c.outcomes,
            c.impact,
            c.benefit,
            c.evidence,
            standards,
            tag_text(&tags),
            format_ts(&c.created_at),
            format_ts(&c.updated_at),
        ])?;
        let id = c.id.to_string();
        if exists {
            self.tx
                .prepare_cached("DELETE FROM cpd_tags WHERE cpd_id = ?1")?
                .execute([&id])?;
        }
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO cpd_tags (cpd_id, tag_id, position) VALUES (?1, ?2, ?3)",
        )?;
        for (pos, (tag_id, _)) in tags.iter().enumerate() {
            insert.execute(params![id, tag_id, pos as i64])?;
        }
        Ok(())
    }

    /// Adds (`exists` false) or replaces an entry's row and tags, keeping its attachments.
    ///
    /// Rows are staged and written [`STAGED_ENTRIES`] at a time by one statement each (see
    /// [`Writer::flush_entries`]). Links come in a second phase, [`Writer::entry_links`], once
    /// every record they may point at is in place.
    pub(crate) fn entry(&mut self, e: &Entry, exists: bool) -> Result<()> {
        let tags = self.ensure_tags(&e.tags)?;
        if !self.stage_ready {
            self.tx.execute(
                "CREATE TEMP TABLE IF NOT EXISTS reprise_import_entries (
                    is_new, id, kind, title, body, occurred_on, occurred_time, template_id, starred,
                    setting, group_name, age_range, participants, duration_minutes, activities,
                    tag_text, created_at, updated_at, deleted_at)",
                [],
            )?;
            self.stage_ready = true;
        }
        let s = e.session.clone().unwrap_or_default();
        self.tx
            .prepare_cached(
                "INSERT INTO temp.reprise_import_entries VALUES
                    (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            )?
            .execute(params![
                !exists,
                e.id.to_string(),
                e.kind.as_str(),
                e.title,
                e.body,
                e.occurred_on.to_string(),
                e.occurred_time.map(|t| t.format("%H:%M:%S").to_string()),
                e.template_id.map(|t| t.to_string()),
                e.starred,
                s.setting,
                s.group,
                s.age_range,
                s.participants,
                s.duration_minutes,
                s.activities,
                tag_text(&tags),
                format_ts(&e.created_at),
                format_ts(&e.updated_at),
                e.deleted_at.map(|d| format_ts(&d)),
            ])?;
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
        const COLUMNS: &str =
            "id, kind, title, body, occurred_on, occurred_time, template_id, starred,
            setting, group_name, age_range, participants, duration_minutes, activities, tag_text,
            created_at, updated_at, deleted_at";
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO entries ({COLUMNS})
                 SELECT {COLUMNS} FROM temp.reprise_import_entries WHERE is_new ORDER BY rowid"
            ))?
            .execute([])?;
        self.tx
            .prepare_cached(
                "UPDATE entries SET kind = s.kind, title = s.title, body = s.body,
                        occurred_on = s.occurred_on, occurred_time = s.occurred_time,
                        template_id = s.template_id, starred = s.starred, setting = s.setting,
                        group_name = s.group_name, age_range = s.age_range,
                        participants = s.participants, duration_minutes = s.duration_minutes,
                        activities = s.activities, tag_text = s.tag_text, created_at = s.created_at,
                        updated_at = s.updated_at, deleted_at = s.deleted_at
                   FROM temp.reprise_import_entries AS s
                  WHERE s.id = entries.id AND NOT s.is_new",
            )?
            .execute([])?;
        self.tx
            .prepare_cached("DELETE FROM temp.reprise_import_entries")?
            .execute([])?;
        for (id, exists, tags) in std::mem::take(&mut self.staged) {
            if exists {
                self.tx
                    .prepare_cached("DELETE FROM entry_tags WHERE entry_id = ?1")?
                    .execute([&id])?;
            }
            let mut insert = self.tx.prepare_cached(
                "INSERT INTO entry_tags (entry_id, tag_id, position) VALUES (?1, ?2, ?3)",
            )?;
            for (pos, (tag_id, _)) in tags.iter().enumerate() {
                insert.execute(params![id, tag_id, pos as i64])?;
            }
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
        if exists {
            for sql in [
                "DELETE FROM entry_links WHERE from_id = ?1",
                "DELETE FROM entry_cpd WHERE entry_id = ?1",
                "DELETE FROM entry_relationships WHERE entry_id = ?1",
            ] {
                self.tx.prepare_cached(sql)?.execute([&id])?;
            }
        }
        let lists = [
            ("INSERT INTO entry_links (from_id, to_id, position) VALUES (?1, ?2, ?3)", entries),
            ("INSERT INTO entry_cpd (entry_id, cpd_id, position) VALUES (?1, ?2, ?3)", cpd),
            (
                "INSERT INTO entry_relationships (entry_id, relationship_id, position) VALUES (?1, ?2, ?3)",
                relationships,
            ),
        ];
        for (sql, targets) in lists {
            if targets.is_empty() {
                continue;
            }
            let mut insert = self.tx.prepare_cached(sql)?;
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
        let (entry_id, cpd_id) = match a.owner {
            AttachmentOwner::Entry(id) => (Some(id.to_string()), None),
            AttachmentOwner::Cpd(id) => (None, Some(id.to_string())),
        };
        let sql = if exists {
            "UPDATE attachments SET entry_id = ?2, cpd_id = ?3, file_name = ?4, media_type = ?5,
                    size = ?6, sha256 = ?7, data = ?8, created_at = ?9, updated_at = ?10
              WHERE id = ?1"
        } else {
            "INSERT INTO attachments (id, entry_id, cpd_id, file_name, media_type, size, sha256, data,
                    created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        };
        self.tx.prepare_cached(sql)?.execute(params![
            a.meta.id.to_string(),
            entry_id,
            cpd_id,
            a.meta.file_name,
            a.meta.media_type,
            a.meta.size as i64,
            a.meta.sha256,
            a.data,
            format_ts(&a.meta.created_at),
            format_ts(&a.updated_at),
        ])?;
        Ok(())
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
        super::check_connection(self.tx, true)
    }

    /// Finds or creates each tag (case-insensitively, as the `tags` table's NOCASE does) and
    /// returns `(id, stored name)` pairs in order, without repeats.
    fn ensure_tags(&mut self, names: &[String]) -> Result<Vec<(String, String)>> {
        let mut out: Vec<(String, String)> = Vec::with_capacity(names.len());
        for name in names {
            let key = name.to_ascii_lowercase();
            let pair = match self.tags.get(&key) {
                Some(pair) => pair.clone(),
                None => {
                    let pair = (new_id().to_string(), name.clone());
                    self.tx
                        .prepare_cached(
                            "INSERT INTO tags (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                        )?
                        .execute(params![pair.0, pair.1, format_ts(&now())])?;
                    self.tags.insert(key, pair.clone());
                    pair
                }
            };
            if !out.iter().any(|(id, _)| *id == pair.0) {
                out.push(pair);
            }
        }
        Ok(out)
    }
}
