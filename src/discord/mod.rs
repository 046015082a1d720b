//! The Discord front end, on serenity.
//!
//! What this module may touch: the network (Discord's gateway and REST API,
//! or the proxy in `discord.proxy_url`), process signals (Ctrl-C and
//! SIGTERM, to shut down cleanly; SIGHUP, to reload the knowledge), the
//! knowledge files (read again on a reload, through the library), and the
//! `tracing` log. It reads the core only through [`CareerBot`]'s public
//! methods and never writes files.
//!
//! Areas, one file each:
//! - [`config`]: the configuration file (`config.example.toml`), validated
//!   with every problem at its line and column.
//! - [`bot_roles`]: the bot's own role per server, so mentioning it
//!   addresses the bot.
//! - [`commands`]: the table of slash and context-menu commands.
//! - [`messages`]: free-text messages (mentions, DMs, listen channels).
//! - [`order`]: free-text replies in question order, per channel.
//! - [`delivery`]: bounded retries of requests Discord failed transiently.
//! - [`interactions`]: slash commands, the "Post in channel" button, the
//!   "Answer this question" context menu.
//! - [`records`]: which questions are logged in the store, and claims on
//!   messages when several processes share it.
//! - [`feedback`]: 👍/👎 buttons on answers and the 👎 comment form.
//! - [`counsel`]: `/review` (teach or set aside unanswered questions) and
//!   `/stats` (usage report and chart).
//! - [`render`]: answers as embeds within Discord's limits; allowed mentions.
//! - [`limits`]: flood limits on public posts (a bucket per person and
//!   channel for free text, no repeat of a topic within a minute).
//! - [`sharing`]: the counselor gate and what the button carries.
//! - [`state`]: the state shared by every event, the central error report.
//! - [`events`]: event dispatch to the areas above, command registration.
//! - [`reload`]: the `/reload` command: who may run it, its report (the
//!   reload itself is [`crate::reload`], beside the bot).
//! - [`suggest`]: autocomplete suggestions for `/ask`.
//! - [`threads`]: the parent channel of a thread or forum post.
//! - [`startup`]: HTTP client, intents, shards, shutdown.
//! - [`http_client`]: the reqwest client: extra root certificates, fixed
//!   host addresses.
//!
//! The bot answers from the [`crate::reload::LiveKnowledge`] it is given:
//! handlers clone the current `Arc<CareerBot>` out of it before any
//! `.await`, so a reload swaps in new knowledge without stopping the bot,
//! dropping a question or holding a lock across I/O.

pub mod bot_roles;
pub mod commands;
pub mod config;
pub mod counsel;
pub mod delivery;
pub mod events;
pub mod feedback;
pub mod http_client;
pub mod interactions;
pub mod limits;
pub mod messages;
pub mod order;
pub mod records;
pub mod reload;
pub mod render;
pub mod sharing;
pub mod startup;
pub mod state;
pub mod suggest;
pub mod threads;

use std::sync::Arc;

use crate::config::Config;
use crate::reload::LiveKnowledge;

/// Why the Discord bot stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    /// Discord rejected the token (gateway close code 4004, or HTTP 401).
    #[error(
        "Discord rejected the bot token (gateway close code 4004 / HTTP 401 Unauthorized): \
         check DISCORD_TOKEN or discord.token; reset the token in the developer portal if needed"
    )]
    InvalidToken,
    /// Discord refused a privileged intent the bot asked for (close code 4014).
    #[error(
        "Discord refused the MESSAGE_CONTENT intent (gateway close code 4014): enable \
         \"Message Content Intent\" for the bot in the developer portal, or empty \
         answering.listen_channels"
    )]
    DisallowedIntents,
    /// Discord rejected the intents value (close code 4013).
    #[error("Discord rejected the gateway intents (gateway close code 4013)")]
    InvalidIntents,
    /// The client could not start or a shard stopped with an error.
    #[error("Discord client error: {0}")]
    Client(#[source] Box<serenity::Error>),
    /// The signal handlers (shutdown, SIGHUP reload) could not be installed.
    #[error("cannot listen for signals: {0}")]
    Signal(#[source] std::io::Error),
    /// The HTTP client could not be built (e.g. an unreadable certificate
    /// in `discord.extra_root_certificates`).
    #[error(transparent)]
    HttpClient(#[from] http_client::HttpClientError),
}

/// Runs the Discord bot, answering from `knowledge` and reloading it on
/// SIGHUP and `/reload`, until Ctrl-C or SIGTERM (then `Ok`, after the
/// shards close cleanly) or a fatal error such as a rejected token.
/// With `store`, questions and votes are logged, `/review` and `/stats`
/// work, and (on a shared store) each message is claimed before it is
/// answered.
pub async fn run(
    config: Config,
    knowledge: Arc<LiveKnowledge>,
    store: Option<crate::store::Attached>,
) -> Result<(), DiscordError> {
    startup::run_client(config, knowledge, store).await
}
