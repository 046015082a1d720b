//! Interactions: slash commands, the "Post in channel" button and the
//! "Answer this question" message context menu.
//!
//! Every response goes through Discord's interaction callback, with allowed
//! mentions that allow nothing. Private answers are ephemeral (flag 64).
//! Answers too long for one message continue in follow-up messages with the
//! same visibility.
//!
//! A "Post in channel" click answers with UPDATE_MESSAGE (callback type 7):
//! the private answer loses its button and says it was posted, and the
//! public answer follows as a follow-up message. A message's answer is posted
//! once: a second click (a stale client, a double click, a forged
//! interaction) gets a private note instead.
//!
//! `/reload` is deferred (ephemeral) while the files are read and validated,
//! then the response is edited with the outcome.

use std::time::Instant;

use serenity::all::{
    CommandInteraction, ComponentInteraction, Context, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateMessage,
    EditInteractionResponse, Interaction, Message, MessageReference, Permissions, RoleId,
};

use super::commands::{BotCommand, CommandKind, PUBLIC_OPTION, QUESTION_OPTION};
use super::cooldown::{wait_seconds, Verdict};
use super::handler::{Handler, HandlerError};
use super::reload;
use super::render::{no_pings, plan_messages, to_embeds, truncate, EmbedPlan, FIELD_VALUE_LIMIT};
use super::sharing::{
    may_post_publicly, shared_by, PostRequest, COUNSELORS_ONLY, COUNSELORS_ONLY_NO_ANSWER,
};
use crate::answer::{Answer, Field, ReplyKind};
use crate::config::Visibility;

/// Reply to a button whose `custom_id` this bot did not produce.
const UNKNOWN_BUTTON: &str = "That button no longer works. Ask again to get a fresh one.";
/// Reply when the context menu's target message is missing from the payload.
const MISSING_TARGET: &str = "I couldn't read that message.";
/// Reply when the context menu's target has no career question in it.
const NOTHING_TO_ANSWER: &str =
    "There's no question about the health information technology specialist career in that message for me to answer.";
/// Edit of the deferred context-menu response once the answer is posted.
const ANSWERED_IN_CHANNEL: &str = "Answered in the channel.";
/// Edit of the deferred context-menu response when posting failed.
const COULD_NOT_POST: &str =
    "I couldn't post the answer in this channel. Check that I may send messages and embeds here.";
/// Text of a response whose answers turned out to hold no text at all.
const NO_ANSWER: &str = "I have no answer to show for that.";
/// What the private answer says once its button posted it.
const POSTED_IN_CHANNEL: &str = "Posted in the channel.";
/// Reply to a click on an answer that was already posted.
const ALREADY_POSTED: &str = "That answer is already posted in the channel.";
/// Private note when the public post after a click failed.
const POST_FAILED: &str =
    "I couldn't post the answer in the channel. Ask again to get a fresh one.";
/// Name of the `/help` field that lists the commands.
const COMMANDS_FIELD: &str = "Commands";

/// The ephemeral note for a cooled-down user.
fn cooldown_note(remaining: std::time::Duration) -> String {
    format!(
        "You're asking quickly: please wait {} s and try again.",
        wait_seconds(remaining)
    )
}

/// Who invoked an interaction, as the counselor gate and cooldown see it.
struct Invoker<'a> {
    user: serenity::all::UserId,
    in_guild: bool,
    roles: &'a [RoleId],
    /// The member's permissions in the channel (interactions in a server
    /// carry them).
    permissions: Option<Permissions>,
}

impl Invoker<'_> {
    fn may_post_publicly(&self, handler: &Handler) -> bool {
        may_post_publicly(&handler.policy().counselor_roles, self.in_guild, self.roles)
    }
}

/// Handles one interaction.
pub async fn handle_interaction(
    handler: &Handler,
    ctx: &Context,
    interaction: &Interaction,
) -> Result<(), HandlerError> {
    match interaction {
        Interaction::Command(command) => handle_command(handler, ctx, command).await,
        Interaction::Component(component) => handle_button(handler, ctx, component).await,
        // The bot registers no autocomplete options and opens no modals.
        _ => Ok(()),
    }
}

async fn handle_command(
    handler: &Handler,
    ctx: &Context,
    interaction: &CommandInteraction,
) -> Result<(), HandlerError> {
    let invoker = Invoker {
        user: interaction.user.id,
        in_guild: interaction.guild_id.is_some(),
        roles: interaction
            .member
            .as_ref()
            .map_or(&[], |member| member.roles.as_slice()),
        permissions: interaction
            .member
            .as_ref()
            .and_then(|member| member.permissions),
    };
    let Some(command) = BotCommand::lookup(&interaction.data.name, interaction.data.kind) else {
        tracing::warn!(name = %interaction.data.name, "unknown command");
        let note = format!(
            "I don't know that command any more. Try /{}.",
            BotCommand::Help.name()
        );
        return respond_note(ctx, interaction, &note).await;
    };
    tracing::debug!(command = command.name(), user = %invoker.user, "command");
    if command == BotCommand::Reload {
        return reload_command(handler, ctx, interaction, &invoker).await;
    }
    match command.kind() {
        CommandKind::MessageMenu => answer_this_question(handler, ctx, interaction, &invoker).await,
        CommandKind::Slash => slash_command(handler, ctx, interaction, command, &invoker).await,
    }
}

/// `/reload`: refused privately unless [`reload::may_reload`]; otherwise
/// deferred (ephemeral), reloaded, and the response edited with the
/// outcome, problems and their positions included.
async fn reload_command(
    handler: &Handler,
    ctx: &Context,
    interaction: &CommandInteraction,
    invoker: &Invoker<'_>,
) -> Result<(), HandlerError> {
    let counselor_roles = &handler.policy().counselor_roles;
    if !reload::may_reload(
        counselor_roles,
        invoker.in_guild,
        invoker.roles,
        invoker.permissions,
    ) {
        tracing::info!(user = %invoker.user, "/reload refused");
        let note = reload::refusal(!counselor_roles.is_empty());
        return respond_note(ctx, interaction, note).await;
    }
    defer_privately(ctx, interaction).await?;
    let trigger = format!("/reload by user {}", invoker.user);
    let outcome = handler.knowledge().reload_and_log(&trigger).await;
    let edit = EditInteractionResponse::new()
        .content(reload::report(&outcome))
        .allowed_mentions(no_pings());
    interaction.edit_response(&ctx.http, edit).await?;
    Ok(())
}

/// What a slash command produced, before visibility is decided.
struct SlashOutput {
    answers: Vec<Answer>,
    /// What the "Post in channel" button would post.
    shareable: Option<PostRequest>,
    /// Never worth posting publicly (the "what I can answer" reply).
    private_only: bool,
}

fn slash_output(
    handler: &Handler,
    interaction: &CommandInteraction,
    command: BotCommand,
) -> SlashOutput {
    let bot = handler.bot();
    match command {
        BotCommand::Topic(intent) => SlashOutput {
            answers: vec![bot.answer(intent)],
            shareable: PostRequest::for_intents(&[intent]),
            private_only: false,
        },
        BotCommand::Ask => {
            let question = QUESTION_OPTION
                .text_in(&interaction.data.options)
                .unwrap_or_default();
            let reply = bot.reply(question);
            SlashOutput {
                shareable: match reply.kind {
                    ReplyKind::Answered => PostRequest::for_intents(&reply.intents),
                    _ => None,
                },
                private_only: matches!(reply.kind, ReplyKind::OutOfScope | ReplyKind::Empty),
                answers: reply.answers,
            }
        }
        BotCommand::Help => SlashOutput {
            answers: vec![with_command_list(bot.capabilities())],
            shareable: None,
            private_only: false,
        },
        BotCommand::Sources => SlashOutput {
            answers: vec![bot.sources()],
            shareable: None,
            private_only: false,
        },
        BotCommand::AnswerThisQuestion | BotCommand::Reload => SlashOutput {
            answers: Vec::new(),
            shareable: None,
            private_only: true,
        },
    }
}

/// The capabilities answer plus a field listing every command, from the table.
fn with_command_list(mut answer: Answer) -> Answer {
    let mut lines: Vec<String> = Vec::new();
    let slash: Vec<String> = BotCommand::all()
        .filter(|command| command.kind() == CommandKind::Slash)
        .map(|command| format!("`/{}`", command.name()))
        .collect();
    lines.push(slash.join(" "));
    for command in BotCommand::all().filter(|command| command.kind() == CommandKind::MessageMenu) {
        lines.push(format!(
            "On any message: Apps \u{2192} **{}** (posts the answer as a reply)",
            command.name()
        ));
    }
    answer.fields.push(Field {
        name: COMMANDS_FIELD.to_string(),
        value: truncate(&lines.join("\n"), FIELD_VALUE_LIMIT),
        inline: false,
    });
    answer
}

/// Visibility of a slash answer: what the user asked for (or the default),
/// made private for replies not worth posting and for users the counselor
/// gate stops. The note explains an explicit request that was refused.
fn decide_visibility(
    requested_public: Option<bool>,
    default: Visibility,
    private_only: bool,
    may_post_publicly: bool,
) -> (bool, Option<&'static str>) {
    let wants_public = requested_public.unwrap_or(default == Visibility::Public);
    if !wants_public || private_only {
        return (false, None);
    }
    if may_post_publicly {
        return (true, None);
    }
    // A default of "public" applies to everyone's plain questions; only an
    // explicit `public: true` is a request to share, refused with a note.
    let note = (requested_public == Some(true)).then_some(COUNSELORS_ONLY);
    (false, note)
}

async fn slash_command(
    handler: &Handler,
    ctx: &Context,
    interaction: &CommandInteraction,
    command: BotCommand,
    invoker: &Invoker<'_>,
) -> Result<(), HandlerError> {
    if let Verdict::CoolingDown { remaining, .. } =
        handler.check_cooldown(invoker.user, Instant::now())
    {
        return respond_note(ctx, interaction, &cooldown_note(remaining)).await;
    }
    let output = slash_output(handler, interaction, command);
    let requested_public = PUBLIC_OPTION.bool_in(&interaction.data.options);
    let (public, note) = decide_visibility(
        requested_public,
        handler.policy().default_visibility,
        output.private_only,
        invoker.may_post_publicly(handler),
    );
    let button = output.shareable.filter(|_| !public);
    let messages = plan_messages(&output.answers);
    let mut messages = messages.iter();
    let first = messages.next().map_or(&[][..], Vec::as_slice);
    let mut response = message_response(first, note, !public);
    if let Some(request) = &button {
        response = response.components(vec![request.button_row()]);
    }
    interaction
        .create_response(&ctx.http, CreateInteractionResponse::Message(response))
        .await?;
    for embeds in messages {
        interaction
            .create_followup(&ctx.http, followup(embeds, None, !public))
            .await?;
    }
    Ok(())
}

async fn handle_button(
    handler: &Handler,
    ctx: &Context,
    interaction: &ComponentInteraction,
) -> Result<(), HandlerError> {
    let invoker = Invoker {
        user: interaction.user.id,
        in_guild: interaction.guild_id.is_some(),
        roles: interaction
            .member
            .as_ref()
            .map_or(&[], |member| member.roles.as_slice()),
        permissions: interaction
            .member
            .as_ref()
            .and_then(|member| member.permissions),
    };
    let Some(request) = PostRequest::parse(&interaction.data.custom_id) else {
        tracing::warn!(custom_id = %interaction.data.custom_id, "unknown button");
        return respond_component_note(ctx, interaction, UNKNOWN_BUTTON).await;
    };
    if !invoker.may_post_publicly(handler) {
        tracing::info!(user = %invoker.user, "button refused by the counselor gate");
        return respond_component_note(ctx, interaction, COUNSELORS_ONLY_NO_ANSWER).await;
    }
    let private_answer = interaction.message.id;
    if !handler.claim_post(private_answer) {
        tracing::info!(message = %private_answer, "button clicked again after posting");
        return respond_component_note(ctx, interaction, ALREADY_POSTED).await;
    }
    if let Verdict::CoolingDown { remaining, .. } =
        handler.check_cooldown(invoker.user, Instant::now())
    {
        // Not posted: the button stays and may be clicked again later.
        handler.release_post(private_answer);
        return respond_component_note(ctx, interaction, &cooldown_note(remaining)).await;
    }
    let bot = handler.bot();
    let answers: Vec<Answer> = request
        .topics()
        .iter()
        .map(|&topic| bot.answer(topic))
        .collect();
    // The private answer keeps its embeds (not sent, so unchanged) and
    // loses the button.
    let update = CreateInteractionResponseMessage::new()
        .content(POSTED_IN_CHANNEL)
        .components(Vec::new())
        .allowed_mentions(no_pings());
    interaction
        .create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(update))
        .await?;
    let attribution = shared_by(invoker.user);
    for (index, embeds) in plan_messages(&answers).iter().enumerate() {
        let content = (index == 0).then_some(attribution.as_str());
        let posted = interaction
            .create_followup(&ctx.http, followup(embeds, content, false))
            .await;
        if let Err(error) = posted {
            // The button is gone: say so privately rather than fail silently.
            let note = followup(&[], Some(POST_FAILED), true);
            if let Err(note_error) = interaction.create_followup(&ctx.http, note).await {
                super::handler::report("telling the clicker the post failed", &note_error.into());
            }
            return Err(error.into());
        }
    }
    Ok(())
}

/// "Answer this question": answers the target message publicly, as a reply
/// to it, and tells the counselor ephemerally how that went. The interaction
/// is deferred first (ephemeral) so a slow channel cannot make it expire.
async fn answer_this_question(
    handler: &Handler,
    ctx: &Context,
    interaction: &CommandInteraction,
    invoker: &Invoker<'_>,
) -> Result<(), HandlerError> {
    let target: Option<&Message> = interaction
        .data
        .target_id
        .and_then(|id| interaction.data.resolved.messages.get(&id.to_message_id()));
    let Some(target) = target else {
        return respond_note(ctx, interaction, MISSING_TARGET).await;
    };
    if !invoker.may_post_publicly(handler) {
        tracing::info!(user = %invoker.user, "context menu refused by the counselor gate");
        return respond_note(ctx, interaction, COUNSELORS_ONLY_NO_ANSWER).await;
    }
    let reply = handler.bot().reply(&target.content);
    if reply.kind != ReplyKind::Answered {
        return respond_note(ctx, interaction, NOTHING_TO_ANSWER).await;
    }
    if let Verdict::CoolingDown { remaining, .. } =
        handler.check_cooldown(invoker.user, Instant::now())
    {
        return respond_note(ctx, interaction, &cooldown_note(remaining)).await;
    }
    defer_privately(ctx, interaction).await?;
    let posted = post_reply(ctx, interaction, target, &reply.answers, invoker).await;
    let outcome = if posted.is_ok() {
        ANSWERED_IN_CHANNEL
    } else {
        COULD_NOT_POST
    };
    let edit = EditInteractionResponse::new()
        .content(outcome)
        .allowed_mentions(no_pings());
    let edited = interaction.edit_response(&ctx.http, edit).await;
    posted?;
    edited?;
    Ok(())
}

/// Posts `answers` in the channel as a reply to `target`, attributed to the
/// counselor.
async fn post_reply(
    ctx: &Context,
    interaction: &CommandInteraction,
    target: &Message,
    answers: &[Answer],
    invoker: &Invoker<'_>,
) -> Result<(), HandlerError> {
    let reference = MessageReference::from((interaction.channel_id, target.id));
    for (index, embeds) in plan_messages(answers).iter().enumerate() {
        let mut message = CreateMessage::new()
            .embeds(to_embeds(embeds))
            .allowed_mentions(no_pings());
        if index == 0 {
            message = message
                .content(shared_by(invoker.user))
                .reference_message(reference.clone());
        }
        interaction
            .channel_id
            .send_message(&ctx.http, message)
            .await?;
    }
    Ok(())
}

/// A message response with `embeds`, an optional text line, and no pings.
fn message_response(
    embeds: &[EmbedPlan],
    content: Option<&str>,
    ephemeral: bool,
) -> CreateInteractionResponseMessage {
    let mut response = CreateInteractionResponseMessage::new()
        .embeds(to_embeds(embeds))
        .allowed_mentions(no_pings())
        .ephemeral(ephemeral);
    // Discord rejects a message with neither text nor embeds.
    match content {
        Some(content) => response = response.content(content),
        None if embeds.is_empty() => response = response.content(NO_ANSWER),
        None => {}
    }
    response
}

fn followup(
    embeds: &[EmbedPlan],
    content: Option<&str>,
    ephemeral: bool,
) -> CreateInteractionResponseFollowup {
    let mut followup = CreateInteractionResponseFollowup::new()
        .embeds(to_embeds(embeds))
        .allowed_mentions(no_pings())
        .ephemeral(ephemeral);
    if let Some(content) = content {
        followup = followup.content(content);
    }
    followup
}

/// An ephemeral text reply to a command.
async fn respond_note(
    ctx: &Context,
    interaction: &CommandInteraction,
    note: &str,
) -> Result<(), HandlerError> {
    let response = message_response(&[], Some(note), true);
    interaction
        .create_response(&ctx.http, CreateInteractionResponse::Message(response))
        .await?;
    Ok(())
}

/// An ephemeral text reply to a button click.
async fn respond_component_note(
    ctx: &Context,
    interaction: &ComponentInteraction,
    note: &str,
) -> Result<(), HandlerError> {
    let response = message_response(&[], Some(note), true);
    interaction
        .create_response(&ctx.http, CreateInteractionResponse::Message(response))
        .await?;
    Ok(())
}

/// Acknowledges `interaction` with a private "thinking…" state, for work
/// that outlasts Discord's three-second answer window.
async fn defer_privately(ctx: &Context, interaction: &CommandInteraction) -> serenity::Result<()> {
    interaction
        .create_response(
            &ctx.http,
            CreateInteractionResponse::Defer(
                CreateInteractionResponseMessage::new().ephemeral(true),
            ),
        )
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visibility_follows_the_option_then_the_default() {
        use Visibility::{Private, Public};
        assert_eq!(decide_visibility(None, Private, false, true), (false, None));
        assert_eq!(decide_visibility(None, Public, false, true), (true, None));
        assert_eq!(
            decide_visibility(Some(true), Private, false, true),
            (true, None)
        );
        assert_eq!(
            decide_visibility(Some(false), Public, false, true),
            (false, None)
        );
    }

    #[test]
    fn counselor_gate_refuses_explicit_requests_with_a_note() {
        use Visibility::{Private, Public};
        assert_eq!(
            decide_visibility(Some(true), Private, false, false),
            (false, Some(COUNSELORS_ONLY))
        );
        assert_eq!(decide_visibility(None, Public, false, false), (false, None));
    }

    #[test]
    fn off_topic_answers_stay_private() {
        assert_eq!(
            decide_visibility(Some(true), Visibility::Public, true, true),
            (false, None)
        );
    }

    #[test]
    fn help_lists_every_command_from_the_table() {
        let base = Answer {
            intent: None,
            title: "What I can answer".into(),
            body: "Ask me about the career.".into(),
            fields: vec![],
            source: None,
            follow_ups: vec![],
        };
        let help = with_command_list(base);
        let value = &help.fields[0].value;
        for command in BotCommand::all() {
            assert!(value.contains(command.name()), "{value}");
        }
    }

    #[test]
    fn responses_never_ping() {
        let response = message_response(&[], Some("Shared by <@1> @everyone"), true);
        let value = serde_json::to_value(&response).unwrap_or_default();
        assert_eq!(value["allowed_mentions"]["parse"], serde_json::json!([]));
        assert_eq!(value["allowed_mentions"]["replied_user"], false);
        assert_eq!(value["flags"], 64);
    }
}
