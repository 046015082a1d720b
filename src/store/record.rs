//! What the store keeps of a question or a vote, built from the bot's
//! verdict without I/O: which questions are worth a counselor's look, the
//! outcome in one word, and the asker as a salted hash (never a user id).
//!
//! Pure and synchronous; the store ([`super::Store`]) writes these rows and
//! the background writer ([`super::writer`]) queues them.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::answer::{Reply, ReplyKind};
use crate::engine::Classification;
use crate::intent::Intent;

/// An answer below this top score is kept for review as "low confidence"
/// (the engine takes a topic from 0.45).
pub const LOW_CONFIDENCE: f32 = 0.6;

/// How a question was answered, as the store and the stats name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// A topic, confidently.
    Answered,
    /// A topic, but the classifier's score was low.
    LowConfidence,
    /// No topic; a "did you mean" was offered.
    DidYouMean,
    /// No topic at all (off topic, or unreadable).
    NoTopic,
    /// Only about something the source does not cover.
    Uncovered,
    /// Small talk (hello, thanks): counted, never reviewed.
    SmallTalk,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 6] = [
        Outcome::Answered,
        Outcome::LowConfidence,
        Outcome::DidYouMean,
        Outcome::NoTopic,
        Outcome::Uncovered,
        Outcome::SmallTalk,
    ];

    /// The name stored in the `outcome` column.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::LowConfidence => "low_confidence",
            Outcome::DidYouMean => "did_you_mean",
            Outcome::NoTopic => "no_topic",
            Outcome::Uncovered => "uncovered",
            Outcome::SmallTalk => "small_talk",
        }
    }

    /// The outcome stored as `name`.
    pub fn from_name(name: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.name() == name)
    }

    /// Whether a counselor should see the question in `review`: the bot
    /// answered nothing, guessed, or could only say the source is silent.
    pub fn wants_review(self) -> bool {
        !matches!(self, Outcome::Answered | Outcome::SmallTalk)
    }

    /// Whether the question got a topic's answer.
    pub fn is_answered(self) -> bool {
        matches!(self, Outcome::Answered | Outcome::LowConfidence)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a question was asked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// `"discord"` or `"terminal"`.
    pub front_end: &'static str,
    /// The server, if any.
    pub guild_id: Option<u64>,
    /// The channel (a DM channel for DMs), if any.
    pub channel_id: Option<u64>,
}

/// One question as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionRecord {
    /// Unix seconds.
    pub asked_at: i64,
    /// Where it was asked.
    pub place: Place,
    /// The asker's salted hash ([`AskerHasher`]), to count distinct askers.
    pub asker: Option<String>,
    /// How it was answered.
    pub outcome: Outcome,
    /// The topics answered, in [`Intent::ALL`] order.
    pub topics: Vec<Intent>,
    /// Aspects asked (covered or not).
    pub aspects: Vec<String>,
    /// Aspects the source does not cover.
    pub uncovered: Vec<String>,
    /// The topic the engine found closest (the answer's, or the "did you
    /// mean"), for review.
    pub suggestion: Option<Intent>,
    /// The normalised text, kept only when the question wants review
    /// (answered questions are counted, not kept).
    pub text: Option<String>,
}

impl QuestionRecord {
    /// The record of a message the bot classified and answered with
    /// `reply`; `normalized` gives the engine's normalised text of it,
    /// called only when the text is kept (most questions are answered and
    /// keep none).
    pub fn new(
        classification: &Classification,
        reply: &Reply,
        normalized: impl FnOnce() -> String,
        place: Place,
        asker: Option<String>,
        asked_at: i64,
    ) -> QuestionRecord {
        let topics: Vec<Intent> = classification
            .intents
            .iter()
            .copied()
            .filter(|intent| intent.is_topic())
            .collect();
        let uncovered = classification.uncovered();
        let outcome = outcome(classification, reply, &topics, &uncovered);
        let suggestion = topics
            .first()
            .copied()
            .or_else(|| classification.suggestions.first().copied())
            .or_else(|| closest_topic(classification));
        QuestionRecord {
            asked_at,
            place,
            asker,
            outcome,
            topics,
            aspects: classification.aspects(),
            uncovered,
            suggestion,
            text: outcome.wants_review().then(normalized),
        }
    }
}

/// The outcome of one classified message.
fn outcome(
    classification: &Classification,
    reply: &Reply,
    topics: &[Intent],
    uncovered: &[String],
) -> Outcome {
    if !uncovered.is_empty() && topics.is_empty() {
        return Outcome::Uncovered;
    }
    if !topics.is_empty() {
        let weakest = classification
            .questions
            .iter()
            .filter_map(|question| question.top.first())
            .filter(|(label, _)| label.intent().is_some_and(Intent::is_topic))
            .map(|(_, score)| *score)
            .fold(f32::INFINITY, f32::min);
        return if weakest < LOW_CONFIDENCE {
            Outcome::LowConfidence
        } else if !uncovered.is_empty() {
            // Part of it was answered, part is a gap the source leaves:
            // worth a look, reported under the gap.
            Outcome::Uncovered
        } else {
            Outcome::Answered
        };
    }
    if reply.kind == ReplyKind::SmallTalk {
        return Outcome::SmallTalk;
    }
    if !classification.suggestions.is_empty() {
        return Outcome::DidYouMean;
    }
    Outcome::NoTopic
}

/// The topic among a message's questions' top scores that scored best,
/// even below the engine's thresholds: review's suggestion when the bot
/// answered nothing.
fn closest_topic(classification: &Classification) -> Option<Intent> {
    classification
        .questions
        .iter()
        .flat_map(|question| question.top.iter())
        .filter_map(|(label, score)| {
            let intent = label.intent()?;
            intent.is_topic().then_some((intent, *score))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(intent, _)| intent)
}

/// A 👍 or 👎 on an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackRecord {
    /// The answer's message id (one vote per asker and answer; a second
    /// vote replaces the first).
    pub message_id: u64,
    /// Unix seconds.
    pub given_at: i64,
    /// Where the answer is.
    pub place: Place,
    /// The voter's salted hash.
    pub asker: String,
    /// The topics the answer covered.
    pub topics: Vec<Intent>,
    /// 👍 (true) or 👎 (false).
    pub helpful: bool,
}

/// What a 👎 voter said they were looking for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackComment {
    /// The answer's message id.
    pub message_id: u64,
    /// The voter's salted hash.
    pub asker: String,
    /// Their words, trimmed, at most [`COMMENT_LIMIT`] characters.
    pub comment: String,
}

/// The longest comment kept, in characters (a modal's text input allows
/// this many).
pub const COMMENT_LIMIT: usize = 1000;

/// Hashes user ids with the store's secret salt, so distinct askers can be
/// counted while no id is stored. The salt never leaves the store.
#[derive(Clone)]
pub struct AskerHasher {
    salt: [u8; 32],
}

impl fmt::Debug for AskerHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AskerHasher(..)")
    }
}

impl AskerHasher {
    /// A hasher with `salt`.
    pub fn new(salt: [u8; 32]) -> AskerHasher {
        AskerHasher { salt }
    }

    /// The hash of `user_id` (`"discord:123"`, `"terminal"`): 32 hex
    /// digits of SHA-256 over the salt and the id.
    pub fn hash(&self, user_id: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.salt);
        hasher.update(user_id.as_bytes());
        let digest = hasher.finalize();
        let mut out = String::with_capacity(32);
        for byte in &digest[..16] {
            out.push_str(&format!("{byte:02x}"));
        }
        out
    }
}

/// Comma-joined names, as the store keeps lists.
pub fn join_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().collect::<Vec<_>>().join(",")
}

/// The names in a comma-joined list.
pub fn split_names(joined: &str) -> Vec<String> {
    joined
        .split(',')
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::CareerBot;

    fn record_of(bot: &CareerBot, message: &str) -> QuestionRecord {
        let classification = bot.classify(message);
        let reply = bot.reply_to(&classification);
        QuestionRecord::new(
            &classification,
            &reply,
            || message.to_lowercase(),
            Place::default(),
            None,
            0,
        )
    }

    #[test]
    fn outcomes_decide_what_is_kept_for_review() {
        let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
        // (message, expected outcome)
        let table = [
            ("what is the median salary", Outcome::Answered),
            ("can i work from home", Outcome::Uncovered),
            ("what's the weather tomorrow in paris", Outcome::NoTopic),
            ("thanks!", Outcome::SmallTalk),
        ];
        for (message, expected) in table {
            let record = record_of(&bot, message);
            assert_eq!(record.outcome, expected, "{message:?}");
            assert_eq!(
                record.text.is_some(),
                expected.wants_review(),
                "{message:?}: text is kept only for review"
            );
        }
    }

    #[test]
    fn a_confident_answer_names_its_topic_as_the_suggestion() {
        let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
        let record = record_of(&bot, "what is the median salary");
        assert_eq!(record.topics, vec![Intent::Salary]);
        assert_eq!(record.suggestion, Some(Intent::Salary));
    }

    #[test]
    fn outcome_names_round_trip() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::from_name(outcome.name()), Some(outcome));
        }
        assert_eq!(Outcome::from_name("nope"), None);
    }

    #[test]
    fn asker_hashes_depend_on_the_salt_and_hide_the_id() {
        let a = AskerHasher::new([1; 32]);
        let b = AskerHasher::new([2; 32]);
        let hash = a.hash("discord:42");
        assert_eq!(hash.len(), 32);
        assert!(!hash.contains("42") || hash != "42");
        assert_eq!(hash, a.hash("discord:42"), "stable for one salt");
        assert_ne!(hash, a.hash("discord:43"));
        assert_ne!(hash, b.hash("discord:42"), "another store, another hash");
    }

    #[test]
    fn names_join_and_split() {
        assert_eq!(join_names(["a", "b"]), "a,b");
        assert_eq!(split_names("a,b"), vec!["a", "b"]);
        assert!(split_names("").is_empty());
    }
}
