//! Interactions: slash commands, the "Post in channel" button and the
//! "Answer this question" message context menu.
//!
//! Every response goes through Discord's interaction callback, with allowed
//! mentions that allow nothing (the one exception: "Answer this question"
//! pings the student whose message it answers, by replying to it). Private
//! answers are ephemeral (flag 64). Answers too long for one message
//! continue in follow-up messages with the same visibility. Every request
//! goes through [`deliver`]: bounded retries, named in the log.
//!
//! No flood limit applies to private answers, `/help`, `/sources`, or to
//! counselors. A public post of topics already posted in the channel within
//! the repeat window ([`super::limits`]) is not posted again: the asker gets
//! the answer privately with a link to the earlier post.
//!
//! A "Post in channel" click answers with UPDATE_MESSAGE (callback type 7):
//! the private answer loses its "Post in channel" button (its 👍/👎 stay),
//! the public answer follows as a follow-up message, and the private
//! answer is then edited to "Posted:" with a link to it. A message's answer is posted once: a second click (a
//! stale client, a double click, a forged interaction) gets a private note
//! instead. People who may not post never get the button.
//!
//! `/reload` is deferred (ephemeral) while the files are read and validated,
//! then the response is edited with the outcome; when it succeeded and the
//! store is shared with other processes, they are told to reload too.
//!
//! With a store, `/ask` questions are logged ([`super::records`]) and
//! answers with a career topic carry 👍/👎 buttons ([`super::feedback`]).
//! Buttons, select menus and modals are routed by their `custom_id`'s
//! prefix: `post:` here, `vote:` and `comment:` to [`super::feedback`],
//! `review:` to [`super::counsel`].

use std::time::{Duration, Instant};

use serenity::all::{
    ChannelId, CommandInteraction, ComponentInteraction, Context, CreateActionRow,
    CreateAutocompleteResponse, CreateInteractionResponse, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, GuildId, Interaction,
    Message, MessageId, MessageReference, Permissions, RoleId,
};

use super::commands::{BotCommand, CommandKind, PUBLIC_OPTION, QUESTION_OPTION};
use super::counsel::{self, ReviewAction};
use super::delivery::{deliver, deliver_with, RetryPolicy};
use super::feedback::{self, Vote};
use super::limits::Repeat;
use super::records;
use super::reload;
use super::render::{no_pings, plan_messages, to_embeds, truncate, EmbedPlan, FIELD_VALUE_LIMIT};
use super::sharing::{
    may_post_publicly, shared_by, PostRequest, COUNSELORS_ONLY, COUNSELORS_ONLY_NO_ANSWER,
};
use super::state::{report, HandlerError, State};
use super::suggest;
use crate::answer::{Answer, Field, ReplyKind};
use crate::config::Visibility;
use crate::intent::Intent;

/// Reply to a button whose `custom_id` this bot did not produce.
pub(super) const UNKNOWN_BUTTON: &str =
    "That button no longer works. Ask again to get a fresh one.";
/// Reply when the context menu's target message is missing from the payload.
const MISSING_TARGET: &str = "I couldn't read that message.";
/// Reply when the context menu's target has no career question in it.
const NOTHING_TO_ANSWER: &str =
    "There's no question about the health information technology specialist career in that message for me to answer.";
/// Edit of the deferred context-menu response when posting failed.
const COULD_NOT_POST: &str =
    "I couldn't post the answer in this channel. Check that I may send messages and embeds here.";
/// Text of a response whose answers turned out to hold no text at all.
const NO_ANSWER: &str = "I have no answer to show for that.";
/// What the private answer says once its button posted it, until the link
/// to the post is known.
const POSTED_IN_CHANNEL: &str = "Posted in the channel.";
/// Reply to a click on an answer that was already posted.
const ALREADY_POSTED: &str = "That answer is already posted in the channel.";
/// Private note when the public post after a click failed.
const POST_FAILED: &str =
    "I couldn't post the answer in the channel. Ask again to get a fresh one.";
/// Name of the `/help` field that lists the commands.
const COMMANDS_FIELD: &str = "Commands";

/// The link that opens message `message` of `channel` in Discord.
pub fn jump_link(guild: Option<GuildId>, channel: ChannelId, message: MessageId) -> String {
    let guild = guild.map_or_else(|| "@me".to_string(), |guild| guild.to_string());
    format!("https://discord.com/channels/{guild}/{channel}/{message}")
}

/// "Posted: <link>", what the person who posted an answer is told.
pub fn posted_note(link: &str) -> String {
    format!("Posted: {link}")
}

/// The private note for a public post that would repeat one made moments
/// ago in the channel.
pub fn repeat_note(repeat: &Repeat) -> String {
    if repeat.links.is_empty() {
        return "That is being posted in this channel right now, so here it is just for you."
            .to_string();
    }
    format!(
        "That was posted in this channel {} ago: {}. Here it is just for you.",
        ago(repeat.ago),
        repeat.links.join(" ")
    )
}

/// "12 s" or "1 min", for a time under an hour.
fn ago(elapsed: Duration) -> String {
    let seconds = elapsed.as_secs();
    if seconds < 60 {
        format!("{} s", seconds.max(1))
    } else {
        format!("{} min", seconds / 60)
    }
}

/// Who invoked an interaction, as the counselor gate and the limits see it.
struct Invoker<'a> {
    user: serenity::all::UserId,
    in_guild: bool,
    roles: &'a [RoleId],
    /// The member's permissions in the channel (interactions in a server
    /// carry them).
    permissions: Option<Permissions>,
}

impl<'a> Invoker<'a> {
    fn of(
        user: serenity::all::UserId,
        guild: Option<GuildId>,
        member: Option<&'a serenity::all::Member>,
    ) -> Invoker<'a> {
        Invoker {
            user,
            in_guild: guild.is_some(),
            roles: member.map_or(&[], |member| member.roles.as_slice()),
            permissions: member.and_then(|member| member.permissions),
        }
    }

    fn may_post_publicly(&self, state: &State) -> bool {
        may_post_publicly(&state.policy().counselor_roles, self.in_guild, self.roles)
    }

    fn is_counselor(&self, state: &State) -> bool {
        state.is_counselor(self.roles)
    }
}

/// Handles one interaction.
pub async fn handle_interaction(
    state: &State,
    ctx: &Context,
    interaction: &Interaction,
) -> Result<(), HandlerError> {
    match interaction {
        Interaction::Command(command) => handle_command(state, ctx, command).await,
        Interaction::Component(component) => handle_component(state, ctx, component).await,
        Interaction::Autocomplete(typing) => autocomplete(state, ctx, typing).await,
        Interaction::Modal(submitted) => feedback::handle_comment(state, ctx, submitted).await,
        _ => Ok(()),
    }
}

/// A button click or a menu pick, routed by its `custom_id`'s prefix.
async fn handle_component(
    state: &State,
    ctx: &Context,
    interaction: &ComponentInteraction,
) -> Result<(), HandlerError> {
    let custom_id = interaction.data.custom_id.as_str();
    if let Some(vote) = Vote::parse(custom_id) {
        return feedback::handle_vote(state, ctx, interaction, vote).await;
    }
    if let Some(action) = ReviewAction::parse(custom_id) {
        return counsel::handle_review(state, ctx, interaction, action).await;
    }
    handle_button(state, ctx, interaction).await
}

async fn handle_command(
    state: &State,
    ctx: &Context,
    interaction: &CommandInteraction,
) -> Result<(), HandlerError> {
    let invoker = Invoker::of(
        interaction.user.id,
        interaction.guild_id,
        interaction.member.as_deref(),
    );
    let Some(command) = BotCommand::lookup(&interaction.data.name, interaction.data.kind) else {
        tracing::warn!(name = %interaction.data.name, "unknown command");
        let note = format!(
            "I don't know that command any more. Try /{}.",
            BotCommand::Help.name()
        );
        return respond_note(ctx, interaction, &note).await;
    };
    tracing::debug!(command = command.name(), user = %invoker.user, "command");
    match command {
        BotCommand::Reload => return reload_command(state, ctx, interaction, &invoker).await,
        BotCommand::Review => {
            return counsel::counselor_command(state, ctx, interaction, false).await
        }
        BotCommand::Stats => {
            return counsel::counselor_command(state, ctx, interaction, true).await
        }
        _ => {}
    }
    match command.kind() {
        CommandKind::MessageMenu => answer_this_question(state, ctx, interaction, &invoker).await,
        CommandKind::Slash => slash_command(state, ctx, interaction, command, &invoker).await,
    }
}

/// Suggestions for `/ask`'s question as the student types it: the
/// questions of [`suggest`] that match, or those of the topics the engine
/// recognises in what was typed so far.
async fn autocomplete(
    state: &State,
    ctx: &Context,
    interaction: &CommandInteraction,
) -> Result<(), HandlerError> {
    let typed = interaction
        .data
        .autocomplete()
        .map_or("", |focused| focused.value);
    let recognised = state.bot().reply(typed).intents;
    let choices = suggest::suggestions(typed, &recognised)
        .into_iter()
        .fold(CreateAutocompleteResponse::new(), |response, question| {
            response.add_string_choice(question, question)
        });
    let response = CreateInteractionResponse::Autocomplete(choices);
    deliver_with(
        RetryPolicy::interaction_callback(),
        what("suggestions", interaction.id, interaction.channel_id),
        || interaction.create_response(&ctx.http, response.clone()),
    )
    .await?;
    Ok(())
}

/// Names an interaction's request for the log: "`part` to interaction 5
/// in channel 7".
fn what(part: &str, id: impl std::fmt::Display, channel: ChannelId) -> String {
    format!("{part} to interaction {id} in channel {channel}")
}

/// `/reload`: refused privately unless [`reload::may_reload`]; otherwise
/// deferred (ephemeral), reloaded, and the response edited with the
/// outcome, problems and their positions included.
async fn reload_command(
    state: &State,
    ctx: &Context,
    interaction: &CommandInteraction,
    invoker: &Invoker<'_>,
) -> Result<(), HandlerError> {
    let counselor_roles = &state.policy().counselor_roles;
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
    let outcome = state.knowledge().reload_and_log(&trigger).await;
    if let (Ok(_), Some(store)) = (&outcome, state.store()) {
        // Other processes sharing the store reload too.
        if let Err(error) = store.announce(crate::store::watch::Change::Reload).await {
            tracing::warn!(%error, "could not tell other processes to reload");
        }
    }
    let edit = EditInteractionResponse::new()
        .content(reload::report(&outcome))
        .allowed_mentions(no_pings());
    deliver(
        what("/reload outcome", interaction.id, interaction.channel_id),
        || interaction.edit_response(&ctx.http, edit.clone()),
    )
    .await?;
    Ok(())
}

/// What a slash command produced, before visibility is decided.
struct SlashOutput {
    answers: Vec<Answer>,
    /// What the "Post in channel" button would post.
    shareable: Option<PostRequest>,
    /// Never worth posting publicly (the "what I can answer" reply).
    private_only: bool,
    /// The career topics the answer covers, which 👍/👎 rate.
    rated: Vec<Intent>,
}

fn slash_output(
    state: &State,
    interaction: &CommandInteraction,
    command: BotCommand,
    audience: HelpAudience,
) -> SlashOutput {
    let bot = state.bot();
    match command {
        BotCommand::Topic(intent) => SlashOutput {
            answers: vec![bot.answer(intent)],
            shareable: PostRequest::for_intents(&[intent]),
            private_only: false,
            rated: vec![intent],
        },
        BotCommand::Ask => {
            let question = QUESTION_OPTION
                .text_in(&interaction.data.options)
                .unwrap_or_default();
            let classification = bot.classify(question);
            let reply = bot.reply_to(&classification);
            if let Some(log) = state.question_log() {
                log.question(
                    &bot,
                    question,
                    &classification,
                    &reply,
                    records::place(interaction.guild_id, interaction.channel_id),
                    Some(&records::user_key(interaction.user.id)),
                    interaction.guild_id.is_none(),
                );
            }
            let answered = reply.kind == ReplyKind::Answered;
            SlashOutput {
                shareable: if answered {
                    PostRequest::for_intents(&reply.intents)
                } else {
                    None
                },
                private_only: matches!(reply.kind, ReplyKind::OutOfScope | ReplyKind::Empty),
                rated: if answered {
                    reply.intents.clone()
                } else {
                    Vec::new()
                },
                answers: reply.answers,
            }
        }
        BotCommand::Help => SlashOutput {
            answers: vec![help_answer(bot.capabilities(), audience, |name| {
                state.command_id(name)
            })],
            shareable: None,
            private_only: false,
            rated: Vec::new(),
        },
        BotCommand::Sources => SlashOutput {
            answers: vec![bot.sources()],
            shareable: None,
            private_only: false,
            rated: Vec::new(),
        },
        BotCommand::AnswerThisQuestion
        | BotCommand::Reload
        | BotCommand::Review
        | BotCommand::Stats => SlashOutput {
            answers: Vec::new(),
            shareable: None,
            private_only: true,
            rated: Vec::new(),
        },
    }
}

/// The title of `/help`'s answer.
const HELP_TITLE: &str = "Help: how to ask me";

/// What `/help` may show to the person who ran it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct HelpAudience {
    /// They may post answers in the channel ("Answer this question").
    may_post: bool,
    /// They may run the counselor commands (`/reload`, `/review`,
    /// `/stats`).
    may_reload: bool,
}

/// `/help`: the capabilities answer, titled as help, plus a field listing
/// the commands from the table that `audience` may use. A slash command is
/// a clickable command mention (`</salary:id>`) once `command_id` knows its
/// id, `/salary` before that.
fn help_answer(
    mut answer: Answer,
    audience: HelpAudience,
    command_id: impl Fn(&str) -> Option<serenity::all::CommandId>,
) -> Answer {
    answer.title = HELP_TITLE.to_string();
    let mut lines: Vec<String> = Vec::new();
    let slash: Vec<String> = BotCommand::all()
        .filter(|command| command.kind() == CommandKind::Slash)
        .filter(|command| !command.counselor_only() || audience.may_reload)
        .map(|command| match command_id(command.name()) {
            Some(id) => format!("</{}:{id}>", command.name()),
            None => format!("`/{}`", command.name()),
        })
        .collect();
    lines.push(slash.join(" "));
    if audience.may_post {
        for command in
            BotCommand::all().filter(|command| command.kind() == CommandKind::MessageMenu)
        {
            lines.push(format!(
                "On any message: Apps \u{2192} **{}** (posts the answer as a reply)",
                command.name()
            ));
        }
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
    state: &State,
    ctx: &Context,
    interaction: &CommandInteraction,
    command: BotCommand,
    invoker: &Invoker<'_>,
) -> Result<(), HandlerError> {
    let channel = interaction.channel_id;
    let may_post = invoker.may_post_publicly(state);
    let audience = HelpAudience {
        may_post,
        may_reload: reload::may_reload(
            &state.policy().counselor_roles,
            invoker.in_guild,
            invoker.roles,
            invoker.permissions,
        ),
    };
    let output = slash_output(state, interaction, command, audience);
    let requested_public = PUBLIC_OPTION.bool_in(&interaction.data.options);
    let (mut public, refusal) = decide_visibility(
        requested_public,
        state.policy().default_visibility,
        output.private_only,
        may_post,
    );
    // A public post of topics posted here moments ago is not posted again.
    let mut repeat = None;
    let mut claimed: Option<Vec<Intent>> = None;
    if let Some(request) = output.shareable.as_ref().filter(|_| public) {
        let exempt = invoker.is_counselor(state);
        match state
            .limits()
            .claim_topics(channel, request.topics(), Instant::now())
        {
            Ok(()) => claimed = Some(request.topics().to_vec()),
            // Counselors post anyway; later repeats link to their post.
            Err(_) if exempt => claimed = Some(request.topics().to_vec()),
            Err(earlier) => {
                tracing::info!(%channel, user = %invoker.user, "public repeat answered privately");
                public = false;
                repeat = Some(repeat_note(&earlier));
            }
        }
    }
    let note = repeat.as_deref().or(refusal);
    let button = output
        .shareable
        .filter(|_| !public && may_post && repeat.is_none());
    let messages = plan_messages(&output.answers);
    let mut messages = messages.iter();
    let first = messages.next().map_or(&[][..], Vec::as_slice);
    let mut response = message_response(first, note, !public);
    let votes = state
        .question_log()
        .and_then(|_| feedback::vote_buttons(&output.rated));
    if let Some(row) = answer_row(button.as_ref(), votes) {
        response = response.components(vec![row]);
    }
    let response = CreateInteractionResponse::Message(response);
    let responded = deliver_with(
        RetryPolicy::interaction_callback(),
        what(
            &format!("/{} answer", command.name()),
            interaction.id,
            channel,
        ),
        || interaction.create_response(&ctx.http, response.clone()),
    )
    .await;
    if let Err(error) = responded {
        if let Some(topics) = &claimed {
            state.limits().not_posted(channel, topics);
        }
        return Err(error.into());
    }
    for (index, embeds) in messages.enumerate() {
        let part = followup(embeds, None, !public);
        deliver(
            what(
                &format!("/{} answer part {}", command.name(), index + 2),
                interaction.id,
                channel,
            ),
            || interaction.create_followup(&ctx.http, part.clone()),
        )
        .await?;
    }
    if let Some(topics) = claimed {
        // Remember where it was posted, for the next person who asks.
        let original = deliver(
            what("reading back the public answer", interaction.id, channel),
            || interaction.get_response(&ctx.http),
        )
        .await?;
        let link = jump_link(interaction.guild_id, channel, original.id);
        state.limits().posted(channel, &topics, &link);
        tracing::info!(%channel, %link, "public answer posted");
    }
    Ok(())
}

async fn handle_button(
    state: &State,
    ctx: &Context,
    interaction: &ComponentInteraction,
) -> Result<(), HandlerError> {
    let invoker = Invoker::of(
        interaction.user.id,
        interaction.guild_id,
        interaction.member.as_ref(),
    );
    let channel = interaction.channel_id;
    let Some(request) = PostRequest::parse(&interaction.data.custom_id) else {
        tracing::warn!(custom_id = %interaction.data.custom_id, "unknown button");
        return respond_component_note(ctx, interaction, UNKNOWN_BUTTON).await;
    };
    if !invoker.may_post_publicly(state) {
        tracing::info!(user = %invoker.user, "button refused by the counselor gate");
        return respond_component_note(ctx, interaction, COUNSELORS_ONLY_NO_ANSWER).await;
    }
    let private_answer = interaction.message.id;
    if !state.claim_post(private_answer) {
        tracing::info!(message = %private_answer, "button clicked again after posting");
        return respond_component_note(ctx, interaction, ALREADY_POSTED).await;
    }
    let topics = request.topics();
    let exempt = invoker.is_counselor(state);
    if let Err(earlier) = state.limits().claim_topics(channel, topics, Instant::now()) {
        // Counselors post anyway; later repeats link to their post.
        if !exempt {
            // Not posted: the button stays and works again later.
            state.release_post(private_answer);
            tracing::info!(%channel, user = %invoker.user, "public repeat not posted");
            return respond_component_note(ctx, interaction, &repeat_note(&earlier)).await;
        }
    }
    let forget = || state.limits().not_posted(channel, topics);
    let bot = state.bot();
    let answers: Vec<Answer> = topics.iter().map(|&topic| bot.answer(topic)).collect();
    // The private answer keeps its embeds (not sent, so unchanged) and
    // loses the "Post in channel" button; the vote buttons stay (with a
    // store), so the answer can still be rated.
    let votes = state
        .question_log()
        .and_then(|_| feedback::vote_buttons(topics));
    let update = CreateInteractionResponse::UpdateMessage(
        CreateInteractionResponseMessage::new()
            .content(POSTED_IN_CHANNEL)
            .components(answer_row(None, votes).into_iter().collect())
            .allowed_mentions(no_pings()),
    );
    let updated = deliver_with(
        RetryPolicy::interaction_callback(),
        what("the button's update", interaction.id, channel),
        || interaction.create_response(&ctx.http, update.clone()),
    )
    .await;
    if let Err(error) = updated {
        state.release_post(private_answer);
        forget();
        return Err(error.into());
    }
    let attribution = shared_by(invoker.user);
    let mut first_post: Option<Message> = None;
    for (index, embeds) in plan_messages(&answers).iter().enumerate() {
        let content = (index == 0).then_some(attribution.as_str());
        let part = followup(embeds, content, false);
        let posted = deliver(
            what(
                &format!("posted answer part {}", index + 1),
                interaction.id,
                channel,
            ),
            || interaction.create_followup(&ctx.http, part.clone()),
        )
        .await;
        match posted {
            Ok(message) => {
                first_post.get_or_insert(message);
            }
            Err(error) => {
                forget();
                // The button is gone: say so privately rather than fail silently.
                let note = followup(&[], Some(POST_FAILED), true);
                let told = deliver(what("post-failed note", interaction.id, channel), || {
                    interaction.create_followup(&ctx.http, note.clone())
                })
                .await;
                if let Err(note_error) = told {
                    report("telling the clicker the post failed", &note_error.into());
                }
                return Err(error.into());
            }
        }
    }
    let Some(first_post) = first_post else {
        return Ok(());
    };
    let link = jump_link(interaction.guild_id, channel, first_post.id);
    state.limits().posted(channel, topics, &link);
    tracing::info!(%channel, %link, "public answer posted");
    let edit = EditInteractionResponse::new()
        .content(posted_note(&link))
        .allowed_mentions(no_pings());
    deliver(what("the jump link", interaction.id, channel), || {
        interaction.edit_response(&ctx.http, edit.clone())
    })
    .await?;
    Ok(())
}

/// "Answer this question": answers the target message publicly, as a reply
/// to it that notifies its author, and tells the counselor ephemerally how
/// that went, with a link to the answer. The interaction is deferred first
/// (ephemeral) so a slow channel cannot make it expire. Counselors are not
/// limited, so it is never refused as a repeat.
async fn answer_this_question(
    state: &State,
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
    if !invoker.may_post_publicly(state) {
        tracing::info!(user = %invoker.user, "context menu refused by the counselor gate");
        return respond_note(ctx, interaction, COUNSELORS_ONLY_NO_ANSWER).await;
    }
    let reply = state.bot().reply(&target.content);
    if reply.kind != ReplyKind::Answered {
        return respond_note(ctx, interaction, NOTHING_TO_ANSWER).await;
    }
    defer_privately(ctx, interaction).await?;
    let posted = post_reply(ctx, interaction, target, &reply.answers, invoker).await;
    let outcome = match &posted {
        Ok(message) => posted_note(&jump_link(
            interaction.guild_id,
            interaction.channel_id,
            message.id,
        )),
        Err(_) => COULD_NOT_POST.to_string(),
    };
    let edit = EditInteractionResponse::new()
        .content(outcome)
        .allowed_mentions(no_pings());
    let edited = deliver(
        what("the outcome", interaction.id, interaction.channel_id),
        || interaction.edit_response(&ctx.http, edit.clone()),
    )
    .await;
    posted?;
    edited?;
    Ok(())
}

/// Posts `answers` in the channel as a reply to `target`, attributed to the
/// counselor; returns the first message. The reply notifies the target's
/// author and nobody else, and is posted as a plain message if the target
/// was deleted meanwhile (`fail_if_not_exists: false`).
async fn post_reply(
    ctx: &Context,
    interaction: &CommandInteraction,
    target: &Message,
    answers: &[Answer],
    invoker: &Invoker<'_>,
) -> Result<Message, HandlerError> {
    let channel = interaction.channel_id;
    let reference = MessageReference::from((channel, target.id)).fail_if_not_exists(false);
    let mut first: Option<Message> = None;
    let parts = plan_messages(answers);
    for (index, embeds) in parts.iter().enumerate() {
        let mut message = CreateMessage::new()
            .embeds(to_embeds(embeds))
            .allowed_mentions(no_pings());
        if index == 0 {
            message = message
                .content(shared_by(invoker.user))
                .reference_message(reference.clone())
                .allowed_mentions(no_pings().replied_user(true));
        }
        let what = format!(
            "answer part {} of {} to message {} in channel {}",
            index + 1,
            parts.len(),
            target.id,
            channel
        );
        let sent = deliver(what, || channel.send_message(&ctx.http, message.clone())).await?;
        first.get_or_insert(sent);
    }
    first.ok_or_else(|| {
        HandlerError::Discord(Box::new(serenity::Error::Other("an answer with no parts")))
    })
}

/// The row under a slash answer: "Post in channel" (for `post`), then 👍
/// and 👎 (`votes`); three buttons at most, within Discord's five a row.
fn answer_row(
    post: Option<&PostRequest>,
    votes: Option<[serenity::all::CreateButton; 2]>,
) -> Option<CreateActionRow> {
    let mut buttons = Vec::new();
    if let Some(request) = post {
        buttons.push(request.button());
    }
    buttons.extend(votes.into_iter().flatten());
    (!buttons.is_empty()).then_some(CreateActionRow::Buttons(buttons))
}

/// A private text message, pinging nobody.
pub(super) fn private_note(note: &str) -> CreateInteractionResponseMessage {
    message_response(&[], Some(note), true)
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
pub(super) async fn respond_note(
    ctx: &Context,
    interaction: &CommandInteraction,
    note: &str,
) -> Result<(), HandlerError> {
    let response = CreateInteractionResponse::Message(message_response(&[], Some(note), true));
    deliver_with(
        RetryPolicy::interaction_callback(),
        what("a private note", interaction.id, interaction.channel_id),
        || interaction.create_response(&ctx.http, response.clone()),
    )
    .await?;
    Ok(())
}

/// An ephemeral text reply to a button click.
pub(super) async fn respond_component_note(
    ctx: &Context,
    interaction: &ComponentInteraction,
    note: &str,
) -> Result<(), HandlerError> {
    let response = CreateInteractionResponse::Message(message_response(&[], Some(note), true));
    deliver_with(
        RetryPolicy::interaction_callback(),
        what("a private note", interaction.id, interaction.channel_id),
        || interaction.create_response(&ctx.http, response.clone()),
    )
    .await?;
    Ok(())
}

/// Acknowledges `interaction` with a private "thinking…" state, for work
/// that outlasts Discord's three-second answer window.
pub(super) async fn defer_privately(
    ctx: &Context,
    interaction: &CommandInteraction,
) -> Result<(), HandlerError> {
    let defer =
        CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
    deliver_with(
        RetryPolicy::interaction_callback(),
        what("a deferral", interaction.id, interaction.channel_id),
        || interaction.create_response(&ctx.http, defer.clone()),
    )
    .await?;
    Ok(())
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

    fn base() -> Answer {
        Answer {
            intent: None,
            title: "What I can answer".into(),
            body: "Ask me about the career.".into(),
            fields: vec![],
            source: None,
            follow_ups: vec![],
        }
    }

    #[test]
    fn help_is_titled_as_help_and_lists_every_command_from_the_table() {
        let everything = HelpAudience {
            may_post: true,
            may_reload: true,
        };
        let help = help_answer(base(), everything, |_| None);
        assert_eq!(help.title, HELP_TITLE);
        let value = &help.fields[0].value;
        for command in BotCommand::all() {
            assert!(value.contains(command.name()), "{value}");
        }
    }

    #[test]
    fn help_mentions_commands_by_id_and_hides_what_the_reader_may_not_use() {
        let student = HelpAudience {
            may_post: false,
            may_reload: false,
        };
        let help = help_answer(base(), student, |name| {
            (name == "salary").then(|| serenity::all::CommandId::new(77))
        });
        let value = &help.fields[0].value;
        assert!(value.contains("</salary:77>"), "{value}");
        assert!(value.contains("`/outlook`"), "{value}");
        assert!(!value.contains("reload"), "{value}");
        assert!(!value.contains("Answer this question"), "{value}");
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
