//! The counselor commands that read the store: `/review` and `/stats`.
//!
//! Both are for counselors only: hidden from students when registered (see
//! [`super::commands::BotCommand::default_member_permissions`]) and checked
//! again here ([`may_counsel`]: a counselor role, or Manage Server), in
//! servers only. Both answer privately, and both defer first (the store is
//! read, and teaching retrains the engine) and then edit the response.
//!
//! `/review` shows the largest open group of questions the bot could not
//! answer: its id, size, up to [`WORDINGS_SHOWN`] wordings and the topic
//! the engine finds closest, with a select menu to teach the group as a
//! topic (or as "not about this career", label `off_topic`) and buttons
//! to ignore it or to see the next group. The group id travels in the
//! components' `custom_id`s, so nothing is kept between clicks:
//!
//! - `review:teach:<group id>`: the select menu; its value is the label;
//! - `review:ignore:<group id>`: the "Ignore" button;
//! - `review:next:<group id>`: the "Next group" button (the group after
//!   this one, largest first, wrapping round).
//!
//! Teaching stores the examples, retrains this process at once (others
//! retrain when the store tells them) and updates the message (deferred
//! update, then an edit) to confirm and show the next group. A group that
//! another counselor handled meanwhile is reported as such.
//!
//! `/stats days:<1–365>` (default 28) replies with the text report and the
//! chart as an attached PNG (`stats.png`).

use serenity::all::{
    ButtonStyle, CommandInteraction, ComponentInteraction, ComponentInteractionDataKind, Context,
    CreateActionRow, CreateAttachment, CreateButton, CreateInteractionResponse, CreateSelectMenu,
    CreateSelectMenuKind, CreateSelectMenuOption, EditInteractionResponse, GuildId, Member,
    Permissions, RoleId,
};

use super::commands::{DAYS_OPTION, DEFAULT_STATS_DAYS};
use super::delivery::{deliver, deliver_with, RetryPolicy};
use super::render::{no_pings, truncate, CONTENT_LIMIT};
use super::state::{HandlerError, State};
use crate::intent::Intent;
use crate::store::review::{ReviewError, ReviewGroup};
use crate::store::{unix_now, Store};

/// Prefix of every review component's `custom_id`.
pub const REVIEW_PREFIX: &str = "review:";
/// Wordings of a group shown at most.
pub const WORDINGS_SHOWN: usize = 10;
/// Characters of one wording shown at most.
const WORDING_CHARS: usize = 150;
/// The label that teaches a group as not about the career.
pub const OFF_TOPIC: &str = "off_topic";

/// Reply to someone who may not run a counselor command.
pub const COUNSELORS_ONLY: &str = "Only counselors can use this.";
/// Reply when the bot runs without a store.
pub const NO_STORE: &str =
    "I'm running without a store, so there are no questions or votes to show.";
/// What `/review` says when no group is open.
pub const NOTHING_TO_REVIEW: &str =
    "Nothing to review: every question I couldn't answer has been taught or set aside.";
/// Reply when the store failed.
const STORE_FAILED: &str = "I couldn't read the store just now; the bot's log has the details.";

/// What a review component does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewAction {
    /// Teach the group as the label picked in the menu.
    Teach(i64),
    /// Hide the group for good.
    Ignore(i64),
    /// Show the group after this one.
    Next(i64),
}

impl ReviewAction {
    /// The component's `custom_id`.
    pub fn custom_id(self) -> String {
        match self {
            ReviewAction::Teach(id) => format!("{REVIEW_PREFIX}teach:{id}"),
            ReviewAction::Ignore(id) => format!("{REVIEW_PREFIX}ignore:{id}"),
            ReviewAction::Next(id) => format!("{REVIEW_PREFIX}next:{id}"),
        }
    }

    /// The action a `custom_id` encodes; `None` for anything this bot did
    /// not produce.
    pub fn parse(custom_id: &str) -> Option<ReviewAction> {
        let rest = custom_id.strip_prefix(REVIEW_PREFIX)?;
        let (action, id) = rest.split_once(':')?;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || id.len() > 18 {
            return None;
        }
        let id: i64 = id.parse().ok()?;
        match action {
            "teach" => Some(ReviewAction::Teach(id)),
            "ignore" => Some(ReviewAction::Ignore(id)),
            "next" => Some(ReviewAction::Next(id)),
            _ => None,
        }
    }
}

/// Whether a member may run the counselor commands: only in a server; a
/// member with a counselor role, or with Manage Server (or Administrator).
pub fn may_counsel(
    counselor_roles: &[RoleId],
    guild: Option<GuildId>,
    member: Option<&Member>,
) -> bool {
    if guild.is_none() {
        return false;
    }
    let Some(member) = member else {
        return false;
    };
    let has_role = member
        .roles
        .iter()
        .any(|role| counselor_roles.contains(role));
    let manages = member
        .permissions
        .is_some_and(|p| p.contains(Permissions::MANAGE_GUILD) || p.administrator());
    has_role || manages
}

/// The labels a group can be taught as: the topics, then "not about this
/// career".
fn label_options(suggestion: Option<&str>) -> Vec<CreateSelectMenuOption> {
    let mut options: Vec<CreateSelectMenuOption> = Intent::TOPICS
        .into_iter()
        .map(|topic| {
            let option =
                CreateSelectMenuOption::new(format!("Teach as {}", topic.name()), topic.name());
            if suggestion == Some(topic.name()) {
                option.description("The closest topic")
            } else {
                option
            }
        })
        .collect();
    options.push(CreateSelectMenuOption::new(
        "Not about this career",
        OFF_TOPIC,
    ));
    options
}

/// The text and components showing `group` (`None`: nothing to review),
/// after `note` (what the last action did), within Discord's limits.
pub fn review_view(
    group: Option<&ReviewGroup>,
    open: usize,
    note: Option<&str>,
) -> (String, Vec<CreateActionRow>) {
    let mut text = note.map(|note| format!("{note}\n\n")).unwrap_or_default();
    let Some(group) = group else {
        text.push_str(NOTHING_TO_REVIEW);
        return (text, Vec::new());
    };
    let closest = group.suggestion.as_deref().unwrap_or("none");
    text.push_str(&format!(
        "**Group {}**: {} question(s), {} open group(s) in all. Closest topic: **{closest}**\n",
        group.id, group.count, open
    ));
    for wording in group.questions.iter().take(WORDINGS_SHOWN) {
        text.push_str(&format!("> {}\n", truncate(wording, WORDING_CHARS)));
    }
    if group.questions.len() > WORDINGS_SHOWN {
        text.push_str(&format!(
            "…and {} more wording(s)\n",
            group.questions.len() - WORDINGS_SHOWN
        ));
    }
    let menu = CreateSelectMenu::new(
        ReviewAction::Teach(group.id).custom_id(),
        CreateSelectMenuKind::String {
            options: label_options(group.suggestion.as_deref()),
        },
    )
    .placeholder("Teach as…");
    let buttons = CreateActionRow::Buttons(vec![
        CreateButton::new(ReviewAction::Ignore(group.id).custom_id())
            .label("Ignore")
            .style(ButtonStyle::Danger),
        CreateButton::new(ReviewAction::Next(group.id).custom_id())
            .label("Next group")
            .style(ButtonStyle::Secondary),
    ]);
    (
        truncate(&text, CONTENT_LIMIT),
        vec![CreateActionRow::SelectMenu(menu), buttons],
    )
}

/// The group to show after group `current` among `groups` (largest
/// first): the next one, wrapping round; the first when `current` is gone.
fn after(groups: &[ReviewGroup], current: i64) -> Option<&ReviewGroup> {
    match groups.iter().position(|group| group.id == current) {
        Some(index) => groups.get(index + 1).or_else(|| groups.first()),
        None => groups.first(),
    }
}

/// `/review` and `/stats`: the gate, the deferral, the work, the edit.
pub async fn counselor_command(
    state: &State,
    ctx: &Context,
    interaction: &CommandInteraction,
    stats: bool,
) -> Result<(), HandlerError> {
    let allowed = may_counsel(
        &state.policy().counselor_roles,
        interaction.guild_id,
        interaction.member.as_deref(),
    );
    if !allowed {
        tracing::info!(user = %interaction.user.id, "counselor command refused");
        return super::interactions::respond_note(ctx, interaction, COUNSELORS_ONLY).await;
    }
    let Some(store) = state.store() else {
        return super::interactions::respond_note(ctx, interaction, NO_STORE).await;
    };
    super::interactions::defer_privately(ctx, interaction).await?;
    let edit = if stats {
        stats_edit(store, interaction).await
    } else {
        let bot = state.bot();
        match store.review_groups(bot.engine()).await {
            Ok(groups) => view_edit(groups.first(), groups.len(), None),
            Err(error) => {
                tracing::error!(%error, "reading the review groups failed");
                plain_edit(STORE_FAILED)
            }
        }
    };
    let what = format!(
        "the counselor report to interaction {} in channel {}",
        interaction.id, interaction.channel_id
    );
    deliver(what, || interaction.edit_response(&ctx.http, edit.clone())).await?;
    Ok(())
}

fn plain_edit(text: &str) -> EditInteractionResponse {
    EditInteractionResponse::new()
        .content(text)
        .components(Vec::new())
        .allowed_mentions(no_pings())
}

fn view_edit(
    group: Option<&ReviewGroup>,
    open: usize,
    note: Option<&str>,
) -> EditInteractionResponse {
    let (text, components) = review_view(group, open, note);
    EditInteractionResponse::new()
        .content(text)
        .components(components)
        .allowed_mentions(no_pings())
}

/// The `/stats` report: text, and the chart attached when it renders.
async fn stats_edit(store: &Store, interaction: &CommandInteraction) -> EditInteractionResponse {
    let days = DAYS_OPTION
        .integer_in(&interaction.data.options)
        .unwrap_or(DEFAULT_STATS_DAYS)
        .clamp(1, 365);
    let until = unix_now() + 1;
    let since = until - days * 24 * 3600;
    let report = match store.stats(since, until).await {
        Ok(report) => report,
        Err(error) => {
            tracing::error!(%error, "reading the usage report failed");
            return plain_edit(STORE_FAILED);
        }
    };
    let text = crate::stats::render_text(&report);
    let chart = tokio::task::spawn_blocking(move || crate::stats::render_png(&report)).await;
    let edit = EditInteractionResponse::new()
        .content(truncate(&text, CONTENT_LIMIT))
        .allowed_mentions(no_pings());
    match chart {
        Ok(Ok(png)) => edit.new_attachment(CreateAttachment::bytes(png, "stats.png")),
        Ok(Err(error)) => {
            tracing::warn!(%error, "the usage chart could not be drawn");
            edit
        }
        Err(error) => {
            tracing::warn!(%error, "drawing the usage chart was interrupted");
            edit
        }
    }
}

/// A click or a pick on a review message.
pub async fn handle_review(
    state: &State,
    ctx: &Context,
    interaction: &ComponentInteraction,
    action: ReviewAction,
) -> Result<(), HandlerError> {
    let allowed = may_counsel(
        &state.policy().counselor_roles,
        interaction.guild_id,
        interaction.member.as_ref(),
    );
    if !allowed {
        tracing::info!(user = %interaction.user.id, "review action refused");
        return super::interactions::respond_component_note(ctx, interaction, COUNSELORS_ONLY)
            .await;
    }
    let Some(store) = state.store() else {
        return super::interactions::respond_component_note(ctx, interaction, NO_STORE).await;
    };
    let defer = CreateInteractionResponse::Acknowledge;
    deliver_with(
        RetryPolicy::interaction_callback(),
        format!(
            "a deferred update to interaction {} in channel {}",
            interaction.id, interaction.channel_id
        ),
        || interaction.create_response(&ctx.http, defer.clone()),
    )
    .await?;
    let bot = state.bot();
    let engine = bot.engine();
    let (note, current) = match action {
        ReviewAction::Teach(id) => {
            let label = match &interaction.data.kind {
                ComponentInteractionDataKind::StringSelect { values } => {
                    values.first().cloned().unwrap_or_default()
                }
                _ => String::new(),
            };
            let note = match store.teach(engine, id, &label).await {
                Ok(taught) => {
                    tracing::info!(
                        group = id,
                        label = %taught.label,
                        examples = taught.examples,
                        user = %interaction.user.id,
                        "review group taught"
                    );
                    retrain(state, store).await;
                    format!(
                        "Taught {} wording(s) as **{}**. New questions get the new answers.",
                        taught.examples, taught.label
                    )
                }
                Err(error) => review_failure(id, &error),
            };
            (Some(note), None)
        }
        ReviewAction::Ignore(id) => {
            let note = match store.ignore(engine, id).await {
                Ok(questions) => {
                    tracing::info!(group = id, questions, user = %interaction.user.id, "review group ignored");
                    format!("Set aside group {id} ({questions} question(s)).")
                }
                Err(error) => review_failure(id, &error),
            };
            (Some(note), None)
        }
        ReviewAction::Next(id) => (None, Some(id)),
    };
    let edit = match store.review_groups(bot.engine()).await {
        Ok(groups) => {
            let shown = match current {
                Some(id) => after(&groups, id),
                None => groups.first(),
            };
            view_edit(shown, groups.len(), note.as_deref())
        }
        Err(error) => {
            tracing::error!(%error, "reading the review groups failed");
            plain_edit(&format!("{}\n\n{STORE_FAILED}", note.unwrap_or_default()))
        }
    };
    let what = format!(
        "the review update to interaction {} in channel {}",
        interaction.id, interaction.channel_id
    );
    deliver(what, || interaction.edit_response(&ctx.http, edit.clone())).await?;
    Ok(())
}

/// Retrains this process with every taught example now (the store's
/// watcher will also see the change; a second retrain is harmless).
async fn retrain(state: &State, store: &Store) {
    let taught = match store.taught_examples().await {
        Ok(taught) => taught,
        Err(error) => {
            tracing::error!(%error, "reading the taught examples failed; retraining later");
            return;
        }
    };
    if let Err(error) = state.knowledge().retrain(taught).await {
        tracing::error!(%error, "retraining after a teach failed");
    }
}

/// What a counselor is told when a review action did nothing.
fn review_failure(id: i64, error: &ReviewError) -> String {
    match error {
        ReviewError::NoGroup(_) => {
            format!("Group {id} is no longer open (someone may have handled it already).")
        }
        ReviewError::UnknownLabel { label, .. } => format!("I don't know the topic {label:?}."),
        ReviewError::Store(store_error) => {
            tracing::error!(error = %store_error, "a review action failed");
            STORE_FAILED.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(id: i64, wordings: usize) -> ReviewGroup {
        ReviewGroup {
            id,
            count: wordings,
            questions: (0..wordings).map(|i| format!("wording {i} ")).collect(),
            suggestion: Some("workplace".into()),
            newest: 0,
            question_ids: Vec::new(),
            ignored: false,
        }
    }

    #[test]
    fn review_actions_round_trip_and_reject_forgeries() {
        for action in [
            ReviewAction::Teach(12),
            ReviewAction::Ignore(1),
            ReviewAction::Next(9_000_000),
        ] {
            assert_eq!(ReviewAction::parse(&action.custom_id()), Some(action));
        }
        assert_eq!(ReviewAction::Teach(12).custom_id(), "review:teach:12");
        for bad in [
            "",
            "review:",
            "review:teach:",
            "review:teach:-1",
            "review:teach:x",
            "review:burn:3",
            "vote:up:salary",
            "review:next:99999999999999999999",
        ] {
            assert_eq!(ReviewAction::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_group_is_shown_with_its_menu_and_buttons_within_limits() {
        let shown = group(5, 25);
        let (text, rows) = review_view(Some(&shown), 3, Some("Taught 2 wording(s)."));
        assert!(text.starts_with("Taught 2 wording(s)."), "{text}");
        assert!(text.contains("**Group 5**: 25 question(s)"), "{text}");
        assert_eq!(text.matches("> wording").count(), WORDINGS_SHOWN, "{text}");
        assert!(text.contains("15 more"), "{text}");
        assert!(text.chars().count() <= CONTENT_LIMIT);
        let value = serde_json::to_value(&rows).unwrap_or_default();
        let menu = &value[0]["components"][0];
        assert_eq!(menu["type"], 3);
        assert_eq!(menu["custom_id"], "review:teach:5");
        let options = menu["options"].as_array().cloned().unwrap_or_default();
        assert_eq!(options.len(), Intent::TOPICS.len() + 1);
        assert_eq!(options[Intent::TOPICS.len()]["value"], OFF_TOPIC);
        assert!(options
            .iter()
            .any(|o| o["value"] == "workplace" && o["label"] == "Teach as workplace"));
        assert_eq!(value[1]["components"][0]["custom_id"], "review:ignore:5");
        assert_eq!(value[1]["components"][1]["custom_id"], "review:next:5");
        let (empty, rows) = review_view(None, 0, None);
        assert_eq!(empty, NOTHING_TO_REVIEW);
        assert!(rows.is_empty());
    }

    #[test]
    fn next_wraps_round() {
        let groups = vec![group(1, 3), group(2, 2), group(3, 1)];
        assert_eq!(after(&groups, 1).map(|g| g.id), Some(2));
        assert_eq!(after(&groups, 3).map(|g| g.id), Some(1));
        assert_eq!(after(&groups, 42).map(|g| g.id), Some(1));
        assert_eq!(after(&[], 1).map(|g| g.id), None);
    }

    #[test]
    fn only_counselors_and_managers_in_servers() {
        let counselor = RoleId::new(10);
        let guild = Some(GuildId::new(1));
        let mut member = Member::default();
        assert!(!may_counsel(&[counselor], guild, Some(&member)));
        member.roles = vec![counselor];
        assert!(may_counsel(&[counselor], guild, Some(&member)));
        assert!(
            !may_counsel(&[counselor], None, Some(&member)),
            "not in DMs"
        );
        member.roles = Vec::new();
        member.permissions = Some(Permissions::MANAGE_GUILD);
        assert!(may_counsel(&[counselor], guild, Some(&member)));
        assert!(may_counsel(&[], guild, Some(&member)));
        assert!(!may_counsel(&[], guild, None));
    }
}
