//! The integration tests: one binary, one module per area.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod durability;
mod exchange;
mod migrations;
mod render;
mod search;
mod store;
mod support;
