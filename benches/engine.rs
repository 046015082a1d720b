//! Per-message cost of the engine: classify alone, the terminal path
//! (classify, compose, render text) and the Discord path (classify, compose,
//! plan and build the embeds), over the development and CLINC150 questions
//! from `shared/eval`; and the worst cases of hostile input up to Discord's
//! 4,000 characters.
//!
//! Run: `cargo bench --bench engine`. Criterion reports time per iteration;
//! each iteration handles every question in the set once, so divide by the
//! count printed at start for the per-question time.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

use career_bot::answer::text::render_reply;
use career_bot::discord::render::{plan_messages, to_embeds};
use career_bot::CareerBot;

fn questions(name: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/eval")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    career_bot::eval::parse(&text)
        .map(|cases| cases.into_iter().map(|c| c.text).collect())
        .unwrap_or_default()
}

fn bench_engine(c: &mut Criterion) {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    for set in ["dev.tsv", "clinc150.tsv"] {
        let questions = questions(set);
        if questions.is_empty() {
            eprintln!("skipping {set}: not found beside the repository");
            continue;
        }
        eprintln!("{set}: {} questions per iteration", questions.len());
        let mut group = c.benchmark_group(set);
        group.throughput(Throughput::Elements(questions.len() as u64));
        group.sample_size(20);
        group.bench_function("classify", |b| {
            b.iter(|| {
                for q in &questions {
                    black_box(bot.classify(black_box(q)));
                }
            })
        });
        group.bench_function("reply_and_render", |b| {
            b.iter(|| {
                for q in &questions {
                    black_box(render_reply(&bot.reply(black_box(q))));
                }
            })
        });
        group.bench_function("reply_and_embeds", |b| {
            b.iter(|| {
                for q in &questions {
                    let reply = bot.reply(black_box(q));
                    for message in plan_messages(&reply.answers) {
                        black_box(to_embeds(&message));
                    }
                }
            })
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
    for (name, text) in &hostile {
        let text: String = text.chars().take(4000).collect();
        group.bench_function(*name, |b| b.iter(|| black_box(bot.reply(black_box(&text)))));
    }
    group.finish();
}

criterion_group!(benches, bench_engine);
criterion_main!(benches);
