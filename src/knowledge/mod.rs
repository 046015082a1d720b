//! The knowledge: loading, validating and checking `knowledge/`.
//!
//! Loading runs in two stages. [`raw`] parses each TOML file into serde
//! structs that mirror it; `validate` checks every cross-reference,
//! compiles every regex once and builds the [`model`]. Every problem found is
//! reported at once, each with its file, line and column. This module reads
//! files (or the copies compiled into the binary) and touches nothing else.

pub mod aspects;
pub mod examples;
pub mod gated;
pub mod model;
pub mod provenance;
pub mod raw;
mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

pub use aspects::{Aspect, AspectCatalogue};
pub use examples::{Example, ExampleLabel};
pub use gated::GatedSet;
pub use model::{IntentTable, Occupation};

/// The file holding the occupation.
pub const OCCUPATION_FILE: &str = "health-it-specialist.toml";
/// The file holding the intent table.
pub const INTENTS_FILE: &str = "intents.toml";
/// The file holding the aspect catalogue.
pub const ASPECTS_FILE: &str = "aspects.toml";
/// The directory holding the labelled examples.
pub const EXAMPLES_DIR: &str = "examples";

/// The knowledge files compiled into the binary, used when no directory is given.
mod embedded {
    pub const OCCUPATION: &str = include_str!("../../knowledge/health-it-specialist.toml");
    pub const INTENTS: &str = include_str!("../../knowledge/intents.toml");
    pub const ASPECTS: &str = include_str!("../../knowledge/aspects.toml");
    /// Every file of `knowledge/examples/` (a test checks none is missing).
    macro_rules! example_files {
        ($($name:literal),* $(,)?) => {
            pub const EXAMPLES: &[(&str, &str)] = &[
                $(($name, include_str!(concat!("../../knowledge/examples/", $name))),)*
            ];
        };
    }
    // In file-name order, the order `read_dir` reads a directory in: the
    // same files train the same model from either source.
    example_files!(
        "acknowledgement.txt",
        "alternatives.txt",
        "certification.txt",
        "duties.txt",
        "education.txt",
        "goodbye.txt",
        "greeting.txt",
        "help.txt",
        "insult.txt",
        "off_topic.clinc150-val.txt",
        "off_topic.txt",
        "other_occupation.txt",
        "outlook.txt",
        "overview.txt",
        "salary.txt",
        "thanks.txt",
        "uncovered.txt",
        "workplace.txt",
    );
    pub const SOURCE_DOCUMENT: (&str, &str) = (
        "sources/health-it-specialist-article.txt",
        include_str!("../../knowledge/sources/health-it-specialist-article.txt"),
    );
}

pub(crate) use crate::problem::line_column;
pub use crate::problem::Problem;

/// Why knowledge could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    /// A knowledge file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The files were read but are not valid; every problem found is listed.
    #[error("{}", format_problems(.0))]
    Invalid(Vec<Problem>),
}

impl KnowledgeError {
    /// The problems found, empty for a read error.
    pub fn problems(&self) -> &[Problem] {
        match self {
            KnowledgeError::Invalid(problems) => problems,
            KnowledgeError::Read { .. } => &[],
        }
    }
}

fn format_problems(problems: &[Problem]) -> String {
    let mut text = format!(
        "{} problem{} in the knowledge files:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        text.push_str("\n  ");
        text.push_str(&problem.to_string());
    }
    text
}

/// The text of one knowledge file and the name to report it by.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// The texts the knowledge is built from.
#[derive(Clone, Debug)]
pub struct KnowledgeFiles {
    pub occupation: SourceFile,
    pub intents: SourceFile,
    pub aspects: SourceFile,
    /// The example files, in file-name order.
    pub examples: Vec<SourceFile>,
    /// Source documents by their path relative to the knowledge directory.
    pub documents: Vec<SourceFile>,
}

impl KnowledgeFiles {
    /// The copies compiled into the binary.
    pub fn embedded() -> KnowledgeFiles {
        let (doc_name, doc_text) = embedded::SOURCE_DOCUMENT;
        KnowledgeFiles {
            occupation: SourceFile {
                name: format!("<built-in>/{OCCUPATION_FILE}"),
                text: embedded::OCCUPATION.to_string(),
            },
            intents: SourceFile {
                name: format!("<built-in>/{INTENTS_FILE}"),
                text: embedded::INTENTS.to_string(),
            },
            aspects: SourceFile {
                name: format!("<built-in>/{ASPECTS_FILE}"),
                text: embedded::ASPECTS.to_string(),
            },
            examples: embedded::EXAMPLES
                .iter()
                .map(|(name, text)| SourceFile {
                    name: format!("<built-in>/{EXAMPLES_DIR}/{name}"),
                    text: text.to_string(),
                })
                .collect(),
            documents: vec![SourceFile {
                name: doc_name.to_string(),
                text: doc_text.to_string(),
            }],
        }
    }

    /// Reads the two knowledge files from `dir`. Source documents are read
    /// later, as the occupation file names them.
    pub fn read_dir(dir: &Path) -> Result<KnowledgeFiles, KnowledgeError> {
        let read = |name: &str| -> Result<SourceFile, KnowledgeError> {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|source| KnowledgeError::Read {
                path: path.clone(),
                source,
            })?;
            Ok(SourceFile {
                name: path.display().to_string(),
                text,
            })
        };
        let occupation = read(OCCUPATION_FILE)?;
        let intents = read(INTENTS_FILE)?;
        let aspects = read(ASPECTS_FILE)?;
        let examples_dir = dir.join(EXAMPLES_DIR);
        let listing = std::fs::read_dir(&examples_dir).map_err(|source| KnowledgeError::Read {
            path: examples_dir.clone(),
            source,
        })?;
        let mut example_names = Vec::new();
        for entry in listing {
            let entry = entry.map_err(|source| KnowledgeError::Read {
                path: examples_dir.clone(),
                source,
            })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // Only `.txt` files are examples: editors' backups and notes
            // beside them are not read.
            if name.ends_with(".txt") {
                example_names.push(name);
            }
        }
        example_names.sort();
        let mut examples = Vec::new();
        for name in example_names {
            examples.push(read(&format!("{EXAMPLES_DIR}/{name}"))?);
        }
        let mut files = KnowledgeFiles {
            occupation,
            intents,
            aspects,
            examples,
            documents: Vec::new(),
        };
        for document in validate::document_paths(&files.occupation.text) {
            let path = dir.join(&document);
            // A missing document is reported by validation with its position.
            if let Ok(text) = std::fs::read_to_string(&path) {
                files.documents.push(SourceFile {
                    name: document,
                    text,
                });
            }
        }
        Ok(files)
    }

    /// The text of a source document named in the occupation file.
    pub fn document(&self, name: &str) -> Option<&SourceFile> {
        self.documents.iter().find(|doc| doc.name == name)
    }
}

/// Where the knowledge comes from: the files compiled into the binary, or a
/// directory given with `--knowledge DIR` (which can be reloaded while the
/// bot runs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KnowledgeSource {
    /// The copies compiled into the binary.
    BuiltIn,
    /// The knowledge files in this directory.
    Dir(PathBuf),
}

impl KnowledgeSource {
    /// The texts of the knowledge files.
    pub fn files(&self) -> Result<KnowledgeFiles, KnowledgeError> {
        match self {
            KnowledgeSource::BuiltIn => Ok(KnowledgeFiles::embedded()),
            KnowledgeSource::Dir(dir) => KnowledgeFiles::read_dir(dir),
        }
    }

    /// Reads and validates the knowledge.
    pub fn load(&self) -> Result<Knowledge, KnowledgeError> {
        match self {
            KnowledgeSource::BuiltIn => Knowledge::embedded(),
            KnowledgeSource::Dir(dir) => Knowledge::from_dir(dir),
        }
    }

    /// The directory, for a source that has one.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            KnowledgeSource::BuiltIn => None,
            KnowledgeSource::Dir(dir) => Some(dir),
        }
    }
}

impl fmt::Display for KnowledgeSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KnowledgeSource::BuiltIn => f.write_str("the built-in knowledge"),
            KnowledgeSource::Dir(dir) => write!(f, "{}", dir.display()),
        }
    }
}

/// Everything the bot knows: the occupation, the rules the engine keeps as
/// guard rails, the aspect catalogue and the labelled examples.
#[derive(Clone, Debug)]
pub struct Knowledge {
    pub occupation: Occupation,
    pub intents: IntentTable,
    pub aspects: AspectCatalogue,
    pub examples: Vec<Example>,
    /// How many of `examples`, at the end, counselors taught (from the
    /// store): the engine weighs them more.
    pub taught: usize,
}

impl Knowledge {
    /// The knowledge compiled into the binary.
    pub fn embedded() -> Result<Knowledge, KnowledgeError> {
        Knowledge::from_files(&KnowledgeFiles::embedded())
    }

    /// The knowledge in `dir`.
    pub fn from_dir(dir: &Path) -> Result<Knowledge, KnowledgeError> {
        Knowledge::from_files(&KnowledgeFiles::read_dir(dir)?)
    }

    /// Validates already read files: every problem in both files at once.
    pub fn from_files(files: &KnowledgeFiles) -> Result<Knowledge, KnowledgeError> {
        validate::knowledge(files)
    }

    /// This knowledge with `taught` examples (counselors' teaching, kept in
    /// the store) joined to the files' examples. A taught text that the
    /// files already hold under the same label is kept once; under another
    /// label, the counselor's later decision wins and the file's example
    /// is left out.
    pub fn with_taught(mut self, taught: &[Example]) -> Knowledge {
        if taught.is_empty() {
            return self;
        }
        let taught_keys: std::collections::HashMap<String, ExampleLabel> = taught
            .iter()
            .map(|example| (examples::duplicate_key(&example.text), example.label))
            .collect();
        self.examples
            .retain(|example| !taught_keys.contains_key(&examples::duplicate_key(&example.text)));
        let mut added = std::collections::HashSet::new();
        for example in taught {
            if added.insert(examples::duplicate_key(&example.text)) {
                self.examples.push(example.clone());
            }
        }
        self.taught = added.len();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_column(text, 9), (2, 3));
    }

    #[test]
    fn every_example_file_is_compiled_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge/examples");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("knowledge/examples exists")
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".txt"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = embedded::EXAMPLES
            .iter()
            .map(|(name, _)| name.to_string())
            .collect();
        embedded.sort();
        assert_eq!(
            embedded, on_disk,
            "list every example file in `example_files!`"
        );
    }

    #[test]
    fn embedded_knowledge_is_valid() {
        let knowledge = Knowledge::embedded().expect("built-in knowledge must load");
        assert_eq!(knowledge.intents.rules.len(), crate::Intent::ALL.len());
    }
}
