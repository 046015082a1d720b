//! The validated command line: knowledge loaded, every value checked.

use std::path::PathBuf;

use anyhow::Context;

use super::lowargs::{KnowledgeAction, LowArgs, LowCommand};
use career_bot::knowledge::KnowledgeSource;
use career_bot::CareerBot;

/// Loads the bot from `source`, for the commands that answer once.
fn load(source: &KnowledgeSource) -> anyhow::Result<CareerBot> {
    Ok(CareerBot::from_source(source)?)
}

/// What to do, with everything it needs.
#[derive(Debug)]
pub enum HiCommand {
    Chat {
        bot: CareerBot,
    },
    Ask {
        bot: CareerBot,
        question: String,
        json: bool,
        explain: bool,
    },
    Classify {
        bot: CareerBot,
    },
    Eval {
        bot: CareerBot,
        file: PathBuf,
        text: String,
        min_accuracy: Option<f64>,
        max_misses: usize,
    },
    KnowledgeCheck {
        source: KnowledgeSource,
    },
    Run {
        config: PathBuf,
        knowledge: KnowledgeSource,
    },
}

impl HiCommand {
    pub fn from_low(low: LowArgs) -> anyhow::Result<HiCommand> {
        let knowledge = match low.knowledge {
            Some(dir) => KnowledgeSource::Dir(dir),
            None => KnowledgeSource::BuiltIn,
        };
        Ok(match low.command.unwrap_or(LowCommand::Chat) {
            LowCommand::Chat => HiCommand::Chat {
                bot: load(&knowledge)?,
            },
            LowCommand::Ask {
                json,
                explain,
                question,
            } => HiCommand::Ask {
                bot: load(&knowledge)?,
                question: question.join(" "),
                json,
                explain,
            },
            LowCommand::Classify => HiCommand::Classify {
                bot: load(&knowledge)?,
            },
            LowCommand::Eval {
                file,
                min_accuracy,
                max_misses,
            } => {
                if let Some(min) = min_accuracy {
                    anyhow::ensure!(
                        (0.0..=1.0).contains(&min),
                        "--min-accuracy must be between 0 and 1, got {min}"
                    );
                }
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                HiCommand::Eval {
                    bot: load(&knowledge)?,
                    file,
                    text,
                    min_accuracy,
                    max_misses,
                }
            }
            LowCommand::Knowledge {
                action: KnowledgeAction::Check { dir },
            } => HiCommand::KnowledgeCheck {
                source: dir.map_or(knowledge, KnowledgeSource::Dir),
            },
            LowCommand::Run { config } => HiCommand::Run { config, knowledge },
        })
    }
}
