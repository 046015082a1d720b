//! The per-user cooldown that keeps one person from flooding a channel
//! through the bot.
//!
//! Pure bookkeeping: the caller passes the current time, so tests drive the
//! clock. A user who was answered less than `period` ago is cooling down
//! until `period` after that answer; refused attempts do not extend it.
//! The first refusal in a window is flagged so free-text replies can send
//! one short notice and then stay silent.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Entries kept before expired ones are pruned (then the threshold grows
/// with the number of live entries, keeping pruning amortised).
const PRUNE_THRESHOLD: usize = 1024;

/// Whether a user may be answered now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Answer; the cooldown restarts now.
    Allowed,
    /// Too soon.
    CoolingDown {
        /// Time left until the user may be answered again.
        remaining: Duration,
        /// True for the first refusal since the last answer: the one time a
        /// free-text notice is worth sending.
        first_refusal: bool,
    },
}

#[derive(Clone, Copy, Debug)]
struct UserState {
    answered_at: Instant,
    refused_since: bool,
}

/// Per-user cooldown state.
#[derive(Debug)]
pub struct Cooldown {
    period: Duration,
    users: HashMap<u64, UserState>,
    prune_at: usize,
}

impl Cooldown {
    /// A cooldown of `period` per user; zero disables it.
    pub fn new(period: Duration) -> Cooldown {
        Cooldown {
            period,
            users: HashMap::new(),
            prune_at: PRUNE_THRESHOLD,
        }
    }

    /// Decides for `user` at time `now`, recording an answer when allowed.
    pub fn check(&mut self, user: u64, now: Instant) -> Verdict {
        if self.period.is_zero() {
            return Verdict::Allowed;
        }
        if let Some(state) = self.users.get_mut(&user) {
            let elapsed = now.saturating_duration_since(state.answered_at);
            if elapsed < self.period {
                let first_refusal = !state.refused_since;
                state.refused_since = true;
                return Verdict::CoolingDown {
                    remaining: self.period - elapsed,
                    first_refusal,
                };
            }
        }
        self.users.insert(
            user,
            UserState {
                answered_at: now,
                refused_since: false,
            },
        );
        if self.users.len() >= self.prune_at {
            self.prune(now);
        }
        Verdict::Allowed
    }

    /// Number of users currently tracked.
    pub fn tracked_users(&self) -> usize {
        self.users.len()
    }

    fn prune(&mut self, now: Instant) {
        let period = self.period;
        self.users
            .retain(|_, state| now.saturating_duration_since(state.answered_at) < period);
        self.prune_at = (self.users.len() * 2).max(PRUNE_THRESHOLD);
    }
}

/// Whole seconds to tell a user to wait, rounded up so "0 s" never shows.
pub fn wait_seconds(remaining: Duration) -> u64 {
    let seconds = remaining.as_secs() + u64::from(remaining.subsec_nanos() > 0);
    seconds.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIVE: Duration = Duration::from_secs(5);

    #[test]
    fn second_request_within_the_period_is_refused() {
        let start = Instant::now();
        let mut cooldown = Cooldown::new(FIVE);
        assert_eq!(cooldown.check(1, start), Verdict::Allowed);
        assert_eq!(
            cooldown.check(1, start + Duration::from_secs(2)),
            Verdict::CoolingDown {
                remaining: Duration::from_secs(3),
                first_refusal: true
            }
        );
        assert_eq!(
            cooldown.check(1, start + Duration::from_secs(4)),
            Verdict::CoolingDown {
                remaining: Duration::from_secs(1),
                first_refusal: false
            }
        );
        assert_eq!(cooldown.check(1, start + FIVE), Verdict::Allowed);
    }

    #[test]
    fn refusals_do_not_extend_the_window_and_notices_reset_after_an_answer() {
        let start = Instant::now();
        let mut cooldown = Cooldown::new(FIVE);
        assert_eq!(cooldown.check(7, start), Verdict::Allowed);
        for second in 1..5 {
            assert!(matches!(
                cooldown.check(7, start + Duration::from_secs(second)),
                Verdict::CoolingDown { .. }
            ));
        }
        let later = start + Duration::from_secs(6);
        assert_eq!(cooldown.check(7, later), Verdict::Allowed);
        assert!(matches!(
            cooldown.check(7, later + Duration::from_secs(1)),
            Verdict::CoolingDown {
                first_refusal: true,
                ..
            }
        ));
    }

    #[test]
    fn users_are_independent() {
        let now = Instant::now();
        let mut cooldown = Cooldown::new(FIVE);
        assert_eq!(cooldown.check(1, now), Verdict::Allowed);
        assert_eq!(cooldown.check(2, now), Verdict::Allowed);
        assert!(matches!(
            cooldown.check(1, now),
            Verdict::CoolingDown { .. }
        ));
    }

    #[test]
    fn zero_period_disables_the_cooldown() {
        let now = Instant::now();
        let mut cooldown = Cooldown::new(Duration::ZERO);
        for _ in 0..3 {
            assert_eq!(cooldown.check(1, now), Verdict::Allowed);
        }
        assert_eq!(cooldown.tracked_users(), 0);
    }

    #[test]
    fn expired_users_are_pruned() {
        let start = Instant::now();
        let mut cooldown = Cooldown::new(FIVE);
        for user in 0..(PRUNE_THRESHOLD as u64 - 1) {
            cooldown.check(user, start);
        }
        let later = start + Duration::from_secs(10);
        cooldown.check(u64::MAX, later);
        assert_eq!(cooldown.tracked_users(), 1);
    }

    #[test]
    fn wait_is_rounded_up_to_whole_seconds() {
        assert_eq!(wait_seconds(Duration::from_millis(1)), 1);
        assert_eq!(wait_seconds(Duration::from_millis(2001)), 3);
        assert_eq!(wait_seconds(Duration::from_secs(4)), 4);
        assert_eq!(wait_seconds(Duration::ZERO), 1);
    }
}
