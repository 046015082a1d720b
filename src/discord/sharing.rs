//! Posting answers publicly: who may, and what the "Post in channel" button
//! carries.
//!
//! The button's `custom_id` names the topics to post (`post:salary`, or
//! `post:salary,education` for an `/ask` answer covering two), so a click
//! needs no stored state and survives restarts: the answer is composed again
//! from the current knowledge. A `custom_id` is untrusted input and is parsed
//! strictly.

use serenity::all::{CreateActionRow, CreateButton, RoleId, UserId};

use crate::intent::Intent;

/// Prefix of every "Post in channel" button's `custom_id`.
const POST_PREFIX: &str = "post:";

/// Discord's limit on a `custom_id`.
pub const CUSTOM_ID_LIMIT: usize = 100;

/// The button's label.
pub const POST_BUTTON_LABEL: &str = "Post in channel";

/// Ephemeral reply to someone who may not post publicly.
pub const COUNSELORS_ONLY: &str =
    "Only counselors can post answers in the channel. Here is the answer just for you.";

/// Ephemeral reply to a button click or menu use by someone who may not post publicly.
pub const COUNSELORS_ONLY_NO_ANSWER: &str = "Only counselors can post answers in the channel.";

/// The topics a "Post in channel" button posts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostRequest {
    topics: Vec<Intent>,
}

impl PostRequest {
    /// A request for the career topics among `intents` (small talk is
    /// dropped, order and duplicates normalised); `None` when none is left.
    pub fn for_intents(intents: &[Intent]) -> Option<PostRequest> {
        let topics: Vec<Intent> = Intent::TOPICS
            .into_iter()
            .filter(|topic| intents.contains(topic))
            .collect();
        (!topics.is_empty()).then_some(PostRequest { topics })
    }

    /// The topics to post, in [`Intent::ALL`] order.
    pub fn topics(&self) -> &[Intent] {
        &self.topics
    }

    /// The button's `custom_id`, e.g. `post:salary,education`.
    pub fn custom_id(&self) -> String {
        let names: Vec<&str> = self.topics.iter().map(|topic| topic.name()).collect();
        format!("{POST_PREFIX}{}", names.join(","))
    }

    /// The request a `custom_id` encodes; `None` for anything this bot did
    /// not produce (unknown prefix, unknown or non-topic names, too long).
    pub fn parse(custom_id: &str) -> Option<PostRequest> {
        if custom_id.len() > CUSTOM_ID_LIMIT {
            return None;
        }
        let names = custom_id.strip_prefix(POST_PREFIX)?;
        let mut intents = Vec::new();
        for name in names.split(',') {
            let intent = Intent::from_name(name).filter(|intent| intent.is_topic())?;
            intents.push(intent);
        }
        PostRequest::for_intents(&intents)
    }

    /// The "Post in channel" button.
    pub fn button(&self) -> CreateButton {
        CreateButton::new(self.custom_id()).label(POST_BUTTON_LABEL)
    }

    /// The action row holding the "Post in channel" button alone.
    pub fn button_row(&self) -> CreateActionRow {
        CreateActionRow::Buttons(vec![self.button()])
    }
}

/// Whether a user may post answers publicly: always when no counselor
/// roles are configured or outside a guild (a DM has no audience to
/// flood); otherwise only members holding one of `counselor_roles`.
pub fn may_post_publicly(
    counselor_roles: &[RoleId],
    in_guild: bool,
    member_roles: &[RoleId],
) -> bool {
    counselor_roles.is_empty()
        || !in_guild
        || member_roles
            .iter()
            .any(|role| counselor_roles.contains(role))
}

/// The attribution line of a shared answer. It renders as a mention but
/// pings nobody: every message carries allowed mentions that allow nothing.
pub fn shared_by(user: UserId) -> String {
    format!("Shared by <@{user}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_round_trip_and_fit_discord_limit() {
        for topic in Intent::TOPICS {
            let request = PostRequest::for_intents(&[topic]);
            let id = request
                .as_ref()
                .map(PostRequest::custom_id)
                .unwrap_or_default();
            assert_eq!(id, format!("post:{}", topic.name()));
            assert_eq!(PostRequest::parse(&id), request);
        }
        let everything = PostRequest::for_intents(&Intent::ALL);
        let id = everything
            .as_ref()
            .map(PostRequest::custom_id)
            .unwrap_or_default();
        assert!(id.len() <= CUSTOM_ID_LIMIT, "{} chars", id.len());
        assert_eq!(PostRequest::parse(&id), everything);
    }

    #[test]
    fn small_talk_is_never_posted_and_order_is_normalised() {
        assert_eq!(
            PostRequest::for_intents(&[Intent::Greeting, Intent::Thanks]),
            None
        );
        let request = PostRequest::for_intents(&[
            Intent::Salary,
            Intent::Greeting,
            Intent::Education,
            Intent::Salary,
        ]);
        assert_eq!(
            request.map(|r| r.custom_id()),
            Some("post:education,salary".to_string())
        );
    }

    #[test]
    fn forged_custom_ids_are_rejected() {
        for id in [
            "",
            "post:",
            "post:greeting",
            "post:salary,",
            "post:weather",
            "share:salary",
            "POST:salary",
            "post:salary;education",
            &format!("post:{}", vec!["salary"; 20].join(",")),
        ] {
            assert_eq!(PostRequest::parse(id), None, "{id:?}");
        }
    }

    #[test]
    fn counselor_gate() {
        let counselor = RoleId::new(10);
        let student = RoleId::new(20);
        assert!(may_post_publicly(&[], true, &[]));
        assert!(may_post_publicly(&[counselor], true, &[student, counselor]));
        assert!(!may_post_publicly(&[counselor], true, &[student]));
        assert!(!may_post_publicly(&[counselor], true, &[]));
        assert!(may_post_publicly(&[counselor], false, &[]));
    }

    #[test]
    fn button_payload() {
        let request = PostRequest::for_intents(&[Intent::Salary]);
        let row = request.map(|r| r.button_row());
        let value = serde_json::to_value(row).unwrap_or_default();
        assert_eq!(value["type"], 1);
        assert_eq!(value["components"][0]["type"], 2);
        assert_eq!(value["components"][0]["custom_id"], "post:salary");
        assert_eq!(value["components"][0]["label"], POST_BUTTON_LABEL);
        assert_eq!(shared_by(UserId::new(42)), "Shared by <@42>");
    }
}
