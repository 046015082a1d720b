//! Load through the loopback Discord server: the real `career-bot` binary
//! and its serenity client answering mentions in 8 channels at once, rate
//! limiter off (proxy mode) so the bot itself is measured.
//!
//! Each phase keeps a fixed number of questions in flight (spread over the
//! channels; a worker asks, waits for the reply, asks again) and reports
//! questions per second and the reply time from the MESSAGE_CREATE written
//! to the bot's socket to the reply's POST arriving (p50, p99, max). At the
//! end it reads the bot's peak resident memory (VmHWM in
//! /proc/<pid>/status). The bot's replies come back to it as
//! MESSAGE_CREATE, as on Discord, so it also reads and ignores its own
//! messages.
//!
//! Run: `cargo bench --bench discord_load` (uses the binary of the bench
//! profile, an optimised build). The server and this harness share the
//! machine with the bot, so the figures are a floor for the bot alone.

// The tests' support module, shared rather than copied; parts of it serve
// only the tests, and their test-only imports are unused here.
#[allow(unused_imports)]
#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use support::payloads::{Channel, NewMessage, Person};
use support::server::gateway::GatewayKind;
use support::server::{Posted, ServerConfig, WAIT};
use support::timing::ReplyTimes;
use support::TestBot;

/// Channels the questions are spread over.
const CHANNELS: usize = 8;

/// (questions in flight, questions) per phase.
const PHASES: [(usize, usize); 2] = [(8, 3000), (32, 6400)];

/// What the students ask, in turn: one-topic questions, a two-topic one,
/// small talk and an off-topic one.
const QUESTIONS: [&str; 8] = [
    "how much do they make?",
    "do i need a degree for this",
    "is the field growing??",
    "what certifications should i get",
    "where do health it specialists work",
    "whats the pay and do i need a degree",
    "thanks!",
    "how much do nurses make",
];

/// One worker: asks `count` questions in `channel`, one at a time, each
/// after the previous reply arrived.
async fn worker(
    test: &TestBot,
    asker: &Person,
    channel: &Channel,
    first: usize,
    count: usize,
) -> Vec<Posted> {
    let mention = test.world().bot.mention();
    let mut asked = Vec::with_capacity(count);
    for n in first..first + count {
        let question = QUESTIONS[n % QUESTIONS.len()];
        let mark = test.server.request_mark();
        let posted = test
            .server
            .post(NewMessage::new(
                asker,
                channel,
                format!("{mention} {question}"),
            ))
            .expect("the bot has a session");
        let id = posted.id.clone();
        test.server
            .wait_for_request_from(mark, "the reply", |r| r.is_reply_to(&id), WAIT)
            .await
            .expect("every question is answered");
        asked.push(posted);
    }
    asked
}

/// Reply times of `asked`, from the gateway and request logs: the
/// MESSAGE_CREATE with the question's sequence number written to the
/// socket, and the first reply referencing the question.
fn reply_times(test: &TestBot, asked: &[Posted]) -> ReplyTimes {
    let mut sent = HashMap::new();
    for record in test.server.gateway_records() {
        if let GatewayKind::ToClient {
            seq: Some(seq),
            event: Some(event),
            replay: false,
            ..
        } = &record.kind
        {
            if event == "MESSAGE_CREATE" {
                sent.entry(*seq).or_insert(record.at);
            }
        }
    }
    let mut replied = HashMap::new();
    for request in test.server.requests() {
        if !request.is_channel_message() {
            continue;
        }
        if let Some(id) = request.body["message_reference"]["message_id"].as_str() {
            replied.entry(id.to_string()).or_insert(request.at);
        }
    }
    let mut times = ReplyTimes::default();
    for posted in asked {
        let seq = posted.dispatched.seq.expect("dispatched to the bot");
        let (Some(sent), Some(replied)) = (sent.get(&seq), replied.get(&posted.id)) else {
            panic!("question {} has no send or reply record", posted.id);
        };
        times.samples.push(replied.saturating_duration_since(*sent));
    }
    times
}

/// Runs one phase: `in_flight` workers over the channels, `total`
/// questions; prints its figures unless it is the warm-up.
async fn phase(test: &TestBot, channels: &[Channel], in_flight: usize, total: usize, print: bool) {
    let world = test.world().clone();
    let askers = [
        world.student.clone(),
        world.classmate.clone(),
        world.counselor.clone(),
    ];
    let per_worker = total / in_flight;
    let pid = test.bot.id().expect("the bot is running");
    let cpu_before = cpu_ticks(pid);
    let started = Instant::now();
    let workers = (0..in_flight).map(|w| {
        let channel = &channels[w % channels.len()];
        let asker = &askers[w % askers.len()];
        worker(test, asker, channel, w * per_worker, per_worker)
    });
    let asked: Vec<Posted> = join_all(workers).await.into_iter().flatten().collect();
    let wall = started.elapsed();
    let cpu = cpu_before
        .zip(cpu_ticks(pid))
        .map(|(before, after)| Duration::from_millis((after - before) * 10));
    let times = reply_times(test, &asked);
    let rate = asked.len() as f64 / wall.as_secs_f64();
    if !print {
        return;
    }
    println!(
        "{in_flight:>2} in flight over {} channels: {} questions in {:.2?}, {rate:.0} questions/s; \
         reply time p50 {:.2?}, p99 {:.2?}, max {:.2?}; bot CPU {}",
        channels.len(),
        asked.len(),
        wall,
        times.median(),
        times.quantile(0.99),
        times.quantile(1.0),
        cpu.map_or("unknown".to_string(), |cpu| format!(
            "{cpu:.2?} ({:.0} µs per question)",
            cpu.as_secs_f64() * 1e6 / asked.len() as f64
        )),
    );
}

/// CPU time the bot process has used (user + system), from
/// `/proc/<pid>/stat`, in clock ticks of 10 ms.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which is in parentheses): state is
    // field 3, utime 14, stime 15.
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// The bot's peak resident memory, from `/proc/<pid>/status`.
fn peak_resident_memory(pid: u32) -> Option<String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .map(|value| value.trim().to_string())
}

fn main() {
    support::timing::run_blocking(async {
        let test = TestBot::start_with(
            ServerConfig {
                rooms: CHANNELS,
                ..ServerConfig::default()
            },
            |_, _| {},
        )
        .await;
        let channels: Vec<Channel> = test.world().rooms.clone();
        assert_eq!(channels.len(), CHANNELS);
        // Unmeasured: warms the connection pool, the engine and the allocator.
        phase(&test, &channels, CHANNELS, 200, false).await;
        for (in_flight, total) in PHASES {
            phase(&test, &channels, in_flight, total, true).await;
        }
        let pid = test.bot.id().expect("the bot is running");
        match peak_resident_memory(pid) {
            Some(peak) => println!("bot peak resident memory (VmHWM): {peak}"),
            None => println!("bot peak resident memory: /proc/{pid}/status unreadable"),
        }
        let rejected = test.server.rejected_requests().len();
        assert_eq!(
            rejected, 0,
            "Discord would have rejected {rejected} requests"
        );
    });
}
