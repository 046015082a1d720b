//! Test support: the loopback Discord server (the `loopback-discord` crate
//! of this workspace, re-exported here) and the helpers that run the real
//! bot against it.
//!
//! - [`server`], [`payloads`], [`record`], [`timing`]: from
//!   `loopback-discord` (`crates/loopback-discord`, with its self-tests).
//! - [`bot`]: the `career-bot` process with a config file and captured
//!   output.
//! - [`fixture`]: a server plus a ready bot, per test.
//! - [`burst`]: a burst of questions under the message rate limit, for the
//!   burst test and benchmark.
//! - [`postgres`]: PostgreSQL for the store tests (the run's server from
//!   `scripts/with-postgres`, a database per test, a server of a test's
//!   own).
//!
//! Nothing here is shared between tests: each builds its own server and
//! bot. Some items serve only the self-tests or later benchmarks, hence
//! `dead_code` is allowed for the module.
#![allow(dead_code)]

pub mod bot;
pub mod burst;
pub mod fixture;
pub mod postgres;

pub use loopback_discord::{payloads, record, server, timing};

pub use fixture::TestBot;
pub use server::WAIT;
