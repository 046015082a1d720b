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

    /// The store of unanswered questions, votes and taught examples:
    /// sqlite://PATH or postgres://USER@HOST/DB. `chat` and `ask` record
    /// only when it is given; `run` defaults to [store] url in its config,
    /// else career-bot.sqlite3 beside the config.
    #[arg(long, global = true, value_name = "URL", env = "CAREER_BOT_STORE")]
    pub store: Option<String>,

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
    /// Review the questions the bot could not answer well, grouped, and teach it.
    Review {
        /// Print the groups as JSON (one array of objects).
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<ReviewAction>,
    },
    /// Usage statistics: questions per topic and week, share answered, votes, gaps.
    Stats {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Also draw the chart into this PNG file.
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
        /// The period: this many days up to now.
        #[arg(long, default_value_t = 28, value_name = "N")]
        days: u32,
    },
    /// Work with the taught examples.
    Examples {
        #[command(subcommand)]
        action: ExamplesAction,
    },
    /// Maintain the store.
    Store {
        #[command(subcommand)]
        action: StoreAction,
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

#[derive(Debug, Subcommand)]
pub enum ReviewAction {
    /// Make a group's questions examples of TOPIC; the running bots retrain.
    Teach {
        /// The group's id, from `career-bot review`.
        id: i64,
        /// The topic (or other example label) to teach them as.
        topic: String,
    },
    /// Hide a group for good.
    Ignore {
        /// The group's id, from `career-bot review`.
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExamplesAction {
    /// Append the taught examples not yet exported to the knowledge files'
    /// examples (DIR/examples/<label>.txt), for review and commit.
    Export {
        /// The knowledge directory to write into (default: --knowledge, else ./knowledge).
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreAction {
    /// Remove every stored question and vote (taught examples stay).
    Purge {
        /// Do it: without this flag, only say what would be removed.
        #[arg(long)]
        yes: bool,
    },
}
