//! Export and import: getting a journal out of Reprise, and other journals in.
//!
//! Plain text lasts, and a journal someone cannot take elsewhere is a trap, so every export
//! can be read without Reprise, and the JSON export is lossless: importing it into an empty
//! journal gives back the same journal, byte for byte on the next export. One file per format:
//!
//! - [`json`]: the lossless, versioned Reprise JSON document, exported and imported.
//! - [`markdown`]: a folder of Markdown files with YAML front matter (Obsidian, Joplin).
//! - [`jrnl`]: import of jrnl's JSON export.
//!
//! Imports keep the promises of RELIABILITY I1–I5: the file's size is capped before it is
//! read; everything is validated before anything is written, and an error names the file,
//! record and field; a checked backup is taken; the records are applied in one transaction
//! and the journal is checked before it commits. Records merge by UUID and a newer
//! `updated_at` wins, so re-importing the same file changes nothing and an older copy never
//! overwrites a newer edit.

mod format;
pub mod jrnl;
pub mod json;
pub mod markdown;

pub use format::{Direction, Format, FormatInfo};

use crate::error::{Error, Result};
use crate::store::exchange::{self as sx, Index, Writer};
use crate::Store;
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// How far a long export or import has got, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Progress {
    /// What is being done, e.g. `"validating"` or `"entries"`.
    pub phase: String,
    /// How many items of this phase are done.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub done: u64,
    /// How many items this phase has (0 when unknown).
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub total: u64,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportSummary {
    /// Entries written (the trash's included).
    pub entries: u32,
    /// Attachments written.
    pub attachments: u32,
    /// Templates written (the built-in ones included).
    pub templates: u32,
    /// People written (you included).
    pub people: u32,
    /// Mentoring relationships and peer groups written.
    pub relationships: u32,
    /// Mentoring session notes written.
    pub mentoring_sessions: u32,
    /// Actions and goals written.
    pub actions: u32,
    /// CPD activities written.
    pub cpd_activities: u32,
    /// Bytes written.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub bytes: u64,
    /// The file or folder written.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub path: PathBuf,
    /// [`ExportSummary::sentence`], for a front end to show as it is.
    pub summary: String,
}

impl ExportSummary {
    /// What was written, in a sentence that names every kind of record: "Exported 1,204
    /// entries, 3 attachments, 4 people, … (48 MB) to …".
    pub fn sentence(&self) -> String {
        let kinds: [(u32, &str, &str); 8] = [
            (self.entries, "entry", "entries"),
            (self.attachments, "attachment", "attachments"),
            (self.people, "person", "people"),
            (self.relationships, "relationship", "relationships"),
            (self.mentoring_sessions, "session note", "session notes"),
            (self.actions, "action", "actions"),
            (self.cpd_activities, "CPD activity", "CPD activities"),
            (self.templates, "template", "templates"),
        ];
        let mut parts: Vec<String> = kinds
            .iter()
            .enumerate()
            .filter(|(i, (n, _, _))| *i == 0 || *n > 0)
            .map(|(_, (n, one, many))| format!("{} {}", group(n), if *n == 1 { one } else { many }))
            .collect();
        let last = parts.pop().unwrap_or_default();
        let list = if parts.is_empty() {
            last
        } else {
            format!("{} and {last}", parts.join(", "))
        };
        format!(
            "Exported {list} ({}) to {}.",
            crate::model::human_size(self.bytes),
            self.path.display()
        )
    }

    /// Sets [`ExportSummary::summary`] from the counts.
    fn finished(mut self) -> Self {
        self.summary = self.sentence();
        self
    }
}

/// Added, updated and skipped counts for one kind of record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecordCounts {
    /// Not in the journal before, now added.
    pub added: u32,
    /// In the journal, replaced by the file's newer copy.
    pub updated: u32,
    /// Left alone: the journal's copy is as new or newer.
    pub skipped: u32,
}

impl RecordCounts {
    fn add(&mut self, other: RecordCounts) {
        self.added += other.added;
        self.updated += other.updated;
        self.skipped += other.skipped;
    }
}

/// What an import did, per kind of record and in total.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportReport {
    /// Templates.
    pub templates: RecordCounts,
    /// People.
    pub people: RecordCounts,
    /// Mentoring relationships.
    pub relationships: RecordCounts,
    /// Mentoring session notes.
    pub mentoring_sessions: RecordCounts,
    /// Actions and goals.
    pub actions: RecordCounts,
    /// CPD activities.
    pub cpd_activities: RecordCounts,
    /// Entries.
    pub entries: RecordCounts,
    /// Attachments.
    pub attachments: RecordCounts,
    /// All of the above together.
    pub total: RecordCounts,
    /// [`ImportReport::sentence`], for a front end to show as it is.
    pub summary: String,
    /// The backup taken before anything was written; `None` when nothing needed writing.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub backup: Option<PathBuf>,
}

impl ImportReport {
    /// One line for a person, e.g. "added 12 entries, 3 people; updated 1; skipped 40 unchanged".
    pub fn summary_line(&self) -> String {
        let kinds: [(&RecordCounts, &str, &str); 8] = [
            (&self.entries, "entry", "entries"),
            (&self.templates, "template", "templates"),
            (&self.people, "person", "people"),
            (&self.relationships, "relationship", "relationships"),
            (
                &self.mentoring_sessions,
                "mentoring session",
                "mentoring sessions",
            ),
            (&self.actions, "action", "actions"),
            (&self.cpd_activities, "CPD activity", "CPD activities"),
            (&self.attachments, "attachment", "attachments"),
        ];
        let added: Vec<String> = kinds
            .iter()
            .filter(|(c, _, _)| c.added > 0)
            .map(|(c, one, many)| format!("{} {}", c.added, if c.added == 1 { one } else { many }))
            .collect();
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!("added {}", added.join(", ")));
        }
        if self.total.updated > 0 {
            parts.push(format!("updated {}", self.total.updated));
        }
        if self.total.skipped > 0 {
            parts.push(format!("skipped {} unchanged", self.total.skipped));
        }
        if parts.is_empty() {
            "nothing to import".to_owned()
        } else {
            parts.join("; ")
        }
    }

    /// The outcome in a sentence for someone who just chose a file, e.g. "Imported 12
    /// entries (10 new, 2 updated); 3 already here. A backup of the journal as it was is
    /// at …".
    pub fn sentence(&self) -> String {
        let plural = |n: u32, one: &str, many: &str| {
            format!("{} {}", group(n), if n == 1 { one } else { many })
        };
        let (e, t) = (&self.entries, &self.total);
        let changed = t.added + t.updated;
        if changed == 0 {
            return format!(
                "Nothing new to import: all {} already in the journal.",
                plural(t.skipped, "record was", "records were")
            );
        }
        let mut parts = vec![format!(
            "Imported {} ({} new, {} updated)",
            plural(e.added + e.updated, "entry", "entries"),
            e.added,
            e.updated
        )];
        if e.skipped > 0 {
            parts.push(format!("{} already here", e.skipped));
        }
        let others = changed - (e.added + e.updated);
        if others > 0 {
            parts.push(format!(
                "{} (templates, people, attachments…)",
                plural(others, "other record", "other records")
            ));
        }
        let mut line = format!("{}.", parts.join("; "));
        if let Some(backup) = &self.backup {
            line.push_str(&format!(
                " A backup of the journal as it was is at {}.",
                backup.display()
            ));
        }
        line
    }

    /// Recomputes [`ImportReport::total`] from the per-kind counts.
    fn sum(&mut self) {
        let mut total = RecordCounts::default();
        for c in [
            self.templates,
            self.people,
            self.relationships,
            self.mentoring_sessions,
            self.actions,
            self.cpd_activities,
            self.entries,
            self.attachments,
        ] {
            total.add(c);
        }
        self.total = total;
        self.summary = self.sentence();
    }
}

/// What a format's importer hands the steps every import ends with ([`commit`]), once each
/// record in its file has been read and found valid.
trait Staged {
    /// What happens to each record, in the order the importer keeps them.
    type Merges;

    /// Decides each record against what the journal holds, counting the outcome.
    fn decide(&self, journal: &Index) -> (ImportReport, Self::Merges);

    /// Writes the records that `merges` adds or updates.
    fn apply(
        &self,
        merges: &Self::Merges,
        w: &mut Writer<'_>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<()>;
}

/// The steps every import ends with, whatever its format: decide what changes against the
/// journal as it was read for validation; when nothing would change, stop without writing or
/// backing up; otherwise take a checked backup, then decide again and apply inside one
/// transaction (so an edit made in between is seen), and check the journal before it commits.
fn commit(
    store: &Store,
    file: &str,
    journal: &Index,
    staged: &impl Staged,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport> {
    let (preview, _) = staged.decide(journal);
    if preview.total.added == 0 && preview.total.updated == 0 {
        return Ok(preview);
    }
    // Nobody else writes while the file is applied: the backup and the check then speak for
    // exactly what was there and what came in.
    let (backup, mut report) = store.alone(|| {
        let mut ticker = Ticker::start(progress, "backing up", 1);
        let backup = store.backup("before-import")?;
        ticker.tick();
        ticker.finish();
        let report = store.write(|tx| {
            let index = sx::index(tx)?;
            let (report, merges) = staged.decide(&index);
            let mut writer = Writer::new(tx)?;
            staged.apply(&merges, &mut writer, progress)?;
            let mut ticker = Ticker::start(progress, "checking", 1);
            let check = writer.finish()?;
            ticker.tick();
            ticker.finish();
            if !check.is_ok() {
                let mut problems = check.integrity;
                problems.extend(check.foreign_keys);
                problems.extend(check.search_index);
                return Err(Error::import(
                    file,
                    format!(
                        "the journal failed its check after applying the file, so nothing was changed: {}",
                        problems.join("; ")
                    ),
                ));
            }
            Ok(report)
        })?;
        Ok((backup, report))
    })?;
    report.backup = Some(backup);
    report.summary = report.sentence();
    Ok(report)
}

/// `n` with thousands separated by commas, as the desktop app shows counts.
fn group(n: impl std::fmt::Display) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether an incoming copy of a record is added, replaces the journal's, or is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Merge {
    Add,
    Update,
    Skip,
}

impl Merge {
    /// A record the journal lacks is added; a strictly newer one replaces the journal's copy;
    /// an older or equally new one never overwrites it.
    fn decide(
        incoming: &chrono::DateTime<chrono::Utc>,
        journal: Option<&chrono::DateTime<chrono::Utc>>,
    ) -> Merge {
        match journal {
            None => Merge::Add,
            Some(existing) if incoming > existing => Merge::Update,
            Some(_) => Merge::Skip,
        }
    }

    fn count(self, counts: &mut RecordCounts) {
        match self {
            Merge::Add => counts.added += 1,
            Merge::Update => counts.updated += 1,
            Merge::Skip => counts.skipped += 1,
        }
    }
}

/// Reports progress every [`Ticker::EVERY`] items and at the end of a phase, so that a
/// front end is told often enough to move a bar but not once per row.
struct Ticker<'p> {
    progress: &'p mut dyn FnMut(Progress),
    phase: &'static str,
    done: u64,
    total: u64,
}

impl<'p> Ticker<'p> {
    const EVERY: u64 = 1000;

    fn start(progress: &'p mut dyn FnMut(Progress), phase: &'static str, total: u64) -> Ticker<'p> {
        progress(Progress {
            phase: phase.to_owned(),
            done: 0,
            total,
        });
        Ticker {
            progress,
            phase,
            done: 0,
            total,
        }
    }

    fn tick(&mut self) {
        self.done += 1;
        if self.done.is_multiple_of(Self::EVERY) {
            (self.progress)(Progress {
                phase: self.phase.to_owned(),
                done: self.done,
                total: self.total,
            });
        }
    }

    fn finish(self) {
        (self.progress)(Progress {
            phase: self.phase.to_owned(),
            done: self.done,
            total: self.total,
        });
    }
}

/// The name an error message uses for a file: its file name, or the whole path if it has none.
fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// How many bytes a reader may still read before it fails; the importer sets it afresh
/// before each record, so that one record cannot grow without bound in memory (RELIABILITY
/// I3: limits enforced while reading, not after).
type Budget = Rc<Cell<u64>>;

/// A reader that fails once it has read more than its [`Budget`] allows.
struct Metered<R> {
    inner: R,
    budget: Budget,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let left = self.budget.get();
        if n as u64 > left {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "a record is larger than the import limit",
            ));
        }
        self.budget.set(left - n as u64);
        Ok(n)
    }
}

/// The reader [`open_capped`] gives.
type CappedReader = BufReader<Metered<std::io::Take<File>>>;

/// The read-ahead buffer of an import. The budget counts bytes as they enter it, so a
/// budget must allow this much on top of the record it is meant for.
const READ_AHEAD: usize = 1 << 20;

/// Opens a file for streaming, refusing one larger than `cap` bytes and never reading past
/// `cap` (the file may grow in between); a UTF-8 byte-order mark is skipped. Reads fail once
/// they exceed `budget`, which starts unlimited.
fn open_capped(path: &Path, cap: u64) -> Result<(CappedReader, Budget)> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if len > cap {
        return Err(Error::import(
            file_label(path),
            format!("the file is larger than the {cap}-byte limit for imports"),
        ));
    }
    let budget: Budget = Rc::new(Cell::new(u64::MAX));
    let metered = Metered {
        inner: file.take(cap),
        budget: Rc::clone(&budget),
    };
    let mut reader = BufReader::with_capacity(READ_AHEAD, metered);
    if reader
        .fill_buf()
        .map_err(|e| Error::io(path, e))?
        .starts_with(b"\xEF\xBB\xBF")
    {
        reader.consume(3);
    }
    Ok((reader, budget))
}

/// Writes `out` through a temporary file beside it that is renamed into place only when
/// `write` succeeded, so a failed export never leaves a half-written file. Returns the size.
fn write_atomically(
    out: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
) -> Result<u64> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .ok_or_else(|| Error::invalid("path", format!("{} is not a file path", out.display())))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.partial", crate::model::new_id().simple()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| Error::io(&tmp, e))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        write(&mut w)?;
        let file = w
            .into_inner()
            .map_err(|e| Error::io(&tmp, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&tmp, e))?;
        let len = file.metadata().map_err(|e| Error::io(&tmp, e))?.len();
        drop(file);
        std::fs::rename(&tmp, out).map_err(|e| Error::io(out, e))?;
        Ok(len)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Turns a `serde_json` error met while writing into the core's error.
fn write_error(path: &Path, e: serde_json::Error) -> Error {
    Error::io(path, std::io::Error::from(e))
}

/// Flushes and reports a write error on `w`.
fn flush(path: &Path, w: &mut impl Write) -> Result<()> {
    w.flush().map_err(|e| Error::io(path, e))
}

/// Deserialises a JSON array one element at a time, remembering the index of an element that
/// fails so that the error can name it (`entries[12]`) rather than only a line and column.
struct Section<'c, T> {
    name: &'static str,
    failed_at: &'c Cell<Option<(&'static str, usize)>>,
    item: PhantomData<T>,
}

impl<'c, T> Section<'c, T> {
    fn new(name: &'static str, failed_at: &'c Cell<Option<(&'static str, usize)>>) -> Self {
        Section {
            name,
            failed_at,
            item: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Section<'_, T> {
    type Value = Vec<T>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Section<'_, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a list of {}", self.name)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // The hint comes from the file, so it is not trusted for the allocation.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            match seq.next_element::<T>() {
                Ok(Some(item)) => out.push(item),
                Ok(None) => return Ok(out),
                Err(e) => {
                    self.failed_at.set(Some((self.name, out.len())));
                    return Err(e);
                }
            }
        }
    }
}

/// The location of a parse error: `file`, or `file: section[i]` when it was inside a record.
fn parse_location(file: &str, failed_at: Option<(&'static str, usize)>) -> String {
    match failed_at {
        Some((section, i)) => format!("{file}: {section}[{i}]"),
        None => file.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(added: u32, updated: u32, skipped: u32) -> RecordCounts {
        RecordCounts {
            added,
            updated,
            skipped,
        }
    }

    /// `report` with its totals and summary filled in, as an import leaves it.
    fn summed(mut report: ImportReport) -> ImportReport {
        report.sum();
        report
    }

    #[test]
    fn the_sentence_counts_new_and_updated_entries_what_was_there_and_where_the_backup_is() {
        let r = summed(ImportReport {
            entries: counts(10, 2, 3),
            attachments: counts(4, 0, 0),
            backup: Some(PathBuf::from("/b/before-import.reprise")),
            ..ImportReport::default()
        });
        assert_eq!(
            r.sentence(),
            "Imported 12 entries (10 new, 2 updated); 3 already here; 4 other records \
             (templates, people, attachments…). A backup of the journal as it was is at \
             /b/before-import.reprise."
        );
    }

    #[test]
    fn the_sentence_says_plainly_when_a_reimport_changed_nothing() {
        let r = summed(ImportReport {
            entries: counts(0, 0, 5),
            people: counts(0, 0, 2),
            ..ImportReport::default()
        });
        assert_eq!(
            r.summary,
            "Nothing new to import: all 7 records were already in the journal."
        );
    }

    #[test]
    fn an_export_names_every_kind_of_record_it_wrote_and_its_size() {
        let s = ExportSummary {
            entries: 1204,
            attachments: 3,
            people: 4,
            relationships: 1,
            mentoring_sessions: 12,
            cpd_activities: 1,
            templates: 9,
            bytes: 48 * 1024 * 1024,
            path: PathBuf::from("/home/sam/journal.json"),
            ..ExportSummary::default()
        };
        assert_eq!(
            s.sentence(),
            "Exported 1,204 entries, 3 attachments, 4 people, 1 relationship, 12 session notes, \
             1 CPD activity and 9 templates (48 MB) to /home/sam/journal.json."
        );
        let empty = ExportSummary {
            bytes: 2,
            path: PathBuf::from("out"),
            ..ExportSummary::default()
        };
        assert_eq!(empty.sentence(), "Exported 0 entries (2 bytes) to out.");
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        use crate::model::human_size;
        assert_eq!(human_size(1), "1 byte");
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(48 * 1024), "48 KB");
        assert_eq!(human_size(1536 * 1024), "1.5 MB");
        assert_eq!(human_size(2 * 1024 * 1024), "2 MB");
        assert_eq!(human_size(100 * 1024 * 1024), "100 MB");
        assert_eq!(human_size(4 * 1024 * 1024 * 1024), "4 GB");
    }

    #[test]
    fn large_counts_are_grouped_in_thousands() {
        assert_eq!(group(7), "7");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(50_000), "50,000");
        assert_eq!(group(1_234_567), "1,234,567");
    }
}
