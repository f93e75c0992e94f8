//! Entries: create, read, update, trash, restore, and the timeline.

use super::tags::{drop_unused_tags, ensure_tags, tag_text};
use super::Store;
use crate::error::{Error, Result};
use crate::model::{
    format_ts, new_id, next_update, now, parse_ts, Entry, EntryFilter, EntryInput, EntryKind,
    EntrySummary, Page, SessionFacts,
};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Row, Transaction};
use uuid::Uuid;

/// Characters of body text shown in a listing.
const EXCERPT_CHARS: usize = 180;

/// A tag on at most this many entries is rare: a query filtered by it starts from the tag's own
/// entries. Otherwise it walks the timeline and checks each entry, which finds a page of 20
/// after about `20 × entries ÷ uses` steps: quick for a common tag, a walk of the whole
/// journal for a tag used once (~30 ms at 50,000 entries, where starting from the tag takes
/// well under 1 ms). Starting from a tag instead costs a lookup and a sort per use (~9 µs), so
/// 500 keeps either way to a few milliseconds (docs/PERFORMANCE.md).
const RARE_TAG_USES: i64 = 500;

/// A position in the timeline: the last row of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryCursor {
    /// The sort key (`occurred_on`, or `deleted_at` in the trash).
    pub key: String,
    /// The id that breaks ties.
    pub id: String,
}

impl EntryCursor {
    fn encode(&self) -> String {
        format!("{}|{}", self.key, self.id)
    }

    fn decode(text: &str) -> Result<EntryCursor> {
        let bad = || {
            Error::invalid(
                "cursor",
                format!("{text:?} is not a cursor from a previous page"),
            )
        };
        let (key, id) = text.split_once('|').ok_or_else(bad)?;
        Uuid::parse_str(id).map_err(|_| bad())?;
        if key.is_empty() || key.len() > 40 {
            return Err(bad());
        }
        Ok(EntryCursor {
            key: key.to_owned(),
            id: id.to_owned(),
        })
    }
}

impl Store {
    /// Creates an entry and returns it as stored.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a bad field; [`Error::NotFound`] for a link to a missing record.
    pub fn create_entry(&self, input: &EntryInput) -> Result<Entry> {
        let input = input.validated()?;
        let ts = now();
        let entry = entry_from_input(new_id(), &input, ts, ts);
        self.write(|tx| {
            insert_entry(tx, &entry)?;
            load_entry(tx, &entry.id.to_string())
        })
    }

    /// Replaces what a person writes in an entry, keeping its id, creation time and
    /// attachments; returns it as stored.
    ///
    /// # Errors
    /// [`Error::NotFound`] if there is no such entry; [`Error::Invalid`] for a bad field.
    pub fn update_entry(&self, id: Uuid, input: &EntryInput) -> Result<Entry> {
        let input = input.validated()?;
        self.write(|tx| {
            let existing = load_entry(tx, &id.to_string())?;
            let entry = Entry {
                deleted_at: existing.deleted_at,
                ..entry_from_input(
                    id,
                    &input,
                    existing.created_at,
                    next_update(existing.updated_at),
                )
            };
            update_entry_row(tx, &entry)?;
            load_entry(tx, &id.to_string())
        })
    }

    /// One entry, with its tags, links and attachment list (trashed entries too).
    ///
    /// # Errors
    /// [`Error::NotFound`] if there is no such entry.
    pub fn get_entry(&self, id: Uuid) -> Result<Entry> {
        self.read(|tx| load_entry(tx, &id.to_string()))
    }

    /// Finds an entry by a full id or a unique prefix of at least 4 characters (for the CLI).
    ///
    /// # Errors
    /// [`Error::NotFound`] when nothing or more than one entry matches.
    pub fn resolve_entry_id(&self, text: &str) -> Result<Uuid> {
        if let Ok(id) = Uuid::parse_str(text) {
            return Ok(id);
        }
        let prefix = text.trim().to_ascii_lowercase();
        let not_found = || Error::NotFound {
            entity: "entry",
            id: text.to_owned(),
        };
        if prefix.len() < 4 || !prefix.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(not_found());
        }
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT id FROM entries WHERE id >= ?1 AND id < ?1 || 'g' LIMIT 2",
            )?;
            let ids = stmt
                .query_map([&prefix], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            match ids.as_slice() {
                [one] => Uuid::parse_str(one).map_err(|_| not_found()),
                [] => Err(not_found()),
                _ => Err(Error::invalid(
                    "id",
                    format!("{text:?} matches more than one entry; give more of it"),
                )),
            }
        })
    }

    /// Moves an entry to the trash, from where it can be restored.
    ///
    /// # Errors
    /// [`Error::NotFound`] if there is no such entry; [`Error::Invalid`] if it is already in
    /// the trash.
    pub fn trash_entry(&self, id: Uuid) -> Result<()> {
        self.set_trashed(id, true)
    }

    /// Brings an entry back from the trash.
    ///
    /// # Errors
    /// [`Error::NotFound`] if there is no such entry; [`Error::Invalid`] if it is not in the
    /// trash.
    pub fn restore_entry(&self, id: Uuid) -> Result<()> {
        self.set_trashed(id, false)
    }

    fn set_trashed(&self, id: Uuid, trashed: bool) -> Result<()> {
        self.write(|tx| {
            let entry = load_entry(tx, &id.to_string())?;
            match (trashed, entry.deleted_at.is_some()) {
                (true, true) => return Err(Error::invalid("entry", "is already in the trash")),
                (false, false) => return Err(Error::invalid("entry", "is not in the trash")),
                _ => {}
            }
            // deleted_at is when it went to the trash (the 30 days count from then);
            // updated_at only has to be later than the copy it replaces.
            let ts = next_update(entry.updated_at);
            let deleted_at = now().min(ts);
            tx.prepare_cached("UPDATE entries SET deleted_at = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![
                    id.to_string(),
                    trashed.then(|| format_ts(&deleted_at)),
                    format_ts(&ts)
                ])?;
            Ok(())
        })
    }

    /// Saves what the editor holds into an entry and forgets the drafts that this save makes
    /// redundant, in one transaction: a draft kept after the editor read its content (newer
    /// typing) survives.
    ///
    /// # Errors
    /// As [`Store::update_entry`].
    pub fn save_from_editor(
        &self,
        id: Uuid,
        input: &EntryInput,
        read_at: chrono::DateTime<Utc>,
    ) -> Result<Entry> {
        let input = input.validated()?;
        self.write(|tx| {
            let existing = load_entry(tx, &id.to_string())?;
            let entry = Entry {
                deleted_at: existing.deleted_at,
                ..entry_from_input(
                    id,
                    &input,
                    existing.created_at,
                    next_update(existing.updated_at),
                )
            };
            update_entry_row(tx, &entry)?;
            tx.prepare_cached("DELETE FROM drafts WHERE key = ?1 AND saved_at <= ?2")?
                .execute(params![id.to_string(), format_ts(&read_at)])?;
            load_entry(tx, &id.to_string())
        })
    }

    /// Erases a trashed entry and its attachments for good (`secure_delete` overwrites them).
    ///
    /// # Errors
    /// [`Error::NotFound`] if there is no such entry; [`Error::Invalid`] if it is not in the
    /// trash (trash it first).
    pub fn purge_entry(&self, id: Uuid) -> Result<()> {
        self.write(|tx| {
            let entry = load_entry(tx, &id.to_string())?;
            if entry.deleted_at.is_none() {
                return Err(Error::invalid(
                    "entry",
                    "only entries in the trash can be deleted permanently",
                ));
            }
            tx.prepare_cached("DELETE FROM entries WHERE id = ?1")?
                .execute([id.to_string()])?;
            drop_unused_tags(tx)
        })
    }

    /// Erases every entry that has been in the trash longer than `days`; returns how many.
    pub fn empty_trash(&self, days: u32) -> Result<usize> {
        let cutoff = format_ts(&(now() - chrono::Duration::days(i64::from(days))));
        self.write(|tx| {
            let n = tx
                .prepare_cached(
                    "DELETE FROM entries WHERE deleted_at IS NOT NULL AND deleted_at <= ?1",
                )?
                .execute([cutoff])?;
            drop_unused_tags(tx)?;
            Ok(n)
        })
    }

    /// One page of the timeline (or the trash), newest first.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a cursor that did not come from this listing.
    pub fn list_entries(&self, filter: &EntryFilter) -> Result<Page<EntrySummary>> {
        let limit = filter.page_size();
        let (mut sql, mut args) = filter_sql(filter, "e")?;
        let key = if filter.trash {
            "e.deleted_at"
        } else {
            "e.occurred_on"
        };
        let cursor = filter
            .cursor
            .as_deref()
            .map(EntryCursor::decode)
            .transpose()?;
        self.read(|tx| {
            if let Some((clause, tag)) = rare_tag_clause(tx, filter)? {
                sql.push_str(&clause);
                args.push(tag);
            }
            if let Some(c) = cursor {
                sql.push_str(&format!(" AND ({key} < ? OR ({key} = ? AND e.id < ?))"));
                args.extend([Value::Text(c.key.clone()), Value::Text(c.key), Value::Text(c.id)]);
            }
            let query = format!(
                "SELECT e.id, e.kind, e.title, e.occurred_on, t.name, e.tag_text, substr(e.body, 1, 800),
                        e.starred, e.updated_at, e.deleted_at
                   FROM entries e LEFT JOIN templates t ON t.id = e.template_id
                  WHERE {sql}
                  ORDER BY {key} DESC, e.id DESC
                  LIMIT {}",
                limit + 1
            );
            let mut stmt = tx.prepare_cached(&query)?;
            let mut items = stmt
                .query_map(rusqlite::params_from_iter(args.iter()), summary_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let next = if items.len() > limit as usize {
                items.truncate(limit as usize);
                items.last().map(|last| {
                    let key = if filter.trash {
                        last.deleted_at.map(|d| format_ts(&d)).unwrap_or_default()
                    } else {
                        last.occurred_on.to_string()
                    };
                    EntryCursor { key, id: last.id.to_string() }.encode()
                })
            } else {
                None
            };
            Ok(Page { items, next })
        })
    }

    /// How many entries match the filter (ignoring its cursor and limit).
    pub fn count_entries(&self, filter: &EntryFilter) -> Result<u64> {
        let (mut sql, mut args) = filter_sql(filter, "e")?;
        self.read(|tx| {
            if let Some((clause, tag)) = rare_tag_clause(tx, filter)? {
                sql.push_str(&clause);
                args.push(tag);
            }
            let mut stmt =
                tx.prepare_cached(&format!("SELECT count(*) FROM entries e WHERE {sql}"))?;
            Ok(
                stmt.query_row(rusqlite::params_from_iter(args.iter()), |r| {
                    r.get::<_, i64>(0)
                })? as u64,
            )
        })
    }

    /// Every entry id, live and trashed, oldest first (for exports).
    pub fn all_entry_ids(&self) -> Result<Vec<Uuid>> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached("SELECT id FROM entries ORDER BY id")?;
            let ids = stmt
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            ids.iter().map(|i| parse_uuid("entries.id", i)).collect()
        })
    }
}

/// The WHERE clause (without `WHERE`) and its arguments for a filter; `e` is the entries alias.
pub(crate) fn filter_sql(filter: &EntryFilter, e: &str) -> Result<(String, Vec<Value>)> {
    let mut sql = String::from(if filter.trash {
        "e.deleted_at IS NOT NULL"
    } else {
        "e.deleted_at IS NULL"
    });
    let mut args: Vec<Value> = Vec::new();
    for tag in &filter.tags {
        let tag = crate::model::normalise_tag(tag)?;
        // A probe per entry, so that the timeline can be walked in order and stop after a page
        // (an `IN` list would make SQLite fetch and sort every tagged entry first); see
        // `rare_tag_clause` for the tags where that list is the better start.
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM entry_tags et WHERE et.entry_id = e.id AND et.tag_id = (SELECT id FROM tags WHERE name = ?))",
        );
        args.push(Value::Text(tag));
    }
    if let Some(kind) = filter.kind {
        sql.push_str(" AND e.kind = ?");
        args.push(Value::Text(kind.as_str().to_owned()));
    }
    if let Some(template) = &filter.template {
        sql.push_str(" AND e.template_id = (SELECT id FROM templates WHERE id = ? OR key = ?)");
        args.push(Value::Text(template.clone()));
        args.push(Value::Text(template.to_ascii_lowercase()));
    }
    if let Some(rel) = filter.relationship {
        sql.push_str(
            " AND e.id IN (SELECT entry_id FROM entry_relationships WHERE relationship_id = ?)",
        );
        args.push(Value::Text(rel.to_string()));
    }
    if let Some(since) = filter.since {
        sql.push_str(" AND e.occurred_on >= ?");
        args.push(Value::Text(since.to_string()));
    }
    if let Some(until) = filter.until {
        sql.push_str(" AND e.occurred_on <= ?");
        args.push(Value::Text(until.to_string()));
    }
    if let (Some(s), Some(u)) = (filter.since, filter.until) {
        if u < s {
            return Err(Error::invalid(
                "until",
                format!("{u} is before since ({s})"),
            ));
        }
    }
    if filter.starred {
        sql.push_str(" AND e.starred = 1");
    }
    Ok((sql.replace("e.", &format!("{e}.")), args))
}

/// For a filter with tags, when the rarest of them is on at most [`RARE_TAG_USES`] entries, an
/// extra ` AND e.id IN (…)` clause and its argument naming that tag, so that SQLite starts from
/// the tag's entries rather than walking the timeline. It repeats a condition `filter_sql`
/// already has, so it changes the plan, never the rows.
fn rare_tag_clause(tx: &Transaction<'_>, filter: &EntryFilter) -> Result<Option<(String, Value)>> {
    let mut rarest: Option<(i64, String)> = None;
    for tag in &filter.tags {
        let tag = crate::model::normalise_tag(tag)?;
        let uses: i64 = tx
            .prepare_cached(
                "SELECT count(*) FROM (SELECT 1 FROM entry_tags
                  WHERE tag_id = (SELECT id FROM tags WHERE name = ?1) LIMIT ?2)",
            )?
            .query_row(params![tag, RARE_TAG_USES + 1], |r| r.get(0))?;
        if rarest.as_ref().is_none_or(|(fewest, _)| uses < *fewest) {
            rarest = Some((uses, tag));
        }
    }
    Ok(rarest.filter(|(uses, _)| *uses <= RARE_TAG_USES).map(|(_, tag)| {
        (
            " AND e.id IN (SELECT entry_id FROM entry_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?))"
                .to_owned(),
            Value::Text(tag),
        )
    }))
}

pub(crate) fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<EntrySummary> {
    let tags: String = r.get(5)?;
    let body: String = r.get(6)?;
    Ok(EntrySummary {
        id: col_uuid(r, 0)?,
        kind: col_parse(r, 1)?,
        title: r.get(2)?,
        occurred_on: col_date(r, 3)?,
        template_name: r.get(4)?,
        tags: tags
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        excerpt: crate::render::plain_text(&body, EXCERPT_CHARS),
        starred: r.get(7)?,
        updated_at: col_ts(r, 8)?,
        deleted_at: col_opt_ts(r, 9)?,
    })
}

pub(crate) fn entry_from_input(
    id: Uuid,
    input: &EntryInput,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
) -> Entry {
    Entry {
        id,
        kind: input.kind,
        title: input.title.clone(),
        body: input.body.clone(),
        occurred_on: input
            .occurred_on
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        occurred_time: input.occurred_time,
        template_id: input.template_id,
        starred: input.starred,
        tags: input.tags.clone(),
        session: input.session.clone(),
        linked_entries: input.linked_entries.clone(),
        linked_cpd: input.linked_cpd.clone(),
        linked_relationships: input.linked_relationships.clone(),
        attachments: Vec::new(),
        created_at: created,
        updated_at: updated,
        deleted_at: None,
    }
}

/// Inserts a whole entry (new, or from an import) with its tags and links.
pub(crate) fn insert_entry(tx: &Transaction<'_>, entry: &Entry) -> Result<()> {
    let tags = ensure_tags(tx, &entry.tags)?;
    let s = entry.session.clone().unwrap_or_default();
    check_template(tx, entry.template_id)?;
    tx.prepare_cached(
        "INSERT INTO entries (id, kind, title, body, occurred_on, occurred_time, template_id, starred,
                              setting, group_name, age_range, participants, duration_minutes, activities,
                              tag_text, created_at, updated_at, deleted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        entry.id.to_string(),
        entry.kind.as_str(),
        entry.title,
        entry.body,
        entry.occurred_on.to_string(),
        entry.occurred_time.map(|t| t.format("%H:%M:%S").to_string()),
        entry.template_id.map(|t| t.to_string()),
        entry.starred,
        s.setting,
        s.group,
        s.age_range,
        s.participants,
        s.duration_minutes,
        s.activities,
        tag_text(&tags),
        format_ts(&entry.created_at),
        format_ts(&entry.updated_at),
        entry.deleted_at.map(|d| format_ts(&d)),
    ])?;
    write_entry_links(tx, entry, &tags)
}

/// Rewrites an existing entry's row, tags and links (attachments are left alone).
pub(crate) fn update_entry_row(tx: &Transaction<'_>, entry: &Entry) -> Result<()> {
    let tags = ensure_tags(tx, &entry.tags)?;
    let s = entry.session.clone().unwrap_or_default();
    check_template(tx, entry.template_id)?;
    let n = tx
        .prepare_cached(
            "UPDATE entries SET kind = ?2, title = ?3, body = ?4, occurred_on = ?5, occurred_time = ?6,
                    template_id = ?7, starred = ?8, setting = ?9, group_name = ?10, age_range = ?11,
                    participants = ?12, duration_minutes = ?13, activities = ?14, tag_text = ?15,
                    created_at = ?16, updated_at = ?17, deleted_at = ?18
              WHERE id = ?1",
        )?
        .execute(params![
            entry.id.to_string(),
            entry.kind.as_str(),
            entry.title,
            entry.body,
            entry.occurred_on.to_string(),
            entry.occurred_time.map(|t| t.format("%H:%M:%S").to_string()),
            entry.template_id.map(|t| t.to_string()),
            entry.starred,
            s.setting,
            s.group,
            s.age_range,
            s.participants,
            s.duration_minutes,
            s.activities,
            tag_text(&tags),
            format_ts(&entry.created_at),
            format_ts(&entry.updated_at),
            entry.deleted_at.map(|d| format_ts(&d)),
        ])?;
    if n == 0 {
        return Err(Error::NotFound {
            entity: "entry",
            id: entry.id.to_string(),
        });
    }
    let id = entry.id.to_string();
    for sql in [
        "DELETE FROM entry_tags WHERE entry_id = ?1",
        "DELETE FROM entry_links WHERE from_id = ?1",
        "DELETE FROM entry_cpd WHERE entry_id = ?1",
        "DELETE FROM entry_relationships WHERE entry_id = ?1",
    ] {
        tx.prepare_cached(sql)?.execute([&id])?;
    }
    write_entry_links(tx, entry, &tags)?;
    drop_unused_tags(tx)
}

fn check_template(tx: &Transaction<'_>, template: Option<Uuid>) -> Result<()> {
    if let Some(t) = template {
        exists(tx, "templates", "template", t)?;
    }
    Ok(())
}

/// Fails with [`Error::NotFound`] unless `table` has a row with this id.
pub(crate) fn exists(
    tx: &Transaction<'_>,
    table: &str,
    entity: &'static str,
    id: Uuid,
) -> Result<()> {
    let found: Option<i64> = tx
        .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    found.map(|_| ()).ok_or(Error::NotFound {
        entity,
        id: id.to_string(),
    })
}

fn write_entry_links(tx: &Transaction<'_>, entry: &Entry, tags: &[(String, String)]) -> Result<()> {
    let id = entry.id.to_string();
    for (pos, (tag_id, _)) in tags.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO entry_tags (entry_id, tag_id, position) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, tag_id, pos as i64])?;
    }
    for (pos, to) in entry.linked_entries.iter().enumerate() {
        if *to == entry.id {
            return Err(Error::invalid(
                "linked_entries",
                "an entry cannot link to itself",
            ));
        }
        exists(tx, "entries", "entry", *to)?;
        tx.prepare_cached(
            "INSERT INTO entry_links (from_id, to_id, position) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, to.to_string(), pos as i64])?;
    }
    for (pos, cpd) in entry.linked_cpd.iter().enumerate() {
        exists(tx, "cpd_activities", "CPD activity", *cpd)?;
        tx.prepare_cached(
            "INSERT INTO entry_cpd (entry_id, cpd_id, position) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, cpd.to_string(), pos as i64])?;
    }
    for (pos, rel) in entry.linked_relationships.iter().enumerate() {
        exists(tx, "relationships", "relationship", *rel)?;
        tx.prepare_cached("INSERT INTO entry_relationships (entry_id, relationship_id, position) VALUES (?1, ?2, ?3)")?
            .execute(params![id, rel.to_string(), pos as i64])?;
    }
    Ok(())
}

/// Loads a whole entry by id.
pub(crate) fn load_entry(tx: &Transaction<'_>, id: &str) -> Result<Entry> {
    let mut entry = tx
        .prepare_cached(
            "SELECT id, kind, title, body, occurred_on, occurred_time, template_id, starred,
                    setting, group_name, age_range, participants, duration_minutes, activities,
                    created_at, updated_at, deleted_at
               FROM entries WHERE id = ?1",
        )?
        .query_row([id], |r| {
            let session = SessionFacts {
                setting: r.get(8)?,
                group: r.get(9)?,
                age_range: r.get(10)?,
                participants: r.get(11)?,
                duration_minutes: r.get(12)?,
                activities: r.get(13)?,
            };
            Ok(Entry {
                id: col_uuid(r, 0)?,
                kind: col_parse::<EntryKind>(r, 1)?,
                title: r.get(2)?,
                body: r.get(3)?,
                occurred_on: col_date(r, 4)?,
                occurred_time: match r.get::<_, Option<String>>(5)? {
                    Some(t) => Some(
                        NaiveTime::parse_from_str(&t, "%H:%M:%S").map_err(|e| conv_err(5, e))?,
                    ),
                    None => None,
                },
                template_id: col_opt_uuid(r, 6)?,
                starred: r.get(7)?,
                tags: Vec::new(),
                session: (!session.is_empty()).then_some(session),
                linked_entries: Vec::new(),
                linked_cpd: Vec::new(),
                linked_relationships: Vec::new(),
                attachments: Vec::new(),
                created_at: col_ts(r, 14)?,
                updated_at: col_ts(r, 15)?,
                deleted_at: col_opt_ts(r, 16)?,
            })
        })
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "entry",
            id: id.to_owned(),
        })?;
    entry.tags = strings(tx, "SELECT t.name FROM entry_tags et JOIN tags t ON t.id = et.tag_id WHERE et.entry_id = ?1 ORDER BY et.position", id)?;
    entry.linked_entries = uuids(
        tx,
        "SELECT to_id FROM entry_links WHERE from_id = ?1 ORDER BY position",
        id,
    )?;
    entry.linked_cpd = uuids(
        tx,
        "SELECT cpd_id FROM entry_cpd WHERE entry_id = ?1 ORDER BY position",
        id,
    )?;
    entry.linked_relationships = uuids(
        tx,
        "SELECT relationship_id FROM entry_relationships WHERE entry_id = ?1 ORDER BY position",
        id,
    )?;
    entry.attachments = super::attachments::attachments_of(tx, "entry_id", id)?;
    Ok(entry)
}

pub(crate) fn strings(tx: &Transaction<'_>, sql: &str, id: &str) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let out = stmt
        .query_map([id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(out)
}

pub(crate) fn uuids(tx: &Transaction<'_>, sql: &str, id: &str) -> Result<Vec<Uuid>> {
    strings(tx, sql, id)?
        .iter()
        .map(|s| parse_uuid(sql, s))
        .collect()
}

fn parse_uuid(what: &str, s: &str) -> Result<Uuid> {
    Uuid::parse_str(s)
        .map_err(|_| Error::invalid("id", format!("stored id {s:?} in {what} is not a UUID")))
}

fn conv_err(col: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e))
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct BadColumn(String);

/// Reads a UUID column.
pub(crate) fn col_uuid(r: &Row<'_>, i: usize) -> rusqlite::Result<Uuid> {
    let s: String = r.get(i)?;
    Uuid::parse_str(&s).map_err(|e| conv_err(i, e))
}

/// Reads an optional UUID column.
pub(crate) fn col_opt_uuid(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<Uuid>> {
    match r.get::<_, Option<String>>(i)? {
        Some(s) => Uuid::parse_str(&s).map(Some).map_err(|e| conv_err(i, e)),
        None => Ok(None),
    }
}

/// Reads a `YYYY-MM-DD` column.
pub(crate) fn col_date(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    let s: String = r.get(i)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| conv_err(i, e))
}

/// Reads an optional `YYYY-MM-DD` column.
pub(crate) fn col_opt_date(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match r.get::<_, Option<String>>(i)? {
        Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Some)
            .map_err(|e| conv_err(i, e)),
        None => Ok(None),
    }
}

/// Reads a timestamp column.
pub(crate) fn col_ts(r: &Row<'_>, i: usize) -> rusqlite::Result<DateTime<Utc>> {
    let s: String = r.get(i)?;
    parse_ts(&s).ok_or_else(|| conv_err(i, BadColumn(format!("bad timestamp {s:?}"))))
}

/// Reads an optional timestamp column.
pub(crate) fn col_opt_ts(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match r.get::<_, Option<String>>(i)? {
        Some(s) => parse_ts(&s)
            .map(Some)
            .ok_or_else(|| conv_err(i, BadColumn(format!("bad timestamp {s:?}")))),
        None => Ok(None),
    }
}

/// Reads a column holding one of the model's string enums.
pub(crate) fn col_parse<T: std::str::FromStr>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    s.parse::<T>()
        .map_err(|_| conv_err(i, BadColumn(format!("unknown value {s:?}"))))
}
