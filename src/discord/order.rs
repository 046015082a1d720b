//! Replies in the order the questions were asked, per channel.
//!
//! serenity runs every event handler in its own task, so two questions
//! asked one after the other in a channel can be handled in either order,
//! and a reply waiting out a rate limit would be overtaken by the next one.
//! To keep each channel's replies in question order:
//!
//! 1. A collector on each shard ([`ReplyOrder::install`]) sees every
//!    gateway event synchronously, in the order Discord sent them, before
//!    serenity spawns the handlers. For each message the bot will consider,
//!    it queues a ticket in the message's channel ([`ReplyOrder::register`]).
//! 2. The message handler takes its ticket ([`ReplyOrder::check_in`]),
//!    composes the answer, then waits for its [`Turn`]: until every earlier
//!    ticket of the channel is released. It sends while holding the turn
//!    and releases it by dropping the [`Turn`], on every path.
//!
//! Channels are independent: replies in different channels go out
//! concurrently. Holding the turn across the send also serialises a
//! channel's requests, which is what lets serenity's rate limiter pace
//! them (it learns a bucket's limits from the previous response).
//!
//! Bounded and never stuck: at most [`OrderLimits::per_channel`] tickets
//! wait in a channel (later messages are answered unordered, with a
//! warning); a ticket whose handler has not checked in within
//! [`OrderLimits::check_in_grace`] is dropped; no handler waits longer
//! than [`OrderLimits::max_wait`]. A message without a ticket (it arrived
//! before the collector was installed after a READY) is answered at once.
//! Lines and tickets live behind one `std::sync::Mutex` that is never held
//! across an `.await`; waiting uses a `tokio::sync::Notify` per channel.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serenity::all::{ChannelId, CollectorCallback, Event, Message, MessageId, ShardMessenger};
use tokio::sync::Notify;

/// The bounds of the reply order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderLimits {
    /// Most tickets waiting in one channel.
    pub per_channel: usize,
    /// How long a ticket may wait for its handler to check in before later
    /// replies stop waiting for it.
    pub check_in_grace: Duration,
    /// Longest a reply waits for its turn; after that it is sent anyway.
    pub max_wait: Duration,
}

impl Default for OrderLimits {
    fn default() -> Self {
        OrderLimits {
            per_channel: 256,
            check_in_grace: Duration::from_secs(5),
            max_wait: Duration::from_secs(300),
        }
    }
}

/// One message waiting to be answered in order.
#[derive(Debug)]
struct Ticket {
    id: u64,
    message: MessageId,
    registered: Instant,
    checked_in: bool,
}

/// The tickets of one channel, oldest first.
#[derive(Debug, Default)]
struct Line {
    tickets: VecDeque<Ticket>,
    released: Arc<Notify>,
}

#[derive(Debug, Default)]
struct Lines {
    channels: HashMap<ChannelId, Line>,
    next_ticket: u64,
    /// Per shard, the generation of its current collector: each READY
    /// installs a new one, and older ones still attached to the shard
    /// remove themselves.
    generations: HashMap<u32, Arc<AtomicU64>>,
}

/// What a waiting reply should do next.
enum Next {
    /// Every earlier ticket is released: send.
    Go,
    /// Wait for a release, or until this instant (when an earlier ticket
    /// that has not checked in goes stale).
    Wait(Option<Instant>),
}

/// The per-channel reply order of the whole process (all shards).
#[derive(Debug, Default)]
pub struct ReplyOrder {
    lines: Mutex<Lines>,
    limits: OrderLimits,
}

impl ReplyOrder {
    /// An empty order with `limits`.
    pub fn new(limits: OrderLimits) -> ReplyOrder {
        ReplyOrder {
            lines: Mutex::default(),
            limits,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Lines> {
        self.lines.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a ticket for `message` in `channel`. Called in gateway order.
    /// Returns false when the channel's line is full (the message will be
    /// answered unordered). A message already queued is not queued twice.
    pub fn register(&self, channel: ChannelId, message: MessageId) -> bool {
        let mut lines = self.lock();
        let id = lines.next_ticket;
        let line = lines.channels.entry(channel).or_default();
        if line.tickets.iter().any(|ticket| ticket.message == message) {
            return true;
        }
        if line.tickets.len() >= self.limits.per_channel {
            tracing::warn!(
                %channel,
                %message,
                waiting = line.tickets.len(),
                "too many replies waiting in this channel; this one may overtake earlier ones"
            );
            return false;
        }
        line.tickets.push_back(Ticket {
            id,
            message,
            registered: Instant::now(),
            checked_in: false,
        });
        lines.next_ticket += 1;
        true
    }

    /// The handler of `message` takes its place in `channel`'s line. The
    /// returned [`Turn`] releases the place when dropped.
    pub fn check_in(self: &Arc<Self>, channel: ChannelId, message: MessageId) -> Turn {
        let mut lines = self.lock();
        let place = lines.channels.get_mut(&channel).and_then(|line| {
            let ticket = line
                .tickets
                .iter_mut()
                .find(|ticket| ticket.message == message && !ticket.checked_in)?;
            ticket.checked_in = true;
            Some((ticket.id, Arc::clone(&line.released)))
        });
        Turn {
            order: Arc::clone(self),
            channel,
            place,
        }
    }

    /// How many tickets wait in `channel` (for tests and diagnostics).
    pub fn waiting(&self, channel: ChannelId) -> usize {
        self.lock()
            .channels
            .get(&channel)
            .map_or(0, |line| line.tickets.len())
    }

    /// How many channels have waiting tickets.
    pub fn busy_channels(&self) -> usize {
        self.lock().channels.len()
    }

    /// Whether ticket `id` may go, dropping stale tickets on the way.
    fn next(&self, channel: ChannelId, id: u64) -> Next {
        let grace = self.limits.check_in_grace;
        let now = Instant::now();
        let mut lines = self.lock();
        let Some(line) = lines.channels.get_mut(&channel) else {
            return Next::Go;
        };
        let before = line.tickets.len();
        line.tickets.retain(|ticket| {
            let stale = !ticket.checked_in && now.duration_since(ticket.registered) >= grace;
            if stale {
                tracing::warn!(
                    %channel,
                    message = %ticket.message,
                    "no handler took this message's place in line; later replies stop waiting for it"
                );
            }
            !stale
        });
        if line.tickets.len() != before {
            line.released.notify_waiters();
        }
        let Some(position) = line.tickets.iter().position(|ticket| ticket.id == id) else {
            return Next::Go;
        };
        if position == 0 {
            return Next::Go;
        }
        let stale_at = line
            .tickets
            .iter()
            .take(position)
            .filter(|ticket| !ticket.checked_in)
            .map(|ticket| ticket.registered + grace)
            .min();
        Next::Wait(stale_at)
    }

    /// Releases ticket `id` and wakes the channel's waiting replies.
    fn release(&self, channel: ChannelId, id: u64) {
        let mut lines = self.lock();
        let Some(line) = lines.channels.get_mut(&channel) else {
            return;
        };
        line.tickets.retain(|ticket| ticket.id != id);
        line.released.notify_waiters();
        if line.tickets.is_empty() {
            lines.channels.remove(&channel);
        }
    }

    /// Installs the collector that queues tickets on the shard `shard_id`
    /// behind `messenger` (called on every READY: a re-identified shard may
    /// run in a new shard runner, without the old collector). A collector
    /// installed earlier for the same shard removes itself at its next
    /// event. Only messages for which `considered` is true get a ticket
    /// (the bot ignores the others and sends nothing for them).
    pub fn install(
        self: &Arc<Self>,
        messenger: &ShardMessenger,
        shard_id: u32,
        considered: impl Fn(&Message) -> bool + Send + Sync + 'static,
    ) {
        let current = Arc::clone(self.lock().generations.entry(shard_id).or_default());
        let generation = current.fetch_add(1, Ordering::AcqRel) + 1;
        let order = Arc::downgrade(self);
        messenger.add_collector(CollectorCallback(Box::new(move |event| {
            if current.load(Ordering::Acquire) != generation {
                return false;
            }
            let Some(order) = order.upgrade() else {
                return false;
            };
            if let Event::MessageCreate(created) = event {
                if considered(&created.message) {
                    order.register(created.message.channel_id, created.message.id);
                }
            }
            true
        })));
        tracing::debug!(
            shard = shard_id,
            generation,
            "reply-order collector installed"
        );
    }
}

/// A reply's place in its channel's line; dropping it lets the next reply
/// go.
#[derive(Debug)]
pub struct Turn {
    order: Arc<ReplyOrder>,
    channel: ChannelId,
    /// The ticket and the channel's release notification; `None` when the
    /// message has no ticket (answered unordered).
    place: Option<(u64, Arc<Notify>)>,
}

impl Turn {
    /// Whether the reply holds a place in line.
    pub fn is_ordered(&self) -> bool {
        self.place.is_some()
    }

    /// Waits until every earlier reply in the channel is done (or gave
    /// up), or [`OrderLimits::max_wait`] passed.
    pub async fn wait(&self) {
        let Some((id, released)) = &self.place else {
            return;
        };
        let give_up_at = Instant::now() + self.order.limits.max_wait;
        loop {
            // Listen before looking, so a release in between is not missed.
            let notified = released.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let stale_at = match self.order.next(self.channel, *id) {
                Next::Go => return,
                Next::Wait(stale_at) => stale_at,
            };
            if Instant::now() >= give_up_at {
                tracing::warn!(
                    channel = %self.channel,
                    waited = ?self.order.limits.max_wait,
                    "earlier replies in this channel are taking too long; sending this one now"
                );
                return;
            }
            let wake_at = stale_at.map_or(give_up_at, |stale_at| stale_at.min(give_up_at));
            let _ = tokio::time::timeout_at(wake_at.into(), notified).await;
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some((id, _)) = &self.place {
            self.order.release(self.channel, *id);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex as StdMutex;

    use super::*;

    const CHANNEL: ChannelId = ChannelId::new(10);

    fn order(limits: OrderLimits) -> Arc<ReplyOrder> {
        Arc::new(ReplyOrder::new(limits))
    }

    fn message(id: u64) -> MessageId {
        MessageId::new(id)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn replies_go_in_ticket_order_whatever_order_handlers_start_in() {
        let order = order(OrderLimits::default());
        for id in 1..=20 {
            assert!(order.register(CHANNEL, message(id)));
        }
        let sent = Arc::new(StdMutex::new(Vec::new()));
        let mut tasks = Vec::new();
        // Handlers start in reverse order; replies must still go 1..=20.
        for id in (1..=20).rev() {
            let order = Arc::clone(&order);
            let sent = Arc::clone(&sent);
            tasks.push(tokio::spawn(async move {
                let turn = order.check_in(CHANNEL, message(id));
                assert!(turn.is_ordered());
                turn.wait().await;
                tokio::task::yield_now().await;
                sent.lock().unwrap().push(id);
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*sent.lock().unwrap(), (1..=20).collect::<Vec<_>>());
        assert_eq!(order.busy_channels(), 0, "empty lines are removed");
    }

    #[tokio::test]
    async fn channels_do_not_wait_for_each_other() {
        let order = order(OrderLimits::default());
        let other = ChannelId::new(11);
        order.register(CHANNEL, message(1));
        order.register(other, message(2));
        let first = order.check_in(CHANNEL, message(1));
        let second = order.check_in(other, message(2));
        // Both may go at once: neither waits for the other's line.
        second.wait().await;
        first.wait().await;
        assert_eq!(order.busy_channels(), 2);
        drop((first, second));
        assert_eq!(order.busy_channels(), 0);
    }

    #[tokio::test]
    async fn a_message_without_a_ticket_goes_at_once() {
        let order = order(OrderLimits::default());
        order.register(CHANNEL, message(1));
        let _first = order.check_in(CHANNEL, message(1));
        let unordered = order.check_in(CHANNEL, message(99));
        assert!(!unordered.is_ordered());
        unordered.wait().await;
    }

    #[tokio::test]
    async fn a_ticket_nobody_checks_in_for_goes_stale() {
        let order = order(OrderLimits {
            check_in_grace: Duration::from_millis(50),
            ..OrderLimits::default()
        });
        order.register(CHANNEL, message(1)); // its handler never comes
        order.register(CHANNEL, message(2));
        let second = order.check_in(CHANNEL, message(2));
        tokio::time::timeout(Duration::from_secs(10), second.wait())
            .await
            .expect("the stale ticket stops blocking");
        assert_eq!(order.waiting(CHANNEL), 1);
    }

    #[tokio::test]
    async fn a_stuck_predecessor_blocks_at_most_max_wait() {
        let order = order(OrderLimits {
            max_wait: Duration::from_millis(50),
            ..OrderLimits::default()
        });
        order.register(CHANNEL, message(1));
        order.register(CHANNEL, message(2));
        let _stuck = order.check_in(CHANNEL, message(1));
        let second = order.check_in(CHANNEL, message(2));
        tokio::time::timeout(Duration::from_secs(10), second.wait())
            .await
            .expect("max_wait bounds the wait");
    }

    #[test]
    fn lines_are_bounded_and_duplicates_ignored() {
        let order = order(OrderLimits {
            per_channel: 3,
            ..OrderLimits::default()
        });
        for id in 1..=3 {
            assert!(order.register(CHANNEL, message(id)));
        }
        assert!(order.register(CHANNEL, message(2)), "already queued");
        assert_eq!(order.waiting(CHANNEL), 3);
        assert!(!order.register(CHANNEL, message(4)), "line full");
        assert_eq!(order.waiting(CHANNEL), 3);
    }

    #[tokio::test]
    async fn a_dropped_turn_releases_its_place() {
        let order = order(OrderLimits::default());
        order.register(CHANNEL, message(1));
        order.register(CHANNEL, message(2));
        let first = order.check_in(CHANNEL, message(1));
        let second = order.check_in(CHANNEL, message(2));
        let waiter = tokio::spawn(async move {
            second.wait().await;
        });
        tokio::task::yield_now().await;
        drop(first);
        tokio::time::timeout(Duration::from_secs(10), waiter)
            .await
            .expect("released")
            .expect("no panic");
    }
}
