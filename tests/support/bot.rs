//! Running the real `career-bot` binary: a config file in a temporary
//! directory, `career-bot run --config FILE`, its output captured line by
//! line into a [`Log`] that tests wait on, killed when dropped.

use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

use super::record::{Log, Summary, TimeoutError};
use super::server::DiscordServer;

/// The token the tests' bot uses (shaped like a real bot token: base64
/// user id, timestamp, HMAC).
pub const TOKEN: &str = "MTE4NzAwMDAwMDAwMDAwMDAwMA.GLoop0.bAcK-tEsT_t0kEn-0123456789abcdefghijkl";

/// The path of the binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_career-bot"))
}

/// The bot's configuration file, field by field (see
/// `config.example.toml`).
#[derive(Clone, Debug)]
pub struct BotConfig {
    /// `discord.token` (`None`: the key is left out).
    pub token: Option<String>,
    /// The `DISCORD_TOKEN` environment variable (`None`: unset).
    pub env_token: Option<String>,
    /// `discord.guild_ids`.
    pub guild_ids: Vec<String>,
    /// `discord.proxy_url`.
    pub proxy_url: Option<String>,
    /// `discord.extra_root_certificates` (paths).
    pub extra_root_certificates: Vec<String>,
    /// `discord.resolve`: (host, `ip:port`).
    pub resolve: Vec<(String, String)>,
    /// `answering.mentions`.
    pub mentions: bool,
    /// `answering.direct_messages`.
    pub direct_messages: bool,
    /// `answering.listen_channels`.
    pub listen_channels: Vec<String>,
    /// `answering.default_visibility`: `"private"` or `"public"`.
    pub default_visibility: String,
    /// `answering.counselor_role_ids`.
    pub counselor_role_ids: Vec<String>,
    /// `answering.burst` (`None`: the key is left out, the default applies).
    pub burst: Option<u32>,
    /// `answering.burst_seconds` (`None`: the default).
    pub burst_seconds: Option<f64>,
    /// `answering.repeat_seconds` (`None`: the default).
    pub repeat_seconds: Option<f64>,
    /// `sharding.mode`.
    pub sharding_mode: String,
    /// `sharding.first`, `last`, `total` (for `mode = "range"`).
    pub shard_range: Option<(u32, u32, u32)>,
    /// `store.url` (`None`: the key is left out, so the store is a SQLite
    /// file beside the config, in the test's temporary directory).
    pub store_url: Option<String>,
    /// `store.log_direct_messages` (`None`: the default, off).
    pub log_direct_messages: Option<bool>,
    /// `store.log_questions` (`None`: the default, on).
    pub log_questions: Option<bool>,
    /// `logging.filter`.
    pub log_filter: String,
    /// `RUST_LOG` for the process (`None`: unset, the config decides).
    pub rust_log: Option<String>,
    /// Raw TOML appended to the file.
    pub extra: String,
    /// `--knowledge DIR` (`None`: the built-in knowledge).
    pub knowledge_dir: Option<PathBuf>,
}

impl BotConfig {
    /// The configuration that points the bot at `server`, with the test
    /// token, slash commands registered in the test guild, and the
    /// documented defaults otherwise, except that the flood limits are off
    /// (`burst = 0`, `repeat_seconds = 0`) so tests can ask several
    /// questions as one person; [`BotConfig::default_limits`] puts them back. A server in TLS mode is reached
    /// as in production — no proxy, serenity's rate limiter on — with
    /// `discord.com` resolved to its HTTPS port and its test authority
    /// trusted; otherwise through `proxy_url`.
    pub fn for_server(server: &DiscordServer) -> BotConfig {
        let (proxy_url, extra_root_certificates, resolve) =
            match (server.https_addr(), server.ca_certificate_path()) {
                (Some(addr), Some(ca)) => (
                    None,
                    vec![ca.to_string_lossy().into_owned()],
                    vec![("discord.com".to_string(), addr.to_string())],
                ),
                _ => (Some(server.base_url()), Vec::new(), Vec::new()),
            };
        BotConfig {
            token: Some(TOKEN.to_string()),
            env_token: None,
            guild_ids: vec![server.world().guild_id.clone()],
            proxy_url,
            extra_root_certificates,
            resolve,
            mentions: true,
            direct_messages: true,
            listen_channels: Vec::new(),
            default_visibility: "private".to_string(),
            counselor_role_ids: Vec::new(),
            burst: Some(0),
            burst_seconds: None,
            repeat_seconds: Some(0.0),
            sharding_mode: "auto".to_string(),
            shard_range: None,
            store_url: None,
            log_direct_messages: None,
            log_questions: None,
            log_filter: "info".to_string(),
            rust_log: None,
            extra: String::new(),
            knowledge_dir: None,
        }
    }

    /// Leaves the flood limits at their documented defaults.
    pub fn default_limits(&mut self) {
        self.burst = None;
        self.burst_seconds = None;
        self.repeat_seconds = None;
    }

    /// The TOML text of the file.
    pub fn to_toml(&self) -> String {
        fn string(s: &str) -> String {
            // A JSON string literal is a valid TOML basic string.
            serde_json::to_string(s).expect("strings serialise")
        }
        fn ids(list: &[String]) -> String {
            let items: Vec<String> = list.iter().map(|id| string(id)).collect();
            format!("[{}]", items.join(", "))
        }
        let mut toml = String::from("[discord]\n");
        if let Some(token) = &self.token {
            toml += &format!("token = {}\n", string(token));
        }
        toml += &format!("guild_ids = {}\n", ids(&self.guild_ids));
        if let Some(proxy) = &self.proxy_url {
            toml += &format!("proxy_url = {}\n", string(proxy));
        }
        toml += &format!(
            "extra_root_certificates = {}\n",
            ids(&self.extra_root_certificates)
        );
        let resolve: Vec<String> = self
            .resolve
            .iter()
            .map(|(host, addr)| format!("{} = {}", string(host), string(addr)))
            .collect();
        toml += &format!("resolve = {{ {} }}\n", resolve.join(", "));
        toml += &format!(
            "\n[answering]\nmentions = {}\ndirect_messages = {}\nlisten_channels = {}\n\
             default_visibility = {}\ncounselor_role_ids = {}\n",
            self.mentions,
            self.direct_messages,
            ids(&self.listen_channels),
            string(&self.default_visibility),
            ids(&self.counselor_role_ids),
        );
        if let Some(burst) = self.burst {
            toml += &format!("burst = {burst}\n");
        }
        if let Some(seconds) = self.burst_seconds {
            toml += &format!("burst_seconds = {seconds:?}\n");
        }
        if let Some(seconds) = self.repeat_seconds {
            toml += &format!("repeat_seconds = {seconds:?}\n");
        }
        toml += &format!("\n[sharding]\nmode = {}\n", string(&self.sharding_mode));
        if let Some((first, last, total)) = self.shard_range {
            toml += &format!("first = {first}\nlast = {last}\ntotal = {total}\n");
        }
        toml += "\n[store]\n";
        if let Some(url) = &self.store_url {
            toml += &format!("url = {}\n", string(url));
        }
        if let Some(log) = self.log_direct_messages {
            toml += &format!("log_direct_messages = {log}\n");
        }
        if let Some(log) = self.log_questions {
            toml += &format!("log_questions = {log}\n");
        }
        toml += &format!("\n[logging]\nfilter = {}\n", string(&self.log_filter));
        toml += &self.extra;
        toml
    }
}

/// Which stream a line came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// One line the bot printed (ANSI escapes removed).
#[derive(Clone, Debug)]
pub struct Line {
    /// Position in the output log.
    pub index: usize,
    /// The stream.
    pub stream: Stream,
    /// The text.
    pub text: String,
}

impl Summary for Line {
    fn summary(&self) -> String {
        format!("{:?}: {}", self.stream, self.text)
    }
}

/// Removes ANSI escape sequences (`ESC [ ... letter`).
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The running bot process.
pub struct BotProcess {
    child: Child,
    output: Arc<Log<Line>>,
    readers: Vec<JoinHandle<()>>,
    /// Where its config file is.
    pub config_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        if std::thread::panicking() {
            eprintln!("---- career-bot output ----");
            for line in self.output.snapshot() {
                eprintln!("{}", line.summary());
            }
            eprintln!("---- end of career-bot output ----");
        }
    }
}

fn capture(
    output: Arc<Log<Line>>,
    stream: Stream,
    pipe: impl AsyncRead + Unpin + Send + 'static,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut lines = BufReader::new(pipe).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let text = strip_ansi(&line);
            output.push_with(|index| Line {
                index,
                stream,
                text,
            });
        }
    })
}

impl BotProcess {
    /// Writes `config` to a temporary file and starts
    /// `career-bot run --config FILE`.
    pub fn spawn(config: &BotConfig) -> BotProcess {
        let dir = tempfile::Builder::new()
            .prefix("career-bot-test-")
            .tempdir()
            .expect("temporary directory");
        let config_path = dir.path().join("career-bot.toml");
        std::fs::write(&config_path, config.to_toml()).expect("write the config");
        let config_arg = config_path.to_string_lossy().into_owned();
        let mut args = vec!["run", "--config", &config_arg];
        let knowledge_arg = config
            .knowledge_dir
            .as_ref()
            .map(|dir| dir.to_string_lossy().into_owned());
        if let Some(dir) = &knowledge_arg {
            args.extend(["--knowledge", dir]);
        }
        BotProcess::spawn_args(dir, config_path.clone(), &args, config)
    }

    /// Starts the binary with arbitrary `args` (for CLI error cases); the
    /// environment comes from `config`.
    pub fn spawn_args(
        dir: tempfile::TempDir,
        config_path: PathBuf,
        args: &[&str],
        config: &BotConfig,
    ) -> BotProcess {
        let mut command = Command::new(binary());
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env_remove("DISCORD_TOKEN")
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "1")
            .kill_on_drop(true);
        if let Some(token) = &config.env_token {
            command.env("DISCORD_TOKEN", token);
        }
        if let Some(filter) = &config.rust_log {
            command.env("RUST_LOG", filter);
        }
        let mut child = command.spawn().expect("start career-bot");
        let output = Arc::new(Log::default());
        let readers = vec![
            capture(
                Arc::clone(&output),
                Stream::Stdout,
                child.stdout.take().expect("piped stdout"),
            ),
            capture(
                Arc::clone(&output),
                Stream::Stderr,
                child.stderr.take().expect("piped stderr"),
            ),
        ];
        BotProcess {
            child,
            output,
            readers,
            config_path,
            _dir: dir,
        }
    }

    /// The process id.
    pub fn id(&self) -> Option<u32> {
        self.child.id()
    }

    /// Every line printed so far.
    pub fn output(&self) -> Vec<Line> {
        self.output.snapshot()
    }

    /// Everything printed so far, one string.
    pub fn output_text(&self) -> String {
        let lines: Vec<String> = self.output().into_iter().map(|l| l.text).collect();
        lines.join("\n")
    }

    /// Waits for a printed line containing `needle`.
    pub async fn wait_for_output(
        &self,
        needle: &str,
        timeout: Duration,
    ) -> Result<Line, TimeoutError> {
        let what = format!("output containing {needle:?}");
        self.output
            .wait_for(0, &what, |line| line.text.contains(needle), timeout)
            .await
    }

    /// Waits until `count` printed lines contain `needle`, and returns
    /// them.
    pub async fn wait_for_output_count(
        &self,
        needle: &str,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<Line>, TimeoutError> {
        let what = format!("output containing {needle:?}");
        self.output
            .wait_for_count(0, count, &what, |line| line.text.contains(needle), timeout)
            .await
    }

    /// How many printed lines contain `needle` so far.
    pub fn output_count(&self, needle: &str) -> usize {
        self.output
            .matching(0, |line| line.text.contains(needle))
            .len()
    }

    /// Waits for the process to exit, then for its output to be fully
    /// read.
    pub async fn wait_exit(&mut self, timeout: Duration) -> Result<ExitStatus, TimeoutError> {
        let status = match tokio::time::timeout(timeout, self.child.wait()).await {
            Ok(Ok(status)) => status,
            _ => {
                return Err(TimeoutError {
                    waited_for: "career-bot to exit".to_string(),
                    after: timeout,
                    seen: self.output().iter().map(Summary::summary).collect(),
                })
            }
        };
        for reader in self.readers.drain(..) {
            let _ = tokio::time::timeout(timeout, reader).await;
        }
        Ok(status)
    }

    /// Whether the process has exited (without waiting).
    pub fn try_exit(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Sends SIGTERM (Unix), for clean-shutdown tests.
    pub fn terminate(&self) {
        self.signal("-TERM");
    }

    /// Sends SIGHUP (Unix): the bot reloads its knowledge.
    pub fn hangup(&self) {
        assert!(self.signal("-HUP"), "kill -HUP failed: is the bot running?");
    }

    /// Sends a signal with `kill FLAG PID`; whether it was delivered.
    fn signal(&self, flag: &str) -> bool {
        #[cfg(unix)]
        if let Some(pid) = self.child.id() {
            return std::process::Command::new("kill")
                .args([flag, &pid.to_string()])
                .status()
                .is_ok_and(|status| status.success());
        }
        false
    }
}
