//! Discord's rate limits with serenity's own rate limiter on, and the bot's
//! retries of what serenity does not retry.
//!
//! "HTTPS mode" tests run the bot as in production: no proxy, REST calls to
//! `https://discord.com`, which the bot's config resolves to the loopback
//! server's TLS port, with the server's test authority trusted. The other
//! tests use the default proxy mode (rate limiter off), where every 429 and
//! 5xx reaches the bot as an error.
//!
//! Nothing here sleeps to synchronise: each test waits (bounded) for the
//! requests it expects, and "not retried" or "answered once" is checked
//! after a later question's answer has arrived.

use std::time::Duration;

use crate::support::bot::{BotConfig, BotProcess};
use crate::support::burst::{run_burst, Burst};
use crate::support::payloads::NewMessage;
use crate::support::server::rest::Request;
use crate::support::server::{DiscordServer, RateLimit, RestFault, ServerConfig, WAIT};
use crate::support::TestBot;

/// What the bot logs when it retries a request itself.
const RETRYING: &str = "request to Discord failed; retrying";

/// A server in HTTPS mode, with `rate_limits`.
fn https(rate_limits: Vec<RateLimit>) -> ServerConfig {
    ServerConfig {
        tls: true,
        rate_limits,
        ..ServerConfig::default()
    }
}

/// Every `POST /channels/*/messages` whose reference is `message_id`,
/// whatever the answer.
fn attempts_for(test: &TestBot, message_id: &str) -> Vec<Request> {
    test.server
        .requests()
        .into_iter()
        .filter(|r| r.is_reply_to(message_id))
        .collect()
}

/// The accepted replies to `message_id`.
fn accepted_replies(test: &TestBot, message_id: &str) -> Vec<Request> {
    attempts_for(test, message_id)
        .into_iter()
        .filter(|r| r.status == 200)
        .collect()
}

/// Waits for the first accepted reply to `message_id` (`reply_to` would
/// return a failed attempt too).
async fn accepted_reply(test: &TestBot, message_id: &str) -> Request {
    test.server
        .wait_for_request_from(
            0,
            &format!("an accepted reply to {message_id}"),
            |r| r.is_reply_to(message_id) && r.status == 200,
            WAIT,
        )
        .await
        .expect("the reply is accepted")
}

/// Asks a last question and waits for its answer: every earlier reply (or
/// retry) the bot was going to send has been sent by then, as replies in
/// a channel go out in question order.
async fn barrier(test: &TestBot) {
    let world = test.world().clone();
    let last = test.ask(&world.classmate, "what degree do I need?");
    test.reply_to(&last).await;
}

#[tokio::test]
async fn https_mode_reaches_discord_com_through_the_test_authority() {
    let test = TestBot::start_with(https(Vec::new()), |_, _| {}).await;
    assert_eq!(
        test.config.proxy_url, None,
        "no proxy: the rate limiter is on"
    );
    let world = test.world().clone();
    let asked = test.ask(&world.student, "how much do they make?");
    let reply = test.reply_to(&asked).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("host"),
        Some("discord.com"),
        "the bot called discord.com, resolved to the loopback TLS port"
    );
    assert!(reply.text().contains("$37,110"), "{}", reply.text());
    let output = test.bot.output_text();
    assert!(
        output.contains("trusting extra root certificates"),
        "{output}"
    );
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn an_unreadable_certificate_file_stops_the_bot_and_is_named() {
    let server = DiscordServer::start_with(https(Vec::new())).await;
    let mut config = BotConfig::for_server(&server);
    config.extra_root_certificates = vec!["no-such-ca.pem".to_string()];
    let mut bot = BotProcess::spawn(&config);
    let status = bot.wait_exit(WAIT).await.expect("the bot stops");
    assert!(!status.success());
    let output = bot.output_text();
    // Relative to the config file's directory.
    let expected = bot.config_path.with_file_name("no-such-ca.pem");
    assert!(
        output.contains(&expected.to_string_lossy().into_owned()),
        "{output}"
    );
    assert!(output.contains("extra_root_certificates"), "{output}");
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn serenity_paces_a_channel_by_the_rate_limit_headers() {
    let limit = RateLimit {
        method: Some("POST".to_string()),
        route: "/channels/*/messages".to_string(),
        limit: 2,
        per: Duration::from_secs(1),
    };
    let test = TestBot::start_with(https(vec![limit]), |_, _| {}).await;
    let world = test.world().clone();
    let asked: Vec<_> = (0..5)
        .map(|_| test.ask(&world.student, "is the field growing?"))
        .collect();
    for question in &asked {
        test.reply_to(question).await;
    }
    let replies: Vec<Request> = test
        .server
        .requests()
        .into_iter()
        .filter(|r| r.is_channel_message() && r.status == 200)
        .collect();
    let order: Vec<&str> = replies
        .iter()
        .filter_map(|r| r.body["message_reference"]["message_id"].as_str())
        .collect();
    let expected: Vec<&str> = asked.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(order, expected, "one reply each, in question order");
    // Every limited response told serenity where it stands.
    for reply in &replies {
        for header in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
            "x-ratelimit-reset-after",
            "x-ratelimit-bucket",
        ] {
            assert!(
                reply.response_header(header).is_some(),
                "{header} missing on #{}",
                reply.index
            );
        }
    }
    assert_eq!(replies[0].response_header("x-ratelimit-limit"), Some("2"));
    assert!(
        !test.bot.output_text().contains(RETRYING),
        "serenity's limiter paced the channel; the bot had nothing to retry"
    );
}

#[tokio::test]
async fn a_global_429_is_waited_out_by_serenity() {
    let test = TestBot::start_with(https(Vec::new()), |_, _| {}).await;
    test.server.inject_rest_fault(RestFault::global_rate_limit(
        "POST",
        "/channels/*/messages",
        Duration::from_millis(500),
    ));
    let world = test.world().clone();
    let asked = test.ask(&world.student, "how much do they make?");
    accepted_reply(&test, &asked.id).await;
    let attempts = attempts_for(&test, &asked.id);
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    assert_eq!(attempts[0].status, 429);
    assert_eq!(
        attempts[0].response_header("x-ratelimit-global"),
        Some("true")
    );
    assert_eq!(
        attempts[0].response_header("x-ratelimit-scope"),
        Some("global")
    );
    assert_eq!(attempts[0].response["global"], true);
    assert_eq!(attempts[1].status, 200);
    assert!(
        !test.bot.output_text().contains(RETRYING),
        "serenity retried after Retry-After, not the bot"
    );
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_by_serenity() {
    let test = TestBot::start_with(https(Vec::new()), |_, _| {}).await;
    let mut fault = RestFault::new("POST", "/channels/*/messages", 429)
        .header("retry-after", "1")
        .header("x-ratelimit-limit", "5")
        .header("x-ratelimit-remaining", "0")
        .header("x-ratelimit-reset-after", "0.500")
        .header("x-ratelimit-bucket", "abcd1234")
        .header("x-ratelimit-scope", "user");
    fault.body = serde_json::json!({
        "message": "You are being rate limited.", "retry_after": 0.5, "global": false
    });
    test.server.inject_rest_fault(fault);
    let world = test.world().clone();
    let asked = test.ask(&world.student, "what degree do I need?");
    accepted_reply(&test, &asked.id).await;
    let statuses: Vec<u16> = attempts_for(&test, &asked.id)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [429, 200]);
    assert!(!test.bot.output_text().contains(RETRYING));
}

#[tokio::test]
async fn a_429_without_retry_after_is_retried_by_the_bot() {
    let test = TestBot::start_with(https(Vec::new()), |_, _| {}).await;
    test.server
        .inject_rest_fault(RestFault::too_many_requests_without_retry_after(
            "POST",
            "/channels/*/messages",
        ));
    let world = test.world().clone();
    let asked = test.ask(&world.student, "how much do they make?");
    accepted_reply(&test, &asked.id).await;
    barrier(&test).await;
    let statuses: Vec<u16> = attempts_for(&test, &asked.id)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [429, 200], "answered exactly once");
    test.bot
        .wait_for_output(RETRYING, WAIT)
        .await
        .expect("the bot logs its retry");
}

#[tokio::test]
async fn two_503s_then_success_answer_exactly_once_in_https_mode() {
    let test = TestBot::start_with(https(Vec::new()), |_, _| {}).await;
    test.server
        .inject_rest_fault(RestFault::new("POST", "/channels/*/messages", 503).times(2));
    let world = test.world().clone();
    let asked = test.ask(&world.student, "how much do they make?");
    accepted_reply(&test, &asked.id).await;
    barrier(&test).await;
    let statuses: Vec<u16> = attempts_for(&test, &asked.id)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [503, 503, 200]);
    assert_eq!(accepted_replies(&test, &asked.id).len(), 1);
    let retries = test.bot.output_count(RETRYING);
    assert_eq!(retries, 2, "{}", test.bot.output_text());
}

#[tokio::test]
async fn a_502_and_a_500_then_success_answer_exactly_once_behind_a_proxy() {
    let test = TestBot::start().await;
    test.server
        .inject_rest_fault(RestFault::new("POST", "/channels/*/messages", 502));
    test.server
        .inject_rest_fault(RestFault::new("POST", "/channels/*/messages", 500));
    let world = test.world().clone();
    let asked = test.ask(&world.student, "is the field growing?");
    accepted_reply(&test, &asked.id).await;
    barrier(&test).await;
    let statuses: Vec<u16> = attempts_for(&test, &asked.id)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [502, 500, 200]);
}

#[tokio::test]
async fn a_permanent_500_is_given_up_logged_and_later_questions_are_answered() {
    let test = TestBot::start().await;
    // More failures than the bot's attempts: it must give up.
    test.server
        .inject_rest_fault(RestFault::new("POST", "/channels/*/messages", 500).times(4));
    let world = test.world().clone();
    let lost = test.ask(&world.student, "how much do they make?");
    let line = test
        .bot
        .wait_for_output("gave up", WAIT)
        .await
        .expect("the bot logs what it gave up on");
    assert!(line.text.contains("ERROR"), "{}", line.text);
    assert!(
        line.text.contains(&lost.id),
        "names the question: {}",
        line.text
    );
    assert!(
        line.text.contains(&world.general.id),
        "names the channel: {}",
        line.text
    );
    assert!(line.text.contains("answer part 1 of 1"), "{}", line.text);
    let statuses: Vec<u16> = attempts_for(&test, &lost.id)
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [500, 500, 500, 500], "4 attempts, then no more");
    assert_eq!(test.bot.output_count(RETRYING), 3);

    // The bot keeps answering.
    let next = test.ask(&world.student, "what degree do I need?");
    let reply = test.reply_to(&next).await;
    assert_eq!(reply.status, 200);
    assert!(accepted_replies(&test, &lost.id).is_empty());
}

#[tokio::test]
async fn a_client_error_is_not_retried() {
    let test = TestBot::start().await;
    test.server
        .inject_rest_fault(RestFault::new("POST", "/channels/*/messages", 403));
    let world = test.world().clone();
    let refused = test.ask(&world.student, "how much do they make?");
    test.bot
        .wait_for_output("was not delivered", WAIT)
        .await
        .expect("the refusal is logged");
    barrier(&test).await;
    assert_eq!(attempts_for(&test, &refused.id).len(), 1);
    assert_eq!(test.bot.output_count(RETRYING), 0);
}

#[tokio::test]
async fn a_reply_to_a_deleted_question_is_still_posted() {
    let test = TestBot::start_with(https(Vec::new()), |_, _| {}).await;
    let world = test.world().clone();
    let content = format!("{} how much do they make?", world.bot.mention());
    let asked = test
        .server
        .post_deleted(NewMessage::new(&world.student, &world.general, content))
        .expect("the bot has a session");
    let reply = test.reply_to(&asked).await;
    assert_eq!(
        reply.body["message_reference"]["fail_if_not_exists"], false,
        "{}",
        reply.raw_body
    );
    assert_eq!(reply.status, 200, "{}", reply.response);
    assert_eq!(reply.response["type"], 0, "posted as a plain message");
    assert!(reply.text().contains("$37,110"));
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn a_burst_under_the_message_limit_is_answered_in_order() {
    let burst = Burst::standard();
    let test = TestBot::start_with(burst.server_config(), |_, _| {}).await;
    let report = run_burst(&test, burst, Duration::from_secs(180))
        .await
        .expect("every question is answered");
    eprintln!("burst (HTTPS mode, rate limiter on): {}", report.summary());
    assert_eq!(report.questions, 300);
    assert!(report.unanswered.is_empty(), "{report:?}");
    assert!(report.answered_twice.is_empty(), "{report:?}");
    assert_eq!(report.answered_once, 300);
    assert!(report.out_of_order.is_empty(), "{report:?}");
    let output = test.bot.output_text();
    assert!(!output.contains("was not delivered"), "{output}");
    assert!(!output.contains("may overtake"), "{output}");
    test.assert_nothing_rejected();
}
