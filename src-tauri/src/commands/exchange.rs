//! Export and import through native dialogs, with progress events for long runs.

use crate::dialogs::{ask, Purpose};
use crate::error::IpcResult;
use crate::state::AppState;
use reprise::exchange::{Direction, ExportSummary, Format, FormatInfo, ImportReport, Progress};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// How far a long export or import has got.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct ExchangeProgress {
    /// What is happening ("validating", "writing entries", …).
    pub phase: String,
    /// Steps done.
    pub done: f64,
    /// Steps in all.
    pub total: f64,
}

/// Emits progress at most every 1% so the UI is not flooded.
fn reporter(app: &AppHandle) -> impl FnMut(Progress) + '_ {
    let mut last = (String::new(), -1.0_f64);
    move |p: Progress| {
        let fraction = if p.total == 0 {
            1.0
        } else {
            p.done as f64 / p.total as f64
        };
        if p.phase != last.0 || fraction - last.1 >= 0.01 || p.done == p.total {
            last = (p.phase.clone(), fraction);
            let _ = ExchangeProgress {
                phase: p.phase,
                done: p.done as f64,
                total: p.total as f64,
            }
            .emit(app);
        }
    }
}

/// The formats the journal can be exported to or imported from, in the order to offer them.
#[tauri::command]
#[specta::specta]
pub fn exchange_formats() -> Vec<FormatInfo> {
    Format::ALL.into_iter().map(Format::info).collect()
}

/// Asks where to export and writes the whole journal there; `None` when cancelled.
#[tauri::command(async)]
#[specta::specta]
pub fn export_journal(
    app: AppHandle,
    state: State<'_, AppState>,
    format: Format,
) -> IpcResult<Option<ExportSummary>> {
    if !format.supports(Direction::Export) {
        // Refused before a dialog asks where to write something that cannot be written.
        return Err(format.export_unsupported().into());
    }
    let Some(path) = ask(&app, Purpose::Export(format)) else {
        return Ok(None);
    };
    let store = state.store()?;
    Ok(Some(format.export(&store, &path, &mut reporter(&app))?))
}

/// Asks for a file and imports it, all or nothing; `None` when cancelled.
#[tauri::command(async)]
#[specta::specta]
pub fn import_journal(
    app: AppHandle,
    state: State<'_, AppState>,
    format: Format,
) -> IpcResult<Option<ImportReport>> {
    if !format.supports(Direction::Import) {
        return Err(format.import_unsupported().into());
    }
    let Some(path) = ask(&app, Purpose::Import(format)) else {
        return Ok(None);
    };
    let store = state.store()?;
    Ok(Some(format.import(&store, &path, &mut reporter(&app))?))
}
