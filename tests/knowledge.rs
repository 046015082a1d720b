//! The knowledge files: provenance of every figure, and bad files reported
//! with file, line and column (cases in `tests/data/bad_knowledge.toml`).

use career_bot::knowledge::{provenance, Knowledge, KnowledgeError, KnowledgeFiles};

#[test]
fn every_figure_in_the_knowledge_appears_in_the_source() {
    let files = KnowledgeFiles::embedded();
    let knowledge = Knowledge::from_files(&files).expect("built-in knowledge loads");
    let source = &knowledge.occupation.sources[0];
    let document = files
        .document(&source.document)
        .expect("source document is bundled");
    let report = provenance::check(&files.occupation.text, &document.text);
    assert!(
        report.checked >= 10,
        "only {} figures checked",
        report.checked
    );
    assert!(report.is_clean(), "untraced: {:?}", report.untraced);
}

#[test]
fn a_figure_missing_from_the_source_fails_the_check() {
    let files = KnowledgeFiles::embedded();
    let doctored = files
        .occupation
        .text
        .replace("amount = 37110", "amount = 38110");
    let document = &files.documents[0].text;
    let report = provenance::check(&doctored, document);
    assert_eq!(report.untraced.len(), 1, "{:?}", report.untraced);
    assert_eq!(report.untraced[0].figure, "38110");
    assert!(
        report.untraced[0].path.starts_with("pay["),
        "{}",
        report.untraced[0].path
    );
}

#[test]
fn every_answer_states_only_figures_from_the_source() {
    let files = KnowledgeFiles::embedded();
    let bot = career_bot::CareerBot::new(Knowledge::from_files(&files).expect("loads"));
    let known: std::collections::BTreeSet<String> =
        provenance::figures_in(&files.documents[0].text)
            .into_iter()
            .collect();
    for intent in career_bot::Intent::ALL {
        let text = career_bot::answer::text::render_answer(&bot.answer(intent));
        assert!(!text.trim().is_empty(), "{intent} has no answer");
        for figure in provenance::figures_in(&text) {
            assert!(
                known.contains(&figure),
                "{intent} answer states {figure}, which is not in the source:\n{text}"
            );
        }
    }
}

#[derive(serde::Deserialize)]
struct BadCases {
    case: Vec<BadCase>,
}

/// One edit to a built-in file and the problems it must produce.
#[derive(serde::Deserialize)]
struct BadCase {
    name: String,
    /// "occupation" or "intents".
    file: String,
    find: String,
    replace: String,
    /// Each expected problem: a message fragment, and the text whose line
    /// (in the edited file) the problem must point at ("" for no position).
    expect: Vec<Expected>,
}

#[derive(serde::Deserialize)]
struct Expected {
    message: String,
    at: String,
}

fn line_of(text: &str, needle: &str) -> usize {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in edited file"));
    text[..offset].matches('\n').count() + 1
}

#[test]
fn bad_knowledge_files_report_every_problem_with_its_position() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad_knowledge.toml");
    let cases: BadCases = toml::from_str(&std::fs::read_to_string(path).expect("table exists"))
        .expect("table parses");
    for case in cases.case {
        let mut files = KnowledgeFiles::embedded();
        let target = match case.file.as_str() {
            "occupation" => &mut files.occupation,
            "intents" => &mut files.intents,
            other => panic!("{}: unknown file {other}", case.name),
        };
        assert!(
            target.text.contains(&case.find),
            "{}: {:?} not found",
            case.name,
            case.find
        );
        target.text = target.text.replacen(&case.find, &case.replace, 1);
        let edited = target.text.clone();
        let file_name = target.name.clone();
        let error = Knowledge::from_files(&files).expect_err(&case.name);
        let KnowledgeError::Invalid(problems) = &error else {
            panic!("{}: expected validation problems, got {error}", case.name);
        };
        assert_eq!(problems.len(), case.expect.len(), "{}: {error}", case.name);
        for expected in &case.expect {
            let found = problems
                .iter()
                .find(|p| p.message.contains(&expected.message));
            let problem = found.unwrap_or_else(|| {
                panic!(
                    "{}: no problem mentions {:?} in:\n{error}",
                    case.name, expected.message
                )
            });
            assert_eq!(problem.file, file_name, "{}", case.name);
            if expected.at.is_empty() {
                assert_eq!(problem.line, 0, "{}: {problem}", case.name);
            } else {
                assert_eq!(
                    problem.line,
                    line_of(&edited, &expected.at),
                    "{}: {problem}",
                    case.name
                );
                assert!(problem.column >= 1, "{}: {problem}", case.name);
            }
        }
        // The rendered error lists every problem as file:line:column.
        let rendered = error.to_string();
        assert!(
            rendered.contains(&format!("{} problem", problems.len())),
            "{rendered}"
        );
    }
}
