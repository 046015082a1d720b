//! Reply-time measurement through the loopback server: from the moment
//! the server wrote a `MESSAGE_CREATE` to the bot's socket to the moment
//! the bot's reply request arrived. Callable from tests and benchmarks; the
//! tests do not assert on the figures.

use std::time::Duration;

use super::payloads::NewMessage;
use super::record::TimeoutError;
use super::server::{DiscordServer, WAIT};

/// Measured reply times.
#[derive(Clone, Debug, Default)]
pub struct ReplyTimes {
    /// One sample per question, in order.
    pub samples: Vec<Duration>,
}

impl ReplyTimes {
    fn sorted(&self) -> Vec<Duration> {
        let mut sorted = self.samples.clone();
        sorted.sort();
        sorted
    }

    /// The `q` quantile (0.0–1.0), nearest rank.
    pub fn quantile(&self, q: f64) -> Duration {
        let sorted = self.sorted();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        sorted[rank - 1]
    }

    /// The median.
    pub fn median(&self) -> Duration {
        self.quantile(0.5)
    }

    /// The mean.
    pub fn mean(&self) -> Duration {
        if self.samples.is_empty() {
            return Duration::ZERO;
        }
        self.samples.iter().sum::<Duration>() / self.samples.len() as u32
    }
}

/// Asks `count` questions one after the other (each a mention of the bot
/// by the student in `#general`, after the previous reply) and measures
/// each reply time.
pub async fn measure_reply_times(
    server: &DiscordServer,
    count: usize,
    question: &str,
) -> Result<ReplyTimes, TimeoutError> {
    let mut times = ReplyTimes::default();
    measure_numbered_replies(server, 0..count, |_| question.to_string(), &mut times).await?;
    Ok(times)
}

/// Like [`measure_reply_times`], with question `n` for each `n` of
/// `numbers` made by `question` (so each message can be new text), adding
/// the reply times to `times`.
pub async fn measure_numbered_replies(
    server: &DiscordServer,
    numbers: std::ops::Range<usize>,
    question: impl Fn(usize) -> String,
    times: &mut ReplyTimes,
) -> Result<(), TimeoutError> {
    let world = server.world().clone();
    for n in numbers {
        let content = format!("{} {}", world.bot.mention(), question(n));
        let posted = server
            .post(NewMessage::new(&world.student, &world.general, content))
            .map_err(|e| TimeoutError {
                waited_for: e.to_string(),
                after: Duration::ZERO,
                seen: Vec::new(),
            })?;
        let seq = posted.dispatched.seq.unwrap_or_default();
        let sent = server
            .wait_for_gateway(
                0,
                "the question written to the socket",
                |r| r.is_sent_seq(seq) && r.is_sent_event("MESSAGE_CREATE"),
                WAIT,
            )
            .await?;
        let reply = server.wait_for_reply_to(&posted.id).await?;
        times
            .samples
            .push(reply.at.saturating_duration_since(sent.at));
    }
    Ok(())
}

/// Runs `work` to completion on a fresh multi-threaded runtime: the entry
/// point of the benchmark binaries, which have no `#[tokio::main]`.
pub fn run_blocking<F: std::future::Future>(work: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime starts")
        .block_on(work)
}
