//! Which journal is open, and the desktop app's own small settings.
//!
//! The journal path is the core's default (or `REPRISE_JOURNAL`), so the command line and the
//! app agree. A sample journal, filled with the core's demo data, lives beside it in its own
//! file; the app remembers which of the two is open, the theme, and nothing else.

use crate::error::{IpcError, IpcResult};
use reprise::Store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How long an entry stays in the trash before it is erased.
pub const TRASH_DAYS: u32 = 30;

/// The colour theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the operating system.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// What the app remembers between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
struct Settings {
    sample: bool,
    theme: Theme,
}

/// What the UI needs to know about the app and its journal.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    /// The open journal's file.
    pub journal_path: String,
    /// The sample journal is open (not the person's own).
    pub is_sample: bool,
    /// No profile yet: show the welcome.
    pub first_run: bool,
    /// The colour theme.
    pub theme: Theme,
    /// This build's version.
    pub version: String,
}

/// The app's state: settings and the open journal.
pub struct AppState {
    own_path: PathBuf,
    settings_path: PathBuf,
    inner: Mutex<Inner>,
}

struct Inner {
    settings: Settings,
    store: Option<Arc<Store>>,
}

impl AppState {
    /// State for a journal at `own_path`, with settings kept in `config_dir`.
    pub fn new(own_path: PathBuf, config_dir: &Path) -> Self {
        let settings_path = config_dir.join("settings.json");
        let settings = std::fs::read(&settings_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        AppState {
            own_path,
            settings_path,
            inner: Mutex::new(Inner {
                settings,
                store: None,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The sample journal's file, beside the person's own.
    pub fn sample_path(&self) -> PathBuf {
        self.own_path.with_file_name("sample.reprise")
    }

    fn active_path(&self, sample: bool) -> PathBuf {
        if sample {
            self.sample_path()
        } else {
            self.own_path.clone()
        }
    }

    /// The open journal, opening it on first use.
    ///
    /// The journal's `quick_check` runs in the background (see
    /// [`Store::open_checking_in_background`]), so the timeline shows at once; writes wait for
    /// it, and [`AppState::health`] reports it.
    pub fn store(&self) -> IpcResult<Arc<Store>> {
        let mut inner = self.lock();
        if let Some(s) = &inner.store {
            return Ok(s.clone());
        }
        let store = Arc::new(Store::open_checking_in_background(
            self.active_path(inner.settings.sample),
        )?);
        // The trash keeps entries for 30 days, long enough to notice a mistake; older ones go when the journal
        // opens, once the check has passed. A failure here must not keep the journal from
        // opening; the thread holds the store (and its lock) only that long.
        let purging = store.clone();
        std::thread::spawn(move || {
            if let Err(e) = purging.empty_trash(TRASH_DAYS) {
                eprintln!("reprise: emptying the trash failed: {e}");
            }
        });
        inner.store = Some(store.clone());
        Ok(store)
    }

    /// Waits for the open journal's check; an error says what damage it found.
    pub fn health(&self) -> IpcResult<()> {
        Ok(self.store()?.wait_until_checked()?)
    }

    /// Switches between the person's own journal and the sample.
    pub fn switch(&self, sample: bool) -> IpcResult<Arc<Store>> {
        {
            let mut inner = self.lock();
            if inner.settings.sample != sample || inner.store.is_none() {
                // Close the current journal (releasing its lock) before opening the other.
                inner.store = None;
                inner.settings.sample = sample;
            }
        }
        self.save_settings()?;
        self.store()
    }

    /// Opens the person's own journal, whichever is active, for setting up their profile.
    pub fn own_store(&self) -> IpcResult<Arc<Store>> {
        if !self.lock().settings.sample {
            return self.store();
        }
        Ok(Arc::new(Store::open(&self.own_path)?))
    }

    /// Sets the theme.
    pub fn set_theme(&self, theme: Theme) -> IpcResult<()> {
        self.lock().settings.theme = theme;
        self.save_settings()
    }

    /// What the UI needs to know.
    pub fn info(&self) -> IpcResult<AppInfo> {
        let store = self.store()?;
        let first_run = store.owner()?.is_none();
        let inner = self.lock();
        Ok(AppInfo {
            journal_path: store.path().display().to_string(),
            is_sample: inner.settings.sample,
            first_run,
            theme: inner.settings.theme,
            version: env!("CARGO_PKG_VERSION").to_owned(),
        })
    }

    fn save_settings(&self) -> IpcResult<()> {
        let json = serde_json::to_vec_pretty(&self.lock().settings)
            .map_err(|e| IpcError::new(reprise::ErrorKind::Internal, e.to_string()))?;
        if let Some(dir) = self.settings_path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                IpcError::new(reprise::ErrorKind::Io, format!("{}: {e}", dir.display()))
            })?;
        }
        let tmp = self.settings_path.with_extension("json.tmp");
        std::fs::write(&tmp, json)
            .and_then(|()| std::fs::rename(&tmp, &self.settings_path))
            .map_err(|e| {
                IpcError::new(
                    reprise::ErrorKind::Io,
                    format!("{}: {e}", self.settings_path.display()),
                )
            })
    }
}
