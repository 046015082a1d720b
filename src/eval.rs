//! Scoring labelled question files (the format of `shared/eval/dev.tsv`).
//!
//! A file has `#` comment lines and rows `text<TAB>expected[<TAB>...]`, where
//! `expected` is a comma-separated intent set or `none`, with `|` between
//! equally acceptable sets. Parsing is pure; [`score`] takes a classifier so
//! the caller decides what is being measured.

use std::collections::BTreeSet;
use std::fmt;

use crate::intent::Intent;

/// One acceptable answer: a set of intents (empty means "no career answer").
pub type IntentSet = BTreeSet<Intent>;

/// One labelled question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// 1-based line in the file.
    pub line: usize,
    pub text: String,
    /// Any of these sets is a correct answer.
    pub acceptable: Vec<IntentSet>,
}

/// Why a labelled file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// A row has no tab-separated label column.
    #[error("line {line}: expected `text<TAB>labels`")]
    MissingLabel { line: usize },
    /// A label names no known intent.
    #[error("line {line}: unknown intent `{label}`")]
    UnknownIntent { line: usize, label: String },
}

/// Parses a labelled file.
pub fn parse(text: &str) -> Result<Vec<Case>, EvalError> {
    let mut cases = Vec::new();
    for (index, raw_line) in text.lines().enumerate() {
        let line = index + 1;
        let row = raw_line.trim_end_matches('\r');
        if row.trim().is_empty() || row.starts_with('#') {
            continue;
        }
        let mut columns = row.split('\t');
        let text = columns.next().unwrap_or_default().to_string();
        let labels = columns.next().ok_or(EvalError::MissingLabel { line })?;
        let mut acceptable = Vec::new();
        for alternative in labels.split('|') {
            let mut set = IntentSet::new();
            for label in alternative
                .split(',')
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                if label == "none" {
                    continue;
                }
                let intent = Intent::from_name(label).ok_or_else(|| EvalError::UnknownIntent {
                    line,
                    label: label.to_string(),
                })?;
                set.insert(intent);
            }
            acceptable.push(set);
        }
        cases.push(Case {
            line,
            text,
            acceptable,
        });
    }
    Ok(cases)
}

/// Precision and recall counts for one intent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IntentCounts {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl IntentCounts {
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// A question answered wrongly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    pub case: Case,
    pub predicted: IntentSet,
}

/// The score of a labelled file.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub total: usize,
    pub correct: usize,
    /// Questions whose every acceptable answer is "none" but got a career answer.
    pub false_career_answers: usize,
    /// Questions where "none" is the only acceptable answer.
    pub none_only: usize,
    pub per_intent: Vec<(Intent, IntentCounts)>,
    pub misses: Vec<Miss>,
}

impl Report {
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct, self.total)
    }

    /// Share of none-only questions given a career (topic) answer.
    pub fn false_answer_rate(&self) -> f64 {
        if self.none_only == 0 {
            0.0
        } else {
            self.false_career_answers as f64 / self.none_only as f64
        }
    }
}

/// Scores `cases` with `classify`, which returns the predicted intents.
pub fn score(cases: &[Case], mut classify: impl FnMut(&str) -> Vec<Intent>) -> Report {
    let mut report = Report {
        per_intent: Intent::ALL
            .iter()
            .map(|&i| (i, IntentCounts::default()))
            .collect(),
        ..Report::default()
    };
    for case in cases {
        let predicted: IntentSet = classify(&case.text).into_iter().collect();
        report.total += 1;
        let correct = case.acceptable.contains(&predicted);
        if correct {
            report.correct += 1;
        } else {
            report.misses.push(Miss {
                case: case.clone(),
                predicted: predicted.clone(),
            });
        }
        // Per-intent counts against the first acceptable set that matches,
        // else the first one listed.
        let expected = case
            .acceptable
            .iter()
            .find(|set| **set == predicted)
            .or_else(|| case.acceptable.first())
            .cloned()
            .unwrap_or_default();
        for (intent, counts) in &mut report.per_intent {
            match (expected.contains(intent), predicted.contains(intent)) {
                (true, true) => counts.true_positives += 1,
                (false, true) => counts.false_positives += 1,
                (true, false) => counts.false_negatives += 1,
                (false, false) => {}
            }
        }
        if case.acceptable.iter().all(|set| set.is_empty()) {
            report.none_only += 1;
            if predicted.iter().any(|i| i.is_topic()) {
                report.false_career_answers += 1;
            }
        }
    }
    report
}

/// Formats a set as it is written in label files.
pub struct Labels<'a>(pub &'a IntentSet);

impl fmt::Display for Labels<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("none");
        }
        let names: Vec<_> = self.0.iter().map(|i| i.name()).collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_alternatives_and_none() {
        let cases =
            parse("# comment\nhi\tgreeting|none\textra\npay and degree\tsalary,education\n")
                .unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(
            cases[0].acceptable,
            vec![IntentSet::from([Intent::Greeting]), IntentSet::new()]
        );
        assert_eq!(
            cases[1].acceptable[0],
            IntentSet::from([Intent::Salary, Intent::Education])
        );
    }

    #[test]
    fn rejects_unknown_labels() {
        assert_eq!(
            parse("x\tweather\n"),
            Err(EvalError::UnknownIntent {
                line: 1,
                label: "weather".into()
            })
        );
        assert_eq!(
            parse("no tab here\n"),
            Err(EvalError::MissingLabel { line: 1 })
        );
    }

    #[test]
    fn scores_accuracy_and_false_answers() {
        let cases = parse("a\tsalary\nb\tnone\nc\tnone\n").unwrap();
        let report = score(&cases, |text| {
            if text == "b" {
                vec![]
            } else {
                vec![Intent::Salary]
            }
        });
        assert_eq!(report.correct, 2);
        assert_eq!(report.false_career_answers, 1);
        assert_eq!(report.none_only, 2);
    }
}
