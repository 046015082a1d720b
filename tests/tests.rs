//! Every integration test, compiled as one binary (one link, one run).
//!
//! Modules: `support` holds the process helpers around the loopback
//! Discord server (the `loopback-discord` crate); `loopback` is that
//! server's self-test; the others are test areas, most of them driven by
//! data tables in `tests/data/`.

mod answers;
mod cli;
mod discord;
mod engine;
mod hostile;
mod knowledge;
mod loopback;
mod support;
