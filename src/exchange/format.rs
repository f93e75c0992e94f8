//! The formats a journal can leave or enter by: the one list every front end reads.
//!
//! The command line's `--format` values, the desktop app's buttons and file dialogs, and the
//! work each does all come from [`Format`], so a new format is one variant here and one file
//! beside this one.

use super::{jrnl, json, markdown, ExportSummary, ImportReport, Progress};
use crate::error::{Error, Result};
use crate::Store;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A way of writing a journal out or reading one in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Reprise's own lossless JSON document.
    RepriseJson,
    /// A folder of Markdown files with YAML front matter.
    Markdown,
    /// jrnl's JSON export.
    JrnlJson,
}

/// Whether a format is written or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Out of the journal.
    Export,
    /// Into the journal.
    Import,
}

/// What a front end needs to offer a format: its name, what it is for, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FormatInfo {
    /// The format itself, as the command line and the desktop app name it.
    pub format: Format,
    /// A short name for buttons and dialogs, e.g. "Reprise JSON".
    pub label: String,
    /// One sentence on what it is for.
    pub description: String,
    /// File extensions a file of it has; empty when it is a folder.
    pub extensions: Vec<String>,
    /// Written as a folder rather than a file.
    pub folder: bool,
    /// The journal can be written out in it.
    pub export: bool,
    /// It can be read into the journal.
    pub import: bool,
}

impl Format {
    /// Every format, in the order they are offered.
    pub const ALL: [Format; 3] = [Format::RepriseJson, Format::Markdown, Format::JrnlJson];

    /// Its name on the command line and over IPC, e.g. `reprise-json`.
    pub fn name(self) -> &'static str {
        match self {
            Format::RepriseJson => "reprise-json",
            Format::Markdown => "markdown",
            Format::JrnlJson => "jrnl-json",
        }
    }

    /// Older names still accepted on the command line.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            // `reprise export --format json` predates the import's `reprise-json`.
            Format::RepriseJson => &["json"],
            Format::Markdown | Format::JrnlJson => &[],
        }
    }

    /// A short name for buttons and dialogs.
    pub fn label(self) -> &'static str {
        match self {
            Format::RepriseJson => "Reprise JSON",
            Format::Markdown => "Markdown",
            Format::JrnlJson => "jrnl JSON",
        }
    }

    /// One sentence on what it is for.
    pub fn description(self) -> &'static str {
        match self {
            Format::RepriseJson => {
                "Everything in the journal, attachments included; imports back to the same journal."
            }
            Format::Markdown => {
                "A folder of Markdown files with front matter, for any notes app or text editor."
            }
            Format::JrnlJson => "The JSON file that jrnl writes with its --format json option.",
        }
    }

    /// File extensions a file of it has; empty when it is a folder.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::RepriseJson | Format::JrnlJson => &["json"],
            Format::Markdown => &[],
        }
    }

    /// Written as a folder of files rather than one file.
    pub fn is_folder(self) -> bool {
        self.extensions().is_empty()
    }

    /// Whether it can go in `direction`.
    pub fn supports(self, direction: Direction) -> bool {
        match direction {
            Direction::Export => matches!(self, Format::RepriseJson | Format::Markdown),
            Direction::Import => matches!(self, Format::RepriseJson | Format::JrnlJson),
        }
    }

    /// The formats that can go in `direction`, in the order they are offered.
    pub fn supporting(direction: Direction) -> impl Iterator<Item = Format> {
        Format::ALL
            .into_iter()
            .filter(move |f| f.supports(direction))
    }

    /// A file or folder name to suggest for an export made on `day`, e.g.
    /// `reprise-2026-12-03.json`.
    pub fn suggested_name(self, day: chrono::NaiveDate) -> String {
        match self.extensions().first() {
            Some(ext) => format!("reprise-{day}.{ext}"),
            None => format!("reprise-{day}-{}", self.name()),
        }
    }

    /// What a front end shows for it.
    pub fn info(self) -> FormatInfo {
        FormatInfo {
            format: self,
            label: self.label().to_owned(),
            description: self.description().to_owned(),
            extensions: self.extensions().iter().map(|e| (*e).to_owned()).collect(),
            folder: self.is_folder(),
            export: self.supports(Direction::Export),
            import: self.supports(Direction::Import),
        }
    }

    /// Writes the whole journal to `out` in this format.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a format that cannot be written; otherwise as the format's own
    /// `export`.
    pub fn export(
        self,
        store: &Store,
        out: &Path,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ExportSummary> {
        match self {
            Format::RepriseJson => json::export(store, out, progress),
            Format::Markdown => markdown::export(store, out, progress),
            Format::JrnlJson => Err(self.export_unsupported()),
        }
    }

    /// Reads the file at `path` into the journal, all or nothing.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a format that cannot be read; otherwise as the format's own
    /// `import`.
    pub fn import(
        self,
        store: &Store,
        path: &Path,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportReport> {
        match self {
            Format::RepriseJson => json::import(store, path, progress),
            Format::JrnlJson => jrnl::import(store, path, progress),
            Format::Markdown => Err(self.import_unsupported()),
        }
    }

    /// The error for asking to write a journal in a format that cannot be written.
    pub fn export_unsupported(self) -> Error {
        self.unsupported(Direction::Export)
    }

    /// The error for asking to read a journal in a format that cannot be read.
    pub fn import_unsupported(self) -> Error {
        self.unsupported(Direction::Import)
    }

    fn unsupported(self, direction: Direction) -> Error {
        let verb = match direction {
            Direction::Export => "written",
            Direction::Import => "read",
        };
        let can: Vec<&str> = Format::supporting(direction).map(Format::name).collect();
        Error::invalid(
            "format",
            format!(
                "a journal cannot be {verb} as {}; use one of: {}",
                self.name(),
                can.join(", ")
            ),
        )
    }
}

impl std::str::FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s || f.aliases().contains(&s))
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.into_iter().map(Format::name).collect();
                Error::invalid(
                    "format",
                    format!("{s:?} is not a format; use one of: {}", names.join(", ")),
                )
            })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_parsing_and_serde() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().unwrap(), f);
            assert_eq!(serde_json::to_value(f).unwrap(), f.name());
        }
        assert_eq!("json".parse::<Format>().unwrap(), Format::RepriseJson);
        let e = "pdf".parse::<Format>().unwrap_err();
        assert!(
            e.to_string().contains("reprise-json, markdown, jrnl-json"),
            "{e}"
        );
    }

    #[test]
    fn directions_and_folders_are_as_offered() {
        let exports: Vec<_> = Format::supporting(Direction::Export).collect();
        let imports: Vec<_> = Format::supporting(Direction::Import).collect();
        assert_eq!(exports, [Format::RepriseJson, Format::Markdown]);
        assert_eq!(imports, [Format::RepriseJson, Format::JrnlJson]);
        assert!(Format::Markdown.is_folder());
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(
            Format::RepriseJson.suggested_name(day),
            "reprise-2026-12-03.json"
        );
    }

    #[test]
    fn an_unsupported_direction_is_refused_before_touching_anything() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("j.reprise")).unwrap();
        let e = Format::JrnlJson
            .export(&store, &dir.path().join("out.json"), &mut |_| {})
            .unwrap_err();
        assert!(e.to_string().contains("reprise-json, markdown"), "{e}");
        assert!(!dir.path().join("out.json").exists());
    }
}
