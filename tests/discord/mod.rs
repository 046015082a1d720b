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
//! - `limits`: flood limits that lose no question (buckets, public
//!   repeats with jump links, exemptions), retried interaction responses.
//! - `gateway`: dropped sockets and RESUME replay, op 7, op 9, close codes
//!   1000/4000/4006/4009, unacknowledged heartbeats, and a scripted run of
//!   200 questions with a fault every 20.
//! - `ratelimits`: HTTPS mode with serenity's rate limiter on (per-route
//!   and global 429s, a 300-question burst in order), the bot's retries of
//!   429s without `Retry-After` and 5xx, replies to deleted questions.
//! - `reload`: knowledge edits on a live bot (SIGHUP, `/reload`).
//! - `store`: questions logged for counselors, 👍/👎 with comments,
//!   `/review` teaching, `/stats` with its chart, claims shared by two
//!   processes on PostgreSQL.
//! - `service`: the systemd unit in `contrib/`.
//! - `timing`: the reply-time measurement (reported, not asserted).

mod commands;
mod gateway;
mod limits;
mod messages;
mod ratelimits;
mod reload;
mod service;
mod sharing;
mod startup;
mod store;
mod timing;
