//! Self-tests of the loopback server (`crates/loopback-discord`), without
//! the bot, through its public API: a raw WebSocket
//! client checks the gateway protocol frame by frame, serenity's own HTTP
//! client and gateway client check that everything the server sends is
//! accepted by the library the bot uses (serenity drops what it cannot
//! deserialize without a word, so this matters).

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use serenity::all::{
    ChannelId, Context, EventHandler, GatewayIntents, Interaction, Message as SerenityMessage,
    Ready, ResumedEvent,
};
use serenity::http::{Http, HttpBuilder};
use serenity::model::event::{Event, GatewayEvent};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use loopback_discord::payloads::{self, intents, InteractionContext, NewMessage};
use loopback_discord::server::gateway::{GatewayKind, Side};
use loopback_discord::server::{
    Compression, DiscordServer, GlobalRateLimit, RateLimit, RestFault, ServerConfig, WAIT,
};

const TOKEN: &str = "c2VsZi10ZXN0.token";

fn config() -> ServerConfig {
    ServerConfig {
        accepted_token: Some(TOKEN.to_string()),
        ..ServerConfig::default()
    }
}

/// What a raw client received.
#[derive(Debug)]
enum Received {
    Payload { value: Value, compressed: bool },
    Closed(Option<u16>),
    Ended,
}

struct RawClient {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl RawClient {
    async fn connect(server: &DiscordServer) -> RawClient {
        RawClient::connect_query(server, "v=10&encoding=json").await
    }

    async fn connect_query(server: &DiscordServer, query: &str) -> RawClient {
        // A URL without a path would send a request target without "/";
        // serenity parses the URL first, which adds it.
        let url = format!("{}/?{query}", server.gateway_url());
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("websocket connects");
        RawClient { ws }
    }

    async fn send(&mut self, value: Value) {
        self.ws
            .send(WsMessage::Text(value.to_string()))
            .await
            .expect("send");
    }

    async fn next(&mut self) -> Received {
        loop {
            let message = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("a frame within the bound");
            let (text, compressed) = match message {
                Some(Ok(WsMessage::Text(text))) => (text, false),
                Some(Ok(WsMessage::Binary(bytes))) => {
                    use std::io::Read;
                    let mut text = String::new();
                    flate2::read::ZlibDecoder::new(&bytes[..])
                        .read_to_string(&mut text)
                        .expect("zlib payload");
                    (text, true)
                }
                Some(Ok(WsMessage::Close(frame))) => {
                    return Received::Closed(frame.map(|f| u16::from(f.code)))
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Received::Ended,
            };
            // What serenity would make of it: it must parse, and a dispatch
            // must not be an unknown event.
            match serde_json::from_str::<GatewayEvent>(&text) {
                Ok(GatewayEvent::Dispatch(_, Event::Unknown(unknown))) => {
                    panic!("serenity does not know event {}", unknown.kind)
                }
                Ok(_) => {}
                Err(error) => panic!("serenity cannot parse {text}: {error}"),
            }
            let value = serde_json::from_str(&text).expect("json");
            return Received::Payload { value, compressed };
        }
    }

    async fn payload(&mut self) -> Value {
        match self.next().await {
            Received::Payload { value, .. } => value,
            other => panic!("expected a payload, got {other:?}"),
        }
    }

    async fn closed(&mut self) -> Option<u16> {
        loop {
            match self.next().await {
                Received::Closed(code) => return code,
                Received::Ended => return None,
                Received::Payload { .. } => continue,
            }
        }
    }

    /// Reads HELLO, identifies, returns READY's `d`.
    async fn identify(&mut self, token: &str, intents: u64) -> Value {
        let hello = self.payload().await;
        assert_eq!(hello["op"], 10);
        assert!(hello["d"]["heartbeat_interval"].as_u64().unwrap() > 0);
        self.send(json!({"op": 2, "d": {
            "token": token, "intents": intents, "shard": [0, 1],
            "properties": {"os": "linux", "browser": "raw", "device": "raw"},
        }}))
        .await;
        let ready = self.payload().await;
        assert_eq!(ready["t"], "READY", "{ready}");
        assert_eq!(ready["s"], 1);
        ready["d"].clone()
    }
}

#[tokio::test]
async fn identify_gets_a_ready_serenity_accepts_and_heartbeats_get_acks() {
    let server = DiscordServer::start_with(config()).await;
    let mut client = RawClient::connect(&server).await;
    let ready = client
        .identify(TOKEN, intents::GUILDS | intents::GUILD_MESSAGES)
        .await;
    for field in [
        "v",
        "user",
        "guilds",
        "session_id",
        "resume_gateway_url",
        "application",
    ] {
        assert!(!ready[field].is_null(), "READY lacks {field}");
    }
    assert_eq!(
        ready["application"]["id"],
        server.world().application_id.as_str()
    );
    assert_eq!(ready["user"]["id"], server.world().bot.id.as_str());

    client.send(json!({"op": 1, "d": 1})).await;
    let ack = client.payload().await;
    assert_eq!(ack["op"], 11);

    // Acks off: the heartbeat is recorded, and the next frame is the
    // dispatch that follows it, not an ACK.
    server.set_heartbeat_acks(false);
    let mark = server.gateway_mark();
    client.send(json!({"op": 1, "d": 1})).await;
    server
        .wait_for_gateway(mark, "the heartbeat", |r| r.is_client_op(1), WAIT)
        .await
        .unwrap();
    let world = server.world().clone();
    let mention = format!("{} hi", world.bot.mention());
    server
        .post(NewMessage::new(&world.student, &world.general, mention))
        .unwrap();
    let next = client.payload().await;
    assert_eq!(next["t"], "MESSAGE_CREATE");
    assert_eq!(next["s"], 2);

    let identify = server.wait_for_identify(0).await.unwrap();
    assert_eq!(identify["token"], TOKEN);
}

#[tokio::test]
async fn message_content_is_empty_without_the_intent_unless_mentioned_or_dm() {
    let server = DiscordServer::start_with(config()).await;
    let world = server.world().clone();
    let mut client = RawClient::connect(&server).await;
    client
        .identify(
            TOKEN,
            intents::GUILDS | intents::GUILD_MESSAGES | intents::DIRECT_MESSAGES,
        )
        .await;

    let plain = server
        .post(NewMessage::new(
            &world.student,
            &world.general,
            "what do they earn?",
        ))
        .unwrap();
    let got = client.payload().await;
    assert_eq!(got["d"]["id"], plain.id.as_str());
    assert_eq!(got["d"]["content"], "");
    // The server keeps the full message (for context menus).
    assert_eq!(
        server.message(&plain.id).unwrap()["content"],
        "what do they earn?"
    );

    let mentioned = format!("{} what do they earn?", world.bot.mention());
    server
        .post(NewMessage::new(
            &world.student,
            &world.general,
            mentioned.clone(),
        ))
        .unwrap();
    let got = client.payload().await;
    assert_eq!(got["d"]["content"], mentioned.as_str());
    assert_eq!(got["d"]["mentions"][0]["id"], world.bot.id.as_str());

    server
        .post(NewMessage::new(
            &world.student,
            &world.student_dm,
            "salary?",
        ))
        .unwrap();
    let got = client.payload().await;
    assert_eq!(got["d"]["content"], "salary?");
    assert!(got["d"].get("guild_id").is_none());

    // With the intent, everything is visible.
    let server = DiscordServer::start_with(config()).await;
    let world = server.world().clone();
    let mut client = RawClient::connect(&server).await;
    client
        .identify(TOKEN, intents::GUILD_MESSAGES | intents::MESSAGE_CONTENT)
        .await;
    server
        .post(NewMessage::new(&world.student, &world.general, "plain"))
        .unwrap();
    assert_eq!(client.payload().await["d"]["content"], "plain");
    // Without DIRECT_MESSAGES, DMs are not sent at all.
    let dm = server
        .post(NewMessage::new(&world.student, &world.student_dm, "dm"))
        .unwrap();
    assert_eq!(dm.dispatched.seq, None);
}

#[tokio::test]
async fn resume_replays_what_was_missed_then_resumed() {
    let server = DiscordServer::start_with(config()).await;
    let world = server.world().clone();
    let mut client = RawClient::connect(&server).await;
    let ready = client
        .identify(TOKEN, intents::GUILD_MESSAGES | intents::MESSAGE_CONTENT)
        .await;
    let session = ready["session_id"].as_str().unwrap().to_string();
    let first = server
        .post(NewMessage::new(&world.student, &world.general, "one"))
        .unwrap();
    assert_eq!(client.payload().await["s"], 2);
    assert!(first.dispatched.live);

    // One lost in flight, then the connection drops; two more while down.
    server
        .post_lost(NewMessage::new(&world.student, &world.general, "two"))
        .unwrap();
    assert_eq!(server.drop_connections(), 1);
    assert_eq!(client.closed().await, None, "dropped without a close frame");
    server
        .wait_for_gateway(
            0,
            "the drop",
            |r| {
                matches!(
                    r.kind,
                    GatewayKind::Closed {
                        by: Side::Server,
                        ..
                    }
                )
            },
            WAIT,
        )
        .await
        .unwrap();
    let three = server
        .post(NewMessage::new(&world.student, &world.general, "three"))
        .unwrap();
    assert!(!three.dispatched.live);
    server
        .post(NewMessage::new(&world.student, &world.general, "four"))
        .unwrap();

    let mut client = RawClient::connect(&server).await;
    assert_eq!(client.payload().await["op"], 10);
    client
        .send(json!({"op": 6, "d": {"token": TOKEN, "session_id": session, "seq": 2}}))
        .await;
    let mut seen = Vec::new();
    loop {
        let payload = client.payload().await;
        seen.push((
            payload["s"].as_u64().unwrap(),
            payload["t"].as_str().unwrap().to_string(),
            payload["d"]["content"].clone(),
        ));
        if payload["t"] == "RESUMED" {
            assert_eq!(payload["d"], json!({}));
            break;
        }
    }
    assert_eq!(
        seen,
        [
            (3, "MESSAGE_CREATE".to_string(), json!("two")),
            (4, "MESSAGE_CREATE".to_string(), json!("three")),
            (5, "MESSAGE_CREATE".to_string(), json!("four")),
            (6, "RESUMED".to_string(), json!(null)),
        ]
    );
    let replays = server
        .gateway_records()
        .into_iter()
        .filter(|r| matches!(r.kind, GatewayKind::ToClient { replay: true, .. }))
        .count();
    assert_eq!(replays, 3);

    // Live again.
    server
        .post(NewMessage::new(&world.student, &world.general, "five"))
        .unwrap();
    assert_eq!(client.payload().await["s"], 7);

    // An unknown session cannot be resumed.
    let mut other = RawClient::connect(&server).await;
    other.payload().await;
    other
        .send(json!({"op": 6, "d": {"token": TOKEN, "session_id": "nope", "seq": 1}}))
        .await;
    let invalid = other.payload().await;
    assert_eq!(
        (invalid["op"].clone(), invalid["d"].clone()),
        (json!(9), json!(false))
    );
}

#[tokio::test]
async fn gateway_refusals_use_discord_close_codes() {
    let server = DiscordServer::start_with(ServerConfig {
        allowed_privileged_intents: 0,
        ..config()
    })
    .await;

    let mut bad_token = RawClient::connect(&server).await;
    bad_token.payload().await;
    bad_token
        .send(json!({"op": 2, "d": {"token": "wrong", "intents": 0, "properties": {}}}))
        .await;
    assert_eq!(bad_token.closed().await, Some(4004));

    let mut privileged = RawClient::connect(&server).await;
    privileged.payload().await;
    privileged
        .send(json!({"op": 2, "d": {
            "token": TOKEN, "intents": intents::MESSAGE_CONTENT, "properties": {},
        }}))
        .await;
    assert_eq!(privileged.closed().await, Some(4014));

    let mut early = RawClient::connect(&server).await;
    early.payload().await;
    early.send(json!({"op": 3, "d": {}})).await;
    assert_eq!(early.closed().await, Some(4003));

    let mut no_version = RawClient::connect_query(&server, "encoding=json").await;
    assert_eq!(no_version.closed().await, Some(4012));

    let mut twice = RawClient::connect(&server).await;
    twice.identify(TOKEN, 0).await;
    twice
        .send(json!({"op": 2, "d": {"token": TOKEN, "intents": 0, "properties": {}}}))
        .await;
    assert_eq!(twice.closed().await, Some(4005));
}

#[tokio::test]
async fn reconnect_invalid_session_close_and_compression() {
    let server = DiscordServer::start_with(ServerConfig {
        compression: Compression::Ready,
        ..config()
    })
    .await;
    let mut client = RawClient::connect(&server).await;
    client.payload().await;
    client
        .send(json!({"op": 2, "d": {
            "token": TOKEN, "intents": 0, "compress": true, "properties": {},
        }}))
        .await;
    match client.next().await {
        Received::Payload { value, compressed } => {
            assert!(compressed, "READY is zlib-compressed when asked");
            assert_eq!(value["t"], "READY");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.send_reconnect(), 1);
    assert_eq!(client.payload().await["op"], 7);
    assert_eq!(server.invalidate_sessions(true), 1);
    let invalid = client.payload().await;
    assert_eq!(
        (invalid["op"].clone(), invalid["d"].clone()),
        (json!(9), json!(true))
    );
    assert!(
        server.session_id(0).is_some(),
        "a resumable session survives"
    );
    server.request_heartbeat();
    assert_eq!(client.payload().await["op"], 1);
    assert_eq!(server.close_connections(4009, "Session timed out."), 1);
    assert_eq!(client.closed().await, Some(4009));
    assert!(server.session_id(0).is_none(), "4009 ends the session");
    let world = server.world().clone();
    assert!(server
        .post(NewMessage::new(&world.student, &world.general, "x"))
        .is_err());
}

#[tokio::test]
async fn held_connections_get_hello_only_when_released() {
    let server = DiscordServer::start_with(config()).await;
    server.set_gateway_open(false);
    let connecting = tokio::spawn({
        let url = format!("{}/?v=10&encoding=json", server.gateway_url());
        async move {
            tokio_tungstenite::connect_async(url)
                .await
                .map(|(ws, _)| ws)
        }
    });
    server
        .wait_for_gateway(
            0,
            "the held connection",
            |r| matches!(r.kind, GatewayKind::Connected { .. }),
            WAIT,
        )
        .await
        .unwrap();
    let opened_after = server.gateway_mark();
    server.set_gateway_open(true);
    let mut ws = connecting.await.unwrap().unwrap();
    let hello = tokio::time::timeout(WAIT, ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(hello.to_text().unwrap().contains("\"op\":10"));
    let record = server
        .wait_for_gateway(0, "HELLO", |r| r.is_sent_op(10), WAIT)
        .await
        .unwrap();
    assert!(record.index >= opened_after);
}

// ----- REST through serenity's own HTTP client -----------------------------

fn http(server: &DiscordServer, token: &str) -> Http {
    HttpBuilder::new(token)
        .proxy(server.base_url())
        .ratelimiter_disabled(true)
        .build()
}

#[tokio::test]
async fn serenity_http_reads_gateway_user_and_registers_commands() {
    let server = DiscordServer::start_with(config()).await;
    let world = server.world().clone();
    let http = http(&server, TOKEN);
    let gateway = http.get_gateway().await.unwrap();
    assert_eq!(gateway.url, server.gateway_url());
    let bot_gateway = http.get_bot_gateway().await.unwrap();
    assert_eq!(bot_gateway.shards, 1);
    let me = http.get_current_user().await.unwrap();
    assert_eq!(me.id.to_string(), world.bot.id);
    let info = http.get_current_application_info().await.unwrap();
    assert_eq!(info.id.to_string(), world.application_id);

    http.set_application_id(world.application_id.parse::<u64>().unwrap().into());
    let commands = json!([
        {"type": 1, "name": "salary", "description": "Pay", "options": [
            {"type": 5, "name": "public", "description": "Post for everyone"}]},
        {"type": 1, "name": "ask", "description": "Ask", "options": [
            {"type": 3, "name": "question", "description": "Your question", "required": true}]},
        {"type": 3, "name": "Answer this question", "description": ""},
    ]);
    let guild = serenity::all::GuildId::new(world.guild_id.parse().unwrap());
    let registered = http.create_guild_commands(guild, &commands).await.unwrap();
    assert_eq!(registered.len(), 3);
    assert_eq!(server.commands(Some(&world.guild_id)).len(), 3);
    let request = server
        .wait_for_request(
            |r| r.matches("PUT", "/applications/*/guilds/*/commands"),
            WAIT,
        )
        .await
        .unwrap();
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bot {TOKEN}").as_str())
    );

    // Re-registering keeps ids; invalid names are refused like Discord.
    let again = http.create_guild_commands(guild, &commands).await.unwrap();
    assert_eq!(again[0].id, registered[0].id);
    let bad = json!([{"type": 1, "name": "Bad Name", "description": "x"}]);
    let error = http.create_guild_commands(guild, &bad).await.unwrap_err();
    assert!(error.to_string().contains("Invalid Form Body"), "{error}");

    // A wrong token is refused everywhere but GET /gateway.
    let wrong = self::http(&server, "wrong");
    assert!(wrong.get_gateway().await.is_ok());
    let error = wrong.get_current_user().await.unwrap_err();
    assert!(error.to_string().contains("401"), "{error}");
}

#[tokio::test]
async fn serenity_http_sends_replies_and_discord_rules_apply() {
    let server = DiscordServer::start_with(config()).await;
    let world = server.world().clone();
    let http = http(&server, TOKEN);
    let mut client = RawClient::connect(&server).await;
    client.identify(TOKEN, intents::GUILD_MESSAGES).await;
    let question = server
        .post(NewMessage::new(
            &world.student,
            &world.general,
            format!("@everyone {} pay?", world.bot.mention()),
        ))
        .unwrap();
    client.payload().await;
    let channel = ChannelId::new(world.general.id.parse().unwrap());
    let body = json!({
        "content": "@everyone see below",
        "embeds": [{
            "title": "Salary",
            "description": "$37,110",
            "fields": [{"name": "Year", "value": "2015"}],
        }],
        "message_reference": {"message_id": question.id},
        "allowed_mentions": {"parse": [], "replied_user": false},
    });
    let sent: SerenityMessage = http.send_message(channel, vec![], &body).await.unwrap();
    assert_eq!(sent.embeds[0].description.as_deref(), Some("$37,110"));
    let reply = server.wait_for_reply_to(&question.id).await.unwrap();
    assert!(reply.pings().is_empty(), "{:?}", reply.pings());
    assert!(reply.text().contains("$37,110"));
    // Discord echoes the bot's own message to the gateway.
    let echo = client.payload().await;
    assert_eq!(echo["t"], "MESSAGE_CREATE");
    assert_eq!(echo["d"]["author"]["id"], world.bot.id.as_str());

    // What Discord refuses.
    let too_long = json!({"embeds": [{"description": "x".repeat(4097)}]});
    let error = http
        .send_message(channel, vec![], &too_long)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("Invalid Form Body"), "{error}");
    let empty = json!({"content": ""});
    assert!(http.send_message(channel, vec![], &empty).await.is_err());
    let dangling = json!({"content": "x", "message_reference": {"message_id": "1"}});
    assert!(http.send_message(channel, vec![], &dangling).await.is_err());
    assert_eq!(server.rejected_requests().len(), 3);

    // Injected faults answer instead of the route, and count down.
    server.inject_rest_fault(RestFault::new("POST", "/channels/*/messages", 503).times(2));
    let ok = json!({"content": "hello"});
    assert!(http.send_message(channel, vec![], &ok).await.is_err());
    assert!(http.send_message(channel, vec![], &ok).await.is_err());
    assert!(http.send_message(channel, vec![], &ok).await.is_ok());
    assert_eq!(
        server.rejected_requests().len(),
        3,
        "faults are not rejections"
    );
}

#[tokio::test]
async fn rate_limits_answer_429_per_channel_with_discord_headers() {
    let server = DiscordServer::start_with(ServerConfig {
        rate_limits: vec![RateLimit {
            method: Some("POST".to_string()),
            route: "/channels/*/messages".to_string(),
            limit: 2,
            per: Duration::from_secs(60),
        }],
        ..config()
    })
    .await;
    let world = server.world().clone();
    let http = http(&server, TOKEN);
    let general = ChannelId::new(world.general.id.parse().unwrap());
    let study = ChannelId::new(world.study_group.id.parse().unwrap());
    let body = json!({"content": "hello"});
    assert!(http.send_message(general, vec![], &body).await.is_ok());
    assert!(http.send_message(general, vec![], &body).await.is_ok());
    // (serenity cannot decode Discord's documented 429 body, which has no
    // `code`, when its own rate limiter is off; it still fails the call.)
    assert!(http.send_message(general, vec![], &body).await.is_err());
    // Another channel is another bucket.
    assert!(http.send_message(study, vec![], &body).await.is_ok());

    let requests = server.requests();
    let first = &requests[0];
    assert_eq!(first.response_header("x-ratelimit-limit"), Some("2"));
    assert_eq!(first.response_header("x-ratelimit-remaining"), Some("1"));
    assert!(first.response_header("x-ratelimit-bucket").is_some());
    assert!(first.response_header("x-ratelimit-reset-after").is_some());
    let limited = &requests[2];
    assert_eq!(limited.status, 429);
    assert!(limited.injected);
    assert_eq!(limited.response_header("x-ratelimit-remaining"), Some("0"));
    assert!(limited.response_header("retry-after").is_some());
    assert_eq!(limited.response["global"], false);
    assert!(limited.response["retry_after"].as_f64().unwrap() > 0.0);
}

#[tokio::test]
async fn the_global_limit_answers_discords_global_429() {
    let server = DiscordServer::start_with(ServerConfig {
        global_rate_limit: Some(GlobalRateLimit {
            limit: 2,
            per: Duration::from_secs(60),
        }),
        ..config()
    })
    .await;
    let world = server.world().clone();
    let http = http(&server, TOKEN);
    let general = ChannelId::new(world.general.id.parse().unwrap());
    let study = ChannelId::new(world.study_group.id.parse().unwrap());
    let body = json!({"content": "hello"});
    assert!(http.send_message(general, vec![], &body).await.is_ok());
    assert!(http.send_message(study, vec![], &body).await.is_ok());
    // Any route, any channel: the third request is over the global limit.
    assert!(http.send_message(study, vec![], &body).await.is_err());
    let limited = &server.requests()[2];
    assert_eq!(limited.status, 429);
    assert_eq!(limited.response_header("x-ratelimit-global"), Some("true"));
    assert_eq!(limited.response_header("x-ratelimit-scope"), Some("global"));
    assert!(limited.response_header("retry-after").is_some());
    assert_eq!(limited.response["global"], true);
    assert!(limited.response["retry_after"].as_f64().unwrap() > 0.0);
    assert!(
        limited.response_header("x-ratelimit-bucket").is_none(),
        "a global 429 carries no route bucket"
    );
}

#[tokio::test]
async fn https_mode_serves_discord_com_with_a_certificate_from_the_test_authority() {
    let server = DiscordServer::start_with(ServerConfig {
        tls: true,
        ..config()
    })
    .await;
    let addr = server.https_addr().expect("an HTTPS listener");
    let pem = std::fs::read(server.ca_certificate_path().expect("a CA file")).unwrap();
    let trusting = reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .resolve("discord.com", addr)
        .build()
        .unwrap();
    let gateway: Value = trusting
        .get("https://discord.com/api/v10/gateway")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|body| serde_json::from_slice(&body).unwrap())
        .unwrap();
    assert_eq!(
        gateway["url"],
        server.gateway_url(),
        "the gateway stays ws://"
    );
    let request = &server.requests()[0];
    assert_eq!(request.header("host"), Some("discord.com"));

    // Without the authority, the certificate is refused.
    let untrusting = reqwest::Client::builder()
        .use_rustls_tls()
        .resolve("discord.com", addr)
        .build()
        .unwrap();
    let refused = untrusting
        .get("https://discord.com/api/v10/gateway")
        .send()
        .await;
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn interactions_are_answered_once_and_follow_ups_work() {
    let server = DiscordServer::start_with(config()).await;
    let world = server.world().clone();
    let http = http(&server, TOKEN);
    http.set_application_id(world.application_id.parse::<u64>().unwrap().into());
    let mut client = RawClient::connect(&server).await;
    client.identify(TOKEN, 0).await;
    let guild = serenity::all::GuildId::new(world.guild_id.parse().unwrap());
    http.create_guild_commands(
        guild,
        &json!([
            {"type": 1, "name": "salary", "description": "Pay", "options": [
                {"type": 5, "name": "public", "description": "Post for everyone"}]},
            {"type": 3, "name": "Answer this question", "description": ""},
        ]),
    )
    .await
    .unwrap();

    let invoked = server
        .slash(
            &world.student,
            &world.general,
            "salary",
            &[("public", json!(false))],
        )
        .unwrap();
    let frame = client.payload().await;
    assert_eq!(frame["t"], "INTERACTION_CREATE");
    assert_eq!(frame["d"]["data"]["options"][0]["type"], 5);
    assert!(server
        .slash(&world.student, &world.general, "nope", &[])
        .is_err());

    let interaction_id = serenity::all::InteractionId::new(invoked.id.parse().unwrap());
    let response = json!({"type": 4, "data": {
        "flags": 64,
        "embeds": [{"title": "Salary", "description": "$37,110"}],
        "components": [{"type": 1, "components": [
            {"type": 2, "style": 1, "label": "Post in channel", "custom_id": "share:salary"}]}],
        "allowed_mentions": {"parse": []},
    }});
    http.create_interaction_response(interaction_id, &invoked.token, &response, vec![])
        .await
        .unwrap();
    let again = http
        .create_interaction_response(interaction_id, &invoked.token, &response, vec![])
        .await
        .unwrap_err();
    assert!(
        again.to_string().contains("already been acknowledged"),
        "{again}"
    );
    let callback = server.wait_for_callback(&invoked).await.unwrap();
    assert!(callback.is_ephemeral());
    assert_eq!(callback.buttons()[0].1, "Post in channel");

    let original = server.original_response(&invoked).unwrap();
    assert_eq!(original["flags"], 64);
    let edited: SerenityMessage = http
        .edit_original_interaction_response(&invoked.token, &json!({"content": "edited"}), vec![])
        .await
        .unwrap();
    assert_eq!(edited.content, "edited");
    let follow: SerenityMessage = http
        .create_followup_message(
            &invoked.token,
            &json!({"content": "more", "flags": 64}),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(follow.content, "more");

    // Clicking the button sends a component interaction carrying the
    // message; a button that is not there cannot be clicked.
    let click = server
        .click(
            &world.counselor,
            original["id"].as_str().unwrap(),
            "share:salary",
        )
        .unwrap();
    let frame = client.payload().await;
    assert_eq!(frame["d"]["type"], 3);
    assert_eq!(frame["d"]["data"]["custom_id"], "share:salary");
    assert_eq!(frame["d"]["message"]["id"], original["id"]);
    assert!(server
        .click(&world.counselor, original["id"].as_str().unwrap(), "forged")
        .is_err());
    let click_id = serenity::all::InteractionId::new(click.id.parse().unwrap());
    http.create_interaction_response(click_id, &click.token, &json!({"type": 6}), vec![])
        .await
        .unwrap();

    // A context-menu command on a student's message.
    let target = server
        .post(NewMessage::new(
            &world.student,
            &world.general,
            "how much do they make?",
        ))
        .unwrap();
    let menu = server
        .message_command(&world.counselor, "Answer this question", &target.id)
        .unwrap();
    let frame = loop {
        let frame = client.payload().await;
        if frame["t"] == "INTERACTION_CREATE" {
            break frame;
        }
    };
    assert_eq!(frame["d"]["data"]["target_id"], target.id.as_str());
    assert_eq!(
        frame["d"]["data"]["resolved"]["messages"][&target.id]["content"],
        "how much do they make?"
    );
    assert_eq!(menu.interaction["data"]["type"], 3);

    // Unknown interactions and response types Discord refuses.
    let unknown = serenity::all::InteractionId::new(1);
    assert!(http
        .create_interaction_response(
            unknown,
            "x",
            &json!({"type": 4, "data": {"content": "x"}}),
            vec![]
        )
        .await
        .is_err());
    let menu_id = serenity::all::InteractionId::new(menu.id.parse().unwrap());
    assert!(http
        .create_interaction_response(
            menu_id,
            &menu.token,
            &json!({"type": 7, "data": {}}),
            vec![]
        )
        .await
        .is_err());
}

#[test]
fn every_payload_builder_deserializes_as_serenity_models() {
    let ids = payloads::Snowflakes::default();
    let world = payloads::World::new(&ids);
    let now = payloads::iso8601(std::time::SystemTime::now());
    let guild_message = payloads::message_json(
        &world,
        &NewMessage::new(
            &world.student,
            &world.general,
            format!(
                "{} <@&{}> @everyone hi",
                world.bot.mention(),
                world.counselor_role
            ),
        ),
        &ids.next(),
        &now,
        None,
    );
    let parsed: SerenityMessage = serde_json::from_value(guild_message.clone()).unwrap();
    assert_eq!(parsed.mentions.len(), 1);
    assert_eq!(parsed.mention_roles.len(), 1);
    assert!(parsed.mention_everyone);
    assert!(parsed.member.is_some());

    let reply = payloads::message_json(
        &world,
        &NewMessage::new(&world.other_bot, &world.general, "reply")
            .replying_to(guild_message["id"].as_str().unwrap()),
        &ids.next(),
        &now,
        Some(&guild_message),
    );
    let parsed: SerenityMessage = serde_json::from_value(reply).unwrap();
    assert!(parsed.author.bot);
    assert!(parsed.referenced_message.is_some());

    let webhook = payloads::message_json(
        &world,
        &NewMessage::new(&world.student, &world.general, "news").by_webhook(&world.webhook),
        &ids.next(),
        &now,
        None,
    );
    let parsed: SerenityMessage = serde_json::from_value(webhook).unwrap();
    assert!(parsed.webhook_id.is_some());

    let dm = payloads::message_json(
        &world,
        &NewMessage::new(&world.student, &world.student_dm, "dm"),
        &ids.next(),
        &now,
        None,
    );
    let parsed: SerenityMessage = serde_json::from_value(dm).unwrap();
    assert!(parsed.guild_id.is_none());

    let command = json!({"id": ids.next(), "name": "ask", "type": 1, "guild_id": world.guild_id});
    let data = payloads::chat_input_data(&command, &[("question".into(), 3, json!("pay?"))]);
    for channel in [&world.general, &world.student_dm] {
        let context = InteractionContext {
            world: &world,
            id: &ids.next(),
            token: "token",
            invoker: &world.counselor,
            channel,
        };
        let interaction = payloads::interaction_json(&context, 2, data.clone(), None);
        let parsed: Interaction = serde_json::from_value(interaction).unwrap();
        let command = parsed.command().expect("a command interaction");
        assert_eq!(command.user.id.to_string(), world.counselor.user.id);
        assert_eq!(command.data.options[0].name, "question");
    }

    let context = InteractionContext {
        world: &world,
        id: &ids.next(),
        token: "token",
        invoker: &world.counselor,
        channel: &world.general,
    };
    let menu = json!({"id": ids.next(), "name": "Answer this question", "type": 3});
    let interaction = payloads::interaction_json(
        &context,
        2,
        payloads::message_command_data(&menu, &guild_message),
        None,
    );
    let parsed: Interaction = serde_json::from_value(interaction).unwrap();
    let command = parsed.command().unwrap();
    assert!(command.data.target_id.is_some());
    assert_eq!(command.data.resolved.messages.len(), 1);

    let mut shown = guild_message.clone();
    shown["components"] = json!([{"type": 1, "components": [
        {"type": 2, "style": 1, "label": "Post in channel", "custom_id": "x"},
    ]}]);
    let click = payloads::interaction_json(&context, 3, payloads::button_data("x"), Some(shown));
    let parsed: Interaction = serde_json::from_value(click).unwrap();
    let component = parsed.message_component().expect("a component interaction");
    assert_eq!(component.data.custom_id, "x");
    assert_eq!(component.member.unwrap().roles.len(), 1);
}

// ----- serenity's whole client against the server ----------------------

struct Forward(mpsc::UnboundedSender<String>);

#[serenity::async_trait]
impl EventHandler for Forward {
    async fn ready(&self, _: Context, ready: Ready) {
        let _ = self.0.send(format!("ready {}", ready.session_id));
    }

    async fn resume(&self, _: Context, _: ResumedEvent) {
        let _ = self.0.send("resumed".to_string());
    }

    async fn message(&self, _: Context, message: SerenityMessage) {
        let _ = self.0.send(format!("message {}", message.content));
    }

    async fn interaction_create(&self, _: Context, interaction: Interaction) {
        let _ = self
            .0
            .send(format!("interaction {}", interaction.id().get()));
    }
}

async fn next_event(events: &mut mpsc::UnboundedReceiver<String>) -> String {
    tokio::time::timeout(WAIT, events.recv())
        .await
        .expect("an event within the bound")
        .expect("the client is running")
}

#[tokio::test]
async fn serenity_client_connects_resumes_and_reconnects() {
    let server = DiscordServer::start_with(config()).await;
    let world = server.world().clone();
    let (tx, mut events) = mpsc::unbounded_channel();
    let intents = GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT;
    // What the bot does: serenity's HTTP client pointed at the proxy URL.
    let mut client = serenity::all::ClientBuilder::new_with_http(http(&server, TOKEN), intents)
        .event_handler(Forward(tx))
        .await
        .expect("client");
    let manager = Arc::clone(&client.shard_manager);
    let running = tokio::spawn(async move { client.start().await });

    assert!(next_event(&mut events).await.starts_with("ready "));
    let identify = server.wait_for_identify(0).await.unwrap();
    assert_eq!(identify["intents"].as_u64().unwrap(), intents.bits());
    assert_eq!(
        identify["compress"], true,
        "serenity always asks for payload compression"
    );

    server
        .post(NewMessage::new(&world.student, &world.general, "first"))
        .unwrap();
    assert_eq!(next_event(&mut events).await, "message first");

    // Dropped TCP, events queued while the gateway holds the reconnect:
    // serenity resumes and gets them in order.
    server.set_gateway_open(false);
    let mark = server.gateway_mark();
    server.drop_connections();
    server
        .wait_for_gateway(
            mark,
            "the reconnect attempt",
            |r| matches!(r.kind, GatewayKind::Connected { .. }),
            WAIT,
        )
        .await
        .unwrap();
    for text in ["second", "third"] {
        let posted = server
            .post(NewMessage::new(&world.student, &world.general, text))
            .unwrap();
        assert!(!posted.dispatched.live);
    }
    server.set_gateway_open(true);
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(next_event(&mut events).await);
    }
    assert!(got.contains(&"resumed".to_string()), "{got:?}");
    let messages: Vec<&String> = got.iter().filter(|e| e.starts_with("message")).collect();
    assert_eq!(messages, ["message second", "message third"]);
    let resume = server
        .wait_for_gateway(mark, "RESUME", |r| r.is_client_op(6), WAIT)
        .await
        .unwrap();
    assert_eq!(resume.payload()["d"]["seq"], 2);

    // op 7: serenity resumes on a new connection.
    let mark = server.gateway_mark();
    server.send_reconnect();
    server.wait_for_resumed(mark).await.unwrap();
    assert_eq!(next_event(&mut events).await, "resumed");
    server
        .post(NewMessage::new(
            &world.student,
            &world.general,
            "after op 7",
        ))
        .unwrap();
    assert_eq!(next_event(&mut events).await, "message after op 7");

    manager.shutdown_all().await;
    let _ = tokio::time::timeout(WAIT, running).await;
}

// ----- files, select menus and modals --------------------------------------

/// The next `INTERACTION_CREATE` the raw client receives (the bot's own
/// messages come back as `MESSAGE_CREATE` in between), as serenity reads it.
async fn next_interaction(client: &mut RawClient) -> (Value, Interaction) {
    loop {
        let frame = client.payload().await;
        if frame["t"] == "INTERACTION_CREATE" {
            let interaction = serde_json::from_value::<Interaction>(frame["d"].clone())
                .unwrap_or_else(|e| panic!("serenity cannot read {frame}: {e}"));
            return (frame["d"].clone(), interaction);
        }
    }
}

/// Serenity's HTTP client with the application id set, and a raw gateway
/// client that identified (interactions need a session to go to).
async fn app_clients(server: &DiscordServer) -> (Http, RawClient) {
    let http = http(server, TOKEN);
    http.set_application_id(server.world().application_id.parse::<u64>().unwrap().into());
    let mut client = RawClient::connect(server).await;
    client.identify(TOKEN, 0).await;
    (http, client)
}

async fn register(http: &Http, server: &DiscordServer, commands: Value) {
    let guild = serenity::all::GuildId::new(server.world().guild_id.parse().unwrap());
    http.create_guild_commands(guild, &commands).await.unwrap();
}

fn interaction_id(id: &str) -> serenity::all::InteractionId {
    serenity::all::InteractionId::new(id.parse().unwrap())
}

/// A small PNG-like payload (the bytes only have to come back unchanged).
fn png(seed: u8) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..=255u8).map(|b| b ^ seed));
    bytes
}

#[tokio::test]
async fn files_ride_multipart_bodies_and_become_attachments() {
    use serenity::all::{
        Builder, CreateAttachment, CreateInteractionResponse, CreateInteractionResponseFollowup,
        CreateInteractionResponseMessage, CreateMessage, EditAttachments, EditInteractionResponse,
        EditMessage,
    };
    let server = DiscordServer::start_with(config()).await;
    let world = server.world().clone();
    let (http, mut client) = app_clients(&server).await;
    let channel = ChannelId::new(world.general.id.parse().unwrap());

    // A channel message with a file: JSON in payload_json, bytes in files[0].
    let sent = channel
        .send_message(
            &http,
            CreateMessage::new()
                .content("This week's questions")
                .add_file(CreateAttachment::bytes(png(1), "stats.png")),
        )
        .await
        .unwrap();
    let request = server
        .wait_for_request(|r| r.is_channel_message(), WAIT)
        .await
        .unwrap();
    assert!(request
        .header("content-type")
        .unwrap()
        .starts_with("multipart/form-data"));
    assert_eq!(request.body["content"], "This week's questions");
    let files = request.files();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].field, "files[0]");
    assert_eq!(files[0].index, Some(0));
    assert_eq!(files[0].filename, "stats.png");
    assert_eq!(files[0].content_type.as_deref(), Some("image/png"));
    assert_eq!(files[0].bytes, png(1));
    // Serenity reads the attachment back; the "CDN" serves the bytes.
    assert_eq!(sent.attachments.len(), 1);
    let attachment = &sent.attachments[0];
    assert_eq!(attachment.filename, "stats.png");
    assert_eq!(attachment.size as usize, png(1).len());
    assert_eq!(attachment.content_type.as_deref(), Some("image/png"));
    let downloaded = reqwest::get(&attachment.url).await.unwrap();
    assert_eq!(
        downloaded.headers()["content-type"].to_str().unwrap(),
        "image/png"
    );
    assert_eq!(downloaded.bytes().await.unwrap().to_vec(), png(1));
    let stored = server.message(&sent.id.to_string()).unwrap();
    assert_eq!(stored["attachments"][0]["filename"], "stats.png");

    // Editing keeps what the edit lists and adds the new file.
    let edited = channel
        .edit_message(
            &http,
            sent.id,
            EditMessage::new().attachments(
                EditAttachments::keep_all(&sent).add(CreateAttachment::bytes(png(2), "more.png")),
            ),
        )
        .await
        .unwrap();
    let names: Vec<&str> = edited
        .attachments
        .iter()
        .map(|a| a.filename.as_str())
        .collect();
    assert_eq!(names, ["stats.png", "more.png"]);
    assert_eq!(edited.attachments[0].id, attachment.id);

    // An `attachments` entry naming a file that was not uploaded is refused.
    let mark = server.request_mark();
    let refused = http
        .send_message(
            channel,
            vec![CreateAttachment::bytes(png(3), "one.png")],
            &json!({"content": "two files?", "attachments": [
                {"id": 0, "filename": "one.png"},
                {"id": 1, "filename": "missing.png"},
            ]}),
        )
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("Invalid Form Body"),
        "{refused}"
    );
    let rejected = server
        .wait_for_request_from(mark, "the refused upload", |r| r.status == 400, WAIT)
        .await
        .unwrap();
    assert_eq!(rejected.files().len(), 1);
    assert_eq!(
        rejected.response["errors"]["attachments"]["1"]["id"]["_errors"][0]["code"],
        "ATTACHMENT_NOT_FOUND"
    );
    // A message of files only is not empty.
    let only_file = channel
        .send_message(
            &http,
            CreateMessage::new().add_file(CreateAttachment::bytes(png(4), "alone.png")),
        )
        .await
        .unwrap();
    assert_eq!(only_file.attachments.len(), 1);

    // An interaction response with a file (what /stats does), a follow-up
    // with one, and an edit of the response replacing it.
    register(
        &http,
        &server,
        json!([{"type": 1, "name": "stats", "description": "Stats"}]),
    )
    .await;
    let invoked = server
        .slash(&world.counselor, &world.general, "stats", &[])
        .unwrap();
    next_interaction(&mut client).await;
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content("Answers this week")
            .add_file(CreateAttachment::bytes(png(5), "week.png")),
    )
    .execute(&http, (interaction_id(&invoked.id), &invoked.token))
    .await
    .unwrap();
    let callback = server.wait_for_callback(&invoked).await.unwrap();
    assert_eq!(callback.body["type"], 4);
    assert_eq!(callback.files().len(), 1);
    assert_eq!(callback.files()[0].bytes, png(5));
    let original = server.original_response(&invoked).unwrap();
    assert_eq!(original["attachments"][0]["filename"], "week.png");
    assert_eq!(original["attachments"][0]["size"], png(5).len());

    let follow_up = CreateInteractionResponseFollowup::new()
        .content("and last week")
        .add_file(CreateAttachment::bytes(png(6), "last-week.png"))
        .execute(&http, (None, &invoked.token))
        .await
        .unwrap();
    assert_eq!(follow_up.attachments[0].filename, "last-week.png");

    let replaced = EditInteractionResponse::new()
        .new_attachment(CreateAttachment::bytes(png(7), "week-v2.png"))
        .execute(&http, &invoked.token)
        .await
        .unwrap();
    let names: Vec<&str> = replaced
        .attachments
        .iter()
        .map(|a| a.filename.as_str())
        .collect();
    assert_eq!(
        names,
        ["week-v2.png"],
        "an edit drops what it does not keep"
    );
    let edit = server
        .wait_for_request(
            |r| r.matches("PATCH", "/webhooks/*/*/messages/@original"),
            WAIT,
        )
        .await
        .unwrap();
    assert_eq!(edit.files()[0].filename, "week-v2.png");
    assert!(server
        .rejected_requests()
        .iter()
        .all(|r| r.index == rejected.index));
}

#[tokio::test]
async fn string_select_menus_are_validated_and_picked() {
    use serenity::all::{
        Builder, ComponentInteractionDataKind, CreateActionRow, CreateButton,
        CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage,
        CreateSelectMenu, CreateSelectMenuKind, CreateSelectMenuOption,
    };
    let server = DiscordServer::start_with(config()).await;
    let world = server.world().clone();
    let (http, mut client) = app_clients(&server).await;
    let channel = ChannelId::new(world.general.id.parse().unwrap());

    let menu = CreateSelectMenu::new(
        "teach:42",
        CreateSelectMenuKind::String {
            options: vec![
                CreateSelectMenuOption::new("Teach as salary", "salary"),
                CreateSelectMenuOption::new("Teach as hours", "hours"),
                CreateSelectMenuOption::new("Teach as training", "training"),
            ],
        },
    )
    .placeholder("Teach as <topic>")
    .max_values(2);
    let review = channel
        .send_message(
            &http,
            CreateMessage::new()
                .content("Unanswered: how long is the shift?")
                .components(vec![
                    CreateActionRow::SelectMenu(menu),
                    CreateActionRow::Buttons(vec![
                        CreateButton::new("skip:42").label("Skip"),
                        CreateButton::new("gap:42").label("Mark as a gap"),
                    ]),
                ]),
        )
        .await
        .unwrap();
    let review_id = review.id.to_string();
    assert_eq!(
        server.message(&review_id).unwrap()["components"][0]["components"][0]["type"],
        3
    );

    let picked = server
        .select(
            &world.counselor,
            &review_id,
            "teach:42",
            &["hours", "training"],
        )
        .unwrap();
    let (raw, interaction) = next_interaction(&mut client).await;
    assert_eq!(raw["type"], 3);
    assert_eq!(raw["data"]["component_type"], 3);
    assert_eq!(raw["message"]["id"], review_id.as_str());
    let component = interaction
        .message_component()
        .expect("a component interaction");
    assert_eq!(component.data.custom_id, "teach:42");
    assert_eq!(component.user.id.to_string(), world.counselor.user.id);
    match &component.data.kind {
        ComponentInteractionDataKind::StringSelect { values } => {
            assert_eq!(values, &["hours", "training"]);
        }
        other => panic!("not a string select: {other:?}"),
    }
    // The client's rules: known menu, known values, within min/max.
    for (id, values) in [
        ("teach:42", vec!["weather"]),
        ("teach:42", vec!["salary", "hours", "training"]),
        ("teach:42", vec![]),
        ("nope", vec!["salary"]),
        ("skip:42", vec!["salary"]),
    ] {
        assert!(
            server
                .select(&world.counselor, &review_id, id, &values)
                .is_err(),
            "{id} {values:?}"
        );
    }
    // The buttons beside the menu still click.
    assert!(server
        .click(&world.counselor, &review_id, "skip:42")
        .is_ok());

    // Answering the pick by updating the message (type 7).
    CreateInteractionResponse::UpdateMessage(
        CreateInteractionResponseMessage::new()
            .content("Taught as hours and training")
            .components(vec![]),
    )
    .execute(&http, (interaction_id(&picked.id), &picked.token))
    .await
    .unwrap();
    let updated = server.message(&review_id).unwrap();
    assert_eq!(updated["content"], "Taught as hours and training");
    assert_eq!(updated["components"], json!([]));

    // Menus Discord would refuse.
    let option = |v: &str| json!({"label": v, "value": v});
    for (why, row) in [
        (
            "no options",
            json!({"type": 1, "components": [
            {"type": 3, "custom_id": "m", "options": []}]}),
        ),
        (
            "menu beside a button",
            json!({"type": 1, "components": [
            {"type": 3, "custom_id": "m", "options": [option("a")]},
            {"type": 2, "style": 1, "label": "b", "custom_id": "b"}]}),
        ),
        (
            "max_values above the options",
            json!({"type": 1, "components": [
            {"type": 3, "custom_id": "m", "max_values": 3, "options": [option("a"), option("b")]}]}),
        ),
        (
            "duplicate values",
            json!({"type": 1, "components": [
            {"type": 3, "custom_id": "m", "options": [option("a"), option("a")]}]}),
        ),
        (
            "a text input in a message",
            json!({"type": 1, "components": [
            {"type": 4, "custom_id": "t", "style": 1, "label": "x"}]}),
        ),
    ] {
        let refused = http
            .send_message(
                channel,
                vec![],
                &json!({"content": "x", "components": [row]}),
            )
            .await;
        assert!(refused.is_err(), "{why} was accepted");
    }
}

#[tokio::test]
async fn modals_are_shown_recorded_submitted_and_answered() {
    use serenity::all::{
        ActionRowComponent, Builder, CreateActionRow, CreateButton, CreateInputText,
        CreateInteractionResponse, CreateInteractionResponseMessage, CreateModal, InputTextStyle,
    };
    let server = DiscordServer::start_with(config()).await;
    let world = server.world().clone();
    let (http, mut client) = app_clients(&server).await;
    register(
        &http,
        &server,
        json!([
            {"type": 1, "name": "review", "description": "Review"},
            {"type": 1, "name": "ask", "description": "Ask", "options": [
                {"type": 3, "name": "question", "description": "Q", "autocomplete": true}]},
        ]),
    )
    .await;

    // The answer with 👍/👎 buttons; 👎 opens the modal.
    let invoked = server
        .slash(&world.student, &world.general, "review", &[])
        .unwrap();
    next_interaction(&mut client).await;
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content("Median pay is $37,110.")
            .components(vec![CreateActionRow::Buttons(vec![
                CreateButton::new("up:7").label("👍"),
                CreateButton::new("down:7").label("👎"),
            ])]),
    )
    .execute(&http, (interaction_id(&invoked.id), &invoked.token))
    .await
    .unwrap();
    let answer = server.original_response(&invoked).unwrap();
    let answer_id = answer["id"].as_str().unwrap().to_string();
    let down = server.click(&world.student, &answer_id, "down:7").unwrap();
    next_interaction(&mut client).await;

    // Invalid text inputs are refused and leave the interaction open.
    let input = |extra: Value| {
        let mut input = json!({"type": 4, "custom_id": "wanted", "style": 2, "label": "What were you looking for?"});
        for (key, value) in extra.as_object().unwrap() {
            input[key] = value.clone();
        }
        json!({"type": 9, "data": {"custom_id": "why:7", "title": "Not helpful?",
            "components": [{"type": 1, "components": [input]}]}})
    };
    for (why, body) in [
        ("label over 45", input(json!({"label": "x".repeat(46)}))),
        ("style 3", input(json!({"style": 3}))),
        ("max_length over 4000", input(json!({"max_length": 4001}))),
        ("no custom_id", input(json!({"custom_id": ""}))),
        ("title over 45", {
            let mut body = input(json!({}));
            body["data"]["title"] = json!("t".repeat(46));
            body
        }),
    ] {
        let refused = http
            .create_interaction_response(interaction_id(&down.id), &down.token, &body, vec![])
            .await;
        assert!(refused.is_err(), "{why} was accepted");
    }
    assert!(server.modal_shown(&down).is_none());

    let modal = CreateModal::new("why:7", "Not helpful?").components(vec![
        CreateActionRow::InputText(
            CreateInputText::new(
                InputTextStyle::Paragraph,
                "What were you looking for?",
                "wanted",
            )
            .max_length(500),
        ),
        CreateActionRow::InputText(
            CreateInputText::new(InputTextStyle::Short, "Topic (optional)", "topic")
                .required(false),
        ),
    ]);
    CreateInteractionResponse::Modal(modal.clone())
        .execute(&http, (interaction_id(&down.id), &down.token))
        .await
        .unwrap();
    let shown = server.modal_shown(&down).expect("the modal is recorded");
    assert_eq!(shown["custom_id"], "why:7");
    assert_eq!(shown["title"], "Not helpful?");
    let inputs = payloads::text_inputs(&shown["components"]);
    assert_eq!(inputs.len(), 2);
    assert_eq!(inputs[0]["label"], "What were you looking for?");
    assert_eq!(inputs[0]["max_length"], 500);

    // The client's rules on submitting: required inputs, lengths, names.
    assert!(server.submit_modal(&down, &[("topic", "pay")]).is_err());
    assert!(server
        .submit_modal(&down, &[("wanted", &"x".repeat(501))])
        .is_err());
    assert!(server
        .submit_modal(&down, &[("wanted", "a"), ("nope", "b")])
        .is_err());
    assert!(
        server.submit_modal(&invoked, &[("wanted", "a")]).is_err(),
        "no modal shown"
    );

    let submitted = server
        .submit_modal(&down, &[("wanted", "night shift pay")])
        .unwrap();
    let (raw, interaction) = next_interaction(&mut client).await;
    assert_eq!(raw["type"], 5);
    assert_eq!(
        raw["message"]["id"],
        answer_id.as_str(),
        "submitted from a component"
    );
    let modal_submit = interaction.modal_submit().expect("a modal submit");
    assert_eq!(modal_submit.data.custom_id, "why:7");
    assert_eq!(modal_submit.user.id.to_string(), world.student.user.id);
    let values: Vec<(String, Option<String>)> = modal_submit
        .data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .map(|component| match component {
            ActionRowComponent::InputText(input) => (input.custom_id.clone(), input.value.clone()),
            other => panic!("not a text input: {other:?}"),
        })
        .collect();
    assert_eq!(
        values,
        [
            ("wanted".to_string(), Some("night shift pay".to_string())),
            ("topic".to_string(), Some(String::new())),
        ]
    );

    // A modal cannot answer a modal submit; updating the message it came
    // from (type 7) can.
    let submit_id = interaction_id(&submitted.id);
    assert!(CreateInteractionResponse::Modal(modal.clone())
        .execute(&http, (submit_id, &submitted.token))
        .await
        .is_err());
    CreateInteractionResponse::UpdateMessage(
        CreateInteractionResponseMessage::new()
            .content("Median pay is $37,110. Thanks, noted.")
            .components(vec![]),
    )
    .execute(&http, (submit_id, &submitted.token))
    .await
    .unwrap();
    assert_eq!(
        server.message(&answer_id).unwrap()["content"],
        "Median pay is $37,110. Thanks, noted."
    );

    // A modal straight from a slash command; its submit carries no message,
    // so only a new message (4) or a deferral (5) answers it.
    let direct = server
        .slash(&world.student, &world.general, "review", &[])
        .unwrap();
    next_interaction(&mut client).await;
    CreateInteractionResponse::Modal(modal.clone())
        .execute(&http, (interaction_id(&direct.id), &direct.token))
        .await
        .unwrap();
    let direct_submit = server
        .submit_modal(&direct, &[("wanted", "hours")])
        .unwrap();
    let (raw, _) = next_interaction(&mut client).await;
    assert!(raw["message"].is_null());
    let direct_id = interaction_id(&direct_submit.id);
    assert!(http
        .create_interaction_response(
            direct_id,
            &direct_submit.token,
            &json!({"type": 7, "data": {"content": "x"}}),
            vec![]
        )
        .await
        .is_err());
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content("Thanks!")
            .ephemeral(true),
    )
    .execute(&http, (direct_id, &direct_submit.token))
    .await
    .unwrap();
    assert_eq!(
        server.original_response(&direct_submit).unwrap()["content"],
        "Thanks!"
    );

    // Autocomplete cannot open a modal.
    let typing = server
        .autocomplete(&world.student, &world.general, "ask", "question", "pa")
        .unwrap();
    next_interaction(&mut client).await;
    assert!(CreateInteractionResponse::Modal(modal)
        .execute(&http, (interaction_id(&typing.id), &typing.token))
        .await
        .is_err());
    let rejected: Vec<u16> = server
        .rejected_requests()
        .iter()
        .map(|r| r.status)
        .collect();
    assert!(rejected.iter().all(|s| *s == 400), "{rejected:?}");
}
