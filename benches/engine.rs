//! Per-message cost of the engine: classify alone, and the whole path a
//! front end runs (classify, compose, render), over the development and
//! CLINC150 questions from `shared/eval`.
//!
//! Run: `cargo bench --bench engine`. Criterion reports time per iteration;
//! each iteration handles every question in the set once, so divide by the
//! count printed at start for the per-question time.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

use career_bot::answer::text::render_reply;
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
        group.finish();
    }
    let long = "what is the salary ".repeat(200);
    c.bench_function("classify_4000_chars", |b| {
        b.iter(|| black_box(bot.classify(black_box(&long))))
    });
}

criterion_group!(benches, bench_engine);
criterion_main!(benches);
