//! The application commands, defined once.
//!
//! [`BotCommand`] is the single table of every slash and context-menu command:
//! its name, description, kind and options. Registration builds its payloads
//! from it and dispatch looks commands up in it, so no command name appears
//! as a string literal anywhere else. Topic commands take their names from
//! [`Intent::name`].

use serenity::all::{
    CommandDataOption, CommandDataOptionValue, CommandOptionType, CommandType, CreateCommand,
    CreateCommandOption, InteractionContext, Permissions,
};

use crate::intent::Intent;

/// Longest `/ask` question accepted, in characters.
pub const QUESTION_MAX_LENGTH: u16 = 1000;

/// One option of a slash command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionSpec {
    /// The option's name as Discord shows it.
    pub name: &'static str,
    /// Its description (at most 100 characters).
    pub description: &'static str,
    /// Its type.
    pub kind: OptionKind,
    /// Whether the user must fill it in.
    pub required: bool,
}

/// The option types the bot uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// `true` or `false`.
    Boolean,
    /// Free text, at most [`QUESTION_MAX_LENGTH`] characters.
    Text,
    /// A whole number from `min` to `max`.
    Integer {
        /// The smallest value Discord accepts.
        min: u64,
        /// The largest value Discord accepts.
        max: u64,
    },
}

/// `public`: post the answer for the whole channel.
pub const PUBLIC_OPTION: OptionSpec = OptionSpec {
    name: "public",
    description: "Post the answer in the channel for everyone instead of only you",
    kind: OptionKind::Boolean,
    required: false,
};

/// `question`: the free-text question of `/ask`.
pub const QUESTION_OPTION: OptionSpec = OptionSpec {
    name: "question",
    description: "Your question about the health information technology specialist career",
    kind: OptionKind::Text,
    required: true,
};

/// `days`: the period `/stats` reports on.
pub const DAYS_OPTION: OptionSpec = OptionSpec {
    name: "days",
    description: "How many days back to report (default 28)",
    kind: OptionKind::Integer { min: 1, max: 365 },
    required: false,
};

/// The period `/stats` reports on without `days`.
pub const DEFAULT_STATS_DAYS: i64 = 28;

/// How a command is invoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommandKind {
    /// Typed as `/name` (Discord type 1, CHAT_INPUT).
    Slash,
    /// From a message's Apps menu (Discord type 3, MESSAGE).
    MessageMenu,
}

impl CommandKind {
    fn discord_type(self) -> CommandType {
        match self {
            CommandKind::Slash => CommandType::ChatInput,
            CommandKind::MessageMenu => CommandType::Message,
        }
    }
}

/// Every command the bot registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BotCommand {
    /// `/salary`, `/education`, …: one career topic.
    Topic(Intent),
    /// `/ask question:<text>`: free text through the engine.
    Ask,
    /// `/help`: what the bot can answer.
    Help,
    /// `/sources`: where the facts come from and their year.
    Sources,
    /// "Answer this question": answers the selected message publicly.
    AnswerThisQuestion,
    /// `/reload`: reads the knowledge files again (counselors; see
    /// [`BotCommand::default_member_permissions`]).
    Reload,
    /// `/review`: unanswered questions, grouped, to teach or ignore
    /// (counselors).
    Review,
    /// `/stats days:<n>`: usage and feedback over a period (counselors).
    Stats,
}

impl BotCommand {
    /// Every command, in registration order: topics, then the others.
    pub fn all() -> impl Iterator<Item = BotCommand> {
        Intent::TOPICS.into_iter().map(BotCommand::Topic).chain([
            BotCommand::Ask,
            BotCommand::Help,
            BotCommand::Sources,
            BotCommand::AnswerThisQuestion,
            BotCommand::Reload,
            BotCommand::Review,
            BotCommand::Stats,
        ])
    }

    /// The name Discord shows and sends back on use.
    pub fn name(self) -> &'static str {
        match self {
            BotCommand::Topic(intent) => intent.name(),
            BotCommand::Ask => "ask",
            BotCommand::Help => "help",
            BotCommand::Sources => "sources",
            BotCommand::AnswerThisQuestion => "Answer this question",
            BotCommand::Reload => "reload",
            BotCommand::Review => "review",
            BotCommand::Stats => "stats",
        }
    }

    /// How the command is invoked.
    pub fn kind(self) -> CommandKind {
        match self {
            BotCommand::AnswerThisQuestion => CommandKind::MessageMenu,
            _ => CommandKind::Slash,
        }
    }

    /// The description shown in Discord's command picker; empty for the
    /// context-menu command, which Discord requires to have none.
    pub fn description(self) -> &'static str {
        match self {
            BotCommand::Topic(intent) => topic_description(intent),
            BotCommand::Ask => {
                "Ask any question about the health information technology specialist career"
            }
            BotCommand::Help => "What I can answer and how to ask",
            BotCommand::Sources => "Where my facts come from and how recent they are",
            BotCommand::AnswerThisQuestion => "",
            BotCommand::Reload => "Reload the knowledge files after an edit (counselors only)",
            BotCommand::Review => {
                "Questions I could not answer, to teach me or set aside (counselors only)"
            }
            BotCommand::Stats => "What students asked and how they rated answers (counselors only)",
        }
    }

    /// The command's options, in the order Discord shows them (required first).
    pub fn options(self) -> &'static [OptionSpec] {
        match self {
            BotCommand::Topic(_) => &[PUBLIC_OPTION],
            BotCommand::Ask => &[QUESTION_OPTION, PUBLIC_OPTION],
            BotCommand::Stats => &[DAYS_OPTION],
            BotCommand::Help
            | BotCommand::Sources
            | BotCommand::AnswerThisQuestion
            | BotCommand::Reload
            | BotCommand::Review => &[],
        }
    }

    /// The command Discord invoked, from the name and type in the interaction.
    pub fn lookup(name: &str, kind: CommandType) -> Option<BotCommand> {
        BotCommand::all()
            .find(|command| command.name() == name && command.kind().discord_type() == kind)
    }

    /// The permissions Discord requires before it shows the command to a
    /// member, which server admins can change per role or member under
    /// Server Settings → Integrations. With counselor roles configured
    /// (`counselors`), "Answer this question" and the counselor commands
    /// (`/reload`, `/review`, `/stats`) get none granted (`"0"`): Discord
    /// hides them from everyone but administrators until an admin allows
    /// the counselor role there. Without counselor roles, the counselor
    /// commands need Manage Server and the rest are for everyone. The bot
    /// checks again when a command arrives.
    pub fn default_member_permissions(self, counselors: bool) -> Option<Permissions> {
        match self {
            BotCommand::AnswerThisQuestion if counselors => Some(Permissions::empty()),
            _ if self.counselor_only() && counselors => Some(Permissions::empty()),
            _ if self.counselor_only() => Some(Permissions::MANAGE_GUILD),
            _ => None,
        }
    }

    /// The commands for counselors only: `/reload`, `/review`, `/stats`
    /// (hidden from students, checked again at run time, left out of a
    /// student's `/help`).
    pub fn counselor_only(self) -> bool {
        matches!(
            self,
            BotCommand::Reload | BotCommand::Review | BotCommand::Stats
        )
    }

    /// Where the command can be used: the counselor commands only in
    /// servers (where roles and permissions exist), the others also in DMs
    /// with the bot (Discord's default).
    pub fn guild_only(self) -> bool {
        self.counselor_only()
    }

    /// The registration payload for this command; `counselors`: counselor
    /// roles are configured.
    pub fn to_create_command(self, counselors: bool) -> CreateCommand {
        let mut command = CreateCommand::new(self.name()).kind(self.kind().discord_type());
        if self.kind() == CommandKind::Slash {
            command = command.description(self.description());
        }
        if let Some(permissions) = self.default_member_permissions(counselors) {
            command = command.default_member_permissions(permissions);
        }
        if self.guild_only() {
            command = command.contexts(vec![InteractionContext::Guild]);
        }
        for option in self.options() {
            command = command.add_option(option.to_create_option());
        }
        command
    }

    /// Registration payloads for every command; `counselors`: counselor
    /// roles are configured.
    pub fn registration_payloads(counselors: bool) -> Vec<CreateCommand> {
        BotCommand::all()
            .map(|command| command.to_create_command(counselors))
            .collect()
    }
}

fn topic_description(intent: Intent) -> &'static str {
    match intent {
        Intent::Overview => "What a health information technology specialist is, in brief",
        Intent::Duties => "What the job involves day to day",
        Intent::Workplace => "Where health IT specialists work",
        Intent::Education => "Degrees and programs that lead to the job",
        Intent::Certification => "Certifications and credentials for the job",
        Intent::Salary => "Pay figures, with their year and source",
        Intent::Outlook => "Job growth and demand",
        Intent::Alternatives => "Related careers to consider",
        // Not topics: never registered, listed so the match is exhaustive.
        Intent::Greeting
        | Intent::Help
        | Intent::Thanks
        | Intent::Goodbye
        | Intent::Acknowledgement
        | Intent::Insult => "",
    }
}

impl OptionSpec {
    fn to_create_option(self) -> CreateCommandOption {
        let kind = match self.kind {
            OptionKind::Boolean => CommandOptionType::Boolean,
            OptionKind::Text => CommandOptionType::String,
            OptionKind::Integer { .. } => CommandOptionType::Integer,
        };
        let option =
            CreateCommandOption::new(kind, self.name, self.description).required(self.required);
        match self.kind {
            // Free text suggests questions as the student types
            // (see `super::suggest`).
            OptionKind::Text => option
                .max_length(QUESTION_MAX_LENGTH)
                .set_autocomplete(true),
            OptionKind::Boolean => option,
            OptionKind::Integer { min, max } => option.min_int_value(min).max_int_value(max),
        }
    }

    /// This option's integer value among `options`, if the user gave it.
    pub fn integer_in(self, options: &[CommandDataOption]) -> Option<i64> {
        match &options
            .iter()
            .find(|option| option.name == self.name)?
            .value
        {
            CommandDataOptionValue::Integer(value) => Some(*value),
            _ => None,
        }
    }

    /// This option's boolean value among `options`, if the user gave it.
    pub fn bool_in(self, options: &[CommandDataOption]) -> Option<bool> {
        match &options
            .iter()
            .find(|option| option.name == self.name)?
            .value
        {
            CommandDataOptionValue::Boolean(value) => Some(*value),
            _ => None,
        }
    }

    /// This option's text value among `options`, if the user gave it.
    pub fn text_in(self, options: &[CommandDataOption]) -> Option<&str> {
        match &options
            .iter()
            .find(|option| option.name == self.name)?
            .value
        {
            CommandDataOptionValue::String(value) => Some(value),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use serde_json::{json, Value};

    use super::*;

    fn payload(command: BotCommand) -> Value {
        serde_json::to_value(command.to_create_command(false)).unwrap_or(Value::Null)
    }

    #[test]
    fn every_topic_has_a_slash_command_and_nothing_else_is_doubled() {
        let names: Vec<_> = BotCommand::all().map(BotCommand::name).collect();
        let unique: HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "duplicate names: {names:?}");
        for intent in Intent::TOPICS {
            assert_eq!(
                BotCommand::lookup(intent.name(), CommandType::ChatInput),
                Some(BotCommand::Topic(intent))
            );
        }
        assert_eq!(BotCommand::all().count(), Intent::TOPICS.len() + 7);
        for name in ["ask", "help", "sources", "reload", "review", "stats"] {
            assert!(
                BotCommand::lookup(name, CommandType::ChatInput).is_some(),
                "{name}"
            );
        }
    }

    #[test]
    fn lookup_respects_the_command_type() {
        assert_eq!(
            BotCommand::lookup("Answer this question", CommandType::Message),
            Some(BotCommand::AnswerThisQuestion)
        );
        assert_eq!(
            BotCommand::lookup("Answer this question", CommandType::ChatInput),
            None
        );
        assert_eq!(BotCommand::lookup("salary", CommandType::Message), None);
        assert_eq!(BotCommand::lookup("greeting", CommandType::ChatInput), None);
        assert_eq!(BotCommand::lookup("weather", CommandType::ChatInput), None);
    }

    #[test]
    fn names_and_descriptions_fit_discord_rules() {
        for command in BotCommand::all() {
            let name = command.name();
            assert!(!name.is_empty() && name.chars().count() <= 32, "{name}");
            match command.kind() {
                CommandKind::Slash => {
                    assert!(
                        name.chars()
                            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_'),
                        "{name}"
                    );
                    let description = command.description();
                    assert!((1..=100).contains(&description.chars().count()), "{name}");
                }
                CommandKind::MessageMenu => assert!(command.description().is_empty()),
            }
            for option in command.options() {
                assert!(option.name.chars().all(|c| c.is_ascii_lowercase()));
                assert!((1..=100).contains(&option.description.chars().count()));
            }
            let required: Vec<_> = command.options().iter().map(|o| o.required).collect();
            assert!(
                required.windows(2).all(|w| w[0] >= w[1]),
                "required options first"
            );
        }
    }

    #[test]
    fn topic_payload_has_an_optional_public_flag() {
        let value = payload(BotCommand::Topic(Intent::Salary));
        assert_eq!(value["name"], "salary");
        assert_eq!(value["type"], 1);
        assert_eq!(value["options"][0]["name"], "public");
        assert_eq!(value["options"][0]["type"], 5);
        assert_eq!(value["options"][0]["required"], false);
        assert_eq!(value["options"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn ask_payload_requires_a_question() {
        let value = payload(BotCommand::Ask);
        assert_eq!(value["options"][0]["name"], "question");
        assert_eq!(value["options"][0]["type"], 3);
        assert_eq!(value["options"][0]["required"], true);
        assert_eq!(
            value["options"][0]["max_length"],
            json!(QUESTION_MAX_LENGTH)
        );
        assert_eq!(value["options"][1]["name"], "public");
    }

    #[test]
    fn context_menu_payload_is_a_message_command_without_description() {
        let value = payload(BotCommand::AnswerThisQuestion);
        assert_eq!(value["name"], "Answer this question");
        assert_eq!(value["type"], 3);
        assert!(value.get("description").is_none());
        assert_eq!(value["options"], json!([]));
        assert_eq!(BotCommand::registration_payloads(false).len(), 15);
    }

    #[test]
    fn reload_is_for_servers_and_managers_unless_counselor_roles_decide() {
        let value = payload(BotCommand::Reload);
        assert_eq!(value["name"], "reload");
        assert_eq!(value["type"], 1);
        assert_eq!(
            value["default_member_permissions"],
            Permissions::MANAGE_GUILD.bits().to_string()
        );
        assert_eq!(value["contexts"], json!([0]), "guild only");
        let with_counselors =
            serde_json::to_value(BotCommand::Reload.to_create_command(true)).unwrap_or_default();
        assert_eq!(with_counselors["default_member_permissions"], "0");
        assert_eq!(with_counselors["contexts"], json!([0]));
        // No command but the counselor ones is restricted without
        // counselor roles.
        for command in BotCommand::all().filter(|c| !c.counselor_only()) {
            assert!(payload(command)["default_member_permissions"].is_null());
            assert!(payload(command)["contexts"].is_null());
        }
    }

    #[test]
    fn review_and_stats_are_counselor_commands_and_stats_takes_a_bounded_period() {
        for command in [BotCommand::Review, BotCommand::Stats] {
            let value = payload(command);
            assert_eq!(
                value["default_member_permissions"],
                Permissions::MANAGE_GUILD.bits().to_string()
            );
            assert_eq!(value["contexts"], json!([0]), "guild only");
        }
        let stats = payload(BotCommand::Stats);
        assert_eq!(stats["options"][0]["name"], "days");
        assert_eq!(stats["options"][0]["type"], 4);
        assert_eq!(stats["options"][0]["required"], false);
        assert_eq!(stats["options"][0]["min_value"], 1);
        assert_eq!(stats["options"][0]["max_value"], 365);
        assert_eq!(payload(BotCommand::Review)["options"], json!([]));
    }

    #[test]
    fn counselor_commands_are_hidden_from_students_when_counselor_roles_are_set() {
        for command in BotCommand::all() {
            let value = serde_json::to_value(command.to_create_command(true)).unwrap_or_default();
            let hidden = command.counselor_only() || command == BotCommand::AnswerThisQuestion;
            if hidden {
                assert_eq!(value["default_member_permissions"], "0", "{command:?}");
            } else {
                assert!(value["default_member_permissions"].is_null(), "{command:?}");
            }
        }
    }
}
