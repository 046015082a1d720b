//! The command line as other tools use it: the real binary, its output
//! formats and exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn career_bot(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_career-bot"))
        .args(args)
        .env_remove("DISCORD_TOKEN")
        .env_remove("CAREER_BOT_STORE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    input
        .write_all(stdin.as_bytes())
        .expect("stdin accepts input");
    drop(input);
    child.wait_with_output().expect("binary finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn ask_json_reports_intents_and_answer() {
    let output = career_bot(
        &[
            "ask", "--json", "what's", "the", "salary", "and", "what", "degree", "do", "i", "need",
        ],
        "",
    );
    assert!(output.status.success(), "{output:?}");
    let value: serde_json::Value =
        serde_json::from_str(stdout(&output).trim()).expect("one JSON object");
    assert_eq!(value["intents"], serde_json::json!(["education", "salary"]));
    let answer = value["answer"].as_str().expect("answer text");
    assert!(
        answer.contains("$37,110") && answer.contains("2015"),
        "{answer}"
    );
}

#[test]
fn ask_json_carries_aspects_gaps_and_the_sources_cited() {
    let output = career_bot(&["ask", "--json", "what's the average salary"], "");
    let value: serde_json::Value =
        serde_json::from_str(stdout(&output).trim()).expect("one JSON object");
    assert_eq!(value["aspects"], serde_json::json!(["average pay"]));
    assert_eq!(value["uncovered"], serde_json::json!([]));
    assert_eq!(value["sources"], serde_json::json!(["BLS, 2015"]));
    let answer = value["answer"].as_str().expect("answer text");
    assert!(
        answer.contains("The average salary in 2015 was $40,430 a year (BLS, 2015)."),
        "{answer}"
    );
    let output = career_bot(&["ask", "--json", "can i work from home?"], "");
    let value: serde_json::Value =
        serde_json::from_str(stdout(&output).trim()).expect("one JSON object");
    assert_eq!(value["uncovered"], serde_json::json!(["remote work"]));
    assert_eq!(value["sources"], serde_json::json!(["source article"]));
    let answer = value["answer"].as_str().expect("answer text");
    assert!(
        answer.contains("doesn't say whether the work can be done remotely"),
        "{answer}"
    );
}

#[test]
fn ask_wraps_to_80_columns_when_not_a_terminal() {
    let output = career_bot(&["ask", "what", "do", "they", "do", "day", "to", "day"], "");
    let text = stdout(&output);
    assert!(text.lines().count() > 3, "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
}

#[test]
fn ask_json_out_of_scope_has_empty_intents() {
    let output = career_bot(&["ask", "--json", "how much do nurses make"], "");
    let value: serde_json::Value =
        serde_json::from_str(stdout(&output).trim()).expect("one JSON object");
    assert_eq!(value["intents"], serde_json::json!([]));
    assert!(!value["answer"].as_str().unwrap_or_default().contains('$'));
}

#[test]
fn ask_explain_shows_the_rule_that_fired() {
    let output = career_bot(&["ask", "--explain", "certifcation?"], "");
    let text = stdout(&output);
    assert!(
        text.contains("typo: \"certifcation\" read as \"certification\""),
        "{text}"
    );
    assert!(text.contains("intents: [certification]"), "{text}");
}

#[test]
fn classify_writes_one_json_line_per_question() {
    let output = career_bot(
        &["classify"],
        "how much do they make\nwhat's the weather\n\nhi\n",
    );
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["text"], "how much do they make");
    assert_eq!(lines[0]["intents"], serde_json::json!(["salary"]));
    assert_eq!(lines[1]["intents"], serde_json::json!([]));
    assert_eq!(lines[2]["intents"], serde_json::json!([]));
    assert_eq!(lines[3]["intents"], serde_json::json!(["greeting"]));
}

#[test]
fn eval_scores_a_file_and_enforces_min_accuracy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("set.tsv");
    std::fs::write(
        &path,
        "# c\nhow much do they make\tsalary\nwhat's the weather\tsalary\n",
    )
    .expect("write");
    let path = path.to_str().expect("utf-8 path");
    let output = career_bot(&["eval", path], "");
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("exact-set accuracy: 1/2 = 50.00%"), "{text}");
    assert!(text.contains("line 3"), "the miss is listed: {text}");
    let failing = career_bot(&["eval", path, "--min-accuracy", "0.9"], "");
    assert_eq!(failing.status.code(), Some(1));
}

#[test]
fn eval_rejects_a_malformed_file_with_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.tsv");
    std::fs::write(&path, "hi\tgreting\n").expect("write");
    let output = career_bot(&["eval", path.to_str().expect("utf-8")], "");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown intent `greting`"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn knowledge_check_passes_on_the_built_in_files() {
    let output = career_bot(&["knowledge", "check"], "");
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(stdout(&output).contains("every figure traced"));
    assert!(
        stdout(&output).contains("dated citations checked: each year appears with its figure"),
        "{}",
        stdout(&output)
    );
}

/// Copies the repository's knowledge directory (every file, examples and
/// sources included) so a test can edit it.
fn knowledge_copy() -> tempfile::TempDir {
    fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read dir") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("file type").is_dir() {
                copy_tree(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    copy_tree(&source, dir.path());
    dir
}

#[test]
fn knowledge_check_fails_on_an_untraced_figure() {
    let dir = knowledge_copy();
    let file = dir.path().join("health-it-specialist.toml");
    let text = std::fs::read_to_string(&file)
        .expect("read")
        .replace("growth_percent = 15", "growth_percent = 16");
    std::fs::write(&file, text).expect("write");
    let output = career_bot(
        &["knowledge", "check", dir.path().to_str().expect("utf-8")],
        "",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output).contains("not in the source: 16 at outlook.growth_percent"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn knowledge_check_fails_on_a_year_the_source_does_not_give_a_figure() {
    let dir = knowledge_copy();
    let file = dir.path().join("health-it-specialist.toml");
    // 2014 is in the source, but not with the median.
    let text =
        std::fs::read_to_string(&file)
            .expect("read")
            .replacen("year = 2015", "year = 2014", 1);
    std::fs::write(&file, text).expect("write");
    let output = career_bot(
        &["knowledge", "check", dir.path().to_str().expect("utf-8")],
        "",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output)
            .contains("dated citation not in the source: pay \"Median\" 37110 with 2014"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_bad_knowledge_dir_is_reported_with_file_line_and_column() {
    let dir = knowledge_copy();
    let file = dir.path().join("intents.toml");
    let text = std::fs::read_to_string(&file).expect("read").replacen(
        "clause_breaks = [",
        "clause_breaks = 3\nunused = [",
        1,
    );
    std::fs::write(&file, text).expect("write");
    // --knowledge is accepted after the subcommand too.
    let output = career_bot(
        &[
            "ask",
            "hi",
            "--knowledge",
            dir.path().to_str().expect("utf-8"),
        ],
        "",
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("intents.toml:"), "{stderr}");
    assert!(
        stderr
            .lines()
            .filter(|l| l.contains("intents.toml:"))
            .all(|l| l.split(':').count() >= 4),
        "{stderr}"
    );
}

#[test]
fn chat_reads_questions_from_a_pipe() {
    let output = career_bot(
        &["chat"],
        "how much do they make\nquit\nwhat degree do i need\n",
    );
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("$37,110"), "{text}");
    assert!(!text.contains("Education"), "stopped at quit: {text}");
}

#[test]
fn no_arguments_opens_the_chat() {
    let output = career_bot(&[], "hi\n");
    assert!(output.status.success());
    assert!(stdout(&output).contains("Hi!"), "{}", stdout(&output));
}
