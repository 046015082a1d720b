//! One problem in a file a person wrote — the knowledge files, the bot's
//! configuration — with where it is, and the arithmetic that turns a byte
//! offset into that place. Shared, so every file the project reads
//! reports its problems the same way: `file:line:column: message`.
//!
//! Pure: no I/O.

use std::fmt;

/// One problem in a file, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line, 0 when the problem has no position.
    pub line: usize,
    /// 1-based column (in characters), 0 when the problem has no position.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// A problem in `file`, whose text is `text`, at byte `offset` (or at
    /// no position).
    pub fn at(file: &str, text: &str, offset: Option<usize>, message: String) -> Problem {
        let (line, column) = offset.map_or((0, 0), |offset| line_column(text, offset));
        Problem {
            file: file.to_string(),
            line,
            column,
            message,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`;
/// an offset inside a character counts as that character, one past the end
/// as the end.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters_from_one() {
        assert_eq!(line_column("ab\ncdé\nx", 0), (1, 1));
        assert_eq!(line_column("ab\ncdé\nx", 3), (2, 1));
        assert_eq!(line_column("ab\ncdé\nx", 8), (3, 1));
        assert_eq!(line_column("ab\ncdé\nx", 6), (2, 3), "inside é");
        assert_eq!(line_column("é", 99), (1, 2));
    }

    #[test]
    fn problems_show_their_place_when_they_have_one() {
        let placed = Problem::at("bot.toml", "a = 1\nb = x\n", Some(10), "bad".into());
        assert_eq!(placed.to_string(), "bot.toml:2:5: bad");
        let nowhere = Problem::at("bot.toml", "", None, "missing".into());
        assert_eq!(nowhere.to_string(), "bot.toml: missing");
    }
}
