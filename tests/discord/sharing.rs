//! Counselors sharing answers: the "Post in channel" button, the "Answer
//! this question" context menu, and the counselor-role gate.

use serde_json::json;

use crate::support::fixture::assert_pings_nobody;
use crate::support::payloads::{self, interaction_type, Person};
use crate::support::server::rest::Request;
use crate::support::server::Invoked;
use crate::support::TestBot;

/// A private `/salary` answer for `person`, and the custom_id of its
/// "Post in channel" button.
async fn private_salary(test: &TestBot, person: &Person) -> (Invoked, String) {
    let invoked = test.slash(person, "salary", &[]);
    let callback = test.callback(&invoked).await;
    assert!(callback.is_ephemeral());
    let (custom_id, _) = callback
        .buttons()
        .into_iter()
        .find(|(_, label)| label == "Post in channel")
        .expect("a Post in channel button");
    (invoked, custom_id)
}

/// Clicks `custom_id` on the private answer of `answer` as `person`;
/// returns the click and the bot's callback to it.
async fn click(
    test: &TestBot,
    person: &Person,
    answer: &Invoked,
    custom_id: &str,
) -> (Invoked, Request) {
    let original = test
        .server
        .original_response(answer)
        .expect("the private answer exists");
    let click = test
        .server
        .click(person, original["id"].as_str().unwrap(), custom_id)
        .expect("the button is on the message");
    let callback = test.callback(&click).await;
    (click, callback)
}

/// Follow-up messages (`POST /webhooks/{app}/{token}`) sent for `invoked`.
fn followups(test: &TestBot, invoked: &Invoked) -> Vec<Request> {
    test.server
        .requests()
        .into_iter()
        .filter(|r| r.matches("POST", "/webhooks/*/*") && r.route().ends_with(&invoked.token))
        .collect()
}

/// Waits for the public answer a click posted (its first follow-up).
async fn public_post(test: &TestBot, click: &Invoked) -> Request {
    let token = click.token.clone();
    test.server
        .wait_for_request_from(
            0,
            "the public follow-up of a click",
            |r| r.matches("POST", "/webhooks/*/*") && r.route().ends_with(&token),
            crate::support::WAIT,
        )
        .await
        .expect("the click posts the answer")
}

fn channel_replies_to(test: &TestBot, message_id: &str) -> Vec<Request> {
    test.server
        .requests()
        .into_iter()
        .filter(|r| r.is_reply_to(message_id))
        .collect()
}

#[tokio::test]
async fn post_in_channel_posts_the_answer_publicly_attributed_to_the_sharer() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let (answer, custom_id) = private_salary(&test, &world.student).await;
    let (clicked, updated) = click(&test, &world.student, &answer, &custom_id).await;
    assert_eq!(updated.status, 204);
    assert_eq!(
        updated.body["type"], 7,
        "UPDATE_MESSAGE on the private answer: {}",
        updated.raw_body
    );
    let posted = public_post(&test, &clicked).await;
    assert_eq!(posted.status, 200, "{}", posted.raw_body);
    assert!(
        !posted.is_ephemeral(),
        "posted for the channel: {}",
        posted.raw_body
    );
    let text = posted.text();
    assert!(text.contains("$37,110"), "{text}");
    assert!(
        text.contains(&world.student.user.id),
        "attributed to who shared it: {text}"
    );
    assert_pings_nobody(&posted);
    assert_pings_nobody(&updated);
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn the_button_leaves_the_private_answer_once_it_posted() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let (answer, custom_id) = private_salary(&test, &world.student).await;
    let before = test.server.original_response(&answer).unwrap();
    let (clicked, updated) = click(&test, &world.student, &answer, &custom_id).await;
    // The Post in channel button is gone; the 👍/👎 buttons stay.
    let left: Vec<String> = updated.buttons().into_iter().map(|(id, _)| id).collect();
    assert_eq!(
        left,
        ["vote:up:salary", "vote:down:salary"],
        "{}",
        updated.raw_body
    );
    public_post(&test, &clicked).await;

    // The private answer keeps its embeds, says it was posted, and has no
    // Post in channel button left: Discord would not let anyone click it
    // again.
    let after = test.server.original_response(&answer).unwrap();
    assert!(
        !payloads::buttons(&after["components"])
            .iter()
            .any(|(id, _)| id.starts_with("post:")),
        "{after}"
    );
    assert_eq!(after["embeds"], before["embeds"]);
    assert!(
        after["content"]
            .as_str()
            .unwrap_or_default()
            .contains("Posted"),
        "{after}"
    );
    let id = after["id"].as_str().unwrap();
    assert!(test.server.click(&world.student, id, &custom_id).is_err());

    // A client that still shows the old button (or a double click racing
    // the update) gets a private note, and nothing is posted twice.
    let stale = test
        .server
        .invoke(
            &world.student,
            &world.general,
            interaction_type::MESSAGE_COMPONENT,
            payloads::button_data(&custom_id),
            Some(before),
        )
        .unwrap();
    let note = test.callback(&stale).await;
    assert_eq!(note.body["type"], 4);
    assert!(note.is_ephemeral(), "{}", note.raw_body);
    assert!(note.text().contains("already posted"), "{}", note.text());
    assert!(followups(&test, &stale).is_empty());
    assert_eq!(followups(&test, &clicked).len(), 1, "posted once");
    let public: Vec<Request> = test
        .server
        .requests()
        .into_iter()
        .filter(|r| r.text().contains("Shared by"))
        .collect();
    assert_eq!(public.len(), 1, "one public post in all");
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn answer_this_question_replies_publicly_to_the_selected_message() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    // A student asks in the channel without mentioning the bot: the bot
    // never saw the text (no MESSAGE_CONTENT), the context menu carries it.
    let question = test.say(&world.student, &world.general, "how much do they make?");
    assert_eq!(question.dispatched.data["content"], "");
    let menu = test
        .server
        .message_command(&world.counselor, "Answer this question", &question.id)
        .unwrap();
    let acknowledged = test.callback(&menu).await;
    assert_eq!(acknowledged.status, 204);
    assert!(
        acknowledged.is_ephemeral(),
        "the acknowledgement is private"
    );

    let reply = test.server.wait_for_reply_to(&question.id).await.unwrap();
    assert_eq!(reply.channel_id(), Some(world.general.id.as_str()));
    assert!(!reply.is_ephemeral());
    let text = reply.text();
    assert!(text.contains("$37,110"), "{text}");
    assert!(
        text.contains(&world.counselor.user.id),
        "attributed: {text}"
    );
    // The student whose question it answers is notified (the reply pings
    // its author), nobody else.
    let pings = reply.pings();
    assert!(pings.replied_user, "{}", reply.raw_body);
    assert!(
        pings.users.is_empty() && pings.roles.is_empty() && !pings.everyone,
        "{pings:?}"
    );
    assert_eq!(
        reply.message_body()["message_reference"]["fail_if_not_exists"],
        false,
        "a deleted question still gets its answer: {}",
        reply.raw_body
    );
    // The counselor is told where it went.
    let outcome = test
        .server
        .wait_for_request_from(
            0,
            "the edit of the deferred response",
            |r| {
                r.matches("PATCH", "/webhooks/*/*/messages/@original")
                    && r.route().contains(&menu.token)
            },
            crate::support::WAIT,
        )
        .await
        .unwrap();
    let link = format!(
        "https://discord.com/channels/{}/{}/{}",
        world.guild_id,
        world.general.id,
        reply.response["id"].as_str().unwrap()
    );
    assert!(
        outcome.text().contains(&format!("Posted: {link}")),
        "{}",
        outcome.raw_body
    );
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn answer_this_question_on_an_off_topic_message_posts_nothing() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let chatter = test.say(&world.student, &world.general, "anyone up for pizza?");
    let menu = test
        .server
        .message_command(&world.counselor, "Answer this question", &chatter.id)
        .unwrap();
    let callback = test.callback(&menu).await;
    assert!(callback.is_ephemeral(), "{}", callback.raw_body);
    assert!(channel_replies_to(&test, &chatter.id).is_empty());
}

#[tokio::test]
async fn only_counselors_post_publicly_when_counselor_roles_are_set() {
    let test = TestBot::configured(|config, world| {
        config.counselor_role_ids = vec![world.counselor_role.clone()];
    })
    .await;
    let world = test.world().clone();

    // A student asking for a public answer gets it privately, with a note.
    let invoked = test.slash(&world.student, "salary", &[("public", json!(true))]);
    let callback = test.callback(&invoked).await;
    assert!(callback.is_ephemeral());
    assert!(callback.text().contains("$37,110"));
    assert!(
        callback.text().to_lowercase().contains("counselor"),
        "{}",
        callback.text()
    );

    // The student's private answer has no button, and a click from a
    // client that shows one anyway is refused privately.
    let answer = test.slash(&world.student, "salary", &[]);
    let private = test.callback(&answer).await;
    assert!(private.is_ephemeral());
    assert!(
        !private
            .buttons()
            .iter()
            .any(|(id, _)| id.starts_with("post:")),
        "no Post in channel button: {}",
        private.raw_body
    );
    let original = test.server.original_response(&answer).unwrap();
    let forged = test
        .server
        .invoke(
            &world.student,
            &world.general,
            interaction_type::MESSAGE_COMPONENT,
            payloads::button_data("post:salary"),
            Some(original),
        )
        .unwrap();
    let refused = test.callback(&forged).await;
    assert!(refused.is_ephemeral(), "{}", refused.raw_body);
    assert!(
        !refused.text().contains("$37,110"),
        "no public answer: {}",
        refused.text()
    );

    // So is the student's context menu, while the counselor's works.
    let question = test.say(&world.classmate, &world.general, "what's the salary?");
    let attempt = test
        .server
        .message_command(&world.student, "Answer this question", &question.id)
        .unwrap();
    assert!(test.callback(&attempt).await.is_ephemeral());
    let menu = test
        .server
        .message_command(&world.counselor, "Answer this question", &question.id)
        .unwrap();
    test.callback(&menu).await;
    test.server.wait_for_reply_to(&question.id).await.unwrap();
    assert_eq!(
        channel_replies_to(&test, &question.id).len(),
        1,
        "only the counselor's"
    );

    // The counselor may post publicly, by option and by button.
    let public = test.slash(&world.counselor, "salary", &[("public", json!(true))]);
    assert!(!test.callback(&public).await.is_ephemeral());
    let (answer, custom_id) = private_salary(&test, &world.counselor).await;
    let (clicked, _) = click(&test, &world.counselor, &answer, &custom_id).await;
    let posted = public_post(&test, &clicked).await;
    assert!(!posted.is_ephemeral());
    assert!(posted.text().contains("$37,110"));
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn a_forged_button_gets_a_private_refusal() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let (answer, _) = private_salary(&test, &world.student).await;
    let original = test.server.original_response(&answer).unwrap();
    for custom_id in ["post:weather", "post:salary,", "evil", &"x".repeat(100)] {
        let forged = test
            .server
            .invoke(
                &world.student,
                &world.general,
                interaction_type::MESSAGE_COMPONENT,
                payloads::button_data(custom_id),
                Some(original.clone()),
            )
            .unwrap();
        let callback = test.callback(&forged).await;
        assert!(
            callback.is_ephemeral(),
            "{custom_id}: {}",
            callback.raw_body
        );
        assert!(
            !callback.text().contains('$'),
            "{custom_id}: {}",
            callback.text()
        );
    }
}
