//! Importing a Reprise JSON document: validate it whole, then apply it.

use super::read::*;
use super::validate::*;
use super::*;

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
    commit(
        store,
        &file,
        &journal,
        &Import {
            path,
            file: &file,
            plan,
        },
        progress,
    )
}

/// A validated document, ready to be applied: its [`Plan`] and the file to read again.
pub(super) struct Import<'f> {
    path: &'f Path,
    file: &'f str,
    plan: Plan,
}

impl Staged for Import<'_> {
    type Merges = Merges;

    fn decide(&self, journal: &Index) -> (ImportReport, Merges) {
        decide(&self.plan, journal)
    }

    fn apply(
        &self,
        merges: &Merges,
        w: &mut sx::Writer<'_>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        apply(self.path, self.file, &self.plan, merges, w, progress)
    }
}

/// What the first pass learnt: the small records in full, and for entries and attachments
/// (the bulk of a file) only what merging and linking need.
#[derive(Default)]
pub(super) struct Plan {
    small: SmallRecords,
    /// The attachment ids each CPD activity lists, in `cpd` order.
    cpd_listed: Vec<Vec<Uuid>>,
    entries: Vec<EntryOutline>,
    attachments: Vec<AttachmentOutline>,
}

/// An entry without its text: its id, `updated_at`, references and listed attachments.
pub(super) struct EntryOutline {
    id: Uuid,
    updated_at: DateTime<Utc>,
    template_id: Option<Uuid>,
    linked_entries: Vec<Uuid>,
    linked_cpd: Vec<Uuid>,
    linked_relationships: Vec<Uuid>,
    listed: Vec<Uuid>,
}

/// An attachment without its bytes.
pub(super) struct AttachmentOutline {
    id: Uuid,
    owner: AttachmentOwner,
    updated_at: DateTime<Utc>,
}

/// What happens to each record of a plan, in the plan's order.
pub(super) struct Merges {
    templates: Vec<Merge>,
    people: Vec<Merge>,
    relationships: Vec<Merge>,
    sessions: Vec<Merge>,
    actions: Vec<Merge>,
    cpd: Vec<Merge>,
    entries: Vec<Merge>,
    attachments: Vec<Merge>,
}

/// A planned record's id and `updated_at`, which decide how it merges.
trait Stamped {
    fn stamp(&self) -> (Uuid, DateTime<Utc>);
}

impl<R: row::Record> Stamped for R {
    fn stamp(&self) -> (Uuid, DateTime<Utc>) {
        (self.id(), self.stamps().1)
    }
}

impl Stamped for EntryOutline {
    fn stamp(&self) -> (Uuid, DateTime<Utc>) {
        (self.id, self.updated_at)
    }
}

impl Stamped for AttachmentOutline {
    fn stamp(&self) -> (Uuid, DateTime<Utc>) {
        (self.id, self.updated_at)
    }
}

fn decide(plan: &Plan, index: &Index) -> (ImportReport, Merges) {
    fn each(
        records: &[impl Stamped],
        journal: &HashMap<Uuid, DateTime<Utc>>,
        counts: &mut crate::exchange::RecordCounts,
    ) -> Vec<Merge> {
        records
            .iter()
            .map(|r| {
                let (id, updated) = r.stamp();
                let m = Merge::decide(&updated, journal.get(&id));
                m.count(counts);
                m
            })
            .collect()
    }
    let mut r = ImportReport::default();
    let merges = Merges {
        templates: each(&plan.small.templates, &index.templates, &mut r.templates),
        people: each(&plan.small.people, &index.people, &mut r.people),
        relationships: each(
            &plan.small.relationships,
            &index.relationships,
            &mut r.relationships,
        ),
        sessions: each(
            &plan.small.sessions,
            &index.sessions,
            &mut r.mentoring_sessions,
        ),
        actions: each(&plan.small.actions, &index.actions, &mut r.actions),
        cpd: each(&plan.small.cpd, &index.cpd, &mut r.cpd_activities),
        entries: each(&plan.entries, &index.entries, &mut r.entries),
        attachments: each(&plan.attachments, &index.attachments, &mut r.attachments),
    };
    r.sum();
    (r, merges)
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
            Record::Template(r) => plan.small.templates.push(v.template(index, r)?),
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
                plan.small.people.push(p);
            }
            Record::Relationship(r) => plan.small.relationships.push(v.relationship(index, r)?),
            Record::Session(r) => plan.small.sessions.push(v.session(index, r)?),
            Record::Action(r) => plan.small.actions.push(v.action(index, r)?),
            Record::Cpd(r) => {
                let (c, listed) = v.cpd(index, r)?;
                plan.small.cpd.push(c);
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
    fn known<'a, T: Stamped>(
        what: &'static str,
        records: &[T],
        journal: &'a HashMap<Uuid, DateTime<Utc>>,
    ) -> Known<'a> {
        let file = records.iter().map(|r| r.stamp().0).collect();
        Known {
            what,
            file,
            journal,
        }
    }
    /// Runs `check` on each record of a section, with where it is in the file.
    fn each<T: Stamped>(
        v: &Validator<'_>,
        section: &'static str,
        records: &[T],
        mut check: impl FnMut(&Here<'_>, usize, &T) -> Result<()>,
    ) -> Result<()> {
        for (index, r) in records.iter().enumerate() {
            let id = r.stamp().0.to_string();
            check(&v.here(section, index, &id), index, r)?;
        }
        Ok(())
    }
    let small = &plan.small;
    let people = known("person", &small.people, &journal.people);
    let templates = known("template", &small.templates, &journal.templates);
    let relationships = known("relationship", &small.relationships, &journal.relationships);
    let sessions = known("mentoring session", &small.sessions, &journal.sessions);
    let cpd = known("CPD activity", &small.cpd, &journal.cpd);
    let entries = known("entry", &plan.entries, &journal.entries);
    let owners: HashMap<Uuid, AttachmentOwner> =
        plan.attachments.iter().map(|a| (a.id, a.owner)).collect();

    each(v, "relationships", &small.relationships, |h, _, r| {
        for (i, m) in r.members.iter().enumerate() {
            h.refers(&format!("members[{i}].person_id"), [m.person_id], &people)?;
        }
        Ok(())
    })?;
    each(v, "mentoring_sessions", &small.sessions, |h, _, s| {
        h.refers("relationship_id", [s.relationship_id], &relationships)?;
        h.refers("attendees", s.attendees.iter().copied(), &people)
    })?;
    each(v, "actions", &small.actions, |h, _, a| {
        h.refers("owner_id", a.owner_id, &people)?;
        h.refers("source_entry_id", a.source_entry_id, &entries)?;
        h.refers("source_session_id", a.source_session_id, &sessions)
    })?;
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
    each(v, "cpd_activities", &small.cpd, |h, index, c| {
        listed(h, AttachmentOwner::Cpd(c.id), &plan.cpd_listed[index])
    })?;
    each(v, "entries", &plan.entries, |h, _, e| {
        h.refers("template_id", e.template_id, &templates)?;
        h.refers("linked_entries", e.linked_entries.iter().copied(), &entries)?;
        h.refers("linked_cpd", e.linked_cpd.iter().copied(), &cpd)?;
        let linked = e.linked_relationships.iter().copied();
        h.refers("linked_relationships", linked, &relationships)?;
        listed(h, AttachmentOwner::Entry(e.id), &e.listed)
    })?;
    each(v, "attachments", &plan.attachments, |h, _, a| {
        match a.owner {
            AttachmentOwner::Entry(e) => h.refers("entry_id", [e], &entries),
            AttachmentOwner::Cpd(c) => h.refers("cpd_id", [c], &cpd),
        }
    })
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
    /// Calls `write` with the index of every record that is added or updated, and whether it
    /// is an update.
    fn each(
        merges: &[Merge],
        ticker: &mut Ticker<'_>,
        mut write: impl FnMut(usize, bool) -> Result<()>,
    ) -> Result<()> {
        for (i, merge) in merges.iter().enumerate() {
            if *merge != Merge::Skip {
                write(i, *merge == Merge::Update)?;
                ticker.tick();
            }
        }
        Ok(())
    }
    each(&m.templates, &mut ticker, |i, _| {
        w.template(&plan.small.templates[i]).map(drop)
    })?;
    each(&m.people, &mut ticker, |i, _| {
        w.person(&plan.small.people[i])
    })?;
    each(&m.relationships, &mut ticker, |i, _| {
        w.relationship(&plan.small.relationships[i])
    })?;
    each(&m.sessions, &mut ticker, |i, _| {
        w.session(&plan.small.sessions[i])
    })?;
    each(&m.cpd, &mut ticker, |i, update| {
        w.cpd(&plan.small.cpd[i], update)
    })?;
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
    each(&m.entries, &mut ticker, |i, update| {
        let e = &plan.entries[i];
        w.entry_links(
            e.id,
            &e.linked_entries,
            &e.linked_cpd,
            &e.linked_relationships,
            update,
        )
    })?;
    each(&m.actions, &mut ticker, |i, _| {
        w.action(&plan.small.actions[i])
    })?;
    ticker.finish();
    Ok(())
}
