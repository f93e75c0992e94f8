//! Actions and goals: what someone agreed to do, with where it came from.

use super::row::record;
use super::row::{self, exists};
use super::Store;
use crate::error::Result;
use crate::model::{Action, ActionInput};
use rusqlite::Transaction;
use uuid::Uuid;

record!(
    Action,
    table "actions",
    entity "action",
    columns [
        id, title, detail, owner_id, due_on, status, source, source_entry_id, source_session_id,
        created_at, updated_at
    ],
    edited from ActionInput [
        title, detail, owner_id, due_on, status, source, source_entry_id, source_session_id
    ] |_old| {},
    saved by upsert_action,
    /// Records an action or goal.
    created by create_action,
    /// Changes an action (e.g. marks it done).
    updated by update_action
);

impl Store {
    /// Deletes an action.
    pub fn delete_action(&self, id: Uuid) -> Result<()> {
        self.write(|tx| row::delete::<Action>(tx, id))
    }

    /// Actions, open ones first by due date.
    pub fn list_actions(&self) -> Result<Vec<Action>> {
        self.read(|tx| {
            row::load_all(
                tx,
                "ORDER BY status IN ('done', 'dropped'), due_on IS NULL, due_on, id",
                [],
            )
        })
    }
}

/// Adds or replaces an action whose owner and sources exist.
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
    row::upsert(tx, a)
}
