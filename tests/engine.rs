//! The engine against labelled data: the development set and CLINC150's
//! test split from `shared/eval`, the project's own paraphrase set, the
//! first-sight batches (as regression floors, after their first-sight
//! score was recorded in `tests/data/first_sight.md`), and normalisation
//! cases from `tests/data/normalize.toml`.

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

fn read(path: &PathBuf) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn score_text(name: &str, text: &str) -> eval::Report {
    let cases = eval::parse(text).expect("labelled file parses");
    assert!(!cases.is_empty(), "{name} has no cases");
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    eval::score(&cases, |question| bot.classify(question).labelled_intents())
}

fn score(path: &PathBuf) -> eval::Report {
    score_text(&path.display().to_string(), &read(path))
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

/// CLINC150's rows of the splits that only evaluate (`test`, `oos_test`):
/// the engine trains on the `val` rows, so only these say how it does on
/// requests it never saw.
fn clinc_test_split() -> String {
    read(&shared("clinc150.tsv"))
        .lines()
        .filter(|line| {
            line.starts_with('#')
                || matches!(line.split('\t').nth(3), Some("test") | Some("oos_test"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn clinc150_test_split_gets_a_career_answer_at_most_0_3_percent_of_the_time() {
    let report = score_text("clinc150 test split", &clinc_test_split());
    assert!(report.none_only > 5000, "CLINC test split looks truncated");
    assert!(
        report.false_answer_rate() <= 0.003,
        "false career answers {:.4} > 0.003:\n{}",
        report.false_answer_rate(),
        describe_misses(&report)
    );
}

/// Floors, set a little under today's scores: a change that loses ground on
/// sets already tuned against fails here. (The first-sight figures, the
/// ones to quote, are in `tests/data/first_sight.md`.)
const FLOORS: &[(&str, f64, f64)] = &[
    // (file under tests/data, least exact-set accuracy, most false-answer rate)
    ("paraphrases.tsv", 0.90, 0.05),
    // Its writer labelled "will AI replace them" none; the bot answers the
    // outlook with a note that the source says nothing of automation. It
    // also labelled none the schooling of a health services manager, which
    // the source gives (a bachelor's) and the bot answers as a related career.
    ("first_sight/2026-11-30-short.tsv", 0.92, 0.12),
    ("first_sight/2026-11-30-mixed.tsv", 0.88, 0.13),
    ("first_sight/2026-11-30-mixed-3.tsv", 0.86, 0.09),
    ("first_sight/2026-11-30-mixed-4.tsv", 0.82, 0.05),
    ("first_sight/2026-11-30-short-5.tsv", 0.93, 0.03),
    ("first_sight/2026-11-30-mixed-5.tsv", 0.85, 0.04),
    ("first_sight/2026-11-30-mixed-6.tsv", 0.85, 0.07),
    ("first_sight/2026-11-30-mixed-7.tsv", 0.76, 0.11),
    ("first_sight/2026-11-30-mixed-8.tsv", 0.87, 0.08),
    ("first_sight/2026-11-30-mixed-9.tsv", 0.89, 0.03),
    ("first_sight/2026-11-30-mixed-10.tsv", 0.86, 0.05),
    ("first_sight/2026-11-30-mixed-11.tsv", 0.88, 0.05),
    ("first_sight/2026-11-30-mixed-12.tsv", 0.85, 0.08),
    ("first_sight/2026-11-30-short-13.tsv", 0.93, 0.03),
    ("first_sight/2026-11-30-mixed-14.tsv", 0.89, 0.05),
    ("first_sight/2026-11-30-mixed-15.tsv", 0.85, 0.03),
    ("first_sight/2026-11-30-short-16.tsv", 0.91, 0.11),
    ("first_sight/2026-12-01-mixed-17.tsv", 0.87, 0.06),
    ("first_sight/2026-12-01-short-18.tsv", 0.88, 0.03),
    ("first_sight/2026-12-01-mixed-19.tsv", 0.81, 0.03),
    ("first_sight/2026-12-01-short-20.tsv", 0.93, 0.06),
    ("first_sight/2026-12-01-mixed-21.tsv", 0.84, 0.12),
    ("first_sight/2026-12-01-short-22.tsv", 0.85, 0.03),
    ("first_sight/2026-12-01-mixed-23.tsv", 0.92, 0.10),
    ("first_sight/2026-12-01-short-24.tsv", 0.92, 0.07),
    ("first_sight/2026-12-01-mixed-25.tsv", 0.89, 0.12),
    // Its two false answers are the labels writers disagree on (an
    // automation question, a related career's duties).
    ("first_sight/2026-12-01-short-26.tsv", 0.92, 0.07),
    ("first_sight/2026-12-01-mixed-27.tsv", 0.91, 0.05),
    ("first_sight/2026-12-01-short-28.tsv", 0.93, 0.05),
    ("first_sight/2026-12-01-mixed-29.tsv", 0.91, 0.12),
    ("first_sight/2026-12-01-short-30.tsv", 0.94, 0.05),
    ("first_sight/2026-12-01-mixed-31.tsv", 0.93, 0.09),
    ("first_sight/2026-12-01-mixed-32.tsv", 0.93, 0.07),
    ("first_sight/2026-12-01-mixed-33.tsv", 0.93, 0.03),
    ("first_sight/2026-12-01-mixed-34.tsv", 0.91, 0.03),
    ("first_sight/2026-12-01-mixed-35.tsv", 0.85, 0.07),
    ("first_sight/2026-12-01-mixed-36.tsv", 0.87, 0.04),
    ("first_sight/2026-12-01-mixed-37.tsv", 0.84, 0.04),
    ("first_sight/2026-12-01-mixed-38.tsv", 0.86, 0.03),
    ("first_sight/2026-12-01-mixed-39.tsv", 0.95, 0.03),
    ("first_sight/2026-12-01-mixed-40.tsv", 0.92, 0.03),
    ("first_sight/2026-12-01-mixed-41.tsv", 0.87, 0.06),
    ("first_sight/2026-12-01-short-42.tsv", 0.95, 0.02),
    ("first_sight/2026-12-01-mixed-43.tsv", 0.86, 0.04),
    ("first_sight/2026-12-01-mixed-44.tsv", 0.85, 0.06),
    ("first_sight/2026-12-01-mixed-45.tsv", 0.89, 0.04),
    ("first_sight/2026-12-01-mixed-46.tsv", 0.92, 0.03),
    // Their writers add a greeting or thanks beside a question's topics,
    // which this project's labels do not.
    ("first_sight/2026-12-01-mixed-47.tsv", 0.80, 0.04),
    ("first_sight/2026-12-01-mixed-48.tsv", 0.74, 0.04),
    ("first_sight/2026-12-02-short-49.tsv", 0.93, 0.03),
    ("first_sight/2026-12-02-mixed-50.tsv", 0.90, 0.05),
    ("first_sight/2026-12-02-short-51.tsv", 0.90, 0.03),
    ("first_sight/2026-12-02-mixed-52.tsv", 0.90, 0.03),
    ("first_sight/2026-12-02-short-53.tsv", 0.93, 0.03),
    ("first_sight/2026-12-02-mixed-54.tsv", 0.86, 0.06),
    ("first_sight/2026-12-02-short-55.tsv", 0.95, 0.03),
    ("first_sight/2026-12-02-mixed-56.tsv", 0.84, 0.03),
    ("first_sight/2026-12-02-short-57.tsv", 0.93, 0.03),
    ("first_sight/2026-12-02-mixed-58.tsv", 0.85, 0.03),
];

#[test]
fn labelled_sets_stay_above_their_floors() {
    let mut failures = Vec::new();
    for &(file, least, most_false) in FLOORS {
        let report = score(&data(file));
        if report.accuracy() < least || report.false_answer_rate() > most_false {
            failures.push(format!(
                "{file}: accuracy {:.3} (floor {least}), false answers {:.3} (ceiling {most_false}):\n{}",
                report.accuracy(),
                report.false_answer_rate(),
                describe_misses(&report)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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
        let got = bot.classify(&case.input).clause_texts().join(" | ");
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
fn an_automation_question_gets_the_outlook_and_says_what_the_source_lacks() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    let reply = bot.reply("will AI replace health information technicians?");
    assert_eq!(reply.kind, career_bot::ReplyKind::Answered);
    let body = &reply.answers[0].body;
    assert!(
        body.starts_with("The article doesn't discuss automation or AI."),
        "{body}"
    );
    assert!(body.contains("15%"), "{body}");
}

/// The topics and labelled small talk `c` answers, by name, in order.
fn intent_names(c: &career_bot::engine::Classification) -> Vec<&'static str> {
    c.labelled_intents().iter().map(|i| i.name()).collect()
}

#[test]
fn a_handle_typed_by_hand_is_an_address_not_words_of_the_question() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    let c = bot.classify("@CareerBot how much do they make and which jobs are similar");
    let explained = c.explain();
    assert!(!explained.contains("careerbot"), "{explained}");
    let got = intent_names(&c);
    assert_eq!(got, ["salary", "alternatives"], "{explained}");
    // An e-mail address is not a handle.
    let mail = bot
        .classify("can i email my pay question to info@example.com")
        .explain();
    assert!(mail.contains("example"), "{mail}");
    // Dropping a handle keeps the breaks around it: two questions stay two.
    for message in [
        "how much do they make\n@CareerBot where do they work",
        "where do they work @CareerBot. how much do they make",
    ] {
        let c = bot.classify(message);
        let mut got = intent_names(&c);
        got.sort_unstable();
        assert_eq!(got, ["salary", "workplace"], "{message:?}\n{}", c.explain());
    }
}

#[test]
fn everyday_words_in_an_inflected_form_are_not_corrected() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    // "seeing" is "see" with an ending, not a misspelling of "setting".
    let c = bot.classify("I keep seeing ads for health information technology programs?");
    let explained = c.explain();
    assert!(!explained.contains("read as \"setting\""), "{explained}");
    // A misspelling is still corrected, to the word, not to a misspelling
    // the examples use ("certifcation").
    let c = bot.classify("do i need certifacation?");
    let explained = c.explain();
    assert!(
        explained.contains("\"certifacation\" read as \"certification\""),
        "{explained}"
    );
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
    let mut names: Vec<_> = reply.intents.iter().map(|i| i.name()).collect();
    names.sort();
    assert_eq!(names, ["education", "salary", "workplace"]);
    assert_eq!(reply.answers.len(), 3);
}

#[test]
fn near_misses_get_a_suggestion_not_an_answer() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    // No sign it is about a career, and only a lean towards pay.
    let classification = bot.classify("what about the money side");
    assert!(
        classification.intents.is_empty(),
        "{}",
        classification.explain()
    );
    assert_eq!(classification.suggestions, [career_bot::Intent::Salary]);
    let reply = bot.reply_to(&classification);
    assert!(
        reply.answers[0].body.contains("Did you mean"),
        "{}",
        reply.answers[0].body
    );
}

#[test]
fn explanations_show_scores_corrections_guard_rails_and_nearest_examples() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    let message = "salery per hour? also how much do nurses make";
    let explain = bot.explain(&bot.classify(message), message);
    for expected in [
        "typo: \"salery\" read as \"salary\"",
        "classifier: salary",
        "guard rail: aspect: hourly pay (not in the source)",
        "guard rail: subject: another occupation (nurses)",
        "decision: answer salary",
        "nearest examples:",
    ] {
        assert!(
            explain.contains(expected),
            "{expected:?} missing in:\n{explain}"
        );
    }
}

/// One row: a message, then the intents, aspects and uncovered aspects
/// `classify` must report for it.
type AspectCase = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

const ASPECT_CASES: &[AspectCase] = &[
    (
        "whats the average salary",
        &["salary"],
        &["average pay"],
        &[],
    ),
    (
        "how much do they make an hour",
        &["salary"],
        &[],
        &["hourly pay"],
    ),
    ("what are the hours like", &[], &[], &["hours"]),
    ("can i work from home", &[], &[], &["remote work"]),
    (
        "can i do the degree online",
        &["education"],
        &["online programs"],
        &[],
    ),
    (
        "how much do database administrators make",
        &[],
        &[],
        &["alternatives pay"],
    ),
    ("how much do nurses make", &[], &[], &[]),
    (
        "which health IT program has the best reputation",
        &[],
        &[],
        &["schools"],
    ),
    // What schooling the job takes is covered; which school, not.
    (
        "what school do you need for health IT",
        &["education"],
        &[],
        &[],
    ),
    ("which school is best for health IT", &[], &[], &["schools"]),
    (
        "does a health information technician use a lot of math",
        &[],
        &[],
        &["math"],
    ),
    (
        "does the job come with benefits like a 401k",
        &[],
        &[],
        &["benefits"],
    ),
    // Dental offices are a place to work, not a benefit.
    ("do they work in dental offices", &["workplace"], &[], &[]),
    (
        "are the certification exams expensive",
        &[],
        &[],
        &["certification cost", "certification exam"],
    ),
];

#[test]
fn aspects_and_gaps_are_reported() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    for &(message, intents, aspects, uncovered) in ASPECT_CASES {
        let c = bot.classify(message);
        let got = intent_names(&c);
        assert_eq!(got, intents, "{message}\n{}", c.explain());
        assert_eq!(c.aspects(), aspects, "{message}\n{}", c.explain());
        assert_eq!(c.uncovered(), uncovered, "{message}\n{}", c.explain());
    }
}

#[test]
fn an_occupation_in_passing_does_not_veto_the_question() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    for (message, intent) in [
        (
            "my mom is a nurse and says the pay is good, whats the median for this job",
            "salary",
        ),
        (
            "Hi, I'm a school counselor. What does the job involve?",
            "duties",
        ),
    ] {
        let c = bot.classify(message);
        let got = intent_names(&c);
        assert_eq!(got, [intent], "{message}\n{}", c.explain());
    }
}

/// Rules that read a message as a whole: whom its questions are about,
/// narrowing sentences, abbreviations in capitals, figures, small talk.
/// (message, labelled intents expected)
const MESSAGE_CASES: &[(&str, &[&str])] = &[
    (
        "what do health information technicians do all day and how much do they earn",
        &["duties", "salary"],
    ),
    // A request for the overview that lists the topics wanted asks those.
    (
        "give me the quick version of health information tech: pay, outlook, schooling",
        &["education", "salary", "outlook"],
    ),
    // A choice between this career and a related one the source describes
    // asks about the related one too; a relative's job is background.
    (
        "health information tech or health services manager, which one takes less schooling",
        &["education", "alternatives"],
    ),
    (
        "My aunt is a health services manager. How long is school for health information tech?",
        &["education"],
    ),
    // Places named to ask the pay ask the pay; a clause asking where they
    // work still asks it.
    (
        "how do health info tech wages compare across hospitals and other employers",
        &["salary"],
    ),
    (
        "where do health information techs work and which place pays the best",
        &["workplace", "salary"],
    ),
    // Another occupation named only as a yardstick is not the subject.
    (
        "for health IT, do you have to be certified like pharmacists are?",
        &["certification"],
    ),
    // The occupation last named carries to questions that name nobody...
    (
        "I've been reading about becoming a dental hygienist. How long is the program?",
        &[],
    ),
    (
        "what do pharmacists do all day, and how long is the schooling",
        &[],
    ),
    // ...but a person's job is background, and this career named last wins.
    (
        "my dads a paramedic. how long is the program for health info tech?",
        &["education"],
    ),
    (
        "I thought about plumbing but now health info tech looks better. do they need a license?",
        &["certification"],
    ),
    // An occupation in background with no sign of interest is the writer's own.
    (
        "quick background: 30, cashier, no degree, love spreadsheets. what's the pay for health info techs?",
        &["salary"],
    ),
    (
        "about me: 30, cashier, no degree. how much school would health info tech take?",
        &["education"],
    ),
    // A comparison in a message naming this career asks about this career.
    (
        "I looked at radiology tech too. is health info tech better paid than that?",
        &["salary"],
    ),
    // The career named anywhere in the message gives its questions context.
    (
        "I'm looking into health information tech. how much school?",
        &["education"],
    ),
    // A short narrowing sentence says what the question before it asks.
    (
        "is health info tech a better pick than retail? like pay wise",
        &["salary"],
    ),
    // A sentence that asks for itself narrows nothing before it.
    (
        "what is health info tech? i work retail. like what do they do all day?",
        &["overview", "duties"],
    ),
    // A bare occupation in a list is the writer's own.
    (
        "quick background: 26, bartender, no degree, how long is school for health info tech",
        &["education"],
    ),
    // "HIT" in capitals is the career; "hit" is a verb.
    ("where do HIT grads find jobs", &["workplace"]),
    ("where do hit songs get made", &[]),
    // A money figure in a question about the career asks about pay.
    ("would 35k be a normal wage for this job", &["salary"]),
    // Two kinds of small talk, clear together.
    ("thx, that helps", &["thanks"]),
    // A question that points back is read with the background before it.
    (
        "My program director brought up the RHIT credential today. Will I actually need it?",
        &["certification"],
    ),
    // A greeting opening a question is a clause of its own, and gives way
    // to what else the message says.
    ("hey there what can you do", &["help"]),
    // Items of a numbered list name what a request asks.
    (
        "My class project is on health information technicians. I have to cover: \
         1. what they do 2. schooling 3. pay",
        &["duties", "education", "salary"],
    ),
    // A question pointing back to background that names the career.
    (
        "I keep noticing online health information technology programs. \
         Are those real, and how long do they run?",
        &["education"],
    ),
    // A reported question asks.
    (
        "A student's mom asked me whether health information tech jobs will grow. \
         Any numbers for her?",
        &["outlook"],
    ),
    // Automation: the outlook, with the gap noted, in a message about the
    // career; a request addressed to "AI" is not about the career.
    ("will robots take health information tech jobs?", &["outlook"]),
    ("ai, tell me a joke", &[]),
    (
        "will AI replace health information techs, and can i work from home?",
        &[],
    ),
    // A claim check asks about the claim; a claim in the same words is a
    // question of its own.
    (
        "My cousin says health information techs earn like 80k. \
         Is that true? Where do they work?",
        &["workplace", "salary"],
    ),
    ("health IT pays well right?", &["salary"]),
    ("is health information tech legit?", &["overview"]),
    // Numbers inside a sentence number no list; a list beside a question
    // tells.
    ("is it 1 or 2 years of school for health IT", &["education"]),
    (
        "Steps I took: 1. finished my associate 2. got my RHIT 3. applied to hospitals. \
         What's the pay like for health information techs?",
        &["salary"],
    ),
    // The writer's own choices pass on no question.
    (
        "My counselor asked if I wanted to work in a hospital. \
         What certification do I need for health information technology?",
        &["certification"],
    ),
    // A question naming the career takes a topic clearly ahead of the rest.
    (
        "If I went into Health IT would I make noticeably more?",
        &["salary"],
    ),
    // "w/o" is "without", not "with" and "o".
    ("can i get a health IT job w/o a degree", &["education"]),
    // An opening condition sets up the question; it asks nothing itself.
    (
        "If I finish the associate degree, what would a health info tech make?",
        &["salary"],
    ),
    // A story's sentence from a writer who marks questions tells.
    (
        "Did payroll and scheduling for a clinic. How long is the health information tech program?",
        &["education"],
    ),
    // A field's name is another occupation too.
    (
        "What's the training for physical therapy and how much do they make?",
        &[],
    ),
    // A clause counting the questions to come asks nothing itself; a
    // "someone" who mentioned the career asks nothing either.
    (
        "A few things about health info techs: where do they work, and what's the median pay?",
        &["workplace", "salary"],
    ),
    (
        "Someone at work mentioned health information technology as a good fit. Is there demand for it?",
        &["outlook"],
    ),
    // A comparison with a related career the source describes asks about
    // that career; the related career's own pay is not this career's.
    ("health information tech vs health services manager?", &["alternatives"]),
    ("what's the difference between this job and a DBA", &["alternatives"]),
    ("how much do DBAs make", &[]),
    // A bulleted list is read as a numbered one.
    (
        "Making a poster on health information techs. Still missing: - their duties - the pay",
        &["duties", "salary"],
    ),
    // A question that only points back is read with what it points to.
    (
        "My aunt mentioned the RHIT credential. Is it worth it?",
        &["certification"],
    ),
    // A clause sure of a career topic shows its siblings are about the
    // career too; a sibling asking on its own needs no support from the
    // whole question.
    (
        "how many years of school, and what's the pay after",
        &["education", "salary"],
    ),
    ("what is this job and is it growing", &["overview", "outlook"]),
    // "or ... enough" offers what would do instead: no question of its own.
    (
        "is a certification needed for health IT jobs, or is a degree enough",
        &["certification"],
    ),
    // A clause naming another occupation says whom the next clause asks
    // about, though the message names this career too.
    (
        "one of my kids wants to be a dental hygienist and the other likes health info tech. for the hygienist, what does that pay?",
        &[],
    ),
    // Split between what the job is and what its people do: the work.
    ("so what does a health info tech even do at work", &["duties"]),
    // A story's "Did a ..." with a full stop tells, from a writer who
    // marks questions: only the question after it is read.
    (
        "Did a bunch of filing at a clinic. How much do health IT techs earn?",
        &["salary"],
    ),
    // An "or" clause that weighs the other answer, or only leaves room
    // for one, adds nothing; a bare "or just a cert" asks about it.
    (
        "do health info techs manage other people, or is it more of a solo job",
        &["duties"],
    ),
    (
        "why is health IT growing so fast, is it the aging population or something else",
        &["outlook"],
    ),
    (
        "for health IT do i need an associate degree or just a certificate",
        &["education", "certification"],
    ),
    // A clause checking a claim asks nothing; the question beside it does.
    (
        "a bachelor's in health info tech, is that even a thing",
        &["education"],
    ),
    // A sentence narrowing the question before it to one of two things
    // stays within its topic; one that asks on, without an "or", asks.
    (
        "what classes are in a health IT program? like is it mostly coding or anatomy",
        &["education"],
    ),
    (
        "how much do health information technicians make? like do you need a degree for it?",
        &["education", "salary"],
    ),
    // "Is it worth getting" after a question on the credential weighs the
    // credential; naming the career weighs the career.
    (
        "what certification do health info techs get? is it even worth getting?",
        &["certification"],
    ),
    (
        "what certification do health info techs get? is this career worth it?",
        &["overview", "certification"],
    ),
    // A role opening the sentence sets it up; "as for" names a topic.
    (
        "as a nursing student, how much school does health IT take",
        &["education"],
    ),
    ("as for the pay in health IT, is it decent?", &["salary"]),
    // "Does X have good job growth" asks about X.
    ("does physical therapy have good job growth", &[]),
    ("does health IT have good job growth", &["outlook"]),
    // Background that only sounds like a request: the writer explaining
    // themselves, a need of their own life, a doubt about themselves,
    // curiosity about a whole field.
    (
        "Let me explain where I'm at: I'm 30 and I need a job soon. How much do health IT techs make?",
        &["salary"],
    ),
    (
        "I'm not sure I want to sit in a hospital all day. Can health info techs work at insurance companies?",
        &["workplace"],
    ),
    (
        "I'm a bio major and kind of curious about healthcare. Is health IT in demand?",
        &["outlook"],
    ),
    // "It" right after a question on a course of study is that course.
    (
        "what do you learn in a health IT program, and is it mostly computer stuff?",
        &["education"],
    ),
    (
        "Which classes are in the health info tech program? Like is it heavy on anatomy or more on software",
        &["education"],
    ),
    // ...but a question of "it" after one on the degree alone asks on.
    (
        "what degree do health IT techs need and is it a lot of computer work",
        &["duties", "education"],
    ),
    // The setting wanted of other careers is not where this one works;
    // a clause asking about places still asks it.
    (
        "what careers are like health IT but more office based?",
        &["alternatives"],
    ),
    (
        "where do health IT techs work, and what careers are similar?",
        &["workplace", "alternatives"],
    ),
    // Weighing the schooling just asked about is not the overview.
    (
        "If I finish the associate's in health IT, is a bachelor's worth it?",
        &["education"],
    ),
    // A clause saying the message is not about the career asks nothing.
    ("not health IT related but how do i study for the A+ exam", &[]),
    ("sorry if this is off topic, but do health IT techs need a license?", &["certification"]),
    (
        "Not about health IT really, but my job will pay for CDL school. Is it worth it?",
        &[],
    ),
    ("totally unrelated to careers but when is the FAFSA due?", &[]),
    // An interest stated before the questions is not one of them; alone,
    // it asks what the career is.
    (
        "I'm curious about the health IT field. What's the median pay?",
        &["salary"],
    ),
    ("I'm curious about the health IT field.", &["overview"]),
    // A condition after a lead-in that asks nothing still sets up the
    // question.
    (
        "Quick follow up: once I finish the associate's in health IT, which certification should I get?",
        &["certification"],
    ),
    // "<occupation> school" is that occupation's schooling.
    ("how long is dental hygiene school", &[]),
    // Naming this career as the subject sets aside the classifier's lean
    // to another occupation.
    ("what does a health IT specialist actually make", &["salary"]),
    // A claim checked for this career is read with the claim.
    (
        "My aunt says the coding people at her clinic make good money. Is that true for health IT techs?",
        &["salary"],
    ),
    // A lone clause topic unsurer than the whole question's does not
    // replace it.
    (
        "my question is mostly about what health IT specialists do on the tech side, like are they setting up servers?",
        &["duties"],
    ),
    // "what a <who>'s salary looks like".
    ("anyone know what a network admin's salary looks like?", &[]),
    // One more thing the writer likes is not a topic of its own.
    (
        "what other careers could i look at if i'm into data + healthcare",
        &["alternatives"],
    ),
    // The work of the related careers asked beside them is theirs.
    (
        "what jobs are like health IT and what does each one involve?",
        &["alternatives"],
    ),
    // "the two", named in the sentence before: this career and a related one.
    (
        "I keep going back and forth between health IT and database admin. Which of the two needs more school?",
        &["alternatives"],
    ),
    (
        "I'm weighing health info tech against health services manager. What's the difference between the two?",
        &["alternatives"],
    ),
    // What employers want of the credential just asked about.
    (
        "do health IT techs need a cert, and do employers really care about it?",
        &["certification"],
    ),
    // "do clinics or bigger hospitals pay more" asks the pay of both.
    ("do clinics or bigger hospitals pay health IT techs more?", &["salary"]),
    // Examples of how to earn more ask nothing of their own.
    (
        "how can a health IT tech earn more, like by moving to another employer?",
        &["salary"],
    ),
    // An amount a year, checked of "it".
    ("is it around 38k a year?", &["salary"]),
    // Asked as what it is, never the work.
    ("what the job is", &["overview"]),
    // A sentence "or" opens that only offers another answer.
    ("do i need a certification? or is the associate's enough", &["certification"]),
    // "HIT techs": the abbreviation and the word after it are one name.
    ("how much do HIT techs make", &["salary"]),
    // A list numbered "1)" is read item by item; a question before sure
    // of a topic of the career is context for the next.
    ("1) what degree 2) pay 3) growth", &["education", "salary", "outlook"]),
    ("1. how much do they make 2. how long is school", &["education", "salary"]),
    // "what the career is" in a requested list is one of its items.
    (
        "can you give me a rundown of what the career is, what it pays, and what the outlook looks like",
        &["overview", "salary", "outlook"],
    ),
    // An amount that size, asked of "this".
    ("is 45k realistic for this?", &["salary"]),
    // "what is the job" asks what it is, beside another question.
    ("whats the job and is it stable", &["overview", "outlook"]),
    // The schooling of the related careers just asked about is theirs,
    // in the same sentence or the next.
    (
        "what other jobs are like health IT? do those need more school?",
        &["alternatives"],
    ),
    (
        "what careers are similar to health info tech, and do they all need a bachelors?",
        &["alternatives"],
    ),
    // A bare word after a clause that asked nothing goes on that clause.
    ("how do people juggle a job and school", &[]),
    // "or is it always in the office" weighs the other answer to a gap.
    (
        "can i do this job from home some days or is it always in the office?",
        &[],
    ),
    // A plural abbreviation names the career.
    ("do HITs usually have a bachelors", &["education"]),
    // "health it" in small letters, followed by its people, names it too.
    ("how much do health it workers earn", &["salary"]),
    // Curious whether it fits asks for a judgement: the overview.
    (
        "I'm a cashier. I'm curious if health IT is a good fit for me. What's the salary?",
        &["overview", "salary"],
    ),
];

#[test]
fn messages_are_read_as_a_whole() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    let mut failures = Vec::new();
    for (message, expected) in MESSAGE_CASES {
        let c = bot.classify(message);
        let got = intent_names(&c);
        if got != *expected {
            failures.push(format!(
                "{message:?}: expected {expected:?}, got {got:?}\n{}",
                c.explain()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_long_post_answers_its_questions_in_the_askers_order() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    let message = "hey all, I'm a senior and my cousin works at a clinic. I like computers a lot. \
        how much do health info techs make? and do you need a degree for it?";
    let c = bot.classify(message);
    let order: Vec<&str> = c
        .asks
        .iter()
        .filter_map(|a| a.intent)
        .map(|i| i.name())
        .collect();
    assert_eq!(order, ["salary", "education"], "{}", c.explain());
}

#[test]
fn small_talk_beyond_the_labels_gets_its_own_reply() {
    let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
    for (message, intent) in [
        ("bye!", career_bot::Intent::Goodbye),
        ("ok got it", career_bot::Intent::Acknowledgement),
        ("this bot is useless", career_bot::Intent::Insult),
    ] {
        let c = bot.classify(message);
        assert_eq!(c.intents, [intent], "{message}\n{}", c.explain());
        assert!(c.labelled_intents().is_empty());
        let reply = bot.reply_to(&c);
        assert_ne!(reply.kind, career_bot::ReplyKind::OutOfScope, "{message}");
    }
}

/// No example is a copy of a sentence the engine is scored on: the figures
/// measure wordings the engine was not given, never memory.
#[test]
fn no_example_copies_a_scored_sentence() {
    use career_bot::knowledge::examples::duplicate_key;
    use std::collections::HashMap;
    let mut scored: HashMap<String, String> = HashMap::new();
    let mut files = vec![shared("dev.tsv"), data("paraphrases.tsv")];
    let batches = std::fs::read_dir(data("first_sight")).expect("the first-sight batches");
    files.extend(
        batches
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.path()),
    );
    for file in &files {
        for line in read(file).lines() {
            if let Some((text, _)) = line.split_once('\t') {
                if !line.starts_with('#') {
                    scored.insert(duplicate_key(text), file.display().to_string());
                }
            }
        }
    }
    let knowledge = career_bot::knowledge::Knowledge::embedded().expect("built-in knowledge loads");
    let copies: Vec<String> = knowledge
        .examples
        .iter()
        .filter_map(|example| {
            let from = scored.get(&duplicate_key(&example.text))?;
            Some(format!(
                "{:?} ({} example) is in {from}",
                example.text, example.label
            ))
        })
        .collect();
    assert!(
        copies.is_empty(),
        "{} copies:\n{}",
        copies.len(),
        copies.join("\n")
    );
}
