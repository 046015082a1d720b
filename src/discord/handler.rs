//! The gateway event handler: the state shared by every event, and the one
//! place where failures are reported.
//!
//! Events run concurrently (serenity spawns a task per event). Shared state
//! is either atomic or behind a `std::sync` lock taken only in synchronous
//! code, never across an `.await`.

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use serenity::all::{
    ChannelId, Command, Context, EventHandler, GuildId, Http, Interaction, Message, MessageId,
    Ready, ResumedEvent, RoleId, UserId,
};

use super::commands::BotCommand;
use super::cooldown::{Cooldown, Verdict};
use super::delivery::SendError;
use super::order::ReplyOrder;
use super::reload::LiveKnowledge;
use super::{interactions, messages, startup};
use crate::bot::CareerBot;
use crate::config::{AnsweringConfig, Visibility};

/// A failure while handling one event.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// A request to Discord failed.
    #[error("Discord request failed: {0}")]
    Discord(#[source] Box<serenity::Error>),
    /// A reply was not delivered: Discord refused it, or every retry
    /// failed. `what` says which reply, to which message, in which channel.
    #[error("{what} was not delivered: {source}")]
    Undelivered {
        /// The reply, e.g. "answer part 1 of 2 to message 5 in channel 7".
        what: String,
        /// Why.
        #[source]
        source: SendError,
    },
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

/// How many posted private answers [`PostedOnce`] remembers. A private
/// answer's button is removed when it posts; this only stops clicks that
/// race that removal or come from stale or forged clients, so the most
/// recent few thousand are plenty (about 100 kB).
pub const POSTED_MEMORY: usize = 8192;

/// The private answers whose "Post in channel" button already posted, the
/// most recent [`POSTED_MEMORY`] of them.
#[derive(Debug, Default)]
pub struct PostedOnce {
    ids: HashSet<MessageId>,
    order: VecDeque<MessageId>,
}

impl PostedOnce {
    /// Records `id`; false if it was already recorded.
    pub fn claim(&mut self, id: MessageId) -> bool {
        if !self.ids.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > POSTED_MEMORY {
            if let Some(oldest) = self.order.pop_front() {
                self.ids.remove(&oldest);
            }
        }
        true
    }

    /// Forgets `id` (its post did not happen).
    pub fn release(&mut self, id: MessageId) {
        if self.ids.remove(&id) {
            self.order.retain(|other| *other != id);
        }
    }
}

/// The serenity event handler.
pub struct Handler {
    knowledge: Arc<LiveKnowledge>,
    policy: Policy,
    guild_ids: Vec<GuildId>,
    cooldown: Mutex<Cooldown>,
    /// Private answers already posted by their button.
    posted: Mutex<PostedOnce>,
    /// The bot's own user id from READY; 0 until then.
    bot_user_id: AtomicU64,
    /// Set once commands are registered, so a re-identify (a new READY)
    /// registers nothing again.
    commands_registered: AtomicBool,
    /// Free-text replies in question order, per channel.
    reply_order: Arc<ReplyOrder>,
}

impl Handler {
    /// A handler answering from `knowledge` under `answering`, registering
    /// slash commands in `guild_ids` (globally when empty).
    pub fn new(
        knowledge: Arc<LiveKnowledge>,
        answering: &AnsweringConfig,
        guild_ids: &[u64],
    ) -> Handler {
        Handler {
            knowledge,
            policy: Policy::from_config(answering),
            guild_ids: nonzero(guild_ids).map(GuildId::new).collect(),
            cooldown: Mutex::new(Cooldown::new(answering.cooldown)),
            posted: Mutex::new(PostedOnce::default()),
            bot_user_id: AtomicU64::new(0),
            commands_registered: AtomicBool::new(false),
            reply_order: Arc::new(ReplyOrder::default()),
        }
    }

    /// The per-channel order of free-text replies.
    pub fn reply_order(&self) -> &Arc<ReplyOrder> {
        &self.reply_order
    }

    /// The bot to answer with now (a clone of the current `Arc`).
    pub fn bot(&self) -> Arc<CareerBot> {
        self.knowledge.current()
    }

    /// The knowledge, to reload it.
    pub fn knowledge(&self) -> &Arc<LiveKnowledge> {
        &self.knowledge
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

    /// Claims the post of private answer `message`: true the first time,
    /// false once it was posted.
    pub fn claim_post(&self, message: MessageId) -> bool {
        let mut posted = self.posted.lock().unwrap_or_else(PoisonError::into_inner);
        posted.claim(message)
    }

    /// Gives back a claim whose post did not happen.
    pub fn release_post(&self, message: MessageId) {
        let mut posted = self.posted.lock().unwrap_or_else(PoisonError::into_inner);
        posted.release(message);
    }

    /// Registers every command, once per process.
    async fn register_commands_once(&self, http: &Http) {
        if self.commands_registered.swap(true, Ordering::AcqRel) {
            return;
        }
        let counselors = !self.policy.counselor_roles.is_empty();
        if let Err(error) = register_commands(http, &self.guild_ids, counselors).await {
            // Let the next READY try again.
            self.commands_registered.store(false, Ordering::Release);
            report("registering slash commands", &HandlerError::from(error));
        }
    }
}

/// Registers every command in the table with bulk overwrites: in each guild
/// of `guild_ids` (PUT /applications/{app}/guilds/{guild}/commands), or
/// globally (PUT /applications/{app}/commands) when there are none.
/// `counselors`: counselor roles are configured (see
/// [`BotCommand::default_member_permissions`]).
async fn register_commands(
    http: &Http,
    guild_ids: &[GuildId],
    counselors: bool,
) -> Result<(), serenity::Error> {
    let commands = BotCommand::registration_payloads(counselors);
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
        messages::order_replies(self, &ctx, &ready);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_answer_posts_once_and_memory_is_bounded() {
        let mut posted = PostedOnce::default();
        let first = MessageId::new(1);
        assert!(posted.claim(first));
        assert!(!posted.claim(first), "a second click does not post");
        posted.release(first);
        assert!(
            posted.claim(first),
            "a post that did not happen can be retried"
        );
        for id in 2..=(POSTED_MEMORY as u64 + 1) {
            assert!(posted.claim(MessageId::new(id)));
        }
        assert_eq!(posted.ids.len(), POSTED_MEMORY);
        assert_eq!(posted.order.len(), POSTED_MEMORY);
        assert!(posted.claim(first), "the oldest was forgotten");
    }
}
