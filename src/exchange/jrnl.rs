//! Import of jrnl's JSON export (`jrnl --format json`; `jrnl --export json` before 2.x).
//!
//! jrnl writes `{"tags": {"@tag": count}, "entries": [{"title", "body", "date": "YYYY-MM-DD",
//! "time": "HH:MM", "tags": ["@tag"], "starred": bool}]}`. Versions before 1.9 leave out
//! `tags` and `starred` in entries; journals that came from Day One add `uuid` and a `creator`
//! object. All of those are accepted; fields Reprise has no place for are ignored.
//!
//! Each jrnl entry becomes a reflection with its title, body, date, time, tags (without the
//! `@` or `#`) and star. jrnl has no ids, so each entry's id is derived from its content
//! ([`entry_id`]): importing the same file again finds every entry already there and adds
//! nothing, and an entry edited in Reprise since is never overwritten.

use super::{
    commit, file_label, open_capped, parse_location, ImportReport, Merge, Progress, Section,
    Staged, Ticker,
};
use crate::error::{Error, Result};
use crate::model::{Entry, EntryInput, EntryKind, MAX_TITLE_CHARS};
use crate::store::exchange::{self as sx, Index, Writer};
use crate::Store;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::cell::Cell;
use std::collections::HashSet;
use std::path::Path;
use uuid::Uuid;

/// The largest jrnl file [`import`] reads: 256 MiB of text. jrnl files carry no attachments
/// and a lifetime of daily entries is a few tens of megabytes; the entries are held in memory
/// while they are validated, so the cap is also the memory bound.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The id a jrnl entry gets in Reprise, the same every time the same entry is imported.
///
/// It is shaped like a UUID v7 so that it sorts by time like every other id: the first 48
/// bits are the entry's date and time as milliseconds since 1970 (read as UTC, and 0 for
/// entries before 1970), then the version (7) and variant bits, and the remaining 74 bits
/// come from SHA-256 of `"jrnl\0" date "\0" time "\0" title "\0" body`, exactly as the file
/// spells them. Two entries differ in id unless they have the same date, time, title and
/// body — in which case they are the same entry.
pub fn entry_id(date: &str, time: &str, title: &str, body: &str) -> Uuid {
    let millis =
        stamp(date, time).map_or(0, |t| t.timestamp_millis().clamp(0, (1 << 48) - 1)) as u64;
    let mut hasher = Sha256::new();
    for part in ["jrnl", date, time, title] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher.update(body.as_bytes());
    let hash = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
    bytes[6] = 0x70 | (hash[0] & 0x0f);
    bytes[7] = hash[1];
    bytes[8] = 0x80 | (hash[2] & 0x3f);
    bytes[9..].copy_from_slice(&hash[3..10]);
    Uuid::from_bytes(bytes)
}

/// Imports jrnl's JSON export as reflections, skipping entries already imported.
///
/// Every entry is validated first; then a checked backup is taken and the new entries are
/// added in one transaction. When every entry is already in the journal, nothing is written.
///
/// # Errors
/// [`Error::Import`] naming the file, `entries[i]` and the field for anything wrong in the
/// file; nothing has been written then.
pub fn import(
    store: &Store,
    path: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport> {
    let file = file_label(path);
    let ticker = Ticker::start(progress, "reading", 1);
    let raw = parse(open_capped(path, MAX_FILE_BYTES)?.0, &file)?;
    ticker.finish();

    let mut ticker = Ticker::start(progress, "validating", raw.len() as u64);
    let mut entries = Vec::with_capacity(raw.len());
    for (index, r) in raw.into_iter().enumerate() {
        entries.push(validate(&file, index, r)?);
        ticker.tick();
    }
    ticker.finish();

    let journal = store.read(sx::index)?;
    commit(store, &file, &journal, &Entries(&entries), progress)
}

/// A jrnl file's entries, validated.
struct Entries<'e>(&'e [Entry]);

impl Staged for Entries<'_> {
    type Merges = Vec<Merge>;

    fn decide(&self, journal: &Index) -> (ImportReport, Vec<Merge>) {
        decide(self.0, &journal.entries)
    }

    fn apply(
        &self,
        merges: &Vec<Merge>,
        w: &mut Writer<'_>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        let added = merges.iter().filter(|m| **m == Merge::Add).count();
        let mut ticker = Ticker::start(progress, "applying", added as u64);
        for (e, m) in self.0.iter().zip(merges) {
            if *m == Merge::Add {
                w.entry(e, false)?;
                ticker.tick();
            }
        }
        ticker.finish();
        Ok(())
    }
}

/// Adds what the journal lacks and skips the rest, including repeats within the file. An
/// entry already in the journal is never replaced: jrnl has no `updated_at` to prove it newer.
fn decide(
    entries: &[Entry],
    journal: &std::collections::HashMap<Uuid, DateTime<Utc>>,
) -> (ImportReport, Vec<Merge>) {
    let mut report = ImportReport::default();
    let mut seen = HashSet::with_capacity(entries.len());
    let merges = entries
        .iter()
        .map(|e| {
            let m = if journal.contains_key(&e.id) || !seen.insert(e.id) {
                Merge::Skip
            } else {
                Merge::Add
            };
            m.count(&mut report.entries);
            m
        })
        .collect();
    report.sum();
    (report, merges)
}

#[derive(Deserialize)]
struct RawEntry {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    date: String,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    starred: bool,
}

struct FileSeed<'c>(&'c Cell<Option<(&'static str, usize)>>);

impl<'de> DeserializeSeed<'de> for FileSeed<'_> {
    type Value = Option<Vec<RawEntry>>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_> {
    type Value = Option<Vec<RawEntry>>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("jrnl's JSON export (an object with \"entries\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        let mut entries = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" {
                if entries.is_some() {
                    return Err(A::Error::duplicate_field("entries"));
                }
                entries = Some(map.next_value_seed(Section::new("entries", self.0))?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(entries)
    }
}

fn parse(reader: impl std::io::Read, file: &str) -> Result<Vec<RawEntry>> {
    let failed_at = Cell::new(None);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let parsed = FileSeed(&failed_at)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    match parsed {
        Ok(Some(entries)) => Ok(entries),
        Ok(None) => Err(Error::import(
            file,
            "no \"entries\" list: is this jrnl's JSON export (jrnl --format json)?",
        )),
        Err(e) => Err(Error::import(
            parse_location(file, failed_at.get()),
            e.to_string(),
        )),
    }
}

/// The entry's moment, reading jrnl's local date and time as UTC (jrnl records no zone).
fn stamp(date: &str, time: &str) -> Option<DateTime<Utc>> {
    let day = super::json::strict_date(date)?;
    let at = if time.is_empty() {
        NaiveTime::MIN
    } else {
        parse_time(time)?
    };
    Some(day.and_time(at).and_utc())
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .ok()
}

fn validate(file: &str, index: usize, r: RawEntry) -> Result<Entry> {
    let err = |field: &str, reason: String| {
        Error::import(format!("{file}: entries[{index}]: {field}"), reason)
    };
    let date: NaiveDate = super::json::strict_date(&r.date)
        .ok_or_else(|| err("date", format!("{:?} is not a date (YYYY-MM-DD)", r.date)))?;
    let time_text = r.time.as_deref().map(str::trim).unwrap_or("");
    let time = if time_text.is_empty() {
        None
    } else {
        Some(
            parse_time(time_text)
                .ok_or_else(|| err("time", format!("{time_text:?} is not a time (HH:MM)")))?,
        )
    };
    let id = entry_id(&r.date, r.time.as_deref().unwrap_or(""), &r.title, &r.body);
    let at = date.and_time(time.unwrap_or(NaiveTime::MIN)).and_utc();
    let (title, body) = fit_title(&r.title, r.body);
    let input = EntryInput {
        kind: EntryKind::Reflection,
        title,
        body,
        occurred_on: Some(date),
        occurred_time: time,
        starred: r.starred,
        tags: r.tags,
        ..EntryInput::default()
    }
    .validated()
    .map_err(|e| match e {
        Error::Invalid { field, reason } => err(&field, reason),
        other => other,
    })?;
    Ok(Entry {
        id,
        kind: input.kind,
        title: input.title,
        body: input.body,
        occurred_on: date,
        occurred_time: input.occurred_time,
        template_id: None,
        starred: input.starred,
        tags: input.tags,
        session: None,
        linked_entries: Vec::new(),
        linked_cpd: Vec::new(),
        linked_relationships: Vec::new(),
        attachments: Vec::new(),
        created_at: at,
        updated_at: at,
        deleted_at: None,
    })
}

/// jrnl's title is the entry's first sentence, which can be longer than a Reprise title or
/// hold a tab. Such a title is shortened for the title line and kept whole at the top of the
/// body, so no words are lost.
fn fit_title(title: &str, body: String) -> (String, String) {
    let title = title.trim();
    let fits = title.chars().count() <= MAX_TITLE_CHARS && !title.chars().any(char::is_control);
    if fits {
        return (title.to_owned(), body);
    }
    let mut short: String = title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(80)
        .collect();
    if title.chars().count() > 80 {
        short = short.trim_end().to_owned();
        short.push('…');
    }
    let body = if body.is_empty() {
        title.to_owned()
    } else {
        format!("{title}\n\n{body}")
    };
    (short, body)
}
