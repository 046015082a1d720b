//! The state shared by every event, and the one place where failures are
//! reported. The areas that handle events (`messages`, `interactions`)
//! read it; [`super::events`] dispatches events to them. This module
//! imports none of them.
//!
//! Events run concurrently (serenity spawns a task per event). Shared state
//! is either atomic or behind a `std::sync` lock taken only in synchronous
//! code, never across an `.await`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use serenity::all::{ChannelId, Command, CommandId, GuildId, Http, MessageId, RoleId, UserId};

use super::bot_roles::BotRoles;
use super::commands::BotCommand;
use super::delivery::{deliver, Undelivered};
use super::limits::Limits;
use super::order::ReplyOrder;
use super::threads::ThreadParents;
use crate::bot::CareerBot;
use crate::config::{AnsweringConfig, Visibility};
use crate::reload::LiveKnowledge;
use crate::store::writer::QuestionLog;
use crate::store::{Attached, Store};

/// A failure while handling one event.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// A request to Discord failed.
    #[error("Discord request failed: {0}")]
    Discord(#[source] Box<serenity::Error>),
    /// A request was not delivered: Discord refused it, or every retry
    /// failed. It says which request, to which message, in which channel.
    #[error(transparent)]
    Undelivered(#[from] Undelivered),
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

/// How many message ids a [`OnceIds`] remembers. A private answer's
/// button is removed when it posts, and an edited question is answered
/// only within a minute of being posted; this only stops clicks that race
/// the removal (or come from stale or forged clients) and edits that race
/// the answer, so the most recent few thousand are plenty (about 100 kB).
pub const POSTED_MEMORY: usize = 8192;

/// Message ids claimed once, the most recent [`POSTED_MEMORY`] of them:
/// the private answers whose "Post in channel" button already posted, or
/// the questions already answered.
#[derive(Debug, Default)]
pub struct OnceIds {
    ids: HashSet<MessageId>,
    order: VecDeque<MessageId>,
}

impl OnceIds {
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

/// Everything the event handlers share; serenity's event handler (see
/// [`super::events`]).
pub struct State {
    knowledge: Arc<LiveKnowledge>,
    policy: Policy,
    guild_ids: Vec<GuildId>,
    /// The flood limits on public posts.
    limits: Limits,
    /// Private answers already posted by their button.
    posted: Mutex<OnceIds>,
    /// Free-text questions already answered (an edit may bring one back).
    answered: Mutex<OnceIds>,
    /// The bot's own user id from READY; 0 until then.
    bot_user_id: AtomicU64,
    /// This process runs shard 0, so it registers the commands.
    runs_shard_zero: bool,
    /// Set once commands are registered (or their ids read), so a
    /// re-identify (a new READY) registers nothing again.
    commands_registered: AtomicBool,
    /// The ids Discord gave the commands, by name, for `/help`'s command
    /// mentions (`</salary:id>`).
    command_ids: RwLock<HashMap<String, CommandId>>,
    /// Free-text replies in question order, per channel.
    reply_order: Arc<ReplyOrder>,
    /// The parents of threads, for listen channels.
    thread_parents: Arc<ThreadParents>,
    /// The bot's own role per server, for role mentions.
    bot_roles: Arc<BotRoles>,
    /// The store and its question log, when the bot runs with one.
    store: Option<Attached>,
}

impl State {
    /// A handler answering from `knowledge` under `answering`, registering
    /// slash commands in `guild_ids` (globally when empty) if it
    /// `runs_shard_zero`; with `store`, questions and votes are logged and
    /// the counselor commands read it.
    pub fn new(
        knowledge: Arc<LiveKnowledge>,
        answering: &AnsweringConfig,
        guild_ids: &[u64],
        runs_shard_zero: bool,
        store: Option<Attached>,
    ) -> State {
        State {
            knowledge,
            policy: Policy::from_config(answering),
            guild_ids: nonzero(guild_ids).map(GuildId::new).collect(),
            limits: Limits::new(
                answering.burst,
                answering.burst_period,
                answering.repeat_window,
            ),
            posted: Mutex::new(OnceIds::default()),
            answered: Mutex::new(OnceIds::default()),
            bot_user_id: AtomicU64::new(0),
            runs_shard_zero,
            commands_registered: AtomicBool::new(false),
            command_ids: RwLock::new(HashMap::new()),
            reply_order: Arc::new(ReplyOrder::default()),
            thread_parents: Arc::new(ThreadParents::default()),
            bot_roles: Arc::new(BotRoles::default()),
            store,
        }
    }

    /// The store, when the bot runs with one: awaited only for what a
    /// person asked of it (`/review`, `/stats`, teaching) and for claims.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref().map(|attached| &attached.store)
    }

    /// The question log, when the bot runs with a store: queued, never
    /// awaited.
    pub fn question_log(&self) -> Option<&QuestionLog> {
        self.store.as_ref().map(|attached| &attached.log)
    }

    /// Records the bot's user id (from READY).
    pub(super) fn set_bot_user_id(&self, user: UserId) {
        self.bot_user_id.store(user.get(), Ordering::Release);
    }

    /// The per-channel order of free-text replies.
    pub fn reply_order(&self) -> &Arc<ReplyOrder> {
        &self.reply_order
    }

    /// The bot's own role per server seen so far.
    pub fn bot_roles(&self) -> &Arc<BotRoles> {
        &self.bot_roles
    }

    /// The parents of threads seen so far.
    pub fn thread_parents(&self) -> &Arc<ThreadParents> {
        &self.thread_parents
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

    /// The flood limits on public posts.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Whether a member with `roles` is a counselor: counselor roles are
    /// configured and the member has one. Counselors are exempt from the
    /// flood limits.
    pub fn is_counselor(&self, roles: &[RoleId]) -> bool {
        self.policy
            .counselor_roles
            .iter()
            .any(|role| roles.contains(role))
    }

    /// Claims the post of private answer `message`: true the first time,
    /// false once it was posted.
    pub fn claim_post(&self, message: MessageId) -> bool {
        let mut posted = self.posted.lock().unwrap_or_else(PoisonError::into_inner);
        posted.claim(message)
    }

    /// Claims the answer to free-text question `message`: true the first
    /// time, false once it was answered (or is being answered).
    pub fn claim_answer(&self, message: MessageId) -> bool {
        let mut answered = self.answered.lock().unwrap_or_else(PoisonError::into_inner);
        answered.claim(message)
    }

    /// Gives back a claim whose post did not happen.
    pub fn release_post(&self, message: MessageId) {
        let mut posted = self.posted.lock().unwrap_or_else(PoisonError::into_inner);
        posted.release(message);
    }

    /// The id Discord gave command `name`, once known.
    pub fn command_id(&self, name: &str) -> Option<CommandId> {
        self.command_ids
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
            .copied()
    }

    fn remember_command_ids(&self, commands: &[Command]) {
        let mut ids = self
            .command_ids
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        for command in commands {
            ids.insert(command.name.clone(), command.id);
        }
    }

    /// Registers every command once per process, on shard 0's READY, and
    /// only in the process that runs shard 0, so several processes sharing
    /// a bot register once; the others read the command ids (for `/help`)
    /// on their first READY instead.
    pub(super) async fn register_commands_once(&self, http: &Http, shard: u32) {
        if self.runs_shard_zero && shard != 0 {
            return;
        }
        if self.commands_registered.swap(true, Ordering::AcqRel) {
            return;
        }
        let counselors = !self.policy.counselor_roles.is_empty();
        let outcome = if self.runs_shard_zero {
            register_commands(http, &self.guild_ids, counselors).await
        } else {
            tracing::info!(
                shard,
                "not registering commands: the process that runs shard 0 does"
            );
            read_commands(http, &self.guild_ids).await
        };
        match outcome {
            Ok(commands) => {
                self.remember_command_ids(&commands);
                tracing::info!(commands = commands.len(), "command ids known for /help");
            }
            Err(error) => {
                // Let the next READY try again.
                self.commands_registered.store(false, Ordering::Release);
                report("registering slash commands", &error);
            }
        }
    }
}

/// Registers every command in the table with bulk overwrites: in each guild
/// of `guild_ids` (PUT /applications/{app}/guilds/{guild}/commands), or
/// globally (PUT /applications/{app}/commands) when there are none.
/// `counselors`: counselor roles are configured (see
/// [`BotCommand::default_member_permissions`]). Returns the commands as
/// Discord stored them (the first guild's, when several).
async fn register_commands(
    http: &Http,
    guild_ids: &[GuildId],
    counselors: bool,
) -> Result<Vec<Command>, HandlerError> {
    let commands = BotCommand::registration_payloads(counselors);
    if guild_ids.is_empty() {
        let registered = deliver("global command registration", || {
            Command::set_global_commands(http, commands.clone())
        })
        .await?;
        tracing::info!("slash commands registered globally (may take up to an hour to appear)");
        return Ok(registered);
    }
    let mut first = None;
    for guild in guild_ids {
        let registered = deliver(format!("command registration in guild {guild}"), || {
            guild.set_commands(http, commands.clone())
        })
        .await?;
        tracing::info!(guild = %guild, "slash commands registered");
        first.get_or_insert(registered);
    }
    Ok(first.unwrap_or_default())
}

/// The commands as registered (by the process that runs shard 0).
async fn read_commands(http: &Http, guild_ids: &[GuildId]) -> Result<Vec<Command>, HandlerError> {
    let read = match guild_ids.first() {
        Some(guild) => {
            deliver(format!("reading the commands of guild {guild}"), || {
                guild.get_commands(http)
            })
            .await?
        }
        None => {
            deliver("reading the global commands", || {
                Command::get_global_commands(http)
            })
            .await?
        }
    };
    Ok(read)
}

/// The one place handler failures are reported.
pub fn report(action: &str, error: &HandlerError) {
    tracing::error!(action, %error, "failed");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_answer_posts_once_and_memory_is_bounded() {
        let mut posted = OnceIds::default();
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
