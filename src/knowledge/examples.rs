//! Labelled example messages: the data the engine's classifier learns from.
//!
//! `knowledge/examples/` holds one plain-text file per label, one message a
//! line (`#` starts a comment line, blank lines are skipped). A file is
//! named `<label>.txt`, or `<label>.<anything>.txt` when one label draws on
//! several files (e.g. `off_topic.clinc150-val.txt`). A counselor teaches
//! the bot a wording by adding a line. This module parses and validates the
//! files; it knows nothing of how they are used.

use rustc_hash::FxHashMap;
use std::fmt;

use super::{Problem, SourceFile};
use crate::intent::Intent;

/// What an example is an example of: an intent the bot answers, or one of
/// the classes it must recognise in order not to answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExampleLabel {
    /// A topic or small talk.
    Intent(Intent),
    /// About this career, but about something the source does not cover.
    Uncovered,
    /// About another occupation.
    OtherOccupation,
    /// Not about careers at all.
    OffTopic,
}

impl ExampleLabel {
    /// Every label, in a fixed order (the classifier's class order).
    pub fn all() -> Vec<ExampleLabel> {
        let mut all: Vec<ExampleLabel> =
            Intent::ALL.into_iter().map(ExampleLabel::Intent).collect();
        all.extend([
            ExampleLabel::Uncovered,
            ExampleLabel::OtherOccupation,
            ExampleLabel::OffTopic,
        ]);
        all
    }

    /// The name used for files and explanations.
    pub fn name(self) -> &'static str {
        match self {
            ExampleLabel::Intent(intent) => intent.name(),
            ExampleLabel::Uncovered => "uncovered",
            ExampleLabel::OtherOccupation => "other_occupation",
            ExampleLabel::OffTopic => "off_topic",
        }
    }

    /// The label with this name, if any.
    pub fn from_name(name: &str) -> Option<ExampleLabel> {
        ExampleLabel::all()
            .into_iter()
            .find(|label| label.name() == name)
    }

    /// The intent, for labels that are one.
    pub fn intent(self) -> Option<Intent> {
        match self {
            ExampleLabel::Intent(intent) => Some(intent),
            _ => None,
        }
    }
}

impl fmt::Display for ExampleLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One labelled example message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    pub label: ExampleLabel,
    pub text: String,
}

/// The label a file name stands for: `salary.txt`, `off_topic.clinc.txt`.
pub fn label_of_file(file_name: &str) -> Option<&str> {
    let stem = file_name.strip_suffix(".txt")?;
    Some(stem.split('.').next().unwrap_or(stem))
}

/// Parses every example file. Problems: a file whose name is no known
/// label, a line with a tab (a sign of pasted TSV), and the same text
/// labelled two ways. A text repeated under the same label is kept once.
pub fn parse(files: &[SourceFile]) -> (Vec<Example>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut examples = Vec::new();
    // Normalised text → (label, file, line) of its first occurrence.
    let mut seen: FxHashMap<String, (ExampleLabel, &str, usize)> = FxHashMap::default();
    for file in files {
        let base = file
            .name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(file.name.as_str());
        let Some(label) = label_of_file(base).and_then(ExampleLabel::from_name) else {
            let known: Vec<&str> = ExampleLabel::all().into_iter().map(|l| l.name()).collect();
            problems.push(Problem {
                file: file.name.clone(),
                line: 0,
                column: 0,
                message: format!(
                    "not an example file: the name must be <label>.txt with a label among {}",
                    known.join(", ")
                ),
            });
            continue;
        };
        for (index, line) in file.text.lines().enumerate() {
            let text = line.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let line_number = index + 1;
            if let Some(column) = line.find('\t') {
                problems.push(Problem {
                    file: file.name.clone(),
                    line: line_number,
                    column: line[..column].chars().count() + 1,
                    message: "an example is one message a line, without tabs".into(),
                });
                continue;
            }
            let key = duplicate_key(text);
            match seen.get(&key) {
                Some((other, _, _)) if *other == label => continue,
                Some((other, other_file, other_line)) => {
                    problems.push(Problem {
                        file: file.name.clone(),
                        line: line_number,
                        column: 1,
                        message: format!(
                            "labelled {label} here but {other} at {other_file}:{other_line}"
                        ),
                    });
                    continue;
                }
                None => {
                    seen.insert(key, (label, file.name.as_str(), line_number));
                }
            }
            examples.push(Example {
                label,
                text: text.to_string(),
            });
        }
    }
    (examples, problems)
}

/// The key two example texts share when they are the same message: lower
/// case, outer punctuation trimmed.
pub fn duplicate_key(text: &str) -> String {
    let lower = text.to_lowercase();
    let trimmed = lower.trim_matches(|c: char| !c.is_alphanumeric());
    // A line of emoji alone ("💰?") is its own key.
    if trimmed.is_empty() || trimmed.len() == lower.len() {
        lower
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    #[test]
    fn labels_come_from_file_names() {
        let cases = [
            ("salary.txt", Some("salary")),
            ("off_topic.clinc150-val.txt", Some("off_topic")),
            ("notes.md", None),
        ];
        for (name, label) in cases {
            assert_eq!(label_of_file(name), label, "{name}");
        }
    }

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        let (examples, problems) = parse(&[file(
            "k/examples/salary.txt",
            "# pay\n\nhow much do they make\n  whats the pay  \n",
        )]);
        assert!(problems.is_empty(), "{problems:?}");
        let texts: Vec<_> = examples.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["how much do they make", "whats the pay"]);
        assert!(examples
            .iter()
            .all(|e| e.label == ExampleLabel::Intent(Intent::Salary)));
    }

    #[test]
    fn a_text_labelled_two_ways_is_reported_at_its_line() {
        let (_, problems) = parse(&[
            file("salary.txt", "how much do they make\n"),
            file("outlook.txt", "# growth\nHow much do they make?\n"),
        ]);
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (2, 1));
        assert!(problems[0].message.contains("salary at salary.txt:1"));
    }

    #[test]
    fn unknown_labels_and_tabs_are_problems() {
        let (_, problems) = parse(&[
            file("weather.txt", "is it sunny\n"),
            file("thanks.txt", "thx\tthanks\n"),
        ]);
        assert_eq!(problems.len(), 2);
        assert!(problems[0].message.contains("not an example file"));
        assert_eq!((problems[1].line, problems[1].column), (1, 4));
    }

    #[test]
    fn repeats_under_one_label_are_kept_once() {
        let (examples, problems) = parse(&[file("thanks.txt", "thx\nThx!\n")]);
        assert!(problems.is_empty());
        assert_eq!(examples.len(), 1);
    }
}
