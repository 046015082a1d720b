//! Every integration test, compiled as one binary (one link, one run).
//!
//! Modules: `support` holds the loopback Discord server and process helpers;
//! the others are test areas, most of them driven by data tables in
//! `tests/data/`.

mod answers;
mod cli;
mod discord;
mod engine;
mod hostile;
mod knowledge;
mod support;
