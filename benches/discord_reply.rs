//! Reply time through the loopback Discord server: the real `career-bot`
//! binary, its real serenity client, a mention in a guild channel, timed
//! from the MESSAGE_CREATE written to the socket to the reply's POST
//! arriving. Sequential questions, rate limiter off (proxy mode), so the bot
//! itself is measured.
//!
//! Run: `cargo bench --bench discord_reply` (uses the binary of the bench
//! profile, an optimised build).

// The tests' support module, shared rather than copied; parts of it serve
// only the tests, and their test-only imports are unused here.
#[allow(unused_imports)]
#[path = "../tests/support/mod.rs"]
mod support;

use support::timing::measure_reply_times;
use support::TestBot;

const QUESTIONS: usize = 200;

fn main() {
    support::timing::run_blocking(async {
        let test = TestBot::start().await;
        // One unmeasured question warms the connection and the engine.
        measure_reply_times(&test.server, 1, "hi")
            .await
            .expect("warm-up answered");
        for question in [
            "how much do they make?",
            "what degree do i need and is the field growing",
        ] {
            let times = measure_reply_times(&test.server, QUESTIONS, question)
                .await
                .expect("every question is answered");
            println!(
                "{question:?}: {} questions, median {:?}, p90 {:?}, p99 {:?}, max {:?}",
                times.samples.len(),
                times.median(),
                times.quantile(0.9),
                times.quantile(0.99),
                times.quantile(1.0)
            );
        }
    });
}
