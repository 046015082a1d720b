//! Flood limits that lose no question: with the default configuration
//! private answers, DMs, small talk and "Post in channel" are never limited;
//! a public repeat of a topic in a channel within the minute is answered
//! privately with a link to the earlier post; a burst of public questions
//! past a person's bucket is answered late, none dropped; counselors are
//! exempt.

use std::time::Duration;

use serde_json::json;

use crate::support::payloads::Person;
use crate::support::server::rest::Request;
use crate::support::server::{Invoked, RestFault, ServerConfig};
use crate::support::{TestBot, WAIT};

/// A bot with the documented default limits (3 public free-text answers
/// per person and channel per 30 s, no topic repeated within 60 s).
async fn with_default_limits() -> TestBot {
    TestBot::configured(|config, _| config.default_limits()).await
}

/// The link Discord opens message `id` of `#general` with.
fn general_link(test: &TestBot, id: &str) -> String {
    let world = test.world();
    format!(
        "https://discord.com/channels/{}/{}/{id}",
        world.guild_id, world.general.id
    )
}

/// `/name public: true` as `person`, and the bot's callback.
async fn public_slash(test: &TestBot, person: &Person, name: &str) -> (Invoked, Request) {
    let invoked = test.slash(person, name, &[("public", json!(true))]);
    let callback = test.callback(&invoked).await;
    (invoked, callback)
}

#[tokio::test]
async fn three_slash_commands_in_two_seconds_are_all_answered() {
    let test = with_default_limits().await;
    let world = test.world().clone();
    let invoked: Vec<Invoked> = ["salary", "education", "outlook"]
        .into_iter()
        .map(|name| test.slash(&world.student, name, &[]))
        .collect();
    for (invoked, needle) in invoked.iter().zip(["$37,110", "associate", ""]) {
        let callback = test.callback(invoked).await;
        assert_eq!(callback.body["type"], 4, "{}", callback.raw_body);
        assert!(callback.is_ephemeral());
        assert!(!callback.embeds().is_empty(), "{}", callback.raw_body);
        assert!(callback.text().contains(needle), "{}", callback.text());
        assert!(
            !callback.text().contains("quickly"),
            "no cooldown note: {}",
            callback.text()
        );
    }
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn three_mentions_in_three_seconds_and_a_thank_you_are_all_answered() {
    let test = with_default_limits().await;
    let world = test.world().clone();
    let asked = [
        test.ask(&world.student, "what's the salary?"),
        test.ask(&world.student, "what degree do I need?"),
        test.ask(&world.student, "is the field growing?"),
    ];
    for posted in &asked {
        let reply = test.reply_to(posted).await;
        assert!(!reply.embeds().is_empty(), "{}", reply.raw_body);
    }
    // Small talk takes no room: the bucket is empty now, the thanks is
    // answered anyway, and in no "asking quickly" words.
    let thanks = test.ask(&world.student, "thanks!");
    let reply = test.reply_to(&thanks).await;
    assert!(!reply.text().contains("quickly"), "{}", reply.text());
    // A DM is private: not limited either.
    let dm = test.say(&world.student, &world.student_dm, "what's the salary?");
    assert!(test.reply_to(&dm).await.text().contains("$37,110"));
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn post_in_channel_right_after_the_answer_posts_it_with_a_jump_link() {
    let test = with_default_limits().await;
    let world = test.world().clone();
    let answer = test.slash(&world.student, "salary", &[]);
    let private = test.callback(&answer).await;
    let (custom_id, _) = private
        .buttons()
        .into_iter()
        .next()
        .expect("a Post in channel button");
    let original = test.server.original_response(&answer).unwrap();
    let click = test
        .server
        .click(&world.student, original["id"].as_str().unwrap(), &custom_id)
        .unwrap();
    let token = click.token.clone();
    let posted = test
        .server
        .wait_for_request_from(
            0,
            "the public post",
            |r| r.matches("POST", "/webhooks/*/*") && r.route().ends_with(&token),
            WAIT,
        )
        .await
        .unwrap();
    assert!(!posted.is_ephemeral());
    assert!(posted.text().contains("$37,110"), "{}", posted.text());
    let link = general_link(&test, posted.response["id"].as_str().unwrap());
    let edit = test
        .server
        .wait_for_request_from(
            0,
            "the jump link on the private answer",
            |r| {
                r.matches("PATCH", "/webhooks/*/*/messages/@original") && r.route().contains(&token)
            },
            WAIT,
        )
        .await
        .unwrap();
    assert!(
        edit.text().contains(&format!("Posted: {link}")),
        "{}",
        edit.raw_body
    );
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn a_public_repeat_within_the_minute_is_answered_privately_with_a_jump_link() {
    let test = with_default_limits().await;
    let world = test.world().clone();
    let (first, callback) = public_slash(&test, &world.student, "salary").await;
    assert!(!callback.is_ephemeral(), "{}", callback.raw_body);
    let posted_id = test
        .server
        .original_response(&first)
        .and_then(|message| message["id"].as_str().map(str::to_string))
        .expect("the public answer exists");
    // The bot reads back where it posted before anyone repeats it.
    test.bot
        .wait_for_output("public answer posted", WAIT)
        .await
        .unwrap();

    let (_, repeat) = public_slash(&test, &world.classmate, "salary").await;
    assert!(repeat.is_ephemeral(), "{}", repeat.raw_body);
    assert!(
        repeat.text().contains(&general_link(&test, &posted_id)),
        "{}",
        repeat.text()
    );
    assert!(
        repeat.text().contains("$37,110"),
        "the answer comes privately too"
    );
    assert!(
        !repeat
            .buttons()
            .iter()
            .any(|(id, _)| id.starts_with("post:")),
        "no Post in channel button: {}",
        repeat.raw_body
    );
    let public_salaries = |test: &TestBot| {
        test.server
            .requests()
            .into_iter()
            .filter(|r| r.is_callback() && !r.is_ephemeral() && r.text().contains("$37,110"))
            .count()
    };
    assert_eq!(public_salaries(&test), 1, "posted once");

    // In another channel the topic is new.
    let elsewhere = test
        .server
        .slash(
            &world.student,
            &world.study_group,
            "salary",
            &[("public", json!(true))],
        )
        .unwrap();
    assert!(!test.callback(&elsewhere).await.is_ephemeral());
    // /help and /sources are never limited.
    for name in ["help", "sources", "help", "sources"] {
        let invoked = test.slash(&world.student, name, &[]);
        let shown = test.callback(&invoked).await;
        assert!(!shown.embeds().is_empty(), "{name}: {}", shown.raw_body);
    }
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn counselors_may_repeat_a_topic() {
    let test = TestBot::configured(|config, world| {
        config.default_limits();
        config.counselor_role_ids = vec![world.counselor_role.clone()];
    })
    .await;
    let world = test.world().clone();
    for _ in 0..2 {
        let (_, shown) = public_slash(&test, &world.counselor, "salary").await;
        assert!(!shown.is_ephemeral(), "{}", shown.raw_body);
    }
}

#[tokio::test]
async fn a_burst_past_the_bucket_is_answered_late_and_none_is_lost() {
    // Two at once, then one every 0.4 s.
    let test = TestBot::configured(|config, _| {
        config.burst = Some(2);
        config.burst_seconds = Some(0.8);
        config.repeat_seconds = None;
    })
    .await;
    let world = test.world().clone();
    let questions = [
        "what's the salary?",
        "what degree do I need?",
        "is the field growing?",
        "where do they work?",
        "what certification helps?",
    ];
    let asked: Vec<_> = questions
        .iter()
        .map(|question| test.ask(&world.student, question))
        .collect();
    // Someone else in the channel is not held up by the student's wait.
    let other = test.ask(&world.classmate, "what's the salary?");
    let mut replies = Vec::new();
    for posted in &asked {
        let reply = test.reply_to(posted).await;
        assert!(!reply.embeds().is_empty(), "{}", reply.raw_body);
        replies.push(reply);
    }
    let other_reply = test.reply_to(&other).await;
    let first = replies.iter().map(|r| r.at).min().unwrap();
    let last = replies.iter().map(|r| r.at).max().unwrap();
    assert!(
        last.duration_since(first) >= Duration::from_millis(1000),
        "three waited for room, about 0.4 s apart: {:?}",
        last.duration_since(first)
    );
    assert!(
        other_reply.at < last,
        "the classmate's answer did not wait behind the student's"
    );
    for posted in &asked {
        let count = test
            .server
            .requests()
            .into_iter()
            .filter(|r| r.is_reply_to(&posted.id))
            .count();
        assert_eq!(count, 1, "answered once");
    }
    let log = test.bot.output_text();
    assert!(log.contains("waits for room"), "{log}");
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn counselors_are_not_limited() {
    let test = TestBot::configured(|config, world| {
        config.counselor_role_ids = vec![world.counselor_role.clone()];
        config.burst = Some(1);
        config.burst_seconds = Some(3600.0);
    })
    .await;
    let world = test.world().clone();
    let asked: Vec<_> = (0..3)
        .map(|_| test.ask(&world.counselor, "what's the salary?"))
        .collect();
    for posted in &asked {
        test.reply_to(posted).await;
    }
    assert!(!test.bot.output_text().contains("waits for room"));
}

#[tokio::test]
async fn interaction_responses_are_retried_after_a_500() {
    let test = TestBot::start_with(ServerConfig::default(), |_, _| {}).await;
    test.server
        .inject_rest_fault(RestFault::new("POST", "/interactions/*/*/callback", 500));
    let world = test.world().clone();
    let invoked = test.slash(&world.student, "salary", &[]);
    let path = format!("/interactions/{}/{}/callback", invoked.id, invoked.token);
    let delivered = test
        .server
        .wait_for_request_from(
            0,
            "a successful callback",
            |r| r.route() == path && r.status == 204,
            WAIT,
        )
        .await
        .unwrap();
    assert!(
        delivered.text().contains("$37,110"),
        "{}",
        delivered.raw_body
    );
    let attempts = test
        .server
        .requests()
        .into_iter()
        .filter(|r| r.route() == path)
        .count();
    assert_eq!(attempts, 2, "one 500, then the retry");
    assert!(test.bot.output_text().contains("retrying"));
}
