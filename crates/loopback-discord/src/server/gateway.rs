//! The gateway WebSocket, as Discord documents it ("Gateway" and "Gateway
//! Events").
//!
//! A connection gets HELLO (op 10) at once, then the client IDENTIFYs (op 2)
//! and gets READY, or RESUMEs (op 6) and gets the dispatches it missed
//! followed by RESUMED. Heartbeats (op 1) get ACKs (op 11) unless the test
//! switched them off. Dispatches carry increasing sequence numbers per
//! session and are kept for replay; a session outlives its connection until
//! it is invalidated. Payloads are text frames, or zlib-compressed binary
//! frames when the client identified with `compress: true` and the server's
//! [`Compression`](super::Compression) policy says so.
//!
//! Close codes follow Discord's table: 4001 unknown opcode, 4002 decode
//! error, 4003 not authenticated, 4004 authentication failed, 4005 already
//! authenticated, 4007 invalid seq, 4010 invalid shard, 4012 invalid API
//! version, 4013 invalid intents, 4014 disallowed intents.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State as AxumState};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::super::payloads::{self, intents};
use super::super::record::Summary;
use super::{Compression, Connection, Dispatched, NoSession, Session, Shared, State};

/// Something for a connection task to do, queued in order.
#[derive(Debug)]
pub enum Outbound {
    /// Write a payload.
    Payload {
        /// The JSON text.
        text: String,
        /// What it is, for the record.
        meta: FrameMeta,
    },
    /// Send a close frame with this code and reason, then hang up.
    Close(u16, String),
    /// Hang up without a close frame.
    Drop,
}

impl Outbound {
    /// A non-dispatch payload `{op, d, s: null, t: null}`.
    pub fn op(op: u8, d: Value) -> Outbound {
        Outbound::Payload {
            text: json!({"op": op, "d": d, "s": null, "t": null}).to_string(),
            meta: FrameMeta {
                op,
                ..FrameMeta::default()
            },
        }
    }
}

/// What a frame sent to the client was.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameMeta {
    /// Opcode.
    pub op: u8,
    /// Sequence number (dispatches).
    pub seq: Option<u64>,
    /// Event name (dispatches).
    pub event: Option<String>,
    /// Sent again in a RESUME replay.
    pub replay: bool,
    /// The session, for dispatches.
    pub session: Option<String>,
}

/// A dispatch kept in its session.
#[derive(Clone, Debug)]
pub struct Stored {
    /// Sequence number.
    pub seq: u64,
    /// Event name.
    pub event: String,
    /// Payload as the session receives it.
    pub data: Value,
    /// READY and RESUMED are not replayed.
    pub replayable: bool,
}

/// Who ended a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The bot.
    Client,
    /// The loopback server.
    Server,
}

/// One gateway happening.
#[derive(Clone, Debug)]
pub enum GatewayKind {
    /// A WebSocket connection was upgraded, with this query string.
    Connected {
        /// The raw query (`v=10`...).
        query: String,
    },
    /// The client sent a payload.
    FromClient {
        /// Its opcode.
        op: u64,
        /// The whole payload.
        payload: Value,
    },
    /// The server wrote a payload to the socket.
    ToClient {
        /// Opcode.
        op: u8,
        /// Sequence number.
        seq: Option<u64>,
        /// Event name.
        event: Option<String>,
        /// Part of a RESUME replay.
        replay: bool,
        /// Sent zlib-compressed.
        compressed: bool,
        /// The session (dispatches).
        session: Option<String>,
    },
    /// The connection ended.
    Closed {
        /// Who ended it.
        by: Side,
        /// The close code, if a close frame was sent.
        code: Option<u16>,
        /// The close reason.
        reason: String,
    },
}

/// A record of the gateway log.
#[derive(Clone, Debug)]
pub struct GatewayRecord {
    /// Position in the log.
    pub index: usize,
    /// When it happened.
    pub at: Instant,
    /// The connection (numbered from 1 in connection order).
    pub connection: u64,
    /// What happened.
    pub kind: GatewayKind,
}

impl GatewayRecord {
    /// A payload the client sent with opcode `op`.
    pub fn is_client_op(&self, op: u64) -> bool {
        matches!(&self.kind, GatewayKind::FromClient { op: o, .. } if *o == op)
    }

    /// The server wrote dispatch `event`.
    pub fn is_sent_event(&self, event: &str) -> bool {
        matches!(&self.kind, GatewayKind::ToClient { event: Some(e), .. } if e == event)
    }

    /// The server wrote opcode `op`.
    pub fn is_sent_op(&self, op: u8) -> bool {
        matches!(&self.kind, GatewayKind::ToClient { op: o, .. } if *o == op)
    }

    /// The server wrote the dispatch with sequence `seq`.
    pub fn is_sent_seq(&self, seq: u64) -> bool {
        matches!(&self.kind, GatewayKind::ToClient { seq: Some(s), .. } if *s == seq)
    }

    /// The payload, for client frames (else `Null`).
    pub fn payload(&self) -> &Value {
        match &self.kind {
            GatewayKind::FromClient { payload, .. } => payload,
            _ => &Value::Null,
        }
    }
}

impl Summary for GatewayRecord {
    fn summary(&self) -> String {
        let what = match &self.kind {
            GatewayKind::Connected { query } => format!("connected ?{query}"),
            GatewayKind::FromClient { op, payload } => {
                let mut d = payload["d"].to_string();
                if let Some(token) = payload["d"]["token"].as_str() {
                    d = d.replace(token, "<token>");
                }
                d.truncate(120);
                format!("client op {op} {d}")
            }
            GatewayKind::ToClient {
                op,
                seq,
                event,
                replay,
                compressed,
                ..
            } => format!(
                "server op {op}{}{}{}{}",
                seq.map(|s| format!(" s={s}")).unwrap_or_default(),
                event.as_ref().map(|e| format!(" {e}")).unwrap_or_default(),
                if *replay { " (replay)" } else { "" },
                if *compressed { " (zlib)" } else { "" },
            ),
            GatewayKind::Closed { by, code, reason } => {
                format!("closed by {by:?} code {code:?} {reason}")
            }
        };
        format!("#{} conn {} {what}", self.index, self.connection)
    }
}

fn record(shared: &Shared, connection: u64, kind: GatewayKind) {
    shared.gateway.push_with(|index| GatewayRecord {
        index,
        at: Instant::now(),
        connection,
        kind,
    });
}

/// `GET /` with an upgrade: the gateway.
pub(crate) async fn upgrade(
    AxumState(shared): AxumState<Arc<Shared>>,
    RawQuery(query): RawQuery,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    match upgrade {
        Ok(upgrade) => upgrade
            .on_upgrade(move |socket| run(shared, socket, query.unwrap_or_default()))
            .into_response(),
        Err(rejection) => rejection.into_response(),
    }
}

fn parse_query(query: &str) -> HashMap<String, String> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (pair.to_string(), String::new()),
        })
        .collect()
}

/// One connection, from upgrade to hang-up.
async fn run(shared: Arc<Shared>, mut socket: WebSocket, query: String) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = {
        let mut state = shared.lock();
        state.next_connection += 1;
        let id = state.next_connection;
        state.connections.insert(
            id,
            Connection {
                tx: tx.clone(),
                session: None,
                compress: false,
            },
        );
        id
    };
    record(
        &shared,
        id,
        GatewayKind::Connected {
            query: query.clone(),
        },
    );

    let params = parse_query(&query);
    let refusal = if params.get("v").map(String::as_str) != Some("10") {
        Some((4012, "Invalid API version."))
    } else if params.get("encoding").is_some_and(|e| e != "json") {
        Some((4002, "Only the JSON encoding is supported here."))
    } else if params.contains_key("compress") {
        Some((4002, "Transport compression is not supported here."))
    } else {
        None
    };

    let mut gate = shared.gate.subscribe();
    let opened = gate.wait_for(|open| *open).await.is_ok();
    if !opened {
        return;
    }

    let end = match refusal {
        Some((code, reason)) => Some(Outbound::Close(code, reason.to_string())),
        None => {
            let hello = json!({
                "op": 10,
                "d": {"heartbeat_interval": shared.config.heartbeat_interval.as_millis() as u64},
                "s": null,
                "t": null,
            });
            let meta = FrameMeta {
                op: 10,
                ..FrameMeta::default()
            };
            if write(&shared, id, &mut socket, hello.to_string(), meta)
                .await
                .is_err()
            {
                finish(&shared, id, Side::Client, None, "write failed");
                return;
            }
            serve(&shared, id, &mut socket, &mut rx).await
        }
    };

    match end {
        Some(Outbound::Close(code, reason)) => {
            let frame = CloseFrame {
                code,
                reason: reason.clone().into(),
            };
            let _ = socket.send(Message::Close(Some(frame))).await;
            finish(&shared, id, Side::Server, Some(code), &reason);
        }
        Some(Outbound::Drop) => {
            drop(socket);
            finish(&shared, id, Side::Server, None, "dropped");
        }
        _ => {}
    }
}

/// The connection's loop: client frames in, queued outbound frames out.
/// Returns the server's ending (close or drop), or `None` when the client
/// ended the connection (already recorded).
async fn serve(
    shared: &Shared,
    id: u64,
    socket: &mut WebSocket,
    rx: &mut mpsc::UnboundedReceiver<Outbound>,
) -> Option<Outbound> {
    loop {
        tokio::select! {
            biased;
            outbound = rx.recv() => match outbound {
                Some(Outbound::Payload { text, meta }) => {
                    if write(shared, id, socket, text, meta).await.is_err() {
                        finish(shared, id, Side::Client, None, "write failed");
                        return None;
                    }
                }
                Some(end) => return Some(end),
                None => return Some(Outbound::Drop),
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => on_payload(shared, id, &text),
                Some(Ok(Message::Binary(_))) => {
                    return Some(Outbound::Close(4002, "Error while decoding payload.".into()));
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame
                        .map(|f| (Some(f.code), f.reason.into_owned()))
                        .unwrap_or((None, String::new()));
                    finish(shared, id, Side::Client, code, &reason);
                    return None;
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Err(error)) => {
                    finish(shared, id, Side::Client, None, &error.to_string());
                    return None;
                }
                None => {
                    finish(shared, id, Side::Client, None, "connection ended");
                    return None;
                }
            },
        }
    }
}

/// Writes one payload, compressed if the connection and policy say so.
async fn write(
    shared: &Shared,
    id: u64,
    socket: &mut WebSocket,
    text: String,
    meta: FrameMeta,
) -> Result<(), axum::Error> {
    let client_asked = shared
        .lock()
        .connections
        .get(&id)
        .is_some_and(|c| c.compress);
    let compress = client_asked
        && match shared.config.compression {
            Compression::Never => false,
            Compression::Ready => meta.event.as_deref() == Some("READY"),
            Compression::Always => true,
        };
    let message = if compress {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder
            .write_all(text.as_bytes())
            .and_then(|()| encoder.finish())
            .map(Message::Binary)
            .map_err(axum::Error::new)?
    } else {
        Message::Text(text)
    };
    socket.send(message).await?;
    record(
        shared,
        id,
        GatewayKind::ToClient {
            op: meta.op,
            seq: meta.seq,
            event: meta.event,
            replay: meta.replay,
            compressed: compress,
            session: meta.session,
        },
    );
    Ok(())
}

/// The connection is gone: record it and detach it from its session.
fn finish(shared: &Shared, id: u64, by: Side, code: Option<u16>, reason: &str) {
    {
        let mut state = shared.lock();
        if let Some(connection) = state.connections.remove(&id) {
            if let Some(session) = connection.session {
                if let Some(session) = state.sessions.get_mut(&session) {
                    if session.connection == Some(id) {
                        session.connection = None;
                    }
                }
            }
        }
    }
    record(
        shared,
        id,
        GatewayKind::Closed {
            by,
            code,
            reason: reason.to_string(),
        },
    );
}

/// Queues `outbound` on connection `id`.
fn send(state: &State, id: u64, outbound: Outbound) {
    if let Some(connection) = state.connections.get(&id) {
        let _ = connection.tx.send(outbound);
    }
}

fn close(state: &State, id: u64, code: u16, reason: &str) {
    send(state, id, Outbound::Close(code, reason.to_string()));
}

/// A payload from the client.
fn on_payload(shared: &Shared, id: u64, text: &str) {
    let Ok(payload) = serde_json::from_str::<Value>(text) else {
        record(
            shared,
            id,
            GatewayKind::FromClient {
                op: u64::MAX,
                payload: json!({"raw": text}),
            },
        );
        close(&shared.lock(), id, 4002, "Error while decoding payload.");
        return;
    };
    let op = payload["op"].as_u64().unwrap_or(u64::MAX);
    record(
        shared,
        id,
        GatewayKind::FromClient {
            op,
            payload: payload.clone(),
        },
    );
    let mut state = shared.lock();
    let identified = state
        .connections
        .get(&id)
        .is_some_and(|c| c.session.is_some());
    match op {
        1 => {
            if state.ack_heartbeats {
                send(&state, id, Outbound::op(11, Value::Null));
            }
        }
        2 if identified => close(&state, id, 4005, "Already authenticated."),
        2 => identify(shared, &mut state, id, &payload["d"]),
        6 if identified => close(&state, id, 4005, "Already authenticated."),
        6 => resume(&mut state, id, &payload["d"]),
        3 | 4 | 8 | 31 if !identified => close(&state, id, 4003, "Not authenticated."),
        3 | 4 | 8 | 31 => {}
        _ => close(&state, id, 4001, "Unknown opcode."),
    }
}

fn token_ok(shared: &Shared, token: &str) -> bool {
    let bare = token.strip_prefix("Bot ").unwrap_or(token);
    match &shared.config.accepted_token {
        Some(accepted) => bare == accepted,
        None => !bare.is_empty(),
    }
}

fn identify(shared: &Shared, state: &mut State, id: u64, d: &Value) {
    let token = d["token"].as_str().unwrap_or_default();
    if !token_ok(shared, token) {
        close(state, id, 4004, "Authentication failed.");
        return;
    }
    let Some(intents) = d["intents"].as_u64() else {
        close(state, id, 4013, "Invalid intent(s).");
        return;
    };
    if intents >= 1 << 26 {
        close(state, id, 4013, "Invalid intent(s).");
        return;
    }
    let privileged = intents & intents::PRIVILEGED;
    if privileged & !shared.config.allowed_privileged_intents != 0 {
        close(state, id, 4014, "Disallowed intent(s).");
        return;
    }
    let shard = match d.get("shard") {
        None | Some(Value::Null) => [0, 1],
        Some(value) => match serde_json::from_value::<[u32; 2]>(value.clone()) {
            Ok([shard, total]) if total >= 1 && shard < total => [shard, total],
            _ => {
                close(state, id, 4010, "Invalid shard.");
                return;
            }
        },
    };
    let session_id = format!(
        "{:032x}",
        u128::from(shared.ids.next_u64()) * 0x9E37_79B9_7F4A_7C15
    );
    if let Some(connection) = state.connections.get_mut(&id) {
        connection.session = Some(session_id.clone());
        connection.compress = d["compress"] == true;
    }
    if let Some(previous) = state.shard_sessions.insert(shard[0], session_id.clone()) {
        state.sessions.remove(&previous);
    }
    let world = &shared.world;
    let guilds: Vec<Value> = if guild_shard(&world.guild_id, shard[1]) == shard[0] {
        vec![json!({"id": world.guild_id, "unavailable": true})]
    } else {
        vec![]
    };
    let mut user = world.bot.json();
    user["verified"] = json!(true);
    user["mfa_enabled"] = json!(false);
    user["email"] = Value::Null;
    let ready = json!({
        "v": 10,
        "user": user,
        "guilds": guilds,
        "session_id": session_id,
        "resume_gateway_url": shared.gateway_url(),
        "shard": shard,
        "application": {"id": world.application_id, "flags": world.application_flags},
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": ["us-east", "us-central"],
        "session_type": "normal",
        "auth": {},
        "user_settings": {},
        "_trace": ["[\"loopback-gateway\",{\"micros\":1}]"],
    });
    state.sessions.insert(
        session_id.clone(),
        Session {
            token: token.to_string(),
            intents,
            shard,
            seq: 0,
            history: Vec::new(),
            connection: Some(id),
            compress: d["compress"] == true,
        },
    );
    push_dispatch(state, &session_id, "READY", ready, true, false);
}

fn resume(state: &mut State, id: u64, d: &Value) {
    let session_id = d["session_id"].as_str().unwrap_or_default().to_string();
    let token = d["token"].as_str().unwrap_or_default();
    let seq = d["seq"].as_u64();
    let valid = state
        .sessions
        .get(&session_id)
        .is_some_and(|s| s.token == token);
    if !valid {
        send(state, id, Outbound::op(9, json!(false)));
        return;
    }
    let Some(seq) = seq.filter(|seq| *seq <= state.sessions[&session_id].seq) else {
        close(state, id, 4007, "Invalid seq.");
        return;
    };
    // The session moves to this connection; the old one (if still open)
    // is cut, as Discord does.
    let previous = state.sessions[&session_id].connection;
    if let Some(previous) = previous.filter(|p| *p != id) {
        send(state, previous, Outbound::Drop);
        if let Some(old) = state.connections.get_mut(&previous) {
            old.session = None;
        }
    }
    let compress = state.sessions[&session_id].compress;
    if let Some(connection) = state.connections.get_mut(&id) {
        connection.session = Some(session_id.clone());
        connection.compress = compress;
    }
    let session = state.sessions.get_mut(&session_id).expect("checked above");
    session.connection = Some(id);
    let missed: Vec<Outbound> = session
        .history
        .iter()
        .filter(|stored| stored.seq > seq && stored.replayable)
        .map(|stored| dispatch_frame(stored, &session_id, true))
        .collect();
    for frame in missed {
        send(state, id, frame);
    }
    push_dispatch(state, &session_id, "RESUMED", json!({}), true, false);
}

/// The shard a guild's events go to: `(guild_id >> 22) % num_shards`.
pub fn guild_shard(guild_id: &str, total: u32) -> u32 {
    let id: u64 = guild_id.parse().unwrap_or(0);
    ((id >> 22) % u64::from(total.max(1))) as u32
}

fn dispatch_frame(stored: &Stored, session: &str, replay: bool) -> Outbound {
    let text = json!({"op": 0, "s": stored.seq, "t": stored.event, "d": stored.data}).to_string();
    Outbound::Payload {
        text,
        meta: FrameMeta {
            op: 0,
            seq: Some(stored.seq),
            event: Some(stored.event.clone()),
            replay,
            session: Some(session.to_string()),
        },
    }
}

/// Appends a dispatch to `session` and sends it to its live connection if
/// `deliver`. Returns the stored dispatch and whether it went out live.
fn push_dispatch(
    state: &mut State,
    session_id: &str,
    event: &str,
    data: Value,
    deliver: bool,
    replayable: bool,
) -> Option<(Stored, bool)> {
    let session = state.sessions.get_mut(session_id)?;
    session.seq += 1;
    let stored = Stored {
        seq: session.seq,
        event: event.to_string(),
        data,
        replayable,
    };
    session.history.push(stored.clone());
    let connection = session.connection;
    let live = match connection {
        Some(connection) if deliver => {
            send(
                state,
                connection,
                dispatch_frame(&stored, session_id, false),
            );
            true
        }
        Some(_) => true,
        None => false,
    };
    Some((stored, live))
}

/// Ends a session: it can no longer be resumed.
pub(crate) fn end_session(state: &mut State, session_id: &str) {
    if let Some(session) = state.sessions.remove(session_id) {
        if state
            .shard_sessions
            .get(&session.shard[0])
            .map(String::as_str)
            == Some(session_id)
        {
            state.shard_sessions.remove(&session.shard[0]);
        }
    }
}

/// Dispatches `event` to the session of the shard it belongs to, applying
/// the session's intents the way Discord does.
pub(crate) fn dispatch(
    shared: &Shared,
    event: &str,
    data: Value,
    deliver: bool,
) -> Result<Dispatched, NoSession> {
    let mut state = shared.lock();
    dispatch_with(shared, &mut state, event, data, deliver)
}

/// [`dispatch`] for a caller that already holds the state lock; a missing
/// session drops the event, as Discord drops events for a bot that is not
/// connected.
pub(crate) fn dispatch_locked(shared: &Shared, state: &mut State, event: &str, data: Value) {
    let _ = dispatch_with(shared, state, event, data, true);
}

fn dispatch_with(
    shared: &Shared,
    state: &mut State,
    event: &str,
    mut data: Value,
    deliver: bool,
) -> Result<Dispatched, NoSession> {
    let total = state
        .shard_sessions
        .values()
        .filter_map(|s| state.sessions.get(s))
        .map(|s| s.shard[1])
        .max()
        .unwrap_or(1);
    let shard = data["guild_id"]
        .as_str()
        .map_or(0, |guild| guild_shard(guild, total));
    let session_id = state
        .shard_sessions
        .get(&shard)
        .cloned()
        .ok_or(NoSession { shard })?;
    let intents = state.sessions[&session_id].intents;
    if matches!(event, "MESSAGE_CREATE" | "MESSAGE_UPDATE") {
        let in_guild = data.get("guild_id").is_some();
        let needed = if in_guild {
            intents::GUILD_MESSAGES
        } else {
            intents::DIRECT_MESSAGES
        };
        if intents & needed == 0 {
            return Ok(Dispatched {
                seq: None,
                session_id,
                live: false,
                data,
            });
        }
        if intents & intents::MESSAGE_CONTENT == 0
            && !payloads::content_visible_without_intent(&data, &shared.world.bot.id)
        {
            payloads::strip_message_content(&mut data);
        }
    }
    let (stored, live) =
        push_dispatch(state, &session_id, event, data, deliver, true).ok_or(NoSession { shard })?;
    Ok(Dispatched {
        seq: Some(stored.seq),
        session_id,
        live,
        data: stored.data,
    })
}
