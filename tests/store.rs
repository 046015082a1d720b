//! The store against real databases: a SQLite file in a temporary
//! directory and a real PostgreSQL server (a fresh database per test on
//! the server `scripts/with-postgres` starts; these tests fail without it,
//! never skip). The same table of checks runs on both. Then the failures a
//! deployment meets: a corrupt or locked SQLite file at start, and a
//! PostgreSQL server killed and restarted while the bot writes.

use std::time::{Duration, Instant};

use career_bot::knowledge::ExampleLabel;
use career_bot::store::record::{FeedbackComment, FeedbackRecord, Place, QuestionRecord};
use career_bot::store::watch::Change;
use career_bot::store::writer::{Recorder, Write, WriterSettings};
use career_bot::store::{Store, StoreError, StoreUrl};
use career_bot::{CareerBot, Intent};

use crate::support::postgres::{fresh_database, OwnPostgres};

/// How long a test waits for the background writer.
const WRITE_WAIT: Duration = Duration::from_secs(30);

fn bot() -> CareerBot {
    CareerBot::from_embedded().expect("the built-in knowledge loads")
}

/// The record of `message` as the bot answers it, asked at `at` by `asker`.
fn question(bot: &CareerBot, message: &str, at: i64, asker: &str) -> QuestionRecord {
    let classification = bot.classify(message);
    let reply = bot.reply_to(&classification);
    QuestionRecord::new(
        &classification,
        &reply,
        || bot.engine().normalized_text(message),
        Place {
            front_end: "discord",
            guild_id: Some(10),
            channel_id: Some(20),
        },
        Some(asker.to_string()),
        at,
    )
}

fn sqlite_url(dir: &tempfile::TempDir) -> StoreUrl {
    StoreUrl::Sqlite(dir.path().join("store.sqlite3"))
}

fn postgres_url() -> StoreUrl {
    fresh_database()
        .parse()
        .expect("the test server's URL is valid")
}

/// Every store operation, checked on `url`.
async fn round_trip(url: &StoreUrl) {
    let bot = bot();
    let store = Store::open(url).await.expect("the store opens");
    let hasher = store.asker_hasher().await.expect("a salt");
    let again = Store::open(url).await.expect("the store opens twice");
    assert_eq!(
        again
            .asker_hasher()
            .await
            .expect("a salt")
            .hash("discord:1"),
        hasher.hash("discord:1"),
        "the salt is made once and kept"
    );

    // Questions: two wordings of one unanswered question, one answered
    // question, one off-topic request.
    let alice = hasher.hash("discord:1");
    let bob = hasher.hash("discord:2");
    let day = 24 * 3600;
    let now = career_bot::store::unix_now();
    for (message, at, asker) in [
        ("can i bring my dog to work", now - 3 * day, &alice),
        ("am i allowed to bring my dog to work", now - 2 * day, &bob),
        ("what's the median salary", now - day, &alice),
        ("best pizza in town?", now, &bob),
    ] {
        store
            .insert_question(&question(&bot, message, at, asker))
            .await
            .expect("a question is stored");
    }
    let groups = store
        .review_groups(bot.engine())
        .await
        .expect("groups are read");
    assert_eq!(groups.len(), 2, "{groups:?}");
    let dogs = &groups[0];
    assert_eq!(dogs.count, 2);
    assert_eq!(
        dogs.questions,
        vec![
            "am i allowed to bring my dog to work",
            "can i bring my dog to work"
        ]
    );
    assert!(
        groups
            .iter()
            .all(|g| !g.questions.iter().any(|q| q.contains("salary"))),
        "an answered question's text is not kept"
    );

    // Teach the dog group; ignore the other.
    let before = store.generation(Change::Taught).await.expect("a counter");
    let taught = store
        .teach(bot.engine(), dogs.id, "workplace")
        .await
        .expect("the group is taught");
    assert_eq!((taught.examples, taught.questions), (2, 2));
    assert_eq!(
        store.generation(Change::Taught).await.expect("a counter"),
        before + 1,
        "teaching is announced"
    );
    let examples = store.taught_examples().await.expect("taught examples");
    assert_eq!(examples.len(), 2);
    assert!(examples
        .iter()
        .all(|e| e.label == ExampleLabel::from_name("workplace").expect("a label")));
    let pizza = store.review_groups(bot.engine()).await.expect("groups")[0].id;
    assert!(matches!(
        store.teach(bot.engine(), pizza, "cooking").await,
        Err(career_bot::store::review::ReviewError::UnknownLabel { .. })
    ));
    assert_eq!(store.ignore(bot.engine(), pizza).await.expect("ignored"), 1);
    assert!(store
        .review_groups(bot.engine())
        .await
        .expect("groups")
        .is_empty());
    // A new wording of an ignored question stays hidden with its group.
    store
        .insert_question(&question(&bot, "best pizza in town??", now, &alice))
        .await
        .expect("stored");
    assert!(store
        .review_groups(bot.engine())
        .await
        .expect("groups")
        .is_empty());

    // Votes: one per asker and answer, the last one counts; a comment.
    let vote = |asker: &str, helpful: bool| FeedbackRecord {
        message_id: 555,
        given_at: now,
        place: Place::default(),
        asker: asker.to_string(),
        topics: vec![Intent::Salary],
        helpful,
    };
    store
        .upsert_feedback(&vote(&alice, true))
        .await
        .expect("vote");
    store
        .upsert_feedback(&vote(&alice, false))
        .await
        .expect("vote");
    store
        .upsert_feedback(&vote(&bob, true))
        .await
        .expect("vote");
    store
        .add_comment(&FeedbackComment {
            message_id: 555,
            asker: alice.clone(),
            comment: "hourly pay".into(),
        })
        .await
        .expect("comment");

    // Stats over the period.
    let report = store.stats(now - 7 * day, now + 1).await.expect("stats");
    assert_eq!(report.questions, 5);
    assert_eq!(report.answered, 1);
    assert_eq!(report.askers, 2);
    let salary = report
        .topics
        .iter()
        .find(|t| t.topic == "salary")
        .expect("salary counted");
    assert_eq!(
        (salary.questions, salary.helpful, salary.unhelpful),
        (1, 1, 1)
    );

    // Claims: the first process wins.
    assert!(store.claim(99, now).await.expect("claim"));
    assert!(!store.claim(99, now).await.expect("claim"));

    // Retention removes old rows; purge removes the rest, not the teaching.
    let removed = store
        .expire(now - day - day / 2, now - day)
        .await
        .expect("expire");
    assert_eq!(removed.questions, 2, "the two dog questions are older");
    let removed = store.purge().await.expect("purge");
    assert_eq!((removed.questions, removed.feedback), (3, 2));
    assert_eq!(removed.claims, 1);
    assert_eq!(
        store
            .stats(i64::MIN, i64::MAX)
            .await
            .expect("stats")
            .questions,
        0
    );
    assert_eq!(store.taught_examples().await.expect("taught").len(), 2);
    store.close().await;
    again.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_on_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    round_trip(&sqlite_url(&dir)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_on_postgres() {
    round_trip(&postgres_url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teaching_is_seen_by_another_process_watching_the_store() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for url in [postgres_url(), sqlite_url(&dir)] {
        let watcher_side = Store::open(&url).await.expect("opens");
        let (sender, mut changes) = tokio::sync::mpsc::channel(4);
        let _watch = career_bot::store::watch::watch(watcher_side, sender)
            .await
            .expect("watching starts");
        let teacher_side = Store::open(&url).await.expect("opens");
        teacher_side
            .announce(Change::Taught)
            .await
            .expect("announced");
        let seen = tokio::time::timeout(Duration::from_secs(10), changes.recv())
            .await
            .expect("the change arrives within the poll period");
        assert_eq!(seen, Some(Change::Taught), "{url}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_sqlite_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("store.sqlite3");
    std::fs::write(&path, vec![0x42u8; 8192]).expect("junk written");
    let error = Store::open(&StoreUrl::Sqlite(path.clone()))
        .await
        .expect_err("a corrupt file does not open");
    let message = error.to_string();
    assert!(
        message.contains(&path.display().to_string()),
        "the error names the file: {message}"
    );
    assert!(
        matches!(error, StoreError::Corrupt { .. } | StoreError::Open { .. }),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_sqlite_file_is_an_error_naming_it() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = sqlite_url(&dir);
    Store::open(&url).await.expect("created").close().await;
    let path = dir.path().join("store.sqlite3");
    // Another program holds the file with an exclusive lock.
    let mut holder = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("a second connection");
    sqlx::query("PRAGMA locking_mode = EXCLUSIVE")
        .execute(&mut holder)
        .await
        .expect("exclusive mode");
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut holder)
        .await
        .expect("the lock is taken");
    let started = Instant::now();
    let error = Store::open(&url)
        .await
        .expect_err("a locked file does not open");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "it fails after the busy timeout, not never"
    );
    let message = error.to_string();
    assert!(
        message.contains(&path.display().to_string()) && message.contains("locked"),
        "the error names the file and the lock: {message}"
    );
}

/// Waits until `done` holds or [`WRITE_WAIT`] passes.
async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + WRITE_WAIT;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_postgres_loses_nothing_within_the_queue_bound() {
    use std::sync::atomic::Ordering;
    let bot = bot();
    let mut server = OwnPostgres::start();
    let url: StoreUrl = server.url().parse().expect("a valid URL");
    let store = Store::open(&url).await.expect("the store opens");
    let (recorder, task) = Recorder::start(
        store.clone(),
        WriterSettings {
            queue_bound: 64,
            retention: None,
        },
    );
    let counts = std::sync::Arc::clone(recorder.counts());
    let write = |n: i64| Write::Question(question(&bot, "can i bring my dog to work", n, "a"));
    for n in 0..10 {
        recorder.record(write(n));
    }
    wait_until("the first ten writes", || {
        counts.written.load(Ordering::Relaxed) == 10
    })
    .await;

    // The server dies; the bot keeps recording, within the bound.
    server.stop();
    for n in 10..50 {
        recorder.record(write(n));
    }
    assert_eq!(counts.dropped.load(Ordering::Relaxed), 0);
    wait_until("the writer to meet the outage", || {
        counts.failures.load(Ordering::Relaxed) >= 1
    })
    .await;
    server.start_again();
    wait_until("the writes queued during the outage", || {
        counts.written.load(Ordering::Relaxed) == 50
    })
    .await;
    assert!(counts.outages.load(Ordering::Relaxed) >= 1);
    let stored = store
        .stats(i64::MIN, i64::MAX)
        .await
        .expect("the store answers again");
    assert_eq!(stored.questions, 50, "nothing within the bound was lost");

    // Past the bound, what is dropped is counted, and the rest arrives.
    server.stop();
    for n in 50..150 {
        recorder.record(write(n));
    }
    let dropped = counts.dropped.load(Ordering::Relaxed);
    assert!(dropped >= 100 - 64 - 1, "dropped {dropped}");
    server.start_again();
    wait_until("the writes within the bound", || {
        counts.written.load(Ordering::Relaxed) + counts.dropped.load(Ordering::Relaxed) == 150
    })
    .await;
    drop(recorder);
    assert!(task.finish(WRITE_WAIT).await, "the writer drains and stops");
    let stored = store.stats(i64::MIN, i64::MAX).await.expect("stats");
    assert_eq!(stored.questions, 150 - dropped);
    store.close().await;
}

// ---------------------------------------------------------------------------
// The command line over a store: the real binary.

/// Runs `career-bot args…` in `dir`, with no store from the environment.
fn career_bot_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_career-bot"))
        .args(args)
        .current_dir(dir)
        .env_remove("DISCORD_TOKEN")
        .env_remove("CAREER_BOT_STORE")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs")
}

fn json_of(output: &std::process::Output) -> serde_json::Value {
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

/// `ask --json` through the store: the answer's intents.
fn intents_of(dir: &std::path::Path, store: &str, question: &str) -> serde_json::Value {
    json_of(&career_bot_in(
        dir,
        &["--store", store, "ask", "--json", question],
    ))["intents"]
        .clone()
}

#[test]
fn without_a_store_the_terminal_leaves_no_files() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let output = career_bot_in(dir.path(), &["ask", "can i bring my dog to work"]);
    assert!(output.status.success(), "{output:?}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("readable").collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
}

#[test]
fn review_teach_export_stats_and_purge_from_the_command_line() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path();
    let store = format!("sqlite://{}", path.join("bot.sqlite3").display());
    // Questions the bot does not answer today.
    for question in [
        "can i bring my dog to work",
        "am i allowed to bring my dog to work",
        "can i bring my dog to the office",
    ] {
        assert_eq!(
            intents_of(path, &store, question),
            serde_json::json!([]),
            "{question:?} is not answered before teaching"
        );
    }
    let new_wording = "is it ok to bring my dog into work";
    let groups = json_of(&career_bot_in(
        path,
        &["--store", &store, "review", "--json"],
    ));
    let group = &groups[0];
    assert_eq!(group["count"], 3, "{groups}");
    assert_eq!(group["questions"][0], "can i bring my dog to the office");
    let id = group["id"].as_i64().expect("a group id").to_string();

    // A topic that is no label is refused, with exit code 2.
    let refused = career_bot_in(path, &["--store", &store, "review", "teach", &id, "pets"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("unknown topic"));

    let taught = json_of(&career_bot_in(
        path,
        &[
            "--store",
            &store,
            "review",
            "--json",
            "teach",
            &id,
            "workplace",
        ],
    ));
    assert_eq!(taught["examples"], 3);
    assert_eq!(
        json_of(&career_bot_in(
            path,
            &["--store", &store, "review", "--json"]
        )),
        serde_json::json!([]),
        "the group left review"
    );
    // A wording nobody taught is now answered with the taught topic.
    assert_eq!(
        intents_of(path, &store, new_wording),
        serde_json::json!(["workplace"])
    );

    // Export into a copy of the knowledge; it still checks.
    let knowledge = path.join("knowledge");
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
        &knowledge,
    );
    let knowledge_arg = knowledge.display().to_string();
    let export = career_bot_in(
        path,
        &["--store", &store, "examples", "export", &knowledge_arg],
    );
    assert!(export.status.success(), "{export:?}");
    let workplace =
        std::fs::read_to_string(knowledge.join("examples/workplace.txt")).expect("readable");
    assert!(workplace.contains("# Taught by counselors"));
    assert!(workplace.contains("\ncan i bring my dog to work\n"));
    let check = career_bot_in(path, &["knowledge", "check", &knowledge_arg]);
    assert!(check.status.success(), "{check:?}");
    let again = career_bot_in(
        path,
        &["--store", &store, "examples", "export", &knowledge_arg],
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("No taught examples to export"));

    // Stats, as JSON and as a chart.
    let png = path.join("stats.png");
    let png_arg = png.display().to_string();
    let report = json_of(&career_bot_in(
        path,
        &["--store", &store, "stats", "--json", "--png", &png_arg],
    ));
    assert_eq!(report["questions"], 4);
    assert_eq!(report["answered"], 1);
    let image = std::fs::read(&png).expect("the chart was written");
    assert!(image.starts_with(b"\x89PNG\r\n\x1a\n"));

    // Purge asks first, then removes the questions but not the teaching.
    let dry = career_bot_in(path, &["--store", &store, "store", "purge"]);
    assert!(String::from_utf8_lossy(&dry.stdout).contains("--yes"));
    let purged = career_bot_in(path, &["--store", &store, "store", "purge", "--yes"]);
    assert!(String::from_utf8_lossy(&purged.stdout).contains("Removed 4 question(s)"));
    let report = json_of(&career_bot_in(
        path,
        &["--store", &store, "stats", "--json"],
    ));
    assert_eq!(report["questions"], 0);
    assert_eq!(
        intents_of(path, &store, new_wording),
        serde_json::json!(["workplace"]),
        "taught examples survive a purge"
    );
}

#[test]
fn store_commands_need_a_valid_store() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // (arguments, what the error says)
    let table: [(&[&str], &str); 3] = [
        (&["review"], "needs the bot's store"),
        (&["--store", "mysql://x", "stats"], "sqlite://"),
        (
            &["--store", "sqlite:///nonexistent/dir/x.db", "review"],
            "cannot open the store",
        ),
    ];
    for (args, expected) in table {
        let output = career_bot_in(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("a directory");
    for entry in std::fs::read_dir(from).expect("readable") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copied");
        }
    }
}
