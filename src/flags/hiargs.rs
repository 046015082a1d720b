//! The validated command line: knowledge loaded, every value checked.

use std::path::PathBuf;

use anyhow::Context;

use super::lowargs::{
    ExamplesAction, KnowledgeAction, LowArgs, LowCommand, ReviewAction, StoreAction,
};
use career_bot::knowledge::KnowledgeSource;
use career_bot::store::StoreUrl;
use career_bot::CareerBot;

/// Loads the bot from `source`, for the commands that answer once.
fn load(source: &KnowledgeSource) -> anyhow::Result<CareerBot> {
    Ok(CareerBot::from_source(source)?)
}

/// What to do, with everything it needs.
#[derive(Debug)]
pub enum HiCommand {
    Chat {
        knowledge: KnowledgeSource,
        store: Option<StoreUrl>,
    },
    Ask {
        knowledge: KnowledgeSource,
        store: Option<StoreUrl>,
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
        store: Option<StoreUrl>,
    },
    Review {
        knowledge: KnowledgeSource,
        store: StoreUrl,
        json: bool,
        action: Option<ReviewAction>,
    },
    Stats {
        store: StoreUrl,
        json: bool,
        png: Option<PathBuf>,
        days: u32,
    },
    ExamplesExport {
        store: StoreUrl,
        dir: PathBuf,
    },
    StorePurge {
        store: StoreUrl,
        yes: bool,
    },
}

/// The `--store` URL a command cannot do without.
fn required_store(store: Option<StoreUrl>, command: &str) -> anyhow::Result<StoreUrl> {
    store.ok_or_else(|| {
        anyhow::anyhow!(
            "`career-bot {command}` needs the bot's store: give --store URL (or set \
             CAREER_BOT_STORE), e.g. --store sqlite://career-bot.sqlite3 beside the bot's config"
        )
    })
}

impl HiCommand {
    pub fn from_low(low: LowArgs) -> anyhow::Result<HiCommand> {
        let knowledge_dir = low.knowledge.clone();
        let knowledge = match low.knowledge {
            Some(dir) => KnowledgeSource::Dir(dir),
            None => KnowledgeSource::BuiltIn,
        };
        let store: Option<StoreUrl> = low.store.as_deref().map(str::parse).transpose()?;
        Ok(match low.command.unwrap_or(LowCommand::Chat) {
            LowCommand::Chat => HiCommand::Chat { knowledge, store },
            LowCommand::Ask {
                json,
                explain,
                question,
            } => HiCommand::Ask {
                knowledge,
                store,
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
            LowCommand::Run { config } => HiCommand::Run {
                config,
                knowledge,
                store,
            },
            LowCommand::Review { json, action } => HiCommand::Review {
                knowledge,
                store: required_store(store, "review")?,
                json,
                action,
            },
            LowCommand::Stats { json, png, days } => {
                anyhow::ensure!(days >= 1, "--days must be at least 1");
                HiCommand::Stats {
                    store: required_store(store, "stats")?,
                    json,
                    png,
                    days,
                }
            }
            LowCommand::Examples {
                action: ExamplesAction::Export { dir },
            } => HiCommand::ExamplesExport {
                store: required_store(store, "examples export")?,
                dir: dir
                    .or(knowledge_dir)
                    .unwrap_or_else(|| PathBuf::from("knowledge")),
            },
            LowCommand::Store {
                action: StoreAction::Purge { yes },
            } => HiCommand::StorePurge {
                store: required_store(store, "store purge")?,
                yes,
            },
        })
    }
}
