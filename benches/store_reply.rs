//! Reply time with the store on, against off: the real `career-bot`
//! binary and serenity client through the loopback Discord server (as
//! `discord_reply`), three bots side by side —
//!
//! - `off`: `[store] log_questions = false` (the store is open, nothing is
//!   written on the answer path);
//! - `sqlite`: every question logged to a SQLite file;
//! - `postgres`: every question logged to PostgreSQL, and each message
//!   claimed there before it is answered (the shared-store path).
//!
//! The bots take turns, a block of questions each, so drift on a shared
//! machine falls on all three alike. Questions alternate between ones the
//! bot answers and ones it cannot (whose text is kept for review), each
//! with a running number, so no two messages are the same text.
//!
//! Run: `scripts/with-postgres cargo bench --bench store_reply`.

// The tests' support module, shared rather than copied; parts of it serve
// only the tests, and their test-only imports are unused here.
#[allow(unused_imports)]
#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Duration;

use support::postgres::fresh_database;
use support::server::DiscordServer;
use support::timing::{measure_numbered_replies, ReplyTimes};
use support::TestBot;

/// Blocks per bot, and questions per block.
const ROUNDS: usize = 20;
const BLOCK: usize = 25;

const QUESTIONS: [&str; 4] = [
    "how much do they make",
    "can i bring my dog to work",
    "what degree do i need",
    "is there a dress code",
];

/// Asks `count` questions, numbered from `first`, and adds each reply
/// time to `times`.
async fn ask(server: &DiscordServer, first: usize, count: usize, times: &mut ReplyTimes) {
    let question = |n: usize| format!("{} (question {n})", QUESTIONS[n % QUESTIONS.len()]);
    measure_numbered_replies(server, first..first + count, question, times)
        .await
        .expect("every question is answered");
}

fn line(name: &str, times: &ReplyTimes) -> String {
    format!(
        "{name:<9} {} replies: median {:?}, p90 {:?}, p99 {:?}, max {:?}",
        times.samples.len(),
        times.median(),
        times.quantile(0.9),
        times.quantile(0.99),
        times.quantile(1.0)
    )
}

fn main() {
    support::timing::run_blocking(async {
        let postgres = fresh_database();
        let bots = [
            (
                "off",
                TestBot::configured(|config, _| config.log_questions = Some(false)).await,
            ),
            ("sqlite", TestBot::start().await),
            (
                "postgres",
                TestBot::configured(|config, _| config.store_url = Some(postgres.clone())).await,
            ),
        ];
        let mut times: Vec<ReplyTimes> = bots.iter().map(|_| ReplyTimes::default()).collect();
        // Warm-up, unmeasured: connections, the engine, the store's pool.
        for (_, test) in &bots {
            ask(&test.server, 0, 4, &mut ReplyTimes::default()).await;
        }
        for round in 0..ROUNDS {
            for (index, (_, test)) in bots.iter().enumerate() {
                ask(&test.server, 4 + round * BLOCK, BLOCK, &mut times[index]).await;
            }
        }
        for ((name, _), times) in bots.iter().zip(&times) {
            println!("{}", line(name, times));
        }
        let p99 = |i: usize| times[i].quantile(0.99);
        let moved = |i: usize| p99(i).saturating_sub(p99(0));
        println!(
            "p99 moved by the store: sqlite {:?}, postgres {:?} (limit {:?})",
            moved(1),
            moved(2),
            Duration::from_millis(1)
        );
    });
}
