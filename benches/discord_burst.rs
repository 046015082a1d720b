//! The burst through the loopback Discord server in HTTPS mode, with the
//! bot's real serenity client and its rate limiter on: 300 questions across
//! 10 channels while the server allows 5 messages per 5 seconds per
//! channel. Prints the wall time against the least time the limit allows
//! (25 s: 30 replies per channel in windows of 5), and whether every
//! question got exactly one reply, in order; once with only the per-channel
//! limit, once with Discord's global 50 requests per second on top.
//!
//! Run: `cargo bench --bench discord_burst` (uses the binary of the bench
//! profile, an optimised build).

// The tests' support module, shared rather than copied; parts of it serve
// only the tests, and their test-only imports are unused here.
#[allow(unused_imports)]
#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Duration;

use support::burst::{run_burst, Burst};
use support::TestBot;

fn main() {
    support::timing::run_blocking(async {
        for (name, burst) in [
            ("per-channel limit only", Burst::per_channel_only()),
            ("per-channel and global limits", Burst::standard()),
        ] {
            let test = TestBot::start_with(burst.server_config(), |_, _| {}).await;
            let report = run_burst(&test, burst, Duration::from_secs(300))
                .await
                .expect("every question is answered");
            let ratio = report.wall.as_secs_f64() / report.minimum.as_secs_f64().max(f64::EPSILON);
            println!("{name}: {} (wall / minimum = {ratio:.3})", report.summary());
        }
    });
}
