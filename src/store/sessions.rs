//! Mentoring session notes: a meeting inside a relationship, with who attended.

use super::row::record;
use super::row::{self, exists};
use super::Store;
use crate::error::Result;
use crate::model::{MentoringSession, MentoringSessionInput};
use rusqlite::Transaction;
use uuid::Uuid;

record!(
    MentoringSession,
    table "mentoring_sessions",
    entity "mentoring session",
    columns [id, relationship_id, held_on, duration_minutes, notes, created_at, updated_at],
    empty [attendees],
    edited from MentoringSessionInput [relationship_id, held_on, duration_minutes, notes, attendees] |_old| {},
    saved by upsert_session,
    loaded by load_session,
    /// Records a mentoring session.
    created by create_session,
    /// Changes a mentoring session note.
    updated by update_session
);

impl Store {
    /// Session notes, newest first; of one relationship when given.
    pub fn list_sessions(&self, relationship: Option<Uuid>) -> Result<Vec<MentoringSession>> {
        self.read(|tx| {
            let ids = match relationship {
                Some(r) => row::uuids(tx, "SELECT id FROM mentoring_sessions WHERE relationship_id = ?1 ORDER BY held_on DESC, id DESC", &r.to_string())?,
                None => row::ids(tx, "SELECT id FROM mentoring_sessions ORDER BY held_on DESC, id DESC")?,
            };
            ids.into_iter().map(|id| load_session(tx, id)).collect()
        })
    }

    /// Deletes a mentoring session note; actions agreed in it keep their text.
    pub fn delete_session(&self, id: Uuid) -> Result<()> {
        self.write(|tx| row::delete::<MentoringSession>(tx, id))
    }
}

/// Adds or replaces a mentoring session and its attendees.
pub(crate) fn upsert_session(tx: &Transaction<'_>, s: &MentoringSession) -> Result<()> {
    exists(tx, "relationships", "relationship", s.relationship_id)?;
    for p in &s.attendees {
        exists(tx, "people", "person", *p)?;
    }
    row::upsert(tx, s)?;
    row::replace_children(
        tx,
        ("session_attendees", "session_id"),
        s.id,
        &["person_id"],
        s.attendees.iter().map(|p| vec![row::uuid_value(*p)]),
    )
}

/// One session note with its attendees.
pub(crate) fn load_session(tx: &Transaction<'_>, id: Uuid) -> Result<MentoringSession> {
    let mut s: MentoringSession = row::load(tx, id)?;
    s.attendees = row::uuids(
        tx,
        "SELECT person_id FROM session_attendees WHERE session_id = ?1 ORDER BY position",
        &id.to_string(),
    )?;
    Ok(s)
}

/// Every session note with its attendees, by id (for exports).
pub(crate) fn all_sessions(tx: &Transaction<'_>) -> Result<Vec<MentoringSession>> {
    let mut attendees = row::grouped_uuids(
        tx,
        "SELECT session_id, person_id FROM session_attendees ORDER BY session_id, position, person_id",
    )?;
    let mut out: Vec<MentoringSession> = row::load_all(tx, "ORDER BY id", [])?;
    for s in &mut out {
        s.attendees = attendees.remove(&s.id).unwrap_or_default();
    }
    Ok(out)
}
