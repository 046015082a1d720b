//! Per-message cost of the engine on text it has never seen: classify
//! alone, the terminal path (classify, compose, render text) and the
//! Discord path (classify, compose, plan and build the embeds); the cost of
//! loading the knowledge and training the classifier (start-up); and the
//! worst cases of hostile input up to Discord's 4,000 characters.
//!
//! The regex crate's lazy DFA keeps the states it built for text it has
//! seen, so repeating the same questions would measure its memory, not the
//! work a new message costs. Every iteration here therefore gets a message
//! no earlier iteration had: a question from the dev and CLINC150 sets
//! (`shared/eval`) with a word of its own added, a made-up word as a student
//! might type one (which also costs a typo look-up).
//!
//! Run: `cargo bench --bench engine`. Criterion reports time per message.

use std::cell::Cell;

use criterion::{black_box, criterion_group, criterion_main, Criterion};

use career_bot::answer::text::render_reply;
use career_bot::discord::render::{plan_messages, to_embeds};
use career_bot::CareerBot;

// The allocator the `career-bot` binary runs with (src/main.rs), so the
// figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn questions(name: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/eval")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    career_bot::eval::parse(&text)
        .map(|cases| cases.into_iter().map(|c| c.text).collect())
        .unwrap_or_default()
}

/// A made-up lower-case word for `n`, never the same for two numbers.
fn unseen_word(mut n: u64) -> String {
    let mut word = String::from("zq");
    loop {
        word.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return word;
        }
    }
}

/// Messages never seen before, one per call: the questions in turn, each
/// with a word no other message has.
struct FirstSeen {
    questions: Vec<String>,
    next: Cell<u64>,
}

impl FirstSeen {
    fn message(&self) -> String {
        let n = self.next.get();
        self.next.set(n + 1);
        let question = &self.questions[(n as usize) % self.questions.len()];
        format!("{question} {}", unseen_word(n))
    }
}

fn bench_engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("startup");
    group.sample_size(10);
    group.bench_function("load_and_train", |b| {
        b.iter(|| black_box(CareerBot::from_embedded().expect("built-in knowledge loads")))
    });
    group.finish();

    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    let mut all = questions("clinc150.tsv");
    all.extend(questions("dev.tsv"));
    if all.is_empty() {
        eprintln!("skipping first-seen messages: shared/eval not found beside the repository");
    } else {
        let first_seen = FirstSeen {
            questions: all,
            next: Cell::new(0),
        };
        let mut group = c.benchmark_group("first_seen");
        group.bench_function("classify", |b| {
            b.iter_with_setup(|| first_seen.message(), |m| black_box(bot.classify(&m)))
        });
        group.bench_function("reply_and_render", |b| {
            b.iter_with_setup(
                || first_seen.message(),
                |m| black_box(render_reply(&bot.reply(&m))),
            )
        });
        group.bench_function("reply_and_embeds", |b| {
            b.iter_with_setup(
                || first_seen.message(),
                |m| {
                    let reply = bot.reply(&m);
                    for message in plan_messages(&reply.answers) {
                        black_box(to_embeds(&message));
                    }
                },
            )
        });
        group.finish();
    }
    // Hostile input of Discord's maximum length: each must stay well under
    // a millisecond.
    let hostile: [(&str, String); 8] = [
        ("repeated_question", "what is the salary ".repeat(210)),
        ("one_long_word", "a".repeat(4000)),
        ("clause_flood", "a? ".repeat(1333)),
        (
            "typo_flood",
            "salerry certifcation requirments outlok ".repeat(100),
        ),
        (
            "long_subject_slot",
            format!("how much do {}make", "x ".repeat(1990)),
        ),
        (
            "zalgo",
            "s\u{337}a\u{336}l\u{334}a\u{335}r\u{336}y\u{337} ".repeat(300),
        ),
        ("markdown", "**__~~||`".repeat(444)),
        ("mentions", "<@123456789012345678> ".repeat(180)),
    ];
    let mut group = c.benchmark_group("hostile_4000_chars");
    group.sample_size(30);
    let counter = Cell::new(0u64);
    for (name, text) in &hostile {
        // A word of its own in front of each, so no two iterations read the
        // same text; cut back to 4,000 characters.
        let fresh = || {
            let n = counter.get();
            counter.set(n + 1);
            let message = format!("{} {text}", unseen_word(n));
            message.chars().take(4000).collect::<String>()
        };
        group.bench_function(*name, |b| {
            b.iter_with_setup(fresh, |m| black_box(bot.reply(&m)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_engine);
criterion_main!(benches);
