//! Test support: a loopback Discord server and the helpers that run the
//! real bot against it.
//!
//! - [`server`]: Discord's REST API and gateway on `127.0.0.1`, recording
//!   everything, with fault controls ([`server::DiscordServer`]).
//! - [`payloads`]: Discord's JSON objects and the test [`payloads::World`].
//! - [`record`]: the ordered logs and their bounded waits.
//! - [`bot`]: the `career-bot` process with a config file and captured
//!   output.
//! - [`fixture`]: a server plus a ready bot, per test.
//! - [`burst`]: a burst of questions under the message rate limit, for the
//!   burst test and benchmark.
//! - [`timing`]: reply-time measurement, for tests and benchmarks.
//!
//! Nothing here is shared between tests: each builds its own server and
//! bot. Some items serve only the self-tests or later benchmarks, hence
//! `dead_code` is allowed for the module.
#![allow(dead_code)]

pub mod bot;
pub mod burst;
pub mod fixture;
pub mod payloads;
pub mod record;
pub mod server;
pub mod timing;

mod selftest;

pub use fixture::TestBot;
pub use server::WAIT;
