//! People, relationships, mentoring session notes and actions.

use super::entries::{
    col_date, col_opt_date, col_opt_uuid, col_parse, col_ts, col_uuid, exists, uuids,
};
use super::Store;
use crate::error::{Error, Result};
use crate::model::{
    format_ts, new_id, next_update, now, Action, ActionInput, Member, MentoringSession,
    MentoringSessionInput, Person, PersonInput, Relationship, RelationshipInput,
};
use rusqlite::{params, OptionalExtension, Transaction};
use uuid::Uuid;

const PERSON_COLS: &str =
    "id, display_name, contact, role_words, is_owner, notes, created_at, updated_at";
const REL_COLS: &str =
    "id, kind, name, purpose, started_on, ended_on, status, created_at, updated_at";
const SESSION_COLS: &str =
    "id, relationship_id, held_on, duration_minutes, notes, created_at, updated_at";
const ACTION_COLS: &str =
    "id, title, detail, owner_id, due_on, status, source, source_entry_id, source_session_id, created_at, updated_at";

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
            let old = load_person(tx, id)?;
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
        self.read(|tx| {
            Ok(tx
                .prepare_cached(&format!(
                    "SELECT {PERSON_COLS} FROM people WHERE is_owner = 1"
                ))?
                .query_row([], person_from_row)
                .optional()?)
        })
    }

    /// Creates or changes the journal owner's profile.
    pub fn set_owner(&self, input: &PersonInput) -> Result<Person> {
        let input = input.validated()?;
        self.write(|tx| {
            let existing = tx
                .prepare_cached(&format!(
                    "SELECT {PERSON_COLS} FROM people WHERE is_owner = 1"
                ))?
                .query_row([], person_from_row)
                .optional()?;
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
        self.read(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {PERSON_COLS} FROM people ORDER BY is_owner DESC, lower(display_name), id"
            ))?;
            let out = stmt
                .query_map([], person_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(out)
        })
    }

    /// Creates a relationship.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the roles do not fit its shape; [`Error::NotFound`] for an
    /// unknown member.
    pub fn create_relationship(&self, input: &RelationshipInput) -> Result<Relationship> {
        let input = input.validated()?;
        let ts = now();
        let r = Relationship {
            id: new_id(),
            kind: input.kind,
            name: input.name,
            purpose: input.purpose,
            started_on: input.started_on,
            ended_on: input.ended_on,
            status: input.status,
            members: input.members,
            created_at: ts,
            updated_at: ts,
        };
        self.write(|tx| upsert_relationship(tx, &r))?;
        Ok(r)
    }

    /// Changes a relationship.
    pub fn update_relationship(&self, id: Uuid, input: &RelationshipInput) -> Result<Relationship> {
        let input = input.validated()?;
        self.write(|tx| {
            let old = load_relationship(tx, id)?;
            let r = Relationship {
                kind: input.kind,
                name: input.name.clone(),
                purpose: input.purpose.clone(),
                started_on: input.started_on,
                ended_on: input.ended_on,
                status: input.status,
                members: input.members.clone(),
                updated_at: next_update(old.updated_at),
                ..old
            };
            upsert_relationship(tx, &r)?;
            Ok(r)
        })
    }

    /// Every relationship, active first, then by name.
    pub fn list_relationships(&self) -> Result<Vec<Relationship>> {
        self.read(|tx| {
            let ids = ids(
                tx,
                "SELECT id FROM relationships ORDER BY status <> 'active', lower(name), id",
            )?;
            ids.into_iter()
                .map(|id| load_relationship(tx, id))
                .collect()
        })
    }

    /// One relationship.
    pub fn get_relationship(&self, id: Uuid) -> Result<Relationship> {
        self.read(|tx| load_relationship(tx, id))
    }

    /// Records a mentoring session.
    pub fn create_session(&self, input: &MentoringSessionInput) -> Result<MentoringSession> {
        let input = input.validated()?;
        let ts = now();
        let s = MentoringSession {
            id: new_id(),
            relationship_id: input.relationship_id,
            held_on: input.held_on,
            duration_minutes: input.duration_minutes,
            notes: input.notes,
            attendees: input.attendees,
            created_at: ts,
            updated_at: ts,
        };
        self.write(|tx| upsert_session(tx, &s))?;
        Ok(s)
    }

    /// Session notes, newest first; of one relationship when given.
    pub fn list_sessions(&self, relationship: Option<Uuid>) -> Result<Vec<MentoringSession>> {
        self.read(|tx| {
            let ids = match relationship {
                Some(r) => uuids(tx, "SELECT id FROM mentoring_sessions WHERE relationship_id = ?1 ORDER BY held_on DESC, id DESC", &r.to_string())?,
                None => ids(tx, "SELECT id FROM mentoring_sessions ORDER BY held_on DESC, id DESC")?,
            };
            ids.into_iter().map(|id| load_session(tx, id)).collect()
        })
    }

    /// Records an action or goal.
    pub fn create_action(&self, input: &ActionInput) -> Result<Action> {
        let input = input.validated()?;
        let ts = now();
        let a = Action {
            id: new_id(),
            title: input.title,
            detail: input.detail,
            owner_id: input.owner_id,
            due_on: input.due_on,
            status: input.status,
            source: input.source,
            source_entry_id: input.source_entry_id,
            source_session_id: input.source_session_id,
            created_at: ts,
            updated_at: ts,
        };
        self.write(|tx| upsert_action(tx, &a))?;
        Ok(a)
    }

    /// Changes an action (e.g. marks it done).
    pub fn update_action(&self, id: Uuid, input: &ActionInput) -> Result<Action> {
        let input = input.validated()?;
        self.write(|tx| {
            let old = load_action(tx, id)?;
            let a = Action {
                title: input.title.clone(),
                detail: input.detail.clone(),
                owner_id: input.owner_id,
                due_on: input.due_on,
                status: input.status,
                source: input.source,
                source_entry_id: input.source_entry_id,
                source_session_id: input.source_session_id,
                updated_at: next_update(old.updated_at),
                ..old
            };
            upsert_action(tx, &a)?;
            Ok(a)
        })
    }

    /// Removes a person who is in no relationship and attended no session; their actions
    /// keep their text but lose their owner.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Invalid`] for the journal's owner or someone still in a
    /// relationship or a session's attendance.
    pub fn delete_person(&self, id: Uuid) -> Result<()> {
        self.write(|tx| {
            let p = load_person(tx, id)?;
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

    /// Deletes a relationship with its session notes; actions agreed in them keep their text.
    pub fn delete_relationship(&self, id: Uuid) -> Result<()> {
        self.write(|tx| {
            load_relationship(tx, id)?;
            tx.prepare_cached("DELETE FROM relationships WHERE id = ?1")?
                .execute([id.to_string()])?;
            Ok(())
        })
    }

    /// Changes a mentoring session note.
    pub fn update_session(
        &self,
        id: Uuid,
        input: &MentoringSessionInput,
    ) -> Result<MentoringSession> {
        let input = input.validated()?;
        self.write(|tx| {
            let old = load_session(tx, id)?;
            let s = MentoringSession {
                relationship_id: input.relationship_id,
                held_on: input.held_on,
                duration_minutes: input.duration_minutes,
                notes: input.notes.clone(),
                attendees: input.attendees.clone(),
                updated_at: next_update(old.updated_at),
                ..old
            };
            upsert_session(tx, &s)?;
            Ok(s)
        })
    }

    /// Deletes a mentoring session note; actions agreed in it keep their text.
    pub fn delete_session(&self, id: Uuid) -> Result<()> {
        self.write(|tx| {
            load_session(tx, id)?;
            tx.prepare_cached("DELETE FROM mentoring_sessions WHERE id = ?1")?
                .execute([id.to_string()])?;
            Ok(())
        })
    }

    /// Deletes an action.
    pub fn delete_action(&self, id: Uuid) -> Result<()> {
        self.write(|tx| {
            load_action(tx, id)?;
            tx.prepare_cached("DELETE FROM actions WHERE id = ?1")?
                .execute([id.to_string()])?;
            Ok(())
        })
    }

    /// Actions, open ones first by due date.
    pub fn list_actions(&self) -> Result<Vec<Action>> {
        self.read(|tx| {
            let ids = ids(
                tx,
                "SELECT id FROM actions ORDER BY status IN ('done', 'dropped'), due_on IS NULL, due_on, id",
            )?;
            ids.into_iter().map(|id| load_action(tx, id)).collect()
        })
    }
}

fn ids(tx: &Transaction<'_>, sql: &str) -> Result<Vec<Uuid>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let out = stmt
        .query_map([], |r| col_uuid(r, 0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(out)
}

pub(crate) fn upsert_person(tx: &Transaction<'_>, p: &Person) -> Result<()> {
    if p.is_owner {
        // One owner per journal: an imported owner that differs from ours becomes a contact.
        let other: Option<String> = tx
            .prepare_cached("SELECT id FROM people WHERE is_owner = 1 AND id <> ?1")?
            .query_row([p.id.to_string()], |r| r.get(0))
            .optional()?;
        if other.is_some() {
            let demoted = Person {
                is_owner: false,
                ..p.clone()
            };
            return upsert_person(tx, &demoted);
        }
    }
    tx.prepare_cached(
        "INSERT INTO people (id, display_name, contact, role_words, is_owner, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, contact = excluded.contact,
             role_words = excluded.role_words, is_owner = excluded.is_owner, notes = excluded.notes,
             created_at = excluded.created_at, updated_at = excluded.updated_at",
    )?
    .execute(params![
        p.id.to_string(),
        p.display_name,
        p.contact,
        p.role_words,
        p.is_owner,
        p.notes,
        format_ts(&p.created_at),
        format_ts(&p.updated_at)
    ])?;
    Ok(())
}

pub(crate) fn load_person(tx: &Transaction<'_>, id: Uuid) -> Result<Person> {
    tx.prepare_cached(&format!("SELECT {PERSON_COLS} FROM people WHERE id = ?1"))?
        .query_row([id.to_string()], person_from_row)
        .optional()?
        .ok_or(Error::NotFound {
            entity: "person",
            id: id.to_string(),
        })
}

pub(crate) fn person_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Person> {
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

pub(crate) fn upsert_relationship(tx: &Transaction<'_>, r: &Relationship) -> Result<()> {
    for m in &r.members {
        exists(tx, "people", "person", m.person_id)?;
    }
    tx.prepare_cached(
        "INSERT INTO relationships (id, kind, name, purpose, started_on, ended_on, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, purpose = excluded.purpose,
             started_on = excluded.started_on, ended_on = excluded.ended_on, status = excluded.status,
             created_at = excluded.created_at, updated_at = excluded.updated_at",
    )?
    .execute(params![
        r.id.to_string(),
        r.kind.as_str(),
        r.name,
        r.purpose,
        r.started_on.map(|d| d.to_string()),
        r.ended_on.map(|d| d.to_string()),
        r.status.as_str(),
        format_ts(&r.created_at),
        format_ts(&r.updated_at)
    ])?;
    tx.prepare_cached("DELETE FROM relationship_members WHERE relationship_id = ?1")?
        .execute([r.id.to_string()])?;
    for (pos, m) in r.members.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO relationship_members (relationship_id, person_id, role, position) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![r.id.to_string(), m.person_id.to_string(), m.role.as_str(), pos as i64])?;
    }
    Ok(())
}

pub(crate) fn load_relationship(tx: &Transaction<'_>, id: Uuid) -> Result<Relationship> {
    let mut r = tx
        .prepare_cached(&format!(
            "SELECT {REL_COLS} FROM relationships WHERE id = ?1"
        ))?
        .query_row([id.to_string()], |r| {
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
        })
        .optional()?
        .ok_or(Error::NotFound {
            entity: "relationship",
            id: id.to_string(),
        })?;
    let mut stmt = tx.prepare_cached(
        "SELECT person_id, role FROM relationship_members WHERE relationship_id = ?1 ORDER BY position",
    )?;
    r.members = stmt
        .query_map([id.to_string()], |row| {
            Ok(Member {
                person_id: col_uuid(row, 0)?,
                role: col_parse(row, 1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(r)
}

pub(crate) fn upsert_session(tx: &Transaction<'_>, s: &MentoringSession) -> Result<()> {
    exists(tx, "relationships", "relationship", s.relationship_id)?;
    for p in &s.attendees {
        exists(tx, "people", "person", *p)?;
    }
    tx.prepare_cached(
        "INSERT INTO mentoring_sessions (id, relationship_id, held_on, duration_minutes, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET relationship_id = excluded.relationship_id, held_on = excluded.held_on,
             duration_minutes = excluded.duration_minutes, notes = excluded.notes,
             created_at = excluded.created_at, updated_at = excluded.updated_at",
    )?
    .execute(params![
        s.id.to_string(),
        s.relationship_id.to_string(),
        s.held_on.to_string(),
        s.duration_minutes,
        s.notes,
        format_ts(&s.created_at),
        format_ts(&s.updated_at)
    ])?;
    tx.prepare_cached("DELETE FROM session_attendees WHERE session_id = ?1")?
        .execute([s.id.to_string()])?;
    for (pos, p) in s.attendees.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO session_attendees (session_id, person_id, position) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![s.id.to_string(), p.to_string(), pos as i64])?;
    }
    Ok(())
}

pub(crate) fn load_session(tx: &Transaction<'_>, id: Uuid) -> Result<MentoringSession> {
    let mut s = tx
        .prepare_cached(&format!(
            "SELECT {SESSION_COLS} FROM mentoring_sessions WHERE id = ?1"
        ))?
        .query_row([id.to_string()], |r| {
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
        })
        .optional()?
        .ok_or(Error::NotFound {
            entity: "mentoring session",
            id: id.to_string(),
        })?;
    s.attendees = uuids(
        tx,
        "SELECT person_id FROM session_attendees WHERE session_id = ?1 ORDER BY position",
        &id.to_string(),
    )?;
    Ok(s)
}

pub(crate) fn upsert_action(tx: &Transaction<'_>, a: &Action) -> Result<()> {
    if let Some(p) = a.owner_id {
        exists(tx, "people", "person", p)?;
    }
    if let Some(e) = a.source_entry_id {
        exists(tx, "entries", "entry", e)?;
    }
    if let Some(s) = a.source_session_id {
        exists(tx, "mentoring_sessions", "mentoring session", s)?;
    }
    tx.prepare_cached(
        "INSERT INTO actions (id, title, detail, owner_id, due_on, status, source, source_entry_id, source_session_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, detail = excluded.detail, owner_id = excluded.owner_id,
             due_on = excluded.due_on, status = excluded.status, source = excluded.source,
             source_entry_id = excluded.source_entry_id, source_session_id = excluded.source_session_id,
             created_at = excluded.created_at, updated_at = excluded.updated_at",
    )?
    .execute(params![
        a.id.to_string(),
        a.title,
        a.detail,
        a.owner_id.map(|p| p.to_string()),
        a.due_on.map(|d| d.to_string()),
        a.status.as_str(),
        a.source.as_str(),
        a.source_entry_id.map(|e| e.to_string()),
        a.source_session_id.map(|s| s.to_string()),
        format_ts(&a.created_at),
        format_ts(&a.updated_at)
    ])?;
    Ok(())
}

pub(crate) fn load_action(tx: &Transaction<'_>, id: Uuid) -> Result<Action> {
    tx.prepare_cached(&format!("SELECT {ACTION_COLS} FROM actions WHERE id = ?1"))?
        .query_row([id.to_string()], |r| {
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
        })
        .optional()?
        .ok_or(Error::NotFound {
            entity: "action",
            id: id.to_string(),
        })
}
