//! Free-text messages: deciding whether a message is addressed to the bot,
//! and replying to it.
//!
//! The bot answers when mentioned (in the text, by a reply to one of its
//! messages, which lists it among the mentions, or by its own role), in
//! DMs, and in listen channels. It ignores
//! its own messages, other bots, webhooks and system messages. Replies
//! reference the asking message and carry allowed mentions that allow
//! nothing. Off-topic or empty messages get the short "what I can answer"
//! reply when the bot was addressed (mention or DM), and no reply at all in
//! a listen channel where nobody addressed it.
//!
//! Threads and forum posts: a mention there is answered in the thread; a
//! message in a thread whose parent is a listen channel counts as in the
//! listen channel ([`super::threads`] finds the parent).
//!
//! Edits: a question edited within a minute of being posted (to add the
//! mention, say) is handled like a new message; each question is answered
//! once, however often it is edited.
//!
//! Flood limit: a public answer (a mention or a listen channel, not a DM,
//! not small talk, not to a counselor) takes room in the asker's bucket for
//! the channel ([`super::limits`]). When the bucket is empty the answer
//! gives up its place in the channel's order (so other people's answers
//! are not held up), waits for room, and is then sent: never dropped.
//!
//! Delivery: replies in a channel go out in the order the questions were
//! asked ([`super::order`]), each request retried on transient failures
//! ([`super::delivery`]); a reply that cannot be delivered is reported with
//! the message and channel it answers. Replies do not fail when the
//! question was deleted meanwhile (`fail_if_not_exists: false`: Discord
//! then posts them as plain messages).
//!
//! With a store: questions are logged as [`super::records`] describes
//! (queued, never awaited); on a store shared by several processes each
//! message is claimed there before it is answered, and a message another
//! process claimed is left to it; and answers with a career topic carry
//! 👍/👎 buttons ([`super::feedback`]) on their last part.

use serenity::all::{
    ChannelId, Context, CreateActionRow, CreateMessage, GuildId, Message, MessageReference,
    MessageType, MessageUpdateEvent, Ready, RoleId, User, UserId,
};

use std::sync::Arc;

use super::delivery::deliver;
use super::feedback;
use super::limits::Room;
use super::records;
use super::render::{no_pings, plan_messages, to_embeds};
use super::state::{HandlerError, Policy, State};
use crate::answer::{Answer, Reply, ReplyKind};

/// Why the bot considers a message addressed to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addressing {
    /// The message mentions the bot (`<@id>` or `<@!id>`).
    Mention,
    /// A direct message.
    Direct,
    /// Posted in a listen channel, without a mention.
    ListenChannel,
}

/// The facts about a message that decide whether to answer it.
#[derive(Clone, Copy, Debug)]
pub struct MessageFacts<'a> {
    /// The author's id.
    pub author: UserId,
    /// The author is a bot (including this one).
    pub author_is_bot: bool,
    /// Sent through a webhook.
    pub from_webhook: bool,
    /// A message a person typed (not a join notice, pin notice, …).
    pub typed_by_user: bool,
    /// Sent outside any guild.
    pub is_direct: bool,
    /// Where it was sent.
    pub channel: ChannelId,
    /// The channel a thread or forum post belongs to, once known (see
    /// [`super::threads`]).
    pub parent: Option<ChannelId>,
    /// The raw text.
    pub content: &'a str,
    /// The users it mentions, the author of the message it replies to
    /// included (when the reply pings them).
    pub mentioned: &'a [User],
    /// The roles it mentions.
    pub mentioned_roles: &'a [RoleId],
    /// The server it was sent in.
    pub guild: Option<GuildId>,
    /// The bot's own role in that server, once known (see
    /// [`super::bot_roles`]).
    pub bot_role: Option<RoleId>,
}

impl<'a> MessageFacts<'a> {
    /// The facts of a gateway message.
    pub fn of(message: &'a Message) -> MessageFacts<'a> {
        MessageFacts {
            author: message.author.id,
            author_is_bot: message.author.bot,
            from_webhook: message.webhook_id.is_some(),
            typed_by_user: matches!(
                message.kind,
                MessageType::Regular | MessageType::InlineReply
            ),
            is_direct: message.guild_id.is_none(),
            channel: message.channel_id,
            parent: None,
            content: &message.content,
            mentioned: &message.mentions,
            mentioned_roles: &message.mention_roles,
            guild: message.guild_id,
            bot_role: None,
        }
    }
}

/// Whether and why the bot should consider `message`; `None` to ignore it.
/// `bot_user` is the bot's own id, unknown before READY.
pub fn addressing(
    message: &MessageFacts<'_>,
    policy: &Policy,
    bot_user: Option<UserId>,
) -> Option<Addressing> {
    let bot_user = bot_user?;
    if message.author == bot_user
        || message.author_is_bot
        || message.from_webhook
        || !message.typed_by_user
    {
        return None;
    }
    if message.is_direct {
        return policy.direct_messages.then_some(Addressing::Direct);
    }
    let mentioned = mentions_user(message.content, bot_user)
        || message.mentioned.iter().any(|user| user.id == bot_user)
        || message
            .bot_role
            .is_some_and(|role| message.mentioned_roles.contains(&role));
    if policy.mentions && mentioned {
        return Some(Addressing::Mention);
    }
    let listens = policy.listen_channels.contains(&message.channel)
        || message
            .parent
            .is_some_and(|parent| policy.listen_channels.contains(&parent));
    listens.then_some(Addressing::ListenChannel)
}

/// Whether `message` mentions roles, one of which might be the bot's own,
/// worth looking up: a message typed by a person in a server, mentions
/// answered, the bot's role there not known yet.
pub fn may_mention_bot_role(message: &MessageFacts<'_>, policy: &Policy) -> bool {
    policy.mentions
        && message.guild.is_some()
        && message.bot_role.is_none()
        && !message.mentioned_roles.is_empty()
        && !message.author_is_bot
        && !message.from_webhook
        && message.typed_by_user
}

/// Whether `message` might be in a thread or forum post under a listen
/// channel, so that its channel's parent is worth looking up: a message
/// typed by a person in a server channel that is not itself a listen
/// channel, parent not known yet.
pub fn may_be_in_listen_thread(message: &MessageFacts<'_>, policy: &Policy) -> bool {
    !policy.listen_channels.is_empty()
        && !message.is_direct
        && !message.author_is_bot
        && !message.from_webhook
        && message.typed_by_user
        && message.parent.is_none()
        && !policy.listen_channels.contains(&message.channel)
}

/// True when `content` holds a user mention of `user`: `<@id>` or `<@!id>`.
pub fn mentions_user(content: &str, user: UserId) -> bool {
    let id = user.get().to_string();
    content.match_indices("<@").any(|(start, _)| {
        let rest = &content[start + 2..];
        let rest = rest.strip_prefix('!').unwrap_or(rest);
        rest.strip_prefix(id.as_str())
            .is_some_and(|tail| tail.starts_with('>'))
    })
}

/// The answers to send for `reply`, or `None` for silence. Where nobody
/// addressed the bot (a listen channel) only career answers are sent: no
/// small talk, no "what I can answer".
pub fn answers_to_send(reply: &Reply, addressing: Addressing) -> Option<&[Answer]> {
    match (reply.kind, addressing) {
        (ReplyKind::Answered, _) => Some(&reply.answers),
        (_, Addressing::ListenChannel) => None,
        (ReplyKind::SmallTalk | ReplyKind::OutOfScope | ReplyKind::Empty, _) => {
            Some(&reply.answers)
        }
    }
}

/// Whether a reply to a message addressed as `addressing`, of `kind`, by a
/// counselor or not, takes room in the asker's bucket: only public answers
/// other than small talk, to people without a counselor role.
pub fn is_limited(addressing: Addressing, kind: ReplyKind, counselor: bool) -> bool {
    addressing != Addressing::Direct && kind != ReplyKind::SmallTalk && !counselor
}

/// Starts queueing replies in question order on the shard that sent
/// `ready` (see [`super::order`]): every message the bot considers gets a
/// place in its channel's line, in gateway order.
pub fn order_replies(state: &State, ctx: &Context, ready: &Ready) {
    let policy = state.policy().clone();
    let parents = Arc::clone(state.thread_parents());
    let roles = Arc::clone(state.bot_roles());
    let bot_user = ready.user.id;
    let shard = ready.shard.map_or(0, |shard| shard.id.0);
    state
        .reply_order()
        .install(&ctx.shard, shard, move |message| {
            let mut facts = MessageFacts::of(message);
            facts.parent = parents.known(message.channel_id).flatten();
            facts.bot_role = message
                .guild_id
                .and_then(|guild| roles.known(guild).flatten());
            addressing(&facts, &policy, Some(bot_user)).is_some()
        });
}

/// A reference to `message` for a reply that is still posted, as a plain
/// message, if `message` was deleted meanwhile.
pub fn reply_reference(message: &Message) -> MessageReference {
    MessageReference::from(message).fail_if_not_exists(false)
}

/// Handles one gateway message.
pub async fn handle_message(
    state: &State,
    ctx: &Context,
    message: &Message,
) -> Result<(), HandlerError> {
    // Take the message's place in its channel's line first; dropping `turn`
    // on any return lets the next reply in the channel go.
    let turn = state.reply_order().check_in(message.channel_id, message.id);
    let mut facts = MessageFacts::of(message);
    let policy = state.policy();
    let mut addressed = addressing(&facts, policy, state.bot_user_id());
    if let (None, Some(guild), Some(bot)) = (addressed, facts.guild, state.bot_user_id()) {
        if may_mention_bot_role(&facts, policy) {
            facts.bot_role = state.bot_roles().role(&ctx.http, guild, bot).await;
            addressed = addressing(&facts, policy, state.bot_user_id());
        }
    }
    if addressed.is_none() && may_be_in_listen_thread(&facts, policy) {
        facts.parent = state
            .thread_parents()
            .parent(&ctx.http, message.channel_id)
            .await;
        addressed = addressing(&facts, policy, state.bot_user_id());
    }
    let Some(addressing) = addressed else {
        return Ok(());
    };
    let bot = state.bot();
    let classification = bot.classify(&message.content);
    let reply = bot.reply_to(&classification);
    tracing::debug!(
        message = %message.id,
        channel = %message.channel_id,
        ?addressing,
        kind = ?reply.kind,
        intents = ?reply.intents,
        "free-text message"
    );
    let kind = reply.kind;
    let votes = state
        .question_log()
        .filter(|_| kind == ReplyKind::Answered)
        .and_then(|_| feedback::vote_row(&reply.intents));
    // Queues the question's record when it is worth one; never waits.
    let record = || {
        let Some(log) = state.question_log() else {
            return;
        };
        if records::worth_logging(addressing, &classification, &reply) {
            log.question(
                &bot,
                &message.content,
                &classification,
                &reply,
                records::place(message.guild_id, message.channel_id),
                Some(&records::user_key(message.author.id)),
                addressing == Addressing::Direct,
            );
        }
    };
    let Some(answers) = answers_to_send(&reply, addressing) else {
        // Not answered (a listen channel), but maybe worth a counselor's
        // look. Not claimed: a claim would stop the answer if an edit
        // then addresses the bot (see `super::records`).
        record();
        return Ok(());
    };
    if !state.claim_answer(message.id) {
        tracing::debug!(message = %message.id, "already answered");
        return Ok(());
    }
    if !records::claim(state.store(), message.id).await {
        return Ok(());
    }
    record();
    let roles = message
        .member
        .as_ref()
        .map_or(&[][..], |member| member.roles.as_slice());
    if is_limited(addressing, kind, state.is_counselor(roles)) {
        let limits = state.limits();
        if !limits.free_text_room_now(message.author.id, message.channel_id) {
            // Let the channel's later answers go while this one waits.
            drop(turn);
            tracing::info!(
                message = %message.id,
                channel = %message.channel_id,
                user = %message.author.id,
                "the asker's bucket is empty; the answer waits for room"
            );
            let room = limits
                .free_text_room(message.author.id, message.channel_id)
                .await;
            if let Room::Waited(waited) = room {
                tracing::info!(message = %message.id, ?waited, "answering after waiting for room");
            }
            return send_answers(ctx, message, answers, votes).await;
        }
    }
    turn.wait().await;
    send_answers(ctx, message, answers, votes).await
}

/// How long after a question was posted an edit that makes it addressed to
/// the bot (a mention added) still gets it answered.
pub const EDIT_WINDOW_SECONDS: i64 = 60;

/// Whether an edit at `edited` of a message posted at `posted` (Unix
/// seconds) is recent enough to answer.
pub fn edit_is_recent(posted: i64, edited: i64) -> bool {
    (0..=EDIT_WINDOW_SECONDS).contains(&(edited - posted))
}

/// Handles a message edit: a question edited within
/// [`EDIT_WINDOW_SECONDS`] of being posted is handled like a new message,
/// and answered once however often it is edited (an already answered
/// question is not answered again). Partial updates (an embed unfurled)
/// carry no author, text or edit time, and are ignored.
pub async fn handle_edit(
    state: &State,
    ctx: &Context,
    event: &MessageUpdateEvent,
) -> Result<(), HandlerError> {
    let (Some(_), Some(_), Some(posted), Some(edited)) = (
        &event.author,
        &event.content,
        event.timestamp,
        event.edited_timestamp,
    ) else {
        return Ok(());
    };
    if !edit_is_recent(posted.unix_timestamp(), edited.unix_timestamp()) {
        return Ok(());
    }
    let mut message = Message::default();
    event.apply_to_message(&mut message);
    handle_message(state, ctx, &message).await
}

/// Sends `answers` as replies to `message`: the first message references it,
/// any overflow follows in the same channel, and the last carries `votes`.
/// If a part cannot be delivered, the rest is not sent (it would follow a
/// missing beginning) and the error says so.
async fn send_answers(
    ctx: &Context,
    message: &Message,
    answers: &[Answer],
    votes: Option<CreateActionRow>,
) -> Result<(), HandlerError> {
    let parts = plan_messages(answers);
    for (index, embeds) in parts.iter().enumerate() {
        let mut reply = CreateMessage::new()
            .embeds(to_embeds(embeds))
            .allowed_mentions(no_pings());
        if index == 0 {
            reply = reply.reference_message(reply_reference(message));
        }
        if index + 1 == parts.len() {
            if let Some(row) = &votes {
                reply = reply.components(vec![row.clone()]);
            }
        }
        let mut what = format!(
            "answer part {} of {} to message {} in channel {}",
            index + 1,
            parts.len(),
            message.id,
            message.channel_id
        );
        let unsent = parts.len() - index - 1;
        if unsent > 0 {
            what += &format!(" (and the {unsent} part(s) after it)");
        }
        send(ctx, message.channel_id, reply, what).await?;
    }
    Ok(())
}

/// Posts `builder` in `channel` through the one delivery path; `what`
/// names it in the log and in the error.
async fn send(
    ctx: &Context,
    channel: ChannelId,
    builder: CreateMessage,
    what: String,
) -> Result<(), HandlerError> {
    deliver(what, || channel.send_message(&ctx.http, builder.clone())).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::config::Visibility;
    use crate::intent::Intent;

    const BOT: u64 = 900;
    const LISTEN: u64 = 50;

    fn policy() -> Policy {
        Policy {
            mentions: true,
            direct_messages: true,
            listen_channels: HashSet::from([ChannelId::new(LISTEN)]),
            default_visibility: Visibility::Private,
            counselor_roles: Vec::new(),
        }
    }

    fn facts(content: &str) -> MessageFacts<'_> {
        MessageFacts {
            author: UserId::new(1),
            author_is_bot: false,
            from_webhook: false,
            typed_by_user: true,
            is_direct: false,
            channel: ChannelId::new(7),
            parent: None,
            content,
            mentioned: &[],
            mentioned_roles: &[],
            guild: Some(GuildId::new(3)),
            bot_role: None,
        }
    }

    fn decide(message: &MessageFacts<'_>) -> Option<Addressing> {
        addressing(message, &policy(), Some(UserId::new(BOT)))
    }

    #[test]
    fn mentions_of_the_bot_in_both_forms() {
        let bot = UserId::new(BOT);
        assert!(mentions_user("<@900> salary?", bot));
        assert!(mentions_user("hey <@!900>", bot));
        assert!(!mentions_user("<@9000> salary?", bot));
        assert!(!mentions_user("<@90> <@&900> <#900>", bot));
        assert!(!mentions_user("900 <@", bot));
        assert_eq!(
            decide(&facts("<@900> what's the pay")),
            Some(Addressing::Mention)
        );
        assert_eq!(decide(&facts("what's the pay")), None);
    }

    #[test]
    fn a_reply_that_pings_the_bot_addresses_it() {
        let mut bot = User::default();
        bot.id = UserId::new(BOT);
        let mentioned = [bot];
        let mut reply = facts("and the pay?");
        reply.mentioned = &mentioned;
        assert_eq!(decide(&reply), Some(Addressing::Mention));
    }

    #[test]
    fn a_mention_of_the_bots_own_role_addresses_it() {
        let roles = [RoleId::new(70)];
        let mut message = facts("salary?");
        message.mentioned_roles = &roles;
        assert!(may_mention_bot_role(&message, &policy()));
        assert_eq!(decide(&message), None, "role not known yet");
        message.bot_role = Some(RoleId::new(70));
        assert_eq!(decide(&message), Some(Addressing::Mention));
        message.bot_role = Some(RoleId::new(71));
        assert_eq!(decide(&message), None, "another role");
    }

    #[test]
    fn only_recent_edits_are_answered() {
        assert!(edit_is_recent(1000, 1000));
        assert!(edit_is_recent(1000, 1060));
        assert!(!edit_is_recent(1000, 1061));
        assert!(!edit_is_recent(1000, 999));
    }

    #[test]
    fn a_thread_under_a_listen_channel_is_listened_to() {
        let mut in_thread = facts("pay?");
        in_thread.channel = ChannelId::new(60);
        assert!(may_be_in_listen_thread(&in_thread, &policy()));
        assert_eq!(decide(&in_thread), None, "parent not known yet");
        in_thread.parent = Some(ChannelId::new(LISTEN));
        assert!(!may_be_in_listen_thread(&in_thread, &policy()));
        assert_eq!(decide(&in_thread), Some(Addressing::ListenChannel));
        let mut other = facts("pay?");
        other.parent = Some(ChannelId::new(61));
        assert_eq!(decide(&other), None);
    }

    #[test]
    fn dms_and_listen_channels() {
        let mut dm = facts("pay?");
        dm.is_direct = true;
        assert_eq!(decide(&dm), Some(Addressing::Direct));
        let mut listen = facts("pay?");
        listen.channel = ChannelId::new(LISTEN);
        assert_eq!(decide(&listen), Some(Addressing::ListenChannel));
        let mut mention_in_listen = facts("<@900> pay?");
        mention_in_listen.channel = ChannelId::new(LISTEN);
        assert_eq!(decide(&mention_in_listen), Some(Addressing::Mention));
    }

    #[test]
    fn bots_webhooks_system_messages_and_itself_are_ignored() {
        let mut own = facts("<@900> pay?");
        own.author = UserId::new(BOT);
        let mut other_bot = facts("<@900> pay?");
        other_bot.author_is_bot = true;
        let mut webhook = facts("<@900> pay?");
        webhook.from_webhook = true;
        let mut system = facts("<@900> pay?");
        system.typed_by_user = false;
        for message in [own, other_bot, webhook, system] {
            assert_eq!(decide(&message), None, "{message:?}");
        }
        assert_eq!(
            addressing(&facts("<@900> pay?"), &policy(), None),
            None,
            "before READY"
        );
    }

    #[test]
    fn policy_switches_turn_sources_off() {
        let mut quiet = policy();
        quiet.mentions = false;
        quiet.direct_messages = false;
        let bot = Some(UserId::new(BOT));
        assert_eq!(addressing(&facts("<@900> pay?"), &quiet, bot), None);
        let mut dm = facts("pay?");
        dm.is_direct = true;
        assert_eq!(addressing(&dm, &quiet, bot), None);
    }

    fn reply(kind: ReplyKind) -> Reply {
        let answer = Answer {
            intent: Some(Intent::Salary),
            title: "t".into(),
            body: "b".into(),
            fields: vec![],
            source: None,
            follow_ups: vec![],
        };
        Reply {
            intents: vec![],
            kind,
            answers: vec![answer],
        }
    }

    #[test]
    fn only_public_answers_to_students_other_than_small_talk_are_limited() {
        use Addressing::{Direct, ListenChannel, Mention};
        assert!(is_limited(Mention, ReplyKind::Answered, false));
        assert!(is_limited(ListenChannel, ReplyKind::Answered, false));
        assert!(is_limited(Mention, ReplyKind::OutOfScope, false));
        assert!(!is_limited(Direct, ReplyKind::Answered, false));
        assert!(!is_limited(Mention, ReplyKind::SmallTalk, false));
        assert!(!is_limited(Mention, ReplyKind::Answered, true));
    }

    #[test]
    fn off_topic_is_answered_only_when_addressed() {
        for kind in [
            ReplyKind::OutOfScope,
            ReplyKind::Empty,
            ReplyKind::SmallTalk,
        ] {
            assert!(answers_to_send(&reply(kind), Addressing::Mention).is_some());
            assert!(answers_to_send(&reply(kind), Addressing::Direct).is_some());
            assert!(answers_to_send(&reply(kind), Addressing::ListenChannel).is_none());
        }
        assert!(answers_to_send(&reply(ReplyKind::Answered), Addressing::ListenChannel).is_some());
    }
}
