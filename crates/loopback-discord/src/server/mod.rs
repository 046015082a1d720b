//! The loopback Discord server: Discord's REST API and gateway on one
//! `127.0.0.1` port.
//!
//! [`DiscordServer::start`] binds port 0 and serves
//!
//! - REST under `/api/v10` ([`rest`]): the gateway URL, command
//!   registration, messages, interaction callbacks and follow-up webhooks,
//!   with Discord's status codes and error bodies, validated the way Discord
//!   validates them (embed limits, empty messages, components, select
//!   menus, modals, attachments, unknown interactions, double
//!   acknowledgements...). Every request is recorded in order, with the
//!   files of `multipart/form-data` bodies ([`Request::files`]).
//! - the gateway WebSocket at `/` ([`gateway`]): HELLO, IDENTIFY, READY,
//!   heartbeats and ACKs, dispatches with sequence numbers, RESUME with
//!   replay, op 7 RECONNECT, op 9 INVALID_SESSION, close codes. Every frame
//!   in both directions is recorded.
//!
//! Tests drive it through this handle: post messages and run commands as
//! the people of the [`World`] ([`DiscordServer::slash`],
//! [`DiscordServer::autocomplete`], [`DiscordServer::message_command`]),
//! click buttons ([`DiscordServer::click`]), pick in string select menus
//! ([`DiscordServer::select`]), read and submit the modals the bot shows
//! ([`DiscordServer::modal_shown`], [`DiscordServer::submit_modal`]),
//! inject faults, and wait on the records with bounded waits. The server keeps Discord's rules honest: `content` is
//! empty for guild messages that do not mention the bot unless the session
//! asked for `MESSAGE_CONTENT`; a bot's own messages come back to it as
//! `MESSAGE_CREATE`; an interaction can be acknowledged once.
//!
//! Faults and limits are scriptable: gateway drops, close codes, op 7,
//! op 9, unacknowledged heartbeats, held reconnects, dispatches lost in
//! flight ([`DiscordServer`]'s gateway controls); REST failures
//! ([`RestFault`]); per-route rate limits ([`RateLimit`]) and the global
//! one ([`GlobalRateLimit`]) with Discord's headers and 429 bodies.
//!
//! With [`ServerConfig::tls`] the same routes are also served over HTTPS
//! ([`tls`]) with a certificate for `discord.com` from a test authority, so
//! the bot can run as in production: no proxy, serenity's own rate limiter
//! on, `discord.com` resolved to the TLS port.

pub mod gateway;
pub mod rest;
pub mod tls;
pub mod validate;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::{mpsc, watch};

use super::payloads::{self, Channel, InteractionContext, NewMessage, Person, Snowflakes, World};
use super::record::{Log, TimeoutError};
use gateway::{GatewayKind, GatewayRecord, Outbound};
use rest::Request;

/// The default failure bound for waits in tests.
pub const WAIT: Duration = Duration::from_secs(20);

/// When the gateway compresses payloads for a client that identified with
/// `compress: true` (Discord's "payload compression": some payloads,
/// zlib, one context per payload, sent as binary frames).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Never: every frame is text.
    Never,
    /// READY only, the way Discord compresses its largest payload.
    Ready,
    /// Every payload the server sends.
    Always,
}

/// A rate limit on one REST route, per major parameter (channel, guild or
/// webhook), in fixed windows.
#[derive(Clone, Debug)]
pub struct RateLimit {
    /// `GET`, `POST`...; `None` for any.
    pub method: Option<String>,
    /// Route pattern after `/api/v10`, `*` for one segment:
    /// `/channels/*/messages`.
    pub route: String,
    /// Requests allowed per window.
    pub limit: u32,
    /// The window.
    pub per: Duration,
}

/// Discord's global rate limit: requests per window across every route,
/// per bot token (Discord allows 50 per second). Interaction callbacks and
/// webhooks are exempt, as in Discord.
#[derive(Clone, Copy, Debug)]
pub struct GlobalRateLimit {
    /// Requests allowed per window.
    pub limit: u32,
    /// The window.
    pub per: Duration,
}

/// How the server behaves.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// `heartbeat_interval` in HELLO. Discord's is about 41 s; the default
    /// here is shorter, and tests of heartbeat faults shorten it further.
    pub heartbeat_interval: Duration,
    /// The only token accepted (REST `Authorization: Bot ...` and
    /// IDENTIFY); `None` accepts any non-empty token.
    pub accepted_token: Option<String>,
    /// Privileged intents the "developer portal" enabled; identifying with
    /// others closes with 4014.
    pub allowed_privileged_intents: u64,
    /// Shards recommended by `GET /gateway/bot`.
    pub recommended_shards: u32,
    /// Payload compression policy.
    pub compression: Compression,
    /// Send the bot's own messages back to it as `MESSAGE_CREATE`, as
    /// Discord does.
    pub echo_bot_messages: bool,
    /// REST rate limits (none by default: proxy mode measures the bot).
    pub rate_limits: Vec<RateLimit>,
    /// The global rate limit (none by default).
    pub global_rate_limit: Option<GlobalRateLimit>,
    /// Also serve REST over HTTPS as `discord.com` (see [`tls`]); the bot
    /// then connects without a proxy, its rate limiter on.
    pub tls: bool,
    /// Extra text channels in the guild, `#room-1` ... (see
    /// [`World::rooms`]).
    pub rooms: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            heartbeat_interval: Duration::from_secs(10),
            accepted_token: None,
            allowed_privileged_intents: payloads::intents::PRIVILEGED,
            recommended_shards: 1,
            compression: Compression::Ready,
            echo_bot_messages: true,
            rate_limits: Vec::new(),
            global_rate_limit: None,
            tls: false,
            rooms: 0,
        }
    }
}

/// A scripted REST failure: the next `times` requests matching `method`
/// and `route` get `status` with `body` and `headers`, and have no effect.
#[derive(Clone, Debug)]
pub struct RestFault {
    /// `None` matches any method.
    pub method: Option<String>,
    /// Route pattern after `/api/v10` (`*` for one segment).
    pub route: String,
    /// Status to answer.
    pub status: u16,
    /// Extra response headers (e.g. `Retry-After`).
    pub headers: Vec<(String, String)>,
    /// Response body.
    pub body: Value,
    /// How many requests it applies to.
    pub times: usize,
}

impl RestFault {
    /// `status` for the next request to `method route`, with Discord's
    /// generic error body.
    pub fn new(method: &str, route: &str, status: u16) -> RestFault {
        RestFault {
            method: Some(method.to_string()),
            route: route.to_string(),
            status,
            headers: Vec::new(),
            body: json!({"message": format!("{status}: injected by the test"), "code": 0}),
            times: 1,
        }
    }

    /// Applies to the next `times` matching requests.
    pub fn times(mut self, times: usize) -> RestFault {
        self.times = times;
        self
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> RestFault {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// A 429 the way Discord sends it for a route's limit, but without
    /// `Retry-After` (and without the `X-RateLimit-*` headers), which
    /// serenity's rate limiter does not wait out.
    pub fn too_many_requests_without_retry_after(method: &str, route: &str) -> RestFault {
        let mut fault = RestFault::new(method, route, 429);
        fault.body = json!({
            "message": "You are being rate limited.",
            "retry_after": 0.5,
            "global": false,
        });
        fault
    }

    /// Discord's global 429: `Retry-After`, `X-RateLimit-Global: true`,
    /// `X-RateLimit-Scope: global`, and a body with `global: true`.
    pub fn global_rate_limit(method: &str, route: &str, retry_after: Duration) -> RestFault {
        let mut fault = RestFault::new(method, route, 429)
            .header(
                "retry-after",
                &retry_after.as_secs_f64().ceil().max(1.0).to_string(),
            )
            .header("x-ratelimit-global", "true")
            .header("x-ratelimit-scope", "global");
        fault.body = json!({
            "message": "You are being rate limited.",
            "retry_after": retry_after.as_secs_f64(),
            "global": true,
        });
        fault
    }
}

/// A dispatch could not be sent: no session for its shard (the bot has not
/// identified, or its session was invalidated).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoSession {
    /// The shard the event belongs to.
    pub shard: u32,
}

impl std::fmt::Display for NoSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no gateway session for shard {}", self.shard)
    }
}

impl std::error::Error for NoSession {}

/// A dispatch the server sent or queued.
#[derive(Clone, Debug)]
pub struct Dispatched {
    /// Its sequence number; `None` when the session's intents filter the
    /// event out (Discord would not send it).
    pub seq: Option<u64>,
    /// The session it belongs to.
    pub session_id: String,
    /// Whether a live connection was attached when it was dispatched
    /// (otherwise it waits in the session for a RESUME).
    pub live: bool,
    /// The payload as the session receives it (content stripped without
    /// `MESSAGE_CONTENT`).
    pub data: Value,
}

/// A message a user posted through [`DiscordServer::post`].
#[derive(Clone, Debug)]
pub struct Posted {
    /// Message id.
    pub id: String,
    /// Channel id.
    pub channel_id: String,
    /// The full message object (content included).
    pub message: Value,
    /// How it was dispatched.
    pub dispatched: Dispatched,
}

/// An interaction the server dispatched.
#[derive(Clone, Debug)]
pub struct Invoked {
    /// Interaction id.
    pub id: String,
    /// Interaction token.
    pub token: String,
    /// The interaction object.
    pub interaction: Value,
    /// How it was dispatched.
    pub dispatched: Dispatched,
}

/// What the server remembers of an interaction.
#[derive(Clone, Debug)]
pub(crate) struct InteractionState {
    pub kind: u8,
    pub token: String,
    pub channel: Channel,
    pub invoker: Person,
    /// Callback type of the first (only) response.
    pub response: Option<u8>,
    /// The message the response created (types 4 and 5).
    pub original: Option<String>,
    /// For components (and modals submitted from one): the message the
    /// component is on.
    pub message: Option<String>,
    /// The modal shown in response (callback type 9): its `data`.
    pub modal: Option<Value>,
}

/// One gateway session (created by IDENTIFY, continued by RESUME).
#[derive(Debug)]
pub(crate) struct Session {
    pub token: String,
    pub intents: u64,
    pub shard: [u32; 2],
    pub seq: u64,
    /// Every dispatch of the session, for replay.
    pub history: Vec<gateway::Stored>,
    /// The live connection receiving dispatches.
    pub connection: Option<u64>,
    /// The client asked for payload compression.
    pub compress: bool,
}

/// A live WebSocket connection.
#[derive(Debug)]
pub(crate) struct Connection {
    pub tx: mpsc::UnboundedSender<Outbound>,
    pub session: Option<String>,
    pub compress: bool,
}

/// Registered application commands: `None` is global, `Some(guild)` a
/// guild's.
pub(crate) type Commands = BTreeMap<Option<String>, Vec<Value>>;

/// Everything mutable, behind one lock (never held across an await).
#[derive(Debug, Default)]
pub(crate) struct State {
    pub ack_heartbeats: bool,
    pub next_connection: u64,
    pub connections: HashMap<u64, Connection>,
    pub sessions: HashMap<String, Session>,
    /// Current session per shard id.
    pub shard_sessions: BTreeMap<u32, String>,
    /// Every message: posted by users or created by the bot.
    pub messages: HashMap<String, Value>,
    pub interactions: HashMap<String, InteractionState>,
    pub commands: Commands,
    pub rest_faults: Vec<RestFault>,
    /// (rule index, major parameter) → (window start, used).
    pub rate_windows: HashMap<(usize, String), (tokio::time::Instant, u32)>,
    /// The global limit's window: (start, used).
    pub global_window: Option<(tokio::time::Instant, u32)>,
    /// Uploaded files by CDN path (`/attachments/{channel}/{id}/{name}`).
    pub files: HashMap<String, rest::UploadedFile>,
}

/// State shared by the HTTP handlers, the connection tasks and the handle.
pub(crate) struct Shared {
    pub config: ServerConfig,
    pub world: World,
    pub ids: Snowflakes,
    pub addr: SocketAddr,
    pub requests: Log<Request>,
    pub gateway: Log<GatewayRecord>,
    pub state: Mutex<State>,
    /// Whether new gateway connections proceed (false: held before HELLO).
    pub gate: watch::Sender<bool>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `ws://127.0.0.1:PORT`: what `GET /gateway` returns.
    pub fn gateway_url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    pub fn now(&self) -> String {
        payloads::iso8601(SystemTime::now())
    }
}

/// The running server. It runs on its own thread and runtime, so a test
/// that keeps its own thread busy cannot delay heartbeat ACKs or replies.
/// Dropping it drops the live connections and stops the runtime.
pub struct DiscordServer {
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    /// The HTTPS listener and its CA file, in TLS mode.
    tls: Option<tls::TlsEndpoint>,
}

impl Drop for DiscordServer {
    fn drop(&mut self) {
        {
            let mut state = self.shared.lock();
            for connection in state.connections.values() {
                let _ = connection.tx.send(Outbound::Drop);
            }
            state.connections.clear();
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl DiscordServer {
    /// Starts a server with the default configuration.
    pub async fn start() -> DiscordServer {
        DiscordServer::start_with(ServerConfig::default()).await
    }

    /// Starts a server on `127.0.0.1:0`.
    pub async fn start_with(config: ServerConfig) -> DiscordServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let ids = Snowflakes::default();
        let world = World::with_rooms(&ids, config.rooms);
        let tls_listener = config.tls.then(|| {
            let listener =
                std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0 for TLS");
            listener
                .set_nonblocking(true)
                .expect("a non-blocking listener");
            listener
        });
        let (gate, _) = watch::channel(true);
        let shared = Arc::new(Shared {
            config,
            world,
            ids,
            addr,
            requests: Log::default(),
            gateway: Log::default(),
            state: Mutex::new(State {
                ack_heartbeats: true,
                ..State::default()
            }),
            gate,
        });
        let app = Router::new()
            .route("/", get(gateway::upgrade))
            .fallback(rest::handle)
            .layer(axum::extract::DefaultBodyLimit::max(rest::BODY_LIMIT))
            .with_state(Arc::clone(&shared));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("loopback-discord")
            .enable_all()
            .build()
            .expect("the server's runtime");
        let tls = tls_listener.map(|listener| {
            let authority = tls::TestAuthority::new(&[tls::HOST]);
            let endpoint =
                tls::TlsEndpoint::new(listener.local_addr().expect("local address"), &authority);
            let acceptor = authority.acceptor();
            let app = app.clone();
            runtime.spawn(async move {
                let listener =
                    tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                tls::serve(listener, acceptor, app).await;
            });
            endpoint
        });
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
            // No Nagle: a small frame must not wait for the bot's delayed
            // ACK of the previous one (40 ms on Linux), which would be
            // measured as the bot's reply time.
            let _ = axum::serve(listener, app).tcp_nodelay(true).await;
        });
        DiscordServer {
            shared,
            runtime: Some(runtime),
            tls,
        }
    }

    /// In TLS mode, `127.0.0.1:PORT` of the HTTPS listener: where the bot
    /// resolves `discord.com`.
    pub fn https_addr(&self) -> Option<SocketAddr> {
        self.tls.as_ref().map(|tls| tls.addr)
    }

    /// In TLS mode, the test authority's certificate file (PEM).
    pub fn ca_certificate_path(&self) -> Option<&std::path::Path> {
        self.tls.as_ref().map(|tls| tls.ca_path())
    }

    /// The world the server plays: the bot, guild, channels and people.
    pub fn world(&self) -> &World {
        &self.shared.world
    }

    /// The server's configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.shared.config
    }

    /// `http://127.0.0.1:PORT`: the bot's `discord.proxy_url`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// `ws://127.0.0.1:PORT`: what `GET /gateway` returns.
    pub fn gateway_url(&self) -> String {
        self.shared.gateway_url()
    }

    /// A fresh snowflake.
    pub fn new_id(&self) -> String {
        self.shared.ids.next()
    }

    // ----- records -------------------------------------------------------

    /// Every REST request so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.requests.snapshot()
    }

    /// A mark for "requests after now".
    pub fn request_mark(&self) -> usize {
        self.shared.requests.len()
    }

    /// The first request (from the start) satisfying `predicate`, waiting
    /// up to `timeout`.
    pub async fn wait_for_request(
        &self,
        predicate: impl FnMut(&Request) -> bool,
        timeout: Duration,
    ) -> Result<Request, TimeoutError> {
        self.wait_for_request_from(0, "a matching request", predicate, timeout)
            .await
    }

    /// The first request at index `from` or later satisfying `predicate`.
    pub async fn wait_for_request_from(
        &self,
        from: usize,
        what: &str,
        predicate: impl FnMut(&Request) -> bool,
        timeout: Duration,
    ) -> Result<Request, TimeoutError> {
        self.shared
            .requests
            .wait_for(from, what, predicate, timeout)
            .await
    }

    /// Waits for `count` requests satisfying `predicate`.
    pub async fn wait_for_requests(
        &self,
        count: usize,
        what: &str,
        predicate: impl FnMut(&Request) -> bool,
        timeout: Duration,
    ) -> Result<Vec<Request>, TimeoutError> {
        self.shared
            .requests
            .wait_for_count(0, count, what, predicate, timeout)
            .await
    }

    /// Every gateway record so far.
    pub fn gateway_records(&self) -> Vec<GatewayRecord> {
        self.shared.gateway.snapshot()
    }

    /// A mark for "gateway records after now".
    pub fn gateway_mark(&self) -> usize {
        self.shared.gateway.len()
    }

    /// The first gateway record at index `from` or later satisfying
    /// `predicate`.
    pub async fn wait_for_gateway(
        &self,
        from: usize,
        what: &str,
        predicate: impl FnMut(&GatewayRecord) -> bool,
        timeout: Duration,
    ) -> Result<GatewayRecord, TimeoutError> {
        self.shared
            .gateway
            .wait_for(from, what, predicate, timeout)
            .await
    }

    /// Waits for the next IDENTIFY (from `from` on) and returns its `d`.
    pub async fn wait_for_identify(&self, from: usize) -> Result<Value, TimeoutError> {
        let record = self
            .wait_for_gateway(from, "IDENTIFY (op 2)", |r| r.is_client_op(2), WAIT)
            .await?;
        Ok(record.payload()["d"].clone())
    }

    /// Waits until READY was written to a client (from `from` on) and
    /// returns the session id.
    pub async fn wait_for_ready(&self, from: usize) -> Result<String, TimeoutError> {
        let record = self
            .wait_for_gateway(from, "READY sent", |r| r.is_sent_event("READY"), WAIT)
            .await?;
        match record.kind {
            GatewayKind::ToClient { session, .. } => Ok(session.unwrap_or_default()),
            _ => unreachable!("matched a sent event"),
        }
    }

    /// Waits until RESUMED was written to a client (from `from` on).
    pub async fn wait_for_resumed(&self, from: usize) -> Result<GatewayRecord, TimeoutError> {
        self.wait_for_gateway(from, "RESUMED sent", |r| r.is_sent_event("RESUMED"), WAIT)
            .await
    }

    /// Requests answered with a 4xx status (the bot sent something Discord
    /// would reject), excluding injected faults.
    pub fn rejected_requests(&self) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| (400..500).contains(&r.status) && !r.injected)
            .collect()
    }

    // ----- gateway control --------------------------------------------------

    /// Holds new gateway connections before HELLO (`false`) or lets them
    /// proceed (`true`). While held, a reconnecting bot waits and events
    /// dispatched meanwhile queue in its session for the RESUME.
    pub fn set_gateway_open(&self, open: bool) {
        self.shared.gate.send_replace(open);
    }

    /// Whether heartbeats get an ACK (op 11). Off: a zombied connection.
    pub fn set_heartbeat_acks(&self, ack: bool) {
        self.shared.lock().ack_heartbeats = ack;
    }

    /// Sends op 1 HEARTBEAT (the server asking for an immediate heartbeat)
    /// to every live connection.
    pub fn request_heartbeat(&self) {
        self.to_live(|| Outbound::op(1, Value::Null));
    }

    /// Drops every live gateway connection without a close frame.
    pub fn drop_connections(&self) -> usize {
        self.to_live(|| Outbound::Drop)
    }

    /// Closes every live gateway connection with `code`. Codes that end a
    /// session in Discord (4004, 4007, 4009, 4010–4014) end it here too.
    pub fn close_connections(&self, code: u16, reason: &str) -> usize {
        let ends_session = matches!(code, 4004 | 4007 | 4009 | 4010..=4014);
        let mut state = self.shared.lock();
        let mut count = 0;
        let live: Vec<u64> = state.connections.keys().copied().collect();
        for id in live {
            let connection = &state.connections[&id];
            if connection
                .tx
                .send(Outbound::Close(code, reason.to_string()))
                .is_ok()
            {
                count += 1;
            }
            if ends_session {
                if let Some(session) = connection.session.clone() {
                    gateway::end_session(&mut state, &session);
                }
            }
        }
        count
    }

    /// Sends op 7 RECONNECT to every live connection.
    pub fn send_reconnect(&self) -> usize {
        self.to_live(|| Outbound::op(7, Value::Null))
    }

    /// Sends op 9 INVALID_SESSION with `d: resumable` to every live
    /// connection; not resumable ends their sessions.
    pub fn invalidate_sessions(&self, resumable: bool) -> usize {
        let mut state = self.shared.lock();
        let live: Vec<u64> = state.connections.keys().copied().collect();
        let mut count = 0;
        for id in live {
            let connection = &state.connections[&id];
            if connection
                .tx
                .send(Outbound::op(9, json!(resumable)))
                .is_ok()
            {
                count += 1;
            }
            if !resumable {
                if let Some(session) = connection.session.clone() {
                    gateway::end_session(&mut state, &session);
                }
            }
        }
        count
    }

    /// How many gateway connections are open now.
    pub fn live_connections(&self) -> usize {
        self.shared.lock().connections.len()
    }

    fn to_live(&self, outbound: impl Fn() -> Outbound) -> usize {
        let state = self.shared.lock();
        state
            .connections
            .values()
            .filter(|c| c.tx.send(outbound()).is_ok())
            .count()
    }

    /// The current session of `shard`, if any.
    pub fn session_id(&self, shard: u32) -> Option<String> {
        self.shared.lock().shard_sessions.get(&shard).cloned()
    }

    /// The intents the current session of `shard` identified with.
    pub fn session_intents(&self, shard: u32) -> Option<u64> {
        let state = self.shared.lock();
        let id = state.shard_sessions.get(&shard)?;
        state.sessions.get(id).map(|s| s.intents)
    }

    // ----- dispatches -------------------------------------------------------

    /// Dispatches event `name` with `data` to the session of the shard the
    /// event belongs to (by `guild_id`; DMs go to shard 0). Sent now if the
    /// session has a live connection, else kept for the RESUME.
    pub fn dispatch(&self, name: &str, data: Value) -> Result<Dispatched, NoSession> {
        gateway::dispatch(&self.shared, name, data, true)
    }

    /// Dispatches an event that is lost on the way, as if the connection
    /// died while Discord sent it: it is in the session (replayed on
    /// RESUME) but not written to the socket.
    pub fn dispatch_lost(&self, name: &str, data: Value) -> Result<Dispatched, NoSession> {
        gateway::dispatch(&self.shared, name, data, false)
    }

    /// Posts `message` as its author: stores it and dispatches
    /// `MESSAGE_CREATE`.
    pub fn post(&self, message: NewMessage) -> Result<Posted, NoSession> {
        self.post_with(message, true, true)
    }

    /// Posts `message` as if its author deleted it right away, before any
    /// reply could arrive: `MESSAGE_CREATE` then `MESSAGE_DELETE` are
    /// dispatched, and the server does not know the message when the reply
    /// comes (a reply with `fail_if_not_exists` unset then fails, as in
    /// Discord).
    pub fn post_deleted(&self, message: NewMessage) -> Result<Posted, NoSession> {
        let guild_id = message.channel.guild_id.clone();
        let posted = self.post_with(message, true, false)?;
        let mut event = json!({"id": posted.id, "channel_id": posted.channel_id});
        if let Some(guild_id) = guild_id {
            event["guild_id"] = json!(guild_id);
        }
        gateway::dispatch(&self.shared, "MESSAGE_DELETE", event, true)?;
        Ok(posted)
    }

    /// Posts `message` but loses its `MESSAGE_CREATE` on the way (see
    /// [`DiscordServer::dispatch_lost`]).
    pub fn post_lost(&self, message: NewMessage) -> Result<Posted, NoSession> {
        self.post_with(message, false, true)
    }

    fn post_with(
        &self,
        message: NewMessage,
        deliver: bool,
        store: bool,
    ) -> Result<Posted, NoSession> {
        let id = self.new_id();
        let referenced = message
            .reply_to
            .as_ref()
            .and_then(|r| self.shared.lock().messages.get(r).cloned());
        let object = payloads::message_json(
            &self.shared.world,
            &message,
            &id,
            &self.shared.now(),
            referenced.as_ref(),
        );
        if store {
            self.shared
                .lock()
                .messages
                .insert(id.clone(), object.clone());
        }
        let dispatched =
            gateway::dispatch(&self.shared, "MESSAGE_CREATE", object.clone(), deliver)?;
        Ok(Posted {
            id,
            channel_id: message.channel.id.clone(),
            message: object,
            dispatched,
        })
    }

    /// A message the server knows (posted or created by the bot).
    pub fn message(&self, id: &str) -> Option<Value> {
        self.shared.lock().messages.get(id).cloned()
    }

    /// The commands registered for `guild` (`None`: global), as Discord
    /// returns them.
    pub fn commands(&self, guild: Option<&str>) -> Vec<Value> {
        self.shared
            .lock()
            .commands
            .get(&guild.map(str::to_string))
            .cloned()
            .unwrap_or_default()
    }

    /// The registered command `name` of `kind` usable in `channel`: the
    /// guild's registration first, then the global one.
    pub fn find_command(&self, channel: &Channel, kind: u8, name: &str) -> Option<Value> {
        let state = self.shared.lock();
        let mut scopes = vec![None];
        if let Some(guild) = &channel.guild_id {
            scopes.insert(0, Some(guild.clone()));
        }
        scopes.iter().find_map(|scope| {
            state.commands.get(scope)?.iter().find_map(|c| {
                (c["name"] == name && c["type"] == u64::from(kind)).then(|| c.clone())
            })
        })
    }

    /// Runs slash command `/name` with `options` (name, value; types come
    /// from the registered command) as `invoker` in `channel`.
    pub fn slash(
        &self,
        invoker: &Person,
        channel: &Channel,
        name: &str,
        options: &[(&str, Value)],
    ) -> Result<Invoked, String> {
        let command = self
            .find_command(channel, payloads::command_type::CHAT_INPUT, name)
            .ok_or_else(|| format!("no slash command /{name} is registered for this channel"))?;
        let declared = command["options"].as_array().cloned().unwrap_or_default();
        let mut typed = Vec::new();
        for (option, value) in options {
            let spec = declared
                .iter()
                .find(|o| o["name"] == *option)
                .ok_or_else(|| format!("/{name} has no option `{option}`"))?;
            let kind = spec["type"].as_u64().unwrap_or_default() as u8;
            typed.push((option.to_string(), kind, value.clone()));
        }
        for spec in &declared {
            if spec["required"] == true && !options.iter().any(|(o, _)| spec["name"] == *o) {
                return Err(format!("/{name} requires option `{}`", spec["name"]));
            }
        }
        let data = payloads::chat_input_data(&command, &typed);
        self.invoke(
            invoker,
            channel,
            payloads::interaction_type::APPLICATION_COMMAND,
            data,
            None,
        )
    }

    /// `invoker` types `typed` into string option `option` of `/name` in
    /// `channel`: Discord sends an autocomplete interaction with that option
    /// focused (the bot answers with response type 8).
    pub fn autocomplete(
        &self,
        invoker: &Person,
        channel: &Channel,
        name: &str,
        option: &str,
        typed: &str,
    ) -> Result<Invoked, String> {
        let command = self
            .find_command(channel, payloads::command_type::CHAT_INPUT, name)
            .ok_or_else(|| format!("no slash command /{name} is registered for this channel"))?;
        let spec = command["options"]
            .as_array()
            .and_then(|options| options.iter().find(|o| o["name"] == option).cloned())
            .ok_or_else(|| format!("/{name} has no option `{option}`"))?;
        if spec["autocomplete"] != true {
            return Err(format!("/{name} {option} has no autocomplete"));
        }
        let kind = spec["type"].as_u64().unwrap_or_default() as u8;
        let mut data =
            payloads::chat_input_data(&command, &[(option.to_string(), kind, json!(typed))]);
        data["options"][0]["focused"] = json!(true);
        self.invoke(
            invoker,
            channel,
            payloads::interaction_type::AUTOCOMPLETE,
            data,
            None,
        )
    }

    /// Runs the message context-menu command `name` on message `target_id`
    /// as `invoker`.
    pub fn message_command(
        &self,
        invoker: &Person,
        name: &str,
        target_id: &str,
    ) -> Result<Invoked, String> {
        let target = self
            .message(target_id)
            .ok_or_else(|| format!("unknown target message {target_id}"))?;
        let channel = self.channel_of(&target)?;
        let command = self
            .find_command(&channel, payloads::command_type::MESSAGE, name)
            .ok_or_else(|| format!("no message command `{name}` is registered"))?;
        let data = payloads::message_command_data(&command, &target);
        self.invoke(
            invoker,
            &channel,
            payloads::interaction_type::APPLICATION_COMMAND,
            data,
            None,
        )
    }

    /// Clicks button `custom_id` on message `message_id` as `invoker`. The
    /// button must be on the message, as in Discord.
    pub fn click(
        &self,
        invoker: &Person,
        message_id: &str,
        custom_id: &str,
    ) -> Result<Invoked, String> {
        let message = self
            .message(message_id)
            .ok_or_else(|| format!("unknown message {message_id}"))?;
        if !payloads::buttons(&message["components"])
            .iter()
            .any(|(id, _)| id == custom_id)
        {
            return Err(format!("message {message_id} has no button `{custom_id}`"));
        }
        let channel = self.channel_of(&message)?;
        self.invoke(
            invoker,
            &channel,
            payloads::interaction_type::MESSAGE_COMPONENT,
            payloads::button_data(custom_id),
            Some(message),
        )
    }

    /// Picks `values` in string select menu `custom_id` on message
    /// `message_id` as `invoker`: a `MESSAGE_COMPONENT` interaction with
    /// `data: {custom_id, component_type: 3, values}`. As in Discord's
    /// client, the menu must be on the message and enabled, the values
    /// among its options, and their number within `min_values` and
    /// `max_values` (1 and 1 by default).
    pub fn select(
        &self,
        invoker: &Person,
        message_id: &str,
        custom_id: &str,
        values: &[&str],
    ) -> Result<Invoked, String> {
        let message = self
            .message(message_id)
            .ok_or_else(|| format!("unknown message {message_id}"))?;
        let menu = payloads::select_menus(&message["components"])
            .into_iter()
            .find(|menu| menu["custom_id"] == custom_id)
            .ok_or_else(|| format!("message {message_id} has no select menu `{custom_id}`"))?;
        if menu["type"] != payloads::component_type::STRING_SELECT {
            return Err(format!("`{custom_id}` is not a string select menu"));
        }
        if menu["disabled"] == true {
            return Err(format!("select menu `{custom_id}` is disabled"));
        }
        let offered: Vec<&str> = menu["options"]
            .as_array()
            .map(|options| options.iter().filter_map(|o| o["value"].as_str()).collect())
            .unwrap_or_default();
        if let Some(unknown) = values.iter().find(|v| !offered.contains(v)) {
            return Err(format!(
                "select menu `{custom_id}` has no option `{unknown}`"
            ));
        }
        let min = menu["min_values"].as_u64().unwrap_or(1) as usize;
        let max = menu["max_values"].as_u64().unwrap_or(1) as usize;
        if values.len() < min || values.len() > max {
            return Err(format!(
                "select menu `{custom_id}` takes {min} to {max} values, not {}",
                values.len()
            ));
        }
        let channel = self.channel_of(&message)?;
        self.invoke(
            invoker,
            &channel,
            payloads::interaction_type::MESSAGE_COMPONENT,
            payloads::select_data(custom_id, values),
            Some(message),
        )
    }

    /// The modal shown in response to `invoked` (callback type 9): its
    /// `data` (`custom_id`, `title`, `components`), once the callback has
    /// been handled.
    pub fn modal_shown(&self, invoked: &Invoked) -> Option<Value> {
        self.shared
            .lock()
            .interactions
            .get(&invoked.id)?
            .modal
            .clone()
    }

    /// The person who got the modal of `shown` submits it with `values`
    /// (text input `custom_id`, value): a `MODAL_SUBMIT` interaction with
    /// `data: {custom_id, components: [{type: 1, components: [{type: 4,
    /// custom_id, value}]}]}`, in the same channel, carrying the component's
    /// message when the modal answered a component. As in Discord's client,
    /// every required input needs a value, values respect `min_length` and
    /// `max_length`, and inputs not named are sent empty.
    pub fn submit_modal(
        &self,
        shown: &Invoked,
        values: &[(&str, &str)],
    ) -> Result<Invoked, String> {
        let (modal, invoker, channel, message_id) = {
            let state = self.shared.lock();
            let interaction = state
                .interactions
                .get(&shown.id)
                .ok_or_else(|| format!("unknown interaction {}", shown.id))?;
            let modal = interaction
                .modal
                .clone()
                .ok_or_else(|| format!("interaction {} showed no modal", shown.id))?;
            (
                modal,
                interaction.invoker.clone(),
                interaction.channel.clone(),
                interaction.message.clone(),
            )
        };
        let inputs = payloads::text_inputs(&modal["components"]);
        if let Some((unknown, _)) = values
            .iter()
            .find(|(id, _)| !inputs.iter().any(|input| input["custom_id"] == *id))
        {
            return Err(format!("the modal has no text input `{unknown}`"));
        }
        let mut filled = Vec::new();
        for input in &inputs {
            let id = input["custom_id"].as_str().unwrap_or_default();
            let value = values
                .iter()
                .find(|(name, _)| *name == id)
                .map_or("", |(_, value)| *value);
            let length = value.chars().count();
            let required = input["required"] != false;
            if required && length == 0 {
                return Err(format!("text input `{id}` is required"));
            }
            let min = input["min_length"].as_u64().unwrap_or(0) as usize;
            let max = input["max_length"].as_u64().unwrap_or(4000) as usize;
            if length > 0 && (length < min || length > max) {
                return Err(format!(
                    "text input `{id}` takes {min} to {max} characters, not {length}"
                ));
            }
            filled.push((id.to_string(), value.to_string()));
        }
        let custom_id = modal["custom_id"].as_str().unwrap_or_default();
        let message = message_id.and_then(|id| self.message(&id));
        self.invoke(
            &invoker,
            &channel,
            payloads::interaction_type::MODAL_SUBMIT,
            payloads::modal_submit_data(custom_id, &filled),
            message,
        )
    }

    /// Dispatches an arbitrary interaction (e.g. a forged button click with
    /// a `custom_id` the bot never sent).
    pub fn invoke(
        &self,
        invoker: &Person,
        channel: &Channel,
        kind: u8,
        data: Value,
        message: Option<Value>,
    ) -> Result<Invoked, String> {
        let id = self.new_id();
        let token = interaction_token(&self.shared.ids);
        let context = InteractionContext {
            world: &self.shared.world,
            id: &id,
            token: &token,
            invoker,
            channel,
        };
        let message_id = message
            .as_ref()
            .and_then(|m| m["id"].as_str().map(str::to_string));
        let interaction = payloads::interaction_json(&context, kind, data, message);
        self.shared.lock().interactions.insert(
            id.clone(),
            InteractionState {
                kind,
                token: token.clone(),
                channel: channel.clone(),
                invoker: invoker.clone(),
                response: None,
                original: None,
                message: message_id,
                modal: None,
            },
        );
        let dispatched = gateway::dispatch(
            &self.shared,
            "INTERACTION_CREATE",
            interaction.clone(),
            true,
        )
        .map_err(|e| e.to_string())?;
        Ok(Invoked {
            id,
            token,
            interaction,
            dispatched,
        })
    }

    fn channel_of(&self, message: &Value) -> Result<Channel, String> {
        let id = message["channel_id"].as_str().unwrap_or_default();
        self.shared
            .world
            .channel(id)
            .ok_or_else(|| format!("message in unknown channel {id}"))
    }

    // ----- REST faults ------------------------------------------------------

    /// Scripts a REST failure.
    pub fn inject_rest_fault(&self, fault: RestFault) {
        self.shared.lock().rest_faults.push(fault);
    }

    // ----- waits for the bot's answers ------------------------------------

    /// Waits for the bot's `POST /channels/{channel}/messages` replying to
    /// `message_id` (its `message_reference`).
    pub async fn wait_for_reply_to(&self, message_id: &str) -> Result<Request, TimeoutError> {
        let what = format!("a message replying to {message_id}");
        self.wait_for_request_from(0, &what, |r| r.is_reply_to(message_id), WAIT)
            .await
    }

    /// Waits for the callback to interaction `id`.
    pub async fn wait_for_callback(&self, invoked: &Invoked) -> Result<Request, TimeoutError> {
        let what = format!("the callback of interaction {}", invoked.id);
        let path = format!("/interactions/{}/{}/callback", invoked.id, invoked.token);
        self.wait_for_request_from(0, &what, |r| r.method == "POST" && r.route() == path, WAIT)
            .await
    }

    /// The message id created by the response to `invoked` (its "original
    /// response"), once the callback has been handled.
    pub fn original_response(&self, invoked: &Invoked) -> Option<Value> {
        let state = self.shared.lock();
        let id = state.interactions.get(&invoked.id)?.original.clone()?;
        state.messages.get(&id).cloned()
    }
}

/// An interaction token: long, URL-safe, unguessable-looking.
fn interaction_token(ids: &Snowflakes) -> String {
    let a = ids.next_u64();
    let b = a.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
    format!("aW50ZXJhY3Rpb246{a:x}{b:016x}")
}
