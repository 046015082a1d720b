//! What the Discord front end keeps in the store, and the claim that stops
//! two processes answering one message.
//!
//! Which questions are logged ([`worth_logging`]):
//! - addressed to the bot (a mention, a DM, `/ask`): every one, whatever
//!   the answer, since the student meant to ask the bot, and what it could
//!   not answer is exactly what counselors want to see;
//! - in a listen channel without a mention: only messages that got a
//!   topic, touched an aspect the knowledge does not cover, or came close
//!   enough to a topic for a "did you mean". Everything else said in such
//!   a channel is conversation among students, not a question to the bot,
//!   and is neither answered nor kept.
//!
//! DMs are logged only with `store.log_direct_messages` (the log's policy
//! decides; see [`crate::store::writer::QuestionLog::question`]). The user
//! is passed as `discord:<id>` and only its salted hash is stored.
//!
//! Logging is queued ([`crate::store::writer::QuestionLog`]) and never
//! awaited. The one store call a free-text answer waits for is the claim
//! ([`claim`]), made only when the store is shared by several processes
//! (PostgreSQL); a single process on SQLite needs none. A claim waits at
//! most [`CLAIM_TIMEOUT`]; one that fails or takes longer answers anyway (a
//! store outage must never lose a question, and a double
//! answer is the lesser harm), and pauses claims for
//! [`CLAIM_PAUSE_SECONDS`], so an outage delays one answer, not every
//! one. A question is logged by the process that
//! answers it, after its claim. A listen-channel message logged without an
//! answer (a "did you mean" nobody asked for) is not claimed, since the
//! claim would stop the answer if an edit then mentions the bot; in the
//! rare hand-over where two processes both see it, it is counted twice.

use std::time::Duration;

use serenity::all::{ChannelId, GuildId, MessageId, UserId};

use super::messages::Addressing;
use crate::answer::{Reply, ReplyKind};
use crate::engine::Classification;
use crate::store::record::Place;
use crate::store::{unix_now, Store};

/// The longest a free-text answer waits for its claim before it answers
/// anyway (a store that is down would otherwise hold every answer for the
/// pool's connection timeout).
pub const CLAIM_TIMEOUT: Duration = Duration::from_secs(2);

/// After a claim fails or times out, this process answers without
/// claiming for this long, so an outage delays one answer, not every one.
pub const CLAIM_PAUSE_SECONDS: i64 = 30;

/// What the log says when another process already answers a message.
pub const ALREADY_CLAIMED: &str = "already claimed by another process";

/// Where something happened on Discord, as the store records it.
pub fn place(guild: Option<GuildId>, channel: ChannelId) -> Place {
    Place {
        front_end: "discord",
        guild_id: guild.map(GuildId::get),
        channel_id: Some(channel.get()),
    }
}

/// The user as the question log takes it (hashed there, never stored).
pub fn user_key(user: UserId) -> String {
    format!("discord:{user}")
}

/// Whether a free-text message read as `addressing`, classified as
/// `classification` and answered with `reply`, belongs in the question
/// log (see the module documentation).
pub fn worth_logging(
    addressing: Addressing,
    classification: &Classification,
    reply: &Reply,
) -> bool {
    match addressing {
        Addressing::Mention | Addressing::Direct => true,
        Addressing::ListenChannel => {
            reply.kind == ReplyKind::Answered
                || !classification.uncovered().is_empty()
                || !classification.suggestions.is_empty()
        }
    }
}

/// Whether this process should answer `message`: always on a store of
/// its own; on a shared store, when its claim succeeds. A store that fails
/// answers anyway (logged).
pub async fn claim(store: Option<&Store>, message: MessageId) -> bool {
    let Some(store) = store.filter(|store| store.url().is_shared()) else {
        return true;
    };
    let now = unix_now();
    if store.claims_paused(now) {
        tracing::debug!(message = %message, "claims paused after a failure; answering unclaimed");
        return true;
    }
    match tokio::time::timeout(CLAIM_TIMEOUT, store.claim(message.get(), now)).await {
        Ok(Ok(true)) => true,
        Ok(Ok(false)) => {
            tracing::info!(message = %message, "{ALREADY_CLAIMED}; not answering");
            false
        }
        Ok(Err(error)) => {
            store.pause_claims(now + CLAIM_PAUSE_SECONDS);
            tracing::warn!(
                message = %message,
                %error,
                pause_seconds = CLAIM_PAUSE_SECONDS,
                "could not claim the message in the store; answering anyway, unclaimed for a while"
            );
            true
        }
        Err(_) => {
            store.pause_claims(now + CLAIM_PAUSE_SECONDS);
            tracing::warn!(
                message = %message,
                timeout = ?CLAIM_TIMEOUT,
                pause_seconds = CLAIM_PAUSE_SECONDS,
                "the store did not take the claim in time; answering anyway, unclaimed for a while"
            );
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::CareerBot;

    fn verdict(text: &str) -> (Classification, Reply) {
        let bot = CareerBot::from_embedded().expect("the embedded knowledge loads");
        let classification = bot.classify(text);
        let reply = bot.reply_to(&classification);
        (classification, reply)
    }

    #[test]
    fn addressed_questions_are_always_logged() {
        for text in [
            "what is the weather like on mars",
            "what does it pay?",
            "hi",
        ] {
            let (classification, reply) = verdict(text);
            for addressing in [Addressing::Mention, Addressing::Direct] {
                assert!(worth_logging(addressing, &classification, &reply), "{text}");
            }
        }
    }

    #[test]
    fn listen_channels_log_only_what_touches_the_career() {
        let (classification, reply) = verdict("what does it pay?");
        assert!(worth_logging(
            Addressing::ListenChannel,
            &classification,
            &reply
        ));
        let (classification, reply) = verdict("anyone up for lunch at noon?");
        assert!(!worth_logging(
            Addressing::ListenChannel,
            &classification,
            &reply
        ));
    }

    #[test]
    fn places_and_users() {
        let here = place(Some(GuildId::new(3)), ChannelId::new(7));
        assert_eq!(here.front_end, "discord");
        assert_eq!(here.guild_id, Some(3));
        assert_eq!(here.channel_id, Some(7));
        assert_eq!(place(None, ChannelId::new(8)).guild_id, None);
        assert_eq!(user_key(UserId::new(42)), "discord:42");
    }
}
