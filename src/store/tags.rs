//! Tags: labels shared by entries and CPD activities, matched without regard to case.

use super::Store;
use crate::error::Result;
use crate::model::{format_ts, new_id, now};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use std::collections::HashMap;

/// A tag and how many live entries and CPD activities carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TagCount {
    /// The tag, as first spelled.
    pub name: String,
    /// Entries (not in the trash) carrying it.
    pub entries: u32,
    /// CPD activities carrying it.
    pub cpd: u32,
}

impl Store {
    /// Every tag with its use counts, most used first.
    pub fn list_tags(&self) -> Result<Vec<TagCount>> {
        self.read(|tx| {
            // Count from the tag index and take away the (small) trash: correlated counts
            // joined to entries cost 0.4 s on a 50,000-entry journal. Without statistics SQLite
            // would still walk every tagged row for the trash part; the partial trash index
            // makes it start from the (small) trash instead (22 ms at 50,000 entries).
            let mut stmt = tx.prepare_cached(
                "SELECT t.name,
                        coalesce(used.n, 0) - coalesce(trashed.n, 0),
                        coalesce(cpd.n, 0)
                   FROM tags t
                   LEFT JOIN (SELECT tag_id, count(*) AS n FROM entry_tags GROUP BY tag_id) used
                          ON used.tag_id = t.id
                   LEFT JOIN (SELECT et.tag_id, count(*) AS n FROM entries e INDEXED BY entries_trash
                                JOIN entry_tags et ON et.entry_id = e.id
                               WHERE e.deleted_at IS NOT NULL GROUP BY et.tag_id) trashed
                          ON trashed.tag_id = t.id
                   LEFT JOIN (SELECT tag_id, count(*) AS n FROM cpd_tags GROUP BY tag_id) cpd
                          ON cpd.tag_id = t.id",
            )?;
            let mut tags = stmt
                .query_map([], |r| {
                    Ok(TagCount {
                        name: r.get(0)?,
                        entries: r.get(1)?,
                        cpd: r.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            tags.sort_by(|a, b| {
                (b.entries + b.cpd)
                    .cmp(&(a.entries + a.cpd))
                    .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            });
            Ok(tags)
        })
    }
}

/// Finds or creates each tag (matching case-insensitively) and returns `(id, name)` pairs in
/// order, without repeats; the stored spelling wins over the one given.
pub(crate) fn ensure_tags(tx: &Transaction<'_>, names: &[String]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let found: Option<(String, String)> = tx
            .prepare_cached("SELECT id, name FROM tags WHERE name = ?1")?
            .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let pair = match found {
            Some(pair) => pair,
            None => insert_tag(tx, name)?,
        };
        push_new(&mut out, pair);
    }
    Ok(out)
}

/// Every tag of the journal in memory, for writing many records at once (imports) without a
/// lookup per tag.
pub(crate) struct KnownTags(HashMap<String, (String, String)>);

impl KnownTags {
    /// Loads every tag.
    pub(crate) fn load(tx: &Transaction<'_>) -> Result<KnownTags> {
        let mut known = HashMap::new();
        let mut stmt = tx.prepare_cached("SELECT id, name FROM tags")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, name): (String, String) = (r.get(0)?, r.get(1)?);
            known.insert(nocase(&name), (id, name));
        }
        Ok(KnownTags(known))
    }

    /// As [`ensure_tags`], from memory.
    pub(crate) fn ensure(
        &mut self,
        tx: &Transaction<'_>,
        names: &[String],
    ) -> Result<Vec<(String, String)>> {
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            let pair = match self.0.get(&nocase(name)) {
                Some(pair) => pair.clone(),
                None => {
                    let pair = insert_tag(tx, name)?;
                    self.0.insert(nocase(name), pair.clone());
                    pair
                }
            };
            push_new(&mut out, pair);
        }
        Ok(out)
    }
}

/// The key under which the `tags` table's NOCASE collation (ASCII case only) matches names.
fn nocase(name: &str) -> String {
    name.to_ascii_lowercase()
}

fn insert_tag(tx: &Transaction<'_>, name: &str) -> Result<(String, String)> {
    let id = new_id().to_string();
    tx.prepare_cached(
        "INSERT INTO tags (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![id, name, format_ts(&now())])?;
    Ok((id, name.to_owned()))
}

fn push_new(out: &mut Vec<(String, String)>, pair: (String, String)) {
    if !out.iter().any(|(id, _)| *id == pair.0) {
        out.push(pair);
    }
}

/// Which records carry tags: the link table and its owner column.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Tagged {
    /// An entry (`entry_tags`).
    Entry,
    /// A CPD activity (`cpd_tags`).
    Cpd,
}

impl Tagged {
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Tagged::Entry => ("entry_tags", "entry_id"),
            Tagged::Cpd => ("cpd_tags", "cpd_id"),
        }
    }

    /// `(owner id, tag name)` for every tagged record, grouped by owner in order.
    pub(crate) fn all_names(
        self,
        tx: &Transaction<'_>,
    ) -> Result<HashMap<uuid::Uuid, Vec<String>>> {
        let (table, owner) = self.table();
        super::row::grouped_strings(
            tx,
            &format!(
                "SELECT x.{owner}, t.name FROM {table} x JOIN tags t ON t.id = x.tag_id
                  ORDER BY x.{owner}, x.position, t.name"
            ),
        )
    }

    /// The names of one record's tags, in order.
    pub(crate) fn names(self, tx: &Transaction<'_>, id: &str) -> Result<Vec<String>> {
        let (table, owner) = self.table();
        super::row::strings(
            tx,
            &format!(
                "SELECT t.name FROM {table} x JOIN tags t ON t.id = x.tag_id
                  WHERE x.{owner} = ?1 ORDER BY x.position"
            ),
            id,
        )
    }

    /// Gives a record these `(tag id, name)` tags in order, replacing any it had when
    /// `replace`.
    pub(crate) fn write(
        self,
        tx: &Transaction<'_>,
        id: &str,
        tags: &[(String, String)],
        replace: bool,
    ) -> Result<()> {
        let (table, owner) = self.table();
        if replace {
            tx.prepare_cached(&format!("DELETE FROM {table} WHERE {owner} = ?1"))?
                .execute([id])?;
        }
        let mut insert = tx.prepare_cached(&format!(
            "INSERT INTO {table} ({owner}, tag_id, position) VALUES (?1, ?2, ?3)"
        ))?;
        for (pos, (tag_id, _)) in tags.iter().enumerate() {
            insert.execute(params![id, tag_id, pos as i64])?;
        }
        Ok(())
    }
}

/// Removes tags that nothing carries any more.
pub(crate) fn drop_unused_tags(tx: &Transaction<'_>) -> Result<()> {
    tx.prepare_cached(
        "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM entry_tags)
                            AND id NOT IN (SELECT tag_id FROM cpd_tags)",
    )?
    .execute([])?;
    Ok(())
}

/// Columns derived from a record's tags, written beside its own: the tags as one string,
/// which listings and search read without a join.
pub(crate) const TAG_TEXT: &[&str] = &["tag_text"];

/// The values of [`TAG_TEXT`] for these stored `(id, name)` tags.
pub(crate) fn tag_text_values(tags: &[(String, String)]) -> Vec<rusqlite::types::Value> {
    vec![rusqlite::types::Value::Text(tag_text(tags))]
}

/// Joins tag names into the text the search index reads (names never contain spaces).
pub(crate) fn tag_text(tags: &[(String, String)]) -> String {
    tags.iter()
        .map(|(_, n)| n.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}
