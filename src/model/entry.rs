//! Entries: reflections, quick notes and session records.

use super::{long_text, normalise_tags, optional_line, required_line};
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

string_enum! {
    /// What an entry is.
    EntryKind {
        /// A reflection written after a session, an event, feedback or CPD.
        Reflection => "reflection",
        /// A short in-the-moment capture that can later be promoted to a reflection.
        QuickNote => "quick_note",
        /// The facts of a practice session, with notes.
        SessionRecord => "session_record",
    }
}

/// The facts of a practice session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct SessionFacts {
    /// Where it took place (a nursery, a school, a hospital ward, …).
    pub setting: Option<String>,
    /// The group worked with.
    pub group: Option<String>,
    /// The participants' ages, as words ("0–2", "Year 8").
    pub age_range: Option<String>,
    /// How many took part.
    pub participants: Option<u32>,
    /// How long the session lasted, in minutes.
    pub duration_minutes: Option<u32>,
    /// Activities and repertoire.
    pub activities: Option<String>,
}

impl SessionFacts {
    /// True when no fact is recorded.
    pub fn is_empty(&self) -> bool {
        *self == SessionFacts::default()
    }

    fn validated(&self) -> Result<SessionFacts> {
        let check_count = |field: &str, v: Option<u32>, max: u32| match v {
            Some(n) if n > max => Err(Error::invalid(field, format!("{n} is more than {max}"))),
            _ => Ok(v),
        };
        Ok(SessionFacts {
            setting: optional_line("session.setting", self.setting.as_deref().unwrap_or(""))?,
            group: optional_line("session.group", self.group.as_deref().unwrap_or(""))?,
            age_range: optional_line("session.age_range", self.age_range.as_deref().unwrap_or(""))?,
            participants: check_count(
                "session.participants",
                self.participants,
                super::MAX_PARTICIPANTS,
            )?,
            duration_minutes: check_count(
                "session.duration_minutes",
                self.duration_minutes,
                super::MAX_DURATION_MINUTES,
            )?,
            activities: match self.activities.as_deref().map(str::trim) {
                Some(a) if !a.is_empty() => Some(long_text("session.activities", a)?),
                _ => None,
            },
        })
    }
}

/// Metadata of an attachment stored inside the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AttachmentMeta {
    /// The attachment's id.
    pub id: Uuid,
    /// The file name it was added under.
    pub file_name: String,
    /// Its media type, e.g. `audio/mpeg`.
    pub media_type: String,
    /// Its size in bytes.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub size: u64,
    /// Lowercase hex SHA-256 of its bytes.
    pub sha256: String,
    /// When it was added.
    #[serde(with = "super::ts")]
    pub created_at: DateTime<Utc>,
}

stamped_record! {
    /// One piece of writing, with everything attached to it.
    pub struct Entry {
        /// The entry's id.
        pub id: Uuid,
        /// What kind of entry it is.
        pub kind: EntryKind,
        /// Its title.
        pub title: String,
        /// Its Markdown body.
        pub body: String,
        /// The day it is about.
        pub occurred_on: NaiveDate,
        /// The time of day it is about, when known.
        pub occurred_time: Option<NaiveTime>,
        /// The template it was written from.
        pub template_id: Option<Uuid>,
        /// Marked as important.
        pub starred: bool,
        /// Tags, in the order given.
        pub tags: Vec<String>,
        /// Session facts, when recorded.
        pub session: Option<SessionFacts>,
        /// Other entries this one links to.
        pub linked_entries: Vec<Uuid>,
        /// CPD activities this entry is evidence for.
        pub linked_cpd: Vec<Uuid>,
        /// Mentoring relationships this entry belongs to.
        pub linked_relationships: Vec<Uuid>,
        /// Files attached to it.
        pub attachments: Vec<AttachmentMeta>,
    }
    stamps {
        /// When it was created.
        created_at,
        /// When it last changed.
        updated_at,
        /// When it was moved to the trash.
        deleted_at,
    }
}

/// What a person writes or changes in an entry; everything else is kept by the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct EntryInput {
    /// What kind of entry it is.
    pub kind: EntryKind,
    /// Its title; an empty title is filled from the body's first line.
    pub title: String,
    /// Its Markdown body.
    pub body: String,
    /// The day it is about; today when absent.
    pub occurred_on: Option<NaiveDate>,
    /// The time of day it is about.
    pub occurred_time: Option<NaiveTime>,
    /// The template it was written from.
    pub template_id: Option<Uuid>,
    /// Marked as important.
    pub starred: bool,
    /// Tags (normalised: `#` stripped, spaces become `-`, duplicates dropped).
    pub tags: Vec<String>,
    /// Session facts.
    pub session: Option<SessionFacts>,
    /// Other entries this one links to.
    pub linked_entries: Vec<Uuid>,
    /// CPD activities this entry is evidence for.
    pub linked_cpd: Vec<Uuid>,
    /// Mentoring relationships this entry belongs to.
    pub linked_relationships: Vec<Uuid>,
}

impl Default for EntryInput {
    fn default() -> Self {
        EntryInput {
            kind: EntryKind::Reflection,
            title: String::new(),
            body: String::new(),
            occurred_on: None,
            occurred_time: None,
            template_id: None,
            starred: false,
            tags: Vec::new(),
            session: None,
            linked_entries: Vec::new(),
            linked_cpd: Vec::new(),
            linked_relationships: Vec::new(),
        }
    }
}

impl EntryInput {
    /// Checks and normalises every field.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first field that is wrong.
    pub fn validated(&self) -> Result<EntryInput> {
        let body = long_text("body", &self.body)?;
        super::check_date("occurred_on", self.occurred_on)?;
        let title = if self.title.trim().is_empty() {
            title_from_body(&body).unwrap_or_else(|| default_title(self.kind))
        } else {
            required_line("title", &self.title)?
        };
        let session = match &self.session {
            Some(s) => Some(s.validated()?).filter(|s| !s.is_empty()),
            None => None,
        };
        let dedup = |ids: &[Uuid]| {
            let mut out: Vec<Uuid> = Vec::with_capacity(ids.len());
            for id in ids {
                if !out.contains(id) {
                    out.push(*id);
                }
            }
            out
        };
        Ok(EntryInput {
            kind: self.kind,
            title,
            body,
            occurred_on: self.occurred_on,
            occurred_time: self.occurred_time,
            template_id: self.template_id,
            starred: self.starred,
            tags: normalise_tags(&self.tags)?,
            session,
            linked_entries: dedup(&self.linked_entries),
            linked_cpd: dedup(&self.linked_cpd),
            linked_relationships: dedup(&self.linked_relationships),
        })
    }
}

impl From<&Entry> for EntryInput {
    fn from(e: &Entry) -> Self {
        EntryInput {
            kind: e.kind,
            title: e.title.clone(),
            body: e.body.clone(),
            occurred_on: Some(e.occurred_on),
            occurred_time: e.occurred_time,
            template_id: e.template_id,
            starred: e.starred,
            tags: e.tags.clone(),
            session: e.session.clone(),
            linked_entries: e.linked_entries.clone(),
            linked_cpd: e.linked_cpd.clone(),
            linked_relationships: e.linked_relationships.clone(),
        }
    }
}

/// A title taken from the first non-empty line of a body, without Markdown heading marks.
fn title_from_body(body: &str) -> Option<String> {
    let line = body
        .lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .find(|l| !l.is_empty())?;
    let mut title: String = line.chars().filter(|c| !c.is_control()).take(80).collect();
    if line.chars().count() > 80 {
        title.push('…');
    }
    Some(title)
}

fn default_title(kind: EntryKind) -> String {
    match kind {
        EntryKind::Reflection => "Untitled reflection",
        EntryKind::QuickNote => "Quick note",
        EntryKind::SessionRecord => "Session record",
    }
    .to_owned()
}

/// One row of a timeline or search listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EntrySummary {
    /// The entry's id.
    pub id: Uuid,
    /// What kind of entry it is.
    pub kind: EntryKind,
    /// Its title.
    pub title: String,
    /// The day it is about.
    pub occurred_on: NaiveDate,
    /// The template's name, when written from one.
    pub template_name: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
    /// A plain-text excerpt of the body.
    pub excerpt: String,
    /// Marked as important.
    pub starred: bool,
    /// When it last changed.
    #[serde(with = "super::ts")]
    pub updated_at: DateTime<Utc>,
    /// When it went to the trash (only set in trash listings).
    #[serde(with = "super::ts::option")]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Characters of body text shown as a listing's excerpt.
pub const EXCERPT_CHARS: usize = 180;

/// Characters from the start of a body that an excerpt is made from: listings read only these
/// from the journal (`substr(body, 1, EXCERPT_SOURCE_CHARS)`), so a long body costs a listing
/// nothing extra.
pub const EXCERPT_SOURCE_CHARS: usize = 800;

/// The plain-text excerpt of a body that listings show; give it the whole body or its first
/// [`EXCERPT_SOURCE_CHARS`] characters, with the same result.
pub fn excerpt(body: &str) -> String {
    let source = match body.char_indices().nth(EXCERPT_SOURCE_CHARS) {
        Some((end, _)) => &body[..end],
        None => body,
    };
    crate::render::plain_text(source, EXCERPT_CHARS)
}

impl Entry {
    /// The entry as a row of the timeline shows it; `template_name` is its template's name.
    pub fn summary(&self, template_name: Option<String>) -> EntrySummary {
        EntrySummary {
            id: self.id,
            kind: self.kind,
            title: self.title.clone(),
            occurred_on: self.occurred_on,
            template_name,
            tags: self.tags.clone(),
            excerpt: excerpt(&self.body),
            starred: self.starred,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        }
    }
}

impl EntryInput {
    /// What a new entry starts with: of `kind`, about `day`, and when written from a template,
    /// that template's kind and one heading per prompt; a session record starts with empty
    /// session facts to fill in.
    pub fn starting(kind: EntryKind, template: Option<&super::Template>, day: NaiveDate) -> Self {
        let kind = template.map_or(kind, |t| t.kind);
        EntryInput {
            kind,
            occurred_on: Some(day),
            template_id: template.map(|t| t.id),
            body: template.map(super::Template::scaffold).unwrap_or_default(),
            session: (kind == EntryKind::SessionRecord).then(SessionFacts::default),
            ..EntryInput::default()
        }
    }
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct EntryFilter {
    /// Only entries carrying every one of these tags.
    pub tags: Vec<String>,
    /// Only entries of this kind.
    pub kind: Option<EntryKind>,
    /// Only entries written from this template (id or key).
    pub template: Option<String>,
    /// Only entries linked to this relationship.
    pub relationship: Option<Uuid>,
    /// Only entries on or after this day.
    pub since: Option<NaiveDate>,
    /// Only entries on or before this day.
    pub until: Option<NaiveDate>,
    /// Only entries whose session facts name this setting (whatever its case).
    pub setting: Option<String>,
    /// Only entries whose session facts name this group (whatever its case).
    pub group: Option<String>,
    /// Only starred entries.
    pub starred: bool,
    /// List the trash instead of the journal.
    pub trash: bool,
    /// Continue after this cursor (from a previous page's `next`).
    pub cursor: Option<String>,
    /// At most this many rows (default 50, at most 500).
    pub limit: Option<u32>,
}

impl EntryFilter {
    /// The page size asked for, bounded.
    pub fn page_size(&self) -> u32 {
        self.limit.unwrap_or(50).clamp(1, 500)
    }
}

/// One page of results and the cursor for the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `None` on the last page.
    pub next: Option<String>,
}
