//! Relationships: mentoring pairs, reciprocal peer pairs and groups, with their members.

use super::row::record;
use super::row::{self, col_parse, col_uuid, exists};
use super::Store;
use crate::error::Result;
use crate::model::{Member, Relationship, RelationshipInput};
use rusqlite::types::Value;
use rusqlite::{Row, Transaction};
use std::collections::HashMap;
use uuid::Uuid;

record!(
    Relationship,
    table "relationships",
    entity "relationship",
    columns [id, kind, name, purpose, started_on, ended_on, status, created_at, updated_at],
    empty [members],
    edited from RelationshipInput [kind, name, purpose, started_on, ended_on, status, members] |_old| {},
    saved by upsert_relationship,
    loaded by load_relationship,
    /// Creates a relationship.
    ///
    /// # Errors
    /// [`crate::Error::Invalid`] when the roles do not fit its shape;
    /// [`crate::Error::NotFound`] for an unknown member.
    created by create_relationship,
    /// Changes a relationship.
    updated by update_relationship
);

/// The members of every relationship (or of one), in their order.
const MEMBERS: &str = "SELECT relationship_id, person_id, role FROM relationship_members";

impl Store {
    /// Every relationship, active first, then by name.
    pub fn list_relationships(&self) -> Result<Vec<Relationship>> {
        self.read(|tx| {
            let ids = row::ids(
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

    /// Deletes a relationship with its session notes; actions agreed in them keep their text.
    pub fn delete_relationship(&self, id: Uuid) -> Result<()> {
        self.write(|tx| row::delete::<Relationship>(tx, id))
    }
}

fn member_from_row(r: &Row<'_>) -> rusqlite::Result<(Uuid, Member)> {
    Ok((
        col_uuid(r, 0)?,
        Member {
            person_id: col_uuid(r, 1)?,
            role: col_parse(r, 2)?,
        },
    ))
}

/// Adds or replaces a relationship and its members.
pub(crate) fn upsert_relationship(tx: &Transaction<'_>, r: &Relationship) -> Result<()> {
    for m in &r.members {
        exists(tx, "people", "person", m.person_id)?;
    }
    row::upsert(tx, r)?;
    row::replace_children(
        tx,
        ("relationship_members", "relationship_id"),
        r.id,
        &["person_id", "role"],
        r.members.iter().map(|m| {
            vec![
                row::uuid_value(m.person_id),
                Value::Text(m.role.as_str().to_owned()),
            ]
        }),
    )?;
    Ok(())
}

/// One relationship with its members.
pub(crate) fn load_relationship(tx: &Transaction<'_>, id: Uuid) -> Result<Relationship> {
    let mut r: Relationship = row::load(tx, id)?;
    let mut stmt = tx.prepare_cached(&format!(
        "{MEMBERS} WHERE relationship_id = ?1 ORDER BY position"
    ))?;
    r.members = stmt
        .query_map([id.to_string()], |row| Ok(member_from_row(row)?.1))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(r)
}

/// Every relationship with its members, by id (for exports).
pub(crate) fn all_relationships(tx: &Transaction<'_>) -> Result<Vec<Relationship>> {
    let mut members: HashMap<Uuid, Vec<Member>> = HashMap::new();
    {
        let mut stmt = tx.prepare_cached(&format!(
            "{MEMBERS} ORDER BY relationship_id, position, person_id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (rel, member) = member_from_row(r)?;
            members.entry(rel).or_default().push(member);
        }
    }
    let mut out: Vec<Relationship> = row::load_all(tx, "ORDER BY id", [])?;
    for rel in &mut out {
        rel.members = members.remove(&rel.id).unwrap_or_default();
    }
    Ok(out)
}
