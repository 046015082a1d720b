//! Free-text messages: who gets an answer, what it looks like, and that it
//! never pings anyone.
//!
//! "No reply" is asserted without sleeping: after the message that must
//! stay unanswered, someone asks an on-topic question; once that one is
//! answered, the earlier one must have nothing.

use crate::support::fixture::{assert_pings_nobody, library_bot};
use crate::support::payloads::NewMessage;
use crate::support::server::rest::Request;
use crate::support::TestBot;

const SALARY: &str = "$37,110";

/// Asserts `reply` answers the salary question as an embed, quietly.
fn assert_salary_reply(reply: &Request) {
    assert!(
        !reply.embeds().is_empty(),
        "answers are embeds: {}",
        reply.raw_body
    );
    let text = reply.text();
    assert!(text.contains(SALARY), "{text}");
    assert!(text.contains("2015"), "{text}");
    assert_pings_nobody(reply);
}

/// Asks a last on-topic question and waits for its answer: a barrier
/// after which every earlier message has been handled.
async fn barrier(test: &TestBot) {
    let world = test.world().clone();
    let last = test.ask(&world.classmate, "what degree do I need?");
    test.reply_to(&last).await;
}

fn replies_to(test: &TestBot, message_id: &str) -> Vec<Request> {
    test.server
        .requests()
        .into_iter()
        .filter(|r| r.is_reply_to(message_id))
        .collect()
}

#[tokio::test]
async fn a_mention_is_answered_with_a_reply_embed() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let asked = test.ask(&world.student, "how much do they make?");
    let reply = test.reply_to(&asked).await;
    assert_eq!(reply.channel_id(), Some(world.general.id.as_str()));
    assert_eq!(
        reply.body["message_reference"]["message_id"],
        asked.id.as_str()
    );
    assert_salary_reply(&reply);
    // The embed stays within Discord's limits (the server would have
    // answered 400 otherwise), and the reply was accepted.
    assert_eq!(reply.status, 200);
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn the_nickname_mention_form_works_too() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let content = format!("<@!{}> what's the salary?", world.bot.id);
    let asked = test.say(&world.student, &world.general, &content);
    assert_salary_reply(&test.reply_to(&asked).await);
}

#[tokio::test]
async fn a_direct_message_is_answered() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let asked = test.say(&world.student, &world.student_dm, "what degree do I need?");
    let reply = test.reply_to(&asked).await;
    assert_eq!(reply.channel_id(), Some(world.student_dm.id.as_str()));
    let expected = library_bot().answer(career_bot::Intent::Education);
    assert_eq!(reply.embeds()[0]["title"], expected.title.as_str());
    assert_pings_nobody(&reply);
}

#[tokio::test]
async fn a_listen_channel_message_is_answered_without_a_mention() {
    let test = TestBot::configured(|config, world| {
        config.listen_channels = vec![world.study_group.id.clone()];
    })
    .await;
    let world = test.world().clone();
    let asked = test.say(
        &world.student,
        &world.study_group,
        "what's the salary like?",
    );
    // The bot asked for MESSAGE_CONTENT, so the server sent the text.
    assert_eq!(asked.dispatched.data["content"], "what's the salary like?");
    let reply = test.reply_to(&asked).await;
    assert_eq!(reply.channel_id(), Some(world.study_group.id.as_str()));
    assert_salary_reply(&reply);
}

#[tokio::test]
async fn unmentioned_messages_outside_listen_channels_get_no_reply() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let ignored = test.say(&world.student, &world.general, "what's the salary?");
    // Without MESSAGE_CONTENT, Discord does not even send the text.
    assert_eq!(ignored.dispatched.data["content"], "");
    barrier(&test).await;
    assert!(replies_to(&test, &ignored.id).is_empty());
}

#[tokio::test]
async fn other_bots_webhooks_and_its_own_messages_get_no_reply() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let question = format!("{} what's the salary?", world.bot.mention());
    let from_bot = test.say(&world.other_bot, &world.general, &question);
    let from_webhook = test
        .server
        .post(
            NewMessage::new(&world.student, &world.general, question.clone())
                .by_webhook(&world.webhook),
        )
        .unwrap();
    let asked = test.ask(&world.student, "what's the salary?");
    let reply = test.reply_to(&asked).await;
    barrier(&test).await;
    assert!(
        replies_to(&test, &from_bot.id).is_empty(),
        "answered another bot"
    );
    assert!(
        replies_to(&test, &from_webhook.id).is_empty(),
        "answered a webhook"
    );
    // The server echoed the bot's replies back as MESSAGE_CREATE, as
    // Discord does; the bot answered neither of its own messages.
    let reply_id = reply.response["id"].as_str().unwrap();
    assert!(test.server.message(reply_id).is_some());
    assert!(replies_to(&test, reply_id).is_empty(), "answered itself");
    let channel_messages = test
        .server
        .requests()
        .into_iter()
        .filter(|r| r.is_channel_message())
        .count();
    assert_eq!(channel_messages, 2, "one reply per student question");
}

#[tokio::test]
async fn an_off_topic_mention_gets_the_short_capabilities_reply() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let question = "will it rain tomorrow?";
    let asked = test.ask(&world.student, question);
    let reply = test.reply_to(&asked).await;
    let expected = library_bot().reply(question);
    assert_eq!(expected.kind, career_bot::ReplyKind::OutOfScope);
    assert_eq!(
        reply.embeds()[0]["title"],
        expected.answers[0].title.as_str()
    );
    let text = reply.text();
    assert!(
        !text.contains('$'),
        "no figures in the capabilities reply: {text}"
    );
    assert!(text.len() < 1500, "short: {} characters", text.len());
    assert_pings_nobody(&reply);
}

#[tokio::test]
async fn off_topic_messages_in_a_listen_channel_get_no_reply() {
    let test = TestBot::configured(|config, world| {
        config.listen_channels = vec![world.study_group.id.clone()];
    })
    .await;
    let world = test.world().clone();
    let off_topic = test.say(
        &world.student,
        &world.study_group,
        "anyone up for pizza later?",
    );
    let on_topic = test.say(
        &world.classmate,
        &world.study_group,
        "do I need a certification?",
    );
    test.reply_to(&on_topic).await;
    barrier(&test).await;
    assert!(replies_to(&test, &off_topic.id).is_empty());
}

#[tokio::test]
async fn everyone_here_role_and_user_mentions_in_a_question_ping_nobody() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let question = format!(
        "@everyone @here {} {} what's the salary?",
        world.counselor_role_mention(),
        world.classmate.user.mention()
    );
    let asked = test.ask(&world.student, &question);
    // Discord parsed the mentions: the bot sees a message that does mention
    // everyone and a role.
    assert_eq!(asked.dispatched.data["mention_everyone"], true);
    assert_eq!(
        asked.dispatched.data["mention_roles"][0],
        world.counselor_role.as_str()
    );
    let reply = test.reply_to(&asked).await;
    assert_salary_reply(&reply);
}

#[tokio::test]
async fn mentions_and_dms_can_be_switched_off() {
    let test = TestBot::configured(|config, world| {
        config.mentions = false;
        config.direct_messages = false;
        config.listen_channels = vec![world.study_group.id.clone()];
    })
    .await;
    let world = test.world().clone();
    let mention = test.ask(&world.student, "what's the salary?");
    let dm = test.say(&world.student, &world.student_dm, "what's the salary?");
    let listened = test.say(&world.classmate, &world.study_group, "what's the salary?");
    test.reply_to(&listened).await;
    let last = test.say(
        &world.classmate,
        &world.study_group,
        "what degree do I need?",
    );
    test.reply_to(&last).await;
    assert!(replies_to(&test, &mention.id).is_empty());
    assert!(replies_to(&test, &dm.id).is_empty());
}

#[tokio::test]
async fn a_reply_to_one_of_the_bots_answers_is_answered() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let first = test.ask(&world.student, "what's the salary?");
    let answer = test.reply_to(&first).await;
    let answer_id = answer.response["id"].as_str().unwrap().to_string();
    // "Reply" in Discord, no @ typed: the bot is among the mentions.
    let follow_up = test.server.post(
        NewMessage::new(&world.student, &world.general, "and what degree do I need?")
            .replying_to(&answer_id),
    );
    let follow_up = follow_up.unwrap();
    assert!(
        !follow_up.dispatched.data["content"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "Discord sends the text of a message that mentions the bot"
    );
    let reply = test.reply_to(&follow_up).await;
    assert!(
        reply.text().to_lowercase().contains("degree"),
        "{}",
        reply.text()
    );
    assert_pings_nobody(&reply);
}

/// `MESSAGE_UPDATE` for `message` edited to `content`, now.
fn edited(test: &TestBot, message: &serde_json::Value, content: &str) -> serde_json::Value {
    let world = test.world();
    let mut edited = message.clone();
    edited["content"] = serde_json::json!(content);
    edited["edited_timestamp"] = serde_json::json!(crate::support::payloads::iso8601(
        std::time::SystemTime::now()
    ));
    if content.contains(&world.bot.mention()) {
        let mut bot = world.bot.json();
        bot["member"] = serde_json::json!({"roles": [], "joined_at": world.joined_at, "deaf": false, "mute": false, "flags": 0});
        edited["mentions"] = serde_json::json!([bot]);
    }
    edited
}

#[tokio::test]
async fn a_question_edited_to_mention_the_bot_is_answered_once() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let question = test.say(&world.student, &world.general, "what's the salary?");
    barrier(&test).await;
    assert!(
        replies_to(&test, &question.id).is_empty(),
        "not addressed yet"
    );
    let with_mention = format!("{} what's the salary?", world.bot.mention());
    test.server
        .dispatch(
            "MESSAGE_UPDATE",
            edited(&test, &question.message, &with_mention),
        )
        .unwrap();
    let reply = test.reply_to(&question).await;
    assert_salary_reply(&reply);
    // Edited again (a typo fixed): not answered twice.
    let again = format!("{} what's the salary??", world.bot.mention());
    test.server
        .dispatch("MESSAGE_UPDATE", edited(&test, &question.message, &again))
        .unwrap();
    barrier(&test).await;
    assert_eq!(replies_to(&test, &question.id).len(), 1);
}

#[tokio::test]
async fn a_mention_in_a_thread_is_answered_in_the_thread() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let content = format!("{} what's the salary?", world.bot.mention());
    let question = test.say(&world.student, &world.general_thread, &content);
    let reply = test.reply_to(&question).await;
    assert_eq!(reply.channel_id(), Some(world.general_thread.id.as_str()));
    assert_salary_reply(&reply);
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn a_question_in_a_forum_post_under_a_listen_channel_is_answered_there() {
    let test = TestBot::configured(|config, world| {
        config.listen_channels = vec![world.forum.id.clone()];
    })
    .await;
    let world = test.world().clone();
    let question = test.say(&world.student, &world.forum_post, "what's the salary?");
    let reply = test.reply_to(&question).await;
    assert_eq!(reply.channel_id(), Some(world.forum_post.id.as_str()));
    assert_salary_reply(&reply);
    // The parent is looked up once per channel.
    let again = test.say(
        &world.classmate,
        &world.forum_post,
        "what degree do I need?",
    );
    test.reply_to(&again).await;
    let lookups = test
        .server
        .requests()
        .into_iter()
        .filter(|r| r.matches("GET", "/channels/*"))
        .count();
    assert_eq!(lookups, 1);
    // A thread under a channel that is not a listen channel stays quiet.
    let elsewhere = test.say(&world.student, &world.general_thread, "what's the salary?");
    barrier(&test).await;
    assert!(replies_to(&test, &elsewhere.id).is_empty());
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn a_mention_of_the_bots_own_role_is_answered() {
    // With the Message Content intent (listen channels configured) the bot
    // reads the text of a message that mentions its role, not itself.
    let test = TestBot::configured(|config, world| {
        config.listen_channels = vec![world.study_group.id.clone()];
    })
    .await;
    let world = test.world().clone();
    let content = format!("<@&{}> what's the salary?", world.bot_role);
    let question = test.say(&world.student, &world.general, &content);
    let reply = test.reply_to(&question).await;
    assert_salary_reply(&reply);
    // Another role is not the bot.
    let other = format!("<@&{}> what's the salary?", world.counselor_role);
    let not_for_the_bot = test.say(&world.student, &world.general, &other);
    barrier(&test).await;
    assert!(replies_to(&test, &not_for_the_bot.id).is_empty());
    // The roles are looked up once.
    let lookups = test
        .server
        .requests()
        .into_iter()
        .filter(|r| r.matches("GET", "/guilds/*/roles"))
        .count();
    assert_eq!(lookups, 1);
    test.assert_nothing_rejected();
}
