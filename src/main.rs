//! The `career-bot` binary: parses the command line, runs one command,
//! prints an error once and exits with its code, and picks the process
//! allocator. Everything else lives in the library; `anyhow` is used only
//! here.

mod flags;

use std::io::{BufRead, BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;

use career_bot::answer::compose::cited_sources;
use career_bot::answer::text::{render_reply, render_reply_wrapped};
use career_bot::eval::{self, Labels};
use career_bot::knowledge::{provenance, Knowledge, KnowledgeSource};
use career_bot::reload::LiveKnowledge;
use career_bot::store::record::Place;
use career_bot::store::writer::{LogPolicy, QuestionLog, Recorder, WriterSettings, WriterTask};
use career_bot::store::{Store, StoreUrl};
use career_bot::{terminal, CareerBot, Intent};
use flags::hiargs::HiCommand;
use flags::lowargs::{LowArgs, ReviewAction};

/// How long a terminal command waits at exit for the store to take what
/// it queued.
const FLUSH_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Exit code for bad input or files.
const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for a check or threshold that was not met.
const EXIT_FAILED: u8 = 1;

/// Every command allocates many small, short-lived strings (training reads
/// ten thousand examples at start-up; each question is cut into words):
/// mimalloc does that in fewer instructions than the system allocator (see
/// the README's Performance section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("career-bot: error: {error:#}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let low = LowArgs::parse();
    match HiCommand::from_low(low)? {
        HiCommand::Chat { knowledge, store } => with_terminal_store(&knowledge, store, chat),
        HiCommand::Ask {
            knowledge,
            store,
            question,
            json,
            explain,
        } => with_terminal_store(&knowledge, store, |bot, observe| {
            ask(bot, &question, json, explain, observe)
        }),
        HiCommand::Classify { bot } => classify(&bot),
        HiCommand::Eval {
            bot,
            file,
            text,
            min_accuracy,
            max_misses,
        } => evaluate(
            &bot,
            &file.display().to_string(),
            &text,
            min_accuracy,
            max_misses,
        ),
        HiCommand::KnowledgeCheck { source } => knowledge_check(&source),
        HiCommand::Run {
            config,
            knowledge,
            store,
        } => run_discord(&config, &knowledge, store),
        HiCommand::Review {
            knowledge,
            store,
            json,
            action,
        } => review(&knowledge, &store, json, action),
        HiCommand::Stats {
            store,
            json,
            png,
            days,
        } => stats(&store, json, png.as_deref(), days),
        HiCommand::ExamplesExport { store, dir } => examples_export(&store, &dir),
        HiCommand::StorePurge { store, yes } => store_purge(&store, yes),
    }
}

/// A runtime for the store's async I/O, on a few threads.
fn store_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Opens the store at `url`.
fn open_store(runtime: &tokio::runtime::Runtime, url: &StoreUrl) -> anyhow::Result<Store> {
    Ok(runtime.block_on(Store::open(url))?)
}

/// Runs a terminal command (`chat`, `ask`) with the bot loaded from
/// `knowledge`. With a store, the taught examples join the knowledge and
/// every question is logged (then flushed before exit); without one,
/// nothing is written anywhere.
fn with_terminal_store(
    knowledge: &KnowledgeSource,
    store: Option<StoreUrl>,
    command: impl FnOnce(&CareerBot, terminal::Observer<'_>) -> anyhow::Result<ExitCode>,
) -> anyhow::Result<ExitCode> {
    let Some(url) = store else {
        let bot = CareerBot::from_source(knowledge)?;
        return command(&bot, &mut |_, _, _| {});
    };
    let runtime = store_runtime()?;
    let store = open_store(&runtime, &url)?;
    let taught = runtime.block_on(store.taught_examples())?;
    let bot = CareerBot::new(knowledge.load()?.with_taught(&taught));
    let hasher = runtime.block_on(store.asker_hasher())?;
    let (recorder, task): (Recorder, WriterTask) = {
        let _entered = runtime.enter();
        Recorder::start(store.clone(), WriterSettings::default())
    };
    let log = QuestionLog::new(recorder, hasher, LogPolicy::default());
    let place = Place {
        front_end: "terminal",
        guild_id: None,
        channel_id: None,
    };
    let user = format!(
        "terminal:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    );
    let outcome = command(&bot, &mut |message, classification, reply| {
        log.question(
            &bot,
            message,
            classification,
            reply,
            place,
            Some(&user),
            false,
        );
    });
    drop(log);
    let flushed = runtime.block_on(task.finish(FLUSH_LIMIT));
    runtime.block_on(store.close());
    anyhow::ensure!(
        flushed,
        "the store {url} did not take the questions in time: they were not recorded"
    );
    outcome
}

fn chat(bot: &CareerBot, observe: terminal::Observer<'_>) -> anyhow::Result<ExitCode> {
    if std::io::stdin().is_terminal() {
        terminal::interactive(bot, observe)?;
    } else {
        let stdin = std::io::stdin().lock();
        let stdout = std::io::stdout().lock();
        terminal::batch(bot, stdin, stdout, observe)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn ask(
    bot: &CareerBot,
    question: &str,
    json: bool,
    explain: bool,
    observe: terminal::Observer<'_>,
) -> anyhow::Result<ExitCode> {
    let classification = bot.classify(question);
    let reply = bot.reply_to(&classification);
    observe(question, &classification, &reply);
    let mut out = std::io::stdout().lock();
    if json {
        let intents: Vec<&str> = classification
            .labelled_intents()
            .iter()
            .map(|i| i.name())
            .collect();
        let small_talk: Vec<&str> = classification
            .small_talk()
            .iter()
            .map(|i| i.name())
            .collect();
        // Every citation the answers give, each once, in order.
        let mut sources: Vec<String> = Vec::new();
        for source in reply.answers.iter().flat_map(cited_sources) {
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
        let mut object = serde_json::json!({
            "text": question,
            "intents": intents,
            "aspects": classification.aspects(),
            "uncovered": classification.uncovered(),
            "small_talk": small_talk,
            "kind": format!("{:?}", reply.kind).to_lowercase(),
            "answer": render_reply(&reply),
            "sources": sources,
        });
        if explain {
            object["explain"] = serde_json::Value::String(bot.explain(&classification, question));
        }
        writeln!(out, "{object}")?;
    } else {
        if explain {
            writeln!(out, "{}\n", bot.explain(&classification, question))?;
        }
        writeln!(
            out,
            "{}",
            render_reply_wrapped(&reply, terminal::output_width())
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn classify(bot: &CareerBot) -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let mut line = Vec::new();
    let mut reader = std::io::BufReader::new(stdin);
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        // Invalid UTF-8 is read lossily rather than rejected: one bad line in
        // a large file should not stop the run.
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\n', '\r']);
        let classification = bot.classify(text);
        write_classified(&mut out, text, &classification)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One line of `classify` output: `{"text", "intents", "aspects", "uncovered"}`.
fn write_classified(
    out: &mut impl Write,
    text: &str,
    classification: &career_bot::engine::Classification,
) -> std::io::Result<()> {
    out.write_all(b"{\"text\":")?;
    serde_json::to_writer(&mut *out, text)?;
    out.write_all(b",\"intents\":")?;
    let intents: Vec<&str> = classification
        .labelled_intents()
        .iter()
        .map(|i| i.name())
        .collect();
    serde_json::to_writer(&mut *out, &intents)?;
    out.write_all(b",\"aspects\":")?;
    serde_json::to_writer(&mut *out, &classification.aspects())?;
    out.write_all(b",\"uncovered\":")?;
    serde_json::to_writer(&mut *out, &classification.uncovered())?;
    out.write_all(b"}\n")
}

fn evaluate(
    bot: &CareerBot,
    name: &str,
    text: &str,
    min_accuracy: Option<f64>,
    max_misses: usize,
) -> anyhow::Result<ExitCode> {
    let cases = eval::parse(text).with_context(|| format!("in {name}"))?;
    let report = eval::score(&cases, |question| bot.classify(question).labelled_intents());
    let mut out = std::io::stdout().lock();
    writeln!(out, "{name}: {} questions", report.total)?;
    writeln!(out, "intent         precision  recall   support")?;
    for (intent, counts) in &report.per_intent {
        let support = counts.true_positives + counts.false_negatives;
        if support == 0 && counts.false_positives == 0 {
            continue;
        }
        writeln!(
            out,
            "{:<14} {:>8.1}%  {:>6.1}%  {:>7}",
            intent.name(),
            counts.precision() * 100.0,
            counts.recall() * 100.0,
            support
        )?;
    }
    if !report.misses.is_empty() {
        writeln!(out, "misses ({}):", report.misses.len())?;
        for miss in report.misses.iter().take(max_misses) {
            let expected: Vec<String> = miss
                .case
                .acceptable
                .iter()
                .map(|s| Labels(s).to_string())
                .collect();
            writeln!(
                out,
                "  line {}: {:?} expected {} got {}",
                miss.case.line,
                miss.case.text,
                expected.join("|"),
                Labels(&miss.predicted)
            )?;
        }
    }
    writeln!(
        out,
        "false career answers: {} of {} none-only questions ({:.2}%)",
        report.false_career_answers,
        report.none_only,
        report.false_answer_rate() * 100.0
    )?;
    writeln!(
        out,
        "exact-set accuracy: {}/{} = {:.2}%",
        report.correct,
        report.total,
        report.accuracy() * 100.0
    )?;
    if let Some(min) = min_accuracy {
        if report.accuracy() < min {
            writeln!(out, "below --min-accuracy {min}")?;
            return Ok(ExitCode::from(EXIT_FAILED));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn knowledge_check(source: &KnowledgeSource) -> anyhow::Result<ExitCode> {
    let files = source.files()?;
    let knowledge = Knowledge::from_files(&files)?;
    let bot = CareerBot::new(knowledge);
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    let mut documents: Vec<&str> = Vec::new();
    for src in &bot.knowledge().occupation.sources {
        // Several sources may be read from one document: check it once.
        if documents.contains(&src.document.as_str()) {
            continue;
        }
        documents.push(&src.document);
        let Some(document) = files.document(&src.document) else {
            continue;
        };
        let report = provenance::check(&files.occupation.text, &document.text);
        writeln!(
            out,
            "{}: {} figures checked against {}",
            files.occupation.name, report.checked, src.document
        )?;
        for untraced in &report.untraced {
            failed = true;
            writeln!(
                out,
                "  not in the source: {} at {}",
                untraced.figure, untraced.path
            )?;
        }
    }
    let dated = provenance::dated_figures(&bot.knowledge().occupation);
    let mut dated_checked = 0;
    for figure in &dated {
        let source = bot.knowledge().occupation.source(figure.source);
        let Some(document) = files.document(&source.document) else {
            continue;
        };
        let report = provenance::check_dated(std::slice::from_ref(figure), &document.text);
        dated_checked += report.checked;
        for unmatched in &report.unmatched {
            failed = true;
            let years: Vec<String> = unmatched.years.iter().map(u16::to_string).collect();
            writeln!(
                out,
                "  dated citation not in the source: {} {} with {} ({})",
                unmatched.what,
                unmatched.figure,
                years.join("–"),
                source.document
            )?;
        }
    }
    writeln!(
        out,
        "{dated_checked} dated citations checked: each year appears with its figure in the source"
    )?;
    let cv = career_bot::engine::cross_validate(bot.knowledge(), 5);
    writeln!(
        out,
        "{} examples: {}-fold cross-validated accuracy {:.1}% (each example labelled by a model trained without it)",
        cv.examples,
        cv.folds,
        cv.accuracy * 100.0
    )?;
    for intent in Intent::ALL {
        let answer = bot.answer(intent);
        if answer.body.trim().is_empty() {
            failed = true;
            writeln!(out, "  intent {intent} has no answer")?;
        }
    }
    if failed {
        writeln!(out, "knowledge check failed")?;
        return Ok(ExitCode::from(EXIT_BAD_INPUT));
    }
    writeln!(
        out,
        "knowledge check passed: {} intents answered, every figure traced",
        Intent::ALL.len()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn run_discord(
    config_path: &std::path::Path,
    knowledge: &KnowledgeSource,
    store: Option<StoreUrl>,
) -> anyhow::Result<ExitCode> {
    let config = career_bot::config::Config::load(config_path)?;
    let filter = config
        .logging
        .effective_filter(std::env::var("RUST_LOG").ok().as_deref());
    // The filter was validated with the config; RUST_LOG may still be bad.
    let filter = tracing_subscriber::EnvFilter::try_new(&filter)
        .with_context(|| format!("invalid log filter {filter:?}"))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // The flag (or CAREER_BOT_STORE) wins over the config; the default is
    // a file beside the config.
    let url = store
        .or_else(|| config.store.url.clone())
        .unwrap_or_else(|| StoreUrl::beside(config_path));
    // A store that cannot be opened (locked, corrupt, refused) stops the
    // bot before it connects, naming the store.
    let store = open_store(&runtime, &url)?;
    let taught = runtime.block_on(store.taught_examples())?;
    // Bad knowledge stops the bot before it connects; later, a reload with
    // bad files keeps the knowledge loaded here.
    let live = Arc::new(LiveKnowledge::load(knowledge.clone(), taught)?);
    let hasher = runtime.block_on(store.asker_hasher())?;
    let settings = WriterSettings {
        queue_bound: config.store.queue_bound,
        retention: config.store.retention,
    };
    let policy = LogPolicy {
        questions: config.store.log_questions,
        direct_messages: config.store.log_direct_messages,
    };
    let outcome = runtime.block_on(async {
        let (recorder, writer) = Recorder::start(store.clone(), settings);
        let follower = career_bot::store::watch::follow(store.clone(), Arc::clone(&live)).await?;
        tracing::info!(store = %url, "store open");
        let attached = career_bot::store::Attached {
            store: store.clone(),
            log: QuestionLog::new(recorder, hasher, policy),
        };
        let outcome = career_bot::discord::run(config, live, Some(attached)).await;
        follower.abort();
        // Every handle to the recorder is gone with the client: store what
        // is queued before exiting.
        writer.finish(FLUSH_LIMIT).await;
        store.close().await;
        anyhow::Ok(outcome)
    })?;
    outcome?;
    Ok(ExitCode::SUCCESS)
}

fn review(
    knowledge: &KnowledgeSource,
    url: &StoreUrl,
    json: bool,
    action: Option<ReviewAction>,
) -> anyhow::Result<ExitCode> {
    let bot = CareerBot::from_source(knowledge)?;
    let runtime = store_runtime()?;
    let store = open_store(&runtime, url)?;
    let mut out = std::io::stdout().lock();
    match action {
        None => {
            let groups = runtime.block_on(store.review_groups(bot.engine()))?;
            if json {
                writeln!(out, "{}", serde_json::to_string(&groups)?)?;
            } else if groups.is_empty() {
                writeln!(
                    out,
                    "Nothing to review: every recorded question was answered."
                )?;
            } else {
                for group in &groups {
                    let suggestion = group.suggestion.as_deref().unwrap_or("none");
                    writeln!(
                        out,
                        "group {}: {} question(s), closest topic: {suggestion}",
                        group.id, group.count
                    )?;
                    for question in group.questions.iter().take(5) {
                        writeln!(out, "  - {question}")?;
                    }
                    if group.questions.len() > 5 {
                        writeln!(out, "  … and {} more wordings", group.questions.len() - 5)?;
                    }
                }
                writeln!(
                    out,
                    "\nTeach a group with `career-bot review teach ID TOPIC`, hide it with \
                     `career-bot review ignore ID`."
                )?;
            }
        }
        Some(ReviewAction::Teach { id, topic }) => {
            let taught = runtime.block_on(store.teach(bot.engine(), id, &topic))?;
            if json {
                writeln!(out, "{}", serde_json::to_string(&taught)?)?;
            } else {
                writeln!(
                    out,
                    "Taught group {}: {} wording(s) are now examples of {} ({} question(s)). \
                     Running bots on this store retrain now.",
                    taught.group, taught.examples, taught.label, taught.questions
                )?;
            }
        }
        Some(ReviewAction::Ignore { id }) => {
            let questions = runtime.block_on(store.ignore(bot.engine(), id))?;
            if json {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"ignored": id, "questions": questions})
                )?;
            } else {
                writeln!(
                    out,
                    "Ignored group {id} ({questions} question(s)) for good."
                )?;
            }
        }
    }
    runtime.block_on(store.close());
    Ok(ExitCode::SUCCESS)
}

fn stats(
    url: &StoreUrl,
    json: bool,
    png: Option<&std::path::Path>,
    days: u32,
) -> anyhow::Result<ExitCode> {
    let runtime = store_runtime()?;
    let store = open_store(&runtime, url)?;
    let until = career_bot::store::unix_now() + 1;
    let since = until - i64::from(days) * 24 * 3600;
    let report = runtime.block_on(store.stats(since, until))?;
    runtime.block_on(store.close());
    if let Some(path) = png {
        let image = career_bot::stats::render_png(&report)?;
        std::fs::write(path, image)
            .with_context(|| format!("cannot write the chart to {}", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(&report)?)?;
    } else {
        writeln!(out, "{}", career_bot::stats::render_text(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn examples_export(url: &StoreUrl, dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let examples_dir = dir.join("examples");
    anyhow::ensure!(
        examples_dir.is_dir(),
        "{} is not a knowledge directory (it has no examples/ folder)",
        dir.display()
    );
    let runtime = store_runtime()?;
    let store = open_store(&runtime, url)?;
    let taught = runtime.block_on(store.taught())?;
    let pending: Vec<_> = taught.iter().filter(|t| !t.exported).collect();
    let written = career_bot::store::export::append_examples(&examples_dir, &pending)?;
    let ids: Vec<i64> = pending.iter().map(|t| t.id).collect();
    runtime.block_on(store.mark_exported(&ids))?;
    runtime.block_on(store.close());
    let mut out = std::io::stdout().lock();
    if written.is_empty() {
        writeln!(out, "No taught examples to export.")?;
    }
    for (file, count) in &written {
        writeln!(out, "{}: {count} example(s) added", file.display())?;
    }
    if !written.is_empty() {
        writeln!(
            out,
            "Check them with `career-bot knowledge check {}`, then commit.",
            dir.display()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn store_purge(url: &StoreUrl, yes: bool) -> anyhow::Result<ExitCode> {
    let runtime = store_runtime()?;
    let store = open_store(&runtime, url)?;
    let mut out = std::io::stdout().lock();
    if !yes {
        let report = runtime.block_on(store.stats(i64::MIN, i64::MAX))?;
        writeln!(
            out,
            "{url} holds {} question(s) from {} asker(s). Run again with --yes to remove every \
             question and vote (taught examples stay).",
            report.questions, report.askers
        )?;
        runtime.block_on(store.close());
        return Ok(ExitCode::SUCCESS);
    }
    let removed = runtime.block_on(store.purge())?;
    runtime.block_on(store.close());
    writeln!(
        out,
        "Removed {} question(s) and {} vote(s) from {url}.",
        removed.questions, removed.feedback
    )?;
    Ok(ExitCode::SUCCESS)
}
