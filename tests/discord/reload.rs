//! Knowledge edits on a live bot: SIGHUP and `/reload` with good and bad
//! files, questions asked before, during and after each reload, and who may
//! run `/reload`.

use std::path::Path;

use serde_json::Value;

use crate::support::payloads::Person;
use crate::support::server::rest::Request;
use crate::support::server::{Invoked, Posted};
use crate::support::{TestBot, WAIT};

/// The occupation file and the sentence the good edits extend.
const OCCUPATION: &str = "health-it-specialist.toml";
const INTENTS: &str = "intents.toml";
const SUMMARY_END: &str = "servers of a healthcare facility.";
/// The intents line the bad edit breaks, and what it becomes.
const GOOD_LINE: &str = "summary = \"pay and salary figures\"";
const BAD_LINE: &str = "summry = \"pay and salary figures\"";

/// What the bot logs after each successful reload, and after a failed one.
const RELOADED: &str = "knowledge reloaded";
const RELOAD_FAILED: &str = "knowledge reload failed";

/// Manage Server, Discord's permission bit 5.
const MANAGE_GUILD: u64 = 1 << 5;

fn source_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge"))
}

/// A copy of `knowledge/` the test may edit.
pub(crate) fn knowledge_copy() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("career-bot-knowledge-")
        .tempdir()
        .expect("a temporary directory");
    copy_tree(source_dir(), dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a directory");
    for entry in std::fs::read_dir(from).expect("read the knowledge directory") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a knowledge file");
        }
    }
}

/// Replaces `name` in `dir` the way editors save: a new file renamed over
/// the old one, so a reload never reads half a file.
fn write_atomically(dir: &Path, name: &str, text: &str) {
    let temporary = dir.join(format!(".{name}.new"));
    std::fs::write(&temporary, text).expect("write the edited file");
    std::fs::rename(&temporary, dir.join(name)).expect("rename the edited file");
}

/// The original file `name`.
fn original(name: &str) -> String {
    std::fs::read_to_string(source_dir().join(name)).expect("read the original file")
}

/// A good edit: the overview summary ends with `marker`.
fn edit_overview(dir: &Path, marker: &str) {
    let text = original(OCCUPATION);
    assert!(
        text.contains(SUMMARY_END),
        "the overview still ends the same way"
    );
    let edited = text.replacen(SUMMARY_END, &format!("{SUMMARY_END} {marker}"), 1);
    write_atomically(dir, OCCUPATION, &edited);
}

/// A bad edit: an unknown key in the intent table. Returns its 1-based
/// line.
fn break_intents(dir: &Path) -> usize {
    let text = original(INTENTS);
    let line = text
        .lines()
        .position(|line| line == GOOD_LINE)
        .expect("the salary summary line")
        + 1;
    write_atomically(dir, INTENTS, &text.replacen(GOOD_LINE, BAD_LINE, 1));
    line
}

fn repair_intents(dir: &Path) {
    write_atomically(dir, INTENTS, &original(INTENTS));
}

/// The bot, answering from `dir`, with `configure` applied.
async fn start_from(
    dir: &Path,
    configure: impl FnOnce(&mut crate::support::bot::BotConfig, &crate::support::payloads::World),
) -> TestBot {
    let dir = dir.to_path_buf();
    TestBot::configured(move |config, world| {
        config.knowledge_dir = Some(dir);
        configure(config, world);
    })
    .await
}

/// A member with the Manage Server permission.
fn manager(person: &Person) -> Person {
    let mut manager = person.clone();
    manager.permissions |= MANAGE_GUILD;
    manager
}

/// The overview answer to a fresh question, as posted in the channel.
async fn overview_now(test: &TestBot) -> String {
    let world = test.world().clone();
    let asked = test.ask(&world.student, "what is this career?");
    test.reply_to(&asked).await.text()
}

/// Waits for `questions` to be answered, then checks each was answered
/// exactly once.
async fn assert_each_answered_once(test: &TestBot, questions: &[Posted]) {
    for question in questions {
        test.reply_to(question).await;
    }
    let requests = test.server.requests();
    for question in questions {
        let replies = requests
            .iter()
            .filter(|r| r.is_reply_to(&question.id))
            .count();
        assert_eq!(
            replies, 1,
            "question {} answered {replies} times",
            question.id
        );
    }
}

/// Asks a mixed batch of `count` questions from several people in two
/// channels and a DM.
fn ask_batch(test: &TestBot, count: usize) -> Vec<Posted> {
    let world = test.world().clone();
    let mention = world.bot.mention();
    (0..count)
        .map(|i| match i % 4 {
            0 => test.ask(&world.student, "what is this career?"),
            1 => test.say(
                &world.classmate,
                &world.study_group,
                &format!("{mention} how much do they make?"),
            ),
            2 => test.say(&world.student, &world.student_dm, "do i need a degree?"),
            _ => test.ask(&world.counselor, "what is a health it specialist"),
        })
        .collect()
}

/// Runs `/reload` as `person` and returns the first callback.
async fn run_reload(test: &TestBot, person: &Person) -> (Invoked, Request) {
    let invoked = test.slash(person, "reload", &[]);
    let callback = test.callback(&invoked).await;
    (invoked, callback)
}

/// The edit of a deferred response: `PATCH .../messages/@original`.
async fn edited_response(test: &TestBot, invoked: &Invoked) -> Request {
    let token = invoked.token.clone();
    test.server
        .wait_for_request_from(
            0,
            "the edit of the deferred /reload response",
            |r| {
                r.matches("PATCH", "/webhooks/*/*/messages/@original") && r.route().contains(&token)
            },
            WAIT,
        )
        .await
        .expect("the bot edits its deferred response")
}

#[tokio::test]
async fn sighup_swaps_in_good_edits_and_no_question_is_dropped() {
    let dir = knowledge_copy();
    let test = start_from(dir.path(), |_, _| {}).await;
    assert!(!overview_now(&test).await.contains("Edition"));

    let mut questions = Vec::new();
    const ROUNDS: usize = 6;
    for round in 1..=ROUNDS {
        edit_overview(dir.path(), &format!("Edition {round}."));
        questions.extend(ask_batch(&test, 8));
        test.bot.hangup();
        // These arrive while the files are read and validated (a few
        // hundred milliseconds in a debug build) and just after the swap.
        questions.extend(ask_batch(&test, 8));
        test.bot
            .wait_for_output_count(RELOADED, round, WAIT)
            .await
            .expect("each SIGHUP reloads");
        questions.extend(ask_batch(&test, 4));
        let answer = overview_now(&test).await;
        assert!(
            answer.contains(&format!("Edition {round}.")),
            "after reload {round} the new overview answers: {answer}"
        );
    }
    assert_eq!(questions.len(), ROUNDS * 20);
    assert_each_answered_once(&test, &questions).await;
    assert_eq!(test.bot.output_count(RELOAD_FAILED), 0);
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn a_bad_edit_keeps_the_old_knowledge_and_says_where_the_problem_is() {
    let dir = knowledge_copy();
    let test = start_from(dir.path(), |_, _| {}).await;
    let admin = manager(&test.world().counselor);
    edit_overview(dir.path(), "Edition 1.");
    test.bot.hangup();
    test.bot
        .wait_for_output_count(RELOADED, 1, WAIT)
        .await
        .unwrap();

    // SIGHUP with a broken intent table: logged with file, line and column.
    let line = break_intents(dir.path());
    let position = format!("{INTENTS}:{line}:1: unknown field `summry`");
    let before = ask_batch(&test, 6);
    test.bot.hangup();
    let during = ask_batch(&test, 6);
    test.bot
        .wait_for_output(RELOAD_FAILED, WAIT)
        .await
        .expect("the failed reload is logged");
    test.bot
        .wait_for_output(&position, WAIT)
        .await
        .expect("the log names the file, line and column");
    let answer = overview_now(&test).await;
    assert!(
        answer.contains("Edition 1."),
        "old knowledge kept: {answer}"
    );

    // /reload says the same, privately, to whoever asked.
    let (invoked, deferred) = run_reload(&test, &admin).await;
    assert_eq!(deferred.body["type"], 5, "deferred while the files load");
    assert!(deferred.is_ephemeral(), "{}", deferred.raw_body);
    let report = edited_response(&test, &invoked).await;
    let text = report.text();
    assert!(text.contains(&position), "{text}");
    assert!(text.contains("kept answering"), "{text}");
    let shown = test.server.original_response(&invoked).unwrap();
    assert_ne!(shown["flags"].as_u64().unwrap_or(0) & 64, 0, "ephemeral");
    assert!(overview_now(&test).await.contains("Edition 1."));

    // Fixed: /reload swaps the new files in and says so.
    repair_intents(dir.path());
    edit_overview(dir.path(), "Edition 2.");
    let (invoked, _) = run_reload(&test, &admin).await;
    let report = edited_response(&test, &invoked).await;
    assert!(report.text().contains("Reloaded"), "{}", report.text());
    assert!(overview_now(&test).await.contains("Edition 2."));

    let mut questions = before;
    questions.extend(during);
    assert_each_answered_once(&test, &questions).await;
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn without_counselor_roles_reload_needs_manage_server() {
    let dir = knowledge_copy();
    let test = start_from(dir.path(), |_, _| {}).await;
    let world = test.world().clone();
    let registration = test.wait_for_registration(0).await.unwrap();
    let command = registration
        .body
        .as_array()
        .and_then(|commands| commands.iter().find(|c| c["name"] == "reload").cloned())
        .expect("/reload is registered");
    assert_eq!(
        command["default_member_permissions"],
        MANAGE_GUILD.to_string()
    );
    assert_eq!(command["contexts"], serde_json::json!([0]), "servers only");

    edit_overview(dir.path(), "Edition 1.");
    let (_, refused) = run_reload(&test, &world.student).await;
    assert!(refused.is_ephemeral());
    assert!(
        refused.text().contains("Manage Server"),
        "{}",
        refused.text()
    );
    assert_eq!(test.bot.output_count(RELOADED), 0, "nothing reloaded");
    assert!(!overview_now(&test).await.contains("Edition 1."));

    let (invoked, _) = run_reload(&test, &manager(&world.student)).await;
    assert!(edited_response(&test, &invoked)
        .await
        .text()
        .contains("Reloaded"));
    assert!(overview_now(&test).await.contains("Edition 1."));
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn with_counselor_roles_only_counselors_reload() {
    let dir = knowledge_copy();
    let test = start_from(dir.path(), |config, world| {
        config.counselor_role_ids = vec![world.counselor_role.clone()];
    })
    .await;
    let world = test.world().clone();
    let registration = test.wait_for_registration(0).await.unwrap();
    let command: Value = registration
        .body
        .as_array()
        .and_then(|commands| commands.iter().find(|c| c["name"] == "reload").cloned())
        .expect("/reload is registered");
    // Hidden from students: Discord shows a command with "0" only to
    // administrators and to whom an admin grants it (the counselor role,
    // under Server Settings → Integrations); the bot checks the role too.
    assert_eq!(
        command["default_member_permissions"], "0",
        "hidden until granted: {command}"
    );
    let menu: Value = registration
        .body
        .as_array()
        .and_then(|commands| {
            commands
                .iter()
                .find(|c| c["name"] == "Answer this question")
                .cloned()
        })
        .expect("the context menu is registered");
    assert_eq!(menu["default_member_permissions"], "0", "{menu}");

    edit_overview(dir.path(), "Edition 1.");
    // Manage Server is not enough: the role decides.
    let (_, refused) = run_reload(&test, &manager(&world.student)).await;
    assert!(refused.is_ephemeral());
    assert!(refused.text().contains("counselors"), "{}", refused.text());
    assert_eq!(test.bot.output_count(RELOADED), 0);

    let (invoked, deferred) = run_reload(&test, &world.counselor).await;
    assert!(deferred.is_ephemeral());
    assert!(edited_response(&test, &invoked)
        .await
        .text()
        .contains("Reloaded"));
    assert!(overview_now(&test).await.contains("Edition 1."));
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn built_in_knowledge_has_nothing_to_reload() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    test.bot.hangup();
    test.bot
        .wait_for_output("nothing to reload", WAIT)
        .await
        .expect("SIGHUP is logged, not fatal");
    let (invoked, _) = run_reload(&test, &manager(&world.counselor)).await;
    let text = edited_response(&test, &invoked).await.text();
    assert!(text.contains("nothing to reload"), "{text}");
    // Still running and answering.
    assert!(overview_now(&test).await.contains("medical records"));
    assert!(test.bot.output_count(RELOADED) == 0);
    test.assert_nothing_rejected();
}
