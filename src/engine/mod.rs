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
//!
//! Nothing here names a career: names, aliases, examples and aspects all
//! come from the knowledge. Pure and deterministic: no I/O, no clock, no
//! randomness beyond the training shuffle's fixed seed. Every regex is
//! compiled once, when the knowledge loads.

pub mod classifier;
pub mod features;
pub mod fuzzy;
pub mod guards;
pub mod normalize;
pub mod questions;

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
/// A counselor's taught example weighs this many ordinary ones: a few
/// taught wordings must move the classifier for the next student's own
/// wording, against thousands of file examples.
const TAUGHT_BOOST: f32 = 4.0;
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

    fn read_sentence(
        &self,
        sentence: &Sentence,
        message: &MessageContext,
        budget: &mut TypoBudget,
    ) -> (SentenceVerdict, QuestionTrace) {
        let words = self.read_words(&sentence.words, budget);
        let text = join_read(&words);
        let mut whole = self.read(&words);
        // "what does a health IT specialist actually make": the subject
        // check is the precise guard for other occupations. A question
        // that names this career as the last occupation it names, and as
        // its subject, is about this career, whatever the classifier
        // learnt from "what does a <who> make" asked of others.
        let names_this_career = self.guards.names_this_career(&text);
        let set_aside = names_this_career
            && self.guards.last_mention(&text) == Some(Subject::ThisCareer)
            && self.guards.subject(&text) == Subject::ThisCareer
            && self.probability(&whole, ExampleLabel::OtherOccupation) >= SUGGEST;
        if set_aside {
            whole.set_aside(self.label_index(ExampleLabel::OtherOccupation));
        }
        let mut trace = QuestionTrace {
            text: text.clone(),
            corrections: words
                .iter()
                .filter(|w| w.typed != w.read)
                .map(|w| (w.typed.clone(), w.read.clone()))
                .collect(),
            top: whole
                .ranked
                .iter()
                .take(3)
                .map(|&(l, p)| (self.label(l), p))
                .collect(),
            ..QuestionTrace::default()
        };
        if set_aside {
            trace.guard_rails.push(
                "names this career as its subject: another occupation's reading set aside".into(),
            );
        }
        let mut verdict = SentenceVerdict::default();

        // (clause text, taken label) for every part read.
        let mut parts: Vec<(String, Option<ExampleLabel>)> = Vec::new();
        // Each clause's best label and its probability, taken or not.
        let mut clause_leads: Vec<(ExampleLabel, f32)> = Vec::new();
        let mut has_context = self.guards.has_career_context(&text);
        if !has_context {
            if let Some(taught) = self.taught_match(&text, self.label(whole.best().0)) {
                has_context = true;
                trace
                    .guard_rails
                    .push(format!("close to an example counselors taught as {taught}"));
            }
        }
        // Clauses keep the stricter bar unless the question itself shows
        // context: background naming the career says what the question is
        // about, not that every fragment of it asks something.
        let clause_context = has_context;
        if !has_context && message.names_career {
            has_context = true;
            trace
                .guard_rails
                .push("the message names the career in another sentence".into());
        }
        // "1. whats the salary 2. how long is school": a question before
        // it sure of a topic of the career shows what the message is about.
        // One that points back ("is that needed", "what is that even")
        // asks about what it points to, which that question does not show.
        let points_to_something = questions::only_points(&sentence.words)
            || sentence
                .words
                .iter()
                .any(|w| matches!(w.as_str(), "that" | "those" | "these"));
        if !has_context && message.sure_topic_before && !points_to_something {
            has_context = true;
            trace
                .guard_rails
                .push("a question before it was sure of a topic of the career".into());
        }
        // A question that names this career says what it is about: a
        // topic clearly ahead of the rest needs a lower bar ("if i went
        // into health IT would i make noticeably more").
        let accept = if names_this_career
            && self
                .label(whole.best().0)
                .intent()
                .is_some_and(Intent::is_topic)
        {
            NAMED_ACCEPT
        } else {
            ACCEPT
        };
        let whole_label = self
            .take_whole(&text, &whole, accept)
            .map(|l| self.label(l))
            .filter(|label| {
                has_context
                    || !label.intent().is_some_and(Intent::is_topic)
                    || clear_of_everyday(
                        self.probability(&whole, *label),
                        self.probability(&whole, ExampleLabel::OffTopic),
                    )
            });
        if !has_context {
            trace
                .guard_rails
                .push("no career context: a topic needs a clear lead".into());
        }
        if sentence.clauses.len() > 1 {
            let readings: Vec<(String, Reading)> = (0..sentence.clauses.len())
                .map(|clause| {
                    let clause_words = self.read_words(sentence.clause_words(clause), budget);
                    (join_read(&clause_words), self.read(&clause_words))
                })
                .collect();
            // A clause sure of a career topic ("how much do you make
            // after") shows what its sibling clauses are about: "how long
            // is school" beside it is held to the bar of a question about
            // the career.
            let sure_topic_at: Vec<bool> = readings
                .iter()
                .map(|(_, reading)| {
                    let (best, p) = reading.best();
                    p >= SURE_SIBLING && self.label(best).intent().is_some_and(Intent::is_topic)
                })
                .collect();
            let sure_count = sure_topic_at.iter().filter(|&&sure| sure).count();
            let topic_led: Vec<bool> = readings
                .iter()
                .map(|(_, reading)| {
                    self.label(reading.best().0)
                        .intent()
                        .is_some_and(Intent::is_topic)
                })
                .collect();
            let mut in_example = false;
            let mut in_condition = false;
            for (clause, (clause_text, reading)) in readings.into_iter().enumerate() {
                let (best, p) = reading.best();
                let sibling_context = sure_count > usize::from(sure_topic_at[clause]);
                clause_leads.push((self.label(best), p));
                trace
                    .clauses
                    .push((clause_text.clone(), self.label(best), p));
                // A clause of a question about a career is held to the bar a
                // whole question is; without that sign, a topic is held to a
                // higher one (small talk needs no career context).
                let small_talk = self.label(best).intent().is_some_and(|i| !i.is_topic());
                let accept = if clause_context || small_talk || sibling_context {
                    ACCEPT
                } else {
                    CLAUSE_ACCEPT
                };
                // A clause that only names the career ("so for health IT,
                // how long ...") sets up the questions after it: it asks
                // what the career is only when it asks something itself.
                // A clause that tells ("i know they work in hospitals, but
                // do they wear scrubs") is background within the question.
                let words = sentence.clause_words(clause);
                // What the clause before leans to, taken or not (a
                // condition's is not taken: "if i get a bachelors instead,
                // is that worth it").
                let previous_lead = clause
                    .checked_sub(1)
                    .and_then(|before| clause_leads.get(before))
                    .map(|&(label, _)| label);
                // "is there a way to make more, like working for other
                // employers or getting more school": examples of what the
                // clause before asked of a topic, with the "or" items that
                // go on them, ask nothing of their own ("what does it take,
                // like degree wise" spells out a question that named no
                // topic); nor does one more thing the writer likes ("if i
                // like health + computers").
                let example = clause > 0
                    && ((questions::gives_example(words)
                        && previous_lead
                            .and_then(|l| l.intent())
                            .is_some_and(Intent::is_topic))
                        || (in_example
                            && sentence.opened_by_or.contains(&clause)
                            && !questions::holds_question_word(words)));
                in_example = example;
                let liked_item = clause > 0
                    && !sentence.opened_by_or.contains(&clause)
                    && questions::continues_what_is_liked(sentence.clause_words(clause - 1), words);
                // "how do you balance work | school": a bare word or two
                // after a clause that asked nothing of the career goes on
                // that clause, when no other clause leads to a topic (in
                // "we need: | salary | where they work" the items are a
                // list); the sentence as a whole says what it asks.
                let bare_after_nothing = clause > 0
                    && !topic_led
                        .iter()
                        .enumerate()
                        .any(|(other, &led)| other != clause && led)
                    && words.len() <= MAX_BARE_WORDS
                    && !questions::holds_question_word(words)
                    && !questions::words_ask(words)
                    && matches!(
                        previous_lead,
                        Some(ExampleLabel::OffTopic | ExampleLabel::Uncovered)
                    );
                // A condition sets up what follows when it opens the
                // sentence, or follows only clauses that asked nothing
                // ("follow up question: after i finish the degree, what
                // cert should i get"); after a question ("how long is it,
                // and if i need a cert") it reports one. The clauses that
                // go on with it ("if i did the degree, got certified, and
                // worked at a hospital, what would i make") set it up too.
                let condition = (questions::sets_condition(words)
                    || (in_condition && questions::continues_condition(words)))
                    && parts.iter().all(|(_, before)| {
                        !before
                            .and_then(|l| l.intent())
                            .is_some_and(Intent::is_topic)
                    });
                in_condition = condition;
                let taken = reading
                    .taken(accept)
                    .map(|l| self.label(l))
                    // "whats the job, and is it growing": asked as what
                    // the job is, the clause asks the overview.
                    .or_else(|| {
                        questions::asks_what_it_is(words)
                            .then_some(ExampleLabel::Intent(Intent::Overview))
                    })
                    .filter(|_| !example && !liked_item)
                    .filter(|&l| !(bare_after_nothing && l.intent().is_some_and(Intent::is_topic)))
                    .filter(|&l| {
                        l != ExampleLabel::Intent(Intent::Overview) || questions::words_ask(words)
                    })
                    .filter(|_| !questions::tells(words))
                    .filter(|_| !questions::announces_questions(words))
                    .filter(|_| !condition)
                    // "masters in health it, is that even a thing", "is
                    // that true, is demand growing": a clause that checks
                    // what was said asks nothing of its own.
                    .filter(|_| !questions::checks_claim(words))
                    // "do they need a cert, and do employers actually care
                    // about that": what employers want of the credential
                    // or schooling just asked about, not where they work.
                    .filter(|&l| {
                        !(l == ExampleLabel::Intent(Intent::Workplace)
                            && matches!(
                                previous_lead,
                                Some(ExampleLabel::Intent(
                                    Intent::Education | Intent::Certification
                                ))
                            )
                            && questions::asks_what_employers_want(words))
                    })
                    .filter(|_| {
                        !(sentence.opened_by_or.contains(&clause)
                            && questions::offers_other_answer(words))
                    })
                    // "if i get a bachelors instead, is that worth it":
                    // weighing what the clause before asked about (the
                    // schooling, the credential) is not asking about the
                    // career.
                    .filter(|&l| {
                        !(clause > 0
                            && l == ExampleLabel::Intent(Intent::Overview)
                            && questions::weighs_what_it_points_to(words)
                            && matches!(
                                previous_lead,
                                Some(ExampleLabel::Intent(
                                    Intent::Education | Intent::Certification
                                ))
                            ))
                    })
                    // "what would i learn in the program, and is it a lot
                    // of computer stuff": "it" is the program the clause
                    // before asked about, not the job.
                    .filter(|&l| {
                        !(clause > 0
                            && matches!(l, ExampleLabel::Intent(Intent::Duties | Intent::Overview))
                            && questions::asks_of_it(words)
                            && previous_lead == Some(ExampleLabel::Intent(Intent::Education))
                            && questions::names_studies(sentence.clause_words(clause - 1)))
                    })
                    // A clause's own topic that the whole question gives
                    // no weight stands only if the clause is sure of it:
                    // "is certification something employers care about, or
                    // is experience enough" asks one thing twice over.
                    // A question of its own beside a sure one ("what is it
                    // and is it in demand") needs no such support.
                    .filter(|&l| {
                        !l.intent().is_some_and(Intent::is_topic)
                            || (sibling_context && questions::opens_with_wh(words))
                            || clause_topic_stands(p, self.probability(&whole, l))
                    });
                parts.push((clause_text, taken));
            }
        }
        let clause_topics: Vec<Intent> = parts
            .iter()
            .filter_map(|(_, label)| label.and_then(|l| l.intent()))
            .filter(|i| i.is_topic())
            .collect();
        // The whole sentence decides, unless its clauses clearly ask more
        // than one topic, or it found none and a clause did.
        let mut distinct = clause_topics.clone();
        distinct.dedup();
        // A sentence read as about another occupation, with a clause that
        // names it ("for the hygienist, what does that pay"), is about that
        // occupation: the clause asking the pay asks it of them. The
        // clause's lead counts, sure or not, if the classifier gives it
        // at least the weight of a suggestion.
        let names_other_in_a_clause = whole_label == Some(ExampleLabel::OtherOccupation)
            && clause_leads
                .iter()
                .any(|&(label, p)| label == ExampleLabel::OtherOccupation && p >= SUGGEST);
        let use_clauses = match whole_label.and_then(|l| l.intent()) {
            _ if names_other_in_a_clause => false,
            Some(topic) if topic.is_topic() => {
                // One clause topic other than the whole question's replaces
                // it when a clause clearly leads to the whole's topic but
                // did not ask it (a condition: "if i finish the degree,
                // what would i make"), or when that clause is at least as
                // sure of its topic as the whole is of its own: "my
                // question is about what they do on the tech side, like
                // are they setting up servers" stays the duties.
                let whole_p = self.probability(&whole, ExampleLabel::Intent(topic));
                let set_up_by_a_clause = clause_leads
                    .iter()
                    .any(|&(label, p)| label.intent() == Some(topic) && p >= ACCEPT);
                let surer_clause = |other: Intent| {
                    set_up_by_a_clause
                        || clause_leads
                            .iter()
                            .any(|&(label, p)| label.intent() == Some(other) && p >= whole_p)
                };
                distinct.len() >= 2
                    || matches!(distinct[..], [other] if other != topic && surer_clause(other))
            }
            // Small talk in the clauses ("hey | what can you do") is taken
            // when it says more than the whole sentence did.
            _ => {
                let clause_small_talk = parts
                    .iter()
                    .filter_map(|(_, label)| label.and_then(|l| l.intent()))
                    .filter(|i| !i.is_topic())
                    .count();
                let whole_small_talk = usize::from(whole_label.is_some());
                !distinct.is_empty() || clause_small_talk > whole_small_talk
            }
        };
        if !use_clauses {
            parts = vec![(text.clone(), whole_label)];
        } else {
            drop_lead_in_to_a_list(&mut parts);
        }

        let stated_words: Vec<&str> = words.iter().map(|w| w.read.as_str()).collect();
        let stated = guards::stated_figures(&stated_words);

        // Whom a part that names nobody is about: "they" stands for an
        // occupation named before it in the question; otherwise the
        // occupation named last before the part, in this question or the
        // sentences before it ("what do pharmacists do and how long is
        // school"). Unnamed, it is this career.
        let pronoun_antecedent = if names_this_career {
            None
        } else {
            self.guards.antecedent(&text)
        };
        let mut running = message.earlier_subject.clone();
        // "is that true everywhere, or just at her hospital": the place
        // says where the claim is checked; an aspect it names asks nothing.
        let opens_with_claim_check =
            sentence.clauses.len() > 1 && questions::checks_claim(sentence.clause_words(0));
        // Topics of clauses that ask on their own, in a question of several.
        let mut asked_on_their_own: Vec<Intent> = Vec::new();
        // Whether a part read as the workplace asks about places ("where do
        // they work", "what kinds of places hire them").
        let mut asks_about_places = false;
        // Whether a part read as the duties asks them of careers pointed
        // at ("what does each one involve", "what does that job involve").
        let mut duties_of_others = false;
        // The same for the schooling ("do they all need a bachelor's").
        let mut schooling_of_others = false;
        for (part_text, label) in &parts {
            let label = label.or_else(|| {
                self.aspect_lead(
                    part_text,
                    &whole,
                    message.names_career,
                    opens_with_claim_check,
                    &mut trace,
                )
            });
            let label = self.gap_with_topic(part_text, label, has_context, &mut trace);
            let inherited = if Guards::has_people_pronoun(part_text) {
                pronoun_antecedent.clone().or_else(|| running.clone())
            } else {
                running.clone()
            };
            let inherited = inherited.filter(|_| {
                // A comparison asks about this career beside the other, in
                // a message that names this career at all.
                !(message.names_career && Guards::compares(part_text))
            });
            let part = self.read_part(part_text, label, &whole, inherited.as_ref(), &mut trace);
            // Only a part that asks names whom what follows is about: a
            // bare occupation in a list ("26, bartender, no degree") is
            // the writer's own.
            let part_words: Vec<&str> = part_text.split(' ').collect();
            let part_asks = questions::words_ask(&part_words);
            if part_asks && parts.len() > 1 {
                asked_on_their_own.extend(part.topics.iter().copied());
            }
            asks_about_places |= part.topics.contains(&Intent::Workplace)
                && questions::holds_question_word(&part_words);
            // "list related careers and explain what they do": "they"
            // after a part asking the related careers are those careers.
            duties_of_others |= part.topics.contains(&Intent::Duties)
                && !self.guards.says_this_career(part_text)
                && (Guards::points_to_several(part_text)
                    || (verdict.topics.contains(&Intent::Alternatives)
                        && Guards::has_people_pronoun(part_text)));
            // "what other careers are there, and do those need more
            // school": their schooling, which their answer gives.
            schooling_of_others |= part.topics.contains(&Intent::Education)
                && !self.guards.says_this_career(part_text)
                && !Guards::asks_to_choose(part_text)
                && Guards::points_to_others(part_text);
            verdict.merge(part);
            if part_asks {
                if let Some(mention) = self.guards.last_mention(part_text) {
                    running = (mention != Subject::ThisCareer).then_some(mention);
                }
            }
        }
        // An aspect asked that takes in another topic ("which employers pay
        // the most" names places to ask the pay) leaves that topic out,
        // unless a clause asks it on its own ("where can i work, and which
        // place pays best").
        let included: Vec<Intent> = verdict
            .aspects
            .values()
            .flat_map(|(covered, _)| covered)
            .filter_map(|name| self.aspects.get(name))
            .flat_map(|aspect| aspect.includes.iter().copied())
            .collect();
        for topic in included {
            if verdict.topics.contains(&topic) && !asked_on_their_own.contains(&topic) {
                trace.guard_rails.push(format!(
                    "{} asked only as part of another topic",
                    topic.name()
                ));
                verdict.topics.retain(|t| *t != topic);
                verdict.aspects.remove(&topic);
            }
        }

        // "are there careers like it that are still in a medical setting
        // but more office based?": in a question about other careers, the
        // setting named is what those careers should offer, not a question
        // about where this one works; a part that asks about places ("where
        // do they work, and what are similar careers") still asks it.
        if parts.len() > 1
            && verdict.topics.contains(&Intent::Alternatives)
            && verdict.topics.contains(&Intent::Workplace)
            && !asks_about_places
        {
            trace
                .guard_rails
                .push("a setting wanted of other careers: not where this one works".into());
            verdict.topics.retain(|t| *t != Intent::Workplace);
            verdict.aspects.remove(&Intent::Workplace);
        }

        // "what careers are similar, and what does each one involve": the
        // work of the related careers is what their answer describes, not
        // this career's duties.
        if verdict.topics.contains(&Intent::Alternatives)
            && verdict.topics.contains(&Intent::Duties)
            && duties_of_others
        {
            trace
                .guard_rails
                .push("the work of the related careers: not this one's duties".into());
            verdict.topics.retain(|t| *t != Intent::Duties);
            verdict.aspects.remove(&Intent::Duties);
        }
        if verdict.topics.contains(&Intent::Alternatives)
            && verdict.topics.contains(&Intent::Education)
            && schooling_of_others
        {
            trace
                .guard_rails
                .push("the schooling of the related careers: not this one's".into());
            verdict.topics.retain(|t| *t != Intent::Education);
            verdict.aspects.remove(&Intent::Education);
        }

        // "health IT vs database admin": a comparison of this career with a
        // related career the source describes, that nothing else read,
        // asks about that related career.
        // (A part naming only the related career may have been read as
        // another occupation: the comparison says it is the related one.)
        if verdict.topics.is_empty()
            && verdict.small_talk.is_empty()
            && verdict.uncovered_alone.is_empty()
            && ((Guards::compares(&text)
                && self.guards.alternative_in(&text).is_some()
                && (self.guards.says_this_career(&text) || text.split(' ').any(|w| w == "this")))
                // "I'm torn between this and DBA. What's the difference
                // between the two?": the two were named before.
                || (message.names_career
                    && message.names_alternative
                    && Guards::asks_to_choose(&text)
                    && Guards::points_to_several(&text)))
        {
            trace
                .guard_rails
                .push("compares this career with a related one".into());
            verdict.off_scope = false;
            verdict.other_subject = None;
            verdict.topics.push(Intent::Alternatives);
        }
        // "health IT or database admin, which one needs more school": a
        // choice between this career and a related one the source
        // describes asks about the related one too.
        if !verdict.topics.is_empty()
            && !verdict.topics.contains(&Intent::Alternatives)
            && message.names_career
            && message.names_alternative
            && Guards::asks_to_choose(&text)
        {
            trace
                .guard_rails
                .push("a choice between this career and a related one".into());
            verdict.topics.push(Intent::Alternatives);
        }
        // "thx that makes sense": thanks and an acknowledgement, neither
        // clear alone, both small talk; together they are clear.
        if verdict.topics.is_empty() && verdict.small_talk.is_empty() && !verdict.off_scope {
            let small_talk: Vec<Intent> = whole
                .ranked
                .iter()
                .take(2)
                .filter_map(|&(l, _)| self.label(l).intent())
                .filter(|i| !i.is_topic())
                .collect();
            let together: f32 = whole.ranked.iter().take(2).map(|r| r.1).sum();
            if small_talk.len() == 2 && together >= SMALL_TALK_TOGETHER {
                trace
                    .guard_rails
                    .push("two kinds of small talk, clear together".into());
                verdict.small_talk = small_talk;
            }
        }
        if verdict.topics.is_empty() && verdict.small_talk.is_empty() && !verdict.off_scope {
            verdict.near = whole
                .ranked
                .iter()
                .take(2)
                .filter(|&&(_, p)| p >= SUGGEST)
                .filter_map(|&(l, _)| self.label(l).intent())
                .filter(|i| i.is_topic())
                .collect();
        }
        trace.decision = describe(&verdict, &stated);
        verdict.aspects.values_mut().for_each(|(c, u)| {
            dedup_keep_order(c);
            dedup_keep_order(u);
        });
        dedup_keep_order(&mut verdict.uncovered_alone);
        verdict.stated = stated;
        verdict.best = whole.best().1;
        // A yes/no question on what the career is like ("is that what they
        // do?", "someone told me it's kind of both??", "could i switch to
        // it?") that the classifier reads only weakly as the overview or
        // related careers sets up the message's other questions rather
        // than asking a topic of its own; one asking for a judgement ("is
        // it a reasonable choice for me?") asks the overview.
        verdict.tentative = !use_clauses
            && whole.best().1 < TENTATIVE_BELOW
            && verdict
                .topics
                .iter()
                .all(|t| matches!(t, Intent::Overview | Intent::Alternatives))
            && !questions::opens_with_question_word(&sentence.words)
            && !questions::judges(&sentence.words);
        // "I'm curious about the HIT field." before the questions it leads
        // to: an interest stated, not a question of its own, unless it is
        // all the message asks.
        // "I'm curious if it's a good fit for me" asks for a judgement.
        let states_interest = !sentence.question_mark
            && verdict.topics == [Intent::Overview]
            && !questions::opens_with_question_word(&sentence.words)
            && questions::states_interest(&sentence.words)
            && !questions::judges(&sentence.words);
        verdict.tentative |= states_interest;
        if verdict.tentative && !verdict.topics.is_empty() {
            trace.guard_rails.push(
                "a weak yes/no question: its topic stands only if no other question asks one"
                    .into(),
            );
        }
        (verdict, trace)
    }

    /// The topic a part asks when the classifier took nothing: pay for an
    /// amount of money stated in a question about the career (when pay
    /// has at least [`FIGURE_LEAD`]: "is 40k normal for this job"), growth
    /// for a percentage (at least [`SUGGEST`]); otherwise a topic the
    /// classifier leaned to (at least [`SUGGEST`]) that a covered aspect's
    /// pattern names too, in a part about a career or stating a figure: "so
    /// the median is 40,430 right?".
    fn aspect_lead(
        &self,
        part_text: &str,
        whole: &Reading,
        message_names_career: bool,
        opens_with_claim_check: bool,
        trace: &mut QuestionTrace,
    ) -> Option<ExampleLabel> {
        // A figure stated in a question about the career says what it asks:
        // an amount of money is about pay ("is 40k normal for this job"), a
        // percentage about growth, when the classifier leans that way at all.
        let words: Vec<&str> = part_text.split(' ').collect();
        let figures = guards::stated_figures(&words);
        if !figures.is_empty() && self.guards.has_career_context(part_text) {
            // A percentage says less ("is it 100% online"): it needs the
            // bar of a suggestion.
            let (topic, bar) = if figures.iter().any(|f| !f.percent) {
                (Intent::Salary, FIGURE_LEAD)
            } else {
                (Intent::Outlook, SUGGEST)
            };
            if self.probability(whole, ExampleLabel::Intent(topic)) >= bar {
                trace
                    .guard_rails
                    .push(format!("a stated figure points to {topic}"));
                return Some(ExampleLabel::Intent(topic));
            }
        }
        // "is it like 40k a year?", "is 40k normal for this": an amount
        // a year or an hour (or one that size), asked of "it" or "they"
        // with no one else named, checks this career's pay when the
        // classifier takes it for pay.
        let money = figures.iter().any(|f| !f.percent);
        let pay_amount = figures
            .iter()
            .any(|f| !f.percent && f.value >= YEARLY_PAY_AT_LEAST)
            || (money && words.iter().any(|w| PAY_PERIODS.contains(w)));
        let pay_check = pay_amount
            && words
                .iter()
                .any(|w| matches!(*w, "it" | "they" | "this" | "that"))
            && !matches!(self.guards.last_mention(part_text), Some(Subject::Other(_)))
            && best_topic(whole, &self.labels) == Some(Intent::Salary)
            && self.probability(whole, ExampleLabel::Intent(Intent::Salary)) >= SUGGEST;
        if pay_check {
            trace
                .guard_rails
                .push("an amount of pay checked: the pay".into());
            return Some(ExampleLabel::Intent(Intent::Salary));
        }
        let (best, p) = whole
            .ranked
            .iter()
            .copied()
            .find(|&(l, _)| self.label(l).intent().is_some_and(Intent::is_topic))?;
        let topic = self.label(best).intent()?;
        // Everyday requests use these words too ("my average bill"): the
        // lead needs a sign the question is about a career (in it, or in
        // the message: "they have a health IT program. whats the normal
        // program length?"), or a figure.
        let grounded = self.guards.has_career_context(part_text)
            || message_names_career
            || !figures.is_empty();
        if p < SUGGEST || !grounded || opens_with_claim_check {
            return None;
        }
        let named = self.aspects.matching(part_text).into_iter().any(|i| {
            let aspect = &self.aspects.aspects[i];
            aspect.topic == topic && aspect.covered
        });
        named.then(|| {
            trace.guard_rails.push(format!(
                "an aspect of {topic} confirms the classifier's lead"
            ));
            ExampleLabel::Intent(topic)
        })
    }

    /// The topic of a question the classifier read as asking something the
    /// source does not cover, when that gap asks its topic (`asks_topic`):
    /// "will AI replace them" gets the outlook, with the note that the
    /// source does not discuss automation. Only in a message about the
    /// career: "ai, call me deb" asks no outlook.
    fn gap_with_topic(
        &self,
        part_text: &str,
        label: Option<ExampleLabel>,
        has_context: bool,
        trace: &mut QuestionTrace,
    ) -> Option<ExampleLabel> {
        if label != Some(ExampleLabel::Uncovered) || !has_context {
            return label;
        }
        let matched = self.aspects.matching(part_text);
        let gaps: Vec<&Aspect> = matched
            .iter()
            .map(|&i| &self.aspects.aspects[i])
            .filter(|a| !a.covered)
            .collect();
        // Every gap named must ask the same topic: "will AI replace them,
        // and can I work from home" stays a gap.
        let Some(topic) = gaps.first().map(|a| a.topic) else {
            return label;
        };
        if gaps.iter().all(|a| a.asks_topic && a.topic == topic) {
            trace
                .guard_rails
                .push(format!("a gap the {topic} answer still meets, with a note"));
            return Some(ExampleLabel::Intent(topic));
        }
        label
    }

    /// What one part of a question (the whole sentence, or a clause) asks,
    /// after the guard rails: aspects, and the part's subject. A part that
    /// names nobody (or only "they") is about `inherited`, the occupation
    /// named before it, when that is not this career.
    fn read_part(
        &self,
        part_text: &str,
        label: Option<ExampleLabel>,
        whole: &Reading,
        inherited: Option<&Subject>,
        trace: &mut QuestionTrace,
    ) -> SentenceVerdict {
        let matched = self.aspects.matching(part_text);
        let mut subject = self.guards.subject(part_text);
        if subject == Subject::ThisCareer && !self.guards.says_this_career(part_text) {
            if let Some(named) = inherited {
                trace
                    .guard_rails
                    .push("about the occupation named before it".into());
                subject = named.clone();
            }
        }
        match &subject {
            Subject::ThisCareer => {}
            Subject::Alternative(title) => trace
                .guard_rails
                .push(format!("subject: the related career {title:?}")),
            Subject::Other(name) => trace
                .guard_rails
                .push(format!("subject: another occupation ({name})")),
        }
        let mut verdict = SentenceVerdict::default();
        {
            match label {
                Some(ExampleLabel::Intent(intent)) if intent.is_topic() => {
                    let mut covered = Vec::new();
                    let mut uncovered = Vec::new();
                    let mut drop_topic = false;
                    for &index in &matched {
                        let aspect = &self.aspects.aspects[index];
                        if aspect.topic != intent {
                            continue;
                        }
                        trace.guard_rails.push(format!(
                            "aspect: {} ({})",
                            aspect.name,
                            cover_word(aspect.covered)
                        ));
                        if aspect.covered {
                            covered.push(aspect.name.clone());
                        } else {
                            uncovered.push(aspect.name.clone());
                            drop_topic |= !aspect.keeps_topic;
                        }
                    }
                    // A topic is dropped only when every aspect asked of it is
                    // one the source cannot answer.
                    if drop_topic && covered.is_empty() {
                        verdict.uncovered_alone.extend(uncovered);
                    } else {
                        verdict.topics.push(intent);
                        let entry = verdict.aspects.entry(intent).or_default();
                        entry.0.extend(covered);
                        entry.1.extend(uncovered);
                    }
                }
                Some(ExampleLabel::Intent(intent)) => verdict.small_talk.push(intent),
                Some(ExampleLabel::Uncovered) => {
                    let names: Vec<String> = matched
                        .iter()
                        .map(|&i| &self.aspects.aspects[i])
                        .filter(|a| !a.covered)
                        .map(|a| a.name.clone())
                        .collect();
                    for name in &names {
                        trace
                            .guard_rails
                            .push(format!("aspect: {name} (not in the source)"));
                    }
                    verdict.uncovered_alone.extend(names);
                    verdict.off_scope = true;
                }
                Some(ExampleLabel::OtherOccupation)
                    if matches!(subject, Subject::Alternative(_)) =>
                {
                    // A related career asked about: its topic is the best
                    // topic the classifier saw (pay, outlook, or the rest).
                    if let Some(topic) = best_topic(whole, &self.labels) {
                        verdict.topics.push(topic);
                    }
                }
                Some(ExampleLabel::OtherOccupation) | Some(ExampleLabel::OffTopic) => {
                    verdict.off_scope = true;
                }
                None => {}
            }
        }

        // The subject overrides: another occupation gets no career answer;
        // a related career's pay and outlook are not in the source.
        match subject {
            Subject::Other(name) if !self.guards.names_this_career(part_text) => {
                verdict.topics.clear();
                verdict.aspects.clear();
                verdict.uncovered_alone.clear();
                verdict.other_subject = Some(name);
            }
            Subject::Alternative(_) if !verdict.topics.is_empty() => {
                // What is asked of the related career: the sentence read as
                // if about this one ("how much do <it> make" → pay).
                let as_if_ours = self.guards.mark_alternatives(part_text);
                let reading = self.read(&plain_words(&as_if_ours));
                let asked = best_topic(&reading, &self.labels);
                verdict.aspects.clear();
                match asked.and_then(|topic| self.alternative_gap(topic)) {
                    Some(gap) => {
                        trace.guard_rails.push(format!("the source gives no {gap}"));
                        verdict.topics.clear();
                        verdict.uncovered_alone.push(gap);
                    }
                    None => verdict.topics = vec![Intent::Alternatives],
                }
            }
            _ => {}
        }

        verdict
    }

    /// The uncovered aspect a related career's `topic` stands for, if the
    /// catalogue has one: pay and outlook of the alternatives.
    fn alternative_gap(&self, topic: Intent) -> Option<String> {
        let wanted = match topic {
            Intent::Salary => "alternatives pay",
            Intent::Outlook => "alternatives outlook",
            _ => return None,
        };
        self.aspects.get(wanted).map(|a| a.name.clone())
    }

    fn combine(&self, mut verdicts: Vec<SentenceVerdict>, result: &mut Classification) {
        // Tentative verdicts give way when a firm one asks a topic.
        let firm_asks = verdicts
            .iter()
            .any(|v| !v.tentative && !v.topics.is_empty());
        if firm_asks {
            for verdict in verdicts.iter_mut().filter(|v| v.tentative) {
                verdict.topics.clear();
                verdict.aspects.clear();
            }
        }
        let mut asks: Vec<Ask> = Vec::new();
        let mut small_talk: Vec<Intent> = Vec::new();
        let mut near: Vec<Intent> = Vec::new();
        let mut any_scope_signal = false;
        for verdict in verdicts {
            // Stated figures ride on the first topic the sentence asks.
            let stated = verdict.stated;
            any_scope_signal |= verdict.off_scope;
            for (position, topic) in verdict.topics.iter().enumerate() {
                let (covered, uncovered) = verdict.aspects.get(topic).cloned().unwrap_or_default();
                let figures = if position == 0 {
                    stated.clone()
                } else {
                    Vec::new()
                };
                match asks.iter_mut().find(|a| a.intent == Some(*topic)) {
                    Some(ask) => {
                        ask.aspects.extend(covered);
                        ask.uncovered.extend(uncovered);
                        ask.stated.extend(figures);
                        dedup_keep_order(&mut ask.aspects);
                        dedup_keep_order(&mut ask.uncovered);
                    }
                    None => asks.push(Ask {
                        intent: Some(*topic),
                        aspects: covered,
                        uncovered,
                        stated: figures,
                        other_subject: None,
                    }),
                }
            }
            if !verdict.uncovered_alone.is_empty() || verdict.other_subject.is_some() {
                asks.push(Ask {
                    intent: None,
                    aspects: Vec::new(),
                    uncovered: verdict.uncovered_alone,
                    stated: Vec::new(),
                    other_subject: verdict.other_subject,
                });
            }
            small_talk.extend(verdict.small_talk);
            near.extend(verdict.near);
        }
        let mut intents: Vec<Intent> = asks.iter().filter_map(|a| a.intent).collect();
        if intents.is_empty() && asks.is_empty() && !any_scope_signal {
            // A greeting beside other small talk ("hey, what can you do")
            // is politeness: the other is what the student wants.
            if small_talk.iter().any(|&i| i != Intent::Greeting) {
                small_talk.retain(|&i| i != Intent::Greeting);
            }
            intents = small_talk;
        }
        intents.sort();
        intents.dedup();
        if intents.is_empty() && asks.is_empty() {
            near.sort();
            near.dedup();
            result.suggestions = near;
        }
        result.intents = intents;
        result.asks = asks;
    }
}

/// Whether a topic read with probability `topic` in a question with no
/// sign it is about a career stands, when everyday requests get
/// `everyday`: sure of it ([`ACCEPT_WITHOUT_CONTEXT`]), or no trace of an
/// everyday request ([`EVERYDAY_AT_MOST`]), or clearly ahead of one
/// ([`EVERYDAY_RATIO`] times as likely, from [`CLAUSE_ACCEPT`] up).
fn clear_of_everyday(topic: f32, everyday: f32) -> bool {
    topic >= ACCEPT_WITHOUT_CONTEXT
        || everyday < EVERYDAY_AT_MOST
        || (topic >= CLAUSE_ACCEPT && topic >= EVERYDAY_RATIO * everyday)
}

/// What the job is and what its people do are two readings of one
/// question ("what does a health info tech even do"). When the best two
/// readings (`first`, `second`) are the overview and the duties, and
/// neither is taken alone, the duties are taken if the two together reach
/// `accept` plus [`MARGIN`] and lead the third reading (`third`) by at
/// least `accept`.
fn what_they_do(
    first: (ExampleLabel, f32),
    second: (ExampleLabel, f32),
    third: f32,
    accept: f32,
) -> Option<ExampleLabel> {
    let overview = ExampleLabel::Intent(Intent::Overview);
    let duties = ExampleLabel::Intent(Intent::Duties);
    let pair = [first.0, second.0];
    let both = pair.contains(&overview) && pair.contains(&duties);
    let together = first.1 + second.1;
    (both && together >= accept + MARGIN && together - third >= accept).then_some(duties)
}

/// Whether a topic a clause reads with probability `in_clause` counts, when
/// the whole question gives it `in_whole`: the clause must be sure of a
/// topic the question as a whole gives no weight.
fn clause_topic_stands(in_clause: f32, in_whole: f32) -> bool {
    in_clause >= CLAUSE_ALONE || in_whole >= CLAUSE_SUPPORT
}

/// Most words of a list item that names a topic ("pay", "typical degree").
const LIST_ITEM_WORDS: usize = 3;

/// A request for the overview followed by a list of topics ("give me the
/// rundown on health IT: duties, school, pay") asks for the listed topics:
/// the overview part is the lead-in and is dropped.
fn drop_lead_in_to_a_list(parts: &mut Vec<(String, Option<ExampleLabel>)>) {
    let overview = ExampleLabel::Intent(Intent::Overview);
    let Some(lead) = parts.iter().position(|(_, label)| *label == Some(overview)) else {
        return;
    };
    // "a rundown of what the career is, what it pays, ...": asking what
    // it is makes the overview an item of the list, not its lead-in.
    if parts[lead].0.ends_with(" is") || parts[lead].0.ends_with(" are") {
        return;
    }
    let listed = parts[lead + 1..]
        .iter()
        .filter(|(text, label)| {
            label.and_then(|l| l.intent()).is_some_and(Intent::is_topic)
                && *label != Some(overview)
                && text.split(' ').count() <= LIST_ITEM_WORDS
        })
        .count();
    if listed >= 2 {
        parts.remove(lead);
    }
}

/// The most likely topic in `reading`, whatever its probability.
fn best_topic(reading: &Reading, labels: &[ExampleLabel]) -> Option<Intent> {
    reading
        .ranked
        .iter()
        .filter_map(|&(l, _)| labels[l].intent())
        .find(|i| i.is_topic())
}

fn cover_word(covered: bool) -> &'static str {
    if covered {
        "covered"
    } else {
        "not in the source"
    }
}

fn describe(verdict: &SentenceVerdict, stated: &[StatedFigure]) -> String {
    let mut parts = Vec::new();
    if !verdict.topics.is_empty() {
        let names: Vec<&str> = verdict.topics.iter().map(|t| t.name()).collect();
        parts.push(format!("answer {}", names.join(", ")));
    }
    if !verdict.uncovered_alone.is_empty() {
        parts.push(format!(
            "not in the source: {}",
            verdict.uncovered_alone.join(", ")
        ));
    }
    if let Some(other) = &verdict.other_subject {
        parts.push(format!(
            "about another occupation ({other}): no career answer"
        ));
    }
    if !verdict.small_talk.is_empty() {
        let names: Vec<&str> = verdict.small_talk.iter().map(|t| t.name()).collect();
        parts.push(format!("small talk {}", names.join(", ")));
    }
    if !stated.is_empty() {
        parts.push(format!("{} stated figure(s)", stated.len()));
    }
    if parts.is_empty() {
        if verdict.near.is_empty() {
            "nothing the bot answers".to_string()
        } else {
            let names: Vec<&str> = verdict.near.iter().map(|t| t.name()).collect();
            format!("unsure: did you mean {}?", names.join(" or "))
        }
    } else {
        parts.join("; ")
    }
}

fn dedup_keep_order(items: &mut Vec<String>) {
    let mut seen = HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
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

/// The words of an example as the engine reads a message: the sentences
/// that ask, or all of them.
fn example_words(normalizer: &Normalizer, joiners: &[String], text: &str) -> Vec<String> {
    let normalized = normalizer.normalize(text);
    let mut sentences = questions::sentences(normalized.tokens, joiners);
    // Each sentence is asked at most once: its words are moved, not copied.
    questions::questions(&sentences)
        .into_iter()
        .flat_map(|i| std::mem::take(&mut sentences[i].words))
        .collect()
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

/// Each example as the classifier learns it: its class among `labels`, and
/// its words as a message's are read (the sentences that ask, every name of
/// this career as one token), joined by single spaces: one string an
/// example rather than one a word keeps the thousands of them small.
fn training_samples(
    knowledge: &Knowledge,
    normalizer: &Normalizer,
    guards: &Guards,
    labels: &[ExampleLabel],
) -> Vec<(usize, String, f32)> {
    let joiners = &knowledge.intents.lexicon.clause_breaks;
    let first_taught = knowledge.examples.len().saturating_sub(knowledge.taught);
    knowledge
        .examples
        .iter()
        .enumerate()
        .filter_map(|(index, example)| {
            let class = labels.iter().position(|l| *l == example.label)?;
            let words =
                guards.mark_career_joined(&example_words(normalizer, joiners, &example.text));
            let boost = if index >= first_taught {
                TAUGHT_BOOST
            } else {
                1.0
            };
            Some((class, words, boost))
        })
        .collect()
}

/// How well the classifier generalises from the examples: each example
/// predicted by a model trained without it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CrossValidation {
    pub folds: usize,
    pub examples: usize,
    /// Share of examples whose label was predicted exactly.
    pub accuracy: f64,
}

/// `folds`-fold cross-validation of the classifier on `knowledge`'s
/// examples. Folds are every `folds`-th example, so the result is the same
/// on every run.
pub fn cross_validate(knowledge: &Knowledge, folds: usize) -> CrossValidation {
    let folds = folds.max(2);
    let table = &knowledge.intents;
    let normalizer = Normalizer::new(&table.lexicon);
    let guards = Guards::new(knowledge, |phrase: &str| {
        normalizer.normalize(phrase).text()
    });
    let labels = ExampleLabel::all();
    let samples = training_samples(knowledge, &normalizer, &guards, &labels);
    let mut correct = 0usize;
    for fold in 0..folds {
        let training: Vec<(usize, String, f32)> = samples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != fold)
            .map(|(_, s)| s.clone())
            .collect();
        let model = train(&training, labels.len());
        for (_, (class, text, _)) in samples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds == fold)
        {
            let words: Vec<&str> = sample_words(text).collect();
            let probabilities = model.probabilities(&features::extract_plain(&words));
            let best = probabilities
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map_or(0, |(i, _)| i);
            correct += usize::from(best == *class);
        }
    }
    CrossValidation {
        folds,
        examples: samples.len(),
        accuracy: correct as f64 / samples.len().max(1) as f64,
    }
}

/// The words of a training sample's joined text.
fn sample_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(' ').filter(|w| !w.is_empty())
}

/// Trains the classifier. Classes are weighted towards balance (by the
/// square root of their rarity, capped), so the thousands of everyday
/// negatives do not drown the few hundred examples of each topic.
fn train(normalised: &[(usize, String, f32)], classes: usize) -> Model {
    let mut counts = vec![0usize; classes];
    for (class, _, _) in normalised {
        counts[*class] += 1;
    }
    let nonzero: Vec<usize> = counts.iter().copied().filter(|&c| c > 0).collect();
    let mean = nonzero.iter().sum::<usize>() as f32 / nonzero.len().max(1) as f32;
    let weights: Vec<f32> = counts
        .iter()
        .map(|&c| {
            if c == 0 {
                0.0
            } else {
                (mean / c as f32).sqrt().clamp(0.6, 1.5)
            }
        })
        .collect();
    // One feature buffer for every sample: the set keeps only row numbers.
    let mut set = TrainingSet::default();
    let mut buffer = Vec::new();
    for (class, text, boost) in normalised {
        let words: Vec<&str> = sample_words(text).collect();
        features::extract_plain_into(&words, &mut buffer);
        set.push(&buffer, *class, weights[*class] * boost);
    }
    Model::train_set(set, classes, TrainingPlan::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clause_topic_the_question_ignores_needs_a_sure_clause() {
        // (in the clause, in the whole question, counts)
        let cases = [
            (0.60, 0.01, false),
            (0.60, CLAUSE_SUPPORT, true),
            (CLAUSE_ALONE, 0.0, true),
            (0.95, 0.30, true),
        ];
        for (in_clause, in_whole, counts) in cases {
            assert_eq!(
                clause_topic_stands(in_clause, in_whole),
                counts,
                "{in_clause} {in_whole}"
            );
        }
    }

    #[test]
    fn a_topic_without_career_context_must_be_clear_of_everyday_requests() {
        // (topic, everyday request, stands)
        let cases = [
            (ACCEPT_WITHOUT_CONTEXT, 0.20, true),
            (0.55, 0.04, true),
            (0.73, 0.06, true),
            (0.66, 0.08, true),
            (0.69, 0.09, false),
            (0.59, 0.05, false),
            (0.55, 0.05, false),
            (0.70, 0.20, false),
        ];
        for (topic, everyday, stands) in cases {
            assert_eq!(
                clear_of_everyday(topic, everyday),
                stands,
                "{topic} {everyday}"
            );
        }
    }

    #[test]
    fn a_reading_split_between_the_job_and_its_work_asks_the_work() {
        use ExampleLabel::{Intent as Topic, OffTopic};
        use Intent::{Duties, Overview, Salary};
        // (best, second, third's probability, label taken) for a question
        // naming the career
        let cases = [
            ((Topic(Overview), 0.33), (Topic(Duties), 0.24), 0.15, true),
            ((Topic(Duties), 0.40), (Topic(Overview), 0.35), 0.0, true),
            // Together not clear of the bar, or of the third reading.
            ((Topic(Overview), 0.25), (Topic(Duties), 0.20), 0.10, false),
            ((Topic(Overview), 0.30), (Topic(Duties), 0.30), 0.30, false),
            // Any other pair is a near miss, not a split.
            ((Topic(Overview), 0.40), (Topic(Salary), 0.35), 0.0, false),
            ((Topic(Duties), 0.40), (OffTopic, 0.35), 0.0, false),
        ];
        for (first, second, third, taken) in cases {
            assert_eq!(
                what_they_do(first, second, third, NAMED_ACCEPT),
                taken.then_some(Topic(Duties)),
                "{first:?} {second:?} {third}"
            );
        }
    }

    #[test]
    fn an_overview_leading_into_a_list_of_topics_is_dropped() {
        use Intent::{Duties, Education, Overview, Salary};
        // (parts, whether the overview part is dropped)
        let cases: [(&[(&str, Intent)], bool); 3] = [
            (
                &[
                    ("give me the rundown on thiscareer", Overview),
                    ("pay", Salary),
                    ("school", Education),
                ],
                true,
            ),
            // Questions of their own are not a list: the overview stays.
            (
                &[
                    ("what is thiscareer", Overview),
                    ("what do they do all day", Duties),
                    ("how much do they make a year", Salary),
                ],
                false,
            ),
            // One topic after it is not a list.
            (
                &[("tell me about thiscareer", Overview), ("pay", Salary)],
                false,
            ),
        ];
        for (given, dropped) in cases {
            let mut parts: Vec<(String, Option<ExampleLabel>)> = given
                .iter()
                .map(|&(text, intent)| (text.to_string(), Some(ExampleLabel::Intent(intent))))
                .collect();
            drop_lead_in_to_a_list(&mut parts);
            let overview_left = parts
                .iter()
                .any(|(_, l)| *l == Some(ExampleLabel::Intent(Overview)));
            assert_eq!(parts.len(), given.len() - usize::from(dropped), "{given:?}");
            assert_eq!(overview_left, !dropped, "{given:?}");
        }
    }
}
