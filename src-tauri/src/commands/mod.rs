//! The commands the UI can call, grouped by area. Each is a few lines over the core.

pub mod app;
pub mod attachments;
pub mod entries;
pub mod exchange;
pub mod search;
pub mod templates;
