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

use super::{
    file_label, flush, open_capped, parse_location, write_atomically, write_error, Budget,
    ExportSummary, ImportReport, Merge, Progress, Ticker, READ_AHEAD,
};
use crate::error::{Error, Result};
use crate::model::{
    parse_ts, Action, ActionInput, ActionSource, ActionStatus, AttachmentMeta, CpdActivity,
    CpdInput, CpdType, Entry, EntryInput, EntryKind, Member, MentoringSession,
    MentoringSessionInput, Person, PersonInput, Prompt, Relationship, RelationshipInput,
    RelationshipKind, RelationshipStatus, Role, SessionFacts, Template, TemplateInput,
};
use crate::store::exchange::{
    self as sx, checked_file_name, checked_media_type, Index, StoredAttachment,
};
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
    Ok(ExportSummary {
        entries: written.0,
        attachments: written.1,
        bytes,
        path: out.to_path_buf(),
    })
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
                let mut ticker =
                    Ticker::start(&mut **progress, "attachments", doc.counts.attachments);
                let r = sx::for_each_attachment(doc.tx, sx::AttachmentScope::All, |a| {
                    seq.serialize_element(&AttachmentRecord::from(a))
                        .map_err(|e| {
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
/// The file is read twice, streaming, so that memory holds one entry at a time rather than
/// the whole document. The first pass validates everything: format, version, ids,
/// timestamps, enum values, every record's fields, attachment sizes and hashes, repeated ids,
/// and that every reference can be resolved in the file or the journal. Then a checked
/// backup is taken, and the second pass applies the records in one transaction: a record the
/// journal lacks is added, a strictly newer one replaces the journal's copy, and an older or
/// equally new one is skipped. The journal is checked before the transaction commits. When
/// nothing would change, nothing is written and no backup is taken.
///
/// # Errors
/// [`Error::Import`] naming the file, record and field for anything wrong with the file
/// (including a document from a newer Reprise); nothing has been written then. Storage and
/// I/O errors otherwise, also with nothing written.
pub fn import(
    store: &Store,
    path: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport> {
    let file = file_label(path);
    let journal = store.read(sx::index)?;
    let plan = validate(path, &file, &journal, progress)?;
    let (preview, _) = decide(&plan, &journal);
    if preview.total.added == 0 && preview.total.updated == 0 {
        return Ok(preview);
    }

    let mut ticker = Ticker::start(progress, "backing up", 1);
    let backup = store.backup("before-import")?;
    ticker.tick();
    ticker.finish();
    let mut report = store.write(|tx| {
        let index = sx::index(tx)?;
        let (report, merges) = decide(&plan, &index);
        let mut writer = sx::Writer::new(tx)?;
        apply(path, &file, &plan, &merges, &mut writer, progress)?;
        let mut ticker = Ticker::start(progress, "checking", 1);
        let check = writer.finish()?;
        ticker.tick();
        ticker.finish();
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

/// What the first pass learnt: the small records in full, and for entries and attachments
/// (the bulk of a file) only what merging and linking need.
#[derive(Default)]
struct Plan {
    templates: Vec<Template>,
    people: Vec<Person>,
    relationships: Vec<Relationship>,
    sessions: Vec<MentoringSession>,
    actions: Vec<Action>,
    cpd: Vec<CpdActivity>,
    /// The attachment ids each CPD activity lists, in `cpd` order.
    cpd_listed: Vec<Vec<Uuid>>,
    entries: Vec<EntryOutline>,
    attachments: Vec<AttachmentOutline>,
}

/// An entry without its text: its id, `updated_at`, references and listed attachments.
struct EntryOutline {
    id: Uuid,
    updated_at: DateTime<Utc>,
    template_id: Option<Uuid>,
    linked_entries: Vec<Uuid>,
    linked_cpd: Vec<Uuid>,
    linked_relationships: Vec<Uuid>,
    listed: Vec<Uuid>,
}

/// An attachment without its bytes.
struct AttachmentOutline {
    id: Uuid,
    owner: AttachmentOwner,
    updated_at: DateTime<Utc>,
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
    let mut report = ImportReport::default();
    let merges = Merges {
        templates: each(
            &plan.templates,
            |t| (t.id, t.updated_at),
            &index.templates,
            &mut report.templates,
        ),
        people: each(
            &plan.people,
            |p| (p.id, p.updated_at),
            &index.people,
            &mut report.people,
        ),
        relationships: each(
            &plan.relationships,
            |r| (r.id, r.updated_at),
            &index.relationships,
            &mut report.relationships,
        ),
        sessions: each(
            &plan.sessions,
            |s| (s.id, s.updated_at),
            &index.sessions,
            &mut report.mentoring_sessions,
        ),
        actions: each(
            &plan.actions,
            |a| (a.id, a.updated_at),
            &index.actions,
            &mut report.actions,
        ),
        cpd: each(
            &plan.cpd,
            |c| (c.id, c.updated_at),
            &index.cpd,
            &mut report.cpd_activities,
        ),
        entries: each(
            &plan.entries,
            |e| (e.id, e.updated_at),
            &index.entries,
            &mut report.entries,
        ),
        attachments: each(
            &plan.attachments,
            |a| (a.id, a.updated_at),
            &index.attachments,
            &mut report.attachments,
        ),
    };
    report.sum();
    (report, merges)
}

/// The first pass: reads and validates the whole file, keeping a [`Plan`].
fn validate(
    path: &Path,
    file: &str,
    journal: &Index,
    progress: &mut dyn FnMut(Progress),
) -> Result<Plan> {
    let v = Validator { file };
    let mut plan = Plan::default();
    let mut seen: HashMap<&'static str, HashMap<Uuid, usize>> = HashMap::new();
    let mut owner: Option<usize> = None;
    let mut ticker = Ticker::start(progress, "validating", 0);
    read_document(path, file, TOP_LEVEL, &mut |index, record| {
        let section = record.section();
        let id = v.record_id(section, index, record.id())?;
        if let Some(earlier) = seen.entry(section).or_default().insert(id, index) {
            let id = id.to_string();
            return Err(v
                .here(section, index, &id)
                .err("id", format!("the same id as {section}[{earlier}]")));
        }
        match record {
            Record::Template(r) => plan.templates.push(v.template(index, r)?),
            Record::Person(r) => {
                let p = v.person(index, r)?;
                if p.is_owner {
                    if let Some(first) = owner {
                        let id = p.id.to_string();
                        let here = v.here("people", index, &id);
                        return Err(here.err(
                            "is_owner",
                            format!("a journal has one owner, and people[{first}] is already it"),
                        ));
                    }
                    owner = Some(index);
                }
                plan.people.push(p);
            }
            Record::Relationship(r) => plan.relationships.push(v.relationship(index, r)?),
            Record::Session(r) => plan.sessions.push(v.session(index, r)?),
            Record::Action(r) => plan.actions.push(v.action(index, r)?),
            Record::Cpd(r) => {
                let (c, listed) = v.cpd(index, r)?;
                plan.cpd.push(c);
                plan.cpd_listed.push(listed);
            }
            Record::Entry(r) => {
                let (e, listed) = v.entry(index, r)?;
                plan.entries.push(EntryOutline {
                    id: e.id,
                    updated_at: e.updated_at,
                    template_id: e.template_id,
                    linked_entries: e.linked_entries,
                    linked_cpd: e.linked_cpd,
                    linked_relationships: e.linked_relationships,
                    listed,
                });
            }
            Record::Attachment(r) => {
                let a = v.attachment(index, r)?;
                plan.attachments.push(AttachmentOutline {
                    id: a.meta.id,
                    owner: a.owner,
                    updated_at: a.updated_at,
                });
            }
        }
        ticker.tick();
        Ok(())
    })?;
    ticker.finish();
    check_references(&plan, journal, &v)?;
    Ok(plan)
}

/// Checks, once every id in the file is known, that each reference names a record in the
/// file or the journal, and that the attachments a record lists are the file's attachments
/// for it.
fn check_references(plan: &Plan, journal: &Index, v: &Validator<'_>) -> Result<()> {
    fn ids<T>(records: &[T], id: impl Fn(&T) -> Uuid) -> HashSet<Uuid> {
        records.iter().map(id).collect()
    }
    let people = ids(&plan.people, |p| p.id);
    let templates = ids(&plan.templates, |t| t.id);
    let relationships = ids(&plan.relationships, |r| r.id);
    let sessions = ids(&plan.sessions, |s| s.id);
    let cpd = ids(&plan.cpd, |c| c.id);
    let entries = ids(&plan.entries, |e| e.id);
    let owners: HashMap<Uuid, AttachmentOwner> =
        plan.attachments.iter().map(|a| (a.id, a.owner)).collect();

    for (index, r) in plan.relationships.iter().enumerate() {
        let id = r.id.to_string();
        let h = v.here("relationships", index, &id);
        for (i, m) in r.members.iter().enumerate() {
            h.refers(
                &format!("members[{i}].person_id"),
                m.person_id,
                "person",
                &people,
                &journal.people,
            )?;
        }
    }
    for (index, s) in plan.sessions.iter().enumerate() {
        let id = s.id.to_string();
        let h = v.here("mentoring_sessions", index, &id);
        h.refers(
            "relationship_id",
            s.relationship_id,
            "relationship",
            &relationships,
            &journal.relationships,
        )?;
        for a in &s.attendees {
            h.refers("attendees", *a, "person", &people, &journal.people)?;
        }
    }
    for (index, a) in plan.actions.iter().enumerate() {
        let id = a.id.to_string();
        let h = v.here("actions", index, &id);
        if let Some(p) = a.owner_id {
            h.refers("owner_id", p, "person", &people, &journal.people)?;
        }
        if let Some(e) = a.source_entry_id {
            h.refers("source_entry_id", e, "entry", &entries, &journal.entries)?;
        }
        if let Some(s) = a.source_session_id {
            h.refers(
                "source_session_id",
                s,
                "mentoring session",
                &sessions,
                &journal.sessions,
            )?;
        }
    }
    let listed = |h: &Here<'_>, owner: AttachmentOwner, list: &[Uuid]| -> Result<()> {
        for (i, id) in list.iter().enumerate() {
            if owners.get(id) != Some(&owner) {
                return Err(h.err(
                    &format!("attachments[{i}].id"),
                    format!("attachment {id} is not in the file's attachments for this record"),
                ));
            }
        }
        Ok(())
    };
    for (index, (c, list)) in plan.cpd.iter().zip(&plan.cpd_listed).enumerate() {
        let id = c.id.to_string();
        listed(
            &v.here("cpd_activities", index, &id),
            AttachmentOwner::Cpd(c.id),
            list,
        )?;
    }
    for (index, e) in plan.entries.iter().enumerate() {
        let id = e.id.to_string();
        let h = v.here("entries", index, &id);
        if let Some(t) = e.template_id {
            h.refers("template_id", t, "template", &templates, &journal.templates)?;
        }
        for other in &e.linked_entries {
            h.refers(
                "linked_entries",
                *other,
                "entry",
                &entries,
                &journal.entries,
            )?;
        }
        for c in &e.linked_cpd {
            h.refers("linked_cpd", *c, "CPD activity", &cpd, &journal.cpd)?;
        }
        for r in &e.linked_relationships {
            h.refers(
                "linked_relationships",
                *r,
                "relationship",
                &relationships,
                &journal.relationships,
            )?;
        }
        listed(&h, AttachmentOwner::Entry(e.id), &e.listed)?;
    }
    for (index, a) in plan.attachments.iter().enumerate() {
        let id = a.id.to_string();
        let h = v.here("attachments", index, &id);
        match a.owner {
            AttachmentOwner::Entry(e) => {
                h.refers("entry_id", e, "entry", &entries, &journal.entries)?
            }
            AttachmentOwner::Cpd(c) => h.refers("cpd_id", c, "CPD activity", &cpd, &journal.cpd)?,
        }
    }
    Ok(())
}

/// The second pass: writes the records that are added or updated, in an order that
/// satisfies every reference — the small records first, then entries and attachments as
/// the file is read again, then links between entries, then actions.
fn apply(
    path: &Path,
    file: &str,
    plan: &Plan,
    m: &Merges,
    w: &mut sx::Writer<'_>,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let changed = |merges: &[Merge]| merges.iter().filter(|m| **m != Merge::Skip).count();
    let entries_changed = changed(&m.entries);
    let total = changed(&m.templates)
        + changed(&m.people)
        + changed(&m.relationships)
        + changed(&m.sessions)
        + changed(&m.actions)
        + changed(&m.cpd)
        + 2 * entries_changed
        + changed(&m.attachments);
    let mut ticker = Ticker::start(progress, "applying", total as u64);
    let each = |merges: &[Merge]| {
        merges
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, m)| *m != Merge::Skip)
            .collect::<Vec<_>>()
    };
    for (i, _) in each(&m.templates) {
        w.template(&plan.templates[i])?;
        ticker.tick();
    }
    for (i, _) in each(&m.people) {
        w.person(&plan.people[i])?;
        ticker.tick();
    }
    for (i, _) in each(&m.relationships) {
        w.relationship(&plan.relationships[i])?;
        ticker.tick();
    }
    for (i, _) in each(&m.sessions) {
        w.session(&plan.sessions[i])?;
        ticker.tick();
    }
    for (i, merge) in each(&m.cpd) {
        w.cpd(&plan.cpd[i], merge == Merge::Update)?;
        ticker.tick();
    }
    if entries_changed > 0 || changed(&m.attachments) > 0 {
        // The file is read again for the text and bytes the first pass did not keep. Each
        // record is validated again and must be the one the first pass saw; a file changed
        // in between fails the import (rolling it back) rather than slip anything through.
        let v = Validator { file };
        let moved = || {
            Error::import(
                file,
                "the file changed while it was being imported; nothing was changed, so try again",
            )
        };
        let mut counts = (0usize, 0usize);
        read_document(
            path,
            file,
            &["entries", "attachments"],
            &mut |index, record| {
                match record {
                    Record::Entry(r) => {
                        counts.0 += 1;
                        let merge = *m.entries.get(index).ok_or_else(moved)?;
                        if merge == Merge::Skip {
                            return Ok(());
                        }
                        let (e, _) = v.entry(index, r)?;
                        if e.id != plan.entries[index].id
                            || e.updated_at != plan.entries[index].updated_at
                        {
                            return Err(moved());
                        }
                        w.entry(&e, merge == Merge::Update)?;
                    }
                    Record::Attachment(r) => {
                        counts.1 += 1;
                        let merge = *m.attachments.get(index).ok_or_else(moved)?;
                        if merge == Merge::Skip {
                            return Ok(());
                        }
                        let a = v.attachment(index, r)?;
                        let planned = &plan.attachments[index];
                        if a.meta.id != planned.id
                            || a.owner != planned.owner
                            || a.updated_at != planned.updated_at
                        {
                            return Err(moved());
                        }
                        w.attachment(&a, merge == Merge::Update)?;
                    }
                    _ => return Ok(()),
                }
                ticker.tick();
                Ok(())
            },
        )?;
        if counts != (plan.entries.len(), plan.attachments.len()) {
            return Err(moved());
        }
    }
    for (i, merge) in each(&m.entries) {
        let e = &plan.entries[i];
        w.entry_links(
            e.id,
            &e.linked_entries,
            &e.linked_cpd,
            &e.linked_relationships,
            merge == Merge::Update,
        )?;
        ticker.tick();
    }
    for (i, _) in each(&m.actions) {
        w.action(&plan.actions[i])?;
        ticker.tick();
    }
    ticker.finish();
    Ok(())
}

// ---- Reading -------------------------------------------------------------------------------

/// One record as read, before validation, with the section it came from.
enum Record {
    Template(RawTemplate),
    Person(RawPerson),
    Relationship(RawRelationship),
    Session(RawSession),
    Action(RawAction),
    Cpd(RawCpd),
    Entry(RawEntry),
    Attachment(RawAttachment),
}

impl Record {
    fn section(&self) -> &'static str {
        match self {
            Record::Template(_) => "templates",
            Record::Person(_) => "people",
            Record::Relationship(_) => "relationships",
            Record::Session(_) => "mentoring_sessions",
            Record::Action(_) => "actions",
            Record::Cpd(_) => "cpd_activities",
            Record::Entry(_) => "entries",
            Record::Attachment(_) => "attachments",
        }
    }

    fn id(&self) -> &str {
        match self {
            Record::Template(r) => &r.id,
            Record::Person(r) => &r.id,
            Record::Relationship(r) => &r.id,
            Record::Session(r) => &r.id,
            Record::Action(r) => &r.id,
            Record::Cpd(r) => &r.id,
            Record::Entry(r) => &r.id,
            Record::Attachment(r) => &r.id,
        }
    }
}

// Records as read. Ids, timestamps, dates and enum values stay text here so that a bad one
// can be reported with its record and field.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    id: String,
    key: String,
    name: String,
    description: String,
    kind: String,
    // Exported so the file reads completely; never trusted on import (see `template`).
    #[allow(dead_code)]
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
    // The rest repeats the top-level attachment with this id, which is the one used.
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

/// What the reader noticed besides the records.
struct ParseState<'f> {
    file: &'f str,
    /// What the reader may still read; set before each key and each record.
    budget: Budget,
    /// The section and index of a record that could not be read.
    failed_at: Cell<Option<(&'static str, usize)>>,
    /// An error with a better message than serde's: a refused format or version, or a
    /// record that failed validation.
    failure: RefCell<Option<Error>>,
    format: RefCell<Option<String>>,
    version: Cell<Option<u64>>,
}

/// Called with each record of the sections asked for, with its index in its section.
type Sink<'s> = RefCell<&'s mut dyn FnMut(usize, Record) -> Result<()>>;

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
    Error::import(
        file,
        format!("this is not a Reprise journal export (format {found:?}, expected {FORMAT:?})"),
    )
}

fn too_new(file: &str, version: u64) -> Error {
    Error::import(
        file,
        format!("written by a newer Reprise (format {version}; this build reads up to {VERSION}); update Reprise to import it"),
    )
}

/// Reads the document at `path` as a stream, handing each record of the `wanted` sections
/// to `sink` and skipping the rest unread.
///
/// Nothing is held but the record in hand, so a file of any size up to [`MAX_FILE_BYTES`]
/// is read in little memory.
fn read_document(
    path: &Path,
    file: &str,
    wanted: &[&str],
    sink: &mut dyn FnMut(usize, Record) -> Result<()>,
) -> Result<()> {
    let (reader, budget) = open_capped(path, MAX_FILE_BYTES)?;
    let state = ParseState {
        file,
        budget,
        failed_at: Cell::new(None),
        failure: RefCell::new(None),
        format: RefCell::new(None),
        version: Cell::new(None),
    };
    let sink: Sink<'_> = RefCell::new(sink);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = DocSeed {
        state: &state,
        wanted,
        sink: &sink,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if let Err(e) = result {
        if state.version.get().is_none() {
            if let Some(refusal) = probe(path, file) {
                return Err(refusal);
            }
        }
        if let Some(failure) = state.failure.take() {
            return Err(failure);
        }
        return Err(Error::import(
            parse_location(file, state.failed_at.get()),
            e.to_string(),
        ));
    }
    if state.format.borrow().is_none() {
        return Err(Error::import(
            file,
            format!("this is not a Reprise journal export (no \"format\": {FORMAT:?})"),
        ));
    }
    if state.version.get().is_none() {
        return Err(Error::import(
            file,
            "no \"version\": the document's format version is missing",
        ));
    }
    Ok(())
}

struct DocSeed<'s> {
    state: &'s ParseState<'s>,
    wanted: &'s [&'s str],
    sink: &'s Sink<'s>,
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Reprise journal export (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error as _;
        let state = self.state;
        let refuse = |e: Error| {
            let message = e.to_string();
            *state.failure.borrow_mut() = Some(e);
            A::Error::custom(message)
        };
        let mut seen: HashSet<String> = HashSet::new();
        loop {
            state.budget.set(ENVELOPE_BYTES);
            let Some(key) = map.next_key::<String>()? else {
                break;
            };
            if !seen.insert(key.clone()) {
                return Err(A::Error::custom(format!("duplicate field `{key}`")));
            }
            let section = |name: &'static str, wrap| SectionSeed {
                name,
                state,
                sink: self.sink,
                wrap,
            };
            match key.as_str() {
                "format" => {
                    let format: String = map.next_value()?;
                    if format != FORMAT {
                        return Err(refuse(not_ours(state.file, &format)));
                    }
                    *state.format.borrow_mut() = Some(format);
                }
                "version" => {
                    let version: u64 = map.next_value()?;
                    state.version.set(Some(version));
                    if version > VERSION {
                        return Err(refuse(too_new(state.file, version)));
                    }
                    if version == 0 {
                        return Err(refuse(Error::import(
                            state.file,
                            "format version 0 does not exist",
                        )));
                    }
                }
                name if !TOP_LEVEL.contains(&name) => {
                    return Err(A::Error::unknown_field(name, TOP_LEVEL))
                }
                name if !self.wanted.contains(&name) => {
                    // Skipping keeps nothing in memory, so it needs no limit.
                    state.budget.set(u64::MAX);
                    map.next_value::<IgnoredAny>()?;
                }
                "templates" => map.next_value_seed(section("templates", Wrap::Template))?,
                "people" => map.next_value_seed(section("people", Wrap::Person))?,
                "relationships" => {
                    map.next_value_seed(section("relationships", Wrap::Relationship))?
                }
                "mentoring_sessions" => {
                    map.next_value_seed(section("mentoring_sessions", Wrap::Session))?
                }
                "actions" => map.next_value_seed(section("actions", Wrap::Action))?,
                "cpd_activities" => map.next_value_seed(section("cpd_activities", Wrap::Cpd))?,
                "entries" => map.next_value_seed(section("entries", Wrap::Entry))?,
                _ => map.next_value_seed(section("attachments", Wrap::Attachment))?,
            }
        }
        Ok(())
    }
}

/// Which kind of record a section holds.
#[derive(Clone, Copy)]
enum Wrap {
    Template,
    Person,
    Relationship,
    Session,
    Action,
    Cpd,
    Entry,
    Attachment,
}

/// One section, read element by element; a failing element's index is remembered so that
/// the error can name it (`entries[12]`) and not only a line and column.
struct SectionSeed<'s> {
    name: &'static str,
    state: &'s ParseState<'s>,
    sink: &'s Sink<'s>,
    wrap: Wrap,
}

impl<'de> DeserializeSeed<'de> for SectionSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl SectionSeed<'_> {
    fn next<'de, A: SeqAccess<'de>>(&self, seq: &mut A) -> Result<Option<Record>, A::Error> {
        Ok(match self.wrap {
            Wrap::Template => seq.next_element()?.map(Record::Template),
            Wrap::Person => seq.next_element()?.map(Record::Person),
            Wrap::Relationship => seq.next_element()?.map(Record::Relationship),
            Wrap::Session => seq.next_element()?.map(Record::Session),
            Wrap::Action => seq.next_element()?.map(Record::Action),
            Wrap::Cpd => seq.next_element()?.map(Record::Cpd),
            Wrap::Entry => seq.next_element()?.map(Record::Entry),
            Wrap::Attachment => seq.next_element()?.map(Record::Attachment),
        })
    }
}

impl<'de> Visitor<'de> for SectionSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a list of {}", self.name)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error as _;
        let limit = match self.wrap {
            Wrap::Attachment => ATTACHMENT_RECORD_BYTES,
            _ => RECORD_BYTES,
        };
        let mut index = 0;
        loop {
            self.state.budget.set(limit);
            match self.next(&mut seq) {
                Ok(Some(record)) => {
                    let mut sink = self.sink.borrow_mut();
                    if let Err(e) = (*sink)(index, record) {
                        let message = e.to_string();
                        *self.state.failure.borrow_mut() = Some(e);
                        return Err(A::Error::custom(message));
                    }
                }
                Ok(None) => return Ok(()),
                Err(e) => {
                    self.state.failed_at.set(Some((self.name, index)));
                    return Err(e);
                }
            }
            index += 1;
        }
    }
}

/// Reads just `format` and `version`, skipping everything else unread, so that a document
/// from a newer Reprise is refused as such even when its records (or the order of its keys)
/// are not what this build expects. Returns the refusal, if any.
fn probe(path: &Path, file: &str) -> Option<Error> {
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
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                let found = self.0.borrow();
                if found.format.is_some() && found.version.is_some() {
                    break;
                }
            }
            // Stop here: only these two were wanted.
            Err(A::Error::custom("probe done"))
        }
    }
    let found = RefCell::new(Found::default());
    let (reader, _) = open_capped(path, MAX_FILE_BYTES).ok()?;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let _ = serde::Deserializer::deserialize_map(&mut de, Probe(&found));
    let found = found.into_inner();
    match (found.format, found.version) {
        (_, Some(v)) if v > VERSION => Some(too_new(file, v)),
        (Some(f), _) if f != FORMAT => Some(not_ours(file, &f)),
        _ => None,
    }
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
        let ts = parse_ts(text)
            .ok_or_else(|| self.err(field, format!("{text:?} is not an RFC 3339 timestamp")))?;
        // A copy stamped in the future would win every later merge against real edits (I5);
        // a day's grace covers clocks that disagree between two people's computers.
        if ts > crate::model::now() + chrono::Duration::days(1) {
            return Err(self.err(field, format!("{text:?} is in the future")));
        }
        Ok(ts)
    }

    fn opt_ts(&self, field: &str, text: Option<&str>) -> Result<Option<DateTime<Utc>>> {
        text.map(|t| self.ts(field, t)).transpose()
    }

    fn date(&self, field: &str, text: &str) -> Result<NaiveDate> {
        strict_date(text)
            .ok_or_else(|| self.err(field, format!("{text:?} is not a date (YYYY-MM-DD)")))
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
            Err(self.err(
                field,
                format!("no {what} with id {id} in the file or the journal"),
            ))
        }
    }
}

/// A `YYYY-MM-DD` date and nothing else (chrono alone would accept five-digit years, which
/// would sort wrongly as text).
pub(crate) fn strict_date(text: &str) -> Option<NaiveDate> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

/// Template keys are short command-line names: lowercase ASCII letters, digits and `-`.
fn check_key(here: &Here<'_>, key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && key.len() <= 100
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(here.err(
            "key",
            format!("{key:?} is not a template key (lowercase letters, digits and -)"),
        ))
    }
}

/// Turns raw records into model records, checking each field; references between records
/// are checked afterwards, in [`check_references`], once every id is known.
struct Validator<'a> {
    file: &'a str,
}

impl Validator<'_> {
    fn here<'h>(&'h self, section: &'static str, index: usize, id: &'h str) -> Here<'h> {
        Here {
            file: self.file,
            section,
            index,
            id,
        }
    }

    /// A record's own id; a bad one is reported without it (`entries[3]: id`).
    fn record_id(&self, section: &'static str, index: usize, text: &str) -> Result<Uuid> {
        self.here(section, index, "").uuid("id", text)
    }

    fn template(&self, index: usize, r: RawTemplate) -> Result<Template> {
        let h = self.here("templates", index, &r.id);
        // Built-ins come only from this build: a file can neither change their wording nor
        // mark a template of its own as built-in (and so undeletable).
        let id = h.uuid("id", &r.id)?;
        if let Some(shipped) = crate::store::builtin_templates()
            .map_err(|e| h.invalid(e))?
            .into_iter()
            .find(|t| t.id == id)
        {
            return Ok(shipped);
        }
        let kind: EntryKind = h.parse("kind", &r.kind)?;
        check_key(&h, &r.key)?;
        let input = TemplateInput {
            name: r.name,
            description: r.description,
            kind,
            prompts: r.prompts,
        }
        .validated()
        .map_err(|e| h.invalid(e))?;
        Ok(Template {
            id: h.uuid("id", &r.id)?,
            key: r.key,
            name: input.name,
            description: input.description,
            kind,
            builtin: false,
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
        let attendees = h.uuids("attendees", &r.attendees)?;
        let mut seen = HashSet::new();
        for a in &attendees {
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
        let source_entry_id = h.opt_uuid("source_entry_id", r.source_entry_id.as_deref())?;
        let source_session_id = h.opt_uuid("source_session_id", r.source_session_id.as_deref())?;
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

    /// The ids of the attachments a record lists (checked against the file's attachments
    /// later).
    fn listed(&self, h: &Here<'_>, listed: &[RawMeta]) -> Result<Vec<Uuid>> {
        listed
            .iter()
            .enumerate()
            .map(|(i, meta)| h.uuid(&format!("attachments[{i}].id"), &meta.id))
            .collect()
    }

    fn cpd(&self, index: usize, r: RawCpd) -> Result<(CpdActivity, Vec<Uuid>)> {
        let h = self.here("cpd_activities", index, &r.id);
        let id = h.uuid("id", &r.id)?;
        // Derived from the entries' side; checked for shape only, and not applied.
        h.uuids("linked_entries", &r.linked_entries)?;
        let listed = self.listed(&h, &r.attachments)?;
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
        let activity = CpdActivity {
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
        };
        Ok((activity, listed))
    }

    /// An entry in full, and the ids of the attachments it lists.
    fn entry(&self, index: usize, r: RawEntry) -> Result<(Entry, Vec<Uuid>)> {
        let h = self.here("entries", index, &r.id);
        let id = h.uuid("id", &r.id)?;
        let template_id = h.opt_uuid("template_id", r.template_id.as_deref())?;
        let linked_entries = h.uuids("linked_entries", &r.linked_entries)?;
        if linked_entries.contains(&id) {
            return Err(h.err("linked_entries", "an entry cannot link to itself"));
        }
        let linked_cpd = h.uuids("linked_cpd", &r.linked_cpd)?;
        let linked_relationships = h.uuids("linked_relationships", &r.linked_relationships)?;
        let listed = self.listed(&h, &r.attachments)?;
        let occurred_time =
            match r.occurred_time.as_deref() {
                Some(t) => Some(NaiveTime::from_str(t).map_err(|_| {
                    h.err("occurred_time", format!("{t:?} is not a time (HH:MM:SS)"))
                })?),
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
        let entry = Entry {
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
        };
        Ok((entry, listed))
    }

    fn attachment(&self, index: usize, mut r: RawAttachment) -> Result<StoredAttachment> {
        let h = self.here("attachments", index, &r.id);
        let owner = match (
            h.opt_uuid("entry_id", r.entry_id.as_deref())?,
            h.opt_uuid("cpd_id", r.cpd_id.as_deref())?,
        ) {
            (Some(e), None) => AttachmentOwner::Entry(e),
            (None, Some(c)) => AttachmentOwner::Cpd(c),
            _ => {
                return Err(h.err(
                    "entry_id",
                    "an attachment belongs to exactly one entry_id or cpd_id",
                ))
            }
        };
        let file_name = checked_file_name(&r.file_name).map_err(|e| h.invalid(e))?;
        let media_type = checked_media_type(&r.media_type).map_err(|e| h.invalid(e))?;
        if r.size > MAX_ATTACHMENT_BYTES {
            return Err(h.err(
                "size",
                format!(
                    "{} bytes is over the {MAX_ATTACHMENT_BYTES}-byte limit",
                    r.size
                ),
            ));
        }
        if r.sha256.len() != 64
            || !r
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(h.err(
                "sha256",
                format!("{:?} is not a lowercase hex SHA-256", r.sha256),
            ));
        }
        // Bound the work before decoding: base64 is 4 characters per 3 bytes.
        let most = (MAX_ATTACHMENT_BYTES as usize).div_ceil(3) * 4;
        if r.data.len() > most {
            return Err(h.err(
                "data",
                format!("more than the {MAX_ATTACHMENT_BYTES}-byte limit"),
            ));
        }
        let data = base64::engine::general_purpose::STANDARD
            .decode(std::mem::take(&mut r.data))
            .map_err(|e| h.err("data", format!("not valid base64: {e}")))?;
        if data.len() as u64 != r.size {
            return Err(h.err(
                "size",
                format!("says {} bytes but the data holds {}", r.size, data.len()),
            ));
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
        Ok(StoredAttachment {
            owner,
            meta,
            updated_at: h.ts("updated_at", &r.updated_at)?,
            data,
        })
    }
}
