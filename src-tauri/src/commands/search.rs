//! Full-text search.

use crate::error::IpcResult;
use crate::state::AppState;
use reprise::model::Page;
use reprise::search::{SearchHit, SearchRequest};
use tauri::State;

/// Entries matching a query and filters, best first, with highlighted snippets.
#[tauri::command(async)]
#[specta::specta]
pub fn search(state: State<'_, AppState>, request: SearchRequest) -> IpcResult<Page<SearchHit>> {
    Ok(state.store()?.search(&request)?)
}
