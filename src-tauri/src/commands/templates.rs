//! Templates: the built-in frameworks and the person's own.

use crate::error::IpcResult;
use crate::state::AppState;
use reprise::model::{Template, TemplateInput};
use tauri::State;
use uuid::Uuid;

/// Every template, built-ins first.
#[tauri::command(async)]
#[specta::specta]
pub fn list_templates(state: State<'_, AppState>) -> IpcResult<Vec<Template>> {
    Ok(state.store()?.list_templates()?)
}

/// Creates a template of the person's own.
#[tauri::command(async)]
#[specta::specta]
pub fn create_template(state: State<'_, AppState>, input: TemplateInput) -> IpcResult<Template> {
    Ok(state.store()?.create_template(&input)?)
}

/// Changes a template of the person's own.
#[tauri::command(async)]
#[specta::specta]
pub fn update_template(
    state: State<'_, AppState>,
    id: Uuid,
    input: TemplateInput,
) -> IpcResult<Template> {
    Ok(state.store()?.update_template(id, &input)?)
}

/// Copies a template (typically a built-in) to edit it.
#[tauri::command(async)]
#[specta::specta]
pub fn copy_template(
    state: State<'_, AppState>,
    id_or_key: String,
    name: Option<String>,
) -> IpcResult<Template> {
    Ok(state.store()?.copy_template(&id_or_key, name.as_deref())?)
}

/// Deletes a template of the person's own.
#[tauri::command(async)]
#[specta::specta]
pub fn delete_template(state: State<'_, AppState>, id: Uuid) -> IpcResult<()> {
    Ok(state.store()?.delete_template(id)?)
}
