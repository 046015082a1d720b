//! A set of patterns where each pattern runs only on text holding one of
//! the literals every match of it must start with.
//!
//! Why not one [`regex::RegexSet`]: a set of a hundred patterns with
//! `(?: \w+){0,4}` gaps has no prefilter, and its lazy DFA builds new
//! states for almost every message it has not seen, which is most of them
//! in a chat: that was a quarter of the work per question. Here one
//! Aho-Corasick pass finds the leading literals present (the regex parser's
//! own literal extraction, so nothing is listed by hand), and only the
//! patterns they start are run, from where their literals start. A pattern
//! whose matches have no finite set of leading literals (one that can start
//! with `\w+`, say) runs on every text. The answer is the same as the set's:
//! a pattern matching somewhere starts with one of its literals there.
//!
//! Building fails with a typed error naming the pattern, never a silently
//! empty set. Pure: no I/O.

use std::fmt;

use aho_corasick::AhoCorasick;
use regex_automata::meta::Regex;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::Hir;
use rustc_hash::FxHashMap;

/// Most starts a pattern is tried at, anchored, before one search over
/// the whole text is cheaper.
const MAX_ANCHORED: usize = 8;

/// Why a set could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatedSetError {
    /// Pattern `index` does not compile (too big, bad syntax).
    Pattern { index: usize, message: String },
    /// The literal automaton could not be built.
    Literals(String),
}

impl fmt::Display for GatedSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GatedSetError::Pattern { index, message } => {
                write!(f, "pattern {} does not compile: {message}", index + 1)
            }
            GatedSetError::Literals(message) => {
                write!(f, "the patterns' leading literals do not build: {message}")
            }
        }
    }
}

impl std::error::Error for GatedSetError {}

/// The compiled set.
#[derive(Clone, Debug)]
pub struct GatedSet {
    patterns: Vec<Regex>,
    /// Finds the leading literals present in a text.
    literals: AhoCorasick,
    /// For each literal of `literals`, the patterns it starts.
    literal_patterns: Vec<Vec<usize>>,
    /// Patterns with no finite set of leading literals: run on every text.
    ungated: Vec<usize>,
}

/// The literals every match of `hir` starts with, or `None` when a match
/// may start anywhere (no finite set, or the empty literal).
fn leading_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// `error` and the errors under it, joined: the engine's own message
/// ("error building NFA") names the stage, its source the cause.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        cause = inner.source();
    }
    message
}

/// Parses `pattern` as the regex crate does with Unicode off, and builds
/// it: one parse serves both the engine and the literal extraction.
fn compile(pattern: &str, size_limit: usize) -> Result<(Regex, Hir), String> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .build()
        .parse(pattern)
        .map_err(|error| error.to_string())?;
    let regex = Regex::builder()
        .configure(
            Regex::config()
                .which_captures(WhichCaptures::None)
                .onepass(false)
                .dfa(false)
                .backtrack(false)
                // Searches start where a literal was found: a prefilter
                // would only look for it again.
                .auto_prefilter(false)
                .nfa_size_limit(Some(size_limit))
                .hybrid_cache_capacity(size_limit),
        )
        .build_from_hir(&hir)
        .map_err(|error| with_causes(&error))?;
    Ok((regex, hir))
}

impl GatedSet {
    /// Compiles `patterns` as ASCII regexes (no Unicode classes), each
    /// within `size_limit` bytes. Every pattern that fails is reported.
    pub fn new<S: AsRef<str>>(
        patterns: &[S],
        size_limit: usize,
    ) -> Result<GatedSet, Vec<GatedSetError>> {
        let mut errors = Vec::new();
        let mut compiled = Vec::with_capacity(patterns.len());
        let mut literal_ids: FxHashMap<Vec<u8>, usize> = FxHashMap::default();
        let mut literal_list: Vec<Vec<u8>> = Vec::new();
        let mut literal_patterns: Vec<Vec<usize>> = Vec::new();
        let mut ungated = Vec::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let hir = match compile(pattern.as_ref(), size_limit) {
                Ok((regex, hir)) => {
                    compiled.push(regex);
                    hir
                }
                Err(message) => {
                    errors.push(GatedSetError::Pattern { index, message });
                    continue;
                }
            };
            match leading_literals(&hir) {
                Some(literals) => {
                    for literal in literals {
                        let id = *literal_ids.entry(literal.clone()).or_insert_with(|| {
                            literal_list.push(literal);
                            literal_patterns.push(Vec::new());
                            literal_list.len() - 1
                        });
                        if literal_patterns[id].last() != Some(&index) {
                            literal_patterns[id].push(index);
                        }
                    }
                }
                None => ungated.push(index),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let literals = AhoCorasick::new(&literal_list)
            .map_err(|error| vec![GatedSetError::Literals(error.to_string())])?;
        Ok(GatedSet {
            patterns: compiled,
            literals,
            literal_patterns,
            ungated,
        })
    }

    /// Where each pattern may match in `text`, by pattern then start:
    /// `(pattern, Some(start))` for each of the first [`MAX_ANCHORED`]
    /// places one of a gated pattern's literals starts, `(pattern, None)`
    /// (anywhere) for an ungated pattern or one whose literals stand in
    /// more places than that (a long message repeating a word), so the
    /// list stays short whatever the message.
    fn candidates(&self, text: &str) -> Vec<(usize, Option<usize>)> {
        let mut found: Vec<(usize, Option<usize>)> =
            self.ungated.iter().map(|&index| (index, None)).collect();
        let mut places = vec![0u8; self.patterns.len()];
        for hit in self.literals.find_overlapping_iter(text) {
            for &index in &self.literal_patterns[hit.pattern().as_usize()] {
                let seen = usize::from(places[index]);
                if seen < MAX_ANCHORED {
                    found.push((index, Some(hit.start())));
                } else if seen == MAX_ANCHORED {
                    found.push((index, None));
                }
                places[index] = places[index].saturating_add(1);
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Whether the pattern of `group` (its entries of [`GatedSet::candidates`],
    /// one pattern's, `None` first) matches in `text`: one search over the
    /// whole text when it may start anywhere, else anchored at each start,
    /// each search ending where the pattern fails.
    fn group_matches(&self, text: &str, group: &[(usize, Option<usize>)]) -> bool {
        let regex = &self.patterns[group[0].0];
        if group[0].1.is_none() {
            return regex.is_match(Input::new(text).earliest(true));
        }
        group.iter().filter_map(|&(_, start)| start).any(|start| {
            regex.is_match(
                Input::new(text)
                    .range(start..)
                    .anchored(Anchored::Yes)
                    .earliest(true),
            )
        })
    }

    /// Indexes of the patterns matching somewhere in `text`, ascending.
    pub fn matches(&self, text: &str) -> Vec<usize> {
        self.candidates(text)
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|group| self.group_matches(text, group))
            .map(|group| group[0].0)
            .collect()
    }

    /// Whether any pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.candidates(text)
            .chunk_by(|a, b| a.0 == b.0)
            .any(|group| self.group_matches(text, group))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: usize = 1 << 20;

    /// (patterns, text, the indexes that match): each row checked against
    /// a plain `RegexSet` of the same patterns too.
    const CASES: &[(&[&str], &str, &[usize])] = &[
        (
            &[r"\bmedian\b", r"\bpay\b"],
            "whats the median pay",
            &[0, 1],
        ),
        (&[r"\bmedian\b", r"\bpay\b"], "median household", &[0]),
        (&[r"\bmedian\b", r"\bpay\b"], "nothing here", &[]),
        // A gap of words between the literal and the rest.
        (
            &[r"\b(?:average|avg)\b(?: \w+){0,3} (?:salary|pay)\b"],
            "avg yearly base salary",
            &[0],
        ),
        (
            &[r"\b(?:average|avg)\b(?: \w+){0,3} (?:salary|pay)\b"],
            "avg a b c d salary",
            &[],
        ),
        // No finite leading literals: runs on every text.
        (
            &[r"\w+ from home\b", r"\bremote\b"],
            "can i work from home",
            &[0],
        ),
        (
            &[r"(?: \w+)? hours\b", r"\bshift"],
            "the hours and shifts",
            &[0, 1],
        ),
        // An optional start: both "per hour" and "hour" start it.
        (&[r"\b(?:per )?hour(?:ly)?\b"], "paid by the hour", &[0]),
        // Only a later occurrence of the literal starts a match.
        (
            &[r"\bpay (?:rise|raise)\b"],
            "pay is low but a pay raise",
            &[0],
        ),
        (&[r"\bmedian\b"], "medians or the median", &[0]),
        // More starts than are tried anchored: one search over the text.
        (
            &[r"\bpay (?:rise|raise)\b"],
            "pay pay pay pay pay pay pay pay pay pay pay a pay raise",
            &[0],
        ),
        (
            &[r"\bpay (?:rise|raise)\b"],
            "pay pay pay pay pay pay pay pay pay pay pay a payraise",
            &[],
        ),
        (&[r"\bmedian\b"], "medians and premedian", &[]),
        // A literal shared by two patterns starts both.
        (
            &[r"\bpay\b", r"\bpay (?:rise|raise)"],
            "a pay raise",
            &[0, 1],
        ),
    ];

    #[test]
    fn matches_what_a_regex_set_matches() {
        for &(patterns, text, expected) in CASES {
            let gated = GatedSet::new(patterns, LIMIT).expect("builds");
            let set = regex::RegexSetBuilder::new(patterns)
                .unicode(false)
                .build()
                .expect("builds");
            let plain: Vec<usize> = set.matches(text).into_iter().collect();
            assert_eq!(gated.matches(text), expected, "{patterns:?} on {text:?}");
            assert_eq!(plain, expected, "{patterns:?} on {text:?} (RegexSet)");
            assert_eq!(gated.is_match(text), !expected.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn leading_literals_are_found_or_refused() {
        let literals = |pattern: &str| {
            let (_, hir) = compile(pattern, LIMIT).expect("compiles");
            leading_literals(&hir)
        };
        assert_eq!(
            literals(r"\b(?:median|mean)\b"),
            Some(vec![b"median".to_vec(), b"mean".to_vec()])
        );
        assert_eq!(literals(r"\w+ pay"), None);
        assert_eq!(literals(r"(?:x)?"), None);
    }

    #[test]
    fn a_pattern_that_does_not_compile_is_named() {
        let errors = GatedSet::new(&[r"(bad", r"\bok\b", r"(unclosed"], LIMIT).unwrap_err();
        let indexes: Vec<usize> = errors
            .iter()
            .map(|error| match error {
                GatedSetError::Pattern { index, .. } => *index,
                GatedSetError::Literals(_) => usize::MAX,
            })
            .collect();
        assert_eq!(indexes, [0, 2], "{errors:?}");
        assert!(errors[1]
            .to_string()
            .starts_with("pattern 3 does not compile"));
        let too_big = GatedSet::new(&[r"\w{100}\w{100}\w{100}"], 1_000).unwrap_err();
        assert!(matches!(
            too_big[0],
            GatedSetError::Pattern { index: 0, .. }
        ));
    }
}
