//! career-bot answers students' questions about one career, the Health
//! Information Technology Specialist, from a structured knowledge file.
//!
//! The layers, from the bottom up:
//!
//! - [`intent`]: the intents, named once.
//! - [`problem`]: a problem in a file at its line and column, for the
//!   knowledge files and the configuration alike.
//! - [`knowledge`]: the data model, loading and validation of `knowledge/`.
//! - [`engine`]: normalise and match a message against the intent table.
//!   Pure: no I/O, no async.
//! - [`answer`]: compose front-end-neutral answers from the knowledge.
//! - [`bot`]: the one entry point front ends use: message in, reply out.
//! - [`reload`]: knowledge reloads while a front end runs (SIGHUP, or on
//!   request), for any front end.
//! - [`store`]: unanswered questions, votes, taught examples and stats, in
//!   SQLite or PostgreSQL, written in the background.
//! - [`eval`]: score labelled question files.
//! - [`stats`]: the usage statistics report (questions per topic and week,
//!   share answered, 👍/👎, uncovered aspects) as text and as a PNG chart.
//! - Front ends: [`terminal`] (the chat) and [`discord`].
//! - [`config`]: the Discord bot's configuration file (in [`discord`]).

pub mod answer;
pub mod bot;
pub mod discord;
pub mod engine;
pub mod eval;
pub mod intent;
pub mod knowledge;
pub mod problem;
pub mod reload;
pub mod stats;
pub mod store;
pub mod terminal;

/// The Discord bot's configuration, which lives with the front end it
/// configures ([`discord::config`]).
pub use discord::config;

pub use answer::{Answer, Field, Reply, ReplyKind};
pub use bot::CareerBot;
pub use intent::{Ask, Intent, StatedFigure};
