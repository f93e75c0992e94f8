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

/// Serves `reprise-attachment://localhost/<id>` from the open journal.
pub fn serve(
    app: &AppHandle,
    request: &tauri::http::Request<Vec<u8>>,
) -> tauri::http::Response<Vec<u8>> {
    let respond = |status: u16, media: &str, body: Vec<u8>| {
        tauri::http::Response::builder()
            .status(status)
            .header("Content-Type", media)
            .header("X-Content-Type-Options", "nosniff")
            .header("Content-Security-Policy", "default-src 'none'; sandbox")
            .body(body)
            .unwrap_or_default()
    };
    let id = request.uri().path().trim_start_matches('/');
    let Ok(id) = Uuid::parse_str(id) else {
        return respond(400, "text/plain", b"bad attachment id".to_vec());
    };
    let state = app.state::<AppState>();
    match state
        .store()
        .map_err(|e| e.message)
        .and_then(|s| s.attachment_data(id).map_err(|e| e.to_string()))
    {
        Ok((meta, data)) => respond(200, &meta.media_type, data),
        Err(message) => respond(404, "text/plain", message.into_bytes()),
    }
}
