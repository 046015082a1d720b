//! Hostile and malformed input: the engine never panics, is deterministic,
//! and is not steered by markup, invisible characters or mass mentions.
//! Cases from `tests/data/hostile.toml`, plus property tests over arbitrary
//! Unicode. (Speed on such input is measured in `benches/engine.rs`.)

use proptest::prelude::*;

use career_bot::answer::text::render_reply;
use career_bot::{CareerBot, Intent};

fn bot() -> CareerBot {
    CareerBot::from_embedded().expect("built-in knowledge loads")
}

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    input: String,
    #[serde(default)]
    repeat: Option<usize>,
    intents: Vec<String>,
}

#[test]
fn hostile_cases_from_the_table() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile.toml");
    let cases: Cases = toml::from_str(&std::fs::read_to_string(path).expect("table exists"))
        .expect("table parses");
    let bot = bot();
    let mut failures = Vec::new();
    for case in &cases.case {
        let input = case.input.repeat(case.repeat.unwrap_or(1));
        let classification = bot.classify(&input);
        let got: Vec<&str> = classification.intents.iter().map(|i| i.name()).collect();
        if got != case.intents {
            failures.push(format!(
                "{}: expected {:?}, got {:?}\n{}",
                case.name,
                case.intents,
                got,
                classification.explain()
            ));
        }
        let text = render_reply(&bot.reply(&input));
        for leak in ["@everyone", "@here", "<@", "https://", "]("] {
            if text.contains(leak) {
                failures.push(format!("{}: reply contains {leak:?}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Questions whose meaning must survive decoration.
const QUESTIONS: [(&str, Intent); 6] = [
    ("how much do they make", Intent::Salary),
    ("what degree do i need", Intent::Education),
    ("do i need a certification", Intent::Certification),
    ("where do they work", Intent::Workplace),
    ("is this job in demand", Intent::Outlook),
    ("what are similar careers", Intent::Alternatives),
];

fn decoration() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        Just(("**".to_string(), "**".to_string())),
        Just(("||".to_string(), "||".to_string())),
        Just(("`".to_string(), "`".to_string())),
        Just(("<@123456789012345678> ".to_string(), String::new())),
        Just(("@everyone ".to_string(), "!!".to_string())),
        Just(("> ".to_string(), " 😀".to_string())),
        Just(("\u{200b}".to_string(), "\u{202e}".to_string())),
        Just(("HEY BOT ".to_string(), "???".to_string())),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    /// Any Unicode text up to Discord's 4,000 characters: no panic, the
    /// same answer twice, intents sorted and unique, and a reply to every
    /// message.
    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,4000}") {
        let bot = bot();
        let first = bot.classify(&text);
        let second = bot.classify(&text);
        prop_assert_eq!(&first.intents, &second.intents);
        let mut sorted = first.intents.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(&sorted, &first.intents);
        let reply = bot.reply(&text);
        prop_assert!(!reply.answers.is_empty());
    }

    /// Arbitrary mixes of markup, mentions, control characters and words
    /// the table knows: no panic, and no reply that quotes the message.
    #[test]
    fn markup_soup_never_panics(parts in proptest::collection::vec(prop_oneof![
        Just("<@123>"), Just("<@&9>"), Just("<#5>"), Just("<:x:1>"), Just("**"), Just("||"), Just("```"),
        Just("["), Just("](http://x.example)"), Just("\u{0}"), Just("\u{200b}"), Just("\u{202e}"), Just("̷"),
        Just("salary"), Just("nurse"), Just("and"), Just("?"), Just("how much do"), Just("make"), Just("😀"),
        Just("become a"), Just("degree"), Just("9999999999999999999999"),
    ], 0..400)) {
        let text = parts.concat();
        let bot = bot();
        let reply = bot.reply(&text);
        let rendered = render_reply(&reply);
        prop_assert!(!rendered.contains("http://x.example"));
        prop_assert!(!rendered.contains("<@"));
    }

    /// Decorating a question with markdown, mentions, emoji or invisible
    /// characters does not change what it asks.
    #[test]
    fn decoration_does_not_change_the_meaning(index in 0usize..QUESTIONS.len(), (before, after) in decoration()) {
        let (question, intent) = QUESTIONS[index];
        let decorated = format!("{before}{question}{after}");
        prop_assert_eq!(bot().classify(&decorated).intents, vec![intent], "{}", decorated);
    }
}
