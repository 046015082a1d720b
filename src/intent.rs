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
    /// "bye", "gotta go".
    Goodbye,
    /// "ok", "got it", "cool".
    Acknowledgement,
    /// "you're useless", "dumb bot".
    Insult,
}

impl Intent {
    /// Every intent, topics first, in the order answers are given.
    pub const ALL: [Intent; 14] = [
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
        Intent::Goodbye,
        Intent::Acknowledgement,
        Intent::Insult,
    ];

    /// The intents evaluation labels and `classify`'s `intents` use: the
    /// first eleven of [`Intent::ALL`]. The other small talk (goodbye,
    /// acknowledgement, insult) gets its own short reply but is reported
    /// apart, as `small_talk`.
    pub const LABELLED: &'static [Intent] = Intent::ALL.split_at(11).0;

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
            Intent::Goodbye => "goodbye",
            Intent::Acknowledgement => "acknowledgement",
            Intent::Insult => "insult",
        }
    }

    /// The intent with this data-file name, if any.
    pub fn from_name(name: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|intent| intent.name() == name)
    }

    /// True for career topics, false for small talk.
    pub fn is_topic(self) -> bool {
        Intent::TOPICS.contains(&self)
    }

    /// True for the intents evaluation labels use (see [`Intent::LABELLED`]).
    pub fn is_labelled(self) -> bool {
        Intent::LABELLED.contains(&self)
    }
}

/// A figure the asker stated, kept so an answer can correct it
/// ("so the median is 40,430 right?").
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StatedFigure {
    /// The number as written, without grouping: 40430.0, 15.0.
    pub value: f64,
    /// Written as a percentage ("15%", "15 percent").
    pub percent: bool,
}

/// One question found in a message, as the engine understood it. A message
/// holds any number of these, in the asker's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ask {
    /// The topic asked; `None` when the question is only about aspects the
    /// source does not cover, or about nothing the bot answers.
    pub intent: Option<Intent>,
    /// Covered aspects asked within the topic, by their short names in
    /// `knowledge/aspects.toml` (e.g. "average pay", "online programs").
    pub aspects: Vec<String>,
    /// Aspects asked that the source does not cover (e.g. "hourly pay",
    /// "remote work").
    pub uncovered: Vec<String>,
    /// Figures the asker stated in this question.
    pub stated: Vec<StatedFigure>,
    /// Another occupation this question is about (e.g. "nurse"): the answer
    /// says that occupation is outside what the bot covers.
    pub other_subject: Option<String>,
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

    #[test]
    fn labelled_intents_are_the_topics_and_three_small_talk() {
        let labelled: Vec<_> = Intent::ALL
            .into_iter()
            .filter(|i| i.is_labelled())
            .collect();
        assert_eq!(labelled, Intent::LABELLED);
        assert!(!Intent::Goodbye.is_labelled() && !Intent::Goodbye.is_topic());
    }
}
