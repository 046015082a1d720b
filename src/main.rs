//! The `career-bot` binary: parses the command line, runs one command,
//! prints an error once and exits with its code. Everything else lives in the
//! library; `anyhow` is used only here.

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
use career_bot::{terminal, CareerBot, Intent};
use flags::hiargs::HiCommand;
use flags::lowargs::LowArgs;

/// Exit code for bad input or files.
const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for a check or threshold that was not met.
const EXIT_FAILED: u8 = 1;

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
        HiCommand::Chat { bot } => chat(&bot),
        HiCommand::Ask {
            bot,
            question,
            json,
            explain,
        } => ask(&bot, &question, json, explain),
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
        HiCommand::Run { config, knowledge } => run_discord(&config, &knowledge),
    }
}

fn chat(bot: &CareerBot) -> anyhow::Result<ExitCode> {
    if std::io::stdin().is_terminal() {
        terminal::interactive(bot)?;
    } else {
        let stdin = std::io::stdin().lock();
        let stdout = std::io::stdout().lock();
        terminal::batch(bot, stdin, stdout)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn ask(bot: &CareerBot, question: &str, json: bool, explain: bool) -> anyhow::Result<ExitCode> {
    let classification = bot.classify(question);
    let reply = bot.reply_to(&classification);
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
) -> anyhow::Result<ExitCode> {
    let config = career_bot::config::Config::load(config_path)?;
    // Bad knowledge stops the bot before it connects; later, a reload with
    // bad files keeps the knowledge loaded here.
    let bot = Arc::new(CareerBot::from_source(knowledge)?);
    let live = Arc::new(LiveKnowledge::new(knowledge.clone(), bot));
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
    runtime.block_on(career_bot::discord::run(config, live))?;
    Ok(ExitCode::SUCCESS)
}
