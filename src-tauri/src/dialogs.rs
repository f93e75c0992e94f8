//! Native open/save dialogs, opened from Rust so that the webview never names a path (T3).
//!
//! End-to-end tests cannot click a GTK file dialog, so in debug builds (the ones the tests
//! drive) `REPRISE_TEST_DIALOG_DIR` makes the dialogs answer with fixed names inside that
//! folder instead. Release builds do not contain this; nothing the webview sends can set it.

use std::path::PathBuf;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// What a dialog is for.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    /// Save a JSON export.
    ExportJson,
    /// Choose a folder for a Markdown export.
    ExportMarkdown,
    /// Open a Reprise JSON file.
    ImportJson,
    /// Open a jrnl JSON file.
    ImportJrnl,
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
        Purpose::ExportJson => "export.json",
        Purpose::ExportMarkdown => "markdown",
        Purpose::ImportJson => "import.json",
        Purpose::ImportJrnl => "import-jrnl.json",
        Purpose::Attach => "attachment.bin",
    };
    Some(dir.join(name))
}

/// Asks the person for a path; `None` when they cancel.
pub fn ask(app: &AppHandle, purpose: Purpose) -> Option<PathBuf> {
    if let Some(answer) = test_answer(purpose) {
        return Some(answer);
    }
    let today = chrono::Local::now().format("%Y-%m-%d");
    let dialog = app.dialog().file();
    let picked = match purpose {
        Purpose::ExportJson => dialog
            .set_title("Export journal as JSON")
            .add_filter("Reprise JSON", &["json"])
            .set_file_name(format!("reprise-{today}.json"))
            .blocking_save_file(),
        Purpose::ExportMarkdown => dialog
            .set_title("Choose an empty folder for the Markdown export")
            .blocking_pick_folder(),
        Purpose::ImportJson => dialog
            .set_title("Import a Reprise JSON export")
            .add_filter("Reprise JSON", &["json"])
            .blocking_pick_file(),
        Purpose::ImportJrnl => dialog
            .set_title("Import a jrnl JSON export")
            .add_filter("jrnl JSON", &["json"])
            .blocking_pick_file(),
        Purpose::Attach => dialog.set_title("Attach a file").blocking_pick_file(),
    };
    picked.and_then(|p| p.into_path().ok())
}
