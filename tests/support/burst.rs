//! A burst of questions across channels under Discord's message rate limit,
//! for the burst test and the `discord_burst` benchmark.
//!
//! The server runs in TLS mode (the bot's own rate limiter on, as in
//! production) with a per-channel limit on `POST /channels/{id}/messages`
//! and Discord's global limit. Questions are posted round-robin over the
//! channels, as fast as the server takes them; the report says whether
//! every question got exactly one reply, in order per channel, and how
//! long the burst took against the least time the limit allows.

use std::collections::HashMap;
use std::time::Duration;

use super::payloads::NewMessage;
use super::record::TimeoutError;
use super::server::rest::Request;
use super::server::{GlobalRateLimit, Posted, RateLimit, ServerConfig};
use super::TestBot;

/// The shape of a burst.
#[derive(Clone, Copy, Debug)]
pub struct Burst {
    /// Channels the questions are spread over.
    pub channels: usize,
    /// Questions per channel.
    pub per_channel: usize,
    /// Messages the server allows per channel per window.
    pub limit: u32,
    /// The window.
    pub per: Duration,
    /// Discord's global limit on top, or `None`.
    pub global: Option<GlobalRateLimit>,
}

impl Burst {
    /// The burst: 300 questions across 10 channels, 5 messages per
    /// 5 seconds per channel, and Discord's global 50 requests per second.
    pub fn standard() -> Burst {
        Burst {
            channels: 10,
            per_channel: 30,
            limit: 5,
            per: Duration::from_secs(5),
            global: Some(GlobalRateLimit {
                limit: 50,
                per: Duration::from_secs(1),
            }),
        }
    }

    /// [`Burst::standard`] without the global limit: only the per-channel
    /// limit shapes the burst.
    pub fn per_channel_only() -> Burst {
        Burst {
            global: None,
            ..Burst::standard()
        }
    }

    /// The least time the limit allows from the first reply to the last:
    /// the first `limit` replies of a channel go at once, each later group
    /// one window after the previous.
    pub fn minimum(&self) -> Duration {
        let limit = self.limit.max(1) as usize;
        let windows = self.per_channel.div_ceil(limit);
        self.per * windows.saturating_sub(1) as u32
    }

    /// The server for this burst: TLS mode, `channels` rooms, the
    /// per-channel message limit and the global limit, if any.
    pub fn server_config(&self) -> ServerConfig {
        ServerConfig {
            tls: true,
            rooms: self.channels,
            rate_limits: vec![RateLimit {
                method: Some("POST".to_string()),
                route: "/channels/*/messages".to_string(),
                limit: self.limit,
                per: self.per,
            }],
            global_rate_limit: self.global,
            ..ServerConfig::default()
        }
    }
}

/// What a burst showed.
#[derive(Debug)]
pub struct BurstReport {
    /// Questions posted.
    pub questions: usize,
    /// Questions answered by exactly one accepted reply.
    pub answered_once: usize,
    /// Questions with no accepted reply.
    pub unanswered: Vec<String>,
    /// Questions with more than one accepted reply.
    pub answered_twice: Vec<String>,
    /// Channels whose replies came out of question order.
    pub out_of_order: Vec<String>,
    /// Per-route 429 responses the server sent during the burst; serenity
    /// waits these out (or the bot retries them).
    pub rate_limited: usize,
    /// Global 429 responses (`X-RateLimit-Global: true`).
    pub globally_limited: usize,
    /// From the first question posted to the last reply accepted.
    pub wall: Duration,
    /// [`Burst::minimum`].
    pub minimum: Duration,
}

impl BurstReport {
    /// One line for the test output and the benchmark.
    pub fn summary(&self) -> String {
        format!(
            "{} questions: {} answered exactly once, {} unanswered, {} answered twice, \
             {} channel(s) out of order, {} per-route and {} global 429s from the server; \
             wall time {:.2?} against a minimum of {:.2?} the per-channel limit allows",
            self.questions,
            self.answered_once,
            self.unanswered.len(),
            self.answered_twice.len(),
            self.out_of_order.len(),
            self.rate_limited,
            self.globally_limited,
            self.wall,
            self.minimum
        )
    }
}

/// The questions asked, in turn.
const QUESTIONS: [&str; 4] = [
    "how much do they make?",
    "what degree do I need?",
    "is the field growing?",
    "where do they work?",
];

/// Posts `burst.per_channel` questions in each of the first
/// `burst.channels` rooms of `test`'s world, round-robin, and waits (at most
/// `timeout`) until every one has an accepted reply.
pub async fn run_burst(
    test: &TestBot,
    burst: Burst,
    timeout: Duration,
) -> Result<BurstReport, TimeoutError> {
    let world = test.world().clone();
    let rooms = &world.rooms[..burst.channels.min(world.rooms.len())];
    let mark = test.server.request_mark();
    let started = tokio::time::Instant::now();
    let mut posted: Vec<Posted> = Vec::with_capacity(rooms.len() * burst.per_channel);
    for round in 0..burst.per_channel {
        for room in rooms {
            let question = QUESTIONS[round % QUESTIONS.len()];
            let content = format!("{} {question}", world.bot.mention());
            let message = test
                .server
                .post(NewMessage::new(&world.student, room, content))
                .map_err(|error| TimeoutError {
                    waited_for: error.to_string(),
                    after: Duration::ZERO,
                    seen: Vec::new(),
                })?;
            posted.push(message);
        }
    }
    let question_ids: std::collections::HashSet<String> =
        posted.iter().map(|p| p.id.clone()).collect();
    let is_accepted_reply = |r: &Request| {
        r.is_channel_message()
            && r.status == 200
            && r.body["message_reference"]["message_id"]
                .as_str()
                .is_some_and(|id| question_ids.contains(id))
    };
    let replies = test
        .server
        .wait_for_requests(
            posted.len(),
            "accepted replies to the burst",
            is_accepted_reply,
            timeout,
        )
        .await?;
    let requests = test.server.requests();
    let burst_requests = &requests[mark.min(requests.len())..];

    let mut per_question: HashMap<&str, usize> = HashMap::new();
    for reply in &replies {
        if let Some(id) = reply.body["message_reference"]["message_id"].as_str() {
            *per_question.entry(id).or_default() += 1;
        }
    }
    let unanswered: Vec<String> = posted
        .iter()
        .filter(|p| !per_question.contains_key(p.id.as_str()))
        .map(|p| p.id.clone())
        .collect();
    let answered_twice: Vec<String> = posted
        .iter()
        .filter(|p| per_question.get(p.id.as_str()).is_some_and(|&n| n > 1))
        .map(|p| p.id.clone())
        .collect();
    let answered_once = posted.len() - unanswered.len() - answered_twice.len();

    let mut out_of_order = Vec::new();
    for room in rooms {
        let asked: Vec<&str> = posted
            .iter()
            .filter(|p| p.channel_id == room.id)
            .map(|p| p.id.as_str())
            .collect();
        let replied: Vec<&str> = replies
            .iter()
            .filter(|r| r.channel_id() == Some(room.id.as_str()))
            .filter_map(|r| r.body["message_reference"]["message_id"].as_str())
            .collect();
        if asked != replied {
            out_of_order.push(room.id.clone());
        }
    }

    let last_at = replies.iter().map(|r| r.at).max().unwrap_or(started);
    Ok(BurstReport {
        questions: posted.len(),
        answered_once,
        unanswered,
        answered_twice,
        out_of_order,
        rate_limited: burst_requests
            .iter()
            .filter(|r| r.status == 429 && r.response_header("x-ratelimit-global").is_none())
            .count(),
        globally_limited: burst_requests
            .iter()
            .filter(|r| r.status == 429 && r.response_header("x-ratelimit-global").is_some())
            .count(),
        wall: last_at.saturating_duration_since(started),
        minimum: burst.minimum(),
    })
}
