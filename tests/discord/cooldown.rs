//! The per-user cooldown: one answer per period per person; a cooled-down
//! person gets one short notice (free text) or a private note (commands),
//! and other people are not affected.

use crate::support::fixture::assert_pings_nobody;
use crate::support::TestBot;

/// Long enough that it cannot run out during a test.
const COOLDOWN_SECONDS: u64 = 600;

async fn with_cooldown() -> TestBot {
    TestBot::configured(|config, _| config.cooldown_seconds = COOLDOWN_SECONDS).await
}

#[tokio::test]
async fn free_text_gets_one_notice_then_silence_and_others_are_unaffected() {
    let test = with_cooldown().await;
    let world = test.world().clone();
    let first = test.ask(&world.student, "what's the salary?");
    let answer = test.reply_to(&first).await;
    assert!(answer.text().contains("$37,110"));

    let second = test.ask(&world.student, "and the job outlook?");
    let notice = test.reply_to(&second).await;
    assert!(
        !notice.text().contains('$'),
        "a notice, not an answer: {}",
        notice.text()
    );
    assert!(notice.text().contains("s"), "{}", notice.text());
    assert_pings_nobody(&notice);

    let third = test.ask(&world.student, "what degree do I need?");
    // Someone else is answered at once; by then the third message was
    // handled and got nothing.
    let other = test.ask(&world.classmate, "what degree do I need?");
    let other_reply = test.reply_to(&other).await;
    assert!(!other_reply.embeds().is_empty());
    let barrier = test.ask(&world.counselor, "what's the salary?");
    test.reply_to(&barrier).await;
    let to_third = test
        .server
        .requests()
        .into_iter()
        .filter(|r| r.is_reply_to(&third.id))
        .count();
    assert_eq!(to_third, 0, "one notice per cooldown, then silence");
}

#[tokio::test]
async fn a_cooled_down_command_gets_a_private_note() {
    let test = with_cooldown().await;
    let world = test.world().clone();
    let first = test.slash(&world.student, "salary", &[]);
    assert!(test.callback(&first).await.text().contains("$37,110"));
    let again = test.slash(&world.student, "outlook", &[]);
    let note = test.callback(&again).await;
    assert_eq!(note.body["type"], 4);
    assert!(note.is_ephemeral(), "{}", note.raw_body);
    assert!(!note.text().contains('$'), "{}", note.text());
    assert!(note.text().contains("wait"), "{}", note.text());
    let other = test.slash(&world.classmate, "salary", &[]);
    assert!(test.callback(&other).await.text().contains("$37,110"));
}
