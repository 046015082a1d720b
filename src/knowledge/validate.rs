//! Raw structs → validated model. Collects every problem instead of stopping
//! at the first, so a counselor editing the files sees them all at once.

use std::collections::HashSet;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;

use super::gated::{GatedSet, GatedSetError};
use super::model::*;
use super::raw::*;
use super::{line_column, Knowledge, KnowledgeError, KnowledgeFiles, Problem, SourceFile};
use crate::intent::Intent;

/// Collects problems for one file.
struct Problems<'a> {
    file: &'a SourceFile,
    found: Vec<Problem>,
}

impl<'a> Problems<'a> {
    fn new(file: &'a SourceFile) -> Problems<'a> {
        Problems {
            file,
            found: Vec::new(),
        }
    }

    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = line_column(&self.file.text, span.start);
        self.found.push(Problem {
            file: self.file.name.clone(),
            line,
            column,
            message: message.into(),
        });
    }

    fn whole_file(&mut self, message: impl Into<String>) {
        self.found.push(Problem {
            file: self.file.name.clone(),
            line: 0,
            column: 0,
            message: message.into(),
        });
    }
}

fn parse<T: DeserializeOwned>(problems: &mut Problems<'_>) -> Option<T> {
    match toml::from_str::<T>(&problems.file.text) {
        Ok(value) => Some(value),
        Err(error) => {
            let message = error.message().trim().to_string();
            match error.span() {
                Some(span) => problems.at(span, message),
                None => problems.whole_file(message),
            }
            None
        }
    }
}

/// The `document` of every `[[sources]]` entry, read leniently so the files
/// can be loaded before the occupation file is validated.
pub(super) fn document_paths(occupation_text: &str) -> Vec<String> {
    let Ok(table) = occupation_text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Some(sources) = table.get("sources").and_then(|v| v.as_array()) else {
        return Vec::new();
    };
    sources
        .iter()
        .filter_map(|source| source.get("document")?.as_str().map(str::to_string))
        .collect()
}

pub(super) fn knowledge(files: &KnowledgeFiles) -> Result<Knowledge, KnowledgeError> {
    let mut occupation_problems = Problems::new(&files.occupation);
    let mut intent_problems = Problems::new(&files.intents);
    let occupation = parse::<RawOccupation>(&mut occupation_problems)
        .and_then(|raw| occupation(raw, files, &mut occupation_problems));
    let intents = parse::<RawIntentTable>(&mut intent_problems)
        .and_then(|raw| intent_table(raw, &mut intent_problems));
    let mut problems = occupation_problems.found;
    problems.extend(intent_problems.found);
    let aspects = super::aspects::parse(&files.aspects)
        .map_err(|found| problems.extend(found))
        .ok();
    let (examples, example_problems) = super::examples::parse(&files.examples);
    problems.extend(example_problems);
    // Every aspect the engine may report has an answer of the right kind.
    if let (Some(occupation), Some(aspects)) = (&occupation, &aspects) {
        let catalogue = aspects
            .aspects
            .iter()
            .map(|aspect| (aspect.name.as_str(), aspect.covered));
        let mut answers = Problems::new(&files.occupation);
        for gap in occupation.aspect_answer_gaps(catalogue) {
            answers.whole_file(gap);
        }
        problems.extend(answers.found);
    }
    match (occupation, intents, aspects) {
        (Some(occupation), Some(intents), Some(aspects)) if problems.is_empty() => Ok(Knowledge {
            occupation,
            intents,
            aspects,
            examples,
            taught: 0,
        }),
        _ => Err(KnowledgeError::Invalid(problems)),
    }
}

fn occupation(
    raw: RawOccupation,
    files: &KnowledgeFiles,
    problems: &mut Problems<'_>,
) -> Option<Occupation> {
    let before = problems.found.len();
    let mut sources = Vec::new();
    let mut seen = HashSet::new();
    for source in raw.sources {
        if !seen.insert(source.id.get_ref().clone()) {
            problems.at(
                source.id.span(),
                format!("duplicate source id `{}`", source.id.get_ref()),
            );
        }
        if files.document(source.document.get_ref()).is_none() {
            problems.at(
                source.document.span(),
                format!("source document `{}` not found", source.document.get_ref()),
            );
        }
        sources.push(Source {
            id: source.id.into_inner(),
            name: source.name,
            short: source.short,
            document: source.document.into_inner(),
            note: source.note,
        });
    }
    if sources.is_empty() {
        problems.whole_file("at least one [[sources]] entry is needed");
    }
    let source_ref = |id: &Spanned<String>, problems: &mut Problems<'_>| -> SourceRef {
        match sources.iter().position(|s| &s.id == id.get_ref()) {
            Some(index) => SourceRef(index),
            None => {
                problems.at(id.span(), format!("unknown source `{}`", id.get_ref()));
                SourceRef(0)
            }
        }
    };

    let mut aliases = Vec::new();
    for alias in &raw.aliases {
        let normal = alias.get_ref().trim().to_lowercase();
        if normal.is_empty() {
            problems.at(alias.span(), "empty alias");
        } else {
            aliases.push(normal);
        }
    }

    let also_called = raw.also_called.and_then(|name| {
        let trimmed = name.get_ref().trim();
        if trimmed.is_empty() {
            problems.at(name.span(), "empty `also_called`");
            None
        } else {
            Some(trimmed.to_string())
        }
    });

    let mut pay = Vec::new();
    for figure in raw.pay {
        let kind = PayKind::parse(figure.kind.get_ref()).unwrap_or_else(|| {
            problems.at(
                figure.kind.span(),
                format!(
                    "unknown pay kind `{}` (expected median, average or industry-average)",
                    figure.kind.get_ref()
                ),
            );
            PayKind::Average
        });
        let period = PayPeriod::parse(figure.period.get_ref()).unwrap_or_else(|| {
            problems.at(
                figure.period.span(),
                format!(
                    "unknown pay period `{}` (expected year or hour)",
                    figure.period.get_ref()
                ),
            );
            PayPeriod::Year
        });
        pay.push(PayFigure {
            label: figure.label,
            kind,
            scope: figure.scope,
            amount: figure.amount,
            period,
            year: figure.year,
            source: source_ref(&figure.source, problems),
        });
    }
    if pay.is_empty() {
        problems.whole_file("at least one [[pay]] figure is needed");
    }

    let undated = |id: &Spanned<String>, problems: &mut Problems<'_>| {
        Citation::undated(source_ref(id, problems))
    };
    let c = raw.certification;
    let certification = Certification {
        status: c.status,
        status_citation: undated(&c.status_source, problems),
        preference: c.preference,
        credential_areas: c.credential_areas,
        citation: undated(&c.source, problems),
        advice: c.advice,
        advice_citation: undated(&c.advice_source, problems),
    };
    let o = raw.outlook;
    if o.period_start >= o.period_end {
        problems.whole_file("outlook period_start must come before period_end");
    }
    let outlook = Outlook {
        growth_percent: o.growth_percent,
        period_start: o.period_start,
        period_end: o.period_end,
        comparison: o.comparison,
        citation: Citation {
            source: source_ref(&o.source, problems),
            dating: Dating::Projection {
                start: o.period_start,
                end: o.period_end,
            },
        },
        drivers: o.drivers,
        drivers_citation: undated(&o.drivers_source, problems),
    };
    let mut alternatives = Vec::new();
    for alt in raw.alternatives {
        alternatives.push(Alternative {
            aliases: alt
                .aliases
                .iter()
                .map(|a| a.trim().to_lowercase())
                .collect(),
            title: alt.title,
            description: alt.description,
            education: alt.education,
            citation: undated(&alt.source, problems),
        });
    }
    let e = raw.education;
    let education = Education {
        typical_degree: e.typical_degree,
        field_of_study: e.field_of_study,
        length: e.length,
        offered_by: e.offered_by,
        online: e.online,
        early_courses: e.early_courses,
        later_courses: e.later_courses,
        advanced: e.advanced,
        advice: e.advice,
        tuition: e.tuition,
        citation: undated(&e.source, problems),
    };
    let overview = Overview {
        summary: raw.overview.summary,
        highlights: raw.overview.highlights,
        citation: undated(&raw.overview.source, problems),
    };
    let duties = Duties {
        summary: raw.duties.summary,
        tasks: raw.duties.tasks,
        with_experience: raw.duties.with_experience,
        environment: raw.duties.environment,
        citation: undated(&raw.duties.source, problems),
    };
    let workplace = Workplace {
        summary: raw.workplace.summary,
        settings: raw.workplace.settings,
        citation: undated(&raw.workplace.source, problems),
    };
    let briefs = briefs(raw.brief, problems);
    let aspect_answers = aspect_answers(raw.aspect, problems);
    let occupation = Occupation {
        id: raw.id,
        title: raw.title,
        also_called,
        aliases,
        sources,
        overview,
        duties,
        workplace,
        education,
        certification,
        pay,
        outlook,
        alternatives,
        briefs,
        aspect_answers,
    };
    (problems.found.len() == before).then_some(occupation)
}

/// Fact keys, each checked against [`FactKey::ALL`].
fn fact_keys(keys: &[Spanned<String>], problems: &mut Problems<'_>) -> Vec<FactKey> {
    let mut out = Vec::new();
    for key in keys {
        match FactKey::from_name(key.get_ref()) {
            Some(fact) => out.push(fact),
            None => {
                let known: Vec<_> = FactKey::ALL.iter().map(|k| k.name()).collect();
                problems.at(
                    key.span(),
                    format!(
                        "unknown fact `{}` (known: {})",
                        key.get_ref(),
                        known.join(", ")
                    ),
                );
            }
        }
    }
    out
}

/// `[brief.TOPIC]` tables: exactly one per topic, each leading with a fact.
fn briefs(
    raw: std::collections::BTreeMap<String, RawAnswerPlan>,
    problems: &mut Problems<'_>,
) -> Vec<(Intent, AnswerPlan)> {
    let mut briefs = Vec::new();
    for (name, plan) in raw {
        let lead = fact_keys(&plan.lead, problems);
        let context = fact_keys(&plan.context, problems);
        match Intent::from_name(&name).filter(|intent| intent.is_topic()) {
            Some(topic) if !plan.lead.is_empty() => {
                briefs.push((topic, AnswerPlan { lead, context }));
            }
            Some(topic) => problems.whole_file(format!("[brief.{topic}] needs a `lead` fact")),
            None => problems.whole_file(format!("[brief.{name}]: `{name}` is not a topic")),
        }
    }
    for topic in Intent::TOPICS {
        if !briefs.iter().any(|(intent, _)| *intent == topic) {
            problems.whole_file(format!("topic `{topic}` has no [brief.{topic}] answer"));
        }
    }
    briefs.sort_by_key(|(intent, _)| *intent);
    briefs
}

/// `[[aspect]]` answers: unique names, either `lead` (covered) or `gap`
/// (not covered), never both.
fn aspect_answers(
    raw: Vec<RawAspectAnswer>,
    problems: &mut Problems<'_>,
) -> Vec<(String, AspectAnswer)> {
    let mut answers: Vec<(String, AspectAnswer)> = Vec::new();
    for aspect in raw {
        let name = aspect.name.get_ref().trim().to_string();
        if answers.iter().any(|(seen, _)| *seen == name) {
            problems.at(
                aspect.name.span(),
                format!("aspect `{name}` is answered twice"),
            );
            continue;
        }
        let lead = fact_keys(&aspect.lead, problems);
        let context = fact_keys(&aspect.context, problems);
        let closest = fact_keys(&aspect.closest, problems);
        let answer = match aspect.gap {
            Some(gap) if aspect.lead.is_empty() && aspect.context.is_empty() => {
                if gap.get_ref().trim().is_empty() {
                    problems.at(gap.span(), format!("aspect `{name}` has an empty `gap`"));
                }
                AspectAnswer::Uncovered {
                    gap: gap.into_inner().trim().to_string(),
                    closest,
                }
            }
            Some(gap) => {
                problems.at(
                    gap.span(),
                    format!("aspect `{name}` has both `gap` and `lead`/`context`: choose one"),
                );
                continue;
            }
            None if !aspect.lead.is_empty() && aspect.closest.is_empty() => {
                AspectAnswer::Covered(AnswerPlan { lead, context })
            }
            None => {
                problems.at(
                    aspect.name.span(),
                    format!("aspect `{name}` needs `lead` (covered) or `gap` (not covered)"),
                );
                continue;
            }
        };
        answers.push((name, answer));
    }
    answers
}

fn compile(
    pattern: &Spanned<String>,
    index: usize,
    problems: &mut Problems<'_>,
) -> Option<Pattern> {
    // ASCII classes and word boundaries: patterns run on normalised words,
    // and Unicode `\b` would send any message with a non-ASCII letter off
    // the regex crate's fast DFA.
    match regex::RegexBuilder::new(pattern.get_ref())
        .unicode(false)
        .size_limit(SCOPE_PATTERN_SIZE_LIMIT)
        .build()
    {
        Ok(regex) => Some(Pattern { regex, index }),
        Err(error) => {
            invalid_regex(pattern, &error.to_string(), problems);
            None
        }
    }
}

/// A problem at `pattern`'s line: it does not build, for `reason`. The
/// regex parser's message spans several lines; its last says what is wrong.
fn invalid_regex(pattern: &Spanned<String>, reason: &str, problems: &mut Problems<'_>) {
    let reason = reason.lines().last().unwrap_or("invalid").trim();
    problems.at(
        pattern.span(),
        format!("invalid regex `{}`: {reason}", pattern.get_ref()),
    );
}

fn compile_all(patterns: &[Spanned<String>], problems: &mut Problems<'_>) -> Vec<Pattern> {
    patterns
        .iter()
        .enumerate()
        .filter_map(|(index, pattern)| compile(pattern, index, problems))
        .collect()
}

/// The `[lexicon] capitals` table: each key an abbreviation written in
/// capitals (letters and digits, two or more), alone or among plain words
/// ("health IT"), each value the words it stands for, lower-cased.
fn capitals(
    raw: std::collections::BTreeMap<String, String>,
    problems: &mut Problems<'_>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (abbreviation, words) in raw {
        // "HIT", or words with such an abbreviation among them ("health IT").
        let is_abbreviation = |word: &str| {
            word.len() >= 2
                && word
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && word.chars().any(|c| c.is_ascii_uppercase())
        };
        let plain_words = abbreviation
            .split(' ')
            .all(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric()));
        let is_capitals = plain_words && abbreviation.split(' ').any(is_abbreviation);
        if !is_capitals {
            problems.whole_file(format!(
                "`[lexicon] capitals` key `{abbreviation}` must be an abbreviation in capitals (A-Z, 0-9, two or more), alone or among words (\"health IT\")"
            ));
        } else if words.trim().is_empty() {
            problems.whole_file(format!(
                "`[lexicon] capitals` entry `{abbreviation}` stands for no words"
            ));
        } else {
            out.push((abbreviation, words.trim().to_lowercase()));
        }
    }
    out
}

fn lower(list: Vec<String>) -> Vec<String> {
    list.into_iter().map(|w| w.trim().to_lowercase()).collect()
}

/// Most bytes one compiled scope pattern may take: alone (to read its
/// `who` group) and in its list's gated set alike, so a pattern passes or
/// fails both.
const SCOPE_PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// The patterns of `raw` at `indexes` in one gated set, ASCII like each
/// pattern: only the patterns whose leading literals a text holds run on
/// it. A pattern the set cannot build is a problem at its line, and a set
/// that cannot be built one naming the list; either way `None`, so loading
/// fails rather than run with an empty set.
fn pattern_set(
    raw: &[Spanned<String>],
    indexes: impl Iterator<Item = usize>,
    list: &str,
    problems: &mut Problems<'_>,
) -> Option<GatedSet> {
    let patterns: Vec<&Spanned<String>> = indexes.map(|index| &raw[index]).collect();
    let sources: Vec<&str> = patterns.iter().map(|p| p.get_ref().as_str()).collect();
    match GatedSet::new(&sources, SCOPE_PATTERN_SIZE_LIMIT) {
        Ok(set) => Some(set),
        Err(errors) => {
            for error in errors {
                match error {
                    GatedSetError::Pattern { index, message } => {
                        invalid_regex(patterns[index], &message, problems);
                    }
                    GatedSetError::Literals(_) => {
                        problems.whole_file(format!("the `{list}` patterns: {error}"));
                    }
                }
            }
            None
        }
    }
}

fn intent_table(raw: RawIntentTable, problems: &mut Problems<'_>) -> Option<IntentTable> {
    let before = problems.found.len();
    // The context patterns are only ever searched together: the set
    // compiles each once. A subject slot is also compiled alone, for its
    // `who` group; the set takes only the slots that compiled.
    let context_set = pattern_set(
        &raw.scope.context,
        0..raw.scope.context.len(),
        "context",
        problems,
    );
    let subject_slots = compile_all(&raw.scope.subject_slots, problems);
    for pattern in &subject_slots {
        let spanned = &raw.scope.subject_slots[pattern.index];
        if !pattern
            .regex
            .capture_names()
            .any(|name| name == Some("who"))
        {
            problems.at(
                spanned.span(),
                "a subject slot needs a `(?P<who>...)` group",
            );
        }
    }
    let subject_slot_set = pattern_set(
        &raw.scope.subject_slots,
        subject_slots.iter().map(|pattern| pattern.index),
        "subject_slots",
        problems,
    );
    let lexicon = Lexicon {
        replacements: raw
            .lexicon
            .replacements
            .into_iter()
            .map(|(k, v)| (k.to_lowercase(), v.to_lowercase()))
            .collect(),
        emoji: raw.lexicon.emoji.into_iter().collect(),
        capitals: capitals(raw.lexicon.capitals, problems),
        function_words: lower(raw.lexicon.function_words),
        clause_breaks: lower(raw.lexicon.clause_breaks),
    };

    let mut rules: Vec<IntentRule> = Vec::new();
    for rule in raw.intents {
        let Some(intent) = Intent::from_name(rule.name.get_ref()) else {
            let known: Vec<_> = Intent::ALL.iter().map(|i| i.name()).collect();
            problems.at(
                rule.name.span(),
                format!(
                    "unknown intent `{}` (known: {})",
                    rule.name.get_ref(),
                    known.join(", ")
                ),
            );
            continue;
        };
        if rules.iter().any(|r| r.intent == intent) {
            problems.at(
                rule.name.span(),
                format!("intent `{intent}` is defined twice"),
            );
            continue;
        }
        rules.push(IntentRule {
            intent,
            summary: rule.summary,
        });
    }
    for intent in Intent::ALL {
        if !rules.iter().any(|r| r.intent == intent) {
            problems.whole_file(format!("intent `{intent}` has no [[intent]] entry"));
        }
    }
    rules.sort_by_key(|rule| rule.intent);
    let (Some(context_set), Some(subject_slot_set)) = (context_set, subject_slot_set) else {
        return None;
    };
    let scope = Scope {
        context_set,
        subject_slots,
        subject_slot_set,
        own_subject_words: lower(raw.scope.own_subject_words),
        other_occupations: lower(raw.scope.other_occupations),
        occupation_exceptions: lower(raw.scope.occupation_exceptions),
    };
    (problems.found.len() == before).then_some(IntentTable {
        lexicon,
        scope,
        rules,
    })
}
