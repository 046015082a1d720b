//! Which channel a thread or forum post belongs to, for listen channels.
//!
//! A message in a thread (or a forum post, which is a thread) carries the
//! thread's id as its channel, not its parent's. Discord's channel object
//! for a thread names the parent (`parent_id`), so the bot asks for it once
//! per channel it has not seen (GET /channels/{id}, through the one
//! delivery path) and remembers the answer: the parent for a thread, none
//! for any other channel (whose `parent_id` is its category). Mentions need
//! none of this; only listen channels do, and only for messages in
//! channels that are not listen channels themselves.
//!
//! The memory is bounded ([`MEMORY`] channels; it starts afresh when
//! full) and behind a `std::sync` lock never held across an `.await`.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serenity::all::{Channel, ChannelId, ChannelType, Http};

use super::delivery::deliver;

/// Channels remembered at most.
pub const MEMORY: usize = 4096;

/// The parents of the channels seen so far.
#[derive(Debug, Default)]
pub struct ThreadParents {
    known: Mutex<HashMap<ChannelId, Option<ChannelId>>>,
}

impl ThreadParents {
    /// What is known of `channel`: `Some(Some(parent))` for a thread,
    /// `Some(None)` for another channel, `None` when not looked up yet.
    pub fn known(&self, channel: ChannelId) -> Option<Option<ChannelId>> {
        self.known
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&channel)
            .copied()
    }

    /// Records that `channel`'s parent is `parent` (`None`: not a thread).
    pub fn remember(&self, channel: ChannelId, parent: Option<ChannelId>) {
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        if known.len() >= MEMORY {
            known.clear();
        }
        known.insert(channel, parent);
    }

    /// The parent of `channel` if it is a thread or forum post, asking
    /// Discord the first time. A failed look-up is logged, treated as "not
    /// a thread" and not remembered.
    pub async fn parent(&self, http: &Http, channel: ChannelId) -> Option<ChannelId> {
        if let Some(known) = self.known(channel) {
            return known;
        }
        let fetched = deliver(format!("look-up of channel {channel}"), || {
            channel.to_channel(http)
        })
        .await;
        match fetched {
            Ok(found) => {
                let parent = thread_parent(&found);
                self.remember(channel, parent);
                parent
            }
            Err(error) => {
                tracing::warn!(%error, "cannot tell whether the channel is a thread");
                None
            }
        }
    }
}

/// The parent of a thread channel; `None` for anything else.
pub fn thread_parent(channel: &Channel) -> Option<ChannelId> {
    let Channel::Guild(channel) = channel else {
        return None;
    };
    matches!(
        channel.kind,
        ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::NewsThread
    )
    .then_some(channel.parent_id)
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(json: serde_json::Value) -> Channel {
        serde_json::from_value(json).expect("a channel object")
    }

    #[test]
    fn only_threads_have_a_parent_here() {
        let thread = channel(serde_json::json!({
            "id": "30", "type": 11, "guild_id": "1", "parent_id": "20", "name": "t"
        }));
        assert_eq!(thread_parent(&thread), Some(ChannelId::new(20)));
        let in_category = channel(serde_json::json!({
            "id": "31", "type": 0, "guild_id": "1", "parent_id": "5", "name": "general"
        }));
        assert_eq!(thread_parent(&in_category), None);
    }

    #[test]
    fn the_memory_is_bounded() {
        let parents = ThreadParents::default();
        for id in 1..=MEMORY as u64 {
            parents.remember(ChannelId::new(id), None);
        }
        assert_eq!(parents.known(ChannelId::new(1)), Some(None));
        parents.remember(ChannelId::new(u64::MAX), Some(ChannelId::new(3)));
        assert_eq!(parents.known(ChannelId::new(1)), None, "started afresh");
        assert_eq!(
            parents.known(ChannelId::new(u64::MAX)),
            Some(Some(ChannelId::new(3)))
        );
    }
}
