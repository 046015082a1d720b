//! Free-text messages: deciding whether a message is addressed to the bot,
//! and replying to it.
//!
//! The bot answers when mentioned, in DMs, and in listen channels. It ignores
//! its own messages, other bots, webhooks and system messages. Replies
//! reference the asking message and carry allowed mentions that allow
//! nothing. Off-topic or empty messages get the short "what I can answer"
//! reply when the bot was addressed (mention or DM), and no reply at all in
//! a listen channel where nobody addressed it.
//!
//! Delivery: replies in a channel go out in the order the questions were
//! asked ([`super::order`]), each request retried on transient failures
//! ([`super::delivery`]); a reply that cannot be delivered is reported with
//! the message and channel it answers. Replies do not fail when the
//! question was deleted meanwhile (`fail_if_not_exists: false`: Discord
//! then posts them as plain messages).

use std::time::Instant;

use serenity::all::{
    ChannelId, Context, CreateMessage, Message, MessageReference, MessageType, Ready, UserId,
};

use super::cooldown::{wait_seconds, Verdict};
use super::delivery::{with_retries, RetryPolicy};
use super::handler::{Handler, HandlerError, Policy};
use super::render::{no_pings, plan_messages, to_embeds};
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
    /// The raw text.
    pub content: &'a str,
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
            content: &message.content,
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
    if policy.mentions && mentions_user(message.content, bot_user) {
        return Some(Addressing::Mention);
    }
    policy
        .listen_channels
        .contains(&message.channel)
        .then_some(Addressing::ListenChannel)
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
pub fn answers_to_send(reply: Reply, addressing: Addressing) -> Option<Vec<Answer>> {
    match (reply.kind, addressing) {
        (ReplyKind::Answered, _) => Some(reply.answers),
        (_, Addressing::ListenChannel) => None,
        (ReplyKind::SmallTalk | ReplyKind::OutOfScope | ReplyKind::Empty, _) => Some(reply.answers),
    }
}

/// The one notice a cooled-down user gets for free text.
pub fn cooldown_notice(seconds: u64) -> String {
    format!("You're asking quickly: I'll answer again in {seconds} s.")
}

/// Starts queueing replies in question order on the shard that sent
/// `ready` (see [`super::order`]): every message the bot considers gets a
/// place in its channel's line, in gateway order.
pub fn order_replies(handler: &Handler, ctx: &Context, ready: &Ready) {
    let policy = handler.policy().clone();
    let bot_user = ready.user.id;
    let shard = ready.shard.map_or(0, |shard| shard.id.0);
    handler
        .reply_order()
        .install(&ctx.shard, shard, move |message| {
            addressing(&MessageFacts::of(message), &policy, Some(bot_user)).is_some()
        });
}

/// A reference to `message` for a reply that is still posted, as a plain
/// message, if `message` was deleted meanwhile.
pub fn reply_reference(message: &Message) -> MessageReference {
    MessageReference::from(message).fail_if_not_exists(false)
}

/// Handles one gateway message.
pub async fn handle_message(
    handler: &Handler,
    ctx: &Context,
    message: &Message,
) -> Result<(), HandlerError> {
    // Take the message's place in its channel's line first; dropping `turn`
    // on any return lets the next reply in the channel go.
    let turn = handler
        .reply_order()
        .check_in(message.channel_id, message.id);
    let facts = MessageFacts::of(message);
    let Some(addressing) = addressing(&facts, handler.policy(), handler.bot_user_id()) else {
        return Ok(());
    };
    let reply = handler.bot().reply(&message.content);
    tracing::debug!(
        message = %message.id,
        channel = %message.channel_id,
        ?addressing,
        kind = ?reply.kind,
        intents = ?reply.intents,
        "free-text message"
    );
    let Some(answers) = answers_to_send(reply, addressing) else {
        return Ok(());
    };
    match handler.check_cooldown(message.author.id, Instant::now()) {
        Verdict::Allowed => {
            turn.wait().await;
            send_answers(ctx, message, &answers).await
        }
        Verdict::CoolingDown {
            remaining,
            first_refusal: true,
        } => {
            let notice = CreateMessage::new()
                .content(cooldown_notice(wait_seconds(remaining)))
                .reference_message(reply_reference(message))
                .allowed_mentions(no_pings());
            turn.wait().await;
            let what = format!(
                "cooldown notice to message {} in channel {}",
                message.id, message.channel_id
            );
            send(ctx, message.channel_id, notice, what).await
        }
        Verdict::CoolingDown { .. } => Ok(()),
    }
}

/// Sends `answers` as replies to `message`: the first message references it,
/// any overflow follows in the same channel. If a part cannot be delivered,
/// the rest is not sent (it would follow a missing beginning) and the error
/// says so.
async fn send_answers(
    ctx: &Context,
    message: &Message,
    answers: &[Answer],
) -> Result<(), HandlerError> {
    let parts = plan_messages(answers);
    for (index, embeds) in parts.iter().enumerate() {
        let mut reply = CreateMessage::new()
            .embeds(to_embeds(embeds))
            .allowed_mentions(no_pings());
        if index == 0 {
            reply = reply.reference_message(reply_reference(message));
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

/// Posts `builder` in `channel`, retrying transient failures; `what` names
/// it in the log and in the error.
async fn send(
    ctx: &Context,
    channel: ChannelId,
    builder: CreateMessage,
    what: String,
) -> Result<(), HandlerError> {
    with_retries(RetryPolicy::default(), &what, || {
        channel.send_message(&ctx.http, builder.clone())
    })
    .await
    .map(|_| ())
    .map_err(|source| HandlerError::Undelivered { what, source })
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
            content,
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
    fn off_topic_is_answered_only_when_addressed() {
        for kind in [
            ReplyKind::OutOfScope,
            ReplyKind::Empty,
            ReplyKind::SmallTalk,
        ] {
            assert!(answers_to_send(reply(kind), Addressing::Mention).is_some());
            assert!(answers_to_send(reply(kind), Addressing::Direct).is_some());
            assert!(answers_to_send(reply(kind), Addressing::ListenChannel).is_none());
        }
        assert!(answers_to_send(reply(ReplyKind::Answered), Addressing::ListenChannel).is_some());
    }
}
