//! What keeps the bot from flooding a channel, and nothing more: it never
//! refuses or drops a question.
//!
//! Two limits, both on **public** posts only. Private answers (ephemeral
//! slash answers), DMs, small talk, `/help`, `/sources`, and counselors are
//! never limited; the callers decide that and do not ask here.
//!
//! - [`Limits::free_text_room`]: public free-text answers (mentions, listen
//!   channels) have a bucket per person **and channel**: `burst` answers at
//!   once, refilled one every `burst_period / burst` (the generic cell rate
//!   algorithm of the `governor` crate). When the bucket is empty the
//!   answer waits for room and is then sent; it is never dropped.
//! - [`Limits::claim_topics`]: the same topic posted publicly again in the
//!   same channel within `repeat_window` is not posted again; the caller
//!   gives the asker a private reply with a link to the earlier post.
//!
//! State is behind `std::sync` locks taken only in synchronous code (never
//! across an `.await`) and pruned as it grows, so memory stays bounded by
//! recent activity.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use governor::{DefaultKeyedRateLimiter, Quota};
use serenity::all::{ChannelId, UserId};

use crate::intent::Intent;

/// Entries kept before expired ones are pruned (the threshold then grows
/// with the number of live entries, keeping pruning amortised).
const PRUNE_THRESHOLD: usize = 1024;

/// A person in a channel: the key of a free-text bucket.
type BucketKey = (u64, u64);

/// The configured limits and their state.
#[derive(Debug)]
pub struct Limits {
    free_text: Option<DefaultKeyedRateLimiter<BucketKey>>,
    /// Bucket count at which full buckets are next dropped (then twice the
    /// live count, keeping pruning amortised).
    prune_buckets_at: AtomicUsize,
    repeats: Mutex<RecentPosts>,
}

/// How long a public free-text answer had to wait for room.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Room {
    /// There was room at once.
    Now,
    /// It waited this long.
    Waited(Duration),
}

impl Limits {
    /// Limits with free-text buckets of `burst` answers refilled over
    /// `burst_period` (`burst` 0: no bucket), and no repeat of a topic in a
    /// channel within `repeat_window` (zero: repeats allowed).
    pub fn new(burst: u32, burst_period: Duration, repeat_window: Duration) -> Limits {
        let free_text = NonZeroU32::new(burst).and_then(|burst| {
            let quota = Quota::with_period(burst_period / burst.get())?;
            Some(DefaultKeyedRateLimiter::keyed(quota.allow_burst(burst)))
        });
        Limits {
            free_text,
            prune_buckets_at: AtomicUsize::new(PRUNE_THRESHOLD),
            repeats: Mutex::new(RecentPosts::new(repeat_window)),
        }
    }

    /// Takes room for one public answer in `user`'s bucket in `channel`
    /// if there is some now (or there is no bucket); false when the bucket
    /// is empty.
    pub fn free_text_room_now(&self, user: UserId, channel: ChannelId) -> bool {
        let Some(limiter) = &self.free_text else {
            return true;
        };
        let allowed = limiter.check_key(&(user.get(), channel.get())).is_ok();
        if allowed {
            self.prune_buckets(limiter);
        }
        allowed
    }

    /// Waits until `user`'s bucket in `channel` has room for one more
    /// public answer, and takes it. Returns at once when it has room or
    /// there is no bucket.
    pub async fn free_text_room(&self, user: UserId, channel: ChannelId) -> Room {
        let Some(limiter) = &self.free_text else {
            return Room::Now;
        };
        let key = (user.get(), channel.get());
        let started = Instant::now();
        let mut waited = false;
        loop {
            // The limiter's lock is released when `check_key` returns.
            let wait = match limiter.check_key(&key) {
                Ok(()) => break,
                Err(not_until) => {
                    not_until.wait_time_from(governor::clock::Clock::now(limiter.clock()))
                }
            };
            waited = true;
            tokio::time::sleep(wait).await;
        }
        self.prune_buckets(limiter);
        if waited {
            Room::Waited(started.elapsed())
        } else {
            Room::Now
        }
    }

    /// Drops the buckets that are full again (people who have not asked
    /// for a while), once there are many.
    fn prune_buckets(&self, limiter: &DefaultKeyedRateLimiter<BucketKey>) {
        if limiter.len() < self.prune_buckets_at.load(Ordering::Relaxed) {
            return;
        }
        limiter.retain_recent();
        let next = (limiter.len() * 2).max(PRUNE_THRESHOLD);
        self.prune_buckets_at.store(next, Ordering::Relaxed);
    }

    /// Claims a public post of `topics` in `channel` at `now`. When every
    /// topic was already posted there within the repeat window, nothing is
    /// claimed and the earlier posts are returned instead (their links,
    /// where known). Otherwise the topics are recorded as posted now; the
    /// caller then calls [`Limits::posted`] with the post's link, or
    /// [`Limits::not_posted`] when posting failed.
    pub fn claim_topics(
        &self,
        channel: ChannelId,
        topics: &[Intent],
        now: Instant,
    ) -> Result<(), Repeat> {
        self.lock_repeats().claim(channel, topics, now)
    }

    /// Records the link of the post of `topics` in `channel`.
    pub fn posted(&self, channel: ChannelId, topics: &[Intent], link: &str) {
        self.lock_repeats().set_link(channel, topics, link);
    }

    /// Forgets a claim whose post did not happen.
    pub fn not_posted(&self, channel: ChannelId, topics: &[Intent]) {
        self.lock_repeats().forget(channel, topics);
    }

    fn lock_repeats(&self) -> std::sync::MutexGuard<'_, RecentPosts> {
        self.repeats.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Every topic of a public post was posted in the channel moments ago.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repeat {
    /// The links of the earlier posts, one per distinct post, oldest
    /// first; empty while the earlier post is still on its way.
    pub links: Vec<String>,
    /// How long ago the most recent of them was posted.
    pub ago: Duration,
}

#[derive(Clone, Debug)]
struct RecentPost {
    at: Instant,
    link: Option<String>,
}

/// The topics posted publicly per channel within the repeat window.
#[derive(Debug)]
struct RecentPosts {
    window: Duration,
    posts: HashMap<(ChannelId, Intent), RecentPost>,
    prune_at: usize,
}

impl RecentPosts {
    fn new(window: Duration) -> RecentPosts {
        RecentPosts {
            window,
            posts: HashMap::new(),
            prune_at: PRUNE_THRESHOLD,
        }
    }

    fn claim(&mut self, channel: ChannelId, topics: &[Intent], now: Instant) -> Result<(), Repeat> {
        if self.window.is_zero() || topics.is_empty() {
            return Ok(());
        }
        let recent: Option<Vec<&RecentPost>> = topics
            .iter()
            .map(|topic| {
                self.posts
                    .get(&(channel, *topic))
                    .filter(|post| now.saturating_duration_since(post.at) < self.window)
            })
            .collect();
        if let Some(mut recent) = recent {
            recent.sort_by_key(|post| post.at);
            let mut links: Vec<String> = Vec::new();
            for link in recent.iter().filter_map(|post| post.link.clone()) {
                if !links.contains(&link) {
                    links.push(link);
                }
            }
            let latest = recent.last().map_or(now, |post| post.at);
            return Err(Repeat {
                links,
                ago: now.saturating_duration_since(latest),
            });
        }
        for topic in topics {
            self.posts.insert(
                (channel, *topic),
                RecentPost {
                    at: now,
                    link: None,
                },
            );
        }
        if self.posts.len() >= self.prune_at {
            let window = self.window;
            self.posts
                .retain(|_, post| now.saturating_duration_since(post.at) < window);
            self.prune_at = (self.posts.len() * 2).max(PRUNE_THRESHOLD);
        }
        Ok(())
    }

    fn set_link(&mut self, channel: ChannelId, topics: &[Intent], link: &str) {
        for topic in topics {
            if let Some(post) = self.posts.get_mut(&(channel, *topic)) {
                post.link = Some(link.to_string());
            }
        }
    }

    fn forget(&mut self, channel: ChannelId, topics: &[Intent]) {
        for topic in topics {
            self.posts.remove(&(channel, *topic));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    fn channel(id: u64) -> ChannelId {
        ChannelId::new(id)
    }

    #[test]
    fn a_topic_posted_moments_ago_in_the_channel_is_a_repeat() {
        let start = Instant::now();
        let mut recent = RecentPosts::new(MINUTE);
        assert_eq!(recent.claim(channel(1), &[Intent::Salary], start), Ok(()));
        recent.set_link(channel(1), &[Intent::Salary], "link-1");
        let again = recent.claim(
            channel(1),
            &[Intent::Salary],
            start + Duration::from_secs(20),
        );
        assert_eq!(
            again,
            Err(Repeat {
                links: vec!["link-1".to_string()],
                ago: Duration::from_secs(20)
            })
        );
        // Another channel, or after the window: posted again.
        assert_eq!(recent.claim(channel(2), &[Intent::Salary], start), Ok(()));
        assert_eq!(
            recent.claim(channel(1), &[Intent::Salary], start + MINUTE),
            Ok(())
        );
    }

    #[test]
    fn a_post_with_a_new_topic_is_not_a_repeat() {
        let start = Instant::now();
        let mut recent = RecentPosts::new(MINUTE);
        assert_eq!(recent.claim(channel(1), &[Intent::Salary], start), Ok(()));
        assert_eq!(
            recent.claim(channel(1), &[Intent::Salary, Intent::Education], start),
            Ok(())
        );
        let both = recent.claim(channel(1), &[Intent::Education, Intent::Salary], start);
        assert!(both.is_err(), "{both:?}");
    }

    #[test]
    fn a_failed_post_is_forgotten_and_a_zero_window_allows_repeats() {
        let start = Instant::now();
        let mut recent = RecentPosts::new(MINUTE);
        assert_eq!(recent.claim(channel(1), &[Intent::Outlook], start), Ok(()));
        recent.forget(channel(1), &[Intent::Outlook]);
        assert_eq!(recent.claim(channel(1), &[Intent::Outlook], start), Ok(()));
        let mut off = RecentPosts::new(Duration::ZERO);
        for _ in 0..3 {
            assert_eq!(off.claim(channel(1), &[Intent::Outlook], start), Ok(()));
        }
    }

    #[test]
    fn old_posts_are_pruned() {
        let start = Instant::now();
        let mut recent = RecentPosts::new(MINUTE);
        for id in 1..PRUNE_THRESHOLD as u64 {
            assert_eq!(recent.claim(channel(id), &[Intent::Duties], start), Ok(()));
        }
        let later = start + 2 * MINUTE;
        assert_eq!(
            recent.claim(channel(u64::MAX), &[Intent::Duties], later),
            Ok(())
        );
        assert_eq!(recent.posts.len(), 1);
    }

    #[tokio::test]
    async fn the_bucket_lets_a_burst_through_then_delays_without_dropping() {
        let limits = Limits::new(2, Duration::from_millis(200), Duration::ZERO);
        let (user, room) = (UserId::new(1), channel(1));
        assert_eq!(limits.free_text_room(user, room).await, Room::Now);
        assert_eq!(limits.free_text_room(user, room).await, Room::Now);
        // Another person, or the same person elsewhere, has a bucket of
        // their own.
        assert_eq!(limits.free_text_room(UserId::new(2), room).await, Room::Now);
        assert_eq!(limits.free_text_room(user, channel(2)).await, Room::Now);
        match limits.free_text_room(user, room).await {
            Room::Waited(waited) => assert!(waited >= Duration::from_millis(50), "{waited:?}"),
            Room::Now => panic!("the third answer in the burst waits"),
        }
    }

    #[tokio::test]
    async fn no_bucket_when_the_burst_is_zero() {
        let limits = Limits::new(0, Duration::from_secs(30), MINUTE);
        for _ in 0..10 {
            assert_eq!(
                limits.free_text_room(UserId::new(1), channel(1)).await,
                Room::Now
            );
        }
    }
}
