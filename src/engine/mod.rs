//! The intent engine: which intents a message asks about, and why.
//!
//! [`Engine::classify`] normalises a message ([`normalize`]), corrects typos
//! against the intent table's vocabulary ([`fuzzy`]), splits the message
//! into clauses, and scores every intent in every clause with the table's
//! patterns and keywords. The decision rule, and the file it reads, are
//! described at the top of `knowledge/intents.toml`.
//!
//! Pure and deterministic: no I/O, no clock, no randomness. Every regex is
//! compiled once, in [`Engine::new`].

pub mod fuzzy;
pub mod normalize;

use std::collections::{HashMap, HashSet};
use std::fmt;

use regex::{Regex, RegexSet};

use crate::intent::{Ask, Intent};
use crate::knowledge::Knowledge;
use fuzzy::KeywordIndex;
use normalize::{collapse_runs, Normalizer, Token};

/// Most clauses read separately; later ones join the last (see `classify`).
const MAX_CLAUSES: usize = 16;
/// Most typo look-ups in one message; repeats are answered from a cache.
const MAX_TYPO_LOOKUPS: usize = 32;
/// Longest clause the subject slots are run on.
const MAX_SLOT_CLAUSE_BYTES: usize = 400;

/// Typo look-ups done so far for one message.
#[derive(Default)]
struct TypoBudget {
    lookups: usize,
    seen: std::collections::HashMap<String, Word>,
}

/// Cache for the lazy DFA of the combined pattern set.
const PATTERN_DFA_CACHE_BYTES: usize = 64 << 20;

/// Score an intent needs in a clause to be answered.
pub const THRESHOLD: f32 = 1.0;
/// Score of a strong pattern or an exactly spelt keyword.
const STRONG: f32 = 1.0;
/// Score of a weak pattern, a weak keyword or a typo-corrected keyword.
const WEAK: f32 = 0.5;
/// Added to weak evidence when the message is about this career or terse.
const CONTEXT_BONUS: f32 = 0.5;

/// What made an intent score in a clause.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// The strong pattern at this position in the intent's `strong` list.
    StrongPattern { index: usize, pattern: String },
    /// The weak pattern at this position in the intent's `weak` list.
    WeakPattern { index: usize, pattern: String },
    /// A keyword, spelt exactly.
    Keyword(String),
    /// A weak keyword, spelt exactly.
    WeakKeyword(String),
    /// A keyword reached by correcting a typo.
    TypoKeyword {
        typed: String,
        keyword: String,
        distance: usize,
    },
    /// An exclude pattern that vetoed the intent in the clause.
    Excluded { index: usize, pattern: String },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::StrongPattern { index, pattern } => write!(f, "strong[{index}] /{pattern}/"),
            Rule::WeakPattern { index, pattern } => write!(f, "weak[{index}] /{pattern}/"),
            Rule::Keyword(word) => write!(f, "keyword \"{word}\""),
            Rule::WeakKeyword(word) => write!(f, "weak keyword \"{word}\""),
            Rule::TypoKeyword {
                typed,
                keyword,
                distance,
            } => write!(
                f,
                "keyword \"{keyword}\" from typo \"{typed}\" (distance {distance})"
            ),
            Rule::Excluded { index, pattern } => {
                write!(f, "excluded by exclude[{index}] /{pattern}/")
            }
        }
    }
}

/// One piece of evidence for (or against) an intent.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    pub intent: Intent,
    /// Which clause of the message (0-based).
    pub clause: usize,
    pub rule: Rule,
    /// What this rule contributes before any context bonus.
    pub score: f32,
}

/// Whom the message asks about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// Nobody named, or this career's specialists.
    ThisCareer,
    /// One of the related careers in the knowledge file.
    Alternative(String),
    /// Some other occupation: no career answer.
    Other(String),
}

/// The engine's verdict on one message.
#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    /// Intents to answer, in [`Intent::ALL`] order; empty when out of scope.
    pub intents: Vec<Intent>,
    /// The questions found in the message, in the asker's order: what the
    /// answers are composed from.
    pub asks: Vec<Ask>,
    /// The message had no readable words.
    pub is_empty_message: bool,
    /// The normalised, typo-corrected clauses.
    pub clauses: Vec<String>,
    /// Whether the message is about this career (an alias or context cue).
    pub career_context: bool,
    /// Whom the message asks about.
    pub subject: Subject,
    /// Every rule that fired, including those that fell short.
    pub evidence: Vec<Evidence>,
    /// Best score per intent that scored at all, in [`Intent::ALL`] order.
    pub scores: Vec<(Intent, f32)>,
    /// Near misses worth offering as "did you mean".
    pub suggestions: Vec<Intent>,
}

impl Classification {
    /// Human-readable account of the decision, for `ask --explain`.
    pub fn explain(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "clauses: {:?}", self.clauses);
        let _ = writeln!(out, "about this career: {}", self.career_context);
        let _ = writeln!(out, "subject: {:?}", self.subject);
        for evidence in &self.evidence {
            let _ = writeln!(
                out,
                "  clause {} {:<13} {:+.1}  {}",
                evidence.clause, evidence.intent, evidence.score, evidence.rule
            );
        }
        for (intent, score) in &self.scores {
            let verdict = if self.intents.contains(intent) {
                "answered"
            } else {
                "below threshold"
            };
            let _ = writeln!(
                out,
                "score {intent:<13} {score:.1} ({verdict}, threshold {THRESHOLD:.1})"
            );
        }
        let names: Vec<_> = self.intents.iter().map(|i| i.name()).collect();
        let _ = write!(out, "intents: [{}]", names.join(", "));
        out
    }
}

/// Where a pattern in the combined set came from.
#[derive(Clone, Copy, Debug)]
enum PatternRole {
    Strong(Intent, usize),
    Weak(Intent, usize),
    Exclude(Intent, usize),
    Context,
}

/// A word after typo correction.
#[derive(Clone, Debug)]
struct Word {
    text: String,
    /// What was typed, when `text` is a correction.
    typed: Option<(String, usize)>,
}

/// The compiled intent table, ready to classify messages.
#[derive(Debug)]
pub struct Engine {
    normalizer: Normalizer,
    /// Every strong, weak, exclude and context pattern, matched in one pass.
    patterns: RegexSet,
    roles: Vec<PatternRole>,
    pattern_sources: Vec<String>,
    subject_slots: Vec<Regex>,
    subject_slot_set: RegexSet,
    /// Words never corrected.
    known: HashSet<String>,
    /// Words the table cares about: a terse clause is made only of these.
    topical: HashSet<String>,
    function_words: HashSet<String>,
    clause_breaks: HashSet<String>,
    typo_index: KeywordIndex,
    /// Keyword → the intents it belongs to, and whether it is strong there.
    keywords: HashMap<String, Vec<(Intent, bool)>>,
    /// Any name of this career, singular or plural.
    career_alias: Regex,
    /// Each related career's title and a regex for its names.
    alternatives: Vec<(String, Regex)>,
    own_subject_words: HashSet<String>,
    /// Any other occupation; the match names which.
    other_occupation: Regex,
    /// Phrases in which an occupation word names a place or a thing.
    occupation_exception: Regex,
    terse_words: usize,
}

impl Engine {
    /// Compiles the intent table in `knowledge`.
    pub fn new(knowledge: &Knowledge) -> Engine {
        let table = &knowledge.intents;
        let normalizer = Normalizer::new(&table.lexicon);
        let mut roles = Vec::new();
        let mut pattern_sources = Vec::new();
        for rule in &table.rules {
            for p in &rule.strong {
                roles.push(PatternRole::Strong(rule.intent, p.index));
                pattern_sources.push(p.as_str().to_string());
            }
            for p in &rule.weak {
                roles.push(PatternRole::Weak(rule.intent, p.index));
                pattern_sources.push(p.as_str().to_string());
            }
            for p in &rule.exclude {
                roles.push(PatternRole::Exclude(rule.intent, p.index));
                pattern_sources.push(p.as_str().to_string());
            }
        }
        for p in &table.scope.context {
            roles.push(PatternRole::Context);
            pattern_sources.push(p.as_str().to_string());
        }
        // Each pattern compiled on its own during validation, so the set
        // compiles too; an empty set is the fallback for the impossible case.
        // The set's lazy DFA gains states as it meets new messages; with the
        // default cache it would keep throwing them away and rebuilding them,
        // so it gets room for the whole table's states.
        let patterns = regex::RegexSetBuilder::new(&pattern_sources)
            .dfa_size_limit(PATTERN_DFA_CACHE_BYTES)
            .build()
            .unwrap_or_else(|_| RegexSet::empty());
        let subject_slots: Vec<Regex> = table
            .scope
            .subject_slots
            .iter()
            .map(|p| p.regex.clone())
            .collect();
        let subject_slot_set = RegexSet::new(subject_slots.iter().map(Regex::as_str))
            .unwrap_or_else(|_| RegexSet::empty());

        let normal_phrase = |phrase: &str| normalizer.normalize(phrase).text();
        let career_aliases: Vec<String> = knowledge
            .occupation
            .aliases
            .iter()
            .map(|a| normal_phrase(a))
            .collect();
        let alternatives: Vec<(String, Vec<String>)> = knowledge
            .occupation
            .alternatives
            .iter()
            .map(|alt| {
                (
                    alt.title.clone(),
                    alt.aliases.iter().map(|a| normal_phrase(a)).collect(),
                )
            })
            .collect();

        let mut keywords: HashMap<String, Vec<(Intent, bool)>> = HashMap::new();
        let mut topical: HashSet<String> = HashSet::new();
        for rule in &table.rules {
            let strong: HashSet<String> = rule.keywords.iter().cloned().collect();
            let weak: HashSet<String> = rule.weak_keywords.iter().cloned().collect();
            topical.extend(strong.iter().cloned());
            topical.extend(weak.iter().cloned());
            for word in &strong {
                keywords
                    .entry(word.clone())
                    .or_default()
                    .push((rule.intent, true));
            }
            for word in weak.iter().filter(|w| !strong.contains(*w)) {
                keywords
                    .entry(word.clone())
                    .or_default()
                    .push((rule.intent, false));
            }
        }
        // Words written in the context patterns are career nouns ("job",
        // "field", "profession"); they count as topical like the keywords.
        let context_words: Vec<String> = table
            .scope
            .context
            .iter()
            .flat_map(|p| literal_words(p.as_str()))
            .filter(|w| !table.lexicon.function_words.contains(w))
            .collect();
        topical.extend(context_words.iter().cloned());
        let phrase_words = |phrases: &[String]| -> Vec<String> {
            phrases
                .iter()
                .flat_map(|p| p.split_whitespace().map(str::to_string))
                .collect()
        };
        let alias_words = phrase_words(&career_aliases);
        let alternative_words: Vec<String> = alternatives
            .iter()
            .flat_map(|(_, aliases)| phrase_words(aliases))
            .collect();
        topical.extend(alias_words.iter().cloned());
        topical.extend(alternative_words.iter().cloned());
        let pattern_words: Vec<String> = pattern_sources
            .iter()
            .flat_map(|p| literal_words(p))
            .collect();
        let occupation_words = phrase_words(&table.scope.other_occupations);
        let replacement_words: Vec<String> = table
            .lexicon
            .replacements
            .iter()
            .flat_map(|(_, to)| to.split_whitespace().map(str::to_string))
            .collect();

        let mut known: HashSet<String> = HashSet::new();
        known.extend(table.lexicon.function_words.iter().cloned());
        known.extend(table.lexicon.not_typos.iter().cloned());
        known.extend(table.scope.own_subject_words.iter().cloned());
        known.extend(topical.iter().cloned());
        known.extend(pattern_words);
        known.extend(occupation_words.iter().cloned());
        known.extend(replacement_words);

        let typo_index = KeywordIndex::new(
            topical
                .iter()
                .chain(occupation_words.iter())
                .map(String::as_str),
        );
        Engine {
            normalizer,
            patterns,
            roles,
            pattern_sources,
            subject_slots,
            subject_slot_set,
            known,
            topical,
            function_words: table.lexicon.function_words.iter().cloned().collect(),
            clause_breaks: table.lexicon.clause_breaks.iter().cloned().collect(),
            typo_index,
            keywords,
            career_alias: phrase_regex(&career_aliases),
            alternatives: alternatives
                .iter()
                .map(|(title, aliases)| (title.clone(), phrase_regex(aliases)))
                .collect(),
            own_subject_words: table.scope.own_subject_words.iter().cloned().collect(),
            other_occupation: phrase_regex(&table.scope.other_occupations),
            occupation_exception: phrase_regex(&table.scope.occupation_exceptions),
            terse_words: table.scope.terse_words,
        }
    }

    /// Which intents `message` asks about.
    pub fn classify(&self, message: &str) -> Classification {
        let normalized = self.normalizer.normalize(message);
        let mut clauses: Vec<Vec<Word>> = vec![Vec::new()];
        let mut typo_budget = TypoBudget::default();
        for token in &normalized.tokens {
            // Past the clause limit, words join the last clause: still read
            // (an exclude or another occupation there still counts), but the
            // work per message stays bounded whatever is pasted in.
            let is_break = match token {
                Token::Break => true,
                Token::Word(word) => self.clause_breaks.contains(word),
            };
            if is_break {
                let last_is_empty = clauses.last().is_some_and(Vec::is_empty);
                if !last_is_empty && clauses.len() < MAX_CLAUSES {
                    clauses.push(Vec::new());
                }
                continue;
            }
            if let Token::Word(word) = token {
                let corrected = self.correct(word, &mut typo_budget);
                if let Some(last) = clauses.last_mut() {
                    last.push(corrected);
                }
            }
        }
        clauses.retain(|clause| !clause.is_empty());
        let clause_texts: Vec<String> = clauses.iter().map(|c| ascii_text(c)).collect();
        let full_text = clause_texts.join(" ");
        let mut result = Classification {
            intents: Vec::new(),
            asks: Vec::new(),
            is_empty_message: normalized.is_empty(),
            clauses: clause_texts.clone(),
            career_context: false,
            subject: Subject::ThisCareer,
            evidence: Vec::new(),
            scores: Vec::new(),
            suggestions: Vec::new(),
        };
        if result.is_empty_message {
            return result;
        }

        let matches: Vec<Vec<usize>> = clause_texts
            .iter()
            .map(|text| self.patterns.matches(text).into_iter().collect())
            .collect();
        result.career_context = self.career_alias.is_match(&full_text)
            || matches
                .iter()
                .flatten()
                .any(|&i| matches!(self.roles[i], PatternRole::Context));
        result.subject = self.subject(&clause_texts, &full_text);

        // Score every intent in every clause. An exclude pattern anywhere in
        // the message vetoes its intent everywhere: "what must I pay, at a
        // minimum, on my bill" is about a bill in every clause.
        let mut per_clause = vec![[0.0f32; Intent::ALL.len()]; clauses.len()];
        let mut has_strong = vec![[false; Intent::ALL.len()]; clauses.len()];
        let mut excluded = [false; Intent::ALL.len()];
        for (clause_index, (clause, matched)) in clauses.iter().zip(&matches).enumerate() {
            let terse = self.is_terse(clause);
            let bonus = if result.career_context || terse {
                CONTEXT_BONUS
            } else {
                0.0
            };
            // Keyword hits for every intent, found in one pass over the words.
            let keyword_hits: Vec<(Intent, bool, &Word)> = clause
                .iter()
                .filter_map(|word| self.keywords.get(&word.text).map(|owners| (owners, word)))
                .flat_map(|(owners, word)| {
                    owners
                        .iter()
                        .map(move |&(intent, strong)| (intent, strong, word))
                })
                .collect();
            for (intent_index, &intent) in Intent::ALL.iter().enumerate() {
                let clause_evidence =
                    self.evidence_for(intent, clause_index, &keyword_hits, matched);
                if clause_evidence
                    .iter()
                    .any(|e| matches!(e.rule, Rule::Excluded { .. }))
                {
                    excluded[intent_index] = true;
                }
                let strong = clause_evidence.iter().any(|e| e.score >= STRONG);
                has_strong[clause_index][intent_index] = strong;
                let weak = clause_evidence
                    .iter()
                    .any(|e| e.score > 0.0 && e.score < STRONG);
                per_clause[clause_index][intent_index] = if strong {
                    STRONG
                } else if weak {
                    WEAK + bonus
                } else {
                    0.0
                };
                result.evidence.extend(clause_evidence);
            }
        }
        let overview = Intent::Overview as usize;
        for (scores, strong) in per_clause.iter_mut().zip(&has_strong) {
            // "Tell me about the job market" asks about the market: the
            // overview is the fallback topic, kept only when no other topic
            // in the clause is asked for outright.
            if strong
                .iter()
                .enumerate()
                .any(|(i, &s)| s && i != overview && Intent::ALL[i].is_topic())
            {
                scores[overview] = 0.0;
            }
            for (score, vetoed) in scores.iter_mut().zip(excluded) {
                if vetoed {
                    *score = 0.0;
                }
            }
            // A clause with strong evidence for one intent is about that
            // intent; weak cues beside it ("employers" in "what
            // certifications do employers want") are incidental.
            if strong.iter().any(|&s| s) {
                for (score, _) in scores.iter_mut().zip(strong).filter(|(_, &s)| !s) {
                    *score = score.min(WEAK);
                }
            }
        }
        let best: Vec<f32> = (0..Intent::ALL.len())
            .map(|i| {
                per_clause
                    .iter()
                    .map(|scores| scores[i])
                    .fold(0.0, f32::max)
            })
            .collect();
        result.scores = Intent::ALL
            .iter()
            .zip(&best)
            .filter(|&(_, &score)| score > 0.0)
            .map(|(&intent, &score)| (intent, score))
            .collect();
        let mut intents: Vec<Intent> = result
            .scores
            .iter()
            .filter(|&&(_, score)| score >= THRESHOLD)
            .map(|&(intent, _)| intent)
            .collect();
        // Small talk only when the whole message was understood: "help, I
        // lost my phone" is not a request for the bot's help text.
        let every_clause_understood = per_clause
            .iter()
            .all(|scores| scores.iter().any(|&s| s >= THRESHOLD));
        if !every_clause_understood {
            intents.retain(|intent| intent.is_topic());
        }

        match &result.subject {
            Subject::Other(_) => intents.clear(),
            Subject::Alternative(_) => {
                // Only the related-careers answer speaks about another career.
                if intents.iter().any(|i| i.is_topic()) {
                    intents = vec![Intent::Alternatives];
                }
            }
            Subject::ThisCareer => {}
        }
        if intents.iter().any(|i| i.is_topic()) {
            intents.retain(|i| i.is_topic());
        }
        if intents.is_empty() && !matches!(result.subject, Subject::Other(_)) {
            result.suggestions = result
                .scores
                .iter()
                .filter(|(intent, score)| intent.is_topic() && *score >= WEAK)
                .map(|&(intent, _)| intent)
                .collect();
        }
        // Until the staged engine lands: one question per intent, no aspects.
        result.asks = intents
            .iter()
            .map(|&intent| Ask {
                intent: Some(intent),
                ..Ask::default()
            })
            .collect();
        result.intents = intents;
        result
    }

    /// The word as the matcher should read it: known words as typed, others
    /// with emphasis removed or a typo corrected when that gives a known word.
    fn correct(&self, word: &str, budget: &mut TypoBudget) -> Word {
        if self.known.contains(word) || word.chars().any(|c| c.is_ascii_digit()) {
            return Word {
                text: word.to_string(),
                typed: None,
            };
        }
        // A misspelt plural: "dutys" for "duties".
        if let Some(stem) = word.strip_suffix("ys") {
            let plural = format!("{stem}ies");
            if stem.ends_with(|c: char| !"aeiou".contains(c)) && self.known.contains(&plural) {
                return Word {
                    text: plural,
                    typed: Some((word.to_string(), 2)),
                };
            }
        }
        let single = collapse_runs(word, 1);
        if single != word && self.known.contains(&single) {
            return Word {
                text: single,
                typed: None,
            };
        }
        if let Some(done) = budget.seen.get(word) {
            return done.clone();
        }
        if budget.lookups >= MAX_TYPO_LOOKUPS {
            return Word {
                text: word.to_string(),
                typed: None,
            };
        }
        budget.lookups += 1;
        let corrected = match self.typo_index.correct(word) {
            Some(correction) => Word {
                text: correction.target,
                typed: Some((word.to_string(), correction.distance)),
            },
            None => Word {
                text: word.to_string(),
                typed: None,
            },
        };
        budget.seen.insert(word.to_string(), corrected.clone());
        corrected
    }

    fn is_terse(&self, clause: &[Word]) -> bool {
        let content: Vec<&Word> = clause
            .iter()
            .filter(|w| !self.function_words.contains(&w.text))
            .collect();
        !content.is_empty()
            && content.len() <= self.terse_words
            && content.iter().all(|w| self.topical.contains(&w.text))
    }

    fn evidence_for(
        &self,
        intent: Intent,
        clause_index: usize,
        keyword_hits: &[(Intent, bool, &Word)],
        matched: &[usize],
    ) -> Vec<Evidence> {
        let mut found = Vec::new();
        let mut push = |rule: Rule, score: f32| {
            found.push(Evidence {
                intent,
                clause: clause_index,
                rule,
                score,
            })
        };
        for &i in matched {
            let pattern = || self.pattern_sources[i].clone();
            match self.roles[i] {
                PatternRole::Strong(owner, index) if owner == intent => push(
                    Rule::StrongPattern {
                        index,
                        pattern: pattern(),
                    },
                    STRONG,
                ),
                PatternRole::Weak(owner, index) if owner == intent => push(
                    Rule::WeakPattern {
                        index,
                        pattern: pattern(),
                    },
                    WEAK,
                ),
                PatternRole::Exclude(owner, index) if owner == intent => push(
                    Rule::Excluded {
                        index,
                        pattern: pattern(),
                    },
                    0.0,
                ),
                _ => {}
            }
        }
        for &(owner, strong, word) in keyword_hits {
            if owner != intent {
                continue;
            }
            match (&word.typed, strong) {
                (None, true) => push(Rule::Keyword(word.text.clone()), STRONG),
                (None, false) => push(Rule::WeakKeyword(word.text.clone()), WEAK),
                (Some((typed, distance)), _) => push(
                    Rule::TypoKeyword {
                        typed: typed.clone(),
                        keyword: word.text.clone(),
                        distance: *distance,
                    },
                    WEAK,
                ),
            }
        }
        found
    }

    /// Whom the message is about: another occupation named as a subject, a
    /// related career, or this one.
    fn subject(&self, clauses: &[String], full_text: &str) -> Subject {
        // Subject slots need captures, the slowest kind of match; a clause
        // longer than any real question is left to the occupation scan below.
        for clause in clauses.iter().filter(|c| c.len() <= MAX_SLOT_CLAUSE_BYTES) {
            for slot in self.subject_slot_set.matches(clause).into_iter() {
                let Some(who) = self.subject_slots[slot]
                    .captures(clause)
                    .and_then(|c| c.name("who"))
                else {
                    continue;
                };
                match self.classify_who(who.as_str()) {
                    Subject::ThisCareer => {}
                    other => return other,
                }
            }
        }
        if let Some(name) = self.alternative_in(full_text) {
            return Subject::Alternative(name);
        }
        if let Some(occupation) = self.occupation_in(full_text) {
            if !self.career_alias.is_match(full_text) {
                return Subject::Other(occupation);
            }
        }
        Subject::ThisCareer
    }

    fn classify_who(&self, who: &str) -> Subject {
        if self.career_alias.is_match(who) {
            return Subject::ThisCareer;
        }
        if let Some(name) = self.alternative_in(who) {
            return Subject::Alternative(name);
        }
        if let Some(occupation) = self.occupation_in(who) {
            return Subject::Other(occupation);
        }
        let own = |w: &str| {
            self.own_subject_words.contains(w)
                || self.own_subject_words.contains(singular(w))
                || self.topical.contains(w)
                || self.function_words.contains(w)
                || w.chars().all(|c| c.is_ascii_digit())
        };
        if who.split_whitespace().all(own) {
            Subject::ThisCareer
        } else {
            Subject::Other(who.to_string())
        }
    }

    fn alternative_in(&self, text: &str) -> Option<String> {
        self.alternatives
            .iter()
            .find(|(_, names)| names.is_match(text))
            .map(|(title, _)| title.clone())
    }

    /// The first other occupation named in `text` outside an exception
    /// phrase ("doctors office" names a place).
    fn occupation_in(&self, text: &str) -> Option<String> {
        let exceptions: Vec<std::ops::Range<usize>> = self
            .occupation_exception
            .find_iter(text)
            .map(|m| m.range())
            .collect();
        self.other_occupation
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .find(|m| {
                !exceptions
                    .iter()
                    .any(|e| e.start <= m.start() && m.end() <= e.end)
            })
            .map(|m| m.as_str().to_string())
    }
}

/// One regex matching any of `phrases` on word boundaries, plural or not;
/// group 1 holds the phrase. Longer phrases come first so "software
/// engineer" wins over "engineer".
fn phrase_regex(phrases: &[String]) -> Regex {
    let mut sorted: Vec<&String> = phrases.iter().filter(|p| !p.is_empty()).collect();
    sorted.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let alternation: Vec<String> = sorted.iter().map(|p| regex::escape(p)).collect();
    let source = if alternation.is_empty() {
        // An empty character class: matches nothing.
        r"[^\s\S]".to_string()
    } else {
        format!(r"\b({})(?:s|es)?\b", alternation.join("|"))
    };
    // Escaped literals always compile; the fallback is unreachable.
    Regex::new(&source).unwrap_or_else(|_| Regex::new(r"[^\s\S]").expect("valid regex"))
}

/// The clause as the patterns read it: words joined by single spaces, with
/// words outside ASCII replaced by `_` (no pattern is written for them, and
/// an ASCII haystack keeps the regex engine on its fast path).
fn ascii_text(clause: &[Word]) -> String {
    let mut text = String::new();
    for (i, word) in clause.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        if word.text.is_ascii() {
            text.push_str(&word.text);
        } else {
            text.push('_');
        }
    }
    text
}

/// A crude singular: enough to match "nurses" to "nurse".
fn singular(word: &str) -> &str {
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
        &word[..word.len() - 1]
    } else {
        word
    }
}

/// Lower-case words of three or more letters written literally in a
/// pattern: the vocabulary a typo may be corrected towards.
fn literal_words(pattern: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            // `\b`, `\d`...: the letter after a backslash is not a word.
            escaped = false;
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c == '\\' {
            escaped = true;
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
        } else if c.is_ascii_lowercase() {
            current.push(c);
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words.retain(|w| w.len() >= 3);
    words
}
