//! Connection faults through the real serenity client: a dropped socket
//! with questions queued while the bot is away, op 7 RECONNECT, op 9
//! INVALID_SESSION (resumable or not), close codes 1000, 4000, 4006 and
//! 4009, and a gateway that stops acknowledging heartbeats. After each the
//! bot is back, every question is answered exactly once, and a re-identify
//! registers no command again. A scripted run then asks 200 questions with
//! a fault every 20, cycling through the kinds.

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
    let replayed = replayed_message_creates(&test);
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

/// A connection fault the loopback gateway can inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    /// The TCP connection dies without a close frame.
    Drop,
    /// The connection dies and Discord holds the reconnect until the test
    /// has posted questions, which wait in the session for the RESUME.
    DropWhileAway,
    /// Op 7 RECONNECT.
    Reconnect,
    /// Op 9 INVALID_SESSION with `d` = resumable.
    InvalidSession(bool),
    /// A close frame with this code.
    Close(u16),
    /// Heartbeats stop being acknowledged (a zombied connection).
    HeartbeatsIgnored,
}

/// How the bot gets its session back after a fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Recovery {
    /// RESUME: missed events are replayed.
    Resume,
    /// A new IDENTIFY: a new session; events of the old one are gone, as
    /// with Discord.
    Reidentify,
}

impl Fault {
    /// How serenity 0.12.5 recovers: it resumes after drops, op 7, op 9
    /// `true` and close codes other than 4006/4009 (1000 included, as it
    /// keeps its session id); it identifies again after op 9 `false`,
    /// 4006, 4009, and a missed heartbeat ACK (it restarts the shard).
    fn recovery(self) -> Recovery {
        match self {
            Fault::InvalidSession(false) | Fault::Close(4006 | 4009) | Fault::HeartbeatsIgnored => {
                Recovery::Reidentify
            }
            _ => Recovery::Resume,
        }
    }

    /// Injects the fault into the live connection; returns the gateway
    /// mark from before it. For [`Fault::DropWhileAway`] the bot's new
    /// connection is then waiting at the gate; for
    /// [`Fault::HeartbeatsIgnored`] the bot has noticed and reconnected.
    async fn inject(self, test: &TestBot) -> usize {
        let server = &test.server;
        // The connection an earlier fault replaced may still be closing on a
        // busy machine: wait for it to go, so the fault reaches exactly the
        // bot's one live connection.
        loop {
            let mark = server.gateway_mark();
            if server.live_connections() <= 1 {
                break;
            }
            server
                .wait_for_gateway(
                    mark,
                    "the replaced connection closing",
                    |r| matches!(r.kind, GatewayKind::Closed { .. }),
                    WAIT,
                )
                .await
                .unwrap();
        }
        let mark = server.gateway_mark();
        let new_connection = |mark| async move {
            server
                .wait_for_gateway(
                    mark,
                    "the bot reconnecting",
                    |r| matches!(r.kind, GatewayKind::Connected { .. }),
                    WAIT,
                )
                .await
                .unwrap();
        };
        let hit = match self {
            Fault::Drop => server.drop_connections(),
            Fault::DropWhileAway => {
                server.set_gateway_open(false);
                let hit = server.drop_connections();
                new_connection(mark).await;
                hit
            }
            Fault::Reconnect => server.send_reconnect(),
            Fault::InvalidSession(resumable) => server.invalidate_sessions(resumable),
            Fault::Close(code) => server.close_connections(code, "closed by the test"),
            Fault::HeartbeatsIgnored => {
                server.set_heartbeat_acks(false);
                // serenity notices the missing ACK at its next heartbeat.
                new_connection(mark).await;
                server.set_heartbeat_acks(true);
                1
            }
        };
        assert_eq!(hit, 1, "{self:?} reached the bot's one connection");
        mark
    }

    /// Waits until the bot has its session back (RESUMED or READY after
    /// `mark`, as [`Fault::recovery`] says) and checks it took that path.
    async fn await_recovery(self, test: &TestBot, mark: usize) {
        if self == Fault::DropWhileAway {
            test.server.set_gateway_open(true);
        }
        match self.recovery() {
            Recovery::Resume => {
                test.server.wait_for_resumed(mark).await.unwrap();
            }
            Recovery::Reidentify => {
                test.server.wait_for_ready(mark).await.unwrap();
            }
        }
        let identified = test
            .server
            .gateway_records()
            .iter()
            .skip(mark)
            .any(|r| r.is_client_op(2));
        assert_eq!(
            identified,
            self.recovery() == Recovery::Reidentify,
            "{self:?}: IDENTIFY only when the session is gone"
        );
    }
}

/// One fault on a ready bot: questions asked while it recovers (for a
/// resume) and after; all answered once; a re-identify registers nothing.
async fn survives(fault: Fault) {
    let test = TestBot::start_with(
        ServerConfig {
            heartbeat_interval: Duration::from_millis(500),
            ..ServerConfig::default()
        },
        |_, _| {},
    )
    .await;
    let mark = fault.inject(&test).await;
    let mut questions = Vec::new();
    if fault.recovery() == Recovery::Resume {
        questions.extend(ask_two(&test));
    }
    fault.await_recovery(&test, mark).await;
    questions.extend(ask_two(&test));
    assert_each_answered_once(&test, &questions).await;
    let expected_identifies = match fault.recovery() {
        Recovery::Resume => 1,
        Recovery::Reidentify => 2,
    };
    assert_eq!(identify_count(&test), expected_identifies);
    assert_eq!(registration_count(&test), 1, "commands are registered once");
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn close_code_1000_resumes_and_keeps_answering() {
    survives(Fault::Close(1000)).await;
}

#[tokio::test]
async fn close_code_4006_identifies_again_without_registering_again() {
    survives(Fault::Close(4006)).await;
}

#[tokio::test]
async fn close_code_4009_identifies_again_without_registering_again() {
    survives(Fault::Close(4009)).await;
}

#[tokio::test]
async fn a_zombied_connection_is_replaced_without_registering_again() {
    survives(Fault::HeartbeatsIgnored).await;
}

/// Questions in the scripted run, and how often a fault strikes.
const RUN_QUESTIONS: usize = 200;
const FAULT_EVERY: usize = 20;

/// The faults of the scripted run, in order: mostly resumable, four that
/// make serenity identify again (each costs up to serenity's 5 s between
/// identifies).
const RUN_FAULTS: [Fault; 10] = [
    Fault::Drop,
    Fault::Reconnect,
    Fault::InvalidSession(true),
    Fault::HeartbeatsIgnored,
    Fault::Close(4000),
    Fault::DropWhileAway,
    Fault::InvalidSession(false),
    Fault::Close(1000),
    Fault::Close(4006),
    Fault::Close(4009),
];

/// The `n`th question of the run: varied askers, channels and topics.
fn run_question(test: &TestBot, n: usize) -> Posted {
    let world = test.world().clone();
    let mention = world.bot.mention();
    let topics = [
        "what's the salary?",
        "do i need a degree",
        "is the field growing?",
        "what certifications help",
        "where do they work",
    ];
    let topic = topics[n % topics.len()];
    match n % 3 {
        0 => test.ask(&world.student, topic),
        1 => test.say(
            &world.classmate,
            &world.study_group,
            &format!("{mention} {topic}"),
        ),
        _ => test.say(&world.student, &world.student_dm, topic),
    }
}

#[tokio::test]
async fn two_hundred_questions_through_a_fault_every_twenty() {
    let started = std::time::Instant::now();
    let test = TestBot::start_with(
        ServerConfig {
            heartbeat_interval: Duration::from_millis(500),
            ..ServerConfig::default()
        },
        |_, _| {},
    )
    .await;
    let mut questions: Vec<Posted> = Vec::new();
    let mut faults = Vec::new();
    for n in 0..RUN_QUESTIONS {
        if n % FAULT_EVERY == 0 {
            let fault = RUN_FAULTS[(n / FAULT_EVERY) % RUN_FAULTS.len()];
            if fault.recovery() == Recovery::Reidentify {
                // Events not yet delivered when a session ends are gone
                // (Discord does not replay them after IDENTIFY), so let
                // the bot take delivery of what was asked so far.
                for question in &questions {
                    test.reply_to(question).await;
                }
            }
            let mark = fault.inject(&test).await;
            if fault.recovery() == Recovery::Resume {
                // Asked while the bot is away or reconnecting: delivered
                // live or replayed after the RESUME.
                for k in 0..FAULT_EVERY / 2 {
                    questions.push(run_question(&test, n + k));
                }
            }
            fault.await_recovery(&test, mark).await;
            faults.push(fault);
        }
        if questions.len() <= n {
            questions.push(run_question(&test, n));
        }
    }
    assert_eq!(questions.len(), RUN_QUESTIONS);

    for question in &questions {
        test.reply_to(question).await;
    }
    let requests = test.server.requests();
    let mut twice = Vec::new();
    let mut answered = 0;
    for question in &questions {
        match requests
            .iter()
            .filter(|r| r.is_reply_to(&question.id))
            .count()
        {
            0 => {}
            1 => answered += 1,
            _ => twice.push(question.id.clone()),
        }
    }
    let replayed = replayed_message_creates(&test);
    let reidentified = faults
        .iter()
        .filter(|f| f.recovery() == Recovery::Reidentify)
        .count();
    eprintln!(
        "fault run: {} questions, {} faults ({} resumed, {} re-identified), \
         {answered} answered, {} answered twice, {replayed} MESSAGE_CREATE replayed, {:.1?}",
        questions.len(),
        faults.len(),
        faults.len() - reidentified,
        reidentified,
        twice.len(),
        started.elapsed()
    );
    assert!(twice.is_empty(), "answered more than once: {twice:?}");
    assert_eq!(answered, RUN_QUESTIONS);
    assert!(replayed > 0, "some questions were replayed after a RESUME");
    assert_eq!(identify_count(&test), 1 + reidentified);
    assert_eq!(registration_count(&test), 1, "commands are registered once");
    test.assert_nothing_rejected();
}

/// How many MESSAGE_CREATE dispatches the server has replayed after RESUMEs.
fn replayed_message_creates(test: &TestBot) -> usize {
    test.server
        .gateway_records()
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                GatewayKind::ToClient { replay: true, event: Some(ref e), .. }
                    if e == "MESSAGE_CREATE"
            )
        })
        .count()
}
