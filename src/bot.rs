//! The career bot as front ends see it: a message in, a [`Reply`] out.
//!
//! [`CareerBot`] joins the validated knowledge, the compiled intent table and
//! the answer composer. It is immutable and `Send + Sync`: share it behind an
//! `Arc`, and swap the whole `Arc` to reload knowledge. No I/O happens here
//! except in the constructors that load files.

use std::path::Path;

use crate::answer::{compose::Composer, Answer, Reply, ReplyKind};
use crate::engine::{Classification, Engine};
use crate::intent::{Ask, Intent};
use crate::knowledge::{Knowledge, KnowledgeError, KnowledgeSource};

/// Knowledge, engine and composer, ready to answer.
#[derive(Debug)]
pub struct CareerBot {
    knowledge: Knowledge,
    engine: Engine,
}

impl CareerBot {
    /// The bot built from the knowledge files compiled into the binary.
    pub fn from_embedded() -> Result<CareerBot, KnowledgeError> {
        Ok(CareerBot::new(Knowledge::embedded()?))
    }

    /// The bot built from the knowledge files in `dir`.
    pub fn from_dir(dir: &Path) -> Result<CareerBot, KnowledgeError> {
        Ok(CareerBot::new(Knowledge::from_dir(dir)?))
    }

    /// The bot built from the knowledge `source` names.
    pub fn from_source(source: &KnowledgeSource) -> Result<CareerBot, KnowledgeError> {
        Ok(CareerBot::new(source.load()?))
    }

    /// The bot built from already validated knowledge.
    pub fn new(knowledge: Knowledge) -> CareerBot {
        let engine = Engine::new(&knowledge);
        CareerBot { knowledge, engine }
    }

    /// The validated knowledge this bot answers from.
    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    /// The engine, for the store's grouping of similar questions.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Which intents `message` asks about, with the evidence for each.
    pub fn classify(&self, message: &str) -> Classification {
        self.engine.classify(message)
    }

    /// How `classification` of `message` was reached, with the examples
    /// nearest to each question found, for `ask --explain`.
    pub fn explain(&self, classification: &Classification, message: &str) -> String {
        use std::fmt::Write;
        let mut out = classification.explain();
        let _ = write!(out, "\nnearest examples:");
        for (example, similarity) in
            self.engine
                .nearest_examples(&self.knowledge.examples, message, 5)
        {
            let _ = write!(
                out,
                "\n  {similarity:.2} {:<16} {:?}",
                example.label.name(),
                example.text
            );
        }
        out
    }

    /// The full reply to a free-text message.
    pub fn reply(&self, message: &str) -> Reply {
        let classification = self.classify(message);
        self.reply_to(&classification)
    }

    /// The reply for a message that was already classified: the answers
    /// to its questions in the asker's order, or, when it asks nothing the
    /// bot answers, the short "here is what I can answer".
    pub fn reply_to(&self, classification: &Classification) -> Reply {
        let composer = self.composer();
        let intents = classification.intents.clone();
        if classification.is_empty_message {
            return Reply {
                intents,
                kind: ReplyKind::Empty,
                answers: vec![composer.capabilities(&[])],
            };
        }
        // The engine reports small talk in `intents` only; every intent
        // without a question of its own is answered after the questions.
        let mut asks = classification.asks.clone();
        for &intent in &classification.intents {
            if !asks.iter().any(|ask| ask.intent == Some(intent)) {
                asks.push(Ask {
                    intent: Some(intent),
                    ..Ask::default()
                });
            }
        }
        let answers = composer.reply(&asks);
        if answers.is_empty() {
            return Reply {
                intents,
                kind: ReplyKind::OutOfScope,
                answers: vec![composer.capabilities(&classification.suggestions)],
            };
        }
        let on_topic = asks.iter().any(|ask| {
            ask.intent.is_some_and(Intent::is_topic)
                || !ask.aspects.is_empty()
                || !ask.uncovered.is_empty()
        });
        let small_talk = asks
            .iter()
            .any(|ask| ask.intent.is_some_and(|intent| !intent.is_topic()));
        let kind = if on_topic {
            ReplyKind::Answered
        } else if small_talk {
            ReplyKind::SmallTalk
        } else {
            ReplyKind::OutOfScope
        };
        Reply {
            intents,
            kind,
            answers,
        }
    }

    /// The answer to one intent, as a slash command gives it.
    pub fn answer(&self, intent: Intent) -> Answer {
        self.composer().answer(intent)
    }

    /// Where the facts come from and how old they are.
    pub fn sources(&self) -> Answer {
        self.composer().sources()
    }

    /// The short "here is what I can answer" reply.
    pub fn capabilities(&self) -> Answer {
        self.composer().capabilities(&[])
    }

    fn composer(&self) -> Composer<'_> {
        Composer::new(&self.knowledge)
    }
}
