//! Actions and goals: what someone agreed to do, with where it came from.

use super::row::{
    self, col_opt_date, col_opt_uuid, col_parse, col_ts, col_uuid, exists, opt_date_value,
    opt_uuid_value, ts_value, uuid_value, Record,
};
use super::Store;
use crate::error::Result;
use crate::model::{new_id, next_update, now, Action, ActionInput};
use rusqlite::types::Value;
use rusqlite::{Row, Transaction};
use uuid::Uuid;

impl Record for Action {
    const TABLE: &'static str = "actions";
    const ENTITY: &'static str = "action";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "title",
        "detail",
        "owner_id",
        "due_on",
        "status",
        "source",
        "source_entry_id",
        "source_session_id",
        "created_at",
        "updated_at",
    ];

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Action> {
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
    }

    fn params(&self) -> Vec<Value> {
        vec![
            uuid_value(self.id),
            self.title.clone().into(),
            self.detail.clone().into(),
            opt_uuid_value(self.owner_id),
            opt_date_value(self.due_on),
            Value::from(self.status.as_str().to_owned()),
            Value::from(self.source.as_str().to_owned()),
            opt_uuid_value(self.source_entry_id),
            opt_uuid_value(self.source_session_id),
            ts_value(&self.created_at),
            ts_value(&self.updated_at),
        ]
    }
}

impl Store {
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
            let old: Action = row::load(tx, id)?;
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
