//! Autocomplete for `/ask`: questions the bot answers well, suggested as
//! the student types.
//!
//! Pure: the caller passes what was typed and the topics the engine found
//! in it. A suggestion matches when every typed word starts one of its
//! words; when none does (a typo, other wording), the suggestions of the
//! topics the engine recognised are offered instead. Every suggestion is
//! checked by a test to be answered, on its topic, by the built-in
//! knowledge.

use crate::intent::Intent;

/// Most choices Discord accepts in one autocomplete response.
pub const MAX_CHOICES: usize = 25;

/// Suggestions offered before anything matches: the first of each topic.
const FIRST_SHOWN: usize = 8;

/// The questions offered, with the topic each is answered on, the most
/// common first within each topic.
pub const SUGGESTIONS: &[(Intent, &str)] = &[
    (
        Intent::Overview,
        "What is a health information technology specialist?",
    ),
    (
        Intent::Salary,
        "How much do health information technicians make?",
    ),
    (Intent::Education, "What degree do I need to become one?"),
    (Intent::Certification, "Which certification should I get?"),
    (Intent::Outlook, "Is the job outlook good?"),
    (
        Intent::Workplace,
        "Where do health information technicians work?",
    ),
    (
        Intent::Duties,
        "What does a health information technician do?",
    ),
    (
        Intent::Alternatives,
        "What similar careers could I consider?",
    ),
    (Intent::Duties, "What are the daily duties?"),
    (Intent::Salary, "What is the median salary?"),
    (Intent::Salary, "What is the average pay?"),
    (Intent::Education, "Do I need a college degree?"),
    (Intent::Certification, "What is the RHIT certification?"),
    (Intent::Outlook, "Is the field growing?"),
    (Intent::Workplace, "Do they work in hospitals?"),
    (Intent::Duties, "What tasks does the job involve?"),
    (Intent::Alternatives, "What related jobs are there?"),
];

/// Lowercase words of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The suggestions for `typed`, at most [`MAX_CHOICES`]. `recognised` is
/// the topics the engine finds in `typed`, used when no suggestion matches
/// word for word.
pub fn suggestions(typed: &str, recognised: &[Intent]) -> Vec<&'static str> {
    let typed = words(typed);
    if typed.is_empty() {
        return SUGGESTIONS
            .iter()
            .take(FIRST_SHOWN)
            .map(|(_, question)| *question)
            .collect();
    }
    let matching: Vec<&'static str> = SUGGESTIONS
        .iter()
        .filter(|(_, question)| {
            let own = words(question);
            typed.iter().all(|word| {
                own.iter()
                    .any(|candidate| candidate.starts_with(word.as_str()))
            })
        })
        .map(|(_, question)| *question)
        .take(MAX_CHOICES)
        .collect();
    if !matching.is_empty() {
        return matching;
    }
    SUGGESTIONS
        .iter()
        .filter(|(topic, _)| recognised.contains(topic))
        .map(|(_, question)| *question)
        .take(MAX_CHOICES)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_typed_offers_one_question_per_topic() {
        let shown = suggestions("", &[]);
        assert_eq!(shown.len(), FIRST_SHOWN);
        let topics: Vec<Intent> = SUGGESTIONS
            .iter()
            .take(FIRST_SHOWN)
            .map(|(topic, _)| *topic)
            .collect();
        for topic in Intent::TOPICS {
            assert!(topics.contains(&topic), "{topic:?}");
        }
    }

    #[test]
    fn typed_words_narrow_the_list_by_word_starts() {
        let shown = suggestions("how much", &[]);
        assert_eq!(shown, ["How much do health information technicians make?"]);
        let shown = suggestions("sal", &[]);
        assert_eq!(shown, ["What is the median salary?"]);
        assert!(suggestions("degree", &[]).len() >= 2);
    }

    #[test]
    fn unmatched_wording_falls_back_to_the_recognised_topics() {
        let shown = suggestions("salery??", &[Intent::Salary]);
        assert!(!shown.is_empty());
        assert!(shown.iter().all(|question| SUGGESTIONS
            .iter()
            .any(|(topic, q)| q == question && *topic == Intent::Salary)));
        assert!(suggestions("weather tomorrow", &[]).is_empty());
    }

    #[test]
    fn every_suggestion_is_answered_on_its_topic() {
        let bot = crate::bot::CareerBot::from_embedded().expect("the embedded knowledge loads");
        for (topic, question) in SUGGESTIONS {
            let reply = bot.reply(question);
            assert_eq!(reply.kind, crate::answer::ReplyKind::Answered, "{question}");
            assert!(
                reply.intents.contains(topic),
                "{question}: {:?}",
                reply.intents
            );
        }
    }

    #[test]
    fn suggestions_fit_discord_limits() {
        assert!(SUGGESTIONS.len() <= MAX_CHOICES);
        for (_, question) in SUGGESTIONS {
            assert!(question.chars().count() <= 100, "{question}");
        }
    }
}
