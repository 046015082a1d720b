//! Starting the bot: IDENTIFY with the token and the intents the policy
//! needs, command registration, what a rejected token does, and a clean
//! shutdown.

use career_bot::Intent;
use serde_json::Value;

use crate::support::bot::{BotConfig, BotProcess, TOKEN};
use crate::support::payloads::intents;
use crate::support::server::gateway::{GatewayKind, Side};
use crate::support::server::{DiscordServer, ServerConfig};
use crate::support::{TestBot, WAIT};

fn bare(token: &Value) -> &str {
    let token = token.as_str().unwrap_or_default();
    token.strip_prefix("Bot ").unwrap_or(token)
}

#[tokio::test]
async fn identifies_with_the_token_and_no_privileged_intent_by_default() {
    let test = TestBot::start().await;
    let identify = test.server.wait_for_identify(0).await.unwrap();
    assert_eq!(bare(&identify["token"]), TOKEN);
    let requested = identify["intents"].as_u64().unwrap();
    assert_eq!(
        requested,
        intents::GUILD_MESSAGES | intents::DIRECT_MESSAGES,
        "mentions and DMs need these two, nothing privileged"
    );
    assert_eq!(requested & intents::PRIVILEGED, 0);
    assert_eq!(identify["shard"], serde_json::json!([0, 1]));

    // Every REST call is authenticated with the same token.
    let registration = test.wait_for_registration(0).await.unwrap();
    assert_eq!(
        registration.header("authorization"),
        Some(format!("Bot {TOKEN}").as_str())
    );
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn listen_channels_add_the_message_content_intent() {
    let test = TestBot::configured(|config, world| {
        config.listen_channels = vec![world.study_group.id.clone()];
    })
    .await;
    let identify = test.server.wait_for_identify(0).await.unwrap();
    let requested = identify["intents"].as_u64().unwrap();
    assert_ne!(requested & intents::MESSAGE_CONTENT, 0);
    assert_ne!(requested & intents::GUILD_MESSAGES, 0);
}

#[tokio::test]
async fn every_command_is_registered_with_its_options() {
    let test = TestBot::start().await;
    let world = test.world().clone();
    let registration = test.wait_for_registration(0).await.unwrap();
    assert!(registration.matches("PUT", "/applications/*/guilds/*/commands"));
    assert!(registration.route().contains(&world.guild_id));
    let sent = registration
        .body
        .as_array()
        .expect("a bulk overwrite")
        .clone();
    let command = |name: &str| -> Value {
        sent.iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("/{name} is not registered: {}", registration.raw_body))
            .clone()
    };
    let option = |command: &Value, name: &str| -> Value {
        command["options"]
            .as_array()
            .and_then(|options| options.iter().find(|o| o["name"] == name).cloned())
            .unwrap_or_else(|| panic!("{} has no option {name}", command["name"]))
    };

    for topic in Intent::TOPICS {
        let command = command(topic.name());
        assert_eq!(command["type"], 1, "{command}");
        assert!(command["description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()));
        let public = option(&command, "public");
        assert_eq!(public["type"], 5, "public is a boolean");
        assert_ne!(public["required"], true, "public is optional");
        assert_eq!(command["options"].as_array().map(Vec::len), Some(1));
    }
    let ask = command("ask");
    let question = option(&ask, "question");
    assert_eq!(question["type"], 3, "question is a string");
    assert_eq!(question["required"], true);
    assert_eq!(option(&ask, "public")["type"], 5);
    for name in ["help", "sources"] {
        let command = command(name);
        assert_eq!(command["type"], 1);
        assert!(command["options"].as_array().map_or(true, Vec::is_empty));
    }
    let menu = command("Answer this question");
    assert_eq!(menu["type"], 3, "a message context-menu command");
    assert!(menu["description"].as_str().map_or(true, str::is_empty));
    let reload = command("reload");
    assert_eq!(reload["type"], 1);
    assert_eq!(command("review")["type"], 1);
    let days = option(&command("stats"), "days");
    assert_eq!(days["type"], 4, "days is an integer");
    assert_eq!(
        (days["min_value"].as_u64(), days["max_value"].as_u64()),
        (Some(1), Some(365))
    );
    assert_eq!(sent.len(), Intent::TOPICS.len() + 7, "nothing else");

    // Discord accepted them all, and nothing was registered globally.
    assert_eq!(
        test.server.commands(Some(&world.guild_id)).len(),
        sent.len()
    );
    assert!(test.server.commands(None).is_empty());
    test.assert_nothing_rejected();
}

#[tokio::test]
async fn without_guild_ids_commands_are_registered_globally() {
    let test = TestBot::configured(|config, _| config.guild_ids.clear()).await;
    let registration = test.wait_for_registration(0).await.unwrap();
    assert!(
        registration.matches("PUT", "/applications/*/commands"),
        "{}",
        registration.path
    );
    assert_eq!(test.server.commands(None).len(), Intent::TOPICS.len() + 7);
}

#[tokio::test]
async fn the_environment_token_wins_over_the_file() {
    let test = TestBot::configured(|config, _| {
        config.token = Some("a-stale-token-in-the-file".to_string());
        config.env_token = Some(TOKEN.to_string());
    })
    .await;
    let identify = test.server.wait_for_identify(0).await.unwrap();
    assert_eq!(bare(&identify["token"]), TOKEN);
}

/// A server that accepts only the test token, and a bot configured with
/// another one.
async fn bot_with_a_rejected_token(
    configure: impl FnOnce(&mut BotConfig),
) -> (DiscordServer, BotProcess) {
    let server = DiscordServer::start_with(ServerConfig {
        accepted_token: Some(TOKEN.to_string()),
        ..ServerConfig::default()
    })
    .await;
    let mut config = BotConfig::for_server(&server);
    config.token = Some("MTIz.revoked.token".to_string());
    configure(&mut config);
    let bot = BotProcess::spawn(&config);
    (server, bot)
}

#[tokio::test]
async fn a_token_rejected_over_http_ends_the_bot_with_a_clear_message() {
    // Automatic sharding asks GET /gateway/bot first, which Discord answers
    // 401 for a bad token.
    let (server, mut bot) = bot_with_a_rejected_token(|_| {}).await;
    let status = bot.wait_exit(WAIT).await.unwrap();
    assert!(!status.success(), "exit status {status}");
    let output = bot.output_text();
    assert!(output.contains("rejected the bot token"), "{output}");
    assert!(!output.contains("panicked"), "{output}");
    assert!(
        !output.contains("MTIz.revoked.token"),
        "the token is never printed: {output}"
    );
    assert!(server.requests().iter().any(|r| r.status == 401));
}

#[tokio::test]
async fn close_code_4004_ends_the_bot_with_a_clear_message() {
    // A shard range skips GET /gateway/bot: the gateway itself refuses.
    let (server, mut bot) = bot_with_a_rejected_token(|config| {
        config.sharding_mode = "range".to_string();
        config.shard_range = Some((0, 0, 1));
    })
    .await;
    server
        .wait_for_gateway(
            0,
            "close 4004",
            |r| {
                matches!(
                    r.kind,
                    GatewayKind::Closed {
                        by: Side::Server,
                        code: Some(4004),
                        ..
                    }
                )
            },
            WAIT,
        )
        .await
        .unwrap();
    let status = bot.wait_exit(WAIT).await.unwrap();
    assert!(!status.success(), "exit status {status}");
    let output = bot.output_text();
    assert!(output.contains("4004"), "{output}");
    assert!(output.contains("token"), "{output}");
    assert!(!output.contains("panicked"), "{output}");
    // One attempt, no retry loop.
    let identifies = server
        .gateway_records()
        .iter()
        .filter(|r| r.is_client_op(2))
        .count();
    assert_eq!(identifies, 1);
}

#[tokio::test]
async fn sigterm_closes_the_gateway_and_exits_cleanly() {
    let mut test = TestBot::start().await;
    test.bot.terminate();
    let status = test.bot.wait_exit(WAIT).await.unwrap();
    assert!(
        status.success(),
        "exit status {status}: {}",
        test.bot.output_text()
    );
    test.server
        .wait_for_gateway(
            0,
            "the bot closing the gateway",
            |r| {
                matches!(
                    r.kind,
                    GatewayKind::Closed {
                        by: Side::Client,
                        code: Some(_),
                        ..
                    }
                )
            },
            WAIT,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_token_never_appears_in_the_output_even_at_trace_level() {
    let knowledge = super::reload::knowledge_copy();
    let dir = knowledge.path().to_path_buf();
    let test = TestBot::configured(|config, _| {
        config.rust_log = Some("trace".to_string());
        config.knowledge_dir = Some(dir);
    })
    .await;
    let world = test.world().clone();
    let asked = test.ask(&world.student, "what's the salary?");
    test.reply_to(&asked).await;
    let invoked = test.slash(&world.student, "salary", &[]);
    test.callback(&invoked).await;

    // A session with faults (each RESUME carries the token), reloads and
    // a shared answer.
    let mark = test.server.gateway_mark();
    assert_eq!(test.server.drop_connections(), 1);
    test.server.wait_for_resumed(mark).await.unwrap();
    let mark = test.server.gateway_mark();
    assert_eq!(test.server.send_reconnect(), 1);
    test.server.wait_for_resumed(mark).await.unwrap();
    test.bot.hangup();
    test.bot
        .wait_for_output("knowledge reloaded", WAIT)
        .await
        .unwrap();
    let mut manager = world.counselor.clone();
    manager.permissions |= 1 << 5;
    let reload = test.slash(&manager, "reload", &[]);
    test.callback(&reload).await;
    test.bot
        .wait_for_output_count("knowledge reloaded", 2, WAIT)
        .await
        .unwrap();
    let original = test.server.original_response(&invoked).unwrap();
    let custom_id = "post:salary";
    let click = test
        .server
        .click(&world.student, original["id"].as_str().unwrap(), custom_id)
        .unwrap();
    test.callback(&click).await;
    let after = test.ask(&world.classmate, "is the field growing?");
    test.reply_to(&after).await;

    let output = test.bot.output_text();
    assert!(output.lines().count() > 20, "trace logging is on");
    assert!(
        output.contains("gateway session resumed"),
        "a session with faults was logged"
    );
    // The token's secret part (after the last dot) is what must not leak.
    let secret = TOKEN.rsplit('.').next().unwrap();
    assert!(!output.contains(secret), "the token leaked into the output");
    assert!(!output.contains(TOKEN));
}

#[tokio::test]
async fn the_presence_tells_people_how_to_ask() {
    let test = TestBot::start().await;
    let identify = test.server.wait_for_identify(0).await.unwrap();
    let activity = &identify["presence"]["activities"][0];
    assert_eq!(activity["type"], 4, "a custom status: {identify}");
    let state = activity["state"].as_str().unwrap_or_default();
    assert!(state.contains("/help"), "{state}");
}

#[tokio::test]
async fn only_the_process_that_runs_shard_0_registers_commands() {
    let server = DiscordServer::start_with(ServerConfig {
        accepted_token: Some(TOKEN.to_string()),
        ..ServerConfig::default()
    })
    .await;
    let range = |first: u32| {
        let mut config = BotConfig::for_server(&server);
        config.sharding_mode = "range".to_string();
        config.shard_range = Some((first, first, 2));
        config
    };
    let is_put = |r: &crate::support::server::rest::Request| {
        r.matches("PUT", "/applications/*/guilds/*/commands")
    };
    // Shard 1 of 2 alone: it connects and reads the commands' ids, and
    // registers nothing.
    let second = BotProcess::spawn(&range(1));
    server.wait_for_ready(0).await.unwrap();
    server
        .wait_for_request(
            |r| r.matches("GET", "/applications/*/guilds/*/commands"),
            WAIT,
        )
        .await
        .unwrap();
    assert!(!server.requests().iter().any(is_put), "no registration");
    // Shard 0's process registers, once.
    let first = BotProcess::spawn(&range(0));
    server.wait_for_request(is_put, WAIT).await.unwrap();
    assert_eq!(server.requests().iter().filter(|r| is_put(r)).count(), 1);
    let identified: Vec<Value> = server
        .gateway_records()
        .iter()
        .filter(|r| r.is_client_op(2))
        .map(|r| r.payload()["d"]["shard"].clone())
        .collect();
    assert!(
        identified.contains(&serde_json::json!([1, 2])),
        "{identified:?}"
    );
    assert!(
        identified.contains(&serde_json::json!([0, 2])),
        "{identified:?}"
    );
    drop((first, second));
}

#[tokio::test]
async fn the_logged_invite_asks_to_send_messages_in_threads() {
    let test = TestBot::start().await;
    test.bot
        .wait_for_output("connected to Discord", WAIT)
        .await
        .unwrap();
    let output = test.bot.output_text();
    // View Channels, Send Messages, Embed Links, Read Message History,
    // Send Messages in Threads (1 << 38).
    assert!(output.contains("permissions=274877991936"), "{output}");
}
