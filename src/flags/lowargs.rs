//! The raw command line: what the user typed, parsed, nothing checked that
//! needs the file system.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Answers students' questions about the Health Information Technology
/// Specialist career, in the terminal or on Discord.
#[derive(Debug, Parser)]
#[command(name = "career-bot", version, about, long_about = None)]
pub struct LowArgs {
    /// Load the knowledge files from this directory instead of the built-in copy.
    #[arg(long, global = true, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<LowCommand>,
}

#[derive(Debug, Subcommand)]
pub enum LowCommand {
    /// Chat in the terminal (the default). Reads lines from stdin when it is not a terminal.
    Chat,
    /// Answer one question.
    Ask {
        /// Print one JSON object with `intents` and `answer`.
        #[arg(long)]
        json: bool,
        /// Show which rules fired and their scores.
        #[arg(long)]
        explain: bool,
        /// The question (several words are joined with spaces).
        #[arg(required = true, num_args = 1.., value_name = "QUESTION")]
        question: Vec<String>,
    },
    /// Classify questions from stdin, one per line; one JSON object per line on stdout.
    Classify,
    /// Score a labelled question file (text<TAB>expected).
    Eval {
        /// The labelled file.
        file: PathBuf,
        /// Exit with status 1 when exact-set accuracy is below this (0 to 1).
        #[arg(long, value_name = "X")]
        min_accuracy: Option<f64>,
        /// Print at most this many misses.
        #[arg(long, default_value_t = 50)]
        max_misses: usize,
    },
    /// Work with the knowledge files.
    Knowledge {
        #[command(subcommand)]
        action: KnowledgeAction,
    },
    /// Run the Discord bot.
    Run {
        /// The configuration file (see config.example.toml).
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum KnowledgeAction {
    /// Validate the knowledge files and prove every figure appears in the source document.
    Check {
        /// The directory to check (default: --knowledge, else the built-in copy).
        dir: Option<PathBuf>,
    },
}
