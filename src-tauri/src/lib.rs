//! The Reprise desktop app: a thin Tauri shell over the `reprise` core.
//!
//! # Brief overview
//!
//! - [`commands`]: what the UI can call, one file per area, each command a few lines.
//! - [`state`]: which journal is open (the same file the command line uses) and the app's
//!   own settings.
//! - [`dialogs`]: native open/save dialogs, opened from Rust.
//! - [`error`]: errors as `{ kind, message }` for the UI.
//! - [`rendering`]: how WebKitGTK draws, chosen before it starts.
//!
//! The TypeScript bindings in `ui/src/ipc/bindings.ts` are generated from [`specta_builder`];
//! a test fails when the committed file is stale.

pub mod commands;
pub mod dialogs;
pub mod error;
pub mod rendering;
pub mod state;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod security_tests;

use tauri::Manager;

/// Every command and event the UI can use, for the invoke handler and the bindings.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    use commands::*;
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            app::app_info,
            app::journal_health,
            app::outside_changes,
            app::limits,
            app::finish_welcome,
            app::switch_journal,
            app::set_theme,
            app::get_owner,
            app::set_owner,
            app::open_external,
            entries::list_entries,
            entries::count_entries,
            entries::get_entry,
            entries::create_entry,
            entries::update_entry,
            entries::new_entry_input,
            entries::trash_entry,
            entries::restore_entry,
            entries::purge_entry,
            entries::render_entry,
            entries::list_tags,
            entries::save_draft,
            entries::list_drafts,
            entries::discard_draft,
            templates::list_templates,
            templates::create_template,
            templates::update_template,
            templates::copy_template,
            templates::delete_template,
            search::search,
            attachments::add_attachment,
            attachments::remove_attachment,
            attachments::open_attachment,
            exchange::exchange_formats,
            exchange::export_journal,
            exchange::import_journal,
        ])
        .events(tauri_specta::collect_events![exchange::ExchangeProgress])
}

/// The TypeScript exporter settings used for `ui/src/ipc/bindings.ts`.
pub fn typescript() -> specta_typescript::Typescript {
    specta_typescript::Typescript::default()
        .bigint(specta_typescript::BigIntExportBehavior::Number)
        .header("// Generated from the Rust commands by `make bindings`. Do not edit.\n/* eslint-disable */")
}

/// Starts the app.
///
/// # Errors
/// When the window or the journal's folder cannot be set up.
pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    let builder = specta_builder();
    let journal = reprise::store::default_journal_path()?;
    tauri::Builder::default()
        // First, so that a second launch hands over and exits before doing anything else.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .register_uri_scheme_protocol("reprise-attachment", |ctx, request| {
            commands::attachments::serve(ctx.app_handle(), &request)
        })
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            // Copies of attachments opened last time are not kept: the journal is the one place.
            if let Ok(opened) = commands::attachments::opened_dir(app.handle()) {
                let _ = std::fs::remove_dir_all(opened);
            }
            let config = app.path().app_config_dir()?;
            app.manage(state::AppState::new(journal, &config));
            Ok(())
        })
        .run(tauri::generate_context!())?;
    Ok(())
}

/// Checks that a file the UI uses, generated from Rust, is committed as generated; with
/// `REPRISE_WRITE_BINDINGS=1` (`make bindings`) it writes it first.
#[cfg(test)]
fn check_generated(ui_path: &str, generated: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../ui")
        .join(ui_path);
    if std::env::var_os("REPRISE_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, generated).expect("write a generated file");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/{ui_path} is stale: run `make bindings`"
    );
}

#[cfg(test)]
mod tests {
    /// The committed bindings are what the Rust definitions generate. Run `make bindings`
    /// after changing a command or type.
    #[test]
    fn typescript_bindings_are_up_to_date() {
        let generated = super::specta_builder()
            .export_str(super::typescript())
            .expect("bindings export");
        super::check_generated("src/ipc/bindings.ts", &generated);
    }
}
