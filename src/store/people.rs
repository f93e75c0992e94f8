//! People: the network the journal's owner works with, and the owner's own profile.

use super::row::{self, col_ts, col_uuid, ts_value, uuid_value, Record};
use super::Store;
use crate::error::{Error, Result};
use crate::model::{new_id, next_update, now, Person, PersonInput};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, Transaction};
use uuid::Uuid;

impl Record for Person {
    const TABLE: &'static str = "people";
    const ENTITY: &'static str = "person";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "display_name",
        "contact",
        "role_words",
        "is_owner",
        "notes",
        "created_at",
        "updated_at",
    ];

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Person> {
        Ok(Person {
            id: col_uuid(r, 0)?,
            display_name: r.get(1)?,
            contact: r.get(2)?,
            role_words: r.get(3)?,
            is_owner: r.get(4)?,
            notes: r.get(5)?,
            created_at: col_ts(r, 6)?,
            updated_at: col_ts(r, 7)?,
        })
    }

    fn params(&self) -> Vec<Value> {
        vec![
            uuid_value(self.id),
            self.display_name.clone().into(),
            self.contact.clone().into(),
            self.role_words.clone().into(),
            self.is_owner.into(),
            self.notes.clone().into(),
            ts_value(&self.created_at),
            ts_value(&self.updated_at),
        ]
    }
}

impl Store {
    /// Adds a person to the network.
    pub fn create_person(&self, input: &PersonInput) -> Result<Person> {
        let input = input.validated()?;
        let ts = now();
        let p = Person {
            id: new_id(),
            display_name: input.display_name,
            contact: input.contact,
            role_words: input.role_words,
            is_owner: false,
            notes: input.notes,
            created_at: ts,
            updated_at: ts,
        };
        self.write(|tx| upsert_person(tx, &p))?;
        Ok(p)
    }

    /// Changes what is noted about a person.
    pub fn update_person(&self, id: Uuid, input: &PersonInput) -> Result<Person> {
        let input = input.validated()?;
        self.write(|tx| {
            let old: Person = row::load(tx, id)?;
            let p = Person {
                display_name: input.display_name.clone(),
                contact: input.contact.clone(),
                role_words: input.role_words.clone(),
                notes: input.notes.clone(),
                updated_at: next_update(old.updated_at),
                ..old
            };
            upsert_person(tx, &p)?;
            Ok(p)
        })
    }

    /// The journal owner's profile, if it has been set up.
    pub fn owner(&self) -> Result<Option<Person>> {
        self.read(owner)
    }

    /// Creates or changes the journal owner's profile.
    pub fn set_owner(&self, input: &PersonInput) -> Result<Person> {
        let input = input.validated()?;
        self.write(|tx| {
            let existing = owner(tx)?;
            let ts = now();
            let p = Person {
                id: existing.as_ref().map_or_else(new_id, |e| e.id),
                display_name: input.display_name.clone(),
                contact: input.contact.clone(),
                role_words: input.role_words.clone(),
                is_owner: true,
                notes: input.notes.clone(),
                created_at: existing.as_ref().map_or(ts, |e| e.created_at),
                updated_at: existing.as_ref().map_or(ts, |e| next_update(e.updated_at)),
            };
            upsert_person(tx, &p)?;
            Ok(p)
        })
    }

    /// Everyone, the owner first, then by name.
    pub fn list_people(&self) -> Result<Vec<Person>> {
        self.read(|tx| row::load_all(tx, "ORDER BY is_owner DESC, lower(display_name), id", []))
    }

    /// Removes a person who is in no relationship and attended no session; their actions
    /// keep their text but lose their owner.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Invalid`] for the journal's owner or someone still in a
    /// relationship or a session's attendance.
    pub fn delete_person(&self, id: Uuid) -> Result<()> {
        self.write(|tx| {
            let p: Person = row::load(tx, id)?;
            if p.is_owner {
                return Err(Error::invalid("person", "the journal's owner cannot be removed; change the profile instead"));
            }
            let used: i64 = tx
                .prepare_cached(
                    "SELECT (SELECT count(*) FROM relationship_members WHERE person_id = ?1)
                          + (SELECT count(*) FROM session_attendees WHERE person_id = ?1)",
                )?
                .query_row([id.to_string()], |r| r.get(0))?;
            if used > 0 {
                return Err(Error::invalid(
                    "person",
                    format!("{} is in a relationship or a session's attendance; remove them there first", p.display_name),
                ));
            }
            tx.prepare_cached("DELETE FROM people WHERE id = ?1")?.execute([id.to_string()])?;
            Ok(())
        })
    }
}

fn owner(tx: &Transaction<'_>) -> Result<Option<Person>> {
    Ok(tx
        .prepare_cached(&row::select::<Person>("WHERE is_owner = 1"))?
        .query_row([], Person::from_row)
        .optional()?)
}

/// Adds or replaces a person. One owner per journal: an owner that differs from the journal's
/// own (say, from an imported file) is stored as an ordinary person.
pub(crate) fn upsert_person(tx: &Transaction<'_>, p: &Person) -> Result<()> {
    if p.is_owner {
        let other: Option<String> = tx
            .prepare_cached("SELECT id FROM people WHERE is_owner = 1 AND id <> ?1")?
            .query_row([p.id.to_string()], |r| r.get(0))
            .optional()?;
        if other.is_some() {
            let demoted = Person {
                is_owner: false,
                ..p.clone()
            };
            return row::upsert(tx, &demoted);
        }
    }
    row::upsert(tx, p)
}
