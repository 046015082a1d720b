//! Answers as Discord embeds, within Discord's limits, and the
//! allowed-mentions policy every outgoing message carries.
//!
//! Rendering is two steps: [`plan_messages`] turns answers into plain
//! [`EmbedPlan`]s grouped into messages, splitting long text so every limit
//! holds (pure, unit-tested); [`EmbedPlan::to_embed`] turns a plan into
//! serenity's builder.

use serenity::all::{CreateAllowedMentions, CreateEmbed, CreateEmbedFooter};

use crate::answer::{Answer, Field};

/// Embed title limit.
pub const TITLE_LIMIT: usize = 256;
/// Embed description limit.
pub const DESCRIPTION_LIMIT: usize = 4096;
/// Field name limit.
pub const FIELD_NAME_LIMIT: usize = 256;
/// Field value limit.
pub const FIELD_VALUE_LIMIT: usize = 1024;
/// Footer text limit.
pub const FOOTER_LIMIT: usize = 2048;
/// Limit on the characters of all embeds of one message together.
pub const EMBED_TOTAL_LIMIT: usize = 6000;
/// Fields per embed.
pub const FIELDS_PER_EMBED: usize = 25;
/// Embeds per message.
pub const EMBEDS_PER_MESSAGE: usize = 10;
/// Message content limit.
pub const CONTENT_LIMIT: usize = 2000;

/// The accent colour of the bot's embeds (a teal).
const EMBED_COLOUR: u32 = 0x1F_7A_8C;

/// Name of the field that lists follow-up questions.
const FOLLOW_UPS_FIELD: &str = "You could also ask";

/// Suffix for the name of a field whose value continues from the previous one.
const CONTINUED: &str = " (continued)";

/// The length Discord checks, measured conservatively in UTF-16 code units
/// (never fewer than characters), so text that fits here fits there.
pub fn discord_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// One embed, as plain data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedPlan {
    /// Heading; only the first embed of an answer has one.
    pub title: Option<String>,
    /// Prose.
    pub description: Option<String>,
    /// Labelled values.
    pub fields: Vec<Field>,
    /// Source line; only the last embed of an answer has one.
    pub footer: Option<String>,
}

impl EmbedPlan {
    /// The characters Discord counts towards [`EMBED_TOTAL_LIMIT`].
    pub fn total_len(&self) -> usize {
        let optional = |text: &Option<String>| text.as_deref().map_or(0, discord_len);
        optional(&self.title)
            + optional(&self.description)
            + optional(&self.footer)
            + self
                .fields
                .iter()
                .map(|field| discord_len(&field.name) + discord_len(&field.value))
                .sum::<usize>()
    }

    /// True when the embed would show nothing (Discord rejects such embeds).
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.description.is_none()
            && self.fields.is_empty()
            && self.footer.is_none()
    }

    /// serenity's builder for this embed.
    pub fn to_embed(&self) -> CreateEmbed {
        let mut embed = CreateEmbed::new().colour(EMBED_COLOUR);
        if let Some(title) = &self.title {
            embed = embed.title(title);
        }
        if let Some(description) = &self.description {
            embed = embed.description(description);
        }
        for field in &self.fields {
            embed = embed.field(&field.name, &field.value, field.inline);
        }
        if let Some(footer) = &self.footer {
            embed = embed.footer(CreateEmbedFooter::new(footer));
        }
        embed
    }
}

/// serenity builders for the embeds of one message.
pub fn to_embeds(plans: &[EmbedPlan]) -> Vec<CreateEmbed> {
    plans.iter().map(EmbedPlan::to_embed).collect()
}

/// Allowed mentions that allow nothing: no `@everyone`/`@here`, no roles, no
/// users, and no ping of the author of the message replied to. Sent with
/// every message, whatever the text contains.
pub fn no_pings() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .everyone(false)
        .all_users(false)
        .all_roles(false)
        .empty_users()
        .empty_roles()
        .replied_user(false)
}

/// The embeds for `answers`, grouped into messages that each respect the
/// per-message limits (10 embeds, 6,000 characters together). Usually one
/// message; empty only when the answers hold no text at all.
pub fn plan_messages(answers: &[Answer]) -> Vec<Vec<EmbedPlan>> {
    let mut messages: Vec<Vec<EmbedPlan>> = Vec::new();
    let mut current: Vec<EmbedPlan> = Vec::new();
    let mut current_len = 0;
    for embed in answers.iter().flat_map(plan_answer) {
        let len = embed.total_len();
        if !current.is_empty()
            && (current.len() == EMBEDS_PER_MESSAGE || current_len + len > EMBED_TOTAL_LIMIT)
        {
            messages.push(std::mem::take(&mut current));
            current_len = 0;
        }
        current_len += len;
        current.push(embed);
    }
    if !current.is_empty() {
        messages.push(current);
    }
    messages
}

/// The embeds for one answer, each within every per-embed limit.
pub fn plan_answer(answer: &Answer) -> Vec<EmbedPlan> {
    let title = non_empty(truncate(&answer.title, TITLE_LIMIT));
    let footer = answer
        .source
        .as_deref()
        .and_then(|source| non_empty(truncate(source, FOOTER_LIMIT)));
    // Every embed reserves room for the title and footer, so any of them can
    // carry either without passing the total.
    let reserved =
        title.as_deref().map_or(0, discord_len) + footer.as_deref().map_or(0, discord_len);
    let budget = EMBED_TOTAL_LIMIT - reserved;

    let mut embeds = Vec::new();
    let mut current = EmbedPlan {
        title,
        ..EmbedPlan::default()
    };
    let mut used = 0;
    for chunk in split_text(&answer.body, DESCRIPTION_LIMIT.min(budget)) {
        if current.description.is_some() {
            embeds.push(std::mem::take(&mut current));
        }
        used = discord_len(&chunk);
        current.description = Some(chunk);
    }
    for field in plan_fields(answer) {
        let len = discord_len(&field.name) + discord_len(&field.value);
        if current.fields.len() == FIELDS_PER_EMBED || used + len > budget {
            embeds.push(std::mem::take(&mut current));
            used = 0;
        }
        used += len;
        current.fields.push(field);
    }
    current.footer = footer;
    if !current.is_empty() {
        embeds.push(current);
    }
    embeds
}

/// The answer's fields and follow-ups, each name and value within limits;
/// long values continue in further fields.
fn plan_fields(answer: &Answer) -> Vec<Field> {
    let mut fields = Vec::new();
    for field in &answer.fields {
        let name =
            non_empty(truncate(&field.name, FIELD_NAME_LIMIT)).unwrap_or_else(|| "\u{2014}".into());
        let chunks = split_text(&field.value, FIELD_VALUE_LIMIT);
        let inline = field.inline && chunks.len() == 1;
        for (index, value) in chunks.into_iter().enumerate() {
            let name = if index == 0 {
                name.clone()
            } else {
                continued_name(&name)
            };
            fields.push(Field {
                name,
                value,
                inline,
            });
        }
    }
    if let Some(value) = follow_ups_value(&answer.follow_ups) {
        fields.push(Field {
            name: FOLLOW_UPS_FIELD.to_string(),
            value,
            inline: false,
        });
    }
    fields
}

/// "name (continued)", shortened to fit the name limit.
fn continued_name(name: &str) -> String {
    let room = FIELD_NAME_LIMIT - discord_len(CONTINUED);
    format!("{}{CONTINUED}", truncate(name, room))
}

/// Follow-up questions as a bullet list, keeping whole lines that fit.
fn follow_ups_value(follow_ups: &[String]) -> Option<String> {
    let mut value = String::new();
    for question in follow_ups
        .iter()
        .map(|q| q.trim())
        .filter(|q| !q.is_empty())
    {
        let line = truncate(&format!("\u{2022} {question}"), FIELD_VALUE_LIMIT);
        let separator = usize::from(!value.is_empty());
        if discord_len(&value) + separator + discord_len(&line) > FIELD_VALUE_LIMIT {
            break;
        }
        if separator == 1 {
            value.push('\n');
        }
        value.push_str(&line);
    }
    non_empty(value)
}

fn non_empty(text: String) -> Option<String> {
    (!text.trim().is_empty()).then_some(text)
}

/// `text` cut to at most `limit` (as [`discord_len`] counts), ending in an
/// ellipsis when cut.
pub fn truncate(text: &str, limit: usize) -> String {
    let text = text.trim();
    if discord_len(text) <= limit {
        return text.to_string();
    }
    let end = prefix_end(text, limit.saturating_sub(1));
    format!("{}\u{2026}", text[..end].trim_end())
}

/// `text` split into trimmed chunks of at most `limit` each, cutting at a
/// paragraph, line, sentence or word boundary when one is near the limit.
pub fn split_text(text: &str, limit: usize) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut rest = text.trim();
    while discord_len(rest) > limit {
        let cut = best_cut(rest, limit);
        let (head, tail) = rest.split_at(cut);
        let head = head.trim_end();
        if !head.is_empty() {
            chunks.push(head.to_string());
        }
        rest = tail.trim_start();
    }
    if !rest.is_empty() {
        chunks.push(rest.to_string());
    }
    chunks
}

/// Byte index at which to cut `text` so the head is at most `limit` long.
fn best_cut(text: &str, limit: usize) -> usize {
    let max = prefix_end(text, limit);
    if max == 0 {
        // Not even one character fits (limit 0): cut after the first one so
        // splitting always progresses.
        return text.chars().next().map_or(text.len(), char::len_utf8);
    }
    let window = &text[..max];
    // Prefer the last boundary in the second half of the window; a cut
    // earlier than that would waste too much of the chunk.
    let earliest = max / 2;
    for (separator, keep) in [("\n\n", 0), ("\n", 0), (". ", 1), (" ", 0)] {
        if let Some(index) = window.rfind(separator) {
            if index >= earliest && index > 0 {
                return index + keep;
            }
        }
    }
    max
}

/// Byte length of the longest prefix of `text` with at most `limit` units.
fn prefix_end(text: &str, limit: usize) -> usize {
    let mut used = 0;
    for (index, c) in text.char_indices() {
        used += c.len_utf16();
        if used > limit {
            return index;
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::intent::Intent;

    fn answer(body: &str, fields: Vec<Field>) -> Answer {
        Answer {
            intent: Some(Intent::Salary),
            title: "Salary".into(),
            body: body.into(),
            fields,
            source: Some("Source: U.S. Bureau of Labor Statistics (BLS), 2015 data".into()),
            follow_ups: vec![
                "What degree do I need?".into(),
                "Is the field growing?".into(),
            ],
        }
    }

    fn field(name: &str, value: &str) -> Field {
        Field {
            name: name.into(),
            value: value.into(),
            inline: true,
        }
    }

    fn assert_within_limits(messages: &[Vec<EmbedPlan>]) {
        for message in messages {
            assert!(!message.is_empty());
            assert!(message.len() <= EMBEDS_PER_MESSAGE);
            let total: usize = message.iter().map(EmbedPlan::total_len).sum();
            assert!(total <= EMBED_TOTAL_LIMIT, "message total {total}");
            for embed in message {
                assert!(embed.total_len() <= EMBED_TOTAL_LIMIT);
                assert!(embed.title.as_deref().map_or(0, discord_len) <= TITLE_LIMIT);
                assert!(embed.description.as_deref().map_or(0, discord_len) <= DESCRIPTION_LIMIT);
                assert!(embed.footer.as_deref().map_or(0, discord_len) <= FOOTER_LIMIT);
                assert!(embed.fields.len() <= FIELDS_PER_EMBED);
                assert!(
                    embed.title.is_some()
                        || embed.description.is_some()
                        || !embed.fields.is_empty()
                        || embed.footer.is_some()
                );
                for field in &embed.fields {
                    assert!((1..=FIELD_NAME_LIMIT).contains(&discord_len(&field.name)));
                    assert!((1..=FIELD_VALUE_LIMIT).contains(&discord_len(&field.value)));
                }
            }
        }
    }

    /// Every word of the original text survives splitting, in order.
    fn words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    #[test]
    fn short_answer_is_one_embed_with_everything() {
        let answer = answer(
            "Pay is modest.",
            vec![field("Median salary (2015)", "$37,110 a year")],
        );
        let messages = plan_messages(std::slice::from_ref(&answer));
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].len(), 1);
        let embed = &messages[0][0];
        assert_eq!(embed.title.as_deref(), Some("Salary"));
        assert_eq!(embed.description.as_deref(), Some("Pay is modest."));
        assert_eq!(
            embed.fields[0],
            field("Median salary (2015)", "$37,110 a year")
        );
        assert_eq!(embed.fields[1].name, FOLLOW_UPS_FIELD);
        assert_eq!(
            embed.fields[1].value,
            "\u{2022} What degree do I need?\n\u{2022} Is the field growing?"
        );
        assert_eq!(embed.footer, answer.source);
    }

    #[test]
    fn long_body_splits_at_boundaries_within_the_description_limit() {
        let sentence = "Health information technicians organise and manage health data. ";
        let body = sentence.repeat(200);
        let messages = plan_messages(&[answer(&body, vec![])]);
        assert_within_limits(&messages);
        let embeds: Vec<_> = messages.iter().flatten().collect();
        assert!(embeds.len() >= 3);
        assert_eq!(embeds[0].title.as_deref(), Some("Salary"));
        assert!(embeds[1..].iter().all(|e| e.title.is_none()));
        assert!(embeds[..embeds.len() - 1]
            .iter()
            .all(|e| e.footer.is_none()));
        assert!(embeds.last().is_some_and(|e| e.footer.is_some()));
        for embed in &embeds {
            if let Some(description) = &embed.description {
                assert!(
                    description.ends_with('.'),
                    "cut mid-sentence: …{}",
                    &description[description.len() - 20..]
                );
            }
        }
        let rejoined: Vec<_> = embeds
            .iter()
            .filter_map(|e| e.description.as_deref())
            .flat_map(words)
            .collect();
        assert_eq!(rejoined, words(&body));
    }

    #[test]
    fn long_field_values_continue_in_further_fields() {
        let value = "figure ".repeat(400);
        let messages = plan_messages(&[answer("Body.", vec![field("Pay by industry", &value)])]);
        assert_within_limits(&messages);
        let fields: Vec<_> = messages
            .iter()
            .flatten()
            .flat_map(|e| e.fields.iter())
            .collect();
        assert_eq!(fields[0].name, "Pay by industry");
        assert_eq!(fields[1].name, "Pay by industry (continued)");
        assert!(!fields[0].inline, "split fields are not inline");
        let rejoined: Vec<_> = fields
            .iter()
            .filter(|f| f.name.starts_with("Pay"))
            .flat_map(|f| words(&f.value))
            .collect();
        assert_eq!(rejoined, words(&value));
    }

    #[test]
    fn many_fields_spill_into_more_embeds_and_messages() {
        let fields: Vec<_> = (0..120)
            .map(|i| field(&format!("Figure {i}"), &"x".repeat(300)))
            .collect();
        let messages = plan_messages(&[answer("Body.", fields)]);
        assert_within_limits(&messages);
        assert!(messages.len() >= 2);
        let count: usize = messages.iter().flatten().map(|e| e.fields.len()).sum();
        assert_eq!(count, 121, "every field plus the follow-ups");
    }

    #[test]
    fn oversized_names_titles_and_footers_are_truncated() {
        let mut long = answer(
            "Body.",
            vec![
                field(&"n".repeat(300), "v"),
                field("", "value"),
                field("empty", " "),
            ],
        );
        long.title = "T".repeat(300);
        long.source = Some("S".repeat(3000));
        let messages = plan_messages(&[long]);
        assert_within_limits(&messages);
        let embed = &messages[0][0];
        assert_eq!(embed.title.as_deref().map(discord_len), Some(TITLE_LIMIT));
        assert!(embed
            .title
            .as_deref()
            .is_some_and(|t| t.ends_with('\u{2026}')));
        assert_eq!(embed.footer.as_deref().map(discord_len), Some(FOOTER_LIMIT));
        assert_eq!(embed.fields[1].name, "\u{2014}");
        assert_eq!(embed.fields.len(), 3, "the blank-valued field is dropped");
    }

    #[test]
    fn many_answers_respect_the_per_message_limits() {
        let answers: Vec<_> = (0..14)
            .map(|_| answer(&"word ".repeat(700), vec![field("a", "b")]))
            .collect();
        let messages = plan_messages(&answers);
        assert_within_limits(&messages);
        assert!(messages.len() >= 2);
        let titled = messages
            .iter()
            .flatten()
            .filter(|e| e.title.is_some())
            .count();
        assert_eq!(titled, 14);
    }

    #[test]
    fn text_without_boundaries_is_cut_hard_and_wide_characters_count_double() {
        let chunks = split_text(&"a".repeat(2500), 1024);
        assert_eq!(
            chunks.iter().map(String::len).collect::<Vec<_>>(),
            [1024, 1024, 452]
        );
        let emoji = "\u{1F600}".repeat(600);
        let chunks = split_text(&emoji, 1024);
        assert!(chunks.iter().all(|c| discord_len(c) <= 1024));
        assert_eq!(chunks.concat(), emoji);
        assert_eq!(split_text("   ", 10), Vec::<String>::new());
        assert_eq!(split_text("abc", 0), ["a", "b", "c"]);
    }

    #[test]
    fn an_answer_without_text_gives_no_embed() {
        let blank = Answer {
            intent: None,
            title: " ".into(),
            body: String::new(),
            fields: vec![],
            source: None,
            follow_ups: vec![],
        };
        assert!(plan_messages(&[blank]).is_empty());
    }

    #[test]
    fn embed_builder_carries_every_part() {
        let plans = plan_answer(&answer("Body.", vec![field("Median", "$1")]));
        let value = serde_json::to_value(to_embeds(&plans)).unwrap_or_default();
        assert_eq!(value[0]["title"], "Salary");
        assert_eq!(value[0]["description"], "Body.");
        assert_eq!(
            value[0]["fields"][0],
            json!({"name": "Median", "value": "$1", "inline": true})
        );
        assert_eq!(
            value[0]["footer"]["text"],
            "Source: U.S. Bureau of Labor Statistics (BLS), 2015 data"
        );
    }

    #[test]
    fn allowed_mentions_allow_nothing() {
        let value = serde_json::to_value(no_pings()).unwrap_or_default();
        assert_eq!(
            value,
            json!({"parse": [], "users": [], "roles": [], "replied_user": false})
        );
    }
}
