//! Knowledge reloads while a front end runs: on SIGHUP, or when a front end
//! asks (the Discord bot's `/reload`). Not tied to any front end.
//!
//! [`LiveKnowledge`] knows where the knowledge comes from and holds the bot
//! answering now (a [`SharedBot`]). A reload reads and validates the files
//! completely on a blocking thread, then swaps the `Arc` in one step:
//! questions already being answered finish with the bot they started with,
//! new ones get the new bot, and none waits or is dropped. Bad files change
//! nothing: the error, every problem with its file, line and column, goes to
//! the log and back to whoever asked. Reloads run one at a time, so two
//! close together cannot swap in stale files out of order.
//!
//! This module reads the knowledge files (through the library) and listens
//! for SIGHUP; it writes nothing.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use crate::bot::CareerBot;
use crate::knowledge::{Example, KnowledgeError, KnowledgeSource};

/// The bot the front end answers with, swappable while running.
#[derive(Debug)]
pub struct SharedBot {
    current: RwLock<Arc<CareerBot>>,
}

impl SharedBot {
    /// Shares `bot`.
    pub fn new(bot: Arc<CareerBot>) -> SharedBot {
        SharedBot {
            current: RwLock::new(bot),
        }
    }

    /// The bot to answer with now. Clone it out and drop nothing else: the
    /// lock is held only for the clone.
    pub fn current(&self) -> Arc<CareerBot> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Swaps in `bot` (a knowledge reload) and returns the previous one.
    /// Questions already being answered finish with the bot they started with.
    pub fn replace(&self, bot: Arc<CareerBot>) -> Arc<CareerBot> {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut *current, bot)
    }
}

/// What a reload did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reloaded {
    /// The knowledge in `dir` was loaded and now answers; `generation`
    /// counts successful reloads since start.
    Swapped {
        /// The knowledge directory.
        dir: PathBuf,
        /// 1 for the first successful reload, 2 for the next...
        generation: u64,
    },
    /// The bot answers from the built-in knowledge: there is no file to
    /// read again.
    NothingToReload,
    /// The classifier was trained again with `examples` taught examples
    /// (a counselor taught some in the store).
    Retrained {
        /// Taught examples now joined to the knowledge's.
        examples: usize,
    },
}

/// Why a reload changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    /// The files could not be read or are invalid; the previous knowledge
    /// keeps answering.
    #[error("{0}")]
    Knowledge(#[from] KnowledgeError),
    /// The reload task ended before it finished (it panicked or the
    /// runtime is shutting down); the previous knowledge keeps answering.
    #[error("the reload did not finish: {0}")]
    Interrupted(#[source] tokio::task::JoinError),
}

/// The bot from `source`'s knowledge with `taught` examples joined.
fn build(source: &KnowledgeSource, taught: &[Example]) -> Result<CareerBot, KnowledgeError> {
    Ok(CareerBot::new(source.load()?.with_taught(taught)))
}

/// The knowledge source and the bot answering from it now.
#[derive(Debug)]
pub struct LiveKnowledge {
    source: KnowledgeSource,
    bot: SharedBot,
    /// Held, on a blocking thread, for a whole read-validate-swap.
    reloading: Mutex<()>,
    /// The examples counselors taught (from the store), joined to the
    /// knowledge's at every load.
    taught: Mutex<Vec<Example>>,
    /// Successful reloads so far.
    generation: AtomicU64,
}

impl LiveKnowledge {
    /// `bot`, loaded from `source`, answering until the first reload.
    pub fn new(source: KnowledgeSource, bot: Arc<CareerBot>) -> LiveKnowledge {
        LiveKnowledge {
            source,
            bot: SharedBot::new(bot),
            reloading: Mutex::new(()),
            taught: Mutex::new(Vec::new()),
            generation: AtomicU64::new(0),
        }
    }

    /// The bot built from `source` with `taught` examples joined, ready to
    /// answer and to be shared.
    pub fn load(
        source: KnowledgeSource,
        taught: Vec<Example>,
    ) -> Result<LiveKnowledge, KnowledgeError> {
        let bot = build(&source, &taught)?;
        let live = LiveKnowledge::new(source, Arc::new(bot));
        *live.taught.lock().unwrap_or_else(PoisonError::into_inner) = taught;
        Ok(live)
    }

    /// The bot to answer with now (clone it out before any `.await`).
    pub fn current(&self) -> Arc<CareerBot> {
        self.bot.current()
    }

    /// Where the knowledge comes from.
    pub fn source(&self) -> &KnowledgeSource {
        &self.source
    }

    /// Reads and validates the knowledge again and, if it is valid, swaps
    /// it in. Blocking: file I/O and regex compilation.
    pub fn reload_blocking(&self) -> Result<Reloaded, ReloadError> {
        let Some(dir) = self.source.dir() else {
            return Ok(Reloaded::NothingToReload);
        };
        let _one_at_a_time = self
            .reloading
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let taught = self.taught_examples();
        let bot = build(&self.source, &taught)?;
        self.bot.replace(Arc::new(bot));
        let generation = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        Ok(Reloaded::Swapped {
            dir: dir.to_path_buf(),
            generation,
        })
    }

    /// The taught examples joined now.
    pub fn taught_examples(&self) -> Vec<Example> {
        self.taught
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Trains the bot again with `taught` as the taught examples (the
    /// knowledge files are read again too, when they are files) and swaps
    /// it in. Blocking: training takes a fraction of a second.
    pub fn retrain_blocking(&self, taught: Vec<Example>) -> Result<Reloaded, ReloadError> {
        let _one_at_a_time = self
            .reloading
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let bot = build(&self.source, &taught)?;
        let examples = taught.len();
        *self.taught.lock().unwrap_or_else(PoisonError::into_inner) = taught;
        self.bot.replace(Arc::new(bot));
        Ok(Reloaded::Retrained { examples })
    }

    /// [`LiveKnowledge::retrain_blocking`] on a blocking thread.
    pub async fn retrain(self: &Arc<Self>, taught: Vec<Example>) -> Result<Reloaded, ReloadError> {
        let live = Arc::clone(self);
        tokio::task::spawn_blocking(move || live.retrain_blocking(taught))
            .await
            .map_err(ReloadError::Interrupted)?
    }

    /// [`LiveKnowledge::reload_blocking`] on a blocking thread, so the
    /// runtime keeps answering meanwhile.
    pub async fn reload(self: &Arc<Self>) -> Result<Reloaded, ReloadError> {
        let live = Arc::clone(self);
        tokio::task::spawn_blocking(move || live.reload_blocking())
            .await
            .map_err(ReloadError::Interrupted)?
    }

    /// Reloads and logs the outcome; `trigger` says who asked ("SIGHUP",
    /// "/reload by 42").
    pub async fn reload_and_log(self: &Arc<Self>, trigger: &str) -> Result<Reloaded, ReloadError> {
        let outcome = self.reload().await;
        match &outcome {
            Ok(Reloaded::Swapped { dir, generation }) => tracing::info!(
                trigger,
                dir = %dir.display(),
                generation,
                "knowledge reloaded; new questions get the new answers"
            ),
            Ok(Reloaded::Retrained { examples }) => {
                tracing::info!(trigger, examples, "retrained with the taught examples")
            }
            Ok(Reloaded::NothingToReload) => tracing::info!(
                trigger,
                "knowledge reload asked for, but the bot answers from the built-in knowledge: \
                 nothing to reload (start it with --knowledge DIR to reload files)"
            ),
            Err(error) => tracing::error!(
                trigger,
                "knowledge reload failed; still answering from the previous knowledge: {error}"
            ),
        }
        outcome
    }
}

/// Reloads on every SIGHUP (`kill -HUP <pid>`) until the runtime stops.
/// Listening starts now, so a SIGHUP sent once this returns is never the
/// default "terminate".
#[cfg(unix)]
pub fn reload_on_hangup(live: Arc<LiveKnowledge>) -> std::io::Result<tokio::task::JoinHandle<()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hangups = signal(SignalKind::hangup())?;
    Ok(tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            // The outcome is logged; nobody else is waiting for it.
            let _ = live.reload_and_log("SIGHUP").await;
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_knowledge_has_nothing_to_reload() {
        let bot = Arc::new(CareerBot::from_embedded().expect("the built-in knowledge loads"));
        let live = LiveKnowledge::new(KnowledgeSource::BuiltIn, Arc::clone(&bot));
        let outcome = live.reload_blocking();
        assert!(matches!(outcome, Ok(Reloaded::NothingToReload)));
        assert!(Arc::ptr_eq(&live.current(), &bot), "nothing was swapped");
    }

    #[test]
    fn a_failed_reload_keeps_the_previous_bot() {
        let bot = Arc::new(CareerBot::from_embedded().expect("the built-in knowledge loads"));
        let missing = KnowledgeSource::Dir(PathBuf::from("/nonexistent/career-bot-knowledge"));
        let live = LiveKnowledge::new(missing, Arc::clone(&bot));
        let outcome = live.reload_blocking();
        assert!(matches!(outcome, Err(ReloadError::Knowledge(_))));
        assert!(Arc::ptr_eq(&live.current(), &bot));
    }
}
