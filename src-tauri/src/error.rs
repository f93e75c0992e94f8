//! Errors at the IPC edge: every failure reaches the UI as `{ kind, message, field }`.
//!
//! The UI branches on `kind` and shows `message`; for an invalid value, `field` names what
//! was wrong (as the model names it) and `message` says why, so a form can mark the field. Storage and I/O failures keep their kind
//! (the UI says "the disk is full" differently from "not found") and their full chain is
//! logged here, once.

use reprise::ErrorKind;
use serde::Serialize;

/// An error as the UI sees it.
#[derive(Debug, Clone, Serialize, specta::Type, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct IpcError {
    /// What kind of failure, to branch on.
    pub kind: ErrorKind,
    /// What went wrong, in plain words.
    pub message: String,
    /// For [`ErrorKind::Invalid`], the field that was wrong, as the model names it, so a form
    /// can mark it.
    pub field: Option<String>,
}

impl IpcError {
    /// An error of the shell's own.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        IpcError {
            kind,
            message: message.into(),
            field: None,
        }
    }
}

impl From<reprise::Error> for IpcError {
    fn from(e: reprise::Error) -> Self {
        let kind = e.kind();
        if matches!(
            kind,
            ErrorKind::Storage | ErrorKind::Io | ErrorKind::DiskFull
        ) {
            eprintln!("reprise: {kind}: {e:?}");
        }
        let message = match &e {
            _ if kind == ErrorKind::DiskFull => {
                "The disk is full, so this was not saved. Free some space and it will save again."
                    .to_owned()
            }
            reprise::Error::Invalid { reason, .. } => reason.clone(),
            _ => e.to_string(),
        };
        IpcError {
            kind,
            message,
            field: e.field().map(str::to_owned),
        }
    }
}

/// The result type of every command.
pub type IpcResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_value_names_its_field_and_says_why_in_the_message() {
        let e = IpcError::from(reprise::Error::invalid(
            "session.participants",
            "must be 0 to 500",
        ));
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert_eq!(e.field.as_deref(), Some("session.participants"));
        assert_eq!(e.message, "must be 0 to 500");
    }

    #[test]
    fn other_failures_carry_no_field_and_their_whole_message() {
        let e = IpcError::from(reprise::Error::NotFound {
            entity: "entry",
            id: "42".into(),
        });
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(e.field, None);
        assert_eq!(e.message, "no entry with id 42");
    }
}
