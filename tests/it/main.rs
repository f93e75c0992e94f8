//! The integration tests: one binary, one module per area.

mod render;
mod store;
mod support;
