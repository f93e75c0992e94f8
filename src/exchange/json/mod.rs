//! The lossless, versioned Reprise JSON document: the whole journal in one file.
//!
//! ```json
//! {
//!   "format": "reprise-journal",
//!   "version": 1,
//!   "templates": [ … ], "people": [ … ], "relationships": [ … ],
//!   "mentoring_sessions": [ … ], "actions": [ … ], "cpd_activities": [ … ],
//!   "entries": [ … ],
//!   "attachments": [ { "id": …, "entry_id" or "cpd_id": …, "file_name": …, "media_type": …,
//!                      "size": …, "sha256": …, "created_at": …, "updated_at": …,
//!                      "data": "<base64>" } ]
//! }
//! ```
//!
//! Every record is written exactly as the model serialises it, every array is sorted by id,
//! and nothing depends on when the export ran, so exporting, importing into an empty journal
//! and exporting again gives the same bytes. `format` and `version` always come first, so a
//! reader can refuse a newer document before reading the rest. Entries in the trash are
//! included with their `deleted_at`. Derived fields — `cpd_activities[].linked_entries` and
//! the `attachments` lists inside entries and CPD activities — are written for people reading
//! the file and checked on import, but the links come from `entries[].linked_cpd` and the
//! attachments from the top-level list.
//!
//! Both directions stream: the export writes entries and attachments as it reads them from
//! the journal, and the import reads the file twice (validate, then apply) rather than hold
//! it, so a 50,000-entry journal moves in about 100 MB of memory.

mod import;
mod read;
mod validate;

pub use import::import;
pub(crate) use validate::strict_date;

use super::{
    commit, file_label, flush, open_capped, parse_location, write_atomically, write_error, Budget,
    ExportSummary, ImportReport, Merge, Progress, Staged, Ticker, READ_AHEAD,
};
use crate::error::{Error, Result};
use crate::model::{
    parse_ts, Action, ActionInput, ActionSource, ActionStatus, AttachmentMeta, CpdActivity,
    CpdInput, CpdType, Entry, EntryInput, EntryKind, Member, MentoringSession,
    MentoringSessionInput, Person, PersonInput, Prompt, Relationship, RelationshipInput,
    RelationshipKind, RelationshipStatus, Role, SessionFacts, Template, TemplateInput,
};
use crate::store::exchange::{
    self as sx, checked_file_name, checked_media_type, entry_from_input, Index, StoredAttachment,
};
use crate::store::row::{self, Editable};
use crate::store::{sha256_hex, AttachmentOwner, MAX_ATTACHMENT_BYTES};
use crate::Store;
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::Transaction;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::str::FromStr;
use uuid::Uuid;

/// The document's `format`: what a Reprise journal export calls itself.
pub const FORMAT: &str = "reprise-journal";

/// The document version this build writes and the newest it reads.
pub const VERSION: u64 = 1;

/// The largest file [`import`] reads: 4 GiB. Attachments travel inside the document (up to
/// 100 MiB each, as base64), so a journal with many recordings is legitimately large. The
/// import streams, so memory does not grow with the file; the cap bounds the time a hostile
/// or mistaken file can take before it is refused. Strings are bounded by the model's own
/// limits (2 MiB bodies, 300-character titles) and attachments by
/// [`MAX_ATTACHMENT_BYTES`], checked before their data is decoded; nesting is bounded by
/// `serde_json`'s recursion limit (128).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// The most bytes one record other than an attachment may take in the file: the model's
/// limits (two 2 MiB texts, a title, tags) with room for escapes, plus the read-ahead.
const RECORD_BYTES: u64 = 32 * 1024 * 1024 + READ_AHEAD as u64;

/// The most bytes one attachment record may take: its largest data as base64, plus room for
/// its metadata and the read-ahead.
const ATTACHMENT_RECORD_BYTES: u64 = MAX_ATTACHMENT_BYTES.div_ceil(3) * 4 + 2 * READ_AHEAD as u64;

/// The most bytes the document's own keys and `format`/`version` values may take.
const ENVELOPE_BYTES: u64 = 64 * 1024 + READ_AHEAD as u64;

/// Writes the whole journal to `out` as a Reprise JSON document.
///
/// The document is written to a temporary file beside `out` and renamed into place, so a
/// failed export leaves no half-written file.
///
/// # Errors
/// [`Error::Io`] if the file cannot be written; a storage error if the journal cannot be read.
pub fn export(
    store: &Store,
    out: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<ExportSummary> {
    let mut written = (0, 0);
    let mut small = ExportSummary::default();
    let bytes = write_atomically(out, |w| {
        store.read(|tx| {
            let counts = sx::counts(tx)?;
            let records = SmallRecords::load(tx)?;
            let n = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
            small = ExportSummary {
                templates: n(records.templates.len()),
                people: n(records.people.len()),
                relationships: n(records.relationships.len()),
                mentoring_sessions: n(records.sessions.len()),
                actions: n(records.actions.len()),
                cpd_activities: n(records.cpd.len()),
                ..ExportSummary::default()
            };
            let doc = Document {
                tx,
                small: records,
                counts,
                progress: RefCell::new(&mut *progress),
                failure: RefCell::new(None),
                written: Cell::new((0, 0)),
            };
            let mut ser = serde_json::Serializer::with_formatter(
                &mut *w,
                serde_json::ser::PrettyFormatter::with_indent(b"  "),
            );
            if let Err(e) = doc.serialize(&mut ser) {
                return Err(doc.failure.take().unwrap_or_else(|| write_error(out, e)));
            }
            written = doc.written.get();
            w.write_all(b"\n").map_err(|e| Error::io(out, e))?;
            flush(out, w)
        })
    })?;
    Ok(ExportSummary {
        entries: written.0,
        attachments: written.1,
        bytes,
        path: out.to_path_buf(),
        ..small
    }
    .finished())
}

/// The records few and small enough to hold whole, in the document's order: what an export
/// loads before it streams entries and attachments, and what an import's first pass keeps.
#[derive(Default)]
struct SmallRecords {
    templates: Vec<Template>,
    people: Vec<Person>,
    relationships: Vec<Relationship>,
    sessions: Vec<MentoringSession>,
    actions: Vec<Action>,
    cpd: Vec<CpdActivity>,
}

impl SmallRecords {
    /// Every one of them in the journal, each section by id.
    fn load(tx: &Transaction<'_>) -> Result<SmallRecords> {
        Ok(SmallRecords {
            templates: sx::templates(tx)?,
            people: sx::people(tx)?,
            relationships: sx::relationships(tx)?,
            sessions: sx::sessions(tx)?,
            actions: sx::actions(tx)?,
            cpd: sx::cpd_activities(tx)?,
        })
    }
}

/// The export, serialised lazily: small tables are loaded up front, entries and attachments
/// are streamed from the database one at a time.
struct Document<'a, 't> {
    tx: &'a Transaction<'t>,
    small: SmallRecords,
    counts: sx::Counts,
    progress: RefCell<&'a mut dyn FnMut(Progress)>,
    /// A storage error met while streaming (serde can only carry a message).
    failure: RefCell<Option<Error>>,
    /// Entries and attachments written.
    written: Cell<(u32, u32)>,
}

impl Serialize for Document<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(10))?;
        map.serialize_entry("format", FORMAT)?;
        map.serialize_entry("version", &VERSION)?;
        map.serialize_entry("templates", &self.small.templates)?;
        map.serialize_entry("people", &self.small.people)?;
        map.serialize_entry("relationships", &self.small.relationships)?;
        map.serialize_entry("mentoring_sessions", &self.small.sessions)?;
        map.serialize_entry("actions", &self.small.actions)?;
        map.serialize_entry("cpd_activities", &self.small.cpd)?;
        map.serialize_entry(
            "entries",
            &Stream {
                doc: self,
                what: Streamed::Entries,
            },
        )?;
        map.serialize_entry(
            "attachments",
            &Stream {
                doc: self,
                what: Streamed::Attachments,
            },
        )?;
        map.end()
    }
}

#[derive(Clone, Copy)]
enum Streamed {
    Entries,
    Attachments,
}

struct Stream<'d, 'a, 't> {
    doc: &'d Document<'a, 't>,
    what: Streamed,
}

impl Serialize for Stream<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let doc = self.doc;
        let mut seq = s.serialize_seq(None)?;
        let mut progress = doc.progress.borrow_mut();
        let mut serde_error = None;
        let mut written = 0u32;
        let (phase, total) = match self.what {
            Streamed::Entries => ("entries", doc.counts.entries),
            Streamed::Attachments => ("attachments", doc.counts.attachments),
        };
        let mut ticker = Ticker::start(&mut **progress, phase, total);
        let mut emit = |element: Element| {
            seq.serialize_element(&element).map_err(|e| {
                serde_error = Some(e);
                Error::invalid("export", "stopped by a write error")
            })?;
            written += 1;
            ticker.tick();
            Ok(())
        };
        let result = match self.what {
            Streamed::Entries => sx::for_each_entry(doc.tx, false, |e| emit(Element::Entry(e))),
            Streamed::Attachments => {
                sx::for_each_attachment(doc.tx, sx::AttachmentScope::All, |a| {
                    emit(Element::Attachment(a.into()))
                })
            }
        };
        ticker.finish();
        if let Some(e) = serde_error {
            return Err(e);
        }
        if let Err(e) = result {
            let message = e.to_string();
            *doc.failure.borrow_mut() = Some(e);
            return Err(S::Error::custom(message));
        }
        let (entries, attachments) = doc.written.get();
        doc.written.set(match self.what {
            Streamed::Entries => (written, attachments),
            Streamed::Attachments => (entries, written),
        });
        seq.end()
    }
}

/// One element of a streamed section, serialised as the record it holds.
#[derive(Serialize)]
#[serde(untagged)]
enum Element {
    Entry(Entry),
    Attachment(AttachmentRecord),
}

/// An attachment as the document carries it: its owner, metadata, `updated_at` and bytes.
#[derive(Serialize)]
struct AttachmentRecord {
    id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cpd_id: Option<Uuid>,
    file_name: String,
    media_type: String,
    size: u64,
    sha256: String,
    #[serde(with = "crate::model::ts")]
    created_at: DateTime<Utc>,
    #[serde(with = "crate::model::ts")]
    updated_at: DateTime<Utc>,
    data: String,
}

impl From<StoredAttachment> for AttachmentRecord {
    fn from(a: StoredAttachment) -> Self {
        let (entry_id, cpd_id) = match a.owner {
            AttachmentOwner::Entry(id) => (Some(id), None),
            AttachmentOwner::Cpd(id) => (None, Some(id)),
        };
        AttachmentRecord {
            id: a.meta.id,
            entry_id,
            cpd_id,
            file_name: a.meta.file_name,
            media_type: a.meta.media_type,
            size: a.meta.size,
            sha256: a.meta.sha256,
            created_at: a.meta.created_at,
            updated_at: a.updated_at,
            data: base64::engine::general_purpose::STANDARD.encode(&a.data),
        }
    }
}
