//! Slash commands: every topic command, `/ask`, `/help`, `/sources`, and
//! who sees the answer.

use career_bot::Intent;
use serde_json::json;

use crate::support::fixture::{assert_pings_nobody, library_bot};
use crate::support::server::rest::Request;
use crate::support::TestBot;

/// Asserts `callback` is a message response (type 4) with embeds.
fn assert_message_response(callback: &Request) {
    assert_eq!(callback.status, 204, "{}", callback.response);
    assert_eq!(callback.body["type"], 4, "{}", callback.raw_body);
    assert!(!callback.embeds().is_empty(), "{}", callback.raw_body);
    assert_pings_nobody(callback);
}

fn post_button(callback: &Request) -> Option<(String, String)> {
    callback
        .buttons()
        .into_iter()
        .find(|(_, label)| label == "Post in channel")
}

#[tokio::test]
async fn every_topic_command_answers_privately_with_a_post_button() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let bot = library_bot();
    for topic in Intent::TOPICS {
        let invoked = test.slash(&world.student, topic.name(), &[]);
        let callback = test.callback(&invoked).await;
        assert_message_response(&callback);
        assert!(
            callback.is_ephemeral(),
            "/{} is private by default",
            topic.name()
        );
        let expected = bot.answer(topic);
        assert_eq!(
            callback.embeds()[0]["title"],
            expected.title.as_str(),
            "/{}",
            topic.name()
        );
        assert!(
            post_button(&callback).is_some(),
            "/{} offers the button",
            topic.name()
        );
    }
    let salary = test.slash(&world.student, "salary", &[]);
    let text = test.callback(&salary).await.text();
    assert!(text.contains("$37,110") && text.contains("2015"), "{text}");
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn the_public_option_posts_for_everyone() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let invoked = test.slash(&world.student, "salary", &[("public", json!(true))]);
    let callback = test.callback(&invoked).await;
    assert_message_response(&callback);
    assert!(!callback.is_ephemeral());
    assert!(post_button(&callback).is_none(), "nothing left to post");
    assert!(callback.text().contains("$37,110"));
    // Discord shows it to the channel (and echoes it to the gateway).
    let original = test.server.original_response(&invoked).unwrap();
    assert_eq!(original["flags"].as_u64().unwrap_or(0) & 64, 0);

    let private = test.slash(&world.student, "salary", &[("public", json!(false))]);
    assert!(test.callback(&private).await.is_ephemeral());
}

#[tokio::test]
async fn a_public_default_visibility_applies_without_the_option() {
    let test = TestBot::configured(|config, _| config.default_visibility = "public".into()).await;
    let world = test.world().clone();
    let public = test.slash(&world.student, "outlook", &[]);
    assert!(!test.callback(&public).await.is_ephemeral());
    let private = test.slash(&world.student, "outlook", &[("public", json!(false))]);
    assert!(test.callback(&private).await.is_ephemeral());
}

#[tokio::test]
async fn ask_answers_free_text_through_the_engine() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let invoked = test.slash(
        &world.student,
        "ask",
        &[("question", json!("how much money do they make?"))],
    );
    let callback = test.callback(&invoked).await;
    assert_message_response(&callback);
    assert!(callback.text().contains("$37,110"), "{}", callback.text());
    assert!(callback.is_ephemeral());
    let (custom_id, _) = post_button(&callback).expect("a career answer can be posted");
    assert!(custom_id.len() <= 100);

    // Off-topic: the capabilities reply, private even when asked public,
    // and nothing to post.
    let off_topic = test.slash(
        &world.student,
        "ask",
        &[
            ("question", json!("will it rain tomorrow?")),
            ("public", json!(true)),
        ],
    );
    let callback = test.callback(&off_topic).await;
    assert_message_response(&callback);
    assert!(callback.is_ephemeral());
    assert!(post_button(&callback).is_none());
    assert!(!callback.text().contains('$'));
}

#[tokio::test]
async fn ask_with_mentions_in_the_question_pings_nobody() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let question = format!(
        "@everyone {} {} what's the salary?",
        world.counselor_role_mention(),
        world.classmate.user.mention()
    );
    let invoked = test.slash(
        &world.student,
        "ask",
        &[("question", json!(question)), ("public", json!(true))],
    );
    let callback = test.callback(&invoked).await;
    assert_message_response(&callback);
    assert!(!callback.is_ephemeral());
}

#[tokio::test]
async fn help_lists_the_commands_and_sources_name_the_year() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    // The ids come back with the registration.
    test.bot
        .wait_for_output("command ids known", crate::support::WAIT)
        .await
        .unwrap();
    let help = test.slash(&world.student, "help", &[]);
    let callback = test.callback(&help).await;
    assert_message_response(&callback);
    let text = callback.text();
    assert!(
        callback.embeds()[0]["title"]
            .as_str()
            .is_some_and(|title| title.starts_with("Help")),
        "titled as help: {}",
        callback.raw_body
    );
    // Clickable command mentions, with the ids Discord gave at registration.
    let registered = test.server.commands(Some(&world.guild_id));
    for name in Intent::TOPICS
        .iter()
        .map(|t| t.name())
        .chain(["ask", "help", "sources"])
    {
        let id = registered
            .iter()
            .find(|c| c["name"] == name)
            .and_then(|c| c["id"].as_str())
            .unwrap_or_else(|| panic!("/{name} is registered"));
        assert!(
            text.contains(&format!("</{name}:{id}>")),
            "/help mentions /{name}: {text}"
        );
    }
    assert!(text.contains("Answer this question"), "{text}");
    // A student may not reload: /help does not offer it to them.
    assert!(!text.contains("reload"), "{text}");

    let sources = test.slash(&world.student, "sources", &[]);
    let callback = test.callback(&sources).await;
    assert_message_response(&callback);
    let text = callback.text();
    assert!(text.contains("2015"), "{text}");
    assert!(text.contains("Bureau of Labor Statistics"), "{text}");
    assert_eq!(
        callback.embeds()[0]["title"],
        library_bot().sources().title.as_str()
    );
}

#[tokio::test]
async fn commands_work_in_direct_messages() {
    // Global registration makes commands usable in DMs.
    let test = TestBot::configured(|config, _| config.guild_ids.clear()).await;
    let world = test.world().clone();
    let invoked = test
        .server
        .slash(
            &world.student,
            &world.student_dm,
            "salary",
            &[("public", json!(true))],
        )
        .unwrap();
    let callback = test.callback(&invoked).await;
    assert_message_response(&callback);
    assert!(callback.text().contains("$37,110"));
}

/// What `/ask` suggests once the student typed `typed`.
async fn suggested(test: &TestBot, typed: &str) -> Vec<String> {
    let world = test.world().clone();
    let typing = test
        .server
        .autocomplete(&world.student, &world.general, "ask", "question", typed)
        .unwrap();
    let callback = test.callback(&typing).await;
    assert_eq!(callback.body["type"], 8, "{}", callback.raw_body);
    callback.body["data"]["choices"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|choice| choice["value"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn ask_suggests_questions_as_the_student_types() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let nothing_yet = suggested(&test, "").await;
    assert!(nothing_yet.len() >= 8, "{nothing_yet:?}");
    let how_much = suggested(&test, "how much").await;
    assert!(
        how_much.iter().all(|q| q.starts_with("How much")) && !how_much.is_empty(),
        "{how_much:?}"
    );
    // A misspelling matches no words; the engine still knows the topic.
    let typo = suggested(&test, "salery").await;
    assert!(
        typo.iter()
            .any(|q| q.contains("salary") || q.contains("pay")),
        "{typo:?}"
    );
    // Each suggestion, once sent, is answered.
    let asked = test.slash(&world.student, "ask", &[("question", json!(how_much[0]))]);
    assert!(test.callback(&asked).await.text().contains("$37,110"));
    test.assert_nothing_rejected();
}
