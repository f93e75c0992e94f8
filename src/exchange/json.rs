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

use super::{
    file_label, flush, parse_location, read_capped, write_atomically, write_error, ExportSummary,
    ImportReport, Merge, Progress, Section, Ticker,
};
use crate::error::{Error, Result};
use crate::model::{
    parse_ts, Action, ActionInput, ActionSource, ActionStatus, AttachmentMeta, CpdActivity,
    CpdInput, CpdType, Entry, EntryInput, EntryKind, Member, MentoringSession,
    MentoringSessionInput, Person, PersonInput, Prompt, Relationship, RelationshipInput,
    RelationshipKind, RelationshipStatus, Role, SessionFacts, Template, TemplateInput,
};
use crate::store::exchange::{self as sx, checked_file_name, checked_media_type, Index, StoredAttachment};
use crate::store::{sha256_hex, AttachmentOwner, MAX_ATTACHMENT_BYTES};
use crate::Store;
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::Transaction;
use serde::de::{DeserializeSeed, MapAccess, Visitor};
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
/// 100 MiB each, as base64), so a journal with many recordings is legitimately large; the cap
/// stops a hostile or mistaken file from exhausting memory before anything is checked.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Writes the whole journal to `out` as a Reprise JSON document.
///
/// The document is written to a temporary file beside `out` and renamed into place, so a
/// failed export leaves no half-written file.
///
/// # Errors
/// [`Error::Io`] if the file cannot be written; a storage error if the journal cannot be read.
pub fn export(store: &Store, out: &Path, progress: &mut dyn FnMut(Progress)) -> Result<ExportSummary> {
    let mut written = (0, 0);
    let bytes = write_atomically(out, |w| {
        store.read(|tx| {
            let counts = sx::counts(tx)?;
            let doc = Document {
                tx,
                templates: sx::templates(tx)?,
                people: sx::people(tx)?,
                relationships: sx::relationships(tx)?,
                sessions: sx::sessions(tx)?,
                actions: sx::actions(tx)?,
                cpd: sx::cpd_activities(tx)?,
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
    Ok(ExportSummary { entries: written.0, attachments: written.1, bytes, path: out.to_path_buf() })
}

/// The export, serialised lazily: small tables are loaded up front, entries and attachments
/// are streamed from the database one at a time.
struct Document<'a, 't> {
    tx: &'a Transaction<'t>,
    templates: Vec<Template>,
    people: Vec<Person>,
    relationships: Vec<Relationship>,
    sessions: Vec<MentoringSession>,
    actions: Vec<Action>,
    cpd: Vec<CpdActivity>,
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
        map.serialize_entry("templates", &self.templates)?;
        map.serialize_entry("people", &self.people)?;
        map.serialize_entry("relationships", &self.relationships)?;
        map.serialize_entry("mentoring_sessions", &self.sessions)?;
        map.serialize_entry("actions", &self.actions)?;
        map.serialize_entry("cpd_activities", &self.cpd)?;
        map.serialize_entry("entries", &Stream { doc: self, what: Streamed::Entries })?;
        map.serialize_entry("attachments", &Stream { doc: self, what: Streamed::Attachments })?;
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
        let stopped = || Error::invalid("export", "stopped by a write error");
        let result = match self.what {
            Streamed::Entries => {
                let mut ticker = Ticker::start(&mut **progress, "entries", doc.counts.entries);
                let r = sx::for_each_entry(doc.tx, false, |entry| {
                    seq.serialize_element(&entry).map_err(|e| {
                        serde_error = Some(e);
                        stopped()
                    })?;
                    written += 1;
                    ticker.tick();
                    Ok(())
                });
                ticker.finish();
                r
            }
            Streamed::Attachments => {
                let mut ticker = Ticker::start(&mut **progress, "attachments", doc.counts.attachments);
                let r = sx::for_each_attachment(doc.tx, sx::AttachmentScope::All, |a| {
                    seq.serialize_element(&AttachmentRecord::from(a)).map_err(|e| {
                        serde_error = Some(e);
                        stopped()
                    })?;
                    written += 1;
                    ticker.tick();
                    Ok(())
                });
                ticker.finish();
                r
            }
        };
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

/// Imports a Reprise JSON document into the journal, merging by id.
///
/// Everything is validated first (format, version, ids, timestamps, enum values, every
/// record's fields, attachment sizes and hashes, duplicate ids, and that every reference can
/// be resolved in the file or the journal). Then a checked backup is taken and the records
/// are applied in one transaction: a record the journal lacks is added, a strictly newer one
/// replaces the journal's copy, and an older or equally new one is skipped. The journal is
/// checked before the transaction commits. When nothing would change, nothing is written and
/// no backup is taken.
///
/// # Errors
/// [`Error::Import`] naming the file, record and field for anything wrong with the file
/// (including a document from a newer Reprise); nothing has been written then. Storage and
/// I/O errors otherwise, also with nothing written.
pub fn import(store: &Store, path: &Path, progress: &mut dyn FnMut(Progress)) -> Result<ImportReport> {
    let file = file_label(path);
    let ticker = Ticker::start(progress, "reading", 1);
    let bytes = read_capped(path, MAX_FILE_BYTES)?;
    let doc = parse(&bytes, &file)?;
    drop(bytes);
    ticker.finish();

    let journal = store.read(|tx| sx::index(tx))?;
    let plan = validate(doc, &journal, &file, progress)?;
    let (preview, _) = decide(&plan, &journal);
    if preview.total.added == 0 && preview.total.updated == 0 {
        return Ok(preview);
    }

    Ticker::start(progress, "backing up", 1).finish();
    let backup = store.backup("before-import")?;
    let mut report = store.write(|tx| {
        let index = sx::index(tx)?;
        let (report, merges) = decide(&plan, &index);
        let mut writer = sx::Writer::new(tx)?;
        apply(&plan, &merges, &mut writer, progress)?;
        Ticker::start(progress, "checking", 1).finish();
        let check = writer.finish()?;
        if !check.is_ok() {
            let mut problems = check.integrity;
            problems.extend(check.foreign_keys);
            problems.extend(check.search_index);
            return Err(Error::import(
                &file,
                format!("the journal failed its check after applying the file, so nothing was changed: {}", problems.join("; ")),
            ));
        }
        Ok(report)
    })?;
    report.backup = Some(backup);
    Ok(report)
}

/// Everything a validated file holds, in model form.
struct Plan {
    templates: Vec<Template>,
    people: Vec<Person>,
    relationships: Vec<Relationship>,
    sessions: Vec<MentoringSession>,
    actions: Vec<Action>,
    cpd: Vec<CpdActivity>,
    entries: Vec<Entry>,
    attachments: Vec<StoredAttachment>,
}

/// What happens to each record of a plan, in the plan's order.
struct Merges {
    templates: Vec<Merge>,
    people: Vec<Merge>,
    relationships: Vec<Merge>,
    sessions: Vec<Merge>,
    actions: Vec<Merge>,
    cpd: Vec<Merge>,
    entries: Vec<Merge>,
    attachments: Vec<Merge>,
}

fn decide(plan: &Plan, index: &Index) -> (ImportReport, Merges) {
    let mut report = ImportReport::default();
    fn each<T>(
        records: &[T],
        stamp: impl Fn(&T) -> (Uuid, DateTime<Utc>),
        journal: &HashMap<Uuid, DateTime<Utc>>,
        counts: &mut super::RecordCounts,
    ) -> Vec<Merge> {
        records
            .iter()
            .map(|r| {
                let (id, updated) = stamp(r);
                let m = Merge::decide(&updated, journal.get(&id));
                m.count(counts);
                m
            })
            .collect()
    }
    let merges = Merges {
        templates: each(&plan.templates, |t| (t.id, t.updated_at), &index.templates, &mut report.templates),
        people: each(&plan.people, |p| (p.id, p.updated_at), &index.people, &mut report.people),
        relationships: each(
            &plan.relationships,
            |r| (r.id, r.updated_at),
            &index.relationships,
            &mut report.relationships,
        ),
        sessions: each(&plan.sessions, |s| (s.id, s.updated_at), &index.sessions, &mut report.mentoring_sessions),
        actions: each(&plan.actions, |a| (a.id, a.updated_at), &index.actions, &mut report.actions),
        cpd: each(&plan.cpd, |c| (c.id, c.updated_at), &index.cpd, &mut report.cpd_activities),
        entries: each(&plan.entries, |e| (e.id, e.updated_at), &index.entries, &mut report.entries),
        attachments: each(
            &plan.attachments,
            |a| (a.meta.id, a.updated_at),
            &index.attachments,
            &mut report.attachments,
        ),
    };
    report.sum();
    (report, merges)
}

/// Writes the records that are added or updated, in an order that satisfies every foreign
/// key: templates and people first, entry rows before entry links, actions and attachments
/// last.
fn apply(plan: &Plan, m: &Merges, w: &mut sx::Writer<'_>, progress: &mut dyn FnMut(Progress)) -> Result<()> {
    let total = [
        plan.templates.len(),
        plan.people.len(),
        plan.relationships.len(),
        plan.sessions.len(),
        plan.actions.len(),
        plan.cpd.len(),
        2 * plan.entries.len(),
        plan.attachments.len(),
    ]
    .iter()
    .sum::<usize>() as u64;
    let mut ticker = Ticker::start(progress, "applying", total);
    let changes = |merges: &[Merge]| merges.iter().copied().enumerate().filter(|(_, m)| *m != Merge::Skip).collect::<Vec<_>>();
    for (i, _) in changes(&m.templates) {
        w.template(&plan.templates[i])?;
        ticker.tick();
    }
    for (i, _) in changes(&m.people) {
        w.person(&plan.people[i])?;
        ticker.tick();
    }
    for (i, _) in changes(&m.relationships) {
        w.relationship(&plan.relationships[i])?;
        ticker.tick();
    }
    for (i, _) in changes(&m.sessions) {
        w.session(&plan.sessions[i])?;
        ticker.tick();
    }
    for (i, merge) in changes(&m.cpd) {
        w.cpd(&plan.cpd[i], merge == Merge::Update)?;
        ticker.tick();
    }
    let entries = changes(&m.entries);
    for &(i, merge) in &entries {
        w.entry(&plan.entries[i], merge == Merge::Update)?;
        ticker.tick();
    }
    for &(i, merge) in &entries {
        w.entry_links(&plan.entries[i], merge == Merge::Update)?;
        ticker.tick();
    }
    for (i, _) in changes(&m.actions) {
        w.action(&plan.actions[i])?;
        ticker.tick();
    }
    for (i, merge) in changes(&m.attachments) {
        w.attachment(&plan.attachments[i], merge == Merge::Update)?;
        ticker.tick();
    }
    ticker.finish();
    Ok(())
}

// ---- Reading -------------------------------------------------------------------------------

/// The document as read, before validation. Ids, timestamps, dates and enum values stay text
/// here so that a bad one can be reported with its record and field.
#[derive(Default)]
struct RawDoc {
    format: Option<String>,
    version: Option<u64>,
    templates: Vec<RawTemplate>,
    people: Vec<RawPerson>,
    relationships: Vec<RawRelationship>,
    mentoring_sessions: Vec<RawSession>,
    actions: Vec<RawAction>,
    cpd_activities: Vec<RawCpd>,
    entries: Vec<RawEntry>,
    attachments: Vec<RawAttachment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    id: String,
    key: String,
    name: String,
    description: String,
    kind: String,
    builtin: bool,
    prompts: Vec<Prompt>,
    created_at: String,
    updated_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    id: String,
    display_name: String,
    contact: Option<String>,
    role_words: Option<String>,
    is_owner: bool,
    notes: String,
    created_at: String,
    updated_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    person_id: String,
    role: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelationship {
    id: String,
    kind: String,
    name: String,
    purpose: String,
    started_on: Option<String>,
    ended_on: Option<String>,
    status: String,
    members: Vec<RawMember>,
    created_at: String,
    updated_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSession {
    id: String,
    relationship_id: String,
    held_on: String,
    duration_minutes: Option<u32>,
    notes: String,
    attendees: Vec<String>,
    created_at: String,
    updated_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    id: String,
    title: String,
    detail: String,
    owner_id: Option<String>,
    due_on: Option<String>,
    status: String,
    source: String,
    source_entry_id: Option<String>,
    source_session_id: Option<String>,
    created_at: String,
    updated_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    id: String,
    // The rest is checked against the top-level attachment with this id's data.
    #[allow(dead_code)]
    file_name: String,
    #[allow(dead_code)]
    media_type: String,
    #[allow(dead_code)]
    size: u64,
    #[allow(dead_code)]
    sha256: String,
    #[allow(dead_code)]
    created_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCpd {
    id: String,
    title: String,
    activity_type: String,
    started_on: String,
    ended_on: Option<String>,
    hours: f64,
    participatory_hours: f64,
    provider: Option<String>,
    description: String,
    outcomes: String,
    impact: String,
    benefit: String,
    evidence: String,
    standards: Vec<String>,
    tags: Vec<String>,
    linked_entries: Vec<String>,
    attachments: Vec<RawMeta>,
    created_at: String,
    updated_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    kind: String,
    title: String,
    body: String,
    occurred_on: String,
    occurred_time: Option<String>,
    template_id: Option<String>,
    starred: bool,
    tags: Vec<String>,
    session: Option<SessionFacts>,
    linked_entries: Vec<String>,
    linked_cpd: Vec<String>,
    linked_relationships: Vec<String>,
    attachments: Vec<RawMeta>,
    created_at: String,
    updated_at: String,
    deleted_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttachment {
    id: String,
    entry_id: Option<String>,
    cpd_id: Option<String>,
    file_name: String,
    media_type: String,
    size: u64,
    sha256: String,
    created_at: String,
    updated_at: String,
    data: String,
}

/// What the document reader noticed besides the document itself.
#[derive(Default)]
struct ParseState {
    failed_at: Cell<Option<(&'static str, usize)>>,
    /// A refusal with a better message than serde's (wrong format, newer version).
    refusal: RefCell<Option<Error>>,
    file: String,
}

const TOP_LEVEL: &[&str] = &[
    "format",
    "version",
    "templates",
    "people",
    "relationships",
    "mentoring_sessions",
    "actions",
    "cpd_activities",
    "entries",
    "attachments",
];

fn not_ours(file: &str, found: &str) -> Error {
    Error::import(file, format!("this is not a Reprise journal export (format {found:?}, expected {FORMAT:?})"))
}

fn too_new(file: &str, version: u64) -> Error {
    Error::import(
        file,
        format!("written by a newer Reprise (format {version}; this build reads up to {VERSION}); update Reprise to import it"),
    )
}

struct DocSeed<'s>(&'s ParseState);

impl<'de> DeserializeSeed<'de> for DocSeed<'_> {
    type Value = RawDoc;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<RawDoc, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_> {
    type Value = RawDoc;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Reprise journal export (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDoc, A::Error> {
        use serde::de::Error as _;
        let state = self.0;
        let refuse = |e: Error| {
            let message = e.to_string();
            *state.refusal.borrow_mut() = Some(e);
            A::Error::custom(message)
        };
        let mut doc = RawDoc::default();
        let mut seen: HashSet<String> = HashSet::new();
        let at = &state.failed_at;
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(A::Error::custom(format!("duplicate field `{key}`")));
            }
            match key.as_str() {
                "format" => {
                    let format: String = map.next_value()?;
                    if format != FORMAT {
                        return Err(refuse(not_ours(&state.file, &format)));
                    }
                    doc.format = Some(format);
                }
                "version" => {
                    let version: u64 = map.next_value()?;
                    if version > VERSION {
                        return Err(refuse(too_new(&state.file, version)));
                    }
                    if version == 0 {
                        return Err(refuse(Error::import(&state.file, "format version 0 does not exist")));
                    }
                    doc.version = Some(version);
                }
                "templates" => doc.templates = map.next_value_seed(Section::new("templates", at))?,
                "people" => doc.people = map.next_value_seed(Section::new("people", at))?,
                "relationships" => doc.relationships = map.next_value_seed(Section::new("relationships", at))?,
                "mentoring_sessions" => {
                    doc.mentoring_sessions = map.next_value_seed(Section::new("mentoring_sessions", at))?
                }
                "actions" => doc.actions = map.next_value_seed(Section::new("actions", at))?,
                "cpd_activities" => doc.cpd_activities = map.next_value_seed(Section::new("cpd_activities", at))?,
                "entries" => doc.entries = map.next_value_seed(Section::new("entries", at))?,
                "attachments" => doc.attachments = map.next_value_seed(Section::new("attachments", at))?,
                other => return Err(A::Error::unknown_field(other, TOP_LEVEL)),
            }
        }
        Ok(doc)
    }
}

/// Reads just `format` and `version`, skipping everything else without understanding it, so
/// that a document from a newer Reprise is refused as such even when its records (or the
/// order of its keys) are not what this build expects.
fn probe(bytes: &[u8]) -> (Option<String>, Option<u64>) {
    #[derive(Default)]
    struct Found {
        format: Option<String>,
        version: Option<u64>,
    }
    struct Probe<'f>(&'f RefCell<Found>);
    impl<'de> Visitor<'de> for Probe<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            use serde::de::Error as _;
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "format" => self.0.borrow_mut().format = Some(map.next_value::<String>()?),
                    "version" => self.0.borrow_mut().version = Some(map.next_value::<u64>()?),
                    _ => {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                let found = self.0.borrow();
                if found.format.is_some() && found.version.is_some() {
                    break;
                }
            }
            // Stop reading here; the caller only wanted these two.
            Err(A::Error::custom("probe done"))
        }
    }
    let found = RefCell::new(Found::default());
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let _ = serde::Deserializer::deserialize_map(&mut de, Probe(&found));
    let found = found.into_inner();
    (found.format, found.version)
}

fn parse(bytes: &[u8], file: &str) -> Result<RawDoc> {
    let state = ParseState { file: file.to_owned(), ..ParseState::default() };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = DocSeed(&state).deserialize(&mut de).and_then(|doc| de.end().map(|()| doc));
    let doc = match result {
        Ok(doc) => doc,
        Err(e) => {
            if let Some(refusal) = state.refusal.take() {
                return Err(refusal);
            }
            match probe(bytes) {
                (_, Some(v)) if v > VERSION => return Err(too_new(file, v)),
                (Some(f), _) if f != FORMAT => return Err(not_ours(file, &f)),
                _ => {}
            }
            return Err(Error::import(parse_location(file, state.failed_at.get()), e.to_string()));
        }
    };
    if doc.format.is_none() {
        return Err(Error::import(file, format!("this is not a Reprise journal export (no \"format\": {FORMAT:?})")));
    }
    if doc.version.is_none() {
        return Err(Error::import(file, "no \"version\": the document's format version is missing"));
    }
    Ok(doc)
}

// ---- Validation ----------------------------------------------------------------------------

/// Where in the file a record is, for error locations like
/// `backup.json: entries[12] (0190…): occurred_on`.
struct Here<'a> {
    file: &'a str,
    section: &'static str,
    index: usize,
    id: &'a str,
}

impl Here<'_> {
    fn err(&self, field: &str, reason: impl Into<String>) -> Error {
        let (file, section, index, id) = (self.file, self.section, self.index, self.id);
        let location = if id.is_empty() {
            format!("{file}: {section}[{index}]: {field}")
        } else {
            format!("{file}: {section}[{index}] ({id}): {field}")
        };
        Error::import(location, reason)
    }

    /// Re-homes a model validation error at this record.
    fn invalid(&self, e: Error) -> Error {
        match e {
            Error::Invalid { field, reason } => self.err(&field, reason),
            other => other,
        }
    }

    fn uuid(&self, field: &str, text: &str) -> Result<Uuid> {
        Uuid::parse_str(text).map_err(|_| self.err(field, format!("{text:?} is not a UUID")))
    }

    fn opt_uuid(&self, field: &str, text: Option<&str>) -> Result<Option<Uuid>> {
        text.map(|t| self.uuid(field, t)).transpose()
    }

    fn uuids(&self, field: &str, texts: &[String]) -> Result<Vec<Uuid>> {
        texts.iter().map(|t| self.uuid(field, t)).collect()
    }

    fn ts(&self, field: &str, text: &str) -> Result<DateTime<Utc>> {
        parse_ts(text).ok_or_else(|| self.err(field, format!("{text:?} is not an RFC 3339 timestamp")))
    }

    fn opt_ts(&self, field: &str, text: Option<&str>) -> Result<Option<DateTime<Utc>>> {
        text.map(|t| self.ts(field, t)).transpose()
    }

    fn date(&self, field: &str, text: &str) -> Result<NaiveDate> {
        strict_date(text).ok_or_else(|| self.err(field, format!("{text:?} is not a date (YYYY-MM-DD)")))
    }

    fn opt_date(&self, field: &str, text: Option<&str>) -> Result<Option<NaiveDate>> {
        text.map(|t| self.date(field, t)).transpose()
    }

    fn parse<T: FromStr<Err = Error>>(&self, field: &str, text: &str) -> Result<T> {
        text.parse::<T>().map_err(|e| match e {
            Error::Invalid { reason, .. } => self.err(field, reason),
            other => other,
        })
    }

    /// Fails unless `id` is a record of this kind in the file or the journal.
    fn refers(
        &self,
        field: &str,
        id: Uuid,
        what: &str,
        file: &HashSet<Uuid>,
        journal: &HashMap<Uuid, DateTime<Utc>>,
    ) -> Result<()> {
        if file.contains(&id) || journal.contains_key(&id) {
            Ok(())
        } else {
            Err(self.err(field, format!("no {what} with id {id} in the file or the journal")))
        }
    }
}

/// A `YYYY-MM-DD` date and nothing else (chrono alone would accept five-digit years, which
/// would sort wrongly as text).
pub(crate) fn strict_date(text: &str) -> Option<NaiveDate> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    shaped.then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten()
}

/// The ids of the sections that other records refer to.
#[derive(Default)]
struct FileIds {
    templates: HashSet<Uuid>,
    people: HashSet<Uuid>,
    relationships: HashSet<Uuid>,
    sessions: HashSet<Uuid>,
    cpd: HashSet<Uuid>,
    entries: HashSet<Uuid>,
}

/// Parses every id of a section, refusing a bad or repeated one.
fn section_ids<T>(file: &str, section: &'static str, records: &[T], id: impl Fn(&T) -> &str) -> Result<HashSet<Uuid>> {
    let mut first: HashMap<Uuid, usize> = HashMap::with_capacity(records.len());
    for (index, r) in records.iter().enumerate() {
        let text = id(r);
        let here = Here { file, section, index, id: "" };
        let uuid = here.uuid("id", text)?;
        if let Some(earlier) = first.insert(uuid, index) {
            let here = Here { id: text, ..here };
            return Err(here.err("id", format!("the same id as {section}[{earlier}]")));
        }
    }
    Ok(first.into_keys().collect())
}

/// Template keys are short command-line names: lowercase ASCII letters, digits and `-`.
fn check_key(here: &Here<'_>, key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && key.len() <= 100
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(here.err("key", format!("{key:?} is not a template key (lowercase letters, digits and -)")))
    }
}

fn validate(doc: RawDoc, journal: &Index, file: &str, progress: &mut dyn FnMut(Progress)) -> Result<Plan> {
    let ids = FileIds {
        templates: section_ids(file, "templates", &doc.templates, |r| &r.id)?,
        people: section_ids(file, "people", &doc.people, |r| &r.id)?,
        relationships: section_ids(file, "relationships", &doc.relationships, |r| &r.id)?,
        sessions: section_ids(file, "mentoring_sessions", &doc.mentoring_sessions, |r| &r.id)?,
        cpd: section_ids(file, "cpd_activities", &doc.cpd_activities, |r| &r.id)?,
        entries: section_ids(file, "entries", &doc.entries, |r| &r.id)?,
    };
    section_ids(file, "actions", &doc.actions, |r| &r.id)?;
    section_ids(file, "attachments", &doc.attachments, |r| &r.id)?;
    let total = [
        doc.templates.len(),
        doc.people.len(),
        doc.relationships.len(),
        doc.mentoring_sessions.len(),
        doc.actions.len(),
        doc.cpd_activities.len(),
        doc.entries.len(),
        doc.attachments.len(),
    ]
    .iter()
    .sum::<usize>() as u64;
    let mut ticker = Ticker::start(progress, "validating", total);
    let v = Validator { file, journal, ids: &ids };

    let mut attachment_owners: HashMap<Uuid, AttachmentOwner> = HashMap::with_capacity(doc.attachments.len());
    let mut attachments = Vec::with_capacity(doc.attachments.len());
    for (index, raw) in doc.attachments.into_iter().enumerate() {
        let a = v.attachment(index, raw)?;
        attachment_owners.insert(a.meta.id, a.owner);
        attachments.push(a);
        ticker.tick();
    }
    let mut templates = Vec::with_capacity(doc.templates.len());
    for (index, raw) in doc.templates.into_iter().enumerate() {
        templates.push(v.template(index, raw)?);
        ticker.tick();
    }
    let mut people = Vec::with_capacity(doc.people.len());
    let mut owner: Option<usize> = None;
    for (index, raw) in doc.people.into_iter().enumerate() {
        let p = v.person(index, raw)?;
        if p.is_owner {
            if let Some(first) = owner {
                let here = Here { file, section: "people", index, id: &p.id.to_string() };
                return Err(here.err("is_owner", format!("a journal has one owner, and people[{first}] is already it")));
            }
            owner = Some(index);
        }
        people.push(p);
        ticker.tick();
    }
    let mut relationships = Vec::with_capacity(doc.relationships.len());
    for (index, raw) in doc.relationships.into_iter().enumerate() {
        relationships.push(v.relationship(index, raw)?);
        ticker.tick();
    }
    let mut sessions = Vec::with_capacity(doc.mentoring_sessions.len());
    for (index, raw) in doc.mentoring_sessions.into_iter().enumerate() {
        sessions.push(v.session(index, raw)?);
        ticker.tick();
    }
    let mut actions = Vec::with_capacity(doc.actions.len());
    for (index, raw) in doc.actions.into_iter().enumerate() {
        actions.push(v.action(index, raw)?);
        ticker.tick();
    }
    let mut cpd = Vec::with_capacity(doc.cpd_activities.len());
    for (index, raw) in doc.cpd_activities.into_iter().enumerate() {
        cpd.push(v.cpd(index, raw, &attachment_owners)?);
        ticker.tick();
    }
    let mut entries = Vec::with_capacity(doc.entries.len());
    for (index, raw) in doc.entries.into_iter().enumerate() {
        entries.push(v.entry(index, raw, &attachment_owners)?);
        ticker.tick();
    }
    ticker.finish();
    Ok(Plan { templates, people, relationships, sessions, actions, cpd, entries, attachments })
}

struct Validator<'a> {
    file: &'a str,
    journal: &'a Index,
    ids: &'a FileIds,
}

impl Validator<'_> {
    fn here<'h>(&'h self, section: &'static str, index: usize, id: &'h str) -> Here<'h> {
        Here { file: self.file, section, index, id }
    }

    fn template(&self, index: usize, r: RawTemplate) -> Result<Template> {
        let h = self.here("templates", index, &r.id);
        let kind: EntryKind = h.parse("kind", &r.kind)?;
        check_key(&h, &r.key)?;
        let input = TemplateInput { name: r.name, description: r.description, kind, prompts: r.prompts }
            .validated()
            .map_err(|e| h.invalid(e))?;
        Ok(Template {
            id: h.uuid("id", &r.id)?,
            key: r.key,
            name: input.name,
            description: input.description,
            kind,
            builtin: r.builtin,
            prompts: input.prompts,
            created_at: h.ts("created_at", &r.created_at)?,
            updated_at: h.ts("updated_at", &r.updated_at)?,
        })
    }

    fn person(&self, index: usize, r: RawPerson) -> Result<Person> {
        let h = self.here("people", index, &r.id);
        let input = PersonInput {
            display_name: r.display_name,
            contact: r.contact,
            role_words: r.role_words,
            notes: r.notes,
        }
        .validated()
        .map_err(|e| h.invalid(e))?;
        Ok(Person {
            id: h.uuid("id", &r.id)?,
            display_name: input.display_name,
            contact: input.contact,
            role_words: input.role_words,
            is_owner: r.is_owner,
            notes: input.notes,
            created_at: h.ts("created_at", &r.created_at)?,
            updated_at: h.ts("updated_at", &r.updated_at)?,
        })
    }

    fn relationship(&self, index: usize, r: RawRelationship) -> Result<Relationship> {
        let h = self.here("relationships", index, &r.id);
        let mut members = Vec::with_capacity(r.members.len());
        for (i, m) in r.members.iter().enumerate() {
            let person_id = h.uuid(&format!("members[{i}].person_id"), &m.person_id)?;
            h.refers(&format!("members[{i}].person_id"), person_id, "person", &self.ids.people, &self.journal.people)?;
            let role: Role = h.parse(&format!("members[{i}].role"), &m.role)?;
            members.push(Member { person_id, role });
        }
        let input = RelationshipInput {
            kind: h.parse::<RelationshipKind>("kind", &r.kind)?,
            name: r.name,
            purpose: r.purpose,
            started_on: h.opt_date("started_on", r.started_on.as_deref())?,
            ended_on: h.opt_date("ended_on", r.ended_on.as_deref())?,
            status: h.parse::<RelationshipStatus>("status", &r.status)?,
            members,
        }
        .validated()
        .map_err(|e| h.invalid(e))?;
        Ok(Relationship {
            id: h.uuid("id", &r.id)?,
            kind: input.kind,
            name: input.name,
            purpose: input.purpose,
            started_on: input.started_on,
            ended_on: input.ended_on,
            status: input.status,
            members: input.members,
            created_at: h.ts("created_at", &r.created_at)?,
            updated_at: h.ts("updated_at", &r.updated_at)?,
        })
    }

    fn session(&self, index: usize, r: RawSession) -> Result<MentoringSession> {
        let h = self.here("mentoring_sessions", index, &r.id);
        let relationship_id = h.uuid("relationship_id", &r.relationship_id)?;
        h.refers("relationship_id", relationship_id, "relationship", &self.ids.relationships, &self.journal.relationships)?;
        let attendees = h.uuids("attendees", &r.attendees)?;
        let mut seen = HashSet::new();
        for a in &attendees {
            h.refers("attendees", *a, "person", &self.ids.people, &self.journal.people)?;
            if !seen.insert(*a) {
                return Err(h.err("attendees", format!("{a} is listed twice")));
            }
        }
        let input = MentoringSessionInput {
            relationship_id,
            held_on: h.date("held_on", &r.held_on)?,
            duration_minutes: r.duration_minutes,
            notes: r.notes,
            attendees,
        }
        .validated()
        .map_err(|e| h.invalid(e))?;
        Ok(MentoringSession {
            id: h.uuid("id", &r.id)?,
            relationship_id: input.relationship_id,
            held_on: input.held_on,
            duration_minutes: input.duration_minutes,
            notes: input.notes,
            attendees: input.attendees,
            created_at: h.ts("created_at", &r.created_at)?,
            updated_at: h.ts("updated_at", &r.updated_at)?,
        })
    }

    fn action(&self, index: usize, r: RawAction) -> Result<Action> {
        let h = self.here("actions", index, &r.id);
        let owner_id = h.opt_uuid("owner_id", r.owner_id.as_deref())?;
        if let Some(p) = owner_id {
            h.refers("owner_id", p, "person", &self.ids.people, &self.journal.people)?;
        }
        let source_entry_id = h.opt_uuid("source_entry_id", r.source_entry_id.as_deref())?;
        if let Some(e) = source_entry_id {
            h.refers("source_entry_id", e, "entry", &self.ids.entries, &self.journal.entries)?;
        }
        let source_session_id = h.opt_uuid("source_session_id", r.source_session_id.as_deref())?;
        if let Some(s) = source_session_id {
            h.refers("source_session_id", s, "mentoring session", &self.ids.sessions, &self.journal.sessions)?;
        }
        let input = ActionInput {
            title: r.title,
            detail: r.detail,
            owner_id,
            due_on: h.opt_date("due_on", r.due_on.as_deref())?,
            status: h.parse::<ActionStatus>("status", &r.status)?,
            source: h.parse::<ActionSource>("source", &r.source)?,
            source_entry_id,
            source_session_id,
        }
        .validated()
        .map_err(|e| h.invalid(e))?;
        Ok(Action {
            id: h.uuid("id", &r.id)?,
            title: input.title,
            detail: input.detail,
            owner_id: input.owner_id,
            due_on: input.due_on,
            status: input.status,
            source: input.source,
            source_entry_id: input.source_entry_id,
            source_session_id: input.source_session_id,
            created_at: h.ts("created_at", &r.created_at)?,
            updated_at: h.ts("updated_at", &r.updated_at)?,
        })
    }

    /// Checks that an owner's `attachments` list names attachments the file carries for it.
    fn attachment_list(
        &self,
        h: &Here<'_>,
        owner: AttachmentOwner,
        listed: &[RawMeta],
        owners: &HashMap<Uuid, AttachmentOwner>,
    ) -> Result<()> {
        for (i, meta) in listed.iter().enumerate() {
            let field = format!("attachments[{i}].id");
            let id = h.uuid(&field, &meta.id)?;
            if owners.get(&id) != Some(&owner) {
                return Err(h.err(&field, format!("attachment {id} is not in the file's attachments for this record")));
            }
        }
        Ok(())
    }

    fn cpd(&self, index: usize, r: RawCpd, owners: &HashMap<Uuid, AttachmentOwner>) -> Result<CpdActivity> {
        let h = self.here("cpd_activities", index, &r.id);
        let id = h.uuid("id", &r.id)?;
        // Derived from the entries' side; checked for shape only, and not applied.
        h.uuids("linked_entries", &r.linked_entries)?;
        self.attachment_list(&h, AttachmentOwner::Cpd(id), &r.attachments, owners)?;
        let input = CpdInput {
            title: r.title,
            activity_type: h.parse::<CpdType>("activity_type", &r.activity_type)?,
            started_on: h.date("started_on", &r.started_on)?,
            ended_on: h.opt_date("ended_on", r.ended_on.as_deref())?,
            hours: r.hours,
            participatory_hours: r.participatory_hours,
            provider: r.provider,
            description: r.description,
            outcomes: r.outcomes,
            impact: r.impact,
            benefit: r.benefit,
            evidence: r.evidence,
            standards: r.standards,
            tags: r.tags,
            linked_entries: Vec::new(),
        }
        .validated()
        .map_err(|e| h.invalid(e))?;
        Ok(CpdActivity {
            id,
            title: input.title,
            activity_type: input.activity_type,
            started_on: input.started_on,
            ended_on: input.ended_on,
            hours: input.hours,
            participatory_hours: input.participatory_hours,
            provider: input.provider,
            description: input.description,
            outcomes: input.outcomes,
            impact: input.impact,
            benefit: input.benefit,
            evidence: input.evidence,
            standards: input.standards,
            tags: input.tags,
            linked_entries: Vec::new(),
            attachments: Vec::new(),
            created_at: h.ts("created_at", &r.created_at)?,
            updated_at: h.ts("updated_at", &r.updated_at)?,
        })
    }

    fn entry(&self, index: usize, r: RawEntry, owners: &HashMap<Uuid, AttachmentOwner>) -> Result<Entry> {
        let h = self.here("entries", index, &r.id);
        let id = h.uuid("id", &r.id)?;
        let template_id = h.opt_uuid("template_id", r.template_id.as_deref())?;
        if let Some(t) = template_id {
            h.refers("template_id", t, "template", &self.ids.templates, &self.journal.templates)?;
        }
        let linked_entries = h.uuids("linked_entries", &r.linked_entries)?;
        for e in &linked_entries {
            if *e == id {
                return Err(h.err("linked_entries", "an entry cannot link to itself"));
            }
            h.refers("linked_entries", *e, "entry", &self.ids.entries, &self.journal.entries)?;
        }
        let linked_cpd = h.uuids("linked_cpd", &r.linked_cpd)?;
        for c in &linked_cpd {
            h.refers("linked_cpd", *c, "CPD activity", &self.ids.cpd, &self.journal.cpd)?;
        }
        let linked_relationships = h.uuids("linked_relationships", &r.linked_relationships)?;
        for rel in &linked_relationships {
            h.refers("linked_relationships", *rel, "relationship", &self.ids.relationships, &self.journal.relationships)?;
        }
        self.attachment_list(&h, AttachmentOwner::Entry(id), &r.attachments, owners)?;
        let occurred_time = match r.occurred_time.as_deref() {
            Some(t) => Some(
                NaiveTime::from_str(t).map_err(|_| h.err("occurred_time", format!("{t:?} is not a time (HH:MM:SS)")))?,
            ),
            None => None,
        };
        let input = EntryInput {
            kind: h.parse("kind", &r.kind)?,
            title: r.title,
            body: r.body,
            occurred_on: Some(h.date("occurred_on", &r.occurred_on)?),
            occurred_time,
            template_id,
            starred: r.starred,
            tags: r.tags,
            session: r.session,
            linked_entries,
            linked_cpd,
            linked_relationships,
        };
        let created_at = h.ts("created_at", &r.created_at)?;
        let updated_at = h.ts("updated_at", &r.updated_at)?;
        let deleted_at = h.opt_ts("deleted_at", r.deleted_at.as_deref())?;
        let input = input.validated().map_err(|e| h.invalid(e))?;
        Ok(Entry {
            id,
            kind: input.kind,
            title: input.title,
            body: input.body,
            occurred_on: input.occurred_on.unwrap_or_default(),
            occurred_time: input.occurred_time,
            template_id: input.template_id,
            starred: input.starred,
            tags: input.tags,
            session: input.session,
            linked_entries: input.linked_entries,
            linked_cpd: input.linked_cpd,
            linked_relationships: input.linked_relationships,
            attachments: Vec::new(),
            created_at,
            updated_at,
            deleted_at,
        })
    }

    fn attachment(&self, index: usize, mut r: RawAttachment) -> Result<StoredAttachment> {
        let h = self.here("attachments", index, &r.id);
        let owner = match (h.opt_uuid("entry_id", r.entry_id.as_deref())?, h.opt_uuid("cpd_id", r.cpd_id.as_deref())?) {
            (Some(e), None) => {
                h.refers("entry_id", e, "entry", &self.ids.entries, &self.journal.entries)?;
                AttachmentOwner::Entry(e)
            }
            (None, Some(c)) => {
                h.refers("cpd_id", c, "CPD activity", &self.ids.cpd, &self.journal.cpd)?;
                AttachmentOwner::Cpd(c)
            }
            _ => return Err(h.err("entry_id", "an attachment belongs to exactly one entry_id or cpd_id")),
        };
        let file_name = checked_file_name(&r.file_name).map_err(|e| h.invalid(e))?;
        let media_type = checked_media_type(&r.media_type).map_err(|e| h.invalid(e))?;
        if r.size > MAX_ATTACHMENT_BYTES {
            return Err(h.err("size", format!("{} bytes is over the {MAX_ATTACHMENT_BYTES}-byte limit", r.size)));
        }
        if r.sha256.len() != 64 || !r.sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(h.err("sha256", format!("{:?} is not a lowercase hex SHA-256", r.sha256)));
        }
        // Bound the work before decoding: base64 is 4 characters per 3 bytes.
        let most = (MAX_ATTACHMENT_BYTES as usize).div_ceil(3) * 4;
        if r.data.len() > most {
            return Err(h.err("data", format!("more than the {MAX_ATTACHMENT_BYTES}-byte limit")));
        }
        let data = base64::engine::general_purpose::STANDARD
            .decode(std::mem::take(&mut r.data))
            .map_err(|e| h.err("data", format!("not valid base64: {e}")))?;
        if data.len() as u64 != r.size {
            return Err(h.err("size", format!("says {} bytes but the data holds {}", r.size, data.len())));
        }
        if sha256_hex(&data) != r.sha256 {
            return Err(h.err("sha256", "does not match the data"));
        }
        let meta = AttachmentMeta {
            id: h.uuid("id", &r.id)?,
            file_name,
            media_type,
            size: r.size,
            sha256: r.sha256.clone(),
            created_at: h.ts("created_at", &r.created_at)?,
        };
        Ok(StoredAttachment { owner, meta, updated_at: h.ts("updated_at", &r.updated_at)?, data })
    }
}
