//! Plain-text rendering of answers, for the terminal and command line.

use super::{Answer, Reply};

/// One answer as terminal text.
pub fn render_answer(answer: &Answer) -> String {
    let mut out = format!("== {} ==\n{}\n", answer.title, answer.body);
    if !answer.fields.is_empty() {
        out.push('\n');
        for field in &answer.fields {
            if field.value.contains('\n') {
                out.push_str(&format!("{}:\n{}\n", field.name, indent(&field.value)));
            } else {
                out.push_str(&format!("  {}: {}\n", field.name, field.value));
            }
        }
    }
    if let Some(source) = &answer.source {
        out.push_str(&format!("\n{source}\n"));
    }
    out
}

/// A whole reply as terminal text, follow-up suggestions last.
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

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
