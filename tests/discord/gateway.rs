//! Connection faults through the real serenity client: a dropped socket
//! with questions queued while the bot is away, op 7 RECONNECT, op 9
//! INVALID_SESSION (resumable or not), a resumable close code, and a
//! gateway that stops acknowledging heartbeats. After each the bot is back,
//! and every question is answered exactly once.

use crate::support::server::gateway::GatewayKind;
use std::time::Duration;

use crate::support::server::{Posted, ServerConfig};
use crate::support::{TestBot, WAIT};

fn identify_count(test: &TestBot) -> usize {
    test.server
        .gateway_records()
        .iter()
        .filter(|r| r.is_client_op(2))
        .count()
}

fn registration_count(test: &TestBot) -> usize {
    test.server
        .requests()
        .iter()
        .filter(|r| r.matches("PUT", "/applications/*/guilds/*/commands"))
        .count()
}

/// Waits for an answer to each of `questions`, then for a last question's
/// answer, and checks each got exactly one.
async fn assert_each_answered_once(test: &TestBot, questions: &[Posted]) {
    for question in questions {
        let reply = test.reply_to(question).await;
        assert!(reply.text().contains("$37,110"), "{}", reply.text());
    }
    let world = test.world().clone();
    let last = test.ask(&world.counselor, "what degree do I need?");
    test.reply_to(&last).await;
    for question in questions {
        let replies = test
            .server
            .requests()
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

/// Asks the salary question as the student and as the classmate.
fn ask_two(test: &TestBot) -> Vec<Posted> {
    let world = test.world().clone();
    vec![
        test.ask(&world.student, "what's the salary?"),
        test.ask(&world.classmate, "how much do they earn?"),
    ]
}

#[tokio::test]
async fn questions_sent_while_the_socket_was_down_are_replayed_and_answered_once() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let before = test.ask(&world.student, "what's the salary?");
    test.reply_to(&before).await;
    let last_seq = test
        .server
        .gateway_records()
        .iter()
        .filter_map(|r| match &r.kind {
            GatewayKind::ToClient { seq: Some(seq), .. } => Some(*seq),
            _ => None,
        })
        .max()
        .unwrap();

    // The TCP connection dies; the bot's reconnect waits at the gateway
    // while three questions arrive.
    test.server.set_gateway_open(false);
    let mark = test.server.gateway_mark();
    assert_eq!(test.server.drop_connections(), 1);
    test.server
        .wait_for_gateway(
            mark,
            "the bot reconnecting",
            |r| matches!(r.kind, GatewayKind::Connected { .. }),
            WAIT,
        )
        .await
        .unwrap();
    let mut queued = ask_two(&test);
    queued.push(test.say(&world.student, &world.student_dm, "what's the pay?"));
    for question in &queued {
        assert!(!question.dispatched.live, "queued while the bot is away");
    }
    test.server.set_gateway_open(true);

    let resume = test
        .server
        .wait_for_gateway(mark, "RESUME", |r| r.is_client_op(6), WAIT)
        .await
        .unwrap();
    assert!(
        resume.payload()["d"]["seq"].as_u64().unwrap() >= last_seq,
        "resumes from the last sequence it saw: {}",
        resume.payload()
    );
    test.server.wait_for_resumed(mark).await.unwrap();
    let replayed = test
        .server
        .gateway_records()
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                GatewayKind::ToClient { replay: true, event: Some(ref e), .. }
                    if e == "MESSAGE_CREATE"
            )
        })
        .count();
    assert!(
        replayed >= 3,
        "the queued questions were replayed ({replayed})"
    );
    assert_each_answered_once(&test, &queued).await;
    assert_eq!(identify_count(&test), 1, "resumed, not re-identified");
    assert_eq!(registration_count(&test), 1);
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn a_question_lost_in_flight_is_replayed_after_resume() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let mark = test.server.gateway_mark();
    let lost = test
        .server
        .post_lost(crate::support::payloads::NewMessage::new(
            &world.student,
            &world.general,
            format!("{} what's the salary?", world.bot.mention()),
        ))
        .unwrap();
    test.server.drop_connections();
    test.server.wait_for_resumed(mark).await.unwrap();
    assert_each_answered_once(&test, &[lost]).await;
}

#[tokio::test]
async fn op7_reconnect_resumes_and_keeps_answering() {
    let test = TestBot::start().await;
    let mark = test.server.gateway_mark();
    assert_eq!(test.server.send_reconnect(), 1);
    test.server.wait_for_resumed(mark).await.unwrap();
    let questions = ask_two(&test);
    assert_each_answered_once(&test, &questions).await;
    assert_eq!(identify_count(&test), 1);
}

#[tokio::test]
async fn op9_resumable_resumes() {
    let test = TestBot::start().await;
    let mark = test.server.gateway_mark();
    test.server.invalidate_sessions(true);
    test.server.wait_for_resumed(mark).await.unwrap();
    let questions = ask_two(&test);
    assert_each_answered_once(&test, &questions).await;
    assert_eq!(identify_count(&test), 1);
}

#[tokio::test]
async fn op9_not_resumable_identifies_again_without_registering_again() {
    let test = TestBot::start().await;
    let first_session = test.server.session_id(0).unwrap();
    let mark = test.server.gateway_mark();
    test.server.invalidate_sessions(false);
    let session = test.server.wait_for_ready(mark).await.unwrap();
    assert_ne!(session, first_session);
    let questions = ask_two(&test);
    assert_each_answered_once(&test, &questions).await;
    assert_eq!(identify_count(&test), 2);
    assert_eq!(registration_count(&test), 1, "commands are registered once");
}

#[tokio::test]
async fn a_resumable_close_code_resumes() {
    let test = TestBot::start().await;
    let mark = test.server.gateway_mark();
    assert_eq!(test.server.close_connections(4000, "Unknown error."), 1);
    test.server.wait_for_resumed(mark).await.unwrap();
    let questions = ask_two(&test);
    assert_each_answered_once(&test, &questions).await;
}

#[tokio::test]
async fn unacknowledged_heartbeats_make_the_bot_reconnect() {
    let test = TestBot::start_with(
        ServerConfig {
            heartbeat_interval: Duration::from_millis(500),
            ..ServerConfig::default()
        },
        |_, _| {},
    )
    .await;
    let mark = test.server.gateway_mark();
    test.server.set_heartbeat_acks(false);
    // serenity notices the missing ACK at its next heartbeat and starts a
    // new connection; acknowledge again from then on.
    test.server
        .wait_for_gateway(
            mark,
            "a new connection",
            |r| matches!(r.kind, GatewayKind::Connected { .. }),
            WAIT,
        )
        .await
        .unwrap();
    test.server.set_heartbeat_acks(true);
    test.server
        .wait_for_gateway(
            mark,
            "READY or RESUMED",
            |r| r.is_sent_event("READY") || r.is_sent_event("RESUMED"),
            WAIT,
        )
        .await
        .unwrap();
    let questions = ask_two(&test);
    assert_each_answered_once(&test, &questions).await;
}
