//! A loopback Discord for testing a bot end to end: Discord's REST API and
//! gateway on `127.0.0.1` (port 0), recording every request and frame, with
//! fault controls, and Discord's documented rate limits.
//!
//! - [`server`]: the server ([`server::DiscordServer`]): gateway (HELLO,
//!   IDENTIFY, READY, heartbeats, RESUME with replay, op 7, op 9, close
//!   codes), the REST routes a bot calls (JSON or `multipart/form-data`
//!   bodies with files, which become attachments served back from a
//!   loopback "CDN"), rate limits, an HTTPS mode with a test certificate
//!   authority. It also acts as a REST proxy (`proxy_url`), as a shared
//!   rate-limit proxy would. People run slash commands, autocomplete,
//!   context menus, click buttons, pick in string select menus and submit
//!   the modals the bot shows (each recorded for the test to read).
//! - [`payloads`]: Discord's JSON objects and the test [`payloads::World`].
//! - [`record`]: ordered logs and their bounded waits.
//! - [`timing`]: reply-time measurement, for tests and benchmarks.
//!
//! Nothing is shared between servers: each test starts its own. Nothing
//! here knows the bot under test. Its self-tests are in the workspace's
//! `tests/loopback.rs` (they need serenity, as a bot would read the server).

pub mod payloads;
pub mod record;
pub mod server;
pub mod timing;

pub use server::WAIT;
