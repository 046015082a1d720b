//! Plain-text rendering of answers, for the terminal, the command line and
//! `ask --json`.
//!
//! Contract: the text holds everything the answer says (title, prose with
//! its inline citations, figure lines such as "Median (2015): $37,110 a
//! year — all specialists", follow-ups). The `render_*` functions keep
//! paragraphs on one line each; the `*_wrapped` ones break lines at word
//! boundaries to a given width, continuation lines of bullets and figure
//! lines indented under their text. The answer's source line is not
//! repeated: the prose already cites every fact.

use super::{Answer, Reply};

/// Width used when the output is not a terminal.
pub const DEFAULT_WIDTH: usize = 80;

/// Narrowest width wrapping honours; narrower requests use this.
const MIN_WIDTH: usize = 20;

/// One answer as text, one line per paragraph, bullet and figure.
pub fn render_answer(answer: &Answer) -> String {
    let mut out = format!("== {} ==\n{}\n", answer.title, answer.body);
    if !answer.fields.is_empty() {
        out.push('\n');
        for field in &answer.fields {
            if field.value.contains('\n') {
                out.push_str(&format!("  {}:\n{}\n", field.name, indent(&field.value)));
            } else {
                out.push_str(&format!("  {}: {}\n", field.name, field.value));
            }
        }
    }
    out
}

/// A whole reply as text, follow-up suggestions last.
pub fn render_reply(reply: &Reply) -> String {
    let mut parts: Vec<String> = reply.answers.iter().map(render_answer).collect();
    if let Some(follow_ups) = reply
        .answers
        .last()
        .map(|a| &a.follow_ups)
        .filter(|f| !f.is_empty())
    {
        parts.push(format!("You could also ask: {}", follow_ups.join(" · ")));
    }
    parts.join("\n")
}

/// [`render_answer`] wrapped to `width` columns.
pub fn render_answer_wrapped(answer: &Answer, width: usize) -> String {
    wrap(&render_answer(answer), width)
}

/// [`render_reply`] wrapped to `width` columns.
pub fn render_reply_wrapped(reply: &Reply, width: usize) -> String {
    wrap(&render_reply(reply), width)
}

/// Every line of `text` wrapped to `width` display columns at word
/// boundaries; a bullet ("• ") or an indented figure line continues under
/// its text.
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = String::with_capacity(text.len() + text.len() / width);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let lead: String = line.chars().take_while(|c| *c == ' ').collect();
        let continuation = if line[lead.len()..].starts_with("• ") {
            format!("{lead}  ")
        } else if lead.is_empty() {
            String::new()
        } else {
            format!("{lead}  ")
        };
        let options = textwrap::Options::new(width)
            .subsequent_indent(&continuation)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        out.push_str(&textwrap::fill(line, options));
    }
    out
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width_of(line: &str) -> usize {
        line.chars().count()
    }

    #[test]
    fn long_lines_break_between_words_within_the_width() {
        let text = "word ".repeat(60);
        let wrapped = wrap(text.trim(), 30);
        assert!(wrapped.lines().count() > 1);
        for line in wrapped.lines() {
            assert!(width_of(line) <= 30, "{line:?}");
            assert!(!line.starts_with(' '), "{line:?}");
        }
        assert_eq!(wrapped.split_whitespace().count(), 60);
    }

    #[test]
    fn bullets_and_figure_lines_continue_under_their_text() {
        let bullet = format!("• {}", "alpha ".repeat(20));
        let wrapped = wrap(bullet.trim(), 40);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines[0].starts_with("• "));
        assert!(lines[1..]
            .iter()
            .all(|l| l.starts_with("  ") && !l.starts_with("   ")));
        let figure = format!("  Median (2015): {}", "beta ".repeat(20));
        let wrapped = wrap(figure.trim_end(), 40);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines[1..].iter().all(|l| l.starts_with("    ")));
    }

    #[test]
    fn short_lines_and_blank_lines_are_kept() {
        assert_eq!(wrap("a\n\nb", 80), "a\n\nb");
    }
}
