//! `examples export`: the taught examples written into the knowledge
//! files, so a counselor's teaching can be reviewed and committed like any
//! example. Appends to `examples/<label>.txt` under a dated comment; a text
//! the file already holds is not written again.
//!
//! Touches only the example files it is given.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::TaughtExample;
use crate::knowledge::examples::duplicate_key;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// An example file could not be read or written.
    #[error("cannot update {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

/// Appends `taught` to the example files in `examples_dir`; returns each
/// file written with how many lines it gained.
pub fn append_examples(
    examples_dir: &Path,
    taught: &[&TaughtExample],
) -> Result<Vec<(PathBuf, usize)>, ExportError> {
    let mut by_label: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for example in taught {
        by_label
            .entry(example.example.label.name())
            .or_default()
            .push(&example.example.text);
    }
    let today = crate::stats::civil_date(super::unix_now());
    let mut written = Vec::new();
    for (label, texts) in by_label {
        let path = examples_dir.join(format!("{label}.txt"));
        let io_error = |source| ExportError::Io {
            path: path.clone(),
            source,
        };
        let existing = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(io_error(error)),
        };
        let mut known: HashSet<String> = existing.lines().map(duplicate_key).collect();
        let new: Vec<&str> = texts
            .into_iter()
            .map(str::trim)
            .filter(|text| !text.is_empty() && !text.starts_with('#') && !text.contains('\t'))
            .filter(|text| known.insert(duplicate_key(text)))
            .collect();
        if new.is_empty() {
            continue;
        }
        let mut block = String::new();
        if !existing.is_empty() && !existing.ends_with('\n') {
            block.push('\n');
        }
        block.push_str(&format!("# Taught by counselors, exported {today}\n"));
        for text in &new {
            block.push_str(text);
            block.push('\n');
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io_error)?;
        file.write_all(block.as_bytes()).map_err(io_error)?;
        written.push((path, new.len()));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::{Example, ExampleLabel};

    fn taught(id: i64, label: ExampleLabel, text: &str) -> TaughtExample {
        TaughtExample {
            id,
            example: Example {
                label,
                text: text.to_string(),
            },
            taught_at: 0,
            exported: false,
        }
    }

    #[test]
    fn appends_new_texts_once_per_label_file() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(dir.path().join("workplace.txt"), "where do they work\n")
            .expect("seed file");
        let examples = [
            taught(
                1,
                ExampleLabel::from_name("workplace").expect("label"),
                "Where do they work?",
            ),
            taught(
                2,
                ExampleLabel::from_name("workplace").expect("label"),
                "can i wfh",
            ),
            taught(
                3,
                ExampleLabel::from_name("salary").expect("label"),
                "is the bag good",
            ),
        ];
        let refs: Vec<&TaughtExample> = examples.iter().collect();
        let written = append_examples(dir.path(), &refs).expect("export works");
        assert_eq!(written.len(), 2);
        let workplace =
            std::fs::read_to_string(dir.path().join("workplace.txt")).expect("readable");
        assert!(workplace.starts_with("where do they work\n# Taught by counselors"));
        assert!(workplace.ends_with("can i wfh\n"));
        assert_eq!(
            workplace.matches("where do they work").count(),
            1,
            "no duplicate"
        );
        let again = append_examples(dir.path(), &refs).expect("export works");
        assert!(again.is_empty(), "a second export adds nothing");
    }
}
