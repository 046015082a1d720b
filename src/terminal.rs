//! The terminal front end: an interactive chat with line editing and
//! history, or, when stdin is not a terminal, one reply per input line.
//!
//! Touches only the terminal (stdin/stdout and the history file); answers
//! come from [`CareerBot`].

use std::io::{BufRead, Write};

use rustyline::error::ReadlineError;

use crate::answer::text::{render_answer, render_reply};
use crate::bot::CareerBot;

/// Words that end the chat.
const QUIT_WORDS: [&str; 4] = ["quit", "exit", "/quit", "/exit"];

/// Why the chat stopped early.
#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    /// The line editor failed (terminal not usable).
    #[error("terminal error: {0}")]
    Editor(#[from] ReadlineError),
    /// Writing to stdout failed.
    #[error("cannot write the reply: {0}")]
    Io(#[from] std::io::Error),
}

fn is_quit(line: &str) -> bool {
    QUIT_WORDS.contains(&line.trim().to_lowercase().as_str())
}

fn history_path() -> Option<std::path::PathBuf> {
    let home = std::env::var_os("HOME")?;
    Some(std::path::Path::new(&home).join(".career-bot-history"))
}

/// The interactive chat: greeting, prompt, history, Ctrl-D or `quit` to leave.
pub fn interactive(bot: &CareerBot) -> Result<(), TerminalError> {
    let mut editor = rustyline::DefaultEditor::new()?;
    let history = history_path();
    if let Some(path) = &history {
        // No history yet is normal on first use.
        let _ = editor.load_history(path);
    }
    let mut out = std::io::stdout();
    writeln!(
        out,
        "{}",
        render_answer(&bot.answer(crate::Intent::Greeting))
    )?;
    writeln!(out, "(Type a question, or `quit` / Ctrl-D to leave.)\n")?;
    loop {
        match editor.readline("you> ") {
            Ok(line) => {
                if line.trim().is_empty() {
                    continue;
                }
                let _ = editor.add_history_entry(line.as_str());
                if is_quit(&line) {
                    break;
                }
                writeln!(out, "\n{}\n", render_reply(&bot.reply(&line)))?;
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(other) => return Err(other.into()),
        }
    }
    if let Some(path) = &history {
        // Losing history is not worth failing the exit for.
        let _ = editor.save_history(path);
    }
    writeln!(out, "Bye!")?;
    Ok(())
}

/// Non-interactive chat: one reply per input line, until end of input or `quit`.
pub fn batch(
    bot: &CareerBot,
    input: impl BufRead,
    mut output: impl Write,
) -> Result<(), TerminalError> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        if is_quit(&line) {
            break;
        }
        writeln!(output, "> {line}\n{}\n", render_reply(&bot.reply(&line)))?;
    }
    output.flush()?;
    Ok(())
}
