//! Starting and stopping: the HTTP client, gateway intents, shards, the
//! SIGHUP knowledge reload, and a clean shutdown on Ctrl-C or SIGTERM.

use std::time::Duration;

use serenity::all::{
    ActivityData, ApplicationId, ClientBuilder, GatewayError, GatewayIntents, Http, HttpBuilder,
    Permissions,
};
use serenity::Client;

use super::render::no_pings;
use super::state::State;
use super::DiscordError;
use crate::config::{AnsweringConfig, Config, DiscordConfig, Sharding};
use crate::reload::LiveKnowledge;

/// How long shards get to close after a shutdown signal before the bot
/// returns anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The status shown under the bot's name: how to ask it.
pub const PRESENCE: &str = "/help \u{b7} ask me about health IT careers";

/// The gateway intents the policy needs, and no more: guild messages for
/// mentions and listen channels, direct messages for DMs, and the privileged
/// MESSAGE_CONTENT only when listen channels need text that does not
/// mention the bot. Interactions need no intent.
pub fn gateway_intents(answering: &AnsweringConfig) -> GatewayIntents {
    let listens = !answering.listen_channels.is_empty();
    let mut intents = GatewayIntents::empty();
    if answering.mentions || listens {
        intents |= GatewayIntents::GUILD_MESSAGES;
    }
    if answering.direct_messages {
        intents |= GatewayIntents::DIRECT_MESSAGES;
    }
    if listens {
        intents |= GatewayIntents::MESSAGE_CONTENT;
    }
    intents
}

/// The permissions the bot needs in a channel: see it, read the message it
/// replies to, and answer with embeds, in channels and in their threads and
/// forum posts (Send Messages does not cover threads).
pub fn invite_permissions() -> Permissions {
    Permissions::VIEW_CHANNEL
        | Permissions::SEND_MESSAGES
        | Permissions::SEND_MESSAGES_IN_THREADS
        | Permissions::EMBED_LINKS
        | Permissions::READ_MESSAGE_HISTORY
}

/// The link that adds the bot to a server with its slash commands and
/// [`invite_permissions`].
pub fn invite_url(application: ApplicationId) -> String {
    format!(
        "https://discord.com/oauth2/authorize?client_id={application}&scope=bot+applications.commands&permissions={}",
        invite_permissions().bits()
    )
}

/// serenity's HTTP client. Behind `proxy_url` serenity's rate limiter is off
/// (it ignores the proxy while on; the proxy rate limits instead); without
/// it, requests go to discord.com through the rate limiter. The reqwest
/// client under it trusts `extra_root_certificates` and resolves `resolve`
/// (see [`super::http_client`]).
pub fn build_http(discord: &DiscordConfig) -> Result<Http, DiscordError> {
    let client = super::http_client::build_client(discord)?;
    let mut builder = HttpBuilder::new(discord.token.expose_secret())
        .client(client)
        .default_allowed_mentions(no_pings());
    if let Some(proxy_url) = &discord.proxy_url {
        builder = builder.proxy(proxy_url).ratelimiter_disabled(true);
    }
    Ok(builder.build())
}

/// Connects, answers until a shutdown signal or a fatal gateway error.
pub async fn run_client(
    config: Config,
    knowledge: std::sync::Arc<LiveKnowledge>,
    store: Option<crate::store::Attached>,
) -> Result<(), DiscordError> {
    let intents = gateway_intents(&config.answering);
    // Listen for SIGHUP before connecting: from now on it reloads the
    // knowledge instead of ending the process.
    #[cfg(unix)]
    let _reloader = AbortOnDrop(
        crate::reload::reload_on_hangup(knowledge.clone()).map_err(DiscordError::Signal)?,
    );
    let runs_shard_zero = match config.sharding {
        Sharding::Auto => true,
        Sharding::Range { first, .. } => first == 0,
    };
    let state = State::new(
        knowledge,
        &config.answering,
        &config.discord.guild_ids,
        runs_shard_zero,
        store,
    );
    let http = build_http(&config.discord)?;
    tracing::info!(
        intents = ?intents,
        proxy = config.discord.proxy_url.as_deref().unwrap_or("none"),
        sharding = ?config.sharding,
        "starting the Discord client"
    );
    let mut client = ClientBuilder::new_with_http(http, intents)
        .activity(ActivityData::custom(PRESENCE))
        .event_handler(state)
        .await
        .map_err(|error| DiscordError::Client(Box::new(error)))?;
    let shard_manager = client.shard_manager.clone();
    let shutdown = shutdown_signal()?;
    let shards = start_shards(&mut client, config.sharding);
    tokio::pin!(shards);
    tokio::select! {
        outcome = &mut shards => outcome,
        signal = shutdown => {
            tracing::info!(signal, "shutting down the shards");
            shard_manager.shutdown_all().await;
            // Shards that had not started yet report nothing; don't wait for them forever.
            match tokio::time::timeout(SHUTDOWN_GRACE, shards).await {
                Ok(Err(error)) => tracing::warn!(%error, "error while shutting down"),
                Ok(Ok(())) => {}
                Err(_) => tracing::warn!("shards did not stop within {SHUTDOWN_GRACE:?}"),
            }
            tracing::info!("shut down cleanly");
            Ok(())
        }
    }
}

/// Stops a background task when the client stops.
#[cfg(unix)]
struct AbortOnDrop(tokio::task::JoinHandle<()>);

#[cfg(unix)]
impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts this process's shards and runs them until they stop.
async fn start_shards(client: &mut Client, sharding: Sharding) -> Result<(), DiscordError> {
    let outcome = match sharding {
        Sharding::Range { first, last, total } => {
            // serenity's range end is inclusive: shards first..=last.
            client.start_shard_range(first..last, total).await
        }
        Sharding::Auto => match client.http.get_bot_gateway().await {
            Ok(gateway) => {
                let total = gateway.shards.max(1);
                tracing::info!(shards = total, "Discord recommends {total} shard(s)");
                client.start_shards(total).await
            }
            Err(error) if is_unauthorized(&error) => return Err(DiscordError::InvalidToken),
            Err(error) => {
                tracing::warn!(
                    %error,
                    "could not ask Discord how many shards to run; starting one"
                );
                client.start().await
            }
        },
    };
    outcome.map_err(classify_gateway_error)
}

/// True for an HTTP 401, Discord's answer to a bad token.
fn is_unauthorized(error: &serenity::Error) -> bool {
    matches!(error, serenity::Error::Http(http) if http.status_code().is_some_and(|status| status.as_u16() == 401))
}

/// A clear error for what ended the client.
fn classify_gateway_error(error: serenity::Error) -> DiscordError {
    match error {
        serenity::Error::Gateway(GatewayError::InvalidAuthentication) => DiscordError::InvalidToken,
        serenity::Error::Gateway(GatewayError::DisallowedGatewayIntents) => {
            DiscordError::DisallowedIntents
        }
        serenity::Error::Gateway(GatewayError::InvalidGatewayIntents) => {
            DiscordError::InvalidIntents
        }
        error if is_unauthorized(&error) => DiscordError::InvalidToken,
        error => DiscordError::Client(Box::new(error)),
    }
}

/// Resolves with the signal's name on Ctrl-C or SIGTERM. Listening starts
/// now, so a signal that arrives while connecting is not missed.
fn shutdown_signal() -> Result<impl std::future::Future<Output = &'static str>, DiscordError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut terminate = signal(SignalKind::terminate()).map_err(DiscordError::Signal)?;
        let mut interrupt = signal(SignalKind::interrupt()).map_err(DiscordError::Signal)?;
        Ok(async move {
            tokio::select! {
                _ = terminate.recv() => "SIGTERM",
                _ = interrupt.recv() => "SIGINT",
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            match tokio::signal::ctrl_c().await {
                Ok(()) => "Ctrl-C",
                Err(_) => std::future::pending().await,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_install_needs_no_privileged_intent() {
        let intents = gateway_intents(&AnsweringConfig::default());
        assert_eq!(
            intents,
            GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES
        );
        assert_eq!(intents.bits(), 4608);
        assert!(!intents.contains(GatewayIntents::MESSAGE_CONTENT));
    }

    #[test]
    fn listen_channels_request_message_content() {
        let answering = AnsweringConfig {
            listen_channels: vec![1],
            mentions: false,
            direct_messages: false,
            ..AnsweringConfig::default()
        };
        let intents = gateway_intents(&answering);
        assert_eq!(
            intents,
            GatewayIntents::GUILD_MESSAGES | GatewayIntents::MESSAGE_CONTENT
        );
    }

    #[test]
    fn invite_asks_for_exactly_five_permissions() {
        assert_eq!(invite_permissions().bits(), 274_877_991_936);
        assert_eq!(
            invite_url(ApplicationId::new(42)),
            "https://discord.com/oauth2/authorize?client_id=42&scope=bot+applications.commands&permissions=274877991936"
        );
    }

    #[test]
    fn fatal_gateway_errors_are_named() {
        let invalid = classify_gateway_error(serenity::Error::Gateway(
            GatewayError::InvalidAuthentication,
        ));
        assert!(matches!(invalid, DiscordError::InvalidToken));
        assert!(invalid.to_string().contains("4004"));
        let disallowed = classify_gateway_error(serenity::Error::Gateway(
            GatewayError::DisallowedGatewayIntents,
        ));
        assert!(disallowed.to_string().contains("MESSAGE_CONTENT"));
    }
}
