//! Actions and goals: what someone agreed to do, with where it came from.

use super::row::{self, exists};
use super::row::{from_input, record};
use super::Store;
use crate::error::Result;
use crate::model::{new_id, next_update, now, Action, ActionInput};
use rusqlite::Transaction;
use uuid::Uuid;

type Ts = chrono::DateTime<chrono::Utc>;

record!(
    Action,
    table "actions",
    entity "action",
    columns [
        id, title, detail, owner_id, due_on, status, source, source_entry_id, source_session_id,
        created_at, updated_at
    ]
);

impl Store {
    /// Records an action or goal.
    pub fn create_action(&self, input: &ActionInput) -> Result<Action> {
        let input = input.validated()?;
        let ts = now();
        let a = action(&input, new_id(), ts, ts);
        self.write(|tx| upsert_action(tx, &a))?;
        Ok(a)
    }

    /// Changes an action (e.g. marks it done).
    pub fn update_action(&self, id: Uuid, input: &ActionInput) -> Result<Action> {
        let input = input.validated()?;
        self.write(|tx| {
            let old: Action = row::load(tx, id)?;
            let a = action(&input, id, old.created_at, next_update(old.updated_at));
            upsert_action(tx, &a)?;
            Ok(a)
        })
    }

    /// Deletes an action.
    pub fn delete_action(&self, id: Uuid) -> Result<()> {
        self.write(|tx| {
            row::load::<Action>(tx, id)?;
            tx.prepare_cached("DELETE FROM actions WHERE id = ?1")?
                .execute([id.to_string()])?;
            Ok(())
        })
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

fn action(input: &ActionInput, id: Uuid, created_at: Ts, updated_at: Ts) -> Action {
    from_input!(Action from input [
        title, detail, owner_id, due_on, status, source, source_entry_id, source_session_id
    ] id, created_at, updated_at)
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
