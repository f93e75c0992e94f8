//! Entries, tags, drafts and the Markdown preview.

use crate::error::IpcResult;
use crate::state::AppState;
use reprise::model::{Entry, EntryFilter, EntryInput, EntryKind, EntrySummary, Page};
use reprise::store::{Draft, TagCount};
use serde::Serialize;
use tauri::State;
use uuid::Uuid;

/// One page of the timeline (or the trash), newest first.
#[tauri::command(async)]
#[specta::specta]
pub fn list_entries(
    state: State<'_, AppState>,
    filter: EntryFilter,
) -> IpcResult<Page<EntrySummary>> {
    Ok(state.store()?.list_entries(&filter)?)
}

/// How many entries match a filter.
#[tauri::command(async)]
#[specta::specta]
pub fn count_entries(state: State<'_, AppState>, filter: EntryFilter) -> IpcResult<u32> {
    Ok(state.store()?.count_entries(&filter)? as u32)
}

/// One entry with everything attached to it.
#[tauri::command(async)]
#[specta::specta]
pub fn get_entry(state: State<'_, AppState>, id: Uuid) -> IpcResult<Entry> {
    Ok(state.store()?.get_entry(id)?)
}

/// An entry as just committed, with the row the timeline shows for it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SavedEntry {
    /// The entry as stored.
    pub entry: Entry,
    /// Its timeline row, as the next listing will show it.
    pub summary: EntrySummary,
}

/// Creates an entry; returns it once committed.
#[tauri::command(async)]
#[specta::specta]
pub fn create_entry(state: State<'_, AppState>, input: EntryInput) -> IpcResult<SavedEntry> {
    let store = state.store()?;
    let entry = store.create_entry(&input)?;
    let summary = store.summarise(&entry)?;
    Ok(SavedEntry { entry, summary })
}

/// Saves an entry; returns it once committed (the UI shows "Saved" only then).
#[tauri::command(async)]
#[specta::specta]
pub fn update_entry(
    state: State<'_, AppState>,
    id: Uuid,
    input: EntryInput,
    based_on: Option<chrono::DateTime<chrono::Utc>>,
) -> IpcResult<SavedEntry> {
    let read_at = reprise::model::now();
    let store = state.store()?;
    let entry = store.save_from_editor(id, &input, read_at, based_on)?;
    let summary = store.summarise(&entry)?;
    Ok(SavedEntry { entry, summary })
}

/// What a new entry of `kind` starts with, from a template when one is given: its prompts as
/// headings, dated today.
#[tauri::command(async)]
#[specta::specta]
pub fn new_entry_input(
    state: State<'_, AppState>,
    kind: EntryKind,
    template_id: Option<Uuid>,
) -> IpcResult<EntryInput> {
    let template = match template_id {
        Some(id) => Some(state.store()?.get_template(&id.to_string())?),
        None => None,
    };
    let today = chrono::Local::now().date_naive();
    Ok(EntryInput::starting(kind, template.as_ref(), today))
}

/// Moves an entry to the trash.
#[tauri::command(async)]
#[specta::specta]
pub fn trash_entry(state: State<'_, AppState>, id: Uuid) -> IpcResult<()> {
    Ok(state.store()?.trash_entry(id)?)
}

/// Brings an entry back from the trash.
#[tauri::command(async)]
#[specta::specta]
pub fn restore_entry(state: State<'_, AppState>, id: Uuid) -> IpcResult<()> {
    Ok(state.store()?.restore_entry(id)?)
}

/// Erases a trashed entry for good.
#[tauri::command(async)]
#[specta::specta]
pub fn purge_entry(state: State<'_, AppState>, id: Uuid) -> IpcResult<()> {
    Ok(state.store()?.purge_entry(id)?)
}

/// An entry as it will read when printed or shared — what it is and when, title, tags,
/// session facts, then the body — as sanitised HTML for the preview.
#[tauri::command(async)]
#[specta::specta]
pub fn render_entry(state: State<'_, AppState>, input: EntryInput) -> IpcResult<String> {
    Ok(state.store()?.entry_html(&input)?)
}

/// Every tag with its use counts.
#[tauri::command(async)]
#[specta::specta]
pub fn list_tags(state: State<'_, AppState>) -> IpcResult<Vec<TagCount>> {
    Ok(state.store()?.list_tags()?)
}

/// Keeps the editor's unsaved content so a crash cannot lose it.
#[tauri::command(async)]
#[specta::specta]
pub fn save_draft(
    state: State<'_, AppState>,
    entry_id: Option<Uuid>,
    key: String,
    content: EntryInput,
) -> IpcResult<()> {
    Ok(state.store()?.save_draft(entry_id, &key, &content)?)
}

/// Every kept draft, newest first.
#[tauri::command(async)]
#[specta::specta]
pub fn list_drafts(state: State<'_, AppState>) -> IpcResult<Vec<Draft>> {
    Ok(state.store()?.list_drafts()?)
}

/// Forgets a draft.
#[tauri::command(async)]
#[specta::specta]
pub fn discard_draft(
    state: State<'_, AppState>,
    entry_id: Option<Uuid>,
    key: String,
) -> IpcResult<()> {
    Ok(state.store()?.discard_draft(entry_id, &key)?)
}
