//! The engine: which questions a message asks, about what, and why.
//!
//! [`Engine::classify`] runs these stages, each in its own module:
//!
//! 1. [`normalize`]: Discord markup, emoji, slang and case away; words and
//!    the breaks between them.
//! 2. [`questions`]: the sentences that ask (background sentences add no
//!    topic, but say whom the questions are about and that they are about
//!    the career; a question that points back, or only checks a claim
//!    ("is that true?"), is read again with the sentence before it), each
//!    cut into clauses.
//! 3. [`fuzzy`]: words the examples never use are corrected to a close word
//!    they do use ("salery" → "salary").
//! 4. [`features`] and [`classifier`]: hashed word and character n-grams,
//!    scored by a logistic-regression model trained from
//!    `knowledge/examples/` when the engine is built.
//! 5. [`guards`]: the subject of each question (another occupation gets no
//!    career answer), the aspects asked, the figures stated.
//! 6. Decide: a label is taken when its probability clears [`ACCEPT`] with
//!    a [`MARGIN`] over the next (a topic of a question that names this
//!    career, `NAMED_ACCEPT`); a topic that only reaches [`SUGGEST`]
//!    becomes a "did you mean", never an answer. A question read as a gap
//!    the source leaves gets the gap's topic only when the aspect asks it
//!    (`asks_topic`: "will AI replace them" gets the outlook, with a note).
//!    The bars are defined here, with the reading of a whole question
//!    (`Reading::taken`, `take_whole`); `decide` applies them to a
//!    sentence's clauses and to the sentences around it, and combines a
//!    message's questions in the asker's order.
//!
//! `training` builds the classifier from the examples when the engine is
//! built, and cross-validates it for `career-bot knowledge check`.
//!
//! Nothing here names a career: names, aliases, examples and aspects all
//! come from the knowledge. Pure and deterministic: no I/O, no clock, no
//! randomness beyond the training shuffle's fixed seed. Every regex is
//! compiled once, when the knowledge loads.

pub mod classifier;
mod decide;
pub mod features;
pub mod fuzzy;
pub mod guards;
pub mod normalize;
pub mod questions;
mod training;

use decide::what_they_do;
pub use training::{cross_validate, CrossValidation};
use training::{example_words, sample_words, train, training_samples};

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::intent::{Ask, Intent, StatedFigure};
use crate::knowledge::{Aspect, AspectCatalogue, Example, ExampleLabel, Knowledge};
use classifier::{Model, TrainingPlan, TrainingSet};
use features::{Feature, WordPair};
use fuzzy::KeywordIndex;
use guards::{Guards, Subject};
use normalize::Normalizer;
use questions::Sentence;

/// Probability a label needs to be taken.
pub const ACCEPT: f32 = 0.45;
/// How far the taken label must lead the next one.
pub const MARGIN: f32 = 0.15;
/// Probability at which a topic not taken is offered as "did you mean".
pub const SUGGEST: f32 = 0.25;
/// A topic in a question with no sign it is about a career ("how much do i
/// pay this month") needs this much.
pub const ACCEPT_WITHOUT_CONTEXT: f32 = 0.75;
/// ...unless the classifier gives everyday requests (`off_topic`) less than
/// this: the stricter bar is there to keep everyday requests out, and a
/// question it sees no trace of one in ("how much school do i need") is
/// held to [`ACCEPT`].
pub const EVERYDAY_AT_MOST: f32 = 0.05;
/// ...or a topic at least [`CLAUSE_ACCEPT`] and this many times as likely
/// as an everyday request. (At 10, short questions such as "is school
/// long" got only "did you mean"; at 6, a request for a laptop for online
/// classes got the schooling answer.)
pub const EVERYDAY_RATIO: f32 = 8.0;
/// A topic in one clause of a question with no sign it is about a career
/// needs this (a clause of a question about one needs [`ACCEPT`]); so does
/// a whole such question that leads everyday requests by
/// [`EVERYDAY_RATIO`].
const CLAUSE_ACCEPT: f32 = 0.6;
/// A clause this sure of a career topic shows what its sibling clauses are
/// about: they are held to [`ACCEPT`], as in a question about the career,
/// and one that opens with a question word needs no support from the
/// whole question. (As sure as a topic with no context must be.)
const SURE_SIBLING: f32 = ACCEPT_WITHOUT_CONTEXT;
/// A clause's topic that the whole question gives less than
/// [`CLAUSE_SUPPORT`] needs this much in the clause to count.
const CLAUSE_ALONE: f32 = 0.65;
/// See [`CLAUSE_ALONE`].
const CLAUSE_SUPPORT: f32 = 0.05;
/// Two kinds of small talk, the best two labels, that together reach this
/// are both taken.
const SMALL_TALK_TOGETHER: f32 = 0.75;
/// Least probability of pay (or growth) for a stated amount (or
/// percentage) in a question about the career to mean it asks that.
const FIGURE_LEAD: f32 = 0.15;
/// Longest bare clause read as going on the one before it when that one
/// asked nothing of the career.
const MAX_BARE_WORDS: usize = 2;
/// An amount at least this large, asked of "it", reads as a year's pay
/// ("is 40k normal for this").
const YEARLY_PAY_AT_LEAST: f64 = 10_000.0;
/// Words that make an amount pay: so much a year, an hour.
const PAY_PERIODS: &[&str] = &[
    "year", "yr", "annually", "yearly", "hour", "hr", "hourly", "salary",
];
/// A yes/no question read as the overview or related careers with less
/// than this counts only when no other question of the message asks a
/// topic.
const TENTATIVE_BELOW: f32 = 0.65;
/// Most typo look-ups in one message; repeats are answered from a cache.
const MAX_TYPO_LOOKUPS: usize = 32;
/// The bar for a topic in a question that names this career.
const NAMED_ACCEPT: f32 = 0.35;
/// How often the career examples must use a word for it to count as
/// spelt right.
const KNOWN_AFTER: usize = 3;
/// A question this similar (cosine of features) to a taught example of the
/// label it is read as counts as about the career.
const TAUGHT_MATCH: f32 = 0.5;
/// A word is a misspelling of a neighbour used this many times as often.
const TYPO_RATIO: usize = 4;
/// Words shorter than this are never corrected.
const MIN_CORRECTED_LEN: usize = 4;

/// One question of a message as the engine read it, for `--explain`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuestionTrace {
    /// The sentence, normalised and corrected.
    pub text: String,
    /// Typo corrections made: (typed, read).
    pub corrections: Vec<(String, String)>,
    /// The classifier's best labels for the whole sentence.
    pub top: Vec<(ExampleLabel, f32)>,
    /// Each clause read on its own (when there are several): its text and best label.
    pub clauses: Vec<(String, ExampleLabel, f32)>,
    /// Guard rails that fired, in words.
    pub guard_rails: Vec<String>,
    /// What was decided, in words.
    pub decision: String,
}

/// The engine's verdict on one message.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Classification {
    /// Intents answered (topics, or small talk when there is no topic), in
    /// [`Intent::ALL`] order; empty when the bot answers nothing.
    pub intents: Vec<Intent>,
    /// The questions found, in the asker's order: what answers are built from.
    pub asks: Vec<Ask>,
    /// The message had no readable words.
    pub is_empty_message: bool,
    /// Topics that came close, offered as "did you mean" when nothing was taken.
    pub suggestions: Vec<Intent>,
    /// How each question was read.
    pub questions: Vec<QuestionTrace>,
}

impl Classification {
    /// The intents evaluation labels use (see [`Intent::LABELLED`]).
    pub fn labelled_intents(&self) -> Vec<Intent> {
        self.intents
            .iter()
            .copied()
            .filter(|i| i.is_labelled())
            .collect()
    }

    /// Covered aspects asked, in the asker's order, each once.
    pub fn aspects(&self) -> Vec<String> {
        unique(self.asks.iter().flat_map(|ask| ask.aspects.iter()))
    }

    /// Uncovered aspects asked, in the asker's order, each once.
    pub fn uncovered(&self) -> Vec<String> {
        unique(self.asks.iter().flat_map(|ask| ask.uncovered.iter()))
    }

    /// Small talk other than the labelled kinds (goodbye, acknowledgement, insult).
    pub fn small_talk(&self) -> Vec<Intent> {
        self.intents
            .iter()
            .copied()
            .filter(|i| !i.is_labelled())
            .collect()
    }

    /// The clauses read, question by question, joined by " | ": what the
    /// classifier saw of the message.
    pub fn clause_texts(&self) -> Vec<String> {
        self.questions
            .iter()
            .flat_map(|q| {
                if q.clauses.is_empty() {
                    vec![q.text.clone()]
                } else {
                    q.clauses.iter().map(|(text, _, _)| text.clone()).collect()
                }
            })
            .collect()
    }

    /// Human-readable account of the decision, for `ask --explain`.
    pub fn explain(&self) -> String {
        let mut out = String::new();
        for (i, question) in self.questions.iter().enumerate() {
            let _ = writeln!(out, "question {}: {:?}", i + 1, question.text);
            for (typed, read) in &question.corrections {
                let _ = writeln!(out, "  typo: {typed:?} read as {read:?}");
            }
            let top: Vec<String> = question
                .top
                .iter()
                .map(|(label, p)| format!("{label} {p:.2}"))
                .collect();
            let _ = writeln!(out, "  classifier: {}", top.join(", "));
            for (text, label, p) in &question.clauses {
                let _ = writeln!(out, "  clause {text:?}: {label} {p:.2}");
            }
            for rail in &question.guard_rails {
                let _ = writeln!(out, "  guard rail: {rail}");
            }
            let _ = writeln!(out, "  decision: {}", question.decision);
        }
        let names: Vec<&str> = self.intents.iter().map(|i| i.name()).collect();
        let _ = write!(
            out,
            "intents: [{}]  aspects: {:?}  uncovered: {:?}",
            names.join(", "),
            self.aspects(),
            self.uncovered()
        );
        out
    }
}

fn unique<'a>(items: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}

/// A word after typo correction.
#[derive(Clone, Debug)]
struct Word {
    typed: String,
    read: String,
}

/// Typo look-ups done so far for one message.
#[derive(Default)]
struct TypoBudget {
    lookups: usize,
    seen: HashMap<String, String>,
}

/// The classifier's reading of one piece of text.
#[derive(Clone, Debug)]
struct Reading {
    /// (label index, probability), best first.
    ranked: Vec<(usize, f32)>,
}

impl Reading {
    fn best(&self) -> (usize, f32) {
        self.ranked.first().copied().unwrap_or((0, 0.0))
    }

    fn margin(&self) -> f32 {
        let first = self.best().1;
        let second = self.ranked.get(1).map_or(0.0, |r| r.1);
        first - second
    }

    /// The reading with label `label` left out and the rest scaled back
    /// to a whole.
    fn set_aside(&mut self, label: Option<usize>) {
        let Some(label) = label else {
            return;
        };
        let removed: f32 = self
            .ranked
            .iter()
            .filter(|&&(l, _)| l == label)
            .map(|&(_, p)| p)
            .sum();
        self.ranked.retain(|&(l, _)| l != label);
        let rest = 1.0 - removed;
        if rest > f32::EPSILON {
            for (_, p) in &mut self.ranked {
                *p /= rest;
            }
        }
    }

    /// The label taken, if the best one is clear enough.
    fn taken(&self, accept: f32) -> Option<usize> {
        let (label, p) = self.best();
        (p >= accept && self.margin() >= MARGIN).then_some(label)
    }
}

/// What the rest of a message says about one of its questions.
struct MessageContext {
    /// Some sentence of the message names this career.
    names_career: bool,
    /// Some sentence of the message names a related career the source
    /// describes, other than as someone's job.
    names_alternative: bool,
    /// The occupation the sentences before the question last named with a
    /// sign of interest, if not this career: whom a question that names
    /// nobody is about.
    earlier_subject: Option<Subject>,
    /// A question before this one in the message was sure of a topic of
    /// this career ("1. whats the salary 2. how long is school").
    sure_topic_before: bool,
}

/// What one question sentence was found to ask.
#[derive(Default)]
struct SentenceVerdict {
    /// Topics, in the order their clauses came.
    topics: Vec<Intent>,
    small_talk: Vec<Intent>,
    /// Per topic: covered and uncovered aspects.
    aspects: HashMap<Intent, (Vec<String>, Vec<String>)>,
    /// Uncovered aspects asked with no topic left.
    uncovered_alone: Vec<String>,
    other_subject: Option<String>,
    /// Topics close enough to suggest.
    near: Vec<Intent>,
    off_scope: bool,
    /// Figures the sentence states.
    stated: Vec<StatedFigure>,
    /// Its topics give way to other questions' (see [`TENTATIVE_BELOW`]).
    tentative: bool,
    /// The classifier's best probability for the whole sentence.
    best: f32,
}

impl SentenceVerdict {
    /// Whether the sentence was found to ask nothing at all: no topic, no
    /// small talk, nothing out of scope or uncovered, no other subject.
    fn finds_nothing(&self) -> bool {
        self.topics.is_empty()
            && self.small_talk.is_empty()
            && !self.off_scope
            && self.uncovered_alone.is_empty()
            && self.other_subject.is_none()
    }

    /// Adds what another part of the same sentence found.
    fn merge(&mut self, part: SentenceVerdict) {
        for topic in part.topics {
            if !self.topics.contains(&topic) {
                self.topics.push(topic);
            }
        }
        for (topic, (covered, uncovered)) in part.aspects {
            let entry = self.aspects.entry(topic).or_default();
            entry.0.extend(covered);
            entry.1.extend(uncovered);
        }
        self.small_talk.extend(part.small_talk);
        self.uncovered_alone.extend(part.uncovered_alone);
        if self.other_subject.is_none() {
            self.other_subject = part.other_subject;
        }
        self.off_scope |= part.off_scope;
    }
}

/// The trained engine, ready to classify messages.
#[derive(Debug)]
pub struct Engine {
    normalizer: Normalizer,
    joiners: Vec<String>,
    /// Words never corrected: every word the examples use, and the lexicon's.
    known: FxHashSet<String>,
    typo_index: KeywordIndex,
    labels: Vec<ExampleLabel>,
    model: Model,
    guards: Guards,
    aspects: AspectCatalogue,
    /// The examples counselors taught, as features: a question this close
    /// to one of them is about the career even without a career word.
    taught: Vec<(ExampleLabel, Vec<Feature>)>,
}

impl Engine {
    /// Builds the engine and trains its classifier on `knowledge`'s examples.
    pub fn new(knowledge: &Knowledge) -> Engine {
        let table = &knowledge.intents;
        let normalizer = Normalizer::new(&table.lexicon);
        let labels = ExampleLabel::all();
        let mut known: FxHashSet<String> = FxHashSet::default();
        let mut topical_counts: FxHashMap<String, usize> = FxHashMap::default();
        let guards = Guards::new(knowledge, |phrase: &str| {
            normalizer.normalize(phrase).text()
        });
        let normalised = training_samples(knowledge, &normalizer, &guards, &labels);
        let mut off_topic_words: FxHashSet<String> = FxHashSet::default();
        for (class, text, _) in &normalised {
            for word in sample_words(text) {
                // Looked up before copied: most words are seen already.
                if labels[*class] == ExampleLabel::OffTopic {
                    if !off_topic_words.contains(word) {
                        off_topic_words.insert(word.to_string());
                    }
                } else if let Some(count) = topical_counts.get_mut(word) {
                    *count += 1;
                } else {
                    topical_counts.insert(word.to_string(), 1);
                }
            }
        }
        // Correction targets: words the career examples use often enough to
        // be spelt right, long enough that one edit does not reach a
        // different common word.
        let typo_index = KeywordIndex::new(
            topical_counts
                .iter()
                .filter(|(word, &count)| {
                    count >= KNOWN_AFTER && word.chars().count() >= MIN_CORRECTED_LEN
                })
                .map(|(word, _)| word.as_str()),
        );
        // Known (never corrected): everyday words, and career-example words
        // that are not a misspelling of a far commoner one. The examples
        // misspell on purpose ("salery"), so a word is taken as a typo when
        // a word within reach is used at least TYPO_RATIO times as often.
        known.extend(off_topic_words);
        let mut typos: FxHashSet<&str> = FxHashSet::default();
        for (word, &count) in &topical_counts {
            let is_typo = typo_index.correct(word).is_some_and(|correction| {
                topical_counts
                    .get(&correction.target)
                    .is_some_and(|&target_count| target_count >= count * TYPO_RATIO)
            });
            if is_typo {
                typos.insert(word);
            } else {
                known.insert(word.clone());
            }
        }
        // A misspelling the examples use often ("certifcation") is no
        // correction target: the word it misspells is.
        let typo_index = if typos.is_empty() {
            typo_index
        } else {
            KeywordIndex::new(
                typo_index
                    .targets()
                    .filter(|target| !typos.contains(target)),
            )
        };
        known.extend(table.lexicon.function_words.iter().cloned());
        known.extend(table.scope.own_subject_words.iter().cloned());
        for phrase in table
            .scope
            .other_occupations
            .iter()
            .chain(&knowledge.occupation.aliases)
        {
            known.extend(normalizer.normalize(phrase).words().map(str::to_string));
        }
        let model = train(&normalised, labels.len());
        let first_taught = knowledge.examples.len().saturating_sub(knowledge.taught);
        let taught = knowledge.examples[first_taught..]
            .iter()
            .map(|example| {
                let words = guards.mark_career(example_words(
                    &normalizer,
                    &table.lexicon.clause_breaks,
                    &example.text,
                ));
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                (example.label, features::extract_plain(&words))
            })
            .collect();
        Engine {
            taught,
            joiners: table.lexicon.clause_breaks.clone(),
            normalizer,
            known,
            typo_index,
            labels,
            model,
            guards,
            aspects: knowledge.aspects.clone(),
        }
    }

    /// How many distinct features the classifier learnt.
    pub fn feature_count(&self) -> usize {
        self.model.feature_count()
    }

    /// Which questions `message` asks.
    pub fn classify(&self, message: &str) -> Classification {
        let normalized = self.normalizer.normalize(message);
        let mut result = Classification {
            is_empty_message: normalized.is_empty(),
            ..Classification::default()
        };
        if result.is_empty_message {
            return result;
        }
        let sentences = questions::sentences(normalized.tokens, &self.joiners);
        let texts: Vec<String> = sentences.iter().map(|s| s.words.join(" ")).collect();
        let names_this: Vec<bool> = texts
            .iter()
            .map(|t| self.guards.names_this_career(t))
            .collect();
        // "Not HIT related, but does anyone know how to pass the CCNA?",
        // "Not about HIT exactly, but my facility offers to pay for LPN
        // school. Is it worth it?": the writer sets the career aside, in
        // that sentence and in the questions that do not name it.
        let disclaims: Vec<bool> = sentences
            .iter()
            .map(|s| self.disclaims_the_career(s))
            .collect();
        let disclaimed = disclaims.contains(&true);
        let names_career = names_this.contains(&true);
        let names_alternative = texts.iter().any(|t| self.guards.names_alternative(t));
        let mut budget = TypoBudget::default();
        let mut verdicts = Vec::new();
        let mut previous_index: Option<usize> = None;
        // `Guards::antecedent_before` for each question, found by reading
        // each sentence once, in order, rather than all earlier ones again
        // for every question.
        let mut last_mention: Option<Subject> = None;
        let mut scanned = 0;
        let mut sure_topic_before = false;
        for index in questions::questions(&sentences) {
            for text in &texts[scanned..index] {
                if let Some(mention) = self.guards.background_mention(text) {
                    last_mention = Some(mention);
                }
            }
            scanned = scanned.max(index);
            let context = MessageContext {
                names_career,
                names_alternative,
                earlier_subject: last_mention
                    .clone()
                    .filter(|subject| *subject != Subject::ThisCareer),
                sure_topic_before,
            };
            let (mut verdict, mut trace) =
                self.read_sentence(&sentences[index], &context, &mut budget);
            // "She says they basically do coding. Is that true?": a check
            // of a claim asks about the claim, so its own words say
            // nothing; the claim, read with it, may.
            let checks_claim = questions::checks_claim(&sentences[index].words);
            if checks_claim {
                trace
                    .guard_rails
                    .push("checks a claim made before it: asks nothing by itself".into());
                trace.decision = "nothing the bot answers".into();
                verdict = SentenceVerdict::default();
            }
            // "Been seeing RHIT preferred. What is that, and how do I get
            // it?": a question that finds nothing and points back ("it",
            // "that") is read again with the background sentence before it,
            // as is one that says nothing but what it points to ("My
            // counselor mentioned the RHIT. Is it worth it?").
            let only_points = questions::only_points(&sentences[index].words);
            if (verdict.finds_nothing() || only_points)
                && index > 0
                && !sentences[index - 1].asks()
                && (checks_claim || questions::points_back(&sentences[index].words))
            {
                let joined = sentences[index - 1].joined_with(&sentences[index]);
                let (with_background, mut joined_trace) =
                    self.read_sentence(&joined, &context, &mut budget);
                // Background words could lead anywhere: only a clear
                // reading counts, or a plain one in a message that names
                // this career ("I keep seeing online health IT programs.
                // Are those legit?"), or one the classifier leads to when
                // the question only points to a background that names the
                // career ("my teacher mentioned HIT. what's that").
                let bar = if only_points && names_this[index - 1] {
                    NAMED_ACCEPT
                } else if names_career {
                    ACCEPT
                } else {
                    TENTATIVE_BELOW
                };
                // A lead the classifier gives that a covered aspect of each
                // topic confirms ("online ... programs. how long do they
                // run?") counts at the lower bar in such a message too.
                let confirmed = names_career
                    && with_background.best >= NAMED_ACCEPT
                    && with_background.topics.iter().all(|topic| {
                        with_background
                            .aspects
                            .get(topic)
                            .is_some_and(|(covered, _)| !covered.is_empty())
                    });
                if !with_background.topics.is_empty()
                    && !with_background.tentative
                    && (with_background.best >= bar || confirmed)
                {
                    joined_trace
                        .guard_rails
                        .push("read with the background sentence before it".into());
                    verdict = with_background;
                    trace = joined_trace;
                }
            }
            if disclaimed && (disclaims[index] || !names_this[index]) && !verdict.topics.is_empty()
            {
                trace
                    .guard_rails
                    .push("the message says it is not about the career".into());
                trace.decision = "nothing the bot answers".into();
                verdict = SentenceVerdict {
                    off_scope: true,
                    ..SentenceVerdict::default()
                };
            }
            // "is it better than retail? like pay wise": the narrowing
            // sentence says what the question before it asks.
            let follows_question = index > 0 && previous_index == Some(index - 1);
            let elaborates = follows_question && questions::elaborates(&sentences[index]);
            let narrows = elaborates && !sentences[index].asks();
            previous_index = Some(index);
            if narrows && !verdict.topics.is_empty() {
                if let Some(previous) = verdicts
                    .last_mut()
                    .filter(|p: &&mut SentenceVerdict| p.topics == [Intent::Overview])
                {
                    previous.topics.clear();
                    previous.aspects.clear();
                }
            }
            // "what do u learn in the classes? like is it all computers or
            // medical stuff": after a question on a topic other than the
            // overview, a sentence narrowing it to one of two things stays
            // within that topic. One that asks on without an "or" ("like
            // do you need a degree for it?") asks its own question.
            let within_previous = elaborates
                && (!sentences[index].asks() || !sentences[index].opened_by_or.is_empty())
                && verdicts.last().is_some_and(|p: &SentenceVerdict| {
                    !p.topics.is_empty() && !p.topics.contains(&Intent::Overview)
                });
            // "Is the certification exam hard? Is it even worth getting?":
            // whether "it" is worth it, right after a question on the
            // credential or the schooling, weighs that, not the career.
            // The same for its first clause ("Is that even worth it or
            // does the associate's get you the job anyway"): the weighing
            // adds no overview; the rest asks what it asks.
            let weighs_previous = follows_question
                && !names_this[index]
                && verdict.topics.contains(&Intent::Overview)
                && questions::weighs_what_it_points_to(sentences[index].clause_words(0))
                && verdicts.last().is_some_and(|p: &SentenceVerdict| {
                    p.topics == [Intent::Certification] || p.topics == [Intent::Education]
                });
            if weighs_previous && verdict.topics.len() > 1 {
                trace
                    .guard_rails
                    .push("weighs the question before it: no overview of its own".into());
                verdict.topics.retain(|t| *t != Intent::Overview);
                verdict.aspects.remove(&Intent::Overview);
            }
            // "What classes would I take in that program? Like is it
            // coding or more computer stuff": a yes/no question of "it"
            // right after a question on a course of study asks about that
            // course, not what the job is or involves.
            let of_the_studies = follows_question
                && !names_this[index]
                && !verdict.topics.is_empty()
                && verdict
                    .topics
                    .iter()
                    .all(|t| matches!(t, Intent::Duties | Intent::Overview))
                && questions::asks_of_it(&sentences[index].words)
                && questions::names_studies(&sentences[index - 1].words)
                && verdicts
                    .last()
                    .is_some_and(|p: &SentenceVerdict| p.topics == [Intent::Education]);
            let weighs_only_previous = weighs_previous && verdict.topics == [Intent::Overview];
            // "What other careers are there? Do those need more school?":
            // the work or schooling of the related careers just asked
            // about, which their answer gives.
            let of_the_alternatives = follows_question
                && !names_this[index]
                && matches!(verdict.topics[..], [Intent::Education] | [Intent::Duties])
                && Guards::points_to_others(&texts[index])
                && !Guards::asks_to_choose(&texts[index])
                && verdicts
                    .last()
                    .is_some_and(|p: &SentenceVerdict| p.topics.contains(&Intent::Alternatives));
            // "do employers care about certs? or is the degree enough": a
            // sentence "or" opens that only offers another answer to the
            // question before it, as such a clause does within one.
            let offers_other = follows_question
                && sentences[index].clauses.len() == 1
                && sentences[index].opened_by_or.contains(&0)
                && questions::offers_other_answer(sentences[index].clause_words(0))
                && verdicts
                    .last()
                    .is_some_and(|p: &SentenceVerdict| !p.topics.is_empty());
            if (within_previous
                || weighs_only_previous
                || of_the_studies
                || offers_other
                || of_the_alternatives)
                && !verdict.topics.is_empty()
            {
                trace.guard_rails.push(
                    "narrows or weighs the question before it: asks no topic of its own".into(),
                );
                trace.decision = "nothing the bot answers".into();
                verdict.topics.clear();
                verdict.aspects.clear();
            }
            sure_topic_before |= !verdict.topics.is_empty()
                && !verdict.tentative
                && verdict.other_subject.is_none()
                && verdict.best >= ACCEPT_WITHOUT_CONTEXT;
            verdicts.push(verdict);
            result.questions.push(trace);
        }
        self.combine(verdicts, &mut result);
        result
    }

    /// `message` as the engine reads it before correction: lower case,
    /// markup, mentions and links removed, words joined by single spaces.
    /// What the store keeps of a question, and what a taught example is.
    pub fn normalized_text(&self, message: &str) -> String {
        self.normalizer.normalize(message).text()
    }

    /// The sorted, distinct features of `message` that
    /// [`Engine::similarity`] compares: the same features the classifier
    /// reads, with every name of this career as one token, so two wordings
    /// of one question score high. For grouping similar questions.
    pub fn similarity_features(&self, message: &str) -> Vec<Feature> {
        let normalized = self.normalizer.normalize(message);
        let words = self
            .guards
            .mark_career(normalized.words().map(str::to_string).collect());
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        features::extract_plain(&words)
    }

    /// Cosine similarity (0 to 1) of two [`Engine::similarity_features`].
    pub fn similarity(a: &[Feature], b: &[Feature]) -> f32 {
        cosine(a, b)
    }

    /// The examples nearest to `message` by shared features, for `--explain`.
    pub fn nearest_examples<'e>(
        &self,
        examples: &'e [Example],
        message: &str,
        count: usize,
    ) -> Vec<(&'e Example, f32)> {
        let target = self.similarity_features(message);
        let mut scored: Vec<(&Example, f32)> = examples
            .iter()
            .map(|example| {
                let words = self.guards.mark_career(example_words(
                    &self.normalizer,
                    &self.joiners,
                    &example.text,
                ));
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                (example, cosine(&target, &features::extract_plain(&words)))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored.truncate(count);
        scored
    }

    /// `label`, when `text` is at least [`TAUGHT_MATCH`] similar to an
    /// example counselors taught as `label`.
    fn taught_match(&self, text: &str, label: ExampleLabel) -> Option<ExampleLabel> {
        if self.taught.is_empty() {
            return None;
        }
        let words = self
            .guards
            .mark_career(text.split(' ').map(str::to_string).collect());
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let target = features::extract_plain(&words);
        self.taught
            .iter()
            .any(|(taught, features)| *taught == label && cosine(&target, features) >= TAUGHT_MATCH)
            .then_some(label)
    }

    fn read(&self, words: &[Word]) -> Reading {
        let pairs: Vec<WordPair<'_>> = words
            .iter()
            .map(|w| WordPair {
                typed: &w.typed,
                read: &w.read,
            })
            .collect();
        let mut feats: Vec<Feature> = Vec::with_capacity(words.len() * 16);
        features::extract(&pairs, &mut feats);
        let probabilities = self.model.probabilities(&feats);
        let mut ranked: Vec<(usize, f32)> = probabilities.into_iter().enumerate().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Reading { ranked }
    }

    fn correct(&self, word: &str, budget: &mut TypoBudget) -> Word {
        let unchanged = || Word {
            typed: word.to_string(),
            read: word.to_string(),
        };
        // Letters repeated for emphasis ("hiii", "sooo", "pleasee"): the
        // normaliser keeps two; one may give the word meant.
        let known = self.known.contains(word);
        if !known {
            let single = normalize::collapse_runs(word, 1);
            if single != word && self.known.contains(&single) {
                return Word {
                    typed: word.to_string(),
                    read: single,
                };
            }
        }
        if known
            || word.chars().count() < MIN_CORRECTED_LEN
            || word.chars().any(|c| c.is_ascii_digit())
        {
            return unchanged();
        }
        if let Some(read) = budget.seen.get(word) {
            return Word {
                typed: word.to_string(),
                read: read.clone(),
            };
        }
        // Checked only for a word that would otherwise be corrected.
        if self.inflects_known(word) {
            budget.seen.insert(word.to_string(), word.to_string());
            return unchanged();
        }
        if budget.lookups >= MAX_TYPO_LOOKUPS {
            return unchanged();
        }
        budget.lookups += 1;
        let read = self
            .typo_index
            .correct(word)
            .map_or_else(|| word.to_string(), |c| c.target);
        budget.seen.insert(word.to_string(), read.clone());
        Word {
            typed: word.to_string(),
            read,
        }
    }

    /// Whether `word` is a known word with a common ending added
    /// ("seeing", "hating", "closes", "officers"): a word the examples
    /// never used in that form, not a misspelling of a nearby one.
    fn inflects_known(&self, word: &str) -> bool {
        normalize::stems(word).any(|stem| self.known.contains(&stem))
    }

    /// `words` as the classifier reads them: typos corrected, then every
    /// name of this career read as one token.
    fn read_words(&self, words: &[String], budget: &mut TypoBudget) -> Vec<Word> {
        let corrected: Vec<Word> = words.iter().map(|w| self.correct(w, budget)).collect();
        let read: Vec<String> = corrected.iter().map(|w| w.read.clone()).collect();
        let marked = self.guards.mark_career(read);
        let words = if marked.len() == corrected.len() {
            corrected
        } else {
            marked
                .into_iter()
                .map(|word| Word {
                    typed: word.clone(),
                    read: word,
                })
                .collect()
        };
        // Another occupation named only as a yardstick ("do you need a
        // license like nurses do") is not what is asked about: it is read
        // without it.
        if !Guards::has_yardstick_word(words.iter().map(|w| w.read.as_str())) {
            return words;
        }
        match self.guards.without_yardsticks(&join_read(&words)) {
            Some(plain) => plain_words(&plain),
            None => words,
        }
    }

    /// The label the whole question's `reading` takes at the bar
    /// `accept`: the clear best one, or else the one [`what_they_do`]
    /// settles.
    fn take_whole(&self, text: &str, reading: &Reading, accept: f32) -> Option<usize> {
        if let Some(label) = reading.taken(accept) {
            return Some(label);
        }
        // "what the job is", "what a health info tech is": asked as what
        // it is, the overview in the lead is the answer, never the work.
        let words: Vec<&str> = text.split(' ').collect();
        let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        if matches!(words[..], ["what" | "whats", .., "is" | "are"])
            || questions::asks_what_it_is(&owned)
        {
            return reading
                .ranked
                .first()
                .filter(|&&(label, p)| {
                    self.label(label) == ExampleLabel::Intent(Intent::Overview) && p >= SUGGEST
                })
                .map(|&(label, _)| label);
        }
        let [(a, pa), (b, pb), rest @ ..] = reading.ranked.as_slice() else {
            return None;
        };
        let third = rest.first().map_or(0.0, |r| r.1);
        let wanted = what_they_do((self.label(*a), *pa), (self.label(*b), *pb), third, accept)?;
        Some(if self.label(*a) == wanted { *a } else { *b })
    }

    /// The probability `reading` gives `label`.
    fn probability(&self, reading: &Reading, label: ExampleLabel) -> f32 {
        reading
            .ranked
            .iter()
            .find(|&&(l, _)| self.label(l) == label)
            .map_or(0.0, |&(_, p)| p)
    }

    /// Whether `sentence` says it is not about the career: a clause that
    /// names the career to set it aside ("not HIT related", "not about
    /// health IT exactly"), with no other clause naming it. "Sorry if this
    /// is unrelated, but do HIT techs need a license" asks.
    fn disclaims_the_career(&self, sentence: &Sentence) -> bool {
        let names: Vec<bool> = (0..sentence.clauses.len())
            .map(|clause| {
                self.guards
                    .names_this_career(&sentence.clause_words(clause).join(" "))
            })
            .collect();
        let others_name_it = |clause: usize| {
            names
                .iter()
                .enumerate()
                .any(|(other, &named)| other != clause && named)
        };
        // What is set aside: the career by name, or careers as a whole
        // ("unrelated to careers but ...").
        let sets_aside_careers = |clause: usize| {
            names[clause]
                || sentence
                    .clause_words(clause)
                    .iter()
                    .any(|w| matches!(w.as_str(), "career" | "careers" | "jobs"))
        };
        (0..sentence.clauses.len()).any(|clause| {
            sets_aside_careers(clause)
                && questions::disclaims_the_career(sentence.clause_words(clause))
                && !others_name_it(clause)
        })
    }

    /// The classifier's index of `label`, if it has examples.
    fn label_index(&self, label: ExampleLabel) -> Option<usize> {
        self.labels.iter().position(|&l| l == label)
    }

    fn label(&self, index: usize) -> ExampleLabel {
        self.labels[index]
    }
}

/// Words read as typed (no corrections), from a normalised text.
fn plain_words(text: &str) -> Vec<Word> {
    text.split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| Word {
            typed: w.to_string(),
            read: w.to_string(),
        })
        .collect()
}

fn join_read(words: &[Word]) -> String {
    let mut text = String::new();
    for word in words {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&word.read);
    }
    text
}

/// Cosine similarity of two sorted, distinct feature lists.
fn cosine(a: &[Feature], b: &[Feature]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared as f32 / ((a.len() * b.len()) as f32).sqrt()
}
