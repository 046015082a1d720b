//! Counselors see what students ask: questions logged in the store, 👍/👎
//! with a comment, `/review` teaching a group, `/stats` with its chart, and
//! two processes on one PostgreSQL store answering a message once and
//! reloading together.
//!
//! What the bot stored is read back with the real CLI (`career-bot --store
//! URL review --json`, `stats --json`) or, for comments (which no command
//! prints), straight from the SQLite file. The store is written in the
//! background, so each read is retried until it shows what the test waits
//! for or [`WAIT`] runs out.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::bot::{binary, BotConfig, BotProcess, TOKEN};
use crate::support::payloads::Person;
use crate::support::server::rest::Request;
use crate::support::server::{DiscordServer, Invoked, ServerConfig};
use crate::support::{TestBot, WAIT};

/// A question the built-in knowledge does not answer (checked in
/// [`review_teaches_a_group_and_a_new_wording_is_then_answered`]), and
/// other wordings of it.
const DOG: &str = "can i bring my dog to work";
const DOG_WORDINGS: [&str; 3] = [
    "can i bring my dog to work",
    "can i bring my dog to the office",
    "can i bring my dog to work with me",
];
/// A wording not asked before teaching.
const NEW_DOG: &str = "may i bring my dog to the office";

/// Manage Server, Discord's permission bit 5: may run `/review` and
/// `/stats` when no counselor roles are configured.
const MANAGE_GUILD: u64 = 1 << 5;

/// What a process logs when another one already answers a message.
const ALREADY_CLAIMED: &str = "already claimed by another process";

/// What a process logs when a `/reload` elsewhere reaches it.
const RELOAD_FROM_THE_STORE: &str = "a /reload in a process sharing the store";

/// How long to wait between two reads of the store.
const POLL: Duration = Duration::from_millis(100);

/// The SQLite store of a bot started without `store.url`: beside its
/// config file.
fn store_file(bot: &BotProcess) -> PathBuf {
    bot.config_path
        .parent()
        .expect("the config is in a directory")
        .join("career-bot.sqlite3")
}

fn store_url(bot: &BotProcess) -> String {
    format!("sqlite://{}", store_file(bot).display())
}

/// Runs the real CLI with `args` and parses its JSON output.
async fn cli_json(args: &[&str]) -> Value {
    let output = tokio::process::Command::new(binary())
        .args(args)
        .env_remove("CAREER_BOT_STORE")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(WAIT, output)
        .await
        .expect("the CLI finishes in time")
        .expect("the CLI runs");
    assert!(
        output.status.success(),
        "career-bot {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "career-bot {args:?} printed no JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// Reads `what` with `read` until `done` holds for it, at most [`WAIT`].
async fn read_until<F, Fut>(what: &str, mut read: F, done: impl Fn(&Value) -> bool) -> Value
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    let deadline = Instant::now() + WAIT;
    loop {
        let value = read().await;
        if done(&value) {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "waited {WAIT:?} for {what}; last read: {value}"
        );
        tokio::time::sleep(POLL).await;
    }
}

/// `review --json` of the bot's store.
async fn review(bot: &BotProcess) -> Value {
    let url = store_url(bot);
    cli_json(&["--store", &url, "review", "--json"]).await
}

/// `stats --json` of the bot's store.
async fn stats(bot: &BotProcess) -> Value {
    let url = store_url(bot);
    cli_json(&["--store", &url, "stats", "--json"]).await
}

/// Every wording in the review groups.
fn wordings(groups: &Value) -> Vec<String> {
    groups
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|group| group["questions"].as_array().cloned().unwrap_or_default())
        .filter_map(|wording| wording.as_str().map(str::to_string))
        .collect()
}

/// One topic's line of a stats report.
fn topic<'a>(report: &'a Value, name: &str) -> Option<&'a Value> {
    report["topics"]
        .as_array()?
        .iter()
        .find(|line| line["topic"] == name)
}

/// A member who manages the server.
fn manager(person: &Person) -> Person {
    let mut manager = person.clone();
    manager.permissions |= MANAGE_GUILD;
    manager
}

/// The id of the `/review` message `invoked` posted, for its buttons.
fn review_message_id(test: &TestBot, invoked: &Invoked) -> String {
    let message = test
        .server
        .original_response(invoked)
        .expect("the review message");
    message["id"].as_str().expect("an id").to_string()
}

/// The edit of `invoked`'s original response (`PATCH
/// /webhooks/{app}/{token}/messages/@original`), from request `from` on.
async fn edit_of(test: &TestBot, invoked: &Invoked, from: usize) -> Request {
    let token = invoked.token.clone();
    test.server
        .wait_for_request_from(
            from,
            "an edit of the original response",
            |r| {
                r.matches("PATCH", "/webhooks/*/*/messages/@original") && r.route().contains(&token)
            },
            WAIT,
        )
        .await
        .expect("the bot edits its response")
}

/// The custom_id of the button on `request` starting with `prefix`.
fn button(request: &Request, prefix: &str) -> String {
    request
        .buttons()
        .into_iter()
        .map(|(id, _)| id)
        .find(|id| id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} button: {}", request.raw_body))
}

/// The id of the message `request` created.
fn created_id(request: &Request) -> String {
    request.response["id"]
        .as_str()
        .expect("the created message has an id")
        .to_string()
}

#[tokio::test]
async fn an_unanswered_mention_is_kept_for_review_and_an_answered_one_only_counted() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let unanswered = test.ask(&world.student, DOG);
    let reply = test.reply_to(&unanswered).await;
    assert!(
        reply.buttons().is_empty(),
        "no votes on a reply without a topic: {}",
        reply.raw_body
    );
    let answered = test.ask(&world.student, "what does it pay?");
    test.reply_to(&answered).await;
    // Written in order: once both are counted, both are stored.
    read_until(
        "two questions counted",
        || stats(&test.bot),
        |report| report["questions"] == 2,
    )
    .await;
    let kept = wordings(&review(&test.bot).await);
    assert!(kept.iter().any(|w| w.contains("dog")), "{kept:?}");
    assert!(
        !kept.iter().any(|w| w.contains("pay")),
        "an answered question keeps no text: {kept:?}"
    );
}

#[tokio::test]
async fn direct_messages_are_not_logged_by_default() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let dm = test.say(&world.student, &world.student_dm, DOG);
    test.reply_to(&dm).await;
    // Logged before its reply, so queued before the mention's record.
    let mention = test.ask(&world.student, "can i wear jeans at my desk");
    test.reply_to(&mention).await;
    let report = read_until(
        "the mention counted",
        || stats(&test.bot),
        |report| report["questions"].as_u64() >= Some(1),
    )
    .await;
    assert_eq!(report["questions"], 1, "only the mention: {report}");
    let kept = wordings(&review(&test.bot).await);
    assert!(!kept.iter().any(|w| w.contains("dog")), "{kept:?}");
}

#[tokio::test]
async fn direct_messages_are_logged_when_configured() {
    let test = TestBot::configured(|config, _| config.log_direct_messages = Some(true)).await;
    let world = test.world().clone();
    let dm = test.say(&world.student, &world.student_dm, DOG);
    test.reply_to(&dm).await;
    read_until(
        "the DM kept for review",
        || review(&test.bot),
        |groups| wordings(groups).iter().any(|w| w.contains("dog")),
    )
    .await;
}

/// Reads the comments stored with votes, straight from the SQLite file.
async fn comments(bot: &BotProcess) -> Value {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(store_file(bot))
        .read_only(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .expect("open the store file");
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT comment FROM feedback WHERE comment IS NOT NULL")
            .fetch_all(&pool)
            .await
            .expect("read the comments");
    pool.close().await;
    json!(rows.into_iter().map(|(c,)| c).collect::<Vec<_>>())
}

#[tokio::test]
async fn thumbs_up_and_thumbs_down_with_a_comment_are_recorded() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let asked = test.ask(&world.student, "what does it pay?");
    let reply = test.reply_to(&asked).await;
    let answer = created_id(&reply);
    let up = button(&reply, "vote:up:");
    let down = button(&reply, "vote:down:");
    assert_eq!(up, "vote:up:salary");
    assert_eq!(down, "vote:down:salary");

    // The student votes 👎, closes the form, then changes their mind: 👍.
    let first = test
        .server
        .click(&world.student, &answer, &down)
        .expect("the 👎 button is on the answer");
    test.callback(&first).await;
    assert!(test.server.modal_shown(&first).is_some());
    let second = test
        .server
        .click(&world.student, &answer, &up)
        .expect("the 👍 button is on the answer");
    let thanks = test.callback(&second).await;
    assert!(thanks.is_ephemeral(), "{}", thanks.raw_body);
    assert!(thanks.text().contains("Thanks"), "{}", thanks.raw_body);

    // A classmate votes 👎 and says what they were looking for.
    let click = test
        .server
        .click(&world.classmate, &answer, &down)
        .expect("the 👎 button is on the answer");
    let form = test.callback(&click).await;
    assert_eq!(form.body["type"], 9, "a modal: {}", form.raw_body);
    let shown = test.server.modal_shown(&click).expect("the form is shown");
    assert_eq!(shown["title"], "What were you looking for?");
    let submitted = test
        .server
        .submit_modal(&click, &[("looking_for", "pay for part-time work")])
        .expect("the form accepts the comment");
    let thanks = test.callback(&submitted).await;
    assert!(thanks.is_ephemeral(), "{}", thanks.raw_body);

    let report = read_until(
        "one 👍 and one 👎 on salary",
        || stats(&test.bot),
        |report| {
            topic(report, "salary")
                .is_some_and(|line| line["helpful"] == 1 && line["unhelpful"] == 1)
        },
    )
    .await;
    assert_eq!(
        topic(&report, "salary").map(|l| &l["questions"]),
        Some(&json!(1))
    );
    read_until(
        "the comment stored",
        || comments(&test.bot),
        |comments| comments == &json!(["pay for part-time work"]),
    )
    .await;
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn slash_answers_carry_votes_beside_the_post_button() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let invoked = test.slash(&world.student, "salary", &[]);
    let callback = test.callback(&invoked).await;
    let ids: Vec<String> = callback.buttons().into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, ["post:salary", "vote:up:salary", "vote:down:salary"]);
    let help = test.slash(&world.student, "help", &[]);
    let callback = test.callback(&help).await;
    assert!(callback.buttons().is_empty(), "{}", callback.raw_body);
    let help_text = callback.text();
    assert!(!help_text.contains("/review"), "{help_text}");
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn review_teaches_a_group_and_a_new_wording_is_then_answered() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let counselor = manager(&world.counselor);
    // The built-in knowledge does not answer the new wording.
    let before = cli_json(&["ask", "--json", NEW_DOG]).await;
    assert_ne!(before["kind"], "answered", "{before}");

    for wording in DOG_WORDINGS {
        let asked = test.ask(&world.student, wording);
        test.reply_to(&asked).await;
    }
    let groups = read_until(
        "the wordings grouped",
        || review(&test.bot),
        |groups| groups[0]["count"] == DOG_WORDINGS.len(),
    )
    .await;
    let group = groups[0]["id"].as_i64().expect("a group id");

    let mark = test.server.request_mark();
    let invoked = test.slash(&counselor, "review", &[]);
    let deferred = test.callback(&invoked).await;
    assert_eq!(deferred.body["type"], 5, "{}", deferred.raw_body);
    assert!(deferred.is_ephemeral());
    let shown = edit_of(&test, &invoked, mark).await;
    assert!(
        shown.text().contains(&format!("Group {group}")),
        "{}",
        shown.raw_body
    );
    assert!(shown.text().contains("dog"), "{}", shown.raw_body);
    let message_id = review_message_id(&test, &invoked);

    let mark = test.server.request_mark();
    let picked = test
        .server
        .select(
            &counselor,
            &message_id,
            &format!("review:teach:{group}"),
            &["workplace"],
        )
        .expect("the menu offers workplace");
    let acknowledged = test.callback(&picked).await;
    assert_eq!(acknowledged.body["type"], 6, "{}", acknowledged.raw_body);
    let confirmed = edit_of(&test, &picked, mark).await;
    assert!(
        confirmed.text().contains("as **workplace**"),
        "{}",
        confirmed.raw_body
    );
    assert!(
        confirmed.text().contains("Nothing to review"),
        "{}",
        confirmed.raw_body
    );

    // This process retrained before confirming: a new wording is answered
    // with the taught topic.
    let asked = test.ask(&world.student, NEW_DOG);
    let reply = test.reply_to(&asked).await;
    assert_eq!(
        button(&reply, "vote:up:"),
        "vote:up:workplace",
        "{}",
        reply.raw_body
    );
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn review_and_stats_are_refused_to_students() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    for command in ["review", "stats"] {
        let invoked = test.slash(&world.student, command, &[]);
        let callback = test.callback(&invoked).await;
        assert!(callback.is_ephemeral());
        assert!(
            callback.text().contains("Only counselors"),
            "{}",
            callback.raw_body
        );
    }
}

#[tokio::test]
async fn stats_attaches_a_png_chart() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let asked = test.ask(&world.student, "what does it pay?");
    test.reply_to(&asked).await;
    read_until(
        "the question counted",
        || stats(&test.bot),
        |report| report["questions"] == 1,
    )
    .await;
    let mark = test.server.request_mark();
    let invoked = test.slash(&manager(&world.counselor), "stats", &[("days", json!(7))]);
    let deferred = test.callback(&invoked).await;
    assert!(deferred.is_ephemeral());
    let edit = edit_of(&test, &invoked, mark).await;
    let files = edit.files();
    assert_eq!(files.len(), 1, "{}", edit.raw_body);
    assert_eq!(files[0].filename, "stats.png");
    assert!(
        files[0].bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG"
    );
    assert!(edit.text().contains("salary"), "{}", edit.body);
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn two_processes_on_one_postgres_store_answer_a_replayed_message_once() {
    let database = crate::support::postgres::fresh_database();
    let server = DiscordServer::start_with(ServerConfig {
        accepted_token: Some(TOKEN.to_string()),
        ..ServerConfig::default()
    })
    .await;
    let range = |first: u32| {
        let mut config = BotConfig::for_server(&server);
        config.sharding_mode = "range".to_string();
        config.shard_range = Some((first, first, 2));
        config.store_url = Some(database.clone());
        config
    };
    let bots = [BotProcess::spawn(&range(0)), BotProcess::spawn(&range(1))];
    for bot in &bots {
        bot.wait_for_output("connected to Discord", WAIT)
            .await
            .expect("each process connects");
    }
    server
        .wait_for_request(
            |r| r.matches("PUT", "/applications/*/guilds/*/commands"),
            WAIT,
        )
        .await
        .expect("shard 0's process registers the commands");

    let world = server.world().clone();
    let content = format!("{} what does it pay?", world.bot.mention());
    let posted = server
        .post(crate::support::payloads::NewMessage::new(
            &world.student,
            &world.general,
            &content,
        ))
        .expect("a session takes the message");
    // The same message again, routed to the other shard's session: as if
    // Discord delivered it to both processes.
    let guild: u64 = world.guild_id.parse().expect("a numeric guild id");
    let mut replayed = posted.message.clone();
    replayed["guild_id"] = json!((guild ^ (1 << 22)).to_string());
    let again = server
        .dispatch("MESSAGE_CREATE", replayed)
        .expect("the other session takes it");
    assert_ne!(again.session_id, posted.dispatched.session_id);

    server
        .wait_for_reply_to(&posted.id)
        .await
        .expect("one process answers");
    let skipped = tokio::select! {
        line = bots[0].wait_for_output(ALREADY_CLAIMED, WAIT) => line,
        line = bots[1].wait_for_output(ALREADY_CLAIMED, WAIT) => line,
    };
    skipped.expect("the other process skips the claimed message");
    let replies = server
        .requests()
        .iter()
        .filter(|r| r.is_reply_to(&posted.id))
        .count();
    assert_eq!(replies, 1, "answered exactly once");

    // A /reload in one process reaches the other through the store.
    let reload = server
        .slash(&manager(&world.counselor), &world.general, "reload", &[])
        .expect("/reload is registered");
    server
        .wait_for_callback(&reload)
        .await
        .expect("the /reload is acknowledged");
    for bot in &bots {
        bot.wait_for_output(RELOAD_FROM_THE_STORE, WAIT)
            .await
            .expect("every process sharing the store reloads");
    }
}

#[tokio::test]
async fn a_shared_store_that_is_down_loses_no_question() {
    let mut postgres = crate::support::postgres::OwnPostgres::start();
    let url = postgres.url();
    let test = TestBot::configured(|config, _| config.store_url = Some(url)).await;
    test.bot
        .wait_for_output("store open", WAIT)
        .await
        .expect("the bot opens the store");
    postgres.stop();
    let world = test.world().clone();
    let asked = test.ask(&world.student, "what does it pay?");
    let reply = test.reply_to(&asked).await;
    assert!(reply.text().contains("$"), "{}", reply.raw_body);
    // Either the claim failed or it timed out: logged, and answered.
    test.bot
        .wait_for_output("; answering anyway", WAIT)
        .await
        .expect("the failed claim is logged");
    // Claims pause after a failure: the next question does not wait on the
    // dead store again (its claim would be logged before its reply).
    let again = test.ask(&world.student, "what degree do i need?");
    let reply = test.reply_to(&again).await;
    assert!(!reply.text().is_empty(), "{}", reply.raw_body);
    assert_eq!(
        test.bot.output_count("; answering anyway"),
        1,
        "one failed claim, then none tried: {}",
        test.bot.output_text()
    );
}

/// The group id a review message shows ("**Group 12**").
fn shown_group(request: &Request) -> i64 {
    let text = request.text();
    let digits: String = text
        .split("Group ")
        .nth(1)
        .unwrap_or_default()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no group shown: {text}"))
}

#[tokio::test]
async fn review_moves_to_the_next_group_and_sets_one_aside() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let counselor = manager(&world.counselor);
    for question in [DOG, "can i wear jeans at my desk"] {
        let asked = test.ask(&world.student, question);
        test.reply_to(&asked).await;
    }
    read_until(
        "two groups",
        || review(&test.bot),
        |groups| groups.as_array().map(Vec::len) == Some(2),
    )
    .await;

    let mark = test.server.request_mark();
    let invoked = test.slash(&counselor, "review", &[]);
    let first = shown_group(&edit_of(&test, &invoked, mark).await);
    let message_id = review_message_id(&test, &invoked);

    let mark = test.server.request_mark();
    let next = test
        .server
        .click(&counselor, &message_id, &format!("review:next:{first}"))
        .expect("a Next group button");
    let second = shown_group(&edit_of(&test, &next, mark).await);
    assert_ne!(first, second, "the next group is another one");

    let mark = test.server.request_mark();
    let ignore = test
        .server
        .click(&counselor, &message_id, &format!("review:ignore:{second}"))
        .expect("an Ignore button");
    let after = edit_of(&test, &ignore, mark).await;
    assert!(
        after.text().contains(&format!("Set aside group {second}")),
        "{}",
        after.raw_body
    );
    assert_eq!(shown_group(&after), first, "the other group is left");
    let groups = review(&test.bot).await;
    assert_eq!(groups.as_array().map(Vec::len), Some(1), "{groups}");
    assert_eq!(groups[0]["id"], first);

    // A student's forged click changes nothing.
    let forged = test
        .server
        .click(
            &world.student,
            &message_id,
            &format!("review:ignore:{first}"),
        )
        .expect("the button is on the message");
    let refused = test.callback(&forged).await;
    assert!(refused.is_ephemeral());
    assert!(
        refused.text().contains("Only counselors"),
        "{}",
        refused.raw_body
    );
    assert_eq!(review(&test.bot).await.as_array().map(Vec::len), Some(1));
    test.assert_nothing_rejected();
}
