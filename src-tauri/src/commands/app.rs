//! The app, its journal, the profile, and external links.

use crate::error::{IpcError, IpcResult};
use crate::state::{AppInfo, AppState, Theme};
use reprise::model::{Person, PersonInput};
use tauri::{Manager, State};
use tauri_plugin_opener::OpenerExt;

/// Which journal is open, whether to show the welcome, and the theme.
#[tauri::command(async)]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> IpcResult<AppInfo> {
    state.info()
}

/// Waits until the open journal has been checked for damage (it is checked in the background
/// at launch); fails with kind `Damaged` when it is damaged, and then nothing is saved to it.
#[tauri::command]
#[specta::specta]
pub async fn journal_health(app: tauri::AppHandle) -> IpcResult<()> {
    // The check can take a second on a large journal: wait on a blocking thread, not on one
    // of the few that answer the UI's other commands.
    tauri::async_runtime::spawn_blocking(move || app.state::<AppState>().health())
        .await
        .map_err(|e| IpcError::new(reprise::ErrorKind::Internal, e.to_string()))?
}

/// The limits the journal keeps (lengths, sizes, counts), so fields can hold to them as they
/// are typed.
#[tauri::command]
#[specta::specta]
pub fn limits() -> reprise::model::Limits {
    reprise::model::Limits::current()
}

/// A number that changes when something outside the app (the command line) has written to
/// the journal; the UI reads it on focus and every few seconds, and refreshes when it moved.
#[tauri::command(async)]
#[specta::specta]
pub fn outside_changes(state: State<'_, AppState>) -> IpcResult<f64> {
    // As a float for JavaScript; the counter stays far below 2^53.
    Ok(state.store()?.outside_changes()? as f64)
}

/// Finishes the first-run welcome: saves the profile and opens the person's own journal or a
/// sample journal filled with demo data.
#[tauri::command(async)]
#[specta::specta]
pub fn finish_welcome(
    state: State<'_, AppState>,
    profile: PersonInput,
    sample: bool,
) -> IpcResult<AppInfo> {
    state.own_store()?.set_owner(&profile)?;
    let store = state.switch(sample)?;
    if sample {
        reprise::demo::ensure_sample(&store, &profile)?;
    }
    state.info()
}

/// Switches between the person's own journal and the sample.
#[tauri::command(async)]
#[specta::specta]
pub fn switch_journal(state: State<'_, AppState>, sample: bool) -> IpcResult<AppInfo> {
    let store = state.switch(sample)?;
    if sample {
        let profile = state.own_store()?.owner()?.map(|p| PersonInput {
            display_name: p.display_name,
            contact: p.contact,
            role_words: p.role_words,
            notes: p.notes,
        });
        reprise::demo::ensure_sample(&store, &profile.unwrap_or_default())?;
    }
    state.info()
}

/// Sets the colour theme.
#[tauri::command(async)]
#[specta::specta]
pub fn set_theme(state: State<'_, AppState>, theme: Theme) -> IpcResult<()> {
    state.set_theme(theme)
}

/// The journal owner's profile.
#[tauri::command(async)]
#[specta::specta]
pub fn get_owner(state: State<'_, AppState>) -> IpcResult<Option<Person>> {
    Ok(state.store()?.owner()?)
}

/// Creates or changes the journal owner's profile.
#[tauri::command(async)]
#[specta::specta]
pub fn set_owner(state: State<'_, AppState>, input: PersonInput) -> IpcResult<Person> {
    Ok(state.store()?.set_owner(&input)?)
}

/// Opens an `http`, `https` or `mailto` link in the person's browser or mail app; anything
/// else is refused, so a link in an entry can never start a program or open a local file.
#[tauri::command(async)]
#[specta::specta]
pub fn open_external(app: tauri::AppHandle, url: String) -> IpcResult<()> {
    if !reprise::render::is_safe_external_url(&url) {
        return Err(IpcError::new(
            reprise::ErrorKind::Invalid,
            "only web and email links can be opened",
        ));
    }
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| IpcError::new(reprise::ErrorKind::Io, e.to_string()))
}
