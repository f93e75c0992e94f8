//! How records become rows and rows become records.
//!
//! Each record type says once, in its own file, which columns its table has
//! ([`Record::COLUMNS`]), how a row of them becomes the record ([`Record::from_row`]) and which
//! values it writes into them ([`Record::params`]). Single-record queries, whole-table reads
//! for exports and the import's bulk writer all build their SQL from that one list, so a
//! column added to a table is added in one place, and no two paths can read a column
//! differently.
//!
//! The column readers (`col_*`) turn SQLite's text into the model's types; a value that does
//! not parse is a conversion error naming the column, never a panic.

use crate::error::{Error, Result};
use crate::model::parse_ts;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, Transaction};
use std::collections::HashMap;
use uuid::Uuid;

/// A record stored as one row of its own table (child lists such as tags or members live in
/// tables of their own and are filled in by the record's file).
pub(crate) trait Record: Sized {
    /// The table.
    const TABLE: &'static str;
    /// What an error calls one of these ("entry", "mentoring session").
    const ENTITY: &'static str;
    /// The table's columns, `id` first, in the order of [`Record::from_row`] and
    /// [`Record::params`].
    const COLUMNS: &'static [&'static str];

    /// The record from a row of [`Record::COLUMNS`] (selected with [`select`]), with its child
    /// lists empty.
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self>;

    /// The values of [`Record::COLUMNS`], in order.
    fn params(&self) -> Vec<Value>;

    /// Its id.
    fn id(&self) -> Uuid;

    /// When it was made and last changed.
    fn stamps(&self) -> Stamps;
}

/// A value stored in one column: how it is read from a row and written as a parameter.
pub(crate) trait Column: Sized {
    /// Reads column `i`.
    fn read(r: &Row<'_>, i: usize) -> rusqlite::Result<Self>;
    /// The value written.
    fn value(&self) -> Value;
}

/// Declares a record whose fields are named as its table's columns: the field list is the
/// column list, and [`Column`] reads and writes each field. `empty` names the fields that
/// live in tables of their own and start empty.
///
/// A record people write through an input type also says which fields come `from` the input
/// (with any others its builder sets, given the record it replaces as `|old|`), the function
/// that saves it with its child rows (`saved by`) and, when it has child rows, the one that
/// loads it whole (`loaded by`); that makes it [`Editable`]. Last come the store's public
/// methods that create and update one, with their docs: [`create`] and [`update`] over it.
macro_rules! record {
    ($ty:ident, table $table:literal, entity $entity:literal,
     columns [$($col:ident),+ $(,)?] $(, empty [$($empty:ident),* $(,)?])?,
     edited from $input:ident [$($field:ident),+ $(,)?] |$old:ident| { $($rest:tt)* },
     saved by $save:path $(, loaded by $load:path)?,
     $(#[$create_doc:meta])* created by $create:ident,
     $(#[$update_doc:meta])* updated by $update:ident $(,)?) => {
        $crate::store::row::record!($ty, table $table, entity $entity,
            columns [$($col),+] $(, empty [$($empty),*])?);

        impl $crate::store::row::Editable for $ty {
            type Input = $input;

            fn validated(input: &$input) -> $crate::error::Result<$input> {
                input.validated()
            }

            fn build(
                input: &$input,
                id: uuid::Uuid,
                (created_at, updated_at): $crate::store::row::Stamps,
                $old: Option<&$ty>,
            ) -> $ty {
                $crate::store::row::from_input!($ty from input [$($field),+]
                    id, created_at, updated_at, $($rest)*)
            }

            fn save(tx: &rusqlite::Transaction<'_>, record: &$ty) -> $crate::error::Result<()> {
                $save(tx, record)
            }

            $(
            fn load_whole(tx: &rusqlite::Transaction<'_>, id: uuid::Uuid) -> $crate::error::Result<$ty> {
                $load(tx, id)
            }
            )?
        }

        impl $crate::store::Store {
            $(#[$create_doc])*
            pub fn $create(&self, input: &$input) -> $crate::error::Result<$ty> {
                $crate::store::row::create(self, input)
            }

            $(#[$update_doc])*
            pub fn $update(&self, id: uuid::Uuid, input: &$input) -> $crate::error::Result<$ty> {
                $crate::store::row::update(self, id, input)
            }
        }
    };
    ($ty:ty, table $table:literal, entity $entity:literal,
     columns [$($col:ident),+ $(,)?] $(, empty [$($empty:ident),* $(,)?])? $(,)?) => {
        impl $crate::store::row::Record for $ty {
            const TABLE: &'static str = $table;
            const ENTITY: &'static str = $entity;
            const COLUMNS: &'static [&'static str] = &[$(stringify!($col)),+];

            fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                use $crate::store::row::Column;
                let mut i = 0;
                let mut next = || {
                    i += 1;
                    i - 1
                };
                Ok(Self {
                    $($col: Column::read(r, next())?,)+
                    $($($empty: Default::default(),)*)?
                })
            }

            fn params(&self) -> Vec<rusqlite::types::Value> {
                use $crate::store::row::Column;
                vec![$(self.$col.value()),+]
            }

            fn id(&self) -> uuid::Uuid {
                self.id
            }

            fn stamps(&self) -> $crate::store::row::Stamps {
                (self.created_at, self.updated_at)
            }
        }
    };
}
pub(crate) use record;

/// A record built from what a person wrote: the fields in brackets are copied from `input`
/// (a record's input type names them as the record does), the rest are given after them.
macro_rules! from_input {
    ($ty:ident from $input:ident [$($field:ident),+ $(,)?] $($rest:tt)*) => {
        $ty {
            $($field: $input.$field.clone(),)+
            $($rest)*
        }
    };
}
pub(crate) use from_input;

/// Implements [`Column`] with a reader and a writer.
macro_rules! columns_with {
    ($($t:ty => $read:ident, $write:expr;)*) => {$(
        impl Column for $t {
            fn read(r: &Row<'_>, i: usize) -> rusqlite::Result<Self> {
                $read(r, i)
            }
            fn value(&self) -> Value {
                $write(self)
            }
        }
    )*};
}
columns_with! {
    Uuid => col_uuid, |v: &Uuid| uuid_value(*v);
    Option<Uuid> => col_opt_uuid, |v: &Option<Uuid>| opt_uuid_value(*v);
    NaiveDate => col_date, |v: &NaiveDate| Value::Text(v.to_string());
    Option<NaiveDate> => col_opt_date, |v: &Option<NaiveDate>| opt_date_value(*v);
    Option<NaiveTime> => col_opt_time, |v: &Option<NaiveTime>| opt_time_value(*v);
    DateTime<Utc> => col_ts, ts_value;
    Option<DateTime<Utc>> => col_opt_ts, |v: &Option<DateTime<Utc>>| opt_ts_value(v.as_ref());
}

/// When a record was made and last changed.
pub(crate) type Stamps = (DateTime<Utc>, DateTime<Utc>);

/// A record people create and change through an input type of its own; the store's
/// `create_*` and `update_*` methods are [`create`] and [`update`] over it.
pub(crate) trait Editable: Record {
    /// What a person writes.
    type Input;
    /// The input, checked and normalised.
    fn validated(input: &Self::Input) -> Result<Self::Input>;
    /// The record `input` describes, with this id and these stamps; `old` is the record it
    /// replaces, if any (for what the input does not carry).
    fn build(input: &Self::Input, id: Uuid, stamps: Stamps, old: Option<&Self>) -> Self;
    /// Writes the record with its child rows, refusing references to missing records.
    fn save(tx: &Transaction<'_>, record: &Self) -> Result<()>;
    /// The whole record as stored, child rows included.
    fn load_whole(tx: &Transaction<'_>, id: Uuid) -> Result<Self> {
        load(tx, id)
    }
}

/// Creates a record from what a person wrote; returns it as stored.
pub(crate) fn create<R: Editable>(store: &super::Store, input: &R::Input) -> Result<R> {
    let input = R::validated(input)?;
    let ts = crate::model::now();
    let record = R::build(&input, crate::model::new_id(), (ts, ts), None);
    store.write(|tx| {
        R::save(tx, &record)?;
        R::load_whole(tx, record.id())
    })
}

/// Replaces what a person wrote in a record, keeping its id and creation time; returns it as
/// stored.
pub(crate) fn update<R: Editable>(store: &super::Store, id: Uuid, input: &R::Input) -> Result<R> {
    let input = R::validated(input)?;
    store.write(|tx| {
        let old = R::load_whole(tx, id)?;
        let (created, updated) = old.stamps();
        let stamps = (created, crate::model::next_update(updated));
        R::save(tx, &R::build(&input, id, stamps, Some(&old)))?;
        R::load_whole(tx, id)
    })
}

/// Types SQLite stores as they are.
macro_rules! plain_columns {
    ($($t:ty),*) => {
        columns_with! { $($t => get, |v: &$t| Value::from(v.clone());)* }
    };
}
plain_columns!(
    String,
    Option<String>,
    bool,
    f64,
    u32,
    Option<u32>,
    i64,
    Option<i64>
);

fn get<T: rusqlite::types::FromSql>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    r.get(i)
}

/// The model's enums, stored as their names.
macro_rules! name_columns {
    ($($t:ty),*) => {
        columns_with! { $($t => col_parse, |v: &$t| Value::Text(v.as_str().to_owned());)* }
    };
}
name_columns!(
    crate::model::EntryKind,
    crate::model::CpdType,
    crate::model::RelationshipKind,
    crate::model::RelationshipStatus,
    crate::model::ActionStatus,
    crate::model::ActionSource
);

/// Lists stored as JSON text.
macro_rules! json_columns {
    ($($t:ty),*) => {
        columns_with! { $($t => col_json, json_value;)* }
    };
}
json_columns!(Vec<String>, Vec<crate::model::Prompt>);

/// `SELECT <columns> FROM <table> <rest>`.
pub(crate) fn select<R: Record>(rest: &str) -> String {
    format!("SELECT {} FROM {} {rest}", R::COLUMNS.join(", "), R::TABLE)
}

/// `INSERT INTO <table> (<columns>) VALUES (?1, …)`, for `columns` (a record's own, perhaps
/// with derived columns after them).
pub(crate) fn insert_sql(table: &str, columns: &[&str]) -> String {
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        marks.join(", ")
    )
}

/// `INSERT … ON CONFLICT (id) DO UPDATE SET` every column but the first (the id).
pub(crate) fn upsert_sql(table: &str, columns: &[&str]) -> String {
    let sets: Vec<String> = columns[1..]
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "{} ON CONFLICT (id) DO UPDATE SET {}",
        insert_sql(table, columns),
        sets.join(", ")
    )
}

/// `UPDATE <table> SET <column> = ?2, … WHERE id = ?1`: parameters in the order of `columns`.
pub(crate) fn update_sql(table: &str, columns: &[&str]) -> String {
    let sets: Vec<String> = columns
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect();
    format!("UPDATE {table} SET {} WHERE id = ?1", sets.join(", "))
}

/// Adds or replaces a record's row (its child tables are the caller's).
pub(crate) fn upsert<R: Record>(tx: &Transaction<'_>, record: &R) -> Result<()> {
    upsert_with(tx, record, &[], Vec::new())
}

/// As [`upsert`], also writing columns the store derives from the record (such as the
/// `tag_text` that search and listings read), named in `columns` with their `values`.
pub(crate) fn upsert_with<R: Record>(
    tx: &Transaction<'_>,
    record: &R,
    columns: &[&'static str],
    values: Vec<Value>,
) -> Result<()> {
    let mut params = record.params();
    params.extend(values);
    tx.prepare_cached(&upsert_sql(R::TABLE, &with_columns::<R>(columns)))?
        .execute(rusqlite::params_from_iter(params))?;
    Ok(())
}

/// Replaces the rows `owner` has in the child table `table` (whose `owner_column` names the
/// owner) with `rows`, in order: each row gives the values of `columns`, and its place in
/// the list is stored as `position`.
pub(crate) fn replace_children(
    tx: &Transaction<'_>,
    (table, owner_column): (&str, &str),
    owner: Uuid,
    columns: &[&str],
    rows: impl IntoIterator<Item = Vec<Value>>,
) -> Result<()> {
    let owner = owner.to_string();
    tx.prepare_cached(&format!("DELETE FROM {table} WHERE {owner_column} = ?1"))?
        .execute([&owner])?;
    let all: Vec<&str> = [owner_column]
        .into_iter()
        .chain(columns.iter().copied())
        .chain(["position"])
        .collect();
    let mut insert = tx.prepare_cached(&insert_sql(table, &all))?;
    for (position, values) in rows.into_iter().enumerate() {
        let params = [Value::Text(owner.clone())]
            .into_iter()
            .chain(values)
            .chain([Value::Integer(position as i64)]);
        insert.execute(rusqlite::params_from_iter(params))?;
    }
    Ok(())
}

/// A record's columns followed by `extra`.
pub(crate) fn with_columns<R: Record>(extra: &[&'static str]) -> Vec<&'static str> {
    R::COLUMNS.iter().chain(extra).copied().collect()
}

/// One record's row by id.
///
/// # Errors
/// [`Error::NotFound`] when there is no such row.
pub(crate) fn load<R: Record>(tx: &Transaction<'_>, id: Uuid) -> Result<R> {
    tx.prepare_cached(&select::<R>("WHERE id = ?1"))?
        .query_row([id.to_string()], R::from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: R::ENTITY,
            id: id.to_string(),
        })
}

/// Deletes a record's row by id.
///
/// # Errors
/// [`Error::NotFound`] when there is no such row.
pub(crate) fn delete<R: Record>(tx: &Transaction<'_>, id: Uuid) -> Result<()> {
    let deleted = tx
        .prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", R::TABLE))?
        .execute([id.to_string()])?;
    if deleted == 0 {
        return Err(Error::NotFound {
            entity: R::ENTITY,
            id: id.to_string(),
        });
    }
    Ok(())
}

/// Every row `rest` (`WHERE …`, `ORDER BY …`) selects, with `args`.
pub(crate) fn load_all<R: Record>(
    tx: &Transaction<'_>,
    rest: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<R>> {
    let mut stmt = tx.prepare_cached(&select::<R>(rest))?;
    let rows = stmt
        .query_map(args, R::from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Fails with [`Error::NotFound`] unless `table` has a row with this id.
pub(crate) fn exists(
    tx: &Transaction<'_>,
    table: &str,
    entity: &'static str,
    id: Uuid,
) -> Result<()> {
    let found: Option<i64> = tx
        .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    found.map(|_| ()).ok_or(Error::NotFound {
        entity,
        id: id.to_string(),
    })
}

/// The first column of every row `sql` selects for the id `id`, as text.
pub(crate) fn strings(tx: &Transaction<'_>, sql: &str, id: &str) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let out = stmt
        .query_map([id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(out)
}

/// The first column of every row `sql` selects for the id `id`, as UUIDs.
pub(crate) fn uuids(tx: &Transaction<'_>, sql: &str, id: &str) -> Result<Vec<Uuid>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let out = stmt
        .query_map([id], |r| col_uuid(r, 0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(out)
}

/// The ids `sql` (without parameters) selects.
pub(crate) fn ids(tx: &Transaction<'_>, sql: &str) -> Result<Vec<Uuid>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let out = stmt
        .query_map([], |r| col_uuid(r, 0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(out)
}

/// What `read` makes of each row `sql` selects, grouped by the owner id in column `owner`, in
/// the order `sql` gives them.
pub(crate) fn grouped<T>(
    tx: &Transaction<'_>,
    sql: &str,
    owner: usize,
    read: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<HashMap<Uuid, Vec<T>>> {
    let mut out: HashMap<Uuid, Vec<T>> = HashMap::new();
    let mut stmt = tx.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(col_uuid(r, owner)?).or_default().push(read(r)?);
    }
    Ok(out)
}

/// `(owner id, text)` rows grouped by owner, in the order `sql` gives them.
pub(crate) fn grouped_strings(
    tx: &Transaction<'_>,
    sql: &str,
) -> Result<HashMap<Uuid, Vec<String>>> {
    grouped(tx, sql, 0, |r| r.get(1))
}

/// `(owner id, id)` rows grouped by owner, in the order `sql` gives them.
pub(crate) fn grouped_uuids(tx: &Transaction<'_>, sql: &str) -> Result<HashMap<Uuid, Vec<Uuid>>> {
    grouped(tx, sql, 0, |r| col_uuid(r, 1))
}

/// The stored form of a timestamp.
pub(crate) fn ts_value(ts: &DateTime<Utc>) -> Value {
    Value::Text(crate::model::format_ts(ts))
}

/// The stored form of an optional timestamp.
pub(crate) fn opt_ts_value(ts: Option<&DateTime<Utc>>) -> Value {
    ts.map_or(Value::Null, ts_value)
}

/// The stored form of an id.
pub(crate) fn uuid_value(id: Uuid) -> Value {
    Value::Text(id.to_string())
}

/// The stored form of an optional id.
pub(crate) fn opt_uuid_value(id: Option<Uuid>) -> Value {
    id.map_or(Value::Null, uuid_value)
}

/// The stored form of an optional date (`YYYY-MM-DD`).
pub(crate) fn opt_date_value(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| Value::Text(d.to_string()))
}

/// The stored form of an optional time of day (`HH:MM:SS`).
pub(crate) fn opt_time_value(t: Option<NaiveTime>) -> Value {
    t.map_or(Value::Null, |t| {
        Value::Text(t.format(TIME_FORMAT).to_string())
    })
}

/// How a time of day is stored.
const TIME_FORMAT: &str = "%H:%M:%S";

fn conv_err(col: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e))
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct BadColumn(String);

/// Reads a UUID column.
pub(crate) fn col_uuid(r: &Row<'_>, i: usize) -> rusqlite::Result<Uuid> {
    let s: String = r.get(i)?;
    Uuid::parse_str(&s).map_err(|e| conv_err(i, e))
}

/// Reads an optional UUID column.
pub(crate) fn col_opt_uuid(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<Uuid>> {
    match r.get::<_, Option<String>>(i)? {
        Some(s) => Uuid::parse_str(&s).map(Some).map_err(|e| conv_err(i, e)),
        None => Ok(None),
    }
}

/// Reads a `YYYY-MM-DD` column.
pub(crate) fn col_date(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    let s: String = r.get(i)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| conv_err(i, e))
}

/// Reads an optional `YYYY-MM-DD` column.
pub(crate) fn col_opt_date(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match r.get::<_, Option<String>>(i)? {
        Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Some)
            .map_err(|e| conv_err(i, e)),
        None => Ok(None),
    }
}

/// Reads an optional `HH:MM:SS` column.
pub(crate) fn col_opt_time(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveTime>> {
    match r.get::<_, Option<String>>(i)? {
        Some(s) => NaiveTime::parse_from_str(&s, TIME_FORMAT)
            .map(Some)
            .map_err(|e| conv_err(i, e)),
        None => Ok(None),
    }
}

/// Reads a timestamp column.
pub(crate) fn col_ts(r: &Row<'_>, i: usize) -> rusqlite::Result<DateTime<Utc>> {
    let s: String = r.get(i)?;
    parse_ts(&s).ok_or_else(|| conv_err(i, BadColumn(format!("bad timestamp {s:?}"))))
}

/// Reads an optional timestamp column.
pub(crate) fn col_opt_ts(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match r.get::<_, Option<String>>(i)? {
        Some(s) => parse_ts(&s)
            .map(Some)
            .ok_or_else(|| conv_err(i, BadColumn(format!("bad timestamp {s:?}")))),
        None => Ok(None),
    }
}

/// Reads a column holding one of the model's string enums.
pub(crate) fn col_parse<T: std::str::FromStr>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    s.parse::<T>()
        .map_err(|_| conv_err(i, BadColumn(format!("unknown value {s:?}"))))
}

/// Reads a column holding JSON.
pub(crate) fn col_json<T: serde::de::DeserializeOwned>(
    r: &Row<'_>,
    i: usize,
) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    serde_json::from_str(&s).map_err(|e| conv_err(i, e))
}

/// The stored form of a value kept as JSON. The model's lists serialise without fail; were one
/// ever not to, NULL makes the write fail on the column's NOT NULL rather than store a wrong
/// value.
pub(crate) fn json_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_string(v).map_or(Value::Null, Value::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_sql_numbers_the_id_first_and_sets_every_other_column() {
        assert_eq!(
            update_sql("t", &["id", "a", "b"]),
            "UPDATE t SET a = ?2, b = ?3 WHERE id = ?1"
        );
    }

    #[test]
    fn upsert_sql_never_overwrites_the_id() {
        assert_eq!(
            upsert_sql("t", &["id", "a"]),
            "INSERT INTO t (id, a) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET a = excluded.a"
        );
    }
}
