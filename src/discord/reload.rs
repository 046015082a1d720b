//! Knowledge reloads while the bot runs: on SIGHUP and on `/reload`.
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
use std::sync::{Arc, Mutex, PoisonError};

use serenity::all::{Permissions, RoleId};

use super::render::{discord_len, CONTENT_LIMIT};
use super::SharedBot;
use crate::bot::CareerBot;
use crate::knowledge::{KnowledgeError, KnowledgeSource};

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

/// The knowledge source and the bot answering from it now.
#[derive(Debug)]
pub struct LiveKnowledge {
    source: KnowledgeSource,
    bot: SharedBot,
    /// Held, on a blocking thread, for a whole read-validate-swap.
    reloading: Mutex<()>,
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
            generation: AtomicU64::new(0),
        }
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
        let bot = CareerBot::from_source(&self.source)?;
        self.bot.replace(Arc::new(bot));
        let generation = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        Ok(Reloaded::Swapped {
            dir: dir.to_path_buf(),
            generation,
        })
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

/// Who may run `/reload`: only in a server; members with a counselor role
/// when counselor roles are configured, otherwise members with the Manage
/// Server (or Administrator) permission.
pub fn may_reload(
    counselor_roles: &[RoleId],
    in_guild: bool,
    member_roles: &[RoleId],
    member_permissions: Option<Permissions>,
) -> bool {
    if !in_guild {
        return false;
    }
    if counselor_roles.is_empty() {
        return member_permissions
            .is_some_and(|p| p.contains(Permissions::MANAGE_GUILD) || p.administrator());
    }
    member_roles
        .iter()
        .any(|role| counselor_roles.contains(role))
}

/// The private note for someone `/reload` refuses.
pub fn refusal(counselor_roles_configured: bool) -> &'static str {
    if counselor_roles_configured {
        "Only counselors can reload the knowledge files."
    } else {
        "Only members with the Manage Server permission can reload the knowledge files."
    }
}

/// The private report of a reload for the person who asked, within
/// Discord's 2,000 characters: what happened and, for bad files, each
/// problem at its file, line and column (as many as fit; the log has all).
pub fn report(outcome: &Result<Reloaded, ReloadError>) -> String {
    match outcome {
        Ok(Reloaded::Swapped { dir, .. }) => format!(
            "Reloaded the knowledge files from `{}`. New questions get the new answers.",
            dir.display()
        ),
        Ok(Reloaded::NothingToReload) => "I answer from the knowledge built into me (I was \
             started without `--knowledge DIR`), so there is nothing to reload."
            .to_string(),
        Err(ReloadError::Knowledge(error)) => {
            let head = "The knowledge files have problems, so I kept answering from the \
                        previous knowledge. Fix them and run /reload again.";
            let lines: Vec<String> = match error {
                KnowledgeError::Invalid(problems) => {
                    problems.iter().map(ToString::to_string).collect()
                }
                KnowledgeError::Read { .. } => vec![error.to_string()],
            };
            with_code_block(head, &lines)
        }
        Err(error @ ReloadError::Interrupted(_)) => format!(
            "The reload did not finish ({error}); I kept answering from the previous knowledge."
        ),
    }
}

/// `head`, then `lines` in a code block, as many as fit in a message, then
/// how many were left out.
fn with_code_block(head: &str, lines: &[String]) -> String {
    const FENCE: &str = "```";
    // Room for the closing fence and the "… more" line.
    const RESERVE: usize = 80;
    let mut text = format!("{head}\n{FENCE}\n");
    let mut shown = 0;
    for line in lines {
        // A fence inside a message would end the block early.
        let line = line.replace(FENCE, "`\u{200b}``");
        if discord_len(&text) + discord_len(&line) + 1 + RESERVE > CONTENT_LIMIT {
            break;
        }
        text.push_str(&line);
        text.push('\n');
        shown += 1;
    }
    text.push_str(FENCE);
    if shown < lines.len() {
        text.push_str(&format!(
            "\n\u{2026} and {} more (the bot's log lists them all).",
            lines.len() - shown
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Problem;

    fn problem(line: usize, message: &str) -> Problem {
        Problem {
            file: "/srv/knowledge/intents.toml".into(),
            line,
            column: 7,
            message: message.into(),
        }
    }

    #[test]
    fn built_in_knowledge_has_nothing_to_reload() {
        let bot = Arc::new(CareerBot::from_embedded().expect("the built-in knowledge loads"));
        let live = LiveKnowledge::new(KnowledgeSource::BuiltIn, Arc::clone(&bot));
        let outcome = live.reload_blocking();
        assert!(matches!(outcome, Ok(Reloaded::NothingToReload)));
        assert!(Arc::ptr_eq(&live.current(), &bot), "nothing was swapped");
        assert!(report(&outcome).contains("nothing to reload"));
    }

    #[test]
    fn a_failed_reload_keeps_the_previous_bot() {
        let bot = Arc::new(CareerBot::from_embedded().expect("the built-in knowledge loads"));
        let missing = KnowledgeSource::Dir(PathBuf::from("/nonexistent/career-bot-knowledge"));
        let live = LiveKnowledge::new(missing, Arc::clone(&bot));
        let outcome = live.reload_blocking();
        assert!(matches!(outcome, Err(ReloadError::Knowledge(_))));
        assert!(Arc::ptr_eq(&live.current(), &bot));
        assert!(
            report(&outcome).contains("cannot read"),
            "{}",
            report(&outcome)
        );
    }

    #[test]
    fn the_report_lists_problems_with_positions_and_fits_a_message() {
        let few = Err(ReloadError::Knowledge(KnowledgeError::Invalid(vec![
            problem(3, "unknown field `summry`"),
            problem(9, "a ``` fence"),
        ])));
        let text = report(&few);
        assert!(text.contains("/srv/knowledge/intents.toml:3:7: unknown field"));
        assert_eq!(text.matches("```").count(), 2, "{text}");

        let many: Vec<Problem> = (1..=200).map(|i| problem(i, "bad regex")).collect();
        let text = report(&Err(ReloadError::Knowledge(KnowledgeError::Invalid(many))));
        assert!(
            discord_len(&text) <= CONTENT_LIMIT,
            "{}",
            discord_len(&text)
        );
        assert!(
            text.contains("more (the bot's log lists them all)"),
            "{text}"
        );
        assert!(text.contains(":1:7: bad regex"));
    }

    #[test]
    fn who_may_reload() {
        let counselor = RoleId::new(10);
        let student = RoleId::new(20);
        let manage = Some(Permissions::MANAGE_GUILD | Permissions::SEND_MESSAGES);
        let member = Some(Permissions::SEND_MESSAGES);
        // No counselor roles: Manage Server (or Administrator) in a server.
        assert!(may_reload(&[], true, &[], manage));
        assert!(may_reload(&[], true, &[], Some(Permissions::ADMINISTRATOR)));
        assert!(!may_reload(&[], true, &[], member));
        assert!(!may_reload(&[], true, &[], None));
        // Counselor roles: the role decides.
        assert!(may_reload(
            &[counselor],
            true,
            &[student, counselor],
            member
        ));
        assert!(!may_reload(&[counselor], true, &[student], manage));
        // Never from a DM.
        assert!(!may_reload(&[], false, &[], manage));
        assert!(!may_reload(&[counselor], false, &[counselor], manage));
    }
}
