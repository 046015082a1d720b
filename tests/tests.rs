//! Every integration test, compiled as one binary (one link, one run).
//!
//! Modules: `support` holds the process helpers around the loopback
//! Discord server (the `loopback-discord` crate); `loopback` is that
//! server's self-test; `postgres` the self-test of the PostgreSQL test
//! support (run under `scripts/with-postgres`); the others are test areas,
//! most of them driven by data tables in `tests/data/`.

mod answers;
mod cli;
mod discord;
mod engine;
mod hostile;
mod knowledge;
mod loopback;
mod postgres;
mod store;
mod support;
