//! Discord JSON objects, built from Discord's documented formats.
//!
//! Everything the loopback server sends is built here: users, guild
//! members, the [`World`] a test plays in (a guild with channels, a student,
//! a counselor, another bot), messages as `MESSAGE_CREATE` carries them, and
//! interactions (`APPLICATION_COMMAND`, `MESSAGE_COMPONENT`, message context
//! menus). Field lists follow the user, guild member, message and
//! interaction object tables of the public discord/discord-api-docs
//! repository; the self-tests in `support::selftest` check every builder
//! against serenity's own models, because serenity silently drops a
//! dispatch it cannot deserialize.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

/// Milliseconds from the Unix epoch to Discord's epoch (2015-01-01).
pub const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Gateway intent bits (Discord's "Gateway Intents" table).
pub mod intents {
    /// `GUILDS`.
    pub const GUILDS: u64 = 1 << 0;
    /// `GUILD_MEMBERS` (privileged).
    pub const GUILD_MEMBERS: u64 = 1 << 1;
    /// `GUILD_PRESENCES` (privileged).
    pub const GUILD_PRESENCES: u64 = 1 << 8;
    /// `GUILD_MESSAGES`.
    pub const GUILD_MESSAGES: u64 = 1 << 9;
    /// `DIRECT_MESSAGES`.
    pub const DIRECT_MESSAGES: u64 = 1 << 12;
    /// `MESSAGE_CONTENT` (privileged).
    pub const MESSAGE_CONTENT: u64 = 1 << 15;
    /// The privileged intents, which the developer portal must enable.
    pub const PRIVILEGED: u64 = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT;
}

/// Permission bits used in member and app permission strings.
pub mod permissions {
    /// `VIEW_CHANNEL`.
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    /// `SEND_MESSAGES`.
    pub const SEND_MESSAGES: u64 = 1 << 11;
    /// `EMBED_LINKS`.
    pub const EMBED_LINKS: u64 = 1 << 14;
    /// `READ_MESSAGE_HISTORY`.
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    /// `MENTION_EVERYONE`.
    pub const MENTION_EVERYONE: u64 = 1 << 17;
    /// `USE_APPLICATION_COMMANDS`.
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    /// What an ordinary member of the test guild may do.
    pub const MEMBER: u64 = VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | READ_MESSAGE_HISTORY
        | MENTION_EVERYONE
        | USE_APPLICATION_COMMANDS;
    /// What the bot may do: the invite link's permissions.
    pub const BOT: u64 = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY;
}

/// Message flag: only the invoking user sees the message.
pub const EPHEMERAL: u64 = 1 << 6;

/// Fresh snowflakes: a timestamp since Discord's epoch in the top 42 bits,
/// strictly increasing.
#[derive(Debug, Default)]
pub struct Snowflakes {
    last: AtomicU64,
}

impl Snowflakes {
    /// The next id, as Discord serialises snowflakes: a decimal string.
    pub fn next(&self) -> String {
        self.next_u64().to_string()
    }

    /// The next id as a number.
    pub fn next_u64(&self) -> u64 {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let candidate = now.saturating_sub(DISCORD_EPOCH_MS) << 22;
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let next = candidate.max(last + 1);
            match self
                .last
                .compare_exchange(last, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return next,
                Err(actual) => last = actual,
            }
        }
    }
}

/// An ISO 8601 timestamp as Discord writes them:
/// `2024-05-01T12:34:56.789000+00:00`.
pub fn iso8601(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_micros()
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A Discord user.
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    /// Snowflake.
    pub id: String,
    /// Unique username.
    pub username: String,
    /// Display name.
    pub global_name: Option<String>,
    /// Whether the user is a bot (or, for a webhook author, the webhook).
    pub bot: bool,
}

impl User {
    /// A user object (Discord's "User Structure").
    pub fn json(&self) -> Value {
        let mut user = json!({
            "id": self.id,
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": null,
            "public_flags": 0,
            "flags": 0,
            "banner": null,
            "accent_color": null,
            "avatar_decoration_data": null,
        });
        if self.bot {
            user["bot"] = json!(true);
        }
        user
    }

    /// The mention syntax `<@id>`.
    pub fn mention(&self) -> String {
        format!("<@{}>", self.id)
    }
}

/// A guild member: a user with roles (and, in DMs, just the user).
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    /// The user.
    pub user: User,
    /// Role ids in the test guild.
    pub roles: Vec<String>,
    /// Guild nickname.
    pub nick: Option<String>,
    /// Computed permissions in the test guild's channels.
    pub permissions: u64,
}

impl Person {
    /// A guild member object; `with_user` adds the `user` field (interactions
    /// carry it, `MESSAGE_CREATE`'s `member` does not).
    pub fn member_json(&self, with_user: bool, joined_at: &str) -> Value {
        let mut member = json!({
            "roles": self.roles,
            "nick": self.nick,
            "avatar": null,
            "banner": null,
            "joined_at": joined_at,
            "premium_since": null,
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": false,
            "communication_disabled_until": null,
        });
        if with_user {
            member["user"] = self.user.json();
            member["permissions"] = json!(self.permissions.to_string());
        }
        member
    }
}

/// Channel types used here (Discord's "Channel Types" table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelKind {
    /// `GUILD_TEXT` (0).
    GuildText,
    /// `DM` (1).
    Dm,
    /// `PUBLIC_THREAD` (11): a thread, or a post in a forum.
    PublicThread,
    /// `GUILD_FORUM` (15): a channel of posts, each a thread.
    GuildForum,
}

impl ChannelKind {
    /// The numeric channel type.
    pub fn code(self) -> u8 {
        match self {
            ChannelKind::GuildText => 0,
            ChannelKind::Dm => 1,
            ChannelKind::PublicThread => 11,
            ChannelKind::GuildForum => 15,
        }
    }
}

/// A channel of the test world.
#[derive(Clone, Debug, PartialEq)]
pub struct Channel {
    /// Snowflake.
    pub id: String,
    /// Guild text or DM.
    pub kind: ChannelKind,
    /// The guild, for guild channels.
    pub guild_id: Option<String>,
    /// Name (guild channels only).
    pub name: Option<String>,
    /// The channel a thread or forum post belongs to.
    pub parent_id: Option<String>,
}

impl Channel {
    /// A partial channel object, as interactions carry it.
    pub fn partial_json(&self, permissions: u64) -> Value {
        let mut channel = json!({
            "id": self.id,
            "type": self.kind.code(),
            "name": self.name,
            "permissions": permissions.to_string(),
            "flags": 0,
            "last_message_id": null,
        });
        if let Some(guild_id) = &self.guild_id {
            channel["guild_id"] = json!(guild_id);
            channel["position"] = json!(0);
            channel["parent_id"] = json!(self.parent_id);
            channel["nsfw"] = json!(false);
            channel["topic"] = json!(null);
            channel["rate_limit_per_user"] = json!(0);
        }
        channel
    }
}

/// The guild, channels and people a test plays with, and the bot itself.
#[derive(Clone, Debug)]
pub struct World {
    /// The bot's application id (equal to the bot user's id, as for every
    /// application created since 2016).
    pub application_id: String,
    /// Application flags sent in READY (`GATEWAY_MESSAGE_CONTENT_LIMITED`,
    /// 1 << 19: the intent is enabled in the portal for an unverified bot).
    pub application_flags: u64,
    /// The bot user.
    pub bot: User,
    /// The test guild.
    pub guild_id: String,
    /// The guild's name.
    pub guild_name: String,
    /// `#general`.
    pub general: Channel,
    /// `#study-group`.
    pub study_group: Channel,
    /// The counselor role.
    pub counselor_role: String,
    /// A student: no roles.
    pub student: Person,
    /// A second student, to tell cooldowns apart.
    pub classmate: Person,
    /// A counselor: has the counselor role.
    pub counselor: Person,
    /// Another bot in the guild.
    pub other_bot: Person,
    /// A channel webhook (its messages have `webhook_id`).
    pub webhook: User,
    /// The student's DM channel with the bot.
    pub student_dm: Channel,
    /// When everybody joined the guild.
    pub joined_at: String,
    /// Extra guild text channels, `#room-1`, `#room-2`... (none unless
    /// asked for: [`World::with_rooms`]).
    pub rooms: Vec<Channel>,
    /// A thread in `#general`.
    pub general_thread: Channel,
    /// `#questions`, a forum channel.
    pub forum: Channel,
    /// A post (a thread) in `#questions`.
    pub forum_post: Channel,
    /// The role Discord made for the bot when it joined (managed, tagged
    /// with the bot's id).
    pub bot_role: String,
}

/// A channel filled in later in [`World::with_rooms`].
fn placeholder() -> Channel {
    Channel {
        id: String::new(),
        kind: ChannelKind::GuildText,
        guild_id: None,
        name: None,
        parent_id: None,
    }
}

impl World {
    /// A fresh world with ids from `ids`.
    pub fn new(ids: &Snowflakes) -> World {
        World::with_rooms(ids, 0)
    }

    /// A fresh world with `rooms` extra text channels (their ids come after
    /// everything else's, so the rest of the world is as [`World::new`]
    /// makes it).
    pub fn with_rooms(ids: &Snowflakes, rooms: usize) -> World {
        let bot_id = ids.next();
        let guild_id = ids.next();
        let counselor_role = ids.next();
        let person =
            |id: String, username: &str, name: &str, roles: Vec<String>, bot: bool| Person {
                user: User {
                    id,
                    username: username.to_string(),
                    global_name: Some(name.to_string()),
                    bot,
                },
                roles,
                nick: None,
                permissions: permissions::MEMBER,
            };
        let text = |id: String, name: &str| Channel {
            id,
            kind: ChannelKind::GuildText,
            guild_id: Some(guild_id.clone()),
            name: Some(name.to_string()),
            parent_id: None,
        };
        World {
            application_id: bot_id.clone(),
            application_flags: 1 << 19,
            bot: User {
                id: bot_id,
                username: "career-bot".to_string(),
                global_name: None,
                bot: true,
            },
            general: text(ids.next(), "general"),
            study_group: text(ids.next(), "study-group"),
            student: person(ids.next(), "sam.student", "Sam", vec![], false),
            classmate: person(ids.next(), "casey.classmate", "Casey", vec![], false),
            counselor: person(
                ids.next(),
                "morgan.counselor",
                "Ms. Morgan",
                vec![counselor_role.clone()],
                false,
            ),
            other_bot: person(ids.next(), "quiz-bot", "Quiz Bot", vec![], true),
            webhook: User {
                id: ids.next(),
                username: "Announcements".to_string(),
                global_name: None,
                bot: true,
            },
            student_dm: Channel {
                id: ids.next(),
                kind: ChannelKind::Dm,
                guild_id: None,
                name: None,
                parent_id: None,
            },
            counselor_role,
            guild_id,
            guild_name: "Career Center".to_string(),
            joined_at: iso8601(UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000)),
            rooms: Vec::new(),
            general_thread: placeholder(),
            forum: placeholder(),
            forum_post: placeholder(),
            bot_role: String::new(),
        }
        .with_room_channels(ids, rooms)
        .with_threads(ids)
    }

    /// The thread and the forum with its post, with ids after everything
    /// else's.
    fn with_threads(mut self, ids: &Snowflakes) -> World {
        let guild = Some(self.guild_id.clone());
        self.general_thread = Channel {
            id: ids.next(),
            kind: ChannelKind::PublicThread,
            guild_id: guild.clone(),
            name: Some("salary talk".to_string()),
            parent_id: Some(self.general.id.clone()),
        };
        self.forum = Channel {
            id: ids.next(),
            kind: ChannelKind::GuildForum,
            guild_id: guild.clone(),
            name: Some("questions".to_string()),
            parent_id: None,
        };
        self.forum_post = Channel {
            id: ids.next(),
            kind: ChannelKind::PublicThread,
            guild_id: guild,
            name: Some("how do I start?".to_string()),
            parent_id: Some(self.forum.id.clone()),
        };
        self.bot_role = ids.next();
        self
    }

    /// The guild's roles as `GET /guilds/{id}/roles` lists them:
    /// `@everyone`, the counselor role, the bot's managed role.
    pub fn roles_json(&self) -> Value {
        let role = |id: &str, name: &str, position: u32, managed: bool, tags: Value| {
            json!({
                "id": id,
                "name": name,
                "color": 0,
                "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
                "hoist": false,
                "icon": null,
                "unicode_emoji": null,
                "position": position,
                "permissions": permissions::MEMBER.to_string(),
                "managed": managed,
                "mentionable": true,
                "flags": 0,
                "tags": tags,
            })
        };
        json!([
            role(&self.guild_id, "@everyone", 0, false, json!({})),
            role(&self.counselor_role, "Counselor", 1, false, json!({})),
            role(
                &self.bot_role,
                "career-bot",
                2,
                true,
                json!({"bot_id": self.bot.id})
            ),
        ])
    }

    fn with_room_channels(mut self, ids: &Snowflakes, rooms: usize) -> World {
        self.rooms = (1..=rooms)
            .map(|n| Channel {
                id: ids.next(),
                kind: ChannelKind::GuildText,
                guild_id: Some(self.guild_id.clone()),
                name: Some(format!("room-{n}")),
                parent_id: None,
            })
            .collect();
        self
    }

    /// Every channel: `#general`, `#study-group`, the student's DM, the
    /// rooms.
    pub fn channels(&self) -> Vec<&Channel> {
        let mut channels = vec![&self.general, &self.study_group, &self.student_dm];
        channels.extend(&self.rooms);
        channels.extend([&self.general_thread, &self.forum, &self.forum_post]);
        channels
    }

    /// The channel with id `id`.
    pub fn channel(&self, id: &str) -> Option<Channel> {
        self.channels().into_iter().find(|c| c.id == id).cloned()
    }

    /// Everybody who can write or be mentioned.
    pub fn people(&self) -> Vec<Person> {
        let bot = Person {
            user: self.bot.clone(),
            roles: vec![],
            nick: None,
            permissions: permissions::BOT,
        };
        vec![
            self.student.clone(),
            self.classmate.clone(),
            self.counselor.clone(),
            self.other_bot.clone(),
            bot,
        ]
    }

    /// The person with user id `id`.
    pub fn person(&self, id: &str) -> Option<Person> {
        self.people().into_iter().find(|p| p.user.id == id)
    }

    /// A role mention `<@&id>` of the counselor role.
    pub fn counselor_role_mention(&self) -> String {
        format!("<@&{}>", self.counselor_role)
    }
}

/// What a message mentions, parsed from its content the way Discord does
/// server-side: `<@id>` / `<@!id>` users, `<@&id>` roles, `@everyone` and
/// `@here`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mentions {
    /// Mentioned user ids, in order, without repeats.
    pub users: Vec<String>,
    /// Mentioned role ids.
    pub roles: Vec<String>,
    /// `@everyone` or `@here` appears.
    pub everyone: bool,
}

/// Parses the mentions in `content`.
pub fn parse_mentions(content: &str) -> Mentions {
    let mut mentions = Mentions {
        everyone: content.contains("@everyone") || content.contains("@here"),
        ..Mentions::default()
    };
    let mut rest = content;
    while let Some(start) = rest.find("<@") {
        rest = &rest[start + 2..];
        let (is_role, body) = match rest.as_bytes().first() {
            Some(b'&') => (true, &rest[1..]),
            Some(b'!') => (false, &rest[1..]),
            _ => (false, rest),
        };
        let digits: String = body.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() || !body[digits.len()..].starts_with('>') {
            continue;
        }
        let list = if is_role {
            &mut mentions.roles
        } else {
            &mut mentions.users
        };
        if !list.contains(&digits) {
            list.push(digits);
        }
    }
    mentions
}

/// A message a user (or bot, or webhook) writes, before the server gives it
/// an id.
#[derive(Clone, Debug)]
pub struct NewMessage {
    /// Who writes it.
    pub author: Person,
    /// Where.
    pub channel: Channel,
    /// The text.
    pub content: String,
    /// Set for webhook messages: the author is then the webhook.
    pub webhook: Option<User>,
    /// The message this one replies to.
    pub reply_to: Option<String>,
}

impl NewMessage {
    /// `author` writes `content` in `channel`.
    pub fn new(author: &Person, channel: &Channel, content: impl Into<String>) -> NewMessage {
        NewMessage {
            author: author.clone(),
            channel: channel.clone(),
            content: content.into(),
            webhook: None,
            reply_to: None,
        }
    }

    /// The same message posted by `webhook` instead of a member.
    pub fn by_webhook(mut self, webhook: &User) -> NewMessage {
        self.webhook = Some(webhook.clone());
        self
    }

    /// Makes it a reply to message `id`.
    pub fn replying_to(mut self, id: &str) -> NewMessage {
        self.reply_to = Some(id.to_string());
        self
    }
}

/// The message object `MESSAGE_CREATE` carries for `message` (with the
/// gateway's extra fields `guild_id`, `member`, `mentions[].member` and
/// `channel_type`). `referenced` is the replied-to message, if any.
pub fn message_json(
    world: &World,
    message: &NewMessage,
    id: &str,
    timestamp: &str,
    referenced: Option<&Value>,
) -> Value {
    let mentions = parse_mentions(&message.content);
    let in_guild = message.channel.guild_id.is_some();
    // A reply mentions the replied-to author (Discord's clients ping by
    // default), whether or not the text names them.
    let replied_author = referenced
        .filter(|_| message.reply_to.is_some())
        .and_then(|referenced| referenced["author"]["id"].as_str())
        .filter(|id| !mentions.users.iter().any(|user| user == id))
        .map(str::to_string);
    let mention_users: Vec<Value> = mentions
        .users
        .iter()
        .chain(replied_author.iter())
        .filter_map(|id| world.person(id))
        .map(|person| {
            let mut user = person.user.json();
            if in_guild {
                user["member"] = person.member_json(false, &world.joined_at);
            }
            user
        })
        .collect();
    let author = match &message.webhook {
        Some(webhook) => json!({
            "id": webhook.id,
            "username": webhook.username,
            "avatar": null,
            "discriminator": "0000",
            "bot": true,
        }),
        None => message.author.user.json(),
    };
    let everyone = mentions.everyone
        && message.author.permissions & permissions::MENTION_EVERYONE != 0
        && in_guild;
    let mut object = json!({
        "id": id,
        "channel_id": message.channel.id,
        "author": author,
        "content": message.content,
        "timestamp": timestamp,
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": everyone,
        "mentions": mention_users,
        "mention_roles": if in_guild { mentions.roles.clone() } else { vec![] },
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": false,
        "type": if message.reply_to.is_some() { 19 } else { 0 },
        "flags": 0,
        "nonce": id,
        "channel_type": message.channel.kind.code(),
    });
    if let Some(guild_id) = &message.channel.guild_id {
        object["guild_id"] = json!(guild_id);
        if message.webhook.is_none() {
            object["member"] = message.author.member_json(false, &world.joined_at);
        }
    }
    if let Some(webhook) = &message.webhook {
        object["webhook_id"] = json!(webhook.id);
    }
    if let Some(reply_to) = &message.reply_to {
        let mut reference = json!({
            "type": 0,
            "message_id": reply_to,
            "channel_id": message.channel.id,
        });
        if let Some(guild_id) = &message.channel.guild_id {
            reference["guild_id"] = json!(guild_id);
        }
        object["message_reference"] = reference;
        object["referenced_message"] = referenced.cloned().unwrap_or(Value::Null);
    }
    object
}

/// Blanks the fields the `MESSAGE_CONTENT` intent guards, as Discord does
/// for an app without it: empty `content`, `embeds`, `attachments`,
/// `components`, and no `poll`.
pub fn strip_message_content(message: &mut Value) {
    if let Some(object) = message.as_object_mut() {
        object.insert("content".into(), json!(""));
        object.insert("embeds".into(), json!([]));
        object.insert("attachments".into(), json!([]));
        object.insert("components".into(), json!([]));
        object.remove("poll");
    }
}

/// Whether an app without `MESSAGE_CONTENT` still sees this message's
/// content: DMs, messages that mention it, and its own messages.
pub fn content_visible_without_intent(message: &Value, bot_id: &str) -> bool {
    let is_dm = message.get("guild_id").is_none();
    let by_bot = message["author"]["id"] == bot_id;
    let mentions_bot = message["mentions"]
        .as_array()
        .is_some_and(|users| users.iter().any(|u| u["id"] == bot_id));
    is_dm || by_bot || mentions_bot
}

/// Interaction types (Discord's "Interaction Type" table).
pub mod interaction_type {
    /// `APPLICATION_COMMAND`.
    pub const APPLICATION_COMMAND: u8 = 2;
    /// `MESSAGE_COMPONENT`.
    pub const MESSAGE_COMPONENT: u8 = 3;
    /// `APPLICATION_COMMAND_AUTOCOMPLETE`.
    pub const AUTOCOMPLETE: u8 = 4;
    /// `MODAL_SUBMIT`.
    pub const MODAL_SUBMIT: u8 = 5;
}

/// Message component types.
pub mod component_type {
    /// `ACTION_ROW`.
    pub const ACTION_ROW: u8 = 1;
    /// `BUTTON`.
    pub const BUTTON: u8 = 2;
    /// `STRING_SELECT`.
    pub const STRING_SELECT: u8 = 3;
    /// `TEXT_INPUT` (modals only).
    pub const TEXT_INPUT: u8 = 4;
    /// `USER_SELECT`.
    pub const USER_SELECT: u8 = 5;
    /// `ROLE_SELECT`.
    pub const ROLE_SELECT: u8 = 6;
    /// `MENTIONABLE_SELECT`.
    pub const MENTIONABLE_SELECT: u8 = 7;
    /// `CHANNEL_SELECT`.
    pub const CHANNEL_SELECT: u8 = 8;
}

/// Application command types.
pub mod command_type {
    /// `CHAT_INPUT`: a slash command.
    pub const CHAT_INPUT: u8 = 1;
    /// `USER`: a user context-menu command.
    pub const USER: u8 = 2;
    /// `MESSAGE`: a message context-menu command.
    pub const MESSAGE: u8 = 3;
}

/// Application command option types.
pub mod option_type {
    /// `STRING`.
    pub const STRING: u8 = 3;
    /// `INTEGER`.
    pub const INTEGER: u8 = 4;
    /// `BOOLEAN`.
    pub const BOOLEAN: u8 = 5;
}

/// The parts of an interaction every type shares.
#[derive(Clone, Debug)]
pub struct InteractionContext<'a> {
    /// The world (application id, guild).
    pub world: &'a World,
    /// Interaction id.
    pub id: &'a str,
    /// Continuation token.
    pub token: &'a str,
    /// Who invoked it.
    pub invoker: &'a Person,
    /// Where.
    pub channel: &'a Channel,
}

/// An interaction object of type `kind` with `data` (and, for components,
/// the `message` the component is on).
pub fn interaction_json(
    context: &InteractionContext<'_>,
    kind: u8,
    data: Value,
    message: Option<Value>,
) -> Value {
    let world = context.world;
    let mut object = json!({
        "id": context.id,
        "application_id": world.application_id,
        "type": kind,
        "data": data,
        "channel_id": context.channel.id,
        "channel": context.channel.partial_json(context.invoker.permissions),
        "token": context.token,
        "version": 1,
        "app_permissions": permissions::BOT.to_string(),
        "locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": 10_485_760,
    });
    match &context.channel.guild_id {
        Some(guild_id) => {
            object["guild_id"] = json!(guild_id);
            object["guild"] = json!({"id": guild_id, "locale": "en-US", "features": []});
            object["guild_locale"] = json!("en-US");
            object["member"] = context.invoker.member_json(true, &world.joined_at);
            object["authorizing_integration_owners"] = json!({"0": guild_id});
            object["context"] = json!(0);
        }
        None => {
            object["user"] = context.invoker.user.json();
            object["authorizing_integration_owners"] = json!({"0": "0"});
            object["context"] = json!(1);
        }
    }
    if let Some(message) = message {
        object["message"] = message;
    }
    object
}

/// `data` of a slash-command interaction: the command's id, name and the
/// given options (name, type, value).
pub fn chat_input_data(command: &Value, options: &[(String, u8, Value)]) -> Value {
    let options: Vec<Value> = options
        .iter()
        .map(|(name, kind, value)| json!({"name": name, "type": kind, "value": value}))
        .collect();
    let mut data = json!({
        "id": command["id"],
        "name": command["name"],
        "type": command_type::CHAT_INPUT,
    });
    if !options.is_empty() {
        data["options"] = json!(options);
    }
    if let Some(guild_id) = command.get("guild_id").filter(|g| !g.is_null()) {
        data["guild_id"] = guild_id.clone();
    }
    data
}

/// `data` of a message context-menu interaction on `target` (a full
/// message object, content included: Discord sends the target's content
/// whatever the intents).
pub fn message_command_data(command: &Value, target: &Value) -> Value {
    let target_id = target["id"].as_str().unwrap_or_default().to_string();
    let mut messages = Map::new();
    messages.insert(target_id.clone(), target.clone());
    let mut data = json!({
        "id": command["id"],
        "name": command["name"],
        "type": command_type::MESSAGE,
        "target_id": target_id,
        "resolved": {"messages": messages},
    });
    if let Some(guild_id) = command.get("guild_id").filter(|g| !g.is_null()) {
        data["guild_id"] = guild_id.clone();
    }
    data
}

/// `data` of a button click.
pub fn button_data(custom_id: &str) -> Value {
    json!({"custom_id": custom_id, "component_type": 2})
}

/// The `data` of a string select menu interaction.
pub fn select_data(custom_id: &str, values: &[&str]) -> Value {
    json!({"custom_id": custom_id, "component_type": component_type::STRING_SELECT, "values": values})
}

/// The `data` of a modal submit: one action row per text input, each with
/// the input's `custom_id` and `value`.
pub fn modal_submit_data(custom_id: &str, values: &[(String, String)]) -> Value {
    let rows: Vec<Value> = values
        .iter()
        .map(|(id, value)| {
            json!({"type": component_type::ACTION_ROW, "components": [
                {"type": component_type::TEXT_INPUT, "custom_id": id, "value": value}
            ]})
        })
        .collect();
    json!({"custom_id": custom_id, "components": rows})
}

/// The components of `components` (rows included, depth first) whose
/// `type` satisfies `wanted`.
fn components_of(components: &Value, wanted: impl Fn(u64) -> bool) -> Vec<Value> {
    let mut found = Vec::new();
    let mut stack: Vec<&Value> = vec![components];
    while let Some(value) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(object) => {
                if object
                    .get("type")
                    .and_then(Value::as_u64)
                    .is_some_and(&wanted)
                {
                    found.push(value.clone());
                }
                if let Some(children) = object.get("components") {
                    stack.push(children);
                }
            }
            _ => {}
        }
    }
    found
}

/// The select menus (any of the five kinds) in `components`.
pub fn select_menus(components: &Value) -> Vec<Value> {
    components_of(components, |kind| {
        kind == u64::from(component_type::STRING_SELECT)
            || (u64::from(component_type::USER_SELECT)..=u64::from(component_type::CHANNEL_SELECT))
                .contains(&kind)
    })
}

/// The text inputs of a modal's `components`.
pub fn text_inputs(components: &Value) -> Vec<Value> {
    components_of(components, |kind| {
        kind == u64::from(component_type::TEXT_INPUT)
    })
}

/// Every `custom_id` of the buttons in a message's (or response's)
/// `components`, with their labels.
pub fn buttons(components: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut stack: Vec<&Value> = vec![components];
    while let Some(value) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(object) => {
                if object.get("type") == Some(&json!(2)) {
                    if let Some(custom_id) = object.get("custom_id").and_then(Value::as_str) {
                        let label = object
                            .get("label")
                            .and_then(Value::as_str)
                            .unwrap_or_default();
                        found.push((custom_id.to_string(), label.to_string()));
                    }
                }
                if let Some(children) = object.get("components") {
                    stack.push(children);
                }
            }
            _ => {}
        }
    }
    found
}

/// All the text an embed shows (title, description, field names and
/// values, footer, author), joined with newlines: what a reader sees.
pub fn embed_text(embed: &Value) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for key in ["title", "description"] {
        if let Some(text) = embed[key].as_str() {
            parts.push(text);
        }
    }
    if let Some(fields) = embed["fields"].as_array() {
        for field in fields {
            parts.extend(field["name"].as_str());
            parts.extend(field["value"].as_str());
        }
    }
    parts.extend(embed["footer"]["text"].as_str());
    parts.extend(embed["author"]["name"].as_str());
    parts.join("\n")
}

/// The text of a message-like body: its content and every embed's text.
pub fn message_text(body: &Value) -> String {
    let mut text = body["content"].as_str().unwrap_or_default().to_string();
    if let Some(embeds) = body["embeds"].as_array() {
        for embed in embeds {
            text.push('\n');
            text.push_str(&embed_text(embed));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_iso8601_utc() {
        let t = UNIX_EPOCH + std::time::Duration::from_millis(1_714_566_896_789);
        assert_eq!(iso8601(t), "2024-05-01T12:34:56.789000+00:00");
        assert_eq!(iso8601(UNIX_EPOCH), "1970-01-01T00:00:00.000000+00:00");
    }

    #[test]
    fn snowflakes_increase_and_carry_the_time() {
        let ids = Snowflakes::default();
        let a = ids.next_u64();
        let b = ids.next_u64();
        assert!(b > a);
        let ms = (a >> 22) + DISCORD_EPOCH_MS;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        assert!(now.abs_diff(ms) < 60_000);
    }

    #[test]
    fn mentions_are_parsed_like_discord() {
        let m = parse_mentions("hi <@12> <@!34> <@&56> <@12> @everyone <@x> <@78");
        assert_eq!(m.users, ["12", "34"]);
        assert_eq!(m.roles, ["56"]);
        assert!(m.everyone);
        assert!(!parse_mentions("plain").everyone);
    }

    #[test]
    fn buttons_are_found_in_action_rows() {
        let components = json!([{"type": 1, "components": [
            {"type": 2, "style": 1, "label": "Post in channel", "custom_id": "share:1"},
            {"type": 2, "style": 5, "label": "Docs", "url": "https://example.com"}
        ]}]);
        assert_eq!(
            buttons(&components),
            [("share:1".to_string(), "Post in channel".to_string())]
        );
    }
}
