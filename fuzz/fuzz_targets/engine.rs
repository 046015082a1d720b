//! Fuzzes the normaliser and matcher: any bytes, read as (lossy) UTF-8, must
//! classify and reply without a panic, deterministically, and the reply must
//! never quote a mention from the input.
#![no_main]

use std::sync::OnceLock;

use career_bot::answer::text::render_reply;
use career_bot::CareerBot;
use libfuzzer_sys::fuzz_target;

fn bot() -> &'static CareerBot {
    static BOT: OnceLock<CareerBot> = OnceLock::new();
    BOT.get_or_init(|| CareerBot::from_embedded().expect("built-in knowledge loads"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let first = bot().classify(&text);
    let second = bot().classify(&text);
    assert_eq!(first.intents, second.intents, "classification is deterministic");
    let rendered = render_reply(&bot().reply_to(&first));
    assert!(!rendered.contains("<@"), "a reply never quotes a mention");
});
