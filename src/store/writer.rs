//! Writing to the store without making anyone wait: a bounded queue and
//! one background task that drains it.
//!
//! [`Recorder::record`] never blocks and never fails: it puts the write in
//! the queue, or, when the queue is full, counts it as dropped and logs the
//! count (at 1, 2, 4, 8… drops, so a long outage does not flood the log).
//! The writer writes in queue order. When the store fails, it logs the
//! outage once, keeps the write it holds and retries it with exponential
//! backoff (capped at [`MAX_RETRY_DELAY`]) while the queue fills; when the
//! store is back it logs that once, with how long it was away, and drains
//! what queued. Nothing within the queue's bound is lost. Every
//! [`EXPIRY_PERIOD`] it also removes what is older than the retention.
//!
//! This module touches the store (through [`Store`]) and the `tracing`
//! log; it needs a tokio runtime.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ExponentialBuilder};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::record::{FeedbackComment, FeedbackRecord, QuestionRecord};
use super::{unix_now, Store, StoreError};

/// The longest wait between two attempts while the store is down.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(5);

/// How often expired rows are removed.
pub const EXPIRY_PERIOD: Duration = Duration::from_secs(3600);

/// Claims are kept this long (a hand-over between processes takes
/// seconds; Discord does not redeliver older messages).
pub const CLAIM_RETENTION_SECONDS: i64 = 24 * 3600;

/// One write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Write {
    /// A question.
    Question(QuestionRecord),
    /// A vote.
    Feedback(FeedbackRecord),
    /// A 👎 voter's comment.
    Comment(FeedbackComment),
}

/// How the writer behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriterSettings {
    /// Writes the queue holds while the store is slow or down.
    pub queue_bound: usize,
    /// Questions and votes older than this are removed; `None` keeps them.
    pub retention: Option<Duration>,
}

impl Default for WriterSettings {
    fn default() -> Self {
        WriterSettings {
            queue_bound: 1024,
            retention: Some(Duration::from_secs(90 * 24 * 3600)),
        }
    }
}

/// Counts shared by the recorder and its writer, for logs and tests.
#[derive(Debug, Default)]
pub struct WriterCounts {
    /// Writes stored.
    pub written: AtomicU64,
    /// Writes dropped because the queue was full (or the writer stopped).
    pub dropped: AtomicU64,
    /// Times the store failed and recovered.
    pub outages: AtomicU64,
    /// Write attempts that failed (each is retried).
    pub failures: AtomicU64,
}

/// The front ends' handle: queue writes, never wait.
#[derive(Clone, Debug)]
pub struct Recorder {
    queue: mpsc::Sender<Write>,
    counts: Arc<WriterCounts>,
}

/// The background writer's task; [`WriterTask::finish`] drains the queue.
#[derive(Debug)]
pub struct WriterTask {
    handle: JoinHandle<()>,
}

impl Recorder {
    /// Starts the background writer on the current tokio runtime.
    pub fn start(store: Store, settings: WriterSettings) -> (Recorder, WriterTask) {
        let (queue, receiver) = mpsc::channel(settings.queue_bound.max(1));
        let counts = Arc::new(WriterCounts::default());
        let handle = tokio::spawn(write_loop(
            store,
            receiver,
            Arc::clone(&counts),
            settings.retention,
        ));
        (Recorder { queue, counts }, WriterTask { handle })
    }

    /// Queues `write`; returns at once. A full queue drops it, counted and
    /// logged.
    pub fn record(&self, write: Write) {
        if self.queue.try_send(write).is_err() {
            let dropped = self.counts.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if dropped.is_power_of_two() {
                tracing::warn!(
                    dropped,
                    bound = self.queue.max_capacity(),
                    "store queue full: records dropped so far (answering goes on)"
                );
            }
        }
    }

    /// The writer's counts.
    pub fn counts(&self) -> &Arc<WriterCounts> {
        &self.counts
    }
}

impl WriterTask {
    /// Waits, at most `limit`, for the writer to store what is queued once
    /// every [`Recorder`] is dropped. False if it did not finish in time
    /// (the store is down): what is left is lost, and logged.
    pub async fn finish(self, limit: Duration) -> bool {
        match tokio::time::timeout(limit, self.handle).await {
            Ok(_) => true,
            Err(_) => {
                tracing::warn!(
                    ?limit,
                    "the store did not take the queued records in time; they are lost"
                );
                false
            }
        }
    }
}

async fn write_loop(
    store: Store,
    mut receiver: mpsc::Receiver<Write>,
    counts: Arc<WriterCounts>,
    retention: Option<Duration>,
) {
    let mut expiry = tokio::time::interval(EXPIRY_PERIOD);
    loop {
        tokio::select! {
            write = receiver.recv() => {
                let Some(write) = write else { break };
                write_with_retries(&store, &write, &counts).await;
            }
            _ = expiry.tick() => expire(&store, retention).await,
        }
    }
}

/// Writes `write`, retrying until the store takes it.
async fn write_with_retries(store: &Store, write: &Write, counts: &WriterCounts) {
    let mut delays = ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(50))
        .with_max_delay(MAX_RETRY_DELAY)
        .without_max_times()
        .with_jitter()
        .build();
    let mut outage: Option<Instant> = None;
    loop {
        match write_once(store, write).await {
            Ok(()) => {
                counts.written.fetch_add(1, Ordering::Relaxed);
                if let Some(since) = outage {
                    counts.outages.fetch_add(1, Ordering::Relaxed);
                    tracing::info!(
                        away = ?since.elapsed(),
                        "the store is back; writing what queued meanwhile"
                    );
                }
                return;
            }
            Err(error) => {
                counts.failures.fetch_add(1, Ordering::Relaxed);
                if outage.is_none() {
                    outage = Some(Instant::now());
                    tracing::error!(
                        store = %store.url(),
                        %error,
                        "the store is unavailable; answering goes on and records queue until it returns"
                    );
                }
                let delay = delays.next().unwrap_or(MAX_RETRY_DELAY);
                tokio::time::sleep(delay).await;
            }
        }
    }
}

async fn write_once(store: &Store, write: &Write) -> Result<(), StoreError> {
    match write {
        Write::Question(question) => store.insert_question(question).await,
        Write::Feedback(vote) => store.upsert_feedback(vote).await,
        Write::Comment(comment) => store.add_comment(comment).await,
    }
}

async fn expire(store: &Store, retention: Option<Duration>) {
    let now = unix_now();
    let before = retention.map_or(i64::MIN, |keep| {
        now - i64::try_from(keep.as_secs()).unwrap_or(i64::MAX)
    });
    match store.expire(before, now - CLAIM_RETENTION_SECONDS).await {
        Ok(removed) if removed.questions + removed.feedback > 0 => tracing::info!(
            questions = removed.questions,
            feedback = removed.feedback,
            "removed records older than the retention"
        ),
        Ok(_) => {}
        // The next period tries again; an outage is logged by the writes.
        Err(error) => tracing::debug!(%error, "expiry skipped"),
    }
}

/// Whether questions are logged, from the `[store]` config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogPolicy {
    /// Log questions at all (`log_questions`).
    pub questions: bool,
    /// Log questions asked in direct messages (`log_direct_messages`).
    pub direct_messages: bool,
}

impl Default for LogPolicy {
    fn default() -> Self {
        LogPolicy {
            questions: true,
            direct_messages: false,
        }
    }
}

/// What front ends call: builds records (hashing the asker, keeping text
/// only for review) under the log policy and queues them.
#[derive(Clone, Debug)]
pub struct QuestionLog {
    recorder: Recorder,
    hasher: super::record::AskerHasher,
    policy: LogPolicy,
}

impl QuestionLog {
    /// A log writing through `recorder`, hashing askers with `hasher`.
    pub fn new(
        recorder: Recorder,
        hasher: super::record::AskerHasher,
        policy: LogPolicy,
    ) -> QuestionLog {
        QuestionLog {
            recorder,
            hasher,
            policy,
        }
    }

    /// The salted hash of `user` (e.g. `"discord:42"`).
    pub fn asker(&self, user: &str) -> String {
        self.hasher.hash(user)
    }

    /// Queues the record of `message`, answered with `reply`, unless the
    /// policy says not to (logging off, or a DM without
    /// `log_direct_messages`). `user` is hashed, never stored.
    #[allow(clippy::too_many_arguments)]
    pub fn question(
        &self,
        bot: &crate::bot::CareerBot,
        message: &str,
        classification: &crate::engine::Classification,
        reply: &crate::answer::Reply,
        place: super::record::Place,
        user: Option<&str>,
        direct: bool,
    ) {
        if !self.policy.questions || (direct && !self.policy.direct_messages) {
            return;
        }
        let record = QuestionRecord::new(
            classification,
            reply,
            || bot.engine().normalized_text(message),
            place,
            user.map(|user| self.hasher.hash(user)),
            unix_now(),
        );
        self.recorder.record(Write::Question(record));
    }

    /// Queues a 👍 (`helpful`) or 👎 by `user` on answer `message_id`
    /// covering `topics`.
    pub fn vote(
        &self,
        message_id: u64,
        place: super::record::Place,
        user: &str,
        topics: Vec<crate::intent::Intent>,
        helpful: bool,
    ) {
        self.recorder.record(Write::Feedback(FeedbackRecord {
            message_id,
            given_at: unix_now(),
            place,
            asker: self.hasher.hash(user),
            topics,
            helpful,
        }));
    }

    /// Queues what `user` was looking for, on their 👎 of `message_id`.
    pub fn comment(&self, message_id: u64, user: &str, text: &str) {
        let comment: String = text
            .trim()
            .chars()
            .take(super::record::COMMENT_LIMIT)
            .collect();
        if comment.is_empty() {
            return;
        }
        self.recorder.record(Write::Comment(FeedbackComment {
            message_id,
            asker: self.hasher.hash(user),
            comment,
        }));
    }

    /// The recorder's counts.
    pub fn counts(&self) -> &Arc<WriterCounts> {
        self.recorder.counts()
    }
}
