//! Export and import through native dialogs, with progress events for long runs.

use crate::dialogs::{ask, Purpose};
use crate::error::IpcResult;
use crate::state::AppState;
use reprise::exchange::{ExportSummary, ImportReport, Progress};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// An export's format.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Lossless Reprise JSON.
    Json,
    /// A folder of Markdown files with front matter.
    Markdown,
}

/// An import's format.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    /// A Reprise JSON export.
    RepriseJson,
    /// jrnl's JSON export.
    JrnlJson,
}

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

/// Asks where to export and writes the whole journal there; `None` when cancelled.
#[tauri::command(async)]
#[specta::specta]
pub fn export_journal(
    app: AppHandle,
    state: State<'_, AppState>,
    format: ExportFormat,
) -> IpcResult<Option<ExportSummary>> {
    let purpose = match format {
        ExportFormat::Json => Purpose::ExportJson,
        ExportFormat::Markdown => Purpose::ExportMarkdown,
    };
    let Some(path) = ask(&app, purpose) else {
        return Ok(None);
    };
    let store = state.store()?;
    let mut progress = reporter(&app);
    let summary = match format {
        ExportFormat::Json => reprise::exchange::json::export(&store, &path, &mut progress)?,
        ExportFormat::Markdown => {
            reprise::exchange::markdown::export(&store, &path, &mut progress)?
        }
    };
    Ok(Some(summary))
}

/// Asks for a file and imports it, all or nothing; `None` when cancelled.
#[tauri::command(async)]
#[specta::specta]
pub fn import_journal(
    app: AppHandle,
    state: State<'_, AppState>,
    format: ImportFormat,
) -> IpcResult<Option<ImportReport>> {
    let purpose = match format {
        ImportFormat::RepriseJson => Purpose::ImportJson,
        ImportFormat::JrnlJson => Purpose::ImportJrnl,
    };
    let Some(path) = ask(&app, purpose) else {
        return Ok(None);
    };
    let store = state.store()?;
    let mut progress = reporter(&app);
    let report = match format {
        ImportFormat::RepriseJson => reprise::exchange::json::import(&store, &path, &mut progress)?,
        ImportFormat::JrnlJson => reprise::exchange::jrnl::import(&store, &path, &mut progress)?,
    };
    Ok(Some(report))
}
