//! Discord's REST API under `/api/v10`, as far as a bot like this one uses
//! it, with Discord's status codes and error bodies.
//!
//! | Route | Answer |
//! |---|---|
//! | `GET /gateway` (no auth), `GET /gateway/bot` | the gateway URL (and shards) |
//! | `GET /users/@me`, `GET /oauth2/applications/@me` | the bot user, the application |
//! | `GET/PUT/POST /applications/{app}[/guilds/{guild}]/commands[/{id}]` | command registration |
//! | `POST /channels/{channel}/messages`, `GET/PATCH/DELETE .../messages/{id}` | messages |
//! | `POST /channels/{channel}/typing` | 204 |
//! | `POST /interactions/{id}/{token}/callback` | 204, once per interaction |
//! | `POST /webhooks/{app}/{token}` | follow-up message |
//! | `GET/PATCH/DELETE /webhooks/{app}/{token}/messages/{@original,id}` | the response |
//! | `GET /attachments/{channel}/{attachment}/{filename}` (no `/api/v10`) | an uploaded file's bytes (the "CDN") |
//!
//! Bodies are JSON, or `multipart/form-data` when a message, interaction
//! response, follow-up or edit carries files: the JSON is the
//! `payload_json` part, the files are the `files[N]` parts (recorded as
//! [`UploadedFile`]s, see [`Request::files`]). The message created or
//! edited gets Discord's `attachments` array, each with a `url` on the
//! loopback "CDN" that serves the bytes back. An `attachments` entry that
//! names neither an uploaded file nor an attachment the message already
//! has is rejected (400, 50035), as are more than 10 files (400) and a
//! file over 10 MiB (413, 40005).
//!
//! Anything else is recorded and gets `404 {"message": "404: Not Found"}`.
//! Routes other than the gateway URL, interaction callbacks and webhooks
//! need `Authorization: Bot TOKEN`. Scripted [`RestFault`](super::RestFault)s,
//! the [`GlobalRateLimit`](super::GlobalRateLimit) and configured
//! [`RateLimit`](super::RateLimit)s apply before the route.
//!
//! Rate limits follow Discord's documentation (topics/Rate_Limits.md):
//! every response of a limited route carries `X-RateLimit-Limit`,
//! `-Remaining`, `-Reset` (epoch seconds), `-Reset-After` (seconds) and
//! `-Bucket`; over the limit the answer is 429 with `Retry-After` (whole
//! seconds, rounded up), `X-RateLimit-Scope: user` and the body
//! `{"message", "retry_after", "global": false}`. Over the global limit it
//! is 429 with `Retry-After`, `X-RateLimit-Global: true`,
//! `X-RateLimit-Scope: global` and `"global": true`. A 429 does not count
//! against the limit.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use tokio::time::Instant;

use super::super::payloads::{self, Channel, EPHEMERAL};
use super::super::record::Summary;
use super::validate::{self, Pings, Rejection, Target};
use super::{gateway, Shared, State};

/// One recorded REST request and the server's answer.
#[derive(Clone, Debug)]
pub struct Request {
    /// Position in the log.
    pub index: usize,
    /// When it arrived.
    pub at: Instant,
    /// `GET`, `POST`...
    pub method: String,
    /// The full path (`/api/v10/channels/1/messages`).
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Headers, names lowercase, in order.
    pub headers: Vec<(String, String)>,
    /// The JSON body (`Null` when empty or not JSON).
    pub body: Value,
    /// The raw body.
    pub raw_body: String,
    /// The status answered.
    pub status: u16,
    /// The JSON answered (`Null` for 204).
    pub response: Value,
    /// Response headers the server added (rate limits, injected faults),
    /// names lowercase.
    pub response_headers: Vec<(String, String)>,
    /// Answered by an injected fault or a rate limit.
    pub injected: bool,
    /// The files of a `multipart/form-data` body, in the order sent.
    pub uploads: Vec<UploadedFile>,
}

/// A file part of a `multipart/form-data` request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadedFile {
    /// The form field's name (`files[0]`).
    pub field: String,
    /// `N` of a `files[N]` field: what the payload's `attachments[].id`
    /// refers to.
    pub index: Option<u64>,
    /// The part's file name.
    pub filename: String,
    /// The part's `Content-Type`, if it had one.
    pub content_type: Option<String>,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl Request {
    /// The path after `/api/v10` (`/channels/1/messages`).
    pub fn route(&self) -> &str {
        self.path.strip_prefix("/api/v10").unwrap_or(&self.path)
    }

    /// A response header's value.
    pub fn response_header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.response_headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A request header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether `method` and the route match `pattern` (`*` matches one
    /// segment: `/channels/*/messages`).
    pub fn matches(&self, method: &str, pattern: &str) -> bool {
        self.method == method && route_matches(pattern, self.route())
    }

    /// A message the bot created in a channel.
    pub fn is_channel_message(&self) -> bool {
        self.matches("POST", "/channels/*/messages")
    }

    /// The channel id of a channel route.
    pub fn channel_id(&self) -> Option<&str> {
        let mut parts = self.route().split('/').skip(1);
        (parts.next() == Some("channels"))
            .then(|| parts.next())
            .flatten()
    }

    /// A channel message whose `message_reference` points at `message_id`.
    pub fn is_reply_to(&self, message_id: &str) -> bool {
        self.is_channel_message() && self.body["message_reference"]["message_id"] == message_id
    }

    /// An interaction callback.
    pub fn is_callback(&self) -> bool {
        self.matches("POST", "/interactions/*/*/callback")
    }

    /// The message-like part of the body: `data` of an interaction
    /// callback, else the body itself.
    pub fn message_body(&self) -> &Value {
        if self.is_callback() {
            &self.body["data"]
        } else {
            &self.body
        }
    }

    /// The embeds sent.
    pub fn embeds(&self) -> Vec<Value> {
        self.message_body()["embeds"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Content plus the text of every embed.
    pub fn text(&self) -> String {
        payloads::message_text(self.message_body())
    }

    /// The message flags sent.
    pub fn flags(&self) -> u64 {
        self.message_body()["flags"].as_u64().unwrap_or(0)
    }

    /// Sent as ephemeral (flag 64).
    pub fn is_ephemeral(&self) -> bool {
        self.flags() & EPHEMERAL != 0
    }

    /// Who this message would notify, by Discord's rules.
    pub fn pings(&self) -> Pings {
        let body = self.message_body();
        validate::pings(body, !body["message_reference"].is_null())
    }

    /// `(custom_id, label)` of the buttons sent.
    pub fn buttons(&self) -> Vec<(String, String)> {
        payloads::buttons(&self.message_body()["components"])
    }

    /// The files uploaded with a `multipart/form-data` body (empty for
    /// JSON bodies).
    pub fn files(&self) -> &[UploadedFile] {
        &self.uploads
    }
}

impl Summary for Request {
    fn summary(&self) -> String {
        let mut body = if self.uploads.is_empty() {
            self.raw_body.clone()
        } else {
            format!("{} (+{} files)", self.body, self.uploads.len())
        };
        if body.len() > 160 {
            let mut cut = 160;
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            body.truncate(cut);
            body.push('…');
        }
        format!(
            "#{} {} {} -> {} {}",
            self.index, self.method, self.path, self.status, body
        )
    }
}

/// `*` matches one segment.
pub fn route_matches(pattern: &str, route: &str) -> bool {
    let pattern: Vec<&str> = pattern.trim_matches('/').split('/').collect();
    let route: Vec<&str> = route.trim_matches('/').split('/').collect();
    pattern.len() == route.len() && pattern.iter().zip(&route).all(|(p, r)| *p == "*" || p == r)
}

/// The server's answer before it is recorded.
struct Answer {
    status: u16,
    body: Value,
    headers: Vec<(String, String)>,
    injected: bool,
}

impl Answer {
    fn json(status: u16, body: Value) -> Answer {
        Answer {
            status,
            body,
            headers: Vec::new(),
            injected: false,
        }
    }

    fn no_content() -> Answer {
        Answer::json(204, Value::Null)
    }
}

impl From<Rejection> for Answer {
    fn from(rejection: Rejection) -> Answer {
        Answer::json(rejection.status, rejection.body)
    }
}

fn not_found() -> Answer {
    Answer::json(404, json!({"message": "404: Not Found", "code": 0}))
}

fn unknown(code: u64, what: &str) -> Answer {
    Answer::json(
        404,
        json!({"message": format!("Unknown {what}"), "code": code}),
    )
}

/// The largest request body the server reads: above the size limit of
/// one file, so that limit answers with Discord's 413 rather than the HTTP
/// layer's.
pub(crate) const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// Discord's limits on the files of one message: how many, and the size of
/// each (the `attachment_size_limit` the interactions announce).
const MAX_FILES: usize = 10;
const MAX_FILE_BYTES: usize = 10_485_760;

/// A request body: its JSON and, for `multipart/form-data`, its files.
struct Body {
    json: Value,
    files: Vec<UploadedFile>,
}

/// Splits a `multipart/form-data` body into `payload_json` and its files.
/// Other text fields (Discord also accepts `content` and the like as plain
/// fields) become members of the JSON object when there is no
/// `payload_json`. `multer` parses (it is what axum's `Multipart` extractor
/// wraps): boundaries, headers and quoting are its job, not this server's.
async fn read_multipart(content_type: &str, body: Bytes) -> Result<Body, Answer> {
    let invalid = |what: String| {
        Answer::json(
            400,
            json!({"message": format!("Invalid multipart body: {what}"), "code": 50035}),
        )
    };
    let boundary = multer::parse_boundary(content_type).map_err(|e| invalid(e.to_string()))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut payload: Option<Value> = None;
    let mut fields = serde_json::Map::new();
    let mut files = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| invalid(e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(str::to_string);
        let content_type = field.content_type().map(|m| m.essence_str().to_string());
        let bytes = field.bytes().await.map_err(|e| invalid(e.to_string()))?;
        match filename {
            Some(filename) => files.push(UploadedFile {
                index: name
                    .strip_prefix("files[")
                    .and_then(|rest| rest.strip_suffix(']'))
                    .and_then(|n| n.parse().ok()),
                field: name,
                filename,
                content_type,
                bytes: bytes.to_vec(),
            }),
            None if name == "payload_json" => {
                let parsed = serde_json::from_slice(&bytes).map_err(|_| {
                    Answer::json(
                        400,
                        json!({"message": "The request body contains invalid JSON.", "code": 50109}),
                    )
                })?;
                payload = Some(parsed);
            }
            None => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                fields.insert(name, Value::String(text));
            }
        }
    }
    Ok(Body {
        json: payload.unwrap_or(Value::Object(fields)),
        files,
    })
}

/// The fallback handler: every non-gateway request.
pub(crate) async fn handle(
    AxumState(shared): AxumState<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = Instant::now();
    if method == Method::GET && uri.path().starts_with("/attachments/") {
        return cdn(&shared, uri.path());
    }
    let raw_body = String::from_utf8_lossy(&body).into_owned();
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let parsed = if content_type.starts_with("multipart/form-data") {
        read_multipart(&content_type, body).await
    } else {
        Ok(Body {
            json: serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null),
            files: Vec::new(),
        })
    };
    let header_list: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let path = uri.path().to_string();
    let (answer, body) = match parsed {
        Ok(body) => (
            answer(&shared, method.as_str(), &path, &headers, &body),
            body,
        ),
        Err(rejected) => (
            rejected,
            Body {
                json: Value::Null,
                files: Vec::new(),
            },
        ),
    };
    shared.requests.push_with(|index| Request {
        index,
        at,
        method: method.as_str().to_string(),
        path,
        query: uri.query().map(str::to_string),
        headers: header_list,
        body: body.json,
        raw_body,
        status: answer.status,
        response: answer.body.clone(),
        response_headers: answer
            .headers
            .iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value.clone()))
            .collect(),
        injected: answer.injected,
        uploads: body.files,
    });
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = if answer.status == 204 {
        status.into_response()
    } else {
        (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            answer.body.to_string(),
        )
            .into_response()
    };
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// `GET /attachments/{channel}/{attachment}/{filename}`: the bytes of an
/// uploaded file, as Discord's CDN serves them (not recorded as a REST
/// request: the CDN is another host).
fn cdn(shared: &Shared, path: &str) -> Response {
    let stored = shared.lock().files.get(path).cloned();
    match stored {
        Some(file) => {
            let content_type = file
                .content_type
                .unwrap_or_else(|| "application/octet-stream".to_string());
            (
                StatusCode::OK,
                [(axum::http::header::CONTENT_TYPE, content_type)],
                file.bytes,
            )
                .into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn answer(shared: &Shared, method: &str, path: &str, headers: &HeaderMap, body: &Body) -> Answer {
    let Some(route) = path.strip_prefix("/api/v10") else {
        return not_found();
    };
    if let Some(fault) = take_fault(shared, method, route) {
        return fault;
    }
    let segments: Vec<&str> = route.trim_matches('/').split('/').collect();
    let needs_auth = !matches!(
        segments.as_slice(),
        ["gateway"] | ["interactions", ..] | ["webhooks", ..]
    );
    if needs_auth && !authorized(shared, headers) {
        return Answer::json(401, json!({"message": "401: Unauthorized", "code": 0}));
    }
    let global_exempt = matches!(segments.as_slice(), ["interactions", ..] | ["webhooks", ..]);
    if !global_exempt {
        if let Err(limited) = global_rate_limit(shared) {
            return limited;
        }
    }
    let limit_headers = match rate_limit(shared, method, route) {
        Ok(headers) => headers,
        Err(limited) => return limited,
    };
    if body.files.len() > MAX_FILES {
        return validate::form_error(&[(
            "files".into(),
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {MAX_FILES} or fewer in length."),
        )])
        .into();
    }
    if body.files.iter().any(|f| f.bytes.len() > MAX_FILE_BYTES) {
        return Answer::json(
            413,
            json!({"message": "Request entity too large", "code": 40005}),
        );
    }
    let mut answer = route_request(shared, method, &segments, &body.json, &body.files);
    answer.headers.extend(limit_headers);
    answer
}

fn authorized(shared: &Shared, headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some(token) = value.strip_prefix("Bot ") else {
        return false;
    };
    match &shared.config.accepted_token {
        Some(accepted) => token == accepted,
        None => !token.is_empty(),
    }
}

fn take_fault(shared: &Shared, method: &str, route: &str) -> Option<Answer> {
    let mut state = shared.lock();
    let position = state.rest_faults.iter().position(|f| {
        f.method.as_deref().map_or(true, |m| m == method) && route_matches(&f.route, route)
    })?;
    let fault = state.rest_faults[position].clone();
    if fault.times <= 1 {
        state.rest_faults.remove(position);
    } else {
        state.rest_faults[position].times -= 1;
    }
    Some(Answer {
        status: fault.status,
        body: fault.body,
        headers: fault.headers,
        injected: true,
    })
}

/// The major parameter of a route: the id after `channels`, `guilds` or
/// `webhooks` (Discord's per-resource buckets).
fn major_parameter(route: &str) -> String {
    let segments: Vec<&str> = route.trim_matches('/').split('/').collect();
    segments
        .windows(2)
        .find(|w| matches!(w[0], "channels" | "guilds" | "webhooks"))
        .map(|w| w[1].to_string())
        .unwrap_or_default()
}

/// `duration` rounded up to a whole millisecond.
fn ceil_millis(duration: std::time::Duration) -> std::time::Duration {
    let millis = duration.as_nanos().div_ceil(1_000_000);
    std::time::Duration::from_millis(u64::try_from(millis).unwrap_or(u64::MAX))
}

/// Counts a request against the global limit, or answers Discord's global
/// 429.
fn global_rate_limit(shared: &Shared) -> Result<(), Answer> {
    let Some(rule) = shared.config.global_rate_limit else {
        return Ok(());
    };
    let now = Instant::now();
    let mut state = shared.lock();
    let window = state.global_window.get_or_insert((now, 0));
    if now.duration_since(window.0) >= rule.per {
        *window = (now, 0);
    }
    if window.1 < rule.limit {
        window.1 += 1;
        return Ok(());
    }
    let retry_after = rule.per.saturating_sub(now.duration_since(window.0));
    Err(Answer {
        status: 429,
        body: json!({
            "message": "You are being rate limited.",
            "retry_after": retry_after.as_secs_f64(),
            "global": true,
        }),
        headers: vec![
            (
                "retry-after".to_string(),
                retry_after.as_secs_f64().ceil().max(1.0).to_string(),
            ),
            ("x-ratelimit-global".to_string(), "true".to_string()),
            ("x-ratelimit-scope".to_string(), "global".to_string()),
        ],
        injected: true,
    })
}

fn rate_limit(shared: &Shared, method: &str, route: &str) -> Result<Vec<(String, String)>, Answer> {
    let rules = &shared.config.rate_limits;
    let Some((index, rule)) = rules.iter().enumerate().find(|(_, r)| {
        r.method.as_deref().map_or(true, |m| m == method) && route_matches(&r.route, route)
    }) else {
        return Ok(Vec::new());
    };
    let key = (index, major_parameter(route));
    let now = Instant::now();
    let mut state = shared.lock();
    let window = state.rate_windows.entry(key.clone()).or_insert((now, 0));
    if now.duration_since(window.0) >= rule.per {
        *window = (now, 0);
    }
    // Rounded up to the millisecond, so a client that waits exactly as
    // long as the headers say never arrives before the window ends.
    let reset_after = ceil_millis(rule.per.saturating_sub(now.duration_since(window.0)));
    let bucket = format!("{index:08x}{:08x}", rule.limit);
    let reset_at = std::time::SystemTime::now() + reset_after;
    let reset_epoch = reset_at
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    let mut headers = vec![
        ("x-ratelimit-limit".to_string(), rule.limit.to_string()),
        ("x-ratelimit-reset".to_string(), format!("{reset_epoch:.3}")),
        (
            "x-ratelimit-reset-after".to_string(),
            format!("{:.3}", reset_after.as_secs_f64()),
        ),
        ("x-ratelimit-bucket".to_string(), bucket),
    ];
    if window.1 >= rule.limit {
        headers.push(("x-ratelimit-remaining".to_string(), "0".to_string()));
        headers.push(("x-ratelimit-scope".to_string(), "user".to_string()));
        headers.push((
            "retry-after".to_string(),
            reset_after.as_secs_f64().ceil().max(1.0).to_string(),
        ));
        return Err(Answer {
            status: 429,
            body: json!({
                "message": "You are being rate limited.",
                "retry_after": reset_after.as_secs_f64(),
                "global": false,
            }),
            headers,
            injected: true,
        });
    }
    window.1 += 1;
    headers.push((
        "x-ratelimit-remaining".to_string(),
        (rule.limit - window.1).to_string(),
    ));
    Ok(headers)
}

fn route_request(
    shared: &Shared,
    method: &str,
    segments: &[&str],
    body: &Value,
    files: &[UploadedFile],
) -> Answer {
    let world = &shared.world;
    match (method, segments) {
        ("GET", ["gateway"]) => Answer::json(200, json!({"url": shared.gateway_url()})),
        ("GET", ["gateway", "bot"]) => Answer::json(
            200,
            json!({
                "url": shared.gateway_url(),
                "shards": shared.config.recommended_shards,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14_400_000,
                    "max_concurrency": 1,
                },
            }),
        ),
        ("GET", ["users", "@me"]) => {
            let mut user = world.bot.json();
            user["verified"] = json!(true);
            user["mfa_enabled"] = json!(false);
            Answer::json(200, user)
        }
        ("GET", ["oauth2", "applications", "@me"] | ["applications", "@me"]) => {
            Answer::json(200, application(shared))
        }
        (_, ["applications", app, "commands", rest @ ..]) => {
            if *app != world.application_id {
                return Answer::json(403, json!({"message": "Missing Access", "code": 50001}));
            }
            commands(shared, method, None, rest, body)
        }
        (_, ["applications", app, "guilds", guild, "commands", rest @ ..]) => {
            if *app != world.application_id || *guild != world.guild_id {
                return Answer::json(403, json!({"message": "Missing Access", "code": 50001}));
            }
            commands(shared, method, Some(guild), rest, body)
        }
        ("POST", ["channels", channel, "typing"]) => match channel_by_id(shared, channel) {
            Some(_) => Answer::no_content(),
            None => unknown(10003, "Channel"),
        },
        ("GET", ["guilds", guild, "roles"]) if *guild == shared.world.guild_id => {
            Answer::json(200, shared.world.roles_json())
        }
        ("GET", ["channels", channel]) => match channel_by_id(shared, channel) {
            Some(found) => Answer::json(200, found.partial_json(0)),
            None => unknown(10003, "Channel"),
        },
        ("POST", ["channels", channel, "messages"]) => create_message(shared, channel, body, files),
        (_, ["channels", channel, "messages", message]) => {
            channel_message(shared, method, channel, message, body, files)
        }
        ("POST", ["interactions", id, token, "callback"]) => {
            callback(shared, id, token, body, files)
        }
        ("POST", ["webhooks", app, token]) => follow_up(shared, app, token, body, files),
        (_, ["webhooks", app, token, "messages", message]) => {
            webhook_message(shared, method, app, token, message, body, files)
        }
        _ => not_found(),
    }
}

fn application(shared: &Shared) -> Value {
    let world = &shared.world;
    json!({
        "id": world.application_id,
        "name": world.bot.username,
        "icon": null,
        "description": "Answers students' questions about one career.",
        "summary": "",
        "type": null,
        "bot_public": true,
        "bot_require_code_grant": false,
        "verify_key": "0000000000000000000000000000000000000000000000000000000000000000",
        "flags": world.application_flags,
        "team": null,
        "owner": world.counselor.user.json(),
        "bot": world.bot.json(),
        "hook": true,
        "integration_types_config": {"0": {}},
        "redirect_uris": [],
        "interactions_endpoint_url": null,
    })
}

fn channel_by_id(shared: &Shared, id: &str) -> Option<Channel> {
    shared.world.channel(id)
}

// ----- commands ---------------------------------------------------------

fn commands(
    shared: &Shared,
    method: &str,
    guild: Option<&str>,
    rest: &[&str],
    body: &Value,
) -> Answer {
    let scope = guild.map(str::to_string);
    let mut state = shared.lock();
    match (method, rest) {
        ("GET", []) => Answer::json(
            200,
            json!(state.commands.get(&scope).cloned().unwrap_or_default()),
        ),
        ("PUT", []) => {
            let Some(list) = body.as_array() else {
                return validate::form_error(&[(
                    String::new(),
                    "BASE_TYPE_ARRAY",
                    "Must be an array.".into(),
                )])
                .into();
            };
            let mut errors = Vec::new();
            if list.len() > 100 {
                errors.push((
                    String::new(),
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 100 or fewer in length.".into(),
                ));
            }
            let mut seen = Vec::new();
            for (i, command) in list.iter().enumerate() {
                validate::command(&mut errors, &i.to_string(), command);
                let key = (
                    command["type"].as_u64().unwrap_or(1),
                    command["name"].as_str().unwrap_or_default().to_string(),
                );
                if seen.contains(&key) {
                    errors.push((
                        format!("{i}.name"),
                        "APPLICATION_COMMAND_ALREADY_EXISTS",
                        "Application command names must be unique".into(),
                    ));
                }
                seen.push(key);
            }
            if !errors.is_empty() {
                return validate::form_error(&errors).into();
            }
            let previous = state.commands.get(&scope).cloned().unwrap_or_default();
            let registered: Vec<Value> = list
                .iter()
                .map(|sent| {
                    let id = previous
                        .iter()
                        .find(|c| c["name"] == sent["name"] && same_type(c, sent))
                        .and_then(|c| c["id"].as_str().map(str::to_string))
                        .unwrap_or_else(|| shared.ids.next());
                    validate::registered_command(&shared.world, sent, id, shared.ids.next(), guild)
                })
                .collect();
            state.commands.insert(scope, registered.clone());
            Answer::json(200, json!(registered))
        }
        ("POST", []) => {
            let mut errors = Vec::new();
            validate::command(&mut errors, "", body);
            if !errors.is_empty() {
                return validate::form_error(&errors).into();
            }
            let list = state.commands.entry(scope).or_default();
            let existing = list
                .iter()
                .position(|c| c["name"] == body["name"] && same_type(c, body));
            let id = existing
                .and_then(|i| list[i]["id"].as_str().map(str::to_string))
                .unwrap_or_else(|| shared.ids.next());
            let command =
                validate::registered_command(&shared.world, body, id, shared.ids.next(), guild);
            match existing {
                Some(i) => {
                    list[i] = command.clone();
                    Answer::json(200, command)
                }
                None => {
                    list.push(command.clone());
                    Answer::json(201, command)
                }
            }
        }
        (_, [id]) => {
            let list = state.commands.entry(scope).or_default();
            let Some(i) = list.iter().position(|c| c["id"] == *id) else {
                return unknown(10063, "application command");
            };
            match method {
                "GET" => Answer::json(200, list[i].clone()),
                "DELETE" => {
                    list.remove(i);
                    Answer::no_content()
                }
                "PATCH" => {
                    let mut merged = list[i].clone();
                    if let (Some(target), Some(patch)) = (merged.as_object_mut(), body.as_object())
                    {
                        for (key, value) in patch {
                            target.insert(key.clone(), value.clone());
                        }
                    }
                    let mut errors = Vec::new();
                    validate::command(&mut errors, "", &merged);
                    if !errors.is_empty() {
                        return validate::form_error(&errors).into();
                    }
                    merged["version"] = json!(shared.ids.next());
                    list[i] = merged.clone();
                    Answer::json(200, merged)
                }
                _ => not_found(),
            }
        }
        _ => not_found(),
    }
}

fn same_type(a: &Value, b: &Value) -> bool {
    a["type"].as_u64().unwrap_or(1) == b["type"].as_u64().unwrap_or(1)
}

// ----- messages ---------------------------------------------------------

/// What kind of message the bot creates, for the message object.
struct Creation<'a> {
    channel: &'a Channel,
    kind: u8,
    flags: u64,
    referenced: Option<Value>,
    interaction: Option<(&'a str, &'a super::InteractionState)>,
    /// Its `attachments` (see [`attachments`]).
    attachments: Vec<Value>,
}

/// A file name as it appears in a CDN path: what is not a letter, digit,
/// `.`, `-` or `_` becomes `_` (Discord also rewrites names this way).
fn cdn_name(filename: &str) -> String {
    let name: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "unknown".to_string()
    } else {
        name
    }
}

/// The id of an `attachments` entry: a number (a new file's index) or a
/// snowflake string (an attachment the message already has).
fn attachment_ref(entry: &Value) -> Option<u64> {
    match &entry["id"] {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The `attachments` a message gets from `body` and its `files`, given the
/// ones it has (`existing`; empty for a new message), as Discord resolves
/// them: a body that lists `attachments` keeps the existing ones it names
/// and describes new files by their `files[N]` index; files it does not
/// list are attached too; a body that lists none keeps everything and
/// adds the files. `Ok(None)`: nothing to change. The files are stored
/// for the CDN only once everything is valid.
fn attachments(
    shared: &Shared,
    state: &mut State,
    channel_id: &str,
    body: &Value,
    files: &[UploadedFile],
    existing: &[Value],
) -> Result<Option<Vec<Value>>, Answer> {
    let listed = body["attachments"].as_array();
    if listed.is_none() && files.is_empty() {
        return Ok(None);
    }
    let mut errors: Vec<validate::FieldError> = Vec::new();
    // Existing attachments kept, and (file, metadata) of new ones.
    let mut kept: Vec<Value> = Vec::new();
    let mut new: Vec<(usize, Value)> = Vec::new();
    match listed {
        Some(entries) => {
            for (i, entry) in entries.iter().enumerate() {
                let Some(id) = attachment_ref(entry) else {
                    errors.push((
                        format!("attachments.{i}.id"),
                        "BASE_TYPE_REQUIRED",
                        "This field is required".into(),
                    ));
                    continue;
                };
                if entry["description"]
                    .as_str()
                    .is_some_and(|d| d.chars().count() > 1024)
                {
                    errors.push((
                        format!("attachments.{i}.description"),
                        "BASE_TYPE_MAX_LENGTH",
                        "Must be 1024 or fewer in length.".into(),
                    ));
                }
                if let Some(found) = existing.iter().find(|a| attachment_ref(a) == Some(id)) {
                    kept.push(found.clone());
                } else if let Some(file) = files.iter().position(|f| f.index == Some(id)) {
                    if new.iter().any(|(f, _)| *f == file) {
                        errors.push((
                            format!("attachments.{i}.id"),
                            "ATTACHMENT_DUPLICATED",
                            format!("Uploaded file {id} is described twice."),
                        ));
                    }
                    new.push((file, entry.clone()));
                } else {
                    errors.push((
                        format!("attachments.{i}.id"),
                        "ATTACHMENT_NOT_FOUND",
                        format!("No uploaded file or existing attachment has id {id}."),
                    ));
                }
            }
        }
        None => kept.extend(existing.iter().cloned()),
    }
    if !errors.is_empty() {
        return Err(validate::form_error(&errors).into());
    }
    for file in 0..files.len() {
        if !new.iter().any(|(f, _)| *f == file) {
            new.push((file, Value::Null));
        }
    }
    let mut result = kept;
    for (file, entry) in new {
        let upload = &files[file];
        let id = shared.ids.next();
        let filename = entry["filename"]
            .as_str()
            .unwrap_or(&upload.filename)
            .to_string();
        let path = format!("/attachments/{channel_id}/{id}/{}", cdn_name(&filename));
        let url = format!("http://{}{path}", shared.addr);
        let mut attachment = json!({
            "id": id,
            "filename": filename,
            "size": upload.bytes.len(),
            "url": url,
            "proxy_url": url,
        });
        if let Some(content_type) = &upload.content_type {
            attachment["content_type"] = json!(content_type);
        }
        if let Some(description) = entry["description"].as_str() {
            attachment["description"] = json!(description);
        }
        state.files.insert(path, upload.clone());
        result.push(attachment);
    }
    Ok(Some(result))
}

/// The message object of a message the bot creates.
fn bot_message(shared: &Shared, id: &str, body: &Value, creation: &Creation<'_>) -> Value {
    let world = &shared.world;
    let reply = creation.referenced.is_some();
    let pings = validate::pings(body, reply);
    let mentioned = payloads::parse_mentions(body["content"].as_str().unwrap_or_default());
    let mentions: Vec<Value> = mentioned
        .users
        .iter()
        .filter_map(|u| world.person(u))
        .map(|p| p.user.json())
        .collect();
    let embeds: Vec<Value> = body["embeds"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|mut embed| {
            if embed.get("type").is_none() {
                embed["type"] = json!("rich");
            }
            embed
        })
        .collect();
    let mut message = json!({
        "id": id,
        "channel_id": creation.channel.id,
        "author": world.bot.json(),
        "content": body["content"].as_str().unwrap_or_default(),
        "timestamp": shared.now(),
        "edited_timestamp": null,
        "tts": body["tts"] == true,
        "mention_everyone": pings.everyone,
        "mentions": mentions,
        "mention_roles": mentioned.roles,
        "attachments": creation.attachments,
        "embeds": embeds,
        "components": body["components"].as_array().cloned().unwrap_or_default(),
        "pinned": false,
        "type": creation.kind,
        "flags": creation.flags,
    });
    if let Some(referenced) = &creation.referenced {
        let mut reference = json!({
            "type": 0,
            "message_id": referenced["id"],
            "channel_id": creation.channel.id,
        });
        if let Some(guild) = &creation.channel.guild_id {
            reference["guild_id"] = json!(guild);
        }
        message["message_reference"] = reference;
        message["referenced_message"] = referenced.clone();
    }
    if let Some((interaction_id, interaction)) = creation.interaction {
        message["application_id"] = json!(world.application_id);
        message["webhook_id"] = json!(world.application_id);
        let owner = creation
            .channel
            .guild_id
            .clone()
            .unwrap_or_else(|| "0".into());
        let mut metadata = json!({
            "id": interaction_id,
            "type": interaction.kind,
            "user": interaction.invoker.user.json(),
            "authorizing_integration_owners": {"0": owner},
        });
        if let Some(original) = &interaction.message {
            metadata["interacted_message_id"] = json!(original);
        }
        message["interaction_metadata"] = metadata;
    }
    message
}

/// Stores a message the bot created and, unless ephemeral, echoes it to
/// the gateway as `MESSAGE_CREATE` (as Discord does).
fn store_and_echo(shared: &Shared, state: &mut State, message: &Value, channel: &Channel) {
    let id = message["id"].as_str().unwrap_or_default().to_string();
    state.messages.insert(id, message.clone());
    let ephemeral = message["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0;
    if !shared.config.echo_bot_messages || ephemeral {
        return;
    }
    let mut event = message.clone();
    if let Some(guild) = &channel.guild_id {
        event["guild_id"] = json!(guild);
        event["member"] = json!({
            "roles": [], "joined_at": shared.world.joined_at, "deaf": false, "mute": false,
            "flags": 0, "pending": false, "premium_since": null, "nick": null, "avatar": null,
        });
    }
    event["channel_type"] = json!(channel.kind.code());
    // The lock is held by the caller: queue through the gateway helpers.
    gateway::dispatch_locked(shared, state, "MESSAGE_CREATE", event);
}

fn create_message(
    shared: &Shared,
    channel_id: &str,
    body: &Value,
    files: &[UploadedFile],
) -> Answer {
    let Some(channel) = channel_by_id(shared, channel_id) else {
        return unknown(10003, "Channel");
    };
    if let Err(rejection) =
        validate::message_body_with_files(body, Target::Channel, false, files.len())
    {
        return rejection.into();
    }
    let mut state = shared.lock();
    let reference = &body["message_reference"];
    let referenced = if reference.is_null() {
        None
    } else {
        let target = reference["message_id"].as_str().unwrap_or_default();
        let found = state
            .messages
            .get(target)
            .filter(|m| m["channel_id"] == channel.id.as_str())
            .cloned();
        if found.is_none() && reference["fail_if_not_exists"] != false {
            return validate::form_error(&[(
                "message_reference".into(),
                "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                "Unknown message".into(),
            )])
            .into();
        }
        found
    };
    let attached = match attachments(shared, &mut state, &channel.id, body, files, &[]) {
        Ok(attached) => attached.unwrap_or_default(),
        Err(rejected) => return rejected,
    };
    let id = shared.ids.next();
    let kind = if referenced.is_some() { 19 } else { 0 };
    let creation = Creation {
        channel: &channel,
        kind,
        flags: body["flags"].as_u64().unwrap_or(0),
        referenced,
        interaction: None,
        attachments: attached,
    };
    let message = bot_message(shared, &id, body, &creation);
    store_and_echo(shared, &mut state, &message, &channel);
    Answer::json(200, message)
}

/// Applies an edit to a stored message (`attachments`: its new list, when
/// the edit changes it).
fn edit(shared: &Shared, message: &mut Value, body: &Value, attachments: Option<Vec<Value>>) {
    if let Some(attachments) = attachments {
        message["attachments"] = json!(attachments);
    }
    for key in ["content", "embeds", "components", "allowed_mentions"] {
        if let Some(value) = body.get(key) {
            if key != "allowed_mentions" {
                message[key] = value.clone();
            }
        }
    }
    if let Some(embeds) = message["embeds"].as_array_mut() {
        for embed in embeds {
            if embed.get("type").is_none() {
                embed["type"] = json!("rich");
            }
        }
    }
    let flags = message["flags"].as_u64().unwrap_or(0) & !128;
    message["flags"] = json!(flags);
    message["edited_timestamp"] = json!(shared.now());
}

fn channel_message(
    shared: &Shared,
    method: &str,
    channel_id: &str,
    message_id: &str,
    body: &Value,
    files: &[UploadedFile],
) -> Answer {
    if channel_by_id(shared, channel_id).is_none() {
        return unknown(10003, "Channel");
    }
    let mut state = shared.lock();
    let Some(message) = state
        .messages
        .get(message_id)
        .filter(|m| m["channel_id"] == channel_id)
        .cloned()
    else {
        return unknown(10008, "Message");
    };
    let own = message["author"]["id"] == shared.world.bot.id.as_str();
    match method {
        "GET" => Answer::json(200, message),
        "PATCH" if !own => Answer::json(
            403,
            json!({"message": "Cannot edit a message authored by another user", "code": 50005}),
        ),
        "PATCH" => {
            if let Err(rejection) = validate::message_body(body, Target::Channel, true) {
                return rejection.into();
            }
            let existing = message["attachments"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let attached = match attachments(shared, &mut state, channel_id, body, files, &existing)
            {
                Ok(attached) => attached,
                Err(rejected) => return rejected,
            };
            let mut message = message;
            edit(shared, &mut message, body, attached);
            state
                .messages
                .insert(message_id.to_string(), message.clone());
            Answer::json(200, message)
        }
        "DELETE" => {
            state.messages.remove(message_id);
            Answer::no_content()
        }
        _ => not_found(),
    }
}

// ----- interactions -----------------------------------------------------

fn callback(
    shared: &Shared,
    id: &str,
    token: &str,
    body: &Value,
    files: &[UploadedFile],
) -> Answer {
    let mut state = shared.lock();
    let Some(interaction) = state.interactions.get(id).cloned() else {
        return unknown(10062, "interaction");
    };
    if interaction.token != token {
        return Answer::json(
            401,
            json!({"message": "Invalid Webhook Token", "code": 50027}),
        );
    }
    if interaction.response.is_some() {
        return Answer::json(
            400,
            json!({"message": "Interaction has already been acknowledged.", "code": 40060}),
        );
    }
    let kind = body["type"].as_u64().unwrap_or(0) as u8;
    use payloads::interaction_type::{
        APPLICATION_COMMAND, AUTOCOMPLETE, MESSAGE_COMPONENT, MODAL_SUBMIT,
    };
    // Types 6 and 7 update the message a component is on: components, and
    // modals submitted from a component's interaction.
    let on_message = interaction.message.is_some()
        && matches!(interaction.kind, MESSAGE_COMPONENT | MODAL_SUBMIT);
    let can_show_modal = matches!(interaction.kind, APPLICATION_COMMAND | MESSAGE_COMPONENT);
    let invalid_type = || {
        validate::form_error(&[(
            "type".into(),
            "INTERACTION_RESPONSE_TYPE_INVALID",
            format!("Interaction response type {kind} is not valid for this interaction."),
        )])
        .into()
    };
    let data = &body["data"];
    let mut original = None;
    let mut attached = Vec::new();
    match kind {
        4 if interaction.kind != AUTOCOMPLETE => {
            if let Err(rejection) =
                validate::message_body_with_files(data, Target::Interaction, false, files.len())
            {
                return rejection.into();
            }
            match attachments(
                shared,
                &mut state,
                &interaction.channel.id,
                data,
                files,
                &[],
            ) {
                Ok(list) => attached = list.unwrap_or_default(),
                Err(rejected) => return rejected,
            }
            original = Some(data.clone());
        }
        5 if interaction.kind != AUTOCOMPLETE => {
            let mut placeholder = json!({"content": ""});
            placeholder["flags"] = json!(data["flags"].as_u64().unwrap_or(0) | 128);
            original = Some(placeholder);
        }
        6 if on_message => {
            // A component's "original response" is the message it is on.
            if let Some(stored) = state.interactions.get_mut(id) {
                stored.original.clone_from(&interaction.message);
            }
        }
        7 if on_message => {
            if let Err(rejection) = validate::message_body(data, Target::Interaction, true) {
                return rejection.into();
            }
            let on = interaction.message.clone().unwrap_or_default();
            let stored_message = state.messages.get(&on).cloned();
            if let Some(mut message) = stored_message {
                let existing = message["attachments"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let channel = interaction.channel.id.clone();
                let list = match attachments(shared, &mut state, &channel, data, files, &existing) {
                    Ok(list) => list,
                    Err(rejected) => return rejected,
                };
                edit(shared, &mut message, data, list);
                state.messages.insert(on, message);
            }
            if let Some(stored) = state.interactions.get_mut(id) {
                stored.original.clone_from(&interaction.message);
            }
        }
        8 if interaction.kind == AUTOCOMPLETE => {
            if let Err(rejection) = validate::choices(&data["choices"]) {
                return rejection.into();
            }
        }
        9 if can_show_modal => {
            if let Err(rejection) = validate::modal(data) {
                return rejection.into();
            }
            if let Some(stored) = state.interactions.get_mut(id) {
                stored.modal = Some(data.clone());
            }
        }
        _ => return invalid_type(),
    }
    if let Some(content) = original {
        let message_id = shared.ids.next();
        let message_kind = match &interaction.kind {
            // CHAT_INPUT_COMMAND or CONTEXT_MENU_COMMAND.
            2 => 20,
            _ => 0,
        };
        let creation = Creation {
            channel: &interaction.channel,
            kind: message_kind,
            flags: content["flags"].as_u64().unwrap_or(0),
            referenced: None,
            interaction: Some((id, &interaction)),
            attachments: attached,
        };
        let message = bot_message(shared, &message_id, &content, &creation);
        store_and_echo(shared, &mut state, &message, &interaction.channel);
        if let Some(stored) = state.interactions.get_mut(id) {
            stored.original = Some(message_id);
        }
    }
    if let Some(stored) = state.interactions.get_mut(id) {
        stored.response = Some(kind);
    }
    Answer::no_content()
}

fn interaction_by_token(state: &State, token: &str) -> Option<(String, super::InteractionState)> {
    state
        .interactions
        .iter()
        .find(|(_, i)| i.token == token)
        .map(|(id, i)| (id.clone(), i.clone()))
}

fn follow_up(
    shared: &Shared,
    app: &str,
    token: &str,
    body: &Value,
    files: &[UploadedFile],
) -> Answer {
    let mut state = shared.lock();
    let found = interaction_by_token(&state, token).filter(|_| app == shared.world.application_id);
    let Some((id, interaction)) = found.filter(|(_, i)| i.response.is_some()) else {
        return unknown(10015, "Webhook");
    };
    if let Err(rejection) =
        validate::message_body_with_files(body, Target::Interaction, false, files.len())
    {
        return rejection.into();
    }
    let channel = interaction.channel.id.clone();
    let attached = match attachments(shared, &mut state, &channel, body, files, &[]) {
        Ok(list) => list,
        Err(rejected) => return rejected,
    };
    // After a deferred response, the first follow-up replaces the
    // "thinking" placeholder.
    if let Some(original) = interaction.original.clone() {
        if let Some(mut message) = state.messages.get(&original).cloned() {
            if message["flags"].as_u64().unwrap_or(0) & 128 != 0 {
                edit(shared, &mut message, body, attached);
                state.messages.insert(original, message.clone());
                return Answer::json(200, message);
            }
        }
    }
    let message_id = shared.ids.next();
    let creation = Creation {
        channel: &interaction.channel,
        kind: 0,
        flags: body["flags"].as_u64().unwrap_or(0),
        referenced: None,
        interaction: Some((&id, &interaction)),
        attachments: attached.unwrap_or_default(),
    };
    let message = bot_message(shared, &message_id, body, &creation);
    store_and_echo(shared, &mut state, &message, &interaction.channel);
    Answer::json(200, message)
}

fn webhook_message(
    shared: &Shared,
    method: &str,
    app: &str,
    token: &str,
    message: &str,
    body: &Value,
    files: &[UploadedFile],
) -> Answer {
    let mut state = shared.lock();
    let found = interaction_by_token(&state, token).filter(|_| app == shared.world.application_id);
    let Some((_, interaction)) = found else {
        return unknown(10015, "Webhook");
    };
    let message_id = if message == "@original" {
        match interaction.original.clone() {
            Some(id) => id,
            None => return unknown(10008, "Message"),
        }
    } else {
        message.to_string()
    };
    let Some(mut stored) = state.messages.get(&message_id).cloned() else {
        return unknown(10008, "Message");
    };
    match method {
        "GET" => Answer::json(200, stored),
        "PATCH" => {
            if let Err(rejection) = validate::message_body(body, Target::Interaction, true) {
                return rejection.into();
            }
            let existing = stored["attachments"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let channel = interaction.channel.id.clone();
            let attached = match attachments(shared, &mut state, &channel, body, files, &existing) {
                Ok(list) => list,
                Err(rejected) => return rejected,
            };
            edit(shared, &mut stored, body, attached);
            state.messages.insert(message_id, stored.clone());
            Answer::json(200, stored)
        }
        "DELETE" => {
            state.messages.remove(&message_id);
            Answer::no_content()
        }
        _ => not_found(),
    }
}
