//! Printing: lines of text for people, or pretty JSON of the model types with `--json`.
//!
//! Everything a command prints goes through [`Out`], so that with `--json` nothing but the
//! JSON reaches standard output, and a closed pipe ends the command quietly instead of
//! panicking the way `println!` would.

use super::{CliError, CliResult};
use reprise::model::{CpdType, EntryKind, RelationshipKind};
use reprise::Store;
use serde::Serialize;
use std::fmt::Display;
use std::io::{StdoutLock, Write};
use uuid::Uuid;

/// Where a command prints.
pub struct Out {
    json: bool,
    stdout: StdoutLock<'static>,
}

impl Out {
    /// Prints to standard output, as JSON when `json` is set.
    pub fn new(json: bool) -> Out {
        Out {
            json,
            stdout: std::io::stdout().lock(),
        }
    }

    /// Prints a value as pretty JSON.
    pub fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> CliResult {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::Failed(format!("cannot write JSON: {e}")))?;
        writeln!(self.stdout, "{text}")?;
        Ok(())
    }

    /// Prints one line of text.
    pub fn line(&mut self, text: impl Display) -> CliResult {
        writeln!(self.stdout, "{text}")?;
        Ok(())
    }

    /// Prints a count: the bare number, or `{"count": n}`.
    pub fn count(&mut self, n: u64) -> CliResult {
        if self.json {
            self.value(&serde_json::json!({ "count": n }))
        } else {
            self.line(n)
        }
    }

    /// Prints `value` as JSON, or else runs `text` to print it for people.
    pub fn either<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
        text: impl FnOnce(&mut Out) -> CliResult,
    ) -> CliResult {
        if self.json {
            self.value(value)
        } else {
            text(self)
        }
    }

    /// Prints a record just written: as JSON, or else only its id.
    pub fn written<T: Serialize>(&mut self, record: &T, id: Uuid) -> CliResult {
        self.either(record, |out| out.line(id))
    }
}

/// One letter for an entry's kind in listings.
pub fn kind_marker(kind: EntryKind) -> char {
    match kind {
        EntryKind::Reflection => 'R',
        EntryKind::QuickNote => 'Q',
        EntryKind::SessionRecord => 'S',
    }
}

/// An entry kind in words.
pub fn kind_label(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Reflection => "reflection",
        EntryKind::QuickNote => "quick note",
        EntryKind::SessionRecord => "session record",
    }
}

/// A CPD type in words.
pub fn cpd_type_label(t: CpdType) -> &'static str {
    match t {
        CpdType::Course => "Course",
        CpdType::TrainingDay => "Training day",
        CpdType::Conference => "Conference",
        CpdType::Webinar => "Webinar",
        CpdType::Reading => "Reading",
        CpdType::PeerObservation => "Peer observation",
        CpdType::Mentoring => "Mentoring",
        CpdType::Supervision => "Supervision",
        CpdType::SelfDirected => "Self-directed",
        CpdType::Other => "Other",
    }
}

/// A relationship kind in words.
pub fn relationship_label(kind: RelationshipKind) -> &'static str {
    match kind {
        RelationshipKind::MentoringPair => "mentoring pair",
        RelationshipKind::PeerPair => "peer pair",
        RelationshipKind::Group => "group",
    }
}

/// Hours to one decimal place, never "-0.0".
pub fn hours(h: f64) -> String {
    // Adding zero turns -0.0 into 0.0; a tiny negative that rounds to nought prints as 0.0 too.
    let h = h + 0.0;
    let text = format!("{h:.1}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_owned(),
        _ => text,
    }
}

/// Tags as `#one #two`.
pub fn tag_list(tags: &[String]) -> String {
    tags.iter()
        .map(|t| format!("#{t}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The shortest prefix of `id` (at least 13 characters) that names it alone among the
/// journal's entries.
///
/// Version 7 ids begin with their creation time, so entries written in the same millisecond —
/// as an import or the demo writes them — share far more than 13 characters.
pub fn short_entry_id(store: &Store, id: Uuid) -> String {
    let full = id.to_string();
    let mut len = 13;
    while len < full.len() {
        let prefix = &full[..len];
        if matches!(store.resolve_entry_id(prefix), Ok(found) if found == id) {
            return prefix.to_owned();
        }
        len += 1;
        if full.as_bytes().get(len - 1) == Some(&b'-') {
            len += 1;
        }
    }
    full
}

/// The shortest prefix of each id (at least 8 characters) that no other id in `ids` shares.
pub fn short_ids(ids: &[Uuid]) -> Vec<String> {
    let texts: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    texts
        .iter()
        .map(|t| {
            let mut len = 8;
            while len < t.len() && texts.iter().any(|o| o != t && o.starts_with(&t[..len])) {
                len += 1;
                if t.as_bytes().get(len - 1) == Some(&b'-') {
                    len += 1;
                }
            }
            t[..len.min(t.len())].to_owned()
        })
        .collect()
}

/// Each record with the shortest prefix of its id that no other record's shares (see
/// [`short_ids`]), as listings show them.
pub fn with_short_ids<T>(
    records: &[T],
    id: impl Fn(&T) -> Uuid,
) -> impl Iterator<Item = (&T, String)> {
    let ids: Vec<Uuid> = records.iter().map(id).collect();
    records.iter().zip(short_ids(&ids))
}

/// Finds one record by a full id, a unique id prefix (of at least 4 characters) or, when
/// `name` is given, a unique name (ignoring case).
///
/// # Errors
/// [`reprise::Error::NotFound`] when nothing matches; [`reprise::Error::Invalid`] when more
/// than one does.
pub fn resolve<T>(
    items: &[T],
    text: &str,
    entity: &'static str,
    id: impl Fn(&T) -> Uuid,
    name: Option<&dyn Fn(&T) -> &str>,
) -> reprise::Result<Uuid> {
    let wanted = text.trim();
    if let Ok(exact) = Uuid::parse_str(wanted) {
        if items.iter().any(|i| id(i) == exact) {
            return Ok(exact);
        }
    }
    let lower = wanted.to_ascii_lowercase();
    let mut found: Vec<Uuid> = Vec::new();
    if lower.len() >= 4 && lower.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        found = items
            .iter()
            .map(&id)
            .filter(|i| i.to_string().starts_with(&lower))
            .collect();
    }
    if found.is_empty() {
        if let Some(name) = name {
            let wanted = wanted.to_lowercase();
            found = items
                .iter()
                .filter(|i| name(i).to_lowercase() == wanted)
                .map(&id)
                .collect();
        }
    }
    let looks_like_id =
        wanted.len() >= 4 && wanted.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    match found.as_slice() {
        [one] => Ok(*one),
        [] if name.is_some() && !looks_like_id => Err(reprise::Error::NoneNamed {
            entity,
            name: wanted.to_owned(),
        }),
        [] => Err(reprise::Error::NotFound {
            entity,
            id: wanted.to_owned(),
        }),
        _ => Err(reprise::Error::invalid(
            entity,
            format!("{wanted:?} matches more than one; give more of its id"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_never_negative_nought() {
        assert_eq!(hours(-0.0), "0.0");
        assert_eq!(hours([0.0f64; 0].iter().sum()), "0.0");
        assert_eq!(hours(-0.01), "0.0");
        assert_eq!(hours(7.5), "7.5");
        assert_eq!(hours(-1.0), "-1.0");
    }

    #[test]
    fn short_ids_grow_until_they_are_unique() {
        let a = Uuid::parse_str("0190a1b2-c3d4-7000-8000-000000000001").unwrap();
        let b = Uuid::parse_str("0190a1b2-c3d4-7000-8000-000000000002").unwrap();
        let c = Uuid::parse_str("0290a1b2-c3d4-7000-8000-000000000002").unwrap();
        let short = short_ids(&[a, b, c]);
        assert_eq!(short[0], a.to_string());
        assert_eq!(short[1], b.to_string());
        assert_eq!(short[2], "0290a1b2");
    }

    #[test]
    fn records_resolve_by_id_prefix_or_name() {
        let people = [
            (
                Uuid::parse_str("0190a1b2-c3d4-7000-8000-000000000001").unwrap(),
                "Priya".to_owned(),
            ),
            (
                Uuid::parse_str("0290a1b2-c3d4-7000-8000-000000000002").unwrap(),
                "Tom".to_owned(),
            ),
        ];
        let name: &dyn Fn(&(Uuid, String)) -> &str = &|p| p.1.as_str();
        assert_eq!(
            resolve(&people, "tom", "person", |p| p.0, Some(name)).unwrap(),
            people[1].0
        );
        assert_eq!(
            resolve(&people, "0190", "person", |p| p.0, Some(name)).unwrap(),
            people[0].0
        );
        assert!(resolve(&people, "Sam", "person", |p| p.0, Some(name)).is_err());
    }
}
