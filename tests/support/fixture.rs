//! One test's Discord and bot: a fresh [`DiscordServer`] and the real bot
//! process connected to it, ready (READY sent, slash commands registered).

use serde_json::Value;

use super::bot::{BotConfig, BotProcess, TOKEN};
use super::payloads::{Channel, NewMessage, Person, World};
use super::record::TimeoutError;
use super::server::rest::Request;
use super::server::{DiscordServer, Invoked, Posted, ServerConfig, WAIT};

/// A server and the bot connected to it.
pub struct TestBot {
    /// The loopback Discord.
    pub server: DiscordServer,
    /// The bot process.
    pub bot: BotProcess,
    /// The configuration it runs with.
    pub config: BotConfig,
}

impl TestBot {
    /// The default setup: mentions and DMs answered, commands in the test
    /// guild, no cooldown.
    pub async fn start() -> TestBot {
        TestBot::start_with(ServerConfig::default(), |_, _| {}).await
    }

    /// A setup with `configure` applied to the bot's configuration.
    pub async fn configured(configure: impl FnOnce(&mut BotConfig, &World)) -> TestBot {
        TestBot::start_with(ServerConfig::default(), configure).await
    }

    /// Starts a server with `server_config` (the test token is the only
    /// one accepted), the bot with its configuration passed through
    /// `configure`, and waits until the bot is identified and its commands
    /// are registered.
    pub async fn start_with(
        mut server_config: ServerConfig,
        configure: impl FnOnce(&mut BotConfig, &World),
    ) -> TestBot {
        server_config.accepted_token = Some(TOKEN.to_string());
        let server = DiscordServer::start_with(server_config).await;
        let mut config = BotConfig::for_server(&server);
        configure(&mut config, server.world());
        let bot = BotProcess::spawn(&config);
        let test = TestBot {
            server,
            bot,
            config,
        };
        test.wait_until_ready().await;
        test
    }

    /// Waits for READY to be sent and the commands to be registered.
    pub async fn wait_until_ready(&self) {
        self.server
            .wait_for_ready(0)
            .await
            .expect("the bot identifies and gets READY");
        self.wait_for_registration(0)
            .await
            .expect("the bot registers its commands");
    }

    /// Waits for a successful command registration from request `from` on.
    pub async fn wait_for_registration(&self, from: usize) -> Result<Request, TimeoutError> {
        let guild_scoped = !self.config.guild_ids.is_empty();
        self.server
            .wait_for_request_from(
                from,
                "a successful command registration",
                |r| {
                    let pattern = if guild_scoped {
                        "/applications/*/guilds/*/commands"
                    } else {
                        "/applications/*/commands"
                    };
                    (r.matches("PUT", pattern) || r.matches("POST", pattern))
                        && (200..300).contains(&r.status)
                },
                WAIT,
            )
            .await
    }

    /// The world.
    pub fn world(&self) -> &World {
        self.server.world()
    }

    /// `author` writes `content` in `channel`.
    pub fn say(&self, author: &Person, channel: &Channel, content: &str) -> Posted {
        self.server
            .post(NewMessage::new(author, channel, content))
            .expect("the bot has a session")
    }

    /// `author` mentions the bot in `#general` with `question`.
    pub fn ask(&self, author: &Person, question: &str) -> Posted {
        let content = format!("{} {question}", self.world().bot.mention());
        self.say(author, &self.world().general.clone(), &content)
    }

    /// Waits for the bot's reply to `posted`.
    pub async fn reply_to(&self, posted: &Posted) -> Request {
        self.server
            .wait_for_reply_to(&posted.id)
            .await
            .expect("the bot replies")
    }

    /// Runs `/name` with `options` as `invoker` in `#general`.
    pub fn slash(&self, invoker: &Person, name: &str, options: &[(&str, Value)]) -> Invoked {
        let channel = self.world().general.clone();
        self.server
            .slash(invoker, &channel, name, options)
            .unwrap_or_else(|e| panic!("cannot run /{name}: {e}"))
    }

    /// Waits for the callback to `invoked`.
    pub async fn callback(&self, invoked: &Invoked) -> Request {
        self.server
            .wait_for_callback(invoked)
            .await
            .expect("the bot answers the interaction")
    }

    /// Asserts that Discord rejected nothing the bot sent.
    pub fn assert_nothing_rejected(&self) {
        let rejected = self.server.rejected_requests();
        assert!(
            rejected.is_empty(),
            "Discord would reject these requests:\n{}",
            rejected
                .iter()
                .map(|r| format!(
                    "{} {} -> {} {}\n  body: {}",
                    r.method, r.path, r.status, r.response, r.raw_body
                ))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// Asserts a message the bot sent pings nobody: `allowed_mentions` is
/// present, parses nothing, lists nobody and does not ping the replied-to
/// author; and by Discord's rules nobody would be notified.
pub fn assert_pings_nobody(request: &Request) {
    let body = request.message_body();
    let allowed = &body["allowed_mentions"];
    assert!(
        allowed.is_object(),
        "allowed_mentions is always sent: {}",
        request.raw_body
    );
    assert_eq!(
        allowed["parse"],
        serde_json::json!([]),
        "{}",
        request.raw_body
    );
    for list in ["users", "roles"] {
        assert!(
            allowed[list].as_array().map_or(true, Vec::is_empty),
            "{list} allowed: {}",
            request.raw_body
        );
    }
    assert_ne!(allowed["replied_user"], true, "{}", request.raw_body);
    assert!(request.pings().is_empty(), "{:?}", request.pings());
}

/// The answers the bot's own library gives, to compare with what reached
/// Discord.
pub fn library_bot() -> career_bot::CareerBot {
    career_bot::CareerBot::from_embedded().expect("the embedded knowledge loads")
}
