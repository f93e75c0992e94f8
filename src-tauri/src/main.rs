// Keep Windows from opening a console window beside the app in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before anything else: WebKit reads it once, and setting the environment is only sound
    // while no other thread runs.
    reprise_desktop::rendering::choose_renderer();
    if let Err(e) = reprise_desktop::run() {
        eprintln!("reprise-desktop: {e}");
        std::process::exit(1);
    }
}
