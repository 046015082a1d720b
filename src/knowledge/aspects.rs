//! The aspect catalogue (`knowledge/aspects.toml`): the particular things a
//! question can ask within a topic, whether this knowledge's source covers
//! each, and the patterns that recognise them.
//!
//! Parsing and validation only; the engine decides when an aspect applies.
//! All patterns compile into one [`GatedSet`]; a pattern that cannot be
//! built (too big, say) is a load problem naming it and the cause, never
//! an empty set.

use super::gated::{GatedSet, GatedSetError};
use serde::Deserialize;
use toml::Spanned;

use super::{line_column, Problem, SourceFile};
use crate::intent::Intent;

/// Most memory one compiled aspect pattern may use.
const ASPECT_PATTERN_SIZE_LIMIT: usize = 1 << 20;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    #[serde(rename = "aspect", default)]
    aspects: Vec<RawAspect>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAspect {
    name: Spanned<String>,
    topic: Spanned<String>,
    covered: bool,
    #[serde(default)]
    keeps_topic: Option<bool>,
    #[serde(default)]
    asks_topic: Option<Spanned<bool>>,
    #[serde(default)]
    includes: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
}

/// One aspect of a topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aspect {
    /// Short name, e.g. "hourly pay".
    pub name: String,
    pub topic: Intent,
    /// Whether the source answers it.
    pub covered: bool,
    /// For an uncovered aspect: whether the topic is still answered.
    pub keeps_topic: bool,
    /// For an uncovered aspect that keeps its topic: whether naming the
    /// aspect asks about the topic ("will AI replace them" asks about the
    /// future of the job), so a question the classifier reads as a gap
    /// still gets the topic.
    pub asks_topic: bool,
    /// Topics a question asking this aspect takes in as part of it: "which
    /// employers pay the most" names places only to ask the pay, so the
    /// same question does not also ask where they work.
    pub includes: Vec<Intent>,
}

/// The validated catalogue, its patterns compiled into one set.
#[derive(Clone, Debug)]
pub struct AspectCatalogue {
    pub aspects: Vec<Aspect>,
    /// Every pattern of every aspect.
    pub patterns: GatedSet,
    /// For each pattern in `patterns`, the index of its aspect.
    pub pattern_aspect: Vec<usize>,
}

impl AspectCatalogue {
    /// The aspect with this name.
    pub fn get(&self, name: &str) -> Option<&Aspect> {
        self.aspects.iter().find(|aspect| aspect.name == name)
    }

    /// Indexes of the aspects whose patterns match `text`, ascending.
    pub fn matching(&self, text: &str) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .patterns
            .matches(text)
            .into_iter()
            .map(|pattern| self.pattern_aspect[pattern])
            .collect();
        found.dedup();
        found
    }
}

fn problem_at(file: &SourceFile, offset: usize, message: String) -> Problem {
    let (line, column) = line_column(&file.text, offset);
    Problem {
        file: file.name.clone(),
        line,
        column,
        message,
    }
}

/// Parses and validates `aspects.toml`: known topics, unique names, a
/// `keeps_topic` for every uncovered aspect, `asks_topic` only on an
/// uncovered aspect that keeps its topic, patterns that compile.
pub fn parse(file: &SourceFile) -> Result<AspectCatalogue, Vec<Problem>> {
    let raw: RawCatalogue = match toml::from_str(&file.text) {
        Ok(raw) => raw,
        Err(error) => {
            let message = error.message().trim().to_string();
            let offset = error.span().map_or(0, |span| span.start);
            return Err(vec![problem_at(file, offset, message)]);
        }
    };
    let mut problems = Vec::new();
    let mut aspects = Vec::new();
    let mut sources = Vec::new();
    let mut pattern_aspect = Vec::new();
    // Where each pattern starts in the file, to point at a bad one.
    let mut offsets = Vec::new();
    for raw_aspect in raw.aspects {
        let name = raw_aspect.name.get_ref().trim().to_string();
        if name.is_empty() {
            problems.push(problem_at(
                file,
                raw_aspect.name.span().start,
                "an aspect needs a name".into(),
            ));
        }
        if aspects.iter().any(|a: &Aspect| a.name == name) {
            problems.push(problem_at(
                file,
                raw_aspect.name.span().start,
                format!("aspect `{name}` is defined twice"),
            ));
        }
        let topic = Intent::from_name(raw_aspect.topic.get_ref()).filter(|i| i.is_topic());
        let Some(topic) = topic else {
            let known: Vec<&str> = Intent::TOPICS.iter().map(|i| i.name()).collect();
            problems.push(problem_at(
                file,
                raw_aspect.topic.span().start,
                format!(
                    "unknown topic `{}`; expected one of {}",
                    raw_aspect.topic.get_ref(),
                    known.join(", ")
                ),
            ));
            continue;
        };
        let keeps_topic = match (raw_aspect.covered, raw_aspect.keeps_topic) {
            (true, _) => true,
            (false, Some(keeps)) => keeps,
            (false, None) => {
                problems.push(problem_at(
                    file,
                    raw_aspect.name.span().start,
                    format!("uncovered aspect `{name}` needs `keeps_topic = true` or `false`"),
                ));
                false
            }
        };
        // Only a gap whose topic is still answered can ask that topic.
        let may_ask_topic = keeps_topic && !raw_aspect.covered;
        let asks_topic = match &raw_aspect.asks_topic {
            Some(asks) if *asks.get_ref() && !may_ask_topic => {
                problems.push(problem_at(
                    file,
                    asks.span().start,
                    format!(
                        "aspect `{name}`: `asks_topic` is only for an uncovered aspect with `keeps_topic = true`"
                    ),
                ));
                false
            }
            Some(asks) => *asks.get_ref(),
            None => false,
        };
        let mut includes = Vec::new();
        for included in &raw_aspect.includes {
            match Intent::from_name(included.get_ref()).filter(|i| i.is_topic()) {
                Some(intent) if intent != topic => includes.push(intent),
                _ => problems.push(problem_at(
                    file,
                    included.span().start,
                    format!(
                        "aspect `{name}`: `includes` names `{}`, not another topic",
                        included.get_ref()
                    ),
                )),
            }
        }
        for pattern in &raw_aspect.patterns {
            sources.push(pattern.get_ref().clone());
            offsets.push(pattern.span().start);
            pattern_aspect.push(aspects.len());
        }
        aspects.push(Aspect {
            name,
            topic,
            covered: raw_aspect.covered,
            keeps_topic,
            asks_topic,
            includes,
        });
    }
    // ASCII word boundaries and classes: the text is normalised words, and
    // Unicode `\b` would push every non-ASCII message off the fast DFA.
    let patterns = GatedSet::new(&sources, ASPECT_PATTERN_SIZE_LIMIT).map_err(|errors| {
        errors
            .into_iter()
            .map(|error| match error {
                GatedSetError::Pattern { index, message } => {
                    problem_at(file, offsets[index], format!("invalid pattern: {message}"))
                }
                GatedSetError::Literals(_) => Problem {
                    file: file.name.clone(),
                    line: 0,
                    column: 0,
                    message: format!("the aspect patterns do not compile together: {error}"),
                },
            })
            .collect::<Vec<Problem>>()
    });
    // Every problem at once: the patterns' with the names' and topics'.
    let patterns = match patterns {
        Ok(patterns) if problems.is_empty() => patterns,
        Ok(_) => return Err(problems),
        Err(pattern_problems) => {
            problems.extend(pattern_problems);
            return Err(problems);
        }
    };
    Ok(AspectCatalogue {
        aspects,
        patterns,
        pattern_aspect,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            name: "aspects.toml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn a_valid_catalogue_matches_its_patterns() {
        let catalogue = parse(&file(
            "[[aspect]]\nname = \"hourly pay\"\ntopic = \"salary\"\ncovered = false\nkeeps_topic = true\npatterns = ['\\bhourly\\b']\n\n[[aspect]]\nname = \"median pay\"\ntopic = \"salary\"\ncovered = true\npatterns = ['\\bmedian\\b']\n",
        ))
        .expect("valid");
        assert_eq!(catalogue.matching("median hourly wage"), [0, 1]);
        assert_eq!(catalogue.matching("pay"), Vec::<usize>::new());
        assert!(catalogue.get("median pay").is_some_and(|a| a.covered));
    }

    #[test]
    fn problems_are_reported_at_their_line() {
        let cases = [
            (
                "[[aspect]]\nname = \"x\"\ntopic = \"weather\"\ncovered = true\n",
                3,
                "unknown topic",
            ),
            (
                "[[aspect]]\nname = \"x\"\ntopic = \"salary\"\ncovered = false\n",
                2,
                "needs `keeps_topic",
            ),
            (
                "[[aspect]]\nname = \"x\"\ntopic = \"salary\"\ncovered = true\npatterns = ['(']\n",
                5,
                "invalid pattern",
            ),
            // Too big to build: named at its line, never an empty set.
            (
                "[[aspect]]\nname = \"x\"\ntopic = \"salary\"\ncovered = true\npatterns = ['\\bok\\b', '(?:(?:\\w{100}){100}){10}']\n",
                5,
                "exceeded limit",
            ),
            (
                "[[aspect]]\nname = \"x\"\ntopic = \"salary\"\ncovered = true\nasks_topic = true\n",
                5,
                "`asks_topic` is only for an uncovered aspect",
            ),
            (
                "[[aspect]]\nname = \"x\"\ntopic = \"salary\"\ncovered = false\nkeeps_topic = false\nasks_topic = true\n",
                6,
                "`asks_topic` is only for an uncovered aspect",
            ),
            (
                "[[aspect]]\nname = \"x\"\ntopic = \"salary\"\ncovered = true\nincludes = ['salary']\n",
                5,
                "not another topic",
            ),
            (
                "[[aspect]]\nname = \"x\"\ntopic = \"salary\"\ncovered = true\nincludes = ['places']\n",
                5,
                "not another topic",
            ),
            ("[[aspect]]\nname = \"x\"\nwho = 1\n", 3, "unknown field"),
        ];
        for (text, line, message) in cases {
            let problems = parse(&file(text)).expect_err(text);
            assert_eq!(problems[0].line, line, "{text}");
            assert!(problems[0].message.contains(message), "{problems:?}");
        }
    }
}
