//! The knowledge: loading, validating and checking `knowledge/`.
//!
//! Loading runs in two stages. [`raw`] parses each TOML file into serde
//! structs that mirror it; `validate` checks every cross-reference,
//! compiles every regex once and builds the [`model`]. Every problem found is
//! reported at once, each with its file, line and column. This module reads
//! files (or the copies compiled into the binary) and touches nothing else.

pub mod model;
pub mod provenance;
pub mod raw;
mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

pub use model::{IntentTable, Occupation};

/// The file holding the occupation.
pub const OCCUPATION_FILE: &str = "health-it-specialist.toml";
/// The file holding the intent table.
pub const INTENTS_FILE: &str = "intents.toml";

/// The knowledge files compiled into the binary, used when no directory is given.
mod embedded {
    pub const OCCUPATION: &str = include_str!("../../knowledge/health-it-specialist.toml");
    pub const INTENTS: &str = include_str!("../../knowledge/intents.toml");
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
        let mut files = KnowledgeFiles {
            occupation,
            intents,
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

/// Everything the bot knows: the occupation and the intent table.
#[derive(Clone, Debug)]
pub struct Knowledge {
    pub occupation: Occupation,
    pub intents: IntentTable,
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
    fn embedded_knowledge_is_valid() {
        let knowledge = Knowledge::embedded().expect("built-in knowledge must load");
        assert_eq!(knowledge.intents.rules.len(), crate::Intent::ALL.len());
    }
}
