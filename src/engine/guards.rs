//! Guard rails: the precise rules kept beside the classifier.
//!
//! - **Subject.** Whom a question is about comes from the `who` slot of the
//!   subject patterns (`how much do <who> make`, `become a <who>`), never
//!   from an occupation word anywhere in the message: "my mom is a nurse and
//!   says the pay is good" is still about this career, "how much do travel
//!   nurses make" is not. A question with no subject is about this career,
//!   unless the message named another occupation before it: "they" after
//!   one in the same question ("curious about pharmacists, what do they
//!   make"), any subject-less question after one asked about or, in an
//!   earlier sentence, one shown interest in ("thinking about becoming a
//!   plumber. how long is school"). An occupation that describes someone
//!   ("my aunt is a nurse", "works as a cashier") is never the subject;
//!   neither is another job in a comparison with this career.
//! - **Aspects.** The aspect catalogue's patterns say what within a topic is
//!   asked ("per hour", "online").
//! - **Stated figures.** Dollar amounts and percentages a student writes, so
//!   an answer can correct a wrong one.
//!
//! Pure; every regex is compiled once, when the knowledge loads.

use std::borrow::Cow;

use rustc_hash::FxHashSet;

use regex::Regex;

use crate::intent::StatedFigure;
use crate::knowledge::{GatedSet, Knowledge};

/// The word every name of this career is read as, so that the examples
/// teach "what does a <career> do" once for every alias.
pub const CAREER_TOKEN: &str = "thiscareer";

/// Longest question text the subject patterns run on: they hold lazy
/// repetitions, and a pasted wall of text asks nothing of them.
const MAX_SUBJECT_TEXT_BYTES: usize = 400;

/// Whom a question asks about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// Nobody named, or this career's specialists.
    ThisCareer,
    /// One of the related careers in the knowledge file, by its title.
    Alternative(String),
    /// Some other occupation, as named.
    Other(String),
}

/// The compiled guard rails.
#[derive(Debug)]
pub struct Guards {
    /// Cues that a message is about a career at all ("this job", "they").
    context: GatedSet,
    slots: Vec<Regex>,
    slot_set: GatedSet,
    own_words: FxHashSet<String>,
    career_alias: Regex,
    alternatives: Vec<(String, Regex)>,
    other_occupation: Regex,
    occupation_exception: Regex,
}

/// `pattern` compiled with ASCII classes and word boundaries.
pub fn ascii_regex(pattern: &str) -> Option<Regex> {
    regex::RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .ok()
}

/// A regex matching any of `phrases` as whole words, plural forms included.
fn phrase_regex(phrases: &[String]) -> Regex {
    let mut alternatives: Vec<String> = phrases
        .iter()
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .map(|p| regex::escape(&p))
        .collect();
    // Longest first, so "medical assistant" wins over "assistant".
    alternatives.sort_by_key(|p| std::cmp::Reverse(p.len()));
    if alternatives.is_empty() {
        // Matches nothing.
        return Regex::new(r"[^\s\S]").expect("valid regex");
    }
    let pattern = format!(r"\b(?:{})(?:s|es)?\b", alternatives.join("|"));
    ascii_regex(&pattern).expect("escaped phrases")
}

impl Guards {
    /// Compiles the guard rails of `knowledge`. The phrase lists are escaped
    /// literals and the slots were compiled once already during validation.
    pub fn new(knowledge: &Knowledge, normal: impl Fn(&str) -> String) -> Guards {
        let scope = &knowledge.intents.scope;
        let slots: Vec<Regex> = scope
            .subject_slots
            .iter()
            .map(|p| p.regex.clone())
            .collect();
        let slot_set = scope.subject_slot_set.clone();
        let aliases: Vec<String> = knowledge
            .occupation
            .aliases
            .iter()
            .map(|a| normal(a))
            .collect();
        let alternatives = knowledge
            .occupation
            .alternatives
            .iter()
            .map(|alt| {
                let names: Vec<String> = alt.aliases.iter().map(|a| normal(a)).collect();
                (alt.title.clone(), phrase_regex(&names))
            })
            .collect();
        let mut own_words: FxHashSet<String> = scope.own_subject_words.iter().cloned().collect();
        own_words.insert(CAREER_TOKEN.to_string());
        Guards {
            context: scope.context_set.clone(),
            slots,
            slot_set,
            own_words,
            career_alias: phrase_regex(&aliases),
            alternatives,
            other_occupation: phrase_regex(&scope.other_occupations),
            occupation_exception: phrase_regex(&scope.occupation_exceptions),
        }
    }

    /// Whether `text` names this career.
    pub fn names_this_career(&self, text: &str) -> bool {
        self.career_alias.is_match(text) || text.split(' ').any(|w| w == CAREER_TOKEN)
    }

    /// Whether `text` shows it is about a career: a name of this one, a
    /// context cue from the rules, or a pronoun for the people in it.
    pub fn has_career_context(&self, text: &str) -> bool {
        self.names_this_career(text)
            || self.context.is_match(text)
            || text
                .split(' ')
                .any(|w| matches!(w, "they" | "them" | "their" | "theyre" | "these" | "those"))
    }

    /// Whom "they" stands for in the question `text`: the occupation named
    /// before the first pronoun for people ("curious about database
    /// administrators, what do they make"), when the question never names
    /// this career. An occupation that describes someone ("my mom is a
    /// nurse", "i am a cashier") is background, not what "they" refers to.
    pub fn antecedent(&self, text: &str) -> Option<Subject> {
        if text.len() > MAX_SUBJECT_TEXT_BYTES || self.names_this_career(text) {
            return None;
        }
        let words: Vec<&str> = text.split(' ').collect();
        let pronoun = (0..words.len()).find(|&i| people_pronoun_at(&words, i))?;
        self.last_named_occupation(&words[..pronoun].join(" "))
    }

    /// Whom the message is about when a question names nobody: the
    /// occupation last named in the sentences before it (`earlier`, in
    /// order), when that is not this career ("i looked into radiology
    /// tech. how long do they train" is about radiology techs; "i like
    /// health info tech. do they need a license" about this career).
    /// `None` means this career.
    pub fn antecedent_before(&self, earlier: &[String]) -> Option<Subject> {
        earlier
            .iter()
            .rev()
            .find_map(|sentence| self.background_mention(sentence))
            .filter(|subject| *subject != Subject::ThisCareer)
    }

    /// What one background sentence says the message is about: the
    /// occupation it names last, this career included, another one only
    /// with a sign of interest. [`Guards::antecedent_before`] is the
    /// nearest of these, when not this career.
    pub fn background_mention(&self, sentence: &str) -> Option<Subject> {
        self.mention(sentence, true)
    }

    /// The occupation `text` names last, this career included, leaving out
    /// one that describes someone ("my mom is a nurse", "she works as a
    /// cashier"): whom what follows is about.
    pub fn last_mention(&self, text: &str) -> Option<Subject> {
        self.mention(text, false)
    }

    /// [`Guards::last_mention`]; with `wanted`, another occupation counts
    /// only where the text shows interest in it ("thinking about becoming
    /// a dental hygienist"): in background a bare occupation is most often
    /// the writer's own ("26, bartender, no degree").
    fn mention(&self, text: &str, wanted: bool) -> Option<Subject> {
        if text.len() > MAX_SUBJECT_TEXT_BYTES {
            return None;
        }
        let cleaned = self.blank_exceptions(text);
        let career = self
            .career_alias
            .find_iter(&cleaned)
            .map(|m| m.start())
            .chain(
                cleaned
                    .match_indices(CAREER_TOKEN)
                    .filter(|(at, _)| is_whole_word(&cleaned, *at, CAREER_TOKEN.len()))
                    .map(|(at, _)| at),
            )
            .max();
        match (career, self.last_named_in(text, &cleaned, wanted)) {
            (Some(at), Some((other_at, other))) if other_at > at => Some(other),
            (Some(_), _) => Some(Subject::ThisCareer),
            (None, found) => found.map(|(_, subject)| subject),
        }
    }

    /// The last occupation `text` names as something wanted or asked
    /// about, not one describing someone ("my mom is a nurse", "i am a
    /// cashier").
    fn last_named_occupation(&self, text: &str) -> Option<Subject> {
        let cleaned = self.blank_exceptions(text);
        self.last_named_in(text, &cleaned, false)
            .map(|(_, subject)| subject)
    }

    /// Whether `text` names a related career the source describes other
    /// than as someone's job ("my uncle is a database administrator").
    pub fn names_alternative(&self, text: &str) -> bool {
        self.alternatives.iter().any(|(_, names)| {
            names
                .find_iter(text)
                .any(|m| !describes_someone(text, m.start()))
        })
    }

    /// `text` with each occupation exception ("nursing home", "services
    /// manager") blanked out letter for letter, so positions still match.
    fn blank_exceptions(&self, text: &str) -> String {
        self.occupation_exception
            .replace_all(text, |found: &regex::Captures<'_>| {
                " ".repeat(found[0].len())
            })
            .into_owned()
    }

    /// [`Guards::last_named_occupation`] on `text` with its exceptions
    /// blanked (`cleaned`), with where the occupation starts. Related
    /// careers are found in the text as written: "health services
    /// manager" is one, though "services manager" is an exception.
    fn last_named_in(&self, text: &str, cleaned: &str, wanted: bool) -> Option<(usize, Subject)> {
        let mut found: Option<(usize, Subject)> = None;
        let mut consider = |start: usize, subject: Subject| {
            let shows_interest = cleaned[..start]
                .trim_end()
                .rsplit(' ')
                .take(4)
                .any(|w| INTEREST_WORDS.contains(&w));
            if wanted && !shows_interest {
                return;
            }
            let describes = describes_someone(cleaned, start);
            let later = match &found {
                Some((at, _)) => start > *at,
                None => true,
            };
            if !describes && later {
                found = Some((start, subject));
            }
        };
        for (title, names) in &self.alternatives {
            for m in names.find_iter(text) {
                consider(m.start(), Subject::Alternative(title.clone()));
            }
        }
        for m in self.other_occupation.find_iter(cleaned) {
            consider(m.start(), Subject::Other(m.as_str().to_string()));
        }
        found
    }

    /// Whether `text` itself says it is about this career: a name of it or
    /// a context cue ("this job", "health information"), pronouns aside.
    pub fn says_this_career(&self, text: &str) -> bool {
        self.names_this_career(text) || self.context.is_match(text)
    }

    /// Whether `text` compares ("better than", "vs", "the difference"):
    /// a comparison in this bot asks about this career beside another.
    pub fn compares(text: &str) -> bool {
        text.split(' ').any(|w| COMPARING_WORDS.contains(&w))
    }

    /// Whether any of `words` can make an occupation a yardstick: without
    /// one, [`Guards::without_yardsticks`] finds nothing, so most questions
    /// skip it.
    pub fn has_yardstick_word<'a>(mut words: impl Iterator<Item = &'a str>) -> bool {
        words.any(|w| YARDSTICK_WORDS.contains(&w))
    }

    /// `text` without the occupations it names only as a yardstick ("do
    /// you need a license like nurses do", "more than a cashier makes"),
    /// when it names one so and no other; `None` otherwise.
    pub fn without_yardsticks(&self, text: &str) -> Option<String> {
        let mut kept = String::with_capacity(text.len());
        let mut last = 0;
        for m in self.other_occupation.find_iter(text) {
            let before: Vec<&str> = text[..m.start()].split_whitespace().collect();
            // "like nurses", "than a nurse", "unlike most nurses".
            let leading = before
                .iter()
                .rev()
                .take_while(|w| YARDSTICK_FILLERS.contains(w))
                .count();
            let yardstick = before.len() > leading
                && YARDSTICK_WORDS.contains(&before[before.len() - leading - 1]);
            if !yardstick {
                return None;
            }
            // Cut from the comparing word, and the verb that closes it.
            let cut_from = text[..m.start()]
                .rmatch_indices(before[before.len() - leading - 1])
                .next()
                .map_or(m.start(), |(at, _)| at);
            kept.push_str(&text[last..cut_from]);
            last = m.end();
            let rest = &text[last..];
            if let Some(verb) = rest.split_whitespace().next() {
                if YARDSTICK_VERBS.contains(&verb) {
                    last += rest.find(verb).unwrap_or(0) + verb.len();
                }
            }
        }
        if last == 0 {
            return None;
        }
        kept.push_str(&text[last..]);
        Some(kept.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// Whether `text` asks to choose between things or compares them
    /// ("which one needs more school", "how do the two compare").
    pub fn asks_to_choose(text: &str) -> bool {
        let words: Vec<&str> = text.split(' ').collect();
        Guards::compares(text)
            || words.windows(2).any(|pair| {
                matches!(
                    pair,
                    [
                        "which",
                        "one"
                            | "ones"
                            | "of"
                            | "is"
                            | "would"
                            | "should"
                            | "needs"
                            | "requires"
                            | "pays"
                    ] | ["the" | "these" | "those" | "other", "two" | "three"]
                )
            })
    }

    /// Whether `text` points at two things named before it, or at each of
    /// several ("what's the difference between the two", "what does each
    /// one involve", "which of them needs more school").
    pub fn points_to_several(text: &str) -> bool {
        let words: Vec<&str> = text.split(' ').collect();
        words
            .iter()
            .any(|w| matches!(*w, "both" | "each" | "either"))
            || words.windows(2).any(|pair| {
                matches!(
                    pair,
                    ["the" | "these" | "those", "two"]
                        | ["of" | "between", "them" | "those" | "these"]
                        | ["that" | "this", "job" | "one" | "career" | "route" | "path"]
                )
            })
    }

    /// Whether `text` points at other careers named before it: at several
    /// ([`Guards::points_to_several`]), or at "those", or "they all".
    pub fn points_to_others(text: &str) -> bool {
        let words: Vec<&str> = text.split(' ').collect();
        Guards::points_to_several(text)
            || words.contains(&"those")
            || words
                .windows(2)
                .any(|pair| matches!(pair, ["they" | "them", "all"]))
    }

    /// Whether `text` holds a pronoun for the people in an occupation.
    pub fn has_people_pronoun(text: &str) -> bool {
        let words: Vec<&str> = text.split(' ').collect();
        (0..words.len()).any(|i| people_pronoun_at(&words, i))
    }

    /// `text` with every related career's name read as this career's token.
    pub fn mark_alternatives(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (_, names) in &self.alternatives {
            out = names.replace_all(&out, CAREER_TOKEN).into_owned();
        }
        out
    }

    /// `words` joined by single spaces, with every name of this career
    /// replaced by [`CAREER_TOKEN`]: [`Guards::mark_career`] as one string,
    /// for the thousands of examples read at load.
    pub fn mark_career_joined(&self, words: &[String]) -> String {
        let text = words.join(" ");
        match self.career_alias.replace_all(&text, CAREER_TOKEN) {
            Cow::Borrowed(_) => text,
            Cow::Owned(marked) => marked
                .split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// `words` with every name of this career replaced by [`CAREER_TOKEN`].
    pub fn mark_career(&self, words: Vec<String>) -> Vec<String> {
        match self
            .career_alias
            .replace_all(&words.join(" "), CAREER_TOKEN)
        {
            Cow::Borrowed(_) => words,
            Cow::Owned(marked) => marked
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }

    /// The related career `text` names, if any.
    pub fn alternative_in(&self, text: &str) -> Option<&str> {
        self.alternatives
            .iter()
            .find(|(_, names)| names.is_match(text))
            .map(|(title, _)| title.as_str())
    }

    /// Whom the question `text` (normalised) is about.
    pub fn subject(&self, text: &str) -> Subject {
        if text.len() > MAX_SUBJECT_TEXT_BYTES {
            return Subject::ThisCareer;
        }
        for slot in self.slot_set.matches(text) {
            let Some(who) = self.slots[slot]
                .captures(text)
                .and_then(|c| c.name("who"))
                .map(|m| m.as_str())
            else {
                continue;
            };
            match self.who(who) {
                Subject::ThisCareer => continue,
                other => return other,
            }
        }
        Subject::ThisCareer
    }

    /// What a `who` slot names.
    fn who(&self, who: &str) -> Subject {
        if self.names_this_career(who) {
            return Subject::ThisCareer;
        }
        if let Some(title) = self.alternative_in(who) {
            return Subject::Alternative(title.to_string());
        }
        if who.split_whitespace().all(|w| self.own_words.contains(w)) {
            return Subject::ThisCareer;
        }
        let cleaned = self.occupation_exception.replace_all(who, " ");
        match self.other_occupation.find(&cleaned) {
            Some(found) => Subject::Other(found.as_str().to_string()),
            None => Subject::ThisCareer,
        }
    }
}

/// Whether the occupation at `start` of `text` describes someone: a
/// describing word or a possessive within three words before it, to reach
/// past one adjective ("is a respiratory therapist", "my guidance
/// counselor").
fn describes_someone(text: &str, start: usize) -> bool {
    text[..start]
        .trim_end()
        .rsplit(' ')
        .take(3)
        .any(|w| DESCRIBING_WORDS.contains(&w) || POSSESSIVES.contains(&w))
}

/// Words that make the occupation after them a yardstick, not the subject.
const YARDSTICK_WORDS: &[&str] = &["like", "unlike", "than"];
/// Words that may stand between a yardstick word and its occupation.
const YARDSTICK_FILLERS: &[&str] = &["a", "an", "the", "most", "other", "some", "regular"];
/// A verb closing a yardstick ("like nurses do").
const YARDSTICK_VERBS: &[&str] = &["do", "does", "did", "make", "makes", "have", "has", "get"];

/// Words before an occupation that make it a description of someone
/// ("my aunt is a nurse", "she works as a cashier"), not a career asked about.
const DESCRIBING_WORDS: &[&str] = &["is", "am", "was", "as", "shes", "hes"];

/// A person's occupation, not a career asked about, follows these within
/// three words ("my guidance counselor", "my dads a paramedic"), as it
/// follows [`DESCRIBING_WORDS`].
const POSSESSIVES: &[&str] = &["my", "his", "her", "our"];

/// Words that show an occupation named in background is one the writer
/// is weighing, not their own ("thinking about becoming a ...").
const INTEREST_WORDS: &[&str] = &[
    "become",
    "becoming",
    "consider",
    "considering",
    "considered",
    "thinking",
    "looking",
    "looked",
    "interested",
    "pursue",
    "pursuing",
    "study",
    "studying",
    "about",
    "into",
    "between",
    "choose",
    "choosing",
    "pick",
    "want",
    "wants",
];

/// Words that make a question a comparison.
const COMPARING_WORDS: &[&str] = &[
    "better",
    "worse",
    "than",
    "vs",
    "versus",
    "compared",
    "compare",
    "comparison",
    "difference",
    "each",
    "both",
    "same",
    "similar",
];

/// Whether `text[at..at + len]` is a whole word.
fn is_whole_word(text: &str, at: usize, len: usize) -> bool {
    let bytes = text.as_bytes();
    (at == 0 || bytes[at - 1] == b' ') && bytes.get(at + len).map_or(true, |&b| b == b' ')
}

fn is_people_pronoun(word: &str) -> bool {
    matches!(word, "they" | "them" | "their" | "theyre")
}

/// Whether `words[i]` stands for the people in an occupation: "they", or
/// "those"/"these" right after a verb asking about them ("where do those
/// usually work").
fn people_pronoun_at(words: &[&str], i: usize) -> bool {
    is_people_pronoun(words[i])
        || (matches!(words[i], "those" | "these")
            && i > 0
            && matches!(
                words[i - 1],
                "do" | "does" | "did" | "are" | "were" | "can" | "would" | "will" | "should"
            ))
}

/// The figures stated in `words` (normalised): "40,430", "40k", "15
/// percent". Years (1900–2099 without a dollar sign or "k") and small
/// counts are not figures.
pub fn stated_figures(words: &[&str]) -> Vec<StatedFigure> {
    let mut found = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let (digits, thousands) = match word.strip_suffix('k') {
            Some(stem) => (stem, true),
            None => (*word, false),
        };
        let plain: String = digits.chars().filter(|&c| c != ',').collect();
        if plain.is_empty() || !plain.chars().all(|c| c.is_ascii_digit() || c == '.') {
            continue;
        }
        let Ok(mut value) = plain.parse::<f64>() else {
            continue;
        };
        if thousands {
            value *= 1000.0;
        }
        let percent = words
            .get(i + 1)
            .is_some_and(|next| *next == "percent" || *next == "pct");
        let money = thousands || i > 0 && words[i - 1] == "money" || digits.contains(',');
        let is_year =
            !money && !percent && (1900.0..2100.0).contains(&value) && value.fract() == 0.0;
        if percent || money || (value >= 1000.0 && !is_year) {
            found.push(StatedFigure { value, percent });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guard rails of the built-in knowledge.
    fn embedded_guards() -> Guards {
        let knowledge = Knowledge::embedded().expect("built-in knowledge");
        Guards::new(&knowledge, |s| s.to_lowercase())
    }

    #[test]
    fn the_career_is_marked_the_same_as_words_or_as_one_string() {
        let guards = embedded_guards();
        // (words, the same words with the career marked)
        let cases = [
            (
                "what do health information technicians do",
                "what do thiscareer do",
            ),
            ("how much do nurses make", "how much do nurses make"),
            ("", ""),
        ];
        for (text, expected) in cases {
            let words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
            assert_eq!(guards.mark_career_joined(&words), expected, "{text}");
            assert_eq!(guards.mark_career(words).join(" "), expected, "{text}");
        }
    }

    #[test]
    fn stated_figures_table() {
        // (words, [(value, percent)])
        let cases: &[(&str, &[(f64, bool)])] = &[
            ("so the median is 40,430 right", &[(40430.0, false)]),
            ("is it 40k a year", &[(40000.0, false)]),
            ("growth is 20 percent", &[(20.0, true)]),
            ("money 37110", &[(37110.0, false)]),
            ("in 2015 and 2024", &[]),
            ("i am 17 with 2 kids", &[]),
        ];
        for (text, expected) in cases {
            let words: Vec<&str> = text.split(' ').collect();
            let found: Vec<(f64, bool)> = stated_figures(&words)
                .into_iter()
                .map(|f| (f.value, f.percent))
                .collect();
            assert_eq!(found, *expected, "{text}");
        }
    }

    #[test]
    fn subjects_come_from_the_who_slot() {
        let guards = embedded_guards();
        let cases = [
            ("how much do travel nurses make", Some("nurses")),
            ("my mom is a nurse and says the pay is good", None),
            ("how much do they make", None),
            ("how do i become a doctor", Some("doctor")),
            ("how much do health information technicians make", None),
            (
                "what is the schooling for respiratory therapy",
                Some("respiratory therapy"),
            ),
            ("what is the schooling for this job", None),
            // "<occupation> school" asks about that occupation's schooling.
            (
                "is medical assisting school shorter than a year",
                Some("medical assisting"),
            ),
            ("how long is nursing school", Some("nursing")),
            ("is the program hard", None),
            ("how long is thiscareer school", None),
            // "what a <who>'s salary looks like".
            (
                "what a network admins salary looks like after 5 years",
                Some("network admin"),
            ),
            ("what a thiscareers salary looks like", None),
        ];
        for (text, other) in cases {
            let subject = guards.subject(text);
            match other {
                Some(name) => assert_eq!(subject, Subject::Other(name.into()), "{text}"),
                None => assert_eq!(subject, Subject::ThisCareer, "{text}"),
            }
        }
        assert_eq!(
            guards.subject("how much do database administrators make"),
            Subject::Alternative("Database administrator".into())
        );
    }

    #[test]
    fn an_occupation_named_to_compare_is_read_away() {
        let guards = embedded_guards();
        let cases = [
            (
                "do you need a license like nurses do",
                Some("do you need a license"),
            ),
            (
                "is the pay better than a cashier makes",
                Some("is the pay better"),
            ),
            (
                "do they work nights unlike most nurses",
                Some("do they work nights"),
            ),
            // The occupation is what is asked about, or not there at all.
            ("how much do nurses make", None),
            ("is it like being a nurse", None),
            ("how much do nurses make like doctors", None),
            ("do you need a license", None),
        ];
        for (text, expected) in cases {
            assert_eq!(
                guards.without_yardsticks(text).as_deref(),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn a_related_career_named_as_someones_job_is_background() {
        let guards = embedded_guards();
        let cases = [
            ("thinking about database administrator or this", true),
            ("health it vs database administrator", true),
            ("my uncle is a database administrator", false),
            ("how much do they make", false),
        ];
        for (text, names) in cases {
            assert_eq!(guards.names_alternative(text), names, "{text}");
        }
    }

    #[test]
    fn choices_and_comparisons_are_seen() {
        let cases = [
            ("which one needs more school", true),
            ("how do the two compare", true),
            ("is it better than retail", true),
            ("which certifications do employers want", false),
            ("how long is school", false),
        ];
        for (text, asks) in cases {
            assert_eq!(Guards::asks_to_choose(text), asks, "{text}");
        }
    }

    #[test]
    fn pointing_at_several_things_named_before() {
        let cases = [
            ("what is the difference between the two", true),
            ("what does each one involve", true),
            ("which of them needs more school", true),
            ("what does that job involve", true),
            ("what do they do", false),
            ("how long is school", false),
        ];
        for (text, several) in cases {
            assert_eq!(Guards::points_to_several(text), several, "{text}");
        }
        for (text, others) in [
            ("do those need more school", true),
            ("do they all need a bachelors", true),
            ("what does each one involve", true),
            ("do they need a degree", false),
        ] {
            assert_eq!(Guards::points_to_others(text), others, "{text}");
        }
    }

    #[test]
    fn they_refers_to_the_occupation_named_before_it() {
        let guards = embedded_guards();
        // (question, whom "they" stands for: None is this career)
        let cases = [
            (
                "thinking about electricians what do they make",
                Some("electricians"),
            ),
            (
                "how long is school for a plumber do they need a license",
                Some("plumber"),
            ),
            ("my dad is a mechanic what do they make", None),
            // "those" after a verb asking about them stands for the people.
            (
                "i keep hearing about electricians how much do those make",
                Some("electricians"),
            ),
            ("i am a cashier how much school do they need", None),
            ("what do they make", None),
            ("pharmacists vs thiscareer what do they make", None),
        ];
        for (text, expected) in cases {
            let found = guards.antecedent(text);
            match expected {
                Some(name) => assert_eq!(found, Some(Subject::Other(name.into())), "{text}"),
                None => assert_eq!(found, None, "{text}"),
            }
        }
        assert_eq!(
            guards.antecedent("curious about database administrators what do they earn"),
            Some(Subject::Alternative("Database administrator".into()))
        );
    }

    #[test]
    fn they_looks_back_to_the_nearest_sentence_naming_an_occupation() {
        let guards = embedded_guards();
        // (earlier sentences, whom "they" stands for: None is this career)
        let cases: &[(&[&str], Option<&str>)] = &[
            (&["i was looking into becoming a plumber"], Some("plumber")),
            (&["i like thiscareer"], None),
            (&["i like thiscareer", "my aunt is a nurse"], None),
            (
                &["i like thiscareer", "but i also looked at being a plumber"],
                Some("plumber"),
            ),
            (&["i looked at plumbers", "i also like thiscareer"], None),
            (&["hi", "i am 17"], None),
        ];
        for (earlier, expected) in cases {
            let earlier: Vec<String> = earlier.iter().map(|s| s.to_string()).collect();
            let found = guards.antecedent_before(&earlier);
            match expected {
                Some(name) => {
                    assert_eq!(found, Some(Subject::Other((*name).into())), "{earlier:?}")
                }
                None => assert_eq!(found, None, "{earlier:?}"),
            }
        }
    }
}
