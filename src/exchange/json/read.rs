//! Reading a Reprise JSON document as a stream of raw records, each in its section.

use super::*;

/// Declares the document's sections of records: for each, the [`Record`] variant that
/// carries one of its records as read, the section's key in the document, and the fields of
/// that raw record.
macro_rules! sections {
    ($($variant:ident($raw:ident) in $key:literal {
        $($(#[$fmeta:meta])* $field:ident: $ty:ty),+ $(,)?
    })+) => {
        /// One record as read, before validation, with the section it came from.
        pub(super) enum Record {
            $($variant($raw),)+
        }

        impl Record {
            pub(super) fn section(&self) -> &'static str {
                match self {
                    $(Record::$variant(_) => $key,)+
                }
            }

            pub(super) fn id(&self) -> &str {
                match self {
                    $(Record::$variant(r) => &r.id,)+
                }
            }
        }

        $(
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            pub(super) struct $raw {
                $($(#[$fmeta])* pub(super) $field: $ty,)+
            }
        )+

        /// Which kind of record a section holds.
        #[derive(Clone, Copy)]
        pub(super) enum Wrap {
            $($variant,)+
        }

        impl Wrap {
            /// The section with this key, and the kind of record it holds.
            pub(super) fn of_section(key: &str) -> Option<(&'static str, Wrap)> {
                match key {
                    $($key => Some(($key, Wrap::$variant)),)+
                    _ => None,
                }
            }
        }

        impl SectionSeed<'_> {
            pub(super) fn next<'de, A: SeqAccess<'de>>(
                &self,
                seq: &mut A,
            ) -> Result<Option<Record>, A::Error> {
                Ok(match self.wrap {
                    $(Wrap::$variant => seq.next_element()?.map(Record::$variant),)+
                })
            }
        }
    };
}

// Records as read. Ids, timestamps, dates and enum values stay text here so that a bad one
// can be reported with its record and field.
sections! {
    Template(RawTemplate) in "templates" {
        id: String, key: String, name: String, description: String, kind: String,
        // Exported so the file reads completely; never trusted on import (see `template`).
        #[allow(dead_code)]
        builtin: bool,
        prompts: Vec<Prompt>, created_at: String, updated_at: String,
    }
    Person(RawPerson) in "people" {
        id: String, display_name: String, contact: Option<String>,
        role_words: Option<String>, is_owner: bool, notes: String,
        created_at: String, updated_at: String,
    }
    Relationship(RawRelationship) in "relationships" {
        id: String, kind: String, name: String, purpose: String,
        started_on: Option<String>, ended_on: Option<String>, status: String,
        members: Vec<RawMember>, created_at: String, updated_at: String,
    }
    Session(RawSession) in "mentoring_sessions" {
        id: String, relationship_id: String, held_on: String, duration_minutes: Option<u32>,
        notes: String, attendees: Vec<String>, created_at: String, updated_at: String,
    }
    Action(RawAction) in "actions" {
        id: String, title: String, detail: String, owner_id: Option<String>,
        due_on: Option<String>, status: String, source: String,
        source_entry_id: Option<String>, source_session_id: Option<String>,
        created_at: String, updated_at: String,
    }
    Cpd(RawCpd) in "cpd_activities" {
        id: String, title: String, activity_type: String, started_on: String,
        ended_on: Option<String>, hours: f64, participatory_hours: f64,
        provider: Option<String>, description: String, outcomes: String, impact: String,
        benefit: String, evidence: String, standards: Vec<String>, tags: Vec<String>,
        linked_entries: Vec<String>, attachments: Vec<RawMeta>,
        created_at: String, updated_at: String,
    }
    Entry(RawEntry) in "entries" {
        id: String, kind: String, title: String, body: String, occurred_on: String,
        occurred_time: Option<String>, template_id: Option<String>, starred: bool,
        tags: Vec<String>, session: Option<SessionFacts>, linked_entries: Vec<String>,
        linked_cpd: Vec<String>, linked_relationships: Vec<String>,
        attachments: Vec<RawMeta>, created_at: String, updated_at: String,
        deleted_at: Option<String>,
    }
    Attachment(RawAttachment) in "attachments" {
        id: String, entry_id: Option<String>, cpd_id: Option<String>, file_name: String,
        media_type: String, size: u64, sha256: String, created_at: String,
        updated_at: String, data: String,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMember {
    pub(super) person_id: String,
    pub(super) role: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMeta {
    pub(super) id: String,
    // The rest repeats the top-level attachment with this id, which is the one used.
    #[allow(dead_code)]
    pub(super) file_name: String,
    #[allow(dead_code)]
    pub(super) media_type: String,
    #[allow(dead_code)]
    pub(super) size: u64,
    #[allow(dead_code)]
    pub(super) sha256: String,
    #[allow(dead_code)]
    pub(super) created_at: String,
}

/// What the reader noticed besides the records.
pub(super) struct ParseState<'f> {
    pub(super) file: &'f str,
    /// What the reader may still read; set before each key and each record.
    pub(super) budget: Budget,
    /// The section and index of a record that could not be read.
    pub(super) failed_at: Cell<Option<(&'static str, usize)>>,
    /// An error with a better message than serde's: a refused format or version, or a
    /// record that failed validation.
    pub(super) failure: RefCell<Option<Error>>,
    pub(super) format: RefCell<Option<String>>,
    pub(super) version: Cell<Option<u64>>,
}

/// Called with each record of the sections asked for, with its index in its section.
pub(super) type Sink<'s> = RefCell<&'s mut dyn FnMut(usize, Record) -> Result<()>>;

pub(super) const TOP_LEVEL: &[&str] = &[
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

pub(super) fn not_ours(file: &str, found: &str) -> Error {
    Error::import(
        file,
        format!("this is not a Reprise journal export (format {found:?}, expected {FORMAT:?})"),
    )
}

pub(super) fn too_new(file: &str, version: u64) -> Error {
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
pub(super) fn read_document(
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

/// Makes a visitor its own seed, which asks the deserializer for what `$how` reads.
macro_rules! seed_from_visitor {
    ($seed:ident, $how:ident) => {
        impl<'de> DeserializeSeed<'de> for $seed<'_> {
            type Value = ();

            fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                d.$how(self)
            }
        }
    };
}

pub(super) struct DocSeed<'s> {
    pub(super) state: &'s ParseState<'s>,
    pub(super) wanted: &'s [&'s str],
    pub(super) sink: &'s Sink<'s>,
}

seed_from_visitor!(DocSeed, deserialize_map);

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
                name => match Wrap::of_section(name) {
                    Some((name, wrap)) => map.next_value_seed(section(name, wrap))?,
                    None => return Err(A::Error::unknown_field(name, TOP_LEVEL)),
                },
            }
        }
        Ok(())
    }
}

/// One section, read element by element; a failing element's index is remembered so that
/// the error can name it (`entries[12]`) and not only a line and column.
pub(super) struct SectionSeed<'s> {
    pub(super) name: &'static str,
    pub(super) state: &'s ParseState<'s>,
    pub(super) sink: &'s Sink<'s>,
    pub(super) wrap: Wrap,
}

seed_from_visitor!(SectionSeed, deserialize_seq);

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
pub(super) fn probe(path: &Path, file: &str) -> Option<Error> {
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
