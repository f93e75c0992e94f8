//! Errors at the IPC edge: every failure reaches the UI as `{ kind, message }`.
//!
//! The UI branches on `kind` and shows `message`. Storage and I/O failures keep their kind
//! (the UI says "the disk is full" differently from "not found") and their full chain is
//! logged here, once.

use serde::Serialize;

/// An error as the UI sees it.
#[derive(Debug, Clone, Serialize, specta::Type, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct IpcError {
    /// A stable name to branch on (`NotFound`, `Invalid`, `Query`, `Busy`, `DiskFull`, …).
    pub kind: String,
    /// What went wrong, in plain words.
    pub message: String,
}

impl IpcError {
    /// An error of the shell's own.
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        IpcError {
            kind: kind.to_owned(),
            message: message.into(),
        }
    }
}

impl From<reprise::Error> for IpcError {
    fn from(e: reprise::Error) -> Self {
        let kind = e.kind();
        if matches!(kind, "Storage" | "Io" | "DiskFull") {
            eprintln!("reprise: {kind}: {e:?}");
        }
        let message = match kind {
            "DiskFull" => {
                "The disk is full, so this was not saved. Free some space and it will save again."
                    .to_owned()
            }
            _ => e.to_string(),
        };
        IpcError {
            kind: kind.to_owned(),
            message,
        }
    }
}

/// The result type of every command.
pub type IpcResult<T> = Result<T, IpcError>;
