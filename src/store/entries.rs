//! Entries: create, read, update, trash, restore, and the timeline.

use super::row::{
    self, col_date, col_opt_time, col_opt_ts, col_opt_uuid, col_parse, col_ts, col_uuid, exists,
    from_input, opt_time_value, opt_ts_value, opt_uuid_value, ts_value, uuid_value, Record,
};
use super::tags::{drop_unused_tags, ensure_tags, tag_text_values, Tagged, TAG_TEXT};
use super::Store;
use crate::error::{Error, Result};
use crate::model::{format_ts, new_id, next_update, now, Entry, EntryInput, SessionFacts};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Row, Transaction};
use uuid::Uuid;

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
            replace_entry(tx, id, &input)?;
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
    /// With `based_on` (the `updated_at` the editor loaded), the save is refused with
    /// [`Error::Changed`] when someone else (the command line) has saved the entry since, so
    /// their change is never written over unasked.
    ///
    /// # Errors
    /// As [`Store::update_entry`]; [`Error::Changed`] as above.
    pub fn save_from_editor(
        &self,
        id: Uuid,
        input: &EntryInput,
        read_at: chrono::DateTime<Utc>,
        based_on: Option<chrono::DateTime<Utc>>,
    ) -> Result<Entry> {
        let input = input.validated()?;
        self.write(|tx| {
            if let Some(seen) = based_on {
                let now: Option<String> = tx
                    .prepare_cached("SELECT updated_at FROM entries WHERE id = ?1")?
                    .query_row([id.to_string()], |r| r.get(0))
                    .optional()?;
                if now.is_some_and(|now| now != format_ts(&seen)) {
                    return Err(Error::Changed {
                        entity: "entry",
                        id: id.to_string(),
                    });
                }
            }
            replace_entry(tx, id, &input)?;
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

    /// Every entry id, live and trashed, oldest first (for exports).
    pub fn all_entry_ids(&self) -> Result<Vec<Uuid>> {
        self.read(|tx| row::ids(tx, "SELECT id FROM entries ORDER BY id"))
    }
}

pub(crate) fn entry_from_input(
    id: Uuid,
    input: &EntryInput,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
) -> Entry {
    from_input!(Entry from input [
        kind, title, body, occurred_time, template_id, starred, tags, session, linked_entries,
        linked_cpd, linked_relationships
    ]
        id,
        occurred_on: input.occurred_on.unwrap_or_else(|| chrono::Local::now().date_naive()),
        attachments: Vec::new(),
        created_at,
        updated_at,
        deleted_at: None,
    )
}

impl Record for Entry {
    const TABLE: &'static str = "entries";
    const ENTITY: &'static str = "entry";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "kind",
        "title",
        "body",
        "occurred_on",
        "occurred_time",
        "template_id",
        "starred",
        "setting",
        "group_name",
        "age_range",
        "participants",
        "duration_minutes",
        "activities",
        "created_at",
        "updated_at",
        "deleted_at",
    ];

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Entry> {
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
            kind: col_parse(r, 1)?,
            title: r.get(2)?,
            body: r.get(3)?,
            occurred_on: col_date(r, 4)?,
            occurred_time: col_opt_time(r, 5)?,
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
    }

    fn params(&self) -> Vec<Value> {
        let s = self.session.clone().unwrap_or_default();
        vec![
            uuid_value(self.id),
            Value::from(self.kind.as_str().to_owned()),
            self.title.clone().into(),
            self.body.clone().into(),
            Value::Text(self.occurred_on.to_string()),
            opt_time_value(self.occurred_time),
            opt_uuid_value(self.template_id),
            self.starred.into(),
            s.setting.into(),
            s.group.into(),
            s.age_range.into(),
            s.participants.into(),
            s.duration_minutes.into(),
            s.activities.into(),
            ts_value(&self.created_at),
            ts_value(&self.updated_at),
            opt_ts_value(self.deleted_at.as_ref()),
        ]
    }

    fn id(&self) -> Uuid {
        self.id
    }

    fn stamps(&self) -> row::Stamps {
        (self.created_at, self.updated_at)
    }
}

/// Replaces what a person writes in an entry, keeping its id, creation time, trash state and
/// attachments.
fn replace_entry(tx: &Transaction<'_>, id: Uuid, input: &EntryInput) -> Result<()> {
    let existing = load_entry(tx, &id.to_string())?;
    let stamps = (existing.created_at, next_update(existing.updated_at));
    let entry = Entry {
        deleted_at: existing.deleted_at,
        ..entry_from_input(id, input, stamps.0, stamps.1)
    };
    update_entry_row(tx, &entry)
}

/// Inserts a whole entry (new, or from an import) with its tags and links.
pub(crate) fn insert_entry(tx: &Transaction<'_>, entry: &Entry) -> Result<()> {
    let tags = ensure_tags(tx, &entry.tags)?;
    check_template(tx, entry.template_id)?;
    let mut params = entry.params();
    params.extend(tag_text_values(&tags));
    tx.prepare_cached(&row::insert_sql(
        Entry::TABLE,
        &row::with_columns::<Entry>(TAG_TEXT),
    ))?
    .execute(rusqlite::params_from_iter(params))?;
    write_entry_links(tx, entry, &tags)
}

/// Rewrites an existing entry's row, tags and links (attachments are left alone).
pub(crate) fn update_entry_row(tx: &Transaction<'_>, entry: &Entry) -> Result<()> {
    let tags = ensure_tags(tx, &entry.tags)?;
    check_template(tx, entry.template_id)?;
    let mut params = entry.params();
    params.extend(tag_text_values(&tags));
    let n = tx
        .prepare_cached(&row::update_sql(
            Entry::TABLE,
            &row::with_columns::<Entry>(TAG_TEXT),
        ))?
        .execute(rusqlite::params_from_iter(params))?;
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

/// The tables that hold an entry's ordered lists, as `(table, entry column, target column)`:
/// tags, links to other entries, to CPD activities and to relationships.
pub(crate) const LINK_TABLES: [(&str, &str, &str); 3] = [
    ("entry_links", "from_id", "to_id"),
    ("entry_cpd", "entry_id", "cpd_id"),
    ("entry_relationships", "entry_id", "relationship_id"),
];

fn write_entry_links(tx: &Transaction<'_>, entry: &Entry, tags: &[(String, String)]) -> Result<()> {
    let id = entry.id.to_string();
    Tagged::Entry.write(tx, &id, tags, false)?;
    if entry.linked_entries.contains(&entry.id) {
        return Err(Error::invalid(
            "linked_entries",
            "an entry cannot link to itself",
        ));
    }
    let targets: [(&[Uuid], &str, &'static str); 3] = [
        (&entry.linked_entries, "entries", "entry"),
        (&entry.linked_cpd, "cpd_activities", "CPD activity"),
        (&entry.linked_relationships, "relationships", "relationship"),
    ];
    for ((list, table, entity), (link_table, from, to)) in targets.into_iter().zip(LINK_TABLES) {
        for (pos, target) in list.iter().enumerate() {
            exists(tx, table, entity, *target)?;
            tx.prepare_cached(&format!(
                "INSERT INTO {link_table} ({from}, {to}, position) VALUES (?1, ?2, ?3)"
            ))?
            .execute(params![id, target.to_string(), pos as i64])?;
        }
    }
    Ok(())
}

/// Loads a whole entry by id.
pub(crate) fn load_entry(tx: &Transaction<'_>, id: &str) -> Result<Entry> {
    let mut entry = tx
        .prepare_cached(&row::select::<Entry>("WHERE id = ?1"))?
        .query_row([id], Entry::from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "entry",
            id: id.to_owned(),
        })?;
    entry.tags = Tagged::Entry.names(tx, id)?;
    let [links, cpd, relationships] = LINK_TABLES.map(|(table, from, to)| {
        row::uuids(
            tx,
            &format!("SELECT {to} FROM {table} WHERE {from} = ?1 ORDER BY position"),
            id,
        )
    });
    entry.linked_entries = links?;
    entry.linked_cpd = cpd?;
    entry.linked_relationships = relationships?;
    entry.attachments = super::attachments::attachments_of(tx, "entry_id", id)?;
    Ok(entry)
}
