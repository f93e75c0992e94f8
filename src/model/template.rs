//! Templates: reflection frameworks as a named list of prompts.

use super::{optional_line, required_line, EntryKind};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One prompt of a template: a heading and the questions that guide it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    /// Becomes a `##` heading in the entry's body.
    pub heading: String,
    /// Questions shown as hints under the heading.
    #[serde(default)]
    pub guidance: Vec<String>,
}

stamped_record! {
    /// A reflection framework or a user's own template.
    #[derive(Eq)]
    pub struct Template {
        /// The template's id (fixed for built-ins).
        pub id: Uuid,
        /// A short stable name for the command line, e.g. `gibbs`.
        pub key: String,
        /// Its display name.
        pub name: String,
        /// When to use it.
        pub description: String,
        /// The kind of entry it starts.
        pub kind: EntryKind,
        /// Shipped with Reprise (read-only; copy it to change it).
        pub builtin: bool,
        /// Its prompts, in order.
        pub prompts: Vec<Prompt>,
    }
    stamps {
        /// When it was created.
        created_at,
        /// When it last changed.
        updated_at,
    }
}

impl Template {
    /// The Markdown an entry written from this template starts with: one heading per prompt.
    pub fn scaffold(&self) -> String {
        let mut body = String::new();
        for p in &self.prompts {
            body.push_str("## ");
            body.push_str(&p.heading);
            body.push_str("\n\n\n");
        }
        body
    }
}

/// What a person writes or changes in a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TemplateInput {
    /// Its display name.
    pub name: String,
    /// When to use it.
    #[serde(default)]
    pub description: String,
    /// The kind of entry it starts.
    pub kind: EntryKind,
    /// Its prompts, in order.
    pub prompts: Vec<Prompt>,
}

impl TemplateInput {
    /// Checks and normalises every field.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first field that is wrong.
    pub fn validated(&self) -> Result<TemplateInput> {
        if self.prompts.is_empty() {
            return Err(Error::invalid(
                "prompts",
                "a template needs at least one prompt",
            ));
        }
        if self.prompts.len() > 50 {
            return Err(Error::invalid(
                "prompts",
                "a template has at most 50 prompts",
            ));
        }
        let prompts = self
            .prompts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let field = format!("prompts[{i}]");
                Ok(Prompt {
                    heading: required_line(&format!("{field}.heading"), &p.heading)?,
                    guidance: p
                        .guidance
                        .iter()
                        .map(|g| optional_line(&format!("{field}.guidance"), g))
                        .collect::<Result<Vec<_>>>()?
                        .into_iter()
                        .flatten()
                        .collect(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TemplateInput {
            name: required_line("name", &self.name)?,
            description: optional_line("description", &self.description)?.unwrap_or_default(),
            kind: self.kind,
            prompts,
        })
    }
}

/// Makes a command-line key from a name: lowercase ASCII words joined by `-`.
pub(crate) fn key_from_name(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('-') && !key.is_empty() {
            key.push('-');
        }
    }
    let key = key.trim_end_matches('-').to_owned();
    if key.is_empty() {
        "template".to_owned()
    } else {
        key
    }
}
