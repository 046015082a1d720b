//! Discord's checks on what a bot sends, so the loopback server rejects
//! what Discord would reject.
//!
//! Limits come from Discord's documentation: message content 2,000
//! characters; 10 embeds; embed title 256, description 4,096, 25 fields,
//! field name 256 and value 1,024 (both required), footer 2,048, author
//! name 256, 6,000 characters in all embeds together; 5 action rows of up to
//! 5 buttons or one select menu, `custom_id` 1–100 and unique, label 80;
//! string select menus with 1–25 options (label and value 1–100, unique
//! values, description 100), `min_values` 0–25 and `max_values` 1–25, in
//! order and at most the options; modals (title 1–45, `custom_id` 1–100,
//! 1–5 rows of one text input each: `custom_id` 1–100, label 1–45, style 1
//! or 2, `min_length` 0–4000, `max_length` 1–4000, value 4000,
//! placeholder 100); `allowed_mentions`
//! `parse` among `roles`, `users`, `everyone` and not combined with the
//! matching id list; application command names (1–32, lowercase for slash
//! commands and options), descriptions (1–100, empty for context menus),
//! at most 25 options with required ones first. Violations get status 400
//! with `{"code": 50035, "message": "Invalid Form Body", "errors": {...}}`,
//! an empty message gets `50006 Cannot send an empty message`.

use serde_json::{json, Map, Value};

use super::super::payloads::{self, World};

/// A Discord error response.
#[derive(Clone, Debug)]
pub struct Rejection {
    /// HTTP status.
    pub status: u16,
    /// JSON error body.
    pub body: Value,
}

impl Rejection {
    /// A JSON error `{"message", "code"}`.
    pub fn new(status: u16, code: u64, message: &str) -> Rejection {
        Rejection {
            status,
            body: json!({"message": message, "code": code}),
        }
    }
}

/// One invalid field: dotted path (`embeds.0.description`), error code,
/// message.
pub type FieldError = (String, &'static str, String);

/// Discord's "Invalid Form Body" with nested `_errors`.
pub fn form_error(errors: &[FieldError]) -> Rejection {
    let mut root = Map::new();
    for (path, code, message) in errors {
        let mut node = &mut root;
        for part in path.split('.').filter(|p| !p.is_empty()) {
            node = node
                .entry(part.to_string())
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("error tree nodes are objects");
        }
        let list = node.entry("_errors").or_insert_with(|| json!([]));
        if let Some(list) = list.as_array_mut() {
            list.push(json!({"code": code, "message": message}));
        }
    }
    Rejection {
        status: 400,
        body: json!({"code": 50035, "errors": root, "message": "Invalid Form Body"}),
    }
}

/// The `choices` of an autocomplete response (type 8), by Discord's
/// limits: at most 25, each with a name of 1 to 100 characters and a
/// string value of at most 100.
pub fn choices(choices: &Value) -> Result<(), Rejection> {
    let Some(list) = choices.as_array() else {
        return Err(form_error(&[(
            "data.choices".into(),
            "BASE_TYPE_REQUIRED",
            "This field is required".into(),
        )]));
    };
    let mut errors: Vec<FieldError> = Vec::new();
    if list.len() > 25 {
        errors.push((
            "data.choices".into(),
            "BASE_TYPE_BAD_LENGTH",
            "Must be 25 or fewer in length.".into(),
        ));
    }
    for (index, choice) in list.iter().enumerate() {
        let name = choice["name"]
            .as_str()
            .map_or(0, |name| name.chars().count());
        if !(1..=100).contains(&name) {
            errors.push((
                format!("data.choices.{index}.name"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.".into(),
            ));
        }
        match choice["value"].as_str() {
            Some(value) if value.chars().count() <= 100 => {}
            _ => errors.push((
                format!("data.choices.{index}.value"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be a string of 100 or fewer in length.".into(),
            )),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(form_error(&errors))
    }
}

/// Where a message body is sent: flags allowed differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `POST /channels/{id}/messages`.
    Channel,
    /// An interaction response or follow-up (may be ephemeral).
    Interaction,
}

fn chars(value: &Value) -> usize {
    value.as_str().map_or(0, |s| s.chars().count())
}

fn max_len(errors: &mut Vec<FieldError>, path: &str, value: &Value, max: usize) {
    if !value.is_null() && !value.is_string() {
        errors.push((path.into(), "BASE_TYPE_STRING", "Must be a string.".into()));
    } else if chars(value) > max {
        errors.push((
            path.into(),
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {max} or fewer in length."),
        ));
    }
}

fn required(errors: &mut Vec<FieldError>, path: &str, value: &Value, max: usize) {
    if value.as_str().map_or(true, |s| s.trim().is_empty()) {
        errors.push((
            path.into(),
            "BASE_TYPE_REQUIRED",
            "This field is required".into(),
        ));
    } else {
        max_len(errors, path, value, max);
    }
}

/// Checks a message body (create, edit, interaction data). `partial`
/// bodies (edits) may omit everything. Returns the rejection, if any.
pub fn message_body(body: &Value, target: Target, partial: bool) -> Result<(), Rejection> {
    message_body_with_files(body, target, partial, 0)
}

/// [`message_body`] for a body sent with `files` uploaded files: a message
/// with files only is not empty.
pub fn message_body_with_files(
    body: &Value,
    target: Target,
    partial: bool,
    files: usize,
) -> Result<(), Rejection> {
    let mut errors = Vec::new();
    max_len(&mut errors, "content", &body["content"], 2000);

    let embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    if embeds.len() > 10 {
        errors.push((
            "embeds".into(),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 10 or fewer in length.".into(),
        ));
    }
    let mut total = 0;
    for (i, embed) in embeds.iter().enumerate() {
        let p = |field: &str| format!("embeds.{i}.{field}");
        max_len(&mut errors, &p("title"), &embed["title"], 256);
        max_len(&mut errors, &p("description"), &embed["description"], 4096);
        total += chars(&embed["title"]) + chars(&embed["description"]);
        let fields = embed["fields"].as_array().cloned().unwrap_or_default();
        if fields.len() > 25 {
            errors.push((
                p("fields"),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.".into(),
            ));
        }
        for (j, field) in fields.iter().enumerate() {
            required(
                &mut errors,
                &p(&format!("fields.{j}.name")),
                &field["name"],
                256,
            );
            required(
                &mut errors,
                &p(&format!("fields.{j}.value")),
                &field["value"],
                1024,
            );
            total += chars(&field["name"]) + chars(&field["value"]);
        }
        if !embed["footer"].is_null() {
            required(
                &mut errors,
                &p("footer.text"),
                &embed["footer"]["text"],
                2048,
            );
            total += chars(&embed["footer"]["text"]);
        }
        if !embed["author"].is_null() {
            required(
                &mut errors,
                &p("author.name"),
                &embed["author"]["name"],
                256,
            );
            total += chars(&embed["author"]["name"]);
        }
        if let Some(color) = embed["color"].as_u64() {
            if color > 0xFF_FFFF {
                errors.push((
                    p("color"),
                    "NUMBER_TYPE_MAX",
                    "int value should be less than or equal to 16777215.".into(),
                ));
            }
        }
    }
    if total > 6000 {
        errors.push((
            "embeds".into(),
            "MESSAGE_EMBEDS_TOO_LONG",
            "Embed size exceeds maximum size of 6000".into(),
        ));
    }

    check_components(&mut errors, &body["components"]);
    check_allowed_mentions(&mut errors, &body["allowed_mentions"]);

    if let Some(flags) = body["flags"].as_u64() {
        let allowed = match target {
            Target::Channel => 4 | 4096,
            Target::Interaction => 4 | 64 | 4096,
        };
        if flags & !allowed != 0 {
            errors.push((
                "flags".into(),
                "MESSAGE_FLAGS_INVALID",
                format!("Invalid flags {flags} for this message."),
            ));
        }
    }

    if !errors.is_empty() {
        return Err(form_error(&errors));
    }
    let has_content = body["content"].as_str().is_some_and(|c| !c.is_empty());
    let has_embeds = !embeds.is_empty();
    let has_components = body["components"].as_array().is_some_and(|c| !c.is_empty());
    let has_stickers = body["sticker_ids"]
        .as_array()
        .is_some_and(|s| !s.is_empty());
    let has_something = has_content || has_embeds || has_components || has_stickers || files > 0;
    if !partial && !has_something {
        return Err(Rejection::new(400, 50006, "Cannot send an empty message"));
    }
    Ok(())
}

fn check_components(errors: &mut Vec<FieldError>, components: &Value) {
    let Some(rows) = components.as_array() else {
        return;
    };
    if rows.len() > 5 {
        errors.push((
            "components".into(),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 5 or fewer in length.".into(),
        ));
    }
    let mut custom_ids = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row["type"] != 1 {
            errors.push((
                format!("components.{i}.type"),
                "UNION_TYPE_CHOICES",
                "Value of field \"type\" must be one of (1,).".into(),
            ));
            continue;
        }
        let children = row["components"].as_array().cloned().unwrap_or_default();
        if children.is_empty() || children.len() > 5 {
            errors.push((
                format!("components.{i}.components"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 5 in length.".into(),
            ));
        }
        let has_select = children
            .iter()
            .any(|c| matches!(c["type"].as_u64(), Some(3 | 5..=8)));
        if has_select && children.len() > 1 {
            errors.push((
                format!("components.{i}.components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "A select menu takes the whole width of its row.".into(),
            ));
        }
        for (j, child) in children.iter().enumerate() {
            let p = format!("components.{i}.components.{j}");
            match child["type"].as_u64() {
                Some(2) => check_button(errors, &p, child, &mut custom_ids),
                Some(3) => check_string_select(errors, &p, child, &mut custom_ids),
                Some(5..=8) => {
                    check_custom_id(errors, &p, child, &mut custom_ids);
                    check_value_counts(errors, &p, child, 25);
                }
                _ => errors.push((
                    format!("{p}.type"),
                    "UNION_TYPE_CHOICES",
                    "Value of field \"type\" must be one of (2, 3, 5, 6, 7, 8).".into(),
                )),
            }
        }
    }
}

/// A `custom_id`: required, at most 100 characters, unique in the message
/// (or modal).
fn check_custom_id(
    errors: &mut Vec<FieldError>,
    path: &str,
    component: &Value,
    seen: &mut Vec<String>,
) {
    let field = format!("{path}.custom_id");
    required(errors, &field, &component["custom_id"], 100);
    if let Some(id) = component["custom_id"].as_str() {
        if seen.iter().any(|s| s == id) {
            errors.push((
                field,
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated".into(),
            ));
        }
        seen.push(id.to_string());
    }
}

fn check_button(errors: &mut Vec<FieldError>, p: &str, button: &Value, seen: &mut Vec<String>) {
    let style = button["style"].as_u64().unwrap_or(0);
    if !(1..=6).contains(&style) {
        errors.push((
            format!("{p}.style"),
            "COMPONENT_INVALID_STYLE",
            "Invalid style".into(),
        ));
    }
    max_len(errors, &format!("{p}.label"), &button["label"], 80);
    if style == 5 {
        if button["url"].as_str().is_none() {
            errors.push((
                format!("{p}.url"),
                "BASE_TYPE_REQUIRED",
                "This field is required".into(),
            ));
        }
    } else if style != 6 {
        check_custom_id(errors, p, button, seen);
    }
}

/// `min_values` (0 to 25) and `max_values` (1 to 25, not below
/// `min_values`, at most `options` when the menu lists them).
fn check_value_counts(errors: &mut Vec<FieldError>, p: &str, menu: &Value, options: usize) {
    let min = menu["min_values"].as_u64().unwrap_or(1);
    let max = menu["max_values"].as_u64().unwrap_or(1);
    if min > 25 {
        errors.push((
            format!("{p}.min_values"),
            "NUMBER_TYPE_MAX",
            "int value should be less than or equal to 25.".into(),
        ));
    }
    if !(1..=25).contains(&max) {
        errors.push((
            format!("{p}.max_values"),
            "NUMBER_TYPE_MAX",
            "int value should be between 1 and 25.".into(),
        ));
    }
    if min > max {
        errors.push((
            format!("{p}.min_values"),
            "SELECT_COMPONENT_MIN_VALUES_TOO_HIGH",
            "min_values must be less than or equal to max_values.".into(),
        ));
    }
    if max as usize > options {
        errors.push((
            format!("{p}.max_values"),
            "SELECT_COMPONENT_MAX_VALUES_TOO_HIGH",
            format!("max_values must be at most the number of options ({options})."),
        ));
    }
}

fn check_string_select(
    errors: &mut Vec<FieldError>,
    p: &str,
    menu: &Value,
    seen: &mut Vec<String>,
) {
    check_custom_id(errors, p, menu, seen);
    max_len(
        errors,
        &format!("{p}.placeholder"),
        &menu["placeholder"],
        150,
    );
    let options = menu["options"].as_array().cloned().unwrap_or_default();
    if options.is_empty() || options.len() > 25 {
        errors.push((
            format!("{p}.options"),
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 25 in length.".into(),
        ));
    }
    let mut values: Vec<&str> = Vec::new();
    for (k, option) in options.iter().enumerate() {
        let q = |field: &str| format!("{p}.options.{k}.{field}");
        required(errors, &q("label"), &option["label"], 100);
        required(errors, &q("value"), &option["value"], 100);
        max_len(errors, &q("description"), &option["description"], 100);
        if let Some(value) = option["value"].as_str() {
            if values.contains(&value) {
                errors.push((
                    q("value"),
                    "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                    "Select option values must be unique.".into(),
                ));
            }
            values.push(value);
        }
    }
    check_value_counts(errors, p, menu, options.len());
}

/// Checks the `data` of a modal response (callback type 9).
pub fn modal(data: &Value) -> Result<(), Rejection> {
    let mut errors: Vec<FieldError> = Vec::new();
    required(&mut errors, "data.custom_id", &data["custom_id"], 100);
    required(&mut errors, "data.title", &data["title"], 45);
    let rows = data["components"].as_array().cloned().unwrap_or_default();
    if rows.is_empty() || rows.len() > 5 {
        errors.push((
            "data.components".into(),
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 5 in length.".into(),
        ));
    }
    let mut custom_ids = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let p = format!("data.components.{i}");
        let children = row["components"].as_array().cloned().unwrap_or_default();
        if row["type"] != 1 || children.len() != 1 {
            errors.push((
                p,
                "MODAL_ROW_INVALID",
                "Each row of a modal holds exactly one text input.".into(),
            ));
            continue;
        }
        let input = &children[0];
        let p = format!("{p}.components.0");
        if input["type"] != 4 {
            errors.push((
                format!("{p}.type"),
                "UNION_TYPE_CHOICES",
                "Value of field \"type\" must be one of (4,).".into(),
            ));
            continue;
        }
        check_custom_id(&mut errors, &p, input, &mut custom_ids);
        required(&mut errors, &format!("{p}.label"), &input["label"], 45);
        if !matches!(input["style"].as_u64(), Some(1 | 2)) {
            errors.push((
                format!("{p}.style"),
                "BASE_TYPE_CHOICES",
                "Value must be one of {1, 2}.".into(),
            ));
        }
        let min = input["min_length"].as_u64();
        let max = input["max_length"].as_u64();
        if min.is_some_and(|m| m > 4000) {
            errors.push((
                format!("{p}.min_length"),
                "NUMBER_TYPE_MAX",
                "int value should be less than or equal to 4000.".into(),
            ));
        }
        if max.is_some_and(|m| !(1..=4000).contains(&m)) {
            errors.push((
                format!("{p}.max_length"),
                "NUMBER_TYPE_MAX",
                "int value should be between 1 and 4000.".into(),
            ));
        }
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                errors.push((
                    format!("{p}.min_length"),
                    "TEXT_INPUT_MIN_LENGTH_TOO_HIGH",
                    "min_length must be less than or equal to max_length.".into(),
                ));
            }
        }
        max_len(&mut errors, &format!("{p}.value"), &input["value"], 4000);
        max_len(
            &mut errors,
            &format!("{p}.placeholder"),
            &input["placeholder"],
            100,
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(form_error(&errors))
    }
}

fn check_allowed_mentions(errors: &mut Vec<FieldError>, allowed: &Value) {
    if allowed.is_null() {
        return;
    }
    let parse: Vec<&str> = allowed["parse"]
        .as_array()
        .map(|p| p.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (i, kind) in parse.iter().enumerate() {
        if !["roles", "users", "everyone"].contains(kind) {
            errors.push((
                format!("allowed_mentions.parse.{i}"),
                "BASE_TYPE_CHOICES",
                "Value must be one of {'roles', 'users', 'everyone'}.".into(),
            ));
        }
    }
    for (kind, list) in [("users", "users"), ("roles", "roles")] {
        let listed = allowed[list].as_array().is_some_and(|l| !l.is_empty());
        if listed && parse.contains(&kind) {
            errors.push((
                "allowed_mentions".into(),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                format!("parse:[\"{kind}\"] and {list}: [ids...] are mutually exclusive."),
            ));
        }
        if allowed[list].as_array().is_some_and(|l| l.len() > 100) {
            errors.push((
                format!("allowed_mentions.{list}"),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 100 or fewer in length.".into(),
            ));
        }
    }
}

/// Who a message would notify, by Discord's rules: only `content` pings
/// (never embeds); `allowed_mentions` absent means everything in the
/// content pings and a reply pings its author; present, only what `parse`
/// or the id lists allow, and the replied-to author only with
/// `replied_user: true`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pings {
    /// Users notified.
    pub users: Vec<String>,
    /// Roles notified.
    pub roles: Vec<String>,
    /// `@everyone` / `@here` notified.
    pub everyone: bool,
    /// The author of the replied-to message notified.
    pub replied_user: bool,
}

impl Pings {
    /// Nobody is notified.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.roles.is_empty() && !self.everyone && !self.replied_user
    }
}

/// The pings of a message body (`is_reply`: it has a message reference).
pub fn pings(body: &Value, is_reply: bool) -> Pings {
    let content = body["content"].as_str().unwrap_or_default();
    let mentioned = payloads::parse_mentions(content);
    let allowed = &body["allowed_mentions"];
    if allowed.is_null() {
        return Pings {
            users: mentioned.users,
            roles: mentioned.roles,
            everyone: mentioned.everyone,
            replied_user: is_reply,
        };
    }
    let parse = |kind: &str| {
        allowed["parse"]
            .as_array()
            .is_some_and(|p| p.iter().any(|k| k == kind))
    };
    let listed = |list: &str, id: &String| {
        allowed[list]
            .as_array()
            .is_some_and(|l| l.iter().any(|x| x == id.as_str()))
    };
    Pings {
        users: mentioned
            .users
            .iter()
            .filter(|u| parse("users") || listed("users", u))
            .cloned()
            .collect(),
        roles: mentioned
            .roles
            .iter()
            .filter(|r| parse("roles") || listed("roles", r))
            .cloned()
            .collect(),
        everyone: mentioned.everyone && parse("everyone"),
        replied_user: is_reply && allowed["replied_user"] == true,
    }
}

fn valid_chat_name(name: &str) -> bool {
    let count = name.chars().count();
    (1..=32).contains(&count)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '\'')
        && name.to_lowercase() == name
}

/// Checks one application command (for `PUT` bulk overwrite, `path` is its
/// index).
pub fn command(errors: &mut Vec<FieldError>, path: &str, command: &Value) {
    let p = |field: &str| {
        if path.is_empty() {
            field.to_string()
        } else {
            format!("{path}.{field}")
        }
    };
    let kind = command["type"].as_u64().unwrap_or(1);
    let name = command["name"].as_str().unwrap_or_default();
    match kind {
        1 => {
            if !valid_chat_name(name) {
                errors.push((
                    p("name"),
                    "APPLICATION_COMMAND_INVALID_NAME",
                    "Command name is invalid".into(),
                ));
            }
            required(errors, &p("description"), &command["description"], 100);
        }
        2 | 3 => {
            let count = name.chars().count();
            if !(1..=32).contains(&count) {
                errors.push((
                    p("name"),
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 32 in length.".into(),
                ));
            }
            if command["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty())
            {
                errors.push((
                    p("description"),
                    "APPLICATION_COMMAND_INVALID_DESCRIPTION",
                    "Context menu commands cannot have a description".into(),
                ));
            }
            if command["options"].as_array().is_some_and(|o| !o.is_empty()) {
                errors.push((
                    p("options"),
                    "APPLICATION_COMMAND_OPTIONS_INVALID",
                    "Context menu commands cannot have options".into(),
                ));
            }
        }
        _ => errors.push((
            p("type"),
            "BASE_TYPE_CHOICES",
            "Value must be one of {1, 2, 3, 4}.".into(),
        )),
    }
    let options = command["options"].as_array().cloned().unwrap_or_default();
    if options.len() > 25 {
        errors.push((
            p("options"),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 25 or fewer in length.".into(),
        ));
    }
    let mut seen_optional = false;
    let mut names = Vec::new();
    for (i, option) in options.iter().enumerate() {
        let q = |field: &str| p(&format!("options.{i}.{field}"));
        let name = option["name"].as_str().unwrap_or_default();
        if !valid_chat_name(name) {
            errors.push((
                q("name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                "Command name is invalid".into(),
            ));
        }
        if names.contains(&name) {
            errors.push((
                q("name"),
                "APPLICATION_COMMAND_OPTION_NAME_NOT_UNIQUE",
                "Option names must be unique".into(),
            ));
        }
        names.push(name);
        required(errors, &q("description"), &option["description"], 100);
        if !(1..=11).contains(&option["type"].as_u64().unwrap_or(0)) {
            errors.push((q("type"), "BASE_TYPE_CHOICES", "Invalid option type".into()));
        }
        let is_required = option["required"] == true;
        if is_required && seen_optional {
            errors.push((
                q("required"),
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options".into(),
            ));
        }
        seen_optional |= !is_required;
        if option["choices"].as_array().is_some_and(|c| c.len() > 25) {
            errors.push((
                q("choices"),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.".into(),
            ));
        }
    }
}

/// A registered command as Discord returns it, from what the bot sent.
pub fn registered_command(
    world: &World,
    sent: &Value,
    id: String,
    version: String,
    guild_id: Option<&str>,
) -> Value {
    let kind = sent["type"].as_u64().unwrap_or(1);
    let permissions = sent
        .get("default_member_permissions")
        .cloned()
        .unwrap_or(Value::Null);
    let integration_types = sent
        .get("integration_types")
        .filter(|v| !v.is_null())
        .cloned()
        .unwrap_or(json!([0]));
    let mut command = json!({
        "id": id,
        "application_id": world.application_id,
        "version": version,
        "default_member_permissions": permissions,
        "type": kind,
        "name": sent["name"],
        "description": sent["description"].as_str().unwrap_or_default(),
        "nsfw": sent["nsfw"].as_bool().unwrap_or(false),
        "integration_types": integration_types,
        "contexts": sent.get("contexts").cloned().unwrap_or(Value::Null),
    });
    for key in ["name_localizations", "description_localizations"] {
        if let Some(value) = sent.get(key) {
            command[key] = value.clone();
        }
    }
    match guild_id {
        Some(guild) => command["guild_id"] = json!(guild),
        None => {
            command["dm_permission"] = sent.get("dm_permission").cloned().unwrap_or(json!(true));
        }
    }
    if let Some(options) = sent["options"].as_array().filter(|o| !o.is_empty()) {
        let options: Vec<Value> = options
            .iter()
            .map(|option| {
                let mut option = option.clone();
                if option["required"] != true {
                    if let Some(object) = option.as_object_mut() {
                        object.remove("required");
                    }
                }
                option
            })
            .collect();
        command["options"] = json!(options);
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embed_field_over_1024_is_rejected_with_its_path() {
        let field = json!({"name": "a", "value": "x".repeat(1025)});
        let body = json!({"embeds": [{"description": "ok", "fields": [field]}]});
        let rejection = message_body(&body, Target::Channel, false).unwrap_err();
        assert_eq!(rejection.status, 400);
        assert_eq!(rejection.body["code"], 50035);
        assert_eq!(
            rejection.body["errors"]["embeds"]["0"]["fields"]["0"]["value"]["_errors"][0]["code"],
            "BASE_TYPE_MAX_LENGTH"
        );
    }

    #[test]
    fn empty_messages_and_bad_flags_are_rejected() {
        let empty = message_body(&json!({"content": ""}), Target::Channel, false).unwrap_err();
        assert_eq!(empty.body["code"], 50006);
        let ephemeral_in_channel = message_body(
            &json!({"content": "x", "flags": 64}),
            Target::Channel,
            false,
        );
        assert!(ephemeral_in_channel.is_err());
        assert!(message_body(
            &json!({"content": "x", "flags": 64}),
            Target::Interaction,
            false
        )
        .is_ok());
    }

    #[test]
    fn pings_follow_allowed_mentions() {
        let text = "@everyone <@1> <@&2>";
        let open = pings(&json!({"content": text}), true);
        assert!(open.everyone && open.replied_user);
        assert_eq!(open.users, ["1"]);
        let closed = pings(
            &json!({"content": text, "allowed_mentions": {"parse": [], "replied_user": false}}),
            true,
        );
        assert!(closed.is_empty(), "{closed:?}");
        let embed_only = pings(
            &json!({
                "embeds": [{"description": text}],
                "allowed_mentions": {"parse": ["everyone"]},
            }),
            false,
        );
        assert!(embed_only.is_empty());
    }

    #[test]
    fn select_menus_are_checked_in_messages() {
        let option = |v: &str| json!({"label": v, "value": v});
        let menu = |extra: Value| {
            let mut menu =
                json!({"type": 3, "custom_id": "teach", "options": [option("a"), option("b")]});
            for (key, value) in extra.as_object().unwrap() {
                menu[key] = value.clone();
            }
            json!({"content": "x", "components": [{"type": 1, "components": [menu]}]})
        };
        assert!(message_body(&menu(json!({"max_values": 2})), Target::Channel, false).is_ok());
        for (why, bad) in [
            ("min above max", json!({"min_values": 2, "max_values": 1})),
            ("max above options", json!({"max_values": 3})),
            ("long placeholder", json!({"placeholder": "p".repeat(151)})),
            ("no custom_id", json!({"custom_id": null})),
        ] {
            assert!(
                message_body(&menu(bad), Target::Channel, false).is_err(),
                "{why}"
            );
        }
    }

    #[test]
    fn modal_text_inputs_are_checked() {
        let wrap = |input: Value| {
            json!({"custom_id": "why", "title": "Why?",
                "components": [{"type": 1, "components": [input]}]})
        };
        let ok =
            json!({"type": 4, "custom_id": "w", "style": 1, "label": "What?", "max_length": 4000});
        assert!(modal(&wrap(ok.clone())).is_ok());
        let mut two_inputs = wrap(ok.clone());
        two_inputs["components"][0]["components"] = json!([ok.clone(), ok.clone()]);
        assert!(modal(&two_inputs).is_err());
        let mut empty = wrap(ok.clone());
        empty["components"] = json!([]);
        assert!(modal(&empty).is_err());
        let mut long_label = ok.clone();
        long_label["label"] = json!("l".repeat(46));
        let error = modal(&wrap(long_label)).unwrap_err();
        assert_eq!(
            error.body["errors"]["data"]["components"]["0"]["components"]["0"]["label"]["_errors"]
                [0]["code"],
            "BASE_TYPE_MAX_LENGTH"
        );
        let mut min_over_max = ok;
        min_over_max["min_length"] = json!(10);
        min_over_max["max_length"] = json!(5);
        assert!(modal(&wrap(min_over_max)).is_err());
    }

    #[test]
    fn command_names_and_option_order_are_checked() {
        let mut errors = Vec::new();
        command(
            &mut errors,
            "0",
            &json!({"name": "Salary", "description": "x", "options": [
                {"type": 5, "name": "public", "description": "x"},
                {"type": 3, "name": "question", "description": "x", "required": true}
            ]}),
        );
        let codes: Vec<&str> = errors.iter().map(|e| e.1).collect();
        assert!(
            codes.contains(&"APPLICATION_COMMAND_INVALID_NAME"),
            "{errors:?}"
        );
        assert!(
            codes.contains(&"APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID"),
            "{errors:?}"
        );
        let mut ok = Vec::new();
        command(
            &mut ok,
            "",
            &json!({"type": 3, "name": "Answer this question", "description": ""}),
        );
        assert!(ok.is_empty(), "{ok:?}");
    }
}
