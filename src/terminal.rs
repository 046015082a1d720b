//! The terminal front end: an interactive chat with line editing and
//! history, or, when stdin is not a terminal, one reply per input line.
//!
//! Touches only the terminal (stdin/stdout and the history file); answers
//! come from [`CareerBot`]. Each question and its reply also go to an
//! [`Observer`] (the store's log, when the chat was started with
//! `--store`). Replies wrap to the terminal's width, or to
//! [`DEFAULT_WIDTH`] columns when stdout is not a terminal.

use std::io::{BufRead, Write};

use rustyline::error::ReadlineError;

use crate::answer::text::{render_answer_wrapped, render_reply_wrapped, DEFAULT_WIDTH};
use crate::answer::Reply;
use crate::bot::CareerBot;
use crate::engine::Classification;

/// Sees every question with its classification and reply.
pub type Observer<'a> = &'a mut dyn FnMut(&str, &Classification, &Reply);

/// Classifies `line`, tells `observe`, and returns the reply.
fn answer(
    bot: &CareerBot,
    line: &str,
    observe: &mut dyn FnMut(&str, &Classification, &Reply),
) -> Reply {
    let classification = bot.classify(line);
    let reply = bot.reply_to(&classification);
    observe(line, &classification, &reply);
    reply
}

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

/// The width replies wrap to: the terminal's, or [`DEFAULT_WIDTH`] when
/// stdout is not a terminal.
pub fn output_width() -> usize {
    terminal_size::terminal_size_of(std::io::stdout())
        .map_or(DEFAULT_WIDTH, |(terminal_size::Width(width), _)| {
            usize::from(width)
        })
}

fn is_quit(line: &str) -> bool {
    QUIT_WORDS.contains(&line.trim().to_lowercase().as_str())
}

fn history_path() -> Option<std::path::PathBuf> {
    let home = std::env::var_os("HOME")?;
    Some(std::path::Path::new(&home).join(".career-bot-history"))
}

/// The interactive chat: greeting, prompt, history, Ctrl-D or `quit` to leave.
pub fn interactive(bot: &CareerBot, observe: Observer<'_>) -> Result<(), TerminalError> {
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
        render_answer_wrapped(&bot.answer(crate::Intent::Greeting), output_width())
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
                // Measured per reply: the window may have been resized.
                let reply = answer(bot, &line, observe);
                let reply = render_reply_wrapped(&reply, output_width());
                writeln!(out, "\n{reply}\n")?;
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

/// Non-interactive chat: one reply per input line, until end of input or
/// `quit`, wrapped to [`output_width`].
pub fn batch(
    bot: &CareerBot,
    input: impl BufRead,
    mut output: impl Write,
    observe: Observer<'_>,
) -> Result<(), TerminalError> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        if is_quit(&line) {
            break;
        }
        let reply = answer(bot, &line, observe);
        let reply = render_reply_wrapped(&reply, output_width());
        writeln!(output, "> {line}\n{reply}\n")?;
    }
    output.flush()?;
    Ok(())
}
