//! The Discord bot's configuration file.
//!
//! Loading is two stages, like the knowledge files: raw serde structs that
//! mirror the TOML exactly (unknown keys are errors), then a validated
//! [`Config`] whose values are ready to use. Every error names the file and,
//! where the TOML says where, the line and column.
//!
//! The token comes from the `DISCORD_TOKEN` environment variable or from
//! `discord.token` (the variable wins). It is held in a [`Token`], whose
//! `Debug` and `Display` print `[redacted]`, so a `Config` can be logged or
//! printed without leaking it.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::problem::line_column;
pub use crate::problem::Problem;

/// The environment variable that holds the bot token; it wins over the file.
pub const TOKEN_ENV_VAR: &str = "DISCORD_TOKEN";

/// The default burst of public free-text answers per person and channel.
pub const DEFAULT_BURST: u32 = 3;

/// The default time over which that burst refills, in seconds.
pub const DEFAULT_BURST_SECONDS: u64 = 30;

/// The default window within which a topic is not posted again in a
/// channel, in seconds.
pub const DEFAULT_REPEAT_SECONDS: u64 = 60;

/// The longest window any of the limits may have: one day.
const MAX_LIMIT_SECONDS: f64 = 86_400.0;

/// The default log filter, in `tracing` `EnvFilter` syntax.
pub const DEFAULT_LOG_FILTER: &str = "info";

/// A problem with the configuration file or the token.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not match the expected keys and types.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column (in characters) of the problem.
        column: usize,
        /// What is wrong, as the TOML parser says it.
        message: String,
    },
    /// The TOML is well formed but some values are not acceptable.
    #[error("invalid config file {}:\n{}", path.display(), Problems(problems))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
    /// Neither `DISCORD_TOKEN` nor `discord.token` holds a token.
    #[error(
        "no Discord bot token: set the {TOKEN_ENV_VAR} environment variable \
         or `token` in the [discord] section of {}",
        path.display()
    )]
    MissingToken {
        /// The file that was searched for `discord.token`.
        path: PathBuf,
    },
}

/// Display helper: one problem per line.
struct Problems<'a>(&'a [Problem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "  {problem}")?;
        }
        Ok(())
    }
}

/// The bot token. Prints as `[redacted]`; [`Token::expose_secret`] is the
/// one way to read it, used only where serenity needs it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A token from its text, trimmed; `None` when blank.
    pub fn new(text: &str) -> Option<Token> {
        let trimmed = text.trim();
        (!trimmed.is_empty()).then(|| Token(trimmed.to_string()))
    }

    /// The token itself. Call this only to hand the token to serenity.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Who sees a slash command's answer when the user does not say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Only the person who asked (an ephemeral reply).
    #[default]
    Private,
    /// Everyone in the channel.
    Public,
}

/// Which shards this process runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sharding {
    /// As many shards as Discord recommends, all in this process.
    #[default]
    Auto,
    /// Shards `first..=last` of `total`, so several processes can split a
    /// large deployment.
    Range {
        /// First shard id run here.
        first: u32,
        /// Last shard id run here (inclusive).
        last: u32,
        /// Total number of shards across all processes.
        total: u32,
    },
}

/// `[discord]`: how to reach Discord.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscordConfig {
    /// The bot token (redacted when printed).
    pub token: Token,
    /// Guilds where slash commands are registered (instantly); empty means
    /// global registration.
    pub guild_ids: Vec<u64>,
    /// Base URL that replaces `https://discord.com` for REST calls, without a
    /// trailing slash. When set, serenity's own rate limiter is off: the
    /// proxy is expected to rate limit.
    pub proxy_url: Option<String>,
    /// PEM files of certificate authorities the HTTP client trusts besides
    /// its built-in roots (e.g. a TLS-intercepting corporate proxy's CA).
    /// Relative paths in the file are resolved against the file's
    /// directory. Read when the bot starts.
    pub extra_root_certificates: Vec<PathBuf>,
    /// Host names the HTTP client connects to at a fixed address instead
    /// of asking DNS (`discord.com` → `127.0.0.1:8443`). REST calls only;
    /// the gateway URL comes from Discord.
    pub resolve: BTreeMap<String, SocketAddr>,
}

/// `[answering]`: when and how the bot answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnsweringConfig {
    /// Answer messages that mention the bot.
    pub mentions: bool,
    /// Answer direct messages.
    pub direct_messages: bool,
    /// Channels where every message is considered, mention or not.
    pub listen_channels: Vec<u64>,
    /// Visibility of slash-command answers when the `public` option is absent.
    pub default_visibility: Visibility,
    /// Roles allowed to post answers publicly; empty means everyone.
    pub counselor_role_ids: Vec<u64>,
    /// Public free-text answers one person gets at once in one channel
    /// before later ones wait for room; zero turns the bucket off.
    pub burst: u32,
    /// The time over which an empty bucket refills completely.
    pub burst_period: Duration,
    /// The same topic is not posted publicly again in a channel within
    /// this time; zero allows repeats.
    pub repeat_window: Duration,
}

impl Default for AnsweringConfig {
    fn default() -> Self {
        AnsweringConfig {
            mentions: true,
            direct_messages: true,
            listen_channels: Vec::new(),
            default_visibility: Visibility::Private,
            counselor_role_ids: Vec::new(),
            burst: DEFAULT_BURST,
            burst_period: Duration::from_secs(DEFAULT_BURST_SECONDS),
            repeat_window: Duration::from_secs(DEFAULT_REPEAT_SECONDS),
        }
    }
}

/// `[store]`: where unanswered questions, votes and taught examples are
/// kept, and what is logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreConfig {
    /// The store; `None`: `career-bot.sqlite3` beside the config file.
    pub url: Option<crate::store::StoreUrl>,
    /// Log questions at all.
    pub log_questions: bool,
    /// Log questions asked in direct messages.
    pub log_direct_messages: bool,
    /// Questions and votes older than this are removed; `None` keeps them.
    pub retention: Option<Duration>,
    /// Writes held in memory while the store is slow or down.
    pub queue_bound: usize,
}

/// Default `store.retention_days`.
pub const DEFAULT_RETENTION_DAYS: u32 = 90;
/// Default `store.queue_bound`.
pub const DEFAULT_QUEUE_BOUND: usize = 1024;

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            url: None,
            log_questions: true,
            log_direct_messages: false,
            retention: Some(Duration::from_secs(
                u64::from(DEFAULT_RETENTION_DAYS) * 24 * 3600,
            )),
            queue_bound: DEFAULT_QUEUE_BOUND,
        }
    }
}

/// `[logging]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggingConfig {
    /// `tracing` `EnvFilter` directives; `RUST_LOG` wins over it.
    pub filter: String,
}

impl Default for LoggingConfig {
    fn default() -> Self {
        LoggingConfig {
            filter: DEFAULT_LOG_FILTER.to_string(),
        }
    }
}

impl LoggingConfig {
    /// The filter to install: `rust_log` (the `RUST_LOG` value) when set and
    /// not blank, otherwise the configured one.
    pub fn effective_filter(&self, rust_log: Option<&str>) -> String {
        match rust_log.map(str::trim) {
            Some(value) if !value.is_empty() => value.to_string(),
            _ => self.filter.clone(),
        }
    }
}

/// The validated configuration. Its `Debug` output never shows the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `[discord]`.
    pub discord: DiscordConfig,
    /// `[answering]`.
    pub answering: AnsweringConfig,
    /// `[sharding]`.
    pub sharding: Sharding,
    /// `[store]`.
    pub store: StoreConfig,
    /// `[logging]`.
    pub logging: LoggingConfig,
}

impl Config {
    /// Reads and validates the file at `path`, taking the token from
    /// `DISCORD_TOKEN` when that is set.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::from_toml_str(&text, path)
    }

    /// Validates TOML `text` that came from `origin` (used in errors), taking
    /// the token from `DISCORD_TOKEN` when that is set.
    pub fn from_toml_str(text: &str, origin: impl AsRef<Path>) -> Result<Config, ConfigError> {
        let env_token = std::env::var(TOKEN_ENV_VAR).ok();
        Config::from_toml_and_env(text, origin, env_token.as_deref())
    }

    /// Validates TOML `text` from `origin`, with `env_token` standing for the
    /// value of `DISCORD_TOKEN` (`None` when unset). Pure: reads no
    /// environment and no files.
    pub fn from_toml_and_env(
        text: &str,
        origin: impl AsRef<Path>,
        env_token: Option<&str>,
    ) -> Result<Config, ConfigError> {
        let path = origin.as_ref().to_path_buf();
        let raw: RawConfig = toml::from_str(text).map_err(|error| {
            let (line, column) = error
                .span()
                .map_or((1, 1), |span| line_column(text, span.start));
            ConfigError::Syntax {
                path: path.clone(),
                line,
                column,
                message: error.message().trim().to_string(),
            }
        })?;
        let mut problems = ProblemCollector::new(&path, text);
        let base = path.parent().unwrap_or(Path::new(""));
        let config = raw.validate(env_token, base, &mut problems);
        if !problems.list.is_empty() {
            problems.list.sort_by_key(|problem| problem.line);
            return Err(ConfigError::Invalid {
                path,
                problems: problems.list,
            });
        }
        config.ok_or(ConfigError::MissingToken { path })
    }
}

/// Collects problems while validating, turning byte spans into positions
/// (the same [`Problem`] and arithmetic as the knowledge files).
struct ProblemCollector<'a> {
    file: String,
    text: &'a str,
    list: Vec<Problem>,
}

impl ProblemCollector<'_> {
    fn new<'a>(file: &Path, text: &'a str) -> ProblemCollector<'a> {
        ProblemCollector {
            file: file.display().to_string(),
            text,
            list: Vec::new(),
        }
    }

    /// A problem with the value of `key`, found at `span`.
    fn at(&mut self, key: &str, span: Option<Range<usize>>, message: impl Into<String>) {
        let message = format!("{key}: {}", message.into());
        self.list.push(Problem::at(
            &self.file,
            self.text,
            span.map(|span| span.start),
            message,
        ));
    }
}

// ---------------------------------------------------------------------------
// Stage one: the file as written.

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    discord: RawDiscord,
    #[serde(default)]
    answering: RawAnswering,
    #[serde(default)]
    sharding: RawSharding,
    #[serde(default)]
    store: RawStore,
    #[serde(default)]
    logging: RawLogging,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStore {
    url: Option<Spanned<String>>,
    log_questions: Option<bool>,
    log_direct_messages: Option<bool>,
    retention_days: Option<Spanned<u32>>,
    queue_bound: Option<Spanned<u32>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiscord {
    token: Option<Spanned<String>>,
    #[serde(default)]
    guild_ids: Vec<Spanned<RawId>>,
    proxy_url: Option<Spanned<String>>,
    #[serde(default)]
    extra_root_certificates: Vec<Spanned<String>>,
    #[serde(default)]
    resolve: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswering {
    mentions: Option<bool>,
    direct_messages: Option<bool>,
    #[serde(default)]
    listen_channels: Vec<Spanned<RawId>>,
    default_visibility: Option<Visibility>,
    #[serde(default)]
    counselor_role_ids: Vec<Spanned<RawId>>,
    /// Replaced by `burst`, `burst_seconds` and `repeat_seconds`; named
    /// only to say so.
    cooldown_seconds: Option<Spanned<toml::Value>>,
    burst: Option<Spanned<u32>>,
    burst_seconds: Option<Spanned<f64>>,
    repeat_seconds: Option<Spanned<f64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSharding {
    mode: Option<Spanned<RawShardMode>>,
    first: Option<Spanned<u32>>,
    last: Option<Spanned<u32>>,
    total: Option<Spanned<u32>>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawShardMode {
    Auto,
    Range,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLogging {
    filter: Option<Spanned<String>>,
}

/// A Discord id as written: an integer or a string of digits.
#[derive(Debug)]
enum RawId {
    Number(i128),
    Text(String),
}

impl<'de> Deserialize<'de> for RawId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawId, D::Error> {
        struct IdVisitor;

        impl Visitor<'_> for IdVisitor {
            type Value = RawId;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Discord id (an integer or a string of digits)")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<RawId, E> {
                Ok(RawId::Number(i128::from(value)))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<RawId, E> {
                Ok(RawId::Number(i128::from(value)))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<RawId, E> {
                Ok(RawId::Text(value.to_string()))
            }
        }

        deserializer.deserialize_any(IdVisitor)
    }
}

// ---------------------------------------------------------------------------
// Stage two: validation.

impl RawConfig {
    /// The validated config, or `None` with the reasons in `problems`
    /// (a missing token alone adds no problem: the caller reports it).
    /// Relative paths are taken relative to `base`, the file's directory.
    fn validate(
        self,
        env_token: Option<&str>,
        base: &Path,
        problems: &mut ProblemCollector<'_>,
    ) -> Option<Config> {
        let token = self.discord.token(env_token, problems);
        let guild_ids = validate_ids("discord.guild_ids", self.discord.guild_ids, problems);
        let proxy_url = self
            .discord
            .proxy_url
            .and_then(|url| validate_proxy_url(url, problems));
        let extra_root_certificates =
            validate_certificate_paths(self.discord.extra_root_certificates, base, problems);
        let resolve = validate_resolve(self.discord.resolve, problems);
        let answering = self.answering.validate(problems);
        let sharding = self.sharding.validate(problems);
        let store = self.store.validate(base, problems);
        let logging = self.logging.validate(problems);
        Some(Config {
            discord: DiscordConfig {
                token: token?,
                guild_ids,
                proxy_url,
                extra_root_certificates,
                resolve,
            },
            answering,
            sharding,
            store,
            logging,
        })
    }
}

impl RawDiscord {
    /// The token from the environment when set, else from the file.
    fn token(&self, env_token: Option<&str>, problems: &mut ProblemCollector<'_>) -> Option<Token> {
        if let Some(token) = env_token.and_then(Token::new) {
            if !is_plausible_token(token.expose_secret()) {
                problems.at(
                    TOKEN_ENV_VAR,
                    None,
                    "the token contains spaces or control characters",
                );
            }
            return Some(token);
        }
        let spanned = self.token.as_ref()?;
        let token = Token::new(spanned.get_ref())?;
        if !is_plausible_token(token.expose_secret()) {
            problems.at(
                "discord.token",
                Some(spanned.span()),
                "the token contains spaces or control characters",
            );
        }
        Some(token)
    }
}

/// A token that can go into an HTTP header as is: no inner whitespace or
/// control characters (an optional `Bot ` prefix is allowed).
fn is_plausible_token(token: &str) -> bool {
    let bare = token.strip_prefix("Bot ").unwrap_or(token);
    !bare.is_empty() && bare.chars().all(|c| c.is_ascii_graphic())
}

fn validate_ids(
    key: &str,
    ids: Vec<Spanned<RawId>>,
    problems: &mut ProblemCollector<'_>,
) -> Vec<u64> {
    let mut valid = Vec::with_capacity(ids.len());
    for spanned in ids {
        let span = spanned.span();
        let parsed = match spanned.into_inner() {
            RawId::Number(number) => u64::try_from(number).ok(),
            RawId::Text(text) => text.trim().parse::<u64>().ok(),
        };
        match parsed {
            Some(id) if id > 0 => {
                if !valid.contains(&id) {
                    valid.push(id);
                }
            }
            _ => problems.at(key, Some(span), "not a Discord id (a positive integer)"),
        }
    }
    valid
}

fn validate_proxy_url(url: Spanned<String>, problems: &mut ProblemCollector<'_>) -> Option<String> {
    let span = url.span();
    let text = url.into_inner();
    let trimmed = text.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {
            Some(trimmed.to_string())
        }
        _ => {
            problems.at(
                "discord.proxy_url",
                Some(span),
                "expected a base URL such as \"http://127.0.0.1:3000\" (http:// or https://, no spaces)",
            );
            None
        }
    }
}

fn validate_certificate_paths(
    paths: Vec<Spanned<String>>,
    base: &Path,
    problems: &mut ProblemCollector<'_>,
) -> Vec<PathBuf> {
    let mut valid = Vec::with_capacity(paths.len());
    for spanned in paths {
        let span = spanned.span();
        let text = spanned.into_inner();
        if text.trim().is_empty() {
            problems.at(
                "discord.extra_root_certificates",
                Some(span),
                "expected the path of a PEM file, got an empty string",
            );
            continue;
        }
        let path = base.join(text);
        if !valid.contains(&path) {
            valid.push(path);
        }
    }
    valid
}

fn validate_resolve(
    entries: BTreeMap<String, Spanned<String>>,
    problems: &mut ProblemCollector<'_>,
) -> BTreeMap<String, SocketAddr> {
    let mut valid = BTreeMap::new();
    for (host, address) in entries {
        let span = address.span();
        let key = format!("discord.resolve.{host:?}");
        if !is_host_name(&host) {
            problems.at(
                &key,
                Some(span.clone()),
                "not a host name (letters, digits, `-` and `.`, such as \"discord.com\")",
            );
        }
        match address.get_ref().trim().parse::<SocketAddr>() {
            Ok(address) => {
                valid.insert(host.to_ascii_lowercase(), address);
            }
            Err(_) => problems.at(
                &key,
                Some(span),
                "expected an IP address and port, such as \"127.0.0.1:8443\" or \"[::1]:8443\"",
            ),
        }
    }
    valid
}

/// A DNS host name: dot-separated labels of letters, digits and hyphens.
fn is_host_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

impl RawAnswering {
    fn validate(self, problems: &mut ProblemCollector<'_>) -> AnsweringConfig {
        let defaults = AnsweringConfig::default();
        if let Some(old) = &self.cooldown_seconds {
            problems.at(
                "answering.cooldown_seconds",
                Some(old.span()),
                "replaced by `burst`, `burst_seconds` and `repeat_seconds` (see config.example.toml)",
            );
        }
        let burst = self.burst.map_or(defaults.burst, |burst| {
            if *burst.get_ref() > 1000 {
                problems.at(
                    "answering.burst",
                    Some(burst.span()),
                    "at most 1000; 0 turns the bucket off",
                );
            }
            *burst.get_ref()
        });
        let burst_period = seconds(
            "answering.burst_seconds",
            self.burst_seconds,
            defaults.burst_period,
            false,
            problems,
        );
        let repeat_window = seconds(
            "answering.repeat_seconds",
            self.repeat_seconds,
            defaults.repeat_window,
            true,
            problems,
        );
        AnsweringConfig {
            mentions: self.mentions.unwrap_or(defaults.mentions),
            direct_messages: self.direct_messages.unwrap_or(defaults.direct_messages),
            listen_channels: validate_ids(
                "answering.listen_channels",
                self.listen_channels,
                problems,
            ),
            default_visibility: self
                .default_visibility
                .unwrap_or(defaults.default_visibility),
            counselor_role_ids: validate_ids(
                "answering.counselor_role_ids",
                self.counselor_role_ids,
                problems,
            ),
            burst,
            burst_period,
            repeat_window,
        }
    }
}

/// A duration in seconds (fractions allowed) from `key`, or `default`
/// when absent; zero only when `zero_allowed`, at most a day.
fn seconds(
    key: &str,
    value: Option<Spanned<f64>>,
    default: Duration,
    zero_allowed: bool,
    problems: &mut ProblemCollector<'_>,
) -> Duration {
    let Some(value) = value else {
        return default;
    };
    let seconds = *value.get_ref();
    let lowest_ok = if zero_allowed {
        seconds >= 0.0
    } else {
        seconds > 0.0
    };
    if !(lowest_ok && seconds <= MAX_LIMIT_SECONDS) {
        let expected = if zero_allowed {
            "from 0 (off) to 86400 seconds (one day)"
        } else {
            "more than 0 and at most 86400 seconds (one day)"
        };
        problems.at(key, Some(value.span()), expected);
        return default;
    }
    Duration::from_secs_f64(seconds)
}

impl RawSharding {
    fn validate(self, problems: &mut ProblemCollector<'_>) -> Sharding {
        let mode = self
            .mode
            .as_ref()
            .map_or(RawShardMode::Auto, |mode| *mode.get_ref());
        let given = [
            ("first", &self.first),
            ("last", &self.last),
            ("total", &self.total),
        ];
        match mode {
            RawShardMode::Auto => {
                for (name, value) in given {
                    if let Some(value) = value {
                        problems.at(
                            &format!("sharding.{name}"),
                            Some(value.span()),
                            "only used with mode = \"range\"",
                        );
                    }
                }
                Sharding::Auto
            }
            RawShardMode::Range => {
                let mode_span = self.mode.as_ref().map(Spanned::span);
                let mut missing = false;
                for (name, value) in given {
                    if value.is_none() {
                        missing = true;
                        problems.at(
                            &format!("sharding.{name}"),
                            mode_span.clone(),
                            "required with mode = \"range\"",
                        );
                    }
                }
                let (Some(first), Some(last), Some(total)) = (self.first, self.last, self.total)
                else {
                    debug_assert!(missing);
                    return Sharding::Auto;
                };
                let (first_span, last_span, total_span) = (first.span(), last.span(), total.span());
                let (first, last, total) =
                    (first.into_inner(), last.into_inner(), total.into_inner());
                if total == 0 {
                    problems.at("sharding.total", Some(total_span), "must be at least 1");
                } else if last >= total {
                    problems.at(
                        "sharding.last",
                        Some(last_span),
                        format!("shard ids run from 0 to total - 1 = {}", total - 1),
                    );
                }
                if first > last {
                    problems.at(
                        "sharding.first",
                        Some(first_span),
                        "must not be greater than `last`",
                    );
                }
                Sharding::Range { first, last, total }
            }
        }
    }
}

impl RawStore {
    fn validate(self, base: &Path, problems: &mut ProblemCollector<'_>) -> StoreConfig {
        let defaults = StoreConfig::default();
        let url = self.url.and_then(|url| {
            let span = url.span();
            match url.get_ref().parse::<crate::store::StoreUrl>() {
                // A relative SQLite path is relative to the config file.
                Ok(crate::store::StoreUrl::Sqlite(path)) if path.is_relative() => {
                    Some(crate::store::StoreUrl::Sqlite(base.join(path)))
                }
                Ok(parsed) => Some(parsed),
                Err(error) => {
                    problems.at("store.url", Some(span), error.to_string());
                    None
                }
            }
        });
        let retention = match self.retention_days {
            None => defaults.retention,
            Some(days) if *days.get_ref() == 0 => None,
            Some(days) if *days.get_ref() > 36_500 => {
                problems.at(
                    "store.retention_days",
                    Some(days.span()),
                    "at most 36500 days; 0 keeps records forever",
                );
                defaults.retention
            }
            Some(days) => Some(Duration::from_secs(u64::from(*days.get_ref()) * 24 * 3600)),
        };
        let queue_bound = match self.queue_bound {
            None => defaults.queue_bound,
            Some(bound) if (1..=1_000_000).contains(bound.get_ref()) => *bound.get_ref() as usize,
            Some(bound) => {
                problems.at(
                    "store.queue_bound",
                    Some(bound.span()),
                    "from 1 to 1000000 records",
                );
                defaults.queue_bound
            }
        };
        StoreConfig {
            url,
            log_questions: self.log_questions.unwrap_or(defaults.log_questions),
            log_direct_messages: self
                .log_direct_messages
                .unwrap_or(defaults.log_direct_messages),
            retention,
            queue_bound,
        }
    }
}

impl RawLogging {
    fn validate(self, problems: &mut ProblemCollector<'_>) -> LoggingConfig {
        let Some(filter) = self.filter else {
            return LoggingConfig::default();
        };
        let span = filter.span();
        let filter = filter.into_inner();
        if let Err(error) = tracing_subscriber::EnvFilter::try_new(&filter) {
            problems.at(
                "logging.filter",
                Some(span),
                format!("not a valid log filter: {error}"),
            );
        }
        LoggingConfig { filter }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "MTIz.abc.secret-token-value";

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml_and_env(text, "bot.toml", None)
    }

    fn parse_ok(text: &str) -> Config {
        match parse(text) {
            Ok(config) => config,
            Err(error) => panic!("expected a valid config, got: {error}"),
        }
    }

    /// The key a problem is about (its message starts `key: `).
    fn key(problem: &Problem) -> &str {
        problem.message.split_once(": ").map_or("", |(key, _)| key)
    }

    fn invalid_problems(text: &str) -> Vec<Problem> {
        match parse(text) {
            Err(ConfigError::Invalid { problems, .. }) => problems,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn minimal_file_gets_every_default() {
        let config = parse_ok(&format!("[discord]\ntoken = \"{TOKEN}\"\n"));
        assert_eq!(config.discord.token.expose_secret(), TOKEN);
        assert!(config.discord.guild_ids.is_empty());
        assert_eq!(config.discord.proxy_url, None);
        assert!(config.discord.extra_root_certificates.is_empty());
        assert!(config.discord.resolve.is_empty());
        assert_eq!(config.answering, AnsweringConfig::default());
        assert!(config.answering.mentions && config.answering.direct_messages);
        assert_eq!(config.answering.default_visibility, Visibility::Private);
        assert_eq!(config.answering.burst, 3);
        assert_eq!(config.answering.burst_period, Duration::from_secs(30));
        assert_eq!(config.answering.repeat_window, Duration::from_secs(60));
        assert_eq!(config.sharding, Sharding::Auto);
        assert_eq!(config.logging.filter, "info");
    }

    #[test]
    fn full_file_is_read() {
        let text = format!(
            r#"
[discord]
token = "{TOKEN}"
guild_ids = [111, "222"]
proxy_url = "http://127.0.0.1:8080/"
extra_root_certificates = ["certs/proxy-ca.pem", "/etc/ssl/other.pem"]
resolve = {{ "discord.com" = "127.0.0.1:8443", "Media.Example.org" = "[::1]:443" }}
[answering]
mentions = false
direct_messages = false
listen_channels = ["333"]
default_visibility = "public"
counselor_role_ids = [444]
burst = 0
burst_seconds = 1.5
repeat_seconds = 0
[sharding]
mode = "range"
first = 0
last = 1
total = 4
[logging]
filter = "career_bot=debug,serenity=warn"
"#
        );
        let config = parse_ok(&text);
        assert_eq!(config.discord.guild_ids, vec![111, 222]);
        assert_eq!(
            config.discord.proxy_url.as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            config.discord.extra_root_certificates,
            [
                PathBuf::from("certs/proxy-ca.pem"),
                PathBuf::from("/etc/ssl/other.pem")
            ]
        );
        assert_eq!(
            config.discord.resolve.get("discord.com"),
            Some(&SocketAddr::from(([127, 0, 0, 1], 8443)))
        );
        assert_eq!(
            config
                .discord
                .resolve
                .get("media.example.org")
                .map(|a| a.port()),
            Some(443)
        );
        assert!(!config.answering.mentions);
        assert!(!config.answering.direct_messages);
        assert_eq!(config.answering.listen_channels, vec![333]);
        assert_eq!(config.answering.default_visibility, Visibility::Public);
        assert_eq!(config.answering.counselor_role_ids, vec![444]);
        assert_eq!(config.answering.burst, 0);
        assert_eq!(config.answering.burst_period, Duration::from_millis(1500));
        assert_eq!(config.answering.repeat_window, Duration::ZERO);
        assert_eq!(
            config.sharding,
            Sharding::Range {
                first: 0,
                last: 1,
                total: 4
            }
        );
        assert_eq!(config.logging.filter, "career_bot=debug,serenity=warn");
    }

    #[test]
    fn example_file_is_valid() {
        let text = include_str!("../../config.example.toml");
        let config = Config::from_toml_and_env(text, "config.example.toml", Some(TOKEN));
        assert!(config.is_ok(), "{config:?}");
    }

    #[test]
    fn environment_token_wins_over_the_file() {
        let text = "[discord]\ntoken = \"from-file\"\n";
        let config = Config::from_toml_and_env(text, "bot.toml", Some("from-env"));
        assert_eq!(
            config
                .map(|c| c.discord.token.expose_secret().to_string())
                .ok(),
            Some("from-env".into())
        );
        let blank_env = Config::from_toml_and_env(text, "bot.toml", Some("  "));
        assert_eq!(
            blank_env
                .map(|c| c.discord.token.expose_secret().to_string())
                .ok(),
            Some("from-file".into())
        );
    }

    #[test]
    fn missing_token_is_a_clear_error() {
        for text in ["", "[discord]\n", "[discord]\ntoken = \"\"\n"] {
            let error = parse(text)
                .err()
                .map(|error| error.to_string())
                .unwrap_or_default();
            assert!(error.contains("DISCORD_TOKEN"), "{error}");
            assert!(error.contains("bot.toml"), "{error}");
        }
        assert!(Config::from_toml_and_env("", "bot.toml", Some(TOKEN)).is_ok());
    }

    #[test]
    fn unknown_key_reports_file_line_and_column() {
        let text = format!("[discord]\ntoken = \"{TOKEN}\"\n\n[answering]\nmention = true\n");
        match parse(&text) {
            Err(ConfigError::Syntax {
                path,
                line,
                column,
                message,
            }) => {
                assert_eq!(path, PathBuf::from("bot.toml"));
                assert_eq!((line, column), (5, 1));
                assert!(message.contains("mention"), "{message}");
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
        let shown = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(shown.starts_with("bot.toml:5:1: "), "{shown}");
    }

    #[test]
    fn limits_out_of_range_and_the_old_cooldown_are_reported_at_their_lines() {
        for (text, needle) in [
            ("[answering]\ncooldown_seconds = 5\n", "bot.toml:2:"),
            ("[answering]\nburst_seconds = 0\n", "bot.toml:2:"),
            ("[answering]\n\nrepeat_seconds = -1\n", "bot.toml:3:"),
            ("[answering]\nburst = 5000\n", "bot.toml:2:"),
        ] {
            let shown = Config::from_toml_and_env(text, "bot.toml", Some(TOKEN))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(shown.contains(needle), "{text}: {shown}");
        }
    }

    #[test]
    fn malformed_toml_and_wrong_types_are_syntax_errors() {
        for (text, line) in [
            ("[discord\n", 1),
            ("[answering]\nburst = \"five\"\n", 2),
            ("[answering]\ndefault_visibility = \"secret\"\n", 2),
            ("[sharding]\nmode = \"manual\"\n", 2),
            ("[answering]\nburst = -1\n", 2),
        ] {
            match Config::from_toml_and_env(text, "bot.toml", Some(TOKEN)) {
                Err(ConfigError::Syntax { line: got, .. }) => assert_eq!(got, line, "{text}"),
                other => panic!("{text}: expected a syntax error, got {other:?}"),
            }
        }
    }

    #[test]
    fn bad_values_are_all_reported_with_positions() {
        let text = format!(
            "[discord]\ntoken = \"{TOKEN}\"\nguild_ids = [0, \"abc\", -5]\nproxy_url = \"ftp://x\"\n\
             [logging]\nfilter = \"career_bot=lots\"\n"
        );
        let problems = invalid_problems(&text);
        let keys: Vec<_> = problems.iter().map(key).collect();
        assert_eq!(
            keys,
            [
                "discord.guild_ids",
                "discord.guild_ids",
                "discord.guild_ids",
                "discord.proxy_url",
                "logging.filter"
            ]
        );
        assert_eq!(problems[3].line, 4);
        assert_eq!(problems[3].column, 13);
        let shown = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(shown.contains("bot.toml"), "{shown}");
        assert!(
            shown.contains("bot.toml:3:14: discord.guild_ids: "),
            "{shown}"
        );
    }

    #[test]
    fn certificate_paths_are_relative_to_the_config_file() {
        let text = format!(
            "[discord]\ntoken = \"{TOKEN}\"\nextra_root_certificates = [\"ca.pem\", \"/abs/ca.pem\"]\n"
        );
        let config = Config::from_toml_and_env(&text, "/etc/career-bot/bot.toml", None);
        assert_eq!(
            config.map(|c| c.discord.extra_root_certificates).ok(),
            Some(vec![
                PathBuf::from("/etc/career-bot/ca.pem"),
                PathBuf::from("/abs/ca.pem")
            ])
        );
    }

    #[test]
    fn bad_tls_settings_are_reported_with_positions() {
        let text = format!(
            "[discord]\ntoken = \"{TOKEN}\"\nextra_root_certificates = [\" \"]\n\
             resolve = {{ \"discord.com\" = \"127.0.0.1\", \"bad host\" = \"127.0.0.1:1\" }}\n"
        );
        let problems = invalid_problems(&text);
        let keys: Vec<_> = problems.iter().map(key).collect();
        assert_eq!(
            keys,
            [
                "discord.extra_root_certificates",
                "discord.resolve.\"bad host\"",
                "discord.resolve.\"discord.com\""
            ]
        );
        assert_eq!((problems[0].line, problems[0].column), (3, 28));
        assert_eq!(problems[2].line, 4);
        assert!(
            problems[2].message.contains("port"),
            "{}",
            problems[2].message
        );
        assert!(
            problems[1].message.contains("host name"),
            "{}",
            problems[1].message
        );
    }

    #[test]
    fn host_names() {
        for good in ["discord.com", "a", "x-1.example.org", "DISCORD.COM"] {
            assert!(is_host_name(good), "{good}");
        }
        for bad in [
            "",
            "bad host",
            "-a.com",
            "a..b",
            "a.com:443",
            "a/b",
            "é.com",
        ] {
            assert!(!is_host_name(bad), "{bad}");
        }
    }

    #[test]
    fn shard_ranges_are_checked() {
        let base = format!("[discord]\ntoken = \"{TOKEN}\"\n[sharding]\n");
        let problems = invalid_problems(&format!("{base}mode = \"range\"\nfirst = 0\n"));
        assert_eq!(
            problems.iter().map(key).collect::<Vec<_>>(),
            ["sharding.last", "sharding.total"]
        );
        let problems = invalid_problems(&format!(
            "{base}mode = \"range\"\nfirst = 2\nlast = 1\ntotal = 2\n"
        ));
        assert_eq!(problems.len(), 1);
        assert_eq!(key(&problems[0]), "sharding.first");
        let problems = invalid_problems(&format!(
            "{base}mode = \"range\"\nfirst = 0\nlast = 4\ntotal = 4\n"
        ));
        assert_eq!(key(&problems[0]), "sharding.last");
        let problems = invalid_problems(&format!("{base}first = 0\n"));
        assert_eq!(key(&problems[0]), "sharding.first");
        assert!(parse(&format!("{base}mode = \"auto\"\n")).is_ok());
    }

    #[test]
    fn token_never_shows_in_debug_or_display() {
        let text = format!("[discord]\ntoken = \"{TOKEN}\"\n");
        let config = parse_ok(&text);
        let debug = format!("{config:?} {config:#?}");
        assert!(!debug.contains(TOKEN));
        assert!(!debug.contains("secret-token"));
        assert!(debug.contains("[redacted]"));
        assert_eq!(config.discord.token.to_string(), "[redacted]");
    }

    #[test]
    fn token_with_spaces_is_rejected_without_echoing_it() {
        let text = "[discord]\ntoken = \"abc def\"\n";
        let problems = invalid_problems(text);
        assert_eq!(key(&problems[0]), "discord.token");
        let shown = parse(text).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(!shown.contains("abc def"), "{shown}");
    }

    #[test]
    fn store_defaults_keep_a_file_beside_the_config_and_skip_direct_messages() {
        let config = parse_ok(&format!("[discord]\ntoken = \"{TOKEN}\"\n"));
        assert_eq!(config.store, StoreConfig::default());
        assert_eq!(config.store.url, None);
        assert!(config.store.log_questions);
        assert!(!config.store.log_direct_messages);
        assert_eq!(
            config.store.retention,
            Some(Duration::from_secs(90 * 24 * 3600))
        );
        assert_eq!(config.store.queue_bound, DEFAULT_QUEUE_BOUND);
    }

    #[test]
    fn store_settings_are_read_and_a_relative_file_sits_beside_the_config() {
        let text = format!(
            "[discord]\ntoken = \"{TOKEN}\"\n[store]\nurl = \"sqlite://data/bot.sqlite3\"\n\
             log_questions = false\nlog_direct_messages = true\nretention_days = 0\n\
             queue_bound = 10\n"
        );
        let store = Config::from_toml_and_env(&text, "/etc/career-bot/bot.toml", None)
            .map(|config| config.store);
        let store = match store {
            Ok(store) => store,
            Err(error) => panic!("expected a valid config, got: {error}"),
        };
        assert_eq!(
            store.url,
            Some(crate::store::StoreUrl::Sqlite(PathBuf::from(
                "/etc/career-bot/data/bot.sqlite3"
            )))
        );
        assert!(!store.log_questions);
        assert!(store.log_direct_messages);
        assert_eq!(store.retention, None, "0 days keeps records forever");
        assert_eq!(store.queue_bound, 10);
        let absolute = parse_ok(&format!(
            "[discord]\ntoken = \"{TOKEN}\"\n[store]\nurl = \"postgres://bot@db/bot\"\n\
             retention_days = 30\n"
        ));
        assert!(absolute
            .store
            .url
            .as_ref()
            .is_some_and(|url| url.is_shared()));
        assert_eq!(
            absolute.store.retention,
            Some(Duration::from_secs(30 * 24 * 3600))
        );
    }

    #[test]
    fn bad_store_settings_are_reported_at_their_lines() {
        let text = format!(
            "[discord]\ntoken = \"{TOKEN}\"\n[store]\nurl = \"mysql://bot:secret@db/bot\"\n\
             retention_days = 40000\nqueue_bound = 0\n"
        );
        let problems = invalid_problems(&text);
        let at: Vec<_> = problems.iter().map(|p| (key(p), p.line)).collect();
        assert_eq!(
            at,
            [
                ("store.url", 4),
                ("store.retention_days", 5),
                ("store.queue_bound", 6)
            ]
        );
        let shown = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn rust_log_wins_over_the_configured_filter() {
        let logging = LoggingConfig {
            filter: "warn".into(),
        };
        assert_eq!(logging.effective_filter(Some("debug")), "debug");
        assert_eq!(logging.effective_filter(Some(" ")), "warn");
        assert_eq!(logging.effective_filter(None), "warn");
    }
}
