//! Plain data and validation: what a journal holds, with no I/O.
//!
//! Every record has a UUID v7 (time-ordered, so journals can merge without collisions) and an
//! `updated_at`, so that when two copies of a record meet, the newer one wins.

pub use cpd::{CpdActivity, CpdInput, CpdSummary, CpdType, CpdTypeHours};
pub use entry::{
    excerpt, AttachmentMeta, Entry, EntryFilter, EntryInput, EntryKind, EntrySummary, Page,
    SessionFacts, EXCERPT_CHARS, EXCERPT_SOURCE_CHARS,
};
pub use people::{
    Action, ActionInput, ActionSource, ActionStatus, Member, MentoringSession,
    MentoringSessionInput, Person, PersonInput, Relationship, RelationshipInput, RelationshipKind,
    RelationshipStatus, Role,
};
pub use template::{Prompt, Template, TemplateInput};

use crate::error::{Error, Result};
use chrono::{DateTime, SubsecRound, Utc};
use serde::Serialize;
use uuid::Uuid;

/// A new time-ordered id.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// The current time, truncated to milliseconds so that it survives a text round trip unchanged.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

/// Formats a timestamp the one way the journal stores and exports it.
pub fn format_ts(ts: &DateTime<Utc>) -> String {
    ts.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Parses a stored or imported timestamp (any RFC 3339 form), normalised to UTC milliseconds.
pub fn parse_ts(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc).trunc_subsecs(3))
}

/// Serde adapter that writes timestamps in the canonical [`format_ts`] form.
pub mod ts {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serialises a timestamp canonically.
    pub fn serialize<S: Serializer>(ts: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_ts(ts))
    }

    /// Deserialises any RFC 3339 timestamp.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_ts(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 timestamp: {text:?}")))
    }

    /// The same for optional timestamps.
    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serializer};

        /// Serialises an optional timestamp canonically.
        pub fn serialize<S: Serializer>(
            ts: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match ts {
                Some(ts) => s.serialize_str(&super::super::format_ts(ts)),
                None => s.serialize_none(),
            }
        }

        /// Deserialises an optional RFC 3339 timestamp.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            match Option::<String>::deserialize(d)? {
                None => Ok(None),
                Some(text) => super::super::parse_ts(&text).map(Some).ok_or_else(|| {
                    serde::de::Error::custom(format!("not an RFC 3339 timestamp: {text:?}"))
                }),
            }
        }
    }
}

/// Longest title, name or label accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest body accepted, in bytes (a very long reflection is ~50 KB).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 60;
/// Most people a session's facts may count.
pub const MAX_PARTICIPANTS: u32 = 100_000;
/// Longest a session may last, in minutes (a day).
pub const MAX_DURATION_MINUTES: u32 = 24 * 60;

/// The limits the journal keeps, for a front end to enforce where a value is typed rather
/// than after a save is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Limits {
    /// Longest title, name, setting or other one-line field, in characters.
    pub line_chars: u32,
    /// Longest tag, in characters.
    pub tag_chars: u32,
    /// Largest entry text or other long field, in bytes (UTF-8).
    pub text_bytes: u32,
    /// Largest attachment, in bytes.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub attachment_bytes: u64,
    /// Most participants a session may have.
    pub participants: u32,
    /// Longest session, in minutes.
    pub duration_minutes: u32,
}

impl Limits {
    /// The limits of this build.
    pub fn current() -> Limits {
        Limits {
            line_chars: MAX_TITLE_CHARS as u32,
            tag_chars: MAX_TAG_CHARS as u32,
            text_bytes: MAX_BODY_BYTES as u32,
            attachment_bytes: crate::store::MAX_ATTACHMENT_BYTES,
            participants: MAX_PARTICIPANTS,
            duration_minutes: MAX_DURATION_MINUTES,
        }
    }
}

/// A size as people read it: "512 bytes", "48 KB", "1.5 MB", "2 MB", "4 GB" (binary units,
/// one decimal where it says something).
pub fn human_size(bytes: u64) -> String {
    let (value, unit) = match bytes {
        b if b >= 1 << 30 => (b as f64 / f64::from(1u32 << 30), "GB"),
        b if b >= 1 << 20 => (b as f64 / f64::from(1u32 << 20), "MB"),
        b if b >= 1 << 10 => (b as f64 / 1024.0, "KB"),
        1 => return "1 byte".to_owned(),
        b => return format!("{b} bytes"),
    };
    let rounded = format!("{value:.1}");
    format!("{} {unit}", rounded.strip_suffix(".0").unwrap_or(&rounded))
}

/// Trims a required one-line text field and checks its length.
pub(crate) fn required_line(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    optional_line(field, value).map(|v| v.unwrap_or_default())
}

/// Trims an optional one-line text field (empty becomes `None`) and checks its length.
pub(crate) fn optional_line(field: &str, value: &str) -> Result<Option<String>> {
    let value = value.trim();
    if value.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::invalid(
            field,
            format!("longer than {MAX_TITLE_CHARS} characters"),
        ));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(field, "contains a control character"));
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// Checks a long free-text field (Markdown body, notes).
pub(crate) fn long_text(field: &str, value: &str) -> Result<String> {
    if value.len() > MAX_BODY_BYTES {
        return Err(Error::invalid(
            field,
            format!(
                "is {}, more than the {} an entry may hold",
                human_size(value.len() as u64),
                human_size(MAX_BODY_BYTES as u64)
            ),
        ));
    }
    // Tabs and line breaks are text; other control characters are never typed, can drive a
    // terminal (escape sequences) and would collide with the search index's match markers.
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(Error::invalid(
            field,
            format!("contains the control character U+{:04X}", c as u32),
        ));
    }
    Ok(value.to_owned())
}

/// The earliest and latest years a date may have: four-digit years, as every export writes them.
pub const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// Checks that a date has a four-digit year.
pub(crate) fn check_date(field: &str, date: Option<chrono::NaiveDate>) -> Result<()> {
    use chrono::Datelike;
    match date {
        Some(d) if !YEARS.contains(&d.year()) => Err(Error::invalid(
            field,
            format!("{d} is outside the years 1 to 9999"),
        )),
        _ => Ok(()),
    }
}

/// A new `updated_at` for a record last changed at `previous`: now, but always later than
/// `previous`, so that a local edit is never older than the copy it replaces (and an import of
/// that older copy can never overwrite it), even when the clock has gone back.
pub fn next_update(previous: DateTime<Utc>) -> DateTime<Utc> {
    now().max(previous + chrono::Duration::milliseconds(1))
}

/// Normalises a tag: trims, strips leading `#`/`@`, collapses inner whitespace to `-`.
///
/// Tags compare case-insensitively in the store; the first spelling seen is kept.
pub fn normalise_tag(raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_start_matches(['#', '@']).trim();
    let tag: String = trimmed.split_whitespace().collect::<Vec<_>>().join("-");
    if tag.is_empty() {
        return Err(Error::invalid("tag", format!("{raw:?} is empty")));
    }
    if tag.chars().count() > MAX_TAG_CHARS {
        return Err(Error::invalid(
            "tag",
            format!("{tag:?} is longer than {MAX_TAG_CHARS} characters"),
        ));
    }
    if tag.chars().any(|c| c.is_control() || c == ',') {
        return Err(Error::invalid(
            "tag",
            format!("{tag:?} contains a comma or control character"),
        ));
    }
    Ok(tag)
}

/// Normalises a list of tags, dropping case-insensitive duplicates and keeping order.
pub fn normalise_tags(raw: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for t in raw {
        let tag = normalise_tag(t)?;
        if !out
            .iter()
            .any(|o| o.eq_ignore_ascii_case(&tag) || o.to_lowercase() == tag.to_lowercase())
        {
            out.push(tag);
        }
    }
    Ok(out)
}

/// Generates a string enum with stable snake_case names, `as_str` and `FromStr`.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name used in the store, exports and the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::error::Error;
            fn from_str(s: &str) -> crate::error::Result<Self> {
                let wanted = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                $(if wanted == $text { return Ok($name::$variant); })+
                let known: Vec<&str> = vec![$($text),+];
                Err(crate::error::Error::invalid(
                    stringify!($name),
                    format!("{s:?} is not one of {}", known.join(", ")),
                ))
            }
        }
    };
}

/// Declares a record the journal keeps: a public struct with the derives every record has
/// (serde for storage and exports, specta's `Type` for the desktop's bindings), whose fields
/// end with the timestamps every record carries. The `stamps` block names them with their
/// docs: `created_at` and `updated_at`, and for a record that can go to the trash,
/// `deleted_at`; each is written in the canonical form of [`ts`].
///
/// A record whose fields are, after its id, what a person writes can declare that input type
/// with it (`written as`): the input's fields, with their attributes, are declared once, and
/// the record carries them after its own, then any it adds (`then`), then its stamps.
macro_rules! stamped_record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $($fields:tt)*
        }
        $(
            $(#[$input_meta:meta])*
            written as pub struct $input:ident {
                $($input_fields:tt)*
            }
            $(then {
                $($more_fields:tt)*
            })?
        )?
        stamps {
            $(#[$created:meta])* created_at,
            $(#[$updated:meta])* updated_at,
            $($(#[$deleted:meta])* deleted_at,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub struct $name {
            $($fields)*
            $($($input_fields)* $($($more_fields)*)?)?
            $(#[$created])*
            #[serde(with = "crate::model::ts")]
            pub created_at: chrono::DateTime<chrono::Utc>,
            $(#[$updated])*
            #[serde(with = "crate::model::ts")]
            pub updated_at: chrono::DateTime<chrono::Utc>,
            $(
                $(#[$deleted])*
                #[serde(with = "crate::model::ts::option")]
                pub deleted_at: Option<chrono::DateTime<chrono::Utc>>,
            )?
        }

        $(
            $(#[$input_meta])*
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[cfg_attr(feature = "specta", derive(specta::Type))]
            pub struct $input {
                $($input_fields)*
            }
        )?
    };
}

mod cpd;
mod entry;
mod people;
pub(crate) mod template;
