//! End-to-end tests of the Discord front end: the real `career-bot`
//! binary, with its real serenity client, against the loopback Discord
//! server of `support::server`. One file per area:
//!
//! - `startup`: identify, intents, command registration, token errors,
//!   shutdown.
//! - `messages`: mentions, DMs, listen channels, bots and webhooks,
//!   off-topic messages, mentions inside questions.
//! - `commands`: every slash command, visibility, `/ask`.
//! - `sharing`: the "Post in channel" button, "Answer this question", the
//!   counselor-role gate.
//! - `cooldown`: the per-user cooldown.
//! - `gateway`: dropped sockets and RESUME replay, op 7, op 9, close codes,
//!   unacknowledged heartbeats.
//! - `timing`: the reply-time measurement (reported, not asserted).

mod commands;
mod cooldown;
mod gateway;
mod messages;
mod sharing;
mod startup;
mod timing;
