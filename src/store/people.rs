//! People: the network the journal's owner works with, and the owner's own profile.

use super::row::record;
use super::row::{self, Editable, Record};
use super::Store;
use crate::error::{Error, Result};
use crate::model::{new_id, next_update, now, Person, PersonInput};
use rusqlite::{OptionalExtension, Transaction};
use uuid::Uuid;

record!(
    Person,
    table "people",
    entity "person",
    columns [id, display_name, contact, role_words, is_owner, notes, created_at, updated_at],
    edited from PersonInput [display_name, contact, role_words, notes] |old| {
        is_owner: old.is_some_and(|o| o.is_owner),
    },
    saved by upsert_person,
    /// Adds a person to the network.
    created by create_person,
    /// Changes what is noted about a person.
    updated by update_person
);

impl Store {
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
            let stamps = existing
                .as_ref()
                .map_or((ts, ts), |e| (e.created_at, next_update(e.updated_at)));
            let id = existing.as_ref().map_or_else(new_id, |e| e.id);
            let p = Person {
                is_owner: true,
                ..Person::build(&input, id, stamps, existing.as_ref())
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
            row::delete::<Person>(tx, id)
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
