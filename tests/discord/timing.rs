//! The reply time through the loopback server, measured with the helper a
//! benchmark can call. Reported, not asserted: a timed test would be flaky.

use crate::support::timing::measure_reply_times;
use crate::support::TestBot;

#[tokio::test]
async fn reply_time_is_measured_for_sequential_questions() {
    let test = TestBot::start().await;
    let times = measure_reply_times(&test.server, 40, "how much do they make?")
        .await
        .expect("every question is answered");
    assert_eq!(times.samples.len(), 40);
    eprintln!(
        "reply time over {} questions: median {:?}, p90 {:?}, max {:?}, mean {:?}",
        times.samples.len(),
        times.median(),
        times.quantile(0.9),
        times.quantile(1.0),
        times.mean()
    );
    test.assert_nothing_rejected();
}
