//! Attachments: added through a native dialog, played and shown through the app's own
//! `reprise-attachment:` protocol, opened with the OS only after the person confirmed.

use crate::dialogs::{ask, Purpose};
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use reprise::model::AttachmentMeta;
use reprise::store::{media_type_for, AttachmentOwner};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;
use uuid::Uuid;

/// Asks for a file and attaches it to an entry; `None` when the person cancels.
#[tauri::command(async)]
#[specta::specta]
pub fn add_attachment(
    app: AppHandle,
    state: State<'_, AppState>,
    entry_id: Uuid,
) -> IpcResult<Option<AttachmentMeta>> {
    let Some(path) = ask(&app, Purpose::Attach) else {
        return Ok(None);
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let size = std::fs::metadata(&path)
        .map_err(|e| IpcError::new(reprise::ErrorKind::Io, format!("{}: {e}", path.display())))?
        .len();
    if size > reprise::store::MAX_ATTACHMENT_BYTES {
        return Err(reprise::Error::TooLarge {
            name,
            size,
            limit: reprise::store::MAX_ATTACHMENT_BYTES,
        }
        .into());
    }
    let data = std::fs::read(&path)
        .map_err(|e| IpcError::new(reprise::ErrorKind::Io, format!("{}: {e}", path.display())))?;
    Ok(Some(state.store()?.add_attachment(
        AttachmentOwner::Entry(entry_id),
        &name,
        media_type_for(&name),
        &data,
    )?))
}

/// Removes an attachment.
#[tauri::command(async)]
#[specta::specta]
pub fn remove_attachment(state: State<'_, AppState>, id: Uuid) -> IpcResult<()> {
    Ok(state.store()?.remove_attachment(id)?)
}

/// The extension a file of this media type is opened with, for the types Reprise will hand
/// to another app: recordings, pictures, video, PDFs and text. Anything else (a program, a
/// script, a shortcut that arrived in an import) is never opened from here.
fn openable_extension(media_type: &str) -> Option<&'static str> {
    Some(match media_type {
        "audio/mpeg" => "mp3",
        "audio/mp4" => "m4a",
        "audio/wav" | "audio/x-wav" => "wav",
        "audio/ogg" => "ogg",
        "audio/flac" => "flac",
        "audio/webm" => "weba",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "video/mp4" => "mp4",
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        _ => return None,
    })
}

/// The folder opened attachments are copied to; emptied when the app starts.
pub fn opened_dir(app: &AppHandle) -> IpcResult<std::path::PathBuf> {
    Ok(app
        .path()
        .app_cache_dir()
        .map_err(|e| IpcError::new(reprise::ErrorKind::Io, e.to_string()))?
        .join("opened"))
}

/// Opens an attachment with the operating system's app for its type. The UI asks first.
#[tauri::command(async)]
#[specta::specta]
pub fn open_attachment(app: AppHandle, state: State<'_, AppState>, id: Uuid) -> IpcResult<()> {
    let (meta, data) = state.store()?.attachment_data(id)?;
    let Some(ext) = openable_extension(&meta.media_type) else {
        return Err(IpcError::new(
            reprise::ErrorKind::Invalid,
            format!(
                "Reprise opens only recordings, pictures, video, PDFs and text; {} is {}",
                meta.file_name, meta.media_type
            ),
        ));
    };
    let dir = opened_dir(&app)?.join(id.to_string());
    std::fs::create_dir_all(&dir)
        .map_err(|e| IpcError::new(reprise::ErrorKind::Io, format!("{}: {e}", dir.display())))?;
    // The extension comes from the media type, never from the stored name.
    let stem: String = meta
        .file_name
        .rsplit_once('.')
        .map_or(meta.file_name.as_str(), |(s, _)| s)
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .take(60)
        .collect();
    let stem = if stem.trim().is_empty() {
        "attachment"
    } else {
        stem.trim()
    };
    let path = dir.join(format!("{stem}.{ext}"));
    std::fs::write(&path, data)
        .map_err(|e| IpcError::new(reprise::ErrorKind::Io, format!("{}: {e}", path.display())))?;
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| IpcError::new(reprise::ErrorKind::Io, e.to_string()))
}

/// Which bytes of an attachment a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// All of it (no `Range` header, or one this server does not take apart: answered whole,
    /// as HTTP allows).
    All,
    /// Bytes `start..=end` (`206 Partial Content`).
    Part { start: u64, end: u64 },
    /// A range that starts past the end (`416 Range Not Satisfiable`).
    Unsatisfiable,
}

/// Reads a `Range` header against an attachment of `len` bytes. Media players ask for
/// `bytes=0-` first and then for the parts they seek to; WebKit's player needs these answered
/// as ranges, with their lengths, before it plays or shows a duration.
pub fn wanted(range: Option<&str>, len: u64) -> Wanted {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        return Wanted::All;
    };
    // One range only; a list is answered whole.
    if spec.contains(',') {
        return Wanted::All;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Wanted::All;
    };
    let (first, last) = (first.trim(), last.trim());
    let (start, end) = if first.is_empty() {
        // `bytes=-N`: the last N bytes.
        match last.parse::<u64>() {
            Ok(0) => return Wanted::Unsatisfiable,
            Ok(n) => (len.saturating_sub(n), len.saturating_sub(1)),
            Err(_) => return Wanted::All,
        }
    } else {
        let Ok(start) = first.parse::<u64>() else {
            return Wanted::All;
        };
        let end = match last {
            "" => len.saturating_sub(1),
            n => match n.parse::<u64>() {
                Ok(end) if end >= start => end.min(len.saturating_sub(1)),
                _ => return Wanted::All,
            },
        };
        (start, end)
    };
    if len == 0 || start >= len {
        Wanted::Unsatisfiable
    } else {
        Wanted::Part { start, end }
    }
}

/// Where the app's own page is served from: `tauri://localhost` on Linux and macOS,
/// `http(s)://tauri.localhost` on Windows.
const APP_ORIGINS: &[&str] = &[
    "tauri://localhost",
    "http://tauri.localhost",
    "https://tauri.localhost",
];

/// The development server's page (`devUrl`), allowed in debug builds only.
const DEV_ORIGIN: &str = "http://localhost:1420";

/// Serves `reprise-attachment://localhost/<id>` from the open journal, whole or in the ranges
/// a media player asks for.
pub fn serve(
    app: &AppHandle,
    request: &tauri::http::Request<Vec<u8>>,
) -> tauri::http::Response<Vec<u8>> {
    // The page fetches recordings to play them (see `tauri.conf.json`'s media-src), across
    // from its own scheme to this one; only the app's own page may read the answer.
    let origin = request
        .headers()
        .get(tauri::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| APP_ORIGINS.contains(o) || (cfg!(debug_assertions) && *o == DEV_ORIGIN))
        .unwrap_or("null")
        .to_owned();
    let builder = |status: u16, media: &str| {
        tauri::http::Response::builder()
            .status(status)
            .header("Access-Control-Allow-Origin", origin.as_str())
            .header("Vary", "Origin")
            .header("Content-Type", media)
            .header("X-Content-Type-Options", "nosniff")
            .header("Content-Security-Policy", "default-src 'none'; sandbox")
            .header("Accept-Ranges", "bytes")
            .header("Cache-Control", "no-store")
    };
    let plain = |status: u16, message: String| {
        builder(status, "text/plain; charset=utf-8")
            .header("Content-Length", message.len())
            .body(message.into_bytes())
            .unwrap_or_default()
    };
    let id = request.uri().path().trim_start_matches('/');
    let Ok(id) = Uuid::parse_str(id) else {
        return plain(400, "bad attachment id".into());
    };
    let state = app.state::<AppState>();
    let (meta, data) = match state
        .store()
        .map_err(|e| e.message)
        .and_then(|s| s.attachment_data(id).map_err(|e| e.to_string()))
    {
        Ok(found) => found,
        Err(message) => return plain(404, message),
    };
    let len = data.len() as u64;
    let range = request
        .headers()
        .get(tauri::http::header::RANGE)
        .and_then(|v| v.to_str().ok());
    match wanted(range, len) {
        Wanted::All => builder(200, &meta.media_type)
            .header("Content-Length", len)
            .body(data),
        Wanted::Part { start, end } => {
            let part = data[start as usize..=end as usize].to_vec();
            builder(206, &meta.media_type)
                .header("Content-Range", format!("bytes {start}-{end}/{len}"))
                .header("Content-Length", part.len())
                .body(part)
        }
        Wanted::Unsatisfiable => builder(416, &meta.media_type)
            .header("Content-Range", format!("bytes */{len}"))
            .header("Content-Length", 0)
            .body(Vec::new()),
    }
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{wanted, Wanted};

    #[test]
    fn no_range_or_one_not_understood_is_answered_whole() {
        assert_eq!(wanted(None, 100), Wanted::All);
        assert_eq!(wanted(Some("items=0-5"), 100), Wanted::All);
        assert_eq!(wanted(Some("bytes=0-5,10-20"), 100), Wanted::All);
        assert_eq!(wanted(Some("bytes=x-5"), 100), Wanted::All);
        assert_eq!(wanted(Some("bytes=9-3"), 100), Wanted::All);
    }

    #[test]
    fn an_open_range_runs_to_the_end() {
        assert_eq!(
            wanted(Some("bytes=0-"), 100),
            Wanted::Part { start: 0, end: 99 }
        );
        assert_eq!(
            wanted(Some("bytes=40-"), 100),
            Wanted::Part { start: 40, end: 99 }
        );
    }

    #[test]
    fn a_closed_range_is_cut_at_the_end() {
        assert_eq!(
            wanted(Some("bytes=10-19"), 100),
            Wanted::Part { start: 10, end: 19 }
        );
        assert_eq!(
            wanted(Some("bytes=90-500"), 100),
            Wanted::Part { start: 90, end: 99 }
        );
    }

    #[test]
    fn a_suffix_range_is_the_last_bytes() {
        assert_eq!(
            wanted(Some("bytes=-10"), 100),
            Wanted::Part { start: 90, end: 99 }
        );
        assert_eq!(
            wanted(Some("bytes=-500"), 100),
            Wanted::Part { start: 0, end: 99 }
        );
    }

    #[test]
    fn a_range_past_the_end_is_unsatisfiable() {
        assert_eq!(wanted(Some("bytes=100-"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-"), 0), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-0"), 100), Wanted::Unsatisfiable);
    }
}
