//! Native open/save dialogs, opened from Rust so that the webview never names a path: a page
//! that could name paths could read or overwrite any file the person can.
//!
//! End-to-end tests cannot click a GTK file dialog, so in debug builds (the ones the tests
//! drive) `REPRISE_TEST_DIALOG_DIR` makes the dialogs answer with fixed names inside that
//! folder instead. Release builds do not contain this; nothing the webview sends can set it.

use reprise::exchange::Format;
use std::path::PathBuf;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// What a dialog is for.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    /// Where to write an export: a file, or a folder for a folder format.
    Export(Format),
    /// A file to import.
    Import(Format),
    /// Open any file to attach.
    Attach,
}

#[cfg(not(debug_assertions))]
fn test_answer(_: Purpose) -> Option<PathBuf> {
    None
}

#[cfg(debug_assertions)]
fn test_answer(purpose: Purpose) -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("REPRISE_TEST_DIALOG_DIR")?);
    let name = match purpose {
        Purpose::Export(f) => test_file_name("export", f),
        Purpose::Import(f) => test_file_name("import", f),
        // The test puts the one file it attaches in the folder as `attachment.<ext>`.
        Purpose::Attach => std::fs::read_dir(&dir)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.starts_with("attachment."))
            .min()
            .unwrap_or_else(|| "attachment.bin".to_owned()),
    };
    Some(dir.join(name))
}

/// `export-reprise-json.json`, `export-markdown`, `import-jrnl-json.json`, …
#[cfg(debug_assertions)]
fn test_file_name(direction: &str, format: Format) -> String {
    match format.extensions().first() {
        Some(ext) => format!("{direction}-{format}.{ext}"),
        None => format!("{direction}-{format}"),
    }
}

/// Asks the person for a path; `None` when they cancel.
pub fn ask(app: &AppHandle, purpose: Purpose) -> Option<PathBuf> {
    if let Some(answer) = test_answer(purpose) {
        return Some(answer);
    }
    let dialog = app.dialog().file();
    let picked = match purpose {
        Purpose::Export(f) if f.is_folder() => dialog
            .set_title(format!(
                "Choose an empty folder for the {} export",
                f.label()
            ))
            .blocking_pick_folder(),
        Purpose::Export(f) => dialog
            .set_title(format!("Export journal as {}", f.label()))
            .add_filter(f.label(), f.extensions())
            .set_file_name(f.suggested_name(chrono::Local::now().date_naive()))
            .blocking_save_file(),
        Purpose::Import(f) => dialog
            .set_title(format!("Import a {} file", f.label()))
            .add_filter(f.label(), f.extensions())
            .blocking_pick_file(),
        Purpose::Attach => dialog.set_title("Attach a file").blocking_pick_file(),
    };
    picked.and_then(|p| p.into_path().ok())
}
