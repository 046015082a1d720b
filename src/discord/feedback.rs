//! 👍/👎 on answers, and what a 👎 voter was looking for.
//!
//! Answers that carry a career topic (not small talk, not the "what I can
//! answer" reply) get a 👍 and a 👎 button when the bot runs with a store,
//! beside the "Post in channel" button where that appears (three buttons,
//! within Discord's five per row). The `custom_id` carries everything a
//! vote needs, so no state is kept between the answer and the click:
//!
//! - `vote:up:<topics>` and `vote:down:<topics>`, the topics comma-joined
//!   (`vote:up:salary,education`);
//! - the 👎's modal: `comment:<answer message id>`, one optional paragraph
//!   input `looking_for` of at most [`COMMENT_LIMIT`] characters.
//!
//! The vote is on the message the buttons are on. A 👍 is recorded and
//! thanked privately. A 👎 is recorded at once (so closing the modal loses
//! nothing), then the modal asks what the student was looking for; its
//! submission adds the comment to that vote and is thanked privately. A
//! second vote by the same person replaces the first (the store keeps one
//! per person and answer). Everything goes through the question log, never
//! awaited. A `custom_id` is untrusted input and is parsed strictly.

use serenity::all::{
    ActionRowComponent, ButtonStyle, ComponentInteraction, Context, CreateActionRow, CreateButton,
    CreateInputText, CreateInteractionResponse, CreateModal, InputTextStyle, MessageId,
    ModalInteraction,
};

use super::delivery::{deliver_with, RetryPolicy};
use super::records::{place, user_key};
use super::sharing::CUSTOM_ID_LIMIT;
use super::state::{HandlerError, State};
use crate::intent::Intent;
use crate::store::record::COMMENT_LIMIT;

/// Prefix of the vote buttons' `custom_id`s.
pub const VOTE_PREFIX: &str = "vote:";
/// Prefix of the comment modal's `custom_id`.
pub const COMMENT_PREFIX: &str = "comment:";
/// The comment modal's text input.
pub const COMMENT_INPUT: &str = "looking_for";
/// The comment modal's title.
pub const COMMENT_TITLE: &str = "What were you looking for?";

/// Private thanks for a 👍.
pub const THANKS_UP: &str = "Thanks! Glad that helped.";
/// Private thanks for a comment.
pub const THANKS_COMMENT: &str = "Thanks, a counselor will read this.";
/// Reply to a vote when no store records votes.
pub const NOT_RECORDING: &str = "Feedback isn't being recorded right now.";

/// A vote a button stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vote {
    /// 👍 (true) or 👎.
    pub helpful: bool,
    /// The topics of the answer voted on, in [`Intent::ALL`] order.
    pub topics: Vec<Intent>,
}

impl Vote {
    /// The button's `custom_id`: `vote:up:salary,education`.
    pub fn custom_id(&self) -> String {
        let names: Vec<&str> = self.topics.iter().map(|topic| topic.name()).collect();
        let direction = if self.helpful { "up" } else { "down" };
        format!("{VOTE_PREFIX}{direction}:{}", names.join(","))
    }

    /// The vote a `custom_id` encodes; `None` for anything this bot did
    /// not produce.
    pub fn parse(custom_id: &str) -> Option<Vote> {
        if custom_id.len() > CUSTOM_ID_LIMIT {
            return None;
        }
        let rest = custom_id.strip_prefix(VOTE_PREFIX)?;
        let (direction, names) = rest.split_once(':')?;
        let helpful = match direction {
            "up" => true,
            "down" => false,
            _ => return None,
        };
        let mut named = Vec::new();
        for name in names.split(',') {
            named.push(Intent::from_name(name).filter(|intent| intent.is_topic())?);
        }
        let topics = topics_of(&named)?;
        Some(Vote { helpful, topics })
    }
}

/// The career topics among `intents`, in [`Intent::ALL`] order; `None`
/// when there are none.
fn topics_of(intents: &[Intent]) -> Option<Vec<Intent>> {
    let topics: Vec<Intent> = Intent::TOPICS
        .into_iter()
        .filter(|topic| intents.contains(topic))
        .collect();
    (!topics.is_empty()).then_some(topics)
}

/// The 👍 and 👎 buttons for an answer covering `intents`; `None` when it
/// covers no career topic.
pub fn vote_buttons(intents: &[Intent]) -> Option<[CreateButton; 2]> {
    let topics = topics_of(intents)?;
    let button = |helpful: bool, emoji: char| {
        let vote = Vote {
            helpful,
            topics: topics.clone(),
        };
        CreateButton::new(vote.custom_id())
            .emoji(emoji)
            .style(ButtonStyle::Secondary)
    };
    Some([button(true, '👍'), button(false, '👎')])
}

/// The row of vote buttons alone (free-text replies).
pub fn vote_row(intents: &[Intent]) -> Option<CreateActionRow> {
    vote_buttons(intents).map(|buttons| CreateActionRow::Buttons(buttons.to_vec()))
}

/// The modal asking a 👎 voter on `answer` what they were looking for.
pub fn comment_modal(answer: MessageId) -> CreateModal {
    let input = CreateInputText::new(InputTextStyle::Paragraph, COMMENT_TITLE, COMMENT_INPUT)
        .required(false)
        .max_length(COMMENT_LIMIT as u16)
        .placeholder("A topic, a figure, a question I missed…");
    CreateModal::new(format!("{COMMENT_PREFIX}{answer}"), COMMENT_TITLE)
        .components(vec![CreateActionRow::InputText(input)])
}

/// The answer a comment modal's `custom_id` is about.
pub fn parse_comment_id(custom_id: &str) -> Option<MessageId> {
    let id: u64 = custom_id.strip_prefix(COMMENT_PREFIX)?.parse().ok()?;
    (id != 0).then(|| MessageId::new(id))
}

/// A click on a vote button.
pub async fn handle_vote(
    state: &State,
    ctx: &Context,
    interaction: &ComponentInteraction,
    vote: Vote,
) -> Result<(), HandlerError> {
    let Some(log) = state.question_log() else {
        return super::interactions::respond_component_note(ctx, interaction, NOT_RECORDING).await;
    };
    let answer = interaction.message.id;
    log.vote(
        answer.get(),
        place(interaction.guild_id, interaction.channel_id),
        &user_key(interaction.user.id),
        vote.topics.clone(),
        vote.helpful,
    );
    tracing::debug!(message = %answer, helpful = vote.helpful, "vote recorded");
    if vote.helpful {
        return super::interactions::respond_component_note(ctx, interaction, THANKS_UP).await;
    }
    let modal = CreateInteractionResponse::Modal(comment_modal(answer));
    deliver_with(
        RetryPolicy::interaction_callback(),
        format!(
            "the comment form to interaction {} in channel {}",
            interaction.id, interaction.channel_id
        ),
        || interaction.create_response(&ctx.http, modal.clone()),
    )
    .await?;
    Ok(())
}

/// A submitted comment modal.
pub async fn handle_comment(
    state: &State,
    ctx: &Context,
    interaction: &ModalInteraction,
) -> Result<(), HandlerError> {
    let Some(answer) = parse_comment_id(&interaction.data.custom_id) else {
        tracing::warn!(custom_id = %interaction.data.custom_id, "unknown modal");
        return respond_modal_note(ctx, interaction, super::interactions::UNKNOWN_BUTTON).await;
    };
    let text = interaction
        .data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|component| match component {
            ActionRowComponent::InputText(input) if input.custom_id == COMMENT_INPUT => {
                input.value.clone()
            }
            _ => None,
        })
        .unwrap_or_default();
    let Some(log) = state.question_log() else {
        return respond_modal_note(ctx, interaction, NOT_RECORDING).await;
    };
    log.comment(answer.get(), &user_key(interaction.user.id), &text);
    tracing::debug!(message = %answer, "comment recorded");
    respond_modal_note(ctx, interaction, THANKS_COMMENT).await
}

/// A private text reply to a modal submission.
async fn respond_modal_note(
    ctx: &Context,
    interaction: &ModalInteraction,
    note: &str,
) -> Result<(), HandlerError> {
    let response = CreateInteractionResponse::Message(super::interactions::private_note(note));
    deliver_with(
        RetryPolicy::interaction_callback(),
        format!(
            "a private note to interaction {} in channel {}",
            interaction.id, interaction.channel_id
        ),
        || interaction.create_response(&ctx.http, response.clone()),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn votes_round_trip_and_fit_discord_limit() {
        for helpful in [true, false] {
            let vote = Vote {
                helpful,
                topics: Intent::TOPICS.to_vec(),
            };
            let id = vote.custom_id();
            assert!(id.len() <= CUSTOM_ID_LIMIT, "{id}");
            assert_eq!(Vote::parse(&id), Some(vote));
        }
        let vote = Vote {
            helpful: true,
            topics: vec![Intent::Education, Intent::Salary],
        };
        assert_eq!(vote.custom_id(), "vote:up:education,salary");
    }

    #[test]
    fn forged_votes_are_rejected() {
        for id in [
            "",
            "vote:",
            "vote:up:",
            "vote:up:greeting",
            "vote:sideways:salary",
            "vote:down:salary,",
            "vote:up:weather",
            "post:salary",
            &format!("vote:up:{}", vec!["salary"; 20].join(",")),
        ] {
            assert_eq!(Vote::parse(id), None, "{id:?}");
        }
    }

    #[test]
    fn only_answers_with_a_topic_get_buttons() {
        assert!(vote_row(&[Intent::Greeting]).is_none());
        assert!(vote_row(&[]).is_none());
        let buttons = vote_buttons(&[Intent::Salary, Intent::Thanks]);
        let value = serde_json::to_value(buttons).unwrap_or_default();
        assert_eq!(value[0]["custom_id"], "vote:up:salary");
        assert_eq!(value[1]["custom_id"], "vote:down:salary");
        assert_eq!(value[0]["emoji"]["name"], "👍");
    }

    #[test]
    fn the_comment_form_names_its_answer_and_is_optional() {
        let value = serde_json::to_value(comment_modal(MessageId::new(77))).unwrap_or_default();
        assert_eq!(value["custom_id"], "comment:77");
        assert_eq!(value["title"], COMMENT_TITLE);
        let input = &value["components"][0]["components"][0];
        assert_eq!(input["custom_id"], COMMENT_INPUT);
        assert_eq!(input["required"], false);
        assert_eq!(input["max_length"], 1000);
        assert_eq!(input["style"], 2);
        assert_eq!(parse_comment_id("comment:77"), Some(MessageId::new(77)));
        for bad in ["comment:", "comment:0", "comment:x", "vote:77"] {
            assert_eq!(parse_comment_id(bad), None, "{bad}");
        }
    }
}
