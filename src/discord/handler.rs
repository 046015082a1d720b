//! The gateway event handler: the state shared by every event, and the one
//! place where failures are reported.
//!
//! Events run concurrently (serenity spawns a task per event). Shared state
//! is either atomic or behind a `std::sync` lock taken only in synchronous
//! code, never across an `.await`.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use serenity::all::{
    ChannelId, Command, Context, EventHandler, GuildId, Http, Interaction, Message, Ready,
    ResumedEvent, RoleId, UserId,
};

use super::commands::BotCommand;
use super::cooldown::{Cooldown, Verdict};
use super::{interactions, messages, startup, SharedBot};
use crate::bot::CareerBot;
use crate::config::{AnsweringConfig, Visibility};

/// A failure while handling one event.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// A request to Discord failed.
    #[error("Discord request failed: {0}")]
    Discord(#[source] Box<serenity::Error>),
}

impl From<serenity::Error> for HandlerError {
    fn from(error: serenity::Error) -> Self {
        HandlerError::Discord(Box::new(error))
    }
}

/// The answering policy, with ids as serenity types.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Answer messages that mention the bot.
    pub mentions: bool,
    /// Answer direct messages.
    pub direct_messages: bool,
    /// Channels where every message is considered.
    pub listen_channels: HashSet<ChannelId>,
    /// Visibility of slash answers without the `public` option.
    pub default_visibility: Visibility,
    /// Roles that may post publicly; empty means everyone.
    pub counselor_roles: Vec<RoleId>,
}

impl Policy {
    /// The policy from the `[answering]` section.
    pub fn from_config(answering: &AnsweringConfig) -> Policy {
        Policy {
            mentions: answering.mentions,
            direct_messages: answering.direct_messages,
            listen_channels: nonzero(&answering.listen_channels)
                .map(ChannelId::new)
                .collect(),
            default_visibility: answering.default_visibility,
            counselor_roles: nonzero(&answering.counselor_role_ids)
                .map(RoleId::new)
                .collect(),
        }
    }
}

/// Ids other than zero (serenity's id types cannot hold zero; the config
/// rejects it, this keeps a hand-built config from panicking).
pub(crate) fn nonzero(ids: &[u64]) -> impl Iterator<Item = u64> + '_ {
    ids.iter().copied().filter(|&id| id != 0)
}

/// The serenity event handler.
pub struct Handler {
    bot: Arc<SharedBot>,
    policy: Policy,
    guild_ids: Vec<GuildId>,
    cooldown: Mutex<Cooldown>,
    /// The bot's own user id from READY; 0 until then.
    bot_user_id: AtomicU64,
    /// Set once commands are registered, so a re-identify (a new READY)
    /// registers nothing again.
    commands_registered: AtomicBool,
}

impl Handler {
    /// A handler answering from `bot` under `answering`, registering slash
    /// commands in `guild_ids` (globally when empty).
    pub fn new(bot: Arc<SharedBot>, answering: &AnsweringConfig, guild_ids: &[u64]) -> Handler {
        Handler {
            bot,
            policy: Policy::from_config(answering),
            guild_ids: nonzero(guild_ids).map(GuildId::new).collect(),
            cooldown: Mutex::new(Cooldown::new(answering.cooldown)),
            bot_user_id: AtomicU64::new(0),
            commands_registered: AtomicBool::new(false),
        }
    }

    /// The bot to answer with now (a clone of the current `Arc`).
    pub fn bot(&self) -> Arc<CareerBot> {
        self.bot.current()
    }

    /// The answering policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The bot's user id, once READY has arrived.
    pub fn bot_user_id(&self) -> Option<UserId> {
        match self.bot_user_id.load(Ordering::Acquire) {
            0 => None,
            id => Some(UserId::new(id)),
        }
    }

    /// The cooldown verdict for `user` at `now`, recording an answer when allowed.
    pub fn check_cooldown(&self, user: UserId, now: Instant) -> Verdict {
        let mut cooldown = self.cooldown.lock().unwrap_or_else(PoisonError::into_inner);
        cooldown.check(user.get(), now)
    }

    /// Registers every command, once per process.
    async fn register_commands_once(&self, http: &Http) {
        if self.commands_registered.swap(true, Ordering::AcqRel) {
            return;
        }
        if let Err(error) = register_commands(http, &self.guild_ids).await {
            // Let the next READY try again.
            self.commands_registered.store(false, Ordering::Release);
            report("registering slash commands", &HandlerError::from(error));
        }
    }
}

/// Registers every command in the table with bulk overwrites: in each guild
/// of `guild_ids` (PUT /applications/{app}/guilds/{guild}/commands), or
/// globally (PUT /applications/{app}/commands) when there are none.
async fn register_commands(http: &Http, guild_ids: &[GuildId]) -> Result<(), serenity::Error> {
    let commands = BotCommand::registration_payloads();
    if guild_ids.is_empty() {
        Command::set_global_commands(http, commands).await?;
        tracing::info!("slash commands registered globally (may take up to an hour to appear)");
        return Ok(());
    }
    for guild in guild_ids {
        guild.set_commands(http, commands.clone()).await?;
        tracing::info!(guild = %guild, "slash commands registered");
    }
    Ok(())
}

/// The one place handler failures are reported.
pub fn report(action: &str, error: &HandlerError) {
    tracing::error!(action, %error, "failed");
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.bot_user_id
            .store(ready.user.id.get(), Ordering::Release);
        ctx.http.set_application_id(ready.application.id);
        tracing::info!(
            user = %ready.user.name,
            shard = ?ready.shard.map(|shard| shard.id.0),
            guilds = ready.guilds.len(),
            invite = %startup::invite_url(ready.application.id),
            "connected to Discord"
        );
        self.register_commands_once(&ctx.http).await;
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        tracing::info!("gateway session resumed");
    }

    async fn message(&self, ctx: Context, message: Message) {
        if let Err(error) = messages::handle_message(self, &ctx, &message).await {
            report("answering a message", &error);
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        if let Err(error) = interactions::handle_interaction(self, &ctx, &interaction).await {
            report("answering an interaction", &error);
        }
    }
}
