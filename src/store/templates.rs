//! Templates: the built-in frameworks shipped under `assets/templates/`, and the user's own.

use super::row::record;
use super::row::{self, Record};
use super::Store;
use crate::error::{Error, Result};
use crate::model::{new_id, now, Prompt, Template, TemplateInput};
use rusqlite::{OptionalExtension, Transaction};
use serde::Deserialize;
use uuid::Uuid;

/// The built-in templates, compiled in from their data files.
const BUILTIN_FILES: &[(&str, &str)] = &[
    ("gibbs", include_str!("../../assets/templates/gibbs.json")),
    ("rolfe", include_str!("../../assets/templates/rolfe.json")),
    (
        "driscoll",
        include_str!("../../assets/templates/driscoll.json"),
    ),
    ("kolb", include_str!("../../assets/templates/kolb.json")),
    ("johns", include_str!("../../assets/templates/johns.json")),
    (
        "brookfield",
        include_str!("../../assets/templates/brookfield.json"),
    ),
    ("schon", include_str!("../../assets/templates/schon.json")),
    (
        "music-session",
        include_str!("../../assets/templates/music-session.json"),
    ),
    (
        "peer-observation",
        include_str!("../../assets/templates/peer-observation.json"),
    ),
];

/// When the built-in wording last changed; bump it when editing a file under
/// `assets/templates/` so that existing journals pick up the new wording.
const BUILTIN_REVISION: &str = "2026-11-22T00:00:00.000Z";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BuiltinFile {
    id: Uuid,
    key: String,
    name: String,
    description: String,
    kind: crate::model::EntryKind,
    prompts: Vec<Prompt>,
}

/// The built-in templates as shipped.
///
/// # Errors
/// Only if a shipped data file is malformed, which a test rules out.
pub fn builtin_templates() -> Result<Vec<Template>> {
    let ts = crate::model::parse_ts(BUILTIN_REVISION)
        .ok_or_else(|| Error::invalid("BUILTIN_REVISION", "not a timestamp"))?;
    BUILTIN_FILES
        .iter()
        .map(|(key, text)| {
            let f: BuiltinFile = serde_json::from_str(text).map_err(|e| {
                Error::invalid(format!("assets/templates/{key}.json"), e.to_string())
            })?;
            Ok(Template {
                id: f.id,
                key: f.key,
                name: f.name,
                description: f.description,
                kind: f.kind,
                builtin: true,
                prompts: f.prompts,
                created_at: ts,
                updated_at: ts,
            })
        })
        .collect()
}

impl Store {
    /// Installs or refreshes the built-in templates; writes only when something changed.
    pub(crate) fn install_builtin_templates(&self) -> Result<()> {
        let builtins = builtin_templates()?;
        let stale = self.read(|tx| {
            let mut stale = Vec::new();
            for t in &builtins {
                let stored: Option<String> = tx
                    .prepare_cached("SELECT updated_at FROM templates WHERE id = ?1")?
                    .query_row([t.id.to_string()], |r| r.get(0))
                    .optional()?;
                if stored.as_deref() != Some(crate::model::format_ts(&t.updated_at).as_str()) {
                    stale.push(t.clone());
                }
            }
            Ok(stale)
        })?;
        if stale.is_empty() {
            return Ok(());
        }
        self.write(|tx| stale.iter().try_for_each(|t| upsert_template(tx, t)))
    }

    /// Every template, built-ins first, then the user's own by name.
    pub fn list_templates(&self) -> Result<Vec<Template>> {
        self.read(|tx| {
            row::load_all(
                tx,
                "ORDER BY builtin DESC, CASE WHEN builtin = 1 THEN id ELSE lower(name) END",
                [],
            )
        })
    }

    /// A template by id or key.
    ///
    /// # Errors
    /// [`Error::NotFound`] when nothing matches.
    pub fn get_template(&self, id_or_key: &str) -> Result<Template> {
        let wanted = id_or_key.trim();
        self.read(|tx| {
            tx.prepare_cached(&row::select::<Template>(
                "WHERE id = ?1 OR key = lower(?1) OR lower(name) = lower(?1) LIMIT 1",
            ))?
            .query_row([wanted], Template::from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                entity: "template",
                id: wanted.to_owned(),
            })
        })
    }

    /// Creates a template of the user's own.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a bad field.
    pub fn create_template(&self, input: &TemplateInput) -> Result<Template> {
        let input = input.validated()?;
        let ts = now();
        self.write(|tx| {
            name_is_free(tx, &input.name, None)?;
            let key = unique_key(tx, &crate::model::template::key_from_name(&input.name))?;
            let t = Template {
                id: new_id(),
                key,
                name: input.name.clone(),
                description: input.description.clone(),
                kind: input.kind,
                builtin: false,
                prompts: input.prompts.clone(),
                created_at: ts,
                updated_at: ts,
            };
            upsert_template(tx, &t)?;
            Ok(t)
        })
    }

    /// Changes a template of the user's own (built-ins are read-only: copy them).
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Invalid`] for a built-in or a bad field.
    pub fn update_template(&self, id: Uuid, input: &TemplateInput) -> Result<Template> {
        let input = input.validated()?;
        let existing = self.get_template(&id.to_string())?;
        if existing.builtin {
            return Err(Error::invalid(
                "template",
                "built-in templates cannot be changed; copy it first",
            ));
        }
        let t = Template {
            name: input.name,
            description: input.description,
            kind: input.kind,
            prompts: input.prompts,
            updated_at: crate::model::next_update(existing.updated_at),
            ..existing
        };
        self.write(|tx| {
            name_is_free(tx, &t.name, Some(t.id))?;
            upsert_template(tx, &t)
        })?;
        Ok(t)
    }

    /// Copies any template (typically a built-in) into a new one of the user's own.
    pub fn copy_template(&self, id_or_key: &str, new_name: Option<&str>) -> Result<Template> {
        let source = self.get_template(id_or_key)?;
        let name = match new_name {
            Some(name) => name.to_owned(),
            // "Gibbs (my copy)", then "Gibbs (my copy 2)", … so no two look the same.
            None => {
                let taken: Vec<String> = self
                    .list_templates()?
                    .into_iter()
                    .map(|t| t.name.to_lowercase())
                    .collect();
                (1..)
                    .map(|n| match n {
                        1 => format!("{} (my copy)", source.name),
                        n => format!("{} (my copy {n})", source.name),
                    })
                    .find(|name| !taken.contains(&name.to_lowercase()))
                    .unwrap_or_default()
            }
        };
        self.create_template(&TemplateInput {
            name,
            description: source.description,
            kind: source.kind,
            prompts: source.prompts,
        })
    }

    /// Deletes a template of the user's own; entries written from it keep their text.
    pub fn delete_template(&self, id: Uuid) -> Result<()> {
        let existing = self.get_template(&id.to_string())?;
        if existing.builtin {
            return Err(Error::invalid(
                "template",
                "built-in templates cannot be deleted",
            ));
        }
        self.write(|tx| row::delete::<Template>(tx, id))
    }
}

fn unique_key(tx: &Transaction<'_>, base: &str) -> Result<String> {
    let mut key = base.to_owned();
    let mut n = 2;
    loop {
        let taken: Option<i64> = tx
            .prepare_cached("SELECT 1 FROM templates WHERE key = ?1")?
            .query_row([&key], |r| r.get(0))
            .optional()?;
        if taken.is_none() {
            return Ok(key);
        }
        key = format!("{base}-{n}");
        n += 1;
    }
}

/// Inserts or replaces a whole template (also used by imports).
pub(crate) fn upsert_template(tx: &Transaction<'_>, t: &Template) -> Result<()> {
    row::upsert(tx, t)
}

record!(
    Template,
    table "templates",
    entity "template",
    columns [id, key, name, description, kind, builtin, prompts, created_at, updated_at]
);

/// Refuses a name another template already has (ignoring case), so no two look the same in
/// the chooser; `except` is the template being renamed.
fn name_is_free(tx: &Transaction<'_>, name: &str, except: Option<Uuid>) -> Result<()> {
    let taken = tx
        .prepare_cached("SELECT 1 FROM templates WHERE lower(name) = lower(?1) AND id IS NOT ?2")?
        .exists(rusqlite::params![
            name.trim(),
            except.map(|id| id.to_string())
        ])?;
    if taken {
        return Err(Error::invalid(
            "name",
            format!(
                "there is already a template called \"{}\"; choose another name",
                name.trim()
            ),
        ));
    }
    Ok(())
}
