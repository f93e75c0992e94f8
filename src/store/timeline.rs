//! The timeline and the trash: filtered, paged listings of entries, newest first.

use super::row::{col_date, col_opt_ts, col_parse, col_ts, col_uuid};
use super::Store;
use crate::error::{Error, Result};
use crate::model::{format_ts, EntryFilter, EntrySummary, Page, EXCERPT_SOURCE_CHARS};
use rusqlite::types::Value;
use rusqlite::{params, Row, Transaction};
use uuid::Uuid;

/// A tag on at most this many entries is rare: a query filtered by it starts from the tag's own
/// entries. Otherwise it walks the timeline and checks each entry, which finds a page of 20
/// after about `20 × entries ÷ uses` steps: quick for a common tag, a walk of the whole
/// journal for a tag used once (~30 ms at 50,000 entries, where starting from the tag takes
/// well under 1 ms). Starting from a tag instead costs a lookup and a sort per use (~9 µs), so
/// 500 keeps either way to a few milliseconds (docs/PERFORMANCE.md).
const RARE_TAG_USES: i64 = 500;

/// A position in the timeline: the last row of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryCursor {
    /// The sort key (`occurred_on`, or `deleted_at` in the trash).
    pub key: String,
    /// The id that breaks ties.
    pub id: String,
}

impl EntryCursor {
    fn encode(&self) -> String {
        format!("{}|{}", self.key, self.id)
    }

    fn decode(text: &str) -> Result<EntryCursor> {
        let bad = || {
            Error::invalid(
                "cursor",
                format!("{text:?} is not a cursor from a previous page"),
            )
        };
        let (key, id) = text.split_once('|').ok_or_else(bad)?;
        Uuid::parse_str(id).map_err(|_| bad())?;
        if key.is_empty() || key.len() > 40 {
            return Err(bad());
        }
        Ok(EntryCursor {
            key: key.to_owned(),
            id: id.to_owned(),
        })
    }
}

impl Store {
    /// One page of the timeline (or the trash), newest first.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a cursor that did not come from this listing.
    pub fn list_entries(&self, filter: &EntryFilter) -> Result<Page<EntrySummary>> {
        let limit = filter.page_size();
        let (mut sql, mut args) = filter_sql(filter, "e")?;
        let key = if filter.trash {
            "e.deleted_at"
        } else {
            "e.occurred_on"
        };
        let cursor = filter
            .cursor
            .as_deref()
            .map(EntryCursor::decode)
            .transpose()?;
        self.read(|tx| {
            if let Some((clause, tag)) = rare_tag_clause(tx, filter)? {
                sql.push_str(&clause);
                args.push(tag);
            }
            if let Some(c) = cursor {
                sql.push_str(&format!(" AND ({key} < ? OR ({key} = ? AND e.id < ?))"));
                args.extend([Value::Text(c.key.clone()), Value::Text(c.key), Value::Text(c.id)]);
            }
            let query = format!(
                "SELECT e.id, e.kind, e.title, e.occurred_on, t.name, e.tag_text, substr(e.body, 1, {EXCERPT_SOURCE_CHARS}),
                        e.starred, e.updated_at, e.deleted_at
                   FROM entries e LEFT JOIN templates t ON t.id = e.template_id
                  WHERE {sql}
                  ORDER BY {key} DESC, e.id DESC
                  LIMIT {}",
                limit + 1
            );
            let mut stmt = tx.prepare_cached(&query)?;
            let mut items = stmt
                .query_map(rusqlite::params_from_iter(args.iter()), summary_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let next = if items.len() > limit as usize {
                items.truncate(limit as usize);
                items.last().map(|last| {
                    let key = if filter.trash {
                        last.deleted_at.map(|d| format_ts(&d)).unwrap_or_default()
                    } else {
                        last.occurred_on.to_string()
                    };
                    EntryCursor { key, id: last.id.to_string() }.encode()
                })
            } else {
                None
            };
            Ok(Page { items, next })
        })
    }

    /// An entry as a row of the timeline shows it, with its template's name: what the app
    /// puts in its list after a save, so the row matches what the next listing reads.
    pub fn summarise(&self, entry: &crate::model::Entry) -> Result<EntrySummary> {
        Ok(entry.summary(self.template_name(entry.template_id)?))
    }

    /// An entry (saved or not) as it reads when printed or shared, as sanitised HTML: see
    /// [`crate::render::entry_html`].
    pub fn entry_html(&self, input: &crate::model::EntryInput) -> Result<String> {
        let name = self.template_name(input.template_id)?;
        Ok(crate::render::entry_html(input, name.as_deref()))
    }

    /// The name of the template `id`, if it (still) exists.
    fn template_name(&self, id: Option<uuid::Uuid>) -> Result<Option<String>> {
        let Some(id) = id else { return Ok(None) };
        self.read(|tx| crate::store::row::load::<crate::model::Template>(tx, id))
            .map(|t| Some(t.name))
            .or_else(|e| match e {
                Error::NotFound { .. } => Ok(None),
                e => Err(e),
            })
    }

    /// How many entries match the filter (ignoring its cursor and limit).
    pub fn count_entries(&self, filter: &EntryFilter) -> Result<u64> {
        let (mut sql, mut args) = filter_sql(filter, "e")?;
        self.read(|tx| {
            if let Some((clause, tag)) = rare_tag_clause(tx, filter)? {
                sql.push_str(&clause);
                args.push(tag);
            }
            // Live entries are counted from their narrowest index; left to itself, SQLite's
            // planner (which has no statistics) picks the wider timeline index since schema 4
            // added a column, and counting 50,000 entries took twice as long.
            let from = if filter.trash {
                "entries e"
            } else {
                "entries e INDEXED BY entries_live"
            };
            let mut stmt =
                tx.prepare_cached(&format!("SELECT count(*) FROM {from} WHERE {sql}"))?;
            Ok(
                stmt.query_row(rusqlite::params_from_iter(args.iter()), |r| {
                    r.get::<_, i64>(0)
                })? as u64,
            )
        })
    }
}

/// The WHERE clause (without `WHERE`) and its arguments for a filter; `e` is the entries alias.
pub(crate) fn filter_sql(filter: &EntryFilter, e: &str) -> Result<(String, Vec<Value>)> {
    let mut sql = String::from(if filter.trash {
        "e.deleted_at IS NOT NULL"
    } else {
        "e.deleted_at IS NULL"
    });
    let mut args: Vec<Value> = Vec::new();
    for tag in &filter.tags {
        let tag = crate::model::normalise_tag(tag)?;
        // A probe per entry, so that the timeline can be walked in order and stop after a page
        // (an `IN` list would make SQLite fetch and sort every tagged entry first); see
        // `rare_tag_clause` for the tags where that list is the better start.
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM entry_tags et WHERE et.entry_id = e.id AND et.tag_id = (SELECT id FROM tags WHERE name = ?))",
        );
        args.push(Value::Text(tag));
    }
    if let Some(kind) = filter.kind {
        sql.push_str(" AND e.kind = ?");
        args.push(Value::Text(kind.as_str().to_owned()));
    }
    if let Some(template) = &filter.template {
        sql.push_str(" AND e.template_id = (SELECT id FROM templates WHERE id = ? OR key = ?)");
        args.push(Value::Text(template.clone()));
        args.push(Value::Text(template.to_ascii_lowercase()));
    }
    if let Some(rel) = filter.relationship {
        sql.push_str(
            " AND e.id IN (SELECT entry_id FROM entry_relationships WHERE relationship_id = ?)",
        );
        args.push(Value::Text(rel.to_string()));
    }
    if let Some(since) = filter.since {
        sql.push_str(" AND e.occurred_on >= ?");
        args.push(Value::Text(since.to_string()));
    }
    if let Some(until) = filter.until {
        sql.push_str(" AND e.occurred_on <= ?");
        args.push(Value::Text(until.to_string()));
    }
    if let (Some(s), Some(u)) = (filter.since, filter.until) {
        if u < s {
            return Err(Error::invalid(
                "until",
                format!("{u} is before since ({s})"),
            ));
        }
    }
    for (column, value) in [
        ("e.setting", &filter.setting),
        ("e.group_name", &filter.group),
    ] {
        if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            sql.push_str(&format!(" AND {column} = ? COLLATE NOCASE"));
            args.push(Value::Text(value.to_owned()));
        }
    }
    if filter.starred {
        sql.push_str(" AND e.starred = 1");
    }
    Ok((sql.replace("e.", &format!("{e}.")), args))
}

/// For a filter with tags, when the rarest of them is on at most [`RARE_TAG_USES`] entries, an
/// extra ` AND e.id IN (…)` clause and its argument naming that tag, so that SQLite starts from
/// the tag's entries rather than walking the timeline. It repeats a condition `filter_sql`
/// already has, so it changes the plan, never the rows.
fn rare_tag_clause(tx: &Transaction<'_>, filter: &EntryFilter) -> Result<Option<(String, Value)>> {
    let mut rarest: Option<(i64, String)> = None;
    for tag in &filter.tags {
        let tag = crate::model::normalise_tag(tag)?;
        let uses: i64 = tx
            .prepare_cached(
                "SELECT count(*) FROM (SELECT 1 FROM entry_tags
                  WHERE tag_id = (SELECT id FROM tags WHERE name = ?1) LIMIT ?2)",
            )?
            .query_row(params![tag, RARE_TAG_USES + 1], |r| r.get(0))?;
        if rarest.as_ref().is_none_or(|(fewest, _)| uses < *fewest) {
            rarest = Some((uses, tag));
        }
    }
    Ok(rarest.filter(|(uses, _)| *uses <= RARE_TAG_USES).map(|(_, tag)| {
        (
            " AND e.id IN (SELECT entry_id FROM entry_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?))"
                .to_owned(),
            Value::Text(tag),
        )
    }))
}

pub(crate) fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<EntrySummary> {
    let tags: String = r.get(5)?;
    let body: String = r.get(6)?;
    Ok(EntrySummary {
        id: col_uuid(r, 0)?,
        kind: col_parse(r, 1)?,
        title: r.get(2)?,
        occurred_on: col_date(r, 3)?,
        template_name: r.get(4)?,
        tags: tags
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        excerpt: crate::model::excerpt(&body),
        starred: r.get(7)?,
        updated_at: col_ts(r, 8)?,
        deleted_at: col_opt_ts(r, 9)?,
    })
}
