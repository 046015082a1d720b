//! The engine against labelled data: the development set and CLINC150 from
//! `shared/eval`, the project's own paraphrase set, and normalisation cases
//! from `tests/data/normalize.toml`.

use std::path::PathBuf;

use career_bot::eval;
use career_bot::CareerBot;

fn shared(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/eval")
        .join(name)
}

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn score(path: &PathBuf) -> eval::Report {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let cases = eval::parse(&text).expect("labelled file parses");
    assert!(!cases.is_empty(), "{} has no cases", path.display());
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    eval::score(&cases, |question| bot.classify(question).intents)
}

fn describe_misses(report: &eval::Report) -> String {
    report
        .misses
        .iter()
        .take(30)
        .map(|m| format!("  {:?} got {}", m.case.text, eval::Labels(&m.predicted)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn dev_set_exact_accuracy_is_at_least_97_percent() {
    let report = score(&shared("dev.tsv"));
    assert!(
        report.accuracy() >= 0.97,
        "accuracy {:.3} < 0.97; misses:\n{}",
        report.accuracy(),
        describe_misses(&report)
    );
    assert_eq!(
        report.false_career_answers,
        0,
        "career answers to off-topic dev questions:\n{}",
        describe_misses(&report)
    );
}

#[test]
fn clinc150_gets_a_career_answer_at_most_one_percent_of_the_time() {
    let report = score(&shared("clinc150.tsv"));
    assert!(report.none_only > 8000, "CLINC file looks truncated");
    assert!(
        report.false_answer_rate() <= 0.01,
        "false career answers {:.4} > 0.01:\n{}",
        report.false_answer_rate(),
        describe_misses(&report)
    );
}

#[test]
fn own_paraphrase_set_stays_accurate() {
    let report = score(&data("paraphrases.tsv"));
    assert!(
        report.accuracy() >= 0.95,
        "accuracy {:.3} < 0.95:\n{}",
        report.accuracy(),
        describe_misses(&report)
    );
    assert_eq!(
        report.false_career_answers,
        0,
        "{}",
        describe_misses(&report)
    );
}

#[derive(serde::Deserialize)]
struct NormalizeCases {
    case: Vec<NormalizeCase>,
}

#[derive(serde::Deserialize)]
struct NormalizeCase {
    input: String,
    clauses: String,
}

#[test]
fn normalisation_cases_from_the_table() {
    let text = std::fs::read_to_string(data("normalize.toml")).expect("table exists");
    let table: NormalizeCases = toml::from_str(&text).expect("table parses");
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    let mut failures = Vec::new();
    for case in &table.case {
        let got = bot.classify(&case.input).clauses.join(" | ");
        if got != case.clauses {
            failures.push(format!(
                "{:?}: expected {:?}, got {:?}",
                case.input, case.clauses, got
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_reply_to_a_career_question_cites_its_source() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    for (question, citation) in [
        ("how much do they make", "(BLS, 2015)"),
        ("is the field growing", "(BLS projection, 2014–2024)"),
        ("what degree do i need", "(source article)"),
    ] {
        let reply = bot.reply(question);
        assert_eq!(reply.kind, career_bot::ReplyKind::Answered, "{question}");
        let body = &reply.answers[0].body;
        assert!(
            body.contains(citation),
            "{question}: no {citation} in {body:?}"
        );
        for answer in &reply.answers {
            assert!(answer.source.is_some(), "{question}: no source line");
        }
    }
}

#[test]
fn out_of_scope_replies_carry_no_figures() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    for question in [
        "how much do nurses make",
        "what's the weather",
        "how do i become a dentist",
    ] {
        let reply = bot.reply(question);
        assert_eq!(reply.kind, career_bot::ReplyKind::OutOfScope, "{question}");
        let text = career_bot::answer::text::render_reply(&reply);
        assert!(
            !text.contains('$'),
            "{question}: out-of-scope reply shows a figure: {text}"
        );
    }
}

#[test]
fn several_questions_in_one_message_get_every_answer() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    let reply = bot.reply("whats the pay?? also do i need a degree, and where do they work");
    let names: Vec<_> = reply.intents.iter().map(|i| i.name()).collect();
    assert_eq!(names, ["workplace", "education", "salary"]);
    assert_eq!(reply.answers.len(), 3);
}

#[test]
fn near_misses_get_a_suggestion_not_an_answer() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    let classification = bot.classify("what about the future in general");
    assert!(
        classification.intents.is_empty(),
        "{}",
        classification.explain()
    );
    assert_eq!(classification.suggestions, [career_bot::Intent::Outlook]);
    let reply = bot.reply_to(&classification);
    assert!(
        reply.answers[0].body.contains("Did you mean"),
        "{}",
        reply.answers[0].body
    );
}

#[test]
fn explanations_name_the_rule_and_score() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    let explain = bot.classify("salery?").explain();
    assert!(explain.contains("typo \"salery\""), "{explain}");
    assert!(explain.contains("score salary"), "{explain}");
}
