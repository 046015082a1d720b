//! The intents the bot understands, named once.
//!
//! Every other layer (the intent table in `knowledge/intents.toml`, the
//! engine, answers, slash commands) refers to intents through [`Intent`];
//! the string form exists only for data files and JSON output.

use std::fmt;

/// One thing a student can ask about, or a piece of small talk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Intent {
    /// What the occupation is.
    Overview,
    /// What the work involves day to day.
    Duties,
    /// Where these specialists work.
    Workplace,
    /// Degrees, programs and courses.
    Education,
    /// Credentials and licensing.
    Certification,
    /// Pay figures.
    Salary,
    /// Job growth and demand.
    Outlook,
    /// Related careers.
    Alternatives,
    /// "hi", "hello".
    Greeting,
    /// "what can you do".
    Help,
    /// "thanks".
    Thanks,
}

impl Intent {
    /// Every intent, topics first, in the order answers are given.
    pub const ALL: [Intent; 11] = [
        Intent::Overview,
        Intent::Duties,
        Intent::Workplace,
        Intent::Education,
        Intent::Certification,
        Intent::Salary,
        Intent::Outlook,
        Intent::Alternatives,
        Intent::Greeting,
        Intent::Help,
        Intent::Thanks,
    ];

    /// The career topics: intents answered from the knowledge file.
    pub const TOPICS: [Intent; 8] = [
        Intent::Overview,
        Intent::Duties,
        Intent::Workplace,
        Intent::Education,
        Intent::Certification,
        Intent::Salary,
        Intent::Outlook,
        Intent::Alternatives,
    ];

    /// The name used in data files, JSON output and evaluation labels.
    pub fn name(self) -> &'static str {
        match self {
            Intent::Overview => "overview",
            Intent::Duties => "duties",
            Intent::Workplace => "workplace",
            Intent::Education => "education",
            Intent::Certification => "certification",
            Intent::Salary => "salary",
            Intent::Outlook => "outlook",
            Intent::Alternatives => "alternatives",
            Intent::Greeting => "greeting",
            Intent::Help => "help",
            Intent::Thanks => "thanks",
        }
    }

    /// The intent with this data-file name, if any.
    pub fn from_name(name: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|intent| intent.name() == name)
    }

    /// True for career topics, false for small talk.
    pub fn is_topic(self) -> bool {
        !matches!(self, Intent::Greeting | Intent::Help | Intent::Thanks)
    }
}

impl fmt::Display for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for intent in Intent::ALL {
            assert_eq!(Intent::from_name(intent.name()), Some(intent));
        }
        assert_eq!(Intent::from_name("weather"), None);
    }

    #[test]
    fn topics_are_exactly_the_non_small_talk_intents() {
        let topics: Vec<_> = Intent::ALL.into_iter().filter(|i| i.is_topic()).collect();
        assert_eq!(topics, Intent::TOPICS);
    }
}
